// The direct JSON-LD to N-Quads path (internal/direct.h) against the full algorithms: whatever
// it handles must canonicalize byte for byte as Expand (safe mode) + ToRdf + RDFC-1.0 do, and
// whatever it cannot handle exactly it must decline.
#include "jsonld/internal/direct.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "codec/fast_json.h"
#include "common/testing/conformance.h"
#include "jsonld/canonize.h"
#include "jsonld/context_registry.h"
#include "jsonld/expand.h"
#include "jsonld/rdfc.h"
#include "jsonld/testing/json_ld_suite.h"
#include "jsonld/to_rdf.h"

namespace traceport::jsonld {
namespace {

using json = nlohmann::json;

// What CanonizeJsonLd computed before the direct path existed: the full algorithms.
Result<std::string> FullPath(const json& document, const DocumentLoader* loader,
                             ContextCache* cache) {
  ExpandOptions expand;
  expand.loader = loader;
  expand.safe_mode = true;
  expand.cache = cache;
  ASSIGN_OR_RETURN(json expanded, Expand(document, expand));
  ToRdfOptions to_rdf;
  to_rdf.rdf_direction = RdfDirection::kI18nDatatype;
  ASSIGN_OR_RETURN(Dataset dataset, ToRdf(expanded, to_rdf));
  CanonicalizeOptions rdfc;
  rdfc.produce_quads = false;
  ASSIGN_OR_RETURN(CanonicalDataset canonical, Canonicalize(dataset, rdfc));
  return std::move(canonical.nquads);
}

// The direct path's canonical N-Quads, or nullopt when it declines. The walk over the same
// document parsed with simdjson must decline too, or write exactly the same lines (checked
// here for every document the tests give, unless simdjson refuses the text: integers beyond
// 64 bits).
std::optional<std::string> DirectPath(const json& document, const DocumentLoader* loader,
                                      ContextCache* cache) {
  ExpandOptions expand;
  expand.loader = loader;
  expand.safe_mode = true;
  expand.cache = cache;
  internal::LineDataset lines;
  const bool taken = internal::DirectToLines(document, expand, &lines);
  if (auto fast = codec::FastJson::Parse(document.dump()); fast.ok()) {
    internal::LineDataset fast_lines;
    const bool fast_taken = internal::DirectToLines(fast->root(), expand, &fast_lines);
    EXPECT_EQ(fast_taken, taken) << "the simdjson walk disagrees on " << document.dump();
    if (taken && fast_taken) {
      EXPECT_TRUE(lines == fast_lines) << "different lines for " << document.dump();
    }
  }
  if (!taken) return std::nullopt;
  auto canonical = internal::CanonicalizeLines(lines, CanonicalizeOptions{});
  if (!canonical.ok()) return "error: " + std::string(canonical.status().message());
  return std::move(canonical->nquads);
}

class DirectTest : public ::testing::Test {
 protected:
  const DocumentLoader* loader_ = &ContextRegistry::Builtin();
  ContextCache cache_;

  // Asserts that the direct path handles `document` and agrees with the full path.
  void ExpectHandled(const json& document) {
    SCOPED_TRACE(document.dump());
    const std::optional<std::string> direct = DirectPath(document, loader_, &cache_);
    ASSERT_TRUE(direct.has_value()) << "declined";
    auto full = FullPath(document, loader_, &cache_);
    ASSERT_TRUE(full.ok()) << full.status().ToString();
    EXPECT_EQ(*direct, *full);
    auto canonized = CanonizeJsonLd(document);
    ASSERT_TRUE(canonized.ok()) << canonized.status().ToString();
    EXPECT_EQ(*canonized, *full);
  }

