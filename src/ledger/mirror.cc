#include "ledger/mirror.h"

#include <cstring>
#include <deque>
#include <future>

#include "ledger/internal/tree_builder.h"
#include "ledger/reader.h"
#include "ledger/verify/checkpoint.h"
#include "ledger/verify/tiles.h"

namespace traceport::ledger {
namespace {

// Fetches bundle `index` of `width` entries and splits it.
Result<std::vector<std::string>> FetchBundle(const MirrorFetch& fetch, uint64_t index,
                                             uint32_t width) {
  TilePath path;
  path.entries = true;
  path.index = index;
  path.width = static_cast<uint16_t>(width);
  ASSIGN_OR_RETURN(std::string body, fetch(path.ToString()));
  Result<std::vector<std::string_view>> parsed = ParseEntryBundle(body);
  if (!parsed.ok()) return parsed.status().WithContext("mirror: bundle " + path.ToString());
  if (parsed->size() != width) {
    return DataLossError("mirror: bundle " + path.ToString() + " holds " +
                         std::to_string(parsed->size()) + " entries, " + std::to_string(width) +
                         " expected");
  }
  std::vector<std::string> out;
  out.reserve(width);
  for (std::string_view e : *parsed) out.emplace_back(e);
  return out;
}

}  // namespace

Result<MirrorResult> MirrorOnce(LogStorage& storage, const MirrorFetch& fetch,
                                const NoteVerifier& log_key, const MirrorOptions& options) {
  ASSIGN_OR_RETURN(std::string note, fetch("checkpoint"));
  Result<OpenedCheckpoint> opened = OpenCheckpoint(note, options.origin, log_key);
  if (!opened.ok()) return opened.status().WithContext("mirror: the log's checkpoint");
  const Checkpoint& cp = opened->checkpoint;

  internal::TreeBuilder builder;
  RETURN_IF_ERROR(builder.Load(storage));
  const uint64_t held = builder.tree().size();
  MirrorResult result;
  if (cp.size < held) {
    // An older (or forked) view: its root must be the root of our tree at its size.
    LogReader reader(storage, held);
    ASSIGN_OR_RETURN(Hash ours, reader.RootAt(cp.size));
    if (ours != cp.root_hash) {
      return DataLossError("mirror: the log's checkpoint for size " + std::to_string(cp.size) +
                           " is not consistent with the " + std::to_string(held) +
                           " entries already mirrored (its root differs): the log forked");
    }
    result.size = held;
    result.checkpoint = note;
    return result;
  }

  // The entries already held in the first, partial bundle must be what the log serves now.
  uint64_t next = held;  // the next index to append
  const size_t window = std::max<size_t>(options.parallel_fetches, 1);
  std::deque<std::future<Result<std::vector<std::string>>>> inflight;
  uint64_t next_bundle = held / 256;
  const uint64_t last_bundle = cp.size == 0 ? 0 : (cp.size - 1) / 256;  // inclusive
  auto width_of = [&](uint64_t b) {
    return static_cast<uint32_t>(std::min<uint64_t>(256, cp.size - b * 256));
  };
  auto launch = [&] {
    while (inflight.size() < window && next_bundle <= last_bundle && cp.size > held) {
      const uint64_t b = next_bundle++;
      inflight.push_back(std::async(
          std::launch::async, [&fetch, b, w = width_of(b)] { return FetchBundle(fetch, b, w); }));
    }
  };
  launch();
  std::vector<std::string> batch;
  size_t bundles_in_batch = 0;
  auto commit = [&]() -> Status {
    if (batch.empty()) return Status::Ok();
    const size_t n = batch.size();
    std::unique_ptr<internal::TreeBuilder::Pending> p = builder.Extend(std::move(batch));
    RETURN_IF_ERROR(storage.Commit(p->batch));
    builder.Apply(*p);
    result.fetched += n;
    batch.clear();
    bundles_in_batch = 0;
    if (options.progress) options.progress(builder.tree().size(), cp.size);
    return Status::Ok();
  };
  while (!inflight.empty()) {
    Result<std::vector<std::string>> bundle = inflight.front().get();
    inflight.pop_front();
    if (!bundle.ok()) {
      // Wait for the other fetches before returning (they use `fetch`).
      for (auto& f : inflight) f.wait();
      Status c = commit();
      return c.ok() ? bundle.status() : c;
    }
    launch();
    const uint64_t first = (next / 256) * 256;
    for (uint64_t i = first; i < first + bundle->size(); ++i) {
      std::string& e = (*bundle)[i - first];
      if (i < held) {
        // Already mirrored: the log must still serve the same entry.
        const Hash leaf = LeafHash(e);
        if (std::memcmp(leaf.data(), builder.partial_tile(0).data() + (i % 256) * kHashSize,
                        kHashSize) != 0) {
          for (auto& f : inflight) f.wait();
          return DataLossError("mirror: the log now serves a different entry " + std::to_string(i) +
                               " than it did before: history changed");
        }
        continue;
      }
      batch.push_back(std::move(e));
      ++next;
    }
    if (++bundles_in_batch >= options.bundles_per_commit) {
      Status c = commit();
      if (!c.ok()) {
        for (auto& f : inflight) f.wait();
        return c;
      }
    }
  }
  RETURN_IF_ERROR(commit());
  if (builder.tree().size() != cp.size) {
    return InternalError("mirror: holds " + std::to_string(builder.tree().size()) +
                         " entries after catching up to " + std::to_string(cp.size));
  }
  if (builder.tree().Root() != cp.root_hash) {
    return DataLossError(
        "mirror: the entries the log serves do not produce the root of its "
        "signed checkpoint for size " +
        std::to_string(cp.size) + ": the log is inconsistent");
  }
  ASSIGN_OR_RETURN(auto latest, storage.LatestCheckpoint());
  if (!latest || latest->size < cp.size) RETURN_IF_ERROR(storage.StoreCheckpoint(cp.size, note));
  result.size = cp.size;
  result.checkpoint = note;
  return result;
}

}  // namespace traceport::ledger
