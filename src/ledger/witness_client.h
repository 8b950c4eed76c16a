// The log's side of C2SP tlog-witness: after each new checkpoint, ask every configured witness
// to cosign it (POST add-checkpoint with a consistency proof from the size that witness last
// cosigned), verify what comes back, and add the cosignatures to the stored checkpoint.
//
// A witness that answers 409 tells us the size it last cosigned; the client retries once from
// there. Anything else that is not a verified cosignature is logged and skipped: a checkpoint
// is "final" when at least `quorum` witnesses cosigned it (LedgerPolicy), and the read API
// serves the latest final checkpoint.
//
// Thread safety: thread-compatible (the log calls it from its checkpoint thread).
#ifndef TRACEPORT_LEDGER_WITNESS_CLIENT_H_
#define TRACEPORT_LEDGER_WITNESS_CLIENT_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "ledger/reader.h"
#include "ledger/verify/cosignature.h"

namespace traceport::ledger {

// One POST: returns (HTTP status, content type, body) or a transport error.
struct PostReply {
  int status = 0;
  std::string content_type;
  std::string body;
};
using PostFunction =
    std::function<Result<PostReply>(const std::string& url, const std::string& body)>;

struct WitnessEndpoint {
  std::string url;  // the submission prefix; add-checkpoint is appended
  CosignatureVerifier key;
};

class WitnessClient {
 public:
  WitnessClient(std::vector<WitnessEndpoint> witnesses, PostFunction post);

  // Asks every witness to cosign `note` (a log-signed checkpoint of `reader`'s log, at most
  // reader.size()), and returns the note with every verified cosignature added. Witnesses that
  // fail are skipped (and logged).
  Result<std::string> Collect(const std::string& note, LogReader& reader);
  // How many of the configured witnesses cosigned `note` (verified).
  size_t CountCosignatures(const std::string& note) const;

  size_t size() const { return witnesses_.size(); }

 private:
  std::vector<WitnessEndpoint> witnesses_;
  std::vector<std::optional<uint64_t>> last_size_;  // per witness, what it last cosigned
  PostFunction post_;
};

}  // namespace traceport::ledger

#endif  // TRACEPORT_LEDGER_WITNESS_CLIENT_H_
