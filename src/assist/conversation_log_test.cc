// Tests of the conversation log: what a record holds (and does not), JSON escaping and
// truncation of unanswered questions, daily statistics, and purging old records.
#include "assist/conversation_log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "codec/json.h"
#include "common/testing/fake_clock.h"

namespace traceport::assist {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class ConversationLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "/assist_log_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".jsonl";
    std::filesystem::remove(path_);
  }
  std::string Contents() const {
    std::ifstream in(path_, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  static Answer Make(AnswerKind kind, std::string unit = "", std::string intent = "") {
    Answer a;
    a.kind = kind;
    a.unit = std::move(unit);
    a.intent = std::move(intent);
    a.confidence = 0.8234;
    a.text = "the answer text is never logged";
    return a;
  }

  std::string path_;
  testing::FakeClock clock_{ParseRfc3339("2026-11-20T08:30:00Z").value()};
};

TEST_F(ConversationLogTest, StopsGrowingAtItsLimitAndListsTheLatestUnanswered) {
  ConversationLog log(path_, clock_, /*max_bytes=*/1000);
  int written = 0;
  Status last;
  for (int i = 0; i < 50; ++i) {
    last = log.Record("s", "question " + std::to_string(i), Make(AnswerKind::kUnknown));
    if (last.ok()) ++written;
  }
  EXPECT_EQ(last.code(), StatusCode::kResourceExhausted);
  EXPECT_GT(written, 0);
  EXPECT_LE(std::filesystem::file_size(path_), 1000u);
  Result<LogStats> stats = log.Stats();
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(stats->records, written);
  EXPECT_EQ(stats->unanswered_total, written);

  ConversationLog big(path_ + ".many", clock_);
  std::filesystem::remove(path_ + ".many");
  for (size_t i = 0; i < kMaxListedUnanswered + 5; ++i) {
    ASSERT_TRUE(big.Record("s", "q" + std::to_string(i), Make(AnswerKind::kDecline)).ok());
  }
  stats = big.Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->unanswered_total, static_cast<int64_t>(kMaxListedUnanswered + 5));
  ASSERT_EQ(stats->unanswered.size(), kMaxListedUnanswered);
  EXPECT_EQ(stats->unanswered.front().question, "q5");  // the oldest five are not listed
  std::filesystem::remove(path_ + ".many");
}

TEST_F(ConversationLogTest, RecordsHoldOnlyWhatIsNeeded) {
  ConversationLog log(path_, clock_);
  ASSERT_TRUE(log.Record("s1", "who can certify?",
                         Make(AnswerKind::kAnswer, "certification.who", "certification"))
                  .ok());
  ASSERT_TRUE(log.Record("s1", "what is the weather", Make(AnswerKind::kDecline)).ok());
  const std::string text = Contents();
  EXPECT_EQ(text,
            "{\"confidence\":0.823,\"intent\":\"certification\",\"kind\":\"answer\",\"session\":"
            "\"s1\",\"ts\":\"2026-11-20T08:30:00Z\",\"unit\":\"certification.who\"}\n"
            "{\"confidence\":0.823,\"intent\":null,\"kind\":\"decline\",\"question\":\"what is the "
            "weather\",\"session\":\"s1\",\"ts\":\"2026-11-20T08:30:00Z\",\"unit\":null}\n");
  EXPECT_THAT(text, Not(HasSubstr("who can certify")));  // answered: the question is not kept
  EXPECT_THAT(text, Not(HasSubstr("never logged")));
}

TEST_F(ConversationLogTest, EscapesAndTruncatesQuestions) {
  ConversationLog log(path_, clock_);
  const std::string nasty = "line\nbreak \"quoted\" \\ <script> \x01 é";
  ASSERT_TRUE(log.Record("s", nasty, Make(AnswerKind::kUnknown)).ok());
  // 499 ASCII bytes then a two-byte character: the cut must not split it.
  const std::string long_question = std::string(499, 'a') + "é" + std::string(100, 'b');
  ASSERT_TRUE(log.Record("s", long_question, Make(AnswerKind::kUnknown)).ok());
  // Each record is one line of valid JSON.
  std::ifstream in(path_);
  std::string line;
  std::vector<std::string> questions;
  while (std::getline(in, line)) {
    Result<nlohmann::json> v = codec::ParseJson(line);
    ASSERT_TRUE(v.ok()) << line;
    questions.push_back((*v)["question"].get<std::string>());
  }
  ASSERT_EQ(questions.size(), 2u);
  EXPECT_EQ(questions[0], nasty);
  EXPECT_EQ(questions[1], std::string(499, 'a'));
  EXPECT_LE(questions[1].size(), kMaxLoggedQuestionBytes);
}

