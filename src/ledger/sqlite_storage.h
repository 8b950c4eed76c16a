// LogStorage on SQLite in WAL mode: one file, `ledger.db`, in the node's data directory.
//
// Durability: journal_mode=WAL with synchronous=FULL, so each Commit() is one transaction and
// one fsync of the write-ahead log before it returns. The byte-level layout (tables, blobs and
// the meta rows) is documented in docs/formats/ledger.md.
//
// One process writes a data directory at a time: Open() takes an exclusive advisory lock on
// `ledger.lock` (flock) for writers; OpenReadOnly() takes none and may run beside the writer
// (WAL readers see the last committed state).
//
// Thread safety: thread-safe. Writes go through one connection under a mutex; reads use a small
// pool of read connections and never block the writer.
#ifndef TRACEPORT_LEDGER_SQLITE_STORAGE_H_
#define TRACEPORT_LEDGER_SQLITE_STORAGE_H_

#include <filesystem>
#include <memory>
#include <string>

#include "common/status.h"
#include "ledger/storage.h"

namespace traceport::ledger {

class SqliteStorage final : public LogStorage {
 public:
  // Opens (creating if needed) `dir`/ledger.db for writing. kFailedPrecondition when another
  // process holds the directory, or the file is not a Traceport ledger of a known version;
  // kInternal with SQLite's message for I/O failures.
  static Result<std::unique_ptr<SqliteStorage>> Open(const std::filesystem::path& dir);
  // Opens an existing ledger for reading only (kNotFound when there is none).
  static Result<std::unique_ptr<SqliteStorage>> OpenReadOnly(const std::filesystem::path& dir);

  ~SqliteStorage() override;
  SqliteStorage(const SqliteStorage&) = delete;
  SqliteStorage& operator=(const SqliteStorage&) = delete;

  Result<TreeState> LoadState() override;
  Status Commit(const CommitBatch& batch) override;
  Result<std::string> ReadEntry(uint64_t index) override;
  Status ScanEntries(uint64_t begin, uint64_t end,
                     const std::function<Status(uint64_t, std::string_view)>& visit) override;
  Result<std::string> ReadTile(uint32_t level, uint64_t index) override;
  Status ScanTiles(
      const std::function<Status(uint32_t, uint64_t, std::string_view)>& visit) override;
  Status StoreCheckpoint(uint64_t size, std::string_view note) override;
  Status UpdateCheckpointNote(uint64_t size, std::string_view note) override;
  Result<std::optional<StoredCheckpoint>> LatestCheckpoint() override;
  Result<std::vector<StoredCheckpoint>> Checkpoints() override;
  Result<std::optional<StoredCheckpoint>> CheckpointCovering(uint64_t index) override;

  // The database file, for tools and tests.
  const std::filesystem::path& path() const;

  struct Impl;

 private:
  explicit SqliteStorage(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace traceport::ledger

#endif  // TRACEPORT_LEDGER_SQLITE_STORAGE_H_
