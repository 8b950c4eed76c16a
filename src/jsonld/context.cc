#include "jsonld/context.h"

#include <algorithm>
#include <array>
#include <functional>
#include <utility>

#include "jsonld/error.h"
#include "jsonld/internal/text.h"
#include "jsonld/to_rdf.h"

namespace traceport::jsonld {

using nlohmann::json;

namespace {

constexpr std::array<std::string_view, 23> kKeywords = {
    "@base",   "@container", "@context", "@direction", "@graph",     "@id",
    "@import", "@included",  "@index",   "@json",      "@language",  "@list",
    "@nest",   "@none",      "@prefix",  "@propagate", "@protected", "@reverse",
    "@set",    "@type",      "@value",   "@version",   "@vocab"};

bool IsGenDelim(char c) {
  return c == ':' || c == '/' || c == '?' || c == '#' || c == '[' || c == ']' || c == '@';
}

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// The parts of an IRI reference (RFC 3986 appendix B); absent parts are nullopt.
struct IriParts {
  std::optional<std::string_view> scheme;
  std::optional<std::string_view> authority;
  std::string_view path;
  std::optional<std::string_view> query;
  std::optional<std::string_view> fragment;
};

IriParts SplitIri(std::string_view s) {
  IriParts p;
  // scheme: the text before the first ':' when no '/', '?' or '#' precedes it.
  const size_t delim = s.find_first_of(":/?#");
  if (delim != std::string_view::npos && delim > 0 && s[delim] == ':') {
    p.scheme = s.substr(0, delim);
    s.remove_prefix(delim + 1);
  }
  if (s.substr(0, 2) == "//") {
    s.remove_prefix(2);
    const size_t end = std::min(s.find_first_of("/?#"), s.size());
    p.authority = s.substr(0, end);
    s.remove_prefix(end);
  }
  const size_t hash = s.find('#');
  if (hash != std::string_view::npos) {
    p.fragment = s.substr(hash + 1);
    s = s.substr(0, hash);
  }
  const size_t q = s.find('?');
  if (q != std::string_view::npos) {
    p.query = s.substr(q + 1);
    s = s.substr(0, q);
  }
  p.path = s;
  return p;
}

// RFC 3986 section 5.2.4.
std::string RemoveDotSegments(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  while (!in.empty()) {
    if (in.substr(0, 3) == "../") {
      in.remove_prefix(3);
    } else if (in.substr(0, 2) == "./") {
      in.remove_prefix(2);
    } else if (in.substr(0, 3) == "/./") {
      in.remove_prefix(2);
    } else if (in == "/.") {
      in = "/";
    } else if (in.substr(0, 4) == "/../" || in == "/..") {
      if (in.size() == 3) {
        in = "/";
      } else {
        in.remove_prefix(3);
      }
      const size_t last = out.rfind('/');
      out.resize(last == std::string::npos ? 0 : last);
    } else if (in == "." || in == "..") {
      in = {};
    } else {
      // Move the first segment (with its leading '/', if any) to the output.
      const size_t next = in.find('/', 1);
      const size_t n = next == std::string_view::npos ? in.size() : next;
      out.append(in.substr(0, n));
      in.remove_prefix(n);
    }
  }
  return out;
}

std::string Recompose(std::string_view scheme, std::optional<std::string_view> authority,
                      std::string_view path, std::optional<std::string_view> query,
                      std::optional<std::string_view> fragment) {
  std::string out;
  out.reserve(scheme.size() + path.size() + 16 + (authority ? authority->size() : 0) +
              (query ? query->size() : 0) + (fragment ? fragment->size() : 0));
  out.append(scheme);
  out.push_back(':');
  if (authority) {
    out.append("//");
    out.append(*authority);
  }
  out.append(path);
  if (query) {
    out.push_back('?');
    out.append(*query);
  }
  if (fragment) {
    out.push_back('#');
    out.append(*fragment);
  }
  return out;
}

std::string Lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool HasColonOrSlash(std::string_view term) {
  return term.find(':') != std::string_view::npos || term.find('/') != std::string_view::npos;
}

}  // namespace

bool IsKeyword(std::string_view s) {
  if (s.size() < 3 || s[0] != '@') return false;
  return std::binary_search(kKeywords.begin(), kKeywords.end(), s);
}

bool HasKeywordForm(std::string_view s) {
  if (s.size() < 2 || s[0] != '@') return false;
  return std::all_of(s.begin() + 1, s.end(), IsAlpha);
}

bool IsAbsoluteIri(std::string_view s) {
  if (s.empty() || !IsAlpha(s[0])) return false;
  for (size_t i = 1; i < s.size(); ++i) {
    const char c = s[i];
    if (c == ':') return true;
    if (!IsAlpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') return false;
  }
  return false;
}

bool IsBlankNodeId(std::string_view s) { return s.size() >= 2 && s[0] == '_' && s[1] == ':'; }

std::string ResolveIri(std::string_view base, std::string_view reference) {
  const IriParts r = SplitIri(reference);
  if (r.scheme) {
    return Recompose(*r.scheme, r.authority, RemoveDotSegments(r.path), r.query, r.fragment);
  }
  const IriParts b = SplitIri(base);
  const std::string_view scheme = b.scheme.value_or("");
  if (r.authority) {
    return Recompose(scheme, r.authority, RemoveDotSegments(r.path), r.query, r.fragment);
  }
  if (r.path.empty()) {
    return Recompose(scheme, b.authority, b.path, r.query ? r.query : b.query, r.fragment);
  }
  if (r.path[0] == '/') {
    return Recompose(scheme, b.authority, RemoveDotSegments(r.path), r.query, r.fragment);
  }
  // Merge (section 5.2.3).
  std::string merged;
  if (b.authority && b.path.empty()) {
    merged = "/";
  } else {
    const size_t slash = b.path.rfind('/');
    if (slash != std::string_view::npos) merged.assign(b.path.substr(0, slash + 1));
  }
  merged.append(r.path);
  return Recompose(scheme, b.authority, RemoveDotSegments(merged), r.query, r.fragment);
}

// ---------------------------------------------------------------------------------------------
// TermDefinition / ActiveContext

bool TermDefinition::SameAs(const TermDefinition& o) const {
  if (iri != o.iri || reverse != o.reverse || type != o.type || has_language != o.has_language ||
      language != o.language || has_direction != o.has_direction || direction != o.direction ||
      container != o.container || index != o.index || nest != o.nest || prefix != o.prefix) {
    return false;
  }
  if ((context == nullptr) != (o.context == nullptr)) return false;
  return context == nullptr || *context == *o.context;
}

ContextPtr ActiveContext::Initial(std::optional<std::string> base) {
  std::shared_ptr<ActiveContext> ctx(new ActiveContext());
  ctx->base_ = base;
  ctx->original_base_ = std::move(base);
  return ctx;
}

bool ActiveContext::HasProtectedTerms() const {
  return std::any_of(terms_->begin(), terms_->end(),
                     [](const auto& entry) { return entry.second.is_protected; });
}

TermMap& ActiveContext::MutableTerms() {
  if (!terms_owned_) {
    terms_ = std::make_shared<TermMap>(*terms_);
    terms_owned_ = true;
  }
  return *terms_;
}

std::shared_ptr<ActiveContext> ActiveContext::Clone() const {
  std::shared_ptr<ActiveContext> copy(new ActiveContext(*this));
  copy->terms_owned_ = false;
  return copy;
}

ContextPtr ActiveContext::Share() {
  terms_owned_ = false;
  return Clone();
}

// ---------------------------------------------------------------------------------------------
// ContextCache

size_t ContextCache::KeyHash::operator()(const Key& k) const {
  size_t h = std::hash<std::string>{}(k.context);
  h ^= std::hash<const void*>{}(k.active) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  h ^= std::hash<const void*>{}(k.scoped) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  return h ^ (static_cast<size_t>(k.flags) << 1);
}

ContextPtr ContextCache::Find(const Key& key) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : it->second.result;
}

void ContextCache::Insert(Key key, const ContextPtr& active, std::shared_ptr<const json> scoped,
                          ContextPtr result) {
  std::lock_guard<std::mutex> lock(mu_);
  if (entries_.size() >= max_entries_) entries_.clear();
  entries_.insert_or_assign(std::move(key), Entry{active, std::move(scoped), std::move(result)});
}

ContextPtr ContextCache::Initial(const std::optional<std::string>& base) {
  // "\x01" cannot start an IRI, so it stands for "no base".
  const std::string key = base ? *base : std::string("\x01");
  std::lock_guard<std::mutex> lock(mu_);
  auto it = initial_.find(key);
  if (it != initial_.end()) return it->second;
  if (initial_.size() >= max_entries_) {
    initial_.clear();
    entries_.clear();
  }
  ContextPtr ctx = ActiveContext::Initial(base);
  initial_.emplace(key, ctx);
  return ctx;
}

std::optional<RemoteDocument> ContextCache::FindDocument(std::string_view url) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = documents_.find(url);
  if (it == documents_.end()) return std::nullopt;
  return it->second;
}

