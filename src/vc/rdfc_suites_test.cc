// The RDF-canonicalized suites (eddsa-rdfc-2022, ecdsa-rdfc-2019) and the legacy suites
// (Ed25519Signature2020/2018, JsonWebSignature2020) end to end, with the built-in pinned
// contexts. The published vectors are in tests/conformance/vc_di_test.cc.
#include <gtest/gtest.h>

#include <string>

#include "codec/base64.h"
#include "codec/multibase.h"
#include "common/testing/fake_random.h"
#include "vc/cryptosuite.h"
#include "vc/data_integrity.h"

namespace traceport::vc {
namespace {

using nlohmann::json;

// The VC 2.0 context defines no @vocab; the "undefined terms" context maps every other term
// under https://www.w3.org/ns/credentials/issuer-dependent#.
json Credential() {
  return {{"@context", json::array({"https://www.w3.org/ns/credentials/v2",
                                    "https://www.w3.org/ns/credentials/undefined-terms/v2"})},
          {"id", "urn:uuid:4c5e1a52-6a5a-4e0a-9d1c-0f6c1b2f9e31"},
          {"type", json::array({"VerifiableCredential", "MillTestReportCredential"})},
          {"issuer", "did:example:mill"},
          {"validFrom", "2026-01-01T00:00:00Z"},
          {"credentialSubject", {{"id", "urn:heat:H-20931"}, {"heatNumber", "H-20931"}}}};
}

jose::PrivateKey Key(jose::KeyType type, uint64_t seed) {
  testing::FakeRandom rng(seed);
  return *jose::PrivateKey::Generate(type, rng);
}

KeyLookup LookupOf(const jose::PrivateKey& key) {
  return [pub = key.public_key()](std::string_view, std::string_view) {
    return Result<jose::PublicKey>(pub);
  };
}

ProofOptions Options(std::string_view suite) {
  ProofOptions o;
  o.cryptosuite = std::string(suite);
  o.verification_method = "did:example:mill#key-1";
  o.created = "2026-03-01T10:00:00Z";
  return o;
}

TEST(RdfcSuitesTest, SignAndVerifyEveryKeyType) {
  const struct {
    std::string_view suite;
    jose::KeyType type;
  } cases[] = {{kEddsaRdfc2022, jose::KeyType::kEd25519},
               {kEcdsaRdfc2019, jose::KeyType::kP256},
               {kEcdsaRdfc2019, jose::KeyType::kP384}};
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.suite));
    const jose::PrivateKey key = Key(c.type, 7);
    auto secured = AddProof(Credential(), Options(c.suite), key);
    ASSERT_TRUE(secured.ok()) << secured.status();
    // The RDF suites never copy @context into the proof.
    EXPECT_FALSE((*secured)["proof"].contains("@context"));
    auto results = VerifyProofs(*secured, LookupOf(key));
    EXPECT_TRUE(AllProofsVerified(results)) << results[0].failure();

    // Reordering members or changing JSON layout does not change the RDF: still valid.
    json reordered = json::parse(secured->dump(2));
    EXPECT_TRUE(AllProofsVerified(VerifyProofs(reordered, LookupOf(key))));

    json tampered = *secured;
    tampered["credentialSubject"]["heatNumber"] = "H-20932";
    EXPECT_FALSE(AllProofsVerified(VerifyProofs(tampered, LookupOf(key))));
  }
}

TEST(RdfcSuitesTest, Ed25519ProofsAreDeterministic) {
  const jose::PrivateKey key = Key(jose::KeyType::kEd25519, 3);
  auto a = AddProof(Credential(), Options(kEddsaRdfc2022), key);
  auto b = AddProof(Credential(), Options(kEddsaRdfc2022), key);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
}

TEST(RdfcSuitesTest, SafeModeRefusesUndefinedTerms) {
  // Without the undefined-terms context, "heatNumber" is defined by no context and would be
  // dropped (and so not signed) by a lenient processor.
  json v2 = Credential();
  v2["@context"].erase(1);
  auto refused = AddProof(v2, Options(kEcdsaRdfc2019), Key(jose::KeyType::kP256, 1));
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("safe mode undefined term: term \"heatNumber\""),
            std::string::npos)
      << refused.status();

  // The same with the VC 1.1 context.
  json doc = Credential();
  doc["@context"] = json::array({"https://www.w3.org/2018/credentials/v1"});
  doc.erase("validFrom");
  doc["issuanceDate"] = "2026-01-01T00:00:00Z";
  auto secured = AddProof(doc, Options(kEddsaRdfc2022), Key(jose::KeyType::kEd25519, 1));
  ASSERT_FALSE(secured.ok());
  EXPECT_NE(secured.status().message().find("safe mode undefined term"), std::string::npos)
      << secured.status();
  EXPECT_NE(secured.status().message().find("heatNumber"), std::string::npos) << secured.status();
}

TEST(RdfcSuitesTest, UnpinnedContextIsAnError) {
  json doc = Credential();
  doc["@context"].push_back("https://contexts.example/not-pinned/v1");
  auto secured = AddProof(doc, Options(kEddsaRdfc2022), Key(jose::KeyType::kEd25519, 1));
  ASSERT_FALSE(secured.ok());
  EXPECT_NE(secured.status().message().find("loading remote context failed"), std::string::npos)
      << secured.status();
  EXPECT_NE(secured.status().message().find("https://contexts.example/not-pinned/v1"),
            std::string::npos);
}

