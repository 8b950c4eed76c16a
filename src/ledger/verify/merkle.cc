#include "ledger/verify/merkle.h"

#include <bit>
#include <cstring>
#include <string>
#include <utility>

#include "codec/base64.h"
#include "crypto/sha2.h"

namespace traceport::ledger {
namespace {

constexpr uint8_t kLeafPrefix = 0x00;
constexpr uint8_t kNodePrefix = 0x01;

// Number of bits needed to write x (0 for 0).
uint32_t BitLength(uint64_t x) { return static_cast<uint32_t>(std::bit_width(x)); }

// Shape of the inclusion path of leaf `index` in a tree of `size` (index < size), as in
// RFC 9162 section 2.1.3: the first `inner` hashes are siblings below the level where the path
// of `index` and the path of the last leaf meet (either side); the remaining `border` hashes are
// all left siblings on the right edge. Levels where the right edge has no sibling contribute
// nothing, which is why a partial tree's path is shorter than its height.
struct PathShape {
  uint32_t inner;
  uint32_t border;
};

PathShape InclusionShape(uint64_t index, uint64_t size) {
  const uint32_t inner = BitLength(index ^ (size - 1));
  const uint32_t border = static_cast<uint32_t>(std::popcount(inner >= 64 ? 0 : index >> inner));
  return {inner, border};
}

// The root of leaves [start, end) where start is a multiple of 2^level and the range holds
// fewer than 2^level leaves, from the perfect subtrees it decomposes into (one per set bit of
// end - start, largest first, all aligned because start is).
Result<Hash> RangeRoot(uint64_t start, uint64_t end, const NodeReader& read) {
  // Read left to right (largest subtree first), then fold from the right: MTH of a range whose
  // size is not a power of two is H(left perfect subtree || MTH(rest)).
  Hash parts[64];
  int count = 0;
  uint64_t pos = start;
  for (int level = 63; level >= 0; --level) {
    const uint64_t width = uint64_t{1} << level;
    if ((end - start) & width) {
      ASSIGN_OR_RETURN(parts[count], read(static_cast<uint32_t>(level), pos >> level));
      ++count;
      pos += width;
    }
  }
  Hash h = parts[count - 1];
  for (int i = count - 2; i >= 0; --i) h = NodeHash(parts[i], h);
  return h;
}

// Appends to `proof` the siblings on the path from the perfect node (from_level, node_index)
// up to the root of the tree of `size` leaves, where the node holds a leaf below `size`.
// Siblings that extend past the right edge are recomputed from the perfect subtrees below it;
// siblings wholly past it do not exist and are skipped.
Status AppendPath(uint32_t from_level, uint64_t node_index, uint64_t size, const NodeReader& read,
                  std::vector<Hash>& proof) {
  const uint64_t last = size - 1;
  for (uint32_t level = from_level; level < 64 && (last >> level) != 0; ++level) {
    const uint64_t sibling = (node_index >> (level - from_level)) ^ 1;
    const uint64_t start = sibling << level;
    if (start > last) continue;                        // no right sibling at this level
    if (last - start >= (uint64_t{1} << level) - 1) {  // the sibling is perfect
      ASSIGN_OR_RETURN(Hash h, read(level, sibling));
      proof.push_back(h);
    } else {
      ASSIGN_OR_RETURN(Hash h, RangeRoot(start, size, read));
      proof.push_back(h);
    }
  }
  return Status::Ok();
}

std::string Describe(uint64_t a, uint64_t b) {
  return std::to_string(a) + " in tree size " + std::to_string(b);
}

}  // namespace

Hash LeafHash(std::span<const uint8_t> entry) {
  crypto::Sha256Hasher hasher;
  hasher.Update(std::span<const uint8_t>(&kLeafPrefix, 1));
  hasher.Update(entry);
  return hasher.Finish();
}

Hash LeafHash(std::string_view entry) {
  return LeafHash(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(entry.data()), entry.size()));
}

