#include "vc/verifier.h"

#include <gtest/gtest.h>

#include "common/testing/fake_clock.h"
#include "common/testing/fake_random.h"
#include "did/methods.h"
#include "vc/issuer.h"

namespace traceport::vc {
namespace {

using nlohmann::json;

json Unsigned() {
  return {{"@context", json::array({"https://www.w3.org/ns/credentials/v2"})},
          {"type", json::array({"VerifiableCredential"})},
          {"credentialSubject", {{"id", "did:example:heat-9"}, {"name", "Heat 9"}}}};
}

class VerifierTest : public ::testing::Test {
 protected:
  VerifierTest()
      : clock_(*ParseRfc3339("2026-06-01T00:00:00Z")), rng_(5), resolver_({}, nullptr, nullptr) {
    ctx_.resolver = &resolver_;
    ctx_.clock = &clock_;
  }

  Secured Issue(jose::KeyType type, std::string_view suite, json credential = Unsigned()) {
    auto key = *jose::PrivateKey::Generate(type, rng_);
    IssueOptions o;
    o.securing = *ParseSecuring(suite);
    o.issuer = did::DidKeyFor(key.public_key()).ToString();
    o.now = clock_.Now();
    o.random = &rng_;
    auto s = IssueCredential(std::move(credential), key, o);
    EXPECT_TRUE(s.ok()) << s.status();
    return *s;
  }

  static std::string Text(const Secured& s) { return s.jwt.empty() ? s.secured.dump() : s.jwt; }

  static CheckStatus StatusOf(const VerificationReport& r, std::string_view name) {
    const Check* c = r.Find(name);
    return c ? c->status : CheckStatus::kSkipped;
  }

