// Customs on the node: a TraceablePresentation received by an organization with the "customs"
// role becomes a submission — every enclosed credential verified, the rule set run, the
// identifiers indexed for provenance, the whole anchored — and officers list, open and decide
// submissions. Documents are issued from data (JSON objects or CSV rows) here too.
#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "codec/json.h"
#include "common/time.h"
#include "common/uuid.h"
#include "customs/provenance.h"
#include "customs/rules.h"
#include "ledger/entry.h"
#include "node/internal/node_impl.h"
#include "node/internal/provenance_index.h"
#include "vc/schema.h"
#include "vc/vc_jwt.h"
#include "vc/verifier.h"

namespace traceport::node {

using json = nlohmann::json;

namespace {

// The decision values of the API and the ledger's names for them.
struct DecisionName {
  std::string_view api;
  std::string_view ledger;
  std::string_view status;  // the submission's status afterwards
};
constexpr DecisionName kDecisions[] = {
    {"release", "release", "released"},
    {"hold", "hold", "held"},
    {"exam", "examine", "exam"},
    {"request-info", "request-information", "info-requested"},
};

std::string TypeOf(const std::vector<std::string>& types) {
  for (const std::string& t : types) {
    if (t != "VerifiableCredential") return t;
  }
  return types.empty() ? std::string() : types.front();
}

}  // namespace

bool HolderChecksPass(const vc::PresentationReport& report) {
  if (report.presentation.checks().empty()) return false;
  for (const vc::Check& c : report.presentation.checks()) {
    if (c.name == vc::kCheckCredentials) continue;
    if (c.required && c.status != vc::CheckStatus::kPass) return false;
  }
  return true;
}

std::vector<customs::SubmittedCredential> Node::Impl::CollectCredentials(
    json& vp, const vc::PresentationReport& report) const {
  std::vector<customs::SubmittedCredential> out;
  // The enclosed credentials in place (one, or an array), in the verifier's order.
  std::vector<json*> items;
  if (auto list = vp.find("verifiableCredential"); list != vp.end()) {
    if (list->is_array()) {
      for (json& item : *list) items.push_back(&item);
    } else {
      items.push_back(&*list);
    }
  }
  out.reserve(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    customs::SubmittedCredential c;
    json& item = *items[i];
    // An envelope is recognized exactly as the verifier recognizes it (UnwrapEnvelope), so the
    // rules read the document whose proof was checked — never members written beside it.
    Result<std::string> jwt = item.is_object()
                                  ? vc::UnwrapEnvelope(item, vc::Envelope::kCredential)
                                  : Result<std::string>(InvalidArgumentError("not an object"));
    if (jwt.ok()) {
      auto decoded = vc::DecodeJwt(*jwt, vc::Envelope::kCredential);
      if (decoded.ok()) c.document = std::move(decoded->document);
    } else if (item.is_string()) {
      auto decoded = vc::DecodeJwt(item.get<std::string>(), vc::Envelope::kCredential);
      if (decoded.ok()) c.document = std::move(decoded->document);
    } else {
      c.document = std::move(item);
    }
    if (!c.document.is_object()) c.document = json::object();
    const json id = c.document.value("id", json());
    if (id.is_string()) c.id = id.get<std::string>();
    c.types = StringArray(c.document.value("type", json()));
    c.issuer = c.document.contains("issuer") ? vc::PartyId(c.document["issuer"]).value_or("") : "";
    if (i < report.credentials.size()) {
      const vc::VerificationReport& r = report.credentials[i];
      for (const vc::Check& check : r.checks()) {
        if (check.name == vc::kCheckIssuerAccredited) {
          if (check.status == vc::CheckStatus::kPass) c.issuer_registered = true;
          if (check.status == vc::CheckStatus::kFail) c.issuer_registered = false;
          continue;  // identity.parties-registered reports it
        }
        if (check.name == vc::kCheckLedgerAnchor) continue;  // informational here
        if (check.required && check.status == vc::CheckStatus::kFail) {
          c.failed_checks.emplace_back(check.name, check.reason);
        }
      }
    } else {
      c.failed_checks.emplace_back(std::string(vc::kCheckStructure),
                                   "the credential was not verified");
    }
    out.push_back(std::move(c));
  }
  return out;
}

PreparedSubmission Node::Impl::PrepareSubmission(
    const std::vector<customs::SubmittedCredential>& creds,
    const customs::RuleOutcome& outcome) const {
  PreparedSubmission p;
  json summary = json::array();
  for (const customs::SubmittedCredential& c : creds) {
    json checks = json::array();
    for (const auto& [name, reason] : c.failed_checks) {
      checks.push_back({{"check", name}, {"reason", reason}});
    }
    summary.push_back(
        {{"id", c.id},
         {"type", TypeOf(c.types)},
         {"issuer", c.issuer},
         {"verified", c.failed_checks.empty()},
         {"failedChecks", checks},
         {"issuerRegistered", c.issuer_registered ? json(*c.issuer_registered) : json(nullptr)}});
    // Only what verified goes into the provenance index: a forged or unaccredited document
    // must not become the "origin" of a heat or batch in other shipments' traces.
    if (!c.id.empty() && c.failed_checks.empty() && c.issuer_registered != false) {
      p.provenance.push_back({c.id, TypeOf(c.types), c.issuer, customs::ExtractLinks(c.document)});
    }
  }
  if (outcome.arrival_at) {
    p.arrival = FormatRfc3339(FromUnixSeconds(*outcome.arrival_at)).value_or("");
  }
  if (outcome.lead_seconds) p.lead = *outcome.lead_seconds;
  json outcome_json = outcome.ToJson();
  p.outcome = outcome_json.dump();
  p.credentials = summary.dump();
  p.risk = outcome.risk;
  p.ruleset = outcome.ruleset_version;
  p.receipt = {{"id", ""},
               {"status", "received"},
               {"risk", outcome.risk},
               {"rulesetVersion", outcome.ruleset_version},
               {"findings", std::move(outcome_json["findings"])},
               {"credentials", std::move(summary)}};
  return p;
}

Status Node::Impl::WriteSubmission(const std::string& org, const std::string& id,
                                   const std::string& holder, const std::string& client_id,
                                   const std::string& workflow, const PreparedSubmission& p,
                                   const std::string& now) {
  // Only statements here: this runs inside the store's serialized write batch.
  RETURN_IF_ERROR(db->Exec("INSERT INTO submissions(org, id, holder, client_id, workflow, status, "
                           "risk, ruleset, outcome, credentials, arrival_at, lead_seconds, "
                           "received_at, updated_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                           {org, id, holder, client_id, workflow, "received", p.risk, p.ruleset,
                            p.outcome, p.credentials, p.arrival, p.lead, now, now})
                      .status());
  for (const PreparedSubmission::Provenance& c : p.provenance) {
    RETURN_IF_ERROR(internal::RecordProvenance(*db, org, id, now, c.id, c.type, c.issuer, c.links));
  }
  return Status::Ok();
}

