// The DID methods whose documents are computed rather than fetched: did:key (W3C CCG did:key
// method v0.9, Multikey documents) and did:jwk (did:jwk method specification).
#ifndef TRACEPORT_DID_METHODS_H_
#define TRACEPORT_DID_METHODS_H_

#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"
#include "did/did.h"
#include "jose/key.h"

namespace traceport::did {

// DID Resolution error codes, as the resolution metadata "error" member spells them.
inline constexpr std::string_view kErrInvalidDid = "invalidDid";
inline constexpr std::string_view kErrInvalidDidUrl = "invalidDidUrl";
inline constexpr std::string_view kErrNotFound = "notFound";
inline constexpr std::string_view kErrMethodNotSupported = "methodNotSupported";
inline constexpr std::string_view kErrInvalidPublicKeyLength = "invalidPublicKeyLength";
inline constexpr std::string_view kErrInvalidPublicKey = "invalidPublicKey";
inline constexpr std::string_view kErrUnsupportedPublicKeyType = "unsupportedPublicKeyType";
inline constexpr std::string_view kErrInternal = "internalError";

// A method-level failure: the resolution error code plus a human explanation.
struct MethodError {
  std::string code;
  std::string message;
};

// ---- did:key ----------------------------------------------------------------------------

// "did:key:" + the key's Multikey (z-base58btc of the multicodec-prefixed key; EC compressed).
Did DidKeyFor(const jose::PublicKey& key);

struct DidKeyOptions {
  // Add a keyAgreement method: for Ed25519 the X25519 key derived from it, for P-256 / P-384
  // the key itself (ECDH).
  bool enable_encryption_key_derivation = true;
};

// Decodes the key of a did:key DID. The optional version prefix ("did:key:1:z...") must be 1.
// Errors carry invalidDid (syntax, multibase other than 'z', bad base58 or varint),
// invalidPublicKeyLength, invalidPublicKey (off-curve point) or unsupportedPublicKeyType.
Result<jose::PublicKey> DidKeyPublicKey(const Did& did, MethodError* error = nullptr);

// The DID document of a did:key DID: one Multikey verification method whose fragment is the
// Multikey, referenced from authentication, assertionMethod, capabilityInvocation and
// capabilityDelegation, plus keyAgreement (see DidKeyOptions).
Result<nlohmann::json> DidKeyDocument(const Did& did, const DidKeyOptions& options = {},
                                      MethodError* error = nullptr);

// ---- did:jwk ----------------------------------------------------------------------------

// "did:jwk:" + base64url(JCS(public JWK)).
Did DidJwkFor(const jose::PublicKey& key);

// The DID document of a did:jwk DID: one JsonWebKey2020 method "#0" whose relationships follow
// the JWK's "use" (sig: all but keyAgreement; enc: keyAgreement only; absent: all). JWKs with
// private members are invalidDid. JWKs of key types Traceport cannot verify with are still
// resolved, as long as they are JSON objects with a string "kty".
Result<nlohmann::json> DidJwkDocument(const Did& did, MethodError* error = nullptr);

}  // namespace traceport::did

#endif  // TRACEPORT_DID_METHODS_H_
