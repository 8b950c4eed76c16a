#include "codec/jcs.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <new>
#include <optional>
#include <vector>

#include "codec/fast_json.h"
#include "codec/internal/text.h"

namespace traceport::codec {
namespace {

using json = nlohmann::json;

constexpr double kTwoTo53 = 9007199254740992.0;
constexpr int64_t kMaxSafeInteger = int64_t{1} << 53;

// ---- Numbers ----------------------------------------------------------------------------

// Writes Number::toString(v) for finite, non-zero v into buf (at least 40 bytes) and returns
// the end. std::to_chars gives the shortest round-trip digits (the "k as small as possible"
// digits of ECMA-262 Number::toString step 5); the rest is that algorithm's layout.
char* WriteEs6Finite(double v, char* buf) {
  char* p = buf;
  if (v < 0) {
    *p++ = '-';
    v = -v;
  }
  // Fast path: integers below 2^53 print as themselves.
  if (v < kTwoTo53) {
    auto u = static_cast<uint64_t>(v);
    if (static_cast<double>(u) == v) return std::to_chars(p, buf + 40, u).ptr;
  }
  char sci[32];
  const char* end = std::to_chars(sci, sci + sizeof(sci), v, std::chars_format::scientific).ptr;
  // sci is "D[.DDD]e(+|-)XX": collect the digits and the exponent.
  char digits[20];
  int k = 0;
  const char* s = sci;
  digits[k++] = *s++;
  if (*s == '.') {
    ++s;
    while (*s != 'e') digits[k++] = *s++;
  }
  ++s;  // 'e'
  const bool negative_exponent = *s++ == '-';
  int e = 0;
  while (s < end) e = e * 10 + (*s++ - '0');
  if (negative_exponent) e = -e;
  const int n = e + 1;  // the position of the decimal point relative to the digits

  if (k <= n && n <= 21) {  // integer: digits then zeros
    std::memcpy(p, digits, static_cast<size_t>(k));
    p += k;
    std::memset(p, '0', static_cast<size_t>(n - k));
    return p + (n - k);
  }
  if (0 < n && n <= 21) {  // decimal point inside the digits
    std::memcpy(p, digits, static_cast<size_t>(n));
    p += n;
    *p++ = '.';
    std::memcpy(p, digits + n, static_cast<size_t>(k - n));
    return p + (k - n);
  }
  if (-6 < n && n <= 0) {  // 0.000ddd
    *p++ = '0';
    *p++ = '.';
    std::memset(p, '0', static_cast<size_t>(-n));
    p += -n;
    std::memcpy(p, digits, static_cast<size_t>(k));
    return p + k;
  }
  // Exponent form: d[.ddd]e(+|-)x
  *p++ = digits[0];
  if (k > 1) {
    *p++ = '.';
    std::memcpy(p, digits + 1, static_cast<size_t>(k - 1));
    p += k - 1;
  }
  *p++ = 'e';
  const int x = n - 1;
  *p++ = x < 0 ? '-' : '+';
  return std::to_chars(p, buf + 40, x < 0 ? -x : x).ptr;
}

void AppendEs6Number(double v, std::string& out) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v < 0 ? "-Infinity" : "Infinity";
  } else if (v == 0) {
    out.push_back('0');  // both +0 and -0
  } else {
    char buf[40];
    out.append(buf, WriteEs6Finite(v, buf));
  }
}

template <typename Int>
void AppendInteger(Int v, std::string& out) {
  char buf[24];
  out.append(buf, std::to_chars(buf, buf + sizeof(buf), v).ptr);
}

// ---- Strings ----------------------------------------------------------------------------

constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kHighBits = 0x8080808080808080ULL;

// Eight bytes from p, the first in the lowest bits whatever the machine's byte order.
uint64_t Load8(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap64(w);
  return w;
}

