#include "ledger/verify/tiles.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <memory>
#include <mutex>
#include <utility>

namespace traceport::ledger {
namespace {

constexpr std::string_view kTilePrefix = "tile/";
constexpr std::string_view kEntriesSegment = "entries";
constexpr std::string_view kPartialSuffix = ".p/";
// Tiles a reader keeps: a proof in a tree of 2^64 leaves touches at most two per tile level.
constexpr size_t kCachedTiles = 16;

void AppendIndex(std::string& out, uint64_t index) {
  // At most 7 groups: 2^64 - 1 has 20 digits.
  uint32_t groups[7];
  int count = 0;
  do {
    groups[count++] = static_cast<uint32_t>(index % 1000);
    index /= 1000;
  } while (index != 0);
  for (int i = count - 1; i >= 0; --i) {
    if (i > 0) out += 'x';
    out += static_cast<char>('0' + groups[i] / 100);
    out += static_cast<char>('0' + groups[i] / 10 % 10);
    out += static_cast<char>('0' + groups[i] % 10);
    if (i > 0) out += '/';
  }
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

Status PathError(std::string_view problem, size_t offset) {
  return InvalidArgumentError("tile path: " + std::string(problem) + " at offset " +
                              std::to_string(offset));
}

// A decimal number of 1..max_digits digits without leading zeros, all of `text`.
bool ParseSmallDecimal(std::string_view text, size_t max_digits, uint32_t& value) {
  if (text.empty() || text.size() > max_digits) return false;
  if (text.size() > 1 && text[0] == '0') return false;
  value = 0;
  for (char c : text) {
    if (!IsDigit(c)) return false;
    value = value * 10 + static_cast<uint32_t>(c - '0');
  }
  return true;
}

// Three decimal digits at `pos`.
bool ParseGroup(std::string_view path, size_t pos, uint32_t& value) {
  if (path.size() - pos < 3) return false;
  value = 0;
  for (size_t i = pos; i < pos + 3; ++i) {
    if (!IsDigit(path[i])) return false;
    value = value * 10 + static_cast<uint32_t>(path[i] - '0');
  }
  return true;
}

}  // namespace

std::string TilePath::ToString() const {
  std::string out(kTilePrefix);
  if (entries) {
    out += kEntriesSegment;
  } else {
    out += std::to_string(level);
  }
  out += '/';
  AppendIndex(out, index);
  if (partial()) {
    out += kPartialSuffix;
    out += std::to_string(width);
  }
  return out;
}

Result<TilePath> ParseTilePath(std::string_view path) {
  if (path.substr(0, kTilePrefix.size()) != kTilePrefix) {
    return InvalidArgumentError("tile path: does not start with \"tile/\"");
  }
  TilePath out;
  size_t pos = kTilePrefix.size();
  const size_t slash = path.find('/', pos);
  if (slash == std::string_view::npos) return PathError("no index after the level", pos);
  const std::string_view level_text = path.substr(pos, slash - pos);
  if (level_text == kEntriesSegment) {
    out.entries = true;
  } else {
    uint32_t level = 0;
    if (!ParseSmallDecimal(level_text, 2, level) || level > kMaxTileLevel) {
      return PathError("the level is not 0..63 without leading zeros", pos);
    }
    out.level = static_cast<uint8_t>(level);
  }
  pos = slash + 1;

  // Groups "xDDD/" then a final "DDD". The first group must not be zero unless it is the only
  // one, so that every index has exactly one spelling.
  uint64_t index = 0;
  bool first = true;
  for (;;) {
    const bool more = pos < path.size() && path[pos] == 'x';
    const size_t group_pos = more ? pos + 1 : pos;
    uint32_t group = 0;
    if (!ParseGroup(path, group_pos, group)) {
      return PathError("the index group is not three digits", group_pos);
    }
    if (more && first && group == 0) return PathError("the index has a leading zero group", pos);
    if (index > (std::numeric_limits<uint64_t>::max() - group) / 1000) {
      return PathError("the index exceeds 2^64 - 1", pos);
    }
    index = index * 1000 + group;
    first = false;
    pos = group_pos + 3;
    if (!more) break;
    if (pos >= path.size() || path[pos] != '/') {
      return PathError("an 'x' index group is not followed by '/'", pos);
    }
    ++pos;
  }
  out.index = index;

  if (pos == path.size()) return out;
  if (path.substr(pos, kPartialSuffix.size()) != kPartialSuffix) {
    return PathError("unexpected text after the index", pos);
  }
  pos += kPartialSuffix.size();
  uint32_t width = 0;
  if (!ParseSmallDecimal(path.substr(pos), 3, width) || width == 0 || width >= kTileWidth) {
    return PathError("the partial width is not 1..255 without leading zeros", pos);
  }
  out.width = static_cast<uint16_t>(width);
  return out;
}

uint16_t TileWidthForSize(uint32_t level, uint64_t index, uint64_t tree_size) {
  // Hashes at tree level 8 * level: one per complete subtree of 256^level leaves.
  const uint64_t shift = uint64_t{kTileHeight} * level;
  if (shift >= 64) return 0;
  const uint64_t hashes = tree_size >> shift;
  if (index > hashes / kTileWidth) return 0;
  return static_cast<uint16_t>(std::min<uint64_t>(kTileWidth, hashes - index * kTileWidth));
}

Status AppendBundleEntry(std::string& bundle, std::string_view entry) {
  if (entry.size() > kMaxBundleEntrySize) {
    return ResourceExhaustedError("entry bundle: an entry of " + std::to_string(entry.size()) +
                                  " bytes exceeds the limit of " +
                                  std::to_string(kMaxBundleEntrySize));
  }
  bundle += static_cast<char>(entry.size() >> 8);
  bundle += static_cast<char>(entry.size() & 0xff);
  bundle.append(entry);
  return Status::Ok();
}

Result<std::vector<std::string_view>> ParseEntryBundle(std::string_view bundle) {
  if (bundle.empty()) return InvalidArgumentError("entry bundle: empty");
  std::vector<std::string_view> entries;
  size_t pos = 0;
  while (pos < bundle.size()) {
    const std::string number = std::to_string(entries.size());
    if (entries.size() == kTileWidth) {
      return InvalidArgumentError("entry bundle: more than 256 entries (offset " +
                                  std::to_string(pos) + ")");
    }
    if (bundle.size() - pos < 2) {
      return InvalidArgumentError("entry bundle: entry " + number +
                                  " has a truncated length prefix at offset " +
                                  std::to_string(pos));
    }
    const size_t length =
        size_t{static_cast<uint8_t>(bundle[pos])} << 8 | static_cast<uint8_t>(bundle[pos + 1]);
    if (bundle.size() - pos - 2 < length) {
      return InvalidArgumentError("entry bundle: entry " + number + " at offset " +
                                  std::to_string(pos) + " declares " + std::to_string(length) +
                                  " bytes, " + std::to_string(bundle.size() - pos - 2) + " remain");
    }
    entries.push_back(bundle.substr(pos + 2, length));
    pos += 2 + length;
  }
  return entries;
}

namespace {

// What the readers copied from one TileNodeReader call share: the fetcher and recent tiles.
class TileSource {
 public:
  TileSource(TileFetcher fetch, uint64_t tree_size)
      : fetch_(std::move(fetch)), tree_size_(tree_size) {}

