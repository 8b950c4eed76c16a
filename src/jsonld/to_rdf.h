// JSON-LD 1.1 deserialization to RDF (JSON-LD 1.1 Processing Algorithms and API §8.1–§8.3):
// turns an EXPANDED document (expand.h) into an RDF dataset. Together with RDFC-1.0 (rdfc.h)
// this is what RDF-canonicalized Data Integrity proofs sign, so it sits on the verification
// hot path: it works on views of the input and copies each string once, into the output terms.
//
// What it produces, following the spec:
//   - one triple per (subject, property, value) of the node map (node_map.h), in the graph the
//     node belongs to; the dataset is a set (no duplicate quads), in no particular order;
//   - blank nodes labelled "b0", "b1", ... (no "_:" in Term::value); the labels are an
//     implementation detail, compare datasets up to isomorphism;
//   - @list as rdf:first / rdf:rest chains ending in rdf:nil (an empty list is rdf:nil);
//   - numbers: a number with a fractional part, one of magnitude >= 1e21, or any number typed
//     xsd:double is written in the xsd:double form ECMAScript's toExponential(15) gives with
//     trailing zeros of the mantissa removed ("1.1E0", "5.3E6", "1.0E21", "-2.5E-7"); other
//     numbers as xsd:integer ("42"; an integer stored as a float, e.g. 1.0, is an integer).
//     Integers held exactly by the parser (int64 / uint64) are written exactly;
//   - booleans as "true" / "false"^^xsd:boolean; @json values as rdf:JSON literals in their
//     RFC 8785 canonical form; language tags as given;
//   - @direction per ToRdfOptions::rdf_direction (dropped by default).
// and leaving out, silently, what the spec says is not well-formed: subjects, predicates,
// objects, types, datatypes and graph names that are neither a well-formed absolute IRI (see
// IsWellFormedIri) nor a blank node; language tags that are not
// BCP 47-shaped; blank node predicates unless produce_generalized_rdf.
//
// Thread-safe: pure function of its arguments.
#ifndef TRACEPORT_JSONLD_TO_RDF_H_
#define TRACEPORT_JSONLD_TO_RDF_H_

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/status.h"
#include "jsonld/rdf.h"

namespace traceport::jsonld {

enum class RdfDirection {
  kNone,             // @direction is dropped; the literal keeps its language
  kI18nDatatype,     // "v"^^<https://www.w3.org/ns/i18n#{lowercased language}_{direction}>
  kCompoundLiteral,  // a blank node with rdf:value, rdf:language (lowercased), rdf:direction
};

struct ToRdfOptions {
  // Keep triples whose predicate is a blank node.
  bool produce_generalized_rdf = false;
  RdfDirection rdf_direction = RdfDirection::kNone;
  // Upper bound on the quads produced (counted before duplicates are removed); exceeding it is
  // a JsonLdLimitError "work limit exceeded".
  size_t max_quads = 1'000'000;
};

// The RDF dataset of `expanded` (an expanded JSON-LD document: an array of node objects, or
// one). Errors (error.h): those of GenerateNodeMap (conflicting indexes, input not in expanded
// form), "invalid JSON literal" when an @json value cannot be canonicalized, "invalid value
// object" / "invalid base direction" / "invalid language-tagged string" / "invalid typed value"
// for value objects not in expanded form, and the limit above.
Result<Dataset> ToRdf(const nlohmann::json& expanded, const ToRdfOptions& options = {});

// Exposed for tests. The canonical xsd:double lexical form of `value` described above
// ("1.1E0"); `value` must be finite.
std::string FormatXsdDouble(double value);

// The lexical form of a JSON number as an xsd:integer (§8.2 step 12): `number` is integral
// (a float only below 1e21 in magnitude, so that fixed notation is exact), as NeedsXsdDouble
// tells.
std::string FormatXsdInteger(const nlohmann::json& number);

// Whether a JSON number becomes an xsd:double rather than an xsd:integer (§8.2 step 10): it
// has a fractional part or a magnitude of at least 1e21.
bool NeedsXsdDouble(const nlohmann::json& number);

// Exposed for tests. Whether `iri` is well-formed for RDF: an absolute IRI with a scheme, none
// of the characters N-Quads forbids in an IRIREF (controls, space, <>"{}|^`\), at most one '#'
// (RFC 3987 fragments cannot contain another), and '%' only before two hex digits.
bool IsWellFormedIri(std::string_view iri);

// Exposed for tests. Whether `tag` has the shape of a BCP 47 language tag: 1–8 letters, then
// "-"-separated subtags of 1–8 letters or digits.
bool IsWellFormedLanguageTag(std::string_view tag);

}  // namespace traceport::jsonld

#endif  // TRACEPORT_JSONLD_TO_RDF_H_
