#include "vc/verifier.h"

#include <fmt/format.h>

#include "codec/fast_json.h"
#include "codec/hex.h"
#include "codec/jcs.h"
#include "codec/json.h"
#include "crypto/sha2.h"
#include "vc/cryptosuite.h"
#include "vc/data_integrity.h"
#include "vc/data_model.h"
#include "vc/internal/fast_path.h"
#include "vc/vc_jwt.h"

namespace traceport::vc {
namespace {

using nlohmann::json;

std::string Summarize(const std::vector<Problem>& problems) {
  if (problems.empty()) return "";
  std::string s = fmt::format("{} problem{}: ", problems.size(), problems.size() == 1 ? "" : "s");
  const Problem& p = problems.front();
  s += (p.pointer.empty() ? std::string("(document)") : p.pointer) + ": " + p.message;
  if (problems.size() > 1) s += " (and more)";
  return s;
}

bool LooksLikeJson(std::string_view input) {
  size_t i = input.find_first_not_of(" \t\r\n");
  return i != std::string_view::npos && (input[i] == '{' || input[i] == '[');
}

std::string_view Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  size_t e = s.find_last_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  return s.substr(b, e - b + 1);
}

// The key for `did_url`, authorized for `relationship`, through the cache when there is one.
Result<jose::PublicKey> ResolveKey(const VerifierContext& ctx, std::string_view did_url,
                                   did::Relationship relationship) {
  if (ctx.keys != nullptr) return ctx.keys->ResolvePublicKey(did_url, &relationship);
  return did::ResolvePublicKey(*ctx.resolver, did_url, &relationship);
}

KeyLookup ProofKeyLookup(const VerifierContext& ctx) {
  return ctx.keys != nullptr ? CachedKeyLookup(*ctx.keys) : ResolverKeyLookup(*ctx.resolver);
}

void SkipSlots(VerificationReport& r) {
  r.NotApplicable(kCheckIssuerAccredited, "no trust registry is configured on this verifier");
  r.NotApplicable(kCheckLedgerAnchor, "no ledger is configured on this verifier");
}

// The slots from the context's checker when the structure is sound, else not applicable.
void FillSlots(const VerifierContext& ctx, const SecuredCredential& c, VerificationReport& r) {
  const Check* structure = r.Find(kCheckStructure);
  if (ctx.slots == nullptr || structure == nullptr || structure->status != CheckStatus::kPass) {
    SkipSlots(r);
    return;
  }
  ctx.slots->Fill(c, r);
  if (r.Find(kCheckIssuerAccredited) == nullptr) {
    r.NotApplicable(kCheckIssuerAccredited, "the trust registry did not judge this credential");
  }
  if (r.Find(kCheckLedgerAnchor) == nullptr) {
    r.NotApplicable(kCheckLedgerAnchor, "the ledger did not judge this credential");
  }
}

// Fails every check that could not run because an earlier stage failed.
void SkipRemaining(VerificationReport& r, std::initializer_list<std::string_view> names,
                   const std::string& why) {
  for (auto n : names) {
    if (r.Find(n) == nullptr) r.Set(n, CheckStatus::kSkipped, why);
  }
}

// Marks every credential check after `structure` as skipped, and the later slots.
void SkipCredentialChecks(VerificationReport& r, const std::string& why) {
  SkipRemaining(r,
                {kCheckProof, kCheckKeyResolution, kCheckProofPurpose, kCheckValidityPeriod,
                 kCheckStatus, kCheckSchema},
                why);
  SkipSlots(r);
}

// validity-period, status and schema: the checks that only need the document.
void DocumentChecks(const json& doc, const VerifierContext& ctx, const VerifyLimits& limits,
                    std::optional<int64_t> nbf, std::optional<int64_t> exp, VerificationReport& r,
                    int depth);

ListVerifier MakeListVerifier(const VerifierContext& ctx, const VerifyLimits& limits, int depth) {
  // Caching of verified lists is CheckCredentialStatus's (through ctx.status_cache).
  return [&ctx, limits, depth](const json& list) -> Status {
    if (depth > 0) return FailedPreconditionError("status list nesting too deep");
    // A status list credential is verified like any credential, except for its own status.
    VerifierContext inner = ctx;
    inner.status_lists = nullptr;
    inner.slots = nullptr;  // a status list is judged by its proof, not by the registry
    VerificationReport r = VerifyCredential(list, inner, limits);
    for (const Check& c : r.checks()) {
      if (c.name == kCheckStatus) continue;
      if (c.required && c.status != CheckStatus::kPass) {
        return PermissionDeniedError(
            fmt::format("status list credential fails {}: {}", c.name, c.reason));
      }
    }
    return Status::Ok();
  };
}

void DocumentChecks(const json& doc, const VerifierContext& ctx, const VerifyLimits& limits,
                    std::optional<int64_t> nbf, std::optional<int64_t> exp, VerificationReport& r,
                    int depth) {
  Time now = ctx.clock->Now();
  ValidityResult v = CheckValidityPeriod(doc, now, limits.skew);
  if (!v.ok()) {
    r.Fail(kCheckValidityPeriod, v.reason, v.pointer);
  } else {
    int64_t now_s = ToUnixSeconds(now);
    int64_t skew = limits.skew.count();
    if (nbf && now_s + skew < *nbf) {
      r.Fail(kCheckValidityPeriod, fmt::format("JWT \"nbf\" {} is in the future", *nbf));
    } else if (exp && now_s - skew >= *exp) {
      r.Fail(kCheckValidityPeriod, fmt::format("JWT \"exp\" {} has passed", *exp));
    } else {
      r.Pass(kCheckValidityPeriod, v.reason.empty() ? "within its validity period" : v.reason);
    }
  }
  if (!doc.contains("credentialStatus")) {
    r.NotApplicable(kCheckStatus, "the credential has no credentialStatus");
  } else if (ctx.status_lists == nullptr) {
    r.Fail(kCheckStatus,
           "the credential has credentialStatus but no status list source is "
           "configured on this verifier",
           "/credentialStatus");
  } else {
    CheckStatusOptions so;
    so.cache = ctx.status_cache;
    so.skew = limits.skew;
    CheckCredentialStatus(doc, *ctx.status_lists, MakeListVerifier(ctx, limits, depth), now, &r,
                          so);
  }
  if (ctx.schemas != nullptr) {
    CheckCredentialSchemas(doc, *ctx.schemas, r);
  } else if (doc.contains("credentialSchema")) {
    r.Set(kCheckSchema, CheckStatus::kSkipped, "no schema registry is configured", "",
          /*required=*/false);
  } else {
    r.NotApplicable(kCheckSchema, "the credential names no credentialSchema");
  }
}

// Checks that the verification method belongs to `party_id` (the issuer or the holder).
bool ControlledBy(std::string_view verification_method, const std::optional<std::string>& party_id,
                  std::string* reason, std::string_view role) {
  std::string did = DidOfUrl(verification_method);
  if (!party_id) {
    *reason = fmt::format("the document has no {} id to match the key against", role);
    return false;
  }
  if (did != *party_id) {
    *reason = fmt::format("verification method {} is not controlled by the {} {}",
                          verification_method, role, *party_id);
    return false;
  }
  return true;
}

void ReportProofs(const std::vector<ProofResult>& results, const std::optional<std::string>& party,
                  std::string_view role, VerificationReport& r) {
  if (results.empty()) {
    r.Fail(kCheckProof, "the document carries no proof", "/proof");
    SkipRemaining(r, {kCheckKeyResolution, kCheckProofPurpose}, "no proof to check");
    return;
  }
  std::string proof_fail, key_fail, purpose_fail;
  for (const ProofResult& p : results) {
    std::string where = fmt::format("proof {}", p.index);
    if (p.structure.failed() && proof_fail.empty()) {
      proof_fail = where + ": " + p.structure.reason;
    }
    if (p.key_resolution.failed() && key_fail.empty()) {
      key_fail = where + ": " + p.key_resolution.reason;
    }
    if (p.purpose.failed() && purpose_fail.empty()) purpose_fail = where + ": " + p.purpose.reason;
    if (p.signature.failed() && proof_fail.empty()) proof_fail = where + ": " + p.signature.reason;
    if (p.chain.failed() && proof_fail.empty()) proof_fail = where + ": " + p.chain.reason;
    std::string why;
    if (key_fail.empty() && !p.verification_method.empty() &&
        !ControlledBy(p.verification_method, party, &why, role)) {
      key_fail = where + ": " + why;
    }
    if (!p.verified() && proof_fail.empty() && key_fail.empty() && purpose_fail.empty()) {
      proof_fail = where + ": " + p.failure();
    }
  }
  std::string n = fmt::format("{} proof{}", results.size(), results.size() == 1 ? "" : "s");
  key_fail.empty() ? r.Pass(kCheckKeyResolution,
                            fmt::format("{} resolved to keys controlled by the {}", n, role))
                   : r.Fail(kCheckKeyResolution, key_fail, "/proof");
  purpose_fail.empty() ? r.Pass(kCheckProofPurpose, "proof purpose authorized")
                       : r.Fail(kCheckProofPurpose, purpose_fail, "/proof");
  if (proof_fail.empty() && key_fail.empty() && purpose_fail.empty()) {
    std::string suites;
    for (const auto& p : results) suites += (suites.empty() ? "" : ", ") + p.cryptosuite;
    r.Pass(kCheckProof, fmt::format("{} verified ({})", n, suites));
  } else if (!proof_fail.empty()) {
    r.Fail(kCheckProof, proof_fail, "/proof");
  } else {
    r.Set(kCheckProof, CheckStatus::kSkipped,
          "signature not accepted: " + (key_fail.empty() ? purpose_fail : key_fail), "/proof");
  }
}

// A vc+jwt whose header and payload `decoded` holds (or the reason they could not be decoded).
VerificationReport VerifyDecodedJwt(std::string_view jwt, const Result<DecodedJwt>& decoded,
                                    const VerifierContext& ctx, const VerifyLimits& limits,
                                    int depth) {
  VerificationReport r;
  if (!decoded.ok()) {
    r.Fail(kCheckStructure, std::string(decoded.status().message()));
    SkipCredentialChecks(r, "the vc+jwt could not be decoded");
    return r;
  }
  const json& doc = decoded->document;
  std::vector<Problem> problems = ValidateCredential(doc);
  if (!problems.empty()) {
    r.Fail(kCheckStructure, Summarize(problems), problems.front().pointer);
    for (auto& p : problems) r.AddProblem(p);
  } else {
    r.Pass(kCheckStructure, "a well-formed vc+jwt credential");
  }
  // Proof: the JWS signature under the key named by "kid".
  auto issuer = doc.contains("issuer") ? PartyId(doc["issuer"]) : std::nullopt;
  if (decoded->kid.empty()) {
    r.Fail(kCheckKeyResolution, "the vc+jwt header has no \"kid\" naming the issuer's key");
    r.Set(kCheckProofPurpose, CheckStatus::kSkipped, "no key to check");
    r.Set(kCheckProof, CheckStatus::kSkipped, "no key to verify with");
  } else {
    auto key = ResolveKey(ctx, decoded->kid, did::Relationship::kAssertionMethod);
    std::string why;
    if (!key.ok() && key.status().code() == StatusCode::kPermissionDenied) {
      r.Pass(kCheckKeyResolution, fmt::format("{} resolved", decoded->kid));
      r.Fail(kCheckProofPurpose, std::string(key.status().message()));
      r.Set(kCheckProof, CheckStatus::kSkipped, "the key is not authorized for assertionMethod");
    } else if (!key.ok()) {
      r.Fail(kCheckKeyResolution,
             fmt::format("cannot resolve {}: {}", decoded->kid, key.status().message()));
      r.Set(kCheckProofPurpose, CheckStatus::kSkipped, "no key to check");
      r.Set(kCheckProof, CheckStatus::kSkipped, "no key to verify with");
    } else if (!ControlledBy(decoded->kid, issuer, &why, "issuer")) {
      r.Fail(kCheckKeyResolution, why);
      r.Pass(kCheckProofPurpose, "the key is listed under assertionMethod");
      r.Set(kCheckProof, CheckStatus::kSkipped, "the key does not belong to the issuer");
    } else {
      r.Pass(kCheckKeyResolution,
             fmt::format("{} resolved; controlled by the issuer", decoded->kid));
      r.Pass(kCheckProofPurpose, "the key is listed under assertionMethod");
      Status s = VerifyJwtSignature(jwt, Envelope::kCredential, *key, &decoded->header);
      s.ok() ? r.Pass(kCheckProof,
                      fmt::format("vc+jwt {} signature verified", decoded->header.value("alg", "")))
             : r.Fail(kCheckProof, std::string(s.message()));
    }
  }
  DocumentChecks(doc, ctx, limits, decoded->nbf, decoded->exp, r, depth);
  SecuredCredential sc;
  sc.document = &doc;
  sc.jwt = jwt;
  FillSlots(ctx, sc, r);
  return r;
}

VerificationReport VerifyJwtCredential(std::string_view jwt, const VerifierContext& ctx,
                                       const VerifyLimits& limits, int depth) {
  return VerifyDecodedJwt(jwt, DecodeJwt(jwt, Envelope::kCredential, limits.max_bytes), ctx, limits,
                          depth);
}

// `precomputed`: see VerifyOptions::jcs_document_without_proof, rdfc_document_without_proof
// and secured_is_complete. `json_text`: the text `doc` was parsed from, when there is one;
// `skeleton`: `doc` is the fast path's skeleton rather than the whole document; `canonical`:
// see SecuredCredential::canonical.
VerificationReport VerifyJsonCredential(const json& doc, const VerifierContext& ctx,
                                        const VerifyLimits& limits, int depth,
                                        const VerifyOptions* precomputed = nullptr,
                                        std::string_view json_text = {}, bool skeleton = false,
                                        std::string_view canonical = {}) {
  if (doc.is_object() && doc.contains("type")) {
    auto env = UnwrapEnvelope(doc, Envelope::kCredential);
    if (env.ok()) return VerifyJwtCredential(*env, ctx, limits, depth);
  }
  VerificationReport r;
  std::vector<Problem> problems = ValidateCredential(doc);
  if (!problems.empty()) {
    r.Fail(kCheckStructure, Summarize(problems), problems.front().pointer);
    for (auto& p : problems) r.AddProblem(p);
  } else {
    r.Pass(kCheckStructure, "a well-formed credential");
  }
  if (!doc.is_object()) {
    SkipCredentialChecks(r, "not a JSON object");
    return r;
  }
  VerifyOptions vo;
  vo.expected_proof_purpose = "assertionMethod";
  vo.allowed_cryptosuites = limits.allowed_cryptosuites;
  vo.now = ctx.clock->Now();
  if (precomputed != nullptr) {
    vo.jcs_document_without_proof = precomputed->jcs_document_without_proof;
    vo.rdfc_document_without_proof = precomputed->rdfc_document_without_proof;
    vo.secured_is_complete = precomputed->secured_is_complete;
  }
  std::vector<ProofResult> results = doc.contains("proof")
                                         ? VerifyProofs(doc, ProofKeyLookup(ctx), vo)
                                         : std::vector<ProofResult>{};
  auto issuer = doc.contains("issuer") ? PartyId(doc["issuer"]) : std::nullopt;
  ReportProofs(results, issuer, "issuer", r);
  DocumentChecks(doc, ctx, limits, std::nullopt, std::nullopt, r, depth);
  SecuredCredential sc;
  sc.document = &doc;
  sc.json_text = json_text;
  sc.full_json = skeleton ? nullptr : &doc;
  sc.canonical = canonical;
  FillSlots(ctx, sc, r);
  return r;
}

// The fast path (vc/internal/fast_path.h): returns the report only when the credential
// verifies; nullopt sends the caller down the full path, which decides every other outcome.
// The checks the skeleton cannot serve are left to the full path too: schema validation
// (which reads the whole document) and enveloped credentials.
bool SchemaCheckNeeded(const json& skeleton, const VerifierContext& ctx) {
  return ctx.schemas != nullptr && skeleton.contains("credentialSchema");
}

std::optional<VerificationReport> FastVerifyJwt(std::string_view jwt, const VerifierContext& ctx,
                                                const VerifyLimits& limits) {
  Result<DecodedJwt> decoded = internal::DecodeJwtSkeleton(jwt, limits.max_bytes);
  if (!decoded.ok() || SchemaCheckNeeded(decoded->document, ctx)) return std::nullopt;
  VerificationReport r = VerifyDecodedJwt(jwt, decoded, ctx, limits, 0);
  if (!r.verified()) return std::nullopt;
  return r;
}

// What the proofs of `skeleton` transform the document with, when all of them agree: JCS, or
// RDFC-1.0 with SHA-256 inside (for some key type: a P-384 ecdsa-rdfc-2019 proof then fails on
// the fast path and goes to the full one). The fast path precomputes that canonical document;
// for anything else (no suite, mixed suites) it would only add work.
enum class ProofTransform { kJcs, kRdfcSha256, kOther };

ProofTransform TransformOfProofs(const json& proof_member) {
  auto of = [](const json& p) {
    if (!p.is_object()) return ProofTransform::kOther;
    auto name = p.find("cryptosuite");
    if (name == p.end()) name = p.find("type");
    if (name == p.end() || !name->is_string()) return ProofTransform::kOther;
    const Cryptosuite* suite = FindCryptosuite(name->get_ref<const std::string&>());
    if (suite == nullptr) return ProofTransform::kOther;
    if (suite->TransformsWithJcs()) return ProofTransform::kJcs;
    for (jose::KeyType type :
         {jose::KeyType::kEd25519, jose::KeyType::kP256, jose::KeyType::kP384}) {
      if (suite->AcceptsKeyType(type) && suite->TransformsWithRdfcSha256(type)) {
        return ProofTransform::kRdfcSha256;
      }
    }
    return ProofTransform::kOther;
  };
  if (!proof_member.is_array()) return of(proof_member);
  if (proof_member.empty()) return ProofTransform::kOther;
  const ProofTransform first = of(proof_member.front());
  for (const json& p : proof_member) {
    if (of(p) != first) return ProofTransform::kOther;
  }
  return first;
}

// `doc`: `input` as parsed by codec::FastJson.
std::optional<VerificationReport> FastVerifyJson(std::string_view input, const codec::FastJson& doc,
                                                 const VerifierContext& ctx,
                                                 const VerifyLimits& limits) {
  if (!doc.root().is_object()) return std::nullopt;
  const json skeleton = internal::CredentialSkeleton(doc.root());
  if (SchemaCheckNeeded(skeleton, ctx)) return std::nullopt;
  if (UnwrapEnvelope(skeleton, Envelope::kCredential).ok()) return std::nullopt;
  std::optional<std::string> canonical;
  std::string whole;
  VerifyOptions precomputed;
  if (auto proof = skeleton.find("proof"); proof != skeleton.end()) {
    switch (TransformOfProofs(*proof)) {
      case ProofTransform::kJcs:
        if (ctx.slots != nullptr) {
          // The slot checker digests the whole document: one pass gives both forms.
          auto c = codec::CanonicalizeFastSplit(doc.root(), "proof");
          if (!c.ok()) return std::nullopt;
          canonical = c->Without();
          whole = std::move(c->canonical);
        } else {
          auto c = codec::CanonicalizeFast(doc.root(), "proof");
          if (!c.ok()) return std::nullopt;
          canonical = std::move(c).value();
        }
        precomputed.jcs_document_without_proof = &*canonical;
        break;
      case ProofTransform::kRdfcSha256:
        canonical = RdfcTransformIfDirect(doc.root(), "proof");
        if (!canonical) return std::nullopt;
        precomputed.rdfc_document_without_proof = &*canonical;
        break;
      case ProofTransform::kOther:
        return std::nullopt;
    }
  }
  VerificationReport r = VerifyJsonCredential(
      skeleton, ctx, limits, 0, canonical ? &precomputed : nullptr, input, true, whole);
  if (!r.verified()) return std::nullopt;
  return r;
}

Result<json> ParseLimited(std::string_view input, const VerifyLimits& limits) {
  codec::JsonLimits jl;
  jl.max_bytes = limits.max_bytes;
  jl.max_depth = limits.max_depth;
  return codec::ParseJson(input, jl);
}

// Whether `value` nests arrays and objects more than `limit` levels deep (the parser's limit,
// for trees that did not come through it).
bool DeeperThan(const json& value, size_t limit, size_t depth = 0) {
  if (!value.is_structured()) return false;
  if (depth >= limit) return true;
  for (const json& child : value) {
    if (DeeperThan(child, limit, depth + 1)) return true;
  }
  return false;
}

VerificationReport UnparseableReport(const Status& s, bool presentation) {
  VerificationReport r;
  r.Fail(kCheckStructure, std::string(s.message()));
  if (presentation) {
    SkipRemaining(r,
                  {kCheckProof, kCheckKeyResolution, kCheckProofPurpose, kCheckChallenge,
                   kCheckDomain, kCheckHolder, kCheckCredentials},
                  "the document could not be parsed");
  } else {
    SkipCredentialChecks(r, "the document could not be parsed");
  }
  return r;
}

}  // namespace

