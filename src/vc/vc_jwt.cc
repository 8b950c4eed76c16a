#include "vc/vc_jwt.h"

#include <fmt/format.h>

#include "codec/base64.h"
#include "codec/json.h"
#include "vc/internal/fast_path.h"

namespace traceport::vc {
namespace {

using nlohmann::json;

std::string_view Typ(Envelope k) { return k == Envelope::kCredential ? kVcJwtTyp : kVpJwtTyp; }
std::string_view Cty(Envelope k) { return k == Envelope::kCredential ? "vc" : "vp"; }
std::string_view Kind(Envelope k) { return k == Envelope::kCredential ? "vc+jwt" : "vp+jwt"; }

// The id of `value` when it is a string, or an object with a string "id".
std::optional<std::string> IdOf(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_object()) {
    auto it = value.find("id");
    if (it != value.end() && it->is_string()) return it->get<std::string>();
  }
  return std::nullopt;
}

Result<std::optional<int64_t>> NumericDate(const json& payload, const char* claim) {
  auto it = payload.find(claim);
  if (it == payload.end()) return std::optional<int64_t>();
  if (!it->is_number_integer() && !it->is_number_unsigned()) {
    return InvalidArgumentError(
        fmt::format("{}: \"{}\" must be an integer NumericDate", "jwt", claim));
  }
  if (it->is_number_unsigned() && it->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
    return InvalidArgumentError(fmt::format("jwt: \"{}\" is out of range", claim));
  }
  return std::optional<int64_t>(it->get<int64_t>());
}

}  // namespace

Result<std::string> SignJwt(const json& document, Envelope kind, const jose::PrivateKey& key,
                            std::string_view kid) {
  if (!document.is_object())
    return InvalidArgumentError("vc-jose: the document must be a JSON object");
  if (document.contains("proof")) {
    return InvalidArgumentError(
        "vc-jose: the document already carries a Data Integrity proof; secure it one way");
  }
  if (kid.empty()) return InvalidArgumentError("vc-jose: a kid (verification method) is required");
  jose::JwsSignOptions o;
  o.kid = std::string(kid);
  o.typ = std::string(Typ(kind));
  o.cty = std::string(Cty(kind));
  return jose::SignCompact(document.dump(), key, o);
}

namespace {

// DecodeJwt with the payload text turned into the document by `parse`.
template <typename Parse>
Result<DecodedJwt> DecodeJwtWith(std::string_view jwt, Envelope kind, size_t max_bytes,
                                 Parse parse) {
  if (jwt.size() > max_bytes) {
    return ResourceExhaustedError(
        fmt::format("{}: {} bytes exceeds the {} byte limit", Kind(kind), jwt.size(), max_bytes));
  }
  size_t d1 = jwt.find('.');
  size_t d2 = d1 == std::string_view::npos ? d1 : jwt.find('.', d1 + 1);
  if (d2 == std::string_view::npos || jwt.find('.', d2 + 1) != std::string_view::npos) {
    return InvalidArgumentError(fmt::format("{}: not a compact JWS (three parts)", Kind(kind)));
  }
  DecodedJwt out;
  auto header = jose::PeekCompactHeader(jwt);
  if (!header.ok()) return header.status().WithContext(std::string(Kind(kind)));
  out.header = std::move(header).value();
  if (auto typ = out.header.find("typ"); typ != out.header.end()) {
    std::string want(Typ(kind));
    if (!typ->is_string() ||
        (typ->get<std::string>() != want && typ->get<std::string>() != "application/" + want)) {
      return InvalidArgumentError(
          fmt::format("{}: header \"typ\" must be \"{}\"", Kind(kind), want));
    }
  }
  if (auto cty = out.header.find("cty"); cty != out.header.end()) {
    if (!cty->is_string() || (cty->get<std::string>() != Cty(kind) &&
                              cty->get<std::string>() != "application/" + std::string(Cty(kind)))) {
      return InvalidArgumentError(
          fmt::format("{}: header \"cty\" must be \"{}\"", Kind(kind), Cty(kind)));
    }
  }
  if (auto kid = out.header.find("kid"); kid != out.header.end()) {
    if (!kid->is_string())
      return InvalidArgumentError(fmt::format("{}: \"kid\" must be a string", Kind(kind)));
    out.kid = kid->get<std::string>();
  }
  auto payload_bytes = codec::Base64UrlDecode(jwt.substr(d1 + 1, d2 - d1 - 1));
  if (!payload_bytes.ok())
    return payload_bytes.status().WithContext(fmt::format("{}: payload", Kind(kind)));
  std::string_view text(reinterpret_cast<const char*>(payload_bytes->data()),
                        payload_bytes->size());
  codec::JsonLimits limits;
  limits.max_bytes = max_bytes;
  Result<json> payload = parse(text, limits);
  if (!payload.ok()) return payload.status().WithContext(fmt::format("{}: payload", Kind(kind)));
  if (!payload->is_object()) {
    return InvalidArgumentError(fmt::format("{}: payload must be a JSON object", Kind(kind)));
  }
  json& doc = *payload;
  // Registered claims must agree with the document they sit beside.
  const char* party = kind == Envelope::kCredential ? "issuer" : "holder";
  if (auto iss = doc.find("iss"); iss != doc.end()) {
    auto party_id = doc.contains(party) ? IdOf(doc[party]) : std::nullopt;
    if (!iss->is_string() || !party_id || *party_id != iss->get<std::string>()) {
      return InvalidArgumentError(
          fmt::format("{}: claim \"iss\" does not match \"{}\"", Kind(kind), party));
    }
  }
  if (auto jti = doc.find("jti"); jti != doc.end()) {
    auto id = doc.contains("id") ? IdOf(doc["id"]) : std::nullopt;
    if (!jti->is_string() || !id || *id != jti->get<std::string>()) {
      return InvalidArgumentError(
          fmt::format("{}: claim \"jti\" does not match \"id\"", Kind(kind)));
    }
  }
  if (kind == Envelope::kCredential) {
    if (auto sub = doc.find("sub"); sub != doc.end()) {
      std::optional<std::string> subject;
      if (auto cs = doc.find("credentialSubject"); cs != doc.end() && cs->is_object()) {
        subject = IdOf(*cs);
      }
      if (!sub->is_string() || !subject || *subject != sub->get<std::string>()) {
        return InvalidArgumentError("vc+jwt: claim \"sub\" does not match credentialSubject.id");
      }
    }
  }
  ASSIGN_OR_RETURN(out.nbf, NumericDate(doc, "nbf"));
  ASSIGN_OR_RETURN(out.exp, NumericDate(doc, "exp"));
  out.document = std::move(doc);
  return out;
}

}  // namespace

