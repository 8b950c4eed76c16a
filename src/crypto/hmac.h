// HMAC (RFC 2104) with SHA-256 and SHA-384, computed by OpenSSL.
//
// Keys of any length are accepted, including empty (RFC 2104 hashes keys longer than the block
// size and zero-pads shorter ones); callers choose key sizes appropriate to their protocol.
// Tags are always the full digest length; truncated tags are not supported.
//
// Thread safety: all functions are thread-safe.
#ifndef TRACEPORT_CRYPTO_HMAC_H_
#define TRACEPORT_CRYPTO_HMAC_H_

#include <cstdint>
#include <span>

#include "common/status.h"
#include "crypto/sha2.h"

namespace traceport::crypto {

// The tag of `data` under `key`. Fails (Internal) only if OpenSSL itself fails, e.g. out of
// memory.
Result<Sha256Digest> HmacSha256(std::span<const uint8_t> key, std::span<const uint8_t> data);
Result<Sha384Digest> HmacSha384(std::span<const uint8_t> key, std::span<const uint8_t> data);

// Recomputes the tag and compares it with `tag` in constant time.
// Errors: InvalidArgument if `tag` is not 32 (resp. 48) bytes; PermissionDenied if it does not
// match; Internal as above.
Status VerifyHmacSha256(std::span<const uint8_t> key, std::span<const uint8_t> data,
                        std::span<const uint8_t> tag);
Status VerifyHmacSha384(std::span<const uint8_t> key, std::span<const uint8_t> data,
                        std::span<const uint8_t> tag);

}  // namespace traceport::crypto

#endif  // TRACEPORT_CRYPTO_HMAC_H_
