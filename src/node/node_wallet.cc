// The holder's wallet: credentials an organization received from the mills, producers, carriers
// and sellers that issued them, kept on its node until it assembles a shipment's documents into
// a TraceablePresentation and submits them to customs — from the portal (pick, submit) or from
// its own systems through the same routes.
//
// Intake verifies every credential and keeps the report, failures included: an importer should
// see that a certificate was revoked or an invoice edited before customs does, and decide what
// to do about it. A submission re-verifies everything anyway (customs trusts no wallet).
#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "codec/json.h"
#include "common/log.h"
#include "common/uuid.h"
#include "node/internal/node_impl.h"
#include "node/internal/route_helpers.h"
#include "vc/vc_jwt.h"
#include "vc/verifier.h"

// Routes are written with designated initializers that name only the members they set.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace traceport::node {

namespace {

using internal::Fail;
using internal::Ok;
using internal::ProblemSpec;
using internal::Ref;
using internal::Reply;
using net::ServerResponse;
using nlohmann::json;

// A wallet is for an organization's working set of documents, not an archive: past this many
// held credentials intake refuses until some are dropped.
constexpr int64_t kMaxHeldPerOrg = 50000;
constexpr int64_t kMaxHeldBytesPerOrg = int64_t{512} << 20;
// What one presentation may carry: the verifier refuses a presentation over 1 MiB, so the picked
// credentials must leave room for the presentation's own members and proof.
constexpr size_t kMaxSubmissionBytes = 1000 * 1000;
// One presentation: the documents of one shipment or one month of pipeline flow.
constexpr size_t kMaxPerSubmission = 100;
constexpr size_t kMaxListed = 1000;

// The member of a credential subject that names the document to a person picking it from a
// list: its own number (certificate, licence, entry, invoice, ...) before the numbers of the
// documents it refers to. Searched breadth-first to a small depth, preferred names first, then
// any "...Number".
std::string DocumentLabel(const json& subject) {
  static const char* const kPreferred[] = {
      "certificateNumber",   "licenseNumber",      "entryNumber",
      "invoiceNumber",       "statementNumber",    "manifestNumber",
      "ticketControlNumber", "billOfLadingNumber", "doeAuthorizationNumber",
      "authorizationNumber", "batchNumber",        "purchaseOrderNumber",
      "orderNumber",         "invoiceId"};
  std::vector<const json*> level = {&subject};
  std::string any_number;
  for (int depth = 0; depth < 3 && !level.empty(); ++depth) {
    std::vector<const json*> next;
    for (const json* node : level) {
      if (!node->is_object()) continue;
      for (const char* name : kPreferred) {
        auto it = node->find(name);
        if (it != node->end() && it->is_string() && !it->get<std::string>().empty()) {
          return name + std::string(" ") + it->get<std::string>().substr(0, 80);
        }
      }
      for (const auto& [key, value] : node->items()) {
        // Contact numbers name a person, not the document.
        const bool contact =
            key.find("phone") != std::string::npos || key.find("Phone") != std::string::npos ||
            key.find("fax") != std::string::npos || key.find("Fax") != std::string::npos;
        if (any_number.empty() && !contact && value.is_string() && key.size() > 6 &&
            key.compare(key.size() - 6, 6, "Number") == 0 && !value.get<std::string>().empty()) {
          any_number = key + " " + value.get<std::string>().substr(0, 80);
        }
        if (value.is_object()) next.push_back(&value);
        if (value.is_array() && !value.empty()) next.push_back(&value.front());
      }
    }
    level = std::move(next);
  }
  return any_number;
}

// The first failed check of a report, as "name: reason" ("" when none failed).
std::string FirstFailure(const json& report) {
  for (const json& c : report.value("checks", json::array())) {
    if (c.value("status", "") == "fail") {
      return c.value("name", "") + ": " + c.value("reason", "");
    }
  }
  return "";
}

json HeldItem(const internal::Row& row) {
  // digest, credential_id, types, issuer, media_type, verified, report, label, received_from,
  // received_at, submitted_in
  const json report = codec::ParseJson(row.Text(6)).value_or(json::object());
  return {{"digest", row.Text(0)},
          {"id", row.Text(1)},
          {"types", codec::ParseJson(row.Text(2)).value_or(json::array())},
          {"issuer", row.Text(3)},
          {"mediaType", row.Text(4)},
          {"verified", row.Int(5) != 0},
          {"failure", FirstFailure(report)},
          {"checkedAt", report.value("checkedAt", row.Text(9))},
          {"label", row.Text(7)},
          {"receivedFrom", row.Text(8)},
          {"receivedAt", row.Text(9)},
          {"submittedIn", row.IsNull(10) ? json(nullptr) : json(row.Text(10))}};
}

constexpr const char* kHeldColumns =
    "digest, credential_id, types, issuer, media_type, verified, report, label, received_from, "
    "received_at, submitted_in";

}  // namespace

