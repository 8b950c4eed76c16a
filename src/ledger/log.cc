#include "ledger/log.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>
#include <utility>

#include "common/log.h"
#include "ledger/entry.h"
#include "ledger/internal/tree_builder.h"
#include "ledger/verify/checkpoint.h"
#include "ledger/verify/tiles.h"

namespace traceport::ledger {
namespace {

struct Pending {
  std::string entry;
  AppendCallback done;
};

}  // namespace

struct Log::Impl {
  explicit Impl(NoteSigner s) : signer(std::move(s)) {}

  std::unique_ptr<LogStorage> storage;
  TileCache tile_cache;
  NoteSigner signer;
  LogOptions options;
  const Clock* clock = nullptr;

  // Sequencer state, owned by the sequencer thread once started (and guarded by state_mu for
  // readers of size/root).
  internal::TreeBuilder builder;

  mutable std::mutex state_mu;
  uint64_t size = 0;  // committed size, readable under state_mu
  Hash root{};

  mutable std::mutex queue_mu;
  std::condition_variable queue_cv;
  std::deque<Pending> queue;
  size_t queued_bytes = 0;
  bool stopping = false;
  Status failed;  // set when a commit failed; guarded by queue_mu

  std::mutex checkpoint_mu;  // serializes signing
  std::condition_variable checkpoint_cv;
  std::optional<StoredCheckpoint> latest_checkpoint;  // guarded by state_mu
  std::optional<StoredCheckpoint> latest_final;       // guarded by state_mu
  std::condition_variable_any progress_cv;            // size or checkpoint advanced

  std::thread sequencer;
  std::thread checkpointer;
  bool checkpointer_stop = false;  // guarded by checkpoint_mu

