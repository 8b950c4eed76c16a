// DID documents (W3C DID Core 1.0) as Traceport builds and reads them, and the bridge from a
// verification method to a usable public key.
#ifndef TRACEPORT_DID_DOCUMENT_H_
#define TRACEPORT_DID_DOCUMENT_H_

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "jose/key.h"

namespace traceport::did {

inline constexpr std::string_view kDidContextV1 = "https://www.w3.org/ns/did/v1";
inline constexpr std::string_view kMultikeyContextV1 = "https://w3id.org/security/multikey/v1";
inline constexpr std::string_view kJws2020ContextV1 =
    "https://w3id.org/security/suites/jws-2020/v1";

// Verification relationships (DID Core §5.3).
enum class Relationship {
  kAuthentication,
  kAssertionMethod,
  kKeyAgreement,
  kCapabilityInvocation,
  kCapabilityDelegation,
};
std::string_view RelationshipName(Relationship r);  // "assertionMethod", ...
Result<Relationship> ParseRelationship(std::string_view name);

// The verification method representations a key can be written as.
enum class KeyFormat {
  kMultikey,    // {"type":"Multikey","publicKeyMultibase":"z..."}
  kJsonWebKey,  // {"type":"JsonWebKey","publicKeyJwk":{...}} (Controlled Identifiers 1.0)
};

// {"id": <controller>#<fragment>, "type", "controller", <key material>}.
nlohmann::json MakeVerificationMethod(std::string_view controller, std::string_view fragment,
                                      const jose::PublicKey& key, KeyFormat format);

// Reads the public key of a verification method of type Multikey, JsonWebKey, JsonWebKey2020
// or one of the legacy Ed25519VerificationKey2018 / 2020, EcdsaSecp256r1VerificationKey2019 and
// P256Key2021, from whichever of publicKeyMultibase, publicKeyJwk or (legacy types only)
// publicKeyBase58 it carries. InvalidArgument names the member at fault; other types are
// Unimplemented.
Result<jose::PublicKey> PublicKeyFromVerificationMethod(const nlohmann::json& method);

// Structural checks on a document obtained from elsewhere: an object whose "id" equals
// `expected_did`, whose verificationMethod entries are objects with string id / type /
// controller, and whose relationship entries are strings or such objects.
Status ValidateDocument(const nlohmann::json& document, std::string_view expected_did);

// Finds the verification method `did_url` (absolute "did:...#frag" or relative "#frag") in
// `document`, following references from relationship arrays. When `relationship` is given the
// method must also be listed under it (PermissionDenied otherwise: the key exists but is not
// authorized for that purpose).
Result<nlohmann::json> FindVerificationMethod(const nlohmann::json& document,
                                              std::string_view did_url,
                                              const Relationship* relationship = nullptr);

}  // namespace traceport::did

#endif  // TRACEPORT_DID_DOCUMENT_H_
