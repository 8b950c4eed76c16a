#include "ledger/verify/internal/key_text.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "codec/base64.h"
#include "crypto/secret.h"
#include "ledger/verify/internal/text.h"
#include "ledger/verify/note.h"

namespace traceport::ledger::internal {
namespace {

// Splits `text` at its first `n` '+' into n + 1 parts; nullopt if it has fewer.
std::optional<std::vector<std::string_view>> SplitPlus(std::string_view text, size_t n) {
  std::vector<std::string_view> parts;
  for (size_t i = 0; i < n; ++i) {
    const size_t plus = text.find('+');
    if (plus == std::string_view::npos) return std::nullopt;
    parts.push_back(text.substr(0, plus));
    text.remove_prefix(plus + 1);
  }
  parts.push_back(text);
  return parts;
}

// Eight lowercase hex digits to the key ID.
Result<uint32_t> ParseKeyIdHex(std::string_view hex, std::string_view what) {
  if (hex.size() != 8) {
    return InvalidArgumentError(std::string(what) + ": key ID must be 8 hex digits, got \"" +
                                Printable(hex) + "\"");
  }
  uint32_t id = 0;
  for (char c : hex) {
    uint32_t digit;
    if (c >= '0' && c <= '9') {
      digit = static_cast<uint32_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      digit = static_cast<uint32_t>(c - 'a' + 10);
    } else {
      return InvalidArgumentError(std::string(what) + ": key ID \"" + Printable(hex) +
                                  "\" is not lowercase hex");
    }
    id = (id << 4) | digit;
  }
  return id;
}

std::string TypeByte(uint8_t type) {
  static constexpr char kDigits[] = "0123456789abcdef";
  return std::string("0x") + kDigits[type >> 4] + kDigits[type & 15];
}

// Overwrites `bytes` in a way the compiler may not remove.
void Wipe(std::vector<uint8_t>& bytes) {
  volatile uint8_t* p = bytes.data();
  for (size_t i = 0; i < bytes.size(); ++i) p[i] = 0;
}

Status CheckKeyId(std::string_view name, uint32_t claimed, uint8_t type,
                  const crypto::Ed25519PublicKey& key, std::string_view what) {
  const uint32_t actual = ComputeKeyId(name, type, key.bytes());
  if (claimed != actual) {
    return InvalidArgumentError(std::string(what) + ": key ID " + FormatKeyId(claimed) +
                                " does not match the name and key (expected " +
                                FormatKeyId(actual) + ")");
  }
  return Status::Ok();
}

}  // namespace

Result<ParsedVkey> ParseEd25519Vkey(std::string_view vkey, uint8_t type, std::string_view what) {
  auto parts = SplitPlus(vkey, 2);
  if (!parts) {
    return InvalidArgumentError(std::string(what) + ": expected <name>+<key ID>+<key>");
  }
  const std::string_view name = (*parts)[0];
  RETURN_IF_ERROR(ValidateKeyName(name).WithContext(what));
  ASSIGN_OR_RETURN(const uint32_t key_id, ParseKeyIdHex((*parts)[1], what));
  auto decoded = codec::Base64Decode((*parts)[2]);
  if (!decoded.ok()) return decoded.status().WithContext(std::string(what) + ": key");
  const std::vector<uint8_t>& bytes = *decoded;
  if (bytes.empty()) return InvalidArgumentError(std::string(what) + ": key is empty");
  if (bytes[0] != type) {
    return InvalidArgumentError(std::string(what) + ": signature type " + TypeByte(bytes[0]) +
                                ", expected " + TypeByte(type));
  }
  if (bytes.size() != 1 + crypto::kEd25519PublicKeySize) {
    return InvalidArgumentError(std::string(what) + ": Ed25519 public key must be 32 bytes, got " +
                                std::to_string(bytes.size() - 1));
  }
  ASSIGN_OR_RETURN(auto key, crypto::Ed25519PublicKey::FromBytes(std::span(bytes).subspan(1)));
  RETURN_IF_ERROR(CheckKeyId(name, key_id, type, key, what));
  return ParsedVkey{std::string(name), key};
}

std::string FormatEd25519Vkey(std::string_view name, uint8_t type,
                              const crypto::Ed25519PublicKey& key) {
  std::vector<uint8_t> bytes;
  bytes.reserve(1 + crypto::kEd25519PublicKeySize);
  bytes.push_back(type);
  bytes.insert(bytes.end(), key.bytes().begin(), key.bytes().end());
  return std::string(name) + "+" + FormatKeyId(ComputeKeyId(name, type, key.bytes())) + "+" +
         codec::Base64Encode(bytes);
}

Result<ParsedSignerKey> ParseEd25519SignerKey(std::string_view skey, uint8_t type,
                                              std::string_view what) {
  auto parts = SplitPlus(skey, 4);
  if (!parts || (*parts)[0] != "PRIVATE" || (*parts)[1] != "KEY") {
    return InvalidArgumentError(std::string(what) + ": expected PRIVATE+KEY+<name>+<key ID>+<key>");
  }
  const std::string_view name = (*parts)[2];
  RETURN_IF_ERROR(ValidateKeyName(name).WithContext(what));
  ASSIGN_OR_RETURN(const uint32_t key_id, ParseKeyIdHex((*parts)[3], what));
  auto decoded = codec::Base64Decode((*parts)[4]);
  // The decoder's message would quote a character of the secret; say less.
  if (!decoded.ok()) return InvalidArgumentError(std::string(what) + ": key is not valid base64");
  std::vector<uint8_t> bytes = std::move(decoded).value();
  const uint8_t actual_type = bytes.empty() ? 0 : bytes[0];
  const size_t size = bytes.size();
  std::optional<crypto::Ed25519PrivateKey> key;
  if (size == 1 + crypto::kEd25519SeedSize && actual_type == type) {
    auto parsed = crypto::Ed25519PrivateKey::FromSeed(std::span(bytes).subspan(1));
    if (parsed.ok()) key.emplace(std::move(parsed).value());
  }
  Wipe(bytes);
  if (size == 0) return InvalidArgumentError(std::string(what) + ": key is empty");
  if (actual_type != type) {
    return InvalidArgumentError(std::string(what) + ": signature type " + TypeByte(actual_type) +
                                ", expected " + TypeByte(type));
  }
  if (!key) {
    return InvalidArgumentError(std::string(what) + ": Ed25519 seed must be 32 bytes, got " +
                                std::to_string(size - 1));
  }
  RETURN_IF_ERROR(CheckKeyId(name, key_id, type, key->public_key(), what));
  return ParsedSignerKey{std::string(name), std::move(*key)};
}

std::string FormatEd25519SignerKey(std::string_view name, uint8_t type,
                                   const crypto::Ed25519PrivateKey& key) {
  crypto::SecretBytes bytes(1 + crypto::kEd25519SeedSize);
  bytes.data()[0] = type;
  std::copy(key.seed().begin(), key.seed().end(), bytes.data() + 1);
  return "PRIVATE+KEY+" + std::string(name) + "+" +
         FormatKeyId(ComputeKeyId(name, type, key.public_key().bytes())) + "+" +
         codec::Base64Encode(bytes.span());
}

}  // namespace traceport::ledger::internal
