#include "apps/traceport/cli.h"

#include <pthread.h>

#include <csignal>

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>

#include "codec/json.h"
#include "jose/jwk.h"
#include "jose/key_file.h"

namespace traceport::cli {

Status& LastStatus() {
  static Status status;
  return status;
}

void Bind(CLI::App* sub, const std::string& name, Context& ctx, Action action) {
  sub->add_flag("--json", ctx.json, "Print machine-readable JSON");
  sub->callback([name, &ctx, action] {
    ctx.command = name;
    LastStatus() = action();
  });
}

void PrintJson(const nlohmann::json& value) {
  // Invalid UTF-8 (a file name, an argument) is replaced rather than aborting the output.
  std::cout << value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  std::cout.flush();
}

int Report(const Context& ctx, const Status& status) {
  if (status.ok()) return kExitOk;
  std::string msg(status.message());
  for (char& c : msg) {
    if (c == '\n') c = ' ';
  }
  std::fprintf(stderr, "traceport: %s: %s\n", ctx.command.c_str(), msg.c_str());
  if (ctx.json && !ctx.json_printed) {
    std::cout << nlohmann::json{{"error",
                                 {{"code", StatusCodeName(status.code())}, {"message", msg}}}}
                     .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
              << "\n";
  }
  return status.code() == StatusCode::kPermissionDenied ? kExitVerifyFailed : kExitError;
}

Result<std::string> ReadInput(const std::string& path, size_t max_bytes) {
  std::string data;
  if (path == "-" || path.empty()) {
    data.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) return NotFoundError("cannot open " + path);
    data.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  if (data.size() > max_bytes) {
    return ResourceExhaustedError((path == "-" ? std::string("standard input") : path) +
                                  " is larger than " + std::to_string(max_bytes) + " bytes");
  }
  return data;
}

namespace {

std::string Prompt(const char* text) {
  std::fprintf(stderr, "%s", text);
  std::fflush(stderr);
  termios old{};
  bool tty = tcgetattr(STDIN_FILENO, &old) == 0;
  if (tty) {
    termios silent = old;
    silent.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &silent);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty) tcsetattr(STDIN_FILENO, TCSANOW, &old);
  std::fprintf(stderr, "\n");
  return line;
}

}  // namespace

Result<std::string> GetPassphrase(const std::string& passphrase_file, bool confirm) {
  if (!passphrase_file.empty()) {
    ASSIGN_OR_RETURN(std::string text, ReadInput(passphrase_file, 4096));
    size_t nl = text.find('\n');
    if (nl != std::string::npos) text.resize(nl);
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (text.empty())
      return InvalidArgumentError("passphrase file " + passphrase_file + " is empty");
    return text;
  }
  if (const char* env = std::getenv("TRACEPORT_PASSPHRASE"); env && *env) return std::string(env);
  if (!isatty(STDIN_FILENO)) {
    return FailedPreconditionError(
        "a passphrase is needed: use --passphrase-file FILE or set TRACEPORT_PASSPHRASE");
  }
  std::string first = Prompt("Passphrase: ");
  if (first.empty()) return InvalidArgumentError("empty passphrase");
  if (confirm && Prompt("Repeat passphrase: ") != first) {
    return InvalidArgumentError("the passphrases do not match");
  }
  return first;
}

Result<jose::PrivateKey> LoadPrivateKey(const std::string& path,
                                        const std::string& passphrase_file) {
  ASSIGN_OR_RETURN(std::string text, jose::LoadKeyFile(path));
  auto info = jose::InspectKeyFile(text);
  if (!info.ok()) return info.status().WithContext(path);
  std::string passphrase;
  if (info->encrypted) {
    ASSIGN_OR_RETURN(passphrase, GetPassphrase(passphrase_file, /*confirm=*/false));
  }
  auto key = jose::ReadKeyFile(text, passphrase);
  std::fill(passphrase.begin(), passphrase.end(), '\0');
  if (!key.ok()) return key.status().WithContext(path);
  return key;
}

Result<jose::PublicKey> LoadPublicKey(const std::string& key_file, const std::string& jwk_file) {
  if (!key_file.empty() && !jwk_file.empty()) {
    return InvalidArgumentError("give either --key or --jwk, not both");
  }
  if (!key_file.empty()) {
    ASSIGN_OR_RETURN(std::string text, jose::LoadKeyFile(key_file));
    auto info = jose::InspectKeyFile(text);
    if (!info.ok()) return info.status().WithContext(key_file);
    return info->public_key;
  }
  if (!jwk_file.empty()) {
    ASSIGN_OR_RETURN(std::string text, ReadInput(jwk_file, 64 * 1024));
    auto jwk = codec::ParseJson(text);
    if (!jwk.ok()) return jwk.status().WithContext(jwk_file);
    auto key = jose::PublicKeyFromJwk(*jwk);
    if (!key.ok()) return key.status().WithContext(jwk_file);
    return key;
  }
  return InvalidArgumentError("a key is required: --key FILE or --jwk FILE");
}

void AddResolveFlags(CLI::App* sub, ResolveFlags& flags) {
  sub->add_option("--documents", flags.documents_dir,
                  "Directory of local DID documents (*.json), consulted first");
  sub->add_flag("--network", flags.network,
                "Allow fetching did:web documents over HTTPS (off by default)");
}

Result<std::unique_ptr<CliResolver>> CliResolver::Create(const ResolveFlags& flags) {
  auto r = std::unique_ptr<CliResolver>(new CliResolver());
  if (!flags.documents_dir.empty()) {
    RETURN_IF_ERROR(r->local_.LoadDirectory(flags.documents_dir));
  }
  did::ResolverOptions options;
  options.enable_network = flags.network;
  if (flags.network) r->http_ = net::NewCurlHttpClient();
  r->resolver_ = std::make_unique<did::DefaultResolver>(options, &r->local_, r->http_.get());
  return r;
}

void BlockShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int WaitForShutdownSignal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  int sig = 0;
  sigwait(&set, &sig);
  return sig;
}

}  // namespace traceport::cli