  Status Recover();
  bool IsFinal(const std::string& note) const {
    return options.witness_quorum == 0 ||
           (options.witnesses &&
            options.witnesses->CountCosignatures(note) >= options.witness_quorum);
  }
  void SequencerLoop();
  Status CommitPending(std::vector<Pending>& batch);
  void CollectCosignatures(StoredCheckpoint& stored);
  void CheckpointLoop();
  Result<StoredCheckpoint> Sign();
};

Status Log::Impl::Recover() {
  ASSIGN_OR_RETURN(TreeState state, storage->LoadState());
  RETURN_IF_ERROR(builder.Load(*storage).WithContext("ledger: recovery"));
  const CompactRange& tree = builder.tree();
  // Re-verify the tail: the entries of the last partial level-0 tile against its hashes...
  const uint64_t tail = state.size % 256;
  uint64_t i = state.size - tail;
  RETURN_IF_ERROR(storage->ScanEntries(
      state.size - tail, state.size, [&](uint64_t index, std::string_view entry) -> Status {
        if (index != i) {
          return DataLossError("ledger: recovery: entry " + std::to_string(i) + " is missing");
        }
        const Hash leaf = LeafHash(entry);
        if (std::memcmp(leaf.data(), builder.partial_tile(0).data() + (index % 256) * kHashSize,
                        kHashSize) != 0) {
          return DataLossError("ledger: recovery: entry " + std::to_string(index) +
                               " does not hash to its stored leaf hash");
        }
        ++i;
        return Status::Ok();
      }));
  if (i != state.size) {
    return DataLossError("ledger: recovery: entries " + std::to_string(i) + ".." +
                         std::to_string(state.size - 1) + " are missing");
  }
  // ...the tree root from the tiles against the stored right edge...
  if (state.size > 0) {
    ASSIGN_OR_RETURN(Hash from_tiles,
                     RootFromNodes(state.size, StorageNodeReader(*storage, state.size)));
    if (from_tiles != tree.Root()) {
      return DataLossError(
          "ledger: recovery: the root computed from the tiles differs from "
          "the stored tree state at size " +
          std::to_string(state.size));
    }
  }
  // ...and the latest checkpoint: our signature, our origin, and its root in this tree.
  ASSIGN_OR_RETURN(auto latest, storage->LatestCheckpoint());
  if (latest) {
    const NoteVerifier verifier = signer.Verifier();
    ASSIGN_OR_RETURN(OpenedCheckpoint opened,
                     OpenCheckpoint(latest->note, options.origin, verifier));
    const Checkpoint& cp = opened.checkpoint;
    if (cp.size != latest->size || cp.size > state.size) {
      return DataLossError("ledger: recovery: the latest checkpoint is for size " +
                           std::to_string(cp.size) + " but the log holds " +
                           std::to_string(state.size) + " entries");
    }
    ASSIGN_OR_RETURN(Hash root_then,
                     cp.size == 0 ? Result<Hash>(EmptyRoot())
                                  : RootFromNodes(cp.size, StorageNodeReader(*storage, cp.size)));
    if (root_then != cp.root_hash) {
      return DataLossError("ledger: recovery: the latest checkpoint's root (size " +
                           std::to_string(cp.size) + ") differs from the stored tree");
    }
    latest_checkpoint = std::move(*latest);
    ASSIGN_OR_RETURN(std::vector<StoredCheckpoint> all, storage->Checkpoints());
    for (auto it = all.rbegin(); it != all.rend(); ++it) {
      if (IsFinal(it->note)) {
        latest_final = *it;
        break;
      }
    }
  }
  size = state.size;
  root = tree.Root();
  return Status::Ok();
}

void Log::Impl::CollectCosignatures(StoredCheckpoint& stored) {
  // Witnesses see only checkpoints that are already stored (no rollback possible).
  LogReader reader(*storage, stored.size, &tile_cache);
  Result<std::string> cosigned = options.witnesses->Collect(stored.note, reader);
  if (!cosigned.ok()) {
    log::Error("ledger.witnesses_failed", {{"error", cosigned.status().ToString()}});
    return;
  }
  if (*cosigned == stored.note) return;
  Status u = storage->UpdateCheckpointNote(stored.size, *cosigned);
  if (!u.ok()) {
    log::Error("ledger.cosigned_store_failed", {{"error", u.ToString()}});
    return;
  }
  stored.note = std::move(*cosigned);
  std::lock_guard<std::mutex> s(state_mu);
  if (latest_checkpoint && latest_checkpoint->size == stored.size) latest_checkpoint = stored;
}

Status Log::Impl::CommitPending(std::vector<Pending>& batch) {
  std::vector<std::string> entries;
  entries.reserve(batch.size());
  for (Pending& p : batch) entries.push_back(std::move(p.entry));
  std::unique_ptr<internal::TreeBuilder::Pending> next = builder.Extend(std::move(entries));
  Status s = storage->Commit(next->batch);
  if (!s.ok()) return s;  // the builder is unchanged: nothing was written
  const uint64_t first = next->batch.first_index;
  builder.Apply(*next);
  {
    std::lock_guard<std::mutex> lock(state_mu);
    size = builder.tree().size();
    root = builder.tree().Root();
  }
  progress_cv.notify_all();
  for (size_t k = 0; k < batch.size(); ++k) {
    if (batch[k].done) batch[k].done(first + k);
  }
  return Status::Ok();
}

void Log::Impl::SequencerLoop() {
  std::vector<Pending> batch;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(queue_mu);
      queue_cv.wait(lock, [&] { return stopping || !queue.empty(); });
      if (queue.empty()) return;  // stopping, nothing left
      if (options.batch_linger.count() > 0 && !stopping &&
          queue.size() < options.max_batch_entries) {
        const auto until = std::chrono::steady_clock::now() + options.batch_linger;
        queue_cv.wait_until(lock, until,
                            [&] { return stopping || queue.size() >= options.max_batch_entries; });
      }
      const size_t n = std::min(queue.size(), options.max_batch_entries);
      batch.clear();
      batch.reserve(n);
      for (size_t k = 0; k < n; ++k) {
        queued_bytes -= queue.front().entry.size();
        batch.push_back(std::move(queue.front()));
        queue.pop_front();
      }
    }
    Status s = CommitPending(batch);
    if (!s.ok()) {
      log::Error("ledger.commit_failed",
                 {{"entries", std::to_string(batch.size())}, {"error", s.ToString()}});
      // After a failed commit (e.g. an fsync error) the store's state is uncertain: accept no
      // more appends until the log is reopened, which re-verifies it.
      {
        std::lock_guard<std::mutex> lock(queue_mu);
        failed = s;
      }
      for (Pending& p : batch) {
        if (p.done) p.done(s);
      }
    }
    batch.clear();
  }
}

