// Base64 (RFC 4648 section 4) and base64url (RFC 4648 section 5).
//
// Three variants, each with a strict decoder that accepts exactly the strings its encoder
// produces, so that decode(text) succeeds only if encode(decode(text)) == text:
//   Base64*          standard alphabet (+ /), '=' padding required (length a multiple of 4)
//   Base64Unpadded*  standard alphabet, no padding (multibase 'm')
//   Base64Url*       URL-safe alphabet (- _), no padding (JOSE, multibase 'u')
// Decoders reject whitespace, characters of the other alphabet, misplaced or missing padding,
// impossible lengths and non-zero bits in the last character (non-canonical encodings).
// Errors are InvalidArgument and name the variant and the offset, e.g.
//   "base64url: invalid character '=' at offset 10"
//   "base64url: invalid length 5"
//   "base64: non-zero trailing bits at offset 3"
//
// Thread safety: all functions are pure and may be called concurrently.
#ifndef TRACEPORT_CODEC_BASE64_H_
#define TRACEPORT_CODEC_BASE64_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace traceport::codec {

// Standard alphabet with '=' padding.
std::string Base64Encode(std::span<const uint8_t> bytes);
std::string Base64Encode(std::string_view bytes);
Result<std::vector<uint8_t>> Base64Decode(std::string_view text);

// Standard alphabet without padding.
std::string Base64UnpaddedEncode(std::span<const uint8_t> bytes);
Result<std::vector<uint8_t>> Base64UnpaddedDecode(std::string_view text);

// URL-safe alphabet without padding.
std::string Base64UrlEncode(std::span<const uint8_t> bytes);
std::string Base64UrlEncode(std::string_view bytes);
Result<std::vector<uint8_t>> Base64UrlDecode(std::string_view text);

}  // namespace traceport::codec

#endif  // TRACEPORT_CODEC_BASE64_H_
