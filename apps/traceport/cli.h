// Shared plumbing for the traceport commands: output in text or JSON, error reporting with
// documented exit codes, input files and passphrases.
#ifndef TRACEPORT_APPS_TRACEPORT_CLI_H_
#define TRACEPORT_APPS_TRACEPORT_CLI_H_

#include <CLI/CLI.hpp>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"
#include "did/resolver.h"
#include "jose/key.h"

namespace traceport::cli {

// Exit codes (docs/cli.md).
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;         // bad input, I/O, anything that failed
inline constexpr int kExitUsage = 2;         // unknown command or option, missing argument
inline constexpr int kExitVerifyFailed = 3;  // a signature or proof did not verify

// Per-invocation state every command shares.
struct Context {
  bool json = false;
  std::string command;        // "jws verify", for error messages
  bool json_printed = false;  // the command already printed its JSON result (even on error)
};

// A command body: returns OK or the error to report.
using Action = std::function<Status()>;

// Registers `action` as the callback of `sub` (whose full name is `name`): it records the
// command name, adds --json, and stores the outcome for main() to report.
void Bind(CLI::App* sub, const std::string& name, Context& ctx, Action action);

// The outcome of the command that ran (set by the bound callback).
Status& LastStatus();

// Prints a JSON value (pretty, with a trailing newline).
void PrintJson(const nlohmann::json& value);

// Reports `status` on stderr as "traceport: <command>: <message>" (and as a JSON error object
// on stdout when --json) and returns the exit code for it.
int Report(const Context& ctx, const Status& status);

// Reads a file, or standard input for "-". Limited to `max_bytes`.
Result<std::string> ReadInput(const std::string& path, size_t max_bytes = 64 << 20);

// The passphrase for a key file: from --passphrase-file, else $TRACEPORT_PASSPHRASE, else a
// prompt on the terminal (twice when `confirm`). FailedPrecondition when none is available.
Result<std::string> GetPassphrase(const std::string& passphrase_file, bool confirm);

// Loads a private key from a key file (asking for its passphrase when encrypted).
Result<jose::PrivateKey> LoadPrivateKey(const std::string& path,
                                        const std::string& passphrase_file);

// Loads a public key from a key file (no passphrase needed) or a JWK file.
Result<jose::PublicKey> LoadPublicKey(const std::string& key_file, const std::string& jwk_file);

// Options shared by commands that resolve DIDs.
struct ResolveFlags {
  std::string documents_dir;
  bool network = false;
};
void AddResolveFlags(CLI::App* sub, ResolveFlags& flags);
// A resolver configured from the flags. Keeps its dependencies alive.
class CliResolver {
 public:
  static Result<std::unique_ptr<CliResolver>> Create(const ResolveFlags& flags);
  did::Resolver& resolver() { return *resolver_; }

 private:
  did::LocalDocuments local_;
  std::unique_ptr<net::HttpClient> http_;
  std::unique_ptr<did::DefaultResolver> resolver_;
};

void RegisterKeyCommands(CLI::App& app, Context& ctx);
void RegisterDidCommands(CLI::App& app, Context& ctx);
void RegisterJoseCommands(CLI::App& app, Context& ctx);
void RegisterVcCommands(CLI::App& app, Context& ctx);
void RegisterLedgerCommands(CLI::App& app, Context& ctx);
void RegisterNodeCommands(CLI::App& app, Context& ctx);
void RegisterDemoCommands(CLI::App& app, Context& ctx);
void RegisterCustomsCommands(CLI::App& app, Context& ctx);
void RegisterAssistCommands(CLI::App& app, Context& ctx);
void RegisterContextsCommands(CLI::App& app, Context& ctx);

// Blocks SIGINT and SIGTERM in the calling thread (call before starting threads, which inherit
// the mask), so that WaitForShutdownSignal can collect them.
void BlockShutdownSignals();
// Waits for SIGINT or SIGTERM and returns which.
int WaitForShutdownSignal();

}  // namespace traceport::cli

#endif  // TRACEPORT_APPS_TRACEPORT_CLI_H_
