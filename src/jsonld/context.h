// JSON-LD 1.1 active contexts: term definitions, the Context Processing algorithm, Create Term
// Definition and IRI Expansion (JSON-LD 1.1 Processing Algorithms and API, sections 4.1-4.3),
// for processing mode json-ld-1.1 only.
//
// An ActiveContext is immutable once built and always handled through
// std::shared_ptr<const ActiveContext>, so expansion can switch between contexts (type-scoped,
// property-scoped, the "previous context" of a non-propagated context) without copying. Its term
// map is itself shared: processing a context copies the map once, when the first term changes.
//
// ContextCache memoizes processing results keyed by (active context identity, context value,
// flags), so a remote context such as the W3C credentials context is fetched and processed once
// per cache, and the type-scoped contexts a document uses are processed once per type.
//
// Thread safety: ActiveContext is immutable and may be shared across threads. ContextCache is
// thread-safe. ContextProcessor is not (one per expansion).
#ifndef TRACEPORT_JSONLD_CONTEXT_H_
#define TRACEPORT_JSONLD_CONTEXT_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "jsonld/document_loader.h"

namespace traceport::jsonld {

// Container mapping flags (@container values).
enum ContainerFlag : uint8_t {
  kContainerList = 1 << 0,
  kContainerSet = 1 << 1,
  kContainerIndex = 1 << 2,
  kContainerLanguage = 1 << 3,
  kContainerId = 1 << 4,
  kContainerType = 1 << 5,
  kContainerGraph = 1 << 6,
};

// One term definition. Absent optional fields mean "no such mapping"; `has_language` /
// `has_direction` distinguish an explicit null (@language: null) from no mapping.
struct TermDefinition {
  std::optional<std::string> iri;  // IRI mapping; nullopt for a term mapped to null
  bool reverse = false;
  std::optional<std::string> type;  // an absolute IRI, "@id", "@vocab", "@json" or "@none"
  bool has_language = false;
  std::optional<std::string> language;  // when has_language: the tag, or nullopt for null
  bool has_direction = false;
  std::optional<std::string> direction;  // when has_direction: "ltr" / "rtl", or nullopt
  uint8_t container = 0;                 // ContainerFlag bits
  // The scoped context (@context), which may be JSON null; null pointer when there is none.
  // Processing results are cached by the identity of this pointer.
  std::shared_ptr<const nlohmann::json> context;
  std::string base_url;  // the base URL the scoped context is resolved against
  bool has_base_url = false;
  std::optional<std::string> index;  // @index (property-valued index)
  std::optional<std::string> nest;   // @nest
  bool prefix = false;
  bool is_protected = false;
  // Whether `iri` / `type` is set and well-formed for RDF (to_rdf.h IsWellFormedIri), worked
  // out once when the definition is made, so triples can use them unchecked. Not mappings:
  // SameAs ignores them.
  bool rdf_iri = false;
  bool rdf_type = false;

  bool HasContainer(uint8_t flags) const { return (container & flags) != 0; }
  // Equality for "protected term redefinition": every mapping except the protected flag and
  // the base URL.
  bool SameAs(const TermDefinition& other) const;
};

// Hashes terms and URLs, 8 bytes at a time: terms are short, and for them std::hash's Murmur
// costs more than the rest of a lookup.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const noexcept {
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ s.size();
    const char* p = s.data();
    size_t n = s.size();
    uint64_t w = 0;
    for (; n > 8; p += 8, n -= 8) {
      std::memcpy(&w, p, 8);
      h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
      h ^= h >> 32;
    }
    if (s.size() >= 8) {
      std::memcpy(&w, s.data() + s.size() - 8, 8);  // the last 8 bytes, overlapping
    } else {
      w = 0;
      for (size_t i = 0; i < n; ++i) w |= uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
    }
    h = (h ^ w) * 0xC4CEB9FE1A85EC53ULL;
    return static_cast<size_t>(h ^ (h >> 29));
  }
};
using TermMap = std::unordered_map<std::string, TermDefinition, StringHash, std::equal_to<>>;

class ActiveContext;
using ContextPtr = std::shared_ptr<const ActiveContext>;

class ActiveContext {
 public:
  // A new empty context whose base IRI and original base URL are `base` (nullopt: none).
  static ContextPtr Initial(std::optional<std::string> base);

