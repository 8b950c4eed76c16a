#include "jsonld/internal/direct.h"

#include <algorithm>
#include <cstring>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "codec/fast_json.h"
#include "jsonld/context.h"
#include "jsonld/nquads.h"
#include "jsonld/rdf.h"
#include "jsonld/to_rdf.h"

namespace traceport::jsonld::internal {
namespace {

using json = nlohmann::json;

constexpr std::string_view kRdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
constexpr std::string_view kXsdBoolean = "http://www.w3.org/2001/XMLSchema#boolean";
constexpr std::string_view kXsdInteger = "http://www.w3.org/2001/XMLSchema#integer";
constexpr std::string_view kXsdDouble = "http://www.w3.org/2001/XMLSchema#double";

// The two document forms the walk reads, behind one set of static functions: an nlohmann::json
// tree and a simdjson DOM (the verifier's parse). Members come in code point order of their
// keys for both (the order the expansion algorithm takes them in), whatever the text's order.
template <typename V>
struct Member {
  std::string_view key;
  V value;
};

struct NlohmannForm {
  using Value = const json*;
  static bool IsNull(Value v) { return v->is_null(); }
  static bool IsArray(Value v) { return v->is_array(); }
  static bool IsObject(Value v) { return v->is_object(); }
  static bool IsString(Value v) { return v->is_string(); }
  static bool IsBool(Value v) { return v->is_boolean(); }
  static bool IsNumber(Value v) { return v->is_number(); }
  static std::string_view Str(Value v) { return v->get_ref<const std::string&>(); }
  static bool Bool(Value v) { return v->get<bool>(); }
  template <typename F>
  static bool Items(Value v, F&& f) {
    for (const json& item : *v) {
      if (!f(&item)) return false;
    }
    return true;
  }
  // Appends the members of object `v` (a std::map: already in key order).
  static void Members(Value v, std::vector<Member<Value>>* out) {
    for (auto it = v->begin(); it != v->end(); ++it) out->push_back({it.key(), &*it});
  }
  // `v` as nlohmann::json (no copy here).
  static const json& AsJson(Value v, json* /*storage*/) { return *v; }
};

struct SimdjsonForm {
  using Value = simdjson::dom::element;
  using Type = simdjson::dom::element_type;
  static bool IsNull(Value v) { return v.type() == Type::NULL_VALUE; }
  static bool IsArray(Value v) { return v.type() == Type::ARRAY; }
  static bool IsObject(Value v) { return v.type() == Type::OBJECT; }
  static bool IsString(Value v) { return v.type() == Type::STRING; }
  static bool IsBool(Value v) { return v.type() == Type::BOOL; }
  static bool IsNumber(Value v) {
    const Type t = v.type();
    return t == Type::INT64 || t == Type::UINT64 || t == Type::DOUBLE;
  }
  static std::string_view Str(Value v) {
    const std::string_view text = v.get_string().value_unsafe();
    return text;
  }
  static bool Bool(Value v) {
    const bool b = v.get_bool().value_unsafe();
    return b;
  }
  template <typename F>
  static bool Items(Value v, F&& f) {
    const simdjson::dom::array array = v.get_array().value_unsafe();
    for (const Value item : array) {
      if (!f(item)) return false;
    }
    return true;
  }
  // Appends the members of object `v`, sorted by key (simdjson keeps the text's order; the
  // parser has refused duplicate names).
  static void Members(Value v, std::vector<Member<Value>>* out) {
    const size_t first = out->size();
    const simdjson::dom::object object = v.get_object().value_unsafe();
    for (const auto field : object) out->push_back({field.key, field.value});
    // Most keys differ in their first byte: that is compared inline, before a call to memcmp.
    std::sort(out->begin() + static_cast<std::ptrdiff_t>(first), out->end(),
              [](const Member<Value>& a, const Member<Value>& b) {
                if (!a.key.empty() && !b.key.empty() && a.key[0] != b.key[0]) {
                  return static_cast<unsigned char>(a.key[0]) <
                         static_cast<unsigned char>(b.key[0]);
                }
                return a.key < b.key;
              });
  }
  // `v` as nlohmann::json, built in *storage (used for contexts, @type values and numbers).
  static const json& AsJson(Value v, json* storage) {
    *storage = codec::ToJson(v);
    return *storage;
  }
};

// A subject or object that is a node: an IRI (viewing a string that outlives the use) or a
// blank node by number.
struct Ref {
  bool blank = false;
  uint32_t node = 0;
  std::string_view iri;
};

// One walk over a document in form F. Every method returns false to decline; nothing is
// partial on purpose, the caller throws the lines away.
template <typename F>
class Direct {
 public:
  using Value = typename F::Value;

