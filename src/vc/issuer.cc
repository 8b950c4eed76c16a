#include "vc/issuer.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/uuid.h"
#include "did/did.h"
#include "did/methods.h"
#include "jose/jwk.h"
#include "vc/data_integrity.h"
#include "vc/data_model.h"
#include "vc/vc_jwt.h"

namespace traceport::vc {
namespace {

using nlohmann::json;

std::string SuiteName(Securing s) {
  switch (s) {
    case Securing::kEddsaJcs2022:
      return "eddsa-jcs-2022";
    case Securing::kEcdsaJcs2019:
      return "ecdsa-jcs-2019";
    case Securing::kEddsaRdfc2022:
      return "eddsa-rdfc-2022";
    case Securing::kEcdsaRdfc2019:
      return "ecdsa-rdfc-2019";
    case Securing::kVcJwt:
      return "vc-jwt";
  }
  return "";
}

Status CheckKeyFits(const SecuringChoice& c, const jose::PrivateKey& key) {
  const bool eddsa =
      c.securing == Securing::kEddsaJcs2022 || c.securing == Securing::kEddsaRdfc2022;
  const bool ecdsa =
      c.securing == Securing::kEcdsaJcs2019 || c.securing == Securing::kEcdsaRdfc2019;
  if (eddsa && key.type() != jose::KeyType::kEd25519) {
    return InvalidArgumentError(fmt::format("{} needs an Ed25519 key, not {}",
                                            SuiteName(c.securing), jose::KeyTypeName(key.type())));
  }
  if (ecdsa && key.type() == jose::KeyType::kEd25519) {
    return InvalidArgumentError(
        fmt::format("{} needs a P-256 or P-384 key, not ed25519", SuiteName(c.securing)));
  }
  if (c.jwt_alg && *c.jwt_alg != key.algorithm()) {
    return InvalidArgumentError(
        fmt::format("vc-jwt-{} needs a key for {}, but the key is {} ({})",
                    jose::AlgorithmName(*c.jwt_alg), jose::AlgorithmName(*c.jwt_alg),
                    jose::KeyTypeName(key.type()), jose::AlgorithmName(key.algorithm())));
  }
  return Status::Ok();
}

Result<std::string> Seconds(Time t) { return FormatRfc3339(t, TimePrecision::kSeconds); }

std::string ProblemList(const std::vector<Problem>& problems) {
  std::string s;
  for (const auto& p : problems) {
    if (!s.empty()) s += "; ";
    s += (p.pointer.empty() ? std::string("(document)") : p.pointer) + ": " + p.message;
  }
  return s;
}

}  // namespace

Result<SecuringChoice> ParseSecuring(std::string_view name) {
  if (name == "vc-jwt" || name == "jwt") return SecuringChoice{Securing::kVcJwt, std::nullopt};
  if (name == "vc-jwt-es256") return SecuringChoice{Securing::kVcJwt, jose::Algorithm::kES256};
  if (name == "vc-jwt-es384") return SecuringChoice{Securing::kVcJwt, jose::Algorithm::kES384};
  if (name == "vc-jwt-eddsa") return SecuringChoice{Securing::kVcJwt, jose::Algorithm::kEdDSA};
  if (name == "eddsa-jcs-2022") return SecuringChoice{Securing::kEddsaJcs2022, std::nullopt};
  if (name == "ecdsa-jcs-2019") return SecuringChoice{Securing::kEcdsaJcs2019, std::nullopt};
  if (name == "eddsa-rdfc-2022") return SecuringChoice{Securing::kEddsaRdfc2022, std::nullopt};
  if (name == "ecdsa-rdfc-2019") return SecuringChoice{Securing::kEcdsaRdfc2019, std::nullopt};
  return InvalidArgumentError(
      fmt::format("unknown securing suite '{}': expected vc-jwt-es256, vc-jwt-es384, vc-jwt-eddsa, "
                  "eddsa-jcs-2022, ecdsa-jcs-2019, eddsa-rdfc-2022 or ecdsa-rdfc-2019",
                  name));
}

Result<std::string> DefaultVerificationMethod(std::string_view did_text,
                                              const jose::PublicKey& key) {
  ASSIGN_OR_RETURN(did::Did d, did::ParseDid(did_text));
  if (d.method == "key") {
    if (did::DidKeyFor(key).ToString() != did_text) {
      return InvalidArgumentError(fmt::format("{} is not the did:key of this key", did_text));
    }
    return std::string(did_text) + "#" + key.ToMultikey();
  }
  if (d.method == "jwk") {
    if (did::DidJwkFor(key).ToString() != did_text) {
      return InvalidArgumentError(fmt::format("{} is not the did:jwk of this key", did_text));
    }
    return std::string(did_text) + "#0";
  }
  if (d.method == "web") return std::string(did_text) + "#" + jose::Thumbprint(key);
  return InvalidArgumentError(
      fmt::format("no default verification method for did:{}; give one explicitly", d.method));
}

std::string Secured::Serialize() const {
  if (!jwt.empty()) return jwt + "\n";
  return secured.dump(2) + "\n";
}

Result<Secured> IssueCredential(json credential, const jose::PrivateKey& key,
                                const IssueOptions& options) {
  if (!credential.is_object()) return InvalidArgumentError("the credential must be a JSON object");
  if (options.random == nullptr) return InvalidArgumentError("a random source is required");
  if (credential.contains("proof")) {
    return InvalidArgumentError("the credential already has a proof; issue an unsecured one");
  }
  RETURN_IF_ERROR(CheckKeyFits(options.securing, key));
  if (options.issuer.empty()) return InvalidArgumentError("an issuer DID is required");
  RETURN_IF_ERROR(did::ParseDid(options.issuer).status().WithContext("issuer"));
  if (credential.contains("issuer")) {
    const json& iss = credential["issuer"];
    std::string present = iss.is_string() ? iss.get<std::string>()
                          : iss.is_object() && iss.contains("id") && iss["id"].is_string()
                              ? iss["id"].get<std::string>()
                              : std::string();
    if (present != options.issuer) {
      return InvalidArgumentError(fmt::format(
          "the credential names issuer '{}' but is being issued by {}", present, options.issuer));
    }
  } else {
    credential["issuer"] = options.issuer;
  }
  if (!credential.contains("id")) {
    credential["id"] = "urn:uuid:" + Uuid::NewV4(*options.random).ToString();
  }
  ASSIGN_OR_RETURN(std::string now, Seconds(options.now));
  if (!credential.contains("validFrom")) credential["validFrom"] = now;
  std::vector<Problem> problems = ValidateCredential(credential, ValidationOptions::ForIssuing());
  if (!problems.empty()) {
    return InvalidArgumentError("the credential is not a valid VC 2.0 credential: " +
                                ProblemList(problems));
  }
  std::string vm = options.verification_method;
  if (vm.empty()) {
    ASSIGN_OR_RETURN(vm, DefaultVerificationMethod(options.issuer, key.public_key()));
  }
  Secured out;
  out.document = credential;
  if (options.securing.securing == Securing::kVcJwt) {
    ASSIGN_OR_RETURN(out.jwt, SignJwt(credential, Envelope::kCredential, key, vm));
    out.secured = EnvelopeCredential(out.jwt);
    return out;
  }
  ProofOptions po;
  po.cryptosuite = SuiteName(options.securing.securing);
  po.verification_method = vm;
  po.proof_purpose = "assertionMethod";
  po.created = now;
  ASSIGN_OR_RETURN(out.secured, AddProof(credential, po, key));
  return out;
}

Result<Secured> CreatePresentation(const std::vector<json>& credentials,
                                   const jose::PrivateKey& key, const PresentOptions& options) {
  if (options.random == nullptr) return InvalidArgumentError("a random source is required");
  RETURN_IF_ERROR(CheckKeyFits(options.securing, key));
  if (options.holder.empty()) return InvalidArgumentError("a holder DID is required");
  RETURN_IF_ERROR(did::ParseDid(options.holder).status().WithContext("holder"));
  json vp = {{"@context", json::array({kCredentialsContextV2})},
             {"id", "urn:uuid:" + Uuid::NewV4(*options.random).ToString()},
             {"type", json::array({"VerifiablePresentation"})},
             {"holder", options.holder}};
  json list = json::array();
  for (const json& c : credentials) {
    if (c.is_string()) {
      list.push_back(EnvelopeCredential(c.get<std::string>()));
    } else if (c.is_object()) {
      list.push_back(c);
    } else {
      return InvalidArgumentError("each credential must be a JSON object or a vc+jwt string");
    }
  }
  if (!list.empty()) vp["verifiableCredential"] = std::move(list);
  if (!options.extra.is_object()) return InvalidArgumentError("extra members must be an object");
  for (const auto& [name, value] : options.extra.items()) {
    if (name == "@context") {
      for (const json& c : value.is_array() ? value : json::array({value})) {
        if (c != kCredentialsContextV2) vp["@context"].push_back(c);
      }
      continue;
    }
    if (name == "holder" || name == "proof" || name == "verifiableCredential") {
      return InvalidArgumentError("the presentation member \"" + name + "\" cannot be set here");
    }
    if (name == "type") {
      for (const json& t : value.is_array() ? value : json::array({value})) {
        if (!t.is_string()) return InvalidArgumentError("presentation types must be strings");
        if (std::find(vp["type"].begin(), vp["type"].end(), t) == vp["type"].end()) {
          vp["type"].push_back(t);
        }
      }
    } else {
      vp[name] = value;
    }
  }
  std::vector<Problem> problems = ValidatePresentation(vp, ValidationOptions::ForIssuing());
  if (!problems.empty()) {
    return InvalidArgumentError("the presentation is not valid: " + ProblemList(problems));
  }
  std::string vm = options.verification_method;
  if (vm.empty()) {
    ASSIGN_OR_RETURN(vm, DefaultVerificationMethod(options.holder, key.public_key()));
  }
  Secured out;
  out.document = vp;
  if (options.securing.securing == Securing::kVcJwt) {
    json payload = vp;
    if (options.challenge) payload["nonce"] = *options.challenge;
    if (options.domain) payload["aud"] = *options.domain;
    ASSIGN_OR_RETURN(out.jwt, SignJwt(payload, Envelope::kPresentation, key, vm));
    out.secured = {{"@context", json::array({kCredentialsContextV2})},
                   {"id", std::string(kEnvelopedVpPrefix) + out.jwt},
                   {"type", "EnvelopedVerifiablePresentation"}};
    return out;
  }
  ProofOptions po;
  po.cryptosuite = SuiteName(options.securing.securing);
  po.verification_method = vm;
  po.proof_purpose = "authentication";
  ASSIGN_OR_RETURN(po.created, Seconds(options.now));
  po.challenge = options.challenge;
  po.domain = options.domain;
  ASSIGN_OR_RETURN(out.secured, AddProof(vp, po, key));
  return out;
}

}  // namespace traceport::vc
