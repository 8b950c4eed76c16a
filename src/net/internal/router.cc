#include "net/internal/router.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace traceport::net::internal {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

std::vector<std::string_view> SplitSegments(std::string_view rest) {
  std::vector<std::string_view> out;
  if (rest.empty()) return out;
  size_t start = 0;
  while (true) {
    size_t slash = rest.find('/', start);
    if (slash == std::string_view::npos) {
      out.push_back(rest.substr(start));
      return out;
    }
    out.push_back(rest.substr(start, slash - start));
    start = slash + 1;
  }
}

}  // namespace

bool PercentDecode(std::string_view in, std::string* out) {
  out->clear();
  out->reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out->push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size()) return false;
    int hi = HexValue(in[i + 1]);
    int lo = HexValue(in[i + 2]);
    if (hi < 0 || lo < 0) return false;
    out->push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return true;
}

Status Router::Add(std::string_view method, std::string_view pattern, size_t id) {
  if (method.empty() ||
      !std::all_of(method.begin(), method.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
    return InvalidArgumentError(
        fmt::format("route: method '{}' is not an upper-case token", method));
  }
  if (pattern.empty() || pattern[0] != '/') {
    return InvalidArgumentError(fmt::format("route '{}': a pattern starts with '/'", pattern));
  }
  Route route{std::string(method), std::string(pattern), {}, id};
  std::set<std::string, std::less<>> names;
  std::vector<std::string_view> parts = SplitSegments(pattern.substr(1));
  for (size_t i = 0; i < parts.size(); ++i) {
    std::string_view part = parts[i];
    if (part.empty()) {
      return InvalidArgumentError(fmt::format("route '{}': empty segment", pattern));
    }
    if (part.front() != '{') {
      if (part.find_first_of("{}%") != std::string_view::npos || part == "." || part == "..") {
        return InvalidArgumentError(
            fmt::format("route '{}': literal segment '{}' may not contain '{{', '}}' or '%' or "
                        "be a dot segment",
                        pattern, part));
      }
      route.segments.push_back({Kind::kLiteral, std::string(part)});
      continue;
    }
    if (part.back() != '}') {
      return InvalidArgumentError(fmt::format("route '{}': unclosed '{{' in '{}'", pattern, part));
    }
    std::string_view name = part.substr(1, part.size() - 2);
    Kind kind = Kind::kParam;
    if (name.size() > 3 && name.substr(name.size() - 3) == "...") {
      kind = Kind::kRest;
      name.remove_suffix(3);
      if (i + 1 != parts.size()) {
        return InvalidArgumentError(
            fmt::format("route '{}': catch-all '{}' must be the last segment", pattern, part));
      }
    }
    if (name.empty() || !std::all_of(name.begin(), name.end(), IsNameChar)) {
      return InvalidArgumentError(
          fmt::format("route '{}': parameter name in '{}' must be [A-Za-z0-9_]+", pattern, part));
    }
    if (!names.emplace(name).second) {
      return InvalidArgumentError(fmt::format("route '{}': parameter '{}' twice", pattern, name));
    }
    route.segments.push_back({kind, std::string(name)});
  }
  for (const Route& other : routes_) {
    if (other.method != route.method || other.segments.size() != route.segments.size()) continue;
    bool same_shape = true;
    for (size_t i = 0; i < route.segments.size() && same_shape; ++i) {
      const Segment& a = route.segments[i];
      const Segment& b = other.segments[i];
      same_shape = a.kind == b.kind && (a.kind != Kind::kLiteral || a.text == b.text);
    }
    if (same_shape) {
      return AlreadyExistsError(fmt::format("route: {} {} clashes with {} {}", route.method,
                                            route.pattern, other.method, other.pattern));
    }
  }
  routes_.push_back(std::move(route));
  return Status::Ok();
}

bool Router::Matches(const Route& route, const std::vector<std::string_view>& raw,
                     const std::vector<std::string>& decoded,
                     std::map<std::string, std::string>* params) {
  size_t n = route.segments.size();
  bool has_rest = n > 0 && route.segments.back().kind == Kind::kRest;
  if (has_rest ? raw.size() < n : raw.size() != n) return false;
  for (size_t i = 0; i < n; ++i) {
    const Segment& seg = route.segments[i];
    switch (seg.kind) {
      case Kind::kLiteral:
        if (decoded[i] != seg.text) return false;
        break;
      case Kind::kParam:
        if (decoded[i].empty()) return false;
        if (params) (*params)[seg.text] = decoded[i];
        break;
      case Kind::kRest: {
        // The raw segments are views into one path, so the rest is the span from segment i to
        // the end of the last one.
        std::string_view rest(
            raw[i].data(),
            static_cast<size_t>(raw.back().data() + raw.back().size() - raw[i].data()));
        if (rest.empty()) return false;
        if (params) {
          std::string value;
          PercentDecode(rest, &value);  // every segment already decoded once, so this succeeds
          (*params)[seg.text] = std::move(value);
        }
        break;
      }
    }
  }
  return true;
}

bool Router::MoreSpecific(const Route& a, const Route& b) {
  size_t n = std::min(a.segments.size(), b.segments.size());
  for (size_t i = 0; i < n; ++i) {
    if (a.segments[i].kind != b.segments[i].kind) {
      return a.segments[i].kind < b.segments[i].kind;
    }
  }
  // Same kinds on the common prefix: only a catch-all can make both match paths of different
  // lengths, and the longer pattern pins down more of the path.
  return a.segments.size() > b.segments.size();
}

Result<Router::Match> Router::Find(std::string_view method, std::string_view raw_path) const {
  if (raw_path.empty() || raw_path[0] != '/') {
    return InvalidArgumentError("the request target must be an absolute path");
  }
  std::vector<std::string_view> raw = SplitSegments(raw_path.substr(1));
  std::vector<std::string> decoded(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    if (!PercentDecode(raw[i], &decoded[i])) {
      return InvalidArgumentError("malformed percent-encoding in the path");
    }
    if (decoded[i] == "." || decoded[i] == ".." || decoded[i].find('\0') != std::string::npos) {
      return InvalidArgumentError("the path contains a dot segment or a NUL byte");
    }
  }

  const Route* best = nullptr;       // most specific route matching path and method
  const Route* best_path = nullptr;  // most specific route matching the path alone
  std::set<std::string> allowed;
  for (const Route& route : routes_) {
    if (!Matches(route, raw, decoded, nullptr)) continue;
    allowed.insert(route.method);
    if (route.method == "GET") allowed.insert("HEAD");
    if (!best_path || MoreSpecific(route, *best_path)) best_path = &route;
    if (route.method == method && (!best || MoreSpecific(route, *best))) best = &route;
  }
  if (!best && method == "HEAD") {  // GET routes answer HEAD
    for (const Route& route : routes_) {
      if (route.method != "GET" || !Matches(route, raw, decoded, nullptr)) continue;
      if (!best || MoreSpecific(route, *best)) best = &route;
    }
  }

  Match match;
  if (best) {
    match.outcome = Outcome::kFound;
    match.id = best->id;
    match.pattern = best->pattern;
    Matches(*best, raw, decoded, &match.params);
  } else if (best_path) {
    match.outcome = Outcome::kMethodNotAllowed;
    match.pattern = best_path->pattern;
    for (const std::string& m : allowed) {
      if (!match.allow.empty()) match.allow += ", ";
      match.allow += m;
    }
  }
  return match;
}

}  // namespace traceport::net::internal
