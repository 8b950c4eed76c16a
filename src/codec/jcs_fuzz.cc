// libFuzzer target: strict JSON parsing and JCS canonicalization of arbitrary bytes.
//
// Invariants checked (a violation traps):
//   - ParseJson and CanonicalizeText agree on acceptance;
//   - whatever the strict parser accepts, nlohmann's permissive parser accepts with an equal
//     value (strictness only removes inputs);
//   - Canonicalize(ParseJson(x)) == CanonicalizeText(x);
//   - canonicalization is idempotent: the canonical text canonicalizes to itself;
//   - error messages are printable ASCII;
//   - FastJson accepts only what ParseJson accepts, with the same value and the same canonical
//     form (whole and without a top-level member), and refuses what ParseJson accepts only for
//     a number (integers beyond 64 bits);
//   - the split writers (CanonicalizeSplit, CanonicalizeFastSplit) give the whole canonical form
//     and cut out exactly what CanonicalizeWithout leaves out; known canonical bytes of member
//     objects change nothing.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "codec/fast_json.h"
#include "codec/jcs.h"
#include "codec/json.h"

namespace {

void CheckMessage(const traceport::Status& status) {
  for (char c : status.message()) {
    if (c < 0x20 || c > 0x7e) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using traceport::codec::Canonicalize;
  using traceport::codec::CanonicalizeText;
  using traceport::codec::JsonLimits;
  using traceport::codec::ParseJson;

  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = traceport::codec::ParseJsonNlohmann(text);
  // ParseJson (simdjson first) must give the reference parser's answer.
  {
    auto fast_first = ParseJson(text);
    if (fast_first.ok() != parsed.ok()) __builtin_trap();
    if (parsed.ok() && (*fast_first != *parsed || fast_first->dump() != parsed->dump()))
      __builtin_trap();
    if (!parsed.ok() && fast_first.status().message() != parsed.status().message())
      __builtin_trap();
  }
  auto canonical = CanonicalizeText(text);
  if (parsed.ok() != canonical.ok()) __builtin_trap();
  auto fast = traceport::codec::FastJson::Parse(text);
  if (fast.ok() && !parsed.ok()) __builtin_trap();
  if (!fast.ok()) {
    CheckMessage(fast.status());
    if (parsed.ok() && fast.status().message().find("number") == std::string_view::npos) {
      __builtin_trap();
    }
  } else {
    if (traceport::codec::ToJson(fast->root()) != *parsed) __builtin_trap();
    auto fast_canonical = traceport::codec::CanonicalizeFast(fast->root());
    if (!fast_canonical.ok() || *fast_canonical != *canonical) __builtin_trap();
    if (parsed->is_object() && !parsed->empty()) {
      const std::string first = parsed->begin().key();
      auto a = traceport::codec::CanonicalizeFast(fast->root(), first);
      auto b = traceport::codec::CanonicalizeWithout(*parsed, first);
      if (!a.ok() || !b.ok() || *a != *b) __builtin_trap();
      // Both split writers cut exactly that member out of the whole canonical form. The last
      // member too, whose place in JCS order can differ from its place in the map.
      for (const std::string& name : {first, std::string((--parsed->end()).key())}) {
        auto split = traceport::codec::CanonicalizeSplit(*parsed, name);
        auto fast_split = traceport::codec::CanonicalizeFastSplit(fast->root(), name);
        auto without = traceport::codec::CanonicalizeWithout(*parsed, name);
        if (!split.ok() || !fast_split.ok() || !without.ok()) __builtin_trap();
        if (split->canonical != *canonical || fast_split->canonical != *canonical) __builtin_trap();
        if (split->cut_begin != fast_split->cut_begin || split->cut_end != fast_split->cut_end)
          __builtin_trap();
        if (split->Without() != *without) __builtin_trap();
      }
      // Known values: each member object given its own canonical bytes changes nothing.
      std::vector<std::string> bytes;
      std::vector<traceport::codec::KnownCanonical> known;
      bytes.reserve(parsed->size());
      for (const auto& [name, value] : parsed->items()) {
        if (!value.is_object()) continue;
        bytes.push_back(*Canonicalize(value));
        known.push_back({&value, bytes.back()});
      }
      auto with_known = traceport::codec::CanonicalizeWithout(*parsed, first, known);
      if (!with_known.ok() || *with_known != *b) __builtin_trap();
    }
  }
  if (!parsed.ok()) {
    CheckMessage(parsed.status());
    CheckMessage(canonical.status());
    return 0;
  }

  nlohmann::json permissive = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (permissive.is_discarded() || permissive != *parsed) __builtin_trap();

  auto from_dom = Canonicalize(*parsed);
  if (!from_dom.ok() || *from_dom != *canonical) __builtin_trap();

  // Canonical text can be longer than the input ("1e20" becomes 21 digits), so lift the size
  // limit for the second round.
  JsonLimits relaxed;
  relaxed.max_bytes = canonical->size() + 1;
  auto again = CanonicalizeText(*canonical, relaxed);
  if (!again.ok() || *again != *canonical) __builtin_trap();
  return 0;
}
