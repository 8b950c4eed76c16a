// Cryptographic randomness from libsodium (randombytes_buf, which reads the kernel CSPRNG
// through getrandom(2) on Linux).
//
// Key generation elsewhere in this module takes a traceport::RandomSource so that tests can
// inject a seeded fake (common/testing/fake_random.h); production code passes DefaultCsprng().
#ifndef TRACEPORT_CRYPTO_RANDOM_H_
#define TRACEPORT_CRYPTO_RANDOM_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/random.h"

namespace traceport::crypto {

// A RandomSource over libsodium's CSPRNG. Stateless and thread-safe. Constructing one
// initialises libsodium (once per process, thread-safe); if libsodium cannot initialise, the
// process aborts, because continuing would mean running without a working CSPRNG.
class Csprng final : public RandomSource {
 public:
  Csprng();
  // Fills `out` with random bytes. Never fails.
  void Fill(std::span<uint8_t> out) override;
};

// A process-wide Csprng. The reference lives forever.
Csprng& DefaultCsprng();

// `n` fresh random bytes from DefaultCsprng(). For secrets, fill a SecretBytes instead.
std::vector<uint8_t> RandomBytes(size_t n);

}  // namespace traceport::crypto

#endif  // TRACEPORT_CRYPTO_RANDOM_H_
