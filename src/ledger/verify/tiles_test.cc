#include "ledger/verify/tiles.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace traceport::ledger {
namespace {

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

TEST(TilePathTest, ToStringExamples) {
  EXPECT_EQ((TilePath{false, 0, 1234067, 5}).ToString(), "tile/0/x001/x234/067.p/5");
  EXPECT_EQ((TilePath{true, 0, 1234, 256}).ToString(), "tile/entries/x001/234");
  EXPECT_EQ((TilePath{false, 0, 0, 256}).ToString(), "tile/0/000");
  EXPECT_EQ((TilePath{false, 63, 7, 1}).ToString(), "tile/63/007.p/1");
  EXPECT_EQ((TilePath{false, 2, 1000, 255}).ToString(), "tile/2/x001/000.p/255");
  EXPECT_EQ((TilePath{true, 0, 999, 17}).ToString(), "tile/entries/999.p/17");
  EXPECT_EQ((TilePath{false, 1, kMax, 256}).ToString(), "tile/1/x018/x446/x744/x073/x709/x551/615");
}

TEST(TilePathTest, RoundTrips) {
  std::mt19937_64 rng(7);
  std::vector<uint64_t> indexes = {0,    1,    9,      10,      99,   100,      999,
                                   1000, 1001, 999999, 1000000, kMax, kMax - 1, uint64_t{1} << 63};
  for (int i = 0; i < 2000; ++i) indexes.push_back(rng() >> (rng() % 64));
  for (uint64_t index : indexes) {
    for (uint16_t width : {uint16_t{1}, uint16_t{100}, uint16_t{255}, uint16_t{256}}) {
      for (int level : {-1, 0, 1, 9, 10, 63}) {
        TilePath path{level < 0, static_cast<uint8_t>(level < 0 ? 0 : level), index, width};
        const std::string text = path.ToString();
        auto parsed = ParseTilePath(text);
        ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.status();
        EXPECT_EQ(*parsed, path) << text;
        EXPECT_EQ(parsed->ToString(), text);
      }
    }
  }
}

TEST(TilePathTest, RejectsNonCanonical) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "does not start with"},
      {"tile", "does not start with"},
      {"tiles/0/000", "does not start with"},
      {"/tile/0/000", "does not start with"},
      {"tile/0", "no index after the level"},
      {"tile//000", "level"},
      {"tile/00/000", "level"},
      {"tile/01/000", "level"},
      {"tile/64/000", "level"},
      {"tile/100/000", "level"},
      {"tile/-1/000", "level"},
      {"tile/+1/000", "level"},
      {"tile/a/000", "level"},
      {"tile/Entries/000", "level"},
      {"tile/0/", "not three digits"},
      {"tile/0/0", "not three digits"},
      {"tile/0/00", "not three digits"},
      {"tile/0/0000", "unexpected text"},
      {"tile/0/1", "not three digits"},
      {"tile/0/x1/000", "not three digits"},
      {"tile/0/x001", "not followed by '/'"},
      {"tile/0/x001/", "not three digits"},
      {"tile/0/x001000", "not followed by '/'"},
      {"tile/0/001/234", "unexpected text"},
      {"tile/0/x000/001", "leading zero group"},
      {"tile/0/x000/000", "leading zero group"},
      {"tile/entries/x000/x001/000", "leading zero group"},
      {"tile/0/X001/000", "not three digits"},
      {"tile/0/x018/x446/x744/x073/x709/x551/616", "exceeds 2^64 - 1"},
      {"tile/0/x019/x000/x000/x000/x000/x000/000", "exceeds 2^64 - 1"},
      {"tile/0/x001/x000/x000/x000/x000/x000/x000/000", "exceeds 2^64 - 1"},
      {"tile/0/000.p/0", "partial width"},
      {"tile/0/000.p/256", "partial width"},
      {"tile/0/000.p/05", "partial width"},
      {"tile/0/000.p/", "partial width"},
      {"tile/0/000.p/1000", "partial width"},
      {"tile/0/000.p/5/", "partial width"},
      {"tile/0/000.p/5x", "partial width"},
      {"tile/0/000.p", "unexpected text"},
      {"tile/0/000/", "unexpected text"},
      {"tile/0/000 ", "unexpected text"},
      {"tile/0/000.P/5", "unexpected text"},
      {"tile/entries/000.p/+5", "partial width"},
  };
  for (const auto& [text, problem] : cases) {
    auto parsed = ParseTilePath(text);
    ASSERT_FALSE(parsed.ok()) << "accepted " << text;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument) << text;
    EXPECT_NE(parsed.status().message().find(problem), std::string_view::npos)
        << text << ": " << parsed.status();
  }
  // The largest index is accepted.
  EXPECT_TRUE(ParseTilePath("tile/0/x018/x446/x744/x073/x709/x551/615").ok());
  EXPECT_EQ(ParseTilePath("tile/0/x001/x234/067.p/5").status(), Status::Ok());
}

