// Fuzzes DID and DID URL parsing, did:web mapping and the computed methods (did:key, did:jwk)
// through the resolver with the network disabled. Round trips must hold: a DID that parses
// prints back to the same text, and a did:web URL maps back to the same DID.
#include <cstddef>
#include <cstdint>
#include <string>

#include "did/did.h"
#include "did/methods.h"
#include "did/resolver.h"
#include "did/web.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace traceport::did;
  std::string text(reinterpret_cast<const char*>(data), size);
  auto did = ParseDid(text);
  if (did.ok() && did->ToString() != text) __builtin_trap();
  auto url = ParseDidUrl(text);
  if (url.ok() && url->ToString() != text) __builtin_trap();
  if (did.ok() && did->method == "web") {
    auto https = DidWebToUrl(*did);
    if (https.ok()) {
      auto back = DidWebFromUrl(*https);
      if (!back.ok()) __builtin_trap();
      // Ports are normalized ("%3a" → "%3A"), so compare after one more round trip.
      auto again = DidWebToUrl(*back);
      if (!again.ok() || *again != *https) __builtin_trap();
    }
  }
  (void)DidWebFromUrl(text);
  (void)PercentDecode(text);
  DefaultResolver resolver({}, nullptr, nullptr);
  ResolutionResult r = resolver.Resolve(text);
  if (r.ok() && !r.document.is_object()) __builtin_trap();
  (void)r.ToJson();
  if (r.ok()) {
    // Every signing method of a computed document must yield a key.
    for (const auto& vm : r.document["verificationMethod"]) {
      auto key = PublicKeyFromVerificationMethod(vm);
      (void)key;
    }
  }
  return 0;
}
