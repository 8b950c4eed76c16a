// libFuzzer target: DumpJson (codec/json.h) against nlohmann's own compact dump.
//
// The input is parsed leniently by nlohmann (so duplicate names, big numbers and the like reach
// the writer too), and is also taken whole as one string value and as one member name, raw
// bytes and all (so invalid UTF-8 and control characters reach it). Invariant checked (a
// violation traps): DumpJson writes exactly the bytes of
// value.dump(-1, ' ', false, error_handler_t::replace).
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "codec/json.h"

namespace {

using nlohmann::json;

void Check(const json& v) {
  if (traceport::codec::DumpJson(v) != v.dump(-1, ' ', false, json::error_handler_t::replace)) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_discarded()) Check(parsed);
  Check(json(text));
  Check(json::object({{text, json::array({1, text})}}));
  return 0;
}
