// traceport doc, submit, submissions, trace: the customs workflows of a running node, driven over
// its HTTP API (docs/api/node.md) with an OAuth client of the organization the command acts for.
//
// Every command takes --node URL and a login (--login FILE, or --client-id / --client-secret);
// the client secret is only ever sent to the node's token endpoint and never printed.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "apps/traceport/cli.h"
#include "codec/json.h"
#include "common/random.h"
#include "common/uuid.h"
#include "net/http_client.h"
#include "node/tabular.h"
#include "vc/vc_jwt.h"

namespace traceport::cli {
namespace {

using nlohmann::json;

constexpr size_t kMaxResponseBytes = 64 << 20;
constexpr size_t kMaxInputBytes = 256 << 20;
constexpr size_t kMaxCsvRows = 1000000;
constexpr int kMaxBatch = 10000;  // the node's limit on documents per request

// A missing or contradictory argument: reported by main() as a usage error (exit 2), like the
// ones CLI11 finds itself. Thrown from inside a command's callback, which runs within parse().
[[noreturn]] void UsageError(const std::string& message) { throw CLI::ValidationError(message); }

// Runs a command body, turning a JSON member of an unexpected type in the node's answer (which
// nlohmann reports by throwing) into an error instead of a crash.
Status Guarded(const std::function<Status()>& body) {
  try {
    return body();
  } catch (const json::exception& e) {
    return InternalError(std::string("unexpected JSON from the node: ") + e.what());
  }
}

// Bind (cli.h) with the action run under Guarded.
void BindGuarded(CLI::App* sub, const std::string& name, Context& ctx, Action action) {
  Bind(sub, name, ctx, [action = std::move(action)] { return Guarded(action); });
}

json ParseJsonOrNull(std::string_view text) {
  codec::JsonLimits limits;
  limits.max_bytes = kMaxResponseBytes;
  return codec::ParseJson(text, limits).value_or(json());
}

// Percent-encodes everything but RFC 3986 unreserved characters: safe in a path segment, a
// query value and an application/x-www-form-urlencoded value alike.
std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The node's base URL without a trailing slash, checked: https://, or http:// to a loopback
// host only (a bearer token and a client secret must not cross a network in the clear).
Result<std::string> NodeBaseUrl(const std::string& flag, std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  std::string rest;
  bool https = false;
  if (Lower(url.substr(0, 8)) == "https://") {
    https = true;
    rest = url.substr(8);
  } else if (Lower(url.substr(0, 7)) == "http://") {
    rest = url.substr(7);
  } else {
    return InvalidArgumentError(flag + ": expected an https:// URL, got '" + url + "'");
  }
  if (url.find_first_of("?# \t\r\n") != std::string::npos) {
    return InvalidArgumentError(flag + ": the node URL cannot have a query, fragment or spaces");
  }
  const std::string authority = rest.substr(0, rest.find('/'));
  if (authority.find('@') != std::string::npos) {
    return InvalidArgumentError(flag + ": put credentials in --login, not in the URL");
  }
  std::string host;
  if (!authority.empty() && authority[0] == '[') {
    const size_t close = authority.find(']');
    if (close == std::string::npos) return InvalidArgumentError(flag + ": malformed host");
    host = authority.substr(1, close - 1);
  } else {
    host = authority.substr(0, authority.find(':'));
  }
  if (host.empty()) return InvalidArgumentError(flag + ": the URL has no host");
  host = Lower(host);
  if (!https && host != "127.0.0.1" && host != "localhost" && host != "::1") {
    return InvalidArgumentError(flag + ": refusing plain http:// to " + host +
                                ": the client secret and tokens would cross the network "
                                "unencrypted; use https:// (plain http is allowed only for "
                                "127.0.0.1, localhost and ::1)");
  }
  return url;
}

// ---------------------------------------------------------------------------------------------
// Logins

struct Login {
  std::string client_id;
  std::string client_secret;
};

Result<Login> LoginFrom(const json& entry, const std::string& where) {
  if (!entry.is_object() || !entry.contains("client_id") || !entry.contains("client_secret") ||
      !entry["client_id"].is_string() || !entry["client_secret"].is_string()) {
    return InvalidArgumentError(where + ": expected an object with client_id and client_secret");
  }
  return Login{entry["client_id"].get<std::string>(), entry["client_secret"].get<std::string>()};
}

// The entries of a file holding several logins (the demo's demo-logins.json): an array, an
// object of named entries, or either under "logins" / "clients". Each with its name.
std::vector<std::pair<std::string, json>> LoginEntries(const json& doc) {
  std::vector<std::pair<std::string, json>> out;
  json list = doc;
  for (const char* member : {"logins", "clients"}) {
    if (doc.is_object() && doc.contains(member)) list = doc[member];
  }
  if (list.is_array()) {
    for (const json& e : list) {
      std::string name;
      for (const char* key : {"name", "login", "slug", "org"}) {
        if (name.empty() && e.is_object() && e.contains(key) && e[key].is_string()) {
          name = e[key].get<std::string>();
        }
      }
      out.emplace_back(name, e);
    }
  } else if (list.is_object()) {
    for (const auto& [name, e] : list.items()) {
      if (e.is_object()) out.emplace_back(name, e);
    }
  }
  return out;
}

// FILE or FILE#NAME: a JSON file with client_id and client_secret (`traceport client create`,
// admin-client.json), or one named entry of a file holding several.
Result<Login> LoadLogin(const std::string& spec) {
  std::string path = spec;
  std::string name;
  if (const size_t hash = spec.rfind('#'); hash != std::string::npos) {
    path = spec.substr(0, hash);
    name = spec.substr(hash + 1);
  }
  ASSIGN_OR_RETURN(std::string text, ReadInput(path, 1 << 20));
  auto doc = codec::ParseJson(text);
  if (!doc.ok())
    return InvalidArgumentError("login file " + path + ": " + std::string(doc.status().message()));
  if (name.empty() && doc->is_object() && doc->contains("client_id")) {
    return LoginFrom(*doc, "login file " + path);
  }
  const auto entries = LoginEntries(*doc);
  // NAME is an entry's name (its organization in demo-logins.json: the first entry of it), or
  // NAME/QUALIFIER for one whose "role" contains QUALIFIER: the demo gives customs one client
  // per submitter, "cbp/gulf-coast-steel" picks the one for that importer.
  const size_t slash = name.find('/');
  const std::string base = name.substr(0, slash);
  const std::string qualifier = slash == std::string::npos ? "" : name.substr(slash + 1);
  std::string names;
  for (const auto& [n, e] : entries) {
    const std::string role = e.is_object() ? e.value("role", "") : "";
    if (!name.empty() && n == base &&
        (qualifier.empty() || role.find(qualifier) != std::string::npos)) {
      return LoginFrom(e, "login file " + path + " entry " + name);
    }
    names += (names.empty() ? "" : ", ") + n;
    if (role.find(' ') != std::string::npos) names += "/" + role.substr(role.rfind(' ') + 1);
  }
  if (name.empty() && entries.size() == 1) {
    return LoginFrom(entries[0].second, "login file " + path);
  }
  if (entries.empty()) {
    return InvalidArgumentError("login file " + path + ": expected client_id and client_secret");
  }
  return InvalidArgumentError("login file " + path +
                              (name.empty() ? " holds several logins" : " has no login " + name) +
                              "; pick one with --login " + path + "#NAME (" + names + ")");
}

// ---------------------------------------------------------------------------------------------
// The node over HTTP

// Where a command talks to and as whom.
struct Endpoint {
  std::string node;
  std::string login;
  std::string client_id;
  std::string client_secret;
};

void AddEndpointFlags(CLI::App* sub, Endpoint& e, bool with_login) {
  sub->add_option("--node", e.node, "The node's base URL")->envname("TRACEPORT_NODE")->required();
  if (!with_login) return;
  sub->add_option("--login", e.login,
                  "JSON file with client_id and client_secret (FILE#NAME: one entry of a file "
                  "with several)");
  sub->add_option("--client-id", e.client_id, "OAuth client id")->envname("TRACEPORT_CLIENT_ID");
  sub->add_option("--client-secret", e.client_secret,
                  "OAuth client secret (prefer the environment or --login: arguments are "
                  "visible to other users)")
      ->envname("TRACEPORT_CLIENT_SECRET");
}

// "node: <status> <title>: <detail>" from an application/problem+json answer (or whatever the
// node sent). The code keeps exit 1: PermissionDenied would read as a failed verification.
Status NodeProblem(const net::HttpResponse& r) {
  const json p = ParseJsonOrNull(r.body);
  std::string message = "node: " + std::to_string(r.status);
  if (p.is_object() && (p.contains("title") || p.contains("detail"))) {
    const std::string title = p.value("title", "");
    const std::string detail = p.value("detail", "");
    if (!title.empty()) message += " " + title;
    if (!detail.empty() && detail != title) message += ": " + detail;
    // A refused presentation carries its verification report: name the checks that failed.
    const json report = p.value("report", json());
    if (report.is_object()) {
      std::string failed;
      for (const json& c : report.value("checks", json::array())) {
        if (c.value("status", "") != "fail") continue;
        failed += (failed.empty() ? "" : ", ") + c.value("name", std::string("?"));
        if (!c.value("reason", "").empty()) failed += " (" + c.value("reason", "") + ")";
      }
      if (!failed.empty()) message += "; failed: " + failed;
    }
    // Refused documents: the problems on the same line, each with its document (numbered from 0
    // within the request, as the node numbers them) and where; the first five.
    const json errors = p.value("errors", json());
    if (errors.is_array() && !errors.empty()) {
      std::string list;
      size_t shown = 0;
      for (const json& e : errors) {
        if (!e.is_object() || shown == 5) continue;
        ++shown;
        list += list.empty() ? "" : "; ";
        if (e.contains("document") && e["document"].is_number_unsigned()) {
          list += "document " + std::to_string(e["document"].get<uint64_t>()) + " ";
        }
        const auto text = [&e](const char* key) {
          return e.contains(key) && e[key].is_string() ? e[key].get<std::string>() : std::string();
        };
        list += text("pointer") + ": " + text("message");
      }
      if (errors.size() > shown) list += "; " + std::to_string(errors.size() - shown) + " more";
      message += " (" + list + ")";
    }
  } else {
    std::string body = r.body.substr(0, 300);
    for (char& c : body) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    if (!body.empty()) message += " " + body;
  }
  StatusCode code = StatusCode::kInvalidArgument;
  if (r.status == 401) code = StatusCode::kUnauthenticated;
  if (r.status == 403) code = StatusCode::kFailedPrecondition;
  if (r.status == 404) code = StatusCode::kNotFound;
  if (r.status == 409) code = StatusCode::kAlreadyExists;
  if (r.status == 429) code = StatusCode::kResourceExhausted;
  if (r.status >= 500) code = StatusCode::kUnavailable;
  return Status(code, message);
}

// One node, as one OAuth client. The token is fetched on first use and once more if the node
// answers 401 (it expired during a long bulk run).
class NodeClient {
 public:
  // `authenticate`: whether the commands need a login (GET /documents/types does not).
  static Result<std::unique_ptr<NodeClient>> Open(const Endpoint& e, bool authenticate,
                                                  const std::string& flag = "--node",
                                                  const std::string& login_flag = "--login") {
    auto c = std::unique_ptr<NodeClient>(new NodeClient());
    ASSIGN_OR_RETURN(c->base_, NodeBaseUrl(flag, e.node));
    c->options_.https_only = Lower(c->base_.substr(0, 8)) == "https://";
    c->options_.max_bytes = kMaxResponseBytes;
    c->options_.timeout = std::chrono::minutes(5);
    c->options_.accept = "application/json, application/problem+json";
    if (authenticate) {
      if (!e.login.empty()) {
        ASSIGN_OR_RETURN(c->login_, LoadLogin(e.login));
      } else if (!e.client_id.empty() && !e.client_secret.empty()) {
        c->login_ = Login{e.client_id, e.client_secret};
      } else if (!e.client_id.empty() || !e.client_secret.empty()) {
        UsageError("--client-id and --client-secret go together");
      } else {
        UsageError("a login is required: " + login_flag +
                   " FILE, or --client-id and --client-secret (or TRACEPORT_CLIENT_ID and "
                   "TRACEPORT_CLIENT_SECRET)");
      }
    }
    c->http_ = net::NewCurlHttpClient();
    return c;
  }

