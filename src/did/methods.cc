#include "did/methods.h"

#include <fmt/format.h>

#include "codec/base64.h"
#include "codec/jcs.h"
#include "codec/json.h"
#include "codec/multibase.h"
#include "codec/multicodec.h"
#include "crypto/x25519.h"
#include "did/document.h"
#include "jose/jwk.h"

namespace traceport::did {
namespace {

using nlohmann::json;

Status Fail(MethodError* error, std::string_view code, Status status) {
  if (error) {
    error->code = std::string(code);
    error->message = std::string(status.message());
  }
  return status;
}

Status Fail(MethodError* error, std::string_view code, std::string message) {
  return Fail(error, code, InvalidArgumentError(std::move(message)));
}

json AllVerificationRelationships(const std::string& vm_id) {
  json doc = json::object();
  for (const char* rel :
       {"authentication", "assertionMethod", "capabilityInvocation", "capabilityDelegation"}) {
    doc[rel] = json::array({vm_id});
  }
  return doc;
}

// Expected payload length for known public-key multicodecs; 0 for unknown.
size_t KeyLength(codec::MulticodecCode code) {
  switch (code) {
    case codec::MulticodecCode::kEd25519Pub:
    case codec::MulticodecCode::kX25519Pub:
      return 32;
    case codec::MulticodecCode::kP256Pub:
    case codec::MulticodecCode::kSecp256k1Pub:
      return 33;
    case codec::MulticodecCode::kP384Pub:
      return 49;
    case codec::MulticodecCode::kP521Pub:
      return 67;
    default:
      return 0;
  }
}

}  // namespace

Did DidKeyFor(const jose::PublicKey& key) { return Did{"key", key.ToMultikey()}; }

Result<jose::PublicKey> DidKeyPublicKey(const Did& did, MethodError* error) {
  if (did.method != "key") {
    return Fail(error, kErrInvalidDid, fmt::format("not a did:key DID (method '{}')", did.method));
  }
  std::string_view id = did.method_specific_id;
  size_t colon = id.find(':');
  if (colon != std::string_view::npos) {
    std::string_view version = id.substr(0, colon);
    if (version != "1") {
      return Fail(error, kErrInvalidDid,
                  fmt::format("did:key: unsupported version '{}' (only 1)", version));
    }
    id = id.substr(colon + 1);
  }
  if (id.empty() || id[0] != 'z') {
    return Fail(error, kErrInvalidDid,
                "did:key: the identifier must be multibase base58btc (start with 'z')");
  }
  auto bytes = codec::MultibaseDecodeAs(codec::Multibase::kBase58Btc, id);
  if (!bytes.ok()) return Fail(error, kErrInvalidDid, bytes.status().WithContext("did:key"));
  auto mc = codec::SplitMulticodec(*bytes);
  if (!mc.ok()) {
    return Fail(error,
                mc.status().code() == StatusCode::kUnimplemented ? kErrUnsupportedPublicKeyType
                                                                 : kErrInvalidDid,
                mc.status().WithContext("did:key"));
  }
  size_t want = KeyLength(mc->code);
  if (want == 0) {
    return Fail(error, kErrUnsupportedPublicKeyType,
                UnimplementedError(fmt::format("did:key: {} is not a public key type",
                                               codec::MulticodecName(mc->code))));
  }
  if (mc->payload.size() != want) {
    return Fail(error, kErrInvalidPublicKeyLength,
                fmt::format("did:key: {} key must be {} bytes, got {}",
                            codec::MulticodecName(mc->code), want, mc->payload.size()));
  }
  auto key = jose::PublicKey::FromMulticodec(*bytes);
  if (!key.ok()) {
    if (key.status().code() == StatusCode::kUnimplemented) {
      return Fail(error, kErrUnsupportedPublicKeyType, key.status().WithContext("did:key"));
    }
    return Fail(error, kErrInvalidPublicKey, key.status().WithContext("did:key"));
  }
  return key;
}

Result<json> DidKeyDocument(const Did& did, const DidKeyOptions& options, MethodError* error) {
  ASSIGN_OR_RETURN(jose::PublicKey key, DidKeyPublicKey(did, error));
  std::string did_str = did.ToString();
  std::string multikey = key.ToMultikey();
  std::string vm_id = did_str + "#" + multikey;
  json doc = {{"@context", json::array({kDidContextV1, kMultikeyContextV1})}, {"id", did_str}};
  json vms = json::array({MakeVerificationMethod(did_str, multikey, key, KeyFormat::kMultikey)});
  json rels = AllVerificationRelationships(vm_id);
  if (options.enable_encryption_key_derivation && key.type() == jose::KeyType::kEd25519) {
    auto x = crypto::X25519FromEd25519(*key.ed25519());
    if (!x.ok()) return Fail(error, kErrInvalidPublicKey, x.status().WithContext("did:key"));
    std::string xmb =
        codec::MultibaseEncode(codec::Multibase::kBase58Btc,
                               codec::PrefixMulticodec(codec::MulticodecCode::kX25519Pub, *x));
    json ka = {{"id", did_str + "#" + xmb},
               {"type", "Multikey"},
               {"controller", did_str},
               {"publicKeyMultibase", xmb}};
    vms.push_back(ka);
    rels["keyAgreement"] = json::array({did_str + "#" + xmb});
  } else if (options.enable_encryption_key_derivation) {
    // NIST curve keys serve key agreement (ECDH) themselves.
    rels["keyAgreement"] = json::array({vm_id});
  }
  doc["verificationMethod"] = std::move(vms);
  doc.update(rels);
  return doc;
}

Did DidJwkFor(const jose::PublicKey& key) {
  // The JWK we build has only string members, so canonicalization cannot fail.
  std::string canonical = codec::Canonicalize(jose::PublicKeyToJwk(key)).value();
  return Did{"jwk", codec::Base64UrlEncode(canonical)};
}

Result<json> DidJwkDocument(const Did& did, MethodError* error) {
  if (did.method != "jwk") {
    return Fail(error, kErrInvalidDid, fmt::format("not a did:jwk DID (method '{}')", did.method));
  }
  auto bytes = codec::Base64UrlDecode(did.method_specific_id);
  if (!bytes.ok()) return Fail(error, kErrInvalidDid, bytes.status().WithContext("did:jwk"));
  std::string_view text(reinterpret_cast<const char*>(bytes->data()), bytes->size());
  codec::JsonLimits limits;
  limits.max_depth = 8;
  auto jwk = codec::ParseJson(text, limits);
  if (!jwk.ok()) return Fail(error, kErrInvalidDid, jwk.status().WithContext("did:jwk"));
  if (!jwk->is_object() || !jwk->contains("kty") || !(*jwk)["kty"].is_string()) {
    return Fail(error, kErrInvalidDid, "did:jwk: the identifier is not a JWK (no string \"kty\")");
  }
  for (const char* priv : {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}) {
    if (jwk->contains(priv)) {
      return Fail(error, kErrInvalidDid,
                  fmt::format("did:jwk: the JWK carries private or symmetric member \"{}\"", priv));
    }
  }
  // Keys Traceport understands are validated fully (on-curve, lengths).
  std::string kty = (*jwk)["kty"].get<std::string>();
  if (kty == "OKP" || kty == "EC") {
    auto key = jose::PublicKeyFromJwk(*jwk);
    if (!key.ok() && key.status().code() != StatusCode::kUnimplemented) {
      return Fail(error, kErrInvalidPublicKey, key.status().WithContext("did:jwk"));
    }
  }
  std::string did_str = did.ToString();
  std::string vm_id = did_str + "#0";
  json doc = {{"@context", json::array({kDidContextV1, kJws2020ContextV1})},
              {"id", did_str},
              {"verificationMethod", json::array({{{"id", vm_id},
                                                   {"type", "JsonWebKey2020"},
                                                   {"controller", did_str},
                                                   {"publicKeyJwk", *jwk}}})}};
  std::string use;
  if (auto it = jwk->find("use"); it != jwk->end()) {
    if (!it->is_string()) return Fail(error, kErrInvalidDid, "did:jwk: \"use\" must be a string");
    use = it->get<std::string>();
  }
  if (use != "enc") doc.update(AllVerificationRelationships(vm_id));
  if (use != "sig") doc["keyAgreement"] = json::array({vm_id});
  return doc;
}

}  // namespace traceport::did
