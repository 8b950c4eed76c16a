#include "did/did.h"

#include <gtest/gtest.h>

namespace traceport::did {
namespace {

TEST(ParseDidTest, AcceptsDidCoreExamples) {
  auto d = ParseDid("did:example:123456789abcdefghi");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->method, "example");
  EXPECT_EQ(d->method_specific_id, "123456789abcdefghi");
  EXPECT_EQ(d->ToString(), "did:example:123456789abcdefghi");
  EXPECT_TRUE(ParseDid("did:web:example.com%3A8443:user:alice").ok());
  EXPECT_TRUE(ParseDid("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK").ok());
  EXPECT_TRUE(ParseDid("did:ex::a").ok());  // empty segments before the last are allowed
  EXPECT_TRUE(ParseDid("did:jwk:eyJrdHkiOiJPS1AifQ").ok());
}

TEST(ParseDidTest, RejectsWithOffsets) {
  struct Case {
    const char* in;
    const char* want;
  } cases[] = {
      {"", "must start with"},
      {"did", "must start with"},
      {"DID:web:x", "must start with"},
      {"did::x", "empty method name"},
      {"did:Web:x", "method-name character 'W' at offset 4"},
      {"did:key", "missing ':'"},
      {"did:key:", "empty method-specific-id"},
      {"did:key_222", "method-name character '_' at offset 7"},
      {"did:key;invalid", "method-name character ';' at offset 7"},
      {"did:key:abc:", "must not end with ':'"},
      {"did:key:a b", "method-specific-id character ' ' at offset 9"},
      {"did:key:a%zz", "malformed percent escape at offset 9"},
      {"did:key:a%4", "malformed percent escape"},
      {"did:key:abc#frag", "has no path, query or fragment"},
      {"did:key:\xff", "byte 0xff at offset 8"},
  };
  for (const auto& c : cases) {
    auto r = ParseDid(c.in);
    ASSERT_FALSE(r.ok()) << c.in;
    EXPECT_NE(r.status().message().find(c.want), std::string_view::npos)
        << c.in << " -> " << r.status().message();
  }
  EXPECT_EQ(ParseDid(std::string(kMaxDidLength + 1, 'a')).status().code(),
            StatusCode::kResourceExhausted);
}

TEST(ParseDidUrlTest, SplitsPathQueryFragment) {
  auto u = ParseDidUrl("did:web:example.com:a/path/x?service=files&relativeRef=/r#key-1");
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(u->did.method_specific_id, "example.com:a");
  EXPECT_EQ(u->path, "/path/x");
  EXPECT_EQ(*u->query, "service=files&relativeRef=/r");
  EXPECT_EQ(*u->fragment, "key-1");
  EXPECT_EQ(u->ToString(), "did:web:example.com:a/path/x?service=files&relativeRef=/r#key-1");

  auto k = ParseDidUrl("did:key:z6Mk#z6Mk");
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(k->path, "");
  EXPECT_FALSE(k->query.has_value());
  EXPECT_EQ(*k->fragment, "z6Mk");
}

TEST(ParseDidUrlTest, RejectsBadUrlCharacters) {
  EXPECT_FALSE(ParseDidUrl("did:key:abc/^bar^/?query=`").ok());
  EXPECT_FALSE(ParseDidUrl("did:key:abc#frag#again").ok());
  EXPECT_FALSE(ParseDidUrl("did:key:abc/%g0").ok());
  EXPECT_FALSE(ParseDidUrl("did:key:abc?a b").ok());
}

TEST(PercentDecodeTest, DecodesAndRejects) {
  EXPECT_EQ(*PercentDecode("a%3Ab%3a"), "a:b:");
  EXPECT_FALSE(PercentDecode("%").ok());
  EXPECT_FALSE(PercentDecode("%4").ok());
  EXPECT_FALSE(PercentDecode("%4x").ok());
}

}  // namespace
}  // namespace traceport::did
