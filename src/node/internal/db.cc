#include "node/internal/db.h"

#include <sqlite3.h>

#include <exception>
#include <functional>
#include <thread>

#include "common/log.h"

namespace traceport::node::internal {
namespace {

constexpr int kBusyTimeoutMs = 10000;

Status SqlError(sqlite3* db, std::string_view what) {
  const int code = db != nullptr ? sqlite3_extended_errcode(db) : SQLITE_NOMEM;
  std::string msg = std::string("node store: ") + std::string(what) + ": " +
                    (db != nullptr ? sqlite3_errmsg(db) : "out of memory");
  if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return AlreadyExistsError(std::move(msg));
  }
  return InternalError(std::move(msg));
}

}  // namespace

int64_t Row::Int(size_t i) const {
  const Value& v = values_.at(i);
  if (const int64_t* n = std::get_if<int64_t>(&v)) return *n;
  return 0;
}

std::string Row::Text(size_t i) const {
  const Value& v = values_.at(i);
  if (const std::string* s = std::get_if<std::string>(&v)) return *s;
  if (const Blob* b = std::get_if<Blob>(&v)) return std::string(b->bytes.begin(), b->bytes.end());
  if (const int64_t* n = std::get_if<int64_t>(&v)) return std::to_string(*n);
  return "";
}

std::vector<uint8_t> Row::Bytes(size_t i) const {
  const Value& v = values_.at(i);
  if (const Blob* b = std::get_if<Blob>(&v)) return b->bytes;
  if (const std::string* s = std::get_if<std::string>(&v)) return {s->begin(), s->end()};
  return {};
}

