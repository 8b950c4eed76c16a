// libFuzzer target: Merkle proof verification (RFC 9162) on hostile indexes, sizes and proofs,
// and proof generation on trees the input shapes.
//
// The first byte picks the mode:
//   0  inclusion:   index u64, size u64, leaf hash, root, then 32-byte proof hashes
//   1  consistency: size1 u64, size2 u64, root1, root2, then 32-byte proof hashes
//   2  generated:   tree size u16, leaf index u16, old size u16, then mutations of 2 bytes each
// (integers little-endian; missing bytes read as zero).
//
// Invariants checked (a violation traps):
//   - verification returns OK, kInvalidArgument or kDataLoss, never anything else;
//   - VerifyInclusion agrees with RootFromInclusionProof; nothing longer than 64 hashes (65
//     for consistency) is ever accepted;
//   - generated inclusion and consistency proofs verify, and a proof with one bit flipped is
//     kDataLoss, one hash short or long is kInvalidArgument.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "ledger/verify/merkle.h"

namespace {

using traceport::Status;
using traceport::StatusCode;
using traceport::ledger::Hash;
using traceport::ledger::kHashSize;

class Input {
 public:
  Input(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  uint64_t U64(int bytes) {
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v |= uint64_t{Byte()} << (8 * i);
    return v;
  }
  uint8_t Byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  Hash NextHash() {
    Hash h{};
    for (uint8_t& b : h) b = Byte();
    return h;
  }
  size_t remaining() const { return size_ - pos_; }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

void CheckCode(const Status& s) {
  if (!s.ok() && s.code() != StatusCode::kInvalidArgument && s.code() != StatusCode::kDataLoss) {
    __builtin_trap();
  }
}

std::vector<Hash> RestAsProof(Input& in) {
  std::vector<Hash> proof;
  while (in.remaining() >= kHashSize && proof.size() < 80) proof.push_back(in.NextHash());
  return proof;
}

void FuzzInclusion(Input& in) {
  const uint64_t index = in.U64(8);
  const uint64_t size = in.U64(8);
  const Hash leaf = in.NextHash();
  const Hash root = in.NextHash();
  const std::vector<Hash> proof = RestAsProof(in);
  const Status s = traceport::ledger::VerifyInclusion(index, size, leaf, proof, root);
  CheckCode(s);
  auto computed = traceport::ledger::RootFromInclusionProof(index, size, leaf, proof);
  CheckCode(computed.status());
  if (s.ok() != (computed.ok() && *computed == root)) __builtin_trap();
  if (s.ok() && (proof.size() > 64 || index >= size)) __builtin_trap();
}

void FuzzConsistency(Input& in) {
  const uint64_t size1 = in.U64(8);
  const uint64_t size2 = in.U64(8);
  const Hash root1 = in.NextHash();
  const Hash root2 = in.NextHash();
  const std::vector<Hash> proof = RestAsProof(in);
  const Status s = traceport::ledger::VerifyConsistency(size1, size2, proof, root1, root2);
  CheckCode(s);
  if (s.ok() && (size1 > size2 || proof.size() > 65)) __builtin_trap();
  if (s.ok() && size1 == size2 && (root1 != root2 || !proof.empty())) __builtin_trap();
}

// Each mutation flips one bit of the proof, chosen by a 16-bit number modulo its bit length.
void CheckMutations(const std::vector<uint16_t>& mutations, const std::vector<Hash>& proof,
                    const std::function<Status(std::span<const Hash>)>& verify) {
  if (!verify(proof).ok()) __builtin_trap();
  std::vector<Hash> longer = proof;
  longer.push_back(Hash{});
  if (verify(longer).code() != StatusCode::kInvalidArgument) __builtin_trap();
  if (proof.empty()) return;
  if (verify(std::span(proof).first(proof.size() - 1)).code() != StatusCode::kInvalidArgument) {
    __builtin_trap();
  }
  for (uint16_t m : mutations) {
    const size_t bit = m % (proof.size() * kHashSize * 8);
    std::vector<Hash> bad = proof;
    bad[bit / (kHashSize * 8)][bit / 8 % kHashSize] ^= static_cast<uint8_t>(1u << (bit % 8));
    if (verify(bad).code() != StatusCode::kDataLoss) __builtin_trap();
  }
}

void FuzzGenerated(Input& in) {
  const uint64_t n = 1 + in.U64(2) % 1024;
  const uint64_t index = in.U64(2) % n;
  const uint64_t old_size = 1 + in.U64(2) % n;
  std::vector<uint16_t> mutations;
  while (in.remaining() >= 2 && mutations.size() < 64) {
    mutations.push_back(static_cast<uint16_t>(in.U64(2)));
  }

  // levels[l][i] is the perfect subtree (l, i); CompactRange reports each level in order.
  std::vector<std::vector<Hash>> levels(11);
  std::vector<Hash> leaves;
  std::vector<Hash> roots = {traceport::ledger::EmptyRoot()};
  traceport::ledger::CompactRange range;
  for (uint64_t i = 0; i < n; ++i) {
    uint8_t bytes[8];
    for (int b = 0; b < 8; ++b) bytes[b] = static_cast<uint8_t>(i >> (8 * b));
    leaves.push_back(traceport::ledger::LeafHash(std::span<const uint8_t>(bytes)));
    range.Append(leaves.back(), [&levels](uint32_t level, uint64_t idx, const Hash& h) {
      if (level >= levels.size() || idx != levels[level].size()) __builtin_trap();
      levels[level].push_back(h);
    });
    roots.push_back(range.Root());
  }
  const traceport::ledger::NodeReader read = [&levels](uint32_t level,
                                                       uint64_t idx) -> traceport::Result<Hash> {
    if (level >= levels.size() || idx >= levels[level].size()) __builtin_trap();
    return levels[level][idx];
  };
  auto root = traceport::ledger::RootFromNodes(n, read);
  if (!root.ok() || *root != roots[n]) __builtin_trap();

  auto inclusion = traceport::ledger::InclusionProof(index, n, read);
  if (!inclusion.ok()) __builtin_trap();
  CheckMutations(mutations, *inclusion, [&](std::span<const Hash> p) {
    return traceport::ledger::VerifyInclusion(index, n, leaves[index], p, roots[n]);
  });

  auto consistency = traceport::ledger::ConsistencyProof(old_size, n, read);
  if (!consistency.ok()) __builtin_trap();
  CheckMutations(mutations, *consistency, [&](std::span<const Hash> p) {
    return traceport::ledger::VerifyConsistency(old_size, n, p, roots[old_size], roots[n]);
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Input in(data, size);
  switch (in.Byte() % 3) {
    case 0:
      FuzzInclusion(in);
      break;
    case 1:
      FuzzConsistency(in);
      break;
    default:
      FuzzGenerated(in);
      break;
  }
  return 0;
}
