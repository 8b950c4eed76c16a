#include "ledger/ledger_dir.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "codec/json.h"
#include "ledger/sqlite_storage.h"

namespace traceport::ledger {
namespace {

namespace fs = std::filesystem;

Result<std::string> ReadSmallFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError("ledger: cannot read " + path.string());
  std::ostringstream out;
  out << in.rdbuf();
  std::string s = out.str();
  if (s.size() > 64 * 1024)
    return InvalidArgumentError("ledger: " + path.string() + " is too large");
  return s;
}

// Writes `contents` to `path` (mode `mode`) through a temporary file, fsync and rename.
Status WriteFileDurably(const fs::path& path, std::string_view contents, mode_t mode) {
  const std::string tmp = path.string() + ".tmp";
  // O_EXCL | O_NOFOLLOW: never write through a planted file or symlink.
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd < 0) return InternalError("ledger: cannot write " + tmp + ": " + std::strerror(errno));
  size_t off = 0;
  while (off < contents.size()) {
    const ssize_t n = ::write(fd, contents.data() + off, contents.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      return InternalError("ledger: cannot write " + tmp + ": " + std::strerror(err));
    }
    off += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    return InternalError("ledger: cannot sync " + tmp + ": " + std::strerror(errno));
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return InternalError("ledger: cannot rename " + tmp + ": " + ec.message());
  // Make the rename itself durable.
  const int dir_fd = ::open(path.parent_path().empty() ? "." : path.parent_path().c_str(),
                            O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  return Status::Ok();
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

Result<LedgerDir> InitLedgerDir(const fs::path& dir, const std::string& origin,
                                RandomSource& random) {
  std::error_code ec;
  if (fs::exists(dir / "ledger.json", ec) || fs::exists(dir / "log.key", ec)) {
    return AlreadyExistsError("ledger: " + dir.string() + " already holds a ledger");
  }
  ASSIGN_OR_RETURN(NoteSigner signer, NoteSigner::Generate(origin, random));
  fs::create_directories(dir, ec);
  if (ec) return InternalError("ledger: cannot create " + dir.string() + ": " + ec.message());
  const nlohmann::json config = {{"origin", origin}};
  std::string skey = signer.SignerKey();
  Status s = WriteFileDurably(dir / "log.key", skey + "\n", 0600);
  std::fill(skey.begin(), skey.end(), '\0');
  RETURN_IF_ERROR(s);
  const NoteVerifier verifier = signer.Verifier();
  RETURN_IF_ERROR(WriteFileDurably(dir / "log.vkey", verifier.Vkey() + "\n", 0644));
  RETURN_IF_ERROR(WriteFileDurably(dir / "ledger.json", config.dump(2) + "\n", 0644));
  return LedgerDir{dir, origin, verifier};
}

Result<LedgerDir> ReadLedgerDir(const fs::path& dir) {
  Result<std::string> config_text = ReadSmallFile(dir / "ledger.json");
  if (!config_text.ok()) {
    return NotFoundError("ledger: " + dir.string() +
                         " is not a ledger directory (no ledger.json; run 'traceport ledger "
                         "init')");
  }
  ASSIGN_OR_RETURN(nlohmann::json config, codec::ParseJson(*config_text));
  if (!config.is_object() || !config.contains("origin") || !config["origin"].is_string()) {
    return InvalidArgumentError("ledger: " + (dir / "ledger.json").string() +
                                " has no \"origin\" string");
  }
  ASSIGN_OR_RETURN(std::string vkey, ReadSmallFile(dir / "log.vkey"));
  ASSIGN_OR_RETURN(NoteVerifier verifier, NoteVerifier::FromVkey(Trim(vkey)));
  const std::string origin = config["origin"].get<std::string>();
  if (verifier.name() != origin) {
    return InvalidArgumentError("ledger: log.vkey is for \"" + verifier.name() +
                                "\" but the origin is \"" + origin + "\"");
  }
  return LedgerDir{dir, origin, verifier};
}

Result<NoteSigner> LoadLogSigner(const LedgerDir& dir) {
  ASSIGN_OR_RETURN(std::string skey, ReadSmallFile(dir.dir / "log.key"));
  Result<NoteSigner> signer = NoteSigner::FromSignerKey(Trim(skey));
  std::fill(skey.begin(), skey.end(), '\0');
  if (!signer.ok()) return signer.status().WithContext("ledger: " + (dir.dir / "log.key").string());
  if (signer->Verifier().Vkey() != dir.log_key.Vkey()) {
    return InvalidArgumentError("ledger: log.key does not match log.vkey");
  }
  return signer;
}

Result<std::unique_ptr<Log>> OpenLedger(const fs::path& dir, LogOptions options,
                                        const Clock& clock) {
  ASSIGN_OR_RETURN(LedgerDir ld, ReadLedgerDir(dir));
  ASSIGN_OR_RETURN(NoteSigner signer, LoadLogSigner(ld));
  return OpenLedgerWithSigner(dir, std::move(signer), std::move(options), clock);
}

Result<std::unique_ptr<Log>> OpenLedgerWithSigner(const fs::path& dir, NoteSigner signer,
                                                  LogOptions options, const Clock& clock) {
  ASSIGN_OR_RETURN(LedgerDir ld, ReadLedgerDir(dir));
  if (signer.Verifier().Vkey() != ld.log_key.Vkey()) {
    return InvalidArgumentError("ledger: the signing key does not match " +
                                (dir / "log.vkey").string());
  }
  ASSIGN_OR_RETURN(std::unique_ptr<SqliteStorage> storage, SqliteStorage::Open(dir));
  options.origin = ld.origin;
  return Log::Open(std::move(storage), std::move(signer), std::move(options), clock);
}

}  // namespace traceport::ledger
