// traceport_node_bench: what the HTTP layer costs (issue 5). The same work is measured twice in
// one run: called in-process on the Node (the operations the routes call), and over HTTP on
// loopback from a second process, the load generator wrk (Debian package), against the same
// node:
//
//   verify-credential     POST /credentials/verify, one ~2 KB mill test report (vc+jwt ES256)
//                         per request, rotating over 8 credentials; full verification with
//                         status lists, issuer-accredited and ledger-anchor
//   receive-presentation  POST /presentations, a holder-signed TraceablePresentation with the
//                         8 credentials; verified, stored and anchored on the ledger
//
// For each: throughput (HTTP / in-process, goal >= 0.70) and p99 latency (HTTP / in-process,
// goal <= 1.30), both with the same number of concurrent callers (8). Without wrk on PATH the
// HTTP half is skipped and the run says so.
//
// A second section, provenance_bench.cc, measures the provenance index (`traceport_node_bench
// provenance` runs only that one, `http` only the above).
//
// Each is measured in five rounds of (in-process, HTTP) back to back; the ratios compare the
// medians. Options (environment): TRACEPORT_NODE_BENCH_SECONDS (default 3) per measurement;
// TRACEPORT_BENCH_DIR where the node's data goes; TRACEPORT_BENCH_ENFORCE=1 exits non-zero
// when a goal is missed.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "common/log.h"
#include "common/uuid.h"
#include "crypto/random.h"
#include "node/node.h"

namespace traceport::node {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using SteadyClock = std::chrono::steady_clock;

constexpr int kConcurrency = 8;
constexpr int kRounds = 5;
int missed = 0;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "node_bench: %s\n", what.c_str());
  std::exit(2);
}

template <typename T>
T Must(Result<T> r, const char* what) {
  if (!r.ok()) Die(std::string(what) + ": " + r.status().ToString());
  return std::move(r).value();
}

void Goal(const std::string& name, bool met, const std::string& text) {
  std::printf("bench %s: %s%s\n", name.c_str(), text.c_str(), met ? "" : "  [below goal]");
  if (!met) ++missed;
}

// A mill test report of about 2 KB: heats with chemistry and mechanical properties.
json MillTestReport(int n) {
  json heats = json::array();
  for (int h = 0; h < 3; ++h) {
    heats.push_back({{"heatNumber", "H" + std::to_string(n) + "-" + std::to_string(h)},
                     {"countryOfMeltAndPour", "US"},
                     {"chemistry",
                      {{"C", "0.21"},
                       {"Mn", "1.05"},
                       {"P", "0.012"},
                       {"S", "0.004"},
                       {"Si", "0.25"},
                       {"Cu", "0.18"},
                       {"Ni", "0.07"},
                       {"Cr", "0.09"}}},
                     {"mechanical",
                      {{"yieldStrengthMPa", "415"},
                       {"tensileStrengthMPa", "560"},
                       {"elongationPercent", "23"}}}});
  }
  return {{"@context", json::array({"https://www.w3.org/ns/credentials/v2",
                                    "https://w3id.org/traceability/v1"})},
          {"type", json::array({"VerifiableCredential", "MillTestReportCredential"})},
          {"credentialSubject",
           {{"id", "urn:uuid:" + Uuid::NewV4(crypto::DefaultCsprng()).ToString()},
            {"certificateNumber", "MTR-2026-" + std::to_string(100000 + n)},
            {"standard", "EN 10204 3.1"},
            {"product", "Hot-rolled steel coil, ASTM A1011 CS Type B"},
            {"manufacturer", {{"name", "Bench Steel Mill"}, {"country", "US"}}},
            {"heats", heats}}}};
}

struct Measured {
  double per_second = 0;
  double p99_ms = 0;
  size_t ops = 0;
};