// The bytes of w that are below 0x20, '"', '\\' or 0x80 and above, i.e. need escaping or UTF-8
// validation, as the high bit of each. Bit tricks from "Bit Twiddling Hacks" (hasless/haszero):
// a false positive in one byte can only happen above a true positive, so the lowest set bit is
// exact, and that is the only one the callers read.
uint64_t AttentionMask(uint64_t w) {
  const uint64_t control = (w - kOnes * 0x20) & ~w;
  const uint64_t q = w ^ (kOnes * '"');
  const uint64_t quote = (q - kOnes) & ~q;
  const uint64_t b = w ^ (kOnes * '\\');
  const uint64_t backslash = (b - kOnes) & ~b;
  return (control | quote | backslash | w) & kHighBits;
}

// Length of the well-formed UTF-8 sequence at p (RFC 3629: no overlong forms, no surrogates,
// nothing above U+10FFFF), or 0.
size_t Utf8SequenceLength(const uint8_t* p, size_t available) {
  const uint8_t c = p[0];
  auto cont = [&](size_t i) { return i < available && (p[i] & 0xC0) == 0x80; };
  if (c < 0xC2) return 0;  // ASCII is handled by the caller; 0x80..0xC1 never lead
  if (c < 0xE0) return cont(1) ? 2 : 0;
  if (c < 0xF0) {
    if (available < 3) return 0;
    const uint8_t lo = c == 0xE0 ? 0xA0 : 0x80;
    const uint8_t hi = c == 0xED ? 0x9F : 0xBF;
    return p[1] >= lo && p[1] <= hi && cont(2) ? 3 : 0;
  }
  if (c < 0xF5) {
    if (available < 4) return 0;
    const uint8_t lo = c == 0xF0 ? 0x90 : 0x80;
    const uint8_t hi = c == 0xF4 ? 0x8F : 0xBF;
    return p[1] >= lo && p[1] <= hi && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

void AppendEscape(uint8_t c, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  switch (c) {
    case '"':
      out.append("\\\"", 2);
      return;
    case '\\':
      out.append("\\\\", 2);
      return;
    case '\b':
      out.append("\\b", 2);
      return;
    case '\t':
      out.append("\\t", 2);
      return;
    case '\n':
      out.append("\\n", 2);
      return;
    case '\f':
      out.append("\\f", 2);
      return;
    case '\r':
      out.append("\\r", 2);
      return;
    default: {
      const char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
      out.append(esc, 6);
    }
  }
}

// ---- Member order -----------------------------------------------------------------------

// UTF-8 byte order equals code point order; UTF-16 code unit order differs only where one
// string has U+E000..U+FFFF (lead byte EE or EF) and the other a supplementary character
// (lead byte F0..F4, a surrogate pair D800.. in UTF-16, which sorts first). Bytes >= 0xEE are
// always lead bytes, so the first differing byte decides.
bool Utf16Less(std::string_view a, std::string_view b) {
  const size_t n = std::min(a.size(), b.size());
  size_t i = 0;
  while (i < n && a[i] == b[i]) ++i;
  if (i == n) return a.size() < b.size();
  const auto x = static_cast<uint8_t>(a[i]);
  const auto y = static_cast<uint8_t>(b[i]);
  const bool x_high_bmp = x == 0xEE || x == 0xEF;
  const bool y_high_bmp = y == 0xEE || y == 0xEF;
  if (x_high_bmp && y >= 0xF0) return false;
  if (y_high_bmp && x >= 0xF0) return true;
  return x < y;
}

constexpr unsigned kHasHighBmp = 1;  // a byte EE or EF: U+E000..U+FFFF
constexpr unsigned kHasAstral = 2;   // a byte F0..F4: above U+FFFF

unsigned NameFlags(std::string_view name) {
  const char* p = name.data();
  size_t i = 0;
  while (i + 8 <= name.size() && (Load8(p + i) & kHighBits) == 0) i += 8;
  unsigned flags = 0;
  for (; i < name.size(); ++i) {
    const auto c = static_cast<uint8_t>(p[i]);
    if (c >= 0xF0) {
      flags |= kHasAstral;
    } else if (c >= 0xEE) {
      flags |= kHasHighBmp;
    }
  }
  return flags;
}

// ---- Writer -----------------------------------------------------------------------------

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}
  // Leaves out the member `name` of the top-level object.
  Writer(std::string& out, std::string_view omit_top_level) : out_(out), omit_(omit_top_level) {}

  // Writes the member named by the constructor after all, and records where it sits (see
  // CanonicalWithMember).
  void KeepOmittedMember() { split_ = true; }
  size_t cut_begin() const { return cut_begin_; }
  size_t cut_end() const { return cut_end_; }
  // Values whose canonical bytes the caller already has, by address.
  void SetKnown(std::span<const KnownCanonical> known) { known_ = known; }

  // `depth` counts the containers around `v`.
  bool Write(const json& v, size_t depth) {
    switch (v.type()) {
      case json::value_t::null:
        out_.append("null", 4);
        return true;
      case json::value_t::boolean:
        if (*v.get_ptr<const json::boolean_t*>()) {
          out_.append("true", 4);
        } else {
          out_.append("false", 5);
        }
        return true;
      case json::value_t::number_integer: {
        const int64_t i = *v.get_ptr<const json::number_integer_t*>();
        if (i >= -kMaxSafeInteger && i <= kMaxSafeInteger) {
          AppendInteger(i, out_);
        } else {
          AppendEs6Number(static_cast<double>(i), out_);
        }
        return true;
      }
      case json::value_t::number_unsigned: {
        const uint64_t u = *v.get_ptr<const json::number_unsigned_t*>();
        if (u <= static_cast<uint64_t>(kMaxSafeInteger)) {
          AppendInteger(u, out_);
        } else {
          AppendEs6Number(static_cast<double>(u), out_);
        }
        return true;
      }
      case json::value_t::number_float: {
        const double d = *v.get_ptr<const json::number_float_t*>();
        if (!std::isfinite(d)) return Fail(StatusCode::kInvalidArgument, "number is not finite");
        AppendEs6Number(d, out_);
        return true;
      }
      case json::value_t::string:
        return WriteString(*v.get_ptr<const json::string_t*>(), "string");
      case json::value_t::array:
        return WriteArray(*v.get_ptr<const json::array_t*>(), depth + 1);
      case json::value_t::object:
        for (const KnownCanonical& k : known_) {
          if (k.value == &v) {
            out_.append(k.canonical);
            return true;
          }
        }
        return WriteObject(*v.get_ptr<const json::object_t*>(), depth + 1);
      case json::value_t::binary:
        return Fail(StatusCode::kInvalidArgument, "binary values have no JSON form");
      case json::value_t::discarded:
        return Fail(StatusCode::kInvalidArgument, "discarded values have no JSON form");
    }
    return Fail(StatusCode::kInternal, "unknown value type");
  }

  Status TakeError() {
    std::string path;
    for (auto it = path_.rbegin(); it != path_.rend(); ++it) {
      path.push_back('/');
      path += *it;
    }
    return Status(error_code_,
                  "jcs: " + error_ + " at " + (path.empty() ? std::string("the root") : path));
  }

 private:
  bool Fail(StatusCode code, std::string what) {
    error_code_ = code;
    error_ = std::move(what);
    return false;
  }

  bool TooDeep(size_t depth) {
    if (depth <= kMaxJsonDepth) return false;
    Fail(StatusCode::kResourceExhausted, "nesting deeper than " + std::to_string(kMaxJsonDepth));
    return true;
  }

  bool WriteString(const std::string& s, const char* what) {
    size_t bad_at = 0;
    if (internal::AppendJsonString(s, out_, &bad_at)) return true;
    return Fail(StatusCode::kInvalidArgument,
                std::string(what) + " is not valid UTF-8 (byte " + std::to_string(bad_at) + ")");
  }

  bool WriteArray(const json::array_t& array, size_t depth) {
    if (TooDeep(depth)) return false;
    out_.push_back('[');
    for (size_t i = 0; i < array.size(); ++i) {
      if (i != 0) out_.push_back(',');
      if (!Write(array[i], depth)) {
        path_.push_back(std::to_string(i));
        return false;
      }
    }
    out_.push_back(']');
    return true;
  }

  bool WriteMember(const std::string& name, const json& value, size_t depth) {
    bool ok = WriteString(name, "member name");
    if (ok) {
      out_.push_back(':');
      ok = Write(value, depth);
    }
    if (!ok) path_.push_back(internal::PointerToken(name));
    return ok;
  }

  bool WriteObject(const json::object_t& object, size_t depth) {
    if (TooDeep(depth)) return false;
    out_.push_back('{');
    // std::map keeps members in UTF-8 byte order, which is the JCS order unless names mix
    // U+E000..U+FFFF with supplementary characters; only then sort a list of pointers.
    unsigned flags = 0;
    if (object.size() > 1) {
      for (const auto& member : object) flags |= NameFlags(member.first);
    }
    bool first = true;
    if (flags != (kHasHighBmp | kHasAstral)) {
      for (const auto& [name, value] : object) {
        if (!WriteMemberOf(name, value, depth, first)) return false;
      }
    } else {
      std::vector<const json::object_t::value_type*> members;
      members.reserve(object.size());
      for (const auto& member : object) members.push_back(&member);
      std::sort(members.begin(), members.end(),
                [](const auto* a, const auto* b) { return Utf16Less(a->first, b->first); });
      for (const auto* member : members) {
        if (!WriteMemberOf(member->first, member->second, depth, first)) return false;
      }
    }
    out_.push_back('}');
    return true;
  }

  // One member of an object being written, with the comma before it unless it is the first;
  // the omitted top-level member is skipped, or written and located (KeepOmittedMember).
  bool WriteMemberOf(const std::string& name, const json& value, size_t depth, bool& first) {
    const bool omitted = depth == 1 && omit_ && name == *omit_;
    if (omitted && !split_) return true;
    const size_t begin = out_.size();
    if (!first) out_.push_back(',');
    first = false;
    if (!WriteMember(name, value, depth)) return false;
    if (omitted) {
      cut_begin_ = begin;
      cut_end_ = out_.size();
    }
    return true;
  }

  std::string& out_;
  std::optional<std::string_view> omit_;
  bool split_ = false;
  size_t cut_begin_ = 0;
  size_t cut_end_ = 0;
  std::span<const KnownCanonical> known_;
  StatusCode error_code_ = StatusCode::kOk;
  std::string error_;
  std::vector<std::string> path_;  // JSON Pointer tokens, innermost first
};

