// libsodium initialisation shared by every file of the module that calls libsodium.
#ifndef TRACEPORT_CRYPTO_INTERNAL_SODIUM_H_
#define TRACEPORT_CRYPTO_INTERNAL_SODIUM_H_

namespace traceport::crypto::internal {

// Calls sodium_init() exactly once per process (thread-safe; later calls cost one atomic load).
// Aborts the process if libsodium cannot initialise: its CSPRNG and CPU-specific code paths
// would be unusable. Call it before any libsodium primitive.
void EnsureSodiumInitialized();

}  // namespace traceport::crypto::internal

#endif  // TRACEPORT_CRYPTO_INTERNAL_SODIUM_H_
