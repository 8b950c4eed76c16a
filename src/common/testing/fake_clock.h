// A manually advanced clock for deterministic tests. Thread-safe.
#ifndef TRACEPORT_COMMON_TESTING_FAKE_CLOCK_H_
#define TRACEPORT_COMMON_TESTING_FAKE_CLOCK_H_

#include <mutex>

#include "common/time.h"

namespace traceport::testing {

class FakeClock final : public Clock {
 public:
  explicit FakeClock(Time start) : now_(start) {}
  Time Now() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return now_;
  }
  void Set(Time t) {
    std::lock_guard<std::mutex> lock(mu_);
    now_ = t;
  }
  void Advance(std::chrono::nanoseconds d) {
    std::lock_guard<std::mutex> lock(mu_);
    now_ += d;
  }

 private:
  mutable std::mutex mu_;
  Time now_;
};

}  // namespace traceport::testing

#endif  // TRACEPORT_COMMON_TESTING_FAKE_CLOCK_H_
