#include "codec/base58.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "codec/hex.h"

namespace traceport::codec {
namespace {

using Bytes = std::vector<uint8_t>;

constexpr char kAlphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

// Digit-at-a-time reference (repeated division of the whole number by 58).
std::string ReferenceEncode(const Bytes& bytes) {
  size_t zeros = 0;
  while (zeros < bytes.size() && bytes[zeros] == 0) ++zeros;
  Bytes number(bytes.begin() + static_cast<long>(zeros), bytes.end());
  std::string digits;
  while (!number.empty()) {
    unsigned rem = 0;
    Bytes quotient;
    for (uint8_t b : number) {
      unsigned cur = rem * 256 + b;
      if (!quotient.empty() || cur / 58 != 0) quotient.push_back(static_cast<uint8_t>(cur / 58));
      rem = cur % 58;
    }
    digits.push_back(kAlphabet[rem]);
    number = quotient;
  }
  std::reverse(digits.begin(), digits.end());
  return std::string(zeros, '1') + digits;
}

Bytes FromHex(std::string_view hex) {
  auto r = HexDecode(hex);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : Bytes{};
}

struct Vector {
  const char* hex;
  const char* b58;
};

// Known answers used across base58btc implementations (Bitcoin's encode/decode vectors).
constexpr Vector kVectors[] = {
    {"", ""},
    {"61", "2g"},
    {"626262", "a3gV"},
    {"636363", "aPEr"},
    {"73696d706c792061206c6f6e6720737472696e67", "2cFupjhnEsSn59qHXstmK2ffpLv2"},
    {"00eb15231dfceb60925886b67d065299925915aeb172c06647", "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L"},
    {"516b6fcd0f", "ABnLTmg"},
    {"bf4f89001e670274dd", "3SEo3LWLoPntC"},
    {"572e4794", "3EFU7m"},
    {"ecac89cad93923c02321", "EJDM8drfXA6uyA"},
    {"10c8511e", "Rt5zm"},
    {"00000000000000000000", "1111111111"},
    {"00", "1"},
    {"0000287fb4cd", "11233QC4"},
};

TEST(Base58Test, KnownAnswers) {
  for (const auto& v : kVectors) {
    Bytes bytes = FromHex(v.hex);
    EXPECT_EQ(Base58Encode(bytes), v.b58) << v.hex;
    auto decoded = Base58Decode(v.b58);
    ASSERT_TRUE(decoded.ok()) << v.b58 << ": " << decoded.status().ToString();
    EXPECT_EQ(HexEncode(*decoded), v.hex);
  }
}

TEST(Base58Test, RejectsCharactersOutsideTheAlphabet) {
  EXPECT_EQ(Base58Decode("abcl").status().message(), "base58: invalid character 'l' at offset 3");
  EXPECT_EQ(Base58Decode("0").status().message(), "base58: invalid character '0' at offset 0");
  EXPECT_EQ(Base58Decode("1I").status().message(), "base58: invalid character 'I' at offset 1");
  EXPECT_EQ(Base58Decode("2O").status().message(), "base58: invalid character 'O' at offset 1");
  EXPECT_EQ(Base58Decode("2g ").status().message(), "base58: invalid character 0x20 at offset 2");
  EXPECT_EQ(Base58Decode(std::string("2g\0", 3)).status().message(),
            "base58: invalid character 0x00 at offset 2");
  EXPECT_EQ(Base58Decode("z+").status().code(), StatusCode::kInvalidArgument);
}

TEST(Base58Test, RefusesOverlongInput) {
  std::string at_limit(kMaxBase58DecodeInput, 'z');
  EXPECT_TRUE(Base58Decode(at_limit).ok());
  std::string over(kMaxBase58DecodeInput + 1, 'z');
  auto r = Base58Decode(over);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(r.status().message(), "base58: input of 8193 characters exceeds the limit of 8192");
}

TEST(Base58Test, RandomRoundTripsMatchReference) {
  std::mt19937_64 rng(58);
  for (int iter = 0; iter < 1500; ++iter) {
    Bytes bytes(rng() % 80);
    for (auto& b : bytes) b = static_cast<uint8_t>(rng());
    // Leading zeros and small values exercise the '1' rule and short limbs.
    size_t zeros = rng() % 4 == 0 ? std::min<size_t>(bytes.size(), rng() % 5) : 0;
    std::fill_n(bytes.begin(), zeros, 0);
    const std::string text = Base58Encode(bytes);
    ASSERT_EQ(text, ReferenceEncode(bytes)) << HexEncode(bytes);
    auto decoded = Base58Decode(text);
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    ASSERT_EQ(*decoded, bytes) << text;
  }
}

TEST(Base58Test, RandomTextRoundTrips) {
  // Every string over the alphabet is canonical: decode then encode gives it back.
  std::mt19937_64 rng(1958);
  for (int iter = 0; iter < 1500; ++iter) {
    std::string text(rng() % 60, '1');
    for (auto& c : text) c = kAlphabet[rng() % 58];
    if (rng() % 3 == 0) text.insert(0, rng() % 4, '1');
    auto decoded = Base58Decode(text);
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    ASSERT_EQ(Base58Encode(*decoded), text);
  }
}

TEST(Base58Test, LargestAcceptedInputRoundTrips) {
  std::mt19937_64 rng(8192);
  std::string text(kMaxBase58DecodeInput, '1');
  for (size_t i = 3; i < text.size(); ++i) text[i] = kAlphabet[rng() % 58];
  auto decoded = Base58Decode(text);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(Base58Encode(*decoded), text);
}

}  // namespace
}  // namespace traceport::codec
