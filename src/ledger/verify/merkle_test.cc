#include "ledger/verify/merkle.h"

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "codec/hex.h"
#include "crypto/sha2.h"

namespace traceport::ledger {
namespace {

// The RFC 9162 section 2.1 definitions, written as literally as possible: recursive, slow and
// obviously right. The optimised functions are compared against these.
uint64_t LargestPowerOfTwoBelow(uint64_t n) { return std::bit_floor(n - 1); }

Hash RefMth(std::span<const Hash> d) {
  if (d.empty()) return EmptyRoot();
  if (d.size() == 1) return d[0];
  const uint64_t k = LargestPowerOfTwoBelow(d.size());
  return NodeHash(RefMth(d.subspan(0, k)), RefMth(d.subspan(k)));
}

std::vector<Hash> RefPath(uint64_t m, std::span<const Hash> d) {
  if (d.size() <= 1) return {};
  const uint64_t k = LargestPowerOfTwoBelow(d.size());
  std::vector<Hash> out;
  if (m < k) {
    out = RefPath(m, d.subspan(0, k));
    out.push_back(RefMth(d.subspan(k)));
  } else {
    out = RefPath(m - k, d.subspan(k));
    out.push_back(RefMth(d.subspan(0, k)));
  }
  return out;
}

std::vector<Hash> RefSubproof(uint64_t m, std::span<const Hash> d, bool b) {
  if (m == d.size()) {
    if (b) return {};
    return {RefMth(d)};
  }
  const uint64_t k = LargestPowerOfTwoBelow(d.size());
  std::vector<Hash> out;
  if (m <= k) {
    out = RefSubproof(m, d.subspan(0, k), b);
    out.push_back(RefMth(d.subspan(k)));
  } else {
    out = RefSubproof(m - k, d.subspan(k), false);
    out.push_back(RefMth(d.subspan(0, k)));
  }
  return out;
}

std::vector<Hash> RefProof(uint64_t m, std::span<const Hash> d) { return RefSubproof(m, d, true); }

// RFC 9162 section 2.1.3.2, step by step.
bool RefVerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf,
                        const std::vector<Hash>& proof, const Hash& root) {
  if (index >= size) return false;
  uint64_t fn = index;
  uint64_t sn = size - 1;
  Hash r = leaf;
  for (const Hash& p : proof) {
    if (sn == 0) return false;
    if ((fn & 1) || fn == sn) {
      r = NodeHash(p, r);
      if (!(fn & 1)) {
        while (!(fn & 1) && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

// RFC 9162 section 2.1.4.2, step by step, with merkle.h's rules for equal sizes and size 0.
bool RefVerifyConsistency(uint64_t first, uint64_t second, std::vector<Hash> path,
                          const Hash& first_hash, const Hash& second_hash) {
  if (first > second) return false;
  if (first == second) return path.empty() && first_hash == second_hash;
  if (first == 0) return path.empty();
  if (path.empty()) return false;
  if (std::has_single_bit(first)) path.insert(path.begin(), first_hash);
  uint64_t fn = first - 1;
  uint64_t sn = second - 1;
  while (fn & 1) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path[0];
  Hash sr = path[0];
  for (size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0) return false;
    if ((fn & 1) || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      if (!(fn & 1)) {
        while (!(fn & 1) && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return fr == first_hash && sr == second_hash && sn == 0;
}

std::vector<Hash> MakeLeaves(uint64_t n, uint64_t seed = 0) {
  std::vector<Hash> leaves;
  leaves.reserve(n);
  for (uint64_t i = 0; i < n; ++i) leaves.push_back(LeafHash("leaf " + std::to_string(seed + i)));
  return leaves;
}

// An in-memory tree that stores every perfect subtree, filled through CompactRange's sink, and
// counts reads (to check that proofs stay within O(log n) of them).
class MemoryTree {
 public:
  explicit MemoryTree(const std::vector<Hash>& leaves) {
    for (const Hash& leaf : leaves) {
      range_.Append(leaf, [this](uint32_t level, uint64_t index, const Hash& hash) {
        EXPECT_TRUE(nodes_.emplace(std::make_pair(level, index), hash).second)
            << "node reported twice: " << level << "/" << index;
        order_.emplace_back(level, index);
      });
    }
  }

  NodeReader Reader() {
    return [this](uint32_t level, uint64_t index) -> Result<Hash> {
      ++reads_;
      auto it = nodes_.find({level, index});
      if (it == nodes_.end()) {
        return NotFoundError("no node " + std::to_string(level) + "/" + std::to_string(index));
      }
      return it->second;
    };
  }

  // A reader that only serves nodes complete within `size` leaves (what a log at that size
  // has published).
  NodeReader ReaderAtSize(uint64_t size) {
    return [this, size](uint32_t level, uint64_t index) -> Result<Hash> {
      if (level >= 64 || ((index + 1) << level) > size || (index + 1) << level == 0) {
        return FailedPreconditionError("read beyond size");
      }
      return Reader()(level, index);
    };
  }

  const CompactRange& range() const { return range_; }
  const std::map<std::pair<uint32_t, uint64_t>, Hash>& nodes() const { return nodes_; }
  const std::vector<std::pair<uint32_t, uint64_t>>& order() const { return order_; }
  int reads() const { return reads_; }

 private:
  CompactRange range_;
  std::map<std::pair<uint32_t, uint64_t>, Hash> nodes_;
  std::vector<std::pair<uint32_t, uint64_t>> order_;
  int reads_ = 0;
};

Hash FromHex(std::string_view hex) {
  auto bytes = codec::HexDecode(hex);
  EXPECT_TRUE(bytes.ok() && bytes->size() == kHashSize) << hex;
  Hash h{};
  if (bytes.ok() && bytes->size() == kHashSize) std::copy(bytes->begin(), bytes->end(), h.begin());
  return h;
}

TEST(MerkleTest, KnownHashes) {
  // The RFC 6962 test tree used by Certificate Transparency implementations.
  EXPECT_EQ(EmptyRoot(),
            FromHex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
  EXPECT_EQ(LeafHash(std::string_view()),
            FromHex("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"));
  const std::vector<std::string> inputs = {"",         "\x00",
                                           "\x10",     "\x20\x21",
                                           "\x30\x31", "\x40\x41\x42\x43",
                                           "PQRSTUVW", "`abcdefghijklmno"};
  std::vector<Hash> leaves;
  for (size_t i = 0; i < inputs.size(); ++i) {
    leaves.push_back(LeafHash(i == 1 ? std::string_view("\x00", 1) : std::string_view(inputs[i])));
  }
  EXPECT_EQ(RootFromLeafHashes(leaves),
            FromHex("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"));
  EXPECT_EQ(RootFromLeafHashes(std::span(leaves).first(3)),
            FromHex("aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77"));
  const uint8_t bytes[] = {0x20, 0x21};
  EXPECT_EQ(LeafHash(std::span<const uint8_t>(bytes)), leaves[3]);
}

TEST(MerkleTest, NodeHashIsPrefixedConcatenation) {
  const Hash a = LeafHash("a");
  const Hash b = LeafHash("b");
  crypto::Sha256Hasher hasher;
  const uint8_t one = 0x01;
  hasher.Update(std::span<const uint8_t>(&one, 1));
  hasher.Update(a);
  hasher.Update(b);
  EXPECT_EQ(NodeHash(a, b), hasher.Finish());
  EXPECT_NE(NodeHash(a, b), NodeHash(b, a));
}

TEST(MerkleTest, RootsMatchReferenceForAllSmallSizes) {
  const std::vector<Hash> leaves = MakeLeaves(300);
  for (uint64_t n = 0; n <= leaves.size(); ++n) {
    std::span<const Hash> d(leaves.data(), n);
    EXPECT_EQ(RootFromLeafHashes(d), RefMth(d)) << n;
  }
}

TEST(MerkleTest, CompactRangeReportsEveryPerfectSubtreeBottomUp) {
  const std::vector<Hash> leaves = MakeLeaves(300);
  MemoryTree tree(leaves);
  // Every perfect subtree of 300 leaves, exactly once, each checked against the reference.
  size_t expected = 0;
  for (uint32_t level = 0; (uint64_t{1} << level) <= 300; ++level) {
    for (uint64_t index = 0; ((index + 1) << level) <= 300; ++index) {
      ++expected;
      auto it = tree.nodes().find({level, index});
      ASSERT_NE(it, tree.nodes().end()) << level << "/" << index;
      EXPECT_EQ(it->second,
                RefMth(std::span(leaves).subspan(index << level, uint64_t{1} << level)));
    }
  }
  EXPECT_EQ(tree.nodes().size(), expected);
  // Bottom-up: within one Append the levels go 0, 1, 2, ... and a node is only reported after
  // both children.
  for (size_t i = 1; i < tree.order().size(); ++i) {
    const auto [level, index] = tree.order()[i];
    if (level > 0) {
      EXPECT_EQ(tree.order()[i - 1], std::make_pair(level - 1, index * 2 + 1));
    }
  }
}

TEST(MerkleTest, CompactRangeEdgeAndResume) {
  const std::vector<Hash> leaves = MakeLeaves(200);
  CompactRange range;
  EXPECT_EQ(range.Root(), EmptyRoot());
  for (uint64_t n = 0; n < leaves.size(); ++n) {
    ASSERT_EQ(range.size(), n);
    ASSERT_EQ(range.edge().size(), static_cast<size_t>(std::popcount(n)));
    ASSERT_EQ(range.Root(), RefMth(std::span(leaves).first(n)));
    auto resumed = CompactRange::FromEdge(n, range.edge());
    ASSERT_TRUE(resumed.ok()) << resumed.status();
    resumed->Append(leaves[n]);
    range.Append(leaves[n]);
    EXPECT_EQ(resumed->Root(), range.Root());
    EXPECT_EQ(resumed->edge(), range.edge());
  }
  auto bad = CompactRange::FromEdge(5, {leaves[0]});
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("needs 2 edge hashes, got 1"), std::string_view::npos)
      << bad.status();
  EXPECT_TRUE(CompactRange::FromEdge(0, {}).ok());
  // The largest representable size has 64 edge hashes.
  EXPECT_TRUE(CompactRange::FromEdge(~uint64_t{0}, std::vector<Hash>(64)).ok());
}

// Every inclusion proof for every index of every size up to `max`, plus each mutation.
void CheckAllInclusion(const std::vector<Hash>& leaves, uint64_t n, MemoryTree& tree) {
  std::span<const Hash> d(leaves.data(), n);
  const Hash root = RefMth(d);
  auto from_nodes = RootFromNodes(n, tree.ReaderAtSize(n));
  ASSERT_TRUE(from_nodes.ok()) << from_nodes.status();
  ASSERT_EQ(*from_nodes, root) << n;
  for (uint64_t m = 0; m < n; ++m) {
    auto proof = InclusionProof(m, n, tree.ReaderAtSize(n));
    ASSERT_TRUE(proof.ok()) << proof.status();
    ASSERT_EQ(*proof, RefPath(m, d)) << m << " in " << n;
    ASSERT_TRUE(VerifyInclusion(m, n, leaves[m], *proof, root).ok()) << m << " in " << n;
    ASSERT_TRUE(RefVerifyInclusion(m, n, leaves[m], *proof, root)) << m << " in " << n;
    auto computed = RootFromInclusionProof(m, n, leaves[m], *proof);
    ASSERT_TRUE(computed.ok());
    EXPECT_EQ(*computed, root);

    // Wrong leaf, flipped byte in each hash, wrong length, wrong index or size.
    EXPECT_EQ(VerifyInclusion(m, n, LeafHash("other"), *proof, root).code(), StatusCode::kDataLoss);
    for (size_t i = 0; i < proof->size(); ++i) {
      std::vector<Hash> bad = *proof;
      bad[i][i % kHashSize] ^= 0x01;
      EXPECT_EQ(VerifyInclusion(m, n, leaves[m], bad, root).code(), StatusCode::kDataLoss);
    }
    std::vector<Hash> longer = *proof;
    longer.push_back(root);
    EXPECT_EQ(VerifyInclusion(m, n, leaves[m], longer, root).code(), StatusCode::kInvalidArgument);
    if (!proof->empty()) {
      std::vector<Hash> shorter(proof->begin(), proof->end() - 1);
      EXPECT_EQ(VerifyInclusion(m, n, leaves[m], shorter, root).code(),
                StatusCode::kInvalidArgument);
    }
    EXPECT_EQ(VerifyInclusion(n, n, leaves[m], *proof, root).code(), StatusCode::kInvalidArgument);
    // Another index or size. An inclusion proof does not always bind the size (the path of
    // leaf 0 in a tree of 3 also verifies as one in a tree of 4), so the verdict must be the
    // literal RFC algorithm's; every change of index must fail.
    for (const auto& [mi, ni] : {std::pair{m ^ 1, n}, std::pair{m, n + 1}, std::pair{m, n - 1},
                                 std::pair{m + 2, n}, std::pair{m, 2 * n}}) {
      Status s = VerifyInclusion(mi, ni, leaves[m], *proof, root);
      EXPECT_EQ(s.ok(), RefVerifyInclusion(mi, ni, leaves[m], *proof, root))
          << m << "->" << mi << " in " << n << "->" << ni << ": " << s;
      if (mi != m) {
        EXPECT_FALSE(s.ok()) << m << "->" << mi << " in " << n;
      }
      if (!s.ok()) {
        EXPECT_TRUE(s.code() == StatusCode::kDataLoss || s.code() == StatusCode::kInvalidArgument);
      }
    }
  }
}

TEST(MerkleTest, InclusionProofsMatchReferenceForAllSizesUpTo300) {
  const std::vector<Hash> leaves = MakeLeaves(301);
  MemoryTree tree(leaves);
  for (uint64_t n = 1; n <= 300; ++n) CheckAllInclusion(leaves, n, tree);
}

void CheckConsistency(const std::vector<Hash>& leaves, uint64_t m, uint64_t n, MemoryTree& tree) {
  std::span<const Hash> d(leaves.data(), n);
  const Hash root1 = RefMth(d.first(m));
  const Hash root2 = RefMth(d);
  auto proof = ConsistencyProof(m, n, tree.ReaderAtSize(n));
  ASSERT_TRUE(proof.ok()) << proof.status();
  ASSERT_EQ(*proof, m == n ? std::vector<Hash>() : RefProof(m, d)) << m << " to " << n;
  ASSERT_TRUE(VerifyConsistency(m, n, *proof, root1, root2).ok()) << m << " to " << n;
  ASSERT_TRUE(RefVerifyConsistency(m, n, *proof, root1, root2)) << m << " to " << n;

  for (size_t i = 0; i < proof->size(); ++i) {
    std::vector<Hash> bad = *proof;
    bad[i][(i * 7) % kHashSize] ^= 0x80;
    EXPECT_EQ(VerifyConsistency(m, n, bad, root1, root2).code(), StatusCode::kDataLoss)
        << m << " to " << n << " hash " << i;
  }
  std::vector<Hash> longer = *proof;
  longer.push_back(root1);
  EXPECT_EQ(VerifyConsistency(m, n, longer, root1, root2).code(), StatusCode::kInvalidArgument);
  if (!proof->empty()) {
    std::vector<Hash> shorter(proof->begin() + 1, proof->end());
    EXPECT_EQ(VerifyConsistency(m, n, shorter, root1, root2).code(), StatusCode::kInvalidArgument);
  }
  Hash other = root1;
  other[0] ^= 1;
  EXPECT_EQ(VerifyConsistency(m, n, *proof, other, root2).code(), StatusCode::kDataLoss);
  EXPECT_EQ(VerifyConsistency(m, n, *proof, root1, other).code(), StatusCode::kDataLoss);
  if (m < n) {
    EXPECT_EQ(VerifyConsistency(n, m, *proof, root2, root1).code(), StatusCode::kInvalidArgument);
    // Other sizes: the verdict must be the literal RFC algorithm's, and a changed first size
    // must always fail (a consistency proof fixes where the old tree ends).
    for (const auto& [mi, ni] : {std::pair{m + 1, n}, std::pair{m - 1, n}, std::pair{m, n + 1},
                                 std::pair{m, n - 1}, std::pair{m, 2 * n}, std::pair{m ^ 2, n}}) {
      Status s = VerifyConsistency(mi, ni, *proof, root1, root2);
      EXPECT_EQ(s.ok(), RefVerifyConsistency(mi, ni, *proof, root1, root2))
          << m << "->" << mi << " to " << n << "->" << ni << ": " << s;
      if (mi != m && mi != 0) {
        EXPECT_FALSE(s.ok()) << m << "->" << mi << " to " << n;
      }
      if (!s.ok()) {
        EXPECT_TRUE(s.code() == StatusCode::kDataLoss || s.code() == StatusCode::kInvalidArgument);
      }
    }
  }
}

TEST(MerkleTest, ConsistencyProofsMatchReferenceForAllPairsUpTo130) {
  const std::vector<Hash> leaves = MakeLeaves(300);
  MemoryTree tree(leaves);
  for (uint64_t n = 1; n <= 130; ++n) {
    for (uint64_t m = 1; m <= n; ++m) CheckConsistency(leaves, m, n, tree);
  }
  // All first sizes into each size up to 300, less densely for the second size.
  for (uint64_t n = 131; n <= 300; n += 7) {
    for (uint64_t m = 1; m <= n; ++m) CheckConsistency(leaves, m, n, tree);
  }
}

TEST(MerkleTest, RandomLargerTrees) {
  std::mt19937_64 rng(20240607);
  const std::vector<Hash> leaves = MakeLeaves(5000, 7);
  MemoryTree tree(leaves);
  for (int round = 0; round < 40; ++round) {
    const uint64_t n = std::uniform_int_distribution<uint64_t>(301, leaves.size())(rng);
    std::span<const Hash> d(leaves.data(), n);
    const Hash root = RefMth(d);
    ASSERT_EQ(RootFromLeafHashes(d), root);
    for (int i = 0; i < 25; ++i) {
      const uint64_t m = std::uniform_int_distribution<uint64_t>(0, n - 1)(rng);
      auto proof = InclusionProof(m, n, tree.ReaderAtSize(n));
      ASSERT_TRUE(proof.ok()) << proof.status();
      EXPECT_EQ(*proof, RefPath(m, d));
      EXPECT_TRUE(VerifyInclusion(m, n, leaves[m], *proof, root).ok());
      CheckConsistency(leaves, m + 1, n, tree);
    }
  }
}

TEST(MerkleTest, ProofsReadLogarithmicallyManyNodes) {
  const std::vector<Hash> leaves = MakeLeaves(4097);
  MemoryTree tree(leaves);
  const int before = tree.reads();
  ASSERT_TRUE(InclusionProof(5, 4097, tree.Reader()).ok());
  EXPECT_LE(tree.reads() - before, 13);
  const int mid = tree.reads();
  ASSERT_TRUE(ConsistencyProof(1000, 4097, tree.Reader()).ok());
  EXPECT_LE(tree.reads() - mid, 2 * 13);
  const int last = tree.reads();
  ASSERT_TRUE(RootFromNodes(4097, tree.Reader()).ok());
  EXPECT_EQ(tree.reads() - last, 2);
}

TEST(MerkleTest, ReaderErrorsAbortProofs) {
  const NodeReader failing = [](uint32_t, uint64_t) -> Result<Hash> {
    return UnavailableError("store offline");
  };
  EXPECT_EQ(InclusionProof(0, 2, failing).status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(ConsistencyProof(3, 4, failing).status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(RootFromNodes(3, failing).status().code(), StatusCode::kUnavailable);
  // Nothing to read: a one-leaf tree's proof is empty, the empty tree's root is fixed.
  auto empty = InclusionProof(0, 1, failing);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
  auto root = RootFromNodes(0, failing);
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(*root, EmptyRoot());
}

TEST(MerkleTest, ArgumentErrors) {
  const NodeReader never = [](uint32_t, uint64_t) -> Result<Hash> {
    ADD_FAILURE() << "read called";
    return InternalError("unexpected");
  };
  EXPECT_EQ(InclusionProof(3, 3, never).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(InclusionProof(0, 0, never).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ConsistencyProof(0, 3, never).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ConsistencyProof(4, 3, never).status().code(), StatusCode::kInvalidArgument);
  auto same = ConsistencyProof(3, 3, never);
  ASSERT_TRUE(same.ok());
  EXPECT_TRUE(same->empty());

  const Hash a = LeafHash("a");
  const Hash b = LeafHash("b");
  Status s = VerifyInclusion(0, 0, a, {}, a);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "merkle: inclusion proof for index 0 in tree size 0: index out of range");
  s = VerifyInclusion(0, 4, a, std::vector<Hash>{b}, a);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "merkle: inclusion proof for index 0 in tree size 4 has 1 hashes, want 2");
  EXPECT_TRUE(VerifyInclusion(0, 1, a, {}, a).ok());
  EXPECT_EQ(VerifyInclusion(0, 1, a, {}, b).code(), StatusCode::kDataLoss);
  // Huge sizes and indexes are arithmetic, not allocation: 64 hashes is the longest path.
  std::vector<Hash> path64(64, a);
  s = VerifyInclusion(~uint64_t{0} - 1, ~uint64_t{0}, a, path64, a);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s;
  s = VerifyInclusion(0, ~uint64_t{0}, a, path64, a);
  EXPECT_EQ(s.code(), StatusCode::kDataLoss) << s;

  // Consistency edge cases, as documented in merkle.h.
  EXPECT_TRUE(VerifyConsistency(0, 0, {}, a, a).ok());
  EXPECT_TRUE(VerifyConsistency(0, 5, {}, a, b).ok());
  EXPECT_EQ(VerifyConsistency(0, 5, std::vector<Hash>{a}, a, b).code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(VerifyConsistency(5, 5, {}, b, b).ok());
  EXPECT_EQ(VerifyConsistency(5, 5, {}, a, b).code(), StatusCode::kDataLoss);
  EXPECT_EQ(VerifyConsistency(5, 5, std::vector<Hash>{a}, a, a).code(),
            StatusCode::kInvalidArgument);
  s = VerifyConsistency(6, 5, {}, a, b);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "merkle: consistency proof from size 6 to 5: the first size is larger");
  EXPECT_EQ(VerifyConsistency(4, 5, {}, a, b).code(), StatusCode::kInvalidArgument);
  // From 2^64 - 2 to 2^64 - 1 the proof is the old edge node, one inner and 62 border hashes.
  EXPECT_EQ(VerifyConsistency(~uint64_t{0} - 1, ~uint64_t{0}, path64, a, b).code(),
            StatusCode::kDataLoss);
  EXPECT_EQ(
      VerifyConsistency(~uint64_t{0} - 1, ~uint64_t{0}, std::span(path64).first(63), a, b).code(),
      StatusCode::kInvalidArgument);
}

TEST(MerkleTest, Base64) {
  const Hash h = LeafHash(std::string_view());
  EXPECT_EQ(HashToBase64(h), "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=");
  auto back = HashFromBase64("bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, h);
  for (std::string_view bad : {"", "V3JvbmdSb290", "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0",
                               "bjQLnP-zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=",
                               "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\n",
                               "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0bjQL"}) {
    auto r = HashFromBase64(bad);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_EQ(HashFromBase64("V3JvbmdSb290").status().message(),
            "merkle: hash is 9 bytes of base64, want 32");
}

}  // namespace
}  // namespace traceport::ledger
