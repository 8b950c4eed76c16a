#include "jsonld/expand.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "jsonld/context.h"
#include "jsonld/error.h"

namespace traceport::jsonld {
namespace {

using nlohmann::json;

// Serves fixed documents by URL and counts the loads.
class MapLoader : public DocumentLoader {
 public:
  void Add(const std::string& url, json document) {
    docs_[url] = std::make_shared<const json>(std::move(document));
  }
  Result<RemoteDocument> Load(std::string_view url) const override {
    ++loads_;
    auto it = docs_.find(std::string(url));
    if (it == docs_.end()) {
      return JsonLdError("loading remote context failed", "unknown URL " + std::string(url));
    }
    return RemoteDocument{it->first, it->second};
  }
  int loads() const { return loads_; }

 private:
  std::map<std::string, std::shared_ptr<const json>> docs_;
  mutable std::atomic<int> loads_{0};
};

std::string ErrorCode(const Result<json>& r) {
  return r.ok() ? "ok" : std::string(JsonLdErrorCode(r.status()));
}

// ---------------------------------------------------------------------------------------------
// RFC 3986 section 5.4 reference resolution examples.

TEST(ResolveIriTest, NormalExamples) {
  const std::string base = "http://a/b/c/d;p?q";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"g:h", "g:h"},
      {"g", "http://a/b/c/g"},
      {"./g", "http://a/b/c/g"},
      {"g/", "http://a/b/c/g/"},
      {"/g", "http://a/g"},
      {"//g", "http://g"},
      {"?y", "http://a/b/c/d;p?y"},
      {"g?y", "http://a/b/c/g?y"},
      {"#s", "http://a/b/c/d;p?q#s"},
      {"g#s", "http://a/b/c/g#s"},
      {"g?y#s", "http://a/b/c/g?y#s"},
      {";x", "http://a/b/c/;x"},
      {"g;x", "http://a/b/c/g;x"},
      {"g;x?y#s", "http://a/b/c/g;x?y#s"},
      {"", "http://a/b/c/d;p?q"},
      {".", "http://a/b/c/"},
      {"./", "http://a/b/c/"},
      {"..", "http://a/b/"},
      {"../", "http://a/b/"},
      {"../g", "http://a/b/g"},
      {"../..", "http://a/"},
      {"../../", "http://a/"},
      {"../../g", "http://a/g"},
  };
  for (const auto& [ref, want] : cases) EXPECT_EQ(ResolveIri(base, ref), want) << ref;
}

TEST(ResolveIriTest, AbnormalExamples) {
  const std::string base = "http://a/b/c/d;p?q";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"../../../g", "http://a/g"},
      {"../../../../g", "http://a/g"},
      {"/./g", "http://a/g"},
      {"/../g", "http://a/g"},
      {"g.", "http://a/b/c/g."},
      {".g", "http://a/b/c/.g"},
      {"g..", "http://a/b/c/g.."},
      {"..g", "http://a/b/c/..g"},
      {"./../g", "http://a/b/g"},
      {"./g/.", "http://a/b/c/g/"},
      {"g/./h", "http://a/b/c/g/h"},
      {"g/../h", "http://a/b/c/h"},
      {"g;x=1/./y", "http://a/b/c/g;x=1/y"},
      {"g;x=1/../y", "http://a/b/c/y"},
      {"g?y/./x", "http://a/b/c/g?y/./x"},
      {"g?y/../x", "http://a/b/c/g?y/../x"},
      {"g#s/./x", "http://a/b/c/g#s/./x"},
      {"g#s/../x", "http://a/b/c/g#s/../x"},
      {"http:g", "http:g"},  // strict parsers (section 5.2.2) keep the scheme
  };
  for (const auto& [ref, want] : cases) EXPECT_EQ(ResolveIri(base, ref), want) << ref;
}

TEST(ResolveIriTest, BaseWithoutPathOrWithFragment) {
  EXPECT_EQ(ResolveIri("http://example.com", "a"), "http://example.com/a");
  EXPECT_EQ(ResolveIri("http://example.com", "?x"), "http://example.com?x");
  EXPECT_EQ(ResolveIri("http://example.com/a#frag", "#other"), "http://example.com/a#other");
  EXPECT_EQ(ResolveIri("http://example.com/a/b", "../../../c"), "http://example.com/c");
  EXPECT_EQ(ResolveIri("urn:example:a", "#x"), "urn:example:a#x");
  EXPECT_EQ(ResolveIri("tag:x,2024:/a/b", "c"), "tag:x,2024:/a/c");
}

