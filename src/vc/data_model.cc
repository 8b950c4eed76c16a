#include "vc/data_model.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <map>
#include <set>
#include <utility>

#include "codec/json.h"
#include "did/did.h"

namespace traceport::vc {
namespace {

using nlohmann::json;

constexpr std::string_view kVerifiableCredential = "VerifiableCredential";
constexpr std::string_view kVerifiablePresentation = "VerifiablePresentation";
constexpr std::string_view kEnvelopedCredential = "EnvelopedVerifiableCredential";
constexpr std::string_view kEnvelopedPresentation = "EnvelopedVerifiablePresentation";

// ---------------------------------------------------------------------------------------------
// Text helpers. Messages quote document text through Quote so that they stay short, ASCII and
// printable whatever the document holds.

constexpr size_t kMaxQuotedBytes = 80;

std::string Quote(std::string_view text) {
  bool cut = false;
  if (text.size() > kMaxQuotedBytes) {
    size_t n = kMaxQuotedBytes;
    // Back up to the start of a UTF-8 sequence so the cut never splits a character.
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
    text = text.substr(0, n);
    cut = true;
  }
  std::string out;
  // Printable ASCII without '"' and '\\' is written as it is, which is what the JSON writer
  // below would produce for it; anything else goes through the writer (escapes, replacement).
  if (std::all_of(text.begin(), text.end(),
                  [](char c) { return c >= 0x20 && c <= 0x7e && c != '"' && c != '\\'; })) {
    out.reserve(text.size() + 5);
    out.push_back('"');
    out.append(text);
    out.push_back('"');
  } else {
    out = json(std::string(text))
              .dump(-1, ' ', /*ensure_ascii=*/true, json::error_handler_t::replace);
  }
  if (cut) out.insert(out.size() - 1, "...");
  return out;
}

// "got \"text\"" for strings, "got number" and so on for other values.
std::string Got(const json& value) {
  if (value.is_string()) return "got " + Quote(value.get_ref<const std::string&>());
  return "got " + codec::JsonTypeName(value);
}

std::string DescribeByte(unsigned char c) {
  if (c == ' ') return "a space";
  if (c > 0x20 && c < 0x7f) return std::string("'") + static_cast<char>(c) + "'";
  char buf[16];
  std::snprintf(buf, sizeof(buf), "byte 0x%02x", c);
  return buf;
}

std::string Child(std::string_view base, std::string_view key) {
  std::string out(base);
  out += '/';
  out += PointerToken(key);
  return out;
}

std::string Child(std::string_view base, size_t index) {
  std::string out(base);
  out += '/';
  out += std::to_string(index);
  return out;
}

const json* Member(const json& object, const std::string& key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

bool IsString(const json& value, std::string_view text) {
  return value.is_string() && value.get_ref<const std::string&>() == text;
}

// True when `type` is `name` or an array holding it.
bool HasType(const json& document, std::string_view name) {
  const json* type = Member(document, "type");
  if (type == nullptr) return false;
  if (type->is_array()) {
    for (const json& item : *type) {
      if (IsString(item, name)) return true;
    }
    return false;
  }
  return IsString(*type, name);
}

// ---------------------------------------------------------------------------------------------
// Character classes (RFC 3986 §2, RFC 6838 §4.2, RFC 5646 §2.1).

constexpr bool IsAlpha(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }
constexpr bool IsAlnum(unsigned char c) { return IsAlpha(c) || IsDigit(c); }
constexpr bool IsHex(unsigned char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
constexpr bool IsSchemeChar(unsigned char c) {
  return IsAlnum(c) || c == '+' || c == '-' || c == '.';
}
constexpr bool IsUnreserved(unsigned char c) {
  return IsAlnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}
constexpr bool IsSubDelim(unsigned char c) {
  switch (c) {
    case '!':
    case '$':
    case '&':
    case '\'':
    case '(':
    case ')':
    case '*':
    case '+':
    case ',':
    case ';':
    case '=':
      return true;
    default:
      return false;
  }
}

// The ASCII characters a URL may carry as they are, anywhere after its scheme: unreserved,
// sub-delims, ':', '@', '/' and '?'. ('%', '#', '[' and ']' have rules of their own.)
constexpr std::array<bool, 128> MakePlainUrlChars() {
  std::array<bool, 128> table{};
  for (unsigned char c = 0; c < 128; ++c) {
    table[c] = IsUnreserved(c) || IsSubDelim(c) || c == ':' || c == '@' || c == '/' || c == '?';
  }
  return table;
}
constexpr std::array<bool, 128> kPlainUrlChars = MakePlainUrlChars();

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    unsigned char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<unsigned char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<unsigned char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// type "/" subtype with RFC 6838 restricted-name characters.
bool IsMediaType(std::string_view text) {
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == text.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (i == slash) continue;
    const unsigned char c = text[i];
    if (!IsAlnum(c) &&
        std::string_view("!#$&-^_.+").find(static_cast<char>(c)) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

// Well-formed in the simple sense: subtags of 1..8 letters or digits separated by '-', the first
// made of letters only ("en", "fr-CA", "zh-Hant-TW", "x-private").
bool IsLanguageTag(std::string_view text) {
  if (text.empty()) return false;
  size_t start = 0;
  bool first = true;
  while (true) {
    size_t end = text.find('-', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view subtag = text.substr(start, end - start);
    if (subtag.empty() || subtag.size() > 8) return false;
    for (unsigned char c : subtag) {
      if (first ? !IsAlpha(c) : !IsAlnum(c)) return false;
    }
    first = false;
    if (end == text.size()) return true;
    start = end + 1;
  }
}

// An IRI mapping in an inline context: a keyword, a compact or absolute IRI, or a relative
// reference. JSON-LD rejects mappings that are not IRIs; the ones that show up in practice hold
// whitespace or characters IRIs exclude.
bool IsIriMapping(std::string_view text) {
  if (text.empty()) return false;
  for (unsigned char c : text) {
    if (c <= 0x20 || c == 0x7f) return false;
    if (std::string_view("<>\"{}|\\^`").find(static_cast<char>(c)) != std::string_view::npos) {
      return false;
    }
  }
  return true;
}

// A JWS compact serialization: three base64url segments, the first two non-empty. VCDM 1.1
// presentations secured as JWTs carry their credentials this way.
bool LooksLikeCompactJws(std::string_view text) {
  size_t dots = 0;
  size_t segment_length = 0;
  for (unsigned char c : text) {
    if (c == '.') {
      if (segment_length == 0) return false;
      ++dots;
      segment_length = 0;
    } else if (IsAlnum(c) || c == '-' || c == '_') {
      ++segment_length;
    } else {
      return false;
    }
  }
  return dots == 2;
}

// ---------------------------------------------------------------------------------------------
// Dates. VCDM 2.0 dates are xsd:dateTimeStamp (a time zone is required), VCDM 1.1 dates
// xsd:dateTime (a missing zone is read as UTC). Both are parsed in their RFC 3339 form by
// ParseRfc3339, with XML Schema's stricter rules added on top: uppercase 'T' and 'Z', and
// offsets of at most 14:00.

// An instant over years 0000..9999, which Time (nanoseconds in int64, ~1678..2261) cannot hold.
struct WideTime {
  int64_t seconds = 0;  // since the Unix epoch
  int64_t nanos = 0;    // 0..999,999,999
  friend auto operator<=>(const WideTime&, const WideTime&) = default;
};

// The Gregorian calendar repeats exactly every 400 years (146,097 days).
constexpr int64_t kSecondsPer400Years = int64_t{146097} * 86400;
constexpr int kShiftBaseYear = 1800;  // shifted years land in 1800..2199

WideTime Widen(Time t) {
  const auto whole = std::chrono::floor<std::chrono::seconds>(t);
  return WideTime{whole.time_since_epoch().count(), (t - whole).count()};
}

Status DateError(size_t offset, const std::string& what) {
  return InvalidArgumentError("rfc3339: " + what + " at offset " + std::to_string(offset));
}

Result<WideTime> ParseDateTime(std::string_view text, bool zone_optional) {
  std::string s(text);
  if (s.size() > 10 && s[10] == 't') return DateError(10, "lowercase 't' (XML Schema needs 'T')");
  // Find where the zone starts: after "YYYY-MM-DDThh:mm:ss" and an optional fraction.
  size_t zone = 19;
  if (zone < s.size() && s[zone] == '.') {
    ++zone;
    while (zone < s.size() && IsDigit(static_cast<unsigned char>(s[zone]))) ++zone;
  }
  if (zone_optional && zone == s.size() && s.size() >= 19) s += 'Z';
  if (zone < s.size() && s[zone] == 'z') {
    return DateError(zone, "lowercase 'z' (XML Schema needs 'Z')");
  }
  // Move the year into the range Time can represent by whole 400-year cycles.
  int64_t cycles = 0;
  if (s.size() >= 4 && IsDigit(s[0]) && IsDigit(s[1]) && IsDigit(s[2]) && IsDigit(s[3])) {
    const int year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    const int delta = year - kShiftBaseYear;
    cycles = delta >= 0 ? delta / 400 : -((-delta + 399) / 400);
    int shifted = year - static_cast<int>(cycles) * 400;  // 1800..2199: four digits
    for (int i = 3; i >= 0; --i, shifted /= 10) s[static_cast<size_t>(i)] = '0' + shifted % 10;
  }
  auto parsed = ParseRfc3339(s);
  if (!parsed.ok()) return parsed.status();
  if (zone + 5 < s.size() && (s[zone] == '+' || s[zone] == '-')) {
    const int minutes = ((s[zone + 1] - '0') * 10 + (s[zone + 2] - '0')) * 60 +
                        (s[zone + 4] - '0') * 10 + (s[zone + 5] - '0');
    if (minutes > 14 * 60) return DateError(zone, "time zone offset beyond 14:00");
  }
  WideTime out = Widen(*parsed);
  out.seconds += cycles * kSecondsPer400Years;
  return out;
}

// ---------------------------------------------------------------------------------------------
// What the validator knows about the active JSON-LD context. It does not load remote contexts:
// it knows the two base contexts' top-level terms and reads inline context objects, which is
// enough to find protected-term redefinitions and type terms that map to nothing.

struct BaseTerm {
  std::string_view name;
  // The IRI when the base context defines the term by a plain IRI (or {"@id": IRI}), so that
  // an identical redefinition can be allowed; empty when the definition is richer.
  std::string_view iri;
};

constexpr BaseTerm kV2Terms[] = {
    {"id", "@id"},
    {"type", "@type"},
    {"description", "https://schema.org/description"},
    {"digestMultibase", ""},
    {"digestSRI", ""},
    {"mediaType", ""},
    {"name", "https://schema.org/name"},
    {"VerifiableCredential", ""},
    {"EnvelopedVerifiableCredential",
     "https://www.w3.org/2018/credentials#EnvelopedVerifiableCredential"},
    {"VerifiablePresentation", ""},
    {"EnvelopedVerifiablePresentation",
     "https://www.w3.org/2018/credentials#EnvelopedVerifiablePresentation"},
    {"JsonSchemaCredential", "https://www.w3.org/2018/credentials#JsonSchemaCredential"},
    {"JsonSchema", ""},
    {"BitstringStatusListCredential",
     "https://www.w3.org/ns/credentials/status#BitstringStatusListCredential"},
    {"BitstringStatusList", ""},
    {"BitstringStatusListEntry", ""},
    {"DataIntegrityProof", ""},
    {"...", "https://www.iana.org/assignments/jwt#..."},
    {"_sd", ""},
    {"_sd_alg", ""},
    {"aud", ""},
    {"cnf", ""},
    {"exp", ""},
    {"iat", ""},
    {"iss", ""},
    {"jku", ""},
    {"kid", ""},
    {"nbf", ""},
    {"sub", ""},
    {"x5u", ""},
};

constexpr BaseTerm kV1Terms[] = {
    {"id", "@id"},
    {"type", "@type"},
    {"VerifiableCredential", ""},
    {"VerifiablePresentation", ""},
    {"EcdsaSecp256k1Signature2019", ""},
    {"EcdsaSecp256r1Signature2019", ""},
    {"Ed25519Signature2018", ""},
    {"RsaSignature2018", ""},
    {"proof", ""},
};

const BaseTerm* FindBaseTerm(VcVersion version, std::string_view name) {
  auto find = [name](const auto& table) -> const BaseTerm* {
    for (const BaseTerm& term : table) {
      if (term.name == name) return &term;
    }
    return nullptr;
  };
  return version == VcVersion::k2_0 ? find(kV2Terms) : find(kV1Terms);
}

// A term definition in the form JSON-LD compares: {"@id": ...} for a plain IRI, and without the
// @protected flag, which does not take part in the comparison.
json NormalizedDefinition(const json& definition) {
  if (definition.is_string()) return json::object({{"@id", definition}});
  if (!definition.is_object()) return definition;
  json out = definition;
  out.erase("@protected");
  return out;
}

bool SameAsBase(const BaseTerm& base, const json& definition) {
  if (base.iri.empty()) return false;
  const json normalized = NormalizedDefinition(definition);
  return normalized.is_object() && normalized.size() == 1 &&
         IsString(normalized.value("@id", json()), base.iri);
}

std::optional<VcVersion> BaseVersion(const json& item) {
  if (IsString(item, kCredentialsContextV2)) return VcVersion::k2_0;
  if (IsString(item, kCredentialsContextV1)) return VcVersion::k1_1;
  return std::nullopt;
}

struct ProtectedTerm {
  json definition;
  std::string where;  // pointer to the context object that protected it
};

struct ContextState {
  // The version this document declares with its first @context item (or, when that item is
  // wrong, with the first base context found later, so that the other rules still apply).
  std::optional<VcVersion> version;
  // Pointer to the first @context item, where version problems are reported.
  std::string first_pointer;
  // The base context whose protected terms are in effect.
  std::optional<VcVersion> active_base;
  std::set<std::string, std::less<>> inline_terms;
  std::map<std::string, ProtectedTerm, std::less<>> protected_terms;
  bool remote_unknown = false;  // some context we cannot see into may define anything
  bool vocab = false;           // an inline @vocab maps every undefined term
};

// ---------------------------------------------------------------------------------------------

class Validator {
 public:
  explicit Validator(const ValidationOptions& options) : options_(options) {}

  std::vector<Problem> Take() { return std::move(problems_); }

  void Credential(const json& vc, const std::string& at, const ContextState* parent);
  void Presentation(const json& vp, const std::string& at);

 private:
  void Add(std::string pointer, std::string message) {
    problems_.push_back(Problem{std::move(pointer), std::move(message)});
  }

  std::string ExpectedBase() const;
  ContextState Context(const json& doc, const std::string& at, const ContextState* parent);
  void InlineContext(const json& context, const std::string& at, ContextState& state);

  std::optional<std::vector<std::pair<std::string, std::string>>> TypeItems(
      const json& type, const std::string& at, const std::string& what);
  void RequiredType(const json& doc, const std::string& at, std::string_view required,
                    const ContextState& state, bool check_terms);
  void EntryType(const json& entry, const std::string& at, const std::string& what);

  void UrlValue(const json& value, const std::string& at, const std::string& what);
  void OptionalId(const json& doc, const std::string& at, const std::string& what);
  void Party(const json& doc, const std::string& at, const std::string& member, bool required,
             VcVersion version);
  void LanguageValue(const json& doc, const std::string& at, const std::string& member);
  void LanguageObject(const json& value, const std::string& at);
  void Subjects(const json& vc, const std::string& at);
  void Date(const json& doc, const std::string& at, const std::string& member, bool required,
            bool zone_optional);
  template <typename Check>
  void Entries(const json& doc, const std::string& at, const std::string& member, Check check);
  void TypedEntries(const json& doc, const std::string& at, const std::string& member,
                    bool id_required);
  void RelatedResources(const json& vc, const std::string& at);
  void Proofs(const json& doc, const std::string& at);
  void Envelope(const json& doc, const std::string& at, std::string_view type_name,
                const ContextState& state);
  void DataUrl(const json& value, const std::string& at);
  void EmbeddedCredentials(const json& vp, const std::string& at, const ContextState& state);

  const ValidationOptions& options_;
  std::vector<Problem> problems_;
};

std::string Validator::ExpectedBase() const {
  if (options_.require_v2 || !options_.allow_v1_1) return Quote(kCredentialsContextV2);
  return Quote(kCredentialsContextV2) + " (VCDM 2.0) or " + Quote(kCredentialsContextV1) +
         " (VCDM 1.1)";
}

ContextState Validator::Context(const json& doc, const std::string& at,
                                const ContextState* parent) {
  ContextState state;
  if (parent != nullptr) {
    state = *parent;
    state.version.reset();
  }
  const std::string pointer = Child(at, "@context");
  state.first_pointer = pointer;
  const json* context = Member(doc, "@context");
  if (context == nullptr) {
    Add(pointer, "@context is missing; its first item must be " + ExpectedBase());
    return state;
  }
  std::vector<std::pair<const json*, std::string>> items;
  if (context->is_string()) {
    items.emplace_back(context, pointer);  // a single context may stand alone
  } else if (context->is_array()) {
    for (size_t i = 0; i < context->size(); ++i) {
      items.emplace_back(&(*context)[i], Child(pointer, i));
    }
  } else {
    Add(pointer,
        "@context must be an array whose first item is " + ExpectedBase() + ", " + Got(*context));
    return state;
  }
  if (items.empty()) {
    Add(pointer, "@context must not be empty; its first item must be " + ExpectedBase());
    return state;
  }
  state.first_pointer = items[0].second;

  const std::optional<VcVersion> named = BaseVersion(*items[0].first);
  if (!named) {
    Add(items[0].second,
        "the first @context item must be " + ExpectedBase() + ", " + Got(*items[0].first));
    for (const auto& item : items) {
      if (auto later = BaseVersion(*item.first)) {
        state.version = later;
        break;
      }
    }
  } else {
    state.version = named;
    if (*named == VcVersion::k1_1 && options_.require_v2) {
      Add(items[0].second, "issuing requires VCDM 2.0: the first @context item must be " +
                               Quote(kCredentialsContextV2) + ", got " +
                               Quote(kCredentialsContextV1));
    } else if (*named == VcVersion::k1_1 && !options_.allow_v1_1) {
      Add(items[0].second,
          "VCDM 1.1 documents are not accepted here: the first @context item "
          "must be " +
              Quote(kCredentialsContextV2));
    }
  }

  for (size_t i = 0; i < items.size(); ++i) {
    const json& item = *items[i].first;
    const std::string& where = items[i].second;
    if (const std::optional<VcVersion> base = BaseVersion(item)) {
      if (state.active_base && *state.active_base != *base) {
        if (i == 0 && parent != nullptr) {
          Add(where,
              "an embedded document must use the data model of the presentation around it "
              "(VCDM " +
                  std::string(VcVersionName(*state.active_base)) +
                  "): the protected terms of the 1.1 and 2.0 base contexts conflict");
        } else {
          Add(where,
              "the VCDM 1.1 and 2.0 base contexts cannot be combined: their protected "
              "terms conflict");
        }
      }
      // Repeating the active base context redefines its terms identically, which is allowed.
      state.active_base = base;
      continue;
    }
    if (item.is_string()) {
      const Status url = CheckAbsoluteUrl(item.get_ref<const std::string&>());
      if (!url.ok()) {
        Add(where, "@context items must be URLs or context objects: " + std::string(url.message()));
      } else {
        state.remote_unknown = true;
      }
    } else if (item.is_object()) {
      InlineContext(item, where, state);
    } else {
      Add(where, "@context items must be URL strings or context objects, " + Got(item));
    }
  }
  return state;
}

void Validator::InlineContext(const json& context, const std::string& at, ContextState& state) {
  bool protect_all = false;
  if (const json* p = Member(context, "@protected"); p != nullptr && p->is_boolean()) {
    protect_all = p->get<bool>();
  }
  for (const auto& [term, definition] : context.items()) {
    if (term == "@vocab") {
      state.vocab = definition.is_string();  // null switches it off
      continue;
    }
    if (!term.empty() && term[0] == '@') continue;  // @version, @base, @protected, ...
    const std::string where = Child(at, term);
    if (!definition.is_null() && !definition.is_string() && !definition.is_object()) {
      Add(where, "the definition of term " + Quote(term) +
                     " must be a string, an object or null, " + Got(definition));
      continue;
    }
    const json* iri = definition.is_string() ? &definition : Member(definition, "@id");
    if (iri != nullptr && iri->is_string() && !IsIriMapping(iri->get_ref<const std::string&>())) {
      Add(definition.is_string() ? where : Child(where, "@id"),
          "term " + Quote(term) + " maps to " + Quote(iri->get_ref<const std::string&>()) +
              ", which is not a URL");
    }
    const BaseTerm* base = state.active_base ? FindBaseTerm(*state.active_base, term) : nullptr;
    if (base != nullptr && !SameAsBase(*base, definition)) {
      Add(where, "redefines " + Quote(term) + ", a protected term of the base context");
    } else if (auto it = state.protected_terms.find(term);
               it != state.protected_terms.end() &&
               NormalizedDefinition(it->second.definition) != NormalizedDefinition(definition)) {
      Add(where,
          "redefines " + Quote(term) + ", which the context at " + it->second.where + " protects");
    }
    if (definition.is_null()) {
      state.inline_terms.erase(term);
    } else {
      state.inline_terms.insert(term);
    }
    bool protect = protect_all;
    if (const json* p = Member(definition, "@protected"); p != nullptr && p->is_boolean()) {
      protect = p->get<bool>();
    }
    if (protect && state.protected_terms.find(term) == state.protected_terms.end()) {
      state.protected_terms.emplace(term, ProtectedTerm{definition, at});
    }
  }
}

std::optional<std::vector<std::pair<std::string, std::string>>> Validator::TypeItems(
    const json& type, const std::string& at, const std::string& what) {
  std::vector<std::pair<std::string, std::string>> out;
  if (type.is_string()) {
    out.emplace_back(type.get_ref<const std::string&>(), at);
    return out;
  }
  if (!type.is_array()) {
    Add(at, what + " must be a string or an array of strings, " + Got(type));
    return std::nullopt;
  }
  for (size_t i = 0; i < type.size(); ++i) {
    const json& item = type[i];
    if (item.is_string()) {
      out.emplace_back(item.get_ref<const std::string&>(), Child(at, i));
    } else {
      Add(Child(at, i), what + " values must be strings, " + Got(item));
    }
  }
  return out;
}

void Validator::RequiredType(const json& doc, const std::string& at, std::string_view required,
                             const ContextState& state, bool check_terms) {
  const std::string pointer = Child(at, "type");
  const json* type = Member(doc, "type");
  if (type == nullptr) {
    Add(pointer, "type is missing; it must include " + Quote(required));
    return;
  }
  const auto items = TypeItems(*type, pointer, "type");
  if (!items) return;
  bool found = false;
  for (const auto& item : *items) found = found || item.first == required;
  if (!found) Add(pointer, "type must include " + Quote(required));
  if (!check_terms) return;

  // Each value must be a URL or a term that maps to one.
  const bool terms_knowable = state.active_base && !state.remote_unknown && !state.vocab;
  for (const auto& [value, where] : *items) {
    if (value.find(':') != std::string::npos) {
      const Status url = CheckAbsoluteUrl(value);
      if (!url.ok()) {
        Add(where,
            "type " + Quote(value) + " is neither a term nor a URL: " + std::string(url.message()));
      }
    } else if (terms_knowable && FindBaseTerm(*state.active_base, value) == nullptr &&
               state.inline_terms.find(value) == state.inline_terms.end()) {
      Add(where, "type " + Quote(value) +
                     " is not defined by any @context and no @vocab applies, so it does not "
                     "map to a URL");
    }
  }
}

void Validator::EntryType(const json& entry, const std::string& at, const std::string& what) {
  const std::string pointer = Child(at, "type");
  const json* type = Member(entry, "type");
  if (type == nullptr) {
    Add(pointer, "each " + what + " entry must have a type");
    return;
  }
  const auto items = TypeItems(*type, pointer, what + " type");
  if (items && type->is_array() && type->empty()) {
    Add(pointer, what + " type must not be an empty array");
  }
}

void Validator::UrlValue(const json& value, const std::string& at, const std::string& what) {
  if (!value.is_string()) {
    Add(at, what + " must be a URL string, " + Got(value));
    return;
  }
  const Status url = CheckAbsoluteUrl(value.get_ref<const std::string&>());
  if (!url.ok()) Add(at, what + " must be a URL: " + std::string(url.message()));
}

void Validator::OptionalId(const json& doc, const std::string& at, const std::string& what) {
  if (const json* id = Member(doc, "id")) UrlValue(*id, Child(at, "id"), what);
}

void Validator::Party(const json& doc, const std::string& at, const std::string& member,
                      bool required, VcVersion version) {
  const std::string pointer = Child(at, member);
  const json* value = Member(doc, member);
  if (value == nullptr) {
    if (required) Add(pointer, member + " is missing; it must be a URL or an object with an id");
    return;
  }
  if (value->is_string()) {
    UrlValue(*value, pointer, member);
    return;
  }
  if (!value->is_object()) {
    Add(pointer, member + " must be a URL or an object with an id, " + Got(*value));
    return;
  }
  if (const json* id = Member(*value, "id")) {
    UrlValue(*id, Child(pointer, "id"), member + " id");
  } else {
    Add(Child(pointer, "id"), "the " + member + " object has no id; it must be a URL");
  }
  if (version == VcVersion::k2_0 && member == "issuer") {
    LanguageValue(*value, pointer, "name");
    LanguageValue(*value, pointer, "description");
  }
}

void Validator::LanguageValue(const json& doc, const std::string& at, const std::string& member) {
  const json* value = Member(doc, member);
  if (value == nullptr || value->is_string()) return;
  const std::string pointer = Child(at, member);
  if (value->is_object()) {
    LanguageObject(*value, pointer);
    return;
  }
  if (!value->is_array()) {
    Add(pointer,
        member + " must be a string, a language value object or an array of them, " + Got(*value));
    return;
  }
  for (size_t i = 0; i < value->size(); ++i) {
    const json& item = (*value)[i];
    if (item.is_object()) {
      LanguageObject(item, Child(pointer, i));
    } else if (!item.is_string()) {
      Add(Child(pointer, i),
          member + " entries must be strings or language value objects, " + Got(item));
    }
  }
}

void Validator::LanguageObject(const json& value, const std::string& at) {
  if (Member(value, "@value") == nullptr) {
    Add(Child(at, "@value"), "a language value object must have @value");
  }
  for (const auto& [key, item] : value.items()) {
    const std::string where = Child(at, key);
    if (key == "@value") {
      if (!item.is_string()) Add(where, "@value must be a string, " + Got(item));
    } else if (key == "@language") {
      if (!item.is_string()) {
        Add(where, "@language must be a string, " + Got(item));
      } else if (!IsLanguageTag(item.get_ref<const std::string&>())) {
        Add(where, Quote(item.get_ref<const std::string&>()) +
                       " is not a well-formed BCP 47 language tag");
      }
    } else if (key == "@direction") {
      if (!IsString(item, "ltr") && !IsString(item, "rtl")) {
        Add(where, "@direction must be \"ltr\" or \"rtl\", " + Got(item));
      }
    } else {
      Add(where,
          "a language value object may contain only @value, @language and @direction, "
          "not " +
              Quote(key));
    }
  }
}

void Validator::Subjects(const json& vc, const std::string& at) {
  const std::string pointer = Child(at, "credentialSubject");
  if (Member(vc, "credentialSubject") == nullptr) {
    Add(pointer, "credentialSubject is missing; it must hold claims about one or more subjects");
    return;
  }
  Entries(vc, at, "credentialSubject", [this](const json& subject, const std::string& where) {
    if (subject.empty()) {
      Add(where, "a credentialSubject must make at least one claim; this one is empty");
      return;
    }
    OptionalId(subject, where, "credentialSubject id");
  });
}

void Validator::Date(const json& doc, const std::string& at, const std::string& member,
                     bool required, bool zone_optional) {
  const std::string pointer = Child(at, member);
  const char* kind = zone_optional ? "an XML Schema dateTime" : "an XML Schema dateTimeStamp";
  const json* value = Member(doc, member);
  if (value == nullptr) {
    if (required) Add(pointer, member + " is missing; it must be " + kind);
    return;
  }
  if (!value->is_string()) {
    Add(pointer, member + " must be " + kind + " string, " + Got(*value));
    return;
  }
  const auto parsed = ParseDateTime(value->get_ref<const std::string&>(), zone_optional);
  if (!parsed.ok()) {
    Add(pointer, member + " must be " + kind + " such as \"2024-01-01T00:00:00Z\": " +
                     std::string(parsed.status().message()));
  }
}

template <typename Check>
void Validator::Entries(const json& doc, const std::string& at, const std::string& member,
                        Check check) {
  const json* value = Member(doc, member);
  if (value == nullptr) return;
  const std::string pointer = Child(at, member);
  if (value->is_object()) {
    check(*value, pointer);
    return;
  }
  if (!value->is_array()) {
    Add(pointer, member + " must be an object or an array of objects, " + Got(*value));
    return;
  }
  if (value->empty()) {
    Add(pointer, member + " must not be an empty array");
    return;
  }
  for (size_t i = 0; i < value->size(); ++i) {
    const json& item = (*value)[i];
    if (item.is_object()) {
      check(item, Child(pointer, i));
    } else {
      Add(Child(pointer, i), "each " + member + " entry must be an object, " + Got(item));
    }
  }
}

void Validator::TypedEntries(const json& doc, const std::string& at, const std::string& member,
                             bool id_required) {
  Entries(doc, at, member, [&](const json& entry, const std::string& where) {
    if (const json* id = Member(entry, "id")) {
      UrlValue(*id, Child(where, "id"), member + " id");
    } else if (id_required) {
      Add(Child(where, "id"), "each " + member + " entry must have an id (a URL)");
    }
    EntryType(entry, where, member);
  });
}

void Validator::RelatedResources(const json& vc, const std::string& at) {
  Entries(vc, at, "relatedResource", [&](const json& entry, const std::string& where) {
    if (const json* id = Member(entry, "id")) {
      UrlValue(*id, Child(where, "id"), "relatedResource id");
    } else {
      Add(Child(where, "id"), "each relatedResource entry must have an id (a URL)");
    }
    if (Member(entry, "digestSRI") == nullptr && Member(entry, "digestMultibase") == nullptr) {
      Add(where, "each relatedResource entry must have digestSRI or digestMultibase");
    }
  });
}

void Validator::Proofs(const json& doc, const std::string& at) {
  Entries(doc, at, "proof",
          [&](const json& proof, const std::string& where) { EntryType(proof, where, "proof"); });
}

void Validator::DataUrl(const json& value, const std::string& at) {
  if (!value.is_string()) {
    Add(at, "id must be a data: URL string, " + Got(value));
    return;
  }
  const std::string& text = value.get_ref<const std::string&>();
  const Status url = CheckAbsoluteUrl(text);
  if (!url.ok()) {
    Add(at, "id must be a data: URL: " + std::string(url.message()));
    return;
  }
  if (!EqualsIgnoreCase(std::string_view(text).substr(0, 5), "data:")) {
    Add(at, "id must be a data: URL (RFC 2397) holding the secured document, got " + Quote(text));
    return;
  }
  const size_t comma = text.find(',', 5);
  if (comma == std::string::npos) {
    Add(at, "the data: URL has no ',' before its payload");
    return;
  }
  const std::string_view header = std::string_view(text).substr(5, comma - 5);
  const std::string_view media_type = header.substr(0, header.find(';'));
  if (!media_type.empty() && !IsMediaType(media_type)) {
    Add(at, "the data: URL media type " + Quote(media_type) + " is not of the form type/subtype");
  }
  if (comma + 1 == text.size()) Add(at, "the data: URL carries no payload");
}

void Validator::Envelope(const json& doc, const std::string& at, std::string_view type_name,
                         const ContextState& state) {
  if (state.version && *state.version != VcVersion::k2_0) {
    Add(state.first_pointer, std::string(type_name) +
                                 " needs VCDM 2.0: the first @context item "
                                 "must be " +
                                 Quote(kCredentialsContextV2));
  }
  RequiredType(doc, at, type_name, state, /*check_terms=*/false);
  if (const json* id = Member(doc, "id")) {
    DataUrl(*id, Child(at, "id"));
  } else {
    Add(Child(at, "id"), "id is missing; an " + std::string(type_name) +
                             " carries the secured document as a data: URL");
  }
}

void Validator::Credential(const json& vc, const std::string& at, const ContextState* parent) {
  if (!vc.is_object()) {
    Add(at, "a verifiable credential must be a JSON object, " + Got(vc));
    return;
  }
  const ContextState state = Context(vc, at, parent);
  if (HasType(vc, kEnvelopedCredential)) {
    Envelope(vc, at, kEnvelopedCredential, state);
    return;
  }
  const VcVersion version = state.version.value_or(VcVersion::k2_0);
  const bool v1 = version == VcVersion::k1_1;
  OptionalId(vc, at, "id");
  RequiredType(vc, at, kVerifiableCredential, state, /*check_terms=*/true);
  Party(vc, at, "issuer", /*required=*/true, version);
  if (!v1) {
    LanguageValue(vc, at, "name");
    LanguageValue(vc, at, "description");
  }
  Subjects(vc, at);
  if (v1) {
    Date(vc, at, "issuanceDate", /*required=*/true, /*zone_optional=*/true);
    Date(vc, at, "expirationDate", /*required=*/false, /*zone_optional=*/true);
  } else {
    Date(vc, at, "validFrom", /*required=*/false, /*zone_optional=*/false);
    Date(vc, at, "validUntil", /*required=*/false, /*zone_optional=*/false);
  }
  // VCDM 1.1 also requires an id on status entries and refresh services.
  TypedEntries(vc, at, "credentialStatus", /*id_required=*/v1);
  TypedEntries(vc, at, "credentialSchema", /*id_required=*/true);
  TypedEntries(vc, at, "refreshService", /*id_required=*/v1);
  TypedEntries(vc, at, "termsOfUse", /*id_required=*/false);
  TypedEntries(vc, at, "evidence", /*id_required=*/false);
  if (!v1) RelatedResources(vc, at);
  Proofs(vc, at);
}

void Validator::EmbeddedCredentials(const json& vp, const std::string& at,
                                    const ContextState& state) {
  const json* value = Member(vp, "verifiableCredential");
  if (value == nullptr) return;
  const std::string pointer = Child(at, "verifiableCredential");
  const bool v1 = state.version == VcVersion::k1_1;
  auto one = [&](const json& item, const std::string& where) {
    if (item.is_object()) {
      if (HasType(item, kEnvelopedCredential)) {
        Envelope(item, where, kEnvelopedCredential, Context(item, where, &state));
      } else {
        Credential(item, where, &state);
      }
      return;
    }
    if (v1 && item.is_string() && LooksLikeCompactJws(item.get_ref<const std::string&>())) {
      return;  // VCDM 1.1 JWT presentations list their credentials as JWTs
    }
    Add(where,
        "verifiableCredential entries must be embedded credentials or "
        "EnvelopedVerifiableCredential objects, " +
            Got(item));
  };
  if (value->is_array()) {
    if (value->empty()) Add(pointer, "verifiableCredential must not be an empty array");
    for (size_t i = 0; i < value->size(); ++i) one((*value)[i], Child(pointer, i));
  } else if (value->is_object()) {
    one(*value, pointer);
  } else {
    Add(pointer, "verifiableCredential must be an object or an array of objects, " + Got(*value));
  }
}

void Validator::Presentation(const json& vp, const std::string& at) {
  if (!vp.is_object()) {
    Add(at, "a verifiable presentation must be a JSON object, " + Got(vp));
    return;
  }
  const ContextState state = Context(vp, at, nullptr);
  if (HasType(vp, kEnvelopedPresentation)) {
    Envelope(vp, at, kEnvelopedPresentation, state);
    return;
  }
  const VcVersion version = state.version.value_or(VcVersion::k2_0);
  OptionalId(vp, at, "id");
  RequiredType(vp, at, kVerifiablePresentation, state, /*check_terms=*/true);
  Party(vp, at, "holder", /*required=*/false, version);
  EmbeddedCredentials(vp, at, state);
  TypedEntries(vp, at, "termsOfUse", /*id_required=*/false);
  Proofs(vp, at);
}

}  // namespace

std::string_view VcVersionName(VcVersion version) {
  return version == VcVersion::k1_1 ? "1.1" : "2.0";
}

std::optional<VcVersion> DetectVcVersion(const json& document) {
  const json* context = Member(document, "@context");
  if (context == nullptr) return std::nullopt;
  if (context->is_array()) {
    if (context->empty()) return std::nullopt;
    return BaseVersion((*context)[0]);
  }
  return BaseVersion(*context);
}

std::vector<Problem> ValidateCredential(const json& credential, const ValidationOptions& options) {
  Validator validator(options);
  validator.Credential(credential, "", nullptr);
  return validator.Take();
}

std::vector<Problem> ValidatePresentation(const json& presentation,
                                          const ValidationOptions& options) {
  Validator validator(options);
  validator.Presentation(presentation, "");
  return validator.Take();
}

Status CheckAbsoluteUrl(std::string_view text) {
  auto bad = [text](const std::string& why) {
    return InvalidArgumentError(Quote(text) + " " + why);
  };
  if (text.empty()) return InvalidArgumentError("the empty string is not a URL");
  if (!IsAlpha(text[0])) return bad("does not start with a scheme (a letter)");
  size_t colon = 0;
  while (colon < text.size() && IsSchemeChar(text[colon])) ++colon;
  if (colon == text.size()) return bad("has no scheme");
  if (text[colon] != ':') {
    if (text.find(':', colon) == std::string_view::npos) return bad("has no scheme");
    return bad("has " + DescribeByte(text[colon]) + " at offset " + std::to_string(colon) +
               " in its scheme");
  }
  if (colon + 1 == text.size()) return bad("has nothing after its scheme");
  const std::string_view scheme = text.substr(0, colon);

  // The authority, when present, runs from "//" to the next '/', '?' or '#'.
  size_t authority_begin = std::string_view::npos, authority_end = std::string_view::npos;
  if (text.substr(colon + 1, 2) == "//") {
    authority_begin = colon + 3;
    authority_end = text.find_first_of("/?#", authority_begin);
    if (authority_end == std::string_view::npos) authority_end = text.size();
  }
  bool in_fragment = false;
  for (size_t i = colon + 1; i < text.size(); ++i) {
    const unsigned char c = text[i];
    if (c >= 0x80) continue;  // IRI characters (RFC 3987); the JSON parser checked the UTF-8
    if (kPlainUrlChars[c]) continue;
    if (c == '%') {
      if (i + 2 >= text.size() || !IsHex(text[i + 1]) || !IsHex(text[i + 2])) {
        return bad("has a malformed percent escape at offset " + std::to_string(i));
      }
      i += 2;
      continue;
    }
    if (c == '#') {
      if (in_fragment) return bad("has a second '#' at offset " + std::to_string(i));
      in_fragment = true;
      continue;
    }
    if (c == '[' || c == ']') {
      if (i >= authority_begin && i < authority_end) continue;  // IP-literal host
      return bad("has " + DescribeByte(c) + " at offset " + std::to_string(i) +
                 " outside the host");
    }
    return bad("has " + DescribeByte(c) + " at offset " + std::to_string(i));
  }

  if (EqualsIgnoreCase(scheme, "http") || EqualsIgnoreCase(scheme, "https")) {
    if (authority_begin == std::string_view::npos) return bad("has no '//' and host");
    std::string_view host = text.substr(authority_begin, authority_end - authority_begin);
    if (const size_t at = host.rfind('@'); at != std::string_view::npos) host.remove_prefix(at + 1);
    if (!host.empty() && host[0] != '[') host = host.substr(0, host.find(':'));
    if (host.empty()) return bad("has an empty host");
  }
  if (scheme == "did") {
    const auto did = did::ParseDidUrl(text);
    if (!did.ok()) return bad("is not a valid DID URL: " + std::string(did.status().message()));
  }
  return Status();
}

std::string_view ValidityStatusName(ValidityStatus status) {
  switch (status) {
    case ValidityStatus::kValid:
      return "valid";
    case ValidityStatus::kNotYetValid:
      return "not-yet-valid";
    case ValidityStatus::kExpired:
      return "expired";
    case ValidityStatus::kInvalid:
      return "invalid";
  }
  return "invalid";
}

ValidityResult CheckValidityPeriod(const json& credential, Time now, std::chrono::seconds skew) {
  ValidityResult result;
  if (!credential.is_object()) {
    result.reason = "a verifiable credential must be a JSON object, " + Got(credential);
    return result;
  }
  const std::optional<VcVersion> version = DetectVcVersion(credential);
  if (!version) {
    result.reason =
        "the data model version is unknown: the first @context item must be a base "
        "context";
    result.pointer = "/@context";
    return result;
  }
  if (HasType(credential, kEnvelopedCredential)) {
    result.reason =
        "an EnvelopedVerifiableCredential keeps its validity period inside the "
        "secured payload; unwrap it first";
    result.pointer = "/type";
    return result;
  }
  const bool v1 = *version == VcVersion::k1_1;
  const std::string from_name = v1 ? "issuanceDate" : "validFrom";
  const std::string until_name = v1 ? "expirationDate" : "validUntil";

  struct Bound {
    std::optional<WideTime> at;
    std::string text;  // quoted, as written in the credential
  };
  Bound from, until;
  for (auto [name, bound] : {std::pair{&from_name, &from}, std::pair{&until_name, &until}}) {
    const json* value = Member(credential, *name);
    if (value == nullptr) continue;
    if (!value->is_string()) {
      result.reason = *name + " must be a date-time string, " + Got(*value);
      result.pointer = "/" + *name;
      return result;
    }
    const auto parsed = ParseDateTime(value->get_ref<const std::string&>(), /*zone_optional=*/v1);
    if (!parsed.ok()) {
      result.reason =
          *name + " is not a valid date-time: " + std::string(parsed.status().message());
      result.pointer = "/" + *name;
      return result;
    }
    bound->at = *parsed;
    bound->text = Quote(value->get_ref<const std::string&>());
  }
  if (v1 && !from.at) {
    result.reason = "issuanceDate is missing";
    result.pointer = "/issuanceDate";
    return result;
  }
  if (from.at && until.at && *until.at < *from.at) {
    result.reason =
        until_name + " " + until.text + " is earlier than " + from_name + " " + from.text;
    result.pointer = "/" + until_name;
    return result;
  }

  constexpr int64_t kMaxSkewSeconds = int64_t{100} * 366 * 86400;
  int64_t skew_seconds = skew.count();
  if (skew_seconds < 0) skew_seconds = 0;
  if (skew_seconds > kMaxSkewSeconds) skew_seconds = kMaxSkewSeconds;
  const WideTime wide_now = Widen(now);
  const WideTime latest{wide_now.seconds + skew_seconds, wide_now.nanos};
  const WideTime earliest{wide_now.seconds - skew_seconds, wide_now.nanos};
  // Only the failure reasons quote the clock, so format it only for them.
  auto now_text = [&] {
    std::string text = "it is now " + FormatRfc3339(now).value_or(std::string("(unknown)"));
    if (skew_seconds > 0) {
      text += " (allowing " + std::to_string(skew_seconds) + " s of clock skew)";
    }
    return text;
  };

  if (from.at && latest < *from.at) {
    result.status = ValidityStatus::kNotYetValid;
    result.reason = "not valid before " + from_name + " " + from.text + "; " + now_text();
    result.pointer = "/" + from_name;
    return result;
  }
  if (until.at && earliest > *until.at) {
    result.status = ValidityStatus::kExpired;
    result.reason = "expired at " + until_name + " " + until.text + "; " + now_text();
    result.pointer = "/" + until_name;
    return result;
  }
  result.status = ValidityStatus::kValid;
  if (!from.at && !until.at) {
    result.reason = "the credential states no validity period";
  } else {
    result.reason = "within the validity period";
    if (from.at) result.reason += " from " + from.text;
    if (until.at) result.reason += " until " + until.text;
  }
  return result;
}

}  // namespace traceport::vc