  Direct(const ExpandOptions& options, LineDataset& out, std::string_view omit)
      : options_(options),
        omit_(omit),
        out_(out),
        processor_(options.loader, options.cache,
                   ContextLimits{options.max_remote_depth, options.max_remote_loads,
                                 options.max_context_processing, 64}) {}

  bool Run(Value document) {
    out_.text.resize(8192);
    out_.quads.reserve(128);
    entries_.reserve(64);
    members_.reserve(64);
    const ContextPtr active = options_.cache->Initial(std::nullopt);
    if (!Top(active, document)) return false;
    out_.text.resize(used_);
    return true;
  }

 private:
  struct Depth {
    size_t& d;
    ~Depth() { --d; }
  };
  bool Count() { return ++nodes_ <= options_.max_nodes && depth_ + 1 <= options_.max_depth; }

  // A top-level element (active property null): scalars are dropped, arrays flattened, node
  // objects emitted without a referring triple.
  bool Top(const ContextPtr& active, Value element) {
    if (!Count()) return false;
    Depth guard{++depth_};
    if (F::IsArray(element)) {
      return F::Items(element, [&](Value item) { return Top(active, item); });
    }
    if (!F::IsObject(element)) return true;
    Ref ref;
    std::string storage;
    // The omitted member belongs to the document's own (top-level) object only.
    const std::string_view omit = depth_ == 1 ? omit_ : std::string_view();
    return Node(active, nullptr, element, &ref, &storage, omit);
  }

  // The value `element` of property `key` (definition `def` in `active`, predicate IRI
  // `predicate`) of `subject`.
  bool Element(const ContextPtr& active, std::string_view key, const TermDefinition* def,
               const Ref& subject, std::string_view predicate, Value element) {
    if (!Count()) return false;
    Depth guard{++depth_};
    if (F::IsNull(element)) return true;
    if (F::IsArray(element)) {
      return F::Items(
          element, [&](Value item) { return Element(active, key, def, subject, predicate, item); });
    }
    if (F::IsObject(element)) {
      Ref child;
      std::string storage;
      if (!Node(active, def, element, &child, &storage, {})) return false;
      return EmitRef(subject, predicate, child);
    }
    return Scalar(active, key, def, subject, predicate, element);
  }

