#include "vc/cryptosuite.h"

#include <fmt/format.h>

#include <map>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <utility>

#include "codec/jcs.h"
#include "codec/json.h"
#include "common/time.h"
#include "crypto/ecdsa.h"
#include "crypto/ed25519.h"
#include "crypto/sha2.h"

namespace traceport::vc {
namespace {

using nlohmann::json;

}  // namespace

std::string_view KeyTypeDisplayName(jose::KeyType type) {
  switch (type) {
    case jose::KeyType::kEd25519:
      return "Ed25519";
    case jose::KeyType::kP256:
      return "P-256";
    case jose::KeyType::kP384:
      return "P-384";
  }
  return "unknown";
}

namespace {

// Bytes in a signature of `type`: Ed25519 64; ECDSA r‖s 64 (P-256) or 96 (P-384).
size_t SignatureSize(jose::KeyType type) {
  switch (type) {
    case jose::KeyType::kEd25519:
      return crypto::kEd25519SignatureSize;
    case jose::KeyType::kP256:
      return crypto::EcdsaSignatureSize(crypto::EcdsaCurve::kP256);
    case jose::KeyType::kP384:
      return crypto::EcdsaSignatureSize(crypto::EcdsaCurve::kP384);
  }
  return 0;
}

enum class HashAlgorithm { kSha256, kSha384 };

std::vector<uint8_t> Digest(HashAlgorithm alg, std::string_view data) {
  if (alg == HashAlgorithm::kSha384) {
    const auto d = crypto::Sha384(data);
    return {d.begin(), d.end()};
  }
  const auto d = crypto::Sha256(data);
  return {d.begin(), d.end()};
}

// Shared by the JCS suites: they differ only in the keys they take and the hash per key.
class JcsSuite : public Cryptosuite {
 public:
  bool ProofCarriesContext() const override { return true; }
  bool TransformsWithJcs() const override { return true; }

  Result<std::string> Transform(const json& unsecured_document, const json& proof_options,
                                jose::KeyType key_type) const override {
    return Canonical(unsecured_document, std::nullopt, proof_options, key_type);
  }

  Result<std::string> TransformWithout(const json& document, std::string_view member,
                                       const json& proof_options,
                                       jose::KeyType key_type) const override {
    return Canonical(document, member, proof_options, key_type);
  }

  Result<std::string> ConfigureProof(const json& proof_options, const json& /*unsecured_document*/,
                                     jose::KeyType key_type) const override {
    RETURN_IF_ERROR(CheckOptions(proof_options, "proof configuration"));
    RETURN_IF_ERROR(CheckKeyType(key_type));
    if (proof_options.contains("proofValue")) {
      return InvalidArgumentError(
          fmt::format("{}: proof configuration: options must not contain proofValue", name()));
    }
    auto created = proof_options.find("created");
    if (created != proof_options.end()) {
      if (!created->is_string() || !ParseRfc3339(created->get_ref<const std::string&>()).ok()) {
        return InvalidArgumentError(
            fmt::format("{}: proof configuration: created is not an RFC 3339 date-time", name()));
      }
    }
    // JCS of the whole options object, "@context" included when the proof carries one.
    auto canonical = codec::Canonicalize(proof_options);
    if (!canonical.ok()) {
      return canonical.status().WithContext(fmt::format("{}: proof configuration", name()));
    }
    return canonical;
  }

  Result<HashData> Hash(std::string_view transformed_document,
                        std::string_view canonical_proof_config,
                        jose::KeyType key_type) const override {
    RETURN_IF_ERROR(CheckKeyType(key_type));
    const HashAlgorithm alg = HashFor(key_type);
    HashData out;
    out.proof_config_hash = Digest(alg, canonical_proof_config);
    out.document_hash = Digest(alg, transformed_document);
    out.bytes = out.proof_config_hash;
    out.bytes.insert(out.bytes.end(), out.document_hash.begin(), out.document_hash.end());
    return out;
  }

  Result<std::vector<uint8_t>> SerializeProof(std::span<const uint8_t> hash_data,
                                              const jose::PrivateKey& key) const override {
    RETURN_IF_ERROR(CheckKeyType(key.type()));
    // Ed25519 signs hash_data as is; ES256 / ES384 hash it once more inside the signature
    // algorithm, as both specifications require.
    return key.Sign(hash_data);
  }

