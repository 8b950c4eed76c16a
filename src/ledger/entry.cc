#include "ledger/entry.h"

#include <array>
#include <cctype>
#include <string>

#include "codec/hex.h"
#include "codec/jcs.h"
#include "codec/json.h"
#include "common/time.h"
#include "crypto/sha2.h"

namespace traceport::ledger {
namespace {

using nlohmann::json;

constexpr size_t kMaxStringSize = 2048;
constexpr size_t kMaxListItems = 256;

constexpr std::array<EntryType, 8> kAllTypes = {
    EntryType::kCredentialAnchor,   EntryType::kCredentialStatus, EntryType::kRegistryUpdate,
    EntryType::kSubmissionReceived, EntryType::kDecisionRecorded, EntryType::kEventRecorded,
    EntryType::kDutyPaid,           EntryType::kKeyRotated,
};

constexpr EntryField kCredentialAnchorFields[] = {
    {"credential_id", "uri", true, "", "the credential's id (or a urn:uuid: for one without)"},
    {"issuer", "did", true, "", "the DID of the issuer"},
    {"digest", "digest", true, "", "SHA-256 of the credential exactly as issued"},
    {"media_type", "string", true, "", "application/vc+jwt, application/vc (Data Integrity), ..."},
    {"recorded_at", "time", true, "", "when the anchor was written (RFC 3339)"},
};
constexpr EntryField kCredentialStatusFields[] = {
    {"status_list", "uri", true, "", "URL of the status list credential"},
    {"index", "uint", true, "", "the entry's index in the list"},
    {"purpose", "enum", true, "revocation|suspension|message", "the list's statusPurpose"},
    {"value", "uint", true, "", "the new status value (1 = revoked or suspended, 0 = cleared)"},
    {"recorded_at", "time", true, "", "when the change was made"},
};
constexpr EntryField kRegistryUpdateFields[] = {
    {"authority", "did", true, "", "the registry authority that made the change"},
    {"subject", "did", true, "", "the organization admitted, changed or removed"},
    {"action", "enum", true, "admit|update|suspend|reinstate|remove", "what changed"},
    {"identifiers", "identifiers", false, "",
     "legal identifiers, scheme to value (lei, ein, duns, gln, ...)"},
    {"credential", "digest", false, "",
     "SHA-256 of the admission, suspension or removal credential the authority issued"},
    {"recorded_at", "time", true, "", "when the change was made"},
};
constexpr EntryField kSubmissionReceivedFields[] = {
    {"submission_id", "uri", true, "", "the presentation's id"},
    {"submitter", "did", true, "", "the importer or broker that submitted it"},
    {"recipient", "did", true, "", "the customs organization it was submitted to"},
    {"digest", "digest", true, "", "SHA-256 of the presentation exactly as received"},
    {"recorded_at", "time", true, "", "when it was received"},
};
constexpr EntryField kDecisionRecordedFields[] = {
    {"submission_id", "uri", true, "", "the submission decided on"},
    {"decision", "enum", true, "release|hold|examine|refuse|request-information",
     "the officer's decision"},
    {"officer", "string", true, "", "who decided (an identifier, not a name)"},
    {"reasons", "strings", false, "", "rule ids or short reasons"},
    {"recorded_at", "time", true, "", "when the decision was made"},
};
constexpr EntryField kEventRecordedFields[] = {
    {"event_id", "uri", true, "", "the EPCIS event's id"},
    {"event_type", "string", true, "", "ObjectEvent, TransformationEvent, ..."},
    {"digest", "digest", true, "", "SHA-256 of the event's canonical form"},
    {"recorded_at", "time", true, "", "when it was recorded"},
};
constexpr EntryField kDutyPaidFields[] = {
    {"entry_number", "string", true, "", "the customs entry number"},
    {"amount", "decimal", true, "", "amount paid, a decimal string (never a float)"},
    {"currency", "currency", true, "", "ISO 4217 code"},
    {"payer", "did", true, "", "who paid"},
    {"recorded_at", "time", true, "", "when the payment was recorded"},
};
constexpr EntryField kKeyRotatedFields[] = {
    {"subject", "did", true, "", "the organization whose key changed"},
    {"purpose", "enum", true, "assertionMethod|authentication", "what the key is used for"},
    {"previous_key", "uri", false, "", "the verification method retired from signing"},
    {"new_key", "uri", true, "", "the verification method that signs from now on"},
    {"recorded_at", "time", true, "", "when the rotation took effect"},
};

std::span<const EntryField> FieldsOf(EntryType type) {
  switch (type) {
    case EntryType::kCredentialAnchor:
      return kCredentialAnchorFields;
    case EntryType::kCredentialStatus:
      return kCredentialStatusFields;
    case EntryType::kRegistryUpdate:
      return kRegistryUpdateFields;
    case EntryType::kSubmissionReceived:
      return kSubmissionReceivedFields;
    case EntryType::kDecisionRecorded:
      return kDecisionRecordedFields;
    case EntryType::kEventRecorded:
      return kEventRecordedFields;
    case EntryType::kDutyPaid:
      return kDutyPaidFields;
    case EntryType::kKeyRotated:
      return kKeyRotatedFields;
  }
  return {};
}

// `s` quoted for an error message: printable ASCII only (others as \xNN), at most 64 bytes.
std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size() && i < 64; ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      out += static_cast<char>(c);
    } else {
      static const char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  if (s.size() > 64) out += "...";
  return out + "\"";
}

bool HasControlOrSpace(std::string_view s) {
  for (unsigned char c : s) {
    if (c <= 0x20 || c == 0x7f) return true;
  }
  return false;
}

bool IsUri(std::string_view s) {
  // RFC 3986 scheme ":" followed by something, no whitespace or control characters.
  const size_t colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == s.size()) return false;
  if (!std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  for (size_t i = 1; i < colon; ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (!std::isalnum(c) && c != '+' && c != '-' && c != '.') return false;
  }
  return !HasControlOrSpace(s);
}

bool IsDid(std::string_view s) {
  // did:<method>:<method-specific-id>, method = 1*(lowercase letter / digit).
  if (s.substr(0, 4) != "did:") return false;
  const size_t colon = s.find(':', 4);
  if (colon == std::string_view::npos || colon == 4 || colon + 1 == s.size()) return false;
  for (size_t i = 4; i < colon; ++i) {
    const char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  }
  return !HasControlOrSpace(s);
}

bool IsDigest(std::string_view s) {
  if (s.size() != 7 + 64 || s.substr(0, 7) != "sha256:") return false;
  for (char c : s.substr(7)) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool IsDecimal(std::string_view s) {
  // -?(0|[1-9][0-9]*)(\.[0-9]+)?
  size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  if (i >= s.size() || !std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  if (s[i] == '0' && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1]))) {
    return false;
  }
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  if (i == s.size()) return true;
  if (s[i] != '.' || i + 1 == s.size()) return false;
  for (++i; i < s.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

bool IsEnumValue(std::string_view values, std::string_view v) {
  while (!values.empty()) {
    const size_t bar = values.find('|');
    if (values.substr(0, bar) == v) return true;
    if (bar == std::string_view::npos) break;
    values.remove_prefix(bar + 1);
  }
  return false;
}

// Checks a string member's length and content; `what` is the member's path for errors.
Status CheckString(const json& v, const std::string& what) {
  if (!v.is_string()) {
    return InvalidArgumentError(what + ": expected a string, got " + codec::JsonTypeName(v));
  }
  const std::string& s = v.get_ref<const std::string&>();
  if (s.empty()) return InvalidArgumentError(what + ": must not be empty");
  if (s.size() > kMaxStringSize) {
    return InvalidArgumentError(what + ": longer than " + std::to_string(kMaxStringSize) +
                                " bytes");
  }
  return Status::Ok();
}

Status CheckField(const EntryField& field, const json& v) {
  const std::string what = "ledger entry member " + Quote(field.name);
  const std::string_view kind = field.kind;
  if (kind == "uint") {
    if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<int64_t>() >= 0)) {
      return InvalidArgumentError(what + ": expected a non-negative integer");
    }
    return Status::Ok();
  }
  if (kind == "strings") {
    if (!v.is_array()) return InvalidArgumentError(what + ": expected an array of strings");
    if (v.size() > kMaxListItems) {
      return InvalidArgumentError(what + ": more than " + std::to_string(kMaxListItems) + " items");
    }
    for (size_t i = 0; i < v.size(); ++i) {
      RETURN_IF_ERROR(CheckString(v[i], what + "[" + std::to_string(i) + "]"));
    }
    return Status::Ok();
  }
  if (kind == "identifiers") {
    if (!v.is_object()) {
      return InvalidArgumentError(what + ": expected an object of scheme to identifier");
    }
    if (v.size() > kMaxListItems) {
      return InvalidArgumentError(what + ": more than " + std::to_string(kMaxListItems) +
                                  " identifiers");
    }
    for (const auto& [scheme, value] : v.items()) {
      if (scheme.empty() || HasControlOrSpace(scheme)) {
        return InvalidArgumentError(what + ": identifier scheme " + Quote(scheme) +
                                    " is empty or has spaces");
      }
      RETURN_IF_ERROR(CheckString(value, what + "." + Quote(scheme)));
    }
    return Status::Ok();
  }
  RETURN_IF_ERROR(CheckString(v, what));
  const std::string& s = v.get_ref<const std::string&>();
  if (kind == "string") return Status::Ok();
  if (kind == "uri" && !IsUri(s)) {
    return InvalidArgumentError(what + ": " + Quote(s) + " is not an absolute URI");
  }
  if (kind == "did" && !IsDid(s)) {
    return InvalidArgumentError(what + ": " + Quote(s) + " is not a DID");
  }
  if (kind == "digest" && !IsDigest(s)) {
    return InvalidArgumentError(what + ": expected \"sha256:\" and 64 lowercase hex digits");
  }
  if (kind == "time" && !ParseRfc3339(s).ok()) {
    return InvalidArgumentError(what + ": " + Quote(s) + " is not an RFC 3339 date-time");
  }
  if (kind == "decimal" && !IsDecimal(s)) {
    return InvalidArgumentError(what + ": " + Quote(s) + " is not a decimal number like 1234.56");
  }
  if (kind == "currency") {
    const bool ok = s.size() == 3 && std::isupper(static_cast<unsigned char>(s[0])) &&
                    std::isupper(static_cast<unsigned char>(s[1])) &&
                    std::isupper(static_cast<unsigned char>(s[2]));
    if (!ok) return InvalidArgumentError(what + ": " + Quote(s) + " is not an ISO 4217 code");
  }
  if (kind == "enum" && !IsEnumValue(field.values, s)) {
    return InvalidArgumentError(what + ": " + Quote(s) + " is not one of " +
                                std::string(field.values));
  }
  return Status::Ok();
}

