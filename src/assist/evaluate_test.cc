// Tests of the evaluation runner: a tiny question set over the test knowledge base (every kind
// of expectation, one item built to fail), question-set errors, and the real evaluation set over
// the built-in knowledge base when both are present.
#include "assist/evaluate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include "common/testing/fake_clock.h"
#include "common/testing/timing.h"

namespace traceport::assist {
namespace {

using ::testing::HasSubstr;

const std::string kDir = std::string(TRACEPORT_SOURCE_DIR) + "/src/assist";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

testing::FakeClock Clock() {
  return testing::FakeClock(ParseRfc3339("2026-11-27T12:00:00Z").value());
}

TEST(EvaluateTest, TinySetOverTheTestKnowledgeBase) {
  Result<KnowledgeBase> kb = KnowledgeBase::FromDirectory(kDir + "/testdata/kb");
  ASSERT_TRUE(kb.ok()) << kb.status();
  const testing::FakeClock clock = Clock();
  Result<EvalReport> report =
      EvaluateSet(*kb, ReadFile(kDir + "/testdata/eval/questions.json"), clock);
  ASSERT_TRUE(report.ok()) << report.status();
  for (const EvalFailure& f : report->failures) std::cout << f.id << ": " << f.reason << "\n";
  EXPECT_EQ(report->items, 10u);
  // t10 asks for a fact its unit does not state: the only failure.
  ASSERT_EQ(report->failures.size(), 1u);
  EXPECT_EQ(report->failures[0].id, "t10");
  EXPECT_THAT(report->failures[0].reason, HasSubstr("missing fact \"not a fact in the answer\""));
  EXPECT_DOUBLE_EQ(report->accuracy, 0.9);
  EXPECT_DOUBLE_EQ(report->citation_rate, 1.0);
  EXPECT_EQ(report->decline_expected, 2u);
  EXPECT_DOUBLE_EQ(report->decline_rate, 1.0);
  EXPECT_EQ(report->turns, 11u);
  EXPECT_LE(report->p50_ms, report->p99_ms);
  EXPECT_EQ(report->by_kind["followup"], std::make_pair(size_t{1}, size_t{1}));
  EXPECT_EQ(report->ToJson()["failures"][0]["id"], "t10");
  EXPECT_THAT(report->Summary(), HasSubstr("accuracy 0.900 (9/10)"));
}

TEST(EvaluateTest, MalformedSetsNameTheItem) {
  Result<KnowledgeBase> kb = KnowledgeBase::FromDirectory(kDir + "/testdata/kb");
  ASSERT_TRUE(kb.ok()) << kb.status();
  const testing::FakeClock clock = Clock();
  const auto error = [&](const std::string& text) {
    return std::string(EvaluateSet(*kb, text, clock).status().message());
  };
  EXPECT_THAT(error("[]"), HasSubstr("expected {\"items\": [...]}"));
  EXPECT_THAT(error(R"({"items": []})"), HasSubstr("at least one item"));
  EXPECT_THAT(error(R"({"items": [{"turns": ["x"], "expect": {}}]})"),
              HasSubstr("items[0]: missing id"));
  EXPECT_THAT(error(R"({"items": [{"id": "a", "turns": [], "expect": {}}]})"),
              HasSubstr("items[0] (a): turns must be a non-empty array"));
  EXPECT_THAT(error(R"({"items": [{"id": "a", "turns": ["x"], "expect": {"unti": "b"}}]})"),
              HasSubstr("unknown expectation \"unti\""));
  EXPECT_THAT(error(R"({"items": [{"id": "a", "turns": ["x"], "expect": {}},
                                  {"id": "a", "turns": ["y"], "expect": {}}]})"),
              HasSubstr("items[1] (a): duplicate id"));
}

// The real evaluation set (src/assist/eval/questions.json, written with the knowledge base) over
// the built-in knowledge base. The floors sit below today's results (accuracy 0.925, p99 well
// under 1 ms) so that editing a unit does not break the build, but a regression in the engine
// or the knowledge base does.
TEST(EvaluateTest, BuiltinKnowledgeBaseMeetsTheGoals) {
  const std::string questions = kDir + "/eval/questions.json";
  if (!std::filesystem::exists(questions) || !KnowledgeBase::Builtin().ok()) {
    GTEST_SKIP() << "no built-in knowledge base or evaluation set in this checkout";
  }
  const testing::FakeClock clock = Clock();
  Result<EvalReport> report = EvaluateSet(*KnowledgeBase::Builtin(), ReadFile(questions), clock);
  ASSERT_TRUE(report.ok()) << report.status();
  std::cout << "eval-assist: " << report->Summary() << "\n";
  for (const EvalFailure& f : report->failures) {
    std::cout << "  " << f.id << " (" << f.kind << "): " << f.reason << "\n";
  }
  EXPECT_GE(report->accuracy, 0.85);
  EXPECT_GE(report->citation_rate, 1.0);
  EXPECT_GE(report->decline_rate, 1.0);
  if (!testing::kTimingIsMeaningful) return;  // speed is judged in optimised builds
  // The goal is a p99 of 10 ms per turn. This machine is shared, so a slow run is repeated and
  // the best of three counts.
  double p99 = report->p99_ms;
  for (int run = 0; run < 2 && p99 > 10.0; ++run) {
    p99 = std::min(p99, EvaluateSet(*KnowledgeBase::Builtin(), ReadFile(questions), clock)->p99_ms);
  }
  EXPECT_LE(p99, 10.0);
}

}  // namespace
}  // namespace traceport::assist
