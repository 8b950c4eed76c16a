// Tests of the session table: ids, follow-ups within a session, TTL expiry, LRU eviction,
// logging of turns, and concurrent use.
#include "assist/sessions.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "assist/testing/test_kb.h"
#include "common/testing/fake_clock.h"
#include "common/testing/fake_random.h"

namespace traceport::assist {
namespace {

using ::testing::MatchesRegex;

class SessionsTest : public ::testing::Test {
 protected:
  const KnowledgeBase* kb_ = &TestKnowledgeBase();
  testing::FakeClock clock_{ParseRfc3339("2026-03-15T12:00:00Z").value()};
  testing::FakeRandom random_{42};
};

TEST_F(SessionsTest, IdsAreRandomHexAndKeepTheConversation) {
  Sessions sessions(*kb_, clock_, random_);
  const Answer first = sessions.Ask("", "calculate RVC");
  EXPECT_THAT(first.session_id, MatchesRegex("[0-9a-f]{32}"));
  EXPECT_EQ(first.kind, AnswerKind::kClarify);
  // The same session remembers the pending calculation.
  const Answer second = sessions.Ask(first.session_id, "TV 100000, VNM 35000");
  EXPECT_EQ(second.session_id, first.session_id);
  EXPECT_EQ(second.kind, AnswerKind::kCalculation);
  // Another session does not.
  const Answer other = sessions.Ask("", "TV 100000, VNM 35000");
  EXPECT_NE(other.session_id, first.session_id);
  EXPECT_NE(other.kind, AnswerKind::kCalculation);
  EXPECT_EQ(sessions.size(), 2u);
}

TEST_F(SessionsTest, UnknownIdsStartANewSession) {
  Sessions sessions(*kb_, clock_, random_);
  for (const char* id : {"nope", "00000000000000000000000000000000", "<script>"}) {
    const Answer a = sessions.Ask(id, "who can certify origin?");
    EXPECT_NE(a.session_id, id);
    EXPECT_THAT(a.session_id, MatchesRegex("[0-9a-f]{32}"));
  }
  EXPECT_EQ(sessions.size(), 3u);
}

TEST_F(SessionsTest, IdleSessionsExpire) {
  SessionOptions options;
  options.ttl = std::chrono::minutes(30);
  Sessions sessions(*kb_, clock_, random_, options);
  const std::string a = sessions.Create();
  clock_.Advance(std::chrono::minutes(20));
  const std::string b = sessions.Create();
  EXPECT_TRUE(sessions.Contains(a));
  clock_.Advance(std::chrono::minutes(15));  // a idle 35 minutes, b 15
  EXPECT_FALSE(sessions.Contains(a));
  EXPECT_TRUE(sessions.Contains(b));
  EXPECT_EQ(sessions.size(), 1u);
  // Using a session keeps it alive.
  EXPECT_EQ(sessions.Ask(b, "who can certify origin?").session_id, b);
  for (int i = 0; i < 3; ++i) {
    clock_.Advance(std::chrono::minutes(20));
    EXPECT_EQ(sessions.Ask(b, "who can certify origin?").session_id, b);
  }
  // An expired id gets a new session.
  clock_.Advance(std::chrono::minutes(31));
  EXPECT_NE(sessions.Ask(b, "who can certify origin?").session_id, b);
}

TEST_F(SessionsTest, FullTableEvictsTheLeastRecentlyUsed) {
  SessionOptions options;
  options.max_sessions = 2;
  Sessions sessions(*kb_, clock_, random_, options);
  const std::string a = sessions.Create();
  const std::string b = sessions.Create();
  sessions.Ask(a, "who can certify origin?");  // a is now the most recent
  const std::string c = sessions.Create();
  EXPECT_TRUE(sessions.Contains(a));
  EXPECT_FALSE(sessions.Contains(b));
  EXPECT_TRUE(sessions.Contains(c));
  EXPECT_EQ(sessions.size(), 2u);
  EXPECT_TRUE(sessions.Erase(a));
  EXPECT_FALSE(sessions.Erase(a));
  EXPECT_EQ(sessions.size(), 1u);
}

TEST_F(SessionsTest, TurnsAreLogged) {
  const std::string path = ::testing::TempDir() + "/assist_sessions_log.jsonl";
  std::filesystem::remove(path);
  ConversationLog log(path, clock_);
  Sessions sessions(*kb_, clock_, random_, {}, &log);
  const Answer a = sessions.Ask("", "who can certify origin?");
  sessions.Ask(a.session_id, "What is the EU VAT rate?");
  Result<LogStats> stats = log.Stats();
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(stats->records, 2);
  ASSERT_EQ(stats->unanswered.size(), 1u);
  EXPECT_EQ(stats->unanswered[0].question, "What is the EU VAT rate?");
}

TEST_F(SessionsTest, ConcurrentUse) {
  SessionOptions options;
  options.max_sessions = 8;
  Sessions sessions(*kb_, clock_, OsRandom(), options);
  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) ids.push_back(sessions.Create());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      const char* questions[] = {"What is the RVC threshold for most goods?",
                                 "and for cars?",
                                 "calculate RVC",
                                 "TV 100000, VNM 35000",
                                 "threshold?",
                                 "2"};
      for (int n = 0; n < 150; ++n) {
        const std::string id = n % 10 == 9 ? "" : ids[static_cast<size_t>((t + n) % 4)];
        const Answer a = sessions.Ask(id, questions[n % 6]);
        EXPECT_EQ(a.session_id.size(), 32u);
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_LE(sessions.size(), 8u);
}

}  // namespace
}  // namespace traceport::assist
