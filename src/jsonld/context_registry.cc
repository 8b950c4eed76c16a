#include "jsonld/context_registry.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <mutex>
#include <system_error>
#include <utility>

#include "codec/hex.h"
#include "codec/json.h"
#include "crypto/sha2.h"
#include "jsonld/error.h"
#include "jsonld/internal/builtin_contexts.h"

namespace traceport::jsonld {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::string_view kLoadFailed = "loading remote context failed";
constexpr std::string_view kIndexFormat = "traceport-contexts/1";
constexpr std::string_view kIndexFile = "index.json";

std::string Sha256Hex(std::string_view bytes) { return codec::HexEncode(crypto::Sha256(bytes)); }

// The lowercase form of a 64-digit hex SHA-256, or an empty string when `text` is not one.
std::string NormalizeSha256(std::string_view text) {
  if (text.size() != 64) return {};
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return {};
  }
  return out;
}

std::string HowToPin(std::string_view url) {
  return "pin it with: traceport contexts add " + std::string(url) + " FILE";
}

std::string VersionList(const std::vector<std::shared_ptr<const ContextEntry>>& entries) {
  std::string out;
  for (const auto& e : entries) {
    if (!out.empty()) out += ", ";
    out += e->sha256;
  }
  return out;
}

Result<std::string> ReadContextFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError(path.string() + ": cannot be read");
  std::string bytes;
  char buffer[1 << 14];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    bytes.append(buffer, static_cast<size_t>(in.gcount()));
    if (bytes.size() > kMaxContextBytes) {
      return ResourceExhaustedError(path.string() + ": longer than " +
                                    std::to_string(kMaxContextBytes) + " bytes");
    }
  }
  if (in.bad()) return InternalError(path.string() + ": read error");
  return bytes;
}

// Writes `bytes` to `path` through a temporary file in the same directory, fsynced and renamed
// over `path`, so that readers see the old file or the new one, never a part.
Status WriteFileAtomically(const fs::path& path, std::string_view bytes) {
  const fs::path tmp = path.parent_path() / ("." + path.filename().string() + ".tmp");
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return InternalError(tmp.string() + ": " + std::strerror(errno));
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = errno;
      ::close(fd);
      return InternalError(tmp.string() + ": " + std::strerror(err));
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    return InternalError(tmp.string() + ": " + std::strerror(errno));
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return InternalError(path.string() + ": " + ec.message());
  const int dir_fd = ::open(path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  return Status::Ok();
}

// Checks and parses one version; the entry is not yet in any registry.
Result<std::shared_ptr<ContextEntry>> MakeEntry(std::string_view url, std::string bytes,
                                                ContextSource source, std::string origin) {
  RETURN_IF_ERROR(ValidateContextUrl(url));
  if (bytes.size() > kMaxContextBytes) {
    return ResourceExhaustedError("context " + std::string(url) + ": " +
                                  std::to_string(bytes.size()) + " bytes, more than the " +
                                  std::to_string(kMaxContextBytes) + " allowed");
  }
  codec::JsonLimits limits;
  limits.max_bytes = kMaxContextBytes;
  auto parsed = codec::ParseJson(bytes, limits);
  if (!parsed.ok()) {
    return InvalidArgumentError("context " + std::string(url) +
                                ": not valid JSON: " + std::string(parsed.status().message()));
  }
  if (!parsed->is_object() || !parsed->contains("@context")) {
    return InvalidArgumentError("context " + std::string(url) +
                                ": not a JSON-LD context document (no top-level \"@context\")");
  }
  auto entry = std::make_shared<ContextEntry>();
  entry->url = std::string(url);
  entry->sha256 = Sha256Hex(bytes);
  entry->bytes = std::move(bytes);
  entry->source = source;
  entry->origin = origin.empty() ? "memory" : std::move(origin);
  entry->document = std::make_shared<const json>(std::move(*parsed));
  return entry;
}

// An empty index, or the one in `dir`.
Result<json> ReadIndex(const fs::path& dir) {
  const fs::path path = dir / kIndexFile;
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    return json{{"format", kIndexFormat}, {"contexts", json::object()}};
  }
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in && !in.eof()) return InternalError(path.string() + ": cannot be read");
  auto index = codec::ParseJson(text);
  if (!index.ok()) {
    return InvalidArgumentError(path.string() + ": " + std::string(index.status().message()));
  }
  const std::string bad = path.string() + ": not a context index (" + std::string(kIndexFormat) +
                          ", docs/formats/contexts.md): ";
  if (!index->is_object() || index->value("format", "") != kIndexFormat) {
    return InvalidArgumentError(bad + "\"format\" is missing or unknown");
  }
  auto contexts = index->find("contexts");
  if (contexts == index->end() || !contexts->is_object()) {
    return InvalidArgumentError(bad + "\"contexts\" is not an object");
  }
  for (const auto& [url, item] : contexts->items()) {
    if (!item.is_object()) return InvalidArgumentError(bad + url + " is not an object");
    auto versions = item.find("versions");
    if (versions == item.end() || !versions->is_array()) {
      return InvalidArgumentError(bad + url + ": \"versions\" is not an array");
    }
    for (const json& v : *versions) {
      // The hashes name files: only exact lowercase hex may reach a path.
      if (!v.is_string() || NormalizeSha256(v.get<std::string>()) != v.get<std::string>()) {
        return InvalidArgumentError(bad + url + ": a version is not a lowercase SHA-256 hex");
      }
    }
    if (auto d = item.find("default"); d != item.end()) {
      if (!d->is_string() || NormalizeSha256(d->get<std::string>()) != d->get<std::string>()) {
        return InvalidArgumentError(bad + url + ": \"default\" is not a lowercase SHA-256 hex");
      }
    }
  }
  return std::move(*index);
}

