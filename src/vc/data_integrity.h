// W3C Verifiable Credential Data Integrity 1.0: adding proofs to JSON documents and verifying
// them, for any cryptosuite in the registry (cryptosuite.h).
//
// A secured document carries its proofs under "proof": one object, or an array of objects (a
// proof set). A proof with "previousProof" (one id, or an array of ids) is part of a proof
// chain: it also signs the proofs it names, so they cannot be removed or replaced without
// breaking it. The byte recipes are in docs/formats/data-integrity.md; in short, a proof signs
//   H(canonical proof options) ‖ H(canonical document)
// where the document is the secured document without "proof", except that for a chained proof
// "proof" holds the array of the proofs it names (in document order, with their proofValues).
//
// Verification reports every proof separately, stage by stage (ProofResult), and never throws.
// Policy beyond the specifications, for safety:
//   - a proof's "@context", when present, must equal the document's "@context" exactly (the
//     specifications only ask that the document's context start with the proof's);
//   - proofValue must be multibase base58btc ('z') and decode to exactly the signature length
//     of the resolved key;
//   - the resolved key's type must be one the cryptosuite accepts;
//   - a proof whose previousProof names a proof that does not verify does not verify either;
//     a previousProof naming a missing, duplicated or its own id, or forming a cycle, fails;
//   - at most VerifyOptions::max_proofs proofs are examined; more fail the whole document.
//
// Thread safety: all functions are thread-safe if the KeyLookup is.
#ifndef TRACEPORT_VC_DATA_INTEGRITY_H_
#define TRACEPORT_VC_DATA_INTEGRITY_H_

#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "did/key_cache.h"
#include "did/resolver.h"
#include "jose/key.h"

namespace traceport::vc {

// The proof options of AddProof. Strings are copied into the proof as given.
struct ProofOptions {
  std::string cryptosuite;          // a registered suite, e.g. "eddsa-jcs-2022"
  std::string verification_method;  // DID URL of the signing key, e.g. "did:key:z6Mk...#z6Mk..."
  std::string proof_purpose = "assertionMethod";
  std::string created;  // RFC 3339 date-time; empty: no "created" member (it is optional)
  std::optional<std::string> expires;  // RFC 3339 date-time
  std::optional<std::string> challenge;
  std::optional<std::string> domain;
  std::optional<std::string> id;  // needed for a proof that later proofs chain to
  std::optional<std::string> nonce;
  // Ids of existing proofs this proof chains to: written as a string when there is one, as an
  // array when there are several. Empty: the new proof joins the proof set unchained.
  std::vector<std::string> previous_proof;
};

// Returns a copy of `document` with a new proof. If `document` has no proof, the result's
// "proof" is the new proof object; otherwise it is an array of the existing proofs followed by
// the new one (a proof set, or a chain when previous_proof is set).
// Errors:
//   InvalidArgument   document not an object; "@context" not a string, object or array of
//                     them; existing "proof" not an object or array of objects; empty
//                     verification_method or proof_purpose; created / expires not RFC 3339; key
//                     type not accepted by the suite; previous_proof listing an id twice;
//                     canonicalization failures (e.g. non-UTF-8 strings)
//   Unimplemented     cryptosuite not registered
//   AlreadyExists     options.id equals the id of an existing proof
//   NotFound          a previous_proof id matches no existing proof
//   FailedPrecondition a previous_proof id matches more than one existing proof
// Never throws.
Result<nlohmann::json> AddProof(const nlohmann::json& document, const ProofOptions& options,
                                const jose::PrivateKey& key);

// Resolves a proof's verification method to its public key. The caller resolves the DID and
// checks that the method is authorized for `proof_purpose`; any error it returns is reported
// as a key-resolution failure (never as a signature failure). Exceptions it throws are caught
// and reported the same way.
using KeyLookup = std::function<Result<jose::PublicKey>(std::string_view verification_method,
                                                        std::string_view proof_purpose)>;

// A KeyLookup over a DID resolver: the method must be listed under the verification
// relationship named by the proof purpose ("assertionMethod", "authentication", ...); an
// unknown purpose is PermissionDenied. `resolver` must outlive the returned function.
KeyLookup ResolverKeyLookup(did::Resolver& resolver);
// The same over a key cache (see did/key_cache.h), which must outlive the returned function.
KeyLookup CachedKeyLookup(did::KeyCache& cache);

struct VerifyOptions {
  // The proofPurpose every proof must have; nullopt accepts any purpose.
  std::optional<std::string> expected_proof_purpose = std::string("assertionMethod");
  // When set, every proof must carry this challenge.
  std::optional<std::string> expected_challenge;
  // When set, every proof's domain (a string, or an array of strings taken as a set) must be
  // exactly {expected_domain}.
  std::optional<std::string> expected_domain;
  // Suites the verifier accepts; empty accepts every registered suite.
  std::vector<std::string> allowed_cryptosuites;
  // The instant "expires" is compared with; nullopt uses SystemClock(). A proof is expired
  // from its expires instant on.
  std::optional<Time> now;
  // Documents with more proofs than this fail as a whole without any proof being examined.
  size_t max_proofs = 16;
  // When set: the RFC 8785 canonical form of the secured document without its "proof", which
  // the caller has computed already (the verifier's fast path, from its simdjson document).
  // Unchained proofs of suites that transform with JCS, whose @context (if any) equals the
  // document's, use it instead of canonicalizing the document passed to VerifyProofs; every
  // other proof then fails, because that document may be partial and must never be hashed.
  const std::string* jcs_document_without_proof = nullptr;
  // The same for the RDF suites: the canonical N-Quads of the secured document without its
  // "proof" (RdfcTransformIfDirect), used by unchained proofs whose suite transforms with it
  // for the key (Cryptosuite::TransformsWithRdfcSha256) and whose @context (if any) equals the
  // document's. When either is set, every other proof fails...
  const std::string* rdfc_document_without_proof = nullptr;
  // ...unless the document passed to VerifyProofs is complete (not the fast path's skeleton):
  // then the other proofs canonicalize it themselves.
  bool secured_is_complete = false;
};

enum class StageStatus { kSkipped, kPass, kFail };
// "skipped", "pass", "fail".
std::string_view StageStatusName(StageStatus status);

struct Stage {
  StageStatus status = StageStatus::kSkipped;
  std::string reason;  // why it failed, or a short note when it passed or was skipped