// Runs `op` from kConcurrency threads for `seconds` (or until `limit` ops) and measures each
// call's latency.
template <typename Op>
Measured RunInProcess(double seconds, size_t limit, Op op) {
  std::atomic<size_t> next{0};
  std::vector<std::vector<double>> lat(kConcurrency);
  const auto start = SteadyClock::now();
  const auto deadline = start + std::chrono::duration<double>(seconds);
  std::vector<std::thread> threads;
  for (int t = 0; t < kConcurrency; ++t) {
    threads.emplace_back([&, t] {
      while (SteadyClock::now() < deadline) {
        const size_t i = next.fetch_add(1);
        if (i >= limit) break;
        const auto t0 = SteadyClock::now();
        op(i);
        lat[t].push_back(
            std::chrono::duration<double, std::milli>(SteadyClock::now() - t0).count());
      }
    });
  }
  for (auto& th : threads) th.join();
  const double elapsed = std::chrono::duration<double>(SteadyClock::now() - start).count();
  std::vector<double> all;
  for (auto& v : lat) all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end());
  Measured m;
  m.ops = all.size();
  m.per_second = all.size() / elapsed;
  m.p99_ms = all.empty() ? 0 : all[std::min(all.size() - 1, all.size() * 99 / 100)];
  return m;
}

// wrk's Lua script: POSTs the bodies of a file (one per line), each thread its own share, with
// the given headers.
constexpr const char* kWrkScript = R"lua(
local counter = 0
local threads = {}
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end
function init(args)
  bodies = {}
  local nthreads = tonumber(args[2])
  local i = 0
  for line in io.lines(args[1]) do
    if i % nthreads == id then bodies[#bodies + 1] = line end
    i = i + 1
  end
    n = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. args[3]
  -- A few bodies used over and over are formatted once, so that the load generator spends
  -- its share of the two cores on sending rather than on building strings.
  prepared = {}
  if #bodies <= 64 then
    for i, b in ipairs(bodies) do prepared[i] = wrk.format(nil, nil, nil, b) end
  end
end
function request()
  n = n + 1
  local i = ((n - 1) % #bodies) + 1
  return prepared[i] or wrk.format(nil, nil, nil, bodies[i])
end
)lua";

bool HaveWrk() { return std::system("command -v wrk >/dev/null 2>&1") == 0; }

// Runs wrk against `url` with the bodies in `bodies_file`; parses requests/s, p99 and errors.
Measured RunWrk(const std::string& url, const fs::path& bodies_file, const std::string& token,
                const fs::path& script, double seconds, size_t* non_2xx) {
  const int wrk_threads =
      1;  // one event loop drives 8 connections; the rest of the CPU is the server's
  const std::string cmd =
      "wrk --latency -t" + std::to_string(wrk_threads) + " -c" + std::to_string(kConcurrency) +
      " -d" + std::to_string(static_cast<int>(seconds)) + "s -s " + script.string() + " " + url +
      " -- " + bodies_file.string() + " " + std::to_string(wrk_threads) + " " + token + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) Die("cannot run wrk");
  std::string out;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  if (pclose(p) != 0) Die("wrk failed:\n" + out);
  Measured m;
  std::smatch sm;
  if (std::regex_search(out, sm, std::regex(R"(Requests/sec:\s+([0-9.]+))"))) {
    m.per_second = std::stod(sm[1]);
  }
  if (std::regex_search(out, sm, std::regex(R"(99%\s+([0-9.]+)(us|ms|s))"))) {
    const double v = std::stod(sm[1]);
    m.p99_ms = sm[2] == "us" ? v / 1000 : sm[2] == "s" ? v * 1000 : v;
  }
  if (std::regex_search(out, sm, std::regex(R"(([0-9]+) requests in)"))) m.ops = std::stoul(sm[1]);
  *non_2xx = 0;
  if (std::regex_search(out, sm, std::regex(R"(Non-2xx or 3xx responses:\s+([0-9]+))"))) {
    *non_2xx = std::stoul(sm[1]);
  }
  if (m.per_second == 0) Die("could not read wrk's output:\n" + out);
  return m;
}