Result<json> Node::HoldCredential(const std::string& slug, const json& credential,
                                  const std::string& received_from) {
  Impl& n = *impl_;
  {
    std::shared_lock<std::shared_mutex> lock(n.mu);
    RETURN_IF_ERROR(n.FindOrg(slug).status());
  }
  // The credential's form: a vc+jwt (as a string or enveloped) or a Data Integrity document.
  std::string jwt;
  json doc;
  if (credential.is_string()) {
    jwt = credential.get<std::string>();
  } else if (credential.is_object() &&
             credential.value("type", json()) == "EnvelopedVerifiableCredential") {
    ASSIGN_OR_RETURN(jwt, vc::UnwrapEnvelope(credential, vc::Envelope::kCredential));
  } else if (credential.is_object()) {
    doc = credential;
  } else {
    return InvalidArgumentError("/credential: expected a credential object or a vc+jwt string");
  }
  if (!jwt.empty()) {
    ASSIGN_OR_RETURN(vc::DecodedJwt decoded, vc::DecodeJwt(jwt, vc::Envelope::kCredential));
    doc = std::move(decoded.document);
  }
  if (!doc.is_object()) return InvalidArgumentError("/credential: not a JSON object");
  const std::vector<std::string> types = StringArray(doc.value("type", json()));
  if (std::find(types.begin(), types.end(), "VerifiableCredential") == types.end()) {
    return InvalidArgumentError("/credential/type: must include \"VerifiableCredential\"");
  }
  const std::string issuer = doc.contains("issuer") ? vc::PartyId(doc["issuer"]).value_or("") : "";
  if (issuer.empty()) return InvalidArgumentError("/credential/issuer: missing");
  if (!doc.contains("credentialSubject")) {
    return InvalidArgumentError("/credential/credentialSubject: missing");
  }
  ASSIGN_OR_RETURN(const std::string digest, CredentialDigest(doc, jwt));

  const vc::VerificationReport report = jwt.empty() ? vc::VerifyCredential(doc, n.verifier)
                                                    : vc::VerifyCredentialText(jwt, n.verifier);
  json report_json = report.ToJson();
  report_json["verified"] = report.verified();
  const json& subject = doc["credentialSubject"];
  const std::string label =
      DocumentLabel(subject.is_array() && !subject.empty() ? subject.front() : subject);
  const std::string id = doc.value("id", json("")).is_string() ? doc.value("id", "") : "";
  const std::string now = n.NowText();
  // The check as of now, also for a credential held already: its status may have changed since.
  report_json["checkedAt"] = now;
  const std::string body = jwt.empty() ? doc.dump() : jwt;
  bool fresh = false;
  RETURN_IF_ERROR(n.db->Transaction([&]() -> Status {
    ASSIGN_OR_RETURN(
        int64_t refreshed,
        n.db->Exec("UPDATE held_credentials SET verified=?, report=? WHERE org=? AND "
                   "digest=?",
                   {int64_t{report.verified() ? 1 : 0}, report_json.dump(), slug, digest}));
    if (refreshed > 0) return Status::Ok();
    ASSIGN_OR_RETURN(auto usage, n.db->QueryOne("SELECT count(*), coalesce(sum(length(body)), 0) "
                                                "FROM held_credentials WHERE org=?",
                                                {slug}));
    if (usage && usage->Int(0) >= kMaxHeldPerOrg) {
      return ResourceExhaustedError(slug + " already holds " + std::to_string(kMaxHeldPerOrg) +
                                    " credentials; drop some before receiving more");
    }
    if (usage && usage->Int(1) + static_cast<int64_t>(body.size()) > kMaxHeldBytesPerOrg) {
      return ResourceExhaustedError(slug + "'s held credentials would exceed " +
                                    std::to_string(kMaxHeldBytesPerOrg >> 20) +
                                    " MiB; drop some before receiving more");
    }
    RETURN_IF_ERROR(
        n.db->Exec("INSERT INTO held_credentials(org, digest, credential_id, types, issuer, "
                   "media_type, body, verified, report, label, received_from, received_at) "
                   "VALUES(?,?,?,?,?,?,?,?,?,?,?,?)",
                   {slug, digest, id, json(types).dump(), issuer,
                    jwt.empty() ? "application/json" : "application/vc+jwt", body,
                    int64_t{report.verified() ? 1 : 0}, report_json.dump(), label,
                    received_from.substr(0, 200), now})
            .status());
    fresh = true;
    return Status::Ok();
  }));
  ASSIGN_OR_RETURN(auto row, n.db->QueryOne(std::string("SELECT ") + kHeldColumns +
                                                " FROM held_credentials WHERE org=? AND digest=?",
                                            {slug, digest}));
  if (!row) return InternalError("the held credential vanished");
  json out = HeldItem(*row);
  out["new"] = fresh;
  out["report"] = report_json;
  if (fresh) {
    log::Info("wallet.held", {{"org", slug}, {"digest", digest}, {"verified", report.verified()}});
  }
  return out;
}

