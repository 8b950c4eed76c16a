// RFC 6962 / RFC 9162 Merkle proof vectors from ../shared/conformance/merkle-rfc6962 (see
// SOURCES.md there): the 98 inclusion and 98 consistency vectors of transparency-dev/merkle,
// positive and negative, and the derived reference tree of 8 leaves.
//
// A vector passes when ledger::VerifyInclusion / VerifyConsistency fails exactly when the
// vector says it must. Hashes and sizes are decoded at the edge as a caller would: a hash that
// is not 32 bytes of base64 or a size that is not an unsigned integer cannot reach the typed
// API, so the verdict is "error". That makes one vector inexpressible, and it is skipped:
// consistency/additional/sizes-are-equal-one-and-proof-is-empty expects acceptance of two
// equal 12-byte "roots" (the Go verifier compares byte strings of any length).
//
// The vectors' happy paths come from the reference tree, so for those the proofs our
// generator builds must equal the vector's. The reference tree itself is checked hash by hash,
// and every inclusion and consistency proof over it is generated and verified.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "codec/hex.h"
#include "common/testing/conformance.h"
#include "ledger/verify/merkle.h"

namespace traceport::ledger {
namespace {

using ::traceport::testing::ReadFile;
using ::traceport::testing::SuiteCounter;

constexpr char kSuite[] = "merkle-rfc6962";
constexpr char kInexpressible[] = "consistency/additional/sizes-are-equal-one-and-proof-is-empty";

// The .json files under `dir`, sorted so that failures print in a stable order.
std::vector<std::filesystem::path> JsonFiles(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::optional<Hash> DecodeHash(const nlohmann::json& v) {
  if (!v.is_string()) return std::nullopt;
  auto h = HashFromBase64(v.get<std::string>());
  if (!h.ok()) return std::nullopt;
  return *h;
}

std::optional<uint64_t> DecodeSize(const nlohmann::json& v) {
  if (!v.is_number_unsigned()) return std::nullopt;
  return v.get<uint64_t>();
}

// `null` (Go's nil slice) is an empty proof.
std::optional<std::vector<Hash>> DecodeProof(const nlohmann::json& v) {
  std::vector<Hash> proof;
  if (v.is_null()) return proof;
  if (!v.is_array()) return std::nullopt;
  for (const auto& item : v) {
    auto h = DecodeHash(item);
    if (!h) return std::nullopt;
    proof.push_back(*h);
  }
  return proof;
}

struct ReferenceTree {
  std::vector<Hash> leaves;
  std::vector<Hash> roots;  // by size, 0..leaves.size()
  std::map<std::pair<uint32_t, uint64_t>, Hash> nodes;

  NodeReader Reader(uint64_t size) const {
    return [this, size](uint32_t level, uint64_t index) -> Result<Hash> {
      auto it = nodes.find({level, index});
      if (it == nodes.end() || ((index + 1) << level) > size) {
        return NotFoundError("no node " + std::to_string(level) + "/" + std::to_string(index) +
                             " at size " + std::to_string(size));
      }
      return it->second;
    };
  }
  // The tree whose root at `size` is `root`: true when the vector was made from this tree.
  bool Matches(uint64_t size, const Hash& root) const {
    return size < roots.size() && roots[size] == root;
  }
};

std::optional<Hash> HexHash(const nlohmann::json& v) {
  if (!v.is_string()) return std::nullopt;
  auto bytes = codec::HexDecode(v.get<std::string>());
  if (!bytes.ok() || bytes->size() != kHashSize) return std::nullopt;
  Hash h;
  std::copy(bytes->begin(), bytes->end(), h.begin());
  return h;
}

// Checks reference-tree.json: every leaf hash, and every root by three routes (RFC recursion
// via RootFromLeafHashes, CompactRange, RootFromNodes over the nodes CompactRange reported).
// Then generates and verifies every proof over the tree.
void CheckReferenceTree(const nlohmann::json& doc, ReferenceTree& tree, SuiteCounter& counter) {
  const auto& inputs = doc.at("leafInputsHex");
  const auto& leaf_hashes = doc.at("leafHashesHex");
  const auto& roots = doc.at("rootHashesBySizeHex");
  CompactRange range;
  for (size_t i = 0; i < inputs.size(); ++i) {
    auto input = codec::HexDecode(inputs[i].get<std::string>());
    auto want = HexHash(leaf_hashes.at(i));
    const bool ok = input.ok() && want && LeafHash(*input) == *want;
    counter.Record(ok, "reference-tree: leaf hash " + std::to_string(i));
    if (!ok) return;
    tree.leaves.push_back(*want);
    range.Append(*want, [&tree](uint32_t level, uint64_t index, const Hash& h) {
      tree.nodes[{level, index}] = h;
    });
  }
  range = CompactRange();
  for (size_t n = 0; n < roots.size(); ++n) {
    auto want = HexHash(roots[n]);
    const std::span<const Hash> prefix(tree.leaves.data(), std::min(n, tree.leaves.size()));
    auto from_nodes = RootFromNodes(n, tree.Reader(n));
    const bool ok = want && n <= tree.leaves.size() && RootFromLeafHashes(prefix) == *want &&
                    range.Root() == *want && from_nodes.ok() && *from_nodes == *want;
    counter.Record(ok, "reference-tree: root of size " + std::to_string(n));
    tree.roots.push_back(want.value_or(Hash{}));
    if (n < tree.leaves.size()) range.Append(tree.leaves[n]);
  }

  for (uint64_t n = 1; n < tree.roots.size(); ++n) {
    for (uint64_t m = 0; m < n; ++m) {
      auto proof = InclusionProof(m, n, tree.Reader(n));
      const bool ok =
          proof.ok() && VerifyInclusion(m, n, tree.leaves[m], *proof, tree.roots[n]).ok();
      counter.Record(
          ok, "reference-tree: inclusion proof " + std::to_string(m) + " in " + std::to_string(n));
    }
    for (uint64_t m = 1; m <= n; ++m) {
      auto proof = ConsistencyProof(m, n, tree.Reader(n));
      const bool ok =
          proof.ok() && VerifyConsistency(m, n, *proof, tree.roots[m], tree.roots[n]).ok();
      counter.Record(ok, "reference-tree: consistency proof " + std::to_string(m) + " to " +
                             std::to_string(n));
    }
  }
}

// The verdict for one inclusion vector, or an explanation of a mismatch ("" = pass).
std::string CheckInclusion(const nlohmann::json& v, const ReferenceTree& tree) {
  const bool want_err = v.at("wantErr").get<bool>();
  auto index = DecodeSize(v.at("leafIdx"));
  auto size = DecodeSize(v.at("treeSize"));
  auto leaf = DecodeHash(v.at("leafHash"));
  auto root = DecodeHash(v.at("root"));
  auto proof = DecodeProof(v.at("proof"));
  Status status = InvalidArgumentError("vector not expressible with 32-byte hashes");
  if (index && size && leaf && root && proof) {
    status = VerifyInclusion(*index, *size, *leaf, *proof, *root);
  }
  if (status.ok() == want_err) {
    return want_err ? "accepted, want an error" : "rejected: " + status.ToString();
  }
  if (!want_err && tree.Matches(*size, *root)) {
    auto generated = InclusionProof(*index, *size, tree.Reader(*size));
    if (!generated.ok() || *generated != *proof) return "generated proof differs";
  }
  return "";
}

std::string CheckConsistency(const nlohmann::json& v, const ReferenceTree& tree) {
  const bool want_err = v.at("wantErr").get<bool>();
  auto size1 = DecodeSize(v.at("size1"));
  auto size2 = DecodeSize(v.at("size2"));
  auto root1 = DecodeHash(v.at("root1"));
  auto root2 = DecodeHash(v.at("root2"));
  auto proof = DecodeProof(v.at("proof"));
  Status status = InvalidArgumentError("vector not expressible with 32-byte hashes");
  if (size1 && size2 && root1 && root2 && proof) {
    status = VerifyConsistency(*size1, *size2, *proof, *root1, *root2);
  }
  if (status.ok() == want_err) {
    return want_err ? "accepted, want an error" : "rejected: " + status.ToString();
  }
  if (!want_err && tree.Matches(*size1, *root1) && tree.Matches(*size2, *root2)) {
    auto generated = ConsistencyProof(*size1, *size2, tree.Reader(*size2));
    if (!generated.ok() || *generated != *proof) return "generated proof differs";
  }
  return "";
}

TEST(MerkleConformance, Rfc6962Vectors) {
  TRACEPORT_CONFORMANCE_DIR_OR_SKIP(dir, kSuite, "merkle-rfc6962");
  SuiteCounter counter(kSuite);

  ReferenceTree tree;
  auto reference = ReadFile(dir / "reference-tree.json");
  ASSERT_TRUE(reference.ok()) << reference.status();
  const nlohmann::json ref_doc = nlohmann::json::parse(*reference, nullptr, false);
  ASSERT_TRUE(ref_doc.is_object() && ref_doc.contains("leafInputsHex") &&
              ref_doc.contains("leafHashesHex") && ref_doc.contains("rootHashesBySizeHex"));
  CheckReferenceTree(ref_doc, tree, counter);

  size_t vectors = 0;
  for (const char* kind : {"inclusion", "consistency"}) {
    for (const auto& path : JsonFiles(dir / "testdata" / kind)) {
      ++vectors;
      const std::string name =
          std::filesystem::relative(path, dir / "testdata").replace_extension().string();
      if (name == kInexpressible) {
        counter.Skip();
        continue;
      }
      auto text = ReadFile(path);
      const nlohmann::json v =
          text.ok() ? nlohmann::json::parse(*text, nullptr, false) : nlohmann::json();
      if (!v.is_object() || !v.contains("wantErr") || !v["wantErr"].is_boolean()) {
        counter.Fail(name + ": malformed vector");
        continue;
      }
      std::string problem;
      try {
        problem =
            std::string(kind) == "inclusion" ? CheckInclusion(v, tree) : CheckConsistency(v, tree);
      } catch (const nlohmann::json::exception& e) {
        problem = std::string("malformed vector: ") + e.what();
      }
      counter.Record(problem.empty(), name + ": " + problem);
    }
  }
  counter.Print();
  EXPECT_EQ(vectors, 196u);
  EXPECT_EQ(counter.failed(), 0u);
  // 195 vectors + 8 leaf hashes + 9 roots + 36 inclusion and 36 consistency proofs generated
  // over the reference tree.
  EXPECT_EQ(counter.passed(), 195u + 8u + 9u + 36u + 36u);
  EXPECT_EQ(counter.skipped(), 1u);
}

}  // namespace
}  // namespace traceport::ledger
