// JSON-LD processing errors. The JSON-LD 1.1 API names each error with a code string ("invalid
// IRI mapping", "protected term redefinition", ...); conformance tests compare those strings.
// A JSON-LD error is a Status whose message is "<code>: <detail>"; JsonLdErrorCode() gets the
// code back. Resource limits use kResourceExhausted, other errors kInvalidArgument.
#ifndef TRACEPORT_JSONLD_ERROR_H_
#define TRACEPORT_JSONLD_ERROR_H_

#include <string_view>

#include "common/status.h"

namespace traceport::jsonld {

// Status(kInvalidArgument, "<code>: <detail>"); `code` must be one of the API's error codes
// (or "safe mode undefined term" / "work limit exceeded" for our own checks).
Status JsonLdError(std::string_view code, std::string_view detail);

// Status(kResourceExhausted, "<code>: <detail>") for configured limits.
Status JsonLdLimitError(std::string_view code, std::string_view detail);

// The code part of a status made by JsonLdError / JsonLdLimitError; empty for other statuses.
std::string_view JsonLdErrorCode(const Status& status);

}  // namespace traceport::jsonld

#endif  // TRACEPORT_JSONLD_ERROR_H_
