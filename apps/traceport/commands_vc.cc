// traceport vc issue|verify, vp create|verify, status create|allocate|set|check
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>

#include "apps/traceport/cli.h"
#include "codec/base64.h"
#include "codec/json.h"
#include "common/time.h"
#include "crypto/random.h"
#include "jose/key_file.h"
#include "jsonld/context_registry.h"
#include "vc/context_loader.h"
#include "vc/data_integrity.h"
#include "vc/data_model.h"
#include "vc/issuer.h"
#include "vc/schema.h"
#include "vc/status_list.h"
#include "vc/verifier.h"

namespace traceport::cli {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// ---- shared helpers -------------------------------------------------------------------------

Result<json> ReadJsonFile(const std::string& path, size_t max_bytes = 1 << 20) {
  ASSIGN_OR_RETURN(std::string text, ReadInput(path, max_bytes));
  auto j = codec::ParseJson(text);
  if (!j.ok()) return j.status().WithContext(path == "-" ? "stdin" : path);
  return j;
}

Status WriteFileAtomic(const fs::path& path, std::string_view contents) {
  fs::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << contents;
    out.flush();
    if (!out) return InternalError("cannot write " + tmp.string());
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return InternalError("cannot rename " + tmp.string() + ": " + ec.message());
  return Status::Ok();
}

// Status lists from a local directory of status list credentials (*.json, keyed by "id"), and
// over HTTPS when allowed.
class CliStatusLists final : public vc::StatusListResolver {
 public:
  Status Load(const std::string& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return NotFoundError(dir + " is not a directory");
    for (const auto& e : fs::directory_iterator(dir)) {
      if (!e.is_regular_file() || e.path().extension() != ".json") continue;
      auto j = ReadJsonFile(e.path().string(), 8 << 20);
      if (!j.ok()) continue;  // state files and other JSON are not lists
      if (j->is_object() && j->contains("id") && (*j)["id"].is_string() &&
          j->contains("credentialSubject")) {
        lists_[(*j)["id"].get<std::string>()] = *j;
      }
    }
    return Status::Ok();
  }
  void EnableNetwork() { http_ = net::NewCurlHttpClient(); }
  Result<json> Fetch(std::string_view url) override {
    auto it = lists_.find(std::string(url));
    if (it != lists_.end()) return it->second;
    if (!http_) {
      return NotFoundError(fmt::format(
          "status list {} is not in the local status lists and network access is off", url));
    }
    net::FetchOptions o;
    o.max_bytes = 8 << 20;
    o.timeout = std::chrono::milliseconds(10000);
    o.accept = "application/vc+ld+json, application/json";
    ASSIGN_OR_RETURN(net::HttpResponse resp, http_->Get(url, o));
    if (resp.status != 200) {
      return UnavailableError(fmt::format("{} answered HTTP {}", url, resp.status));
    }
    return codec::ParseJson(resp.body);
  }