  const TermDefinition* Find(std::string_view term) const {
    auto it = terms_->find(term);
    return it == terms_->end() ? nullptr : &it->second;
  }
  const TermMap& terms() const { return *terms_; }
  const std::optional<std::string>& base() const { return base_; }
  const std::optional<std::string>& original_base() const { return original_base_; }
  const std::optional<std::string>& vocab() const { return vocab_; }
  const std::optional<std::string>& default_language() const { return default_language_; }
  const std::optional<std::string>& default_direction() const { return default_direction_; }
  // The context to revert to when leaving a node object (set by non-propagated contexts).
  const ContextPtr& previous() const { return previous_; }
  bool HasProtectedTerms() const;

 private:
  friend class ContextProcessor;
  ActiveContext() : terms_(std::make_shared<TermMap>()) {}
  TermMap& MutableTerms();  // copies the shared map on first write
  // A mutable copy sharing this context's term map (copied on the copy's first write).
  std::shared_ptr<ActiveContext> Clone() const;
  // A frozen copy of a context still being built; later writes to this one copy the map.
  ContextPtr Share();

  std::shared_ptr<TermMap> terms_;
  bool terms_owned_ = true;  // false while terms_ is shared with the context copied from
  std::optional<std::string> base_;
  std::optional<std::string> original_base_;
  std::optional<std::string> vocab_;
  std::optional<std::string> default_language_;
  std::optional<std::string> default_direction_;
  ContextPtr previous_;
};

// Memoized context processing results and loaded remote context documents. Entries keep their
// active contexts alive, so keys by identity cannot be reused. When the number of entries
// reaches the limit the cache is emptied. A cache must be used with a single DocumentLoader
// whose documents do not change (results are keyed by URL). Thread-safe.
class ContextCache {
 public:
  explicit ContextCache(size_t max_entries = 4096) : max_entries_(max_entries) {}
  ContextCache(const ContextCache&) = delete;
  ContextCache& operator=(const ContextCache&) = delete;

  // What a processing result depends on: the active context (by identity), the local context
  // (a scoped context by identity, or the text of a URL / inline context together with the
  // base URL) and the processing flags.
  struct Key {
    const ActiveContext* active = nullptr;
    const nlohmann::json* scoped = nullptr;
    std::string context;
    uint8_t flags = 0;
    bool operator==(const Key&) const = default;
  };

  ContextPtr Find(const Key& key) const;
  // `active` and `scoped` (may be null) are kept alive with the entry, so the identities in the
  // key stay unique.
  void Insert(Key key, const ContextPtr& active, std::shared_ptr<const nlohmann::json> scoped,
              ContextPtr result);
  // The initial context for a base IRI, created once.
  ContextPtr Initial(const std::optional<std::string>& base);
  // Remote documents by URL.
  std::optional<RemoteDocument> FindDocument(std::string_view url) const;
  void InsertDocument(const std::string& url, RemoteDocument document);
  size_t size() const;

 private:
  struct KeyHash {
    size_t operator()(const Key& k) const;
  };
  struct Entry {
    ContextPtr active;  // keep the key's identities alive
    std::shared_ptr<const nlohmann::json> scoped;
    ContextPtr result;
  };
  const size_t max_entries_;
  mutable std::mutex mu_;
  std::unordered_map<Key, Entry, KeyHash> entries_;
  std::unordered_map<std::string, ContextPtr> initial_;
  std::unordered_map<std::string, RemoteDocument, StringHash, std::equal_to<>> documents_;
};

struct ContextLimits {
  size_t max_remote_depth = 16;   // nested remote contexts (error "context overflow")
  size_t max_remote_loads = 64;   // documents fetched per processor ("context overflow")
  size_t max_processing = 10000;  // context processing calls per processor ("context overflow")
  size_t max_nesting = 64;        // nested context processing calls ("context overflow")
};

// Runs context processing for one expansion: counts work against the limits, fetches remote
// contexts through the loader and memoizes through the cache. Not thread-safe.
class ContextProcessor {
 public:
  // `loader` may be null (every remote context then fails with "loading remote context
  // failed"); `cache` must not be null. Both must outlive the processor.
  ContextProcessor(const DocumentLoader* loader, ContextCache* cache, ContextLimits limits = {});

  struct Flags {
    bool override_protected = false;
    bool propagate = true;
    bool validate_scoped = true;
  };

