#include "node/users.h"

#include <algorithm>
#include <array>

#include "codec/base64.h"
#include "codec/json.h"
#include "crypto/password_kdf.h"
#include "crypto/secret.h"
#include "crypto/sha2.h"

namespace traceport::node {
namespace {

using nlohmann::json;

constexpr std::array<UserRoleInfo, 5> kRoles = {{
    {UserRole::kOfficer, "officer",
     "customs officer: the queue of submissions, findings, traces and decisions", "customs"},
    {UserRole::kImporter, "importer",
     "importer or broker: assembles and submits shipments, reads their decisions", ""},
    {UserRole::kIssuer, "issuer", "issues the organization's documents; revokes and suspends them",
     ""},
    {UserRole::kRegistryAdmin, "registry-admin",
     "admits, suspends and reinstates actors in the trust registry", "registry-authority"},
    {UserRole::kAuditor, "auditor", "reads submissions, findings and decisions; changes nothing",
     ""},
}};

// Minimum time between writes of a session's last use: a busy page does not turn every
// request into a database write, and idle expiry is off by at most this much.
constexpr int64_t kTouchEverySeconds = 60;

std::vector<uint8_t> TokenHash(std::string_view token) {
  const crypto::Sha256Digest d = crypto::Sha256(token);
  return std::vector<uint8_t>(d.begin(), d.end());
}

std::string RandomToken(RandomSource& random) {
  std::array<uint8_t, 32> bytes{};
  random.Fill(bytes);
  return codec::Base64UrlEncode(bytes);
}

Status CheckUsername(std::string_view u) {
  if (u.empty() || u.size() > 64) {
    return InvalidArgumentError("username: 1 to 64 characters of a-z, 0-9, '.', '_' or '-'");
  }
  for (char c : u) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) {
      return InvalidArgumentError("username \"" + std::string(u) +
                                  "\": only a-z, 0-9, '.', '_' and '-' are allowed");
    }
  }
  return Status::Ok();
}

Status CheckName(std::string_view name) {
  if (name.size() > 200) return InvalidArgumentError("name: at most 200 bytes");
  if (!codec::IsValidUtf8(name)) return InvalidArgumentError("name: not valid UTF-8");
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f) return InvalidArgumentError("name: control characters");
  }
  return Status::Ok();
}

// The hash an unknown username is checked against, so that a wrong username costs the same
// Argon2id work as a wrong password and the response time does not tell which it was.
const std::string& DecoyHash() {
  static const std::string hash =
      crypto::HashPasswordArgon2id("traceport decoy password").value_or(std::string());
  return hash;
}

User UserFromRow(const internal::Row& row) {
  // Columns: org, username, name, role, created_at.
  User u;
  u.org = row.Text(0);
  u.username = row.Text(1);
  u.name = row.Text(2);
  u.role = ParseUserRole(row.Text(3)).value_or(UserRole::kAuditor);
  u.created_at = row.Text(4);
  return u;
}

}  // namespace

const char* const Users::kSchema = R"sql(
CREATE TABLE IF NOT EXISTS users(
  org TEXT NOT NULL REFERENCES orgs(slug), username TEXT NOT NULL, name TEXT NOT NULL,
  role TEXT NOT NULL, password TEXT NOT NULL, created_at TEXT NOT NULL,
  PRIMARY KEY (org, username)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sessions(
  token_hash BLOB PRIMARY KEY, org TEXT NOT NULL, username TEXT NOT NULL, csrf TEXT NOT NULL,
  created_s INTEGER NOT NULL, used_s INTEGER NOT NULL,
  FOREIGN KEY (org, username) REFERENCES users(org, username) ON DELETE CASCADE);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions(org, username);
)sql";

std::span<const UserRoleInfo> AllUserRoles() { return kRoles; }

std::optional<UserRole> ParseUserRole(std::string_view name) {
  for (const UserRoleInfo& r : kRoles) {
    if (r.name == name) return r.role;
  }
  return std::nullopt;
}

