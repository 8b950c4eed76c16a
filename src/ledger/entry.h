// Ledger entries: JCS-canonical JSON objects with a `type`, one closed schema per type.
//
// Every module that records something on the ledger goes through this typed API, so that what
// lands in the log is always one of the documented shapes (docs/formats/ledger.md lists each
// type's members). An entry is checked against its type's schema and canonicalized (RFC 8785)
// before it is sequenced; the canonical bytes are what the Merkle leaf hashes.
//
// Thread safety: all functions are thread-safe.
#ifndef TRACEPORT_LEDGER_ENTRY_H_
#define TRACEPORT_LEDGER_ENTRY_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace traceport::ledger {

// The largest canonical entry: entry bundles (C2SP tlog-tiles) prefix entries with a uint16.
inline constexpr size_t kMaxEntrySize = 65535;

enum class EntryType {
  kCredentialAnchor,    // credential.anchor
  kCredentialStatus,    // credential.status
  kRegistryUpdate,      // registry.update
  kSubmissionReceived,  // submission.received
  kDecisionRecorded,    // decision.recorded
  kEventRecorded,       // event.recorded
  kDutyPaid,            // duty.paid
  kKeyRotated,          // key.rotated
};

// "credential.anchor", ...
std::string_view EntryTypeName(EntryType type);
// The type named `name`; kInvalidArgument listing the known types otherwise.
Result<EntryType> EntryTypeFromName(std::string_view name);
// Every type, in declaration order.
std::span<const EntryType> AllEntryTypes();

// One member of a type's schema, for documentation and for the CLI's help.
struct EntryField {
  std::string_view name;
  std::string_view kind;  // "string", "uri", "did", "digest", "time", "uint", "decimal",
                          // "currency", "enum", "strings", "identifiers"
  bool required;
  std::string_view values;  // for "enum": the allowed values, separated by '|'
  std::string_view meaning;
};
std::span<const EntryField> EntryFields(EntryType type);

// Checks `entry` against the schema of its `type` and returns its canonical bytes. Errors
// (kInvalidArgument) name the member and the rule: not an object, missing or unknown `type`,
// a missing required member, a member not in the schema, a value of the wrong kind; and
// kResourceExhausted when the canonical form exceeds kMaxEntrySize.
Result<std::string> CanonicalEntry(const nlohmann::json& entry);
// The same for JSON text (parsed strictly: duplicate names, depth and size limits).
Result<std::string> CanonicalEntryText(std::string_view text);

// Typed constructors for the modules that write to the ledger. Each returns the JSON object
// (not yet validated: pass it to CanonicalEntry or Log::Append).
nlohmann::json CredentialAnchor(std::string_view credential_id, std::string_view issuer,
                                std::string_view digest, std::string_view media_type,
                                std::string_view recorded_at);
nlohmann::json CredentialStatusChange(std::string_view status_list, uint64_t index,
                                      std::string_view purpose, uint64_t value,
                                      std::string_view recorded_at);
nlohmann::json RegistryUpdate(std::string_view authority, std::string_view subject,
                              std::string_view action, const nlohmann::json& identifiers,
                              std::string_view recorded_at);
nlohmann::json SubmissionReceived(std::string_view submission_id, std::string_view submitter,
                                  std::string_view recipient, std::string_view digest,
                                  std::string_view recorded_at);
nlohmann::json DecisionRecorded(std::string_view submission_id, std::string_view decision,
                                std::string_view officer, const std::vector<std::string>& reasons,
                                std::string_view recorded_at);
nlohmann::json EventRecorded(std::string_view event_id, std::string_view event_type,
                             std::string_view digest, std::string_view recorded_at);
nlohmann::json DutyPaid(std::string_view entry_number, std::string_view amount,
                        std::string_view currency, std::string_view payer,
                        std::string_view recorded_at);

nlohmann::json KeyRotated(std::string_view subject, std::string_view purpose,
                          std::string_view previous_key, std::string_view new_key,
                          std::string_view recorded_at);

// "sha256:" + 64 lowercase hex digits of SHA-256(data): the digest form entries use.
std::string DigestOf(std::string_view data);

}  // namespace traceport::ledger

#endif  // TRACEPORT_LEDGER_ENTRY_H_
