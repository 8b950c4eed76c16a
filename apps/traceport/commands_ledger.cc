// traceport ledger init|append|get|proof|checkpoint|receipt|verify, traceport verify receipt
#include <cstdio>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

#include "apps/traceport/cli.h"
#include "codec/base64.h"
#include "codec/json.h"
#include "common/time.h"
#include "crypto/random.h"
#include "ledger/audit.h"
#include "ledger/entry.h"
#include "ledger/http_api.h"
#include "ledger/ledger_dir.h"
#include "ledger/mirror.h"
#include "ledger/reader.h"
#include "ledger/sqlite_storage.h"
#include "ledger/verify/checkpoint.h"
#include "ledger/verify/cosignature.h"
#include "ledger/verify/tlog_proof.h"
#include "ledger/witness.h"
#include "ledger/witness_client.h"
#include "net/http_client.h"
#include "net/http_server.h"

#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>
#include <csignal>

namespace traceport::cli {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

json HashesJson(const std::vector<ledger::Hash>& hashes) {
  json out = json::array();
  for (const auto& h : hashes) out.push_back(ledger::HashToBase64(h));
  return out;
}

// ---- init ----
struct InitArgs {
  std::string data;
  std::string origin;
};

Status Init(const Context& ctx, const InitArgs& a) {
  ASSIGN_OR_RETURN(ledger::LedgerDir dir,
                   ledger::InitLedgerDir(a.data, a.origin, crypto::DefaultCsprng()));
  if (ctx.json) {
    PrintJson({{"data", a.data}, {"origin", dir.origin}, {"log_key", dir.log_key.Vkey()}});
  } else {
    std::cout << "ledger created in " << a.data << "\norigin: " << dir.origin
              << "\nlog key: " << dir.log_key.Vkey() << "\n";
  }
  return Status::Ok();
}

// ---- append ----
struct AppendArgs {
  std::string data;
  std::string file = "-";
  bool receipt = false;
  int64_t batch_linger_us = 0;
};

// Entries come as one JSON object, a JSON array of objects, or JSON lines. Each is
// acknowledged (printed) as soon as it is durable, in index order.
Status Append(const Context& ctx, const AppendArgs& a) {
  ledger::LogOptions options;
  options.batch_linger = std::chrono::microseconds(a.batch_linger_us);
  // Declared before the log: the log's destructor drains pending entries through callbacks
  // that use these, on every return path.
  std::mutex out_mu;
  std::vector<uint64_t> indexes;
  Status first_error;
  auto print_ack = [&](uint64_t index, const std::string& digest) {
    std::lock_guard<std::mutex> lock(out_mu);
    if (ctx.json) {
      std::printf("%s\n", json({{"index", index}, {"digest", digest}}).dump().c_str());
    } else {
      std::printf("%llu %s\n", static_cast<unsigned long long>(index), digest.c_str());
    }
    std::fflush(stdout);
    indexes.push_back(index);
  };
  ASSIGN_OR_RETURN(auto log, ledger::OpenLedger(a.data, options, SystemClock()));
  auto submit = [&](const json& entry, size_t line) -> Status {
    Result<std::string> canonical = ledger::CanonicalEntry(entry);
    if (!canonical.ok()) {
      return canonical.status().WithContext("entry " + std::to_string(line));
    }
    const std::string digest = ledger::DigestOf(*canonical);
    for (;;) {
      Status s = log->AppendAsync(std::move(*canonical), [&, digest](Result<uint64_t> r) {
        if (r.ok()) {
          print_ack(*r, digest);
        } else {
          std::lock_guard<std::mutex> lock(out_mu);
          if (first_error.ok()) first_error = r.status();
        }
      });
      if (s.code() != StatusCode::kResourceExhausted) return s;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));  // back-pressure: wait
      canonical = ledger::CanonicalEntry(entry);
    }
  };
  if (a.file == "-") {
    // Streaming: one JSON entry per line, each submitted as it arrives.
    std::string line;
    size_t n = 0;
    while (std::getline(std::cin, line)) {
      ++n;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      ASSIGN_OR_RETURN(json entry, codec::ParseJson(line));
      RETURN_IF_ERROR(submit(entry, n));
    }
  } else {
    ASSIGN_OR_RETURN(std::string text, ReadInput(a.file));
    Result<json> whole = codec::ParseJson(text);
    if (whole.ok()) {
      if (whole->is_array()) {
        for (size_t i = 0; i < whole->size(); ++i) RETURN_IF_ERROR(submit((*whole)[i], i + 1));
      } else {
        RETURN_IF_ERROR(submit(*whole, 1));
      }
    } else {
      std::istringstream in(text);
      std::string line;
      size_t n = 0;
      while (std::getline(in, line)) {
        ++n;
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        ASSIGN_OR_RETURN(json entry, codec::ParseJson(line));
        RETURN_IF_ERROR(submit(entry, n));
      }
    }
  }
  // Wait for every acknowledgement, then sign a checkpoint covering them.
  log.reset();
  RETURN_IF_ERROR(first_error);
  if (a.receipt && !indexes.empty()) {
    ASSIGN_OR_RETURN(auto reopened, ledger::OpenLedger(a.data, {}, SystemClock()));
    for (uint64_t i : indexes) {
      ASSIGN_OR_RETURN(std::string r, reopened->Receipt(i));
      std::cout << r;
    }
  }
  return Status::Ok();
}

