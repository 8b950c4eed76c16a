#include "jsonld/to_rdf.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "common/testing/timing.h"
#include "jsonld/error.h"

namespace traceport::jsonld {
namespace {

using json = nlohmann::json;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;
using ::testing::UnorderedElementsAreArray;

constexpr char kXsd[] = "http://www.w3.org/2001/XMLSchema#";
constexpr char kRdf[] = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";

// A term in N-Quads-like notation; enough to compare with hand-written expectations (literal
// values are not escaped, the tests use plain ones).
std::string Show(const Term& t) {
  switch (t.kind) {
    case TermKind::kIri:
      return "<" + t.value + ">";
    case TermKind::kBlankNode:
      return "_:" + t.value;
    case TermKind::kLiteral:
      if (!t.language.empty()) return "\"" + t.value + "\"@" + t.language;
      return "\"" + t.value + "\"^^<" + t.datatype + ">";
    case TermKind::kDefaultGraph:
      return "";
  }
  return "?";
}

std::vector<std::string> Lines(const Dataset& dataset) {
  std::vector<std::string> lines;
  for (const Quad& q : dataset) {
    std::string line = Show(q.subject) + " " + Show(q.predicate) + " " + Show(q.object);
    if (q.graph.kind != TermKind::kDefaultGraph) line += " " + Show(q.graph);
    lines.push_back(line);
  }
  return lines;
}

std::vector<std::string> Convert(const json& expanded, const ToRdfOptions& options = {}) {
  auto result = ToRdf(expanded, options);
  EXPECT_TRUE(result.ok()) << result.status();
  if (!result.ok()) return {};
  return Lines(*result);
}

// The object of the single triple made from {"http://ex/p": value}.
std::string ObjectOf(const json& value, const ToRdfOptions& options = {}) {
  json doc = {{{"@id", "http://ex/s"}, {"http://ex/p", json::array({value})}}};
  auto result = ToRdf(doc, options);
  EXPECT_TRUE(result.ok()) << result.status();
  if (!result.ok() || result->size() != 1) return "<" + std::to_string(result->size()) + " quads>";
  return Show((*result)[0].object);
}

std::string Typed(const std::string& lexical, const std::string& xsd_type) {
  return "\"" + lexical + "\"^^<" + kXsd + xsd_type + ">";
}

TEST(ToRdfTest, EmptyDocument) {
  EXPECT_THAT(Convert(json::array()), IsEmpty());
  // A node with no properties makes no triple.
  EXPECT_THAT(Convert(json::parse(R"([{"@id": "http://ex/a"}])")), IsEmpty());
}

TEST(ToRdfTest, NodeWithTypesReferencesAndStrings) {
  const json doc = json::parse(R"([{
    "@id": "http://ex/a",
    "@type": ["http://ex/T", "http://ex/U"],
    "http://ex/knows": [{"@id": "http://ex/b"}, {"@id": "_:x"}],
    "http://ex/name": [{"@value": "Alice"}, {"@value": "Alicia", "@language": "es"}]
  }])");
  EXPECT_THAT(Convert(doc),
              UnorderedElementsAre("<http://ex/a> <" + std::string(kRdf) + "type> <http://ex/T>",
                                   "<http://ex/a> <" + std::string(kRdf) + "type> <http://ex/U>",
                                   "<http://ex/a> <http://ex/knows> <http://ex/b>",
                                   "<http://ex/a> <http://ex/knows> _:b0",
                                   "<http://ex/a> <http://ex/name> " + Typed("Alice", "string"),
                                   "<http://ex/a> <http://ex/name> \"Alicia\"@es"));
}

TEST(ToRdfTest, EmbeddedNodesGetBlankNodesAndMerge) {
  // The embedded node without @id is a fresh blank node; "_:x" used twice is one node, and its
  // two descriptions merge.
  const json doc = json::parse(R"([
    {"@id": "_:x", "http://ex/p": [{"@value": "one"}]},
    {"@id": "http://ex/a", "http://ex/q": [{"http://ex/r": [{"@id": "_:x"}]}]},
    {"@id": "_:x", "http://ex/p": [{"@value": "two"}]}
  ])");
  EXPECT_THAT(Convert(doc),
              UnorderedElementsAre("_:b0 <http://ex/p> " + Typed("one", "string"),
                                   "_:b0 <http://ex/p> " + Typed("two", "string"),
                                   "<http://ex/a> <http://ex/q> _:b1", "_:b1 <http://ex/r> _:b0"));
}

TEST(ToRdfTest, ReversePropertiesPointBack) {
  const json doc = json::parse(R"([{
    "@id": "http://ex/parent",
    "@reverse": {"http://ex/childOf": [{"@id": "http://ex/kid1"}, {"@id": "http://ex/kid2"}]}
  }])");
  EXPECT_THAT(Convert(doc), UnorderedElementsAre("<http://ex/kid1> <http://ex/childOf> "
                                                 "<http://ex/parent>",
                                                 "<http://ex/kid2> <http://ex/childOf> "
                                                 "<http://ex/parent>"));
}

