#include "vc/data_model.h"

#include <gtest/gtest.h>

#include <chrono>
#include <limits>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/time.h"

namespace traceport::vc {
namespace {

using ::nlohmann::json;

constexpr char kV1[] = "https://www.w3.org/2018/credentials/v1";
constexpr char kV2[] = "https://www.w3.org/ns/credentials/v2";
// The default "expected base context" phrase of context problems.
constexpr char kEither[] =
    "\"https://www.w3.org/ns/credentials/v2\" (VCDM 2.0) or "
    "\"https://www.w3.org/2018/credentials/v1\" (VCDM 1.1)";

// Problems as "pointer: message" lines, which read well in failure output.
std::vector<std::string> Lines(const std::vector<Problem>& problems) {
  std::vector<std::string> out;
  for (const Problem& p : problems) out.push_back(p.pointer + ": " + p.message);
  return out;
}

using Want = std::vector<std::string>;

json V2Credential() {
  return json::parse(R"({
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "type": ["VerifiableCredential"],
    "issuer": "did:example:issuer",
    "credentialSubject": {"id": "did:example:subject"}
  })");
}

json V1Credential() {
  return json::parse(R"({
    "@context": ["https://www.w3.org/2018/credentials/v1"],
    "type": ["VerifiableCredential"],
    "issuer": "https://issuer.example/1",
    "issuanceDate": "2010-01-01T19:23:24Z",
    "credentialSubject": {"id": "did:example:subject"}
  })");
}

json V2Presentation() {
  return json::parse(R"({
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "type": ["VerifiablePresentation"]
  })");
}

// Arrays holding one JSON value are spelled json::array({x}): a bare {x} copies x with Clang
// but makes an array with GCC.

// `document` with the value at `pointer` replaced (or added).
json With(json document, const char* pointer, json value) {
  document[json::json_pointer(pointer)] = std::move(value);
  return document;
}

json Without(json document, const char* member) {
  document.erase(member);
  return document;
}

Want Check(const json& credential, const ValidationOptions& options = {}) {
  return Lines(ValidateCredential(credential, options));
}

Want CheckVp(const json& presentation, const ValidationOptions& options = {}) {
  return Lines(ValidatePresentation(presentation, options));
}

// ---------------------------------------------------------------------------------------------

TEST(DataModelUrl, AcceptsAbsoluteUris) {
  for (const char* url : {
           "https://example.com",
           "http://example.com:8080/a/b?c=d&e=f#g",
           "HTTPS://EXAMPLE.COM/",
           "https://user@example.com/",
           "https://[::1]:8443/x",
           "https://example.com/%20space",
           "https://例え.jp/パス",
           "did:example:123",
           "did:key:z6MkpJySvETLnxhQG9DzEdmKJtysBDjuuTeDfUj1uNNCUqcj#z6Mk",
           "did:example:refresh/1",
           "urn:uuid:9c9a36f8-518f-4976-a934-6649502d0008",
           "data:application/vc+jwt,eyJhbGciOiJFUzI1NiJ9.eyJ2YyI6e319.c2ln",
           "data:image/png;base64,iVBORw0KGgo+/=",
           "mailto:someone@example.com",
           "tag:example.com,2024:thing",
           "file:///etc/hosts",
           "x:y",
       }) {
    EXPECT_TRUE(CheckAbsoluteUrl(url).ok()) << url << " -> " << CheckAbsoluteUrl(url);
  }
}

TEST(DataModelUrl, RejectsWithReasons) {
  struct Case {
    std::string in;
    std::string want;
  } cases[] = {
      {"", "the empty string is not a URL"},
      {"fake-issuer", "\"fake-issuer\" has no scheme"},
      {"z6MkpJySvETLnxhQG9DzEdmKJtysBDjuuTeDfUj1uNNCUqcj",
       "\"z6MkpJySvETLnxhQG9DzEdmKJtysBDjuuTeDfUj1uNNCUqcj\" has no scheme"},
      {"not a url", "\"not a url\" has no scheme"},
      {"1http://x", "\"1http://x\" does not start with a scheme (a letter)"},
      {"https ://x", "\"https ://x\" has a space at offset 5 in its scheme"},
      {"ht_tp://x", "\"ht_tp://x\" has '_' at offset 2 in its scheme"},
      {"https:", "\"https:\" has nothing after its scheme"},
      {"https://exa mple.com", "\"https://exa mple.com\" has a space at offset 11"},
      {"https://example.com/<x>", "\"https://example.com/<x>\" has '<' at offset 20"},
      {"https://example.com/\x01", "\"https://example.com/\\u0001\" has byte 0x01 at offset 20"},
      {"https://example.com/%zz",
       "\"https://example.com/%zz\" has a malformed percent escape at offset 20"},
      {"https://example.com/%2",
       "\"https://example.com/%2\" has a malformed percent escape at "
       "offset 20"},
      {"https://example.com/a#b#c", "\"https://example.com/a#b#c\" has a second '#' at offset 23"},
      {"https://example.com/[x]",
       "\"https://example.com/[x]\" has '[' at offset 20 outside the "
       "host"},
      {"https:///path", "\"https:///path\" has an empty host"},
      {"https://user@:443/", "\"https://user@:443/\" has an empty host"},
      {"http:example.com", "\"http:example.com\" has no '//' and host"},
      {"did:Example:123",
       "\"did:Example:123\" is not a valid DID URL: did: invalid method-name character 'E' at "
       "offset 4"},
  };
  for (const auto& c : cases) {
    const Status s = CheckAbsoluteUrl(c.in);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.in;
    EXPECT_EQ(s.message(), c.want) << c.in;
  }
}

TEST(DataModelUrl, QuotesLongValuesShortAndAscii) {
  const std::string long_value = "no-scheme-" + std::string(200, 'a');
  const Status s = CheckAbsoluteUrl(long_value);
  EXPECT_EQ(s.message(), "\"no-scheme-" + std::string(70, 'a') + "...\" has no scheme");
  // Cutting never splits a UTF-8 character, and the quote is ASCII.
  const std::string accented = std::string(79, 'a') + "\xc3\xa9" + " tail";
  const Status t = CheckAbsoluteUrl(accented);
  EXPECT_EQ(t.message(), "\"" + std::string(79, 'a') + "...\" has no scheme");
  EXPECT_EQ(CheckAbsoluteUrl("\xc3\xa9t\xc3\xa9").message(),
            "\"\\u00e9t\\u00e9\" does not start with a scheme (a letter)");
  // Quotes, backslashes and DEL are escaped as JSON escapes them.
  EXPECT_EQ(CheckAbsoluteUrl("a\"b\\c").message(), "\"a\\\"b\\\\c\" has no scheme");
  EXPECT_EQ(CheckAbsoluteUrl("a\x7f").message(), "\"a\\u007f\" has no scheme");
}

// ---------------------------------------------------------------------------------------------

TEST(DataModelVersion, DetectsFromFirstContextItem) {
  EXPECT_EQ(DetectVcVersion(V2Credential()), VcVersion::k2_0);
  EXPECT_EQ(DetectVcVersion(V1Credential()), VcVersion::k1_1);
  EXPECT_EQ(DetectVcVersion(json{{"@context", kV2}}), VcVersion::k2_0);
  EXPECT_EQ(DetectVcVersion(json{{"@context", {kV1, kV2}}}), VcVersion::k1_1);
  EXPECT_EQ(DetectVcVersion(json{{"@context", {"https://www.w3.org/ns/credentials/examples/v2"}}}),
            std::nullopt);
  EXPECT_EQ(DetectVcVersion(json{{"@context", json::array()}}), std::nullopt);
  EXPECT_EQ(DetectVcVersion(json{{"@context", {{{"@vocab", "https://x.example/"}}}}}),
            std::nullopt);
  EXPECT_EQ(DetectVcVersion(json{{"type", "VerifiableCredential"}}), std::nullopt);
  EXPECT_EQ(DetectVcVersion(json::array({kV2})), std::nullopt);
  EXPECT_EQ(VcVersionName(VcVersion::k1_1), "1.1");
  EXPECT_EQ(VcVersionName(VcVersion::k2_0), "2.0");
}