// ---- read-only commands ----
struct ReadArgs {
  std::string data;
  uint64_t index = 0;
  uint64_t size = 0;
  uint64_t size2 = 0;
  std::string out;
};

Result<std::unique_ptr<ledger::SqliteStorage>> OpenReadOnly(const std::string& data) {
  return ledger::SqliteStorage::OpenReadOnly(data);
}

Status Get(const Context& ctx, const ReadArgs& a) {
  ASSIGN_OR_RETURN(auto storage, OpenReadOnly(a.data));
  ASSIGN_OR_RETURN(auto reader, ledger::LogReader::AtCommittedSize(*storage));
  ASSIGN_OR_RETURN(std::string entry, reader.Entry(a.index));
  if (ctx.json) {
    ASSIGN_OR_RETURN(json e, codec::ParseJson(entry));
    PrintJson({{"index", a.index},
               {"entry", e},
               {"leaf_hash", ledger::HashToBase64(ledger::LeafHash(entry))}});
  } else {
    std::cout << entry << "\n";
  }
  return Status::Ok();
}

Status ProofInclusion(const Context& ctx, const ReadArgs& a) {
  ASSIGN_OR_RETURN(auto storage, OpenReadOnly(a.data));
  ASSIGN_OR_RETURN(auto reader, ledger::LogReader::AtCommittedSize(*storage));
  const uint64_t size = a.size == 0 ? reader.size() : a.size;
  ASSIGN_OR_RETURN(auto proof, reader.InclusionProof(a.index, size));
  ASSIGN_OR_RETURN(ledger::Hash root, reader.RootAt(size));
  if (ctx.json) {
    PrintJson({{"index", a.index},
               {"tree_size", size},
               {"root_hash", ledger::HashToBase64(root)},
               {"proof", HashesJson(proof)}});
  } else {
    std::cout << "index " << a.index << "\ntree_size " << size << "\nroot_hash "
              << ledger::HashToBase64(root) << "\n";
    for (const auto& h : proof) std::cout << ledger::HashToBase64(h) << "\n";
  }
  return Status::Ok();
}

Status ProofConsistency(const Context& ctx, const ReadArgs& a) {
  ASSIGN_OR_RETURN(auto storage, OpenReadOnly(a.data));
  ASSIGN_OR_RETURN(auto reader, ledger::LogReader::AtCommittedSize(*storage));
  const uint64_t size2 = a.size2 == 0 ? reader.size() : a.size2;
  ASSIGN_OR_RETURN(auto proof, reader.ConsistencyProof(a.size, size2));
  ASSIGN_OR_RETURN(ledger::Hash root1, reader.RootAt(a.size));
  ASSIGN_OR_RETURN(ledger::Hash root2, reader.RootAt(size2));
  if (ctx.json) {
    PrintJson({{"size1", a.size},
               {"size2", size2},
               {"root1", ledger::HashToBase64(root1)},
               {"root2", ledger::HashToBase64(root2)},
               {"proof", HashesJson(proof)}});
  } else {
    std::cout << "size1 " << a.size << "\nsize2 " << size2 << "\nroot1 "
              << ledger::HashToBase64(root1) << "\nroot2 " << ledger::HashToBase64(root2) << "\n";
    for (const auto& h : proof) std::cout << ledger::HashToBase64(h) << "\n";
  }
  return Status::Ok();
}

Status CheckpointCmd(const Context& ctx, const ReadArgs& a) {
  // Signing needs the writer: it signs a checkpoint for any new entries first.
  ledger::LogOptions options;
  options.checkpoint_interval = std::chrono::milliseconds(0);
  ASSIGN_OR_RETURN(auto log, ledger::OpenLedger(a.data, options, SystemClock()));
  ASSIGN_OR_RETURN(ledger::StoredCheckpoint cp, log->SignCheckpoint());
  if (ctx.json) {
    PrintJson({{"size", cp.size}, {"checkpoint", cp.note}});
  } else {
    std::cout << cp.note;
  }
  return Status::Ok();
}

Status ReceiptCmd(const Context& ctx, const ReadArgs& a) {
  ASSIGN_OR_RETURN(auto storage, OpenReadOnly(a.data));
  // The checkpoint first, then the tree: the tree only grows, so it covers the checkpoint.
  ASSIGN_OR_RETURN(auto covering, storage->LatestCheckpoint());
  ASSIGN_OR_RETURN(auto reader, ledger::LogReader::AtCommittedSize(*storage));
  if (!covering || covering->size <= a.index) {
    return FailedPreconditionError("ledger: entry " + std::to_string(a.index) +
                                   " is not covered by a checkpoint yet (run 'traceport ledger "
                                   "checkpoint')");
  }
  ASSIGN_OR_RETURN(std::string receipt, reader.Receipt(a.index, *covering));
  if (!a.out.empty()) {
    std::ofstream f(a.out, std::ios::binary | std::ios::trunc);
    f << receipt;
    if (!f) return InternalError("cannot write " + a.out);
  }
  if (ctx.json) {
    PrintJson({{"index", a.index}, {"tree_size", covering->size}, {"receipt", receipt}});
  } else if (a.out.empty()) {
    std::cout << receipt;
  }
  return Status::Ok();
}

