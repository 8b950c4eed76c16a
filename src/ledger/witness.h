// A C2SP tlog-witness: cosigns checkpoints of the logs it follows after checking that each new
// checkpoint is consistent with the last one it cosigned, and keeps evidence when a log shows it
// two signed checkpoints that cannot both be true.
//
// The protocol (add-checkpoint, its response codes, the monitoring checkpoint) is in
// docs/formats/witness.md. State lives in DIR/witness.db (SQLite, WAL, synchronous=FULL): per
// origin, the latest cosigned checkpoint; and a table of fork evidence. The check of the old
// size and the update of the stored checkpoint happen in one transaction under one lock, so
// two racing requests can never roll the witness back, and the state is durable before the
// cosignature is returned.
//
// Thread safety: thread-safe.
#ifndef TRACEPORT_LEDGER_WITNESS_H_
#define TRACEPORT_LEDGER_WITNESS_H_

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "ledger/verify/cosignature.h"
#include "ledger/verify/merkle.h"
#include "ledger/verify/note.h"

namespace traceport::ledger {

// A log the witness follows: its origin and the keys whose signatures it accepts.
struct WitnessedLog {
  std::string origin;
  std::vector<NoteVerifier> keys;
};

// What the HTTP layer sends back, exactly as the spec prescribes.
struct WitnessReply {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};

// Two log-signed checkpoints that cannot both be true (or a consistency proof the log could not
// make), kept for anyone to check.
struct ForkEvidence {
  int64_t id = 0;
  std::string origin;
  // "same-size-different-root": both checkpoints are for one size with different roots (a
  // fork, beyond doubt); "inconsistent": the log's consistency proof from the cosigned
  // checkpoint to the new one does not verify.
  std::string kind;
  std::string cosigned;     // the checkpoint the witness had cosigned (log signature included)
  std::string conflicting;  // the new checkpoint, as the log signed it
  uint64_t old_size = 0;
  std::vector<Hash> proof;  // the consistency proof the log sent
  int64_t received_at = 0;  // POSIX seconds
};

class Witness {
 public:
  // Opens (creating) the state in `dir`. kInvalidArgument for a log listed twice or without
  // keys.
  static Result<std::unique_ptr<Witness>> Open(const std::filesystem::path& dir, Cosigner cosigner,
                                               std::vector<WitnessedLog> logs, const Clock& clock);
  ~Witness();
  Witness(const Witness&) = delete;
  Witness& operator=(const Witness&) = delete;

  // POST add-checkpoint: `body` is the request body. Every outcome is a reply (200 with the
  // cosignature line, 400, 403, 404, 409 with text/x.tlog.size, 422); 500 only when the state
  // cannot be read or written (then nothing was cosigned).
  WitnessReply AddCheckpoint(std::string_view body);
  // GET <origin hash>/checkpoint: the latest cosigned checkpoint of the log whose origin hashes
  // (SHA-256, lowercase hex) to `origin_hash`, with the log's and the witness's signatures; 404
  // when there is none.
  WitnessReply LatestCheckpoint(std::string_view origin_hash);
  // Every piece of fork evidence, oldest first.
  Result<std::vector<ForkEvidence>> Evidence();
  // The evidence as JSON, for GET /evidence.
  WitnessReply EvidenceReply();

  // The witness's cosignature verifier key.
  std::string VerifierKey() const;
  const std::string& name() const;

  struct Impl;

 private:
  explicit Witness(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace traceport::ledger

#endif  // TRACEPORT_LEDGER_WITNESS_H_
