// Whether a test's assertions about speed mean anything in this build.
//
// Speed goals are judged in optimised builds without instrumentation (the dev pass of
// `make test`, and `make bench`). The AddressSanitizer pass is built without optimisation to
// keep its compile time down, and instrumentation alone slows code several times, so there a
// test keeps every assertion about results and skips the ones about time.
#ifndef TRACEPORT_COMMON_TESTING_TIMING_H_
#define TRACEPORT_COMMON_TESTING_TIMING_H_

namespace traceport::testing {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) || !defined(__OPTIMIZE__)
inline constexpr bool kTimingIsMeaningful = false;
#else
inline constexpr bool kTimingIsMeaningful = true;
#endif

}  // namespace traceport::testing

#endif  // TRACEPORT_COMMON_TESTING_TIMING_H_
