// Full credential verification beside the bare signature check it cannot avoid, in the same
// process (see common/testing/bench.h).
//
//   build/release/bin/traceport_vc_bench                   the paired measurements
//   build/release/bin/traceport_vc_bench --fixtures DIR    also writes the credentials it
//                                                          verifies, for the Node peer bench
//                                                          (tests/interop/bench/)
//   TRACEPORT_VC_BENCH_BREAKDOWN=1                         adds the eddsa-jcs-2022 path's
//                                                          stages, each against the bare verify
//
// The document is a realistic mill test report (about 2 KB compact), issued by a did:key. "Full
// verification" is what `traceport vc verify` does: VerifyCredentialText on the text as received
// — parse, structure, key resolution (through a key cache, as a long-running verifier keeps),
// proof purpose, issuer control, signature, validity period, status and schema — and the report.
// The baselines are the signature alone with the raw library:
//   vc+jwt ES256     EVP_DigestVerify (SHA-256 + P-256) of the same JWS signing input, same key
//   eddsa-jcs-2022   crypto_sign_verify_detached of the same 64-byte hash data, same key
//   eddsa-rdfc-2022  the same, over the rdfc hash data (the report with the VC 2.0 and
//                    undefined-terms contexts: the traceability context is not pinned)
// The goals are a throughput of at least 0.85 of the baseline (issue 3: time ratio <= 1.176)
// for the JCS and JWT paths, and 0.6 (time ratio <= 1.667) for eddsa-rdfc-2022, whose
// verification expands and canonicalizes both the document and the proof configuration.
// `rdfc-canonize` times jsonld::CanonizeJsonLd (expansion with the pinned contexts, safe mode,
// toRdf, RDFC-1.0) of the unsigned rdfc report, with the same bare Ed25519 verify beside it for
// scale only (no limit); the peer bench compares it with jsonld.canonize.
// `schema-steel-shipment-8-documents` validates the eight documents of one steel shipment
// (src/customs/testdata/documents) against their built-in JSON Schemas, Ed25519 again for scale.
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <sodium.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "codec/base64.h"
#include "codec/fast_json.h"
#include "codec/jcs.h"
#include "codec/json.h"
#include "codec/multibase.h"
#include "common/testing/bench.h"
#include "common/testing/conformance.h"
#include "common/testing/fake_clock.h"
#include "common/testing/fake_random.h"
#include "crypto/sha2.h"
#include "did/key_cache.h"
#include "did/methods.h"
#include "did/resolver.h"
#include "jose/jwk.h"
#include "jsonld/canonize.h"
#include "vc/data_integrity.h"
#include "vc/data_model.h"
#include "vc/internal/fast_path.h"
#include "vc/issuer.h"
#include "vc/schema.h"
#include "vc/verifier.h"

// After issuer.h: GCC 12 takes its Securing enumerators as shadowing the suite-name constants
// declared here when this comes first.
#include "vc/cryptosuite.h"

namespace traceport::vc {
namespace {

using ::nlohmann::json;
using ::traceport::testing::DoNotOptimize;
using ::traceport::testing::PairedBench;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "vc_bench: %s\n", what.c_str());
  std::exit(1);
}

template <typename T>
T Must(Result<T> r, const char* what) {
  if (!r.ok()) Die(std::string(what) + ": " + std::string(r.status().message()));
  return std::move(r).value();
}

