// traceport contexts: the pinned JSON-LD context registry (src/jsonld/context_registry.h) from
// the command line — list what is pinned, pin an operator context, print one.
// docs/cli.md and docs/formats/contexts.md.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "apps/traceport/cli.h"
#include "jsonld/context_registry.h"

namespace traceport::cli {
namespace {

namespace fs = std::filesystem;
using jsonld::ContextRegistry;
using nlohmann::json;

struct ContextsFlags {
  std::string dir;   // the operator context directory
  std::string data;  // a node data directory: its contexts are in <data>/contexts
  std::string url;
  std::string file;
  std::string sha256;
  bool make_default = false;
  bool keep_default = false;
};

// The operator directory the flags name, or an empty path for "built-in contexts only".
fs::path OperatorDir(const ContextsFlags& f) {
  if (!f.dir.empty()) return f.dir;
  if (!f.data.empty()) return fs::path(f.data) / "contexts";
  return {};
}

Result<std::unique_ptr<ContextRegistry>> OpenRegistry(const ContextsFlags& f) {
  auto registry = ContextRegistry::WithBuiltins();
  const fs::path dir = OperatorDir(f);
  if (!dir.empty()) RETURN_IF_ERROR(registry->LoadDirectory(dir));
  return registry;
}

json EntryJson(const jsonld::ContextEntry& e, bool is_default) {
  json out{{"url", e.url},
           {"sha256", e.sha256},
           {"source", std::string(jsonld::ContextSourceName(e.source))},
           {"default", is_default},
           {"bytes", e.bytes.size()},
           {"origin", e.origin}};
  if (!e.published_sha256.empty()) out["published_sha256"] = e.published_sha256;
  return out;
}

Status RunList(Context& ctx, const ContextsFlags& f) {
  ASSIGN_OR_RETURN(auto registry, OpenRegistry(f));
  const auto listed = registry->List();
  if (ctx.json) {
    json out = json::array();
    for (const auto& l : listed) out.push_back(EntryJson(*l.entry, l.is_default));
    PrintJson(out);
    return Status::Ok();
  }
  for (const auto& l : listed) {
    std::printf("%s %-8s %s  %s\n", l.is_default ? "*" : " ",
                std::string(jsonld::ContextSourceName(l.entry->source)).c_str(),
                l.entry->sha256.c_str(), l.entry->url.c_str());
  }
  return Status::Ok();
}

Status RunAdd(Context& ctx, const ContextsFlags& f) {
  const fs::path dir = OperatorDir(f);
  if (dir.empty()) {
    return InvalidArgumentError(
        "where to pin it: pass --data DIR (a node's data directory; contexts go to DIR/contexts) "
        "or --dir DIR");
  }
  const jsonld::DefaultChoice choice = f.make_default   ? jsonld::DefaultChoice::kMakeDefault
                                       : f.keep_default ? jsonld::DefaultChoice::kKeepCurrent
                                                        : jsonld::DefaultChoice::kIfFirst;
  ASSIGN_OR_RETURN(jsonld::AddOutcome outcome,
                   jsonld::AddToContextDirectory(dir, f.url, f.file, choice));
  if (ctx.json) {
    PrintJson(json{{"url", f.url},
                   {"sha256", outcome.sha256},
                   {"added", outcome.added},
                   {"default", outcome.is_default},
                   {"default_changed", outcome.default_changed},
                   {"source", std::string(jsonld::ContextSourceName(outcome.source))},
                   {"dir", dir.string()}});
    return Status::Ok();
  }
  std::printf(
      "%s %s %s%s%s\n", outcome.added ? "pinned" : "already pinned", f.url.c_str(),
      outcome.sha256.c_str(),
      outcome.source == jsonld::ContextSource::kBuiltin ? " (built-in)" : "",
      outcome.is_default ? (outcome.default_changed ? " (now the default)" : " (default)") : "");
  return Status::Ok();
}

Status RunShow(Context& ctx, const ContextsFlags& f) {
  ASSIGN_OR_RETURN(auto registry, OpenRegistry(f));
  auto entry = f.sha256.empty() ? registry->Find(f.url) : registry->FindVersion(f.url, f.sha256);
  if (!entry.ok()) return entry.status();
  const jsonld::ContextEntry& e = **entry;
  if (ctx.json) {
    auto def = registry->Find(f.url);
    json out = EntryJson(e, def.ok() && def->get() == &e);
    out["document"] = *e.document;
    PrintJson(out);
    return Status::Ok();
  }
  // The pinned bytes, unchanged: `show URL > file` reproduces the file and its SHA-256.
  std::fwrite(e.bytes.data(), 1, e.bytes.size(), stdout);
  std::fflush(stdout);
  return Status::Ok();
}

void AddDirFlags(CLI::App* sub, ContextsFlags& f) {
  auto* dir = sub->add_option("--dir", f.dir, "Operator context directory");
  sub->add_option("--data", f.data,
                  "A node's data directory; its operator contexts are in DATA/contexts")
      ->excludes(dir);
}

}  // namespace

void RegisterContextsCommands(CLI::App& app, Context& ctx) {
  auto f = std::make_shared<ContextsFlags>();
  CLI::App* c = app.add_subcommand(
      "contexts",
      "The pinned JSON-LD contexts: the built-in ones and those the operator added (JSON-LD "
      "processing never fetches a context from the network)");
  c->require_subcommand(1);

  CLI::App* list = c->add_subcommand(
      "list", "List every pinned context version (* marks the default of each URL)");
  AddDirFlags(list, *f);
  Bind(list, "contexts list", ctx, [&ctx, f] { return RunList(ctx, *f); });

  CLI::App* add = c->add_subcommand(
      "add", "Pin the context in FILE as a version of URL in the operator directory");
  add->add_option("url", f->url, "The context URL documents use in \"@context\"")->required();
  add->add_option("file", f->file, "The context file (JSON with a top-level \"@context\")")
      ->required();
  AddDirFlags(add, *f);
  auto* make_default =
      add->add_flag("--default", f->make_default, "Make this version the default of URL");
  add->add_flag("--keep-default", f->keep_default,
                "Pin this version beside the current default of URL, which stays")
      ->excludes(make_default);
  Bind(add, "contexts add", ctx, [&ctx, f] { return RunAdd(ctx, *f); });

  CLI::App* show = c->add_subcommand(
      "show", "Print a pinned context exactly as pinned (with --json: its metadata and JSON)");
  show->add_option("url", f->url, "The context URL")->required();
  show->add_option("--sha256", f->sha256, "The version with this SHA-256 instead of the default");
  AddDirFlags(show, *f);
  Bind(show, "contexts show", ctx, [&ctx, f] { return RunShow(ctx, *f); });
}

}  // namespace traceport::cli
