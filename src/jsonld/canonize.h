// JSON-LD document → canonical N-Quads in one call: expansion (with the pinned loader and, by
// default, safe mode), deserialization to RDF and RDF Dataset Canonicalization. This is the
// "transformation" of the RDF-canonicalized Data Integrity suites (eddsa-rdfc-2022,
// ecdsa-rdfc-2019) and of the legacy Linked Data Proof suites.
//
// Thread-safe if the loader is.
#ifndef TRACEPORT_JSONLD_CANONIZE_H_
#define TRACEPORT_JSONLD_CANONIZE_H_

#include <simdjson.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "jsonld/context.h"
#include "jsonld/document_loader.h"
#include "jsonld/rdfc.h"

namespace traceport::jsonld {

struct CanonizeOptions {
  // Where remote contexts come from; nullptr means the built-in pinned registry
  // (ContextRegistry::Builtin()).
  const DocumentLoader* loader = nullptr;
  // Processed contexts to reuse; nullptr means a process-wide cache kept per loader (so the
  // loader's documents must not change while it is in use — true of the pinned registry).
  ContextCache* cache = nullptr;
  // Safe mode: a term no context defines fails with "safe mode undefined term" instead of
  // being dropped from what is signed.
  bool safe_mode = true;
  // A member of the top-level object to leave out, as if erased first (a secured document's
  // "proof", without copying the document); empty: none.
  std::string_view omit_member;
  // The canonicalization's options: its internal hash (SHA-384 for the P-384 suites) and
  // its work limit.
  CanonicalizeOptions rdfc;
};

// The canonical N-Quads of `document`. Errors are those of expansion (JSON-LD error codes, see
// error.h), of toRdf and of canonicalization (work limit), unchanged.
Result<std::string> CanonizeJsonLd(const nlohmann::json& document,
                                   const CanonizeOptions& options = {});

// CanonizeJsonLd's answer for a document parsed with simdjson (codec::FastJson), when the
// direct path (internal/direct.h) takes it: no nlohmann::json tree is built. nullopt when it
// declines or any step fails; then CanonizeJsonLd over the same document as nlohmann::json
// gives the answer or the error.
std::optional<std::string> CanonizeJsonLdIfDirect(simdjson::dom::element document,
                                                  const CanonizeOptions& options = {});

}  // namespace traceport::jsonld

#endif  // TRACEPORT_JSONLD_CANONIZE_H_
