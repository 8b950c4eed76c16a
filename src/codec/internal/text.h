// Helpers for building error messages about untrusted text. Internal to codec.
//
// Error messages may end up in logs and HTTP problem details, so they must never carry raw
// control characters or invalid UTF-8 copied from the input. These helpers render input bytes
// as printable ASCII.
#ifndef TRACEPORT_CODEC_INTERNAL_TEXT_H_
#define TRACEPORT_CODEC_INTERNAL_TEXT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace traceport::codec::internal {

// "'l'" for a printable ASCII byte other than the quote and backslash, otherwise "0xff".
std::string DescribeByte(uint8_t byte);

// A copy of `text` with every byte outside printable ASCII (and the backslash) written as
// "\xNN", cut after `max_bytes` input bytes with "..." appended.
std::string Printable(std::string_view text, size_t max_bytes = 64);

// `key` escaped as one RFC 6901 JSON Pointer reference token ("~" -> "~0", "/" -> "~1"),
// made printable as by Printable().
std::string PointerToken(std::string_view key);

// Appends `s` as a JSON string literal, quotes included, escaping as both RFC 8785 (JCS) and
// nlohmann's compact dump do: \" \\ \b \f \n \r \t, other bytes below 0x20 as \u00xx
// (lowercase hex), everything else as it is. Returns false (with *bad_at the offset of the bad
// byte, and `out` partly written) when `s` is not valid UTF-8. Defined in jcs.cc.
bool AppendJsonString(std::string_view s, std::string& out, size_t* bad_at);

}  // namespace traceport::codec::internal

#endif  // TRACEPORT_CODEC_INTERNAL_TEXT_H_