// A mill test report as a steel mill issues it (traceability vocabulary field names).
constexpr char kMillTestReport[] = R"({
  "@context": ["https://www.w3.org/ns/credentials/v2", "https://w3id.org/traceability/v1"],
  "id": "urn:uuid:4a1d7b0e-3c55-4f7e-9d0a-2b6c8e1f5a90",
  "type": ["VerifiableCredential", "MillTestReportCredential"],
  "name": "Mill Test Report MTR-2026-001187",
  "validFrom": "2026-03-02T15:04:05Z",
  "validUntil": "2031-03-02T15:04:05Z",
  "credentialSubject": {
    "type": "MillTestReport",
    "certificateNumber": "MTR-2026-001187",
    "certification": "EN 10204 3.1",
    "purchaseOrderNumber": "PO-88412",
    "shipmentDate": "2026-03-04",
    "manufacturer": {
      "type": ["Organization"],
      "name": "Acero del Norte S.A. de C.V.",
      "location": {"type": "Place", "address": {"streetAddress": "Av. Industrial 400",
        "addressLocality": "Monterrey", "addressRegion": "NL", "postalCode": "64000",
        "addressCountry": "MX"}}
    },
    "customer": {
      "name": "Great Lakes Fabrication LLC",
      "location": {"address": {"plantOrSiteName": "Plant 2", "streetAddress": "1200 Dock Rd",
        "addressLocality": "Toledo", "addressRegion": "OH", "addressCountry": "US"}}
    },
    "productSpecification": {
      "type": "SteelProduct", "standard": "ASTM A572", "grade": "Grade 50",
      "heatTreatment": "As rolled", "productDescription": "Hot-rolled steel plate",
      "commodity": {"commodityCode": "7208.51.0030", "commodityCodeType": "HTS"}
    },
    "inspections": [{
      "type": "Inspection", "productIdentifier": "PL-25x2438x6096", "heatNumber": "H24-51873",
      "testNumber": "T-5531",
      "productDimensions": {"thickness": {"value": "25.4", "unitCode": "MMT"},
        "width": {"value": "2438", "unitCode": "MMT"},
        "length": {"value": "6096", "unitCode": "MMT"}},
      "pieces": 12,
      "totalWeight": {"value": "35472.5", "unitCode": "KGM"},
      "countryOfManufacture": "MX", "countryOfMeltAndPour": "MX",
      "meltPractice": "Electric arc furnace, fully killed",
      "chemicalComposition": {"c": "0.18", "mn": "1.20", "p": "0.012", "s": "0.005",
        "si": "0.25", "cu": "0.21", "nbCb": "0.02", "v": "0.04", "ce": "0.41"},
      "mechanicalProperties": {"yield": {"value": "380", "unitCode": "MPA"},
        "tensile": {"value": "505", "unitCode": "MPA"},
        "elongation": {"value": "24", "unitCode": "P1"},
        "charpy": {"value": "54", "unitCode": "JOU"}}
    }],
    "complianceStatement": "The products described above comply with the terms of the order.",
    "inspectionRepresentative": {"firstName": "Lucia", "lastName": "Garza",
      "jobTitle": "Quality Assurance Inspector"}
  }
})";

struct Issued {
  std::string did;
  std::string text;  // what the verifier receives
  Secured secured;
};

// The report for the RDF-canonicalized suites: the same fields, with contexts the pinned
// registry has. The VC 2.0 context has no @vocab, so the report's own terms map through the
// undefined-terms context (the traceability context is not pinned).
json RdfcMillTestReport() {
  json credential = Must(codec::ParseJson(kMillTestReport), "parse the mill test report");
  credential["@context"] = {"https://www.w3.org/ns/credentials/v2",
                            "https://www.w3.org/ns/credentials/undefined-terms/v2"};
  return credential;
}

Issued Issue(const jose::PrivateKey& key, std::string_view suite, RandomSource& random, Time now,
             json credential) {
  Issued out;
  out.did = did::DidKeyFor(key.public_key()).ToString();
  credential["issuer"] = {{"id", out.did}, {"name", "Acero del Norte S.A. de C.V."}};
  credential["credentialSubject"]["manufacturer"]["id"] = out.did;
  IssueOptions o;
  o.securing = Must(ParseSecuring(suite), "securing");
  o.issuer = out.did;
  o.now = now;
  o.random = &random;
  out.secured = Must(IssueCredential(std::move(credential), key, o), "issue");
  // Compact JSON, as an API client posts it.
  out.text = out.secured.jwt.empty() ? out.secured.secured.dump() : out.secured.jwt;
  return out;
}

void WriteFile(const std::filesystem::path& p, const std::string& text) {
  std::ofstream f(p, std::ios::binary);
  f << text;
  if (!f) Die("cannot write " + p.string());
}

void RequireVerified(const VerificationReport& r, const char* what) {
  if (!r.verified()) Die(std::string(what) + " does not verify: " + r.ToJson().dump());
}