  // Value Expansion (API 5.3.2) and Object to RDF (8.2) of a string, number or boolean.
  bool Scalar(const ContextPtr& active, std::string_view key, const TermDefinition* def,
              const Ref& subject, std::string_view predicate, Value value) {
    const ActiveContext* ctx = active.get();
    ContextPtr scoped;
    if (def != nullptr && def->context != nullptr) {
      ContextProcessor::Flags flags;
      flags.override_protected = true;
      auto result = processor_.ProcessScoped(active, *def, flags);
      if (!result.ok()) return false;
      scoped = *std::move(result);
      ctx = scoped.get();
      def = ctx->Find(key);
    }
    // A view, so that comparisons with keywords compare the sizes first.
    std::optional<std::string_view> type;
    if (def != nullptr && def->type) type = *def->type;
    if (type && F::IsString(value) && (*type == "@id" || *type == "@vocab")) {
      std::optional<std::string> iri = ExpandIri(*ctx, F::Str(value), true, *type == "@vocab");
      Ref object;
      std::string storage;
      if (!iri || !Identify(std::move(*iri), &object, &storage)) return false;
      return EmitRef(subject, predicate, object);
    }
    std::string_view datatype;
    const std::string* language = nullptr;
    if (type && *type != "@id" && *type != "@vocab" && *type != "@none") {
      datatype = *type;
      if (!def->rdf_type) return false;  // @json, or a type toRdf drops
    } else if (F::IsString(value)) {
      const std::optional<std::string>& lang =
          def != nullptr && def->has_language ? def->language : ctx->default_language();
      const std::optional<std::string>& direction =
          def != nullptr && def->has_direction ? def->direction : ctx->default_direction();
      if (direction) return false;
      if (lang) {
        if (!IsWellFormedLanguageTag(*lang)) return false;
        language = &*lang;
      }
    }
    if (datatype == kRdfLangString && language == nullptr) return false;  // toRdf drops it
    LineQuad& quad = StartLine(subject, predicate);
    Write('"');
    if (F::IsBool(value)) {
      Write(F::Bool(value) ? std::string_view("true") : std::string_view("false"));
      if (datatype.empty()) datatype = kXsdBoolean;
    } else if (F::IsNumber(value)) {
      json storage;
      const json& number = F::AsJson(value, &storage);
      if (datatype == kXsdDouble || NeedsXsdDouble(number)) {
        Write(FormatXsdDouble(number.get<double>()));
        if (datatype.empty()) datatype = kXsdDouble;
      } else {
        Write(FormatXsdInteger(number));
        if (datatype.empty()) datatype = kXsdInteger;
      }
    } else {
      const std::string_view literal = F::Str(value);
      used_ += WriteLiteralText(literal, Room(kMaxLiteralGrowth * literal.size()));
    }
    Write('"');
    if (language != nullptr) {
      Write('@');
      Write(*language);
    } else if (!datatype.empty() && datatype != kXsdString) {
      Write(std::string_view("^^<", 3));
      Write(datatype);
      Write('>');
    }
    EndLine(quad);
    return true;
  }

