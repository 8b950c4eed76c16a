#include "jose/jwk.h"

#include <fmt/format.h>

#include "codec/base64.h"
#include "codec/jcs.h"
#include "crypto/secret.h"
#include "crypto/sha2.h"

namespace traceport::jose {
namespace {

using nlohmann::json;

Result<std::string> GetString(const json& jwk, const char* name, bool required) {
  auto it = jwk.find(name);
  if (it == jwk.end()) {
    if (required) return InvalidArgumentError(fmt::format("jwk: missing \"{}\"", name));
    return std::string();
  }
  if (!it->is_string())
    return InvalidArgumentError(fmt::format("jwk: \"{}\" must be a string", name));
  return it->get<std::string>();
}

Result<std::vector<uint8_t>> GetBytes(const json& jwk, const char* name, size_t want) {
  ASSIGN_OR_RETURN(std::string text, GetString(jwk, name, true));
  auto bytes = codec::Base64UrlDecode(text);
  if (!bytes.ok()) return bytes.status().WithContext(fmt::format("jwk: \"{}\"", name));
  if (bytes->size() != want) {
    return InvalidArgumentError(
        fmt::format("jwk: \"{}\" must decode to {} bytes, got {}", name, want, bytes->size()));
  }
  return bytes;
}

struct Parsed {
  KeyType type;
  std::vector<uint8_t> x, y;
  bool has_d = false;
};

Result<Parsed> ParseCommon(const json& jwk) {
  if (!jwk.is_object()) return InvalidArgumentError("jwk: must be a JSON object");
  ASSIGN_OR_RETURN(std::string kty, GetString(jwk, "kty", true));
  ASSIGN_OR_RETURN(std::string crv, GetString(jwk, "crv", kty == "OKP" || kty == "EC"));
  Parsed p;
  if (kty == "OKP") {
    if (crv != "Ed25519") {
      return UnimplementedError(
          fmt::format("jwk: OKP curve '{}' is not supported for signing "
                      "(supported: Ed25519)",
                      crv));
    }
    p.type = KeyType::kEd25519;
    ASSIGN_OR_RETURN(p.x, GetBytes(jwk, "x", 32));
    if (jwk.contains("y")) return InvalidArgumentError("jwk: OKP keys have no \"y\"");
  } else if (kty == "EC") {
    size_t width;
    if (crv == "P-256") {
      p.type = KeyType::kP256;
      width = 32;
    } else if (crv == "P-384") {
      p.type = KeyType::kP384;
      width = 48;
    } else {
      return UnimplementedError(
          fmt::format("jwk: EC curve '{}' is not supported (supported: P-256, P-384)", crv));
    }
    ASSIGN_OR_RETURN(p.x, GetBytes(jwk, "x", width));
    ASSIGN_OR_RETURN(p.y, GetBytes(jwk, "y", width));
  } else if (kty.empty()) {
    return InvalidArgumentError("jwk: empty \"kty\"");
  } else {
    return UnimplementedError(
        fmt::format("jwk: kty '{}' is not supported (supported: OKP, EC)", kty));
  }
  if (jwk.contains("alg")) {
    ASSIGN_OR_RETURN(std::string alg_name, GetString(jwk, "alg", true));
    auto alg = ParseAlgorithm(alg_name);
    if (!alg.ok() || *alg != AlgorithmFor(p.type)) {
      return InvalidArgumentError(
          fmt::format("jwk: \"alg\" {} does not match a {} key (expects {})", alg_name,
                      KeyTypeName(p.type), AlgorithmName(AlgorithmFor(p.type))));
    }
  }
  if (jwk.contains("use")) {
    ASSIGN_OR_RETURN(std::string use, GetString(jwk, "use", true));
    if (use != "sig") {
      return InvalidArgumentError(fmt::format("jwk: \"use\" is '{}', expected \"sig\"", use));
    }
  }
  if (jwk.contains("key_ops")) {
    const json& ops = jwk["key_ops"];
    if (!ops.is_array()) return InvalidArgumentError("jwk: \"key_ops\" must be an array");
    for (const auto& op : ops) {
      if (!op.is_string()) return InvalidArgumentError("jwk: \"key_ops\" entries must be strings");
      std::string o = op.get<std::string>();
      if (o != "sign" && o != "verify") {
        return InvalidArgumentError(
            fmt::format("jwk: key_ops '{}' is not an operation of a signature key", o));
      }
    }
  }
  p.has_d = jwk.contains("d");
  return p;
}

Result<PublicKey> PublicFromParsed(const Parsed& p) {
  if (p.type == KeyType::kEd25519) return PublicKey::FromRaw(KeyType::kEd25519, p.x);
  crypto::EcdsaCurve curve =
      p.type == KeyType::kP256 ? crypto::EcdsaCurve::kP256 : crypto::EcdsaCurve::kP384;
  auto k = crypto::EcdsaPublicKey::FromAffine(curve, p.x, p.y);
  if (!k.ok()) return k.status().WithContext("jwk");
  return PublicKey(std::move(k).value());
}

size_t SecretWidth(KeyType t) { return t == KeyType::kP384 ? 48 : 32; }

}  // namespace

Result<PrivateKey> PrivateKeyFromJwk(const json& jwk) {
  ASSIGN_OR_RETURN(Parsed p, ParseCommon(jwk));
  if (!p.has_d) return InvalidArgumentError("jwk: missing \"d\" (this is a public key)");
  ASSIGN_OR_RETURN(std::vector<uint8_t> d_bytes, GetBytes(jwk, "d", SecretWidth(p.type)));
  crypto::SecretBytes d(d_bytes);
  std::fill(d_bytes.begin(), d_bytes.end(), 0);
  auto priv = PrivateKey::FromRaw(p.type, d.span());
  if (!priv.ok()) return priv.status().WithContext("jwk: \"d\"");
  ASSIGN_OR_RETURN(PublicKey pub, PublicFromParsed(p));
  if (!(priv->public_key() == pub)) {
    return InvalidArgumentError("jwk: \"d\" does not belong to the public key in \"x\"/\"y\"");
  }
  return priv;
}

Result<PublicKey> PublicKeyFromJwk(const json& jwk) {
  ASSIGN_OR_RETURN(Parsed p, ParseCommon(jwk));
  if (p.has_d) {
    ASSIGN_OR_RETURN(PrivateKey priv, PrivateKeyFromJwk(jwk));
    return priv.public_key();
  }
  return PublicFromParsed(p);
}

json PublicKeyToJwk(const PublicKey& key) {
  json j = json::object();
  if (const auto* e = key.ecdsa()) {
    j["kty"] = "EC";
    j["crv"] = key.type() == KeyType::kP256 ? "P-256" : "P-384";
    j["x"] = codec::Base64UrlEncode(e->x());
    j["y"] = codec::Base64UrlEncode(e->y());
  } else {
    j["kty"] = "OKP";
    j["crv"] = "Ed25519";
    j["x"] = codec::Base64UrlEncode(key.ed25519()->bytes());
  }
  return j;
}

json PrivateKeyToJwk(const PrivateKey& key) {
  json j = PublicKeyToJwk(key.public_key());
  crypto::SecretBytes d = key.ExportRaw();
  j["d"] = codec::Base64UrlEncode(d.span());
  return j;
}

Result<std::string> JwkThumbprint(const json& jwk) {
  if (!jwk.is_object()) return InvalidArgumentError("jwk: must be a JSON object");
  ASSIGN_OR_RETURN(std::string kty, GetString(jwk, "kty", true));
  std::vector<const char*> members;
  if (kty == "EC") {
    members = {"crv", "kty", "x", "y"};
  } else if (kty == "OKP") {
    members = {"crv", "kty", "x"};
  } else if (kty == "RSA") {
    members = {"e", "kty", "n"};
  } else if (kty == "oct") {
    members = {"k", "kty"};
  } else {
    return UnimplementedError(fmt::format("jwk: no thumbprint members defined for kty '{}'", kty));
  }
  json required = json::object();
  for (const char* m : members) {
    ASSIGN_OR_RETURN(std::string v, GetString(jwk, m, true));
    required[m] = v;
  }
  ASSIGN_OR_RETURN(std::string canonical, codec::Canonicalize(required));
  crypto::Sha256Digest digest = crypto::Sha256(canonical);
  return codec::Base64UrlEncode(digest);
}

std::string Thumbprint(const PublicKey& key) {
  // The JWK we build always has the required members as strings.
  return JwkThumbprint(PublicKeyToJwk(key)).value();
}

std::string ThumbprintUri(const PublicKey& key) {
  return "urn:ietf:params:oauth:jwk-thumbprint:sha-256:" + Thumbprint(key);
}

}  // namespace traceport::jose
