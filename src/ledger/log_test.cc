#include "ledger/log.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <random>
#include <thread>

#include "common/testing/fake_clock.h"
#include "common/testing/fake_random.h"
#include "ledger/audit.h"
#include "ledger/entry.h"
#include "ledger/ledger_dir.h"
#include "ledger/sqlite_storage.h"
#include "ledger/verify/checkpoint.h"
#include "ledger/verify/tiles.h"
#include "ledger/verify/tlog_proof.h"

namespace traceport::ledger {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kOrigin = "test.traceport.example/ledger";

class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() / ("traceport_ledger_test_" + std::to_string(::getpid()) +
                                         "_" + std::to_string(counter++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

json Event(uint64_t i) {
  return EventRecorded("urn:uuid:00000000-0000-4000-8000-" + std::to_string(100000000000 + i),
                       "ObjectEvent", DigestOf(std::to_string(i)), "2026-11-27T10:00:00Z");
}

std::string Canonical(uint64_t i) { return *CanonicalEntry(Event(i)); }

class LogTest : public ::testing::Test {
 protected:
  LogTest() : random_(7), clock_(FromUnixSeconds(1795000000)) {
    auto signer = NoteSigner::Generate(kOrigin, random_);
    EXPECT_TRUE(signer.ok());
    skey_ = signer->SignerKey();
  }

  NoteSigner Signer() const { return *NoteSigner::FromSignerKey(skey_); }
  NoteVerifier Verifier() const { return Signer().Verifier(); }

  std::unique_ptr<Log> OpenLog(LogOptions options = {}) {
    options.origin = kOrigin;
    auto storage = SqliteStorage::Open(dir_.path());
    EXPECT_TRUE(storage.ok()) << storage.status();
    auto log = Log::Open(std::move(*storage), Signer(), std::move(options), clock_);
    EXPECT_TRUE(log.ok()) << log.status();
    return log.ok() ? std::move(*log) : nullptr;
  }

  TempDir dir_;
  testing::FakeRandom random_;
  testing::FakeClock clock_;
  std::string skey_;
};

TEST_F(LogTest, AppendsProofsAndCheckpoints) {
  LogOptions options;
  options.checkpoint_interval = std::chrono::milliseconds(0);
  auto log = OpenLog(options);
  ASSERT_NE(log, nullptr);
  std::vector<Hash> leaves;
  for (uint64_t i = 0; i < 700; ++i) {
    auto index = log->Append(Event(i));
    ASSERT_TRUE(index.ok()) << index.status();
    EXPECT_EQ(*index, i);
    leaves.push_back(LeafHash(Canonical(i)));
  }
  EXPECT_EQ(log->Size(), 700u);
  EXPECT_EQ(log->Root(), RootFromLeafHashes(leaves));
  for (uint64_t size : {1u, 2u, 255u, 256u, 257u, 511u, 512u, 700u}) {
    auto root = log->RootAt(size);
    ASSERT_TRUE(root.ok()) << root.status();
    EXPECT_EQ(*root, RootFromLeafHashes(std::span(leaves).first(size)));
    for (uint64_t index : {uint64_t{0}, size / 2, size - 1}) {
      auto proof = log->InclusionProof(index, size);
      ASSERT_TRUE(proof.ok()) << proof.status();
      EXPECT_TRUE(VerifyInclusion(index, size, leaves[index], *proof, *root).ok());
    }
    for (uint64_t old : {uint64_t{1}, size / 3 + 1, size}) {
      auto proof = log->ConsistencyProof(old, size);
      ASSERT_TRUE(proof.ok()) << proof.status();
      EXPECT_TRUE(VerifyConsistency(old, size, *proof, *log->RootAt(old), *root).ok());
    }
  }
  // The tile cache gives the same proofs as reading the tiles directly, for every index.
  LogReader uncached(log->storage(), log->Size());
  for (uint64_t size : {300u, 513u, 700u}) {
    for (uint64_t index = 0; index < size; ++index) {
      ASSERT_EQ(*log->InclusionProof(index, size), *uncached.InclusionProof(index, size))
          << index << " in " << size;
    }
  }
  EXPECT_EQ(log->InclusionProof(700, 700).status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(log->RootAt(701).status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(log->Entry(700).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(*log->Entry(5), Canonical(5));

  // No checkpoint yet: receipts are refused with a reason.
  EXPECT_EQ(log->Receipt(3).status().code(), StatusCode::kFailedPrecondition);
  auto cp = log->SignCheckpoint();
  ASSERT_TRUE(cp.ok()) << cp.status();
  EXPECT_EQ(cp->size, 700u);
  auto opened = OpenCheckpoint(cp->note, kOrigin, Verifier());
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(opened->checkpoint.root_hash, log->Root());
  // Signing again without new entries returns the same checkpoint.
  EXPECT_EQ(log->SignCheckpoint()->note, cp->note);

  // A receipt verifies offline with the log key alone, and binds the entry.
  auto receipt = log->Receipt(300);
  ASSERT_TRUE(receipt.ok()) << receipt.status();
  const NoteVerifier v = Verifier();
  auto verified = VerifyTlogProof(*receipt, LeafHash(Canonical(300)), kOrigin, v, {}, 0);
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->index, 300u);
  EXPECT_FALSE(VerifyTlogProof(*receipt, LeafHash(Canonical(301)), kOrigin, v, {}, 0).ok());
  auto parsed = ParseTlogProof(*receipt);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(std::string(parsed->extra.begin(), parsed->extra.end()), Canonical(300));

  // Tiles and bundles for the read API.
  EXPECT_EQ(log->Tile(0, 0, 256)->size(), 256u * 32);
  EXPECT_EQ(log->Tile(0, 2, 188)->size(), 188u * 32);
  EXPECT_EQ(log->Tile(0, 2, 100)->size(), 100u * 32);  // an earlier checkpoint's partial tile
  EXPECT_EQ(log->Tile(0, 2, 189).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(log->Tile(1, 0, 2)->size(), 64u);
  EXPECT_EQ(log->Tile(1, 0, 3).status().code(), StatusCode::kNotFound);
  auto bundle = log->EntryBundle(1, 256);
  ASSERT_TRUE(bundle.ok());
  auto entries = ParseEntryBundle(*bundle);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 256u);
  EXPECT_EQ((*entries)[0], Canonical(256));
  EXPECT_EQ(log->EntryBundle(2, 189).status().code(), StatusCode::kNotFound);
}

TEST_F(LogTest, ConcurrentAppendersGetDistinctDurableIndexes) {
  auto log = OpenLog();
  ASSERT_NE(log, nullptr);
  constexpr int kThreads = 8, kPerThread = 300;
  std::vector<std::vector<uint64_t>> got(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int k = 0; k < kPerThread; ++k) {
        auto r = log->AppendCanonical(Canonical(t * 1000 + k));
        if (r.ok()) got[t].push_back(*r);
      }
    });
  }
  for (auto& th : threads) th.join();
  std::vector<bool> seen(kThreads * kPerThread, false);
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_EQ(got[t].size(), static_cast<size_t>(kPerThread));
    for (size_t k = 0; k < got[t].size(); ++k) {
      ASSERT_LT(got[t][k], seen.size());
      EXPECT_FALSE(seen[got[t][k]]);
      seen[got[t][k]] = true;
      EXPECT_EQ(*log->Entry(got[t][k]), Canonical(t * 1000 + k));
    }
  }
}

TEST_F(LogTest, CheckpointThreadSignsWhileThereIsNewData) {
  LogOptions options;
  options.checkpoint_interval = std::chrono::milliseconds(20);
  std::atomic<int> published{0};
  options.on_checkpoint = [&](uint64_t, const std::string&) { ++published; };
  auto log = OpenLog(options);
  ASSERT_NE(log, nullptr);
  ASSERT_TRUE(log->Append(Event(1)).ok());
  auto cp = log->WaitForCheckpoint(0, std::chrono::milliseconds(5000));
  ASSERT_TRUE(cp.ok()) << cp.status();
  EXPECT_EQ(cp->size, 1u);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(published.load(), 1);  // nothing new, nothing signed
  ASSERT_TRUE(log->Append(Event(2)).ok());
  ASSERT_TRUE(log->WaitForCheckpoint(1, std::chrono::milliseconds(5000)).ok());
  // The hook runs just after the checkpoint becomes visible.
  for (int i = 0; i < 100 && published.load() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(published.load(), 2);
  EXPECT_EQ(log->WaitForCheckpoint(5, std::chrono::milliseconds(30)).status().code(),
            StatusCode::kDeadlineExceeded);
}

TEST_F(LogTest, RecoversAfterReopen) {
  Hash root;
  std::string note;
  {
    auto log = OpenLog();
    ASSERT_NE(log, nullptr);
    for (uint64_t i = 0; i < 300; ++i) ASSERT_TRUE(log->Append(Event(i)).ok());
    note = log->SignCheckpoint()->note;
    for (uint64_t i = 300; i < 333; ++i) ASSERT_TRUE(log->Append(Event(i)).ok());
    root = log->Root();
  }
  auto log = OpenLog();
  ASSERT_NE(log, nullptr);
  EXPECT_EQ(log->Size(), 333u);
  EXPECT_EQ(log->Root(), root);
  // The destructor signed a final checkpoint for the new entries.
  EXPECT_EQ(log->LatestCheckpoint()->size, 333u);
  EXPECT_EQ(*log->Append(Event(333)), 333u);
  // A second writer on the same directory is refused.
  auto second = SqliteStorage::Open(dir_.path());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(LogTest, BackPressureRefusesWhenThePoolIsFull) {
  LogOptions options;
  options.max_pending_entries = 4;
  options.batch_linger = std::chrono::milliseconds(300);  // hold the first batch back
  options.max_batch_entries = 1000;
  auto log = OpenLog(options);
  ASSERT_NE(log, nullptr);
  std::atomic<int> acked{0};
  int refused = 0;
  for (int i = 0; i < 10; ++i) {
    Status s = log->AppendAsync(Canonical(i), [&](Result<uint64_t> r) {
      if (r.ok()) ++acked;
    });
    if (!s.ok()) {
      EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
      EXPECT_NE(s.message().find("pool is full"), std::string::npos);
      ++refused;
    }
  }
  EXPECT_EQ(refused, 6);
  log.reset();  // drains: every accepted entry is acknowledged
  EXPECT_EQ(acked.load(), 4);
}

TEST_F(LogTest, RefusesOversizeEntries) {
  auto log = OpenLog();
  ASSERT_NE(log, nullptr);
  auto r = log->AppendCanonical(std::string(kMaxEntrySize + 1, 'x'));
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(log->Size(), 0u);
}

TEST_F(LogTest, RefusesToOpenATamperedTail) {
  {
    auto log = OpenLog();
    for (uint64_t i = 0; i < 40; ++i) ASSERT_TRUE(log->Append(Event(i)).ok());
  }
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_.path() / "ledger.db").c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db,
                           "UPDATE entries SET data = CAST(replace(CAST(data AS TEXT), "
                           "'ObjectEvent', 'ObjectEvenT') AS BLOB) WHERE idx = 17",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  LogOptions options;
  options.origin = kOrigin;
  auto storage = SqliteStorage::Open(dir_.path());
  ASSERT_TRUE(storage.ok());
  auto log = Log::Open(std::move(*storage), Signer(), options, clock_);
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(log.status().message().find("entry 17"), std::string::npos) << log.status();
}

// Builds a ledger, then flips one byte of the stored data at a time — an entry, a tile, the
// tree state or a checkpoint, chosen at random — and checks that the audit catches every flip.
TEST_F(LogTest, AuditDetectsEveryFlippedByte) {
  {
    LogOptions options;
    options.checkpoint_interval = std::chrono::milliseconds(0);
    auto log = OpenLog(options);
    for (uint64_t i = 0; i < 300; ++i) {
      ASSERT_TRUE(log->Append(Event(i)).ok());
      if (i == 99 || i == 259) {
        ASSERT_TRUE(log->SignCheckpoint().ok());
      }
    }
  }
  const NoteVerifier verifier = Verifier();
  {
    auto storage = SqliteStorage::OpenReadOnly(dir_.path());
    ASSERT_TRUE(storage.ok());
    auto clean = AuditLedger(**storage, kOrigin, verifier);
    ASSERT_TRUE(clean.ok()) << clean.status();
    ASSERT_TRUE(clean->ok) << clean->problem;
    EXPECT_EQ(clean->entries, 300u);
    EXPECT_EQ(clean->checkpoints, 3u);  // two signed, one by the destructor
    EXPECT_EQ(clean->tiles, 3u);        // level 0: one full, one partial; level 1: partial
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_.path() / "ledger.db").c_str(), &db), SQLITE_OK);
  struct Target {
    const char* table;
    const char* column;
    const char* key;
  };
  const Target targets[] = {{"entries", "data", "idx"},
                            {"tiles", "hashes", "rowid"},
                            {"state", "edge", "id"},
                            {"checkpoints", "note", "size"}};
  std::mt19937_64 rng(20261127);
  int detected = 0;
  constexpr int kTrials = 1000;
  for (int trial = 0; trial < kTrials; ++trial) {
    const Target& t = targets[rng() % std::size(targets)];
    // Pick a random row and a random byte of its blob.
    const std::string pick =
        std::string("SELECT ") +
        (std::string(t.table) == "tiles" ? "level || ',' || idx" : std::string(t.key)) +
        ", length(" + t.column + ") FROM " + t.table + " ORDER BY random() LIMIT 1";
    sqlite3_stmt* s = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, pick.c_str(), -1, &s, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
    const std::string key = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    const int length = sqlite3_column_int(s, 1);
    sqlite3_finalize(s);
    if (length == 0) {
      --trial;
      continue;
    }
    const int offset = static_cast<int>(rng() % static_cast<uint64_t>(length));
    const int bit = static_cast<int>(rng() % 8);
    std::string where;
    if (std::string(t.table) == "tiles") {
      const size_t comma = key.find(',');
      where = "level = " + key.substr(0, comma) + " AND idx = " + key.substr(comma + 1);
    } else {
      where = std::string(t.key) + " = " + key;
    }
    // Read, flip and write back the blob.
    auto flip = [&] {
      const std::string read =
          std::string("SELECT ") + t.column + " FROM " + t.table + " WHERE " + where;
      sqlite3_stmt* r = nullptr;
      ASSERT_EQ(sqlite3_prepare_v2(db, read.c_str(), -1, &r, nullptr), SQLITE_OK);
      ASSERT_EQ(sqlite3_step(r), SQLITE_ROW);
      std::string blob(static_cast<const char*>(sqlite3_column_blob(r, 0)),
                       static_cast<size_t>(sqlite3_column_bytes(r, 0)));
      sqlite3_finalize(r);
      blob[static_cast<size_t>(offset)] ^= static_cast<char>(1 << bit);
      const std::string write =
          std::string("UPDATE ") + t.table + " SET " + t.column + " = ?1 WHERE " + where;
      sqlite3_stmt* w = nullptr;
      ASSERT_EQ(sqlite3_prepare_v2(db, write.c_str(), -1, &w, nullptr), SQLITE_OK);
      if (std::string(t.column) == "note") {
        sqlite3_bind_text(w, 1, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
      } else {
        sqlite3_bind_blob(w, 1, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
      }
      ASSERT_EQ(sqlite3_step(w), SQLITE_DONE);
      sqlite3_finalize(w);
    };
    flip();
    {
      auto storage = SqliteStorage::OpenReadOnly(dir_.path());
      ASSERT_TRUE(storage.ok());
      auto report = AuditLedger(**storage, kOrigin, verifier);
      if (!report.ok() || !report->ok) {
        ++detected;
      } else {
        ADD_FAILURE() << "undetected flip in " << t.table << " " << where << " byte " << offset
                      << " bit " << bit;
      }
    }
    flip();  // restore
  }
  sqlite3_close(db);
  EXPECT_EQ(detected, kTrials);
  std::printf("tamper trials: %d of %d flipped bytes detected\n", detected, kTrials);
}

TEST(LedgerDirTest, InitOpenAndRefuseTwice) {
  TempDir dir;
  testing::FakeRandom random(1);
  testing::FakeClock clock(FromUnixSeconds(1795000000));
  auto created = InitLedgerDir(dir.path() / "l", "customs.example/ledger", random);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(InitLedgerDir(dir.path() / "l", "customs.example/ledger", random).status().code(),
            StatusCode::kAlreadyExists);
  EXPECT_FALSE(InitLedgerDir(dir.path() / "m", "bad origin", random).ok());
  EXPECT_EQ(fs::status(dir.path() / "l" / "log.key").permissions() & fs::perms::others_read,
            fs::perms::none);
  auto read = ReadLedgerDir(dir.path() / "l");
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->log_key.Vkey(), created->log_key.Vkey());
  auto log = OpenLedger(dir.path() / "l", {}, clock);
  ASSERT_TRUE(log.ok()) << log.status();
  EXPECT_EQ((*log)->VerifierKey(), created->log_key.Vkey());
  EXPECT_EQ(ReadLedgerDir(dir.path() / "nothing").status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace traceport::ledger
