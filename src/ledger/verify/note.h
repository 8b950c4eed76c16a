// C2SP signed notes (c2sp.org/signed-note@v1.0.0): a UTF-8 text signed by one or more keys.
//
//   <text, ending in a newline>
//   <empty line>
//   — <key name> <base64(4-byte big-endian key ID || signature)>
//   — ...
//
// This header holds the note syntax, the key ID rule, the Ed25519 (signature type 0x01) signer
// and verifier with their text key forms, and OpenNote, which checks a note against the keys a
// caller trusts. Verification goes through the SignatureVerifier interface so that checkpoint
// cosignatures (cosignature.h) are checked by the same call.
//
// What is accepted (the byte-level rules are in docs/formats/notes-and-receipts.md):
//   - at most kMaxNoteSize bytes and kMaxNoteSignatures signature lines (the spec requires at
//     least 16 to be accepted; 100 matches the Go reference);
//   - valid UTF-8 with no control character below U+0020 other than the newline;
//   - the text is everything up to and including the newline of the last empty line; after it
//     come one or more signature lines, each ending in a newline;
//   - a signature line is U+2014, a space, a key name, a space and standard padded base64 of at
//     least five bytes, strictly decoded (no whitespace, canonical trailing bits);
//   - key names are non-empty UTF-8 without Unicode spaces, '+' or characters below U+0020.
//
// Error codes, for every function here:
//   InvalidArgument    malformed text, note, key or arguments;
//   ResourceExhausted  a note over kMaxNoteSize bytes or with more than kMaxNoteSignatures
//                      signatures (also "malformed" in the signed-note sense);
//   PermissionDenied   a signature from a trusted key (name and key ID match) fails to verify;
//   Unauthenticated    a well-formed note carries no signature from any trusted key.
// Messages name the problem and quote untrusted text only in escaped, truncated form.
//
// Thread safety: verifiers and signers are immutable after construction and may be used from
// many threads at once; the free functions are thread-safe.
#ifndef TRACEPORT_LEDGER_VERIFY_NOTE_H_
#define TRACEPORT_LEDGER_VERIFY_NOTE_H_

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

namespace traceport::ledger {

// Signature type identifier bytes (signed-note "Signature types") that this library implements.
inline constexpr uint8_t kSignatureTypeEd25519 = 0x01;
inline constexpr uint8_t kSignatureTypeCosignatureV1 = 0x04;

// Limits on notes this library parses and produces.
inline constexpr size_t kMaxNoteSize = size_t{1} << 20;  // 1 MiB, the whole note
inline constexpr size_t kMaxNoteSignatures = 100;

// key ID = SHA-256(name || 0x0A || signature type || public key)[:4], read big-endian.
uint32_t ComputeKeyId(std::string_view name, uint8_t signature_type,
                      std::span<const uint8_t> public_key);

// The key ID as eight lowercase hex digits, as key texts write it.
std::string FormatKeyId(uint32_t key_id);

// OK if `name` can be a key name: non-empty valid UTF-8 without Unicode spaces, '+' or
// characters below U+0020 (those could never appear in a signature line). InvalidArgument
// otherwise.
Status ValidateKeyName(std::string_view name);

// OK if `text` can be the text of a note: non-empty, valid UTF-8, no control character other
// than the newline, ending in a newline, and at most kMaxNoteSize bytes.
Status ValidateNoteText(std::string_view text);

// One signature line, decoded.
struct NoteSignature {
  std::string name;
  uint32_t key_id = 0;
  std::vector<uint8_t> signature;  // the bytes after the key ID, at least one

  friend bool operator==(const NoteSignature&, const NoteSignature&) = default;
};

// A note split into its text and signature lines; nothing is verified.
struct Note {
  std::string text;  // includes its final newline, not the separating empty line
  std::vector<NoteSignature> signatures;
};

// Splits and decodes a signed note, enforcing every syntax rule above. Verifies nothing: use
// OpenNote before trusting the text.
Result<Note> ParseNote(std::string_view note);

// Parses a block of signature lines on their own (each "— name base64\n"), e.g. the body of a
// witness's add-checkpoint response. At least one line; at most kMaxNoteSignatures.
Result<std::vector<NoteSignature>> ParseSignatureLines(std::string_view lines);

// The signed note for `note`: text, empty line, one line per signature in order. Fails
// (InvalidArgument / ResourceExhausted) if the result would not parse back to `note`: invalid
// text or names, an empty signature, no signatures, or limits exceeded.
Result<std::string> FormatNote(const Note& note);

// One signature line, "— <name> <base64(key ID ‖ signature)>\n" (e.g. a witness's reply).
std::string FormatSignatureLine(const NoteSignature& signature);

// The key of someone whose signatures a caller trusts. OpenNote consults a verifier only for
// signature lines that carry exactly its name and key ID.
class SignatureVerifier {
 public:
  virtual ~SignatureVerifier() = default;

  virtual const std::string& name() const = 0;
  virtual uint32_t key_id() const = 0;

