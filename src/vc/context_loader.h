// Where the RDF-canonicalized cryptosuites (cryptosuite.h) take JSON-LD contexts from. Its own
// header so that callers need not include the suites themselves.
#ifndef TRACEPORT_VC_CONTEXT_LOADER_H_
#define TRACEPORT_VC_CONTEXT_LOADER_H_

#include "jsonld/document_loader.h"

namespace traceport::vc {

// The loader the RDF suites take JSON-LD contexts from; nullptr (the default) means the
// built-in pinned registry (jsonld::ContextRegistry::Builtin()). `loader` must outlive every
// later proof operation. Thread-safe; meant to be called at start-up (the node and the CLI add
// the operator's pinned contexts).
void SetContextLoader(const jsonld::DocumentLoader* loader);

}  // namespace traceport::vc

#endif  // TRACEPORT_VC_CONTEXT_LOADER_H_