// ---------------------------------------------------------------------------------------------

TEST(DataModelCredential, AcceptsMinimalCredentials) {
  EXPECT_EQ(Check(V2Credential()), Want{});
  EXPECT_EQ(Check(V2Credential(), ValidationOptions::ForIssuing()), Want{});
  EXPECT_EQ(Check(V1Credential()), Want{});
  // Single values where arrays are usual, and objects where URLs are usual.
  json vc = V2Credential();
  vc["@context"] = kV2;
  vc["type"] = "VerifiableCredential";
  vc["issuer"] = {{"id", "https://issuer.example/"}, {"name", "Issuer"}};
  vc["credentialSubject"] = json::array({{{"id", "did:example:a"}}, {{"name", "B"}}});
  EXPECT_EQ(Check(vc), Want{});
}

TEST(DataModelCredential, UnknownMembersAreAllowed) {
  json vc = V2Credential();
  vc["referenceNumber"] = 83294847;
  vc["credentialSubject"]["favoriteFood"] = {{"@value", 5}};
  EXPECT_EQ(Check(vc), Want{});
}

TEST(DataModelCredential, RejectsNonObjects) {
  EXPECT_EQ(Check(json::array()),
            Want{": a verifiable credential must be a JSON object, got array"});
  EXPECT_EQ(Check(json("x")), Want{": a verifiable credential must be a JSON object, got \"x\""});
  EXPECT_EQ(CheckVp(json()), Want{": a verifiable presentation must be a JSON object, got null"});
}

TEST(DataModelContext, MissingOrMisshapen) {
  EXPECT_EQ(Check(Without(V2Credential(), "@context")),
            Want{std::string("/@context: @context is missing; its first item must be ") + kEither});
  EXPECT_EQ(Check(With(V2Credential(), "/@context", json::array())),
            Want{std::string("/@context: @context must not be empty; its first item must be ") +
                 kEither});
  EXPECT_EQ(Check(With(V2Credential(), "/@context", {{"@vocab", "https://x.example/#"}})),
            Want{std::string("/@context: @context must be an array whose first item is ") +
                 kEither + ", got object"});
  EXPECT_EQ(
      Check(With(V2Credential(), "/@context", {"https://www.w3.org/ns/credentials/examples/v2"})),
      Want{std::string("/@context/0: the first @context item must be ") + kEither +
           ", got \"https://www.w3.org/ns/credentials/examples/v2\""});
  // A lone string is checked as the first item.
  EXPECT_EQ(Check(With(V2Credential(), "/@context", "https://example.org/ctx")),
            Want{std::string("/@context: the first @context item must be ") + kEither +
                 ", got \"https://example.org/ctx\""});
}

TEST(DataModelContext, BaseContextOutOfOrder) {
  json vc = With(V2Credential(), "/@context", {{{"Example", "https://example.org/#Example"}}, kV2});
  EXPECT_EQ(Check(vc), Want{std::string("/@context/0: the first @context item must be ") + kEither +
                            ", got object"});
}

TEST(DataModelContext, VersionPolicy) {
  EXPECT_EQ(Check(V1Credential(), ValidationOptions::ForIssuing()),
            Want{"/@context/0: issuing requires VCDM 2.0: the first @context item must be "
                 "\"https://www.w3.org/ns/credentials/v2\", got "
                 "\"https://www.w3.org/2018/credentials/v1\""});
  ValidationOptions no_v1;
  no_v1.allow_v1_1 = false;
  EXPECT_EQ(Check(V1Credential(), no_v1),
            Want{"/@context/0: VCDM 1.1 documents are not accepted here: the first @context item "
                 "must be \"https://www.w3.org/ns/credentials/v2\""});
  EXPECT_EQ(Check(Without(V2Credential(), "@context"), no_v1),
            Want{"/@context: @context is missing; its first item must be "
                 "\"https://www.w3.org/ns/credentials/v2\""});
  EXPECT_EQ(Check(With(V2Credential(), "/@context/1", kV1)),
            Want{"/@context/1: the VCDM 1.1 and 2.0 base contexts cannot be combined: their "
                 "protected terms conflict"});
  // Repeating the base context is harmless.
  EXPECT_EQ(Check(With(V2Credential(), "/@context/1", kV2)), Want{});
}

TEST(DataModelContext, ItemsMustBeUrlsOrObjects) {
  json vc = V2Credential();
  vc["@context"] = {kV2,           42,
                    nullptr,       "https ://not-a-url/v1",
                    json::array(), "https://www.w3.org/ns/credentials/examples/v2"};
  EXPECT_EQ(Check(vc),
            (Want{"/@context/1: @context items must be URL strings or context objects, got number",
                  "/@context/2: @context items must be URL strings or context objects, got null",
                  "/@context/3: @context items must be URLs or context objects: \"https "
                  "://not-a-url/v1\" has a space at offset 5 in its scheme",
                  "/@context/4: @context items must be URL strings or context objects, got "
                  "array"}));
}

TEST(DataModelContext, ProtectedBaseTerms) {
  auto with_inline = [](json inline_context) {
    return With(V2Credential(), "/@context/1", std::move(inline_context));
  };
  EXPECT_EQ(Check(with_inline({{"VerifiableCredential", "https://example.org/#Bad"}})),
            Want{"/@context/1/VerifiableCredential: redefines \"VerifiableCredential\", a "
                 "protected term of the base context"});
  EXPECT_EQ(Check(with_inline({{"name", "https://example.org/name"}})),
            Want{"/@context/1/name: redefines \"name\", a protected term of the base context"});
  EXPECT_EQ(Check(with_inline({{"DataIntegrityProof", nullptr}})),
            Want{"/@context/1/DataIntegrityProof: redefines \"DataIntegrityProof\", a protected "
                 "term of the base context"});
  // Identical redefinitions are allowed, in either form.
  EXPECT_EQ(Check(with_inline({{"name", "https://schema.org/name"},
                               {"id", "@id"},
                               {"description", {{"@id", "https://schema.org/description"}}}})),
            Want{});
  // The scoped terms of VerifiableCredential (issuer, credentialSubject, ...) are not top-level
  // terms of the base context, and other terms are free.
  EXPECT_EQ(Check(with_inline({{"issuer", "https://example.org/issuer"},
                               {"favoriteFood", "https://example.org/food"}})),
            Want{});
  // VCDM 1.1 has its own set.
  EXPECT_EQ(Check(With(V1Credential(), "/@context/1",
                       {{"proof", "https://example.org/proof"}, {"name", "https://x.example/n"}})),
            Want{"/@context/1/proof: redefines \"proof\", a protected term of the base context"});
}

