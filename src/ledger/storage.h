// The ledger's storage port: everything the log keeps durable goes through LogStorage, so that
// the sequencer, the read API and the verifier never know which database is underneath.
// SqliteStorage (sqlite_storage.h) is the first adapter; MemoryStorage (testing/) serves tests.
//
// Contract for every adapter:
//   * Commit() is atomic and durable: when it returns OK, the entries, tiles and tree state it
//     carried survive a crash or power loss (one fsync); when it fails, none of it is visible.
//   * Entries are append-only: Commit() refuses a first_index other than the stored size.
//   * Checkpoints are compare-and-swap: a checkpoint for a smaller tree than the latest stored
//     one is refused, so a restarted or second sequencer can never publish a rollback.
//   * Nothing read back is trusted by the log: it re-derives hashes where it matters (see
//     Log::Open and VerifyLedger).
//
// Thread safety: adapters are thread-safe; Commit() and StoreCheckpoint() calls are serialized
// by the caller (only the sequencer writes), reads may run concurrently with them.
#ifndef TRACEPORT_LEDGER_STORAGE_H_
#define TRACEPORT_LEDGER_STORAGE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "ledger/verify/merkle.h"

namespace traceport::ledger {

// The integrated tree: its size and its right edge (CompactRange::edge()).
struct TreeState {
  uint64_t size = 0;
  std::vector<Hash> edge;
};

// The contents of one tile (C2SP tlog-tiles) after a commit: width * 32 bytes, width 1..256.
struct TileWrite {
  uint32_t level = 0;
  uint64_t index = 0;
  std::string hashes;
};

// One sequenced and integrated batch.
struct CommitBatch {
  uint64_t first_index = 0;              // must equal the stored tree size
  std::span<const std::string> entries;  // canonical entries, in index order
  TreeState state;                       // the tree after these entries
  std::vector<TileWrite> tiles;          // every tile these entries changed
};

struct StoredCheckpoint {
  uint64_t size = 0;
  std::string note;  // the signed checkpoint exactly as published
};

class LogStorage {
 public:
  virtual ~LogStorage() = default;

  // The tree as of the last successful Commit (size 0 and no edge for a new log).
  virtual Result<TreeState> LoadState() = 0;
  // Durably appends a batch (see the contract above). kFailedPrecondition when first_index is
  // not the stored size; kInternal / kUnavailable for I/O errors (nothing was written).
  virtual Status Commit(const CommitBatch& batch) = 0;

  // Entry `index`; kNotFound at or past the stored size.
  virtual Result<std::string> ReadEntry(uint64_t index) = 0;
  // Calls `visit` for entries [begin, end) in order; stops at the first non-OK it returns.
  virtual Status ScanEntries(uint64_t begin, uint64_t end,
                             const std::function<Status(uint64_t, std::string_view)>& visit) = 0;
  // The stored contents of tile (level, index): width * 32 bytes, possibly wider than a caller
  // needs (partial tiles grow in place until full). kNotFound when the tile was never written.
  virtual Result<std::string> ReadTile(uint32_t level, uint64_t index) = 0;
  // Calls `visit` for every stored tile (level, index, hashes), for auditing.
  virtual Status ScanTiles(
      const std::function<Status(uint32_t, uint64_t, std::string_view)>& visit) = 0;

  // Stores a signed checkpoint for tree `size` (compare-and-swap, see above:
  // kFailedPrecondition when size is below the latest stored one).
  virtual Status StoreCheckpoint(uint64_t size, std::string_view note) = 0;
  // Replaces the stored note of checkpoint `size` by the same checkpoint with more signatures
  // (witness cosignatures). kNotFound when there is no checkpoint of that size.
  virtual Status UpdateCheckpointNote(uint64_t size, std::string_view note) = 0;
  virtual Result<std::optional<StoredCheckpoint>> LatestCheckpoint() = 0;
  // Every stored checkpoint, oldest first.
  virtual Result<std::vector<StoredCheckpoint>> Checkpoints() = 0;
  // The smallest stored checkpoint whose size is greater than `index` (the first that covers
  // that entry); nullopt when none does yet.
  virtual Result<std::optional<StoredCheckpoint>> CheckpointCovering(uint64_t index) = 0;
};

}  // namespace traceport::ledger

#endif  // TRACEPORT_LEDGER_STORAGE_H_