  Result<Hash> Node(uint32_t level, uint64_t index) {
    if (level >= 64 || index >= (tree_size_ >> level)) {
      return InvalidArgumentError("tile reader: node " + std::to_string(level) + "/" +
                                  std::to_string(index) + " is not complete at tree size " +
                                  std::to_string(tree_size_));
    }
    const uint32_t tile_level = level / kTileHeight;
    const uint32_t span_level = level % kTileHeight;
    // The node covers 2^span_level consecutive hashes of one tile (256 is a multiple of it).
    const uint64_t first = index << span_level;
    const uint64_t tile_index = first / kTileWidth;
    const size_t offset = static_cast<size_t>(first % kTileWidth);
    const size_t count = size_t{1} << span_level;
    const TilePath path{false, static_cast<uint8_t>(tile_level), tile_index,
                        TileWidthForSize(tile_level, tile_index, tree_size_)};
    ASSIGN_OR_RETURN(std::shared_ptr<const std::string> tile, Tile(path));

    const uint8_t* bytes = reinterpret_cast<const uint8_t*>(tile->data()) + offset * kHashSize;
    // Fold the perfect subtree bottom-up with a stack of at most kTileHeight pending roots.
    Hash stack[kTileHeight];
    size_t depth = 0;
    for (size_t k = 0; k < count; ++k) {
      Hash h;
      std::memcpy(h.data(), bytes + k * kHashSize, kHashSize);
      for (size_t done = k; done & 1; done >>= 1) h = NodeHash(stack[--depth], h);
      stack[depth++] = h;
    }
    return stack[0];
  }

 private:
  struct Cached {
    uint64_t tile_index;
    uint32_t level;
    std::shared_ptr<const std::string> bytes;
  };

  Result<std::shared_ptr<const std::string>> Tile(const TilePath& path) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (const Cached& c : cache_) {
        if (c.level == path.level && c.tile_index == path.index) return c.bytes;
      }
    }
    ASSIGN_OR_RETURN(std::string bytes, fetch_(path));
    const size_t want = size_t{path.width} * kHashSize;
    if (bytes.size() != want) {
      return DataLossError("tile reader: " + path.ToString() + " is " +
                           std::to_string(bytes.size()) + " bytes, want " + std::to_string(want));
    }
    auto shared = std::make_shared<const std::string>(std::move(bytes));
    std::lock_guard<std::mutex> lock(mu_);
    if (cache_.size() < kCachedTiles) {
      cache_.push_back({path.index, path.level, shared});
    } else {
      cache_[next_victim_] = {path.index, path.level, shared};
      next_victim_ = (next_victim_ + 1) % kCachedTiles;
    }
    return shared;
  }

  const TileFetcher fetch_;
  const uint64_t tree_size_;
  std::mutex mu_;
  std::vector<Cached> cache_;  // guarded by mu_
  size_t next_victim_ = 0;     // guarded by mu_; replaced round-robin once full
};

}  // namespace

NodeReader TileNodeReader(TileFetcher fetch, uint64_t tree_size) {
  auto source = std::make_shared<TileSource>(std::move(fetch), tree_size);
  return [source](uint32_t level, uint64_t index) { return source->Node(level, index); };
}

}  // namespace traceport::ledger