namespace {

json SubmissionRowJson(const internal::Row& row, bool full) {
  // Columns: id, holder, workflow, status, risk, ruleset, outcome, credentials, arrival_at,
  // lead_seconds, received_at, updated_at, anchor_seq.
  json out = {{"id", row.Text(0)},
              {"holder", row.Text(1)},
              {"workflow", codec::ParseJson(row.Text(2)).value_or(json())},
              {"status", row.Text(3)},
              {"risk", row.Int(4)},
              {"rulesetVersion", row.Text(5)},
              {"receivedAt", row.Text(10)},
              {"updatedAt", row.Text(11)}};
  out["arrivalAt"] = row.IsNull(8) ? json(nullptr) : json(row.Text(8));
  out["leadTimeHours"] =
      row.IsNull(9) ? json(nullptr) : json(static_cast<double>(row.Int(9)) / 3600.0);
  json outcome = codec::ParseJson(row.Text(6)).value_or(json::object());
  if (full) {
    out["outcome"] = outcome;
    out["credentials"] = codec::ParseJson(row.Text(7)).value_or(json::array());
  } else {
    json rules = json::array();
    for (const json& f : outcome.value("findings", json::array())) {
      const std::string rule = f.value("ruleId", "");
      if (std::find(rules.begin(), rules.end(), rule) == rules.end()) rules.push_back(rule);
    }
    out["findingCount"] = outcome.value("findings", json::array()).size();
    out["rules"] = rules;
  }
  return out;
}

constexpr const char* kSubmissionColumns =
    "id, holder, workflow, status, risk, ruleset, outcome, credentials, arrival_at, "
    "lead_seconds, received_at, updated_at";

}  // namespace

