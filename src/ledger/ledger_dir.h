// A ledger's data directory: what `traceport ledger init` creates and every other ledger
// command (and later the node) opens.
//
//   DIR/ledger.json   {"origin": "..."}: the checkpoint origin (and the key name)
//   DIR/log.key       the checkpoint signing key, C2SP signer-key text, mode 0600
//   DIR/log.vkey      its public verifier key (vkey text), for clients and witnesses
//   DIR/ledger.db     the SQLite store (sqlite_storage.h); ledger.lock its writer lock
//
// Formats in docs/formats/ledger.md.
#ifndef TRACEPORT_LEDGER_LEDGER_DIR_H_
#define TRACEPORT_LEDGER_LEDGER_DIR_H_

#include <filesystem>
#include <memory>
#include <string>

#include "common/random.h"
#include "common/status.h"
#include "common/time.h"
#include "ledger/log.h"
#include "ledger/verify/note.h"

namespace traceport::ledger {

struct LedgerDir {
  std::filesystem::path dir;
  std::string origin;
  NoteVerifier log_key;
};

// Creates a new ledger directory for `origin` with a fresh signing key. kAlreadyExists when
// `dir` already holds a ledger; kInvalidArgument for an origin that is not a valid key name.
Result<LedgerDir> InitLedgerDir(const std::filesystem::path& dir, const std::string& origin,
                                RandomSource& random);
// Reads the configuration and public key (no secrets). kNotFound when `dir` is not a ledger.
Result<LedgerDir> ReadLedgerDir(const std::filesystem::path& dir);
// Loads the signing key (checked against log.vkey).
Result<NoteSigner> LoadLogSigner(const LedgerDir& dir);
// Opens the log for writing (takes the directory's writer lock). `options.origin` is set from
// the directory.
Result<std::unique_ptr<Log>> OpenLedger(const std::filesystem::path& dir, LogOptions options,
                                        const Clock& clock);
// The same with a signing key kept elsewhere (the node keeps it sealed under its master key and
// removes log.key). InvalidArgument when `signer` does not match log.vkey.
Result<std::unique_ptr<Log>> OpenLedgerWithSigner(const std::filesystem::path& dir,
                                                  NoteSigner signer, LogOptions options,
                                                  const Clock& clock);

}  // namespace traceport::ledger

#endif  // TRACEPORT_LEDGER_LEDGER_DIR_H_
