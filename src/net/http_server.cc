#include "net/http_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <system_error>
#include <thread>
#include <tuple>
#include <vector>

#include "common/log.h"
#include "net/internal/request_parser.h"
#include "net/internal/router.h"

namespace traceport::net {
namespace {

// cpp-httplib's task queue, elastic: `core` workers always, and one more (up to `max`) whenever
// a connection arrives while every worker is busy. Workers started for a burst stay (idle) until
// shutdown, so the pool never has to reap threads.
class ElasticPool final : public httplib::TaskQueue {
 public:
  ElasticPool(size_t core, size_t max) : max_(max) {
    std::lock_guard<std::mutex> lock(mu_);
    for (size_t i = 0; i < core; ++i) StartWorker();
  }
  ~ElasticPool() override { shutdown(); }

  void enqueue(std::function<void()> fn) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    queue_.push_back(std::move(fn));
    if (idle_ < queue_.size() && workers_.size() < max_) StartWorker();
    cv_.notify_one();
  }

  void shutdown() override {
    std::vector<std::thread> workers;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_ && workers_.empty()) return;
      stopping_ = true;
      workers.swap(workers_);
    }
    cv_.notify_all();
    for (std::thread& t : workers) t.join();
  }

 private:
  void StartWorker() {  // mu_ held
    workers_.emplace_back([this] { Work(); });
  }

  void Work() {
    for (;;) {
      std::function<void()> fn;
      {
        std::unique_lock<std::mutex> lock(mu_);
        ++idle_;
        cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        --idle_;
        // Queued connections are still served during shutdown (httplib stops accepting first).
        if (queue_.empty()) return;
        fn = std::move(queue_.front());
        queue_.pop_front();
      }
      fn();
    }
  }

  const size_t max_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  std::vector<std::thread> workers_;
  size_t idle_ = 0;
  bool stopping_ = false;
};

// One plain-HTTP connection, for all of its requests. cpp-httplib's own socket stream sends a
// response's head and body with two send() calls (two TCP segments on a kept-alive connection,
// so two wake-ups of the client), allocates and zeroes a read buffer and asks the kernel for the
// peer's and its own address on every request. This stream reads through one buffer, keeps what
// an answer writes and sends it in one go (before any read that would wait, once 64 KiB are
// pending, and when the request is done), and looks the addresses up once.
class ConnectionStream final : public httplib::Stream {
 public:
  ConnectionStream(int fd, std::chrono::milliseconds read_timeout,
                   std::chrono::milliseconds write_timeout)
      : fd_(fd), read_timeout_(read_timeout), write_timeout_(write_timeout) {
    in_.resize(kReadBuffer);
    Address(::getpeername, &remote_ip_, &remote_port_);
    Address(::getsockname, &local_ip_, &local_port_);
    // A blocking receive (AwaitInput) returns after at most kIdleSlice, so that an idle
    // connection notices a stop; the other reads do not block (MSG_DONTWAIT, then poll).
    timeval tv{};
    tv.tv_usec = static_cast<suseconds_t>(kIdleSlice.count() * 1000);
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  }

  static constexpr std::chrono::milliseconds kIdleSlice{100};
  static constexpr int kYieldsBeforeBlocking = 3;

  bool is_readable() const override { return in_off_ < in_len_ || Wait(POLLIN, read_timeout_); }
  bool is_writable() const override { return !broken_; }

  ssize_t read(char* ptr, size_t size) override {
    if (in_off_ == in_len_) {
      // The peer may be waiting for what we wrote (an interim 100 Continue) before it sends.
      if (!Flush()) return -1;
      // Usually the bytes are there already (the connection loop waited for them): try first,
      // wait only when there is nothing yet.
      ssize_t n;
      for (;;) {
        n = ::recv(fd_, in_.data(), in_.size(), MSG_DONTWAIT);
        if (n >= 0) break;
        if (errno == EINTR) continue;
        if ((errno != EAGAIN && errno != EWOULDBLOCK) || !Wait(POLLIN, read_timeout_)) return -1;
      }
      if (n == 0) return 0;
      in_off_ = 0;
      in_len_ = static_cast<size_t>(n);
    }
    const size_t k = std::min(size, in_len_ - in_off_);
    std::memcpy(ptr, in_.data() + in_off_, k);
    in_off_ += k;
    return static_cast<ssize_t>(k);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (broken_) return -1;
    out_.append(ptr, size);
    if (out_.size() >= kFlushAt && !Flush()) return -1;
    return static_cast<ssize_t>(size);
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = remote_ip_;
    port = remote_port_;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip = local_ip_;
    port = local_port_;
  }
  socket_t socket() const override { return fd_; }

  // Whether request bytes are already buffered (a pipelined request).
  bool HasInput() const { return in_off_ < in_len_; }

  // The bytes received and not yet consumed.
  std::string_view Buffered() const {
    return std::string_view(in_.data() + in_off_, in_len_ - in_off_);
  }
  void Consume(size_t n) {
    in_off_ += n;
    if (in_off_ == in_len_) in_off_ = in_len_ = 0;
  }

  enum class Fill { kData, kClosed, kFull };

  // Receives more bytes after those buffered (kept: Buffered() grows), waiting up to the read
  // timeout. kClosed when the peer closed, failed or timed out; kFull when the buffer holds
  // kReadBuffer unconsumed bytes already.
  Fill ReadMore() {
    if (in_off_ == in_len_) {
      in_off_ = in_len_ = 0;
    } else if (in_len_ == in_.size()) {
      if (in_off_ == 0) return Fill::kFull;
      std::memmove(in_.data(), in_.data() + in_off_, in_len_ - in_off_);
      in_len_ -= in_off_;
      in_off_ = 0;
    }
    for (;;) {
      const ssize_t n = ::recv(fd_, in_.data() + in_len_, in_.size() - in_len_, MSG_DONTWAIT);
      if (n > 0) {
        in_len_ += static_cast<size_t>(n);
        return Fill::kData;
      }
      if (n == 0) return Fill::kClosed;
      if (errno == EINTR) continue;
      if ((errno != EAGAIN && errno != EWOULDBLOCK) || !Wait(POLLIN, read_timeout_)) {
        return Fill::kClosed;
      }
    }
  }

