// traceport_ledger_bench: the ledger's performance goals (issue 4), each beside a reference
// measured in the same run:
//
//   durable-appends-256B   entries/s through Log (one fsync per batch), vs raw SQLite batched
//                          inserts of the same rows with the same durability on the same disk
//   ack-latency-10k        acknowledgement latency (p50/p99/max) at 10,000 entries/s offered
//   inclusion-proofs       proofs generated per second from the stored tiles
//   receipt-verify         VerifyTlogProof of a receipt, vs a bare Ed25519 verify of the
//                          checkpoint signature (libsodium)
//   mirror-1M              `traceport mirror` of a 1,000,000-entry log from a local node over
//                          HTTP (fetch, recompute, verify, store)
//
// Options (environment): TRACEPORT_LEDGER_BENCH_ENTRIES (default 400000) entries for the
// append run; TRACEPORT_BENCH_DIR where the databases go (default: the temp directory);
// TRACEPORT_BENCH_ENFORCE=1 exits non-zero when a goal is missed.
#include <sodium.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <thread>
#include <vector>

#include "common/testing/bench.h"
#include "common/testing/fake_random.h"
#include "crypto/random.h"
#include "ledger/entry.h"
#include "ledger/http_api.h"
#include "ledger/log.h"
#include "ledger/mirror.h"
#include "ledger/sqlite_storage.h"
#include "ledger/verify/checkpoint.h"
#include "ledger/verify/note.h"
#include "ledger/verify/tlog_proof.h"
#include "net/http_client.h"
#include "net/http_server.h"

namespace traceport::ledger {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using testing::DoNotOptimize;

constexpr const char* kOrigin = "bench.traceport.example/ledger";
int missed = 0;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "ledger_bench: %s\n", what.c_str());
  std::exit(2);
}

template <typename T>
T Must(Result<T> r, const char* what) {
  if (!r.ok()) Die(std::string(what) + ": " + r.status().ToString());
  return std::move(r).value();
}

void Goal(const char* name, bool met, const std::string& text) {
  std::printf("bench %s: %s%s\n", name, text.c_str(), met ? "" : "  [below goal]");
  if (!met) ++missed;
}

// A canonical event.recorded entry of exactly 256 bytes, distinct per i.
std::string Entry256(uint64_t i) {
  std::string id = "urn:uuid:" + std::to_string(i);
  nlohmann::json e =
      EventRecorded(id, "ObjectEvent", DigestOf(std::to_string(i)), "2026-11-27T10:00:00Z");
  const size_t base = Must(CanonicalEntry(e), "entry").size();
  if (base < 256) e["event_id"] = id + ":" + std::string(256 - base - 1, 'p');
  std::string c = Must(CanonicalEntry(e), "entry");
  if (c.size() != 256) Die("entry is " + std::to_string(c.size()) + " bytes, not 256");
  return c;
}

