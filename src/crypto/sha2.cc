#include "crypto/sha2.h"

// SHA256_Init/Update/Final are deprecated in OpenSSL 3.0 in favour of EVP_Digest*, but in 3.0
// every EVP digest computation allocates and frees a provider context (and the SHA256()
// one-shot also fetches the algorithm each call): about 4x the cost of the hash itself for a
// 65-byte Merkle node. The low-level functions run the same SHA-NI assembly with nothing
// around it. This file is the only user of deprecated OpenSSL API; docs/crypto.md records it.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include <new>

namespace traceport::crypto {
namespace {

std::span<const uint8_t> AsBytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

}  // namespace

Sha256Digest Sha256(std::span<const uint8_t> data) {
  Sha256Digest out;
  SHA256_CTX ctx;
  SHA256_Init(&ctx);
  SHA256_Update(&ctx, data.data(), data.size());
  SHA256_Final(out.data(), &ctx);
  return out;
}

Sha256Digest Sha256(std::string_view data) { return Sha256(AsBytes(data)); }

Sha384Digest Sha384(std::span<const uint8_t> data) {
  Sha384Digest out;
  SHA512_CTX ctx;
  SHA384_Init(&ctx);
  SHA384_Update(&ctx, data.data(), data.size());
  SHA384_Final(out.data(), &ctx);
  return out;
}

Sha384Digest Sha384(std::string_view data) { return Sha384(AsBytes(data)); }

template <size_t kDigestSize>
Sha2Hasher<kDigestSize>::Sha2Hasher() {
  if constexpr (kDigestSize == kSha256Size) {
    static_assert(sizeof(SHA256_CTX) <= sizeof(state_) && alignof(SHA256_CTX) <= 8);
    SHA256_Init(new (state_) SHA256_CTX);
  } else {
    static_assert(sizeof(SHA512_CTX) <= sizeof(state_) && alignof(SHA512_CTX) <= 8);
    SHA384_Init(new (state_) SHA512_CTX);
  }
}

template <size_t kDigestSize>
void Sha2Hasher<kDigestSize>::Update(std::span<const uint8_t> data) {
  if constexpr (kDigestSize == kSha256Size) {
    SHA256_Update(std::launder(reinterpret_cast<SHA256_CTX*>(state_)), data.data(), data.size());
  } else {
    SHA384_Update(std::launder(reinterpret_cast<SHA512_CTX*>(state_)), data.data(), data.size());
  }
}

template <size_t kDigestSize>
void Sha2Hasher<kDigestSize>::Update(std::string_view data) {
  Update(AsBytes(data));
}

template <size_t kDigestSize>
typename Sha2Hasher<kDigestSize>::Digest Sha2Hasher<kDigestSize>::Finish() {
  Digest out;
  if constexpr (kDigestSize == kSha256Size) {
    auto* ctx = std::launder(reinterpret_cast<SHA256_CTX*>(state_));
    SHA256_Final(out.data(), ctx);
    SHA256_Init(ctx);
  } else {
    auto* ctx = std::launder(reinterpret_cast<SHA512_CTX*>(state_));
    SHA384_Final(out.data(), ctx);
    SHA384_Init(ctx);
  }
  return out;
}

template class Sha2Hasher<kSha256Size>;
template class Sha2Hasher<kSha384Size>;

}  // namespace traceport::crypto