// ---- verify (audit) ----
struct VerifyArgs {
  std::string data;
  bool quiet = false;
};

Status VerifyLedgerCmd(Context& ctx, const VerifyArgs& a) {
  ASSIGN_OR_RETURN(ledger::LedgerDir dir, ledger::ReadLedgerDir(a.data));
  ASSIGN_OR_RETURN(auto storage, OpenReadOnly(a.data));
  ledger::AuditOptions options;
  if (!a.quiet && !ctx.json) {
    options.progress = [](uint64_t done, uint64_t total) {
      std::fprintf(stderr, "\rverified %llu of %llu entries", static_cast<unsigned long long>(done),
                   static_cast<unsigned long long>(total));
      std::fflush(stderr);
    };
  }
  ASSIGN_OR_RETURN(ledger::AuditReport r,
                   ledger::AuditLedger(*storage, dir.origin, dir.log_key, options));
  if (options.progress) std::fprintf(stderr, "\n");
  if (ctx.json) {
    json out = {{"ok", r.ok},
                {"entries", r.entries},
                {"tiles", r.tiles},
                {"checkpoints", r.checkpoints},
                {"root_hash", ledger::HashToBase64(r.root)}};
    if (!r.ok) {
      out["problem"] = r.problem;
      if (r.first_bad_index) out["first_bad_index"] = *r.first_bad_index;
    }
    PrintJson(out);
    ctx.json_printed = true;
  } else if (r.ok) {
    std::cout << "ledger verified: " << r.entries << " entries, " << r.tiles << " tiles, "
              << r.checkpoints << " checkpoints; root " << ledger::HashToBase64(r.root) << "\n";
  }
  if (!r.ok) {
    // Exit code 3, like any other artifact that does not verify.
    return PermissionDeniedError(
        "the ledger does not verify: " +
        (r.first_bad_index ? "first bad index " + std::to_string(*r.first_bad_index) + ": "
                           : std::string()) +
        r.problem);
  }
  return Status::Ok();
}

// ---- verify receipt ----
struct ReceiptVerifyArgs {
  std::string file;
  std::string log_key;
  std::vector<std::string> witnesses;
  size_t min_witnesses = 0;
  std::string entry_file;
};

Status VerifyReceiptCmd(Context& ctx, const ReceiptVerifyArgs& a) {
  ASSIGN_OR_RETURN(std::string text, ReadInput(a.file, 1 << 20));
  ASSIGN_OR_RETURN(ledger::NoteVerifier log_key, ledger::NoteVerifier::FromVkey(a.log_key));
  std::vector<std::unique_ptr<ledger::CosignatureVerifier>> witnesses;
  std::vector<const ledger::SignatureVerifier*> witness_ptrs;
  for (const std::string& w : a.witnesses) {
    ASSIGN_OR_RETURN(ledger::CosignatureVerifier v, ledger::CosignatureVerifier::FromVkey(w));
    witnesses.push_back(std::make_unique<ledger::CosignatureVerifier>(std::move(v)));
    witness_ptrs.push_back(witnesses.back().get());
  }
  ASSIGN_OR_RETURN(ledger::TlogProof proof, ledger::ParseTlogProof(text));
  if (proof.extra.empty()) {
    return InvalidArgumentError(
        "receipt has no entry (no extra line); Traceport receipts carry "
        "the entry's canonical bytes there");
  }
  const std::string extra(proof.extra.begin(), proof.extra.end());
  if (!a.entry_file.empty()) {
    ASSIGN_OR_RETURN(std::string entry_text, ReadInput(a.entry_file, 1 << 20));
    ASSIGN_OR_RETURN(std::string canonical, ledger::CanonicalEntryText(entry_text));
    if (canonical != extra) {
      return PermissionDeniedError("the receipt is for a different entry than " + a.entry_file);
    }
  }
  const ledger::Hash leaf = ledger::LeafHash(extra);
  Result<ledger::VerifiedTlogProof> verified =
      ledger::VerifyTlogProof(text, leaf, log_key.name(), log_key, witness_ptrs, a.min_witnesses);
  if (!verified.ok()) {
    // A receipt that parses but does not verify (wrong root, signature, origin, too few
    // witnesses) is a verification failure (exit 3), not bad input.
    const StatusCode code = verified.status().code();
    if (code == StatusCode::kDataLoss || code == StatusCode::kUnauthenticated ||
        code == StatusCode::kNotFound || code == StatusCode::kPermissionDenied) {
      return PermissionDeniedError("the receipt does not verify: " +
                                   std::string(verified.status().message()));
    }
    return verified.status();
  }
  const ledger::VerifiedTlogProof& v = *verified;
  Result<json> entry = codec::ParseJson(extra);
  if (ctx.json) {
    json cos = json::array();
    for (const auto& c : v.witnesses) {
      cos.push_back({{"witness", c.verifier->name()}, {"timestamp", c.timestamp.value_or(0)}});
    }
    PrintJson({{"verified", true},
               {"index", v.index},
               {"tree_size", v.checkpoint.size},
               {"root_hash", ledger::HashToBase64(v.checkpoint.root_hash)},
               {"origin", v.checkpoint.origin},
               {"cosignatures", cos},
               {"entry", entry.ok() ? *entry : json(codec::Base64Encode(extra))}});
  } else {
    std::cout << "receipt verified: entry " << v.index << " is in " << v.checkpoint.origin
              << " at tree size " << v.checkpoint.size << ", cosigned by " << v.witnesses.size()
              << " of " << a.witnesses.size() << " witness(es)\n";
  }
  return Status::Ok();
}

