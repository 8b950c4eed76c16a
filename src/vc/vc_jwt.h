// VC-JOSE: credentials and presentations secured as JWS compact serializations (W3C "Securing
// Verifiable Credentials using JOSE and COSE", §3.1), media types application/vc+jwt and
// application/vp+jwt.
//
// The JWS payload is the credential (or presentation) itself, serialized as JSON; no JWT claims
// are added when issuing. Protected header: "alg" (ES256 / ES384 / EdDSA, from the key), "kid" (the
// verification method's DID URL), "typ" ("vc+jwt" / "vp+jwt") and "cty" ("vc" / "vp").
//
// When decoding, JWT registered claims that a producer may have added must agree with the
// credential: "iss" with issuer (or holder), "jti" with id, "sub" with the single
// credentialSubject.id; "nbf" / "exp" are reported so the validity check can enforce them.
#ifndef TRACEPORT_VC_VC_JWT_H_
#define TRACEPORT_VC_VC_JWT_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "jose/jws.h"
#include "jose/key.h"

namespace traceport::vc {

inline constexpr std::string_view kVcJwtTyp = "vc+jwt";
inline constexpr std::string_view kVpJwtTyp = "vp+jwt";
inline constexpr std::string_view kEnvelopedVcPrefix = "data:application/vc+jwt,";
inline constexpr std::string_view kEnvelopedVpPrefix = "data:application/vp+jwt,";

enum class Envelope { kCredential, kPresentation };

// Signs `document` (an unsecured credential or presentation, a JSON object) with `key`, whose
// verification method `kid` (an absolute DID URL) goes into the header.
Result<std::string> SignJwt(const nlohmann::json& document, Envelope kind,
                            const jose::PrivateKey& key, std::string_view kid);

// A decoded, NOT yet verified vc+jwt / vp+jwt.
struct DecodedJwt {
  nlohmann::json header;            // protected header
  nlohmann::json document;          // the payload: the credential or presentation
  std::string kid;                  // header "kid" ("" when absent)
  std::optional<int64_t> nbf, exp;  // JWT claims, when present (seconds since the epoch)
};

// Decodes a compact vc+jwt / vp+jwt and checks its shape: "typ" must be the expected one (when
// present it may also be the bare media type "application/vc+jwt"), the payload must be a JSON
// object, and registered claims must agree with the document (see above). InvalidArgument names
// the problem. Does not verify the signature.
Result<DecodedJwt> DecodeJwt(std::string_view jwt, Envelope kind, size_t max_bytes = 1 << 20);

// Verifies the signature of a vc+jwt / vp+jwt with `key` (typ enforced). `decoded_header`, when
// given, is DecodeJwt(jwt).header, which is then not decoded again.
Status VerifyJwtSignature(std::string_view jwt, Envelope kind, const jose::PublicKey& key,
                          const nlohmann::json* decoded_header = nullptr);

// {"@context": [...v2], "id": "data:application/vc+jwt,<jwt>", "type":
// "EnvelopedVerifiableCredential"}
nlohmann::json EnvelopeCredential(std::string_view jwt);
// The JWT inside an EnvelopedVerifiableCredential / EnvelopedVerifiablePresentation object.
Result<std::string> UnwrapEnvelope(const nlohmann::json& enveloped, Envelope kind);

}  // namespace traceport::vc

#endif  // TRACEPORT_VC_VC_JWT_H_
