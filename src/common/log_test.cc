#include "common/log.h"

#include <gtest/gtest.h>

namespace traceport::log {
namespace {

TEST(LogTest, RendersJsonWithTypedFields) {
  EXPECT_EQ(
      Render(Format::kJson, Level::kInfo, "key.generated",
             {{"type", "ed25519"}, {"bits", 256}, {"ok", true}, {"note", "a\"b\n"}}),
      R"({"level":"info","event":"key.generated","type":"ed25519","bits":256,"ok":true,"note":"a\"b\n"})");
}

TEST(LogTest, RendersTextQuotingWhereNeeded) {
  EXPECT_EQ(Render(Format::kText, Level::kWarn, "did.resolve",
                   {{"did", "did:web:example.com"}, {"error", "not found"}, {"n", 3}}),
            "did.resolve did=did:web:example.com error=\"not found\" n=3");
}

TEST(LogTest, ParseLevel) {
  Level l;
  EXPECT_TRUE(ParseLevel("warn", &l));
  EXPECT_EQ(l, Level::kWarn);
  EXPECT_FALSE(ParseLevel("loud", &l));
}

TEST(LogTest, LoggingDoesNotThrow) {
  Configure(Level::kDebug, Format::kJson);
  Info("test.event", {{"k", "v"}});
  Configure(Level::kInfo, Format::kText);
  Debug("suppressed");
}

}  // namespace
}  // namespace traceport::log
