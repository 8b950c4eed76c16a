// The node's provenance index: for every credential a customs organization receives, the
// identifiers it carries (customs::ExtractLinks), so that an officer can walk from a submission
// back to the mill certificates and wells its goods come from, and from an identifier (a heat, a
// batch, a bill of lading) forward to every credential and shipment that carries it.
//
// Two tables in the node's SQLite store, both keyed by the receiving organization first so that
// one tenant never sees another's credentials:
//   prov_credentials(org, credential_id, submission_id, type, issuer, received_at)
//       one row per credential per submission that contained it (the same mill certificate is
//       often presented with several shipments);
//   prov_links(org, kind, value, origin, credential_id)
//       one row per identifier of a credential; origin = 1 when the credential is where the
//       goods with that identifier come from (customs::Link::origin).
// The index is derived data: it can be rebuilt from the stored submissions.
//
// Cost: a trace runs a handful of indexed queries per level of its walk, not per credential
// (src/node/provenance_bench.cc measures them on 1,000,000 credentials).
//
// Thread safety: as Db (every call takes the connection's lock). A trace runs several queries
// without a transaction, so one that races with a submission may or may not see it.
#ifndef TRACEPORT_NODE_INTERNAL_PROVENANCE_INDEX_H_
#define TRACEPORT_NODE_INTERNAL_PROVENANCE_INDEX_H_

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"
#include "customs/provenance.h"
#include "node/internal/db.h"

namespace traceport::node::internal {

// The tables and indexes, as idempotent DDL (CREATE ... IF NOT EXISTS), for a schema passed to
// Db::Open.
extern const char kProvenanceSchema[];

// Runs kProvenanceSchema on an open store, one statement at a time.
Status CreateProvenanceTables(Db& db);

// Records that `credential_id` (of `type`, issued by `issuer`) arrived at organization `org` in
// submission `submission_id` at `received_at` (RFC 3339), with its `links`.
//
// Must be called inside the caller's Db::Transaction (it does not open one, so that a
// submission and its index entries commit together, or not at all). Recording the same
// credential again in the same submission changes nothing; in another submission it adds that
// submission. InvalidArgument for an empty org, submission or credential id, or a link whose kind
// is not a customs identifier kind or whose value is empty; Internal for a store failure.
Status RecordProvenance(Db& db, const std::string& org, const std::string& submission_id,
                        const std::string& received_at, const std::string& credential_id,
                        const std::string& type, const std::string& issuer,
                        const std::vector<customs::Link>& links);

// How much of the graph a trace may visit; beyond it the answer says "truncated": true.
inline constexpr size_t kTraceMaxNodes = 500;
// At most this many submissions are listed for one credential (a node's "submissions" then ends
// with "moreSubmissions": true).
inline constexpr size_t kTraceMaxSubmissionsPerCredential = 100;

// Trace back from submission `submission_id` of `org` towards the origins of its goods.
//
// Starting from the submission's credentials (depth 0), each credential's references (its links
// with origin = false) lead to the credentials of `org` that are the origin of the same
// identifier (a packing list's heat number to the mill certificate, a 7501's bill of lading to
// the bill of lading, a delivery statement's tickets to the tickets and their batch to the
// product), and so on from those, up to `max_depth` steps. A credential's own origin identifiers
// are not followed: they lead sideways, to other claimants of the same identifier, not back.
//
// The answer:
//   {"root": {"submission": id},
//    "nodes": [{"id", "type", "issuer", "depth", "submissions": [ids], "moreSubmissions"?}],
//    "edges": [{"from": credential, "to": credential, "kind", "value"}],
//    "origins": [{"credential", "type", "issuer", "kind", "value"}],
//    "truncated": bool}
// in the order found. "origins" are the heat and certificate numbers, wells and batches that a
// reached credential is the origin of (mill test reports, oil and gas product credentials).
// "truncated" is true when `max_depth`, `max_nodes` (the submission's credentials count, and are
// always listed) or the trace's query budget left something out.
//
// NotFound when `org` has no submission `submission_id` in the index; InvalidArgument for a
// negative `max_depth`; Internal for a store failure.
Result<nlohmann::json> TraceBack(Db& db, const std::string& org, const std::string& submission_id,
                                 int max_depth = 4, size_t max_nodes = kTraceMaxNodes);

// Trace forward from identifier (`kind`, `value`) to every credential of `org` that carries it
// and the submissions that contained them.
//
// Transitively, up to `max_depth` steps: the bills of lading, invoice and entry numbers that
// those credentials carry, whatever their origin flag (they tie the documents of one shipment
// together, so a heat leads through its invoices and packing lists to the bills of lading and
// entries of every shipment), and the batches they are the origin of (so a well leads to its
// product's batch, and on to the tickets, schedules and statements of that batch). Other kinds
// are not followed past the start: heat, certificate and well numbers lead sideways to other
// goods of the same certificate or well, purchase orders and licences to every shipment under
// them, and tickets to nothing their batch does not already reach.
//
// The answer:
//   {"identifier": {"kind", "value"},
//    "credentials": [{"id", "type", "issuer", "depth", "via": {"kind", "value"}}],
//    "submissions": [{"id", "receivedAt", "credentials": [ids of the credentials above]}],
//    "truncated": bool}
// credentials in the order found, submissions by receivedAt then id. An identifier nobody
// carries gives empty lists. "truncated" is true when a limit (`max_depth`, `max_nodes` for
// credentials and for submissions, kTraceMaxSubmissionsPerCredential, the query budget) left
// credentials or submissions out. InvalidArgument for a kind that is not an identifier kind, an
// empty value or a negative `max_depth`; Internal for a store failure.
Result<nlohmann::json> TraceForward(Db& db, const std::string& org, const std::string& kind,
                                    const std::string& value, int max_depth = 3,
                                    size_t max_nodes = kTraceMaxNodes);

// For tests and diagnostics: SQLite's plan (EXPLAIN QUERY PLAN, the detail lines joined by
// "; ") of each query the traces run, on `db`'s schema and statistics.
Result<std::vector<std::string>> ExplainProvenanceQueries(Db& db);

}  // namespace traceport::node::internal

#endif  // TRACEPORT_NODE_INTERNAL_PROVENANCE_INDEX_H_
