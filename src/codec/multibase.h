// Multibase: a one-character prefix naming the base of the text that follows
// (https://github.com/multiformats/multibase). Supported prefixes:
//   'z'  base58btc                          (did:key, Multikey, Data Integrity proofValue)
//   'u'  base64url without padding           (Bitstring Status List encodedList)
//   'f'  base16, lowercase digits only
//   'm'  base64 standard alphabet without padding
// Each decoder is the strict one from base58.h / base64.h / hex.h, so a successful decode
// re-encodes to exactly the input text. Uppercase base16 ('F') is not supported, so that the
// hex form stays canonical.
//
// Thread safety: all functions are pure and may be called concurrently.
#ifndef TRACEPORT_CODEC_MULTIBASE_H_
#define TRACEPORT_CODEC_MULTIBASE_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace traceport::codec {

// The value of each enumerator is its prefix character.
enum class Multibase : char {
  kBase58Btc = 'z',
  kBase64Url = 'u',
  kBase16 = 'f',
  kBase64 = 'm',
};

// "base58btc", "base64url", "base16", "base64".
std::string_view MultibaseName(Multibase base);

// Prefix followed by the encoding of `bytes`. Never fails (base58btc is quadratic: see
// base58.h).
std::string MultibaseEncode(Multibase base, std::span<const uint8_t> bytes);

struct MultibaseDecoded {
  Multibase base;
  std::vector<uint8_t> bytes;
};

// Decodes any supported prefix. Errors:
//   InvalidArgument "multibase: empty input"
//   InvalidArgument "multibase: unsupported prefix 'Q'"
//   the base decoder's error with "multibase: " in front, e.g.
//   "multibase: base58: invalid character '0' at offset 3" (offsets count from after the
//   prefix), including its ResourceExhausted for over-long base58 input.
Result<MultibaseDecoded> MultibaseDecode(std::string_view text);

// Decodes text that must use `expected`; another valid prefix is InvalidArgument
// "multibase: expected prefix 'z' (base58btc), got 'u'".
Result<std::vector<uint8_t>> MultibaseDecodeAs(Multibase expected, std::string_view text);

}  // namespace traceport::codec

#endif  // TRACEPORT_CODEC_MULTIBASE_H_