TEST(ToRdfTest, NamedGraphsAndIncluded) {
  const json doc = json::parse(R"([{
    "@id": "http://ex/g",
    "http://ex/label": [{"@value": "graph"}],
    "@graph": [{"@id": "http://ex/a", "http://ex/p": [{"@id": "http://ex/b"}]}],
    "@included": [{"@id": "http://ex/c", "http://ex/p": [{"@id": "http://ex/d"}]}]
  }, {
    "@graph": [{"@id": "http://ex/e", "http://ex/p": [{"@id": "http://ex/f"}]}]
  }])");
  EXPECT_THAT(Convert(doc),
              UnorderedElementsAre("<http://ex/g> <http://ex/label> " + Typed("graph", "string"),
                                   "<http://ex/a> <http://ex/p> <http://ex/b> <http://ex/g>",
                                   "<http://ex/c> <http://ex/p> <http://ex/d>",
                                   "<http://ex/e> <http://ex/p> <http://ex/f> _:b0"));
}

TEST(ToRdfTest, Numbers) {
  EXPECT_EQ(ObjectOf({{"@value", 42}}), Typed("42", "integer"));
  EXPECT_EQ(ObjectOf({{"@value", -7}}), Typed("-7", "integer"));
  EXPECT_EQ(ObjectOf({{"@value", 18446744073709551615ULL}}),
            Typed("18446744073709551615", "integer"));
  // A float without fractional part below 1e21 is an integer, written exactly.
  EXPECT_EQ(ObjectOf({{"@value", 1.0}}), Typed("1", "integer"));
  EXPECT_EQ(ObjectOf({{"@value", -0.0}}), Typed("0", "integer"));
  EXPECT_EQ(ObjectOf({{"@value", 1e20}}), Typed("100000000000000000000", "integer"));
  EXPECT_EQ(ObjectOf({{"@value", 1152921504606846976.0}}), Typed("1152921504606846976", "integer"));
  // Fractions and huge values are doubles.
  EXPECT_EQ(ObjectOf({{"@value", 1.1}}), Typed("1.1E0", "double"));
  EXPECT_EQ(ObjectOf({{"@value", 5.3e6 + 0.5}}), Typed("5.3000005E6", "double"));
  EXPECT_EQ(ObjectOf({{"@value", 1e21}}), Typed("1.0E21", "double"));
  EXPECT_EQ(ObjectOf({{"@value", -2.5e-7}}), Typed("-2.5E-7", "double"));
  // xsd:double makes any number a double; other datatypes keep the number's form.
  EXPECT_EQ(ObjectOf({{"@value", 5300000}, {"@type", std::string(kXsd) + "double"}}),
            Typed("5.3E6", "double"));
  EXPECT_EQ(ObjectOf({{"@value", 0}, {"@type", std::string(kXsd) + "double"}}),
            Typed("0.0E0", "double"));
  EXPECT_EQ(ObjectOf({{"@value", 7}, {"@type", "http://ex/dt"}}), "\"7\"^^<http://ex/dt>");
  EXPECT_EQ(ObjectOf({{"@value", 2.5}, {"@type", std::string(kXsd) + "integer"}}),
            Typed("2.5E0", "integer"));
  // Strings typed as numbers are kept as they are.
  EXPECT_EQ(ObjectOf({{"@value", "1.10"}, {"@type", std::string(kXsd) + "double"}}),
            Typed("1.10", "double"));
}

