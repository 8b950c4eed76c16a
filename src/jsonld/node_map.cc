#include "jsonld/node_map.h"

#include <algorithm>
#include <charconv>
#include <string>
#include <utility>

#include "jsonld/error.h"

namespace traceport::jsonld {

std::string_view BlankNodeIssuer::Store(std::string_view s) {
  if (block_used_ + s.size() > block_size_) {
    block_size_ = std::max<size_t>(s.size(), 512);
    blocks_.push_back(std::make_unique<char[]>(block_size_));
    block_used_ = 0;
  }
  char* out = blocks_.back().get() + block_used_;
  std::copy(s.begin(), s.end(), out);
  block_used_ += s.size();
  return std::string_view(out, s.size());
}

std::string_view BlankNodeIssuer::Issue() {
  char label[32] = {'_', ':', 'b'};
  const auto r = std::to_chars(label + 3, label + sizeof label, issued_++);
  return Store(std::string_view(label, static_cast<size_t>(r.ptr - label)));
}

std::string_view BlankNodeIssuer::IssueFor(std::string_view label) {
  if (auto it = by_input_label_.find(label); it != by_input_label_.end()) return it->second;
  const std::string_view key = Store(label);
  const std::string_view issued = Issue();
  by_input_label_.emplace(key, issued);
  return issued;
}

namespace {

using json = nlohmann::json;

bool IsBlankNodeId(std::string_view id) { return id.size() >= 2 && id[0] == '_' && id[1] == ':'; }

// Where the element being visited goes: into `target` (a property's values or a list's items),
// nowhere (top level, @graph and @included contents: target null), or — for the values of a
// reverse property — as the node that gets a `property` pointing back at `reverse_id`.
struct Parent {
  std::vector<NodeValue>* target = nullptr;
  bool reverse = false;
  std::string_view reverse_id;
  std::string_view property;
};

class Generator {
 public:
  explicit Generator(NodeMap& map) : map_(map) {}

  // §7.2 for `element` in graph `graph_name`.
  Status Visit(const json& element, std::string_view graph_name, const Parent& parent,
               size_t depth) {
    if (depth > kMaxNodeMapDepth) {
      return JsonLdLimitError("work limit exceeded", "expanded document nested too deeply");
    }
    if (element.is_array()) {
      for (const json& item : element) {
        RETURN_IF_ERROR(Visit(item, graph_name, parent, depth + 1));
      }
      return Status::Ok();
    }
    if (!element.is_object()) {
      return JsonLdError("invalid value object",
                         "expanded form has only objects where a value is expected");
    }
    if (element.contains("@value")) {
      // A value under a reverse property (not expanded form) or with no subject is dropped.
      if (parent.target != nullptr) {
        NodeValue& v = parent.target->emplace_back();
        v.kind = NodeValue::Kind::kValue;
        v.value = &element;
        ++map_.value_count;
      }
      return Status::Ok();
    }
    if (const auto it = element.find("@list"); it != element.end()) {
      return VisitList(*it, graph_name, parent, depth);
    }
    return VisitNode(element, graph_name, parent, depth);
  }

 private:
  Status VisitList(const json& items, std::string_view graph_name, const Parent& parent,
                   size_t depth) {
    if (!items.is_array()) {
      return JsonLdError("invalid set or list object", "@list value is not an array");
    }
    NodeValue result;
    result.kind = NodeValue::Kind::kList;
    Parent in_list;
    in_list.target = &result.list;
    RETURN_IF_ERROR(Visit(items, graph_name, in_list, depth + 1));
    if (parent.target != nullptr) {
      parent.target->push_back(std::move(result));
      ++map_.value_count;
    }
    return Status::Ok();
  }