TEST(TileWidthTest, SpecExampleSize70000) {
  const uint64_t size = 70000;
  // 273 full level-0 tiles, then a partial one of width 112.
  for (uint64_t i = 0; i < 273; ++i) ASSERT_EQ(TileWidthForSize(0, i, size), 256) << i;
  EXPECT_EQ(TileWidthForSize(0, 273, size), 112);
  EXPECT_EQ(TileWidthForSize(0, 274, size), 0);
  // One full level-1 tile and a partial one of width 17.
  EXPECT_EQ(TileWidthForSize(1, 0, size), 256);
  EXPECT_EQ(TileWidthForSize(1, 1, size), 17);
  EXPECT_EQ(TileWidthForSize(1, 2, size), 0);
  // One partial level-2 tile of width 1, nothing above.
  EXPECT_EQ(TileWidthForSize(2, 0, size), 1);
  EXPECT_EQ(TileWidthForSize(2, 1, size), 0);
  EXPECT_EQ(TileWidthForSize(3, 0, size), 0);
}

TEST(TileWidthTest, EdgeCases) {
  // "A tree of size 256 will be represented by a full level 0 tile and a partial level 1 tile
  // of width 1."
  EXPECT_EQ(TileWidthForSize(0, 0, 256), 256);
  EXPECT_EQ(TileWidthForSize(0, 1, 256), 0);
  EXPECT_EQ(TileWidthForSize(1, 0, 256), 1);
  EXPECT_EQ(TileWidthForSize(0, 0, 0), 0);
  EXPECT_EQ(TileWidthForSize(0, 0, 1), 1);
  EXPECT_EQ(TileWidthForSize(0, 0, 255), 255);
  EXPECT_EQ(TileWidthForSize(1, 0, 255), 0);
  EXPECT_EQ(TileWidthForSize(7, 0, kMax), 255);
  EXPECT_EQ(TileWidthForSize(8, 0, kMax), 0);
  EXPECT_EQ(TileWidthForSize(63, 0, kMax), 0);
  EXPECT_EQ(TileWidthForSize(1000, 0, kMax), 0);
  EXPECT_EQ(TileWidthForSize(0, kMax / 256, kMax), 255);
  EXPECT_EQ(TileWidthForSize(0, kMax / 256 - 1, kMax), 256);
  EXPECT_EQ(TileWidthForSize(0, kMax, kMax), 0);
  EXPECT_EQ(TileWidthForSize(1, kMax, kMax), 0);
}

TEST(EntryBundleTest, RoundTrip) {
  std::mt19937_64 rng(11);
  for (int round = 0; round < 50; ++round) {
    const size_t count = 1 + rng() % 256;
    std::vector<std::string> entries;
    std::string bundle;
    for (size_t i = 0; i < count; ++i) {
      const size_t len = (i % 17 == 0) ? 0 : rng() % (round == 0 ? 65536 : 300);
      std::string e(len, '\0');
      for (char& c : e) c = static_cast<char>(rng());
      ASSERT_TRUE(AppendBundleEntry(bundle, e).ok());
      entries.push_back(std::move(e));
    }
    auto parsed = ParseEntryBundle(bundle);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    ASSERT_EQ(parsed->size(), count);
    for (size_t i = 0; i < count; ++i) EXPECT_EQ((*parsed)[i], entries[i]);
  }
}

