// W3C Verifiable Credentials Data Model 2.0 data from ../shared/conformance (see the SOURCES.md
// files there and the conformance guide, section 5):
//   conformance vc-dm2-fixtures      every input of w3c/vc-data-model-2.0-test-suite
//                                    (tests/input/**): "-ok" must validate, "-fail" must be
//                                    rejected with a problem at the pointer listed below,
//                                    "-fail-or-inject" must be rejected for its @context and
//                                    validate once the base context is injected
//   conformance vc-dm2-rec-examples  the REC's JSON examples, which must validate
//
// The upstream suite sends credential fixtures to an issuer, which fills in `issuer` when the
// fixture leaves it out (or leaves out the issuer object's id), so this harness does the same
// before validating them with the issuing options. It also rewrites the placeholder dates of
// credential-validUntil-validFrom-{ok,fail}.json to one year before and after now, as the
// upstream suite does; those two are judged by CheckValidityPeriod.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "codec/json.h"
#include "common/testing/conformance.h"
#include "common/time.h"
#include "vc/data_model.h"

namespace traceport::vc {
namespace {

using ::nlohmann::json;
using ::traceport::testing::ReadFile;
using ::traceport::testing::SuiteCounter;

// SOURCES.md and the conformance guide say 122; the staged tests/input holds 120 (the folder's
// only other JSON file, tests/validVc.json, is the upstream harness's template, not a fixture).
constexpr size_t kFixtures = 120;
constexpr size_t kRecExamples = 27;
constexpr char kTestIssuer[] = "did:example:traceport-conformance-issuer";

// For each fixture that must be rejected, the pointer of a problem that must be among those
// reported, so that a rejection for an unrelated reason does not count as a pass.
const std::map<std::string, std::string>& ExpectedPointers() {
  static const auto* pointers = new std::map<std::string, std::string>{
      {"credential-context-combo3-fail.json", "/@context/1"},
      {"credential-context-combo4-fail.json", "/@context/1"},
      {"credential-evidence-missing-type-fail.json", "/evidence/type"},
      {"credential-id-multi-fail.json", "/id"},
      {"credential-id-nonidentifier-fail.json", "/id"},
      {"credential-id-not-url-fail.json", "/id"},
      {"credential-id-subject-multi-fail.json", "/credentialSubject/id"},
      {"credential-issuer-no-url-fail.json", "/issuer"},
      {"credential-issuer-null-fail.json", "/issuer"},
      {"credential-issuer-object-id-no-url-fail.json", "/issuer/id"},
      {"credential-issuer-object-id-null-fail.json", "/issuer/id"},
      {"credential-missing-base-context-fail-or-inject.json", "/@context/0"},
      {"credential-missing-required-type-fail.json", "/type"},
      {"credential-no-context-fail-or-inject.json", "/@context"},
      // The issuer fills in the missing issuer; what remains wrong is the empty subject.
      {"credential-no-issuer-fail.json", "/credentialSubject"},
      {"credential-no-subject-fail.json", "/credentialSubject"},
      {"credential-no-type-fail.json", "/type"},
      {"credential-proof-missing-type-fail.json", "/proof/type"},
      {"credential-redef-type-fail.json", "/@context/1/VerifiableCredential"},
      {"credential-redef-type2-fail.json", "/@context/2/ExampleVerifiableCredential"},
      {"credential-refresh-no-type-fail.json", "/refreshService/type"},
      {"credential-schema-no-id-fail.json", "/credentialSchema/id"},
      {"credential-schema-no-type-fail.json", "/credentialSchema/type"},
      {"credential-schema-non-url-id-fail.json", "/credentialSchema/id"},
      {"credential-status-missing-type-fail.json", "/credentialStatus/type"},
      {"credential-status-multiple-id-fail.json", "/credentialStatus/id"},
      {"credential-status-nonurl-id-fail.json", "/credentialStatus/id"},
      {"credential-status-type-nonurl-fail.json", "/credentialStatus/type"},
      {"credential-subject-multiple-empty-fail.json", "/credentialSubject/1"},
      {"credential-subject-no-claims-fail.json", "/credentialSubject"},
      {"credential-termsofuse-missing-type-fail.json", "/termsOfUse/type"},
      {"credential-termsofuse-no-type-fail.json", "/termsOfUse/type"},
      {"credential-type-mapped-nonurl-fail.json", "/@context/1/ExampleTestCredential"},
      {"credential-type-unmapped-fail.json", "/type/1"},
      // Judged by the validity check: validFrom is a year ahead, validUntil a year behind.
      {"credential-validUntil-validFrom-fail.json", "/validUntil"},
      {"credential-validfrom-invalid-fail.json", "/validFrom"},
      {"credential-validuntil-invalid-fail.json", "/validUntil"},
      {"names-and-descriptions/credential-description-extra-prop-en-fail.json", "/description/url"},
      {"names-and-descriptions/credential-name-extra-prop-en-fail.json", "/name/url"},
      {"names-and-descriptions/issuer-description-extra-prop-en-fail.json",
       "/issuer/description/url"},
      {"names-and-descriptions/issuer-name-extra-prop-en-fail.json", "/issuer/name/url"},
      {"presentation-context-order-fail.json", "/@context/0"},
      {"presentation-enveloped-vc-missing-type-fail.json", "/verifiableCredential/0/type"},
      {"presentation-holder-fail.json", "/holder"},
      {"presentation-holder-name-fail.json", "/holder/id"},
      {"presentation-holder-object-fail.json", "/holder/id"},
      {"presentation-missing-base-context-fail.json", "/@context/0"},
      {"presentation-missing-required-type-fail.json", "/type"},
      {"presentation-no-context-fail-or-inject.json", "/@context"},
      {"presentation-no-type-fail.json", "/type"},
      {"presentation-vc-as-string-fail.json", "/verifiableCredential/0"},
      {"presentation-vc-missing-required-type-fail.json", "/verifiableCredential/0/type"},
  };
  return *pointers;
}

// Fixtures whose name states no outcome. Upstream signs them at run time to test the rule that
// a self-asserted credential's issuer must equal the presentation's holder when both are
// secured by the same mechanism; only the proof stage knows what secured what, and the files
// hold no proof, so the data model has nothing to decide.
const std::map<std::string, std::string>& Skipped() {
  static const auto* skipped = new std::map<std::string, std::string>{
      {"presentation-self-asserted-vc-holder-mismatch.json",
       "self-asserted holder/issuer match needs the proof stage"},
      {"presentation-self-asserted-vc-issuer-mismatch.json",
       "self-asserted holder/issuer match needs the proof stage"},
      {"presentation-self-asserted-vc-no-holder.json",
       "self-asserted holder/issuer match needs the proof stage"},
  };
  return *skipped;
}

enum class Expect { kOk, kFail, kFailOrInject, kUnstated };

Expect ExpectationOf(const std::string& name) {
  auto ends_with = [&name](const std::string& suffix) {
    return name.size() >= suffix.size() &&
           name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (ends_with("-fail-or-inject.json")) return Expect::kFailOrInject;
  if (ends_with("-fail.json")) return Expect::kFail;
  if (ends_with("-ok.json")) return Expect::kOk;
  return Expect::kUnstated;
}

std::string Describe(const std::vector<Problem>& problems) {
  std::string out;
  for (const Problem& p : problems) out += "\n    " + p.pointer + ": " + p.message;
  return out.empty() ? " (no problems)" : out;
}

// What an issuer does with a fixture before securing it.
void ActAsIssuer(json& credential) {
  auto issuer = credential.find("issuer");
  if (issuer == credential.end()) {
    credential["issuer"] = kTestIssuer;
  } else if (issuer->is_object() && !issuer->contains("id")) {
    (*issuer)["id"] = kTestIssuer;
  }
}

// Replaces the "PAST DATE" / "FUTURE DATE" placeholders; true when there were any.
bool RewriteDates(json& credential, Time now) {
  const auto year = std::chrono::hours(24 * 365);
  const std::string past = FormatRfc3339(now - year).value_or(std::string());
  const std::string future = FormatRfc3339(now + year).value_or(std::string());
  bool rewritten = false;
  for (const char* member : {"validFrom", "validUntil"}) {
    auto it = credential.find(member);
    if (it == credential.end() || !it->is_string()) continue;
    if (*it == "PAST DATE" || *it == "FUTURE DATE") {
      *it = *it == "PAST DATE" ? past : future;
      rewritten = true;
    }
  }
  return rewritten;
}

// Puts the base context first, as an issuer may do for "-fail-or-inject" fixtures.
void InjectBaseContext(json& document) {
  auto context = document.find("@context");
  if (context == document.end()) {
    document["@context"] = json::array({kCredentialsContextV2});
  } else if (context->is_array()) {
    context->insert(context->begin(), kCredentialsContextV2);
  } else {
    *context = json::array({kCredentialsContextV2, *context});
  }
}

// Empty when the fixture behaves as its name says, else what went wrong.
std::string CheckFixture(const std::string& name, const std::string& text, Time now) {
  auto parsed = codec::ParseJson(text);
  if (!parsed.ok()) return parsed.status().ToString();
  json document = std::move(parsed).value();
  const std::string base = std::filesystem::path(name).filename().string();
  const bool presentation = base.rfind("presentation-", 0) == 0;
  if (!presentation && document.is_object()) ActAsIssuer(document);
  const bool dated = !presentation && document.is_object() && RewriteDates(document, now);
  const ValidationOptions options =
      presentation ? ValidationOptions::ForVerifying() : ValidationOptions::ForIssuing();
  auto validate = [&](const json& doc) {
    return presentation ? ValidatePresentation(doc, options) : ValidateCredential(doc, options);
  };

  const std::vector<Problem> problems = validate(document);
  std::vector<std::string> pointers;
  for (const Problem& p : problems) pointers.push_back(p.pointer);
  ValidityResult validity;
  validity.status = ValidityStatus::kValid;
  if (dated) {
    validity = CheckValidityPeriod(document, now, std::chrono::seconds(0));
    if (!validity.ok()) pointers.push_back(validity.pointer);
  }

  switch (ExpectationOf(name)) {
    case Expect::kOk:
      if (!problems.empty()) return "expected no problems, got" + Describe(problems);
      if (!validity.ok()) return "expected a valid period, got " + validity.reason;
      return "";
    case Expect::kFail:
    case Expect::kFailOrInject: {
      if (pointers.empty()) return "expected a rejection, got no problems";
      auto expected = ExpectedPointers().find(name);
      if (expected == ExpectedPointers().end()) return "no expected pointer listed for it";
      if (std::find(pointers.begin(), pointers.end(), expected->second) == pointers.end()) {
        return "expected a problem at " + expected->second + ", got" + Describe(problems) +
               (validity.ok() ? "" : "\n    validity: " + validity.reason);
      }
      if (ExpectationOf(name) == Expect::kFail) return "";
      for (const Problem& p : problems) {
        if (p.pointer.rfind("/@context", 0) != 0) {
          return "rejected for more than @context:" + Describe(problems);
        }
      }
      json injected = document;
      InjectBaseContext(injected);
      const std::vector<Problem> after = validate(injected);
      if (!after.empty()) {
        return "still rejected after injecting the base context:" + Describe(after);
      }
      return "";
    }
    case Expect::kUnstated:
      return "the file name states no expected outcome";
  }
  return "unreachable";
}

TEST(VcDm2Conformance, TestSuiteFixtures) {
  TRACEPORT_CONFORMANCE_DIR_OR_SKIP(dir, "vc-dm2-fixtures", "vc-data-model-2.0-test-suite");
  const std::filesystem::path input = dir / "tests" / "input";
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(input)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      names.push_back(entry.path().lexically_relative(input).generic_string());
    }
  }
  std::sort(names.begin(), names.end());
  const Time now = SystemClock().Now();
  SuiteCounter counter("vc-dm2-fixtures");
  size_t expected_pointers_used = 0;
  for (const std::string& name : names) {
    if (auto skip = Skipped().find(name); skip != Skipped().end()) {
      std::printf("  skipped %s: %s\n", name.c_str(), skip->second.c_str());
      counter.Skip();
      continue;
    }
    if (ExpectedPointers().count(name) != 0) ++expected_pointers_used;
    auto text = ReadFile(input / name);
    if (!text.ok()) {
      counter.Fail(name + ": " + text.status().ToString());
      continue;
    }
    const std::string problem = CheckFixture(name, *text, now);
    counter.Record(problem.empty(), name + ": " + problem);
  }
  counter.Print();
  EXPECT_EQ(names.size(), kFixtures) << "unexpected number of fixtures";
  EXPECT_EQ(expected_pointers_used, ExpectedPointers().size()) << "stale entries in the table";
  EXPECT_EQ(counter.skipped(), Skipped().size());
  EXPECT_EQ(counter.failed(), 0u);
}

// REC examples that are not complete credentials or presentations.
const std::map<std::string, std::string>& SkippedExamples() {
  static const auto* skipped = new std::map<std::string, std::string>{
      {"example-01.json", "a template for prototype credentials, without an issuer"},
      {"example-23.json", "a JSON-LD context document, not a credential"},
      {"example-33.json", "a JSON-LD context document, not a credential"},
  };
  return *skipped;
}

TEST(VcDm2Conformance, RecExamples) {
  TRACEPORT_CONFORMANCE_DIR_OR_SKIP(dir, "vc-dm2-rec-examples", "vc-data-model-2.0");
  const std::filesystem::path examples = dir / "rec-examples";
  auto index = ReadFile(examples / "INDEX.tsv");
  ASSERT_TRUE(index.ok()) << index.status().ToString();
  SuiteCounter counter("vc-dm2-rec-examples");
  size_t listed = 0;
  std::string_view rest = *index;
  bool header = true;
  while (!rest.empty()) {
    const size_t eol = rest.find('\n');
    const std::string_view line = rest.substr(0, eol);
    rest.remove_prefix(eol == std::string_view::npos ? rest.size() : eol + 1);
    if (header || line.empty()) {
      header = false;
      continue;
    }
    ++listed;
    const size_t tab = line.find('\t');
    ASSERT_NE(tab, std::string_view::npos) << "malformed INDEX.tsv line: " << line;
    const std::string file(line.substr(0, tab));
    const std::string anchor(line.substr(tab + 1));
    if (auto skip = SkippedExamples().find(file); skip != SkippedExamples().end()) {
      std::printf("  skipped %s: %s\n", file.c_str(), skip->second.c_str());
      counter.Skip();
      continue;
    }
    auto text = ReadFile(examples / file);
    if (!text.ok()) {
      counter.Fail(file + ": " + text.status().ToString());
      continue;
    }
    auto parsed = codec::ParseJson(*text);
    if (!parsed.ok()) {
      counter.Fail(file + ": " + parsed.status().ToString());
      continue;
    }
    const bool presentation = anchor.find("presentation") != std::string::npos;
    const std::vector<Problem> problems =
        presentation ? ValidatePresentation(*parsed) : ValidateCredential(*parsed);
    counter.Record(problems.empty(), file + " (" + anchor + "):" + Describe(problems));
  }
  counter.Print();
  EXPECT_EQ(listed, kRecExamples) << "unexpected number of examples in INDEX.tsv";
  EXPECT_EQ(counter.skipped(), SkippedExamples().size());
  EXPECT_EQ(counter.failed(), 0u);
}

}  // namespace
}  // namespace traceport::vc