json Base(EntryType type) { return json{{"type", std::string(EntryTypeName(type))}}; }

}  // namespace

std::string_view EntryTypeName(EntryType type) {
  switch (type) {
    case EntryType::kCredentialAnchor:
      return "credential.anchor";
    case EntryType::kCredentialStatus:
      return "credential.status";
    case EntryType::kRegistryUpdate:
      return "registry.update";
    case EntryType::kSubmissionReceived:
      return "submission.received";
    case EntryType::kDecisionRecorded:
      return "decision.recorded";
    case EntryType::kEventRecorded:
      return "event.recorded";
    case EntryType::kDutyPaid:
      return "duty.paid";
    case EntryType::kKeyRotated:
      return "key.rotated";
  }
  return "";
}

Result<EntryType> EntryTypeFromName(std::string_view name) {
  std::string known;
  for (EntryType t : kAllTypes) {
    if (EntryTypeName(t) == name) return t;
    known += (known.empty() ? "" : ", ") + std::string(EntryTypeName(t));
  }
  return InvalidArgumentError("ledger entry type " + Quote(name) + " is not one of " + known);
}

std::span<const EntryType> AllEntryTypes() { return kAllTypes; }

std::span<const EntryField> EntryFields(EntryType type) { return FieldsOf(type); }