  enum class Await { kInput, kIdle, kClosed };

  // Waits up to kIdleSlice for a new request's first bytes (with none buffered), receiving
  // them in the same call: one system call per request where poll and recv would be two.
  Await AwaitInput() {
    if (HasInput()) return Await::kInput;
    in_off_ = in_len_ = 0;
    // A kept-alive client usually sends its next request as soon as it has read the answer.
    // Before going to sleep in the kernel (and being woken for that request: two context
    // switches, costly on virtualized hosts), look for it a few times, giving the CPU to
    // whatever else can run in between. An idle connection costs kYieldsBeforeBlocking
    // recv calls per request; docs/performance.md has what it saves.
    for (int tries = 0;; ++tries) {
      const bool wait = tries >= kYieldsBeforeBlocking;
      const ssize_t n = ::recv(fd_, in_.data(), in_.size(), wait ? 0 : MSG_DONTWAIT);
      if (n > 0) {
        in_len_ = static_cast<size_t>(n);
        return Await::kInput;
      }
      if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
        return Await::kClosed;
      }
      if (wait && errno != EINTR) return Await::kIdle;  // kIdleSlice passed (SO_RCVTIMEO)
      if (!wait) sched_yield();
    }
  }

  const std::string& remote_ip() const { return remote_ip_; }

  // Sends everything written so far; false (and every later write fails) when the peer is gone
  // or did not take the bytes within the write timeout.
  bool Flush() {
    size_t off = 0;
    while (!broken_ && off < out_.size()) {
      const ssize_t n =
          ::send(fd_, out_.data() + off, out_.size() - off, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0) {
        off += static_cast<size_t>(n);
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) &&
                 Wait(POLLOUT, write_timeout_)) {
        continue;
      } else {
        broken_ = true;
      }
    }
    out_.clear();
    if (out_.capacity() > 4 * kFlushAt) out_.shrink_to_fit();
    return !broken_;
  }

 private:
  static constexpr size_t kReadBuffer = 16 * 1024;
  static constexpr size_t kFlushAt = 64 * 1024;

  // Whether the socket became ready for `events` within `timeout` (or reports an error or a
  // hang-up, which the next read or send then meets).
  bool Wait(short events, std::chrono::milliseconds timeout) const {
    pollfd p{fd_, events, 0};
    int r;
    do {
      r = ::poll(&p, 1, static_cast<int>(timeout.count()));
    } while (r < 0 && errno == EINTR);
    return r > 0;
  }

  template <typename Lookup>
  void Address(Lookup lookup, std::string* ip, int* port) const {
    sockaddr_storage ss{};
    socklen_t len = sizeof(ss);
    if (lookup(fd_, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return;
    char text[INET6_ADDRSTRLEN] = {};
    if (ss.ss_family == AF_INET) {
      const auto* in = reinterpret_cast<const sockaddr_in*>(&ss);
      if (::inet_ntop(AF_INET, &in->sin_addr, text, sizeof(text)) == nullptr) return;
      *port = ntohs(in->sin_port);
    } else if (ss.ss_family == AF_INET6) {
      const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&ss);
      if (::inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof(text)) == nullptr) return;
      *port = ntohs(in6->sin6_port);
    } else {
      return;
    }
    *ip = text;
  }

  const int fd_;
  const std::chrono::milliseconds read_timeout_;
  const std::chrono::milliseconds write_timeout_;
  std::string in_;
  size_t in_off_ = 0;
  size_t in_len_ = 0;
  std::string out_;
  bool broken_ = false;
  std::string remote_ip_, local_ip_;
  int remote_port_ = -1, local_port_ = -1;
};

// What the fast path (HttpServer::Impl::ServeFast) did with the request at the head of a
// connection's buffer.
enum class FastOutcome {
  kKeep,     // answered; the connection may carry another request
  kClose,    // answered (or the peer is gone): end the connection
  kDecline,  // nothing consumed: cpp-httplib is to read and answer the request
};
using FastPath = std::function<FastOutcome(ConnectionStream&, bool last)>;

// cpp-httplib's server with its connection loop replaced (for plain HTTP; TLS keeps
// SSLServer's): the same keep-alive rules — at most keep_alive_max_count requests, an idle
// connection closed after keep_alive_timeout, none served once the server stops — over a
// ConnectionStream, and an idle connection notices a stop within 100 ms. Each request is offered
// to `fast` first; what it declines goes through cpp-httplib's request processing.
class PlainServer final : public httplib::Server {
 public:
  explicit PlainServer(FastPath fast) : fast_(std::move(fast)) {}

 private:
  bool process_and_close_socket(socket_t sock) override {
    using std::chrono::milliseconds;
    ConnectionStream strm(sock, milliseconds(read_timeout_sec_ * 1000 + read_timeout_usec_ / 1000),
                          milliseconds(write_timeout_sec_ * 1000 + write_timeout_usec_ / 1000));
    bool ret = false;
    for (size_t left = keep_alive_max_count_; left > 0 && AwaitRequest(strm); --left) {
      const bool last = left == 1;
      const FastOutcome fast = fast_(strm, last);
      if (fast != FastOutcome::kDecline) {
        ret = strm.Flush() && fast == FastOutcome::kKeep;
        if (!ret) break;
        continue;
      }
      bool connection_closed = false;
      ret = process_request(strm, last, connection_closed, nullptr);
      // The answer goes out even when processing failed (CloseAfter's response ends that way).
      if (!strm.Flush()) ret = false;
      if (!ret || connection_closed) break;
    }
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
    return ret;
  }

