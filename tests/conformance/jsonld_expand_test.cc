// W3C JSON-LD 1.1 API expansion tests (../shared/conformance/json-ld-api/tests/
// expand-manifest.jsonld; see SOURCES.md there and conformance-guide section 2):
//   conformance jsonld-expand   every test of the manifest. Positive tests pass when the output
//                               equals `expect` under JSON-LD object comparison; negative tests
//                               when expansion fails with exactly `expectErrorCode`.
// Skipped, each printed with its reason:
//   - specVersion json-ld-1.0 tests and processingMode json-ld-1.0 tests: we implement
//     processing mode json-ld-1.1 only, and these expect 1.0 behaviour (1.0-only errors);
//   - normative: false tests (#t0122): behaviour the spec leaves open.
// All tests share one ContextCache, as a verifier would, so a caching bug that leaks one test's
// context into another shows up as failures here.
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

// Why `t` is not run, or empty.
std::string SkipReason(const SuiteTest& t) {
  if (t.spec_version == "json-ld-1.0") return "specVersion json-ld-1.0 only";
  if (t.processing_mode == "json-ld-1.0") return "processingMode json-ld-1.0 is not supported";
  if (!t.normative) return "not normative";
  return "";
}

// Empty when `t` passes, else what went wrong.
std::string RunTest(const std::filesystem::path& dir, const SuiteTest& t,
                    const SuiteDocumentLoader& loader, ContextCache& cache) {
  Result<RemoteDocument> input = loader.Load(t.InputUrl());
  if (!input.ok()) return "input: " + input.status().ToString();
  ExpandOptions options;
  options.base = t.DocumentBase();
  options.loader = &loader;
  options.cache = &cache;
  nlohmann::json expand_context;
  if (!t.expand_context.empty()) {
    auto ctx = testing::ReadJsonFile(dir / t.expand_context);
    if (!ctx.ok()) return "expandContext: " + ctx.status().ToString();
    expand_context = *std::move(ctx);
    options.expand_context = &expand_context;
  }
  Result<nlohmann::json> out = Expand(*input->document, options);
  if (t.IsNegative()) {
    if (out.ok()) return "expected error \"" + t.expect_error_code + "\", got " + out->dump();
    if (JsonLdErrorCode(out.status()) != t.expect_error_code) {
      return "expected error \"" + t.expect_error_code + "\", got " + out.status().ToString();
    }
    return "";
  }
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
  auto dir_opt = testing::SuiteDir();
  if (!dir_opt) {
    std::printf("conformance jsonld-expand: 0 passed, 0 failed, 1 skipped\n");
    if (::traceport::testing::InCi()) FAIL() << "json-ld-api tests missing and CI is set";
    GTEST_SKIP() << "json-ld-api tests not found";
  }
  const std::filesystem::path dir = *dir_opt;
  auto manifest = testing::LoadManifest(dir, "expand-manifest.jsonld");
  ASSERT_TRUE(manifest.ok()) << manifest.status();
  SuiteDocumentLoader loader(dir);
  ContextCache cache;
  SuiteCounter counter("jsonld-expand");
  for (const SuiteTest& t : manifest->tests) {
    if (!t.HasType("jld:ExpandTest")) continue;
    if (std::string reason = SkipReason(t); !reason.empty()) {
      std::printf("skip %s (%s): %s\n", t.id.c_str(), t.name.c_str(), reason.c_str());
      counter.Skip();
      continue;
    }
    const std::string problem = RunTest(dir, t, loader, cache);
    counter.Record(problem.empty(), t.id + " " + t.name + ": " + problem);
  }
  counter.Print();
  EXPECT_EQ(counter.passed() + counter.failed() + counter.skipped(), 385u)
      << "the manifest changed";
  const size_t run = counter.passed() + counter.failed();
  ASSERT_GT(run, 0u);
  EXPECT_GE(counter.passed() * 100, run * 98) << "pass rate below 98%";
}

}  // namespace
}  // namespace traceport::jsonld
