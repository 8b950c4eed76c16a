// Conversion between the two ECDSA signature encodings: IEEE P1363 (fixed-width r ‖ s, used by
// JOSE and Data Integrity) and the DER SEQUENCE { INTEGER r, INTEGER s } that OpenSSL signs and
// verifies.
#ifndef TRACEPORT_CRYPTO_INTERNAL_ECDSA_DER_H_
#define TRACEPORT_CRYPTO_INTERNAL_ECDSA_DER_H_

#include <cstddef>
#include <cstdint>
#include <span>

#include "common/status.h"

namespace traceport::crypto::internal {

// The largest DER signature for scalars of `width` bytes: a SEQUENCE header, then for each of
// r and s an INTEGER header, a possible 0x00 sign byte and `width` bytes. For width <= 61 every
// length fits the one-byte short form, which is what DER requires for lengths below 128.
constexpr size_t MaxDerSignatureSize(size_t width) { return 2 + 2 * (2 + 1 + width); }

// Writes the DER encoding of `rs` (r ‖ s, two big-endian halves of equal width <= 61) into
// `out`, which must hold MaxDerSignatureSize(width) bytes, and returns the encoded length.
// Values are not range-checked: r = 0 or r >= n encode fine and are rejected by verification.
size_t P1363ToDer(std::span<const uint8_t> rs, std::span<uint8_t> out);

// Parses `der` as a strict DER ECDSA signature and writes r ‖ s into `out` (2 * width bytes,
// each half left-padded with zeros). Rejects, with InvalidArgument naming the problem: a wrong
// tag, a long-form or indefinite length, a length that does not match the data, bytes after the
// SEQUENCE or inside it after s, an empty or negative INTEGER, a superfluous leading zero, and
// an INTEGER wider than `width` bytes.
Status DerToP1363(std::span<const uint8_t> der, std::span<uint8_t> out);

}  // namespace traceport::crypto::internal

#endif  // TRACEPORT_CRYPTO_INTERNAL_ECDSA_DER_H_