TEST(EntryBundleTest, Format) {
  std::string bundle;
  ASSERT_TRUE(AppendBundleEntry(bundle, "abc").ok());
  ASSERT_TRUE(AppendBundleEntry(bundle, "").ok());
  EXPECT_EQ(bundle, std::string("\x00\x03"
                                "abc"
                                "\x00\x00",
                                7));
  const std::string largest(kMaxBundleEntrySize, 'z');
  std::string big;
  ASSERT_TRUE(AppendBundleEntry(big, largest).ok());
  EXPECT_EQ(big.substr(0, 2), "\xff\xff");
  Status too_big = AppendBundleEntry(bundle, std::string(kMaxBundleEntrySize + 1, 'z'));
  EXPECT_EQ(too_big.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(too_big.message(), "entry bundle: an entry of 65536 bytes exceeds the limit of 65535");
  EXPECT_EQ(bundle.size(), 7u);  // unchanged
}

TEST(EntryBundleTest, RejectsMalformed) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "empty"},
      {std::string("\x00", 1), "entry 0 has a truncated length prefix at offset 0"},
      {std::string("\x00\x03"
                   "ab",
                   4),
       "entry 0 at offset 0 declares 3 bytes, 2 remain"},
      {std::string("\x00\x01"
                   "a"
                   "\x01",
                   4),
       "entry 1 has a truncated length prefix at offset 3"},
      {std::string("\x00\x01"
                   "a"
                   "\xff\xff",
                   5),
       "entry 1 at offset 3 declares 65535 bytes"},
  };
  for (const auto& [bundle, problem] : cases) {
    auto parsed = ParseEntryBundle(bundle);
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(parsed.status().message().find(problem), std::string_view::npos) << parsed.status();
  }
  std::string full;
  for (int i = 0; i < 256; ++i) ASSERT_TRUE(AppendBundleEntry(full, "e").ok());
  EXPECT_TRUE(ParseEntryBundle(full).ok());
  ASSERT_TRUE(AppendBundleEntry(full, "e").ok());
  EXPECT_NE(ParseEntryBundle(full).status().message().find("more than 256 entries"),
            std::string_view::npos);
}

// A log's published state, built the way an integrator would: CompactRange reports every
// perfect subtree and the ones at levels 0, 8, 16, ... are appended to their tiles.
class TiledLog {
 public:
  void Append(const Hash& leaf) {
    range_.Append(leaf, [this](uint32_t level, uint64_t index, const Hash& h) {
      nodes_[{level, index}] = h;
      if (level % kTileHeight != 0) return;
      std::string& tile = tiles_[{level / kTileHeight, index / kTileWidth}];
      ASSERT_EQ(tile.size(), (index % kTileWidth) * kHashSize);
      tile.append(reinterpret_cast<const char*>(h.data()), h.size());
    });
  }

  // Serves what the log at `size` would: full tiles, and partial tiles cut to the width the
  // size implies (a partial tile is a prefix of the full one).
  TileFetcher Fetcher(uint64_t size) {
    return [this, size](const TilePath& path) -> Result<std::string> {
      ++fetches_;
      EXPECT_FALSE(path.entries);
      EXPECT_EQ(path.width, TileWidthForSize(path.level, path.index, size)) << path.ToString();
      auto it = tiles_.find({path.level, path.index});
      if (it == tiles_.end() || it->second.size() < path.width * kHashSize) {
        return NotFoundError("no " + path.ToString());
      }
      return it->second.substr(0, path.width * kHashSize);
    };
  }

  NodeReader MemoryReader() {
    return [this](uint32_t level, uint64_t index) -> Result<Hash> {
      auto it = nodes_.find({level, index});
      if (it == nodes_.end()) return NotFoundError("no node");
      return it->second;
    };
  }

  const CompactRange& range() const { return range_; }
  int fetches() const { return fetches_; }

 private:
  CompactRange range_;
  std::map<std::pair<uint32_t, uint64_t>, Hash> nodes_;
  std::map<std::pair<uint32_t, uint64_t>, std::string> tiles_;
  int fetches_ = 0;
};

