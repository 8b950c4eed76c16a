#include "ledger/witness_client.h"

#include "common/log.h"
#include "ledger/verify/checkpoint.h"
#include "ledger/verify/note.h"

namespace traceport::ledger {

WitnessClient::WitnessClient(std::vector<WitnessEndpoint> witnesses, PostFunction post)
    : witnesses_(std::move(witnesses)), last_size_(witnesses_.size()), post_(std::move(post)) {}

Result<std::string> WitnessClient::Collect(const std::string& note, LogReader& reader) {
  ASSIGN_OR_RETURN(Note parsed, ParseNote(note));
  ASSIGN_OR_RETURN(Checkpoint cp, ParseCheckpoint(parsed.text));
  std::vector<NoteSignature> cosignatures;
  for (size_t w = 0; w < witnesses_.size(); ++w) {
    const WitnessEndpoint& witness = witnesses_[w];
    uint64_t old_size = last_size_[w].value_or(0);
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (old_size > cp.size) {
        log::Warn("ledger.witness_ahead", {{"witness", witness.key.name()},
                                           {"cosigned", std::to_string(old_size)},
                                           {"checkpoint", std::to_string(cp.size)}});
        break;
      }
      std::string body = "old " + std::to_string(old_size) + "\n";
      if (old_size > 0 && old_size < cp.size) {
        Result<std::vector<Hash>> proof = reader.ConsistencyProof(old_size, cp.size);
        if (!proof.ok()) {
          log::Warn("ledger.witness_proof_failed",
                    {{"witness", witness.key.name()}, {"error", proof.status().ToString()}});
          break;
        }
        for (const Hash& h : *proof) body += HashToBase64(h) + "\n";
      }
      body += "\n" + note;
      std::string url = witness.url;
      if (url.empty() || url.back() != '/') url += '/';
      Result<PostReply> reply = post_(url + "add-checkpoint", body);
      if (!reply.ok()) {
        log::Warn("ledger.witness_unreachable",
                  {{"witness", witness.key.name()}, {"error", reply.status().ToString()}});
        break;
      }
      if (reply->status == 409) {
        // The witness tells us the size it last cosigned; try once more from there.
        std::string size_text = reply->body;
        while (!size_text.empty() && size_text.back() == '\n') size_text.pop_back();
        char* end = nullptr;
        const unsigned long long s = std::strtoull(size_text.c_str(), &end, 10);
        if (size_text.empty() || end == nullptr || *end != '\0') break;
        old_size = s;
        last_size_[w] = s;
        continue;
      }
      if (reply->status != 200) {
        log::Warn("ledger.witness_refused", {{"witness", witness.key.name()},
                                             {"status", std::to_string(reply->status)},
                                             {"body", reply->body.substr(0, 200)}});
        break;
      }
      Result<std::vector<NoteSignature>> sigs = ParseSignatureLines(reply->body);
      if (!sigs.ok()) {
        log::Warn("ledger.witness_bad_reply",
                  {{"witness", witness.key.name()}, {"error", sigs.status().ToString()}});
        break;
      }
      for (const NoteSignature& s : *sigs) {
        if (s.name != witness.key.name() || s.key_id != witness.key.key_id()) continue;
        if (witness.key.Verify(parsed.text, s.signature).ok()) {
          cosignatures.push_back(s);
          last_size_[w] = cp.size;
        }
      }
      break;
    }
  }
  if (cosignatures.empty()) return note;
  return AddSignatures(note, cosignatures);
}

size_t WitnessClient::CountCosignatures(const std::string& note) const {
  Result<Note> parsed = ParseNote(note);
  if (!parsed.ok()) return 0;
  size_t count = 0;
  for (const WitnessEndpoint& w : witnesses_) {
    for (const NoteSignature& s : parsed->signatures) {
      if (s.name == w.key.name() && s.key_id == w.key.key_id() &&
          w.key.Verify(parsed->text, s.signature).ok()) {
        ++count;
        break;
      }
    }
  }
  return count;
}

}  // namespace traceport::ledger