  // Whether the next request has started to arrive before the keep-alive timeout, with the
  // server still running.
  bool AwaitRequest(ConnectionStream& strm) const {
    if (svr_sock_ == INVALID_SOCKET) return false;
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(keep_alive_timeout_sec_);
    for (;;) {
      switch (strm.AwaitInput()) {
        case ConnectionStream::Await::kInput:
          return true;
        case ConnectionStream::Await::kClosed:
          return false;
        case ConnectionStream::Await::kIdle:
          break;
      }
      if (svr_sock_ == INVALID_SOCKET || std::chrono::steady_clock::now() >= deadline) {
        return false;
      }
    }
  }

  const FastPath fast_;
};

using Clock = std::chrono::steady_clock;

// The fast path declines requests whose head or target is longer (cpp-httplib then answers
// them, or refuses a target over its own limit of 8192 with 414).
constexpr size_t kFastHeadBytes = 16 * 1024;
constexpr size_t kFastTargetBytes = 8192;

constexpr std::string_view kProblemJson = "application/problem+json";
constexpr std::string_view kUnmatchedRoute = "unmatched";

using internal::EqualsIgnoreCase;

// The title of a problem with this status.
std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 206:
      return "Partial Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 411:
      return "Length Required";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 416:
      return "Range Not Satisfiable";
    case 417:
      return "Expectation Failed";
    case 422:
      return "Unprocessable Content";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      break;
  }
  if (status >= 200 && status < 300) return "Success";
  if (status >= 300 && status < 400) return "Redirection";
  if (status >= 400 && status < 500) return "Client Error";
  return "Server Error";
}

}  // namespace

std::string_view HttpReasonPhrase(int status) { return ReasonPhrase(status); }

