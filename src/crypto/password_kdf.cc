#include "crypto/password_kdf.h"

#include <sodium.h>

#include <charconv>
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

namespace {

// Reads "m=<n>,t=<n>,p=<n>" out of an encoded hash so hostile parameters are refused before
// libsodium allocates the memory they name.
bool EncodedParamsWithinBounds(std::string_view encoded) {
  constexpr std::string_view kPrefix = "$argon2id$v=19$";
  if (encoded.substr(0, kPrefix.size()) != kPrefix) return false;
  std::string_view rest = encoded.substr(kPrefix.size());
  const size_t end = rest.find('$');
  if (end == std::string_view::npos) return false;
  rest = rest.substr(0, end);
  uint64_t m = 0, t = 0, p = 0;
  bool have_m = false, have_t = false, have_p = false;
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (item.size() < 3 || item[1] != '=') return false;
    uint64_t value = 0;
    const char* first = item.data() + 2;
    const char* last = item.data() + item.size();
    auto [ptr, ec] = std::from_chars(first, last, value);
    if (ec != std::errc() || ptr != last) return false;
    switch (item[0]) {
      case 'm':
        m = value, have_m = true;
        break;
      case 't':
        t = value, have_t = true;
        break;
      case 'p':
        p = value, have_p = true;
        break;
      default:
        return false;
    }
  }
  if (!have_m || !have_t || !have_p || p != kArgon2idParallelism) return false;
  if (m > kArgon2idMaxMemLimitBytes / 1024) return false;
  Argon2idParams params;
  params.ops_limit = t;
  params.mem_limit_bytes = m * 1024;
  return ValidateArgon2idParams(params).ok();
}

}  // namespace

Result<std::string> HashPasswordArgon2id(std::string_view password, Argon2idPreset preset) {
  if (password.size() > kMaxPasswordBytes) {
    return InvalidArgumentError("password: longer than " + std::to_string(kMaxPasswordBytes) +
                                " bytes");
  }
  internal::EnsureSodiumInitialized();
  uint64_t ops = crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE;
  size_t mem = crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE;
  if (preset == Argon2idPreset::kModerate) {
    ops = crypto_pwhash_argon2id_OPSLIMIT_MODERATE;
    mem = crypto_pwhash_argon2id_MEMLIMIT_MODERATE;
  }
  char out[crypto_pwhash_argon2id_STRBYTES];
  if (crypto_pwhash_argon2id_str(out, password.data(), password.size(), ops, mem) != 0) {
    return ResourceExhaustedError("argon2id: cannot allocate " + std::to_string(mem) +
                                  " bytes for the password hash");
  }
  return std::string(out);
}

bool VerifyPasswordArgon2id(std::string_view encoded, std::string_view password) {
  if (password.size() > kMaxPasswordBytes || encoded.size() >= crypto_pwhash_argon2id_STRBYTES) {
    return false;
  }
  if (!EncodedParamsWithinBounds(encoded)) return false;
  internal::EnsureSodiumInitialized();
  // libsodium wants a NUL-terminated string.
  const std::string text(encoded);
  return crypto_pwhash_argon2id_str_verify(text.c_str(), password.data(), password.size()) == 0;
}

}  // namespace traceport::crypto
