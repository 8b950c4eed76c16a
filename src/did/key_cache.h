// A cache of resolved verification-method keys, for verifiers that run for a long time.
//
// Resolving a key means resolving the DID document, finding the method, checking that it is
// authorized for the relationship and decoding (for EC keys: decompressing and validating) the
// public key. For a verifier that sees the same issuers over and over, that work dominates
// everything but the signature check, so it is done once per (method, relationship).
//
// did:key and did:jwk keys are derived from the DID itself and never change: they stay until
// evicted. Keys from other methods (did:web) are kept for `ttl` and then resolved again, so a
// rotated or revoked key stops being accepted within that time. Failures are never cached.
// At most `max_entries` keys are kept; beyond that the least recently used goes.
//
// Thread-safe.
#ifndef TRACEPORT_DID_KEY_CACHE_H_
#define TRACEPORT_DID_KEY_CACHE_H_

#include <chrono>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/status.h"
#include "common/time.h"
#include "did/document.h"
#include "did/resolver.h"
#include "jose/key.h"

namespace traceport::did {

class KeyCache {
 public:
  struct Options {
    size_t max_entries = 10000;
    std::chrono::seconds ttl{300};  // for keys of DID methods whose documents can change
  };
  struct Stats {
    uint64_t hits = 0;
    uint64_t misses = 0;
    size_t entries = 0;
  };

  // `resolver` and `clock` are not owned and must outlive the cache.
  KeyCache(Resolver& resolver, const Clock& clock) : KeyCache(resolver, clock, Options()) {}
  KeyCache(Resolver& resolver, const Clock& clock, Options options);
  KeyCache(const KeyCache&) = delete;
  KeyCache& operator=(const KeyCache&) = delete;

  // As did::ResolvePublicKey(resolver, did_url, relationship), answered from the cache when it
  // holds a live entry for the same method and relationship.
  Result<jose::PublicKey> ResolvePublicKey(std::string_view did_url,
                                           const Relationship* relationship = nullptr);

  Stats stats() const;
  void Clear();

 private:
  struct Entry {
    jose::PublicKey key;
    std::optional<Time> expires;  // none: does not expire
    std::list<std::string>::iterator lru;
  };

  Resolver& resolver_;
  const Clock& clock_;
  const Options options_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;  // guarded by mu_
  std::list<std::string> lru_;                      // most recent first; guarded by mu_
  Stats stats_;                                     // guarded by mu_
};

}  // namespace traceport::did

#endif  // TRACEPORT_DID_KEY_CACHE_H_