void ContextCache::InsertDocument(const std::string& url, RemoteDocument document) {
  std::lock_guard<std::mutex> lock(mu_);
  if (documents_.size() >= max_entries_) documents_.clear();
  documents_.insert_or_assign(url, std::move(document));
}

size_t ContextCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

// ---------------------------------------------------------------------------------------------
// IRI expansion

std::optional<std::string> ExpandIri(const ActiveContext& active, std::string_view value,
                                     bool document_relative, bool vocab) {
  if (!value.empty() && value[0] == '@') {
    if (IsKeyword(value)) return std::string(value);
    if (HasKeywordForm(value)) return std::nullopt;
  }
  const TermDefinition* def = active.Find(value);
  if (def != nullptr) {
    if (def->iri && IsKeyword(*def->iri)) return def->iri;
    if (vocab) return def->iri;
  }
  const size_t colon = value.empty() ? std::string_view::npos : value.find(':', 1);
  if (colon != std::string_view::npos) {
    const std::string_view prefix = value.substr(0, colon);
    const std::string_view suffix = value.substr(colon + 1);
    if (prefix == "_" || suffix.substr(0, 2) == "//") return std::string(value);
    const TermDefinition* p = active.Find(prefix);
    if (p != nullptr && p->iri && p->prefix) {
      std::string out = *p->iri;
      out.append(suffix);
      return out;
    }
    if (IsAbsoluteIri(value)) return std::string(value);
  }
  if (vocab && active.vocab()) {
    std::string out = *active.vocab();
    out.append(value);
    return out;
  }
  if (document_relative && active.base()) return ResolveIri(*active.base(), value);
  return std::string(value);
}

