// Algorithm-agnostic signing keys: one PublicKey / PrivateKey type over Ed25519, ECDSA P-256
// and ECDSA P-384, so that JOSE, DIDs and credentials handle every supported key the same way.
//
// Each key type has exactly one JOSE algorithm (Ed25519 ↔ EdDSA, P-256 ↔ ES256, P-384 ↔ ES384);
// Verify() refuses an algorithm that does not belong to the key, which is what stops
// algorithm-substitution attacks. Keys are immutable after construction and thread-compatible.
#ifndef TRACEPORT_JOSE_KEY_H_
#define TRACEPORT_JOSE_KEY_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/random.h"
#include "common/status.h"
#include "crypto/ecdsa.h"
#include "crypto/ed25519.h"
#include "crypto/secret.h"

namespace traceport::jose {

enum class KeyType { kEd25519, kP256, kP384 };
enum class Algorithm { kEdDSA, kES256, kES384 };

// "ed25519", "p256", "p384".
std::string_view KeyTypeName(KeyType type);
// Accepts the names above (case-insensitive) and "Ed25519", "P-256", "P-384".
Result<KeyType> ParseKeyType(std::string_view name);

// "EdDSA", "ES256", "ES384".
std::string_view AlgorithmName(Algorithm alg);
// Exact, case-sensitive JOSE names. "none" is InvalidArgument (never accepted); other registered
// but unsupported names (RS256, ES512, HS256, ...) are Unimplemented.
Result<Algorithm> ParseAlgorithm(std::string_view name);
Algorithm AlgorithmFor(KeyType type);

class PublicKey {
 public:
  explicit PublicKey(crypto::Ed25519PublicKey key) : key_(std::move(key)) {}
  explicit PublicKey(crypto::EcdsaPublicKey key) : key_(std::move(key)) {}

  // Raw public key bytes: 32 for Ed25519, SEC1 (compressed or uncompressed) for P-256 / P-384.
  static Result<PublicKey> FromRaw(KeyType type, std::span<const uint8_t> bytes);
  // A multicodec-prefixed key: ed25519-pub (0xed), p256-pub (0x1200), p384-pub (0x1201), EC
  // keys compressed. Other codecs are Unimplemented; wrong lengths InvalidArgument.
  static Result<PublicKey> FromMulticodec(std::span<const uint8_t> bytes);
  // A Multikey publicKeyMultibase value: "z" + base58btc(multicodec key).
  static Result<PublicKey> FromMultikey(std::string_view multibase);

  KeyType type() const;
  Algorithm algorithm() const { return AlgorithmFor(type()); }
  // Raw bytes: Ed25519 32 bytes; EC compressed SEC1.
  std::vector<uint8_t> ToRaw() const;
  std::vector<uint8_t> ToMulticodec() const;
  std::string ToMultikey() const;

  // OK if `signature` is a valid `alg` signature of `message`. PermissionDenied when the
  // signature does not verify (including a wrong length); InvalidArgument when `alg` does not
  // belong to this key type.
  Status Verify(Algorithm alg, std::span<const uint8_t> message,
                std::span<const uint8_t> signature) const;

  const crypto::Ed25519PublicKey* ed25519() const {
    return std::get_if<crypto::Ed25519PublicKey>(&key_);
  }
  const crypto::EcdsaPublicKey* ecdsa() const { return std::get_if<crypto::EcdsaPublicKey>(&key_); }

  friend bool operator==(const PublicKey& a, const PublicKey& b);

 private:
  std::variant<crypto::Ed25519PublicKey, crypto::EcdsaPublicKey> key_;
};

class PrivateKey {
 public:
  explicit PrivateKey(crypto::Ed25519PrivateKey key);
  explicit PrivateKey(crypto::EcdsaPrivateKey key);

  // A fresh key from `random` (use crypto::DefaultCsprng() in production).
  static Result<PrivateKey> Generate(KeyType type, RandomSource& random);
  // From the raw secret: the 32-byte Ed25519 seed or the big-endian EC scalar (32 / 48 bytes).
  static Result<PrivateKey> FromRaw(KeyType type, std::span<const uint8_t> secret);

  PrivateKey(PrivateKey&&) noexcept = default;
  PrivateKey& operator=(PrivateKey&&) noexcept = default;
  PrivateKey(const PrivateKey&) = delete;
  PrivateKey& operator=(const PrivateKey&) = delete;
  PrivateKey Clone() const;

  KeyType type() const { return public_key_.type(); }
  Algorithm algorithm() const { return AlgorithmFor(type()); }
  const PublicKey& public_key() const { return public_key_; }
  // The raw secret (seed or scalar), wiped when the returned value dies.
  crypto::SecretBytes ExportRaw() const;

  // Signs with the key's algorithm: Ed25519 (64 bytes), ES256 / ES384 as r‖s (64 / 96 bytes).
  Result<std::vector<uint8_t>> Sign(std::span<const uint8_t> message) const;

 private:
  std::variant<crypto::Ed25519PrivateKey, crypto::EcdsaPrivateKey> key_;
  PublicKey public_key_;
};

}  // namespace traceport::jose

#endif  // TRACEPORT_JOSE_KEY_H_