std::string DidOfUrl(std::string_view did_url) {
  size_t cut = did_url.find_first_of("#?/");
  // A DID's method-specific id may not contain '/', but "did:web:x" paths use ':' so this holds.
  return std::string(did_url.substr(0, cut));
}

std::optional<std::string> PartyId(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_object()) {
    auto it = value.find("id");
    if (it != value.end() && it->is_string()) return it->get<std::string>();
  }
  return std::nullopt;
}

VerificationReport VerifyCredentialText(std::string_view input, const VerifierContext& ctx,
                                        const VerifyLimits& limits) {
  if (input.size() > limits.max_bytes) {
    return UnparseableReport(
        ResourceExhaustedError(fmt::format("the document is {} bytes; the limit is {}",
                                           input.size(), limits.max_bytes)),
        false);
  }
  if (!LooksLikeJson(input)) {
    const std::string_view jwt = Trim(input);
    if (limits.fast_path) {
      if (auto r = FastVerifyJwt(jwt, ctx, limits)) return *std::move(r);
    }
    return VerifyJwtCredential(jwt, ctx, limits, 0);
  }
  if (limits.fast_path) {
    codec::JsonLimits jl;
    jl.max_bytes = limits.max_bytes;
    jl.max_depth = limits.max_depth;
    Result<codec::FastJson> fast = codec::FastJson::Parse(input, jl);
    if (fast.ok()) {
      if (auto r = FastVerifyJson(input, *fast, ctx, limits)) return *std::move(r);
      // The full path starts from the same parse: simdjson accepts exactly what ParseJson
      // accepts, and building the tree from its document costs a fraction of nlohmann's lexer
      // (which RDF-canonicalized proofs, always sent down the full path, would otherwise pay).
      return VerifyJsonCredential(codec::ToJson(fast->root()), ctx, limits, 0, nullptr, input);
    }
  }
  auto doc = ParseLimited(input, limits);
  if (!doc.ok()) return UnparseableReport(doc.status(), false);
  return VerifyJsonCredential(*doc, ctx, limits, 0, nullptr, input);
}