  bool passed() const { return status == StageStatus::kPass; }
  bool failed() const { return status == StageStatus::kFail; }
};

// The outcome for one proof. Stages run in the order declared; once one fails the later ones
// are skipped.
struct ProofResult {
  size_t index = 0;  // position in the "proof" array (0 for a single proof object)
  // Copied from the proof when they are strings, else empty.
  std::string id;
  std::string cryptosuite;
  std::string verification_method;
  std::string proof_purpose;

  // Shape of the proof and of the document around it: the proof is an object; type is
  // "DataIntegrityProof"; cryptosuite is registered and allowed; verificationMethod and
  // proofPurpose are non-empty strings; proofValue is multibase 'z' base58btc; created and
  // expires are RFC 3339 when present; id, challenge, nonce are strings and domain a string or
  // strings when present; "@context" equals the document's when present; every previousProof
  // id names exactly one other proof.
  Stage structure;
  // The verifier's expectations: proofPurpose, challenge, domain, and expiry against `now`.
  Stage purpose;
  // The KeyLookup found a key, and the cryptosuite accepts its type.
  Stage key_resolution;
  // Canonicalization, hashing and the signature itself (including the proofValue length).
  Stage signature;
  // Only for proofs with previousProof: every proof they name verified (transitively).
  Stage chain;

  // True when structure, purpose, key_resolution and signature passed and chain did not fail.
  bool verified() const;
  // "<stage>: <reason>" of the failed stage, or "" when verified.
  std::string failure() const;
};

// Verifies every proof of `secured`. The result is never empty: a problem with the document as
// a whole (not an object, no "proof", "proof" neither an object nor a non-empty array, too many
// proofs, a malformed "@context") is reported as one result with index 0 whose structure stage
// failed. Never throws.
std::vector<ProofResult> VerifyProofs(const nlohmann::json& secured, const KeyLookup& lookup,
                                      const VerifyOptions& options = {});

// True when `results` is non-empty and every proof verified.
bool AllProofsVerified(const std::vector<ProofResult>& results);

}  // namespace traceport::vc

#endif  // TRACEPORT_VC_DATA_INTEGRITY_H_
