// traceport jcs, traceport jws sign|verify
#include <iostream>
#include <optional>

#include "apps/traceport/cli.h"
#include "codec/base64.h"
#include "codec/hex.h"
#include "codec/jcs.h"
#include "codec/json.h"
#include "crypto/sha2.h"
#include "did/document.h"
#include "jose/jwk.h"
#include "jose/jws.h"

namespace traceport::cli {
namespace {

struct JcsArgs {
  std::string file = "-";
};

struct SignArgs {
  std::string key_file;
  std::string passphrase_file;
  std::string payload_file = "-";
  std::string format = "compact";
  std::string kid;
  std::string typ;
  bool detached = false;
};

struct VerifyArgs {
  std::string jws_file = "-";
  std::string key_file;
  std::string jwk_file;
  std::string did_url;
  ResolveFlags resolve;
  std::string payload_file;
  std::vector<std::string> algs;
  std::vector<std::string> crit;
  std::string typ;
};

// True when `s` is well-formed UTF-8 (RFC 3629: no overlongs, surrogates or values past
// U+10FFFF), i.e. when it can be carried in a JSON string as is.
bool IsUtf8Text(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) {
      return false;
    }
    i += len;
  }
  return true;
}

Status Jcs(const Context& ctx, const JcsArgs& a) {
  ASSIGN_OR_RETURN(std::string text, ReadInput(a.file));
  auto canonical = codec::CanonicalizeText(text);
  if (!canonical.ok()) return canonical.status().WithContext(a.file == "-" ? "stdin" : a.file);
  if (ctx.json) {
    PrintJson({{"canonical", *canonical},
               {"sha256", codec::HexEncode(crypto::Sha256(*canonical))},
               {"bytes", canonical->size()}});
  } else {
    // Exactly the canonical bytes, no newline, so the output can be hashed or signed as is.
    std::cout << *canonical;
    std::cout.flush();
  }
  return Status::Ok();
}

Status Sign(const Context& ctx, const SignArgs& a) {
  if (a.key_file.empty()) return InvalidArgumentError("--key is required");
  ASSIGN_OR_RETURN(jose::PrivateKey key, LoadPrivateKey(a.key_file, a.passphrase_file));
  ASSIGN_OR_RETURN(std::string payload, ReadInput(a.payload_file));
  jose::JwsSignOptions o;
  o.kid = a.kid.empty() ? jose::Thumbprint(key.public_key()) : a.kid;
  o.typ = a.typ;
  o.detached = a.detached;
  if (a.format == "compact") {
    ASSIGN_OR_RETURN(std::string jws, jose::SignCompact(payload, key, o));
    if (ctx.json) {
      PrintJson({{"jws", jws}, {"alg", jose::AlgorithmName(key.algorithm())}, {"kid", o.kid}});
    } else {
      std::cout << jws << "\n";
    }
    return Status::Ok();
  }
  if (a.format != "json" && a.format != "flattened") {
    return InvalidArgumentError("--format must be compact, json or flattened");
  }
  if (a.detached) return InvalidArgumentError("--detached is only available with --format compact");
  jose::JwsSigner signer{&key, o, nlohmann::json::object()};
  ASSIGN_OR_RETURN(nlohmann::json jws,
                   jose::SignJson(payload, std::span<const jose::JwsSigner>(&signer, 1),
                                  a.format == "flattened"));
  if (ctx.json) {
    PrintJson({{"jws", jws}, {"alg", jose::AlgorithmName(key.algorithm())}, {"kid", o.kid}});
  } else {
    std::cout << jws.dump() << "\n";
  }
  return Status::Ok();
}

