#include "ledger/reader.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <deque>
#include <mutex>
#include <unordered_map>

#include "ledger/internal/tree_builder.h"
#include "ledger/verify/tiles.h"
#include "ledger/verify/tlog_proof.h"

namespace traceport::ledger {
namespace {}  // namespace

struct TileCache::Impl {
  // One tile's subtree: the tile's `width` hashes (height 0) and every complete node above
  // them, heights 1..8; height h starts at 512 - (512 >> h). A partial tile is cached too:
  // the prefix of a stored tile never changes, so its nodes stay valid as the tile grows and
  // it is re-read only when a proof needs a node beyond its width.
  struct Expanded {
    uint32_t width = 0;
    std::array<Hash, 511> nodes;
  };

  size_t max_tiles;
  std::mutex mu;
  std::unordered_map<uint64_t, std::shared_ptr<const Expanded>> tiles;
  std::deque<uint64_t> order;  // insertion order, for eviction

  static uint64_t Key(uint32_t tile_level, uint64_t tile_index) {
    return (uint64_t{tile_level} << 56) | tile_index;
  }
};

TileCache::TileCache(size_t max_tiles) : impl_(std::make_unique<Impl>()) {
  impl_->max_tiles = std::max<size_t>(max_tiles, 1);
}
TileCache::~TileCache() = default;

Result<Hash> TileCache::Node(LogStorage& storage, uint64_t tree_size, uint32_t level,
                             uint64_t index) {
  if (level >= 64 || index >= (tree_size >> level)) {
    return InvalidArgumentError("ledger: node " + std::to_string(level) + "/" +
                                std::to_string(index) + " is not complete at tree size " +
                                std::to_string(tree_size));
  }
  const uint32_t tile_level = level / 8;
  const uint32_t height = level % 8;
  const uint64_t first = index << height;  // the node's first hash at the tile's level
  const uint64_t tile_index = first / 256;
  const size_t pos = static_cast<size_t>((first % 256) >> height);
  // The node needs the tile's hashes up to here.
  const uint32_t need = static_cast<uint32_t>((pos + 1) << height);
  const size_t slot = 512 - (512 >> height) + pos;
  const uint64_t key = Impl::Key(tile_level, tile_index);
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    auto it = impl_->tiles.find(key);
    if (it != impl_->tiles.end() && it->second->width >= need) return it->second->nodes[slot];
  }
  ASSIGN_OR_RETURN(std::string bytes, storage.ReadTile(tile_level, tile_index));
  // Use only what the tree of tree_size covers (a growing tile may hold more).
  const uint64_t hashes_at_level = internal::HashesAtTileLevel(tree_size, tile_level);
  const uint64_t covered = std::min<uint64_t>(256, hashes_at_level - tile_index * 256);
  const uint32_t width =
      static_cast<uint32_t>(std::min<uint64_t>(covered, bytes.size() / kHashSize));
  if (width < need) {
    return DataLossError("ledger: stored tile " + std::to_string(tile_level) + "/" +
                         std::to_string(tile_index) + " holds " + std::to_string(width) +
                         " hashes, the tree of size " + std::to_string(tree_size) + " needs " +
                         std::to_string(need));
  }
  auto expanded = std::make_shared<Impl::Expanded>();
  expanded->width = width;
  auto& e = expanded->nodes;
  for (size_t k = 0; k < width; ++k) {
    std::memcpy(e[k].data(), bytes.data() + k * kHashSize, kHashSize);
  }
  for (uint32_t h = 1; h <= 8; ++h) {
    const size_t below = 512 - (512 >> (h - 1)), here = 512 - (512 >> h);
    for (size_t k = 0; k < (width >> h); ++k) {
      e[here + k] = NodeHash(e[below + 2 * k], e[below + 2 * k + 1]);
    }
  }
  const Hash result = e[slot];
  std::lock_guard<std::mutex> lock(impl_->mu);
  auto [it, inserted] = impl_->tiles.try_emplace(key, expanded);
  if (inserted) {
    impl_->order.push_back(key);
    while (impl_->order.size() > impl_->max_tiles) {
      impl_->tiles.erase(impl_->order.front());
      impl_->order.pop_front();
    }
  } else if (it->second->width < width) {
    it->second = std::move(expanded);
  }
  return result;
}

NodeReader StorageNodeReader(LogStorage& storage, uint64_t tree_size, TileCache* cache) {
  if (cache != nullptr) {
    return [&storage, tree_size, cache](uint32_t level, uint64_t index) {
      return cache->Node(storage, tree_size, level, index);
    };
  }
  TileFetcher fetch = [&storage](const TilePath& path) -> Result<std::string> {
    ASSIGN_OR_RETURN(std::string hashes, storage.ReadTile(path.level, path.index));
    const size_t want = static_cast<size_t>(path.width) * kHashSize;
    if (hashes.size() < want) {
      return DataLossError("ledger: stored tile " + path.ToString() + " holds " +
                           std::to_string(hashes.size() / kHashSize) + " hashes, " +
                           std::to_string(path.width) + " expected");
    }
    hashes.resize(want);
    return hashes;
  };
  return TileNodeReader(std::move(fetch), tree_size);
}

