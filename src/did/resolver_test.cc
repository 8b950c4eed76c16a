#include "did/resolver.h"

#include <gtest/gtest.h>

#include "common/testing/fake_random.h"
#include "did/web.h"

namespace traceport::did {
namespace {

using nlohmann::json;

class FakeHttp final : public net::HttpClient {
 public:
  Result<net::HttpResponse> Get(std::string_view url, const net::FetchOptions& o) override {
    ++calls;
    last_url = std::string(url);
    last_options = o;
    if (!status.ok()) return status;
    return response;
  }
  int calls = 0;
  std::string last_url;
  net::FetchOptions last_options;
  Status status;
  net::HttpResponse response;
};

json WebDoc(const std::string& did, const jose::PublicKey& key) {
  json vm = MakeVerificationMethod(did, "key-1", key, KeyFormat::kJsonWebKey);
  return {{"@context", json::array({kDidContextV1})},
          {"id", did},
          {"verificationMethod", json::array({vm})},
          {"assertionMethod", json::array({did + "#key-1"})}};
}

TEST(ResolverTest, ComputedMethodsAndErrors) {
  testing::FakeRandom rng(1);
  DefaultResolver r({}, nullptr, nullptr);
  auto key = *jose::PrivateKey::Generate(jose::KeyType::kP384, rng);
  auto res = r.Resolve(DidKeyFor(key.public_key()).ToString());
  ASSERT_TRUE(res.ok()) << res.error_message;
  EXPECT_EQ(res.source, "computed");
  EXPECT_EQ(res.ToJson()["didResolutionMetadata"]["contentType"], "application/did+ld+json");
  EXPECT_TRUE(r.Resolve(DidJwkFor(key.public_key()).ToString()).ok());

  EXPECT_EQ(r.Resolve("did:key;invalid").error, "invalidDid");
  EXPECT_EQ(r.Resolve("bad:invalid").error, "invalidDid");
  EXPECT_EQ(r.Resolve("did:key:zTjsVPtY").error, "invalidPublicKeyLength");
  EXPECT_EQ(r.Resolve("did:example:123").error, "methodNotSupported");
  EXPECT_EQ(r.Resolve("did:example:123").status().code(), StatusCode::kUnimplemented);
  auto bad = r.Resolve("did:key:123");
  EXPECT_EQ(bad.error, "invalidDid");
  EXPECT_TRUE(bad.ToJson()["didDocument"].is_null());
  EXPECT_EQ(bad.ToJson()["didResolutionMetadata"]["error"], "invalidDid");
}

TEST(ResolverTest, WebPrefersLocalAndNetworkIsOffByDefault) {
  testing::FakeRandom rng(2);
  auto key = *jose::PrivateKey::Generate(jose::KeyType::kP256, rng);
  const std::string did = "did:web:issuer.example:orgs:acme";
  LocalDocuments local;
  FakeHttp http;
  http.response = {200, "application/did+json", WebDoc(did, key.public_key()).dump(), ""};

  DefaultResolver off({}, &local, &http);
  auto r = off.Resolve(did);
  EXPECT_EQ(r.error, "notFound");
  EXPECT_NE(r.error_message.find("network resolution is disabled"), std::string::npos);
  EXPECT_EQ(http.calls, 0);

  ASSERT_TRUE(local.Put(WebDoc(did, key.public_key())).ok());
  r = off.Resolve(did);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.source, "local");