Status Verify(const Context& ctx, const VerifyArgs& a) {
  int sources = !a.key_file.empty() + !a.jwk_file.empty() + !a.did_url.empty();
  if (sources != 1) {
    return InvalidArgumentError("give exactly one of --key FILE, --jwk FILE or --did DID-URL");
  }
  std::optional<jose::PublicKey> key;
  if (!a.did_url.empty()) {
    ASSIGN_OR_RETURN(auto resolver, CliResolver::Create(a.resolve));
    did::Relationship assertion = did::Relationship::kAssertionMethod;
    auto k = did::ResolvePublicKey(resolver->resolver(), a.did_url, &assertion);
    if (!k.ok()) return k.status().WithContext(a.did_url);
    key = std::move(k).value();
  } else {
    ASSIGN_OR_RETURN(key, LoadPublicKey(a.key_file, a.jwk_file));
  }
  ASSIGN_OR_RETURN(std::string input, ReadInput(a.jws_file));
  while (!input.empty() && (input.back() == '\n' || input.back() == '\r' || input.back() == ' ')) {
    input.pop_back();
  }
  jose::JwsVerifyOptions o;
  if (!a.algs.empty()) {
    o.allowed_algs.clear();
    for (const auto& name : a.algs) {
      ASSIGN_OR_RETURN(jose::Algorithm alg, jose::ParseAlgorithm(name));
      o.allowed_algs.push_back(alg);
    }
  }
  o.understood_crit = a.crit;
  if (!a.typ.empty()) o.required_typ = a.typ;
  std::string detached;
  if (!a.payload_file.empty()) {
    ASSIGN_OR_RETURN(detached, ReadInput(a.payload_file));
    o.detached_payload = detached;
  }
  size_t start = input.find_first_not_of(" \t\r\n");
  bool json_form = start != std::string::npos && input[start] == '{';
  auto v = json_form ? jose::VerifyJsonText(input, *key, o) : jose::VerifyCompact(input, *key, o);
  if (!v.ok()) return v.status();
  if (ctx.json) {
    nlohmann::json out = {{"valid", true},
                          {"alg", jose::AlgorithmName(v->alg)},
                          {"kid", jose::Thumbprint(*key)},
                          {"protectedHeader", v->protected_header},
                          {"signatureIndex", v->signature_index}};
    if (!v->unprotected_header.empty()) out["header"] = v->unprotected_header;
    if (IsUtf8Text(v->payload)) {
      out["payload"] = v->payload;
    } else {
      out["payloadBase64url"] = codec::Base64UrlEncode(v->payload);
    }
    PrintJson(out);
  } else {
    std::cout << v->payload;
    if (!v->payload.empty() && v->payload.back() != '\n') std::cout << "\n";
    std::fprintf(stderr, "traceport: jws verify: valid %s signature by %s\n",
                 std::string(jose::AlgorithmName(v->alg)).c_str(), jose::Thumbprint(*key).c_str());
  }
  return Status::Ok();
}

}  // namespace

void RegisterJoseCommands(CLI::App& app, Context& ctx) {
  static JcsArgs* ja = new JcsArgs();
  auto* jcs = app.add_subcommand("jcs", "Canonicalize JSON (RFC 8785) from FILE or stdin");
  jcs->add_option("file", ja->file, "JSON file (default: - for stdin)");
  Bind(jcs, "jcs", ctx, [&ctx] { return Jcs(ctx, *ja); });

  CLI::App* jws = app.add_subcommand("jws", "Sign and verify JSON Web Signatures");
  jws->require_subcommand(1);

  static SignArgs* sa = new SignArgs();
  auto* sign = jws->add_subcommand("sign", "Sign a payload (FILE or stdin) with a key file");
  sign->add_option("payload", sa->payload_file, "Payload file (default: - for stdin)");
  sign->add_option("--key", sa->key_file, "Key file")->required();
  sign->add_option("--passphrase-file", sa->passphrase_file, "Passphrase file for the key");
  sign->add_option("--format", sa->format, "compact (default), json or flattened");
  sign->add_option("--kid", sa->kid, "kid header (default: the key's RFC 7638 thumbprint)");
  sign->add_option("--typ", sa->typ, "typ header, e.g. vc+jwt");
  sign->add_flag("--detached", sa->detached, "Leave the payload out of the compact JWS");
  Bind(sign, "jws sign", ctx, [&ctx] { return Sign(ctx, *sa); });

  static VerifyArgs* va = new VerifyArgs();
  auto* verify = jws->add_subcommand(
      "verify", "Verify a JWS (compact or JSON, FILE or stdin); prints the payload");
  verify->add_option("jws", va->jws_file, "JWS file (default: - for stdin)");
  verify->add_option("--key", va->key_file, "Key file holding the public key");
  verify->add_option("--jwk", va->jwk_file, "Public JWK file");
  verify->add_option("--did", va->did_url,
                     "DID URL of the verification method (must be an assertionMethod)");
  AddResolveFlags(verify, va->resolve);
  verify->add_option("--payload", va->payload_file, "Detached payload file");
  verify->add_option("--alg", va->algs, "Allowed algorithm (repeatable; default all supported)");
  verify->add_option("--crit", va->crit, "Critical header parameter the caller understands");
  verify->add_option("--typ", va->typ, "Required typ header");
  Bind(verify, "jws verify", ctx, [&ctx] { return Verify(ctx, *va); });
}

}  // namespace traceport::cli