Result<DecodedJwt> DecodeJwt(std::string_view jwt, Envelope kind, size_t max_bytes) {
  return DecodeJwtWith(jwt, kind, max_bytes,
                       [](std::string_view text, const codec::JsonLimits& limits) {
                         return codec::ParseJson(text, limits);
                       });
}

namespace internal {

Result<DecodedJwt> DecodeJwtSkeleton(std::string_view jwt, size_t max_bytes) {
  return DecodeJwtWith(jwt, Envelope::kCredential, max_bytes,
                       [](std::string_view text, const codec::JsonLimits& limits) -> Result<json> {
                         ASSIGN_OR_RETURN(codec::FastJson doc,
                                          codec::FastJson::Parse(text, limits));
                         return CredentialSkeleton(doc.root());
                       });
}

}  // namespace internal

Status VerifyJwtSignature(std::string_view jwt, Envelope kind, const jose::PublicKey& key,
                          const json* decoded_header) {
  jose::JwsVerifyOptions o;
  o.decode_payload = false;  // the signature covers the payload text; decoding is DecodeJwt's job
  o.decoded_header = decoded_header;
  auto v = jose::VerifyCompact(jwt, key, o);
  if (!v.ok()) return v.status();
  const json& header = decoded_header != nullptr && decoded_header->is_object()
                           ? *decoded_header
                           : v->protected_header;
  auto typ = header.find("typ");
  if (typ != header.end()) {
    std::string want(Typ(kind));
    if (!typ->is_string() ||
        (typ->get<std::string>() != want && typ->get<std::string>() != "application/" + want)) {
      return InvalidArgumentError(
          fmt::format("{}: header \"typ\" must be \"{}\"", Kind(kind), want));
    }
  }
  return Status::Ok();
}

json EnvelopeCredential(std::string_view jwt) {
  return {{"@context", json::array({"https://www.w3.org/ns/credentials/v2"})},
          {"id", std::string(kEnvelopedVcPrefix) + std::string(jwt)},
          {"type", "EnvelopedVerifiableCredential"}};
}

Result<std::string> UnwrapEnvelope(const json& enveloped, Envelope kind) {
  std::string_view want_type = kind == Envelope::kCredential ? "EnvelopedVerifiableCredential"
                                                             : "EnvelopedVerifiablePresentation";
  std::string_view prefix = kind == Envelope::kCredential ? kEnvelopedVcPrefix : kEnvelopedVpPrefix;
  if (!enveloped.is_object()) return InvalidArgumentError("envelope must be an object");
  auto type = enveloped.find("type");
  bool type_ok = false;
  if (type != enveloped.end()) {
    if (type->is_string()) type_ok = type->get<std::string>() == want_type;
    if (type->is_array()) {
      for (const auto& t : *type)
        type_ok = type_ok || (t.is_string() && t.get<std::string>() == want_type);
    }
  }
  if (!type_ok) return InvalidArgumentError(fmt::format("envelope type must be {}", want_type));
  auto id = enveloped.find("id");
  if (id == enveloped.end() || !id->is_string()) {
    return InvalidArgumentError("envelope has no string \"id\"");
  }
  std::string_view s = id->get_ref<const std::string&>();
  if (s.substr(0, prefix.size()) != prefix) {
    return InvalidArgumentError(fmt::format("envelope id must be a {} data: URL", Kind(kind)));
  }
  return std::string(s.substr(prefix.size()));
}

}  // namespace traceport::vc
