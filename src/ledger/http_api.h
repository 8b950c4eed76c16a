// The ledger's HTTP API, mounted on a net::HttpServer (docs/api/ledger.md):
//
//   GET  /checkpoint                        the latest checkpoint (C2SP tlog-checkpoint)
//   GET  /tile/<L>/<N>[.p/<W>]              hash tiles (C2SP tlog-tiles)
//   GET  /tile/entries/<N>[.p/<W>]          entry bundles
//   GET  /ledger/entries/{index}            one entry, JSON
//   GET  /ledger/proof/inclusion?index=&tree_size=
//   GET  /ledger/proof/consistency?first=&second=
//   GET  /ledger/receipts/{index}           C2SP tlog-proof text; ?format=json for JSON
//   POST /ledger/entries                    append (only with an append token configured)
//
// and the witness's:
//
//   POST /add-checkpoint                    C2SP tlog-witness
//   GET  /{origin hash}/checkpoint          the latest cosigned checkpoint of a log
//   GET  /evidence                          fork evidence, JSON
//
// Full tiles and bundles are immutable and say so in Cache-Control; the checkpoint is not
// cached. Bad paths, indexes and sizes are 400 or 404 problem responses.
#ifndef TRACEPORT_LEDGER_HTTP_API_H_
#define TRACEPORT_LEDGER_HTTP_API_H_

#include <string>

#include "ledger/log.h"
#include "ledger/witness.h"
#include "net/http_server.h"

namespace traceport::ledger {

struct LedgerApiOptions {
  // When non-empty, POST /ledger/entries accepts entries from requests carrying
  // "Authorization: Bearer <append_token>"; when empty the route is not mounted.
  std::string append_token;
};

// `log` must outlive the server.
void MountLedgerApi(net::HttpServer& server, Log& log, const LedgerApiOptions& options = {});
// `witness` must outlive the server.
void MountWitnessApi(net::HttpServer& server, Witness& witness);

}  // namespace traceport::ledger

#endif  // TRACEPORT_LEDGER_HTTP_API_H_
