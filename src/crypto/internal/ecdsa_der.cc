#include "crypto/internal/ecdsa_der.h"

#include <algorithm>
#include <string>

namespace traceport::crypto::internal {
namespace {

constexpr uint8_t kSequenceTag = 0x30;
constexpr uint8_t kIntegerTag = 0x02;

// Appends INTEGER(value) at out[pos...] for an unsigned big-endian `value`; returns the new pos.
size_t PutInteger(std::span<const uint8_t> value, std::span<uint8_t> out, size_t pos) {
  // Minimal encoding: drop leading zero bytes but keep at least one byte; then a 0x00 in front
  // if the top bit is set, so the value stays non-negative.
  size_t skip = 0;
  while (skip + 1 < value.size() && value[skip] == 0) ++skip;
  value = value.subspan(skip);
  const bool pad = (value[0] & 0x80) != 0;
  out[pos++] = kIntegerTag;
  out[pos++] = static_cast<uint8_t>(value.size() + (pad ? 1 : 0));
  if (pad) out[pos++] = 0x00;
  std::copy(value.begin(), value.end(), out.begin() + pos);
  return pos + value.size();
}

// Reads one INTEGER from the front of `in` into the fixed-width `out`; advances `in`.
Status TakeInteger(std::span<const uint8_t>& in, std::span<uint8_t> out, const char* name) {
  auto error = [name](const std::string& what) {
    return InvalidArgumentError(std::string("ecdsa: DER signature: ") + name + ": " + what);
  };
  if (in.size() < 2) return error("truncated");
  if (in[0] != kIntegerTag) return error("expected INTEGER tag 0x02");
  if ((in[1] & 0x80) != 0) return error("long-form length is not DER for a value this small");
  const size_t len = in[1];
  if (len == 0) return error("empty INTEGER");
  if (in.size() - 2 < len) return error("length exceeds the data");
  std::span<const uint8_t> value = in.subspan(2, len);
  if ((value[0] & 0x80) != 0) return error("negative INTEGER");
  if (len > 1 && value[0] == 0 && (value[1] & 0x80) == 0) {
    return error("superfluous leading zero");
  }
  if (len > 1 && value[0] == 0) value = value.subspan(1);
  if (value.size() > out.size()) return error("wider than the curve order");
  std::fill(out.begin(), out.end(), 0);
  std::copy(value.begin(), value.end(), out.end() - value.size());
  in = in.subspan(2 + len);
  return Status::Ok();
}

}  // namespace

size_t P1363ToDer(std::span<const uint8_t> rs, std::span<uint8_t> out) {
  const size_t width = rs.size() / 2;
  size_t pos = PutInteger(rs.first(width), out, 2);
  pos = PutInteger(rs.subspan(width), out, pos);
  out[0] = kSequenceTag;
  out[1] = static_cast<uint8_t>(pos - 2);
  return pos;
}

Status DerToP1363(std::span<const uint8_t> der, std::span<uint8_t> out) {
  if (der.size() < 2) return InvalidArgumentError("ecdsa: DER signature: truncated");
  if (der[0] != kSequenceTag) {
    return InvalidArgumentError("ecdsa: DER signature: expected SEQUENCE tag 0x30");
  }
  if ((der[1] & 0x80) != 0) {
    return InvalidArgumentError(
        "ecdsa: DER signature: long-form or indefinite SEQUENCE length is not DER here");
  }
  if (der.size() != 2 + size_t{der[1]}) {
    return InvalidArgumentError(der.size() < 2 + size_t{der[1]}
                                    ? "ecdsa: DER signature: SEQUENCE length exceeds the data"
                                    : "ecdsa: DER signature: bytes after the SEQUENCE");
  }
  const size_t width = out.size() / 2;
  std::span<const uint8_t> content = der.subspan(2);
  RETURN_IF_ERROR(TakeInteger(content, out.first(width), "r"));
  RETURN_IF_ERROR(TakeInteger(content, out.subspan(width), "s"));
  if (!content.empty()) {
    return InvalidArgumentError("ecdsa: DER signature: bytes after s inside the SEQUENCE");
  }
  return Status::Ok();
}

}  // namespace traceport::crypto::internal
