#include "jose/jws.h"

#include <gtest/gtest.h>

#include "codec/base64.h"
#include "common/testing/fake_random.h"
#include "jose/jwk.h"

namespace traceport::jose {
namespace {

using nlohmann::json;

std::string B64(std::string_view s) { return codec::Base64UrlEncode(s); }

PrivateKey Rfc8037Key() {
  return PrivateKeyFromJwk(json{{"kty", "OKP"},
                                {"crv", "Ed25519"},
                                {"d", "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"},
                                {"x", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}})
      .value();
}

// RFC 8037 Appendix A.4: Ed25519 is deterministic, so the whole JWS is a known answer.
TEST(JwsTest, Rfc8037Example) {
  PrivateKey key = Rfc8037Key();
  auto jws = SignCompact("Example of Ed25519 signing", key);
  ASSERT_TRUE(jws.ok());
  EXPECT_EQ(
      *jws,
      "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc."
      "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg");
  auto v = VerifyCompact(*jws, key.public_key());
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->payload, "Example of Ed25519 signing");
  EXPECT_EQ(v->alg, Algorithm::kEdDSA);
}

class JwsKeyTest : public ::testing::TestWithParam<KeyType> {
 protected:
  JwsKeyTest() : rng_(42), key_(PrivateKey::Generate(GetParam(), rng_).value()) {}
  testing::FakeRandom rng_;
  PrivateKey key_;
};

TEST_P(JwsKeyTest, CompactRoundTripWithHeaders) {
  JwsSignOptions o;
  o.kid = "did:example:123#key-1";
  o.typ = "vc+jwt";
  auto jws = SignCompact("{\"hello\":\"world\"}", key_, o);
  ASSERT_TRUE(jws.ok()) << jws.status().ToString();
  JwsVerifyOptions vo;
  vo.required_typ = "vc+jwt";
  auto v = VerifyCompact(*jws, key_.public_key(), vo);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->protected_header["kid"], "did:example:123#key-1");
  EXPECT_EQ(v->protected_header["alg"], AlgorithmName(key_.algorithm()));
  EXPECT_EQ(v->payload, "{\"hello\":\"world\"}");
  // Without decoding: the same verdict, no payload.
  vo.decode_payload = false;
  auto undecoded = VerifyCompact(*jws, key_.public_key(), vo);
  ASSERT_TRUE(undecoded.ok()) << undecoded.status();
  EXPECT_TRUE(undecoded->payload.empty());
  std::string tampered = *jws;
  tampered[tampered.find('.') + 2] ^= 1;
  EXPECT_FALSE(VerifyCompact(tampered, key_.public_key(), vo).ok());
  // With the header decoded by the caller: the same verdict; the signature still covers the
  // header bytes, so a header that does not belong to the JWS cannot make it verify.
  const json header = *PeekCompactHeader(*jws);
  vo.decoded_header = &header;
  auto with_header = VerifyCompact(*jws, key_.public_key(), vo);
  ASSERT_TRUE(with_header.ok()) << with_header.status();
  EXPECT_TRUE(with_header->protected_header.is_null());
  std::string other_header = *jws;
  other_header[1] ^= 1;
  EXPECT_FALSE(VerifyCompact(other_header, key_.public_key(), vo).ok());
  vo.decoded_header = nullptr;
  vo.decode_payload = true;
  vo.required_typ = "vp+jwt";
  EXPECT_FALSE(VerifyCompact(*jws, key_.public_key(), vo).ok());
  EXPECT_EQ((*PeekCompactHeader(*jws))["typ"], "vc+jwt");
}

TEST_P(JwsKeyTest, DetachedPayload) {
  JwsSignOptions o;
  o.detached = true;
  auto jws = SignCompact("detached bytes", key_, o);
  ASSERT_TRUE(jws.ok());
  EXPECT_NE(jws->find(".."), std::string::npos);
  JwsVerifyOptions vo;
  vo.detached_payload = "detached bytes";
  EXPECT_TRUE(VerifyCompact(*jws, key_.public_key(), vo).ok());
  vo.detached_payload = "other bytes";
  EXPECT_EQ(VerifyCompact(*jws, key_.public_key(), vo).status().code(),
            StatusCode::kPermissionDenied);
  // Without the detached payload the JWS verifies over an empty payload, which fails.
  EXPECT_FALSE(VerifyCompact(*jws, key_.public_key()).ok());
}