Result<std::string> CanonicalEntry(const json& entry) {
  if (!entry.is_object()) {
    return InvalidArgumentError("ledger entry: expected a JSON object, got " +
                                codec::JsonTypeName(entry));
  }
  auto type_it = entry.find("type");
  if (type_it == entry.end()) return InvalidArgumentError("ledger entry: missing \"type\"");
  if (!type_it->is_string()) return InvalidArgumentError("ledger entry: \"type\" is not a string");
  ASSIGN_OR_RETURN(EntryType type, EntryTypeFromName(type_it->get_ref<const std::string&>()));
  const std::span<const EntryField> fields = FieldsOf(type);
  for (const auto& [name, value] : entry.items()) {
    if (name == "type") continue;
    const EntryField* field = nullptr;
    for (const EntryField& f : fields) {
      if (f.name == name) field = &f;
    }
    if (field == nullptr) {
      return InvalidArgumentError("ledger entry: member " + Quote(name) + " is not in the " +
                                  std::string(EntryTypeName(type)) + " schema");
    }
    RETURN_IF_ERROR(CheckField(*field, value));
  }
  for (const EntryField& f : fields) {
    if (f.required && !entry.contains(f.name)) {
      return InvalidArgumentError("ledger entry: " + std::string(EntryTypeName(type)) +
                                  " requires \"" + std::string(f.name) + "\"");
    }
  }
  ASSIGN_OR_RETURN(std::string canonical, codec::Canonicalize(entry));
  if (canonical.size() > kMaxEntrySize) {
    return ResourceExhaustedError("ledger entry: " + std::to_string(canonical.size()) +
                                  " bytes canonical, the limit is " +
                                  std::to_string(kMaxEntrySize));
  }
  return canonical;
}

