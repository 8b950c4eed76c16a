// Randomness as an injected dependency. Production code uses the operating system's CSPRNG
// (crypto::Csprng wraps libsodium's, OsRandom wraps getrandom(2)); tests inject a seeded
// deterministic source (common/testing/fake_random.h).
#ifndef TRACEPORT_COMMON_RANDOM_H_
#define TRACEPORT_COMMON_RANDOM_H_

#include <cstddef>
#include <cstdint>
#include <span>

namespace traceport {

// A source of random bytes. Implementations must be thread-safe.
class RandomSource {
 public:
  virtual ~RandomSource() = default;
  // Fills `out` entirely. Never fails: a CSPRNG that cannot be read aborts the process, because
  // continuing without randomness would produce predictable keys and identifiers.
  virtual void Fill(std::span<uint8_t> out) = 0;
};

// The kernel CSPRNG through getrandom(2). The returned reference lives forever.
RandomSource& OsRandom();

}  // namespace traceport

#endif  // TRACEPORT_COMMON_RANDOM_H_
