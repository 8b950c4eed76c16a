// The node's internals, shared by node.cc (operations) and node_routes.cc (HTTP routes).
#ifndef TRACEPORT_NODE_INTERNAL_NODE_IMPL_H_
#define TRACEPORT_NODE_INTERNAL_NODE_IMPL_H_

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

#include "assist/conversation_log.h"
#include "assist/sessions.h"
#include "crypto/random.h"
#include "customs/provenance.h"
#include "customs/rules.h"
#include "did/key_cache.h"
#include "did/resolver.h"
#include "jose/key.h"
#include "ledger/log.h"
#include "net/http_client.h"
#include "net/http_server.h"
#include "node/api.h"
#include "node/auth.h"
#include "node/internal/db.h"
#include "node/node.h"
#include "node/users.h"
#include "node/vault.h"
#include "registry/registry.h"
#include "vc/schema.h"
#include "vc/status_list.h"
#include "vc/verifier.h"

namespace traceport::node {

struct OrgKey {
  std::string kid;      // the verification method id (DID URL)
  std::string purpose;  // "assertionMethod" or "authentication"
  jose::KeyType type;
  std::shared_ptr<const jose::PrivateKey> key;
  bool active = true;  // signs new documents; retired keys stay in the DID document
};

struct Org {
  std::string slug;
  std::string did;
  std::string name;
  std::vector<std::string> roles;
  std::string created_at;
  std::vector<OrgKey> keys;
  nlohmann::json did_document;
  bool HasRole(std::string_view role) const;
  nlohmann::json ToJson(const std::string& public_url) const;
};

struct ClientInfo {
  std::string org;
  std::vector<std::string> scopes;
  HashedSecret secret;
};

// One org's status list pair (revocation and suspension share their indices).
struct StatusListPair {
  std::string org;
  int64_t number = 0;
  vc::Bitstring revocation;
  vc::Bitstring suspension;
  vc::IndexAllocator allocator;
  // Signed list credentials, re-signed after each change (null until first needed).
  // The signed list credentials, made on first use and dropped when a bit changes.
  vc::FetchedList signed_revocation;
  vc::FetchedList signed_suspension;
};

class NodeStatusLists;
class NodeSlots;

// A customs submission made ready outside the store's write batch (which runs its bodies one
// after another): the rows' text and the provenance links, so that the batch only executes
// statements.
struct PreparedSubmission {
  struct Provenance {
    std::string id;
    std::string type;
    std::string issuer;
    std::vector<customs::Link> links;
  };
  nlohmann::json receipt;   // the "submission" member of the answer (id and ledger added later)
  std::string outcome;      // RuleOutcome::ToJson, serialized
  std::string credentials;  // the per-credential summary, serialized
  int64_t risk = 0;
  std::string ruleset;
  internal::Value arrival;  // RFC 3339 or NULL
  internal::Value lead;     // seconds or NULL
  std::vector<Provenance> provenance;
};

struct Node::Impl {
  Node* self = nullptr;  // the public face (null in the OpenAPI generator's instance)
  NodeOptions options;
  std::string public_url;
  std::string host_did_prefix;  // "did:web:<host>%3A<port>:organizations:"
  crypto::Csprng& random = crypto::DefaultCsprng();

  std::unique_ptr<internal::Db> db;
  std::optional<Vault> vault;
  std::unique_ptr<ledger::Log> log;
  std::unique_ptr<TokenService> tokens;
  std::unique_ptr<RateLimiter> limiter;
  // Portal sign-in: accounts and sessions, and the stricter limit on password attempts.
  SessionOptions session_options;
  std::unique_ptr<Users> users;
  std::unique_ptr<RateLimiter> login_limiter;          // per account
  std::unique_ptr<RateLimiter> login_address_limiter;  // per client address

  did::LocalDocuments documents;
  std::unique_ptr<net::HttpClient> http;
  std::unique_ptr<did::DefaultResolver> resolver;
  std::unique_ptr<did::KeyCache> keys;
  vc::SchemaRegistry schemas;
  std::unique_ptr<NodeStatusLists> status_lists;
  std::unique_ptr<NodeSlots> slots;
  vc::StatusListCache status_cache;
  vc::VerifierContext verifier;

  // The USMCA assistant: conversations by session id, and their log (data_dir/assist-log.jsonl).
  std::unique_ptr<assist::ConversationLog> assist_log;
  std::unique_ptr<assist::Sessions> assist_sessions;
  std::atomic<int64_t> assist_purged_day{-1};  // the UTC day the log was last purged

