#include "codec/base58.h"

#include <array>

#include "codec/internal/text.h"

namespace traceport::codec {
namespace {

constexpr char kAlphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
constexpr uint8_t kBad = 0xFF;

constexpr std::array<uint8_t, 256> MakeDecodeTable() {
  std::array<uint8_t, 256> table{};
  for (auto& v : table) v = kBad;
  for (int i = 0; i < 58; ++i) table[static_cast<uint8_t>(kAlphabet[i])] = static_cast<uint8_t>(i);
  return table;
}

constexpr std::array<uint8_t, 256> kDecode = MakeDecodeTable();

// The big number is held in limbs of five base-58 digits (encoding) or 32 bits (decoding),
// least significant first, so that each step of the schoolbook conversion handles several
// digits at once in 64-bit arithmetic.
constexpr uint32_t k58Pow5 = 58u * 58u * 58u * 58u * 58u;  // 656,356,768 < 2^30

constexpr std::array<uint32_t, 6> k58Pow = {1,      58, 58 * 58, 58 * 58 * 58, 58 * 58 * 58 * 58,
                                            k58Pow5};

}  // namespace

std::string Base58Encode(std::span<const uint8_t> bytes) {
  size_t zeros = 0;
  while (zeros < bytes.size() && bytes[zeros] == 0) ++zeros;
  const uint8_t* in = bytes.data() + zeros;
  const size_t n = bytes.size() - zeros;

  // Absorb the input 1 to 4 bytes at a time: limbs = limbs * 256^k + chunk. Every limb is below
  // 58^5 < 2^30, so limb * 2^32 + carry stays far below 2^64 and the carry below 2^33.
  std::vector<uint32_t> limbs;
  limbs.reserve(n * 138 / 100 / 5 + 2);
  size_t i = 0;
  size_t chunk = n % 4 == 0 ? 4 : n % 4;
  while (i < n) {
    uint64_t carry = 0;
    for (size_t j = 0; j < chunk; ++j) carry = carry << 8 | in[i + j];
    const unsigned shift = static_cast<unsigned>(8 * chunk);
    for (auto& limb : limbs) {
      uint64_t t = (uint64_t{limb} << shift) + carry;
      limb = static_cast<uint32_t>(t % k58Pow5);
      carry = t / k58Pow5;
    }
    while (carry != 0) {
      limbs.push_back(static_cast<uint32_t>(carry % k58Pow5));
      carry /= k58Pow5;
    }
    i += chunk;
    chunk = 4;
  }

  std::string out(zeros, '1');
  if (limbs.empty()) return out;
  // The most significant limb without leading zero digits, then five digits per limb.
  char top[5];
  int top_len = 0;
  for (uint32_t v = limbs.back(); v != 0; v /= 58) top[top_len++] = kAlphabet[v % 58];
  out.reserve(zeros + static_cast<size_t>(top_len) + 5 * (limbs.size() - 1));
  while (top_len > 0) out.push_back(top[--top_len]);
  for (size_t k = limbs.size() - 1; k-- > 0;) {
    char group[5];
    uint32_t v = limbs[k];
    for (int d = 4; d >= 0; --d) {
      group[d] = kAlphabet[v % 58];
      v /= 58;
    }
    out.append(group, 5);
  }
  return out;
}

Result<std::vector<uint8_t>> Base58Decode(std::string_view text) {
  if (text.size() > kMaxBase58DecodeInput) {
    return ResourceExhaustedError("base58: input of " + std::to_string(text.size()) +
                                  " characters exceeds the limit of " +
                                  std::to_string(kMaxBase58DecodeInput));
  }
  for (size_t i = 0; i < text.size(); ++i) {
    if (kDecode[static_cast<uint8_t>(text[i])] == kBad) {
      return InvalidArgumentError("base58: invalid character " +
                                  internal::DescribeByte(static_cast<uint8_t>(text[i])) +
                                  " at offset " + std::to_string(i));
    }
  }
  size_t ones = 0;
  while (ones < text.size() && text[ones] == '1') ++ones;

  // Absorb up to five digits at a time: limbs = limbs * 58^k + chunk, limbs in base 2^32.
  std::vector<uint32_t> limbs;
  limbs.reserve((text.size() - ones) * 733 / 1000 / 4 + 2);
  for (size_t i = ones; i < text.size();) {
    const size_t chunk = text.size() - i < 5 ? text.size() - i : 5;
    uint64_t carry = 0;
    for (size_t j = 0; j < chunk; ++j)
      carry = carry * 58 + kDecode[static_cast<uint8_t>(text[i + j])];
    const uint64_t mul = k58Pow[chunk];
    for (auto& limb : limbs) {
      uint64_t t = uint64_t{limb} * mul + carry;
      limb = static_cast<uint32_t>(t);
      carry = t >> 32;
    }
    while (carry != 0) {
      limbs.push_back(static_cast<uint32_t>(carry));
      carry >>= 32;
    }
    i += chunk;
  }

  std::vector<uint8_t> out(ones, 0);
  if (limbs.empty()) return out;
  out.reserve(ones + 4 * limbs.size());
  uint32_t top = limbs.back();
  for (int shift = 24; shift >= 0; shift -= 8) {
    if ((top >> shift) != 0) out.push_back(static_cast<uint8_t>(top >> shift));
  }
  for (size_t k = limbs.size() - 1; k-- > 0;) {
    uint32_t v = limbs[k];
    out.push_back(static_cast<uint8_t>(v >> 24));
    out.push_back(static_cast<uint8_t>(v >> 16));
    out.push_back(static_cast<uint8_t>(v >> 8));
    out.push_back(static_cast<uint8_t>(v));
  }
  return out;
}

}  // namespace traceport::codec
