#include "ledger/sqlite_storage.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstring>
#include <functional>
#include <mutex>
#include <utility>
#include <vector>

namespace traceport::ledger {
namespace {

constexpr const char* kFormat = "traceport-ledger/1";
constexpr int kBusyTimeoutMs = 5000;
constexpr size_t kMaxIdleReaders = 8;

// The schema, byte by byte in docs/formats/ledger.md.
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS state(
  id INTEGER PRIMARY KEY CHECK (id = 1),
  size INTEGER NOT NULL CHECK (size >= 0),
  edge BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS entries(idx INTEGER PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS tiles(
  level INTEGER NOT NULL, idx INTEGER NOT NULL, hashes BLOB NOT NULL,
  PRIMARY KEY (level, idx)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS checkpoints(size INTEGER PRIMARY KEY, note TEXT NOT NULL);
INSERT OR IGNORE INTO state(id, size, edge) VALUES (1, 0, x'');
)sql";

Status SqlError(sqlite3* db, std::string_view what) {
  return InternalError("ledger storage: " + std::string(what) + ": " +
                       (db ? sqlite3_errmsg(db) : "out of memory"));
}

// A prepared statement that resets itself when it goes out of scope.
class Stmt {
 public:
  Stmt() = default;
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Status Prepare(sqlite3* db, const char* sql) {
    db_ = db;
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) != SQLITE_OK) {
      return SqlError(db, std::string("prepare ") + sql);
    }
    return Status::Ok();
  }
  sqlite3_stmt* get() const { return stmt_; }
  sqlite3* db() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

// Resets a shared statement (and clears its bindings) on scope exit.
class Use {
 public:
  explicit Use(Stmt& s) : s_(s.get()) {}
  ~Use() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  Use(const Use&) = delete;
  Use& operator=(const Use&) = delete;

 private:
  sqlite3_stmt* s_;
};

Status Exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errmsg(db);
    sqlite3_free(err);
    return InternalError(std::string("ledger storage: ") + msg);
  }
  return Status::Ok();
}

// Runs `body` inside BEGIN IMMEDIATE ... COMMIT; rolls back when it or the commit fails. With
// synchronous=FULL the COMMIT is where SQLite writes and fsyncs the WAL.
Status InTransaction(sqlite3* db, const std::function<Status()>& body) {
  RETURN_IF_ERROR(Exec(db, "BEGIN IMMEDIATE"));
  Status s = body();
  if (s.ok()) s = Exec(db, "COMMIT");
  if (!s.ok()) (void)Exec(db, "ROLLBACK");
  return s;
}

std::string_view ColumnBlob(sqlite3_stmt* s, int col) {
  const void* p = sqlite3_column_blob(s, col);
  const int n = sqlite3_column_bytes(s, col);
  return p ? std::string_view(static_cast<const char*>(p), static_cast<size_t>(n))
           : std::string_view();
}

// Owns a connection; declared before the statements that use it so that it closes after them.
struct DbHandle {
  sqlite3* db = nullptr;
  DbHandle() = default;
  DbHandle(const DbHandle&) = delete;
  DbHandle& operator=(const DbHandle&) = delete;
  ~DbHandle() { sqlite3_close_v2(db); }
};

// The read statements, one set per connection.
struct ReadConn {
  DbHandle handle;
  sqlite3* db = nullptr;
  Stmt state, entry, scan_entries, tile, scan_tiles, latest, all_checkpoints, covering;