// The same serialization over a simdjson document. simdjson keeps members in document order,
// so every object's members are sorted here; one scratch vector serves every level.
class FastWriter {
 public:
  FastWriter(std::string& out, std::optional<std::string_view> omit) : out_(out), omit_(omit) {}

  // As Writer::KeepOmittedMember.
  void KeepOmittedMember() { split_ = true; }
  size_t cut_begin() const { return cut_begin_; }
  size_t cut_end() const { return cut_end_; }

  bool Write(simdjson::dom::element v, size_t depth) {
    using simdjson::dom::element_type;
    switch (v.type()) {
      case element_type::NULL_VALUE:
        out_.append("null", 4);
        return true;
      case element_type::BOOL:
        v.get_bool().value_unsafe() ? out_.append("true", 4) : out_.append("false", 5);
        return true;
      case element_type::INT64: {
        const int64_t i = v.get_int64().value_unsafe();
        if (i >= -kMaxSafeInteger && i <= kMaxSafeInteger) {
          AppendInteger(i, out_);
        } else {
          AppendEs6Number(static_cast<double>(i), out_);
        }
        return true;
      }
      case element_type::UINT64: {
        const uint64_t u = v.get_uint64().value_unsafe();
        if (u <= static_cast<uint64_t>(kMaxSafeInteger)) {
          AppendInteger(u, out_);
        } else {
          AppendEs6Number(static_cast<double>(u), out_);
        }
        return true;
      }
      case element_type::DOUBLE: {
        const double d = v.get_double().value_unsafe();
        if (!std::isfinite(d)) return Fail("number is not finite");
        AppendEs6Number(d, out_);
        return true;
      }
      case element_type::STRING: {
        size_t bad_at = 0;
        if (internal::AppendJsonString(v.get_string().value_unsafe(), out_, &bad_at)) return true;
        return Fail("string is not valid UTF-8");
      }
      case element_type::ARRAY: {
        if (depth + 1 > kMaxJsonDepth) return Fail("nesting too deep");
        out_.push_back('[');
        bool first = true;
        const simdjson::dom::array items = v.get_array().value_unsafe();
        for (simdjson::dom::element item : items) {
          if (!first) out_.push_back(',');
          first = false;
          if (!Write(item, depth + 1)) return false;
        }
        out_.push_back(']');
        return true;
      }
      case element_type::OBJECT: {
        if (depth + 1 > kMaxJsonDepth) return Fail("nesting too deep");
        const size_t base = members_.size();
        const simdjson::dom::object fields = v.get_object().value_unsafe();
        for (auto field : fields) {
          if (depth == 0 && omit_ && !split_ && field.key == *omit_) continue;
          members_.emplace_back(field.key, field.value);
        }
        std::sort(members_.begin() + static_cast<std::ptrdiff_t>(base), members_.end(),
                  [](const auto& a, const auto& b) { return Utf16Less(a.first, b.first); });
        out_.push_back('{');
        for (size_t i = base; i < members_.size(); ++i) {
          const size_t begin = out_.size();
          if (i != base) out_.push_back(',');
          // Copies: a nested object's members may reallocate the vector.
          const std::string_view name = members_[i].first;
          const simdjson::dom::element value = members_[i].second;
          size_t bad_at = 0;
          if (!internal::AppendJsonString(name, out_, &bad_at))
            return Fail("member name is not valid UTF-8");
          out_.push_back(':');
          if (!Write(value, depth + 1)) return false;
          if (depth == 0 && split_ && name == *omit_) {
            cut_begin_ = begin;
            cut_end_ = out_.size();
          }
        }
        out_.push_back('}');
        members_.resize(base);
        return true;
      }
    }
    return Fail("unknown value type");
  }