VerificationReport VerifyCredential(const json& credential, const VerifierContext& ctx,
                                    const VerifyLimits& limits) {
  return VerifyJsonCredential(credential, ctx, limits, 0);
}

bool PresentationReport::verified() const {
  if (!presentation.verified()) return false;
  for (const auto& c : credentials) {
    if (!c.verified()) return false;
  }
  return true;
}

json PresentationReport::ToJson() const {
  json out = presentation.ToJson();
  out["verified"] = verified();
  json creds = json::array();
  for (const auto& c : credentials) creds.push_back(c.ToJson());
  out["credentials"] = std::move(creds);
  return out;
}

namespace {

// A presentation already parsed (`doc`), or decoded from the vp+jwt `jwt` with its "nonce" and
// "aud" claims.
PresentationReport VerifyPresentationDocument(
    const json& doc, const std::optional<std::string>& jwt,
    const std::optional<std::string>& jwt_nonce, const std::optional<std::string>& jwt_aud,
    const VerifierContext& ctx, const PresentationExpectations& expect, const VerifyLimits& limits);

}  // namespace

PresentationReport VerifyPresentationText(std::string_view input, const VerifierContext& ctx,
                                          const PresentationExpectations& expect,
                                          const VerifyLimits& limits) {
  PresentationReport out;
  if (input.size() > limits.max_bytes) {
    out.presentation = UnparseableReport(
        ResourceExhaustedError(fmt::format("the document is {} bytes; the limit is {}",
                                           input.size(), limits.max_bytes)),
        true);
    return out;
  }
  if (LooksLikeJson(input)) {
    auto parsed = ParseLimited(input, limits);
    if (!parsed.ok()) {
      out.presentation = UnparseableReport(parsed.status(), true);
      return out;
    }
    return VerifyPresentationDocument(*parsed, std::nullopt, std::nullopt, std::nullopt, ctx,
                                      expect, limits);
  }
  const std::string jwt(Trim(input));
  auto decoded = DecodeJwt(jwt, Envelope::kPresentation, limits.max_bytes);
  if (!decoded.ok()) {
    out.presentation = UnparseableReport(decoded.status(), true);
    return out;
  }
  const json& doc = decoded->document;
  std::optional<std::string> jwt_nonce, jwt_aud;
  if (auto n = doc.find("nonce"); n != doc.end() && n->is_string()) {
    jwt_nonce = n->get<std::string>();
  }
  if (auto a = doc.find("aud"); a != doc.end() && a->is_string()) jwt_aud = a->get<std::string>();
  return VerifyPresentationDocument(doc, jwt, jwt_nonce, jwt_aud, ctx, expect, limits);
}