TEST(DataModelContext, ProtectedInlineTerms) {
  json vc = V2Credential();
  vc["@context"] = {kV2,
                    {{"@protected", true}, {"Example", "https://example.org/#Example"}},
                    {{"Example", {{"@id", "https://example.org/#Example"}}}},
                    {{"Example", "https://example.org/#Other"}}};
  EXPECT_EQ(Check(vc), Want{"/@context/3/Example: redefines \"Example\", which the context at "
                            "/@context/1 protects"});
  // Term-level @protected, and the flag itself is not part of the comparison.
  vc["@context"] = {
      kV2,
      {{"Example", {{"@id", "https://example.org/#Example"}, {"@protected", true}}},
       {"Free", "https://example.org/#Free"}},
      {{"Example", "https://example.org/#Example"}, {"Free", "https://example.org/#Changed"}},
      {{"Example", {{"@id", "https://example.org/#Example"}, {"@type", "@id"}}}}};
  EXPECT_EQ(Check(vc), Want{"/@context/3/Example: redefines \"Example\", which the context at "
                            "/@context/1 protects"});
  // @protected: false on the context leaves terms free.
  vc["@context"] = {kV2,
                    {{"@protected", false}, {"Example", "https://example.org/#A"}},
                    {{"Example", "https://example.org/#B"}}};
  EXPECT_EQ(Check(vc), Want{});
}

TEST(DataModelContext, TermDefinitions) {
  json vc = V2Credential();
  vc["@context"] = {kV2,
                    {{"Number", 5},
                     {"Spaced", "https ://not-a-url#Spaced"},
                     {"Object", {{"@id", "https://example.org/a b"}}},
                     {"a/b", true},
                     {"Fine", {{"@id", "ex:Fine"}, {"@type", "@id"}}},
                     {"Keyword", "@type"},
                     {"Blank", "_:b0"},
                     {"@version", 1.1}}};
  EXPECT_EQ(Check(vc),
            (Want{"/@context/1/Number: the definition of term \"Number\" must be a string, an "
                  "object or null, got number",
                  "/@context/1/Object/@id: term \"Object\" maps to \"https://example.org/a b\", "
                  "which is not a URL",
                  "/@context/1/Spaced: term \"Spaced\" maps to \"https ://not-a-url#Spaced\", "
                  "which is not a URL",
                  "/@context/1/a~1b: the definition of term \"a/b\" must be a string, an object "
                  "or null, got boolean"}));
}

TEST(DataModelContext, TypeTermsMustMapToUrls) {
  json vc = With(V2Credential(), "/type", {"VerifiableCredential", "ExampleCredential"});
  EXPECT_EQ(Check(vc), Want{"/type/1: type \"ExampleCredential\" is not defined by any @context "
                            "and no @vocab applies, so it does not map to a URL"});
  // A context we cannot see into may define it, and so may @vocab or an inline definition.
  EXPECT_EQ(Check(With(vc, "/@context/1", "https://www.w3.org/ns/credentials/examples/v2")),
            Want{});
  EXPECT_EQ(Check(With(vc, "/@context/1", {{"@vocab", "https://example.org/#"}})), Want{});
  EXPECT_EQ(Check(With(vc, "/@context/1", {{"ExampleCredential", "https://example.org/#E"}})),
            Want{});
  // @vocab switched off again, or a definition removed with null.
  json off = With(vc, "/@context/1", {{"@vocab", "https://example.org/#"}});
  off["@context"].push_back({{"@vocab", nullptr}});
  EXPECT_EQ(Check(off).size(), 1u);
  json removed = With(vc, "/@context/1", {{"ExampleCredential", "https://example.org/#E"}});
  removed["@context"].push_back({{"ExampleCredential", nullptr}});
  EXPECT_EQ(Check(removed).size(), 1u);
  // Base context types and URLs need no definition; a value with ':' must be a URL.
  EXPECT_EQ(Check(With(V2Credential(), "/type",
                       {"VerifiableCredential", "BitstringStatusListCredential",
                        "https://example.org/#Cred", "ex:Compact"})),
            Want{});
  EXPECT_EQ(Check(With(V2Credential(), "/type", {"VerifiableCredential", "https ://x#T"})),
            Want{"/type/1: type \"https ://x#T\" is neither a term nor a URL: \"https ://x#T\" has "
                 "a space at offset 5 in its scheme"});
  // Without a known base context nothing can be said about terms.
  EXPECT_EQ(Check(Without(vc, "@context")).size(), 1u);
}

// ---------------------------------------------------------------------------------------------

TEST(DataModelCredential, Id) {
  EXPECT_EQ(Check(With(V2Credential(), "/id", "urn:uuid:9c9a36f8-518f-4976-a934-6649502d0008")),
            Want{});
  EXPECT_EQ(Check(With(V2Credential(), "/id", nullptr)),
            Want{"/id: id must be a URL string, got null"});
  EXPECT_EQ(Check(With(V2Credential(), "/id", {"https://a.example/1", "https://b.example/1"})),
            Want{"/id: id must be a URL string, got array"});
  EXPECT_EQ(Check(With(V2Credential(), "/id", "credential-1")),
            Want{"/id: id must be a URL: \"credential-1\" has no scheme"});
}

TEST(DataModelCredential, Type) {
  EXPECT_EQ(Check(Without(V2Credential(), "type")),
            Want{"/type: type is missing; it must include \"VerifiableCredential\""});
  EXPECT_EQ(Check(With(V2Credential(), "/type", json::array())),
            Want{"/type: type must include \"VerifiableCredential\""});
  EXPECT_EQ(Check(With(V2Credential(), "/type", {"https://example.org/#Cred"})),
            Want{"/type: type must include \"VerifiableCredential\""});
  EXPECT_EQ(Check(With(V2Credential(), "/type", 7)),
            Want{"/type: type must be a string or an array of strings, got number"});
  EXPECT_EQ(Check(With(V2Credential(), "/type", {"VerifiableCredential", {{"a", 1}}})),
            Want{"/type/1: type values must be strings, got object"});
}

TEST(DataModelCredential, Issuer) {
  EXPECT_EQ(Check(Without(V2Credential(), "issuer")),
            Want{"/issuer: issuer is missing; it must be a URL or an object with an id"});
  EXPECT_EQ(Check(With(V2Credential(), "/issuer", "fake-issuer")),
            Want{"/issuer: issuer must be a URL: \"fake-issuer\" has no scheme"});
  EXPECT_EQ(Check(With(V2Credential(), "/issuer", nullptr)),
            Want{"/issuer: issuer must be a URL or an object with an id, got null"});
  EXPECT_EQ(Check(With(V2Credential(), "/issuer", json::object())),
            Want{"/issuer/id: the issuer object has no id; it must be a URL"});
  EXPECT_EQ(Check(With(V2Credential(), "/issuer", {{"id", nullptr}})),
            Want{"/issuer/id: issuer id must be a URL string, got null"});
  EXPECT_EQ(Check(With(V2Credential(), "/issuer", {{"id", "did:example:i"}, {"name", 5}})),
            Want{"/issuer/name: name must be a string, a language value object or an array of "
                 "them, got number"});
}

