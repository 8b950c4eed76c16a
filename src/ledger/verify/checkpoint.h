// C2SP checkpoints (c2sp.org/tlog-checkpoint@v1.0.0): the note text with which a log commits
// to its Merkle tree head, signed by the log and possibly cosigned by witnesses.
//
//   <origin>\n
//   <tree size, decimal, no leading zeroes>\n
//   <root hash, standard padded base64 of 32 bytes>\n
//   <extension line>\n        (zero or more, each non-empty; opaque, not recommended)
//
// The origin is any non-empty line (the spec only recommends a schema-less URL, and clients
// must not assume one). Checkpoint text also obeys the note text rules (valid UTF-8, no control
// characters other than the newline) and is at most kMaxCheckpointSize bytes.
//
// Errors: InvalidArgument for malformed text or arguments, ResourceExhausted beyond the size
// limit; OpenCheckpoint adds NotFound for a checkpoint of another log (origin mismatch), and the
// note errors (PermissionDenied: a trusted signature fails; Unauthenticated: the log did not
// sign).
//
// Thread safety: all functions are thread-safe.
#ifndef TRACEPORT_LEDGER_VERIFY_CHECKPOINT_H_
#define TRACEPORT_LEDGER_VERIFY_CHECKPOINT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "ledger/verify/merkle.h"
#include "ledger/verify/note.h"

namespace traceport::ledger {

// The longest checkpoint text (without signatures) parsed or produced.
inline constexpr size_t kMaxCheckpointSize = 64 * 1024;

struct Checkpoint {
  std::string origin;
  uint64_t size = 0;
  Hash root_hash{};
  std::vector<std::string> extensions;  // extension lines, without their newlines

  friend bool operator==(const Checkpoint&, const Checkpoint&) = default;
};

// Parses checkpoint note text (the part of a signed checkpoint before the empty line,
// including its final newline). Verifies nothing.
Result<Checkpoint> ParseCheckpoint(std::string_view text);

// A tree size or index as the tlog specs write them (checkpoints, witness requests, tile
// paths): ASCII digits, no sign, no leading zeroes ("0" itself is allowed), at most 2^64 - 1.
// InvalidArgument naming `what` otherwise.
Result<uint64_t> ParseTlogDecimal(std::string_view text, std::string_view what);

// The note text for `checkpoint`. Fails if it would not parse back to `checkpoint`: an empty
// origin or extension line, a newline or a control character in any of them, or text over
// kMaxCheckpointSize.
Result<std::string> FormatCheckpoint(const Checkpoint& checkpoint);

// The signed checkpoint: FormatCheckpoint(checkpoint) signed by `log_signer`.
Result<std::string> SignCheckpoint(const Checkpoint& checkpoint, const NoteSigner& log_signer);

// A checkpoint whose log signature verified.
struct OpenedCheckpoint {
  Checkpoint checkpoint;
  std::string text;  // the note text, exactly as signed (what cosignatures cover)
  // Verified signatures from `witnesses`, in note order, one per witness (timestamps set for
  // cosignature verifiers).
  std::vector<VerifiedSignature> cosignatures;
};

// Opens a signed checkpoint for the log configured as (`origin`, `log_verifier`): the note must
// parse, its origin line must equal `origin` (NotFound otherwise), the log key must have signed
// (Unauthenticated otherwise), and every signature from the log key or from one of `witnesses`
// must verify (PermissionDenied otherwise). Other signatures are ignored. Witness policy
// (how many are enough) is the caller's; the pointers must outlive the result.
Result<OpenedCheckpoint> OpenCheckpoint(
    std::string_view signed_checkpoint, std::string_view origin,
    const SignatureVerifier& log_verifier,
    const std::vector<const SignatureVerifier*>& witnesses = {});

}  // namespace traceport::ledger

#endif  // TRACEPORT_LEDGER_VERIFY_CHECKPOINT_H_
