// JSON Web Keys (RFC 7517, RFC 7518 §6, RFC 8037) for the key types Traceport signs with, and
// JWK thumbprints (RFC 7638).
//
//   Ed25519: {"kty":"OKP","crv":"Ed25519","x":<32 bytes>[,"d":<32-byte seed>]}
//   P-256:   {"kty":"EC","crv":"P-256","x":<32>,"y":<32>[,"d":<32>]}
//   P-384:   {"kty":"EC","crv":"P-384","x":<48>,"y":<48>[,"d":<48>]}
//
// Parsing is strict: members are base64url without padding and of exactly the right length, EC
// points must be on the curve, a private "d" must match the public part, and "alg" / "use" /
// "key_ops", when present, must be consistent with a signature key of that type.
#ifndef TRACEPORT_JOSE_JWK_H_
#define TRACEPORT_JOSE_JWK_H_

#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"
#include "jose/key.h"

namespace traceport::jose {

// Reads the public key of a JWK (a private JWK is accepted; its "d" is checked and ignored).
// InvalidArgument names the member at fault; key types other than the three above are
// Unimplemented.
Result<PublicKey> PublicKeyFromJwk(const nlohmann::json& jwk);
// Reads a private JWK; NotFound-free: a JWK without "d" is InvalidArgument.
Result<PrivateKey> PrivateKeyFromJwk(const nlohmann::json& jwk);

// {"kty","crv","x"[,"y"]}: the public JWK with members in RFC 7638 order.
nlohmann::json PublicKeyToJwk(const PublicKey& key);
// The public JWK plus "d". The caller owns the secret it now holds in a json value and should
// keep that value's lifetime short.
nlohmann::json PrivateKeyToJwk(const PrivateKey& key);

// RFC 7638 thumbprint: base64url(SHA-256(JCS of the required members)). Works for any "kty"
// that RFC 7638 / RFC 8037 define required members for (EC, OKP, RSA, oct), whether or not
// Traceport can sign with it.
Result<std::string> JwkThumbprint(const nlohmann::json& jwk);
std::string Thumbprint(const PublicKey& key);

// The RFC 7638 thumbprint URI (RFC 9278): "urn:ietf:params:oauth:jwk-thumbprint:sha-256:<tp>".
std::string ThumbprintUri(const PublicKey& key);

}  // namespace traceport::jose

#endif  // TRACEPORT_JOSE_JWK_H_