TEST(DataModelCredential, NamesAndDescriptions) {
  json ok = V2Credential();
  ok["name"] = "Example";
  ok["description"] = json::array({"plain",
                                   {{"@value", "Chien"}, {"@language", "fr"}},
                                   {{"@value", "x"}, {"@language", "ar"}, {"@direction", "rtl"}},
                                   {{"@value", "y"}, {"@language", "zh-Hant-TW"}}});
  EXPECT_EQ(Check(ok), Want{});

  struct Case {
    json value;
    Want want;
  } cases[] = {
      {{{"@value", "x"}, {"@language", "en"}, {"url", "did:example:x"}},
       {"/name/url: a language value object may contain only @value, @language and "
        "@direction, not \"url\""}},
      {{{"@language", "en"}}, {"/name/@value: a language value object must have @value"}},
      {{{"@value", 5}}, {"/name/@value: @value must be a string, got number"}},
      {{{"@value", "x"}, {"@language", "en_US"}},
       {"/name/@language: \"en_US\" is not a well-formed BCP 47 language tag"}},
      {{{"@value", "x"}, {"@language", "toolongtag"}},
       {"/name/@language: \"toolongtag\" is not a well-formed BCP 47 language tag"}},
      {{{"@value", "x"}, {"@language", "1en"}},
       {"/name/@language: \"1en\" is not a well-formed BCP 47 language tag"}},
      {{{"@value", "x"}, {"@language", ""}},
       {"/name/@language: \"\" is not a well-formed BCP 47 language tag"}},
      {{{"@value", "x"}, {"@language", 1}},
       {"/name/@language: @language must be a string, got number"}},
      {{{"@value", "x"}, {"@direction", "up"}},
       {"/name/@direction: @direction must be \"ltr\" or \"rtl\", got \"up\""}},
      {json::array({"x", 5}),
       {"/name/1: name entries must be strings or language value objects, got number"}},
      {json::array({{{"@value", "x"}, {"foo", 1}}}),
       {"/name/0/foo: a language value object may contain only @value, @language and "
        "@direction, not \"foo\""}},
      {true,
       {"/name: name must be a string, a language value object or an array of them, got "
        "boolean"}},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Check(With(V2Credential(), "/name", c.value)), c.want) << c.value.dump();
  }
  EXPECT_EQ(Check(With(V2Credential(), "/issuer",
                       {{"id", "did:example:i"}, {"description", {{"@value", "d"}, {"x", 1}}}})),
            Want{"/issuer/description/x: a language value object may contain only @value, "
                 "@language and @direction, not \"x\""});
  // VCDM 1.1 does not define name or description.
  EXPECT_EQ(Check(With(V1Credential(), "/name", 5)), Want{});
}

TEST(DataModelCredential, CredentialSubject) {
  EXPECT_EQ(Check(Without(V2Credential(), "credentialSubject")),
            Want{"/credentialSubject: credentialSubject is missing; it must hold claims about one "
                 "or more subjects"});
  EXPECT_EQ(Check(With(V2Credential(), "/credentialSubject", json::object())),
            Want{"/credentialSubject: a credentialSubject must make at least one claim; this one "
                 "is empty"});
  EXPECT_EQ(Check(With(V2Credential(), "/credentialSubject", json::array())),
            Want{"/credentialSubject: credentialSubject must not be an empty array"});
  EXPECT_EQ(Check(With(V2Credential(), "/credentialSubject",
                       {{{"id", "did:example:a"}}, json::object(), "did:example:b"})),
            (Want{"/credentialSubject/1: a credentialSubject must make at least one claim; this "
                  "one is empty",
                  "/credentialSubject/2: each credentialSubject entry must be an object, got "
                  "\"did:example:b\""}));
  EXPECT_EQ(Check(With(V2Credential(), "/credentialSubject", "did:example:a")),
            Want{"/credentialSubject: credentialSubject must be an object or an array of objects, "
                 "got \"did:example:a\""});
  EXPECT_EQ(Check(With(V2Credential(), "/credentialSubject/id", {"did:example:a", "did:ex:b"})),
            Want{"/credentialSubject/id: credentialSubject id must be a URL string, got array"});
  EXPECT_EQ(Check(With(V2Credential(), "/credentialSubject/id", "subject one")),
            Want{"/credentialSubject/id: credentialSubject id must be a URL: \"subject one\" has "
                 "no scheme"});
}

TEST(DataModelCredential, ValidityDates) {
  for (const char* ok :
       {"2023-02-26T01:02:58.447Z", "2023-02-25T19:10:39-06:00", "2023-02-25T19:10:39+14:00",
        "4023-02-26T01:02:58.447Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z",
        "2024-02-29T00:00:00Z", "4024-02-29T12:00:00Z"}) {
    EXPECT_EQ(Check(With(V2Credential(), "/validFrom", ok)), Want{}) << ok;
  }
  const std::string prefix =
      "/validFrom: validFrom must be an XML Schema dateTimeStamp such as "
      "\"2024-01-01T00:00:00Z\": rfc3339: ";
  struct Case {
    const char* in;
    const char* want;
  } cases[] = {
      {"Sat 25 Feb 2023 07:16:31 PM CST", "expected 4-digit year at offset 0"},
      {"2024-01-01T00:00:00", "missing time zone offset at offset 19"},
      {"2024-01-01", "expected 'T' at offset 10"},
      {"2024-01-01t00:00:00Z", "lowercase 't' (XML Schema needs 'T') at offset 10"},
      {"2024-01-01T00:00:00z", "lowercase 'z' (XML Schema needs 'Z') at offset 19"},
      {"2024-01-01T00:00:00.5z", "lowercase 'z' (XML Schema needs 'Z') at offset 21"},
      {"2024-01-01T00:00:00+14:01", "time zone offset beyond 14:00 at offset 19"},
      {"2023-02-29T00:00:00Z", "day out of range for month at offset 8"},
      {"2100-02-29T00:00:00Z", "day out of range for month at offset 8"},
      {"4023-02-29T00:00:00Z", "day out of range for month at offset 8"},
      {"2016-12-31T23:59:60Z", "leap second not supported at offset 17"},
      {"2024-01-01T24:00:00Z", "invalid hour at offset 11"},
      {"2024-01-01T00:00:00Z ", "trailing characters at offset 20"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Check(With(V2Credential(), "/validFrom", c.in)), Want{prefix + c.want}) << c.in;
  }
  EXPECT_EQ(Check(With(V2Credential(), "/validUntil", 1700000000)),
            Want{"/validUntil: validUntil must be an XML Schema dateTimeStamp string, got number"});
  // validFrom after validUntil is the validity check's business.
  json inverted = V2Credential();
  inverted["validFrom"] = "2025-01-01T00:00:00Z";
  inverted["validUntil"] = "2024-01-01T00:00:00Z";
  EXPECT_EQ(Check(inverted), Want{});
}

TEST(DataModelCredential, Version11Dates) {
  EXPECT_EQ(Check(Without(V1Credential(), "issuanceDate")),
            Want{"/issuanceDate: issuanceDate is missing; it must be an XML Schema dateTime"});
  // xsd:dateTime: the zone is optional.
  EXPECT_EQ(Check(With(V1Credential(), "/issuanceDate", "2010-01-01T19:23:24")), Want{});
  EXPECT_EQ(Check(With(V1Credential(), "/issuanceDate", "2010-01-01T19:23:24.25")), Want{});
  EXPECT_EQ(Check(With(V1Credential(), "/expirationDate", "next year")),
            Want{"/expirationDate: expirationDate must be an XML Schema dateTime such as "
                 "\"2024-01-01T00:00:00Z\": rfc3339: expected 4-digit year at offset 0"});
  EXPECT_EQ(Check(With(V1Credential(), "/issuanceDate", nullptr)),
            Want{"/issuanceDate: issuanceDate must be an XML Schema dateTime string, got null"});
  // validFrom is not a VCDM 1.1 member; VCDM 2.0 has no issuanceDate.
  EXPECT_EQ(Check(With(V1Credential(), "/validFrom", "whenever")), Want{});
  EXPECT_EQ(Check(With(V2Credential(), "/issuanceDate", "whenever")), Want{});
}

