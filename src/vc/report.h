// The verification report: what a verifier tells a customs officer (and the API and CLI) about
// one credential or presentation. An ordered list of named checks, each pass / fail / skipped
// with a reason; `verified` is true only when every required check passed.
//
// Check names are stable identifiers (see kCheck* below); later modules fill the
// `issuer-accredited` and `ledger-anchor` slots. One JSON form is used everywhere:
//
//   {"verified": false,
//    "checks": [{"name": "structure", "status": "pass", "reason": "..."},
//               {"name": "proof", "status": "fail", "reason": "...", "pointer": "/proof/0"}],
//    "problems": [{"pointer": "/validFrom", "message": "..."}]}
#ifndef TRACEPORT_VC_REPORT_H_
#define TRACEPORT_VC_REPORT_H_

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace traceport::vc {

inline constexpr std::string_view kCheckStructure = "structure";
inline constexpr std::string_view kCheckSchema = "schema";
inline constexpr std::string_view kCheckProof = "proof";
inline constexpr std::string_view kCheckKeyResolution = "key-resolution";
inline constexpr std::string_view kCheckProofPurpose = "proof-purpose";
inline constexpr std::string_view kCheckValidityPeriod = "validity-period";
inline constexpr std::string_view kCheckStatus = "status";
inline constexpr std::string_view kCheckIssuerAccredited = "issuer-accredited";
inline constexpr std::string_view kCheckLedgerAnchor = "ledger-anchor";
// Presentations.
inline constexpr std::string_view kCheckChallenge = "challenge";
inline constexpr std::string_view kCheckDomain = "domain";
inline constexpr std::string_view kCheckHolder = "holder";
inline constexpr std::string_view kCheckCredentials = "credentials";

enum class CheckStatus { kPass, kFail, kSkipped };
std::string_view CheckStatusName(CheckStatus s);  // "pass", "fail", "skipped"

// One problem found in a document, located by a JSON Pointer (RFC 6901).
struct Problem {
  std::string pointer;  // "" for the whole document
  std::string message;
  friend bool operator==(const Problem&, const Problem&) = default;
};

struct Check {
  std::string name;
  CheckStatus status = CheckStatus::kSkipped;
  std::string reason;
  bool required = true;  // a failed or skipped optional check does not clear `verified`
  std::string pointer;   // where in the document, when it applies
};

class VerificationReport {
 public:
  VerificationReport() { checks_.reserve(12); }  // every credential check fits

  // Adds or replaces the check named `name` (checks keep their first position).
  void Set(std::string_view name, CheckStatus status, std::string reason, std::string pointer = "",
           bool required = true);
  void Pass(std::string_view name, std::string reason) {
    Set(name, CheckStatus::kPass, std::move(reason));
  }
  void Fail(std::string_view name, std::string reason, std::string pointer = "") {
    Set(name, CheckStatus::kFail, std::move(reason), std::move(pointer));
  }
  // A check that does not apply (e.g. no credentialStatus): skipped and not required.
  void NotApplicable(std::string_view name, std::string reason) {
    Set(name, CheckStatus::kSkipped, std::move(reason), "", /*required=*/false);
  }
  void AddProblem(Problem p) { problems_.push_back(std::move(p)); }

  const std::vector<Check>& checks() const { return checks_; }
  const std::vector<Problem>& problems() const { return problems_; }
  const Check* Find(std::string_view name) const;

  // True when there is at least one check and every required check passed.
  bool verified() const;

  nlohmann::json ToJson() const;

 private:
  std::vector<Check> checks_;
  std::vector<Problem> problems_;
};

// Escapes one reference token for a JSON Pointer ("~" → "~0", "/" → "~1").
std::string PointerToken(std::string_view token);

}  // namespace traceport::vc

#endif  // TRACEPORT_VC_REPORT_H_
