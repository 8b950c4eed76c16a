// traceport demo: a fresh node seeded with the demo network (src/customs/demo.h) — its
// organizations, logins, registry admissions and five weeks of shipments, some with planted
// problems — then served. docs/demo.md.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "apps/traceport/cli.h"
#include "codec/base58.h"
#include "common/log.h"
#include "common/time.h"
#include "crypto/random.h"
#include "customs/demo.h"
#include "node/auth.h"
#include "node/node.h"

namespace traceport::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kVcV2 = "https://www.w3.org/ns/credentials/v2";
constexpr const char* kTraceability = "https://w3id.org/traceability/v1";

// The clock the node reads while it is seeded: pinned to each moment of the scenario in turn
// (so that credentials, anchors, registry events and submissions carry weeks of history), then
// released to follow the real clock before the node serves.
class DemoClock : public Clock {
 public:
  Time Now() const override {
    const int64_t pinned = pinned_.load();
    if (pinned == kReal) return SystemClock().Now();
    return Time(std::chrono::seconds(pinned));
  }
  void Set(int64_t unix_seconds) { pinned_.store(unix_seconds); }
  void Release() { pinned_.store(kReal); }

 private:
  static constexpr int64_t kReal = INT64_MIN;
  std::atomic<int64_t> pinned_{kReal};
};

struct DemoFlags {
  std::string data;
  uint64_t seed = 1;
  int shipments = 36;
  std::string listen = "127.0.0.1:8443";
  bool no_serve = false;
  std::string log_level = "warn";
};

struct Login {
  std::string org;
  std::string role;
  node::ClientCredentials client;
};

// A person's sign-in to the portal: one per role.
struct PortalLogin {
  std::string org;
  std::string username;
  std::string role;
  std::string password;
};

// What happened to one shipment's submission.
struct Outcome {
  std::string submission_id;        // "" when the node refused the presentation
  bool evaluated = false;           // the answer carried a "submission" member
  std::set<std::string> rules;      // rule ids of the findings
  std::vector<std::string> errors;  // "ruleId: explanation" of error-severity findings
  int risk = 0;
  size_t findings = 0;
  std::string refused;  // why the node refused it, when it did
};

Status WritePrivateFile(const fs::path& path, const std::string& contents) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return InternalError("cannot create " + path.string());
  const bool ok =
      ::write(fd, contents.data(), contents.size()) == static_cast<ssize_t>(contents.size());
  ::close(fd);
  if (!ok) return InternalError("cannot write " + path.string());
  return Status::Ok();
}

// `r`, its error (if any) prefixed with what was being done.
Result<json> Within(Result<json> r, const std::string& what) {
  if (!r.ok()) return r.status().WithContext(what);
  return r;
}

// The data directory: --data when given (new or empty), otherwise a new directory under the
// system's temporary directory.
Result<fs::path> PrepareDataDir(const std::string& requested) {
  std::error_code ec;
  if (!requested.empty()) {
    const fs::path dir(requested);
    if (fs::exists(dir, ec)) {
      if (!fs::is_directory(dir, ec)) {
        return FailedPreconditionError("--data " + requested + " exists and is not a directory");
      }
      if (!fs::is_empty(dir, ec)) {
        return FailedPreconditionError(
            "--data " + requested +
            " is not empty: the demo seeds a fresh node; give a new or empty directory");
      }
    }
    return dir;
  }
  std::string tmpl = (fs::temp_directory_path(ec) / "traceport-demo-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) {
    return InternalError("cannot create a directory under " + fs::temp_directory_path(ec).string());
  }
  return fs::path(tmpl);
}

// The scopes a demo login gets: what its organization does in the network.
std::vector<std::string> ScopesFor(const customs::DemoOrganization& o) {
  std::vector<std::string> s = {"resolve:dids", "verify:credential", "verify:presentation"};
  auto has = [&](const char* role) {
    return std::find(o.roles.begin(), o.roles.end(), role) != o.roles.end();
  };
  if (!o.credential_types.empty()) {
    s.insert(s.end(), {"create:credential", "read:credential", "update:credential"});
  }
  if (has("importer") || has("broker") || has("exporter") || has("producer")) {
    s.insert(s.end(), {"create:presentation", "read:wallet", "write:wallet"});
  }
  if (has("customs")) {
    s.insert(s.end(), {"read:presentations", "read:submissions", "decide:submissions"});
  }
  if (has("registry-authority")) s.push_back("manage:registry");
  // Only the scopes this node knows (the customs officer's came with the submissions queue).
  s.erase(std::remove_if(s.begin(), s.end(),
                         [](const std::string& x) { return !node::IsKnownScope(x); }),
          s.end());
  return s;
}