TEST(DataModelCredential, StatusSchemaRefreshTermsEvidence) {
  json ok = V2Credential();
  ok["credentialStatus"] = {{"type", "BitstringStatusListEntry"}};
  ok["credentialSchema"] =
      json::array({{{"id", "https://example.org/s.json"}, {"type", "JsonSchema"}},
                   {{"id", "did:example:schemas/2"}, {"type", {"JsonSchema", "Other"}}}});
  ok["refreshService"] = {{"type", "VerifiableCredentialRefreshService2021"}};
  ok["termsOfUse"] = {{"type", "OdrlPolicy2017"}, {"id", "did:example:terms/1"}};
  ok["evidence"] = json::array({{{"type", "Evidence"}}, {{"type", {"Evidence"}}}});
  EXPECT_EQ(Check(ok), Want{});

  struct Case {
    const char* member;
    json value;
    Want want;
  } cases[] = {
      {"credentialStatus",
       {{"id", "did:example:status"}},
       {"/credentialStatus/type: each credentialStatus entry must have a type"}},
      {"credentialStatus",
       {{"id", {"did:example:s1", "did:example:s2"}}, {"type", "X"}},
       {"/credentialStatus/id: credentialStatus id must be a URL string, got array"}},
      {"credentialStatus",
       {{"type", 2}},
       {"/credentialStatus/type: credentialStatus type must be a string or an array of strings, "
        "got number"}},
      {"credentialStatus",
       {{"type", json::array()}},
       {"/credentialStatus/type: credentialStatus type must not be an empty array"}},
      {"credentialStatus",
       {{"type", {"A", 5}}},
       {"/credentialStatus/type/1: credentialStatus type values must be strings, got number"}},
      {"credentialStatus",
       json::array(),
       {"/credentialStatus: credentialStatus must not be an empty array"}},
      {"credentialStatus",
       "https://example.org/status",
       {"/credentialStatus: credentialStatus must be an object or an array of objects, got "
        "\"https://example.org/status\""}},
      {"credentialStatus",
       {{{"type", "A"}}, 5},
       {"/credentialStatus/1: each credentialStatus entry must be an object, got number"}},
      {"credentialSchema",
       {{"type", "JsonSchema"}},
       {"/credentialSchema/id: each credentialSchema entry must have an id (a URL)"}},
      {"credentialSchema",
       {{"id", "https://example.org/s.json"}},
       {"/credentialSchema/type: each credentialSchema entry must have a type"}},
      {"credentialSchema",
       {{"id", "schema.json"}, {"type", "JsonSchema"}},
       {"/credentialSchema/id: credentialSchema id must be a URL: \"schema.json\" has no "
        "scheme"}},
      {"refreshService",
       {{"id", "did:example:refresh/1"}},
       {"/refreshService/type: each refreshService entry must have a type"}},
      {"termsOfUse", json::object(), {"/termsOfUse/type: each termsOfUse entry must have a type"}},
      {"evidence",
       {{{"type", "Evidence"}}, json::object()},
       {"/evidence/1/type: each evidence entry must have a type"}},
      {"evidence",
       {{"type", "Evidence"}, {"id", 5}},
       {"/evidence/id: evidence id must be a URL string, got number"}},
  };
  for (const auto& c : cases) {
    json vc = V2Credential();
    vc[c.member] = c.value;
    EXPECT_EQ(Check(vc), c.want) << c.member << " = " << c.value.dump();
  }
}

TEST(DataModelCredential, Version11RequiresIdsOnStatusAndRefresh) {
  json vc = V1Credential();
  vc["credentialStatus"] = {{"type", "StatusList2021Entry"}};
  vc["refreshService"] = {{"type", "ManualRefreshService2018"}};
  vc["termsOfUse"] = {{"type", "IssuerPolicy"}};
  EXPECT_EQ(Check(vc), (Want{"/credentialStatus/id: each credentialStatus entry must have an id "
                             "(a URL)",
                             "/refreshService/id: each refreshService entry must have an id (a "
                             "URL)"}));
  vc["credentialStatus"]["id"] = "https://example.org/status/1#5";
  vc["refreshService"]["id"] = "https://example.org/refresh";
  EXPECT_EQ(Check(vc), Want{});
}

TEST(DataModelCredential, RelatedResource) {
  json vc = V2Credential();
  vc["relatedResource"] = json::array(
      {{{"id", "https://example.org/a.png"}, {"digestSRI", "sha384-abc"}},
       {{"id", "https://example.org/b.json"}, {"digestMultibase", "uEiBZ"}, {"mediaType", "x/y"}}});
  EXPECT_EQ(Check(vc), Want{});
  vc["relatedResource"] =
      json::array({{{"id", "https://example.org/a.png"}}, {{"digestSRI", "sha384-abc"}}});
  EXPECT_EQ(Check(vc),
            (Want{"/relatedResource/0: each relatedResource entry must have digestSRI or "
                  "digestMultibase",
                  "/relatedResource/1/id: each relatedResource entry must have an id (a URL)"}));
}

TEST(DataModelCredential, ProofShapeOnly) {
  json vc = V2Credential();
  vc["proof"] = {{"type", "DataIntegrityProof"}, {"proofValue", "z-not-checked"}};
  EXPECT_EQ(Check(vc), Want{});
  vc["proof"] =
      json::array({{{"type", "DataIntegrityProof"}}, {{"cryptosuite", "eddsa-rdfc-2022"}}});
  EXPECT_EQ(Check(vc), Want{"/proof/1/type: each proof entry must have a type"});
  vc["proof"] = json::array();
  EXPECT_EQ(Check(vc), Want{"/proof: proof must not be an empty array"});
  vc["proof"] = "eyJhbGciOiJFUzI1NiJ9..c2ln";
  EXPECT_EQ(Check(vc), Want{"/proof: proof must be an object or an array of objects, got "
                            "\"eyJhbGciOiJFUzI1NiJ9..c2ln\""});
}

TEST(DataModelCredential, ReportsEveryProblemInDocumentOrder) {
  const json vc = json::parse(R"({
    "@context": ["https://www.w3.org/ns/credentials/v2", 5],
    "id": "not a url",
    "type": ["RelationshipCredential"],
    "issuer": {"name": {"@value": "Acme", "@language": "en", "url": "x"}},
    "credentialSubject": [{}],
    "validFrom": "yesterday",
    "validUntil": "2024-01-01T00:00:00",
    "credentialStatus": {"id": "status"},
    "credentialSchema": {},
    "refreshService": [1],
    "termsOfUse": [],
    "evidence": {"type": []},
    "proof": {}
  })");
  EXPECT_EQ(
      Check(vc),
      (Want{
          "/@context/1: @context items must be URL strings or context objects, got number",
          "/id: id must be a URL: \"not a url\" has no scheme",
          "/type: type must include \"VerifiableCredential\"",
          "/type/0: type \"RelationshipCredential\" is not defined by any @context and no @vocab "
          "applies, so it does not map to a URL",
          "/issuer/id: the issuer object has no id; it must be a URL",
          "/issuer/name/url: a language value object may contain only @value, @language and "
          "@direction, not \"url\"",
          "/credentialSubject/0: a credentialSubject must make at least one claim; this one is "
          "empty",
          "/validFrom: validFrom must be an XML Schema dateTimeStamp such as "
          "\"2024-01-01T00:00:00Z\": rfc3339: expected 4-digit year at offset 0",
          "/validUntil: validUntil must be an XML Schema dateTimeStamp such as "
          "\"2024-01-01T00:00:00Z\": rfc3339: missing time zone offset at offset 19",
          "/credentialStatus/id: credentialStatus id must be a URL: \"status\" has no scheme",
          "/credentialStatus/type: each credentialStatus entry must have a type",
          "/credentialSchema/id: each credentialSchema entry must have an id (a URL)",
          "/credentialSchema/type: each credentialSchema entry must have a type",
          "/refreshService/0: each refreshService entry must be an object, got number",
          "/termsOfUse: termsOfUse must not be an empty array",
          "/evidence/type: evidence type must not be an empty array",
          "/proof/type: each proof entry must have a type",
      }));
}

