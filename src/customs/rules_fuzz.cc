// libFuzzer target: the customs rule set parser, and the rules over arbitrary documents.
//
// Every input is read two ways:
//   - as a rule set document: RuleSet::FromJson returns a rule set or an error whose message
//     starts with "ruleset: "; an accepted rule set prints (ToJson) a document that parses
//     again to the same version.
//   - as a shipment: a JSON array of credential documents, an object {"credentials": [...],
//     "context": {"receivedAt": int, "arrivalAt": int}}, or one credential document. A document
//     may carry members that stand for what the node learns by verifying it (the fuzzer's own
//     convention, not part of any format): "failedChecks" [[check, reason], ...],
//     "issuerRegistered" (boolean) and "anchoredAt" (integer Unix seconds). The built-in rule set
//     runs over the shipment, and so does the input's own rule set when it parsed as one.
//
// Invariants checked (a violation traps):
//   - Run returns (no exception escapes) and no rule failed internally (a "rule-error" finding);
//   - risk is within 0..100;
//   - every enabled rule is accounted for exactly once: it has findings, or passed, or did not
//     apply (credential.<check> findings count for the rule "credential");
//   - the outcome serialises to JSON text.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "codec/json.h"
#include "customs/rules.h"

namespace {

using json = nlohmann::json;
using traceport::customs::Finding;
using traceport::customs::RuleOutcome;
using traceport::customs::RuleSet;
using traceport::customs::ShipmentContext;
using traceport::customs::SubmittedCredential;

std::string String(const json& v) { return v.is_string() ? v.get<std::string>() : std::string(); }

SubmittedCredential Credential(const json& doc) {
  SubmittedCredential c;
  c.document = doc;
  if (!doc.is_object()) return c;
  c.id = String(doc.value("id", json()));
  const json type = doc.value("type", json());
  if (type.is_string()) c.types.push_back(type.get<std::string>());
  if (type.is_array()) {
    for (const json& t : type) {
      if (t.is_string()) c.types.push_back(t.get<std::string>());
    }
  }
  c.issuer = String(doc.value("issuer", json()));
  const json checks = doc.value("failedChecks", json());
  if (checks.is_array()) {
    for (const json& pair : checks) {
      if (pair.is_array() && pair.size() == 2) {
        c.failed_checks.emplace_back(String(pair[0]), String(pair[1]));
      }
    }
  }
  const json registered = doc.value("issuerRegistered", json());
  if (registered.is_boolean()) c.issuer_registered = registered.get<bool>();
  const json anchored = doc.value("anchoredAt", json());
  if (anchored.is_number_integer()) c.anchored_at = anchored.get<int64_t>();
  return c;
}

void CheckOutcome(const RuleSet& rules, const RuleOutcome& outcome) {
  if (outcome.risk < 0 || outcome.risk > 100) __builtin_trap();
  if (outcome.ruleset_version != rules.version()) __builtin_trap();
  std::set<std::string> seen;
  std::set<std::string> with_findings;
  for (const Finding& f : outcome.findings) {
    if (f.details.is_object() && f.details.value("kind", "") == "rule-error") __builtin_trap();
    if (f.explanation.empty()) __builtin_trap();
    const bool credential = f.rule_id.rfind("credential.", 0) == 0;
    with_findings.insert(credential ? "credential" : f.rule_id);
  }
  size_t accounted = with_findings.size();
  seen.insert(with_findings.begin(), with_findings.end());
  for (const auto* list : {&outcome.passed, &outcome.not_applicable}) {
    for (const std::string& id : *list) {
      if (!seen.insert(id).second) __builtin_trap();  // listed twice
      ++accounted;
    }
  }
  size_t enabled = 0;
  const json doc = rules.ToJson();
  for (const json& r : doc["rules"]) {
    if (r.value("enabled", false)) {
      ++enabled;
      if (seen.count(r.value("id", "")) == 0) __builtin_trap();
    }
  }
  if (accounted != enabled) __builtin_trap();
  (void)outcome.ToJson().dump();  // throws (and so aborts the fuzzer) on unprintable text
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  traceport::Result<RuleSet> parsed = RuleSet::FromJson(text);
  if (parsed.ok()) {
    traceport::Result<RuleSet> again = RuleSet::FromJson(parsed->ToJson().dump());
    if (!again.ok() || again->version() != parsed->version()) __builtin_trap();
  } else {
    const std::string_view m = parsed.status().message();
    if (m.substr(0, 9) != "ruleset: ") __builtin_trap();
  }

  traceport::Result<json> input = traceport::codec::ParseJson(text);
  if (!input.ok()) return 0;
  std::vector<SubmittedCredential> credentials;
  ShipmentContext context;
  context.submission_id = "urn:uuid:fuzz";
  if (input->is_object() && input->contains("credentials")) {
    const json& list = (*input)["credentials"];
    if (list.is_array()) {
      for (const json& doc : list) credentials.push_back(Credential(doc));
    }
    const json ctx = input->value("context", json());
    if (ctx.is_object()) {
      const json received = ctx.value("receivedAt", json());
      if (received.is_number_integer()) context.received_at = received.get<int64_t>();
      const json arrival = ctx.value("arrivalAt", json());
      if (arrival.is_number_integer()) context.arrival_at = arrival.get<int64_t>();
    }
  } else if (input->is_array()) {
    for (const json& doc : *input) credentials.push_back(Credential(doc));
  } else {
    credentials.push_back(Credential(*input));
  }

  const RuleSet& builtin = RuleSet::Builtin();
  CheckOutcome(builtin, builtin.Run(credentials, context));
  if (parsed.ok()) CheckOutcome(*parsed, parsed->Run(credentials, context));
  return 0;
}
