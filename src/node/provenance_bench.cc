// The provenance index at scale (issue 6): trace-back and trace-forward on a node store holding
// 1,000,000 credentials, against raw indexed SELECTs on the same database file.
//
// The store is built in a temporary directory with the node's own code (RecordProvenance, in
// transactions of 1,000 shipments, the node's durability settings) in the shape of real traffic:
// 125,000 submissions of 8 credentials each, four in five steel shipments (mill test report with
// three heats, purchase order, invoice, packing list, bill of lading, SIMA licence, 3461, 7501;
// each heat shared by about two shipments) and one in five crude shipments (the product
// credential of a batch from one of 2,500 wells, five delivery tickets, the delivery statement
// covering them, a delivery schedule). The links are the ones customs::ExtractLinks gives for
// such documents.
//
// Then, single-threaded on a warm store: N random trace-backs (from a random submission) and N
// random trace-forwards (from a heat, a bill of lading, a batch or a well), each timed from call
// to JSON answer, and as the reference N raw lookups of one identifier through the sqlite3 C API
// (prepared once, bind, step, reset) on a second connection. Printed: p50 and p99 of each, the
// ratios to the reference, and the build time. The goal is a p99 of at most 10 ms for both
// traces (absolute, unlike the other benches: it is what an officer waits for).
//
// Options (environment): TRACEPORT_PROVENANCE_BENCH_CREDENTIALS (default 1000000; rounded to
// whole submissions of 8) for quicker runs; TRACEPORT_PROVENANCE_BENCH_TRACES (default 2000);
// TRACEPORT_BENCH_DIR where the store goes; TRACEPORT_BENCH_ENFORCE=1 makes a missed goal fail
// the run.
#include <sqlite3.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "customs/provenance.h"
#include "node/internal/db.h"
#include "node/internal/provenance_index.h"

namespace traceport::node {

int ProvenanceBenchMain();  // called from node_bench.cc's main

namespace {

namespace fs = std::filesystem;
using customs::Link;
using nlohmann::json;
using SteadyClock = std::chrono::steady_clock;

constexpr int kPerShipment = 8;
constexpr int kShipmentsPerTransaction = 1000;
constexpr int kOilEvery = 5;  // every fifth shipment is crude
constexpr int kProductsPerWell = 10;
constexpr int kTickets = 5;
constexpr double kGoalMs = 10.0;
const std::string kOrg = "customs";

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "provenance_bench: %s\n", what.c_str());
  std::exit(2);
}

uint64_t SplitMix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// A deterministic version-4-looking UUID URN for (tag, n), so that ids are as long and as
// random in the b-tree as the real ones.
std::string Urn(uint64_t tag, uint64_t n) {
  const uint64_t hi = SplitMix(tag * 0x100000000ULL + n);
  const uint64_t lo = SplitMix(hi ^ n);
  char buf[64];
  std::snprintf(buf, sizeof buf,
                "urn:uuid:%08" PRIx64 "-%04" PRIx64 "-4%03" PRIx64 "-%04" PRIx64 "-%012" PRIx64,
                hi >> 32, (hi >> 16) & 0xffff, hi & 0xfff, (lo >> 48 & 0x3fff) | 0x8000,
                static_cast<uint64_t>(lo & 0xffffffffffffULL));
  return buf;
}

std::string Num(const char* prefix, int64_t n) { return prefix + std::to_string(n); }

bool IsOil(int64_t shipment) { return shipment % kOilEvery == kOilEvery - 1; }
std::string SubmissionId(int64_t s) { return Urn(1, s); }

// Shipments come in groups of four that draw their three heats from six heats of one melt
// shop, so each heat is in about two shipments (and on their two mill certificates).
std::vector<std::string> Heats(int64_t s) {
  const int64_t group = s / 4;
  std::vector<std::string> heats;
  for (int k = 0; k < 3; ++k) {
    heats.push_back("H" + std::to_string(group) + "-" + std::to_string((s % 4 + k) % 6));
  }
  return heats;
}
std::string Bol(int64_t s) { return Num("MAEU", 100000000 + s); }
std::string Batch(int64_t s) { return Num("BA-2026-", s); }
std::string Well(int64_t s) { return Num("100/", s / kOilEvery / kProductsPerWell) + "-W4/00"; }

struct Doc {
  std::string type;
  std::vector<Link> links;
};

