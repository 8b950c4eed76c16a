// Text helpers shared by the signed-note, checkpoint, cosignature and tlog-proof parsers.
// Internal to ledger/verify.
//
// Thread safety: all functions are pure and may be called concurrently.
#ifndef TRACEPORT_LEDGER_VERIFY_INTERNAL_TEXT_H_
#define TRACEPORT_LEDGER_VERIFY_INTERNAL_TEXT_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace traceport::ledger::internal {

// Decodes the UTF-8 sequence starting at text[pos]. Returns the code point and sets *length to
// its byte count, or nullopt for an ill-formed sequence (truncated, overlong, a surrogate, above
// U+10FFFF, a stray continuation byte). `pos` must be < text.size().
std::optional<char32_t> DecodeUtf8(std::string_view text, size_t pos, size_t* length);

// The byte offset of the first ill-formed UTF-8 sequence in `text`, or nullopt if it is valid.
std::optional<size_t> FindInvalidUtf8(std::string_view text);

// True for the code points Unicode classes as white space (the Z categories, plus U+0009..U+000D
// and U+0085): the "Unicode spaces" key names must not contain.
bool IsUnicodeSpace(char32_t c);

// A copy of `text` safe to put in an error message: printable ASCII other than the backslash
// is copied, every other byte is written as "\xNN", and the result is cut after `max_bytes`
// input bytes with "..." appended.
std::string Printable(std::string_view text, size_t max_bytes = 64);

// Parses an ASCII decimal with no sign and no leading zeroes ("0" itself is allowed) that fits
// in 64 bits. InvalidArgument naming `what` otherwise, e.g. "checkpoint: tree size has a
// leading zero".
Result<uint64_t> ParseDecimal(std::string_view text, std::string_view what);

}  // namespace traceport::ledger::internal

#endif  // TRACEPORT_LEDGER_VERIFY_INTERNAL_TEXT_H_
