#include "codec/json.h"

#include <charconv>
#include <cstring>
#include <iterator>
#include <new>
#include <utility>
#include <vector>

#include "codec/fast_json.h"
#include "codec/internal/text.h"

namespace traceport::codec {
namespace {

using json = nlohmann::json;

// A const char* that records how far nlohmann's input adapter has read. Used only to find
// the offset of a duplicate name or an over-deep container, on the error path.
class CountingIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  CountingIterator(const char* base, const char* p, size_t* consumed)
      : base_(base), p_(p), consumed_(consumed) {}
  reference operator*() const { return *p_; }
  CountingIterator& operator++() {
    ++p_;
    *consumed_ = static_cast<size_t>(p_ - base_);
    return *this;
  }
  CountingIterator operator++(int) {
    CountingIterator old = *this;
    ++*this;
    return old;
  }
  // C++20 derives != from this.
  friend bool operator==(const CountingIterator& a, const CountingIterator& b) {
    return a.p_ == b.p_;
  }

 private:
  const char* base_;
  const char* p_;
  size_t* consumed_;
};

enum class Failure { kNone, kSyntax, kDuplicateName, kTooDeep, kUnexpected };

// Builds the DOM from nlohmann's SAX events, the way nlohmann's own DOM parser does, but
// refusing duplicate names and excessive depth.
class StrictDomBuilder {
 public:
  StrictDomBuilder(json* root, size_t max_depth, const size_t* consumed)
      : root_(root), max_depth_(max_depth), consumed_(consumed) {
    stack_.reserve(16);
  }

  // The SAX interface (nlohmann::json_sax<json>), checked statically by sax_parse.
  bool null() { return Put(nullptr); }
  bool boolean(bool v) { return Put(v); }
  bool number_integer(json::number_integer_t v) { return Put(v); }
  bool number_unsigned(json::number_unsigned_t v) { return Put(v); }
  bool number_float(json::number_float_t v, const json::string_t& /*text*/) { return Put(v); }
  // Copy rather than move: the lexer reuses its token buffer, and stealing it would make the
  // lexer regrow it for every string.
  bool string(json::string_t& v) { return Put(std::as_const(v)); }
  bool binary(json::binary_t& /*v*/) {
    failure_ = Failure::kUnexpected;  // the JSON text format has no binary values
    return false;
  }
  bool start_object(std::size_t /*elements*/) { return Open(json::value_t::object); }
  bool start_array(std::size_t /*elements*/) { return Open(json::value_t::array); }
  bool end_object() {
    stack_.pop_back();
    return true;
  }
  bool end_array() {
    stack_.pop_back();
    return true;
  }
  bool key(json::string_t& name) {
    auto* object = stack_.back()->get_ptr<json::object_t*>();
    auto [it, inserted] = object->try_emplace(std::as_const(name));
    if (!inserted) {
      failure_ = Failure::kDuplicateName;
      duplicate_ = name;
      RecordPosition();
      return false;
    }
    slot_ = &it->second;
    return true;
  }
  bool parse_error(std::size_t position, const std::string& /*last_token*/,
                   const nlohmann::detail::exception& ex) {
    failure_ = Failure::kSyntax;
    position_ = position;
    what_ = ex.what();
    return false;
  }

  Failure failure() const { return failure_; }
  size_t position() const { return position_; }
  const std::string& what() const { return what_; }
  const std::string& duplicate() const { return duplicate_; }

  // JSON Pointer of the innermost open container ("" for the root).
  std::string OpenContainerPath() const {
    std::string path;
    for (size_t i = 0; i + 1 < stack_.size(); ++i) {
      const json* parent = stack_[i];
      const json* child = stack_[i + 1];
      path.push_back('/');
      if (parent->is_array()) {
        path += std::to_string(parent->size() - 1);
      } else {
        for (const auto& [name, value] : *parent->get_ptr<const json::object_t*>()) {
          if (&value == child) {
            path += internal::PointerToken(name);
            break;
          }
        }
      }
    }
    return path;
  }

