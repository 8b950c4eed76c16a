#include "vc/data_integrity.h"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <exception>
#include <map>
#include <utility>

#include "codec/json.h"
#include "codec/multibase.h"
#include "did/document.h"
#include "vc/cryptosuite.h"

namespace traceport::vc {
namespace {

using nlohmann::json;

constexpr std::string_view kProof = "proof";
constexpr std::string_view kContext = "@context";

// Member `name` of `object` if it is a string, else nullptr. `object` must be an object.
const std::string* StringMember(const json& object, std::string_view name) {
  auto it = object.find(name);
  if (it == object.end() || !it->is_string()) return nullptr;
  return &it->get_ref<const std::string&>();
}

// The proofs of a document in order: its "proof" object, or the elements of its "proof" array.
// Pointers into `document`.
struct ProofList {
  std::vector<const json*> proofs;
  bool present = false;
};

// InvalidArgument unless "proof" is absent, an object, or an array (of anything: elements are
// judged one by one by the caller).
Result<ProofList> CollectProofs(const json& document) {
  ProofList out;
  auto it = document.find(kProof);
  if (it == document.end()) return out;
  out.present = true;
  if (it->is_object()) {
    out.proofs.push_back(&*it);
  } else if (it->is_array()) {
    for (const json& p : *it) out.proofs.push_back(&p);
  } else {
    return InvalidArgumentError(fmt::format(
        "proof must be an object or an array of objects, got {}", codec::JsonTypeName(*it)));
  }
  return out;
}

// The document with "proof" replaced by `previous` (an array, in document order), or without
// "proof" when `previous` is empty: what a proof signs (Data Integrity §4.3 and §4.5).
json InputDocument(const json& document, const std::vector<const json*>& previous) {
  json input = document;
  input.erase(std::string(kProof));
  if (!previous.empty()) {
    json array = json::array();
    for (const json* p : previous) array.push_back(*p);
    input[std::string(kProof)] = std::move(array);
  }
  return input;
}

// Indices of the proofs (objects with a string id) whose id is `id`.
std::vector<size_t> ProofsWithId(const std::vector<const json*>& proofs, const std::string& id) {
  std::vector<size_t> out;
  for (size_t i = 0; i < proofs.size(); ++i) {
    if (!proofs[i]->is_object()) continue;
    const std::string* pid = StringMember(*proofs[i], "id");
    if (pid != nullptr && *pid == id) out.push_back(i);
  }
  return out;
}

Status CheckRfc3339(const json& proof, std::string_view name, std::optional<Time>* out) {
  auto it = proof.find(name);
  if (it == proof.end()) return Status::Ok();
  if (!it->is_string()) {
    return InvalidArgumentError(
        fmt::format("{} must be a string, got {}", name, codec::JsonTypeName(*it)));
  }
  auto t = ParseRfc3339(it->get_ref<const std::string&>());
  if (!t.ok()) {
    return InvalidArgumentError(fmt::format("{} \"{}\" is not a usable RFC 3339 date-time: {}",
                                            name, it->get_ref<const std::string&>(),
                                            t.status().message()));
  }
  if (out != nullptr) *out = *t;
  return Status::Ok();
}

Status CheckOptionalString(const json& proof, std::string_view name) {
  auto it = proof.find(name);
  if (it == proof.end() || it->is_string()) return Status::Ok();
  return InvalidArgumentError(
      fmt::format("{} must be a string, got {}", name, codec::JsonTypeName(*it)));
}

Status CheckRequiredString(const json& proof, std::string_view name) {
  auto it = proof.find(name);
  if (it == proof.end()) return InvalidArgumentError(fmt::format("proof has no {}", name));
  if (!it->is_string()) {
    return InvalidArgumentError(
        fmt::format("{} must be a string, got {}", name, codec::JsonTypeName(*it)));
  }
  if (it->get_ref<const std::string&>().empty()) {
    return InvalidArgumentError(fmt::format("{} is empty", name));
  }
  return Status::Ok();
}

// JSON-LD allows a context to be a string (IRI), an object, null, or an array of those.
bool WellFormedContext(const json& context) {
  auto scalar_ok = [](const json& c) { return c.is_string() || c.is_object() || c.is_null(); };
  if (scalar_ok(context)) return true;
  if (!context.is_array()) return false;
  return std::all_of(context.begin(), context.end(), scalar_ok);
}

// Everything the structure stage learns that later stages need.
struct ParsedProof {
  const Cryptosuite* suite = nullptr;
  std::vector<uint8_t> proof_bytes;
  std::optional<Time> expires;
  std::vector<size_t> previous;  // indices of the proofs named by previousProof, document order
};

// The structure stage for proof `index` of `proofs`. On success fills `parsed`.
// Whether the @context value `document` starts with every value of `proof`, in order (Data
// Integrity "verify proof", step 4.1; a single value counts as a list of one).
bool StartsWith(const json& document, const json& proof) {
  auto items = [](const json& v) {
    std::vector<const json*> out;
    if (v.is_array()) {
      for (const json& e : v) out.push_back(&e);
    } else {
      out.push_back(&v);
    }
    return out;
  };
  const std::vector<const json*> d = items(document);
  const std::vector<const json*> p = items(proof);
  if (p.size() > d.size()) return false;
  for (size_t i = 0; i < p.size(); ++i) {
    if (*p[i] != *d[i]) return false;
  }
  return true;
}

Status CheckStructure(const json& document, const std::vector<const json*>& proofs, size_t index,
                      const VerifyOptions& options, ParsedProof* parsed) {
  const json& proof = *proofs[index];
  if (!proof.is_object()) {
    return InvalidArgumentError(
        fmt::format("proof must be an object, got {}", codec::JsonTypeName(proof)));
  }

  RETURN_IF_ERROR(CheckRequiredString(proof, "type"));
  const std::string& type = *StringMember(proof, "type");
  std::string suite_name;
  if (type == kDataIntegrityProofType) {
    RETURN_IF_ERROR(CheckRequiredString(proof, "cryptosuite"));
    suite_name = *StringMember(proof, "cryptosuite");
    parsed->suite = FindCryptosuite(suite_name);
    if (parsed->suite == nullptr || parsed->suite->proof_type() != kDataIntegrityProofType) {
      return InvalidArgumentError(fmt::format("cryptosuite \"{}\" is not supported", suite_name));
    }
  } else {
    // A legacy Linked Data Proof names its suite by its type.
    suite_name = type;
    parsed->suite = FindCryptosuite(type);
    if (parsed->suite == nullptr || parsed->suite->proof_type() != type) {
      return InvalidArgumentError(
          fmt::format("type is \"{}\", expected \"{}\" or a supported legacy proof type", type,
                      kDataIntegrityProofType));
    }
  }
  if (!options.allowed_cryptosuites.empty() &&
      std::find(options.allowed_cryptosuites.begin(), options.allowed_cryptosuites.end(),
                suite_name) == options.allowed_cryptosuites.end()) {
    return InvalidArgumentError(
        fmt::format("cryptosuite \"{}\" is not allowed by the verifier", suite_name));
  }

  RETURN_IF_ERROR(CheckRequiredString(proof, "verificationMethod"));
  RETURN_IF_ERROR(CheckRequiredString(proof, "proofPurpose"));

  const std::string value_member(parsed->suite->proof_value_member());
  auto value = proof.find(value_member);
  if (value == proof.end()) return InvalidArgumentError("proof has no " + value_member);
  if (!value->is_string()) {
    return InvalidArgumentError(
        fmt::format("{} must be a string, got {}", value_member, codec::JsonTypeName(*value)));
  }
  ASSIGN_OR_RETURN(parsed->proof_bytes,
                   parsed->suite->DecodeProofValue(value->get_ref<const std::string&>()));

  RETURN_IF_ERROR(CheckRfc3339(proof, "created", nullptr));
  RETURN_IF_ERROR(CheckRfc3339(proof, "expires", &parsed->expires));
  RETURN_IF_ERROR(CheckOptionalString(proof, "id"));
  RETURN_IF_ERROR(CheckOptionalString(proof, "challenge"));
  RETURN_IF_ERROR(CheckOptionalString(proof, "nonce"));
  if (auto domain = proof.find("domain"); domain != proof.end()) {
    const bool ok =
        domain->is_string() ||
        (domain->is_array() && !domain->empty() &&
         std::all_of(domain->begin(), domain->end(), [](const json& d) { return d.is_string(); }));
    if (!ok) return InvalidArgumentError("domain must be a string or a non-empty string array");
  }

  if (auto context = proof.find(kContext); context != proof.end()) {
    auto doc_context = document.find(kContext);
    if (doc_context == document.end()) {
      return InvalidArgumentError("proof has an @context but the document has none");
    }
    if (!StartsWith(*doc_context, *context)) {
      return InvalidArgumentError(
          "the document's @context does not start with the proof's @context (the same values "
          "in the same order)");
    }
  }

  if (auto prev = proof.find("previousProof"); prev != proof.end()) {
    std::vector<std::string> ids;
    if (prev->is_string()) {
      ids.push_back(prev->get<std::string>());
    } else if (prev->is_array() && !prev->empty()) {
      for (const json& e : *prev) {
        if (!e.is_string()) {
          return InvalidArgumentError("previousProof array must hold only strings");
        }
        ids.push_back(e.get<std::string>());
      }
    } else {
      return InvalidArgumentError("previousProof must be a string or a non-empty string array");
    }
    const std::string* own_id = StringMember(proof, "id");
    for (size_t k = 0; k < ids.size(); ++k) {
      const std::string& id = ids[k];
      if (std::find(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(k), id) !=
          ids.begin() + static_cast<std::ptrdiff_t>(k)) {
        return InvalidArgumentError(fmt::format("previousProof lists \"{}\" twice", id));
      }
      if (own_id != nullptr && *own_id == id) {
        return InvalidArgumentError(fmt::format("previousProof \"{}\" names the proof itself", id));
      }
      const std::vector<size_t> matches = ProofsWithId(proofs, id);
      if (matches.empty()) {
        return InvalidArgumentError(
            fmt::format("previousProof \"{}\" matches no proof in the document", id));
      }
      if (matches.size() > 1) {
        return InvalidArgumentError(fmt::format(
            "previousProof \"{}\" is ambiguous: {} proofs have that id", id, matches.size()));
      }
      parsed->previous.push_back(matches[0]);
    }
    std::sort(parsed->previous.begin(), parsed->previous.end());
  }
  return Status::Ok();
}

Status CheckPurpose(const json& proof, const ParsedProof& parsed, const VerifyOptions& options) {
  const std::string& purpose = *StringMember(proof, "proofPurpose");
  if (options.expected_proof_purpose && purpose != *options.expected_proof_purpose) {
    return PermissionDeniedError(fmt::format("proofPurpose is \"{}\", the verifier expects \"{}\"",
                                             purpose, *options.expected_proof_purpose));
  }
  if (options.expected_challenge) {
    const std::string* challenge = StringMember(proof, "challenge");
    if (challenge == nullptr) {
      return PermissionDeniedError("proof has no challenge, the verifier expects one");
    }
    if (*challenge != *options.expected_challenge) {
      return PermissionDeniedError(
          fmt::format("challenge \"{}\" does not match the expected \"{}\"", *challenge,
                      *options.expected_challenge));
    }
  }
  if (options.expected_domain) {
    auto domain = proof.find("domain");
    if (domain == proof.end()) {
      return PermissionDeniedError("proof has no domain, the verifier expects one");
    }
    // As a set: a string, or an array whose members are all the expected domain.
    const bool match = domain->is_string()
                           ? domain->get_ref<const std::string&>() == *options.expected_domain
                           : std::all_of(domain->begin(), domain->end(), [&](const json& d) {
                               return d.get_ref<const std::string&>() == *options.expected_domain;
                             });
    if (!match) {
      return PermissionDeniedError(fmt::format("domain {} does not match the expected \"{}\"",
                                               domain->dump(), *options.expected_domain));
    }
  }
  if (parsed.expires) {
    const Time now = options.now ? *options.now : SystemClock().Now();
    if (now >= *parsed.expires) {
      return PermissionDeniedError(
          fmt::format("proof expired at {}", *StringMember(proof, "expires")));
    }
  }
  return Status::Ok();
}

Result<jose::PublicKey> LookUpKey(const KeyLookup& lookup, const std::string& method,
                                  const std::string& purpose) {
  if (!lookup) return FailedPreconditionError("no key lookup was given");
  try {
    return lookup(method, purpose);
  } catch (const std::exception& e) {
    return InternalError(fmt::format("key lookup threw: {}", e.what()));
  } catch (...) {
    return InternalError("key lookup threw a non-standard exception");
  }
}

void Fail(Stage& stage, std::string reason) {
  stage.status = StageStatus::kFail;
  stage.reason = std::move(reason);
}

void Pass(Stage& stage, std::string note = "") {
  stage.status = StageStatus::kPass;
  stage.reason = std::move(note);
}

ProofResult DocumentFailure(std::string reason) {
  ProofResult r;
  Fail(r.structure, std::move(reason));
  return r;
}

// The chain stage: a proof with previousProof verifies only if every proof it names verifies.
// Proofs are resolved in dependency order (Kahn's algorithm), so long chains need no recursion;
// whatever is left unresolved depends on a cycle.
void ResolveChains(std::vector<ProofResult>& results, const std::vector<ParsedProof>& parsed,
                   const std::vector<bool>& has_previous) {
  const size_t n = results.size();
  std::vector<size_t> waiting(n, 0);
  std::vector<std::vector<size_t>> dependents(n);
  std::deque<size_t> ready;
  for (size_t i = 0; i < n; ++i) {
    waiting[i] = parsed[i].previous.size();
    for (size_t q : parsed[i].previous) dependents[q].push_back(i);
    if (waiting[i] == 0) ready.push_back(i);
  }
  std::vector<bool> resolved(n, false);
  while (!ready.empty()) {
    const size_t i = ready.front();
    ready.pop_front();
    resolved[i] = true;
    ProofResult& r = results[i];
    if (has_previous[i] && r.signature.passed()) {
      std::string failed;
      for (size_t q : parsed[i].previous) {
        if (!results[q].verified()) {
          failed = results[q].id;
          break;
        }
      }
      if (failed.empty()) {
        Pass(r.chain, "every previous proof verified");
      } else {
        Fail(r.chain, fmt::format("previous proof \"{}\" did not verify", failed));
      }
    }
    for (size_t d : dependents[i]) {
      if (--waiting[d] == 0) ready.push_back(d);
    }
  }
  for (size_t i = 0; i < n; ++i) {
    if (!resolved[i] && results[i].signature.passed()) {
      Fail(results[i].chain, "previousProof references lead into a cycle");
    }
  }
}

Result<HashData> HashOf(Result<ProofIntermediates> intermediates) {
  if (!intermediates.ok()) return intermediates.status();
  return std::move(intermediates->hash);
}

std::vector<ProofResult> VerifyProofsImpl(const json& secured, const KeyLookup& lookup,
                                          const VerifyOptions& options) {
  if (!secured.is_object()) {
    return {DocumentFailure(
        fmt::format("document must be a JSON object, got {}", codec::JsonTypeName(secured)))};
  }
  auto list = CollectProofs(secured);
  if (!list.ok()) return {DocumentFailure(std::string(list.status().message()))};
  const std::vector<const json*>& proofs = list->proofs;
  if (!list->present) return {DocumentFailure("document has no proof")};
  if (proofs.empty()) return {DocumentFailure("proof array is empty")};
  if (proofs.size() > options.max_proofs) {
    return {DocumentFailure(fmt::format("document has {} proofs; the verifier accepts at most {}",
                                        proofs.size(), options.max_proofs))};
  }
  if (auto context = secured.find(kContext);
      context != secured.end() && !WellFormedContext(*context)) {
    return {DocumentFailure("document @context must be a string, an object or an array of them")};
  }

  std::vector<ProofResult> results(proofs.size());
  std::vector<ParsedProof> parsed(proofs.size());
  std::vector<bool> has_previous(proofs.size(), false);
  for (size_t i = 0; i < proofs.size(); ++i) {
    ProofResult& r = results[i];
    const json& proof = *proofs[i];
    r.index = i;
    if (proof.is_object()) {
      if (const std::string* s = StringMember(proof, "id")) r.id = *s;
      if (const std::string* s = StringMember(proof, "cryptosuite")) {
        r.cryptosuite = *s;
      } else if (const std::string* t = StringMember(proof, "type");
                 t != nullptr && *t != kDataIntegrityProofType) {
        r.cryptosuite = *t;  // a legacy suite is named by its proof type
      }
      if (const std::string* s = StringMember(proof, "verificationMethod")) {
        r.verification_method = *s;
      }
      if (const std::string* s = StringMember(proof, "proofPurpose")) r.proof_purpose = *s;
      has_previous[i] = proof.contains("previousProof");
    }

    if (Status s = CheckStructure(secured, proofs, i, options, &parsed[i]); !s.ok()) {
      Fail(r.structure, std::string(s.message()));
      parsed[i].previous.clear();
      continue;
    }
    Pass(r.structure);

    if (Status s = CheckPurpose(proof, parsed[i], options); !s.ok()) {
      Fail(r.purpose, std::string(s.message()));
      continue;
    }
    Pass(r.purpose);

    const Cryptosuite& suite = *parsed[i].suite;
    auto key = LookUpKey(lookup, r.verification_method, r.proof_purpose);
    if (!key.ok()) {
      Fail(r.key_resolution, fmt::format("verification method \"{}\" could not be resolved: {}",
                                         r.verification_method, key.status().ToString()));
      continue;
    }
    if (!suite.AcceptsKeyType(key->type())) {
      Fail(r.key_resolution,
           fmt::format("verification method \"{}\" is a {} key, which {} does not accept",
                       r.verification_method, KeyTypeDisplayName(key->type()), suite.name()));
      continue;
    }
    Pass(r.key_resolution, std::string(KeyTypeDisplayName(key->type())) + " key");

    json proof_options = proof;
    proof_options.erase(std::string(suite.proof_value_member()));
    Result<HashData> hash = InternalError("not computed");
    // Step 4.2 of "verify proof": the document is hashed with the proof's @context, which may
    // be a prefix of the document's own.
    const auto proof_context = proof.find(kContext);
    const auto document_context = secured.find(kContext);
    const bool replace_context =
        proof_context != proof.end() &&
        (document_context == secured.end() || *proof_context != *document_context);
    // What the caller precomputed (the verifier's fast path) and whether this proof can use it.
    const std::string* precomputed = nullptr;
    if (!replace_context && parsed[i].previous.empty()) {
      if (suite.TransformsWithJcs()) {
        precomputed = options.jcs_document_without_proof;
      } else if (suite.TransformsWithRdfcSha256(key->type())) {
        precomputed = options.rdfc_document_without_proof;
      }
    }
    const bool partial =
        !options.secured_is_complete && (options.jcs_document_without_proof != nullptr ||
                                         options.rdfc_document_without_proof != nullptr);
    if (partial && precomputed == nullptr) {
      // The caller's `secured` may be a partial tree (the verifier's fast path): it must never
      // be hashed. Failing here sends the caller to its full path.
      hash = FailedPreconditionError("this proof cannot use the precomputed canonical document");
    } else if (replace_context) {
      std::vector<const json*> previous;
      for (size_t q : parsed[i].previous) previous.push_back(proofs[q]);
      json input = InputDocument(secured, previous);
      input[std::string(kContext)] = *proof_context;
      hash = HashOf(ComputeProofIntermediates(suite, input, proof_options, key->type()));
    } else if (precomputed != nullptr) {
      hash = ProofHashFromCanonical(suite, *precomputed, secured, proof_options, key->type());
    } else if (parsed[i].previous.empty()) {
      // The common case: the proof covers the document without "proof"; no copy is made.
      hash = HashOf(ComputeProofIntermediatesOfSecured(suite, secured, proof_options, key->type()));
    } else {
      std::vector<const json*> previous;
      for (size_t q : parsed[i].previous) previous.push_back(proofs[q]);
      const json input = InputDocument(secured, previous);
      hash = HashOf(ComputeProofIntermediates(suite, input, proof_options, key->type()));
    }
    if (!hash.ok()) {
      Fail(r.signature, std::string(hash.status().message()));
      continue;
    }
    if (Status s = suite.VerifyProof(hash->bytes, parsed[i].proof_bytes, *key); !s.ok()) {
      Fail(r.signature, std::string(s.message()));
      continue;
    }
    Pass(r.signature);
  }
  ResolveChains(results, parsed, has_previous);
  return results;
}

Result<json> AddProofImpl(const json& document, const ProofOptions& options,
                          const jose::PrivateKey& key) {
  if (!document.is_object()) {
    return InvalidArgumentError(fmt::format("add proof: document must be a JSON object, got {}",
                                            codec::JsonTypeName(document)));
  }
  const Cryptosuite* suite = FindCryptosuite(options.cryptosuite);
  if (suite == nullptr) {
    return UnimplementedError(
        fmt::format("add proof: cryptosuite \"{}\" is not supported", options.cryptosuite));
  }
  if (!suite->CanCreate() || suite->proof_type() != kDataIntegrityProofType) {
    return UnimplementedError(
        fmt::format("add proof: {} proofs are verified, not created; sign with a Data Integrity "
                    "cryptosuite",
                    suite->name()));
  }
  if (!suite->AcceptsKeyType(key.type())) {
    return InvalidArgumentError(fmt::format("add proof: {} does not accept a {} key", suite->name(),
                                            KeyTypeDisplayName(key.type())));
  }
  if (options.verification_method.empty()) {
    return InvalidArgumentError("add proof: verification method is empty");
  }
  if (options.proof_purpose.empty())
    return InvalidArgumentError("add proof: proof purpose is empty");
  if (!options.created.empty()) {
    if (auto t = ParseRfc3339(options.created); !t.ok()) {
      return InvalidArgumentError(fmt::format("add proof: created: {}", t.status().message()));
    }
  }
  if (options.expires) {
    if (auto t = ParseRfc3339(*options.expires); !t.ok()) {
      return InvalidArgumentError(fmt::format("add proof: expires: {}", t.status().message()));
    }
  }

  if (auto context = document.find(kContext);
      context != document.end() && !WellFormedContext(*context)) {
    return InvalidArgumentError(
        "add proof: document @context must be a string, an object or an array of them");
  }
  auto list = CollectProofs(document);
  if (!list.ok()) return list.status().WithContext("add proof");
  const std::vector<const json*>& existing = list->proofs;
  for (const json* p : existing) {
    if (!p->is_object()) {
      return InvalidArgumentError("add proof: every existing proof must be an object");
    }
  }
  if (options.id) {
    if (options.id->empty()) return InvalidArgumentError("add proof: id is empty");
    if (!ProofsWithId(existing, *options.id).empty()) {
      return AlreadyExistsError(
          fmt::format("add proof: a proof with id \"{}\" already exists", *options.id));
    }
  }
  std::vector<size_t> previous;
  for (size_t k = 0; k < options.previous_proof.size(); ++k) {
    const std::string& id = options.previous_proof[k];
    if (std::find(options.previous_proof.begin(),
                  options.previous_proof.begin() + static_cast<std::ptrdiff_t>(k),
                  id) != options.previous_proof.begin() + static_cast<std::ptrdiff_t>(k)) {
      return InvalidArgumentError(fmt::format("add proof: previousProof lists \"{}\" twice", id));
    }
    const std::vector<size_t> matches = ProofsWithId(existing, id);
    if (matches.empty()) {
      return NotFoundError(
          fmt::format("add proof: previousProof \"{}\" matches no existing proof", id));
    }
    if (matches.size() > 1) {
      return FailedPreconditionError(
          fmt::format("add proof: previousProof \"{}\" is ambiguous: {} proofs have that id", id,
                      matches.size()));
    }
    previous.push_back(matches[0]);
  }
  std::sort(previous.begin(), previous.end());

  json proof = json::object();
  proof["type"] = kDataIntegrityProofType;
  proof["cryptosuite"] = suite->name();
  if (!options.created.empty()) proof["created"] = options.created;
  if (options.expires) proof["expires"] = *options.expires;
  proof["verificationMethod"] = options.verification_method;
  proof["proofPurpose"] = options.proof_purpose;
  if (options.id) proof["id"] = *options.id;
  if (options.challenge) proof["challenge"] = *options.challenge;
  if (options.domain) proof["domain"] = *options.domain;
  if (options.nonce) proof["nonce"] = *options.nonce;
  if (options.previous_proof.size() == 1) {
    proof["previousProof"] = options.previous_proof[0];
  } else if (options.previous_proof.size() > 1) {
    proof["previousProof"] = options.previous_proof;
  }
  if (suite->ProofCarriesContext()) {
    if (auto context = document.find(kContext); context != document.end()) {
      proof[std::string(kContext)] = *context;
    }
  }

  std::vector<const json*> previous_proofs;
  for (size_t q : previous) previous_proofs.push_back(existing[q]);
  const json input = InputDocument(document, previous_proofs);
  ASSIGN_OR_RETURN(ProofIntermediates intermediates,
                   ComputeProofIntermediates(*suite, input, proof, key.type()));
  ASSIGN_OR_RETURN(std::vector<uint8_t> signature,
                   suite->SerializeProof(intermediates.hash.bytes, key));
  proof["proofValue"] = codec::MultibaseEncode(codec::Multibase::kBase58Btc, signature);

  json output = document;
  output.erase(std::string(kProof));
  if (existing.empty()) {
    output[std::string(kProof)] = std::move(proof);
  } else {
    json all = json::array();
    for (const json* p : existing) all.push_back(*p);
    all.push_back(std::move(proof));
    output[std::string(kProof)] = std::move(all);
  }
  return output;
}

}  // namespace

std::string_view StageStatusName(StageStatus status) {
  switch (status) {
    case StageStatus::kSkipped:
      return "skipped";
    case StageStatus::kPass:
      return "pass";
    case StageStatus::kFail:
      return "fail";
  }
  return "unknown";
}

bool ProofResult::verified() const {
  return structure.passed() && purpose.passed() && key_resolution.passed() && signature.passed() &&
         !chain.failed();
}

std::string ProofResult::failure() const {
  const std::pair<std::string_view, const Stage*> stages[] = {
      {"structure", &structure}, {"purpose", &purpose}, {"key-resolution", &key_resolution},
      {"signature", &signature}, {"chain", &chain},
  };
  for (const auto& [name, stage] : stages) {
    if (stage->failed()) return fmt::format("{}: {}", name, stage->reason);
  }
  return verified() ? "" : "not verified";
}

Result<json> AddProof(const json& document, const ProofOptions& options,
                      const jose::PrivateKey& key) {
  try {
    return AddProofImpl(document, options, key);
  } catch (const std::exception& e) {
    // Only allocation failure can get here; nothing in the algorithm throws on bad input.
    return InternalError(fmt::format("add proof: {}", e.what()));
  }
}

namespace {

Result<did::Relationship> PurposeRelationship(std::string_view purpose) {
  auto relationship = did::ParseRelationship(purpose);
  if (!relationship.ok()) {
    return PermissionDeniedError(fmt::format(
        "proof purpose \"{}\" is not a verification relationship this verifier knows", purpose));
  }
  return relationship;
}

}  // namespace

KeyLookup ResolverKeyLookup(did::Resolver& resolver) {
  return [&resolver](std::string_view method, std::string_view purpose) -> Result<jose::PublicKey> {
    ASSIGN_OR_RETURN(did::Relationship relationship, PurposeRelationship(purpose));
    return did::ResolvePublicKey(resolver, method, &relationship);
  };
}

KeyLookup CachedKeyLookup(did::KeyCache& cache) {
  return [&cache](std::string_view method, std::string_view purpose) -> Result<jose::PublicKey> {
    ASSIGN_OR_RETURN(did::Relationship relationship, PurposeRelationship(purpose));
    return cache.ResolvePublicKey(method, &relationship);
  };
}

std::vector<ProofResult> VerifyProofs(const json& secured, const KeyLookup& lookup,
                                      const VerifyOptions& options) {
  try {
    return VerifyProofsImpl(secured, lookup, options);
  } catch (const std::exception& e) {
    return {DocumentFailure(fmt::format("verification aborted: {}", e.what()))};
  }
}

bool AllProofsVerified(const std::vector<ProofResult>& results) {
  return !results.empty() && std::all_of(results.begin(), results.end(),
                                         [](const ProofResult& r) { return r.verified(); });
}

}  // namespace traceport::vc
