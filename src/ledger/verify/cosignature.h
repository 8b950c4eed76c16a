// C2SP checkpoint cosignatures (c2sp.org/tlog-cosignature), Ed25519 "cosignature/v1" only:
// signature type 0x04. A cosignature is a note signature on a checkpoint in which a witness
// states that, as of a timestamp, this is the largest consistent tree head it has seen for the
// log named by the origin line.
//
//   key ID          SHA-256(name || 0x0A || 0x04 || 32-byte Ed25519 public key)[:4]
//   signed message  "cosignature/v1\n" "time <timestamp, decimal, no leading zeroes>\n"
//                   || the whole checkpoint note text (with extension lines, final newline)
//   signature line  — <name> base64(key ID (4) || u64 big-endian timestamp (8) || Ed25519 (64))
//
// The timestamp is POSIX seconds and must not exceed 2^63 - 1. Key text forms, as for type 0x01
// keys but with the type byte 0x04 (the spec defines the vkey; the signer key is our own form,
// the same shape as NoteSigner's):
//   vkey         <name>+<hex key ID>+base64(0x04 || 32-byte public key)
//   signer key   PRIVATE+KEY+<name>+<hex key ID>+base64(0x04 || 32-byte seed)
// The ML-DSA-44 cosignature type (0x06, subtree/v1) is not implemented: such signatures are
// simply unknown keys to OpenNote.
//
// Errors: InvalidArgument for malformed input; CosignatureVerifier::Verify returns
// PermissionDenied for any signature that does not verify (see SignatureVerifier).
//
// Thread safety: cosigners and verifiers are immutable after construction and may be shared
// between threads; the free functions are thread-safe.
#ifndef TRACEPORT_LEDGER_VERIFY_COSIGNATURE_H_
#define TRACEPORT_LEDGER_VERIFY_COSIGNATURE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/random.h"
#include "common/status.h"
#include "crypto/ed25519.h"
#include "ledger/verify/note.h"

namespace traceport::ledger {

// Key ID, timestamp and Ed25519 signature: the decoded bytes of a cosignature/v1 line.
inline constexpr size_t kCosignatureV1Size = 4 + 8 + crypto::kEd25519SignatureSize;
inline constexpr uint64_t kMaxCosignatureTimestamp = (uint64_t{1} << 63) - 1;

// The message a cosignature/v1 signs. `checkpoint_text` is used as given.
std::string CosignatureV1Message(std::string_view checkpoint_text, uint64_t timestamp);

struct CosignatureV1 {
  uint32_t key_id = 0;
  uint64_t timestamp = 0;
  crypto::Ed25519Signature signature{};

  friend bool operator==(const CosignatureV1&, const CosignatureV1&) = default;
};

// Decodes the kCosignatureV1Size bytes of a cosignature/v1 line (key ID included).
// InvalidArgument for any other length or a timestamp above kMaxCosignatureTimestamp. Nothing
// is verified.
Result<CosignatureV1> DecodeCosignatureV1(std::span<const uint8_t> bytes);
// The inverse of DecodeCosignatureV1 (the timestamp is written as given).
std::vector<uint8_t> EncodeCosignatureV1(const CosignatureV1& cosignature);

class Cosigner;

// Verifies a witness's cosignature/v1 signatures; pass it to OpenNote / OpenCheckpoint.
class CosignatureVerifier final : public SignatureVerifier {
 public:
  // InvalidArgument if `name` is not a valid key name.
  static Result<CosignatureVerifier> Create(std::string name, const crypto::Ed25519PublicKey& key);
  // Parses a type 0x04 vkey; the checks of NoteVerifier::FromVkey.
  static Result<CosignatureVerifier> FromVkey(std::string_view vkey);

  std::string Vkey() const;
  const crypto::Ed25519PublicKey& public_key() const { return public_key_; }

  const std::string& name() const override { return name_; }
  uint32_t key_id() const override { return key_id_; }
  // `signature` is the 72 bytes after the key ID: timestamp and Ed25519 signature over
  // CosignatureV1Message(text, timestamp). `text` must be a checkpoint (ParseCheckpoint).
  // Returns the timestamp. PermissionDenied for a wrong length, a timestamp above 2^63 - 1,
  // text that is not a checkpoint, or a signature that does not verify.
  Result<std::optional<uint64_t>> Verify(std::string_view text,
                                         std::span<const uint8_t> signature) const override;

 private:
  friend class Cosigner;  // builds its verifier from a name it has already validated
  CosignatureVerifier(std::string name, const crypto::Ed25519PublicKey& key);

  std::string name_;
  uint32_t key_id_;
  crypto::Ed25519PublicKey public_key_;
};

// A witness's cosigning key. Move-only; the seed is wiped on destruction.
class Cosigner {
 public:
  // InvalidArgument if `name` is not a valid key name.
  static Result<Cosigner> Create(std::string name, crypto::Ed25519PrivateKey key);
  // A new key from `random` (crypto::DefaultCsprng() outside tests).
  static Result<Cosigner> Generate(std::string name, RandomSource& random);
  // Parses a type 0x04 signer key; error messages never contain key material.
  static Result<Cosigner> FromSignerKey(std::string_view skey);

  Cosigner(Cosigner&&) noexcept = default;
  Cosigner& operator=(Cosigner&&) noexcept = default;
  Cosigner(const Cosigner&) = delete;
  Cosigner& operator=(const Cosigner&) = delete;
  Cosigner Clone() const;

  // The signer key text; it contains the private seed.
  std::string SignerKey() const;

  const std::string& name() const { return name_; }
  uint32_t key_id() const { return key_id_; }
  const crypto::Ed25519PublicKey& public_key() const { return key_.public_key(); }
  CosignatureVerifier Verifier() const;

  // The cosignature line for the checkpoint note text `checkpoint_text` at `timestamp`
  // (POSIX seconds). InvalidArgument if the text is not a checkpoint or the timestamp exceeds
  // kMaxCosignatureTimestamp. Checks nothing about the log: a witness must have verified the
  // log's signature and the consistency proof first. Deterministic.
  Result<NoteSignature> Sign(std::string_view checkpoint_text, uint64_t timestamp) const;

 private:
  Cosigner(std::string name, crypto::Ed25519PrivateKey key);

  std::string name_;
  uint32_t key_id_;
  crypto::Ed25519PrivateKey key_;
};

}  // namespace traceport::ledger

#endif  // TRACEPORT_LEDGER_VERIFY_COSIGNATURE_H_
