#include "crypto/internal/sodium.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>

namespace traceport::crypto::internal {

void EnsureSodiumInitialized() {
  // A function-local static is initialised once, thread-safely (C++11 [stmt.dcl]).
  static const bool initialized = [] {
    if (sodium_init() < 0) {
      std::fputs("traceport: libsodium initialisation failed; aborting\n", stderr);
      std::abort();
    }
    return true;
  }();
  (void)initialized;
}

}  // namespace traceport::crypto::internal