namespace {

ServerResponse Problem(int status, std::string title, std::string detail, std::string_view code) {
  nlohmann::ordered_json j;
  j["type"] = "about:blank";
  j["title"] = title.empty() ? std::string(ReasonPhrase(status)) : std::move(title);
  j["status"] = status;
  if (!detail.empty()) j["detail"] = std::move(detail);
  if (!code.empty()) j["code"] = code;
  ServerResponse r;
  r.status = status;
  r.content_type = kProblemJson;
  // Messages may quote untrusted bytes: replace invalid UTF-8 rather than throw.
  r.body = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

// RFC 9110 tchar.
bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

Status ValidateResponse(const ServerResponse& r) {
  if (r.status < 200 || r.status > 599) {
    return InternalError(fmt::format("handler returned status {}", r.status));
  }
  if ((r.status == 204 || r.status == 304) && !r.body.empty()) {
    return InternalError(fmt::format("handler returned a body with status {}", r.status));
  }
  auto bad_value = [](std::string_view v) {
    return v.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
  };
  if (bad_value(r.content_type)) return InternalError("handler returned a bad Content-Type");
  for (const auto& [name, value] : r.headers) {
    if (!IsToken(name) || bad_value(value)) {
      return InternalError("handler returned a malformed header field");
    }
    if (EqualsIgnoreCase(name, "Content-Length") || EqualsIgnoreCase(name, "Transfer-Encoding")) {
      return InternalError(fmt::format("handler set {}, which is the server's", name));
    }
  }
  return Status::Ok();
}

// The body framing a request declares.
struct Framing {
  bool chunked = false;
  uint64_t length = 0;  // Content-Length, when not chunked
};

// Refuses the framings that lead to request smuggling or that cpp-httplib would misread.
Status ParseFraming(const httplib::Request& req, Framing* framing) {
  size_t te_count = req.get_header_value_count("Transfer-Encoding");
  size_t cl_count = req.get_header_value_count("Content-Length");
  if (te_count > 0) {
    if (te_count > 1 || !EqualsIgnoreCase(req.get_header_value("Transfer-Encoding"), "chunked")) {
      return InvalidArgumentError("only Transfer-Encoding: chunked is supported");
    }
    if (cl_count > 0) {
      return InvalidArgumentError("both Transfer-Encoding and Content-Length are present");
    }
    framing->chunked = true;
    return Status::Ok();
  }
  if (cl_count == 0) return Status::Ok();
  std::string value = req.get_header_value("Content-Length");
  if (cl_count > 1 || value.empty() || value.size() > 18 ||
      !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return InvalidArgumentError("malformed Content-Length");
  }
  framing->length = std::stoull(value);
  return Status::Ok();
}

// The methods a route may be registered for.
bool IsRouteMethod(std::string_view m) {
  for (std::string_view known : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
    if (m == known) return true;
  }
  return false;
}

// Names cpp-httplib files among a request's header fields for the peer's and its own address
// (where a client can send look-alikes); they are not header fields and never reach handlers.
bool IsAddressPseudoHeader(std::string_view name) {
  return EqualsIgnoreCase(name, "REMOTE_ADDR") || EqualsIgnoreCase(name, "REMOTE_PORT") ||
         EqualsIgnoreCase(name, "LOCAL_ADDR") || EqualsIgnoreCase(name, "LOCAL_PORT");
}

// The methods cpp-httplib reads a body for (through our content-reader routes).
bool IsBodyMethod(std::string_view m) {
  return m == "POST" || m == "PUT" || m == "PATCH" || m == "DELETE";
}

// A bounded label set for metrics: the request line's method is client input.
std::string_view MethodLabel(std::string_view m) {
  for (std::string_view known :
       {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"}) {
    if (m == known) return known;
  }
  return "other";
}

std::string_view PathOf(std::string_view target) { return target.substr(0, target.find('?')); }

// cpp-httplib 0.11.4 applies a request's Range header to whatever response the routing produced
// (even a 404 or a problem body) while keeping its status, so a client asking for "bytes=2-4"
// would get three bytes under "200 OK". We do not serve ranges: drop them before the response is
// written. The Request object is a non-const local of cpp-httplib's request loop, handed to us by
// const reference, so the const_casts here are well-defined.
void DropRanges(const httplib::Request& req) { const_cast<httplib::Request&>(req).ranges.clear(); }

// Ends the connection once `res` (whose body must not be empty) has been sent, so that request
// bytes we did not read are never parsed as the next request. cpp-httplib 0.11.4 ignores a
// "Connection: close" set by a handler and has no other way to drop a connection, but it does
// close one when writing a body fails: so the body goes through a content provider that sends
// all of it and then reports failure. The client gets the complete response, then EOF.
void CloseAfter(const httplib::Request& req, httplib::Response& res) {
  // A HEAD response has no body, so nothing would fail: answer as for GET (the request carried
  // a body or was malformed, and the connection ends right after).
  if (req.method == "HEAD") const_cast<httplib::Request&>(req).method = "GET";
  auto body = std::make_shared<std::string>(std::move(res.body));
  res.body.clear();
  std::string type = res.get_header_value("Content-Type");
  res.headers.erase("Content-Type");  // set_content_provider sets it again
  res.set_content_provider(body->size(), type,
                           [body](size_t offset, size_t length, httplib::DataSink& sink) {
                             sink.write(body->data() + offset, length);
                             return false;
                           });
  // Tell the client too (cpp-httplib adds it itself when the request asked for it).
  if (!EqualsIgnoreCase(req.get_header_value("Connection"), "close")) {
    res.set_header("Connection", "close");
  }
}

struct ListenAddress {
  std::string host;
  int port = 0;
  bool loopback = false;
};

Result<ListenAddress> ParseListen(std::string_view listen) {
  auto bad = [&](std::string_view why) {
    return InvalidArgumentError(fmt::format("http server: listen address '{}': {}", listen, why));
  };
  std::string_view host, port_text;
  if (!listen.empty() && listen.front() == '[') {
    size_t close = listen.find(']');
    if (close == std::string_view::npos || close + 1 >= listen.size() || listen[close + 1] != ':') {
      return bad("expected [ipv6]:port");
    }
    host = listen.substr(1, close - 1);
    port_text = listen.substr(close + 2);
  } else {
    size_t colon = listen.rfind(':');
    if (colon == std::string_view::npos) return bad("expected host:port");
    host = listen.substr(0, colon);
    port_text = listen.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) return bad("write IPv6 addresses as [addr]:port");
  }
  if (port_text.empty() || port_text.size() > 5 ||
      !std::all_of(port_text.begin(), port_text.end(),
                   [](char c) { return c >= '0' && c <= '9'; })) {
    return bad("the port must be a number");
  }
  ListenAddress out;
  out.port = std::stoi(std::string(port_text));
  if (out.port > 65535) return bad("the port must be at most 65535");
  out.host = host == "localhost" ? "127.0.0.1" : std::string(host);
  in_addr v4{};
  in6_addr v6{};
  if (inet_pton(AF_INET, out.host.c_str(), &v4) == 1) {
    out.loopback = (ntohl(v4.s_addr) >> 24) == 127;
  } else if (inet_pton(AF_INET6, out.host.c_str(), &v6) == 1) {
    const uint8_t* b = v6.s6_addr;
    bool mapped_v4 =
        std::all_of(b, b + 10, [](uint8_t x) { return x == 0; }) && b[10] == 0xff && b[11] == 0xff;
    out.loopback = IN6_IS_ADDR_LOOPBACK(&v6) || (mapped_v4 && b[12] == 127);
  } else {
    return bad("the host must be an IP address or localhost");
  }
  return out;
}

// Prometheus label values escape backslash, double quote and newline.
std::string LabelValue(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

// Bucket bounds in microseconds and as written in the exposition.
constexpr std::array<int64_t, 14> kBucketMicros = {500,     1000,    2500,    5000,    10000,
                                                   25000,   50000,   100000,  250000,  500000,
                                                   1000000, 2500000, 5000000, 10000000};
constexpr std::array<std::string_view, 14> kBucketLabels = {
    "0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05",
    "0.1",    "0.25",  "0.5",    "1",     "2.5",  "5",     "10"};

class Metrics {
 public:
  // `micros` < 0 when the request was not timed (cpp-httplib rejected it before routing).
  void Record(std::string_view route, std::string_view method, int status, int64_t micros) {
    std::lock_guard<std::mutex> lock(mu_);
    ++requests_[std::make_tuple(std::string(route), std::string(method), status)];
    if (micros < 0) return;
    Histogram& h = durations_[std::string(route)];
    for (size_t i = 0; i < kBucketMicros.size(); ++i) {
      if (micros <= kBucketMicros[i]) ++h.buckets[i];
    }
    ++h.count;
    h.sum_micros += static_cast<uint64_t>(micros);
  }

  std::string Render() const {
    std::lock_guard<std::mutex> lock(mu_);
    std::string out =
        "# HELP traceport_http_requests_total HTTP requests answered, by route pattern, method "
        "and status.\n"
        "# TYPE traceport_http_requests_total counter\n";
    for (const auto& [key, n] : requests_) {
      out += fmt::format(
          "traceport_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
          LabelValue(std::get<0>(key)), LabelValue(std::get<1>(key)), std::get<2>(key), n);
    }
    out +=
        "# HELP traceport_http_request_duration_seconds Time from a request's headers being read "
        "to its response being written.\n"
        "# TYPE traceport_http_request_duration_seconds histogram\n";
    for (const auto& [route, h] : durations_) {
      std::string r = LabelValue(route);
      for (size_t i = 0; i < kBucketMicros.size(); ++i) {
        out += fmt::format(
            "traceport_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", r,
            kBucketLabels[i], h.buckets[i]);
      }
      out += fmt::format(
          "traceport_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n", r,
          h.count);
      out += fmt::format("traceport_http_request_duration_seconds_sum{{route=\"{}\"}} {}.{:06}\n",
                         r, h.sum_micros / 1000000, h.sum_micros % 1000000);
      out += fmt::format("traceport_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", r,
                         h.count);
    }
    return out;
  }

 private:
  struct Histogram {
    std::array<uint64_t, kBucketMicros.size()> buckets{};  // cumulative
    uint64_t count = 0;
    uint64_t sum_micros = 0;  // integer, so the sum never drifts
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;
  std::map<std::string, Histogram> durations_;
};

// What the current worker thread knows about the request it is serving. cpp-httplib serves a
// connection's requests one after another on one thread and gives no per-request context object,
// so the hooks (pre-routing, our handlers, the error handler, the logger) share it here. It is
// keyed by server and peer so a leftover from a request that never got a response (the peer
// vanished) is not mistaken for the next connection's.
struct RequestScope {
  const void* owner = nullptr;
  std::string remote_addr;
  int remote_port = -1;
  Clock::time_point start;
  std::string route;        // matched pattern; empty when none matched
  bool dispatched = false;  // the response came from Dispatch
};
thread_local RequestScope t_scope;

}  // namespace

std::optional<std::string_view> ServerRequest::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (EqualsIgnoreCase(k, name)) return std::string_view(v);
  }
  return std::nullopt;
}

std::optional<std::string_view> ServerRequest::QueryParam(std::string_view name) const {
  auto it = query.find(std::string(name));
  if (it == query.end()) return std::nullopt;
  return std::string_view(it->second);
}

ServerResponse ProblemResponse(int status, std::string title, std::string detail) {
  return Problem(status, std::move(title), std::move(detail), "");
}

int HttpStatusFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
    case StatusCode::kOutOfRange:
      return 400;
    case StatusCode::kUnauthenticated:
      return 401;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kAlreadyExists:
    case StatusCode::kAborted:
    case StatusCode::kFailedPrecondition:
      return 409;
    case StatusCode::kResourceExhausted:
      return 413;
    case StatusCode::kUnimplemented:
      return 501;
    case StatusCode::kCancelled:
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kDeadlineExceeded:
      return 504;
    case StatusCode::kInternal:
    case StatusCode::kDataLoss:
    case StatusCode::kUnknown:
      break;
  }
  return 500;
}

