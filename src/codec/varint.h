// Unsigned LEB128 varints as restricted by the multiformats unsigned-varint spec: 7 bits per
// byte, least significant group first, high bit set on every byte but the last, at most
// 9 bytes (so values below 2^63), and only the minimal encoding is valid.
//
// Thread safety: all functions are pure and may be called concurrently.
#ifndef TRACEPORT_CODEC_VARINT_H_
#define TRACEPORT_CODEC_VARINT_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/status.h"

namespace traceport::codec {

inline constexpr size_t kMaxVarintBytes = 9;
inline constexpr uint64_t kMaxVarintValue = (uint64_t{1} << 63) - 1;

// Appends the minimal encoding of `value` to `out`. Values above kMaxVarintValue are
// OutOfRange "varint: value 9223372036854775808 exceeds 2^63-1" and leave `out` unchanged.
Status AppendVarint(uint64_t value, std::vector<uint8_t>* out);

struct Varint {
  uint64_t value;
  size_t length;  // bytes consumed from the front of the input, 1..kMaxVarintBytes
};

// Decodes the varint at the front of `bytes` (trailing bytes are left to the caller).
// Errors (InvalidArgument):
//   "varint: empty input"
//   "varint: truncated: continuation bit set on the last byte at offset 1"
//   "varint: non-minimal encoding (zero final byte at offset 2)"
//   "varint: longer than 9 bytes"
Result<Varint> DecodeVarint(std::span<const uint8_t> bytes);

}  // namespace traceport::codec

#endif  // TRACEPORT_CODEC_VARINT_H_
