#include "node/internal/provenance_index.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>

namespace traceport::node::internal {

// WITHOUT ROWID: every lookup is by a key prefix, so the rows live in the primary key's b-tree
// and no rowid indirection is paid. prov_links' key puts origin before credential_id so that
// "which credentials are the origin of this identifier" is one contiguous range; the second
// index lists a credential's identifiers without touching the table.
const char kProvenanceSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS prov_credentials (
  credential_id TEXT NOT NULL,
  org TEXT NOT NULL,
  type TEXT NOT NULL,
  issuer TEXT NOT NULL,
  submission_id TEXT NOT NULL,
  received_at TEXT NOT NULL,
  PRIMARY KEY (org, credential_id, submission_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS prov_credentials_by_submission
  ON prov_credentials (org, submission_id);
CREATE TABLE IF NOT EXISTS prov_links (
  org TEXT NOT NULL,
  kind TEXT NOT NULL,
  value TEXT NOT NULL,
  origin INTEGER NOT NULL,
  credential_id TEXT NOT NULL,
  PRIMARY KEY (org, kind, value, origin, credential_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS prov_links_by_credential
  ON prov_links (org, credential_id, kind, value, origin);
)sql";

namespace {

using nlohmann::json;

// A trace stops (and says it was truncated) after this many index lookups, whatever the node
// budget: a credential with thousands of identifiers must not make one request slow.
constexpr size_t kMaxLookups = 20000;
// Deeper walks are refused rather than run: the graph of trade documents is shallow (a 7501 is
// four steps from the mill), and the depth is a request parameter.
constexpr int kMaxDepth = 16;

// The queries, each a key-prefix search (ExplainProvenanceQueries lets a test hold them to it).
// None has an ORDER BY that the planner could satisfy by walking another index: with no
// statistics (the node never runs ANALYZE) SQLite would then scan the organization's whole
// index in credential order rather than search the identifier.
constexpr std::string_view kCredentialsOfSubmission =
    "SELECT credential_id FROM prov_credentials WHERE org = ?1 AND submission_id = ?2";
constexpr std::string_view kCredentialRows =
    "SELECT type, issuer, submission_id, received_at FROM prov_credentials "
    "WHERE org = ?1 AND credential_id = ?2 LIMIT ?3";
// Trace-back's step: a credential's links, each reference joined with the credentials that are
// the origin of the same identifier (NULL when there is none, and for the origin links).
constexpr std::string_view kBackStep =
    "SELECT l.kind, l.value, l.origin, o.credential_id FROM prov_links AS l "
    "LEFT JOIN prov_links AS o ON l.origin = 0 AND o.org = l.org AND o.kind = l.kind "
    "AND o.value = l.value AND o.origin = 1 "
    "WHERE l.org = ?1 AND l.credential_id = ?2";
// Trace-forward's step: the credentials carrying an identifier (at most ?4), each with the
// links trace-forward follows from it (IsShipmentKind, IsDerivedKind), or one row of NULLs.
constexpr std::string_view kForwardStep =
    "SELECT c.credential_id, l.kind, l.value FROM "
    "(SELECT credential_id FROM prov_links WHERE org = ?1 AND kind = ?2 AND value = ?3 "
    "LIMIT ?4) AS c "
    "LEFT JOIN prov_links AS l ON l.org = ?1 AND l.credential_id = c.credential_id AND "
    "(l.kind IN ('bol', 'invoice', 'entry') OR (l.origin = 1 AND l.kind IN ('batch', 'ticket')))";

// A credential as the index knows it: type and issuer from its first submission row, and the
// submissions that contained it.
struct CredentialInfo {
  std::string type;
  std::string issuer;
  std::vector<std::pair<std::string, std::string>> submissions;  // (id, received_at)
  bool more_submissions = false;
};

// Runs the queries of one trace and counts them against kMaxLookups.
class Lookups {
 public:
  Lookups(Db& db, const std::string& org) : db_(db), org_(org) {}

  bool exhausted() const { return count_ >= kMaxLookups; }

  Result<std::vector<Row>> Run(std::string_view sql, std::vector<Value> params) {
    ++count_;
    params.insert(params.begin(), org_);
    return db_.Query(sql, params);
  }

  Result<CredentialInfo> Credential(const std::string& id) {
    ASSIGN_OR_RETURN(
        std::vector<Row> rows,
        Run(kCredentialRows, {id, static_cast<int64_t>(kTraceMaxSubmissionsPerCredential + 1)}));
    CredentialInfo info;
    if (!rows.empty()) {
      info.type = rows.front().Text(0);
      info.issuer = rows.front().Text(1);
    }
    for (const Row& r : rows) {
      if (info.submissions.size() == kTraceMaxSubmissionsPerCredential) {
        info.more_submissions = true;
        break;
      }
      info.submissions.emplace_back(r.Text(2), r.Text(3));
    }
    return info;
  }

 private:
  Db& db_;
  const std::string& org_;
  size_t count_ = 0;
};

json SubmissionIds(const CredentialInfo& info) {
  json ids = json::array();
  for (const auto& [id, received_at] : info.submissions) ids.push_back(id);
  return ids;
}

bool IsOriginKind(std::string_view kind) {
  return kind == customs::kHeatNumber || kind == customs::kCertificate ||
         kind == customs::kWell || kind == customs::kBatchNumber;
}

// Trace-forward follows, from each credential it reaches, the bills of lading, invoice and
// entry numbers it carries, whatever their origin flag (they tie the documents of one shipment
// together without fanning out to other goods), and the batches and tickets it is the origin of
// (a product's batch, a ticket's number). kForwardStep selects them in SQL.

}  // namespace

Status CreateProvenanceTables(Db& db) {
  // Db::Exec prepares one statement; split the schema at its semicolons (none occur inside).
  std::string_view rest = kProvenanceSchema;
  while (!rest.empty()) {
    const size_t end = rest.find(';');
    std::string_view stmt = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    if (stmt.find_first_not_of(" \n") == std::string_view::npos) continue;
    RETURN_IF_ERROR(db.Exec(stmt).status());
  }
  return Status::Ok();
}

Status RecordProvenance(Db& db, const std::string& org, const std::string& submission_id,
                        const std::string& received_at, const std::string& credential_id,
                        const std::string& type, const std::string& issuer,
                        const std::vector<customs::Link>& links) {
  if (org.empty()) return InvalidArgumentError("provenance: empty organization");
  if (submission_id.empty()) return InvalidArgumentError("provenance: empty submission id");
  if (credential_id.empty()) return InvalidArgumentError("provenance: empty credential id");
  for (const customs::Link& l : links) {
    if (!customs::IsIdentifierKind(l.kind)) {
      return InvalidArgumentError("provenance: unknown identifier kind \"" + l.kind + "\"");
    }
    if (l.value.empty()) return InvalidArgumentError("provenance: empty " + l.kind + " value");
  }
  RETURN_IF_ERROR(db.Exec("INSERT OR IGNORE INTO prov_credentials (credential_id, org, type, "
                          "issuer, submission_id, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                          {credential_id, org, type, issuer, submission_id, received_at})
                      .status());
  for (const customs::Link& l : links) {
    RETURN_IF_ERROR(db.Exec("INSERT OR IGNORE INTO prov_links (org, kind, value, origin, "
                            "credential_id) VALUES (?1, ?2, ?3, ?4, ?5)",
                            {org, l.kind, l.value, int64_t{l.origin ? 1 : 0}, credential_id})
                        .status());
  }
  return Status::Ok();
}

Result<json> TraceBack(Db& db, const std::string& org, const std::string& submission_id,
                       int max_depth, size_t max_nodes) {
  if (max_depth < 0) return InvalidArgumentError("provenance: negative depth");
  max_depth = std::min(max_depth, kMaxDepth);
  Lookups lookups(db, org);
  ASSIGN_OR_RETURN(std::vector<Row> root_rows,
                   lookups.Run(kCredentialsOfSubmission, {submission_id}));
  if (root_rows.empty()) {
    return NotFoundError("provenance: no submission " + submission_id + " in the index");
  }

  json nodes = json::array();
  json edges = json::array();
  json origins = json::array();
  bool truncated = false;
  std::unordered_map<std::string, int> depth_of;  // credential id -> depth, for every node
  std::deque<std::string> queue;
  std::set<std::tuple<std::string, std::string, std::string, std::string>> edge_seen;

  auto add_node = [&](const std::string& id, int depth) -> Status {
    ASSIGN_OR_RETURN(CredentialInfo info, lookups.Credential(id));
    json node = {{"id", id},
                 {"type", info.type},
                 {"issuer", info.issuer},
                 {"depth", depth},
                 {"submissions", SubmissionIds(info)}};
    if (info.more_submissions) node["moreSubmissions"] = true;
    nodes.push_back(std::move(node));
    depth_of.emplace(id, depth);
    queue.push_back(id);
    return Status::Ok();
  };
  std::vector<std::string> roots;
  for (const Row& r : root_rows) roots.push_back(r.Text(0));
  std::sort(roots.begin(), roots.end());
  for (const std::string& id : roots) RETURN_IF_ERROR(add_node(id, 0));

  while (!queue.empty()) {
    const std::string from = std::move(queue.front());
    queue.pop_front();
    const int depth = depth_of.at(from);
    if (lookups.exhausted()) {
      truncated = true;
      break;
    }
    ASSIGN_OR_RETURN(std::vector<Row> rows, lookups.Run(kBackStep, {from}));
    for (const Row& r : rows) {
      const std::string kind = r.Text(0), value = r.Text(1);
      if (r.Int(2) != 0) {
        // What this credential originates. Its other claimants are sideways, not back: not
        // followed.
        if (IsOriginKind(kind)) {
          origins.push_back({{"credential", from}, {"kind", kind}, {"value", value}});
        }
        continue;
      }
      if (r.IsNull(3)) continue;  // a reference to nothing the organization holds
      const std::string to = r.Text(3);
      if (to == from) continue;
      if (depth_of.count(to) == 0) {
        // Beyond the depth or the budget: left out, and the answer says so.
        if (depth >= max_depth || nodes.size() >= max_nodes || lookups.exhausted()) {
          truncated = true;
          continue;
        }
        RETURN_IF_ERROR(add_node(to, depth + 1));
      }
      if (edge_seen.emplace(from, to, kind, value).second) {
        edges.push_back({{"from", from}, {"to", to}, {"kind", kind}, {"value", value}});
      }
    }
  }

  // Origins carry the type and issuer of their credential, looked up from the nodes.
  std::unordered_map<std::string, size_t> index_of;
  for (size_t i = 0; i < nodes.size(); ++i) index_of.emplace(nodes[i]["id"].get<std::string>(), i);
  for (json& o : origins) {
    const json& node = nodes[index_of.at(o["credential"].get<std::string>())];
    o["type"] = node["type"];
    o["issuer"] = node["issuer"];
  }
  return json{{"root", {{"submission", submission_id}}},
              {"nodes", std::move(nodes)},
              {"edges", std::move(edges)},
              {"origins", std::move(origins)},
              {"truncated", truncated}};
}

Result<json> TraceForward(Db& db, const std::string& org, const std::string& kind,
                          const std::string& value, int max_depth, size_t max_nodes) {
  if (!customs::IsIdentifierKind(kind)) {
    return InvalidArgumentError("provenance: unknown identifier kind \"" + kind + "\"");
  }
  if (value.empty()) return InvalidArgumentError("provenance: empty identifier value");
  if (max_depth < 0) return InvalidArgumentError("provenance: negative depth");
  max_depth = std::min(max_depth, kMaxDepth);
  Lookups lookups(db, org);

  struct Identifier {
    std::string kind;
    std::string value;
    int depth;
  };
  std::deque<Identifier> queue = {{kind, value, 0}};
  std::set<std::pair<std::string, std::string>> identifier_seen = {{kind, value}};
  json credentials = json::array();
  std::unordered_map<std::string, size_t> credential_index;  // id -> position in credentials
  std::vector<CredentialInfo> infos;
  bool truncated = false;

  while (!queue.empty()) {
    const Identifier id = std::move(queue.front());
    queue.pop_front();
    if (lookups.exhausted()) {
      truncated = true;
      break;
    }
    // One more than the remaining budget tells whether the budget cut the answer.
    const size_t room = max_nodes > credentials.size() ? max_nodes - credentials.size() : 0;
    ASSIGN_OR_RETURN(std::vector<Row> rows,
                     lookups.Run(kForwardStep, {id.kind, id.value, static_cast<int64_t>(room + 1)}));
    // The rows of one carrier are consecutive (the join walks each carrier's links in turn).
    std::string adding;  // the carrier whose rows are being read, when this step reached it
    for (const Row& r : rows) {
      const std::string c = r.Text(0);
      if (credential_index.count(c) == 0) {
        if (credentials.size() >= max_nodes || id.depth > max_depth || lookups.exhausted()) {
          truncated = true;
          break;
        }
        ASSIGN_OR_RETURN(CredentialInfo info, lookups.Credential(c));
        credential_index.emplace(c, credentials.size());
        credentials.push_back({{"id", c},
                               {"type", info.type},
                               {"issuer", info.issuer},
                               {"depth", id.depth},
                               {"via", {{"kind", id.kind}, {"value", id.value}}}});
        infos.push_back(std::move(info));
        adding = c;
      } else if (c != adding) {
        continue;  // reached before: its links were followed then
      }
      if (r.IsNull(1)) continue;
      // Identifiers one step past the depth are still looked up, only to tell whether the
      // limit left credentials out.
      if (identifier_seen.emplace(r.Text(1), r.Text(2)).second) {
        queue.push_back({r.Text(1), r.Text(2), id.depth + 1});
      }
    }
  }

  // Submissions, each with the reached credentials it contained.
  std::map<std::string, std::pair<std::string, std::vector<std::string>>> by_submission;
  for (size_t i = 0; i < infos.size(); ++i) {
    if (infos[i].more_submissions) truncated = true;
    for (const auto& [sid, received_at] : infos[i].submissions) {
      auto& entry = by_submission[sid];
      entry.first = received_at;
      entry.second.push_back(credentials[i]["id"].get<std::string>());
    }
  }
  std::vector<std::pair<std::string, std::string>> order;  // (received_at, id)
  for (const auto& [sid, entry] : by_submission) order.emplace_back(entry.first, sid);
  std::sort(order.begin(), order.end());
  if (order.size() > max_nodes) {
    order.resize(max_nodes);
    truncated = true;
  }
  json submissions = json::array();
  for (const auto& [received_at, sid] : order) {
    submissions.push_back({{"id", sid},
                           {"receivedAt", received_at},
                           {"credentials", by_submission[sid].second}});
  }
  return json{{"identifier", {{"kind", kind}, {"value", value}}},
              {"credentials", std::move(credentials)},
              {"submissions", std::move(submissions)},
              {"truncated", truncated}};
}

Result<std::vector<std::string>> ExplainProvenanceQueries(Db& db) {
  std::vector<std::string> plans;
  for (std::string_view sql : {kCredentialsOfSubmission, kCredentialRows, kBackStep, kForwardStep}) {
    ASSIGN_OR_RETURN(std::vector<Row> rows, db.Query("EXPLAIN QUERY PLAN " + std::string(sql)));
    std::string plan;
    for (const Row& r : rows) plan += (plan.empty() ? "" : "; ") + r.Text(3);
    plans.push_back(std::move(plan));
  }
  return plans;
}

}  // namespace traceport::node::internal
