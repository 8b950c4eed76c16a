#include "ledger/verify/tlog_proof.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "codec/base64.h"
#include "common/testing/fake_random.h"
#include "ledger/verify/checkpoint.h"
#include "ledger/verify/cosignature.h"
#include "ledger/verify/merkle.h"

namespace traceport::ledger {
namespace {

constexpr char kOrigin[] = "ledger.example/log";

// The entry bytes of leaf i.
std::string Entry(uint64_t i) { return "entry " + std::to_string(i); }

std::vector<Hash> LeafHashes(uint64_t size) {
  std::vector<Hash> leaves;
  for (uint64_t i = 0; i < size; ++i) leaves.push_back(LeafHash(Entry(i)));
  return leaves;
}

// The inclusion proof for `index` in the tree of `leaves`, with node hashes computed directly
// from the leaves.
std::vector<Hash> Proof(const std::vector<Hash>& leaves, uint64_t index) {
  auto read = [&](uint32_t level, uint64_t node) -> Result<Hash> {
    const uint64_t begin = node << level;
    const uint64_t end = (node + 1) << level;
    if (end > leaves.size()) return InternalError("read beyond the tree");
    return RootFromLeafHashes(std::span(leaves).subspan(begin, end - begin));
  };
  return InclusionProof(index, leaves.size(), read).value();
}

NoteSigner TestSigner(std::string name, uint64_t seed) {
  testing::FakeRandom random(seed);
  return NoteSigner::Generate(std::move(name), random).value();
}

Cosigner TestCosigner(std::string name, uint64_t seed) {
  testing::FakeRandom random(seed);
  return Cosigner::Generate(std::move(name), random).value();
}

class TlogProofTest : public ::testing::Test {
 protected:
  // A signed checkpoint for the tree of `size` leaves, cosigned by the witnesses whose
  // positions in witnesses_ are listed (at timestamp 1000 + position).
  std::string SignedCheckpoint(uint64_t size, const std::vector<size_t>& cosigned = {}) const {
    const std::vector<Hash> leaves = LeafHashes(size);
    const Checkpoint checkpoint{kOrigin, size, RootFromLeafHashes(leaves), {}};
    const std::string text = FormatCheckpoint(checkpoint).value();
    std::vector<NoteSignature> cosignatures;
    for (size_t w : cosigned) cosignatures.push_back(witnesses_[w].Sign(text, 1000 + w).value());
    return AddSignatures(SignCheckpoint(checkpoint, log_).value(), cosignatures).value();
  }

  // A receipt: the entry in `extra`, so the leaf hash is LeafHash(extra).
  std::string Receipt(uint64_t size, uint64_t index,
                      const std::vector<size_t>& cosigned = {}) const {
    TlogProof proof;
    const std::string entry = Entry(index);
    proof.extra.assign(entry.begin(), entry.end());
    proof.index = index;
    proof.inclusion_proof = Proof(LeafHashes(size), index);
    proof.checkpoint = SignedCheckpoint(size, cosigned);
    return FormatTlogProof(proof).value();
  }

  Result<VerifiedTlogProof> Verify(std::string_view text, uint64_t index,
                                   size_t min_witnesses = 0) const {
    return VerifyTlogProof(text, LeafHash(Entry(index)), kOrigin, log_verifier_,
                           {&witness_verifiers_[0], &witness_verifiers_[1], &witness_verifiers_[2]},
                           min_witnesses);
  }

