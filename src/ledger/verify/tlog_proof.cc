#include "ledger/verify/tlog_proof.h"

#include <string>
#include <utility>

#include "codec/base64.h"
#include "ledger/verify/internal/text.h"

namespace traceport::ledger {
namespace {

constexpr std::string_view kExtraPrefix = "extra ";
constexpr std::string_view kIndexPrefix = "index ";

std::string Quoted(std::string_view text) { return "\"" + internal::Printable(text) + "\""; }

Status CheckSize(size_t size) {
  if (size > kMaxTlogProofSize) {
    return ResourceExhaustedError("tlog-proof: " + std::to_string(size) +
                                  " bytes exceeds the limit of " +
                                  std::to_string(kMaxTlogProofSize));
  }
  return Status::Ok();
}

Status CheckHashCount(size_t count) {
  if (count > kMaxTlogProofHashes) {
    return InvalidArgumentError("tlog-proof: more than " + std::to_string(kMaxTlogProofHashes) +
                                " inclusion proof hashes");
  }
  return Status::Ok();
}

// The embedded checkpoint must be a well-formed signed note whose text is a checkpoint.
Status CheckCheckpoint(std::string_view signed_checkpoint) {
  auto note = ParseNote(signed_checkpoint);
  if (!note.ok()) return note.status().WithContext("tlog-proof: checkpoint");
  return ParseCheckpoint(note->text).status().WithContext("tlog-proof");
}

}  // namespace

Result<TlogProof> ParseTlogProof(std::string_view text) {
  RETURN_IF_ERROR(CheckSize(text.size()));
  TlogProof proof;
  size_t line_number = 0;
  // The next newline-terminated line, removed from `text`.
  auto next_line = [&](std::string_view what) -> Result<std::string_view> {
    const size_t newline = text.find('\n');
    if (newline == std::string_view::npos) {
      return InvalidArgumentError("tlog-proof: missing " + std::string(what) +
                                  (text.empty() ? "" : " (no newline)"));
    }
    const std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline + 1);
    ++line_number;
    return line;
  };

  ASSIGN_OR_RETURN(std::string_view line, next_line("header line"));
  if (line != kTlogProofHeader) {
    return InvalidArgumentError("tlog-proof: first line must be " + std::string(kTlogProofHeader) +
                                ", got " + Quoted(line));
  }
  ASSIGN_OR_RETURN(line, next_line("index line"));
  if (line.substr(0, kExtraPrefix.size()) == kExtraPrefix) {
    const std::string_view encoded = line.substr(kExtraPrefix.size());
    if (encoded.empty()) {
      return InvalidArgumentError("tlog-proof: extra line without data (omit the line instead)");
    }
    auto extra = codec::Base64Decode(encoded);
    if (!extra.ok()) return extra.status().WithContext("tlog-proof: extra");
    proof.extra = std::move(extra).value();
    ASSIGN_OR_RETURN(line, next_line("index line"));
  }
  if (line.substr(0, kIndexPrefix.size()) != kIndexPrefix) {
    return InvalidArgumentError("tlog-proof: line " + std::to_string(line_number) +
                                " must be \"index <n>\", got " + Quoted(line));
  }
  ASSIGN_OR_RETURN(proof.index,
                   internal::ParseDecimal(line.substr(kIndexPrefix.size()), "tlog-proof: index"));
  while (true) {
    ASSIGN_OR_RETURN(line, next_line("empty line before the checkpoint"));
    if (line.empty()) break;
    RETURN_IF_ERROR(CheckHashCount(proof.inclusion_proof.size() + 1));
    auto hash = HashFromBase64(line);
    if (!hash.ok()) {
      return InvalidArgumentError(
          "tlog-proof: line " + std::to_string(line_number) + " " + Quoted(line) +
          " is not a base64 SHA-256 hash: " + std::string(hash.status().message()));
    }
    proof.inclusion_proof.push_back(*hash);
  }
  RETURN_IF_ERROR(CheckCheckpoint(text));
  proof.checkpoint = std::string(text);
  return proof;
}

Result<std::string> FormatTlogProof(const TlogProof& proof) {
  RETURN_IF_ERROR(CheckHashCount(proof.inclusion_proof.size()));
  RETURN_IF_ERROR(CheckCheckpoint(proof.checkpoint));
  std::string out = std::string(kTlogProofHeader) + "\n";
  if (!proof.extra.empty()) {
    RETURN_IF_ERROR(CheckSize(proof.extra.size()));  // before allocating its base64
    out += std::string(kExtraPrefix) + codec::Base64Encode(proof.extra) + "\n";
  }
  out += std::string(kIndexPrefix) + std::to_string(proof.index) + "\n";
  for (const Hash& hash : proof.inclusion_proof) out += HashToBase64(hash) + "\n";
  out += "\n";
  out += proof.checkpoint;
  RETURN_IF_ERROR(CheckSize(out.size()));
  return out;
}

Result<VerifiedTlogProof> VerifyTlogProof(
    std::string_view proof_text, const Hash& leaf_hash, std::string_view log_origin,
    const SignatureVerifier& log_verifier,
    const std::vector<const SignatureVerifier*>& witness_verifiers, size_t min_witnesses) {
  if (min_witnesses > witness_verifiers.size()) {
    return InvalidArgumentError("tlog-proof: policy requires " + std::to_string(min_witnesses) +
                                " witnesses but only " + std::to_string(witness_verifiers.size()) +
                                " are configured");
  }
  ASSIGN_OR_RETURN(TlogProof proof, ParseTlogProof(proof_text));

  // Steps 2 and 3: origin, log signature, and every cosignature from a trusted witness.
  auto opened = OpenCheckpoint(proof.checkpoint, log_origin, log_verifier, witness_verifiers);
  if (!opened.ok()) return opened.status().WithContext("tlog-proof");
  if (opened->cosignatures.size() < min_witnesses) {
    return UnauthenticatedError("tlog-proof: " + std::to_string(opened->cosignatures.size()) +
                                " trusted witness cosignatures, policy requires " +
                                std::to_string(min_witnesses));
  }

  // Step 4: the inclusion proof binds the leaf to the signed root.
  const Checkpoint& checkpoint = opened->checkpoint;
  RETURN_IF_ERROR(VerifyInclusion(proof.index, checkpoint.size, leaf_hash, proof.inclusion_proof,
                                  checkpoint.root_hash)
                      .WithContext("tlog-proof: inclusion proof"));

  VerifiedTlogProof result;
  result.index = proof.index;
  result.checkpoint = std::move(opened->checkpoint);
  result.extra = std::move(proof.extra);
  result.witnesses = std::move(opened->cosignatures);
  return result;
}

}  // namespace traceport::ledger
