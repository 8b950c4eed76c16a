// A small SQLite wrapper for the node's store: one connection, statements cached by their SQL
// text, values as a variant, and transactions that commit only when their body succeeds.
//
// Transactions from concurrent threads are committed in groups: the first caller becomes the
// leader, runs every body waiting at that moment inside one transaction, each under its own
// SAVEPOINT (a failing body rolls back to it and leaves the others alone), and commits them with
// one fsync. Bodies therefore run on the leader's thread, one after another.
//
// Thread safety: thread-safe; every call holds the connection's (recursive) mutex, and a
// transaction holds it for its whole body, so a transaction's statements never interleave with
// another thread's. ReadCommittedOne uses separate read-only connections, each under its own
// mutex. WAL checkpoints run on a background thread with a connection of their own (PASSIVE, so
// they never block a writer or a reader); the last close checkpoints whatever is left.
#ifndef TRACEPORT_NODE_INTERNAL_DB_H_
#define TRACEPORT_NODE_INTERNAL_DB_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <variant>
#include <vector>

#include "common/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace traceport::node::internal {

struct Blob {
  std::vector<uint8_t> bytes;
};
using Value = std::variant<std::monostate, int64_t, std::string, Blob>;

class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  bool IsNull(size_t i) const { return std::holds_alternative<std::monostate>(values_.at(i)); }
  int64_t Int(size_t i) const;
  std::string Text(size_t i) const;  // "" for NULL
  std::vector<uint8_t> Bytes(size_t i) const;
  size_t size() const { return values_.size(); }

 private:
  std::vector<Value> values_;
};

class Db {
 public:
  // Opens (creating) `file` in WAL mode with synchronous=FULL and foreign keys on, and runs
  // `schema` (idempotent DDL).
  static Result<std::unique_ptr<Db>> Open(const std::filesystem::path& file,
                                          std::string_view schema);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Runs one statement. Returns the number of rows changed. A UNIQUE or PRIMARY KEY violation is
  // AlreadyExists; other failures Internal.
  Result<int64_t> Exec(std::string_view sql, const std::vector<Value>& params = {});
  Result<std::vector<Row>> Query(std::string_view sql, const std::vector<Value>& params = {});
  Result<std::optional<Row>> QueryOne(std::string_view sql, const std::vector<Value>& params = {});

  // A read of committed data on one of a few read-only connections of its own: it neither waits
  // for a write batch (and its fsync) nor sees a batch's uncommitted rows. For reads outside any
  // transaction whose answer may lag a write that has not committed yet (verification lookups).
  Result<std::optional<Row>> ReadCommittedOne(std::string_view sql,
                                              const std::vector<Value>& params = {});

  // Runs `body` in a transaction: its changes are committed (durably) when it returns OK and
  // rolled back otherwise; its status is returned. Nested calls join the outer transaction.
  // An exception thrown by `body` rolls it back and is reported as Internal.
  Status Transaction(const std::function<Status()>& body);

 private:
  Db() = default;
  Result<sqlite3_stmt*> Prepare(std::string_view sql);

  struct Pending {
    const std::function<Status()>* body;
    Status result;
    bool done = false;
  };
  Status RunBatch(std::vector<Pending*>& batch);

  // Prepared statements of one connection, by their SQL text.
  using StatementCache = std::map<std::string, sqlite3_stmt*, std::less<>>;
  // A read-only connection, used by one caller at a time.
  struct Reader {
    std::mutex mu;
    sqlite3* db = nullptr;
    StatementCache cache;
  };
  static constexpr size_t kReaders = 4;
  // WAL pages after which a commit asks the checkpointer for a checkpoint (SQLite's default
  // automatic checkpoint threshold, which the writer no longer runs itself).
  static constexpr int kCheckpointPages = 1000;

  void CheckpointLoop();

  std::recursive_mutex mu_;
  sqlite3* db_ = nullptr;
  std::vector<std::unique_ptr<Reader>> readers_;
  // Checkpoints run on their own connection and thread, so that the commit that fills the WAL
  // does not copy it into the database while holding mu_ (and every writer waiting on it).
  sqlite3* checkpoint_db_ = nullptr;
  std::thread checkpointer_;
  std::mutex checkpoint_mu_;
  std::condition_variable checkpoint_cv_;
  enum : int { kCheckpointIdle, kCheckpointRunning, kCheckpointDone };
  // Written under checkpoint_mu_ (the writer's hook also resets it from Done to Idle); read
  // without it by the hook.
  std::atomic<int> checkpoint_state_{kCheckpointIdle};
  bool stopping_ = false;  // guarded by checkpoint_mu_
  int depth_ = 0;          // > 0 while a batch runs (guarded by mu_)
  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::vector<Pending*> queue_;  // guarded by queue_mu_
  bool leader_active_ = false;   // guarded by queue_mu_
  StatementCache cache_;
};

}  // namespace traceport::node::internal

#endif  // TRACEPORT_NODE_INTERNAL_DB_H_