// ---- serving ----

// Blocks SIGINT and SIGTERM in every thread started after this (call it first), so that
// WaitForShutdownSignal can take them with sigwait.
bool IsLoopbackUrl(const std::string& url) {
  for (const char* p : {"http://127.0.0.1", "http://localhost", "http://[::1]"}) {
    if (url.rfind(p, 0) == 0) return true;
  }
  return false;
}

struct ServeFlags {
  std::string listen = "127.0.0.1:8080";
  std::string tls_cert;
  std::string tls_key;
  bool allow_plain_http_off_loopback = false;
};

void AddServeFlags(CLI::App* sub, ServeFlags& f) {
  sub->add_option("--listen", f.listen,
                  "Address to listen on (default 127.0.0.1:8080; port 0 picks one)");
  sub->add_option("--tls-cert", f.tls_cert, "TLS certificate (PEM); with --tls-key serves HTTPS");
  sub->add_option("--tls-key", f.tls_key, "TLS private key (PEM)");
  sub->add_flag("--allow-plain-http-off-loopback", f.allow_plain_http_off_loopback,
                "Serve plain HTTP on a non-loopback address (behind a TLS proxy)");
}

net::HttpServer::Options ServerOptions(const ServeFlags& f) {
  net::HttpServer::Options o;
  o.listen = f.listen;
  o.tls_cert_file = f.tls_cert;
  o.tls_key_file = f.tls_key;
  o.allow_plain_http_off_loopback = f.allow_plain_http_off_loopback;
  return o;
}

// Runs `server` until SIGINT or SIGTERM, printing where it listens.
Status RunUntilSignal(net::HttpServer& server, const ServeFlags& f, const char* what) {
  RETURN_IF_ERROR(server.Start());
  const std::string host = f.listen.substr(0, f.listen.rfind(':'));
  std::printf("%s listening on %s://%s:%d\n", what, f.tls_cert.empty() ? "http" : "https",
              host.c_str(), server.port());
  std::fflush(stdout);
  const int sig = WaitForShutdownSignal();
  std::fprintf(stderr, "%s: signal %d, shutting down\n", what, sig);
  server.Stop();
  return Status::Ok();
}

struct LedgerServeArgs {
  std::string data;
  ServeFlags serve;
  std::vector<std::string> witnesses;  // URL=VKEY
  size_t quorum = 0;
  std::string append_token_file;
  int64_t checkpoint_interval_ms = 1000;
  size_t max_batch = 8192;
  int64_t batch_linger_us = 0;
  size_t max_pending = 200000;
};

