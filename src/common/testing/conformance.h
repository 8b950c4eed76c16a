// Helpers for tests that run external conformance suites from ../shared/conformance.
//
// Each suite prints exactly one line "conformance <suite>: N passed, M failed, K skipped".
// When the shared directory is missing the suite reports itself skipped, unless the CI
// environment variable is set, in which case absence is a failure.
#ifndef TRACEPORT_COMMON_TESTING_CONFORMANCE_H_
#define TRACEPORT_COMMON_TESTING_CONFORMANCE_H_

#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>

#include "common/status.h"

namespace traceport::testing {

// The directory `../shared/conformance/<relative>` if it exists. The base comes from the
// TRACEPORT_SHARED_DIR environment variable when set, else from the compile-time default.
std::optional<std::filesystem::path> ConformanceDir(const std::string& relative);

// True when running under CI (the CI environment variable is set and not "false"/"0").
bool InCi();

// Reads a whole file. NotFound / Internal errors name the path.
Result<std::string> ReadFile(const std::filesystem::path& path);

// Counts outcomes of one suite and prints the summary line.
class SuiteCounter {
 public:
  explicit SuiteCounter(std::string suite) : suite_(std::move(suite)) {}
  void Pass() { ++passed_; }
  void Fail(const std::string& what);  // prints what failed (first 50 only)
  void Skip() { ++skipped_; }
  void Record(bool ok, const std::string& what) { ok ? Pass() : Fail(what); }
  size_t passed() const { return passed_; }
  size_t failed() const { return failed_; }
  size_t skipped() const { return skipped_; }
  // Prints "conformance <suite>: N passed, M failed, K skipped".
  void Print() const;

 private:
  std::string suite_;
  size_t passed_ = 0, failed_ = 0, skipped_ = 0;
};

}  // namespace traceport::testing

// Use at the top of a conformance TEST: binds `dir` to the suite directory or reports the
// suite as skipped (and fails under CI).
#define TRACEPORT_CONFORMANCE_DIR_OR_SKIP(dir, suite, relative)              \
  auto dir##_opt = ::traceport::testing::ConformanceDir(relative);           \
  if (!dir##_opt) {                                                          \
    std::printf("conformance %s: 0 passed, 0 failed, 1 skipped\n", suite);   \
    if (::traceport::testing::InCi()) {                                      \
      FAIL() << "conformance data " << relative << " missing and CI is set"; \
    }                                                                        \
    GTEST_SKIP() << "conformance data " << relative << " not found";         \
  }                                                                          \
  const std::filesystem::path dir = *dir##_opt

#endif  // TRACEPORT_COMMON_TESTING_CONFORMANCE_H_
