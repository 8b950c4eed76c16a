#include "net/http_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <thread>
#include <vector>

#include "net/http_client.h"

namespace traceport::net {
namespace {

using namespace std::chrono_literals;

FetchOptions PlainHttp() {
  FetchOptions o;
  o.https_only = false;  // loopback tests only
  o.timeout = std::chrono::milliseconds(3000);
  return o;
}

std::string Url(const HttpServer& s, std::string_view path) {
  return "http://127.0.0.1:" + std::to_string(s.port()) + std::string(path);
}

// A raw client connection, for what the curl client cannot send or show (methods, bodies,
// framing, headers, connection reuse).
class RawConnection {
 public:
  explicit RawConnection(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = fd_ >= 0 && ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  }
  ~RawConnection() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool Send(std::string_view bytes) {
    return connected_ && ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
                             static_cast<ssize_t>(bytes.size());
  }

  // Reads one response (head plus Content-Length bytes of body).
  std::string ReadResponse(std::chrono::milliseconds timeout = 3s) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      size_t head_end = buffered_.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        size_t length = 0;
        size_t cl = buffered_.find("Content-Length: ");
        if (cl != std::string::npos && cl < head_end)
          length = std::stoul(buffered_.substr(cl + 16));
        if (buffered_.size() >= head_end + 4 + length) {
          std::string out = buffered_.substr(0, head_end + 4 + length);
          buffered_.erase(0, out.size());
          return out;
        }
      }
      if (!Fill(std::chrono::duration_cast<std::chrono::milliseconds>(
              deadline - std::chrono::steady_clock::now()))) {
        break;
      }
    }
    return "<incomplete>" + buffered_;
  }

  // Reads until the server closes the connection; "<timeout>" is appended if it does not.
  std::string ReadToEnd(std::chrono::milliseconds timeout = 3s) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!eof_) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || !Fill(left)) break;
    }
    std::string out = std::move(buffered_);
    buffered_.clear();
    return eof_ ? out : out + "<timeout>";
  }

 private:
  bool Fill(std::chrono::milliseconds timeout) {
    if (!connected_ || eof_) return false;
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000 + 1);
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    char buf[4096];
    ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
    if (n == 0) eof_ = true;
    if (n <= 0) return false;
    buffered_.append(buf, static_cast<size_t>(n));
    return true;
  }

  int fd_;
  bool connected_ = false;
  bool eof_ = false;
  std::string buffered_;
};

// Sends raw bytes and returns everything the server sends until it closes the connection, or
// until `timeout` passes (then "<timeout>" is appended).
std::string RawExchange(int port, std::string_view request,
                        std::chrono::milliseconds timeout = 3s) {
  RawConnection c(port);
  if (!c.Send(request)) return "<send failed>";
  return c.ReadToEnd(timeout);
}

int StatusOf(std::string_view raw) {
  if (raw.substr(0, 9) != "HTTP/1.1 " || raw.size() < 12) return -1;
  return std::atoi(std::string(raw.substr(9, 3)).c_str());
}

size_t CountResponses(std::string_view raw) {
  size_t n = 0;
  for (size_t at = raw.find("HTTP/1.1 "); at != std::string_view::npos;
       at = raw.find("HTTP/1.1 ", at + 1)) {
    ++n;
  }
  return n;
}

ServerResponse Text(std::string body) {
  ServerResponse r;
  r.content_type = "text/plain";
  r.body = std::move(body);
  return r;
}

HttpServer::Options TestOptions() {
  HttpServer::Options o;
  o.threads = 4;
  o.read_timeout = 2s;
  o.write_timeout = 2s;
  return o;
}

// Waits until the server has accounted for a request (the count happens once the response is
// written, which can be just after the client has read it).
bool WaitForMetric(const HttpServer& s, const std::string& needle) {
  for (int i = 0; i < 200; ++i) {
    if (s.MetricsText().find(needle) != std::string::npos) return true;
    std::this_thread::sleep_for(5ms);
  }
  return false;
}

