// Conversations by session id, for a server that answers many users: each session keeps its
// Conversation (follow-ups, pending clarifications) until it has been idle for the TTL, and the
// least recently used session is evicted when the table is full.
//
// Session ids are 128 random bits from the injected RandomSource (the kernel CSPRNG by
// default), written as 32 lowercase hex digits. An id the table does not hold (never issued,
// expired, evicted, or malformed) starts a new session; the answer's session_id tells the caller
// which one to send next time. Ids are never derived from user input.
//
// Thread safety: all methods may be called concurrently. Turns of one session are serialised;
// turns of different sessions run in parallel.
#ifndef TRACEPORT_ASSIST_SESSIONS_H_
#define TRACEPORT_ASSIST_SESSIONS_H_

#include <chrono>
#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "assist/assistant.h"
#include "assist/conversation_log.h"
#include "assist/knowledge_base.h"
#include "common/random.h"
#include "common/time.h"

namespace traceport::assist {

struct SessionOptions {
  std::chrono::seconds ttl{30 * 60};  // idle time after which a session is forgotten
  size_t max_sessions = 10'000;       // beyond this, the least recently used is evicted
};

class Sessions {
 public:
  // `kb`, `clock`, `random` and `log` (optional: nullptr logs nothing) must outlive this object.
  Sessions(const KnowledgeBase& kb, const Clock& clock, RandomSource& random = OsRandom(),
           SessionOptions options = {}, ConversationLog* log = nullptr);
  ~Sessions();

  // Answers `question` in the session `session_id` (see the file comment for unknown ids) and
  // records the turn in the log. A log write error does not fail the turn.
  Answer Ask(std::string_view session_id, std::string_view question);

  // Starts a session and returns its id.
  std::string Create();
  // Forgets a session; false when it was not there.
  bool Erase(std::string_view session_id);
  // Whether the session exists and has not expired.
  bool Contains(std::string_view session_id);
  // Sessions held (expired ones are dropped first).
  size_t size();

 private:
  struct Entry;
  using Lru = std::list<std::string>;  // most recently used first

  std::string NewId();
  // Drops expired sessions from the LRU tail. Requires mu_.
  void ExpireLocked(Time now);
  // The session, created (with a fresh id) when `id` is not held. Requires mu_.
  std::shared_ptr<Entry> FindOrCreateLocked(std::string_view id, Time now);

  const KnowledgeBase& kb_;
  const Clock& clock_;
  RandomSource& random_;
  const SessionOptions options_;
  ConversationLog* const log_;
  std::mutex mu_;
  Lru lru_;
  std::unordered_map<std::string, std::shared_ptr<Entry>> sessions_;
};

}  // namespace traceport::assist

#endif  // TRACEPORT_ASSIST_SESSIONS_H_