 private:
  template <typename V>
  bool Put(V&& v) {
    Place(std::forward<V>(v));
    return true;
  }

  template <typename V>
  json* Place(V&& v) {
    if (stack_.empty()) {
      *root_ = json(std::forward<V>(v));
      return root_;
    }
    json* top = stack_.back();
    if (top->is_array()) {
      auto* array = top->get_ptr<json::array_t*>();
      array->emplace_back(std::forward<V>(v));
      return &array->back();
    }
    *slot_ = json(std::forward<V>(v));
    return slot_;
  }

  bool Open(json::value_t type) {
    if (stack_.size() >= max_depth_) {
      failure_ = Failure::kTooDeep;
      RecordPosition();
      return false;
    }
    // Pointers into a parent array stay valid: the parent does not grow while a child is open.
    stack_.push_back(Place(type));
    return true;
  }

  void RecordPosition() {
    if (consumed_ != nullptr) position_ = *consumed_;
  }

  json* root_;
  size_t max_depth_;
  const size_t* consumed_;
  std::vector<json*> stack_;
  json* slot_ = nullptr;  // the member value the next event fills, inside an object
  Failure failure_ = Failure::kNone;
  size_t position_ = 0;
  std::string what_;
  std::string duplicate_;
};

// nlohmann's message without its "[json.exception.parse_error.101] parse error at line 1,
// column 3: " preamble (we report a byte offset instead), made printable and bounded.
std::string SyntaxDetail(const std::string& what) {
  std::string_view detail = what;
  if (size_t close = detail.find("] "); close != std::string_view::npos) {
    detail.remove_prefix(close + 2);
  }
  if (detail.rfind("parse error", 0) == 0) {
    if (size_t colon = detail.find(": "); colon != std::string_view::npos) {
      detail.remove_prefix(colon + 2);
    }
  }
  return internal::Printable(detail, 160);
}

// Offset of the opening quote of the string whose closing quote is at text[close].
size_t OpeningQuote(std::string_view text, size_t close) {
  for (size_t j = close; j-- > 0;) {
    if (text[j] != '"') continue;
    size_t backslashes = 0;
    while (backslashes < j && text[j - 1 - backslashes] == '\\') ++backslashes;
    if (backslashes % 2 == 0) return j;
  }
  return 0;
}

// Re-parses `text` while counting consumed bytes to locate a duplicate name or an over-deep
// container found by the fast pass. Only runs on the error path.
Status LocateStructuralError(std::string_view text, size_t max_depth) {
  json scratch;
  size_t consumed = 0;
  StrictDomBuilder builder(&scratch, max_depth, &consumed);
  const char* b = text.data();
  const char* e = b + text.size();
  json::sax_parse(CountingIterator(b, b, &consumed), CountingIterator(b, e, &consumed), &builder);
  const size_t pos = builder.position();
  switch (builder.failure()) {
    case Failure::kDuplicateName: {
      std::string where = builder.OpenContainerPath();
      where = where.empty() ? "the top-level object" : "object at " + where;
      size_t at = pos > 0 ? OpeningQuote(text, pos - 1) : 0;
      return InvalidArgumentError("json: duplicate member name \"" +
                                  internal::Printable(builder.duplicate()) + "\" at offset " +
                                  std::to_string(at) + " (in " + where + ")");
    }
    case Failure::kTooDeep:
      return ResourceExhaustedError("json: nesting deeper than " + std::to_string(max_depth) +
                                    " at offset " + std::to_string(pos > 0 ? pos - 1 : 0));
    default:
      return InternalError("json: structural error not reproduced");
  }
}

}  // namespace

Result<json> ParseJson(std::string_view text, const JsonLimits& limits) {
  if (!text.empty() && text.size() <= limits.max_bytes) {
    Result<FastJson> fast = FastJson::Parse(text, limits);
    if (fast.ok()) {
      try {
        return ToJson(fast->root());
      } catch (const std::bad_alloc&) {
        return ResourceExhaustedError("json: out of memory");
      }
    }
  }
  return ParseJsonNlohmann(text, limits);
}