Result<std::unique_ptr<Db>> Db::Open(const std::filesystem::path& file, std::string_view schema) {
  std::unique_ptr<Db> db(new Db());
  const int rc =
      sqlite3_open_v2(file.c_str(), &db->db_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) return SqlError(db->db_, "open " + file.string());
  sqlite3_busy_timeout(db->db_, kBusyTimeoutMs);
  std::string setup = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;";
  setup += schema;
  char* err = nullptr;
  if (sqlite3_exec(db->db_, setup.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err != nullptr ? err : "unknown error";
    sqlite3_free(err);
    return InternalError("node store: schema of " + file.string() + ": " + msg);
  }
  if (sqlite3_open_v2(file.c_str(), &db->checkpoint_db_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    return SqlError(db->checkpoint_db_, "open the checkpointer's connection to " + file.string());
  }
  sqlite3_busy_timeout(db->checkpoint_db_, kBusyTimeoutMs);
  // A connection that has not read the database yet does not know it is in WAL mode (its
  // checkpoints would do nothing); this reads it, and sets the same durability.
  if (sqlite3_exec(db->checkpoint_db_, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", nullptr,
                   nullptr, nullptr) != SQLITE_OK) {
    return SqlError(db->checkpoint_db_, "set up the checkpointer's connection to " + file.string());
  }
  // Replaces the writer's automatic checkpoint (itself a WAL hook). Once a commit leaves
  // kCheckpointPages in the WAL, the checkpointer copies them into the database in the
  // background; at the next commit after it has finished, the writer checkpoints the few frames
  // added meanwhile itself, which lets SQLite start the WAL over. When no commit came between
  // the background checkpoint's end and the WAL starting over, nothing is left to catch up. At
  // four times the threshold with no background checkpoint running, the writer checkpoints on its
  // own, as SQLite would; while one runs, the writer's attempt returns at once (the background
  // holds the checkpoint lock), so the WAL grows by what is committed during one background
  // checkpoint, and the catch-up after it copies that.
  sqlite3_wal_hook(
      db->db_,
      [](void* self, sqlite3* conn, const char*, int pages) -> int {
        Db& d = *static_cast<Db*>(self);
        int state = d.checkpoint_state_.load();
        if (pages < kCheckpointPages) {
          // The WAL started over after the background checkpoint completed: all copied.
          if (state == kCheckpointDone) d.checkpoint_state_ = kCheckpointIdle;
          return SQLITE_OK;
        }
        if (state == kCheckpointIdle && pages < 4 * kCheckpointPages) {
          {
            std::lock_guard<std::mutex> lock(d.checkpoint_mu_);
            d.checkpoint_state_ = kCheckpointRunning;
          }
          d.checkpoint_cv_.notify_one();
          return SQLITE_OK;
        }
        if (state == kCheckpointRunning && pages < 4 * kCheckpointPages) return SQLITE_OK;
        // Done in the background (or far behind): catch up here. The result is ignored as
        // SQLite's own automatic checkpoint ignores it; the frames stay in the WAL if it fails.
        (void)sqlite3_wal_checkpoint_v2(conn, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        if (state == kCheckpointDone) d.checkpoint_state_ = kCheckpointIdle;
        return SQLITE_OK;
      },
      db.get());
  db->checkpointer_ = std::thread([d = db.get()] { d->CheckpointLoop(); });
  for (size_t i = 0; i < kReaders; ++i) {
    auto reader = std::make_unique<Reader>();
    // Added before the open so that the destructor closes it even when the open fails.
    Reader& r = *db->readers_.emplace_back(std::move(reader));
    if (sqlite3_open_v2(file.c_str(), &r.db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) !=
        SQLITE_OK) {
      return SqlError(r.db, "open a reader of " + file.string());
    }
    sqlite3_busy_timeout(r.db, kBusyTimeoutMs);
  }
  return db;
}

void Db::CheckpointLoop() {
  std::unique_lock<std::mutex> lock(checkpoint_mu_);
  for (;;) {
    checkpoint_cv_.wait(lock,
                        [this] { return stopping_ || checkpoint_state_ == kCheckpointRunning; });
    if (stopping_) return;
    lock.unlock();
    const int rc = sqlite3_wal_checkpoint_v2(checkpoint_db_, nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                             nullptr, nullptr);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
      // Nothing is lost (the frames stay in the WAL); the writer's catch-up copies them.
      log::Warn("node.store_checkpoint_failed", {{"error", sqlite3_errmsg(checkpoint_db_)}});
    }
    lock.lock();
    checkpoint_state_ = kCheckpointDone;
  }
}

Db::~Db() {
  if (checkpointer_.joinable()) {
    {
      std::lock_guard<std::mutex> lock(checkpoint_mu_);
      stopping_ = true;
    }
    checkpoint_cv_.notify_one();
    checkpointer_.join();
  }
  if (db_ != nullptr) sqlite3_wal_hook(db_, nullptr, nullptr);
  sqlite3_close_v2(checkpoint_db_);
  for (auto& reader : readers_) {
    for (auto& [sql, stmt] : reader->cache) sqlite3_finalize(stmt);
    sqlite3_close_v2(reader->db);
  }
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

namespace {

Result<sqlite3_stmt*> PrepareCached(sqlite3* db,
                                    std::map<std::string, sqlite3_stmt*, std::less<>>& cache,
                                    std::string_view sql) {
  auto it = cache.find(sql);
  if (it != cache.end()) return it->second;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &stmt, nullptr) != SQLITE_OK) {
    return SqlError(db, "prepare " + std::string(sql));
  }
  cache.emplace(std::string(sql), stmt);
  return stmt;
}

}  // namespace

Result<sqlite3_stmt*> Db::Prepare(std::string_view sql) { return PrepareCached(db_, cache_, sql); }

namespace {

Status Bind(sqlite3* db, sqlite3_stmt* stmt, const std::vector<Value>& params) {
  for (size_t i = 0; i < params.size(); ++i) {
    const int idx = static_cast<int>(i) + 1;
    int rc = SQLITE_OK;
    const Value& v = params[i];
    if (std::holds_alternative<std::monostate>(v)) {
      rc = sqlite3_bind_null(stmt, idx);
    } else if (const int64_t* n = std::get_if<int64_t>(&v)) {
      rc = sqlite3_bind_int64(stmt, idx, *n);
    } else if (const std::string* s = std::get_if<std::string>(&v)) {
      rc = sqlite3_bind_text64(stmt, idx, s->data(), s->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    } else {
      const Blob& b = std::get<Blob>(v);
      // An empty vector's data() may be null, which SQLite would store as NULL.
      rc = b.bytes.empty()
               ? sqlite3_bind_zeroblob(stmt, idx, 0)
               : sqlite3_bind_blob64(stmt, idx, b.bytes.data(), b.bytes.size(), SQLITE_TRANSIENT);
    }
    if (rc != SQLITE_OK) return SqlError(db, "bind");
  }
  return Status::Ok();
}

struct Reset {
  sqlite3_stmt* s;
  ~Reset() {
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
  }
};

}  // namespace

Result<int64_t> Db::Exec(std::string_view sql, const std::vector<Value>& params) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql));
  Reset reset{stmt};
  RETURN_IF_ERROR(Bind(db_, stmt, params));
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
  }
  if (rc != SQLITE_DONE) return SqlError(db_, sql);
  return static_cast<int64_t>(sqlite3_changes64(db_));
}

