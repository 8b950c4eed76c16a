// libFuzzer target: signed-note parsing and opening, and the vkey / signer-key text forms, on
// arbitrary bytes. The whole input is tried as each of them.
//
// Invariants checked (a violation traps):
//   - parsing is strict: FormatNote(ParseNote(x)) == x, and the same for signature lines,
//     vkeys and signer keys of both types (their formatters give back exactly the input);
//   - OpenNote fails with ParseNote's error whenever ParseNote fails; otherwise it returns
//     OK, PermissionDenied or Unauthenticated, and on success the text is ParseNote's and at
//     least one trusted key is reported;
//   - error messages are printable ASCII.
// The trusted keys are fixed (a type 0x01 log key and a type 0x04 witness key), so seeds signed
// by them reach signature verification.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/ed25519.h"
#include "ledger/verify/cosignature.h"
#include "ledger/verify/note.h"

namespace {

using traceport::Status;
using traceport::StatusCode;
namespace ledger = traceport::ledger;

void CheckMessage(const Status& status) {
  for (char c : status.message()) {
    if (c < 0x20 || c > 0x7e) __builtin_trap();
  }
}

// 32 bytes first, first + 1, ...
std::vector<uint8_t> Seed(uint8_t first) {
  std::vector<uint8_t> seed(32);
  for (size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<uint8_t>(first + i);
  return seed;
}

struct Keys {
  ledger::NoteVerifier log =
      ledger::NoteSigner::Create("log.example/kat",
                                 traceport::crypto::Ed25519PrivateKey::FromSeed(Seed(0x21)).value())
          .value()
          .Verifier();
  ledger::CosignatureVerifier witness =
      ledger::Cosigner::Create("witness.example/w1",
                               traceport::crypto::Ed25519PrivateKey::FromSeed(Seed(0x01)).value())
          .value()
          .Verifier();
};

template <typename ParsedKey, typename Format>
void CheckKeyText(std::string_view text, const ParsedKey& parsed, Format format) {
  if (!parsed.ok()) {
    CheckMessage(parsed.status());
    return;
  }
  if (format(*parsed) != text) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Keys* const keys = new Keys();
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  auto parsed = ledger::ParseNote(text);
  if (parsed.ok()) {
    auto formatted = ledger::FormatNote(*parsed);
    if (!formatted.ok() || *formatted != text) __builtin_trap();
  } else {
    CheckMessage(parsed.status());
  }

  auto opened = ledger::OpenNote(text, {&keys->log, &keys->witness});
  if (!parsed.ok()) {
    if (opened.ok() || !(opened.status() == parsed.status())) __builtin_trap();
  } else if (opened.ok()) {
    if (opened->text != parsed->text || opened->verified.empty()) __builtin_trap();
    for (const auto& v : opened->verified) {
      const bool is_witness = v.verifier == &keys->witness;
      if (v.timestamp.has_value() != is_witness) __builtin_trap();
    }
  } else {
    CheckMessage(opened.status());
    if (opened.status().code() != StatusCode::kPermissionDenied &&
        opened.status().code() != StatusCode::kUnauthenticated) {
      __builtin_trap();
    }
  }

  auto lines = ledger::ParseSignatureLines(text);
  // Prefixing "x\n\n" must not push the note over the size limit.
  if (lines.ok() && text.size() + 3 <= ledger::kMaxNoteSize) {
    auto formatted = ledger::FormatNote(ledger::Note{"x\n", *lines});
    if (!formatted.ok() || *formatted != "x\n\n" + std::string(text)) __builtin_trap();
  } else if (!lines.ok()) {
    CheckMessage(lines.status());
  }

  CheckKeyText(text, ledger::NoteVerifier::FromVkey(text),
               [](const ledger::NoteVerifier& v) { return v.Vkey(); });
  CheckKeyText(text, ledger::CosignatureVerifier::FromVkey(text),
               [](const ledger::CosignatureVerifier& v) { return v.Vkey(); });
  CheckKeyText(text, ledger::NoteSigner::FromSignerKey(text),
               [](const ledger::NoteSigner& s) { return s.SignerKey(); });
  CheckKeyText(text, ledger::Cosigner::FromSignerKey(text),
               [](const ledger::Cosigner& s) { return s.SignerKey(); });
  return 0;
}