  Status Prepare() {
    RETURN_IF_ERROR(state.Prepare(db, "SELECT size, edge FROM state WHERE id = 1"));
    RETURN_IF_ERROR(entry.Prepare(db, "SELECT data FROM entries WHERE idx = ?1"));
    RETURN_IF_ERROR(scan_entries.Prepare(
        db, "SELECT idx, data FROM entries WHERE idx >= ?1 AND idx < ?2 ORDER BY idx"));
    RETURN_IF_ERROR(tile.Prepare(db, "SELECT hashes FROM tiles WHERE level = ?1 AND idx = ?2"));
    RETURN_IF_ERROR(
        scan_tiles.Prepare(db, "SELECT level, idx, hashes FROM tiles ORDER BY level, idx"));
    RETURN_IF_ERROR(
        latest.Prepare(db, "SELECT size, note FROM checkpoints ORDER BY size DESC LIMIT 1"));
    RETURN_IF_ERROR(
        all_checkpoints.Prepare(db, "SELECT size, note FROM checkpoints ORDER BY size"));
    RETURN_IF_ERROR(covering.Prepare(
        db, "SELECT size, note FROM checkpoints WHERE size > ?1 ORDER BY size LIMIT 1"));
    return Status::Ok();
  }
};

Result<sqlite3*> OpenConnection(const std::filesystem::path& file, bool read_only) {
  sqlite3* db = nullptr;
  const int flags =
      (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
      SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(file.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    Status s = SqlError(db, "open " + file.string());
    sqlite3_close_v2(db);
    return s;
  }
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  sqlite3_extended_result_codes(db, 1);
  return db;
}

}  // namespace

struct SqliteStorage::Impl {
  // Members are destroyed in reverse order: readers, statements, the writer, then the lock.
  struct LockFile {
    int fd = -1;
    ~LockFile() {
      if (fd >= 0) close(fd);
    }
  } lock_file;
  std::filesystem::path file;
  bool read_only = false;

  std::mutex write_mu;
  DbHandle writer_handle;
  sqlite3* writer = nullptr;
  Stmt w_state, w_insert_entry, w_put_tile, w_update_state, w_latest, w_put_checkpoint;

  std::mutex pool_mu;
  std::vector<std::unique_ptr<ReadConn>> idle;

  // A read connection for the duration of one call.
  class Reader {
   public:
    Reader(Impl* impl, std::unique_ptr<ReadConn> conn) : impl_(impl), conn_(std::move(conn)) {}
    ~Reader() {
      if (conn_ == nullptr) return;  // moved from
      std::lock_guard<std::mutex> lock(impl_->pool_mu);
      if (impl_->idle.size() < kMaxIdleReaders) impl_->idle.push_back(std::move(conn_));
    }
    Reader(Reader&&) = default;
    ReadConn* operator->() { return conn_.get(); }

   private:
    Impl* impl_;
    std::unique_ptr<ReadConn> conn_;
  };

  Result<Reader> AcquireReader() {
    {
      std::lock_guard<std::mutex> lock(pool_mu);
      if (!idle.empty()) {
        auto conn = std::move(idle.back());
        idle.pop_back();
        return Reader(this, std::move(conn));
      }
    }
    auto conn = std::make_unique<ReadConn>();
    ASSIGN_OR_RETURN(conn->handle.db, OpenConnection(file, /*read_only=*/true));
    conn->db = conn->handle.db;
    RETURN_IF_ERROR(conn->Prepare());
    return Reader(this, std::move(conn));
  }
};

namespace {

Result<std::optional<StoredCheckpoint>> StepCheckpoint(sqlite3_stmt* s) {
  const int rc = sqlite3_step(s);
  if (rc == SQLITE_DONE) return std::optional<StoredCheckpoint>();
  if (rc != SQLITE_ROW) return SqlError(sqlite3_db_handle(s), "read checkpoint");
  StoredCheckpoint c;
  c.size = static_cast<uint64_t>(sqlite3_column_int64(s, 0));
  c.note = std::string(ColumnBlob(s, 1));
  return std::optional<StoredCheckpoint>(std::move(c));
}

Status CheckFormat(sqlite3* db, bool create) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'format'", -1, &s, nullptr) !=
      SQLITE_OK) {
    sqlite3_finalize(s);
    return FailedPreconditionError("ledger storage: not a Traceport ledger (no meta table)");
  }
  const int rc = sqlite3_step(s);
  std::string format = rc == SQLITE_ROW ? std::string(ColumnBlob(s, 0)) : "";
  sqlite3_finalize(s);
  if (rc == SQLITE_DONE && create) {
    return Exec(
        db,
        (std::string("INSERT INTO meta(key, value) VALUES ('format', '") + kFormat + "')").c_str());
  }
  if (format != kFormat) {
    return FailedPreconditionError("ledger storage: format \"" + format +
                                   "\" is not the supported \"" + kFormat + "\"");
  }
  return Status::Ok();
}

}  // namespace

