#include "jsonld/expand.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "jsonld/error.h"
#include "jsonld/internal/text.h"

namespace traceport::jsonld {

using nlohmann::json;

namespace {

const std::string kGraphKey = "@graph";
const std::string kReverseKey = "@reverse";
const std::string kIndexKey = "@index";

// Where an element sits in the input, for error messages: a chain of stack frames.
struct Path {
  const Path* parent = nullptr;
  const std::string* key = nullptr;  // object member, or nullptr for an array index
  size_t index = 0;
};

// RFC 6901 JSON Pointer of `path`.
std::string Pointer(const Path* path) {
  std::vector<const Path*> frames;
  for (const Path* p = path; p != nullptr && p->parent != nullptr; p = p->parent) {
    frames.push_back(p);
  }
  std::string out;
  for (auto it = frames.rbegin(); it != frames.rend(); ++it) {
    out.push_back('/');
    if ((*it)->key == nullptr) {
      out += std::to_string((*it)->index);
      continue;
    }
    for (char c : *(*it)->key) {
      if (c == '~') {
        out += "~0";
      } else if (c == '/') {
        out += "~1";
      } else {
        out.push_back(c);
      }
    }
  }
  return out;
}

// Appends `value` (an array's items, or the value itself) to the array `target`.
void AppendTo(json& target, json&& value) {
  if (!target.is_array()) target = json::array();
  if (value.is_array()) {
    for (json& item : value) target.push_back(std::move(item));
  } else {
    target.push_back(std::move(value));
  }
}

json AsArray(json&& value) {
  if (value.is_array()) return std::move(value);
  json out = json::array();
  out.push_back(std::move(value));
  return out;
}

bool IsValueObject(const json& v) { return v.is_object() && v.contains("@value"); }
bool IsListObject(const json& v) { return v.is_object() && v.contains("@list"); }

bool IsGraphObject(const json& v) {
  if (!v.is_object() || !v.contains("@graph")) return false;
  for (auto it = v.begin(); it != v.end(); ++it) {
    if (it.key() != "@graph" && it.key() != "@id" && it.key() != "@index") return false;
  }
  return true;
}

bool IsNodeObject(const json& v) {
  return v.is_object() && !v.contains("@value") && !v.contains("@list") && !v.contains("@set");
}

// An absolute IRI without characters RFC 3987 never allows (space, controls, <>"{}|\^`).
bool IsWellFormedIri(std::string_view s) {
  if (!IsAbsoluteIri(s)) return false;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f || c == '<' || c == '>' || c == '"' || c == '{' || c == '}' ||
        c == '|' || c == '\\' || c == '^' || c == '`') {
      return false;
    }
  }
  return true;
}

std::string Lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

class Expander {
 public:
  Expander(const ExpandOptions& options, ContextCache* cache)
      : options_(options),
        processor_(options.loader, cache,
                   ContextLimits{options.max_remote_depth, options.max_remote_loads,
                                 options.max_context_processing, 64}) {}

  Result<ContextPtr> InitialContext(ContextCache& cache) {
    ContextPtr active = cache.Initial(options_.base);
    if (options_.expand_context != nullptr) {
      ASSIGN_OR_RETURN(active, processor_.ProcessExpandContext(active, *options_.expand_context));
    }
    return active;
  }

  // The Expansion algorithm (5.1.2). `active_property` nullptr stands for null. A JSON null
  // result stands for null.
  Result<json> ExpandElement(const ContextPtr& active, const std::string* active_property,
                             const json& element, bool from_map, const Path& path);

 private:
  Result<json> ExpandObject(ContextPtr active, const std::string* active_property,
                            const TermDefinition* property_def, const json& element, bool from_map,
                            const Path& path);
  // Steps 13 and 14 of the algorithm: the entries of `element` into `result`.
  Status ExpandEntries(const ContextPtr& active, const ContextPtr& type_scoped,
                       const std::string* active_property, const json& element, bool input_is_json,
                       json& result, const Path& path);
  Status ExpandKeyword(const ContextPtr& active, const ContextPtr& type_scoped,
                       const std::string* active_property, const std::string& keyword,
                       const json& value, bool input_is_json, json& result,
                       std::vector<const std::string*>& nests, const std::string& key,
                       const Path& path);
  Result<json> ExpandIndexMap(const ContextPtr& active, const std::string& key,
                              const TermDefinition& def, const json& value, const Path& path);
  Result<ContextPtr> ApplyScoped(const ContextPtr& active, const TermDefinition& def,
                                 ContextProcessor::Flags flags) {
    return processor_.ProcessScoped(active, def, flags);
  }
  Status SafeModeError(const std::string& what, const Path& path) const {
    return JsonLdError("safe mode undefined term",
                       what + " at " + internal::Quote(Pointer(&path)) +
                           " does not expand to an absolute IRI or keyword");
  }

