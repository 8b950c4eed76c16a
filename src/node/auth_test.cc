#include "node/auth.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "codec/base64.h"
#include "common/testing/fake_clock.h"
#include "common/testing/fake_random.h"
#include "jose/jws.h"

namespace traceport::node {
namespace {

using nlohmann::json;
using std::chrono::seconds;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr std::string_view kIssuer = "https://node.example";
const Time kStart = FromUnixSeconds(1'790'000'000);

// ---- client secrets -----------------------------------------------------------------------------

TEST(ClientSecretTest, FormatIsPrefixAndBase64UrlOf32Bytes) {
  testing::FakeRandom rng(1);
  const std::string secret = NewClientSecret(rng);
  ASSERT_THAT(secret, StartsWith("tps_"));
  Result<std::vector<uint8_t>> raw = codec::Base64UrlDecode(secret.substr(4));
  ASSERT_TRUE(raw.ok()) << raw.status();
  EXPECT_EQ(raw->size(), 32u);
  EXPECT_EQ(secret.size(), 4u + 43u);
}

TEST(ClientSecretTest, SecretsAreUnique) {
  testing::FakeRandom rng(2);
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(seen.insert(NewClientSecret(rng)).second);
}

TEST(ClientSecretTest, HashedSecretChecks) {
  testing::FakeRandom rng(3);
  const std::string secret = NewClientSecret(rng);
  const HashedSecret stored = HashClientSecret(secret, rng);
  EXPECT_EQ(stored.salt.size(), 16u);
  EXPECT_EQ(stored.hash.size(), 32u);
  EXPECT_TRUE(CheckClientSecret(secret, stored));
  EXPECT_FALSE(CheckClientSecret(NewClientSecret(rng), stored));
  EXPECT_FALSE(CheckClientSecret("", stored));
  EXPECT_FALSE(CheckClientSecret(secret + "x", stored));
  EXPECT_FALSE(CheckClientSecret(secret.substr(0, secret.size() - 1), stored));
}

TEST(ClientSecretTest, SameSecretHashesDifferentlyEachTime) {
  testing::FakeRandom rng(4);
  const std::string secret = NewClientSecret(rng);
  const HashedSecret a = HashClientSecret(secret, rng);
  const HashedSecret b = HashClientSecret(secret, rng);
  EXPECT_NE(a.salt, b.salt);
  EXPECT_NE(a.hash, b.hash);
  EXPECT_TRUE(CheckClientSecret(secret, a));
  EXPECT_TRUE(CheckClientSecret(secret, b));
}

TEST(ClientSecretTest, TamperedStoredValuesFail) {
  testing::FakeRandom rng(5);
  const std::string secret = NewClientSecret(rng);
  const HashedSecret stored = HashClientSecret(secret, rng);
  for (size_t i = 0; i < stored.salt.size(); ++i) {
    HashedSecret t = stored;
    t.salt[i] ^= 0x01;
    EXPECT_FALSE(CheckClientSecret(secret, t)) << "salt byte " << i;
  }
  for (size_t i = 0; i < stored.hash.size(); ++i) {
    HashedSecret t = stored;
    t.hash[i] ^= 0x80;
    EXPECT_FALSE(CheckClientSecret(secret, t)) << "hash byte " << i;
  }
  HashedSecret short_hash = stored;
  short_hash.hash.pop_back();
  EXPECT_FALSE(CheckClientSecret(secret, short_hash));
  HashedSecret no_salt = stored;
  no_salt.salt.clear();
  EXPECT_FALSE(CheckClientSecret(secret, no_salt));
}

TEST(ClientSecretTest, EmptyStoredValueNeverMatches) {
  EXPECT_FALSE(CheckClientSecret("", HashedSecret{}));
  EXPECT_FALSE(CheckClientSecret("tps_anything", HashedSecret{}));
}

// ---- TokenService -------------------------------------------------------------------------------

jose::PrivateKey Ed25519Key(uint64_t seed) {
  testing::FakeRandom rng(seed);
  Result<jose::PrivateKey> k = jose::PrivateKey::Generate(jose::KeyType::kEd25519, rng);
  EXPECT_TRUE(k.ok()) << k.status();
  return std::move(*k);
}

Principal Mill() {
  Principal p;
  p.client_id = "client-17";
  p.org = "mill";
  p.scopes = {"create:credential", "read:credential"};
  return p;
}

class TokenServiceTest : public ::testing::Test {
 protected:
  TokenServiceTest()
      : clock_(kStart),
        rng_(42),
        tokens_(Ed25519Key(7), std::string(kIssuer), seconds(300), clock_) {}

  std::string IssueFor(const Principal& p) {
    Result<TokenService::Token> t = tokens_.Issue(p, rng_);
    EXPECT_TRUE(t.ok()) << t.status();
    return t.ok() ? t->access_token : std::string();
  }

  // Expects `token` to be refused as Unauthenticated with a message containing `part`.
  void ExpectRefused(std::string_view token, std::string_view part) {
    Result<Principal> p = tokens_.Verify(token);
    ASSERT_FALSE(p.ok()) << token;
    EXPECT_EQ(p.status().code(), StatusCode::kUnauthenticated) << p.status();
    EXPECT_THAT(std::string(p.status().message()), HasSubstr(std::string(part)));
  }

  // A compact JWS over `claims` with header `header`, signed by `key` (signature over the exact
  // base64url parts).
  static std::string SignRaw(const json& header, const json& claims, const jose::PrivateKey& key) {
    const std::string input =
        codec::Base64UrlEncode(header.dump()) + "." + codec::Base64UrlEncode(claims.dump());
    Result<std::vector<uint8_t>> sig =
        key.Sign(std::span(reinterpret_cast<const uint8_t*>(input.data()), input.size()));
    EXPECT_TRUE(sig.ok());
    return input + "." + codec::Base64UrlEncode(*sig);
  }

  json GoodClaims() const {
    const int64_t now = ToUnixSeconds(clock_.Now());
    return {{"iss", kIssuer},     {"aud", kIssuer},
            {"sub", "client-17"}, {"client_id", "client-17"},
            {"org", "mill"},      {"scope", "create:credential"},
            {"iat", now},         {"exp", now + 300},
            {"jti", "x"}};
  }

  testing::FakeClock clock_;
  testing::FakeRandom rng_;
  TokenService tokens_;
};

TEST_F(TokenServiceTest, IssueVerifyRoundTrip) {
  Result<TokenService::Token> t = tokens_.Issue(Mill(), rng_);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->expires_in, 300);
  EXPECT_EQ(tokens_.ttl(), seconds(300));
  Result<Principal> p = tokens_.Verify(t->access_token);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->client_id, "client-17");
  EXPECT_EQ(p->org, "mill");
  EXPECT_EQ(p->scopes, Mill().scopes);
  EXPECT_TRUE(p->Has("create:credential"));
  EXPECT_FALSE(p->Has("admin"));
}

TEST_F(TokenServiceTest, TokenIsAnRfc9068AccessToken) {
  const std::string token = IssueFor(Mill());
  Result<json> header = jose::PeekCompactHeader(token);
  ASSERT_TRUE(header.ok());
  EXPECT_EQ((*header)["typ"], "at+jwt");
  EXPECT_EQ((*header)["alg"], "EdDSA");
  EXPECT_TRUE(header->contains("kid"));
  jose::JwsVerifyOptions o;
  Result<jose::VerifiedJws> v = jose::VerifyCompact(token, tokens_.public_key(), o);
  ASSERT_TRUE(v.ok()) << v.status();
  const json claims = json::parse(v->payload);
  EXPECT_EQ(claims["iss"], kIssuer);
  EXPECT_EQ(claims["aud"], kIssuer);
  EXPECT_EQ(claims["sub"], "client-17");
  EXPECT_EQ(claims["scope"], "create:credential read:credential");
  EXPECT_EQ(claims["exp"].get<int64_t>() - claims["iat"].get<int64_t>(), 300);
}

TEST_F(TokenServiceTest, EachIssueGivesADifferentToken) {
  EXPECT_NE(IssueFor(Mill()), IssueFor(Mill()));
}

TEST_F(TokenServiceTest, PrincipalWithoutScopes) {
  Principal p = Mill();
  p.scopes.clear();
  Result<Principal> v = tokens_.Verify(IssueFor(p));
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_TRUE(v->scopes.empty());
}

TEST_F(TokenServiceTest, ExpiredToken) {
  const std::string token = IssueFor(Mill());
  clock_.Advance(seconds(299));
  // Not verified before: no cache involved.
  ASSERT_TRUE(tokens_.Verify(token).ok());
  const std::string fresh = IssueFor(Mill());
  clock_.Advance(seconds(300));
  ExpectRefused(fresh, "expired");
}

TEST_F(TokenServiceTest, ExpiresExactlyAtExp) {
  const std::string token = IssueFor(Mill());
  clock_.Advance(seconds(300));
  ExpectRefused(token, "expired");
}

TEST_F(TokenServiceTest, VerifyTwiceGivesTheSamePrincipal) {
  const std::string token = IssueFor(Mill());
  Result<Principal> a = tokens_.Verify(token);
  Result<Principal> b = tokens_.Verify(token);
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(a->client_id, b->client_id);
  EXPECT_EQ(a->org, b->org);
  EXPECT_EQ(a->scopes, b->scopes);
}

TEST_F(TokenServiceTest, CachedTokenIsRefusedOnceExpired) {
  const std::string token = IssueFor(Mill());
  ASSERT_TRUE(tokens_.Verify(token).ok());  // now cached
  clock_.Advance(seconds(299));
  ASSERT_TRUE(tokens_.Verify(token).ok());
  clock_.Advance(seconds(1));
  ExpectRefused(token, "expired");
  // And stays refused (the entry was dropped; the full check refuses it too).
  ExpectRefused(token, "expired");
}

TEST_F(TokenServiceTest, IsCachedOnlyAfterASuccessfulVerify) {
  const std::string token = IssueFor(Mill());
  EXPECT_FALSE(tokens_.IsCached(token));
  EXPECT_FALSE(tokens_.Verify(token + "x").ok());
  EXPECT_FALSE(tokens_.IsCached(token + "x"));
  ASSERT_TRUE(tokens_.Verify(token).ok());
  EXPECT_TRUE(tokens_.IsCached(token));
  clock_.Advance(seconds(300));
  EXPECT_FALSE(tokens_.IsCached(token));  // expired entries do not count
}

TEST_F(TokenServiceTest, TokenFromAnotherKeyIsRefused) {
  TokenService other(Ed25519Key(8), std::string(kIssuer), seconds(300), clock_);
  Result<TokenService::Token> t = other.Issue(Mill(), rng_);
  ASSERT_TRUE(t.ok());
  ASSERT_TRUE(other.Verify(t->access_token).ok());
  ExpectRefused(t->access_token, "not valid");
}

TEST_F(TokenServiceTest, TokenFromAnotherKeyTypeIsRefused) {
  testing::FakeRandom rng(9);
  TokenService other(*jose::PrivateKey::Generate(jose::KeyType::kP256, rng), std::string(kIssuer),
                     seconds(300), clock_);
  Result<TokenService::Token> t = other.Issue(Mill(), rng_);
  ASSERT_TRUE(t.ok());
  ExpectRefused(t->access_token, "not valid");
}

TEST_F(TokenServiceTest, TokenForAnotherIssuerIsRefused) {
  // Same key, another node URL.
  TokenService other(Ed25519Key(7), "https://other.example", seconds(300), clock_);
  Result<TokenService::Token> t = other.Issue(Mill(), rng_);
  ASSERT_TRUE(t.ok());
  ExpectRefused(t->access_token, "another node");
  // The same holds for a token whose audience alone differs.
  const jose::PrivateKey key = Ed25519Key(7);
  json claims = GoodClaims();
  claims["aud"] = "https://other.example";
  jose::JwsSignOptions o;
  o.typ = "at+jwt";
  ExpectRefused(*jose::SignCompact(claims.dump(), key, o), "another node");
}

TEST_F(TokenServiceTest, HandMadeTokensWithTheRightKey) {
  const jose::PrivateKey key = Ed25519Key(7);
  jose::JwsSignOptions o;
  o.typ = "at+jwt";
  // Baseline: a well-formed hand-made token is accepted, so the refusals below are meaningful.
  ASSERT_TRUE(tokens_.Verify(*jose::SignCompact(GoodClaims().dump(), key, o)).ok());

  json no_exp = GoodClaims();
  no_exp.erase("exp");
  ExpectRefused(*jose::SignCompact(no_exp.dump(), key, o), "no expiry");
  json string_exp = GoodClaims();
  string_exp["exp"] = "9999999999";
  ExpectRefused(*jose::SignCompact(string_exp.dump(), key, o), "no expiry");
  json no_org = GoodClaims();
  no_org.erase("org");
  ExpectRefused(*jose::SignCompact(no_org.dump(), key, o), "no client or organization");
  json no_client = GoodClaims();
  no_client["client_id"] = "";
  ExpectRefused(*jose::SignCompact(no_client.dump(), key, o), "no client or organization");
  ExpectRefused(*jose::SignCompact("[1,2]", key, o), "not a JSON object");
  ExpectRefused(*jose::SignCompact("not json", key, o), "not a JSON object");
}

TEST_F(TokenServiceTest, TypMustBeAtJwt) {
  const jose::PrivateKey key = Ed25519Key(7);
  for (const char* typ : {"JWT", "at+JWT", "application/at+jwt", "vc+jwt"}) {
    jose::JwsSignOptions o;
    o.typ = typ;
    ExpectRefused(*jose::SignCompact(GoodClaims().dump(), key, o), "typ");
  }
  jose::JwsSignOptions none;  // no typ at all
  ExpectRefused(*jose::SignCompact(GoodClaims().dump(), key, none), "typ");
}

TEST_F(TokenServiceTest, AlgNoneIsRefused) {
  const std::string unsigned_token =
      codec::Base64UrlEncode(json{{"alg", "none"}, {"typ", "at+jwt"}}.dump()) + "." +
      codec::Base64UrlEncode(GoodClaims().dump()) + ".";
  ExpectRefused(unsigned_token, "not valid");
  // Also with a (meaningless) signature part, and with alg none under a real signature.
  ExpectRefused(unsigned_token + "AAAA", "not valid");
  ExpectRefused(SignRaw({{"alg", "none"}, {"typ", "at+jwt"}}, GoodClaims(), Ed25519Key(7)),
                "not valid");
}

TEST_F(TokenServiceTest, AlgorithmSubstitutionIsRefused) {
  // An EdDSA signature labelled ES256 (and the other way round is impossible with this key).
  ExpectRefused(SignRaw({{"alg", "ES256"}, {"typ", "at+jwt"}}, GoodClaims(), Ed25519Key(7)),
                "not valid");
  ExpectRefused(SignRaw({{"alg", "HS256"}, {"typ", "at+jwt"}}, GoodClaims(), Ed25519Key(7)),
                "not valid");
  // Baseline for SignRaw: the right header verifies.
  EXPECT_TRUE(
      tokens_.Verify(SignRaw({{"alg", "EdDSA"}, {"typ", "at+jwt"}}, GoodClaims(), Ed25519Key(7)))
          .ok());
}

TEST_F(TokenServiceTest, TamperedPayloadIsRefused) {
  const std::string token = IssueFor(Mill());
  const size_t dot1 = token.find('.');
  const size_t dot2 = token.find('.', dot1 + 1);
  ASSERT_NE(dot2, std::string::npos);
  Result<std::vector<uint8_t>> payload =
      codec::Base64UrlDecode(std::string_view(token).substr(dot1 + 1, dot2 - dot1 - 1));
  ASSERT_TRUE(payload.ok());
  json claims = json::parse(std::string(payload->begin(), payload->end()));
  claims["scope"] = "admin create:credential read:credential";
  const std::string forged =
      token.substr(0, dot1 + 1) + codec::Base64UrlEncode(claims.dump()) + token.substr(dot2);
  ExpectRefused(forged, "not valid");
  // Also when the genuine token has been verified (and cached) first.
  ASSERT_TRUE(tokens_.Verify(token).ok());
  ExpectRefused(forged, "not valid");
}

TEST_F(TokenServiceTest, EveryFlippedCharacterIsRefused) {
  const std::string token = IssueFor(Mill());
  ASSERT_TRUE(tokens_.Verify(token).ok());
  for (size_t i = 0; i < token.size(); ++i) {
    std::string t = token;
    t[i] = t[i] == 'A' ? 'B' : 'A';
    Result<Principal> p = tokens_.Verify(t);
    // Base64url has a few non-canonical final characters; a refusal is all that matters.
    EXPECT_FALSE(p.ok()) << "position " << i;
    if (!p.ok()) {
      EXPECT_EQ(p.status().code(), StatusCode::kUnauthenticated);
    }
  }
}

TEST_F(TokenServiceTest, GarbageIsRefused) {
  for (std::string_view garbage :
       {std::string_view(""), std::string_view("."), std::string_view(".."),
        std::string_view("..."), std::string_view("a.b.c"), std::string_view("Bearer x"),
        std::string_view("eyJhbGciOiJFZERTQSJ9"), std::string_view("\0\0\0", 3),
        std::string_view("eyJ.eyJ.eyJ"), std::string_view("\xff\xfe.\x80.\x01")}) {
    ExpectRefused(garbage, "");
  }
  ExpectRefused(std::string(20000, 'a'), "");
  const std::string token = IssueFor(Mill());
  ExpectRefused(token + ".", "");
  ExpectRefused(token + "=", "");
  ExpectRefused(" " + token, "");
  ExpectRefused(token.substr(0, token.rfind('.')), "");
}

// ---- RateLimiter --------------------------------------------------------------------------------

TEST(RateLimiterTest, BurstThenWait) {
  testing::FakeClock clock(kStart);
  RateLimiter limiter(/*rate=*/1, /*burst=*/3, clock);
  EXPECT_TRUE(limiter.enabled());
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.Take("client:a"), std::nullopt) << i;
  std::optional<seconds> wait = limiter.Take("client:a");
  ASSERT_TRUE(wait.has_value());
  EXPECT_GE(*wait, seconds(1));
  EXPECT_LE(*wait, seconds(1));
}