TEST(DataModelCredential, EnvelopedCredential) {
  const json enveloped = {{"@context", kV2},
                          {"id", "data:application/vc+jwt,eyJhbGciOiJFUzI1NiJ9.eyJ9.c2ln"},
                          {"type", "EnvelopedVerifiableCredential"}};
  EXPECT_EQ(Check(enveloped), Want{});
  struct Case {
    json id;
    Want want;
  } cases[] = {
      {"https://example.org/vc",
       {"/id: id must be a data: URL (RFC 2397) holding the secured document, got "
        "\"https://example.org/vc\""}},
      {"data:application/vc+jwt", {"/id: the data: URL has no ',' before its payload"}},
      {"data:application/vc+jwt,", {"/id: the data: URL carries no payload"}},
      {"data:vcjwt,abc",
       {"/id: the data: URL media type \"vcjwt\" is not of the form type/subtype"}},
      {"data:application/vc-ld+jwt;base64url,abc", {}},
      {"DATA:,abc", {}},
      {5, {"/id: id must be a data: URL string, got number"}},
      {"data:a b", {"/id: id must be a data: URL: \"data:a b\" has a space at offset 6"}},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Check(With(enveloped, "/id", c.id)), c.want) << c.id.dump();
  }
  EXPECT_EQ(Check(Without(enveloped, "id")),
            Want{"/id: id is missing; an EnvelopedVerifiableCredential carries the secured "
                 "document as a data: URL"});
  EXPECT_EQ(Check(With(enveloped, "/@context", kV1)),
            Want{"/@context: EnvelopedVerifiableCredential needs VCDM 2.0: the first @context "
                 "item must be \"https://www.w3.org/ns/credentials/v2\""});
}

// ---------------------------------------------------------------------------------------------

TEST(DataModelPresentation, AcceptsPresentations) {
  EXPECT_EQ(CheckVp(V2Presentation()), Want{});
  json vp = V2Presentation();
  vp["id"] = "urn:uuid:9c9a36f8-518f-4976-a934-6649502d0008";
  vp["holder"] = {{"id", "did:example:holder"}, {"name", "Holder"}};
  vp["verifiableCredential"] = json::array({V2Credential(),
                                            {{"@context", kV2},
                                             {"id", "data:application/vc+sd-jwt,QzVjV~RMjU"},
                                             {"type", "EnvelopedVerifiableCredential"}}});
  vp["termsOfUse"] = {{"type", "HolderPolicy"}};
  vp["proof"] = {{"type", "DataIntegrityProof"}};
  EXPECT_EQ(CheckVp(vp), Want{});
  vp["verifiableCredential"] = V2Credential();  // a single object
  EXPECT_EQ(CheckVp(vp), Want{});
}

TEST(DataModelPresentation, TypeAndHolder) {
  EXPECT_EQ(CheckVp(Without(V2Presentation(), "type")),
            Want{"/type: type is missing; it must include \"VerifiablePresentation\""});
  EXPECT_EQ(CheckVp(With(V2Presentation(), "/type", {"VerifiableCredential"})),
            Want{"/type: type must include \"VerifiablePresentation\""});
  EXPECT_EQ(CheckVp(With(V2Presentation(), "/holder", "z6MkpJySvETLnxhQG9DzEdmK")),
            Want{"/holder: holder must be a URL: \"z6MkpJySvETLnxhQG9DzEdmK\" has no scheme"});
  EXPECT_EQ(CheckVp(With(V2Presentation(), "/holder", {{"name", "Acme"}})),
            Want{"/holder/id: the holder object has no id; it must be a URL"});
  EXPECT_EQ(CheckVp(With(V2Presentation(), "/holder", 5)),
            Want{"/holder: holder must be a URL or an object with an id, got number"});
  EXPECT_EQ(CheckVp(With(V2Presentation(), "/termsOfUse", {{"id", "did:example:t"}})),
            Want{"/termsOfUse/type: each termsOfUse entry must have a type"});
  EXPECT_EQ(CheckVp(With(V2Presentation(), "/proof", {{"challenge", "abc"}})),
            Want{"/proof/type: each proof entry must have a type"});
}

TEST(DataModelPresentation, EmbeddedCredentialsGetPrefixedPointers) {
  json bad = V2Credential();
  bad["issuer"] = {{"id", "did:example:i"}, {"name", {{"@value", "Acme"}, {"url", "x"}}}};
  bad["type"] = json::array();
  json vp = With(V2Presentation(), "/verifiableCredential", {V2Credential(), bad});
  EXPECT_EQ(CheckVp(vp),
            (Want{"/verifiableCredential/1/type: type must include \"VerifiableCredential\"",
                  "/verifiableCredential/1/issuer/name/url: a language value object may contain "
                  "only @value, @language and @direction, not \"url\""}));
  EXPECT_EQ(
      CheckVp(With(V2Presentation(), "/verifiableCredential", Without(V2Credential(), "@context"))),
      Want{std::string("/verifiableCredential/@context: @context is missing; its first item "
                       "must be ") +
           kEither});
}

TEST(DataModelPresentation, VerifiableCredentialShapes) {
  EXPECT_EQ(CheckVp(With(V2Presentation(), "/verifiableCredential", json::array())),
            Want{"/verifiableCredential: verifiableCredential must not be an empty array"});
  EXPECT_EQ(CheckVp(With(V2Presentation(), "/verifiableCredential", "eyJ.eyJ.sig")),
            Want{"/verifiableCredential: verifiableCredential must be an object or an array of "
                 "objects, got \"eyJ.eyJ.sig\""});
  EXPECT_EQ(CheckVp(With(V2Presentation(), "/verifiableCredential", {"eyJ.eyJ.sig", nullptr})),
            (Want{"/verifiableCredential/0: verifiableCredential entries must be embedded "
                  "credentials or EnvelopedVerifiableCredential objects, got \"eyJ.eyJ.sig\"",
                  "/verifiableCredential/1: verifiableCredential entries must be embedded "
                  "credentials or EnvelopedVerifiableCredential objects, got null"}));
  // An enveloped credential is checked as an envelope.
  json enveloped = {
      {"@context", kV2}, {"id", "https://x.example/"}, {"type", {"EnvelopedVerifiableCredential"}}};
  EXPECT_EQ(CheckVp(With(V2Presentation(), "/verifiableCredential", json::array({enveloped}))),
            Want{"/verifiableCredential/0/id: id must be a data: URL (RFC 2397) holding the "
                 "secured document, got \"https://x.example/\""});
  // Without its type it is taken for an embedded credential.
  enveloped.erase("type");
  enveloped["id"] = "data:application/vc+jwt,eyJ.eyJ.sig";
  EXPECT_EQ(CheckVp(With(V2Presentation(), "/verifiableCredential", json::array({enveloped}))),
            (Want{"/verifiableCredential/0/type: type is missing; it must include "
                  "\"VerifiableCredential\"",
                  "/verifiableCredential/0/issuer: issuer is missing; it must be a URL or an "
                  "object with an id",
                  "/verifiableCredential/0/credentialSubject: credentialSubject is missing; it "
                  "must hold claims about one or more subjects"}));
}

