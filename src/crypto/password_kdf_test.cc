#include "crypto/password_kdf.h"

#include <gtest/gtest.h>

#include <span>
#include <string>
#include <vector>

#include "common/testing/fake_random.h"
#include "crypto/internal/hex_test_util.h"

namespace traceport::crypto {
namespace {

using internal::Bytes;
using internal::ToHex;

Argon2idParams Small(uint64_t ops, uint64_t mem_kib, std::string_view salt) {
  Argon2idParams p;
  p.ops_limit = ops;
  p.mem_limit_bytes = mem_kib * 1024;
  std::copy(salt.begin(), salt.end(), p.salt.begin());
  return p;
}

// Expected values computed independently with Python `cryptography` 48 (OpenSSL's Argon2id,
// lanes = 1, version 0x13), since libsodium is the implementation under test.
TEST(Argon2idTest, KnownAnswers) {
  auto k1 = DeriveKeyArgon2id(Bytes("correct horse battery staple"),
                              Small(2, 64, "0123456789abcdef"), 32);
  ASSERT_TRUE(k1.ok()) << k1.status().ToString();
  EXPECT_EQ(ToHex(k1->span()), "800c095b9bf1e62b67d95f4a1e51148f2502ae90d880ac907f480c6871b1d61e");

  // Smallest accepted parameters: empty password, 1 pass, 8 KiB, 16-byte key.
  auto k2 = DeriveKeyArgon2id({}, Small(1, 8, std::string(16, '\0')), 16);
  ASSERT_TRUE(k2.ok()) << k2.status().ToString();
  EXPECT_EQ(ToHex(k2->span()), "b006c1ede0239691562b55a5d1f152b9");

  std::vector<uint8_t> password(256);
  for (int i = 0; i < 256; ++i) password[i] = static_cast<uint8_t>(i);
  auto k3 = DeriveKeyArgon2id(password, Small(3, 256, "0123456789abcdef"), 64);
  ASSERT_TRUE(k3.ok()) << k3.status().ToString();
  EXPECT_EQ(ToHex(k3->span()),
            "ca1da8112966fd08c9be52d4ce5f5b75dff94f61f7f9bf657ba7981c78e1bc2236f6916dfb80e47e379eb"
            "c57c920f7b4b10a1076899d98a11c763f3e6603dcbb");
}

TEST(Argon2idTest, EveryParameterChangesTheKey) {
  const Argon2idParams base = Small(1, 16, "aaaaaaaaaaaaaaaa");
  auto derive = [](std::string_view pw, const Argon2idParams& p) {
    auto k = DeriveKeyArgon2id(Bytes(pw), p, 32);
    EXPECT_TRUE(k.ok()) << k.status().ToString();
    return k.ok() ? ToHex(k->span()) : std::string();
  };
  const std::string reference = derive("pw", base);
  EXPECT_EQ(derive("pw", base), reference);
  EXPECT_NE(derive("pW", base), reference);
  EXPECT_NE(derive("pw", Small(2, 16, "aaaaaaaaaaaaaaaa")), reference);
  EXPECT_NE(derive("pw", Small(1, 17, "aaaaaaaaaaaaaaaa")), reference);
  EXPECT_NE(derive("pw", Small(1, 16, "aaaaaaaaaaaaaaab")), reference);
}

TEST(Argon2idTest, PresetsAreValidAndGetFreshSalts) {
  testing::FakeRandom random(1);
  const Argon2idParams interactive = NewArgon2idParams(Argon2idPreset::kInteractive, random);
  const Argon2idParams moderate = NewArgon2idParams(Argon2idPreset::kModerate, random);
  EXPECT_EQ(interactive.ops_limit, 2u);
  EXPECT_EQ(interactive.mem_limit_bytes, 64u << 20);
  EXPECT_EQ(moderate.ops_limit, 3u);
  EXPECT_EQ(moderate.mem_limit_bytes, 256u << 20);
  EXPECT_TRUE(ValidateArgon2idParams(interactive).ok());
  EXPECT_TRUE(ValidateArgon2idParams(moderate).ok());
  EXPECT_NE(interactive.salt, moderate.salt);
  EXPECT_NE(interactive.salt, (std::array<uint8_t, kArgon2idSaltSize>{}));
}

TEST(Argon2idTest, RejectsParametersOutOfBounds) {
  struct Case {
    uint64_t ops;
    uint64_t mem;
    StatusCode code;
  };
  const Case cases[] = {
      {0, 64 << 10, StatusCode::kInvalidArgument},
      {9, 64 << 10, StatusCode::kResourceExhausted},
      {uint64_t{1} << 40, 64 << 10, StatusCode::kResourceExhausted},
      {1, 4 << 10, StatusCode::kInvalidArgument},
      {1, 0, StatusCode::kInvalidArgument},
      {1, (uint64_t{1} << 30) + 1024, StatusCode::kResourceExhausted},
      {1, uint64_t{1} << 42, StatusCode::kResourceExhausted},  // a 4 TiB demand from a file
      {1, ~uint64_t{0}, StatusCode::kResourceExhausted},
      {1, 64 * 1024 + 1, StatusCode::kInvalidArgument},  // not whole KiB
  };
  for (const Case& c : cases) {
    Argon2idParams p = Small(1, 8, "");
    p.ops_limit = c.ops;
    p.mem_limit_bytes = c.mem;
    EXPECT_EQ(ValidateArgon2idParams(p).code(), c.code) << c.ops << " " << c.mem;
    EXPECT_EQ(DeriveKeyArgon2id(Bytes("pw"), p, 32).status().code(), c.code);
  }
  Argon2idParams at_max = Small(kArgon2idMaxOpsLimit, 8, "");
  at_max.mem_limit_bytes = kArgon2idMaxMemLimitBytes;
  EXPECT_TRUE(ValidateArgon2idParams(at_max).ok());
}

TEST(Argon2idTest, RejectsKeySizesOutOfRange) {
  const Argon2idParams p = Small(1, 8, "saltsaltsaltsalt");
  for (size_t size : {0u, 15u, 65u, 1000u}) {
    EXPECT_EQ(DeriveKeyArgon2id(Bytes("pw"), p, size).status().code(), StatusCode::kInvalidArgument)
        << size;
  }
}

// Standard base64 without padding, as the PHC string format writes salt and hash.
std::string B64(std::span<const uint8_t> in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (uint8_t b : in) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kAlphabet[(acc >> bits) & 63];
    }
  }
  if (bits > 0) out += kAlphabet[(acc << (6 - bits)) & 63];
  return out;
}