std::string_view UserRoleName(UserRole role) {
  for (const UserRoleInfo& r : kRoles) {
    if (r.role == role) return r.name;
  }
  return "unknown";
}

std::set<std::string> ScopesOfRole(UserRole role) {
  std::set<std::string> s = {"verify:credential", "verify:presentation", "resolve:dids"};
  switch (role) {
    case UserRole::kOfficer:
      s.insert({"read:submissions", "decide:submissions", "read:presentations"});
      break;
    case UserRole::kAuditor:
      s.insert({"read:submissions", "read:presentations"});
      break;
    case UserRole::kImporter:
      s.insert({"read:shipments", "create:presentation", "read:credential", "read:wallet",
                "write:wallet"});
      break;
    case UserRole::kIssuer:
      s.insert({"create:credential", "read:credential", "update:credential"});
      break;
    case UserRole::kRegistryAdmin:
      s.insert("manage:registry");
      break;
  }
  return s;
}

Principal User::ToPrincipal() const {
  Principal p;
  p.client_id = ClientId();
  p.org = org;
  p.scopes = ScopesOfRole(role);
  return p;
}

json User::ToJson() const {
  return {{"username", username},
          {"organization", org},
          {"role", std::string(UserRoleName(role))},
          {"name", name.empty() ? username : name},
          {"createdAt", created_at}};
}

Users::Users(internal::Db& db, const Clock& clock, RandomSource& random, SessionOptions options)
    : db_(db), clock_(clock), random_(random), options_(options) {}

Result<User> Users::Add(const UserSpec& spec) {
  RETURN_IF_ERROR(CheckUsername(spec.username));
  RETURN_IF_ERROR(CheckName(spec.name));
  if (spec.password.size() < kMinPasswordBytes) {
    return InvalidArgumentError("password: at least " + std::to_string(kMinPasswordBytes) +
                                " characters");
  }
  ASSIGN_OR_RETURN(std::string hash, crypto::HashPasswordArgon2id(spec.password));
  User u;
  u.org = spec.org;
  u.username = spec.username;
  u.name = spec.name.empty() ? spec.username : spec.name;
  u.role = spec.role;
  ASSIGN_OR_RETURN(u.created_at, FormatRfc3339(clock_.Now()));
  Result<int64_t> r = db_.Exec(
      "INSERT INTO users(org, username, name, role, password, created_at) VALUES(?,?,?,?,?,?)",
      {u.org, u.username, u.name, std::string(UserRoleName(u.role)), hash, u.created_at});
  if (!r.ok() && r.status().code() == StatusCode::kAlreadyExists) {
    return AlreadyExistsError("organization " + u.org + " already has a user \"" + u.username +
                              "\"");
  }
  RETURN_IF_ERROR(r.status());
  return u;
}

Result<std::vector<User>> Users::List(std::string_view org) const {
  ASSIGN_OR_RETURN(auto rows, db_.Query("SELECT org, username, name, role, created_at FROM users "
                                        "WHERE org=? ORDER BY username",
                                        {std::string(org)}));
  std::vector<User> out;
  for (const internal::Row& row : rows) out.push_back(UserFromRow(row));
  return out;
}

Result<Session> Users::Login(std::string_view org, std::string_view username,
                             std::string_view password) {
  const Status wrong = UnauthenticatedError("wrong organization, username or password");
  if (password.size() > crypto::kMaxPasswordBytes) return wrong;
  ASSIGN_OR_RETURN(auto row, db_.QueryOne("SELECT org, username, name, role, created_at, password "
                                          "FROM users WHERE org=? AND username=?",
                                          {std::string(org), std::string(username)}));
  if (!row) {
    (void)crypto::VerifyPasswordArgon2id(DecoyHash(), password);
    return wrong;
  }
  if (!crypto::VerifyPasswordArgon2id(row->Text(5), password)) return wrong;
  Session s;
  s.user = UserFromRow(*row);
  s.token = RandomToken(random_);
  s.csrf_token = RandomToken(random_);
  const int64_t now = ToUnixSeconds(clock_.Now());
  RETURN_IF_ERROR(db_.Exec("INSERT INTO sessions(token_hash, org, username, csrf, created_s, "
                           "used_s) VALUES(?,?,?,?,?,?)",
                           {internal::Blob{TokenHash(s.token)}, s.user.org, s.user.username,
                            s.csrf_token, now, now})
                      .status());
  s.expires_at = FromUnixSeconds(now + std::min(options_.idle, options_.absolute).count());
  return s;
}