TEST(RdfcSuitesTest, JcsAndRdfcHashesDiffer) {
  // Naming the JCS twin on an RDFC proof must not verify: the canonical forms differ.
  const jose::PrivateKey key = Key(jose::KeyType::kEd25519, 9);
  auto secured = AddProof(Credential(), Options(kEddsaRdfc2022), key);
  ASSERT_TRUE(secured.ok());
  (*secured)["proof"]["cryptosuite"] = kEddsaJcs2022;
  EXPECT_FALSE(AllProofsVerified(VerifyProofs(*secured, LookupOf(key))));
}

// A legacy proof made by hand: the suite's intermediates, then the proof value its way.
json LegacySigned(std::string_view type, const jose::PrivateKey& key, bool jws) {
  json doc = Credential();
  doc["@context"].push_back(
      type == kEd25519Signature2020   ? "https://w3id.org/security/suites/ed25519-2020/v1"
      : type == kEd25519Signature2018 ? "https://w3id.org/security/suites/ed25519-2018/v1"
                                      : "https://w3id.org/security/suites/jws-2020/v1");
  json proof = {{"type", type},
                {"created", "2026-03-01T10:00:00Z"},
                {"verificationMethod", "did:example:mill#key-1"},
                {"proofPurpose", "assertionMethod"}};
  const Cryptosuite& suite = *FindCryptosuite(type);
  auto im = ComputeProofIntermediates(suite, doc, proof, key.type());
  EXPECT_TRUE(im.ok()) << im.status();
  if (!im.ok()) return doc;
  if (jws) {
    const std::string alg(jose::AlgorithmName(key.algorithm()));
    const std::string header =
        codec::Base64UrlEncode(R"({"alg":")" + alg + R"(","b64":false,"crit":["b64"]})");
    std::vector<uint8_t> input(header.begin(), header.end());
    input.push_back('.');
    input.insert(input.end(), im->hash.bytes.begin(), im->hash.bytes.end());
    auto sig = key.Sign(input);
    EXPECT_TRUE(sig.ok());
    proof["jws"] = header + ".." + codec::Base64UrlEncode(*sig);
  } else {
    auto sig = suite.SerializeProof(im->hash.bytes, key);
    EXPECT_TRUE(sig.ok());
    proof["proofValue"] = codec::MultibaseEncode(codec::Multibase::kBase58Btc, *sig);
  }
  doc["proof"] = proof;
  return doc;
}

TEST(RdfcSuitesTest, LegacySuitesVerify) {
  const struct {
    std::string_view type;
    jose::KeyType key;
    bool jws;
  } cases[] = {{kEd25519Signature2020, jose::KeyType::kEd25519, false},
               {kEd25519Signature2018, jose::KeyType::kEd25519, true},
               {kJsonWebSignature2020, jose::KeyType::kEd25519, true},
               {kJsonWebSignature2020, jose::KeyType::kP256, true},
               {kJsonWebSignature2020, jose::KeyType::kP384, true}};
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.type) + " " + std::string(KeyTypeDisplayName(c.key)));
    const jose::PrivateKey key = Key(c.key, 11);
    json signed_doc = LegacySigned(c.type, key, c.jws);
    auto results = VerifyProofs(signed_doc, LookupOf(key));
    ASSERT_EQ(results.size(), 1u);
    EXPECT_TRUE(results[0].verified()) << results[0].failure();
    EXPECT_EQ(results[0].cryptosuite, c.type);

    json tampered = signed_doc;
    tampered["credentialSubject"]["heatNumber"] = "H-1";
    EXPECT_FALSE(AllProofsVerified(VerifyProofs(tampered, LookupOf(key))));

    if (c.jws) {
      // An attached (b64) header is not the detached form these suites use.
      json attached = signed_doc;
      std::string jws = attached["proof"]["jws"];
      const std::string alg(jose::AlgorithmName(key.algorithm()));
      attached["proof"]["jws"] =
          codec::Base64UrlEncode(R"({"alg":")" + alg + R"("})") + jws.substr(jws.find('.'));
      auto r = VerifyProofs(attached, LookupOf(key));
      EXPECT_FALSE(AllProofsVerified(r));
      json no_dots = signed_doc;
      no_dots["proof"]["jws"] = "abc";
      r = VerifyProofs(no_dots, LookupOf(key));
      ASSERT_EQ(r.size(), 1u);
      EXPECT_TRUE(r[0].structure.failed());
    }
  }
}

TEST(RdfcSuitesTest, LegacySuitesAreVerifyOnly) {
  for (std::string_view type :
       {kEd25519Signature2020, kEd25519Signature2018, kJsonWebSignature2020}) {
    const Cryptosuite* suite = FindCryptosuite(type);
    ASSERT_NE(suite, nullptr);
    EXPECT_FALSE(suite->CanCreate());
    EXPECT_EQ(suite->proof_type(), type);
    auto added = AddProof(Credential(), Options(type), Key(jose::KeyType::kEd25519, 1));
    EXPECT_EQ(added.status().code(), StatusCode::kUnimplemented) << added.status();
  }
}

}  // namespace
}  // namespace traceport::vc
