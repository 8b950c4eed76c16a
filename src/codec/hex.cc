#include "codec/hex.h"

#include <array>

#include "codec/internal/text.h"

namespace traceport::codec {
namespace {

constexpr char kDigits[] = "0123456789abcdef";
constexpr uint8_t kInvalid = 0xFF;

constexpr std::array<uint8_t, 256> MakeDecodeTable() {
  std::array<uint8_t, 256> table{};
  for (auto& v : table) v = kInvalid;
  for (int i = 0; i < 10; ++i) table['0' + i] = static_cast<uint8_t>(i);
  for (int i = 0; i < 6; ++i) {
    table['a' + i] = static_cast<uint8_t>(10 + i);
    table['A' + i] = static_cast<uint8_t>(10 + i);
  }
  return table;
}

constexpr std::array<uint8_t, 256> kDecode = MakeDecodeTable();

std::string Encode(const uint8_t* data, size_t size) {
  std::string out(size * 2, '\0');
  char* p = out.data();
  for (size_t i = 0; i < size; ++i) {
    *p++ = kDigits[data[i] >> 4];
    *p++ = kDigits[data[i] & 0xF];
  }
  return out;
}

}  // namespace

std::string HexEncode(std::span<const uint8_t> bytes) { return Encode(bytes.data(), bytes.size()); }

std::string HexEncode(std::string_view bytes) {
  return Encode(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

Result<std::vector<uint8_t>> HexDecode(std::string_view text) {
  if (text.size() % 2 != 0) {
    return InvalidArgumentError("hex: odd length " + std::to_string(text.size()));
  }
  std::vector<uint8_t> out(text.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    uint8_t hi = kDecode[static_cast<uint8_t>(text[2 * i])];
    uint8_t lo = kDecode[static_cast<uint8_t>(text[2 * i + 1])];
    if (hi == kInvalid || lo == kInvalid) {
      size_t at = hi == kInvalid ? 2 * i : 2 * i + 1;
      return InvalidArgumentError("hex: invalid character " +
                                  internal::DescribeByte(static_cast<uint8_t>(text[at])) +
                                  " at offset " + std::to_string(at));
    }
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return out;
}

}  // namespace traceport::codec