  // Asserts that the direct path declines `document` and CanonizeJsonLd still answers as the
  // full path does (the same N-Quads or the same error).
  void ExpectDeclined(const json& document) {
    SCOPED_TRACE(document.dump());
    EXPECT_FALSE(DirectPath(document, loader_, &cache_).has_value());
    auto full = FullPath(document, loader_, &cache_);
    auto canonized = CanonizeJsonLd(document);
    ASSERT_EQ(canonized.ok(), full.ok());
    if (full.ok()) {
      EXPECT_EQ(*canonized, *full);
    } else {
      EXPECT_EQ(canonized.status().message(), full.status().message());
    }
  }
};

json Credential() {
  return json::parse(R"({
    "@context": ["https://www.w3.org/ns/credentials/v2",
                 "https://www.w3.org/ns/credentials/undefined-terms/v2"],
    "id": "urn:uuid:0b7f0fd8-4c8a-4d3b-8e0e-7d0c1d3c1a11",
    "type": ["VerifiableCredential", "MillTestReportCredential"],
    "name": "Mill test report \"MTR-1\"\nline two",
    "issuer": {"id": "did:example:mill", "name": "Acero del Norte"},
    "validFrom": "2026-03-02T15:04:05Z",
    "credentialSubject": {
      "id": "did:example:importer",
      "heat": {"heatNumber": "H-2201", "carbon": 0.21, "count": 3, "ok": true, "big": 1e21},
      "items": [{"lot": "A"}, {"lot": "B"}, {"lot": "A"}],
      "empty": {},
      "note": null
    }
  })");
}

TEST_F(DirectTest, CredentialMatchesFullPath) { ExpectHandled(Credential()); }

TEST_F(DirectTest, RepeatedTriplesCountOnce) {
  json doc = Credential();
  doc["type"] = {"VerifiableCredential", "VerifiableCredential"};
  // The same node twice, once embedded and once as the issuer: its triples repeat.
  doc["credentialSubject"]["maker"] = {{"id", "did:example:mill"}, {"name", "Acero del Norte"}};
  ExpectHandled(doc);
}

TEST_F(DirectTest, BlankNodeIdentifiersAndEmbeddedContexts) {
  json doc = Credential();
  doc["credentialSubject"]["a"] = {{"id", "_:x"}, {"next", {{"id", "_:y"}}}};
  doc["credentialSubject"]["b"] = {{"id", "_:y"}, {"next", {{"id", "_:x"}}}};
  doc["credentialSubject"]["c"] = {
      {"@context",
       {{"ex", "https://example.org/ns#"}, {"when", {{"@id", "ex:when"}, {"@type", "ex:date"}}}}},
      {"when", "2026-01-01"},
      {"ex:tag", {"x", "y"}}};
  ExpectHandled(doc);
}

TEST_F(DirectTest, NodesWithoutTriplesTakeNoLabel) {
  // The first node has no triples; the blank node it would have been must not shift the
  // canonical labels of the others.
  ExpectHandled(json::parse(R"([
    {"@context": {"@vocab": "https://example.org/"}},
    {"@context": {"@vocab": "https://example.org/"}, "a": {"b": "c", "d": {"e": 1}}}
  ])"));
}

TEST_F(DirectTest, LanguageAndTypeCoercion) {
  json doc = Credential();
  doc["@context"].push_back(json::parse(R"({
    "@language": "es",
    "ref": {"@id": "https://example.org/ns#ref", "@type": "@id"},
    "kind": {"@id": "https://example.org/ns#kind", "@type": "@vocab"},
    "plain": {"@id": "https://example.org/ns#plain", "@language": null}
  })"));
  doc["credentialSubject"]["ref"] = "https://example.org/things/1";
  doc["credentialSubject"]["kind"] = "VerifiableCredential";
  doc["credentialSubject"]["plain"] = "sin idioma";
  doc["credentialSubject"]["label"] = "con idioma";
  ExpectHandled(doc);
}

TEST_F(DirectTest, DeclinesWhatItLeavesToTheFullPath) {
  // Each of these makes the direct path decline; CanonizeJsonLd still answers.
  const char* const kCases[] = {
      // @graph, @list, @reverse, @included, value objects, index and language maps
      R"({"@context": {"@vocab": "https://example.org/"}, "@graph": [{"a": "b"}]})",
      R"({"@context": {"@vocab": "https://example.org/", "l": {"@container": "@list"}},
          "l": [1, 2]})",
      R"({"@context": {"@vocab": "https://example.org/"}, "@id": "https://example.org/s",
          "@reverse": {"knows": {"@id": "https://example.org/o"}}})",
      R"({"@context": {"@vocab": "https://example.org/"}, "a": {"@value": "x", "@type": "t"}})",
      R"({"@context": {"@vocab": "https://example.org/", "m": {"@container": "@language"}},
          "m": {"en": "x"}})",
      R"({"@context": {"@vocab": "https://example.org/",
                       "j": {"@id": "https://example.org/j", "@type": "@json"}},
          "j": {"b": 1, "a": [true]}})",
      R"({"@context": {"@vocab": "https://example.org/", "@direction": "rtl"}, "a": "x"})",
      // safe mode errors: an undefined term, a relative @id, a relative type
      R"({"@context": {"a": "https://example.org/a"}, "a": "x", "b": "y"})",
      R"({"@context": {"@vocab": "https://example.org/"}, "@id": "relative", "a": "x"})",
      R"({"@context": {"a": "https://example.org/a"}, "@type": "T", "a": "x"})",
      // IRIs toRdf would drop
      R"({"@context": {"@vocab": "https://example.org/"}, "@id": "https://ex ample.org/",
          "a": "x"})",
      R"({"@context": {"@vocab": "https://example.org/", "p": "_:p"}, "p": "x"})",
      // a bad language tag, a colliding @id
      R"({"@context": {"@vocab": "https://example.org/", "@language": "not a tag"}, "a": "x"})",
      R"({"@context": {"@vocab": "https://example.org/", "id": "@id"},
          "@id": "https://example.org/1", "id": "https://example.org/2"})",
      // an unknown remote context
      R"({"@context": "https://example.org/unknown-context", "a": "x"})",
  };
  for (const char* text : kCases) ExpectDeclined(json::parse(text));
}

