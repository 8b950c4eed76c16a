// `traceport mirror`: copies another Traceport log (any C2SP tlog-tiles log of ledger entries)
// into a local store, checking it all the way.
//
// Each run fetches the log's checkpoint and verifies its signature, then fetches the entry
// bundles past what the mirror already holds, recomputes the Merkle tree from the entries and
// requires its root at the checkpoint's size to equal the signed root. Because every
// checkpoint the mirror accepts is checked against the same recomputed tree, every pair of them
// is consistent; a checkpoint that is not (a smaller tree with a different root, entries that
// change history, a root that the entries do not produce) stops the mirror with kDataLoss
// naming what differs. Progress is committed every few bundles, so an interrupted mirror
// resumes where it stopped. The mirror's store has the same layout as a ledger's (storage.h),
// so `traceport ledger verify` audits a mirror too.
//
// Thread safety: thread-compatible; fetches run on up to `parallel_fetches` threads.
#ifndef TRACEPORT_LEDGER_MIRROR_H_
#define TRACEPORT_LEDGER_MIRROR_H_

#include <cstdint>
#include <functional>
#include <string>

#include "common/status.h"
#include "ledger/storage.h"
#include "ledger/verify/note.h"

namespace traceport::ledger {

// GETs `path` relative to the log's prefix ("checkpoint", "tile/entries/x001/234.p/7") and
// returns the body; an HTTP error status is an error (kNotFound for 404).
using MirrorFetch = std::function<Result<std::string>(const std::string& path)>;

struct MirrorOptions {
  std::string origin;  // the log's origin; its checkpoints must say this
  // Called after each commit with (entries held, checkpoint size).
  std::function<void(uint64_t done, uint64_t total)> progress;
  size_t bundles_per_commit = 64;
  size_t parallel_fetches = 4;
};

struct MirrorResult {
  uint64_t size = 0;     // entries the mirror holds, all verified against `checkpoint`
  uint64_t fetched = 0;  // entries fetched in this run
  std::string checkpoint;
};

// One pass: catches the mirror in `storage` up with the log's current checkpoint, verified
// with `log_key`.
Result<MirrorResult> MirrorOnce(LogStorage& storage, const MirrorFetch& fetch,
                                const NoteVerifier& log_key, const MirrorOptions& options);

}  // namespace traceport::ledger

#endif  // TRACEPORT_LEDGER_MIRROR_H_