TEST(ToRdfTest, FormatXsdDoubleMatchesToExponential15) {
  EXPECT_EQ(FormatXsdDouble(1.1), "1.1E0");
  EXPECT_EQ(FormatXsdDouble(5.3e6), "5.3E6");
  EXPECT_EQ(FormatXsdDouble(1.0), "1.0E0");
  EXPECT_EQ(FormatXsdDouble(-0.0), "0.0E0");
  EXPECT_EQ(FormatXsdDouble(0.1), "1.0E-1");
  EXPECT_EQ(FormatXsdDouble(123.456), "1.23456E2");
  EXPECT_EQ(FormatXsdDouble(1e-300), "1.0E-300");
  EXPECT_EQ(FormatXsdDouble(std::numeric_limits<double>::max()), "1.797693134862316E308");
  EXPECT_EQ(FormatXsdDouble(std::numeric_limits<double>::denorm_min()), "4.940656458412465E-324");
  // 16 significant digits, as toExponential(15): 0.1 + 0.2 needs 17 to round-trip.
  EXPECT_EQ(FormatXsdDouble(0.1 + 0.2), "3.0E-1");
  EXPECT_EQ(FormatXsdDouble(2.0 / 3.0), "6.666666666666666E-1");
  EXPECT_EQ(FormatXsdDouble(1.0000000000000025), "1.000000000000002E0");
  EXPECT_EQ(FormatXsdDouble(0.5000000000000125), "5.000000000000125E-1");
}

TEST(ToRdfTest, DoubleTiesRoundUp) {
  // Values whose exact decimal expansion has 17 significant digits ending in 5 lie halfway
  // between two 16-digit mantissas. ECMAScript rounds them up (away from zero); printf would
  // round to even. 1000000000000000.5 is exact in binary: "10000000000000005".
  EXPECT_EQ(FormatXsdDouble(1000000000000000.5), "1.000000000000001E15");
  EXPECT_EQ(FormatXsdDouble(-1000000000000000.5), "-1.000000000000001E15");
  // "99999999999999975" (exact: the fraction is 3/4): up to ...98.
  EXPECT_EQ(FormatXsdDouble(999999999999999.75), "9.999999999999998E14");
  // "10000000000000025" → up to ...03 (printf: ...02).
  EXPECT_EQ(FormatXsdDouble(1000000000000002.5), "1.000000000000003E15");
  // 16 digits only: no rounding at all.
  EXPECT_EQ(FormatXsdDouble(617283945061728.5), "6.172839450617285E14");
}

TEST(ToRdfTest, BooleansAndTypedStrings) {
  EXPECT_EQ(ObjectOf({{"@value", true}}), Typed("true", "boolean"));
  EXPECT_EQ(ObjectOf({{"@value", false}}), Typed("false", "boolean"));
  EXPECT_EQ(ObjectOf({{"@value", "2020-01-01"}, {"@type", std::string(kXsd) + "date"}}),
            Typed("2020-01-01", "date"));
  EXPECT_EQ(ObjectOf({{"@value", "x"}, {"@language", "en-US"}}), "\"x\"@en-US");
}

TEST(ToRdfTest, JsonLiterals) {
  const std::string rdf_json = std::string(kRdf) + "JSON";
  EXPECT_EQ(ObjectOf({{"@value", json::parse(R"({"b": [1.0, 2.50, "\u00e9"], "a": null})")},
                      {"@type", "@json"}}),
            "\"{\"a\":null,\"b\":[1,2.5,\"\u00e9\"]}\"^^<" + rdf_json + ">");
  EXPECT_EQ(ObjectOf({{"@value", nullptr}, {"@type", "@json"}}), "\"null\"^^<" + rdf_json + ">");
  EXPECT_EQ(ObjectOf({{"@value", true}, {"@type", "@json"}}), "\"true\"^^<" + rdf_json + ">");
  EXPECT_EQ(ObjectOf({{"@value", 1e30}, {"@type", "@json"}}), "\"1e+30\"^^<" + rdf_json + ">");
  EXPECT_EQ(ObjectOf({{"@value", json::array()}, {"@type", "@json"}}),
            "\"[]\"^^<" + rdf_json + ">");
}

