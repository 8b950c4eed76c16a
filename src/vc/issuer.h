// Issuing credentials and creating presentations: the holder and issuer side of the vc module.
#ifndef TRACEPORT_VC_ISSUER_H_
#define TRACEPORT_VC_ISSUER_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/random.h"
#include "common/status.h"
#include "common/time.h"
#include "jose/key.h"

namespace traceport::vc {

// How a credential or presentation is secured.
enum class Securing {
  kVcJwt,          // VC-JOSE compact JWS (ES256, ES384 or EdDSA, from the key)
  kEddsaJcs2022,   // Data Integrity, Ed25519 keys
  kEcdsaJcs2019,   // Data Integrity, P-256 / P-384 keys
  kEddsaRdfc2022,  // Data Integrity over RDF-canonicalized JSON-LD, Ed25519 keys
  kEcdsaRdfc2019,  // Data Integrity over RDF-canonicalized JSON-LD, P-256 / P-384 keys
};

// Accepts "vc-jwt", "vc-jwt-es256", "vc-jwt-es384", "vc-jwt-eddsa" (the alg suffix must match the
// key, checked when signing), "eddsa-jcs-2022", "ecdsa-jcs-2019", "eddsa-rdfc-2022",
// "ecdsa-rdfc-2019".
struct SecuringChoice {
  Securing securing;
  std::optional<jose::Algorithm> jwt_alg;  // when the name pinned one
};
Result<SecuringChoice> ParseSecuring(std::string_view name);

// The verification method id a key has in `did`'s document, for the DID forms Traceport
// creates: did:key → "#<multikey>", did:jwk → "#0", did:web → "#<RFC 7638 thumbprint>".
Result<std::string> DefaultVerificationMethod(std::string_view did, const jose::PublicKey& key);

struct IssueOptions {
  SecuringChoice securing{Securing::kVcJwt, std::nullopt};
  std::string issuer;               // the issuer DID; must equal a present "issuer" member
  std::string verification_method;  // "" = DefaultVerificationMethod(issuer, key)
  Time now;                         // for validFrom (when absent) and the proof's created
  RandomSource* random = nullptr;   // for the urn:uuid id when absent; required
};

struct Secured {
  nlohmann::json document;  // the unsecured credential as issued (with issuer, id, validFrom)
  nlohmann::json secured;   // Data Integrity: the document with its proof; JWT: the enveloped form
  std::string jwt;          // vc+jwt / vp+jwt, when securing == kVcJwt
  // What to hand to a holder or write to a file: the JWT, or the secured JSON pretty-printed.
  std::string Serialize() const;
};

// Completes (issuer, id "urn:uuid:<v4>", validFrom = now when absent), validates against the
// VC 2.0 data model (InvalidArgument listing the problems with their JSON Pointers) and secures
// the credential.
Result<Secured> IssueCredential(nlohmann::json credential, const jose::PrivateKey& key,
                                const IssueOptions& options);

struct PresentOptions {
  SecuringChoice securing{Securing::kVcJwt, std::nullopt};
  std::string holder;               // the holder DID
  std::string verification_method;  // "" = DefaultVerificationMethod(holder, key)
  std::optional<std::string> challenge;
  std::optional<std::string> domain;
  Time now;
  RandomSource* random = nullptr;
  // Further members of the presentation (an object), e.g. a TraceablePresentation's "workflow"
  // and "replace": "id" replaces the generated id, "type" values are added after
  // "VerifiablePresentation", "@context" values after the VC 2.0 context; "holder", "proof" and
  // "verifiableCredential" may not be given here.
  nlohmann::json extra = nlohmann::json::object();
};

// Builds a VerifiablePresentation of `credentials` — each a secured JSON credential or a string
// holding a vc+jwt (enclosed as an EnvelopedVerifiableCredential) — and secures it with the
// holder's key: Data Integrity with proofPurpose "authentication", challenge and domain; or
// vp+jwt with "nonce" and "aud" claims.
Result<Secured> CreatePresentation(const std::vector<nlohmann::json>& credentials,
                                   const jose::PrivateKey& key, const PresentOptions& options);

}  // namespace traceport::vc

#endif  // TRACEPORT_VC_ISSUER_H_