TEST(TileNodeReaderTest, ProofsMatchMemoryReaderForManySizes) {
  TiledLog log;
  std::vector<Hash> roots = {EmptyRoot()};
  const uint64_t kLeaves = 70000;
  for (uint64_t i = 0; i < kLeaves; ++i) {
    log.Append(LeafHash("entry " + std::to_string(i)));
    roots.push_back(log.range().Root());
  }
  std::mt19937_64 rng(3);
  std::vector<uint64_t> sizes = {1, 2, 255, 256, 257, 511, 512, 513, 65535, 65536, 65537, 70000};
  for (uint64_t n = 3; n < 600; n += 5) sizes.push_back(n);
  for (int i = 0; i < 60; ++i) sizes.push_back(1 + rng() % kLeaves);
  for (uint64_t n : sizes) {
    const NodeReader tiles = TileNodeReader(log.Fetcher(n), n);
    auto root = RootFromNodes(n, tiles);
    ASSERT_TRUE(root.ok()) << n << ": " << root.status();
    ASSERT_EQ(*root, roots[n]) << n;
    for (uint64_t m : {uint64_t{0}, n - 1, n / 2, rng() % n, rng() % n}) {
      auto want = InclusionProof(m, n, log.MemoryReader());
      auto got = InclusionProof(m, n, tiles);
      ASSERT_TRUE(want.ok() && got.ok()) << m << " in " << n << ": " << got.status();
      EXPECT_EQ(*got, *want) << m << " in " << n;
      EXPECT_TRUE(
          VerifyInclusion(m, n, LeafHash("entry " + std::to_string(m)), *got, roots[n]).ok());
      const uint64_t old_size = m + 1;
      auto want_c = ConsistencyProof(old_size, n, log.MemoryReader());
      auto got_c = ConsistencyProof(old_size, n, tiles);
      ASSERT_TRUE(want_c.ok() && got_c.ok()) << old_size << " to " << n << ": " << got_c.status();
      EXPECT_EQ(*got_c, *want_c) << old_size << " to " << n;
      EXPECT_TRUE(VerifyConsistency(old_size, n, *got_c, roots[old_size], roots[n]).ok());
    }
  }
}

TEST(TileNodeReaderTest, EveryNodeOfASmallTree) {
  TiledLog log;
  const uint64_t n = 1000;
  for (uint64_t i = 0; i < n; ++i) log.Append(LeafHash(std::to_string(i)));
  const NodeReader tiles = TileNodeReader(log.Fetcher(n), n);
  const NodeReader memory = log.MemoryReader();
  for (uint32_t level = 0; (uint64_t{1} << level) <= n; ++level) {
    for (uint64_t index = 0; ((index + 1) << level) <= n; ++index) {
      auto got = tiles(level, index);
      ASSERT_TRUE(got.ok()) << level << "/" << index << ": " << got.status();
      EXPECT_EQ(*got, *memory(level, index)) << level << "/" << index;
    }
  }
  // 4 level-0 tiles (3 full, 1 partial) and 1 partial level-1 tile, each fetched once.
  EXPECT_EQ(log.fetches(), 5);
}

TEST(TileNodeReaderTest, CachesTilesAcrossCopies) {
  TiledLog log;
  for (uint64_t i = 0; i < 300; ++i) log.Append(LeafHash(std::to_string(i)));
  const NodeReader tiles = TileNodeReader(log.Fetcher(300), 300);
  const NodeReader copy = tiles;
  ASSERT_TRUE(tiles(0, 5).ok());
  ASSERT_TRUE(copy(3, 2).ok());
  ASSERT_TRUE(copy(0, 299).ok());
  EXPECT_EQ(log.fetches(), 2);
}

TEST(TileNodeReaderTest, Errors) {
  TiledLog log;
  for (uint64_t i = 0; i < 300; ++i) log.Append(LeafHash(std::to_string(i)));
  const NodeReader tiles = TileNodeReader(log.Fetcher(300), 300);
  // Nodes that are not complete perfect subtrees at size 300.
  for (const auto& [level, index] : {std::pair<uint32_t, uint64_t>{0, 300},
                                     {2, 75},
                                     {9, 0},
                                     {8, 1},
                                     {64, 0},
                                     {63, 0},
                                     {0, kMax}}) {
    auto r = tiles(level, index);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << level << "/" << index;
  }
  EXPECT_EQ(tiles(0, 300).status().message(),
            "tile reader: node 0/300 is not complete at tree size 300");

  // A fetcher that returns the wrong length, or fails.
  for (size_t bytes :
       {size_t{0}, size_t{31}, size_t{44 * 32 - 1}, size_t{44 * 32 + 32}, size_t{256 * 32}}) {
    const NodeReader wrong = TileNodeReader(
        [bytes](const TilePath&) -> Result<std::string> { return std::string(bytes, 'a'); }, 300);
    auto r = wrong(0, 299);
    EXPECT_EQ(r.status().code(), StatusCode::kDataLoss) << bytes;
    EXPECT_NE(r.status().message().find("tile/0/001.p/44"), std::string_view::npos) << r.status();
  }
  const NodeReader failing = TileNodeReader(
      [](const TilePath&) -> Result<std::string> { return UnavailableError("offline"); }, 300);
  EXPECT_EQ(failing(0, 0).status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(InclusionProof(0, 300, failing).status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace traceport::ledger