bool IsExpandedTo(const ActiveContext& active, std::string_view key, std::string_view keyword) {
  if (!key.empty() && key[0] == '@') return key == keyword;
  const TermDefinition* def = active.Find(key);
  return def != nullptr && def->iri && *def->iri == keyword;
}

// ---------------------------------------------------------------------------------------------
// ContextProcessor

struct ContextProcessor::Defined {
  const json& local;
  const std::optional<std::string>& base_url;
  bool is_protected;
  bool override_protected;
  const std::vector<std::string>& remote_contexts;
  std::unordered_map<std::string, bool> state;
  // Terms whose scoped context is validated once all terms are defined.
  std::vector<std::string> scoped;
};

namespace {

// Counts nested calls and fails with "context overflow" past the limit.
class NestingGuard {
 public:
  NestingGuard(size_t& depth, size_t max) : depth_(depth) { ok_ = ++depth_ <= max; }
  ~NestingGuard() { --depth_; }
  NestingGuard(const NestingGuard&) = delete;
  NestingGuard& operator=(const NestingGuard&) = delete;
  bool ok() const { return ok_; }

 private:
  size_t& depth_;
  bool ok_;
};

uint8_t FlagBits(const ContextProcessor::Flags& f) {
  return static_cast<uint8_t>((f.override_protected ? 1 : 0) | (f.propagate ? 2 : 0) |
                              (f.validate_scoped ? 4 : 0));
}

// The cache key text of a local context that is a string or an array of strings: a byte no
// JSON text starts with ("\x04": a string, "\x05": an array), the number of strings and
// "\x00", then each string followed by "\x00" (which a context URL cannot hold; a string that
// does falls back to the JSON text).
bool StringsKeyText(std::span<const std::string_view> strings, bool single, std::string* out) {
  size_t size = 1;
  for (const std::string_view s : strings) {
    if (s.find('\0') != std::string_view::npos) return false;
    size += s.size() + 1;
  }
  out->clear();
  out->reserve(size + 8);
  out->push_back(single ? '\x04' : '\x05');
  out->append(std::to_string(strings.size()));
  out->push_back('\0');
  for (const std::string_view s : strings) {
    out->append(s);
    out->push_back('\0');
  }
  return true;
}

// The strings of a local context that is a string or an array of strings.
bool StringsOf(const json& local, std::vector<std::string_view>* strings, bool* single) {
  if (local.is_string()) {
    strings->push_back(local.get_ref<const std::string&>());
    *single = true;
    return true;
  }
  if (!local.is_array()) return false;
  for (const json& item : local) {
    if (!item.is_string()) return false;
    strings->push_back(item.get_ref<const std::string&>());
  }
  *single = false;
  return true;
}

void AppendBase(const std::optional<std::string>& base_url, std::string* key) {
  key->push_back('\x01');
  if (base_url) key->append(*base_url);
}

}  // namespace

ContextProcessor::ContextProcessor(const DocumentLoader* loader, ContextCache* cache,
                                   ContextLimits limits)
    : loader_(loader), cache_(cache), limits_(limits) {}

Result<ContextPtr> ContextProcessor::Process(const ContextPtr& active, const json& local,
                                             const std::optional<std::string>& base_url,
                                             Flags flags) {
  std::vector<std::string_view> strings;
  bool single = false;
  std::string key_text;
  if (!StringsOf(local, &strings, &single) || !StringsKeyText(strings, single, &key_text)) {
    key_text = internal::KeyText(local);
  }
  return ProcessKeyed(
      active, std::move(key_text), [&local]() -> const json& { return local; }, base_url, flags);
}

Result<ContextPtr> ContextProcessor::ProcessKeyed(const ContextPtr& active, std::string key_text,
                                                  const std::function<const json&()>& local,
                                                  const std::optional<std::string>& base_url,
                                                  Flags flags) {
  ContextCache::Key key;
  key.active = active.get();
  key.context = std::move(key_text);
  AppendBase(base_url, &key.context);
  key.flags = FlagBits(flags);
  if (ContextPtr hit = cache_->Find(key)) return hit;
  std::vector<std::string> remote;
  ASSIGN_OR_RETURN(ContextPtr result, ProcessUncached(active, local(), base_url, remote, flags));
  cache_->Insert(std::move(key), active, nullptr, result);
  return result;
}

Result<ContextPtr> ContextProcessor::ProcessStrings(const ContextPtr& active,
                                                    std::span<const std::string_view> strings,
                                                    bool single,
                                                    const std::optional<std::string>& base_url,
                                                    Flags flags) {
  auto as_json = [&] {
    if (single && strings.size() == 1) return json(std::string(strings[0]));
    json array = json::array();
    for (const std::string_view s : strings) array.push_back(std::string(s));
    return array;
  };
  std::string key_text;
  if (!StringsKeyText(strings, single && strings.size() == 1, &key_text)) {
    return Process(active, as_json(), base_url, flags);
  }
  json local;  // built only on a miss
  return ProcessKeyed(
      active, std::move(key_text),
      [&]() -> const json& {
        local = as_json();
        return local;
      },
      base_url, flags);
}

