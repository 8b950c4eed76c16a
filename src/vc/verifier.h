// Verifying credentials and presentations end to end, producing the VerificationReport that
// customs officers, the API and the CLI see.
//
// Input is either a JSON document secured with Data Integrity proofs, or a compact vc+jwt /
// vp+jwt. Every failure mode is a failed check with a reason; nothing throws.
//
// Checks for a credential, in order: structure, proof, key-resolution (including that the
// signing key is controlled by the issuer), proof-purpose, validity-period, status, schema, and
// the not-yet-configured issuer-accredited and ledger-anchor slots (reported as not applicable
// until the registry and ledger modules fill them).
#ifndef TRACEPORT_VC_VERIFIER_H_
#define TRACEPORT_VC_VERIFIER_H_

#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/time.h"
#include "did/key_cache.h"
#include "did/resolver.h"
#include "vc/report.h"
#include "vc/schema.h"
#include "vc/status_list.h"

namespace traceport::vc {

// A credential as the slot checker sees it (see SlotChecker).
struct SecuredCredential {
  // The credential (for a vc+jwt, its payload). On the fast path this is a skeleton that holds
  // at least id, type, issuer, validFrom / issuanceDate and credentialStatus.
  const nlohmann::json* document = nullptr;
  std::string_view jwt;                       // the compact vc+jwt, when that is the securing form
  std::string_view json_text;                 // the JSON text as received, when verified from text
  const nlohmann::json* full_json = nullptr;  // the whole Data Integrity document, when parsed
  // The RFC 8785 form of the whole Data Integrity document (proof included), when the verifier
  // computed it on the way: what the document's digest is taken over.
  std::string_view canonical;
};

// Fills the `issuer-accredited` and `ledger-anchor` checks, which need the trust registry and
// the ledger (modules above this one). Called once per credential whose structure is valid,
// after every other check. Implementations are thread-safe.
class SlotChecker {
 public:
  virtual ~SlotChecker() = default;
  virtual void Fill(const SecuredCredential& credential, VerificationReport& report) const = 0;
};

// What a verifier needs. Pointers are not owned; `resolver` and `clock` are required.
struct VerifierContext {
  did::Resolver* resolver = nullptr;
  const Clock* clock = nullptr;
  // When set, verification-method keys come from this cache (which wraps a resolver) instead of
  // being resolved through `resolver` on every verification.
  did::KeyCache* keys = nullptr;
  // Where status lists come from; without it a credential with credentialStatus fails `status`.
  StatusListResolver* status_lists = nullptr;
  // Schemas for credentialSchema; without it the `schema` check is skipped (not required).
  const SchemaRegistry* schemas = nullptr;
  // Fills issuer-accredited and ledger-anchor; without it both are not applicable.
  const SlotChecker* slots = nullptr;
  // When set, status list proofs that verified recently are not verified again and expanded
  // lists are reused.
  StatusListCache* status_cache = nullptr;
};

struct VerifyLimits {
  size_t max_bytes = 1 << 20;                     // documents larger than this fail `structure`
  size_t max_depth = 64;                          // JSON nesting limit
  std::chrono::seconds skew{60};                  // clock tolerance for validity periods
  std::vector<std::string> allowed_cryptosuites;  // empty: every registered suite
  // Credentials given as text are first tried on a fast path that parses with simdjson and
  // builds only the parts of the nlohmann tree the checks read; it answers only when the
  // credential verifies, with the report the full path would give, and leaves every other
  // outcome to the full path. Presentations canonicalize each embedded credential once for
  // the holder's and the credential's JCS proofs and the slot checker's digest. False: always
  // the full path, every proof canonicalizing on its own (tests compare the two).
  bool fast_path = true;
};

// Verifies a credential given as text: JSON (Data Integrity) or a compact vc+jwt.
VerificationReport VerifyCredentialText(std::string_view input, const VerifierContext& ctx,
                                        const VerifyLimits& limits = {});
// Verifies a parsed credential: a Data Integrity-secured object or an
// EnvelopedVerifiableCredential.
VerificationReport VerifyCredential(const nlohmann::json& credential, const VerifierContext& ctx,
                                    const VerifyLimits& limits = {});

struct PresentationExpectations {
  // The verifier's challenge and domain: when set, the presentation's proof must carry exactly
  // these (for vp+jwt: the "nonce" and "aud" claims).
  std::optional<std::string> challenge;
  std::optional<std::string> domain;
};

struct PresentationReport {
  VerificationReport presentation;
  std::vector<VerificationReport> credentials;  // one per enclosed credential, in order
  bool verified() const;
  nlohmann::json ToJson() const;
};

// Verifies a presentation given as text (JSON with a Data Integrity proof, or a vp+jwt): the
// holder's proof (purpose authentication, challenge, domain, key controlled by the holder) and
// every enclosed credential (embedded or enveloped).
PresentationReport VerifyPresentationText(std::string_view input, const VerifierContext& ctx,
                                          const PresentationExpectations& expect,
                                          const VerifyLimits& limits = {});
// The same for a presentation already parsed (by the caller, under its own size and depth
// limits): a Data Integrity presentation object is verified where it sits, without a copy; a
// string (vp+jwt) or an EnvelopedVerifiablePresentation goes through VerifyPresentationText.
PresentationReport VerifyPresentation(const nlohmann::json& presentation,
                                      const VerifierContext& ctx,
                                      const PresentationExpectations& expect,
                                      const VerifyLimits& limits = {});

// The DID part of a DID URL ("did:web:x#k" → "did:web:x").
std::string DidOfUrl(std::string_view did_url);
// The id of an issuer / holder value (a string, or an object with a string id).
std::optional<std::string> PartyId(const nlohmann::json& value);

}  // namespace traceport::vc

#endif  // TRACEPORT_VC_VERIFIER_H_