// Holds an exclusive flock on <dir>/.lock while alive, so that two `contexts add` on one
// directory do not lose each other's index update.
class DirectoryLock {
 public:
  static Result<std::unique_ptr<DirectoryLock>> Acquire(const fs::path& dir) {
    const fs::path path = dir / ".lock";
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return InternalError(path.string() + ": " + std::strerror(errno));
    while (::flock(fd, LOCK_EX) != 0) {
      if (errno != EINTR) {
        const int err = errno;
        ::close(fd);
        return InternalError(path.string() + ": flock: " + std::strerror(err));
      }
    }
    return std::unique_ptr<DirectoryLock>(new DirectoryLock(fd));
  }
  ~DirectoryLock() { ::close(fd_); }
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;

 private:
  explicit DirectoryLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace

std::string_view ContextSourceName(ContextSource source) {
  return source == ContextSource::kBuiltin ? "builtin" : "operator";
}

Status ValidateContextUrl(std::string_view url) {
  auto bad = [&](std::string_view why) {
    return InvalidArgumentError("context URL \"" + std::string(url) + "\": " + std::string(why) +
                                " (expected an absolute https:, http: or urn: URL)");
  };
  if (url.empty()) return bad("empty");
  if (url.size() > 2048) return bad("longer than 2048 characters");
  for (unsigned char c : url) {
    if (c <= 0x20 || c == 0x7f) return bad("contains a space or control character");
  }
  for (std::string_view scheme : {"https://", "http://"}) {
    if (url.substr(0, scheme.size()) == scheme) {
      const std::string_view rest = url.substr(scheme.size());
      if (rest.empty() || rest[0] == '/' || rest[0] == '?' || rest[0] == '#') {
        return bad("no host");
      }
      return Status::Ok();
    }
  }
  if (url.substr(0, 4) == "urn:") {
    const std::string_view rest = url.substr(4);
    const size_t colon = rest.find(':');
    if (colon == 0 || colon == std::string_view::npos || colon + 1 == rest.size()) {
      return bad("a URN needs urn:<namespace>:<name>");
    }
    return Status::Ok();
  }
  return bad("not absolute, or an unsupported scheme");
}

ContextRegistry::ContextRegistry() = default;
ContextRegistry::~ContextRegistry() = default;

const ContextRegistry& ContextRegistry::Builtin() {
  static const ContextRegistry* const kBuiltin = [] {
    auto* registry = new ContextRegistry();
    for (const internal::BuiltinContext& c : internal::BuiltinContexts()) {
      auto entry = MakeEntry(c.url, std::string(c.bytes), ContextSource::kBuiltin,
                             "npm:" + std::string(c.package) + "@" + std::string(c.version) + "/" +
                                 std::string(c.file));
      if (entry.ok()) {
        (*entry)->published_sha256 = std::string(c.published_sha256);
        // Built-in URLs are unique (the generator checks), so each is its URL's default.
        std::unique_lock lock(registry->mu_);
        registry->by_url_[(*entry)->url].entries.push_back(std::move(*entry));
        continue;
      }
      // The generator checked these bytes at build time; failing here means a broken build.
      std::fprintf(stderr, "traceport: built-in context %.*s: %s\n", static_cast<int>(c.url.size()),
                   c.url.data(), entry.status().ToString().c_str());
      std::abort();
    }
    return registry;
  }();
  return *kBuiltin;
}

std::unique_ptr<ContextRegistry> ContextRegistry::WithBuiltins() {
  auto registry = std::make_unique<ContextRegistry>();
  const ContextRegistry& builtin = Builtin();
  std::shared_lock lock(builtin.mu_);
  registry->by_url_ = builtin.by_url_;  // shares the immutable entries
  return registry;
}

Result<AddOutcome> ContextRegistry::Add(std::string_view url, std::string bytes,
                                        ContextSource source, DefaultChoice choice,
                                        std::string origin) {
  ASSIGN_OR_RETURN(std::shared_ptr<ContextEntry> entry,
                   MakeEntry(url, std::move(bytes), source, std::move(origin)));
  AddOutcome outcome;
  outcome.sha256 = entry->sha256;
  outcome.source = source;
  std::unique_lock lock(mu_);
  auto it = by_url_.find(url);
  if (it == by_url_.end()) {
    by_url_[entry->url].entries.push_back(std::move(entry));
    outcome.added = outcome.is_default = outcome.default_changed = true;
    return outcome;
  }
  Versions& versions = it->second;
  for (size_t i = 0; i < versions.entries.size(); ++i) {
    if (versions.entries[i]->sha256 != outcome.sha256) continue;
    outcome.source = versions.entries[i]->source;
    if (choice == DefaultChoice::kMakeDefault && versions.default_index != i) {
      versions.default_index = i;
      outcome.default_changed = true;
    }
    outcome.is_default = versions.default_index == i;
    return outcome;
  }
  if (choice == DefaultChoice::kIfFirst) {
    const ContextEntry& current = *versions.entries[versions.default_index];
    return FailedPreconditionError(
        "context " + current.url + " already has a default version " + current.sha256 + " (" +
        std::string(ContextSourceName(current.source)) + "); the new version " + outcome.sha256 +
        " needs an explicit choice: make it the default (traceport contexts add --default) or "
        "pin it beside the current one (--keep-default)");
  }
  versions.entries.push_back(std::move(entry));
  if (choice == DefaultChoice::kMakeDefault) {
    versions.default_index = versions.entries.size() - 1;
    outcome.is_default = outcome.default_changed = true;
  }
  outcome.added = true;
  return outcome;
}

Result<AddOutcome> ContextRegistry::AddFromFile(std::string_view url, const fs::path& path,
                                                DefaultChoice choice) {
  ASSIGN_OR_RETURN(std::string bytes, ReadContextFile(path));
  return Add(url, std::move(bytes), ContextSource::kOperator, choice, path.string());
}

Status ContextRegistry::SetDefault(const std::string& url, std::string_view sha256) {
  std::unique_lock lock(mu_);
  auto it = by_url_.find(url);
  if (it != by_url_.end()) {
    for (size_t i = 0; i < it->second.entries.size(); ++i) {
      if (it->second.entries[i]->sha256 == sha256) {
        it->second.default_index = i;
        return Status::Ok();
      }
    }
  }
  return DataLossError("context index: the default of " + url + " is " + std::string(sha256) +
                       ", which is not pinned");
}

Status ContextRegistry::LoadDirectory(const fs::path& dir) {
  ASSIGN_OR_RETURN(json index, ReadIndex(dir));
  for (const auto& [url, item] : index["contexts"].items()) {
    for (const json& v : item["versions"]) {
      const std::string sha256 = v.get<std::string>();
      const fs::path path = dir / (sha256 + ".jsonld");
      auto bytes = ReadContextFile(path);
      if (!bytes.ok()) {
        return DataLossError("context index lists " + url + " version " + sha256 + ", but " +
                             std::string(bytes.status().message()));
      }
      if (Sha256Hex(*bytes) != sha256) {
        return DataLossError(path.string() + ": its bytes no longer hash to its name (" +
                             Sha256Hex(*bytes) + "); the file was changed after it was pinned");
      }
      auto added = Add(url, std::move(*bytes), ContextSource::kOperator,
                       DefaultChoice::kKeepCurrent, path.filename().string());
      if (!added.ok()) return added.status().WithContext(path.string());
    }
    if (auto d = item.find("default"); d != item.end()) {
      RETURN_IF_ERROR(SetDefault(url, d->get<std::string>()));
    }
  }
  return Status::Ok();
}

Result<std::shared_ptr<const ContextEntry>> ContextRegistry::Find(std::string_view url) const {
  std::shared_lock lock(mu_);
  auto it = by_url_.find(url);
  if (it == by_url_.end()) {
    return JsonLdError(kLoadFailed,
                       "no pinned context for \"" + std::string(url) + "\"; " + HowToPin(url));
  }
  return it->second.entries[it->second.default_index];
}

Result<std::shared_ptr<const ContextEntry>> ContextRegistry::FindVersion(
    std::string_view url, std::string_view sha256) const {
  const std::string want = NormalizeSha256(sha256);
  if (want.empty()) {
    return JsonLdError(kLoadFailed, "context " + std::string(url) + ": \"" + std::string(sha256) +
                                        "\" is not a SHA-256 in hex");
  }
  std::shared_lock lock(mu_);
  auto it = by_url_.find(url);
  if (it == by_url_.end()) {
    return JsonLdError(kLoadFailed,
                       "no pinned context for \"" + std::string(url) + "\"; " + HowToPin(url));
  }
  for (const auto& e : it->second.entries) {
    if (e->sha256 == want || e->published_sha256 == want) return e;
  }
  return JsonLdError(kLoadFailed, "context " + std::string(url) +
                                      " is pinned, but not the version with SHA-256 " + want +
                                      " (pinned: " + VersionList(it->second.entries) + "); " +
                                      HowToPin(url));
}

Result<RemoteDocument> ContextRegistry::Load(std::string_view url) const {
  ASSIGN_OR_RETURN(auto entry, Find(url));
  return RemoteDocument{entry->url, entry->document};
}

Result<RemoteDocument> ContextRegistry::LoadVersion(std::string_view url,
                                                    std::string_view sha256) const {
  ASSIGN_OR_RETURN(auto entry, FindVersion(url, sha256));
  return RemoteDocument{entry->url, entry->document};
}

std::vector<ListedContext> ContextRegistry::List() const {
  std::vector<ListedContext> out;
  std::shared_lock lock(mu_);
  for (const auto& [url, versions] : by_url_) {
    out.push_back({versions.entries[versions.default_index], true});
    for (size_t i = 0; i < versions.entries.size(); ++i) {
      if (i != versions.default_index) out.push_back({versions.entries[i], false});
    }
  }
  return out;
}

PinnedContextLoader::PinnedContextLoader(const ContextRegistry& registry,
                                         std::map<std::string, std::string, std::less<>> pins)
    : registry_(registry), pins_(std::move(pins)) {}

Result<RemoteDocument> PinnedContextLoader::Load(std::string_view url) const {
  auto it = pins_.find(url);
  if (it == pins_.end()) return registry_.Load(url);
  return registry_.LoadVersion(url, it->second);
}

Result<AddOutcome> AddToContextDirectory(const fs::path& dir, std::string_view url,
                                         const fs::path& file, DefaultChoice choice) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return InternalError(dir.string() + ": " + ec.message());
  ASSIGN_OR_RETURN(auto lock, DirectoryLock::Acquire(dir));
  auto registry = ContextRegistry::WithBuiltins();
  RETURN_IF_ERROR(registry->LoadDirectory(dir));
  ASSIGN_OR_RETURN(std::string bytes, ReadContextFile(file));
  ASSIGN_OR_RETURN(AddOutcome outcome, registry->Add(url, bytes, ContextSource::kOperator, choice));
  if (!outcome.added && !outcome.default_changed) return outcome;

  ASSIGN_OR_RETURN(json index, ReadIndex(dir));
  json& item = index["contexts"][std::string(url)];
  if (!item.contains("versions")) item["versions"] = json::array();
  if (outcome.added) {
    RETURN_IF_ERROR(WriteFileAtomically(dir / (outcome.sha256 + ".jsonld"), bytes));
    item["versions"].push_back(outcome.sha256);
  }
  if (outcome.default_changed) item["default"] = outcome.sha256;
  RETURN_IF_ERROR(WriteFileAtomically(dir / kIndexFile, index.dump(2) + "\n"));
  return outcome;
}

}  // namespace traceport::jsonld
