#include "node/vault.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "codec/base64.h"
#include "common/testing/fake_random.h"

namespace traceport::node {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

std::span<const uint8_t> Bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// Runs each test with TRACEPORT_MASTER_KEY unset (restoring any value it had) and in a fresh
// directory.
class VaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string env(kMasterKeyEnv);
    if (const char* v = std::getenv(env.c_str())) saved_env_ = v;
    ::unsetenv(env.c_str());
    static int counter = 0;
    dir_ = fs::temp_directory_path() /
           ("traceport_vault_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    const std::string env(kMasterKeyEnv);
    if (saved_env_) {
      ::setenv(env.c_str(), saved_env_->c_str(), 1);
    } else {
      ::unsetenv(env.c_str());
    }
    fs::remove_all(dir_);
  }

  static void SetEnv(const std::string& value) {
    ::setenv(std::string(kMasterKeyEnv).c_str(), value.c_str(), 1);
  }

  Vault LoadNew(const std::string& name, uint64_t seed) {
    testing::FakeRandom rng(seed);
    const fs::path file = dir_ / name;
    EXPECT_TRUE(Vault::CreateKeyFile(file, rng).ok());
    Result<Vault> v = Vault::Load(file);
    EXPECT_TRUE(v.ok()) << v.status();
    return std::move(*v);
  }

  static std::string ReadFile(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }

  fs::path dir_;
  std::optional<std::string> saved_env_;
  testing::FakeRandom rng_{100};
};

TEST_F(VaultTest, CreateKeyFileWritesMode0600) {
  const fs::path file = dir_ / "master.key";
  ASSERT_TRUE(Vault::CreateKeyFile(file, rng_).ok());
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // base64url of 32 bytes and a newline.
  std::string text = ReadFile(file);
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  text.pop_back();
  Result<std::vector<uint8_t>> raw = codec::Base64UrlDecode(text);
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw->size(), 32u);
}

TEST_F(VaultTest, CreateKeyFileRefusesToOverwrite) {
  const fs::path file = dir_ / "master.key";
  ASSERT_TRUE(Vault::CreateKeyFile(file, rng_).ok());
  const std::string before = ReadFile(file);
  Status again = Vault::CreateKeyFile(file, rng_);
  EXPECT_EQ(again.code(), StatusCode::kAlreadyExists) << again;
  EXPECT_EQ(ReadFile(file), before);
}

TEST_F(VaultTest, CreateKeyFileInAMissingDirectoryFails) {
  Status s = Vault::CreateKeyFile(dir_ / "no" / "such" / "master.key", rng_);
  EXPECT_EQ(s.code(), StatusCode::kInternal) << s;
}

TEST_F(VaultTest, LoadFromFile) {
  const fs::path file = dir_ / "master.key";
  ASSERT_TRUE(Vault::CreateKeyFile(file, rng_).ok());
  EXPECT_FALSE(Vault::FromEnvironment());
  Result<Vault> v = Vault::Load(file);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->fingerprint().size(), 16u);  // 8 bytes in hex
}

TEST_F(VaultTest, LoadWithoutKeyIsNotFound) {
  Result<Vault> v = Vault::Load(dir_ / "master.key");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(std::string(v.status().message()), HasSubstr("TRACEPORT_MASTER_KEY"));
}

TEST_F(VaultTest, LoadRefusesAGroupOrWorldReadableFile) {
  const fs::path file = dir_ / "master.key";
  ASSERT_TRUE(Vault::CreateKeyFile(file, rng_).ok());
  for (mode_t mode : {0644, 0640, 0604, 0660, 0601}) {
    ASSERT_EQ(::chmod(file.c_str(), mode), 0);
    Result<Vault> v = Vault::Load(file);
    ASSERT_FALSE(v.ok()) << std::oct << mode;
    EXPECT_EQ(v.status().code(), StatusCode::kFailedPrecondition) << std::oct << mode;
    EXPECT_THAT(std::string(v.status().message()), HasSubstr("chmod 600"));
  }
  ASSERT_EQ(::chmod(file.c_str(), 0400), 0);
  EXPECT_TRUE(Vault::Load(file).ok());
}

TEST_F(VaultTest, LoadRefusesAMalformedFile) {
  const fs::path file = dir_ / "master.key";
  const std::string secretish = "c2VjcmV0LXNlY3JldC1zZWNyZXQ";  // 20 bytes, too short
  {
    std::ofstream out(file);
    out << secretish << "\n";
  }
  ASSERT_EQ(::chmod(file.c_str(), 0600), 0);
  Result<Vault> v = Vault::Load(file);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(v.status().message()), Not(HasSubstr(secretish)));
}

