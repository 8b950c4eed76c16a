#include "ledger/verify/cosignature.h"

#include <algorithm>
#include <string>
#include <utility>

#include "ledger/verify/checkpoint.h"
#include "ledger/verify/internal/key_text.h"

namespace traceport::ledger {
namespace {

constexpr size_t kKeyIdSize = 4;
constexpr size_t kTimestampSize = 8;

uint64_t ReadBigEndian(std::span<const uint8_t> bytes) {
  uint64_t value = 0;
  for (uint8_t b : bytes) value = (value << 8) | b;
  return value;
}

void AppendBigEndian(uint64_t value, size_t size, std::vector<uint8_t>& out) {
  for (size_t i = size; i-- > 0;) out.push_back(static_cast<uint8_t>(value >> (8 * i)));
}

std::span<const uint8_t> AsBytes(std::string_view text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

}  // namespace

std::string CosignatureV1Message(std::string_view checkpoint_text, uint64_t timestamp) {
  return "cosignature/v1\ntime " + std::to_string(timestamp) + "\n" + std::string(checkpoint_text);
}

Result<CosignatureV1> DecodeCosignatureV1(std::span<const uint8_t> bytes) {
  if (bytes.size() != kCosignatureV1Size) {
    return InvalidArgumentError("cosignature/v1: must be " + std::to_string(kCosignatureV1Size) +
                                " bytes (key ID, timestamp, Ed25519 signature), got " +
                                std::to_string(bytes.size()));
  }
  CosignatureV1 cosignature;
  cosignature.key_id = static_cast<uint32_t>(ReadBigEndian(bytes.first(kKeyIdSize)));
  cosignature.timestamp = ReadBigEndian(bytes.subspan(kKeyIdSize, kTimestampSize));
  if (cosignature.timestamp > kMaxCosignatureTimestamp) {
    return InvalidArgumentError("cosignature/v1: timestamp " +
                                std::to_string(cosignature.timestamp) + " exceeds 2^63 - 1");
  }
  std::copy_n(bytes.begin() + kKeyIdSize + kTimestampSize, cosignature.signature.size(),
              cosignature.signature.begin());
  return cosignature;
}

std::vector<uint8_t> EncodeCosignatureV1(const CosignatureV1& cosignature) {
  std::vector<uint8_t> out;
  out.reserve(kCosignatureV1Size);
  AppendBigEndian(cosignature.key_id, kKeyIdSize, out);
  AppendBigEndian(cosignature.timestamp, kTimestampSize, out);
  out.insert(out.end(), cosignature.signature.begin(), cosignature.signature.end());
  return out;
}

CosignatureVerifier::CosignatureVerifier(std::string name, const crypto::Ed25519PublicKey& key)
    : name_(std::move(name)),
      key_id_(ComputeKeyId(name_, kSignatureTypeCosignatureV1, key.bytes())),
      public_key_(key) {}

Result<CosignatureVerifier> CosignatureVerifier::Create(std::string name,
                                                        const crypto::Ed25519PublicKey& key) {
  RETURN_IF_ERROR(ValidateKeyName(name).WithContext("cosignature verifier"));
  return CosignatureVerifier(std::move(name), key);
}

Result<CosignatureVerifier> CosignatureVerifier::FromVkey(std::string_view vkey) {
  ASSIGN_OR_RETURN(internal::ParsedVkey parsed,
                   internal::ParseEd25519Vkey(vkey, kSignatureTypeCosignatureV1, "cosigner vkey"));
  return CosignatureVerifier(std::move(parsed.name), parsed.public_key);
}

std::string CosignatureVerifier::Vkey() const {
  return internal::FormatEd25519Vkey(name_, kSignatureTypeCosignatureV1, public_key_);
}

Result<std::optional<uint64_t>> CosignatureVerifier::Verify(
    std::string_view text, std::span<const uint8_t> signature) const {
  if (signature.size() != kCosignatureV1Size - kKeyIdSize) {
    return PermissionDeniedError(
        "cosignature/v1: signature must be " + std::to_string(kCosignatureV1Size - kKeyIdSize) +
        " bytes after the key ID, got " + std::to_string(signature.size()));
  }
  const uint64_t timestamp = ReadBigEndian(signature.first(kTimestampSize));
  if (timestamp > kMaxCosignatureTimestamp) {
    return PermissionDeniedError("cosignature/v1: timestamp " + std::to_string(timestamp) +
                                 " exceeds 2^63 - 1");
  }
  if (auto checkpoint = ParseCheckpoint(text); !checkpoint.ok()) {
    return PermissionDeniedError("cosignature/v1: signed text is not a checkpoint: " +
                                 std::string(checkpoint.status().message()));
  }
  const std::string message = CosignatureV1Message(text, timestamp);
  RETURN_IF_ERROR(public_key_.Verify(AsBytes(message), signature.subspan(kTimestampSize)));
  return std::optional<uint64_t>(timestamp);
}

Cosigner::Cosigner(std::string name, crypto::Ed25519PrivateKey key)
    : name_(std::move(name)),
      key_id_(ComputeKeyId(name_, kSignatureTypeCosignatureV1, key.public_key().bytes())),
      key_(std::move(key)) {}

Result<Cosigner> Cosigner::Create(std::string name, crypto::Ed25519PrivateKey key) {
  RETURN_IF_ERROR(ValidateKeyName(name).WithContext("cosigner"));
  return Cosigner(std::move(name), std::move(key));
}

Result<Cosigner> Cosigner::Generate(std::string name, RandomSource& random) {
  return Create(std::move(name), crypto::Ed25519PrivateKey::Generate(random));
}

Result<Cosigner> Cosigner::FromSignerKey(std::string_view skey) {
  ASSIGN_OR_RETURN(
      internal::ParsedSignerKey parsed,
      internal::ParseEd25519SignerKey(skey, kSignatureTypeCosignatureV1, "cosigner signer key"));
  return Cosigner(std::move(parsed.name), std::move(parsed.private_key));
}

Cosigner Cosigner::Clone() const { return Cosigner(name_, key_.Clone()); }

std::string Cosigner::SignerKey() const {
  return internal::FormatEd25519SignerKey(name_, kSignatureTypeCosignatureV1, key_);
}

CosignatureVerifier Cosigner::Verifier() const {
  return CosignatureVerifier(name_, key_.public_key());
}

Result<NoteSignature> Cosigner::Sign(std::string_view checkpoint_text, uint64_t timestamp) const {
  RETURN_IF_ERROR(ParseCheckpoint(checkpoint_text).status().WithContext("cosignature/v1"));
  if (timestamp > kMaxCosignatureTimestamp) {
    return InvalidArgumentError("cosignature/v1: timestamp " + std::to_string(timestamp) +
                                " exceeds 2^63 - 1");
  }
  CosignatureV1 cosignature;
  cosignature.key_id = key_id_;
  cosignature.timestamp = timestamp;
  cosignature.signature = key_.Sign(AsBytes(CosignatureV1Message(checkpoint_text, timestamp)));
  std::vector<uint8_t> bytes = EncodeCosignatureV1(cosignature);
  return NoteSignature{name_, key_id_,
                       std::vector<uint8_t>(bytes.begin() + kKeyIdSize, bytes.end())};
}

}  // namespace traceport::ledger
