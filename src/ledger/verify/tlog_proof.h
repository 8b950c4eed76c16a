// C2SP transparency log proofs (c2sp.org/tlog-proof, v1): an offline-verifiable statement that
// an entry is in a log, optionally witnessed. This is the ledger's receipt format.
//
//   c2sp.org/tlog-proof@v1\n
//   extra <standard padded base64 of opaque data>\n     (only when there is extra data)
//   index <zero-based leaf index, decimal, no leading zeroes>\n
//   <base64 SHA-256 hash>\n                              (zero or more: the inclusion proof,
//   ...                                                   leaf's sibling first)
//   \n
//   <signed checkpoint, verbatim>                        (checkpoint.h, note.h)
//
// Parsing is strict so that FormatTlogProof(ParseTlogProof(x)) == x: an "extra" line with no
// data is refused (no data means no line), proof hashes are exactly 32 bytes of padded base64,
// and the checkpoint must be a well-formed signed checkpoint. Limits: kMaxTlogProofSize bytes
// in all and kMaxTlogProofHashes hashes (a tree of up to 2^64 - 1 leaves needs at most 64).
//
// The extra data is not authenticated by the proof itself. For ledger receipts it holds the
// entry's canonical bytes and the caller computes the leaf hash from it (LeafHash(extra)), which
// the inclusion proof then binds to the signed root.
//
// Errors: InvalidArgument (malformed proof or arguments), ResourceExhausted (limits), and from
// VerifyTlogProof also NotFound (checkpoint of another log), PermissionDenied (a log or
// trusted-witness signature fails), Unauthenticated (no log signature, or fewer witness
// cosignatures than the policy requires), DataLoss (the inclusion proof does not lead to the
// signed root).
//
// Thread safety: all functions are thread-safe.
#ifndef TRACEPORT_LEDGER_VERIFY_TLOG_PROOF_H_
#define TRACEPORT_LEDGER_VERIFY_TLOG_PROOF_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "ledger/verify/checkpoint.h"
#include "ledger/verify/merkle.h"
#include "ledger/verify/note.h"

namespace traceport::ledger {

inline constexpr std::string_view kTlogProofHeader = "c2sp.org/tlog-proof@v1";
inline constexpr size_t kMaxTlogProofSize = size_t{4} << 20;  // 4 MiB
inline constexpr size_t kMaxTlogProofHashes = 64;

struct TlogProof {
  std::vector<uint8_t> extra;  // empty when the proof has no extra line
  uint64_t index = 0;
  std::vector<Hash> inclusion_proof;
  std::string checkpoint;  // the signed checkpoint note, byte for byte

  friend bool operator==(const TlogProof&, const TlogProof&) = default;
};

// Parses a proof. Checks syntax only (including that the checkpoint parses); verifies nothing.
Result<TlogProof> ParseTlogProof(std::string_view text);

// The proof text. Fails if it would not parse back to `proof` (a checkpoint that is not a
// well-formed signed checkpoint, too many hashes, over the size limit).
Result<std::string> FormatTlogProof(const TlogProof& proof);

// What a verified proof establishes.
struct VerifiedTlogProof {
  uint64_t index = 0;
  Checkpoint checkpoint;  // origin, tree size, root hash (extension lines too)
  std::vector<uint8_t> extra;
  // The trusted witnesses whose cosignatures verified, in note order, with their timestamps
  // (for cosignature verifiers). At least the policy's minimum.
  std::vector<VerifiedSignature> witnesses;
};

// Verifies `proof_text` for an entry whose leaf hash the caller computed (step 1 of the spec):
//   2. the checkpoint's origin is `log_origin` and `log_verifier` signed it;
//   3. every cosignature from `witness_verifiers` verifies, and at least `min_witnesses` of
//      them are present (signatures from other keys are ignored);
//   4. the inclusion proof binds `leaf_hash` at the proof's index to the checkpoint's root.
// Cosignature timestamps are reported, not judged: apply any freshness policy to the result.
// InvalidArgument if `min_witnesses` exceeds the number of witness verifiers (the policy could
// never be met) or a verifier pointer is null. The pointers must outlive the result.
Result<VerifiedTlogProof> VerifyTlogProof(
    std::string_view proof_text, const Hash& leaf_hash, std::string_view log_origin,
    const SignatureVerifier& log_verifier,
    const std::vector<const SignatureVerifier*>& witness_verifiers, size_t min_witnesses);

}  // namespace traceport::ledger

#endif  // TRACEPORT_LEDGER_VERIFY_TLOG_PROOF_H_