// A credential with a proof, and options that leave the proof out.
json Secured() {
  json secured = Credential();
  secured["proof"] = {{"type", "DataIntegrityProof"}, {"cryptosuite", "eddsa-rdfc-2022"}};
  return secured;
}

CanonizeOptions OmitProof() {
  CanonizeOptions omit;
  omit.omit_member = "proof";
  return omit;
}

TEST_F(DirectTest, OmittedMemberIsAsIfErased) {
  json secured = Secured();
  json unsecured = Credential();
  const CanonizeOptions omit = OmitProof();
  auto around = CanonizeJsonLd(secured, omit);
  ASSERT_TRUE(around.ok()) << around.status().ToString();
  EXPECT_EQ(*around, *CanonizeJsonLd(unsecured));
  EXPECT_NE(*around, *CanonizeJsonLd(secured));
  // Only the top-level object's member goes; a nested one of the same name stays.
  secured["credentialSubject"]["proof"] = "did:example:nested";
  unsecured["credentialSubject"]["proof"] = "did:example:nested";
  EXPECT_EQ(*CanonizeJsonLd(secured, omit), *CanonizeJsonLd(unsecured));
  // The full path (a document the direct path declines) omits it too.
  secured["credentialSubject"]["odd"] = {{"@value", "x"}};
  unsecured["credentialSubject"]["odd"] = {{"@value", "x"}};
  EXPECT_EQ(*CanonizeJsonLd(secured, omit), *CanonizeJsonLd(unsecured));
}

