// JSON-LD straight to N-Quads lines, for the documents credentials are: node objects with
// terms, compact IRIs, @vocab, type coercion, languages, embedded, property-scoped and
// type-scoped contexts (propagated or not), nested nodes and arrays of them. It walks the
// compacted document once and writes each triple's canonical line (internal/lines.h), where the
// full path builds an expanded tree, a node map, RDF terms and then the lines.
//
// It handles a document only when it can tell that the full algorithms (Expand in safe mode,
// ToRdf, the node map) would produce exactly the same triples without an error or a warning;
// anything else — @graph, @list, @reverse, @included, @nest, value objects, index, id, type,
// language and graph maps, @json, base direction, blank-node predicates or types, IRIs toRdf
// would drop, any term safe mode would reject, any context error, any limit reached — makes it
// decline, and the caller runs the full path, which gives the answer or the precise error.
// canonize.cc uses it; direct_test.cc holds it to the full path over the W3C toRdf suite.
#ifndef TRACEPORT_JSONLD_INTERNAL_DIRECT_H_
#define TRACEPORT_JSONLD_INTERNAL_DIRECT_H_

#include <simdjson.h>

#include <nlohmann/json.hpp>
#include <string_view>

#include "jsonld/expand.h"
#include "jsonld/internal/lines.h"

namespace traceport::jsonld::internal {

// The triples of `document` (all in the default graph) into *lines, which must be empty; true
// when done, false when declined (then *lines holds garbage). `options` must ask for safe mode
// and have a cache; expand_context and base must be unset (the direct path declines otherwise).
// A non-empty `omit` names a member of the top-level object to treat as absent (a keyword
// there makes it decline).
bool DirectToLines(const nlohmann::json& document, const ExpandOptions& options, LineDataset* lines,
                   std::string_view omit = {});

// The same over a simdjson DOM (codec::FastJson's; the parser has refused duplicate names):
// exactly the lines the nlohmann::json form of the same document gives, or false where it
// declines.
bool DirectToLines(simdjson::dom::element document, const ExpandOptions& options,
                   LineDataset* lines, std::string_view omit = {});

}  // namespace traceport::jsonld::internal

#endif  // TRACEPORT_JSONLD_INTERNAL_DIRECT_H_
