// W3C JSON-LD 1.1 API expansion tests (../shared/conformance/json-ld-api/tests/
// expand-manifest.jsonld; see SOURCES.md there and conformance-guide section 2):
//   conformance jsonld-expand   every test of the manifest. Positive tests pass when the output
//                               equals `expect` under JSON-LD object comparison; negative tests
//                               when expansion fails with exactly `expectErrorCode`.
// Skipped, each printed with its reason:
//   - specVersion json-ld-1.0 tests and processingMode json-ld-1.0 tests: we implement
//     processing mode json-ld-1.1 only, and these expect 1.0 behaviour (1.0-only errors);
//   - normative: false tests (#t0122): behaviour the spec leaves open.
// All tests share one ContextCache, as a verifier would (testing::RunManifest).
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "common/testing/conformance.h"
#include "jsonld/context.h"
#include "jsonld/error.h"
#include "jsonld/expand.h"
#include "jsonld/testing/json_ld_suite.h"

namespace traceport::jsonld {
namespace {

using ::traceport::jsonld::testing::JsonLdEqual;
using ::traceport::jsonld::testing::SuiteDocumentLoader;
using ::traceport::jsonld::testing::SuiteTest;
using ::traceport::testing::SuiteCounter;

constexpr size_t kManifestTests = 385;

// Empty when `t` passes, else what went wrong.
std::string RunTest(const std::filesystem::path& dir, const SuiteTest& t,
                    const SuiteDocumentLoader& loader, ContextCache& cache) {
  Result<nlohmann::json> out = testing::ExpandTestInput(dir, t, loader, cache);
  if (t.IsNegative()) return testing::NegativeVerdict(t, out.status(), out.ok() ? out->dump() : "");
  if (!out.ok()) return out.status().ToString();
  if (t.expect.empty()) return "";
  auto expected = testing::ReadJsonFile(dir / t.expect);
  if (!expected.ok()) return "expect: " + expected.status().ToString();
  if (!JsonLdEqual(*out, *expected)) {
    return "got " + out->dump() + "\n    want " + expected->dump();
  }
  return "";
}

TEST(JsonLdExpandConformance, Manifest) {
  TRACEPORT_CONFORMANCE_DIR_OR_SKIP(dir, "jsonld-expand", "json-ld-api/tests");
  SuiteCounter counter("jsonld-expand");
  auto seen = testing::RunManifest(
      dir, "expand-manifest.jsonld", "jld:ExpandTest",
      [&](const SuiteTest& t, const SuiteDocumentLoader& loader, ContextCache& cache) {
        return RunTest(dir, t, loader, cache);
      },
      counter);
  const Status verdict = testing::Conclude(seen, counter, kManifestTests);
  EXPECT_TRUE(verdict.ok()) << verdict;
}

}  // namespace
}  // namespace traceport::jsonld
