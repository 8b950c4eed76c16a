#include "vc/schema.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "codec/json.h"
#include "common/testing/conformance.h"

namespace traceport::vc {
namespace {

using ::nlohmann::json;
using ::testing::HasSubstr;

const std::filesystem::path kSourceDir = TRACEPORT_SOURCE_DIR;

const SchemaRegistry& Builtins() {
  static const SchemaRegistry* registry = [] {
    auto r = SchemaRegistry::WithBuiltins();
    if (!r.ok()) {
      ADD_FAILURE() << r.status();
      return new SchemaRegistry();
    }
    return new SchemaRegistry(std::move(r).value());
  }();
  return *registry;
}

json Example(const std::string& type) {
  auto text = testing::ReadFile(kSourceDir / "src/vc/testdata/schemas" / (type + ".json"));
  EXPECT_TRUE(text.ok()) << text.status();
  if (!text.ok()) return json();
  auto parsed = codec::ParseJson(*text);
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  return parsed.ok() ? *parsed : json();
}

std::string Describe(const std::vector<Problem>& problems) {
  std::string s;
  for (const Problem& p : problems) s += "\n  [" + p.pointer + "] " + p.message;
  return s.empty() ? " (none)" : s;
}

// True when some problem is at `pointer` and names `keyword`.
bool Has(const std::vector<Problem>& problems, const std::string& pointer,
         const std::string& keyword) {
  return std::any_of(problems.begin(), problems.end(), [&](const Problem& p) {
    return p.pointer == pointer && p.message.rfind(keyword + ": ", 0) == 0;
  });
}

#define EXPECT_PROBLEM(problems, pointer, keyword)                                                 \
  EXPECT_TRUE(Has(problems, pointer, keyword)) << "expected a \"" << keyword << "\" problem at \"" \
                                               << pointer << "\"; got" << Describe(problems)

#define EXPECT_VALID(problems) EXPECT_TRUE((problems).empty()) << Describe(problems)

// A registry holding `schemas`, each of which must be accepted.
SchemaRegistry RegistryOf(const std::vector<json>& schemas) {
  SchemaRegistry r;
  for (const json& s : schemas) {
    Status st = r.Add(s);
    EXPECT_TRUE(st.ok()) << st << "\n" << s.dump();
  }
  return r;
}

std::vector<Problem> Validate(const json& schema, const json& instance) {
  SchemaRegistry r = RegistryOf({schema});
  return ValidateAgainstSchema(instance, schema["$id"].get<std::string>(), r);
}

json Modern(json schema) {
  schema["$schema"] = kJsonSchemaDraft202012;
  if (!schema.contains("$id")) schema["$id"] = "https://test.example/s.json";
  return schema;
}

json Draft7(json schema) {
  schema["$schema"] = kJsonSchemaDraft07;
  if (!schema.contains("$id")) schema["$id"] = "https://test.example/s.json";
  return schema;
}

// ----- registry ------------------------------------------------------------------------------

TEST(SchemaRegistryTest, BuiltinsLoadAndCompile) {
  auto registry = SchemaRegistry::WithBuiltins();
  ASSERT_TRUE(registry.ok()) << registry.status();
  EXPECT_THAT(registry->Ids(),
              ::testing::UnorderedElementsAre(
                  kTradeCommonSchemaId, kVerifiableCredentialSchemaId, kMillTestReportSchemaId,
                  kSimaLicenseSchemaId, kCommercialInvoiceSchemaId, kPackingListSchemaId,
                  kBillOfLadingSchemaId, kUsmcaCertificationSchemaId, kPurchaseOrderSchemaId,
                  kCbpEntrySchemaId, kCbpEntrySummarySchemaId, kOilAndGasProductSchemaId,
                  kOilAndGasDeliveryTicketSchemaId, kDeliveryScheduleSchemaId,
                  kDeliveryStatementSchemaId, kMonthlyAdvanceManifestSchemaId,
                  kMonthlyAggregateDeliveryStatementSchemaId, kDoeImportAuthorizationSchemaId));
  EXPECT_TRUE(registry->CheckAll().ok()) << registry->CheckAll();
  for (const std::string& id : registry->Ids()) {
    const json* schema = registry->Find(id);
    ASSERT_NE(schema, nullptr);
    EXPECT_EQ((*schema)["$schema"], kJsonSchemaDraft202012) << id;
    EXPECT_TRUE(schema->contains("title")) << id;
  }
}

// The binary carries exactly the files of schemas/ (a stale build would differ).
TEST(SchemaRegistryTest, EmbeddedSchemasEqualSourceFiles) {
  std::map<std::string, std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(kSourceDir / "schemas")) {
    if (entry.path().extension() != ".json") continue;
    auto text = testing::ReadFile(entry.path());
    ASSERT_TRUE(text.ok()) << text.status();
    files[entry.path().filename().string()] = *text;
  }
  std::map<std::string, std::string> embedded;
  for (const EmbeddedSchema& e : EmbeddedSchemas()) embedded[std::string(e.file)] = e.text;
  EXPECT_EQ(embedded, files);
  EXPECT_EQ(EmbeddedSchemas().size(), 18u);
}

TEST(SchemaRegistryTest, AddRejectsMalformedSchemas) {
  SchemaRegistry r;
  EXPECT_EQ(r.Add(json::array()).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.Add(json{{"type", "object"}}).code(), StatusCode::kInvalidArgument);  // no $id
  EXPECT_EQ(r.Add(json{{"$id", "schemas/x.json"}}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.Add(json{{"$id", "https://x.example/a.json#frag"}}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(r.Add(json{{"$id", "https://x.example/a.json"},
                       {"$schema", "http://json-schema.org/draft-04/schema#"}})
                .code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(r.Add(Modern({{"properties", {{"a", 5}}}})).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.Add(Modern({{"pattern", "(unclosed"}})).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.Add(Modern({{"patternProperties", {{"[z-a]", true}}}})).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(r.Add(Modern({{"$ref", 7}})).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.Add(Modern({{"$traceport-pattern", "x"}})).code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(r.Ids().empty());
}

TEST(SchemaRegistryTest, AcceptsBothSpellingsOfTheDialects) {
  SchemaRegistry r;
  EXPECT_TRUE(r.Add({{"$id", "https://x.example/1"}, {"$schema", kJsonSchemaDraft07}}).ok());
  EXPECT_TRUE(
      r.Add({{"$id", "https://x.example/2"}, {"$schema", "http://json-schema.org/draft-07/schema"}})
          .ok());
  EXPECT_TRUE(r.Add({{"$id", "https://x.example/3"}, {"$schema", kJsonSchemaDraft202012}}).ok());
  EXPECT_TRUE(r.Add({{"$id", "https://x.example/4"},
                     {"$schema", "https://json-schema.org/draft/2020-12/schema#"}})
                  .ok());
  EXPECT_TRUE(r.Add({{"$id", "https://x.example/5"}}).ok());  // no $schema: draft 07
  EXPECT_EQ(r.Add({{"$id", "https://x.example/6"}, {"$schema", 7}}).code(),
            StatusCode::kInvalidArgument);
}

TEST(SchemaRegistryTest, AddRejectsDuplicateIds) {
  SchemaRegistry r;
  ASSERT_TRUE(r.Add(Modern({{"$id", "https://x.example/a.json"}})).ok());
  EXPECT_EQ(r.Add(Modern({{"$id", "https://x.example/a.json"}})).code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(r.Add(Modern({{"$id", "https://x.example/a.json#"}})).code(),
            StatusCode::kAlreadyExists);
  // An embedded resource may not take a registered $id either.
  EXPECT_EQ(
      r.Add(Modern({{"$id", "https://x.example/b.json"}, {"$defs", {{"x", {{"$id", "a.json"}}}}}}))
          .code(),
      StatusCode::kAlreadyExists);
  EXPECT_EQ(r.Ids(), std::vector<std::string>{"https://x.example/a.json"});
}

// Keywords valijson would silently ignore are refused, not dropped.
TEST(SchemaRegistryTest, AddRefusesUnsupported202012Keywords) {
  SchemaRegistry r;
  const json unsupported[] = {
      Modern({{"$dynamicRef", "#node"}}),
      Modern({{"$recursiveRef", "#"}}),
      Modern({{"contains", {{"type", "string"}}}, {"minContains", 2}}),
      Modern({{"properties", {{"a", {{"maxContains", 1}}}}}}),
      Modern({{"allOf", {{{"properties", {{"a", true}}}}}}, {"unevaluatedProperties", false}}),
      Modern({{"$ref", "#/$defs/x"}, {"$defs", {{"x", true}}}, {"unevaluatedProperties", false}}),
      Modern({{"prefixItems", {true}}, {"anyOf", {true}}, {"unevaluatedItems", false}}),
      Modern({{"$defs", {{"x", {{"$schema", kJsonSchemaDraft07}}}}}}),
  };
  for (const json& s : unsupported) {
    Status st = r.Add(s);
    EXPECT_EQ(st.code(), StatusCode::kUnimplemented) << s.dump() << " -> " << st;
  }
  // Draft 07 has no such keywords: they are unknown keywords there and ignored, as the
  // specification says.
  EXPECT_TRUE(r.Add(Draft7({{"minContains", 2}, {"unevaluatedProperties", false}})).ok());
}

TEST(SchemaRegistryTest, CheckResolvesReferencesOnlyFromTheRegistry) {
  SchemaRegistry r;
  ASSERT_TRUE(r.Add(Modern({{"$id", "https://x.example/root.json"},
                            {"$ref", "https://x.example/other.json"}}))
                  .ok());
  Status st = r.Check("https://x.example/root.json");
  EXPECT_EQ(st.code(), StatusCode::kNotFound);
  EXPECT_THAT(std::string(st.message()), HasSubstr("never fetched"));
  std::vector<Problem> problems =
      ValidateAgainstSchema(json::object(), "https://x.example/root.json", r);
  ASSERT_EQ(problems.size(), 1u) << Describe(problems);
  EXPECT_EQ(problems[0].pointer, "");
  EXPECT_THAT(problems[0].message, HasSubstr("cannot be used"));

  // Adding the target completes the reference (compiled schemas are not cached stale).
  ASSERT_TRUE(r.Add(Modern({{"$id", "https://x.example/other.json"}, {"type", "string"}})).ok());
  EXPECT_TRUE(r.Check("https://x.example/root.json").ok());
  EXPECT_PROBLEM(ValidateAgainstSchema(json::object(), "https://x.example/root.json", r), "",
                 "type");
  EXPECT_VALID(ValidateAgainstSchema("text", "https://x.example/root.json", r));
  EXPECT_EQ(r.Check("https://x.example/none.json").code(), StatusCode::kNotFound);
}

TEST(SchemaRegistryTest, CheckRejectsReferencesIntoNonSchemas) {
  SchemaRegistry r =
      RegistryOf({Modern({{"$ref", "#/properties"}, {"properties", {{"a", true}}}})});
  EXPECT_EQ(r.Check("https://test.example/s.json").code(), StatusCode::kInvalidArgument);
  SchemaRegistry r2 = RegistryOf({Modern({{"$ref", "#missing-anchor"}})});
  EXPECT_EQ(r2.Check("https://test.example/s.json").code(), StatusCode::kNotFound);
}

// ----- ValidateAgainstSchema -----------------------------------------------------------------

TEST(SchemaValidateTest, UnknownSchemaIsOneProblem) {
  SchemaRegistry r;
  std::vector<Problem> problems = ValidateAgainstSchema(json::object(), "https://nowhere/x", r);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].pointer, "");
  EXPECT_THAT(problems[0].message, HasSubstr("https://nowhere/x is not registered"));
}

TEST(SchemaValidateTest, ReportsEveryErrorWithPointerAndKeyword) {
  const json schema = Modern({{"type", "object"},
                              {"required", {"name", "lines"}},
                              {"additionalProperties", false},
                              {"properties",
                               {{"name", {{"type", "string"}, {"minLength", 3}}},
                                {"count", {{"type", "integer"}, {"maximum", 10}}},
                                {"lines",
                                 {{"type", "array"},
                                  {"items",
                                   {{"type", "object"},
                                    {"required", {"sku"}},
                                    {"properties", {{"sku", {{"pattern", "^[A-Z]+$"}}}}}}}}}}}});
  const json instance = {{"name", "ab"},
                         {"count", 11},
                         {"extra", true},
                         {"lines", {{{"sku", "ABC"}}, {{"sku", "abc"}}, json::object()}}};
  std::vector<Problem> problems = Validate(schema, instance);
  EXPECT_PROBLEM(problems, "/name", "minLength");
  EXPECT_PROBLEM(problems, "/count", "maximum");
  EXPECT_PROBLEM(problems, "/extra", "additionalProperties");
  EXPECT_PROBLEM(problems, "/lines/1/sku", "pattern");
  EXPECT_PROBLEM(problems, "/lines/2", "required");
  // Wrappers that only say "property X failed" are left out when a deeper error explains them.
  EXPECT_EQ(problems.size(), 5u) << Describe(problems);
  EXPECT_VALID(Validate(schema, json{{"name", "abc"}, {"lines", json::array()}}));
}

TEST(SchemaValidateTest, MessagesNameTheMissingOrUnexpectedProperty) {
  const json schema = Modern({{"required", {"heatNumber"}},
                              {"properties", {{"a", true}}},
                              {"additionalProperties", false}});
  std::vector<Problem> problems = Validate(schema, json{{"b", 1}});
  ASSERT_EQ(problems.size(), 2u) << Describe(problems);
  EXPECT_THAT(Describe(problems), HasSubstr("[] required: missing required property 'heatNumber'"));
  EXPECT_THAT(Describe(problems), HasSubstr("[/b] additionalProperties: property 'b'"));
}

TEST(SchemaValidateTest, PointersAreEscapedAndIndicesDistinguishedFromKeys) {
  const json schema = Modern({{"properties",
                               {{"a/b~c", {{"type", "string"}}},
                                {"obj", {{"properties", {{"0", {{"type", "string"}}}}}}},
                                {"arr", {{"items", {{"type", "string"}}}}}}}});
  std::vector<Problem> problems =
      Validate(schema, json{{"a/b~c", 1}, {"obj", {{"0", 1}}}, {"arr", {"x", 2}}});
  EXPECT_PROBLEM(problems, "/a~1b~0c", "type");
  EXPECT_PROBLEM(problems, "/obj/0", "type");
  EXPECT_PROBLEM(problems, "/arr/1", "type");
  EXPECT_EQ(problems.size(), 3u) << Describe(problems);
}

TEST(SchemaValidateTest, FalseSubschemaStillReported) {
  std::vector<Problem> problems = Validate(Modern({{"properties", {{"a", false}}}}), {{"a", 1}});
  ASSERT_EQ(problems.size(), 1u) << Describe(problems);
  EXPECT_THAT(problems[0].message, HasSubstr("'a'"));
  EXPECT_FALSE(Validate(Modern({{"not", true}}), 1).empty());
}

TEST(SchemaValidateTest, CombinatorsReportTheirKeyword) {
  const json any_of = Modern({{"anyOf", {{{"type", "string"}}, {{"type", "integer"}}}}});
  EXPECT_PROBLEM(Validate(any_of, 1.5), "", "anyOf");
  EXPECT_VALID(Validate(any_of, 7));
  const json one_of = Modern({{"oneOf", {{{"minimum", 0}}, {{"maximum", 10}}}}});
  EXPECT_PROBLEM(Validate(one_of, 5), "", "oneOf");
  EXPECT_VALID(Validate(one_of, 50));
  EXPECT_PROBLEM(Validate(Modern({{"not", {{"type", "string"}}}}), "x"), "", "not");
  EXPECT_PROBLEM(Validate(Modern({{"enum", {"a", "b"}}}), "c"), "", "enum");
  EXPECT_PROBLEM(Validate(Modern({{"const", {1, 2}}}), json{1, 3}), "", "const");
  EXPECT_PROBLEM(Validate(Modern({{"uniqueItems", true}}), json{1, 1}), "", "uniqueItems");
  EXPECT_PROBLEM(Validate(Modern({{"contains", {{"const", 3}}}}), json{1, 2}), "", "contains");
  EXPECT_PROBLEM(Validate(Modern({{"multipleOf", 5}}), 12), "", "multipleOf");
  EXPECT_PROBLEM(Validate(Modern({{"exclusiveMinimum", 5}}), 5), "", "exclusiveMinimum");
  EXPECT_PROBLEM(Validate(Modern({{"maxProperties", 1}}), json{{"a", 1}, {"b", 2}}), "",
                 "maxProperties");
}

// Since 2019-09, keywords beside $ref apply; in draft 07 they are ignored.
TEST(SchemaValidateTest, RefSiblingsApplyIn202012Only) {
  const json defs = {{"positive", {{"type", "integer"}, {"minimum", 1}}}};
  const json modern = Modern({{"$ref", "#/$defs/positive"}, {"maximum", 10}, {"$defs", defs}});
  EXPECT_VALID(Validate(modern, 5));
  EXPECT_PROBLEM(Validate(modern, 11), "", "maximum");
  EXPECT_PROBLEM(Validate(modern, 0), "", "minimum");
  const json draft7 =
      Draft7({{"$ref", "#/definitions/positive"}, {"maximum", 10}, {"definitions", defs}});
  EXPECT_VALID(Validate(draft7, 11));
  EXPECT_PROBLEM(Validate(draft7, 0), "", "minimum");
}

TEST(SchemaValidateTest, PrefixItemsAndItems) {
  const json schema = Modern({{"type", "array"},
                              {"prefixItems", {{{"const", "head"}}, {{"type", "integer"}}}},
                              {"items", {{"type", "string"}}}});
  EXPECT_VALID(Validate(schema, json{"head", 1, "x", "y"}));
  EXPECT_VALID(Validate(schema, json{"head"}));
  std::vector<Problem> problems = Validate(schema, json{"tail", "1", "x", 4});
  EXPECT_PROBLEM(problems, "/0", "const");
  EXPECT_PROBLEM(problems, "/1", "type");
  EXPECT_PROBLEM(problems, "/3", "type");
  EXPECT_EQ(problems.size(), 3u) << Describe(problems);
  // prefixItems alone leaves further items unconstrained.
  EXPECT_VALID(Validate(Modern({{"prefixItems", {{{"type", "integer"}}}}}), json{1, "x"}));
}

TEST(SchemaValidateTest, DependentRequiredAndDependentSchemas) {
  const json schema =
      Modern({{"dependentRequired", {{"billOfLadingNumber", {"carrier"}}}},
              {"dependentSchemas",
               {{"blanketPeriod", {{"required", {"certifier"}}}},
                {"billOfLadingNumber", {{"properties", {{"carrier", {{"type", "string"}}}}}}}}}});
  EXPECT_VALID(Validate(schema, json{{"carrier", "x"}}));
  EXPECT_PROBLEM(Validate(schema, json{{"billOfLadingNumber", "B1"}}), "", "required");
  EXPECT_PROBLEM(Validate(schema, json{{"billOfLadingNumber", "B1"}, {"carrier", 1}}), "/carrier",
                 "type");
  EXPECT_PROBLEM(Validate(schema, json{{"blanketPeriod", 1}}), "", "required");
  const json only_required = Modern({{"dependentRequired", {{"a", {"b"}}}}});
  EXPECT_PROBLEM(Validate(only_required, json{{"a", 1}}), "", "dependentRequired");
}

TEST(SchemaValidateTest, UnevaluatedWithoutApplicatorsActsAsAdditional) {
  const json props = Modern({{"properties", {{"a", true}}},
                             {"patternProperties", {{"^x-", true}}},
                             {"unevaluatedProperties", {{"type", "integer"}}}});
  EXPECT_VALID(Validate(props, json{{"a", "s"}, {"x-y", "s"}, {"b", 1}}));
  EXPECT_PROBLEM(Validate(props, json{{"b", "s"}}), "/b", "type");
  const json items = Modern({{"prefixItems", {{{"type", "string"}}}}, {"unevaluatedItems", false}});
  EXPECT_VALID(Validate(items, json{"a"}));
  EXPECT_FALSE(Validate(items, json{"a", "b"}).empty());
  const json all_items = Modern({{"unevaluatedItems", {{"type", "string"}}}});
  EXPECT_PROBLEM(Validate(all_items, json{"a", 2}), "/1", "type");
}

TEST(SchemaValidateTest, ReferencesAcrossDocumentsAnchorsAndEmbeddedResources) {
  SchemaRegistry r =
      RegistryOf({Modern({{"$id", "https://x.example/common/v1.json"},
                          {"$defs",
                           {{"Code", {{"type", "string"}, {"pattern", "^[A-Z]{2}$"}}},
                            {"Named", {{"$anchor", "named"}, {"required", {"name"}}}},
                            {"Embedded",
                             {{"$id", "https://x.example/embedded.json"},
                              {"$defs", {{"n", {{"type", "number"}}}}},
                              {"$ref", "#/$defs/n"}}}}}}),
                  Modern({{"$id", "https://x.example/doc/v1.json"},
                          {"properties",
                           {{"country", {{"$ref", "../common/v1.json#/$defs/Code"}}},
                            {"party", {{"$ref", "/common/v1.json#named"}}},
                            {"weight", {{"$ref", "https://x.example/embedded.json"}}}}}})});
  ASSERT_TRUE(r.CheckAll().ok()) << r.CheckAll();
  const std::string id = "https://x.example/doc/v1.json";
  EXPECT_VALID(ValidateAgainstSchema(
      json{{"country", "MX"}, {"party", {{"name", "A"}}}, {"weight", 1.5}}, id, r));
  std::vector<Problem> problems = ValidateAgainstSchema(
      json{{"country", "Mexico"}, {"party", json::object()}, {"weight", "1"}}, id, r);
  EXPECT_PROBLEM(problems, "/country", "pattern");
  EXPECT_PROBLEM(problems, "/party", "required");
  EXPECT_PROBLEM(problems, "/weight", "type");
}

TEST(SchemaValidateTest, RecursiveSchemas) {
  const json tree = Modern({{"type", "object"},
                            {"required", {"name"}},
                            {"properties",
                             {{"name", {{"type", "string"}}},
                              {"children", {{"type", "array"}, {"items", {{"$ref", "#"}}}}}}}});
  json instance = {{"name", "root"}};
  instance["children"] = {{{"name", "a"}, {"children", {{{"name", 3}}}}}};
  EXPECT_PROBLEM(Validate(tree, instance), "/children/0/children/0/name", "type");
}

TEST(SchemaValidateTest, FormatsAssertRfc3339OnStringsOnly) {
  const json schema = Modern({{"properties",
                               {{"at", {{"format", "date-time"}}},
                                {"on", {{"format", "date"}}},
                                {"time", {{"format", "time"}}},
                                {"mail", {{"format", "email"}}}}}});
  EXPECT_VALID(Validate(schema, json{{"at", "2026-02-28T23:59:59.5+05:30"},
                                     {"on", "2024-02-29"},
                                     {"time", "08:30:00Z"},
                                     {"mail", "not checked"}}));
  std::vector<Problem> problems = Validate(
      schema, json{{"at", "2026-02-30T00:00:00Z"}, {"on", "2023-02-29"}, {"time", "25:00:00Z"}});
  EXPECT_PROBLEM(problems, "/at", "format");
  EXPECT_PROBLEM(problems, "/on", "format");
  EXPECT_PROBLEM(problems, "/time", "format");
  EXPECT_PROBLEM(Validate(schema, json{{"at", "2026-01-01T00:00:00"}}), "/at", "format");
  EXPECT_PROBLEM(Validate(schema, json{{"on", "2026-1-01"}}), "/on", "format");
  // A format says nothing about non-strings (valijson itself would reject them).
  EXPECT_VALID(Validate(schema, json{{"at", 5}, {"on", nullptr}, {"time", json::object()}}));
}

TEST(SchemaValidateTest, PatternsFollowEcmaScriptOnCodePoints) {
  // Characters are code points, not bytes: three two-byte letters are three characters.
  const json three = Modern({{"pattern", "^.{3}$"}});
  EXPECT_VALID(Validate(three, "\u00f1\u00e1\u00e9"));
  EXPECT_PROBLEM(Validate(three, "\u00f1\u00e1"), "", "pattern");
  EXPECT_VALID(Validate(three, "a\U0001F600b"));  // one astral character between two letters
  // `$` is the end of the string only, never the place before a final newline.
  const json end = Modern({{"pattern", "^ab$"}});
  EXPECT_VALID(Validate(end, "ab"));
  EXPECT_PROBLEM(Validate(end, "ab\n"), "", "pattern");
  // `.` does not match CR or LF, as ECMAScript's does not.
  EXPECT_PROBLEM(Validate(Modern({{"pattern", "^a.b$"}}), "a\nb"), "", "pattern");
  EXPECT_PROBLEM(Validate(Modern({{"pattern", "^a.b$"}}), "a\rb"), "", "pattern");
  // ECMAScript escapes and classes: \uHHHH, \u{...}, [^] (any character), \d is ASCII only.
  EXPECT_VALID(Validate(Modern({{"pattern", "^\\u00e9\\u{1F600}$"}}), "\u00e9\U0001F600"));
  EXPECT_VALID(Validate(Modern({{"pattern", "^a[^]b$"}}), "a\nb"));
  EXPECT_PROBLEM(Validate(Modern({{"pattern", "^\\d$"}}), "\u0663"), "", "pattern");  // Arabic 3
  // Unicode properties and lookbehind, which std::regex lacked, compile and match.
  EXPECT_VALID(Validate(Modern({{"pattern", "^\\p{L}+$"}}), "Stra\u00dfe"));
  EXPECT_PROBLEM(Validate(Modern({{"pattern", "(?<!US)-01$"}}), "US-01"), "", "pattern");
  // Searched, not anchored.
  EXPECT_VALID(Validate(Modern({{"pattern", "[0-9]"}}), "heat 7"));
}

TEST(SchemaValidateTest, LongStringsAndRunawayPatternsFailWithAReason) {
  // Long strings are matched in full where the pattern allows (std::regex, used before,
  // overflowed its stack at 4,000 characters of this one).
  const json schema = Modern({{"pattern", "^(A|B)*$"}});
  EXPECT_VALID(Validate(schema, std::string(20000, 'A')));
  EXPECT_PROBLEM(Validate(schema, std::string(20000, 'A') + "C"), "", "pattern");
  EXPECT_VALID(Validate(Modern({{"pattern", "^[AB]*$"}}), std::string(1000000, 'A')));
  // A repeated group over a string too long for the matcher's stack and memory limits fails
  // with the reason, and takes neither long nor much memory.
  const auto long_start = std::chrono::steady_clock::now();
  std::vector<Problem> too_long = Validate(schema, std::string(200000, 'A'));
  ASSERT_EQ(too_long.size(), 1u) << Describe(too_long);
  EXPECT_THAT(too_long[0].message, HasSubstr("200000 bytes gave up"));
  EXPECT_LT(std::chrono::steady_clock::now() - long_start, std::chrono::seconds(5));
  // Exponential backtracking stops at the match limit and fails the keyword, quickly.
  const auto start = std::chrono::steady_clock::now();
  std::vector<Problem> problems =
      Validate(Modern({{"pattern", "^(a+)+$"}}), std::string(40, 'a') + "b");
  ASSERT_EQ(problems.size(), 1u) << Describe(problems);
  EXPECT_THAT(problems[0].message, HasSubstr("gave up at the backtracking limit"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  // A string that is not UTF-8 does not match (nlohmann keeps bytes as they were given).
  EXPECT_PROBLEM(Validate(Modern({{"pattern", "^.*$"}}), std::string("a\xff")), "", "pattern");
  // Property names matched by patternProperties (valijson's std::regex) stay bounded.
  const json names = Modern({{"patternProperties", {{"^x-(a|b)*$", {{"type", "string"}}}}}});
  std::vector<Problem> key_problems =
      Validate(names, json{{"ok", 1}, {"x-" + std::string(100000, 'a'), "v"}});
  ASSERT_EQ(key_problems.size(), 1u) << Describe(key_problems);
  EXPECT_THAT(key_problems[0].message, HasSubstr("patternProperties"));
  // valijson evaluates propertyNames without collecting errors: only the failure is known.
  EXPECT_PROBLEM(Validate(Modern({{"propertyNames", {{"pattern", "^[a-z]+$"}}}}), {{"A", 1}}), "",
                 "schema");
  EXPECT_VALID(Validate(Modern({{"propertyNames", {{"pattern", "^[a-z]+$"}}}}), {{"a", 1}}));
}

TEST(SchemaValidateTest, DeepInstancesAreRefusedNotRecursedInto) {
  json deep = 1;
  for (int i = 0; i < 200; ++i) deep = json::array({deep});
  std::vector<Problem> problems = Validate(Modern({{"type", "array"}}), deep);
  ASSERT_EQ(problems.size(), 1u) << Describe(problems);
  EXPECT_THAT(problems[0].message, HasSubstr("deeper than 128"));
}

// valijson reads integers through int64_t; larger unsigned ones must not wrap to negative.
TEST(SchemaValidateTest, HugeUnsignedIntegersDoNotWrap) {
  const json huge = std::numeric_limits<uint64_t>::max();
  EXPECT_PROBLEM(Validate(Modern({{"maximum", 10}}), huge), "", "maximum");
  EXPECT_VALID(Validate(Modern({{"minimum", 1}}), huge));
  EXPECT_PROBLEM(Validate(Modern({{"properties", {{"n", {{"maximum", 10}}}}}}), {{"n", huge}}),
                 "/n", "maximum");
  // Documented limitation: such a value is no longer taken for an integer.
  EXPECT_PROBLEM(Validate(Modern({{"type", "integer"}}), huge), "", "type");
  EXPECT_VALID(Validate(Modern({{"type", "integer"}, {"maximum", 10}}), 7u));
}

TEST(SchemaValidateTest, NeverThrowsOnOddInstances) {
  const json schema = Modern({{"type", "object"}, {"properties", {{"a", {{"format", "date"}}}}}});
  for (const json& instance :
       {json::binary({1, 2, 3}), json(json::value_t::discarded), json{{"a", json::binary({})}},
        json(1e308), json(-0.0), json(std::numeric_limits<uint64_t>::max())}) {
    EXPECT_NO_THROW({ (void)Validate(schema, instance); }) << instance.type_name();
  }
}

TEST(SchemaValidateTest, ConcurrentValidationSharesCompiledSchemas) {
  const SchemaRegistry& r = Builtins();
  const json good = Example("MillTestReportCredential");
  json bad = good;
  bad["credentialSubject"]["inspections"][0].erase("heatNumber");
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        if (!ValidateAgainstSchema(good, kMillTestReportSchemaId, r).empty()) ++mismatches;
        if (ValidateAgainstSchema(bad, kMillTestReportSchemaId, r).size() != 1) ++mismatches;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(mismatches.load(), 0);
}

// ----- the built-in schemas ------------------------------------------------------------------

struct Mutation {
  std::string name;
  std::function<void(json&)> apply;
  std::string pointer;
  std::string keyword;
};

struct BuiltinCase {
  std::string type;
  std::string_view schema_id;
  std::vector<Mutation> mutations;
};

json& Subject(json& vc) { return vc["credentialSubject"]; }

std::vector<BuiltinCase> BuiltinCases() {
  const std::string cs = "/credentialSubject";
  return {
      {"MillTestReportCredential",
       kMillTestReportSchemaId,
       {{"heat number missing", [](json& vc) { Subject(vc)["inspections"][0].erase("heatNumber"); },
         cs + "/inspections/0", "required"},
        {"chemistry as a float",
         [](json& vc) { Subject(vc)["inspections"][0]["chemicalComposition"]["c"] = 0.18; },
         cs + "/inspections/0/chemicalComposition/c", "type"},
        {"melt and pour country spelled out",
         [](json& vc) { Subject(vc)["inspections"][0]["countryOfMeltAndPour"] = "Mexico"; },
         cs + "/inspections/0/countryOfMeltAndPour", "pattern"},
        {"3.2 without countersignature",
         [](json& vc) { Subject(vc)["certification"] = "EN 10204 3.2"; }, cs, "required"},
        {"2.2 test report is not an inspection certificate",
         [](json& vc) { Subject(vc)["certification"] = "EN 10204 2.2"; }, cs + "/certification",
         "enum"},
        {"no inspections", [](json& vc) { Subject(vc)["inspections"] = json::array(); },
         cs + "/inspections", "minItems"},
        {"negative tensile strength",
         [](json& vc) {
           Subject(vc)["inspections"][0]["mechanicalProperties"]["tensile"]["value"] = "-505";
         },
         cs + "/inspections/0/mechanicalProperties/tensile/value", "pattern"},
        {"unknown subject member", [](json& vc) { Subject(vc)["millStamp"] = "x"; },
         cs + "/millStamp", "additionalProperties"}}},
      {"SIMASteelImportLicenseCredential",
       kSimaLicenseSchemaId,
       {{"licence validity end missing", [](json& vc) { vc.erase("validUntil"); }, "", "required"},
        {"weight in pounds",
         [](json& vc) { Subject(vc)["productInformation"][0]["weight"]["unitCode"] = "LBR"; },
         cs + "/productInformation/0/weight/unitCode", "const"},
        {"customs value in euros",
         [](json& vc) { Subject(vc)["productInformation"][0]["customsValue"]["currency"] = "EUR"; },
         cs + "/productInformation/0/customsValue/currency", "const"},
        {"6-digit HS code instead of 10-digit HTS",
         [](json& vc) {
           Subject(vc)["productInformation"][0]["commodity"]["commodityCode"] = "7208.51";
         },
         cs + "/productInformation/0/commodity/commodityCode", "pattern"},
        {"melt and pour missing",
         [](json& vc) { Subject(vc)["productInformation"][0].erase("countryOfMeltAndPour"); },
         cs + "/productInformation/0", "required"},
        {"malformed entry number", [](json& vc) { Subject(vc)["customsEntryNumber"] = "12345"; },
         cs + "/customsEntryNumber", "pattern"}}},
      {"CommercialInvoiceCredential",
       kCommercialInvoiceSchemaId,
       {{"amount as a float", [](json& vc) { Subject(vc)["totalPaymentDue"]["value"] = 31925.25; },
         cs + "/totalPaymentDue/value", "type"},
        {"amount with exponent",
         [](json& vc) { Subject(vc)["totalPaymentDue"]["value"] = "3.192525e4"; },
         cs + "/totalPaymentDue/value", "pattern"},
        {"currency missing",
         [](json& vc) { Subject(vc)["itemsShipped"][0]["lineItemTotalPrice"].erase("currency"); },
         cs + "/itemsShipped/0/lineItemTotalPrice", "required"},
        {"not an Incoterms rule", [](json& vc) { Subject(vc)["termsOfDelivery"] = "FOB Laredo"; },
         cs + "/termsOfDelivery", "enum"},
        {"invoice date with time",
         [](json& vc) { Subject(vc)["invoiceDate"] = "2026-03-03T10:00"; }, cs + "/invoiceDate",
         "format"},
        {"seller without name", [](json& vc) { Subject(vc)["seller"].erase("name"); },
         cs + "/seller", "required"}}},
      {"PackingListCredential",
       kPackingListSchemaId,
       {{"no items", [](json& vc) { Subject(vc)["items"] = json::array(); }, cs + "/items",
         "minItems"},
        {"negative gross weight",
         [](json& vc) { Subject(vc)["items"][0]["grossWeight"]["value"] = "-1"; },
         cs + "/items/0/grossWeight/value", "pattern"},
        {"fractional package count", [](json& vc) { Subject(vc)["totalNumberOfPackages"] = 12.5; },
         cs + "/totalNumberOfPackages", "type"},
        {"unit not a Rec 20 code",
         [](json& vc) { Subject(vc)["totalNetWeight"]["unitCode"] = "kilograms"; },
         cs + "/totalNetWeight/unitCode", "pattern"},
        {"ship-to party missing", [](json& vc) { Subject(vc).erase("shipToParty"); }, cs,
         "required"}}},
      {"MultiModalBillOfLadingCredential",
       kBillOfLadingSchemaId,
       {{"unknown transport mode",
         [](json& vc) { Subject(vc)["mainCarriageTransportMovement"]["modeOfTransport"] = "Sled"; },
         cs + "/mainCarriageTransportMovement/modeOfTransport", "enum"},
        {"port of loading with nothing to identify it",
         [](json& vc) {
           Subject(vc)["portOfLoading"] = {{"type", "Place"}};
         },
         cs + "/portOfLoading", "anyOf"},
        {"malformed UN/LOCODE", [](json& vc) { Subject(vc)["portOfLoading"]["unLocode"] = "MTY"; },
         cs + "/portOfLoading/unLocode", "pattern"},
        {"terms and conditions missing", [](json& vc) { Subject(vc).erase("termsAndConditions"); },
         cs, "required"},
        {"charge without amount",
         [](json& vc) { Subject(vc)["freightAndCharges"][0].erase("amount"); },
         cs + "/freightAndCharges/0", "required"}}},
      {"USMCACertificationOfOrigin",
       kUsmcaCertificationSchemaId,
       {{"origin criterion E", [](json& vc) { Subject(vc)["goods"][0]["originCriterion"] = "E"; },
         cs + "/goods/0/originCriterion", "enum"},
        {"HS classification shorter than 6 digits",
         [](json& vc) { Subject(vc)["goods"][0]["commodityCode"] = "7208"; },
         cs + "/goods/0/commodityCode", "pattern"},
        {"producer named and also 'various'",
         [](json& vc) { Subject(vc)["variousProducers"] = true; }, cs, "oneOf"},
        {"no producer at all", [](json& vc) { Subject(vc).erase("producerDetails"); }, cs, "oneOf"},
        {"importer neither named nor unknown",
         [](json& vc) { Subject(vc).erase("importerUnknown"); }, cs, "oneOf"},
        {"importer certifies without naming the exporter",
         [](json& vc) {
           Subject(vc)["certifierRole"] = "Importer";
           Subject(vc).erase("exporterDetails");
         },
         cs, "required"},
        {"certifier without email", [](json& vc) { Subject(vc)["certifier"].erase("email"); },
         cs + "/certifier", "required"},
        {"certification statement missing",
         [](json& vc) { Subject(vc).erase("certificationStatement"); }, cs, "required"},
        {"blanket period without end",
         [](json& vc) { Subject(vc)["blanketPeriod"].erase("endDate"); }, cs + "/blanketPeriod",
         "required"},
        {"origin country outside USMCA",
         [](json& vc) { Subject(vc)["goods"][0]["countryOfOrigin"] = "CN"; },
         cs + "/goods/0/countryOfOrigin", "enum"}}},
  };
}

TEST(SchemaBuiltinTest, ExamplesMatchTheirSchemaAndTheEnvelope) {
  const SchemaRegistry& r = Builtins();
  for (const BuiltinCase& c : BuiltinCases()) {
    SCOPED_TRACE(c.type);
    const json vc = Example(c.type);
    EXPECT_VALID(ValidateAgainstSchema(vc, c.schema_id, r));
    EXPECT_VALID(ValidateAgainstSchema(vc, kVerifiableCredentialSchemaId, r));
  }
}

TEST(SchemaBuiltinTest, MutationsFailWithTheExpectedPointer) {
  const SchemaRegistry& r = Builtins();
  for (const BuiltinCase& c : BuiltinCases()) {
    const json example = Example(c.type);
    for (const Mutation& m : c.mutations) {
      SCOPED_TRACE(c.type + ": " + m.name);
      json vc = example;
      m.apply(vc);
      EXPECT_PROBLEM(ValidateAgainstSchema(vc, c.schema_id, r), m.pointer, m.keyword);
    }
  }
}

TEST(SchemaBuiltinTest, ExampleFailsAnotherTypesSchema) {
  const SchemaRegistry& r = Builtins();
  std::vector<Problem> problems =
      ValidateAgainstSchema(Example("MillTestReportCredential"), kSimaLicenseSchemaId, r);
  EXPECT_PROBLEM(problems, "/type", "contains");
  EXPECT_PROBLEM(problems, "", "required");  // validUntil
}

TEST(SchemaBuiltinTest, EnvelopeChecksTheVcdm2Shape) {
  const SchemaRegistry& r = Builtins();
  const json example = Example("CommercialInvoiceCredential");
  struct EnvelopeCase {
    std::function<void(json&)> apply;
    std::string pointer, keyword;
  };
  const EnvelopeCase cases[] = {
      {[](json& vc) { vc["@context"][0] = "https://www.w3.org/2018/credentials/v1"; },
       "/@context/0", "const"},
      {[](json& vc) { vc["@context"] = "https://www.w3.org/ns/credentials/v2"; }, "/@context",
       "type"},
      {[](json& vc) { vc["type"] = {"CommercialInvoiceCredential"}; }, "/type", "contains"},
      {[](json& vc) { vc["validFrom"] = "2026-02-30T00:00:00Z"; }, "/validFrom", "format"},
      {[](json& vc) { vc["issuer"] = 42; }, "/issuer", "anyOf"},
      {[](json& vc) { vc["issuer"] = "not a uri"; }, "/issuer", "anyOf"},
      {[](json& vc) { vc.erase("credentialSubject"); }, "", "required"},
      {[](json& vc) {
         vc["credentialSchema"] = {{"id", "https://x.example/s.json"}};
       },
       "/credentialSchema", "anyOf"},
      {[](json& vc) { vc["credentialSubject"] = json::array(); }, "/credentialSubject", "anyOf"},
  };
  for (const EnvelopeCase& c : cases) {
    json vc = example;
    c.apply(vc);
    SCOPED_TRACE(vc.dump());
    EXPECT_PROBLEM(ValidateAgainstSchema(vc, kVerifiableCredentialSchemaId, r), c.pointer,
                   c.keyword);
    EXPECT_PROBLEM(ValidateAgainstSchema(vc, kCommercialInvoiceSchemaId, r), c.pointer, c.keyword);
  }
}

// ----- CheckCredentialSchemas ----------------------------------------------------------------

json WithSchemas(json vc, json credential_schema) {
  vc["credentialSchema"] = std::move(credential_schema);
  return vc;
}

json SchemaEntry(std::string_view id, std::string_view type) {
  return {{"id", id}, {"type", type}};
}

TEST(SchemaCheckTest, NoCredentialSchemaIsNotApplicable) {
  VerificationReport report;
  json vc = Example("PackingListCredential");
  CheckCredentialSchemas(vc, Builtins(), report);
  const Check* check = report.Find(kCheckSchema);
  ASSERT_NE(check, nullptr);
  EXPECT_EQ(check->status, CheckStatus::kSkipped);
  EXPECT_FALSE(check->required);
}

TEST(SchemaCheckTest, MatchingJsonSchemaPasses) {
  VerificationReport report;
  CheckCredentialSchemas(Example("MillTestReportCredential"), Builtins(), report);
  const Check* check = report.Find(kCheckSchema);
  ASSERT_NE(check, nullptr);
  EXPECT_EQ(check->status, CheckStatus::kPass) << check->reason;
  EXPECT_THAT(check->reason, HasSubstr(std::string(kMillTestReportSchemaId)));
  EXPECT_TRUE(report.verified());
  EXPECT_TRUE(report.problems().empty());
}

TEST(SchemaCheckTest, MismatchFailsWithProblems) {
  VerificationReport report;
  json vc = WithSchemas(Example("SIMASteelImportLicenseCredential"),
                        json::array({SchemaEntry(kVerifiableCredentialSchemaId, "JsonSchema"),
                                     SchemaEntry(kSimaLicenseSchemaId, "JsonSchema")}));
  vc["credentialSubject"]["productInformation"][0]["weight"]["unitCode"] = "LBR";
  CheckCredentialSchemas(vc, Builtins(), report);
  const Check* check = report.Find(kCheckSchema);
  ASSERT_NE(check, nullptr);
  EXPECT_EQ(check->status, CheckStatus::kFail);
  EXPECT_EQ(check->pointer, "/credentialSchema/1");
  EXPECT_FALSE(report.verified());
  ASSERT_EQ(report.problems().size(), 1u);
  EXPECT_EQ(report.problems()[0].pointer,
            "/credentialSubject/productInformation/0/weight/unitCode");
  EXPECT_THAT(report.problems()[0].message,
              HasSubstr("schema " + std::string(kSimaLicenseSchemaId) + ": const: "));
}

TEST(SchemaCheckTest, Vcdm11ValidatorTypeIsValidated) {
  VerificationReport report;
  json vc = WithSchemas(Example("PackingListCredential"),
                        SchemaEntry(kPackingListSchemaId, "JsonSchemaValidator2018"));
  CheckCredentialSchemas(vc, Builtins(), report);
  EXPECT_EQ(report.Find(kCheckSchema)->status, CheckStatus::kPass);
  vc["credentialSubject"].erase("items");
  VerificationReport failing;
  CheckCredentialSchemas(vc, Builtins(), failing);
  EXPECT_EQ(failing.Find(kCheckSchema)->status, CheckStatus::kFail);
}

TEST(SchemaCheckTest, JsonSchemaCredentialAndUnknownSchemasAreSkipped) {
  VerificationReport report;
  json vc = WithSchemas(
      Example("PackingListCredential"),
      json::array(
          {SchemaEntry("https://issuer.example/schemas/pl-credential", "JsonSchemaCredential"),
           SchemaEntry("https://issuer.example/schemas/pl.json", "JsonSchema")}));
  CheckCredentialSchemas(vc, Builtins(), report);
  const Check* check = report.Find(kCheckSchema);
  ASSERT_NE(check, nullptr);
  EXPECT_EQ(check->status, CheckStatus::kSkipped);
  EXPECT_FALSE(check->required);
  EXPECT_THAT(check->reason, HasSubstr("JsonSchemaCredential is not supported yet"));
  EXPECT_THAT(check->reason, HasSubstr("never fetched"));
  EXPECT_TRUE(report.problems().empty());

  // With one schema that could be checked, the check passes and still names what was skipped.
  vc["credentialSchema"].push_back(SchemaEntry(kPackingListSchemaId, "JsonSchema"));
  VerificationReport mixed;
  CheckCredentialSchemas(vc, Builtins(), mixed);
  EXPECT_EQ(mixed.Find(kCheckSchema)->status, CheckStatus::kPass);
  EXPECT_THAT(mixed.Find(kCheckSchema)->reason, HasSubstr("skipped: "));
}

TEST(SchemaCheckTest, MalformedCredentialSchemaFails) {
  const json base = Example("PackingListCredential");
  struct Case {
    json credential_schema;
    std::string check_pointer;    // the first failing entry
    std::string problem_pointer;  // a problem the report must hold
  };
  const Case cases[] = {
      {"https://x.example/s.json", "/credentialSchema", "/credentialSchema"},
      {json::array(), "/credentialSchema", "/credentialSchema"},
      {json::array({5}), "/credentialSchema/0", "/credentialSchema/0"},
      {{{"type", "JsonSchema"}}, "/credentialSchema", "/credentialSchema/id"},
      {{{"id", kPackingListSchemaId}, {"type", 3}}, "/credentialSchema", "/credentialSchema/type"},
      // The second entry has no type; the packing list schema (first entry) reports that too.
      {json::array({SchemaEntry(kPackingListSchemaId, "JsonSchema"), {{"id", "x:y"}}}),
       "/credentialSchema/0", "/credentialSchema/1/type"},
  };
  for (const Case& c : cases) {
    VerificationReport report;
    CheckCredentialSchemas(WithSchemas(base, c.credential_schema), Builtins(), report);
    const Check* check = report.Find(kCheckSchema);
    ASSERT_NE(check, nullptr);
    EXPECT_EQ(check->status, CheckStatus::kFail) << c.credential_schema.dump();
    EXPECT_EQ(check->pointer, c.check_pointer) << c.credential_schema.dump();
    EXPECT_TRUE(std::any_of(report.problems().begin(), report.problems().end(),
                            [&](const Problem& p) { return p.pointer == c.problem_pointer; }))
        << c.credential_schema.dump() << Describe(report.problems());
  }
  VerificationReport not_object;
  CheckCredentialSchemas(json::array(), Builtins(), not_object);
  EXPECT_EQ(not_object.Find(kCheckSchema)->status, CheckStatus::kFail);
}

// ----- customs document fixtures (src/customs/testdata/documents) -------------------------------

// Every document type a customs submission may hold, with its schema. The fixtures are one
// coherent steel shipment, one crude oil batch and one month of natural gas imports; the customs
// rules, provenance and demo build on them (see README.md in that directory).
struct DocumentType {
  std::string type;
  std::string_view schema_id;
};

const std::vector<DocumentType>& DocumentTypes() {
  static const std::vector<DocumentType> types = {
      {"PurchaseOrderCredential", kPurchaseOrderSchemaId},
      {"MillTestReportCredential", kMillTestReportSchemaId},
      {"SIMASteelImportLicenseCredential", kSimaLicenseSchemaId},
      {"CommercialInvoiceCredential", kCommercialInvoiceSchemaId},
      {"PackingListCredential", kPackingListSchemaId},
      {"MultiModalBillOfLadingCredential", kBillOfLadingSchemaId},
      {"USMCACertificationOfOrigin", kUsmcaCertificationSchemaId},
      {"CBP3461EntryCredential", kCbpEntrySchemaId},
      {"CBP7501EntrySummaryCredential", kCbpEntrySummarySchemaId},
      {"OilAndGasProductCredential", kOilAndGasProductSchemaId},
      {"OilAndGasDeliveryTicketCredential", kOilAndGasDeliveryTicketSchemaId},
      {"DeliveryScheduleCredential", kDeliveryScheduleSchemaId},
      {"DeliveryStatementCredential", kDeliveryStatementSchemaId},
      {"MonthlyAdvanceManifestCredential", kMonthlyAdvanceManifestSchemaId},
      {"MonthlyAggregateDeliveryStatementCredential", kMonthlyAggregateDeliveryStatementSchemaId},
      {"DOEImportAuthorizationCredential", kDoeImportAuthorizationSchemaId},
  };
  return types;
}

const std::filesystem::path kDocumentsDir = kSourceDir / "src/customs/testdata/documents";

json ReadDocument(const std::filesystem::path& path) {
  auto text = testing::ReadFile(path);
  EXPECT_TRUE(text.ok()) << path << ": " << text.status();
  if (!text.ok()) return json();
  auto parsed = codec::ParseJson(*text);
  EXPECT_TRUE(parsed.ok()) << path << ": " << parsed.status();
  return parsed.ok() ? *parsed : json();
}

// The example of `type`: <type>.json in the fixtures directory.
json Document(const std::string& type) { return ReadDocument(kDocumentsDir / (type + ".json")); }

TEST(SchemaDocumentsTest, EveryFixtureMatchesTheSchemaItNames) {
  const SchemaRegistry& r = Builtins();
  std::map<std::string, int> per_type;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(kDocumentsDir)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), DocumentTypes().size());
  for (const std::filesystem::path& file : files) {
    SCOPED_TRACE(file.filename().string());
    const json vc = ReadDocument(file);
    ASSERT_TRUE(vc.is_object());
    ASSERT_TRUE(vc["type"].is_array() && vc["type"].size() == 2 && vc["type"][1].is_string());
    const std::string type = vc["type"][1];
    const auto known = std::find_if(DocumentTypes().begin(), DocumentTypes().end(),
                                    [&](const DocumentType& d) { return d.type == type; });
    ASSERT_NE(known, DocumentTypes().end()) << "no schema for " << type;
    ++per_type[type];
    // The examples are unsigned credentials naming their schema, as an issuer would send them
    // to be signed.
    EXPECT_FALSE(vc.contains("proof"));
    EXPECT_EQ(vc.value("credentialSchema", json()),
              json({{"id", known->schema_id}, {"type", "JsonSchema"}}));
    EXPECT_VALID(ValidateAgainstSchema(vc, known->schema_id, r));
    EXPECT_VALID(ValidateAgainstSchema(vc, kVerifiableCredentialSchemaId, r));
    VerificationReport report;
    CheckCredentialSchemas(vc, r, report);
    const Check* check = report.Find(kCheckSchema);
    ASSERT_NE(check, nullptr);
    EXPECT_EQ(check->status, CheckStatus::kPass) << check->reason << Describe(report.problems());
  }
  for (const DocumentType& d : DocumentTypes()) {
    EXPECT_TRUE(std::filesystem::exists(kDocumentsDir / (d.type + ".json"))) << d.type;
    EXPECT_GE(per_type[d.type], 1) << d.type;
  }
  EXPECT_EQ(per_type["OilAndGasDeliveryTicketCredential"], 2);  // the batch's two tickets
}

std::vector<BuiltinCase> DocumentCases() {
  const std::string cs = "/credentialSubject";
  return {
      {"PurchaseOrderCredential",
       kPurchaseOrderSchemaId,
       {{"order number missing", [](json& vc) { Subject(vc).erase("purchaseOrderNumber"); }, cs,
         "required"},
        {"order date as a number", [](json& vc) { Subject(vc)["orderDate"] = 20261005; },
         cs + "/orderDate", "type"},
        {"unknown subject member", [](json& vc) { Subject(vc)["deliveryWindow"] = "week 47"; },
         cs + "/deliveryWindow", "additionalProperties"},
        {"no lines", [](json& vc) { Subject(vc)["itemsOrdered"] = json::array(); },
         cs + "/itemsOrdered", "minItems"},
        {"line without total",
         [](json& vc) { Subject(vc)["itemsOrdered"][0].erase("lineItemTotalPrice"); },
         cs + "/itemsOrdered/0", "required"},
        {"empty heat number list",
         [](json& vc) { Subject(vc)["itemsOrdered"][1]["heatNumbers"] = json::array(); },
         cs + "/itemsOrdered/1/heatNumbers", "minItems"}}},
      {"CommercialInvoiceCredential",
       kCommercialInvoiceSchemaId,
       {{"empty heat number list",
         [](json& vc) { Subject(vc)["itemsShipped"][0]["heatNumbers"] = json::array(); },
         cs + "/itemsShipped/0/heatNumbers", "minItems"},
        {"empty heat number",
         [](json& vc) { Subject(vc)["itemsShipped"][1]["heatNumbers"][0] = ""; },
         cs + "/itemsShipped/1/heatNumbers/0", "minLength"},
        {"heat numbers as a string",
         [](json& vc) { Subject(vc)["itemsShipped"][0]["heatNumbers"] = "H26-41873"; },
         cs + "/itemsShipped/0/heatNumbers", "type"}}},
      {"CBP3461EntryCredential",
       kCbpEntrySchemaId,
       {{"bill of lading missing", [](json& vc) { Subject(vc).erase("billOfLadingNumber"); }, cs,
         "required"},
        {"entry number hyphenated only once",
         [](json& vc) { Subject(vc)["entryNumber"] = "FR70412977-3"; }, cs + "/entryNumber",
         "pattern"},
        {"entry number with 6 digits",
         [](json& vc) { Subject(vc)["entryNumber"] = "FR7-412977-3"; }, cs + "/entryNumber",
         "pattern"},
        {"entry type as a number", [](json& vc) { Subject(vc)["entryType"] = 1; },
         cs + "/entryType", "enum"},
        {"port without its code",
         [](json& vc) {
           Subject(vc)["portOfEntry"] = {{"locationName", "Laredo, TX"}};
         },
         cs + "/portOfEntry", "required"},
        {"3-digit port code", [](json& vc) { Subject(vc)["portOfEntry"]["usPortCode"] = "230"; },
         cs + "/portOfEntry/usPortCode", "pattern"},
        {"importer of record without its number",
         [](json& vc) { Subject(vc)["importerOfRecord"].erase("taxId"); }, cs + "/importerOfRecord",
         "required"},
        {"6-digit HS code instead of 10-digit HTS",
         [](json& vc) { Subject(vc)["items"][0]["commodity"]["commodityCode"] = "7208.51"; },
         cs + "/items/0/commodity/commodityCode", "pattern"},
        {"quantity as a bare string",
         [](json& vc) { Subject(vc)["items"][0]["quantity"] = "17793.6"; },
         cs + "/items/0/quantity", "type"},
        {"unknown line member",
         [](json& vc) { Subject(vc)["items"][0]["heatNumbers"] = {"H26-41873"}; },
         cs + "/items/0/heatNumbers", "additionalProperties"}}},
      {"CBP7501EntrySummaryCredential",
       kCbpEntrySummarySchemaId,
       {{"import date missing", [](json& vc) { Subject(vc).erase("importDate"); }, cs, "required"},
        {"line number as a string",
         [](json& vc) { Subject(vc)["lineItems"][0]["lineNumber"] = "1"; },
         cs + "/lineItems/0/lineNumber", "type"},
        {"net quantity as a float",
         [](json& vc) { Subject(vc)["lineItems"][0]["netQuantity"]["value"] = 17793.6; },
         cs + "/lineItems/0/netQuantity/value", "type"},
        {"negative entered value",
         [](json& vc) { Subject(vc)["lineItems"][0]["enteredValue"]["value"] = "-18683.28"; },
         cs + "/lineItems/0/enteredValue/value", "pattern"},
        {"special program spelled out",
         [](json& vc) { Subject(vc)["lineItems"][0]["specialProgramIndicator"] = "USMCA"; },
         cs + "/lineItems/0/specialProgramIndicator", "pattern"},
        {"entered value missing",
         [](json& vc) { Subject(vc)["lineItems"][0].erase("enteredValue"); }, cs + "/lineItems/0",
         "required"},
        {"unknown subject member", [](json& vc) { Subject(vc)["heatNumbers"] = {"H26-41873"}; },
         cs + "/heatNumbers", "additionalProperties"}}},
      {"OilAndGasProductCredential",
       kOilAndGasProductSchemaId,
       {{"well identifier missing", [](json& vc) { Subject(vc).erase("UWI"); }, cs, "required"},
        {"API gravity as a float",
         [](json& vc) { Subject(vc)["observation"][0]["measurement"]["value"] = 31.5; },
         cs + "/observation/0/measurement/value", "type"},
        {"no observations", [](json& vc) { Subject(vc)["observation"] = json::array(); },
         cs + "/observation", "minItems"},
        {"product without name", [](json& vc) { Subject(vc)["product"].erase("name"); },
         cs + "/product", "required"},
        {"unknown subject member", [](json& vc) { Subject(vc)["wellName"] = "06-21"; },
         cs + "/wellName", "additionalProperties"}}},
      {"OilAndGasDeliveryTicketCredential",
       kOilAndGasDeliveryTicketSchemaId,
       {{"ticket number missing", [](json& vc) { Subject(vc).erase("ticketControlNumber"); }, cs,
         "required"},
        {"close time without a zone",
         [](json& vc) { Subject(vc)["closeDate"] = "2026-11-18 18:30:00"; }, cs + "/closeDate",
         "anyOf"},
        {"shipment month spelled out",
         [](json& vc) { Subject(vc)["notificationOfShipment"] = "Nov-26"; },
         cs + "/notificationOfShipment", "pattern"},
        {"batch number as a number", [](json& vc) { Subject(vc)["batchNumber"] = 417; },
         cs + "/batchNumber", "type"},
        {"unknown observation member",
         [](json& vc) { Subject(vc)["observation"][0]["unit"] = "bbl"; },
         cs + "/observation/0/unit", "additionalProperties"}}},
      {"DeliveryScheduleCredential",
       kDeliveryScheduleSchemaId,
       {{"scheduled volume missing", [](json& vc) { Subject(vc).erase("scheduledVolume"); }, cs,
         "required"},
        {"date in day/month/year", [](json& vc) { Subject(vc)["scheduledDate"] = "18/11/2026"; },
         cs + "/scheduledDate", "format"},
        {"unit not a Rec 20 code",
         [](json& vc) { Subject(vc)["scheduledVolume"]["unitCode"] = "barrels"; },
         cs + "/scheduledVolume/unitCode", "pattern"},
        {"transporter as a string",
         [](json& vc) { Subject(vc)["transporter"] = "Big Sky Crude Pipeline LP"; },
         cs + "/transporter", "type"},
        {"unknown subject member", [](json& vc) { Subject(vc)["pipelineName"] = "Big Sky"; },
         cs + "/pipelineName", "additionalProperties"}}},
      {"DeliveryStatementCredential",
       kDeliveryStatementSchemaId,
       {{"tickets missing", [](json& vc) { Subject(vc).erase("ticketControlNumbers"); }, cs,
         "required"},
        {"tickets as a string",
         [](json& vc) { Subject(vc)["ticketControlNumbers"] = "BSC-2026-118734"; },
         cs + "/ticketControlNumbers", "type"},
        {"ticket listed twice",
         [](json& vc) { Subject(vc)["ticketControlNumbers"][1] = "BSC-2026-118734"; },
         cs + "/ticketControlNumbers", "uniqueItems"},
        {"volume in cubic metres",
         [](json& vc) { Subject(vc)["deliveredVolume"]["unitCode"] = "MTQ"; },
         cs + "/deliveredVolume/unitCode", "const"},
        {"unknown subject member", [](json& vc) { Subject(vc)["tickets"] = json::array(); },
         cs + "/tickets", "additionalProperties"}}},
      {"MonthlyAdvanceManifestCredential",
       kMonthlyAdvanceManifestSchemaId,
       {{"DOE authorization missing", [](json& vc) { Subject(vc).erase("doeAuthorizationNumber"); },
         cs, "required"},
        {"month 13", [](json& vc) { Subject(vc)["month"] = "2026-13"; }, cs + "/month", "pattern"},
        {"full date instead of a month", [](json& vc) { Subject(vc)["month"] = "2026-10-01"; },
         cs + "/month", "pattern"},
        {"port code with a hyphen",
         [](json& vc) { Subject(vc)["scheduledDeliveries"][0]["portCode"] = "38-02"; },
         cs + "/scheduledDeliveries/0/portCode", "pattern"},
        {"gas volume in cubic metres",
         [](json& vc) {
           Subject(vc)["scheduledDeliveries"][1]["scheduledVolume"]["unitCode"] = "MTQ";
         },
         cs + "/scheduledDeliveries/1/scheduledVolume/unitCode", "const"},
        {"batch count as a string",
         [](json& vc) { Subject(vc)["scheduledDeliveries"][0]["numberOfBatches"] = "31"; },
         cs + "/scheduledDeliveries/0/numberOfBatches", "type"},
        {"unknown delivery member",
         [](json& vc) { Subject(vc)["scheduledDeliveries"][0]["nominations"] = 31; },
         cs + "/scheduledDeliveries/0/nominations", "additionalProperties"}}},
      {"MonthlyAggregateDeliveryStatementCredential",
       kMonthlyAggregateDeliveryStatementSchemaId,
       {{"aggregate missing", [](json& vc) { Subject(vc).erase("aggregateVolume"); }, cs,
         "required"},
        {"statement month as a date",
         [](json& vc) { Subject(vc)["statementMonth"] = "2026-10-31"; }, cs + "/statementMonth",
         "pattern"},
        {"port code as a number",
         [](json& vc) { Subject(vc)["itemsDelivered"][3]["portCode"] = 3801; },
         cs + "/itemsDelivered/3/portCode", "type"},
        {"delivery in cubic metres",
         [](json& vc) { Subject(vc)["itemsDelivered"][0]["deliveredVolume"]["unitCode"] = "MTQ"; },
         cs + "/itemsDelivered/0/deliveredVolume/unitCode", "const"},
        {"delivery without a date",
         [](json& vc) { Subject(vc)["itemsDelivered"][5].erase("deliveredDate"); },
         cs + "/itemsDelivered/5", "required"},
        {"unknown subject member", [](json& vc) { Subject(vc)["total"] = "2457060"; },
         cs + "/total", "additionalProperties"}}},
      {"DOEImportAuthorizationCredential",
       kDoeImportAuthorizationSchemaId,
       {{"volume limit missing", [](json& vc) { Subject(vc).erase("volumeLimit"); }, cs,
         "required"},
        {"commodity not gas", [](json& vc) { Subject(vc)["commodity"] = "crude oil"; },
         cs + "/commodity", "enum"},
        {"no source country", [](json& vc) { Subject(vc)["sourceCountries"] = json::array(); },
         cs + "/sourceCountries", "minItems"},
        {"source country spelled out",
         [](json& vc) { Subject(vc)["sourceCountries"][0] = "Canada"; }, cs + "/sourceCountries/0",
         "pattern"},
        {"start as a number", [](json& vc) { Subject(vc)["authorizationStart"] = 2025; },
         cs + "/authorizationStart", "type"},
        {"limit in cubic metres", [](json& vc) { Subject(vc)["volumeLimit"]["unitCode"] = "MTQ"; },
         cs + "/volumeLimit/unitCode", "const"},
        {"unknown subject member", [](json& vc) { Subject(vc)["docket"] = "25-118-NG"; },
         cs + "/docket", "additionalProperties"}}},
  };
}

TEST(SchemaDocumentsTest, MutationsFailWithThePointerOfTheProblem) {
  const SchemaRegistry& r = Builtins();
  for (const BuiltinCase& c : DocumentCases()) {
    const json example = Document(c.type);
    ASSERT_TRUE(ValidateAgainstSchema(example, c.schema_id, r).empty()) << c.type;
    for (const Mutation& m : c.mutations) {
      SCOPED_TRACE(c.type + ": " + m.name);
      json vc = example;
      m.apply(vc);
      EXPECT_PROBLEM(ValidateAgainstSchema(vc, c.schema_id, r), m.pointer, m.keyword);
    }
  }
}

TEST(SchemaDocumentsTest, EntryNumbersWithOrWithoutHyphens) {
  const SchemaRegistry& r = Builtins();
  for (const std::string& type :
       std::vector<std::string>{"CBP3461EntryCredential", "CBP7501EntrySummaryCredential"}) {
    SCOPED_TRACE(type);
    const std::string_view id =
        type == "CBP3461EntryCredential" ? kCbpEntrySchemaId : kCbpEntrySummarySchemaId;
    json vc = Document(type);
    for (const char* good : {"FR7-0412977-3", "FR704129773", "A1B-0000001-0"}) {
      vc["credentialSubject"]["entryNumber"] = good;
      EXPECT_VALID(ValidateAgainstSchema(vc, id, r)) << good;
    }
    for (const char* bad : {"FR7-0412977", "FR7041297733", "fr7-0412977-3", "FR7 0412977 3",
                            "FR7-0412977-X", "FR-70412977-3"}) {
      vc["credentialSubject"]["entryNumber"] = bad;
      EXPECT_PROBLEM(ValidateAgainstSchema(vc, id, r), "/credentialSubject/entryNumber", "pattern")
          << bad;
    }
  }
}

// A document valid for one type fails another type's schema (the credential and subject types
// are checked and the subject's own members are required), so a mislabelled credential cannot
// pass as something else.
TEST(SchemaDocumentsTest, FixtureFailsAnotherTypesSchema) {
  const SchemaRegistry& r = Builtins();
  std::vector<Problem> problems =
      ValidateAgainstSchema(Document("DeliveryStatementCredential"), kDeliveryScheduleSchemaId, r);
  EXPECT_PROBLEM(problems, "/type", "contains");
  EXPECT_PROBLEM(problems, "/credentialSubject", "required");
  EXPECT_PROBLEM(problems, "/credentialSubject/type", "enum");
}

}  // namespace
}  // namespace traceport::vc
