// Paired micro-benchmarks: a Traceport wrapper measured beside the raw library call it wraps,
// in the same process, interleaved, so that machine noise affects both alike.
//
//   traceport::testing::PairedBench bench;
//   bench.Compare("sha256-65B", "openssl SHA256()",
//                 [&] { Sha256(node); },            // ours
//                 [&] { ::SHA256(p, 65, out); });    // the raw call
//   return bench.Finish();
//
// Each pair prints one line:
//   bench <name>: <value> ns/op (ratio <r> vs <baseline>)
// where value is our time per operation and ratio = ours / baseline (1.00 = no overhead).
// Both sides run in alternating batches of ~batch_ms for `rounds` rounds; the per-op time of
// each side is the minimum over rounds (the least-disturbed measurement).
//
// TRACEPORT_BENCH_ONLY=<text> keeps the pairs whose name contains <text>;
// TRACEPORT_BENCH_COUNT=<n> runs only our side of each, n times (see Compare).
#ifndef TRACEPORT_COMMON_TESTING_BENCH_H_
#define TRACEPORT_COMMON_TESTING_BENCH_H_

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace traceport::testing {

// Keeps the compiler from discarding a computed value.
template <typename T>
inline void DoNotOptimize(const T& value) {
  asm volatile("" : : "r,m"(value) : "memory");
}

class PairedBench {
 public:
  struct Options {
    int rounds = 41;
    double batch_ms = 10;
    double max_ratio = 1.05;  // the line is flagged when ratio exceeds this
  };

  PairedBench() {
    if (const char* r = std::getenv("TRACEPORT_BENCH_ROUNDS")) opts_.rounds = std::atoi(r);
    if (opts_.rounds < 3) opts_.rounds = 3;
  }
  explicit PairedBench(Options o) : opts_(o) {}

  // TRACEPORT_BENCH_ONLY=<text> runs only the pairs whose name contains <text> (the others
  // print nothing and return 1), for profiling one pair under perf.
  template <typename Ours, typename Raw>
  double Compare(const std::string& name, const std::string& baseline, Ours&& ours, Raw&& raw) {
    if (const char* only = std::getenv("TRACEPORT_BENCH_ONLY");
        only != nullptr && *only != '\0' && name.find(only) == std::string::npos) {
      return 1;
    }
    // TRACEPORT_BENCH_COUNT=<n> runs our side exactly n times and nothing else, for counting
    // instructions (valgrind --tool=callgrind, which the host's load does not move): the
    // difference between two counts over the difference between the two n is one operation.
    if (const char* count = std::getenv("TRACEPORT_BENCH_COUNT");
        count != nullptr && *count != '\0') {
      const long n = std::atol(count);
      for (long i = 0; i < n; ++i) ours();
      std::printf("bench %s: ran %ld times (TRACEPORT_BENCH_COUNT)\n", name.c_str(), n);
      std::fflush(stdout);
      return 1;
    }
    // Calibrate: iterations per batch so that a batch of `raw` lasts about batch_ms.
    long iters = 1;
    for (;;) {
      double ns = TimeBatch(raw, iters);
      if (ns > opts_.batch_ms * 1e6 / 4 || iters > (1L << 30)) {
        iters = std::max(1L, static_cast<long>(iters * (opts_.batch_ms * 1e6) / std::max(ns, 1.0)));
        break;
      }
      iters *= 4;
    }
    // Warm up both.
    TimeBatch(ours, iters);
    TimeBatch(raw, iters);
    double best_ours = 1e300, best_raw = 1e300;
    for (int r = 0; r < opts_.rounds; ++r) {
      // Alternate which side goes first, so neither always runs on a warmer cache.
      if (r % 2 == 0) {
        best_ours = std::min(best_ours, TimeBatch(ours, iters) / iters);
        best_raw = std::min(best_raw, TimeBatch(raw, iters) / iters);
      } else {
        best_raw = std::min(best_raw, TimeBatch(raw, iters) / iters);
        best_ours = std::min(best_ours, TimeBatch(ours, iters) / iters);
      }
    }
    double ratio = best_ours / best_raw;
    bool over = ratio > opts_.max_ratio;
    if (over) ++over_;
    std::printf("bench %s: %.1f ns/op (ratio %.3f vs %s)%s\n", name.c_str(), best_ours, ratio,
                baseline.c_str(), over ? "  [over limit]" : "");
    std::fflush(stdout);
    return ratio;
  }

  // Exit code for main(): 0 unless a pair exceeded max_ratio and TRACEPORT_BENCH_ENFORCE is set.
  int Finish() const {
    if (over_ > 0) {
      std::printf("bench: %d pair(s) over the %.2f ratio limit\n", over_, opts_.max_ratio);
      const char* enforce = std::getenv("TRACEPORT_BENCH_ENFORCE");
      if (enforce && *enforce && std::string(enforce) != "0") return 1;
    }
    return 0;
  }

 private:
  template <typename F>
  static double TimeBatch(F& f, long iters) {
    auto start = std::chrono::steady_clock::now();
    for (long i = 0; i < iters; ++i) f();
    auto end = std::chrono::steady_clock::now();
    return std::chrono::duration<double, std::nano>(end - start).count();
  }

  Options opts_;
  int over_ = 0;
};

}  // namespace traceport::testing

#endif  // TRACEPORT_COMMON_TESTING_BENCH_H_
