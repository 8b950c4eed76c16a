#include "vc/schema.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <exception>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <regex>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "codec/json.h"
#include "common/time.h"

// valijson reports errors by exception only when this is set; otherwise it calls abort().
#define VALIJSON_USE_EXCEPTIONS 1
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
#pragma GCC diagnostic ignored "-Woverloaded-virtual"
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
#pragma GCC diagnostic ignored "-Wcast-align"
#pragma GCC diagnostic ignored "-Wpedantic"
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/constraint_builder.hpp>
#include <valijson/constraints/concrete_constraints.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>
#pragma GCC diagnostic pop

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

namespace traceport::vc {
namespace {

using nlohmann::json;

// Keys the normaliser writes into the draft-7 copy it hands to valijson. A schema that uses a
// key with this prefix itself is rejected, so they cannot collide.
constexpr std::string_view kReservedPrefix = "$traceport-";
constexpr std::string_view kBundleKey = "$traceport-bundle";
constexpr std::string_view kPatternKey = "$traceport-pattern";
constexpr std::string_view kFormatKey = "$traceport-format";

// Deeper schemas are rejected (the normaliser and valijson's parser both recurse).
constexpr int kMaxSchemaDepth = 200;

enum class Dialect { kDraft07, kDraft202012 };

// ---------------------------------------------------------------------------------------------
// URIs (RFC 3986): just enough to resolve `$id` and `$ref` against a base.

struct Uri {
  std::string scheme, authority, path, query, fragment;
  bool has_scheme = false, has_authority = false, has_query = false, has_fragment = false;
};

// Splits like the regular expression of RFC 3986 appendix B.
Uri SplitUri(std::string_view s) {
  Uri u;
  size_t i = s.find_first_of(":/?#");
  if (i != std::string_view::npos && i > 0 && s[i] == ':') {
    u.has_scheme = true;
    u.scheme = std::string(s.substr(0, i));
    s.remove_prefix(i + 1);
  }
  if (s.substr(0, 2) == "//") {
    s.remove_prefix(2);
    size_t end = s.find_first_of("/?#");
    u.has_authority = true;
    u.authority = std::string(s.substr(0, end));
    s.remove_prefix(end == std::string_view::npos ? s.size() : end);
  }
  size_t end = s.find_first_of("?#");
  u.path = std::string(s.substr(0, end));
  s.remove_prefix(end == std::string_view::npos ? s.size() : end);
  if (!s.empty() && s[0] == '?') {
    end = s.find('#');
    u.has_query = true;
    u.query = std::string(s.substr(1, end == std::string_view::npos ? end : end - 1));
    s.remove_prefix(end == std::string_view::npos ? s.size() : end);
  }
  if (!s.empty() && s[0] == '#') {
    u.has_fragment = true;
    u.fragment = std::string(s.substr(1));
  }
  return u;
}

// RFC 3986 section 5.2.4.
std::string RemoveDotSegments(std::string in) {
  std::string out;
  while (!in.empty()) {
    if (in.rfind("../", 0) == 0) {
      in.erase(0, 3);
    } else if (in.rfind("./", 0) == 0) {
      in.erase(0, 2);
    } else if (in.rfind("/./", 0) == 0) {
      in.erase(0, 2);
    } else if (in == "/.") {
      in = "/";
    } else if (in.rfind("/../", 0) == 0 || in == "/..") {
      in = in.size() == 3 ? "/" : in.substr(3);
      size_t slash = out.rfind('/');
      out.erase(slash == std::string::npos ? 0 : slash);
    } else if (in == "." || in == "..") {
      in.clear();
    } else {
      size_t next = in.find('/', 1);
      out += in.substr(0, next);
      in.erase(0, next == std::string::npos ? in.size() : next);
    }
  }
  return out;
}

std::string JoinUri(const Uri& u) {
  std::string s;
  if (u.has_scheme) s += u.scheme + ":";
  if (u.has_authority) s += "//" + u.authority;
  s += u.path;
  if (u.has_query) s += "?" + u.query;
  if (u.has_fragment) s += "#" + u.fragment;
  return s;
}

// RFC 3986 section 5.2.2 (strict: a reference with a scheme is always absolute).
std::string ResolveUri(std::string_view base_text, std::string_view ref_text) {
  const Uri base = SplitUri(base_text);
  const Uri r = SplitUri(ref_text);
  Uri t;
  if (r.has_scheme) {
    t = r;
    t.path = RemoveDotSegments(r.path);
  } else {
    if (r.has_authority) {
      t.has_authority = true;
      t.authority = r.authority;
      t.path = RemoveDotSegments(r.path);
      t.has_query = r.has_query;
      t.query = r.query;
    } else {
      if (r.path.empty()) {
        t.path = base.path;
        t.has_query = r.has_query || base.has_query;
        t.query = r.has_query ? r.query : base.query;
      } else {
        if (r.path[0] == '/') {
          t.path = RemoveDotSegments(r.path);
        } else if (base.has_authority && base.path.empty()) {
          t.path = RemoveDotSegments("/" + r.path);
        } else {
          size_t slash = base.path.rfind('/');
          std::string merged =
              slash == std::string::npos ? r.path : base.path.substr(0, slash + 1) + r.path;
          t.path = RemoveDotSegments(merged);
        }
        t.has_query = r.has_query;
        t.query = r.query;
      }
      t.has_authority = base.has_authority;
      t.authority = base.authority;
    }
    t.has_scheme = base.has_scheme;
    t.scheme = base.scheme;
  }
  t.has_fragment = r.has_fragment;
  t.fragment = r.fragment;
  return JoinUri(t);
}

// Splits "uri#fragment" into the URI without fragment and the fragment (percent-decoded).
// False when the fragment has a malformed percent escape.
bool SplitFragment(std::string_view target, std::string& uri, std::string& fragment) {
  size_t hash = target.find('#');
  uri = std::string(target.substr(0, hash));
  fragment.clear();
  if (hash == std::string_view::npos) return true;
  std::string_view raw = target.substr(hash + 1);
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '%') {
      fragment += raw[i];
      continue;
    }
    if (i + 2 >= raw.size() || !std::isxdigit(static_cast<unsigned char>(raw[i + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(raw[i + 2]))) {
      return false;
    }
    fragment += static_cast<char>(std::stoi(std::string(raw.substr(i + 1, 2)), nullptr, 16));
    i += 2;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Keywords valijson cannot express directly are evaluated by these constraints, registered with
// valijson's custom-constraint hook under the reserved keys above.

// Describes a failure in the form "<keyword>: <text>" so that ToProblem finds the keyword.
void PushError(valijson::ValidationResults* results, const std::vector<std::string>& context,
               std::string text) {
  if (results) results->pushError(context, std::move(text));
}

// `pattern` regular expressions, compiled by PCRE2 with options that bring it close to the
// ECMAScript grammar JSON Schema names: UTF-8 with code points as characters (so `.` and `{n}`
// count characters, not bytes), `$` only at the very end of the subject, `.` excluding CR and LF,
// `\uHHHH` and `\u{H...}` escapes, and `[^]` for "any character". Where it still differs:
// `\d`, `\w` and `\b` are ASCII as in ECMAScript, but so is `\s` (ECMAScript's also matches
// Unicode spaces), and `.` matches U+2028 and U+2029 (ECMAScript's does not). A subject that is
// not valid UTF-8 does not match. Each search is bounded in steps (kMatchLimit), JIT stack
// (kJitStackBytes per thread) and interpreter heap (kHeapLimitKib): a pattern that backtracks
// exponentially, or a subject too long for its pattern, fails the keyword with a reason instead
// of running for minutes or taking the process's memory. Compiled once (JIT where the platform
// has it) and shared by every copy valijson makes of the constraint; pcre2_code is read-only
// while matching, so concurrent validations share it.
class EcmaPattern {
 public:
  // Nullptr and a message on a syntax error.
  static std::shared_ptr<const EcmaPattern> Compile(const std::string& pattern,
                                                    std::string* error) {
    pcre2_compile_context* cc = pcre2_compile_context_create(nullptr);
    if (cc == nullptr) throw std::bad_alloc();
    pcre2_set_newline(cc, PCRE2_NEWLINE_ANYCRLF);
    pcre2_set_compile_extra_options(cc, PCRE2_EXTRA_ALT_BSUX);
    int code = 0;
    PCRE2_SIZE offset = 0;
    pcre2_code* re =
        pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                      PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_DOLLAR_ENDONLY | PCRE2_ALT_BSUX |
                          PCRE2_ALLOW_EMPTY_CLASS | PCRE2_NEVER_BACKSLASH_C,
                      &code, &offset, cc);
    pcre2_compile_context_free(cc);
    if (re == nullptr) {
      if (error) *error = ErrorText(code) + " at offset " + std::to_string(offset);
      return nullptr;
    }
    // Without JIT (a platform PCRE2 lacks it for) the interpreter matches the same way.
    (void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
    auto out = std::shared_ptr<EcmaPattern>(new EcmaPattern(re));
    out->match_context_ = pcre2_match_context_create(nullptr);
    if (out->match_context_ == nullptr) throw std::bad_alloc();
    pcre2_set_match_limit(out->match_context_, kMatchLimit);
    pcre2_set_heap_limit(out->match_context_, kHeapLimitKib);
    pcre2_jit_stack_assign(out->match_context_, &ThreadJitStack, nullptr);
    return out;
  }

  ~EcmaPattern() {
    pcre2_match_context_free(match_context_);
    pcre2_code_free(code_);
  }
  EcmaPattern(const EcmaPattern&) = delete;
  EcmaPattern& operator=(const EcmaPattern&) = delete;

  enum class Outcome { kMatch, kNoMatch, kTooComplex };

  // Searches (does not anchor) `subject`.
  Outcome Search(std::string_view subject) const {
    using MatchData = std::unique_ptr<pcre2_match_data, decltype(&pcre2_match_data_free)>;
    // One single-pair match block per thread: only whether there is a match is needed. The JIT
    // keeps nothing in it; the interpreter's backtracking frames, below, get a block of their
    // own, freed at once, so that no thread keeps a large one.
    thread_local MatchData data(pcre2_match_data_create(1, nullptr), &pcre2_match_data_free);
    if (data == nullptr) throw std::bad_alloc();
    const auto* p = reinterpret_cast<PCRE2_SPTR>(subject.data());
    int rc = pcre2_match(code_, p, subject.size(), 0, 0, data.get(), match_context_);
    if (rc == PCRE2_ERROR_JIT_STACKLIMIT) {
      // Too deep for the JIT's stack: the interpreter keeps its backtracking on the heap, up to
      // kHeapLimitKib.
      MatchData once(pcre2_match_data_create(1, nullptr), &pcre2_match_data_free);
      if (once == nullptr) throw std::bad_alloc();
      rc = pcre2_match(code_, p, subject.size(), 0, PCRE2_NO_JIT, once.get(), match_context_);
    }
    if (rc >= 0) return Outcome::kMatch;
    if (rc == PCRE2_ERROR_NOMATCH) return Outcome::kNoMatch;
    if (rc == PCRE2_ERROR_NOMEMORY) throw std::bad_alloc();
    return Outcome::kTooComplex;  // match, depth or heap limit
  }

  // Backtracking steps one search may take: `^(a+)+$` against forty a's and a b exceeds it.
  static constexpr uint32_t kMatchLimit = 2'000'000;
  // The JIT's stack, per thread (reserved up front, used as needed), and the interpreter's
  // backtracking memory for one search.
  static constexpr size_t kJitStackBytes = size_t{1} << 20;
  static constexpr uint32_t kHeapLimitKib = 8 * 1024;

 private:
  explicit EcmaPattern(pcre2_code* code) : code_(code) {}

  static pcre2_jit_stack* ThreadJitStack(void*) {
    thread_local std::unique_ptr<pcre2_jit_stack, decltype(&pcre2_jit_stack_free)> stack(
        pcre2_jit_stack_create(32 * 1024, kJitStackBytes, nullptr), &pcre2_jit_stack_free);
    return stack.get();  // null falls back to PCRE2's own 32 KiB stack
  }

  static std::string ErrorText(int code) {
    PCRE2_UCHAR buffer[160];
    const int n = pcre2_get_error_message(code, buffer, sizeof buffer);
    if (n < 0) return "PCRE2 error " + std::to_string(code);
    return std::string(reinterpret_cast<const char*>(buffer), static_cast<size_t>(n));
  }

  pcre2_code* code_ = nullptr;
  pcre2_match_context* match_context_ = nullptr;
};

class PatternConstraint : public valijson::constraints::PolyConstraint {
 public:
  explicit PatternConstraint(std::string pattern) : pattern_(std::move(pattern)) {
    std::string error;
    regex_ = EcmaPattern::Compile(pattern_, &error);
    // The normaliser compiled the same pattern when the schema was added.
    if (regex_ == nullptr) throw std::runtime_error("pattern " + pattern_ + ": " + error);
  }

  bool validate(const valijson::adapters::Adapter& target, const std::vector<std::string>& context,
                valijson::ValidationResults* results) const override {
    std::string s;
    if (!target.isString() || !target.getString(s)) return true;
    switch (regex_->Search(s)) {
      case EcmaPattern::Outcome::kMatch:
        return true;
      case EcmaPattern::Outcome::kNoMatch:
        PushError(results, context, "pattern: does not match '" + pattern_ + "'");
        return false;
      case EcmaPattern::Outcome::kTooComplex:
        break;
    }
    PushError(results, context,
              "pattern: matching '" + pattern_ + "' against this string of " +
                  std::to_string(s.size()) + " bytes gave up at the backtracking limit");
    return false;
  }

 private:
  valijson::constraints::Constraint* cloneInto(void* where) const override {
    return new (where) PatternConstraint(*this);
  }
  size_t sizeOf() const override { return sizeof(PatternConstraint); }

  std::string pattern_;
  std::shared_ptr<const EcmaPattern> regex_;
};

bool IsDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// RFC 3339 section 5.6 through common/time.h (which rejects leap seconds).
bool ValidFormat(std::string_view format, const std::string& s) {
  if (format == "date-time") return ParseRfc3339(s).ok();
  if (format == "date") {
    return s.size() == 10 && s[4] == '-' && s[7] == '-' && IsDigits(s.substr(0, 4)) &&
           ParseRfc3339(s + "T00:00:00Z").ok();
  }
  if (format == "time") {
    return s.size() >= 9 && s[2] == ':' && s.find_first_of("Tt") == std::string::npos &&
           ParseRfc3339("2000-01-01T" + s).ok();
  }
  return true;  // other formats are annotations only
}

class FormatConstraint : public valijson::constraints::PolyConstraint {
 public:
  explicit FormatConstraint(std::string format) : format_(std::move(format)) {}

  bool validate(const valijson::adapters::Adapter& target, const std::vector<std::string>& context,
                valijson::ValidationResults* results) const override {
    std::string s;
    if (!target.isString() || !target.getString(s)) return true;
    if (ValidFormat(format_, s)) return true;
    PushError(results, context, "format: not a valid RFC 3339 " + format_);
    return false;
  }

 private:
  valijson::constraints::Constraint* cloneInto(void* where) const override {
    return new (where) FormatConstraint(*this);
  }
  size_t sizeOf() const override { return sizeof(FormatConstraint); }

  std::string format_;
};

template <typename C>
class StringConstraintBuilder : public valijson::ConstraintBuilder {
 public:
  valijson::constraints::Constraint* make(const valijson::adapters::Adapter& value) const override {
    std::string s;
    if (!value.isString() || !value.getString(s)) {
      throw std::runtime_error("expected a string keyword value");
    }
    return new C(std::move(s));
  }
};

// ---------------------------------------------------------------------------------------------
// Normalisation: one registered document rewritten into the draft-7 form valijson evaluates.

struct Location {
  std::string doc_id;
  std::string pointer;  // in the document as added
};

struct Prepared {
  json original;
  json normalised;
  // Every subschema: its JSON Pointer in `original` and in `normalised`.
  std::map<std::string, std::string> pointer_map;
  // Each `$ref`: the pointer (in `normalised`) of the object holding it, and its target
  // resolved to an absolute URI with fragment.
  std::vector<std::pair<std::string, std::string>> refs;
  // Resources and anchors this document defines: absolute URI (or "uri#anchor") -> pointer.
  std::vector<std::pair<std::string, std::string>> resources;
  std::vector<std::pair<std::string, std::string>> anchors;
  bool uses_pattern_properties = false;
};

bool IsSingleSchemaKeyword(std::string_view k) {
  return k == "additionalItems" || k == "additionalProperties" || k == "contains" || k == "if" ||
         k == "then" || k == "else" || k == "not" || k == "propertyNames";
}
bool IsSchemaArrayKeyword(std::string_view k) {
  return k == "allOf" || k == "anyOf" || k == "oneOf";
}
bool IsSchemaMapKeyword(std::string_view k) {
  return k == "properties" || k == "patternProperties" || k == "definitions" || k == "$defs";
}

std::string Join(const std::string& pointer, std::string_view token) {
  return pointer + "/" + PointerToken(token);
}

class Normaliser {
 public:
  Normaliser(Dialect dialect, std::string root_schema, Prepared& out)
      : dialect_(dialect), root_schema_(std::move(root_schema)), out_(out) {}

  Status Run(const json& root, const std::string& id) {
    return Walk(root, out_.normalised, "", "", id, 0);
  }

 private:
  Status Error(StatusCode code, const std::string& pointer, const std::string& what) const {
    return Status(code, "at #" + pointer + ": " + what);
  }

  Status Walk(const json& node, json& out, const std::string& op, const std::string& np,
              std::string base, int depth) {
    if (depth > kMaxSchemaDepth) {
      return Error(StatusCode::kInvalidArgument, op,
                   "nested deeper than " + std::to_string(kMaxSchemaDepth));
    }
    out_.pointer_map[op] = np;
    if (node.is_boolean()) {
      out = node;
      return Status::Ok();
    }
    if (!node.is_object()) {
      return Error(StatusCode::kInvalidArgument, op, "a schema must be an object or a boolean");
    }
    RETURN_IF_ERROR(CheckIdentifiers(node, op, base));
    const bool modern = dialect_ == Dialect::kDraft202012;
    if (modern) RETURN_IF_ERROR(CheckUnsupported(node, op));

    out = json::object();
    for (const auto& [key, value] : node.items()) {
      if (key.rfind(kReservedPrefix, 0) == 0) {
        return Error(StatusCode::kInvalidArgument, op, "keyword " + key + " is reserved");
      }
      if (key == "id" || key == "$ref") continue;  // "id" is not a keyword since draft 6
      if (key == "pattern") {
        RETURN_IF_ERROR(CheckPattern(value, Join(op, key)));
        out[std::string(kPatternKey)] = value;
      } else if (key == "format") {
        if (!value.is_string()) {
          return Error(StatusCode::kInvalidArgument, op, "format not a string");
        }
        out[std::string(kFormatKey)] = value;
      } else if (IsSingleSchemaKeyword(key)) {
        RETURN_IF_ERROR(Walk(value, out[key], Join(op, key), Join(np, key), base, depth + 1));
      } else if (IsSchemaArrayKeyword(key)) {
        RETURN_IF_ERROR(WalkArray(value, out[key], Join(op, key), Join(np, key), base, depth));
      } else if (IsSchemaMapKeyword(key)) {
        if (key == "patternProperties") {
          out_.uses_pattern_properties = true;
          if (value.is_object()) {
            for (const auto& item : value.items()) {
              RETURN_IF_ERROR(CheckStdRegex(json(item.key()), Join(Join(op, key), item.key())));
            }
          }
        }
        RETURN_IF_ERROR(WalkMap(value, out[key], Join(op, key), Join(np, key), base, depth));
      } else if (key == "dependencies") {
        if (modern && (node.contains("dependentRequired") || node.contains("dependentSchemas"))) {
          return Error(StatusCode::kUnimplemented, op,
                       "dependencies next to dependentRequired / dependentSchemas");
        }
        RETURN_IF_ERROR(
            WalkDependencies(value, out[key], Join(op, key), Join(np, key), base, depth));
      } else if (key == "items") {
        if (modern && node.contains("prefixItems")) continue;  // handled below
        if (value.is_array()) {
          RETURN_IF_ERROR(WalkArray(value, out[key], Join(op, key), Join(np, key), base, depth));
        } else {
          RETURN_IF_ERROR(Walk(value, out[key], Join(op, key), Join(np, key), base, depth + 1));
        }
      } else if (modern &&
                 (key == "prefixItems" || key == "dependentRequired" || key == "dependentSchemas" ||
                  key == "unevaluatedProperties" || key == "unevaluatedItems")) {
        continue;  // handled below
      } else {
        out[key] = value;  // annotations, assertions on values, unknown keywords
      }
    }
    if (modern) RETURN_IF_ERROR(Translate2020(node, out, op, np, base, depth));

    if (auto ref = node.find("$ref"); ref != node.end()) {
      if (!ref->is_string()) return Error(StatusCode::kInvalidArgument, op, "$ref not a string");
      const std::string target = ResolveUri(base, ref->get<std::string>());
      // Since 2019-09 the keywords next to $ref apply too; valijson (draft 7) would ignore them,
      // so the reference moves into allOf.
      if (modern && node.size() > 1) {
        json& all_of = out["allOf"];
        if (!all_of.is_array()) all_of = json::array();
        out_.refs.emplace_back(Join(Join(np, "allOf"), std::to_string(all_of.size())), target);
        all_of.push_back(json{{"$ref", target}});
      } else {
        out["$ref"] = target;
        out_.refs.emplace_back(np, target);
      }
    }
    return Status::Ok();
  }

  Status WalkArray(const json& value, json& out, const std::string& op, const std::string& np,
                   const std::string& base, int depth) {
    if (!value.is_array()) return Error(StatusCode::kInvalidArgument, op, "expected an array");
    out = json::array();
    for (size_t i = 0; i < value.size(); ++i) {
      out.push_back(json());
      RETURN_IF_ERROR(Walk(value[i], out.back(), Join(op, std::to_string(i)),
                           Join(np, std::to_string(i)), base, depth + 1));
    }
    return Status::Ok();
  }

  Status WalkMap(const json& value, json& out, const std::string& op, const std::string& np,
                 const std::string& base, int depth) {
    if (!value.is_object()) return Error(StatusCode::kInvalidArgument, op, "expected an object");
    out = json::object();
    for (const auto& [name, sub] : value.items()) {
      RETURN_IF_ERROR(Walk(sub, out[name], Join(op, name), Join(np, name), base, depth + 1));
    }
    return Status::Ok();
  }

  Status WalkDependencies(const json& value, json& out, const std::string& op,
                          const std::string& np, const std::string& base, int depth) {
    if (!value.is_object()) return Error(StatusCode::kInvalidArgument, op, "expected an object");
    out = json::object();
    for (const auto& [name, sub] : value.items()) {
      if (sub.is_array()) {
        out[name] = sub;
      } else {
        RETURN_IF_ERROR(Walk(sub, out[name], Join(op, name), Join(np, name), base, depth + 1));
      }
    }
    return Status::Ok();
  }

  // `$id`, `$anchor` and `$schema` of one schema object; updates `base`.
  Status CheckIdentifiers(const json& node, const std::string& op, std::string& base) {
    if (auto it = node.find("$schema"); it != node.end() && !op.empty()) {
      if (!it->is_string() || it->get<std::string>() != root_schema_) {
        return Error(StatusCode::kUnimplemented, op,
                     "a nested $schema different from the document's is not supported");
      }
    }
    if (auto it = node.find("$id"); it != node.end()) {
      if (!it->is_string()) return Error(StatusCode::kInvalidArgument, op, "$id not a string");
      const std::string id = it->get<std::string>();
      if (dialect_ == Dialect::kDraft07 && !id.empty() && id[0] == '#') {
        out_.anchors.emplace_back(base + id, op);  // draft 7 spells an anchor as "$id": "#name"
      } else {
        std::string uri, fragment;
        if (!SplitFragment(ResolveUri(base, id), uri, fragment) || !fragment.empty()) {
          return Error(StatusCode::kInvalidArgument, op, "$id " + id + " has a fragment");
        }
        if (!SplitUri(uri).has_scheme) {
          return Error(StatusCode::kInvalidArgument, op, "$id " + id + " is not absolute");
        }
        base = uri;
        if (!op.empty()) out_.resources.emplace_back(uri, op);
      }
    }
    if (auto it = node.find("$anchor"); it != node.end()) {
      static const std::regex kAnchor("^[A-Za-z_][-A-Za-z0-9._]*$");
      if (!it->is_string() || !std::regex_match(it->get<std::string>(), kAnchor)) {
        return Error(StatusCode::kInvalidArgument, op, "malformed $anchor");
      }
      out_.anchors.emplace_back(base + "#" + it->get<std::string>(), op);
    }
    return Status::Ok();
  }

  Status CheckUnsupported(const json& node, const std::string& op) const {
    for (const char* k : {"$dynamicRef", "$recursiveRef", "minContains", "maxContains"}) {
      if (node.contains(k)) {
        return Error(StatusCode::kUnimplemented, op,
                     std::string("keyword ") + k + " is not supported by valijson 1.0");
      }
    }
    return Status::Ok();
  }

  // A `pattern` value: compiled as the PatternConstraint will compile it.
  Status CheckPattern(const json& pattern, const std::string& op) const {
    if (!pattern.is_string()) return Error(StatusCode::kInvalidArgument, op, "not a string");
    std::string error;
    if (EcmaPattern::Compile(pattern.get<std::string>(), &error) == nullptr) {
      return Error(StatusCode::kInvalidArgument, op,
                   "pattern " + pattern.dump() + " is not a regular expression: " + error);
    }
    return Status::Ok();
  }

  // A `patternProperties` name, which valijson itself matches with std::regex.
  Status CheckStdRegex(const json& pattern, const std::string& op) const {
    if (!pattern.is_string()) return Error(StatusCode::kInvalidArgument, op, "not a string");
    try {
      std::regex re(pattern.get<std::string>(), std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      return Error(StatusCode::kInvalidArgument, op,
                   "pattern " + pattern.dump() + " is not a std::regex ECMAScript expression");
    }
    return Status::Ok();
  }

  // Draft 2020-12 keywords rewritten into draft 7.
  Status Translate2020(const json& node, json& out, const std::string& op, const std::string& np,
                       const std::string& base, int depth) {
    // prefixItems + items  ->  items (array) + additionalItems.
    if (auto prefix = node.find("prefixItems"); prefix != node.end()) {
      if (node.contains("additionalItems")) {
        return Error(StatusCode::kInvalidArgument, op, "additionalItems next to prefixItems");
      }
      RETURN_IF_ERROR(WalkArray(*prefix, out["items"], Join(op, "prefixItems"), Join(np, "items"),
                                base, depth));
      if (auto items = node.find("items"); items != node.end()) {
        RETURN_IF_ERROR(Walk(*items, out["additionalItems"], Join(op, "items"),
                             Join(np, "additionalItems"), base, depth + 1));
      }
    }
    // dependentRequired / dependentSchemas  ->  dependencies.
    auto dep_schemas = node.find("dependentSchemas");
    if (dep_schemas != node.end()) {
      RETURN_IF_ERROR(WalkMap(*dep_schemas, out["dependencies"], Join(op, "dependentSchemas"),
                              Join(np, "dependencies"), base, depth));
    }
    if (auto dep_required = node.find("dependentRequired"); dep_required != node.end()) {
      if (!dep_required->is_object()) {
        return Error(StatusCode::kInvalidArgument, op, "dependentRequired not an object");
      }
      json& deps = out["dependencies"];
      if (!deps.is_object()) deps = json::object();
      for (const auto& [name, names] : dep_required->items()) {
        if (!names.is_array()) {
          return Error(StatusCode::kInvalidArgument, op, "dependentRequired/" + name);
        }
        if (!deps.contains(name)) {
          deps[name] = names;
        } else if (deps[name] == true) {
          deps[name] = json{{"required", names}};
        } else if (deps[name].is_object()) {
          json& required = deps[name]["required"];
          if (!required.is_array()) required = json::array();
          for (const json& n : names) required.push_back(n);
        }
      }
    }
    // unevaluated*: only where no other applicator could evaluate properties or items, which is
    // exactly where they mean the same as additionalProperties / additionalItems.
    static const char* const kApplicators[] = {
        "allOf", "anyOf",    "oneOf",       "if", "then", "else", "$ref", "dependentSchemas",
        "not",   "contains", "dependencies"};
    for (const char* k : {"unevaluatedProperties", "unevaluatedItems"}) {
      auto it = node.find(k);
      if (it == node.end()) continue;
      for (const char* a : kApplicators) {
        if (node.contains(a)) {
          return Error(StatusCode::kUnimplemented, op,
                       std::string(k) + " next to " + a +
                           " needs annotation tracking, which valijson 1.0 lacks");
        }
      }
      std::string target;
      if (std::string_view(k) == "unevaluatedProperties") {
        if (!node.contains("additionalProperties")) target = "additionalProperties";
      } else if (!node.contains("items")) {
        target = node.contains("prefixItems") ? "additionalItems" : "items";
      }
      if (target.empty()) continue;  // everything is already evaluated: no effect
      RETURN_IF_ERROR(Walk(*it, out[target], Join(op, k), Join(np, target), base, depth + 1));
    }
    return Status::Ok();
  }

  Dialect dialect_;
  std::string root_schema_;
  Prepared& out_;
};

// ---------------------------------------------------------------------------------------------
// Turning valijson's errors into Problems.

struct KeywordRule {
  std::string_view prefix;
  std::string_view keyword;
  bool wrapper;  // only says that a subschema failed; a deeper error usually says why
};

constexpr KeywordRule kKeywordRules[] = {
    {"Failed to validate against schema associated with property name", "properties", true},
    {"Failed to validate against schema associated with pattern", "patternProperties", true},
    {"Failed to validate against additional properties schema", "additionalProperties", true},
    {"Failed to validate item #", "items", true},
    {"Failed to validate against child schema #", "subschema", true},
    {"Failed to validate against a conditional schema", "if", true},
    {"Failed to validate against dependent schema", "dependentSchemas", true},
    {"Failed to validate against any schemas allowed by anyOf", "anyOf", false},
    {"Failed to validate against any child schemas allowed by oneOf", "oneOf", false},
    {"Failed to validate against exactly one child schema", "oneOf", false},
    {"Failed to match expected value set by 'const'", "const", false},
    {"Failed to any values against subschema in 'contains'", "contains", false},
    {"Failed to match against any enum values", "enum", false},
    {"Array contains more items than allowed", "additionalItems", false},
    {"Cannot validate item #", "additionalItems", false},
    {"Expected number less than or equal to", "maximum", false},
    {"Expected number less than", "exclusiveMaximum", false},
    {"Expected number greater than or equal to", "minimum", false},
    {"Expected number greater than", "exclusiveMinimum", false},
    {"Array should contain no more than", "maxItems", false},
    {"String should be no more than", "maxLength", false},
    {"Object should have no more than", "maxProperties", false},
    {"Array should contain no fewer than", "minItems", false},
    {"String should be no fewer than", "minLength", false},
    {"Object should have no fewer than", "minProperties", false},
    {"Value could not be converted", "multipleOf", false},
    {"Value should be a multiple of", "multipleOf", false},
    {"Target should not validate against schema specified in 'not'", "not", false},
    {"Object contains a property that could not be validated", "additionalProperties", false},
    {"Value type not permitted by 'type'", "type", false},
    {"Elements at indexes", "uniqueItems", false},
    {"Missing required property", "required", false},
    {"Missing dependency", "dependentRequired", false},
    {"Target value and comparison value are not equal", "enum", false},
};

struct RawError {
  Problem problem;
  bool wrapper = false;
};

// valijson's context is "<root>" followed by "[name]" / "[index]" tokens; the instance says
// which of the two a token is.
std::string ContextToPointer(const std::vector<std::string>& context, const json& instance) {
  std::string pointer;
  const json* node = &instance;
  for (size_t i = 1; i < context.size(); ++i) {
    const std::string& raw = context[i];
    std::string token = raw.size() >= 2 && raw.front() == '[' && raw.back() == ']'
                            ? raw.substr(1, raw.size() - 2)
                            : raw;
    pointer += "/" + PointerToken(token);
    if (node == nullptr) continue;
    if (node->is_array() && !token.empty() && token.size() < 10 && IsDigits(token) &&
        std::stoul(token) < node->size()) {
      node = &(*node)[std::stoul(token)];
    } else if (node->is_object() && node->contains(token)) {
      node = &(*node)[token];
    } else {
      node = nullptr;
    }
  }
  return pointer;
}

RawError ToRawError(const valijson::ValidationResults::Error& e, const json& instance) {
  RawError out;
  out.problem.pointer = ContextToPointer(e.context, instance);
  std::string text = e.description;
  // Messages of the constraints above already start with their keyword.
  if (text.rfind("pattern: ", 0) == 0 || text.rfind("format: ", 0) == 0) {
    out.problem.message = text;
    return out;
  }
  std::string_view keyword = "schema";
  for (const KeywordRule& rule : kKeywordRules) {
    if (text.rfind(rule.prefix, 0) == 0) {
      keyword = rule.keyword;
      out.wrapper = rule.wrapper;
      break;
    }
  }
  // Point at the unexpected property itself rather than at its object.
  constexpr std::string_view kUnexpected = "constraints: '";
  if (keyword == "additionalProperties" && !out.wrapper) {
    size_t at = text.find(kUnexpected);
    if (at != std::string::npos && text.size() >= at + kUnexpected.size() + 2) {
      std::string name = text.substr(at + kUnexpected.size());
      name = name.substr(0, name.size() - 2);  // the closing "'."
      out.problem.pointer += "/" + PointerToken(name);
      text = "property '" + name + "' is not allowed";
    }
  }
  if (!text.empty() && text.back() == '.') text.pop_back();
  if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z') {
    text[0] = static_cast<char>(text[0] - 'A' + 'a');
  }
  out.problem.message = std::string(keyword) + ": " + text;
  return out;
}

bool IsWithin(const std::string& pointer, const std::string& ancestor) {
  return pointer.size() >= ancestor.size() && pointer.compare(0, ancestor.size(), ancestor) == 0 &&
         (pointer.size() == ancestor.size() || pointer[ancestor.size()] == '/');
}

// Keeps every error except wrappers already explained by an error at or below their pointer,
// and duplicates.
std::vector<Problem> ToProblems(const std::vector<RawError>& raw) {
  std::vector<Problem> out;
  std::set<std::pair<std::string, std::string>> seen;
  for (const RawError& e : raw) {
    if (e.wrapper) {
      bool explained = std::any_of(raw.begin(), raw.end(), [&](const RawError& other) {
        return !other.wrapper && IsWithin(other.problem.pointer, e.problem.pointer);
      });
      if (explained) continue;
    }
    if (seen.insert({e.problem.pointer, e.problem.message}).second) out.push_back(e.problem);
  }
  return out;
}

// Depth of nesting (containers) of `instance`, without recursion; stops counting past `limit`.
// Also says whether it holds an unsigned integer above INT64_MAX.
bool DeeperThan(const json& instance, size_t limit, bool& huge_unsigned) {
  huge_unsigned = false;
  std::vector<std::pair<const json*, size_t>> stack = {{&instance, 0}};
  while (!stack.empty()) {
    auto [node, depth] = stack.back();
    stack.pop_back();
    if (node->is_number_unsigned() &&
        node->get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      huge_unsigned = true;
    }
    if (!node->is_structured()) continue;
    if (depth + 1 > limit) return true;
    for (const json& child : *node) stack.emplace_back(&child, depth + 1);
  }
  return false;
}

// valijson reads every integer through int64_t, so an unsigned one above INT64_MAX would wrap to
// a negative number (and pass a `maximum`). Such values become doubles: compared by magnitude,
// no longer taken for integers.
json WidenHugeUnsigned(json instance) {
  std::vector<json*> stack = {&instance};
  while (!stack.empty()) {
    json* node = stack.back();
    stack.pop_back();
    if (node->is_number_unsigned() &&
        node->get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      *node = static_cast<double>(node->get<uint64_t>());
    } else if (node->is_structured()) {
      for (json& child : *node) stack.push_back(&child);
    }
  }
  return instance;
}

// The pointer of the first property whose name is longer than `limit` bytes, if any.
std::optional<std::string> LongKey(const json& instance, size_t limit) {
  std::vector<std::pair<const json*, std::string>> stack = {{&instance, ""}};
  while (!stack.empty()) {
    auto [node, pointer] = stack.back();
    stack.pop_back();
    if (node->is_object()) {
      for (const auto& [key, value] : node->items()) {
        std::string child = pointer + "/" + PointerToken(key);
        if (key.size() > limit) return child;
        stack.emplace_back(&value, std::move(child));
      }
    } else if (node->is_array()) {
      for (size_t i = 0; i < node->size(); ++i) {
        stack.emplace_back(&(*node)[i], pointer + "/" + std::to_string(i));
      }
    }
  }
  return std::nullopt;
}

// '%' would be read as an escape by valijson's reference resolution.
std::string EscapePercent(const std::string& pointer) {
  std::string out;
  for (char c : pointer) {
    if (c == '%') {
      out += "%25";
    } else {
      out += c;
    }
  }
  return out;
}

// One schema ready for valijson, with everything it references.
struct Compiled {
  json bundle;
  std::unique_ptr<valijson::Schema> schema;
  bool uses_pattern_properties = false;
};

}  // namespace

// ---------------------------------------------------------------------------------------------

struct SchemaRegistry::Impl {
  std::map<std::string, std::unique_ptr<Prepared>, std::less<>> docs;
  std::map<std::string, Location, std::less<>> resources;  // absolute URI -> where
  std::map<std::string, Location, std::less<>> anchors;    // "uri#name" -> where

  mutable std::mutex mu;
  mutable std::map<std::string, std::shared_ptr<const Compiled>, std::less<>> compiled;

  Result<std::shared_ptr<const Compiled>> Compile(std::string_view id) const;
  Result<std::shared_ptr<const Compiled>> CompileUncached(std::string_view id) const;
};

SchemaRegistry::SchemaRegistry() : impl_(std::make_unique<Impl>()) {}
SchemaRegistry::~SchemaRegistry() = default;
SchemaRegistry::SchemaRegistry(SchemaRegistry&&) noexcept = default;
SchemaRegistry& SchemaRegistry::operator=(SchemaRegistry&&) noexcept = default;

Status SchemaRegistry::Add(const nlohmann::json& schema) {
  try {
    if (!schema.is_object()) return InvalidArgumentError("schema: not a JSON object");
    auto id_it = schema.find("$id");
    if (id_it == schema.end() || !id_it->is_string()) {
      return InvalidArgumentError("schema: missing $id (a string)");
    }
    std::string id = id_it->get<std::string>();
    if (!id.empty() && id.back() == '#') id.pop_back();
    if (!SplitUri(id).has_scheme || id.find('#') != std::string::npos) {
      return InvalidArgumentError("schema: $id " + id + " is not an absolute URI without fragment");
    }
    Dialect dialect = Dialect::kDraft07;
    std::string dialect_uri(kJsonSchemaDraft07);
    if (auto s = schema.find("$schema"); s != schema.end()) {
      std::string v = s->is_string() ? s->get<std::string>() : "";
      if (v == kJsonSchemaDraft202012 || v == std::string(kJsonSchemaDraft202012) + "#") {
        dialect = Dialect::kDraft202012;
      } else if (v != kJsonSchemaDraft07 && v + "#" != kJsonSchemaDraft07) {
        return InvalidArgumentError("schema " + id + ": $schema " + s->dump() +
                                    " is not draft 07 or 2020-12");
      }
      dialect_uri = v;
    }
    if (impl_->docs.count(id) || impl_->resources.count(id)) {
      return AlreadyExistsError("schema: $id " + id + " is already registered");
    }

    auto prepared = std::make_unique<Prepared>();
    prepared->original = schema;
    Normaliser normaliser(dialect, dialect_uri, *prepared);
    Status st = normaliser.Run(schema, id);
    if (!st.ok()) return Status(st.code(), "schema " + id + ": " + std::string(st.message()));
    prepared->resources.emplace_back(id, "");

    std::set<std::string> own;
    for (const auto& [uri, pointer] : prepared->resources) {
      if (impl_->resources.count(uri) || !own.insert(uri).second) {
        return AlreadyExistsError("schema " + id + ": embedded $id " + uri + " is taken");
      }
    }
    for (const auto& [name, pointer] : prepared->anchors) {
      if (impl_->anchors.count(name) || !own.insert(name).second) {
        return AlreadyExistsError("schema " + id + ": anchor " + name + " is taken");
      }
    }
    for (const auto& [uri, pointer] : prepared->resources) {
      impl_->resources[uri] = Location{id, pointer};
    }
    for (const auto& [name, pointer] : prepared->anchors) {
      impl_->anchors[name] = Location{id, pointer};
    }
    impl_->docs[id] = std::move(prepared);
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->compiled.clear();  // a new document can complete references of older ones
    return Status::Ok();
  } catch (const std::bad_alloc&) {
    return ResourceExhaustedError("schema: out of memory");
  } catch (const std::exception& e) {
    return InternalError(std::string("schema: ") + e.what());
  }
}

bool SchemaRegistry::Contains(std::string_view id) const {
  return impl_->docs.find(id) != impl_->docs.end();
}

const nlohmann::json* SchemaRegistry::Find(std::string_view id) const {
  auto it = impl_->docs.find(id);
  return it == impl_->docs.end() ? nullptr : &it->second->original;
}

std::vector<std::string> SchemaRegistry::Ids() const {
  std::vector<std::string> ids;
  for (const auto& [id, doc] : impl_->docs) ids.push_back(id);
  return ids;
}

Status SchemaRegistry::Check(std::string_view id) const { return impl_->Compile(id).status(); }

Status SchemaRegistry::CheckAll() const {
  for (const auto& [id, doc] : impl_->docs) RETURN_IF_ERROR(Check(id));
  return Status::Ok();
}

Result<std::shared_ptr<const Compiled>> SchemaRegistry::Impl::Compile(std::string_view id) const {
  {
    std::lock_guard<std::mutex> lock(mu);
    if (auto it = compiled.find(id); it != compiled.end()) return it->second;
  }
  auto compile = [&]() -> Result<std::shared_ptr<const Compiled>> {
    try {
      return CompileUncached(id);
    } catch (const std::bad_alloc&) {
      return ResourceExhaustedError("schema: out of memory");
    } catch (const std::exception& e) {
      return InternalError("schema " + std::string(id) + ": " + e.what());
    }
  };
  Result<std::shared_ptr<const Compiled>> result = compile();
  if (result.ok()) {
    std::lock_guard<std::mutex> lock(mu);
    compiled.emplace(std::string(id), *result);
  }
  return result;
}

// Bundles the schema and every document it reaches into one JSON document (the others under
// kBundleKey), with each `$ref` rewritten to a JSON Pointer inside the bundle, and parses that
// with valijson. valijson never sees a URI, so it cannot try to fetch one.
Result<std::shared_ptr<const Compiled>> SchemaRegistry::Impl::CompileUncached(
    std::string_view id) const {
  auto root = docs.find(id);
  if (root == docs.end()) return NotFoundError("schema " + std::string(id) + " is not registered");

  std::vector<const Prepared*> order;
  std::map<std::string, std::string> prefix_of;  // document id -> its pointer in the bundle
  std::vector<std::string> queue = {std::string(id)};
  auto locate = [&](const std::string& target, const std::string& from, Location& where) -> Status {
    std::string uri, fragment;
    if (!SplitFragment(target, uri, fragment)) {
      return InvalidArgumentError("schema " + from + ": malformed $ref " + target);
    }
    if (fragment.empty() || fragment[0] == '/') {
      auto it = resources.find(uri);
      if (it == resources.end()) {
        return NotFoundError("schema " + from + ": $ref " + target +
                             " names no registered schema (schemas are never fetched)");
      }
      where = Location{it->second.doc_id, it->second.pointer + fragment};
    } else {
      auto it = anchors.find(uri + "#" + fragment);
      if (it == anchors.end()) {
        return NotFoundError("schema " + from + ": $ref " + target + " names no known anchor");
      }
      where = it->second;
    }
    return Status::Ok();
  };
  for (size_t next = 0; next < queue.size(); ++next) {
    const Prepared& doc = *docs.find(queue[next])->second;
    prefix_of[queue[next]] =
        next == 0 ? "" : "/" + std::string(kBundleKey) + "/" + std::to_string(next - 1);
    order.push_back(&doc);
    for (const auto& [holder, target] : doc.refs) {
      Location where;
      RETURN_IF_ERROR(locate(target, queue[next], where));
      if (std::find(queue.begin(), queue.end(), where.doc_id) == queue.end()) {
        queue.push_back(where.doc_id);
      }
    }
  }

  auto compiled_schema = std::make_shared<Compiled>();
  json& bundle = compiled_schema->bundle;
  bundle = order[0]->normalised;
  if (order.size() > 1) {
    json& others = bundle[std::string(kBundleKey)];
    others = json::array();
    for (size_t i = 1; i < order.size(); ++i) others.push_back(order[i]->normalised);
  }
  for (size_t i = 0; i < order.size(); ++i) {
    const Prepared& doc = *order[i];
    compiled_schema->uses_pattern_properties |= doc.uses_pattern_properties;
    for (const auto& [holder, target] : doc.refs) {
      Location where;
      RETURN_IF_ERROR(locate(target, queue[i], where));
      const Prepared& target_doc = *docs.find(where.doc_id)->second;
      auto mapped = target_doc.pointer_map.find(where.pointer);
      if (mapped == target_doc.pointer_map.end()) {
        return InvalidArgumentError("schema " + queue[i] + ": $ref " + target +
                                    " does not lead to a subschema");
      }
      json& holder_node = bundle.at(json::json_pointer(prefix_of[queue[i]] + holder));
      holder_node["$ref"] = "#" + EscapePercent(prefix_of[where.doc_id] + mapped->second);
    }
  }

  valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
  parser.addConstraintBuilder(std::string(kPatternKey),
                              new StringConstraintBuilder<PatternConstraint>());
  parser.addConstraintBuilder(std::string(kFormatKey),
                              new StringConstraintBuilder<FormatConstraint>());
  compiled_schema->schema = std::make_unique<valijson::Schema>();
  valijson::adapters::NlohmannJsonAdapter adapter(bundle);
  try {
    parser.populateSchema(adapter, *compiled_schema->schema);
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& e) {
    return InvalidArgumentError("schema " + std::string(id) + ": " + e.what());
  }
  return std::shared_ptr<const Compiled>(std::move(compiled_schema));
}

Result<SchemaRegistry> SchemaRegistry::WithBuiltins() {
  SchemaRegistry registry;
  for (const EmbeddedSchema& e : EmbeddedSchemas()) {
    auto parsed = codec::ParseJson(e.text);
    if (!parsed.ok()) {
      return DataLossError("embedded schema " + std::string(e.file) + ": " +
                           parsed.status().ToString());
    }
    Status st = registry.Add(*parsed);
    if (!st.ok()) {
      return DataLossError("embedded schema " + std::string(e.file) + ": " + st.ToString());
    }
  }
  Status st = registry.CheckAll();
  if (!st.ok()) return DataLossError("embedded schemas: " + st.ToString());
  return registry;
}

std::vector<Problem> ValidateAgainstSchema(const nlohmann::json& instance,
                                           std::string_view schema_id,
                                           const SchemaRegistry& registry) {
  const std::string id(schema_id);
  try {
    if (!registry.Contains(schema_id)) {
      return {Problem{"", "schema: " + id + " is not registered (schemas are never fetched)"}};
    }
    auto compiled = registry.impl_->Compile(schema_id);
    if (!compiled.ok()) {
      return {Problem{"", "schema: " + id + " cannot be used: " + compiled.status().ToString()}};
    }
    const codec::JsonLimits limits;
    bool huge_unsigned = false;
    if (DeeperThan(instance, limits.max_depth, huge_unsigned)) {
      return {Problem{"", "schema: instance nested deeper than " +
                              std::to_string(limits.max_depth) + " levels"}};
    }
    std::optional<json> widened;
    if (huge_unsigned) widened = WidenHugeUnsigned(instance);
    const json& target = widened ? *widened : instance;
    // valijson matches patternProperties with std::regex itself, on each property name.
    if ((*compiled)->uses_pattern_properties) {
      if (auto key = LongKey(instance, kMaxPatternSubjectBytes)) {
        return {Problem{*key, "patternProperties: property name longer than " +
                                  std::to_string(kMaxPatternSubjectBytes) +
                                  " bytes is not matched against patterns"}};
      }
    }
    valijson::Validator validator(valijson::Validator::kStrongTypes);
    valijson::adapters::NlohmannJsonAdapter adapter(target);
    // Most documents are valid: a first pass without a results sink stops at the first failure
    // and builds no error text for the branches of anyOf / oneOf that did not match, which is
    // most of valijson's cost. Only an invalid document is walked again to explain why.
    if (validator.validate(*(*compiled)->schema, adapter, nullptr)) return {};
    valijson::ValidationResults results;
    const bool valid = validator.validate(*(*compiled)->schema, adapter, &results);
    std::vector<RawError> raw;
    for (const auto& e : results) raw.push_back(ToRawError(e, target));
    std::vector<Problem> problems = ToProblems(raw);
    if (!valid && problems.empty()) {
      problems.push_back(Problem{"", "schema: does not match " + id});
    }
    if (valid && !problems.empty()) problems.clear();  // errors of branches that did not count
    return problems;
  } catch (const std::bad_alloc&) {
    return {Problem{"", "schema: out of memory while validating against " + id}};
  } catch (const std::exception& e) {
    return {Problem{"", "schema: validator error against " + id + ": " + e.what()}};
  }
}

namespace {

void CheckCredentialSchemasOrThrow(const json& vc, const SchemaRegistry& registry,
                                   VerificationReport& report) {
  if (!vc.is_object()) {
    report.Fail(kCheckSchema, "the credential is not a JSON object");
    return;
  }
  auto it = vc.find("credentialSchema");
  if (it == vc.end()) {
    report.NotApplicable(kCheckSchema, "the credential has no credentialSchema");
    return;
  }
  std::vector<std::pair<const json*, std::string>> entries;
  if (it->is_object()) {
    entries.emplace_back(&*it, "/credentialSchema");
  } else if (it->is_array() && !it->empty()) {
    for (size_t i = 0; i < it->size(); ++i) {
      entries.emplace_back(&(*it)[i], "/credentialSchema/" + std::to_string(i));
    }
  } else {
    report.AddProblem({"/credentialSchema", "must be an object or a non-empty array of objects"});
    report.Fail(kCheckSchema, "credentialSchema is malformed", "/credentialSchema");
    return;
  }

  std::vector<std::string> passed, skipped, failed;
  std::string first_failure;
  auto fail = [&](const std::string& pointer, const std::string& what) {
    failed.push_back(what);
    if (first_failure.empty()) first_failure = pointer;
  };
  for (const auto& [entry, pointer] : entries) {
    if (!entry->is_object()) {
      report.AddProblem({pointer, "credentialSchema entry must be an object"});
      fail(pointer, pointer + " is not an object");
      continue;
    }
    auto id = entry->find("id");
    auto type = entry->find("type");
    if (id == entry->end() || !id->is_string() || id->get<std::string>().empty()) {
      report.AddProblem({pointer + "/id", "credentialSchema id must be a non-empty string"});
      fail(pointer, pointer + " has no id");
      continue;
    }
    if (type == entry->end() || !type->is_string()) {
      report.AddProblem({pointer + "/type", "credentialSchema type must be a string"});
      fail(pointer, pointer + " has no type");
      continue;
    }
    const std::string schema_id = id->get<std::string>();
    const std::string schema_type = type->get<std::string>();
    if (schema_type == "JsonSchemaCredential") {
      skipped.push_back(schema_id +
                        " (JsonSchemaCredential is not supported yet: its id names a credential "
                        "wrapping the schema, which would have to be fetched and its proof "
                        "verified first)");
      continue;
    }
    if (schema_type != "JsonSchema" && schema_type != "JsonSchemaValidator2018") {
      skipped.push_back(schema_id + " (credentialSchema type " + schema_type + " not supported)");
      continue;
    }
    if (!registry.Contains(schema_id)) {
      skipped.push_back(schema_id + " (not registered; schemas are never fetched)");
      continue;
    }
    if (Status st = registry.Check(schema_id); !st.ok()) {
      skipped.push_back(schema_id + " (unusable: " + st.ToString() + ")");
      continue;
    }
    std::vector<Problem> problems = ValidateAgainstSchema(vc, schema_id, registry);
    if (problems.empty()) {
      passed.push_back(schema_id);
      continue;
    }
    for (Problem& p : problems) {
      report.AddProblem({p.pointer, "schema " + schema_id + ": " + p.message});
    }
    fail(pointer, schema_id + " (" + std::to_string(problems.size()) + " problem" +
                      (problems.size() == 1 ? "" : "s") + ")");
  }

  auto list = [](const std::vector<std::string>& items) {
    std::string s;
    for (const std::string& item : items) s += (s.empty() ? "" : "; ") + item;
    return s;
  };
  std::string skipped_note = skipped.empty() ? "" : "; skipped: " + list(skipped);
  if (!failed.empty()) {
    report.Fail(kCheckSchema, "does not match: " + list(failed) + skipped_note, first_failure);
  } else if (!passed.empty()) {
    report.Pass(kCheckSchema, "matches " + list(passed) + skipped_note);
  } else {
    report.NotApplicable(kCheckSchema, "no schema could be checked: " + list(skipped));
  }
}

}  // namespace

void CheckCredentialSchemas(const nlohmann::json& vc, const SchemaRegistry& registry,
                            VerificationReport& report) {
  try {
    CheckCredentialSchemasOrThrow(vc, registry, report);
  } catch (const std::exception& e) {
    report.Fail(kCheckSchema, std::string("schema check aborted: ") + e.what());
  }
}

}  // namespace traceport::vc