TEST_F(VaultTest, LoadFromEnvironment) {
  std::vector<uint8_t> key(32);
  rng_.Fill(key);
  SetEnv(codec::Base64UrlEncode(key));
  EXPECT_TRUE(Vault::FromEnvironment());
  // The environment wins even over a missing file.
  Result<Vault> a = Vault::Load(dir_ / "absent.key");
  ASSERT_TRUE(a.ok()) << a.status();
  // Same key, same fingerprint; trailing newline tolerated.
  SetEnv(codec::Base64UrlEncode(key) + "\n");
  Result<Vault> b = Vault::Load(dir_ / "absent.key");
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(a->fingerprint(), b->fingerprint());
  // A value sealed by one opens with the other.
  Result<std::vector<uint8_t>> sealed = a->Seal(Bytes("hello"), "token-key", rng_);
  ASSERT_TRUE(sealed.ok());
  EXPECT_TRUE(b->Open(*sealed, "token-key").ok());
}

TEST_F(VaultTest, EmptyEnvironmentValueFallsBackToTheFile) {
  SetEnv("");
  EXPECT_FALSE(Vault::FromEnvironment());
  EXPECT_EQ(Vault::Load(dir_ / "absent.key").status().code(), StatusCode::kNotFound);
}

TEST_F(VaultTest, MalformedEnvironmentValueIsInvalidAndNotEchoed) {
  std::vector<uint8_t> key(32);
  rng_.Fill(key);
  const std::string good = codec::Base64UrlEncode(key);
  const std::string values[] = {
      good.substr(0, 40),        // too short
      good + "AAAA",             // too long
      good.substr(0, 42) + "!",  // not base64url
      good.substr(0, 42) + "+",  // standard alphabet
      "ThisIsNotAKeyButASecretPassphrase",
  };
  for (const std::string& value : values) {
    SetEnv(value);
    Result<Vault> v = Vault::Load(dir_ / "absent.key");
    ASSERT_FALSE(v.ok()) << value;
    EXPECT_EQ(v.status().code(), StatusCode::kInvalidArgument) << v.status();
    EXPECT_THAT(std::string(v.status().message()), Not(HasSubstr(value)));
    EXPECT_THAT(std::string(v.status().message()), Not(HasSubstr(value.substr(0, 12))));
    EXPECT_THAT(std::string(v.status().message()), HasSubstr("TRACEPORT_MASTER_KEY"));
  }
}

TEST_F(VaultTest, SealOpenRoundTrip) {
  Vault v = LoadNew("master.key", 1);
  for (const std::string& plain : {std::string(), std::string("x"), std::string(10000, 'q')}) {
    Result<std::vector<uint8_t>> sealed = v.Seal(Bytes(plain), "org-key:mill:k1", rng_);
    ASSERT_TRUE(sealed.ok()) << sealed.status();
    EXPECT_GT(sealed->size(), plain.size());
    Result<crypto::SecretBytes> opened = v.Open(*sealed, "org-key:mill:k1");
    ASSERT_TRUE(opened.ok()) << opened.status();
    EXPECT_EQ(std::string(opened->data(), opened->data() + opened->size()), plain);
  }
}

TEST_F(VaultTest, SealingTwiceGivesDifferentCiphertexts) {
  Vault v = LoadNew("master.key", 1);
  EXPECT_NE(*v.Seal(Bytes("same"), "p", rng_), *v.Seal(Bytes("same"), "p", rng_));
}

TEST_F(VaultTest, OpenWithAnotherPurposeIsDataLoss) {
  Vault v = LoadNew("master.key", 1);
  Result<std::vector<uint8_t>> sealed = v.Seal(Bytes("secret"), "org-key:mill:k1", rng_);
  ASSERT_TRUE(sealed.ok());
  for (const char* purpose : {"org-key:mill:k2", "org-key:mall:k1", "token-key", ""}) {
    Result<crypto::SecretBytes> r = v.Open(*sealed, purpose);
    ASSERT_FALSE(r.ok()) << purpose;
    EXPECT_EQ(r.status().code(), StatusCode::kDataLoss) << r.status();
  }
}

TEST_F(VaultTest, OpenWithAnotherVaultIsDataLoss) {
  Vault a = LoadNew("a.key", 1);
  Vault b = LoadNew("b.key", 2);
  EXPECT_NE(a.fingerprint(), b.fingerprint());
  Result<std::vector<uint8_t>> sealed = a.Seal(Bytes("secret"), "token-key", rng_);
  ASSERT_TRUE(sealed.ok());
  Result<crypto::SecretBytes> r = b.Open(*sealed, "token-key");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kDataLoss);
}

