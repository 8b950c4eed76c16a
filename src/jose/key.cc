#include "jose/key.h"

#include <fmt/format.h>

#include "codec/multibase.h"
#include "codec/multicodec.h"

namespace traceport::jose {
namespace {

crypto::EcdsaCurve CurveOf(KeyType t) {
  return t == KeyType::kP256 ? crypto::EcdsaCurve::kP256 : crypto::EcdsaCurve::kP384;
}

KeyType TypeOfCurve(crypto::EcdsaCurve c) {
  return c == crypto::EcdsaCurve::kP256 ? KeyType::kP256 : KeyType::kP384;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

std::string_view KeyTypeName(KeyType type) {
  switch (type) {
    case KeyType::kEd25519:
      return "ed25519";
    case KeyType::kP256:
      return "p256";
    case KeyType::kP384:
      return "p384";
  }
  return "unknown";
}

Result<KeyType> ParseKeyType(std::string_view name) {
  std::string n = Lower(name);
  if (n == "ed25519") return KeyType::kEd25519;
  if (n == "p256" || n == "p-256") return KeyType::kP256;
  if (n == "p384" || n == "p-384") return KeyType::kP384;
  return InvalidArgumentError(
      fmt::format("unknown key type '{}': expected ed25519, p256 or p384", name));
}

std::string_view AlgorithmName(Algorithm alg) {
  switch (alg) {
    case Algorithm::kEdDSA:
      return "EdDSA";
    case Algorithm::kES256:
      return "ES256";
    case Algorithm::kES384:
      return "ES384";
  }
  return "unknown";
}

Result<Algorithm> ParseAlgorithm(std::string_view name) {
  if (name == "EdDSA") return Algorithm::kEdDSA;
  if (name == "ES256") return Algorithm::kES256;
  if (name == "ES384") return Algorithm::kES384;
  std::string lower = Lower(name);
  if (lower == "none") {
    return InvalidArgumentError("jose: alg \"none\" (unsecured JWS) is never accepted");
  }
  if (name.empty()) return InvalidArgumentError("jose: empty alg");
  return UnimplementedError(
      fmt::format("jose: alg '{}' is not supported (supported: EdDSA, ES256, ES384)", name));
}

Algorithm AlgorithmFor(KeyType type) {
  switch (type) {
    case KeyType::kEd25519:
      return Algorithm::kEdDSA;
    case KeyType::kP256:
      return Algorithm::kES256;
    case KeyType::kP384:
      return Algorithm::kES384;
  }
  return Algorithm::kEdDSA;
}

Result<PublicKey> PublicKey::FromRaw(KeyType type, std::span<const uint8_t> bytes) {
  if (type == KeyType::kEd25519) {
    ASSIGN_OR_RETURN(auto k, crypto::Ed25519PublicKey::FromBytes(bytes));
    return PublicKey(std::move(k));
  }
  ASSIGN_OR_RETURN(auto k, crypto::EcdsaPublicKey::FromSec1(CurveOf(type), bytes));
  return PublicKey(std::move(k));
}

Result<PublicKey> PublicKey::FromMulticodec(std::span<const uint8_t> bytes) {
  ASSIGN_OR_RETURN(codec::Multicodec mc, codec::SplitMulticodec(bytes));
  auto check_len = [&](size_t want, std::string_view what) -> Status {
    if (mc.payload.size() != want) {
      return InvalidArgumentError(
          fmt::format("{} public key must be {} bytes, got {}", what, want, mc.payload.size()));
    }
    return Status::Ok();
  };
  switch (mc.code) {
    case codec::MulticodecCode::kEd25519Pub:
      RETURN_IF_ERROR(check_len(32, "Ed25519"));
      return FromRaw(KeyType::kEd25519, mc.payload);
    case codec::MulticodecCode::kP256Pub:
      RETURN_IF_ERROR(check_len(33, "compressed P-256"));
      return FromRaw(KeyType::kP256, mc.payload);
    case codec::MulticodecCode::kP384Pub:
      RETURN_IF_ERROR(check_len(49, "compressed P-384"));
      return FromRaw(KeyType::kP384, mc.payload);
    default:
      return UnimplementedError(
          fmt::format("unsupported public key type {}", codec::MulticodecName(mc.code)));
  }
}

Result<PublicKey> PublicKey::FromMultikey(std::string_view multibase) {
  if (multibase.empty() || multibase[0] != 'z') {
    return InvalidArgumentError("Multikey must be multibase base58btc (start with 'z')");
  }
  ASSIGN_OR_RETURN(auto bytes, codec::MultibaseDecodeAs(codec::Multibase::kBase58Btc, multibase));
  return FromMulticodec(bytes);
}

KeyType PublicKey::type() const {
  if (const auto* e = ecdsa()) return TypeOfCurve(e->curve());
  return KeyType::kEd25519;
}

std::vector<uint8_t> PublicKey::ToRaw() const {
  if (const auto* e = ecdsa()) return e->ToCompressed();
  const auto& b = ed25519()->bytes();
  return std::vector<uint8_t>(b.begin(), b.end());
}

std::vector<uint8_t> PublicKey::ToMulticodec() const {
  codec::MulticodecCode code = codec::MulticodecCode::kEd25519Pub;
  switch (type()) {
    case KeyType::kEd25519:
      code = codec::MulticodecCode::kEd25519Pub;
      break;
    case KeyType::kP256:
      code = codec::MulticodecCode::kP256Pub;
      break;
    case KeyType::kP384:
      code = codec::MulticodecCode::kP384Pub;
      break;
  }
  return codec::PrefixMulticodec(code, ToRaw());
}

std::string PublicKey::ToMultikey() const {
  return codec::MultibaseEncode(codec::Multibase::kBase58Btc, ToMulticodec());
}

Status PublicKey::Verify(Algorithm alg, std::span<const uint8_t> message,
                         std::span<const uint8_t> signature) const {
  if (alg != algorithm()) {
    return InvalidArgumentError(fmt::format("alg {} does not match the {} key (expects {})",
                                            AlgorithmName(alg), KeyTypeName(type()),
                                            AlgorithmName(algorithm())));
  }
  Status s;
  if (const auto* e = ecdsa()) {
    if (signature.size() != crypto::EcdsaSignatureSize(e->curve())) {
      return PermissionDeniedError(
          fmt::format("{} signature must be {} bytes, got {}", AlgorithmName(alg),
                      crypto::EcdsaSignatureSize(e->curve()), signature.size()));
    }
    s = e->VerifyP1363(message, signature);
  } else {
    if (signature.size() != crypto::kEd25519SignatureSize) {
      return PermissionDeniedError(
          fmt::format("EdDSA signature must be 64 bytes, got {}", signature.size()));
    }
    s = ed25519()->Verify(message, signature);
  }
  if (!s.ok() && s.code() != StatusCode::kPermissionDenied) {
    return PermissionDeniedError(std::string(s.message()));
  }
  return s;
}

bool operator==(const PublicKey& a, const PublicKey& b) {
  if (a.type() != b.type()) return false;
  return a.ToRaw() == b.ToRaw();
}

PrivateKey::PrivateKey(crypto::Ed25519PrivateKey key)
    : key_(std::move(key)), public_key_(std::get<crypto::Ed25519PrivateKey>(key_).public_key()) {}

PrivateKey::PrivateKey(crypto::EcdsaPrivateKey key)
    : key_(std::move(key)), public_key_(std::get<crypto::EcdsaPrivateKey>(key_).public_key()) {}

Result<PrivateKey> PrivateKey::Generate(KeyType type, RandomSource& random) {
  if (type == KeyType::kEd25519) return PrivateKey(crypto::Ed25519PrivateKey::Generate(random));
  ASSIGN_OR_RETURN(auto k, crypto::EcdsaPrivateKey::Generate(CurveOf(type), random));
  return PrivateKey(std::move(k));
}

Result<PrivateKey> PrivateKey::FromRaw(KeyType type, std::span<const uint8_t> secret) {
  if (type == KeyType::kEd25519) {
    ASSIGN_OR_RETURN(auto k, crypto::Ed25519PrivateKey::FromSeed(secret));
    return PrivateKey(std::move(k));
  }
  ASSIGN_OR_RETURN(auto k, crypto::EcdsaPrivateKey::FromScalar(CurveOf(type), secret));
  return PrivateKey(std::move(k));
}

PrivateKey PrivateKey::Clone() const {
  if (const auto* e = std::get_if<crypto::Ed25519PrivateKey>(&key_)) return PrivateKey(e->Clone());
  const auto& ec = std::get<crypto::EcdsaPrivateKey>(key_);
  crypto::SecretBytes scalar = ec.ExportScalar();
  // Re-importing a scalar exported from a valid key cannot fail.
  return PrivateKey(crypto::EcdsaPrivateKey::FromScalar(ec.curve(), scalar.span()).value());
}

crypto::SecretBytes PrivateKey::ExportRaw() const {
  if (const auto* e = std::get_if<crypto::Ed25519PrivateKey>(&key_)) {
    return crypto::SecretBytes(e->seed());
  }
  return std::get<crypto::EcdsaPrivateKey>(key_).ExportScalar();
}

Result<std::vector<uint8_t>> PrivateKey::Sign(std::span<const uint8_t> message) const {
  if (const auto* e = std::get_if<crypto::Ed25519PrivateKey>(&key_)) {
    crypto::Ed25519Signature sig = e->Sign(message);
    return std::vector<uint8_t>(sig.begin(), sig.end());
  }
  return std::get<crypto::EcdsaPrivateKey>(key_).SignP1363(message);
}

}  // namespace traceport::jose
