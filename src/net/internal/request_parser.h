// One HTTP/1.x request read incrementally: request line, header fields and a Content-Length
// body, parsed by libhttp-parser (Debian libhttp-parser-dev, the parser Node.js used before
// llhttp). The plain-HTTP connection loop in http_server.cc serves the common requests from it
// and hands everything else (chunked or encoded bodies, Expect, upgrades, anything this parser
// refuses) to cpp-httplib, from the request's first byte.
//
//   RequestParser p(limits);
//   size_t used = p.Feed(bytes);     // again with the bytes after `used` as more arrive
//   if (p.failed()) ... p.error()
//   if (p.head_complete()) ... p.head()
//   if (p.complete()) ... p.body()   // Feed stops right after the request's last byte
#ifndef TRACEPORT_NET_INTERNAL_REQUEST_PARSER_H_
#define TRACEPORT_NET_INTERNAL_REQUEST_PARSER_H_

#include <http_parser.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace traceport::net::internal {

// ASCII case-insensitive equality, as header field names compare.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

struct RequestHead {
  std::string method;  // "GET", "POST", ... as libhttp-parser names it
  std::string target;  // the request target as sent
  int version_major = 0;
  int version_minor = 0;
  // Field names as sent; values without surrounding spaces and tabs. In the order received.
  std::vector<std::pair<std::string, std::string>> headers;
  std::optional<uint64_t> content_length;  // the Content-Length field, when there is one
  bool chunked = false;                    // Transfer-Encoding ends in chunked
  bool upgrade = false;     // an Upgrade request or CONNECT: not a plain request/response exchange
  bool keep_alive = false;  // the connection may carry another request after this one

  // The first value of field `name` (ASCII case-insensitive), or nullopt.
  std::optional<std::string_view> Header(std::string_view name) const;
  // How many fields are named `name` (ASCII case-insensitive).
  size_t HeaderCount(std::string_view name) const;
};

class RequestParser {
 public:
  struct Limits {
    size_t max_head_bytes = 16 * 1024;  // request line and header fields, CRLFs included
    size_t max_body_bytes = 1 << 20;    // a longer body fails the parse
  };

  RequestParser() : RequestParser(Limits{}) {}
  explicit RequestParser(Limits limits);
  RequestParser(const RequestParser&) = delete;
  RequestParser& operator=(const RequestParser&) = delete;

  // Forgets the request so far, for the next one on the connection.
  void Reset();

  // Parses `bytes`, which follow the bytes given before. Returns how many were used: all of them
  // unless the request ended inside `bytes` (the rest belongs to the next request) or the parse
  // failed. Nothing more is used once the request is complete or the parse has failed.
  size_t Feed(std::string_view bytes);

  bool failed() const { return !error_.empty(); }
  // What is wrong, naming libhttp-parser's error or the limit exceeded; empty when nothing is.
  const std::string& error() const { return error_; }
  bool head_complete() const { return head_complete_; }
  bool complete() const { return complete_; }
  const RequestHead& head() const { return head_; }
  RequestHead& head() { return head_; }
  const std::string& body() const { return body_; }
  std::string& body() { return body_; }

 private:
  static int OnUrl(http_parser* p, const char* at, size_t n);
  static int OnHeaderField(http_parser* p, const char* at, size_t n);
  static int OnHeaderValue(http_parser* p, const char* at, size_t n);
  static int OnHeadersComplete(http_parser* p);
  static int OnBody(http_parser* p, const char* at, size_t n);
  static int OnMessageComplete(http_parser* p);

  void EndHeaderValue();

  const Limits limits_;
  http_parser parser_;
  RequestHead head_;
  std::string body_;
  std::string error_;
  size_t head_bytes_ = 0;
  bool in_value_ = false;  // the last header callback was for a value
  bool head_complete_ = false;
  bool complete_ = false;
};

}  // namespace traceport::net::internal

#endif  // TRACEPORT_NET_INTERNAL_REQUEST_PARSER_H_
