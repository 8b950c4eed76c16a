#include "jose/jwk.h"

#include <gtest/gtest.h>

#include "common/testing/fake_random.h"

namespace traceport::jose {
namespace {

using nlohmann::json;

// RFC 8037 Appendix A.1 / A.3.
const json kRfc8037Private = {{"kty", "OKP"},
                              {"crv", "Ed25519"},
                              {"d", "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"},
                              {"x", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}};

TEST(JwkTest, Rfc8037KeyAndThumbprint) {
  auto priv = PrivateKeyFromJwk(kRfc8037Private);
  ASSERT_TRUE(priv.ok()) << priv.status().ToString();
  EXPECT_EQ(priv->type(), KeyType::kEd25519);
  EXPECT_EQ(PublicKeyToJwk(priv->public_key())["x"], kRfc8037Private["x"]);
  EXPECT_EQ(Thumbprint(priv->public_key()), "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
  EXPECT_EQ(*JwkThumbprint(kRfc8037Private), "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
  EXPECT_EQ(ThumbprintUri(priv->public_key()),
            "urn:ietf:params:oauth:jwk-thumbprint:sha-256:"
            "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
}

TEST(JwkTest, ThumbprintIgnoresOptionalMembersAndOrder) {
  json a = {{"kty", "EC"}, {"crv", "P-256"}, {"x", "AA"}, {"y", "BB"}, {"kid", "k1"}};
  json b = {{"y", "BB"}, {"x", "AA"}, {"crv", "P-256"}, {"kty", "EC"}, {"use", "sig"}};
  EXPECT_EQ(*JwkThumbprint(a), *JwkThumbprint(b));
  EXPECT_TRUE(JwkThumbprint(json{{"kty", "RSA"}, {"n", "AQAB"}, {"e", "AQAB"}}).ok());
  EXPECT_EQ(JwkThumbprint(json{{"kty", "XYZ"}}).status().code(), StatusCode::kUnimplemented);
  EXPECT_FALSE(JwkThumbprint(json{{"kty", "EC"}, {"crv", "P-256"}, {"x", "AA"}}).ok());
}

TEST(JwkTest, RoundTripsEveryKeyType) {
  testing::FakeRandom rng(1);
  for (KeyType t : {KeyType::kEd25519, KeyType::kP256, KeyType::kP384}) {
    auto key = PrivateKey::Generate(t, rng);
    ASSERT_TRUE(key.ok());
    json pub = PublicKeyToJwk(key->public_key());
    EXPECT_FALSE(pub.contains("d"));
    auto back = PublicKeyFromJwk(pub);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_TRUE(*back == key->public_key());
    json priv = PrivateKeyToJwk(*key);
    auto kback = PrivateKeyFromJwk(priv);
    ASSERT_TRUE(kback.ok()) << kback.status().ToString();
    EXPECT_TRUE(kback->public_key() == key->public_key());
    // A private JWK read as public yields the public key.
    EXPECT_TRUE(*PublicKeyFromJwk(priv) == key->public_key());
  }
}

TEST(JwkTest, RejectsMalformedKeys) {
  testing::FakeRandom rng(2);
  auto p256 = *PrivateKey::Generate(KeyType::kP256, rng);
  json good = PublicKeyToJwk(p256.public_key());
  struct Case {
    std::string name;
    json jwk;
    StatusCode code;
    std::string want;
  };
  std::vector<Case> cases;
  cases.push_back({"not object", json::array(), StatusCode::kInvalidArgument, "object"});
  cases.push_back({"no kty", json{{"crv", "P-256"}}, StatusCode::kInvalidArgument, "\"kty\""});
  cases.push_back(
      {"rsa", json{{"kty", "RSA"}, {"n", "x"}, {"e", "AQAB"}}, StatusCode::kUnimplemented, "RSA"});
  json c = good;
  c["crv"] = "P-521";
  cases.push_back({"p521", c, StatusCode::kUnimplemented, "P-521"});
  c = good;
  c["crv"] = "secp256k1";
  cases.push_back({"k1", c, StatusCode::kUnimplemented, "secp256k1"});
  c = good;
  c["x"] = c["x"].get<std::string>().substr(1);
  cases.push_back({"short x", c, StatusCode::kInvalidArgument, "\"x\""});
  c = good;
  c["x"] = c["x"].get<std::string>() + "=";
  cases.push_back({"padded x", c, StatusCode::kInvalidArgument, "\"x\""});
  c = good;
  c["y"] = good["x"];
  cases.push_back({"off curve", c, StatusCode::kInvalidArgument, "curve"});
  c = good;
  c["alg"] = "ES384";
  cases.push_back({"alg mismatch", c, StatusCode::kInvalidArgument, "does not match"});
  c = good;
  c["use"] = "enc";
  cases.push_back({"use enc", c, StatusCode::kInvalidArgument, "\"use\""});
  c = good;
  c["key_ops"] = {"encrypt"};
  cases.push_back({"key_ops", c, StatusCode::kInvalidArgument, "key_ops"});
  c = good;
  c["x"] = 5;
  cases.push_back({"x number", c, StatusCode::kInvalidArgument, "string"});
  json okp = {{"kty", "OKP"}, {"crv", "X25519"}, {"x", good["x"]}};
  cases.push_back({"x25519", okp, StatusCode::kUnimplemented, "X25519"});
  for (const auto& tc : cases) {
    auto r = PublicKeyFromJwk(tc.jwk);
    ASSERT_FALSE(r.ok()) << tc.name;
    EXPECT_EQ(r.status().code(), tc.code) << tc.name << ": " << r.status().ToString();
    EXPECT_NE(r.status().message().find(tc.want), std::string_view::npos)
        << tc.name << ": " << r.status().message();
  }
}

TEST(JwkTest, PrivatePartMustMatchPublic) {
  testing::FakeRandom rng(3);
  auto a = *PrivateKey::Generate(KeyType::kEd25519, rng);
  auto b = *PrivateKey::Generate(KeyType::kEd25519, rng);
  json mixed = PrivateKeyToJwk(a);
  mixed["x"] = PublicKeyToJwk(b.public_key())["x"];
  auto r = PrivateKeyFromJwk(mixed);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("does not belong"), std::string_view::npos);
  EXPECT_FALSE(PublicKeyFromJwk(mixed).ok());
  EXPECT_FALSE(PrivateKeyFromJwk(PublicKeyToJwk(a.public_key())).ok());
}

}  // namespace
}  // namespace traceport::jose
