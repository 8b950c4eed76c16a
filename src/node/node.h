// `traceport serve`: one process that hosts organizations, speaks the W3C CCG
// traceability-interop profile and the VC-API, keeps a trust registry of legitimate actors and
// anchors what it does on its own tamper-evident ledger.
//
// A node's data directory:
//   DIR/node.json          {"format": "traceport-node/1", "public_url": ..., "master_key": fp}
//   DIR/master.key         the master key (unless TRACEPORT_MASTER_KEY supplies it), 0600
//   DIR/node.db            organizations, sealed keys, clients, credentials, status lists,
//                          presentations, registry (SQLite, WAL, synchronous=FULL)
//   DIR/ledger/            the node's ledger (ledger/ledger_dir.h); its log.key is sealed into
//                          node.db at the first start and the file removed
//   DIR/admin-client.json  the first admin client's id and secret, 0600 (delete it once stored)
//
// Every route is declared once in node_routes.cc; the OpenAPI document is generated from those
// declarations (docs/api/openapi.json is its checked-in copy). docs/api/node.md describes the API
// and docs/operations.md how to run a node.
//
// Thread safety: after Open, every member is thread-safe.
#ifndef TRACEPORT_NODE_NODE_H_
#define TRACEPORT_NODE_NODE_H_

#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "net/http_server.h"
#include "node/users.h"
#include "vc/report.h"

namespace traceport::node {

struct NodeOptions {
  std::filesystem::path data_dir;
  // The node's public base URL, "https://host[:port]" (organizations' did:web DIDs, status list
  // and credential URLs derive from it). Fixed when the directory is created; later starts must
  // leave it empty or give the same value.
  std::string public_url;
  // HTTP server.
  std::string listen = "127.0.0.1:8443";
  std::string tls_cert_file;
  std::string tls_key_file;
  bool allow_plain_http_off_loopback = false;
  size_t threads = 8;
  size_t max_body_bytes = size_t{1} << 20;
  size_t max_json_depth = 64;
  std::chrono::milliseconds read_timeout{10000};
  std::chrono::seconds keep_alive_timeout{2};
  // Auth and limits.
  std::chrono::seconds token_ttl{900};
  double rate_per_second = 200;  // per client (or per address for anonymous calls); 0 = off
  double rate_burst = 400;
  // Ledger.
  std::chrono::milliseconds checkpoint_interval{1000};
  // Fetch DID documents and status lists of other nodes over HTTPS.
  bool network = false;
  // Master key file (default DIR/master.key).
  std::filesystem::path master_key_file;
  // The clock behind every timestamp the node writes and every validity and token check it
  // makes (nullptr: the system clock). The demo seeds weeks of history through a clock it
  // moves; the ledger's checkpoints always use the system clock. Must outlive the node.
  const Clock* clock = nullptr;
  // The USMCA assistant (POST /assist/chat): its conversation log keeps one record per turn
  // (the question text only for turns it could not answer) for this many days.
  int assist_log_retention_days = 30;
};

// Reads a JSON configuration file into `options` (fields named as in NodeOptions, durations in
// milliseconds / seconds as their suffix says: "read_timeout_ms", "token_ttl_s",
// "checkpoint_interval_ms", "keep_alive_timeout_s"). Unknown members are InvalidArgument.
Status LoadConfigFile(const std::filesystem::path& file, NodeOptions& options);

struct ClientCredentials {
  std::string client_id;
  std::string client_secret;
  std::string org;
  std::vector<std::string> scopes;
  nlohmann::json ToJson() const;
};

struct OrganizationSpec {
  std::string slug;  // [a-z0-9-]{1,63}, the last part of the DID
  std::string name;
  std::vector<std::string> roles;  // registry::KnownRoles()
};

class Node {
 public:
  // Opens the node in `options.data_dir`, creating it when it does not exist yet (then
  // `public_url` is required). A node created here gets an "operator" organization and an admin
  // client whose credentials are written to DIR/admin-client.json. Takes the ledger's writer
  // lock: one node per directory.
  static Result<std::unique_ptr<Node>> Open(NodeOptions options);
  ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  // The HTTP server: Start binds and serves, Stop shuts down gracefully (in-flight requests
  // finish; the ledger is flushed and closed by the destructor).
  Status Start();
  int port() const;
  void Stop();

