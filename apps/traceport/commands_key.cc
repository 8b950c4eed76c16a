// traceport key generate | show
#include <iostream>

#include "apps/traceport/cli.h"
#include "crypto/random.h"
#include "did/methods.h"
#include "jose/jwk.h"
#include "jose/key_file.h"

namespace traceport::cli {
namespace {

struct GenerateFlags {
  std::string type;
  std::string out;
  std::string passphrase_file;
  bool no_passphrase = false;
  bool force = false;
  std::string kdf = "interactive";
};

nlohmann::json Describe(const jose::PublicKey& key) {
  return {{"type", jose::KeyTypeName(key.type())},
          {"alg", jose::AlgorithmName(key.algorithm())},
          {"kid", jose::Thumbprint(key)},
          {"publicKeyMultibase", key.ToMultikey()},
          {"didKey", did::DidKeyFor(key).ToString()},
          {"didJwk", did::DidJwkFor(key).ToString()},
          {"publicJwk", jose::PublicKeyToJwk(key)}};
}

void PrintDescription(const nlohmann::json& d) {
  std::cout << "type:      " << d["type"].get<std::string>() << " (" << d["alg"].get<std::string>()
            << ")\n"
            << "kid:       " << d["kid"].get<std::string>() << "\n"
            << "multikey:  " << d["publicKeyMultibase"].get<std::string>() << "\n"
            << "did:key:   " << d["didKey"].get<std::string>() << "\n"
            << "did:jwk:   " << d["didJwk"].get<std::string>() << "\n"
            << "JWK:       " << d["publicJwk"].dump() << "\n";
}

Status Generate(const Context& ctx, const GenerateFlags& f) {
  ASSIGN_OR_RETURN(jose::KeyType type, jose::ParseKeyType(f.type));
  crypto::Argon2idPreset preset;
  if (f.kdf == "interactive") {
    preset = crypto::Argon2idPreset::kInteractive;
  } else if (f.kdf == "moderate") {
    preset = crypto::Argon2idPreset::kModerate;
  } else {
    return InvalidArgumentError("--kdf must be interactive or moderate");
  }
  if (f.no_passphrase && !f.passphrase_file.empty()) {
    return InvalidArgumentError("--no-passphrase and --passphrase-file exclude each other");
  }
  ASSIGN_OR_RETURN(jose::PrivateKey key, jose::PrivateKey::Generate(type, crypto::DefaultCsprng()));
  jose::KeyFileOptions options;
  std::string passphrase;
  if (f.no_passphrase) {
    options.allow_plaintext = true;
  } else {
    ASSIGN_OR_RETURN(passphrase, GetPassphrase(f.passphrase_file, /*confirm=*/true));
    options.passphrase = passphrase;
  }
  options.preset = preset;
  auto file = jose::WriteKeyFile(key, options, crypto::DefaultCsprng());
  std::fill(passphrase.begin(), passphrase.end(), '\0');
  if (!file.ok()) return file.status();
  if (f.out == "-") {
    std::cout << *file;
    return Status::Ok();
  }
  RETURN_IF_ERROR(jose::SaveKeyFile(f.out, *file, f.force));
  nlohmann::json d = Describe(key.public_key());
  d["file"] = f.out;
  d["encrypted"] = !f.no_passphrase;
  if (ctx.json) {
    PrintJson(d);
  } else {
    std::cout << "wrote " << (f.no_passphrase ? "UNENCRYPTED " : "") << "key file " << f.out
              << "\n";
    PrintDescription(d);
  }
  return Status::Ok();
}

Status Show(const Context& ctx, const std::string& path, bool check,
            const std::string& passphrase_file) {
  ASSIGN_OR_RETURN(std::string text, jose::LoadKeyFile(path));
  auto info = jose::InspectKeyFile(text);
  if (!info.ok()) return info.status().WithContext(path);
  nlohmann::json d = Describe(info->public_key);
  d["file"] = path;
  d["encrypted"] = info->encrypted;
  if (check) {
    ASSIGN_OR_RETURN(jose::PrivateKey key, LoadPrivateKey(path, passphrase_file));
    d["checked"] = key.public_key() == info->public_key;
  }
  if (ctx.json) {
    PrintJson(d);
  } else {
    std::cout << "file:      " << path << (info->encrypted ? " (encrypted)" : " (UNENCRYPTED)")
              << "\n";
    PrintDescription(d);
    if (check) std::cout << "check:     private key unlocked and matches\n";
  }
  return Status::Ok();
}

}  // namespace

void RegisterKeyCommands(CLI::App& app, Context& ctx) {
  CLI::App* key = app.add_subcommand("key", "Generate and inspect signing keys");
  key->require_subcommand(1);

  auto* gen = key->add_subcommand("generate", "Generate a key pair into an encrypted key file");
  static GenerateFlags* gf = new GenerateFlags();
  gen->add_option("--type", gf->type, "Key type: ed25519, p256 or p384")->required();
  gen->add_option("--out,-o", gf->out, "Key file to write (mode 0600), or - for stdout")
      ->required();
  gen->add_option("--passphrase-file", gf->passphrase_file,
                  "Read the passphrase from this file (first line); else $TRACEPORT_PASSPHRASE "
                  "or a prompt");
  gen->add_flag("--no-passphrase", gf->no_passphrase,
                "Store the private key unencrypted (tests and throwaway keys only)");
  gen->add_option("--kdf", gf->kdf, "Argon2id cost: interactive (64 MiB) or moderate (256 MiB)");
  gen->add_flag("--force", gf->force, "Overwrite an existing key file");
  Bind(gen, "key generate", ctx, [&ctx] { return Generate(ctx, *gf); });

  auto* show = key->add_subcommand("show", "Show a key file's public key, kid and DIDs");
  static std::string* path = new std::string();
  static bool* check = new bool(false);
  static std::string* pass = new std::string();
  show->add_option("file", *path, "Key file")->required();
  show->add_flag("--check", *check, "Also unlock the private key and check it matches");
  show->add_option("--passphrase-file", *pass, "Passphrase file for --check");
  Bind(show, "key show", ctx, [&ctx] { return Show(ctx, *path, *check, *pass); });
}

}  // namespace traceport::cli
