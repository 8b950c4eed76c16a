// N-Quads (RDF 1.1) parsing and canonical serialization.
//
// The parser accepts the RDF 1.1 N-Quads grammar: absolute IRIs with UCHAR escapes, blank
// nodes, literals with ECHAR/UCHAR escapes, a datatype or a language tag, an optional graph
// label, comments and blank lines. Input must be valid UTF-8.
//
// The serializer writes the canonical form that RDF Dataset Canonicalization (RDFC-1.0) hashes
// and signs: single spaces between terms, " .\n" at the end, IRIs and literal text unescaped
// except in a literal
//   - \b \t \n \f \r \" \\ written as ECHAR;
//   - U+0000..U+0007, U+000B, U+000E..U+001F and U+007F written as \uXXXX (uppercase hex);
// a literal of datatype xsd:string written without "^^", a language-tagged string as "@lang".
//
// Thread safety: all functions are pure and may be called concurrently.
#ifndef TRACEPORT_JSONLD_NQUADS_H_
#define TRACEPORT_JSONLD_NQUADS_H_

#include <string>
#include <string_view>

#include "common/status.h"
#include "jsonld/rdf.h"

namespace traceport::jsonld {

// Parses an N-Quads document into its quads, in document order. A statement that repeats an
// earlier one exactly (same terms after unescaping) is dropped, since a dataset is a set.
//
// Errors are InvalidArgument with messages "nquads: line <n>: <problem>", e.g.
//   "nquads: line 3: expected '>' to end the IRI"
//   "nquads: line 1: invalid UTF-8"
// Rejected beyond the grammar: relative IRIs (no scheme), UCHAR escapes of surrogates or of
// code points above U+10FFFF, and UCHAR escapes in an IRI that stand for a character the IRI
// grammar forbids (space, '<', '>', ...), so that every accepted IRI re-serializes unescaped.
Result<Dataset> ParseNQuads(std::string_view text);

// Appends the canonical N-Quads form of `term` to `*out`. A default-graph term appends nothing.
void AppendTerm(const Term& term, std::string* out);

// Appends `text`, the lexical form of a literal, as it goes between the quotes in canonical
// N-Quads (the escapes listed above).
void AppendLiteralText(std::string_view text, std::string* out);

// The same into `out`, which has room for kMaxLiteralGrowth * text.size() bytes; returns the
// number of bytes written.
inline constexpr size_t kMaxLiteralGrowth = 6;  // a byte written as \u00XX
size_t WriteLiteralText(std::string_view text, char* out);

// The canonical N-Quads form of one term ("<iri>", "_:label", "\"text\"@en", ...); empty for
// the default graph.
std::string SerializeTerm(const Term& term);

// One canonical N-Quads line, ending in " .\n"; the graph label is omitted for the default
// graph.
std::string SerializeQuad(const Quad& quad);

// SerializeQuad of each quad, concatenated in the given order.
std::string SerializeNQuads(const Dataset& dataset);

}  // namespace traceport::jsonld

#endif  // TRACEPORT_JSONLD_NQUADS_H_