void Compare(const std::string& name, const Measured& in, const Measured& http) {
  std::printf(
      "bench %s: in-process %.0f/s p99 %.2f ms; HTTP (wrk, %d connections) %.0f/s p99 "
      "%.2f ms\n",
      name.c_str(), in.per_second, in.p99_ms, kConcurrency, http.per_second, http.p99_ms);
  const double tput = http.per_second / in.per_second;
  const double p99 = http.p99_ms / in.p99_ms;
  char text[200];
  std::snprintf(text, sizeof text, "HTTP throughput %.2f x in-process (goal >= 0.70)", tput);
  Goal(name + "-throughput", tput >= 0.70, text);
  std::snprintf(text, sizeof text, "HTTP p99 latency %.2f x in-process (goal <= 1.30)", p99);
  Goal(name + "-p99", p99 <= 1.30, text);
}

int Main() {
  log::Configure(log::Level::kWarn, log::Format::kText);
  const double seconds = std::getenv("TRACEPORT_NODE_BENCH_SECONDS")
                             ? std::atof(std::getenv("TRACEPORT_NODE_BENCH_SECONDS"))
                             : 3.0;
  const fs::path base = std::getenv("TRACEPORT_BENCH_DIR")
                            ? fs::path(std::getenv("TRACEPORT_BENCH_DIR"))
                            : fs::temp_directory_path();
  const fs::path dir = base / ("traceport-node-bench-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  struct Cleanup {
    fs::path d;
    ~Cleanup() { fs::remove_all(d); }
  } cleanup{dir};

  NodeOptions o;
  o.data_dir = dir / "node";
  o.public_url = "https://localhost:8443";
  o.listen = "127.0.0.1:0";
  o.rate_per_second = 0;  // the load generator is one client
  o.threads = kConcurrency;
  o.keep_alive_timeout = std::chrono::seconds(5);
  auto node = Must(Node::Open(o), "open node");
  if (Status s = node->Start(); !s.ok()) Die("start: " + s.ToString());

  // Parties: a registry authority, a mill admitted to issue mill test reports, an importer
  // (the holder) and customs (the recipient).
  Must(node->CreateOrganization({"authority", "Registry Authority", {"registry-authority"}}),
       "org");
  auto mill = Must(node->CreateOrganization({"mill", "Bench Steel Mill", {"mill"}}), "org");
  auto importer =
      Must(node->CreateOrganization({"importer", "Bench Importer", {"importer"}}), "org");
  Must(node->CreateOrganization({"customs", "Bench Customs", {"customs"}}), "org");
  (void)importer;
  auto verify_client =
      Must(node->CreateClient("customs", "bench", {"verify:credential"}), "client");
  auto submit_client =
      Must(node->CreateClient("customs", "bench", {"submit:presentations"}), "client");

  Must(node->RegistryAdmit("authority", {{"did", mill["did"]},
                                         {"name", "Bench Steel Mill"},
                                         {"identifiers", {{"lei", "5493001KJTIIGC8Y1R12"}}},
                                         {"roles", {"mill"}},
                                         {"credentialTypes", {"MillTestReportCredential"}}}),
       "admit");
  std::vector<std::string> jwts;
  std::vector<json> enveloped;
  for (int i = 0; i < 8; ++i) {
    json issued = Must(node->IssueCredential("mill", {{"credential", MillTestReport(i)}}), "issue");
    jwts.push_back(issued["jwt"]);
    enveloped.push_back(issued["verifiableCredential"]);
  }
  std::printf(
      "bench input: 8 mill test reports of %zu..%zu bytes (vc+jwt ES256), %d concurrent "
      "callers, %.0f s per measurement\n",
      std::min_element(jwts.begin(), jwts.end(),
                       [](auto& a, auto& b) { return a.size() < b.size(); })
          ->size(),
      std::max_element(jwts.begin(), jwts.end(),
                       [](auto& a, auto& b) { return a.size() < b.size(); })
          ->size(),
      kConcurrency, seconds);
  const bool wrk = HaveWrk();
  if (!wrk) std::printf("bench node: wrk not found on PATH; the HTTP half is skipped\n");
  const fs::path script = dir / "post.lua";
  std::ofstream(script) << kWrkScript;

  // Each workload runs kRounds rounds of (in-process, then HTTP) back to back, so that both sides
  // see the same machine; the ratios compare the medians.
  auto median = [](std::vector<Measured> v) {
    std::sort(v.begin(), v.end(), [](auto& x, auto& y) { return x.per_second < y.per_second; });
    Measured m = v[v.size() / 2];
    std::vector<double> p99s;
    for (auto& x : v) p99s.push_back(x.p99_ms);
    std::sort(p99s.begin(), p99s.end());
    m.p99_ms = p99s[p99s.size() / 2];
    return m;
  };
  const std::string base_url = "http://127.0.0.1:" + std::to_string(node->port());

  // ---- verify-credential ----
  {
    std::vector<json> requests;
    for (const std::string& j : jwts) requests.push_back({{"verifiableCredential", j}});
    json check = Must(node->VerifyCredential(requests[0]), "verify");
    if (!check["verified"].get<bool>())
      Die("the bench credential does not verify: " + check.dump());
    const fs::path bodies = dir / "verify.txt";
    {
      std::ofstream out(bodies);
      for (const json& r : requests) out << r.dump() << "\n";
    }
    // A token as the client gets it from POST /oauth/token (the in-process half needs none).
    const std::string tok =
        Must(node->IssueToken(verify_client.client_id, verify_client.client_secret), "token");
    std::vector<Measured> ins, https;
    for (int round = 0; round < kRounds; ++round) {
      ins.push_back(RunInProcess(seconds, SIZE_MAX, [&](size_t i) {
        json r = Must(node->VerifyCredential(requests[i % 8]), "verify");
        if (!r["verified"].get<bool>()) Die("verification failed");
      }));
      if (!wrk) continue;
      size_t non_2xx = 0;
      https.push_back(
          RunWrk(base_url + "/credentials/verify", bodies, tok, script, seconds, &non_2xx));
      if (non_2xx != 0) Die(std::to_string(non_2xx) + " verify requests failed over HTTP");
    }
    if (wrk) {
      Compare("verify-credential", median(ins), median(https));
    } else {
      std::printf("bench verify-credential: in-process %.0f/s p99 %.2f ms\n",
                  median(ins).per_second, median(ins).p99_ms);
    }
  }

  // ---- receive-presentation ----
  {
    auto make = [&]() {
      json vp = {{"@context", json::array({"https://www.w3.org/ns/credentials/v2",
                                           "https://w3id.org/traceability/v1"})},
                 {"id", "urn:uuid:" + Uuid::NewV4(crypto::DefaultCsprng()).ToString()},
                 {"type", json::array({"VerifiablePresentation", "TraceablePresentation"})},
                 {"workflow",
                  {{"definition", json::array({"urn:uuid:6f1a3a52-5c4c-4a8e-9b39-0d2c8a1e2b10"})},
                   {"instance",
                    json::array({"urn:uuid:" + Uuid::NewV4(crypto::DefaultCsprng()).ToString()})}}},
                 {"verifiableCredential", enveloped}};
      json signed_vp = Must(node->ProvePresentation("importer", {{"presentation", vp}}), "prove");
      return json{{"verifiablePresentation", signed_vp["verifiablePresentation"]}}.dump();
    };
    // Presentations are made beforehand (signing is the holder's cost, not the receiver's); each
    // run gets fresh ones, enough for the rate of a first short in-process probe plus a margin.
    std::vector<std::string> probe;
    for (int i = 0; i < 200; ++i) probe.push_back(make());
    Measured first = RunInProcess(1.0, probe.size(), [&](size_t i) {
      Must(node->ReceivePresentation("customs", submit_client.client_id, "application/json",
                                     probe[i]),
           "receive");
    });
    const size_t per_run =
        static_cast<size_t>(std::max(first.per_second, 100.0) * seconds * 2) + 200;
    const std::string tok =
        Must(node->IssueToken(submit_client.client_id, submit_client.client_secret), "token");
    std::vector<Measured> ins, https;
    for (int round = 0; round < kRounds; ++round) {
      std::vector<std::string> bodies;
      for (size_t i = 0; i < per_run; ++i) bodies.push_back(make());
      Measured in = RunInProcess(seconds, bodies.size(), [&](size_t i) {
        json r = Must(node->ReceivePresentation("customs", submit_client.client_id,
                                                "application/json", bodies[i]),
                      "receive");
        if (!r["verified"].get<bool>()) Die("presentation failed: " + r.dump());
      });
      if (in.ops == bodies.size())
        Die("the prepared presentations ran out during the in-process run");
      ins.push_back(in);
      if (!wrk) continue;
      const fs::path file = dir / "presentations.txt";
      {
        std::ofstream out(file, std::ios::trunc);
        for (size_t i = 0; i < per_run; ++i) out << make() << "\n";
      }
      size_t non_2xx = 0;
      https.push_back(RunWrk(base_url + "/presentations", file, tok, script, seconds, &non_2xx));
      if (non_2xx != 0) {
        Die(std::to_string(non_2xx) +
            " presentations were refused over HTTP (duplicates mean the "
            "prepared set ran out)");
      }
    }
    if (wrk) {
      Compare("receive-presentation", median(ins), median(https));
    } else {
      std::printf("bench receive-presentation: in-process %.0f/s p99 %.2f ms\n",
                  median(ins).per_second, median(ins).p99_ms);
    }
  }
  node->Stop();
  if (missed > 0 && std::getenv("TRACEPORT_BENCH_ENFORCE")) return 1;
  return 0;
}

}  // namespace
}  // namespace traceport::node

