#include "ledger/verify/note.h"

#include <algorithm>
#include <string>
#include <utility>

#include "codec/base64.h"
#include "crypto/sha2.h"
#include "ledger/verify/internal/key_text.h"
#include "ledger/verify/internal/text.h"

namespace traceport::ledger {
namespace {

// U+2014 EM DASH and a space: how every signature line starts.
constexpr std::string_view kSignaturePrefix = "\xe2\x80\x94 ";
// The smallest decoded signature: a 4-byte key ID and at least one byte of signature.
constexpr size_t kMinSignatureBytes = 5;

std::span<const uint8_t> AsBytes(std::string_view text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

std::string Quoted(std::string_view text) { return "\"" + internal::Printable(text) + "\""; }

// UTF-8 validity and the control-character rule, which apply to a whole note and to each of
// its parts. `what` starts the error messages.
Status CheckCharacters(std::string_view text, std::string_view what) {
  if (auto bad = internal::FindInvalidUtf8(text)) {
    return InvalidArgumentError(std::string(what) + ": invalid UTF-8 at offset " +
                                std::to_string(*bad));
  }
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<uint8_t>(text[i]);
    if (c < 0x20 && c != '\n') {
      return InvalidArgumentError(std::string(what) + ": control character " +
                                  internal::Printable(text.substr(i, 1)) + " at offset " +
                                  std::to_string(i));
    }
  }
  return Status::Ok();
}

Status CheckSize(size_t size, std::string_view what) {
  if (size > kMaxNoteSize) {
    return ResourceExhaustedError(std::string(what) + ": " + std::to_string(size) +
                                  " bytes exceeds the limit of " + std::to_string(kMaxNoteSize));
  }
  return Status::Ok();
}

Status CheckSignatureCount(size_t count, std::string_view what) {
  if (count > kMaxNoteSignatures) {
    return ResourceExhaustedError(std::string(what) + ": " + std::to_string(count) +
                                  " signatures exceed the limit of " +
                                  std::to_string(kMaxNoteSignatures));
  }
  return Status::Ok();
}

// Parses one signature line without its newline. `number` counts from 1, for messages.
Result<NoteSignature> ParseSignatureLine(std::string_view line, size_t number) {
  const std::string where = "note: signature line " + std::to_string(number);
  if (line.substr(0, kSignaturePrefix.size()) != kSignaturePrefix) {
    return InvalidArgumentError(where + " does not start with U+2014 and a space: " + Quoted(line));
  }
  line.remove_prefix(kSignaturePrefix.size());
  const size_t space = line.find(' ');
  if (space == std::string_view::npos) {
    return InvalidArgumentError(where + " has no space between key name and signature");
  }
  const std::string_view name = line.substr(0, space);
  const std::string_view encoded = line.substr(space + 1);
  RETURN_IF_ERROR(ValidateKeyName(name).WithContext(where));
  if (encoded.empty()) return InvalidArgumentError(where + " has an empty signature");
  auto decoded = codec::Base64Decode(encoded);
  if (!decoded.ok()) return decoded.status().WithContext(where);
  if (decoded->size() < kMinSignatureBytes) {
    return InvalidArgumentError(where + ": signature of " + std::to_string(decoded->size()) +
                                " bytes is shorter than a key ID and one byte");
  }
  const std::vector<uint8_t>& bytes = *decoded;
  NoteSignature signature;
  signature.name = std::string(name);
  signature.key_id = (uint32_t{bytes[0]} << 24) | (uint32_t{bytes[1]} << 16) |
                     (uint32_t{bytes[2]} << 8) | uint32_t{bytes[3]};
  signature.signature.assign(bytes.begin() + 4, bytes.end());
  return signature;
}

// Parses a block of signature lines whose characters have been checked.
Result<std::vector<NoteSignature>> ParseSignatureBlock(std::string_view block) {
  if (block.empty()) return InvalidArgumentError("note: no signature lines");
  if (block.back() != '\n') {
    return InvalidArgumentError("note: the last signature line does not end in a newline");
  }
  RETURN_IF_ERROR(CheckSignatureCount(
      static_cast<size_t>(std::count(block.begin(), block.end(), '\n')), "note"));
  std::vector<NoteSignature> signatures;
  while (!block.empty()) {
    const size_t newline = block.find('\n');
    ASSIGN_OR_RETURN(NoteSignature signature,
                     ParseSignatureLine(block.substr(0, newline), signatures.size() + 1));
    signatures.push_back(std::move(signature));
    block.remove_prefix(newline + 1);
  }
  return signatures;
}

}  // namespace

std::string FormatSignatureLine(const NoteSignature& signature) {
  std::vector<uint8_t> bytes;
  bytes.reserve(4 + signature.signature.size());
  for (int shift = 24; shift >= 0; shift -= 8) {
    bytes.push_back(static_cast<uint8_t>(signature.key_id >> shift));
  }
  bytes.insert(bytes.end(), signature.signature.begin(), signature.signature.end());
  return std::string(kSignaturePrefix) + signature.name + " " + codec::Base64Encode(bytes) + "\n";
}

uint32_t ComputeKeyId(std::string_view name, uint8_t signature_type,
                      std::span<const uint8_t> public_key) {
  crypto::Sha256Hasher hasher;
  hasher.Update(name);
  const uint8_t separator[2] = {'\n', signature_type};
  hasher.Update(separator);
  hasher.Update(public_key);
  const crypto::Sha256Digest digest = hasher.Finish();
  return (uint32_t{digest[0]} << 24) | (uint32_t{digest[1]} << 16) | (uint32_t{digest[2]} << 8) |
         uint32_t{digest[3]};
}

std::string FormatKeyId(uint32_t key_id) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(8, '0');
  for (int i = 7; i >= 0; --i, key_id >>= 4) out[static_cast<size_t>(i)] = kDigits[key_id & 15];
  return out;
}

