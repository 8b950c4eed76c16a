// Hexadecimal (base16) encoding.
//
// Encoding always produces lowercase digits. Decoding accepts upper- and lowercase digits and
// nothing else: no whitespace, no "0x" prefix, no separators.
//
// Thread safety: all functions are pure and may be called concurrently.
#ifndef TRACEPORT_CODEC_HEX_H_
#define TRACEPORT_CODEC_HEX_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace traceport::codec {

// Two lowercase hex digits per byte. Never fails.
std::string HexEncode(std::span<const uint8_t> bytes);
// The same for the bytes of a string.
std::string HexEncode(std::string_view bytes);

// Decodes hex digits (either case). Errors (InvalidArgument):
//   "hex: odd length 5"
//   "hex: invalid character 'g' at offset 3"
Result<std::vector<uint8_t>> HexDecode(std::string_view text);

}  // namespace traceport::codec

#endif  // TRACEPORT_CODEC_HEX_H_
