#include "node/node.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <mutex>
#include <regex>
#include <set>
#include <sstream>

#include "codec/base64.h"
#include "codec/jcs.h"
#include "codec/json.h"
#include "common/log.h"
#include "common/uuid.h"
#include "customs/rules.h"
#include "did/document.h"
#include "did/web.h"
#include "jose/jwk.h"
#include "jsonld/context_registry.h"
#include "ledger/entry.h"
#include "ledger/http_api.h"
#include "ledger/ledger_dir.h"
#include "node/internal/node_impl.h"
#include "node/internal/provenance_index.h"
#include "registry/identifiers.h"
#include "vc/context_loader.h"
#include "vc/issuer.h"
#include "vc/vc_jwt.h"

namespace traceport::node {

using internal::Blob;
using internal::Row;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kFormat = "traceport-node/1";
constexpr std::string_view kApiDescription =
    "Traceport node: organizations with did:web identifiers, OAuth 2.0 client credentials, the "
    "W3C CCG traceability-interop profile, the VC-API, a trust registry of legitimate actors and "
    "the node's tamper-evident ledger.";
constexpr uint64_t kListEntries = vc::kMinStatusListEntries;  // 131,072 per list

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS orgs(
  slug TEXT PRIMARY KEY, did TEXT NOT NULL UNIQUE, name TEXT NOT NULL, roles TEXT NOT NULL,
  created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS org_keys(
  org TEXT NOT NULL REFERENCES orgs(slug), kid TEXT NOT NULL, purpose TEXT NOT NULL,
  type TEXT NOT NULL, public_jwk TEXT NOT NULL, sealed BLOB NOT NULL, active INTEGER NOT NULL,
  created_at TEXT NOT NULL, PRIMARY KEY (org, kid));
CREATE TABLE IF NOT EXISTS secrets(name TEXT PRIMARY KEY, type TEXT NOT NULL, sealed BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS clients(
  client_id TEXT PRIMARY KEY, org TEXT NOT NULL REFERENCES orgs(slug), name TEXT NOT NULL,
  scopes TEXT NOT NULL, salt BLOB NOT NULL, hash BLOB NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS credentials(
  id TEXT PRIMARY KEY, org TEXT NOT NULL REFERENCES orgs(slug), types TEXT NOT NULL,
  media_type TEXT NOT NULL, body TEXT NOT NULL, digest TEXT NOT NULL, list_number INTEGER,
  list_index INTEGER, anchor_seq INTEGER, created_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS credentials_org ON credentials(org);
CREATE TABLE IF NOT EXISTS status_lists(
  org TEXT NOT NULL REFERENCES orgs(slug), number INTEGER NOT NULL, revocation BLOB NOT NULL,
  suspension BLOB NOT NULL, allocator BLOB NOT NULL, PRIMARY KEY (org, number));
CREATE TABLE IF NOT EXISTS presentations(
  org TEXT NOT NULL REFERENCES orgs(slug), id TEXT NOT NULL, holder TEXT NOT NULL,
  client_id TEXT NOT NULL, media_type TEXT NOT NULL, body TEXT NOT NULL, digest TEXT NOT NULL,
  workflow TEXT NOT NULL, replaces TEXT, replaced_by TEXT, report TEXT NOT NULL,
  anchor_seq INTEGER, received_at TEXT NOT NULL, PRIMARY KEY (org, id));
CREATE TABLE IF NOT EXISTS registry(
  did TEXT PRIMARY KEY, authority TEXT NOT NULL, name TEXT NOT NULL, identifiers TEXT NOT NULL,
  roles TEXT NOT NULL, credential_types TEXT NOT NULL, state TEXT NOT NULL,
  credential_id TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS registry_identifiers(
  scheme TEXT NOT NULL, value TEXT NOT NULL, did TEXT NOT NULL REFERENCES registry(did),
  PRIMARY KEY (scheme, value));
CREATE TABLE IF NOT EXISTS registry_events(
  seq INTEGER PRIMARY KEY AUTOINCREMENT, did TEXT NOT NULL, action TEXT NOT NULL,
  at TEXT NOT NULL, credential_types TEXT NOT NULL, reason TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS anchors(
  seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, subject TEXT NOT NULL,
  entry TEXT NOT NULL, ledger_index INTEGER, created_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS anchors_subject ON anchors(kind, subject);
CREATE TABLE IF NOT EXISTS submissions(
  org TEXT NOT NULL REFERENCES orgs(slug), id TEXT NOT NULL, holder TEXT NOT NULL,
  client_id TEXT NOT NULL, workflow TEXT NOT NULL, status TEXT NOT NULL, risk INTEGER NOT NULL,
  ruleset TEXT NOT NULL, outcome TEXT NOT NULL, credentials TEXT NOT NULL, arrival_at TEXT,
  lead_seconds INTEGER, received_at TEXT NOT NULL, updated_at TEXT NOT NULL,
  PRIMARY KEY (org, id));
CREATE INDEX IF NOT EXISTS submissions_queue ON submissions(org, status, risk);
CREATE TABLE IF NOT EXISTS decisions(
  seq INTEGER PRIMARY KEY AUTOINCREMENT, org TEXT NOT NULL, submission_id TEXT NOT NULL,
  decision TEXT NOT NULL, reason TEXT NOT NULL, officer TEXT NOT NULL, ruleset TEXT NOT NULL,
  decided_at TEXT NOT NULL, anchor_seq INTEGER);
CREATE INDEX IF NOT EXISTS decisions_submission ON decisions(org, submission_id);
CREATE TABLE IF NOT EXISTS held_credentials(
  org TEXT NOT NULL REFERENCES orgs(slug), digest TEXT NOT NULL, credential_id TEXT NOT NULL,
  types TEXT NOT NULL, issuer TEXT NOT NULL, media_type TEXT NOT NULL, body TEXT NOT NULL,
  verified INTEGER NOT NULL, report TEXT NOT NULL, label TEXT NOT NULL,
  received_from TEXT NOT NULL, received_at TEXT NOT NULL, submitted_in TEXT,
  PRIMARY KEY (org, digest));
)sql";

Status WriteFileAtomic(const fs::path& path, const std::string& contents, mode_t mode) {
  const fs::path tmp = path.string() + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return InternalError("cannot create " + tmp.string());
  const bool ok =
      ::write(fd, contents.data(), contents.size()) == static_cast<ssize_t>(contents.size()) &&
      ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return InternalError("cannot write " + tmp.string());
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return InternalError("cannot rename " + tmp.string() + ": " + ec.message());
  return Status::Ok();
}

Result<json> ReadJsonFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError("cannot read " + path.string());
  std::stringstream ss;
  ss << in.rdbuf();
  Result<json> j = codec::ParseJson(ss.str());
  if (!j.ok()) return DataLossError(path.string() + ": " + std::string(j.status().message()));
  return j;
}

std::string JoinScopes(const std::vector<std::string>& scopes) {
  std::string out;
  for (const std::string& s : scopes) out += (out.empty() ? "" : " ") + s;
  return out;
}

std::vector<std::string> SplitScopes(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : text) {
    if (c == ' ') {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

std::string TypeName(jose::KeyType t) { return std::string(jose::KeyTypeName(t)); }

bool ValidSlug(const std::string& slug) {
  static const std::regex re("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$");
  return std::regex_match(slug, re);
}

}  // namespace

std::string Digest(std::string_view bytes) { return ledger::DigestOf(bytes); }

// The digest a credential is anchored under: of the compact JWT, or of the JCS form of a Data
// Integrity document (so that re-serializing the JSON does not change it).
Result<std::string> CredentialDigest(const json& secured, std::string_view jwt) {
  if (!jwt.empty()) return Digest(jwt);
  ASSIGN_OR_RETURN(std::string canonical, codec::Canonicalize(secured));
  return Digest(canonical);
}

std::vector<std::string> StringArray(const json& v) {
  std::vector<std::string> out;
  if (v.is_string()) out.push_back(v.get<std::string>());
  if (v.is_array()) {
    for (const json& e : v) {
      if (e.is_string()) out.push_back(e.get<std::string>());
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Small pieces

bool Org::HasRole(std::string_view role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

json Org::ToJson(const std::string& public_url) const {
  json keys_json = json::array();
  for (const OrgKey& k : keys) {
    keys_json.push_back({{"id", k.kid},
                         {"purpose", k.purpose},
                         {"type", std::string(jose::KeyTypeName(k.type))},
                         {"active", k.active}});
  }
  return {{"slug", slug},
          {"did", did},
          {"name", name},
          {"roles", roles},
          {"createdAt", created_at},
          {"didDocumentUrl", public_url + "/organizations/" + slug + "/did.json"},
          {"serviceEndpoint", public_url},
          {"keys", keys_json}};
}

json ClientCredentials::ToJson() const {
  return {
      {"client_id", client_id}, {"client_secret", client_secret}, {"org", org}, {"scopes", scopes}};
}

Time Node::Impl::Now() const { return clock->Now(); }

std::string Node::Impl::NowText() const {
  auto t = FormatRfc3339(Now(), TimePrecision::kMillis);
  return t.ok() ? *t : std::string();
}

Result<const Org*> Node::Impl::FindOrg(const std::string& slug) const {
  auto it = orgs.find(slug);
  if (it == orgs.end()) return NotFoundError("no organization \"" + slug + "\" on this node");
  return &it->second;
}

const OrgKey* Node::Impl::SigningKey(const Org& org, std::string_view purpose,
                                     jose::KeyType type) const {
  for (auto it = org.keys.rbegin(); it != org.keys.rend(); ++it) {
    if (it->active && it->purpose == purpose && it->type == type) return &*it;
  }
  return nullptr;
}

std::string Node::Impl::ListUrl(const std::string& slug, int64_t number, bool suspension) const {
  return public_url + "/status/" + slug + "/" + (suspension ? "suspension-" : "revocation-") +
         std::to_string(number);
}

// ---------------------------------------------------------------------------------------------
// Ledger anchoring: an outbox in the node's store, flushed to the ledger right after the
// transaction that queued it; whatever a crash left unflushed is flushed at the next start.

Result<int64_t> Node::Impl::QueueAnchor(const json& entry, const std::string& subject) {
  ASSIGN_OR_RETURN(std::string canonical, ledger::CanonicalEntry(entry));
  RETURN_IF_ERROR(db->Exec("INSERT INTO anchors(kind, subject, entry, created_at) VALUES(?,?,?,?)",
                           {entry.value("type", ""), subject, canonical, NowText()})
                      .status());
  ASSIGN_OR_RETURN(auto row, db->QueryOne("SELECT last_insert_rowid()"));
  return row->Int(0);
}

Result<uint64_t> Node::Impl::FlushAnchor(int64_t seq) {
  {
    std::unique_lock<std::mutex> lock(flushing_mu);
    flushing_cv.wait(lock, [&] { return !flushing.contains(seq); });
    flushing.insert(seq);
  }
  struct Release {
    Impl& n;
    int64_t seq;
    ~Release() {
      {
        std::lock_guard<std::mutex> lock(n.flushing_mu);
        n.flushing.erase(seq);
      }
      n.flushing_cv.notify_all();
    }
  } release{*this, seq};
  // The transaction that queued the anchor has committed: a reader connection sees it.
  ASSIGN_OR_RETURN(
      auto row, db->ReadCommittedOne("SELECT entry, ledger_index FROM anchors WHERE seq=?", {seq}));
  if (!row) return NotFoundError("no queued anchor " + std::to_string(seq));
  if (!row->IsNull(1)) return static_cast<uint64_t>(row->Int(1));
  ASSIGN_OR_RETURN(uint64_t index, log->AppendCanonical(row->Text(0)));
  // Through the store's group commit, so that concurrent anchors share one commit (and one
  // fsync) instead of each taking its own. Should this update be lost, the entry is already on
  // the ledger, and FlushPendingAnchors finds it there and records its index.
  RETURN_IF_ERROR(db->Transaction([&]() -> Status {
    return db
        ->Exec("UPDATE anchors SET ledger_index=? WHERE seq=?", {static_cast<int64_t>(index), seq})
        .status();
  }));
  return index;
}

json Node::Impl::AnchorNow(int64_t seq) {
  Result<uint64_t> index = FlushAnchor(seq);
  if (index.ok()) return *index;
  // The change itself is committed; its anchor stays queued and the flusher retries it.
  log::Warn("node.anchor_deferred", {{"seq", static_cast<long long>(seq)},
                                     {"error", std::string(index.status().message())}});
  {
    std::lock_guard<std::mutex> lock(flush_mu);
    flush_needed = true;
  }
  flush_cv.notify_one();
  return nullptr;
}

void Node::Impl::FlushLoop() {
  std::unique_lock<std::mutex> lock(flush_mu);
  while (!flush_stop) {
    flush_cv.wait_for(lock, std::chrono::seconds(1), [this] { return flush_stop || flush_needed; });
    if (flush_stop || !flush_needed) continue;
    flush_needed = false;
    lock.unlock();
    Status s = FlushPendingAnchors();
    lock.lock();
    if (!s.ok()) {
      flush_needed = true;  // try again in a second
      log::Warn("node.anchor_flush_failed", {{"error", std::string(s.message())}});
    }
  }
}

Status Node::Impl::FlushPendingAnchors() {
  ASSIGN_OR_RETURN(auto rows, db->Query("SELECT seq, entry FROM anchors WHERE ledger_index IS "
                                        "NULL ORDER BY seq"));
  if (rows.empty()) return Status::Ok();
  // An anchor may have reached the ledger just before a crash kept its index from being
  // recorded: look for it among the entries after the last recorded index before appending.
  ASSIGN_OR_RETURN(auto last, db->QueryOne("SELECT MAX(ledger_index) FROM anchors"));
  const uint64_t from = last && !last->IsNull(0) ? static_cast<uint64_t>(last->Int(0)) + 1 : 0;
  std::map<std::string, uint64_t> tail;
  for (uint64_t i = from; i < log->Size(); ++i) {
    ASSIGN_OR_RETURN(std::string entry, log->Entry(i));
    tail.emplace(std::move(entry), i);
  }
  size_t found = 0;
  for (const Row& r : rows) {
    auto it = tail.find(r.Text(1));
    if (it != tail.end()) {
      RETURN_IF_ERROR(db->Exec("UPDATE anchors SET ledger_index=? WHERE seq=?",
                               {static_cast<int64_t>(it->second), r.Int(0)})
                          .status());
      ++found;
      continue;
    }
    RETURN_IF_ERROR(FlushAnchor(r.Int(0)).status());
  }
  log::Info("node.anchors_flushed", {{"count", rows.size()}, {"already_on_ledger", found}});
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// Status lists

Status Node::Impl::PersistListPair(const StatusListPair& pair) {
  return db
      ->Exec(
          "INSERT INTO status_lists(org, number, revocation, suspension, allocator) "
          "VALUES(?,?,?,?,?) ON CONFLICT(org, number) DO UPDATE SET "
          "revocation=excluded.revocation, suspension=excluded.suspension, "
          "allocator=excluded.allocator",
          {pair.org, pair.number, Blob{pair.revocation.bytes()}, Blob{pair.suspension.bytes()},
           Blob{pair.allocator.Serialize()}})
      .status();
}

Result<StatusListPair*> Node::Impl::FindListPair(const std::string& slug, int64_t number) {
  auto known = lists.find(slug);
  if (known != lists.end()) {
    auto it = known->second.find(number);
    if (it != known->second.end()) return it->second.get();
  }
  ASSIGN_OR_RETURN(auto row, db->QueryOne("SELECT revocation, suspension, allocator FROM "
                                          "status_lists WHERE org=? AND number=?",
                                          {slug, number}));
  if (!row) return NotFoundError("no status list " + std::to_string(number) + " for " + slug);
  ASSIGN_OR_RETURN(vc::Bitstring rev, vc::Bitstring::FromBytes(row->Bytes(0)));
  ASSIGN_OR_RETURN(vc::Bitstring sus, vc::Bitstring::FromBytes(row->Bytes(1)));
  const std::vector<uint8_t> alloc_bytes = row->Bytes(2);
  ASSIGN_OR_RETURN(vc::IndexAllocator alloc, vc::IndexAllocator::Deserialize(alloc_bytes));
  // The stored allocator is only written with the bitstrings (a new list, a status change); the
  // indices issued since are those of the credentials rows, which are the record.
  ASSIGN_OR_RETURN(auto issued, db->Query("SELECT list_index FROM credentials WHERE org=? AND "
                                          "list_number=? AND list_index IS NOT NULL",
                                          {slug, number}));
  for (const internal::Row& r : issued) {
    const int64_t index = r.Int(0);
    const Status s = index < 0 ? OutOfRangeError("negative index")
                               : alloc.MarkUsed(static_cast<uint64_t>(index));
    if (!s.ok() && s.code() != StatusCode::kAlreadyExists) {
      return DataLossError("status list " + std::to_string(number) + " of " + slug +
                           ": a credential holds index " + std::to_string(index) + ": " +
                           std::string(s.message()));
    }
  }
  auto pair = std::make_unique<StatusListPair>(
      StatusListPair{slug, number, std::move(rev), std::move(sus), std::move(alloc), {}, {}});
  StatusListPair* out = pair.get();
  lists[slug][number] = std::move(pair);  // only for lists that exist
  return out;
}

Result<StatusListPair*> Node::Impl::CurrentListPair(const std::string& slug) {
  ASSIGN_OR_RETURN(auto row,
                   db->QueryOne("SELECT MAX(number) FROM status_lists WHERE org=?", {slug}));
  int64_t number = row && !row->IsNull(0) ? row->Int(0) : 0;
  if (number > 0) {
    ASSIGN_OR_RETURN(StatusListPair * pair, FindListPair(slug, number));
    if (pair->allocator.remaining() > 0) return pair;
  }
  ++number;
  ASSIGN_OR_RETURN(vc::Bitstring rev, vc::Bitstring::Create(kListEntries));
  ASSIGN_OR_RETURN(vc::Bitstring sus, vc::Bitstring::Create(kListEntries));
  ASSIGN_OR_RETURN(vc::IndexAllocator alloc, vc::IndexAllocator::Create(kListEntries));
  auto pair = std::make_unique<StatusListPair>(
      StatusListPair{slug, number, std::move(rev), std::move(sus), std::move(alloc), {}, {}});
  RETURN_IF_ERROR(PersistListPair(*pair));
  StatusListPair* out = pair.get();
  lists[slug][number] = std::move(pair);
  return out;
}

Result<vc::FetchedList> Node::Impl::SignedList(StatusListPair& pair, bool suspension) {
  vc::FetchedList& cached = suspension ? pair.signed_suspension : pair.signed_revocation;
  if (cached.credential != nullptr) return cached;
  std::shared_lock<std::shared_mutex> lock(mu);
  ASSIGN_OR_RETURN(const Org* org, FindOrg(pair.org));
  const OrgKey* key = SigningKey(*org, "assertionMethod", jose::KeyType::kP256);
  if (key == nullptr) return FailedPreconditionError(pair.org + " has no P-256 assertion key");
  vc::StatusListCredentialOptions o;
  o.id = ListUrl(pair.org, pair.number, suspension);
  o.issuer = org->did;
  o.valid_from = Now();
  o.purposes = {suspension ? "suspension" : "revocation"};
  ASSIGN_OR_RETURN(json unsigned_list,
                   vc::MakeStatusListCredential(o, suspension ? pair.suspension : pair.revocation));
  vc::IssueOptions io;
  io.securing = {vc::Securing::kEcdsaJcs2019, std::nullopt};
  io.issuer = org->did;
  io.verification_method = key->kid;
  io.now = Now();
  io.random = &random;
  ASSIGN_OR_RETURN(vc::Secured secured, vc::IssueCredential(unsigned_list, *key->key, io));
  cached.digest = vc::StatusListDigest(secured.secured);
  cached.credential = std::make_shared<const json>(std::move(secured.secured));
  return cached;
}

Result<json> NodeStatusLists::Fetch(std::string_view url) {
  ASSIGN_OR_RETURN(vc::FetchedList list, FetchList(url));
  return *list.credential;
}

Result<vc::FetchedList> NodeStatusLists::FetchList(std::string_view url) {
  const std::string prefix = node_.public_url + "/status/";
  if (url.rfind(prefix, 0) == 0) {
    std::string rest(url.substr(prefix.size()));
    const size_t slash = rest.find('/');
    if (slash != std::string::npos) {
      const std::string slug = rest.substr(0, slash);
      const std::string name = rest.substr(slash + 1);
      const bool suspension = name.rfind("suspension-", 0) == 0;
      const bool revocation = name.rfind("revocation-", 0) == 0;
      if (suspension || revocation) {
        const std::string num = name.substr(name.find('-') + 1);
        if (!num.empty() && num.size() < 10 &&
            std::all_of(num.begin(), num.end(), [](char c) { return c >= '0' && c <= '9'; })) {
          std::lock_guard<std::mutex> lock(node_.status_mu);
          ASSIGN_OR_RETURN(StatusListPair * pair, node_.FindListPair(slug, std::stoll(num)));
          return node_.SignedList(*pair, suspension);
        }
      }
    }
    return NotFoundError(std::string("no status list at ") + std::string(url));
  }
  if (!node_.http) {
    return NotFoundError("status list " + std::string(url) +
                         " is on another node and this node does not use the network");
  }
  net::FetchOptions o;
  o.https_only = true;
  o.max_bytes = 8 << 20;
  o.timeout = std::chrono::milliseconds(10000);
  o.max_redirects = 0;
  o.accept = "application/vc+ld+json, application/vc, application/json";
  ASSIGN_OR_RETURN(net::HttpResponse resp, node_.http->Get(url, o));
  if (resp.status != 200) {
    return UnavailableError(std::string(url) + " answered HTTP " + std::to_string(resp.status));
  }
  ASSIGN_OR_RETURN(json remote, codec::ParseJson(resp.body));
  vc::FetchedList out;
  out.digest = vc::StatusListDigest(remote);
  out.credential = std::make_shared<const json>(std::move(remote));
  return out;
}

// ---------------------------------------------------------------------------------------------
// The verifier's slots: issuer-accredited from the registry, ledger-anchor from the ledger.

void NodeSlots::Fill(const vc::SecuredCredential& c, vc::VerificationReport& r) const {
  const json& doc = *c.document;
  const std::string id =
      doc.contains("id") && doc["id"].is_string() ? doc["id"].get<std::string>() : std::string();
  std::optional<Time> anchored_at;
  // ledger-anchor
  Result<std::optional<Row>> anchor =
      id.empty() ? Result<std::optional<Row>>(std::optional<Row>())
                 : node_.db->ReadCommittedOne(
                       "SELECT entry, ledger_index FROM anchors WHERE "
                       "kind='credential.anchor' AND subject=? ORDER BY seq LIMIT 1",
                       {id});
  if (!anchor.ok()) {
    r.Fail(vc::kCheckLedgerAnchor,
           "the ledger could not be read: " + std::string(anchor.status().message()));
  } else if (!anchor->has_value()) {
    r.NotApplicable(vc::kCheckLedgerAnchor, "the credential is not anchored on this node's ledger");
  } else {
    const Row& row = **anchor;
    Result<json> entry = codec::ParseJson(row.Text(0));
    std::string digest;
    if (!c.jwt.empty()) {
      digest = Digest(c.jwt);
    } else if (!c.canonical.empty()) {
      digest = Digest(c.canonical);
    } else if (c.full_json != nullptr) {
      auto d = CredentialDigest(*c.full_json, "");
      if (d.ok()) digest = *d;
    } else if (!c.json_text.empty()) {
      auto parsed = codec::ParseJson(c.json_text);
      if (parsed.ok()) {
        auto d = CredentialDigest(*parsed, "");
        if (d.ok()) digest = *d;
      }
    }
    if (!entry.ok() || row.IsNull(1)) {
      r.Fail(vc::kCheckLedgerAnchor, "the credential's anchor has not reached the ledger yet");
    } else if (digest.empty() || (*entry).value("digest", "") != digest) {
      r.Fail(vc::kCheckLedgerAnchor,
             "the credential differs from the one anchored at ledger index " +
                 std::to_string(row.Int(1)));
    } else {
      r.Pass(vc::kCheckLedgerAnchor, "anchored at ledger index " + std::to_string(row.Int(1)) +
                                         " (" + (*entry).value("recorded_at", "") + ")");
      auto t = ParseRfc3339((*entry).value("recorded_at", ""));
      if (t.ok()) anchored_at = *t;
    }
  }
  // issuer-accredited
  std::shared_lock<std::shared_mutex> lock(node_.mu);
  bool have_authority = false;
  for (const auto& [slug, org] : node_.orgs) {
    if (org.HasRole("registry-authority")) have_authority = true;
  }
  if (!have_authority) {
    r.NotApplicable(vc::kCheckIssuerAccredited, "this node has no registry authority");
    return;
  }
  std::string issuer;
  if (doc.contains("issuer")) issuer = vc::PartyId(doc["issuer"]).value_or("");
  // The registry authorities of this node are its trust anchors: what they issue (admissions,
  // their own documents) is accredited by definition.
  auto local = node_.org_by_did.find(issuer);
  if (local != node_.org_by_did.end()) {
    auto org = node_.orgs.find(local->second);
    if (org != node_.orgs.end() && org->second.HasRole("registry-authority")) {
      r.Pass(vc::kCheckIssuerAccredited,
             "the issuer is a registry authority of this node (a trust anchor)");
      return;
    }
  }
  auto it = node_.registry_events.find(issuer);
  if (it == node_.registry_events.end()) {
    r.Fail(vc::kCheckIssuerAccredited, "the issuer " + issuer + " is not in the trust registry");
    return;
  }
  // When was it issued? The ledger's anchor time when the credential is anchored here (the
  // issuer cannot backdate it); otherwise the credential's own validFrom / issuanceDate.
  Time issued = node_.Now();
  std::string basis = "verification time";
  if (anchored_at) {
    issued = *anchored_at;
    basis = "ledger anchor time";
  } else {
    for (const char* member : {"validFrom", "issuanceDate"}) {
      if (doc.contains(member) && doc[member].is_string()) {
        auto t = ParseRfc3339(doc[member].get<std::string>());
        if (t.ok()) {
          issued = *t;
          basis = member;
          break;
        }
      }
    }
  }
  const std::vector<std::string> types = StringArray(doc.value("type", json()));
  registry::Accreditation a = registry::AccreditedAt(it->second, types, issued);
  if (a.accredited) {
    r.Pass(vc::kCheckIssuerAccredited, a.reason + " (by " + basis + ")");
  } else {
    r.Fail(vc::kCheckIssuerAccredited, a.reason + " (by " + basis + ")");
  }
}

// ---------------------------------------------------------------------------------------------
// Organizations and keys

Result<json> Node::Impl::MakeOrgDocument(const Org& org) const {
  json vms = json::array();
  json assertion = json::array();
  json authentication = json::array();
  for (const OrgKey& k : org.keys) {
    const std::string fragment = k.kid.substr(k.kid.find('#') + 1);
    vms.push_back(did::MakeVerificationMethod(org.did, fragment, k.key->public_key(),
                                              did::KeyFormat::kJsonWebKey));
    (k.purpose == "authentication" ? authentication : assertion).push_back(k.kid);
  }
  json doc = {{"@context",
               json::array({std::string(did::kDidContextV1), "https://w3id.org/security/jwk/v1"})},
              {"id", org.did},
              {"verificationMethod", vms},
              {"assertionMethod", assertion},
              {"authentication", authentication},
              {"service", json::array({{{"id", org.did + "#traceability-api"},
                                        {"type", "TraceabilityAPI"},
                                        {"serviceEndpoint", public_url}}})}};
  RETURN_IF_ERROR(did::ValidateDocument(doc, org.did));
  return doc;
}

Status Node::Impl::LoadState() {
  ASSIGN_OR_RETURN(auto org_rows,
                   db->Query("SELECT slug, did, name, roles, created_at FROM orgs ORDER BY slug"));
  std::map<std::string, Org> loaded;
  for (const Row& r : org_rows) {
    Org o;
    o.slug = r.Text(0);
    o.did = r.Text(1);
    o.name = r.Text(2);
    ASSIGN_OR_RETURN(json roles, codec::ParseJson(r.Text(3)));
    o.roles = StringArray(roles);
    o.created_at = r.Text(4);
    ASSIGN_OR_RETURN(auto key_rows,
                     db->Query("SELECT kid, purpose, type, sealed, active FROM org_keys WHERE "
                               "org=? ORDER BY rowid",
                               {o.slug}));
    for (const Row& k : key_rows) {
      ASSIGN_OR_RETURN(jose::KeyType type, jose::ParseKeyType(k.Text(2)));
      const std::string kid = k.Text(0);
      ASSIGN_OR_RETURN(jose::PrivateKey key,
                       vault->OpenKey(type, k.Bytes(3), "org-key:" + o.slug + ":" + kid));
      o.keys.push_back({kid, k.Text(1), type,
                        std::make_shared<const jose::PrivateKey>(std::move(key)), k.Int(4) != 0});
    }
    ASSIGN_OR_RETURN(o.did_document, MakeOrgDocument(o));
    RETURN_IF_ERROR(documents.Put(o.did_document));
    loaded.emplace(o.slug, std::move(o));
  }
  ASSIGN_OR_RETURN(auto client_rows,
                   db->Query("SELECT client_id, org, scopes, salt, hash FROM clients"));
  std::map<std::string, ClientInfo> loaded_clients;
  for (const Row& r : client_rows) {
    loaded_clients[r.Text(0)] = {r.Text(1), SplitScopes(r.Text(2)), {r.Bytes(3), r.Bytes(4)}};
  }
  ASSIGN_OR_RETURN(auto event_rows,
                   db->Query("SELECT did, action, at, credential_types, reason FROM "
                             "registry_events ORDER BY seq"));
  std::map<std::string, std::vector<registry::Event>> events;
  for (const Row& r : event_rows) {
    registry::Event e;
    ASSIGN_OR_RETURN(e.action, registry::ParseAction(r.Text(1)));
    ASSIGN_OR_RETURN(e.at, ParseRfc3339(r.Text(2)));
    ASSIGN_OR_RETURN(json types, codec::ParseJson(r.Text(3)));
    e.credential_types = StringArray(types);
    e.reason = r.Text(4);
    events[r.Text(0)].push_back(std::move(e));
  }
  std::unique_lock<std::shared_mutex> lock(mu);
  orgs = std::move(loaded);
  org_by_did.clear();
  for (const auto& [slug, o] : orgs) org_by_did[o.did] = slug;
  clients = std::move(loaded_clients);
  registry_events = std::move(events);
  return Status::Ok();
}

namespace {

// Generates a key for `org`, seals it and inserts the row (inside the caller's transaction).
Result<OrgKey> NewOrgKey(Node::Impl& n, const std::string& slug, const std::string& did,
                         const std::string& purpose, jose::KeyType type) {
  ASSIGN_OR_RETURN(jose::PrivateKey key, jose::PrivateKey::Generate(type, n.random));
  const std::string kid = did + "#" + jose::Thumbprint(key.public_key());
  ASSIGN_OR_RETURN(std::vector<uint8_t> sealed,
                   n.vault->SealKey(key, "org-key:" + slug + ":" + kid, n.random));
  RETURN_IF_ERROR(
      n.db->Exec("INSERT INTO org_keys(org, kid, purpose, type, public_jwk, sealed, "
                 "active, created_at) VALUES(?,?,?,?,?,?,1,?)",
                 {slug, kid, purpose, TypeName(type), jose::PublicKeyToJwk(key.public_key()).dump(),
                  Blob{sealed}, n.NowText()})
          .status());
  return OrgKey{kid, purpose, type, std::make_shared<const jose::PrivateKey>(std::move(key)), true};
}

}  // namespace

Result<json> Node::CreateOrganization(const OrganizationSpec& spec) {
  Impl& n = *impl_;
  if (!ValidSlug(spec.slug)) {
    return InvalidArgumentError("organization slug \"" + spec.slug +
                                "\" must be 1-63 lowercase letters, digits and inner hyphens");
  }
  if (spec.name.empty() || spec.name.size() > 200) {
    return InvalidArgumentError("organization name must be 1-200 characters");
  }
  for (const std::string& role : spec.roles) {
    if (!registry::IsKnownRole(role)) {
      std::string known;
      for (auto r : registry::KnownRoles()) known += (known.empty() ? "" : ", ") + std::string(r);
      return InvalidArgumentError("unknown role \"" + role + "\" (known: " + known + ")");
    }
  }
  Org org;
  org.slug = spec.slug;
  org.did = n.host_did_prefix + spec.slug;
  org.name = spec.name;
  org.roles = spec.roles;
  org.created_at = n.NowText();
  RETURN_IF_ERROR(n.db->Transaction([&]() -> Status {
    Result<int64_t> ins =
        n.db->Exec("INSERT INTO orgs(slug, did, name, roles, created_at) VALUES(?,?,?,?,?)",
                   {org.slug, org.did, org.name, json(org.roles).dump(), org.created_at});
    if (!ins.ok() && ins.status().code() == StatusCode::kAlreadyExists) {
      return AlreadyExistsError("organization \"" + spec.slug + "\" already exists");
    }
    RETURN_IF_ERROR(ins.status());
    for (auto [purpose, type] : {std::pair{"assertionMethod", jose::KeyType::kP256},
                                 std::pair{"assertionMethod", jose::KeyType::kEd25519},
                                 std::pair{"authentication", jose::KeyType::kP256},
                                 std::pair{"authentication", jose::KeyType::kEd25519}}) {
      ASSIGN_OR_RETURN(OrgKey k, NewOrgKey(n, org.slug, org.did, purpose, type));
      org.keys.push_back(std::move(k));
    }
    return Status::Ok();
  }));
  ASSIGN_OR_RETURN(org.did_document, n.MakeOrgDocument(org));
  RETURN_IF_ERROR(n.documents.Put(org.did_document));
  json out = org.ToJson(n.public_url);
  out["didDocument"] = org.did_document;
  {
    std::unique_lock<std::shared_mutex> lock(n.mu);
    n.org_by_did[org.did] = org.slug;
    n.orgs.emplace(org.slug, std::move(org));
  }
  log::Info("node.organization_created", {{"org", spec.slug}});
  return out;
}

Result<json> Node::ListOrganizations() const {
  std::shared_lock<std::shared_mutex> lock(impl_->mu);
  json out = json::array();
  for (const auto& [slug, org] : impl_->orgs) out.push_back(org.ToJson(impl_->public_url));
  return out;
}

Result<ClientCredentials> Node::CreateClient(const std::string& org, const std::string& name,
                                             const std::vector<std::string>& scopes) {
  Impl& n = *impl_;
  {
    std::shared_lock<std::shared_mutex> lock(n.mu);
    RETURN_IF_ERROR(n.FindOrg(org).status());
  }
  if (scopes.empty()) return InvalidArgumentError("a client needs at least one scope");
  std::set<std::string> unique;
  for (const std::string& s : scopes) {
    if (!IsKnownScope(s)) return InvalidArgumentError("unknown scope \"" + s + "\"");
    unique.insert(s);
  }
  if (name.size() > 200) return InvalidArgumentError("client name must be at most 200 characters");
  ClientCredentials c;
  c.client_id = "tpc_" + Uuid::NewV4(n.random).ToString();
  c.client_secret = NewClientSecret(n.random);
  c.org = org;
  c.scopes.assign(unique.begin(), unique.end());
  HashedSecret hs = HashClientSecret(c.client_secret, n.random);
  RETURN_IF_ERROR(n.db->Exec("INSERT INTO clients(client_id, org, name, scopes, salt, hash, "
                             "created_at) VALUES(?,?,?,?,?,?,?)",
                             {c.client_id, org, name, JoinScopes(c.scopes), Blob{hs.salt},
                              Blob{hs.hash}, n.NowText()})
                      .status());
  {
    std::unique_lock<std::shared_mutex> lock(n.mu);
    n.clients[c.client_id] = {org, c.scopes, std::move(hs)};
  }
  log::Info("node.client_created", {{"org", org}, {"client_id", c.client_id}});
  return c;
}

Result<json> Node::AddUser(const UserSpec& spec) {
  const UserRoleInfo* info = nullptr;
  for (const UserRoleInfo& r : AllUserRoles()) {
    if (r.role == spec.role) info = &r;
  }
  {
    std::shared_lock<std::shared_mutex> lock(impl_->mu);
    ASSIGN_OR_RETURN(const Org* org, impl_->FindOrg(spec.org));
    if (info != nullptr && !info->org_role.empty() && !org->HasRole(info->org_role)) {
      return FailedPreconditionError(
          "a " + std::string(info->name) + " belongs to an organization with the role " +
          std::string(info->org_role) + "; " + spec.org + " does not have it");
    }
  }
  ASSIGN_OR_RETURN(User u, impl_->users->Add(spec));
  log::Info("user.created", {{"user", u.ClientId()}, {"role", std::string(UserRoleName(u.role))}});
  return u.ToJson();
}

Result<json> Node::ListUsers(const std::string& org) const {
  {
    std::shared_lock<std::shared_mutex> lock(impl_->mu);
    RETURN_IF_ERROR(impl_->FindOrg(org).status());
  }
  ASSIGN_OR_RETURN(std::vector<User> users, impl_->users->List(org));
  json out = json::array();
  for (const User& u : users) out.push_back(u.ToJson());
  return json{{"users", out}};
}

Result<json> Node::RotateKey(const std::string& slug, const std::string& purpose) {
  Impl& n = *impl_;
  if (purpose != "assertionMethod" && purpose != "authentication") {
    return InvalidArgumentError("purpose must be assertionMethod or authentication");
  }
  std::lock_guard<std::mutex> admin_lock(n.admin_mu);  // one rotation at a time
  Org copy;
  {
    std::shared_lock<std::shared_mutex> lock(n.mu);
    ASSIGN_OR_RETURN(const Org* org, n.FindOrg(slug));
    copy = *org;
  }
  std::vector<json> rotated;
  std::vector<int64_t> seqs;
  RETURN_IF_ERROR(n.db->Transaction([&]() -> Status {
    std::vector<OrgKey> fresh_keys;  // appended after the loop (it iterates copy.keys)
    for (OrgKey& k : copy.keys) {
      if (!k.active || k.purpose != purpose) continue;
      ASSIGN_OR_RETURN(OrgKey fresh, NewOrgKey(n, slug, copy.did, purpose, k.type));
      RETURN_IF_ERROR(
          n.db->Exec("UPDATE org_keys SET active=0 WHERE org=? AND kid=?", {slug, k.kid}).status());
      json entry = ledger::KeyRotated(copy.did, purpose, k.kid, fresh.kid, n.NowText());
      ASSIGN_OR_RETURN(int64_t seq, n.QueueAnchor(entry, copy.did));
      seqs.push_back(seq);
      rotated.push_back({{"previous", k.kid}, {"new", fresh.kid}, {"type", TypeName(k.type)}});
      k.active = false;
      fresh_keys.push_back(std::move(fresh));
    }
    for (OrgKey& k : fresh_keys) copy.keys.push_back(std::move(k));
    return Status::Ok();
  }));
  ASSIGN_OR_RETURN(copy.did_document, n.MakeOrgDocument(copy));
  RETURN_IF_ERROR(n.documents.Put(copy.did_document));
  {
    std::unique_lock<std::shared_mutex> lock(n.mu);
    n.orgs[slug] = copy;
  }
  n.keys->Clear();
  {
    // Lists signed with the retired key are re-signed on their next fetch.
    std::lock_guard<std::mutex> lock(n.status_mu);
    for (auto& [num, pair] : n.lists[slug]) {
      pair->signed_revocation = vc::FetchedList();
      pair->signed_suspension = vc::FetchedList();
    }
  }
  json indices = json::array();
  for (int64_t seq : seqs) indices.push_back(n.AnchorNow(seq));
  log::Info("node.key_rotated", {{"org", slug}, {"purpose", purpose}});
  return json{{"rotated", rotated}, {"ledgerIndices", indices}, {"didDocument", copy.did_document}};
}

// ---------------------------------------------------------------------------------------------
// Credentials

Result<json> Node::Impl::Issue(const std::string& slug, json credential,
                               const std::string& securing, bool with_status) {
  if (!credential.is_object()) return InvalidArgumentError("/credential: expected an object");
  ASSIGN_OR_RETURN(vc::SecuringChoice choice,
                   vc::ParseSecuring(securing.empty() ? "vc-jwt" : securing));
  Org org;
  {
    std::shared_lock<std::shared_mutex> lock(mu);
    ASSIGN_OR_RETURN(const Org* o, FindOrg(slug));
    org = *o;
  }
  const jose::KeyType type = (choice.securing == vc::Securing::kEddsaJcs2022 ||
                              choice.securing == vc::Securing::kEddsaRdfc2022)
                                 ? jose::KeyType::kEd25519
                                 : jose::KeyType::kP256;
  const OrgKey* key = SigningKey(org, "assertionMethod", type);
  if (key == nullptr) return FailedPreconditionError(slug + " has no active key for " + securing);
  if (credential.contains("issuer")) {
    if (vc::PartyId(credential["issuer"]).value_or("") != org.did) {
      return PermissionDeniedError(
          "/credential/issuer: an organization can only issue as itself (" + org.did + ")");
    }
  } else {
    credential["issuer"] = org.did;
  }
  if (credential.contains("id")) {
    const json& id = credential["id"];
    Result<Uuid> uuid = id.is_string() && id.get<std::string>().rfind("urn:uuid:", 0) == 0
                            ? Uuid::Parse(id.get<std::string>().substr(9))
                            : Result<Uuid>(InvalidArgumentError("not a urn:uuid"));
    if (!uuid.ok() || uuid->version() != 4) {
      return InvalidArgumentError(
          "/credential/id: must be urn:uuid: and a version 4 UUID "
          "(the traceability profile's rule); or leave it out");
    }
  } else {
    credential["id"] = "urn:uuid:" + Uuid::NewV4(random).ToString();
  }
  const std::string id = credential["id"].get<std::string>();
  if (with_status && credential.contains("credentialStatus")) {
    return InvalidArgumentError(
        "/credential/credentialStatus: the node assigns status entries; "
        "leave it out or set options.credentialStatus to false");
  }
  // The index is allocated under the status-list lock and the lock let go at once: signing,
  // the schema check and the commit run without it, so that concurrent issuers overlap and
  // share the store's commits. An issuance refused before its row is committed gives its index
  // back (a refused request changes nothing).
  struct GiveBack {
    Impl& n;
    StatusListPair* pair = nullptr;
    uint64_t index = 0;
    bool committed = false;
    ~GiveBack() {
      if (committed || pair == nullptr) return;
      std::lock_guard<std::mutex> lock(n.status_mu);
      (void)pair->allocator.Release(index);
    }
  } allocated{*this};
  StatusListPair*& pair = allocated.pair;
  uint64_t& index = allocated.index;
  if (with_status) {
    {
      std::lock_guard<std::mutex> lock(status_mu);
      ASSIGN_OR_RETURN(StatusListPair * current, CurrentListPair(slug));
      ASSIGN_OR_RETURN(index, current->allocator.Allocate(random));
      pair = current;
    }
    json entries = json::array();
    for (bool suspension : {false, true}) {
      vc::StatusEntryOptions so;
      so.purpose = suspension ? "suspension" : "revocation";
      so.index = index;
      so.list_credential = ListUrl(slug, pair->number, suspension);
      ASSIGN_OR_RETURN(json entry, vc::MakeStatusEntry(so));
      entries.push_back(std::move(entry));
    }
    credential["credentialStatus"] = std::move(entries);
  }
  vc::IssueOptions io;
  io.securing = choice;
  io.issuer = org.did;
  io.verification_method = key->kid;
  io.now = Now();
  io.random = &random;
  ASSIGN_OR_RETURN(vc::Secured secured, vc::IssueCredential(credential, *key->key, io));
  if (secured.document.contains("credentialSchema")) {
    vc::VerificationReport report;
    vc::CheckCredentialSchemas(secured.document, schemas, report);
    const vc::Check* check = report.Find(vc::kCheckSchema);
    if (check != nullptr && check->status == vc::CheckStatus::kFail) {
      std::string detail = check->reason;
      for (const vc::Problem& p : report.problems()) {
        detail += "; /credential" + p.pointer + ": " + p.message;
      }
      return InvalidArgumentError("the credential does not match its credentialSchema: " + detail);
    }
  }
  const bool jwt = choice.securing == vc::Securing::kVcJwt;
  const std::string media_type = jwt ? "application/vc+jwt" : "application/vc";
  const std::string body = jwt ? secured.jwt : secured.secured.dump();
  ASSIGN_OR_RETURN(std::string digest, CredentialDigest(secured.secured, secured.jwt));
  const std::string now = NowText();
  int64_t seq = 0;
  RETURN_IF_ERROR(db->Transaction([&]() -> Status {
    // The anchor is queued first so that the row is written once, with its anchor_seq; a
    // refused insert rolls the anchor back with it.
    ASSIGN_OR_RETURN(
        seq, QueueAnchor(ledger::CredentialAnchor(id, org.did, digest, media_type, now), id));
    // The credential's row records its index; the stored allocator is not rewritten (48 KB of
    // list pair per issuance): FindListPair marks the rows' indices used when it loads a list.
    Result<int64_t> ins = db->Exec(
        "INSERT INTO credentials(id, org, types, media_type, body, digest, list_number, "
        "list_index, anchor_seq, created_at) VALUES(?,?,?,?,?,?,?,?,?,?)",
        {id, slug, secured.document.value("type", json::array()).dump(), media_type, body, digest,
         pair != nullptr ? internal::Value(pair->number) : internal::Value(),
         pair != nullptr ? internal::Value(static_cast<int64_t>(index)) : internal::Value(), seq,
         now});
    if (!ins.ok() && ins.status().code() == StatusCode::kAlreadyExists) {
      return AlreadyExistsError("a credential with id " + id + " already exists");
    }
    return ins.status();
  }));
  allocated.committed = true;
  const json ledger_index = AnchorNow(seq);
  json out = {{"verifiableCredential", secured.secured},
              {"id", id},
              {"mediaType", media_type},
              {"ledgerIndex", ledger_index}};
  if (jwt) out["jwt"] = secured.jwt;
  return out;
}

Result<json> Node::IssueCredential(const std::string& org, const json& request) {
  const json options = request.value("options", json::object());
  return impl_->Issue(org, request.at("credential"), options.value("securing", "vc-jwt"),
                      options.value("credentialStatus", true));
}

Result<json> Node::Impl::SetCredentialStatus(const std::string& slug, const std::string& id,
                                             const std::string& purpose, bool set) {
  ASSIGN_OR_RETURN(auto row, db->QueryOne("SELECT org, list_number, list_index FROM credentials "
                                          "WHERE id=?",
                                          {id}));
  if (!row || row->Text(0) != slug) {
    return NotFoundError("no credential " + id + " issued by this organization");
  }
  if (row->IsNull(1)) return FailedPreconditionError("credential " + id + " has no status entry");
  const int64_t number = row->Int(1);
  const uint64_t index = static_cast<uint64_t>(row->Int(2));
  int64_t seq = 0;
  {
    std::lock_guard<std::mutex> lock(status_mu);
    ASSIGN_OR_RETURN(StatusListPair * pair, FindListPair(slug, number));
    vc::Bitstring& list = purpose == "suspension" ? pair->suspension : pair->revocation;
    ASSIGN_OR_RETURN(uint32_t before, list.Get(index));
    if (purpose == "revocation" && before != 0 && !set) {
      return FailedPreconditionError("credential " + id + " is revoked; revocation is final");
    }
    vc::Bitstring saved = list;
    Status s = purpose == "revocation" ? vc::Revoke(list, pair->allocator, index)
               : set                   ? vc::Suspend(list, pair->allocator, index)
                                       : vc::Unsuspend(list, pair->allocator, index);
    RETURN_IF_ERROR(s);
    Status tx = db->Transaction([&]() -> Status {
      RETURN_IF_ERROR(PersistListPair(*pair));
      ASSIGN_OR_RETURN(seq, QueueAnchor(ledger::CredentialStatusChange(
                                            ListUrl(slug, number, purpose == "suspension"), index,
                                            purpose, set ? 1 : 0, NowText()),
                                        id));
      return Status::Ok();
    });
    if (!tx.ok()) {
      list = std::move(saved);  // memory follows the store
      return tx;
    }
    (purpose == "suspension" ? pair->signed_suspension : pair->signed_revocation) =
        vc::FetchedList();
  }
  const json ledger_index = AnchorNow(seq);
  log::Info("node.credential_status", {{"org", slug}, {"purpose", purpose}, {"set", set}});
  return json{{"credentialId", id},
              {"statusPurpose", purpose},
              {"status", set ? (purpose == "revocation" ? "revoked" : "suspended") : "active"},
              {"statusListCredential", ListUrl(slug, number, purpose == "suspension")},
              {"statusListIndex", std::to_string(index)},
              {"ledgerIndex", ledger_index}};
}

Result<json> Node::UpdateStatus(const std::string& org, const json& request) {
  const std::string id = request.at("credentialId").get<std::string>();
  // Every item is understood and checked before any is applied, so that a refused request
  // changes nothing.
  std::vector<std::pair<std::string, bool>> changes;  // purpose, set
  for (const json& item : request.at("credentialStatus")) {
    const std::string status = item.at("status").get<std::string>();
    std::string purpose = item.value("statusPurpose", "");
    bool set = true;
    if (status == "revoked") {
      purpose = "revocation";
    } else if (status == "suspended") {
      purpose = "suspension";
    } else if (status == "unsuspended" || status == "active") {
      if (purpose == "revocation") {
        return FailedPreconditionError("credential " + id +
                                       ": revocation is final; only a suspension can be lifted");
      }
      purpose = "suspension";
      set = false;
    } else if (status == "1" || status == "0") {
      if (purpose.empty()) purpose = "revocation";
      set = status == "1";
      if (purpose == "revocation" && !set) {
        return FailedPreconditionError("credential " + id + ": revocation is final");
      }
    } else {
      return InvalidArgumentError("/credentialStatus: unknown status \"" + status + "\"");
    }
    if (purpose != "revocation" && purpose != "suspension") {
      return InvalidArgumentError(
          "/credentialStatus: statusPurpose must be revocation or "
          "suspension");
    }
    for (const auto& [p, v] : changes) {
      if (p == purpose) {
        return InvalidArgumentError("/credentialStatus: two changes of the " + purpose +
                                    " status in one request");
      }
    }
    changes.emplace_back(purpose, set);
  }
  json results = json::array();
  for (const auto& [purpose, set] : changes) {
    ASSIGN_OR_RETURN(json r, impl_->SetCredentialStatus(org, id, purpose, set));
    results.push_back(std::move(r));
  }
  return json{{"credentialId", id}, {"updates", results}};
}

Result<json> Node::Impl::GetCredential(const std::string& slug, const std::string& id) const {
  ASSIGN_OR_RETURN(auto row, db->QueryOne("SELECT org, media_type, body, created_at, anchor_seq "
                                          "FROM credentials WHERE id=?",
                                          {id}));
  // Another organization's credential is reported exactly like a missing one.
  if (!row || row->Text(0) != slug) return NotFoundError("no credential " + id);
  json vc;
  if (row->Text(1) == "application/vc+jwt") {
    vc = vc::EnvelopeCredential(row->Text(2));
  } else {
    ASSIGN_OR_RETURN(vc, codec::ParseJson(row->Text(2)));
  }
  return json{
      {"verifiableCredential", vc}, {"mediaType", row->Text(1)}, {"issuedAt", row->Text(3)}};
}

Result<json> Node::VerifyCredential(const json& request) {
  const json& v = request.at("verifiableCredential");
  vc::VerificationReport r = v.is_string()
                                 ? vc::VerifyCredentialText(v.get<std::string>(), impl_->verifier)
                                 : vc::VerifyCredential(v, impl_->verifier);
  json out = r.ToJson();
  out["verified"] = r.verified();
  return out;
}

Result<json> Node::VerifyPresentation(const json& request) {
  const json& v = request.at("verifiablePresentation");
  const json options = request.value("options", json::object());
  vc::PresentationExpectations expect;
  if (options.contains("challenge")) expect.challenge = options["challenge"].get<std::string>();
  if (options.contains("domain")) expect.domain = options["domain"].get<std::string>();
  if (!v.is_string() && v.value("type", json()) == "EnvelopedVerifiablePresentation") {
    RETURN_IF_ERROR(vc::UnwrapEnvelope(v, vc::Envelope::kPresentation).status());
  }
  return vc::VerifyPresentation(v, impl_->verifier, expect).ToJson();
}

Result<json> Node::ProvePresentation(const std::string& slug, const json& request) {
  Impl& n = *impl_;
  const json& p = request.at("presentation");
  const json options = request.value("options", json::object());
  ASSIGN_OR_RETURN(vc::SecuringChoice choice,
                   vc::ParseSecuring(options.value("securing", "vc-jwt")));
  Org org;
  {
    std::shared_lock<std::shared_mutex> lock(n.mu);
    ASSIGN_OR_RETURN(const Org* o, n.FindOrg(slug));
    org = *o;
  }
  if (p.contains("holder") && vc::PartyId(p["holder"]).value_or("") != org.did) {
    return PermissionDeniedError("/presentation/holder: an organization presents as itself (" +
                                 org.did + ")");
  }
  const jose::KeyType type = (choice.securing == vc::Securing::kEddsaJcs2022 ||
                              choice.securing == vc::Securing::kEddsaRdfc2022)
                                 ? jose::KeyType::kEd25519
                                 : jose::KeyType::kP256;
  const OrgKey* key = n.SigningKey(org, "authentication", type);
  if (key == nullptr) {
    return FailedPreconditionError(slug + " has no authentication key of type " + TypeName(type) +
                                   " (use vc-jwt or ecdsa-jcs-2019)");
  }
  std::vector<json> credentials;
  for (const json& c : p.value("verifiableCredential", json::array())) credentials.push_back(c);
  vc::PresentOptions po;
  po.securing = choice;
  po.holder = org.did;
  po.verification_method = key->kid;
  if (options.contains("challenge")) po.challenge = options["challenge"].get<std::string>();
  if (options.contains("domain")) po.domain = options["domain"].get<std::string>();
  po.now = n.Now();
  po.random = &n.random;
  for (const auto& [name, value] : p.items()) {
    if (name == "holder" || name == "verifiableCredential" || name == "proof") continue;
    if (name == "type") {
      json types = json::array();
      for (const std::string& t : StringArray(value)) {
        if (t != "VerifiablePresentation") types.push_back(t);
      }
      po.extra["type"] = types;
    } else {
      po.extra[name] = value;
    }
  }
  ASSIGN_OR_RETURN(vc::Secured s, vc::CreatePresentation(credentials, *key->key, po));
  json out = {{"verifiablePresentation", s.secured}};
  if (!s.jwt.empty()) out["jwt"] = s.jwt;
  return out;
}

// ---------------------------------------------------------------------------------------------
// traceability-interop: presentations received

Result<json> Node::ReceivePresentation(const std::string& slug, const std::string& client_id,
                                       const std::string& media_type, const std::string& body) {
  Impl& n = *impl_;
  std::string org_did;
  bool customs = false;
  {
    std::shared_lock<std::shared_mutex> lock(n.mu);
    ASSIGN_OR_RETURN(const Org* o, n.FindOrg(slug));
    org_did = o->did;
    customs = o->HasRole("customs");
  }
  // The presentation itself: a vp+jwt, an EnvelopedVerifiablePresentation, a Data Integrity
  // presentation, or any of those under "verifiablePresentation".
  std::string text = body;
  json vp;
  std::string jwt;
  if (media_type == "application/vp+jwt") {
    jwt = body;
  } else {
    // The verifier's own limits, so that the parsed tree is what VerifyPresentationText would
    // have accepted from the same text.
    const vc::VerifyLimits limits;
    codec::JsonLimits jl;
    jl.max_bytes = limits.max_bytes;
    jl.max_depth = limits.max_depth;
    ASSIGN_OR_RETURN(json parsed, codec::ParseJson(body, jl));
    bool wrapped = false;
    if (parsed.is_object() && parsed.contains("verifiablePresentation")) {
      json inner = std::move(parsed["verifiablePresentation"]);
      parsed = std::move(inner);
      wrapped = true;
    }
    if (parsed.is_string()) {
      jwt = parsed.get<std::string>();
    } else if (parsed.is_object() &&
               parsed.value("type", json()) == "EnvelopedVerifiablePresentation") {
      ASSIGN_OR_RETURN(jwt, vc::UnwrapEnvelope(parsed, vc::Envelope::kPresentation));
    } else {
      vp = std::move(parsed);
      // The bytes received are stored (and digested) as they came; only a presentation taken
      // out of a request object has to be written out on its own.
      if (wrapped) text = vp.dump();
    }
  }
  if (!jwt.empty()) {
    while (!jwt.empty() && (jwt.back() == '\n' || jwt.back() == '\r' || jwt.back() == ' ')) {
      jwt.pop_back();
    }
    ASSIGN_OR_RETURN(vc::DecodedJwt decoded, vc::DecodeJwt(jwt, vc::Envelope::kPresentation));
    vp = decoded.document;
    text = jwt;
  }
  if (!vp.is_object()) return InvalidArgumentError("the presentation is not a JSON object");
  const std::vector<std::string> types = StringArray(vp.value("type", json()));
  if (std::find(types.begin(), types.end(), "TraceablePresentation") == types.end()) {
    return InvalidArgumentError("/type: a TraceablePresentation is required");
  }
  if (!vp.contains("id") || !vp["id"].is_string() || vp["id"].get<std::string>().empty()) {
    return InvalidArgumentError("/id: a TraceablePresentation needs a unique id");
  }
  const std::string id = vp["id"].get<std::string>();
  const json workflow = vp.value("workflow", json());
  if (!workflow.is_object() || !workflow.contains("definition") || !workflow.contains("instance") ||
      StringArray(workflow["definition"]).empty() || StringArray(workflow["instance"]).empty()) {
    return InvalidArgumentError("/workflow: needs \"definition\" and \"instance\" arrays of ids");
  }
  const std::string holder = vp.contains("holder") ? vc::PartyId(vp["holder"]).value_or("") : "";
  // A parsed Data Integrity presentation is verified as parsed; a vp+jwt from its text.
  vc::PresentationReport report = jwt.empty() ? vc::VerifyPresentation(vp, n.verifier, {})
                                              : vc::VerifyPresentationText(text, n.verifier, {});
  // Customs keeps a submission whose holder proof holds even when enclosed credentials fail:
  // the failures are findings the officer must see (an edited invoice, a revoked certificate).
  const bool accept = report.verified() || (customs && HolderChecksPass(report));
  if (!accept) {
    // Nothing is stored; the route answers 400 with the report.
    return json{{"id", id}, {"verified", false}, {"report", report.ToJson()}};
  }
  std::vector<customs::SubmittedCredential> submitted;
  customs::RuleOutcome outcome;
  if (customs) {
    submitted = n.CollectCredentials(vp, report);
    customs::ShipmentContext context;
    context.submission_id = id;
    context.submitter = holder;
    context.received_at = ToUnixSeconds(n.Now());
    outcome = customs::RuleSet::Builtin().Run(submitted, context);
  }
  PreparedSubmission prepared;
  if (customs) prepared = n.PrepareSubmission(submitted, outcome);
  std::string replaces;
  if (vp.contains("replace")) {
    if (!vp["replace"].is_string()) return InvalidArgumentError("/replace: expected a string id");
    replaces = vp["replace"].get<std::string>();
  }
  const std::string digest = Digest(text);
  const std::string now = n.NowText();
  const std::string workflow_text = workflow.dump();
  const std::string report_text = report.ToJson().dump();
  int64_t seq = 0;
  RETURN_IF_ERROR(n.db->Transaction([&]() -> Status {
    if (!replaces.empty()) {
      ASSIGN_OR_RETURN(auto old, n.db->QueryOne("SELECT org, holder, replaced_by FROM "
                                                "presentations WHERE org=? AND id=?",
                                                {slug, replaces}));
      if (!old || old->Text(0) != slug || old->Text(1) != holder) {
        return NotFoundError("/replace: no presentation " + replaces + " from " + holder +
                             " was received by this organization");
      }
      if (!old->IsNull(2)) {
        return FailedPreconditionError("/replace: presentation " + replaces +
                                       " was already replaced by " + old->Text(2));
      }
    }
    // The anchor is queued first so that the presentation's row (tens of KB) is written once,
    // with its anchor_seq; a refused insert rolls the anchor back with it.
    ASSIGN_OR_RETURN(
        seq, n.QueueAnchor(ledger::SubmissionReceived(id, holder, org_did, digest, now), id));
    Result<int64_t> ins = n.db->Exec(
        "INSERT INTO presentations(id, org, holder, client_id, media_type, body, digest, "
        "workflow, replaces, report, anchor_seq, received_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)",
        {id, slug, holder, client_id, jwt.empty() ? "application/json" : "application/vp+jwt", text,
         digest, workflow_text, replaces.empty() ? internal::Value() : internal::Value(replaces),
         report_text, seq, now});
    if (!ins.ok() && ins.status().code() == StatusCode::kAlreadyExists) {
      return AlreadyExistsError("a presentation with id " + id + " was already received");
    }
    RETURN_IF_ERROR(ins.status());
    if (!replaces.empty()) {
      RETURN_IF_ERROR(n.db->Exec("UPDATE presentations SET replaced_by=? WHERE org=? AND id=?",
                                 {id, slug, replaces})
                          .status());
    }
    if (customs) {
      RETURN_IF_ERROR(n.WriteSubmission(slug, id, holder, client_id, workflow_text, prepared, now));
    }
    return Status::Ok();
  }));
  const json index = n.AnchorNow(seq);
  json out = {{"id", id},          {"verified", report.verified()}, {"holder", holder},
              {"receivedAt", now}, {"workflow", workflow},          {"ledgerIndex", index}};
  if (!replaces.empty()) out["replaces"] = replaces;
  if (customs) {
    json submission = std::move(prepared.receipt);
    submission["id"] = id;
    submission["ledgerIndex"] = index;
    if (index.is_number()) {
      submission["receipt"] = n.public_url + "/ledger/receipts/" + index.dump();
    }
    out["submission"] = std::move(submission);
  }
  return out;
}

Result<json> Node::Impl::GetPresentation(const std::string& slug, const std::string& id) const {
  ASSIGN_OR_RETURN(auto row,
                   db->QueryOne("SELECT org, holder, media_type, body, workflow, replaces, "
                                "replaced_by, report, received_at, anchor_seq FROM presentations "
                                "WHERE org=? AND id=?",
                                {slug, id}));
  if (!row || row->Text(0) != slug) return NotFoundError("no presentation " + id);
  json vp;
  if (row->Text(2) == "application/vp+jwt") {
    vp = row->Text(3);
  } else {
    ASSIGN_OR_RETURN(vp, codec::ParseJson(row->Text(3)));
  }
  ASSIGN_OR_RETURN(json workflow, codec::ParseJson(row->Text(4)));
  ASSIGN_OR_RETURN(json report, codec::ParseJson(row->Text(7)));
  ASSIGN_OR_RETURN(auto anchor,
                   db->QueryOne("SELECT ledger_index FROM anchors WHERE seq=?", {row->Int(9)}));
  json out = {{"id", id},
              {"holder", row->Text(1)},
              {"verifiablePresentation", vp},
              {"workflow", workflow},
              {"receivedAt", row->Text(8)},
              {"report", report}};
  if (!row->IsNull(5)) out["replaces"] = row->Text(5);
  if (!row->IsNull(6)) out["replacedBy"] = row->Text(6);
  if (anchor && !anchor->IsNull(0)) out["ledgerIndex"] = anchor->Int(0);
  return out;
}

Result<json> Node::Impl::ListPresentations(const std::string& slug) const {
  ASSIGN_OR_RETURN(auto rows, db->Query("SELECT id, holder, workflow, received_at, replaced_by "
                                        "FROM presentations WHERE org=? ORDER BY received_at, id "
                                        "LIMIT 1000",
                                        {slug}));
  json items = json::array();
  for (const Row& r : rows) {
    ASSIGN_OR_RETURN(json workflow, codec::ParseJson(r.Text(2)));
    json item = {{"id", r.Text(0)},
                 {"holder", r.Text(1)},
                 {"workflow", workflow},
                 {"receivedAt", r.Text(3)}};
    if (!r.IsNull(4)) item["replacedBy"] = r.Text(4);
    items.push_back(std::move(item));
  }
  return json{{"presentations", items}};
}

// ---------------------------------------------------------------------------------------------
// Trust registry

namespace {

json EventsJson(const std::vector<registry::Event>& events) {
  json out = json::array();
  for (const registry::Event& e : events) {
    json j = {{"action", std::string(registry::ActionName(e.action))},
              {"at", FormatRfc3339(e.at, TimePrecision::kMillis).value_or("")}};
    if (!e.credential_types.empty()) j["credentialTypes"] = e.credential_types;
    if (!e.reason.empty()) j["reason"] = e.reason;
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace

Result<Org> Node::Impl::AuthorityOrg(const std::string& slug) const {
  std::shared_lock<std::shared_mutex> lock(mu);
  ASSIGN_OR_RETURN(const Org* o, FindOrg(slug));
  if (!o->HasRole("registry-authority")) {
    return PermissionDeniedError("organization " + slug +
                                 " is not a registry authority on this node");
  }
  return *o;
}

Result<json> Node::Impl::RegistryAdmit(const std::string& authority, const json& request) {
  std::lock_guard<std::mutex> registry_lock(registry_mu);
  ASSIGN_OR_RETURN(const Org auth, AuthorityOrg(authority));
  const std::string subject = request.at("did").get<std::string>();
  RETURN_IF_ERROR(did::ParseDid(subject).status().WithContext("/did"));
  // Every identifier is validated and normalized; all problems are reported together.
  json identifiers = json::object();
  std::vector<std::string> problems;
  for (const auto& [scheme, value] : request.at("identifiers").items()) {
    Result<std::string> v = registry::ValidateIdentifier(scheme, value.get<std::string>());
    if (!v.ok()) {
      problems.push_back("/identifiers/" + scheme + ": " + std::string(v.status().message()));
    } else {
      identifiers[scheme] = *v;
    }
  }
  std::vector<std::string> roles = StringArray(request.value("roles", json::array()));
  for (const std::string& r : roles) {
    if (!registry::IsKnownRole(r)) problems.push_back("/roles: unknown role \"" + r + "\"");
  }
  if (!problems.empty()) {
    std::string all;
    for (const std::string& p : problems) all += (all.empty() ? "" : "; ") + p;
    return InvalidArgumentError(all);
  }
  const std::vector<std::string> types = StringArray(request.at("credentialTypes"));
  const std::string name = request.at("name").get<std::string>();
  registry::Event event{registry::Action::kAdmit, Now(), types, ""};
  {
    std::shared_lock<std::shared_mutex> lock(mu);
    auto it = registry_events.find(subject);
    RETURN_IF_ERROR(registry::CheckTransition(
        it == registry_events.end() ? std::span<const registry::Event>() : it->second, event));
  }
  // Everything that would make the admission fail is checked before the credential is issued.
  ASSIGN_OR_RETURN(auto existing,
                   db->QueryOne("SELECT state FROM registry WHERE did=?", {subject}));
  if (existing) {
    return AlreadyExistsError(subject + " is already in the registry (" + existing->Text(0) + ")");
  }
  for (const auto& [scheme, value] : identifiers.items()) {
    ASSIGN_OR_RETURN(auto taken, db->QueryOne("SELECT did FROM registry_identifiers WHERE "
                                              "scheme=? AND value=?",
                                              {scheme, value.get<std::string>()}));
    if (taken) {
      return AlreadyExistsError("/identifiers/" + scheme + ": " + value.get<std::string>() +
                                " is already registered to another organization");
    }
  }
  // The admission is a credential the authority issues (with status entries, so that suspension
  // and removal show on it) and anchors; the registry change is anchored beside it.
  json subject_json = {{"id", subject},
                       {"name", name},
                       {"legalIdentifiers", identifiers},
                       {"roles", roles},
                       {"credentialTypes", types}};
  // The registry's own terms live under the project's vocabulary, declared inline so that the
  // credential is self-describing without a context document to fetch.
  json credential = {{"@context", json::array({"https://www.w3.org/ns/credentials/v2",
                                               {{"@vocab", "https://traceport.dev/vocab#"}}})},
                     {"type", json::array({"VerifiableCredential", "AccreditedActorCredential"})},
                     {"credentialSubject", subject_json}};
  ASSIGN_OR_RETURN(json issued, Issue(authority, credential, "vc-jwt", true));
  const std::string credential_id = issued["id"].get<std::string>();
  const std::string at = FormatRfc3339(event.at, TimePrecision::kMillis).value_or("");
  int64_t seq = 0;
  Status tx = db->Transaction([&]() -> Status {
    RETURN_IF_ERROR(db->Exec("INSERT INTO registry(did, authority, name, identifiers, roles, "
                             "credential_types, state, credential_id, updated_at) "
                             "VALUES(?,?,?,?,?,?,'active',?,?)",
                             {subject, auth.did, name, identifiers.dump(), json(roles).dump(),
                              json(types).dump(), credential_id, at})
                        .status());
    for (const auto& [scheme, value] : identifiers.items()) {
      Result<int64_t> ins =
          db->Exec("INSERT INTO registry_identifiers(scheme, value, did) VALUES(?,?,?)",
                   {scheme, value.get<std::string>(), subject});
      if (!ins.ok() && ins.status().code() == StatusCode::kAlreadyExists) {
        return AlreadyExistsError("/identifiers/" + scheme + ": " + value.get<std::string>() +
                                  " is already registered to another organization");
      }
      RETURN_IF_ERROR(ins.status());
    }
    RETURN_IF_ERROR(db->Exec("INSERT INTO registry_events(did, action, at, credential_types, "
                             "reason) VALUES(?,?,?,?,'')",
                             {subject, "admit", at, json(types).dump()})
                        .status());
    ASSIGN_OR_RETURN(auto cred,
                     db->QueryOne("SELECT digest FROM credentials WHERE id=?", {credential_id}));
    json entry = ledger::RegistryUpdate(auth.did, subject, "admit", identifiers, at);
    if (cred) entry["credential"] = cred->Text(0);
    ASSIGN_OR_RETURN(seq, QueueAnchor(entry, subject));
    return Status::Ok();
  });
  if (!tx.ok()) {
    // The admission credential was issued but the admission did not happen: revoke it so that it
    // cannot be shown as proof of anything.
    Result<json> revoked = SetCredentialStatus(authority, credential_id, "revocation", true);
    if (!revoked.ok()) {
      log::Error(
          "node.registry_orphan_credential",
          {{"credential", credential_id}, {"error", std::string(revoked.status().message())}});
    }
    return tx;
  }
  {
    std::unique_lock<std::shared_mutex> lock(mu);
    registry_events[subject].push_back(event);
  }
  const json index = AnchorNow(seq);
  log::Info("node.registry_admit", {{"authority", authority}, {"subject", subject}});
  ASSIGN_OR_RETURN(json out, RegistryGet(subject));
  out["admissionCredential"] = issued["verifiableCredential"];
  out["ledgerIndex"] = index;
  return out;
}

Result<json> Node::RegistryAdmit(const std::string& authority, const json& request) {
  return impl_->RegistryAdmit(authority, request);
}

Result<json> Node::Impl::RegistryChange(const std::string& authority, const std::string& subject,
                                        registry::Action action, const std::string& reason) {
  std::lock_guard<std::mutex> registry_lock(registry_mu);
  ASSIGN_OR_RETURN(const Org auth, AuthorityOrg(authority));
  ASSIGN_OR_RETURN(auto row, db->QueryOne("SELECT authority, credential_id FROM registry WHERE "
                                          "did=?",
                                          {subject}));
  if (!row) return NotFoundError("no registry entry for " + subject);
  if (row->Text(0) != auth.did) {
    return PermissionDeniedError("the entry for " + subject + " belongs to another authority");
  }
  registry::Event event{action, Now(), {}, reason};
  {
    std::shared_lock<std::shared_mutex> lock(mu);
    auto it = registry_events.find(subject);
    if (it == registry_events.end()) return NotFoundError("no registry history for " + subject);
    RETURN_IF_ERROR(registry::CheckTransition(it->second, event));
    std::vector<std::string> current;
    (void)registry::StateAt(it->second, event.at, &current);
    event.credential_types = current;
  }
  // The admission credential's status follows the entry.
  const std::string credential_id = row->Text(1);
  if (action == registry::Action::kSuspend || action == registry::Action::kReinstate) {
    RETURN_IF_ERROR(SetCredentialStatus(authority, credential_id, "suspension",
                                        action == registry::Action::kSuspend)
                        .status());
  } else if (action == registry::Action::kRemove) {
    RETURN_IF_ERROR(SetCredentialStatus(authority, credential_id, "revocation", true).status());
  }
  const std::string at = FormatRfc3339(event.at, TimePrecision::kMillis).value_or("");
  const std::string state = action == registry::Action::kSuspend  ? "suspended"
                            : action == registry::Action::kRemove ? "removed"
                                                                  : "active";
  int64_t seq = 0;
  RETURN_IF_ERROR(db->Transaction([&]() -> Status {
    RETURN_IF_ERROR(
        db->Exec("UPDATE registry SET state=?, updated_at=? WHERE did=?", {state, at, subject})
            .status());
    RETURN_IF_ERROR(db->Exec("INSERT INTO registry_events(did, action, at, credential_types, "
                             "reason) VALUES(?,?,?,?,?)",
                             {subject, std::string(registry::ActionName(action)), at,
                              json(event.credential_types).dump(), reason})
                        .status());
    ASSIGN_OR_RETURN(
        seq, QueueAnchor(ledger::RegistryUpdate(auth.did, subject, registry::ActionName(action),
                                                json(), at),
                         subject));
    return Status::Ok();
  }));
  {
    std::unique_lock<std::shared_mutex> lock(mu);
    registry_events[subject].push_back(event);
  }
  const json index = AnchorNow(seq);
  log::Info("node.registry_change",
            {{"subject", subject}, {"action", std::string(registry::ActionName(action))}});
  ASSIGN_OR_RETURN(json out, RegistryGet(subject));
  out["ledgerIndex"] = index;
  return out;
}

Result<json> Node::Impl::RegistryGet(const std::string& subject) const {
  ASSIGN_OR_RETURN(auto row, db->QueryOne("SELECT authority, name, identifiers, roles, "
                                          "credential_types, state, credential_id, updated_at "
                                          "FROM registry WHERE did=?",
                                          {subject}));
  if (!row) return NotFoundError("no registry entry for " + subject);
  ASSIGN_OR_RETURN(json identifiers, codec::ParseJson(row->Text(2)));
  ASSIGN_OR_RETURN(json roles, codec::ParseJson(row->Text(3)));
  ASSIGN_OR_RETURN(json types, codec::ParseJson(row->Text(4)));
  json history = json::array();
  {
    std::shared_lock<std::shared_mutex> lock(mu);
    auto it = registry_events.find(subject);
    if (it != registry_events.end()) history = EventsJson(it->second);
  }
  return json{{"did", subject},
              {"authority", row->Text(0)},
              {"name", row->Text(1)},
              {"identifiers", identifiers},
              {"roles", roles},
              {"credentialTypes", types},
              {"state", row->Text(5)},
              {"admissionCredentialId", row->Text(6)},
              {"updatedAt", row->Text(7)},
              {"history", history}};
}

Result<json> Node::Impl::RegistryFind(const std::string& scheme, const std::string& value) const {
  ASSIGN_OR_RETURN(std::string normalized, registry::ValidateIdentifier(scheme, value));
  ASSIGN_OR_RETURN(auto row, db->QueryOne("SELECT did FROM registry_identifiers WHERE scheme=? "
                                          "AND value=?",
                                          {scheme, normalized}));
  if (!row) return NotFoundError("no organization is registered with " + scheme + " " + normalized);
  return RegistryGet(row->Text(0));
}

// ---------------------------------------------------------------------------------------------
// OAuth

Result<std::pair<TokenService::Token, std::vector<std::string>>> Node::Impl::GrantToken(
    const std::string& client_id, const std::string& secret, const std::string& scope) {
  Principal p;
  {
    std::shared_lock<std::shared_mutex> lock(mu);
    auto it = clients.find(client_id);
    // The same answer for an unknown client and a wrong secret (RFC 6749 invalid_client).
    if (it == clients.end() || !CheckClientSecret(secret, it->second.secret)) {
      return UnauthenticatedError("invalid_client: unknown client or wrong secret");
    }
    p.client_id = client_id;
    p.org = it->second.org;
    const std::vector<std::string> requested = SplitScopes(scope);
    if (requested.empty()) {
      p.scopes.insert(it->second.scopes.begin(), it->second.scopes.end());
    } else {
      for (const std::string& s : requested) {
        if (std::find(it->second.scopes.begin(), it->second.scopes.end(), s) ==
            it->second.scopes.end()) {
          return InvalidArgumentError("invalid_scope: the client may not request \"" + s + "\"");
        }
        p.scopes.insert(s);
      }
    }
  }
  ASSIGN_OR_RETURN(TokenService::Token t, tokens->Issue(p, random));
  return std::pair{std::move(t), std::vector<std::string>(p.scopes.begin(), p.scopes.end())};
}

Result<std::string> Node::IssueToken(const std::string& client_id, const std::string& secret,
                                     const std::string& scope) {
  ASSIGN_OR_RETURN(auto granted, impl_->GrantToken(client_id, secret, scope));
  return granted.first.access_token;
}

// ---------------------------------------------------------------------------------------------
// Lifecycle

namespace {

Result<std::string> NormalizePublicUrl(const std::string& url) {
  std::string u = url;
  while (!u.empty() && u.back() == '/') u.pop_back();
  if (u.rfind("https://", 0) != 0) {
    return InvalidArgumentError(
        "--public-url must be an https:// URL (did:web requires HTTPS; "
        "use https://localhost:PORT for a local node)");
  }
  RETURN_IF_ERROR(did::DidWebFromUrl(u).status());
  return u;
}

Status InitDataDir(const NodeOptions& o, const std::string& public_url) {
  std::error_code ec;
  fs::create_directories(o.data_dir, ec);
  if (ec) return InternalError("cannot create " + o.data_dir.string() + ": " + ec.message());
  fs::permissions(o.data_dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  const fs::path key_file =
      o.master_key_file.empty() ? o.data_dir / "master.key" : o.master_key_file;
  if (!Vault::FromEnvironment() && !fs::exists(key_file)) {
    RETURN_IF_ERROR(Vault::CreateKeyFile(key_file, crypto::DefaultCsprng()));
  }
  ASSIGN_OR_RETURN(Vault vault, Vault::Load(key_file));
  std::string origin = public_url.substr(8) + "/ledger";
  if (!fs::exists(o.data_dir / "ledger" / "ledger.json")) {
    RETURN_IF_ERROR(
        ledger::InitLedgerDir(o.data_dir / "ledger", origin, crypto::DefaultCsprng()).status());
  }
  json config = {{"format", std::string(kFormat)},
                 {"public_url", public_url},
                 {"master_key", vault.fingerprint()},
                 {"created", FormatRfc3339(SystemClock().Now()).value_or("")}};
  return WriteFileAtomic(o.data_dir / "node.json", config.dump(2) + "\n", 0644);
}

}  // namespace

Node::Node(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Node::~Node() {
  if (!impl_) return;
  if (impl_->server) impl_->server->Stop();
  if (impl_->flusher.joinable()) {
    {
      std::lock_guard<std::mutex> lock(impl_->flush_mu);
      impl_->flush_stop = true;
    }
    impl_->flush_cv.notify_all();
    impl_->flusher.join();
  }
}

const std::string& Node::public_url() const { return impl_->public_url; }

namespace {

// The JSON-LD contexts the RDF cryptosuites may use: the built-in pinned set plus those the
// operator pinned in DATA/contexts (`traceport contexts add --data DATA`). The loader is
// process-wide (vc::SetContextLoader) and must outlive every proof operation, so registries are
// kept for the life of the process; the node opened last decides.
Status UseOperatorContexts(const fs::path& dir) {
  static std::mutex mu;
  static auto* kept = new std::vector<std::unique_ptr<jsonld::ContextRegistry>>();
  std::unique_ptr<jsonld::ContextRegistry> registry = jsonld::ContextRegistry::WithBuiltins();
  if (Status s = registry->LoadDirectory(dir); !s.ok()) {
    return s.WithContext("pinned contexts in " + dir.string());
  }
  std::lock_guard<std::mutex> lock(mu);
  vc::SetContextLoader(registry.get());
  kept->push_back(std::move(registry));
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<Node>> Node::Open(NodeOptions options) {
  auto impl = std::make_unique<Impl>();
  Impl& n = *impl;
  if (options.clock != nullptr) n.clock = options.clock;
  const fs::path config_path = options.data_dir / "node.json";
  if (!fs::exists(config_path)) {
    if (options.public_url.empty()) {
      return InvalidArgumentError(options.data_dir.string() +
                                  " is not a node directory yet; give --public-url to create it");
    }
    ASSIGN_OR_RETURN(std::string url, NormalizePublicUrl(options.public_url));
    RETURN_IF_ERROR(InitDataDir(options, url));
  }
  ASSIGN_OR_RETURN(json config, ReadJsonFile(config_path));
  if (config.value("format", "") != kFormat) {
    return FailedPreconditionError(config_path.string() + " is not a " + std::string(kFormat) +
                                   " directory");
  }
  n.public_url = config.value("public_url", "");
  if (!options.public_url.empty()) {
    ASSIGN_OR_RETURN(std::string url, NormalizePublicUrl(options.public_url));
    if (url != n.public_url) {
      return FailedPreconditionError("this node's public URL is " + n.public_url +
                                     " (fixed when it was created; DIDs derive from it)");
    }
  }
  ASSIGN_OR_RETURN(did::Did host, did::DidWebFromUrl(n.public_url));
  n.host_did_prefix = host.ToString() + ":organizations:";
  const fs::path key_file =
      options.master_key_file.empty() ? options.data_dir / "master.key" : options.master_key_file;
  ASSIGN_OR_RETURN(Vault vault, Vault::Load(key_file));
  if (vault.fingerprint() != config.value("master_key", "")) {
    return FailedPreconditionError("the master key does not match this node (fingerprint " +
                                   vault.fingerprint() + ", expected " +
                                   config.value("master_key", "") + ")");
  }
  n.vault.emplace(std::move(vault));
  RETURN_IF_ERROR(UseOperatorContexts(options.data_dir / "contexts"));
  ASSIGN_OR_RETURN(n.db, internal::Db::Open(options.data_dir / "node.db",
                                            std::string(kSchema) + Users::kSchema));
  RETURN_IF_ERROR(internal::CreateProvenanceTables(*n.db));
  ASSIGN_OR_RETURN(auto format_row, n.db->QueryOne("SELECT value FROM meta WHERE key='format'"));
  if (!format_row) {
    RETURN_IF_ERROR(
        n.db->Exec("INSERT INTO meta(key, value) VALUES('format', ?)", {std::string(kFormat)})
            .status());
  }
  // The token key.
  ASSIGN_OR_RETURN(auto token_row, n.db->QueryOne("SELECT sealed FROM secrets WHERE "
                                                  "name='token-key'"));
  jose::PrivateKey token_key = [&]() -> jose::PrivateKey {
    if (token_row) {
      auto k = n.vault->OpenKey(jose::KeyType::kEd25519, token_row->Bytes(0), "token-key");
      if (k.ok()) return std::move(*k);
    }
    return std::move(jose::PrivateKey::Generate(jose::KeyType::kEd25519, n.random).value());
  }();
  if (!token_row) {
    ASSIGN_OR_RETURN(auto sealed, n.vault->SealKey(token_key, "token-key", n.random));
    RETURN_IF_ERROR(n.db->Exec("INSERT INTO secrets(name, type, sealed) VALUES('token-key', "
                               "'ed25519', ?)",
                               {Blob{sealed}})
                        .status());
  } else {
    // A row that does not open is a wrong master key or tampering: refuse to start.
    RETURN_IF_ERROR(
        n.vault->OpenKey(jose::KeyType::kEd25519, token_row->Bytes(0), "token-key").status());
  }
  n.tokens = std::make_unique<TokenService>(std::move(token_key), n.public_url, options.token_ttl,
                                            *n.clock);
  n.limiter = std::make_unique<RateLimiter>(options.rate_per_second, options.rate_burst, *n.clock);
  n.users = std::make_unique<Users>(*n.db, *n.clock, n.random, n.session_options);
  // Password guessing: per account a burst of ten attempts, then one every twelve seconds; per
  // address (where many people may share one, behind a NAT) a burst of sixty, then one a second.
  n.login_limiter = std::make_unique<RateLimiter>(1.0 / 12.0, 10, *n.clock);
  n.login_address_limiter = std::make_unique<RateLimiter>(1.0, 60, *n.clock);
  // The ledger.
  ledger::LogOptions lo;
  lo.checkpoint_interval = options.checkpoint_interval;
  // The ledger's checkpoint key lives sealed in node.db like every other private key: the
  // plaintext log.key that `ledger init` writes is sealed at the first start and removed.
  const fs::path ledger_dir = options.data_dir / "ledger";
  ASSIGN_OR_RETURN(auto ledger_row,
                   n.db->QueryOne("SELECT sealed FROM secrets WHERE name='ledger-key'"));
  std::string skey;
  if (!ledger_row) {
    ASSIGN_OR_RETURN(ledger::LedgerDir ld, ledger::ReadLedgerDir(ledger_dir));
    ASSIGN_OR_RETURN(ledger::NoteSigner file_signer, ledger::LoadLogSigner(ld));
    skey = file_signer.SignerKey();
    ASSIGN_OR_RETURN(
        auto sealed,
        n.vault->Seal(std::span(reinterpret_cast<const uint8_t*>(skey.data()), skey.size()),
                      "ledger-key", n.random));
    RETURN_IF_ERROR(n.db->Exec("INSERT INTO secrets(name, type, sealed) VALUES('ledger-key', "
                               "'c2sp-signer', ?)",
                               {Blob{sealed}})
                        .status());
  } else {
    ASSIGN_OR_RETURN(crypto::SecretBytes opened, n.vault->Open(ledger_row->Bytes(0), "ledger-key"));
    skey.assign(reinterpret_cast<const char*>(opened.data()), opened.size());
  }
  Result<ledger::NoteSigner> ledger_signer = ledger::NoteSigner::FromSignerKey(skey);
  std::fill(skey.begin(), skey.end(), '\0');
  if (!ledger_signer.ok()) return ledger_signer.status();
  std::error_code rm_ec;
  fs::remove(ledger_dir / "log.key", rm_ec);  // sealed now
  ASSIGN_OR_RETURN(n.log, ledger::OpenLedgerWithSigner(ledger_dir, std::move(*ledger_signer), lo,
                                                       SystemClock()));
  // Verification.
  if (options.network) n.http = net::NewCurlHttpClient();
  did::ResolverOptions ro;
  ro.enable_network = options.network;
  n.resolver = std::make_unique<did::DefaultResolver>(ro, &n.documents, n.http.get());
  n.keys = std::make_unique<did::KeyCache>(*n.resolver, *n.clock);
  ASSIGN_OR_RETURN(n.schemas, vc::SchemaRegistry::WithBuiltins());
  n.status_lists = std::make_unique<NodeStatusLists>(n);
  n.slots = std::make_unique<NodeSlots>(n);
  n.verifier.resolver = n.resolver.get();
  n.verifier.clock = n.clock;
  n.verifier.keys = n.keys.get();
  n.verifier.status_lists = n.status_lists.get();
  n.verifier.schemas = &n.schemas;
  n.verifier.slots = n.slots.get();
  n.verifier.status_cache = &n.status_cache;
  if (options.assist_log_retention_days < 0) {
    return InvalidArgumentError("assist_log_retention_days must be >= 0");
  }
  if (const auto& kb = assist::KnowledgeBase::Builtin(); kb.ok()) {
    n.assist_log = std::make_unique<assist::ConversationLog>(
        (options.data_dir / "assist-log.jsonl").string(), *n.clock);
    n.assist_sessions = std::make_unique<assist::Sessions>(
        *kb, *n.clock, n.random, assist::SessionOptions{}, n.assist_log.get());
  } else {
    log::Warn("assist.unavailable", {{"error", kb.status().ToString()}});
  }
  n.options = options;
  RETURN_IF_ERROR(n.LoadState());
  RETURN_IF_ERROR(n.FlushPendingAnchors());

  std::unique_ptr<Node> node(new Node(std::move(impl)));
  node->impl_->self = node.get();
  // The operator organization and its admin client. Checked on every start rather than only on
  // creation, so that a crash between creating the directory and this step heals itself.
  bool bootstrap = false;
  {
    std::shared_lock<std::shared_mutex> lock(n.mu);
    bootstrap = n.orgs.find("operator") == n.orgs.end();
  }
  if (bootstrap) {
    ASSIGN_OR_RETURN(json op, node->CreateOrganization({"operator", "Node operator", {}}));
    (void)op;
    ASSIGN_OR_RETURN(ClientCredentials admin, node->CreateClient("operator", "admin", {"admin"}));
    RETURN_IF_ERROR(WriteFileAtomic(options.data_dir / "admin-client.json",
                                    admin.ToJson().dump(2) + "\n", 0600));
    log::Info("node.created",
              {{"public_url", n.public_url},
               {"admin_client", (options.data_dir / "admin-client.json").string()}});
  }
  // The HTTP side.
  ApiOptions ao;
  ao.version = "1";
  ao.description = std::string(kApiDescription);
  ao.max_json_depth = options.max_json_depth;
  ao.tokens = n.tokens.get();
  ao.limiter = n.limiter.get();
  ao.users = n.users.get();
  n.api = std::make_unique<Api>(ao);
  RegisterSchemas(*n.api);
  RegisterPortalSchemas(*n.api);
  RegisterWalletSchemas(*n.api);
  n.RegisterRoutes(*n.api);
  n.RegisterPortalRoutes(*n.api);
  n.RegisterWalletRoutes(*n.api);
  net::HttpServer::Options so;
  so.listen = options.listen;
  so.tls_cert_file = options.tls_cert_file;
  so.tls_key_file = options.tls_key_file;
  so.allow_plain_http_off_loopback = options.allow_plain_http_off_loopback;
  so.threads = options.threads;
  so.max_body_bytes = options.max_body_bytes;
  so.read_timeout = options.read_timeout;
  so.keep_alive_timeout = options.keep_alive_timeout;
  n.server = std::make_unique<net::HttpServer>(so);
  RETURN_IF_ERROR(n.api->Mount(*n.server));
  ledger::MountLedgerApi(*n.server, *n.log);
  n.MountPortalAssets(*n.server);
  n.flusher = std::thread([&n] { n.FlushLoop(); });
  return node;
}

Status Node::Start() { return impl_->server->Start(); }
int Node::port() const { return impl_->server->port(); }
void Node::Stop() { impl_->server->Stop(); }

json Node::OpenApiDocument() {
  ApiOptions ao;
  ao.version = "1";
  ao.description = std::string(kApiDescription);
  Impl dummy;
  Api api(ao);
  RegisterSchemas(api);
  RegisterPortalSchemas(api);
  RegisterWalletSchemas(api);
  dummy.RegisterRoutes(api);
  dummy.RegisterPortalRoutes(api);
  dummy.RegisterWalletRoutes(api);
  return api.OpenApi();
}

json Node::Impl::MetricsExtra() const {
  json m = json::object();
  m["ledger_size"] = log->Size();
  m["ledger_pending"] = log->PendingEntries();
  std::shared_lock<std::shared_mutex> lock(mu);
  m["organizations"] = orgs.size();
  m["clients"] = clients.size();
  m["registry_entries"] = registry_events.size();
  return m;
}

// ---------------------------------------------------------------------------------------------
// Configuration file

// ---------------------------------------------------------------------------------------------
// The USMCA assistant

Result<json> Node::AssistChat(const json& request) {
  Impl& n = *impl_;
  if (!n.assist_sessions) {
    return UnavailableError("the assistant's knowledge base is not available on this node");
  }
  if (!request.is_object()) return InvalidArgumentError("expected a JSON object");
  auto message = request.find("message");
  if (message == request.end() || !message->is_string()) {
    return InvalidArgumentError("/message: the question, a string");
  }
  std::string session;
  if (auto s = request.find("sessionId"); s != request.end() && !s->is_null()) {
    if (!s->is_string()) return InvalidArgumentError("/sessionId: expected a string");
    session = s->get<std::string>();
  }
  // The log is purged of records beyond the retention once a day, by the first turn of the day.
  const int64_t day = ToUnixSeconds(n.Now()) / 86400;
  int64_t purged = n.assist_purged_day.load();
  if (purged != day && n.assist_purged_day.compare_exchange_strong(purged, day)) {
    auto removed = n.assist_log->Purge(n.options.assist_log_retention_days);
    if (!removed.ok()) {
      log::Warn("assist.purge", {{"error", removed.status().ToString()}});
      n.assist_purged_day.store(purged);  // the next turn tries again
    }
  }
  return n.assist_sessions->Ask(session, message->get<std::string>()).ToJson();
}

Result<json> Node::AssistLog() {
  Impl& n = *impl_;
  if (!n.assist_log) {
    return UnavailableError("the assistant's knowledge base is not available on this node");
  }
  ASSIGN_OR_RETURN(int64_t removed, n.assist_log->Purge(n.options.assist_log_retention_days));
  ASSIGN_OR_RETURN(assist::LogStats stats, n.assist_log->Stats());
  json out = stats.ToJson();
  out["retentionDays"] = n.options.assist_log_retention_days;
  out["purged"] = removed;
  return out;
}

Status LoadConfigFile(const fs::path& file, NodeOptions& o) {
  ASSIGN_OR_RETURN(json c, ReadJsonFile(file));
  if (!c.is_object()) return InvalidArgumentError(file.string() + ": expected a JSON object");
  for (const auto& item : c.items()) {
    const std::string& key = item.key();
    const json& v = item.value();
    auto need = [&](bool ok, const char* what) -> Status {
      return ok ? Status::Ok()
                : InvalidArgumentError(file.string() + ": \"" + key + "\" must be " + what);
    };
    if (key == "public_url" || key == "listen" || key == "tls_cert_file" || key == "tls_key_file" ||
        key == "master_key_file") {
      RETURN_IF_ERROR(need(v.is_string(), "a string"));
      const std::string s = v.get<std::string>();
      if (key == "public_url") o.public_url = s;
      if (key == "listen") o.listen = s;
      if (key == "tls_cert_file") o.tls_cert_file = s;
      if (key == "tls_key_file") o.tls_key_file = s;
      if (key == "master_key_file") o.master_key_file = s;
    } else if (key == "allow_plain_http_off_loopback" || key == "network") {
      RETURN_IF_ERROR(need(v.is_boolean(), "true or false"));
      (key == "network" ? o.network : o.allow_plain_http_off_loopback) = v.get<bool>();
    } else if (key == "assist_log_retention_days") {
      RETURN_IF_ERROR(
          need(v.is_number_integer() && v.get<int64_t>() >= 0 && v.get<int64_t>() <= 3650,
               "an integer from 0 to 3650"));
      o.assist_log_retention_days = static_cast<int>(v.get<int64_t>());
    } else if (key == "rate_per_second" || key == "rate_burst") {
      RETURN_IF_ERROR(need(v.is_number() && v.get<double>() >= 0, "a number >= 0"));
      (key == "rate_burst" ? o.rate_burst : o.rate_per_second) = v.get<double>();
    } else if (key == "threads" || key == "max_body_bytes" || key == "max_json_depth" ||
               key == "read_timeout_ms" || key == "keep_alive_timeout_s" || key == "token_ttl_s" ||
               key == "checkpoint_interval_ms") {
      RETURN_IF_ERROR(need(v.is_number_unsigned() && v.get<uint64_t>() > 0 &&
                               v.get<uint64_t>() < (uint64_t{1} << 40),
                           "a positive integer"));
      const uint64_t n = v.get<uint64_t>();
      if (key == "threads") o.threads = n;
      if (key == "max_body_bytes") o.max_body_bytes = n;
      if (key == "max_json_depth") o.max_json_depth = n;
      if (key == "read_timeout_ms") o.read_timeout = std::chrono::milliseconds(n);
      if (key == "keep_alive_timeout_s") o.keep_alive_timeout = std::chrono::seconds(n);
      if (key == "token_ttl_s") o.token_ttl = std::chrono::seconds(n);
      if (key == "checkpoint_interval_ms") o.checkpoint_interval = std::chrono::milliseconds(n);
    } else {
      return InvalidArgumentError(file.string() + ": unknown setting \"" + key + "\"");
    }
  }
  return Status::Ok();
}

}  // namespace traceport::node
