#include "common/time.h"

#include <fmt/format.h>

namespace traceport {
namespace {

class RealClock final : public Clock {
 public:
  Time Now() const override {
    return std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
  }
};

// Reads exactly `n` ASCII digits at `pos`; -1 on failure.
int ReadDigits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return -1;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

Status ErrorAt(size_t pos, std::string_view what) {
  return InvalidArgumentError(fmt::format("rfc3339: {} at offset {}", what, pos));
}

}  // namespace

Clock& SystemClock() {
  static RealClock* clock = new RealClock();
  return *clock;
}

Result<std::string> FormatRfc3339(Time t, TimePrecision precision) {
  using namespace std::chrono;
  sys_days day = floor<days>(t);
  year_month_day ymd(day);
  int y = static_cast<int>(ymd.year());
  if (y < 0 || y > 9999) return OutOfRangeError("rfc3339: year outside 0000..9999");
  hh_mm_ss<nanoseconds> tod(t - day);
  std::string out =
      fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}", y,
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  tod.hours().count(), tod.minutes().count(), tod.seconds().count());
  int64_t ns = tod.subseconds().count();
  switch (precision) {
    case TimePrecision::kSeconds:
      break;
    case TimePrecision::kMillis:
      out += fmt::format(".{:03d}", ns / 1000000);
      break;
    case TimePrecision::kMicros:
      out += fmt::format(".{:06d}", ns / 1000);
      break;
    case TimePrecision::kNanos:
      out += fmt::format(".{:09d}", ns);
      break;
  }
  out += 'Z';
  return out;
}

Result<Time> ParseRfc3339(std::string_view s) {
  using namespace std::chrono;
  int year = ReadDigits(s, 0, 4);
  if (year < 0) return ErrorAt(0, "expected 4-digit year");
  // Time counts nanoseconds in 64 bits, which spans the years 1678..2261 only.
  if (year < 1678 || year > 2261) {
    return OutOfRangeError(
        fmt::format("rfc3339: year {} is outside the supported range 1678..2261", year));
  }
  if (s.size() < 5 || s[4] != '-') return ErrorAt(4, "expected '-'");
  int month = ReadDigits(s, 5, 2);
  if (month < 1 || month > 12) return ErrorAt(5, "invalid month");
  if (s.size() < 8 || s[7] != '-') return ErrorAt(7, "expected '-'");
  int mday = ReadDigits(s, 8, 2);
  if (mday < 1) return ErrorAt(8, "invalid day");
  year_month_day ymd{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                     std::chrono::day(static_cast<unsigned>(mday))};
  if (!ymd.ok()) return ErrorAt(8, "day out of range for month");
  if (s.size() < 11 || (s[10] != 'T' && s[10] != 't')) return ErrorAt(10, "expected 'T'");
  int hour = ReadDigits(s, 11, 2);
  if (hour < 0 || hour > 23) return ErrorAt(11, "invalid hour");
  if (s.size() < 14 || s[13] != ':') return ErrorAt(13, "expected ':'");
  int minute = ReadDigits(s, 14, 2);
  if (minute < 0 || minute > 59) return ErrorAt(14, "invalid minute");
  if (s.size() < 17 || s[16] != ':') return ErrorAt(16, "expected ':'");
  int second = ReadDigits(s, 17, 2);
  if (second == 60) return ErrorAt(17, "leap second not supported");
  if (second < 0 || second > 59) return ErrorAt(17, "invalid second");
  size_t pos = 19;
  int64_t nanos = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    size_t start = pos;
    int64_t scale = 100000000;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      nanos += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return ErrorAt(pos, "expected fraction digits");
  }
  if (pos >= s.size()) return ErrorAt(pos, "missing time zone offset");
  int64_t offset_minutes = 0;
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    int sign = s[pos] == '-' ? -1 : 1;
    int oh = ReadDigits(s, pos + 1, 2);
    if (oh < 0 || oh > 23) return ErrorAt(pos + 1, "invalid offset hour");
    if (pos + 3 >= s.size() || s[pos + 3] != ':') return ErrorAt(pos + 3, "expected ':'");
    int om = ReadDigits(s, pos + 4, 2);
    if (om < 0 || om > 59) return ErrorAt(pos + 4, "invalid offset minute");
    offset_minutes = sign * (oh * 60 + om);
    pos += 6;
  } else {
    return ErrorAt(pos, "expected 'Z' or offset");
  }
  if (pos != s.size()) return ErrorAt(pos, "trailing characters");
  Time t = sys_days(ymd) + hours(hour) + minutes(minute) + seconds(second) + nanoseconds(nanos) -
           minutes(offset_minutes);
  return t;
}

int64_t ToUnixSeconds(Time t) {
  return std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count();
}

Time FromUnixSeconds(int64_t seconds) { return Time(std::chrono::seconds(seconds)); }

}  // namespace traceport
