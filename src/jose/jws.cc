#include "jose/jws.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "codec/base64.h"
#include "codec/json.h"

namespace traceport::jose {
namespace {

using nlohmann::json;

// Header parameter names registered by RFC 7515 §4.1; they may never appear in "crit".
constexpr std::string_view kRegistered[] = {"alg", "jku",      "jwk", "kid", "x5u", "x5c",
                                            "x5t", "x5t#S256", "typ", "cty", "crit"};

bool IsRegistered(std::string_view name) {
  return std::find(std::begin(kRegistered), std::end(kRegistered), name) != std::end(kRegistered);
}

Result<json> DecodeHeader(std::string_view b64, std::string_view where) {
  if (b64.empty()) return InvalidArgumentError(fmt::format("jws: {} header is empty", where));
  auto bytes = codec::Base64UrlDecode(b64);
  if (!bytes.ok()) return bytes.status().WithContext(fmt::format("jws: {} header", where));
  std::string_view text(reinterpret_cast<const char*>(bytes->data()), bytes->size());
  codec::JsonLimits limits;
  limits.max_bytes = 64 * 1024;
  limits.max_depth = 16;
  auto header = codec::ParseJson(text, limits);
  if (!header.ok()) return header.status().WithContext(fmt::format("jws: {} header", where));
  if (!header->is_object()) {
    return InvalidArgumentError(fmt::format("jws: {} header must be a JSON object", where));
  }
  return header;
}

// Applies the policy in jws.h to a protected/unprotected header pair; returns the algorithm.
Result<Algorithm> CheckHeaders(const json& prot, const json& unprot, const PublicKey& key,
                               const JwsVerifyOptions& options) {
  for (auto it = unprot.begin(); it != unprot.end(); ++it) {
    if (prot.contains(it.key())) {
      return InvalidArgumentError(fmt::format(
          "jws: header parameter \"{}\" appears in both protected and unprotected headers",
          it.key()));
    }
  }
  if (unprot.contains("alg")) {
    return InvalidArgumentError("jws: \"alg\" must be in the protected header");
  }
  if (unprot.contains("crit")) {
    return InvalidArgumentError("jws: \"crit\" must be in the protected header");
  }
  auto alg_it = prot.find("alg");
  if (alg_it == prot.end()) return InvalidArgumentError("jws: protected header has no \"alg\"");
  if (!alg_it->is_string()) return InvalidArgumentError("jws: \"alg\" must be a string");
  ASSIGN_OR_RETURN(Algorithm alg, ParseAlgorithm(alg_it->get<std::string>()));
  if (std::find(options.allowed_algs.begin(), options.allowed_algs.end(), alg) ==
      options.allowed_algs.end()) {
    return PermissionDeniedError(
        fmt::format("jws: alg {} is not allowed here", AlgorithmName(alg)));
  }
  if (alg != key.algorithm()) {
    return InvalidArgumentError(
        fmt::format("jws: alg {} does not match the verification key ({} key, alg {})",
                    AlgorithmName(alg), KeyTypeName(key.type()), AlgorithmName(key.algorithm())));
  }
  if (auto crit = prot.find("crit"); crit != prot.end()) {
    if (!crit->is_array() || crit->empty()) {
      return InvalidArgumentError("jws: \"crit\" must be a non-empty array");
    }
    std::set<std::string> seen;
    for (const auto& c : *crit) {
      if (!c.is_string()) return InvalidArgumentError("jws: \"crit\" entries must be strings");
      std::string name = c.get<std::string>();
      if (!seen.insert(name).second) {
        return InvalidArgumentError(fmt::format("jws: \"crit\" lists \"{}\" twice", name));
      }
      if (IsRegistered(name)) {
        return InvalidArgumentError(
            fmt::format("jws: \"crit\" may not list the registered parameter \"{}\"", name));
      }
      if (std::find(options.understood_crit.begin(), options.understood_crit.end(), name) ==
          options.understood_crit.end()) {
        return InvalidArgumentError(
            fmt::format("jws: critical header parameter \"{}\" is not understood", name));
      }
      if (!prot.contains(name)) {
        return InvalidArgumentError(
            fmt::format("jws: critical header parameter \"{}\" is missing", name));
      }
    }
  }
  const json* b64 = nullptr;
  if (auto it = prot.find("b64"); it != prot.end()) {
    b64 = &*it;
  } else if (auto uit = unprot.find("b64"); uit != unprot.end()) {
    b64 = &*uit;
  }
  if (b64 != nullptr) {
    if (!b64->is_boolean()) return InvalidArgumentError("jws: \"b64\" must be a boolean");
    if (!b64->get<bool>()) {
      return UnimplementedError(
          "jws: unencoded payloads (\"b64\": false, RFC 7797) are not supported");
    }
  }
  if (options.required_typ) {
    auto typ = prot.find("typ");
    if (typ == prot.end() || !typ->is_string() ||
        typ->get<std::string>() != *options.required_typ) {
      return InvalidArgumentError(
          fmt::format("jws: protected \"typ\" must be \"{}\"", *options.required_typ));
    }
  }
  return alg;
}

Result<json> BuildProtected(const PrivateKey& key, const JwsSignOptions& o) {
  if (!o.extra_protected.is_object()) {
    return InvalidArgumentError("jws: extra protected header must be a JSON object");
  }
  if (o.extra_protected.contains("alg")) {
    return InvalidArgumentError("jws: \"alg\" is set from the key and may not be overridden");
  }
  json h = json::object();
  h["alg"] = AlgorithmName(key.algorithm());
  if (!o.kid.empty()) h["kid"] = o.kid;
  if (!o.typ.empty()) h["typ"] = o.typ;
  if (!o.cty.empty()) h["cty"] = o.cty;
  for (auto it = o.extra_protected.begin(); it != o.extra_protected.end(); ++it) {
    h[it.key()] = it.value();
  }
  // Refuse to produce what our own verifier would reject.
  JwsVerifyOptions check;
  if (auto crit = h.find("crit"); crit != h.end() && crit->is_array()) {
    for (const auto& c : *crit) {
      if (c.is_string()) check.understood_crit.push_back(c.get<std::string>());
    }
  }
  RETURN_IF_ERROR(CheckHeaders(h, json::object(), key.public_key(), check).status());
  return h;
}

std::string SigningInput(std::string_view header_b64, std::string_view payload_b64) {
  std::string input;
  input.reserve(header_b64.size() + 1 + payload_b64.size());
  input.append(header_b64);
  input.push_back('.');
  input.append(payload_b64);
  return input;
}

Status VerifySignature(const PublicKey& key, Algorithm alg, std::string_view input,
                       std::string_view sig_b64) {
  auto sig = codec::Base64UrlDecode(sig_b64);
  if (!sig.ok()) return sig.status().WithContext("jws: signature");
  auto span =
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(input.data()), input.size());
  Status s = key.Verify(alg, span, *sig);
  if (!s.ok()) return s.WithContext("jws");
  return Status::Ok();
}

Result<std::string> DecodePayload(std::string_view b64) {
  auto bytes = codec::Base64UrlDecode(b64);
  if (!bytes.ok()) return bytes.status().WithContext("jws: payload");
  return std::string(bytes->begin(), bytes->end());
}

Result<std::string> GetB64Member(const json& obj, const char* name, bool required) {
  auto it = obj.find(name);
  if (it == obj.end()) {
    if (required) return InvalidArgumentError(fmt::format("jws: missing \"{}\"", name));
    return std::string();
  }
  if (!it->is_string())
    return InvalidArgumentError(fmt::format("jws: \"{}\" must be a string", name));
  return it->get<std::string>();
}

}  // namespace

