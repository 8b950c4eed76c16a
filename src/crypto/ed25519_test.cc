#include "crypto/ed25519.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "common/testing/fake_random.h"
#include "crypto/internal/hex_test_util.h"
#include "crypto/random.h"

namespace traceport::crypto {
namespace {

using internal::Bytes;
using internal::Hex;
using internal::ToHex;

// RFC 8032 section 7.1, TEST 2 (one-byte message 0x72).
constexpr char kSeed[] = "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb";
constexpr char kPublic[] = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";
constexpr char kSignature[] =
    "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f1"
    "1d8c387b2eaeb4302aeeb00d291612bb0c00";

TEST(Ed25519Test, Rfc8032KnownAnswer) {
  auto key = Ed25519PrivateKey::FromSeed(Hex(kSeed));
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(ToHex(key->public_key().bytes()), kPublic);
  EXPECT_EQ(ToHex(key->seed()), kSeed);
  EXPECT_EQ(ToHex(key->Sign(Hex("72"))), kSignature);

  auto pub = Ed25519PublicKey::FromSeed(Hex(kSeed));
  ASSERT_TRUE(pub.ok());
  EXPECT_EQ(ToHex(pub->bytes()), kPublic);

  auto parsed = Ed25519PublicKey::FromBytes(Hex(kPublic));
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed->Verify(Hex("72"), Hex(kSignature)).ok());
}

TEST(Ed25519Test, SignVerifyRoundTripAcrossMessageLengths) {
  testing::FakeRandom random(1);
  const Ed25519PrivateKey key = Ed25519PrivateKey::Generate(random);
  for (size_t len : {0u, 1u, 63u, 64u, 65u, 1000u}) {
    std::vector<uint8_t> message(len, 0x5a);
    const Ed25519Signature sig = key.Sign(message);
    EXPECT_TRUE(key.public_key().Verify(message, sig).ok()) << len;
    EXPECT_EQ(key.Sign(message), sig) << "signing must be deterministic";
  }
}

TEST(Ed25519Test, GenerateDependsOnlyOnTheRandomSource) {
  testing::FakeRandom a(7), b(7), c(8);
  const auto ka = Ed25519PrivateKey::Generate(a);
  const auto kb = Ed25519PrivateKey::Generate(b);
  const auto kc = Ed25519PrivateKey::Generate(c);
  EXPECT_EQ(ka.public_key(), kb.public_key());
  EXPECT_FALSE(ka.public_key() == kc.public_key());
  const auto kd = Ed25519PrivateKey::Generate(DefaultCsprng());
  EXPECT_FALSE(ka.public_key() == kd.public_key());
}

TEST(Ed25519Test, CloneSignsIdentically) {
  testing::FakeRandom random(3);
  const auto key = Ed25519PrivateKey::Generate(random);
  const auto copy = key.Clone();
  EXPECT_EQ(copy.public_key(), key.public_key());
  EXPECT_EQ(copy.Sign(Bytes("m")), key.Sign(Bytes("m")));
  EXPECT_NE(copy.seed().data(), key.seed().data());
}

TEST(Ed25519Test, RejectsWrongSizes) {
  EXPECT_EQ(Ed25519PrivateKey::FromSeed(Hex("00")).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Ed25519PrivateKey::FromSeed(std::vector<uint8_t>(33)).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(Ed25519PrivateKey::FromSeed(std::vector<uint8_t>(64)).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(Ed25519PublicKey::FromSeed({}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Ed25519PublicKey::FromBytes(std::vector<uint8_t>(31)).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(Ed25519PublicKey::FromBytes(std::vector<uint8_t>(33)).status().code(),
            StatusCode::kInvalidArgument);

  auto pub = Ed25519PublicKey::FromBytes(Hex(kPublic));
  ASSERT_TRUE(pub.ok());
  std::vector<uint8_t> sig = Hex(kSignature);
  sig.pop_back();
  EXPECT_EQ(pub->Verify(Hex("72"), sig).code(), StatusCode::kInvalidArgument);
  sig.push_back(0x00);
  sig.push_back(0x00);
  EXPECT_EQ(pub->Verify(Hex("72"), sig).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(pub->Verify(Hex("72"), {}).code(), StatusCode::kInvalidArgument);
}

TEST(Ed25519Test, RejectsAnyFlippedBitAndOtherMessages) {
  auto pub = Ed25519PublicKey::FromBytes(Hex(kPublic));
  ASSERT_TRUE(pub.ok());
  const std::vector<uint8_t> sig = Hex(kSignature);
  for (size_t bit = 0; bit < 8 * sig.size(); ++bit) {
    std::vector<uint8_t> bad = sig;
    bad[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    EXPECT_EQ(pub->Verify(Hex("72"), bad).code(), StatusCode::kPermissionDenied) << bit;
  }
  EXPECT_EQ(pub->Verify(Hex("73"), sig).code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(pub->Verify({}, sig).code(), StatusCode::kPermissionDenied);
}

// S + L is the same scalar modulo L, so a cofactorless check without the S < L bound would
// accept it: the classic Ed25519 malleability. The policy rejects it.
TEST(Ed25519Test, RejectsMalleatedScalar) {
  auto pub = Ed25519PublicKey::FromBytes(Hex(kPublic));
  ASSERT_TRUE(pub.ok());
  std::vector<uint8_t> sig = Hex(kSignature);
  // L = 2^252 + 27742317777372353535851937790883648493, little-endian.
  const std::vector<uint8_t> l =
      Hex("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
  unsigned carry = 0;
  for (size_t i = 0; i < 32; ++i) {
    const unsigned sum = sig[32 + i] + l[i] + carry;
    sig[32 + i] = static_cast<uint8_t>(sum);
    carry = sum >> 8;
  }
  ASSERT_EQ(carry, 0u);  // S + L still fits in 32 bytes for this signature
  EXPECT_EQ(pub->Verify(Hex("72"), sig).code(), StatusCode::kPermissionDenied);
}

// The identity point (encoded 01 00..00) has small order: no signature under it is accepted,
// even the trivially "valid" R = identity, S = 0.
TEST(Ed25519Test, RejectsSmallOrderPublicKey) {
  std::vector<uint8_t> identity(32, 0);
  identity[0] = 1;
  auto pub = Ed25519PublicKey::FromBytes(identity);
  ASSERT_TRUE(pub.ok());
  std::vector<uint8_t> sig(64, 0);
  sig[0] = 1;
  EXPECT_EQ(pub->Verify(Bytes("anything"), sig).code(), StatusCode::kPermissionDenied);
}

TEST(Ed25519Test, ConcurrentUseOfOneKey) {
  testing::FakeRandom random(11);
  const auto key = Ed25519PrivateKey::Generate(random);
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&key, &failures, t] {
      for (int i = 0; i < 50; ++i) {
        std::vector<uint8_t> msg = {static_cast<uint8_t>(t), static_cast<uint8_t>(i)};
        if (!key.public_key().Verify(msg, key.Sign(msg)).ok()) ++failures[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace traceport::crypto
