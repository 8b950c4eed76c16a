// JSON Web Signatures (RFC 7515) with EdDSA, ES256 and ES384: compact serialization, the JSON
// serializations (general and flattened), detached payloads (RFC 7515 Appendix F).
//
// Verification policy (stricter than RFC 7515 allows, on purpose):
//  * "alg" must be in the protected header, one of the caller's allowed algorithms, and the one
//    algorithm of the verification key: "none", unknown algorithms and alg/key mismatches fail.
//  * "crit" must be protected, a non-empty array of distinct strings naming header parameters
//    that are present, not registered RFC 7515 names, and understood by the caller; anything
//    else fails. RFC 7797 unencoded payloads ("b64": false) are not supported and fail.
//  * Protected and unprotected header names must be disjoint; every base64url part must be
//    canonical unpadded base64url; headers must be strict JSON objects (no duplicate names).
// Malformed input is InvalidArgument (Unimplemented for valid but unsupported features); a
// well-formed JWS whose signature does not verify under the key is PermissionDenied.
// All functions are thread-safe.
#ifndef TRACEPORT_JOSE_JWS_H_
#define TRACEPORT_JOSE_JWS_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "jose/key.h"

namespace traceport::jose {

struct JwsSignOptions {
  std::string kid;  // "kid" header when non-empty
  std::string typ;  // "typ" header when non-empty (e.g. "vc+jwt")
  std::string cty;  // "cty" header when non-empty
  // Further protected header members (an object). May not set "alg"; may set "crit" only for
  // names it also sets.
  nlohmann::json extra_protected = nlohmann::json::object();
  // Compact form with an empty payload part; the payload travels separately.
  bool detached = false;
};

struct JwsVerifyOptions {
  std::vector<Algorithm> allowed_algs = {Algorithm::kEdDSA, Algorithm::kES256, Algorithm::kES384};
  // Extension header names the caller processes itself and so may appear in "crit".
  std::vector<std::string> understood_crit;
  // For a detached JWS: the payload (the JWS's payload part must then be empty).
  std::optional<std::string_view> detached_payload;
  // When set, the protected "typ" must equal it.
  std::optional<std::string> required_typ;
  // Upper bound on the serialized JWS, in bytes.
  size_t max_bytes = 16 << 20;
  // Compact serialization only: when false, the payload is verified as signed but not decoded
  // (VerifiedJws::payload stays empty), for callers that have decoded and checked it already.
  bool decode_payload = true;
  // Compact serialization only: the protected header as the caller already decoded it from this
  // very JWS (PeekCompactHeader), so that it is not decoded again. The signature still covers
  // the header bytes in the JWS; the algorithm and "crit" checks read this object, and
  // VerifiedJws::protected_header is left null (the caller holds the header).
  const nlohmann::json* decoded_header = nullptr;
};

struct VerifiedJws {
  Algorithm alg = Algorithm::kEdDSA;
  nlohmann::json protected_header;                               // always an object
  nlohmann::json unprotected_header = nlohmann::json::object();  // JSON serialization only
  std::string payload;                                           // decoded bytes
  size_t signature_index = 0;                                    // which signature verified
};

// Compact serialization: BASE64URL(header) '.' BASE64URL(payload) '.' BASE64URL(signature).
Result<std::string> SignCompact(std::string_view payload, const PrivateKey& key,
                                const JwsSignOptions& options = {});

Result<VerifiedJws> VerifyCompact(std::string_view jws, const PublicKey& key,
                                  const JwsVerifyOptions& options = {});

// Decodes the protected header of a compact JWS without verifying anything (e.g. to pick a key
// by "kid"). Never trust its contents before VerifyCompact succeeds.
Result<nlohmann::json> PeekCompactHeader(std::string_view jws);

struct JwsSigner {
  const PrivateKey* key;  // not owned
  JwsSignOptions options;
  nlohmann::json unprotected = nlohmann::json::object();  // the per-signature "header"
};

// JSON serialization with one signature per signer; `flattened` requires exactly one signer.
Result<nlohmann::json> SignJson(std::string_view payload, std::span<const JwsSigner> signers,
                                bool flattened);

// Accepts general or flattened JSON serialization. Succeeds when at least one signature
// verifies under `key`; malformed signature entries fail the whole JWS.
Result<VerifiedJws> VerifyJson(const nlohmann::json& jws, const PublicKey& key,
                               const JwsVerifyOptions& options = {});
// Parses `text` strictly, then VerifyJson.
Result<VerifiedJws> VerifyJsonText(std::string_view text, const PublicKey& key,
                                   const JwsVerifyOptions& options = {});

}  // namespace traceport::jose

#endif  // TRACEPORT_JOSE_JWS_H_