  const NoteSigner log_ = TestSigner(kOrigin, 1);
  const NoteVerifier log_verifier_ = log_.Verifier();
  const std::vector<Cosigner> witnesses_ = [] {
    std::vector<Cosigner> w;
    for (uint64_t i = 0; i < 4; ++i)
      w.push_back(TestCosigner("w" + std::to_string(i) + ".example", 10 + i));
    return w;
  }();
  // Witnesses 0-2 are trusted; witness 3 is not.
  const std::vector<CosignatureVerifier> witness_verifiers_ = {
      witnesses_[0].Verifier(), witnesses_[1].Verifier(), witnesses_[2].Verifier()};
};

TEST_F(TlogProofTest, FormatsTheSpecLayout) {
  TlogProof proof;
  proof.extra = {'h', 'i'};
  proof.index = 2;
  proof.inclusion_proof = Proof(LeafHashes(5), 2);
  proof.checkpoint = SignedCheckpoint(5);
  auto text = FormatTlogProof(proof);
  ASSERT_TRUE(text.ok()) << text.status();
  std::string expected = "c2sp.org/tlog-proof@v1\nextra aGk=\nindex 2\n";
  for (const Hash& h : proof.inclusion_proof) expected += HashToBase64(h) + "\n";
  expected += "\n" + proof.checkpoint;
  EXPECT_EQ(*text, expected);
  auto parsed = ParseTlogProof(*text);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(*parsed, proof);

  // Without extra data there is no extra line; an empty proof is allowed (tree of one leaf).
  proof.extra.clear();
  proof.index = 0;
  proof.inclusion_proof.clear();
  proof.checkpoint = SignedCheckpoint(1);
  text = FormatTlogProof(proof);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "c2sp.org/tlog-proof@v1\nindex 0\n\n" + proof.checkpoint);
  parsed = ParseTlogProof(*text);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, proof);
}

TEST_F(TlogProofTest, EveryIndexOfManySizesVerifies) {
  for (uint64_t size = 1; size <= 17; ++size) {
    for (uint64_t index = 0; index < size; ++index) {
      auto result = Verify(Receipt(size, index), index);
      ASSERT_TRUE(result.ok()) << size << " " << index << ": " << result.status();
      EXPECT_EQ(result->index, index);
      EXPECT_EQ(result->checkpoint.size, size);
      EXPECT_EQ(result->checkpoint.origin, kOrigin);
      EXPECT_EQ(result->checkpoint.root_hash, RootFromLeafHashes(LeafHashes(size)));
      const std::string entry(result->extra.begin(), result->extra.end());
      EXPECT_EQ(entry, Entry(index));
      EXPECT_TRUE(result->witnesses.empty());
    }
  }
}

TEST_F(TlogProofTest, ReportsWitnessesWithTimestamps) {
  auto result = Verify(Receipt(9, 4, {2, 3, 0}), 4, 2);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->witnesses.size(), 2u);  // witness 3 is unknown and ignored
  EXPECT_EQ(result->witnesses[0].verifier, &witness_verifiers_[2]);
  EXPECT_EQ(result->witnesses[0].timestamp, 1002u);
  EXPECT_EQ(result->witnesses[1].verifier, &witness_verifiers_[0]);
  EXPECT_EQ(result->witnesses[1].timestamp, 1000u);
}

