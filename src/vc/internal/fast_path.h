// Internal to vc: what the verifier's fast path needs from the simdjson document.
//
// The fast path verifies a credential from a codec::FastJson document without materializing
// the whole nlohmann tree. The structure, key, purpose, validity and status checks read only the
// top-level members of a credential and, of each credentialSubject object, only whether it is
// empty and its "id" (see data_model.cc and DecodeJwt's "sub" check), so the verifier gives
// them a skeleton: every top-level member in full, and each credentialSubject object reduced to
// its "id" plus one placeholder member standing for all the others. The proof's canonical bytes
// come from the simdjson document itself: its RFC 8785 form for the JCS suites, its canonical
// N-Quads (jsonld's direct path, RDFC-1.0 with SHA-256) for the RDF suites. The fast path only ever
// answers "verified"; anything else is decided again by the full path, which is therefore the only
// source of failure reports.
#ifndef TRACEPORT_VC_INTERNAL_FAST_PATH_H_
#define TRACEPORT_VC_INTERNAL_FAST_PATH_H_

#include <nlohmann/json.hpp>
#include <string_view>

#include "codec/fast_json.h"
#include "common/status.h"
#include "vc/vc_jwt.h"

namespace traceport::vc::internal {

// The skeleton of `credential` (an object) described above.
nlohmann::json CredentialSkeleton(simdjson::dom::element credential);

// DecodeJwt with the payload parsed by codec::FastJson and kept as its CredentialSkeleton
// (credentials only). Errors carry no detail worth reporting: the caller falls back to
// DecodeJwt.
Result<DecodedJwt> DecodeJwtSkeleton(std::string_view jwt, size_t max_bytes);

}  // namespace traceport::vc::internal

#endif  // TRACEPORT_VC_INTERNAL_FAST_PATH_H_
