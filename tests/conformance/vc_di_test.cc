// Data Integrity cryptosuites against the W3C specifications' test vectors
// (../shared/conformance/vc-di-eddsa and vc-di-ecdsa; conformance guide §4):
//   conformance vc-di-eddsa-jcs     eddsa-jcs-2022
//   conformance vc-di-ecdsa-jcs     ecdsa-jcs-2019 with P-256 and with P-384
//   conformance vc-di-eddsa-rdfc    eddsa-rdfc-2022 (alumni and employment vectors) and the
//                                   proof-set-chain vectors (signed with eddsa-rdfc-2022)
//   conformance vc-di-ecdsa-rdfc    ecdsa-rdfc-2019 with P-256 and P-384 (both vectors each;
//                                   P-384 canonicalizes with SHA-384 inside RDFC-1.0)
//   conformance vc-di-ed25519-2020  the legacy Ed25519Signature2020 vector (verification only:
//                                   Traceport does not create legacy proofs)
//
// The RDF vectors' contexts come from ../shared/conformance/jsonld-contexts (url-map.json),
// served by a loader that refuses every other URL.
//
// For each vector folder: the secret multikey decodes to the published public key; the
// canonical document, canonical proof configuration, both hashes and the combined hash are
// reproduced byte for byte; the signature is reproduced (Ed25519 is deterministic) or the given
// one verifies (ECDSA is randomized); the proofValue encodes it; AddProof recreates the signed
// document (exactly for Ed25519, up to the proofValue for ECDSA, whose fresh signature must
// verify); the signed document verifies through a did:key resolver; and each derived mutation
// of the signed document (guide §4 "negative tests to derive") fails verification at the
// expected stage.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "codec/hex.h"
#include "codec/json.h"
#include "codec/multibase.h"
#include "codec/multicodec.h"
#include "common/testing/conformance.h"
#include "common/testing/fake_random.h"
#include "did/resolver.h"
#include "jose/key.h"
#include "jsonld/document_loader.h"
#include "jsonld/error.h"
#include "vc/cryptosuite.h"
#include "vc/data_integrity.h"

namespace traceport::vc {
namespace {

using nlohmann::json;
using testing::SuiteCounter;

struct VectorSpec {
  std::string folder;    // relative to the suite's TestVectors/
  std::string suffix;    // file-name suffix <T>
  std::string key_file;  // relative to TestVectors/
  std::string secret_member;
  jose::KeyType key_type;
  std::string unsigned_file = "unsigned.json";  // relative to TestVectors/
};

// Serves the contexts of ../shared/conformance/jsonld-contexts (url-map.json) and nothing else.
class VectorContextLoader final : public jsonld::DocumentLoader {
 public:
  static Result<std::unique_ptr<VectorContextLoader>> Open(const std::filesystem::path& dir) {
    ASSIGN_OR_RETURN(std::string text, testing::ReadFile(dir / "url-map.json"));
    ASSIGN_OR_RETURN(json map, codec::ParseJson(text));
    auto loader = std::make_unique<VectorContextLoader>();
    for (const auto& [url, file] : map.items()) {
      if (url.rfind("http", 0) != 0 || !file.is_string()) continue;
      ASSIGN_OR_RETURN(std::string body, testing::ReadFile(dir / file.get<std::string>()));
      ASSIGN_OR_RETURN(json doc, codec::ParseJson(body));
      loader->docs_.emplace(url, std::make_shared<const json>(std::move(doc)));
    }
    return loader;
  }

  Result<jsonld::RemoteDocument> Load(std::string_view url) const override {
    auto it = docs_.find(std::string(url));
    if (it == docs_.end()) {
      return jsonld::JsonLdError("loading remote context failed",
                                 "not in the vector context bundle: " + std::string(url));
    }
    return jsonld::RemoteDocument{it->first, it->second};
  }