TEST(HttpServerTest, RoutesParamsCatchAllQueryAndHeaders) {
  HttpServer server(TestOptions());
  server.Handle("GET", "/tile/{level}/{rest...}", [](const ServerRequest& r) {
    return Text("level=" + r.path_params.at("level") + " rest=" + r.path_params.at("rest"));
  });
  server.Handle("GET", "/entries/{id}", [](const ServerRequest& r) {
    std::string qs;
    for (const auto& [k, v] : r.query) qs += k + "=" + v + ";";
    return Text("id=" + r.path_params.at("id") + " path=" + r.path + " q=" + qs +
                " ua=" + std::string(r.Header("USER-agent").value_or("?")) +
                " first=" + std::string(r.QueryParam("q").value_or("?")) + " none=" +
                std::string(r.QueryParam("zz").value_or("-")) + " remote=" + r.remote_addr +
                " pseudo=" + (r.Header("REMOTE_ADDR") || r.Header("local_port") ? "yes" : "no"));
  });
  server.Handle("GET", "/entries/latest", [](const ServerRequest&) { return Text("latest"); });
  ASSERT_TRUE(server.Start().ok());
  ASSERT_GT(server.port(), 0);
  auto client = NewCurlHttpClient();

  auto r = client->Get(Url(server, "/tile/0/x001/234.p/5"), PlainHttp());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->content_type, "text/plain");
  EXPECT_EQ(r->body, "level=0 rest=x001/234.p/5");

  r = client->Get(Url(server, "/entries/a%20b?q=1&q=x+y&r=%2F"), PlainHttp());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->body,
            "id=a b path=/entries/a%20b q=q=1;q=x y;r=/; ua=traceport/0.1 first=1 none=- "
            "remote=127.0.0.1 pseudo=no");

  r = client->Get(Url(server, "/entries/latest"), PlainHttp());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->body, "latest");
}

TEST(HttpServerTest, NotFoundIsProblemJson) {
  HttpServer server(TestOptions());
  server.Handle("GET", "/x", [](const ServerRequest&) { return Text("x"); });
  ASSERT_TRUE(server.Start().ok());
  auto r = NewCurlHttpClient()->Get(Url(server, "/nope"), PlainHttp());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(r->content_type, "application/problem+json");
  auto j = nlohmann::json::parse(r->body);
  EXPECT_EQ(j["type"], "about:blank");
  EXPECT_EQ(j["title"], "Not Found");
  EXPECT_EQ(j["status"], 404);
  EXPECT_TRUE(j["detail"].is_string());
}

