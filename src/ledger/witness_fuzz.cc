// libFuzzer target: a witness's add-checkpoint handler on arbitrary request bodies.
//
// The witness follows one log with a fixed key; the fuzzer's inputs are whole request bodies
// (old size, proof lines, signed checkpoint). Invariants checked (a violation traps):
//   - every reply has one of the spec's status codes (200, 400, 403, 404, 409, 422);
//   - a 409 reply is exactly the cosigned size and a newline, as text/x.tlog.size;
//   - a 200 reply is one cosignature line that verifies over the submitted checkpoint.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include <unistd.h>

#include "common/testing/fake_clock.h"
#include "crypto/ed25519.h"
#include "ledger/verify/checkpoint.h"
#include "ledger/witness.h"

namespace {

using namespace traceport;

struct Fixture {
  testing::FakeClock clock{FromUnixSeconds(1795000000)};
  std::filesystem::path dir;
  std::unique_ptr<ledger::Witness> witness;
  std::unique_ptr<ledger::CosignatureVerifier> verifier;

  Fixture() {
    // Fixed keys: the seed corpus holds checkpoints signed by this log key.
    std::array<uint8_t, 32> log_seed{}, witness_seed{};
    log_seed.fill(0x11);
    witness_seed.fill(0x22);
    auto log = ledger::NoteSigner::Create("fuzz.example/log",
                                          *crypto::Ed25519PrivateKey::FromSeed(log_seed));
    auto cosigner = ledger::Cosigner::Create("fuzz.example/witness",
                                             *crypto::Ed25519PrivateKey::FromSeed(witness_seed));
    verifier = std::make_unique<ledger::CosignatureVerifier>(cosigner->Verifier());
    dir = std::filesystem::temp_directory_path() /
          ("traceport_witness_fuzz_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    ledger::WitnessedLog wl{"fuzz.example/log", {log->Verifier()}};
    witness = std::move(*ledger::Witness::Open(dir, std::move(*cosigner), {wl}, clock));
  }
  ~Fixture() {
    witness.reset();
    std::filesystem::remove_all(dir);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Fixture* f = new Fixture();
  const std::string body(reinterpret_cast<const char*>(data), size);
  const ledger::WitnessReply r = f->witness->AddCheckpoint(body);
  switch (r.status) {
    case 200: {
      auto sigs = ledger::ParseSignatureLines(r.body);
      if (!sigs.ok() || sigs->size() != 1) __builtin_trap();
      const size_t blank = body.find("\n\n");
      auto note = ledger::ParseNote(std::string_view(body).substr(blank + 2));
      if (!note.ok()) __builtin_trap();
      if (!f->verifier->Verify(note->text, (*sigs)[0].signature).ok()) __builtin_trap();
      break;
    }
    case 409:
      if (r.content_type != "text/x.tlog.size" || r.body.empty() || r.body.back() != '\n') {
        __builtin_trap();
      }
      break;
    case 400:
    case 403:
    case 404:
    case 422:
      break;
    default:
      __builtin_trap();
  }
  return 0;
}
