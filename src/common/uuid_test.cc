#include "common/uuid.h"

#include <gtest/gtest.h>

#include <set>

#include "common/testing/fake_random.h"

namespace traceport {
namespace {

TEST(UuidTest, V4HasVersionAndVariant) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    Uuid u = Uuid::NewV4(OsRandom());
    EXPECT_EQ(u.version(), 4);
    EXPECT_TRUE(u.is_rfc_variant());
    std::string s = u.ToString();
    EXPECT_EQ(s.size(), 36u);
    EXPECT_EQ(s[14], '4');
    EXPECT_TRUE(s[19] == '8' || s[19] == '9' || s[19] == 'a' || s[19] == 'b') << s;
    seen.insert(s);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(UuidTest, DeterministicWithFakeRandom) {
  testing::FakeRandom a(7), b(7);
  EXPECT_EQ(Uuid::NewV4(a), Uuid::NewV4(b));
}

TEST(UuidTest, ParseRoundTrip) {
  auto u = Uuid::Parse("7C9E6679-7425-40DE-944B-E07FC1F90AE7");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->ToString(), "7c9e6679-7425-40de-944b-e07fc1f90ae7");
  EXPECT_EQ(u->version(), 4);
}

TEST(UuidTest, ParseErrors) {
  EXPECT_NE(Uuid::Parse("abc").status().message().find("36"), std::string_view::npos);
  EXPECT_NE(Uuid::Parse("7c9e6679x7425-40de-944b-e07fc1f90ae7").status().message().find("'-' at 8"),
            std::string_view::npos);
  EXPECT_NE(Uuid::Parse("7c9e6679-7425-40de-944b-e07fc1f90aeg").status().message().find("35"),
            std::string_view::npos);
}

}  // namespace
}  // namespace traceport
