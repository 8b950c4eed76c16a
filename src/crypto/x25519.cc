#include "crypto/x25519.h"

#include <sodium.h>

#include "crypto/internal/sodium.h"

namespace traceport::crypto {

Result<X25519PublicKey> X25519FromEd25519(const Ed25519PublicKey& key) {
  internal::EnsureSodiumInitialized();
  X25519PublicKey out;
  if (crypto_sign_ed25519_pk_to_curve25519(out.data(), key.bytes().data()) != 0) {
    return InvalidArgumentError("x25519: Ed25519 public key cannot be converted to X25519");
  }
  return out;
}

}  // namespace traceport::crypto