TEST(ToRdfTest, Lists) {
  const json doc = json::parse(R"([{
    "@id": "http://ex/s",
    "http://ex/empty": [{"@list": []}],
    "http://ex/items": [{"@list": [{"@value": 1}, {"@id": "http://ex/o"},
                                   {"@list": [{"@value": true}]}]}]
  }])");
  const std::string first = std::string("<") + kRdf + "first>";
  const std::string rest = std::string("<") + kRdf + "rest>";
  const std::string nil = std::string("<") + kRdf + "nil>";
  EXPECT_THAT(Convert(doc),
              UnorderedElementsAre(
                  "<http://ex/s> <http://ex/empty> " + nil, "<http://ex/s> <http://ex/items> _:b0",
                  "_:b0 " + first + " " + Typed("1", "integer"), "_:b0 " + rest + " _:b1",
                  "_:b1 " + first + " <http://ex/o>", "_:b1 " + rest + " _:b2",
                  "_:b2 " + first + " _:b3", "_:b3 " + first + " " + Typed("true", "boolean"),
                  "_:b3 " + rest + " " + nil, "_:b2 " + rest + " " + nil));
}

TEST(ToRdfTest, ListItemsThatAreNotWellFormedKeepTheirCells) {
  const json doc = json::parse(R"([{
    "@id": "http://ex/s",
    "http://ex/items": [{"@list": [{"@id": "relative"}, {"@value": 2}]}]
  }])");
  const std::string first = std::string("<") + kRdf + "first>";
  const std::string rest = std::string("<") + kRdf + "rest>";
  EXPECT_THAT(Convert(doc),
              UnorderedElementsAre("<http://ex/s> <http://ex/items> _:b0", "_:b0 " + rest + " _:b1",
                                   "_:b1 " + first + " " + Typed("2", "integer"),
                                   "_:b1 " + rest + " <" + kRdf + "nil>"));
}

TEST(ToRdfTest, Directions) {
  const json value = {{"@value", "abc"}, {"@language", "en-US"}, {"@direction", "rtl"}};
  const json no_language = {{"@value", "abc"}, {"@direction", "ltr"}};
  EXPECT_EQ(ObjectOf(value), "\"abc\"@en-US");
  EXPECT_EQ(ObjectOf(no_language), Typed("abc", "string"));

  ToRdfOptions i18n;
  i18n.rdf_direction = RdfDirection::kI18nDatatype;
  EXPECT_EQ(ObjectOf(value, i18n), "\"abc\"^^<https://www.w3.org/ns/i18n#en-us_rtl>");
  EXPECT_EQ(ObjectOf(no_language, i18n), "\"abc\"^^<https://www.w3.org/ns/i18n#_ltr>");

  ToRdfOptions compound;
  compound.rdf_direction = RdfDirection::kCompoundLiteral;
  const json doc = {{{"@id", "http://ex/s"}, {"http://ex/p", json::array({value, no_language})}}};
  EXPECT_THAT(
      Convert(doc, compound),
      UnorderedElementsAre("<http://ex/s> <http://ex/p> _:b0",
                           "_:b0 <" + std::string(kRdf) + "value> " + Typed("abc", "string"),
                           "_:b0 <" + std::string(kRdf) + "language> " + Typed("en-us", "string"),
                           "_:b0 <" + std::string(kRdf) + "direction> " + Typed("rtl", "string"),
                           "<http://ex/s> <http://ex/p> _:b1",
                           "_:b1 <" + std::string(kRdf) + "value> " + Typed("abc", "string"),
                           "_:b1 <" + std::string(kRdf) + "direction> " + Typed("ltr", "string")));
}

