#include "ledger/mirror.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <optional>

#include "common/testing/fake_clock.h"
#include "common/testing/fake_random.h"
#include "ledger/audit.h"
#include "ledger/entry.h"
#include "ledger/log.h"
#include "ledger/sqlite_storage.h"
#include "ledger/verify/tiles.h"

namespace traceport::ledger {
namespace {

namespace fs = std::filesystem;
constexpr const char* kOrigin = "source.example/ledger";

fs::path TempPath(const std::string& name) {
  static std::atomic<int> counter{0};
  fs::path p = fs::temp_directory_path() / ("traceport_mirror_test_" + std::to_string(::getpid()) +
                                            "_" + std::to_string(counter++) + "_" + name);
  fs::remove_all(p);
  return p;
}

nlohmann::json Event(uint64_t i, int variant = 0) {
  return EventRecorded("urn:uuid:m-" + std::to_string(i) + "-" + std::to_string(variant),
                       "ObjectEvent", DigestOf(std::to_string(i)), "2026-11-27T10:00:00Z");
}

// What an HTTP mirror would GET, served straight from a Log.
// With `fail_from`, bundles from that index on fail as if the connection dropped.
MirrorFetch FetchFrom(Log& log, std::optional<uint64_t> fail_from = std::nullopt) {
  return [&log, fail_from](const std::string& path) -> Result<std::string> {
    if (path == "checkpoint") {
      ASSIGN_OR_RETURN(StoredCheckpoint cp, log.LatestCheckpoint());
      return cp.note;
    }
    ASSIGN_OR_RETURN(TilePath tp, ParseTilePath(path));
    if (fail_from && tp.index >= *fail_from) return UnavailableError("connection reset (test)");
    if (!tp.entries) return NotFoundError("not served in this test");
    return log.EntryBundle(tp.index, tp.width);
  };
}

class MirrorTest : public ::testing::Test {
 protected:
  MirrorTest()
      : random_(9),
        clock_(FromUnixSeconds(1795000000)),
        source_dir_(TempPath("source")),
        mirror_dir_(TempPath("mirror")),
        signer_(*NoteSigner::Generate(kOrigin, random_)) {}
  ~MirrorTest() override {
    source_.reset();
    fs::remove_all(source_dir_);
    fs::remove_all(mirror_dir_);
  }

  std::unique_ptr<Log> OpenSource(const fs::path& dir) {
    LogOptions o;
    o.origin = kOrigin;
    o.checkpoint_interval = std::chrono::milliseconds(0);
    return std::move(*Log::Open(std::move(*SqliteStorage::Open(dir)), signer_.Clone(), o, clock_));
  }

  void Append(Log& log, uint64_t from, uint64_t to, int variant = 0) {
    for (uint64_t i = from; i < to; ++i) ASSERT_TRUE(log.Append(Event(i, variant)).ok());
    ASSERT_TRUE(log.SignCheckpoint().ok());
  }

  Result<MirrorResult> Mirror(Log& log, std::optional<uint64_t> fail_from = std::nullopt) {
    auto storage = SqliteStorage::Open(mirror_dir_);
    if (!storage.ok()) return storage.status();
    MirrorOptions o;
    o.origin = kOrigin;
    o.bundles_per_commit = 2;
    return MirrorOnce(**storage, FetchFrom(log, fail_from), signer_.Verifier(), o);
  }

  void ExpectMirrorAudits(uint64_t size, const Hash& root) {
    auto storage = SqliteStorage::OpenReadOnly(mirror_dir_);
    ASSERT_TRUE(storage.ok());
    auto report = AuditLedger(**storage, kOrigin, signer_.Verifier());
    ASSERT_TRUE(report.ok()) << report.status();
    EXPECT_TRUE(report->ok) << report->problem;
    EXPECT_EQ(report->entries, size);
    EXPECT_EQ(report->root, root);
  }

  testing::FakeRandom random_;
  testing::FakeClock clock_;
  fs::path source_dir_, mirror_dir_;
  NoteSigner signer_;
  std::unique_ptr<Log> source_;
};

TEST_F(MirrorTest, CopiesVerifiesAndResumes) {
  source_ = OpenSource(source_dir_);
  Append(*source_, 0, 700);
  auto r = Mirror(*source_);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->size, 700u);
  EXPECT_EQ(r->fetched, 700u);
  ExpectMirrorAudits(700, source_->Root());
  // Nothing new: nothing fetched.
  r = Mirror(*source_);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->fetched, 0u);
  // More entries, starting inside a partial bundle.
  Append(*source_, 700, 1100);
  r = Mirror(*source_);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->fetched, 400u);
  ExpectMirrorAudits(1100, source_->Root());
}

TEST_F(MirrorTest, ResumesAfterAnInterruption) {
  source_ = OpenSource(source_dir_);
  Append(*source_, 0, 2000);
  auto r = Mirror(*source_, /*fail_from=*/5);  // bundles 0..4 arrive, then the network fails
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  r = Mirror(*source_);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->fetched, 2000u - 5 * 256);  // the five bundles that arrived were kept
  EXPECT_EQ(r->size, 2000u);
  ExpectMirrorAudits(2000, source_->Root());
}

TEST_F(MirrorTest, RefusesALogThatForked) {
  source_ = OpenSource(source_dir_);
  Append(*source_, 0, 300);
  ASSERT_TRUE(Mirror(*source_).ok());
  // The same key signs a different history: same first 100 entries, then others.
  const fs::path fork_dir = TempPath("fork");
  {
    auto fork = OpenSource(fork_dir);
    Append(*fork, 0, 100);
    Append(*fork, 100, 200, /*variant=*/1);
    // A smaller tree whose root is not our prefix.
    auto r = Mirror(*fork);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kDataLoss);
    EXPECT_NE(r.status().message().find("forked"), std::string::npos) << r.status();
    // A larger tree that rewrites mirrored entries.
    Append(*fork, 200, 400, 1);
    r = Mirror(*fork);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kDataLoss) << r.status();
  }
  fs::remove_all(fork_dir);
  // The mirror still holds the honest log, intact.
  ExpectMirrorAudits(300, source_->Root());
}

TEST_F(MirrorTest, RefusesAnUnsignedOrForeignCheckpoint) {
  source_ = OpenSource(source_dir_);
  Append(*source_, 0, 10);
  auto storage = SqliteStorage::Open(mirror_dir_);
  ASSERT_TRUE(storage.ok());
  MirrorOptions o;
  o.origin = "other.example/ledger";
  EXPECT_FALSE(MirrorOnce(**storage, FetchFrom(*source_), signer_.Verifier(), o).ok());
  o.origin = kOrigin;
  const NoteSigner stranger = *NoteSigner::Generate(kOrigin, random_);
  EXPECT_FALSE(MirrorOnce(**storage, FetchFrom(*source_), stranger.Verifier(), o).ok());
}

}  // namespace
}  // namespace traceport::ledger
