// JSON-LD 1.1 expansion (JSON-LD 1.1 Processing Algorithms and API, section 5.1 with Value
// Expansion 5.3), processing mode json-ld-1.1.
//
// Expand turns a JSON-LD document into expanded form: every term, compact IRI and relative IRI
// replaced by an absolute IRI, contexts removed, values as value objects, always a top-level
// array. Errors are JSON-LD errors (jsonld/error.h) whose code is the API's error code string,
// e.g. "invalid IRI mapping"; limits fail with kResourceExhausted and the code
// "context overflow" (remote or nested contexts) or "work limit exceeded" (depth, nodes).
//
// Remote contexts come only from options.loader. Processed contexts are memoized in
// options.cache when given (share one cache across calls that use the same loader so the
// W3C credentials context is processed once), else in a cache that lives for the call.
//
// Thread safety: Expand may be called concurrently; a shared ContextCache is thread-safe and the
// loader must be too.
#ifndef TRACEPORT_JSONLD_EXPAND_H_
#define TRACEPORT_JSONLD_EXPAND_H_

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "common/status.h"
#include "jsonld/context.h"
#include "jsonld/document_loader.h"

namespace traceport::jsonld {

struct ExpandOptions {
  std::optional<std::string> base;                 // document base IRI
  const DocumentLoader* loader = nullptr;          // nullptr: every remote context fails
  const nlohmann::json* expand_context = nullptr;  // the API's expandContext option
  // A key or @type value that does not expand to an absolute IRI or keyword (and so would be
  // dropped or left relative silently) is an error "safe mode undefined term" naming the term
  // and its JSON Pointer in the input.
  bool safe_mode = false;
  // Memoizes processed contexts across calls; must outlive the call and be used with one
  // loader only. nullptr: a cache private to this call.
  ContextCache* cache = nullptr;

  // Limits ("context overflow"): remote context documents fetched by one call (cache hits are
  // free), remote contexts nested inside each other, context processing steps.
  size_t max_remote_loads = 64;
  size_t max_remote_depth = 16;
  size_t max_context_processing = 10000;
  // Limits ("work limit exceeded"): element nesting depth and elements visited.
  size_t max_depth = 128;
  size_t max_nodes = 1000000;
};

// The expanded form of `input` (a JSON array). See the file comment for errors.
Result<nlohmann::json> Expand(const nlohmann::json& input, const ExpandOptions& options);

}  // namespace traceport::jsonld

#endif  // TRACEPORT_JSONLD_EXPAND_H_
