#include "crypto/aead.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/testing/fake_random.h"
#include "crypto/internal/hex_test_util.h"
#include "crypto/random.h"

namespace traceport::crypto {
namespace {

using internal::Bytes;
using internal::Hex;
using internal::ToHex;

std::vector<uint8_t> Plain(const SecretBytes& s) {
  return std::vector<uint8_t>(s.span().begin(), s.span().end());
}

// draft-irtf-cfrg-xchacha-03, appendix A.3.1 (the value was also recomputed independently from
// HChaCha20 plus RFC 8439 ChaCha20-Poly1305).
TEST(AeadTest, XChaCha20Poly1305KnownAnswer) {
  std::vector<uint8_t> key_bytes, nonce;
  for (int i = 0x80; i < 0xa0; ++i) key_bytes.push_back(static_cast<uint8_t>(i));
  for (int i = 0x40; i < 0x58; ++i) nonce.push_back(static_cast<uint8_t>(i));
  const std::vector<uint8_t> ad = Hex("50515253c0c1c2c3c4c5c6c7");
  const auto plaintext = Bytes(
      "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the "
      "future, sunscreen would be it.");
  const std::string expected =
      "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4ed"
      "a7e39ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b23"
      "83565d3fff921f9664c97637da9768812f615c68b13b52e"
      "c0875924c1c7987947deafd8780acf49";

  auto key = AeadKey::FromBytes(key_bytes);
  ASSERT_TRUE(key.ok());
  auto sealed = AeadSealWithNonce(*key, nonce, plaintext, ad);
  ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
  EXPECT_EQ(ToHex(*sealed), expected);

  auto opened = AeadOpenWithNonce(*key, nonce, Hex(expected), ad);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(Plain(*opened), std::vector<uint8_t>(plaintext.begin(), plaintext.end()));
}

TEST(AeadTest, SealOpenRoundTrip) {
  testing::FakeRandom random(1);
  const AeadKey key = AeadKey::Generate(random);
  for (size_t len : {0u, 1u, 64u, 1000u}) {
    std::vector<uint8_t> plaintext(len, 0x33);
    auto sealed = AeadSeal(key, plaintext, Bytes("ad"), random);
    ASSERT_TRUE(sealed.ok());
    EXPECT_EQ(sealed->size(), len + kAeadOverhead);
    auto opened = AeadOpen(key, *sealed, Bytes("ad"));
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    EXPECT_EQ(Plain(*opened), plaintext);
  }
}

TEST(AeadTest, EachSealUsesAFreshNonce) {
  const AeadKey key = AeadKey::Generate(DefaultCsprng());
  auto a = AeadSeal(key, Bytes("same"), {}, DefaultCsprng());
  auto b = AeadSeal(key, Bytes("same"), {}, DefaultCsprng());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  EXPECT_NE(std::vector<uint8_t>(a->begin(), a->begin() + kAeadNonceSize),
            std::vector<uint8_t>(b->begin(), b->begin() + kAeadNonceSize));
}

TEST(AeadTest, AnyModifiedByteIsDetected) {
  testing::FakeRandom random(2);
  const AeadKey key = AeadKey::Generate(random);
  auto sealed = AeadSeal(key, Bytes("secret key material"), Bytes("v1"), random);
  ASSERT_TRUE(sealed.ok());
  // Every position: nonce, ciphertext and tag.
  for (size_t i = 0; i < sealed->size(); ++i) {
    std::vector<uint8_t> bad = *sealed;
    bad[i] ^= 0x01;
    EXPECT_EQ(AeadOpen(key, bad, Bytes("v1")).status().code(), StatusCode::kDataLoss) << i;
  }
  std::vector<uint8_t> truncated(sealed->begin(), sealed->end() - 1);
  EXPECT_EQ(AeadOpen(key, truncated, Bytes("v1")).status().code(), StatusCode::kDataLoss);
  std::vector<uint8_t> extended = *sealed;
  extended.push_back(0);
  EXPECT_EQ(AeadOpen(key, extended, Bytes("v1")).status().code(), StatusCode::kDataLoss);
}

TEST(AeadTest, WrongKeyOrAssociatedDataIsDetected) {
  testing::FakeRandom random(3);
  const AeadKey key = AeadKey::Generate(random);
  const AeadKey other = AeadKey::Generate(random);
  auto sealed = AeadSeal(key, Bytes("m"), Bytes("context-a"), random);
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(AeadOpen(other, *sealed, Bytes("context-a")).status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(AeadOpen(key, *sealed, Bytes("context-b")).status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(AeadOpen(key, *sealed, {}).status().code(), StatusCode::kDataLoss);
}

TEST(AeadTest, RejectsMalformedInputs) {
  EXPECT_EQ(AeadKey::FromBytes(std::vector<uint8_t>(31)).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(AeadKey::FromBytes(std::vector<uint8_t>(33)).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(AeadKey::FromBytes({}).status().code(), StatusCode::kInvalidArgument);

  testing::FakeRandom random(4);
  const AeadKey key = AeadKey::Generate(random);
  for (size_t len : {0u, 1u, 39u}) {
    EXPECT_EQ(AeadOpen(key, std::vector<uint8_t>(len), {}).status().code(),
              StatusCode::kInvalidArgument)
        << len;
  }
  // Exactly nonce + tag is a well-formed (empty) message, just not an authentic one.
  EXPECT_EQ(AeadOpen(key, std::vector<uint8_t>(40), {}).status().code(), StatusCode::kDataLoss);

  for (size_t len : {0u, 12u, 23u, 25u}) {
    std::vector<uint8_t> nonce(len);
    EXPECT_EQ(AeadSealWithNonce(key, nonce, Bytes("m"), {}).status().code(),
              StatusCode::kInvalidArgument);
    EXPECT_EQ(AeadOpenWithNonce(key, nonce, std::vector<uint8_t>(20), {}).status().code(),
              StatusCode::kInvalidArgument);
  }
  const std::vector<uint8_t> nonce(kAeadNonceSize);
  EXPECT_EQ(AeadOpenWithNonce(key, nonce, std::vector<uint8_t>(15), {}).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace traceport::crypto
