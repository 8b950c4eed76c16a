#include "codec/internal/text.h"

namespace traceport::codec::internal {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void AppendHexByte(uint8_t byte, std::string* out) {
  out->push_back(kHex[byte >> 4]);
  out->push_back(kHex[byte & 0xF]);
}

}  // namespace

std::string DescribeByte(uint8_t byte) {
  std::string out;
  if (byte > 0x20 && byte < 0x7F && byte != '\'' && byte != '\\') {
    out.push_back('\'');
    out.push_back(static_cast<char>(byte));
    out.push_back('\'');
  } else {
    out = "0x";
    AppendHexByte(byte, &out);
  }
  return out;
}

std::string Printable(std::string_view text, size_t max_bytes) {
  std::string out;
  size_t n = text.size() < max_bytes ? text.size() : max_bytes;
  out.reserve(n + 8);
  for (size_t i = 0; i < n; ++i) {
    auto byte = static_cast<uint8_t>(text[i]);
    if (byte >= 0x20 && byte < 0x7F && byte != '\\') {
      out.push_back(static_cast<char>(byte));
    } else {
      out += "\\x";
      AppendHexByte(byte, &out);
    }
  }
  if (n < text.size()) out += "...";
  return out;
}

std::string PointerToken(std::string_view key) {
  std::string escaped;
  escaped.reserve(key.size());
  for (char c : key) {
    if (c == '~') {
      escaped += "~0";
    } else if (c == '/') {
      escaped += "~1";
    } else {
      escaped.push_back(c);
    }
  }
  return Printable(escaped);
}

}  // namespace traceport::codec::internal