namespace {

Result<std::vector<Row>> RunQuery(sqlite3* db, sqlite3_stmt* stmt, std::string_view sql,
                                  const std::vector<Value>& params) {
  Reset reset{stmt};
  RETURN_IF_ERROR(Bind(db, stmt, params));
  std::vector<Row> rows;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    const int n = sqlite3_column_count(stmt);
    std::vector<Value> values;
    values.reserve(n);
    for (int i = 0; i < n; ++i) {
      switch (sqlite3_column_type(stmt, i)) {
        case SQLITE_NULL:
          values.emplace_back(std::monostate{});
          break;
        case SQLITE_INTEGER:
          values.emplace_back(static_cast<int64_t>(sqlite3_column_int64(stmt, i)));
          break;
        case SQLITE_BLOB: {
          const auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(stmt, i));
          const int len = sqlite3_column_bytes(stmt, i);
          values.emplace_back(Blob{std::vector<uint8_t>(p, p + len)});
          break;
        }
        default: {
          const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
          const int len = sqlite3_column_bytes(stmt, i);
          values.emplace_back(std::string(p != nullptr ? p : "", len));
        }
      }
    }
    rows.emplace_back(std::move(values));
  }
  if (rc != SQLITE_DONE) return SqlError(db, sql);
  return rows;
}

std::optional<Row> FirstRow(std::vector<Row> rows) {
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

}  // namespace

Result<std::vector<Row>> Db::Query(std::string_view sql, const std::vector<Value>& params) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql));
  return RunQuery(db_, stmt, sql, params);
}

Result<std::optional<Row>> Db::ReadCommittedOne(std::string_view sql,
                                                const std::vector<Value>& params) {
  // Start at a slot that depends on the thread, take the first idle connection, and wait on
  // the starting one only when all are busy.
  const size_t start = std::hash<std::thread::id>()(std::this_thread::get_id()) % readers_.size();
  Reader* reader = nullptr;
  std::unique_lock<std::mutex> lock;
  for (size_t k = 0; k < readers_.size() && reader == nullptr; ++k) {
    Reader& r = *readers_[(start + k) % readers_.size()];
    std::unique_lock<std::mutex> l(r.mu, std::try_to_lock);
    if (l.owns_lock()) {
      reader = &r;
      lock = std::move(l);
    }
  }
  if (reader == nullptr) {
    reader = readers_[start].get();
    lock = std::unique_lock<std::mutex>(reader->mu);
  }
  ASSIGN_OR_RETURN(sqlite3_stmt * stmt, PrepareCached(reader->db, reader->cache, sql));
  ASSIGN_OR_RETURN(std::vector<Row> rows, RunQuery(reader->db, stmt, sql, params));
  return FirstRow(std::move(rows));
}

Result<std::optional<Row>> Db::QueryOne(std::string_view sql, const std::vector<Value>& params) {
  ASSIGN_OR_RETURN(std::vector<Row> rows, Query(sql, params));
  return FirstRow(std::move(rows));
}

Status Db::RunBatch(std::vector<Pending*>& batch) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE").status());
  struct Depth {
    int& d;
    explicit Depth(int& x) : d(x) { ++d; }
    ~Depth() { --d; }
  };
  try {
    Depth depth(depth_);
    for (Pending* p : batch) {
      Status s = Exec("SAVEPOINT body").status();
      if (s.ok()) {
        try {
          s = (*p->body)();
        } catch (const std::exception& e) {
          s = InternalError(std::string("node store: transaction body threw: ") + e.what());
        } catch (...) {
          s = InternalError("node store: transaction body threw a non-standard exception");
        }
        if (!s.ok()) (void)Exec("ROLLBACK TO body");
        (void)Exec("RELEASE body");
      }
      p->result = std::move(s);
    }
  } catch (...) {
    (void)Exec("ROLLBACK");
    throw;
  }
  Result<int64_t> c = Exec("COMMIT");
  if (!c.ok()) {
    (void)Exec("ROLLBACK");
    for (Pending* p : batch) {
      if (p->result.ok()) p->result = c.status();
    }
  }
  return Status::Ok();
}

Status Db::Transaction(const std::function<Status()>& body) {
  {
    // Nested: the caller is a body of the running batch (on the leader's thread).
    std::unique_lock<std::recursive_mutex> lock(mu_, std::try_to_lock);
    if (lock.owns_lock() && depth_ > 0) return body();
  }
  Pending mine{&body, Status::Ok(), false};
  std::unique_lock<std::mutex> q(queue_mu_);
  queue_.push_back(&mine);
  while (!mine.done) {
    if (leader_active_) {
      queue_cv_.wait(q);
      continue;
    }
    // Lead one batch — everything queued now, ours included — then hand over, so that no
    // caller waits behind more than one batch of others.
    leader_active_ = true;
    std::vector<Pending*> batch;
    batch.swap(queue_);
    q.unlock();
    Status s;
    try {
      s = RunBatch(batch);
    } catch (const std::exception& e) {
      s = InternalError(std::string("node store: transaction failed: ") + e.what());
    } catch (...) {
      s = InternalError("node store: transaction failed: a body threw a non-standard exception");
    }
    q.lock();
    for (Pending* p : batch) {
      if (!s.ok()) p->result = s;
      p->done = true;
    }
    leader_active_ = false;
    queue_cv_.notify_all();
  }
  return mine.result;
}

}  // namespace traceport::node::internal