TEST(IriPredicatesTest, KeywordsAndForms) {
  EXPECT_TRUE(IsKeyword("@id"));
  EXPECT_TRUE(IsKeyword("@included"));
  EXPECT_FALSE(IsKeyword("@ID"));
  EXPECT_FALSE(IsKeyword("@"));
  EXPECT_TRUE(HasKeywordForm("@foo"));
  EXPECT_FALSE(HasKeywordForm("@foo1"));
  EXPECT_FALSE(HasKeywordForm("@"));
  EXPECT_TRUE(IsAbsoluteIri("http://x"));
  EXPECT_TRUE(IsAbsoluteIri("urn:a"));
  EXPECT_FALSE(IsAbsoluteIri("_:b0"));
  EXPECT_FALSE(IsAbsoluteIri("1a:b"));
  EXPECT_FALSE(IsAbsoluteIri("relative/path"));
  EXPECT_TRUE(IsBlankNodeId("_:b0"));
}

// ---------------------------------------------------------------------------------------------
// Expansion basics

TEST(ExpandTest, TermsTypesAndValues) {
  json doc = json::parse(R"({
    "@context": {
      "@vocab": "https://vocab.example/",
      "xsd": "http://www.w3.org/2001/XMLSchema#",
      "knows": {"@type": "@id"},
      "age": {"@type": "xsd:integer"},
      "tags": {"@container": "@list"},
      "name": {"@language": "EN"}
    },
    "@id": "people/alice",
    "@type": "Person",
    "knows": "bob",
    "age": "42",
    "tags": ["a", "b"],
    "name": "Alice"
  })");
  ExpandOptions options;
  options.base = "https://example.org/";
  auto out = Expand(doc, options);
  ASSERT_TRUE(out.ok()) << out.status();
  const json want = json::parse(R"([{
    "@id": "https://example.org/people/alice",
    "@type": ["https://vocab.example/Person"],
    "https://vocab.example/knows": [{"@id": "https://example.org/bob"}],
    "https://vocab.example/age": [{"@value": "42", "@type": "http://www.w3.org/2001/XMLSchema#integer"}],
    "https://vocab.example/tags": [{"@list": [{"@value": "a"}, {"@value": "b"}]}],
    "https://vocab.example/name": [{"@value": "Alice", "@language": "en"}]
  }])");
  EXPECT_EQ(*out, want);
}