SqliteStorage::SqliteStorage(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SqliteStorage::~SqliteStorage() = default;

const std::filesystem::path& SqliteStorage::path() const { return impl_->file; }

Result<std::unique_ptr<SqliteStorage>> SqliteStorage::Open(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    return InternalError("ledger storage: cannot create " + dir.string() + ": " + ec.message());
  auto impl = std::make_unique<Impl>();
  impl->file = dir / "ledger.db";
  const std::string lock_path = (dir / "ledger.lock").string();
  impl->lock_file.fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (impl->lock_file.fd < 0) {
    return InternalError("ledger storage: cannot open " + lock_path + ": " + std::strerror(errno));
  }
  if (flock(impl->lock_file.fd, LOCK_EX | LOCK_NB) != 0) {
    return FailedPreconditionError("ledger storage: " + dir.string() +
                                   " is in use by another process (" + lock_path + " is locked)");
  }
  ASSIGN_OR_RETURN(impl->writer_handle.db, OpenConnection(impl->file, /*read_only=*/false));
  impl->writer = impl->writer_handle.db;
  sqlite3* db = impl->writer;
  // WAL with synchronous=FULL: a commit returns only after the WAL is fsynced.
  RETURN_IF_ERROR(Exec(db, "PRAGMA journal_mode=WAL"));
  RETURN_IF_ERROR(Exec(db, "PRAGMA synchronous=FULL"));
  RETURN_IF_ERROR(Exec(db, "PRAGMA foreign_keys=OFF"));
  Status schema = InTransaction(db, [db]() -> Status {
    RETURN_IF_ERROR(Exec(db, kSchema));
    return CheckFormat(db, /*create=*/true);
  });
  RETURN_IF_ERROR(schema);
  RETURN_IF_ERROR(impl->w_state.Prepare(db, "SELECT size FROM state WHERE id = 1"));
  RETURN_IF_ERROR(
      impl->w_insert_entry.Prepare(db, "INSERT INTO entries(idx, data) VALUES (?1, ?2)"));
  RETURN_IF_ERROR(impl->w_put_tile.Prepare(
      db, "INSERT OR REPLACE INTO tiles(level, idx, hashes) VALUES (?1, ?2, ?3)"));
  RETURN_IF_ERROR(
      impl->w_update_state.Prepare(db, "UPDATE state SET size = ?1, edge = ?2 WHERE id = 1"));
  RETURN_IF_ERROR(impl->w_latest.Prepare(db, "SELECT MAX(size) FROM checkpoints"));
  RETURN_IF_ERROR(
      impl->w_put_checkpoint.Prepare(db, "INSERT INTO checkpoints(size, note) VALUES (?1, ?2)"));
  return std::unique_ptr<SqliteStorage>(new SqliteStorage(std::move(impl)));
}

Result<std::unique_ptr<SqliteStorage>> SqliteStorage::OpenReadOnly(
    const std::filesystem::path& dir) {
  auto impl = std::make_unique<Impl>();
  impl->file = dir / "ledger.db";
  impl->read_only = true;
  if (!std::filesystem::exists(impl->file)) {
    return NotFoundError("ledger storage: no ledger in " + dir.string() + " (" +
                         impl->file.string() + " does not exist)");
  }
  {
    ASSIGN_OR_RETURN(sqlite3 * db, OpenConnection(impl->file, /*read_only=*/true));
    Status s = CheckFormat(db, /*create=*/false);
    sqlite3_close_v2(db);
    RETURN_IF_ERROR(s);
  }
  return std::unique_ptr<SqliteStorage>(new SqliteStorage(std::move(impl)));
}

Result<TreeState> SqliteStorage::LoadState() {
  ASSIGN_OR_RETURN(auto r, impl_->AcquireReader());
  Use use(r->state);
  sqlite3_stmt* s = r->state.get();
  if (sqlite3_step(s) != SQLITE_ROW) return SqlError(r->db, "read tree state");
  TreeState state;
  const int64_t size = sqlite3_column_int64(s, 0);
  const std::string_view edge = ColumnBlob(s, 1);
  if (size < 0 || edge.size() % kHashSize != 0) {
    return DataLossError("ledger storage: tree state is corrupt (size " + std::to_string(size) +
                         ", edge of " + std::to_string(edge.size()) + " bytes)");
  }
  state.size = static_cast<uint64_t>(size);
  for (size_t off = 0; off < edge.size(); off += kHashSize) {
    Hash h;
    std::memcpy(h.data(), edge.data() + off, kHashSize);
    state.edge.push_back(h);
  }
  return state;
}

Status SqliteStorage::Commit(const CommitBatch& batch) {
  if (impl_->read_only) return FailedPreconditionError("ledger storage: opened read-only");
  std::lock_guard<std::mutex> lock(impl_->write_mu);
  sqlite3* db = impl_->writer;
  auto body = [&]() -> Status {
    {
      Use use(impl_->w_state);
      if (sqlite3_step(impl_->w_state.get()) != SQLITE_ROW) return SqlError(db, "read size");
      const auto size = static_cast<uint64_t>(sqlite3_column_int64(impl_->w_state.get(), 0));
      if (size != batch.first_index) {
        return FailedPreconditionError(
            "ledger storage: batch starts at " + std::to_string(batch.first_index) +
            " but the stored log has " + std::to_string(size) + " entries (another writer?)");
      }
    }
    uint64_t index = batch.first_index;
    for (const std::string& e : batch.entries) {
      Use use(impl_->w_insert_entry);
      sqlite3_stmt* s = impl_->w_insert_entry.get();
      sqlite3_bind_int64(s, 1, static_cast<int64_t>(index++));
      sqlite3_bind_blob(s, 2, e.data(), static_cast<int>(e.size()), SQLITE_STATIC);
      if (sqlite3_step(s) != SQLITE_DONE) return SqlError(db, "insert entry");
    }
    for (const TileWrite& t : batch.tiles) {
      Use use(impl_->w_put_tile);
      sqlite3_stmt* s = impl_->w_put_tile.get();
      sqlite3_bind_int(s, 1, static_cast<int>(t.level));
      sqlite3_bind_int64(s, 2, static_cast<int64_t>(t.index));
      sqlite3_bind_blob(s, 3, t.hashes.data(), static_cast<int>(t.hashes.size()), SQLITE_STATIC);
      if (sqlite3_step(s) != SQLITE_DONE) return SqlError(db, "write tile");
    }
    std::string edge;
    edge.reserve(batch.state.edge.size() * kHashSize);
    for (const Hash& h : batch.state.edge) {
      edge.append(reinterpret_cast<const char*>(h.data()), h.size());
    }
    Use use(impl_->w_update_state);
    sqlite3_stmt* s = impl_->w_update_state.get();
    sqlite3_bind_int64(s, 1, static_cast<int64_t>(batch.state.size));
    sqlite3_bind_blob(s, 2, edge.data(), static_cast<int>(edge.size()), SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE) return SqlError(db, "update tree state");
    return Status::Ok();
  };
  return InTransaction(db, body);
}

Result<std::string> SqliteStorage::ReadEntry(uint64_t index) {
  ASSIGN_OR_RETURN(auto r, impl_->AcquireReader());
  Use use(r->entry);
  sqlite3_stmt* s = r->entry.get();
  sqlite3_bind_int64(s, 1, static_cast<int64_t>(index));
  const int rc = sqlite3_step(s);
  if (rc == SQLITE_DONE) return NotFoundError("ledger: no entry " + std::to_string(index));
  if (rc != SQLITE_ROW) return SqlError(r->db, "read entry");
  return std::string(ColumnBlob(s, 0));
}

Status SqliteStorage::ScanEntries(uint64_t begin, uint64_t end,
                                  const std::function<Status(uint64_t, std::string_view)>& visit) {
  ASSIGN_OR_RETURN(auto r, impl_->AcquireReader());
  Use use(r->scan_entries);
  sqlite3_stmt* s = r->scan_entries.get();
  sqlite3_bind_int64(s, 1, static_cast<int64_t>(begin));
  sqlite3_bind_int64(s, 2, static_cast<int64_t>(end));
  for (;;) {
    const int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE) return Status::Ok();
    if (rc != SQLITE_ROW) return SqlError(r->db, "scan entries");
    RETURN_IF_ERROR(visit(static_cast<uint64_t>(sqlite3_column_int64(s, 0)), ColumnBlob(s, 1)));
  }
}

