#include "did/resolver.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "codec/json.h"
#include "did/web.h"

namespace traceport::did {
namespace {

using nlohmann::json;

ResolutionResult Error(std::string_view code, std::string message) {
  ResolutionResult r;
  r.document = nullptr;
  r.error = std::string(code);
  r.error_message = std::move(message);
  return r;
}

ResolutionResult Success(json doc, std::string source) {
  ResolutionResult r;
  r.document = std::move(doc);
  r.content_type = "application/did+ld+json";
  r.source = std::move(source);
  return r;
}

}  // namespace

Status ResolutionResult::status() const {
  if (ok()) return Status::Ok();
  std::string msg = error + ": " + error_message;
  if (error == kErrNotFound) return NotFoundError(std::move(msg));
  if (error == kErrMethodNotSupported || error == kErrUnsupportedPublicKeyType) {
    return UnimplementedError(std::move(msg));
  }
  if (error == kErrInternal) return UnavailableError(std::move(msg));
  return InvalidArgumentError(std::move(msg));
}

json ResolutionResult::ToJson() const {
  json meta = json::object();
  if (ok()) {
    meta["contentType"] = content_type;
  } else {
    meta["error"] = error;
    meta["errorMessage"] = error_message;
  }
  if (!source.empty()) meta["traceportSource"] = source;
  return {{"@context", "https://w3id.org/did-resolution/v1"},
          {"didDocument", document},
          {"didDocumentMetadata", document_metadata},
          {"didResolutionMetadata", meta}};
}

Status LocalDocuments::Put(const json& document) {
  if (!document.is_object() || !document.contains("id") || !document["id"].is_string()) {
    return InvalidArgumentError("DID document must be an object with a string \"id\"");
  }
  std::string id = document["id"].get<std::string>();
  auto did = ParseDid(id);
  if (!did.ok()) return did.status().WithContext("DID document id");
  RETURN_IF_ERROR(ValidateDocument(document, id));
  std::lock_guard<std::mutex> lock(mu_);
  docs_[id] = document;
  return Status::Ok();
}

Status LocalDocuments::LoadDirectory(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return NotFoundError(fmt::format("{} is not a directory", dir.string()));
  }
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    auto doc = codec::ParseJson(ss.str());
    if (!doc.ok()) return doc.status().WithContext(entry.path().string());
    RETURN_IF_ERROR(Put(*doc).WithContext(entry.path().string()));
  }
  return Status::Ok();
}

std::optional<json> LocalDocuments::Get(std::string_view did) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = docs_.find(did);
  if (it == docs_.end()) return std::nullopt;
  return it->second;
}

size_t LocalDocuments::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return docs_.size();
}

DefaultResolver::DefaultResolver(ResolverOptions options, const LocalDocuments* local,
                                 net::HttpClient* http)
    : options_(std::move(options)), local_(local), http_(http) {}

ResolutionResult DefaultResolver::Resolve(std::string_view text) {
  auto parsed = ParseDid(text);
  if (!parsed.ok()) return Error(kErrInvalidDid, std::string(parsed.status().message()));
  const Did& did = *parsed;
  MethodError err;
  if (did.method == "key") {
    auto doc = DidKeyDocument(did, options_.did_key, &err);
    if (!doc.ok()) return Error(err.code.empty() ? kErrInvalidDid : err.code, err.message);
    return Success(std::move(doc).value(), "computed");
  }
  if (did.method == "jwk") {
    auto doc = DidJwkDocument(did, &err);
    if (!doc.ok()) return Error(err.code.empty() ? kErrInvalidDid : err.code, err.message);
    return Success(std::move(doc).value(), "computed");
  }
  if (did.method == "web") return ResolveWeb(did);
  return Error(
      kErrMethodNotSupported,
      fmt::format("DID method '{}' is not supported (supported: key, jwk, web)", did.method));
}

ResolutionResult DefaultResolver::ResolveWeb(const Did& did) {
  auto url = DidWebToUrl(did);
  if (!url.ok()) return Error(kErrInvalidDid, std::string(url.status().message()));
  std::string did_str = did.ToString();
  if (local_ != nullptr) {
    if (auto doc = local_->Get(did_str)) return Success(std::move(*doc), "local");
  }
  if (!options_.enable_network || http_ == nullptr) {
    return Error(kErrNotFound,
                 fmt::format("{} is not among the local DID documents and network resolution "
                             "is disabled (it would be fetched from {})",
                             did_str, *url));
  }
  auto resp = http_->Get(*url, options_.fetch);
  if (!resp.ok()) {
    return Error(kErrInternal, fmt::format("fetching {}: {}", *url, resp.status().message()));
  }
  if (resp->status == 404 || resp->status == 410) {
    return Error(kErrNotFound, fmt::format("{} answered HTTP {}", *url, resp->status));
  }
  if (resp->status != 200) {
    return Error(kErrInternal, fmt::format("{} answered HTTP {}", *url, resp->status));
  }
  codec::JsonLimits limits;
  limits.max_bytes = options_.fetch.max_bytes;
  limits.max_depth = 32;
  auto doc = codec::ParseJson(resp->body, limits);
  if (!doc.ok()) {
    return Error(kErrInvalidDid,
                 fmt::format("document at {} is not valid JSON: {}", *url, doc.status().message()));
  }
  Status valid = ValidateDocument(*doc, did_str);
  if (!valid.ok()) {
    return Error(kErrInvalidDid, fmt::format("document at {}: {}", *url, valid.message()));
  }
  return Success(std::move(doc).value(), "network");
}

Result<jose::PublicKey> ResolvePublicKey(Resolver& resolver, std::string_view did_url,
                                         const Relationship* relationship) {
  auto url = ParseDidUrl(did_url);
  if (!url.ok()) return url.status();
  ResolutionResult res = resolver.Resolve(url->did.ToString());
  RETURN_IF_ERROR(res.status());
  std::string ref(did_url);
  if (!url->fragment) {
    // A bare DID stands for its one signing key: the only method listed under `relationship`,
    // or, without one, the only verification method whose key Traceport can use.
    std::vector<std::string> candidates;
    std::string doc_id = res.document["id"].get<std::string>();
    if (relationship != nullptr) {
      const json& rel =
          res.document.value(std::string(RelationshipName(*relationship)), json::array());
      for (const auto& e : rel) {
        if (e.is_string()) candidates.push_back(e.get<std::string>());
        if (e.is_object()) candidates.push_back(e["id"].get<std::string>());
      }
    } else if (res.document.contains("verificationMethod")) {
      for (const auto& vm : res.document["verificationMethod"]) {
        if (PublicKeyFromVerificationMethod(vm).ok())
          candidates.push_back(vm["id"].get<std::string>());
      }
    }
    if (candidates.size() != 1) {
      return InvalidArgumentError(
          fmt::format("'{}' has {} candidate verification methods; name one with a #fragment",
                      did_url, candidates.size()));
    }
    ref = candidates[0];
    if (!ref.empty() && ref[0] == '#') ref = doc_id + ref;
  }
  ASSIGN_OR_RETURN(json vm, FindVerificationMethod(res.document, ref, relationship));
  return PublicKeyFromVerificationMethod(vm);
}

}  // namespace traceport::did