  Status VerifyProof(std::span<const uint8_t> hash_data, std::span<const uint8_t> proof_bytes,
                     const jose::PublicKey& key) const override {
    RETURN_IF_ERROR(CheckKeyType(key.type()));
    const size_t want = SignatureSize(key.type());
    if (proof_bytes.size() != want) {
      return InvalidArgumentError(
          fmt::format("{}: proofValue decodes to {} bytes; a {} signature has {}", name(),
                      proof_bytes.size(), KeyTypeDisplayName(key.type()), want));
    }
    Status s = key.Verify(key.algorithm(), hash_data, proof_bytes);
    if (s.ok()) return s;
    if (s.code() == StatusCode::kPermissionDenied) {
      return PermissionDeniedError(
          fmt::format("{}: {} signature does not verify", name(), KeyTypeDisplayName(key.type())));
    }
    return s.WithContext(name());
  }

 protected:
  virtual HashAlgorithm HashFor(jose::KeyType type) const = 0;
  // "Ed25519", "P-256 or P-384": for error messages.
  virtual std::string_view AcceptedKeys() const = 0;

 private:
  // JCS of `document`, leaving out its top-level member `omit` when one is given.
  Result<std::string> Canonical(const json& document, std::optional<std::string_view> omit,
                                const json& proof_options, jose::KeyType key_type) const {
    RETURN_IF_ERROR(CheckOptions(proof_options, "transformation"));
    RETURN_IF_ERROR(CheckKeyType(key_type));
    if (!document.is_object()) {
      return InvalidArgumentError(
          fmt::format("{}: transformation: document must be an object", name()));
    }
    auto canonical =
        omit ? codec::CanonicalizeWithout(document, *omit) : codec::Canonicalize(document);
    if (!canonical.ok()) {
      return canonical.status().WithContext(fmt::format("{}: transformation", name()));
    }
    return canonical;
  }

  // The type / cryptosuite check that opens both the transformation and the proof
  // configuration algorithms of the specifications.
  Status CheckOptions(const json& options, std::string_view step) const {
    if (!options.is_object()) {
      return InvalidArgumentError(
          fmt::format("{}: {}: proof options must be an object", name(), step));
    }
    auto type = options.find("type");
    if (type == options.end() || !type->is_string() ||
        type->get_ref<const std::string&>() != kDataIntegrityProofType) {
      return InvalidArgumentError(
          fmt::format("{}: {}: proof type must be \"{}\"", name(), step, kDataIntegrityProofType));
    }
    auto suite = options.find("cryptosuite");
    if (suite == options.end() || !suite->is_string() ||
        suite->get_ref<const std::string&>() != name()) {
      return InvalidArgumentError(
          fmt::format("{}: {}: cryptosuite must be \"{}\"", name(), step, name()));
    }
    return Status::Ok();
  }

  Status CheckKeyType(jose::KeyType type) const {
    if (AcceptsKeyType(type)) return Status::Ok();
    return InvalidArgumentError(fmt::format("{} needs an {} key, not {}", name(), AcceptedKeys(),
                                            KeyTypeDisplayName(type)));
  }
};

// W3C vc-di-eddsa §3.3: JCS, SHA-256, Ed25519.
class EddsaJcs2022 final : public JcsSuite {
 public:
  std::string_view name() const override { return kEddsaJcs2022; }
  bool AcceptsKeyType(jose::KeyType type) const override { return type == jose::KeyType::kEd25519; }

 protected:
  HashAlgorithm HashFor(jose::KeyType) const override { return HashAlgorithm::kSha256; }
  std::string_view AcceptedKeys() const override { return "Ed25519"; }
};

// W3C vc-di-ecdsa §3.3: JCS; SHA-256 with P-256, SHA-384 with P-384.
class EcdsaJcs2019 final : public JcsSuite {
 public:
  std::string_view name() const override { return kEcdsaJcs2019; }
  bool AcceptsKeyType(jose::KeyType type) const override {
    return type == jose::KeyType::kP256 || type == jose::KeyType::kP384;
  }

