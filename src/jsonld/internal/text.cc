#include "jsonld/internal/text.h"

namespace traceport::jsonld::internal {

std::string Printable(std::string_view s, size_t max) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(s.size() < max ? s.size() : max + 3);
  size_t i = 0;
  for (; i < s.size() && i < max; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c <= 0x7e) {
      out.push_back(static_cast<char>(c));
    } else {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    }
  }
  if (i < s.size()) out += "...";
  return out;
}

std::string Quote(std::string_view s) { return "\"" + Printable(s, 80) + "\""; }

std::string Snippet(const nlohmann::json& value) {
  return Printable(value.dump(-1, ' ', true, nlohmann::json::error_handler_t::replace), 80);
}

std::string KeyText(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace traceport::jsonld::internal
