// C2SP tlog-tiles: how a log publishes its Merkle tree and entries as immutable static files.
//
// A tile at level L holds up to 256 consecutive hashes of tree level 8L: hash i of tile N is the
// root of the perfect subtree (8L, N * 256 + i). Level 0 tiles hold leaf hashes; entry bundles
// hold the entries of the matching level-0 tile, each prefixed by its length as a big-endian
// uint16. A tile with fewer than 256 hashes is partial and is named with a `.p/<W>` suffix; it
// exists only for the tree sizes that leave that tile unfinished. Paths are
//   tile/<L>/<N>[.p/<W>]        e.g. tile/0/x001/x234/067.p/5
//   tile/entries/<N>[.p/<W>]    e.g. tile/entries/x001/234
// where <N> is written in 3-digit groups, all but the last prefixed by 'x'.
//
// Spec: ../shared/conformance/c2sp-tlog/spec-text/tlog-tiles.md.
//
// Thread safety: everything here is thread-safe; the reader TileNodeReader returns may be
// called concurrently if its fetcher may.
#ifndef TRACEPORT_LEDGER_VERIFY_TILES_H_
#define TRACEPORT_LEDGER_VERIFY_TILES_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "ledger/verify/merkle.h"

namespace traceport::ledger {

// Tree levels per tile level, and hashes (or entries) per full tile.
inline constexpr uint32_t kTileHeight = 8;
inline constexpr uint32_t kTileWidth = 256;
// The largest tile level a path may name (the spec's limit; a tree of 2^64 - 1 leaves uses
// tile levels 0..7 only).
inline constexpr uint32_t kMaxTileLevel = 63;
// The largest entry an entry bundle can hold: its length prefix is a uint16.
inline constexpr size_t kMaxBundleEntrySize = 65535;

// One tile or entry bundle. Valid paths have level <= 63 (0 for entry bundles) and width in
// 1..256, 256 meaning a full tile.
struct TilePath {
  bool entries = false;  // an entry bundle rather than a tile of hashes
  uint8_t level = 0;
  uint64_t index = 0;
  uint16_t width = kTileWidth;

  bool partial() const { return width != kTileWidth; }
  // The canonical path, e.g. "tile/0/x001/x234/067.p/5" or "tile/entries/000". Fields outside
  // the valid ranges are written as they are (ParseTilePath would reject the result).
  std::string ToString() const;

  friend bool operator==(const TilePath&, const TilePath&) = default;
};

// Parses exactly the canonical form ToString writes, so that ParseTilePath(p)->ToString() == p.
// kInvalidArgument naming the problem for anything else: a missing "tile/" prefix, an empty or
// non-decimal segment, a level with a leading zero or above 63, an index group that is not
// three digits or not 'x'-prefixed where required, a leading all-zero group, an index beyond
// 2^64 - 1, a width with a leading zero or outside 1..255, or anything after the path.
Result<TilePath> ParseTilePath(std::string_view path);

// The width of tile `index` at tile level `level` for a tree of `tree_size` leaves: 256 if the
// tile is full, 1..255 if it is partial, 0 if it has no hashes at that size (and so must not be
// fetched). Entry bundles have the widths of level-0 tiles.
uint16_t TileWidthForSize(uint32_t level, uint64_t index, uint64_t tree_size);

// Appends `entry` to an entry bundle with its uint16 length prefix. kResourceExhausted (and the
// bundle unchanged) when the entry exceeds kMaxBundleEntrySize bytes. Empty entries are valid.
Status AppendBundleEntry(std::string& bundle, std::string_view entry);

// Splits an entry bundle into its entries, which point into `bundle` (valid while it is).
// kInvalidArgument for an empty bundle, a truncated length prefix or entry (naming the entry
// and offset), or more than 256 entries. Callers check the count against the width they asked
// for and the entries against the level-0 tile.
Result<std::vector<std::string_view>> ParseEntryBundle(std::string_view bundle);

// Fetches the raw bytes of a tile of hashes (width * 32 bytes). Errors are passed through.
using TileFetcher = std::function<Result<std::string>(const TilePath&)>;

// A NodeReader (merkle.h) for the tree of `tree_size` leaves that a log publishes as tiles.
// Node (level, index) is read from tile level level / 8, and computed from the 2^(level % 8)
// hashes of that tile it covers; the tile is fetched full or partial as tree_size implies.
// Reader errors: kInvalidArgument for a node that is not a complete perfect subtree at
// tree_size; kDataLoss when a fetched tile is not width * 32 bytes; fetch errors unchanged.
// The reader keeps the last few tiles it fetched (a proof touches a handful), shared by its
// copies. `fetch` must be callable; it is called with valid paths of non-zero width only.
NodeReader TileNodeReader(TileFetcher fetch, uint64_t tree_size);

}  // namespace traceport::ledger

#endif  // TRACEPORT_LEDGER_VERIFY_TILES_H_