TEST(ToRdfTest, IllFormedPartsAreDropped) {
  const json doc = json::parse(R"([
    {"@id": "http://ex/a b", "http://ex/p": [{"@value": "bad subject"}]},
    {"@id": "relative", "http://ex/p": [{"@value": "relative subject"}]},
    {"@id": "http://ex/s",
     "@type": ["http://ex/T", "http://in valid", "Relative"],
     "http://ex/a b": [{"@value": "bad predicate"}],
     "relative": [{"@value": "relative predicate"}],
     "http://ex/o": [{"@id": "http://ex/x y"}, {"@id": "rel"}, {"@id": "http://ex/ok"}],
     "http://ex/l": [{"@value": "x", "@language": "a b"}, {"@value": "y", "@language": "toolongtag"},
                     {"@value": "z", "@language": "en-1"}],
     "http://ex/t": [{"@value": "x", "@type": "http://ex/d t"}, {"@value": "y", "@type": "rel"}]},
    {"@id": "http://ex/invalid gn", "@graph": [{"@id": "http://ex/g1", "http://ex/p": [{"@id": "http://ex/g2"}]}]}
  ])");
  EXPECT_THAT(Convert(doc),
              UnorderedElementsAre("<http://ex/s> <" + std::string(kRdf) + "type> <http://ex/T>",
                                   "<http://ex/s> <http://ex/o> <http://ex/ok>",
                                   "<http://ex/s> <http://ex/l> \"z\"@en-1"));
}

TEST(ToRdfTest, NullIdDropsTheNodeButNotWhatItContains) {
  // Expansion leaves "@id": null for an @id that looks like a keyword.
  const json doc = json::parse(R"([{
    "@id": "http://ex/s",
    "http://ex/ignored": [{"@id": null}],
    "http://ex/kept": [{"@id": null, "http://ex/p": [{"@id": "http://ex/inner",
                                                      "http://ex/q": [{"@value": "v"}]}]}]
  }])");
  EXPECT_THAT(Convert(doc),
              UnorderedElementsAre("<http://ex/inner> <http://ex/q> " + Typed("v", "string")));
}

TEST(ToRdfTest, BlankNodePredicatesNeedGeneralizedRdf) {
  const json doc = json::parse(R"([{"@id": "http://ex/s", "_:p": [{"@value": "v"}]}])");
  EXPECT_THAT(Convert(doc), IsEmpty());
  ToRdfOptions generalized;
  generalized.produce_generalized_rdf = true;
  EXPECT_THAT(Convert(doc, generalized), ElementsAre("<http://ex/s> _:b0 " + Typed("v", "string")));
}

TEST(ToRdfTest, DuplicateTriplesAreRemoved) {
  const json doc = json::parse(R"([
    {"@id": "http://ex/s", "@type": ["http://ex/T", "http://ex/T"],
     "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": [{"@id": "http://ex/T"}],
     "http://ex/p": [{"@value": 1}, {"@value": 1.0}, {"@value": "1",
                     "@type": "http://www.w3.org/2001/XMLSchema#integer"},
                     {"@value": "a", "@index": "i"}, {"@value": "a"}]},
    {"@id": "http://ex/s", "http://ex/p": [{"@value": "a"}]}
  ])");
  EXPECT_THAT(Convert(doc),
              UnorderedElementsAre("<http://ex/s> <" + std::string(kRdf) + "type> <http://ex/T>",
                                   "<http://ex/s> <http://ex/p> " + Typed("1", "integer"),
                                   "<http://ex/s> <http://ex/p> " + Typed("a", "string")));
}

TEST(ToRdfTest, ManyDuplicatesUseTheSortingPath) {
  json values = json::array();
  for (int i = 0; i < 100; ++i) values.push_back({{"@value", i % 10}});
  const json doc = {{{"@id", "http://ex/s"}, {"http://ex/p", values}}};
  EXPECT_EQ(Convert(doc).size(), 10u);
}

TEST(ToRdfTest, ConflictingIndexes) {
  const json doc = json::parse(R"([
    {"@id": "http://ex/s", "@index": "a"},
    {"@id": "http://ex/s", "@index": "b"}
  ])");
  auto result = ToRdf(doc);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(JsonLdErrorCode(result.status()), "conflicting indexes");
  // The same index twice is fine.
  EXPECT_TRUE(ToRdf(json::parse(R"([{"@id": "http://ex/s", "@index": "a"},
                                      {"@id": "http://ex/s", "@index": "a"}])"))
                  .ok());
}

