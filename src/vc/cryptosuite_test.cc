#include "vc/cryptosuite.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "codec/fast_json.h"
#include "codec/hex.h"
#include "common/testing/fake_random.h"

namespace traceport::vc {
namespace {

using nlohmann::json;

json Options(std::string_view suite) {
  return {{"type", "DataIntegrityProof"},
          {"cryptosuite", suite},
          {"created", "2026-03-01T10:00:00Z"},
          {"verificationMethod", "did:example:k#1"},
          {"proofPurpose", "assertionMethod"}};
}

const json kDocument = {{"b", "x"}, {"a", 1}};

jose::PrivateKey Key(jose::KeyType type, uint64_t seed) {
  testing::FakeRandom rng(seed);
  return *jose::PrivateKey::Generate(type, rng);
}

TEST(CryptosuiteTest, BuiltInSuitesAreRegistered) {
  const Cryptosuite* eddsa = FindCryptosuite("eddsa-jcs-2022");
  const Cryptosuite* ecdsa = FindCryptosuite("ecdsa-jcs-2019");
  ASSERT_NE(eddsa, nullptr);
  ASSERT_NE(ecdsa, nullptr);
  EXPECT_EQ(eddsa->name(), kEddsaJcs2022);
  EXPECT_EQ(ecdsa->name(), kEcdsaJcs2019);
  EXPECT_EQ(FindCryptosuite("eddsa-jcs-2023"), nullptr);
  EXPECT_EQ(FindCryptosuite(""), nullptr);
  EXPECT_EQ(FindCryptosuite("EDDSA-JCS-2022"), nullptr);  // names are case-sensitive
  auto names = RegisteredCryptosuites();
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_NE(std::find(names.begin(), names.end(), "eddsa-jcs-2022"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "ecdsa-jcs-2019"), names.end());
}

TEST(CryptosuiteTest, KeyTypesAndContextCarrying) {
  const Cryptosuite& eddsa = *FindCryptosuite(kEddsaJcs2022);
  const Cryptosuite& ecdsa = *FindCryptosuite(kEcdsaJcs2019);
  EXPECT_TRUE(eddsa.AcceptsKeyType(jose::KeyType::kEd25519));
  EXPECT_FALSE(eddsa.AcceptsKeyType(jose::KeyType::kP256));
  EXPECT_FALSE(eddsa.AcceptsKeyType(jose::KeyType::kP384));
  EXPECT_FALSE(ecdsa.AcceptsKeyType(jose::KeyType::kEd25519));
  EXPECT_TRUE(ecdsa.AcceptsKeyType(jose::KeyType::kP256));
  EXPECT_TRUE(ecdsa.AcceptsKeyType(jose::KeyType::kP384));
  EXPECT_TRUE(eddsa.ProofCarriesContext());
  EXPECT_TRUE(ecdsa.ProofCarriesContext());
}

// The hash layout, against digests computed independently (Python hashlib) over the JCS forms
// {"a":1,"b":"x"} and the options above.
TEST(CryptosuiteTest, IntermediatesKnownAnswer) {
  const Cryptosuite& ecdsa = *FindCryptosuite(kEcdsaJcs2019);
  auto p256 =
      ComputeProofIntermediates(ecdsa, kDocument, Options(kEcdsaJcs2019), jose::KeyType::kP256);
  ASSERT_TRUE(p256.ok()) << p256.status();
  EXPECT_EQ(p256->canonical_document, R"({"a":1,"b":"x"})");
  EXPECT_EQ(p256->canonical_proof_config,
            R"({"created":"2026-03-01T10:00:00Z","cryptosuite":"ecdsa-jcs-2019",)"
            R"("proofPurpose":"assertionMethod","type":"DataIntegrityProof",)"
            R"("verificationMethod":"did:example:k#1"})");
  EXPECT_EQ(codec::HexEncode(p256->hash.bytes),
            "d4985cf20ebdcafba52a13e799c963af0bda2e8e4abca83bb086bb7af39a0c71"
            "ecf9e98ec0641e23113ff3ce8bdc78d0ddd249886517fd4a7f68cc83d4e65667");
  EXPECT_EQ(codec::HexEncode(p256->hash.proof_config_hash),
            "d4985cf20ebdcafba52a13e799c963af0bda2e8e4abca83bb086bb7af39a0c71");
  EXPECT_EQ(codec::HexEncode(p256->hash.document_hash),
            "ecf9e98ec0641e23113ff3ce8bdc78d0ddd249886517fd4a7f68cc83d4e65667");

  // P-384 switches both hashes to SHA-384: 96 bytes to sign.
  auto p384 =
      ComputeProofIntermediates(ecdsa, kDocument, Options(kEcdsaJcs2019), jose::KeyType::kP384);
  ASSERT_TRUE(p384.ok()) << p384.status();
  EXPECT_EQ(codec::HexEncode(p384->hash.bytes),
            "bfb46d788498af7dbe59b3d47cff82d8c33a23e0df1db8afa850a8aa5e64ad89"
            "c8593524d40f4b0fa6ff020d1fd81684e1b181ed05acf7f7feef1f6c1e19365e"
            "2d9918164ada6a7a2dcf840be239720c89f8da33647e5ad76c40a7d2938c9e94");

  const Cryptosuite& eddsa = *FindCryptosuite(kEddsaJcs2022);
  auto ed =
      ComputeProofIntermediates(eddsa, kDocument, Options(kEddsaJcs2022), jose::KeyType::kEd25519);
  ASSERT_TRUE(ed.ok()) << ed.status();
  EXPECT_EQ(ed->hash.bytes.size(), 64u);
  EXPECT_EQ(codec::HexEncode(ed->hash.document_hash),
            "ecf9e98ec0641e23113ff3ce8bdc78d0ddd249886517fd4a7f68cc83d4e65667");
}

TEST(CryptosuiteTest, StepsRejectOptionsOfAnotherSuite) {
  const Cryptosuite& eddsa = *FindCryptosuite(kEddsaJcs2022);
  const auto ed = jose::KeyType::kEd25519;
  json wrong_suite = Options(kEcdsaJcs2019);
  EXPECT_EQ(eddsa.Transform(kDocument, wrong_suite, ed).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(eddsa.ConfigureProof(wrong_suite, kDocument, ed).status().code(),
            StatusCode::kInvalidArgument);

  json wrong_type = Options(kEddsaJcs2022);
  wrong_type["type"] = "Ed25519Signature2020";
  auto t = eddsa.Transform(kDocument, wrong_type, ed);
  EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(t.status().message().find("DataIntegrityProof"), std::string_view::npos);

  json bad_created = Options(kEddsaJcs2022);
  bad_created["created"] = "yesterday";
  EXPECT_EQ(eddsa.ConfigureProof(bad_created, kDocument, ed).status().code(),
            StatusCode::kInvalidArgument);
  json with_value = Options(kEddsaJcs2022);
  with_value["proofValue"] = "z1";
  EXPECT_EQ(eddsa.ConfigureProof(with_value, kDocument, ed).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(eddsa.Transform(json::array(), Options(kEddsaJcs2022), ed).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(eddsa.Transform(kDocument, json("not options"), ed).status().code(),
            StatusCode::kInvalidArgument);

  // A key the suite does not take is refused at every step.
  auto p256 = eddsa.Transform(kDocument, Options(kEddsaJcs2022), jose::KeyType::kP256);
  EXPECT_EQ(p256.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(p256.status().message().find("Ed25519"), std::string_view::npos);
  EXPECT_FALSE(eddsa.Hash("", "", jose::KeyType::kP384).ok());
}

// Regression (found by data_integrity_fuzz under UBSan): a year Time cannot hold must be
// refused, not overflow the nanosecond conversion.
TEST(CryptosuiteTest, FarFutureCreatedIsRefused) {
  json far = Options(kEddsaJcs2022);
  far["created"] = "9999-12-31T23:59:59Z";
  auto canonical =
      FindCryptosuite(kEddsaJcs2022)->ConfigureProof(far, kDocument, jose::KeyType::kEd25519);
  EXPECT_EQ(canonical.status().code(), StatusCode::kInvalidArgument);
}

TEST(CryptosuiteTest, SignAndVerifyEveryKeyType) {
  struct Case {
    std::string_view suite;
    jose::KeyType type;
    size_t size;
  };
  for (const Case& c : {Case{kEddsaJcs2022, jose::KeyType::kEd25519, 64},
                        Case{kEcdsaJcs2019, jose::KeyType::kP256, 64},
                        Case{kEcdsaJcs2019, jose::KeyType::kP384, 96}}) {
    SCOPED_TRACE(jose::KeyTypeName(c.type));
    const Cryptosuite& suite = *FindCryptosuite(c.suite);
    const jose::PrivateKey key = Key(c.type, 7);
    auto im = ComputeProofIntermediates(suite, kDocument, Options(c.suite), c.type);
    ASSERT_TRUE(im.ok()) << im.status();
    auto sig = suite.SerializeProof(im->hash.bytes, key);
    ASSERT_TRUE(sig.ok()) << sig.status();
    EXPECT_EQ(sig->size(), c.size);
    EXPECT_TRUE(suite.VerifyProof(im->hash.bytes, *sig, key.public_key()).ok());

    std::vector<uint8_t> flipped = *sig;
    flipped[5] ^= 0x01;
    EXPECT_EQ(suite.VerifyProof(im->hash.bytes, flipped, key.public_key()).code(),
              StatusCode::kPermissionDenied);
    std::vector<uint8_t> other_data = im->hash.bytes;
    other_data.back() ^= 0x80;
    EXPECT_EQ(suite.VerifyProof(other_data, *sig, key.public_key()).code(),
              StatusCode::kPermissionDenied);

    std::vector<uint8_t> short_sig(sig->begin(), sig->end() - 1);
    Status s = suite.VerifyProof(im->hash.bytes, short_sig, key.public_key());
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    EXPECT_NE(s.message().find(std::to_string(c.size - 1) + " bytes"), std::string_view::npos) << s;
    // A key of another suite is refused before any signature work.
    const jose::PrivateKey foreign =
        Key(c.type == jose::KeyType::kEd25519 ? jose::KeyType::kP256 : jose::KeyType::kEd25519, 8);
    EXPECT_EQ(suite.SerializeProof(im->hash.bytes, foreign).status().code(),
              StatusCode::kInvalidArgument);
    EXPECT_EQ(suite.VerifyProof(im->hash.bytes, *sig, foreign.public_key()).code(),
              StatusCode::kInvalidArgument);
  }
}

TEST(CryptosuiteTest, Ed25519ProofsAreDeterministic) {
  const Cryptosuite& eddsa = *FindCryptosuite(kEddsaJcs2022);
  const jose::PrivateKey key = Key(jose::KeyType::kEd25519, 3);
  auto im =
      *ComputeProofIntermediates(eddsa, kDocument, Options(kEddsaJcs2022), jose::KeyType::kEd25519);
  EXPECT_EQ(*eddsa.SerializeProof(im.hash.bytes, key), *eddsa.SerializeProof(im.hash.bytes, key));
}

// The secured document's intermediates equal the unsecured one's, the proof's own words are
// not in what is signed, and the base class's copying TransformWithout gives the same bytes.
void ExpectSecuredIntermediatesEqual(const Cryptosuite& suite, const json& secured,
                                     const json& unsecured, jose::KeyType type) {
  const json options = Options(suite.name());
  auto a = ComputeProofIntermediatesOfSecured(suite, secured, options, type);
  auto b = ComputeProofIntermediates(suite, unsecured, options, type);
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(a->canonical_document, b->canonical_document);
  EXPECT_EQ(a->hash.bytes, b->hash.bytes);
  EXPECT_NE(a->canonical_document.find("kept"), std::string::npos);
  EXPECT_EQ(*suite.Cryptosuite::TransformWithout(secured, "proof", options, type),
            a->canonical_document);
}

TEST(CryptosuiteTest, SecuredIntermediatesEqualThoseOfTheUnsecuredDocument) {
  json secured = kDocument;
  secured["proof"] = Options(kEddsaJcs2022);
  secured["nested"] = {{"proof", "kept"}};
  json unsecured = secured;
  unsecured.erase("proof");
  for (const auto& [suite_name, type] : std::vector<std::pair<std::string_view, jose::KeyType>>{
           {kEddsaJcs2022, jose::KeyType::kEd25519}, {kEcdsaJcs2019, jose::KeyType::kP384}}) {
    const Cryptosuite& suite = *FindCryptosuite(suite_name);
    ExpectSecuredIntermediatesEqual(suite, secured, unsecured, type);
    // The base class's copying default gives the same bytes.
    EXPECT_EQ(
        suite.TransformWithout(json::array(), "proof", Options(suite_name), type).status().code(),
        StatusCode::kInvalidArgument);
  }
}

TEST(CryptosuiteTest, RdfcSuitesCanonicalizeAroundTheProofWithoutChangingTheBytes) {
  json unsecured = {
      {"@context",
       {"https://www.w3.org/ns/credentials/v2", {{"note", "https://example.org/note"}}}},
      {"id", "urn:uuid:1b0e4e8a-1f9a-4c55-9a0e-8f6f0d1c2b3a"},
      {"type", {"VerifiableCredential"}},
      {"issuer", "did:example:k"},
      {"credentialSubject", {{"note", "kept"}}}};
  for (const auto& [suite_name, type] : std::vector<std::pair<std::string_view, jose::KeyType>>{
           {kEddsaRdfc2022, jose::KeyType::kEd25519},
           {kEcdsaRdfc2019, jose::KeyType::kP384},
           {kEcdsaRdfc2019, jose::KeyType::kP256}}) {
    json secured = unsecured;
    secured["proof"] = Options(suite_name);
    const Cryptosuite& suite = *FindCryptosuite(suite_name);
    ExpectSecuredIntermediatesEqual(suite, secured, unsecured, type);
    EXPECT_EQ(suite.Transform(unsecured, Options(suite_name), type)->find("DataIntegrityProof"),
              std::string::npos);
    // The verifier's fast path: the same bytes from a simdjson parse, where the suite says
    // they stand in for its transformation (not with SHA-384 inside, for P-384).
    auto fast = codec::FastJson::Parse(secured.dump());
    ASSERT_TRUE(fast.ok());
    const std::optional<std::string> precomputed = RdfcTransformIfDirect(fast->root(), "proof");
    ASSERT_TRUE(precomputed.has_value());
    EXPECT_EQ(suite.TransformsWithRdfcSha256(type), type != jose::KeyType::kP384);
    if (suite.TransformsWithRdfcSha256(type)) {
      EXPECT_EQ(*precomputed, *suite.Transform(unsecured, Options(suite_name), type));
    }
    // A document the direct path declines (a value object) is canonicalized around the proof
    // by the full algorithms, with the same result as without it.
    json odd = unsecured;
    odd["credentialSubject"]["note"] = {{"@value", "kept"}};
    json odd_secured = odd;
    odd_secured["proof"] = Options(suite_name);
    EXPECT_EQ(*suite.TransformWithout(odd_secured, "proof", Options(suite_name), type),
              *suite.Transform(odd, Options(suite_name), type));
  }
}

// A suite defined outside the module, to show the registry accepts plug-ins.
class NamedSuite final : public Cryptosuite {
 public:
  explicit NamedSuite(std::string name) : name_(std::move(name)) {}
  std::string_view name() const override { return name_; }
  bool AcceptsKeyType(jose::KeyType) const override { return false; }
  bool ProofCarriesContext() const override { return false; }
  Result<std::string> Transform(const json&, const json&, jose::KeyType) const override {
    return UnimplementedError("test");
  }
  Result<std::string> ConfigureProof(const json&, const json&, jose::KeyType) const override {
    return UnimplementedError("test");
  }
  Result<HashData> Hash(std::string_view, std::string_view, jose::KeyType) const override {
    return UnimplementedError("test");
  }
  Result<std::vector<uint8_t>> SerializeProof(std::span<const uint8_t>,
                                              const jose::PrivateKey&) const override {
    return UnimplementedError("test");
  }
  Status VerifyProof(std::span<const uint8_t>, std::span<const uint8_t>,
                     const jose::PublicKey&) const override {
    return UnimplementedError("test");
  }

 private:
  std::string name_;
};

TEST(CryptosuiteTest, RegistryRejectsDuplicatesAndNulls) {
  EXPECT_EQ(RegisterCryptosuite(nullptr).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(RegisterCryptosuite(std::make_unique<NamedSuite>("")).code(),
            StatusCode::kInvalidArgument);
  Status dup = RegisterCryptosuite(std::make_unique<NamedSuite>("eddsa-jcs-2022"));
  EXPECT_EQ(dup.code(), StatusCode::kAlreadyExists);
  // The built-in suite is untouched.
  EXPECT_TRUE(FindCryptosuite("eddsa-jcs-2022")->AcceptsKeyType(jose::KeyType::kEd25519));

  ASSERT_TRUE(RegisterCryptosuite(std::make_unique<NamedSuite>("test-registry-2099")).ok());
  const Cryptosuite* found = FindCryptosuite("test-registry-2099");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->name(), "test-registry-2099");
  EXPECT_EQ(RegisterCryptosuite(std::make_unique<NamedSuite>("test-registry-2099")).code(),
            StatusCode::kAlreadyExists);
}

TEST(CryptosuiteTest, RegistryIsThreadSafe) {
  std::atomic<bool> stop{false};
  std::atomic<int> misses{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      while (!stop.load()) {
        if (FindCryptosuite(kEddsaJcs2022) == nullptr) misses.fetch_add(1);
        (void)RegisteredCryptosuites();
      }
    });
  }
  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE(
        RegisterCryptosuite(std::make_unique<NamedSuite>("test-thread-" + std::to_string(i))).ok());
  }
  stop.store(true);
  for (auto& t : readers) t.join();
  EXPECT_EQ(misses.load(), 0);
  for (int i = 0; i < 200; ++i) {
    EXPECT_NE(FindCryptosuite("test-thread-" + std::to_string(i)), nullptr);
  }
}

}  // namespace
}  // namespace traceport::vc