Result<json> Node::Impl::ListSubmissions(const std::string& org, const json& query) const {
  std::string sql = std::string("SELECT ") + kSubmissionColumns + " FROM submissions WHERE org=?";
  std::vector<internal::Value> params = {org};
  if (query.contains("status")) {
    sql += " AND status=?";
    params.emplace_back(query["status"].get<std::string>());
  }
  if (query.contains("minRisk")) {
    sql += " AND risk>=?";
    params.emplace_back(query["minRisk"].get<int64_t>());
  }
  if (query.contains("holder")) {
    sql += " AND holder=?";
    params.emplace_back(query["holder"].get<std::string>());
  }
  if (query.contains("workflow")) {
    // Before LIMIT, so that matching submissions are never cut off by others.
    sql +=
        " AND EXISTS (SELECT 1 FROM json_each(workflow, '$.definition') WHERE "
        "instr(value, ?) > 0)";
    params.emplace_back(query["workflow"].get<std::string>());
  }
  const std::string sort = query.value("sort", "risk");
  if (sort == "risk") {
    sql += " ORDER BY risk DESC, received_at DESC";
  } else if (sort == "received") {
    sql += " ORDER BY received_at DESC";
  } else if (sort == "arrival") {
    sql += " ORDER BY arrival_at IS NULL, arrival_at ASC";
  } else if (sort == "lead") {
    sql += " ORDER BY lead_seconds IS NULL, lead_seconds ASC";
  } else {
    return InvalidArgumentError("sort: expected risk, received, arrival or lead");
  }
  const int64_t limit = query.value("limit", int64_t{200});
  sql += " LIMIT ?";
  params.emplace_back(limit);
  ASSIGN_OR_RETURN(auto rows, db->Query(sql, params));
  json list = json::array();
  for (const internal::Row& row : rows) list.push_back(SubmissionRowJson(row, false));
  return json{{"submissions", list}};
}

Result<json> Node::Impl::GetSubmission(const std::string& org, const std::string& id) const {
  ASSIGN_OR_RETURN(auto row, db->QueryOne(std::string("SELECT ") + kSubmissionColumns +
                                              " FROM submissions WHERE org=? AND id=?",
                                          {org, id}));
  if (!row) return NotFoundError("no submission " + id);
  json out = SubmissionRowJson(*row, true);
  ASSIGN_OR_RETURN(
      auto p, db->QueryOne("SELECT anchor_seq FROM presentations WHERE org=? AND id=?", {org, id}));
  if (p && !p->IsNull(0)) {
    ASSIGN_OR_RETURN(auto a,
                     db->QueryOne("SELECT ledger_index FROM anchors WHERE seq=?", {p->Int(0)}));
    if (a && !a->IsNull(0)) {
      out["receipt"] = {{"ledgerIndex", a->Int(0)},
                        {"url", public_url + "/ledger/receipts/" + std::to_string(a->Int(0))}};
    }
  }
  ASSIGN_OR_RETURN(auto decisions,
                   db->Query("SELECT d.decision, d.reason, d.officer, d.ruleset, d.decided_at, "
                             "a.ledger_index FROM decisions d LEFT JOIN anchors a ON "
                             "a.seq=d.anchor_seq WHERE d.org=? AND d.submission_id=? ORDER BY "
                             "d.seq",
                             {org, id}));
  json list = json::array();
  for (const internal::Row& d : decisions) {
    json e = {{"decision", d.Text(0)},
              {"reason", d.Text(1)},
              {"officer", d.Text(2)},
              {"rulesetVersion", d.Text(3)},
              {"decidedAt", d.Text(4)}};
    e["ledgerIndex"] = d.IsNull(5) ? json(nullptr) : json(d.Int(5));
    list.push_back(std::move(e));
  }
  out["decisions"] = list;
  return out;
}

Result<json> Node::Impl::SubmissionStatus(const std::string& org, const std::string& client_id,
                                          const std::string& id) const {
  ASSIGN_OR_RETURN(auto row, db->QueryOne("SELECT client_id, status, updated_at, received_at "
                                          "FROM submissions WHERE org=? AND id=?",
                                          {org, id}));
  // Another client's submission is as absent as a missing one.
  if (!row || row->Text(0) != client_id) return NotFoundError("no submission " + id);
  json out = {{"id", id},
              {"status", row->Text(1)},
              {"receivedAt", row->Text(3)},
              {"updatedAt", row->Text(2)}};
  ASSIGN_OR_RETURN(auto d, db->QueryOne("SELECT decision, reason, decided_at FROM decisions "
                                        "WHERE org=? AND submission_id=? ORDER BY seq DESC "
                                        "LIMIT 1",
                                        {org, id}));
  if (d) {
    out["decision"] = {{"decision", d->Text(0)}, {"reason", d->Text(1)}, {"decidedAt", d->Text(2)}};
  }
  return out;
}

