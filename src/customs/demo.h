// The demo network (`traceport demo`): a deterministic scenario of organizations and shipments
// for a node to be seeded with, and the problems planted in it.
//
// The network is CBP, a registry authority, two licensing authorities (Commerce's SIMA office,
// DOE's Office of Fossil Energy and Carbon Management), a Mexican steel mill, a US steel
// importer, a customs broker, a road carrier, a Canadian crude producer, a pipeline operator, a
// US refiner, a natural gas marketer and one steel trading company the registry never admitted.
// Its shipments (about 60% steel, 25% crude oil by pipeline, 15% months of natural gas flow) run
// over the five weeks before `now`, each with the credentials its workflow needs, in the field
// names of the issue 6 contract. All organizations, people and numbers are invented; every legal
// identifier is well formed with correct check digits, so the registry accepts it.
//
// A few shipments carry one planted problem each, with the rule id that must catch it
// (DemoProblem). Every other shipment is meant to be clean: consistent numbers, weights within
// 1%, at least three days between submission and arrival, every issuer admitted for its types.
//
// This is pure data: nothing here talks to a node (apps/traceport/commands_demo.cc does the
// issuing, revoking, tampering and submitting). The same options give byte-identical output;
// the randomness is a std::mt19937_64 seeded with `seed`, read through our own integer
// arithmetic rather than the standard distributions (whose output differs between standard
// libraries).
//
// Thread safety: BuildDemoScenario is a pure function and may be called concurrently.
#ifndef TRACEPORT_CUSTOMS_DEMO_H_
#define TRACEPORT_CUSTOMS_DEMO_H_

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace traceport::customs {

struct DemoOptions {
  uint64_t seed = 1;
  // The present, Unix seconds: shipments are spread over the five weeks before it.
  int64_t now_unix = 0;
  // How many shipments (a gas month counts as one). Clamped to [kMinDemoShipments,
  // kMaxDemoShipments]: below the minimum the planted problems would not each find a shipment
  // of their own with clean ones left beside them.
  int shipments = 36;
};

inline constexpr int kMinDemoShipments = 12;
inline constexpr int kMaxDemoShipments = 500;

struct DemoOrganization {
  std::string slug;  // the node organization's slug
  std::string name;
  std::string description;         // one line: what it does in the network
  std::vector<std::string> roles;  // registry::KnownRoles() names
  std::string country;             // ISO 3166-1 alpha-2
  nlohmann::json address;          // TradeCommon PostalAddress
  // Legal identifiers, registry::SchemeName -> the normalized value.
  std::map<std::string, std::string> identifiers;
  // The credential types the organization issues in the scenario (for an admitted one: the
  // types the registry authority admits it for).
  std::vector<std::string> credential_types;
  // Whether the registry authority admits it (false for the authority itself, customs, and the
  // unregistered trader).
  bool admitted = false;
  nlohmann::json ToJson() const;
};

// A change made to a credential after it was signed: the value at `pointer` (a JSON Pointer
// into the issued, secured credential) is replaced by `value`.
struct DemoTamper {
  std::string pointer;
  nlohmann::json value;
};

struct DemoDocument {
  std::string key;         // unique within the shipment, e.g. "invoice", "ticket-2"
  std::string issuer;      // slug of the issuing organization
  std::string type;        // e.g. "CommercialInvoiceCredential"
  nlohmann::json subject;  // credentialSubject
  // validFrom / validUntil when the document has a validity of its own (a SIMA licence, a DOE
  // authorization term), Unix seconds; otherwise the issuer's clock decides validFrom.
  std::optional<int64_t> valid_from;
  std::optional<int64_t> valid_until;
  bool revoke_after_issue = false;
  std::optional<DemoTamper> tamper;
  // Non-empty for a document several shipments share (the marketer's DOE authorization): it is
  // issued once, the first time it appears, and the same credential is presented again after.
  std::string shared_key;
  nlohmann::json ToJson() const;
};

struct DemoShipment {
  std::string id;         // "steel-001", "crude-oil-004", "natural-gas-002"
  std::string workflow;   // "steel" | "crude-oil" | "natural-gas"
  std::string holder;     // slug of the importer or broker that submits
  std::string customs;    // slug of the customs organization it is submitted to
  int64_t issue_at = 0;   // when its documents are issued, Unix seconds
  int64_t submit_at = 0;  // when the presentation is submitted
  // Arrival at the port of entry as the documents state it (the bill of lading's arrival date,
  // the delivery tickets' close), Unix seconds; nullopt for a gas month.
  std::optional<int64_t> arrival_at;
  // The TraceablePresentation: its id and "workflow" member ({"definition": [...],
  // "instance": [...]}).
  std::string presentation_id;
  nlohmann::json workflow_member;
  std::vector<DemoDocument> documents;
  std::string problem;  // the planted problem's kind, "" when the shipment is clean
  nlohmann::json ToJson() const;
};

struct DemoProblem {
  std::string kind;         // e.g. "melt-pour-mismatch"
  std::string shipment_id;  // the shipment it was planted in
  std::string rule_id;      // the rule that must catch it, e.g. "steel.melt-pour-origin"
  std::string description;  // one plain line
  nlohmann::json ToJson() const;
};

struct DemoScenario {
  uint64_t seed = 0;
  int64_t now_unix = 0;
  // When the organizations are created and admitted: before the first shipment.
  int64_t setup_at = 0;
  std::vector<DemoOrganization> organizations;
  std::vector<DemoShipment> shipments;  // in time order (issue_at, then submit_at)
  std::vector<DemoProblem> problems;    // in the order of their shipments
  // Shipments whose documents are issued and delivered to the holder's wallet but not yet
  // submitted, for a person to assemble and submit in the portal: one clean steel or crude oil
  // shipment, issued after the last submitted one. Its holder is the portal importer's
  // organization.
  std::vector<DemoShipment> pending;
  const DemoOrganization* FindOrganization(const std::string& slug) const;
  nlohmann::json ToJson() const;
};

// The schema $id a credential of `type` declares in credentialSchema:
// "https://traceport.dev/schemas/<type>/v1.json".
std::string DemoSchemaId(const std::string& type);

DemoScenario BuildDemoScenario(const DemoOptions& options);

}  // namespace traceport::customs

#endif  // TRACEPORT_CUSTOMS_DEMO_H_
