#include "crypto/ed25519.h"

#include <sodium.h>

#include <algorithm>
#include <string>

#include "crypto/internal/sodium.h"

namespace traceport::crypto {
namespace {

static_assert(crypto_sign_PUBLICKEYBYTES == kEd25519PublicKeySize);
static_assert(crypto_sign_SEEDBYTES == kEd25519SeedSize);
static_assert(crypto_sign_BYTES == kEd25519SignatureSize);
static_assert(crypto_sign_SECRETKEYBYTES == kEd25519SeedSize + kEd25519PublicKeySize);

// libsodium reads the message through this pointer even when it is empty; never hand it null.
const uint8_t* MessagePointer(std::span<const uint8_t> message) {
  static const uint8_t kEmpty = 0;
  return message.empty() ? &kEmpty : message.data();
}

}  // namespace

Result<Ed25519PublicKey> Ed25519PublicKey::FromBytes(std::span<const uint8_t> bytes) {
  if (bytes.size() != kEd25519PublicKeySize) {
    return InvalidArgumentError("ed25519: public key must be 32 bytes, got " +
                                std::to_string(bytes.size()));
  }
  internal::EnsureSodiumInitialized();
  std::array<uint8_t, kEd25519PublicKeySize> a;
  std::copy(bytes.begin(), bytes.end(), a.begin());
  return Ed25519PublicKey(a);
}

Result<Ed25519PublicKey> Ed25519PublicKey::FromSeed(std::span<const uint8_t> seed) {
  ASSIGN_OR_RETURN(Ed25519PrivateKey key, Ed25519PrivateKey::FromSeed(seed));
  return key.public_key();
}

Status Ed25519PublicKey::Verify(std::span<const uint8_t> message,
                                std::span<const uint8_t> signature) const {
  if (signature.size() != kEd25519SignatureSize) {
    return InvalidArgumentError("ed25519: signature must be 64 bytes, got " +
                                std::to_string(signature.size()));
  }
  if (crypto_sign_verify_detached(signature.data(), MessagePointer(message), message.size(),
                                  bytes_.data()) != 0) {
    return PermissionDeniedError("ed25519: signature does not verify");
  }
  return Status::Ok();
}

Ed25519PrivateKey Ed25519PrivateKey::FromValidSeed(const uint8_t* seed) {
  internal::EnsureSodiumInitialized();
  SecretBytes key_pair(crypto_sign_SECRETKEYBYTES);
  std::array<uint8_t, kEd25519PublicKeySize> pk;
  crypto_sign_seed_keypair(pk.data(), key_pair.data(), seed);
  return Ed25519PrivateKey(std::move(key_pair), Ed25519PublicKey(pk));
}

Ed25519PrivateKey Ed25519PrivateKey::Generate(RandomSource& random) {
  SecretBytes seed(kEd25519SeedSize);
  random.Fill(seed.mutable_span());
  return FromValidSeed(seed.data());
}

Result<Ed25519PrivateKey> Ed25519PrivateKey::FromSeed(std::span<const uint8_t> seed) {
  if (seed.size() != kEd25519SeedSize) {
    return InvalidArgumentError("ed25519: seed must be 32 bytes, got " +
                                std::to_string(seed.size()));
  }
  return FromValidSeed(seed.data());
}

Ed25519PrivateKey Ed25519PrivateKey::Clone() const {
  return Ed25519PrivateKey(key_pair_.Clone(), public_key_);
}

Ed25519Signature Ed25519PrivateKey::Sign(std::span<const uint8_t> message) const {
  Ed25519Signature signature;
  crypto_sign_detached(signature.data(), nullptr, MessagePointer(message), message.size(),
                       key_pair_.data());
  return signature;
}

}  // namespace traceport::crypto