TEST_F(DirectTest, SimdjsonDocumentsCanonizeAsTheirTrees) {
  const json secured = Secured();
  const json unsecured = Credential();
  const CanonizeOptions omit = OmitProof();
  // simdjson keeps the text's member order; the walk takes members in key order regardless.
  auto fast = codec::FastJson::Parse(secured.dump());
  ASSERT_TRUE(fast.ok());
  const std::optional<std::string> direct = CanonizeJsonLdIfDirect(fast->root(), omit);
  ASSERT_TRUE(direct.has_value());
  EXPECT_EQ(*direct, *CanonizeJsonLd(unsecured));
  // Reversed member order in the text: the same answer.
  std::string reversed = "{";
  bool first = true;
  for (auto it = secured.rbegin(); it != secured.rend(); ++it) {
    if (!first) reversed += ",";
    first = false;
    reversed += json(it.key()).dump() + ":" + it.value().dump();
  }
  reversed += "}";
  auto fast_reversed = codec::FastJson::Parse(reversed);
  ASSERT_TRUE(fast_reversed.ok());
  EXPECT_EQ(CanonizeJsonLdIfDirect(fast_reversed->root(), omit), direct);
  // What the direct path declines gives nullopt, not an answer.
  json odd = Credential();
  odd["credentialSubject"]["odd"] = {{"@value", "x"}};
  auto fast_odd = codec::FastJson::Parse(odd.dump());
  ASSERT_TRUE(fast_odd.ok());
  EXPECT_FALSE(CanonizeJsonLdIfDirect(fast_odd->root()).has_value());
}

TEST_F(DirectTest, OutsideSafeModeItDeclines) {
  ExpandOptions expand;
  expand.loader = loader_;
  expand.cache = &cache_;
  expand.safe_mode = false;
  internal::LineDataset lines;
  EXPECT_FALSE(internal::DirectToLines(Credential(), expand, &lines));
}

TEST_F(DirectTest, LimitsMakeItDecline) {
  json deep = {{"@context", {{"@vocab", "https://example.org/"}}}};
  json* at = &deep;
  for (int i = 0; i < 200; ++i) at = &((*at)["n"] = json::object());
  ExpandOptions expand;
  expand.loader = loader_;
  expand.cache = &cache_;
  expand.safe_mode = true;
  internal::LineDataset lines;
  EXPECT_FALSE(internal::DirectToLines(deep, expand, &lines));
  ExpectDeclined(deep);  // "work limit exceeded" from the full path
}

// Every input of the W3C expansion and toRdf manifests, without a base IRI (as credentials
// are canonicalized): where the direct path answers, the full path must give the same.
TEST(DirectSuiteTest, AgreesWithTheFullPathOnTheW3cInputs) {
  const std::optional<std::filesystem::path> dir = testing::SuiteDir();
  if (!dir) {
    if (traceport::testing::InCi()) FAIL() << "json-ld-api suite missing and CI is set";
    GTEST_SKIP() << "json-ld-api suite not found";
  }
  testing::SuiteDocumentLoader loader(*dir);
  size_t inputs = 0;
  size_t handled = 0;
  for (const char* manifest : {"expand-manifest.jsonld", "toRdf-manifest.jsonld"}) {
    auto loaded = testing::LoadManifest(*dir, manifest);
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    for (const testing::SuiteTest& t : loaded->tests) {
      auto input = testing::ReadJsonFile(*dir / t.input);
      if (!input.ok()) continue;  // the syntax tests' unparsable inputs
      ++inputs;
      ContextCache cache;
      const std::optional<std::string> direct = DirectPath(*input, &loader, &cache);
      if (!direct) continue;
      ++handled;
      ContextCache full_cache;
      auto full = FullPath(*input, &loader, &full_cache);
      ASSERT_TRUE(full.ok()) << manifest << " " << t.id << ": the direct path answered where "
                             << "the full path fails: " << full.status().ToString();
      EXPECT_EQ(*direct, *full) << manifest << " " << t.id;
    }
  }
  std::printf("direct path: %zu of %zu W3C inputs handled, all as the full path\n", handled,
              inputs);
  // Enough of the suite runs through the direct path for the comparison to mean something.
  EXPECT_GE(handled, 150u);
}

}  // namespace
}  // namespace traceport::jsonld
