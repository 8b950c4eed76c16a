// Text helpers for JSON-LD error messages, which must stay printable ASCII whatever the input.
#ifndef TRACEPORT_JSONLD_INTERNAL_TEXT_H_
#define TRACEPORT_JSONLD_INTERNAL_TEXT_H_

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace traceport::jsonld::internal {

// `s` with bytes outside printable ASCII written as \xNN, cut after `max` bytes of input
// (then ending in "...").
std::string Printable(std::string_view s, size_t max = 200);

// Printable(s, 80) in double quotes, for naming a term or IRI in a message.
std::string Quote(std::string_view s);

// A short printable rendering of a JSON value for messages.
std::string Snippet(const nlohmann::json& value);

// The JSON text of `value`, used as a cache key. Never throws: invalid UTF-8 (which
// codec::ParseJson never produces) is replaced by U+FFFD.
std::string KeyText(const nlohmann::json& value);

}  // namespace traceport::jsonld::internal

#endif  // TRACEPORT_JSONLD_INTERNAL_TEXT_H_
