#include "jose/key.h"

#include <gtest/gtest.h>

#include "common/testing/fake_random.h"

namespace traceport::jose {
namespace {

TEST(KeyTest, NamesAndAlgorithms) {
  EXPECT_EQ(*ParseKeyType("P-256"), KeyType::kP256);
  EXPECT_EQ(*ParseKeyType("ED25519"), KeyType::kEd25519);
  EXPECT_FALSE(ParseKeyType("rsa").ok());
  EXPECT_EQ(*ParseAlgorithm("ES384"), Algorithm::kES384);
  EXPECT_EQ(ParseAlgorithm("none").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseAlgorithm("NONE").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseAlgorithm("RS256").status().code(), StatusCode::kUnimplemented);
  EXPECT_EQ(ParseAlgorithm("es256").status().code(), StatusCode::kUnimplemented);
  EXPECT_EQ(AlgorithmFor(KeyType::kP384), Algorithm::kES384);
}

TEST(KeyTest, SignVerifyAndMultikeyRoundTrip) {
  testing::FakeRandom rng(9);
  const std::string msg = "traceport";
  auto bytes = std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(msg.data()), msg.size());
  for (KeyType t : {KeyType::kEd25519, KeyType::kP256, KeyType::kP384}) {
    auto key = PrivateKey::Generate(t, rng);
    ASSERT_TRUE(key.ok());
    auto sig = key->Sign(bytes);
    ASSERT_TRUE(sig.ok());
    EXPECT_EQ(sig->size(), t == KeyType::kP384 ? 96u : 64u);
    EXPECT_TRUE(key->public_key().Verify(key->algorithm(), bytes, *sig).ok());
    (*sig)[0] ^= 1;
    EXPECT_EQ(key->public_key().Verify(key->algorithm(), bytes, *sig).code(),
              StatusCode::kPermissionDenied);
    // A signature of the wrong length is a failed verification, not a crash.
    sig->pop_back();
    EXPECT_EQ(key->public_key().Verify(key->algorithm(), bytes, *sig).code(),
              StatusCode::kPermissionDenied);
    std::string mk = key->public_key().ToMultikey();
    auto back = PublicKey::FromMultikey(mk);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_TRUE(*back == key->public_key());
    auto clone = key->Clone();
    EXPECT_TRUE(clone.public_key() == key->public_key());
    auto raw = key->ExportRaw();
    EXPECT_TRUE(PrivateKey::FromRaw(t, raw.span())->public_key() == key->public_key());
  }
}

TEST(KeyTest, MultikeyPrefixes) {
  testing::FakeRandom rng(4);
  EXPECT_EQ(PrivateKey::Generate(KeyType::kEd25519, rng)->public_key().ToMultikey().substr(0, 4),
            "z6Mk");
  EXPECT_EQ(PrivateKey::Generate(KeyType::kP256, rng)->public_key().ToMultikey().substr(0, 4),
            "zDna");
  EXPECT_EQ(PrivateKey::Generate(KeyType::kP384, rng)->public_key().ToMultikey().substr(0, 4),
            "z82L");
}

TEST(KeyTest, AlgorithmKeyMismatchIsRejected) {
  testing::FakeRandom rng(5);
  auto ed = *PrivateKey::Generate(KeyType::kEd25519, rng);
  std::vector<uint8_t> msg = {1, 2, 3};
  auto sig = *ed.Sign(msg);
  Status s = ed.public_key().Verify(Algorithm::kES256, msg, sig);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("does not match"), std::string_view::npos);
}

TEST(KeyTest, RejectsBadMultikeys) {
  EXPECT_FALSE(PublicKey::FromMultikey("").ok());
  EXPECT_FALSE(PublicKey::FromMultikey("u7QE").ok());
  EXPECT_FALSE(PublicKey::FromMultikey("zTjsVPtY").ok());  // too short for Ed25519
  // secp256k1 is a known codec we do not sign with.
  std::vector<uint8_t> k1 = {0xe7, 0x01};
  k1.resize(35, 2);
  EXPECT_EQ(PublicKey::FromMulticodec(k1).status().code(), StatusCode::kUnimplemented);
}

}  // namespace
}  // namespace traceport::jose
