#include "node/internal/provenance_index.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <set>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "codec/json.h"

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

// A trace stops (and says it was truncated) after this many queries, whatever the node budget:
// thousands of identifiers to follow must not make one request slow.
constexpr size_t kMaxQueries = 2000;
// Deeper walks are refused rather than run: the graph of trade documents is shallow (a 7501 is
// four steps from the mill), and the depth is a request parameter.
constexpr int kMaxDepth = 16;

// The queries. Every one is a search on a key prefix (ExplainProvenanceQueries lets a test hold
// them to it), which takes two precautions because the node never runs ANALYZE and SQLite plans
// without statistics:
//   - no ORDER BY that another index could satisfy (the planner would walk the organization's
//     whole index in that order rather than search the key);
//   - lists of ids or identifiers arrive as one JSON array (?2), read with json_each, and
//     CROSS JOIN keeps that list the outer loop. A list keeps the number of queries per trace
//     at a few per level of the walk rather than a few per credential, and one SQL text keeps
//     the statement cache (db.h) from growing with list lengths.
constexpr std::string_view kCredentialsOfSubmission =
    "SELECT credential_id FROM prov_credentials WHERE org = ?1 AND submission_id = ?2";
// Type, issuer and (at most ?3) submissions of each credential id in ?2.
constexpr std::string_view kCredentialInfo =
    "SELECT j.value, p.type, p.issuer, p.submission_id, p.received_at "
    "FROM json_each(?2) AS j CROSS JOIN prov_credentials AS p "
    "ON p.org = ?1 AND p.credential_id = j.value AND p.submission_id IN "
    "(SELECT q.submission_id FROM prov_credentials AS q "
    "WHERE q.org = ?1 AND q.credential_id = j.value LIMIT ?3)";
// Trace-back's step, for the credential ids in ?2: each one's links, and each reference joined
// with the credentials that are the origin of the same identifier (NULL when there is none, and
// for the origin links themselves).
constexpr std::string_view kBackStep =
    "SELECT j.value, l.kind, l.value, l.origin, o.credential_id "
    "FROM json_each(?2) AS j CROSS JOIN prov_links AS l "
    "ON l.org = ?1 AND l.credential_id = j.value "
    "LEFT JOIN prov_links AS o ON l.origin = 0 AND o.org = l.org AND o.kind = l.kind "
    "AND o.value = l.value AND o.origin = 1";
// Trace-forward's step: the credentials carrying identifier (?2, ?3), at most ?4 of them, each
// with the links trace-forward follows from it (see TraceForward), or one row of NULLs.
constexpr std::string_view kForwardStep =
    "SELECT c.credential_id, l.kind, l.value FROM "
    "(SELECT credential_id FROM prov_links WHERE org = ?1 AND kind = ?2 AND value = ?3 "
    "LIMIT ?4) AS c "
    "LEFT JOIN prov_links AS l ON l.org = ?1 AND l.credential_id = c.credential_id AND "
    "(l.kind IN ('bol', 'invoice', 'entry') OR (l.origin = 1 AND l.kind = 'batch'))";

// A credential as the index knows it: type and issuer from its first submission row, and the
// submissions that contained it.
struct CredentialInfo {
  std::string type;
  std::string issuer;
  std::vector<std::pair<std::string, std::string>> submissions;  // (id, received_at)
  bool more_submissions = false;
};

// Runs the queries of one trace for one organization and counts them against kMaxQueries.
class Queries {
 public:
  Queries(Db& db, const std::string& org) : db_(db), org_(org) {}

  bool exhausted() const { return count_ >= kMaxQueries; }

  Result<std::vector<Row>> Run(std::string_view sql, std::vector<Value> params) {
    ++count_;
    params.insert(params.begin(), org_);
    return db_.Query(sql, params);
  }