TEST(ExpandTest, TopLevelShape) {
  ExpandOptions options;
  EXPECT_EQ(*Expand(json(nullptr), options), json::array());
  EXPECT_EQ(*Expand(json("free-floating"), options), json::array());
  EXPECT_EQ(*Expand(json::parse(R"({"@id": "http://x/only-id"})"), options), json::array());
  auto graph =
      Expand(json::parse(R"({"@graph": [{"@id": "http://x/a", "http://p": 1}]})"), options);
  ASSERT_TRUE(graph.ok());
  EXPECT_EQ(*graph, json::parse(R"([{"@id": "http://x/a", "http://p": [{"@value": 1}]}])"));
}

// ---------------------------------------------------------------------------------------------
// Context errors

struct ErrorCase {
  const char* name;
  const char* document;
  const char* code;
};

TEST(ExpandTest, ContextErrors) {
  const ErrorCase cases[] = {
      {"relative @id without @vocab", R"({"@context": {"t": {"@id": "rel"}}, "t": 1})",
       "invalid IRI mapping"},
      {"protected redefinition",
       R"({"@context": [{"@protected": true, "t": "http://a/t"}, {"t": "http://b/t"}], "t": 1})",
       "protected term redefinition"},
      {"cycle", R"({"@context": {"a": "b:x", "b": "a:y"}, "a": 1})", "cyclic IRI mapping"},
      {"keyword redefinition", R"({"@context": {"@id": "http://a/id"}})", "keyword redefinition"},
      {"alias of @context", R"({"@context": {"ctx": "@context"}})", "invalid keyword alias"},
      {"number as context", R"({"@context": 5})", "invalid local context"},
      {"bad container", R"({"@context": {"t": {"@id": "http://a", "@container": "@foo"}}})",
       "invalid container mapping"},
      {"list and set",
       R"({"@context": {"t": {"@id": "http://a", "@container": ["@list", "@set"]}}})",
       "invalid container mapping"},
      {"bad @version", R"({"@context": {"@version": 1.0}})", "invalid @version value"},
      {"null over protected", R"({"@context": [{"@protected": true, "t": "http://a/t"}, null]})",
       "invalid context nullification"},
      {"unknown entry", R"({"@context": {"t": {"@id": "http://a", "@foo": 1}}})",
       "invalid term definition"},
      {"relative @base without base", R"({"@context": {"@base": "rel/"}})", "invalid base IRI"},
      {"bad language", R"({"@context": {"@language": 3}})", "invalid default language"},
      {"bad scoped context", R"({"@context": {"t": {"@id": "http://a", "@context": 7}}})",
       "invalid scoped context"},
      {"remote without loader", R"({"@context": "https://example.org/ctx"})",
       "loading remote context failed"},
  };
  for (const ErrorCase& c : cases) {
    ExpandOptions options;
    EXPECT_EQ(ErrorCode(Expand(json::parse(c.document), options)), c.code) << c.name;
  }
}

TEST(ExpandTest, ExpansionErrors) {
  const ErrorCase cases[] = {
      {"@id number", R"({"@id": 5})", "invalid @id value"},
      {"@type object", R"({"@type": {"a": 1}})", "invalid type value"},
      {"value object extra", R"({"http://p": {"@value": "x", "http://q": 1}})",
       "invalid value object"},
      {"value object object", R"({"http://p": {"@value": {"a": 1}}})",
       "invalid value object value"},
      {"typed with language",
       R"({"http://p": {"@value": "x", "@type": "http://t", "@language": "en"}})",
       "invalid value object"},
      {"colliding", R"({"@context": {"id": "@id"}, "@id": "http://a", "id": "http://b"})",
       "colliding keywords"},
      {"list extra", R"({"http://p": {"@list": [], "http://q": 1}})", "invalid set or list object"},
      // Found by expand_fuzz: an id map entry that expands to a value cannot take an @id.
      {"value in id map",
       R"({"@context": {"m": {"@id": "http://m", "@container": "@id"}}, "m": {"http://x": "s"}})",
       "invalid value object"},
  };
  for (const ErrorCase& c : cases) {
    ExpandOptions options;
    EXPECT_EQ(ErrorCode(Expand(json::parse(c.document), options)), c.code) << c.name;
  }
}

TEST(ExpandTest, ErrorMessagesArePrintableAscii) {
  ExpandOptions options;
  auto out =
      Expand(json::parse("{\"@context\": {\"t\\u00e9\\n\": {\"@id\": \"r\\u0001\"}}}"), options);
  ASSERT_FALSE(out.ok());
  for (char c : out.status().message()) {
    EXPECT_TRUE(c >= 0x20 && c <= 0x7e) << static_cast<int>(c);
  }
}

// ---------------------------------------------------------------------------------------------
// Safe mode

TEST(ExpandTest, SafeModeRejectsUndefinedTerms) {
  const json doc = json::parse(R"({
    "@context": {"name": "http://schema.org/name"},
    "name": "x",
    "credentialSubject": {"nickname": "y"}
  })");
  ExpandOptions lax;
  auto dropped = Expand(doc, lax);
  ASSERT_TRUE(dropped.ok()) << dropped.status();
  EXPECT_EQ(dropped->at(0).size(), 1u);  // only name survives

  ExpandOptions safe;
  safe.safe_mode = true;
  auto out = Expand(doc, safe);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(JsonLdErrorCode(out.status()), "safe mode undefined term");
  EXPECT_NE(out.status().message().find("\"credentialSubject\""), std::string_view::npos)
      << out.status();
  EXPECT_NE(out.status().message().find("\"/credentialSubject\""), std::string_view::npos)
      << out.status();
}

TEST(ExpandTest, SafeModeRejectsNullTermsAndRelativeTypes) {
  ExpandOptions safe;
  safe.safe_mode = true;
  auto null_term = Expand(json::parse(R"({"@context": {"t": null}, "t": 1})"), safe);
  EXPECT_EQ(ErrorCode(null_term), "safe mode undefined term");
  // Without a base or @vocab, a type stays a relative IRI.
  auto relative_type = Expand(json::parse(R"({"@id": "http://a", "@type": "Thing"})"), safe);
  EXPECT_EQ(ErrorCode(relative_type), "safe mode undefined term");
  EXPECT_NE(relative_type.status().message().find("\"/@type\""), std::string_view::npos)
      << relative_type.status();
  // Fully defined documents pass.
  auto ok =
      Expand(json::parse(R"({"@context": {"@vocab": "http://v/"}, "@type": "T", "p": 1})"), safe);
  EXPECT_TRUE(ok.ok()) << ok.status();
}

TEST(ExpandTest, SafeModeRejectsRelativeIdsWithoutBase) {
  const json doc = json::parse(R"({
    "@context": {"@vocab": "http://v/", "ref": {"@type": "@id"}},
    "@id": "urn:x", "ref": "relative/thing"
  })");
  ExpandOptions safe;
  safe.safe_mode = true;
  auto out = Expand(doc, safe);
  EXPECT_EQ(ErrorCode(out), "safe mode undefined term");
  EXPECT_NE(out.status().message().find("\"/ref\""), std::string_view::npos) << out.status();
  // With a base the reference resolves, so it is fine.
  safe.base = "https://example.org/";
  auto resolved = Expand(doc, safe);
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  EXPECT_EQ(resolved->at(0)["http://v/ref"][0]["@id"], "https://example.org/relative/thing");
  // Without safe mode the relative IRI is kept, as the algorithm says.
  ExpandOptions lax;
  auto kept = Expand(doc, lax);
  ASSERT_TRUE(kept.ok()) << kept.status();
  EXPECT_EQ(kept->at(0)["http://v/ref"][0]["@id"], "relative/thing");
}

// ---------------------------------------------------------------------------------------------
// Remote contexts, caching and limits

TEST(ExpandTest, RemoteContextsAreCachedAcrossCalls) {
  MapLoader loader;
  loader.Add("https://ctx.example/v1", json::parse(R"({"@context": {
      "@protected": true,
      "name": "https://schema.org/name",
      "Person": {"@id": "https://schema.org/Person",
                 "@context": {"age": {"@id": "https://schema.org/age",
                                      "@type": "http://www.w3.org/2001/XMLSchema#integer"}}}}})"));
  const json doc = json::parse(R"({"@context": "https://ctx.example/v1",
      "@type": "Person", "name": "A", "age": "3"})");
  ContextCache cache;
  ExpandOptions options;
  options.loader = &loader;
  options.cache = &cache;
  auto first = Expand(doc, options);
  ASSERT_TRUE(first.ok()) << first.status();
  const size_t entries = cache.size();
  auto second = Expand(doc, options);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(*first, *second);
  EXPECT_EQ(loader.loads(), 1);
  EXPECT_EQ(cache.size(), entries);  // nothing was processed again
  EXPECT_EQ(first->at(0)["https://schema.org/age"][0]["@type"],
            "http://www.w3.org/2001/XMLSchema#integer");

  // Without a shared cache each call loads the context again.
  ExpandOptions uncached;
  uncached.loader = &loader;
  ASSERT_TRUE(Expand(doc, uncached).ok());
  EXPECT_EQ(loader.loads(), 2);
}

TEST(ExpandTest, ContextUrlListsShareCacheEntriesAndStayApart) {
  MapLoader loader;
  loader.Add("https://ctx.example/a", json::parse(R"({"@context": {"@vocab": "https://a/"}})"));
  loader.Add("https://ctx.example/b", json::parse(R"({"@context": {"p": "https://b/p"}})"));
  ContextCache cache;
  ContextProcessor processor(&loader, &cache);
  const ContextPtr initial = cache.Initial(std::nullopt);
  const std::vector<std::string_view> both = {"https://ctx.example/a", "https://ctx.example/b"};
  auto listed = processor.ProcessStrings(initial, both, /*single=*/false, std::nullopt, {});
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_EQ((*listed)->Find("p")->iri, "https://b/p");
  EXPECT_EQ((*listed)->vocab(), "https://a/");
  // The same list as a JSON array is the same cache entry, so the same context object.
  auto as_json = processor.Process(
      initial, json::array({"https://ctx.example/a", "https://ctx.example/b"}), std::nullopt, {});
  ASSERT_TRUE(as_json.ok()) << as_json.status();
  EXPECT_EQ(as_json->get(), listed->get());
  // A string and a one-element array are the same context, but other lists are not.
  const std::vector<std::string_view> one = {"https://ctx.example/a"};
  auto single = processor.ProcessStrings(initial, one, /*single=*/true, std::nullopt, {});
  auto array = processor.ProcessStrings(initial, one, /*single=*/false, std::nullopt, {});
  ASSERT_TRUE(single.ok() && array.ok());
  EXPECT_EQ((*single)->Find("p"), nullptr);
  EXPECT_EQ((*array)->Find("p"), nullptr);
  EXPECT_EQ(processor.Process(initial, json("https://ctx.example/a"), std::nullopt, {})->get(),
            single->get());
  const std::vector<std::string_view> reversed = {"https://ctx.example/b", "https://ctx.example/a"};
  auto other = processor.ProcessStrings(initial, reversed, /*single=*/false, std::nullopt, {});
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->get(), listed->get());
  // An unknown URL fails the same way through either form.
  const std::vector<std::string_view> unknown = {"https://ctx.example/missing"};
  auto missing = processor.ProcessStrings(initial, unknown, /*single=*/true, std::nullopt, {});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(JsonLdErrorCode(missing.status()), "loading remote context failed");
}

TEST(ExpandTest, SharedCacheIsThreadSafe) {
  MapLoader loader;
  loader.Add("https://ctx.example/a", json::parse(R"({"@context": {"@vocab": "https://v/"}})"));
  ContextCache cache;
  const json doc = json::parse(R"({"@context": "https://ctx.example/a", "p": "x"})");
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      ExpandOptions options;
      options.loader = &loader;
      options.cache = &cache;
      for (int i = 0; i < 50; ++i) {
        auto out = Expand(doc, options);
        if (!out.ok() || out->at(0).begin().key() != "https://v/p") ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST(ExpandTest, SelfReferencingRemoteContextOverflows) {
  MapLoader loader;
  loader.Add("https://ctx.example/loop",
             json::parse(R"({"@context": "https://ctx.example/loop"})"));
  ExpandOptions options;
  options.loader = &loader;
  auto out = Expand(json::parse(R"({"@context": "https://ctx.example/loop"})"), options);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(JsonLdErrorCode(out.status()), "context overflow");
  EXPECT_EQ(out.status().code(), StatusCode::kResourceExhausted);
}

TEST(ExpandTest, RemoteLoadLimit) {
  MapLoader loader;
  json doc = json::object();
  json contexts = json::array();
  for (int i = 0; i < 5; ++i) {
    const std::string url = "https://ctx.example/" + std::to_string(i);
    loader.Add(url, json::parse(R"({"@context": {}})"));
    contexts.push_back(url);
  }
  doc["@context"] = contexts;
  ExpandOptions options;
  options.loader = &loader;
  options.max_remote_loads = 4;
  EXPECT_EQ(ErrorCode(Expand(doc, options)), "context overflow");
  options.max_remote_loads = 5;
  EXPECT_EQ(ErrorCode(Expand(doc, options)), "ok");
}

TEST(ExpandTest, DepthAndNodeLimits) {
  json deep = json::parse(R"({"http://p": "leaf"})");
  for (int i = 0; i < 40; ++i) deep = json::object({{"http://p", deep}});
  ExpandOptions options;
  options.max_depth = 20;
  auto out = Expand(deep, options);
  EXPECT_EQ(ErrorCode(out), "work limit exceeded");
  EXPECT_EQ(out.status().code(), StatusCode::kResourceExhausted);
  options.max_depth = 100;
  EXPECT_EQ(ErrorCode(Expand(deep, options)), "ok");

  // @nest recursion counts as depth as well.
  json nested = json::parse(R"({"http://p": "leaf"})");
  for (int i = 0; i < 40; ++i) nested = json::object({{"@nest", nested}});
  options.max_depth = 20;
  EXPECT_EQ(ErrorCode(Expand(nested, options)), "work limit exceeded");
  options.max_depth = 100;
  EXPECT_EQ(ErrorCode(Expand(nested, options)), "ok");

  json wide = json::object();
  json values = json::array();
  for (int i = 0; i < 1000; ++i) values.push_back(i);
  wide["http://p"] = values;
  options.max_nodes = 500;
  EXPECT_EQ(ErrorCode(Expand(wide, options)), "work limit exceeded");
  options.max_nodes = 5000;
  EXPECT_EQ(ErrorCode(Expand(wide, options)), "ok");
}

TEST(ExpandTest, TypeScopedContextDoesNotPropagate) {
  const json doc = json::parse(R"({
    "@context": {
      "@vocab": "http://v/",
      "Outer": {"@id": "http://v/Outer", "@context": {"p": "http://scoped/p"}}
    },
    "@type": "Outer",
    "p": "in outer",
    "child": {"p": "in child"}
  })");
  ExpandOptions options;
  auto out = Expand(doc, options);
  ASSERT_TRUE(out.ok()) << out.status();
  const json& node = out->at(0);
  EXPECT_TRUE(node.contains("http://scoped/p"));
  EXPECT_TRUE(node["http://v/child"][0].contains("http://v/p"));
}

}  // namespace
}  // namespace traceport::jsonld
