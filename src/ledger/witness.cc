#include "ledger/witness.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <set>

#include <nlohmann/json.hpp>

#include "codec/base64.h"
#include "codec/hex.h"
#include "crypto/sha2.h"
#include "ledger/verify/checkpoint.h"

namespace traceport::ledger {
namespace {

constexpr size_t kMaxRequestBytes = 1 << 20;
constexpr size_t kMaxProofLines = 63;
constexpr int64_t kMaxEvidencePerLog = 1000;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS cosigned(
  origin TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  root BLOB NOT NULL,
  checkpoint TEXT NOT NULL,
  updated_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS evidence(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  origin TEXT NOT NULL,
  kind TEXT NOT NULL,
  cosigned TEXT NOT NULL,
  conflicting TEXT NOT NULL,
  old_size INTEGER NOT NULL,
  proof TEXT NOT NULL,
  received_at INTEGER NOT NULL);
)sql";

WitnessReply Reply(int status, std::string body) {
  WitnessReply r;
  r.status = status;
  r.body = std::move(body);
  if (!r.body.empty() && r.body.back() != '\n') r.body += '\n';
  return r;
}

// "old N\n" + proof lines + "\n" + checkpoint note.
struct AddRequest {
  uint64_t old_size = 0;
  std::vector<Hash> proof;
  std::string_view note;
};

Result<AddRequest> ParseAddRequest(std::string_view body) {
  if (body.size() > kMaxRequestBytes) {
    return InvalidArgumentError("add-checkpoint: request larger than 1 MiB");
  }
  AddRequest req;
  size_t pos = 0;
  auto next_line = [&](std::string_view* line) -> bool {
    const size_t nl = body.find('\n', pos);
    if (nl == std::string_view::npos) return false;
    *line = body.substr(pos, nl - pos);
    pos = nl + 1;
    return true;
  };
  std::string_view line;
  if (!next_line(&line) || line.substr(0, 4) != "old ") {
    return InvalidArgumentError("add-checkpoint: the first line must be \"old <size>\"");
  }
  ASSIGN_OR_RETURN(req.old_size, ParseTlogDecimal(line.substr(4), "add-checkpoint: old size"));
  for (;;) {
    if (!next_line(&line)) {
      return InvalidArgumentError("add-checkpoint: no empty line before the checkpoint");
    }
    if (line.empty()) break;
    if (req.proof.size() == kMaxProofLines) {
      return InvalidArgumentError("add-checkpoint: more than 63 consistency proof lines");
    }
    Result<Hash> h = HashFromBase64(line);
    if (!h.ok()) {
      return InvalidArgumentError("add-checkpoint: proof line " +
                                  std::to_string(req.proof.size() + 1) +
                                  " is not a base64 SHA-256 hash");
    }
    req.proof.push_back(*h);
  }
  req.note = body.substr(pos);
  return req;
}

std::string OriginHash(std::string_view origin) { return codec::HexEncode(crypto::Sha256(origin)); }

std::string ProofText(const std::vector<Hash>& proof) {
  std::string out;
  for (const Hash& h : proof) out += HashToBase64(h) + "\n";
  return out;
}

struct Db {
  sqlite3* db = nullptr;
  ~Db() { sqlite3_close_v2(db); }
};

Status Exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errmsg(db);
    sqlite3_free(err);
    return InternalError("witness storage: " + msg);
  }
  return Status::Ok();
}

// A statement finalized on scope exit.
class Query {
 public:
  Query(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &s_, nullptr) != SQLITE_OK) s_ = nullptr;
  }
  ~Query() { sqlite3_finalize(s_); }
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  bool ok() const { return s_ != nullptr; }
  sqlite3_stmt* get() { return s_; }
  Status Error(std::string_view what) const {
    return InternalError("witness storage: " + std::string(what) + ": " + sqlite3_errmsg(db_));
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* s_ = nullptr;
};

std::string Text(sqlite3_stmt* s, int col) {
  const unsigned char* p = sqlite3_column_text(s, col);
  return p ? std::string(reinterpret_cast<const char*>(p),
                         static_cast<size_t>(sqlite3_column_bytes(s, col)))
           : std::string();
}

}  // namespace

struct Witness::Impl {
  explicit Impl(Cosigner c) : cosigner(std::move(c)) {}

  Cosigner cosigner;
  std::vector<WitnessedLog> logs;
  const Clock* clock = nullptr;
  std::mutex mu;  // serializes every state transition (and the connection)
  Db db;

  const WitnessedLog* FindLog(std::string_view origin) const {
    for (const WitnessedLog& l : logs) {
      if (l.origin == origin) return &l;
    }
    return nullptr;
  }

