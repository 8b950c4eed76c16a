// libFuzzer target: ledger entry validation and canonicalization of arbitrary bytes.
//
// Invariants checked (a violation traps):
//   - an accepted entry's canonical form is accepted again and is a fixed point;
//   - it is no larger than the entry limit and names a known type;
//   - error messages are printable ASCII (they are shown to operators and sent over HTTP).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ledger/entry.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace traceport;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Result<std::string> c = ledger::CanonicalEntryText(text);
  if (!c.ok()) {
    for (char ch : c.status().message()) {
      if (ch < 0x20 || ch > 0x7e) __builtin_trap();
    }
    return 0;
  }
  if (c->size() > ledger::kMaxEntrySize) __builtin_trap();
  Result<std::string> again = ledger::CanonicalEntryText(*c);
  if (!again.ok() || *again != *c) __builtin_trap();
  return 0;
}