  // Organizations, clients and registry history, mirrored from the store. Writes take `mu`
  // exclusively after the store committed.
  mutable std::shared_mutex mu;
  std::map<std::string, Org> orgs;                                      // by slug
  std::map<std::string, std::string> org_by_did;                        // DID -> slug
  std::map<std::string, ClientInfo> clients;                            // by client_id
  std::map<std::string, std::vector<registry::Event>> registry_events;  // by DID

  // Status lists, by org slug (the current pair) and by list URL.
  std::mutex status_mu;
  std::map<std::string, std::map<int64_t, std::unique_ptr<StatusListPair>>> lists;

  std::unique_ptr<Api> api;
  std::unique_ptr<net::HttpServer> server;

  // ---- helpers used by the routes and operations ----
  const Clock* clock = &SystemClock();  // NodeOptions::clock
  Time Now() const;
  std::string NowText() const;
  Result<const Org*> FindOrg(const std::string& slug) const;  // under mu (shared)
  // A copy of organization `slug`; PermissionDenied unless it is a registry authority.
  Result<Org> AuthorityOrg(const std::string& slug) const;
  const OrgKey* SigningKey(const Org& org, std::string_view purpose, jose::KeyType type) const;
  // Records `entry` (a ledger entry object) in the outbox inside the caller's transaction.
  Result<int64_t> QueueAnchor(const nlohmann::json& entry, const std::string& subject);
  // Appends the queued entry `seq` to the ledger and marks it; returns the ledger index. One
  // thread at a time flushes a given seq (the live caller and the background flusher may both
  // try): the other waits, then finds the index recorded, so no entry is appended twice.
  Result<uint64_t> FlushAnchor(int64_t seq);
  std::mutex flushing_mu;
  std::condition_variable flushing_cv;
  std::set<int64_t> flushing;  // seqs being flushed; guarded by flushing_mu
  // FlushAnchor, and when the ledger refuses (pool full, failure), the index is null and the
  // background flusher retries: the change it records is already committed.
  nlohmann::json AnchorNow(int64_t seq);
  Status FlushPendingAnchors();
  // The background flusher of deferred anchors.
  std::thread flusher;
  std::mutex flush_mu;
  std::condition_variable flush_cv;
  bool flush_needed = false;  // guarded by flush_mu
  bool flush_stop = false;    // guarded by flush_mu
  void FlushLoop();
  // Serializes registry changes (check and commit) and key rotations.
  std::mutex registry_mu;
  std::mutex admin_mu;
  Result<StatusListPair*> CurrentListPair(const std::string& slug);               // under status_mu
  Result<StatusListPair*> FindListPair(const std::string& slug, int64_t number);  // status_mu
  Status PersistListPair(const StatusListPair& pair);
  Result<vc::FetchedList> SignedList(StatusListPair& pair, bool suspension);  // status_mu
  std::string ListUrl(const std::string& slug, int64_t number, bool suspension) const;
  Result<nlohmann::json> MakeOrgDocument(const Org& org) const;
  Status LoadState();
  nlohmann::json MetricsExtra() const;

  // OAuth: checks the client's secret and grants the requested scopes (all when empty).
  Result<std::pair<TokenService::Token, std::vector<std::string>>> GrantToken(
      const std::string& client_id, const std::string& secret, const std::string& scope);
  // The trust registry (the authority is the calling organization).
  Result<nlohmann::json> RegistryAdmit(const std::string& authority, const nlohmann::json& request);
  Result<nlohmann::json> RegistryChange(const std::string& authority, const std::string& did,
                                        registry::Action action, const std::string& reason);
  Result<nlohmann::json> RegistryGet(const std::string& did) const;
  Result<nlohmann::json> RegistryFind(const std::string& scheme, const std::string& value) const;
  // Reads for the routes, scoped to the calling organization.
  Result<nlohmann::json> GetCredential(const std::string& org, const std::string& id) const;
  Result<nlohmann::json> GetPresentation(const std::string& org, const std::string& id) const;
  Result<nlohmann::json> ListPresentations(const std::string& org) const;
  // Issues `credential` as `org` (shared by the VC-API and the registry's admissions).
  Result<nlohmann::json> Issue(const std::string& org, nlohmann::json credential,
                               const std::string& securing, bool with_status);
  Result<nlohmann::json> SetCredentialStatus(const std::string& org, const std::string& id,
                                             const std::string& purpose, bool set);