std::vector<Doc> Shipment(int64_t s) {
  std::vector<Doc> docs;
  if (IsOil(s)) {
    const std::string batch = Batch(s);
    docs.push_back(
        {"OilAndGasProductCredential", {{"batch", batch, true}, {"well", Well(s), true}}});
    Doc statement{"DeliveryStatementCredential", {{"batch", batch, false}}};
    for (int t = 0; t < kTickets; ++t) {
      const std::string ticket = Num("T-", s * kTickets + t);
      docs.push_back({"OilAndGasDeliveryTicketCredential",
                      {{"ticket", ticket, true}, {"batch", batch, false}}});
      statement.links.push_back({"ticket", ticket, false});
    }
    docs.push_back(std::move(statement));
    docs.push_back({"DeliveryScheduleCredential", {{"batch", batch, false}}});
    return docs;
  }
  const std::vector<std::string> heats = Heats(s);
  const std::string po = Num("PO-", s), inv = Num("INV-", s), bol = Bol(s), entry = Num("ENT-", s),
                    lic = Num("SIMA-", s), cert = Num("MTR-", s);
  Doc mtr{"MillTestReportCredential", {}};
  for (const std::string& h : heats) mtr.links.push_back({"heat", h, true});
  mtr.links.push_back({"certificate", cert, true});
  mtr.links.push_back({"po", po, false});
  docs.push_back(std::move(mtr));
  docs.push_back({"PurchaseOrderCredential", {{"po", po, true}}});
  Doc invoice{"CommercialInvoiceCredential",
              {{"invoice", inv, true}, {"po", po, false}, {"bol", bol, false}}};
  Doc packing{"PackingListCredential",
              {{"invoice", inv, false}, {"po", po, false}, {"bol", bol, false}}};
  Doc lading{"MultiModalBillOfLadingCredential", {{"bol", bol, true}}};
  for (const std::string& h : heats) {
    invoice.links.push_back({"heat", h, false});
    packing.links.push_back({"heat", h, false});
    lading.links.push_back({"heat", h, false});
  }
  docs.push_back(std::move(invoice));
  docs.push_back(std::move(packing));
  docs.push_back(std::move(lading));
  docs.push_back(
      {"SIMASteelImportLicenseCredential", {{"license", lic, true}, {"entry", entry, false}}});
  docs.push_back({"CBP3461EntryCredential", {{"entry", entry, true}, {"bol", bol, false}}});
  docs.push_back({"CBP7501EntrySummaryCredential",
                  {{"entry", entry, true}, {"bol", bol, false}, {"license", lic, false}}});
  return docs;
}

std::string ReceivedAt(int64_t s) {
  // One shipment every ~20 seconds from 2026-01-01.
  const int64_t t = 20 * s;
  char buf[32];
  std::snprintf(buf, sizeof buf,
                "2026-%02" PRId64 "-%02" PRId64 "T%02" PRId64 ":%02" PRId64 ":%02" PRId64 "Z",
                1 + t / (28 * 86400) % 12, 1 + t / 86400 % 28, t / 3600 % 24, t / 60 % 60, t % 60);
  return buf;
}

struct Stats {
  double p50 = 0, p99 = 0, mean = 0;
};

Stats Summarize(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  Stats s;
  if (v.empty()) return s;
  s.p50 = v[v.size() / 2];
  s.p99 = v[std::min(v.size() - 1, v.size() * 99 / 100)];
  for (double x : v) s.mean += x;
  s.mean /= static_cast<double>(v.size());
  return s;
}

double MsSince(SteadyClock::time_point t0) {
  return std::chrono::duration<double, std::milli>(SteadyClock::now() - t0).count();
}

// This thread's CPU time in milliseconds. On a shared machine the wall-clock tail is mostly
// other processes' time slices; the CPU time is what the trace itself costs.
double ThreadCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

int64_t EnvInt(const char* name, int64_t fallback) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return fallback;
  char* end = nullptr;
  const long long n = std::strtoll(v, &end, 10);
  if (*end != '\0' || n <= 0) Die(std::string(name) + ": expected a positive integer");
  return n;
}