Status ValidateKeyName(std::string_view name) {
  if (name.empty()) return InvalidArgumentError("key name is empty");
  size_t pos = 0;
  while (pos < name.size()) {
    size_t length = 0;
    const std::optional<char32_t> c = internal::DecodeUtf8(name, pos, &length);
    if (!c) {
      return InvalidArgumentError("key name " + Quoted(name) + " has invalid UTF-8 at offset " +
                                  std::to_string(pos));
    }
    if (*c == '+') return InvalidArgumentError("key name " + Quoted(name) + " contains '+'");
    if (internal::IsUnicodeSpace(*c)) {
      return InvalidArgumentError("key name " + Quoted(name) + " contains a space at offset " +
                                  std::to_string(pos));
    }
    if (*c < 0x20) {
      return InvalidArgumentError("key name " + Quoted(name) +
                                  " contains a control character at offset " + std::to_string(pos));
    }
    pos += length;
  }
  return Status::Ok();
}

Status ValidateNoteText(std::string_view text) {
  RETURN_IF_ERROR(CheckSize(text.size(), "note text"));
  if (text.empty()) return InvalidArgumentError("note text is empty");
  RETURN_IF_ERROR(CheckCharacters(text, "note text"));
  if (text.back() != '\n') return InvalidArgumentError("note text does not end in a newline");
  return Status::Ok();
}

Result<Note> ParseNote(std::string_view note) {
  RETURN_IF_ERROR(CheckSize(note.size(), "note"));
  RETURN_IF_ERROR(CheckCharacters(note, "note"));
  // The text ends at the last empty line; signature lines are never empty, so whatever
  // follows it is the signature block.
  const size_t split = note.rfind("\n\n");
  if (split == std::string_view::npos) {
    return InvalidArgumentError("note: no empty line between text and signatures");
  }
  Note parsed;
  parsed.text = std::string(note.substr(0, split + 1));
  ASSIGN_OR_RETURN(parsed.signatures, ParseSignatureBlock(note.substr(split + 2)));
  return parsed;
}