  // Checks `signature` (the bytes after the 4-byte key ID) over the note text `text`. On
  // success returns the timestamp the signature commits to for timestamped types (cosignatures)
  // and nullopt for the others. PermissionDenied when the signature does not verify, including
  // when it does not have the length or structure this type requires.
  virtual Result<std::optional<uint64_t>> Verify(std::string_view text,
                                                 std::span<const uint8_t> signature) const = 0;
};

class NoteSigner;

// An Ed25519 (type 0x01) note verifier. Text form ("vkey"):
//   <name>+<8 lowercase hex digits of the key ID>+<base64(0x01 || 32-byte public key)>
// The base64 part may itself contain '+', so a vkey is split on its first two '+' only.
class NoteVerifier final : public SignatureVerifier {
 public:
  // InvalidArgument if `name` is not a valid key name.
  static Result<NoteVerifier> Create(std::string name, const crypto::Ed25519PublicKey& key);
  // Parses a vkey. InvalidArgument if it has fewer than three parts, an invalid name, a key ID
  // that is not eight lowercase hex digits, bad base64, a type byte other than 0x01, a key that
  // is not 32 bytes, or a key ID that differs from ComputeKeyId of the name and key.
  static Result<NoteVerifier> FromVkey(std::string_view vkey);

  // The vkey text; FromVkey(Vkey()) gives this verifier back.
  std::string Vkey() const;
  const crypto::Ed25519PublicKey& public_key() const { return public_key_; }

  const std::string& name() const override { return name_; }
  uint32_t key_id() const override { return key_id_; }
  // A 64-byte Ed25519 signature over the text; returns nullopt on success.
  Result<std::optional<uint64_t>> Verify(std::string_view text,
                                         std::span<const uint8_t> signature) const override;

 private:
  friend class NoteSigner;  // builds its verifier from a name it has already validated
  NoteVerifier(std::string name, const crypto::Ed25519PublicKey& key);

  std::string name_;
  uint32_t key_id_;
  crypto::Ed25519PublicKey public_key_;
};

// An Ed25519 (type 0x01) note signer. Text form ("signer key", secret):
//   PRIVATE+KEY+<name>+<8 lowercase hex digits of the key ID>+<base64(0x01 || 32-byte seed)>
// split on its first four '+'. Move-only; the seed is wiped when the signer is destroyed.
class NoteSigner {
 public:
  // InvalidArgument if `name` is not a valid key name.
  static Result<NoteSigner> Create(std::string name, crypto::Ed25519PrivateKey key);
  // A new key from `random` (crypto::DefaultCsprng() outside tests).
  static Result<NoteSigner> Generate(std::string name, RandomSource& random);
  // Parses a signer key; the same checks as NoteVerifier::FromVkey, with the key ID checked
  // against the public key derived from the seed. Error messages never contain key material.
  static Result<NoteSigner> FromSignerKey(std::string_view skey);

  NoteSigner(NoteSigner&&) noexcept = default;
  NoteSigner& operator=(NoteSigner&&) noexcept = default;
  NoteSigner(const NoteSigner&) = delete;
  NoteSigner& operator=(const NoteSigner&) = delete;
  NoteSigner Clone() const;

  // The signer key text. It contains the private seed: the caller must protect (and should
  // wipe) the returned string.
  std::string SignerKey() const;

  const std::string& name() const { return name_; }
  uint32_t key_id() const { return key_id_; }
  const crypto::Ed25519PublicKey& public_key() const { return key_.public_key(); }
  NoteVerifier Verifier() const;

  // The signature line for `text`. InvalidArgument if ValidateNoteText(text) fails.
  // Deterministic: the same key and text always give the same signature.
  Result<NoteSignature> Sign(std::string_view text) const;

 private:
  NoteSigner(std::string name, crypto::Ed25519PrivateKey key);

  std::string name_;
  uint32_t key_id_;
  crypto::Ed25519PrivateKey key_;
};

// A signed note: `text` signed by each of `signers` in order. InvalidArgument if the text is
// invalid, `signers` is empty or holds a null pointer; ResourceExhausted beyond the limits.
Result<std::string> SignNote(std::string_view text, const std::vector<const NoteSigner*>& signers);

// `signed_note` with `signatures` appended after its existing signature lines (e.g. witness
// cosignatures added to a checkpoint). A signature identical to one already present (same name,
// key ID and bytes) is not repeated. Nothing is verified. Errors as for ParseNote / FormatNote.
Result<std::string> AddSignatures(std::string_view signed_note,
                                  const std::vector<NoteSignature>& signatures);

// A signature OpenNote verified.
struct VerifiedSignature {
  const SignatureVerifier* verifier = nullptr;  // the matching element of OpenNote's argument
  std::optional<uint64_t> timestamp;            // what the verifier returned (cosignatures)
};

// The result of OpenNote.
struct OpenedNote {
  std::string text;
  // One entry per trusted key that signed, in the order of its first signature line. When a
  // key signed more than once, every one of its signatures was verified and the first is
  // reported.
  std::vector<VerifiedSignature> verified;
  // Signatures from keys not among the verifiers, ignored as the spec requires.
  std::vector<NoteSignature> unknown;
};

// Parses `note` and verifies every signature whose name and key ID match one of `verifiers`
// (signatures from other keys, even if they share a name or an ID with a trusted key, are
// ignored). The pointers must stay valid for the call and for the life of the result.
// Errors: InvalidArgument / ResourceExhausted for a malformed note, and InvalidArgument when
// `verifiers` holds a null pointer or two verifiers with the same name and key ID;
// PermissionDenied when any signature from a trusted key fails (the whole note is rejected);
// Unauthenticated when no trusted key signed.
Result<OpenedNote> OpenNote(std::string_view note,
                            const std::vector<const SignatureVerifier*>& verifiers);

}  // namespace traceport::ledger

#endif  // TRACEPORT_LEDGER_VERIFY_NOTE_H_