// The reference: one indexed lookup of an identifier's credentials through the bare C API.
class RawLookup {
 public:
  explicit RawLookup(const fs::path& file) {
    if (sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK ||
        sqlite3_prepare_v2(db_,
                           "SELECT credential_id FROM prov_links WHERE org = ?1 AND kind = ?2 "
                           "AND value = ?3",
                           -1, &stmt_, nullptr) != SQLITE_OK) {
      Die(std::string("raw open: ") + sqlite3_errmsg(db_));
    }
  }
  ~RawLookup() {
    sqlite3_finalize(stmt_);
    sqlite3_close(db_);
  }
  int Run(const std::string& kind, const std::string& value) {
    sqlite3_bind_text(stmt_, 1, kOrg.data(), static_cast<int>(kOrg.size()), SQLITE_STATIC);
    sqlite3_bind_text(stmt_, 2, kind.data(), static_cast<int>(kind.size()), SQLITE_STATIC);
    sqlite3_bind_text(stmt_, 3, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
    int rows = 0;
    int rc;
    while ((rc = sqlite3_step(stmt_)) == SQLITE_ROW) ++rows;
    if (rc != SQLITE_DONE) Die(std::string("raw lookup: ") + sqlite3_errmsg(db_));
    sqlite3_reset(stmt_);
    return rows;
  }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace

int ProvenanceBenchMain() {
  const int64_t wanted = EnvInt("TRACEPORT_PROVENANCE_BENCH_CREDENTIALS", 1000000);
  const int64_t shipments = std::max<int64_t>(kOilEvery, wanted / kPerShipment);
  const int traces = static_cast<int>(EnvInt("TRACEPORT_PROVENANCE_BENCH_TRACES", 2000));
  const fs::path base = std::getenv("TRACEPORT_BENCH_DIR")
                            ? fs::path(std::getenv("TRACEPORT_BENCH_DIR"))
                            : fs::temp_directory_path();
  const fs::path dir = base / ("traceport-provenance-bench-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  struct Cleanup {
    fs::path d;
    ~Cleanup() { fs::remove_all(d); }
  } cleanup{dir};
  const fs::path file = dir / "node.db";

  Result<std::unique_ptr<internal::Db>> opened =
      internal::Db::Open(file, internal::kProvenanceSchema);
  if (!opened.ok()) Die("open: " + opened.status().ToString());
  internal::Db& db = **opened;

  // ---- build ----
  // A large page cache while building (random inserts into three b-trees); the traces below run
  // with SQLite's default cache, as the node does.
  if (!db.Exec("PRAGMA cache_size = -1048576").ok()) Die("cache_size");
  std::fprintf(stderr,
               "provenance bench: building %" PRId64 " credentials (%" PRId64
               " submissions) in %s\n",
               shipments * kPerShipment, shipments, dir.c_str());
  const auto build_start = SteadyClock::now();
  int64_t links = 0;
  int last_percent = -1;
  for (int64_t first = 0; first < shipments; first += kShipmentsPerTransaction) {
    const int64_t last = std::min(shipments, first + kShipmentsPerTransaction);
    Status s = db.Transaction([&]() -> Status {
      for (int64_t sh = first; sh < last; ++sh) {
        const std::string submission = SubmissionId(sh);
        const std::string at = ReceivedAt(sh);
        std::vector<Doc> docs = Shipment(sh);
        for (size_t d = 0; d < docs.size(); ++d) {
          links += static_cast<int64_t>(docs[d].links.size());
          RETURN_IF_ERROR(internal::RecordProvenance(
              db, kOrg, submission, at, Urn(2, static_cast<uint64_t>(sh * kPerShipment + d)),
              docs[d].type, "did:web:" + docs[d].type + ".example", docs[d].links));
        }
      }
      return Status::Ok();
    });
    if (!s.ok()) Die("build: " + s.ToString());
    const int percent = static_cast<int>(last * 100 / shipments);
    if (percent / 5 != last_percent / 5) {
      last_percent = percent;
      const double secs = MsSince(build_start) / 1000;
      std::fprintf(stderr, "provenance bench: %3d%%  %" PRId64 " credentials, %.0f s, %.0f/s\n",
                   percent, last * kPerShipment, secs, last * kPerShipment / secs);
    }
  }
  const double build_s = MsSince(build_start) / 1000;
  if (!db.Exec("PRAGMA cache_size = -2000").ok()) Die("cache_size");
  if (!db.Exec("PRAGMA wal_checkpoint(TRUNCATE)").ok()) Die("checkpoint");
  std::printf("bench provenance-build: %" PRId64 " credentials, %" PRId64 " links, %" PRId64
              " submissions in %.1f s (%.0f credentials/s), store %.0f MB\n",
              shipments * kPerShipment, links, shipments, build_s,
              shipments * kPerShipment / build_s, static_cast<double>(fs::file_size(file)) / 1e6);

  // ---- the queries ----
  std::mt19937_64 rng(20261127);
  std::uniform_int_distribution<int64_t> pick(0, shipments - 1);
  struct Forward {
    std::string kind, value;
  };
  std::vector<int64_t> back_from(traces);
  std::vector<Forward> forward_from(traces);
  for (int i = 0; i < traces; ++i) {
    back_from[i] = pick(rng);
    int64_t s = pick(rng);
    switch (i % 5) {
      case 0:
      case 1:  // heats, the question steel importers are asked most
        while (IsOil(s)) s = pick(rng);
        forward_from[i] = {"heat", Heats(s)[i % 3]};
        break;
      case 2:
        while (IsOil(s)) s = pick(rng);
        forward_from[i] = {"bol", Bol(s)};
        break;
      case 3:
        while (!IsOil(s)) s = pick(rng);
        forward_from[i] = {"batch", Batch(s)};
        break;
      default:
        while (!IsOil(s)) s = pick(rng);
        forward_from[i] = {"well", Well(s)};
    }
  }

  // Warm-up, so that all three start from the same (warm) operating system cache.
  for (int i = 0; i < std::min(traces, 200); ++i) {
    (void)internal::TraceBack(db, kOrg, SubmissionId(back_from[i]));
    (void)internal::TraceForward(db, kOrg, forward_from[i].kind, forward_from[i].value);
  }

  std::vector<double> back_ms, forward_ms, raw_ms, back_cpu, forward_cpu, raw_cpu;
  size_t back_nodes = 0, forward_credentials = 0, forward_submissions = 0, truncated = 0;
  for (int i = 0; i < traces; ++i) {
    const std::string submission = SubmissionId(back_from[i]);
    const double c0 = ThreadCpuMs();
    const auto t0 = SteadyClock::now();
    Result<json> g = internal::TraceBack(db, kOrg, submission);
    back_ms.push_back(MsSince(t0));
    back_cpu.push_back(ThreadCpuMs() - c0);
    if (!g.ok()) Die("trace back: " + g.status().ToString());
    back_nodes += (*g)["nodes"].size();
    if ((*g)["origins"].empty()) Die("a trace back found no origin: " + g->dump());
    if ((*g)["truncated"].get<bool>()) ++truncated;
  }
  for (int i = 0; i < traces; ++i) {
    const double c0 = ThreadCpuMs();
    const auto t0 = SteadyClock::now();
    Result<json> g = internal::TraceForward(db, kOrg, forward_from[i].kind, forward_from[i].value);
    forward_ms.push_back(MsSince(t0));
    forward_cpu.push_back(ThreadCpuMs() - c0);
    if (!g.ok()) Die("trace forward: " + g.status().ToString());
    if ((*g)["submissions"].empty()) Die("a trace forward found nothing: " + g->dump());
    forward_credentials += (*g)["credentials"].size();
    forward_submissions += (*g)["submissions"].size();
    if ((*g)["truncated"].get<bool>()) ++truncated;
  }
  {
    RawLookup raw(file);
    for (int i = 0; i < std::min(traces, 200); ++i) {
      (void)raw.Run(forward_from[i].kind, forward_from[i].value);
    }
    size_t found = 0;
    for (int i = 0; i < traces; ++i) {
      const double c0 = ThreadCpuMs();
      const auto t0 = SteadyClock::now();
      found += static_cast<size_t>(raw.Run(forward_from[i].kind, forward_from[i].value));
      raw_ms.push_back(MsSince(t0));
      raw_cpu.push_back(ThreadCpuMs() - c0);
    }
    if (found == 0) Die("the raw lookups found nothing");
  }

  const Stats back = Summarize(back_ms), forward = Summarize(forward_ms),
              reference = Summarize(raw_ms), back_c = Summarize(back_cpu),
              forward_c = Summarize(forward_cpu), reference_c = Summarize(raw_cpu);
  std::printf(
      "bench provenance-reference: raw indexed SELECT (sqlite3 C API), %d lookups: "
      "p50 %.4f ms p99 %.4f ms (CPU p50 %.4f ms p99 %.4f ms)\n",
      traces, reference.p50, reference.p99, reference_c.p50, reference_c.p99);
  int missed = 0;
  auto report = [&](const char* name, const Stats& s, const Stats& cpu, const std::string& shape) {
    const bool met = s.p99 <= kGoalMs;
    if (!met) ++missed;
    std::printf(
        "bench provenance-%s: %s\n"
        "  wall p50 %.3f ms p99 %.3f ms (%.0f x / %.0f x the raw lookup's); "
        "CPU p50 %.3f ms p99 %.3f ms (%.0f x / %.0f x); goal wall p99 <= %.0f ms%s\n",
        name, shape.c_str(), s.p50, s.p99, s.p50 / reference.p50, s.p99 / reference.p99, cpu.p50,
        cpu.p99, cpu.p50 / reference_c.p50, cpu.p99 / reference_c.p99, kGoalMs,
        met ? "" : "  [below goal]");
  };
  char shape[160];
  std::snprintf(shape, sizeof shape, "%d traces, %.1f nodes each", traces,
                static_cast<double>(back_nodes) / traces);
  report("trace-back", back, back_c, shape);
  std::snprintf(shape, sizeof shape, "%d traces, %.1f credentials in %.1f submissions each", traces,
                static_cast<double>(forward_credentials) / traces,
                static_cast<double>(forward_submissions) / traces);
  report("trace-forward", forward, forward_c, shape);
  if (truncated > 0) std::printf("bench provenance: %zu traces were truncated\n", truncated);
  return missed > 0 && std::getenv("TRACEPORT_BENCH_ENFORCE") ? 1 : 0;
}

}  // namespace traceport::node
