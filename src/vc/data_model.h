// Structure rules of the W3C Verifiable Credentials Data Model: VCDM 2.0 for issuing and
// verifying, VCDM 1.1 for verifying credentials issued before 2.0.
//
// ValidateCredential and ValidatePresentation apply the data model's normative shape rules to a
// parsed JSON document and return every problem they find, each located by a JSON Pointer
// (RFC 6901) into the document they were given. An empty vector means the document is
// structurally valid. They do not verify proofs, fetch or expand JSON-LD contexts, resolve DIDs,
// check status lists or compare dates with the clock; CheckValidityPeriod does the last.
// docs/formats/credentials.md lists the rules.
//
// Input limits (size, nesting depth) are the caller's: parse untrusted text with
// codec::ParseJson, whose limits bound the work done here. The functions accept any
// nlohmann::json value (not only objects), never throw on its content and never abort.
//
// Thread safety: every function is pure and may be called concurrently.
#ifndef TRACEPORT_VC_DATA_MODEL_H_
#define TRACEPORT_VC_DATA_MODEL_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "common/time.h"
#include "vc/report.h"

namespace traceport::vc {

// The base contexts that identify the data model version when they are the first @context item.
inline constexpr std::string_view kCredentialsContextV1 = "https://www.w3.org/2018/credentials/v1";
inline constexpr std::string_view kCredentialsContextV2 = "https://www.w3.org/ns/credentials/v2";

enum class VcVersion { k1_1, k2_0 };

// "1.1" or "2.0".
std::string_view VcVersionName(VcVersion version);

// The version named by the first @context item (or by @context itself when it is a single
// string). nullopt when `document` is not an object, has no @context, or its first item is
// neither base context. Validate* report why, with a pointer.
std::optional<VcVersion> DetectVcVersion(const nlohmann::json& document);

struct ValidationOptions {
  // Accept VCDM 1.1 documents. True for verifying: credentials issued under 1.1 stay valid.
  bool allow_v1_1 = true;
  // Issuing: the document must be VCDM 2.0. Overrides allow_v1_1, and the problem says that
  // issuing needs 2.0.
  bool require_v2 = false;

  static ValidationOptions ForVerifying() { return ValidationOptions{}; }
  static ValidationOptions ForIssuing() {
    ValidationOptions options;
    options.allow_v1_1 = false;
    options.require_v2 = true;
    return options;
  }
};

// A verifiable credential, or (VCDM 2.0) an EnvelopedVerifiableCredential object, whose
// envelope shape is checked but whose data: URL is not decoded. Problems come in document
// order: @context, id, type, issuer, names, subjects, dates, then the optional members.
std::vector<Problem> ValidateCredential(const nlohmann::json& credential,
                                        const ValidationOptions& options = {});

// A verifiable presentation, or (VCDM 2.0) an EnvelopedVerifiablePresentation object. Embedded
// credentials are validated as ValidateCredential does, with pointers under
// /verifiableCredential/<i>; they must use the presentation's data model version.
std::vector<Problem> ValidatePresentation(const nlohmann::json& presentation,
                                          const ValidationOptions& options = {});

// OK when `text` is an absolute URI (RFC 3986 §4.3, "scheme:rest", with a fragment allowed and
// non-ASCII IRI characters tolerated); DIDs must also satisfy did::ParseDidUrl. Otherwise
// InvalidArgument whose message quotes the text and says what is wrong, e.g.
// "\"fake-issuer\" has no scheme". This is what every "must be a URL" rule uses.
Status CheckAbsoluteUrl(std::string_view text);

enum class ValidityStatus {
  kValid,        // now lies inside the validity period (or the credential states none)
  kNotYetValid,  // before validFrom / issuanceDate
  kExpired,      // after validUntil / expirationDate
  kInvalid,      // the period cannot be evaluated: a date is missing or malformed, the
                 // version is unknown, or the period ends before it starts
};

// "valid", "not-yet-valid", "expired", "invalid".
std::string_view ValidityStatusName(ValidityStatus status);

struct ValidityResult {
  ValidityStatus status = ValidityStatus::kInvalid;
  std::string reason;   // names the date that decided, as written in the credential
  std::string pointer;  // the member that decided ("" when none did)
  bool ok() const { return status == ValidityStatus::kValid; }
};

// Compares `now` with the credential's validity period: validFrom / validUntil for VCDM 2.0,
// issuanceDate / expirationDate for VCDM 1.1 (the version comes from @context). Both bounds are
// inclusive and widened by `skew` (negative counts as zero, more than 100 years as 100 years).
// Dates are parsed as ValidateCredential parses them, so a credential it accepts never yields
// kInvalid except for a period that ends before it starts. An EnvelopedVerifiableCredential
// yields kInvalid: its dates are inside the secured payload, which the caller must unwrap.
ValidityResult CheckValidityPeriod(const nlohmann::json& credential, Time now,
                                   std::chrono::seconds skew);

}  // namespace traceport::vc

#endif  // TRACEPORT_VC_DATA_MODEL_H_
