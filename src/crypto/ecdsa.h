// ECDSA over NIST P-256 with SHA-256 (JOSE "ES256") and P-384 with SHA-384 ("ES384"), by
// OpenSSL 3 through its EVP interface.
//
// The curve fixes the hash: messages are hashed inside Sign/Verify with SHA-256 for P-256 and
// SHA-384 for P-384. Signatures come in two encodings:
//   - P1363: r ‖ s, each left-padded to the field size (64 bytes for P-256, 96 for P-384). This
//     is what JOSE and the W3C Data Integrity ECDSA cryptosuites use.
//   - DER: SEQUENCE { INTEGER r, INTEGER s } (X.509, TLS, many HSMs). Only strict DER is
//     accepted; BER variants, padding and trailing bytes are rejected.
// Verification accepts any s in [1, n-1]; low-S is not required (ECDSA signatures are
// malleable: (r, n - s) is also valid, so never use a signature as an identifier).
// Signing draws its nonce from OpenSSL's CSPRNG, so signatures differ from call to call.
//
// Keys parse once: each key object keeps OpenSSL's parsed key, so Sign/Verify do no decoding.
// A public key (and its copies, which share it) also keeps up to 16 idle verification contexts
// for reuse, so that a verification does not set one up each time as EVP_DigestVerifyInit does.
//
// Errors: InvalidArgument for malformed input (wrong lengths, points not on the curve,
// non-canonical encodings, scalars outside [1, n-1], malformed DER); PermissionDenied for a
// well-formed signature that does not verify; Internal if OpenSSL itself fails.
//
// Thread safety: key objects are immutable after construction (the context pool is internally
// locked); const methods may be called concurrently from any number of threads.
#ifndef TRACEPORT_CRYPTO_ECDSA_H_
#define TRACEPORT_CRYPTO_ECDSA_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "common/random.h"
#include "common/status.h"
#include "crypto/secret.h"

namespace traceport::crypto {

enum class EcdsaCurve { kP256, kP384 };

// "P-256" or "P-384" (the JOSE "crv" names).
std::string_view EcdsaCurveName(EcdsaCurve curve);
// Bytes in a coordinate or scalar: 32 or 48.
size_t EcdsaFieldSize(EcdsaCurve curve);
// Bytes in a P1363 signature: 64 or 96.
size_t EcdsaSignatureSize(EcdsaCurve curve);

class EcdsaPublicKey {
 public:
  // Decodes a SEC1 point: compressed (0x02/0x03 ‖ x: 33 or 49 bytes) or uncompressed
  // (0x04 ‖ x ‖ y: 65 or 97 bytes). InvalidArgument for any other length or prefix, coordinates
  // >= p, a point not on the curve, or an x with no matching y.
  static Result<EcdsaPublicKey> FromSec1(EcdsaCurve curve, std::span<const uint8_t> encoded);

  // From affine coordinates, each exactly the field size (as JWK "x" and "y" require).
  // Same validation as FromSec1.
  static Result<EcdsaPublicKey> FromAffine(EcdsaCurve curve, std::span<const uint8_t> x,
                                           std::span<const uint8_t> y);

  EcdsaCurve curve() const;
  // 0x04 ‖ x ‖ y.
  std::vector<uint8_t> ToUncompressed() const;
  // 0x02 or 0x03 (the parity of y) ‖ x.
  std::vector<uint8_t> ToCompressed() const;
  // The affine coordinates, each exactly the field size. Views valid while this key (or any
  // copy of it) lives.
  std::span<const uint8_t> x() const;
  std::span<const uint8_t> y() const;

  // OK if `signature` (P1363 r ‖ s) is a valid signature of `message`. InvalidArgument if the
  // signature is not exactly EcdsaSignatureSize(curve()) bytes; PermissionDenied if it does not
  // verify (including r or s equal to 0 or >= n).
  Status VerifyP1363(std::span<const uint8_t> message, std::span<const uint8_t> signature) const;

  // As VerifyP1363 for a DER signature. InvalidArgument if it is not strict DER or an integer
  // is wider than the field size.
  Status VerifyDer(std::span<const uint8_t> message, std::span<const uint8_t> signature) const;

  // Same curve and same point.
  friend bool operator==(const EcdsaPublicKey& a, const EcdsaPublicKey& b);

  struct Impl;  // defined in ecdsa.cc

 private:
  explicit EcdsaPublicKey(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  friend class EcdsaPrivateKey;

  // Immutable and shared between copies, so copying a public key is cheap.
  std::shared_ptr<const Impl> impl_;
};

// A private key. Move-only; the scalar is held in SecretBytes and in OpenSSL's key object, and
// both are wiped on destruction. A moved-from key may only be destroyed or assigned to.
class EcdsaPrivateKey {
 public:
  // A new key whose scalar is drawn from `random` (pass DefaultCsprng() outside tests) by
  // rejection sampling into [1, n-1]. Internal if `random` keeps producing out-of-range
  // values (a broken source) or OpenSSL fails.
  static Result<EcdsaPrivateKey> Generate(EcdsaCurve curve, RandomSource& random);

  // From the big-endian scalar d, exactly the field size (as JWK "d" and multikey secrets
  // carry it). InvalidArgument if the length is wrong or d is 0 or >= n.
  static Result<EcdsaPrivateKey> FromScalar(EcdsaCurve curve, std::span<const uint8_t> scalar);

  EcdsaPrivateKey(EcdsaPrivateKey&&) noexcept;
  EcdsaPrivateKey& operator=(EcdsaPrivateKey&&) noexcept;
  ~EcdsaPrivateKey();

  EcdsaCurve curve() const;
  const EcdsaPublicKey& public_key() const;
  // A copy of the scalar d, field-size big-endian.
  SecretBytes ExportScalar() const;

  // Signs `message`; the result is P1363 r ‖ s (EcdsaSignatureSize(curve()) bytes).
  Result<std::vector<uint8_t>> SignP1363(std::span<const uint8_t> message) const;
  // Signs `message`; the result is DER (at most 72 bytes for P-256, 104 for P-384).
  Result<std::vector<uint8_t>> SignDer(std::span<const uint8_t> message) const;

  struct Impl;  // defined in ecdsa.cc

 private:
  explicit EcdsaPrivateKey(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
};

}  // namespace traceport::crypto

#endif  // TRACEPORT_CRYPTO_ECDSA_H_
