#include "ledger/http_api.h"

#include <nlohmann/json.hpp>

#include "codec/json.h"
#include "crypto/secret.h"
#include "ledger/entry.h"
#include "ledger/verify/checkpoint.h"
#include "ledger/verify/tiles.h"

namespace traceport::ledger {
namespace {

using net::ServerRequest;
using net::ServerResponse;
using nlohmann::json;

constexpr const char* kImmutable = "public, max-age=31536000, immutable";

ServerResponse Json(const json& value, int status = 200) {
  ServerResponse r;
  r.status = status;
  r.content_type = "application/json";
  r.body = value.dump(2) + "\n";
  return r;
}

ServerResponse Text(std::string body, std::string content_type = "text/plain; charset=utf-8") {
  ServerResponse r;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  return r;
}

Result<uint64_t> Decimal(std::optional<std::string_view> text, std::string_view name) {
  if (!text) return InvalidArgumentError("missing query parameter \"" + std::string(name) + "\"");
  return ParseTlogDecimal(*text, "\"" + std::string(name) + "\"");
}

json Hashes(const std::vector<Hash>& hs) {
  json out = json::array();
  for (const Hash& h : hs) out.push_back(HashToBase64(h));
  return out;
}

// Wraps a handler body that returns Result<ServerResponse>.
template <typename F>
net::HttpServer::Handler Wrap(F f) {
  return [f](const ServerRequest& req) -> ServerResponse {
    Result<ServerResponse> r = f(req);
    if (!r.ok()) return net::ErrorResponse(r.status());
    return std::move(r).value();
  };
}

ServerResponse Tile(Log& log, const ServerRequest& req, bool entries) {
  const std::string path =
      std::string(entries ? "tile/entries/" : "tile/") + req.path_params.at("rest");
  Result<TilePath> tp = ParseTilePath(path);
  if (!tp.ok()) return net::ErrorResponse(tp.status());
  if (tp->entries != entries) {
    return net::ProblemResponse(400, "", "not a tile path: " + path);
  }
  Result<std::string> data =
      entries ? log.EntryBundle(tp->index, tp->width) : log.Tile(tp->level, tp->index, tp->width);
  if (!data.ok()) return net::ErrorResponse(data.status());
  ServerResponse r = Text(std::move(*data), "application/octet-stream");
  // A tile or bundle's bytes never change once it exists at a width; full ones are the
  // long-lived resources the spec wants cached forever.
  r.headers.emplace_back("Cache-Control", tp->partial() ? "public, max-age=3600" : kImmutable);
  return r;
}

}  // namespace

void MountLedgerApi(net::HttpServer& server, Log& log, const LedgerApiOptions& options) {
  server.Handle("GET", "/checkpoint", Wrap([&log](const ServerRequest&) -> Result<ServerResponse> {
                  ASSIGN_OR_RETURN(StoredCheckpoint cp, log.LatestFinalCheckpoint());
                  ServerResponse r = Text(cp.note);
                  r.headers.emplace_back("Cache-Control", "no-cache");
                  return r;
                }));
  // The log's public key (C2SP vkey text): what a receipt's checkpoint signature is checked
  // against. Fetched from the log itself it proves nothing on its own; it tells an auditor which
  // key to compare with the one obtained out of band.
  server.Handle("GET", "/ledger/log.vkey", [&log](const ServerRequest&) {
    ServerResponse r = Text(log.VerifierKey() + "\n");
    r.headers.emplace_back("Cache-Control", "no-cache");
    return r;
  });
  server.Handle("GET", "/tile/entries/{rest...}",
                [&log](const ServerRequest& req) { return Tile(log, req, true); });
  server.Handle("GET", "/tile/{rest...}",
                [&log](const ServerRequest& req) { return Tile(log, req, false); });
  server.Handle(
      "GET", "/ledger/entries/{index}",
      Wrap([&log](const ServerRequest& req) -> Result<ServerResponse> {
        ASSIGN_OR_RETURN(uint64_t index, Decimal(req.path_params.at("index"), "index"));
        ASSIGN_OR_RETURN(std::string entry, log.Entry(index));
        ASSIGN_OR_RETURN(json parsed, codec::ParseJson(entry));
        return Json(
            {{"index", index}, {"entry", parsed}, {"leaf_hash", HashToBase64(LeafHash(entry))}});
      }));
  server.Handle("GET", "/ledger/proof/inclusion",
                Wrap([&log](const ServerRequest& req) -> Result<ServerResponse> {
                  ASSIGN_OR_RETURN(uint64_t index, Decimal(req.QueryParam("index"), "index"));
                  const uint64_t size = log.Size();
                  uint64_t tree_size = size;
                  if (req.QueryParam("tree_size")) {
                    ASSIGN_OR_RETURN(tree_size, Decimal(req.QueryParam("tree_size"), "tree_size"));
                  }
                  ASSIGN_OR_RETURN(std::vector<Hash> proof, log.InclusionProof(index, tree_size));
                  ASSIGN_OR_RETURN(Hash root, log.RootAt(tree_size));
                  return Json({{"index", index},
                               {"tree_size", tree_size},
                               {"root_hash", HashToBase64(root)},
                               {"inclusion_proof", Hashes(proof)}});
                }));
  server.Handle("GET", "/ledger/proof/consistency",
                Wrap([&log](const ServerRequest& req) -> Result<ServerResponse> {
                  ASSIGN_OR_RETURN(uint64_t first, Decimal(req.QueryParam("first"), "first"));
                  uint64_t second = log.Size();
                  if (req.QueryParam("second")) {
                    ASSIGN_OR_RETURN(second, Decimal(req.QueryParam("second"), "second"));
                  }
                  ASSIGN_OR_RETURN(std::vector<Hash> proof, log.ConsistencyProof(first, second));
                  ASSIGN_OR_RETURN(Hash root1, log.RootAt(first));
                  ASSIGN_OR_RETURN(Hash root2, log.RootAt(second));
                  return Json({{"first", first},
                               {"second", second},
                               {"first_root_hash", HashToBase64(root1)},
                               {"second_root_hash", HashToBase64(root2)},
                               {"consistency_proof", Hashes(proof)}});
                }));
  server.Handle("GET", "/ledger/receipts/{index}",
                Wrap([&log](const ServerRequest& req) -> Result<ServerResponse> {
                  ASSIGN_OR_RETURN(uint64_t index, Decimal(req.path_params.at("index"), "index"));
                  ASSIGN_OR_RETURN(std::string entry, log.Entry(index));
                  // Everything below comes from one checkpoint, read once.
                  Result<StoredCheckpoint> final_cp = log.LatestFinalCheckpoint();
                  if (!final_cp.ok() || final_cp->size <= index) {
                    return FailedPreconditionError("ledger: entry " + std::to_string(index) +
                                                   " is not covered by a final checkpoint yet");
                  }
                  const StoredCheckpoint cp = *final_cp;
                  ASSIGN_OR_RETURN(std::string receipt, log.Reader().Receipt(index, cp));
                  const auto format = req.QueryParam("format");
                  const auto accept = req.Header("Accept");
                  const bool as_json = (format && *format == "json") ||
                                       (!format && accept &&
                                        accept->find("application/json") != std::string_view::npos);
                  if (format && *format != "json" && *format != "text") {
                    return InvalidArgumentError("format must be \"text\" or \"json\"");
                  }
                  if (!as_json) return Text(std::move(receipt), "text/plain; charset=utf-8");
                  ASSIGN_OR_RETURN(std::vector<Hash> proof, log.InclusionProof(index, cp.size));
                  ASSIGN_OR_RETURN(json parsed, codec::ParseJson(entry));
                  return Json({{"format", "traceport-receipt/1"},
                               {"index", index},
                               {"tree_size", cp.size},
                               {"entry", parsed},
                               {"leaf_hash", HashToBase64(LeafHash(entry))},
                               {"inclusion_proof", Hashes(proof)},
                               {"checkpoint", cp.note},
                               {"tlog_proof", receipt}});
                }));
  if (!options.append_token.empty()) {
    const std::string token = options.append_token;
    server.Handle(
        "POST", "/ledger/entries",
        Wrap([&log, token](const ServerRequest& req) -> Result<ServerResponse> {
          const auto auth = req.Header("Authorization");
          const std::string expected = "Bearer " + token;
          if (!auth || auth->size() != expected.size() ||
              !crypto::ConstantTimeEquals(
                  std::span(reinterpret_cast<const uint8_t*>(auth->data()), auth->size()),
                  std::span(reinterpret_cast<const uint8_t*>(expected.data()), expected.size()))) {
            return UnauthenticatedError("POST /ledger/entries needs the append token");
          }
          ASSIGN_OR_RETURN(std::string canonical, CanonicalEntryText(req.body));
          Result<uint64_t> appended = log.AppendCanonical(canonical);
          if (!appended.ok() && appended.status().code() == StatusCode::kResourceExhausted) {
            // Back-pressure: the pool is full. Nothing was queued; the client should retry.
            ServerResponse busy =
                net::ProblemResponse(503, "", std::string(appended.status().message()));
            busy.headers.emplace_back("Retry-After", "1");
            return busy;
          }
          ASSIGN_OR_RETURN(uint64_t index, std::move(appended));
          return Json({{"index", index}, {"leaf_hash", HashToBase64(LeafHash(canonical))}}, 201);
        }));
  }
}

void MountWitnessApi(net::HttpServer& server, Witness& witness) {
  auto reply = [](WitnessReply w) {
    ServerResponse r;
    r.status = w.status;
    r.content_type = std::move(w.content_type);
    r.body = std::move(w.body);
    return r;
  };
  server.Handle("POST", "/add-checkpoint", [&witness, reply](const ServerRequest& req) {
    return reply(witness.AddCheckpoint(req.body));
  });
  server.Handle("GET", "/{origin_hash}/checkpoint", [&witness, reply](const ServerRequest& req) {
    ServerResponse r = reply(witness.LatestCheckpoint(req.path_params.at("origin_hash")));
    r.headers.emplace_back("Cache-Control", "no-cache");
    return r;
  });
  server.Handle("GET", "/evidence",
                [&witness, reply](const ServerRequest&) { return reply(witness.EvidenceReply()); });
}

}  // namespace traceport::ledger