  Status TakeError() const { return InvalidArgumentError("jcs: " + error_); }

 private:
  bool Fail(std::string what) {
    error_ = std::move(what);
    return false;
  }

  std::string& out_;
  std::optional<std::string_view> omit_;
  bool split_ = false;
  size_t cut_begin_ = 0;
  size_t cut_end_ = 0;
  std::vector<std::pair<std::string_view, simdjson::dom::element>> members_;
  std::string error_;
};

Status CanonicalizeInto(const json& value, std::string& out,
                        std::optional<std::string_view> omit = std::nullopt,
                        std::span<const KnownCanonical> known = {}) {
  try {
    Writer writer = omit ? Writer(out, *omit) : Writer(out);
    writer.SetKnown(known);
    if (!writer.Write(value, 0)) return writer.TakeError();
    return Status::Ok();
  } catch (const std::bad_alloc&) {
    return ResourceExhaustedError("jcs: out of memory");
  } catch (const std::exception& e) {
    return InternalError(std::string("jcs: unexpected exception: ") +
                         internal::Printable(e.what(), 160));
  }
}

// CanonicalizeSplit with either writer (`value`: a json or a simdjson element, an object).
template <typename WriterType, typename Value>
Result<CanonicalWithMember> SplitWith(const Value& object, std::string_view member) {
  CanonicalWithMember out;
  out.canonical.reserve(1024);
  try {
    WriterType writer(out.canonical, member);
    writer.KeepOmittedMember();
    if (!writer.Write(object, 0)) return writer.TakeError();
    out.cut_begin = writer.cut_begin();
    out.cut_end = writer.cut_end();
  } catch (const std::bad_alloc&) {
    return ResourceExhaustedError("jcs: out of memory");
  }
  // The writers cut a member with the comma before it; the first member (right after '{') has
  // none, and takes the comma after it instead when another member follows.
  if (out.cut_begin == 1 && out.cut_end < out.canonical.size() &&
      out.canonical[out.cut_end] == ',') {
    ++out.cut_end;
  }
  return out;
}

}  // namespace