 private:
  std::map<std::string, json> lists_;
  std::unique_ptr<net::HttpClient> http_;
};

struct VerifyFlags {
  ResolveFlags resolve;
  std::vector<std::string> status_dirs;
  bool status_network = false;
};

// Where the RDF cryptosuites take JSON-LD contexts from besides the built-in pinned set: an
// operator directory (`traceport contexts add --dir DIR`, or a node's DATA/contexts).
std::string* const g_contexts_dir = new std::string();

void AddContextsFlag(CLI::App* sub) {
  sub->add_option("--contexts", *g_contexts_dir,
                  "Directory of operator-pinned JSON-LD contexts (e.g. a node's DATA/contexts) "
                  "to use with the built-in ones for RDF-canonicalized suites");
}

Status UsePinnedContexts() {
  if (g_contexts_dir->empty()) return Status::Ok();
  static std::unique_ptr<jsonld::ContextRegistry> registry;
  if (registry != nullptr) return Status::Ok();
  if (!std::filesystem::is_directory(*g_contexts_dir)) {
    return NotFoundError("--contexts " + *g_contexts_dir + ": not a directory");
  }
  registry = jsonld::ContextRegistry::WithBuiltins();
  RETURN_IF_ERROR(registry->LoadDirectory(*g_contexts_dir));
  vc::SetContextLoader(registry.get());
  return Status::Ok();
}

void AddVerifyFlags(CLI::App* sub, VerifyFlags& f) {
  AddResolveFlags(sub, f.resolve);
  sub->add_option(
      "--status-lists", f.status_dirs,
      "Directory of status list credentials (*.json) to check credentialStatus against");
  sub->add_flag("--status-network", f.status_network, "Allow fetching status lists over HTTPS");
}

// Everything a verification needs, kept alive together.
struct VerifierSetup {
  std::unique_ptr<CliResolver> resolver;
  CliStatusLists lists;
  vc::SchemaRegistry schemas;
  vc::VerifierContext ctx;
};

Result<std::unique_ptr<VerifierSetup>> MakeVerifier(const VerifyFlags& f) {
  auto s = std::make_unique<VerifierSetup>();
  ASSIGN_OR_RETURN(s->resolver, CliResolver::Create(f.resolve));
  for (const auto& d : f.status_dirs) RETURN_IF_ERROR(s->lists.Load(d));
  if (f.status_network) s->lists.EnableNetwork();
  ASSIGN_OR_RETURN(s->schemas, vc::SchemaRegistry::WithBuiltins());
  s->ctx.resolver = &s->resolver->resolver();
  s->ctx.clock = &SystemClock();
  s->ctx.status_lists = &s->lists;
  s->ctx.schemas = &s->schemas;
  return s;
}

void PrintReportText(const vc::VerificationReport& r, const std::string& indent = "") {
  for (const auto& c : r.checks()) {
    std::string status(vc::CheckStatusName(c.status));
    std::cout << indent << "  " << status << std::string(9 - status.size(), ' ') << c.name
              << std::string(c.name.size() < 18 ? 18 - c.name.size() : 1, ' ') << c.reason
              << (c.required ? "" : " (not required)") << "\n";
  }
  for (const auto& p : r.problems()) {
    std::cout << indent << "    problem " << (p.pointer.empty() ? "(document)" : p.pointer) << ": "
              << p.message << "\n";
  }
}

// ---- vc ---------------------------------------------------------------------------------------

struct IssueArgs {
  std::string file = "-";
  std::string key_file;
  std::string passphrase_file;
  std::string issuer;
  std::string kid;
  std::string suite = "vc-jwt-es256";
  std::string status_dir;
  std::string out;
};

Result<json> AllocateStatusEntry(const std::string& dir);

Status Issue(const Context& ctx, const IssueArgs& a) {
  ASSIGN_OR_RETURN(vc::SecuringChoice securing, vc::ParseSecuring(a.suite));
  ASSIGN_OR_RETURN(json credential, ReadJsonFile(a.file));
  ASSIGN_OR_RETURN(jose::PrivateKey key, LoadPrivateKey(a.key_file, a.passphrase_file));
  if (!a.status_dir.empty()) {
    if (!credential.is_object()) return InvalidArgumentError("the credential must be an object");
    if (credential.contains("credentialStatus")) {
      return InvalidArgumentError("the credential already has a credentialStatus");
    }
    ASSIGN_OR_RETURN(json entry, AllocateStatusEntry(a.status_dir));
    credential["credentialStatus"] = entry;
  }
  vc::IssueOptions o;
  o.securing = securing;
  o.issuer = a.issuer;
  o.verification_method = a.kid;
  o.now = SystemClock().Now();
  o.random = &crypto::DefaultCsprng();
  ASSIGN_OR_RETURN(vc::Secured s, vc::IssueCredential(std::move(credential), key, o));
  if (!a.out.empty()) RETURN_IF_ERROR(WriteFileAtomic(a.out, s.Serialize()));
  if (ctx.json) {
    json out = {{"id", s.document.value("id", "")}, {"suite", a.suite}};
    if (!s.jwt.empty()) {
      out["jwt"] = s.jwt;
    } else {
      out["credential"] = s.secured;
    }
    PrintJson(out);
  } else if (a.out.empty()) {
    std::cout << s.Serialize();
  } else {
    std::cout << "issued " << s.document.value("id", "") << " (" << a.suite << ") to " << a.out
              << "\n";
  }
  return Status::Ok();
}

struct VerifyArgs {
  std::string file = "-";
  VerifyFlags flags;
};

Status VerifyVc(Context& ctx, const VerifyArgs& a) {
  ASSIGN_OR_RETURN(auto setup, MakeVerifier(a.flags));
  ASSIGN_OR_RETURN(std::string input, ReadInput(a.file, 8 << 20));
  vc::VerificationReport r = vc::VerifyCredentialText(input, setup->ctx);
  if (ctx.json) {
    PrintJson(r.ToJson());
    ctx.json_printed = true;
  } else {
    std::cout << "verified: " << (r.verified() ? "yes" : "NO") << "\n";
    PrintReportText(r);
  }
  if (!r.verified()) {
    for (const auto& c : r.checks()) {
      if (c.required && c.status != vc::CheckStatus::kPass) {
        return PermissionDeniedError("not verified: " + c.name + ": " + c.reason);
      }
    }
    return PermissionDeniedError("not verified");
  }
  return Status::Ok();
}

// ---- vp ---------------------------------------------------------------------------------------

struct PresentArgs {
  std::vector<std::string> files;
  std::string key_file;
  std::string passphrase_file;
  std::string holder;
  std::string kid;
  std::string suite = "vc-jwt-es256";
  std::string challenge;
  std::string domain;
};

Status Present(const Context& ctx, const PresentArgs& a) {
  ASSIGN_OR_RETURN(vc::SecuringChoice securing, vc::ParseSecuring(a.suite));
  std::vector<json> creds;
  for (const auto& f : a.files) {
    ASSIGN_OR_RETURN(std::string text, ReadInput(f, 8 << 20));
    size_t start = text.find_first_not_of(" \t\r\n");
    if (start != std::string::npos && text[start] == '{') {
      auto j = codec::ParseJson(text);
      if (!j.ok()) return j.status().WithContext(f);
      creds.push_back(std::move(j).value());
    } else {
      size_t end = text.find_last_not_of(" \t\r\n");
      creds.push_back(json(text.substr(start == std::string::npos ? 0 : start,
                                       end == std::string::npos ? 0 : end - start + 1)));
    }
  }
  ASSIGN_OR_RETURN(jose::PrivateKey key, LoadPrivateKey(a.key_file, a.passphrase_file));
  vc::PresentOptions o;
  o.securing = securing;
  o.holder = a.holder;
  o.verification_method = a.kid;
  if (!a.challenge.empty()) o.challenge = a.challenge;
  if (!a.domain.empty()) o.domain = a.domain;
  o.now = SystemClock().Now();
  o.random = &crypto::DefaultCsprng();
  ASSIGN_OR_RETURN(vc::Secured s, vc::CreatePresentation(creds, key, o));
  if (ctx.json) {
    PrintJson(s.jwt.empty() ? json{{"presentation", s.secured}} : json{{"jwt", s.jwt}});
  } else {
    std::cout << s.Serialize();
  }
  return Status::Ok();
}

struct VpVerifyArgs {
  std::string file = "-";
  std::string challenge;
  std::string domain;
  VerifyFlags flags;
};

Status VerifyVp(Context& ctx, const VpVerifyArgs& a) {
  ASSIGN_OR_RETURN(auto setup, MakeVerifier(a.flags));
  ASSIGN_OR_RETURN(std::string input, ReadInput(a.file, 8 << 20));
  vc::PresentationExpectations expect;
  if (!a.challenge.empty()) expect.challenge = a.challenge;
  if (!a.domain.empty()) expect.domain = a.domain;
  vc::PresentationReport r = vc::VerifyPresentationText(input, setup->ctx, expect);
  if (ctx.json) {
    PrintJson(r.ToJson());
    ctx.json_printed = true;
  } else {
    std::cout << "verified: " << (r.verified() ? "yes" : "NO") << "\n";
    PrintReportText(r.presentation);
    for (size_t i = 0; i < r.credentials.size(); ++i) {
      std::cout << "  credential " << i << ": "
                << (r.credentials[i].verified() ? "verified" : "NOT verified") << "\n";
      PrintReportText(r.credentials[i], "  ");
    }
  }
  if (!r.verified()) return PermissionDeniedError("the presentation is not verified");
  return Status::Ok();
}

// ---- status -----------------------------------------------------------------------------------

constexpr std::string_view kStateType = "traceport-status-list-state";

fs::path StatePath(const std::string& dir) { return fs::path(dir) / "state.json"; }
fs::path ListPath(const std::string& dir) { return fs::path(dir) / "list.json"; }

struct ListState {
  json meta;  // the state file
  vc::Bitstring list;
  vc::IndexAllocator allocator;
};

Result<ListState> LoadState(const std::string& dir) {
  ASSIGN_OR_RETURN(json meta, ReadJsonFile(StatePath(dir).string(), 64 << 20));
  if (!meta.is_object() || meta.value("type", "") != kStateType) {
    return InvalidArgumentError(StatePath(dir).string() + " is not a status list state file");
  }
  int size = meta.value("statusSize", 1);
  auto list = vc::Bitstring::Decode(meta.value("encodedList", ""), size);
  if (!list.ok()) return list.status().WithContext(StatePath(dir).string());
  auto alloc_bytes = codec::Base64UrlDecode(meta.value("allocator", ""));
  if (!alloc_bytes.ok()) return alloc_bytes.status().WithContext("allocator");
  auto alloc = vc::IndexAllocator::Deserialize(*alloc_bytes);
  if (!alloc.ok()) return alloc.status().WithContext("allocator");
  return ListState{std::move(meta), std::move(list).value(), std::move(alloc).value()};
}

Status SaveState(const std::string& dir, ListState& st) {
  ASSIGN_OR_RETURN(std::string encoded, st.list.Encode());
  st.meta["encodedList"] = encoded;
  st.meta["allocator"] = codec::Base64UrlEncode(st.allocator.Serialize());
  return WriteFileAtomic(StatePath(dir), st.meta.dump(2) + "\n");
}

// Signs the list as a status list credential with the issuer key and writes DIR/list.json.
Status PublishList(const std::string& dir, const ListState& st, const jose::PrivateKey& key) {
  vc::StatusListCredentialOptions o;
  o.id = st.meta.value("id", "");
  o.issuer = st.meta.value("issuer", "");
  o.valid_from = SystemClock().Now();
  o.purposes = {st.meta.value("purpose", "revocation")};
  ASSIGN_OR_RETURN(json cred, vc::MakeStatusListCredential(o, st.list));
  vc::ProofOptions po;
  po.cryptosuite = key.type() == jose::KeyType::kEd25519 ? "eddsa-jcs-2022" : "ecdsa-jcs-2019";
  ASSIGN_OR_RETURN(po.verification_method,
                   vc::DefaultVerificationMethod(o.issuer, key.public_key()));
  if (st.meta.contains("verificationMethod") && st.meta["verificationMethod"].is_string() &&
      !st.meta["verificationMethod"].get<std::string>().empty()) {
    po.verification_method = st.meta["verificationMethod"].get<std::string>();
  }
  ASSIGN_OR_RETURN(po.created, FormatRfc3339(SystemClock().Now()));
  ASSIGN_OR_RETURN(json signed_list, vc::AddProof(cred, po, key));
  return WriteFileAtomic(ListPath(dir), signed_list.dump(2) + "\n");
}

Result<json> AllocateStatusEntry(const std::string& dir) {
  ASSIGN_OR_RETURN(ListState st, LoadState(dir));
  ASSIGN_OR_RETURN(uint64_t index, st.allocator.Allocate(crypto::DefaultCsprng()));
  vc::StatusEntryOptions eo;
  eo.purpose = st.meta.value("purpose", "revocation");
  eo.index = index;
  eo.list_credential = st.meta.value("id", "");
  ASSIGN_OR_RETURN(json entry, vc::MakeStatusEntry(eo));
  RETURN_IF_ERROR(SaveState(dir, st));
  return entry;
}

struct StatusCreateArgs {
  std::string id, issuer, key_file, passphrase_file, purpose = "revocation", dir, kid;
  uint64_t entries = vc::kMinStatusListEntries;
  bool force = false;
};

Status StatusCreate(const Context& ctx, const StatusCreateArgs& a) {
  if (a.purpose != "revocation" && a.purpose != "suspension") {
    return InvalidArgumentError("--purpose must be revocation or suspension");
  }
  std::error_code ec;
  fs::create_directories(a.dir, ec);
  if (ec) return InternalError("cannot create " + a.dir + ": " + ec.message());
  if (!a.force && fs::exists(StatePath(a.dir))) {
    return AlreadyExistsError(StatePath(a.dir).string() + " already exists (use --force)");
  }
  RETURN_IF_ERROR(vc::CheckAbsoluteUrl(a.id).WithContext("--id"));
  ASSIGN_OR_RETURN(jose::PrivateKey key, LoadPrivateKey(a.key_file, a.passphrase_file));
  ASSIGN_OR_RETURN(vc::Bitstring list, vc::Bitstring::Create(a.entries));
  ASSIGN_OR_RETURN(vc::IndexAllocator alloc, vc::IndexAllocator::Create(a.entries));
  ListState st{json{{"type", kStateType},
                    {"version", 1},
                    {"id", a.id},
                    {"issuer", a.issuer},
                    {"purpose", a.purpose},
                    {"statusSize", 1},
                    {"entries", a.entries},
                    {"verificationMethod", a.kid}},
               std::move(list), std::move(alloc)};
  RETURN_IF_ERROR(PublishList(a.dir, st, key));
  RETURN_IF_ERROR(SaveState(a.dir, st));
  if (ctx.json) {
    PrintJson({{"id", a.id},
               {"entries", a.entries},
               {"list", ListPath(a.dir).string()},
               {"state", StatePath(a.dir).string()}});
  } else {
    std::cout << "status list " << a.id << " (" << a.purpose << ", " << a.entries
              << " entries)\n  publish: " << ListPath(a.dir).string()
              << "\n  state:   " << StatePath(a.dir).string() << "\n";
  }
  return Status::Ok();
}

struct StatusSetArgs {
  std::string dir, key_file, passphrase_file;
  uint64_t index = 0;
  bool revoke = false, suspend = false, unsuspend = false;
};

Status StatusSet(const Context& ctx, const StatusSetArgs& a) {
  if (a.revoke + a.suspend + a.unsuspend != 1) {
    return InvalidArgumentError("give exactly one of --revoke, --suspend, --unsuspend");
  }
  ASSIGN_OR_RETURN(ListState st, LoadState(a.dir));
  ASSIGN_OR_RETURN(jose::PrivateKey key, LoadPrivateKey(a.key_file, a.passphrase_file));
  std::string purpose = st.meta.value("purpose", "revocation");
  if (a.revoke) {
    if (purpose != "revocation") return FailedPreconditionError("this is a " + purpose + " list");
    RETURN_IF_ERROR(vc::Revoke(st.list, st.allocator, a.index));
  } else {
    if (purpose != "suspension") return FailedPreconditionError("this is a " + purpose + " list");
    RETURN_IF_ERROR(a.suspend ? vc::Suspend(st.list, st.allocator, a.index)
                              : vc::Unsuspend(st.list, st.allocator, a.index));
  }
  RETURN_IF_ERROR(PublishList(a.dir, st, key));
  RETURN_IF_ERROR(SaveState(a.dir, st));
  std::string what = a.revoke ? "revoked" : a.suspend ? "suspended" : "unsuspended";
  if (ctx.json) {
    PrintJson({{"index", a.index}, {"status", what}, {"list", ListPath(a.dir).string()}});
  } else {
    std::cout << "index " << a.index << " " << what << "; republished " << ListPath(a.dir).string()
              << "\n";
  }
  return Status::Ok();
}

struct StatusCheckArgs {
  std::string file = "-";
  VerifyFlags flags;
};

Status StatusCheck(Context& ctx, const StatusCheckArgs& a) {
  ASSIGN_OR_RETURN(auto setup, MakeVerifier(a.flags));
  ASSIGN_OR_RETURN(std::string input, ReadInput(a.file, 8 << 20));
  vc::VerificationReport r = vc::VerifyCredentialText(input, setup->ctx);
  const vc::Check* c = r.Find(vc::kCheckStatus);
  if (c == nullptr) return InternalError("no status check was made");
  if (ctx.json) {
    PrintJson({{"status", vc::CheckStatusName(c->status)}, {"reason", c->reason}});
    ctx.json_printed = true;
  } else {
    std::cout << vc::CheckStatusName(c->status) << ": " << c->reason << "\n";
  }
  if (c->status == vc::CheckStatus::kFail) return PermissionDeniedError(c->reason);
  return Status::Ok();
}

}  // namespace

