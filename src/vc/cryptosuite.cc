#include "vc/cryptosuite.h"

#include <fmt/format.h>

#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <utility>

#include "codec/base64.h"
#include "codec/jcs.h"
#include "codec/json.h"
#include "codec/multibase.h"
#include "common/time.h"
#include "crypto/ecdsa.h"
#include "crypto/ed25519.h"
#include "crypto/sha2.h"
#include "jsonld/canonize.h"

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

// What every suite shares: the checks that open its algorithms, hashing both canonical forms
// and signing with the key's own algorithm (Ed25519 signs hash data as is; ES256 / ES384 hash
// it once more inside the signature algorithm, as the specifications require).
class SuiteBase : public Cryptosuite {
 public:
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
    return CheckSignature(key.Verify(key.algorithm(), hash_data, proof_bytes), key.type());
  }

 protected:
  virtual HashAlgorithm HashFor(jose::KeyType type) const = 0;
  // "Ed25519", "P-256 or P-384": for error messages.
  virtual std::string_view AcceptedKeys() const = 0;

  // A failed signature check says which suite and key type; other errors keep their code.
  Status CheckSignature(Status s, jose::KeyType type) const {
    if (s.ok()) return s;
    if (s.code() == StatusCode::kPermissionDenied) {
      return PermissionDeniedError(
          fmt::format("{}: {} signature does not verify", name(), KeyTypeDisplayName(type)));
    }
    return s.WithContext(name());
  }

  // The type / cryptosuite check that opens both the transformation and the proof
  // configuration algorithms of the specifications. Legacy suites have no "cryptosuite": their
  // proof type names them.
  Status CheckOptions(const json& options, std::string_view step) const {
    if (!options.is_object()) {
      return InvalidArgumentError(
          fmt::format("{}: {}: proof options must be an object", name(), step));
    }
    auto type = options.find("type");
    if (type == options.end() || !type->is_string() ||
        type->get_ref<const std::string&>() != proof_type()) {
      return InvalidArgumentError(
          fmt::format("{}: {}: proof type must be \"{}\"", name(), step, proof_type()));
    }
    if (proof_type() != kDataIntegrityProofType) return Status::Ok();
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

  // The checks of the proof configuration step: options, key type, no proof value yet, and a
  // "created" that is an RFC 3339 date-time when present.
  Status CheckProofConfig(const json& proof_options, jose::KeyType key_type) const {
    RETURN_IF_ERROR(CheckOptions(proof_options, "proof configuration"));
    RETURN_IF_ERROR(CheckKeyType(key_type));
    if (proof_options.contains(std::string(proof_value_member()))) {
      return InvalidArgumentError(fmt::format(
          "{}: proof configuration: options must not contain {}", name(), proof_value_member()));
    }
    auto created = proof_options.find("created");
    if (created != proof_options.end()) {
      if (!created->is_string() || !ParseRfc3339(created->get_ref<const std::string&>()).ok()) {
        return InvalidArgumentError(
            fmt::format("{}: proof configuration: created is not an RFC 3339 date-time", name()));
      }
    }
    return Status::Ok();
  }
};

// Shared by the JCS suites: they differ only in the keys they take and the hash per key.
class JcsSuite : public SuiteBase {
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
    RETURN_IF_ERROR(CheckProofConfig(proof_options, key_type));
    // JCS of the whole options object, "@context" included when the proof carries one.
    auto canonical = codec::Canonicalize(proof_options);
    if (!canonical.ok()) {
      return canonical.status().WithContext(fmt::format("{}: proof configuration", name()));
    }
    return canonical;
  }

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

std::atomic<const jsonld::DocumentLoader*> g_context_loader{nullptr};

// How the RDF suites canonicalize: the installed loader, safe mode, `hash` inside RDFC-1.0,
// and the top-level member `omit` left out (empty: none).
jsonld::CanonizeOptions RdfcOptions(jsonld::HashAlgorithm hash, std::string_view omit) {
  jsonld::CanonizeOptions options;
  options.omit_member = omit;
  options.loader = g_context_loader.load(std::memory_order_acquire);
  options.rdfc.hash = hash;
  return options;
}

// The RDF-canonicalized suites: the document and the proof configuration (which takes the
// document's "@context") are expanded in safe mode with the pinned contexts, deserialized to
// RDF and canonicalized with RDFC-1.0.
class RdfcSuite : public SuiteBase {
 public:
  bool ProofCarriesContext() const override { return false; }