namespace internal {

bool AppendJsonString(std::string_view s, std::string& out, size_t* bad_at) {
  const char* p = s.data();
  const size_t n = s.size();
  size_t i = 0;
  size_t run = 0;  // start of the bytes not yet copied
  // Deals with the byte at i, which needs attention; false when it starts no valid UTF-8.
  auto attend = [&] {
    const auto c = static_cast<uint8_t>(p[i]);
    if (c >= 0x80) {
      const size_t len = Utf8SequenceLength(reinterpret_cast<const uint8_t*>(p + i), n - i);
      if (len == 0) {
        *bad_at = i;
        return false;
      }
      i += len;
    } else {
      out.append(p + run, i - run);
      AppendEscape(c, out);
      run = ++i;
    }
    return true;
  };
  out.push_back('"');
  if (n < 8) {
    while (i < n) {
      const auto c = static_cast<uint8_t>(p[i]);
      if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
        ++i;
      } else if (!attend()) {
        return false;
      }
    }
  } else {
    while (i < n) {
      // Eight bytes at a time. The last few are the top of the string's final eight bytes,
      // shifted down, with bytes that need nothing above them.
      uint64_t w;
      if (i + 8 <= n) {
        w = Load8(p + i);
      } else {
        const size_t left = n - i;  // 1 to 7
        w = Load8(p + n - 8) >> (8 * (8 - left)) | (kOnes * 'a') << (8 * left);
      }
      const uint64_t mask = AttentionMask(w);
      if (mask == 0) {
        i += 8;
        continue;
      }
      i += static_cast<size_t>(std::countr_zero(mask)) / 8;  // the first byte needing attention
      if (!attend()) return false;
    }
  }
  out.append(p + run, n - run);
  out.push_back('"');
  return true;
}

}  // namespace internal