void RegisterVcCommands(CLI::App& app, Context& ctx) {
  CLI::App* v = app.add_subcommand("vc", "Issue and verify verifiable credentials");
  v->require_subcommand(1);

  static IssueArgs* ia = new IssueArgs();
  auto* issue = v->add_subcommand("issue", "Issue (sign) a credential from FILE or stdin");
  issue->add_option("file", ia->file, "Unsecured credential JSON (default: - for stdin)");
  issue->add_option("--key", ia->key_file, "Issuer key file")->required();
  issue->add_option("--passphrase-file", ia->passphrase_file, "Passphrase file for the key");
  issue->add_option("--issuer", ia->issuer, "Issuer DID")->required();
  issue->add_option("--kid", ia->kid,
                    "Verification method DID URL (default: derived from the issuer DID and key)");
  issue->add_option("--suite", ia->suite,
                    "vc-jwt-es256 (default), vc-jwt-es384, vc-jwt-eddsa, eddsa-jcs-2022, "
                    "ecdsa-jcs-2019, eddsa-rdfc-2022, ecdsa-rdfc-2019");
  issue->add_option("--status", ia->status_dir,
                    "Status list directory (from 'status create'): allocate an entry for it");
  issue->add_option("--out,-o", ia->out, "Write the secured credential to this file");
  AddContextsFlag(issue);
  Bind(issue, "vc issue", ctx, [&ctx] {
    RETURN_IF_ERROR(UsePinnedContexts());
    return Issue(ctx, *ia);
  });

  static VerifyArgs* va = new VerifyArgs();
  auto* verify = v->add_subcommand(
      "verify", "Verify a credential (JSON or vc+jwt); prints the report, exit 0 only if verified");
  verify->add_option("file", va->file, "Credential file (default: - for stdin)");
  AddVerifyFlags(verify, va->flags);
  AddContextsFlag(verify);
  Bind(verify, "vc verify", ctx, [&ctx] {
    RETURN_IF_ERROR(UsePinnedContexts());
    return VerifyVc(ctx, *va);
  });

  CLI::App* p = app.add_subcommand("vp", "Create and verify verifiable presentations");
  p->require_subcommand(1);
  static PresentArgs* pa = new PresentArgs();
  auto* create = p->add_subcommand("create", "Present credentials (files: JSON or vc+jwt)");
  create->add_option("credentials", pa->files, "Credential files")->required();
  create->add_option("--key", pa->key_file, "Holder key file")->required();
  create->add_option("--passphrase-file", pa->passphrase_file, "Passphrase file for the key");
  create->add_option("--holder", pa->holder, "Holder DID")->required();
  create->add_option("--kid", pa->kid, "Verification method DID URL (default: derived)");
  create->add_option("--suite", pa->suite,
                     "vc-jwt-es256 (default; a vp+jwt), vc-jwt-es384, vc-jwt-eddsa, "
                     "eddsa-jcs-2022, ecdsa-jcs-2019, eddsa-rdfc-2022, ecdsa-rdfc-2019");
  create->add_option("--challenge", pa->challenge, "The verifier's challenge (nonce)");
  create->add_option("--domain", pa->domain, "The verifier's domain (audience)");
  AddContextsFlag(create);
  Bind(create, "vp create", ctx, [&ctx] {
    RETURN_IF_ERROR(UsePinnedContexts());
    return Present(ctx, *pa);
  });

  static VpVerifyArgs* pv = new VpVerifyArgs();
  auto* pverify = p->add_subcommand("verify", "Verify a presentation and every credential in it");
  pverify->add_option("file", pv->file, "Presentation file (default: - for stdin)");
  pverify->add_option("--challenge", pv->challenge, "Required challenge");
  pverify->add_option("--domain", pv->domain, "Required domain");
  AddVerifyFlags(pverify, pv->flags);
  AddContextsFlag(pverify);
  Bind(pverify, "vp verify", ctx, [&ctx] {
    RETURN_IF_ERROR(UsePinnedContexts());
    return VerifyVp(ctx, *pv);
  });

  CLI::App* s = app.add_subcommand("status", "Bitstring status lists: revocation and suspension");
  s->require_subcommand(1);
  static StatusCreateArgs* sc = new StatusCreateArgs();
  auto* screate = s->add_subcommand("create", "Create a status list and its signed credential");
  screate->add_option("--id", sc->id, "URL the list credential will be served at")->required();
  screate->add_option("--issuer", sc->issuer, "Issuer DID")->required();
  screate->add_option("--key", sc->key_file, "Issuer key file")->required();
  screate->add_option("--passphrase-file", sc->passphrase_file, "Passphrase file for the key");
  screate->add_option("--kid", sc->kid, "Verification method (default: derived)");
  screate->add_option("--purpose", sc->purpose, "revocation (default) or suspension");
  screate->add_option("--entries", sc->entries, "Number of entries (at least 131072)");
  screate->add_option("--dir", sc->dir, "Directory for state.json and list.json")->required();
  screate->add_flag("--force", sc->force, "Replace an existing list");
  Bind(screate, "status create", ctx, [&ctx] { return StatusCreate(ctx, *sc); });

  static std::string* adir = new std::string();
  auto* salloc = s->add_subcommand("allocate", "Allocate a random entry; prints credentialStatus");
  salloc->add_option("--dir", *adir, "Status list directory")->required();
  Bind(salloc, "status allocate", ctx, [&ctx] {
    auto e = AllocateStatusEntry(*adir);
    if (!e.ok()) return e.status();
    PrintJson(*e);
    return Status::Ok();
  });

  static StatusSetArgs* ss = new StatusSetArgs();
  auto* sset = s->add_subcommand("set", "Revoke, suspend or unsuspend an entry and republish");
  sset->add_option("--dir", ss->dir, "Status list directory")->required();
  sset->add_option("--index", ss->index, "statusListIndex of the credential")->required();
  sset->add_option("--key", ss->key_file, "Issuer key file (to re-sign the list)")->required();
  sset->add_option("--passphrase-file", ss->passphrase_file, "Passphrase file for the key");
  sset->add_flag("--revoke", ss->revoke, "Revoke (permanent)");
  sset->add_flag("--suspend", ss->suspend, "Suspend");
  sset->add_flag("--unsuspend", ss->unsuspend, "Lift a suspension");
  Bind(sset, "status set", ctx, [&ctx] { return StatusSet(ctx, *ss); });

  static StatusCheckArgs* sk = new StatusCheckArgs();
  auto* scheck = s->add_subcommand("check", "Check a credential's status entries");
  scheck->add_option("file", sk->file, "Credential file (default: - for stdin)");
  AddVerifyFlags(scheck, sk->flags);
  Bind(scheck, "status check", ctx, [&ctx] { return StatusCheck(ctx, *sk); });
}

}  // namespace traceport::cli