Result<std::string> CanonicalEntryText(std::string_view text) {
  if (text.size() > 4 * kMaxEntrySize) {
    return ResourceExhaustedError("ledger entry: " + std::to_string(text.size()) +
                                  " bytes of JSON, far over the entry limit of " +
                                  std::to_string(kMaxEntrySize));
  }
  ASSIGN_OR_RETURN(json entry, codec::ParseJson(text));
  return CanonicalEntry(entry);
}

json CredentialAnchor(std::string_view credential_id, std::string_view issuer,
                      std::string_view digest, std::string_view media_type,
                      std::string_view recorded_at) {
  json e = Base(EntryType::kCredentialAnchor);
  e["credential_id"] = credential_id;
  e["issuer"] = issuer;
  e["digest"] = digest;
  e["media_type"] = media_type;
  e["recorded_at"] = recorded_at;
  return e;
}

json CredentialStatusChange(std::string_view status_list, uint64_t index, std::string_view purpose,
                            uint64_t value, std::string_view recorded_at) {
  json e = Base(EntryType::kCredentialStatus);
  e["status_list"] = status_list;
  e["index"] = index;
  e["purpose"] = purpose;
  e["value"] = value;
  e["recorded_at"] = recorded_at;
  return e;
}

json RegistryUpdate(std::string_view authority, std::string_view subject, std::string_view action,
                    const json& identifiers, std::string_view recorded_at) {
  json e = Base(EntryType::kRegistryUpdate);
  e["authority"] = authority;
  e["subject"] = subject;
  e["action"] = action;
  if (!identifiers.is_null()) e["identifiers"] = identifiers;
  e["recorded_at"] = recorded_at;
  return e;
}

json SubmissionReceived(std::string_view submission_id, std::string_view submitter,
                        std::string_view recipient, std::string_view digest,
                        std::string_view recorded_at) {
  json e = Base(EntryType::kSubmissionReceived);
  e["submission_id"] = submission_id;
  e["submitter"] = submitter;
  e["recipient"] = recipient;
  e["digest"] = digest;
  e["recorded_at"] = recorded_at;
  return e;
}

json DecisionRecorded(std::string_view submission_id, std::string_view decision,
                      std::string_view officer, const std::vector<std::string>& reasons,
                      std::string_view recorded_at) {
  json e = Base(EntryType::kDecisionRecorded);
  e["submission_id"] = submission_id;
  e["decision"] = decision;
  e["officer"] = officer;
  if (!reasons.empty()) e["reasons"] = reasons;
  e["recorded_at"] = recorded_at;
  return e;
}

json EventRecorded(std::string_view event_id, std::string_view event_type, std::string_view digest,
                   std::string_view recorded_at) {
  json e = Base(EntryType::kEventRecorded);
  e["event_id"] = event_id;
  e["event_type"] = event_type;
  e["digest"] = digest;
  e["recorded_at"] = recorded_at;
  return e;
}

json DutyPaid(std::string_view entry_number, std::string_view amount, std::string_view currency,
              std::string_view payer, std::string_view recorded_at) {
  json e = Base(EntryType::kDutyPaid);
  e["entry_number"] = entry_number;
  e["amount"] = amount;
  e["currency"] = currency;
  e["payer"] = payer;
  e["recorded_at"] = recorded_at;
  return e;
}

std::string DigestOf(std::string_view data) {
  const auto d = crypto::Sha256(data);
  return "sha256:" + codec::HexEncode(d);
}

json KeyRotated(std::string_view subject, std::string_view purpose, std::string_view previous_key,
                std::string_view new_key, std::string_view recorded_at) {
  json e = Base(EntryType::kKeyRotated);
  e["subject"] = subject;
  e["purpose"] = purpose;
  if (!previous_key.empty()) e["previous_key"] = previous_key;
  e["new_key"] = new_key;
  e["recorded_at"] = recorded_at;
  return e;
}

}  // namespace traceport::ledger