TEST(DataModelPresentation, VersionsCannotBeMixed) {
  json vp = With(V2Presentation(), "/verifiableCredential", json::array({V1Credential()}));
  EXPECT_EQ(CheckVp(vp),
            Want{"/verifiableCredential/0/@context/0: an embedded document must use the data "
                 "model of the presentation around it (VCDM 2.0): the protected terms of the 1.1 "
                 "and 2.0 base contexts conflict"});
  json v1_vp = {{"@context", {kV1}},
                {"type", "VerifiablePresentation"},
                {"verifiableCredential", json::array({V2Credential()})}};
  EXPECT_EQ(CheckVp(v1_vp),
            Want{"/verifiableCredential/0/@context/0: an embedded document must use the data "
                 "model of the presentation around it (VCDM 1.1): the protected terms of the 1.1 "
                 "and 2.0 base contexts conflict"});
  // Protected terms of the presentation's inline contexts reach into embedded credentials.
  json protected_vp = V2Presentation();
  protected_vp["@context"].push_back(
      {{"@protected", true}, {"Example", "https://example.org/#Example"}});
  json vc = V2Credential();
  vc["@context"].push_back({{"Example", "https://example.org/#Other"}});
  protected_vp["verifiableCredential"] = vc;
  EXPECT_EQ(CheckVp(protected_vp),
            Want{"/verifiableCredential/@context/1/Example: redefines \"Example\", which the "
                 "context at /@context/1 protects"});
}

TEST(DataModelPresentation, Version11JwtCredentials) {
  json v1_vp = {
      {"@context", {kV1}},
      {"type", {"VerifiablePresentation"}},
      {"holder", "did:example:holder"},
      {"verifiableCredential", {"eyJhbGciOiJFUzI1NiJ9.eyJ2YyI6e319.c2ln", V1Credential()}}};
  EXPECT_EQ(CheckVp(v1_vp), Want{});
  v1_vp["verifiableCredential"][0] = "not a jwt";
  EXPECT_EQ(CheckVp(v1_vp),
            Want{"/verifiableCredential/0: verifiableCredential entries must be embedded "
                 "credentials or EnvelopedVerifiableCredential objects, got \"not a jwt\""});
  EXPECT_EQ(CheckVp(v1_vp, ValidationOptions::ForIssuing()).size(), 3u);
}

TEST(DataModelPresentation, EnvelopedPresentation) {
  const json enveloped = {{"@context", kV2},
                          {"id", "data:application/vp+jwt,eyJraWQiO.zhwGfQ"},
                          {"type", "EnvelopedVerifiablePresentation"}};
  EXPECT_EQ(CheckVp(enveloped), Want{});
  EXPECT_EQ(CheckVp(With(enveloped, "/id", "data:application/vp+jwt")),
            Want{"/id: the data: URL has no ',' before its payload"});
  EXPECT_EQ(CheckVp(Without(enveloped, "@context")),
            Want{std::string("/@context: @context is missing; its first item must be ") + kEither});
}

// ---------------------------------------------------------------------------------------------

Time At(const char* text) {
  auto t = ParseRfc3339(text);
  EXPECT_TRUE(t.ok()) << text;
  return t.value_or(Time{});
}

json Dated(const char* from, const char* until) {
  json vc = V2Credential();
  if (from != nullptr) vc["validFrom"] = from;
  if (until != nullptr) vc["validUntil"] = until;
  return vc;
}

constexpr std::chrono::seconds kNoSkew{0};

TEST(DataModelValidity, Version20Period) {
  const Time now = At("2025-06-01T00:00:00Z");
  ValidityResult r =
      CheckValidityPeriod(Dated("2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z"), now, kNoSkew);
  EXPECT_EQ(r.status, ValidityStatus::kValid);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.reason,
            "within the validity period from \"2025-01-01T00:00:00Z\" until "
            "\"2026-01-01T00:00:00Z\"");
  EXPECT_EQ(r.pointer, "");

  r = CheckValidityPeriod(Dated("2025-07-01T00:00:00+02:00", nullptr), now, kNoSkew);
  EXPECT_EQ(r.status, ValidityStatus::kNotYetValid);
  EXPECT_EQ(r.reason,
            "not valid before validFrom \"2025-07-01T00:00:00+02:00\"; it is now "
            "2025-06-01T00:00:00Z");
  EXPECT_EQ(r.pointer, "/validFrom");

  r = CheckValidityPeriod(Dated(nullptr, "2025-05-01T00:00:00Z"), now, kNoSkew);
  EXPECT_EQ(r.status, ValidityStatus::kExpired);
  EXPECT_EQ(r.reason,
            "expired at validUntil \"2025-05-01T00:00:00Z\"; it is now "
            "2025-06-01T00:00:00Z");
  EXPECT_EQ(r.pointer, "/validUntil");

  r = CheckValidityPeriod(Dated(nullptr, nullptr), now, kNoSkew);
  EXPECT_EQ(r.status, ValidityStatus::kValid);
  EXPECT_EQ(r.reason, "the credential states no validity period");
  r = CheckValidityPeriod(Dated(nullptr, "2026-01-01T00:00:00Z"), now, kNoSkew);
  EXPECT_EQ(r.reason, "within the validity period until \"2026-01-01T00:00:00Z\"");
}

TEST(DataModelValidity, BoundsAreInclusiveAndNanosecondExact) {
  const Time now = At("2025-06-01T00:00:00Z");
  EXPECT_TRUE(
      CheckValidityPeriod(Dated("2025-06-01T00:00:00Z", "2025-06-01T00:00:00Z"), now, kNoSkew)
          .ok());
  EXPECT_TRUE(CheckValidityPeriod(Dated("2025-06-01T02:00:00+02:00", nullptr), now, kNoSkew).ok());
  EXPECT_EQ(
      CheckValidityPeriod(Dated(nullptr, "2025-05-31T23:59:59.999999999Z"), now, kNoSkew).status,
      ValidityStatus::kExpired);
  EXPECT_EQ(
      CheckValidityPeriod(Dated("2025-06-01T00:00:00.000000001Z", nullptr), now, kNoSkew).status,
      ValidityStatus::kNotYetValid);
}

TEST(DataModelValidity, ClockSkew) {
  const Time now = At("2025-06-01T00:00:00Z");
  const json soon = Dated("2025-06-01T00:04:00Z", nullptr);
  EXPECT_TRUE(CheckValidityPeriod(soon, now, std::chrono::seconds(300)).ok());
  ValidityResult r = CheckValidityPeriod(soon, now, std::chrono::seconds(60));
  EXPECT_EQ(r.status, ValidityStatus::kNotYetValid);
  EXPECT_EQ(r.reason,
            "not valid before validFrom \"2025-06-01T00:04:00Z\"; it is now "
            "2025-06-01T00:00:00Z (allowing 60 s of clock skew)");
  const json just_expired = Dated(nullptr, "2025-05-31T23:56:00Z");
  EXPECT_TRUE(CheckValidityPeriod(just_expired, now, std::chrono::seconds(300)).ok());
  EXPECT_EQ(CheckValidityPeriod(just_expired, now, std::chrono::seconds(-300)).status,
            ValidityStatus::kExpired);
  // Huge skews are capped at 100 years instead of overflowing.
  r = CheckValidityPeriod(Dated("4023-02-26T01:02:58.447Z", nullptr), now,
                          std::chrono::seconds(std::numeric_limits<int64_t>::max()));
  EXPECT_EQ(r.status, ValidityStatus::kNotYetValid);
  EXPECT_EQ(r.reason,
            "not valid before validFrom \"4023-02-26T01:02:58.447Z\"; it is now "
            "2025-06-01T00:00:00Z (allowing 3162240000 s of clock skew)");
}

