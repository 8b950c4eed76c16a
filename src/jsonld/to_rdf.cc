#include "jsonld/to_rdf.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <string>
#include <system_error>
#include <utility>

#include "codec/jcs.h"
#include "jsonld/error.h"
#include "jsonld/node_map.h"

namespace traceport::jsonld {
namespace {

using json = nlohmann::json;

constexpr std::string_view kRdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
constexpr char kRdfFirst[] = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first";
constexpr char kRdfRest[] = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest";
constexpr char kRdfNil[] = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil";
constexpr char kRdfJson[] = "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON";
constexpr char kRdfValue[] = "http://www.w3.org/1999/02/22-rdf-syntax-ns#value";
constexpr char kRdfLanguage[] = "http://www.w3.org/1999/02/22-rdf-syntax-ns#language";
constexpr char kRdfDirection[] = "http://www.w3.org/1999/02/22-rdf-syntax-ns#direction";
constexpr char kXsdBoolean[] = "http://www.w3.org/2001/XMLSchema#boolean";
constexpr char kXsdInteger[] = "http://www.w3.org/2001/XMLSchema#integer";
constexpr std::string_view kXsdDouble = "http://www.w3.org/2001/XMLSchema#double";
constexpr std::string_view kI18nPrefix = "https://www.w3.org/ns/i18n#";

bool IsBlankNodeId(std::string_view id) { return id.size() >= 2 && id[0] == '_' && id[1] == ':'; }

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHexDigit(char c) {
  return IsAsciiDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// How IsWellFormedIri treats each byte after the scheme.
enum class IriByteClass : unsigned char { kAllowed, kForbidden, kHash, kPercent };

constexpr std::array<IriByteClass, 256> MakeIriByteClasses() {
  std::array<IriByteClass, 256> classes{};
  for (int c = 0; c <= 0x20; ++c) classes[c] = IriByteClass::kForbidden;
  for (const char c : std::string_view("<>\"{}|^`\\")) {
    classes[static_cast<unsigned char>(c)] = IriByteClass::kForbidden;
  }
  classes['#'] = IriByteClass::kHash;
  classes['%'] = IriByteClass::kPercent;
  return classes;
}
constexpr std::array<IriByteClass, 256> kIriByteClass = MakeIriByteClasses();

// The term for a node identifier; false when it is neither a blank node nor a well-formed IRI.
bool NodeTerm(std::string_view id, Term& term) {
  if (IsBlankNodeId(id)) {
    term = Term::Blank(std::string(id.substr(2)));
    return true;
  }
  if (!IsWellFormedIri(id)) return false;
  term = Term::Iri(std::string(id));
  return true;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

class Deserializer {
 public:
  Deserializer(const ToRdfOptions& options, BlankNodeIssuer& issuer, Dataset& out)
      : options_(options), issuer_(issuer), out_(out) {}

  Status Run(const NodeMap& map) {
    out_.reserve(std::min(map.value_count, options_.max_quads));
    for (const auto& [graph_name, graph] : map.graphs) {
      if (graph_name == kDefaultGraphName) {
        graph_ = Term::DefaultGraph();
      } else if (!NodeTerm(graph_name, graph_)) {
        continue;
      }
      for (const auto& [id, node] : graph) {
        if (!NodeTerm(id, subject_)) continue;
        RETURN_IF_ERROR(EmitNode(node));
      }
    }
    out_.insert(out_.end(), std::make_move_iterator(side_.begin()),
                std::make_move_iterator(side_.end()));
    return Status::Ok();
  }

 private:
  Status EmitNode(const Node& node) {
    bool types_done = node.types.empty();
    for (const auto& [property, values] : node.properties) {
      Term predicate;
      if (IsBlankNodeId(property)) {
        if (!options_.produce_generalized_rdf) continue;
        predicate = Term::Blank(std::string(property.substr(2)));
      } else if (IsWellFormedIri(property)) {
        predicate = Term::Iri(std::string(property));
      } else {
        continue;
      }
      const size_t group_start = out_.size();
      // @type and an explicit rdf:type property make triples with the same predicate; emit
      // them as one group so that duplicates between them are removed.
      if (!types_done && property == kRdfType) {
        RETURN_IF_ERROR(EmitTypes(node, predicate));
        types_done = true;
      }
      for (const NodeValue& value : values) {
        Term object;
        ASSIGN_OR_RETURN(const bool has_object, ObjectToRdf(value, object));
        if (!has_object) continue;
        RETURN_IF_ERROR(Emit(out_, subject_, predicate, std::move(object)));
      }
      RemoveDuplicateObjects(group_start);
    }
    if (!types_done) {
      const size_t group_start = out_.size();
      RETURN_IF_ERROR(EmitTypes(node, Term::Iri(std::string(kRdfType))));
      RemoveDuplicateObjects(group_start);
    }
    return Status::Ok();
  }

  Status EmitTypes(const Node& node, const Term& predicate) {
    for (const std::string_view type : node.types) {
      Term object;
      if (!NodeTerm(type, object)) continue;
      RETURN_IF_ERROR(Emit(out_, subject_, predicate, std::move(object)));
    }
    return Status::Ok();
  }

  Status Emit(Dataset& to, const Term& subject, const Term& predicate, Term object) {
    if (produced_ >= options_.max_quads) {
      return JsonLdLimitError("work limit exceeded",
                              "more than " + std::to_string(options_.max_quads) + " quads");
    }
    ++produced_;
    to.push_back(Quad{subject, predicate, std::move(object), graph_});
    return Status::Ok();
  }

  // Quads from out_[start] on share subject, predicate and graph; drop repeated objects (two
  // value objects can make the same literal, e.g. 1 and {"@value": 1.0}, or "x" with and
  // without @index).
  void RemoveDuplicateObjects(size_t start) {
    const size_t n = out_.size() - start;
    if (n < 2) return;
    auto first = out_.begin() + static_cast<std::ptrdiff_t>(start);
    if (n <= 8) {
      auto end = out_.end();
      for (auto it = first + 1; it != end;) {
        bool seen = false;
        for (auto prev = first; prev != it; ++prev) {
          if (prev->object == it->object) {
            seen = true;
            break;
          }
        }
        if (seen) {
          --end;
          if (it != end) *it = std::move(*end);
        } else {
          ++it;
        }
      }
      out_.erase(end, out_.end());
      return;
    }
    auto by_object = [](const Quad& a, const Quad& b) { return a.object < b.object; };
    auto same_object = [](const Quad& a, const Quad& b) { return a.object == b.object; };
    std::sort(first, out_.end(), by_object);
    out_.erase(std::unique(first, out_.end(), same_object), out_.end());
  }

  // §8.2 Object to RDF. Sets `object` and returns true, or returns false when the item makes no
  // triple (it is not well-formed). Triples describing the object (list cells, compound
  // literals) go to side_.
  Result<bool> ObjectToRdf(const NodeValue& item, Term& object) {
    switch (item.kind) {
      case NodeValue::Kind::kNode:
        return NodeTerm(item.id, object);
      case NodeValue::Kind::kList:
        RETURN_IF_ERROR(ListToRdf(item.list, object));
        return true;
      case NodeValue::Kind::kValue:
        return ValueToRdf(*item.value, object);
    }
    return false;
  }

  // §8.3 List to RDF: a chain of fresh blank nodes, or rdf:nil for an empty list.
  Status ListToRdf(const std::vector<NodeValue>& items, Term& head) {
    if (items.empty()) {
      head = Term::Iri(kRdfNil);
      return Status::Ok();
    }
    const Term first = Term::Iri(kRdfFirst);
    const Term rest = Term::Iri(kRdfRest);
    Term cell = Term::Blank(std::string(issuer_.Issue().substr(2)));
    head = cell;
    for (size_t i = 0; i < items.size(); ++i) {
      Term object;
      ASSIGN_OR_RETURN(const bool has_object, ObjectToRdf(items[i], object));
      if (has_object) RETURN_IF_ERROR(Emit(side_, cell, first, std::move(object)));
      Term next = i + 1 < items.size() ? Term::Blank(std::string(issuer_.Issue().substr(2)))
                                       : Term::Iri(kRdfNil);
      RETURN_IF_ERROR(Emit(side_, cell, rest, next));
      cell = std::move(next);
    }
    return Status::Ok();
  }

  // §8.2 steps 4–15 for a value object.
  Result<bool> ValueToRdf(const json& item, Term& object) {
    const json* value_ptr = nullptr;
    const json* type = nullptr;
    const std::string* language = nullptr;
    const std::string* direction = nullptr;
    for (const auto& [key, entry] : item.items()) {
      if (key == "@value") {
        value_ptr = &entry;
      } else if (key == "@type") {
        if (!entry.is_string()) return JsonLdError("invalid typed value", "@type not a string");
        type = &entry;
      } else if (key == "@language") {
        if (!entry.is_string()) {
          return JsonLdError("invalid language-tagged string", "@language is not a string");
        }
        language = &entry.get_ref<const std::string&>();
      } else if (key == "@direction") {
        if (!entry.is_string() || (entry != "ltr" && entry != "rtl")) {
          return JsonLdError("invalid base direction", "@direction is not \"ltr\" or \"rtl\"");
        }
        direction = &entry.get_ref<const std::string&>();
      }
    }
    const json& value = *value_ptr;  // the node map only records objects with @value

    const bool is_json = type != nullptr && type->get_ref<const std::string&>() == "@json";
    if (type != nullptr && !is_json && !IsWellFormedIri(type->get_ref<const std::string&>())) {
      return false;
    }
    if (language != nullptr && !IsWellFormedLanguageTag(*language)) return false;

    std::string lexical;
    std::string datatype;
    if (type != nullptr && !is_json) datatype = type->get_ref<const std::string&>();
    if (is_json) {
      auto canonical = codec::Canonicalize(value);
      if (!canonical.ok()) {
        return JsonLdError("invalid JSON literal", canonical.status().message());
      }
      lexical = std::move(canonical).value();
      datatype = kRdfJson;
    } else if (value.is_boolean()) {
      lexical = value.get<bool>() ? "true" : "false";
      if (datatype.empty()) datatype = kXsdBoolean;
    } else if (value.is_number()) {
      if (datatype == kXsdDouble || NeedsXsdDouble(value)) {
        lexical = FormatXsdDouble(value.get<double>());
        if (datatype.empty()) datatype = kXsdDouble;
      } else {
        lexical = FormatXsdInteger(value);
        if (datatype.empty()) datatype = kXsdInteger;
      }
    } else if (value.is_string()) {
      lexical = value.get_ref<const std::string&>();
      if (datatype.empty()) datatype = language != nullptr ? kRdfLangString : kXsdString;
    } else if (value.is_null()) {
      return false;  // expansion drops null values; nothing to say about them
    } else {
      return JsonLdError("invalid value object", "@value is an object or array without @json");
    }

    if (direction != nullptr && options_.rdf_direction != RdfDirection::kNone) {
      const std::string lowered = language != nullptr ? AsciiLower(*language) : std::string();
      if (options_.rdf_direction == RdfDirection::kI18nDatatype) {
        std::string i18n(kI18nPrefix);
        i18n += lowered;
        i18n += '_';
        i18n += *direction;
        object = Term::Literal(std::move(lexical), std::move(i18n));
        return true;
      }
      const Term node = Term::Blank(std::string(issuer_.Issue().substr(2)));
      RETURN_IF_ERROR(
          Emit(side_, node, Term::Iri(kRdfValue), Term::Literal(std::move(lexical), kXsdString)));
      if (language != nullptr) {
        RETURN_IF_ERROR(Emit(side_, node, Term::Iri(kRdfLanguage), Term::Literal(lowered)));
      }
      RETURN_IF_ERROR(Emit(side_, node, Term::Iri(kRdfDirection), Term::Literal(*direction)));
      object = node;
      return true;
    }

    // Only a language-tagged string carries its tag (a tag on anything else is not expanded
    // form and would make an ill-formed literal).
    if (datatype == kRdfLangString && language != nullptr) {
      object = Term::Literal(std::move(lexical), std::move(datatype), *language);
    } else if (datatype == kRdfLangString) {
      return false;  // rdf:langString without a tag is not a literal RDF allows
    } else {
      object = Term::Literal(std::move(lexical), std::move(datatype));
    }
    return true;
  }

  const ToRdfOptions& options_;
  BlankNodeIssuer& issuer_;
  Dataset& out_;
  Dataset side_;  // list cells and compound literals: fresh subjects, never duplicates
  Term graph_;
  Term subject_;
  size_t produced_ = 0;
};

// When `a` (finite, positive) lies exactly halfway between two 16-significant-digit decimals,
// the 16 digits ECMAScript's toExponential(15) picks (it rounds such ties up, where printf
// rounds them to even) and the decimal exponent of the first digit. Only values with a short
// binary fraction can be ties: a = m / 2^q = m * 5^q / 10^q must have exactly 17 significant
// digits ending in 5, which needs m * 5^q < 10^17.
bool RoundTieUp(double a, std::uint64_t& digits, int& exponent) {
  int binary_exponent = 0;
  const double fraction = std::frexp(a, &binary_exponent);  // a = fraction * 2^binary_exponent
  auto m = static_cast<std::uint64_t>(std::ldexp(fraction, 53));
  int q = 53 - binary_exponent;
  if (m == 0) return false;
  while ((m & 1) == 0) {
    m >>= 1;
    --q;
  }
  if (q < 1 || q > 24) return false;  // an integer, or m * 5^q >= 5^25 > 10^17
  std::uint64_t p = m;
  for (int i = 0; i < q; ++i) {
    if (__builtin_mul_overflow(p, std::uint64_t{5}, &p)) return false;
  }
  constexpr std::uint64_t k1e16 = 10'000'000'000'000'000ULL;
  if (p < k1e16 || p >= 10 * k1e16) return false;
  digits = p / 10 + 1;
  exponent = 16 - q;
  if (digits == k1e16) {
    digits /= 10;
    ++exponent;
  }
  return true;
}

}  // namespace

std::string FormatXsdInteger(const json& number) {
  char buf[32];
  std::to_chars_result r{};
  if (number.is_number_integer() && !number.is_number_unsigned()) {
    r = std::to_chars(buf, buf + sizeof buf, number.get<std::int64_t>());
  } else if (number.is_number_unsigned()) {
    r = std::to_chars(buf, buf + sizeof buf, number.get<std::uint64_t>());
  } else {
    const double d = number.get<double>();
    if (d == 0) return "0";  // also -0, as ECMAScript's toFixed(0) writes it
    r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed, 0);
  }
  return std::string(buf, r.ptr);
}

bool NeedsXsdDouble(const json& number) {
  if (!number.is_number_float()) return false;
  const double d = number.get<double>();
  return std::fabs(d) >= 1e21 || d != std::trunc(d);
}

std::string FormatXsdDouble(double value) {
  if (value == 0) return "0.0E0";
  std::string out;
  if (value < 0) out += '-';
  const double a = std::fabs(value);

  // 16 significant digits: "d.ddddddddddddddd" and the decimal exponent.
  char mantissa[17];
  int exponent = 0;
  std::uint64_t tie_digits = 0;
  if (RoundTieUp(a, tie_digits, exponent)) {
    char digits[16];
    for (int i = 15; i >= 0; --i) {
      digits[i] = static_cast<char>('0' + tie_digits % 10);
      tie_digits /= 10;
    }
    mantissa[0] = digits[0];
    mantissa[1] = '.';
    std::copy(digits + 1, digits + 16, mantissa + 2);
  } else {
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, a, std::chars_format::scientific, 15);
    // buf = "d.ddddddddddddddde[+-]XX"
    std::copy(buf, buf + 17, mantissa);
    std::from_chars(buf + 18 + (buf[18] == '+' ? 1 : 0), r.ptr, exponent);
  }
  size_t length = 17;
  while (length > 3 && mantissa[length - 1] == '0') --length;
  out.append(mantissa, length);
  out += 'E';
  out += std::to_string(exponent);
  return out;
}

bool IsWellFormedIri(std::string_view iri) {
  if (iri.empty() || !IsAsciiAlpha(iri[0])) return false;
  size_t i = 1;
  while (i < iri.size() && (IsAsciiAlpha(iri[i]) || IsAsciiDigit(iri[i]) || iri[i] == '+' ||
                            iri[i] == '-' || iri[i] == '.')) {
    ++i;
  }
  if (i == iri.size() || iri[i] != ':') return false;
  bool in_fragment = false;
  for (size_t j = i + 1; j < iri.size(); ++j) {
    const auto c = static_cast<unsigned char>(iri[j]);
    if (kIriByteClass[c] == IriByteClass::kAllowed) continue;
    switch (kIriByteClass[c]) {
      case IriByteClass::kForbidden:
        return false;
      case IriByteClass::kHash:
        if (in_fragment) return false;  // a fragment cannot contain '#'
        in_fragment = true;
        break;
      case IriByteClass::kPercent:
        if (j + 2 >= iri.size() || !IsHexDigit(iri[j + 1]) || !IsHexDigit(iri[j + 2])) {
          return false;
        }
        break;
      case IriByteClass::kAllowed:
        break;
    }
  }
  return true;
}

bool IsWellFormedLanguageTag(std::string_view tag) {
  size_t i = 0;
  bool first = true;
  while (true) {
    size_t n = 0;
    while (i < tag.size() && n < 9 && (IsAsciiAlpha(tag[i]) || (!first && IsAsciiDigit(tag[i])))) {
      ++i;
      ++n;
    }
    if (n == 0 || n > 8) return false;
    if (i == tag.size()) return true;
    if (tag[i] != '-') return false;
    ++i;
    first = false;
  }
}

Result<Dataset> ToRdf(const nlohmann::json& expanded, const ToRdfOptions& options) {
  ASSIGN_OR_RETURN(NodeMap map, GenerateNodeMap(expanded));
  Dataset dataset;
  Deserializer deserializer(options, map.issuer, dataset);
  RETURN_IF_ERROR(deserializer.Run(map));
  return dataset;
}

}  // namespace traceport::jsonld