  Result<json> Get(const std::string& path) { return Call("GET", path, "", ""); }
  Result<json> Post(const std::string& path, const json& body) {
    return Call("POST", path, "application/json", body.dump());
  }

 private:
  NodeClient() = default;

  Result<net::HttpResponse> Send(const std::string& method, const std::string& path,
                                 const std::string& content_type, const std::string& body,
                                 const net::FetchOptions& options) {
    auto r = method == "GET" ? http_->Get(base_ + path, options)
                             : http_->Post(base_ + path, content_type, body, options);
    if (!r.ok()) {
      return Status(r.status().code(),
                    "cannot reach the node at " + base_ + ": " + std::string(r.status().message()));
    }
    return r;
  }

  Status FetchToken() {
    const std::string form =
        "grant_type=client_credentials&client_id=" + PercentEncode(login_->client_id) +
        "&client_secret=" + PercentEncode(login_->client_secret);
    ASSIGN_OR_RETURN(
        net::HttpResponse r,
        Send("POST", "/oauth/token", "application/x-www-form-urlencoded", form, options_));
    if (r.status != 200) return NodeProblem(r);
    const json t = ParseJsonOrNull(r.body);
    if (!t.is_object() || !t.contains("access_token") || !t["access_token"].is_string()) {
      return InternalError("node: the token response has no access_token");
    }
    token_ = t["access_token"].get<std::string>();
    return Status::Ok();
  }

