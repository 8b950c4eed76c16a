// The HTTP server every `traceport ... serve` command runs on (cpp-httplib underneath, kept out of
// this header). Routing, limits, error bodies, the access log and the metrics are ours:
//
//   HttpServer server(options);
//   server.Handle("GET", "/tile/{level}/{rest...}", [&](const ServerRequest& r) { ... });
//   RETURN_IF_ERROR(server.Start());
//   ...
//   server.Stop();
//
// Errors are RFC 9457 problem details (application/problem+json). Behaviour, limits and the
// Status -> HTTP mapping are described in docs/http.md.
#ifndef TRACEPORT_NET_HTTP_SERVER_H_
#define TRACEPORT_NET_HTTP_SERVER_H_

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace traceport::net {

// A request as a handler sees it. (Named ServerRequest / ServerResponse because
// net::HttpResponse is the outbound client's result type, see http_client.h.)
struct ServerRequest {
  std::string method;  // "GET", "POST", ...; a HEAD request reaching a GET route says "HEAD"
  std::string path;    // as sent: still percent-encoded, without the query
  // The pattern's {name} and {name...} values, percent-decoded.
  std::map<std::string, std::string> path_params;
  // Query parameters, decoded ('+' is a space); a repeated name appears several times.
  std::multimap<std::string, std::string> query;
  // Header fields as received (grouped by name; the order between names is not kept).
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;         // at most Options::max_body_bytes
  std::string remote_addr;  // the peer's IP address

  // The first value of header `name` (ASCII case-insensitive), or nullopt.
  std::optional<std::string_view> Header(std::string_view name) const;
  // The first value of query parameter `name`, or nullopt.
  std::optional<std::string_view> QueryParam(std::string_view name) const;
};

struct ServerResponse {
  int status = 200;          // 200..599; anything else is turned into a 500
  std::string content_type;  // sent as Content-Type when non-empty
  std::string body;
  // Extra header fields. Names must be tokens and values free of CR, LF and NUL;
  // Content-Length and Transfer-Encoding are the server's. A violation is a 500.
  std::vector<std::pair<std::string, std::string>> headers;
};

// The reason phrase of an HTTP status ("Not Found"); "Success", "Redirection", "Client Error" or
// "Server Error" for codes this table lacks. Used in status lines and as the title of problems.
std::string_view HttpReasonPhrase(int status);

// An RFC 9457 problem: {"type":"about:blank","title":...,"status":...,"detail":...} with
// Content-Type application/problem+json. An empty `title` becomes the status's reason phrase;
// an empty `detail` is left out.
ServerResponse ProblemResponse(int status, std::string title, std::string detail);

// The HTTP status for a Status code (200 for OK):
//   InvalidArgument, OutOfRange 400       Unauthenticated 401     PermissionDenied 403
//   NotFound 404                          AlreadyExists, Aborted, FailedPrecondition 409
//   ResourceExhausted 413                 Unimplemented 501
//   Unavailable, Cancelled 503            DeadlineExceeded 504
//   Internal, DataLoss, Unknown 500
// docs/http.md says why FailedPrecondition is 409 and ResourceExhausted is 413.
int HttpStatusFor(const Status& status);

// The problem response for a non-OK `status`: HTTP status from HttpStatusFor, title the reason
// phrase, detail the status message, plus a "code" member with the canonical code name
// ("NOT_FOUND"). For 500s the message is not sent (it may name files or internals): the detail
// is "internal error" and the full status is logged at Warn. An OK status is a caller bug and
// also yields a 500.
ServerResponse ErrorResponse(const Status& status);

// An HTTP/1.1 server with its own router and a fixed pool of worker threads.
//
// Thread safety: Handle() is called before Start(), from one thread. Start(), Stop() and the
// destructor may be called from any thread but never from a handler (Stop waits for handlers).
// port() and MetricsText() are safe at any time. Handlers run concurrently on the worker threads
// and must be thread-safe themselves.
class HttpServer {
 public:
  struct Options {
    // "host:port" with an IP literal or "localhost" as host ("[::1]:8443" for IPv6). Port 0
    // picks a free port (see port()).
    std::string listen = "127.0.0.1:0";
    // Larger request bodies (declared or actually sent, after any Content-Encoding is undone)
    // get 413 and the connection is closed.
    size_t max_body_bytes = size_t{1} << 20;
    // Longest wait for each read / write on a connection (not a whole-request deadline).
    std::chrono::milliseconds read_timeout{10000};
    std::chrono::milliseconds write_timeout{10000};
    // An idle keep-alive connection is closed after this long. Each open connection holds a
    // worker thread, and Stop() waits for idle connections to reach this timeout, so it is
    // short. At least one second (cpp-httplib counts whole seconds).
    std::chrono::seconds keep_alive_timeout{2};
    // Requests served on one connection before the server closes it.
    size_t keep_alive_max_requests = 1000;
    // Worker threads kept running. Each open connection holds a worker while it is served,
    // including while a slow client dribbles its request in; when every worker is busy and a
    // connection is waiting, another worker is started, up to max_threads (beyond that,
    // connections wait in a queue). So a few slow clients cannot starve the rest.
    size_t threads = 8;
    size_t max_threads = 256;
    // PEM files; both set serves HTTPS only (OpenSSL through cpp-httplib), both empty plain HTTP.
    std::string tls_cert_file;
    std::string tls_key_file;
    // Plain HTTP is refused on a non-loopback address unless this is set (for a node behind a
    // TLS-terminating proxy on the same host or private network).
    bool allow_plain_http_off_loopback = false;
  };

  using Handler = std::function<ServerResponse(const ServerRequest&)>;

  HttpServer();
  explicit HttpServer(Options options);
  // Stops the server (see Stop).
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Routes `method` requests whose path matches `pattern` to `handler`. Methods: GET, HEAD, POST,
  // PUT, PATCH, DELETE, OPTIONS (a GET route also answers HEAD). Patterns are absolute paths of
  // literal segments, {name} (one non-empty segment) and a final {name...} (the non-empty rest of
  // the path); the most specific match wins (literal > {name} > {name...}, segment by segment).
  // An invalid or clashing registration is reported by Start() as InvalidArgument.
  void Handle(std::string method, std::string pattern, Handler handler);

  // Validates the options and routes, binds and starts serving on a background thread. Errors:
  //   InvalidArgument     bad listen address, option, route, or unreadable TLS certificate / key
  //   FailedPrecondition  plain HTTP on a non-loopback address (see Options), or Start called
  //                       twice or after Stop
  //   Unavailable         the address cannot be bound (e.g. the port is in use)
  Status Start();

  // The bound port once Start succeeded; 0 before.
  int port() const;

  // Graceful shutdown: stops accepting, lets requests already being handled finish and their
  // responses be written, closes idle keep-alive connections (within keep_alive_timeout) and
  // joins every thread. Idempotent; a server that was never started just becomes stopped.
  void Stop();

  // Prometheus text exposition (format 0.0.4) of the per-route counters and latency histograms:
  //   traceport_http_requests_total{route,method,status}
  //   traceport_http_request_duration_seconds_{bucket,sum,count}{route[,le]}
  // `route` is the matched pattern, or "unmatched" for requests that matched no route. A request
  // is counted once its response has been written.
  std::string MetricsText() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace traceport::net

#endif  // TRACEPORT_NET_HTTP_SERVER_H_
