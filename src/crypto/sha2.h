// SHA-256 and SHA-384 (FIPS 180-4), computed by OpenSSL's assembly (SHA-NI where the CPU has it).
//
// The one-shot functions are the ledger's hot path (a Merkle node is SHA-256 over 65 bytes), so
// they allocate nothing and fetch nothing per call: they drive OpenSSL's SHA256_CTX/SHA512_CTX
// directly on the stack. See docs/crypto.md for why not EVP here.
//
// Thread safety: the free functions are thread-safe. A hasher object is thread-compatible
// (one thread at a time).
#ifndef TRACEPORT_CRYPTO_SHA2_H_
#define TRACEPORT_CRYPTO_SHA2_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace traceport::crypto {

inline constexpr size_t kSha256Size = 32;
inline constexpr size_t kSha384Size = 48;
using Sha256Digest = std::array<uint8_t, kSha256Size>;
using Sha384Digest = std::array<uint8_t, kSha384Size>;

// Digest of `data`. Never fails; any length (including empty) is accepted.
Sha256Digest Sha256(std::span<const uint8_t> data);
Sha256Digest Sha256(std::string_view data);
Sha384Digest Sha384(std::span<const uint8_t> data);
Sha384Digest Sha384(std::string_view data);

// Incremental hashing for data that arrives in pieces. kDigestSize is 32 (SHA-256) or 48
// (SHA-384); use the aliases below. Copying a hasher forks its state (both copies continue
// independently), which is how a common prefix is hashed once.
template <size_t kDigestSize>
class Sha2Hasher {
  static_assert(kDigestSize == kSha256Size || kDigestSize == kSha384Size);

 public:
  using Digest = std::array<uint8_t, kDigestSize>;

  Sha2Hasher();

  void Update(std::span<const uint8_t> data);
  void Update(std::string_view data);

  // The digest of everything passed to Update() since construction or the previous Finish();
  // the hasher then starts over with empty input.
  Digest Finish();

 private:
  // OpenSSL's SHA256_CTX or SHA512_CTX, kept inline so that a hasher needs no allocation and
  // this header needs no OpenSSL include. sha2.cc checks that the size and alignment suffice.
  alignas(8) unsigned char state_[216];
};

extern template class Sha2Hasher<kSha256Size>;
extern template class Sha2Hasher<kSha384Size>;
using Sha256Hasher = Sha2Hasher<kSha256Size>;
using Sha384Hasher = Sha2Hasher<kSha384Size>;

}  // namespace traceport::crypto

#endif  // TRACEPORT_CRYPTO_SHA2_H_
