// traceport did create key|jwk|web, did resolve
#include <fstream>
#include <iostream>
#include <sstream>

#include "apps/traceport/cli.h"
#include "did/document.h"
#include "did/methods.h"
#include "did/web.h"
#include "jose/jwk.h"

namespace traceport::cli {
namespace {

struct CreateFlags {
  std::string key_file;
  std::string jwk_file;
};

struct WebFlags {
  std::string host;
  int port = 0;
  std::string path;
  std::vector<std::string> key_files;
  std::string service;
  std::string out;
  std::string format = "multikey";
};

struct ResolveArgs {
  std::string did;
  ResolveFlags flags;
};

Status PrintDid(const Context& ctx, const did::Did& id, const nlohmann::json& doc,
                const std::string& url = "") {
  if (ctx.json) {
    nlohmann::json out = {{"did", id.ToString()}, {"didDocument", doc}};
    if (!url.empty()) out["url"] = url;
    PrintJson(out);
  } else {
    std::cout << id.ToString() << "\n";
    if (!url.empty()) std::cout << "serve at: " << url << "\n";
    std::cout << doc.dump(2) << "\n";
  }
  return Status::Ok();
}

Status CreateKey(const Context& ctx, const CreateFlags& f) {
  ASSIGN_OR_RETURN(jose::PublicKey key, LoadPublicKey(f.key_file, f.jwk_file));
  did::Did id = did::DidKeyFor(key);
  ASSIGN_OR_RETURN(nlohmann::json doc, did::DidKeyDocument(id));
  return PrintDid(ctx, id, doc);
}

Status CreateJwk(const Context& ctx, const CreateFlags& f) {
  ASSIGN_OR_RETURN(jose::PublicKey key, LoadPublicKey(f.key_file, f.jwk_file));
  did::Did id = did::DidJwkFor(key);
  ASSIGN_OR_RETURN(nlohmann::json doc, did::DidJwkDocument(id));
  return PrintDid(ctx, id, doc);
}

Status CreateWeb(const Context& ctx, const WebFlags& f) {
  did::WebLocation loc;
  loc.host = f.host;
  if (f.port < 0 || f.port > 65535) return InvalidArgumentError("--port must be 1..65535");
  if (f.port != 0) loc.port = static_cast<uint16_t>(f.port);
  std::stringstream ss(f.path);
  for (std::string seg; std::getline(ss, seg, '/');) {
    if (!seg.empty()) loc.path.push_back(seg);
  }
  ASSIGN_OR_RETURN(did::Did id, did::MakeDidWeb(loc));
  ASSIGN_OR_RETURN(std::string url, did::DidWebToUrl(id));
  did::KeyFormat format;
  if (f.format == "multikey") {
    format = did::KeyFormat::kMultikey;
  } else if (f.format == "jwk") {
    format = did::KeyFormat::kJsonWebKey;
  } else {
    return InvalidArgumentError("--format must be multikey or jwk");
  }
  if (f.key_files.empty()) return InvalidArgumentError("at least one --key is required");
  std::string did_str = id.ToString();
  nlohmann::json vms = nlohmann::json::array();
  nlohmann::json refs = nlohmann::json::array();
  bool uses_jwk = false;
  for (const auto& file : f.key_files) {
    ASSIGN_OR_RETURN(jose::PublicKey key, LoadPublicKey(file, ""));
    // The fragment is the key's RFC 7638 thumbprint: stable across rotations of other keys.
    nlohmann::json vm = did::MakeVerificationMethod(did_str, jose::Thumbprint(key), key, format);
    refs.push_back(vm["id"]);
    vms.push_back(std::move(vm));
    uses_jwk = uses_jwk || format == did::KeyFormat::kJsonWebKey;
  }
  nlohmann::json context = nlohmann::json::array({did::kDidContextV1});
  context.push_back(uses_jwk ? "https://w3id.org/security/jwk/v1"
                             : std::string(did::kMultikeyContextV1));
  nlohmann::json doc = {{"@context", context},
                        {"id", did_str},
                        {"verificationMethod", vms},
                        {"authentication", refs},
                        {"assertionMethod", refs}};
  if (!f.service.empty()) {
    if (f.service.rfind("https://", 0) != 0) {
      return InvalidArgumentError("--service must be an https:// URL");
    }
    doc["service"] = nlohmann::json::array({{{"id", did_str + "#traceability-api"},
                                             {"type", "TraceabilityAPI"},
                                             {"serviceEndpoint", f.service}}});
  }
  RETURN_IF_ERROR(did::ValidateDocument(doc, did_str));
  if (!f.out.empty()) {
    std::ofstream out(f.out, std::ios::binary | std::ios::trunc);
    out << doc.dump(2) << "\n";
    if (!out) return InternalError("cannot write " + f.out);
  }
  return PrintDid(ctx, id, doc, url);
}

Status Resolve(Context& ctx, const ResolveArgs& a) {
  ASSIGN_OR_RETURN(auto resolver, CliResolver::Create(a.flags));
  did::ResolutionResult r = resolver->resolver().Resolve(a.did);
  if (ctx.json) {
    // On failure the printed resolution metadata carries the error; the exit code is still
    // non-zero and the one-line message still goes to stderr.
    PrintJson(r.ToJson());
    ctx.json_printed = true;
    return r.status();
  }
  RETURN_IF_ERROR(r.status());
  std::cout << r.document.dump(2) << "\n";
  return Status::Ok();
}

}  // namespace

void RegisterDidCommands(CLI::App& app, Context& ctx) {
  CLI::App* d = app.add_subcommand("did", "Create and resolve DIDs (did:key, did:jwk, did:web)");
  d->require_subcommand(1);
  CLI::App* create = d->add_subcommand("create", "Create a DID and its DID document");
  create->require_subcommand(1);

  static CreateFlags* kf = new CreateFlags();
  auto* key = create->add_subcommand("key", "did:key for a key (Multikey document)");
  key->add_option("--key", kf->key_file, "Key file");
  key->add_option("--jwk", kf->jwk_file, "Public JWK file");
  Bind(key, "did create key", ctx, [&ctx] { return CreateKey(ctx, *kf); });

  static CreateFlags* jf = new CreateFlags();
  auto* jwk = create->add_subcommand("jwk", "did:jwk for a key");
  jwk->add_option("--key", jf->key_file, "Key file");
  jwk->add_option("--jwk", jf->jwk_file, "Public JWK file");
  Bind(jwk, "did create jwk", ctx, [&ctx] { return CreateJwk(ctx, *jf); });

  static WebFlags* wf = new WebFlags();
  auto* web = create->add_subcommand("web", "did:web document to publish on your HTTPS host");
  web->add_option("--host", wf->host, "DNS name serving the document, e.g. node.example.com")
      ->required();
  web->add_option("--port", wf->port, "HTTPS port when not 443");
  web->add_option("--path", wf->path, "Path below the host, e.g. orgs/acme (default: none)");
  web->add_option("--key", wf->key_files, "Key file whose public key to include (repeatable)")
      ->required();
  web->add_option("--service", wf->service, "TraceabilityAPI service endpoint (https URL)");
  web->add_option("--format", wf->format, "Verification method format: multikey or jwk");
  web->add_option("--out,-o", wf->out, "Also write the document to this file");
  Bind(web, "did create web", ctx, [&ctx] { return CreateWeb(ctx, *wf); });

  static ResolveArgs* ra = new ResolveArgs();
  auto* resolve = d->add_subcommand("resolve", "Resolve a DID to its DID document");
  resolve->add_option("did", ra->did, "The DID")->required();
  AddResolveFlags(resolve, ra->flags);
  Bind(resolve, "did resolve", ctx, [&ctx] { return Resolve(ctx, *ra); });
}

}  // namespace traceport::cli