Result<std::vector<NoteSignature>> ParseSignatureLines(std::string_view lines) {
  RETURN_IF_ERROR(CheckSize(lines.size(), "note"));
  RETURN_IF_ERROR(CheckCharacters(lines, "note"));
  return ParseSignatureBlock(lines);
}

Result<std::string> FormatNote(const Note& note) {
  RETURN_IF_ERROR(ValidateNoteText(note.text));
  if (note.signatures.empty()) return InvalidArgumentError("note: no signatures");
  RETURN_IF_ERROR(CheckSignatureCount(note.signatures.size(), "note"));
  std::string out = note.text + "\n";
  for (const NoteSignature& signature : note.signatures) {
    RETURN_IF_ERROR(ValidateKeyName(signature.name).WithContext("note: signature"));
    if (signature.signature.empty()) {
      return InvalidArgumentError("note: signature by " + Quoted(signature.name) + " is empty");
    }
    out += FormatSignatureLine(signature);
    RETURN_IF_ERROR(CheckSize(out.size(), "note"));
  }
  return out;
}

NoteVerifier::NoteVerifier(std::string name, const crypto::Ed25519PublicKey& key)
    : name_(std::move(name)),
      key_id_(ComputeKeyId(name_, kSignatureTypeEd25519, key.bytes())),
      public_key_(key) {}

Result<NoteVerifier> NoteVerifier::Create(std::string name, const crypto::Ed25519PublicKey& key) {
  RETURN_IF_ERROR(ValidateKeyName(name).WithContext("note verifier"));
  return NoteVerifier(std::move(name), key);
}

Result<NoteVerifier> NoteVerifier::FromVkey(std::string_view vkey) {
  ASSIGN_OR_RETURN(internal::ParsedVkey parsed,
                   internal::ParseEd25519Vkey(vkey, kSignatureTypeEd25519, "vkey"));
  return NoteVerifier(std::move(parsed.name), parsed.public_key);
}

std::string NoteVerifier::Vkey() const {
  return internal::FormatEd25519Vkey(name_, kSignatureTypeEd25519, public_key_);
}

Result<std::optional<uint64_t>> NoteVerifier::Verify(std::string_view text,
                                                     std::span<const uint8_t> signature) const {
  if (signature.size() != crypto::kEd25519SignatureSize) {
    return PermissionDeniedError("ed25519 note signature must be 64 bytes, got " +
                                 std::to_string(signature.size()));
  }
  RETURN_IF_ERROR(public_key_.Verify(AsBytes(text), signature));
  return std::optional<uint64_t>();
}

NoteSigner::NoteSigner(std::string name, crypto::Ed25519PrivateKey key)
    : name_(std::move(name)),
      key_id_(ComputeKeyId(name_, kSignatureTypeEd25519, key.public_key().bytes())),
      key_(std::move(key)) {}

Result<NoteSigner> NoteSigner::Create(std::string name, crypto::Ed25519PrivateKey key) {
  RETURN_IF_ERROR(ValidateKeyName(name).WithContext("note signer"));
  return NoteSigner(std::move(name), std::move(key));
}

Result<NoteSigner> NoteSigner::Generate(std::string name, RandomSource& random) {
  return Create(std::move(name), crypto::Ed25519PrivateKey::Generate(random));
}

Result<NoteSigner> NoteSigner::FromSignerKey(std::string_view skey) {
  ASSIGN_OR_RETURN(internal::ParsedSignerKey parsed,
                   internal::ParseEd25519SignerKey(skey, kSignatureTypeEd25519, "signer key"));
  return NoteSigner(std::move(parsed.name), std::move(parsed.private_key));
}

NoteSigner NoteSigner::Clone() const { return NoteSigner(name_, key_.Clone()); }