  // Customs (node_customs.cc): the enclosed credentials of a received presentation as the rules
  // see them; the submission's rows (inside the receiving transaction); the officer's reads
  // and decisions; provenance traces. All scoped to the customs organization `org`.
  // CollectCredentials moves the embedded credential documents out of `vp` (it leaves nulls in
  // their place): the caller has verified and stored what it needs of the presentation.
  std::vector<customs::SubmittedCredential> CollectCredentials(
      nlohmann::json& vp, const vc::PresentationReport& report) const;
  PreparedSubmission PrepareSubmission(const std::vector<customs::SubmittedCredential>& creds,
                                       const customs::RuleOutcome& outcome) const;
  Status WriteSubmission(const std::string& org, const std::string& id, const std::string& holder,
                         const std::string& client_id, const std::string& workflow,
                         const PreparedSubmission& prepared, const std::string& now);
  Result<nlohmann::json> ListSubmissions(const std::string& org, const nlohmann::json& query) const;
  Result<nlohmann::json> GetSubmission(const std::string& org, const std::string& id) const;
  Result<nlohmann::json> SubmissionStatus(const std::string& org, const std::string& client_id,
                                          const std::string& id) const;
  Result<nlohmann::json> Decide(const std::string& org, const std::string& officer,
                                const std::string& id, const nlohmann::json& request);
  Result<nlohmann::json> Trace(const std::string& org, const nlohmann::json& query) const;
  // Issues documents of `type` (a built-in schema's type) as `org` from their payloads
  // ({"credentialSubject", and optional id, validFrom, validUntil, name, description}); every
  // payload is checked against the type's schema first and a batch with a bad one issues
  // nothing. `progress(done, total)` after each. When payloads are refused, `problems` (if
  // given) receives them as [{"document", "pointer", "message"}].
  Result<nlohmann::json> IssueDocuments(const std::string& org, const std::string& type,
                                        const std::vector<nlohmann::json>& docs,
                                        const std::string& securing,
                                        const std::function<void(size_t, size_t)>& progress,
                                        nlohmann::json* problems = nullptr);

  void RegisterRoutes(Api& api);

  // The portal (node_portal.cc).
  void RegisterPortalRoutes(Api& api);
  // The holder's wallet (node_wallet.cc).
  void RegisterWalletRoutes(Api& api);
  void MountPortalAssets(net::HttpServer& http_server);
  // A Set-Cookie value for the session cookie (value "" and max age 0 clear it).
  std::string SessionCookie(const std::string& value, int64_t max_age_s) const;
  Result<nlohmann::json> Shipments(const std::string& org) const;
  Result<nlohmann::json> IssuedCredentials(const std::string& org);  // takes status_mu
  Result<nlohmann::json> CheckIssued(const std::string& id) const;
};

void RegisterPortalSchemas(Api& api);
void RegisterWalletSchemas(Api& api);

// The strings of a JSON string or array of strings (other members ignored).
std::vector<std::string> StringArray(const nlohmann::json& v);
// "sha256:<hex>" of `bytes` (the ledger's digest form).
std::string Digest(std::string_view bytes);
// The digest a credential is anchored and held under: of the compact JWT when `jwt` is not
// empty, else of the JCS form of the Data Integrity document `secured`.
Result<std::string> CredentialDigest(const nlohmann::json& secured, std::string_view jwt);

// True when every required check of the presentation itself passed (the enclosed credentials'
// own results aside): the holder's proof, challenge, domain and holder binding.
bool HolderChecksPass(const vc::PresentationReport& report);
// {"types": [{"type", "schema", "title"}]}: the document types the node issues from data.
nlohmann::json DocumentTypes(const vc::SchemaRegistry& schemas);

// Status lists for the verifier: this node's own lists from memory, others over HTTPS when the
// node may use the network.
class NodeStatusLists final : public vc::StatusListResolver {
 public:
  explicit NodeStatusLists(Node::Impl& node) : node_(node) {}
  Result<nlohmann::json> Fetch(std::string_view url) override;
  // This node's own lists come from memory, signed once per change, with their digest.
  Result<vc::FetchedList> FetchList(std::string_view url) override;

 private:
  Node::Impl& node_;
};

// issuer-accredited from the registry, ledger-anchor from the ledger.
class NodeSlots final : public vc::SlotChecker {
 public:
  explicit NodeSlots(Node::Impl& node) : node_(node) {}
  void Fill(const vc::SecuredCredential& credential, vc::VerificationReport& report) const override;

 private:
  Node::Impl& node_;
};

// Route registration without a node (for the OpenAPI document).
void RegisterSchemas(Api& api);

}  // namespace traceport::node

#endif  // TRACEPORT_NODE_INTERNAL_NODE_IMPL_H_