Result<ContextPtr> ContextProcessor::ProcessScoped(const ContextPtr& active,
                                                   const TermDefinition& def, Flags flags) {
  ContextCache::Key key;
  key.active = active.get();
  key.scoped = def.context.get();
  key.flags = FlagBits(flags);
  if (ContextPtr hit = cache_->Find(key)) return hit;
  std::vector<std::string> remote;
  const std::optional<std::string> base_url =
      def.has_base_url ? std::optional<std::string>(def.base_url) : std::nullopt;
  ASSIGN_OR_RETURN(ContextPtr result,
                   ProcessUncached(active, *def.context, base_url, remote, flags));
  cache_->Insert(std::move(key), active, def.context, result);
  return result;
}

Result<ContextPtr> ContextProcessor::ApplyTypeScoped(ContextPtr active,
                                                     const ActiveContext& type_scoped,
                                                     const json& types) {
  std::vector<const std::string*> terms;
  if (types.is_string()) {
    terms.push_back(&types.get_ref<const std::string&>());
  } else if (types.is_array()) {
    for (const json& t : types) {
      if (t.is_string()) terms.push_back(&t.get_ref<const std::string&>());
    }
  }
  std::sort(terms.begin(), terms.end(),
            [](const std::string* a, const std::string* b) { return *a < *b; });
  for (const std::string* term : terms) {
    const TermDefinition* def = type_scoped.Find(*term);
    if (def == nullptr || def->context == nullptr) continue;
    Flags flags;
    flags.propagate = false;
    ASSIGN_OR_RETURN(active, ProcessScoped(active, *def, flags));
  }
  return active;
}

Result<ContextPtr> ContextProcessor::ProcessExpandContext(const ContextPtr& active,
                                                          const json& expand_context) {
  const json* local = &expand_context;
  if (expand_context.is_object()) {
    auto it = expand_context.find("@context");
    if (it != expand_context.end()) local = &*it;
  }
  return Process(active, *local, active->original_base(), Flags{});
}

Result<RemoteDocument> ContextProcessor::LoadContextDocument(const std::string& url) {
  if (auto cached = cache_->FindDocument(url)) return *std::move(cached);
  if (++loads_ > limits_.max_remote_loads) {
    return JsonLdLimitError(
        "context overflow",
        "more than " + std::to_string(limits_.max_remote_loads) + " remote contexts loaded");
  }
  if (loader_ == nullptr) {
    return JsonLdError("loading remote context failed",
                       internal::Quote(url) + ": no document loader");
  }
  Result<RemoteDocument> doc = loader_->Load(url);
  if (!doc.ok()) {
    return JsonLdError("loading remote context failed",
                       internal::Quote(url) + ": " + internal::Printable(doc.status().message()));
  }
  if (doc->document == nullptr) {
    return JsonLdError("loading remote context failed", internal::Quote(url) + ": no document");
  }
  if (doc->document_url.empty()) doc->document_url = url;
  cache_->InsertDocument(url, *doc);
  return doc;
}

Result<ContextPtr> ContextProcessor::ProcessRemote(const ContextPtr& active, const std::string& url,
                                                   std::vector<std::string>& remote_contexts,
                                                   Flags flags) {
  ContextCache::Key key;
  key.active = active.get();
  key.context = "\x02" + url;
  key.flags = FlagBits(flags);
  if (ContextPtr hit = cache_->Find(key)) return hit;
  ASSIGN_OR_RETURN(RemoteDocument doc, LoadContextDocument(url));
  const json& document = *doc.document;
  auto it = document.is_object() ? document.find("@context") : document.end();
  if (!document.is_object() || it == document.end()) {
    return JsonLdError("invalid remote context",
                       internal::Quote(url) + " has no top-level @context");
  }
  std::vector<std::string> remote_copy = remote_contexts;
  Flags inner;
  inner.validate_scoped = flags.validate_scoped;
  ASSIGN_OR_RETURN(ContextPtr result,
                   ProcessUncached(active, *it, doc.document_url, remote_copy, inner));
  cache_->Insert(std::move(key), active, nullptr, result);
  return result;
}