Result<json> Node::Impl::Decide(const std::string& org, const std::string& officer,
                                const std::string& id, const json& request) {
  const std::string decision = request.value("decision", "");
  const DecisionName* name = nullptr;
  for (const DecisionName& d : kDecisions) {
    if (d.api == decision) name = &d;
  }
  if (name == nullptr) {
    return InvalidArgumentError("/decision: expected release, hold, exam or request-info");
  }
  const std::string reason = request.value("reason", "");
  if (reason.empty()) return InvalidArgumentError("/reason: a decision needs a reason");
  if (reason.size() > 1500) {
    return InvalidArgumentError("/reason: at most 1500 bytes (it is recorded on the ledger)");
  }
  std::string org_did;
  {
    std::shared_lock<std::shared_mutex> lock(mu);
    ASSIGN_OR_RETURN(const Org* o, FindOrg(org));
    org_did = o->did;
  }
  const std::string now = NowText();
  int64_t seq = 0;
  std::string ruleset;
  RETURN_IF_ERROR(db->Transaction([&]() -> Status {
    ASSIGN_OR_RETURN(auto row, db->QueryOne("SELECT ruleset, outcome FROM submissions WHERE "
                                            "org=? AND id=?",
                                            {org, id}));
    if (!row) return NotFoundError("no submission " + id);
    ruleset = row->Text(0);
    std::vector<std::string> reasons = {reason};
    json outcome = codec::ParseJson(row->Text(1)).value_or(json::object());
    for (const json& f : outcome.value("findings", json::array())) {
      const std::string rule = f.value("ruleId", "");
      if (!rule.empty() && std::find(reasons.begin(), reasons.end(), rule) == reasons.end()) {
        reasons.push_back(rule);
      }
    }
    reasons.push_back("ruleset " + ruleset);
    ASSIGN_OR_RETURN(
        seq, QueueAnchor(ledger::DecisionRecorded(id, name->ledger, officer, reasons, now), id));
    RETURN_IF_ERROR(db->Exec("INSERT INTO decisions(org, submission_id, decision, reason, "
                             "officer, ruleset, decided_at, anchor_seq) VALUES(?,?,?,?,?,?,?,?)",
                             {org, id, std::string(name->api), reason, officer, ruleset, now, seq})
                        .status());
    return db
        ->Exec("UPDATE submissions SET status=?, updated_at=? WHERE org=? AND id=?",
               {std::string(name->status), now, org, id})
        .status();
  }));
  const json index = AnchorNow(seq);
  return json{{"id", id},         {"decision", decision}, {"status", name->status},
              {"reason", reason}, {"officer", officer},   {"rulesetVersion", ruleset},
              {"decidedAt", now}, {"ledgerIndex", index}};
}

Result<json> Node::Impl::Trace(const std::string& org, const json& query) const {
  if (query.contains("submission")) {
    return internal::TraceBack(*db, org, query["submission"].get<std::string>());
  }
  const std::string kind = query.value("kind", "");
  const std::string value = query.value("value", "");
  if (!customs::IsIdentifierKind(kind)) {
    std::string kinds;
    for (std::string_view k : customs::IdentifierKinds()) {
      kinds += (kinds.empty() ? "" : ", ") + std::string(k);
    }
    return InvalidArgumentError("kind: expected one of " + kinds);
  }
  if (value.empty()) return InvalidArgumentError("value: the identifier to trace is required");
  return internal::TraceForward(*db, org, kind, value);
}

