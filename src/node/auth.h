// OAuth 2.0 client credentials for the node (RFC 6749 §4.4): client secrets stored hashed,
// short-lived signed access tokens carrying scopes, and per-client request rate limits.
//
// Access tokens are JWTs in the RFC 9068 profile ("typ": "at+jwt"), signed with the node's
// Ed25519 token key:
//
//   {"iss": <node URL>, "aud": <node URL>, "sub": <client_id>, "client_id": <client_id>,
//    "org": <organization slug>, "scope": "create:credential read:credential",
//    "iat": ..., "exp": ..., "jti": <random>}
//
// Thread safety: TokenService and RateLimiter are thread-safe; the free functions too.
#ifndef TRACEPORT_NODE_AUTH_H_
#define TRACEPORT_NODE_AUTH_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/random.h"
#include "common/status.h"
#include "common/time.h"
#include "jose/key.h"

namespace traceport::node {

// Every scope a route can require, with what it grants (for the OpenAPI document).
struct ScopeInfo {
  std::string_view name;
  std::string_view meaning;
};
std::span<const ScopeInfo> AllScopes();
bool IsKnownScope(std::string_view scope);

// Who is calling: the OAuth client and the organization it belongs to.
struct Principal {
  std::string client_id;
  std::string org;  // organization slug
  std::set<std::string> scopes;
  bool Has(std::string_view scope) const { return scopes.count(std::string(scope)) > 0; }
};

// Client secrets are 256-bit random values, so a fast keyed hash is enough to make a stolen
// database useless for authenticating (a slow password hash protects low-entropy secrets, which
// these are not). Stored: a 16-byte salt and HMAC-SHA-256(salt, secret).
struct HashedSecret {
  std::vector<uint8_t> salt;
  std::vector<uint8_t> hash;
};
// A new client secret: "tps_" + base64url of 32 random bytes.
std::string NewClientSecret(RandomSource& random);
HashedSecret HashClientSecret(std::string_view secret, RandomSource& random);
// Constant-time comparison of `secret` against the stored hash.
bool CheckClientSecret(std::string_view secret, const HashedSecret& stored);

class TokenService {
 public:
  // `issuer` is the node's public URL (also the audience). `clock` must outlive the service.
  TokenService(jose::PrivateKey key, std::string issuer, std::chrono::seconds ttl,
               const Clock& clock);

  struct Token {
    std::string access_token;
    int64_t expires_in = 0;  // seconds
  };
  Result<Token> Issue(const Principal& principal, RandomSource& random) const;

  // Unauthenticated with the reason for anything that is not a token this service issued and
  // that is still valid (bad form, signature, issuer, audience, type, expiry). A token whose
  // signature was checked once is remembered (keyed by the whole token, until its expiry), so
  // a client reusing its token pays for one signature check, not one per request.
  Result<Principal> Verify(std::string_view token) const;

  // True when `token` verified before and has not expired (Verify will not check a signature).
  bool IsCached(std::string_view token) const;

  std::chrono::seconds ttl() const { return ttl_; }
  const jose::PublicKey& public_key() const { return key_.public_key(); }

 private:
  jose::PrivateKey key_;
  std::string kid_;
  std::string issuer_;
  std::chrono::seconds ttl_;
  const Clock& clock_;
  struct Cached {
    Principal principal;
    int64_t exp = 0;
  };
  mutable std::mutex cache_mu_;
  mutable std::map<std::string, Cached, std::less<>> cache_;  // bounded: kMaxCachedTokens
};

// A token bucket per key (client id, or "ip:<address>" for anonymous callers): `rate` requests
// per second on average, bursts of up to `burst`. Keys idle long enough to be full again are
// forgotten, so memory stays bounded by the active callers.
class RateLimiter {
 public:
  RateLimiter(double rate, double burst, const Clock& clock);
  // Takes one token for `key`. nullopt when allowed; otherwise how long until a token is
  // available (rounded up to whole seconds, at least 1), for Retry-After.
  std::optional<std::chrono::seconds> Take(std::string_view key);
  bool enabled() const { return rate_ > 0; }

 private:
  struct Bucket {
    double tokens;
    int64_t last_ns;
  };
  double rate_;
  double burst_;
  const Clock& clock_;
  std::mutex mu_;
  std::map<std::string, Bucket, std::less<>> buckets_;
  int64_t last_sweep_ns_ = 0;
};

}  // namespace traceport::node

#endif  // TRACEPORT_NODE_AUTH_H_