Result<std::string> SignCompact(std::string_view payload, const PrivateKey& key,
                                const JwsSignOptions& options) {
  ASSIGN_OR_RETURN(json header, BuildProtected(key, options));
  std::string header_b64 = codec::Base64UrlEncode(header.dump());
  std::string payload_b64 = codec::Base64UrlEncode(payload);
  std::string input = SigningInput(header_b64, payload_b64);
  ASSIGN_OR_RETURN(std::vector<uint8_t> sig,
                   key.Sign(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(input.data()),
                                                     input.size())));
  std::string out = header_b64;
  out += '.';
  if (!options.detached) out += payload_b64;
  out += '.';
  out += codec::Base64UrlEncode(sig);
  return out;
}

Result<json> PeekCompactHeader(std::string_view jws) {
  size_t dot = jws.find('.');
  if (dot == std::string_view::npos) return InvalidArgumentError("jws: not a compact JWS (no '.')");
  return DecodeHeader(jws.substr(0, dot), "protected");
}

Result<VerifiedJws> VerifyCompact(std::string_view jws, const PublicKey& key,
                                  const JwsVerifyOptions& options) {
  if (jws.size() > options.max_bytes) {
    return ResourceExhaustedError(
        fmt::format("jws: {} bytes exceeds the {} byte limit", jws.size(), options.max_bytes));
  }
  size_t d1 = jws.find('.');
  size_t d2 = d1 == std::string_view::npos ? d1 : jws.find('.', d1 + 1);
  if (d2 == std::string_view::npos || jws.find('.', d2 + 1) != std::string_view::npos) {
    return InvalidArgumentError(
        "jws: compact serialization must have exactly three parts separated by '.'");
  }
  std::string_view header_b64 = jws.substr(0, d1);
  std::string_view payload_b64 = jws.substr(d1 + 1, d2 - d1 - 1);
  std::string_view sig_b64 = jws.substr(d2 + 1);
  VerifiedJws out;
  const json* header = options.decoded_header;
  if (header == nullptr || !header->is_object()) {
    ASSIGN_OR_RETURN(out.protected_header, DecodeHeader(header_b64, "protected"));
    header = &out.protected_header;
  }
  ASSIGN_OR_RETURN(out.alg, CheckHeaders(*header, json::object(), key, options));
  const Algorithm alg = out.alg;
  std::string detached_b64;
  if (options.detached_payload) {
    if (!payload_b64.empty()) {
      return InvalidArgumentError("jws: a detached payload was given but the JWS carries one");
    }
    detached_b64 = codec::Base64UrlEncode(*options.detached_payload);
    payload_b64 = detached_b64;
    out.payload = std::string(*options.detached_payload);
  } else if (options.decode_payload) {
    ASSIGN_OR_RETURN(out.payload, DecodePayload(payload_b64));
  }
  if (!options.detached_payload) {
    // The signing input "header.payload" is the JWS up to its second dot: no copy needed.
    RETURN_IF_ERROR(VerifySignature(key, alg, jws.substr(0, d2), sig_b64));
  } else {
    RETURN_IF_ERROR(VerifySignature(key, alg, SigningInput(header_b64, payload_b64), sig_b64));
  }
  return out;
}

