#include "ledger/verify/checkpoint.h"

#include <string>
#include <utility>

#include "ledger/verify/internal/text.h"

namespace traceport::ledger {
namespace {

std::string Quoted(std::string_view text) { return "\"" + internal::Printable(text) + "\""; }

// A field that becomes one line of the text: non-empty and without a newline (the other
// character rules are checked on the whole text).
Status CheckLineField(std::string_view field, std::string_view what) {
  if (field.empty()) return InvalidArgumentError("checkpoint: " + std::string(what) + " is empty");
  if (field.find('\n') != std::string_view::npos) {
    return InvalidArgumentError("checkpoint: " + std::string(what) + " contains a newline");
  }
  return Status::Ok();
}

}  // namespace

Result<Checkpoint> ParseCheckpoint(std::string_view text) {
  if (text.size() > kMaxCheckpointSize) {
    return ResourceExhaustedError("checkpoint: " + std::to_string(text.size()) +
                                  " bytes exceeds the limit of " +
                                  std::to_string(kMaxCheckpointSize));
  }
  RETURN_IF_ERROR(ValidateNoteText(text).WithContext("checkpoint"));
  std::vector<std::string_view> lines;
  for (std::string_view rest = text; !rest.empty();) {
    const size_t newline = rest.find('\n');  // found: the text ends in a newline
    const std::string_view line = rest.substr(0, newline);
    if (line.empty()) {
      return InvalidArgumentError("checkpoint: line " + std::to_string(lines.size() + 1) +
                                  " is empty");
    }
    lines.push_back(line);
    rest.remove_prefix(newline + 1);
  }
  if (lines.size() < 3) {
    return InvalidArgumentError("checkpoint: " + std::to_string(lines.size()) +
                                " lines, need origin, tree size and root hash");
  }
  Checkpoint checkpoint;
  checkpoint.origin = std::string(lines[0]);
  ASSIGN_OR_RETURN(checkpoint.size, internal::ParseDecimal(lines[1], "checkpoint: tree size"));
  auto root = HashFromBase64(lines[2]);
  if (!root.ok()) {
    return InvalidArgumentError(
        "checkpoint: root hash " + Quoted(lines[2]) +
        " is not 32 bytes of base64: " + std::string(root.status().message()));
  }
  checkpoint.root_hash = *root;
  for (size_t i = 3; i < lines.size(); ++i) checkpoint.extensions.emplace_back(lines[i]);
  return checkpoint;
}

Result<std::string> FormatCheckpoint(const Checkpoint& checkpoint) {
  RETURN_IF_ERROR(CheckLineField(checkpoint.origin, "origin"));
  std::string text = checkpoint.origin + "\n" + std::to_string(checkpoint.size) + "\n" +
                     HashToBase64(checkpoint.root_hash) + "\n";
  for (const std::string& extension : checkpoint.extensions) {
    RETURN_IF_ERROR(CheckLineField(extension, "extension line"));
    text += extension + "\n";
  }
  // Parsing back applies the remaining rules (characters, size) in one place.
  RETURN_IF_ERROR(ParseCheckpoint(text).status());
  return text;
}

Result<std::string> SignCheckpoint(const Checkpoint& checkpoint, const NoteSigner& log_signer) {
  ASSIGN_OR_RETURN(const std::string text, FormatCheckpoint(checkpoint));
  return SignNote(text, {&log_signer});
}

Result<OpenedCheckpoint> OpenCheckpoint(std::string_view signed_checkpoint, std::string_view origin,
                                        const SignatureVerifier& log_verifier,
                                        const std::vector<const SignatureVerifier*>& witnesses) {
  // The origin is checked before any signature so that a checkpoint of another log is
  // reported as such, not as a signature problem.
  ASSIGN_OR_RETURN(Note note, ParseNote(signed_checkpoint));
  ASSIGN_OR_RETURN(Checkpoint checkpoint, ParseCheckpoint(note.text));
  if (checkpoint.origin != origin) {
    return NotFoundError("checkpoint: origin " + Quoted(checkpoint.origin) +
                         " is not the expected " + Quoted(origin));
  }
  std::vector<const SignatureVerifier*> verifiers = {&log_verifier};
  verifiers.insert(verifiers.end(), witnesses.begin(), witnesses.end());
  ASSIGN_OR_RETURN(OpenedNote opened, OpenNote(signed_checkpoint, verifiers));
  OpenedCheckpoint result;
  bool log_signed = false;
  for (const VerifiedSignature& signature : opened.verified) {
    if (signature.verifier == &log_verifier) {
      log_signed = true;
    } else {
      result.cosignatures.push_back(signature);
    }
  }
  if (!log_signed) {
    return UnauthenticatedError("checkpoint: not signed by the log key " +
                                Quoted(log_verifier.name()) + " (key ID " +
                                FormatKeyId(log_verifier.key_id()) + ")");
  }
  result.checkpoint = std::move(checkpoint);
  result.text = std::move(opened.text);
  return result;
}

Result<uint64_t> ParseTlogDecimal(std::string_view text, std::string_view what) {
  return internal::ParseDecimal(text, what);
}

}  // namespace traceport::ledger
