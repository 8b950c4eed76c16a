// Fuzzes end-to-end verification of credentials and presentations: JSON (Data Integrity) and
// compact vc+jwt / vp+jwt input, with did:key / did:jwk resolution (no network) and a status list
// source that has no lists. Whatever the input, the verifier must return a report, a report
// that claims `verified` must have every required check passed, and the fast path must give
// exactly the full path's report.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/time.h"
#include "did/resolver.h"
#include "vc/verifier.h"

namespace {

class NoLists final : public traceport::vc::StatusListResolver {
 public:
  traceport::Result<nlohmann::json> Fetch(std::string_view) override {
    return traceport::NotFoundError("no status lists in the fuzzer");
  }
};

class FixedClock final : public traceport::Clock {
 public:
  traceport::Time Now() const override { return traceport::FromUnixSeconds(1795702273); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace traceport;
  static did::DefaultResolver* resolver = new did::DefaultResolver({}, nullptr, nullptr);
  static NoLists* lists = new NoLists();
  static FixedClock* clock = new FixedClock();
  vc::VerifierContext ctx;
  ctx.resolver = resolver;
  ctx.clock = clock;
  ctx.status_lists = lists;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  vc::VerificationReport r = vc::VerifyCredentialText(input, ctx);
  if (r.verified()) {
    for (const auto& c : r.checks()) {
      if (c.required && c.status != vc::CheckStatus::kPass) __builtin_trap();
    }
  }
  vc::VerifyLimits full;
  full.fast_path = false;
  if (r.ToJson() != vc::VerifyCredentialText(input, ctx, full).ToJson()) __builtin_trap();
  vc::PresentationExpectations expect;
  expect.challenge = "fuzz-challenge";
  vc::PresentationReport p = vc::VerifyPresentationText(input, ctx, expect);
  (void)p.ToJson();
  return 0;
}
