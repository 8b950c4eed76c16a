// Authenticated encryption with associated data: XChaCha20-Poly1305 (IETF construction,
// draft-irtf-cfrg-xchacha), by libsodium.
//
// The 24-byte nonce is large enough to be drawn at random for every message without a
// realistic risk of repetition, so Seal() does exactly that and prepends it:
//
//   sealed = nonce (24) ‖ ciphertext (len(plaintext)) ‖ Poly1305 tag (16)
//
// Associated data (`ad`) is authenticated but not encrypted or stored; Open() must be given
// the same bytes. Use it to bind a ciphertext to its context (file format version, key id, ...).
//
// Thread safety: all functions are thread-safe; AeadKey is immutable after construction.
#ifndef TRACEPORT_CRYPTO_AEAD_H_
#define TRACEPORT_CRYPTO_AEAD_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/random.h"
#include "common/status.h"
#include "crypto/secret.h"

namespace traceport::crypto {

inline constexpr size_t kAeadKeySize = 32;
inline constexpr size_t kAeadNonceSize = 24;
inline constexpr size_t kAeadTagSize = 16;
// Bytes Seal() adds to the plaintext.
inline constexpr size_t kAeadOverhead = kAeadNonceSize + kAeadTagSize;

// A 256-bit XChaCha20-Poly1305 key. Move-only; wiped on destruction.
class AeadKey {
 public:
  // A new key from `random` (pass DefaultCsprng() outside tests).
  static AeadKey Generate(RandomSource& random);
  // From 32 key bytes (e.g. the output of DeriveKeyArgon2id). InvalidArgument otherwise.
  static Result<AeadKey> FromBytes(std::span<const uint8_t> key);

  const SecretBytes& bytes() const { return key_; }

 private:
  explicit AeadKey(SecretBytes key) : key_(std::move(key)) {}
  SecretBytes key_;
};

// Encrypts `plaintext` with a fresh nonce from `random`; returns nonce ‖ ciphertext ‖ tag.
// ResourceExhausted if the plaintext exceeds libsodium's per-message limit.
Result<std::vector<uint8_t>> AeadSeal(const AeadKey& key, std::span<const uint8_t> plaintext,
                                      std::span<const uint8_t> ad, RandomSource& random);

// Reverses AeadSeal. InvalidArgument if `sealed` is shorter than kAeadOverhead; DataLoss if
// authentication fails (wrong key, wrong `ad`, or any modified byte). No plaintext is released
// unless the tag verifies. The plaintext is returned as SecretBytes because this is how key
// files are opened.
Result<SecretBytes> AeadOpen(const AeadKey& key, std::span<const uint8_t> sealed,
                             std::span<const uint8_t> ad);

// The same primitive with a caller-supplied nonce, for formats that store the nonce elsewhere.
// The caller must never reuse a nonce with the same key. Output / input is ciphertext ‖ tag.
// InvalidArgument if the nonce is not 24 bytes; otherwise as above.
Result<std::vector<uint8_t>> AeadSealWithNonce(const AeadKey& key, std::span<const uint8_t> nonce,
                                               std::span<const uint8_t> plaintext,
                                               std::span<const uint8_t> ad);
Result<SecretBytes> AeadOpenWithNonce(const AeadKey& key, std::span<const uint8_t> nonce,
                                      std::span<const uint8_t> ciphertext_and_tag,
                                      std::span<const uint8_t> ad);

}  // namespace traceport::crypto

#endif  // TRACEPORT_CRYPTO_AEAD_H_
