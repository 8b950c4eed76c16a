// The RDF data model that JSON-LD deserializes into and RDFC-1.0 canonicalizes: terms, quads
// and datasets (RDF 1.1 Concepts; N-Quads is the text form, see nquads.h).
//
// Values only: no interning, no sharing. Blank-node labels are stored without the "_:" prefix.
// Thread-compatible.
#ifndef TRACEPORT_JSONLD_RDF_H_
#define TRACEPORT_JSONLD_RDF_H_

#include <compare>
#include <string>
#include <vector>

namespace traceport::jsonld {

inline constexpr char kXsdString[] = "http://www.w3.org/2001/XMLSchema#string";
inline constexpr char kRdfLangString[] = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";

enum class TermKind : unsigned char {
  kIri,           // value = the absolute IRI
  kBlankNode,     // value = the label without "_:"
  kLiteral,       // value = the lexical form; datatype always set; language when langString
  kDefaultGraph,  // only as a quad's graph; value empty
};

struct Term {
  TermKind kind = TermKind::kDefaultGraph;
  std::string value;
  std::string datatype;  // literals only: the datatype IRI (xsd:string for a simple literal)
  std::string language;  // literals only: the language tag when datatype is rdf:langString

  static Term Iri(std::string iri) { return Term{TermKind::kIri, std::move(iri), {}, {}}; }
  static Term Blank(std::string label) {
    return Term{TermKind::kBlankNode, std::move(label), {}, {}};
  }
  static Term Literal(std::string lexical, std::string datatype = kXsdString,
                      std::string language = {}) {
    return Term{TermKind::kLiteral, std::move(lexical), std::move(datatype), std::move(language)};
  }
  static Term DefaultGraph() { return Term{}; }

  bool is_blank() const { return kind == TermKind::kBlankNode; }

  friend bool operator==(const Term&, const Term&) = default;
  friend auto operator<=>(const Term&, const Term&) = default;
};

struct Quad {
  Term subject;
  Term predicate;
  Term object;
  Term graph;  // TermKind::kDefaultGraph for the default graph

  friend bool operator==(const Quad&, const Quad&) = default;
  friend auto operator<=>(const Quad&, const Quad&) = default;
};

// A dataset as a list of quads. Producers (ToRdf) do not emit duplicates; consumers must not
// rely on any order.
using Dataset = std::vector<Quad>;

}  // namespace traceport::jsonld

#endif  // TRACEPORT_JSONLD_RDF_H_
