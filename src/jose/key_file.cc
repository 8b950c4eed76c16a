#include "jose/key_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "codec/base64.h"
#include "codec/jcs.h"
#include "codec/json.h"
#include "crypto/aead.h"
#include "crypto/secret.h"
#include "jose/jwk.h"

namespace traceport::jose {
namespace {

using nlohmann::json;

constexpr std::string_view kKdfName = "argon2id";
constexpr std::string_view kAeadName = "xchacha20-poly1305-ietf";
constexpr size_t kMaxKeyFileBytes = 64 * 1024;

std::span<const uint8_t> Bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

Result<std::string> Str(const json& obj, const char* name) {
  auto it = obj.find(name);
  if (it == obj.end() || !it->is_string()) {
    return InvalidArgumentError(fmt::format("key file: \"{}\" missing or not a string", name));
  }
  return it->get<std::string>();
}

Result<uint64_t> UInt(const json& obj, const char* name) {
  auto it = obj.find(name);
  if (it == obj.end() || !it->is_number_unsigned()) {
    return InvalidArgumentError(
        fmt::format("key file: \"{}\" missing or not a non-negative integer", name));
  }
  return it->get<uint64_t>();
}

Result<std::vector<uint8_t>> B64(const json& obj, const char* name, size_t want) {
  ASSIGN_OR_RETURN(std::string text, Str(obj, name));
  auto bytes = codec::Base64UrlDecode(text);
  if (!bytes.ok()) return bytes.status().WithContext(fmt::format("key file: \"{}\"", name));
  if (want != 0 && bytes->size() != want) {
    return InvalidArgumentError(
        fmt::format("key file: \"{}\" must be {} bytes, got {}", name, want, bytes->size()));
  }
  return bytes;
}

// The outer object minus "ciphertext", canonicalized: the associated data of the AEAD.
Result<std::string> AssociatedData(const json& file) {
  json ad = file;
  ad.erase("ciphertext");
  return codec::Canonicalize(ad);
}

struct Outer {
  json file;
  KeyFileInfo info;
};

Result<Outer> ParseOuter(std::string_view text) {
  if (text.size() > kMaxKeyFileBytes) {
    return ResourceExhaustedError("key file: larger than 64 KiB");
  }
  auto parsed = codec::ParseJson(text);
  if (!parsed.ok()) return parsed.status().WithContext("key file");
  json file = std::move(parsed).value();
  if (!file.is_object()) return InvalidArgumentError("key file: must be a JSON object");
  ASSIGN_OR_RETURN(std::string type, Str(file, "type"));
  if (type != kKeyFileType) {
    return InvalidArgumentError(
        fmt::format("key file: \"type\" is '{}', expected '{}'", type, kKeyFileType));
  }
  ASSIGN_OR_RETURN(uint64_t version, UInt(file, "version"));
  if (version != kKeyFileVersion) {
    return UnimplementedError(fmt::format("key file: version {} is not supported", version));
  }
  ASSIGN_OR_RETURN(std::string type_name, Str(file, "keyType"));
  ASSIGN_OR_RETURN(KeyType key_type, ParseKeyType(type_name));
  if (!file.contains("publicJwk")) return InvalidArgumentError("key file: missing \"publicJwk\"");
  if (file["publicJwk"].contains("d")) {
    return InvalidArgumentError("key file: \"publicJwk\" must not contain a private key");
  }
  auto pub = PublicKeyFromJwk(file["publicJwk"]);
  if (!pub.ok()) return pub.status().WithContext("key file: publicJwk");
  if (pub->type() != key_type) {
    return InvalidArgumentError("key file: \"keyType\" does not match \"publicJwk\"");
  }
  ASSIGN_OR_RETURN(std::string kid, Str(file, "kid"));
  if (kid != Thumbprint(*pub)) {
    return InvalidArgumentError("key file: \"kid\" is not the thumbprint of \"publicJwk\"");
  }
  bool encrypted = file.contains("encryption");
  if (encrypted == file.contains("privateJwk")) {
    return InvalidArgumentError(
        "key file: exactly one of \"encryption\" and \"privateJwk\" must be present");
  }
  KeyFileInfo info{key_type, std::move(pub).value(), kid, encrypted};
  return Outer{std::move(file), std::move(info)};
}

}  // namespace

Result<std::string> WriteKeyFile(const PrivateKey& key, const KeyFileOptions& options,
                                 RandomSource& random) {
  json file = json::object();
  file["type"] = kKeyFileType;
  file["version"] = kKeyFileVersion;
  file["keyType"] = KeyTypeName(key.type());
  file["kid"] = Thumbprint(key.public_key());
  file["publicJwk"] = PublicKeyToJwk(key.public_key());
  if (options.passphrase.empty()) {
    if (!options.allow_plaintext) {
      return InvalidArgumentError(
          "key file: a passphrase is required (or explicitly allow an unencrypted key file)");
    }
    file["privateJwk"] = PrivateKeyToJwk(key);
    return file.dump(2) + "\n";
  }
  crypto::Argon2idParams params = crypto::NewArgon2idParams(options.preset, random);
  std::array<uint8_t, crypto::kAeadNonceSize> nonce;
  random.Fill(nonce);
  file["encryption"] = json{{"kdf", kKdfName},
                            {"argon2Version", crypto::kArgon2idVersion},
                            {"opsLimit", params.ops_limit},
                            {"memLimit", params.mem_limit_bytes},
                            {"salt", codec::Base64UrlEncode(params.salt)},
                            {"aead", kAeadName},
                            {"nonce", codec::Base64UrlEncode(nonce)}};
  ASSIGN_OR_RETURN(std::string ad, AssociatedData(file));
  ASSIGN_OR_RETURN(
      crypto::SecretBytes kek,
      crypto::DeriveKeyArgon2id(Bytes(options.passphrase), params, crypto::kAeadKeySize));
  ASSIGN_OR_RETURN(crypto::AeadKey aead_key, crypto::AeadKey::FromBytes(kek.span()));
  std::string jwk_text;
  {
    json jwk = PrivateKeyToJwk(key);
    ASSIGN_OR_RETURN(jwk_text, codec::Canonicalize(jwk));
    jwk["d"] = std::string(jwk["d"].get<std::string>().size(), '0');
  }
  crypto::SecretBytes plaintext = crypto::SecretBytes::FromString(jwk_text);
  std::fill(jwk_text.begin(), jwk_text.end(), '\0');
  ASSIGN_OR_RETURN(std::vector<uint8_t> sealed,
                   crypto::AeadSealWithNonce(aead_key, nonce, plaintext.span(), Bytes(ad)));
  file["ciphertext"] = codec::Base64UrlEncode(sealed);
  return file.dump(2) + "\n";
}

Result<KeyFileInfo> InspectKeyFile(std::string_view text) {
  ASSIGN_OR_RETURN(Outer outer, ParseOuter(text));
  return std::move(outer.info);
}

Result<PrivateKey> ReadKeyFile(std::string_view text, std::string_view passphrase) {
  ASSIGN_OR_RETURN(Outer outer, ParseOuter(text));
  const json& file = outer.file;
  json private_jwk;
  if (!outer.info.encrypted) {
    private_jwk = file["privateJwk"];
  } else {
    if (passphrase.empty()) {
      return FailedPreconditionError("key file: the key is encrypted and no passphrase was given");
    }
    const json& enc = file["encryption"];
    if (!enc.is_object()) return InvalidArgumentError("key file: \"encryption\" must be an object");
    ASSIGN_OR_RETURN(std::string kdf, Str(enc, "kdf"));
    ASSIGN_OR_RETURN(std::string aead, Str(enc, "aead"));
    if (kdf != kKdfName)
      return UnimplementedError(fmt::format("key file: kdf '{}' unsupported", kdf));
    if (aead != kAeadName) {
      return UnimplementedError(fmt::format("key file: aead '{}' unsupported", aead));
    }
    ASSIGN_OR_RETURN(uint64_t argon_version, UInt(enc, "argon2Version"));
    if (argon_version != crypto::kArgon2idVersion) {
      return UnimplementedError("key file: unsupported Argon2 version");
    }
    crypto::Argon2idParams params;
    ASSIGN_OR_RETURN(params.ops_limit, UInt(enc, "opsLimit"));
    ASSIGN_OR_RETURN(params.mem_limit_bytes, UInt(enc, "memLimit"));
    ASSIGN_OR_RETURN(auto salt, B64(enc, "salt", crypto::kArgon2idSaltSize));
    std::copy(salt.begin(), salt.end(), params.salt.begin());
    RETURN_IF_ERROR(crypto::ValidateArgon2idParams(params).WithContext("key file"));
    ASSIGN_OR_RETURN(auto nonce, B64(enc, "nonce", crypto::kAeadNonceSize));
    ASSIGN_OR_RETURN(auto sealed, B64(file, "ciphertext", 0));
    ASSIGN_OR_RETURN(std::string ad, AssociatedData(file));
    ASSIGN_OR_RETURN(crypto::SecretBytes kek,
                     crypto::DeriveKeyArgon2id(Bytes(passphrase), params, crypto::kAeadKeySize));
    ASSIGN_OR_RETURN(crypto::AeadKey aead_key, crypto::AeadKey::FromBytes(kek.span()));
    auto plain = crypto::AeadOpenWithNonce(aead_key, nonce, sealed, Bytes(ad));
    if (!plain.ok()) {
      if (plain.status().code() == StatusCode::kDataLoss) {
        return PermissionDeniedError("key file: wrong passphrase or modified key file");
      }
      return plain.status().WithContext("key file");
    }
    std::string_view plain_text(reinterpret_cast<const char*>(plain->data()), plain->size());
    auto jwk = codec::ParseJson(plain_text);
    if (!jwk.ok()) return DataLossError("key file: decrypted content is not a JWK");
    private_jwk = std::move(jwk).value();
  }
  auto key = PrivateKeyFromJwk(private_jwk);
  if (private_jwk.is_object() && private_jwk.contains("d")) private_jwk["d"] = "";
  if (!key.ok()) return key.status().WithContext("key file: private key");
  if (!(key->public_key() == outer.info.public_key)) {
    return DataLossError("key file: the private key does not match \"publicJwk\"");
  }
  return key;
}

Status SaveKeyFile(const std::filesystem::path& path, std::string_view contents, bool overwrite) {
  std::error_code ec;
  if (!overwrite && std::filesystem::exists(path, ec)) {
    return AlreadyExistsError(
        fmt::format("{} already exists (refusing to overwrite a key)", path.string()));
  }
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return PermissionDeniedError(
        fmt::format("cannot create {}: {}", tmp.string(), std::strerror(errno)));
  }
  size_t off = 0;
  while (off < contents.size()) {
    ssize_t n = ::write(fd, contents.data() + off, contents.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return InternalError(fmt::format("cannot write {}: {}", tmp.string(), std::strerror(err)));
    }
    off += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return InternalError(fmt::format("cannot sync {}", tmp.string()));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return InternalError(
        fmt::format("cannot rename {} to {}: {}", tmp.string(), path.string(), std::strerror(err)));
  }
  return Status::Ok();
}

Result<std::string> LoadKeyFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError(fmt::format("cannot open key file {}", path.string()));
  std::string data(kMaxKeyFileBytes + 1, '\0');
  in.read(data.data(), static_cast<std::streamsize>(data.size()));
  data.resize(static_cast<size_t>(in.gcount()));
  if (data.size() > kMaxKeyFileBytes) {
    return ResourceExhaustedError(fmt::format("{} is larger than 64 KiB", path.string()));
  }
  return data;
}

}  // namespace traceport::jose