  // A node object (Expansion 5.1.2 steps 7-14 for the keys the direct path takes, then its
  // triples). `property_def` is the definition of the property it is the value of, looked up
  // in `active`, the context of the node holding it (nullptr at the top).
  bool Node(ContextPtr active, const TermDefinition* property_def, Value element, Ref* ref,
            std::string* storage, std::string_view omit) {
    const ContextPtr property_context = active;  // keeps property_def alive
    // The node's members, in key order, are members_[mb, me) (a stack shared by the recursion,
    // read by index since it grows).
    const size_t mb = members_.size();
    F::Members(element, &members_);
    const size_t me = members_.size();
    // Step 7: a non-propagated context reverts on entering a node object.
    if (active->previous() != nullptr) {
      bool keep = false;
      for (size_t m = mb; m < me && !keep; ++m) {
        const std::string_view key = members_[m].key;
        keep = IsExpandedTo(*active, key, "@value") ||
               (me - mb == 1 && IsExpandedTo(*active, key, "@id"));
      }
      if (!keep) active = active->previous();
    }
    // Step 8: property-scoped context.
    if (property_def != nullptr && property_def->context != nullptr) {
      ContextProcessor::Flags flags;
      flags.override_protected = true;
      auto result = processor_.ProcessScoped(active, *property_def, flags);
      if (!result.ok()) return false;
      active = *std::move(result);
    }
    // Step 9: embedded context. The usual one, a list of context URLs, is looked up without
    // building a JSON tree of it.
    for (size_t m = mb; m < me; ++m) {
      if (members_[m].key != "@context") continue;
      const Value local = members_[m].value;
      auto process = [&]() -> Result<ContextPtr> {
        context_urls_.clear();
        if (StringItems(local, &context_urls_)) {
          return processor_.ProcessStrings(active, context_urls_, F::IsString(local), options_.base,
                                           {});
        }
        json context_storage;
        return processor_.Process(active, F::AsJson(local, &context_storage), options_.base, {});
      };
      Result<ContextPtr> result = process();
      if (!result.ok()) return false;
      active = *std::move(result);
      break;  // names are unique
    }
    // Steps 10-11 (type-scoped contexts, each @type entry's values in code point order) in
    // the same pass as one lookup per entry, kept for the entries loop; the node's identifier
    // is found first, since its triples need it as their subject. A type-scoped context that
    // changes the definitions sends the entries through a second pass with the new context.
    const ContextPtr type_scoped = active;
    const size_t first = entries_.size();
    Value id{};
    bool has_id = false;
    bool apply_types = true;
    for (int pass = 0; pass < 2; ++pass) {
      const ActiveContext& ctx = apply_types ? *type_scoped : *active;
      for (size_t m = mb; m < me; ++m) {
        const std::string_view key = members_[m].key;
        const Value value = members_[m].value;
        if (key.empty()) return false;
        if (key == omit) continue;
        if (key[0] == '@') {
          if (key == "@context") continue;
          if (key == "@id") {
            if (has_id || !F::IsString(value)) return false;  // colliding keywords, bad @id
            id = value;
            has_id = true;
            continue;
          }
          if (key != "@type") return false;  // another keyword, or not a keyword at all
          if (apply_types && !ApplyTypes(&active, *type_scoped, value)) return false;
          entries_.push_back(Entry{key, value, nullptr});
          continue;
        }
        const TermDefinition* def = ctx.Find(key);
        if (def != nullptr && def->iri) {
          if (std::string_view(*def->iri) == "@id") {
            if (has_id || !F::IsString(value)) return false;
            id = value;
            has_id = true;
            continue;
          }
          if (apply_types && std::string_view(*def->iri) == "@type" &&
              !ApplyTypes(&active, *type_scoped, value)) {
            return false;
          }
        }
        entries_.push_back(Entry{key, value, def});
      }
      if (!apply_types || active.get() == type_scoped.get()) break;
      entries_.resize(first);
      has_id = false;
      apply_types = false;
    }
    if (!has_id) {
      *ref = Ref{true, out_.nodes++, {}};
    } else {
      std::optional<std::string> iri = ExpandIri(*active, F::Str(id), true, false);
      if (!iri || !Identify(std::move(*iri), ref, storage)) return false;
    }
    // Step 13: the entries.
    for (size_t e = first; e < entries_.size(); ++e) {
      const Entry entry = entries_[e];  // a copy: recursion grows entries_
      const std::string_view key = entry.key;
      const TermDefinition* def = entry.def;
      if (key[0] == '@') {
        if (!Types(*type_scoped, *ref, entry.value)) return false;
        continue;
      }
      std::string_view property;
      // The node's entries at this depth share one buffer, whose capacity is kept: most keys
      // of a credential expand through @vocab, and a string per entry would cost an
      // allocation each. (A deque: references stay valid as deeper levels are added.)
      while (property_buffers_.size() <= depth_) property_buffers_.emplace_back();
      std::string& property_storage = property_buffers_[depth_];
      property_storage.clear();
      if (def != nullptr) {
        // Safe mode rejects a term mapped to null; a keyword other than @type is left to the
        // full path; so is an IRI toRdf drops (relative, blank, ill-formed).
        if (!def->iri) return false;
        if (!def->rdf_iri) {
          if (std::string_view(*def->iri) != "@type" || !Types(*type_scoped, *ref, entry.value))
            return false;
          continue;
        }
        if ((def->type && std::string_view(*def->type) == "@json") || def->reverse ||
            (def->container & ~kContainerSet) != 0) {
          return false;
        }
        property = *def->iri;
      } else if (const std::optional<std::string>& vocab = active->vocab();
                 vocab && key.find(':') == std::string::npos && VocabJoins(*vocab, key)) {
        // IRI Expansion of a key that is no term, keyword or compact IRI: @vocab + key.
        property_storage.append(*vocab).append(key);
        property = property_storage;
      } else {
        std::optional<std::string> expanded = ExpandIri(*active, key, false, true);
        if (!expanded || !IsWellFormedIri(*expanded)) return false;
        property_storage = std::move(*expanded);
        property = property_storage;
      }
      if (!Element(active, key, def, *ref, property, entry.value)) return false;
    }
    entries_.resize(first);
    members_.resize(mb);
    return true;
  }

