#include "ledger/verify/internal/text.h"

#include <string>

namespace traceport::ledger::internal {

std::optional<char32_t> DecodeUtf8(std::string_view text, size_t pos, size_t* length) {
  const auto byte = [&](size_t i) { return static_cast<uint8_t>(text[i]); };
  const uint8_t lead = byte(pos);
  if (lead < 0x80) {
    *length = 1;
    return lead;
  }
  size_t n;
  char32_t c;
  char32_t min;
  if ((lead & 0xe0) == 0xc0) {
    n = 2, c = lead & 0x1f, min = 0x80;
  } else if ((lead & 0xf0) == 0xe0) {
    n = 3, c = lead & 0x0f, min = 0x800;
  } else if ((lead & 0xf8) == 0xf0) {
    n = 4, c = lead & 0x07, min = 0x10000;
  } else {
    return std::nullopt;  // a continuation byte or 0xf8..0xff
  }
  if (text.size() - pos < n) return std::nullopt;
  for (size_t i = 1; i < n; ++i) {
    if ((byte(pos + i) & 0xc0) != 0x80) return std::nullopt;
    c = (c << 6) | (byte(pos + i) & 0x3f);
  }
  if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) return std::nullopt;
  *length = n;
  return c;
}

std::optional<size_t> FindInvalidUtf8(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    if (static_cast<uint8_t>(text[pos]) < 0x80) {
      ++pos;
      continue;
    }
    size_t length = 0;
    if (!DecodeUtf8(text, pos, &length)) return pos;
    pos += length;
  }
  return std::nullopt;
}

bool IsUnicodeSpace(char32_t c) {
  switch (c) {
    case 0x09:
    case 0x0a:
    case 0x0b:
    case 0x0c:
    case 0x0d:
    case 0x20:
    case 0x85:
    case 0xa0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202f:
    case 0x205f:
    case 0x3000:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200a;
  }
}

std::string Printable(std::string_view text, size_t max_bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  const size_t n = text.size() < max_bytes ? text.size() : max_bytes;
  for (size_t i = 0; i < n; ++i) {
    const auto b = static_cast<uint8_t>(text[i]);
    if (b >= 0x20 && b < 0x7f && b != '\\') {
      out.push_back(static_cast<char>(b));
    } else {
      out += "\\x";
      out.push_back(kDigits[b >> 4]);
      out.push_back(kDigits[b & 15]);
    }
  }
  if (n < text.size()) out += "...";
  return out;
}

Result<uint64_t> ParseDecimal(std::string_view text, std::string_view what) {
  if (text.empty()) return InvalidArgumentError(std::string(what) + " is empty");
  uint64_t value = 0;
  for (char ch : text) {
    if (ch < '0' || ch > '9') {
      return InvalidArgumentError(std::string(what) + " is not a decimal number: \"" +
                                  Printable(text) + "\"");
    }
    const auto digit = static_cast<uint64_t>(ch - '0');
    if (value > (UINT64_MAX - digit) / 10) {
      return InvalidArgumentError(std::string(what) + " does not fit in 64 bits");
    }
    value = value * 10 + digit;
  }
  if (text.size() > 1 && text[0] == '0') {
    return InvalidArgumentError(std::string(what) + " has a leading zero");
  }
  return value;
}

}  // namespace traceport::ledger::internal
