// The assistant's conversation log: one JSON line per turn, appended to a file, so that the
// people who maintain the knowledge base can see what is asked and which questions went
// unanswered.
//
// A record holds only what that needs:
//   {"ts": "2026-11-27T10:00:00Z", "session": "<32 hex>", "kind": "answer", "intent": "rvc",
//    "unit": "rules-of-origin.rvc", "confidence": 0.82}
// plus "question" (the user's text, JSON-escaped, truncated to 500 bytes at a character
// boundary) for unanswered turns only ("unknown" and "decline"). Answered questions, refusals and
// anything else the user typed are not stored. The timestamp comes from the injected clock.
//
// Purge(retention_days) rewrites the file without the records older than the retention period
// (and without lines that do not parse), through a temporary file renamed over the log.
//
// Thread safety: all methods may be called concurrently; one process should own the file.
#ifndef TRACEPORT_ASSIST_CONVERSATION_LOG_H_
#define TRACEPORT_ASSIST_CONVERSATION_LOG_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "assist/assistant.h"
#include "common/status.h"
#include "common/time.h"

namespace traceport::assist {

// Longest question text kept in a record.
inline constexpr size_t kMaxLoggedQuestionBytes = 500;
// The log stops growing at this size (records are dropped until a purge makes room), so that a
// public chat endpoint cannot fill the disk: about 200,000 declined questions.
inline constexpr size_t kMaxLogBytes = size_t{64} << 20;
// Stats() lists at most this many unanswered questions, the most recent.
inline constexpr size_t kMaxListedUnanswered = 1000;

struct LogStats {
  struct Day {
    std::string date;                      // "2026-11-27" (UTC)
    std::map<std::string, int64_t> kinds;  // "answer" -> 12, "unknown" -> 3, ...
  };
  struct Unanswered {
    std::string ts;
    std::string kind;  // "unknown" or "decline"
    std::string question;
  };
  std::vector<Day> days;               // oldest first
  std::vector<Unanswered> unanswered;  // in log order; the latest kMaxListedUnanswered
  int64_t unanswered_total = 0;        // all of them
  int64_t records = 0;
  int64_t malformed = 0;  // lines that are not records (a torn last line after a crash)

  // {"records", "malformed", "days": [{"date", "kinds": {...}}], "unanswered": [{"ts", "kind",
  //  "question"}]}.
  nlohmann::json ToJson() const;
};

class ConversationLog {
 public:
  // The file is created on the first record; its directory must exist.
  ConversationLog(std::string path, const Clock& clock, size_t max_bytes = kMaxLogBytes);

  // Appends the record of one turn. Unavailable when the file cannot be written.
  Status Record(std::string_view session_id, std::string_view question, const Answer& answer);

  // Drops records older than `retention_days` days before now; returns how many lines were
  // removed. InvalidArgument for a negative retention; Unavailable on I/O errors (the log is
  // then unchanged). A missing file is an empty log.
  Result<int64_t> Purge(int retention_days);

  // Daily counts per kind and the unanswered questions. A missing file is an empty log.
  Result<LogStats> Stats() const;

  const std::string& path() const { return path_; }

 private:
  Result<std::vector<std::string>> ReadLines() const;

  const std::string path_;
  const size_t max_bytes_;
  const Clock& clock_;
  mutable std::mutex mu_;
};

}  // namespace traceport::assist

#endif  // TRACEPORT_ASSIST_CONVERSATION_LOG_H_
