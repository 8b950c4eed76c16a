#include "net/http_client.h"

#include <gtest/gtest.h>

#include <thread>

#include "net/testing/loopback_server.h"

namespace traceport::net {
namespace {

using testing::LoopbackServer;

FetchOptions PlainHttp() {
  FetchOptions o;
  o.https_only = false;  // loopback tests only
  o.timeout = std::chrono::milliseconds(3000);
  return o;
}

TEST(HttpClientTest, FetchesBodyStatusAndContentType) {
  LoopbackServer server([](const std::string& target, const std::string& head) {
    EXPECT_NE(head.find("Accept: application/did+json"), std::string::npos);
    return LoopbackServer::Response(200, "application/did+json", "{\"path\":\"" + target + "\"}");
  });
  auto client = NewCurlHttpClient();
  FetchOptions o = PlainHttp();
  o.accept = "application/did+json";
  auto r = client->Get(server.base_url() + "/.well-known/did.json", o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->content_type, "application/did+json");
  EXPECT_EQ(r->body, "{\"path\":\"/.well-known/did.json\"}");
}

TEST(HttpClientTest, RefusesNonHttpsByDefault) {
  auto client = NewCurlHttpClient();
  for (const char* url : {"http://127.0.0.1:1/x", "file:///etc/passwd", "ftp://example.com/",
                          "gopher://x", "https:/missing-slash", ""}) {
    auto r = client->Get(url, FetchOptions{});
    ASSERT_FALSE(r.ok()) << url;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << url;
    EXPECT_NE(r.status().message().find("only https://"), std::string_view::npos);
  }
}

TEST(HttpClientTest, EnforcesSizeLimitWithAndWithoutContentLength) {
  std::string big(100000, 'x');
  LoopbackServer server([&](const std::string& target, const std::string&) {
    if (target == "/chunked") {
      return std::string("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n") + big;
    }
    return LoopbackServer::Response(200, "text/plain", big);
  });
  auto client = NewCurlHttpClient();
  FetchOptions o = PlainHttp();
  o.max_bytes = 1000;
  for (const char* path : {"/sized", "/chunked"}) {
    auto r = client->Get(server.base_url() + path, o);
    ASSERT_FALSE(r.ok()) << path;
    EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted) << r.status().ToString();
  }
  o.max_bytes = big.size();
  EXPECT_TRUE(client->Get(server.base_url() + "/sized", o).ok());
}

TEST(HttpClientTest, EnforcesTimeout) {
  LoopbackServer server([](const std::string&, const std::string&) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    return LoopbackServer::Response(200, "text/plain", "late");
  });
  auto client = NewCurlHttpClient();
  FetchOptions o = PlainHttp();
  o.timeout = std::chrono::milliseconds(300);
  auto r = client->Get(server.base_url() + "/slow", o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kDeadlineExceeded);
}

TEST(HttpClientTest, DoesNotFollowRedirectsByDefault) {
  LoopbackServer server([](const std::string& target, const std::string&) {
    if (target == "/moved") {
      return LoopbackServer::Response(302, "text/plain", "", "Location: /there\r\n");
    }
    return LoopbackServer::Response(200, "text/plain", "there");
  });
  auto client = NewCurlHttpClient();
  auto r = client->Get(server.base_url() + "/moved", PlainHttp());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 302);
  FetchOptions follow = PlainHttp();
  follow.max_redirects = 2;
  r = client->Get(server.base_url() + "/moved", follow);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body, "there");
}

TEST(HttpClientTest, ConnectionRefusedIsUnavailable) {
  int port;
  {
    LoopbackServer server([](const std::string&, const std::string&) { return std::string(); });
    port = server.port();
  }
  auto client = NewCurlHttpClient();
  auto r = client->Get("http://127.0.0.1:" + std::to_string(port) + "/", PlainHttp());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace traceport::net
