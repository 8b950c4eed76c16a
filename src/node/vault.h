// The node's master key and what it protects: organizations' private keys and the token key
// are stored sealed (XChaCha20-Poly1305) under a 256-bit master key that never enters the
// database and is never logged.
//
// The master key comes from the environment variable TRACEPORT_MASTER_KEY (base64url of 32
// bytes) when set, otherwise from a key file (the same text, mode 0600; `traceport serve`
// creates DIR/master.key on first start). Each sealed value is bound to its purpose by the
// AEAD's associated data ("org-key:<org>:<kid>", "token-key"), so a ciphertext moved to another
// row does not open.
//
// Thread safety: immutable after Load; thread-safe.
#ifndef TRACEPORT_NODE_VAULT_H_
#define TRACEPORT_NODE_VAULT_H_

#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/random.h"
#include "common/status.h"
#include "crypto/aead.h"
#include "jose/key.h"

namespace traceport::node {

inline constexpr std::string_view kMasterKeyEnv = "TRACEPORT_MASTER_KEY";

class Vault {
 public:
  // Writes a fresh master key to `file` (0600, refusing to overwrite). AlreadyExists if present.
  static Status CreateKeyFile(const std::filesystem::path& file, RandomSource& random);
  // From the environment when set, else from `file`. NotFound when neither exists;
  // InvalidArgument for a malformed key (the message never contains key material).
  static Result<Vault> Load(const std::filesystem::path& file);
  // True when the environment supplies the key.
  static bool FromEnvironment();

  Result<std::vector<uint8_t>> Seal(std::span<const uint8_t> plaintext, std::string_view purpose,
                                    RandomSource& random) const;
  // DataLoss when the value does not open (wrong master key, wrong purpose, modified bytes).
  Result<crypto::SecretBytes> Open(std::span<const uint8_t> sealed, std::string_view purpose) const;

  Result<std::vector<uint8_t>> SealKey(const jose::PrivateKey& key, std::string_view purpose,
                                       RandomSource& random) const;
  Result<jose::PrivateKey> OpenKey(jose::KeyType type, std::span<const uint8_t> sealed,
                                   std::string_view purpose) const;

  // A short fingerprint of the master key (not secret), stored with the data so that starting
  // with the wrong key fails with a clear message instead of undecryptable rows.
  const std::string& fingerprint() const { return fingerprint_; }

 private:
  Vault(crypto::AeadKey key, std::string fingerprint)
      : key_(std::make_shared<crypto::AeadKey>(std::move(key))),
        fingerprint_(std::move(fingerprint)) {}
  std::shared_ptr<const crypto::AeadKey> key_;
  std::string fingerprint_;
};

}  // namespace traceport::node

#endif  // TRACEPORT_NODE_VAULT_H_