TEST_F(TlogProofTest, KOfNPolicy) {
  const std::string two = Receipt(6, 5, {0, 1});
  EXPECT_TRUE(Verify(two, 5, 0).ok());
  EXPECT_TRUE(Verify(two, 5, 2).ok());
  EXPECT_EQ(Verify(two, 5, 3).status().code(), StatusCode::kUnauthenticated);
  // An untrusted witness does not count towards the policy.
  EXPECT_EQ(Verify(Receipt(6, 5, {0, 3}), 5, 2).status().code(), StatusCode::kUnauthenticated);
  // A policy that can never be met is a caller error.
  EXPECT_EQ(Verify(two, 5, 4).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(VerifyTlogProof(two, LeafHash(Entry(5)), kOrigin, log_verifier_, {nullptr}, 0)
                .status()
                .code(),
            StatusCode::kInvalidArgument);
}

TEST_F(TlogProofTest, WrongOriginOrLogKey) {
  const std::string receipt = Receipt(4, 1);
  EXPECT_EQ(VerifyTlogProof(receipt, LeafHash(Entry(1)), "other.example/log", log_verifier_, {}, 0)
                .status()
                .code(),
            StatusCode::kNotFound);
  const NoteVerifier other = TestSigner(kOrigin, 2).Verifier();
  EXPECT_EQ(VerifyTlogProof(receipt, LeafHash(Entry(1)), kOrigin, other, {}, 0).status().code(),
            StatusCode::kUnauthenticated);
}

TEST_F(TlogProofTest, WrongLeafIsDataLoss) {
  const std::string receipt = Receipt(8, 3);
  EXPECT_EQ(Verify(receipt, 4).status().code(), StatusCode::kDataLoss);
}

TEST_F(TlogProofTest, TamperingWithEachPartFails) {
  const TlogProof good = ParseTlogProof(Receipt(11, 6, {1})).value();
  const auto verify = [&](const TlogProof& p) {
    // The receipt's leaf hash comes from its own extra data, as a ledger verifier does it.
    return VerifyTlogProof(FormatTlogProof(p).value(), LeafHash(p.extra), kOrigin, log_verifier_,
                           {&witness_verifiers_[1]}, 1)
        .status()
        .code();
  };
  EXPECT_EQ(verify(good), StatusCode::kOk);

  TlogProof p = good;
  p.extra.back() ^= 1;  // another entry
  EXPECT_EQ(verify(p), StatusCode::kDataLoss);
  p = good;
  p.index = 7;
  EXPECT_EQ(verify(p), StatusCode::kDataLoss);
  p.index = 11;  // beyond the tree
  EXPECT_EQ(verify(p), StatusCode::kInvalidArgument);
  p = good;
  p.inclusion_proof[1][0] ^= 1;
  EXPECT_EQ(verify(p), StatusCode::kDataLoss);
  p = good;
  p.inclusion_proof.pop_back();
  EXPECT_EQ(verify(p), StatusCode::kInvalidArgument);
  p = good;
  p.inclusion_proof.push_back(p.inclusion_proof[0]);
  EXPECT_EQ(verify(p), StatusCode::kInvalidArgument);

  // The checkpoint: its size, its root, the log's signature, the witness's cosignature.
  const Note note = ParseNote(good.checkpoint).value();
  Checkpoint checkpoint = ParseCheckpoint(note.text).value();
  auto with_text = [&](const Checkpoint& c) {
    TlogProof q = good;
    q.checkpoint = FormatNote(Note{FormatCheckpoint(c).value(), note.signatures}).value();
    return q;
  };
  checkpoint.size = 12;
  EXPECT_EQ(verify(with_text(checkpoint)), StatusCode::kPermissionDenied);
  checkpoint = ParseCheckpoint(note.text).value();
  checkpoint.root_hash[31] ^= 1;
  EXPECT_EQ(verify(with_text(checkpoint)), StatusCode::kPermissionDenied);
  for (size_t i = 0; i < note.signatures.size(); ++i) {
    Note changed = note;
    changed.signatures[i].signature[5] ^= 1;
    p = good;
    p.checkpoint = FormatNote(changed).value();
    EXPECT_EQ(verify(p), StatusCode::kPermissionDenied) << "signature " << i;
  }
  // Dropping the witness's cosignature fails the 1-of-1 policy.
  Note dropped = note;
  dropped.signatures.pop_back();
  p = good;
  p.checkpoint = FormatNote(dropped).value();
  EXPECT_EQ(verify(p), StatusCode::kUnauthenticated);
}

TEST_F(TlogProofTest, RejectsMalformedProofs) {
  const std::string checkpoint = SignedCheckpoint(2);
  const std::string hash = HashToBase64(LeafHash(Entry(1)));
  const std::string head = "c2sp.org/tlog-proof@v1\n";
  const struct {
    std::string text;
    const char* why;
  } cases[] = {
      {"", "empty"},
      {"c2sp.org/tlog-proof@v1", "header without newline"},
      {head, "header only"},
      {"c2sp.org/tlog-proof@v2\nindex 0\n" + hash + "\n\n" + checkpoint, "version 2"},
      {"C2SP.org/tlog-proof@v1\nindex 0\n" + hash + "\n\n" + checkpoint, "header case"},
      {"\n" + head + "index 0\n" + hash + "\n\n" + checkpoint, "leading empty line"},
      {head + "index 0\n" + hash + "\n" + checkpoint, "no empty line"},
      {head + "index 0\n" + hash + "\n\n", "no checkpoint"},
      {head + hash + "\n\n" + checkpoint, "no index line"},
      {head + "index\n" + hash + "\n\n" + checkpoint, "index without number"},
      {head + "index \n" + hash + "\n\n" + checkpoint, "empty index"},
      {head + "index 01\n" + hash + "\n\n" + checkpoint, "leading zero"},
      {head + "index -1\n" + hash + "\n\n" + checkpoint, "negative index"},
      {head + "index 1 \n" + hash + "\n\n" + checkpoint, "trailing space"},
      {head + "index  1\n" + hash + "\n\n" + checkpoint, "two spaces"},
      {head + "Index 1\n" + hash + "\n\n" + checkpoint, "capital Index"},
      {head + "index 18446744073709551616\n" + hash + "\n\n" + checkpoint, "index overflow"},
      {head + "extra \nindex 1\n" + hash + "\n\n" + checkpoint, "extra without data"},
      {head + "extra aGk\nindex 1\n" + hash + "\n\n" + checkpoint, "extra without padding"},
      {head + "extra aGl=\nindex 1\n" + hash + "\n\n" + checkpoint, "extra trailing bits"},
      {head + "extra aGk=\nextra aGk=\nindex 1\n" + hash + "\n\n" + checkpoint, "two extras"},
      {head + "index 1\nextra aGk=\n" + hash + "\n\n" + checkpoint, "extra after index"},
      {head + "index 1\n" + hash.substr(0, 43) + "\n\n" + checkpoint, "unpadded hash"},
      {head + "index 1\n" + hash + " \n\n" + checkpoint, "space after hash"},
      {head + "index 1\naGk=\n\n" + checkpoint, "short hash"},
      {head + "index 1\r\n" + hash + "\r\n\r\n" + checkpoint, "CRLF"},
      {head + "index 1\n" + hash + "\n\n" + "text\n\n", "checkpoint without signatures"},
      {head + "index 1\n" + hash + "\n\n" + SignNote("not a checkpoint\n", {&log_}).value(),
       "note that is not a checkpoint"},
      {head + "index 1\n" + hash + "\n\n" + checkpoint + "trailing\n", "data after the note"},
  };
  for (const auto& c : cases) {
    auto parsed = ParseTlogProof(c.text);
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument) << c.why;
    EXPECT_EQ(Verify(c.text, 1).status().code(), StatusCode::kInvalidArgument) << c.why;
  }
}