  Status RecordEvidence(const std::string& origin, const char* kind, const std::string& cosigned,
                        std::string_view conflicting, uint64_t old_size,
                        const std::vector<Hash>& proof, int64_t now) {
    {
      Query seen(db.db, "SELECT count(*), sum(conflicting = ?2) FROM evidence WHERE origin = ?1");
      if (!seen.ok()) return seen.Error("prepare evidence count");
      sqlite3_bind_text(seen.get(), 1, origin.data(), static_cast<int>(origin.size()),
                        SQLITE_TRANSIENT);
      sqlite3_bind_text(seen.get(), 2, conflicting.data(), static_cast<int>(conflicting.size()),
                        SQLITE_TRANSIENT);
      if (sqlite3_step(seen.get()) != SQLITE_ROW) return seen.Error("count evidence");
      if (sqlite3_column_int64(seen.get(), 0) >= kMaxEvidencePerLog ||
          sqlite3_column_int64(seen.get(), 1) > 0) {
        return Status::Ok();  // already kept, or enough kept to prove the point
      }
    }
    Query q(db.db,
            "INSERT INTO evidence(origin, kind, cosigned, conflicting, old_size, proof, "
            "received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!q.ok()) return q.Error("prepare evidence");
    const std::string proof_text = ProofText(proof);
    sqlite3_bind_text(q.get(), 1, origin.data(), static_cast<int>(origin.size()), SQLITE_TRANSIENT);
    sqlite3_bind_text(q.get(), 2, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(q.get(), 3, cosigned.data(), static_cast<int>(cosigned.size()),
                      SQLITE_TRANSIENT);
    sqlite3_bind_text(q.get(), 4, conflicting.data(), static_cast<int>(conflicting.size()),
                      SQLITE_TRANSIENT);
    sqlite3_bind_int64(q.get(), 5, static_cast<int64_t>(old_size));
    sqlite3_bind_text(q.get(), 6, proof_text.data(), static_cast<int>(proof_text.size()),
                      SQLITE_TRANSIENT);
    sqlite3_bind_int64(q.get(), 7, now);
    if (sqlite3_step(q.get()) != SQLITE_DONE) return q.Error("store evidence");
    return Status::Ok();
  }
};

Witness::Witness(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Witness::~Witness() = default;

Result<std::unique_ptr<Witness>> Witness::Open(const std::filesystem::path& dir, Cosigner cosigner,
                                               std::vector<WitnessedLog> logs, const Clock& clock) {
  std::set<std::string> seen;
  for (const WitnessedLog& l : logs) {
    if (!seen.insert(l.origin).second) {
      return InvalidArgumentError("witness: log \"" + l.origin + "\" is listed twice");
    }
    if (l.keys.empty()) return InvalidArgumentError("witness: log \"" + l.origin + "\" has no key");
  }
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  auto impl = std::make_unique<Impl>(std::move(cosigner));
  impl->logs = std::move(logs);
  impl->clock = &clock;
  const std::string file = (dir / "witness.db").string();
  if (sqlite3_open_v2(file.c_str(), &impl->db.db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    return InternalError("witness storage: cannot open " + file + ": " +
                         sqlite3_errmsg(impl->db.db));
  }
  sqlite3_busy_timeout(impl->db.db, 5000);
  RETURN_IF_ERROR(Exec(impl->db.db, "PRAGMA journal_mode=WAL"));
  RETURN_IF_ERROR(Exec(impl->db.db, "PRAGMA synchronous=FULL"));
  RETURN_IF_ERROR(Exec(impl->db.db, kSchema));
  return std::unique_ptr<Witness>(new Witness(std::move(impl)));
}

std::string Witness::VerifierKey() const { return impl_->cosigner.Verifier().Vkey(); }
const std::string& Witness::name() const { return impl_->cosigner.name(); }

WitnessReply Witness::AddCheckpoint(std::string_view body) {
  Result<AddRequest> req = ParseAddRequest(body);
  if (!req.ok()) return Reply(400, std::string(req.status().message()));
  Result<Note> note = ParseNote(req->note);
  if (!note.ok()) return Reply(400, "checkpoint: " + std::string(note.status().message()));
  Result<Checkpoint> cp = ParseCheckpoint(note->text);
  if (!cp.ok()) return Reply(400, "checkpoint: " + std::string(cp.status().message()));
  const WitnessedLog* log = impl_->FindLog(cp->origin);
  if (log == nullptr) return Reply(404, "unknown log origin \"" + cp->origin + "\"");
  std::vector<const SignatureVerifier*> keys;
  for (const NoteVerifier& k : log->keys) keys.push_back(&k);
  Result<OpenedNote> opened = OpenNote(req->note, keys);
  if (!opened.ok()) {
    const StatusCode code = opened.status().code();
    const int status =
        code == StatusCode::kPermissionDenied || code == StatusCode::kUnauthenticated ? 403 : 400;
    return Reply(status, "checkpoint signature: " + std::string(opened.status().message()));
  }
  if (req->old_size > cp->size) {
    return Reply(400, "old size " + std::to_string(req->old_size) +
                          " is larger than the checkpoint size " + std::to_string(cp->size));
  }
  // The log's verified signatures, kept with the cosigned checkpoint.
  Note kept;
  kept.text = note->text;
  for (const NoteSignature& s : note->signatures) {
    for (const VerifiedSignature& v : opened->verified) {
      if (v.verifier->name() == s.name && v.verifier->key_id() == s.key_id) {
        kept.signatures.push_back(s);
        break;
      }
    }
  }

  std::lock_guard<std::mutex> lock(impl_->mu);
  sqlite3* db = impl_->db.db;
  const int64_t now = ToUnixSeconds(impl_->clock->Now());
  if (!Exec(db, "BEGIN IMMEDIATE").ok()) return Reply(500, "witness storage is unavailable");
  auto fail = [&](int status, std::string text) {
    (void)Exec(db, "ROLLBACK");
    return Reply(status, std::move(text));
  };
  uint64_t stored_size = 0;
  Hash stored_root{};
  std::string stored_note;
  {
    Query q(db, "SELECT size, root, checkpoint FROM cosigned WHERE origin = ?1");
    if (!q.ok()) return fail(500, "witness storage error");
    sqlite3_bind_text(q.get(), 1, cp->origin.data(), static_cast<int>(cp->origin.size()),
                      SQLITE_TRANSIENT);
    const int rc = sqlite3_step(q.get());
    if (rc == SQLITE_ROW) {
      stored_size = static_cast<uint64_t>(sqlite3_column_int64(q.get(), 0));
      if (sqlite3_column_bytes(q.get(), 1) != static_cast<int>(kHashSize)) {
        return fail(500, "witness storage is corrupt");
      }
      std::memcpy(stored_root.data(), sqlite3_column_blob(q.get(), 1), kHashSize);
      stored_note = Text(q.get(), 2);
    } else if (rc != SQLITE_DONE) {
      return fail(500, "witness storage error");
    }
  }
  if (req->old_size != stored_size) {
    WitnessReply r = fail(409, std::to_string(stored_size));
    r.content_type = "text/x.tlog.size";
    return r;
  }
  // Evidence keeps the conflicting checkpoint with only the log's verified signatures (never
  // the sender's padding), once per distinct checkpoint, and at most kMaxEvidencePerLog rows
  // per log, so that replaying a checkpoint cannot grow the witness's storage.
  auto evidence = [&](const char* kind, std::string text) {
    Result<std::string> conflicting = FormatNote(kept);
    Status s = conflicting.status();
    if (s.ok()) {
      s = impl_->RecordEvidence(cp->origin, kind, stored_note, *conflicting, req->old_size,
                                req->proof, now);
    }
    if (!s.ok() || !Exec(db, "COMMIT").ok()) return fail(500, "witness storage error");
    return Reply(422, std::move(text));
  };
  if (cp->size == 0 && cp->root_hash != EmptyRoot()) {
    return fail(422, "a checkpoint of size 0 must have the empty tree's root hash");
  }
  if (req->old_size == 0) {
    if (!req->proof.empty()) return fail(422, "old size 0 needs an empty consistency proof");
  } else if (req->old_size == cp->size) {
    if (cp->root_hash != stored_root) {
      return evidence("same-size-different-root",
                      "the checkpoint's root differs from the cosigned checkpoint of the same "
                      "size; both are kept as fork evidence");
    }
    if (!req->proof.empty()) return fail(422, "equal sizes need an empty consistency proof");
  } else {
    Status c = VerifyConsistency(req->old_size, cp->size, req->proof, stored_root, cp->root_hash);
    if (!c.ok() && c.code() != StatusCode::kDataLoss) {
      // A proof of the wrong shape proves nothing about the log: refuse, keep nothing.
      return fail(422, "the consistency proof is malformed: " + std::string(c.message()));
    }
    if (!c.ok()) {
      return evidence("inconsistent", "the consistency proof from the cosigned size " +
                                          std::to_string(stored_size) +
                                          " does not verify: " + std::string(c.message()));
    }
  }
  Result<NoteSignature> cosig =
      impl_->cosigner.Sign(note->text, static_cast<uint64_t>(std::max<int64_t>(now, 1)));
  if (!cosig.ok()) return fail(500, "cannot cosign: " + std::string(cosig.status().message()));
  kept.signatures.push_back(*cosig);
  Result<std::string> kept_note = FormatNote(kept);
  if (!kept_note.ok()) return fail(500, "cannot format the cosigned checkpoint");
  {
    Query q(db,
            "INSERT INTO cosigned(origin, size, root, checkpoint, updated_at) VALUES "
            "(?1, ?2, ?3, ?4, ?5) ON CONFLICT(origin) DO UPDATE SET size = excluded.size, "
            "root = excluded.root, checkpoint = excluded.checkpoint, "
            "updated_at = excluded.updated_at");
    if (!q.ok()) return fail(500, "witness storage error");
    sqlite3_bind_text(q.get(), 1, cp->origin.data(), static_cast<int>(cp->origin.size()),
                      SQLITE_TRANSIENT);
    sqlite3_bind_int64(q.get(), 2, static_cast<int64_t>(cp->size));
    sqlite3_bind_blob(q.get(), 3, cp->root_hash.data(), kHashSize, SQLITE_TRANSIENT);
    sqlite3_bind_text(q.get(), 4, kept_note->data(), static_cast<int>(kept_note->size()),
                      SQLITE_TRANSIENT);
    sqlite3_bind_int64(q.get(), 5, now);
    if (sqlite3_step(q.get()) != SQLITE_DONE) return fail(500, "witness storage error");
  }
  // Durable before the cosignature leaves (synchronous=FULL).
  if (!Exec(db, "COMMIT").ok()) return fail(500, "witness storage error");
  WitnessReply ok;
  ok.body = FormatSignatureLine(*cosig);
  return ok;
}

WitnessReply Witness::LatestCheckpoint(std::string_view origin_hash) {
  for (const WitnessedLog& l : impl_->logs) {
    if (OriginHash(l.origin) != origin_hash) continue;
    std::lock_guard<std::mutex> lock(impl_->mu);
    Query q(impl_->db.db, "SELECT checkpoint FROM cosigned WHERE origin = ?1");
    if (!q.ok()) return Reply(500, "witness storage error");
    sqlite3_bind_text(q.get(), 1, l.origin.data(), static_cast<int>(l.origin.size()),
                      SQLITE_TRANSIENT);
    if (sqlite3_step(q.get()) != SQLITE_ROW) break;
    WitnessReply r;
    r.body = Text(q.get(), 0);
    return r;
  }
  return Reply(404, "no cosigned checkpoint for that origin hash");
}

Result<std::vector<ForkEvidence>> Witness::Evidence() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  Query q(impl_->db.db,
          "SELECT id, origin, kind, cosigned, conflicting, old_size, proof, received_at FROM "
          "evidence ORDER BY id");
  if (!q.ok()) return q.Error("read evidence");
  std::vector<ForkEvidence> out;
  for (;;) {
    const int rc = sqlite3_step(q.get());
    if (rc == SQLITE_DONE) return out;
    if (rc != SQLITE_ROW) return q.Error("read evidence");
    ForkEvidence e;
    e.id = sqlite3_column_int64(q.get(), 0);
    e.origin = Text(q.get(), 1);
    e.kind = Text(q.get(), 2);
    e.cosigned = Text(q.get(), 3);
    e.conflicting = Text(q.get(), 4);
    e.old_size = static_cast<uint64_t>(sqlite3_column_int64(q.get(), 5));
    const std::string proof = Text(q.get(), 6);
    for (size_t pos = 0; pos < proof.size();) {
      const size_t nl = proof.find('\n', pos);
      Result<Hash> h = HashFromBase64(proof.substr(pos, nl - pos));
      if (h.ok()) e.proof.push_back(*h);
      if (nl == std::string::npos) break;
      pos = nl + 1;
    }
    e.received_at = sqlite3_column_int64(q.get(), 7);
    out.push_back(std::move(e));
  }
}

WitnessReply Witness::EvidenceReply() {
  Result<std::vector<ForkEvidence>> all = Evidence();
  if (!all.ok()) return Reply(500, "witness storage error");
  nlohmann::json list = nlohmann::json::array();
  for (const ForkEvidence& e : *all) {
    nlohmann::json proof = nlohmann::json::array();
    for (const Hash& h : e.proof) proof.push_back(HashToBase64(h));
    list.push_back({{"id", e.id},
                    {"origin", e.origin},
                    {"kind", e.kind},
                    {"cosigned_checkpoint", e.cosigned},
                    {"conflicting_checkpoint", e.conflicting},
                    {"old_size", e.old_size},
                    {"consistency_proof", proof},
                    {"received_at", e.received_at}});
  }
  WitnessReply r;
  r.content_type = "application/json";
  r.body = nlohmann::json{{"witness", name()}, {"evidence", list}}.dump(2) + "\n";
  return r;
}

}  // namespace traceport::ledger