  // The strings of `value`, a string or an array of strings, into *out; false for anything
  // else.
  static bool StringItems(Value value, std::vector<std::string_view>* out) {
    if (F::IsString(value)) {
      out->push_back(F::Str(value));
      return true;
    }
    if (!F::IsArray(value)) return false;
    return F::Items(value, [&](Value item) {
      if (!F::IsString(item)) return false;
      out->push_back(F::Str(item));
      return true;
    });
  }

  // Applies the type-scoped contexts of a @type entry's values to *active.
  bool ApplyTypes(ContextPtr* active, const ActiveContext& type_scoped, Value types) {
    // Most types have no scoped context: then there is nothing to apply (or to convert).
    bool scoped = false;
    auto check = [&](Value t) {
      if (F::IsString(t)) {
        const TermDefinition* def = type_scoped.Find(F::Str(t));
        scoped |= def != nullptr && def->context != nullptr;
      }
      return true;
    };
    if (F::IsArray(types)) {
      F::Items(types, check);
    } else {
      check(types);
    }
    if (!scoped) return true;
    json storage;
    auto result = processor_.ApplyTypeScoped(*active, type_scoped, F::AsJson(types, &storage));
    if (!result.ok()) return false;
    *active = *std::move(result);
    return true;
  }

  // The @type entry `value` (expanded against the type-scoped context) as rdf:type triples.
  bool Types(const ActiveContext& type_scoped, const Ref& subject, Value value) {
    auto one = [&](Value t) {
      if (!F::IsString(t)) return false;
      const std::string_view term = F::Str(t);
      // IRI Expansion with vocab true gives a defined term's IRI as it is.
      if (term.empty() || term[0] != '@') {
        if (const TermDefinition* def = type_scoped.Find(term); def != nullptr) {
          if (!def->rdf_iri) return false;
          return EmitRef(subject, kRdfType, Ref{false, 0, *def->iri});
        }
      }
      std::optional<std::string> iri = ExpandIri(type_scoped, term, true, true);
      // Not absolute: safe mode rejects it; a blank node: left to the full path.
      if (!iri || !IsWellFormedIri(*iri)) return false;
      return EmitRef(subject, kRdfType, Ref{false, 0, *iri});
    };
    if (!F::IsArray(value)) return one(value);
    return F::Items(value, one);
  }

  // Whether @vocab + `key` is well-formed for RDF, known without scanning it all: `vocab` is
  // (checked once per vocabulary) and `key` holds no byte that IsWellFormedIri treats
  // specially. False means "not known", not "ill-formed".
  bool VocabJoins(const std::string& vocab, std::string_view key) {
    if (vocab != checked_vocab_) {
      checked_vocab_ = vocab;
      vocab_well_formed_ = IsWellFormedIri(vocab);
    }
    if (!vocab_well_formed_ || vocab.empty()) return false;
    for (const char ch : key) {
      const auto c = static_cast<unsigned char>(ch);
      if (c <= 0x20 || ch == '<' || ch == '>' || ch == '"' || ch == '{' || ch == '}' || ch == '|' ||
          ch == '^' || ch == '`' || ch == '\\' || ch == '#' || ch == '%') {
        return false;
      }
    }
    return true;
  }

  // `iri`, the expansion of an @id or of a value coerced to @id / @vocab, as a node: false
  // when safe mode rejects it (relative) or toRdf would drop it (ill-formed).
  bool Identify(std::string iri, Ref* ref, std::string* storage) {
    if (IsBlankNodeId(iri)) {
      auto [it, inserted] = labels_.try_emplace(std::move(iri), out_.nodes);
      if (inserted) ++out_.nodes;
      *ref = Ref{true, it->second, {}};
      return true;
    }
    if (!IsWellFormedIri(iri)) return false;
    *storage = std::move(iri);
    *ref = Ref{false, 0, *storage};
    return true;
  }

