#include <curl/curl.h>
#include <fmt/format.h>

#include <mutex>

#include "net/http_client.h"

namespace traceport::net {
namespace {

struct Sink {
  std::string body;
  size_t max_bytes = 0;
  bool overflow = false;
};

size_t WriteBody(char* data, size_t size, size_t nmemb, void* user) {
  auto* sink = static_cast<Sink*>(user);
  size_t n = size * nmemb;
  if (sink->body.size() + n > sink->max_bytes) {
    sink->overflow = true;
    return 0;  // makes curl abort the transfer with CURLE_WRITE_ERROR
  }
  sink->body.append(data, n);
  return n;
}

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool HasScheme(std::string_view url, std::string_view scheme) {
  if (url.size() <= scheme.size() + 3) return false;
  for (size_t i = 0; i < scheme.size(); ++i) {
    char c = url[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != scheme[i]) return false;
  }
  return url.substr(scheme.size(), 3) == "://";
}

class CurlHttpClient final : public HttpClient {
 public:
  CurlHttpClient() { GlobalInit(); }

  Result<HttpResponse> Get(std::string_view url, const FetchOptions& options) override {
    return Perform(url, options, nullptr, "");
  }

  Result<HttpResponse> Post(std::string_view url, std::string_view content_type,
                            std::string_view body, const FetchOptions& options) override {
    FetchOptions no_redirects = options;
    no_redirects.max_redirects = 0;
    return Perform(url, no_redirects, &body, content_type);
  }

 private:
  // A GET, or a POST of *post_body when it is not null.
  Result<HttpResponse> Perform(std::string_view url, const FetchOptions& options,
                               const std::string_view* post_body, std::string_view content_type) {
    bool https = HasScheme(url, "https");
    if (!https && !(!options.https_only && HasScheme(url, "http"))) {
      return InvalidArgumentError(
          fmt::format("http: refusing to fetch '{}': only {} URLs are allowed", url,
                      options.https_only ? "https://" : "http(s)://"));
    }
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
    if (!curl) return InternalError("http: curl_easy_init failed");
    CURL* h = curl.get();
    std::string url_str(url);
    Sink sink;
    sink.max_bytes = options.max_bytes;
    const char* protocols = options.https_only ? "https" : "http,https";
    curl_easy_setopt(h, CURLOPT_URL, url_str.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, protocols);
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, protocols);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options.timeout.count()));
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.timeout.count()));
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, options.max_redirects > 0 ? 1L : 0L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, static_cast<long>(options.max_redirects));
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options.max_bytes));
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &WriteBody);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "traceport/0.1");
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");  // identity or whatever curl decodes
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(nullptr,
                                                                        &curl_slist_free_all);
    auto add_header = [&headers](const std::string& line) {
      curl_slist* next = curl_slist_append(headers.get(), line.c_str());
      if (next != nullptr) {
        headers.release();
        headers.reset(next);
      }
    };
    if (!options.accept.empty()) add_header("Accept: " + options.accept);
    for (const auto& [name, value] : options.headers) {
      if ((name + value).find_first_of("\r\n") != std::string::npos || name.empty()) {
        return InvalidArgumentError("http: a header name or value contains CR or LF");
      }
      add_header(name + ": " + value);
    }
    if (post_body != nullptr) {
      curl_easy_setopt(h, CURLOPT_POST, 1L);
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, post_body->data());
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(post_body->size()));
      add_header("Content-Type: " + std::string(content_type));
      add_header("Expect:");  // no 100-continue round trip
    }
    if (headers) curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
    CURLcode rc = curl_easy_perform(h);
    if (sink.overflow || rc == CURLE_FILESIZE_EXCEEDED) {
      return ResourceExhaustedError(
          fmt::format("http: response from {} exceeds {} bytes", url, options.max_bytes));
    }
    if (rc == CURLE_OPERATION_TIMEDOUT) {
      return DeadlineExceededError(
          fmt::format("http: {} timed out after {} ms", url, options.timeout.count()));
    }
    if (rc == CURLE_URL_MALFORMAT || rc == CURLE_UNSUPPORTED_PROTOCOL) {
      return InvalidArgumentError(fmt::format("http: {}: {}", url, curl_easy_strerror(rc)));
    }
    if (rc == CURLE_TOO_MANY_REDIRECTS) {
      return UnavailableError(
          fmt::format("http: {}: more than {} redirects", url, options.max_redirects));
    }
    if (rc != CURLE_OK) {
      return UnavailableError(fmt::format("http: {}: {}", url, curl_easy_strerror(rc)));
    }
    HttpResponse resp;
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    resp.status = static_cast<int>(status);
    char* ct = nullptr;
    if (curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct) resp.content_type = ct;
    char* eff = nullptr;
    if (curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &eff) == CURLE_OK && eff) {
      resp.effective_url = eff;
    }
    resp.body = std::move(sink.body);
    return resp;
  }
};

}  // namespace

Result<HttpResponse> HttpClient::Post(std::string_view url, std::string_view, std::string_view,
                                      const FetchOptions&) {
  return UnimplementedError("http: this client cannot POST (to " + std::string(url) + ")");
}

std::unique_ptr<HttpClient> NewCurlHttpClient() { return std::make_unique<CurlHttpClient>(); }

}  // namespace traceport::net
