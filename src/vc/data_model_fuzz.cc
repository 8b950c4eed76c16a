// libFuzzer target: VCDM structure validation and the validity-period check on arbitrary bytes
// parsed by the strict JSON parser.
//
// Invariants checked (a violation traps):
//   - nothing throws (an escaping exception aborts the run);
//   - every problem has a message of printable ASCII and a pointer that is "" or starts
//     with '/';
//   - validation is deterministic;
//   - a credential ValidateCredential accepts has a detectable version, and (unless it is an
//     envelope) its validity period can be evaluated: CheckValidityPeriod says kInvalid only
//     for a period that ends before it starts (reported at validUntil / expirationDate);
//   - the issuing options never accept what the verifying options reject.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "codec/json.h"
#include "common/time.h"
#include "vc/data_model.h"

namespace {

using traceport::vc::Problem;

bool Printable(std::string_view text) {
  for (char c : text) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

bool IsEnveloped(const nlohmann::json& doc) {
  if (!doc.is_object()) return false;
  auto type = doc.find("type");
  if (type == doc.end()) return false;
  if (type->is_array()) {
    for (const auto& item : *type) {
      if (item == "EnvelopedVerifiableCredential") return true;
    }
    return false;
  }
  return *type == "EnvelopedVerifiableCredential";
}

void CheckProblems(const std::vector<Problem>& problems) {
  for (const Problem& p : problems) {
    if (p.message.empty() || !Printable(p.message)) __builtin_trap();
    if (!p.pointer.empty() && p.pointer[0] != '/') __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace traceport;
  using namespace traceport::vc;

  auto parsed = codec::ParseJson(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!parsed.ok()) return 0;
  const nlohmann::json& doc = *parsed;

  const std::vector<Problem> credential = ValidateCredential(doc);
  const std::vector<Problem> issuing = ValidateCredential(doc, ValidationOptions::ForIssuing());
  const std::vector<Problem> presentation = ValidatePresentation(doc);
  CheckProblems(credential);
  CheckProblems(issuing);
  CheckProblems(presentation);
  CheckProblems(ValidatePresentation(doc, ValidationOptions::ForIssuing()));
  if (ValidateCredential(doc) != credential) __builtin_trap();
  if (!credential.empty() && issuing.empty()) __builtin_trap();

  // A fixed instant keeps runs reproducible; a second one near the end of Time's range
  // exercises the arithmetic with a large skew.
  const Time now = FromUnixSeconds(1750000000);
  const ValidityResult validity = CheckValidityPeriod(doc, now, std::chrono::seconds(300));
  const ValidityResult late =
      CheckValidityPeriod(doc, FromUnixSeconds(9000000000), std::chrono::seconds::max());
  for (const ValidityResult* r : {&validity, &late}) {
    if (r->reason.empty() || !Printable(r->reason)) __builtin_trap();
    if (!r->pointer.empty() && r->pointer[0] != '/') __builtin_trap();
  }
  if (credential.empty() && !IsEnveloped(doc)) {
    const auto version = DetectVcVersion(doc);
    if (!version) __builtin_trap();
    const char* until = *version == VcVersion::k2_0 ? "/validUntil" : "/expirationDate";
    if (validity.status == ValidityStatus::kInvalid && validity.pointer != until) {
      __builtin_trap();
    }
  }
  return 0;
}
