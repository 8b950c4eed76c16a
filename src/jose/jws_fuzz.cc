// Fuzzes JWS verification (compact and JSON), header peeking, JWK parsing and key-file
// inspection. Keys are fixed, so any input that verifies must be a real signature by one of
// them; the check that a verified compact JWS re-verifies after a payload change fails guards
// against the verifier ignoring the signature.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "codec/json.h"
#include "jose/jwk.h"
#include "jose/jws.h"
#include "jose/key_file.h"

namespace {

using namespace traceport;

const std::vector<jose::PublicKey>& Keys() {
  static const auto* keys = [] {
    auto* v = new std::vector<jose::PublicKey>();
    for (auto t : {jose::KeyType::kEd25519, jose::KeyType::kP256, jose::KeyType::kP384}) {
      std::vector<uint8_t> secret(t == jose::KeyType::kP384 ? 48 : 32, 0x11);
      v->push_back(jose::PrivateKey::FromRaw(t, secret).value().public_key());
    }
    return v;
  }();
  return *keys;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  for (const auto& key : Keys()) {
    auto v = jose::VerifyCompact(text, key);
    if (v.ok()) {
      // A verified JWS must stop verifying when its signing input changes.
      std::string changed = text;
      size_t dot = changed.find('.');
      if (dot != std::string::npos && dot + 1 < changed.size() && changed[dot + 1] != '.') {
        changed[dot + 1] = changed[dot + 1] == 'A' ? 'B' : 'A';
        if (jose::VerifyCompact(changed, key).ok()) __builtin_trap();
      }
    }
    (void)jose::VerifyJsonText(text, key);
    jose::JwsVerifyOptions detached;
    detached.detached_payload = "payload";
    (void)jose::VerifyCompact(text, key, detached);
  }
  (void)jose::PeekCompactHeader(text);
  auto json = codec::ParseJson(text);
  if (json.ok()) {
    auto pub = jose::PublicKeyFromJwk(*json);
    if (pub.ok()) {
      // A key that parses must round-trip through its JWK and thumbprint.
      auto again = jose::PublicKeyFromJwk(jose::PublicKeyToJwk(*pub));
      if (!again.ok() || !(*again == *pub)) __builtin_trap();
      (void)jose::Thumbprint(*pub);
    }
    (void)jose::JwkThumbprint(*json);
  }
  (void)jose::InspectKeyFile(text);
  return 0;
}