Result<json> Node::HeldCredentials(const std::string& slug) const {
  Impl& n = *impl_;
  {
    std::shared_lock<std::shared_mutex> lock(n.mu);
    RETURN_IF_ERROR(n.FindOrg(slug).status());
  }
  ASSIGN_OR_RETURN(auto rows, n.db->Query(std::string("SELECT ") + kHeldColumns +
                                              " FROM held_credentials WHERE org=? ORDER BY "
                                              "received_at DESC, digest LIMIT " +
                                              std::to_string(kMaxListed),
                                          {slug}));
  // Issuers by name where this node knows them: its own organizations, then the registry.
  std::map<std::string, std::string> names;
  {
    std::shared_lock<std::shared_mutex> lock(n.mu);
    for (const auto& [s, o] : n.orgs) names[o.did] = o.name;
  }
  json items = json::array();
  for (const internal::Row& row : rows) {
    json item = HeldItem(row);
    const std::string issuer = item["issuer"].get<std::string>();
    if (!names.count(issuer)) {
      ASSIGN_OR_RETURN(auto r, n.db->QueryOne("SELECT name FROM registry WHERE did=?", {issuer}));
      names[issuer] = r ? r->Text(0) : "";
    }
    item["issuerName"] = names[issuer];
    items.push_back(std::move(item));
  }
  return json{{"items", items}};
}

Status Node::DropHeldCredential(const std::string& slug, const std::string& digest) {
  Impl& n = *impl_;
  ASSIGN_OR_RETURN(
      int64_t changed,
      n.db->Exec("DELETE FROM held_credentials WHERE org=? AND digest=?", {slug, digest}));
  if (changed == 0) return NotFoundError(slug + " holds no credential " + digest);
  return Status::Ok();
}

Result<json> Node::CustomsOrganizations() const {
  Impl& n = *impl_;
  json items = json::array();
  std::shared_lock<std::shared_mutex> lock(n.mu);
  for (const auto& [slug, o] : n.orgs) {
    if (o.HasRole("customs")) items.push_back({{"slug", slug}, {"name", o.name}, {"did", o.did}});
  }
  return json{{"items", items}};
}

