// base58btc: the Bitcoin base58 alphabet, as used by multibase 'z' (did:key, Multikey,
// Data Integrity proofValue).
//
// Each leading zero byte is written as one leading '1'; the remaining bytes are the big-endian
// number written in base 58 without leading zero digits. Because of that rule every byte
// string has exactly one encoding and every valid string decodes back to itself.
//
// Both directions are quadratic in the length. Decoding untrusted text therefore refuses
// inputs longer than kMaxBase58DecodeInput characters; encoding is meant for keys, hashes and
// signatures (tens of bytes) and callers must not feed it unbounded data.
//
// Thread safety: all functions are pure and may be called concurrently.
#ifndef TRACEPORT_CODEC_BASE58_H_
#define TRACEPORT_CODEC_BASE58_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace traceport::codec {

// Longest text Base58Decode accepts (about 6 KB of decoded data).
inline constexpr size_t kMaxBase58DecodeInput = 8 * 1024;

// Never fails. The empty input encodes as the empty string.
std::string Base58Encode(std::span<const uint8_t> bytes);

// Errors:
//   ResourceExhausted "base58: input of 9000 characters exceeds the limit of 8192"
//   InvalidArgument   "base58: invalid character 'l' at offset 7"
// The empty string decodes to no bytes.
Result<std::vector<uint8_t>> Base58Decode(std::string_view text);

}  // namespace traceport::codec

#endif  // TRACEPORT_CODEC_BASE58_H_