Result<Session> Users::Authenticate(std::string_view token) {
  const Status ended = UnauthenticatedError("not signed in, or the session has ended");
  if (token.empty() || token.size() > 128) return ended;
  const internal::Blob key{TokenHash(token)};
  ASSIGN_OR_RETURN(auto row,
                   db_.QueryOne("SELECT u.org, u.username, u.name, u.role, u.created_at, s.csrf, "
                                "s.created_s, s.used_s FROM sessions s JOIN users u ON "
                                "u.org=s.org AND u.username=s.username WHERE s.token_hash=?",
                                {key}));
  if (!row) return ended;
  const int64_t now = ToUnixSeconds(clock_.Now());
  const int64_t created = row->Int(6);
  const int64_t used = row->Int(7);
  const int64_t hard_end = created + options_.absolute.count();
  if (now >= hard_end || now >= used + options_.idle.count()) {
    (void)db_.Exec("DELETE FROM sessions WHERE token_hash=?", {key});
    return ended;
  }
  if (now - used >= kTouchEverySeconds) {
    RETURN_IF_ERROR(
        db_.Exec("UPDATE sessions SET used_s=? WHERE token_hash=?", {now, key}).status());
  }
  Session s;
  s.user = UserFromRow(*row);
  s.token = std::string(token);
  s.csrf_token = row->Text(5);
  s.expires_at = FromUnixSeconds(std::min(hard_end, now + options_.idle.count()));
  return s;
}

Status Users::Logout(std::string_view token) {
  return db_.Exec("DELETE FROM sessions WHERE token_hash=?", {internal::Blob{TokenHash(token)}})
      .status();
}

Result<int64_t> Users::LogoutEverywhere(std::string_view org, std::string_view username) {
  return db_.Exec("DELETE FROM sessions WHERE org=? AND username=?",
                  {std::string(org), std::string(username)});
}

std::optional<std::string> CookieValue(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const size_t semi = header.find(';');
    std::string_view pair = header.substr(0, semi);
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    while (!pair.empty() && (pair.front() == ' ' || pair.front() == '\t')) pair.remove_prefix(1);
    while (!pair.empty() && (pair.back() == ' ' || pair.back() == '\t')) pair.remove_suffix(1);
    const size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    if (pair.substr(0, eq) != name) continue;
    std::string_view value = pair.substr(eq + 1);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    return std::string(value);
  }
  return std::nullopt;
}

bool HasSessionCookie(const net::ServerRequest& req) {
  std::optional<std::string_view> cookie = req.Header("Cookie");
  return cookie && CookieValue(*cookie, kSessionCookie).has_value();
}

Result<Session> SessionOfRequest(Users& users, const net::ServerRequest& req) {
  std::optional<std::string_view> cookie = req.Header("Cookie");
  std::optional<std::string> token;
  if (cookie) token = CookieValue(*cookie, kSessionCookie);
  if (!token) return UnauthenticatedError("not signed in");
  ASSIGN_OR_RETURN(Session s, users.Authenticate(*token));
  if (req.method != "GET" && req.method != "HEAD") {
    auto bytes = [](std::string_view v) {
      return std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(v.data()), v.size());
    };
    std::optional<std::string_view> csrf = req.Header(kCsrfHeader);
    if (!csrf || !crypto::ConstantTimeEquals(bytes(*csrf), bytes(s.csrf_token))) {
      return PermissionDeniedError(
          "a change made with the portal's session needs its CSRF token in the X-CSRF-Token "
          "header");
    }
  }
  return s;
}

}  // namespace traceport::node
