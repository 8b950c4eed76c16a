#include "crypto/aead.h"

#include <sodium.h>

#include <string>

#include "crypto/internal/sodium.h"

namespace traceport::crypto {
namespace {

static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == kAeadKeySize);
static_assert(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES == kAeadNonceSize);
static_assert(crypto_aead_xchacha20poly1305_ietf_ABYTES == kAeadTagSize);

Status CheckPlaintextSize(std::span<const uint8_t> plaintext) {
  if (plaintext.size() > crypto_aead_xchacha20poly1305_ietf_MESSAGEBYTES_MAX) {
    return ResourceExhaustedError("aead: plaintext of " + std::to_string(plaintext.size()) +
                                  " bytes exceeds the per-message limit");
  }
  return Status::Ok();
}

// Encrypts into `out`, which has room for plaintext.size() + kAeadTagSize bytes. The plaintext
// size has been checked.
void SealInto(const AeadKey& key, const uint8_t* nonce, std::span<const uint8_t> plaintext,
              std::span<const uint8_t> ad, uint8_t* out) {
  crypto_aead_xchacha20poly1305_ietf_encrypt(out, nullptr, plaintext.data(), plaintext.size(),
                                             ad.data(), ad.size(), nullptr, nonce,
                                             key.bytes().data());
}

Result<SecretBytes> OpenFrom(const AeadKey& key, const uint8_t* nonce,
                             std::span<const uint8_t> ciphertext_and_tag,
                             std::span<const uint8_t> ad) {
  if (ciphertext_and_tag.size() < kAeadTagSize) {
    return InvalidArgumentError("aead: ciphertext shorter than the 16-byte tag");
  }
  SecretBytes plaintext(ciphertext_and_tag.size() - kAeadTagSize);
  // libsodium checks the tag before decrypting and writes nothing on failure.
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          plaintext.data(), nullptr, nullptr, ciphertext_and_tag.data(), ciphertext_and_tag.size(),
          ad.data(), ad.size(), nonce, key.bytes().data()) != 0) {
    return DataLossError(
        "aead: authentication failed (wrong key or associated data, or the "
        "ciphertext was modified)");
  }
  return plaintext;
}

Status CheckNonce(std::span<const uint8_t> nonce) {
  if (nonce.size() != kAeadNonceSize) {
    return InvalidArgumentError("aead: nonce must be 24 bytes, got " +
                                std::to_string(nonce.size()));
  }
  return Status::Ok();
}

}  // namespace

AeadKey AeadKey::Generate(RandomSource& random) {
  internal::EnsureSodiumInitialized();
  SecretBytes key(kAeadKeySize);
  random.Fill(key.mutable_span());
  return AeadKey(std::move(key));
}

Result<AeadKey> AeadKey::FromBytes(std::span<const uint8_t> key) {
  if (key.size() != kAeadKeySize) {
    return InvalidArgumentError("aead: key must be 32 bytes, got " + std::to_string(key.size()));
  }
  internal::EnsureSodiumInitialized();
  return AeadKey(SecretBytes(key));
}

Result<std::vector<uint8_t>> AeadSeal(const AeadKey& key, std::span<const uint8_t> plaintext,
                                      std::span<const uint8_t> ad, RandomSource& random) {
  RETURN_IF_ERROR(CheckPlaintextSize(plaintext));
  std::vector<uint8_t> sealed(kAeadOverhead + plaintext.size());
  random.Fill(std::span<uint8_t>(sealed).first(kAeadNonceSize));
  SealInto(key, sealed.data(), plaintext, ad, sealed.data() + kAeadNonceSize);
  return sealed;
}

Result<SecretBytes> AeadOpen(const AeadKey& key, std::span<const uint8_t> sealed,
                             std::span<const uint8_t> ad) {
  if (sealed.size() < kAeadOverhead) {
    return InvalidArgumentError("aead: sealed message of " + std::to_string(sealed.size()) +
                                " bytes is shorter than nonce and tag (40 bytes)");
  }
  return OpenFrom(key, sealed.data(), sealed.subspan(kAeadNonceSize), ad);
}

Result<std::vector<uint8_t>> AeadSealWithNonce(const AeadKey& key, std::span<const uint8_t> nonce,
                                               std::span<const uint8_t> plaintext,
                                               std::span<const uint8_t> ad) {
  RETURN_IF_ERROR(CheckNonce(nonce));
  RETURN_IF_ERROR(CheckPlaintextSize(plaintext));
  std::vector<uint8_t> out(plaintext.size() + kAeadTagSize);
  SealInto(key, nonce.data(), plaintext, ad, out.data());
  return out;
}

Result<SecretBytes> AeadOpenWithNonce(const AeadKey& key, std::span<const uint8_t> nonce,
                                      std::span<const uint8_t> ciphertext_and_tag,
                                      std::span<const uint8_t> ad) {
  RETURN_IF_ERROR(CheckNonce(nonce));
  return OpenFrom(key, nonce.data(), ciphertext_and_tag, ad);
}

}  // namespace traceport::crypto