namespace traceport::node {
int ProvenanceBenchMain();  // provenance_bench.cc
int CustomsSubmissionBench(const std::filesystem::path& dir, double seconds);  // customs_bench.cc
}  // namespace traceport::node

// With no argument every section runs; `http`, `submission` or `provenance` runs only that one.
int main(int argc, char** argv) {
  const std::string only = argc > 1 ? argv[1] : "";
  if (!only.empty() && only != "http" && only != "provenance" && only != "submission") {
    std::fprintf(stderr, "usage: traceport_node_bench [http|submission|provenance]\n");
    return 2;
  }
  int rc = 0;
  if (only.empty() || only == "http") rc = traceport::node::Main();
  if (only.empty() || only == "submission") {
    const std::filesystem::path base =
        std::getenv("TRACEPORT_BENCH_DIR")
            ? std::filesystem::path(std::getenv("TRACEPORT_BENCH_DIR"))
            : std::filesystem::temp_directory_path();
    const std::filesystem::path dir =
        base / ("traceport-customs-bench-" + std::to_string(::getpid()));
    const double seconds = std::getenv("TRACEPORT_NODE_BENCH_SECONDS")
                               ? std::atof(std::getenv("TRACEPORT_NODE_BENCH_SECONDS"))
                               : 3.0;
    const int missed = traceport::node::CustomsSubmissionBench(dir, seconds);
    std::filesystem::remove_all(dir);
    if (missed > 0 && std::getenv("TRACEPORT_BENCH_ENFORCE")) rc = std::max(rc, 1);
  }
  if (only.empty() || only == "provenance") {
    rc = std::max(rc, traceport::node::ProvenanceBenchMain());
  }
  return rc;
}