Result<StoredCheckpoint> Log::Impl::Sign() {
  std::lock_guard<std::mutex> lock(checkpoint_mu);
  uint64_t tree_size;
  Hash tree_root;
  std::optional<StoredCheckpoint> latest;
  {
    std::lock_guard<std::mutex> s(state_mu);
    tree_size = size;
    tree_root = root;
    latest = latest_checkpoint;
  }
  if (latest && latest->size >= tree_size) {
    // Nothing new to sign; but a checkpoint that missed its witness quorum (a witness was
    // down) is offered to the witnesses again, so that an idle log still becomes final.
    if (options.witnesses && options.witnesses->size() > 0 && !IsFinal(latest->note)) {
      StoredCheckpoint retried = *latest;
      CollectCosignatures(retried);
      if (IsFinal(retried.note)) {
        std::lock_guard<std::mutex> s(state_mu);
        latest_final = retried;
      }
      return retried;
    }
    return *latest;
  }
  if (!latest && tree_size == 0) {
    return NotFoundError("ledger: the log is empty and has no checkpoint yet");
  }
  Checkpoint cp;
  cp.origin = options.origin;
  cp.size = tree_size;
  cp.root_hash = tree_root;
  ASSIGN_OR_RETURN(std::string note, ledger::SignCheckpoint(cp, signer));
  RETURN_IF_ERROR(storage->StoreCheckpoint(tree_size, note));
  StoredCheckpoint stored{tree_size, std::move(note)};
  {
    std::lock_guard<std::mutex> s(state_mu);
    latest_checkpoint = stored;
  }
  if (options.witnesses && options.witnesses->size() > 0) CollectCosignatures(stored);
  if (IsFinal(stored.note)) {
    std::lock_guard<std::mutex> s(state_mu);
    latest_final = stored;
  }
  progress_cv.notify_all();
  if (options.on_checkpoint) options.on_checkpoint(stored.size, stored.note);
  return stored;
}

void Log::Impl::CheckpointLoop() {
  std::unique_lock<std::mutex> lock(checkpoint_mu);
  for (;;) {
    checkpoint_cv.wait_for(lock, options.checkpoint_interval, [&] { return checkpointer_stop; });
    if (checkpointer_stop) return;
    lock.unlock();
    Result<StoredCheckpoint> r = Sign();
    if (!r.ok() && r.status().code() != StatusCode::kNotFound) {
      log::Error("ledger.checkpoint_failed", {{"error", r.status().ToString()}});
    }
    lock.lock();
  }
}

