#include "codec/multibase.h"

#include "codec/base58.h"
#include "codec/base64.h"
#include "codec/hex.h"
#include "codec/internal/text.h"

namespace traceport::codec {
namespace {

std::string DescribePrefix(Multibase base) {
  return internal::DescribeByte(static_cast<uint8_t>(base)) + " (" +
         std::string(MultibaseName(base)) + ")";
}

Result<std::vector<uint8_t>> DecodeBody(Multibase base, std::string_view body) {
  Result<std::vector<uint8_t>> bytes = InternalError("multibase: unreachable");
  switch (base) {
    case Multibase::kBase58Btc:
      bytes = Base58Decode(body);
      break;
    case Multibase::kBase64Url:
      bytes = Base64UrlDecode(body);
      break;
    case Multibase::kBase64:
      bytes = Base64UnpaddedDecode(body);
      break;
    case Multibase::kBase16:
      // Lowercase only: uppercase digits would give a second spelling of the same bytes.
      for (size_t i = 0; i < body.size(); ++i) {
        if (body[i] >= 'A' && body[i] <= 'F') {
          return InvalidArgumentError("multibase: hex: uppercase character " +
                                      internal::DescribeByte(static_cast<uint8_t>(body[i])) +
                                      " at offset " + std::to_string(i));
        }
      }
      bytes = HexDecode(body);
      break;
  }
  if (!bytes.ok()) return bytes.status().WithContext("multibase");
  return bytes;
}

bool IsSupported(char prefix) {
  return prefix == 'z' || prefix == 'u' || prefix == 'f' || prefix == 'm';
}

Status UnsupportedPrefix(char prefix) {
  return InvalidArgumentError("multibase: unsupported prefix " +
                              internal::DescribeByte(static_cast<uint8_t>(prefix)));
}

}  // namespace

std::string_view MultibaseName(Multibase base) {
  switch (base) {
    case Multibase::kBase58Btc:
      return "base58btc";
    case Multibase::kBase64Url:
      return "base64url";
    case Multibase::kBase16:
      return "base16";
    case Multibase::kBase64:
      return "base64";
  }
  return "unknown";
}

std::string MultibaseEncode(Multibase base, std::span<const uint8_t> bytes) {
  std::string body;
  switch (base) {
    case Multibase::kBase58Btc:
      body = Base58Encode(bytes);
      break;
    case Multibase::kBase64Url:
      body = Base64UrlEncode(bytes);
      break;
    case Multibase::kBase64:
      body = Base64UnpaddedEncode(bytes);
      break;
    case Multibase::kBase16:
      body = HexEncode(bytes);
      break;
  }
  std::string out;
  out.reserve(body.size() + 1);
  out.push_back(static_cast<char>(base));
  out += body;
  return out;
}

Result<MultibaseDecoded> MultibaseDecode(std::string_view text) {
  if (text.empty()) return InvalidArgumentError("multibase: empty input");
  if (!IsSupported(text[0])) return UnsupportedPrefix(text[0]);
  auto base = static_cast<Multibase>(text[0]);
  ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, DecodeBody(base, text.substr(1)));
  return MultibaseDecoded{base, std::move(bytes)};
}

Result<std::vector<uint8_t>> MultibaseDecodeAs(Multibase expected, std::string_view text) {
  if (text.empty()) return InvalidArgumentError("multibase: empty input");
  if (text[0] != static_cast<char>(expected)) {
    if (!IsSupported(text[0])) return UnsupportedPrefix(text[0]);
    return InvalidArgumentError("multibase: expected prefix " + DescribePrefix(expected) +
                                ", got " + DescribePrefix(static_cast<Multibase>(text[0])));
  }
  return DecodeBody(expected, text.substr(1));
}

}  // namespace traceport::codec
