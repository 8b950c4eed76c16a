// W3C JSON-LD 1.1 API deserialization tests (../shared/conformance/json-ld-api/tests/
// toRdf-manifest.jsonld; see SOURCES.md there and conformance-guide section 2):
//   conformance jsonld-tordf   every test of the manifest: the input is expanded with the test's
//                              options (base, expandContext) and deserialized with its
//                              produceGeneralizedRdf / rdfDirection options.
// Pass rules:
//   - positive evaluation tests: the dataset is isomorphic to `expect` (.nq). Both sides are
//     canonicalized with RDFC-1.0 and the canonical N-Quads compared as strings;
//   - negative tests: expansion or deserialization fails with exactly `expectErrorCode`;
//   - positive syntax tests: no error.
// Skipped, each printed with its reason:
//   - specVersion json-ld-1.0 and processingMode json-ld-1.0 tests: expansion implements
//     processing mode json-ld-1.1 only, and these expect 1.0 behaviour;
//   - normative: false tests (#tdi09-#tdi12): behaviour the spec leaves open (to_rdf_test.cc
//     covers both rdfDirection modes).
// The suite fails when fewer than 98% of the tests run pass; failing ids are listed at the end.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "common/testing/conformance.h"
#include "jsonld/context.h"
#include "jsonld/error.h"
#include "jsonld/expand.h"
#include "jsonld/nquads.h"
#include "jsonld/rdfc.h"
#include "jsonld/testing/json_ld_suite.h"
#include "jsonld/to_rdf.h"

namespace traceport::jsonld {
namespace {

using ::traceport::jsonld::testing::SuiteDocumentLoader;
using ::traceport::jsonld::testing::SuiteTest;
using ::traceport::testing::ReadFile;
using ::traceport::testing::SuiteCounter;

constexpr size_t kManifestTests = 467;

// Expansion and deserialization of `t`'s input with its options.
Result<Dataset> Deserialize(const std::filesystem::path& dir, const SuiteTest& t,
                            const SuiteDocumentLoader& loader, ContextCache& cache) {
  ASSIGN_OR_RETURN(nlohmann::json expanded, testing::ExpandTestInput(dir, t, loader, cache));
  ToRdfOptions options;
  options.produce_generalized_rdf = t.produce_generalized_rdf;
  if (t.rdf_direction == "i18n-datatype") {
    options.rdf_direction = RdfDirection::kI18nDatatype;
  } else if (t.rdf_direction == "compound-literal") {
    options.rdf_direction = RdfDirection::kCompoundLiteral;
  } else if (!t.rdf_direction.empty()) {
    return InvalidArgumentError("unknown rdfDirection " + t.rdf_direction);
  }
  return ToRdf(expanded, options);
}

// Empty when `t` passes, else what went wrong.
std::string RunTest(const std::filesystem::path& dir, const SuiteTest& t,
                    const SuiteDocumentLoader& loader, ContextCache& cache) {
  Result<Dataset> out = Deserialize(dir, t, loader, cache);
  if (t.IsNegative()) {
    return testing::NegativeVerdict(t, out.status(), out.ok() ? "\n" + SerializeNQuads(*out) : "");
  }
  if (!out.ok()) return out.status().ToString();
  if (t.IsSyntax() || t.expect.empty()) return "";

  auto expected_text = ReadFile(dir / t.expect);
  if (!expected_text.ok()) return "expect: " + expected_text.status().ToString();
  auto expected = ParseNQuads(*expected_text);
  if (!expected.ok()) return "expect: " + expected.status().ToString();
  auto want = Canonicalize(*expected);
  if (!want.ok()) return "canonicalizing expect: " + want.status().ToString();
  auto got = Canonicalize(*out);
  if (!got.ok()) return "canonicalizing output: " + got.status().ToString();
  if (got->nquads != want->nquads) {
    return "got\n" + SerializeNQuads(*out) + "    want\n" + *expected_text;
  }
  return "";
}

TEST(JsonLdToRdfConformance, Manifest) {
  TRACEPORT_CONFORMANCE_DIR_OR_SKIP(dir, "jsonld-tordf", "json-ld-api/tests");
  SuiteCounter counter("jsonld-tordf");
  auto seen = testing::RunManifest(
      dir, "toRdf-manifest.jsonld", "",
      [&](const SuiteTest& t, const SuiteDocumentLoader& loader, ContextCache& cache) {
        return RunTest(dir, t, loader, cache);
      },
      counter);
  const Status verdict = testing::Conclude(seen, counter, kManifestTests);
  EXPECT_TRUE(verdict.ok()) << verdict;
}

}  // namespace
}  // namespace traceport::jsonld