TEST_F(ConversationLogTest, StatsCountKindsPerDay) {
  ConversationLog log(path_, clock_);
  ASSERT_TRUE(log.Record("a", "q", Make(AnswerKind::kAnswer, "u", "i")).ok());
  ASSERT_TRUE(log.Record("a", "q", Make(AnswerKind::kCalculation, "", "calc-mpf")).ok());
  ASSERT_TRUE(log.Record("a", "what about bicycles", Make(AnswerKind::kUnknown)).ok());
  clock_.Advance(std::chrono::hours(24));
  ASSERT_TRUE(log.Record("b", "q", Make(AnswerKind::kAnswer, "u", "i")).ok());
  ASSERT_TRUE(log.Record("b", "q", Make(AnswerKind::kRefused)).ok());
  {
    std::ofstream torn(path_, std::ios::app);
    torn << "{\"ts\":\"2026-11-21T";  // a line cut short by a crash
  }
  Result<LogStats> stats = log.Stats();
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(stats->records, 5);
  EXPECT_EQ(stats->malformed, 1);
  ASSERT_EQ(stats->days.size(), 2u);
  EXPECT_EQ(stats->days[0].date, "2026-11-20");
  EXPECT_EQ(stats->days[0].kinds.at("answer"), 1);
  EXPECT_EQ(stats->days[0].kinds.at("calculation"), 1);
  EXPECT_EQ(stats->days[0].kinds.at("unknown"), 1);
  EXPECT_EQ(stats->days[1].date, "2026-11-21");
  EXPECT_EQ(stats->days[1].kinds.at("refused"), 1);
  ASSERT_EQ(stats->unanswered.size(), 1u);
  EXPECT_EQ(stats->unanswered[0].question, "what about bicycles");
  EXPECT_EQ(stats->unanswered[0].ts, "2026-11-20T08:30:00Z");
  const nlohmann::json j = stats->ToJson();
  EXPECT_EQ(j["days"][1]["kinds"]["answer"], 1);
  EXPECT_EQ(j["unanswered"][0]["kind"], "unknown");
}

TEST_F(ConversationLogTest, PurgeDropsOldRecords) {
  ConversationLog log(path_, clock_);
  Result<int64_t> nothing = log.Purge(30);  // no file yet
  ASSERT_TRUE(nothing.ok()) << nothing.status();
  EXPECT_EQ(*nothing, 0);
  for (int day = 0; day < 10; ++day) {
    ASSERT_TRUE(log.Record("s", "old question", Make(AnswerKind::kUnknown)).ok());
    clock_.Advance(std::chrono::hours(24));
  }
  // Now is day 10; keep the last 3 days: records of days 7, 8 and 9.
  Result<int64_t> removed = log.Purge(3);
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ(*removed, 7);
  Result<LogStats> stats = log.Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->records, 3);
  EXPECT_EQ(stats->days.front().date, "2026-11-27");
  // Appending continues after a purge; purging again with nothing old changes nothing.
  ASSERT_TRUE(log.Record("s", "q", Make(AnswerKind::kAnswer)).ok());
  EXPECT_EQ(*log.Purge(3), 0);
  EXPECT_EQ(log.Stats()->records, 4);
  EXPECT_FALSE(std::filesystem::exists(path_ + ".tmp"));
  EXPECT_EQ(log.Purge(-1).status().code(), StatusCode::kInvalidArgument);
  // Zero days keeps only records from this very instant on.
  clock_.Advance(std::chrono::seconds(1));
  EXPECT_EQ(*log.Purge(0), 4);
  EXPECT_EQ(log.Stats()->records, 0);
}

TEST_F(ConversationLogTest, UnwritablePath) {
  ConversationLog log(::testing::TempDir() + "/no/such/dir/log.jsonl", clock_);
  EXPECT_EQ(log.Record("s", "q", Make(AnswerKind::kAnswer)).code(), StatusCode::kUnavailable);
  Result<LogStats> stats = log.Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->records, 0);
}

}  // namespace
}  // namespace traceport::assist
