#include "codec/hex.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace traceport::codec {
namespace {

using Bytes = std::vector<uint8_t>;

TEST(HexTest, EncodesLowercase) {
  EXPECT_EQ(HexEncode(Bytes{}), "");
  EXPECT_EQ(HexEncode(Bytes{0x00, 0xff, 0x10, 0xab}), "00ff10ab");
  EXPECT_EQ(HexEncode(std::string_view("AZ")), "415a");
}

TEST(HexTest, DecodesEitherCase) {
  auto r = HexDecode("00FFaB1c");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, (Bytes{0x00, 0xff, 0xab, 0x1c}));
  auto empty = HexDecode("");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST(HexTest, RejectsOddLength) {
  auto r = HexDecode("abc");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "hex: odd length 3");
}

TEST(HexTest, RejectsBadCharactersWithOffset) {
  EXPECT_EQ(HexDecode("00g0").status().message(), "hex: invalid character 'g' at offset 2");
  EXPECT_EQ(HexDecode("000G").status().message(), "hex: invalid character 'G' at offset 3");
  EXPECT_EQ(HexDecode("0x00").status().message(), "hex: invalid character 'x' at offset 1");
  EXPECT_EQ(HexDecode("00 0").status().message(), "hex: invalid character 0x20 at offset 2");
  EXPECT_EQ(HexDecode(std::string("0\xff", 2)).status().message(),
            "hex: invalid character 0xff at offset 1");
  EXPECT_EQ(HexDecode(std::string("\0a", 2)).status().message(),
            "hex: invalid character 0x00 at offset 0");
}

TEST(HexTest, RoundTripsRandomBytesAgainstPrintf) {
  std::mt19937_64 rng(20261126);
  for (int iter = 0; iter < 500; ++iter) {
    Bytes bytes(rng() % 70);
    for (auto& b : bytes) b = static_cast<uint8_t>(rng());
    std::string reference;
    for (uint8_t b : bytes) {
      char buf[3];
      std::snprintf(buf, sizeof(buf), "%02x", b);
      reference += buf;
    }
    std::string encoded = HexEncode(bytes);
    ASSERT_EQ(encoded, reference);
    auto decoded = HexDecode(encoded);
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    ASSERT_EQ(*decoded, bytes);
  }
}

TEST(HexTest, EveryByteValueIsClassifiedCorrectly) {
  for (int c = 0; c < 256; ++c) {
    std::string text = {'0', static_cast<char>(c)};
    bool is_hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    EXPECT_EQ(HexDecode(text).ok(), is_hex) << c;
  }
}

}  // namespace
}  // namespace traceport::codec