TEST(ToRdfTest, QuadLimit) {
  json values = json::array();
  for (int i = 0; i < 10; ++i) values.push_back({{"@value", i}});
  const json doc = {{{"@id", "http://ex/s"}, {"http://ex/p", values}}};
  ToRdfOptions options;
  options.max_quads = 10;
  EXPECT_TRUE(ToRdf(doc, options).ok());
  options.max_quads = 9;
  auto result = ToRdf(doc, options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(JsonLdErrorCode(result.status()), "work limit exceeded");

  // List cells count too.
  const json list_doc = {{{"@id", "http://ex/s"}, {"http://ex/p", {{{"@list", values}}}}}};
  options.max_quads = 20;
  EXPECT_FALSE(ToRdf(list_doc, options).ok());
  options.max_quads = 21;
  EXPECT_TRUE(ToRdf(list_doc, options).ok());
}

TEST(ToRdfTest, InputNotInExpandedFormIsAnErrorNotACrash) {
  for (const char* text : {R"([1])", R"(["x"])", R"([{"@id": 5}])", R"([{"@type": [1]}])",
                           R"([{"@id": "http://ex/s", "http://ex/p": ["x"]}])",
                           R"([{"@id": "http://ex/s", "http://ex/p": [{"@list": 3}]}])",
                           R"([{"@id": "http://ex/s", "@reverse": []}])",
                           R"([{"@id": "http://ex/s", "http://ex/p": [{"@value": {}}]}])",
                           R"([{"@id": "http://ex/s", "http://ex/p": [{"@value": "x",
                               "@direction": "up"}]}])"}) {
    auto result = ToRdf(json::parse(text));
    EXPECT_FALSE(result.ok()) << text;
    EXPECT_FALSE(JsonLdErrorCode(result.status()).empty()) << text << ": " << result.status();
  }
  // Free-floating values and lists have nowhere to go and are dropped.
  EXPECT_THAT(Convert(json::parse(R"([{"@value": "x"}, {"@list": [{"@id": "http://ex/a",
      "http://ex/p": [{"@id": "http://ex/b"}]}]}])")),
              ElementsAre("<http://ex/a> <http://ex/p> <http://ex/b>"));
}

TEST(ToRdfTest, DeepNestingIsALimitNotAStackOverflow) {
  json doc = {{"@id", "http://ex/leaf"}};
  for (int i = 0; i < 2000; ++i) doc = {{"http://ex/p", json::array({doc})}};
  auto result = ToRdf(doc);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kResourceExhausted);
}

TEST(ToRdfTest, WellFormedness) {
  EXPECT_TRUE(IsWellFormedIri("http://example.com/a"));
  EXPECT_TRUE(IsWellFormedIri("urn:x-y:z"));
  EXPECT_TRUE(IsWellFormedIri("tag:\xc3\xa9t\xc3\xa9"));
  EXPECT_FALSE(IsWellFormedIri(""));
  EXPECT_FALSE(IsWellFormedIri("relative/path"));
  EXPECT_FALSE(IsWellFormedIri("#frag"));
  EXPECT_FALSE(IsWellFormedIri("_:b0"));
  EXPECT_FALSE(IsWellFormedIri("1http://x"));
  EXPECT_FALSE(IsWellFormedIri("http://a b"));
  EXPECT_FALSE(IsWellFormedIri("http://a<b"));
  EXPECT_FALSE(IsWellFormedIri("http://a\\b"));
  EXPECT_TRUE(IsWellFormedIri("http://a/b#frag"));
  EXPECT_TRUE(IsWellFormedIri("http://a/%C3%A9"));
  EXPECT_FALSE(IsWellFormedIri("http://a/b##frag"));
  EXPECT_FALSE(IsWellFormedIri("http://a/b#x#y"));
  EXPECT_FALSE(IsWellFormedIri("http://a/%zz"));
  EXPECT_FALSE(IsWellFormedIri("http://a/%4"));
  EXPECT_TRUE(IsWellFormedLanguageTag("en"));
  EXPECT_TRUE(IsWellFormedLanguageTag("en-US"));
  EXPECT_TRUE(IsWellFormedLanguageTag("zh-Hant-TW"));
  EXPECT_TRUE(IsWellFormedLanguageTag("de-1996"));
  EXPECT_FALSE(IsWellFormedLanguageTag(""));
  EXPECT_FALSE(IsWellFormedLanguageTag("a b"));
  EXPECT_FALSE(IsWellFormedLanguageTag("1en"));
  EXPECT_FALSE(IsWellFormedLanguageTag("en-"));
  EXPECT_FALSE(IsWellFormedLanguageTag("en--US"));
  EXPECT_FALSE(IsWellFormedLanguageTag("abcdefghi"));
  EXPECT_FALSE(IsWellFormedLanguageTag("en-abcdefghi"));
}

