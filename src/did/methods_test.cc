#include "did/methods.h"

#include <gtest/gtest.h>

#include "codec/base64.h"
#include "common/testing/fake_random.h"
#include "did/document.h"
#include "jose/jwk.h"

namespace traceport::did {
namespace {

using nlohmann::json;

// The did:key method's own vector: the Ed25519 key of the all-zero seed.
TEST(DidKeyTest, KnownEd25519Vector) {
  std::vector<uint8_t> seed(32, 0);
  auto key = *jose::PrivateKey::FromRaw(jose::KeyType::kEd25519, seed);
  Did did = DidKeyFor(key.public_key());
  EXPECT_EQ(did.ToString(), "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp");
  auto doc = DidKeyDocument(did);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  const std::string id = did.ToString();
  const std::string vm = id + "#z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp";
  EXPECT_EQ((*doc)["id"], id);
  EXPECT_EQ((*doc)["verificationMethod"][0]["id"], vm);
  EXPECT_EQ((*doc)["verificationMethod"][0]["type"], "Multikey");
  EXPECT_EQ((*doc)["assertionMethod"][0], vm);
  EXPECT_EQ((*doc)["authentication"][0], vm);
  EXPECT_EQ((*doc)["keyAgreement"][0], id + "#z6LShs9GGnqk85isEBzzshkuVWrVKsRp24GnDuHk8QWkARMW");
  DidKeyOptions no_ka;
  no_ka.enable_encryption_key_derivation = false;
  EXPECT_FALSE(DidKeyDocument(did, no_ka)->contains("keyAgreement"));
}

TEST(DidKeyTest, RoundTripsAllKeyTypes) {
  testing::FakeRandom rng(1);
  for (auto t : {jose::KeyType::kEd25519, jose::KeyType::kP256, jose::KeyType::kP384}) {
    auto key = *jose::PrivateKey::Generate(t, rng);
    Did did = DidKeyFor(key.public_key());
    auto back = DidKeyPublicKey(did);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_TRUE(*back == key.public_key());
    auto doc = DidKeyDocument(did);
    ASSERT_TRUE(doc.ok());
    EXPECT_TRUE(*PublicKeyFromVerificationMethod((*doc)["verificationMethod"][0]) ==
                key.public_key());
    // Version prefix 1 is accepted.
    Did versioned{"key", "1:" + did.method_specific_id};
    EXPECT_TRUE(DidKeyPublicKey(versioned).ok());
  }
}

TEST(DidKeyTest, ErrorCodes) {
  struct Case {
    std::string msid;
    std::string code;
  } cases[] = {
      {"123", "invalidDid"},
      {"@", "invalidDid"},
      {"-4:z6MktKwz7Ge1Yxzr4JHavN33wiwa8y81QdcMRLXQsrH9T53b", "invalidDid"},
      {"2:z6MktKwz7Ge1Yxzr4JHavN33wiwa8y81QdcMRLXQsrH9T53b", "invalidDid"},
      {"z0OIl", "invalidDid"},  // not base58
      {"zTjsVPtY", "invalidPublicKeyLength"},
      {"u7QE", "invalidDid"},
  };
  for (const auto& c : cases) {
    MethodError err;
    auto r = DidKeyPublicKey(Did{"key", c.msid}, &err);
    ASSERT_FALSE(r.ok()) << c.msid;
    EXPECT_EQ(err.code, c.code) << c.msid << ": " << err.message;
    EXPECT_FALSE(err.message.empty());
  }
}

TEST(DidJwkTest, RoundTripAndDocument) {
  testing::FakeRandom rng(2);
  auto key = *jose::PrivateKey::Generate(jose::KeyType::kP256, rng);
  Did did = DidJwkFor(key.public_key());
  EXPECT_EQ(did.method, "jwk");
  auto doc = DidJwkDocument(did);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ((*doc)["verificationMethod"][0]["id"], did.ToString() + "#0");
  EXPECT_EQ((*doc)["verificationMethod"][0]["type"], "JsonWebKey2020");
  EXPECT_TRUE(doc->contains("assertionMethod"));
  EXPECT_TRUE(doc->contains("keyAgreement"));  // no "use": every relationship
  EXPECT_TRUE(*PublicKeyFromVerificationMethod((*doc)["verificationMethod"][0]) ==
              key.public_key());
}

TEST(DidJwkTest, UseRestrictsRelationshipsAndPrivateKeysAreRefused) {
  testing::FakeRandom rng(3);
  auto key = *jose::PrivateKey::Generate(jose::KeyType::kEd25519, rng);
  json jwk = jose::PublicKeyToJwk(key.public_key());
  jwk["use"] = "sig";
  Did sig{"jwk", codec::Base64UrlEncode(jwk.dump())};
  auto doc = DidJwkDocument(sig);
  ASSERT_TRUE(doc.ok());
  EXPECT_FALSE(doc->contains("keyAgreement"));
  EXPECT_TRUE(doc->contains("assertionMethod"));

  json priv = jose::PrivateKeyToJwk(key);
  MethodError err;
  EXPECT_FALSE(DidJwkDocument(Did{"jwk", codec::Base64UrlEncode(priv.dump())}, &err).ok());
  EXPECT_EQ(err.code, "invalidDid");
  EXPECT_NE(err.message.find("\"d\""), std::string::npos);

  for (std::string bad :
       {std::string("!!"), codec::Base64UrlEncode("[1]"), codec::Base64UrlEncode("{\"kty\":1}"),
        codec::Base64UrlEncode("nope"), codec::Base64UrlEncode("{\"kty\":\"OKP\",\"use\":5}")}) {
    EXPECT_FALSE(DidJwkDocument(Did{"jwk", bad}).ok()) << bad;
  }
  // An off-curve EC key is refused; an RSA key (which we cannot verify with) still resolves.
  json off =
      jose::PublicKeyToJwk(jose::PrivateKey::Generate(jose::KeyType::kP256, rng)->public_key());
  off["y"] = off["x"];
  EXPECT_FALSE(DidJwkDocument(Did{"jwk", codec::Base64UrlEncode(off.dump())}).ok());
  json rsa = {{"kty", "RSA"}, {"n", "sXch"}, {"e", "AQAB"}};
  EXPECT_TRUE(DidJwkDocument(Did{"jwk", codec::Base64UrlEncode(rsa.dump())}).ok());
}

}  // namespace
}  // namespace traceport::did
