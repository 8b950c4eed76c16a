#include "did/document.h"

#include <fmt/format.h>

#include <optional>

#include "codec/base58.h"
#include "jose/jwk.h"

namespace traceport::did {
namespace {

using nlohmann::json;

constexpr std::pair<Relationship, std::string_view> kRelationships[] = {
    {Relationship::kAuthentication, "authentication"},
    {Relationship::kAssertionMethod, "assertionMethod"},
    {Relationship::kKeyAgreement, "keyAgreement"},
    {Relationship::kCapabilityInvocation, "capabilityInvocation"},
    {Relationship::kCapabilityDelegation, "capabilityDelegation"},
};

Result<std::string> StringMember(const json& obj, const char* name, std::string_view where) {
  auto it = obj.find(name);
  if (it == obj.end() || !it->is_string()) {
    return InvalidArgumentError(fmt::format("{}: \"{}\" missing or not a string", where, name));
  }
  return it->get<std::string>();
}

// Absolute id of a method reference, resolving "#frag" against the document id.
std::string Absolute(std::string_view ref, std::string_view doc_id) {
  if (!ref.empty() && ref[0] == '#') return std::string(doc_id) + std::string(ref);
  return std::string(ref);
}

}  // namespace

std::string_view RelationshipName(Relationship r) {
  for (const auto& [rel, name] : kRelationships) {
    if (rel == r) return name;
  }
  return "unknown";
}

Result<Relationship> ParseRelationship(std::string_view name) {
  for (const auto& [rel, n] : kRelationships) {
    if (n == name) return rel;
  }
  return InvalidArgumentError(fmt::format("unknown verification relationship '{}'", name));
}

json MakeVerificationMethod(std::string_view controller, std::string_view fragment,
                            const jose::PublicKey& key, KeyFormat format) {
  json vm = json::object();
  vm["id"] = std::string(controller) + "#" + std::string(fragment);
  vm["controller"] = controller;
  if (format == KeyFormat::kMultikey) {
    vm["type"] = "Multikey";
    vm["publicKeyMultibase"] = key.ToMultikey();
  } else {
    vm["type"] = "JsonWebKey";
    vm["publicKeyJwk"] = jose::PublicKeyToJwk(key);
  }
  return vm;
}

Result<jose::PublicKey> PublicKeyFromVerificationMethod(const json& vm) {
  if (!vm.is_object()) return InvalidArgumentError("verification method must be an object");
  ASSIGN_OR_RETURN(std::string type, StringMember(vm, "type", "verification method"));
  // The key material member decides how the key is read; the type must be one we know, and
  // the legacy Ed25519 / P-256 types must hold a key of their curve.
  std::optional<jose::KeyType> implied;
  if (type == "Ed25519VerificationKey2018" || type == "Ed25519VerificationKey2020") {
    implied = jose::KeyType::kEd25519;
  } else if (type == "EcdsaSecp256r1VerificationKey2019" || type == "P256Key2021") {
    implied = jose::KeyType::kP256;
  } else if (type != "Multikey" && type != "JsonWebKey" && type != "JsonWebKey2020") {
    return UnimplementedError(fmt::format("verification method type '{}' is not supported", type));
  }
  Result<jose::PublicKey> key = InvalidArgumentError(fmt::format(
      "{}: no key material (publicKeyMultibase, publicKeyJwk or publicKeyBase58)", type));
  if (vm.contains("publicKeyMultibase")) {
    ASSIGN_OR_RETURN(std::string mb, StringMember(vm, "publicKeyMultibase", type));
    key = jose::PublicKey::FromMultikey(mb);
    if (!key.ok()) return key.status().WithContext(type + " publicKeyMultibase");
  } else if (vm.contains("publicKeyJwk")) {
    const json& jwk = vm["publicKeyJwk"];
    if (jwk.is_object() && jwk.contains("d")) {
      return InvalidArgumentError(fmt::format("{}: publicKeyJwk contains a private key", type));
    }
    key = jose::PublicKeyFromJwk(jwk);
    if (!key.ok()) return key.status().WithContext(type + " publicKeyJwk");
  } else if (vm.contains("publicKeyBase58")) {
    if (!implied) {
      return InvalidArgumentError(fmt::format("{}: publicKeyBase58 needs a legacy key type", type));
    }
    ASSIGN_OR_RETURN(std::string b58, StringMember(vm, "publicKeyBase58", type));
    auto raw = codec::Base58Decode(b58);
    if (!raw.ok()) return raw.status().WithContext(type + " publicKeyBase58");
    key = jose::PublicKey::FromRaw(*implied, *raw);
    if (!key.ok()) return key.status().WithContext(type + " publicKeyBase58");
  }
  if (key.ok() && implied && key->type() != *implied) {
    return InvalidArgumentError(
        fmt::format("{} holds a {} key", type, jose::KeyTypeName(key->type())));
  }
  return key;
}

Status ValidateDocument(const json& doc, std::string_view expected_did) {
  if (!doc.is_object()) return InvalidArgumentError("DID document must be a JSON object");
  ASSIGN_OR_RETURN(std::string id, StringMember(doc, "id", "DID document"));
  if (id != expected_did) {
    return InvalidArgumentError(
        fmt::format("DID document id '{}' does not match the DID '{}'", id, expected_did));
  }
  if (auto vms = doc.find("verificationMethod"); vms != doc.end()) {
    if (!vms->is_array()) return InvalidArgumentError("\"verificationMethod\" must be an array");
    for (size_t i = 0; i < vms->size(); ++i) {
      const json& vm = (*vms)[i];
      std::string where = fmt::format("verificationMethod[{}]", i);
      if (!vm.is_object()) return InvalidArgumentError(where + " must be an object");
      for (const char* m : {"id", "type", "controller"}) {
        RETURN_IF_ERROR(StringMember(vm, m, where).status());
      }
    }
  }
  for (const auto& [rel, name] : kRelationships) {
    auto it = doc.find(std::string(name));
    if (it == doc.end()) continue;
    if (!it->is_array()) return InvalidArgumentError(fmt::format("\"{}\" must be an array", name));
    for (const auto& entry : *it) {
      if (entry.is_string()) continue;
      if (!entry.is_object()) {
        return InvalidArgumentError(
            fmt::format("\"{}\" entries must be strings or verification methods", name));
      }
      for (const char* m : {"id", "type", "controller"}) {
        RETURN_IF_ERROR(StringMember(entry, m, name).status());
      }
    }
  }
  return Status::Ok();
}

Result<json> FindVerificationMethod(const json& doc, std::string_view did_url,
                                    const Relationship* relationship) {
  if (!doc.is_object() || !doc.contains("id") || !doc["id"].is_string()) {
    return InvalidArgumentError("DID document has no id");
  }
  std::string doc_id = doc["id"].get<std::string>();
  std::string want = Absolute(did_url, doc_id);
  if (want.find('#') == std::string::npos) {
    return InvalidArgumentError(
        fmt::format("'{}' does not name a verification method (no fragment)", did_url));
  }
  const json* found = nullptr;
  auto scan = [&](const json& arr) {
    if (!arr.is_array()) return;
    for (const auto& e : arr) {
      if (e.is_object() && e.contains("id") && e["id"].is_string() &&
          Absolute(e["id"].get<std::string>(), doc_id) == want) {
        found = &e;
        return;
      }
    }
  };
  if (doc.contains("verificationMethod")) scan(doc["verificationMethod"]);
  for (const auto& [rel, name] : kRelationships) {
    if (found) break;
    if (doc.contains(std::string(name))) scan(doc[std::string(name)]);
  }
  if (found == nullptr) {
    return NotFoundError(fmt::format("verification method '{}' not found in {}", want, doc_id));
  }
  if (relationship != nullptr) {
    std::string name(RelationshipName(*relationship));
    bool listed = false;
    if (doc.contains(name) && doc[name].is_array()) {
      for (const auto& e : doc[name]) {
        std::string ref = e.is_string() ? e.get<std::string>()
                          : e.is_object() && e.contains("id") && e["id"].is_string()
                              ? e["id"].get<std::string>()
                              : std::string();
        if (!ref.empty() && Absolute(ref, doc_id) == want) listed = true;
      }
    }
    if (!listed) {
      return PermissionDeniedError(
          fmt::format("verification method '{}' is not authorized for {}", want, name));
    }
  }
  // Methods written with relative ids get their absolute id and controller filled in.
  json vm = *found;
  vm["id"] = want;
  if (!vm.contains("controller")) vm["controller"] = doc_id;
  return vm;
}

}  // namespace traceport::did
