#include "common/testing/conformance.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace traceport::testing {

#ifndef TRACEPORT_SHARED_DIR
#define TRACEPORT_SHARED_DIR ""
#endif

std::optional<std::filesystem::path> ConformanceDir(const std::string& relative) {
  const char* env = std::getenv("TRACEPORT_SHARED_DIR");
  std::filesystem::path base = env && *env ? env : TRACEPORT_SHARED_DIR;
  if (base.empty()) return std::nullopt;
  std::filesystem::path dir = base / "conformance" / relative;
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) return std::nullopt;
  return dir;
}

bool InCi() {
  const char* ci = std::getenv("CI");
  if (ci == nullptr || *ci == '\0') return false;
  std::string v(ci);
  return v != "false" && v != "0";
}

Result<std::string> ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError("cannot open " + path.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return InternalError("read failed: " + path.string());
  return ss.str();
}

void SuiteCounter::Fail(const std::string& what) {
  if (failed_ < 50) std::fprintf(stderr, "  FAIL %s: %s\n", suite_.c_str(), what.c_str());
  ++failed_;
}

void SuiteCounter::Print() const {
  std::printf("conformance %s: %zu passed, %zu failed, %zu skipped\n", suite_.c_str(), passed_,
              failed_, skipped_);
  std::fflush(stdout);
}

}  // namespace traceport::testing