Log::Log(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Result<std::unique_ptr<Log>> Log::Open(std::unique_ptr<LogStorage> storage, NoteSigner signer,
                                       LogOptions options, const Clock& clock) {
  if (storage == nullptr) return InvalidArgumentError("ledger: no storage");
  RETURN_IF_ERROR(ValidateKeyName(options.origin).WithContext("ledger: origin"));
  if (options.max_batch_entries == 0 || options.max_pending_entries == 0 ||
      options.max_pending_bytes < kMaxEntrySize) {
    return InvalidArgumentError(
        "ledger: max_batch_entries and max_pending_entries must be positive and "
        "max_pending_bytes at least one maximal entry (65535 bytes)");
  }
  auto impl = std::make_unique<Impl>(std::move(signer));
  impl->storage = std::move(storage);
  impl->options = std::move(options);
  impl->clock = &clock;
  RETURN_IF_ERROR(impl->Recover());
  Impl* p = impl.get();
  p->sequencer = std::thread([p] { p->SequencerLoop(); });
  if (p->options.checkpoint_interval.count() > 0) {
    p->checkpointer = std::thread([p] { p->CheckpointLoop(); });
  }
  return std::unique_ptr<Log>(new Log(std::move(impl)));
}

Log::~Log() {
  {
    std::lock_guard<std::mutex> lock(impl_->queue_mu);
    impl_->stopping = true;
  }
  impl_->queue_cv.notify_all();
  if (impl_->sequencer.joinable()) impl_->sequencer.join();
  {
    std::lock_guard<std::mutex> lock(impl_->checkpoint_mu);
    impl_->checkpointer_stop = true;
  }
  impl_->checkpoint_cv.notify_all();
  if (impl_->checkpointer.joinable()) impl_->checkpointer.join();
  Result<StoredCheckpoint> last = impl_->Sign();
  if (!last.ok() && last.status().code() != StatusCode::kNotFound) {
    log::Error("ledger.final_checkpoint_failed", {{"error", last.status().ToString()}});
  }
}

Status Log::AppendAsync(std::string canonical, AppendCallback done) {
  if (canonical.size() > kMaxEntrySize) {
    return ResourceExhaustedError("ledger: entry of " + std::to_string(canonical.size()) +
                                  " bytes exceeds the limit of " + std::to_string(kMaxEntrySize));
  }
  {
    std::lock_guard<std::mutex> lock(impl_->queue_mu);
    if (impl_->stopping) return FailedPreconditionError("ledger: the log is shutting down");
    if (!impl_->failed.ok()) {
      return UnavailableError("ledger: a commit failed (" + impl_->failed.ToString() +
                              "); reopen the log to continue");
    }
    if (impl_->queue.size() >= impl_->options.max_pending_entries ||
        impl_->queued_bytes + canonical.size() > impl_->options.max_pending_bytes) {
      return ResourceExhaustedError(
          "ledger: the append pool is full (" + std::to_string(impl_->queue.size()) + " entries, " +
          std::to_string(impl_->queued_bytes) + " bytes waiting to be committed); retry shortly");
    }
    impl_->queued_bytes += canonical.size();
    impl_->queue.push_back(Pending{std::move(canonical), std::move(done)});
  }
  impl_->queue_cv.notify_one();
  return Status::Ok();
}

Result<uint64_t> Log::AppendCanonical(std::string canonical) {
  auto promise = std::make_shared<std::promise<Result<uint64_t>>>();
  std::future<Result<uint64_t>> future = promise->get_future();
  RETURN_IF_ERROR(AppendAsync(std::move(canonical),
                              [promise](Result<uint64_t> r) { promise->set_value(std::move(r)); }));
  return future.get();
}

Result<uint64_t> Log::Append(const nlohmann::json& entry) {
  ASSIGN_OR_RETURN(std::string canonical, CanonicalEntry(entry));
  return AppendCanonical(std::move(canonical));
}

size_t Log::PendingEntries() const {
  std::lock_guard<std::mutex> lock(impl_->queue_mu);
  return impl_->queue.size();
}

uint64_t Log::Size() const {
  std::lock_guard<std::mutex> lock(impl_->state_mu);
  return impl_->size;
}

Hash Log::Root() const {
  std::lock_guard<std::mutex> lock(impl_->state_mu);
  return impl_->root;
}

const std::string& Log::origin() const { return impl_->options.origin; }

std::string Log::VerifierKey() const { return impl_->signer.Verifier().Vkey(); }

LogStorage& Log::storage() { return *impl_->storage; }

Result<StoredCheckpoint> Log::SignCheckpoint() { return impl_->Sign(); }

Result<StoredCheckpoint> Log::LatestCheckpoint() {
  std::lock_guard<std::mutex> lock(impl_->state_mu);
  if (!impl_->latest_checkpoint) {
    return NotFoundError("ledger: no checkpoint has been signed yet");
  }
  return *impl_->latest_checkpoint;
}

Result<StoredCheckpoint> Log::WaitForCheckpoint(uint64_t index, std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(impl_->state_mu);
  const bool ok = impl_->progress_cv.wait_for(lock, timeout, [&] {
    return impl_->latest_checkpoint && impl_->latest_checkpoint->size > index;
  });
  if (!ok) {
    return DeadlineExceededError("ledger: no checkpoint covers entry " + std::to_string(index) +
                                 " after " + std::to_string(timeout.count()) + " ms");
  }
  return *impl_->latest_checkpoint;
}

Result<std::string> Log::Entry(uint64_t index) { return Reader().Entry(index); }

Result<std::vector<Hash>> Log::InclusionProof(uint64_t index, uint64_t tree_size) {
  return Reader().InclusionProof(index, tree_size);
}

Result<std::vector<Hash>> Log::ConsistencyProof(uint64_t size1, uint64_t size2) {
  return Reader().ConsistencyProof(size1, size2);
}

Result<Hash> Log::RootAt(uint64_t tree_size) { return Reader().RootAt(tree_size); }

Result<StoredCheckpoint> Log::LatestFinalCheckpoint() {
  std::lock_guard<std::mutex> lock(impl_->state_mu);
  if (!impl_->latest_final) {
    return NotFoundError("ledger: no checkpoint has enough witness cosignatures yet");
  }
  return *impl_->latest_final;
}

Result<std::string> Log::Receipt(uint64_t index) {
  Result<StoredCheckpoint> latest = LatestFinalCheckpoint();
  if (!latest.ok()) {
    return FailedPreconditionError("ledger: entry " + std::to_string(index) +
                                   " is not covered by a checkpoint yet; retry in a second");
  }
  return Reader().Receipt(index, *latest);
}

Result<std::string> Log::Tile(uint32_t level, uint64_t index, uint32_t width) {
  return Reader().Tile(level, index, width);
}

Result<std::string> Log::EntryBundle(uint64_t index, uint32_t width) {
  return Reader().EntryBundle(index, width);
}

LogReader Log::Reader() { return LogReader(*impl_->storage, Size(), &impl_->tile_cache); }

}  // namespace traceport::ledger
