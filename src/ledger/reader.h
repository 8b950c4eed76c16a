// Reads of a ledger that need only its storage and a committed tree size: entries, proofs,
// roots, tiles, entry bundles and receipts. Log serves its readers through this; read-only
// tools (`traceport ledger get|proof`, the audit) use it on storage opened read-only, beside a
// running writer.
//
// Every read past the reader's size is refused (kNotFound / kOutOfRange), so a reader never
// exposes data that a checkpoint of that size does not commit to.
//
// Thread safety: as thread-safe as the storage (LogStorage adapters are).
#ifndef TRACEPORT_LEDGER_READER_H_
#define TRACEPORT_LEDGER_READER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "ledger/storage.h"
#include "ledger/verify/merkle.h"

namespace traceport::ledger {

// Expanded full tiles (all 511 nodes of the tile's 8-level subtree), shared by every proof a
// log serves: full tiles never change, so a cached one never goes stale, and a proof costs a
// few lookups instead of re-hashing up to 255 nodes per tile. Holds at most `max_tiles` (16 KiB
// each), evicting the oldest. Thread-safe.
class TileCache {
 public:
  explicit TileCache(size_t max_tiles = 4096);
  ~TileCache();
  TileCache(const TileCache&) = delete;
  TileCache& operator=(const TileCache&) = delete;

  // The hash of perfect subtree (level, index) of the tree of `tree_size`, from the cache or
  // `storage`. Nodes in a partial (rightmost) tile are folded from its stored hashes, uncached.
  Result<Hash> Node(LogStorage& storage, uint64_t tree_size, uint32_t level, uint64_t index);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// Perfect-subtree hashes from the stored tiles of the tree of `tree_size`, through `cache`
// when given.
NodeReader StorageNodeReader(LogStorage& storage, uint64_t tree_size, TileCache* cache = nullptr);

class LogReader {
 public:
  LogReader(LogStorage& storage, uint64_t size, TileCache* cache = nullptr);
  // A reader at the storage's committed size.
  static Result<LogReader> AtCommittedSize(LogStorage& storage);

  uint64_t size() const { return size_; }

  // Entry `index`'s canonical bytes; kNotFound past the size.
  Result<std::string> Entry(uint64_t index);
  // RFC 9162 proofs for any tree size up to size(); kOutOfRange for sizes or indexes outside.
  Result<std::vector<Hash>> InclusionProof(uint64_t index, uint64_t tree_size);
  Result<std::vector<Hash>> ConsistencyProof(uint64_t size1, uint64_t size2);
  Result<Hash> RootAt(uint64_t tree_size);
  // The C2SP tlog-proof for entry `index` against `checkpoint` (which must cover it), with the
  // entry's canonical bytes as `extra`.
  Result<std::string> Receipt(uint64_t index, const StoredCheckpoint& checkpoint);
  // Exactly width * 32 bytes of tile (level, index); kNotFound when the tree of size() does not
  // have that tile at that width.
  Result<std::string> Tile(uint32_t level, uint64_t index, uint32_t width);
  // The entry bundle [index*256, index*256 + width) in C2SP tlog-tiles form.
  Result<std::string> EntryBundle(uint64_t index, uint32_t width);

 private:
  LogStorage& storage_;
  uint64_t size_;
  TileCache* cache_;
};

}  // namespace traceport::ledger

#endif  // TRACEPORT_LEDGER_READER_H_
