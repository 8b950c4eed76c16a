#include "jose/key_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "codec/json.h"
#include "common/testing/fake_random.h"
#include "jose/jwk.h"

namespace traceport::jose {
namespace {

using nlohmann::json;

TEST(KeyFileTest, EncryptedRoundTripForEveryType) {
  testing::FakeRandom rng(1);
  for (KeyType t : {KeyType::kEd25519, KeyType::kP256, KeyType::kP384}) {
    auto key = *PrivateKey::Generate(t, rng);
    KeyFileOptions o;
    o.passphrase = "correct horse battery staple";
    auto text = WriteKeyFile(key, o, rng);
    ASSERT_TRUE(text.ok()) << text.status().ToString();
    EXPECT_EQ(text->find("\"d\""), std::string::npos) << "private key in clear";
    auto info = InspectKeyFile(*text);
    ASSERT_TRUE(info.ok()) << info.status().ToString();
    EXPECT_TRUE(info->encrypted);
    EXPECT_EQ(info->type, t);
    EXPECT_EQ(info->kid, Thumbprint(key.public_key()));
    auto back = ReadKeyFile(*text, o.passphrase);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_TRUE(back->public_key() == key.public_key());
    EXPECT_EQ(ReadKeyFile(*text, "wrong").status().code(), StatusCode::kPermissionDenied);
    EXPECT_EQ(ReadKeyFile(*text, "").status().code(), StatusCode::kFailedPrecondition);
  }
}

TEST(KeyFileTest, PlaintextOnlyWhenAsked) {
  testing::FakeRandom rng(2);
  auto key = *PrivateKey::Generate(KeyType::kP256, rng);
  EXPECT_FALSE(WriteKeyFile(key, KeyFileOptions{}, rng).ok());
  KeyFileOptions o;
  o.allow_plaintext = true;
  auto text = WriteKeyFile(key, o, rng);
  ASSERT_TRUE(text.ok());
  EXPECT_FALSE(InspectKeyFile(*text)->encrypted);
  EXPECT_TRUE(ReadKeyFile(*text, "")->public_key() == key.public_key());
}

TEST(KeyFileTest, TamperingIsDetected) {
  testing::FakeRandom rng(3);
  auto key = *PrivateKey::Generate(KeyType::kEd25519, rng);
  auto other = *PrivateKey::Generate(KeyType::kEd25519, rng);
  KeyFileOptions o;
  o.passphrase = "pw";
  json file = *codec::ParseJson(*WriteKeyFile(key, o, rng));

  // Swapping in another public key (with a consistent kid) must not survive decryption.
  json swapped = file;
  swapped["publicJwk"] = PublicKeyToJwk(other.public_key());
  swapped["kid"] = Thumbprint(other.public_key());
  ASSERT_TRUE(InspectKeyFile(swapped.dump()).ok());
  EXPECT_EQ(ReadKeyFile(swapped.dump(), "pw").status().code(), StatusCode::kPermissionDenied);

  // Weakened KDF parameters (still valid) change the AD.
  json weaker = file;
  weaker["encryption"]["opsLimit"] = 1;
  EXPECT_EQ(ReadKeyFile(weaker.dump(), "pw").status().code(), StatusCode::kPermissionDenied);

  // Absurd parameters are refused before any work is done.
  json absurd = file;
  absurd["encryption"]["memLimit"] = uint64_t{1} << 40;
  EXPECT_EQ(ReadKeyFile(absurd.dump(), "pw").status().code(), StatusCode::kResourceExhausted);

  // A kid that is not the thumbprint.
  json bad_kid = file;
  bad_kid["kid"] = "abc";
  EXPECT_EQ(InspectKeyFile(bad_kid.dump()).status().code(), StatusCode::kInvalidArgument);

  // Flipped ciphertext byte.
  json flipped = file;
  std::string ct = flipped["ciphertext"];
  ct[3] = ct[3] == 'A' ? 'B' : 'A';
  flipped["ciphertext"] = ct;
  EXPECT_EQ(ReadKeyFile(flipped.dump(), "pw").status().code(), StatusCode::kPermissionDenied);

  for (const char* bad :
       {"", "[]", "{}", R"({"type":"traceport-key-file","version":2})", R"({"type":"x"})"}) {
    EXPECT_FALSE(InspectKeyFile(bad).ok()) << bad;
  }
}

TEST(KeyFileTest, SaveIsPrivateAndDoesNotOverwrite) {
  auto dir = std::filesystem::temp_directory_path() / ("tp_keyfile_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  auto path = dir / "k.json";
  ASSERT_TRUE(SaveKeyFile(path, "{}\n", false).ok());
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  EXPECT_EQ(SaveKeyFile(path, "{}\n", false).code(), StatusCode::kAlreadyExists);
  EXPECT_TRUE(SaveKeyFile(path, "{\"a\":1}\n", true).ok());
  EXPECT_EQ(*LoadKeyFile(path), "{\"a\":1}\n");
  EXPECT_EQ(LoadKeyFile(dir / "missing").status().code(), StatusCode::kNotFound);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace traceport::jose
