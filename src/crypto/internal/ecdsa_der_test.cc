#include "crypto/internal/ecdsa_der.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "crypto/internal/hex_test_util.h"

namespace traceport::crypto::internal {
namespace {

std::vector<uint8_t> ToDer(const std::vector<uint8_t>& rs) {
  std::vector<uint8_t> out(MaxDerSignatureSize(rs.size() / 2));
  out.resize(P1363ToDer(rs, out));
  return out;
}

Status Parse(const std::vector<uint8_t>& der, size_t width, std::vector<uint8_t>* rs) {
  rs->assign(2 * width, 0xee);
  return DerToP1363(der, *rs);
}

TEST(EcdsaDerTest, EncodesMinimalIntegers) {
  // r = 1 (leading zeros stripped), s = 0x80.. (needs a 0x00 sign byte).
  std::vector<uint8_t> rs(64, 0);
  rs[31] = 0x01;
  rs[32] = 0x80;
  const std::vector<uint8_t> der = ToDer(rs);
  EXPECT_EQ(ToHex(der), "3026020101022100" + ToHex(std::span(rs).subspan(32)));
  // Zero still occupies one content byte.
  EXPECT_EQ(ToHex(ToDer(std::vector<uint8_t>(64, 0))), "3006020100020100");
}

TEST(EcdsaDerTest, RoundTripsRandomValuesOfEveryShape) {
  std::mt19937 rng(99);
  for (size_t width : {32u, 48u}) {
    for (int i = 0; i < 2000; ++i) {
      std::vector<uint8_t> rs(2 * width);
      for (auto& b : rs) b = static_cast<uint8_t>(rng());
      // Vary the shapes: leading zero bytes and top bits set or clear.
      const size_t zeros_r = rng() % 4, zeros_s = rng() % 4;
      for (size_t k = 0; k < zeros_r; ++k) rs[k] = 0;
      for (size_t k = 0; k < zeros_s; ++k) rs[width + k] = 0;
      const std::vector<uint8_t> der = ToDer(rs);
      ASSERT_LE(der.size(), MaxDerSignatureSize(width));
      std::vector<uint8_t> back;
      ASSERT_TRUE(Parse(der, width, &back).ok()) << ToHex(der);
      ASSERT_EQ(back, rs);
    }
  }
}

TEST(EcdsaDerTest, AcceptsTheLongestSignature) {
  // Both integers need the 0x00 sign byte: 72 bytes, the maximum for a 32-byte curve.
  const std::vector<uint8_t> der =
      Hex("3046022100" + std::string(64, 'a') + "022100" + std::string(64, 'b'));
  ASSERT_EQ(der.size(), MaxDerSignatureSize(32));
  std::vector<uint8_t> back;
  ASSERT_TRUE(Parse(der, 32, &back).ok());
  EXPECT_EQ(ToHex(back), std::string(64, 'a') + std::string(64, 'b'));
}

TEST(EcdsaDerTest, RejectsNonDerEncodings) {
  const std::string r = "020101", s = "020102";  // INTEGER 1, INTEGER 2
  const std::vector<std::string> bad = {
      "",                                    // empty
      "30",                                  // truncated header
      "3106" + r + s,                        // SET instead of SEQUENCE
      "308106" + r + s,                      // long-form length
      "3080" + r + s + "0000",               // indefinite length
      "3007" + r + s,                        // length larger than the data
      "3005" + r + s,                        // length smaller than the data
      "3006" + r + s + "00",                 // trailing byte after the SEQUENCE
      "3009" + r + s + "020100",             // a third INTEGER
      "3008" + r + s + "0500",               // trailing NULL inside
      "3003" + r,                            // s missing
      "3006" + std::string("030101") + s,    // BIT STRING instead of INTEGER
      "30050200" + s,                        // empty INTEGER
      "3007" + std::string("02020001") + s,  // superfluous leading zero
      "3007" + std::string("0202ff01") + s,  // negative INTEGER
      "3006" + std::string("020181") + s,    // negative INTEGER (0x81)
      "3007" + std::string("02810101") + s,  // long-form INTEGER length
      "3006" + r + "020180",                 // negative s
  };
  for (const std::string& hex : bad) {
    std::vector<uint8_t> back;
    EXPECT_EQ(Parse(Hex(hex), 32, &back).code(), StatusCode::kInvalidArgument) << hex;
  }
}

TEST(EcdsaDerTest, RejectsIntegersWiderThanTheCurve) {
  // 33 significant bytes for a 32-byte curve.
  const std::string wide = "0221" + std::string(2, '1') + std::string(64, '2');
  std::vector<uint8_t> back;
  EXPECT_EQ(Parse(Hex("3026" + wide + "020101"), 32, &back).code(), StatusCode::kInvalidArgument);
  // The same is fine for a 48-byte curve.
  EXPECT_TRUE(Parse(Hex("3026" + wide + "020101"), 48, &back).ok());
}

}  // namespace
}  // namespace traceport::crypto::internal
