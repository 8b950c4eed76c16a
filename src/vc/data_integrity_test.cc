#include "vc/data_integrity.h"

#include <gtest/gtest.h>

#include <map>
#include <stdexcept>

#include "codec/multibase.h"
#include "common/testing/fake_random.h"
#include "did/methods.h"
#include "vc/cryptosuite.h"

namespace traceport::vc {
namespace {

using nlohmann::json;

json Credential() {
  return {{"@context", json::array({"https://www.w3.org/ns/credentials/v2"})},
          {"id", "urn:uuid:0b8f5a3e-5c1d-4b7e-9a51-3f2d2c1e7a10"},
          {"type", json::array({"VerifiableCredential", "ShipmentCredential"})},
          {"issuer", "did:example:carrier"},
          {"validFrom", "2026-01-01T00:00:00Z"},
          {"credentialSubject",
           {{"id", "did:example:shipment-42"}, {"weightKg", 1250}, {"origin", "Rotterdam"}}}};
}

struct Signer {
  jose::PrivateKey key;
  std::string method;
};

Signer MakeSigner(jose::KeyType type, uint64_t seed, std::string method) {
  testing::FakeRandom rng(seed);
  return {*jose::PrivateKey::Generate(type, rng), std::move(method)};
}

std::string SuiteFor(jose::KeyType type) {
  return std::string(type == jose::KeyType::kEd25519 ? kEddsaJcs2022 : kEcdsaJcs2019);
}

ProofOptions OptionsFor(const Signer& s) {
  ProofOptions o;
  o.cryptosuite = SuiteFor(s.key.type());
  o.verification_method = s.method;
  o.created = "2026-03-01T10:00:00Z";
  return o;
}

// A KeyLookup over a fixed table; unknown methods are NotFound.
class Keys {
 public:
  void Add(const Signer& s) { keys_.insert_or_assign(s.method, s.key.public_key()); }
  void Set(const std::string& method, const jose::PublicKey& key) {
    keys_.insert_or_assign(method, key);
  }
  KeyLookup lookup() const {
    return [this](std::string_view method, std::string_view) -> Result<jose::PublicKey> {
      auto it = keys_.find(std::string(method));
      if (it == keys_.end()) return NotFoundError("no key " + std::string(method));
      return it->second;
    };
  }

 private:
  std::map<std::string, jose::PublicKey> keys_;
};

VerifyOptions At(std::string_view now) {
  VerifyOptions o;
  o.now = *ParseRfc3339(now);
  return o;
}

// Signs Credential() with one Ed25519 key; the fixture most negative tests mutate.
class DataIntegrityNegativeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    keys_.Add(signer_);
    auto secured = AddProof(Credential(), OptionsFor(signer_), signer_.key);
    ASSERT_TRUE(secured.ok()) << secured.status();
    secured_ = *secured;
    ASSERT_TRUE(AllProofsVerified(Verify(secured_)));
  }

  std::vector<ProofResult> Verify(const json& doc, const VerifyOptions& o = {}) const {
    return VerifyProofs(doc, keys_.lookup(), o);
  }
  // The single result of `doc`, which must have exactly one proof.
  ProofResult One(const json& doc, const VerifyOptions& o = {}) const {
    auto r = Verify(doc, o);
    EXPECT_EQ(r.size(), 1u);
    return r.empty() ? ProofResult() : r[0];
  }

  Signer signer_ = MakeSigner(jose::KeyType::kEd25519, 1, "did:example:carrier#key-1");
  Keys keys_;
  json secured_;
};

TEST(DataIntegrityTest, RoundTripEverySuiteAndCurve) {
  for (auto type : {jose::KeyType::kEd25519, jose::KeyType::kP256, jose::KeyType::kP384}) {
    SCOPED_TRACE(jose::KeyTypeName(type));
    const Signer s = MakeSigner(type, 11, "did:example:carrier#key-1");
    Keys keys;
    keys.Add(s);
    auto secured = AddProof(Credential(), OptionsFor(s), s.key);
    ASSERT_TRUE(secured.ok()) << secured.status();

    const json& proof = (*secured)["proof"];
    ASSERT_TRUE(proof.is_object());
    EXPECT_EQ(proof["type"], "DataIntegrityProof");
    EXPECT_EQ(proof["cryptosuite"], SuiteFor(type));
    EXPECT_EQ(proof["created"], "2026-03-01T10:00:00Z");
    EXPECT_EQ(proof["verificationMethod"], s.method);
    EXPECT_EQ(proof["proofPurpose"], "assertionMethod");
    // The JCS suites copy the document's context into the proof.
    EXPECT_EQ(proof["@context"], Credential()["@context"]);
    auto bytes = codec::MultibaseDecodeAs(codec::Multibase::kBase58Btc,
                                          proof["proofValue"].get<std::string>());
    ASSERT_TRUE(bytes.ok());
    EXPECT_EQ(bytes->size(), type == jose::KeyType::kP384 ? 96u : 64u);
    // Everything but the proof is unchanged.
    json without = *secured;
    without.erase("proof");
    EXPECT_EQ(without, Credential());

    auto results = VerifyProofs(*secured, keys.lookup());
    ASSERT_EQ(results.size(), 1u);
    const ProofResult& r = results[0];
    EXPECT_TRUE(r.verified()) << r.failure();
    EXPECT_EQ(r.failure(), "");
    EXPECT_EQ(r.index, 0u);
    EXPECT_EQ(r.cryptosuite, SuiteFor(type));
    EXPECT_EQ(r.verification_method, s.method);
    EXPECT_EQ(r.proof_purpose, "assertionMethod");
    EXPECT_TRUE(r.structure.passed());
    EXPECT_TRUE(r.purpose.passed());
    EXPECT_TRUE(r.key_resolution.passed());
    EXPECT_TRUE(r.signature.passed());
    EXPECT_EQ(r.chain.status, StageStatus::kSkipped);
    EXPECT_TRUE(AllProofsVerified(results));
  }
}

