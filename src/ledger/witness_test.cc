#include "ledger/witness.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "codec/hex.h"
#include "common/testing/fake_clock.h"
#include "common/testing/fake_random.h"
#include "crypto/sha2.h"
#include "ledger/verify/checkpoint.h"

namespace traceport::ledger {
namespace {

namespace fs = std::filesystem;

constexpr const char* kOrigin = "log.example/ledger";

// A toy tree of leaves "0", "1", ... for roots and proofs.
struct Tree {
  std::vector<Hash> leaves;
  explicit Tree(uint64_t n, int salt = 0) {
    for (uint64_t i = 0; i < n; ++i) leaves.push_back(LeafHash(std::to_string(i + salt * 1000000)));
  }
  Hash Root(uint64_t size) const { return RootFromLeafHashes(std::span(leaves).first(size)); }
  std::vector<Hash> Consistency(uint64_t a, uint64_t b) const {
    NodeReader read = [this](uint32_t level, uint64_t index) -> Result<Hash> {
      return RootFromLeafHashes(std::span(leaves).subspan(index << level, uint64_t{1} << level));
    };
    return *ConsistencyProof(a, b, read);
  }
};

class WitnessTest : public ::testing::Test {
 protected:
  WitnessTest()
      : random_(3),
        clock_(FromUnixSeconds(1795000000)),
        dir_(fs::temp_directory_path() / ("traceport_witness_test_" + std::to_string(::getpid()) +
                                          "_" + std::to_string(counter_++))),
        log_signer_(*NoteSigner::Generate(kOrigin, random_)),
        other_signer_(*NoteSigner::Generate(kOrigin, random_)),
        cosigner_(*Cosigner::Generate("witness.example/w1", random_)) {
    fs::remove_all(dir_);
    Reopen();
  }
  ~WitnessTest() override {
    witness_.reset();
    fs::remove_all(dir_);
  }

  void Reopen() {
    witness_.reset();
    WitnessedLog log{kOrigin, {log_signer_.Verifier()}};
    auto w = Witness::Open(dir_, cosigner_.Clone(), {log}, clock_);
    ASSERT_TRUE(w.ok()) << w.status();
    witness_ = std::move(*w);
  }

  std::string Signed(uint64_t size, const Hash& root, const NoteSigner* signer = nullptr,
                     const std::string& origin = kOrigin) {
    Checkpoint cp;
    cp.origin = origin;
    cp.size = size;
    cp.root_hash = root;
    return *SignCheckpoint(cp, signer ? *signer : log_signer_);
  }

  static std::string Body(uint64_t old, const std::vector<Hash>& proof, const std::string& note) {
    std::string b = "old " + std::to_string(old) + "\n";
    for (const Hash& h : proof) b += HashToBase64(h) + "\n";
    return b + "\n" + note;
  }

  static inline std::atomic<int> counter_{0};
  testing::FakeRandom random_;
  testing::FakeClock clock_;
  fs::path dir_;
  NoteSigner log_signer_;
  NoteSigner other_signer_;
  Cosigner cosigner_;
  std::unique_ptr<Witness> witness_;
};

TEST_F(WitnessTest, CosignsAConsistentSequenceAndEachResponseCode) {
  const Tree tree(100);
  // First contact: old 0, no proof.
  const std::string note10 = Signed(10, tree.Root(10));
  WitnessReply r = witness_->AddCheckpoint(Body(0, {}, note10));
  ASSERT_EQ(r.status, 200) << r.body;
  // The reply is a cosignature line that verifies over the checkpoint.
  auto with_cosig = AddSignatures(note10, *ParseSignatureLines(r.body));
  ASSERT_TRUE(with_cosig.ok());
  const CosignatureVerifier cv = cosigner_.Verifier();
  auto opened = OpenCheckpoint(*with_cosig, kOrigin, log_signer_.Verifier(), {&cv});
  ASSERT_TRUE(opened.ok()) << opened.status();
  ASSERT_EQ(opened->cosignatures.size(), 1u);
  EXPECT_EQ(opened->cosignatures[0].timestamp, uint64_t{1795000000});

  // 409: the old size must be what the witness cosigned last; the body says what that is.
  r = witness_->AddCheckpoint(Body(0, {}, Signed(20, tree.Root(20))));
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.body, "10\n");
  EXPECT_EQ(r.content_type, "text/x.tlog.size");
  r = witness_->AddCheckpoint(Body(7, tree.Consistency(7, 20), Signed(20, tree.Root(20))));
  EXPECT_EQ(r.status, 409);

  // 200 with a valid consistency proof; the state advances.
  r = witness_->AddCheckpoint(Body(10, tree.Consistency(10, 20), Signed(20, tree.Root(20))));
  ASSERT_EQ(r.status, 200) << r.body;
  // Same size, same root, empty proof: cosigned again.
  r = witness_->AddCheckpoint(Body(20, {}, Signed(20, tree.Root(20))));
  EXPECT_EQ(r.status, 200) << r.body;

  // 400: malformed requests and old > size.
  EXPECT_EQ(witness_->AddCheckpoint("hello").status, 400);
  EXPECT_EQ(witness_->AddCheckpoint("old 020\n\n" + Signed(30, tree.Root(30))).status, 400);
  EXPECT_EQ(witness_->AddCheckpoint("old 20\nnot-base64\n\n" + Signed(30, tree.Root(30))).status,
            400);
  EXPECT_EQ(witness_->AddCheckpoint("old 20\n" + Signed(30, tree.Root(30))).status, 400);
  EXPECT_EQ(witness_->AddCheckpoint(Body(40, {}, Signed(30, tree.Root(30)))).status, 400);
  std::vector<Hash> long_proof(64, tree.Root(1));
  EXPECT_EQ(witness_->AddCheckpoint(Body(20, long_proof, Signed(30, tree.Root(30)))).status, 400);