fs::path FreshDir(const fs::path& base, const std::string& name) {
  fs::path p = base / name;
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

std::unique_ptr<Log> OpenLog(const fs::path& dir, const NoteSigner& signer, LogOptions options) {
  options.origin = kOrigin;
  auto storage = Must(SqliteStorage::Open(dir), "open storage");
  return Must(Log::Open(std::move(storage), signer.Clone(), std::move(options), SystemClock()),
              "open log");
}

// Appends all entries through AppendAsync (retrying when the pool is full) and returns the
// seconds from the first submission to the last acknowledgement.
double AppendAll(Log& log, const std::vector<std::string>& entries) {
  std::atomic<uint64_t> acked{0};
  const auto start = Clock::now();
  for (const std::string& e : entries) {
    for (;;) {
      Status s = log.AppendAsync(e, [&](Result<uint64_t> r) {
        if (!r.ok()) Die("append failed: " + r.status().ToString());
        acked.fetch_add(1, std::memory_order_relaxed);
      });
      if (s.ok()) break;
      if (s.code() != StatusCode::kResourceExhausted) Die(s.ToString());
      std::this_thread::yield();
    }
  }
  while (acked.load() < entries.size()) std::this_thread::sleep_for(std::chrono::microseconds(50));
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The same rows straight into SQLite: same durability (WAL, synchronous=FULL), one
// transaction per `batch` rows, one prepared INSERT.
double RawSqlite(const fs::path& dir, const std::vector<std::string>& entries, size_t batch) {
  sqlite3* db = nullptr;
  if (sqlite3_open((dir / "raw.db").c_str(), &db) != SQLITE_OK) Die("raw sqlite open");
  sqlite3_exec(db, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr);
  sqlite3_exec(db, "PRAGMA synchronous=FULL", nullptr, nullptr, nullptr);
  sqlite3_exec(db, "CREATE TABLE entries(idx INTEGER PRIMARY KEY, data BLOB NOT NULL)", nullptr,
               nullptr, nullptr);
  sqlite3_stmt* ins = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO entries(idx, data) VALUES (?1, ?2)", -1, &ins, nullptr);
  const auto start = Clock::now();
  for (size_t i = 0; i < entries.size();) {
    sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    const size_t end = std::min(entries.size(), i + batch);
    for (; i < end; ++i) {
      sqlite3_bind_int64(ins, 1, static_cast<int64_t>(i));
      sqlite3_bind_blob(ins, 2, entries[i].data(), static_cast<int>(entries[i].size()),
                        SQLITE_STATIC);
      if (sqlite3_step(ins) != SQLITE_DONE) Die("raw insert");
      sqlite3_reset(ins);
    }
    if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) Die("raw commit");
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  sqlite3_finalize(ins);
  sqlite3_close(db);
  return seconds;
}

int Run() {
  if (sodium_init() < 0) Die("sodium_init");
  const char* dir_env = std::getenv("TRACEPORT_BENCH_DIR");
  const fs::path base = fs::path(dir_env ? dir_env : fs::temp_directory_path().string()) /
                        ("traceport-ledger-bench-" + std::to_string(::getpid()));
  const char* n_env = std::getenv("TRACEPORT_LEDGER_BENCH_ENTRIES");
  const size_t n = n_env ? std::strtoull(n_env, nullptr, 10) : 400000;
  testing::FakeRandom random(11);
  const NoteSigner signer = Must(NoteSigner::Generate(kOrigin, random), "signer");

  std::vector<std::string> entries;
  entries.reserve(n);
  for (size_t i = 0; i < n; ++i) entries.push_back(Entry256(i));
  std::printf("bench input: %zu entries of 256 bytes, databases under %s\n", n, base.c_str());

  // 1. Durable appends: two rounds each, interleaved, best of each.
  double ours_best = 1e300, raw_best = 1e300;
  fs::path last_log_dir;
  for (int round = 0; round < 2; ++round) {
    const fs::path raw_dir = FreshDir(base, "raw" + std::to_string(round));
    raw_best = std::min(raw_best, RawSqlite(raw_dir, entries, 8192));
    fs::remove_all(raw_dir);
    last_log_dir = FreshDir(base, "log" + std::to_string(round));
    auto log = OpenLog(last_log_dir, signer, {});
    ours_best = std::min(ours_best, AppendAll(*log, entries));
    if (log->Size() != n) Die("log size mismatch");
    log.reset();
    if (round == 0) fs::remove_all(last_log_dir);
  }
  const double ours_rate = n / ours_best, raw_rate = n / raw_best;
  std::printf(
      "bench durable-appends-256B: %.0f entries/s (raw SQLite batched inserts, 8192 per "
      "transaction, same durability: %.0f rows/s; ratio %.3f)\n",
      ours_rate, raw_rate, ours_rate / raw_rate);
  Goal("durable-appends-256B", ours_rate >= 200000,
       "goal >= 200000 entries/s, measured " + std::to_string(static_cast<long>(ours_rate)));

  // 2. Acknowledgement latency at 10,000 entries/s offered, for 3 seconds.
  {
    const fs::path dir = FreshDir(base, "latency");
    auto log = OpenLog(dir, signer, {});
    constexpr size_t kCount = 30000;
    std::vector<double> latency_ms(kCount, -1);
    std::atomic<size_t> acked{0};
    const auto start = Clock::now();
    for (size_t i = 0; i < kCount; ++i) {
      const auto due = start + std::chrono::microseconds(100 * i);
      std::this_thread::sleep_until(due);
      const auto sent = Clock::now();
      Status s = log->AppendAsync(entries[i % entries.size()], [&, i, sent](Result<uint64_t> r) {
        if (!r.ok()) Die("append failed");
        latency_ms[i] = std::chrono::duration<double, std::milli>(Clock::now() - sent).count();
        acked.fetch_add(1);
      });
      if (!s.ok()) Die("latency run refused an append: " + s.ToString());
    }
    while (acked.load() < kCount) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    const double offered = kCount / std::chrono::duration<double>(Clock::now() - start).count();
    std::sort(latency_ms.begin(), latency_ms.end());
    const double p50 = latency_ms[kCount / 2], p99 = latency_ms[kCount * 99 / 100],
                 max = latency_ms.back();
    std::printf(
        "bench ack-latency-10k: %.0f entries/s offered, p50 %.2f ms, p99 %.2f ms, "
        "max %.2f ms\n",
        offered, p50, p99, max);
    char text[96];
    std::snprintf(text, sizeof text, "goal p99 <= 25 ms, measured %.2f ms", p99);
    Goal("ack-latency-10k", p99 <= 25, text);
    log.reset();
    fs::remove_all(dir);
  }

  // 3. Inclusion proofs from the stored tiles of the n-entry log.
  auto log = OpenLog(last_log_dir, signer, {});
  {
    std::mt19937_64 rng(5);
    const uint64_t size = log->Size();
    auto run = [&](double seconds) {
      uint64_t count = 0;
      const auto start = Clock::now();
      const auto until = start + std::chrono::duration<double>(seconds);
      while (Clock::now() < until) {
        for (int k = 0; k < 256; ++k) {
          auto p = log->InclusionProof(rng() % size, size);
          if (!p.ok()) Die(p.status().ToString());
          DoNotOptimize(p->size());
        }
        count += 256;
      }
      return count / std::chrono::duration<double>(Clock::now() - start).count();
    };
    const double cold = run(0.5);
    const double warm = run(2.0);
    std::printf(
        "bench inclusion-proofs: %.0f proofs/s over a %llu-entry log (first 0.5 s, "
        "cache filling: %.0f/s)\n",
        warm, static_cast<unsigned long long>(size), cold);
    Goal("inclusion-proofs", warm >= 200000,
         "goal >= 200000 proofs/s, measured " + std::to_string(static_cast<long>(warm)));
  }

  // 4. Receipt verification against the bare signature check it cannot avoid.
  {
    const StoredCheckpoint cp = Must(log->SignCheckpoint(), "checkpoint");
    const uint64_t index = cp.size / 3;
    const std::string receipt = Must(log->Receipt(index), "receipt");
    const Hash leaf = LeafHash(entries[index]);
    const NoteVerifier verifier = signer.Verifier();
    const Note note = Must(ParseNote(cp.note), "note");
    const auto pk = verifier.public_key().bytes();
    const std::vector<uint8_t> sig = note.signatures[0].signature;
    if (crypto_sign_verify_detached(sig.data(), reinterpret_cast<const uint8_t*>(note.text.data()),
                                    note.text.size(), pk.data()) != 0) {
      Die("bare verify of the checkpoint signature failed");
    }
    testing::PairedBench::Options opts;
    opts.max_ratio = 1 / 0.8;
    if (const char* r = std::getenv("TRACEPORT_BENCH_ROUNDS")) opts.rounds = std::atoi(r);
    testing::PairedBench bench(opts);
    const double ratio = bench.Compare(
        "receipt-verify", "bare Ed25519 verify of the checkpoint signature",
        [&] {
          auto v = VerifyTlogProof(receipt, leaf, kOrigin, verifier, {}, 0);
          if (!v.ok()) Die(v.status().ToString());
          DoNotOptimize(v->index);
        },
        [&] {
          DoNotOptimize(crypto_sign_verify_detached(
              sig.data(), reinterpret_cast<const uint8_t*>(note.text.data()), note.text.size(),
              pk.data()));
        });
    char text[96];
    std::snprintf(text, sizeof text, "throughput %.3f x bare Ed25519 verify (goal >= 0.8)",
                  1 / ratio);
    Goal("receipt-verify", 1 / ratio >= 0.8, text);
  }
  // 5. Mirror a 1,000,000-entry log from a local node over HTTP.
  {
    constexpr uint64_t kMirrorEntries = 1000000;
    for (uint64_t i = log->Size(); i < kMirrorEntries;) {
      std::vector<std::string> more;
      for (; i < kMirrorEntries && more.size() < 100000; ++i) more.push_back(Entry256(i));
      AppendAll(*log, more);
    }
    const StoredCheckpoint cp = Must(log->SignCheckpoint(), "checkpoint");
    net::HttpServer server;
    MountLedgerApi(server, *log);
    if (Status s = server.Start(); !s.ok()) Die(s.ToString());
    const std::string prefix = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
    std::unique_ptr<net::HttpClient> http = net::NewCurlHttpClient();
    MirrorFetch fetch = [&](const std::string& path) -> Result<std::string> {
      net::FetchOptions fo;
      fo.https_only = false;
      fo.max_bytes = 64u << 20;
      ASSIGN_OR_RETURN(net::HttpResponse r, http->Get(prefix + path, fo));
      if (r.status != 200)
        return UnavailableError(prefix + path + ": HTTP " + std::to_string(r.status));
      return std::move(r.body);
    };
    const fs::path mirror_dir = FreshDir(base, "mirror");
    auto storage = Must(SqliteStorage::Open(mirror_dir), "mirror storage");
    MirrorOptions mo;
    mo.origin = kOrigin;
    const auto start = Clock::now();
    const MirrorResult r = Must(MirrorOnce(*storage, fetch, signer.Verifier(), mo), "mirror");
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    server.Stop();
    if (r.size != cp.size) Die("mirror size mismatch");
    std::printf("bench mirror-1M: %llu entries mirrored and verified in %.2f s (%.0f entries/s)\n",
                static_cast<unsigned long long>(r.size), seconds, r.size / seconds);
    char text[96];
    std::snprintf(text, sizeof text, "goal <= 30 s for 1,000,000 entries, measured %.2f s",
                  seconds);
    Goal("mirror-1M", seconds <= 30, text);
  }
  log.reset();
  fs::remove_all(base);
  if (missed > 0 && std::getenv("TRACEPORT_BENCH_ENFORCE")) return 1;
  return 0;
}

}  // namespace
}  // namespace traceport::ledger

int main() { return traceport::ledger::Run(); }
