#include "node/auth.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <nlohmann/json.hpp>

#include "codec/base64.h"
#include "codec/json.h"
#include "crypto/hmac.h"
#include "jose/jwk.h"
#include "jose/jws.h"

namespace traceport::node {

namespace {

using nlohmann::json;

constexpr std::array<ScopeInfo, 17> kScopes = {{
    {"admin", "administer the node: create organizations and clients, rotate keys"},
    {"resolve:dids", "resolve DIDs through the node"},
    {"create:credential", "issue credentials as the client's organization"},
    {"read:credential", "read the organization's own credentials"},
    {"update:credential", "revoke, suspend and unsuspend the organization's credentials"},
    {"verify:credential", "verify credentials"},
    {"create:presentation", "sign presentations as the organization (holder)"},
    {"verify:presentation", "verify presentations"},
    {"submit:presentations", "submit presentations to the organization that issued the client"},
    {"read:presentations", "read the presentations the organization received"},
    {"read:submissions", "customs: read the queue of submissions, their findings and traces"},
    {"decide:submissions", "customs: record release, hold, exam and request-info decisions"},
    {"manage:registry", "admit, suspend, reinstate and remove registry entries (authority only)"},
    {"read:registry", "reserved: the registry's queries are public"},
    {"read:shipments", "importer: the status and decisions of the organization's own submissions"},
    {"read:wallet", "the credentials the organization holds (received from their issuers)"},
    {"write:wallet", "keep and drop credentials in the organization's wallet"},
}};

constexpr std::string_view kSecretPrefix = "tps_";
constexpr size_t kMaxCachedTokens = 10000;

int64_t NowNs(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(clock.Now().time_since_epoch())
      .count();
}

std::vector<uint8_t> RandomVector(RandomSource& random, size_t n) {
  std::vector<uint8_t> out(n);
  random.Fill(out);
  return out;
}

}  // namespace

std::span<const ScopeInfo> AllScopes() { return kScopes; }

bool IsKnownScope(std::string_view scope) {
  return std::any_of(kScopes.begin(), kScopes.end(),
                     [&](const ScopeInfo& s) { return s.name == scope; });
}

std::string NewClientSecret(RandomSource& random) {
  const std::vector<uint8_t> bytes = RandomVector(random, 32);
  return std::string(kSecretPrefix) + codec::Base64UrlEncode(bytes);
}

HashedSecret HashClientSecret(std::string_view secret, RandomSource& random) {
  HashedSecret out;
  out.salt = RandomVector(random, 16);
  auto mac = crypto::HmacSha256(
      out.salt, std::span(reinterpret_cast<const uint8_t*>(secret.data()), secret.size()));
  if (mac.ok()) out.hash.assign(mac->begin(), mac->end());
  return out;
}

bool CheckClientSecret(std::string_view secret, const HashedSecret& stored) {
  if (stored.salt.empty() || stored.hash.size() != crypto::kSha256Size) return false;
  return crypto::VerifyHmacSha256(
             stored.salt, std::span(reinterpret_cast<const uint8_t*>(secret.data()), secret.size()),
             stored.hash)
      .ok();
}

TokenService::TokenService(jose::PrivateKey key, std::string issuer, std::chrono::seconds ttl,
                           const Clock& clock)
    : key_(std::move(key)),
      kid_(jose::Thumbprint(key_.public_key())),
      issuer_(std::move(issuer)),
      ttl_(ttl),
      clock_(clock) {}

Result<TokenService::Token> TokenService::Issue(const Principal& principal,
                                                RandomSource& random) const {
  const int64_t now = ToUnixSeconds(clock_.Now());
  std::string scope;
  for (const std::string& s : principal.scopes) scope += (scope.empty() ? "" : " ") + s;
  json claims = {{"iss", issuer_},
                 {"aud", issuer_},
                 {"sub", principal.client_id},
                 {"client_id", principal.client_id},
                 {"org", principal.org},
                 {"scope", scope},
                 {"iat", now},
                 {"exp", now + ttl_.count()},
                 {"jti", codec::Base64UrlEncode(RandomVector(random, 16))}};
  jose::JwsSignOptions o;
  o.kid = kid_;
  o.typ = "at+jwt";
  ASSIGN_OR_RETURN(std::string jwt, jose::SignCompact(claims.dump(), key_, o));
  return Token{std::move(jwt), ttl_.count()};
}

Result<Principal> TokenService::Verify(std::string_view token) const {
  const int64_t now_s = ToUnixSeconds(clock_.Now());
  {
    std::lock_guard<std::mutex> lock(cache_mu_);
    auto it = cache_.find(token);
    if (it != cache_.end()) {
      if (now_s < it->second.exp) return it->second.principal;
      cache_.erase(it);
      return UnauthenticatedError("the access token has expired");
    }
  }
  jose::JwsVerifyOptions o;
  o.allowed_algs = {key_.algorithm()};
  o.required_typ = "at+jwt";
  o.max_bytes = 8192;
  Result<jose::VerifiedJws> v = jose::VerifyCompact(token, key_.public_key(), o);
  if (!v.ok())
    return UnauthenticatedError("the access token is not valid: " +
                                std::string(v.status().message()));
  Result<json> claims = codec::ParseJson(v->payload);
  if (!claims.ok() || !claims->is_object()) {
    return UnauthenticatedError("the access token's claims are not a JSON object");
  }
  const json& c = *claims;
  auto str = [&](const char* name) -> std::string {
    auto it = c.find(name);
    return it != c.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  if (str("iss") != issuer_ || str("aud") != issuer_) {
    return UnauthenticatedError("the access token was issued for another node");
  }
  auto exp = c.find("exp");
  if (exp == c.end() || !exp->is_number_integer()) {
    return UnauthenticatedError("the access token has no expiry");
  }
  if (ToUnixSeconds(clock_.Now()) >= exp->get<int64_t>()) {
    return UnauthenticatedError("the access token has expired");
  }
  Principal p;
  p.client_id = str("client_id");
  p.org = str("org");
  if (p.client_id.empty() || p.org.empty()) {
    return UnauthenticatedError("the access token names no client or organization");
  }
  const std::string scope = str("scope");
  size_t start = 0;
  while (start < scope.size()) {
    size_t end = scope.find(' ', start);
    if (end == std::string::npos) end = scope.size();
    if (end > start) p.scopes.insert(scope.substr(start, end - start));
    start = end + 1;
  }
  std::lock_guard<std::mutex> lock(cache_mu_);
  if (cache_.size() >= kMaxCachedTokens) {
    // Drop the expired ones; if that is not enough, start over (the cache is only a shortcut).
    for (auto it = cache_.begin(); it != cache_.end();) {
      it = it->second.exp <= now_s ? cache_.erase(it) : std::next(it);
    }
    if (cache_.size() >= kMaxCachedTokens) cache_.clear();
  }
  cache_.emplace(std::string(token), Cached{p, exp->get<int64_t>()});
  return p;
}

bool TokenService::IsCached(std::string_view token) const {
  const int64_t now_s = ToUnixSeconds(clock_.Now());
  std::lock_guard<std::mutex> lock(cache_mu_);
  auto it = cache_.find(token);
  return it != cache_.end() && now_s < it->second.exp;
}

RateLimiter::RateLimiter(double rate, double burst, const Clock& clock)
    // Rates below one request a day are raised to one a day, and bursts capped, so that the
    // refill arithmetic cannot overflow.
    : rate_(rate > 0 && rate < 1.0 / 86400 ? 1.0 / 86400 : rate),
      burst_(std::max(std::min(burst, 1e9), 1.0)),
      clock_(clock) {}

std::optional<std::chrono::seconds> RateLimiter::Take(std::string_view key) {
  if (rate_ <= 0) return std::nullopt;
  const int64_t now = NowNs(clock_);
  std::lock_guard<std::mutex> lock(mu_);
  // Forget buckets that have refilled completely: they behave exactly like new ones.
  const int64_t full_after_ns = static_cast<int64_t>(burst_ / rate_ * 1e9) + 1;
  if (now - last_sweep_ns_ > std::max<int64_t>(full_after_ns, 1'000'000'000)) {
    for (auto it = buckets_.begin(); it != buckets_.end();) {
      it = now - it->second.last_ns > full_after_ns ? buckets_.erase(it) : std::next(it);
    }
    last_sweep_ns_ = now;
  }
  auto it = buckets_.find(key);
  if (it == buckets_.end()) it = buckets_.emplace(std::string(key), Bucket{burst_, now}).first;
  Bucket& b = it->second;
  const double elapsed = std::max<int64_t>(now - b.last_ns, 0) / 1e9;
  b.tokens = std::min(burst_, b.tokens + elapsed * rate_);
  b.last_ns = now;
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return std::nullopt;
  }
  const double wait = (1.0 - b.tokens) / rate_;
  return std::chrono::seconds(std::max<int64_t>(1, static_cast<int64_t>(std::ceil(wait))));
}

}  // namespace traceport::node