Result<ContextPtr> ContextProcessor::ProcessUncached(const ContextPtr& active, const json& local,
                                                     const std::optional<std::string>& base_url,
                                                     std::vector<std::string>& remote_contexts,
                                                     Flags flags) {
  NestingGuard guard(nesting_, limits_.max_nesting);
  if (!guard.ok()) {
    return JsonLdLimitError("context overflow",
                            "contexts nested deeper than " + std::to_string(limits_.max_nesting));
  }
  if (++processed_ > limits_.max_processing) {
    return JsonLdLimitError(
        "context overflow",
        "more than " + std::to_string(limits_.max_processing) + " contexts processed");
  }
  bool propagate = flags.propagate;
  if (local.is_object()) {
    auto it = local.find("@propagate");
    if (it != local.end()) {
      if (!it->is_boolean()) return JsonLdError("invalid @propagate value", internal::Snippet(*it));
      propagate = it->get<bool>();
    }
  }
  std::shared_ptr<ActiveContext> result = active->Clone();
  if (!propagate && !result->previous_) result->previous_ = active;

  const json* items = &local;
  size_t count = 1;
  if (local.is_array()) count = local.size();
  for (size_t i = 0; i < count; ++i) {
    const json& ctx = local.is_array() ? (*items)[i] : local;
    if (ctx.is_null()) {
      if (!flags.override_protected && result->HasProtectedTerms()) {
        return JsonLdError("invalid context nullification",
                           "a context with protected terms cannot be set to null");
      }
      std::shared_ptr<ActiveContext> fresh(new ActiveContext());
      fresh->base_ = active->original_base_;
      fresh->original_base_ = active->original_base_;
      if (!propagate) fresh->previous_ = result->previous_;
      result = std::move(fresh);
      continue;
    }
    if (ctx.is_string()) {
      const std::string& ref = ctx.get_ref<const std::string&>();
      std::string url = base_url ? ResolveIri(*base_url, ref) : ref;
      if (!IsAbsoluteIri(url)) {
        return JsonLdError("loading remote context failed",
                           internal::Quote(ref) + " is relative and there is no base URL");
      }
      if (!flags.validate_scoped &&
          std::find(remote_contexts.begin(), remote_contexts.end(), url) != remote_contexts.end()) {
        continue;
      }
      if (remote_contexts.size() >= limits_.max_remote_depth) {
        return JsonLdLimitError("context overflow", "remote contexts nested deeper than " +
                                                        std::to_string(limits_.max_remote_depth));
      }
      remote_contexts.push_back(url);
      ASSIGN_OR_RETURN(ContextPtr loaded,
                       ProcessRemote(result->Share(), url, remote_contexts, flags));
      result = loaded->Clone();
      continue;
    }
    if (!ctx.is_object()) {
      return JsonLdError(
          "invalid local context",
          "a context must be null, a string or an object, not " + internal::Snippet(ctx));
    }
    const json* definition = &ctx;
    json merged;
    if (auto it = ctx.find("@version"); it != ctx.end()) {
      if (!it->is_number_float() || it->get<double>() != 1.1) {
        return JsonLdError("invalid @version value", internal::Snippet(*it));
      }
    }
    if (auto it = ctx.find("@import"); it != ctx.end()) {
      if (!it->is_string()) return JsonLdError("invalid @import value", internal::Snippet(*it));
      const std::string& ref = it->get_ref<const std::string&>();
      const std::string url = base_url ? ResolveIri(*base_url, ref) : ref;
      ASSIGN_OR_RETURN(RemoteDocument doc, LoadContextDocument(url));
      const json& document = *doc.document;
      auto imported = document.is_object() ? document.find("@context") : document.end();
      if (!document.is_object() || imported == document.end() || !imported->is_object()) {
        return JsonLdError("invalid remote context",
                           internal::Quote(url) + " has no top-level @context object");
      }
      if (imported->contains("@import")) {
        return JsonLdError("invalid context entry", "an imported context must not contain @import");
      }
      merged = *imported;
      for (auto entry = ctx.begin(); entry != ctx.end(); ++entry) merged[entry.key()] = *entry;
      definition = &merged;
    }
    const json& def = *definition;
    if (auto it = def.find("@base"); it != def.end() && remote_contexts.empty()) {
      if (it->is_null()) {
        result->base_.reset();
      } else if (!it->is_string()) {
        return JsonLdError("invalid base IRI", internal::Snippet(*it));
      } else {
        const std::string& value = it->get_ref<const std::string&>();
        if (IsAbsoluteIri(value)) {
          result->base_ = value;
        } else if (result->base_) {
          result->base_ = ResolveIri(*result->base_, value);
        } else {
          return JsonLdError("invalid base IRI",
                             internal::Quote(value) + " is relative and there is no base IRI");
        }
      }
    }
    if (auto it = def.find("@vocab"); it != def.end()) {
      if (it->is_null()) {
        result->vocab_.reset();
      } else if (!it->is_string()) {
        return JsonLdError("invalid vocab mapping", internal::Snippet(*it));
      } else {
        const std::string& value = it->get_ref<const std::string&>();
        std::optional<std::string> vocab = ExpandIri(*result, value, true, true);
        if (!vocab || IsKeyword(*vocab)) {
          return JsonLdError("invalid vocab mapping", internal::Quote(value));
        }
        result->vocab_ = std::move(vocab);
      }
    }
    if (auto it = def.find("@language"); it != def.end()) {
      if (it->is_null()) {
        result->default_language_.reset();
      } else if (!it->is_string()) {
        return JsonLdError("invalid default language", internal::Snippet(*it));
      } else {
        result->default_language_ = Lowercase(it->get_ref<const std::string&>());
      }
    }
    if (auto it = def.find("@direction"); it != def.end()) {
      if (it->is_null()) {
        result->default_direction_.reset();
      } else if (!it->is_string() || (*it != "ltr" && *it != "rtl")) {
        return JsonLdError("invalid base direction", internal::Snippet(*it));
      } else {
        result->default_direction_ = it->get<std::string>();
      }
    }
    if (auto it = def.find("@propagate"); it != def.end() && !it->is_boolean()) {
      return JsonLdError("invalid @propagate value", internal::Snippet(*it));
    }
    bool context_protected = false;
    if (auto it = def.find("@protected"); it != def.end()) {
      if (!it->is_boolean()) return JsonLdError("invalid @protected value", internal::Snippet(*it));
      context_protected = it->get<bool>();
    }
    Defined defined{def, base_url, context_protected, flags.override_protected, remote_contexts,
                    {},  {}};
    for (auto entry = def.begin(); entry != def.end(); ++entry) {
      const std::string& key = entry.key();
      if (key == "@base" || key == "@direction" || key == "@import" || key == "@language" ||
          key == "@propagate" || key == "@protected" || key == "@version" || key == "@vocab") {
        continue;
      }
      RETURN_IF_ERROR(CreateTermDefinition(*result, key, defined));
    }
    // Scoped contexts are checked (Create Term Definition step 21.3) once every term of this
    // context definition exists, against one snapshot of the result.
    if (!defined.scoped.empty()) {
      ContextPtr snapshot = result->Share();
      for (const std::string& term : defined.scoped) {
        const TermDefinition* td = snapshot->Find(term);
        if (td == nullptr || td->context == nullptr) continue;
        std::vector<std::string> remote_copy = remote_contexts;
        Flags scoped_flags;
        scoped_flags.override_protected = true;
        scoped_flags.validate_scoped = false;
        Result<ContextPtr> checked =
            ProcessUncached(snapshot, *td->context, base_url, remote_copy, scoped_flags);
        if (!checked.ok()) {
          if (checked.status().code() == StatusCode::kResourceExhausted) return checked.status();
          return JsonLdError("invalid scoped context",
                             "the context of term " + internal::Quote(term) + ": " +
                                 internal::Printable(checked.status().message()));
        }
      }
    }
  }
  return ContextPtr(std::move(result));
}

