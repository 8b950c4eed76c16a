#include "jsonld/internal/direct.h"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

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

// A subject or object that is a node: an IRI (viewing a string that outlives the use) or a
// blank node by number.
struct Ref {
  bool blank = false;
  uint32_t node = 0;
  std::string_view iri;
};

// One walk over a document. Every method returns false to decline; nothing is partial on
// purpose, the caller throws the lines away.
class Direct {
 public:
  Direct(const ExpandOptions& options, LineDataset& out, std::string_view omit)
      : options_(options),
        omit_(omit),
        out_(out),
        processor_(options.loader, options.cache,
                   ContextLimits{options.max_remote_depth, options.max_remote_loads,
                                 options.max_context_processing, 64}) {}

  bool Run(const json& document) {
    out_.text.reserve(8192);
    out_.quads.reserve(128);
    entries_.reserve(64);
    const ContextPtr active = options_.cache->Initial(std::nullopt);
    return Top(active, document);
  }

 private:
  struct Depth {
    size_t& d;
    ~Depth() { --d; }
  };
  bool Count() { return ++nodes_ <= options_.max_nodes && depth_ + 1 <= options_.max_depth; }

  // A top-level element (active property null): scalars are dropped, arrays flattened, node
  // objects emitted without a referring triple.
  bool Top(const ContextPtr& active, const json& element) {
    if (!Count()) return false;
    Depth guard{++depth_};
    if (element.is_array()) {
      for (const json& item : element) {
        if (!Top(active, item)) return false;
      }
      return true;
    }
    if (!element.is_object()) return true;
    Ref ref;
    std::string storage;
    // The omitted member belongs to the document's own (top-level) object only.
    const std::string_view omit = depth_ == 1 ? omit_ : std::string_view();
    return Node(active, nullptr, element, &ref, &storage, omit);
  }

  // The value `element` of property `key` (definition `def` in `active`, predicate IRI
  // `predicate`) of `subject`.
  bool Element(const ContextPtr& active, const std::string& key, const TermDefinition* def,
               const Ref& subject, std::string_view predicate, const json& element) {
    if (!Count()) return false;
    Depth guard{++depth_};
    if (element.is_null()) return true;
    if (element.is_array()) {
      for (const json& item : element) {
        if (!Element(active, key, def, subject, predicate, item)) return false;
      }
      return true;
    }
    if (element.is_object()) {
      Ref child;
      std::string storage;
      if (!Node(active, def, element, &child, &storage, {})) return false;
      return EmitRef(subject, predicate, child);
    }
    return Scalar(active, key, def, subject, predicate, element);
  }