LogReader::LogReader(LogStorage& storage, uint64_t size, TileCache* cache)
    : storage_(storage), size_(size), cache_(cache) {}

Result<LogReader> LogReader::AtCommittedSize(LogStorage& storage) {
  ASSIGN_OR_RETURN(TreeState state, storage.LoadState());
  return LogReader(storage, state.size);
}

Result<std::string> LogReader::Entry(uint64_t index) {
  const uint64_t n = size_;
  if (index >= n) {
    return NotFoundError("ledger: no entry " + std::to_string(index) + " (the log has " +
                         std::to_string(n) + ")");
  }
  return storage_.ReadEntry(index);
}

Result<std::vector<Hash>> LogReader::InclusionProof(uint64_t index, uint64_t tree_size) {
  const uint64_t n = size_;
  if (tree_size > n) {
    return OutOfRangeError("ledger: tree size " + std::to_string(tree_size) +
                           " is larger than the log (" + std::to_string(n) + ")");
  }
  if (index >= tree_size) {
    return OutOfRangeError("ledger: entry " + std::to_string(index) +
                           " is not in the tree of size " + std::to_string(tree_size));
  }
  return ledger::InclusionProof(index, tree_size, StorageNodeReader(storage_, tree_size, cache_));
}

Result<std::vector<Hash>> LogReader::ConsistencyProof(uint64_t size1, uint64_t size2) {
  const uint64_t n = size_;
  if (size2 > n) {
    return OutOfRangeError("ledger: tree size " + std::to_string(size2) +
                           " is larger than the log (" + std::to_string(n) + ")");
  }
  if (size1 > size2) {
    return OutOfRangeError("ledger: a consistency proof needs size1 <= size2, got " +
                           std::to_string(size1) + " > " + std::to_string(size2));
  }
  if (size1 == 0 || size1 == size2) return std::vector<Hash>();
  return ledger::ConsistencyProof(size1, size2, StorageNodeReader(storage_, size2, cache_));
}

Result<Hash> LogReader::RootAt(uint64_t tree_size) {
  const uint64_t n = size_;
  if (tree_size > n) {
    return OutOfRangeError("ledger: tree size " + std::to_string(tree_size) +
                           " is larger than the log (" + std::to_string(n) + ")");
  }
  if (tree_size == 0) return EmptyRoot();
  return RootFromNodes(tree_size, StorageNodeReader(storage_, tree_size, cache_));
}

Result<std::string> LogReader::Receipt(uint64_t index, const StoredCheckpoint& checkpoint) {
  ASSIGN_OR_RETURN(std::string entry, Entry(index));
  if (checkpoint.size <= index) {
    return FailedPreconditionError("ledger: entry " + std::to_string(index) +
                                   " is not covered by a checkpoint yet; retry in a second");
  }
  ASSIGN_OR_RETURN(std::vector<Hash> proof, InclusionProof(index, checkpoint.size));
  TlogProof receipt;
  receipt.extra.assign(entry.begin(), entry.end());
  receipt.index = index;
  receipt.inclusion_proof = std::move(proof);
  receipt.checkpoint = checkpoint.note;
  return FormatTlogProof(receipt);
}

Result<std::string> LogReader::Tile(uint32_t level, uint64_t index, uint32_t width) {
  if (width == 0 || width > 256) return InvalidArgumentError("ledger: tile width out of range");
  const uint64_t n = size_;
  const uint64_t nodes = internal::HashesAtTileLevel(n, level);
  // The tile exists at this width if the tree has that many hashes at the tile's level: full
  // tiles, and any prefix of the rightmost one (the partial tiles of earlier checkpoints).
  if (index > nodes / 256 || index * 256 + width > nodes) {
    return NotFoundError("ledger: tile " + std::to_string(level) + "/" + std::to_string(index) +
                         " of width " + std::to_string(width) + " does not exist at size " +
                         std::to_string(n));
  }
  ASSIGN_OR_RETURN(std::string hashes, storage_.ReadTile(level, index));
  if (hashes.size() < width * kHashSize) {
    return DataLossError("ledger: stored tile " + std::to_string(level) + "/" +
                         std::to_string(index) + " is shorter than its width");
  }
  hashes.resize(width * kHashSize);
  return hashes;
}

Result<std::string> LogReader::EntryBundle(uint64_t index, uint32_t width) {
  if (width == 0 || width > 256) return InvalidArgumentError("ledger: bundle width out of range");
  const uint64_t n = size_;
  if (index > n / 256 || index * 256 + width > n) {
    return NotFoundError("ledger: entry bundle " + std::to_string(index) + " of width " +
                         std::to_string(width) + " does not exist at size " + std::to_string(n));
  }
  std::string bundle;
  uint32_t count = 0;
  RETURN_IF_ERROR(storage_.ScanEntries(index * 256, index * 256 + width,
                                       [&](uint64_t, std::string_view e) -> Status {
                                         ++count;
                                         return AppendBundleEntry(bundle, e);
                                       }));
  if (count != width) {
    return DataLossError("ledger: entry bundle " + std::to_string(index) + " has " +
                         std::to_string(count) + " stored entries, " + std::to_string(width) +
                         " expected");
  }
  return bundle;
}

}  // namespace traceport::ledger
