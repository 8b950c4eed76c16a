// libFuzzer target: tile paths and entry bundles (C2SP tlog-tiles), the two formats a tile
// client reads from the network. The whole input goes to both parsers.
//
// Invariants checked (a violation traps):
//   - ParseTilePath accepts only canonical paths: ToString of the result is the input, and the
//     fields are in range (level <= 63 and 0 for entry bundles, width 1..256);
//   - ParseEntryBundle yields 1..256 entries that re-encode to exactly the input, each
//     pointing into it;
//   - error messages are printable ASCII and say which format failed.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ledger/verify/tiles.h"

namespace {

void CheckMessage(const traceport::Status& status, std::string_view prefix) {
  if (status.message().substr(0, prefix.size()) != prefix) __builtin_trap();
  for (char c : status.message()) {
    if (c < 0x20 || c > 0x7e) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using traceport::ledger::AppendBundleEntry;
  using traceport::ledger::kMaxTileLevel;
  using traceport::ledger::kTileWidth;
  using traceport::ledger::ParseEntryBundle;
  using traceport::ledger::ParseTilePath;

  const std::string_view text(reinterpret_cast<const char*>(data), size);

  auto path = ParseTilePath(text);
  if (path.ok()) {
    if (path->ToString() != text) __builtin_trap();
    if (path->level > kMaxTileLevel || (path->entries && path->level != 0)) __builtin_trap();
    if (path->width == 0 || path->width > kTileWidth) __builtin_trap();
  } else {
    CheckMessage(path.status(), "tile path: ");
  }

  auto entries = ParseEntryBundle(text);
  if (entries.ok()) {
    if (entries->empty() || entries->size() > kTileWidth) __builtin_trap();
    std::string again;
    for (std::string_view e : *entries) {
      if (e.data() < text.data() || e.data() + e.size() > text.data() + text.size()) {
        __builtin_trap();
      }
      if (!AppendBundleEntry(again, e).ok()) __builtin_trap();
    }
    if (again != text) __builtin_trap();
  } else {
    CheckMessage(entries.status(), "entry bundle: ");
  }
  return 0;
}
