// libFuzzer target over the module's parsers and verifiers: Ed25519 verification, SEC1 and
// affine public-key decoding, strict-DER and P1363 ECDSA verification, and AEAD opening. The
// first input byte picks the operation; the rest is the untrusted input. Beyond "no crash",
// it checks that every key that parses re-encodes to itself.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "crypto/aead.h"
#include "crypto/ecdsa.h"
#include "crypto/ed25519.h"

namespace traceport::crypto {
namespace {

const EcdsaPublicKey& FixedP256Key() {
  // d = 1, so the key is the generator; the seed corpus holds signatures under it.
  static const EcdsaPublicKey* const key = [] {
    std::vector<uint8_t> one(32, 0);
    one.back() = 1;
    return new EcdsaPublicKey(EcdsaPrivateKey::FromScalar(EcdsaCurve::kP256, one)->public_key());
  }();
  return *key;
}

const AeadKey& FixedAeadKey() {
  static const AeadKey* const key = new AeadKey(*AeadKey::FromBytes(std::vector<uint8_t>(32, 7)));
  return *key;
}

void CheckSec1RoundTrip(EcdsaCurve curve, std::span<const uint8_t> in) {
  auto key = EcdsaPublicKey::FromSec1(curve, in);
  if (!key.ok()) return;
  auto again = EcdsaPublicKey::FromSec1(curve, key->ToCompressed());
  auto affine = EcdsaPublicKey::FromAffine(curve, key->x(), key->y());
  if (!again.ok() || !(*again == *key) || !affine.ok() || !(*affine == *key)) std::abort();
  const std::vector<uint8_t> encoded =
      in.size() == key->ToUncompressed().size() ? key->ToUncompressed() : key->ToCompressed();
  if (!std::equal(encoded.begin(), encoded.end(), in.begin(), in.end())) std::abort();
}

void FuzzOne(const uint8_t* data, size_t size) {
  if (size == 0) return;
  const std::span<const uint8_t> in(data + 1, size - 1);
  static const uint8_t kMessage[] = {'f', 'u', 'z', 'z'};
  switch (data[0] % 6) {
    case 0: {  // public key (32) ‖ signature (64, or whatever is left) ‖ message
      auto key = Ed25519PublicKey::FromBytes(in.first(std::min<size_t>(32, in.size())));
      if (!key.ok()) return;
      const auto rest = in.subspan(32);
      const auto sig = rest.first(std::min<size_t>(64, rest.size()));
      (void)key->Verify(rest.subspan(sig.size()), sig);
      return;
    }
    case 1:
      CheckSec1RoundTrip(EcdsaCurve::kP256, in);
      return;
    case 2:
      CheckSec1RoundTrip(EcdsaCurve::kP384, in);
      return;
    case 3:
      (void)FixedP256Key().VerifyDer(kMessage, in);
      return;
    case 4:
      (void)FixedP256Key().VerifyP1363(kMessage, in);
      return;
    case 5:
      (void)AeadOpen(FixedAeadKey(), in, kMessage);
      return;
  }
}

}  // namespace
}  // namespace traceport::crypto

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  traceport::crypto::FuzzOne(data, size);
  return 0;
}