  // Context Processing (API 4.1.2): the result of applying `local` to `active`. `base_url` is
  // the URL relative context references resolve against (nullopt: none).
  Result<ContextPtr> Process(const ContextPtr& active, const nlohmann::json& local,
                             const std::optional<std::string>& base_url, Flags flags);
  // Process for a local context that is a string (`single`, one entry in `strings`) or an
  // array of strings — the usual @context of a credential, a list of context URLs — given
  // without a JSON tree: the tree is built only when the cache has no result yet. Shares its
  // cache entries with Process over the same JSON value.
  Result<ContextPtr> ProcessStrings(const ContextPtr& active,
                                    std::span<const std::string_view> strings, bool single,
                                    const std::optional<std::string>& base_url, Flags flags);
  // Process for the scoped context of `def` (def.context not null), resolved against the
  // definition's base URL; cached by the identity of def.context.
  Result<ContextPtr> ProcessScoped(const ContextPtr& active, const TermDefinition& def,
                                   Flags flags);

  // Expansion steps 10-11 for one @type entry `types` of a node object: the type-scoped
  // contexts its string values have in `type_scoped`, applied to `active` without propagation
  // in code point order of the values. Other values are ignored (expansion rejects them later).
  Result<ContextPtr> ApplyTypeScoped(ContextPtr active, const ActiveContext& type_scoped,
                                     const nlohmann::json& types);

  // The processed context for the expandContext option (a context, or an object with @context).
  Result<ContextPtr> ProcessExpandContext(const ContextPtr& active,
                                          const nlohmann::json& expand_context);

 private:
  // Per-context-definition state of Create Term Definition: the "defined" map and the
  // arguments every term of one local context shares.
  struct Defined;
  Result<ContextPtr> ProcessUncached(const ContextPtr& active, const nlohmann::json& local,
                                     const std::optional<std::string>& base_url,
                                     std::vector<std::string>& remote_contexts, Flags flags);
  // The cached result for local context text `key_text` (with the base URL and flags added to
  // the key), or the result of processing local(), which is called only on a miss.
  Result<ContextPtr> ProcessKeyed(const ContextPtr& active, std::string key_text,
                                  const std::function<const nlohmann::json&()>& local,
                                  const std::optional<std::string>& base_url, Flags flags);
  Result<ContextPtr> ProcessRemote(const ContextPtr& active, const std::string& url,
                                   std::vector<std::string>& remote_contexts, Flags flags);
  Result<RemoteDocument> LoadContextDocument(const std::string& url);
  Status CreateTermDefinition(ActiveContext& result, const std::string& term, Defined& defined);
  // IRI Expansion during term creation: may define terms of the local context on demand.
  Result<std::optional<std::string>> ExpandIriDefining(ActiveContext& active,
                                                       const std::string& value,
                                                       bool document_relative, bool vocab,
                                                       Defined& defined);

  const DocumentLoader* loader_;
  ContextCache* cache_;
  ContextLimits limits_;
  size_t loads_ = 0;
  size_t processed_ = 0;
  size_t nesting_ = 0;
};

// IRI Expansion (API 4.3.2) against a finished context. nullopt means null (the value maps to
// nothing, e.g. a term defined as null, or a string of keyword form that is not a keyword).
std::optional<std::string> ExpandIri(const ActiveContext& active, std::string_view value,
                                     bool document_relative, bool vocab);

// Whether `key` IRI-expands (vocab true) to the keyword `keyword`: it is the keyword, or a term
// aliasing it. Needs no allocation.
bool IsExpandedTo(const ActiveContext& active, std::string_view key, std::string_view keyword);

// JSON-LD keywords (not the framing ones), e.g. "@id".
bool IsKeyword(std::string_view s);
// "@" followed by one or more ASCII letters: reserved for future keywords, ignored with a warning.
bool HasKeywordForm(std::string_view s);
// Whether `s` starts with an RFC 3986 scheme followed by ':' (an absolute IRI, loosely).
bool IsAbsoluteIri(std::string_view s);
bool IsBlankNodeId(std::string_view s);

// RFC 3986 section 5.2 reference resolution: `reference` resolved against the absolute `base`,
// with dot-segment removal. A reference that is already absolute comes back with its dot
// segments removed.
std::string ResolveIri(std::string_view base, std::string_view reference);

}  // namespace traceport::jsonld

#endif  // TRACEPORT_JSONLD_CONTEXT_H_