TEST(DataIntegrityTest, PlainJsonWithoutContextAndOptionalMembers) {
  const Signer s = MakeSigner(jose::KeyType::kP256, 12, "https://issuer.example/keys#1");
  Keys keys;
  keys.Add(s);
  ProofOptions o = OptionsFor(s);
  o.created.clear();
  o.proof_purpose = "authentication";
  o.nonce = "n-1";
  o.id = "urn:uuid:11111111-2222-4333-8444-555555555555";
  auto secured = AddProof(json{{"myWebsite", "https://hello.world.example/"}}, o, s.key);
  ASSERT_TRUE(secured.ok()) << secured.status();
  const json& proof = (*secured)["proof"];
  EXPECT_FALSE(proof.contains("@context"));
  EXPECT_FALSE(proof.contains("created"));
  EXPECT_EQ(proof["nonce"], "n-1");
  EXPECT_EQ(proof["id"], *o.id);

  VerifyOptions v;
  v.expected_proof_purpose = "authentication";
  auto r = VerifyProofs(*secured, keys.lookup(), v);
  EXPECT_TRUE(AllProofsVerified(r)) << r[0].failure();
  EXPECT_EQ(r[0].id, *o.id);
  // The nonce is covered by the signature.
  json changed = *secured;
  changed["proof"]["nonce"] = "n-2";
  r = VerifyProofs(changed, keys.lookup(), v);
  EXPECT_TRUE(r[0].signature.failed()) << r[0].failure();
}

TEST(DataIntegrityTest, ProofSet) {
  const Signer a = MakeSigner(jose::KeyType::kEd25519, 21, "did:example:a#k");
  const Signer b = MakeSigner(jose::KeyType::kP256, 22, "did:example:b#k");
  const Signer c = MakeSigner(jose::KeyType::kP384, 23, "did:example:c#k");
  Keys keys;
  keys.Add(a);
  keys.Add(b);
  keys.Add(c);
  auto one = AddProof(Credential(), OptionsFor(a), a.key);
  ASSERT_TRUE(one.ok()) << one.status();
  auto two = AddProof(*one, OptionsFor(b), b.key);
  ASSERT_TRUE(two.ok()) << two.status();
  auto three = AddProof(*two, OptionsFor(c), c.key);
  ASSERT_TRUE(three.ok()) << three.status();
  ASSERT_TRUE((*three)["proof"].is_array());
  ASSERT_EQ((*three)["proof"].size(), 3u);
  EXPECT_EQ((*three)["proof"][0], (*one)["proof"]);

  auto results = VerifyProofs(*three, keys.lookup());
  ASSERT_EQ(results.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(results[i].index, i);
    EXPECT_TRUE(results[i].verified()) << i << ": " << results[i].failure();
  }
  EXPECT_EQ(results[1].cryptosuite, "ecdsa-jcs-2019");

  // Set members are independent: dropping or reordering one leaves the others valid.
  json fewer = *three;
  fewer["proof"].erase(1);
  EXPECT_TRUE(AllProofsVerified(VerifyProofs(fewer, keys.lookup())));
  json reordered = *three;
  std::swap(reordered["proof"][0], reordered["proof"][2]);
  EXPECT_TRUE(AllProofsVerified(VerifyProofs(reordered, keys.lookup())));

  // One bad member fails only itself, and the document as a whole.
  json bad = *three;
  bad["proof"][2]["created"] = "2026-03-01T10:00:01Z";
  results = VerifyProofs(bad, keys.lookup());
  EXPECT_TRUE(results[0].verified());
  EXPECT_TRUE(results[1].verified());
  EXPECT_TRUE(results[2].signature.failed());
  EXPECT_FALSE(AllProofsVerified(results));
}

// Two independent proofs, a third chained to both, a fourth chained to the third.
class DataIntegrityChainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const Signer* s : {&a_, &b_, &c_, &d_}) keys_.Add(*s);
    ProofOptions oa = OptionsFor(a_);
    oa.id = "urn:uuid:aaaaaaaa-0000-4000-8000-000000000001";
    ProofOptions ob = OptionsFor(b_);
    ob.id = "urn:uuid:bbbbbbbb-0000-4000-8000-000000000002";
    ProofOptions oc = OptionsFor(c_);
    oc.id = "urn:uuid:cccccccc-0000-4000-8000-000000000003";
    oc.previous_proof = {*oa.id, *ob.id};
    ProofOptions od = OptionsFor(d_);
    od.previous_proof = {*oc.id};
    json doc = Credential();
    for (auto [o, s] :
         {std::pair{&oa, &a_}, std::pair{&ob, &b_}, std::pair{&oc, &c_}, std::pair{&od, &d_}}) {
      auto next = AddProof(doc, *o, s->key);
      ASSERT_TRUE(next.ok()) << next.status();
      doc = *next;
    }
    chain_ = doc;
  }

  std::vector<ProofResult> Verify(const json& doc) const {
    return VerifyProofs(doc, keys_.lookup());
  }

  Signer a_ = MakeSigner(jose::KeyType::kEd25519, 31, "did:example:a#k");
  Signer b_ = MakeSigner(jose::KeyType::kEd25519, 32, "did:example:b#k");
  Signer c_ = MakeSigner(jose::KeyType::kP256, 33, "did:example:notary#k");
  Signer d_ = MakeSigner(jose::KeyType::kP384, 34, "did:example:customs#k");
  Keys keys_;
  json chain_;
};

