// A deterministic, seeded RandomSource (SplitMix64) for tests. Not cryptographic.
#ifndef TRACEPORT_COMMON_TESTING_FAKE_RANDOM_H_
#define TRACEPORT_COMMON_TESTING_FAKE_RANDOM_H_

#include <cstdint>
#include <mutex>

#include "common/random.h"

namespace traceport::testing {

class FakeRandom final : public RandomSource {
 public:
  explicit FakeRandom(uint64_t seed) : state_(seed) {}
  void Fill(std::span<uint8_t> out) override;
  uint64_t Next();

 private:
  std::mutex mu_;
  uint64_t state_;
};

}  // namespace traceport::testing

#endif  // TRACEPORT_COMMON_TESTING_FAKE_RANDOM_H_
