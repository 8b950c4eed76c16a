// libFuzzer target: identifier validation, the check-digit helpers and the MID builder over
// arbitrary bytes.
//
// The first byte picks what runs (mod 12): 0-9 validate the rest as the scheme of that index in
// AllSchemes() (so the seeds are readable: "0" + an LEI, "8" + an RFC); 10 builds a MID from the
// rest split at '\n' into country, province, name, address and city; 11 validates by scheme name,
// the rest split at the first '\n' into name and value. The check-digit helpers run on the rest
// every time.
//
// Invariants checked (a violation traps):
//   - an accepted value's normalized form is accepted again and is a fixed point;
//   - a refusal is InvalidArgument whose message starts with "<scheme>: " and is printable
//     ASCII (messages are shown to operators and sent over HTTP);
//   - LeiCheckDigits gives "" or two digits 02-98, and 18 characters plus their check digits
//     validate as an LEI; Gs1CheckDigit gives -1 or 0-9, and 12 digits plus it validate as a GLN;
//   - every MID that BuildMid returns validates unchanged.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "registry/identifiers.h"

namespace {

using traceport::Result;
using traceport::StatusCode;
namespace registry = traceport::registry;

void CheckMessage(const traceport::Status& status, std::string_view prefix) {
  if (status.code() != StatusCode::kInvalidArgument) __builtin_trap();
  const std::string_view m = status.message();
  if (m.substr(0, prefix.size()) != prefix) __builtin_trap();
  for (char ch : m) {
    if (ch < 0x20 || ch > 0x7e) __builtin_trap();
  }
}

void CheckValidation(registry::Scheme scheme, std::string_view value) {
  Result<std::string> r = registry::ValidateIdentifier(scheme, value);
  if (!r.ok()) {
    CheckMessage(r.status(), std::string(registry::SchemeName(scheme)) + ": ");
    return;
  }
  Result<std::string> again = registry::ValidateIdentifier(scheme, *r);
  if (!again.ok() || *again != *r) __builtin_trap();
}

std::vector<std::string_view> Split(std::string_view s, size_t max_parts) {
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < max_parts) {
    const size_t nl = s.find('\n');
    if (nl == std::string_view::npos) break;
    parts.push_back(s.substr(0, nl));
    s.remove_prefix(nl + 1);
  }
  parts.push_back(s);
  return parts;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  const unsigned mode = data[0] % 12;
  const auto schemes = registry::AllSchemes();

  if (mode < schemes.size()) {
    CheckValidation(schemes[mode], rest);
  } else if (mode == 10) {
    const std::vector<std::string_view> f = Split(rest, 5);
    registry::MidInput in;
    in.country = std::string(f[0]);
    if (f.size() > 1) in.province = std::string(f[1]);
    if (f.size() > 2) in.manufacturer_name = std::string(f[2]);
    if (f.size() > 3) in.address_line = std::string(f[3]);
    if (f.size() > 4) in.city = std::string(f[4]);
    Result<std::string> mid = registry::BuildMid(in);
    if (!mid.ok()) {
      CheckMessage(mid.status(), "mid: ");
    } else {
      Result<std::string> v = registry::ValidateIdentifier(registry::Scheme::kMid, *mid);
      if (!v.ok() || *v != *mid) __builtin_trap();
    }
  } else {
    const std::vector<std::string_view> f = Split(rest, 2);
    const std::string_view value = f.size() > 1 ? f[1] : std::string_view();
    Result<registry::Scheme> scheme = registry::ParseScheme(f[0]);
    Result<std::string> r = registry::ValidateIdentifier(f[0], value);
    if (!scheme.ok()) {
      CheckMessage(scheme.status(), "unknown identifier scheme ");
      if (r.ok() || r.status() != scheme.status()) __builtin_trap();
    } else {
      CheckValidation(*scheme, value);
    }
  }

  const std::string lei_check = registry::LeiCheckDigits(rest);
  if (!lei_check.empty()) {
    if (lei_check.size() != 2 || lei_check < "02" || lei_check > "98") __builtin_trap();
    if (!registry::ValidateIdentifier(registry::Scheme::kLei, std::string(rest) + lei_check).ok()) {
      __builtin_trap();
    }
  }
  const int gs1 = registry::Gs1CheckDigit(rest);
  if (gs1 < -1 || gs1 > 9) __builtin_trap();
  if (gs1 >= 0 && rest.size() == 12) {
    const std::string gln = std::string(rest) + static_cast<char>('0' + gs1);
    if (!registry::ValidateIdentifier(registry::Scheme::kGln, gln).ok()) __builtin_trap();
  }
  return 0;
}
