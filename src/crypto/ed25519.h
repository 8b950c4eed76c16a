// Ed25519 signatures (RFC 8032, pure Ed25519 without context or prehash), by libsodium.
//
// Verification policy (pinned; docs/crypto.md has the reasoning and the test evidence): exactly
// libsodium's crypto_sign_verify_detached. A signature is accepted only if
//   - it is 64 bytes and S < L (the group order), so signatures are not malleable;
//   - the public key A is a canonical encoding of a curve point that is not of small order;
//   - R is not of small order and is encoded canonically;
//   - the cofactorless equation [S]B = R + [k]A holds (checked by recomputing R and comparing
//     encodings).
// This rejects all five malformed cases of the "Taming the many EdDSAs" suite (S >= L,
// non-canonical R or A) and additionally the small-order A/R cases that RFC 8032 would accept.
// Signing is deterministic: the same key and message always give the same signature.
//
// Thread safety: key objects are immutable after construction; all const methods may be called
// concurrently.
#ifndef TRACEPORT_CRYPTO_ED25519_H_
#define TRACEPORT_CRYPTO_ED25519_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "common/random.h"
#include "common/status.h"
#include "crypto/secret.h"

namespace traceport::crypto {

inline constexpr size_t kEd25519PublicKeySize = 32;
inline constexpr size_t kEd25519SeedSize = 32;
inline constexpr size_t kEd25519SignatureSize = 64;
using Ed25519Signature = std::array<uint8_t, kEd25519SignatureSize>;

class Ed25519PublicKey {
 public:
  // Wraps the 32-byte encoding of A. Only the length is checked here (InvalidArgument
  // otherwise); whether A is acceptable is decided by Verify(), so that the whole policy lives
  // in one place and a key that cannot verify anything simply fails every verification.
  static Result<Ed25519PublicKey> FromBytes(std::span<const uint8_t> bytes);

  // The public key that belongs to a 32-byte RFC 8032 private key (seed). InvalidArgument if
  // the seed is not 32 bytes.
  static Result<Ed25519PublicKey> FromSeed(std::span<const uint8_t> seed);

  const std::array<uint8_t, kEd25519PublicKeySize>& bytes() const { return bytes_; }

  // OK if `signature` is a valid signature of `message` under this key per the policy above.
  // Errors: InvalidArgument if the signature is not 64 bytes; PermissionDenied if it does not
  // verify (for any reason: wrong key or message, S >= L, bad or small-order point encodings).
  Status Verify(std::span<const uint8_t> message, std::span<const uint8_t> signature) const;

  friend bool operator==(const Ed25519PublicKey&, const Ed25519PublicKey&) = default;

 private:
  friend class Ed25519PrivateKey;
  explicit Ed25519PublicKey(const std::array<uint8_t, kEd25519PublicKeySize>& bytes)
      : bytes_(bytes) {}

  std::array<uint8_t, kEd25519PublicKeySize> bytes_;
};

// A private key. Move-only; the secret lives in SecretBytes and is wiped on destruction. A
// moved-from key may only be destroyed or assigned to.
class Ed25519PrivateKey {
 public:
  // A new key from 32 bytes of `random` (pass DefaultCsprng() outside tests). Never fails.
  static Ed25519PrivateKey Generate(RandomSource& random);

  // The key for a 32-byte RFC 8032 seed. InvalidArgument if the seed is not 32 bytes.
  static Result<Ed25519PrivateKey> FromSeed(std::span<const uint8_t> seed);

  Ed25519PrivateKey(Ed25519PrivateKey&&) noexcept = default;
  Ed25519PrivateKey& operator=(Ed25519PrivateKey&&) noexcept = default;
  Ed25519PrivateKey(const Ed25519PrivateKey&) = delete;
  Ed25519PrivateKey& operator=(const Ed25519PrivateKey&) = delete;

  // An independent copy (its own wiped allocation).
  Ed25519PrivateKey Clone() const;

  const Ed25519PublicKey& public_key() const { return public_key_; }

  // The 32-byte seed, for export (e.g. a JWK "d"). A view into this key's storage: valid while
  // the key lives; copy it into SecretBytes to keep it.
  std::span<const uint8_t> seed() const { return key_pair_.span().first(kEd25519SeedSize); }

  // The deterministic signature of `message`. Never fails.
  Ed25519Signature Sign(std::span<const uint8_t> message) const;

 private:
  Ed25519PrivateKey(SecretBytes key_pair, const Ed25519PublicKey& public_key)
      : key_pair_(std::move(key_pair)), public_key_(public_key) {}
  static Ed25519PrivateKey FromValidSeed(const uint8_t* seed);

  SecretBytes key_pair_;  // libsodium's secret key layout: seed ‖ public key, 64 bytes
  Ed25519PublicKey public_key_;
};

}  // namespace traceport::crypto

#endif  // TRACEPORT_CRYPTO_ED25519_H_
