// Data Integrity cryptosuites (W3C VC Data Integrity 1.0 §3): the pluggable part of a proof.
//
// A cryptosuite turns a document and a proof configuration into the bytes that are signed, and
// signs or verifies them. Its steps are the ones the cryptosuite specifications name:
//
//   Transform        the unsecured document  -> canonical bytes ("transformed data")
//   ConfigureProof   the proof options       -> canonical bytes ("canonical proof config")
//   Hash             both of the above       -> hashData = H(canonical config) ‖ H(transformed)
//   SerializeProof   hashData + private key  -> proof bytes (proofValue = "z" + base58btc)
//   VerifyProof      hashData + proof bytes + public key -> OK or an error
//
// data_integrity.h drives these steps for every suite the same way (proof sets, chains,
// @context, structure and purpose checks), so a suite only decides how to canonicalize, which
// hash and which signature. Built in (registered before first use):
//
//   eddsa-jcs-2022   JCS (RFC 8785), SHA-256, Ed25519                     (W3C vc-di-eddsa §3.3)
//   ecdsa-jcs-2019   JCS, SHA-256 + P-256 or SHA-384 + P-384, r‖s form    (W3C vc-di-ecdsa §3.3)
//   eddsa-rdfc-2022  RDFC-1.0 (SHA-256), SHA-256, Ed25519                 (W3C vc-di-eddsa §3.2)
//   ecdsa-rdfc-2019  RDFC-1.0 + SHA-256 + P-256, or RDFC-1.0 with SHA-384 inside + SHA-384 +
//                    P-384                                                 (W3C vc-di-ecdsa §3.2)
// and, for verification only, the legacy Linked Data Proof suites the 2020-2023 SVIP
// credentials carry, named by their proof type rather than a "cryptosuite" member:
//   Ed25519Signature2020  RDFC-1.0, SHA-256, Ed25519, multibase proofValue
//   Ed25519Signature2018  RDFC-1.0, SHA-256, detached JWS (RFC 7797) in "jws", EdDSA
//   JsonWebSignature2020  RDFC-1.0, SHA-256, detached JWS in "jws", EdDSA / ES256 / ES384
//
// The RDF suites expand documents in safe mode with contexts from the pinned registry
// (jsonld/context_registry.h; SetContextLoader picks another). docs/formats/data-integrity.md
// has the byte recipes.
//
// Thread safety: Cryptosuite implementations must be immutable and thread-safe (every method
// is const and may be called concurrently). The registry functions are thread-safe.
#ifndef TRACEPORT_VC_CRYPTOSUITE_H_
#define TRACEPORT_VC_CRYPTOSUITE_H_

#include <simdjson.h>

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "jose/key.h"
#include "vc/context_loader.h"

namespace traceport::vc {

inline constexpr std::string_view kDataIntegrityProofType = "DataIntegrityProof";
inline constexpr std::string_view kEddsaJcs2022 = "eddsa-jcs-2022";
inline constexpr std::string_view kEcdsaJcs2019 = "ecdsa-jcs-2019";
inline constexpr std::string_view kEddsaRdfc2022 = "eddsa-rdfc-2022";
inline constexpr std::string_view kEcdsaRdfc2019 = "ecdsa-rdfc-2019";
inline constexpr std::string_view kEd25519Signature2020 = "Ed25519Signature2020";
inline constexpr std::string_view kEd25519Signature2018 = "Ed25519Signature2018";
inline constexpr std::string_view kJsonWebSignature2020 = "JsonWebSignature2020";

// The output of a suite's hashing step. For every suite so far `bytes` is
// proof_config_hash ‖ document_hash (64 bytes with SHA-256, 96 with SHA-384) and is exactly
// what the signature covers.
struct HashData {
  std::vector<uint8_t> proof_config_hash;
  std::vector<uint8_t> document_hash;
  std::vector<uint8_t> bytes;
};

class Cryptosuite {
 public:
  virtual ~Cryptosuite() = default;

  // The "cryptosuite" value of its proofs, e.g. "eddsa-jcs-2022".
  virtual std::string_view name() const = 0;

  // The "type" of this suite's proofs: DataIntegrityProof (the default; "cryptosuite" names
  // the suite), or, for the legacy suites, the suite's own name (they have no "cryptosuite").
  virtual std::string_view proof_type() const { return kDataIntegrityProofType; }

  // The proof member that holds the proof value: "proofValue", or "jws" for the detached-JWS
  // suites.
  virtual std::string_view proof_value_member() const { return "proofValue"; }

  // The bytes VerifyProof takes, from the proof value's text. The default decodes multibase
  // base58btc ('z'); InvalidArgument names the problem.
  virtual Result<std::vector<uint8_t>> DecodeProofValue(std::string_view text) const;

  // Whether AddProof may create proofs with this suite (the legacy suites are verify-only).
  virtual bool CanCreate() const { return true; }

  // Whether keys of `type` can create and verify this suite's proofs.
  virtual bool AcceptsKeyType(jose::KeyType type) const = 0;

  // Whether a created proof carries a copy of the document's "@context" (the JCS suites do, so
  // that the proof configuration hash covers it; the RDFC suites add the context only to the
  // hashed configuration, never to the emitted proof).
  virtual bool ProofCarriesContext() const = 0;

  // Transformation: the canonical bytes of `unsecured_document` (which has no "proof" member,
  // or only the previous proofs of a chain). `proof_options` is the proof without proofValue;
  // its type and cryptosuite must name this suite (InvalidArgument otherwise). `key_type` is
  // the signing / verifying key's type (P-384 changes the hash of some suites).
  virtual Result<std::string> Transform(const nlohmann::json& unsecured_document,
                                        const nlohmann::json& proof_options,
                                        jose::KeyType key_type) const = 0;