Hash NodeHash(const Hash& left, const Hash& right) {
  // One contiguous 65-byte block through the one-shot hash: no hasher object, no allocation.
  uint8_t block[1 + 2 * kHashSize];
  block[0] = kNodePrefix;
  std::memcpy(block + 1, left.data(), kHashSize);
  std::memcpy(block + 1 + kHashSize, right.data(), kHashSize);
  return crypto::Sha256(std::span<const uint8_t>(block, sizeof(block)));
}

Hash EmptyRoot() {
  static const Hash kEmpty = crypto::Sha256(std::string_view());
  return kEmpty;
}

Hash RootFromLeafHashes(std::span<const Hash> leaves) {
  CompactRange range;
  for (const Hash& leaf : leaves) range.Append(leaf);
  return range.Root();
}

Result<Hash> RootFromInclusionProof(uint64_t index, uint64_t size, const Hash& leaf_hash,
                                    std::span<const Hash> proof) {
  if (index >= size) {
    return InvalidArgumentError("merkle: inclusion proof for index " + Describe(index, size) +
                                ": index out of range");
  }
  const PathShape shape = InclusionShape(index, size);
  if (proof.size() != size_t{shape.inner} + shape.border) {
    return InvalidArgumentError("merkle: inclusion proof for index " + Describe(index, size) +
                                " has " + std::to_string(proof.size()) + " hashes, want " +
                                std::to_string(shape.inner + shape.border));
  }
  Hash h = leaf_hash;
  for (uint32_t i = 0; i < shape.inner; ++i) {
    h = ((index >> i) & 1) ? NodeHash(proof[i], h) : NodeHash(h, proof[i]);
  }
  for (uint32_t i = shape.inner; i < proof.size(); ++i) h = NodeHash(proof[i], h);
  return h;
}

Status VerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf_hash,
                       std::span<const Hash> proof, const Hash& root) {
  ASSIGN_OR_RETURN(Hash computed, RootFromInclusionProof(index, size, leaf_hash, proof));
  if (computed != root) {
    return DataLossError("merkle: inclusion proof for index " + Describe(index, size) +
                         " leads to a different root");
  }
  return Status::Ok();
}

Status VerifyConsistency(uint64_t size1, uint64_t size2, std::span<const Hash> proof,
                         const Hash& root1, const Hash& root2) {
  const std::string sizes = std::to_string(size1) + " to " + std::to_string(size2);
  if (size1 > size2) {
    return InvalidArgumentError("merkle: consistency proof from size " + sizes +
                                ": the first size is larger");
  }
  if (size1 == size2 || size1 == 0) {
    if (!proof.empty()) {
      return InvalidArgumentError("merkle: consistency proof from size " + sizes + " has " +
                                  std::to_string(proof.size()) + " hashes, want 0");
    }
    if (size1 == size2 && root1 != root2) {
      return DataLossError("merkle: consistency check at equal size " + std::to_string(size1) +
                           ": the roots differ");
    }
    return Status::Ok();
  }

  // 0 < size1 < size2. The proof is the path, within tree size2, of the perfect node
  // (shift, (size1 - 1) >> shift) that ends the old tree's right edge, preceded by that node's
  // hash unless it is the whole old tree (size1 a power of two; the verifier has root1).
  const uint32_t shift = static_cast<uint32_t>(std::countr_zero(size1));
  const bool old_is_perfect = std::has_single_bit(size1);
  const PathShape shape = InclusionShape(size1 - 1, size2);
  const uint32_t inner = shape.inner - shift;  // shift < inner because size1 < size2
  const size_t want = (old_is_perfect ? 0 : 1) + size_t{inner} + shape.border;
  if (proof.size() != want) {
    return InvalidArgumentError("merkle: consistency proof from size " + sizes + " has " +
                                std::to_string(proof.size()) + " hashes, want " +
                                std::to_string(want));
  }
  const Hash seed = old_is_perfect ? root1 : proof[0];
  std::span<const Hash> path = proof.subspan(old_is_perfect ? 0 : 1);

  // Climb from the seed node. Hash 1 keeps only the left siblings (the old tree's right edge
  // ends at the seed), hash 2 takes every sibling (the new tree).
  const uint64_t node = (size1 - 1) >> shift;
  Hash h1 = seed;
  Hash h2 = seed;
  for (uint32_t i = 0; i < inner; ++i) {
    if ((node >> i) & 1) {
      h1 = NodeHash(path[i], h1);
      h2 = NodeHash(path[i], h2);
    } else {
      h2 = NodeHash(h2, path[i]);
    }
  }
  for (size_t i = inner; i < path.size(); ++i) {
    h1 = NodeHash(path[i], h1);
    h2 = NodeHash(path[i], h2);
  }
  if (h1 != root1) {
    return DataLossError("merkle: consistency proof from size " + sizes +
                         " does not lead to the first root");
  }
  if (h2 != root2) {
    return DataLossError("merkle: consistency proof from size " + sizes +
                         " does not lead to the second root");
  }
  return Status::Ok();
}