  Result<std::string> Transform(const json& unsecured_document, const json& proof_options,
                                jose::KeyType key_type) const override {
    return TransformWithout(unsecured_document, /*member=*/{}, proof_options, key_type);
  }

  // The secured document canonicalized around `member` (its proof; empty: none), with no copy
  // of the document.
  Result<std::string> TransformWithout(const json& document, std::string_view member,
                                       const json& proof_options,
                                       jose::KeyType key_type) const override {
    RETURN_IF_ERROR(CheckOptions(proof_options, "transformation"));
    RETURN_IF_ERROR(CheckKeyType(key_type));
    if (!document.is_object()) {
      return InvalidArgumentError(
          fmt::format("{}: transformation: document must be an object", name()));
    }
    return Canonize(document, key_type, "transformation", member);
  }

  bool TransformsWithRdfcSha256(jose::KeyType key_type) const override {
    return CanonicalizationHash(key_type) == jsonld::HashAlgorithm::kSha256;
  }

  Result<std::string> ConfigureProof(const json& proof_options, const json& unsecured_document,
                                     jose::KeyType key_type) const override {
    RETURN_IF_ERROR(CheckProofConfig(proof_options, key_type));
    json config = proof_options;
    // Data Integrity: the proof configuration takes the document's @context. The legacy
    // suites keep a proof's own @context (their signers put the suite context there when the
    // document lacked it) and take the document's otherwise.
    const bool keep_own = proof_type() != kDataIntegrityProofType && config.contains("@context");
    if (!keep_own) {
      auto context = unsecured_document.is_object() ? unsecured_document.find("@context")
                                                    : unsecured_document.end();
      if (unsecured_document.is_object() && context != unsecured_document.end()) {
        config["@context"] = *context;
      } else {
        config.erase("@context");
      }
    }
    return Canonize(config, key_type, "proof configuration");
  }

 protected:
  // The hash inside RDFC-1.0 (SHA-384 for P-384 keys in ecdsa-rdfc-2019).
  virtual jsonld::HashAlgorithm CanonicalizationHash(jose::KeyType) const {
    return jsonld::HashAlgorithm::kSha256;
  }

 private:
  Result<std::string> Canonize(const json& value, jose::KeyType key_type, std::string_view step,
                               std::string_view omit_member = {}) const {
    auto canonical =
        jsonld::CanonizeJsonLd(value, RdfcOptions(CanonicalizationHash(key_type), omit_member));
    if (!canonical.ok()) return canonical.status().WithContext(fmt::format("{}: {}", name(), step));
    return canonical;
  }
};

// W3C vc-di-eddsa §3.2: RDFC-1.0, SHA-256, Ed25519.
class EddsaRdfc2022 final : public RdfcSuite {
 public:
  std::string_view name() const override { return kEddsaRdfc2022; }
  bool AcceptsKeyType(jose::KeyType type) const override { return type == jose::KeyType::kEd25519; }

 protected:
  HashAlgorithm HashFor(jose::KeyType) const override { return HashAlgorithm::kSha256; }
  std::string_view AcceptedKeys() const override { return "Ed25519"; }
};

// W3C vc-di-ecdsa §3.2: RDFC-1.0; P-256 with SHA-256, P-384 with SHA-384 (inside the
// canonicalization too).
class EcdsaRdfc2019 final : public RdfcSuite {
 public:
  std::string_view name() const override { return kEcdsaRdfc2019; }
  bool AcceptsKeyType(jose::KeyType type) const override {
    return type == jose::KeyType::kP256 || type == jose::KeyType::kP384;
  }

 protected:
  HashAlgorithm HashFor(jose::KeyType type) const override {
    return type == jose::KeyType::kP384 ? HashAlgorithm::kSha384 : HashAlgorithm::kSha256;
  }
  jsonld::HashAlgorithm CanonicalizationHash(jose::KeyType type) const override {
    return type == jose::KeyType::kP384 ? jsonld::HashAlgorithm::kSha384
                                        : jsonld::HashAlgorithm::kSha256;
  }
  std::string_view AcceptedKeys() const override { return "P-256 or P-384"; }
};