 private:
  std::map<std::string, std::shared_ptr<const json>> docs_;
};

// Points the RDF suites at the vector bundle for the life of the test binary.
bool UseVectorContexts(SuiteCounter& counter) {
  static const VectorContextLoader* loader = []() -> const VectorContextLoader* {
    auto dir = testing::ConformanceDir("jsonld-contexts");
    if (!dir) return nullptr;
    auto opened = VectorContextLoader::Open(*dir);
    return opened.ok() ? opened->release() : nullptr;
  }();
  if (loader == nullptr) {
    counter.Fail("jsonld-contexts: the vector context bundle could not be loaded");
    return false;
  }
  SetContextLoader(loader);
  return true;
}

bool IsRdfc(std::string_view suite) { return suite != kEddsaJcs2022 && suite != kEcdsaJcs2019; }
bool IsLegacy(std::string_view suite) { return suite == kEd25519Signature2020; }

Result<std::string> Text(const std::filesystem::path& p) { return testing::ReadFile(p); }

// Hex and base58 files: the value without surrounding whitespace.
Result<std::string> Token(const std::filesystem::path& p) {
  ASSIGN_OR_RETURN(std::string s, testing::ReadFile(p));
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return std::string();
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

Result<json> Json(const std::filesystem::path& p) {
  ASSIGN_OR_RETURN(std::string s, testing::ReadFile(p));
  return codec::ParseJson(s);
}

// A secret multikey: "z" + base58btc(varint(ed25519-priv | p256-priv | p384-priv) ‖ secret).
Result<jose::PrivateKey> DecodeSecretMultikey(std::string_view text) {
  ASSIGN_OR_RETURN(std::vector<uint8_t> bytes,
                   codec::MultibaseDecodeAs(codec::Multibase::kBase58Btc, text));
  ASSIGN_OR_RETURN(codec::Multicodec mc, codec::SplitMulticodec(bytes));
  switch (mc.code) {
    case codec::MulticodecCode::kEd25519Priv:
      return jose::PrivateKey::FromRaw(jose::KeyType::kEd25519, mc.payload);
    case codec::MulticodecCode::kP256Priv:
      return jose::PrivateKey::FromRaw(jose::KeyType::kP256, mc.payload);
    case codec::MulticodecCode::kP384Priv:
      return jose::PrivateKey::FromRaw(jose::KeyType::kP384, mc.payload);
    default:
      return InvalidArgumentError(std::string("not a secret key multicodec: ") +
                                  std::string(codec::MulticodecName(mc.code)));
  }
}

// ProofOptions equal to a vector's proofConfig (its @context is added by AddProof).
ProofOptions OptionsFrom(const json& config) {
  ProofOptions o;
  // A legacy proof has no cryptosuite; its type names the suite.
  o.cryptosuite = config.value("cryptosuite", config.value("type", ""));
  o.verification_method = config.value("verificationMethod", "");
  o.proof_purpose = config.value("proofPurpose", "");
  o.created = config.value("created", "");
  return o;
}

// The stage a proof failed at ("structure", "purpose", "key-resolution", "signature",
// "chain"), or "" when every proof verified.
std::string FailedStage(const std::vector<ProofResult>& results) {
  for (const ProofResult& r : results) {
    if (r.verified()) continue;
    const std::string f = r.failure();
    return f.substr(0, f.find(':'));
  }
  return "";
}

struct Mutation {
  std::string name;
  std::function<void(json&)> mutate;
  std::set<std::string> stages;  // where verification must fail
  std::function<void(VerifyOptions&)> options = nullptr;
  bool wrong_curve_key = false;  // resolve every method to a key of another curve
};

// One character changed: the last character before `from_end` characters from the end.
std::string OneCharChanged(std::string s, size_t from_end = 0) {
  if (s.size() <= from_end) return s + "x";
  char& c = s[s.size() - 1 - from_end];
  c = c == 'a' ? 'b' : (c == '8' ? '9' : (c == 'Z' ? 'Y' : 'a'));
  return s;
}

std::string ProofValue(const json& doc) { return doc["proof"]["proofValue"].get<std::string>(); }

// The proofValue of `doc` with the first (or last) bit of its decoded bytes flipped.
std::string FlipBit(const json& doc, bool last) {
  const std::string value = ProofValue(doc);
  auto bytes = codec::MultibaseDecodeAs(codec::Multibase::kBase58Btc, value);
  if (!bytes.ok() || bytes->empty()) return value + "1";
  if (last) {
    bytes->back() ^= 0x80;
  } else {
    bytes->front() ^= 0x01;
  }
  return codec::MultibaseEncode(codec::Multibase::kBase58Btc, *bytes);
}

std::vector<Mutation> JcsMutations(std::string_view suite) {
  // A suite for the other key family: the resolved key does not fit it.
  const bool eddsa = suite.rfind("eddsa", 0) == 0 || suite == kEd25519Signature2020;
  const std::string other_suite(eddsa ? kEcdsaJcs2019 : kEddsaJcs2022);
  return {
      {"proofValue first bit flipped",
       [](json& d) { d["proof"]["proofValue"] = FlipBit(d, false); },
       {"signature"}},
      {"proofValue last bit flipped",
       [](json& d) { d["proof"]["proofValue"] = FlipBit(d, true); },
       {"signature"}},
      {"credential name (or id) changed",
       [](json& d) {
         const char* member = d.contains("name") ? "name" : "id";
         d[member] = OneCharChanged(d[member].get<std::string>());
       },
       {"signature"}},
      {"a credentialSubject value changed",
       [](json& d) {
         json& subject = d["credentialSubject"];
         for (auto& [k, v] : subject.items()) {
           if (k != "id" && v.is_string()) {
             v = OneCharChanged(v.get<std::string>());
             return;
           }
         }
         subject["id"] = OneCharChanged(subject["id"].get<std::string>());
       },
       {"signature"}},
      {"issuer changed",
       [](json& d) {
         json& issuer = d["issuer"].is_object() ? d["issuer"]["id"] : d["issuer"];
         issuer = OneCharChanged(issuer.get<std::string>());
       },
       {"signature"}},
      {"created changed",
       [](json& d) {
         d["proof"]["created"] = OneCharChanged(d["proof"]["created"].get<std::string>(), 1);
       },
       {"signature"}},
      {"verificationMethod changed",
       [](json& d) {
         d["proof"]["verificationMethod"] =
             OneCharChanged(d["proof"]["verificationMethod"].get<std::string>());
       },
       {"key-resolution"}},
      {"proofPurpose changed",
       [](json& d) {
         d["proof"]["proofPurpose"] = OneCharChanged(d["proof"]["proofPurpose"].get<std::string>());
       },
       {"purpose"}},
      // A purpose the did:key document authorizes, and a verifier that accepts any purpose:
      // only the signature can catch it.
      {"proofPurpose changed to authentication",
       [](json& d) { d["proof"]["proofPurpose"] = "authentication"; },
       {"signature"},
       [](VerifyOptions& o) { o.expected_proof_purpose.reset(); }},
      {"cryptosuite changed",
       [](json& d) {
         d["proof"]["cryptosuite"] = OneCharChanged(d["proof"]["cryptosuite"].get<std::string>());
       },
       {"structure"}},
      {"wrong cryptosuite",
       [=](json& d) { d["proof"]["cryptosuite"] = other_suite; },
       {"key-resolution"}},
      {"type not DataIntegrityProof",
       [](json& d) { d["proof"]["type"] = "Ed25519Signature2099"; },
       {"structure"}},
      {"key of the wrong curve", [](json&) {}, {"key-resolution", "signature"}, nullptr, true},
      {"proofValue base64url instead of base58btc",
       [](json& d) {
         auto bytes = codec::MultibaseDecodeAs(codec::Multibase::kBase58Btc, ProofValue(d));
         d["proof"]["proofValue"] = codec::MultibaseEncode(codec::Multibase::kBase64Url, *bytes);
       },
       {"structure"}},
      // Without the prefix the text usually no longer starts with 'z' (structure); when the
      // base58 text itself starts with 'z' it decodes to a shorter value (signature).
      {"proofValue without multibase prefix",
       [](json& d) { d["proof"]["proofValue"] = ProofValue(d).substr(1); },
       {"structure", "signature"}},
      {"proofValue one byte short",
       [](json& d) {
         auto bytes = *codec::MultibaseDecodeAs(codec::Multibase::kBase58Btc, ProofValue(d));
         bytes.pop_back();
         d["proof"]["proofValue"] = codec::MultibaseEncode(codec::Multibase::kBase58Btc, bytes);
       },
       {"signature"}},
      {"proof @context shortened (a prefix of the document's, so the hashes change)",
       [](json& d) { d["proof"]["@context"].erase(1); },
       {"signature"}},
      {"document @context not starting with the proof's",
       [](json& d) { d["@context"].erase(0); },
       {"structure"}},
      {"@context changed in document and proof",
       [](json& d) {
         d["@context"].erase(1);
         d["proof"]["@context"].erase(1);
       },
       {"signature"}},
      {"member added to the proof", [](json& d) { d["proof"]["nonce"] = "1234"; }, {"signature"}},
      {"expected challenge missing",
       [](json&) {},
       {"purpose"},
       [](VerifyOptions& o) { o.expected_challenge = "challenge-1"; }},
      {"expected domain missing",
       [](json&) {},
       {"purpose"},
       [](VerifyOptions& o) { o.expected_domain = "verifier.example"; }},
      {"proof removed", [](json& d) { d.erase("proof"); }, {"structure"}},
  };
}

// The JCS list adapted to the RDF suites, whose proofs carry no @context (the proof
// configuration takes the document's) and, for the legacy suite, no cryptosuite.
std::vector<Mutation> Mutations(std::string_view suite) {
  if (!IsRdfc(suite)) return JcsMutations(suite);
  std::vector<Mutation> out;
  for (Mutation& m : JcsMutations(suite)) {
    const bool about_proof_context = m.name.find("@context") != std::string::npos;
    const bool about_cryptosuite = m.name.find("cryptosuite") != std::string::npos;
    const bool about_type = m.name.rfind("type not", 0) == 0;
    if (about_proof_context || about_type || (about_cryptosuite && IsLegacy(suite))) continue;
    out.push_back(std::move(m));
  }
  // The same key type with JCS in place of RDF canonicalization: other hashes.
  const std::string jcs_twin(suite == kEcdsaRdfc2019 ? kEcdsaJcs2019 : kEddsaJcs2022);
  if (!IsLegacy(suite)) {
    out.push_back({"JCS suite named in place of the RDFC suite",
                   [=](json& d) { d["proof"]["cryptosuite"] = jcs_twin; },
                   {"signature"}});
    out.push_back({"type not DataIntegrityProof",
                   [](json& d) { d["proof"]["type"] = "Ed25519Signature2099"; },
                   {"structure"}});
    // A legacy type the verifier knows: other proof configuration, or a key it cannot use.
    out.push_back({"type changed to the legacy Ed25519Signature2020",
                   [](json& d) { d["proof"]["type"] = "Ed25519Signature2020"; },
                   {"key-resolution", "signature"}});
  } else {
    out.push_back({"type changed to DataIntegrityProof (no cryptosuite)",
                   [](json& d) { d["proof"]["type"] = "DataIntegrityProof"; },
                   {"structure"}});
  }
  out.push_back({"last document context removed (terms expand differently or not at all)",
                 [](json& d) { d["@context"].erase(d["@context"].size() - 1); },
                 {"signature"}});
  out.push_back({"context not in the pinned registry",
                 [](json& d) { d["@context"].push_back("https://contexts.example/unknown/v1"); },
                 {"signature"}});
  return out;
}

// Runs one vector folder; every check is recorded in `counter`.
void RunVector(const std::filesystem::path& vectors, const VectorSpec& spec,
               std::string_view suite_name, SuiteCounter& counter) {
  const std::filesystem::path dir = vectors / spec.folder;
  const std::string& t = spec.suffix;
  auto record = [&](bool ok, const std::string& check, const std::string& detail = "") {
    counter.Record(ok, spec.folder + ": " + check + (detail.empty() ? "" : ": " + detail));
  };
  auto unsigned_doc = Json(vectors / spec.unsigned_file);
  auto config = Json(dir / ("proofConfig" + t + ".json"));
  auto signed_doc = Json(dir / ("signed" + t + ".json"));
  auto keys = Json(vectors / spec.key_file);
  if (!unsigned_doc.ok() || !config.ok() || !signed_doc.ok() || !keys.ok()) {
    record(false, "load", "missing or malformed vector files");
    return;
  }
  const Cryptosuite* suite = FindCryptosuite(suite_name);
  if (suite == nullptr) {
    record(false, "suite", "not registered");
    return;
  }

  // Keys: the secret multikey belongs to the published public key, which the vector's
  // verification method names.
  const std::string public_multikey = keys->value("publicKeyMultibase", "");
  auto key = DecodeSecretMultikey(keys->value(spec.secret_member, ""));
  auto public_key = jose::PublicKey::FromMultikey(public_multikey);
  const bool key_ok = key.ok() && public_key.ok() && key->type() == spec.key_type &&
                      key->public_key() == *public_key &&
                      config->value("verificationMethod", "") ==
                          "did:key:" + public_multikey + "#" + public_multikey;
  record(key_ok, "secret multikey matches the public key and verification method",
         key.ok() ? "" : key.status().ToString());
  if (!key_ok) return;

  // The pipeline, value by value.
  auto im = ComputeProofIntermediates(*suite, *unsigned_doc, *config, spec.key_type);
  if (!im.ok()) {
    record(false, "intermediates", im.status().ToString());
    return;
  }
  auto expect_text = [&](const std::string& file, const std::string& got, bool exact) {
    auto want = exact ? Text(dir / file) : Token(dir / file);
    record(want.ok() && *want == got, file, want.ok() ? "got " + got : want.status().ToString());
  };
  expect_text("canonDoc" + t + ".txt", im->canonical_document, true);
  expect_text("proofCanon" + t + ".txt", im->canonical_proof_config, true);
  expect_text("docHash" + t + ".txt", codec::HexEncode(im->hash.document_hash), false);
  expect_text("proofHash" + t + ".txt", codec::HexEncode(im->hash.proof_config_hash), false);
  expect_text("combinedHash" + t + ".txt", codec::HexEncode(im->hash.bytes), false);

  auto sig_hex = Token(dir / ("sigHex" + t + ".txt"));
  auto sig_b58 = Token(dir / ("sigBTC58" + t + ".txt"));
  auto given_sig =
      sig_hex.ok() ? codec::HexDecode(*sig_hex) : Result<std::vector<uint8_t>>(sig_hex.status());
  if (!given_sig.ok() || !sig_b58.ok()) {
    record(false, "signature files", "unreadable");
    return;
  }
  const std::string signed_value =
      signed_doc->contains("proof") && (*signed_doc)["proof"].is_object()
          ? (*signed_doc)["proof"].value("proofValue", "")
          : "";
  // The published proofValue encodes the published signature and is the signed document's.
  record(codec::MultibaseEncode(codec::Multibase::kBase58Btc, *given_sig) == *sig_b58 &&
             *sig_b58 == signed_value,
         "sigBTC58 = z + base58btc(sigHex) = signed proofValue");
  // The published signature verifies over the reproduced hash data.
  Status given_ok = suite->VerifyProof(im->hash.bytes, *given_sig, *public_key);
  record(given_ok.ok(), "sigHex verifies over combinedHash", given_ok.ToString());

  auto own_sig = suite->SerializeProof(im->hash.bytes, *key);
  if (spec.key_type == jose::KeyType::kEd25519) {
    // Deterministic: the signature and the whole signed document are reproduced exactly.
    record(own_sig.ok() && *own_sig == *given_sig, "Ed25519 signature reproduced",
           own_sig.ok() ? codec::HexEncode(*own_sig) : own_sig.status().ToString());
  } else {
    record(own_sig.ok() && suite->VerifyProof(im->hash.bytes, *own_sig, *public_key).ok(),
           "fresh ECDSA signature over combinedHash verifies");
  }

  did::DefaultResolver resolver({}, nullptr, nullptr);
  const KeyLookup lookup = ResolverKeyLookup(resolver);

  auto added = AddProof(*unsigned_doc, OptionsFrom(*config), *key);
  if (IsLegacy(suite_name)) {
    // Legacy suites are verified, never created.
    record(!added.ok() && added.status().code() == StatusCode::kUnimplemented,
           "AddProof refuses to create a legacy proof", added.status().ToString());
  } else if (!added.ok()) {
    record(false, "AddProof", added.status().ToString());
  } else if (spec.key_type == jose::KeyType::kEd25519) {
    record(*added == *signed_doc, "AddProof reproduces the signed document", added->dump());
  } else {
    json mine = (*added)["proof"];
    json theirs = (*signed_doc)["proof"];
    mine.erase("proofValue");
    theirs.erase("proofValue");
    json added_rest = *added;
    json signed_rest = *signed_doc;
    added_rest.erase("proof");
    signed_rest.erase("proof");
    auto results = VerifyProofs(*added, lookup);
    record(mine == theirs && added_rest == signed_rest && AllProofsVerified(results),
           "AddProof matches the signed document and its fresh proof verifies",
           results.empty() ? "" : results[0].failure());
  }

  auto results = VerifyProofs(*signed_doc, lookup);
  record(AllProofsVerified(results), "signed document verifies",
         results.empty() ? "" : results[0].failure());

  // Derived negative cases: each must fail, at the stage named.
  testing::FakeRandom rng(2024);
  const jose::KeyType other_curve = spec.key_type == jose::KeyType::kEd25519 ? jose::KeyType::kP256
                                    : spec.key_type == jose::KeyType::kP256  ? jose::KeyType::kP384
                                                                             : jose::KeyType::kP256;
  const jose::PublicKey wrong_key = jose::PrivateKey::Generate(other_curve, rng)->public_key();
  const KeyLookup wrong_lookup = [&](std::string_view, std::string_view) {
    return Result<jose::PublicKey>(wrong_key);
  };
  for (const Mutation& m : Mutations(suite_name)) {
    json doc = *signed_doc;
    m.mutate(doc);
    VerifyOptions options;
    if (m.options) m.options(options);
    auto r = VerifyProofs(doc, m.wrong_curve_key ? wrong_lookup : lookup, options);
    const std::string stage = FailedStage(r);
    const bool ok = !AllProofsVerified(r) && m.stages.count(stage) != 0;
    record(ok, "negative: " + m.name,
           r.empty() ? "no result" : (stage.empty() ? "verified" : r[0].failure()));
  }
}

// Proofs in the proof-set-chain vectors (eddsa-rdfc-2022): each must verify.
void RunProofSetChain(const std::filesystem::path& dir, SuiteCounter& counter) {
  did::DefaultResolver resolver({}, nullptr, nullptr);
  const KeyLookup lookup = ResolverKeyLookup(resolver);
  for (const char* name : {"signedProofSet1.json", "signedProofSet2.json", "signedProofChain1.json",
                           "signedProofChain2.json"}) {
    auto doc = Json(dir / name);
    if (!doc.ok() || !doc->contains("proof")) {
      counter.Fail(std::string("proof-set-chain/") + name + ": unreadable");
      continue;
    }
    for (const ProofResult& r : VerifyProofs(*doc, lookup)) {
      counter.Record(r.verified(), std::string("proof-set-chain/") + name + " proof " +
                                       std::to_string(r.index) + ": " + r.failure());
    }
  }
}

TEST(VcDiJcsConformance, EddsaJcs2022) {
  TRACEPORT_CONFORMANCE_DIR_OR_SKIP(dir, "vc-di-eddsa-jcs", "vc-di-eddsa");
  SuiteCounter counter("vc-di-eddsa-jcs");
  const std::filesystem::path vectors = dir / "TestVectors";
  RunVector(
      vectors,
      {"eddsa-jcs-2022", "JCS", "keyPair.json", "privateKeyMultibase", jose::KeyType::kEd25519},
      kEddsaJcs2022, counter);
  counter.Print();
  EXPECT_GT(counter.passed(), 0u);
  EXPECT_EQ(counter.failed(), 0u);
}

TEST(VcDiJcsConformance, EcdsaJcs2019) {
  TRACEPORT_CONFORMANCE_DIR_OR_SKIP(dir, "vc-di-ecdsa-jcs", "vc-di-ecdsa");
  SuiteCounter counter("vc-di-ecdsa-jcs");
  const std::filesystem::path vectors = dir / "TestVectors";
  RunVector(vectors,
            {"ecdsa-jcs-2019-p256", "JCSECDSAP256", "p256KeyPair.json", "secretKeyMultibase",
             jose::KeyType::kP256},
            kEcdsaJcs2019, counter);
  RunVector(vectors,
            {"ecdsa-jcs-2019-p384", "JCSECDSAP384", "p384KeyPair.json", "secretKeyMultibase",
             jose::KeyType::kP384},
            kEcdsaJcs2019, counter);
  counter.Print();
  EXPECT_GT(counter.passed(), 0u);
  EXPECT_EQ(counter.failed(), 0u);
}

TEST(VcDiRdfcConformance, EddsaRdfc2022) {
  TRACEPORT_CONFORMANCE_DIR_OR_SKIP(dir, "vc-di-eddsa-rdfc", "vc-di-eddsa");
  SuiteCounter counter("vc-di-eddsa-rdfc");
  if (UseVectorContexts(counter)) {
    const std::filesystem::path vectors = dir / "TestVectors";
    RunVector(vectors,
              {"eddsa-rdfc-2022", "DataInt", "keyPair.json", "privateKeyMultibase",
               jose::KeyType::kEd25519},
              kEddsaRdfc2022, counter);
    RunVector(vectors,
              {"eddsa-rdfc-2022/employ", "DataInt", "keyPair.json", "privateKeyMultibase",
               jose::KeyType::kEd25519, "employmentAuth.json"},
              kEddsaRdfc2022, counter);
    RunProofSetChain(vectors / "proof-set-chain", counter);
  }
  counter.Print();
  EXPECT_GT(counter.passed(), 0u);
  EXPECT_EQ(counter.failed(), 0u);
}

TEST(VcDiRdfcConformance, EcdsaRdfc2019) {
  TRACEPORT_CONFORMANCE_DIR_OR_SKIP(dir, "vc-di-ecdsa-rdfc", "vc-di-ecdsa");
  SuiteCounter counter("vc-di-ecdsa-rdfc");
  if (UseVectorContexts(counter)) {
    const std::filesystem::path vectors = dir / "TestVectors";
    for (const auto& [curve, key_type] : {std::pair{std::string("P256"), jose::KeyType::kP256},
                                          std::pair{std::string("P384"), jose::KeyType::kP384}}) {
      const std::string lower = curve == "P256" ? "p256" : "p384";
      for (const auto& [sub, unsigned_file] :
           {std::pair{std::string(""), std::string("unsigned.json")},
            std::pair{std::string("/employ"), std::string("employmentAuth.json")}}) {
        RunVector(vectors,
                  {"ecdsa-rdfc-2019-" + lower + sub, "ECDSA" + curve, lower + "KeyPair.json",
                   "secretKeyMultibase", key_type, unsigned_file},
                  kEcdsaRdfc2019, counter);
      }
    }
  }
  counter.Print();
  EXPECT_GT(counter.passed(), 0u);
  EXPECT_EQ(counter.failed(), 0u);
}

TEST(VcDiRdfcConformance, Ed25519Signature2020) {
  TRACEPORT_CONFORMANCE_DIR_OR_SKIP(dir, "vc-di-ed25519-2020", "vc-di-eddsa");
  SuiteCounter counter("vc-di-ed25519-2020");
  if (UseVectorContexts(counter)) {
    RunVector(dir / "TestVectors",
              {"Ed25519Signature2020", "EdSig", "keyPair.json", "privateKeyMultibase",
               jose::KeyType::kEd25519},
              kEd25519Signature2020, counter);
  }
  counter.Print();
  EXPECT_GT(counter.passed(), 0u);
  EXPECT_EQ(counter.failed(), 0u);
}

}  // namespace
}  // namespace traceport::vc
