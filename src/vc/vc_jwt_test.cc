#include "vc/vc_jwt.h"

#include <gtest/gtest.h>

#include "codec/base64.h"
#include "common/testing/fake_random.h"

namespace traceport::vc {
namespace {

using nlohmann::json;

json Credential() {
  return {{"@context", json::array({"https://www.w3.org/ns/credentials/v2"})},
          {"id", "urn:uuid:7c9e6679-7425-40de-944b-e07fc1f90ae7"},
          {"type", json::array({"VerifiableCredential", "MillTestReportCredential"})},
          {"issuer", "did:example:mill"},
          {"validFrom", "2026-01-01T00:00:00Z"},
          {"credentialSubject", {{"id", "did:example:heat-1"}, {"heatNumber", "H-12345"}}}};
}

std::string Forge(const jose::PrivateKey& key, const json& header, const json& payload) {
  std::string input =
      codec::Base64UrlEncode(header.dump()) + "." + codec::Base64UrlEncode(payload.dump());
  auto sig = key.Sign(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(input.data()), input.size()));
  return input + "." + codec::Base64UrlEncode(*sig);
}

TEST(VcJwtTest, SignDecodeVerifyEveryKeyType) {
  testing::FakeRandom rng(1);
  for (auto t : {jose::KeyType::kP256, jose::KeyType::kP384, jose::KeyType::kEd25519}) {
    auto key = *jose::PrivateKey::Generate(t, rng);
    auto jwt = SignJwt(Credential(), Envelope::kCredential, key, "did:example:mill#key-1");
    ASSERT_TRUE(jwt.ok()) << jwt.status();
    auto d = DecodeJwt(*jwt, Envelope::kCredential);
    ASSERT_TRUE(d.ok()) << d.status();
    EXPECT_EQ(d->header["typ"], "vc+jwt");
    EXPECT_EQ(d->header["cty"], "vc");
    EXPECT_EQ(d->header["alg"], jose::AlgorithmName(key.algorithm()));
    EXPECT_EQ(d->kid, "did:example:mill#key-1");
    EXPECT_EQ(d->document, Credential());
    EXPECT_TRUE(VerifyJwtSignature(*jwt, Envelope::kCredential, key.public_key()).ok());
    // The wrong kind of envelope is refused.
    EXPECT_FALSE(DecodeJwt(*jwt, Envelope::kPresentation).ok());
    EXPECT_FALSE(VerifyJwtSignature(*jwt, Envelope::kPresentation, key.public_key()).ok());
  }
}

TEST(VcJwtTest, ClaimsMustAgreeWithTheCredential) {
  testing::FakeRandom rng(2);
  auto key = *jose::PrivateKey::Generate(jose::KeyType::kP256, rng);
  json header = {{"alg", "ES256"}, {"typ", "vc+jwt"}, {"kid", "did:example:mill#k"}};
  json ok = Credential();
  ok["iss"] = "did:example:mill";
  ok["jti"] = ok["id"];
  ok["sub"] = "did:example:heat-1";
  ok["exp"] = 1900000000;
  auto d = DecodeJwt(Forge(key, header, ok), Envelope::kCredential);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(*d->exp, 1900000000);
  for (const auto& [claim, value] :
       std::vector<std::pair<std::string, json>>{{"iss", "did:example:other"},
                                                 {"jti", "urn:uuid:x"},
                                                 {"sub", "did:example:x"},
                                                 {"exp", "tomorrow"},
                                                 {"nbf", 1.5}}) {
    json bad = Credential();
    bad[claim] = value;
    EXPECT_FALSE(DecodeJwt(Forge(key, header, bad), Envelope::kCredential).ok()) << claim;
  }
  json wrong_typ = header;
  wrong_typ["typ"] = "JWT";
  EXPECT_FALSE(DecodeJwt(Forge(key, wrong_typ, Credential()), Envelope::kCredential).ok());
  EXPECT_FALSE(DecodeJwt(Forge(key, header, json::array()), Envelope::kCredential).ok());
  EXPECT_EQ(DecodeJwt(std::string(100, 'a'), Envelope::kCredential, 10).status().code(),
            StatusCode::kResourceExhausted);
  EXPECT_FALSE(DecodeJwt("a.b", Envelope::kCredential).ok());
}

TEST(VcJwtTest, RefusesToDoubleSecure) {
  testing::FakeRandom rng(3);
  auto key = *jose::PrivateKey::Generate(jose::KeyType::kEd25519, rng);
  json vc = Credential();
  vc["proof"] = {{"type", "DataIntegrityProof"}};
  EXPECT_FALSE(SignJwt(vc, Envelope::kCredential, key, "did:example:mill#k").ok());
  EXPECT_FALSE(SignJwt(Credential(), Envelope::kCredential, key, "").ok());
}

TEST(VcJwtTest, Envelopes) {
  json env = EnvelopeCredential("aaa.bbb.ccc");
  EXPECT_EQ(env["type"], "EnvelopedVerifiableCredential");
  EXPECT_EQ(*UnwrapEnvelope(env, Envelope::kCredential), "aaa.bbb.ccc");
  EXPECT_FALSE(UnwrapEnvelope(env, Envelope::kPresentation).ok());
  env["id"] = "data:text/plain,aaa";
  EXPECT_FALSE(UnwrapEnvelope(env, Envelope::kCredential).ok());
  EXPECT_FALSE(UnwrapEnvelope(json::array(), Envelope::kCredential).ok());
}

}  // namespace
}  // namespace traceport::vc
