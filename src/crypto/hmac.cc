#include "crypto/hmac.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <string>

#include "crypto/internal/openssl.h"
#include "crypto/secret.h"

namespace traceport::crypto {
namespace {

struct HmacAlgorithm {
  const char* label;   // for error messages
  const char* digest;  // OpenSSL digest name
};
constexpr HmacAlgorithm kHmacSha256{"hmac-sha256", "SHA2-256"};
constexpr HmacAlgorithm kHmacSha384{"hmac-sha384", "SHA2-384"};

// The tag of `data` under `key` into `out`, whose size is the digest length.
Status ComputeHmac(const HmacAlgorithm& alg, std::span<const uint8_t> key,
                   std::span<const uint8_t> data, std::span<uint8_t> out) {
  EVP_MAC* mac = internal::FetchedHmac();
  if (mac == nullptr) return internal::OpensslError(std::string(alg.label) + ": HMAC unavailable");
  internal::EvpMacCtxPtr ctx(EVP_MAC_CTX_new(mac));
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(alg.digest), 0),
      OSSL_PARAM_construct_end()};
  // A null key pointer means "keep the previous key" to EVP_MAC_init, so an empty key must
  // still be passed as a non-null pointer.
  static const uint8_t kNoKey = 0;
  const uint8_t* key_ptr = key.empty() ? &kNoKey : key.data();
  size_t written = 0;
  if (ctx == nullptr || EVP_MAC_init(ctx.get(), key_ptr, key.size(), params) != 1 ||
      EVP_MAC_update(ctx.get(), data.data(), data.size()) != 1 ||
      EVP_MAC_final(ctx.get(), out.data(), &written, out.size()) != 1 || written != out.size()) {
    return internal::OpensslError(alg.label);
  }
  return Status::Ok();
}

template <typename Digest>
Status VerifyHmac(const HmacAlgorithm& alg, std::span<const uint8_t> key,
                  std::span<const uint8_t> data, std::span<const uint8_t> tag) {
  Digest expected;
  if (tag.size() != expected.size()) {
    return InvalidArgumentError(std::string(alg.label) + ": tag must be " +
                                std::to_string(expected.size()) + " bytes, got " +
                                std::to_string(tag.size()));
  }
  RETURN_IF_ERROR(ComputeHmac(alg, key, data, expected));
  if (!ConstantTimeEquals(expected, tag)) {
    return PermissionDeniedError(std::string(alg.label) + ": tag mismatch");
  }
  return Status::Ok();
}

}  // namespace

Result<Sha256Digest> HmacSha256(std::span<const uint8_t> key, std::span<const uint8_t> data) {
  Sha256Digest tag;
  RETURN_IF_ERROR(ComputeHmac(kHmacSha256, key, data, tag));
  return tag;
}

Result<Sha384Digest> HmacSha384(std::span<const uint8_t> key, std::span<const uint8_t> data) {
  Sha384Digest tag;
  RETURN_IF_ERROR(ComputeHmac(kHmacSha384, key, data, tag));
  return tag;
}

Status VerifyHmacSha256(std::span<const uint8_t> key, std::span<const uint8_t> data,
                        std::span<const uint8_t> tag) {
  return VerifyHmac<Sha256Digest>(kHmacSha256, key, data, tag);
}

Status VerifyHmacSha384(std::span<const uint8_t> key, std::span<const uint8_t> data,
                        std::span<const uint8_t> tag) {
  return VerifyHmac<Sha384Digest>(kHmacSha384, key, data, tag);
}

}  // namespace traceport::crypto
