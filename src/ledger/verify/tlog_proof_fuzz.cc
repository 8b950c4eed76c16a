// libFuzzer target: tlog-proof parsing, formatting and verification on arbitrary bytes.
//
// Invariants checked (a violation traps):
//   - parsing is strict: FormatTlogProof(ParseTlogProof(x)) == x;
//   - verification never succeeds on what does not parse, and fails with ParseTlogProof's
//     error when parsing fails;
//   - a verified proof reports the parsed index, checkpoint and extra data, and at least the
//     required number of witnesses;
//   - error messages are printable ASCII.
// The policy is fixed: log "ledger.example/log" with a type 0x01 key and one trusted
// cosignature/v1 witness, checked with zero and with one required cosignature. The leaf hash is
// LeafHash(extra), as for ledger receipts, so seeds made with these keys verify.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/ed25519.h"
#include "ledger/verify/cosignature.h"
#include "ledger/verify/merkle.h"
#include "ledger/verify/tlog_proof.h"

namespace {

using traceport::Status;
namespace ledger = traceport::ledger;

constexpr char kOrigin[] = "ledger.example/log";

void CheckMessage(const Status& status) {
  for (char c : status.message()) {
    if (c < 0x20 || c > 0x7e) __builtin_trap();
  }
}

std::vector<uint8_t> Seed(uint8_t first) {
  std::vector<uint8_t> seed(32);
  for (size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<uint8_t>(first + i);
  return seed;
}

struct Keys {
  ledger::NoteVerifier log =
      ledger::NoteSigner::Create(kOrigin,
                                 traceport::crypto::Ed25519PrivateKey::FromSeed(Seed(0x21)).value())
          .value()
          .Verifier();
  ledger::CosignatureVerifier witness =
      ledger::Cosigner::Create("witness.example/w1",
                               traceport::crypto::Ed25519PrivateKey::FromSeed(Seed(0x01)).value())
          .value()
          .Verifier();
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Keys* const keys = new Keys();
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  auto parsed = ledger::ParseTlogProof(text);
  if (parsed.ok()) {
    auto formatted = ledger::FormatTlogProof(*parsed);
    if (!formatted.ok() || *formatted != text) __builtin_trap();
  } else {
    CheckMessage(parsed.status());
  }

  const ledger::Hash leaf =
      parsed.ok() ? ledger::LeafHash(std::span<const uint8_t>(parsed->extra)) : ledger::Hash{};
  for (size_t min_witnesses : {size_t{0}, size_t{1}}) {
    auto verified =
        ledger::VerifyTlogProof(text, leaf, kOrigin, keys->log, {&keys->witness}, min_witnesses);
    if (!parsed.ok()) {
      if (verified.ok() || !(verified.status() == parsed.status())) __builtin_trap();
      continue;
    }
    if (!verified.ok()) {
      CheckMessage(verified.status());
      continue;
    }
    if (verified->index != parsed->index || verified->extra != parsed->extra ||
        verified->checkpoint.origin != kOrigin || verified->index >= verified->checkpoint.size ||
        verified->witnesses.size() < min_witnesses) {
      __builtin_trap();
    }
  }
  return 0;
}
