#include "crypto/random.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>
#include <vector>

namespace traceport::crypto {
namespace {

TEST(CsprngTest, FillsRequestedLengths) {
  Csprng rng;
  for (size_t n : {0u, 1u, 31u, 32u, 1000u}) {
    std::vector<uint8_t> buf(n);
    rng.Fill(buf);
    EXPECT_EQ(buf.size(), n);
  }
  EXPECT_EQ(RandomBytes(17).size(), 17u);
}

TEST(CsprngTest, OutputsDoNotRepeat) {
  // 32-byte outputs colliding would mean the generator is broken (probability 2^-256).
  std::set<std::vector<uint8_t>> seen;
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(seen.insert(RandomBytes(32)).second);
}

TEST(CsprngTest, OutputIsNotAllZero) {
  std::vector<uint8_t> buf(64, 0);
  DefaultCsprng().Fill(buf);
  EXPECT_NE(buf, std::vector<uint8_t>(64, 0));
}

TEST(CsprngTest, UsableFromManyThreads) {
  std::vector<std::thread> threads;
  std::vector<std::vector<uint8_t>> results(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&results, t] {
      for (int i = 0; i < 100; ++i) results[t] = RandomBytes(32);
    });
  }
  for (auto& th : threads) th.join();
  std::set<std::vector<uint8_t>> distinct(results.begin(), results.end());
  EXPECT_EQ(distinct.size(), 4u);
}

}  // namespace
}  // namespace traceport::crypto