TEST(RateLimiterTest, WaitIsRoundedUpToWholeSeconds) {
  testing::FakeClock clock(kStart);
  RateLimiter limiter(/*rate=*/0.25, /*burst=*/1, clock);  // one request per 4 s
  EXPECT_EQ(limiter.Take("k"), std::nullopt);
  EXPECT_EQ(limiter.Take("k"), seconds(4));
  clock.Advance(std::chrono::milliseconds(2500));
  EXPECT_EQ(limiter.Take("k"), seconds(2));  // 1.5 s left, rounded up
  // A fast limiter still says at least one second.
  RateLimiter fast(/*rate=*/1000, /*burst=*/1, clock);
  EXPECT_EQ(fast.Take("k"), std::nullopt);
  EXPECT_EQ(fast.Take("k"), seconds(1));
}

TEST(RateLimiterTest, RefillsOverTime) {
  testing::FakeClock clock(kStart);
  RateLimiter limiter(/*rate=*/2, /*burst=*/4, clock);
  for (int i = 0; i < 4; ++i) ASSERT_EQ(limiter.Take("k"), std::nullopt);
  ASSERT_TRUE(limiter.Take("k").has_value());
  clock.Advance(std::chrono::milliseconds(500));  // one token back
  EXPECT_EQ(limiter.Take("k"), std::nullopt);
  EXPECT_TRUE(limiter.Take("k").has_value());
  clock.Advance(seconds(60));  // full again, but never above the burst
  for (int i = 0; i < 4; ++i) EXPECT_EQ(limiter.Take("k"), std::nullopt) << i;
  EXPECT_TRUE(limiter.Take("k").has_value());
}

