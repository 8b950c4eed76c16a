// traceport serve, org create|list, client create, user add|list, openapi: the node (src/node).
#include <array>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>

#include "apps/traceport/cli.h"
#include "codec/base58.h"
#include "common/log.h"
#include "crypto/random.h"
#include "node/node.h"

namespace traceport::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct NodeFlags {
  std::string data;
  std::string config;
  std::string listen;
  std::string public_url;
  std::string tls_cert;
  std::string tls_key;
  bool allow_plain_http_off_loopback = false;
  bool network = false;
  std::string log_format = "json";
  std::string log_level = "info";
};

void AddDataFlags(CLI::App* sub, NodeFlags& f) {
  sub->add_option("--data", f.data, "Node data directory")->required();
  sub->add_option("--config", f.config, "JSON configuration file (docs/operations.md)");
}

Result<node::NodeOptions> Options(const NodeFlags& f) {
  node::NodeOptions o;
  o.data_dir = f.data;
  if (!f.config.empty()) RETURN_IF_ERROR(node::LoadConfigFile(f.config, o));
  if (!f.listen.empty()) o.listen = f.listen;
  if (!f.public_url.empty()) o.public_url = f.public_url;
  if (!f.tls_cert.empty()) o.tls_cert_file = f.tls_cert;
  if (!f.tls_key.empty()) o.tls_key_file = f.tls_key;
  if (f.allow_plain_http_off_loopback) o.allow_plain_http_off_loopback = true;
  if (f.network) o.network = true;
  return o;
}

Status Serve(const NodeFlags& f) {
  log::Level level;
  if (!log::ParseLevel(f.log_level, &level)) {
    return InvalidArgumentError("--log-level must be debug, info, warn, error or off");
  }
  if (f.log_format != "json" && f.log_format != "text") {
    return InvalidArgumentError("--log-format must be json or text");
  }
  log::Configure(level, f.log_format == "json" ? log::Format::kJson : log::Format::kText);
  BlockShutdownSignals();
  ASSIGN_OR_RETURN(node::NodeOptions o, Options(f));
  ASSIGN_OR_RETURN(std::unique_ptr<node::Node> n, node::Node::Open(o));
  RETURN_IF_ERROR(n->Start());
  const std::string host = o.listen.substr(0, o.listen.rfind(':'));
  std::printf("node listening on %s://%s:%d (public URL %s)\n",
              o.tls_cert_file.empty() ? "http" : "https", host.c_str(), n->port(),
              n->public_url().c_str());
  std::fflush(stdout);
  log::Info("node.started",
            {{"listen", host + ":" + std::to_string(n->port())}, {"public_url", n->public_url()}});
  const int sig = WaitForShutdownSignal();
  log::Info("node.stopping", {{"signal", sig}});
  n->Stop();
  n.reset();  // flushes and closes the ledger
  log::Info("node.stopped");
  return Status::Ok();
}

Status CreateOrg(Context& ctx, const NodeFlags& f, const node::OrganizationSpec& spec) {
  ASSIGN_OR_RETURN(node::NodeOptions o, Options(f));
  ASSIGN_OR_RETURN(auto n, node::Node::Open(o));
  ASSIGN_OR_RETURN(json org, n->CreateOrganization(spec));
  if (ctx.json) {
    PrintJson(org);
  } else {
    std::cout << org["did"].get<std::string>() << "\n";
  }
  return Status::Ok();
}

Status ListOrgs(Context& ctx, const NodeFlags& f) {
  ASSIGN_OR_RETURN(node::NodeOptions o, Options(f));
  ASSIGN_OR_RETURN(auto n, node::Node::Open(o));
  ASSIGN_OR_RETURN(json orgs, n->ListOrganizations());
  if (ctx.json) {
    PrintJson(orgs);
  } else {
    for (const json& org : orgs) {
      std::cout << org["slug"].get<std::string>() << "\t" << org["did"].get<std::string>() << "\t"
                << org["name"].get<std::string>() << "\n";
    }
  }
  return Status::Ok();
}

