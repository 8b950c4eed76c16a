// The customs rule set: cross-document consistency rules run over the credentials of one
// shipment (or one month of pipeline flow), each finding with a stable rule id and a
// plain-language explanation an officer can act on.
//
// A rule set is versioned data (src/customs/ruleset.v1.json, compiled into the library): its
// version, and for each rule its id, title, severity, risk weight, parameters (tolerances, lead
// times, allowed countries) and explanation templates. The logic of each rule id lives here in
// C++; the data decides which rules run and with which parameters. Every decision records the
// version of the rule set it ran (RuleSet::version()).
//
// Rule ids (docs/formats/customs.md explains each one):
//   credential.<check>            an enclosed credential failed a verification check (proof,
//                                 status, validity-period, schema, structure, key-resolution,
//                                 proof-purpose)
//   identity.parties-registered   an issuer is not accredited in the trust registry for the type
//   steel.melt-pour-origin        melt-and-pour country on the mill certificate vs the SIMA
//                                 licence and the entry lines
//   steel.heat-numbers-match      heat numbers: mill certificate <-> invoice and packing list
//   steel.sima-covers             the SIMA licence covers HTS, quantity and dates
//   weights.tolerance             invoice, packing list, bill of lading and entry weights agree
//   oil.api-gravity-hts           crude under 25 degrees API is 2709.00.10, otherwise 2709.00.20
//   oil.volume-consistency        net <= gross on each ticket; delivery statement = its tickets
//   gas.monthly-reconciliation    aggregate = sum of deliveries, within the DOE authorization
//   coo.nine-elements             the USMCA certification carries its nine data elements
//   timing.data-earlier           lead time between anchoring and arrival
//
// Thread safety: a RuleSet is immutable after construction; Run may be called concurrently.
#ifndef TRACEPORT_CUSTOMS_RULES_H_
#define TRACEPORT_CUSTOMS_RULES_H_

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace traceport::customs {

// One credential of a submission, as the node saw it after verification.
struct SubmittedCredential {
  // The credential document (for an enveloped vc+jwt: the decoded payload).
  nlohmann::json document;
  std::string id;                  // document["id"], or "" when it has none
  std::vector<std::string> types;  // document["type"]
  std::string issuer;              // the issuer's DID
  // Verification checks that failed: (check name as in vc/report.h, e.g. "proof", "status";
  // the report's reason). Empty when the credential verified.
  std::vector<std::pair<std::string, std::string>> failed_checks;
  // Whether the issuer was accredited in the trust registry for this type when it issued.
  // nullopt when the node could not tell (no registry entry was consulted): not a finding.
  std::optional<bool> issuer_registered;
  // When the credential was anchored on a ledger, Unix seconds (nullopt when not anchored).
  std::optional<int64_t> anchored_at;
};

struct ShipmentContext {
  std::string submission_id;
  std::string submitter;  // the holder's DID
  // Unix seconds the submission was received and anchored; 0 means unknown (the timing rule
  // then relies on the credentials' anchored_at alone).
  int64_t received_at = 0;
  // Expected arrival at the port of entry, Unix seconds; when absent the rules derive it from
  // the bill of lading (mainCarriageTransportMovement.arrivalDate), the 3461's
  // estimatedArrivalDate or the delivery ticket's closeDate (the earliest of each kind, in that
  // order), and timing.data-earlier is not applicable when none is present.
  std::optional<int64_t> arrival_at;
};

enum class Severity { kInfo, kWarning, kError };
std::string_view SeverityName(Severity s);  // "info", "warning", "error"

struct Finding {
  std::string rule_id;
  Severity severity = Severity::kWarning;
  std::string title;                        // the rule's title, e.g. "Country of melt and pour"
  std::string explanation;                  // plain language, with the values that disagree
  std::vector<std::string> credential_ids;  // the credentials involved
  // Machine-readable values: {"kind": the rule's finding kind (e.g. "licence-mismatch"), and
  // the values filled into the explanation, as strings}.
  nlohmann::json details;
  // {"ruleId", "severity", "title", "explanation", "credentialIds", "details"}.
  nlohmann::json ToJson() const;
};

struct RuleOutcome {
  std::string ruleset_version;  // RuleSet::version()
  std::vector<Finding> findings;
  // The rules that ran and found nothing, and those that did not apply (no documents of their
  // kind in the shipment): the officer sees what was checked, not only what failed.
  std::vector<std::string> passed;
  std::vector<std::string> not_applicable;
  int risk = 0;  // 0..100: the sum of the risk weights of the findings' rules, capped at 100
  // The expected arrival the rules used (ShipmentContext::arrival_at or derived from the
  // documents) and the lead time in seconds (arrival minus when the data was anchored):
  // officers sort by them and the dashboard plots them. nullopt when no arrival is known.
  std::optional<int64_t> arrival_at;
  std::optional<int64_t> lead_seconds;
  // {"rulesetVersion", "risk", "findings": [Finding::ToJson()...], "passed", "notApplicable",
  //  "arrivalAt" (RFC 3339, or null), "leadSeconds" (or null)}.
  nlohmann::json ToJson() const;
};

class RuleSet {
 public:
  // The rule set compiled into the binary (ruleset.v1.json).
  static const RuleSet& Builtin();
  // Parses a rule set document (docs/formats/customs.md); InvalidArgument, with a message
  // "ruleset: <JSON pointer>: ...", for an unknown rule id, a missing, unknown or mistyped
  // parameter, a missing or unknown finding kind, a template naming an unknown placeholder, or
  // a malformed version.
  static Result<RuleSet> FromJson(std::string_view text);

  RuleSet(RuleSet&&) noexcept;
  RuleSet& operator=(RuleSet&&) noexcept;
  ~RuleSet();

  const std::string& version() const;  // e.g. "2026.11.1"
  nlohmann::json ToJson() const;       // the rule set document, for GET /customs/rulesets

  // Runs the enabled rules, in the document's order, over one shipment. Total: any documents
  // (including ones that failed verification or are not objects) give an outcome, never an
  // exception; a value a rule cannot read is a finding of that rule. Pure: no clock, no I/O.
  RuleOutcome Run(const std::vector<SubmittedCredential>& credentials,
                  const ShipmentContext& context) const;

  struct Impl;

 private:
  explicit RuleSet(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace traceport::customs

#endif  // TRACEPORT_CUSTOMS_RULES_H_
