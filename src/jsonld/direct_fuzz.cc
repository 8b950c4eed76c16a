// libFuzzer target: the direct JSON-LD to N-Quads path (internal/direct.h) against the full
// algorithms, over arbitrary bytes parsed strictly as JSON, with the pinned contexts (so the
// W3C credential contexts and their scoped contexts are reachable) and safe mode.
// Invariants (a violation traps):
//   - no crash, no hang beyond the limits;
//   - when the direct path answers, Expand + ToRdf + RDFC-1.0 succeed too and give exactly
//     the same canonical N-Quads;
//   - CanonizeJsonLd gives what the full path gives (the same N-Quads or the same message);
//   - the walk over the same text parsed with simdjson (codec::FastJson) declines exactly when
//     the walk over the nlohmann::json tree does, and otherwise writes the same lines.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "codec/fast_json.h"
#include "codec/json.h"
#include "jsonld/canonize.h"
#include "jsonld/context_registry.h"
#include "jsonld/expand.h"
#include "jsonld/internal/direct.h"
#include "jsonld/rdfc.h"
#include "jsonld/to_rdf.h"

namespace {

using traceport::jsonld::ContextCache;

traceport::jsonld::ExpandOptions Options(ContextCache* cache) {
  traceport::jsonld::ExpandOptions options;
  options.loader = &traceport::jsonld::ContextRegistry::Builtin();
  options.safe_mode = true;
  options.cache = cache;
  return options;
}

traceport::Result<std::string> Full(const nlohmann::json& document, ContextCache* cache) {
  ASSIGN_OR_RETURN(nlohmann::json expanded, traceport::jsonld::Expand(document, Options(cache)));
  traceport::jsonld::ToRdfOptions to_rdf;
  to_rdf.rdf_direction = traceport::jsonld::RdfDirection::kI18nDatatype;
  ASSIGN_OR_RETURN(traceport::jsonld::Dataset dataset, traceport::jsonld::ToRdf(expanded, to_rdf));
  traceport::jsonld::CanonicalizeOptions rdfc;
  rdfc.produce_quads = false;
  ASSIGN_OR_RETURN(traceport::jsonld::CanonicalDataset canonical,
                   traceport::jsonld::Canonicalize(dataset, rdfc));
  return std::move(canonical.nquads);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  traceport::codec::JsonLimits limits;
  limits.max_bytes = 64 * 1024;
  limits.max_depth = 64;
  auto parsed = traceport::codec::ParseJson(
      std::string_view(reinterpret_cast<const char*>(data), size), limits);
  if (!parsed.ok()) return 0;

  static ContextCache cache;  // the pinned contexts, processed once across runs
  const auto full = Full(*parsed, &cache);

  traceport::jsonld::internal::LineDataset lines;
  const bool taken = traceport::jsonld::internal::DirectToLines(*parsed, Options(&cache), &lines);
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto fast = traceport::codec::FastJson::Parse(text, limits); fast.ok()) {
    traceport::jsonld::internal::LineDataset fast_lines;
    const bool fast_taken =
        traceport::jsonld::internal::DirectToLines(fast->root(), Options(&cache), &fast_lines);
    if (fast_taken != taken || (taken && !(lines == fast_lines))) __builtin_trap();
  }
  if (taken) {
    if (!full.ok()) __builtin_trap();
    auto canonical = traceport::jsonld::internal::CanonicalizeLines(
        lines, traceport::jsonld::CanonicalizeOptions{});
    if (!canonical.ok() || canonical->nquads != *full) __builtin_trap();
  }

  traceport::jsonld::CanonizeOptions canonize;
  canonize.cache = &cache;
  const auto canonized = traceport::jsonld::CanonizeJsonLd(*parsed, canonize);
  if (canonized.ok() != full.ok()) __builtin_trap();
  if (full.ok() ? *canonized != *full : canonized.status().message() != full.status().message()) {
    __builtin_trap();
  }
  return 0;
}