  // Whether Transform is exactly the RFC 8785 canonical form of the document (the JCS suites),
  // so that a caller holding those bytes already may stand in for it.
  virtual bool TransformsWithJcs() const { return false; }

  // Whether Transform, for a key of `key_type`, is exactly the canonical N-Quads that
  // RdfcTransformIfDirect computes (RDFC-1.0 with SHA-256 inside, the pinned contexts, safe
  // mode), so that a caller holding those bytes already may stand in for it.
  virtual bool TransformsWithRdfcSha256(jose::KeyType /*key_type*/) const { return false; }

  // Transform of `document` without its top-level member `member` (the verifier passes the
  // secured document and "proof"). The default copies the document, erases the member and calls
  // Transform; suites that can canonicalize around the member without a copy override it.
  virtual Result<std::string> TransformWithout(const nlohmann::json& document,
                                               std::string_view member,
                                               const nlohmann::json& proof_options,
                                               jose::KeyType key_type) const;

  // Proof configuration: the canonical bytes of the proof options (the proof without
  // proofValue). InvalidArgument if type / cryptosuite do not name this suite, if "created"
  // is present but not an RFC 3339 date-time, or if a proofValue is present.
  virtual Result<std::string> ConfigureProof(const nlohmann::json& proof_options,
                                             const nlohmann::json& unsecured_document,
                                             jose::KeyType key_type) const = 0;

  // Hashing: the suite's hash of each canonical form, and the bytes to sign.
  virtual Result<HashData> Hash(std::string_view transformed_document,
                                std::string_view canonical_proof_config,
                                jose::KeyType key_type) const = 0;

  // Proof serialization: signs `hash_data` (HashData::bytes) with `key`. InvalidArgument if
  // the key type is not accepted.
  virtual Result<std::vector<uint8_t>> SerializeProof(std::span<const uint8_t> hash_data,
                                                      const jose::PrivateKey& key) const = 0;

  // Proof verification: OK if `proof_bytes` is a valid proof of `hash_data` under `key`.
  // InvalidArgument if the key type is not accepted or `proof_bytes` has the wrong length for
  // it (the message names both lengths); PermissionDenied if the signature does not verify.
  virtual Status VerifyProof(std::span<const uint8_t> hash_data,
                             std::span<const uint8_t> proof_bytes,
                             const jose::PublicKey& key) const = 0;
};

// Key type names as the cryptosuite specifications write them ("Ed25519", "P-256", "P-384").
std::string_view KeyTypeDisplayName(jose::KeyType type);

// The suite registered under `name` (a Data Integrity "cryptosuite" value, or a legacy suite's
// proof type), or nullptr. The pointer stays valid for the life of the process (suites are
// never unregistered). Thread-safe.
const Cryptosuite* FindCryptosuite(std::string_view name);

// Adds `suite` to the registry. InvalidArgument for a null suite or an empty name,
// AlreadyExists if the name is taken (the built-in suites included). Thread-safe.
Status RegisterCryptosuite(std::unique_ptr<Cryptosuite> suite);

// The names of every registered suite, sorted. Thread-safe.
std::vector<std::string> RegisteredCryptosuites();

// Every intermediate value of one proof, as the specifications' test vectors list them.
struct ProofIntermediates {
  std::string canonical_document;      // canonDoc
  std::string canonical_proof_config;  // proofCanon
  HashData hash;                       // proofHash, docHash, combined hash (what is signed)
};

// Runs Transform, ConfigureProof and Hash of `suite`: the exact path AddProof and VerifyProofs
// take, exposed so that tests can compare each value with published vectors. `proof_options` is
// the proof without proofValue (with "@context" when the suite carries it);
// `unsecured_document` is the document without "proof" (or with only the previous proofs of a
// chain). Errors are those of the steps.
Result<ProofIntermediates> ComputeProofIntermediates(const Cryptosuite& suite,
                                                     const nlohmann::json& unsecured_document,
                                                     const nlohmann::json& proof_options,
                                                     jose::KeyType key_type);
// The hash to verify when the transformation's output is known: `canonical_document`;
// ConfigureProof and Hash run as usual (ConfigureProof repeats Transform's checks of the options
// and key type). Nothing is copied.
Result<HashData> ProofHashFromCanonical(const Cryptosuite& suite,
                                        std::string_view canonical_document,
                                        const nlohmann::json& document,
                                        const nlohmann::json& proof_options,
                                        jose::KeyType key_type);
// The RDF suites' transformation with SHA-256 inside RDFC-1.0 (what Transform gives where
// TransformsWithRdfcSha256 holds) of a document parsed with simdjson, without its top-level
// member `omit`, when the direct JSON-LD path takes the document: no nlohmann::json tree is
// built (the verifier's fast path). nullopt when that path declines or fails; Transform over the
// tree then gives the answer or the error. Uses the loader SetContextLoader installed.
std::optional<std::string> RdfcTransformIfDirect(simdjson::dom::element document,
                                                 std::string_view omit);
// The same for a secured document whose proofs are not chained: the transformation covers
// `secured_document` without its "proof" member (Cryptosuite::TransformWithout).
Result<ProofIntermediates> ComputeProofIntermediatesOfSecured(
    const Cryptosuite& suite, const nlohmann::json& secured_document,
    const nlohmann::json& proof_options, jose::KeyType key_type);

}  // namespace traceport::vc

#endif  // TRACEPORT_VC_CRYPTOSUITE_H_
