// libFuzzer target: the text decoders (multibase, base58btc, base64, base64url, hex) and the
// binary ones (varint, multicodec) on arbitrary bytes.
//
// Invariants checked (a violation traps):
//   - every decoder is strict: a successful decode re-encodes to exactly the input
//     (hex: to its lowercase form);
//   - every encoder round-trips through its decoder;
//   - error messages are printable ASCII.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "codec/base58.h"
#include "codec/base64.h"
#include "codec/hex.h"
#include "codec/multibase.h"
#include "codec/multicodec.h"
#include "codec/varint.h"

namespace {

using traceport::Result;
using traceport::Status;
namespace codec = traceport::codec;

void CheckMessage(const Status& status) {
  if (status.ok()) __builtin_trap();
  for (char c : status.message()) {
    if (c < 0x20 || c > 0x7e) __builtin_trap();
  }
}

// Decodes `text`; if that succeeds, `encode` must give `text` back.
template <typename Encode>
void CheckStrict(const Result<std::vector<uint8_t>>& decoded, std::string_view text,
                 Encode encode) {
  if (!decoded.ok()) {
    CheckMessage(decoded.status());
    return;
  }
  if (encode(*decoded) != text) __builtin_trap();
}

std::string Lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::span<const uint8_t> bytes(data, size);

  // Text side.
  if (auto r = codec::MultibaseDecode(text); r.ok()) {
    if (codec::MultibaseEncode(r->base, r->bytes) != text) __builtin_trap();
  } else {
    CheckMessage(r.status());
  }
  CheckStrict(codec::Base58Decode(text), text,
              [](const auto& b) { return codec::Base58Encode(b); });
  CheckStrict(codec::Base64Decode(text), text,
              [](const auto& b) { return codec::Base64Encode(b); });
  CheckStrict(codec::Base64UnpaddedDecode(text), text,
              [](const auto& b) { return codec::Base64UnpaddedEncode(b); });
  CheckStrict(codec::Base64UrlDecode(text), text,
              [](const auto& b) { return codec::Base64UrlEncode(b); });
  const std::string lower = Lowercase(text);
  CheckStrict(codec::HexDecode(text), lower, [](const auto& b) { return codec::HexEncode(b); });

  // Binary side.
  if (auto v = codec::DecodeVarint(bytes); v.ok()) {
    std::vector<uint8_t> again;
    if (!codec::AppendVarint(v->value, &again).ok()) __builtin_trap();
    if (again.size() != v->length || !std::equal(again.begin(), again.end(), bytes.begin())) {
      __builtin_trap();
    }
  } else {
    CheckMessage(v.status());
  }
  if (auto m = codec::SplitMulticodec(bytes); m.ok()) {
    std::vector<uint8_t> again = codec::PrefixMulticodec(m->code, m->payload);
    if (!std::equal(again.begin(), again.end(), bytes.begin(), bytes.end())) __builtin_trap();
  } else {
    CheckMessage(m.status());
  }

  // Encoders round-trip arbitrary bytes.
  for (codec::Multibase base : {codec::Multibase::kBase58Btc, codec::Multibase::kBase64Url,
                                codec::Multibase::kBase16, codec::Multibase::kBase64}) {
    if (base == codec::Multibase::kBase58Btc && size > 1024) continue;  // quadratic; keep runs fast
    auto round = codec::MultibaseDecode(codec::MultibaseEncode(base, bytes));
    if (!round.ok() || round->base != base ||
        !std::equal(round->bytes.begin(), round->bytes.end(), bytes.begin(), bytes.end())) {
      __builtin_trap();
    }
  }
  return 0;
}