Status LedgerServe(const LedgerServeArgs& a) {
  BlockShutdownSignals();
  ledger::LogOptions options;
  options.checkpoint_interval = std::chrono::milliseconds(a.checkpoint_interval_ms);
  options.max_batch_entries = a.max_batch;
  options.batch_linger = std::chrono::microseconds(a.batch_linger_us);
  options.max_pending_entries = a.max_pending;
  std::vector<ledger::WitnessEndpoint> endpoints;
  for (const std::string& w : a.witnesses) {
    const size_t eq = w.find('=');
    if (eq == std::string::npos) {
      return InvalidArgumentError("--witness must be URL=VKEY, got \"" + w + "\"");
    }
    ASSIGN_OR_RETURN(ledger::CosignatureVerifier key,
                     ledger::CosignatureVerifier::FromVkey(w.substr(eq + 1)));
    for (const ledger::WitnessEndpoint& e : endpoints) {
      if (e.key.name() == key.name() && e.key.key_id() == key.key_id()) {
        return InvalidArgumentError("witness key " + key.Vkey() +
                                    " is configured twice: each witness counts once");
      }
    }
    endpoints.push_back({w.substr(0, eq), std::move(key)});
  }
  if (a.quorum > endpoints.size()) {
    return InvalidArgumentError("--witness-quorum " + std::to_string(a.quorum) + " exceeds the " +
                                std::to_string(endpoints.size()) + " configured witness(es)");
  }
  std::shared_ptr<net::HttpClient> http = net::NewCurlHttpClient();
  if (!endpoints.empty()) {
    options.witnesses = std::make_shared<ledger::WitnessClient>(
        std::move(endpoints),
        [http](const std::string& url, const std::string& body) -> Result<ledger::PostReply> {
          net::FetchOptions fo;
          fo.https_only = !IsLoopbackUrl(url);
          fo.timeout = std::chrono::milliseconds(5000);
          ASSIGN_OR_RETURN(net::HttpResponse r,
                           http->Post(url, "text/plain; charset=utf-8", body, fo));
          return ledger::PostReply{r.status, r.content_type, r.body};
        });
  }
  options.witness_quorum = a.quorum;
  ledger::LedgerApiOptions api;
  if (!a.append_token_file.empty()) {
    ASSIGN_OR_RETURN(std::string token, ReadInput(a.append_token_file, 4096));
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
    if (token.size() < 16) {
      return InvalidArgumentError("the append token must be at least 16 characters");
    }
    api.append_token = token;
  }
  ASSIGN_OR_RETURN(auto log, ledger::OpenLedger(a.data, options, SystemClock()));
  net::HttpServer server(ServerOptions(a.serve));
  ledger::MountLedgerApi(server, *log, api);
  server.Handle("GET", "/healthz", [](const net::ServerRequest&) {
    net::ServerResponse r;
    r.content_type = "text/plain; charset=utf-8";
    r.body = "ok\n";
    return r;
  });
  server.Handle("GET", "/metrics", [&server, &log](const net::ServerRequest&) {
    net::ServerResponse r;
    r.content_type = "text/plain; version=0.0.4";
    r.body = server.MetricsText() +
             "# TYPE traceport_ledger_entries gauge\ntraceport_ledger_entries " +
             std::to_string(log->Size()) + "\n";
    return r;
  });
  return RunUntilSignal(server, a.serve, "ledger");
}

// ---- witness ----
struct WitnessArgs {
  std::string data;
  std::string name;
  std::string origin;
  std::string key;
  ServeFlags serve;
};

Result<ledger::Cosigner> LoadCosigner(const fs::path& dir) {
  ASSIGN_OR_RETURN(std::string skey, ReadInput((dir / "witness.key").string(), 4096));
  while (!skey.empty() && skey.back() == '\n') skey.pop_back();
  Result<ledger::Cosigner> c = ledger::Cosigner::FromSignerKey(skey);
  std::fill(skey.begin(), skey.end(), '\0');
  return c;
}

Result<json> LoadWitnessConfig(const fs::path& dir) {
  ASSIGN_OR_RETURN(std::string text, ReadInput((dir / "witness.json").string(), 1 << 20));
  ASSIGN_OR_RETURN(json config, codec::ParseJson(text));
  if (!config.is_object() || !config.contains("logs") || !config["logs"].is_array()) {
    return InvalidArgumentError((dir / "witness.json").string() + " has no \"logs\" array");
  }
  return config;
}

Status SaveWitnessConfig(const fs::path& dir, const json& config) {
  const fs::path tmp = dir / "witness.json.tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << config.dump(2) << "\n";
    if (!out) return InternalError("cannot write " + tmp.string());
  }
  std::error_code ec;
  fs::rename(tmp, dir / "witness.json", ec);
  if (ec) return InternalError("cannot rename " + tmp.string() + ": " + ec.message());
  return Status::Ok();
}

Status WitnessInit(const Context& ctx, const WitnessArgs& a) {
  const fs::path dir(a.data);
  if (fs::exists(dir / "witness.json")) {
    return AlreadyExistsError(a.data + " already holds a witness");
  }
  ASSIGN_OR_RETURN(ledger::Cosigner c, ledger::Cosigner::Generate(a.name, crypto::DefaultCsprng()));
  std::error_code ec;
  fs::create_directories(dir, ec);
  {
    std::string skey = c.SignerKey() + "\n";
    const std::string path = (dir / "witness.key").string();
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return InternalError("cannot create " + path);
    const bool ok = ::write(fd, skey.data(), skey.size()) == static_cast<ssize_t>(skey.size()) &&
                    ::fsync(fd) == 0;
    ::close(fd);
    std::fill(skey.begin(), skey.end(), '\0');
    if (!ok) return InternalError("cannot write " + path);
  }
  const std::string vkey = c.Verifier().Vkey();
  {
    std::ofstream out(dir / "witness.vkey");
    out << vkey << "\n";
  }
  RETURN_IF_ERROR(SaveWitnessConfig(dir, {{"name", a.name}, {"logs", json::array()}}));
  if (ctx.json) {
    PrintJson({{"name", a.name}, {"witness_key", vkey}});
  } else {
    std::cout << "witness created in " << a.data << "\nwitness key: " << vkey << "\n";
  }
  return Status::Ok();
}