ServerResponse ErrorResponse(const Status& status) {
  int http = status.ok() ? 500 : HttpStatusFor(status);
  if (http == 500) {
    log::Warn("http.internal_error", {{"status", status.ToString()}});
    return Problem(500, "", "internal error",
                   status.ok() ? "INTERNAL" : StatusCodeName(status.code()));
  }
  return Problem(http, "", std::string(status.message()), StatusCodeName(status.code()));
}

struct HttpServer::Impl {
  enum class State { kNew, kRunning, kStopped };

  explicit Impl(Options o) : options(std::move(o)) {}

  void Handle(std::string method, std::string pattern, Handler handler);
  Status Start();
  void Stop();

  // cpp-httplib hooks.
  httplib::Server::HandlerResponse PreRoute(const httplib::Request& req, httplib::Response& res);
  void Dispatch(const httplib::Request& req, httplib::Response& res,
                const httplib::ContentReader* reader);
  httplib::Server::HandlerResponse OnError(const httplib::Request& req, httplib::Response& res);
  void OnResponseWritten(const httplib::Request& req, const httplib::Response& res);

  // Routes and runs the handler; never throws. Sets *close when the connection must not be
  // reused (request bytes were left unread); the response is then a problem with a body.
  ServerResponse Serve(const httplib::Request& req, const httplib::ContentReader* reader,
                       bool* close);
  // Runs route `id`'s handler; a throw or an invalid response becomes a 500.
  ServerResponse RunHandler(size_t id, std::string_view pattern, const ServerRequest& req);

  // Serves the request at the head of a plain-HTTP connection's buffer without cpp-httplib, when
  // it is an ordinary one: parsed by libhttp-parser, a Content-Length body (or none) within the
  // limit, no Expect, Transfer-Encoding, Content-Encoding or Upgrade, a path that routes to a
  // handler. Anything else is declined before a byte is consumed, and cpp-httplib reads it from
  // its first byte (with the answers and connection handling docs/http.md describes).
  FastOutcome ServeFast(ConnectionStream& strm, bool last);

  // Counts and logs an answered request.
  void Record(std::string_view method, std::string_view path, int status, int64_t micros,
              const std::string& remote, std::string_view route);

  const Options options;
  internal::Router router;
  std::vector<Handler> handlers;
  Status config_error;  // the first bad Handle() call, reported by Start

  std::mutex lifecycle_mu;  // Handle, Start, Stop
  State state = State::kNew;
  std::unique_ptr<httplib::Server> server;
  std::thread thread;
  int listen_fd = -1;
  std::atomic<bool> loop_returned{false};
  std::atomic<int> port{0};
  std::string keep_alive_field;  // "Keep-Alive: timeout=2, max=1000\r\n", as cpp-httplib sends

  Metrics metrics;
};

void HttpServer::Impl::Handle(std::string method, std::string pattern, Handler handler) {
  std::lock_guard<std::mutex> lock(lifecycle_mu);
  if (state != State::kNew) {
    log::Error("http.handle_after_start", {{"method", method}, {"pattern", pattern}});
    return;
  }
  if (!config_error.ok()) return;
  if (!IsRouteMethod(method)) {
    config_error = InvalidArgumentError(
        fmt::format("http server: route {} {}: unsupported method", method, pattern));
    return;
  }
  if (!handler) {
    config_error = InvalidArgumentError(
        fmt::format("http server: route {} {}: empty handler", method, pattern));
    return;
  }
  Status added = router.Add(method, pattern, handlers.size());
  if (!added.ok()) {
    config_error = InvalidArgumentError(fmt::format("http server: {}", added.message()));
    return;
  }
  handlers.push_back(std::move(handler));
}

