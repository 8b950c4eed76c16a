#include "node/vault.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "codec/base64.h"
#include "codec/hex.h"
#include "crypto/sha2.h"

namespace traceport::node {
namespace {

std::span<const uint8_t> Bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

Result<Vault> FromText(std::string text, std::string_view where,
                       Result<Vault> (*make)(crypto::AeadKey)) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  Result<std::vector<uint8_t>> raw = codec::Base64UrlDecode(text);
  std::fill(text.begin(), text.end(), '\0');
  if (!raw.ok() || raw->size() != crypto::kAeadKeySize) {
    if (raw.ok()) std::fill(raw->begin(), raw->end(), 0);
    return InvalidArgumentError(std::string(where) +
                                ": the master key must be base64url of exactly 32 bytes");
  }
  Result<crypto::AeadKey> key = crypto::AeadKey::FromBytes(*raw);
  std::fill(raw->begin(), raw->end(), 0);
  if (!key.ok()) return key.status();
  return make(std::move(*key));
}

}  // namespace

Status Vault::CreateKeyFile(const std::filesystem::path& file, RandomSource& random) {
  crypto::SecretBytes key(crypto::kAeadKeySize);
  random.Fill(key.mutable_span());
  std::string text = codec::Base64UrlEncode(std::span<const uint8_t>(key.data(), key.size()));
  text += "\n";
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    std::fill(text.begin(), text.end(), '\0');
    if (errno == EEXIST) return AlreadyExistsError(file.string() + " already exists");
    return InternalError("cannot create " + file.string() + ": " + std::strerror(errno));
  }
  const ssize_t n = ::write(fd, text.data(), text.size());
  const bool ok = n == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  std::fill(text.begin(), text.end(), '\0');
  if (!ok) return InternalError("cannot write " + file.string());
  return Status::Ok();
}

bool Vault::FromEnvironment() {
  const char* env = std::getenv(std::string(kMasterKeyEnv).c_str());
  return env != nullptr && *env != '\0';
}

Result<Vault> Vault::Load(const std::filesystem::path& file) {
  auto make = [](crypto::AeadKey key) -> Result<Vault> {
    // The fingerprint is a hash of a derived value, never the key itself.
    std::string material = "traceport master key fingerprint:";
    material.append(reinterpret_cast<const char*>(key.bytes().data()), key.bytes().size());
    const auto digest = crypto::Sha256(material);
    std::fill(material.begin(), material.end(), '\0');
    return Vault(std::move(key), codec::HexEncode(std::span(digest.data(), 8)));
  };
  if (FromEnvironment()) {
    return FromText(std::getenv(std::string(kMasterKeyEnv).c_str()), kMasterKeyEnv, make);
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return NotFoundError("no master key: set " + std::string(kMasterKeyEnv) + " or create " +
                         file.string());
  }
  struct stat st {};
  if (::stat(file.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
    return FailedPreconditionError(file.string() + " is readable by group or others; chmod 600 it");
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return FromText(ss.str(), file.string(), make);
}

Result<std::vector<uint8_t>> Vault::Seal(std::span<const uint8_t> plaintext,
                                         std::string_view purpose, RandomSource& random) const {
  return crypto::AeadSeal(*key_, plaintext, Bytes(purpose), random);
}

Result<crypto::SecretBytes> Vault::Open(std::span<const uint8_t> sealed,
                                        std::string_view purpose) const {
  Result<crypto::SecretBytes> r = crypto::AeadOpen(*key_, sealed, Bytes(purpose));
  if (!r.ok()) {
    return DataLossError("cannot open the sealed " + std::string(purpose) +
                         " (wrong master key or modified data)");
  }
  return r;
}

Result<std::vector<uint8_t>> Vault::SealKey(const jose::PrivateKey& key, std::string_view purpose,
                                            RandomSource& random) const {
  crypto::SecretBytes raw = key.ExportRaw();
  return Seal(std::span<const uint8_t>(raw.data(), raw.size()), purpose, random);
}

Result<jose::PrivateKey> Vault::OpenKey(jose::KeyType type, std::span<const uint8_t> sealed,
                                        std::string_view purpose) const {
  ASSIGN_OR_RETURN(crypto::SecretBytes raw, Open(sealed, purpose));
  return jose::PrivateKey::FromRaw(type, std::span<const uint8_t>(raw.data(), raw.size()));
}

}  // namespace traceport::node
