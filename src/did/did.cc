#include "did/did.h"

#include <fmt/format.h>

namespace traceport::did {
namespace {

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool IsIdChar(char c) { return IsAlpha(c) || IsDigit(c) || c == '.' || c == '-' || c == '_'; }
// RFC 3986 pchar minus pct-encoded (checked separately).
bool IsPchar(char c) {
  return IsAlpha(c) || IsDigit(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '!' ||
         c == '$' || c == '&' || c == '\'' || c == '(' || c == ')' || c == '*' || c == '+' ||
         c == ',' || c == ';' || c == '=' || c == ':' || c == '@';
}

std::string Printable(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  if (u < 0x20 || u >= 0x7f) return fmt::format("byte 0x{:02x}", u);
  return fmt::format("'{}'", c);
}

Status BadChar(std::string_view what, char c, size_t pos) {
  return InvalidArgumentError(
      fmt::format("did: invalid {} {} at offset {}", what, Printable(c), pos));
}

// Validates a "%XX" at pos; returns false if malformed.
bool PctAt(std::string_view s, size_t pos) {
  return pos + 2 < s.size() && s[pos] == '%' && IsHex(s[pos + 1]) && IsHex(s[pos + 2]);
}

// Checks URI component characters (pchar plus the extra allowed ones) from `start` to `end`.
Status CheckUriPart(std::string_view s, size_t start, size_t end, std::string_view extra,
                    std::string_view what) {
  for (size_t i = start; i < end; ++i) {
    char c = s[i];
    if (c == '%') {
      if (!PctAt(s.substr(0, end), i)) {
        return InvalidArgumentError(
            fmt::format("did: malformed percent escape in {} at offset {}", what, i));
      }
      i += 2;
      continue;
    }
    if (IsPchar(c) || extra.find(c) != std::string_view::npos) continue;
    return BadChar(std::string(what) + " character", c, i);
  }
  return Status::Ok();
}

// Parses the DID prefix of `s` and returns where it ends.
Result<size_t> ParseDidPrefix(std::string_view s, Did* out) {
  if (s.size() > kMaxDidLength) {
    return ResourceExhaustedError(
        fmt::format("did: {} characters exceeds the {} limit", s.size(), kMaxDidLength));
  }
  if (s.substr(0, 4) != "did:") {
    return InvalidArgumentError("did: must start with \"did:\"");
  }
  size_t i = 4;
  size_t method_start = i;
  while (i < s.size() && s[i] != ':') {
    char c = s[i];
    if (!((c >= 'a' && c <= 'z') || IsDigit(c))) return BadChar("method-name character", c, i);
    ++i;
  }
  if (i == method_start) return InvalidArgumentError("did: empty method name at offset 4");
  if (i == s.size()) return InvalidArgumentError("did: missing ':' after method name");
  out->method = std::string(s.substr(method_start, i - method_start));
  ++i;  // ':'
  size_t id_start = i;
  while (i < s.size()) {
    char c = s[i];
    if (c == '/' || c == '?' || c == '#') break;
    if (c == '%') {
      if (!PctAt(s, i)) {
        return InvalidArgumentError(fmt::format("did: malformed percent escape at offset {}", i));
      }
      i += 3;
      continue;
    }
    if (c != ':' && !IsIdChar(c)) return BadChar("method-specific-id character", c, i);
    ++i;
  }
  if (i == id_start) {
    return InvalidArgumentError(fmt::format("did: empty method-specific-id at offset {}", i));
  }
  if (s[i - 1] == ':') {
    return InvalidArgumentError(
        fmt::format("did: method-specific-id must not end with ':' (offset {})", i - 1));
  }
  out->method_specific_id = std::string(s.substr(id_start, i - id_start));
  return i;
}

}  // namespace

std::string DidUrl::ToString() const {
  std::string out = did.ToString() + path;
  if (query) out += "?" + *query;
  if (fragment) out += "#" + *fragment;
  return out;
}

Result<Did> ParseDid(std::string_view text) {
  Did d;
  ASSIGN_OR_RETURN(size_t end, ParseDidPrefix(text, &d));
  if (end != text.size()) {
    return InvalidArgumentError(
        fmt::format("did: unexpected {} at offset {} (a DID has no path, query or fragment)",
                    Printable(text[end]), end));
  }
  return d;
}

Result<DidUrl> ParseDidUrl(std::string_view s) {
  DidUrl u;
  ASSIGN_OR_RETURN(size_t i, ParseDidPrefix(s, &u.did));
  size_t path_end = s.find_first_of("?#", i);
  if (path_end == std::string_view::npos) path_end = s.size();
  RETURN_IF_ERROR(CheckUriPart(s, i, path_end, "/", "path"));
  u.path = std::string(s.substr(i, path_end - i));
  i = path_end;
  if (i < s.size() && s[i] == '?') {
    size_t q_end = s.find('#', i + 1);
    if (q_end == std::string_view::npos) q_end = s.size();
    RETURN_IF_ERROR(CheckUriPart(s, i + 1, q_end, "/?", "query"));
    u.query = std::string(s.substr(i + 1, q_end - i - 1));
    i = q_end;
  }
  if (i < s.size() && s[i] == '#') {
    RETURN_IF_ERROR(CheckUriPart(s, i + 1, s.size(), "/?", "fragment"));
    u.fragment = std::string(s.substr(i + 1));
  }
  return u;
}

Result<std::string> PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) {
      return InvalidArgumentError(fmt::format("did: truncated percent escape at offset {}", i));
    }
    int hi = hex(s[i + 1]), lo = hex(s[i + 2]);
    if (hi < 0 || lo < 0) {
      return InvalidArgumentError(fmt::format("did: malformed percent escape at offset {}", i));
    }
    out += static_cast<char>(hi << 4 | lo);
    i += 2;
  }
  return out;
}

}  // namespace traceport::did
