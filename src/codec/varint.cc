#include "codec/varint.h"

#include <string>

namespace traceport::codec {

Status AppendVarint(uint64_t value, std::vector<uint8_t>* out) {
  if (value > kMaxVarintValue) {
    return OutOfRangeError("varint: value " + std::to_string(value) + " exceeds 2^63-1");
  }
  while (value >= 0x80) {
    out->push_back(static_cast<uint8_t>(value | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<uint8_t>(value));
  return Status::Ok();
}

Result<Varint> DecodeVarint(std::span<const uint8_t> bytes) {
  if (bytes.empty()) return InvalidArgumentError("varint: empty input");
  uint64_t value = 0;
  const size_t n = bytes.size() < kMaxVarintBytes ? bytes.size() : kMaxVarintBytes;
  for (size_t i = 0; i < n; ++i) {
    const uint8_t b = bytes[i];
    value |= uint64_t{b & 0x7Fu} << (7 * i);
    if ((b & 0x80) == 0) {
      // A zero final group after other groups adds nothing: a shorter encoding exists.
      if (i > 0 && b == 0) {
        return InvalidArgumentError("varint: non-minimal encoding (zero final byte at offset " +
                                    std::to_string(i) + ")");
      }
      return Varint{value, i + 1};
    }
  }
  if (bytes.size() < kMaxVarintBytes) {
    return InvalidArgumentError(
        "varint: truncated: continuation bit set on the last byte at offset " +
        std::to_string(bytes.size() - 1));
  }
  return InvalidArgumentError("varint: longer than 9 bytes");
}

}  // namespace traceport::codec
