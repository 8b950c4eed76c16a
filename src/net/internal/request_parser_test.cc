#include "net/internal/request_parser.h"

#include <gtest/gtest.h>

#include <string>

namespace traceport::net::internal {
namespace {

constexpr std::string_view kPost =
    "POST /credentials/verify?x=1 HTTP/1.1\r\n"
    "Host: node\r\n"
    "Content-Type:   application/json  \r\n"
    "Content-Length: 11\r\n"
    "\r\n"
    "{\"a\":\"bc\"}\n";

TEST(RequestParserTest, ParsesHeadAndBodyAndStopsAtTheRequestsEnd) {
  RequestParser p;
  const std::string two = std::string(kPost) + "GET / HTTP/1.1\r\n\r\n";
  const size_t used = p.Feed(two);
  EXPECT_EQ(used, kPost.size());
  ASSERT_FALSE(p.failed()) << p.error();
  ASSERT_TRUE(p.complete());
  const RequestHead& h = p.head();
  EXPECT_EQ(h.method, "POST");
  EXPECT_EQ(h.target, "/credentials/verify?x=1");
  EXPECT_EQ(h.version_major, 1);
  EXPECT_EQ(h.version_minor, 1);
  ASSERT_EQ(h.headers.size(), 3u);
  EXPECT_EQ(h.Header("content-type"), "application/json");
  EXPECT_EQ(h.content_length, 11u);
  EXPECT_TRUE(h.keep_alive);
  EXPECT_FALSE(h.chunked);
  EXPECT_FALSE(h.upgrade);
  EXPECT_EQ(p.body(), "{\"a\":\"bc\"}\n");
  // Nothing more once complete; after Reset the next request parses.
  EXPECT_EQ(p.Feed(std::string_view(two).substr(used)), 0u);
  p.Reset();
  EXPECT_EQ(p.Feed(std::string_view(two).substr(used)), two.size() - used);
  EXPECT_TRUE(p.complete());
  EXPECT_EQ(p.head().method, "GET");
  EXPECT_FALSE(p.head().content_length.has_value());
}

TEST(RequestParserTest, ByteAtATimeGivesTheSameRequest) {
  RequestParser p;
  for (char c : kPost) {
    ASSERT_FALSE(p.complete());
    ASSERT_EQ(p.Feed(std::string_view(&c, 1)), 1u) << p.error();
  }
  ASSERT_TRUE(p.complete());
  EXPECT_EQ(p.head().Header("Content-Type"), "application/json");
  EXPECT_EQ(p.head().Header("host"), "node");
  EXPECT_EQ(p.body(), "{\"a\":\"bc\"}\n");
}

TEST(RequestParserTest, HeadCompleteBeforeTheBodyArrives) {
  RequestParser p;
  const size_t head = kPost.find("\r\n\r\n") + 4;
  EXPECT_EQ(p.Feed(kPost.substr(0, head)), head);
  EXPECT_TRUE(p.head_complete());
  EXPECT_FALSE(p.complete());
  EXPECT_EQ(p.Feed(kPost.substr(head)), kPost.size() - head);
  EXPECT_TRUE(p.complete());
}

TEST(RequestParserTest, ConnectionSemantics) {
  RequestParser p;
  p.Feed("GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
  EXPECT_FALSE(p.head().keep_alive);
  p.Reset();
  p.Feed("GET / HTTP/1.0\r\n\r\n");
  EXPECT_FALSE(p.head().keep_alive);
  p.Reset();
  p.Feed("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  EXPECT_TRUE(p.head().keep_alive);
  p.Reset();
  p.Feed("GET /ws HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
  EXPECT_TRUE(p.head().upgrade);
  p.Reset();
  p.Feed("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
  EXPECT_TRUE(p.head().chunked);
  EXPECT_TRUE(p.complete());
  EXPECT_EQ(p.body(), "abc");
}

TEST(RequestParserTest, MalformedRequestsFailWithTheReason) {
  for (std::string_view bad :
       {std::string_view("GARBAGE\r\n\r\n"), std::string_view("GET / HTTP/1.1\r\nNo colon\r\n\r\n"),
        std::string_view("GET / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n"),
        std::string_view("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n"),
        std::string_view("GET / HTTP/1.1\r\nBad\x01Name: v\r\n\r\n")}) {
    RequestParser p;
    p.Feed(bad);
    EXPECT_TRUE(p.failed()) << bad;
    EXPECT_NE(p.error().find("malformed HTTP request"), std::string::npos) << p.error();
    EXPECT_FALSE(p.complete());
  }
}

TEST(RequestParserTest, Limits) {
  RequestParser::Limits limits;
  limits.max_head_bytes = 64;
  limits.max_body_bytes = 4;
  {
    RequestParser p(limits);
    p.Feed("GET / HTTP/1.1\r\nX-Long: " + std::string(100, 'a') + "\r\n\r\n");
    EXPECT_TRUE(p.failed());
    EXPECT_NE(p.error().find("exceed 64 bytes"), std::string::npos) << p.error();
  }
  {  // Fed in small pieces, the same limit.
    RequestParser p(limits);
    const std::string req = "GET / HTTP/1.1\r\nX-Long: " + std::string(100, 'a') + "\r\n\r\n";
    for (size_t i = 0; i < req.size() && !p.failed(); i += 7) p.Feed(req.substr(i, 7));
    EXPECT_TRUE(p.failed());
  }
  {  // A head of exactly the limit is fine.
    RequestParser p(limits);
    std::string req = "GET / HTTP/1.1\r\nX: ";
    req += std::string(64 - req.size() - 4, 'a') + "\r\n\r\n";
    ASSERT_EQ(req.size(), 64u);
    EXPECT_EQ(p.Feed(req), 64u) << p.error();
    EXPECT_TRUE(p.complete());
  }
  {
    RequestParser p(limits);
    p.Feed("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello");
    EXPECT_TRUE(p.failed());
    EXPECT_NE(p.error().find("body exceeds 4 bytes"), std::string::npos) << p.error();
  }
  {
    RequestParser p(limits);
    p.Feed(
        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n");
    EXPECT_TRUE(p.failed());
    EXPECT_NE(p.error().find("body exceeds 4 bytes"), std::string::npos) << p.error();
  }
}

}  // namespace
}  // namespace traceport::net::internal
