// RFC 9162 (Certificate Transparency 2.0, section 2.1) Merkle tree hashing and proofs: the
// arithmetic every part of the ledger rests on.
//
// Leaves are hashed as SHA-256(0x00 || entry) and interior nodes as SHA-256(0x01 || left ||
// right). A tree of size n is the RFC's MTH over n leaves: the left subtree holds the largest
// power of two strictly below n. Nodes are addressed as perfect subtrees: (level, index) is the
// hash of leaves [index << level, (index + 1) << level); level 0 is the leaf hashes themselves.
// Perfect subtrees never change once complete, which is what lets tiles be immutable.
//
// Verification never trusts its input: sizes, indexes and proof lengths are checked and each
// problem is a Status naming it (kInvalidArgument for a malformed proof or arguments,
// kDataLoss when a well-formed proof does not lead to the expected root).
//
// Thread safety: free functions are thread-safe; CompactRange is thread-compatible.
#ifndef TRACEPORT_LEDGER_VERIFY_MERKLE_H_
#define TRACEPORT_LEDGER_VERIFY_MERKLE_H_

#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace traceport::ledger {

inline constexpr size_t kHashSize = 32;
using Hash = std::array<uint8_t, kHashSize>;

// SHA-256(0x00 || entry).
Hash LeafHash(std::span<const uint8_t> entry);
Hash LeafHash(std::string_view entry);
// SHA-256(0x01 || left || right).
Hash NodeHash(const Hash& left, const Hash& right);
// The root of the empty tree: SHA-256 of the empty string.
Hash EmptyRoot();

// The root of the tree whose leaf hashes are `leaves` (any count, including zero). O(n).
Hash RootFromLeafHashes(std::span<const Hash> leaves);

// Checks an inclusion (audit) path, RFC 9162 section 2.1.3.2. Errors: index >= size, a proof of
// the wrong length for (index, size) (kInvalidArgument); a root that differs (kDataLoss).
Status VerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf_hash,
                       std::span<const Hash> proof, const Hash& root);
// The root an inclusion path leads to, for callers that compare it themselves.
Result<Hash> RootFromInclusionProof(uint64_t index, uint64_t size, const Hash& leaf_hash,
                                    std::span<const Hash> proof);

// Checks a consistency proof between two tree sizes, RFC 9162 section 2.1.4.2. size1 == size2
// needs an empty proof and equal roots; size1 == 0 needs an empty proof (any root1 is accepted,
// the empty tree is a prefix of every tree). Errors as for VerifyInclusion; size1 > size2 is
// kInvalidArgument.
Status VerifyConsistency(uint64_t size1, uint64_t size2, std::span<const Hash> proof,
                         const Hash& root1, const Hash& root2);

// Where proof generation gets node hashes: the hash of the perfect subtree (level, index).
// Implementations read tiles or a database; a failure aborts the proof with that status.
using NodeReader = std::function<Result<Hash>(uint32_t level, uint64_t index)>;

// The inclusion path for leaf `index` in the tree of `size` (RFC 9162 2.1.3.1), built only from
// perfect-subtree hashes that `read` supplies (the right-edge hashes of a partial tree are
// recomputed from them). kInvalidArgument when index >= size.
Result<std::vector<Hash>> InclusionProof(uint64_t index, uint64_t size, const NodeReader& read);
// The consistency proof from size1 to size2 (RFC 9162 2.1.4.1). kInvalidArgument unless
// 0 < size1 <= size2; size1 == size2 gives an empty proof.
Result<std::vector<Hash>> ConsistencyProof(uint64_t size1, uint64_t size2, const NodeReader& read);
// The root of the tree of `size` from perfect-subtree hashes alone (at most log2(size) reads).
Result<Hash> RootFromNodes(uint64_t size, const NodeReader& read);

// The right edge of a growing tree: the roots of the perfect subtrees that make up the first
// size() leaves (at most 64 of them). Appending a leaf completes zero or more perfect subtrees;
// each is reported to `on_node` (level, index, hash) — level 0 for the leaf itself — which is
// how the integrator learns every hash it must store. O(1) amortized per leaf.
class CompactRange {
 public:
  using NodeSink = std::function<void(uint32_t level, uint64_t index, const Hash& hash)>;

  CompactRange() = default;
  // Resumes a tree of `size` leaves from its right-edge hashes, highest subtree first (one per
  // set bit of size). kInvalidArgument when the count does not match size.
  static Result<CompactRange> FromEdge(uint64_t size, std::vector<Hash> edge);

  void Append(const Hash& leaf_hash, const NodeSink& on_node = nullptr);
  uint64_t size() const { return size_; }
  // Highest subtree first, as FromEdge takes them.
  const std::vector<Hash>& edge() const { return edge_; }
  // The tree's root (EmptyRoot() when size is 0).
  Hash Root() const;

 private:
  uint64_t size_ = 0;
  std::vector<Hash> edge_;
};

// Standard base64 (RFC 4648 section 4) of a hash, as checkpoints and proofs write it.
std::string HashToBase64(const Hash& hash);
// Exactly 32 bytes of standard base64, padded; anything else is kInvalidArgument.
Result<Hash> HashFromBase64(std::string_view text);

}  // namespace traceport::ledger

#endif  // TRACEPORT_LEDGER_VERIFY_MERKLE_H_