Status WitnessAddLog(const Context& ctx, const WitnessArgs& a) {
  const fs::path dir(a.data);
  ASSIGN_OR_RETURN(json config, LoadWitnessConfig(dir));
  ASSIGN_OR_RETURN(ledger::NoteVerifier key, ledger::NoteVerifier::FromVkey(a.key));
  const std::string origin = a.origin.empty() ? key.name() : a.origin;
  bool found = false;
  for (json& l : config["logs"]) {
    if (l.is_object() && l.contains("origin") && l["origin"] == origin) {
      found = true;
      for (const auto& k : l["keys"]) {
        if (k == key.Vkey()) return AlreadyExistsError("that key is already trusted for " + origin);
      }
      l["keys"].push_back(key.Vkey());
    }
  }
  if (!found) config["logs"].push_back({{"origin", origin}, {"keys", json::array({key.Vkey()})}});
  RETURN_IF_ERROR(SaveWitnessConfig(dir, config));
  if (ctx.json) {
    PrintJson({{"origin", origin}, {"key", key.Vkey()}});
  } else {
    std::cout << "witness follows " << origin << " (key " << key.Vkey() << ")\n";
  }
  return Status::Ok();
}

Result<std::unique_ptr<ledger::Witness>> OpenWitness(const fs::path& dir) {
  ASSIGN_OR_RETURN(json config, LoadWitnessConfig(dir));
  std::vector<ledger::WitnessedLog> logs;
  for (const json& l : config["logs"]) {
    if (!l.is_object() || !l.contains("origin") || !l["origin"].is_string() ||
        (l.contains("keys") && !l["keys"].is_array())) {
      return InvalidArgumentError(
          "witness.json: each log needs an \"origin\" string and a "
          "\"keys\" array");
    }
    ledger::WitnessedLog wl;
    wl.origin = l["origin"].get<std::string>();
    for (const json& k : l.value("keys", json::array())) {
      if (!k.is_string()) return InvalidArgumentError("witness.json: a key is not a string");
      ASSIGN_OR_RETURN(ledger::NoteVerifier v,
                       ledger::NoteVerifier::FromVkey(k.get<std::string>()));
      wl.keys.push_back(std::move(v));
    }
    logs.push_back(std::move(wl));
  }
  ASSIGN_OR_RETURN(ledger::Cosigner c, LoadCosigner(dir));
  return ledger::Witness::Open(dir, std::move(c), std::move(logs), SystemClock());
}

Status WitnessServe(const WitnessArgs& a) {
  BlockShutdownSignals();
  ASSIGN_OR_RETURN(auto witness, OpenWitness(a.data));
  net::HttpServer server(ServerOptions(a.serve));
  ledger::MountWitnessApi(server, *witness);
  server.Handle("GET", "/healthz", [](const net::ServerRequest&) {
    net::ServerResponse r;
    r.content_type = "text/plain; charset=utf-8";
    r.body = "ok\n";
    return r;
  });
  return RunUntilSignal(server, a.serve, "witness");
}

Status WitnessEvidence(const WitnessArgs& a) {
  ASSIGN_OR_RETURN(auto witness, OpenWitness(a.data));
  std::cout << witness->EvidenceReply().body;
  return Status::Ok();
}

// ---- mirror ----
struct MirrorArgs {
  std::string url;
  std::string data;
  std::string log_key;
  std::string origin;
  int follow_seconds = 0;
  bool quiet = false;
};

Status MirrorCmd(Context& ctx, const MirrorArgs& a) {
  ASSIGN_OR_RETURN(ledger::NoteVerifier key, ledger::NoteVerifier::FromVkey(a.log_key));
  const std::string origin = a.origin.empty() ? key.name() : a.origin;
  RETURN_IF_ERROR(ledger::ValidateKeyName(origin).WithContext("mirror: --origin"));
  const fs::path dir(a.data);
  // The mirror's directory looks like a ledger's (without the signing key), so that
  // `traceport ledger verify` audits it.
  if (fs::exists(dir / "ledger.json")) {
    ASSIGN_OR_RETURN(ledger::LedgerDir existing, ledger::ReadLedgerDir(dir));
    if (existing.origin != origin || existing.log_key.Vkey() != key.Vkey()) {
      return FailedPreconditionError(a.data + " mirrors " + existing.origin + " (key " +
                                     existing.log_key.Vkey() + "), not this log");
    }
  } else {
    std::error_code ec;
    fs::create_directories(dir, ec);
    std::ofstream(dir / "log.vkey") << key.Vkey() << "\n";
    std::ofstream(dir / "ledger.json") << json({{"origin", origin}, {"mirror_of", a.url}})
                                              .dump(2, ' ', false, json::error_handler_t::replace)
                                       << "\n";
  }
  ASSIGN_OR_RETURN(auto storage, ledger::SqliteStorage::Open(dir));
  std::shared_ptr<net::HttpClient> http = net::NewCurlHttpClient();
  std::string prefix = a.url;
  if (prefix.empty() || prefix.back() != '/') prefix += '/';
  ledger::MirrorFetch fetch = [http, prefix](const std::string& path) -> Result<std::string> {
    net::FetchOptions fo;
    fo.https_only = !IsLoopbackUrl(prefix);
    fo.max_bytes = 64u << 20;  // a full bundle of maximal entries is 16 MiB
    fo.timeout = std::chrono::milliseconds(30000);
    ASSIGN_OR_RETURN(net::HttpResponse r, http->Get(prefix + path, fo));
    if (r.status == 404) return NotFoundError("mirror: " + prefix + path + ": 404");
    if (r.status != 200) {
      return UnavailableError("mirror: " + prefix + path + ": HTTP " + std::to_string(r.status));
    }
    return std::move(r.body);
  };
  ledger::MirrorOptions options;
  options.origin = origin;
  const auto start = std::chrono::steady_clock::now();
  if (!a.quiet && !ctx.json) {
    options.progress = [start](uint64_t done, uint64_t total) {
      const double s =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::fprintf(stderr, "\rmirrored %llu of %llu entries (%.0f s)",
                   static_cast<unsigned long long>(done), static_cast<unsigned long long>(total),
                   s);
      std::fflush(stderr);
    };
  }
  for (;;) {
    ASSIGN_OR_RETURN(ledger::MirrorResult r, ledger::MirrorOnce(*storage, fetch, key, options));
    if (options.progress && r.fetched > 0) std::fprintf(stderr, "\n");
    if (ctx.json) {
      std::printf("%s\n", json({{"size", r.size}, {"fetched", r.fetched}}).dump().c_str());
    } else {
      std::printf("mirror of %s holds %llu entries (%llu new), verified against its checkpoint\n",
                  origin.c_str(), static_cast<unsigned long long>(r.size),
                  static_cast<unsigned long long>(r.fetched));
    }
    std::fflush(stdout);
    if (a.follow_seconds <= 0) return Status::Ok();
    std::this_thread::sleep_for(std::chrono::seconds(a.follow_seconds));
  }
}
}  // namespace

