// `traceport ledger verify`: recomputes everything from the stored entries and names the first
// thing that does not match.
//
// The audit streams every entry once, in order: each must be a canonical entry of a known type
// (entry.h) and hash to its leaf in the stored level-0 tile; every stored tile at every level
// must equal the one recomputed from the level below, with no tile missing or left over; the
// stored tree state must equal the recomputed one; and every stored checkpoint must carry a
// valid signature of the log key for the log's origin and commit to the recomputed root at its
// size (which makes every pair of checkpoints consistent). Memory stays O(log n).
//
// Thread safety: thread-compatible; reads storage only.
#ifndef TRACEPORT_LEDGER_AUDIT_H_
#define TRACEPORT_LEDGER_AUDIT_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "ledger/storage.h"
#include "ledger/verify/merkle.h"
#include "ledger/verify/note.h"

namespace traceport::ledger {

struct AuditOptions {
  // Called every `progress_every` entries with (entries checked, total).
  std::function<void(uint64_t done, uint64_t total)> progress;
  uint64_t progress_every = 100000;
};

struct AuditReport {
  bool ok = false;
  uint64_t entries = 0;      // entries checked
  uint64_t tiles = 0;        // stored tiles compared
  uint64_t checkpoints = 0;  // checkpoints verified
  Hash root{};               // the recomputed root of the whole log
  // When !ok: the first entry index the problem concerns (when it concerns one) and what.
  std::optional<uint64_t> first_bad_index;
  std::string problem;
};

// Audits `storage`, whose checkpoints must be signed by `log_key` for `origin`. A finding is
// reported in the AuditReport (ok = false), not as an error; the returned Status is an error only
// when the audit itself could not run (I/O).
Result<AuditReport> AuditLedger(LogStorage& storage, std::string_view origin,
                                const NoteVerifier& log_key, const AuditOptions& options = {});

}  // namespace traceport::ledger

#endif  // TRACEPORT_LEDGER_AUDIT_H_
