// Multicodec: a varint code in front of a payload saying what the payload is
// (https://github.com/multiformats/multicodec). Traceport needs the key and hash codes below,
// e.g. an Ed25519 Multikey is base58btc("ed 01" || 32-byte key).
//
// Thread safety: all functions are pure and may be called concurrently.
#ifndef TRACEPORT_CODEC_MULTICODEC_H_
#define TRACEPORT_CODEC_MULTICODEC_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace traceport::codec {

// The codes Traceport understands; the value is the multicodec table's code.
enum class MulticodecCode : uint64_t {
  kSha2_256 = 0x12,       // multihash sha2-256     varint 12
  kSecp256k1Pub = 0xe7,   // secp256k1-pub          varint e7 01
  kX25519Pub = 0xec,      // x25519-pub             varint ec 01
  kEd25519Pub = 0xed,     // ed25519-pub            varint ed 01
  kP256Pub = 0x1200,      // p256-pub (compressed)  varint 80 24
  kP384Pub = 0x1201,      // p384-pub (compressed)  varint 81 24
  kP521Pub = 0x1202,      // p521-pub (compressed)  varint 82 24
  kEd25519Priv = 0x1300,  // ed25519-priv (seed)    varint 80 26
  kP256Priv = 0x1306,     // p256-priv              varint 86 26
  kP384Priv = 0x1307,     // p384-priv              varint 87 26
};

// The multicodec table's name, e.g. "ed25519-pub".
std::string_view MulticodecName(MulticodecCode code);

// The MulticodecCode with numeric value `code`, or nullopt when Traceport does not know it.
std::optional<MulticodecCode> LookupMulticodec(uint64_t code);

struct Multicodec {
  MulticodecCode code;
  // The bytes after the varint. A view into the input: valid only while the input is.
  std::span<const uint8_t> payload;
};

// Splits `bytes` into its leading varint code and the payload. Errors:
//   the varint's InvalidArgument with "multicodec: " in front;
//   Unimplemented "multicodec: unsupported code 0x1234".
// An empty payload is allowed; callers check the length their key type needs.
Result<Multicodec> SplitMulticodec(std::span<const uint8_t> bytes);

// varint(code) || payload. `code` must be one of the enumerators (anything else yields an
// empty vector).
std::vector<uint8_t> PrefixMulticodec(MulticodecCode code, std::span<const uint8_t> payload);

}  // namespace traceport::codec

#endif  // TRACEPORT_CODEC_MULTICODEC_H_
