#include "did/web.h"

#include <gtest/gtest.h>

namespace traceport::did {
namespace {

Did D(const char* s) { return *ParseDid(s); }

TEST(DidWebTest, MapsToUrls) {
  EXPECT_EQ(*DidWebToUrl(D("did:web:w3c-ccg.github.io")),
            "https://w3c-ccg.github.io/.well-known/did.json");
  EXPECT_EQ(*DidWebToUrl(D("did:web:w3c-ccg.github.io:user:alice")),
            "https://w3c-ccg.github.io/user/alice/did.json");
  EXPECT_EQ(*DidWebToUrl(D("did:web:example.com%3A3000:user:alice")),
            "https://example.com:3000/user/alice/did.json");
  EXPECT_EQ(*DidWebToUrl(D("did:web:localhost%3a8443")),
            "https://localhost:8443/.well-known/did.json");
}

TEST(DidWebTest, UrlRoundTrip) {
  for (const char* did : {"did:web:example.com", "did:web:example.com:org:acme-steel",
                          "did:web:node.traceport.example%3A8443:orgs:cbp"}) {
    auto url = DidWebToUrl(D(did));
    ASSERT_TRUE(url.ok()) << did;
    auto back = DidWebFromUrl(*url);
    ASSERT_TRUE(back.ok()) << *url << ": " << back.status().ToString();
    EXPECT_EQ(back->ToString(), did);
  }
  EXPECT_EQ(DidWebFromUrl("https://example.com/orgs/acme")->ToString(),
            "did:web:example.com:orgs:acme");
  EXPECT_EQ(DidWebFromUrl("https://example.com/")->ToString(), "did:web:example.com");
}

TEST(DidWebTest, RejectsBadIdentifiers) {
  struct Case {
    const char* did;
    const char* want;
  } cases[] = {
      {"did:key:z6Mk", "not a did:web"},
      {"did:web:Example.com", "must be lowercase"},
      {"did:web:192.168.0.1", "IP address"},
      {"did:web:-bad.com", "starts or ends with '-'"},
      {"did:web:a..b", "empty or over-long label"},
      {"did:web:example.com%3A0", "invalid port"},
      {"did:web:example.com%3A70000", "invalid port"},
      {"did:web:example.com%2Fx", "only escape allowed"},
      {"did:web:example.com::x", "path segment 0 is empty"},
  };
  for (const auto& c : cases) {
    auto r = ParseDidWeb(D(c.did));
    ASSERT_FALSE(r.ok()) << c.did;
    EXPECT_NE(r.status().message().find(c.want), std::string_view::npos)
        << c.did << " -> " << r.status().message();
  }
  EXPECT_FALSE(DidWebFromUrl("http://example.com/did.json").ok());
  EXPECT_FALSE(DidWebFromUrl("https://user@example.com/").ok());
  EXPECT_FALSE(DidWebFromUrl("https://example.com/a?x=1").ok());
  EXPECT_FALSE(DidWebFromUrl("https://example.com/a/../b").ok());
}

TEST(DidWebTest, MakeFromParts) {
  WebLocation loc{"node.example", 8443, {"orgs", "acme"}};
  EXPECT_EQ(MakeDidWeb(loc)->ToString(), "did:web:node.example%3A8443:orgs:acme");
  loc.path.push_back("bad/seg");
  EXPECT_FALSE(MakeDidWeb(loc).ok());
}

}  // namespace
}  // namespace traceport::did