  // Value Expansion (API 5.3.2) and Object to RDF (8.2) of a string, number or boolean.
  bool Scalar(const ContextPtr& active, const std::string& key, const TermDefinition* def,
              const Ref& subject, std::string_view predicate, const json& value) {
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
    const std::string* type = def != nullptr && def->type ? &*def->type : nullptr;
    if (type != nullptr && value.is_string() && (*type == "@id" || *type == "@vocab")) {
      std::optional<std::string> iri =
          ExpandIri(*ctx, value.get_ref<const std::string&>(), true, *type == "@vocab");
      Ref object;
      std::string storage;
      if (!iri || !Identify(std::move(*iri), &object, &storage)) return false;
      return EmitRef(subject, predicate, object);
    }
    std::string_view datatype;
    const std::string* language = nullptr;
    if (type != nullptr && *type != "@id" && *type != "@vocab" && *type != "@none") {
      datatype = *type;
      if (!def->rdf_type) return false;  // @json, or a type toRdf drops
    } else if (value.is_string()) {
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
    std::string& text = out_.text;
    text.push_back('"');
    if (value.is_boolean()) {
      text.append(value.get<bool>() ? "true" : "false");
      if (datatype.empty()) datatype = kXsdBoolean;
    } else if (value.is_number()) {
      if (datatype == kXsdDouble || NeedsXsdDouble(value)) {
        text.append(FormatXsdDouble(value.get<double>()));
        if (datatype.empty()) datatype = kXsdDouble;
      } else {
        text.append(FormatXsdInteger(value));
        if (datatype.empty()) datatype = kXsdInteger;
      }
    } else {
      AppendLiteralText(value.get_ref<const std::string&>(), &text);
    }
    text.push_back('"');
    if (language != nullptr) {
      text.push_back('@');
      text.append(*language);
    } else if (!datatype.empty() && datatype != kXsdString) {
      text.append("^^<", 3);
      text.append(datatype);
      text.push_back('>');
    }
    EndLine(quad);
    return true;
  }

  // A node object (Expansion 5.1.2 steps 7-14 for the keys the direct path takes, then its
  // triples). `property_def` is the definition of the property it is the value of, looked up
  // in `active`, the context of the node holding it (nullptr at the top).
  bool Node(ContextPtr active, const TermDefinition* property_def, const json& element, Ref* ref,
            std::string* storage, std::string_view omit) {
    const ContextPtr property_context = active;  // keeps property_def alive
    // Step 7: a non-propagated context reverts on entering a node object.
    if (active->previous() != nullptr) {
      bool keep = false;
      for (auto it = element.begin(); it != element.end() && !keep; ++it) {
        keep = IsExpandedTo(*active, it.key(), "@value") ||
               (element.size() == 1 && IsExpandedTo(*active, it.key(), "@id"));
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
    // Step 9: embedded context.
    if (auto it = element.find("@context"); it != element.end()) {
      auto result = processor_.Process(active, *it, options_.base, {});
      if (!result.ok()) return false;
      active = *std::move(result);
    }
    // Steps 10-11 (type-scoped contexts, each @type entry's values in code point order) in
    // the same pass as one lookup per entry, kept for the entries loop; the node's identifier
    // is found first, since its triples need it as their subject. A type-scoped context that
    // changes the definitions sends the entries through a second pass with the new context.
    const ContextPtr type_scoped = active;
    const size_t first = entries_.size();
    const json* id = nullptr;
    bool apply_types = true;
    for (int pass = 0; pass < 2; ++pass) {
      const ActiveContext& ctx = apply_types ? *type_scoped : *active;
      for (auto it = element.begin(); it != element.end(); ++it) {
        const std::string& key = it.key();
        if (key.empty()) return false;
        if (key == omit) continue;
        if (key[0] == '@') {
          if (key == "@context") continue;
          if (key == "@id") {
            if (id != nullptr || !it->is_string()) return false;  // colliding keywords, bad @id
            id = &*it;
            continue;
          }
          if (key != "@type") return false;  // another keyword, or not a keyword at all
          if (apply_types && !ApplyTypes(&active, *type_scoped, *it)) return false;
          entries_.push_back(Entry{&key, &*it, nullptr});
          continue;
        }
        const TermDefinition* def = ctx.Find(key);
        if (def != nullptr && def->iri) {
          if (*def->iri == "@id") {
            if (id != nullptr || !it->is_string()) return false;
            id = &*it;
            continue;
          }
          if (apply_types && *def->iri == "@type" && !ApplyTypes(&active, *type_scoped, *it)) {
            return false;
          }
        }
        entries_.push_back(Entry{&key, &*it, def});
      }
      if (!apply_types || active.get() == type_scoped.get()) break;
      entries_.resize(first);
      id = nullptr;
      apply_types = false;
    }
    if (id == nullptr) {
      *ref = Ref{true, out_.nodes++, {}};
    } else {
      std::optional<std::string> iri =
          ExpandIri(*active, id->get_ref<const std::string&>(), true, false);
      if (!iri || !Identify(std::move(*iri), ref, storage)) return false;
    }
    // Step 13: the entries.
    for (size_t e = first; e < entries_.size(); ++e) {
      const Entry entry = entries_[e];  // a copy: recursion grows entries_
      const std::string& key = *entry.key;
      const TermDefinition* def = entry.def;
      if (key[0] == '@') {
        if (!Types(*type_scoped, *ref, *entry.value)) return false;
        continue;
      }
      std::string_view property;
      std::string property_storage;
      if (def != nullptr) {
        // Safe mode rejects a term mapped to null; a keyword other than @type is left to the
        // full path; so is an IRI toRdf drops (relative, blank, ill-formed).
        if (!def->iri) return false;
        if (!def->rdf_iri) {
          if (*def->iri != "@type" || !Types(*type_scoped, *ref, *entry.value)) return false;
          continue;
        }
        if ((def->type && *def->type == "@json") || def->reverse ||
            (def->container & ~kContainerSet) != 0) {
          return false;
        }
        property = *def->iri;
      } else if (const std::optional<std::string>& vocab = active->vocab();
                 vocab && key.find(':') == std::string::npos && VocabJoins(*vocab, key)) {
        // IRI Expansion of a key that is no term, keyword or compact IRI: @vocab + key.
        property_storage.reserve(vocab->size() + key.size());
        property_storage.append(*vocab).append(key);
        property = property_storage;
      } else {
        std::optional<std::string> expanded = ExpandIri(*active, key, false, true);
        if (!expanded || !IsWellFormedIri(*expanded)) return false;
        property_storage = std::move(*expanded);
        property = property_storage;
      }
      if (!Element(active, key, def, *ref, property, *entry.value)) return false;
    }
    entries_.resize(first);
    return true;
  }

  // Applies the type-scoped contexts of a @type entry's values to *active.
  bool ApplyTypes(ContextPtr* active, const ActiveContext& type_scoped, const json& types) {
    auto result = processor_.ApplyTypeScoped(*active, type_scoped, types);
    if (!result.ok()) return false;
    *active = *std::move(result);
    return true;
  }

  // The @type entry `value` (expanded against the type-scoped context) as rdf:type triples.
  bool Types(const ActiveContext& type_scoped, const Ref& subject, const json& value) {
    auto one = [&](const json& t) {
      if (!t.is_string()) return false;
      const std::string& term = t.get_ref<const std::string&>();
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
    if (!value.is_array()) return one(value);
    for (const json& t : value) {
      if (!one(t)) return false;
    }
    return true;
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

  void Put(LineQuad& quad, const Ref& ref, LinePosition position) {
    std::string& text = out_.text;
    if (ref.blank) {
      quad.cut[quad.blanks] = static_cast<uint32_t>(text.size()) - quad.begin;
      quad.node[quad.blanks] = ref.node;
      quad.position[quad.blanks] = position;
      ++quad.blanks;
      return;
    }
    text.push_back('<');
    text.append(ref.iri);
    text.push_back('>');
  }

  LineQuad& StartLine(const Ref& subject, std::string_view predicate) {
    LineQuad& quad = out_.quads.emplace_back();
    std::string& text = out_.text;
    quad.begin = static_cast<uint32_t>(text.size());
    Put(quad, subject, LinePosition::kSubject);
    text.append(" <", 2);
    quad.predicate = static_cast<uint32_t>(text.size()) - quad.begin;
    quad.predicate_size = static_cast<uint32_t>(predicate.size());
    text.append(predicate);
    text.append("> ", 2);
    return quad;
  }

  void EndLine(LineQuad& quad) {
    out_.text.append(" .\n", 3);
    quad.size = static_cast<uint32_t>(out_.text.size()) - quad.begin;
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
    const std::string* key;
    const json* value;
    const TermDefinition* def;  // the key's definition in the node's context, if any
  };
  std::vector<Entry> entries_;
  std::string checked_vocab_;  // the vocabulary VocabJoins last checked
  bool vocab_well_formed_ = false;
  size_t nodes_ = 0;
  size_t depth_ = 0;
};

}  // namespace

bool DirectToLines(const nlohmann::json& document, const ExpandOptions& options, LineDataset* lines,
                   std::string_view omit) {
  if (!options.safe_mode || options.cache == nullptr || options.expand_context != nullptr ||
      options.base || (!omit.empty() && omit[0] == '@')) {
    return false;
  }
  Direct direct(options, *lines, omit);
  return direct.Run(document);
}

}  // namespace traceport::jsonld::internal