Status HttpServer::Impl::Start() {
  std::lock_guard<std::mutex> lock(lifecycle_mu);
  if (state != State::kNew) {
    return FailedPreconditionError("http server: Start called twice or after Stop");
  }
  RETURN_IF_ERROR(config_error);
  if (options.threads == 0) return InvalidArgumentError("http server: threads must be positive");
  if (options.read_timeout.count() <= 0 || options.write_timeout.count() <= 0 ||
      options.keep_alive_timeout.count() < 1) {
    return InvalidArgumentError(
        "http server: read/write timeouts must be positive and keep_alive_timeout at least 1 s");
  }
  ASSIGN_OR_RETURN(ListenAddress addr, ParseListen(options.listen));
  bool tls = !options.tls_cert_file.empty() || !options.tls_key_file.empty();
  if (options.tls_cert_file.empty() != options.tls_key_file.empty()) {
    return InvalidArgumentError("http server: TLS needs both a certificate and a key file");
  }
  if (!tls && !addr.loopback && !options.allow_plain_http_off_loopback) {
    return FailedPreconditionError(fmt::format(
        "http server: refusing plain HTTP on {}, which is not a loopback address: configure a TLS "
        "certificate and key, or allow plain HTTP explicitly when a TLS-terminating proxy is in "
        "front",
        options.listen));
  }

  std::unique_ptr<httplib::Server> s;
  if (tls) {
    s = std::make_unique<httplib::SSLServer>(options.tls_cert_file.c_str(),
                                             options.tls_key_file.c_str());
  } else {
    s = std::make_unique<PlainServer>(
        [this](ConnectionStream& strm, bool last) { return ServeFast(strm, last); });
  }
  if (!s->is_valid()) {
    return InvalidArgumentError(
        fmt::format("http server: cannot load TLS certificate '{}' and key '{}'",
                    options.tls_cert_file, options.tls_key_file));
  }
  size_t threads = options.threads;
  const size_t max_threads = std::max(options.max_threads, threads);
  s->new_task_queue = [threads, max_threads] { return new ElasticPool(threads, max_threads); };
  s->set_read_timeout(options.read_timeout);
  s->set_write_timeout(options.write_timeout);
  s->set_keep_alive_timeout(static_cast<time_t>(options.keep_alive_timeout.count()));
  // cpp-httplib closes a kept-alive connection after 5 requests by default, which makes a busy
  // client reconnect (and a worker hand over) every fifth request.
  s->set_keep_alive_max_count(options.keep_alive_max_requests);
  keep_alive_field =
      fmt::format("Keep-Alive: timeout={}, max={}\r\n", options.keep_alive_timeout.count(),
                  options.keep_alive_max_requests);
  s->set_payload_max_length(options.max_body_bytes);
  // cpp-httplib writes a response's head and body separately; with Nagle's algorithm the body of
  // a response on a kept-alive connection would wait for the client's delayed ACK (~40 ms).
  s->set_tcp_nodelay(true);
  // cpp-httplib's default sets SO_REUSEPORT on Linux, which would let a second server bind the
  // same port silently and share its traffic. SO_REUSEADDR alone still allows a quick restart.
  listen_fd = -1;
  s->set_socket_options([this](int fd) {
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    ::fcntl(fd, F_SETFD, FD_CLOEXEC);
    listen_fd = fd;
  });
  s->set_pre_routing_handler(
      [this](const httplib::Request& req, httplib::Response& res) { return PreRoute(req, res); });
  auto with_body = [this](const httplib::Request& req, httplib::Response& res,
                          const httplib::ContentReader& reader) { Dispatch(req, res, &reader); };
  // Every path: matching is ours. [\s\S] because '.' would not match a decoded newline.
  const std::string all = "[\\s\\S]*";
  s->Post(all, with_body);
  s->Put(all, with_body);
  s->Patch(all, with_body);
  s->Delete(all, with_body);
  // cpp-httplib takes these instead when it expects no body; then it has read none either.
  auto without_body = [this](const httplib::Request& req, httplib::Response& res) {
    Dispatch(req, res, nullptr);
  };
  s->Post(all, without_body);
  s->Put(all, without_body);
  s->Patch(all, without_body);
  s->Delete(all, without_body);
  s->set_error_handler(httplib::Server::HandlerWithResponse(
      [this](const httplib::Request& req, httplib::Response& res) { return OnError(req, res); }));
  s->set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    OnResponseWritten(req, res);
  });

  errno = 0;
  int bound = addr.port == 0 ? s->bind_to_any_port(addr.host)
                             : (s->bind_to_port(addr.host, addr.port) ? addr.port : -1);
  int err = errno;
  if (bound <= 0) {
    return UnavailableError(fmt::format(
        "http server: cannot listen on {}: {}", options.listen,
        err != 0 ? std::error_code(err, std::generic_category()).message() : "bind failed"));
  }
  // cpp-httplib listens with a backlog of 5, so a burst of clients would see SYNs dropped and
  // retried a second later. Calling listen() again on a listening socket raises the backlog.
  if (listen_fd >= 0) ::listen(listen_fd, SOMAXCONN);

  server = std::move(s);
  loop_returned = false;
  httplib::Server* raw = server.get();
  thread = std::thread([this, raw] {
    raw->listen_after_bind();
    loop_returned = true;
  });
  // cpp-httplib's stop() does nothing until the accept loop has started, so a Stop right after
  // Start would leave the loop running forever: wait for it.
  while (!raw->is_running() && !loop_returned) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (!raw->is_running()) {
    thread.join();
    server.reset();
    return InternalError("http server: the accept loop ended at once");
  }
  port = bound;
  state = State::kRunning;
  log::Info("http.listening", {{"listen", options.listen}, {"port", bound}, {"tls", tls}});
  return Status::Ok();
}

void HttpServer::Impl::Stop() {
  std::lock_guard<std::mutex> lock(lifecycle_mu);
  if (state == State::kRunning) {
    server->stop();
    thread.join();
    server.reset();
    log::Info("http.stopped", {{"listen", options.listen}, {"port", port.load()}});
  }
  state = State::kStopped;
}

httplib::Server::HandlerResponse HttpServer::Impl::PreRoute(const httplib::Request& req,
                                                            httplib::Response& res) {
  t_scope = RequestScope{this, req.remote_addr, req.remote_port, Clock::now(), "", false};
  DropRanges(req);
  // Bodies are read only through the content-reader routes registered for these methods.
  if (IsBodyMethod(req.method)) return httplib::Server::HandlerResponse::Unhandled;
  Dispatch(req, res, nullptr);
  return httplib::Server::HandlerResponse::Handled;
}