  // The OpenAPI 3.1 document of this node (the same for every node of this version).
  static nlohmann::json OpenApiDocument();

  const std::string& public_url() const;

  // ---- Operations behind the routes (the CLI and the benchmarks call them directly) ----
  Result<nlohmann::json> CreateOrganization(const OrganizationSpec& spec);
  Result<nlohmann::json> ListOrganizations() const;
  Result<ClientCredentials> CreateClient(const std::string& org, const std::string& name,
                                         const std::vector<std::string>& scopes);
  Result<nlohmann::json> RotateKey(const std::string& org, const std::string& purpose);
  // A person who signs in to the portal (node/users.h): the organization must exist and, for
  // the officer and registry-admin roles, have the customs or registry-authority role.
  Result<nlohmann::json> AddUser(const UserSpec& spec);
  Result<nlohmann::json> ListUsers(const std::string& org) const;

  // POST /oauth/token: an access token for the client (all its scopes when `scope` is empty).
  Result<std::string> IssueToken(const std::string& client_id, const std::string& secret,
                                 const std::string& scope = "");

  // VC-API: the JSON request bodies as the routes take them; the results as they return them.
  Result<nlohmann::json> IssueCredential(const std::string& org, const nlohmann::json& request);
  Result<nlohmann::json> VerifyCredential(const nlohmann::json& request);
  Result<nlohmann::json> VerifyPresentation(const nlohmann::json& request);
  Result<nlohmann::json> ProvePresentation(const std::string& org, const nlohmann::json& request);
  Result<nlohmann::json> UpdateStatus(const std::string& org, const nlohmann::json& request);
  // traceability-interop: POST /presentations. `media_type` is "application/json" or
  // "application/vp+jwt"; `body` as received. AlreadyExists for a duplicate id. A presentation
  // that fails verification is not stored: the result has "verified": false and the report.
  Result<nlohmann::json> ReceivePresentation(const std::string& org, const std::string& client_id,
                                             const std::string& media_type,
                                             const std::string& body);

  // The holder's wallet (node_wallet.cc): credentials an organization received from their
  // issuers, kept until it submits them. `credential` is a Data Integrity credential (a JSON
  // object), a vc+jwt (a string) or an EnvelopedVerifiableCredential. It is verified on intake
  // and kept even when a check fails (the report says which, so that the holder learns before
  // customs does); the same credential held twice is kept once ("new": false).
  Result<nlohmann::json> HoldCredential(const std::string& org, const nlohmann::json& credential,
                                        const std::string& received_from);
  Result<nlohmann::json> HeldCredentials(const std::string& org) const;
  Status DropHeldCredential(const std::string& org, const std::string& digest);
  // Signs a TraceablePresentation of held credentials as `org` (the holder) and submits it to a
  // customs organization on this node, as POST /presentations would: {"customs": slug,
  // "credentials": [digest, ...], "workflow": {"definition": [...], "instance"?: [...]},
  // "id"?: presentation id, "securing"?: "ecdsa-jcs-2019" | "eddsa-jcs-2022" | "vc-jwt"}. The
  // answer is ReceivePresentation's, with the submission and its ledger receipt; the picked
  // credentials are marked as submitted in it.
  Result<nlohmann::json> SubmitHeld(const std::string& org, const std::string& client_id,
                                    const nlohmann::json& request);
  // The customs organizations on this node a holder can submit to: [{"slug", "name", "did"}].
  Result<nlohmann::json> CustomsOrganizations() const;

  // The trust registry: `authority` is the slug of a registry-authority organization; the
  // request bodies are POST /registry/entries's.
  Result<nlohmann::json> RegistryAdmit(const std::string& authority, const nlohmann::json& request);

  // The USMCA assistant: {"message", "sessionId"?} -> the answer with its citations and the
  // session id to send with the next turn (src/assist/assistant.h). Public.
  Result<nlohmann::json> AssistChat(const nlohmann::json& request);
  // The assistant's conversation log: daily counts per kind and the questions it could not
  // answer, after dropping records older than the retention.
  Result<nlohmann::json> AssistLog();

  struct Impl;

 private:
  explicit Node(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace traceport::node

#endif  // TRACEPORT_NODE_NODE_H_