  testing::FakeClock clock_;
  testing::FakeRandom rng_;
  did::DefaultResolver resolver_;
  VerifierContext ctx_;
};

TEST_F(VerifierTest, EverySuiteVerifies) {
  for (auto [type, suite] : std::vector<std::pair<jose::KeyType, std::string>>{
           {jose::KeyType::kP256, "vc-jwt-es256"},
           {jose::KeyType::kP384, "vc-jwt-es384"},
           {jose::KeyType::kEd25519, "vc-jwt-eddsa"},
           {jose::KeyType::kEd25519, "eddsa-jcs-2022"},
           {jose::KeyType::kP256, "ecdsa-jcs-2019"},
           {jose::KeyType::kP384, "ecdsa-jcs-2019"}}) {
    Secured s = Issue(type, suite);
    VerificationReport r = VerifyCredentialText(Text(s), ctx_);
    EXPECT_TRUE(r.verified()) << suite << ": " << r.ToJson().dump();
    // The enveloped form of a vc+jwt verifies too.
    if (!s.jwt.empty()) {
      EXPECT_TRUE(VerifyCredential(s.secured, ctx_).verified()) << suite;
    }
  }
}

TEST_F(VerifierTest, KeyCacheGivesTheSameReports) {
  did::KeyCache keys(resolver_, clock_);
  VerifierContext cached = ctx_;
  cached.keys = &keys;
  for (auto [type, suite] : std::vector<std::pair<jose::KeyType, std::string>>{
           {jose::KeyType::kP256, "vc-jwt-es256"},
           {jose::KeyType::kEd25519, "eddsa-jcs-2022"},
           {jose::KeyType::kP384, "ecdsa-jcs-2019"}}) {
    Secured s = Issue(type, suite);
    for (int i = 0; i < 2; ++i) {
      VerificationReport r = VerifyCredentialText(Text(s), cached);
      EXPECT_TRUE(r.verified()) << suite << ": " << r.ToJson().dump();
      EXPECT_EQ(r.ToJson(), VerifyCredentialText(Text(s), ctx_).ToJson()) << suite;
    }
    // A tampered copy fails the same way with and without the cache.
    std::string text = Text(s);
    if (s.jwt.empty()) {
      json doc = s.secured;
      doc["credentialSubject"]["name"] = "Heat 10";
      text = doc.dump();
    } else {
      text[text.rfind('.') + 3] ^= 1;
    }
    VerificationReport bad = VerifyCredentialText(text, cached);
    EXPECT_FALSE(bad.verified()) << suite;
    EXPECT_EQ(bad.ToJson(), VerifyCredentialText(text, ctx_).ToJson()) << suite;
  }
  EXPECT_GE(keys.stats().hits, 3u);
}

TEST_F(VerifierTest, ValidityPeriodIsEnforced) {
  json c = Unsigned();
  c["validUntil"] = "2026-07-01T00:00:00Z";
  Secured s = Issue(jose::KeyType::kEd25519, "eddsa-jcs-2022", c);
  EXPECT_TRUE(VerifyCredentialText(Text(s), ctx_).verified());
  clock_.Set(*ParseRfc3339("2026-08-01T00:00:00Z"));
  VerificationReport expired = VerifyCredentialText(Text(s), ctx_);
  EXPECT_FALSE(expired.verified());
  EXPECT_EQ(StatusOf(expired, kCheckValidityPeriod), CheckStatus::kFail);
  EXPECT_EQ(StatusOf(expired, kCheckProof), CheckStatus::kPass);
  clock_.Set(*ParseRfc3339("2026-01-01T00:00:00Z"));  // before validFrom (issued 2026-06-01)
  EXPECT_EQ(StatusOf(VerifyCredentialText(Text(s), ctx_), kCheckValidityPeriod),
            CheckStatus::kFail);
}

TEST_F(VerifierTest, TamperingAndWrongIssuerFail) {
  Secured di = Issue(jose::KeyType::kP256, "ecdsa-jcs-2019");
  json tampered = di.secured;
  tampered["credentialSubject"]["name"] = "Heat 10";
  VerificationReport r = VerifyCredential(tampered, ctx_);
  EXPECT_EQ(StatusOf(r, kCheckProof), CheckStatus::kFail);
  // Claiming another issuer: the key is not the issuer's.
  json other = di.secured;
  other["issuer"] = "did:example:someone-else";
  r = VerifyCredential(other, ctx_);
  EXPECT_FALSE(r.verified());
  Secured jwt = Issue(jose::KeyType::kP256, "vc-jwt-es256");
  std::string bad = jwt.jwt;
  bad[bad.size() - 5] = bad[bad.size() - 5] == 'A' ? 'B' : 'A';
  EXPECT_EQ(StatusOf(VerifyCredentialText(bad, ctx_), kCheckProof), CheckStatus::kFail);
}

TEST_F(VerifierTest, MalformedInputIsAFailedCheckNotACrash) {
  for (std::string in : {std::string("{"), std::string("[]"), std::string("a.b"),
                         std::string("{\"@context\":5}"), std::string(2 << 20, ' ')}) {
    VerificationReport r = VerifyCredentialText(in, ctx_);
    EXPECT_FALSE(r.verified());
    EXPECT_EQ(StatusOf(r, kCheckStructure), CheckStatus::kFail) << in.substr(0, 20);
  }
  json no_proof = Unsigned();
  no_proof["issuer"] = "did:example:x";
  no_proof["validFrom"] = "2026-01-01T00:00:00Z";
  VerificationReport r = VerifyCredential(no_proof, ctx_);
  EXPECT_EQ(StatusOf(r, kCheckStructure), CheckStatus::kPass);
  EXPECT_EQ(StatusOf(r, kCheckProof), CheckStatus::kFail);
}

TEST_F(VerifierTest, StatusWithoutASourceFails) {
  json c = Unsigned();
  c["credentialStatus"] = {{"id", "https://status.example/1#5"},
                           {"type", "BitstringStatusListEntry"},
                           {"statusPurpose", "revocation"},
                           {"statusListIndex", "5"},
                           {"statusListCredential", "https://status.example/1"}};
  Secured s = Issue(jose::KeyType::kEd25519, "vc-jwt-eddsa", c);
  VerificationReport r = VerifyCredentialText(Text(s), ctx_);
  EXPECT_EQ(StatusOf(r, kCheckStatus), CheckStatus::kFail);
  EXPECT_FALSE(r.verified());
}

TEST_F(VerifierTest, PresentationBindsChallengeDomainAndHolder) {
  Secured cred = Issue(jose::KeyType::kP256, "vc-jwt-es256");
  auto holder_key = *jose::PrivateKey::Generate(jose::KeyType::kEd25519, rng_);
  PresentOptions o;
  o.securing = *ParseSecuring("eddsa-jcs-2022");
  o.holder = did::DidKeyFor(holder_key.public_key()).ToString();
  o.challenge = "n-1";
  o.domain = "customs.example";
  o.now = clock_.Now();
  o.random = &rng_;
  auto vp = CreatePresentation({json(cred.jwt)}, holder_key, o);
  ASSERT_TRUE(vp.ok()) << vp.status();
  std::string text = vp->secured.dump();
  PresentationExpectations expect{"n-1", "customs.example"};
  PresentationReport ok = VerifyPresentationText(text, ctx_, expect);
  EXPECT_TRUE(ok.verified()) << ok.ToJson().dump();
  ASSERT_EQ(ok.credentials.size(), 1u);
  PresentationExpectations wrong{"n-2", "customs.example"};
  PresentationReport bad = VerifyPresentationText(text, ctx_, wrong);
  EXPECT_FALSE(bad.verified());
  EXPECT_EQ(StatusOf(bad.presentation, kCheckChallenge), CheckStatus::kFail);
  // A holder that is not the signer.
  json swapped = vp->secured;
  swapped["holder"] = "did:example:not-the-signer";
  EXPECT_FALSE(VerifyPresentationText(swapped.dump(), ctx_, expect).verified());
}

}  // namespace
}  // namespace traceport::vc
