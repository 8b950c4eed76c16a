#include "crypto/password_kdf.h"

#include <sodium.h>

#include <string>

#include "crypto/internal/sodium.h"

namespace traceport::crypto {
namespace {

static_assert(crypto_pwhash_argon2id_SALTBYTES == kArgon2idSaltSize);
static_assert(crypto_pwhash_argon2id_OPSLIMIT_MIN <= kArgon2idMinOpsLimit);
static_assert(crypto_pwhash_argon2id_MEMLIMIT_MIN <= kArgon2idMinMemLimitBytes);
static_assert(crypto_pwhash_argon2id_BYTES_MIN <= kArgon2idMinKeySize);
static_assert(crypto_pwhash_argon2id_MEMLIMIT_SENSITIVE == kArgon2idMaxMemLimitBytes);

}  // namespace

Argon2idParams NewArgon2idParams(Argon2idPreset preset, RandomSource& random) {
  Argon2idParams params;
  switch (preset) {
    case Argon2idPreset::kInteractive:
      params.ops_limit = crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE;
      params.mem_limit_bytes = crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE;
      break;
    case Argon2idPreset::kModerate:
      params.ops_limit = crypto_pwhash_argon2id_OPSLIMIT_MODERATE;
      params.mem_limit_bytes = crypto_pwhash_argon2id_MEMLIMIT_MODERATE;
      break;
  }
  random.Fill(params.salt);
  return params;
}

Status ValidateArgon2idParams(const Argon2idParams& params) {
  if (params.ops_limit < kArgon2idMinOpsLimit) {
    return InvalidArgumentError("argon2id: ops limit must be at least 1");
  }
  if (params.ops_limit > kArgon2idMaxOpsLimit) {
    return ResourceExhaustedError("argon2id: ops limit " + std::to_string(params.ops_limit) +
                                  " exceeds the maximum of " +
                                  std::to_string(kArgon2idMaxOpsLimit));
  }
  if (params.mem_limit_bytes < kArgon2idMinMemLimitBytes) {
    return InvalidArgumentError("argon2id: memory limit " + std::to_string(params.mem_limit_bytes) +
                                " bytes is below the minimum of 8 KiB");
  }
  if (params.mem_limit_bytes > kArgon2idMaxMemLimitBytes) {
    return ResourceExhaustedError("argon2id: memory limit " +
                                  std::to_string(params.mem_limit_bytes) +
                                  " bytes exceeds the maximum of 1 GiB");
  }
  if (params.mem_limit_bytes % 1024 != 0) {
    return InvalidArgumentError("argon2id: memory limit " + std::to_string(params.mem_limit_bytes) +
                                " bytes is not a whole number of KiB");
  }
  return Status::Ok();
}

Result<SecretBytes> DeriveKeyArgon2id(std::span<const uint8_t> password,
                                      const Argon2idParams& params, size_t key_size) {
  RETURN_IF_ERROR(ValidateArgon2idParams(params));
  if (key_size < kArgon2idMinKeySize || key_size > kArgon2idMaxKeySize) {
    return InvalidArgumentError("argon2id: key size must be 16 to 64 bytes, got " +
                                std::to_string(key_size));
  }
  if (password.size() > crypto_pwhash_argon2id_PASSWD_MAX) {
    return InvalidArgumentError("argon2id: password longer than 4 GiB");
  }
  internal::EnsureSodiumInitialized();
  SecretBytes key(key_size);
  static const char kEmpty = 0;
  const char* password_ptr =
      password.empty() ? &kEmpty : reinterpret_cast<const char*>(password.data());
  // With every parameter validated above, the only remaining failure is allocation.
  if (crypto_pwhash(key.data(), key.size(), password_ptr, password.size(), params.salt.data(),
                    params.ops_limit, static_cast<size_t>(params.mem_limit_bytes),
                    crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return ResourceExhaustedError("argon2id: cannot allocate " +
                                  std::to_string(params.mem_limit_bytes) + " bytes");
  }
  return key;
}

}  // namespace traceport::crypto