// Ed25519Signature2020 (W3C CCG, the suite the 2021-2023 SVIP credentials used): the proof's
// own type names it, RDFC-1.0 with SHA-256, Ed25519, multibase proofValue. Verification only.
class Ed25519Signature2020 final : public RdfcSuite {
 public:
  std::string_view name() const override { return kEd25519Signature2020; }
  std::string_view proof_type() const override { return kEd25519Signature2020; }
  bool CanCreate() const override { return false; }
  bool AcceptsKeyType(jose::KeyType type) const override { return type == jose::KeyType::kEd25519; }

 protected:
  HashAlgorithm HashFor(jose::KeyType) const override { return HashAlgorithm::kSha256; }
  std::string_view AcceptedKeys() const override { return "Ed25519"; }
};

// The detached-JWS suites, Ed25519Signature2018 and JsonWebSignature2020: the hash data
// (SHA-256 of each canonical form) is the unencoded payload (RFC 7797, "b64": false) of a
// compact JWS whose payload part is empty; the "jws" member carries it. Verification only.
class DetachedJwsSuite : public RdfcSuite {
 public:
  std::string_view proof_value_member() const override { return "jws"; }
  bool CanCreate() const override { return false; }

  Result<std::vector<uint8_t>> DecodeProofValue(std::string_view text) const override {
    const size_t first = text.find('.');
    const size_t second = first == std::string_view::npos ? first : text.find('.', first + 1);
    if (first == std::string_view::npos || second != first + 1 ||
        text.find('.', second + 1) != std::string_view::npos) {
      return InvalidArgumentError(
          "jws must be a detached compact JWS: \"<header>..<signature>\" (empty payload)");
    }
    return std::vector<uint8_t>(text.begin(), text.end());
  }

  Result<std::vector<uint8_t>> SerializeProof(std::span<const uint8_t>,
                                              const jose::PrivateKey&) const override {
    return UnimplementedError(fmt::format("{} proofs are verified, not created", name()));
  }

  Status VerifyProof(std::span<const uint8_t> hash_data, std::span<const uint8_t> proof_bytes,
                     const jose::PublicKey& key) const override {
    RETURN_IF_ERROR(CheckKeyType(key.type()));
    const std::string_view jws(reinterpret_cast<const char*>(proof_bytes.data()),
                               proof_bytes.size());
    const size_t dot = jws.find('.');
    if (dot == std::string_view::npos || jws.size() < dot + 2 || jws[dot + 1] != '.') {
      return InvalidArgumentError(fmt::format("{}: jws is not a detached compact JWS", name()));
    }
    const std::string_view header_b64 = jws.substr(0, dot);
    auto header_bytes = codec::Base64UrlDecode(header_b64);
    if (!header_bytes.ok()) {
      return InvalidArgumentError(fmt::format("{}: jws header is not base64url", name()));
    }
    auto header = codec::ParseJson(std::string_view(
        reinterpret_cast<const char*>(header_bytes->data()), header_bytes->size()));
    if (!header.ok() || !header->is_object()) {
      return InvalidArgumentError(fmt::format("{}: jws header is not a JSON object", name()));
    }
    const auto b64 = header->find("b64");
    const auto crit = header->find("crit");
    if (b64 == header->end() || *b64 != false || crit == header->end() ||
        *crit != json::array({"b64"})) {
      return InvalidArgumentError(
          fmt::format("{}: jws header must have \"b64\": false and \"crit\": [\"b64\"]", name()));
    }
    const auto alg_member = header->find("alg");
    if (alg_member == header->end() || !alg_member->is_string()) {
      return InvalidArgumentError(fmt::format("{}: jws header has no alg", name()));
    }
    auto alg = jose::ParseAlgorithm(alg_member->get_ref<const std::string&>());
    if (!alg.ok()) return alg.status().WithContext(fmt::format("{}: jws header", name()));
    auto signature = codec::Base64UrlDecode(jws.substr(dot + 2));
    if (!signature.ok()) {
      return InvalidArgumentError(fmt::format("{}: jws signature is not base64url", name()));
    }
    // JWS signing input with an unencoded payload: ASCII(header) || '.' || payload bytes.
    std::vector<uint8_t> input(header_b64.begin(), header_b64.end());
    input.push_back('.');
    input.insert(input.end(), hash_data.begin(), hash_data.end());
    return CheckSignature(key.Verify(*alg, input, *signature), key.type());
  }

 protected:
  HashAlgorithm HashFor(jose::KeyType) const override { return HashAlgorithm::kSha256; }
};

