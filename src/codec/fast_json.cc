#include "codec/fast_json.h"

#include <algorithm>
#include <vector>

#include "codec/internal/text.h"
#include "codec/json.h"

namespace traceport::codec {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

// Parsers are expensive to create (they allocate buffers sized to the largest document seen),
// so each thread keeps the ones its FastJson objects have released.
std::vector<std::unique_ptr<simdjson::dom::parser>>& ParserPool() {
  thread_local std::vector<std::unique_ptr<simdjson::dom::parser>> pool;
  return pool;
}

std::unique_ptr<simdjson::dom::parser> TakeParser() {
  auto& pool = ParserPool();
  if (pool.empty()) return std::make_unique<simdjson::dom::parser>();
  auto p = std::move(pool.back());
  pool.pop_back();
  return p;
}

constexpr size_t kPoolMax = 4;
// A parser keeps buffers sized to the largest document it parsed; one grown by a large
// document is freed rather than kept, so that every thread does not hold megabytes.
constexpr size_t kPoolMaxCapacity = 1 << 20;

// ParseJson's rules that simdjson does not apply: duplicate member names and the depth limit
// (counted as ParseJson counts: a container is one level deeper than its parent).
Status CheckTree(element value, size_t depth, size_t max_depth,
                 std::vector<std::string_view>& names) {
  switch (value.type()) {
    case element_type::ARRAY: {
      if (depth + 1 > max_depth) {
        return ResourceExhaustedError("json: nesting deeper than " + std::to_string(max_depth));
      }
      const simdjson::dom::array items = value.get_array().value_unsafe();
      for (element item : items) {
        RETURN_IF_ERROR(CheckTree(item, depth + 1, max_depth, names));
      }
      return Status::Ok();
    }
    case element_type::OBJECT: {
      if (depth + 1 > max_depth) {
        return ResourceExhaustedError("json: nesting deeper than " + std::to_string(max_depth));
      }
      const size_t base = names.size();
      const simdjson::dom::object fields = value.get_object().value_unsafe();
      for (auto field : fields) {
        names.push_back(field.key);
        RETURN_IF_ERROR(CheckTree(field.value, depth + 1, max_depth, names));
      }
      const size_t n = names.size() - base;
      std::optional<std::string_view> dup;
      if (n > 1 && n <= 16) {
        // Small objects (nearly all of them): compare pairs, no sorting.
        for (size_t i = base; i < names.size() && !dup; ++i) {
          for (size_t j = i + 1; j < names.size(); ++j) {
            if (names[i] == names[j]) {
              dup = names[i];
              break;
            }
          }
        }
      } else if (n > 16) {
        std::sort(names.begin() + static_cast<std::ptrdiff_t>(base), names.end());
        auto it =
            std::adjacent_find(names.begin() + static_cast<std::ptrdiff_t>(base), names.end());
        if (it != names.end()) dup = *it;
      }
      if (dup) {
        return InvalidArgumentError("json: duplicate member name \"" +
                                    internal::Printable(*dup, 80) + "\"");
      }
      names.resize(base);
      return Status::Ok();
    }
    default:
      return Status::Ok();
  }
}

}  // namespace

FastJson::FastJson(FastJson&&) noexcept = default;
FastJson& FastJson::operator=(FastJson&&) noexcept = default;

FastJson::~FastJson() {
  if (parser_ == nullptr) return;
  if (parser_->capacity() > kPoolMaxCapacity) return;
  auto& pool = ParserPool();
  if (pool.size() < kPoolMax) pool.push_back(std::move(parser_));
}

Result<FastJson> FastJson::Parse(std::string_view text, const JsonLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return ResourceExhaustedError("json: " + std::to_string(text.size()) +
                                  " bytes exceeds the limit of " +
                                  std::to_string(limits.max_bytes));
  }
  // simdjson copies the input with memcpy, which must not be given a null pointer.
  if (text.empty()) return InvalidArgumentError("json: empty input");
  // ParseJson refuses a byte order mark; newer simdjson releases skip one.
  if (text.starts_with("\xEF\xBB\xBF")) {
    return InvalidArgumentError("json: byte order mark at offset 0");
  }
  const size_t max_depth = std::min(limits.max_depth, kMaxJsonDepth);
  std::unique_ptr<simdjson::dom::parser> parser = TakeParser();
  element root;
  if (auto error = parser->parse(text.data(), text.size(), /*realloc_if_needed=*/true).get(root);
      error != simdjson::SUCCESS) {
    FastJson discard(std::move(parser), element());  // back to the pool
    if (error == simdjson::DEPTH_ERROR) {
      return ResourceExhaustedError("json: nesting deeper than the parser allows");
    }
    if (error == simdjson::MEMALLOC || error == simdjson::CAPACITY) {
      return ResourceExhaustedError(std::string("json: ") + simdjson::error_message(error));
    }
    return InvalidArgumentError(std::string("json: ") + simdjson::error_message(error));
  }
  FastJson out(std::move(parser), root);
  std::vector<std::string_view> names;
  RETURN_IF_ERROR(CheckTree(root, 0, max_depth, names));
  return out;
}

std::optional<element> FastMember(element object, std::string_view name) {
  simdjson::dom::object o;
  if (object.get_object().get(o) != simdjson::SUCCESS) return std::nullopt;
  element v;
  if (o.at_key(name).get(v) != simdjson::SUCCESS) return std::nullopt;
  return v;
}

nlohmann::json ToJson(element value) {
  switch (value.type()) {
    case element_type::OBJECT: {
      nlohmann::json out = nlohmann::json::object();
      auto& members = out.get_ref<nlohmann::json::object_t&>();
      const simdjson::dom::object fields = value.get_object().value_unsafe();
      for (auto field : fields) {
        members.emplace(std::string(field.key), ToJson(field.value));
      }
      return out;
    }
    case element_type::ARRAY: {
      nlohmann::json out = nlohmann::json::array();
      auto& items = out.get_ref<nlohmann::json::array_t&>();
      const simdjson::dom::array array = value.get_array().value_unsafe();
      for (element item : array) items.push_back(ToJson(item));
      return out;
    }
    case element_type::STRING:
      return nlohmann::json(std::string(value.get_string().value_unsafe()));
    case element_type::INT64: {
      // ParseJson (nlohmann) keeps non-negative integers unsigned.
      const int64_t i = value.get_int64().value_unsafe();
      return i >= 0 ? nlohmann::json(static_cast<uint64_t>(i)) : nlohmann::json(i);
    }
    case element_type::UINT64:
      return nlohmann::json(value.get_uint64().value_unsafe());
    case element_type::DOUBLE:
      return nlohmann::json(value.get_double().value_unsafe());
    case element_type::BOOL:
      return nlohmann::json(value.get_bool().value_unsafe());
    case element_type::NULL_VALUE:
      return nlohmann::json(nullptr);
  }
  return nlohmann::json();
}

bool IsValidUtf8(std::string_view text) {
  return simdjson::validate_utf8(text.data(), text.size());
}

}  // namespace traceport::codec
