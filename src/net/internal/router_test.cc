#include "net/internal/router.h"

#include <gtest/gtest.h>

namespace traceport::net::internal {
namespace {

using Outcome = Router::Outcome;

TEST(RouterTest, LiteralParamAndCatchAll) {
  Router r;
  ASSERT_TRUE(r.Add("GET", "/", 0).ok());
  ASSERT_TRUE(r.Add("GET", "/checkpoint", 1).ok());
  ASSERT_TRUE(r.Add("GET", "/entries/{id}", 2).ok());
  ASSERT_TRUE(r.Add("GET", "/tile/{rest...}", 3).ok());

  auto m = r.Find("GET", "/");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->outcome, Outcome::kFound);
  EXPECT_EQ(m->id, 0u);

  m = r.Find("GET", "/entries/a%20b");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->id, 2u);
  EXPECT_EQ(m->pattern, "/entries/{id}");
  EXPECT_EQ(m->params.at("id"), "a b");

  m = r.Find("GET", "/tile/0/x001/234.p/5");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->id, 3u);
  EXPECT_EQ(m->params.at("rest"), "0/x001/234.p/5");

  for (const char* miss : {"/entries", "/entries/", "/entries/1/2", "/tile", "/tile/",
                           "/checkpoint/", "/Checkpoint", "//checkpoint"}) {
    m = r.Find("GET", miss);
    ASSERT_TRUE(m.ok()) << miss;
    EXPECT_EQ(m->outcome, Outcome::kNotFound) << miss;
    EXPECT_EQ(m->pattern, "") << miss;
  }
}

TEST(RouterTest, MostSpecificPatternWins) {
  Router r;
  ASSERT_TRUE(r.Add("GET", "/a/{rest...}", 0).ok());
  ASSERT_TRUE(r.Add("GET", "/a/{x}", 1).ok());
  ASSERT_TRUE(r.Add("GET", "/a/b", 2).ok());
  ASSERT_TRUE(r.Add("GET", "/a/{x}/c", 3).ok());
  ASSERT_TRUE(r.Add("GET", "/a/{x}/{rest...}", 4).ok());
  struct Case {
    const char* path;
    size_t id;
  } cases[] = {{"/a/b", 2}, {"/a/z", 1}, {"/a/z/c", 3}, {"/a/z/d", 4}, {"/a/z/c/d", 4}};
  for (const Case& c : cases) {
    auto m = r.Find("GET", c.path);
    ASSERT_TRUE(m.ok()) << c.path;
    EXPECT_EQ(m->outcome, Outcome::kFound) << c.path;
    EXPECT_EQ(m->id, c.id) << c.path;
  }
}

TEST(RouterTest, MethodNotAllowedAndHead) {
  Router r;
  ASSERT_TRUE(r.Add("GET", "/x/{id}", 0).ok());
  ASSERT_TRUE(r.Add("POST", "/x/{id}", 1).ok());
  ASSERT_TRUE(r.Add("PUT", "/x/special", 2).ok());

  auto m = r.Find("DELETE", "/x/1");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->outcome, Outcome::kMethodNotAllowed);
  EXPECT_EQ(m->allow, "GET, HEAD, POST");
  EXPECT_EQ(m->pattern, "/x/{id}");

  // A less specific pattern that accepts the method beats a more specific one that does not.
  m = r.Find("POST", "/x/special");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->outcome, Outcome::kFound);
  EXPECT_EQ(m->id, 1u);

  m = r.Find("HEAD", "/x/1");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->outcome, Outcome::kFound);
  EXPECT_EQ(m->id, 0u);
}

TEST(RouterTest, RejectsBadPatterns) {
  Router r;
  for (const char* bad : {"", "x", "/a//b", "/a/", "/{}", "/{a", "/{a-b}", "/{rest...}/x",
                          "/{a}/{a}", "/a{b}", "/%41", "/..", "/{...}"}) {
    EXPECT_EQ(r.Add("GET", bad, 0).code(), StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_EQ(r.Add("get", "/a", 0).code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(r.Add("GET", "/a/{x}", 0).ok());
  EXPECT_EQ(r.Add("GET", "/a/{y}", 1).code(), StatusCode::kAlreadyExists);
  EXPECT_TRUE(r.Add("POST", "/a/{y}", 1).ok());
}

TEST(RouterTest, RejectsBadPaths) {
  Router r;
  ASSERT_TRUE(r.Add("GET", "/{rest...}", 0).ok());
  for (const char* bad :
       {"", "x", "*", "http://h/x", "/a/%zz", "/a/%4", "/a/..", "/a/%2e%2E/b", "/./a", "/a%00b"}) {
    auto m = r.Find("GET", bad);
    EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument) << bad;
  }
  auto m = r.Find("GET", "/a%2Fb/c");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->params.at("rest"), "a/b/c");
}

TEST(RouterTest, PercentDecode) {
  std::string out;
  EXPECT_TRUE(PercentDecode("a%20b%2fc+d", &out));
  EXPECT_EQ(out, "a b/c+d");
  EXPECT_FALSE(PercentDecode("%", &out));
  EXPECT_FALSE(PercentDecode("%a", &out));
  EXPECT_FALSE(PercentDecode("%ag", &out));
}

}  // namespace
}  // namespace traceport::net::internal
