// Wycheproof signature-verification vectors from ../shared/conformance/wycheproof (C2SP,
// testvectors_v1): Ed25519, ECDSA P-256/SHA-256 (P1363 and DER) and P-384/SHA-384 (P1363).
// Every "valid" test must verify and every "invalid" one must be rejected. A public key that
// fails to parse counts as a rejection, which is correct only for invalid tests.
#include <gtest/gtest.h>

#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "codec/hex.h"
#include "common/testing/conformance.h"
#include "crypto/ecdsa.h"
#include "crypto/ed25519.h"

namespace traceport::crypto {
namespace {

using ::traceport::testing::ReadFile;
using ::traceport::testing::SuiteCounter;

// Lower- or upper-case hex to bytes; nullopt for anything else.
std::optional<std::vector<uint8_t>> DecodeHex(std::string_view hex) {
  auto bytes = codec::HexDecode(hex);
  if (!bytes.ok()) return std::nullopt;
  return std::move(bytes).value();
}

// Decides whether (group, test) verifies. Returns nullopt if the test data itself is malformed.
using Verifier =
    std::function<std::optional<bool>(const nlohmann::json& group, const nlohmann::json& test)>;

// Runs every test of one Wycheproof file through `verify`, adding to `counter`. Returns the
// file's numberOfTests so the caller can check that nothing was silently dropped.
size_t RunFile(const std::filesystem::path& path, const Verifier& verify, SuiteCounter& counter) {
  auto text = ReadFile(path);
  if (!text.ok()) {
    counter.Fail(text.status().ToString());
    return 0;
  }
  const nlohmann::json doc = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || !doc.contains("testGroups")) {
    counter.Fail(path.filename().string() + ": not a Wycheproof file");
    return 0;
  }
  for (const auto& group : doc["testGroups"]) {
    for (const auto& test : group["tests"]) {
      const std::string id = path.filename().string() + " tcId " +
                             std::to_string(test.value("tcId", -1)) + " (" +
                             test.value("comment", "") + ")";
      const std::string expected = test.value("result", "");
      if (expected != "valid" && expected != "invalid") {
        counter.Skip();  // "acceptable": either outcome is allowed; these files have none
        continue;
      }
      const std::optional<bool> accepted = verify(group, test);
      if (!accepted) {
        counter.Fail(id + ": malformed test data");
        continue;
      }
      counter.Record(*accepted == (expected == "valid"), id + ": expected " + expected + ", got " +
                                                             (*accepted ? "accepted" : "rejected"));
    }
  }
  return doc.value("numberOfTests", size_t{0});
}

void Finish(const SuiteCounter& counter, size_t expected_total) {
  counter.Print();
  EXPECT_EQ(counter.failed(), 0u);
  EXPECT_EQ(counter.passed() + counter.failed() + counter.skipped(), expected_total);
  EXPECT_GT(counter.passed(), 0u);
}

TEST(WycheproofConformance, Ed25519) {
  TRACEPORT_CONFORMANCE_DIR_OR_SKIP(dir, "wycheproof-eddsa", "wycheproof");
  SuiteCounter counter("wycheproof-eddsa");
  const Verifier verify = [](const nlohmann::json& group,
                             const nlohmann::json& test) -> std::optional<bool> {
    auto pk = DecodeHex(group["publicKey"].value("pk", ""));
    auto msg = DecodeHex(test.value("msg", ""));
    auto sig = DecodeHex(test.value("sig", ""));
    if (!pk || !msg || !sig) return std::nullopt;
    auto key = Ed25519PublicKey::FromBytes(*pk);
    return key.ok() && key->Verify(*msg, *sig).ok();
  };
  const size_t total = RunFile(dir / "testvectors_v1/ed25519_test.json", verify, counter);
  EXPECT_EQ(total, 151u);
  Finish(counter, total);
}

// Left-pads or strips leading zero bytes so that a Wycheproof coordinate (which may carry an
// ASN.1-style sign byte) is exactly `width` bytes, as a JWK coordinate would be.
std::optional<std::vector<uint8_t>> FixedWidth(std::vector<uint8_t> v, size_t width) {
  while (v.size() > width && v.front() == 0) v.erase(v.begin());
  if (v.size() > width) return std::nullopt;
  v.insert(v.begin(), width - v.size(), 0);
  return v;
}

enum class Encoding { kP1363, kDer };

// Parses the group's key from its uncompressed encoding, and cross-checks that the affine
// coordinates (wx, wy) and the compressed form give the same key; then verifies.
Verifier EcdsaVerifier(EcdsaCurve curve, Encoding encoding) {
  return [curve, encoding](const nlohmann::json& group,
                           const nlohmann::json& test) -> std::optional<bool> {
    const nlohmann::json& pub = group["publicKey"];
    auto uncompressed = DecodeHex(pub.value("uncompressed", ""));
    auto wx = DecodeHex(pub.value("wx", ""));
    auto wy = DecodeHex(pub.value("wy", ""));
    auto msg = DecodeHex(test.value("msg", ""));
    auto sig = DecodeHex(test.value("sig", ""));
    if (!uncompressed || !wx || !wy || !msg || !sig) return std::nullopt;
    auto key = EcdsaPublicKey::FromSec1(curve, *uncompressed);
    if (!key.ok()) return false;
    const size_t width = EcdsaFieldSize(curve);
    auto x = FixedWidth(*wx, width), y = FixedWidth(*wy, width);
    if (!x || !y) return std::nullopt;
    auto from_affine = EcdsaPublicKey::FromAffine(curve, *x, *y);
    auto from_compressed = EcdsaPublicKey::FromSec1(curve, key->ToCompressed());
    if (!from_affine.ok() || !(*from_affine == *key) || !from_compressed.ok() ||
        !(*from_compressed == *key)) {
      return std::nullopt;  // the encodings of one key disagree: a harness or parser bug
    }
    Status verified =
        encoding == Encoding::kP1363 ? key->VerifyP1363(*msg, *sig) : key->VerifyDer(*msg, *sig);
    return verified.ok();
  };
}

TEST(WycheproofConformance, EcdsaP256) {
  TRACEPORT_CONFORMANCE_DIR_OR_SKIP(dir, "wycheproof-ecdsa-p256", "wycheproof");
  SuiteCounter counter("wycheproof-ecdsa-p256");
  size_t total = RunFile(dir / "testvectors_v1/ecdsa_secp256r1_sha256_p1363_test.json",
                         EcdsaVerifier(EcdsaCurve::kP256, Encoding::kP1363), counter);
  total += RunFile(dir / "testvectors_v1/ecdsa_secp256r1_sha256_test.json",
                   EcdsaVerifier(EcdsaCurve::kP256, Encoding::kDer), counter);
  EXPECT_EQ(total, 262u + 484u);
  Finish(counter, total);
}

TEST(WycheproofConformance, EcdsaP384) {
  TRACEPORT_CONFORMANCE_DIR_OR_SKIP(dir, "wycheproof-ecdsa-p384", "wycheproof");
  SuiteCounter counter("wycheproof-ecdsa-p384");
  const size_t total = RunFile(dir / "testvectors_v1/ecdsa_secp384r1_sha384_p1363_test.json",
                               EcdsaVerifier(EcdsaCurve::kP384, Encoding::kP1363), counter);
  EXPECT_EQ(total, 280u);
  Finish(counter, total);
}

}  // namespace
}  // namespace traceport::crypto
