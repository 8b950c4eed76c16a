#include "crypto/internal/openssl.h"

#include <openssl/err.h>

#include <string>

namespace traceport::crypto::internal {

const EVP_MD* FetchedSha256() {
  static const EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
  return md;
}

const EVP_MD* FetchedSha384() {
  static const EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA2-384", nullptr);
  return md;
}

EVP_MAC* FetchedHmac() {
  static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  return mac;
}

Status OpensslError(std::string_view what) {
  std::string message(what);
  unsigned long code = ERR_get_error();
  if (code != 0) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof(buf));
    message += ": ";
    message += buf;
  }
  ERR_clear_error();
  return InternalError(std::move(message));
}

void ClearOpensslErrors() { ERR_clear_error(); }

}  // namespace traceport::crypto::internal