int Run(int argc, char** argv) {
  std::string fixtures;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--fixtures") == 0 && i + 1 < argc) {
      fixtures = argv[++i];
    } else {
      Die(std::string("unknown argument ") + argv[i] + " (usage: [--fixtures DIR])");
    }
  }
  if (sodium_init() < 0) Die("sodium_init failed");
  testing::FakeRandom random(3);
  testing::FakeClock clock(Must(ParseRfc3339("2026-06-01T00:00:00Z"), "time"));
  const jose::PrivateKey p256 =
      Must(jose::PrivateKey::Generate(jose::KeyType::kP256, random), "P-256 key");
  const jose::PrivateKey ed =
      Must(jose::PrivateKey::Generate(jose::KeyType::kEd25519, random), "Ed25519 key");
  const json report = Must(codec::ParseJson(kMillTestReport), "parse the mill test report");
  const Issued jwt = Issue(p256, "vc-jwt-es256", random, clock.Now(), report);
  const Issued jcs = Issue(ed, "eddsa-jcs-2022", random, clock.Now(), report);
  // The same Ed25519 issuer, so eddsa-did.json serves both Data Integrity fixtures.
  const Issued rdfc = Issue(ed, "eddsa-rdfc-2022", random, clock.Now(), RdfcMillTestReport());
  std::printf(
      "bench input: mill test report, vc+jwt %zu bytes, eddsa-jcs-2022 %zu bytes "
      "(credential without proof %zu bytes), eddsa-rdfc-2022 %zu bytes "
      "(credential without proof %zu bytes)\n",
      jwt.text.size(), jcs.text.size(), jcs.secured.document.dump().size(), rdfc.text.size(),
      rdfc.secured.document.dump().size());

  did::DefaultResolver did_resolver({}, nullptr, nullptr);
  did::KeyCache keys(did_resolver, clock);
  VerifierContext ctx;
  ctx.resolver = &did_resolver;
  ctx.keys = &keys;
  ctx.clock = &clock;
  RequireVerified(VerifyCredentialText(jwt.text, ctx), "the vc+jwt");
  RequireVerified(VerifyCredentialText(jcs.text, ctx), "the eddsa-jcs-2022 credential");
  RequireVerified(VerifyCredentialText(rdfc.text, ctx), "the eddsa-rdfc-2022 credential");
  // The canonical N-Quads of the unsigned rdfc report: timed below, and written as a fixture
  // so that the peer bench checks jsonld.canonize produces the same bytes.
  const std::string rdfc_canonical =
      Must(jsonld::CanonizeJsonLd(rdfc.secured.document), "canonize the rdfc report");

  if (!fixtures.empty()) {
    std::filesystem::create_directories(fixtures);
    const std::filesystem::path dir(fixtures);
    WriteFile(dir / "mtr-es256.jwt", jwt.text);
    WriteFile(dir / "mtr-eddsa-jcs-2022.json", jcs.text);
    WriteFile(dir / "mtr-eddsa-rdfc-2022.json", rdfc.text);
    WriteFile(dir / "mtr-eddsa-rdfc-2022-unsigned.nq", rdfc_canonical);
    WriteFile(dir / "es256-public.jwk", jose::PublicKeyToJwk(p256.public_key()).dump());
    json did_doc = Must(did::DidKeyDocument(did::DidKeyFor(ed.public_key())), "did:key document");
    WriteFile(dir / "eddsa-did.json", did_doc.dump());
    WriteFile(dir / "now.txt", Must(FormatRfc3339(clock.Now()), "time"));
  }

  PairedBench::Options opts;
  opts.max_ratio = 1 / 0.85;
  if (const char* r = std::getenv("TRACEPORT_BENCH_ROUNDS")) opts.rounds = std::atoi(r);
  PairedBench bench(opts);

  // vc+jwt ES256: the raw side verifies the same signature over the same signing input.
  {
    const size_t dot = jwt.text.rfind('.');
    const std::string input = jwt.text.substr(0, dot);
    const auto rs = Must(codec::Base64UrlDecode(jwt.text.substr(dot + 1)), "signature");
    const auto pub = p256.public_key().ecdsa()->ToUncompressed();
    EVP_PKEY* raw_key = nullptr;
    {
      // The same public key, loaded into OpenSSL as a direct caller would (once).
      OSSL_PARAM params[] = {
          OSSL_PARAM_construct_utf8_string("group", const_cast<char*>("P-256"), 0),
          OSSL_PARAM_construct_octet_string("pub", const_cast<uint8_t*>(pub.data()), pub.size()),
          OSSL_PARAM_construct_end()};
      EVP_PKEY_CTX* pctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
      if (pctx == nullptr || EVP_PKEY_fromdata_init(pctx) != 1 ||
          EVP_PKEY_fromdata(pctx, &raw_key, EVP_PKEY_PUBLIC_KEY, params) != 1) {
        Die("OpenSSL key import failed");
      }
      EVP_PKEY_CTX_free(pctx);
    }
    EVP_MD* md = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
    if (md == nullptr) Die("OpenSSL SHA-256 fetch failed");
    auto raw = [&] {
      ECDSA_SIG* sig = ECDSA_SIG_new();
      ECDSA_SIG_set0(sig, BN_bin2bn(rs.data(), 32, nullptr),
                     BN_bin2bn(rs.data() + 32, 32, nullptr));
      std::array<uint8_t, 80> der;
      unsigned char* p = der.data();
      const int der_len = i2d_ECDSA_SIG(sig, &p);
      ECDSA_SIG_free(sig);
      EVP_MD_CTX* mctx = EVP_MD_CTX_new();
      EVP_DigestVerifyInit(mctx, nullptr, md, nullptr, raw_key);
      const int ok = EVP_DigestVerify(mctx, der.data(), static_cast<size_t>(der_len),
                                      reinterpret_cast<const uint8_t*>(input.data()), input.size());
      EVP_MD_CTX_free(mctx);
      if (ok != 1) Die("raw P-256 verify failed");
      DoNotOptimize(ok);
    };
    double ratio = bench.Compare(
        "vc-jwt-es256-verify", "bare P-256 verify of the JWS input",
        [&] { DoNotOptimize(VerifyCredentialText(jwt.text, ctx).verified()); }, raw);
    std::printf("bench vc-jwt-es256-verify: throughput %.3f x bare P-256 verify (goal >= 0.85)\n",
                1 / ratio);
    EVP_MD_free(md);
    EVP_PKEY_free(raw_key);
  }

  // eddsa-jcs-2022: the raw side verifies the same signature over the same hash data.
  {
    const json& proof = jcs.secured.secured["proof"];
    json config = proof;
    config.erase("proofValue");
    config["@context"] = jcs.secured.secured["@context"];
    const std::string config_c = Must(codec::Canonicalize(config), "canonical proof config");
    const std::string doc_c = Must(codec::Canonicalize(jcs.secured.document), "canonical doc");
    std::array<uint8_t, 64> hash_data;
    const auto h1 = crypto::Sha256(
        std::span(reinterpret_cast<const uint8_t*>(config_c.data()), config_c.size()));
    const auto h2 =
        crypto::Sha256(std::span(reinterpret_cast<const uint8_t*>(doc_c.data()), doc_c.size()));
    std::memcpy(hash_data.data(), h1.data(), 32);
    std::memcpy(hash_data.data() + 32, h2.data(), 32);
    const auto sig = Must(codec::MultibaseDecodeAs(codec::Multibase::kBase58Btc,
                                                   proof["proofValue"].get<std::string>()),
                          "proofValue");
    const auto pk = ed.public_key().ToRaw();
    if (crypto_sign_verify_detached(sig.data(), hash_data.data(), hash_data.size(), pk.data()) !=
        0) {
      Die("the bench's own reconstruction of the eddsa-jcs-2022 hash data does not verify");
    }
    double ratio = bench.Compare(
        "eddsa-jcs-2022-verify", "bare Ed25519 verify of the hash data",
        [&] { DoNotOptimize(VerifyCredentialText(jcs.text, ctx).verified()); },
        [&] {
          DoNotOptimize(crypto_sign_verify_detached(sig.data(), hash_data.data(), hash_data.size(),
                                                    pk.data()));
        });
    if (std::getenv("TRACEPORT_VC_BENCH_BREAKDOWN")) {
      // Where the time goes, each stage of the fast path against the same bare verify.
      auto bare = [&] {
        DoNotOptimize(
            crypto_sign_verify_detached(sig.data(), hash_data.data(), hash_data.size(), pk.data()));
      };
      const auto doc = Must(codec::FastJson::Parse(jcs.text), "fast parse");
      const json skeleton = internal::CredentialSkeleton(doc.root());
      const std::string canonical = Must(codec::CanonicalizeFast(doc.root(), "proof"), "jcs");
      const std::string jwt_doc = jwt.secured.document.dump();
      VerifyOptions vo;
      vo.now = clock.Now();
      vo.jcs_document_without_proof = &canonical;
      auto stage = [&](const char* name, auto&& f) {
        bench.Compare(name, "bare Ed25519 verify", f, bare);
      };
      stage("stage-fast-parse", [&] { DoNotOptimize(codec::FastJson::Parse(jcs.text).ok()); });
      stage("stage-skeleton",
            [&] { DoNotOptimize(internal::CredentialSkeleton(doc.root()).size()); });
      stage("stage-jcs-without-proof",
            [&] { DoNotOptimize(codec::CanonicalizeFast(doc.root(), "proof").ok()); });
      stage("stage-structure", [&] { DoNotOptimize(ValidateCredential(skeleton).size()); });
      stage("stage-validity", [&] {
        DoNotOptimize(CheckValidityPeriod(skeleton, clock.Now(), std::chrono::seconds(60)).ok());
      });
      stage("stage-proofs",
            [&] { DoNotOptimize(VerifyProofs(skeleton, CachedKeyLookup(keys), vo).size()); });
      stage("stage-jwt-decode",
            [&] { DoNotOptimize(internal::DecodeJwtSkeleton(jwt.text, 1 << 20).ok()); });
      stage("stage-jwt-signature", [&] {
        DoNotOptimize(VerifyJwtSignature(jwt.text, Envelope::kCredential, p256.public_key()).ok());
      });
    }
    std::printf(
        "bench eddsa-jcs-2022-verify: throughput %.3f x bare Ed25519 verify "
        "(goal >= 0.85)\n",
        1 / ratio);
  }

  // eddsa-rdfc-2022: the raw side verifies the same signature over the same hash data, which
  // the bench reconstructs on its own: SHA-256 of the canonical proof configuration (the proof
  // without proofValue, with the document's @context) ‖ SHA-256 of the canonical document.
  // Its own limit (0.6 of the bare verify), so a PairedBench of its own.
  PairedBench::Options rdfc_opts = opts;
  rdfc_opts.max_ratio = 1 / 0.6;
  PairedBench rdfc_bench(rdfc_opts);
  PairedBench::Options scale_opts = opts;
  scale_opts.max_ratio = 1e12;  // for scale only: never flagged
  PairedBench scale_bench(scale_opts);
  {
    const json& unsigned_report = rdfc.secured.document;
    const json& proof = rdfc.secured.secured["proof"];
    json config = proof;
    config.erase("proofValue");
    config["@context"] = unsigned_report["@context"];
    const std::string config_c =
        Must(jsonld::CanonizeJsonLd(config), "canonical rdfc proof configuration");
    std::array<uint8_t, 64> hash_data;
    const auto h1 = crypto::Sha256(
        std::span(reinterpret_cast<const uint8_t*>(config_c.data()), config_c.size()));
    const auto h2 = crypto::Sha256(
        std::span(reinterpret_cast<const uint8_t*>(rdfc_canonical.data()), rdfc_canonical.size()));
    std::memcpy(hash_data.data(), h1.data(), 32);
    std::memcpy(hash_data.data() + 32, h2.data(), 32);
    const auto sig = Must(codec::MultibaseDecodeAs(codec::Multibase::kBase58Btc,
                                                   proof["proofValue"].get<std::string>()),
                          "rdfc proofValue");
    const auto pk = ed.public_key().ToRaw();
    auto bare = [&] {
      DoNotOptimize(
          crypto_sign_verify_detached(sig.data(), hash_data.data(), hash_data.size(), pk.data()));
    };
    if (crypto_sign_verify_detached(sig.data(), hash_data.data(), hash_data.size(), pk.data()) !=
        0) {
      Die("the bench's own reconstruction of the eddsa-rdfc-2022 hash data does not verify");
    }
    const double ratio = rdfc_bench.Compare(
        "eddsa-rdfc-2022-verify", "bare Ed25519 verify of the hash data",
        [&] { DoNotOptimize(VerifyCredentialText(rdfc.text, ctx).verified()); }, bare);
    std::printf(
        "bench eddsa-rdfc-2022-verify: throughput %.3f x bare Ed25519 verify (goal >= 0.6)\n",
        1 / ratio);

    // Expansion + toRdf + RDFC-1.0 of the unsigned report (what jsonld.canonize does).
    scale_bench.Compare(
        "rdfc-canonize", "bare Ed25519 verify (for scale)",
        [&] {
          auto nquads = jsonld::CanonizeJsonLd(unsigned_report);
          if (!nquads.ok()) Die("CanonizeJsonLd failed while timing");
          DoNotOptimize(nquads->size());
        },
        bare);

    // JSON Schema validation (valijson; `pattern` by PCRE2) of one steel shipment's eight
    // documents against their registered schemas, as customs checks each submission.
    SchemaRegistry schemas = Must(SchemaRegistry::WithBuiltins(), "built-in schemas");
    std::vector<std::pair<json, std::string>> shipment;
    for (const char* type : {"MillTestReportCredential", "CommercialInvoiceCredential",
                             "PackingListCredential", "USMCACertificationOfOrigin",
                             "MultiModalBillOfLadingCredential", "SIMASteelImportLicenseCredential",
                             "CBP3461EntryCredential", "CBP7501EntrySummaryCredential"}) {
      const std::filesystem::path file = std::filesystem::path(TRACEPORT_SOURCE_DIR) /
                                         "src/customs/testdata/documents" /
                                         (std::string(type) + ".json");
      json doc = Must(codec::ParseJson(Must(testing::ReadFile(file), file.c_str())), file.c_str());
      std::string schema_id = doc["credentialSchema"]["id"].get<std::string>();
      if (!ValidateAgainstSchema(doc, schema_id, schemas).empty()) {
        Die(file.string() + " does not match its schema");
      }
      shipment.emplace_back(std::move(doc), std::move(schema_id));
    }
    scale_bench.Compare(
        "schema-steel-shipment-8-documents", "bare Ed25519 verify (for scale)",
        [&] {
          size_t problems = 0;
          for (const auto& [doc, id] : shipment) {
            problems += ValidateAgainstSchema(doc, id, schemas).size();
          }
          if (problems != 0) Die("a shipment document stopped matching its schema");
        },
        bare);

    if (std::getenv("TRACEPORT_VC_BENCH_BREAKDOWN")) {
      // The verification's other canonicalization, and the proofs step as a whole.
      auto stage = [&](const char* name, auto&& f) {
        scale_bench.Compare(name, "bare Ed25519 verify", f, bare);
      };
      stage("stage-rdfc-canonize-proof-config",
            [&] { DoNotOptimize(jsonld::CanonizeJsonLd(config).ok()); });
      VerifyOptions vo;
      vo.now = clock.Now();
      stage("stage-rdfc-verify-proofs", [&] {
        DoNotOptimize(VerifyProofs(rdfc.secured.secured, CachedKeyLookup(keys), vo).size());
      });
      // The fast path's own stages, in the order VerifyCredentialText runs them.
      const auto doc = Must(codec::FastJson::Parse(rdfc.text), "fast parse");
      const json skeleton = internal::CredentialSkeleton(doc.root());
      const std::optional<std::string> direct = RdfcTransformIfDirect(doc.root(), "proof");
      if (!direct) Die("the direct rdfc transform declined the bench's credential");
      const std::string& canonical = *direct;
      const Cryptosuite& suite = *FindCryptosuite("eddsa-rdfc-2022");
      json options = proof;
      options.erase("proofValue");
      const std::string canonical_config =
          Must<std::string>(suite.ConfigureProof(options, unsigned_report, jose::KeyType::kEd25519),
                            "configure the rdfc proof");
      stage("stage-rdfc-fast-parse",
            [&] { DoNotOptimize(codec::FastJson::Parse(rdfc.text).ok()); });
      stage("stage-rdfc-skeleton",
            [&] { DoNotOptimize(internal::CredentialSkeleton(doc.root()).size()); });
      stage("stage-rdfc-structure", [&] { DoNotOptimize(ValidateCredential(skeleton).size()); });
      stage("stage-rdfc-transform-direct",
            [&] { DoNotOptimize(RdfcTransformIfDirect(doc.root(), "proof")->size()); });
      stage("stage-rdfc-configure-proof", [&] {
        DoNotOptimize(
            suite.ConfigureProof(options, unsigned_report, jose::KeyType::kEd25519)->size());
      });
      stage("stage-rdfc-hash", [&] {
        DoNotOptimize(suite.Hash(canonical, canonical_config, jose::KeyType::kEd25519).ok());
      });
      VerifyOptions fast = vo;
      fast.rdfc_document_without_proof = &canonical;
      stage("stage-rdfc-proofs-precomputed",
            [&] { DoNotOptimize(VerifyProofs(skeleton, CachedKeyLookup(keys), fast).size()); });
    }
  }
  const int status = bench.Finish();
  const int rdfc_status = rdfc_bench.Finish();
  const int scale_status = scale_bench.Finish();
  return status != 0 ? status : rdfc_status != 0 ? rdfc_status : scale_status;
}

}  // namespace
}  // namespace traceport::vc

int main(int argc, char** argv) { return traceport::vc::Run(argc, argv); }
