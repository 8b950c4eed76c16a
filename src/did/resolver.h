// DID resolution: did:key and did:jwk computed locally; did:web from local documents first and
// from the network only when enabled (HTTPS only, bounded in size and time, no redirects).
//
// The result mirrors the DID Resolution data model: a document plus metadata, or an error code
// ("invalidDid", "notFound", "methodNotSupported", ...) with an explanation.
#ifndef TRACEPORT_DID_RESOLVER_H_
#define TRACEPORT_DID_RESOLVER_H_

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/status.h"
#include "did/document.h"
#include "did/methods.h"
#include "jose/key.h"
#include "net/http_client.h"

namespace traceport::did {

struct ResolutionResult {
  nlohmann::json document;  // null on error
  nlohmann::json document_metadata = nlohmann::json::object();
  std::string content_type;  // "application/did+ld+json" on success
  std::string error;         // empty on success, else a DID Resolution error code
  std::string error_message;
  std::string source;  // "computed", "local" or "network"

  bool ok() const { return error.empty(); }
  // OK, or a Status whose code reflects the error (NotFound, InvalidArgument, Unimplemented,
  // Unavailable ...) and whose message is "<code>: <explanation>".
  Status status() const;
  // {"@context", "didDocument", "didDocumentMetadata", "didResolutionMetadata"}.
  nlohmann::json ToJson() const;
};

// Resolves DIDs. Implementations are thread-safe.
class Resolver {
 public:
  virtual ~Resolver() = default;
  virtual ResolutionResult Resolve(std::string_view did) = 0;
};

// DID documents held locally: the node's own organizations, pinned partner documents, test
// fixtures. Thread-safe.
class LocalDocuments {
 public:
  // Adds or replaces the document for its "id" (which must be a DID). InvalidArgument if the
  // document is structurally invalid.
  Status Put(const nlohmann::json& document);
  // Loads every *.json file in `dir` as a DID document; errors name the file.
  Status LoadDirectory(const std::filesystem::path& dir);
  std::optional<nlohmann::json> Get(std::string_view did) const;
  size_t size() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, nlohmann::json, std::less<>> docs_;
};

struct ResolverOptions {
  DidKeyOptions did_key;
  // Fetch did:web documents over HTTPS when they are not held locally.
  bool enable_network = false;
  net::FetchOptions fetch = [] {
    net::FetchOptions o;
    o.https_only = true;
    o.max_bytes = 256 * 1024;
    o.timeout = std::chrono::milliseconds(5000);
    o.max_redirects = 0;
    o.accept = "application/did+json, application/did+ld+json, application/json";
    return o;
  }();
};

// The standard resolver. `local` and `http` are not owned and may be null (no local documents;
// no network even if enabled).
class DefaultResolver final : public Resolver {
 public:
  DefaultResolver(ResolverOptions options, const LocalDocuments* local, net::HttpClient* http);
  ResolutionResult Resolve(std::string_view did) override;

 private:
  ResolutionResult ResolveWeb(const Did& did);

  ResolverOptions options_;
  const LocalDocuments* local_;
  net::HttpClient* http_;
};

// Resolves the DID of `did_url`, finds the verification method and returns its public key.
// With `relationship`, the method must be authorized for it (PermissionDenied otherwise).
Result<jose::PublicKey> ResolvePublicKey(Resolver& resolver, std::string_view did_url,
                                         const Relationship* relationship = nullptr);

}  // namespace traceport::did

#endif  // TRACEPORT_DID_RESOLVER_H_
