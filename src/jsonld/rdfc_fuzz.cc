// libFuzzer target: N-Quads parsing and RDFC-1.0 canonicalization of arbitrary bytes.
//
// Invariants checked (a violation traps):
//   - error messages are printable ASCII;
//   - the parsed dataset re-serializes to N-Quads that parse back to the same dataset;
//   - unless the (deliberately small) work limit stops it, canonicalization succeeds, its
//     document is the serialization of its quads, every blank node gets a distinct c14n label,
//     its lines are strictly increasing, and the document re-parses and re-canonicalizes to
//     itself.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "jsonld/error.h"
#include "jsonld/nquads.h"
#include "jsonld/rdfc.h"

namespace {

void CheckMessage(const traceport::Status& status) {
  for (char c : status.message()) {
    if (c < 0x20 || c > 0x7e) __builtin_trap();
  }
}

bool IsWorkLimit(const traceport::Status& status) {
  return status.code() == traceport::StatusCode::kResourceExhausted &&
         traceport::jsonld::JsonLdErrorCode(status) == "work limit exceeded";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using traceport::jsonld::Canonicalize;
  using traceport::jsonld::CanonicalizeOptions;
  using traceport::jsonld::HashAlgorithm;
  using traceport::jsonld::ParseNQuads;
  using traceport::jsonld::SerializeNQuads;

  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = ParseNQuads(text);
  if (!parsed.ok()) {
    CheckMessage(parsed.status());
    return 0;
  }
  auto reparsed = ParseNQuads(SerializeNQuads(*parsed));
  if (!reparsed.ok() || *reparsed != *parsed) __builtin_trap();

  CanonicalizeOptions options;
  options.max_work_factor = 2;
  options.max_hash_n_degree_calls = 2000;
  options.hash = size % 2 == 0 ? HashAlgorithm::kSha256 : HashAlgorithm::kSha384;
  auto canonical = Canonicalize(*parsed, options);
  if (!canonical.ok()) {
    CheckMessage(canonical.status());
    if (!IsWorkLimit(canonical.status())) __builtin_trap();
    return 0;
  }
  if (SerializeNQuads(canonical->quads) != canonical->nquads) __builtin_trap();
  // The lines are in strictly increasing code unit order.
  std::string_view previous;
  for (std::string_view rest = canonical->nquads; !rest.empty();) {
    const size_t end = rest.find('\n');
    if (end == std::string_view::npos) __builtin_trap();
    const std::string_view line = rest.substr(0, end + 1);
    if (!previous.empty() && !(previous < line)) __builtin_trap();
    previous = line;
    rest.remove_prefix(end + 1);
  }
  std::set<std::string> labels;
  for (const auto& [from, to] : canonical->issued) {
    if (to.rfind("c14n", 0) != 0 || !labels.insert(to).second) __builtin_trap();
  }
  auto canonical_parsed = ParseNQuads(canonical->nquads);
  if (!canonical_parsed.ok()) __builtin_trap();
  // Relabelling can only make the search cheaper or equal, but lift the limit anyway: the
  // point is that the fixed point holds.
  options.max_work_factor = 10;
  options.max_hash_n_degree_calls = 1'000'000;
  auto again = Canonicalize(*canonical_parsed, options);
  if (!again.ok() || again->nquads != canonical->nquads) __builtin_trap();
  return 0;
}