TEST_F(TlogProofTest, Limits) {
  std::string text = "c2sp.org/tlog-proof@v1\nindex 0\n";
  const std::string hash = HashToBase64(LeafHash(Entry(0)));
  for (size_t i = 0; i < kMaxTlogProofHashes; ++i) text += hash + "\n";
  const std::string checkpoint = SignedCheckpoint(1);
  EXPECT_TRUE(ParseTlogProof(text + "\n" + checkpoint).ok());
  EXPECT_EQ(ParseTlogProof(text + hash + "\n\n" + checkpoint).status().code(),
            StatusCode::kInvalidArgument);

  TlogProof proof;
  proof.checkpoint = checkpoint;
  proof.inclusion_proof.assign(kMaxTlogProofHashes + 1, Hash{});
  EXPECT_EQ(FormatTlogProof(proof).status().code(), StatusCode::kInvalidArgument);
  proof.inclusion_proof.clear();
  proof.extra.assign(kMaxTlogProofSize, 'x');
  EXPECT_EQ(FormatTlogProof(proof).status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(ParseTlogProof(std::string(kMaxTlogProofSize + 1, 'x')).status().code(),
            StatusCode::kResourceExhausted);
  // A large extra that fits round-trips.
  proof.extra.assign((kMaxTlogProofSize - 1000) / 4 * 3, 'x');
  auto text_ok = FormatTlogProof(proof);
  ASSERT_TRUE(text_ok.ok()) << text_ok.status();
  EXPECT_EQ(ParseTlogProof(*text_ok).value(), proof);
  proof.checkpoint = "garbage";
  EXPECT_EQ(FormatTlogProof(proof).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace traceport::ledger
