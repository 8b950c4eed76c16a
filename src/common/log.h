// Structured logging on spdlog. Every record is an event name plus key/value fields, written
// either as logfmt-style text for people or as one JSON object per line for machines:
//
//   traceport::log::Info("key.generated", {{"type", "ed25519"}, {"kid", kid}});
//
// Secrets must never be passed as fields. Thread-safe.
#ifndef TRACEPORT_COMMON_LOG_H_
#define TRACEPORT_COMMON_LOG_H_

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace traceport::log {

enum class Level { kDebug, kInfo, kWarn, kError, kOff };
enum class Format { kText, kJson };

struct Field {
  Field(std::string_view k, std::string_view v) : key(k), value(v) {}
  Field(std::string_view k, const char* v) : key(k), value(v) {}
  Field(std::string_view k, const std::string& v) : key(k), value(v) {}
  Field(std::string_view k, long long v) : key(k), value(std::to_string(v)), quoted(false) {}
  Field(std::string_view k, int v) : key(k), value(std::to_string(v)), quoted(false) {}
  Field(std::string_view k, unsigned long long v)
      : key(k), value(std::to_string(v)), quoted(false) {}
  Field(std::string_view k, unsigned long v) : key(k), value(std::to_string(v)), quoted(false) {}
  Field(std::string_view k, long v) : key(k), value(std::to_string(v)), quoted(false) {}
  Field(std::string_view k, bool v) : key(k), value(v ? "true" : "false"), quoted(false) {}

  std::string_view key;
  std::string value;
  bool quoted = true;  // false for numbers and booleans (written bare in JSON)
};

// Configures the process-wide logger: records go to stderr at `level` and above.
void Configure(Level level, Format format);

// Parses "debug", "info", "warn", "error", "off". Returns false on anything else.
bool ParseLevel(std::string_view text, Level* level);

void Log(Level level, std::string_view event, std::initializer_list<Field> fields = {});
inline void Debug(std::string_view e, std::initializer_list<Field> f = {}) {
  Log(Level::kDebug, e, f);
}
inline void Info(std::string_view e, std::initializer_list<Field> f = {}) {
  Log(Level::kInfo, e, f);
}
inline void Warn(std::string_view e, std::initializer_list<Field> f = {}) {
  Log(Level::kWarn, e, f);
}
inline void Error(std::string_view e, std::initializer_list<Field> f = {}) {
  Log(Level::kError, e, f);
}

// Renders one record exactly as it would be logged (without the timestamp prefix spdlog adds in
// text mode). Exposed for tests.
std::string Render(Format format, Level level, std::string_view event,
                   std::initializer_list<Field> fields);

}  // namespace traceport::log

#endif  // TRACEPORT_COMMON_LOG_H_