Result<json> SignJson(std::string_view payload, std::span<const JwsSigner> signers,
                      bool flattened) {
  if (signers.empty()) return InvalidArgumentError("jws: at least one signer is required");
  if (flattened && signers.size() != 1) {
    return InvalidArgumentError("jws: flattened serialization carries exactly one signature");
  }
  std::string payload_b64 = codec::Base64UrlEncode(payload);
  json sigs = json::array();
  for (const JwsSigner& s : signers) {
    if (s.key == nullptr) return InvalidArgumentError("jws: signer without a key");
    if (s.options.detached) {
      return InvalidArgumentError("jws: detached payloads are only produced in compact form");
    }
    ASSIGN_OR_RETURN(json header, BuildProtected(*s.key, s.options));
    if (!s.unprotected.is_object()) {
      return InvalidArgumentError("jws: unprotected header must be a JSON object");
    }
    JwsVerifyOptions check;
    for (const auto& c : header.value("crit", json::array())) {
      if (c.is_string()) check.understood_crit.push_back(c.get<std::string>());
    }
    RETURN_IF_ERROR(CheckHeaders(header, s.unprotected, s.key->public_key(), check).status());
    std::string header_b64 = codec::Base64UrlEncode(header.dump());
    std::string input = SigningInput(header_b64, payload_b64);
    ASSIGN_OR_RETURN(std::vector<uint8_t> sig,
                     s.key->Sign(std::span<const uint8_t>(
                         reinterpret_cast<const uint8_t*>(input.data()), input.size())));
    json entry = json::object();
    entry["protected"] = header_b64;
    if (!s.unprotected.empty()) entry["header"] = s.unprotected;
    entry["signature"] = codec::Base64UrlEncode(sig);
    sigs.push_back(std::move(entry));
  }
  if (flattened) {
    json out = sigs[0];
    out["payload"] = payload_b64;
    return out;
  }
  return json{{"payload", payload_b64}, {"signatures", sigs}};
}

