// Outbound HTTP(S) for the few places a node fetches from the network (did:web resolution,
// later status lists and witness traffic). Every fetch is bounded: scheme, response size,
// total time and redirects are limited by FetchOptions, whose defaults are the safe choice.
#ifndef TRACEPORT_NET_HTTP_CLIENT_H_
#define TRACEPORT_NET_HTTP_CLIENT_H_

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace traceport::net {

struct FetchOptions {
  // Only https:// URLs (and https redirects). Turning this off is for loopback tests.
  bool https_only = true;
  // Responses larger than this fail with ResourceExhausted; nothing beyond it is buffered.
  size_t max_bytes = 1 << 20;
  // Connect + transfer must finish within this time, else DeadlineExceeded.
  std::chrono::milliseconds timeout{10000};
  // 0 refuses redirects (a 3xx is returned as is).
  int max_redirects = 0;
  // Sent as the Accept header when non-empty.
  std::string accept;
  // Further request headers, e.g. {"Authorization", "Bearer ..."}. Names and values must not
  // contain CR or LF (InvalidArgument).
  std::vector<std::pair<std::string, std::string>> headers;
};

struct HttpResponse {
  int status = 0;
  std::string content_type;  // as sent, possibly with parameters
  std::string body;
  std::string effective_url;  // after redirects
};

// A blocking HTTP client. Implementations are thread-safe.
class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // GETs `url`. A response with any HTTP status is a success at this layer; transport
  // failures, limit violations and refused schemes are errors:
  //   InvalidArgument   malformed URL or a scheme other than https (when https_only)
  //   ResourceExhausted response larger than max_bytes
  //   DeadlineExceeded  timeout
  //   Unavailable       DNS, connect, TLS or transfer failure (the message says which)
  virtual Result<HttpResponse> Get(std::string_view url, const FetchOptions& options) = 0;
  // POSTs `body` (with Content-Type `content_type`) to `url`; the same limits and errors as
  // Get. Redirects are never followed for a POST. The default refuses (kUnimplemented), for
  // test fakes that only fetch.
  virtual Result<HttpResponse> Post(std::string_view url, std::string_view content_type,
                                    std::string_view body, const FetchOptions& options);
};

// The libcurl-backed client (TLS through OpenSSL, system CA store).
std::unique_ptr<HttpClient> NewCurlHttpClient();

}  // namespace traceport::net

#endif  // TRACEPORT_NET_HTTP_CLIENT_H_
