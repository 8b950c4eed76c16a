// X25519 public keys derived from Ed25519 public keys (the birational map from the twisted
// Edwards curve to Curve25519, u = (1 + y) / (1 - y)). did:key documents for Ed25519 keys carry
// this X25519 key as their keyAgreement method.
#ifndef TRACEPORT_CRYPTO_X25519_H_
#define TRACEPORT_CRYPTO_X25519_H_

#include <array>
#include <cstdint>

#include "common/status.h"
#include "crypto/ed25519.h"

namespace traceport::crypto {

inline constexpr size_t kX25519PublicKeySize = 32;
using X25519PublicKey = std::array<uint8_t, kX25519PublicKeySize>;

// The Montgomery-form public key of `key`. InvalidArgument for keys libsodium refuses to
// convert (small-order or non-canonical points, which Ed25519PublicKey may still hold).
Result<X25519PublicKey> X25519FromEd25519(const Ed25519PublicKey& key);

}  // namespace traceport::crypto

#endif  // TRACEPORT_CRYPTO_X25519_H_