  // In safe mode, an IRI that stays relative (no base to resolve it against) would be dropped
  // when converting to RDF, so it is an error.
  Status CheckIri(const std::string& iri, const json& original, const Path& path) const {
    if (!options_.safe_mode || IsAbsoluteIri(iri) || IsBlankNodeId(iri)) return Status::Ok();
    return SafeModeError("IRI " + internal::Snippet(original), path);
  }
  // A value expanded from a scalar, checked as CheckIri when it became a node reference.
  Result<json> CheckedValue(json value, const json& original, const Path& path) const {
    if (value.is_object()) {
      auto id = value.find("@id");
      if (id != value.end() && id->is_string()) {
        RETURN_IF_ERROR(CheckIri(id->get_ref<const std::string&>(), original, path));
      }
    }
    return value;
  }

  const ExpandOptions& options_;
  ContextProcessor processor_;
  size_t nodes_ = 0;
  size_t depth_ = 0;
};

// Value Expansion (5.3.2).
json ExpandValue(const ActiveContext& active, const std::string* active_property,
                 const json& value) {
  const TermDefinition* def = active_property ? active.Find(*active_property) : nullptr;
  if (def != nullptr && def->type && value.is_string()) {
    if (*def->type == "@id" || *def->type == "@vocab") {
      std::optional<std::string> iri =
          ExpandIri(active, value.get_ref<const std::string&>(), true, *def->type == "@vocab");
      if (!iri) return json();
      return json::object({{"@id", std::move(*iri)}});
    }
  }
  json result = json::object({{"@value", value}});
  if (def != nullptr && def->type && *def->type != "@id" && *def->type != "@vocab" &&
      *def->type != "@none") {
    result["@type"] = *def->type;
  } else if (value.is_string()) {
    const std::optional<std::string>& language =
        def != nullptr && def->has_language ? def->language : active.default_language();
    const std::optional<std::string>& direction =
        def != nullptr && def->has_direction ? def->direction : active.default_direction();
    if (language) result["@language"] = *language;
    if (direction) result["@direction"] = *direction;
  }
  return result;
}

Result<json> Expander::ExpandElement(const ContextPtr& active, const std::string* active_property,
                                     const json& element, bool from_map, const Path& path) {
  if (++nodes_ > options_.max_nodes) {
    return JsonLdLimitError("work limit exceeded",
                            "more than " + std::to_string(options_.max_nodes) + " elements");
  }
  struct DepthGuard {
    size_t& d;
    ~DepthGuard() { --d; }
  } guard{++depth_};
  if (depth_ > options_.max_depth) {
    return JsonLdLimitError("work limit exceeded",
                            "nesting deeper than " + std::to_string(options_.max_depth));
  }
  if (element.is_null()) return json();
  const TermDefinition* property_def =
      active_property != nullptr ? active->Find(*active_property) : nullptr;

  if (!element.is_array() && !element.is_object()) {
    if (active_property == nullptr || *active_property == "@graph") return json();
    if (property_def != nullptr && property_def->context != nullptr) {
      ContextProcessor::Flags flags;
      flags.override_protected = true;
      ASSIGN_OR_RETURN(ContextPtr scoped, ApplyScoped(active, *property_def, flags));
      return CheckedValue(ExpandValue(*scoped, active_property, element), element, path);
    }
    return CheckedValue(ExpandValue(*active, active_property, element), element, path);
  }

  if (element.is_array()) {
    json result = json::array();
    const bool is_list = property_def != nullptr && property_def->HasContainer(kContainerList);
    for (size_t i = 0; i < element.size(); ++i) {
      const Path child{&path, nullptr, i};
      ASSIGN_OR_RETURN(json item,
                       ExpandElement(active, active_property, element[i], from_map, child));
      if (is_list && item.is_array()) item = json::object({{"@list", std::move(item)}});
      if (item.is_array()) {
        for (json& inner : item) result.push_back(std::move(inner));
      } else if (!item.is_null()) {
        result.push_back(std::move(item));
      }
    }
    return result;
  }
  return ExpandObject(active, active_property, property_def, element, from_map, path);
}