// A typical signed credential (about 2 KB expanded) must convert in microseconds: this is a
// loose bound that only catches gross regressions (quadratic behaviour, needless copies of the
// document), not a benchmark.
TEST(ToRdfTest, CredentialConvertsQuickly) {
  const json doc = json::parse(R"([{
    "@id": "urn:uuid:3978344f-8596-4c3a-a978-8fcaba3903c5",
    "@type": ["https://www.w3.org/2018/credentials#VerifiableCredential",
              "https://example.org/examples#UniversityDegreeCredential"],
    "https://www.w3.org/2018/credentials#issuer": [{"@id": "did:example:76e12ec712ebc6f1c221ebfeb1f"}],
    "https://www.w3.org/2018/credentials#validFrom": [{"@value": "2010-01-01T19:23:24Z",
        "@type": "http://www.w3.org/2001/XMLSchema#dateTime"}],
    "https://schema.org/name": [{"@value": "Example University Degree", "@language": "en"}],
    "https://www.w3.org/2018/credentials#credentialSubject": [{
      "@id": "did:example:ebfeb1f712ebc6f1c276e12ec21",
      "https://example.org/examples#degree": [{
        "@type": ["https://example.org/examples#BachelorDegree"],
        "https://schema.org/name": [{"@value": "Bachelor of Science and Arts"}],
        "https://example.org/examples#gpa": [{"@value": 3.7}],
        "https://example.org/examples#credits": [{"@value": 120}]
      }]
    }],
    "https://www.w3.org/2018/credentials#credentialStatus": [{
      "@id": "https://example.com/credentials/status/3#94567",
      "@type": ["https://www.w3.org/ns/credentials/status#BitstringStatusListEntry"],
      "https://www.w3.org/ns/credentials/status#statusPurpose": [{"@value": "revocation"}],
      "https://www.w3.org/ns/credentials/status#statusListIndex": [{"@value": "94567"}],
      "https://www.w3.org/ns/credentials/status#statusListCredential": [{"@id": "https://example.com/credentials/status/3"}]
    }],
    "https://w3id.org/security#proof": [{"@graph": [{
      "@type": ["https://w3id.org/security#DataIntegrityProof"],
      "https://w3id.org/security#cryptosuite": [{"@value": "eddsa-rdfc-2022",
          "@type": "https://w3id.org/security#cryptosuiteString"}],
      "http://purl.org/dc/terms/created": [{"@value": "2021-11-13T18:19:39Z",
          "@type": "http://www.w3.org/2001/XMLSchema#dateTime"}],
      "https://w3id.org/security#verificationMethod": [{"@id": "https://example.edu/issuers/14#key-1"}],
      "https://w3id.org/security#proofPurpose": [{"@id": "https://w3id.org/security#assertionMethod"}]
    }]}]
  }])");
  auto result = ToRdf(doc);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->size(), 22u);
  if (!traceport::testing::kTimingIsMeaningful) GTEST_SKIP() << "timing: unoptimised build";
  constexpr int kRounds = 2000;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kRounds; ++i) {
    auto again = ToRdf(doc);
    ASSERT_TRUE(again.ok());
  }
  const auto per_call = (std::chrono::steady_clock::now() - start) / kRounds;
  // Generous for a shared machine.
  EXPECT_LT(std::chrono::duration_cast<std::chrono::microseconds>(per_call).count(), 500);
}

}  // namespace
}  // namespace traceport::jsonld