  // The lines are written at out_.text[used_]: the string is kept longer than what is
  // written (Run trims it), so that a piece costs a bounds check and a copy, not a call to
  // std::string::append.
  char* Room(size_t n) {
    std::string& text = out_.text;
    if (text.size() - used_ < n) text.resize(std::max(2 * text.size(), used_ + n));
    return text.data() + used_;
  }
  void Write(std::string_view piece) {
    if (piece.empty()) return;  // its data() may be null, which memcpy must not see
    std::memcpy(Room(piece.size()), piece.data(), piece.size());
    used_ += piece.size();
  }
  void Write(char c) {
    *Room(1) = c;
    ++used_;
  }
  uint32_t Offset(const LineQuad& quad) const { return static_cast<uint32_t>(used_) - quad.begin; }

  void Put(LineQuad& quad, const Ref& ref, LinePosition position) {
    if (ref.blank) {
      quad.cut[quad.blanks] = Offset(quad);
      quad.node[quad.blanks] = ref.node;
      quad.position[quad.blanks] = position;
      ++quad.blanks;
      return;
    }
    char* p = Room(ref.iri.size() + 2);
    *p = '<';
    std::memcpy(p + 1, ref.iri.data(), ref.iri.size());
    p[ref.iri.size() + 1] = '>';
    used_ += ref.iri.size() + 2;
  }

  LineQuad& StartLine(const Ref& subject, std::string_view predicate) {
    LineQuad& quad = out_.quads.emplace_back();
    quad.begin = static_cast<uint32_t>(used_);
    Put(quad, subject, LinePosition::kSubject);
    char* p = Room(predicate.size() + 4);
    p[0] = ' ';
    p[1] = '<';
    std::memcpy(p + 2, predicate.data(), predicate.size());
    p[predicate.size() + 2] = '>';
    p[predicate.size() + 3] = ' ';
    quad.predicate = Offset(quad) + 2;
    quad.predicate_size = static_cast<uint32_t>(predicate.size());
    used_ += predicate.size() + 4;
    return quad;
  }

  void EndLine(LineQuad& quad) {
    std::memcpy(Room(3), " .\n", 3);
    used_ += 3;
    quad.size = Offset(quad);
  }

  bool EmitRef(const Ref& subject, std::string_view predicate, const Ref& object) {
    LineQuad& quad = StartLine(subject, predicate);
    Put(quad, object, LinePosition::kObject);
    EndLine(quad);
    return true;
  }

  const ExpandOptions& options_;
  const std::string_view omit_;
  LineDataset& out_;
  ContextProcessor processor_;
  std::unordered_map<std::string, uint32_t> labels_;  // blank node identifier -> node
  // The entries of the node objects being walked, a stack shared by the recursion.
  struct Entry {
    std::string_view key;
    Value value;
    const TermDefinition* def;  // the key's definition in the node's context, if any
  };
  std::vector<Entry> entries_;
  std::vector<Member<Value>> members_;          // the members of the node objects being walked
  std::vector<std::string_view> context_urls_;  // scratch for an embedded context's URLs
  std::deque<std::string> property_buffers_;    // by depth: a property IRI being walked
  std::string checked_vocab_;                   // the vocabulary VocabJoins last checked
  bool vocab_well_formed_ = false;
  size_t nodes_ = 0;
  size_t depth_ = 0;
  size_t used_ = 0;  // bytes of out_.text written
};

// Whether the walk can take a call with these options at all.
bool Accepts(const ExpandOptions& options, std::string_view omit) {
  return options.safe_mode && options.cache != nullptr && options.expand_context == nullptr &&
         !options.base && (omit.empty() || omit[0] != '@');
}

}  // namespace

bool DirectToLines(const nlohmann::json& document, const ExpandOptions& options, LineDataset* lines,
                   std::string_view omit) {
  if (!Accepts(options, omit)) return false;
  Direct<NlohmannForm> direct(options, *lines, omit);
  return direct.Run(&document);
}

bool DirectToLines(simdjson::dom::element document, const ExpandOptions& options,
                   LineDataset* lines, std::string_view omit) {
  if (!Accepts(options, omit)) return false;
  Direct<SimdjsonForm> direct(options, *lines, omit);
  return direct.Run(document);
}

}  // namespace traceport::jsonld::internal
