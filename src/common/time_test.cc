#include "common/time.h"

#include <gtest/gtest.h>

#include "common/testing/fake_clock.h"

namespace traceport {
namespace {

TEST(Rfc3339Test, FormatSecondsAndFractions) {
  Time t = FromUnixSeconds(1795702273) + std::chrono::nanoseconds(123456789);
  EXPECT_EQ(*FormatRfc3339(t), "2026-11-26T14:11:13Z");
  EXPECT_EQ(*FormatRfc3339(t, TimePrecision::kMillis), "2026-11-26T14:11:13.123Z");
  EXPECT_EQ(*FormatRfc3339(t, TimePrecision::kMicros), "2026-11-26T14:11:13.123456Z");
  EXPECT_EQ(*FormatRfc3339(t, TimePrecision::kNanos), "2026-11-26T14:11:13.123456789Z");
  EXPECT_EQ(*FormatRfc3339(FromUnixSeconds(0)), "1970-01-01T00:00:00Z");
  EXPECT_EQ(*FormatRfc3339(FromUnixSeconds(-1)), "1969-12-31T23:59:59Z");
}

TEST(Rfc3339Test, ParseRoundTripsAndOffsets) {
  EXPECT_EQ(ToUnixSeconds(*ParseRfc3339("2026-11-26T14:11:13Z")), 1795702273);
  EXPECT_EQ(ToUnixSeconds(*ParseRfc3339("2026-11-26t14:11:13z")), 1795702273);
  EXPECT_EQ(ToUnixSeconds(*ParseRfc3339("2026-11-26T09:11:13-05:00")), 1795702273);
  EXPECT_EQ(ToUnixSeconds(*ParseRfc3339("2026-11-26T15:41:13+01:30")), 1795702273);
  Time t = *ParseRfc3339("2026-11-26T14:11:13.5Z");
  EXPECT_EQ(*FormatRfc3339(t, TimePrecision::kMillis), "2026-11-26T14:11:13.500Z");
  // Leap day.
  EXPECT_TRUE(ParseRfc3339("2024-02-29T00:00:00Z").ok());
}

TEST(Rfc3339Test, RejectsMalformedWithPosition) {
  struct Case {
    const char* in;
    const char* want;
  } cases[] = {
      {"", "offset 0"},
      {"2026-13-01T00:00:00Z", "invalid month"},
      {"2025-02-29T00:00:00Z", "day out of range"},
      {"2026-11-26 14:11:13Z", "expected 'T'"},
      {"2026-11-26T24:00:00Z", "invalid hour"},
      {"2026-11-26T14:11:60Z", "leap second"},
      {"2026-11-26T14:11:13", "missing time zone"},
      {"2026-11-26T14:11:13.Z", "fraction"},
      {"2026-11-26T14:11:13Zjunk", "trailing"},
      {"2026-11-26T14:11:13+0500", "expected ':'"},
  };
  for (const auto& c : cases) {
    auto r = ParseRfc3339(c.in);
    ASSERT_FALSE(r.ok()) << c.in;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find(c.want), std::string_view::npos)
        << c.in << " -> " << r.status().message();
  }
}

TEST(Rfc3339Test, YearsBeyondNanosecondRangeAreOutOfRange) {
  EXPECT_EQ(ParseRfc3339("4023-02-26T01:02:58Z").status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(ParseRfc3339("1500-01-01T00:00:00Z").status().code(), StatusCode::kOutOfRange);
  EXPECT_TRUE(ParseRfc3339("2261-12-31T23:59:59Z").ok());
}

TEST(ClockTest, FakeClockAdvances) {
  testing::FakeClock clock(FromUnixSeconds(100));
  EXPECT_EQ(ToUnixSeconds(clock.Now()), 100);
  clock.Advance(std::chrono::seconds(5));
  EXPECT_EQ(ToUnixSeconds(clock.Now()), 105);
  // The system clock is after this code was written.
  EXPECT_GT(ToUnixSeconds(SystemClock().Now()), 1795000000);
}

}  // namespace
}  // namespace traceport