Status CreateClient(Context& ctx, const NodeFlags& f, const std::string& org,
                    const std::string& name, const std::vector<std::string>& scopes) {
  ASSIGN_OR_RETURN(node::NodeOptions o, Options(f));
  ASSIGN_OR_RETURN(auto n, node::Node::Open(o));
  ASSIGN_OR_RETURN(node::ClientCredentials c, n->CreateClient(org, name, scopes));
  (void)ctx;
  // The secret is shown once, here; the node keeps only its hash.
  PrintJson(c.ToJson());
  return Status::Ok();
}

struct UserFlags {
  std::string org;
  std::string username;
  std::string name;
  std::string role;
  std::string password_file;
  bool password_stdin = false;
};

// A password for a new account: from a file (its first line), from standard input (its first
// line), or made up here (16 random bytes in base58, about 22 characters) and printed once.
Result<std::pair<std::string, bool>> NewPassword(const UserFlags& u) {
  std::string line;
  if (!u.password_file.empty()) {
    std::ifstream in(u.password_file, std::ios::binary);
    if (!in) return NotFoundError("--password-file: cannot read " + u.password_file);
    std::getline(in, line);
  } else if (u.password_stdin) {
    std::getline(std::cin, line);
  } else {
    std::array<uint8_t, 16> bytes{};
    crypto::DefaultCsprng().Fill(bytes);
    return std::make_pair(codec::Base58Encode(bytes), true);
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return std::make_pair(line, false);
}

Status AddUser(Context& ctx, const NodeFlags& f, const UserFlags& u) {
  std::optional<node::UserRole> role = node::ParseUserRole(u.role);
  if (!role) {
    std::string names;
    for (const node::UserRoleInfo& r : node::AllUserRoles()) {
      names += (names.empty() ? "" : ", ") + std::string(r.name);
    }
    return InvalidArgumentError("--role \"" + u.role + "\": expected one of " + names);
  }
  ASSIGN_OR_RETURN(auto password, NewPassword(u));
  ASSIGN_OR_RETURN(node::NodeOptions o, Options(f));
  ASSIGN_OR_RETURN(auto n, node::Node::Open(o));
  ASSIGN_OR_RETURN(json user, n->AddUser({u.org, u.username, u.name, *role, password.first}));
  // A password made up here is shown once; the node keeps only its Argon2id hash.
  if (password.second) user["password"] = password.first;
  if (ctx.json) {
    PrintJson(user);
  } else {
    std::cout << "user " << u.username << " (" << u.role << ") added to " << u.org << "\n";
    if (password.second) std::cout << "password: " << password.first << "\n";
  }
  return Status::Ok();
}

Status ListUsers(Context& ctx, const NodeFlags& f, const std::string& org) {
  ASSIGN_OR_RETURN(node::NodeOptions o, Options(f));
  ASSIGN_OR_RETURN(auto n, node::Node::Open(o));
  ASSIGN_OR_RETURN(json users, n->ListUsers(org));
  if (ctx.json) {
    PrintJson(users);
  } else {
    for (const json& u : users["users"]) {
      std::cout << u["username"].get<std::string>() << "\t" << u["role"].get<std::string>() << "\t"
                << u["name"].get<std::string>() << "\n";
    }
  }
  return Status::Ok();
}

Status PrintOpenApi(const std::string& out) {
  const std::string text = node::Node::OpenApiDocument().dump(2) + "\n";
  if (out.empty() || out == "-") {
    std::cout << text;
    return Status::Ok();
  }
  std::ofstream file(out, std::ios::binary | std::ios::trunc);
  file << text;
  if (!file) return InternalError("cannot write " + out);
  return Status::Ok();
}

}  // namespace