TEST(RateLimiterTest, KeysAreIndependent) {
  testing::FakeClock clock(kStart);
  RateLimiter limiter(/*rate=*/1, /*burst=*/2, clock);
  ASSERT_EQ(limiter.Take("client:a"), std::nullopt);
  ASSERT_EQ(limiter.Take("client:a"), std::nullopt);
  ASSERT_TRUE(limiter.Take("client:a").has_value());
  EXPECT_EQ(limiter.Take("client:b"), std::nullopt);
  EXPECT_EQ(limiter.Take("ip:192.0.2.1"), std::nullopt);
  EXPECT_EQ(limiter.Take("client:b"), std::nullopt);
  EXPECT_TRUE(limiter.Take("client:b").has_value());
  EXPECT_TRUE(limiter.Take("client:a").has_value());
}

TEST(RateLimiterTest, ForgottenIdleKeysBehaveLikeNewOnes) {
  testing::FakeClock clock(kStart);
  RateLimiter limiter(/*rate=*/1, /*burst=*/2, clock);
  for (int round = 0; round < 3; ++round) {
    // Exhaust many keys, then wait long enough for a sweep; every key starts full again.
    for (int k = 0; k < 50; ++k) {
      const std::string key = "client:" + std::to_string(k);
      ASSERT_EQ(limiter.Take(key), std::nullopt);
      ASSERT_EQ(limiter.Take(key), std::nullopt);
      ASSERT_TRUE(limiter.Take(key).has_value());
    }
    clock.Advance(seconds(10));
  }
}

