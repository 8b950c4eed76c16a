#include "crypto/hmac.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "crypto/internal/hex_test_util.h"

namespace traceport::crypto {
namespace {

using internal::Bytes;
using internal::Hex;
using internal::ToHex;

// RFC 4231 test cases 1 (short key) and 6 (key longer than the block size).
TEST(HmacTest, Rfc4231KnownAnswers) {
  const std::vector<uint8_t> key1(20, 0x0b);
  const std::vector<uint8_t> key6(131, 0xaa);
  const auto data1 = Bytes("Hi There");
  const auto data6 = Bytes("Test Using Larger Than Block-Size Key - Hash Key First");

  auto t = HmacSha256(key1, data1);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(ToHex(*t), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  t = HmacSha256(key6, data6);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(ToHex(*t), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");

  auto u = HmacSha384(key1, data1);
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(ToHex(*u),
            "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af15"
            "2e8b2fa9cb6");
  u = HmacSha384(key6, data6);
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(ToHex(*u),
            "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe829624"
            "8df163f44952");
}

// RFC 2104 allows an empty key; the value is from Python's hmac module.
TEST(HmacTest, EmptyKeyAndMessage) {
  auto t = HmacSha256({}, {});
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(ToHex(*t), "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
  auto u = HmacSha384({}, {});
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(ToHex(*u),
            "6c1f2ee938fad2e24bd91298474382ca218c75db3d83e114b3d4367776d14d3551289e75e8209cd4b7923"
            "02840234adc");
}

TEST(HmacTest, VerifyAcceptsTheRightTag) {
  const std::vector<uint8_t> key(32, 7);
  const auto data = Bytes("message");
  auto t = HmacSha256(key, data);
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(VerifyHmacSha256(key, data, *t).ok());
  auto u = HmacSha384(key, data);
  ASSERT_TRUE(u.ok());
  EXPECT_TRUE(VerifyHmacSha384(key, data, *u).ok());
}

TEST(HmacTest, VerifyRejectsAnyFlippedBit) {
  const std::vector<uint8_t> key(32, 7);
  const auto data = Bytes("message");
  auto t = HmacSha256(key, data);
  ASSERT_TRUE(t.ok());
  for (size_t bit = 0; bit < 8 * t->size(); ++bit) {
    Sha256Digest bad = *t;
    bad[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    EXPECT_EQ(VerifyHmacSha256(key, data, bad).code(), StatusCode::kPermissionDenied);
  }
  EXPECT_EQ(VerifyHmacSha256(key, Bytes("messagE"), *t).code(), StatusCode::kPermissionDenied);
  std::vector<uint8_t> other_key(32, 8);
  EXPECT_EQ(VerifyHmacSha256(other_key, data, *t).code(), StatusCode::kPermissionDenied);
}

TEST(HmacTest, VerifyRejectsTruncatedOrLongTags) {
  const std::vector<uint8_t> key(16, 1);
  auto t = HmacSha256(key, Bytes("x"));
  ASSERT_TRUE(t.ok());
  const std::span<const uint8_t> tag(*t);
  EXPECT_EQ(VerifyHmacSha256(key, Bytes("x"), tag.first(16)).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(VerifyHmacSha256(key, Bytes("x"), {}).code(), StatusCode::kInvalidArgument);
  std::vector<uint8_t> longer(tag.begin(), tag.end());
  longer.push_back(0);
  EXPECT_EQ(VerifyHmacSha256(key, Bytes("x"), longer).code(), StatusCode::kInvalidArgument);
  // A SHA-256 tag is the wrong size for SHA-384.
  EXPECT_EQ(VerifyHmacSha384(key, Bytes("x"), tag).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace traceport::crypto
