// Strict JSON parsing for untrusted input, into nlohmann::json.
//
// ParseJson accepts exactly RFC 8259 JSON texts that are also I-JSON (RFC 7493) in the ways
// that matter for signatures and canonicalization. It rejects, as InvalidArgument:
//   - syntax errors, including comments, NaN / Infinity, leading zeros, trailing commas;
//   - trailing bytes after the value (other than whitespace);
//   - a UTF-8 byte order mark;
//   - invalid UTF-8 (overlong forms, encoded surrogates, code points above U+10FFFF) and raw
//     control characters inside strings;
//   - \u escapes that leave a lone surrogate;
//   - numbers too large for a double (e.g. 1e400);
//   - duplicate member names within one object (compared after unescaping).
// and, as ResourceExhausted, input longer than JsonLimits::max_bytes or nested deeper than
// JsonLimits::max_depth. Messages start with "json: " and give the byte offset, e.g.
//   "json: invalid JSON at offset 2: syntax error while parsing value - invalid literal; ..."
//   "json: duplicate member name \"id\" at offset 17 (in object at /credentialSubject)"
//   "json: nesting deeper than 128 at offset 128"
// No exception escapes this module: allocation failure is reported as ResourceExhausted.
//
// Numbers keep nlohmann's representation: integers that fit int64 / uint64 stay integers, all
// others become doubles. "-0" parses as the integer 0.
//
// Thread safety: all functions are pure and may be called concurrently.
#ifndef TRACEPORT_CODEC_JSON_H_
#define TRACEPORT_CODEC_JSON_H_

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace traceport::codec {

// Hard ceiling on nesting for every function in codec (parsing and canonicalization recurse
// or keep per-level state). A JsonLimits::max_depth above it is treated as this value.
inline constexpr size_t kMaxJsonDepth = 1024;

struct JsonLimits {
  size_t max_bytes = 8 * 1024 * 1024;
  // Containers nested inside each other: "[]" has depth 1, "[[1]]" depth 2. Scalars are 0.
  size_t max_depth = 128;
};

Result<nlohmann::json> ParseJson(std::string_view text, const JsonLimits& limits = {});

// The same contract, implemented with nlohmann's SAX parser alone. ParseJson parses with
// simdjson first (codec::FastJson, several times faster on long strings) and builds the tree
// from its document; it falls back to this parser for every text simdjson refuses, so that the
// errors keep their offsets and the rare text only nlohmann takes (an integer beyond 64 bits,
// kept as a double) is still accepted. Tests and fuzzers hold FastJson to this reference.
Result<nlohmann::json> ParseJsonNlohmann(std::string_view text, const JsonLimits& limits = {});

// "null", "boolean", "number", "string", "array", "object" (or "binary" / "discarded" for
// values no JSON text produces), for error messages such as "expected string, got number".
std::string JsonTypeName(const nlohmann::json& value);

// Whether `text` is well-formed UTF-8 (simdjson's validator: no overlong forms, surrogates or
// code points past U+10FFFF). For text that becomes JSON strings without passing the parser.
bool IsValidUtf8(std::string_view text);

// The compact text of `value`: the same bytes as value.dump(-1, ' ', false,
// nlohmann::json::error_handler_t::replace), written several times faster (a run of characters
// that need no escaping is copied whole; nlohmann's serializer decodes every byte). A string that
// is not valid UTF-8 makes the whole value go through nlohmann's serializer, which replaces the
// bad bytes with U+FFFD, and so does a value holding binary data. For responses
// and logs; nothing that is signed depends on it (signatures use JCS, codec/jcs.h).
std::string DumpJson(const nlohmann::json& value);

}  // namespace traceport::codec

#endif  // TRACEPORT_CODEC_JSON_H_