  Result<json> Call(const std::string& method, const std::string& path,
                    const std::string& content_type, const std::string& body) {
    for (int attempt = 0;; ++attempt) {
      net::FetchOptions options = options_;
      if (login_) {
        if (token_.empty()) RETURN_IF_ERROR(FetchToken());
        options.headers.emplace_back("Authorization", "Bearer " + token_);
      }
      ASSIGN_OR_RETURN(net::HttpResponse r, Send(method, path, content_type, body, options));
      if (r.status == 401 && login_ && attempt == 0) {
        token_.clear();
        continue;
      }
      if (r.status < 200 || r.status >= 300) return NodeProblem(r);
      json out = ParseJsonOrNull(r.body);
      if (out.is_null()) {
        return InternalError("node: " + method + " " + path + " did not answer with JSON");
      }
      return out;
    }
  }

  std::string base_;
  std::optional<Login> login_;
  std::string token_;
  net::FetchOptions options_;
  std::unique_ptr<net::HttpClient> http_;
};

// ---------------------------------------------------------------------------------------------
// Text output

std::string Text(const json& v) {
  if (v.is_null()) return "-";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_float()) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.1f", v.get<double>());
    return buf;
  }
  return v.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string Member(const json& obj, const char* name) {
  return obj.is_object() && obj.contains(name) ? Text(obj[name]) : "-";
}

std::string Join(const json& list, const char* sep = ", ") {
  std::string out;
  if (!list.is_array()) return Text(list);
  for (const json& v : list) out += (out.empty() ? "" : sep) + Text(v);
  return out.empty() ? "-" : out;
}

// Columns padded to their widest cell; the last column is not padded.
void PrintTable(const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width(header.size());
  for (size_t i = 0; i < header.size(); ++i) width[i] = header[i].size();
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size() && i < width.size(); ++i) {
      width[i] = std::max(width[i], row[i].size());
    }
  }
  auto print = [&](const std::vector<std::string>& row) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(width[i] - row[i].size() + 2, ' ');
    }
    std::cout << line << "\n";
  };
  print(header);
  for (const auto& row : rows) print(row);
}

void PrintFindings(const json& findings) {
  if (!findings.is_array() || findings.empty()) {
    std::cout << "findings:     none\n";
    return;
  }
  std::cout << "findings:     " << findings.size() << "\n";
  for (const json& f : findings) {
    std::cout << "  " << Member(f, "severity") << "  " << Member(f, "ruleId") << "  "
              << Member(f, "explanation") << "\n";
  }
}

void PrintCredentialSummaries(const json& credentials) {
  if (!credentials.is_array()) return;
  std::cout << "credentials:  " << credentials.size() << "\n";
  for (const json& c : credentials) {
    std::string state = c.value("verified", false) ? "verified" : "NOT VERIFIED";
    for (const json& f : c.value("failedChecks", json::array())) {
      state += "; " + Member(f, "check") + ": " + Member(f, "reason");
    }
    if (c.contains("issuerRegistered") && c["issuerRegistered"] == false) {
      state += "; issuer not registered";
    }
    std::cout << "  " << Member(c, "type") << "  " << Member(c, "id") << "  " << state << "\n";
  }
}

// ---------------------------------------------------------------------------------------------
// doc types, doc issue

Status DocTypes(Context& ctx, const Endpoint& e) {
  ASSIGN_OR_RETURN(auto node, NodeClient::Open(e, /*authenticate=*/false));
  ASSIGN_OR_RETURN(json types, node->Get("/documents/types"));
  if (ctx.json) {
    PrintJson(types);
    return Status::Ok();
  }
  std::vector<std::vector<std::string>> rows;
  for (const json& t : types.value("types", json::array())) {
    rows.push_back({Member(t, "type"), Member(t, "title")});
  }
  PrintTable({"TYPE", "TITLE"}, rows);
  return Status::Ok();
}