std::string NoteSigner::SignerKey() const {
  return internal::FormatEd25519SignerKey(name_, kSignatureTypeEd25519, key_);
}

NoteVerifier NoteSigner::Verifier() const { return NoteVerifier(name_, key_.public_key()); }

Result<NoteSignature> NoteSigner::Sign(std::string_view text) const {
  RETURN_IF_ERROR(ValidateNoteText(text));
  const crypto::Ed25519Signature signature = key_.Sign(AsBytes(text));
  return NoteSignature{name_, key_id_, std::vector<uint8_t>(signature.begin(), signature.end())};
}

Result<std::string> SignNote(std::string_view text, const std::vector<const NoteSigner*>& signers) {
  RETURN_IF_ERROR(ValidateNoteText(text));
  if (signers.empty()) return InvalidArgumentError("note: no signers");
  RETURN_IF_ERROR(CheckSignatureCount(signers.size(), "note"));
  Note note;
  note.text = std::string(text);
  for (const NoteSigner* signer : signers) {
    if (signer == nullptr) return InvalidArgumentError("note: null signer");
    ASSIGN_OR_RETURN(NoteSignature signature, signer->Sign(text));
    note.signatures.push_back(std::move(signature));
  }
  return FormatNote(note);
}

Result<std::string> AddSignatures(std::string_view signed_note,
                                  const std::vector<NoteSignature>& signatures) {
  ASSIGN_OR_RETURN(Note note, ParseNote(signed_note));
  for (const NoteSignature& signature : signatures) {
    if (std::find(note.signatures.begin(), note.signatures.end(), signature) ==
        note.signatures.end()) {
      note.signatures.push_back(signature);
    }
  }
  return FormatNote(note);
}

Result<OpenedNote> OpenNote(std::string_view note,
                            const std::vector<const SignatureVerifier*>& verifiers) {
  for (size_t i = 0; i < verifiers.size(); ++i) {
    if (verifiers[i] == nullptr) return InvalidArgumentError("note: null verifier");
    for (size_t j = 0; j < i; ++j) {
      if (verifiers[j]->name() == verifiers[i]->name() &&
          verifiers[j]->key_id() == verifiers[i]->key_id()) {
        return InvalidArgumentError("note: two verifiers for " + Quoted(verifiers[i]->name()) +
                                    " with key ID " + FormatKeyId(verifiers[i]->key_id()));
      }
    }
  }
  ASSIGN_OR_RETURN(Note parsed, ParseNote(note));
  OpenedNote opened;
  for (NoteSignature& signature : parsed.signatures) {
    auto known = std::find_if(verifiers.begin(), verifiers.end(), [&](const auto* v) {
      return v->name() == signature.name && v->key_id() == signature.key_id;
    });
    if (known == verifiers.end()) {
      opened.unknown.push_back(std::move(signature));
      continue;
    }
    auto timestamp = (*known)->Verify(parsed.text, signature.signature);
    if (!timestamp.ok()) {
      // Whatever the verifier reports, a trusted key's signature failed: the contract is
      // PermissionDenied, distinct from a malformed note.
      return PermissionDeniedError("note: signature by " + Quoted(signature.name) + " (key ID " +
                                   FormatKeyId(signature.key_id) + ") does not verify: " +
                                   std::string(timestamp.status().message()));
    }
    const bool seen = std::any_of(opened.verified.begin(), opened.verified.end(),
                                  [&](const VerifiedSignature& v) { return v.verifier == *known; });
    if (!seen) opened.verified.push_back(VerifiedSignature{*known, *timestamp});
  }
  if (opened.verified.empty()) {
    return UnauthenticatedError("note: none of its " + std::to_string(parsed.signatures.size()) +
                                " signatures is from a trusted key");
  }
  opened.text = std::move(parsed.text);
  return opened;
}

}  // namespace traceport::ledger
