// The JSON-LD contexts compiled into traceport_jsonld. The table is generated at build time by
// tools/embed_contexts.cc from contexts/manifest.json and the npm packages that
// contexts/package-lock.json pins (docs/formats/contexts.md); nothing here is written by hand.
// ContextRegistry::Builtin() is the public way in.
#ifndef TRACEPORT_JSONLD_INTERNAL_BUILTIN_CONTEXTS_H_
#define TRACEPORT_JSONLD_INTERNAL_BUILTIN_CONTEXTS_H_

#include <span>
#include <string_view>

namespace traceport::jsonld::internal {

struct BuiltinContext {
  std::string_view url;      // the context URL documents name in "@context"
  std::string_view package;  // npm package the bytes come from
  std::string_view version;  // its exact version
  std::string_view file;     // path of the file inside the package
  std::string_view sha256;   // lowercase hex SHA-256 of `bytes` (checked at build time)
  // The SHA-256 a specification publishes for this URL, when it publishes one; empty otherwise.
  // The build checked that `bytes` either hash to it or are the same JSON (RFC 8785 form) as
  // the published document.
  std::string_view published_sha256;
  std::string_view bytes;  // the file, byte for byte
};

// Every built-in context, in manifest order. Static storage; never fails.
std::span<const BuiltinContext> BuiltinContexts();

}  // namespace traceport::jsonld::internal

#endif  // TRACEPORT_JSONLD_INTERNAL_BUILTIN_CONTEXTS_H_