struct IssueFlags {
  Endpoint endpoint;
  std::string type;
  std::string file;
  std::string format;  // json | csv; default from the file name
  std::string out;
  std::string securing = "vc-jwt";
  int batch = 100;
};

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         Lower(std::string(s.substr(s.size() - suffix.size()))) == suffix;
}

// The documents of a .json file: one document object, an array of them, or {"documents": [...]}.
// A document that names its credential type (a whole credential given as a template) must name
// `type`: issuing an invoice as a mill certificate fails on the schema, but less clearly.
Result<std::vector<json>> JsonDocuments(const std::string& file, const std::string& text,
                                        const std::string& type) {
  codec::JsonLimits limits;
  limits.max_bytes = kMaxInputBytes;
  auto doc = codec::ParseJson(text, limits);
  if (!doc.ok()) return InvalidArgumentError(file + ": " + std::string(doc.status().message()));
  json list;
  if (doc->is_array()) {
    list = std::move(*doc);
  } else if (doc->is_object() && doc->contains("documents") &&
             !doc->contains("credentialSubject")) {
    list = (*doc)["documents"];
    if (!list.is_array()) return InvalidArgumentError(file + ": /documents: expected an array");
  } else {
    list = json::array({std::move(*doc)});
  }
  std::vector<json> out;
  for (size_t i = 0; i < list.size(); ++i) {
    const json& d = list[i];
    if (!d.is_object() || !d.contains("credentialSubject") || !d["credentialSubject"].is_object()) {
      return InvalidArgumentError(file + ": document " + std::to_string(i) +
                                  ": expected an object with a credentialSubject object");
    }
    if (d.contains("type")) {
      const json types = d["type"].is_array() ? d["type"] : json::array({d["type"]});
      for (const json& t : types) {
        if (t.is_string() && t != "VerifiableCredential" && t != type) {
          return InvalidArgumentError(file + ": document " + std::to_string(i) + " is a " +
                                      t.get<std::string>() + ", not a " + type);
        }
      }
    }
    out.push_back(d);
  }
  return out;
}

Status DocIssue(Context& ctx, const IssueFlags& f) {
  if (f.batch < 1 || f.batch > kMaxBatch) {
    UsageError("--batch: expected 1 to " + std::to_string(kMaxBatch));
  }
  std::string format = f.format;
  if (format.empty()) format = EndsWith(f.file, ".csv") ? "csv" : "json";
  ASSIGN_OR_RETURN(std::string text, ReadInput(f.file, kMaxInputBytes));
  std::vector<json> docs;
  if (format == "csv") {
    auto rows = node::CsvToDocuments(text, kMaxCsvRows);
    if (!rows.ok())
      return Status(rows.status().code(), f.file + ": " + std::string(rows.status().message()));
    docs = std::move(*rows);
  } else {
    ASSIGN_OR_RETURN(docs, JsonDocuments(f.file, text, f.type));
  }
  if (docs.empty()) return InvalidArgumentError(f.file + ": no documents to issue");
  ASSIGN_OR_RETURN(auto node, NodeClient::Open(f.endpoint, true));

  std::ofstream file;
  std::ostream* out = &std::cout;
  if (!f.out.empty() && f.out != "-") {
    file.open(f.out, std::ios::binary | std::ios::trunc);
    if (!file) return InternalError("cannot write " + f.out);
    out = &file;
  }
  const bool to_stdout = out == &std::cout;
  const size_t total = docs.size();
  size_t issued = 0;
  json records = json::array();
  for (size_t start = 0; start < total; start += static_cast<size_t>(f.batch)) {
    const size_t end = std::min(total, start + static_cast<size_t>(f.batch));
    json batch = json::array();
    for (size_t i = start; i < end; ++i) batch.push_back(std::move(docs[i]));
    auto r = node->Post("/documents/issue", json{{"type", f.type},
                                                 {"documents", std::move(batch)},
                                                 {"options", {{"securing", f.securing}}}});
    if (!r.ok()) {
      // The node numbers documents within the batch; say where the batch sits in the file.
      std::string where = "documents " + std::to_string(start) + "-" + std::to_string(end - 1);
      if (format == "csv") {
        where += " (CSV rows " + std::to_string(start + 2) + "-" + std::to_string(end + 1) +
                 "; document k of the batch is row " + std::to_string(start + 2) + "+k)";
      }
      std::string message = "batch of " + where + " failed: " + std::string(r.status().message()) +
                            "; " + std::to_string(issued) + " of " + std::to_string(total) + " " +
                            f.type + " issued before it";
      if (issued > 0) message += to_stdout ? " (printed above)" : " (written to " + f.out + ")";
      return Status(r.status().code(), message);
    }
    for (const json& item : r->value("issued", json::array())) {
      *out << item.value("verifiableCredential", json()).dump() << "\n";
      records.push_back(
          {{"id", item.value("id", json())}, {"ledgerIndex", item.value("ledgerIndex", json())}});
      ++issued;
    }
    out->flush();
    std::fprintf(stderr, "issued %zu/%zu %s\n", issued, total, f.type.c_str());
  }
  if (file.is_open()) {
    file.close();
    if (!file) return InternalError("cannot write " + f.out);
    if (ctx.json) {
      PrintJson({{"type", f.type}, {"count", issued}, {"out", f.out}, {"issued", records}});
    } else {
      std::cout << "issued " << issued << " " << f.type << " to " << f.out << "\n";
    }
  }
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// submit

struct SubmitFlags {
  Endpoint customs;
  std::string holder_node;
  std::string holder_login;
  std::vector<std::string> workflow;
  std::vector<std::string> instance;
  std::string challenge;
  std::string domain;
  std::string securing = "vc-jwt";
  std::string replace;
  std::vector<std::string> files;
};

bool LooksLikeJwt(std::string_view s) {
  if (std::count(s.begin(), s.end(), '.') != 2) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}

// One credential as read from a file: a secured JSON credential, an enveloped vc+jwt, a bare
// vc+jwt string, or a `doc issue` / POST /credentials/issue record holding one of those.
Result<json> AsCredential(const json& v, const std::string& where) {
  if (v.is_string()) {
    if (!LooksLikeJwt(v.get<std::string>())) {
      return InvalidArgumentError(where + ": a string that is not a vc+jwt");
    }
    return vc::EnvelopeCredential(v.get<std::string>());
  }
  if (v.is_object() && !v.contains("type") && v.contains("verifiableCredential")) {
    return AsCredential(v["verifiableCredential"], where);
  }
  if (!v.is_object() || !v.contains("type")) {
    return InvalidArgumentError(where + ": expected a verifiable credential");
  }
  return v;
}

// Credentials from files: each file one credential (JSON or a bare vc+jwt), a JSON array of
// them, or JSON lines (as `doc issue` writes).
Result<std::vector<json>> ReadCredentials(const std::vector<std::string>& files) {
  std::vector<json> out;
  codec::JsonLimits limits;
  limits.max_bytes = kMaxInputBytes;
  for (const std::string& path : files) {
    ASSIGN_OR_RETURN(std::string text, ReadInput(path, kMaxInputBytes));
    std::string trimmed = text;
    while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.back()))) {
      trimmed.pop_back();
    }
    if (LooksLikeJwt(trimmed)) {
      out.push_back(vc::EnvelopeCredential(trimmed));
      continue;
    }
    if (auto whole = codec::ParseJson(text, limits); whole.ok()) {
      const json list = whole->is_array() ? *whole : json::array({*whole});
      for (size_t i = 0; i < list.size(); ++i) {
        ASSIGN_OR_RETURN(json c, AsCredential(list[i], path + " item " + std::to_string(i)));
        out.push_back(std::move(c));
      }
      continue;
    }
    size_t line_no = 0;
    size_t pos = 0;
    while (pos < text.size()) {
      size_t nl = text.find('\n', pos);
      if (nl == std::string::npos) nl = text.size();
      std::string_view line(text.data() + pos, nl - pos);
      pos = nl + 1;
      ++line_no;
      while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) {
        line.remove_suffix(1);
      }
      if (line.empty()) continue;
      const std::string where = path + " line " + std::to_string(line_no);
      auto v = codec::ParseJson(line, limits);
      if (!v.ok()) return InvalidArgumentError(where + ": " + std::string(v.status().message()));
      ASSIGN_OR_RETURN(json c, AsCredential(*v, where));
      out.push_back(std::move(c));
    }
  }
  if (out.empty()) return InvalidArgumentError("no credentials in the files given");
  return out;
}

