// libFuzzer target: JSON-LD to RDF over arbitrary bytes.
//
// The bytes are parsed strictly (codec::ParseJson with small limits), then converted twice:
//   1. ToRdf on the parsed value as it is, which is rarely in expanded form: exercises Node Map
//      Generation's checks of shapes it does not expect;
//   2. Expand (no document loader, so remote contexts fail) followed by ToRdf: the real path.
// Invariants checked (a violation traps):
//   - no crash, no hang beyond the limits;
//   - error messages are printable ASCII and carry a JSON-LD error code;
//   - a dataset has no duplicate quads, is the same when computed twice, and holds only
//     well-formed terms: IRIs pass IsWellFormedIri, blank-node labels are non-empty, literals
//     have a datatype and a language exactly when the datatype is rdf:langString, the graph is
//     never a literal.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string_view>

#include <nlohmann/json.hpp>

#include "codec/json.h"
#include "jsonld/error.h"
#include "jsonld/expand.h"
#include "jsonld/to_rdf.h"

namespace {

using traceport::jsonld::Dataset;
using traceport::jsonld::Quad;
using traceport::jsonld::Term;
using traceport::jsonld::TermKind;

void CheckMessage(const traceport::Status& status) {
  for (char c : status.message()) {
    if (c < 0x20 || c > 0x7e) __builtin_trap();
  }
  if (traceport::jsonld::JsonLdErrorCode(status).empty()) __builtin_trap();
}

void CheckNodeTerm(const Term& t, bool allow_literal) {
  switch (t.kind) {
    case TermKind::kIri:
      if (!traceport::jsonld::IsWellFormedIri(t.value)) __builtin_trap();
      return;
    case TermKind::kBlankNode:
      if (t.value.empty()) __builtin_trap();
      return;
    case TermKind::kLiteral:
      if (!allow_literal || t.datatype.empty()) __builtin_trap();
      if (t.language.empty() != (t.datatype != traceport::jsonld::kRdfLangString)) {
        __builtin_trap();
      }
      return;
    case TermKind::kDefaultGraph:
      __builtin_trap();
  }
}

void CheckDataset(const Dataset& dataset) {
  std::set<Quad> seen;
  for (const Quad& q : dataset) {
    CheckNodeTerm(q.subject, false);
    CheckNodeTerm(q.predicate, false);
    CheckNodeTerm(q.object, true);
    if (q.graph.kind != TermKind::kDefaultGraph) CheckNodeTerm(q.graph, false);
    if (!seen.insert(q).second) __builtin_trap();
  }
}

void Convert(const nlohmann::json& input, size_t variant) {
  traceport::jsonld::ToRdfOptions options;
  options.max_quads = 20'000;
  // Some variety in the options, chosen by the input so that runs are reproducible.
  options.produce_generalized_rdf = variant % 2 == 1;
  options.rdf_direction = static_cast<traceport::jsonld::RdfDirection>(variant % 3);
  auto first = traceport::jsonld::ToRdf(input, options);
  auto second = traceport::jsonld::ToRdf(input, options);
  if (first.ok() != second.ok()) __builtin_trap();
  if (!first.ok()) {
    CheckMessage(first.status());
    if (first.status().message() != second.status().message()) __builtin_trap();
    return;
  }
  if (*first != *second) __builtin_trap();
  CheckDataset(*first);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  traceport::codec::JsonLimits limits;
  limits.max_bytes = 64 * 1024;
  limits.max_depth = 64;
  auto parsed = traceport::codec::ParseJson(
      std::string_view(reinterpret_cast<const char*>(data), size), limits);
  if (!parsed.ok()) return 0;

  Convert(*parsed, size);

  traceport::jsonld::ExpandOptions expand_options;
  expand_options.base = "https://example.org/base/";
  expand_options.max_nodes = 20'000;
  auto expanded = traceport::jsonld::Expand(*parsed, expand_options);
  if (!expanded.ok()) return 0;
  Convert(*expanded, size);
  return 0;
}