Result<std::string> SqliteStorage::ReadTile(uint32_t level, uint64_t index) {
  ASSIGN_OR_RETURN(auto r, impl_->AcquireReader());
  Use use(r->tile);
  sqlite3_stmt* s = r->tile.get();
  sqlite3_bind_int(s, 1, static_cast<int>(level));
  sqlite3_bind_int64(s, 2, static_cast<int64_t>(index));
  const int rc = sqlite3_step(s);
  if (rc == SQLITE_DONE) {
    return NotFoundError("ledger: no tile " + std::to_string(level) + "/" + std::to_string(index));
  }
  if (rc != SQLITE_ROW) return SqlError(r->db, "read tile");
  return std::string(ColumnBlob(s, 0));
}

Status SqliteStorage::ScanTiles(
    const std::function<Status(uint32_t, uint64_t, std::string_view)>& visit) {
  ASSIGN_OR_RETURN(auto r, impl_->AcquireReader());
  Use use(r->scan_tiles);
  sqlite3_stmt* s = r->scan_tiles.get();
  for (;;) {
    const int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE) return Status::Ok();
    if (rc != SQLITE_ROW) return SqlError(r->db, "scan tiles");
    RETURN_IF_ERROR(visit(static_cast<uint32_t>(sqlite3_column_int(s, 0)),
                          static_cast<uint64_t>(sqlite3_column_int64(s, 1)), ColumnBlob(s, 2)));
  }
}