Result<json> Node::Impl::IssueDocuments(const std::string& org, const std::string& type,
                                        const std::vector<json>& docs, const std::string& securing,
                                        const std::function<void(size_t, size_t)>& progress,
                                        json* problems_out) {
  const std::string schema_id = "https://traceport.dev/schemas/" + type + "/v1.json";
  if (type.empty() || type == "TradeCommon" || type == "VerifiableCredential" ||
      !schemas.Contains(schema_id)) {
    return NotFoundError("type: no document type " + type + " (GET /documents/types lists them)");
  }
  if (docs.empty()) return InvalidArgumentError("documents: nothing to issue");
  std::string org_did;
  {
    std::shared_lock<std::shared_mutex> lock(mu);
    ASSIGN_OR_RETURN(const Org* o, FindOrg(org));
    org_did = o->did;
  }
  // Every document is built and checked before any is signed: a batch with one bad row issues
  // nothing, and the answer lists every bad row.
  std::vector<json> credentials;
  json problems = json::array();
  std::set<std::string> ids;
  for (size_t i = 0; i < docs.size(); ++i) {
    const json& d = docs[i];
    if (!d.is_object() || !d.contains("credentialSubject") || !d["credentialSubject"].is_object()) {
      problems.push_back({{"document", i},
                          {"pointer", ""},
                          {"message", "expected an object with a credentialSubject object"}});
      continue;
    }
    json credential = {
        {"@context", {"https://www.w3.org/ns/credentials/v2", "https://w3id.org/traceability/v1"}},
        {"type", {"VerifiableCredential", type}},
        {"issuer", org_did},
        {"credentialSubject", d["credentialSubject"]},
        {"credentialSchema", {{{"id", schema_id}, {"type", "JsonSchema"}}}}};
    for (const char* member : {"id", "validFrom", "validUntil", "name", "description"}) {
      if (d.contains(member)) credential[member] = d[member];
    }
    if (d.contains("id")) {
      const json& idv = d["id"];
      const std::string text = idv.is_string() ? idv.get<std::string>() : std::string();
      Result<Uuid> uuid = text.rfind("urn:uuid:", 0) == 0
                              ? Uuid::Parse(text.substr(9))
                              : Result<Uuid>(InvalidArgumentError("not a urn:uuid"));
      if (!uuid.ok() || uuid->version() != 4) {
        problems.push_back({{"document", i},
                            {"pointer", "/id"},
                            {"message", "must be urn:uuid: with a version 4 UUID, or left out"}});
      } else if (!ids.insert(text).second) {
        problems.push_back({{"document", i},
                            {"pointer", "/id"},
                            {"message", "the same id as an earlier document in this request"}});
      } else {
        ASSIGN_OR_RETURN(auto taken, db->QueryOne("SELECT 1 FROM credentials WHERE id=?", {text}));
        if (taken) {
          problems.push_back({{"document", i},
                              {"pointer", "/id"},
                              {"message", "a credential with this id already exists"}});
        }
      }
    }
    json probe = credential;
    // The issuer adds what the payload may leave out (id, validFrom); the probe stands in.
    if (!probe.contains("id")) probe["id"] = "urn:uuid:00000000-0000-4000-8000-000000000000";
    if (!probe.contains("validFrom")) probe["validFrom"] = NowText();
    for (const vc::Problem& p : vc::ValidateAgainstSchema(probe, schema_id, schemas)) {
      problems.push_back({{"document", i}, {"pointer", p.pointer}, {"message", p.message}});
    }
    credentials.push_back(std::move(credential));
  }
  if (!problems.empty()) {
    if (problems_out != nullptr) *problems_out = problems;
    return Status(StatusCode::kInvalidArgument, std::to_string(problems.size()) +
                                                    " problem(s) in the documents; nothing was "
                                                    "issued: " +
                                                    problems.dump());
  }
  json issued = json::array();
  for (size_t i = 0; i < credentials.size(); ++i) {
    auto r = Issue(org, credentials[i], securing, /*with_status=*/true);
    if (!r.ok()) {
      return Status(r.status().code(), "document " + std::to_string(i) + ": " +
                                           std::string(r.status().message()) + " (" +
                                           std::to_string(i) + " issued before it)");
    }
    issued.push_back({{"id", (*r)["id"]},
                      {"ledgerIndex", (*r)["ledgerIndex"]},
                      {"verifiableCredential", (*r)["verifiableCredential"]}});
    if (progress) progress(i + 1, credentials.size());
  }
  return json{{"type", type}, {"count", issued.size()}, {"issued", issued}};
}

json DocumentTypes(const vc::SchemaRegistry& schemas) {
  json types = json::array();
  const std::string prefix = "https://traceport.dev/schemas/";
  for (const std::string& id : schemas.Ids()) {
    if (id.rfind(prefix, 0) != 0) continue;
    const std::string rest = id.substr(prefix.size());
    const std::string type = rest.substr(0, rest.find('/'));
    if (type == "TradeCommon" || type == "VerifiableCredential") continue;
    const json* schema = schemas.Find(id);
    types.push_back({{"type", type},
                     {"schema", id},
                     {"title", schema != nullptr ? schema->value("title", "") : ""}});
  }
  return {{"types", types}};
}

}  // namespace traceport::node
