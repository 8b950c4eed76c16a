// The pinned JSON-LD context registry: the only place JSON-LD processing gets remote contexts.
// Verification never touches the network; a context is served only if its bytes were pinned
// beforehand, either compiled in (the W3C and CCG contexts of contexts/manifest.json, taken from
// npm packages at build time) or added by the operator (`traceport contexts add URL FILE`).
//
// One URL can have several pinned versions (a credential signed years ago needs the context it
// was signed with); each version is identified by the SHA-256 of its bytes, and one version per
// URL is the default that Load() serves. A verifier that knows which version a document was
// made with asks for it by hash (LoadVersion, PinnedContextLoader).
//
// Operator contexts live in a directory (docs/formats/contexts.md):
//   <dir>/index.json            which versions each URL has, and which one is the default
//   <dir>/<sha256>.jsonld       the bytes of each version, named by their SHA-256 (lowercase hex)
// For a node, the directory is <data dir>/contexts (`traceport contexts ... --data DIR`).
//
// Thread safety: every const method may be called from several threads at once, also while
// another thread calls Add / LoadDirectory (a reader sees the registry before or after each
// version is added). Parsed documents are shared (std::shared_ptr) and immutable.
#ifndef TRACEPORT_JSONLD_CONTEXT_REGISTRY_H_
#define TRACEPORT_JSONLD_CONTEXT_REGISTRY_H_

#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "jsonld/document_loader.h"

namespace traceport::jsonld {

// Largest context file accepted (operator contexts; the built-in ones are far smaller).
inline constexpr size_t kMaxContextBytes = 1 << 20;

enum class ContextSource { kBuiltin, kOperator };

// "builtin" or "operator".
std::string_view ContextSourceName(ContextSource source);

// One pinned version of one URL. Immutable once in a registry.
struct ContextEntry {
  std::string url;
  std::string sha256;  // lowercase hex SHA-256 of `bytes`
  std::string bytes;   // the context file as pinned, byte for byte
  ContextSource source = ContextSource::kOperator;
  // Where the bytes came from: "npm:<package>@<version>/<file>" for a built-in context, the
  // file name in the operator directory ("<sha256>.jsonld") or "memory" otherwise.
  std::string origin;
  // Built-in contexts only: the SHA-256 a specification publishes for this URL, when there is
  // one. It differs from `sha256` when the npm package reformatted the published file; the build
  // checked that both are the same JSON (docs/formats/contexts.md). Lookups by hash accept it.
  std::string published_sha256;
  std::shared_ptr<const nlohmann::json> document;  // `bytes` parsed; never null
};

// One row of List().
struct ListedContext {
  std::shared_ptr<const ContextEntry> entry;
  bool is_default = false;
};

// What Add does when the URL already has a default version with other bytes.
enum class DefaultChoice {
  kIfFirst,      // the first version of a URL becomes its default; a second one is an error
                 // (FailedPrecondition) until the caller picks kMakeDefault or kKeepCurrent
  kMakeDefault,  // the added version becomes the default
  kKeepCurrent,  // the added version is pinned beside the default, which stays
};

struct AddOutcome {
  std::string sha256;
  bool added = false;            // false: these bytes were already pinned for this URL
  bool is_default = false;       // the version is the URL's default after the call
  bool default_changed = false;  // the call changed which version is the default
  ContextSource source = ContextSource::kOperator;  // of the pinned version (an existing one
                                                    // keeps its source)
};

// Checks that `url` can name a context: an absolute "https://" or "http://" URL with a host, or
// a "urn:<nid>:<nss>", without spaces or control characters. InvalidArgument otherwise.
Status ValidateContextUrl(std::string_view url);

class ContextRegistry : public DocumentLoader {
 public:
  // An empty registry: every Load fails.
  ContextRegistry();
  ~ContextRegistry() override;
  ContextRegistry(const ContextRegistry&) = delete;
  ContextRegistry& operator=(const ContextRegistry&) = delete;

  // The contexts compiled into this build (contexts/manifest.json), each the default of its
  // URL. Built on first use; lives for the whole process.
  static const ContextRegistry& Builtin();