Result<json> Expander::ExpandObject(ContextPtr active, const std::string* active_property,
                                    const TermDefinition* property_def, const json& element,
                                    bool from_map, const Path& path) {
  // Keep the context the property definition lives in alive while `active` changes.
  const ContextPtr property_context = active;

  // Step 7: a non-propagated context reverts when entering a new node object.
  if (active->previous() != nullptr && !from_map) {
    bool keep = false;
    for (auto it = element.begin(); it != element.end(); ++it) {
      if (IsExpandedTo(*active, it.key(), "@value") ||
          (element.size() == 1 && IsExpandedTo(*active, it.key(), "@id"))) {
        keep = true;
        break;
      }
    }
    if (!keep) active = active->previous();
  }
  // Step 8: property-scoped context.
  if (property_def != nullptr && property_def->context != nullptr) {
    ContextProcessor::Flags flags;
    flags.override_protected = true;
    ASSIGN_OR_RETURN(active, ApplyScoped(active, *property_def, flags));
  }
  // Step 9: embedded context.
  if (auto it = element.find("@context"); it != element.end()) {
    ASSIGN_OR_RETURN(active, processor_.Process(active, *it, options_.base, {}));
  }
  // Steps 10-11: type-scoped contexts, in lexicographic order of the type values.
  const ContextPtr type_scoped = active;
  const json* input_type = nullptr;
  for (auto it = element.begin(); it != element.end(); ++it) {
    if (!IsExpandedTo(*type_scoped, it.key(), "@type")) continue;
    const json& value = *it;
    if (input_type == nullptr) {
      if (value.is_array() && !value.empty()) {
        input_type = &value.back();
      } else if (!value.is_array()) {
        input_type = &value;
      }
    }
    ASSIGN_OR_RETURN(active, processor_.ApplyTypeScoped(active, *type_scoped, value));
  }
  bool input_is_json = false;
  if (input_type != nullptr && input_type->is_string()) {
    input_is_json = IsExpandedTo(*active, input_type->get_ref<const std::string&>(), "@json");
  }

  json result = json::object();
  RETURN_IF_ERROR(
      ExpandEntries(active, type_scoped, active_property, element, input_is_json, result, path));

  // Steps 15-19: normalize and validate the result.
  if (auto value = result.find("@value"); value != result.end()) {
    for (auto it = result.begin(); it != result.end(); ++it) {
      const std::string& k = it.key();
      if (k != "@direction" && k != "@index" && k != "@language" && k != "@type" && k != "@value") {
        return JsonLdError("invalid value object", "a value object cannot have " +
                                                       internal::Quote(k) + " at " +
                                                       internal::Quote(Pointer(&path)));
      }
    }
    auto type = result.find("@type");
    if (type != result.end() && (result.contains("@language") || result.contains("@direction"))) {
      return JsonLdError("invalid value object",
                         "a value object has @type and @language or @direction at " +
                             internal::Quote(Pointer(&path)));
    }
    if (type != result.end() && *type == "@json") return result;
    if (value->is_null()) return json();
    if (!value->is_string() && result.contains("@language")) {
      return JsonLdError("invalid language-tagged value",
                         internal::Snippet(*value) + " at " + internal::Quote(Pointer(&path)));
    }
    if (type != result.end() &&
        (!type->is_string() || !IsWellFormedIri(type->get_ref<const std::string&>()))) {
      return JsonLdError("invalid typed value",
                         internal::Snippet(*type) + " at " + internal::Quote(Pointer(&path)));
    }
  } else if (auto type = result.find("@type"); type != result.end()) {
    if (!type->is_array()) *type = AsArray(std::move(*type));
  } else if (result.contains("@set") || result.contains("@list")) {
    if (result.size() > 2 || (result.size() == 2 && !result.contains("@index"))) {
      return JsonLdError("invalid set or list object",
                         "extra entries at " + internal::Quote(Pointer(&path)));
    }
    if (result.contains("@set")) {
      json set = std::move(result["@set"]);
      result = std::move(set);
    }
  }
  if (result.is_object() && result.size() == 1 && result.contains("@language")) return json();
  if (active_property == nullptr || *active_property == "@graph") {
    if (result.is_object() &&
        (result.empty() || result.contains("@value") || result.contains("@list"))) {
      return json();
    }
    if (result.is_object() && result.size() == 1 && result.contains("@id")) return json();
  }
  return result;
}

