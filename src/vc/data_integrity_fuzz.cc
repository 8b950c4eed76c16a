// Fuzzes Data Integrity verification and proof creation on arbitrary JSON. Keys are fixed (the
// verification method's suffix picks one), so a proof can only verify if it is a real
// signature by one of them. Checked properties, beyond "no crash, no exception":
//   - VerifyProofs never returns an empty list;
//   - a document whose proofs all verify stops verifying when a member is added or removed;
//   - a proof that AddProof just added verifies.
// The seed corpus (testdata/fuzz/data_integrity_fuzz/) holds proofs by these keys.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "codec/json.h"
#include "common/time.h"
#include "vc/data_integrity.h"

namespace {

using namespace traceport;

// Ed25519 for any method, except methods ending in "p256" / "p384". The secrets are the bytes
// 0x11 repeated; the seed corpus was signed with them.
const std::vector<jose::PrivateKey>& Keys() {
  static const auto* keys = [] {
    auto* v = new std::vector<jose::PrivateKey>();
    for (auto t : {jose::KeyType::kEd25519, jose::KeyType::kP256, jose::KeyType::kP384}) {
      std::vector<uint8_t> secret(t == jose::KeyType::kP384 ? 48 : 32, 0x11);
      v->push_back(jose::PrivateKey::FromRaw(t, secret).value());
    }
    return v;
  }();
  return *keys;
}

Result<jose::PublicKey> Lookup(std::string_view method, std::string_view /*purpose*/) {
  auto ends_with = [&](std::string_view s) {
    return method.size() >= s.size() && method.substr(method.size() - s.size()) == s;
  };
  if (ends_with("p256")) return Keys()[1].public_key();
  if (ends_with("p384")) return Keys()[2].public_key();
  if (ends_with("missing")) return NotFoundError("no such key");
  return Keys()[0].public_key();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto doc = codec::ParseJson(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!doc.ok()) return 0;
  const vc::KeyLookup lookup = Lookup;

  vc::VerifyOptions any;
  any.expected_proof_purpose.reset();
  any.now = *ParseRfc3339("2026-06-01T00:00:00Z");
  vc::VerifyOptions strict;
  strict.expected_challenge = "fuzz-challenge";
  strict.expected_domain = "fuzz.example";
  strict.now = any.now;

  const auto results = vc::VerifyProofs(*doc, lookup, any);
  if (results.empty()) __builtin_trap();
  (void)vc::VerifyProofs(*doc, lookup, strict);

  if (vc::AllProofsVerified(results)) {
    // Every proof covers the whole document: one member more or less must break them.
    nlohmann::json changed = *doc;
    if (changed.contains("fuzzMember")) {
      changed.erase("fuzzMember");
    } else {
      changed["fuzzMember"] = true;
    }
    if (vc::AllProofsVerified(vc::VerifyProofs(changed, lookup, any))) __builtin_trap();
  }

  if (doc->is_object()) {
    vc::ProofOptions options;
    options.cryptosuite = "eddsa-jcs-2022";
    options.verification_method = "did:example:fuzz#ed";
    options.created = "2026-01-01T00:00:00Z";
    auto added = vc::AddProof(*doc, options, Keys()[0]);
    if (added.ok()) {
      const auto& proof = (*added)["proof"];
      const size_t count = proof.is_array() ? proof.size() : 1;
      vc::VerifyOptions loose = any;
      loose.max_proofs = count;
      const auto after = vc::VerifyProofs(*added, lookup, loose);
      if (after.size() != count || !after.back().verified()) __builtin_trap();
    }
  }
  return 0;
}
