// libFuzzer target: checkpoint note text parsing and formatting on arbitrary bytes.
//
// Invariants checked (a violation traps):
//   - parsing is strict: FormatCheckpoint(ParseCheckpoint(x)) == x;
//   - whatever parses is valid note text (ValidateNoteText) with at least three lines;
//   - a checkpoint built from the parsed fields with one extension line added still round-trips;
//   - error messages are printable ASCII.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ledger/verify/checkpoint.h"

namespace {

using traceport::Status;
namespace ledger = traceport::ledger;

void CheckMessage(const Status& status) {
  for (char c : status.message()) {
    if (c < 0x20 || c > 0x7e) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = ledger::ParseCheckpoint(text);
  if (!parsed.ok()) {
    CheckMessage(parsed.status());
    return 0;
  }
  if (!ledger::ValidateNoteText(text).ok()) __builtin_trap();
  auto formatted = ledger::FormatCheckpoint(*parsed);
  if (!formatted.ok() || *formatted != text) __builtin_trap();

  ledger::Checkpoint extended = *parsed;
  extended.extensions.push_back("fuzz");
  auto again = ledger::FormatCheckpoint(extended);
  if (!again.ok()) {
    // Only the size limit may stop it.
    if (text.size() + 5 <= ledger::kMaxCheckpointSize) __builtin_trap();
    return 0;
  }
  auto reparsed = ledger::ParseCheckpoint(*again);
  if (!reparsed.ok() || !(*reparsed == extended)) __builtin_trap();
  return 0;
}