PresentationReport VerifyPresentation(const json& presentation, const VerifierContext& ctx,
                                      const PresentationExpectations& expect,
                                      const VerifyLimits& limits) {
  if (presentation.is_string()) {
    return VerifyPresentationText(presentation.get_ref<const std::string&>(), ctx, expect, limits);
  }
  if (presentation.is_object() &&
      presentation.value("type", json()) == "EnvelopedVerifiablePresentation") {
    auto jwt = UnwrapEnvelope(presentation, Envelope::kPresentation);
    if (!jwt.ok()) {
      PresentationReport out;
      out.presentation = UnparseableReport(jwt.status(), true);
      return out;
    }
    return VerifyPresentationText(*jwt, ctx, expect, limits);
  }
  if (DeeperThan(presentation, limits.max_depth)) {
    PresentationReport out;
    out.presentation =
        UnparseableReport(InvalidArgumentError(fmt::format(
                              "the document is nested deeper than {} levels", limits.max_depth)),
                          true);
    return out;
  }
  return VerifyPresentationDocument(presentation, std::nullopt, std::nullopt, std::nullopt, ctx,
                                    expect, limits);
}

namespace {

PresentationReport VerifyPresentationDocument(const json& doc,
                                              const std::optional<std::string>& jwt,
                                              const std::optional<std::string>& jwt_nonce,
                                              const std::optional<std::string>& jwt_aud,
                                              const VerifierContext& ctx,
                                              const PresentationExpectations& expect,
                                              const VerifyLimits& limits) {
  PresentationReport out;
  VerificationReport& r = out.presentation;
  // The enclosed credentials, verified where they sit in the parsed presentation (no copies).
  std::vector<const json*> creds;
  if (doc.is_object() && doc.contains("verifiableCredential")) {
    const json& vcs = doc["verifiableCredential"];
    if (vcs.is_array()) {
      creds.reserve(vcs.size());
      for (const json& c : vcs) creds.push_back(&c);
    } else {
      creds.push_back(&vcs);
    }
  }
  // Each embedded credential's RFC 8785 form, computed once for up to three readers: the
  // holder's JCS proof (whose canonical presentation contains it verbatim), the credential's
  // own JCS proofs (which sign it without its "proof": a cut of the same bytes) and the slot
  // checker (which digests it whole).
  const auto jcs_proofs = [](const json& secured) {
    auto proof = secured.find("proof");
    return proof != secured.end() && TransformOfProofs(*proof) == ProofTransform::kJcs;
  };
  const bool holder_jcs =
      limits.fast_path && jwt == std::nullopt && doc.is_object() && jcs_proofs(doc);
  std::vector<std::optional<codec::CanonicalWithMember>> canonical(creds.size());
  std::vector<bool> own_jcs(creds.size(), false);  // the credential's own proofs are JCS ones
  for (size_t i = 0; limits.fast_path && i < creds.size(); ++i) {
    const json& c = *creds[i];
    if (!c.is_object()) continue;
    own_jcs[i] = jcs_proofs(c);
    if (!(holder_jcs || ctx.slots != nullptr || own_jcs[i])) continue;
    auto split = codec::CanonicalizeSplit(c, "proof");
    // A credential JCS cannot write fails its own checks with the reason further on.
    if (split.ok()) canonical[i] = std::move(split).value();
  }
  std::vector<Problem> problems = ValidatePresentation(doc);
  if (!problems.empty()) {
    r.Fail(kCheckStructure, Summarize(problems), problems.front().pointer);
    for (auto& p : problems) r.AddProblem(p);
  } else {
    r.Pass(kCheckStructure, "a well-formed presentation");
  }
  auto holder = doc.is_object() && doc.contains("holder") ? PartyId(doc["holder"]) : std::nullopt;
  std::optional<std::string> got_challenge, got_domain;
  if (jwt) {
    got_challenge = jwt_nonce;
    got_domain = jwt_aud;
    auto decoded = DecodeJwt(*jwt, Envelope::kPresentation, limits.max_bytes);
    std::string kid = decoded.ok() ? decoded->kid : "";
    auto key = kid.empty()
                   ? Result<jose::PublicKey>(InvalidArgumentError("no \"kid\" in the vp+jwt"))
                   : ResolveKey(ctx, kid, did::Relationship::kAuthentication);
    std::string why;
    if (!key.ok()) {
      bool purpose = key.status().code() == StatusCode::kPermissionDenied;
      purpose ? r.Pass(kCheckKeyResolution, kid + " resolved")
              : r.Fail(kCheckKeyResolution, std::string(key.status().message()));
      purpose ? r.Fail(kCheckProofPurpose, std::string(key.status().message()))
              : r.Set(kCheckProofPurpose, CheckStatus::kSkipped, "no key to check");
      r.Set(kCheckProof, CheckStatus::kSkipped, "no usable key");
    } else {
      r.Pass(kCheckKeyResolution, kid + " resolved");
      r.Pass(kCheckProofPurpose, "the key is listed under authentication");
      Status s = VerifyJwtSignature(*jwt, Envelope::kPresentation, *key);
      s.ok() ? r.Pass(kCheckProof, "vp+jwt signature verified")
             : r.Fail(kCheckProof, std::string(s.message()));
    }
    ControlledBy(kid, holder, &why, "holder")
        ? r.Pass(kCheckHolder, "the holder controls the signing key")
        : r.Fail(kCheckHolder, why.empty() ? "no key" : why, "/holder");
  } else if (doc.is_object()) {
    VerifyOptions vo;
    vo.expected_proof_purpose = "authentication";
    vo.expected_challenge = expect.challenge;
    vo.expected_domain = expect.domain;
    vo.allowed_cryptosuites = limits.allowed_cryptosuites;
    vo.now = ctx.clock->Now();
    std::string presentation_canonical;
    if (holder_jcs) {
      std::vector<codec::KnownCanonical> known;
      known.reserve(creds.size());
      for (size_t i = 0; i < creds.size(); ++i) {
        if (canonical[i]) known.push_back({creds[i], canonical[i]->canonical});
      }
      auto c = codec::CanonicalizeWithout(doc, "proof", known);
      if (c.ok()) {
        presentation_canonical = std::move(c).value();
        vo.jcs_document_without_proof = &presentation_canonical;
        vo.secured_is_complete = true;
      }
    }
    std::vector<ProofResult> results = doc.contains("proof")
                                           ? VerifyProofs(doc, ProofKeyLookup(ctx), vo)
                                           : std::vector<ProofResult>{};
    ReportProofs(results, holder, "holder", r);
    // ReportProofs folds the holder binding into key-resolution; give it its own line too.
    const Check* kr = r.Find(kCheckKeyResolution);
    if (kr && kr->status == CheckStatus::kPass) {
      r.Pass(kCheckHolder, "the holder controls the proof key");
    } else {
      r.Fail(kCheckHolder, kr ? kr->reason : "no proof", "/holder");
    }
    // Challenge and domain as written in the proof(s).
    const json& proofs = doc.contains("proof") ? doc["proof"] : json();
    auto first_string = [&](const char* name) -> std::optional<std::string> {
      auto one = [&](const json& p) -> std::optional<std::string> {
        if (p.is_object() && p.contains(name) && p[name].is_string())
          return p[name].get<std::string>();
        return std::nullopt;
      };
      if (proofs.is_object()) return one(proofs);
      if (proofs.is_array()) {
        for (const auto& p : proofs) {
          if (auto v = one(p)) return v;
        }
      }
      return std::nullopt;
    };
    got_challenge = first_string("challenge");
    got_domain = first_string("domain");
  }
  auto check_binding = [&](std::string_view name, const std::optional<std::string>& want,
                           const std::optional<std::string>& got) {
    if (!want) {
      got ? r.Set(
                name, CheckStatus::kSkipped,
                fmt::format("the presentation carries {} \"{}\" but none was expected", name, *got),
                "", /*required=*/false)
          : r.NotApplicable(name, fmt::format("no {} was required", name));
    } else if (!got) {
      r.Fail(name, fmt::format("the presentation carries no {}; expected \"{}\"", name, *want));
    } else if (*got != *want) {
      r.Fail(name, fmt::format("{} \"{}\" does not match the expected \"{}\"", name, *got, *want));
    } else {
      r.Pass(name, fmt::format("{} matches", name));
    }
  };
  check_binding(kCheckChallenge, expect.challenge, got_challenge);
  check_binding(kCheckDomain, expect.domain, got_domain);
  size_t failed = 0;
  out.credentials.reserve(creds.size());
  for (size_t i = 0; i < creds.size(); ++i) {
    const json& c = *creds[i];
    if (!canonical[i]) {
      out.credentials.push_back(VerifyJsonCredential(c, ctx, limits, 0));
    } else {
      VerifyOptions precomputed;
      precomputed.secured_is_complete = true;
      std::string without;
      if (own_jcs[i]) {
        without = canonical[i]->Without();
        precomputed.jcs_document_without_proof = &without;
      }
      out.credentials.push_back(VerifyJsonCredential(c, ctx, limits, 0, &precomputed, {}, false,
                                                     canonical[i]->canonical));
    }
    if (!out.credentials.back().verified()) ++failed;
  }
  if (creds.empty()) {
    r.NotApplicable(kCheckCredentials, "the presentation encloses no credentials");
  } else if (failed == 0) {
    r.Pass(kCheckCredentials, fmt::format("all {} enclosed credentials verified", creds.size()));
  } else {
    r.Fail(kCheckCredentials,
           fmt::format("{} of {} enclosed credentials failed verification", failed, creds.size()),
           "/verifiableCredential");
  }
  return out;
}

}  // namespace
}  // namespace traceport::vc