TEST_P(JwsKeyTest, TamperingFails) {
  auto jws = *SignCompact("payload", key_);
  size_t d1 = jws.find('.'), d2 = jws.rfind('.');
  std::string header = jws.substr(0, d1);
  std::string sig = jws.substr(d2 + 1);
  // Another payload under the same header and signature.
  std::string other = header + "." + B64("payloaD") + "." + sig;
  EXPECT_EQ(VerifyCompact(other, key_.public_key()).status().code(), StatusCode::kPermissionDenied);
  // A flipped signature bit.
  std::string flipped = jws;
  flipped[d2 + 5] = flipped[d2 + 5] == 'A' ? 'B' : 'A';
  EXPECT_EQ(VerifyCompact(flipped, key_.public_key()).status().code(),
            StatusCode::kPermissionDenied);
  // Truncated signature.
  auto sig_bytes = *codec::Base64UrlDecode(sig);
  sig_bytes.pop_back();
  std::string truncated = jws.substr(0, d2 + 1) + codec::Base64UrlEncode(sig_bytes);
  EXPECT_EQ(VerifyCompact(truncated, key_.public_key()).status().code(),
            StatusCode::kPermissionDenied);
  // A signature part that is not base64url is malformed (not merely a failed signature).
  EXPECT_EQ(VerifyCompact(jws + "!", key_.public_key()).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(VerifyCompact(jws + "=", key_.public_key()).status().code(),
            StatusCode::kInvalidArgument);
  // Another key of the same type.
  auto other_key = *PrivateKey::Generate(GetParam(), rng_);
  EXPECT_EQ(VerifyCompact(jws, other_key.public_key()).status().code(),
            StatusCode::kPermissionDenied);
}

TEST_P(JwsKeyTest, JsonSerializations) {
  auto other = *PrivateKey::Generate(KeyType::kEd25519, rng_);
  JwsSigner signers[2] = {{&other, {}, json{{"kid", "a"}}}, {&key_, {}, json{{"kid", "b"}}}};
  auto general = SignJson("multi", signers, /*flattened=*/false);
  ASSERT_TRUE(general.ok()) << general.status().ToString();
  EXPECT_EQ((*general)["signatures"].size(), 2u);
  auto v = VerifyJson(*general, key_.public_key());
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->payload, "multi");
  EXPECT_EQ(v->unprotected_header["kid"], "b");
  EXPECT_EQ(v->signature_index, GetParam() == KeyType::kEd25519 ? 1u : 1u);

  auto flat = SignJson("one", std::span<const JwsSigner>(&signers[1], 1), /*flattened=*/true);
  ASSERT_TRUE(flat.ok());
  EXPECT_TRUE(flat->contains("signature"));
  EXPECT_TRUE(VerifyJsonText(flat->dump(), key_.public_key()).ok());
  EXPECT_FALSE(SignJson("x", signers, /*flattened=*/true).ok());

  // Tampered payload.
  json bad = *flat;
  bad["payload"] = B64("two");
  EXPECT_EQ(VerifyJson(bad, key_.public_key()).status().code(), StatusCode::kPermissionDenied);
  // Header names must be disjoint between protected and unprotected.
  bad = *flat;
  bad["header"] = json{{"alg", "none"}};
  EXPECT_EQ(VerifyJson(bad, key_.public_key()).status().code(), StatusCode::kInvalidArgument);
  // Mixed general and flattened members.
  bad = *general;
  bad["signature"] = "AAAA";
  EXPECT_FALSE(VerifyJson(bad, key_.public_key()).ok());
}

INSTANTIATE_TEST_SUITE_P(AllKeys, JwsKeyTest,
                         ::testing::Values(KeyType::kEd25519, KeyType::kP256, KeyType::kP384),
                         [](const ::testing::TestParamInfo<KeyType>& p) {
                           return std::string(KeyTypeName(p.param));
                         });

// Builds a compact JWS with an arbitrary protected header, signed by `key` over the exact
// bytes, so that the verifier's header policy is what decides.
std::string Forge(const PrivateKey& key, const std::string& header_json,
                  const std::string& payload = "p") {
  std::string input = B64(header_json) + "." + B64(payload);
  auto sig = key.Sign(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(input.data()), input.size()));
  return input + "." + codec::Base64UrlEncode(*sig);
}

