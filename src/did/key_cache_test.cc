#include "did/key_cache.h"

#include <gtest/gtest.h>

#include "common/testing/fake_clock.h"
#include "common/testing/fake_random.h"
#include "did/web.h"

namespace traceport::did {
namespace {

using nlohmann::json;

// Counts resolutions and serves did:web documents from a LocalDocuments the test can change.
class CountingResolver final : public Resolver {
 public:
  CountingResolver() : inner_({}, &local, nullptr) {}
  ResolutionResult Resolve(std::string_view did) override {
    ++calls;
    return inner_.Resolve(did);
  }
  LocalDocuments local;
  int calls = 0;

 private:
  DefaultResolver inner_;
};

class KeyCacheTest : public ::testing::Test {
 protected:
  KeyCacheTest() : clock_(*ParseRfc3339("2026-06-01T00:00:00Z")), rng_(11) {}

  jose::PublicKey NewKey(jose::KeyType type = jose::KeyType::kEd25519) {
    return jose::PrivateKey::Generate(type, rng_)->public_key();
  }

  // Publishes `did` with one Multikey method "#key-1", listed under assertionMethod only.
  void Publish(const std::string& did, const jose::PublicKey& key) {
    json document = {{"@context", json::array({kDidContextV1})}, {"id", did}};
    document["verificationMethod"] =
        json::array({MakeVerificationMethod(did, "key-1", key, KeyFormat::kMultikey)});
    document["assertionMethod"] = json::array({did + "#key-1"});
    ASSERT_TRUE(resolver_.local.Put(document).ok());
  }

  testing::FakeClock clock_;
  testing::FakeRandom rng_;
  CountingResolver resolver_;
};

TEST_F(KeyCacheTest, AnswersRepeatsFromTheCache) {
  KeyCache cache(resolver_, clock_);
  const jose::PublicKey key = NewKey(jose::KeyType::kP256);
  const Did did = DidKeyFor(key);
  const std::string method = did.ToString() + "#" + key.ToMultikey();
  const Relationship assertion = Relationship::kAssertionMethod;
  for (int i = 0; i < 3; ++i) {
    auto got = cache.ResolvePublicKey(method, &assertion);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(*got, key);
  }
  EXPECT_EQ(resolver_.calls, 1);
  EXPECT_EQ(cache.stats().hits, 2u);
  EXPECT_EQ(cache.stats().misses, 1u);
  EXPECT_EQ(cache.stats().entries, 1u);
  // The same key under another relationship is a separate entry, checked on its own.
  const Relationship auth = Relationship::kAuthentication;
  EXPECT_TRUE(cache.ResolvePublicKey(method, &auth).ok());
  EXPECT_EQ(resolver_.calls, 2);
  // A did:key never expires.
  clock_.Advance(std::chrono::hours(24 * 365));
  EXPECT_TRUE(cache.ResolvePublicKey(method, &assertion).ok());
  EXPECT_EQ(resolver_.calls, 2);
}

TEST_F(KeyCacheTest, RelationshipIsStillEnforcedAndFailuresAreNotCached) {
  KeyCache cache(resolver_, clock_);
  const std::string did = "did:web:mill.example";
  Publish(did, NewKey());
  const Relationship auth = Relationship::kAuthentication;
  // key-1 is listed under assertionMethod only.
  for (int i = 0; i < 2; ++i) {
    auto got = cache.ResolvePublicKey(did + "#key-1", &auth);
    EXPECT_EQ(got.status().code(), StatusCode::kPermissionDenied) << got.status();
  }
  EXPECT_EQ(resolver_.calls, 2);
  EXPECT_EQ(cache.stats().entries, 0u);
  EXPECT_FALSE(cache.ResolvePublicKey("did:web:unknown.example#key-1").ok());
  EXPECT_FALSE(cache.ResolvePublicKey("not a did").ok());
  EXPECT_EQ(cache.stats().entries, 0u);
}

TEST_F(KeyCacheTest, WebKeysExpireSoARotationIsSeen) {
  KeyCache::Options o;
  o.ttl = std::chrono::seconds(60);
  KeyCache cache(resolver_, clock_, o);
  const std::string did = "did:web:mill.example";
  const jose::PublicKey old_key = NewKey();
  const jose::PublicKey new_key = NewKey();
  Publish(did, old_key);
  const Relationship assertion = Relationship::kAssertionMethod;
  EXPECT_EQ(*cache.ResolvePublicKey(did + "#key-1", &assertion), old_key);
  Publish(did, new_key);
  clock_.Advance(std::chrono::seconds(59));
  EXPECT_EQ(*cache.ResolvePublicKey(did + "#key-1", &assertion), old_key);  // still cached
  clock_.Advance(std::chrono::seconds(1));
  EXPECT_EQ(*cache.ResolvePublicKey(did + "#key-1", &assertion), new_key);  // expired: resolved
  EXPECT_EQ(resolver_.calls, 2);
}

TEST_F(KeyCacheTest, EvictsTheLeastRecentlyUsed) {
  KeyCache::Options o;
  o.max_entries = 2;
  KeyCache cache(resolver_, clock_, o);
  std::vector<std::string> dids;
  for (int i = 0; i < 3; ++i) dids.push_back(DidKeyFor(NewKey()).ToString());
  ASSERT_TRUE(cache.ResolvePublicKey(dids[0]).ok());
  ASSERT_TRUE(cache.ResolvePublicKey(dids[1]).ok());
  ASSERT_TRUE(cache.ResolvePublicKey(dids[0]).ok());  // 0 is now the most recent
  ASSERT_TRUE(cache.ResolvePublicKey(dids[2]).ok());  // evicts 1
  EXPECT_EQ(cache.stats().entries, 2u);
  const int before = resolver_.calls;
  ASSERT_TRUE(cache.ResolvePublicKey(dids[0]).ok());
  EXPECT_EQ(resolver_.calls, before);
  ASSERT_TRUE(cache.ResolvePublicKey(dids[1]).ok());
  EXPECT_EQ(resolver_.calls, before + 1);
  cache.Clear();
  EXPECT_EQ(cache.stats().entries, 0u);
}

}  // namespace
}  // namespace traceport::did