  // 404: a log the witness does not follow.
  EXPECT_EQ(
      witness_->AddCheckpoint(Body(0, {}, Signed(5, tree.Root(5), nullptr, "other.example/log")))
          .status,
      404);
  // 403: not signed by a trusted key (another key of the same name), or a bad signature.
  EXPECT_EQ(witness_
                ->AddCheckpoint(
                    Body(20, tree.Consistency(20, 30), Signed(30, tree.Root(30), &other_signer_)))
                .status,
            403);
  std::string forged = Signed(30, tree.Root(30));
  forged[forged.find("\n30\n") + 1] = '4';  // the signed text now says 40
  EXPECT_EQ(witness_->AddCheckpoint(Body(20, tree.Consistency(20, 30), forged)).status, 403);

  // Nothing above moved the state.
  r = witness_->AddCheckpoint(Body(20, tree.Consistency(20, 30), Signed(30, tree.Root(30))));
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(witness_->Evidence()->empty());
}

TEST_F(WitnessTest, RefusesForksAndKeepsEvidence) {
  const Tree tree(64);
  const Tree fork(64, /*salt=*/1);
  ASSERT_EQ(witness_->AddCheckpoint(Body(0, {}, Signed(32, tree.Root(32)))).status, 200);
  // A different tree of the same size, signed by the log: a fork beyond doubt.
  WitnessReply r = witness_->AddCheckpoint(Body(32, {}, Signed(32, fork.Root(32))));
  EXPECT_EQ(r.status, 422);
  // A larger tree that does not extend the cosigned one (its proof is for the fork).
  r = witness_->AddCheckpoint(Body(32, fork.Consistency(32, 64), Signed(64, fork.Root(64))));
  EXPECT_EQ(r.status, 422);
  // Other 422s that are not forks: no evidence for those.
  EXPECT_EQ(witness_->AddCheckpoint(Body(32, {tree.Root(1)}, Signed(32, tree.Root(32)))).status,
            422);
  auto evidence = witness_->Evidence();
  ASSERT_TRUE(evidence.ok());
  ASSERT_EQ(evidence->size(), 2u);
  EXPECT_EQ((*evidence)[0].kind, "same-size-different-root");
  EXPECT_EQ((*evidence)[1].kind, "inconsistent");
  // The evidence holds two checkpoints, both validly signed by the log.
  for (const ForkEvidence& e : *evidence) {
    EXPECT_TRUE(OpenCheckpoint(e.cosigned, kOrigin, log_signer_.Verifier()).ok());
    EXPECT_TRUE(OpenCheckpoint(e.conflicting, kOrigin, log_signer_.Verifier()).ok());
  }
  EXPECT_NE(witness_->EvidenceReply().body.find("same-size-different-root"), std::string::npos);
  // The honest log still gets cosigned.
  EXPECT_EQ(
      witness_->AddCheckpoint(Body(32, tree.Consistency(32, 64), Signed(64, tree.Root(64)))).status,
      200);
  // Evidence and state survive a restart.
  Reopen();
  EXPECT_EQ(witness_->Evidence()->size(), 2u);
  EXPECT_EQ(witness_->AddCheckpoint(Body(0, {}, Signed(64, tree.Root(64)))).body, "64\n");
}

TEST_F(WitnessTest, EmptyTreeRules) {
  EXPECT_EQ(witness_->AddCheckpoint(Body(0, {}, Signed(0, Tree(1).Root(1)))).status, 422);
  EXPECT_EQ(witness_->AddCheckpoint(Body(0, {}, Signed(0, EmptyRoot()))).status, 200);
  const Tree tree(5);
  EXPECT_EQ(witness_->AddCheckpoint(Body(0, {tree.Root(1)}, Signed(5, tree.Root(5)))).status, 422);
}

TEST_F(WitnessTest, ServesTheLatestCosignedCheckpointByOriginHash) {
  const Tree tree(8);
  const std::string hash = codec::HexEncode(crypto::Sha256(std::string_view(kOrigin)));
  EXPECT_EQ(witness_->LatestCheckpoint(hash).status, 404);
  ASSERT_EQ(witness_->AddCheckpoint(Body(0, {}, Signed(8, tree.Root(8)))).status, 200);
  WitnessReply r = witness_->LatestCheckpoint(hash);
  ASSERT_EQ(r.status, 200);
  const CosignatureVerifier cv = cosigner_.Verifier();
  auto opened = OpenCheckpoint(r.body, kOrigin, log_signer_.Verifier(), {&cv});
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(opened->cosignatures.size(), 1u);
  EXPECT_EQ(witness_->LatestCheckpoint("00").status, 404);
}

// Racing requests from the same old size: exactly one wins, the others get 409, and the
// witness never rolls back.
TEST_F(WitnessTest, RacingRequestsNeverRollBack) {
  const Tree tree(200);
  ASSERT_EQ(witness_->AddCheckpoint(Body(0, {}, Signed(10, tree.Root(10)))).status, 200);
  std::atomic<int> ok{0}, conflict{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    const uint64_t size = 20 + 10 * t;
    const std::string body = Body(10, tree.Consistency(10, size), Signed(size, tree.Root(size)));
    threads.emplace_back([&, body] {
      const int s = witness_->AddCheckpoint(body).status;
      if (s == 200) ++ok;
      if (s == 409) ++conflict;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(conflict.load(), 7);
}

}  // namespace
}  // namespace traceport::ledger