Result<std::vector<Hash>> InclusionProof(uint64_t index, uint64_t size, const NodeReader& read) {
  if (index >= size) {
    return InvalidArgumentError("merkle: inclusion proof for index " + Describe(index, size) +
                                ": index out of range");
  }
  std::vector<Hash> proof;
  proof.reserve(BitLength(size - 1));
  RETURN_IF_ERROR(AppendPath(0, index, size, read, proof));
  return proof;
}

Result<std::vector<Hash>> ConsistencyProof(uint64_t size1, uint64_t size2, const NodeReader& read) {
  if (size1 == 0 || size1 > size2) {
    return InvalidArgumentError("merkle: consistency proof from size " + std::to_string(size1) +
                                " to " + std::to_string(size2) +
                                ": need 0 < first size <= second size");
  }
  std::vector<Hash> proof;
  if (size1 == size2) return proof;
  proof.reserve(BitLength(size2 - 1) + 1);
  const uint32_t shift = static_cast<uint32_t>(std::countr_zero(size1));
  const uint64_t node = (size1 - 1) >> shift;
  if (!std::has_single_bit(size1)) {
    ASSIGN_OR_RETURN(Hash h, read(shift, node));
    proof.push_back(h);
  }
  RETURN_IF_ERROR(AppendPath(shift, node, size2, read, proof));
  return proof;
}

Result<Hash> RootFromNodes(uint64_t size, const NodeReader& read) {
  if (size == 0) return EmptyRoot();
  return RangeRoot(0, size, read);
}

Result<CompactRange> CompactRange::FromEdge(uint64_t size, std::vector<Hash> edge) {
  const size_t want = static_cast<size_t>(std::popcount(size));
  if (edge.size() != want) {
    return InvalidArgumentError("merkle: compact range of size " + std::to_string(size) +
                                " needs " + std::to_string(want) + " edge hashes, got " +
                                std::to_string(edge.size()));
  }
  CompactRange range;
  range.size_ = size;
  range.edge_ = std::move(edge);
  return range;
}

void CompactRange::Append(const Hash& leaf_hash, const NodeSink& on_node) {
  if (on_node) on_node(0, size_, leaf_hash);
  Hash h = leaf_hash;
  // Each trailing one bit of the old size is a perfect subtree that the new leaf completes a
  // sibling for: merge them, lowest first.
  uint32_t level = 0;
  while ((size_ >> level) & 1) {
    h = NodeHash(edge_.back(), h);
    edge_.pop_back();
    ++level;
    if (on_node) on_node(level, size_ >> level, h);
  }
  edge_.push_back(h);
  ++size_;
}

Hash CompactRange::Root() const {
  if (edge_.empty()) return EmptyRoot();
  Hash h = edge_.back();
  for (size_t i = edge_.size() - 1; i-- > 0;) h = NodeHash(edge_[i], h);
  return h;
}

std::string HashToBase64(const Hash& hash) { return codec::Base64Encode(hash); }

Result<Hash> HashFromBase64(std::string_view text) {
  auto bytes = codec::Base64Decode(text);
  if (!bytes.ok()) return bytes.status().WithContext("merkle: hash");
  if (bytes->size() != kHashSize) {
    return InvalidArgumentError("merkle: hash is " + std::to_string(bytes->size()) +
                                " bytes of base64, want 32");
  }
  Hash hash;
  std::memcpy(hash.data(), bytes->data(), kHashSize);
  return hash;
}

}  // namespace traceport::ledger
