#include "ledger/internal/tree_builder.h"

#include <memory>

namespace traceport::ledger::internal {

Status TreeBuilder::Load(LogStorage& storage) {
  ASSIGN_OR_RETURN(TreeState state, storage.LoadState());
  ASSIGN_OR_RETURN(tree_, CompactRange::FromEdge(state.size, state.edge));
  tiles_.assign(kTileLevels, std::string());
  for (uint32_t level = 0; level < kTileLevels; ++level) {
    const uint64_t nodes = HashesAtTileLevel(state.size, level);
    const uint64_t width = nodes % 256;
    if (width == 0) continue;
    ASSIGN_OR_RETURN(std::string hashes, storage.ReadTile(level, nodes / 256));
    if (hashes.size() < width * kHashSize) {
      return DataLossError("ledger: tile " + std::to_string(level) + "/" +
                           std::to_string(nodes / 256) + " holds " +
                           std::to_string(hashes.size() / kHashSize) + " hashes, the tree of " +
                           std::to_string(state.size) + " needs " + std::to_string(width));
    }
    hashes.resize(width * kHashSize);
    tiles_[level] = std::move(hashes);
  }
  return Status::Ok();
}

std::unique_ptr<TreeBuilder::Pending> TreeBuilder::Extend(std::vector<std::string> entries) const {
  auto p = std::make_unique<Pending>();
  p->entries = std::move(entries);
  p->tree = tree_;
  p->tiles = tiles_;
  std::vector<bool> dirty(kTileLevels, false);
  std::vector<TileWrite>& writes = p->batch.tiles;
  auto on_node = [&](uint32_t level, uint64_t index, const Hash& hash) {
    if (level % 8 != 0) return;
    const uint32_t tile_level = level / 8;
    std::string& tile = p->tiles[tile_level];
    tile.append(reinterpret_cast<const char*>(hash.data()), hash.size());
    dirty[tile_level] = true;
    if (tile.size() == 256 * kHashSize) {
      writes.push_back(TileWrite{tile_level, index / 256, std::move(tile)});
      tile.clear();
    }
  };
  for (const std::string& e : p->entries) p->tree.Append(LeafHash(e), on_node);
  for (uint32_t level = 0; level < kTileLevels; ++level) {
    if (!dirty[level] || p->tiles[level].empty()) continue;
    const uint64_t nodes = HashesAtTileLevel(p->tree.size(), level);
    writes.push_back(TileWrite{level, nodes / 256, p->tiles[level]});
  }
  p->batch.first_index = tree_.size();
  p->batch.entries = p->entries;
  p->batch.state.size = p->tree.size();
  p->batch.state.edge = p->tree.edge();
  return p;
}

void TreeBuilder::Apply(Pending& pending) {
  tree_ = std::move(pending.tree);
  tiles_ = std::move(pending.tiles);
}

}  // namespace traceport::ledger::internal