std::string FormatEs6Number(double value) {
  std::string out;
  AppendEs6Number(value, out);
  return out;
}

Result<std::string> Canonicalize(const json& value) {
  std::string out;
  out.reserve(256);
  RETURN_IF_ERROR(CanonicalizeInto(value, out));
  return out;
}

Result<std::string> CanonicalizeWithout(const json& object, std::string_view member,
                                        std::span<const KnownCanonical> known) {
  if (!object.is_object()) return InvalidArgumentError("jcs: the value must be an object");
  std::string out;
  out.reserve(256);
  RETURN_IF_ERROR(CanonicalizeInto(object, out, member, known));
  return out;
}

std::string CanonicalWithMember::Without() const {
  std::string out;
  out.reserve(canonical.size() - (cut_end - cut_begin));
  out.append(canonical, 0, cut_begin);
  out.append(canonical, cut_end);
  return out;
}

Result<CanonicalWithMember> CanonicalizeSplit(const json& object, std::string_view member) {
  if (!object.is_object()) return InvalidArgumentError("jcs: the value must be an object");
  return SplitWith<Writer>(object, member);
}

Result<std::string> CanonicalizeFast(simdjson::dom::element value,
                                     std::optional<std::string_view> omit_top_level) {
  std::string out;
  out.reserve(1024);
  try {
    FastWriter writer(out, omit_top_level);
    if (!writer.Write(value, 0)) return writer.TakeError();
  } catch (const std::bad_alloc&) {
    return ResourceExhaustedError("jcs: out of memory");
  }
  return out;
}

Result<CanonicalWithMember> CanonicalizeFastSplit(simdjson::dom::element object,
                                                  std::string_view member) {
  if (!object.is_object()) return InvalidArgumentError("jcs: the value must be an object");
  return SplitWith<FastWriter>(object, member);
}

Result<std::string> CanonicalizeText(std::string_view json_text, const JsonLimits& limits) {
  ASSIGN_OR_RETURN(json value, ParseJson(json_text, limits));
  std::string out;
  out.reserve(json_text.size());
  RETURN_IF_ERROR(CanonicalizeInto(value, out));
  return out;
}

}  // namespace traceport::codec