TEST_F(DataIntegrityChainTest, EveryProofVerifies) {
  ASSERT_EQ(chain_["proof"].size(), 4u);
  EXPECT_EQ(chain_["proof"][2]["previousProof"],
            json::array({"urn:uuid:aaaaaaaa-0000-4000-8000-000000000001",
                         "urn:uuid:bbbbbbbb-0000-4000-8000-000000000002"}));
  // One id is written as a string.
  EXPECT_EQ(chain_["proof"][3]["previousProof"], "urn:uuid:cccccccc-0000-4000-8000-000000000003");
  auto results = Verify(chain_);
  ASSERT_EQ(results.size(), 4u);
  for (const auto& r : results) EXPECT_TRUE(r.verified()) << r.index << ": " << r.failure();
  EXPECT_EQ(results[0].chain.status, StageStatus::kSkipped);
  EXPECT_TRUE(results[2].chain.passed());
  EXPECT_TRUE(results[3].chain.passed());
}

TEST_F(DataIntegrityChainTest, ChainedProofSignsThePreviousProofs) {
  // Dropping a proof the chain names fails the chained proof with a reason.
  json dropped = chain_;
  dropped["proof"].erase(0);
  auto results = Verify(dropped);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_TRUE(results[0].verified());
  EXPECT_TRUE(results[1].structure.failed());
  EXPECT_NE(results[1].structure.reason.find(
                "\"urn:uuid:aaaaaaaa-0000-4000-8000-000000000001\" matches no proof"),
            std::string::npos)
      << results[1].structure.reason;
  // ... and everything chained after it.
  EXPECT_TRUE(results[2].signature.passed());
  EXPECT_TRUE(results[2].chain.failed());
  EXPECT_NE(results[2].chain.reason.find("did not verify"), std::string::npos);
  EXPECT_FALSE(AllProofsVerified(results));

  // Replacing a named proof by another valid proof (same id, new signature) breaks the chained
  // proof's signature, since it covers the previous proofs byte for byte.
  ProofOptions again = OptionsFor(a_);
  again.id = "urn:uuid:aaaaaaaa-0000-4000-8000-000000000001";
  again.created = "2026-03-02T10:00:00Z";
  auto resigned = AddProof(Credential(), again, a_.key);
  ASSERT_TRUE(resigned.ok());
  json swapped = chain_;
  swapped["proof"][0] = (*resigned)["proof"];
  results = Verify(swapped);
  EXPECT_TRUE(results[0].verified());
  EXPECT_TRUE(results[2].signature.failed());
  EXPECT_TRUE(results[3].chain.failed());

  // The proofs it does not name are not covered: removing the last proof keeps the rest valid.
  json shorter = chain_;
  shorter["proof"].erase(3);
  EXPECT_TRUE(AllProofsVerified(Verify(shorter)));
}

TEST_F(DataIntegrityChainTest, MalformedReferences) {
  json self = chain_;
  self["proof"][3]["id"] = "urn:x";
  self["proof"][3]["previousProof"] = "urn:x";
  auto results = Verify(self);
  EXPECT_NE(results[3].structure.reason.find("names the proof itself"), std::string::npos);

  json twice = chain_;
  twice["proof"][2]["previousProof"] =
      json::array({"urn:uuid:aaaaaaaa-0000-4000-8000-000000000001",
                   "urn:uuid:aaaaaaaa-0000-4000-8000-000000000001"});
  EXPECT_NE(Verify(twice)[2].structure.reason.find("twice"), std::string::npos);

  json ambiguous = chain_;
  ambiguous["proof"][1]["id"] = ambiguous["proof"][0]["id"];
  results = Verify(ambiguous);
  EXPECT_NE(results[2].structure.reason.find("ambiguous"), std::string::npos);

  json not_strings = chain_;
  not_strings["proof"][3]["previousProof"] = json::array({1});
  EXPECT_TRUE(Verify(not_strings)[3].structure.failed());
  not_strings["proof"][3]["previousProof"] = json::array();
  EXPECT_TRUE(Verify(not_strings)[3].structure.failed());
  not_strings["proof"][3]["previousProof"] = json::object();
  EXPECT_TRUE(Verify(not_strings)[3].structure.failed());
}