  // A new registry holding the built-in contexts, to which operator contexts can be added.
  static std::unique_ptr<ContextRegistry> WithBuiltins();

  // Pins `bytes` as a version of `url`. The bytes must be strict JSON (codec::ParseJson) whose
  // top level is an object with an "@context" member, at most kMaxContextBytes long. Adding
  // bytes that are already pinned for the URL changes nothing (except the default, with
  // kMakeDefault) and reports added = false. Errors: InvalidArgument (URL, JSON, no
  // "@context"), ResourceExhausted (size), FailedPrecondition (a different default exists and
  // `choice` is kIfFirst; the message says how to choose).
  Result<AddOutcome> Add(std::string_view url, std::string bytes, ContextSource source,
                         DefaultChoice choice = DefaultChoice::kIfFirst, std::string origin = "");

  // Add() with the bytes of the file at `path` (source kOperator). NotFound when unreadable.
  Result<AddOutcome> AddFromFile(std::string_view url, const std::filesystem::path& path,
                                 DefaultChoice choice = DefaultChoice::kIfFirst);

  // Adds every version listed in the operator directory `dir` (see the file comment) and applies
  // its defaults. A missing directory or index.json adds nothing and is OK. Errors:
  // InvalidArgument for a malformed index.json, DataLoss when a file is missing or its bytes no
  // longer hash to its name, or when a default names a version that is not pinned. Versions
  // added before an error stay added.
  Status LoadDirectory(const std::filesystem::path& dir);

  // DocumentLoader: the default version of `url`. An unknown URL gives
  // JsonLdError("loading remote context failed", ...) naming the URL and the command that pins
  // it.
  Result<RemoteDocument> Load(std::string_view url) const override;

  // The version of `url` whose SHA-256 (hex, either case) is `sha256`; a built-in entry also
  // answers to its published SHA-256. Unknown URL or version: the same JsonLdError as Load.
  Result<RemoteDocument> LoadVersion(std::string_view url, std::string_view sha256) const;

  // The entries behind Load / LoadVersion, with the same errors.
  Result<std::shared_ptr<const ContextEntry>> Find(std::string_view url) const;
  Result<std::shared_ptr<const ContextEntry>> FindVersion(std::string_view url,
                                                          std::string_view sha256) const;

  // Every pinned version, sorted by URL, each URL's default first, then in the order added.
  std::vector<ListedContext> List() const;

 private:
  struct Versions {
    std::vector<std::shared_ptr<const ContextEntry>> entries;
    size_t default_index = 0;
  };
  Status SetDefault(const std::string& url, std::string_view sha256);

  mutable std::shared_mutex mu_;
  std::map<std::string, Versions, std::less<>> by_url_;
};

// A DocumentLoader over a registry that serves chosen versions: for a URL in `pins` (URL ->
// SHA-256 hex) the version with that hash, and the default version for every other URL. A
// verifier uses it to check a document against the contexts it was signed with. The registry
// must outlive the loader. Thread-safe like the registry.
class PinnedContextLoader : public DocumentLoader {
 public:
  PinnedContextLoader(const ContextRegistry& registry,
                      std::map<std::string, std::string, std::less<>> pins);
  Result<RemoteDocument> Load(std::string_view url) const override;

 private:
  const ContextRegistry& registry_;
  std::map<std::string, std::string, std::less<>> pins_;
};

// Pins the file at `file` as a version of `url` in the operator directory `dir` (created when
// missing): checks it as Add does against the built-in contexts and those already in `dir`,
// writes <dir>/<sha256>.jsonld and rewrites <dir>/index.json (each through a temporary file and
// a rename, so a crash leaves the old or the new index). Bytes identical to a built-in
// context are not copied; with kMakeDefault the index records that version as the default.
// Idempotent: pinning the same bytes again changes nothing. Errors as Add and LoadDirectory,
// plus Internal for write failures.
Result<AddOutcome> AddToContextDirectory(const std::filesystem::path& dir, std::string_view url,
                                         const std::filesystem::path& file,
                                         DefaultChoice choice = DefaultChoice::kIfFirst);

}  // namespace traceport::jsonld

#endif  // TRACEPORT_JSONLD_CONTEXT_REGISTRY_H_