Status Expander::ExpandEntries(const ContextPtr& active, const ContextPtr& type_scoped,
                               const std::string* active_property, const json& element,
                               bool input_is_json, json& result, const Path& path) {
  std::vector<const std::string*> nests;
  for (auto it = element.begin(); it != element.end(); ++it) {
    const std::string& key = it.key();
    if (key == "@context") continue;
    const json& value = *it;
    const Path child{&path, &key, 0};
    std::optional<std::string> expanded = ExpandIri(*active, key, false, true);
    if (!expanded || (expanded->find(':') == std::string::npos && !IsKeyword(*expanded))) {
      if (options_.safe_mode) return SafeModeError("term " + internal::Quote(key), child);
      continue;
    }
    if (IsKeyword(*expanded)) {
      RETURN_IF_ERROR(ExpandKeyword(active, type_scoped, active_property, *expanded, value,
                                    input_is_json, result, nests, key, child));
      continue;
    }
    const std::string& property = *expanded;
    const TermDefinition* def = active->Find(key);
    const uint8_t container = def != nullptr ? def->container : 0;
    json expanded_value;
    if (def != nullptr && def->type && *def->type == "@json") {
      expanded_value = json::object({{"@value", value}, {"@type", "@json"}});
    } else if ((container & kContainerLanguage) && value.is_object()) {
      expanded_value = json::array();
      const std::optional<std::string>& direction =
          def->has_direction ? def->direction : active->default_direction();
      for (auto lang = value.begin(); lang != value.end(); ++lang) {
        const bool none = lang.key() == "@none" || IsExpandedTo(*active, lang.key(), "@none");
        auto add = [&](const json& item) -> Status {
          if (item.is_null()) return Status::Ok();
          if (!item.is_string()) {
            return JsonLdError("invalid language map value",
                               internal::Snippet(item) + " at " + internal::Quote(Pointer(&child)));
          }
          json v = json::object({{"@value", item}});
          if (!none) v["@language"] = Lowercase(lang.key());
          if (direction) v["@direction"] = *direction;
          expanded_value.push_back(std::move(v));
          return Status::Ok();
        };
        if (lang->is_array()) {
          for (const json& item : *lang) RETURN_IF_ERROR(add(item));
        } else {
          RETURN_IF_ERROR(add(*lang));
        }
      }
    } else if ((container & (kContainerIndex | kContainerType | kContainerId)) &&
               value.is_object()) {
      ASSIGN_OR_RETURN(expanded_value, ExpandIndexMap(active, key, *def, value, child));
    } else {
      ASSIGN_OR_RETURN(expanded_value, ExpandElement(active, &key, value, false, child));
    }
    if (expanded_value.is_null()) continue;
    if ((container & kContainerList) && !IsListObject(expanded_value)) {
      expanded_value = json::object({{"@list", AsArray(std::move(expanded_value))}});
    }
    if ((container & kContainerGraph) && !(container & (kContainerId | kContainerIndex))) {
      json graphs = json::array();
      for (json& ev : AsArray(std::move(expanded_value))) {
        graphs.push_back(json::object({{"@graph", AsArray(std::move(ev))}}));
      }
      expanded_value = std::move(graphs);
    }
    if (def != nullptr && def->reverse) {
      json& reverse_map = result["@reverse"];
      if (!reverse_map.is_object()) reverse_map = json::object();
      for (json& item : AsArray(std::move(expanded_value))) {
        if (IsValueObject(item) || IsListObject(item)) {
          return JsonLdError("invalid reverse property value",
                             "at " + internal::Quote(Pointer(&child)));
        }
        AppendTo(reverse_map[property], std::move(item));
      }
    } else {
      AppendTo(result[property], std::move(expanded_value));
    }
  }

  // Step 14: nested properties, in key order.
  std::sort(nests.begin(), nests.end(),
            [](const std::string* a, const std::string* b) { return *a < *b; });
  if (nests.empty()) return Status::Ok();
  // Nested objects recurse here rather than through ExpandElement: count them as depth too.
  struct DepthGuard {
    size_t& d;
    ~DepthGuard() { --d; }
  } guard{++depth_};
  if (depth_ > options_.max_depth) {
    return JsonLdLimitError("work limit exceeded",
                            "nesting deeper than " + std::to_string(options_.max_depth));
  }
  for (const std::string* nest_key : nests) {
    const json& nested = element[*nest_key];
    const Path nest_path{&path, nest_key, 0};
    // The nesting key's property-scoped context applies to the nested entries.
    ContextPtr nest_context = active;
    if (const TermDefinition* def = active->Find(*nest_key);
        def != nullptr && def->context != nullptr) {
      ContextProcessor::Flags flags;
      flags.override_protected = true;
      ASSIGN_OR_RETURN(nest_context, ApplyScoped(active, *def, flags));
    }
    const size_t n = nested.is_array() ? nested.size() : 1;
    for (size_t i = 0; i < n; ++i) {
      const json& nested_value = nested.is_array() ? nested[i] : nested;
      const Path item_path{&nest_path, nullptr, i};
      if (!nested_value.is_object()) {
        return JsonLdError("invalid @nest value",
                           "not an object at " + internal::Quote(Pointer(&item_path)));
      }
      for (auto it = nested_value.begin(); it != nested_value.end(); ++it) {
        if (IsExpandedTo(*nest_context, it.key(), "@value")) {
          return JsonLdError("invalid @nest value",
                             "a value object at " + internal::Quote(Pointer(&item_path)));
        }
      }
      RETURN_IF_ERROR(ExpandEntries(nest_context, type_scoped, active_property, nested_value,
                                    input_is_json, result, item_path));
    }
  }
  return Status::Ok();
}