class Ed25519Signature2018 final : public DetachedJwsSuite {
 public:
  std::string_view name() const override { return kEd25519Signature2018; }
  std::string_view proof_type() const override { return kEd25519Signature2018; }
  bool AcceptsKeyType(jose::KeyType type) const override { return type == jose::KeyType::kEd25519; }

 protected:
  std::string_view AcceptedKeys() const override { return "Ed25519"; }
};

class JsonWebSignature2020 final : public DetachedJwsSuite {
 public:
  std::string_view name() const override { return kJsonWebSignature2020; }
  std::string_view proof_type() const override { return kJsonWebSignature2020; }
  bool AcceptsKeyType(jose::KeyType) const override { return true; }

 protected:
  std::string_view AcceptedKeys() const override { return "Ed25519, P-256 or P-384"; }
};

struct Registry {
  // A plain mutex: lookups are a map search, and glibc's reader-preferring rwlock let busy
  // readers starve a registration for minutes.
  std::mutex mu;
  std::map<std::string, std::unique_ptr<Cryptosuite>, std::less<>> suites;
};

Registry& GetRegistry() {
  // Built on first use (thread-safe static initialization) and never destroyed, so that
  // pointers handed out by FindCryptosuite stay valid during static destruction too.
  static Registry* registry = [] {
    auto* r = new Registry;
    std::unique_ptr<Cryptosuite> builtin[] = {
        std::make_unique<EddsaJcs2022>(),         std::make_unique<EcdsaJcs2019>(),
        std::make_unique<EddsaRdfc2022>(),        std::make_unique<EcdsaRdfc2019>(),
        std::make_unique<Ed25519Signature2020>(), std::make_unique<Ed25519Signature2018>(),
        std::make_unique<JsonWebSignature2020>()};
    for (auto& suite : builtin) r->suites.emplace(std::string(suite->name()), std::move(suite));
    return r;
  }();
  return *registry;
}

}  // namespace

const Cryptosuite* FindCryptosuite(std::string_view name) {
  Registry& r = GetRegistry();
  std::lock_guard lock(r.mu);
  auto it = r.suites.find(name);
  return it == r.suites.end() ? nullptr : it->second.get();
}

Status RegisterCryptosuite(std::unique_ptr<Cryptosuite> suite) {
  if (suite == nullptr) return InvalidArgumentError("cryptosuite registry: null suite");
  const std::string name(suite->name());
  if (name.empty()) return InvalidArgumentError("cryptosuite registry: empty suite name");
  Registry& r = GetRegistry();
  std::lock_guard lock(r.mu);
  if (r.suites.count(name) != 0) {
    return AlreadyExistsError(
        fmt::format("cryptosuite registry: \"{}\" is already registered", name));
  }
  r.suites.emplace(name, std::move(suite));
  return Status::Ok();
}

std::vector<std::string> RegisteredCryptosuites() {
  Registry& r = GetRegistry();
  std::lock_guard lock(r.mu);
  std::vector<std::string> names;
  names.reserve(r.suites.size());
  for (const auto& [name, suite] : r.suites) names.push_back(name);
  return names;
}

void SetContextLoader(const jsonld::DocumentLoader* loader) {
  g_context_loader.store(loader, std::memory_order_release);
}

Result<std::vector<uint8_t>> Cryptosuite::DecodeProofValue(std::string_view text) const {
  if (text.empty() || text[0] != static_cast<char>(codec::Multibase::kBase58Btc)) {
    return InvalidArgumentError(
        fmt::format("{} must be multibase base58btc (prefix 'z')", proof_value_member()));
  }
  auto bytes = codec::MultibaseDecodeAs(codec::Multibase::kBase58Btc, text);
  if (!bytes.ok()) {
    return InvalidArgumentError(
        fmt::format("{}: {}", proof_value_member(), bytes.status().message()));
  }
  return bytes;
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

Result<HashData> ProofHashFromCanonical(const Cryptosuite& suite,
                                        std::string_view canonical_document, const json& document,
                                        const json& proof_options, jose::KeyType key_type) {
  ASSIGN_OR_RETURN(const std::string proof_config,
                   suite.ConfigureProof(proof_options, document, key_type));
  return suite.Hash(canonical_document, proof_config, key_type);
}

std::optional<std::string> RdfcTransformIfDirect(simdjson::dom::element document,
                                                 std::string_view omit) {
  return jsonld::CanonizeJsonLdIfDirect(document,
                                        RdfcOptions(jsonld::HashAlgorithm::kSha256, omit));
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