Result<VerifiedJws> VerifyJson(const json& jws, const PublicKey& key,
                               const JwsVerifyOptions& options) {
  if (!jws.is_object()) return InvalidArgumentError("jws: JSON serialization must be an object");
  ASSIGN_OR_RETURN(std::string payload_b64, GetB64Member(jws, "payload", true));
  std::vector<const json*> entries;
  if (jws.contains("signatures")) {
    if (jws.contains("signature") || jws.contains("protected") || jws.contains("header")) {
      return InvalidArgumentError(
          "jws: general serialization must not also carry flattened members");
    }
    const json& list = jws["signatures"];
    if (!list.is_array() || list.empty()) {
      return InvalidArgumentError("jws: \"signatures\" must be a non-empty array");
    }
    for (const auto& e : list) {
      if (!e.is_object()) return InvalidArgumentError("jws: each signature must be an object");
      entries.push_back(&e);
    }
  } else {
    entries.push_back(&jws);
  }
  std::string payload;
  if (options.detached_payload) {
    if (!payload_b64.empty()) {
      return InvalidArgumentError("jws: a detached payload was given but the JWS carries one");
    }
    payload = std::string(*options.detached_payload);
    payload_b64 = codec::Base64UrlEncode(payload);
  } else {
    ASSIGN_OR_RETURN(payload, DecodePayload(payload_b64));
  }
  // Validate every entry's structure first, so a malformed entry is never masked by a good one.
  struct Checked {
    std::string header_b64, sig_b64;
    json prot, unprot;
  };
  std::vector<Checked> checked;
  for (size_t i = 0; i < entries.size(); ++i) {
    const json& e = *entries[i];
    Checked c;
    ASSIGN_OR_RETURN(c.header_b64, GetB64Member(e, "protected", true));
    ASSIGN_OR_RETURN(c.sig_b64, GetB64Member(e, "signature", true));
    auto prot = DecodeHeader(c.header_b64, "protected");
    if (!prot.ok()) return prot.status().WithContext(fmt::format("signature {}", i));
    c.prot = std::move(prot).value();
    c.unprot = json::object();
    if (auto h = e.find("header"); h != e.end()) {
      if (!h->is_object()) {
        return InvalidArgumentError(
            fmt::format("jws: signature {}: \"header\" must be an object", i));
      }
      c.unprot = *h;
    }
    checked.push_back(std::move(c));
  }
  Status last = PermissionDeniedError("jws: no signature verifies under the key");
  for (size_t i = 0; i < checked.size(); ++i) {
    const Checked& c = checked[i];
    auto alg = CheckHeaders(c.prot, c.unprot, key, options);
    if (!alg.ok()) {
      // A signature made with another key type is not an error of the JWS as a whole.
      last = alg.status().WithContext(fmt::format("signature {}", i));
      if (alg.status().code() == StatusCode::kInvalidArgument &&
          alg.status().message().find("does not match the verification key") ==
              std::string_view::npos) {
        return last;
      }
      continue;
    }
    Status s = VerifySignature(key, *alg, SigningInput(c.header_b64, payload_b64), c.sig_b64);
    if (s.ok()) {
      VerifiedJws out{*alg, c.prot, c.unprot, payload, i};
      return out;
    }
    if (s.code() != StatusCode::kPermissionDenied)
      return s.WithContext(fmt::format("signature {}", i));
    last = s.WithContext(fmt::format("signature {}", i));
  }
  if (checked.size() > 1) {
    return PermissionDeniedError(
        fmt::format("jws: none of {} signatures verifies under the key (last: {})", checked.size(),
                    last.message()));
  }
  return last;
}

Result<VerifiedJws> VerifyJsonText(std::string_view text, const PublicKey& key,
                                   const JwsVerifyOptions& options) {
  if (text.size() > options.max_bytes) {
    return ResourceExhaustedError(
        fmt::format("jws: {} bytes exceeds the {} byte limit", text.size(), options.max_bytes));
  }
  ASSIGN_OR_RETURN(json j, codec::ParseJson(text));
  return VerifyJson(j, key, options);
}

}  // namespace traceport::jose
