#include "did/web.h"

#include <fmt/format.h>

#include <charconv>

namespace traceport::did {
namespace {

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

Status ValidateHost(std::string_view host) {
  if (host.empty()) return InvalidArgumentError("did:web: empty host");
  if (host.size() > 253) return InvalidArgumentError("did:web: host longer than 253 characters");
  bool all_numeric = true;
  size_t label_start = 0;
  for (size_t i = 0; i <= host.size(); ++i) {
    if (i == host.size() || host[i] == '.') {
      size_t len = i - label_start;
      if (len == 0 || len > 63) {
        return InvalidArgumentError(fmt::format(
            "did:web: host '{}' has an empty or over-long label at offset {}", host, label_start));
      }
      if (host[label_start] == '-' || host[i - 1] == '-') {
        return InvalidArgumentError(
            fmt::format("did:web: host label at offset {} starts or ends with '-'", label_start));
      }
      label_start = i + 1;
      continue;
    }
    char c = host[i];
    if (c >= 'A' && c <= 'Z') {
      return InvalidArgumentError(
          fmt::format("did:web: host '{}' must be lowercase (offset {})", host, i));
    }
    if (!IsLowerAlnum(c) && c != '-') {
      return InvalidArgumentError(
          fmt::format("did:web: invalid host character '{}' at offset {}", c, i));
    }
    if (!(c >= '0' && c <= '9')) all_numeric = false;
  }
  if (all_numeric) {
    return InvalidArgumentError(
        fmt::format("did:web: host '{}' is an IP address; did:web requires a domain name", host));
  }
  return Status::Ok();
}

Status ValidateSegment(std::string_view seg, size_t index) {
  if (seg.empty()) {
    return InvalidArgumentError(fmt::format("did:web: path segment {} is empty", index));
  }
  for (char c : seg) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == '_';
    if (!ok) {
      return InvalidArgumentError(
          fmt::format("did:web: path segment '{}' has a character outside [A-Za-z0-9._-]", seg));
    }
  }
  if (seg == "." || seg == "..") {
    return InvalidArgumentError("did:web: path segments '.' and '..' are not allowed");
  }
  return Status::Ok();
}

Result<uint16_t> ParsePort(std::string_view text) {
  unsigned value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || value == 0 ||
      value > 65535 || text[0] == '0') {
    return InvalidArgumentError(fmt::format("did:web: invalid port '{}'", text));
  }
  return static_cast<uint16_t>(value);
}

}  // namespace

Result<WebLocation> ParseDidWeb(const Did& did) {
  if (did.method != "web") {
    return InvalidArgumentError(
        fmt::format("did:web: not a did:web DID (method '{}')", did.method));
  }
  WebLocation loc;
  std::string_view id = did.method_specific_id;
  size_t colon = id.find(':');
  std::string_view authority = id.substr(0, colon);
  // The only percent-escape did:web defines in the authority is %3A before a port.
  size_t pct = authority.find('%');
  std::string_view host = authority.substr(0, pct);
  if (pct != std::string_view::npos) {
    std::string_view rest = authority.substr(pct);
    if (rest.size() < 4 || (rest.substr(0, 3) != "%3A" && rest.substr(0, 3) != "%3a")) {
      return InvalidArgumentError(
          "did:web: the only escape allowed in the host is %3A before a port");
    }
    ASSIGN_OR_RETURN(loc.port, ParsePort(rest.substr(3)));
  }
  RETURN_IF_ERROR(ValidateHost(host));
  loc.host = std::string(host);
  while (colon != std::string_view::npos) {
    size_t next = id.find(':', colon + 1);
    std::string_view seg =
        id.substr(colon + 1, next == std::string_view::npos ? next : next - colon - 1);
    RETURN_IF_ERROR(ValidateSegment(seg, loc.path.size()));
    loc.path.emplace_back(seg);
    colon = next;
  }
  return loc;
}

Result<Did> MakeDidWeb(const WebLocation& loc) {
  RETURN_IF_ERROR(ValidateHost(loc.host));
  Did d;
  d.method = "web";
  d.method_specific_id = loc.host;
  if (loc.port) {
    if (*loc.port == 0) return InvalidArgumentError("did:web: port 0 is not valid");
    d.method_specific_id += "%3A" + std::to_string(*loc.port);
  }
  for (size_t i = 0; i < loc.path.size(); ++i) {
    RETURN_IF_ERROR(ValidateSegment(loc.path[i], i));
    d.method_specific_id += ":" + loc.path[i];
  }
  return d;
}

Result<std::string> DidWebToUrl(const Did& did) {
  ASSIGN_OR_RETURN(WebLocation loc, ParseDidWeb(did));
  std::string url = "https://" + loc.host;
  if (loc.port) url += ":" + std::to_string(*loc.port);
  if (loc.path.empty()) {
    url += "/.well-known";
  } else {
    for (const auto& seg : loc.path) url += "/" + seg;
  }
  url += "/did.json";
  return url;
}

Result<Did> DidWebFromUrl(std::string_view url) {
  constexpr std::string_view kScheme = "https://";
  if (url.substr(0, kScheme.size()) != kScheme) {
    return InvalidArgumentError(fmt::format("did:web: URL '{}' must start with https://", url));
  }
  std::string_view rest = url.substr(kScheme.size());
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash + 1);
  if (authority.find_first_of("@?#") != std::string_view::npos) {
    return InvalidArgumentError("did:web: URL must not carry user info, query or fragment");
  }
  if (path.find_first_of("?#") != std::string_view::npos) {
    return InvalidArgumentError("did:web: URL must not carry a query or fragment");
  }
  WebLocation loc;
  size_t colon = authority.find(':');
  loc.host = std::string(authority.substr(0, colon));
  if (colon != std::string_view::npos) {
    ASSIGN_OR_RETURN(loc.port, ParsePort(authority.substr(colon + 1)));
  }
  // Strip a trailing "did.json" and the ".well-known" that stands for "no path".
  std::vector<std::string> segs;
  size_t start = 0;
  while (start <= path.size() && !path.empty()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    segs.emplace_back(path.substr(start, end - start));
    start = end + 1;
  }
  if (!segs.empty() && segs.back().empty()) segs.pop_back();  // trailing '/'
  if (!segs.empty() && segs.back() == "did.json") segs.pop_back();
  if (segs.size() == 1 && segs[0] == ".well-known") segs.clear();
  loc.path = std::move(segs);
  return MakeDidWeb(loc);
}

}  // namespace traceport::did
