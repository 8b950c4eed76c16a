#include "ledger/audit.h"

#include <cstring>
#include <map>
#include <vector>

#include "ledger/entry.h"
#include "ledger/internal/tree_builder.h"
#include "ledger/verify/checkpoint.h"

namespace traceport::ledger {
namespace {

using internal::kTileLevels;

// Why the audit stopped: carried out of the scan callbacks as a special status.
struct Finding {
  std::optional<uint64_t> index;
  std::string problem;
};

std::string TileName(uint32_t level, uint64_t index) {
  return std::to_string(level) + "/" + std::to_string(index);
}

// The first leaf index a hash at (tile level, position within the level) covers.
uint64_t FirstLeaf(uint32_t tile_level, uint64_t node_index) {
  return node_index << (8 * tile_level);
}

}  // namespace

Result<AuditReport> AuditLedger(LogStorage& storage, std::string_view origin,
                                const NoteVerifier& log_key, const AuditOptions& options) {
  AuditReport report;
  ASSIGN_OR_RETURN(TreeState state, storage.LoadState());
  ASSIGN_OR_RETURN(std::vector<StoredCheckpoint> checkpoints, storage.Checkpoints());

  // Stored tiles, read lazily as recomputed tiles complete; the set of tile names seen lets
  // the audit notice stored tiles that the entries do not account for.
  std::vector<std::string> building(kTileLevels);
  std::optional<Finding> finding;
  uint64_t tiles_checked = 0;

  auto compare_tile = [&](uint32_t level, uint64_t tile_index, const std::string& computed,
                          bool full) -> bool {
    Result<std::string> stored = storage.ReadTile(level, tile_index);
    const uint64_t first_node = tile_index * 256;
    if (!stored.ok()) {
      finding = Finding{FirstLeaf(level, first_node), "tile " + TileName(level, tile_index) +
                                                          " is missing (" +
                                                          stored.status().ToString() + ")"};
      return false;
    }
    ++tiles_checked;
    std::string& s = *stored;
    // A writer may have extended the rightmost tile since the state was read: a partial tile
    // is compared on the prefix the audited tree covers.
    if (!full && s.size() > computed.size()) s.resize(computed.size());
    if (s.size() != computed.size()) {
      finding = Finding{FirstLeaf(level, first_node + std::min(s.size(), computed.size()) / 32),
                        "tile " + TileName(level, tile_index) + " holds " +
                            std::to_string(s.size() / 32) + " hashes, the entries give " +
                            std::to_string(computed.size() / 32) + (full ? "" : " (partial)")};
      return false;
    }
    for (size_t k = 0; k < computed.size(); k += kHashSize) {
      if (std::memcmp(s.data() + k, computed.data() + k, kHashSize) != 0) {
        const uint64_t node = first_node + k / kHashSize;
        const uint64_t leaf = FirstLeaf(level, node);
        finding =
            Finding{leaf, level == 0 ? "entry " + std::to_string(leaf) +
                                           " does not hash to its leaf hash in tile " +
                                           TileName(level, tile_index)
                                     : "tile " + TileName(level, tile_index) + " hash " +
                                           std::to_string(k / kHashSize) +
                                           " differs from the tree recomputed from the entries "
                                           "(covers entries from " +
                                           std::to_string(leaf) + ")"};
        return false;
      }
    }
    return true;
  };

  CompactRange tree;
  size_t next_checkpoint = 0;
  auto check_checkpoints_at = [&](uint64_t size) -> bool {
    while (next_checkpoint < checkpoints.size() && checkpoints[next_checkpoint].size == size) {
      const StoredCheckpoint& c = checkpoints[next_checkpoint];
      Result<OpenedCheckpoint> opened = OpenCheckpoint(c.note, origin, log_key);
      if (!opened.ok()) {
        finding = Finding{std::nullopt, "checkpoint for size " + std::to_string(c.size) +
                                            " does not verify: " + opened.status().ToString()};
        return false;
      }
      const Checkpoint* cp = &opened->checkpoint;
      if (cp->size != c.size) {
        finding = Finding{std::nullopt, "checkpoint stored for size " + std::to_string(c.size) +
                                            " says size " + std::to_string(cp->size)};
        return false;
      }
      if (cp->root_hash != tree.Root()) {
        finding = Finding{size == 0 ? std::optional<uint64_t>() : std::optional(size - 1),
                          "checkpoint for size " + std::to_string(c.size) +
                              " commits to a root that differs from the tree recomputed from "
                              "the entries"};
        return false;
      }
      ++report.checkpoints;
      ++next_checkpoint;
    }
    return true;
  };

  if (!check_checkpoints_at(0)) {
    report.problem = finding->problem;
    return report;
  }
  uint64_t expected = 0;
  auto on_node = [&](uint32_t level, uint64_t index, const Hash& hash) {
    if (finding || level % 8 != 0) return;
    const uint32_t tl = level / 8;
    std::string& t = building[tl];
    t.append(reinterpret_cast<const char*>(hash.data()), hash.size());
    if (t.size() == 256 * kHashSize) {
      if (compare_tile(tl, index / 256, t, true)) t.clear();
    }
  };
  // Only the tree as of LoadState is audited, so that the audit can run beside a writer.
  Status scan =
      storage.ScanEntries(0, state.size, [&](uint64_t index, std::string_view entry) -> Status {
        if (index != expected) {
          finding = Finding{expected, "entry " + std::to_string(expected) + " is missing"};
          return CancelledError("finding");
        }
        Result<std::string> canonical = CanonicalEntryText(entry);
        if (!canonical.ok()) {
          finding =
              Finding{index, "entry " + std::to_string(index) +
                                 " is not a valid ledger entry: " + canonical.status().ToString()};
          return CancelledError("finding");
        }
        if (*canonical != entry) {
          finding = Finding{index, "entry " + std::to_string(index) + " is not in canonical form"};
          return CancelledError("finding");
        }
        tree.Append(LeafHash(entry), on_node);
        ++expected;
        if (finding || !check_checkpoints_at(tree.size())) return CancelledError("finding");
        if (options.progress && expected % options.progress_every == 0) {
          options.progress(expected, state.size);
        }
        return Status::Ok();
      });
  if (!scan.ok() && !finding) return scan;
  report.entries = expected;
  if (!finding && expected != state.size) {
    finding = Finding{std::min(expected, state.size),
                      "the tree state says " + std::to_string(state.size) + " entries but " +
                          std::to_string(expected) + " are stored"};
  }
  // The partial tiles at the right edge.
  for (uint32_t level = 0; !finding && level < kTileLevels; ++level) {
    if (building[level].empty()) continue;
    const uint64_t nodes = internal::HashesAtTileLevel(expected, level);
    compare_tile(level, nodes / 256, building[level], false);
  }
  if (!finding && (state.edge != tree.edge())) {
    finding = Finding{std::nullopt,
                      "the stored tree state (right edge) differs from the recomputed tree"};
  }
  // Checkpoints or tiles beyond the audited tree are fine if a writer grew the log meanwhile,
  // and findings if it did not.
  ASSIGN_OR_RETURN(TreeState now, storage.LoadState());
  const bool grew = now.size != state.size;
  if (!finding && next_checkpoint != checkpoints.size() && !grew) {
    finding = Finding{std::nullopt,
                      "checkpoint for size " + std::to_string(checkpoints[next_checkpoint].size) +
                          " is larger than the log (" + std::to_string(expected) + " entries)"};
  }
  if (!finding) {
    // No stored tile beyond what the entries account for.
    uint64_t stored_tiles = 0;
    RETURN_IF_ERROR(
        storage.ScanTiles([&](uint32_t level, uint64_t index, std::string_view) -> Status {
          const uint64_t nodes = internal::HashesAtTileLevel(state.size, level);
          const bool inside = nodes > 0 && index <= (nodes - 1) / 256;
          if (inside || !grew) ++stored_tiles;
          return Status::Ok();
        }));
    if (stored_tiles != tiles_checked) {
      finding = Finding{std::nullopt, std::to_string(stored_tiles) +
                                          " tiles are stored but the "
                                          "entries account for " +
                                          std::to_string(tiles_checked)};
    }
  }
  report.tiles = tiles_checked;
  report.root = tree.Root();
  if (finding) {
    report.first_bad_index = finding->index;
    report.problem = finding->problem;
    return report;
  }
  report.ok = true;
  return report;
}

}  // namespace traceport::ledger