Result<std::optional<std::string>> ContextProcessor::ExpandIriDefining(ActiveContext& active,
                                                                       const std::string& value,
                                                                       bool document_relative,
                                                                       bool vocab,
                                                                       Defined& defined) {
  if (!(value.size() > 1 && value[0] == '@' && HasKeywordForm(value))) {
    if (defined.local.contains(value)) {
      auto it = defined.state.find(value);
      if (it == defined.state.end() || !it->second) {
        RETURN_IF_ERROR(CreateTermDefinition(active, value, defined));
      }
    }
    const size_t colon = value.find(':', 1);
    // A blank node identifier or an IRI with an authority ("http://...") is not a compact IRI
    // (IRI Expansion step 6.2), so its prefix is not defined on demand.
    if (colon != std::string::npos && value.compare(0, colon, "_") != 0 &&
        value.compare(colon + 1, 2, "//") != 0) {
      const std::string prefix = value.substr(0, colon);
      if (defined.local.contains(prefix)) {
        auto it = defined.state.find(prefix);
        if (it == defined.state.end() || !it->second) {
          RETURN_IF_ERROR(CreateTermDefinition(active, prefix, defined));
        }
      }
    }
  }
  return ExpandIri(active, value, document_relative, vocab);
}

Status ContextProcessor::CreateTermDefinition(ActiveContext& result, const std::string& term,
                                              Defined& defined) {
  if (auto it = defined.state.find(term); it != defined.state.end()) {
    if (it->second) return Status::Ok();
    return JsonLdError("cyclic IRI mapping", "term " + internal::Quote(term));
  }
  if (term.empty()) return JsonLdError("invalid term definition", "the empty string");
  defined.state[term] = false;
  const json& raw = defined.local[term];

  if (term == "@type") {
    bool allowed = raw.is_object() && !raw.empty();
    if (allowed) {
      for (auto it = raw.begin(); it != raw.end(); ++it) {
        if (it.key() == "@container") {
          allowed = allowed && *it == "@set";
        } else if (it.key() != "@protected") {
          allowed = false;
        }
      }
    }
    if (!allowed) return JsonLdError("keyword redefinition", "@type");
  } else if (IsKeyword(term)) {
    return JsonLdError("keyword redefinition", term);
  } else if (HasKeywordForm(term)) {
    defined.state[term] = true;  // reserved for future keywords: ignored
    return Status::Ok();
  }

  std::optional<TermDefinition> previous;
  {
    TermMap& terms = result.MutableTerms();
    auto it = terms.find(term);
    if (it != terms.end()) {
      previous = std::move(it->second);
      terms.erase(it);
    }
  }

  json normalized;
  bool simple_term = false;
  if (raw.is_null()) {
    normalized = json::object({{"@id", nullptr}});
  } else if (raw.is_string()) {
    normalized = json::object({{"@id", raw}});
    simple_term = true;
  } else if (!raw.is_object()) {
    return JsonLdError("invalid term definition",
                       "term " + internal::Quote(term) + " maps to " + internal::Snippet(raw));
  }
  const json& value = raw.is_object() ? raw : normalized;

  TermDefinition def;
  if (auto it = value.find("@protected"); it != value.end()) {
    if (!it->is_boolean()) return JsonLdError("invalid @protected value", internal::Snippet(*it));
    def.is_protected = it->get<bool>();
  } else {
    def.is_protected = defined.is_protected;
  }

  if (auto it = value.find("@type"); it != value.end()) {
    if (!it->is_string()) return JsonLdError("invalid type mapping", internal::Snippet(*it));
    ASSIGN_OR_RETURN(
        std::optional<std::string> type,
        ExpandIriDefining(result, it->get_ref<const std::string&>(), false, true, defined));
    if (!type || !(*type == "@id" || *type == "@json" || *type == "@none" || *type == "@vocab" ||
                   (IsAbsoluteIri(*type)))) {
      return JsonLdError("invalid type mapping", internal::Snippet(*it));
    }
    def.type = std::move(type);
  }

  if (auto it = value.find("@reverse"); it != value.end()) {
    if (value.contains("@id") || value.contains("@nest")) {
      return JsonLdError("invalid reverse property",
                         "term " + internal::Quote(term) + " has @reverse with @id or @nest");
    }
    if (!it->is_string()) return JsonLdError("invalid IRI mapping", internal::Snippet(*it));
    const std::string& reverse = it->get_ref<const std::string&>();
    if (HasKeywordForm(reverse)) {
      defined.state[term] = true;
      return Status::Ok();
    }
    ASSIGN_OR_RETURN(std::optional<std::string> iri,
                     ExpandIriDefining(result, reverse, false, true, defined));
    if (!iri || (!IsAbsoluteIri(*iri) && !IsBlankNodeId(*iri))) {
      return JsonLdError("invalid IRI mapping", "@reverse " + internal::Quote(reverse));
    }
    def.iri = std::move(iri);
    def.reverse = true;
  } else if (auto id = value.find("@id"); id != value.end() && *id != term) {
    if (id->is_null()) {
      def.iri.reset();
    } else {
      if (!id->is_string()) return JsonLdError("invalid IRI mapping", internal::Snippet(*id));
      const std::string& id_value = id->get_ref<const std::string&>();
      if (!IsKeyword(id_value) && HasKeywordForm(id_value)) {
        defined.state[term] = true;  // reserved keyword form: the term stays undefined
        return Status::Ok();
      }
      ASSIGN_OR_RETURN(std::optional<std::string> iri,
                       ExpandIriDefining(result, id_value, false, true, defined));
      if (!iri || (!IsKeyword(*iri) && !IsAbsoluteIri(*iri) && !IsBlankNodeId(*iri))) {
        return JsonLdError("invalid IRI mapping",
                           "term " + internal::Quote(term) + ": " + internal::Quote(id_value));
      }
      if (*iri == "@context") {
        return JsonLdError("invalid keyword alias", "term " + internal::Quote(term));
      }
      def.iri = std::move(iri);
      const size_t inner_colon = term.size() > 2 ? term.find(':', 1) : std::string::npos;
      if ((inner_colon != std::string::npos && inner_colon + 1 < term.size()) ||
          term.find('/') != std::string::npos) {
        defined.state[term] = true;
        ASSIGN_OR_RETURN(std::optional<std::string> self,
                         ExpandIriDefining(result, term, false, true, defined));
        if (self != def.iri) {
          return JsonLdError("invalid IRI mapping", "term " + internal::Quote(term) +
                                                        " expands to another IRI than its @id");
        }
      }
      if (!HasColonOrSlash(term) && simple_term &&
          (IsGenDelim(def.iri->back()) || IsBlankNodeId(*def.iri))) {
        def.prefix = true;
      }
    }
  } else if (const size_t colon = term.find(':', 1); colon != std::string::npos) {
    const std::string prefix = term.substr(0, colon);
    if (defined.local.contains(prefix)) {
      RETURN_IF_ERROR(CreateTermDefinition(result, prefix, defined));
    }
    const TermDefinition* p = result.Find(prefix);
    if (p != nullptr && p->iri) {
      def.iri = *p->iri + term.substr(colon + 1);
    } else {
      def.iri = term;
    }
  } else if (term.find('/') != std::string::npos) {
    // A relative IRI reference: expanded against @vocab only (the term itself is being
    // defined, so it must not be looked up in the local context).
    std::optional<std::string> iri = ExpandIri(result, term, false, true);
    if (!iri || !IsAbsoluteIri(*iri)) {
      return JsonLdError("invalid IRI mapping", "term " + internal::Quote(term));
    }
    def.iri = std::move(iri);
  } else if (term == "@type") {
    def.iri = "@type";
  } else if (result.vocab()) {
    def.iri = *result.vocab() + term;
  } else {
    return JsonLdError("invalid IRI mapping",
                       "term " + internal::Quote(term) + " has no @id and there is no @vocab");
  }

  if (auto it = value.find("@container"); it != value.end()) {
    const json& c = *it;
    if (def.reverse) {
      if (c.is_null()) {
      } else if (c == "@set") {
        def.container = kContainerSet;
      } else if (c == "@index") {
        def.container = kContainerIndex;
      } else {
        return JsonLdError("invalid reverse property", "@container " + internal::Snippet(c));
      }
    } else {
      uint8_t flags = 0;
      size_t n = 0;
      auto add = [&](const json& item) -> bool {
        if (!item.is_string()) return false;
        const std::string& s = item.get_ref<const std::string&>();
        uint8_t f = 0;
        if (s == "@list") {
          f = kContainerList;
        } else if (s == "@set") {
          f = kContainerSet;
        } else if (s == "@index") {
          f = kContainerIndex;
        } else if (s == "@language") {
          f = kContainerLanguage;
        } else if (s == "@id") {
          f = kContainerId;
        } else if (s == "@type") {
          f = kContainerType;
        } else if (s == "@graph") {
          f = kContainerGraph;
        } else {
          return false;
        }
        if (flags & f) return false;
        flags |= f;
        ++n;
        return true;
      };
      bool valid = true;
      if (c.is_array()) {
        for (const json& item : c) valid = valid && add(item);
        valid = valid && n > 0;
      } else {
        valid = add(c);
      }
      if (valid && n > 1) {
        if (flags & kContainerList) {
          valid = false;
        } else if (flags & kContainerGraph) {
          valid =
              (flags & ~(kContainerGraph | kContainerId | kContainerIndex | kContainerSet)) == 0;
        } else {
          valid = n == 2 && (flags & kContainerSet);
        }
      }
      if (!valid) return JsonLdError("invalid container mapping", internal::Snippet(c));
      def.container = flags;
      if (flags & kContainerType) {
        if (!def.type) def.type = "@id";
        if (*def.type != "@id" && *def.type != "@vocab") {
          return JsonLdError("invalid type mapping",
                             "a type map needs @type @id or @vocab, not " + *def.type);
        }
      }
    }
  }

  if (auto it = value.find("@index"); it != value.end()) {
    if (!(def.container & kContainerIndex)) {
      return JsonLdError("invalid term definition",
                         "term " + internal::Quote(term) + " has @index without an index map");
    }
    if (!it->is_string())
      return JsonLdError("invalid term definition", "@index " + internal::Snippet(*it));
    const std::string& index = it->get_ref<const std::string&>();
    ASSIGN_OR_RETURN(std::optional<std::string> expanded,
                     ExpandIriDefining(result, index, false, true, defined));
    if (!expanded || !IsAbsoluteIri(*expanded)) {
      return JsonLdError("invalid term definition", "@index " + internal::Quote(index));
    }
    def.index = index;
  }

  if (auto it = value.find("@context"); it != value.end()) {
    def.context = std::make_shared<const json>(*it);
    if (defined.base_url) {
      def.base_url = *defined.base_url;
      def.has_base_url = true;
    }
    defined.scoped.push_back(term);
  }

  if (!value.contains("@type")) {
    if (auto it = value.find("@language"); it != value.end()) {
      if (!it->is_null() && !it->is_string()) {
        return JsonLdError("invalid language mapping", internal::Snippet(*it));
      }
      def.has_language = true;
      if (it->is_string()) def.language = Lowercase(it->get_ref<const std::string&>());
    }
    if (auto it = value.find("@direction"); it != value.end()) {
      if (!it->is_null() && *it != "ltr" && *it != "rtl") {
        return JsonLdError("invalid base direction", internal::Snippet(*it));
      }
      def.has_direction = true;
      if (it->is_string()) def.direction = it->get<std::string>();
    }
  }

  if (auto it = value.find("@nest"); it != value.end()) {
    if (!it->is_string() || (IsKeyword(it->get_ref<const std::string&>()) && *it != "@nest")) {
      return JsonLdError("invalid @nest value", internal::Snippet(*it));
    }
    def.nest = it->get<std::string>();
  }

  if (auto it = value.find("@prefix"); it != value.end()) {
    if (HasColonOrSlash(term)) {
      return JsonLdError("invalid term definition",
                         "term " + internal::Quote(term) + " cannot have @prefix");
    }
    if (!it->is_boolean()) return JsonLdError("invalid @prefix value", internal::Snippet(*it));
    def.prefix = it->get<bool>();
    if (def.prefix && def.iri && IsKeyword(*def.iri)) {
      return JsonLdError("invalid term definition",
                         "term " + internal::Quote(term) + " is a keyword alias and a prefix");
    }
  }

  for (auto it = value.begin(); it != value.end(); ++it) {
    const std::string& k = it.key();
    if (k != "@id" && k != "@reverse" && k != "@container" && k != "@context" &&
        k != "@direction" && k != "@index" && k != "@language" && k != "@nest" && k != "@prefix" &&
        k != "@protected" && k != "@type") {
      return JsonLdError("invalid term definition",
                         "term " + internal::Quote(term) + " has entry " + internal::Quote(k));
    }
  }

  if (!defined.override_protected && previous && previous->is_protected) {
    if (!def.SameAs(*previous)) {
      return JsonLdError("protected term redefinition", "term " + internal::Quote(term));
    }
    def = std::move(*previous);
  }
  def.rdf_iri = def.iri && IsWellFormedIri(*def.iri);
  def.rdf_type = def.type && IsWellFormedIri(*def.type);
  result.MutableTerms().insert_or_assign(term, std::move(def));
  defined.state[term] = true;
  return Status::Ok();
}

}  // namespace traceport::jsonld