TEST_F(DataIntegrityChainTest, AddProofChecksPreviousProofs) {
  ProofOptions o = OptionsFor(a_);
  o.previous_proof = {"urn:uuid:missing"};
  EXPECT_EQ(AddProof(chain_, o, a_.key).status().code(), StatusCode::kNotFound);
  o.previous_proof = {"urn:uuid:aaaaaaaa-0000-4000-8000-000000000001",
                      "urn:uuid:aaaaaaaa-0000-4000-8000-000000000001"};
  EXPECT_EQ(AddProof(chain_, o, a_.key).status().code(), StatusCode::kInvalidArgument);
  o.previous_proof = {};
  o.id = "urn:uuid:bbbbbbbb-0000-4000-8000-000000000002";
  EXPECT_EQ(AddProof(chain_, o, a_.key).status().code(), StatusCode::kAlreadyExists);
  // Unchained proofs can always join the set.
  o.id.reset();
  auto joined = AddProof(chain_, o, a_.key);
  ASSERT_TRUE(joined.ok()) << joined.status();
  EXPECT_TRUE(AllProofsVerified(Verify(*joined)));
  // An ambiguous id cannot be chained to.
  json ambiguous = chain_;
  ambiguous["proof"][1]["id"] = ambiguous["proof"][0]["id"];
  o.previous_proof = {"urn:uuid:aaaaaaaa-0000-4000-8000-000000000001"};
  EXPECT_EQ(AddProof(ambiguous, o, a_.key).status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(DataIntegrityNegativeTest, FlippedProofValueBit) {
  auto bytes = *codec::MultibaseDecodeAs(codec::Multibase::kBase58Btc,
                                         secured_["proof"]["proofValue"].get<std::string>());
  for (size_t bit : {0u, 100u, 511u}) {
    std::vector<uint8_t> flipped = bytes;
    flipped[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    json doc = secured_;
    doc["proof"]["proofValue"] = codec::MultibaseEncode(codec::Multibase::kBase58Btc, flipped);
    ProofResult r = One(doc);
    EXPECT_TRUE(r.signature.failed()) << bit;
    EXPECT_TRUE(r.key_resolution.passed());
    EXPECT_NE(r.signature.reason.find("does not verify"), std::string::npos) << r.failure();
  }
}

TEST_F(DataIntegrityNegativeTest, ChangedCredentialOrProofField) {
  json doc = secured_;
  doc["credentialSubject"]["origin"] = "Rotterdan";
  EXPECT_TRUE(One(doc).signature.failed());
  doc = secured_;
  doc["credentialSubject"]["weightKg"] = 1251;
  EXPECT_TRUE(One(doc).signature.failed());
  doc = secured_;
  doc["extra"] = true;
  EXPECT_TRUE(One(doc).signature.failed());
  doc = secured_;
  doc["proof"]["created"] = "2026-03-01T10:00:01Z";
  EXPECT_TRUE(One(doc).signature.failed());
  doc = secured_;
  doc["proof"].erase("created");
  EXPECT_TRUE(One(doc).signature.failed());
  doc = secured_;
  doc["proof"]["unknownMember"] = "x";
  EXPECT_TRUE(One(doc).signature.failed());
}

TEST_F(DataIntegrityNegativeTest, ChangedVerificationMethod) {
  json doc = secured_;
  doc["proof"]["verificationMethod"] = "did:example:carrier#key-2";
  ProofResult r = One(doc);
  EXPECT_TRUE(r.key_resolution.failed());
  EXPECT_EQ(r.signature.status, StageStatus::kSkipped);
  EXPECT_NE(r.key_resolution.reason.find("NOT_FOUND"), std::string::npos) << r.failure();

  // Pointing at another valid Ed25519 key fails the signature instead.
  const Signer other = MakeSigner(jose::KeyType::kEd25519, 2, "did:example:carrier#key-2");
  keys_.Add(other);
  r = One(doc);
  EXPECT_TRUE(r.key_resolution.passed());
  EXPECT_TRUE(r.signature.failed());
}

TEST_F(DataIntegrityNegativeTest, ChangedProofPurpose) {
  json doc = secured_;
  doc["proof"]["proofPurpose"] = "authentication";
  ProofResult r = One(doc);
  EXPECT_TRUE(r.purpose.failed());
  EXPECT_NE(r.purpose.reason.find("expects \"assertionMethod\""), std::string::npos);
  // Without an expectation the signature still catches it.
  VerifyOptions any;
  any.expected_proof_purpose.reset();
  r = One(doc, any);
  EXPECT_TRUE(r.purpose.passed());
  EXPECT_TRUE(r.signature.failed());
}

TEST_F(DataIntegrityNegativeTest, CryptosuiteAndType) {
  json doc = secured_;
  doc["proof"]["cryptosuite"] = "eddsa-jcs-2023";
  ProofResult r = One(doc);
  EXPECT_TRUE(r.structure.failed());
  EXPECT_NE(r.structure.reason.find("not supported"), std::string::npos);

  // Another real suite: the Ed25519 key does not fit it.
  doc["proof"]["cryptosuite"] = "ecdsa-jcs-2019";
  r = One(doc);
  EXPECT_TRUE(r.key_resolution.failed());
  EXPECT_NE(r.key_resolution.reason.find("Ed25519 key, which ecdsa-jcs-2019 does not accept"),
            std::string::npos)
      << r.failure();

  doc = secured_;
  doc["proof"]["type"] = "Ed25519Signature2099";
  r = One(doc);
  EXPECT_TRUE(r.structure.failed());
  EXPECT_NE(r.structure.reason.find("expected \"DataIntegrityProof\" or a supported legacy"),
            std::string::npos);
  // A legacy type the verifier knows: its own transformation, so the signature cannot match.
  doc["proof"]["type"] = "Ed25519Signature2020";
  r = One(doc);
  EXPECT_TRUE(r.structure.passed()) << r.failure();
  EXPECT_FALSE(r.verified());
  doc["proof"]["type"] = json::array({"DataIntegrityProof"});
  EXPECT_TRUE(One(doc).structure.failed());
  doc["proof"].erase("type");
  EXPECT_TRUE(One(doc).structure.failed());

  VerifyOptions only_ecdsa;
  only_ecdsa.allowed_cryptosuites = {"ecdsa-jcs-2019"};
  r = One(secured_, only_ecdsa);
  EXPECT_NE(r.structure.reason.find("not allowed"), std::string::npos);
}

TEST_F(DataIntegrityNegativeTest, KeyOfTheWrongCurve) {
  for (auto type : {jose::KeyType::kP256, jose::KeyType::kP384}) {
    const Signer wrong = MakeSigner(type, 5, signer_.method);
    Keys keys;
    keys.Add(wrong);
    auto r = VerifyProofs(secured_, keys.lookup());
    EXPECT_TRUE(r[0].key_resolution.failed());
    EXPECT_EQ(r[0].signature.status, StageStatus::kSkipped);
  }
  // And for ecdsa-jcs-2019: an Ed25519 key, or the other curve.
  const Signer p256 = MakeSigner(jose::KeyType::kP256, 6, "did:example:p#1");
  auto secured = *AddProof(Credential(), OptionsFor(p256), p256.key);
  Keys keys;
  keys.Set(p256.method, MakeSigner(jose::KeyType::kEd25519, 7, "").key.public_key());
  EXPECT_TRUE(VerifyProofs(secured, keys.lookup())[0].key_resolution.failed());
  // A P-384 key passes key resolution but a 64-byte proofValue is the wrong length for it.
  keys.Set(p256.method, MakeSigner(jose::KeyType::kP384, 8, "").key.public_key());
  auto r = VerifyProofs(secured, keys.lookup());
  EXPECT_TRUE(r[0].signature.failed());
  EXPECT_NE(r[0].signature.reason.find("64 bytes; a P-384 signature has 96"), std::string::npos)
      << r[0].failure();
}

TEST_F(DataIntegrityNegativeTest, ProofValueEncoding) {
  const std::string value = secured_["proof"]["proofValue"].get<std::string>();
  auto bytes = *codec::MultibaseDecodeAs(codec::Multibase::kBase58Btc, value);
  json doc = secured_;
  doc["proof"]["proofValue"] = codec::MultibaseEncode(codec::Multibase::kBase64Url, bytes);
  ProofResult r = One(doc);
  EXPECT_TRUE(r.structure.failed());
  EXPECT_NE(r.structure.reason.find("prefix 'z'"), std::string::npos);
  doc["proof"]["proofValue"] = value.substr(1);  // no multibase prefix at all
  EXPECT_TRUE(One(doc).structure.failed());
  doc["proof"]["proofValue"] = "z0OIl";  // not base58
  EXPECT_TRUE(One(doc).structure.failed());
  doc["proof"]["proofValue"] = "";
  EXPECT_TRUE(One(doc).structure.failed());
  doc["proof"]["proofValue"] = 5;
  EXPECT_TRUE(One(doc).structure.failed());
  doc["proof"].erase("proofValue");
  EXPECT_NE(One(doc).structure.reason.find("no proofValue"), std::string::npos);

  // Wrong length for the key: truncated, extended.
  for (size_t n : {63u, 65u, 0u}) {
    std::vector<uint8_t> resized = bytes;
    resized.resize(n, 0);
    doc = secured_;
    doc["proof"]["proofValue"] = codec::MultibaseEncode(codec::Multibase::kBase58Btc, resized);
    r = One(doc);
    EXPECT_TRUE(r.signature.failed()) << n;
    EXPECT_NE(r.signature.reason.find(std::to_string(n) + " bytes"), std::string::npos)
        << r.failure();
  }
}

TEST_F(DataIntegrityNegativeTest, StructureOfOtherMembers) {
  for (const auto& [member, value] : std::vector<std::pair<std::string, json>>{
           {"created", "2026-13-01T00:00:00Z"},
           {"created", 1767225600},
           {"expires", "tomorrow"},
           {"expires", "9999-12-31T23:59:59Z"},  // beyond what Time holds: refused, no overflow
           {"created", "0001-01-01T00:00:00Z"},
           {"verificationMethod", json::object({{"id", "did:example:carrier#key-1"}})},
           {"verificationMethod", ""},
           {"proofPurpose", json::array({"assertionMethod"})},
           {"id", 7},
           {"challenge", json::array()},
           {"nonce", false},
           {"domain", json::array()},
           {"domain", json::array({"a", 1})},
           {"cryptosuite", nullptr}}) {
    json doc = secured_;
    doc["proof"][member] = value;
    ProofResult r = One(doc);
    EXPECT_TRUE(r.structure.failed()) << member << " = " << value.dump();
    EXPECT_NE(r.structure.reason.find(member), std::string::npos) << r.structure.reason;
  }
  for (const char* member : {"verificationMethod", "proofPurpose", "cryptosuite"}) {
    json doc = secured_;
    doc["proof"].erase(member);
    EXPECT_NE(One(doc).structure.reason.find(std::string("no ") + member), std::string::npos);
  }
}

TEST_F(DataIntegrityNegativeTest, DocumentContextMustStartWithTheProofs) {
  // Data Integrity "verify proof" 4.1 / 4.2: the document's @context must start with the
  // proof's, and the document is hashed with the proof's. Contexts appended after signing
  // therefore leave the proof valid; anything else fails.
  json doc = secured_;
  doc["@context"].push_back("https://www.w3.org/ns/credentials/examples/v2");
  EXPECT_TRUE(One(doc).verified()) << One(doc).failure();

  doc = secured_;
  doc["@context"] = json::array({"https://www.w3.org/ns/credentials/examples/v2"});
  ProofResult r = One(doc);
  EXPECT_TRUE(r.structure.failed());
  EXPECT_NE(r.structure.reason.find("does not start with"), std::string::npos)
      << r.structure.reason;

  doc = secured_;
  doc["proof"]["@context"].push_back("https://www.w3.org/ns/credentials/examples/v2");
  EXPECT_TRUE(One(doc).structure.failed());  // longer than the document's

  // A single value is a list of one: the structure passes, and the signature (made over the
  // array form) decides.
  doc = secured_;
  doc["proof"]["@context"] = "https://www.w3.org/ns/credentials/v2";
  r = One(doc);
  EXPECT_FALSE(r.structure.failed()) << r.structure.reason;
  EXPECT_TRUE(r.signature.failed());

  doc = secured_;
  doc.erase("@context");
  EXPECT_NE(One(doc).structure.reason.find("document has none"), std::string::npos);

  // Removing the context from both is caught by the signature (the proof hash covered it).
  doc["proof"].erase("@context");
  EXPECT_TRUE(One(doc).signature.failed());

  doc = secured_;
  doc["@context"] = 42;
  auto results = Verify(doc);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_TRUE(results[0].structure.failed());
}

TEST_F(DataIntegrityNegativeTest, Expiry) {
  ProofOptions o = OptionsFor(signer_);
  o.expires = "2026-04-01T00:00:00Z";
  const json doc = *AddProof(Credential(), o, signer_.key);
  EXPECT_TRUE(One(doc, At("2026-03-31T23:59:59Z")).verified());
  ProofResult r = One(doc, At("2026-04-01T00:00:00Z"));
  EXPECT_TRUE(r.purpose.failed());
  EXPECT_NE(r.purpose.reason.find("expired at 2026-04-01T00:00:00Z"), std::string::npos);
  EXPECT_TRUE(One(doc, At("2027-01-01T00:00:00Z")).purpose.failed());
  // Moving expires forward breaks the signature.
  json extended = doc;
  extended["proof"]["expires"] = "2030-01-01T00:00:00Z";
  EXPECT_TRUE(One(extended, At("2027-01-01T00:00:00Z")).signature.failed());
}

TEST_F(DataIntegrityNegativeTest, ChallengeAndDomain) {
  ProofOptions o = OptionsFor(signer_);
  o.proof_purpose = "authentication";
  o.challenge = "c-123";
  o.domain = "verifier.example";
  const json doc = *AddProof(Credential(), o, signer_.key);

  VerifyOptions v;
  v.expected_proof_purpose = "authentication";
  v.expected_challenge = "c-123";
  v.expected_domain = "verifier.example";
  EXPECT_TRUE(One(doc, v).verified()) << One(doc, v).failure();

  VerifyOptions wrong = v;
  wrong.expected_challenge = "c-124";
  ProofResult r = One(doc, wrong);
  EXPECT_TRUE(r.purpose.failed());
  EXPECT_NE(r.purpose.reason.find("challenge"), std::string::npos);
  wrong = v;
  wrong.expected_domain = "evil.example";
  r = One(doc, wrong);
  EXPECT_TRUE(r.purpose.failed());
  EXPECT_NE(r.purpose.reason.find("domain"), std::string::npos);

  // A proof without challenge / domain fails when the verifier expects them.
  VerifyOptions needs = v;
  needs.expected_proof_purpose = "assertionMethod";
  EXPECT_NE(One(secured_, needs).purpose.reason.find("no challenge"), std::string::npos);
  needs.expected_challenge.reset();
  EXPECT_NE(One(secured_, needs).purpose.reason.find("no domain"), std::string::npos);

  // Rewriting the challenge to match a new request breaks the signature.
  json replayed = doc;
  replayed["proof"]["challenge"] = "c-999";
  VerifyOptions replay = v;
  replay.expected_challenge = "c-999";
  EXPECT_TRUE(One(replayed, replay).signature.failed());
}

TEST_F(DataIntegrityNegativeTest, DomainAsASet) {
  json doc = secured_;
  VerifyOptions v;
  v.expected_domain = "a.example";
  // Checked in the purpose stage, before the signature: arrays are taken as sets.
  doc["proof"]["domain"] = json::array({"a.example", "a.example"});
  EXPECT_TRUE(One(doc, v).purpose.passed());
  doc["proof"]["domain"] = json::array({"a.example", "b.example"});
  EXPECT_TRUE(One(doc, v).purpose.failed());
}

TEST_F(DataIntegrityNegativeTest, KeyLookupFailuresAreNotSignatureFailures) {
  KeyLookup failing = [](std::string_view, std::string_view) -> Result<jose::PublicKey> {
    return PermissionDeniedError("method not authorized for assertionMethod");
  };
  auto r = VerifyProofs(secured_, failing);
  EXPECT_TRUE(r[0].key_resolution.failed());
  EXPECT_NE(r[0].key_resolution.reason.find("not authorized"), std::string::npos);
  EXPECT_EQ(r[0].signature.status, StageStatus::kSkipped);
  EXPECT_EQ(r[0].failure().rfind("key-resolution: ", 0), 0u) << r[0].failure();

  KeyLookup throwing = [](std::string_view, std::string_view) -> Result<jose::PublicKey> {
    throw std::runtime_error("resolver exploded");
  };
  r = VerifyProofs(secured_, throwing);
  EXPECT_TRUE(r[0].key_resolution.failed());
  EXPECT_NE(r[0].key_resolution.reason.find("resolver exploded"), std::string::npos);
  EXPECT_TRUE(VerifyProofs(secured_, KeyLookup())[0].key_resolution.failed());

  // The lookup sees the proof's method and purpose.
  std::string seen;
  KeyLookup recording = [&](std::string_view m, std::string_view p) -> Result<jose::PublicKey> {
    seen = std::string(m) + "|" + std::string(p);
    return signer_.key.public_key();
  };
  EXPECT_TRUE(AllProofsVerified(VerifyProofs(secured_, recording)));
  EXPECT_EQ(seen, "did:example:carrier#key-1|assertionMethod");
}

TEST_F(DataIntegrityNegativeTest, DocumentLevelProblems) {
  auto expect_document_failure = [&](const json& doc, std::string_view words,
                                     const VerifyOptions& o = {}) {
    auto r = Verify(doc, o);
    ASSERT_EQ(r.size(), 1u) << doc.dump();
    EXPECT_EQ(r[0].index, 0u);
    EXPECT_TRUE(r[0].structure.failed());
    EXPECT_NE(r[0].structure.reason.find(words), std::string::npos) << r[0].structure.reason;
    EXPECT_FALSE(AllProofsVerified(r));
  };
  expect_document_failure(json::array({secured_}), "must be a JSON object");
  expect_document_failure(json("text"), "must be a JSON object");
  expect_document_failure(Credential(), "no proof");
  json doc = secured_;
  doc["proof"] = json::array();
  expect_document_failure(doc, "empty");
  doc["proof"] = "z123";
  expect_document_failure(doc, "object or an array");
  doc["proof"] = json::array();
  for (int i = 0; i < 17; ++i) doc["proof"].push_back(secured_["proof"]);
  expect_document_failure(doc, "17 proofs");
  VerifyOptions few;
  few.max_proofs = 1;
  doc["proof"] = json::array({secured_["proof"], secured_["proof"]});
  expect_document_failure(doc, "at most 1", few);

  // Non-object members of a proof array fail one by one.
  doc["proof"] = json::array({secured_["proof"], 5, nullptr});
  auto r = Verify(doc);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_TRUE(r[0].verified());
  EXPECT_NE(r[1].structure.reason.find("must be an object, got number"), std::string::npos);
  EXPECT_TRUE(r[2].structure.failed());
  EXPECT_FALSE(AllProofsVerified({}));
}

TEST_F(DataIntegrityNegativeTest, AddProofErrors) {
  ProofOptions o = OptionsFor(signer_);
  EXPECT_EQ(AddProof(json::array(), o, signer_.key).status().code(), StatusCode::kInvalidArgument);
  json bad_proof = Credential();
  bad_proof["proof"] = 3;
  EXPECT_EQ(AddProof(bad_proof, o, signer_.key).status().code(), StatusCode::kInvalidArgument);
  bad_proof["proof"] = json::array({1});
  EXPECT_EQ(AddProof(bad_proof, o, signer_.key).status().code(), StatusCode::kInvalidArgument);

  ProofOptions unknown = o;
  unknown.cryptosuite = "eddsa-rdfc-2099";
  EXPECT_EQ(AddProof(Credential(), unknown, signer_.key).status().code(),
            StatusCode::kUnimplemented);
  ProofOptions legacy = o;
  legacy.cryptosuite = "Ed25519Signature2020";
  EXPECT_EQ(AddProof(Credential(), legacy, signer_.key).status().code(),
            StatusCode::kUnimplemented);
  ProofOptions wrong_key = o;
  wrong_key.cryptosuite = "ecdsa-jcs-2019";
  EXPECT_EQ(AddProof(Credential(), wrong_key, signer_.key).status().code(),
            StatusCode::kInvalidArgument);
  for (auto mutate : std::vector<std::function<void(ProofOptions&)>>{
           [](ProofOptions& p) { p.created = "2026-03-01 10:00"; },
           [](ProofOptions& p) { p.expires = "never"; },
           [](ProofOptions& p) { p.expires = "9999-12-31T23:59:59Z"; },
           [](ProofOptions& p) { p.verification_method.clear(); },
           [](ProofOptions& p) { p.proof_purpose.clear(); }, [](ProofOptions& p) { p.id = ""; }}) {
    ProofOptions p = o;
    mutate(p);
    EXPECT_EQ(AddProof(Credential(), p, signer_.key).status().code(), StatusCode::kInvalidArgument);
  }
  // Strings JCS cannot canonicalize are refused, not signed.
  json bad_utf8 = Credential();
  bad_utf8["name"] = std::string("\xff\xfe");
  EXPECT_EQ(AddProof(bad_utf8, o, signer_.key).status().code(), StatusCode::kInvalidArgument);
}

TEST(DataIntegrityTest, ResolverKeyLookupOverDidKey) {
  testing::FakeRandom rng(41);
  for (auto type : {jose::KeyType::kEd25519, jose::KeyType::kP256, jose::KeyType::kP384}) {
    auto key = *jose::PrivateKey::Generate(type, rng);
    const std::string did = did::DidKeyFor(key.public_key()).ToString();
    const std::string method = did + "#" + key.public_key().ToMultikey();
    did::DefaultResolver resolver({}, nullptr, nullptr);
    const KeyLookup lookup = ResolverKeyLookup(resolver);

    ProofOptions o;
    o.cryptosuite = SuiteFor(type);
    o.verification_method = method;
    o.created = "2026-03-01T10:00:00Z";
    auto secured = AddProof(Credential(), o, key);
    ASSERT_TRUE(secured.ok()) << secured.status();
    auto r = VerifyProofs(*secured, lookup);
    EXPECT_TRUE(AllProofsVerified(r)) << r[0].failure();

    // A purpose that is no verification relationship is a key-resolution failure.
    o.proof_purpose = "somethingElse";
    secured = AddProof(Credential(), o, key);
    ASSERT_TRUE(secured.ok());
    VerifyOptions any;
    any.expected_proof_purpose.reset();
    r = VerifyProofs(*secured, lookup, any);
    EXPECT_TRUE(r[0].key_resolution.failed()) << r[0].failure();
    EXPECT_NE(r[0].key_resolution.reason.find("somethingElse"), std::string::npos);
  }
}

// A suite that accepts every proof, so that the chain logic can be tested on its own (no real
// signature can make two proofs name each other).
class AcceptAllSuite final : public Cryptosuite {
 public:
  std::string_view name() const override { return "test-accept-all"; }
  bool AcceptsKeyType(jose::KeyType) const override { return true; }
  bool ProofCarriesContext() const override { return false; }
  Result<std::string> Transform(const json& doc, const json&, jose::KeyType) const override {
    return doc.dump();
  }
  Result<std::string> ConfigureProof(const json& options, const json&,
                                     jose::KeyType) const override {
    return options.dump();
  }
  Result<HashData> Hash(std::string_view, std::string_view, jose::KeyType) const override {
    return HashData{};
  }
  Result<std::vector<uint8_t>> SerializeProof(std::span<const uint8_t>,
                                              const jose::PrivateKey&) const override {
    return std::vector<uint8_t>{1, 2, 3};
  }
  Status VerifyProof(std::span<const uint8_t>, std::span<const uint8_t>,
                     const jose::PublicKey&) const override {
    return Status::Ok();
  }
};

TEST(DataIntegrityTest, PluggedInSuiteAndChainCycles) {
  ASSERT_TRUE(RegisterCryptosuite(std::make_unique<AcceptAllSuite>()).ok());
  const Signer s = MakeSigner(jose::KeyType::kEd25519, 51, "did:example:x#k");
  Keys keys;
  keys.Add(s);
  ProofOptions o = OptionsFor(s);
  o.cryptosuite = "test-accept-all";
  auto secured = AddProof(Credential(), o, s.key);
  ASSERT_TRUE(secured.ok()) << secured.status();
  EXPECT_FALSE((*secured)["proof"].contains("@context"));
  EXPECT_EQ((*secured)["proof"]["proofValue"], "zLdp");
  EXPECT_TRUE(AllProofsVerified(VerifyProofs(*secured, keys.lookup())));

  // a -> b -> a: both "signatures" pass, the cycle still fails them.
  json proof = (*secured)["proof"];
  json a = proof, b = proof, c = proof;
  a["id"] = "urn:a";
  a["previousProof"] = "urn:b";
  b["id"] = "urn:b";
  b["previousProof"] = "urn:a";
  c["previousProof"] = "urn:a";
  json doc = Credential();
  doc["proof"] = json::array({a, b, c, proof});
  auto r = VerifyProofs(doc, keys.lookup());
  ASSERT_EQ(r.size(), 4u);
  EXPECT_TRUE(r[0].signature.passed());
  EXPECT_NE(r[0].chain.reason.find("cycle"), std::string::npos) << r[0].failure();
  EXPECT_TRUE(r[1].chain.failed());
  EXPECT_TRUE(r[2].chain.failed());
  EXPECT_TRUE(r[3].verified());
  EXPECT_FALSE(AllProofsVerified(r));

  // A long chain resolves without recursion and fails from the first broken link on.
  json long_doc = Credential();
  long_doc["proof"] = json::array();
  for (int i = 0; i < 16; ++i) {
    json p = proof;
    p["id"] = "urn:" + std::to_string(i);
    if (i > 0) p["previousProof"] = "urn:" + std::to_string(i - 1);
    long_doc["proof"].push_back(p);
  }
  EXPECT_TRUE(AllProofsVerified(VerifyProofs(long_doc, keys.lookup())));
  long_doc["proof"][5]["type"] = "Other";
  r = VerifyProofs(long_doc, keys.lookup());
  for (size_t i = 0; i < 16; ++i) EXPECT_EQ(r[i].verified(), i < 5) << i;
  EXPECT_TRUE(r[6].chain.failed());
  EXPECT_NE(r[6].chain.reason.find("urn:5"), std::string::npos);
}

TEST(DataIntegrityTest, StageNames) {
  EXPECT_EQ(StageStatusName(StageStatus::kPass), "pass");
  EXPECT_EQ(StageStatusName(StageStatus::kFail), "fail");
  EXPECT_EQ(StageStatusName(StageStatus::kSkipped), "skipped");
}

}  // namespace
}  // namespace traceport::vc