TEST_F(VaultTest, ModifiedOrTruncatedValuesAreDataLoss) {
  Vault v = LoadNew("master.key", 1);
  Result<std::vector<uint8_t>> sealed = v.Seal(Bytes("secret"), "token-key", rng_);
  ASSERT_TRUE(sealed.ok());
  for (size_t i = 0; i < sealed->size(); ++i) {
    std::vector<uint8_t> t = *sealed;
    t[i] ^= 0x01;
    EXPECT_EQ(v.Open(t, "token-key").status().code(), StatusCode::kDataLoss) << i;
  }
  for (size_t n : {size_t{0}, size_t{1}, sealed->size() - 1}) {
    std::vector<uint8_t> t(sealed->begin(), sealed->begin() + static_cast<ptrdiff_t>(n));
    EXPECT_EQ(v.Open(t, "token-key").status().code(), StatusCode::kDataLoss) << n;
  }
}

TEST_F(VaultTest, SealKeyOpenKeyRoundTrip) {
  Vault v = LoadNew("master.key", 1);
  for (jose::KeyType type : {jose::KeyType::kP256, jose::KeyType::kEd25519, jose::KeyType::kP384}) {
    Result<jose::PrivateKey> key = jose::PrivateKey::Generate(type, rng_);
    ASSERT_TRUE(key.ok());
    Result<std::vector<uint8_t>> sealed = v.SealKey(*key, "org-key:mill:k1", rng_);
    ASSERT_TRUE(sealed.ok()) << sealed.status();
    Result<jose::PrivateKey> back = v.OpenKey(type, *sealed, "org-key:mill:k1");
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(back->type(), type);
    EXPECT_TRUE(back->public_key() == key->public_key()) << jose::KeyTypeName(type);
    // The reopened key signs what the original verifies.
    Result<std::vector<uint8_t>> sig = back->Sign(Bytes("message"));
    ASSERT_TRUE(sig.ok());
    EXPECT_TRUE(key->public_key().Verify(key->algorithm(), Bytes("message"), *sig).ok());
    // Another purpose does not open it.
    EXPECT_EQ(v.OpenKey(type, *sealed, "org-key:mill:k2").status().code(), StatusCode::kDataLoss);
  }
}

TEST_F(VaultTest, OpenKeyWithTheWrongTypeFails) {
  Vault v = LoadNew("master.key", 1);
  Result<jose::PrivateKey> key = jose::PrivateKey::Generate(jose::KeyType::kP384, rng_);
  ASSERT_TRUE(key.ok());
  Result<std::vector<uint8_t>> sealed = v.SealKey(*key, "k", rng_);
  ASSERT_TRUE(sealed.ok());
  // A 48-byte scalar is neither an Ed25519 seed nor a P-256 scalar.
  EXPECT_FALSE(v.OpenKey(jose::KeyType::kEd25519, *sealed, "k").ok());
  EXPECT_FALSE(v.OpenKey(jose::KeyType::kP256, *sealed, "k").ok());
}

TEST_F(VaultTest, FingerprintIsStableAndDistinct) {
  const fs::path file = dir_ / "master.key";
  ASSERT_TRUE(Vault::CreateKeyFile(file, rng_).ok());
  Result<Vault> a = Vault::Load(file);
  Result<Vault> b = Vault::Load(file);
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(a->fingerprint(), b->fingerprint());
  Vault other = LoadNew("other.key", 12345);
  EXPECT_NE(a->fingerprint(), other.fingerprint());
  // The fingerprint is not the key (nor a prefix of its hex or base64url).
  std::string text = ReadFile(file);
  text.pop_back();
  EXPECT_THAT(text, Not(HasSubstr(a->fingerprint())));
  std::vector<uint8_t> raw = *codec::Base64UrlDecode(text);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (uint8_t c : raw) {
    hex += kHex[c >> 4];
    hex += kHex[c & 15];
  }
  EXPECT_THAT(hex, Not(HasSubstr(a->fingerprint())));
}

TEST_F(VaultTest, CopiesShareTheKey) {
  Vault a = LoadNew("master.key", 1);
  Vault copy = a;
  Result<std::vector<uint8_t>> sealed = a.Seal(Bytes("x"), "p", rng_);
  ASSERT_TRUE(sealed.ok());
  EXPECT_TRUE(copy.Open(*sealed, "p").ok());
  EXPECT_EQ(copy.fingerprint(), a.fingerprint());
}

}  // namespace
}  // namespace traceport::node