Status Expander::ExpandKeyword(const ContextPtr& active, const ContextPtr& type_scoped,
                               const std::string* active_property, const std::string& keyword,
                               const json& value, bool input_is_json, json& result,
                               std::vector<const std::string*>& nests, const std::string& key,
                               const Path& path) {
  if (active_property != nullptr && *active_property == "@reverse") {
    return JsonLdError(
        "invalid reverse property map",
        "keyword " + internal::Quote(keyword) + " at " + internal::Quote(Pointer(&path)));
  }
  if (result.contains(keyword) && keyword != "@included" && keyword != "@type") {
    return JsonLdError("colliding keywords",
                       internal::Quote(keyword) + " at " + internal::Quote(Pointer(&path)));
  }
  json expanded;
  if (keyword == "@id") {
    if (!value.is_string()) {
      return JsonLdError("invalid @id value",
                         internal::Snippet(value) + " at " + internal::Quote(Pointer(&path)));
    }
    std::optional<std::string> iri =
        ExpandIri(*active, value.get_ref<const std::string&>(), true, false);
    if (!iri) {
      // A keyword-like value ("@ignoreMe") expands to null: the node keeps an explicit null
      // @id, which toRdf then skips (rather than minting a blank node).
      result[keyword] = nullptr;
      return Status::Ok();
    }
    RETURN_IF_ERROR(CheckIri(*iri, value, path));
    expanded = std::move(*iri);
  } else if (keyword == "@type") {
    auto expand_type = [&](const json& t) -> Result<json> {
      std::optional<std::string> iri =
          ExpandIri(*type_scoped, t.get_ref<const std::string&>(), true, true);
      if (options_.safe_mode && (!iri || (!IsAbsoluteIri(*iri) && !IsBlankNodeId(*iri) &&
                                          *iri != "@json" && *iri != "@id"))) {
        return SafeModeError("type " + internal::Quote(t.get_ref<const std::string&>()), path);
      }
      return iri ? json(std::move(*iri)) : json();
    };
    if (value.is_string()) {
      ASSIGN_OR_RETURN(expanded, expand_type(value));
      if (expanded.is_null()) return Status::Ok();
    } else if (value.is_array() && std::all_of(value.begin(), value.end(),
                                               [](const json& t) { return t.is_string(); })) {
      expanded = json::array();
      for (const json& t : value) {
        ASSIGN_OR_RETURN(json e, expand_type(t));
        if (!e.is_null()) expanded.push_back(std::move(e));
      }
    } else {
      return JsonLdError("invalid type value",
                         internal::Snippet(value) + " at " + internal::Quote(Pointer(&path)));
    }
    if (auto existing = result.find("@type"); existing != result.end()) {
      json combined = AsArray(std::move(*existing));
      AppendTo(combined, std::move(expanded));
      expanded = std::move(combined);
    }
  } else if (keyword == "@graph") {
    ASSIGN_OR_RETURN(expanded, ExpandElement(active, &kGraphKey, value, false, path));
    expanded = AsArray(std::move(expanded));
  } else if (keyword == "@included") {
    ASSIGN_OR_RETURN(expanded, ExpandElement(active, active_property, value, false, path));
    expanded = AsArray(std::move(expanded));
    for (const json& item : expanded) {
      if (!IsNodeObject(item)) {
        return JsonLdError("invalid @included value",
                           internal::Snippet(item) + " at " + internal::Quote(Pointer(&path)));
      }
    }
    if (auto existing = result.find("@included"); existing != result.end()) {
      json combined = std::move(*existing);
      AppendTo(combined, std::move(expanded));
      expanded = std::move(combined);
    }
  } else if (keyword == "@value") {
    if (!input_is_json && (value.is_object() || value.is_array())) {
      return JsonLdError("invalid value object value",
                         internal::Snippet(value) + " at " + internal::Quote(Pointer(&path)));
    }
    result["@value"] = value;
    return Status::Ok();
  } else if (keyword == "@language") {
    if (!value.is_string()) {
      return JsonLdError("invalid language-tagged string",
                         internal::Snippet(value) + " at " + internal::Quote(Pointer(&path)));
    }
    expanded = Lowercase(value.get_ref<const std::string&>());
  } else if (keyword == "@direction") {
    if (value != "ltr" && value != "rtl") {
      return JsonLdError("invalid base direction",
                         internal::Snippet(value) + " at " + internal::Quote(Pointer(&path)));
    }
    expanded = value;
  } else if (keyword == "@index") {
    if (!value.is_string()) {
      return JsonLdError("invalid @index value",
                         internal::Snippet(value) + " at " + internal::Quote(Pointer(&path)));
    }
    expanded = value;
  } else if (keyword == "@list") {
    if (active_property == nullptr || *active_property == "@graph") return Status::Ok();
    ASSIGN_OR_RETURN(expanded, ExpandElement(active, active_property, value, false, path));
    expanded = AsArray(std::move(expanded));
  } else if (keyword == "@set") {
    ASSIGN_OR_RETURN(expanded, ExpandElement(active, active_property, value, false, path));
  } else if (keyword == "@reverse") {
    if (!value.is_object()) {
      return JsonLdError("invalid @reverse value",
                         internal::Snippet(value) + " at " + internal::Quote(Pointer(&path)));
    }
    ASSIGN_OR_RETURN(json reversed, ExpandElement(active, &kReverseKey, value, false, path));
    if (!reversed.is_object()) return Status::Ok();
    if (auto inner = reversed.find("@reverse"); inner != reversed.end()) {
      for (auto it = inner->begin(); it != inner->end(); ++it) {
        AppendTo(result[it.key()], std::move(*it));
      }
    }
    for (auto it = reversed.begin(); it != reversed.end(); ++it) {
      if (it.key() == "@reverse") continue;
      json& reverse_map = result["@reverse"];
      if (!reverse_map.is_object()) reverse_map = json::object();
      for (json& item : AsArray(std::move(*it))) {
        if (IsValueObject(item) || IsListObject(item)) {
          return JsonLdError("invalid reverse property value",
                             "at " + internal::Quote(Pointer(&path)));
        }
        AppendTo(reverse_map[it.key()], std::move(item));
      }
    }
    return Status::Ok();
  } else if (keyword == "@nest") {
    nests.push_back(&key);
    return Status::Ok();
  } else {
    return Status::Ok();  // other keywords (@context handled earlier, @base, ...) are dropped
  }
  if (!expanded.is_null()) result[keyword] = std::move(expanded);
  return Status::Ok();
}