Result<json> Node::SubmitHeld(const std::string& slug, const std::string& client_id,
                              const json& request) {
  Impl& n = *impl_;
  const std::string customs = request.at("customs").get<std::string>();
  {
    std::shared_lock<std::shared_mutex> lock(n.mu);
    auto it = n.orgs.find(customs);
    if (it == n.orgs.end() || !it->second.HasRole("customs")) {
      return InvalidArgumentError("/customs: " + customs +
                                  " is not a customs organization on this node");
    }
  }
  const json& picked = request.at("credentials");
  if (!picked.is_array() || picked.empty()) {
    return InvalidArgumentError("/credentials: pick at least one credential");
  }
  if (picked.size() > kMaxPerSubmission) {
    return InvalidArgumentError("/credentials: at most " + std::to_string(kMaxPerSubmission) +
                                " credentials in one submission");
  }
  std::set<std::string> seen;
  std::vector<json> credentials;
  size_t bytes = 0;
  for (size_t i = 0; i < picked.size(); ++i) {
    const std::string where = "/credentials/" + std::to_string(i);
    if (!picked[i].is_string()) return InvalidArgumentError(where + ": expected a digest");
    const std::string digest = picked[i].get<std::string>();
    if (!seen.insert(digest).second) return InvalidArgumentError(where + ": picked twice");
    ASSIGN_OR_RETURN(auto row, n.db->QueryOne("SELECT media_type, body FROM held_credentials "
                                              "WHERE org=? AND digest=?",
                                              {slug, digest}));
    if (!row) return NotFoundError(where + ": " + slug + " holds no credential " + digest);
    bytes += row->Text(1).size();
    if (bytes > kMaxSubmissionBytes) {
      return InvalidArgumentError("/credentials: the picked credentials come to more than " +
                                  std::to_string(kMaxSubmissionBytes / 1000) +
                                  " kB, the most one presentation carries; submit them in parts");
    }
    if (row->Text(0) == "application/vc+jwt") {
      credentials.emplace_back(row->Text(1));
    } else {
      ASSIGN_OR_RETURN(json doc, codec::ParseJson(row->Text(1)));
      credentials.push_back(std::move(doc));
    }
  }
  const json workflow_in = request.at("workflow");
  const std::vector<std::string> definition = StringArray(workflow_in.value("definition", json()));
  if (definition.empty()) {
    return InvalidArgumentError("/workflow/definition: name the workflow (a URI)");
  }
  std::vector<std::string> instance = StringArray(workflow_in.value("instance", json()));
  if (instance.empty()) instance.push_back("urn:uuid:" + Uuid::NewV4(n.random).ToString());
  std::string id = request.value("id", "");
  if (id.empty()) id = "urn:uuid:" + Uuid::NewV4(n.random).ToString();
  json presentation = {{"@context", json::array({"https://www.w3.org/ns/credentials/v2",
                                                 "https://w3id.org/traceability/v1"})},
                       {"id", id},
                       {"type", json::array({"VerifiablePresentation", "TraceablePresentation"})},
                       {"workflow", {{"definition", definition}, {"instance", instance}}},
                       {"verifiableCredential", credentials}};
  ASSIGN_OR_RETURN(
      json proved,
      ProvePresentation(
          slug, {{"presentation", presentation},
                 {"options", {{"securing", request.value("securing", "ecdsa-jcs-2019")}}}}));
  json body = {{"verifiablePresentation", proved.at("verifiablePresentation")}};
  if (proved.contains("jwt")) body["verifiablePresentation"] = proved["jwt"];
  ASSIGN_OR_RETURN(json answer,
                   ReceivePresentation(customs, client_id, "application/json", body.dump()));
  if (answer.contains("receivedAt")) {  // stored (a refused presentation has no receipt)
    // Customs has the submission now, whatever happens here: a failure to mark the credentials
    // is logged, not answered as a failed submission (a retry would submit them twice).
    Status marked = n.db->Transaction([&]() -> Status {
      for (const std::string& digest : seen) {
        RETURN_IF_ERROR(n.db->Exec("UPDATE held_credentials SET submitted_in=? WHERE org=? AND "
                                   "digest=?",
                                   {id, slug, digest})
                            .status());
      }
      return Status::Ok();
    });
    if (!marked.ok()) {
      log::Warn("wallet.mark_failed",
                {{"org", slug}, {"presentation", id}, {"error", marked.ToString()}});
    }
  }
  log::Info("wallet.submitted", {{"org", slug},
                                 {"customs", customs},
                                 {"presentation", id},
                                 {"credentials", static_cast<int64_t>(credentials.size())}});
  return answer;
}

