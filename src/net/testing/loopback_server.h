// A minimal HTTP/1.1 server on 127.0.0.1 for tests of HTTP clients: each connection reads one
// request and answers with whatever the handler returns (raw bytes, so tests can send
// oversized, slow or malformed responses). Not for production use.
#ifndef TRACEPORT_NET_TESTING_LOOPBACK_SERVER_H_
#define TRACEPORT_NET_TESTING_LOOPBACK_SERVER_H_

#include <atomic>
#include <functional>
#include <string>
#include <thread>

namespace traceport::net::testing {

class LoopbackServer {
 public:
  // Receives the request target (e.g. "/a/b?x") and the raw request head; returns the full
  // raw response. May sleep to simulate a slow peer.
  using Handler = std::function<std::string(const std::string& target, const std::string& head)>;

  explicit LoopbackServer(Handler handler);
  ~LoopbackServer();
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  int port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int requests() const { return requests_.load(); }

  // Builds a simple response with Content-Length.
  static std::string Response(int status, const std::string& content_type, const std::string& body,
                              const std::string& extra_headers = "");

 private:
  void Serve();

  Handler handler_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
  std::thread thread_;
};

}  // namespace traceport::net::testing

#endif  // TRACEPORT_NET_TESTING_LOOPBACK_SERVER_H_
