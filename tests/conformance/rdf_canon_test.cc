// RDF Dataset Canonicalization (RDFC-1.0) against the W3C test suite
// (../shared/conformance/rdf-canon/tests; conformance guide §1):
//   RDFC10EvalTest          canonical N-Quads equal the expected file byte for byte
//   RDFC10MapTest           the issued identifiers map equals the expected JSON object
//   RDFC10NegativeEvalTest  canonicalization ends in the work-limit error
// Tests with "hashAlgorithm": "SHA384" run with HashAlgorithm::kSha384.
//
// Every test runs with the shipped CanonicalizeOptions defaults, so the suite also checks the
// default work limit: high enough for every positive test, low enough to stop the clique
// (#test074c). The negative test additionally runs with max_work_factor 1, the setting the
// suite's notes name.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "common/testing/conformance.h"
#include "jsonld/error.h"
#include "jsonld/nquads.h"
#include "jsonld/rdfc.h"

namespace traceport::jsonld {
namespace {

using nlohmann::json;

Result<CanonicalDataset> CanonicalizeFile(const std::filesystem::path& path,
                                          const CanonicalizeOptions& options) {
  ASSIGN_OR_RETURN(std::string text, testing::ReadFile(path));
  ASSIGN_OR_RETURN(Dataset dataset, ParseNQuads(text));
  return Canonicalize(dataset, options);
}

bool IsWorkLimitError(const Status& status) {
  return status.code() == StatusCode::kResourceExhausted &&
         JsonLdErrorCode(status) == "work limit exceeded";
}

TEST(RdfCanonConformance, Rdfc10) {
  TRACEPORT_CONFORMANCE_DIR_OR_SKIP(dir, "rdf-canon", "rdf-canon/tests");
  testing::SuiteCounter counter("rdf-canon");

  auto manifest_text = testing::ReadFile(dir / "manifest.jsonld");
  ASSERT_TRUE(manifest_text.ok()) << manifest_text.status();
  const json manifest = json::parse(*manifest_text, nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(manifest.is_object() && manifest.contains("entries"));

  for (const json& entry : manifest["entries"]) {
    const std::string id = entry.value("id", "");
    const std::string type = entry.value("type", "");
    CanonicalizeOptions options;
    if (entry.value("hashAlgorithm", "SHA256") == "SHA384") {
      options.hash = HashAlgorithm::kSha384;
    }
    const std::filesystem::path action = dir / entry.value("action", "");
    auto result = CanonicalizeFile(action, options);

    if (type == "rdfc:RDFC10NegativeEvalTest") {
      CanonicalizeOptions strict = options;
      strict.max_work_factor = 1;
      auto strict_result = CanonicalizeFile(action, strict);
      const bool ok = !result.ok() && IsWorkLimitError(result.status()) && !strict_result.ok() &&
                      IsWorkLimitError(strict_result.status());
      counter.Record(ok, id + ": expected the work-limit error, got " +
                             (result.ok() ? std::string("success") : result.status().ToString()));
      continue;
    }
    if (!result.ok()) {
      counter.Fail(id + ": " + result.status().ToString());
      continue;
    }
    auto expected = testing::ReadFile(dir / entry.value("result", ""));
    if (!expected.ok()) {
      counter.Fail(id + ": " + expected.status().ToString());
      continue;
    }
    if (type == "rdfc:RDFC10EvalTest") {
      counter.Record(result->nquads == *expected,
                     id + ": canonical N-Quads differ; got\n" + result->nquads);
    } else if (type == "rdfc:RDFC10MapTest") {
      const json want = json::parse(*expected, nullptr, /*allow_exceptions=*/false);
      std::map<std::string, std::string> want_map;
      bool well_formed = want.is_object();
      if (well_formed) {
        for (const auto& [key, value] : want.items()) {
          if (!value.is_string()) well_formed = false;
          if (well_formed) want_map[key] = value.get<std::string>();
        }
      }
      std::string got;
      for (const auto& [from, to] : result->issued) got += from + "->" + to + " ";
      counter.Record(well_formed && want_map == result->issued,
                     id + ": issued map differs; got " + got);
    } else {
      counter.Fail(id + ": unknown test type " + type);
    }
  }
  counter.Print();
  EXPECT_EQ(counter.failed(), 0u);
  EXPECT_EQ(counter.passed(), 86u);
}

}  // namespace
}  // namespace traceport::jsonld