void RegisterNodeCommands(CLI::App& app, Context& ctx) {
  auto f = std::make_shared<NodeFlags>();
  CLI::App* serve = app.add_subcommand(
      "serve",
      "Run a node: organizations, OAuth2, did:web, traceability-interop, VC-API, "
      "trust registry and ledger over HTTP");
  AddDataFlags(serve, *f);
  serve->add_option("--listen", f->listen, "Address to listen on (default 127.0.0.1:8443)");
  serve->add_option("--public-url", f->public_url,
                    "The node's public https:// base URL (required when DIR is new)");
  serve->add_option("--tls-cert", f->tls_cert,
                    "TLS certificate (PEM); with --tls-key serves HTTPS");
  serve->add_option("--tls-key", f->tls_key, "TLS private key (PEM)");
  serve->add_flag("--allow-plain-http-off-loopback", f->allow_plain_http_off_loopback,
                  "Serve plain HTTP on a non-loopback address (behind a TLS proxy)");
  serve->add_flag("--network", f->network,
                  "Resolve other nodes' did:web documents and status lists over HTTPS");
  serve->add_option("--log-format", f->log_format, "json (default) or text");
  serve->add_option("--log-level", f->log_level, "debug, info (default), warn, error, off");
  Bind(serve, "serve", ctx, [f] { return Serve(*f); });

  CLI::App* org = app.add_subcommand("org", "Manage a node's organizations (node stopped)");
  org->require_subcommand(1);
  auto spec = std::make_shared<node::OrganizationSpec>();
  CLI::App* create = org->add_subcommand("create", "Create an organization with its did:web");
  AddDataFlags(create, *f);
  create->add_option("--slug", spec->slug, "Short name: the last part of the DID")->required();
  create->add_option("--name", spec->name, "Legal or display name")->required();
  create->add_option("--role", spec->roles, "Role (repeatable): registry-authority, customs, ...");
  Bind(create, "org create", ctx, [&ctx, f, spec] { return CreateOrg(ctx, *f, *spec); });
  CLI::App* list = org->add_subcommand("list", "List organizations");
  AddDataFlags(list, *f);
  Bind(list, "org list", ctx, [&ctx, f] { return ListOrgs(ctx, *f); });

  CLI::App* client = app.add_subcommand("client", "Manage OAuth clients (node stopped)");
  client->require_subcommand(1);
  auto cargs = std::make_shared<std::tuple<std::string, std::string, std::vector<std::string>>>();
  CLI::App* ccreate = client->add_subcommand(
      "create", "Create an OAuth client; prints its id and secret (shown once)");
  AddDataFlags(ccreate, *f);
  ccreate->add_option("--org", std::get<0>(*cargs), "Organization slug")->required();
  ccreate->add_option("--name", std::get<1>(*cargs), "What the client is for");
  ccreate->add_option("--scope", std::get<2>(*cargs), "Scope (repeatable)")->required();
  Bind(ccreate, "client create", ctx, [&ctx, f, cargs] {
    return CreateClient(ctx, *f, std::get<0>(*cargs), std::get<1>(*cargs), std::get<2>(*cargs));
  });

  CLI::App* user =
      app.add_subcommand("user", "Manage the people who sign in to the portal (node stopped)");
  user->require_subcommand(1);
  auto uf = std::make_shared<UserFlags>();
  std::string roles_help = "Role:";
  for (const node::UserRoleInfo& r : node::AllUserRoles()) {
    roles_help += "\n  " + std::string(r.name) + " - " + std::string(r.meaning);
  }
  CLI::App* uadd = user->add_subcommand(
      "add", "Add a person to an organization; prints a generated password once");
  AddDataFlags(uadd, *f);
  uadd->add_option("--org", uf->org, "Organization slug")->required();
  uadd->add_option("--username", uf->username, "Sign-in name: a-z, 0-9, '.', '_', '-'")->required();
  uadd->add_option("--role", uf->role, roles_help)->required();
  uadd->add_option("--name", uf->name, "Display name (default: the username)");
  auto* pfile = uadd->add_option("--password-file", uf->password_file,
                                 "Read the password from the first line of this file");
  uadd->add_flag("--password-stdin", uf->password_stdin,
                 "Read the password from the first line of standard input")
      ->excludes(pfile);
  Bind(uadd, "user add", ctx, [&ctx, f, uf] { return AddUser(ctx, *f, *uf); });
  auto list_org = std::make_shared<std::string>();
  CLI::App* ulist = user->add_subcommand("list", "List an organization's portal users");
  AddDataFlags(ulist, *f);
  ulist->add_option("--org", *list_org, "Organization slug")->required();
  Bind(ulist, "user list", ctx, [&ctx, f, list_org] { return ListUsers(ctx, *f, *list_org); });

  auto out = std::make_shared<std::string>();
  CLI::App* openapi = app.add_subcommand(
      "openapi", "Print the node's OpenAPI 3.1 document (docs/api/openapi.json)");
  openapi->add_option("--out,-o", *out, "Write to this file instead of standard output");
  Bind(openapi, "openapi", ctx, [out] { return PrintOpenApi(*out); });
}

}  // namespace traceport::cli
