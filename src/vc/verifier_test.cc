#include "vc/verifier.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <span>
#include <tuple>

#include "codec/hex.h"
#include "codec/jcs.h"
#include "common/testing/fake_clock.h"
#include "common/testing/fake_random.h"
#include "crypto/sha2.h"
#include "did/methods.h"
#include "vc/data_integrity.h"
#include "vc/issuer.h"
#include "vc/vc_jwt.h"

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

// The fast path answers only "verified", with the full path's report; every other outcome comes
// from the full path. Signed documents (so that the signature is not what fails) of many
// shapes, valid and not, must give the same report either way.
TEST_F(VerifierTest, FastPathGivesTheFullPathsReports) {
  VerifyLimits full;
  full.fast_path = false;
  auto ed = *jose::PrivateKey::Generate(jose::KeyType::kEd25519, rng_);
  auto p256 = *jose::PrivateKey::Generate(jose::KeyType::kP256, rng_);
  auto p384 = *jose::PrivateKey::Generate(jose::KeyType::kP384, rng_);
  const std::string ed_did = did::DidKeyFor(ed.public_key()).ToString();
  const std::string p_did = did::DidKeyFor(p256.public_key()).ToString();
  const std::string p384_did = did::DidKeyFor(p384.public_key()).ToString();
  auto base = [](const std::string& issuer) {
    json c = Unsigned();
    c["issuer"] = issuer;
    c["validFrom"] = "2026-01-01T00:00:00Z";
    return c;
  };
  std::vector<std::function<void(json&)>> shapes = {
      [](json&) {},
      [](json& c) {
        c["credentialSubject"]["nested"] = {{"deep", {{"x", json::array({1, 2})}}}};
      },
      [](json& c) {
        c["credentialSubject"] =
            json::array({{{"id", "did:example:a"}, {"n", {{"k", 1}}}}, {{"name", "second"}}});
      },
      [](json& c) {
        c["credentialSubject"]["id"] = {{"not", "a url"}};
      },
      [](json& c) { c["credentialSubject"]["id"] = json::array({"did:example:a"}); },
      [](json& c) { c["credentialSubject"] = json::object(); },
      [](json& c) { c["credentialSubject"] = json::array({json::object()}); },
      [](json& c) { c["credentialSubject"] = "did:example:a"; },
      [](json& c) { c.erase("credentialSubject"); },
      [](json& c) { c["validFrom"] = "2026-13-01T00:00:00Z"; },
      [](json& c) { c["validUntil"] = "2026-02-01T00:00:00Z"; },  // expired by now
      [](json& c) { c["validFrom"] = "2027-01-01T00:00:00Z"; },   // not yet valid
      [](json& c) { c["type"] = json::array({"Other"}); },
      [](json& c) { c["@context"] = json::array({"https://example.org/only"}); },
      [](json& c) {
        c["credentialStatus"] = {{"type", "BitstringStatusListEntry"},
                                 {"statusPurpose", "revocation"},
                                 {"statusListIndex", "7"},
                                 {"statusListCredential", "https://example.org/list"}};
      },
      [](json& c) {
        c["credentialSchema"] = {{"id", "https://example.org/s.json"}, {"type", "JsonSchema"}};
      },
      [](json& c) {
        c["name"] = json::array({{{"@value", "n"}, {"@language", "en"}}});
      },
      [](json& c) {
        c["evidence"] = json::array({{{"type", json::array({"E"})}, {"x", {1}}}});
      },
      [](json& c) {
        c["big"] = json::array({1.5e300, -0.0, 9007199254740993u, "\u00e9\n"});
      },
  };
  int verified = 0;
  int rdfc_verified = 0;
  for (size_t i = 0; i < shapes.size(); ++i) {
    // Data Integrity, signed directly so that invalid structures carry valid signatures. The
    // RDF suites get a vocabulary for the shapes' undefined terms; a shape that still cannot
    // be signed in safe mode (another @context) is left out for them.
    for (auto [key, did, suite] :
         {std::tuple{&ed, ed_did, "eddsa-jcs-2022"}, std::tuple{&p256, p_did, "ecdsa-jcs-2019"},
          std::tuple{&ed, ed_did, "eddsa-rdfc-2022"}, std::tuple{&p256, p_did, "ecdsa-rdfc-2019"},
          std::tuple{&p384, p384_did, "ecdsa-rdfc-2019"}}) {
      const bool rdfc = std::string_view(suite).find("rdfc") != std::string_view::npos;
      json c = base(did);
      if (rdfc) c["@context"].push_back("https://www.w3.org/ns/credentials/undefined-terms/v2");
      shapes[i](c);
      ProofOptions po;
      po.cryptosuite = suite;
      po.verification_method = did + "#" + did.substr(8);
      auto secured = AddProof(c, po, *key);
      if (rdfc && !secured.ok()) continue;
      ASSERT_TRUE(secured.ok()) << secured.status();
      const std::string text = secured->dump();
      VerificationReport fast = VerifyCredentialText(text, ctx_);
      EXPECT_EQ(fast.ToJson(), VerifyCredentialText(text, ctx_, full).ToJson())
          << "shape " << i << " " << suite << "\n"
          << text;
      verified += fast.verified();
      rdfc_verified += rdfc && fast.verified();
    }
    // vc+jwt.
    json c = base(p_did);
    shapes[i](c);
    auto jwt = SignJwt(c, Envelope::kCredential, p256, p_did + "#" + p_did.substr(8));
    ASSERT_TRUE(jwt.ok()) << jwt.status();
    VerificationReport fast = VerifyCredentialText(*jwt, ctx_);
    EXPECT_EQ(fast.ToJson(), VerifyCredentialText(*jwt, ctx_, full).ToJson())
        << "shape " << i << " vc+jwt\n"
        << c.dump();
    verified += fast.verified();
  }
  // The valid shapes verified, on the fast path.
  EXPECT_GE(verified, 12);
  EXPECT_GE(rdfc_verified, 6);
}