TEST(PasswordHashTest, RoundTripAndWrongPasswords) {
  auto h = HashPasswordArgon2id("correct horse battery staple");
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->rfind("$argon2id$v=19$m=65536,t=2,p=1$", 0), 0u) << *h;
  EXPECT_TRUE(VerifyPasswordArgon2id(*h, "correct horse battery staple"));
  EXPECT_FALSE(VerifyPasswordArgon2id(*h, "correct horse battery stapl"));
  EXPECT_FALSE(VerifyPasswordArgon2id(*h, ""));
  // A fresh salt every time.
  auto h2 = HashPasswordArgon2id("correct horse battery staple");
  ASSERT_TRUE(h2.ok());
  EXPECT_NE(*h, *h2);
}

// The stored form is the PHC string of the raw Argon2id output: build one from the
// known-answer derivation above and check that it verifies.
TEST(PasswordHashTest, VerifiesAPhcStringBuiltFromTheRawDerivation) {
  const std::string salt = "0123456789abcdef";
  auto key = DeriveKeyArgon2id(Bytes("hunter2 hunter2"), Small(2, 64, salt), 32);
  ASSERT_TRUE(key.ok());
  const std::vector<uint8_t> salt_bytes(salt.begin(), salt.end());
  const std::string encoded = "$argon2id$v=19$m=64,t=2,p=1$" + B64(salt_bytes) + "$" +
                              B64(std::span<const uint8_t>(key->data(), key->size()));
  EXPECT_TRUE(VerifyPasswordArgon2id(encoded, "hunter2 hunter2"));
  EXPECT_FALSE(VerifyPasswordArgon2id(encoded, "hunter2 hunter3"));
}

TEST(PasswordHashTest, RefusesHostileOrMalformedHashes) {
  const std::string tail = "$MDEyMzQ1Njc4OWFiY2RlZg$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  // 4 TiB of memory, 1000 passes, parallelism 4, argon2i, missing parts: refused before
  // libsodium is asked to allocate anything.
  EXPECT_FALSE(VerifyPasswordArgon2id("$argon2id$v=19$m=4294967296,t=2,p=1" + tail, "x"));
  EXPECT_FALSE(VerifyPasswordArgon2id("$argon2id$v=19$m=65536,t=1000,p=1" + tail, "x"));
  EXPECT_FALSE(VerifyPasswordArgon2id("$argon2id$v=19$m=65536,t=2,p=4" + tail, "x"));
  EXPECT_FALSE(VerifyPasswordArgon2id("$argon2i$v=19$m=65536,t=2,p=1" + tail, "x"));
  EXPECT_FALSE(VerifyPasswordArgon2id("$argon2id$v=19$m=65536,t=2" + tail, "x"));
  EXPECT_FALSE(VerifyPasswordArgon2id("$argon2id$v=19$m=65536,t=2,p=1", "x"));
  EXPECT_FALSE(VerifyPasswordArgon2id("", "x"));
  EXPECT_FALSE(VerifyPasswordArgon2id("plaintext", "plaintext"));
}

TEST(PasswordHashTest, RefusesOverlongPasswords) {
  const std::string big(kMaxPasswordBytes + 1, 'a');
  auto h = HashPasswordArgon2id(big);
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.status().code(), StatusCode::kInvalidArgument);
  auto ok = HashPasswordArgon2id("short");
  ASSERT_TRUE(ok.ok());
  EXPECT_FALSE(VerifyPasswordArgon2id(*ok, big));
}

}  // namespace
}  // namespace traceport::crypto