TEST(HttpServerTest, ATrailingSlashIsRedirectedToTheRouteWithout) {
  HttpServer server(TestOptions());
  server.Handle("GET", "/portal", [](const ServerRequest&) { return Text("page"); });
  server.Handle("POST", "/form", [](const ServerRequest&) { return Text("posted"); });
  ASSERT_TRUE(server.Start().ok());
  std::string raw = RawExchange(
      server.port(), "GET /portal/?x=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(StatusOf(raw), 308) << raw;
  EXPECT_NE(raw.find("Location: /portal?x=1\r\n"), std::string::npos) << raw;
  // Only GET and HEAD, and only toward a route that exists.
  raw = RawExchange(server.port(),
                    "POST /form/ HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                    "Connection: close\r\n\r\n");
  EXPECT_EQ(StatusOf(raw), 404) << raw;
  raw = RawExchange(server.port(), "GET /nope/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(StatusOf(raw), 404) << raw;
}

TEST(HttpServerTest, MethodNotAllowedCarriesAllow) {
  HttpServer server(TestOptions());
  server.Handle("GET", "/things/{id}", [](const ServerRequest&) { return Text("get"); });
  server.Handle("POST", "/things/{id}", [](const ServerRequest&) { return Text("post"); });
  ASSERT_TRUE(server.Start().ok());
  std::string raw =
      RawExchange(server.port(), "PUT /things/1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(StatusOf(raw), 405) << raw;
  EXPECT_NE(raw.find("Allow: GET, HEAD, POST\r\n"), std::string::npos) << raw;
  EXPECT_NE(raw.find("Content-Type: application/problem+json"), std::string::npos) << raw;
  // An unknown but well-formed method is a 405 too, not cpp-httplib's own answer.
  raw = RawExchange(server.port(),
                    "TRACE /things/1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(StatusOf(raw), 405) << raw;
}

TEST(HttpServerTest, HeadAnswersFromGetWithoutBody) {
  HttpServer server(TestOptions());
  server.Handle("GET", "/x", [](const ServerRequest& r) { return Text("hello " + r.method); });
  ASSERT_TRUE(server.Start().ok());
  std::string raw =
      RawExchange(server.port(), "HEAD /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(StatusOf(raw), 200) << raw;
  EXPECT_NE(raw.find("Content-Length: 10\r\n"), std::string::npos) << raw;
  EXPECT_EQ(raw.substr(raw.find("\r\n\r\n") + 4), "") << raw;
}

TEST(HttpServerTest, RangeHeaderIsIgnored) {
  HttpServer server(TestOptions());
  server.Handle("GET", "/x", [](const ServerRequest&) { return Text("0123456789"); });
  ASSERT_TRUE(server.Start().ok());
  for (const char* range : {"bytes=2-4", "bytes=50-60"}) {
    std::string raw =
        RawExchange(server.port(), std::string("GET /x HTTP/1.1\r\nHost: x\r\nRange: ") + range +
                                       "\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(StatusOf(raw), 200) << raw;
    EXPECT_EQ(raw.substr(raw.find("\r\n\r\n") + 4), "0123456789") << raw;
  }
  std::string raw =
      RawExchange(server.port(),
                  "GET /nope HTTP/1.1\r\nHost: x\r\nRange: bytes=0-1\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(StatusOf(raw), 404) << raw;
  EXPECT_NE(raw.find("\"status\":404"), std::string::npos) << raw;
}

TEST(HttpServerTest, BodiesAndTheBodyLimit) {
  HttpServer::Options o = TestOptions();
  o.max_body_bytes = 16;
  HttpServer server(o);
  server.Handle("POST", "/echo", [](const ServerRequest& r) { return Text("got:" + r.body); });
  server.Handle("DELETE", "/echo",
                [](const ServerRequest& r) { return Text("deleted:" + r.body); });
  ASSERT_TRUE(server.Start().ok());
  int port = server.port();

  std::string raw = RawExchange(
      port,
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
  EXPECT_EQ(StatusOf(raw), 200) << raw;
  EXPECT_NE(raw.find("got:hello"), std::string::npos) << raw;

  raw = RawExchange(port,
                    "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                    "Connection: close\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
  EXPECT_NE(raw.find("got:abcde"), std::string::npos) << raw;

  // No Content-Length means no body (cpp-httplib alone would wait for the peer to close).
  auto start = std::chrono::steady_clock::now();
  raw = RawExchange(port, "DELETE /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_NE(raw.find("deleted:"), std::string::npos) << raw;
  raw = RawExchange(port, "POST /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_NE(raw.find("got:"), std::string::npos) << raw;
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);

  // Over the limit, declared or chunked: 413, and the connection is closed at once (no request
  // sent here asks for that) rather than left to keep-alive with a body unread.
  start = std::chrono::steady_clock::now();
  raw = RawExchange(
      port, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 17\r\n\r\n" + std::string(17, 'x'));
  EXPECT_EQ(StatusOf(raw), 413) << raw;
  EXPECT_NE(raw.find("application/problem+json"), std::string::npos) << raw;
  EXPECT_EQ(raw.find("<timeout>"), std::string::npos) << raw;
  raw = RawExchange(port,
                    "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    "a\r\n0123456789\r\na\r\n0123456789\r\n0\r\n\r\n");
  EXPECT_EQ(StatusOf(raw), 413) << raw;
  EXPECT_EQ(raw.find("<timeout>"), std::string::npos) << raw;
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);

  // Ambiguous framing is refused.
  raw = RawExchange(port,
                    "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
                    "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
  EXPECT_EQ(StatusOf(raw), 400) << raw;
}

TEST(HttpServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  HttpServer server(TestOptions());
  server.Handle("GET", "/n/{i}",
                [](const ServerRequest& r) { return Text(r.path_params.at("i")); });
  ASSERT_TRUE(server.Start().ok());
  RawConnection c(server.port());
  ASSERT_TRUE(c.Send("GET /n/1 HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::string first = c.ReadResponse();
  EXPECT_EQ(StatusOf(first), 200) << first;
  EXPECT_EQ(first.substr(first.size() - 1), "1") << first;
  // An error answer that left nothing unread keeps the connection too.
  ASSERT_TRUE(c.Send("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(StatusOf(c.ReadResponse()), 404);
  ASSERT_TRUE(c.Send("GET /n/2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  std::string last = c.ReadToEnd();
  EXPECT_EQ(StatusOf(last), 200) << last;
  EXPECT_EQ(last.substr(last.size() - 1), "2") << last;
}

// The plain-HTTP connection loop (PlainServer): the request limit per connection, pipelined
// requests, a response larger than the send buffer, an interim 100 Continue that must reach the
// client before it sends the body, and a stop that does not wait out an idle connection.
TEST(HttpServerTest, ConnectionLoopKeepsCppHttplibsRules) {
  HttpServer::Options o = TestOptions();
  o.keep_alive_max_requests = 3;
  o.keep_alive_timeout = 5s;
  HttpServer server(o);
  server.Handle("GET", "/n/{i}",
                [](const ServerRequest& r) { return Text(r.path_params.at("i")); });
  server.Handle("GET", "/big", [](const ServerRequest&) { return Text(std::string(300000, 'b')); });
  server.Handle("POST", "/echo", [](const ServerRequest& r) { return Text(r.body); });
  ASSERT_TRUE(server.Start().ok());

  {  // The third request is the connection's last.
    RawConnection c(server.port());
    for (int i = 1; i <= 2; ++i) {
      ASSERT_TRUE(c.Send("GET /n/" + std::to_string(i) + " HTTP/1.1\r\nHost: x\r\n\r\n"));
      EXPECT_EQ(StatusOf(c.ReadResponse()), 200);
    }
    ASSERT_TRUE(c.Send("GET /n/3 HTTP/1.1\r\nHost: x\r\n\r\n"));
    std::string last = c.ReadToEnd();
    EXPECT_EQ(StatusOf(last), 200) << last;
    EXPECT_EQ(last.find("<timeout>"), std::string::npos) << "the connection was not closed";
  }
  {  // Two requests in one write: both answered, in order.
    RawConnection c(server.port());
    ASSERT_TRUE(
        c.Send("GET /n/7 HTTP/1.1\r\nHost: x\r\n\r\n"
               "GET /n/8 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    std::string both = c.ReadToEnd();
    EXPECT_EQ(CountResponses(both), 2u) << both;
    EXPECT_LT(both.find("\r\n\r\n7"), both.find("\r\n\r\n8")) << both;
  }
  {  // 300 kB: flushed in parts, all of it arrives.
    std::string raw =
        RawExchange(server.port(), "GET /big HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(StatusOf(raw), 200);
    const size_t body = raw.find("\r\n\r\n");
    ASSERT_NE(body, std::string::npos);
    EXPECT_EQ(raw.size() - body - 4, 300000u);
  }
  {  // Expect: 100-continue — the body is sent only after the interim response arrives.
    RawConnection c(server.port());
    ASSERT_TRUE(
        c.Send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
               "Content-Length: 5\r\nExpect: 100-continue\r\n\r\n"));
    std::string interim = c.ReadResponse(1500ms);
    EXPECT_EQ(StatusOf(interim), 100) << interim;
    ASSERT_TRUE(c.Send("hello"));
    std::string answer = c.ReadResponse();
    EXPECT_EQ(StatusOf(answer), 200) << answer;
    EXPECT_EQ(answer.substr(answer.size() - 5), "hello") << answer;
  }
  // An idle kept-alive connection (keep_alive_timeout 5 s) does not hold Stop up.
  RawConnection idle(server.port());
  ASSERT_TRUE(idle.Send("GET /n/1 HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_EQ(StatusOf(idle.ReadResponse()), 200);
  const auto start = std::chrono::steady_clock::now();
  server.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

// Ordinary requests (served by the connection loop's own path, libhttp-parser underneath) and
// their answers: status lines, framing, keep-alive, query and header fields as handlers see them,
// bodies that arrive in pieces, pipelined requests with bodies.
TEST(HttpServerTest, OrdinaryRequestsAndTheirAnswers) {
  HttpServer server(TestOptions());
  server.Handle("POST", "/items/{id}", [](const ServerRequest& r) {
    ServerResponse out = Text(r.path_params.at("id") + ":" + r.body + ":" +
                              std::string(r.QueryParam("q").value_or("-")) + ":" +
                              std::string(r.Header("x-trace").value_or("-")));
    out.status = 201;
    out.headers.emplace_back("Location", "/items/" + r.path_params.at("id"));
    return out;
  });
  server.Handle("GET", "/empty", [](const ServerRequest&) {
    ServerResponse r;
    r.status = 204;
    return r;
  });
  ASSERT_TRUE(server.Start().ok());

  RawConnection c(server.port());
  // The body arrives in three writes, the head split too.
  ASSERT_TRUE(c.Send("POST /items/a%20b?q=x+y%21 HTTP/1.1\r\nHost: x\r\nX-Trace:  t1 \r\nCont"));
  std::this_thread::sleep_for(10ms);
  ASSERT_TRUE(c.Send("ent-Length: 6\r\n\r\nhel"));
  std::this_thread::sleep_for(10ms);
  ASSERT_TRUE(c.Send("lo!"));
  std::string r = c.ReadResponse();
  EXPECT_EQ(r.substr(0, r.find("\r\n")), "HTTP/1.1 201 Created") << r;
  EXPECT_NE(r.find("Location: /items/a b\r\n"), std::string::npos) << r;
  EXPECT_NE(r.find("Keep-Alive: timeout=2, max=1000\r\n"), std::string::npos) << r;
  EXPECT_NE(r.find("Content-Type: text/plain\r\n"), std::string::npos) << r;
  EXPECT_EQ(r.substr(r.find("\r\n\r\n") + 4), "a b:hello!:x y!:t1") << r;

  // Two requests with bodies in one write, then one without.
  ASSERT_TRUE(
      c.Send("POST /items/1 HTTP/1.1\r\nContent-Length: 2\r\n\r\nabPOST /items/2 HTTP/1.1\r\n"
             "Content-Length: 0\r\n\r\nGET /empty HTTP/1.1\r\n\r\n"));
  r = c.ReadResponse();
  EXPECT_EQ(r.substr(r.find("\r\n\r\n") + 4), "1:ab:-:-") << r;
  r = c.ReadResponse();
  EXPECT_EQ(r.substr(r.find("\r\n\r\n") + 4), "2::-:-") << r;
  r = c.ReadResponse();
  EXPECT_EQ(r.substr(0, r.find("\r\n")), "HTTP/1.1 204 No Content") << r;
  EXPECT_NE(r.find("Content-Length: 0\r\n"), std::string::npos) << r;

  // HTTP/1.0 without keep-alive: answered, then closed.
  std::string raw = RawExchange(server.port(), "GET /empty HTTP/1.0\r\n\r\n");
  EXPECT_EQ(StatusOf(raw), 204) << raw;
  EXPECT_NE(raw.find("Connection: close\r\n"), std::string::npos) << raw;
  EXPECT_EQ(raw.find("<timeout>"), std::string::npos) << raw;

  // A body cut short by the client's leaving gets nothing dispatched.
  {
    RawConnection gone(server.port());
    ASSERT_TRUE(gone.Send("POST /items/3 HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc"));
  }
  EXPECT_TRUE(WaitForMetric(server, "route=\"/items/{id}\",method=\"POST\",status=\"201\"} 3"));
}

TEST(HttpServerTest, UnreadBodiesEndTheConnection) {
  HttpServer server(TestOptions());
  server.Handle("GET", "/x", [](const ServerRequest&) { return Text("x"); });
  server.Handle("POST", "/x", [](const ServerRequest&) { return Text("posted"); });
  ASSERT_TRUE(server.Start().ok());
  std::string smuggled = "GET /x HTTP/1.1\r\nHost: x\r\n\r\n";
  auto start = std::chrono::steady_clock::now();
  for (std::string method : {"GET", "HEAD", "OPTIONS"}) {
    // A body on a method that has none is refused, and the connection ends after the answer
    // (sent in two writes, so the body is not merely swallowed with the head).
    RawConnection c(server.port());
    ASSERT_TRUE(c.Send(method + " /x HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                       std::to_string(smuggled.size()) + "\r\n\r\n"));
    std::this_thread::sleep_for(20ms);
    ASSERT_TRUE(c.Send(smuggled));
    std::string raw = c.ReadToEnd();
    EXPECT_EQ(StatusOf(raw), 400) << method << raw;
    EXPECT_EQ(CountResponses(raw), 1u) << method << raw;
    EXPECT_EQ(raw.find("<timeout>"), std::string::npos) << method << raw;
  }
  for (std::string path : {"/nope", "/x/y"}) {
    RawConnection c(server.port());
    ASSERT_TRUE(c.Send("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                       std::to_string(smuggled.size()) + "\r\n\r\n"));
    std::this_thread::sleep_for(20ms);
    ASSERT_TRUE(c.Send(smuggled));
    std::string raw = c.ReadToEnd();
    EXPECT_EQ(StatusOf(raw), 404) << raw;
    EXPECT_EQ(CountResponses(raw), 1u) << raw;
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1500ms);  // no keep-alive waits
}

TEST(HttpServerTest, MalformedRequestsGetProblemJsonAndClose) {
  HttpServer server(TestOptions());
  server.Handle("GET", "/{rest...}", [](const ServerRequest&) { return Text("x"); });
  ASSERT_TRUE(server.Start().ok());
  std::string raw = RawExchange(server.port(), "GARBAGE\r\n\r\n");
  EXPECT_EQ(StatusOf(raw), 400) << raw;
  EXPECT_NE(raw.find("application/problem+json"), std::string::npos) << raw;
  EXPECT_EQ(raw.find("<timeout>"), std::string::npos) << raw;

  for (const char* path : {"/a/../b", "/a/%2e%2e/b", "/%zz"}) {
    raw = RawExchange(server.port(), std::string("GET ") + path +
                                         " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(StatusOf(raw), 400) << path << raw;
  }
}

TEST(HttpServerTest, ThrowingOrBrokenHandlerIs500AndServerKeepsServing) {
  HttpServer server(TestOptions());
  server.Handle("GET", "/throw", [](const ServerRequest&) -> ServerResponse {
    throw std::runtime_error("boom /secret/path");
  });
  server.Handle("GET", "/throw-int", [](const ServerRequest&) -> ServerResponse { throw 42; });
  server.Handle("GET", "/bad-header", [](const ServerRequest&) {
    ServerResponse r = Text("x");
    r.headers.emplace_back("X-Injected", "a\r\nSet-Cookie: evil=1");
    return r;
  });
  server.Handle("GET", "/bad-status", [](const ServerRequest&) {
    ServerResponse r;
    r.status = 99;
    return r;
  });
  server.Handle("GET", "/ok", [](const ServerRequest&) { return Text("ok"); });
  ASSERT_TRUE(server.Start().ok());
  auto client = NewCurlHttpClient();
  for (const char* path : {"/throw", "/throw-int", "/bad-header", "/bad-status"}) {
    auto r = client->Get(Url(server, path), PlainHttp());
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->status, 500) << path;
    EXPECT_EQ(r->content_type, "application/problem+json") << path;
    EXPECT_EQ(r->body.find("secret"), std::string::npos) << r->body;
    EXPECT_EQ(r->body.find("evil"), std::string::npos) << r->body;
  }
  auto r = client->Get(Url(server, "/ok"), PlainHttp());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->body, "ok");
}

TEST(HttpServerTest, ProblemAndErrorResponses) {
  ServerResponse p = ProblemResponse(422, "Bad entry", "field x: expected a number");
  EXPECT_EQ(p.status, 422);
  EXPECT_EQ(p.content_type, "application/problem+json");
  EXPECT_EQ(p.body, R"({"type":"about:blank","title":"Bad entry","status":422,)"
                    R"("detail":"field x: expected a number"})");
  EXPECT_EQ(ProblemResponse(404, "", "").body,
            R"({"type":"about:blank","title":"Not Found","status":404})");
  // Invalid UTF-8 in a message is replaced, not thrown on.
  EXPECT_NE(ProblemResponse(400, "", std::string("bad \xff byte")).body.find("bad "),
            std::string::npos);

  ServerResponse e = ErrorResponse(NotFoundError("entry 7 does not exist"));
  auto j = nlohmann::json::parse(e.body);
  EXPECT_EQ(e.status, 404);
  EXPECT_EQ(j["title"], "Not Found");
  EXPECT_EQ(j["detail"], "entry 7 does not exist");
  EXPECT_EQ(j["code"], "NOT_FOUND");

  e = ErrorResponse(InternalError("sqlite: /var/lib/traceport/db: disk I/O error"));
  j = nlohmann::json::parse(e.body);
  EXPECT_EQ(e.status, 500);
  EXPECT_EQ(j["detail"], "internal error");
  EXPECT_EQ(j["code"], "INTERNAL");
  EXPECT_EQ(ErrorResponse(Status::Ok()).status, 500);
}

TEST(HttpServerTest, HttpStatusForMapping) {
  struct Case {
    Status status;
    int http;
  } cases[] = {
      {Status::Ok(), 200},
      {InvalidArgumentError("x"), 400},
      {OutOfRangeError("x"), 400},
      {UnauthenticatedError("x"), 401},
      {PermissionDeniedError("x"), 403},
      {NotFoundError("x"), 404},
      {AlreadyExistsError("x"), 409},
      {AbortedError("x"), 409},
      {FailedPreconditionError("x"), 409},
      {ResourceExhaustedError("x"), 413},
      {UnimplementedError("x"), 501},
      {UnavailableError("x"), 503},
      {CancelledError("x"), 503},
      {DeadlineExceededError("x"), 504},
      {InternalError("x"), 500},
      {DataLossError("x"), 500},
      {UnknownError("x"), 500},
  };
  for (const Case& c : cases) EXPECT_EQ(HttpStatusFor(c.status), c.http) << c.status;
}

TEST(HttpServerTest, ConcurrentRequestsFromSeveralThreads) {
  HttpServer::Options o = TestOptions();
  o.max_threads = 4;  // no growth: the bound below is the pool's
  HttpServer server(o);
  std::atomic<int> in_handler{0};
  std::atomic<int> max_in_handler{0};
  server.Handle("GET", "/work/{n}", [&](const ServerRequest& r) {
    int now = ++in_handler;
    int seen = max_in_handler.load();
    while (now > seen && !max_in_handler.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(2ms);
    --in_handler;
    return Text("n=" + r.path_params.at("n"));
  });
  ASSERT_TRUE(server.Start().ok());
  constexpr int kThreads = 6, kPerThread = 15;
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto client = NewCurlHttpClient();
      for (int i = 0; i < kPerThread; ++i) {
        std::string n = std::to_string(t * 100 + i);
        auto r = client->Get(Url(server, "/work/" + n), PlainHttp());
        if (r.ok() && r->status == 200 && r->body == "n=" + n) ++good;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(good.load(), kThreads * kPerThread);
  EXPECT_GT(max_in_handler.load(), 1);  // really served in parallel
  EXPECT_LE(max_in_handler.load(), 4);  // by at most `threads` workers
}

TEST(HttpServerTest, SlowClientsHoldingEveryWorkerDoNotStarveOthers) {
  HttpServer::Options o = TestOptions();
  o.threads = 1;
  o.max_threads = 8;
  o.read_timeout = 5s;
  HttpServer server(o);
  server.Handle("GET", "/ping", [](const ServerRequest&) { return Text("pong"); });
  ASSERT_TRUE(server.Start().ok());
  // Two clients that send half a request and keep the connection open (each holds a worker
  // until the read timeout).
  RawConnection slow1(server.port()), slow2(server.port());
  ASSERT_TRUE(slow1.Send("GET /ping HTTP/1.1\r\nHost: x\r\n"));
  ASSERT_TRUE(slow2.Send("GET /ping HTTP/1.1\r\nHost: x\r\n"));
  std::this_thread::sleep_for(100ms);
  const auto start = std::chrono::steady_clock::now();
  RawConnection fast(server.port());
  ASSERT_TRUE(fast.Send("GET /ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  const std::string r = fast.ReadResponse(3s);
  EXPECT_NE(r.find("200 OK"), std::string::npos) << r;
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  server.Stop();
}

TEST(HttpServerTest, StopLetsAnInFlightRequestFinish) {
  HttpServer server(TestOptions());
  std::atomic<bool> entered{false};
  server.Handle("GET", "/slow", [&](const ServerRequest&) {
    entered = true;
    std::this_thread::sleep_for(300ms);
    return Text("finished");
  });
  ASSERT_TRUE(server.Start().ok());
  std::string url = Url(server, "/slow");
  Result<HttpResponse> result = UnknownError("not run");
  std::thread client([&] { result = NewCurlHttpClient()->Get(url, PlainHttp()); });
  while (!entered) std::this_thread::sleep_for(1ms);
  auto start = std::chrono::steady_clock::now();
  server.Stop();
  auto took = std::chrono::steady_clock::now() - start;
  client.join();
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->body, "finished");
  EXPECT_LT(took, 1500ms);
  // Nothing listens any more.
  auto after = NewCurlHttpClient()->Get(url, PlainHttp());
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.status().code(), StatusCode::kUnavailable);
  server.Stop();  // idempotent
}

TEST(HttpServerTest, StopRightAfterStartAndLifecycleErrors) {
  HttpServer never_started;
  never_started.Stop();
  EXPECT_EQ(never_started.Start().code(), StatusCode::kFailedPrecondition);

  HttpServer server(TestOptions());
  ASSERT_TRUE(server.Start().ok());
  EXPECT_EQ(server.Start().code(), StatusCode::kFailedPrecondition);
  server.Stop();
}

TEST(HttpServerTest, RefusesPlainHttpOffLoopback) {
  HttpServer::Options o = TestOptions();
  o.listen = "0.0.0.0:0";
  HttpServer refused(o);
  Status s = refused.Start();
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition) << s;
  EXPECT_NE(s.message().find("plain HTTP"), std::string_view::npos) << s;
  EXPECT_EQ(refused.port(), 0);

  o.listen = "[::]:0";
  EXPECT_EQ(HttpServer(o).Start().code(), StatusCode::kFailedPrecondition);

  o.listen = "0.0.0.0:0";
  o.allow_plain_http_off_loopback = true;
  HttpServer allowed(o);
  ASSERT_TRUE(allowed.Start().ok());
  allowed.Stop();

  for (const char* loopback : {"localhost:0", "127.0.0.2:0", "[::1]:0"}) {
    HttpServer::Options l = TestOptions();
    l.listen = loopback;
    HttpServer server(l);
    Status started = server.Start();
    // ::1 may be unavailable in a container without IPv6; the policy check passed either way.
    if (started.code() != StatusCode::kUnavailable) {
      EXPECT_TRUE(started.ok()) << loopback << started;
    }
  }
}

TEST(HttpServerTest, RejectsBadOptionsAndRoutes) {
  for (const char* listen : {"", "127.0.0.1", "127.0.0.1:", "127.0.0.1:99999", "::1:80",
                             "example.com:80", "[::1]80", "127.0.0.1:x"}) {
    HttpServer::Options o = TestOptions();
    o.listen = listen;
    EXPECT_EQ(HttpServer(o).Start().code(), StatusCode::kInvalidArgument) << listen;
  }
  HttpServer::Options o = TestOptions();
  o.threads = 0;
  EXPECT_EQ(HttpServer(o).Start().code(), StatusCode::kInvalidArgument);
  o = TestOptions();
  o.tls_cert_file = "/nonexistent/cert.pem";
  EXPECT_EQ(HttpServer(o).Start().code(), StatusCode::kInvalidArgument);  // key missing
  o.tls_key_file = "/nonexistent/key.pem";
  EXPECT_EQ(HttpServer(o).Start().code(), StatusCode::kInvalidArgument);  // unreadable

  auto ok = [](const ServerRequest&) { return Text("x"); };
  for (auto [method, pattern] : std::vector<std::pair<std::string, std::string>>{
           {"GET", "no-slash"}, {"GET", "/{a}/{a}"}, {"BREW", "/coffee"}, {"GET", "/{x...}/y"}}) {
    HttpServer server(TestOptions());
    server.Handle(method, pattern, ok);
    EXPECT_EQ(server.Start().code(), StatusCode::kInvalidArgument) << method << " " << pattern;
  }
  HttpServer dup(TestOptions());
  dup.Handle("GET", "/a/{x}", ok);
  dup.Handle("GET", "/a/{y}", ok);
  EXPECT_EQ(dup.Start().code(), StatusCode::kInvalidArgument);
}

TEST(HttpServerTest, SecondServerOnTheSamePortFails) {
  HttpServer first(TestOptions());
  ASSERT_TRUE(first.Start().ok());
  HttpServer::Options o = TestOptions();
  o.listen = "127.0.0.1:" + std::to_string(first.port());
  HttpServer second(o);
  Status s = second.Start();
  EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s;
}

TEST(HttpServerTest, MetricsCountByRoutePattern) {
  HttpServer server(TestOptions());
  server.Handle("GET", "/entries/{id}", [](const ServerRequest&) { return Text("e"); });
  ASSERT_TRUE(server.Start().ok());
  auto client = NewCurlHttpClient();
  ASSERT_TRUE(client->Get(Url(server, "/entries/1"), PlainHttp()).ok());
  ASSERT_TRUE(client->Get(Url(server, "/entries/2"), PlainHttp()).ok());
  ASSERT_TRUE(client->Get(Url(server, "/missing"), PlainHttp()).ok());
  RawExchange(server.port(), "POST /entries/3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

  EXPECT_TRUE(WaitForMetric(
      server,
      "traceport_http_requests_total{route=\"/entries/{id}\",method=\"GET\",status=\"200\"} 2\n"))
      << server.MetricsText();
  EXPECT_TRUE(WaitForMetric(
      server,
      "traceport_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1\n"))
      << server.MetricsText();
  EXPECT_TRUE(WaitForMetric(
      server,
      "traceport_http_requests_total{route=\"/entries/{id}\",method=\"POST\",status=\"405\"} 1\n"))
      << server.MetricsText();
  std::string text = server.MetricsText();
  EXPECT_NE(text.find("# TYPE traceport_http_requests_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE traceport_http_request_duration_seconds histogram\n"),
            std::string::npos);
  EXPECT_NE(text.find("traceport_http_request_duration_seconds_bucket{route=\"/entries/{id}\","
                      "le=\"+Inf\"} 3\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("traceport_http_request_duration_seconds_count{route=\"/entries/{id}\"} 3\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("traceport_http_request_duration_seconds_sum{route=\"/entries/{id}\"} 0."),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("/entries/1"), std::string::npos) << "raw paths must not become labels";
}

// HTTPS through a throwaway self-signed certificate made with the openssl command line tool.
TEST(HttpServerTest, ServesTlsWhenConfigured) {
  if (std::system("openssl version >/dev/null 2>&1") != 0) GTEST_SKIP() << "no openssl CLI";
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("traceport_http_tls_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string cert = (dir / "cert.pem").string(), key = (dir / "key.pem").string();
  std::string cmd =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 "
      "-subj /CN=localhost -keyout '" +
      key + "' -out '" + cert + "' >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0);

  HttpServer::Options o = TestOptions();
  o.tls_cert_file = cert;
  o.tls_key_file = key;
  HttpServer server(o);
  server.Handle("GET", "/x", [](const ServerRequest&) { return Text("secure"); });
  ASSERT_TRUE(server.Start().ok());
  auto client = NewCurlHttpClient();
  // Our client rightly rejects the self-signed certificate, which shows TLS is being spoken.
  auto r = client->Get("https://127.0.0.1:" + std::to_string(server.port()) + "/x", FetchOptions{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(r.status().message().find("certificate"), std::string_view::npos) << r.status();
  // Plain HTTP gets no response from the TLS port.
  auto plain = client->Get(Url(server, "/x"), PlainHttp());
  EXPECT_TRUE(!plain.ok() || plain->status != 200);
  server.Stop();

  // TLS makes a non-loopback address acceptable.
  o.listen = "0.0.0.0:0";
  HttpServer wide(o);
  EXPECT_TRUE(wide.Start().ok());
  wide.Stop();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace traceport::net
