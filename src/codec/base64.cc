#include "codec/base64.h"

#include <array>
#include <bit>
#include <cstring>

#include "codec/internal/text.h"

namespace traceport::codec {
namespace {

constexpr char kStdAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kUrlAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// Decode tables map a character to its 6-bit value, or to kBad (high bit set) when the
// character is not in the alphabet; OR-ing four lookups then tests a whole group at once.
constexpr uint8_t kBad = 0x80;

constexpr std::array<uint8_t, 256> MakeDecodeTable(const char* alphabet) {
  std::array<uint8_t, 256> table{};
  for (auto& v : table) v = kBad;
  for (int i = 0; i < 64; ++i) table[static_cast<uint8_t>(alphabet[i])] = static_cast<uint8_t>(i);
  return table;
}

constexpr std::array<uint8_t, 256> kStdDecode = MakeDecodeTable(kStdAlphabet);
constexpr std::array<uint8_t, 256> kUrlDecode = MakeDecodeTable(kUrlAlphabet);

// For whole groups: the 6-bit value of a character already shifted to its place in the group's
// 24 bits (`position` 0 is the first character), or kBadGroup (above those 24 bits) when the
// character is not in the alphabet. OR-ing one lookup per character gives the group's bits, or
// a value with kBadGroup set.
constexpr uint32_t kBadGroup = 1u << 24;

constexpr std::array<uint32_t, 256> MakeShiftedTable(const std::array<uint8_t, 256>& plain,
                                                     int position) {
  std::array<uint32_t, 256> table{};
  for (size_t c = 0; c < 256; ++c) {
    table[c] = (plain[c] & kBad) != 0 ? kBadGroup : uint32_t{plain[c]} << (18 - 6 * position);
  }
  return table;
}

using ShiftedTables = std::array<std::array<uint32_t, 256>, 4>;

constexpr ShiftedTables MakeShiftedTables(const std::array<uint8_t, 256>& plain) {
  return {MakeShiftedTable(plain, 0), MakeShiftedTable(plain, 1), MakeShiftedTable(plain, 2),
          MakeShiftedTable(plain, 3)};
}

constexpr ShiftedTables kStdShifted = MakeShiftedTables(kStdDecode);
constexpr ShiftedTables kUrlShifted = MakeShiftedTables(kUrlDecode);

struct Variant {
  const char* name;
  const char* alphabet;
  const std::array<uint8_t, 256>* decode;
  const ShiftedTables* shifted;
  bool padded;
};

constexpr Variant kStd = {"base64", kStdAlphabet, &kStdDecode, &kStdShifted, true};
constexpr Variant kStdUnpadded = {"base64", kStdAlphabet, &kStdDecode, &kStdShifted, false};
constexpr Variant kUrl = {"base64url", kUrlAlphabet, &kUrlDecode, &kUrlShifted, false};

std::string Encode(const uint8_t* in, size_t size, const Variant& v) {
  const size_t full = size / 3;
  const size_t rem = size % 3;
  size_t out_size = full * 4;
  if (rem != 0) out_size += v.padded ? 4 : rem + 1;
  std::string out(out_size, '\0');
  char* p = out.data();
  const char* a = v.alphabet;
  for (size_t i = 0; i < full; ++i, in += 3) {
    uint32_t w = uint32_t{in[0]} << 16 | uint32_t{in[1]} << 8 | in[2];
    p[0] = a[w >> 18];
    p[1] = a[(w >> 12) & 0x3F];
    p[2] = a[(w >> 6) & 0x3F];
    p[3] = a[w & 0x3F];
    p += 4;
  }
  if (rem == 1) {
    p[0] = a[in[0] >> 2];
    p[1] = a[(in[0] & 0x03) << 4];
    if (v.padded) p[2] = p[3] = '=';
  } else if (rem == 2) {
    p[0] = a[in[0] >> 2];
    p[1] = a[(in[0] & 0x03) << 4 | in[1] >> 4];
    p[2] = a[(in[1] & 0x0F) << 2];
    if (v.padded) p[3] = '=';
  }
  return out;
}

Status BadCharacter(const Variant& v, std::string_view text, size_t from) {
  size_t at = from;
  while (at < text.size() && ((*v.decode)[static_cast<uint8_t>(text[at])] & kBad) == 0) ++at;
  return InvalidArgumentError(std::string(v.name) + ": invalid character " +
                              internal::DescribeByte(static_cast<uint8_t>(text[at])) +
                              " at offset " + std::to_string(at));
}

Status TrailingBits(const Variant& v, size_t at) {
  return InvalidArgumentError(std::string(v.name) + ": non-zero trailing bits at offset " +
                              std::to_string(at));
}

Result<std::vector<uint8_t>> Decode(std::string_view text, const Variant& v) {
  const auto& table = *v.decode;
  size_t data_len = text.size();
  if (v.padded) {
    if (text.size() % 4 != 0) {
      return InvalidArgumentError(std::string(v.name) + ": invalid length " +
                                  std::to_string(text.size()) + " (not a multiple of 4)");
    }
    // At most two '=' at the very end; any other '=' is reported as an invalid character.
    if (data_len > 0 && text[data_len - 1] == '=') --data_len;
    if (data_len > 0 && text[data_len - 1] == '=') --data_len;
  }
  const size_t rem = data_len % 4;
  if (rem == 1) {
    return InvalidArgumentError(std::string(v.name) + ": invalid length " +
                                std::to_string(text.size()));
  }
  const size_t full = data_len / 4;
  const size_t size = full * 3 + (rem == 0 ? 0 : rem - 1);
  // One spare byte: each group is stored as four bytes, the fourth overwritten by the next.
  std::vector<uint8_t> out(size + 1);
  const auto* in = reinterpret_cast<const uint8_t*>(text.data());
  uint8_t* p = out.data();
  const ShiftedTables& t = *v.shifted;
  for (size_t i = 0; i < full; ++i, in += 4, p += 3) {
    const uint32_t w = t[0][in[0]] | t[1][in[1]] | t[2][in[2]] | t[3][in[3]];
    if ((w & kBadGroup) != 0) return BadCharacter(v, text, i * 4);
    // The group's three bytes in order, then one byte that the next group replaces.
    uint32_t bytes = w << 8;
    if constexpr (std::endian::native == std::endian::little) bytes = __builtin_bswap32(bytes);
    std::memcpy(p, &bytes, 4);
  }
  const size_t tail = full * 4;
  if (rem == 2) {
    uint8_t c0 = table[in[0]], c1 = table[in[1]];
    if ((c0 | c1) & kBad) return BadCharacter(v, text, tail);
    if (c1 & 0x0F) return TrailingBits(v, tail + 1);
    p[0] = static_cast<uint8_t>(c0 << 2 | c1 >> 4);
  } else if (rem == 3) {
    uint8_t c0 = table[in[0]], c1 = table[in[1]], c2 = table[in[2]];
    if ((c0 | c1 | c2) & kBad) return BadCharacter(v, text, tail);
    if (c2 & 0x03) return TrailingBits(v, tail + 2);
    p[0] = static_cast<uint8_t>(c0 << 2 | c1 >> 4);
    p[1] = static_cast<uint8_t>((c1 & 0x0F) << 4 | c2 >> 2);
  }
  out.resize(size);
  return out;
}

const uint8_t* Bytes(std::string_view s) { return reinterpret_cast<const uint8_t*>(s.data()); }

}  // namespace

std::string Base64Encode(std::span<const uint8_t> bytes) {
  return Encode(bytes.data(), bytes.size(), kStd);
}
std::string Base64Encode(std::string_view bytes) {
  return Encode(Bytes(bytes), bytes.size(), kStd);
}
Result<std::vector<uint8_t>> Base64Decode(std::string_view text) { return Decode(text, kStd); }

std::string Base64UnpaddedEncode(std::span<const uint8_t> bytes) {
  return Encode(bytes.data(), bytes.size(), kStdUnpadded);
}
Result<std::vector<uint8_t>> Base64UnpaddedDecode(std::string_view text) {
  return Decode(text, kStdUnpadded);
}

std::string Base64UrlEncode(std::span<const uint8_t> bytes) {
  return Encode(bytes.data(), bytes.size(), kUrl);
}
std::string Base64UrlEncode(std::string_view bytes) {
  return Encode(Bytes(bytes), bytes.size(), kUrl);
}
Result<std::vector<uint8_t>> Base64UrlDecode(std::string_view text) { return Decode(text, kUrl); }

}  // namespace traceport::codec
