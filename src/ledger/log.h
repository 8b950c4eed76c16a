// The ledger: an append-only Merkle log (RFC 9162) with a sequencer in front and signed
// checkpoints behind.
//
// Appending: callers hand in entries (validated and canonicalized by entry.h); they wait in a
// bounded pool; one sequencer thread takes everything pending (up to max_batch_entries) and
// commits it as one durable transaction — entries, the tiles they change and the new tree
// state, with one fsync — and only then acknowledges each entry with its index. While a commit
// is in flight new entries pool up, so batches grow with load (group commit) and an idle log
// answers at the latency of one fsync. When the pool is full, appends fail at once with
// kResourceExhausted rather than queueing without bound.
//
// Checkpoints: a second thread signs a C2SP checkpoint for the current tree at least every
// checkpoint_interval while there is new data, stores it (compare-and-swap: never a smaller
// tree than the last one) and hands it to the publish hook (witnesses, mirrors).
//
// Recovery: Open() loads the committed state and re-verifies the tail before accepting appends
// — the last partial tile against its entries, the tree root against the tiles, the latest
// checkpoint's signature and root — and refuses to open (kDataLoss, naming what differs) on
// any mismatch.
//
// Thread safety: thread-safe. Append* may be called from any number of threads.
#ifndef TRACEPORT_LEDGER_LOG_H_
#define TRACEPORT_LEDGER_LOG_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "common/time.h"
#include "ledger/reader.h"
#include "ledger/storage.h"
#include "ledger/verify/merkle.h"
#include "ledger/verify/note.h"
#include "ledger/witness_client.h"

namespace traceport::ledger {

struct LogOptions {
  // The checkpoint origin line, e.g. "customs.example/ledger". Required.
  std::string origin;
  // The most entries one commit carries.
  size_t max_batch_entries = 8192;
  // How long the sequencer waits after the first pending entry for more to join the batch.
  // Zero (the default) commits as soon as the previous commit is done: lowest latency, and
  // batches still grow under load.
  std::chrono::microseconds batch_linger{0};
  // Back-pressure: appends beyond these are refused with kResourceExhausted.
  size_t max_pending_entries = 200000;
  size_t max_pending_bytes = 128u << 20;
  // A new checkpoint at least this often while there is new data; zero disables the thread
  // (checkpoints are then signed only by SignCheckpoint()).
  std::chrono::milliseconds checkpoint_interval{1000};
  // Called (from the checkpoint thread) with each newly stored checkpoint, after witnesses.
  std::function<void(uint64_t size, const std::string& note)> on_checkpoint;
  // Witnesses asked to cosign each new checkpoint (witness_client.h); none by default.
  std::shared_ptr<WitnessClient> witnesses;
  // Cosignatures from those witnesses that make a checkpoint final: the read API serves the
  // latest final checkpoint (LatestFinalCheckpoint). 0 makes every checkpoint final.
  size_t witness_quorum = 0;
};

// One entry's acknowledgement.
using AppendCallback = std::function<void(Result<uint64_t> index)>;

class Log {
 public:
  // Opens the log over `storage` (which it owns), signing checkpoints with `signer`. Verifies
  // the stored tail (see above). kInvalidArgument for bad options; kDataLoss for a stored
  // state that does not verify.
  static Result<std::unique_ptr<Log>> Open(std::unique_ptr<LogStorage> storage, NoteSigner signer,
                                           LogOptions options, const Clock& clock);
  // Stops accepting appends, commits what is pending (acknowledging each), signs a final
  // checkpoint if there is new data, and joins the threads.
  ~Log();
  Log(const Log&) = delete;
  Log& operator=(const Log&) = delete;

  // Validates `entry` against its type's schema, sequences it and returns its index once it
  // is durable. Errors: the schema's kInvalidArgument; kResourceExhausted when the pool is
  // full; the storage's error when the commit failed (then nothing was written).
  Result<uint64_t> Append(const nlohmann::json& entry);
  // The same for an entry already in canonical form (the caller vouches for the schema).
  Result<uint64_t> AppendCanonical(std::string canonical);
  // Queues a canonical entry and returns at once; `done` runs on the sequencer thread once the
  // entry is durable (or its commit failed). Returns kResourceExhausted (and never calls
  // `done`) when the pool is full, kFailedPrecondition when the log is shutting down.
  Status AppendAsync(std::string canonical, AppendCallback done);

  // Entries durably committed (and integrated).
  uint64_t Size() const;
  // Entries queued and not yet committed (the append pool's depth, for metrics).
  size_t PendingEntries() const;
  // The tree's current root.
  Hash Root() const;
  const std::string& origin() const;
  // The log's public key in vkey form (for clients and witnesses).
  std::string VerifierKey() const;

  // Signs and stores a checkpoint for the current tree if it is larger than the latest stored
  // one; returns the latest signed checkpoint either way (kNotFound for an empty log without
  // one).
  Result<StoredCheckpoint> SignCheckpoint();
  // The latest stored checkpoint; kNotFound when none has been signed yet.
  Result<StoredCheckpoint> LatestCheckpoint();
  // The latest checkpoint with at least witness_quorum cosignatures; kNotFound when none is.
  Result<StoredCheckpoint> LatestFinalCheckpoint();
  // Blocks until a stored checkpoint covers `index` or `timeout` passes (kDeadlineExceeded).
  Result<StoredCheckpoint> WaitForCheckpoint(uint64_t index, std::chrono::milliseconds timeout);

  Result<std::string> Entry(uint64_t index);
  // Proofs against any tree size up to Size().
  Result<std::vector<Hash>> InclusionProof(uint64_t index, uint64_t tree_size);
  Result<std::vector<Hash>> ConsistencyProof(uint64_t size1, uint64_t size2);
  // The tree hash of any size up to Size().
  Result<Hash> RootAt(uint64_t tree_size);
  // The C2SP tlog-proof receipt for entry `index` against the latest final checkpoint (with
  // its cosignatures), with the entry's canonical bytes as its `extra` data.
  // kFailedPrecondition when no final checkpoint covers the entry yet.
  Result<std::string> Receipt(uint64_t index);

  // Tile contents for the read API: exactly width * 32 bytes (width 1..256).
  Result<std::string> Tile(uint32_t level, uint64_t index, uint32_t width);
  // An entry bundle: the entries [index*256, index*256 + width) as uint16-length-prefixed bytes.
  Result<std::string> EntryBundle(uint64_t index, uint32_t width);

  LogStorage& storage();
  // A reader at the current committed size.
  LogReader Reader();

  struct Impl;

 private:
  explicit Log(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace traceport::ledger

#endif  // TRACEPORT_LEDGER_LOG_H_
