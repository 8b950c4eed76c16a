// Time in Traceport: a UTC instant with nanosecond resolution, read from an injected Clock so
// that engines are deterministic under test, and RFC 3339 text in and out.
#ifndef TRACEPORT_COMMON_TIME_H_
#define TRACEPORT_COMMON_TIME_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace traceport {

using Time = std::chrono::sys_time<std::chrono::nanoseconds>;

// Source of the current time. Implementations must be thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Time Now() const = 0;
};

// The real wall clock. The returned reference lives forever.
Clock& SystemClock();

// How many fractional-second digits FormatRfc3339 writes.
enum class TimePrecision { kSeconds, kMillis, kMicros, kNanos };

// "2026-11-26T14:11:13Z" (or with .123 / .123456 / .123456789). Always UTC with "Z".
// Years outside 0000..9999 cannot be written in RFC 3339 and yield an OutOfRange error.
Result<std::string> FormatRfc3339(Time t, TimePrecision precision = TimePrecision::kSeconds);

// Parses an RFC 3339 date-time (section 5.6): "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)".
// 'T' and 'Z' may be lowercase. Fractions beyond nanoseconds are truncated. Leap seconds (":60")
// are rejected because the result could not be represented exactly. Errors are
// InvalidArgument and name the offending position; years outside 1678..2261 (beyond 64-bit
// nanoseconds) are OutOfRange.
Result<Time> ParseRfc3339(std::string_view text);

// Seconds since the Unix epoch (floor), for formats that store integer seconds.
int64_t ToUnixSeconds(Time t);
Time FromUnixSeconds(int64_t seconds);

}  // namespace traceport

#endif  // TRACEPORT_COMMON_TIME_H_
