#include "jsonld/canonize.h"

#include <map>
#include <memory>
#include <mutex>
#include <utility>

#include "jsonld/context_registry.h"
#include "jsonld/expand.h"
#include "jsonld/internal/direct.h"
#include "jsonld/internal/lines.h"
#include "jsonld/to_rdf.h"

namespace traceport::jsonld {
namespace {

// One context cache per loader for the life of the process: the W3C contexts are processed
// once, not per credential. Loaders are few (the built-in registry, the node's registry).
ContextCache& SharedCache(const DocumentLoader* loader) {
  static std::mutex mu;
  static auto* caches = new std::map<const DocumentLoader*, std::unique_ptr<ContextCache>>();
  std::lock_guard<std::mutex> lock(mu);
  std::unique_ptr<ContextCache>& cache = (*caches)[loader];
  if (cache == nullptr) cache = std::make_unique<ContextCache>();
  return *cache;
}

ExpandOptions ExpandOptionsOf(const CanonizeOptions& options) {
  ExpandOptions expand;
  expand.loader = options.loader != nullptr ? options.loader : &ContextRegistry::Builtin();
  expand.safe_mode = options.safe_mode;
  expand.cache = options.cache != nullptr ? options.cache : &SharedCache(expand.loader);
  return expand;
}

// The direct path's lines for `document` (either form), when it takes the document within the
// quad limit.
template <typename Document>
bool DirectLines(const Document& document, const ExpandOptions& expand,
                 const CanonizeOptions& options, internal::LineDataset* lines) {
  return internal::DirectToLines(document, expand, lines, options.omit_member) &&
         lines->quads.size() <= options.rdfc.max_quads;
}

}  // namespace

std::optional<std::string> CanonizeJsonLdIfDirect(simdjson::dom::element document,
                                                  const CanonizeOptions& options) {
  internal::LineDataset lines;
  if (!DirectLines(document, ExpandOptionsOf(options), options, &lines)) return std::nullopt;
  auto canonical = internal::CanonicalizeLines(lines, options.rdfc);
  if (!canonical.ok()) return std::nullopt;
  return std::move(canonical->nquads);
}

Result<std::string> CanonizeJsonLd(const nlohmann::json& document, const CanonizeOptions& options) {
  const ExpandOptions expand = ExpandOptionsOf(options);
  // The common case, a credential's plain node objects, goes straight to N-Quads lines; the
  // rest (and every error) takes the full algorithms below.
  internal::LineDataset lines;
  if (DirectLines(document, expand, options, &lines)) {
    ASSIGN_OR_RETURN(internal::CanonicalLines canonical,
                     internal::CanonicalizeLines(lines, options.rdfc));
    return std::move(canonical.nquads);
  }
  nlohmann::json copy;
  const nlohmann::json* input = &document;
  if (!options.omit_member.empty() && document.is_object() &&
      document.contains(options.omit_member)) {
    copy = document;
    copy.erase(std::string(options.omit_member));
    input = &copy;
  }
  ASSIGN_OR_RETURN(nlohmann::json expanded, Expand(*input, expand));
  // Base direction is part of what is signed: written as an i18n datatype, as the other Data
  // Integrity implementations do (dropping it would leave "rtl" / "ltr" unsigned).
  ToRdfOptions to_rdf;
  to_rdf.rdf_direction = RdfDirection::kI18nDatatype;
  ASSIGN_OR_RETURN(Dataset dataset, ToRdf(expanded, to_rdf));
  CanonicalizeOptions rdfc = options.rdfc;
  rdfc.produce_quads = false;  // only the text is hashed
  ASSIGN_OR_RETURN(CanonicalDataset canonical, Canonicalize(dataset, rdfc));
  return std::move(canonical.nquads);
}

}  // namespace traceport::jsonld
