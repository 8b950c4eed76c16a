#include "did/key_cache.h"

namespace traceport::did {
namespace {

// The cache key: the relationship's name (or "-") and the DID URL, separated by a character
// that cannot occur in a DID URL.
std::string CacheKey(std::string_view did_url, const Relationship* relationship) {
  std::string key(relationship != nullptr ? RelationshipName(*relationship) : "-");
  key += ' ';
  key += did_url;
  return key;
}

// Methods whose keys are a function of the DID string alone.
bool SelfCertifying(std::string_view did_url) {
  return did_url.starts_with("did:key:") || did_url.starts_with("did:jwk:");
}

}  // namespace

KeyCache::KeyCache(Resolver& resolver, const Clock& clock, Options options)
    : resolver_(resolver), clock_(clock), options_(options) {}

Result<jose::PublicKey> KeyCache::ResolvePublicKey(std::string_view did_url,
                                                   const Relationship* relationship) {
  std::string key = CacheKey(did_url, relationship);
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(key);
    if (it != entries_.end()) {
      if (!it->second.expires || clock_.Now() < *it->second.expires) {
        ++stats_.hits;
        lru_.splice(lru_.begin(), lru_, it->second.lru);
        return it->second.key;
      }
      lru_.erase(it->second.lru);
      entries_.erase(it);
    }
    ++stats_.misses;
  }
  // Resolve without the lock: resolution may go to the network. Two threads that miss at once
  // both resolve, and the second insert wins; both results are equally valid.
  Result<jose::PublicKey> resolved = did::ResolvePublicKey(resolver_, did_url, relationship);
  if (!resolved.ok() || options_.max_entries == 0) return resolved;
  std::optional<Time> expires;
  if (!SelfCertifying(did_url)) expires = clock_.Now() + options_.ttl;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    lru_.erase(it->second.lru);
    entries_.erase(it);
  }
  while (entries_.size() >= options_.max_entries) {
    entries_.erase(lru_.back());
    lru_.pop_back();
  }
  lru_.push_front(key);
  entries_.emplace(std::move(key), Entry{*resolved, expires, lru_.begin()});
  return resolved;
}

KeyCache::Stats KeyCache::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  Stats s = stats_;
  s.entries = entries_.size();
  return s;
}

void KeyCache::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.clear();
  lru_.clear();
}

}  // namespace traceport::did