void RegisterWalletSchemas(Api& api) {
  auto add = [&api](const std::string& name, json schema) {
    internal::AddSchemaOrWarn(api, name, std::move(schema));
  };
  const json str = {{"type", "string"}};
  add("WalletIntake",
      {{"type", "object"},
       {"properties",
        {{"credential",
          {{"description",
            "a Data Integrity credential, an EnvelopedVerifiableCredential, or a vc+jwt string"},
           {"type", {"object", "string"}}}},
         {"receivedFrom",
          {{"type", "string"},
           {"maxLength", 200},
           {"description", "where it came from, for the holder's own records"}}}}},
       {"required", {"credential"}},
       {"additionalProperties", false}});
  const json item = {
      {"type", "object"},
      {"properties",
       {{"digest", {{"type", "string"}, {"description", "the key a submission picks it by"}}},
        {"id", str},
        {"types", {{"type", "array"}, {"items", str}}},
        {"issuer", str},
        {"issuerName", str},
        {"mediaType", str},
        {"verified", {{"type", "boolean"}}},
        {"failure", {{"type", "string"}, {"description", "the first failed check, or \"\""}}},
        {"label", {{"type", "string"}, {"description", "the document's number, when it has one"}}},
        {"receivedFrom", str},
        {"receivedAt", str},
        {"checkedAt", {{"type", "string"}, {"description", "when the checks were last run"}}},
        {"submittedIn",
         {{"type", {"string", "null"}},
          {"description", "the presentation it was last submitted in from this wallet"}}},
        {"new", {{"type", "boolean"}, {"description", "intake only: false when already held"}}},
        {"report", {{"description", "intake only: the verification report"}}}}},
      {"required", {"digest", "types", "issuer", "verified", "receivedAt"}}};
  add("HeldCredential", item);
  add("HeldCredentials",
      {{"type", "object"},
       {"properties", {{"items", {{"type", "array"}, {"items", Ref("HeldCredential")}}}}},
       {"required", {"items"}}});
  add("CustomsOrganizations", {{"type", "object"},
                               {"properties",
                                {{"items",
                                  {{"type", "array"},
                                   {"items",
                                    {{"type", "object"},
                                     {"properties", {{"slug", str}, {"name", str}, {"did", str}}},
                                     {"required", {"slug", "name", "did"}}}}}}}},
                               {"required", {"items"}}});
  add("WalletSubmission",
      {{"type", "object"},
       {"properties",
        {{"customs",
          {{"type", "string"},
           {"maxLength", 63},
           {"description", "the customs organization's slug"}}},
         {"id",
          {{"type", "string"},
           {"maxLength", 200},
           {"description", "the presentation's id (default: a new urn:uuid)"}}},
         {"credentials",
          {{"type", "array"},
           {"minItems", 1},
           {"maxItems", static_cast<int>(kMaxPerSubmission)},
           {"items", {{"type", "string"}, {"maxLength", 100}}},
           {"description", "digests of held credentials"}}},
         {"workflow",
          {{"type", "object"},
           {"properties",
            {{"definition",
              {{"type", "array"},
               {"minItems", 1},
               {"items", {{"type", "string"}, {"maxLength", 300}}}}},
             {"instance",
              {{"type", "array"}, {"items", {{"type", "string"}, {"maxLength", 300}}}}}}},
           {"required", {"definition"}}}},
         {"securing", {{"enum", {"ecdsa-jcs-2019", "eddsa-jcs-2022", "vc-jwt"}}}}}},
       {"required", {"customs", "credentials", "workflow"}},
       {"additionalProperties", false}});
}

