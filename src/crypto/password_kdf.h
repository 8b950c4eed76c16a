// Password-based key derivation with Argon2id (RFC 9106), by libsodium's crypto_pwhash.
//
// libsodium fixes Argon2 version 0x13 and parallelism 1; the remaining parameters — passes,
// memory and salt — travel in Argon2idParams, which a key file stores next to its ciphertext
// so the same key can be derived again when the file is reopened. Those stored parameters are
// untrusted input, so they are validated against hard bounds before any memory is committed.
//
// Thread safety: all functions are thread-safe. Each derivation allocates mem_limit_bytes.
#ifndef TRACEPORT_CRYPTO_PASSWORD_KDF_H_
#define TRACEPORT_CRYPTO_PASSWORD_KDF_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "common/random.h"
#include "common/status.h"
#include "crypto/secret.h"

namespace traceport::crypto {

// Fixed by libsodium; recorded here so a file format can state them.
inline constexpr uint32_t kArgon2idVersion = 0x13;
inline constexpr uint32_t kArgon2idParallelism = 1;
inline constexpr size_t kArgon2idSaltSize = 16;

// Accepted ranges. The lower bounds are Argon2id's own minimums. The upper bounds protect a
// process that opens a file written by someone else: 1 GiB is libsodium's "sensitive" level,
// and 8 passes is twice its strongest preset, so honest files are never refused while a
// hostile one cannot demand terabytes or hours.
inline constexpr uint64_t kArgon2idMinOpsLimit = 1;
inline constexpr uint64_t kArgon2idMaxOpsLimit = 8;
inline constexpr uint64_t kArgon2idMinMemLimitBytes = 8 * 1024;
inline constexpr uint64_t kArgon2idMaxMemLimitBytes = uint64_t{1} << 30;
inline constexpr size_t kArgon2idMinKeySize = 16;
inline constexpr size_t kArgon2idMaxKeySize = 64;

struct Argon2idParams {
  uint64_t ops_limit = 0;        // passes over memory (Argon2 "t")
  uint64_t mem_limit_bytes = 0;  // memory in bytes, a multiple of 1024 (Argon2 "m" in KiB)
  std::array<uint8_t, kArgon2idSaltSize> salt{};

  friend bool operator==(const Argon2idParams&, const Argon2idParams&) = default;
};

enum class Argon2idPreset {
  kInteractive,  // 2 passes, 64 MiB: unlocking a key at the command line
  kModerate,     // 3 passes, 256 MiB: long-lived signing keys at rest
};

// Parameters for a new file: the preset's limits and a fresh salt from `random`.
Argon2idParams NewArgon2idParams(Argon2idPreset preset, RandomSource& random);

// OK if `params` are within the bounds above. InvalidArgument for values below the minimums
// or a memory size that is not a whole number of KiB; ResourceExhausted for values above the
// maximums.
Status ValidateArgon2idParams(const Argon2idParams& params);

// Derives `key_size` bytes (16..64) from `password` (any bytes, any length up to 4 GiB).
// Errors: those of ValidateArgon2idParams; InvalidArgument for a key size out of range;
// ResourceExhausted if the memory cannot be allocated.
Result<SecretBytes> DeriveKeyArgon2id(std::span<const uint8_t> password,
                                      const Argon2idParams& params, size_t key_size);

// ---- Stored password hashes (user logins) ----
//
// A password is stored as its Argon2id hash in the PHC string format
// "$argon2id$v=19$m=<KiB>,t=<passes>,p=1$<salt>$<hash>", which carries its own parameters and
// salt, so hashes made with older parameters keep verifying after the defaults change.

// Hashes `password` with `preset`'s limits and a fresh random salt (libsodium's generator).
// InvalidArgument for a password over 4 KiB (a login form has no business sending more, and
// the cap keeps a request from making the hash read megabytes); ResourceExhausted when the
// memory cannot be allocated.
Result<std::string> HashPasswordArgon2id(std::string_view password,
                                         Argon2idPreset preset = Argon2idPreset::kInteractive);

// True when `encoded` is an Argon2id PHC string made from `password`. False for anything else,
// including a string that is not such a hash or whose parameters exceed the bounds above
// (the memory it names is checked before it is allocated).
bool VerifyPasswordArgon2id(std::string_view encoded, std::string_view password);

// The longest password HashPasswordArgon2id accepts.
inline constexpr size_t kMaxPasswordBytes = 4096;

}  // namespace traceport::crypto

#endif  // TRACEPORT_CRYPTO_PASSWORD_KDF_H_