TEST(JwsPolicyTest, RejectsAlgNoneMismatchAndCrit) {
  testing::FakeRandom rng(7);
  auto ed = *PrivateKey::Generate(KeyType::kEd25519, rng);
  auto p256 = *PrivateKey::Generate(KeyType::kP256, rng);
  const PublicKey& pk = ed.public_key();

  EXPECT_TRUE(VerifyCompact(Forge(ed, R"({"alg":"EdDSA"})"), pk).ok());

  struct Case {
    std::string name, jws;
    StatusCode code;
    std::string want;
  };
  std::vector<Case> cases = {
      {"alg none", B64(R"({"alg":"none"})") + "." + B64("p") + ".", StatusCode::kInvalidArgument,
       "\"none\""},
      {"alg none signed", Forge(ed, R"({"alg":"none"})"), StatusCode::kInvalidArgument, "none"},
      {"no alg", Forge(ed, R"({"typ":"JWT"})"), StatusCode::kInvalidArgument, "no \"alg\""},
      {"alg not string", Forge(ed, R"({"alg":1})"), StatusCode::kInvalidArgument, "string"},
      {"alg/key mismatch", Forge(ed, R"({"alg":"ES256"})"), StatusCode::kInvalidArgument,
       "does not match"},
      {"p256 sig as EdDSA", Forge(p256, R"({"alg":"EdDSA"})"), StatusCode::kPermissionDenied,
       "signature"},
      {"HS256", Forge(ed, R"({"alg":"HS256"})"), StatusCode::kUnimplemented, "HS256"},
      {"unknown crit", Forge(ed, R"({"alg":"EdDSA","crit":["exp"],"exp":1})"),
       StatusCode::kInvalidArgument, "not understood"},
      {"crit empty", Forge(ed, R"({"alg":"EdDSA","crit":[]})"), StatusCode::kInvalidArgument,
       "non-empty"},
      {"crit registered", Forge(ed, R"({"alg":"EdDSA","crit":["alg"]})"),
       StatusCode::kInvalidArgument, "registered"},
      {"crit not array", Forge(ed, R"({"alg":"EdDSA","crit":"x"})"), StatusCode::kInvalidArgument,
       "array"},
      {"b64 false", Forge(ed, R"({"alg":"EdDSA","b64":false,"crit":["b64"]})"),
       StatusCode::kInvalidArgument, "not understood"},
      {"duplicate header key", Forge(ed, R"({"alg":"EdDSA","alg":"EdDSA"})"),
       StatusCode::kInvalidArgument, "duplicate"},
      {"header not object", Forge(ed, R"(["alg"])"), StatusCode::kInvalidArgument, "object"},
      {"header not json", Forge(ed, "alg"), StatusCode::kInvalidArgument, "protected header"},
      {"two parts", "a.b", StatusCode::kInvalidArgument, "three parts"},
      {"four parts", "a.b.c.d", StatusCode::kInvalidArgument, "three parts"},
      {"empty", "", StatusCode::kInvalidArgument, "three parts"},
      {"empty header", ".cA.AAAA", StatusCode::kInvalidArgument, "empty"},
  };
  // Padded base64url is not canonical JWS.
  std::string padded = Forge(ed, R"({"alg":"EdDSA"})");
  padded.insert(padded.find('.'), "=");
  cases.push_back({"padded header", padded, StatusCode::kInvalidArgument, "protected header"});
  for (const auto& c : cases) {
    auto r = VerifyCompact(c.jws, pk);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.status().code(), c.code) << c.name << ": " << r.status().ToString();
    EXPECT_NE(r.status().message().find(c.want), std::string_view::npos)
        << c.name << ": " << r.status().message();
  }
}

TEST(JwsPolicyTest, UnderstoodCritIsAccepted) {
  testing::FakeRandom rng(8);
  auto ed = *PrivateKey::Generate(KeyType::kEd25519, rng);
  std::string jws = Forge(ed, R"({"alg":"EdDSA","crit":["traceport-ext"],"traceport-ext":1})");
  JwsVerifyOptions o;
  EXPECT_FALSE(VerifyCompact(jws, ed.public_key(), o).ok());
  o.understood_crit = {"traceport-ext"};
  EXPECT_TRUE(VerifyCompact(jws, ed.public_key(), o).ok());
  // crit names a parameter that is absent.
  std::string missing = Forge(ed, R"({"alg":"EdDSA","crit":["traceport-ext"]})");
  EXPECT_NE(VerifyCompact(missing, ed.public_key(), o).status().message().find("missing"),
            std::string_view::npos);
  // An allowed-algorithm list excludes EdDSA.
  JwsVerifyOptions es_only;
  es_only.allowed_algs = {Algorithm::kES256};
  EXPECT_EQ(
      VerifyCompact(Forge(ed, R"({"alg":"EdDSA"})"), ed.public_key(), es_only).status().code(),
      StatusCode::kPermissionDenied);
}

TEST(JwsPolicyTest, SignerRefusesWhatVerifierRejects) {
  testing::FakeRandom rng(10);
  auto ed = *PrivateKey::Generate(KeyType::kEd25519, rng);
  JwsSignOptions o;
  o.extra_protected = json{{"alg", "none"}};
  EXPECT_FALSE(SignCompact("x", ed, o).ok());
  o.extra_protected = json{{"crit", json::array({"alg"})}};
  EXPECT_FALSE(SignCompact("x", ed, o).ok());
  o.extra_protected = json{{"crit", json::array({"ext"})}, {"ext", true}};
  EXPECT_TRUE(SignCompact("x", ed, o).ok());
  o.extra_protected = json::array();
  EXPECT_FALSE(SignCompact("x", ed, o).ok());
}

TEST(JwsPolicyTest, SizeLimit) {
  testing::FakeRandom rng(11);
  auto ed = *PrivateKey::Generate(KeyType::kEd25519, rng);
  JwsVerifyOptions o;
  o.max_bytes = 10;
  EXPECT_EQ(VerifyCompact(*SignCompact("x", ed), ed.public_key(), o).status().code(),
            StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace traceport::jose