std::string Join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

// Prints rows as left-aligned columns (the last column is not padded).
void PrintTable(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width;
  for (const auto& r : rows) {
    if (width.size() < r.size()) width.resize(r.size(), 0);
    for (size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  }
  for (const auto& r : rows) {
    std::string line = "  ";
    for (size_t i = 0; i < r.size(); ++i) {
      line += r[i];
      if (i + 1 < r.size()) line += std::string(width[i] - r[i].size() + 2, ' ');
    }
    std::printf("%s\n", line.c_str());
  }
}

Outcome ReadOutcome(const json& answer) {
  Outcome o;
  if (answer.contains("submission") && answer["submission"].is_object()) {
    const json& s = answer["submission"];
    o.evaluated = true;
    o.submission_id = s.value("id", answer.value("id", ""));
    o.risk = s.value("risk", 0);
    for (const json& f : s.value("findings", json::array())) {
      ++o.findings;
      const std::string rule = f.value("ruleId", "");
      o.rules.insert(rule);
      if (f.value("severity", "") == "error") {
        o.errors.push_back(rule + ": " + f.value("explanation", ""));
      }
    }
  } else if (answer.value("verified", true) == false && !answer.contains("receivedAt")) {
    // Refused and not stored: name the first failed check.
    const json report = answer.value("report", json::object());
    std::string why = "the presentation did not verify";
    for (const json& c : report.value("checks", json::array())) {
      if (c.value("status", "") == "fail") {
        why = c.value("name", "") + ": " + c.value("reason", "");
        break;
      }
    }
    o.refused = why;
  } else {
    o.submission_id = answer.value("id", "");
  }
  return o;
}

class Seeder {
 public:
  Seeder(node::Node& n, DemoClock& clock, const customs::DemoScenario& sc)
      : node_(n), clock_(clock), sc_(sc) {}

  const std::vector<PortalLogin>& portal_logins() const { return portal_logins_; }

  Status SetUp(std::vector<Login>& logins) {
    clock_.Set(sc_.setup_at);
    std::fprintf(stderr, "creating %zu organizations and their logins\n", sc_.organizations.size());
    std::string authority;
    for (const customs::DemoOrganization& o : sc_.organizations) {
      ASSIGN_OR_RETURN(json created, node_.CreateOrganization({o.slug, o.name, o.roles}));
      dids_[o.slug] = created.at("did").get<std::string>();
      ASSIGN_OR_RETURN(node::ClientCredentials c,
                       node_.CreateClient(o.slug, "demo login", ScopesFor(o)));
      logins.push_back({o.slug, Join(o.roles, ","), std::move(c)});
      if (std::find(o.roles.begin(), o.roles.end(), "registry-authority") != o.roles.end()) {
        authority = o.slug;
      }
    }
    // Each organization that submits gets a client of the customs organization it submits to
    // (the traceability-interop way: the receiver issues the sender a client).
    std::set<std::pair<std::string, std::string>> pairs;
    for (const customs::DemoShipment& s : sc_.shipments) pairs.insert({s.customs, s.holder});
    for (const auto& [customs_slug, holder] : pairs) {
      ASSIGN_OR_RETURN(
          node::ClientCredentials c,
          node_.CreateClient(customs_slug, "submissions from " + holder, {"submit:presentations"}));
      submit_clients_[{customs_slug, holder}] = c.client_id;
      logins.push_back({customs_slug, "submit:presentations for " + holder, std::move(c)});
    }
    if (authority.empty()) return InternalError("the demo scenario has no registry authority");
    RETURN_IF_ERROR(AddPortalUsers(authority));
    size_t admitted = 0;
    for (const customs::DemoOrganization& o : sc_.organizations) admitted += o.admitted ? 1 : 0;
    std::fprintf(stderr, "admitting %zu organizations to the trust registry\n", admitted);
    for (const customs::DemoOrganization& o : sc_.organizations) {
      if (!o.admitted) continue;
      json request = {{"did", dids_.at(o.slug)},
                      {"name", o.name},
                      {"identifiers", o.identifiers},
                      {"roles", o.roles},
                      {"credentialTypes", o.credential_types}};
      RETURN_IF_ERROR(
          node_.RegistryAdmit(authority, request).status().WithContext("admitting " + o.slug));
    }
    return Status::Ok();
  }

  // Issues a shipment's documents and delivers each to the holder's wallet, as its issuer would
  // send it. Returns their digests in the wallet.
  Result<std::vector<std::string>> Deliver(const customs::DemoShipment& s) {
    clock_.Set(s.issue_at);
    std::vector<std::string> digests;
    for (const customs::DemoDocument& d : s.documents) {
      json vc;
      auto it = d.shared_key.empty() ? shared_.end() : shared_.find(d.shared_key);
      if (it != shared_.end()) {
        vc = it->second;
      } else {
        ASSIGN_OR_RETURN(vc, Within(Issue(d), s.id + " " + d.key));
        if (!d.shared_key.empty()) shared_[d.shared_key] = vc;
      }
      const customs::DemoOrganization* issuer = sc_.FindOrganization(d.issuer);
      ASSIGN_OR_RETURN(json held,
                       Within(node_.HoldCredential(s.holder, vc,
                                                   "sent by " + (issuer ? issuer->name : d.issuer)),
                              s.id + " " + d.key + ": delivering to " + s.holder));
      digests.push_back(held.at("digest").get<std::string>());
    }
    return digests;
  }

  // Delivers, then submits from the holder's wallet with the client customs gave the holder.
  Result<json> Ship(const customs::DemoShipment& s) {
    ASSIGN_OR_RETURN(std::vector<std::string> digests, Deliver(s));
    clock_.Set(s.submit_at);
    const std::string& client = submit_clients_.at({s.customs, s.holder});
    return Within(node_.SubmitHeld(s.holder, client,
                                   {{"customs", s.customs},
                                    {"id", s.presentation_id},
                                    {"credentials", digests},
                                    {"workflow", s.workflow_member},
                                    {"securing", "ecdsa-jcs-2019"}}),
                  s.id + ": submitting to " + s.customs);
  }

 private:
  // One portal login per role, each with a fresh random password (printed, and written to
  // demo-logins.json): the officer and the auditor at the first shipment's customs
  // organization, the registry administrator at the authority, the importer at the holder of
  // the shipment left waiting in its wallet (else the first shipment's), and the issuer at the
  // organization that issues its first document.
  Status AddPortalUsers(const std::string& authority) {
    if (sc_.shipments.empty() || sc_.shipments.front().documents.empty()) {
      return InternalError("the demo scenario has no shipment to build logins around");
    }
    const customs::DemoShipment& first = sc_.shipments.front();
    const std::vector<std::tuple<std::string, std::string, node::UserRole, std::string>> people = {
        {first.customs, "officer", node::UserRole::kOfficer, "Olivia Ortega (officer)"},
        {sc_.pending.empty() ? first.holder : sc_.pending.front().holder, "importer",
         node::UserRole::kImporter, "Ivan Ibarra (importer)"},
        {first.documents.front().issuer, "issuer", node::UserRole::kIssuer, "Isabel Ito (issuer)"},
        {authority, "registry", node::UserRole::kRegistryAdmin, "Rafael Reyes (registry)"},
        {first.customs, "auditor", node::UserRole::kAuditor, "Ada Auer (auditor)"},
    };
    std::fprintf(stderr, "creating %zu portal logins\n", people.size());
    for (const auto& [org, username, role, name] : people) {
      std::array<uint8_t, 12> bytes{};
      crypto::DefaultCsprng().Fill(bytes);
      const std::string password = codec::Base58Encode(bytes);
      RETURN_IF_ERROR(node_.AddUser({org, username, name, role, password}).status());
      portal_logins_.push_back({org, username, std::string(node::UserRoleName(role)), password});
    }
    return Status::Ok();
  }

  std::vector<PortalLogin> portal_logins_;
  // Issues one document as its issuer, then revokes or edits it as the scenario says.
  Result<json> Issue(const customs::DemoDocument& d) {
    json credential = {
        {"@context", json::array({kVcV2, kTraceability})},
        {"type", json::array({"VerifiableCredential", d.type})},
        {"credentialSchema", {{"id", customs::DemoSchemaId(d.type)}, {"type", "JsonSchema"}}},
        {"credentialSubject", d.subject}};
    if (d.valid_from) {
      credential["validFrom"] = FormatRfc3339(FromUnixSeconds(*d.valid_from)).value_or("");
    }
    if (d.valid_until) {
      credential["validUntil"] = FormatRfc3339(FromUnixSeconds(*d.valid_until)).value_or("");
    }
    // Data Integrity with JCS, so that a member can be edited after signing; the US
    // organizations sign with P-256, the Mexican and Canadian ones with Ed25519.
    const customs::DemoOrganization* issuer = sc_.FindOrganization(d.issuer);
    const std::string securing =
        issuer != nullptr && issuer->country == "US" ? "ecdsa-jcs-2019" : "eddsa-jcs-2022";
    ASSIGN_OR_RETURN(json issued,
                     node_.IssueCredential(d.issuer, {{"credential", credential},
                                                      {"options", {{"securing", securing}}}}));
    json vc = issued.at("verifiableCredential");
    if (d.revoke_after_issue) {
      RETURN_IF_ERROR(node_
                          .UpdateStatus(d.issuer, {{"credentialId", issued.at("id")},
                                                   {"credentialStatus", {{{"status", "revoked"}}}}})
                          .status());
    }
    if (d.tamper) {
      const json::json_pointer ptr(d.tamper->pointer);
      if (!vc.contains(ptr)) {
        return InternalError("tamper pointer " + d.tamper->pointer + " is not in the credential");
      }
      vc[ptr] = d.tamper->value;
    }
    return vc;
  }

  node::Node& node_;
  DemoClock& clock_;
  const customs::DemoScenario& sc_;
  std::map<std::string, std::string> dids_;
  std::map<std::pair<std::string, std::string>, std::string> submit_clients_;
  std::map<std::string, json> shared_;
};

Status RunDemo(Context& ctx, const DemoFlags& f) {
  log::Level level;
  if (!log::ParseLevel(f.log_level, &level)) {
    return InvalidArgumentError("--log-level must be debug, info, warn, error or off");
  }
  log::Configure(level, log::Format::kText);
  BlockShutdownSignals();  // before the node starts its threads, which inherit the mask
  ASSIGN_OR_RETURN(fs::path dir, PrepareDataDir(f.data));

  const int64_t now = ToUnixSeconds(SystemClock().Now());
  const customs::DemoScenario sc = customs::BuildDemoScenario({f.seed, now, f.shipments});

  DemoClock clock;  // outlives the node (declared first, destroyed last)
  clock.Set(sc.setup_at);
  const std::string port = f.listen.substr(f.listen.rfind(':') + 1);
  node::NodeOptions o;
  o.data_dir = dir;
  o.public_url = "https://localhost" + (port == "0" ? std::string() : ":" + port);
  o.listen = f.listen;
  o.clock = &clock;
  ASSIGN_OR_RETURN(std::unique_ptr<node::Node> n, node::Node::Open(o));

  std::vector<Login> logins;
  Seeder seeder(*n, clock, sc);
  RETURN_IF_ERROR(seeder.SetUp(logins));
  std::map<std::string, Outcome> outcomes;
  const size_t total = sc.shipments.size();
  for (size_t i = 0; i < total; ++i) {
    const customs::DemoShipment& s = sc.shipments[i];
    ASSIGN_OR_RETURN(json answer, seeder.Ship(s));
    Outcome out = ReadOutcome(answer);
    std::string note;
    if (!out.refused.empty()) {
      note = "refused (" + out.refused + ")";
    } else if (!out.evaluated) {
      note = "received, not evaluated";
    } else {
      note = "risk " + std::to_string(out.risk) + ", " + std::to_string(out.findings) +
             (out.findings == 1 ? " finding" : " findings");
    }
    std::fprintf(stderr, "seeding %zu/%zu %s (%zu credentials) %s\n", i + 1, total, s.id.c_str(),
                 s.documents.size(), note.c_str());
    outcomes[s.id] = std::move(out);
  }
  for (const customs::DemoShipment& s : sc.pending) {
    ASSIGN_OR_RETURN(std::vector<std::string> delivered, seeder.Deliver(s));
    std::fprintf(stderr, "delivered %s (%zu credentials) to %s's wallet, not submitted\n",
                 s.id.c_str(), delivered.size(), s.holder.c_str());
  }
  clock.Release();

  // Did every planted problem's rule fire, and did the clean shipments stay clean? Judged only
  // once the node evaluates submissions at all.
  bool any_evaluated = false;
  for (const auto& [id, out] : outcomes) any_evaluated = any_evaluated || out.evaluated;
  std::vector<std::string> failures;
  json problems = json::array();
  std::vector<std::vector<std::string>> problem_rows = {
      {"SHIPMENT", "RULE", "FIRED", "SUBMISSION", "PROBLEM"}};
  for (const customs::DemoProblem& p : sc.problems) {
    const Outcome& out = outcomes.at(p.shipment_id);
    std::string fired = "not evaluated";
    if (out.evaluated) fired = out.rules.count(p.rule_id) ? "yes" : "NO";
    if (any_evaluated && fired != "yes") {
      failures.push_back(p.shipment_id + ": " + p.rule_id + " did not fire" +
                         (out.refused.empty() ? "" : " (refused: " + out.refused + ")"));
    }
    problem_rows.push_back({p.shipment_id, p.rule_id, fired,
                            out.submission_id.empty() ? "-" : out.submission_id, p.description});
    problems.push_back({{"shipment", p.shipment_id},
                        {"kind", p.kind},
                        {"ruleId", p.rule_id},
                        {"fired", fired},
                        {"submission", out.submission_id},
                        {"problem", p.description}});
  }
  size_t clean = 0;
  for (const customs::DemoShipment& s : sc.shipments) {
    if (!s.problem.empty()) continue;
    ++clean;
    const Outcome& out = outcomes.at(s.id);
    for (const std::string& e : out.errors) failures.push_back(s.id + " (clean): " + e);
    if (any_evaluated && !out.refused.empty()) {
      failures.push_back(s.id + " (clean) was refused: " + out.refused);
    }
  }

  const std::string host = f.listen.substr(0, f.listen.rfind(':'));
  if (!f.no_serve) RETURN_IF_ERROR(n->Start());
  const std::string url = "http://" + host + ":" + std::to_string(f.no_serve ? 0 : n->port());
  json logins_json = json::array();
  for (const Login& l : logins) {
    logins_json.push_back({{"org", l.org},
                           {"role", l.role},
                           {"client_id", l.client.client_id},
                           {"client_secret", l.client.client_secret},
                           {"scopes", l.client.scopes}});
  }
  json summary = {{"seed", sc.seed},
                  {"shipments", total},
                  {"dataDir", dir.string()},
                  {"node", f.no_serve ? json(nullptr) : json(url)},
                  {"openapi", f.no_serve ? json(nullptr) : json(url + "/openapi.json")},
                  {"publicUrl", n->public_url()},
                  {"logins", logins_json},
                  {"problems", problems},
                  {"failures", failures}};
  json pending = json::array();
  for (const customs::DemoShipment& s : sc.pending) {
    pending.push_back(
        {{"shipment", s.id}, {"holder", s.holder}, {"documents", s.documents.size()}});
  }
  summary["pending"] = pending;
  json portal_json = json::array();
  for (const PortalLogin& l : seeder.portal_logins()) {
    portal_json.push_back({{"organization", l.org},
                           {"username", l.username},
                           {"role", l.role},
                           {"password", l.password}});
  }
  summary["portal"] = f.no_serve ? json(nullptr) : json(url + "/portal");
  summary["portalLogins"] = portal_json;
  RETURN_IF_ERROR(WritePrivateFile(dir / "demo-logins.json", json{{"node", summary["node"]},
                                                                  {"portal", summary["portal"]},
                                                                  {"portalLogins", portal_json},
                                                                  {"pending", pending},
                                                                  {"logins", logins_json}}
                                                                     .dump(2) +
                                                                 "\n"));

  if (ctx.json) {
    PrintJson(summary);
    ctx.json_printed = true;
  } else {
    std::printf("Traceport demo network: seed %llu, %zu shipments, data in %s\n\n",
                static_cast<unsigned long long>(sc.seed), total, dir.string().c_str());
    if (f.no_serve) {
      std::printf("  not serving (--no-serve); run `traceport serve --data %s` to serve it\n",
                  dir.string().c_str());
    } else {
      std::printf("  node     %s   (DIDs under %s)\n", url.c_str(), n->public_url().c_str());
      std::printf("  openapi  %s/openapi.json\n", url.c_str());
    }
    std::printf("  logins   %s (admin: %s)\n\n", (dir / "demo-logins.json").string().c_str(),
                (dir / "admin-client.json").string().c_str());
    if (!f.no_serve) std::printf("Portal: %s/portal\n", url.c_str());
    std::printf("Portal logins (one per role):\n");
    std::vector<std::vector<std::string>> people = {
        {"ROLE", "ORGANIZATION", "USERNAME", "PASSWORD"}};
    for (const PortalLogin& l : seeder.portal_logins()) {
      people.push_back({l.role, l.org, l.username, l.password});
    }
    PrintTable(people);
    std::printf("\n");
    std::printf("Demo logins (POST /oauth/token, grant_type=client_credentials):\n");
    std::vector<std::vector<std::string>> rows = {
        {"ORGANIZATION", "ROLE", "CLIENT_ID", "CLIENT_SECRET"}};
    for (const Login& l : logins) {
      rows.push_back({l.org, l.role, l.client.client_id, l.client.client_secret});
    }
    PrintTable(rows);
    std::printf("\nPlanted problems (customs: %s):\n", sc.shipments.front().customs.c_str());
    PrintTable(problem_rows);
    for (const customs::DemoShipment& s : sc.pending) {
      std::printf(
          "\nWaiting in %s's wallet, not yet submitted: %s (%zu documents). Sign in as "
          "the importer, open \"New submission\", pick them and submit.\n",
          s.holder.c_str(), s.id.c_str(), s.documents.size());
    }
    if (!any_evaluated) {
      std::printf("\nThis node does not evaluate submissions yet: no rule could fire.\n");
    } else {
      std::printf("\n%zu of %zu planted problems caught; %zu clean shipments%s.\n",
                  sc.problems.size() - static_cast<size_t>(std::count_if(
                                           problems.begin(), problems.end(),
                                           [](const json& p) { return p["fired"] != "yes"; })),
                  sc.problems.size(), clean, failures.empty() ? " raised no error finding" : "");
    }
  }
  std::fflush(stdout);
  for (const std::string& fail : failures) std::fprintf(stderr, "demo: %s\n", fail.c_str());

  if (f.no_serve) {
    n.reset();  // flushes and closes the ledger
    if (!failures.empty()) {
      return FailedPreconditionError(std::to_string(failures.size()) +
                                     " demo expectation(s) not met (listed above)");
    }
    return Status::Ok();
  }
  std::fprintf(stderr, "serving; Ctrl-C stops the node\n");
  const int sig = WaitForShutdownSignal();
  log::Info("demo.stopping", {{"signal", sig}});
  n->Stop();
  n.reset();
  return Status::Ok();
}

}  // namespace

void RegisterDemoCommands(CLI::App& app, Context& ctx) {
  auto f = std::make_shared<DemoFlags>();
  CLI::App* demo = app.add_subcommand(
      "demo",
      "Seed a fresh node with the demo network (steel, crude oil, natural gas; planted "
      "problems) and serve it");
  demo->add_option("--data", f->data,
                   "Data directory for the new node (new or empty; default: a new directory "
                   "under the system's temporary directory)");
  demo->add_option("--seed", f->seed, "Scenario seed: the same seed gives the same network")
      ->capture_default_str();
  demo->add_option("--shipments", f->shipments, "How many shipments to seed")
      ->check(CLI::Range(customs::kMinDemoShipments, customs::kMaxDemoShipments))
      ->capture_default_str();
  demo->add_option("--listen", f->listen, "Address to serve on")->capture_default_str();
  demo->add_flag("--no-serve", f->no_serve,
                 "Seed, print and exit (non-zero when a planted problem went uncaught or a "
                 "clean shipment raised an error finding)");
  demo->add_option("--log-level", f->log_level, "debug, info, warn (default), error, off");
  Bind(demo, "demo", ctx, [&ctx, f] { return RunDemo(ctx, *f); });
}

}  // namespace traceport::cli