// Regression: a proof whose @context is a strict prefix of the document's is hashed from a
// document with the proof's @context; the fast path must not hash its skeleton for that (the
// skeleton hides credentialSubject claims, so changed claims would verify).
TEST_F(VerifierTest, FastPathNeverHashesItsSkeleton) {
  auto key = *jose::PrivateKey::Generate(jose::KeyType::kEd25519, rng_);
  const std::string did = did::DidKeyFor(key.public_key()).ToString();
  json c = Unsigned();
  c["issuer"] = did;
  c["credentialSubject"] = {{"id", "did:example:alice"}, {"", nullptr}};
  ProofOptions po;
  po.cryptosuite = "eddsa-jcs-2022";
  po.verification_method = did + "#" + did.substr(8);
  json signed_doc = *AddProof(c, po, key);
  ASSERT_TRUE(VerifyCredentialText(signed_doc.dump(), ctx_).verified());
  json forged = signed_doc;
  forged["@context"].push_back("https://www.w3.org/ns/credentials/v2");
  forged["credentialSubject"] = {{"id", "did:example:alice"}, {"degree", "PhD"}, {"role", "admin"}};
  VerifyLimits full;
  full.fast_path = false;
  EXPECT_FALSE(VerifyCredentialText(forged.dump(), ctx_, full).verified());
  EXPECT_FALSE(VerifyCredentialText(forged.dump(), ctx_).verified());
  // Appending a context alone keeps the credential valid (Data Integrity "verify proof" 4.2).
  json appended = signed_doc;
  appended["@context"].push_back("https://www.w3.org/ns/credentials/v2");
  EXPECT_EQ(VerifyCredentialText(appended.dump(), ctx_).ToJson(),
            VerifyCredentialText(appended.dump(), ctx_, full).ToJson());
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

// Fills ledger-anchor with the digest of what the verifier hands over as the whole document's
// canonical form, checking that it is exactly the canonical form of the document.
class DigestingSlots : public SlotChecker {
 public:
  void Fill(const SecuredCredential& c, VerificationReport& r) const override {
    // What the verifier gave, else the canonical form of the parsed document or of the text.
    Result<std::string> computed = InternalError("no document");
    if (c.full_json != nullptr) {
      computed = codec::Canonicalize(*c.full_json);
    } else if (!c.json_text.empty()) {
      computed = codec::CanonicalizeText(c.json_text);
    }
    std::string whole;
    if (!c.jwt.empty()) {
      whole = std::string(c.jwt);
    } else if (!c.canonical.empty()) {
      ++handed_over;
      if (!computed.ok() || *computed != c.canonical) ++wrong;
      whole = std::string(c.canonical);
    } else if (computed.ok()) {
      whole = *computed;
    } else {
      r.Fail(kCheckLedgerAnchor, "no canonical form");
      return;
    }
    const auto h =
        crypto::Sha256(std::span(reinterpret_cast<const uint8_t*>(whole.data()), whole.size()));
    r.Pass(kCheckLedgerAnchor, codec::HexEncode(h));
  }
  mutable int handed_over = 0;
  mutable int wrong = 0;
};

// A presentation's embedded credentials are canonicalized once, for the holder's proof, their
// own proofs and the slot checker's digest. Sound or broken, the reports must be exactly those
// of the full path, where every proof canonicalizes on its own.
TEST_F(VerifierTest, PresentationsCanonicalizeEachCredentialOnce) {
  DigestingSlots slots;
  ctx_.slots = &slots;
  VerifyLimits full;
  full.fast_path = false;
  auto ed = *jose::PrivateKey::Generate(jose::KeyType::kEd25519, rng_);
  auto p256 = *jose::PrivateKey::Generate(jose::KeyType::kP256, rng_);
  const std::string ed_did = did::DidKeyFor(ed.public_key()).ToString();
  const std::string p_did = did::DidKeyFor(p256.public_key()).ToString();
  auto sign = [&](json c, const char* suite, const jose::PrivateKey& key, const std::string& did) {
    ProofOptions po;
    po.cryptosuite = suite;
    po.verification_method = did + "#" + did.substr(8);
    auto secured = AddProof(c, po, key);
    EXPECT_TRUE(secured.ok()) << secured.status();
    return *secured;
  };
  auto base = [](const std::string& issuer, const char* name) {
    json c = Unsigned();
    c["issuer"] = issuer;
    c["credentialSubject"]["name"] = name;
    c["@context"].push_back("https://www.w3.org/ns/credentials/undefined-terms/v2");
    return c;
  };
  const json eddsa = sign(base(ed_did, "a"), "eddsa-jcs-2022", ed, ed_did);
  const json ecdsa = sign(base(p_did, "b"), "ecdsa-jcs-2019", p256, p_did);
  // A proof set mixing a JCS and an RDF suite: no shared transform to precompute.
  const json mixed =
      sign(sign(base(ed_did, "c"), "eddsa-jcs-2022", ed, ed_did), "eddsa-rdfc-2022", ed, ed_did);
  // Signed under a prefix of the document's @context (the proof hashes another document).
  json prefixed = eddsa;
  prefixed["@context"].push_back("https://www.w3.org/ns/credentials/v2");
  json edited = ecdsa;
  edited["credentialSubject"]["name"] = "edited";
  const std::string jwt = Issue(jose::KeyType::kP256, "vc-jwt-es256").jwt;
  auto present = [&](std::vector<json> credentials, const char* suite) {
    PresentOptions o;
    o.securing = *ParseSecuring(suite);
    o.holder = std::string_view(suite).find("ecdsa") != std::string_view::npos ? p_did : ed_did;
    o.now = clock_.Now();
    o.random = &rng_;
    auto vp = CreatePresentation(credentials, o.holder == p_did ? p256 : ed, o);
    EXPECT_TRUE(vp.ok()) << vp.status();
    return vp->secured;
  };
  std::vector<std::pair<std::string, json>> cases;
  for (const char* suite : {"eddsa-jcs-2022", "ecdsa-jcs-2019", "eddsa-rdfc-2022"}) {
    cases.emplace_back(std::string(suite) + " sound",
                       present({eddsa, ecdsa, mixed, prefixed, json(jwt)}, suite));
    cases.emplace_back(std::string(suite) + " edited credential", present({eddsa, edited}, suite));
  }
  json after = present({eddsa, ecdsa}, "eddsa-jcs-2022");
  after["verifiableCredential"][1]["credentialSubject"]["name"] = "changed after presenting";
  cases.emplace_back("presentation edited", after);
  json single = present({eddsa}, "eddsa-jcs-2022");
  single["verifiableCredential"] = eddsa;  // one credential, not in an array (signature breaks)
  cases.emplace_back("single credential", single);
  json nan = present({ecdsa}, "eddsa-jcs-2022");
  nan["verifiableCredential"][0]["credentialSubject"]["n"] = std::nan("");  // JCS refuses it
  cases.emplace_back("unwritable credential", nan);
  std::vector<std::string> verified;
  for (const auto& [name, vp] : cases) {
    const PresentationReport fast = VerifyPresentation(vp, ctx_, {});
    EXPECT_EQ(fast.ToJson(), VerifyPresentation(vp, ctx_, {}, full).ToJson()) << name;
    if (fast.verified()) verified.push_back(name);
  }
  EXPECT_EQ(verified, (std::vector<std::string>{"eddsa-jcs-2022 sound", "ecdsa-jcs-2019 sound",
                                                "eddsa-rdfc-2022 sound"}));
  // Credentials verified from text hand over the fast path's canonical form the same way.
  for (const json& c : {eddsa, ecdsa, mixed, prefixed, edited}) {
    const std::string text = c.dump();
    EXPECT_EQ(VerifyCredentialText(text, ctx_).ToJson(),
              VerifyCredentialText(text, ctx_, full).ToJson())
        << text;
  }
  EXPECT_GT(slots.handed_over, 10);
  EXPECT_EQ(slots.wrong, 0);
}

}  // namespace
}  // namespace traceport::vc