TEST(RateLimiterTest, ClockGoingBackwardsDoesNotGrantTokens) {
  testing::FakeClock clock(kStart);
  RateLimiter limiter(/*rate=*/1, /*burst=*/1, clock);
  ASSERT_EQ(limiter.Take("k"), std::nullopt);
  clock.Advance(-seconds(100));
  EXPECT_TRUE(limiter.Take("k").has_value());
}

TEST(RateLimiterTest, RateZeroDisables) {
  testing::FakeClock clock(kStart);
  RateLimiter limiter(/*rate=*/0, /*burst=*/1, clock);
  EXPECT_FALSE(limiter.enabled());
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(limiter.Take("k"), std::nullopt);
}

// ---- scopes -------------------------------------------------------------------------------------

TEST(ScopesTest, KnownScopes) {
  EXPECT_FALSE(AllScopes().empty());
  for (const ScopeInfo& s : AllScopes()) {
    EXPECT_TRUE(IsKnownScope(s.name)) << s.name;
    EXPECT_FALSE(s.meaning.empty()) << s.name;
  }
  EXPECT_TRUE(IsKnownScope("create:credential"));
  EXPECT_FALSE(IsKnownScope(""));
  EXPECT_FALSE(IsKnownScope("create:credentials"));
  EXPECT_FALSE(IsKnownScope("ADMIN"));
}

}  // namespace
}  // namespace traceport::node
