// JSON-LD 1.1 Node Map Generation (JSON-LD 1.1 Processing Algorithms and API, §7.2): the
// flattened view of an EXPANDED document that deserialization to RDF (to_rdf.h) walks. Every
// node object is merged with the others that share its @id within a graph, every blank node
// identifier is relabelled "_:b0", "_:b1", ... in document order, reverse properties become
// forward properties of the referenced nodes, and @graph / @included contents land in their
// graphs.
//
// Representation: the map does not copy the document. IRIs, property names and value objects
// are views of / pointers into the expanded input, which must outlive the NodeMap; relabelled
// blank node identifiers live in the map's issuer. Differences from the spec's JSON node map,
// all invisible to toRdf:
//   - values are kept in document order and not deduplicated (the spec drops a value equal to
//     one already present); RDF is a set, so ToRdf removes the duplicate triples instead;
//   - @type values are likewise not deduplicated;
//   - value objects keep their original @type even when it is a blank node identifier (such a
//     datatype is not an IRI, so toRdf drops the value either way).
//
// Thread-compatible.
#ifndef TRACEPORT_JSONLD_NODE_MAP_H_
#define TRACEPORT_JSONLD_NODE_MAP_H_

#include <cstddef>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"

namespace traceport::jsonld {

// The name the node map gives the default graph.
inline constexpr std::string_view kDefaultGraphName = "@default";

// The identifier a node object with "@id": null gets. Expansion leaves such an @id for a value
// that has the form of a keyword ("@ignoreMe"); the node is kept (what it contains may still
// describe other nodes) but this identifier is neither an IRI nor a blank node, so toRdf drops
// the node's own triples and every reference to it.
inline constexpr std::string_view kNullNodeId = "@null";

// Issues blank node identifiers "_:b0", "_:b1", ... The views it returns stay valid for the
// issuer's lifetime (also across a move of the issuer); copying is disabled for that reason.
class BlankNodeIssuer {
 public:
  BlankNodeIssuer() = default;
  BlankNodeIssuer(BlankNodeIssuer&&) = default;
  BlankNodeIssuer& operator=(BlankNodeIssuer&&) = default;
  BlankNodeIssuer(const BlankNodeIssuer&) = delete;
  BlankNodeIssuer& operator=(const BlankNodeIssuer&) = delete;

  // A fresh identifier, e.g. "_:b7".
  std::string_view Issue();

  // The identifier for the input identifier `label` (e.g. "_:x"): issued the first time the
  // label is seen, the same one afterwards. `label` is copied; it need not outlive the call.
  std::string_view IssueFor(std::string_view label);

  // How many identifiers have been issued.
  size_t issued() const { return issued_; }

 private:
  // Copies `s` into storage that never moves (blocks are only ever added).
  std::string_view Store(std::string_view s);

  size_t issued_ = 0;
  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t block_used_ = 0;
  size_t block_size_ = 0;
  std::unordered_map<std::string_view, std::string_view> by_input_label_;
};

// One value of a node's property.
struct NodeValue {
  enum class Kind : unsigned char {
    kNode,   // a reference to the node `id` of the same graph
    kValue,  // the value object `*value`
    kList,   // the list `list` (whose items are again NodeValues)
  };

  Kind kind = Kind::kNode;
  std::string_view id;
  const nlohmann::json* value = nullptr;
  std::vector<NodeValue> list;
};

struct Node {
  std::vector<std::string_view> types;    // @type, relabelled, in document order
  const nlohmann::json* index = nullptr;  // @index, if any
  // Properties by (relabelled) IRI; keywords never appear here.
  std::map<std::string_view, std::vector<NodeValue>> properties;
};

// Nodes of one graph by identifier. std::map keeps node addresses stable and the iteration
// order deterministic (the spec processes subjects in code point order).
using NodeGraph = std::map<std::string_view, Node>;

struct NodeMap {
  // Graphs by name: kDefaultGraphName, or the @id of the node object that held the @graph (a
  // blank node identifier, an IRI, or something toRdf will find ill-formed).
  std::map<std::string_view, NodeGraph> graphs;
  // The issuer that relabelled the blank nodes; toRdf continues with it for list nodes.
  BlankNodeIssuer issuer;
  // How many values and types were added to nodes (list items included): an estimate of the
  // triples the map describes, for reserving output.
  size_t value_count = 0;
};

// Nesting of the expanded document beyond which GenerateNodeMap gives up (recursion bound).
inline constexpr size_t kMaxNodeMapDepth = 512;

// Runs Node Map Generation over `expanded` (the output of Expand: an array of node objects, or
// one node object). The map refers into `expanded`, which must outlive it and stay unchanged.
//
// Errors (JsonLdError, see error.h):
//   - "conflicting indexes": one node carries two different @index values;
//   - "invalid @id value" (an @id neither a string nor null), "invalid type value", "invalid
//     value object", "invalid set or list object", "invalid reverse property map", "invalid
//     @index value": `expanded` is not in expanded form (input that did not come from Expand,
//     e.g. from a fuzzer);
//   - "work limit exceeded" (JsonLdLimitError): nesting deeper than kMaxNodeMapDepth.
Result<NodeMap> GenerateNodeMap(const nlohmann::json& expanded);

}  // namespace traceport::jsonld

#endif  // TRACEPORT_JSONLD_NODE_MAP_H_