Result<json> ParseJsonNlohmann(std::string_view text, const JsonLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return ResourceExhaustedError("json: input of " + std::to_string(text.size()) +
                                  " bytes exceeds the limit of " +
                                  std::to_string(limits.max_bytes));
  }
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") {
    return InvalidArgumentError("json: byte order mark at offset 0 is not allowed");
  }
  // nlohmann's lexer takes a NUL byte for the end of input, so "{}\0junk" would pass as "{}".
  // No JSON text contains a raw NUL (inside strings it must be escaped), so refuse it here.
  if (const void* nul = text.empty() ? nullptr : std::memchr(text.data(), 0, text.size());
      nul != nullptr) {
    const auto at = static_cast<size_t>(static_cast<const char*>(nul) - text.data());
    return InvalidArgumentError("json: invalid JSON at offset " + std::to_string(at) +
                                ": NUL byte");
  }
  const size_t max_depth = limits.max_depth < kMaxJsonDepth ? limits.max_depth : kMaxJsonDepth;
  try {
    json root;
    StrictDomBuilder builder(&root, max_depth, nullptr);
    const char* b = text.data();
    if (json::sax_parse(b, b + text.size(), &builder)) return root;
    switch (builder.failure()) {
      case Failure::kSyntax: {
        size_t pos = builder.position();
        return InvalidArgumentError("json: invalid JSON at offset " +
                                    std::to_string(pos > 0 ? pos - 1 : 0) + ": " +
                                    SyntaxDetail(builder.what()));
      }
      case Failure::kDuplicateName:
      case Failure::kTooDeep:
        return LocateStructuralError(text, max_depth);
      default:
        return InternalError("json: parser stopped without a reason");
    }
  } catch (const std::bad_alloc&) {
    return ResourceExhaustedError("json: out of memory");
  } catch (const std::exception& e) {
    return InternalError(std::string("json: unexpected exception: ") +
                         internal::Printable(e.what(), 160));
  }
}

std::string JsonTypeName(const json& value) { return value.type_name(); }

namespace {

bool AppendCompact(const json& value, std::string* out) {
  size_t bad_at = 0;  // where a string stops being UTF-8 (nlohmann then writes it all)
  switch (value.type()) {
    case json::value_t::null:
      out->append("null");
      return true;
    case json::value_t::boolean:
      out->append(value.get_ref<const json::boolean_t&>() ? "true" : "false");
      return true;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: {
      char digits[24];
      const auto [end, ec] = value.is_number_unsigned()
                                 ? std::to_chars(digits, digits + sizeof(digits),
                                                 value.get_ref<const json::number_unsigned_t&>())
                                 : std::to_chars(digits, digits + sizeof(digits),
                                                 value.get_ref<const json::number_integer_t&>());
      if (ec != std::errc()) return false;
      out->append(digits, end);
      return true;
    }
    case json::value_t::string:
      return internal::AppendJsonString(value.get_ref<const std::string&>(), *out, &bad_at);
    case json::value_t::array: {
      out->push_back('[');
      bool first = true;
      for (const json& item : value) {
        if (!first) out->push_back(',');
        first = false;
        if (!AppendCompact(item, out)) return false;
      }
      out->push_back(']');
      return true;
    }
    case json::value_t::object: {
      out->push_back('{');
      bool first = true;
      for (const auto& [name, item] : value.get_ref<const json::object_t&>()) {
        if (!first) out->push_back(',');
        first = false;
        if (!internal::AppendJsonString(name, *out, &bad_at)) return false;
        out->push_back(':');
        if (!AppendCompact(item, out)) return false;
      }
      out->push_back('}');
      return true;
    }
    case json::value_t::number_float:
      out->append(value.dump());  // nlohmann's shortest round-trip form, as in a whole dump
      return true;
    default:  // binary, discarded
      return false;
  }
}

}  // namespace

std::string DumpJson(const json& value) {
  std::string out;
  out.reserve(256);
  if (AppendCompact(value, &out)) return out;
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace traceport::codec
