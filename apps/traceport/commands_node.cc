// traceport serve, org create|list, client create, openapi: the node (src/node).
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>

#include "apps/traceport/cli.h"
#include "common/log.h"
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

  auto out = std::make_shared<std::string>();
  CLI::App* openapi = app.add_subcommand(
      "openapi", "Print the node's OpenAPI 3.1 document (docs/api/openapi.json)");
  openapi->add_option("--out,-o", *out, "Write to this file instead of standard output");
  Bind(openapi, "openapi", ctx, [out] { return PrintOpenApi(*out); });
}

}  // namespace traceport::cli