void HttpServer::Impl::Dispatch(const httplib::Request& req, httplib::Response& res,
                                const httplib::ContentReader* reader) {
  t_scope.dispatched = true;
  bool close = false;
  ServerResponse out = Serve(req, reader, &close);
  res.status = out.status;
  for (auto& [name, value] : out.headers) res.set_header(name, value);
  if (!out.content_type.empty()) res.set_header("Content-Type", out.content_type);
  res.body = std::move(out.body);
  if (close) CloseAfter(req, res);
}

ServerResponse HttpServer::Impl::Serve(const httplib::Request& req,
                                       const httplib::ContentReader* reader, bool* close) {
  Framing framing;
  if (Status s = ParseFraming(req, &framing); !s.ok()) {
    *close = true;
    return ProblemResponse(400, "", std::string(s.message()));
  }
  bool has_body = framing.chunked || framing.length > 0;
  if (has_body && reader == nullptr) {
    // cpp-httplib reads no body for these methods; what it means would be ours to define.
    *close = true;
    return ProblemResponse(400, "", fmt::format("a {} request may not carry a body", req.method));
  }

  std::string_view raw_path = PathOf(req.target);
  Result<internal::Router::Match> found = router.Find(req.method, raw_path);
  if (!found.ok()) {
    *close = has_body;
    return ProblemResponse(400, "", std::string(found.status().message()));
  }
  internal::Router::Match& match = *found;
  t_scope.route = match.pattern;
  if (match.outcome == internal::Router::Outcome::kNotFound) {
    *close = has_body;
    // "/portal/" for "/portal": a GET to a path that matches once its trailing slash is gone is
    // sent there (308 keeps the method), rather than answered 404.
    if ((req.method == "GET" || req.method == "HEAD") && raw_path.size() > 1 &&
        raw_path.back() == '/') {
      const std::string_view trimmed = raw_path.substr(0, raw_path.size() - 1);
      Result<internal::Router::Match> again = router.Find(req.method, trimmed);
      if (again.ok() && again->outcome == internal::Router::Outcome::kFound) {
        ServerResponse r;
        r.status = 308;
        const size_t query = req.target.find('?');
        r.headers.emplace_back(
            "Location", std::string(trimmed) + (query == std::string::npos
                                                    ? std::string()
                                                    : std::string(req.target.substr(query))));
        return r;
      }
    }
    return ProblemResponse(404, "", "no resource at this path");
  }
  if (match.outcome == internal::Router::Outcome::kMethodNotAllowed) {
    *close = has_body;
    ServerResponse r = ProblemResponse(
        405, "", fmt::format("{} is not allowed here; allowed: {}", req.method, match.allow));
    r.headers.emplace_back("Allow", match.allow);
    return r;
  }

  ServerRequest sreq;
  sreq.method = req.method;
  sreq.path = std::string(raw_path);
  sreq.path_params = std::move(match.params);
  sreq.query.insert(req.params.begin(), req.params.end());
  for (const auto& [name, value] : req.headers) {
    if (!IsAddressPseudoHeader(name)) sreq.headers.emplace_back(name, value);
  }
  sreq.remote_addr = req.remote_addr;
  if (reader != nullptr && has_body) {
    auto too_large = [&] {
      *close = true;
      return ProblemResponse(
          413, "", fmt::format("the request body exceeds {} bytes", options.max_body_bytes));
    };
    if (!framing.chunked && framing.length > options.max_body_bytes) return too_large();
    bool over = false;
    bool ok = (*reader)([&](const char* data, size_t n) {
      if (n > options.max_body_bytes - sreq.body.size()) {
        over = true;
        return false;
      }
      sreq.body.append(data, n);
      return true;
    });
    if (over) return too_large();
    if (!ok) {
      *close = true;
      return ProblemResponse(400, "",
                             "the request body could not be read (framing, Content-Encoding or "
                             "timeout)");
    }
  }

  return RunHandler(match.id, match.pattern, sreq);
}

ServerResponse HttpServer::Impl::RunHandler(size_t id, std::string_view pattern,
                                            const ServerRequest& req) {
  ServerResponse out;
  try {
    out = handlers[id](req);
  } catch (const std::exception& e) {
    log::Warn("http.handler_exception", {{"route", pattern}, {"what", e.what()}});
    return ProblemResponse(500, "", "internal error");
  } catch (...) {
    log::Warn("http.handler_exception", {{"route", pattern}, {"what", "non-standard"}});
    return ProblemResponse(500, "", "internal error");
  }
  if (Status s = ValidateResponse(out); !s.ok()) {
    log::Warn("http.bad_response", {{"route", pattern}, {"error", s.message()}});
    return ProblemResponse(500, "", "internal error");
  }
  return out;
}

