// OpenSSL plumbing shared by the module's .cc files: algorithms fetched once, owning pointers
// and error conversion. Never included from a public header.
#ifndef TRACEPORT_CRYPTO_INTERNAL_OPENSSL_H_
#define TRACEPORT_CRYPTO_INTERNAL_OPENSSL_H_

#include <openssl/evp.h>

#include <memory>
#include <string_view>

#include "common/status.h"

namespace traceport::crypto::internal {

// Implementations fetched from the default library context on first use and kept for the life
// of the process (fetching per call costs a locked lookup). Null only if the provider
// configuration lacks the algorithm; callers turn that into an Internal status.
const EVP_MD* FetchedSha256();
const EVP_MD* FetchedSha384();
EVP_MAC* FetchedHmac();

// An Internal status "<what>: <first queued OpenSSL error>". Clears the thread's error queue.
Status OpensslError(std::string_view what);

// Drops whatever OpenSSL queued on this thread (after an expected failure such as a signature
// that does not verify), so stale entries cannot be mistaken for later errors.
void ClearOpensslErrors();

struct EvpPkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct EvpPkeyCtxFree {
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};
struct EvpMdCtxFree {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
struct EvpMacCtxFree {
  void operator()(EVP_MAC_CTX* p) const { EVP_MAC_CTX_free(p); }
};
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, EvpPkeyFree>;
using EvpPkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, EvpPkeyCtxFree>;
using EvpMdCtxPtr = std::unique_ptr<EVP_MD_CTX, EvpMdCtxFree>;
using EvpMacCtxPtr = std::unique_ptr<EVP_MAC_CTX, EvpMacCtxFree>;

}  // namespace traceport::crypto::internal

#endif  // TRACEPORT_CRYPTO_INTERNAL_OPENSSL_H_
