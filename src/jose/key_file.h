// Key files: a private JWK at rest, encrypted under a passphrase (Argon2id + XChaCha20-Poly1305),
// with the public JWK beside it in clear so that tools can show a key without unlocking it.
// The byte-level format is documented in docs/formats/key-file.md.
//
// The public part, the KDF parameters and the nonce are bound to the ciphertext as associated
// data, so swapping the public key or weakening the parameters makes decryption fail.
#ifndef TRACEPORT_JOSE_KEY_FILE_H_
#define TRACEPORT_JOSE_KEY_FILE_H_

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/random.h"
#include "common/status.h"
#include "crypto/password_kdf.h"
#include "jose/key.h"

namespace traceport::jose {

inline constexpr std::string_view kKeyFileType = "traceport-key-file";
inline constexpr int kKeyFileVersion = 1;

struct KeyFileOptions {
  // Empty means "store unencrypted", which must be asked for explicitly with allow_plaintext.
  std::string_view passphrase;
  bool allow_plaintext = false;
  crypto::Argon2idPreset preset = crypto::Argon2idPreset::kInteractive;
};

// What a key file says about itself without the passphrase.
struct KeyFileInfo {
  KeyType type;
  PublicKey public_key;
  std::string kid;  // RFC 7638 thumbprint of the public key
  bool encrypted;
};

// Serializes `key` as a key file (JSON text, ending in a newline).
Result<std::string> WriteKeyFile(const PrivateKey& key, const KeyFileOptions& options,
                                 RandomSource& random);

// Reads the clear part of a key file. InvalidArgument on a malformed file.
Result<KeyFileInfo> InspectKeyFile(std::string_view text);

// Decrypts and returns the private key. A wrong passphrase or a tampered file is
// PermissionDenied ("wrong passphrase or modified key file"); an encrypted file without a
// passphrase is FailedPrecondition; absurd KDF parameters are ResourceExhausted.
Result<PrivateKey> ReadKeyFile(std::string_view text, std::string_view passphrase);

// File helpers: SaveKeyFile writes atomically with mode 0600 and refuses to overwrite unless
// `overwrite`; LoadKeyFile reads at most 64 KiB.
Status SaveKeyFile(const std::filesystem::path& path, std::string_view contents, bool overwrite);
Result<std::string> LoadKeyFile(const std::filesystem::path& path);

}  // namespace traceport::jose

#endif  // TRACEPORT_JOSE_KEY_FILE_H_