void PrintReceipt(const json& receipt) {
  const json s = receipt.value("submission", json());
  if (!s.is_object()) {
    // Not a customs organization: the traceability-interop receipt only.
    std::cout << "presentation: " << Member(receipt, "id") << "\n"
              << "verified:     " << Member(receipt, "verified") << "\n"
              << "ledger index: " << Member(receipt, "ledgerIndex") << "\n";
    return;
  }
  std::cout << "submission:   " << Member(s, "id") << "\n"
            << "status:       " << Member(s, "status") << "\n"
            << "risk:         " << Member(s, "risk") << "\n"
            << "ruleset:      " << Member(s, "rulesetVersion") << "\n"
            << "ledger index: " << Member(s, "ledgerIndex") << "\n";
  if (s.contains("receipt")) std::cout << "receipt:      " << Member(s, "receipt") << "\n";
  PrintCredentialSummaries(s.value("credentials", json::array()));
  PrintFindings(s.value("findings", json::array()));
}

Status Submit(Context& ctx, const SubmitFlags& f) {
  Endpoint holder = f.customs;
  holder.node = f.holder_node.empty() ? f.customs.node : f.holder_node;
  holder.login = f.holder_login;
  holder.client_id.clear();
  holder.client_secret.clear();
  ASSIGN_OR_RETURN(auto holder_node,
                   NodeClient::Open(holder, true, "--holder-node", "--holder-login"));
  ASSIGN_OR_RETURN(auto customs, NodeClient::Open(f.customs, true));
  ASSIGN_OR_RETURN(std::vector<json> credentials, ReadCredentials(f.files));

  const std::string id = "urn:uuid:" + Uuid::NewV4(OsRandom()).ToString();
  json presentation = {{"@context", {"https://w3id.org/traceability/v1"}},
                       {"type", {"VerifiablePresentation", "TraceablePresentation"}},
                       {"id", id},
                       {"workflow", {{"definition", f.workflow}, {"instance", f.instance}}},
                       {"verifiableCredential", credentials}};
  if (!f.replace.empty()) presentation["replace"] = f.replace;
  json options = {{"securing", f.securing}};
  if (!f.challenge.empty()) options["challenge"] = f.challenge;
  if (!f.domain.empty()) options["domain"] = f.domain;
  auto proved = holder_node->Post("/presentations/prove",
                                  {{"presentation", presentation}, {"options", options}});
  if (!proved.ok()) {
    return proved.status().WithContext("the holder's node did not sign the presentation");
  }
  const json vp = proved->value("verifiablePresentation", json());
  auto receipt = customs->Post("/presentations", {{"verifiablePresentation", vp}});
  if (!receipt.ok()) return receipt.status().WithContext("the customs node refused " + id);
  if (ctx.json) {
    PrintJson(*receipt);
  } else {
    PrintReceipt(*receipt);
  }
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// submissions

struct ListFlags {
  Endpoint endpoint;
  std::string status;
  std::string sort;
  std::string workflow;
  std::string holder;
  int min_risk = -1;
  int limit = -1;
};

std::string Query(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string q;
  for (const auto& [name, value] : params) {
    if (value.empty()) continue;
    q += (q.empty() ? "?" : "&") + name + "=" + PercentEncode(value);
  }
  return q;
}

Status ListSubmissions(Context& ctx, const ListFlags& f) {
  ASSIGN_OR_RETURN(auto node, NodeClient::Open(f.endpoint, true));
  const std::string q = Query({{"status", f.status},
                               {"sort", f.sort},
                               {"workflow", f.workflow},
                               {"holder", f.holder},
                               {"minRisk", f.min_risk >= 0 ? std::to_string(f.min_risk) : ""},
                               {"limit", f.limit >= 0 ? std::to_string(f.limit) : ""}});
  ASSIGN_OR_RETURN(json list, node->Get("/customs/submissions" + q));
  if (ctx.json) {
    PrintJson(list);
    return Status::Ok();
  }
  std::vector<std::vector<std::string>> rows;
  for (const json& s : list.value("submissions", json::array())) {
    const json lead = s.value("leadTimeHours", json());
    rows.push_back({Member(s, "id"), Member(s, "status"), Member(s, "risk"),
                    Member(s, "receivedAt"), lead.is_null() ? "-" : Text(lead) + " h",
                    Join(s.value("workflow", json::object()).value("definition", json())),
                    Join(s.value("rules", json::array()))});
  }
  PrintTable({"ID", "STATUS", "RISK", "RECEIVED", "LEAD", "WORKFLOW", "RULES"}, rows);
  return Status::Ok();
}

Status ShowSubmission(Context& ctx, const Endpoint& e, const std::string& id) {
  ASSIGN_OR_RETURN(auto node, NodeClient::Open(e, true));
  ASSIGN_OR_RETURN(json s, node->Get("/customs/submissions/" + PercentEncode(id)));
  if (ctx.json) {
    PrintJson(s);
    return Status::Ok();
  }
  const json workflow = s.value("workflow", json::object());
  const json outcome = s.value("outcome", json::object());
  std::cout << "submission:   " << Member(s, "id") << "\n"
            << "holder:       " << Member(s, "holder") << "\n"
            << "workflow:     " << Join(workflow.value("definition", json())) << " / "
            << Join(workflow.value("instance", json())) << "\n"
            << "status:       " << Member(s, "status") << "\n"
            << "risk:         " << Member(s, "risk") << "\n"
            << "ruleset:      " << Member(s, "rulesetVersion") << "\n"
            << "received:     " << Member(s, "receivedAt") << "\n"
            << "arrival:      " << Member(s, "arrivalAt") << "\n"
            << "lead time:    "
            << (s.value("leadTimeHours", json()).is_null() ? "-" : Text(s["leadTimeHours"]) + " h")
            << "\n";
  if (s.contains("receipt")) {
    std::cout << "ledger index: " << Member(s["receipt"], "ledgerIndex") << " ("
              << Member(s["receipt"], "url") << ")\n";
  }
  PrintCredentialSummaries(s.value("credentials", json::array()));
  PrintFindings(outcome.value("findings", json::array()));
  std::cout << "passed:       " << Join(outcome.value("passed", json::array())) << "\n"
            << "not applied:  " << Join(outcome.value("notApplicable", json::array())) << "\n";
  const json decisions = s.value("decisions", json::array());
  if (decisions.empty()) {
    std::cout << "decisions:    none\n";
  } else {
    std::cout << "decisions:    " << decisions.size() << "\n";
    for (const json& d : decisions) {
      std::cout << "  " << Member(d, "decidedAt") << "  " << Member(d, "decision") << "  by "
                << Member(d, "officer") << "  ledger index " << Member(d, "ledgerIndex") << "  "
                << Member(d, "reason") << "\n";
    }
  }
  return Status::Ok();
}

struct DecideFlags {
  Endpoint endpoint;
  std::string id;
  std::string decision;
  std::string reason;
};

Status Decide(Context& ctx, const DecideFlags& f) {
  if (f.reason.empty()) UsageError("--reason: a decision needs a reason");
  ASSIGN_OR_RETURN(auto node, NodeClient::Open(f.endpoint, true));
  ASSIGN_OR_RETURN(json d, node->Post("/customs/submissions/" + PercentEncode(f.id) + "/decision",
                                      {{"decision", f.decision}, {"reason", f.reason}}));
  if (ctx.json) {
    PrintJson(d);
    return Status::Ok();
  }
  std::cout << "submission:   " << Member(d, "id") << "\n"
            << "decision:     " << Member(d, "decision") << "\n"
            << "status:       " << Member(d, "status") << "\n"
            << "ruleset:      " << Member(d, "rulesetVersion") << "\n"
            << "decided at:   " << Member(d, "decidedAt") << "\n"
            << "ledger index: " << Member(d, "ledgerIndex") << "\n";
  return Status::Ok();
}

Status SubmissionStatus(Context& ctx, const Endpoint& e, const std::string& id) {
  ASSIGN_OR_RETURN(auto node, NodeClient::Open(e, true));
  ASSIGN_OR_RETURN(json s, node->Get("/customs/submissions/" + PercentEncode(id) + "/status"));
  if (ctx.json) {
    PrintJson(s);
    return Status::Ok();
  }
  std::cout << "submission:   " << Member(s, "id") << "\n"
            << "status:       " << Member(s, "status") << "\n"
            << "received:     " << Member(s, "receivedAt") << "\n"
            << "updated:      " << Member(s, "updatedAt") << "\n";
  if (s.contains("decision")) {
    const json& d = s["decision"];
    std::cout << "decision:     " << Member(d, "decision") << " at " << Member(d, "decidedAt")
              << ": " << Member(d, "reason") << "\n";
  }
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// trace

struct TraceFlags {
  Endpoint endpoint;
  std::string submission;
  std::string heat;
  std::string batch;
  std::string kind;
  std::string value;
};

void PrintTraceBack(const json& t) {
  std::cout << "trace back from submission " << Member(t.value("root", json()), "submission")
            << "\n";
  // The credentials by id, to name the ends of each edge by their type.
  std::map<std::string, std::string> types;
  for (const json& n : t.value("nodes", json::array())) types[Member(n, "id")] = Member(n, "type");
  // Origins grouped by the credential they come from: each mill certificate or product with
  // its heats, certificate, batch and well numbers.
  std::vector<std::string> origin_order;
  std::map<std::string, std::pair<json, std::string>> by_credential;
  for (const json& o : t.value("origins", json::array())) {
    const std::string id = Member(o, "credential");
    auto [it, added] = by_credential.try_emplace(id, o, "");
    if (added) origin_order.push_back(id);
    it->second.second +=
        (it->second.second.empty() ? "" : ", ") + Member(o, "kind") + " " + Member(o, "value");
  }
  std::cout << "\norigins (" << origin_order.size() << ")\n";
  for (const std::string& id : origin_order) {
    const auto& [o, identifiers] = by_credential[id];
    std::cout << "  " << Member(o, "type") << " " << id << "\n    issued by " << Member(o, "issuer")
              << "\n    " << identifiers << "\n";
  }
  std::vector<std::vector<std::string>> rows;
  const json edges = t.value("edges", json::array());
  std::cout << "\npath (" << edges.size() << " links)\n";
  for (const json& e : edges) {
    const std::string from = Member(e, "from");
    const std::string to = Member(e, "to");
    std::cout << "  " << types[from] << " " << from << "\n    --" << Member(e, "kind") << " "
              << Member(e, "value") << "--> " << types[to] << " " << to << "\n";
  }
  const json nodes = t.value("nodes", json::array());
  std::cout << "\ncredentials (" << nodes.size() << ")\n";
  rows.clear();
  for (const json& n : nodes) {
    rows.push_back({"  " + Member(n, "depth"), Member(n, "type"), Member(n, "id"),
                    Member(n, "issuer"), Join(n.value("submissions", json::array()))});
  }
  if (!rows.empty()) PrintTable({"  DEPTH", "TYPE", "ID", "ISSUER", "SUBMISSIONS"}, rows);
  if (t.value("truncated", false)) std::cout << "\n(truncated: the trace reached its limits)\n";
}

void PrintTraceForward(const json& t) {
  const json id = t.value("identifier", json::object());
  std::cout << "trace forward from " << Member(id, "kind") << " " << Member(id, "value") << "\n";
  const json creds = t.value("credentials", json::array());
  std::vector<std::vector<std::string>> rows;
  // Depth 0 first: the credentials carrying the identifier itself (the mill certificate of a
  // heat, the product of a batch), then what they lead to.
  for (const json& c : creds) {
    const json via = c.value("via", json::object());
    rows.push_back({"  " + Member(c, "depth"), Member(c, "type"), Member(c, "id"),
                    Member(c, "issuer"), Member(via, "kind") + " " + Member(via, "value")});
  }
  std::cout << "\ncredentials (" << creds.size() << ")\n";
  if (!rows.empty()) PrintTable({"  DEPTH", "TYPE", "ID", "ISSUER", "VIA"}, rows);
  const json subs = t.value("submissions", json::array());
  std::cout << "\nsubmissions (" << subs.size() << ")\n";
  rows.clear();
  for (const json& s : subs) {
    rows.push_back({"  " + Member(s, "id"), Member(s, "receivedAt"),
                    std::to_string(s.value("credentials", json::array()).size())});
  }
  if (!rows.empty()) PrintTable({"  ID", "RECEIVED", "CREDENTIALS"}, rows);
  if (t.value("truncated", false)) std::cout << "\n(truncated: the trace reached its limits)\n";
}

Status Trace(Context& ctx, const TraceFlags& f) {
  std::string kind = f.kind;
  std::string value = f.value;
  if (f.kind.empty() != f.value.empty()) UsageError("--kind and --value go together");
  if (!f.heat.empty()) {
    kind = "heat";
    value = f.heat;
  }
  if (!f.batch.empty()) {
    kind = "batch";
    value = f.batch;
  }
  const int modes = !f.submission.empty() + !f.heat.empty() + !f.batch.empty() + !f.kind.empty();
  if (modes != 1) {
    UsageError("give one of --submission ID, --heat H, --batch B, or --kind K --value V");
  }
  ASSIGN_OR_RETURN(auto node, NodeClient::Open(f.endpoint, true));
  const std::string q = f.submission.empty() ? Query({{"kind", kind}, {"value", value}})
                                             : Query({{"submission", f.submission}});
  ASSIGN_OR_RETURN(json t, node->Get("/customs/trace" + q));
  if (ctx.json) {
    PrintJson(t);
  } else if (f.submission.empty()) {
    PrintTraceForward(t);
  } else {
    PrintTraceBack(t);
  }
  return Status::Ok();
}

}  // namespace

void RegisterCustomsCommands(CLI::App& app, Context& ctx) {
  // doc
  CLI::App* doc = app.add_subcommand("doc", "Trade documents issued from data by a node");
  doc->require_subcommand(1);
  auto types_flags = std::make_shared<Endpoint>();
  CLI::App* types = doc->add_subcommand("types", "List the document types the node issues");
  AddEndpointFlags(types, *types_flags, /*with_login=*/false);
  BindGuarded(types, "doc types", ctx, [&ctx, types_flags] { return DocTypes(ctx, *types_flags); });

  auto issue_flags = std::make_shared<IssueFlags>();
  CLI::App* issue = doc->add_subcommand(
      "issue", "Issue documents of one type from a JSON or CSV file, in batches");
  AddEndpointFlags(issue, issue_flags->endpoint, true);
  issue->add_option("--type", issue_flags->type, "Document type, e.g. MillTestReportCredential")
      ->required();
  issue
      ->add_option("FILE", issue_flags->file,
                   ".json (a document, an array, or {\"documents\": [...]}) or .csv (one "
                   "document per row); - for standard input")
      ->required();
  issue->add_option("--format", issue_flags->format, "json or csv (default: from FILE's name)")
      ->check(CLI::IsMember({"json", "csv"}));
  issue->add_option("--batch", issue_flags->batch, "Documents per request (default 100)");
  issue->add_option("--out,-o", issue_flags->out,
                    "Write the issued credentials here, one JSON per line (default stdout)");
  issue
      ->add_option("--securing", issue_flags->securing,
                   "vc-jwt (default), ecdsa-jcs-2019 or eddsa-jcs-2022")
      ->check(CLI::IsMember({"vc-jwt", "ecdsa-jcs-2019", "eddsa-jcs-2022"}));
  BindGuarded(issue, "doc issue", ctx, [&ctx, issue_flags] { return DocIssue(ctx, *issue_flags); });

  // submit
  auto submit_flags = std::make_shared<SubmitFlags>();
  CLI::App* submit = app.add_subcommand(
      "submit",
      "Have the holder's node sign a TraceablePresentation of credentials and submit it to "
      "customs; prints the receipt with its findings");
  AddEndpointFlags(submit, submit_flags->customs, true);
  submit->add_option("--holder-node", submit_flags->holder_node,
                     "The holder's node (default: --node)");
  submit
      ->add_option("--holder-login", submit_flags->holder_login,
                   "Login of the holder's client (scope create:presentation)")
      ->required();
  submit->add_option("--workflow", submit_flags->workflow, "Workflow definition id (repeatable)")
      ->required()
      ->allow_extra_args(false);
  submit->add_option("--instance", submit_flags->instance, "Workflow instance id (repeatable)")
      ->required()
      ->allow_extra_args(false);
  submit->add_option("--challenge", submit_flags->challenge, "Challenge (nonce) to sign");
  submit->add_option("--domain", submit_flags->domain, "Domain (audience) to sign");
  submit
      ->add_option("--securing", submit_flags->securing,
                   "vc-jwt (default), ecdsa-jcs-2019 or eddsa-jcs-2022")
      ->check(CLI::IsMember({"vc-jwt", "ecdsa-jcs-2019", "eddsa-jcs-2022"}));
  submit->add_option("--replace", submit_flags->replace,
                     "Id of an earlier presentation of the holder this one supersedes");
  submit
      ->add_option("CREDENTIAL_FILE", submit_flags->files,
                   "Files with one credential each, or JSON lines as `doc issue` writes")
      ->required();
  BindGuarded(submit, "submit", ctx, [&ctx, submit_flags] { return Submit(ctx, *submit_flags); });

  // submissions
  CLI::App* subs =
      app.add_subcommand("submissions", "Customs: the queue of submissions and decisions");
  subs->require_subcommand(1);
  auto list_flags = std::make_shared<ListFlags>();
  CLI::App* list = subs->add_subcommand("list", "List submissions, highest risk first");
  AddEndpointFlags(list, list_flags->endpoint, true);
  list->add_option("--status", list_flags->status,
                   "received, released, held, exam or info-requested");
  list->add_option("--sort", list_flags->sort, "risk (default), received, arrival or lead")
      ->check(CLI::IsMember({"risk", "received", "arrival", "lead"}));
  list->add_option("--min-risk", list_flags->min_risk, "Lowest risk score (0-100)")
      ->check(CLI::Range(0, 100));
  list->add_option("--workflow", list_flags->workflow, "Part of a workflow definition id");
  list->add_option("--holder", list_flags->holder, "The submitter's DID");
  list->add_option("--limit", list_flags->limit, "At most this many (default 200)")
      ->check(CLI::Range(0, 100000));
  BindGuarded(list, "submissions list", ctx,
              [&ctx, list_flags] { return ListSubmissions(ctx, *list_flags); });

  auto show_flags = std::make_shared<std::pair<Endpoint, std::string>>();
  CLI::App* show =
      subs->add_subcommand("show", "One submission: credentials, findings, receipt, decisions");
  AddEndpointFlags(show, show_flags->first, true);
  show->add_option("ID", show_flags->second, "Submission id")->required();
  BindGuarded(show, "submissions show", ctx, [&ctx, show_flags] {
    return ShowSubmission(ctx, show_flags->first, show_flags->second);
  });

  auto decide_flags = std::make_shared<DecideFlags>();
  CLI::App* decide = subs->add_subcommand("decide", "Record a decision (anchored on the ledger)");
  AddEndpointFlags(decide, decide_flags->endpoint, true);
  decide->add_option("ID", decide_flags->id, "Submission id")->required();
  decide->add_option("--decision", decide_flags->decision, "release, hold, exam or request-info")
      ->required()
      ->check(CLI::IsMember({"release", "hold", "exam", "request-info"}));
  decide->add_option("--reason", decide_flags->reason, "Why (recorded with the decision)")
      ->required();
  BindGuarded(decide, "submissions decide", ctx,
              [&ctx, decide_flags] { return Decide(ctx, *decide_flags); });

  auto status_flags = std::make_shared<std::pair<Endpoint, std::string>>();
  CLI::App* status = subs->add_subcommand(
      "status", "The submitter's view of its submission: status and latest decision");
  AddEndpointFlags(status, status_flags->first, true);
  status->add_option("ID", status_flags->second, "Submission id")->required();
  BindGuarded(status, "submissions status", ctx, [&ctx, status_flags] {
    return SubmissionStatus(ctx, status_flags->first, status_flags->second);
  });

  // trace
  auto trace_flags = std::make_shared<TraceFlags>();
  CLI::App* trace = app.add_subcommand(
      "trace",
      "Customs provenance: back from a submission to its mills and wells, or forward "
      "from an identifier to every shipment carrying it");
  AddEndpointFlags(trace, trace_flags->endpoint, true);
  trace->add_option("--submission", trace_flags->submission, "Trace back from this submission");
  trace->add_option("--heat", trace_flags->heat, "Trace forward from this heat number");
  trace->add_option("--batch", trace_flags->batch, "Trace forward from this batch number");
  trace->add_option("--kind", trace_flags->kind,
                    "Identifier kind: heat, batch, ticket, bol, invoice, po, entry, lot, gtin, "
                    "gln, well, certificate, license");
  trace->add_option("--value", trace_flags->value, "The identifier (with --kind)");
  BindGuarded(trace, "trace", ctx, [&ctx, trace_flags] { return Trace(ctx, *trace_flags); });
}

}  // namespace traceport::cli
