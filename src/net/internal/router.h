// Route matching for HttpServer, kept apart from the socket layer so its semantics can be tested
// directly. Private to the net module.
//
// A pattern is an absolute path whose segments are one of
//   literal        matches a segment equal to it (after percent-decoding the request)
//   {name}         matches any one non-empty segment; the decoded value is bound to `name`
//   {name...}      only as the last segment: matches the non-empty rest of the path, slashes
//                  included; the decoded rest is bound to `name`
// "/" is the root. Empty segments ("//", a trailing "/") never appear in patterns, so "/a/" does
// not match "/a". When several patterns match a path, the most specific wins: comparing segment
// by segment, a literal beats a parameter, which beats a catch-all.
#ifndef TRACEPORT_NET_INTERNAL_ROUTER_H_
#define TRACEPORT_NET_INTERNAL_ROUTER_H_

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace traceport::net::internal {

class Router {
 public:
  enum class Outcome { kFound, kNotFound, kMethodNotAllowed };

  struct Match {
    Outcome outcome = Outcome::kNotFound;
    // kFound: the id given to Add. Otherwise unspecified.
    size_t id = 0;
    // kFound and kMethodNotAllowed: the most specific matching pattern, as registered (the
    // route label for metrics). Empty for kNotFound.
    std::string pattern;
    // kFound: the bound parameters, percent-decoded.
    std::map<std::string, std::string> params;
    // kMethodNotAllowed: the methods the path accepts, sorted, comma-separated (HEAD is listed
    // wherever GET is), for the Allow header.
    std::string allow;
  };

  // Registers `pattern` for `method` (an upper-case token such as "GET") under `id`. A GET route
  // also answers HEAD unless HEAD is registered for the same pattern. Errors:
  //   InvalidArgument  malformed pattern or method
  //   AlreadyExists    the same method with a pattern of the same shape (e.g. "/a/{x}" and
  //                    "/a/{y}") is already registered
  Status Add(std::string_view method, std::string_view pattern, size_t id);

  // Matches a request. `raw_path` is the path as sent (percent-encoded, without the query).
  // Errors (InvalidArgument): the path is not absolute, has bad percent-encoding, or contains a
  // "." / ".." segment or a NUL byte once decoded.
  Result<Match> Find(std::string_view method, std::string_view raw_path) const;

 private:
  enum class Kind { kLiteral = 0, kParam = 1, kRest = 2 };
  struct Segment {
    Kind kind;
    std::string text;  // literal text or parameter name
  };
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<Segment> segments;
    size_t id;
  };

  // Whether `route` matches; binds its parameters into `params` when non-null.
  static bool Matches(const Route& route, const std::vector<std::string_view>& raw,
                      const std::vector<std::string>& decoded,
                      std::map<std::string, std::string>* params);
  // True when `a` is more specific than `b`.
  static bool MoreSpecific(const Route& a, const Route& b);

  std::vector<Route> routes_;
};

// Decodes %XX escapes ('+' is left alone: this is for paths). False on a malformed escape.
bool PercentDecode(std::string_view in, std::string* out);

}  // namespace traceport::net::internal

#endif  // TRACEPORT_NET_INTERNAL_ROUTER_H_
