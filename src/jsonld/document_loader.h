// Where JSON-LD processing gets remote contexts. Verification never touches the network: the
// production loader is the pinned ContextRegistry (context_registry.h); tests serve files.
#ifndef TRACEPORT_JSONLD_DOCUMENT_LOADER_H_
#define TRACEPORT_JSONLD_DOCUMENT_LOADER_H_

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/status.h"

namespace traceport::jsonld {

struct RemoteDocument {
  std::string document_url;                        // the URL the document was loaded from
  std::shared_ptr<const nlohmann::json> document;  // parsed, never null on success
};

class DocumentLoader {
 public:
  virtual ~DocumentLoader() = default;

  // The document at `url` (absolute). An unknown URL is an error whose JsonLdErrorCode is
  // "loading remote context failed" (or "loading document failed" for a top-level document).
  // Must be safe to call from several threads at once.
  virtual Result<RemoteDocument> Load(std::string_view url) const = 0;
};

}  // namespace traceport::jsonld

#endif  // TRACEPORT_JSONLD_DOCUMENT_LOADER_H_