TEST(DataModelValidity, YearsBeyondTimeRange) {
  const Time now = At("2025-06-01T00:00:00Z");
  EXPECT_EQ(CheckValidityPeriod(Dated("4023-02-26T01:02:58.447Z", nullptr), now, kNoSkew).status,
            ValidityStatus::kNotYetValid);
  EXPECT_EQ(CheckValidityPeriod(Dated(nullptr, "0001-01-01T00:00:00Z"), now, kNoSkew).status,
            ValidityStatus::kExpired);
  EXPECT_TRUE(
      CheckValidityPeriod(Dated("1000-01-01T00:00:00Z", "9999-12-31T23:59:59Z"), now, kNoSkew)
          .ok());
  // Ordering across 400-year cycles.
  ValidityResult r =
      CheckValidityPeriod(Dated("2401-01-01T00:00:00Z", "2400-12-31T23:59:59Z"), now, kNoSkew);
  EXPECT_EQ(r.status, ValidityStatus::kInvalid);
  EXPECT_EQ(r.reason,
            "validUntil \"2400-12-31T23:59:59Z\" is earlier than validFrom "
            "\"2401-01-01T00:00:00Z\"");
  EXPECT_EQ(r.pointer, "/validUntil");
}

TEST(DataModelValidity, Version11Period) {
  const Time now = At("2025-06-01T00:00:00Z");
  json vc = V1Credential();
  vc["issuanceDate"] = "2025-01-01T00:00:00Z";
  vc["expirationDate"] = "2025-02-01T00:00:00Z";
  ValidityResult r = CheckValidityPeriod(vc, now, kNoSkew);
  EXPECT_EQ(r.status, ValidityStatus::kExpired);
  EXPECT_EQ(r.reason,
            "expired at expirationDate \"2025-02-01T00:00:00Z\"; it is now "
            "2025-06-01T00:00:00Z");
  EXPECT_EQ(r.pointer, "/expirationDate");
  vc.erase("expirationDate");
  vc["issuanceDate"] = "2025-06-01T00:00:01";  // no zone: UTC
  r = CheckValidityPeriod(vc, now, kNoSkew);
  EXPECT_EQ(r.status, ValidityStatus::kNotYetValid);
  EXPECT_EQ(r.pointer, "/issuanceDate");
  // validFrom / validUntil mean nothing in VCDM 1.1.
  vc["issuanceDate"] = "2025-01-01T00:00:00Z";
  vc["validUntil"] = "2025-02-01T00:00:00Z";
  EXPECT_TRUE(CheckValidityPeriod(vc, now, kNoSkew).ok());
  vc.erase("issuanceDate");
  r = CheckValidityPeriod(vc, now, kNoSkew);
  EXPECT_EQ(r.status, ValidityStatus::kInvalid);
  EXPECT_EQ(r.reason, "issuanceDate is missing");
  EXPECT_EQ(r.pointer, "/issuanceDate");
}

TEST(DataModelValidity, CannotEvaluate) {
  const Time now = At("2025-06-01T00:00:00Z");
  ValidityResult r = CheckValidityPeriod(Dated("yesterday", nullptr), now, kNoSkew);
  EXPECT_EQ(r.status, ValidityStatus::kInvalid);
  EXPECT_EQ(r.reason,
            "validFrom is not a valid date-time: rfc3339: expected 4-digit year at offset 0");
  EXPECT_EQ(r.pointer, "/validFrom");
  r = CheckValidityPeriod(With(V2Credential(), "/validUntil", 5), now, kNoSkew);
  EXPECT_EQ(r.reason, "validUntil must be a date-time string, got number");
  EXPECT_EQ(r.pointer, "/validUntil");
  r = CheckValidityPeriod(Without(V2Credential(), "@context"), now, kNoSkew);
  EXPECT_EQ(r.status, ValidityStatus::kInvalid);
  EXPECT_EQ(r.reason,
            "the data model version is unknown: the first @context item must be a base context");
  EXPECT_EQ(r.pointer, "/@context");
  r = CheckValidityPeriod({{"@context", kV2},
                           {"id", "data:application/vc+jwt,eyJ.eyJ.c2ln"},
                           {"type", "EnvelopedVerifiableCredential"},
                           {"validFrom", "2025-01-01T00:00:00Z"}},
                          now, kNoSkew);
  EXPECT_EQ(r.status, ValidityStatus::kInvalid);
  EXPECT_EQ(r.reason,
            "an EnvelopedVerifiableCredential keeps its validity period inside the secured "
            "payload; unwrap it first");
  EXPECT_EQ(r.pointer, "/type");
  r = CheckValidityPeriod(json("vc"), now, kNoSkew);
  EXPECT_EQ(r.status, ValidityStatus::kInvalid);
  EXPECT_EQ(r.reason, "a verifiable credential must be a JSON object, got \"vc\"");
}

TEST(DataModelValidity, StatusNames) {
  EXPECT_EQ(ValidityStatusName(ValidityStatus::kValid), "valid");
  EXPECT_EQ(ValidityStatusName(ValidityStatus::kNotYetValid), "not-yet-valid");
  EXPECT_EQ(ValidityStatusName(ValidityStatus::kExpired), "expired");
  EXPECT_EQ(ValidityStatusName(ValidityStatus::kInvalid), "invalid");
}

// ---------------------------------------------------------------------------------------------

// Every member the validator reads, set to every kind of JSON value, in every document kind:
// nothing throws, and every pointer is "" or starts with '/'.
TEST(DataModelRobustness, AnyValueAnywhere) {
  const char* members[] = {"@context",
                           "id",
                           "type",
                           "issuer",
                           "name",
                           "description",
                           "credentialSubject",
                           "validFrom",
                           "validUntil",
                           "issuanceDate",
                           "expirationDate",
                           "credentialStatus",
                           "credentialSchema",
                           "refreshService",
                           "termsOfUse",
                           "evidence",
                           "relatedResource",
                           "proof",
                           "holder",
                           "verifiableCredential"};
  const json values[] = {nullptr,
                         true,
                         0,
                         -1.5,
                         "",
                         "x",
                         "\xc3\xa9:\x7f",
                         json::array(),
                         json::object(),
                         {nullptr},
                         json::array({json::array()}),
                         json::array({json::object()}),
                         {{"id", nullptr}},
                         {{"type", 1}},
                         {{"@value", json::array()}},
                         {{"@context", {kV2, {{"@protected", "yes"}}}}},
                         {"EnvelopedVerifiableCredential"}};
  const json documents[] = {
      V2Credential(), V1Credential(), V2Presentation(),
      With(V2Presentation(), "/verifiableCredential", json::array({V2Credential()}))};
  const Time now = At("2025-06-01T00:00:00Z");
  for (const json& base : documents) {
    for (const char* member : members) {
      for (const json& value : values) {
        json doc = base;
        doc[member] = value;
        if (base.contains("verifiableCredential") &&
            std::string(member) != "verifiableCredential") {
          doc["verifiableCredential"][0][member] = value;
        }
        for (const auto& options :
             {ValidationOptions::ForVerifying(), ValidationOptions::ForIssuing()}) {
          std::vector<Problem> all;
          ASSERT_NO_THROW(all = ValidateCredential(doc, options)) << doc.dump();
          std::vector<Problem> vp;
          ASSERT_NO_THROW(vp = ValidatePresentation(doc, options)) << doc.dump();
          all.insert(all.end(), vp.begin(), vp.end());
          for (const Problem& p : all) {
            EXPECT_TRUE(p.pointer.empty() || p.pointer[0] == '/') << p.pointer;
            EXPECT_FALSE(p.message.empty());
          }
        }
        ASSERT_NO_THROW((void)CheckValidityPeriod(doc, now, std::chrono::seconds(30)));
      }
    }
  }
}

}  // namespace
}  // namespace traceport::vc