void RegisterLedgerCommands(CLI::App& app, Context& ctx) {
  CLI::App* l = app.add_subcommand("ledger", "Operate the tamper-evident ledger");
  l->require_subcommand(1);

  static InitArgs* ia = new InitArgs();
  auto* init = l->add_subcommand("init", "Create a ledger data directory and its signing key");
  init->add_option("--data", ia->data, "Data directory")->required();
  init->add_option("--origin", ia->origin, "Checkpoint origin, e.g. customs.example/ledger")
      ->required();
  Bind(init, "ledger init", ctx, [&ctx] { return Init(ctx, *ia); });

  static AppendArgs* aa = new AppendArgs();
  auto* append = l->add_subcommand(
      "append", "Append entries (a JSON object, an array, or JSON lines; '-' streams stdin)");
  append->add_option("file", aa->file, "Entries file (default: - for stdin, one per line)");
  append->add_option("--data", aa->data, "Data directory")->required();
  append->add_flag("--receipt", aa->receipt, "Print each entry's receipt after the checkpoint");
  append->add_option("--batch-linger-us", aa->batch_linger_us,
                     "Wait this long for more entries before each commit (default 0)");
  Bind(append, "ledger append", ctx, [&ctx] { return Append(ctx, *aa); });

  static ReadArgs* ga = new ReadArgs();
  auto* get = l->add_subcommand("get", "Print entry INDEX");
  get->add_option("index", ga->index, "Entry index")->required();
  get->add_option("--data", ga->data, "Data directory")->required();
  Bind(get, "ledger get", ctx, [&ctx] { return Get(ctx, *ga); });

  CLI::App* proof = l->add_subcommand("proof", "Inclusion and consistency proofs");
  proof->require_subcommand(1);
  static ReadArgs* pa = new ReadArgs();
  auto* inc = proof->add_subcommand("inclusion", "Inclusion proof of entry INDEX");
  inc->add_option("index", pa->index, "Entry index")->required();
  inc->add_option("--size", pa->size, "Tree size (default: the whole log)");
  inc->add_option("--data", pa->data, "Data directory")->required();
  Bind(inc, "ledger proof inclusion", ctx, [&ctx] { return ProofInclusion(ctx, *pa); });
  static ReadArgs* ca = new ReadArgs();
  auto* con = proof->add_subcommand("consistency", "Consistency proof from OLD to NEW");
  con->add_option("old", ca->size, "Older tree size")->required();
  con->add_option("new", ca->size2, "Newer tree size (default: the whole log)");
  con->add_option("--data", ca->data, "Data directory")->required();
  Bind(con, "ledger proof consistency", ctx, [&ctx] { return ProofConsistency(ctx, *ca); });

  static ReadArgs* ka = new ReadArgs();
  auto* cp = l->add_subcommand("checkpoint", "Sign a checkpoint for new entries; print the latest");
  cp->add_option("--data", ka->data, "Data directory")->required();
  Bind(cp, "ledger checkpoint", ctx, [&ctx] { return CheckpointCmd(ctx, *ka); });

  static ReadArgs* ra = new ReadArgs();
  auto* rc = l->add_subcommand("receipt", "Print the receipt (C2SP tlog-proof) of entry INDEX");
  rc->add_option("index", ra->index, "Entry index")->required();
  rc->add_option("--data", ra->data, "Data directory")->required();
  rc->add_option("--out,-o", ra->out, "Write the receipt to this file");
  Bind(rc, "ledger receipt", ctx, [&ctx] { return ReceiptCmd(ctx, *ra); });

  static VerifyArgs* va = new VerifyArgs();
  auto* verify = l->add_subcommand(
      "verify", "Recompute everything from the stored entries; name the first bad index");
  verify->add_option("data", va->data, "Data directory")->required();
  verify->add_flag("--quiet,-q", va->quiet, "No progress on stderr");
  Bind(verify, "ledger verify", ctx, [&ctx] { return VerifyLedgerCmd(ctx, *va); });

  static LedgerServeArgs* sa = new LedgerServeArgs();
  auto* serve = l->add_subcommand(
      "serve", "Serve the ledger over HTTP (C2SP tlog-tiles, proofs, receipts) until SIGTERM");
  serve->add_option("--data", sa->data, "Data directory")->required();
  AddServeFlags(serve, sa->serve);
  serve->add_option("--witness", sa->witnesses,
                    "A witness to push checkpoints to: URL=VKEY (repeatable)");
  serve->add_option("--witness-quorum", sa->quorum,
                    "Cosignatures that make a checkpoint final (default 0)");
  serve->add_option("--append-token-file", sa->append_token_file,
                    "Enable POST /ledger/entries for requests bearing this token");
  serve->add_option("--checkpoint-interval-ms", sa->checkpoint_interval_ms,
                    "Sign a checkpoint this often while there is new data (default 1000)");
  serve->add_option("--max-batch", sa->max_batch, "Most entries per commit (default 8192)");
  serve->add_option("--batch-linger-us", sa->batch_linger_us,
                    "Wait this long for more entries before each commit (default 0)");
  serve->add_option("--max-pending", sa->max_pending,
                    "Entries waiting to be committed before appends get 503 (default 200000)");
  Bind(serve, "ledger serve", ctx, [] { return LedgerServe(*sa); });

  CLI::App* w = app.add_subcommand("witness", "Run a C2SP tlog-witness for other logs");
  w->require_subcommand(1);
  static WitnessArgs* wa = new WitnessArgs();
  auto* winit = w->add_subcommand("init", "Create a witness data directory and its key");
  winit->add_option("--data", wa->data, "Data directory")->required();
  winit->add_option("--name", wa->name, "Witness name, e.g. witness.example/w1")->required();
  Bind(winit, "witness init", ctx, [&ctx] { return WitnessInit(ctx, *wa); });
  auto* wadd = w->add_subcommand("add-log", "Follow a log: trust KEY for its origin");
  wadd->add_option("--data", wa->data, "Data directory")->required();
  wadd->add_option("--key", wa->key, "The log's verifier key (vkey)")->required();
  wadd->add_option("--origin", wa->origin, "The log's origin (default: the key's name)");
  Bind(wadd, "witness add-log", ctx, [&ctx] { return WitnessAddLog(ctx, *wa); });
  auto* wserve = w->add_subcommand("serve", "Serve add-checkpoint until SIGTERM");
  wserve->add_option("--data", wa->data, "Data directory")->required();
  AddServeFlags(wserve, wa->serve);
  Bind(wserve, "witness serve", ctx, [] { return WitnessServe(*wa); });
  auto* wev = w->add_subcommand("evidence", "Print the fork evidence the witness has kept");
  wev->add_option("--data", wa->data, "Data directory")->required();
  Bind(wev, "witness evidence", ctx, [] { return WitnessEvidence(*wa); });

  static MirrorArgs* ma = new MirrorArgs();
  auto* mirror = app.add_subcommand(
      "mirror", "Copy another log's entries and tiles, verifying every checkpoint; resumable");
  mirror->add_option("url", ma->url, "The log's URL prefix (serving /checkpoint and /tile/...)")
      ->required();
  mirror->add_option("--data", ma->data, "Mirror data directory")->required();
  mirror->add_option("--log-key", ma->log_key, "The log's verifier key (vkey)")->required();
  mirror->add_option("--origin", ma->origin, "The log's origin (default: the key's name)");
  mirror->add_option("--follow", ma->follow_seconds,
                     "Keep mirroring, polling every this many seconds");
  mirror->add_flag("--quiet,-q", ma->quiet, "No progress on stderr");
  Bind(mirror, "mirror", ctx, [&ctx] { return MirrorCmd(ctx, *ma); });

  CLI::App* v = app.add_subcommand("verify", "Verify artifacts offline");
  v->require_subcommand(1);
  static ReceiptVerifyArgs* rv = new ReceiptVerifyArgs();
  auto* rverify = v->add_subcommand("receipt", "Verify a ledger receipt offline");
  rverify->add_option("file", rv->file, "Receipt file (default: - for stdin)");
  rverify->add_option("--log-key", rv->log_key, "The log's verifier key (vkey)")->required();
  rverify->add_option("--witness", rv->witnesses, "A witness's cosignature verifier key");
  rverify->add_option("--min-witnesses", rv->min_witnesses,
                      "Cosignatures required from the given witnesses (default 0)");
  rverify->add_option("--entry", rv->entry_file,
                      "Also check that the receipt is for this entry (JSON file)");
  Bind(rverify, "verify receipt", ctx, [&ctx] { return VerifyReceiptCmd(ctx, *rv); });
}

}  // namespace traceport::cli