  Status VisitNode(const json& element, std::string_view graph_name, const Parent& parent,
                   size_t depth) {
    const json* type = nullptr;
    const json* id_value = nullptr;
    const json* index = nullptr;
    const json* reverse = nullptr;
    const json* graph = nullptr;
    const json* included = nullptr;
    for (const auto& [key, value] : element.items()) {
      if (key.empty() || key[0] != '@') continue;
      if (key == "@type") {
        type = &value;
      } else if (key == "@id") {
        id_value = &value;
      } else if (key == "@index") {
        index = &value;
      } else if (key == "@reverse") {
        reverse = &value;
      } else if (key == "@graph") {
        graph = &value;
      } else if (key == "@included") {
        included = &value;
      }
      // Other keywords have no place in an expanded node object and carry no triples.
    }

    // The spec relabels @type before @id (step 3), which fixes the order labels are issued in.
    if (type != nullptr) RETURN_IF_ERROR(CheckTypes(*type));
    std::string_view id;
    if (id_value == nullptr) {
      id = map_.issuer.Issue();
    } else if (id_value->is_null()) {
      id = kNullNodeId;
    } else if (!id_value->is_string()) {
      return JsonLdError("invalid @id value", "@id is not a string");
    } else {
      id = id_value->get_ref<const std::string&>();
      if (IsBlankNodeId(id)) id = map_.issuer.IssueFor(id);
    }
    // `id` views the input or the issuer, both of which outlive the map's keys.
    Node& node = map_.graphs[graph_name][id];

    if (parent.reverse) {
      NodeValue& ref = node.properties[parent.property].emplace_back();
      ref.kind = NodeValue::Kind::kNode;
      ref.id = parent.reverse_id;
      ++map_.value_count;
    } else if (parent.target != nullptr) {
      NodeValue& ref = parent.target->emplace_back();
      ref.kind = NodeValue::Kind::kNode;
      ref.id = id;
      ++map_.value_count;
    }
    if (type != nullptr) AddTypes(*type, node);

    if (index != nullptr) {
      if (!index->is_string()) return JsonLdError("invalid @index value", "@index not a string");
      if (node.index != nullptr && *node.index != *index) {
        return JsonLdError("conflicting indexes",
                           "two different @index values for one node " + std::string(id));
      }
      node.index = index;
    }
    if (reverse != nullptr) {
      if (!reverse->is_object()) {
        return JsonLdError("invalid reverse property map", "@reverse is not an object");
      }
      for (const auto& [property, values] : reverse->items()) {
        if (property.empty() || property[0] == '@') continue;
        Parent reverse_parent;
        reverse_parent.reverse = true;
        reverse_parent.reverse_id = id;
        reverse_parent.property = PropertyKey(property);
        RETURN_IF_ERROR(Visit(values, graph_name, reverse_parent, depth + 1));
      }
    }
    if (graph != nullptr) RETURN_IF_ERROR(Visit(*graph, id, Parent{}, depth + 1));
    if (included != nullptr) RETURN_IF_ERROR(Visit(*included, graph_name, Parent{}, depth + 1));

    // The remaining entries are properties, visited in code point order like the spec does
    // (nlohmann::json keeps object members sorted). The spec creates each property even when
    // it ends up with no values. std::map never moves its elements, so the vector stays put
    // while the recursion adds nodes and properties.
    for (const auto& [key, value] : element.items()) {
      if (key.empty() || key[0] == '@') continue;
      Parent child;
      child.target = &node.properties[PropertyKey(key)];
      RETURN_IF_ERROR(Visit(value, graph_name, child, depth + 1));
    }
    return Status::Ok();
  }

  // Checks the @type values of a node object and relabels its blank nodes (step 3).
  Status CheckTypes(const json& value) {
    auto check = [&](const json& type) -> Status {
      if (!type.is_string()) return JsonLdError("invalid type value", "@type is not a string");
      const std::string_view t = type.get_ref<const std::string&>();
      if (IsBlankNodeId(t)) map_.issuer.IssueFor(t);
      return Status::Ok();
    };
    if (!value.is_array()) return check(value);
    for (const json& type : value) RETURN_IF_ERROR(check(type));
    return Status::Ok();
  }

  // Appends the (checked) @type values to the node, with their blank nodes' new labels.
  void AddTypes(const json& value, Node& node) {
    auto add = [&](const json& type) {
      const std::string_view t = type.get_ref<const std::string&>();
      node.types.push_back(IsBlankNodeId(t) ? map_.issuer.IssueFor(t) : t);
      ++map_.value_count;
    };
    if (!value.is_array()) {
      add(value);
      return;
    }
    for (const json& type : value) add(type);
  }

  // A property name as a node map key: blank node identifiers are relabelled.
  std::string_view PropertyKey(const std::string& property) {
    return IsBlankNodeId(property) ? map_.issuer.IssueFor(property) : std::string_view(property);
  }

  NodeMap& map_;
};

}  // namespace

Result<NodeMap> GenerateNodeMap(const nlohmann::json& expanded) {
  NodeMap map;
  map.graphs[kDefaultGraphName];
  Generator generator(map);
  RETURN_IF_ERROR(generator.Visit(expanded, kDefaultGraphName, Parent{}, 0));
  return map;
}

}  // namespace traceport::jsonld