void Node::Impl::RegisterWalletRoutes(Api& routes) {
  Impl* n = this;
  routes.Add(
      {.method = "POST",
       .path = "/wallet/credentials",
       .operation_id = "holdCredential",
       .tag = "wallet",
       .summary = "Keep a credential the organization received, to submit it later",
       .description = "Verified on intake; kept with its report even when a check fails. "
                      "The same credential twice is kept once (200 the second time, with its "
                      "checks run again: a status may have changed).",
       .scope = "write:wallet",
       .request_schema = "WalletIntake",
       .responses = {Ok(201, "held", "HeldCredential"), Ok(200, "already held", "HeldCredential"),
                     ProblemSpec(429, "the wallet is full")},
       .handler = [n](const ApiRequest& req) -> ServerResponse {
         if (n->self == nullptr) return Problem(503, "not serving");
         Result<json> r = n->self->HoldCredential(req.principal->org, req.body.at("credential"),
                                                  req.body.value("receivedFrom", ""));
         if (!r.ok()) return Fail(r.status());
         return JsonResponse((*r)["new"].get<bool>() ? 201 : 200, *r);
       }});
  routes.Add({.method = "GET",
              .path = "/wallet/credentials",
              .operation_id = "heldCredentials",
              .tag = "wallet",
              .summary = "The credentials the organization holds, newest first (at most 1000)",
              .scope = "read:wallet",
              .responses = {Ok(200, "the held credentials", "HeldCredentials")},
              .handler = [n](const ApiRequest& req) -> ServerResponse {
                if (n->self == nullptr) return Problem(503, "not serving");
                return Reply(n->self->HeldCredentials(req.principal->org));
              }});
  routes.Add({.method = "DELETE",
              .path = "/wallet/credentials/{digest}",
              .operation_id = "dropHeldCredential",
              .tag = "wallet",
              .summary = "Stop holding a credential",
              .scope = "write:wallet",
              .params = {{.name = "digest", .in = "path", .description = "its digest"}},
              .responses = {{204, "dropped", "", json()},
                            ProblemSpec(404, "the organization holds no such credential")},
              .handler = [n](const ApiRequest& req) -> ServerResponse {
                if (n->self == nullptr) return Problem(503, "not serving");
                Status s = n->self->DropHeldCredential(req.principal->org,
                                                       req.http.path_params.at("digest"));
                if (!s.ok()) return Fail(s);
                return ServerResponse{.status = 204};
              }});
  routes.Add({.method = "GET",
              .path = "/wallet/destinations",
              .operation_id = "customsOrganizations",
              .tag = "wallet",
              .summary = "The customs organizations on this node a holder can submit to",
              .scope = "read:wallet",
              .responses = {Ok(200, "the customs organizations", "CustomsOrganizations")},
              .handler = [n](const ApiRequest&) -> ServerResponse {
                if (n->self == nullptr) return Problem(503, "not serving");
                return Reply(n->self->CustomsOrganizations());
              }});
  routes.Add(
      {.method = "POST",
       .path = "/wallet/submissions",
       .operation_id = "submitHeld",
       .tag = "wallet",
       .summary = "Sign a TraceablePresentation of held credentials and submit it to a customs "
                  "organization on this node",
       .description =
           "Needs read:wallet besides create:presentation. "
           "The node signs as the caller's organization (the holder) and hands the "
           "presentation to the customs organization exactly as POST /presentations would: "
           "verified, the rules run, stored and anchored before the answer. To submit to "
           "customs on another node, sign with POST /presentations/prove and send it there.",
       .scope = "create:presentation",
       .request_schema = "WalletSubmission",
       .responses = {Ok(201, "received by customs", "PresentationReceipt"),
                     ProblemSpec(403, "without read:wallet as well"),
                     ProblemSpec(404, "a picked credential is not held"),
                     ProblemSpec(409, "customs already received a presentation with this id")},
       .handler = [n](const ApiRequest& req) -> ServerResponse {
         if (n->self == nullptr) return Problem(503, "not serving");
         // Signing is create:presentation's; using the wallet also needs read:wallet.
         if (!req.principal->Has("read:wallet")) {
           return Problem(403, "submitting from the wallet needs the read:wallet scope as well");
         }
         return internal::ReceiptOrRefusal(
             n->self->SubmitHeld(req.principal->org, req.principal->client_id, req.body));
       }});
}

}  // namespace traceport::node