 protected:
  HashAlgorithm HashFor(jose::KeyType type) const override {
    return type == jose::KeyType::kP384 ? HashAlgorithm::kSha384 : HashAlgorithm::kSha256;
  }
  std::string_view AcceptedKeys() const override { return "P-256 or P-384"; }
};

struct Registry {
  std::shared_mutex mu;
  std::map<std::string, std::unique_ptr<Cryptosuite>, std::less<>> suites;
};

Registry& GetRegistry() {
  // Built on first use (thread-safe static initialization) and never destroyed, so that
  // pointers handed out by FindCryptosuite stay valid during static destruction too.
  static Registry* registry = [] {
    auto* r = new Registry;
    std::unique_ptr<Cryptosuite> eddsa = std::make_unique<EddsaJcs2022>();
    std::unique_ptr<Cryptosuite> ecdsa = std::make_unique<EcdsaJcs2019>();
    r->suites.emplace(std::string(eddsa->name()), std::move(eddsa));
    r->suites.emplace(std::string(ecdsa->name()), std::move(ecdsa));
    return r;
  }();
  return *registry;
}

}  // namespace

const Cryptosuite* FindCryptosuite(std::string_view name) {
  Registry& r = GetRegistry();
  std::shared_lock lock(r.mu);
  auto it = r.suites.find(name);
  return it == r.suites.end() ? nullptr : it->second.get();
}

Status RegisterCryptosuite(std::unique_ptr<Cryptosuite> suite) {
  if (suite == nullptr) return InvalidArgumentError("cryptosuite registry: null suite");
  const std::string name(suite->name());
  if (name.empty()) return InvalidArgumentError("cryptosuite registry: empty suite name");
  Registry& r = GetRegistry();
  std::unique_lock lock(r.mu);
  if (r.suites.count(name) != 0) {
    return AlreadyExistsError(
        fmt::format("cryptosuite registry: \"{}\" is already registered", name));
  }
  r.suites.emplace(name, std::move(suite));
  return Status::Ok();
}

std::vector<std::string> RegisteredCryptosuites() {
  Registry& r = GetRegistry();
  std::shared_lock lock(r.mu);
  std::vector<std::string> names;
  names.reserve(r.suites.size());
  for (const auto& [name, suite] : r.suites) names.push_back(name);
  return names;
}

Result<std::string> Cryptosuite::TransformWithout(const json& document, std::string_view member,
                                                  const json& proof_options,
                                                  jose::KeyType key_type) const {
  json copy = document;
  if (copy.is_object()) copy.erase(std::string(member));
  return Transform(copy, proof_options, key_type);
}

namespace {

// Proof configuration and hashing after the transformation.
Result<ProofIntermediates> Finish(const Cryptosuite& suite, ProofIntermediates out,
                                  const json& document, const json& proof_options,
                                  jose::KeyType key_type) {
  ASSIGN_OR_RETURN(out.canonical_proof_config,
                   suite.ConfigureProof(proof_options, document, key_type));
  ASSIGN_OR_RETURN(out.hash,
                   suite.Hash(out.canonical_document, out.canonical_proof_config, key_type));
  return out;
}

// The three steps, with the document transformed whole or without its member `omit`.
Result<ProofIntermediates> Intermediates(const Cryptosuite& suite, const json& document,
                                         std::optional<std::string_view> omit,
                                         const json& proof_options, jose::KeyType key_type) {
  ProofIntermediates out;
  ASSIGN_OR_RETURN(out.canonical_document,
                   omit ? suite.TransformWithout(document, *omit, proof_options, key_type)
                        : suite.Transform(document, proof_options, key_type));
  return Finish(suite, std::move(out), document, proof_options, key_type);
}

}  // namespace

Result<ProofIntermediates> ComputeProofIntermediatesFromCanonical(const Cryptosuite& suite,
                                                                  std::string canonical_document,
                                                                  const json& document,
                                                                  const json& proof_options,
                                                                  jose::KeyType key_type) {
  ProofIntermediates out;
  out.canonical_document = std::move(canonical_document);
  return Finish(suite, std::move(out), document, proof_options, key_type);
}

Result<ProofIntermediates> ComputeProofIntermediatesOfSecured(const Cryptosuite& suite,
                                                              const json& secured_document,
                                                              const json& proof_options,
                                                              jose::KeyType key_type) {
  return Intermediates(suite, secured_document, "proof", proof_options, key_type);
}

Result<ProofIntermediates> ComputeProofIntermediates(const Cryptosuite& suite,
                                                     const json& unsecured_document,
                                                     const json& proof_options,
                                                     jose::KeyType key_type) {
  return Intermediates(suite, unsecured_document, std::nullopt, proof_options, key_type);
}

}  // namespace traceport::vc