Result<json> Expander::ExpandIndexMap(const ContextPtr& active, const std::string& key,
                                      const TermDefinition& def, const json& value,
                                      const Path& path) {
  json out = json::array();
  const std::string& index_key = def.index ? *def.index : kIndexKey;
  const uint8_t container = def.container;
  for (auto entry = value.begin(); entry != value.end(); ++entry) {
    const std::string& index = entry.key();
    const Path child{&path, &index, 0};
    ContextPtr map_context = active;
    if (container & (kContainerId | kContainerType)) {
      if (active->previous() != nullptr) map_context = active->previous();
    }
    if (container & kContainerType) {
      const TermDefinition* index_def = map_context->Find(index);
      if (index_def != nullptr && index_def->context != nullptr) {
        ContextProcessor::Flags flags;
        flags.propagate = false;
        ASSIGN_OR_RETURN(map_context, ApplyScoped(map_context, *index_def, flags));
      }
    }
    const std::optional<std::string> expanded_index = ExpandIri(*active, index, false, true);
    const bool none = expanded_index && *expanded_index == "@none";
    json items;
    if (entry->is_array()) {
      ASSIGN_OR_RETURN(items, ExpandElement(map_context, &key, *entry, true, child));
    } else {
      json wrapped = json::array();
      wrapped.push_back(*entry);
      ASSIGN_OR_RETURN(items, ExpandElement(map_context, &key, wrapped, true, child));
    }
    for (json& item : items) {
      if ((container & kContainerGraph) && !IsGraphObject(item)) {
        item = json::object({{"@graph", AsArray(std::move(item))}});
      }
      if ((container & kContainerIndex) && index_key != "@index" && !none) {
        const json reexpanded = ExpandValue(*active, &index_key, json(index));
        std::optional<std::string> property = ExpandIri(*active, index_key, false, true);
        if (!property) continue;
        if (IsValueObject(item)) {
          return JsonLdError("invalid value object", "a property-valued index on a value at " +
                                                         internal::Quote(Pointer(&child)));
        }
        json values = json::array();
        values.push_back(reexpanded);
        if (auto existing = item.find(*property); existing != item.end()) {
          AppendTo(values, std::move(*existing));
        }
        item[*property] = std::move(values);
      } else if ((container & kContainerIndex) && !item.contains("@index") && !none) {
        item["@index"] = index;
      } else if ((container & (kContainerId | kContainerType)) && !none &&
                 (IsValueObject(item) || IsListObject(item))) {
        // An id or type map key names a node; a value or list cannot take it.
        return JsonLdError(
            IsValueObject(item) ? "invalid value object" : "invalid set or list object",
            "an id or type map entry that is not a node at " + internal::Quote(Pointer(&child)));
      } else if ((container & kContainerId) && !item.contains("@id") && !none) {
        std::optional<std::string> id = ExpandIri(*active, index, true, false);
        if (id) {
          RETURN_IF_ERROR(CheckIri(*id, json(index), child));
          item["@id"] = std::move(*id);
        }
      } else if ((container & kContainerType) && !none && expanded_index) {
        json types = json::array();
        types.push_back(*expanded_index);
        if (auto existing = item.find("@type"); existing != item.end()) {
          AppendTo(types, std::move(*existing));
        }
        item["@type"] = std::move(types);
      }
      out.push_back(std::move(item));
    }
  }
  return out;
}

}  // namespace

Result<json> Expand(const json& input, const ExpandOptions& options) {
  ContextCache local_cache(1024);
  ContextCache* cache = options.cache != nullptr ? options.cache : &local_cache;
  Expander expander(options, cache);
  ASSIGN_OR_RETURN(ContextPtr active, expander.InitialContext(*cache));
  const Path root;
  ASSIGN_OR_RETURN(json result, expander.ExpandElement(active, nullptr, input, false, root));
  if (result.is_object() && result.size() == 1 && result.contains("@graph")) {
    json graph = std::move(result["@graph"]);
    result = std::move(graph);
  }
  if (result.is_null()) return json::array();
  return AsArray(std::move(result));
}

}  // namespace traceport::jsonld
