#include "codec/multicodec.h"

#include <array>
#include <string>

#include "codec/varint.h"

namespace traceport::codec {
namespace {

struct Entry {
  MulticodecCode code;
  std::string_view name;
};

constexpr std::array<Entry, 10> kTable = {{
    {MulticodecCode::kSha2_256, "sha2-256"},
    {MulticodecCode::kSecp256k1Pub, "secp256k1-pub"},
    {MulticodecCode::kX25519Pub, "x25519-pub"},
    {MulticodecCode::kEd25519Pub, "ed25519-pub"},
    {MulticodecCode::kP256Pub, "p256-pub"},
    {MulticodecCode::kP384Pub, "p384-pub"},
    {MulticodecCode::kP521Pub, "p521-pub"},
    {MulticodecCode::kEd25519Priv, "ed25519-priv"},
    {MulticodecCode::kP256Priv, "p256-priv"},
    {MulticodecCode::kP384Priv, "p384-priv"},
}};

std::string HexNumber(uint64_t v) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string digits;
  do {
    digits.insert(digits.begin(), kDigits[v & 0xF]);
    v >>= 4;
  } while (v != 0);
  return "0x" + digits;
}

}  // namespace

std::string_view MulticodecName(MulticodecCode code) {
  for (const auto& e : kTable) {
    if (e.code == code) return e.name;
  }
  return "unknown";
}

std::optional<MulticodecCode> LookupMulticodec(uint64_t code) {
  for (const auto& e : kTable) {
    if (static_cast<uint64_t>(e.code) == code) return e.code;
  }
  return std::nullopt;
}

Result<Multicodec> SplitMulticodec(std::span<const uint8_t> bytes) {
  Result<Varint> varint = DecodeVarint(bytes);
  if (!varint.ok()) return varint.status().WithContext("multicodec");
  std::optional<MulticodecCode> code = LookupMulticodec(varint->value);
  if (!code) return UnimplementedError("multicodec: unsupported code " + HexNumber(varint->value));
  return Multicodec{*code, bytes.subspan(varint->length)};
}

std::vector<uint8_t> PrefixMulticodec(MulticodecCode code, std::span<const uint8_t> payload) {
  std::vector<uint8_t> out;
  out.reserve(3 + payload.size());
  // Every enumerator is below 2^14, far inside the varint range, so this cannot fail; a value
  // cast in from outside the enumeration could, and then gets no bytes at all.
  if (!AppendVarint(static_cast<uint64_t>(code), &out).ok()) return {};
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

}  // namespace traceport::codec