FastOutcome HttpServer::Impl::ServeFast(ConnectionStream& strm, bool last) {
  internal::RequestParser parser({kFastHeadBytes, options.max_body_bytes});
  // Until the request is accepted nothing is consumed: `fed` bytes of the buffer are parsed.
  size_t fed = 0;
  while (!parser.head_complete()) {
    fed += parser.Feed(strm.Buffered().substr(fed));
    if (parser.failed()) return FastOutcome::kDecline;
    if (parser.head_complete()) break;
    switch (strm.ReadMore()) {
      case ConnectionStream::Fill::kData:
        break;
      case ConnectionStream::Fill::kFull:
        return FastOutcome::kDecline;
      case ConnectionStream::Fill::kClosed:
        return FastOutcome::kClose;  // the peer left, or stalled mid-head past the read timeout
    }
  }
  const Clock::time_point start = Clock::now();
  internal::RequestHead& head = parser.head();
  const uint64_t length = head.content_length.value_or(0);
  if (head.upgrade || head.version_major != 1 || !IsRouteMethod(head.method) ||
      (length > 0 && !IsBodyMethod(head.method)) || head.target.empty() || head.target[0] != '/' ||
      head.target.size() > kFastTargetBytes || head.HeaderCount("Transfer-Encoding") > 0 ||
      head.HeaderCount("Content-Encoding") > 0 || head.HeaderCount("Expect") > 0) {
    return FastOutcome::kDecline;
  }
  const size_t query_at = head.target.find('?');
  const std::string_view raw_path = std::string_view(head.target).substr(0, query_at);
  Result<internal::Router::Match> found = router.Find(head.method, raw_path);
  if (!found.ok() || found->outcome != internal::Router::Outcome::kFound) {
    return FastOutcome::kDecline;
  }

  // Accepted: read the rest of the body.
  strm.Consume(fed);
  while (!parser.complete()) {
    if (strm.Buffered().empty() && strm.ReadMore() != ConnectionStream::Fill::kData) break;
    strm.Consume(parser.Feed(strm.Buffered()));
    if (parser.failed()) break;
  }
  const bool is_head = head.method == "HEAD";
  ServerResponse out;
  bool close = last || !head.keep_alive;
  if (!parser.complete()) {
    close = true;
    out = ProblemResponse(400, "", "the request body could not be read (framing or timeout)");
  } else {
    ServerRequest req;
    req.method = head.method;
    req.path = std::string(raw_path);
    req.path_params = std::move(found->params);
    if (query_at != std::string::npos && query_at + 1 < head.target.size()) {
      httplib::Params params;
      httplib::detail::parse_query_text(head.target.substr(query_at + 1), params);
      req.query.insert(params.begin(), params.end());
    }
    req.headers.reserve(head.headers.size());
    for (auto& [name, value] : head.headers) {
      if (!IsAddressPseudoHeader(name)) req.headers.emplace_back(std::move(name), std::move(value));
    }
    req.body = std::move(parser.body());
    req.remote_addr = strm.remote_ip();
    out = RunHandler(found->id, found->pattern, req);
  }

  // The head as cpp-httplib writes it (docs/http.md), then the body, in one send.
  std::string text;
  text.reserve(160 + out.content_type.size());
  fmt::format_to(std::back_inserter(text), "HTTP/1.1 {} {}\r\n", out.status,
                 ReasonPhrase(out.status));
  if (is_head) text += "Accept-Ranges: bytes\r\n";
  if (close) text += "Connection: close\r\n";
  fmt::format_to(std::back_inserter(text), "Content-Length: {}\r\n", out.body.size());
  if (!out.content_type.empty()) {
    fmt::format_to(std::back_inserter(text), "Content-Type: {}\r\n", out.content_type);
  } else if (!out.body.empty()) {
    text += "Content-Type: text/plain\r\n";
  }
  if (!close) text += keep_alive_field;
  for (const auto& [name, value] : out.headers) {
    fmt::format_to(std::back_inserter(text), "{}: {}\r\n", name, value);
  }
  text += "\r\n";
  strm.write(text.data(), text.size());
  if (!is_head && !out.body.empty()) strm.write(out.body.data(), out.body.size());
  const int64_t micros =
      std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count();
  Record(head.method, raw_path, out.status, micros, strm.remote_ip(), found->pattern);
  return close ? FastOutcome::kClose : FastOutcome::kKeep;
}

httplib::Server::HandlerResponse HttpServer::Impl::OnError(const httplib::Request& req,
                                                           httplib::Response& res) {
  bool ours = t_scope.owner == this && t_scope.dispatched &&
              t_scope.remote_port == req.remote_port && t_scope.remote_addr == req.remote_addr;
  if (ours) return httplib::Server::HandlerResponse::Unhandled;
  // cpp-httplib rejected the request itself (malformed request line or headers, URI too long,
  // bad Range header...). Give it our error format and do not trust the connection further.
  DropRanges(req);
  std::string_view detail = res.status == 414   ? "the request target is too long"
                            : res.status == 416 ? "malformed Range header"
                                                : "the request could not be parsed";
  ServerResponse p = ProblemResponse(res.status, "", std::string(detail));
  res.headers.clear();
  res.set_header("Content-Type", p.content_type);
  res.body = std::move(p.body);
  CloseAfter(req, res);
  return httplib::Server::HandlerResponse::Handled;
}

void HttpServer::Impl::OnResponseWritten(const httplib::Request& req,
                                         const httplib::Response& res) {
  bool timed = t_scope.owner == this && t_scope.remote_port == req.remote_port &&
               t_scope.remote_addr == req.remote_addr;
  std::string route =
      timed && !t_scope.route.empty() ? t_scope.route : std::string(kUnmatchedRoute);
  int64_t micros =
      timed ? std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t_scope.start)
                  .count()
            : -1;
  t_scope = RequestScope{};
  Record(req.method, PathOf(req.target), res.status, micros, req.remote_addr, route);
}

void HttpServer::Impl::Record(std::string_view method, std::string_view path, int status,
                              int64_t micros, const std::string& remote, std::string_view route) {
  const std::string_view label = MethodLabel(method);
  metrics.Record(route, label, status, micros);
  log::Log(status >= 500 ? log::Level::kWarn : log::Level::kDebug, "http.request",
           {{"method", label},
            {"path", path},
            {"status", status},
            {"duration_us", static_cast<long long>(std::max<int64_t>(micros, 0))},
            {"remote", remote},
            {"route", route}});
}

HttpServer::HttpServer() : HttpServer(Options{}) {}

HttpServer::HttpServer(Options options) : impl_(std::make_unique<Impl>(std::move(options))) {}

HttpServer::~HttpServer() { Stop(); }

void HttpServer::Handle(std::string method, std::string pattern, Handler handler) {
  impl_->Handle(std::move(method), std::move(pattern), std::move(handler));
}

Status HttpServer::Start() { return impl_->Start(); }

int HttpServer::port() const { return impl_->port.load(); }

void HttpServer::Stop() { impl_->Stop(); }

std::string HttpServer::MetricsText() const { return impl_->metrics.Render(); }

}  // namespace traceport::net
