// The right edge of the ledger's tree as the writer keeps it in memory: the compact range and
// the rightmost tile of each tile level. Log (sequencing) and Mirror (copying another log) both
// extend a stored tree through it, so both write byte-identical tiles.
//
// Thread safety: thread-compatible.
#ifndef TRACEPORT_LEDGER_INTERNAL_TREE_BUILDER_H_
#define TRACEPORT_LEDGER_INTERNAL_TREE_BUILDER_H_

#include <string>
#include <vector>

#include "common/status.h"
#include "ledger/storage.h"
#include "ledger/verify/merkle.h"

namespace traceport::ledger::internal {

// Tile levels a 64-bit tree can have: 256^8 = 2^64 leaves.
inline constexpr uint32_t kTileLevels = 8;

// How many hashes tile level `level` holds in the tree of `size` leaves (complete perfect
// subtrees of height 8 * level); 0 beyond the last level.
inline uint64_t HashesAtTileLevel(uint64_t size, uint32_t level) {
  return level >= kTileLevels ? 0 : size >> (8 * level);
}

class TreeBuilder {
 public:
  // Loads the committed tree from `storage` (its state and rightmost tiles). kDataLoss when a
  // stored tile is shorter than the state says.
  Status Load(LogStorage& storage);

  // The batch that appends `entries` (moved into the batch's storage) after the current tree.
  // Nothing changes in the builder until Apply().
  struct Pending {
    std::vector<std::string> entries;
    CompactRange tree;
    std::vector<std::string> tiles;
    CommitBatch batch;  // points into `entries`
  };
  std::unique_ptr<Pending> Extend(std::vector<std::string> entries) const;
  // Adopts a batch once it is durable.
  void Apply(Pending& pending);

  const CompactRange& tree() const { return tree_; }
  const std::string& partial_tile(uint32_t level) const { return tiles_[level]; }

 private:
  CompactRange tree_;
  std::vector<std::string> tiles_ = std::vector<std::string>(kTileLevels);
};

}  // namespace traceport::ledger::internal

#endif  // TRACEPORT_LEDGER_INTERNAL_TREE_BUILDER_H_