  // The information on `ids` (distinct), in their order.
  Result<std::vector<CredentialInfo>> Credentials(const std::vector<std::string>& ids) {
    std::vector<CredentialInfo> infos(ids.size());
    if (ids.empty()) return infos;
    std::unordered_map<std::string_view, size_t> index;
    for (size_t i = 0; i < ids.size(); ++i) index.emplace(ids[i], i);
    ASSIGN_OR_RETURN(
        std::vector<Row> rows,
        Run(kCredentialInfo,
            {json(ids).dump(), static_cast<int64_t>(kTraceMaxSubmissionsPerCredential + 1)}));
    for (const Row& r : rows) {
      auto it = index.find(r.Text(0));
      if (it == index.end()) continue;
      CredentialInfo& info = infos[it->second];
      if (info.submissions.empty()) {
        info.type = r.Text(1);
        info.issuer = r.Text(2);
      }
      if (info.submissions.size() == kTraceMaxSubmissionsPerCredential) {
        info.more_submissions = true;
      } else {
        info.submissions.emplace_back(r.Text(3), r.Text(4));
      }
    }
    return infos;
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

// Everything the index stores ends up in JSON answers, which carry only well-formed UTF-8.
bool IsUtf8(std::string_view s) { return codec::IsValidUtf8(s); }

bool IsOriginKind(std::string_view kind) {
  return kind == customs::kHeatNumber || kind == customs::kCertificate || kind == customs::kWell ||
         kind == customs::kBatchNumber;
}

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
  for (const std::string* text :
       {&org, &submission_id, &received_at, &credential_id, &type, &issuer}) {
    if (!IsUtf8(*text)) return InvalidArgumentError("provenance: text is not valid UTF-8");
  }
  for (const customs::Link& l : links) {
    if (!customs::IsIdentifierKind(l.kind)) {
      return InvalidArgumentError("provenance: unknown identifier kind \"" + l.kind + "\"");
    }
    if (l.value.empty()) return InvalidArgumentError("provenance: empty " + l.kind + " value");
    if (!IsUtf8(l.value)) {
      return InvalidArgumentError("provenance: " + l.kind + " value is not valid UTF-8");
    }
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
  // Nothing but UTF-8 is stored, so another id names no submission (and the answer, which
  // repeats it, could not be written as JSON).
  if (!IsUtf8(submission_id)) {
    return NotFoundError("provenance: no such submission in the index");
  }
  Queries queries(db, org);
  ASSIGN_OR_RETURN(std::vector<Row> root_rows,
                   queries.Run(kCredentialsOfSubmission, {submission_id}));
  if (root_rows.empty()) {
    return NotFoundError("provenance: no submission " + submission_id + " in the index");
  }

  // Breadth first, one level per query: `ids` lists every node in the order found, `level` the
  // ones whose links the next query reads.
  std::vector<std::string> ids;
  for (const Row& r : root_rows) ids.push_back(r.Text(0));
  std::sort(ids.begin(), ids.end());
  std::unordered_map<std::string, int> depth_of;
  for (const std::string& id : ids) depth_of.emplace(id, 0);
  json edges = json::array();
  std::vector<std::array<std::string, 3>> origins;  // credential, kind, value
  std::set<std::tuple<std::string, std::string, std::string, std::string>> edge_seen;
  bool truncated = false;

  std::vector<std::string> level = ids;
  for (int depth = 0; !level.empty(); ++depth) {
    if (queries.exhausted()) {
      truncated = true;
      break;
    }
    ASSIGN_OR_RETURN(std::vector<Row> rows, queries.Run(kBackStep, {json(level).dump()}));
    level.clear();
    for (const Row& r : rows) {
      std::string from = r.Text(0), kind = r.Text(1), value = r.Text(2);
      if (r.Int(3) != 0) {
        // What this credential originates. Its other claimants are sideways, not back: not
        // followed.
        if (IsOriginKind(kind)) origins.push_back({from, kind, value});
        continue;
      }
      if (r.IsNull(4)) continue;  // a reference to nothing the organization holds
      std::string to = r.Text(4);
      if (to == from) continue;
      if (depth_of.count(to) == 0) {
        // Beyond the depth or the budget: left out, and the answer says so.
        if (depth >= max_depth || ids.size() >= max_nodes) {
          truncated = true;
          continue;
        }
        depth_of.emplace(to, depth + 1);
        ids.push_back(to);
        level.push_back(to);
      }
      if (edge_seen.emplace(from, to, kind, value).second) {
        edges.push_back({{"from", std::move(from)},
                         {"to", std::move(to)},
                         {"kind", std::move(kind)},
                         {"value", std::move(value)}});
      }
    }
  }

  ASSIGN_OR_RETURN(std::vector<CredentialInfo> infos, queries.Credentials(ids));
  json nodes = json::array();
  std::unordered_map<std::string_view, size_t> index_of;
  for (size_t i = 0; i < ids.size(); ++i) {
    json node = {{"id", ids[i]},
                 {"type", infos[i].type},
                 {"issuer", infos[i].issuer},
                 {"depth", depth_of.at(ids[i])},
                 {"submissions", SubmissionIds(infos[i])}};
    if (infos[i].more_submissions) node["moreSubmissions"] = true;
    nodes.push_back(std::move(node));
    index_of.emplace(ids[i], i);
  }
  json origin_list = json::array();
  for (const auto& [credential, kind, value] : origins) {
    const CredentialInfo& info = infos[index_of.at(credential)];
    origin_list.push_back({{"credential", credential},
                           {"type", info.type},
                           {"issuer", info.issuer},
                           {"kind", kind},
                           {"value", value}});
  }
  return json{{"root", {{"submission", submission_id}}},
              {"nodes", std::move(nodes)},
              {"edges", std::move(edges)},
              {"origins", std::move(origin_list)},
              {"truncated", truncated}};
}

Result<json> TraceForward(Db& db, const std::string& org, const std::string& kind,
                          const std::string& value, int max_depth, size_t max_nodes) {
  if (!customs::IsIdentifierKind(kind)) {
    return InvalidArgumentError("provenance: unknown identifier kind \"" + kind + "\"");
  }
  if (value.empty()) return InvalidArgumentError("provenance: empty identifier value");
  if (!IsUtf8(value)) return InvalidArgumentError("provenance: value is not valid UTF-8");
  if (max_depth < 0) return InvalidArgumentError("provenance: negative depth");
  max_depth = std::min(max_depth, kMaxDepth);
  Queries queries(db, org);

  struct Reached {
    std::string id;
    int depth;
    std::pair<std::string, std::string> via;
  };
  std::vector<Reached> reached;
  std::unordered_map<std::string, size_t> reached_index;  // id -> position in reached
  std::set<std::pair<std::string, std::string>> identifier_seen = {{kind, value}};
  std::vector<std::pair<std::string, std::string>> level = {{kind, value}};
  bool truncated = false;

  // Breadth first by identifier depth. Identifiers one step past max_depth are still looked up,
  // only to tell whether the limit left credentials out.
  for (int depth = 0; !level.empty() && !truncated; ++depth) {
    std::vector<std::pair<std::string, std::string>> next;
    for (const auto& [k, v] : level) {
      if (queries.exhausted()) {
        truncated = true;
        break;
      }
      // One more than the remaining budget tells whether the budget cut the answer.
      const size_t room = max_nodes > reached.size() ? max_nodes - reached.size() : 0;
      ASSIGN_OR_RETURN(std::vector<Row> rows,
                       queries.Run(kForwardStep, {k, v, static_cast<int64_t>(room + 1)}));
      // The rows of one carrier are consecutive (the join walks each carrier's links in turn).
      std::string adding;  // the carrier whose rows are being read, when this step reached it
      for (const Row& r : rows) {
        std::string c = r.Text(0);
        if (reached_index.count(c) == 0) {
          if (reached.size() >= max_nodes || depth > max_depth) {
            truncated = true;
            break;
          }
          reached_index.emplace(c, reached.size());
          reached.push_back({c, depth, {k, v}});
          adding = std::move(c);
        } else if (c != adding) {
          continue;  // reached before: its links were followed then
        }
        if (r.IsNull(1)) continue;
        if (identifier_seen.emplace(r.Text(1), r.Text(2)).second) {
          next.emplace_back(r.Text(1), r.Text(2));
        }
      }
      if (truncated) break;
    }
    level = std::move(next);
  }

  std::vector<std::string> ids;
  ids.reserve(reached.size());
  for (const Reached& r : reached) ids.push_back(r.id);
  ASSIGN_OR_RETURN(std::vector<CredentialInfo> infos, queries.Credentials(ids));
  json credentials = json::array();
  // Submissions, each with the reached credentials it contained.
  std::map<std::string, std::pair<std::string, std::vector<std::string>>> by_submission;
  for (size_t i = 0; i < reached.size(); ++i) {
    credentials.push_back(
        {{"id", reached[i].id},
         {"type", infos[i].type},
         {"issuer", infos[i].issuer},
         {"depth", reached[i].depth},
         {"via", {{"kind", reached[i].via.first}, {"value", reached[i].via.second}}}});
    if (infos[i].more_submissions) truncated = true;
    for (const auto& [sid, received_at] : infos[i].submissions) {
      auto& entry = by_submission[sid];
      entry.first = received_at;
      entry.second.push_back(reached[i].id);
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
    submissions.push_back(
        {{"id", sid}, {"receivedAt", received_at}, {"credentials", by_submission[sid].second}});
  }
  return json{{"identifier", {{"kind", kind}, {"value", value}}},
              {"credentials", std::move(credentials)},
              {"submissions", std::move(submissions)},
              {"truncated", truncated}};
}

Result<std::vector<std::string>> ExplainProvenanceQueries(Db& db) {
  std::vector<std::string> plans;
  for (std::string_view sql :
       {kCredentialsOfSubmission, kCredentialInfo, kBackStep, kForwardStep}) {
    ASSIGN_OR_RETURN(std::vector<Row> rows, db.Query("EXPLAIN QUERY PLAN " + std::string(sql)));
    std::string plan;
    for (const Row& r : rows) plan += (plan.empty() ? "" : "; ") + r.Text(3);
    plans.push_back(std::move(plan));
  }
  return plans;
}

}  // namespace traceport::node::internal