  Relationship assertion = Relationship::kAssertionMethod;
  auto pk = ResolvePublicKey(off, did + "#key-1", &assertion);
  ASSERT_TRUE(pk.ok()) << pk.status().ToString();
  EXPECT_TRUE(*pk == key.public_key());
  Relationship auth = Relationship::kAuthentication;
  EXPECT_EQ(ResolvePublicKey(off, did + "#key-1", &auth).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(ResolvePublicKey(off, did + "#key-2").status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(ResolvePublicKey(off, did).ok());  // the only usable key
}

TEST(ResolverTest, WebOverNetworkWhenEnabled) {
  testing::FakeRandom rng(3);
  auto key = *jose::PrivateKey::Generate(jose::KeyType::kEd25519, rng);
  const std::string did = "did:web:issuer.example%3A8443";
  FakeHttp http;
  ResolverOptions o;
  o.enable_network = true;
  DefaultResolver r(o, nullptr, &http);

  http.response = {200, "application/did+json", WebDoc(did, key.public_key()).dump(), ""};
  auto res = r.Resolve(did);
  ASSERT_TRUE(res.ok()) << res.error_message;
  EXPECT_EQ(res.source, "network");
  EXPECT_EQ(http.last_url, "https://issuer.example:8443/.well-known/did.json");
  EXPECT_TRUE(http.last_options.https_only);
  EXPECT_EQ(http.last_options.max_redirects, 0);
  EXPECT_LE(http.last_options.max_bytes, 1u << 20);

  http.response.body = WebDoc("did:web:evil.example", key.public_key()).dump();
  res = r.Resolve(did);
  EXPECT_EQ(res.error, "invalidDid");
  EXPECT_NE(res.error_message.find("does not match"), std::string::npos);

  http.response.body = "{not json";
  EXPECT_EQ(r.Resolve(did).error, "invalidDid");

  http.response = {404, "text/plain", "", ""};
  EXPECT_EQ(r.Resolve(did).error, "notFound");

  http.status = ResourceExhaustedError("http: response exceeds 262144 bytes");
  res = r.Resolve(did);
  EXPECT_EQ(res.error, "internalError");
  EXPECT_NE(res.error_message.find("exceeds"), std::string::npos);

  EXPECT_EQ(r.Resolve("did:web:192.168.1.1").error, "invalidDid");
}

TEST(LocalDocumentsTest, RejectsInvalidDocuments) {
  LocalDocuments local;
  EXPECT_FALSE(local.Put(json::array()).ok());
  EXPECT_FALSE(local.Put(json{{"id", "not-a-did"}}).ok());
  EXPECT_FALSE(local.Put(json{{"id", "did:web:x.example"}, {"verificationMethod", 5}}).ok());
  EXPECT_FALSE(
      local.Put(json{{"id", "did:web:x.example"}, {"verificationMethod", json::array({1})}}).ok());
  EXPECT_TRUE(local.Put(json{{"id", "did:web:x.example"}}).ok());
  EXPECT_EQ(local.size(), 1u);
  EXPECT_FALSE(local.LoadDirectory("/nonexistent/dir").ok());
}

TEST(DocumentTest, VerificationMethodFormats) {
  testing::FakeRandom rng(4);
  auto ed = *jose::PrivateKey::Generate(jose::KeyType::kEd25519, rng);
  json mk = MakeVerificationMethod("did:example:a", "k", ed.public_key(), KeyFormat::kMultikey);
  json jwk = MakeVerificationMethod("did:example:a", "k", ed.public_key(), KeyFormat::kJsonWebKey);
  EXPECT_TRUE(*PublicKeyFromVerificationMethod(mk) == ed.public_key());
  EXPECT_TRUE(*PublicKeyFromVerificationMethod(jwk) == ed.public_key());
  json legacy = {{"id", "did:example:a#k"},
                 {"type", "Ed25519VerificationKey2018"},
                 {"controller", "did:example:a"},
                 {"publicKeyBase58", "4zvwRjXUKGfvwnParsHAS3HuSVzV5cA4McphgmoCtajS"}};
  EXPECT_TRUE(PublicKeyFromVerificationMethod(legacy).ok());
  json unknown = {{"type", "RsaVerificationKey2018"}};
  EXPECT_EQ(PublicKeyFromVerificationMethod(unknown).status().code(), StatusCode::kUnimplemented);
  jwk["publicKeyJwk"]["d"] = "AAAA";
  EXPECT_FALSE(PublicKeyFromVerificationMethod(jwk).ok());
  EXPECT_FALSE(PublicKeyFromVerificationMethod(json{{"type", "Multikey"}}).ok());
}

}  // namespace
}  // namespace traceport::did
