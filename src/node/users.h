// People who sign in to the portal: accounts that belong to one organization and have one
// role, passwords stored only as Argon2id hashes (crypto/password_kdf.h), and server-side
// sessions that the browser holds as an HttpOnly cookie.
//
// A session is a random 256-bit token. The node stores its SHA-256, never the token, so a copy
// of the database does not let anyone sign in. Each session also has a CSRF token that the
// portal sends back in the X-CSRF-Token header on every state-changing request: the cookie alone
// (which a browser attaches to cross-site requests) is never enough to change anything.
//
// A session ends on logout, when it has been idle for `idle` or has existed for `absolute`
// (whichever comes first), and — for every session of one user at once — on "logout
// everywhere".
//
// A signed-in user acts with the scopes of its role (ScopesOfRole), through the same routes and
// checks as an OAuth client of its organization; its client id is "user:<org>/<username>".
//
// Thread safety: all methods are thread-safe (the database serializes them).
#ifndef TRACEPORT_NODE_USERS_H_
#define TRACEPORT_NODE_USERS_H_

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/random.h"
#include "common/status.h"
#include "common/time.h"
#include "net/http_server.h"
#include "node/auth.h"
#include "node/internal/db.h"

namespace traceport::node {

enum class UserRole { kOfficer, kImporter, kIssuer, kRegistryAdmin, kAuditor };

struct UserRoleInfo {
  UserRole role;
  std::string_view name;     // "officer", "importer", "issuer", "registry-admin", "auditor"
  std::string_view meaning;  // one line for help texts
  // The organization role the user's organization must have ("" = any organization).
  std::string_view org_role;
};
std::span<const UserRoleInfo> AllUserRoles();
std::optional<UserRole> ParseUserRole(std::string_view name);
std::string_view UserRoleName(UserRole role);
// The OAuth scopes a user of `role` acts with.
std::set<std::string> ScopesOfRole(UserRole role);

struct UserSpec {
  std::string org;
  std::string username;  // [a-z0-9._-]{1,64}, unique within the organization
  std::string name;      // display name ("" = the username)
  UserRole role = UserRole::kImporter;
  std::string password;  // 12 to 4096 bytes
};

struct User {
  std::string org;
  std::string username;
  std::string name;
  UserRole role = UserRole::kImporter;
  std::string created_at;
  std::string ClientId() const { return "user:" + org + "/" + username; }
  Principal ToPrincipal() const;
  // {"username", "organization", "role", "name", "createdAt"}
  nlohmann::json ToJson() const;
};

struct Session {
  std::string token;  // the cookie value; shown once, the node keeps its hash
  std::string csrf_token;
  User user;
  Time expires_at;  // when it ends if used no more (idle), capped by the absolute lifetime
};

struct SessionOptions {
  std::chrono::seconds idle{std::chrono::hours(8)};
  std::chrono::seconds absolute{std::chrono::hours(12)};
};

// Shortest password Users::Add accepts.
inline constexpr size_t kMinPasswordBytes = 12;

class Users {
 public:
  // The DDL of the two tables (idempotent); the node runs it with its own schema. `users.org`
  // references `orgs(slug)`.
  static const char* const kSchema;

  // `db`, `clock` and `random` must outlive this object.
  Users(internal::Db& db, const Clock& clock, RandomSource& random, SessionOptions options = {});

  // Creates the account. InvalidArgument naming the field for a bad username, name or
  // password; AlreadyExists when the organization already has that username. The caller checks
  // that the organization exists and may hold the role.
  Result<User> Add(const UserSpec& spec);
  // The organization's accounts, by username.
  Result<std::vector<User>> List(std::string_view org) const;

  // Checks the password and opens a session. Unauthenticated, with the same words whether the
  // account does not exist or the password is wrong (and after the same Argon2id work).
  Result<Session> Login(std::string_view org, std::string_view username, std::string_view password);
  // The session behind a cookie value, its idle deadline moved forward. Unauthenticated when
  // the token is unknown, ended or expired, or its user is gone.
  Result<Session> Authenticate(std::string_view token);
  // Ends one session (OK when it had already ended).
  Status Logout(std::string_view token);
  // Ends every session of the user; returns how many there were.
  Result<int64_t> LogoutEverywhere(std::string_view org, std::string_view username);

 private:
  internal::Db& db_;
  const Clock& clock_;
  RandomSource& random_;
  SessionOptions options_;
};

// The value of cookie `name` in a Cookie request header ("a=1; b=2"), if present.
std::optional<std::string> CookieValue(std::string_view header, std::string_view name);

// The name of the portal's session cookie, and the header the portal echoes its CSRF token in.
inline constexpr std::string_view kSessionCookie = "tp_session";
inline constexpr std::string_view kCsrfHeader = "X-CSRF-Token";

// True when `req` carries the session cookie.
bool HasSessionCookie(const net::ServerRequest& req);

// The session behind `req`'s cookie. Unauthenticated without the cookie or for an ended
// session; for a request that may change something (any method but GET and HEAD)
// PermissionDenied unless X-CSRF-Token carries the session's CSRF token (compared in constant
// time): the browser attaches the cookie to cross-site requests, but not the token.
Result<Session> SessionOfRequest(Users& users, const net::ServerRequest& req);

}  // namespace traceport::node

#endif  // TRACEPORT_NODE_USERS_H_
