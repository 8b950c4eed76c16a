// Hex helpers for this module's tests and benchmark (the codec module is not a dependency of
// crypto). Inputs are constants written in the tests, so malformed hex aborts loudly.
#ifndef TRACEPORT_CRYPTO_INTERNAL_HEX_TEST_UTIL_H_
#define TRACEPORT_CRYPTO_INTERNAL_HEX_TEST_UTIL_H_

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace traceport::crypto::internal {

inline std::vector<uint8_t> Hex(std::string_view hex) {
  auto nibble = [hex](char c) -> uint8_t {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    std::fprintf(stderr, "bad hex in test constant: %.*s\n", static_cast<int>(hex.size()),
                 hex.data());
    std::abort();
  };
  if (hex.size() % 2 != 0) nibble('?');
  std::vector<uint8_t> out(hex.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<uint8_t>(nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]));
  }
  return out;
}

inline std::string ToHex(std::span<const uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * bytes.size());
  for (uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

inline std::span<const uint8_t> Bytes(std::string_view text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

}  // namespace traceport::crypto::internal

#endif  // TRACEPORT_CRYPTO_INTERNAL_HEX_TEST_UTIL_H_