Status SqliteStorage::StoreCheckpoint(uint64_t size, std::string_view note) {
  if (impl_->read_only) return FailedPreconditionError("ledger storage: opened read-only");
  std::lock_guard<std::mutex> lock(impl_->write_mu);
  sqlite3* db = impl_->writer;
  auto body = [&]() -> Status {
    {
      Use use(impl_->w_latest);
      sqlite3_stmt* s = impl_->w_latest.get();
      if (sqlite3_step(s) != SQLITE_ROW) return SqlError(db, "read latest checkpoint");
      if (sqlite3_column_type(s, 0) != SQLITE_NULL) {
        const auto latest = static_cast<uint64_t>(sqlite3_column_int64(s, 0));
        if (size <= latest) {
          return FailedPreconditionError("ledger storage: a checkpoint for size " +
                                         std::to_string(size) + " cannot follow one for " +
                                         std::to_string(latest));
        }
      }
    }
    Use use(impl_->w_put_checkpoint);
    sqlite3_stmt* s = impl_->w_put_checkpoint.get();
    sqlite3_bind_int64(s, 1, static_cast<int64_t>(size));
    sqlite3_bind_text(s, 2, note.data(), static_cast<int>(note.size()), SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE) return SqlError(db, "store checkpoint");
    return Status::Ok();
  };
  return InTransaction(db, body);
}

Status SqliteStorage::UpdateCheckpointNote(uint64_t size, std::string_view note) {
  if (impl_->read_only) return FailedPreconditionError("ledger storage: opened read-only");
  std::lock_guard<std::mutex> lock(impl_->write_mu);
  sqlite3* db = impl_->writer;
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db, "UPDATE checkpoints SET note = ?2 WHERE size = ?1", -1, &s, nullptr) !=
      SQLITE_OK) {
    return SqlError(db, "prepare checkpoint update");
  }
  sqlite3_bind_int64(s, 1, static_cast<int64_t>(size));
  sqlite3_bind_text(s, 2, note.data(), static_cast<int>(note.size()), SQLITE_STATIC);
  const int rc = sqlite3_step(s);
  sqlite3_finalize(s);
  if (rc != SQLITE_DONE) return SqlError(db, "update checkpoint");
  if (sqlite3_changes(db) != 1) {
    return NotFoundError("ledger storage: no checkpoint for size " + std::to_string(size));
  }
  return Status::Ok();
}

Result<std::optional<StoredCheckpoint>> SqliteStorage::LatestCheckpoint() {
  ASSIGN_OR_RETURN(auto r, impl_->AcquireReader());
  Use use(r->latest);
  return StepCheckpoint(r->latest.get());
}

Result<std::vector<StoredCheckpoint>> SqliteStorage::Checkpoints() {
  ASSIGN_OR_RETURN(auto r, impl_->AcquireReader());
  Use use(r->all_checkpoints);
  std::vector<StoredCheckpoint> out;
  for (;;) {
    ASSIGN_OR_RETURN(auto c, StepCheckpoint(r->all_checkpoints.get()));
    if (!c) return out;
    out.push_back(std::move(*c));
  }
}

Result<std::optional<StoredCheckpoint>> SqliteStorage::CheckpointCovering(uint64_t index) {
  ASSIGN_OR_RETURN(auto r, impl_->AcquireReader());
  Use use(r->covering);
  sqlite3_bind_int64(r->covering.get(), 1, static_cast<int64_t>(index));
  return StepCheckpoint(r->covering.get());
}

}  // namespace traceport::ledger
