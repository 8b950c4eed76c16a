// C2SP signed-note vectors from ../shared/conformance/c2sp-tlog/signed-note-vectors.json (see
// SOURCES.md there): the spec's example, the Go reference implementation's test constants
// (vkeys, a signer key whose signed note must be reproduced byte for byte, notes with one, two
// or no known signers, a corrupted signature, 101 signatures, malformed notes) and cosignature/v1
// signature blobs to decode. Every vector counts once.
//
// Outcome mapping: "ok" = OpenNote succeeds and reports exactly `verifiedBy` in order;
// "malformed" = ParseNote and OpenNote both fail with InvalidArgument or ResourceExhausted (our
// limit of 100 signatures is ResourceExhausted); "invalid-signature" = PermissionDenied;
// "unverified" = Unauthenticated.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "codec/base64.h"
#include "codec/hex.h"
#include "common/testing/conformance.h"
#include "ledger/verify/cosignature.h"
#include "ledger/verify/note.h"

namespace traceport::ledger {
namespace {

using ::traceport::testing::ReadFile;
using ::traceport::testing::SuiteCounter;

constexpr char kSuite[] = "c2sp-signed-note";

bool IsMalformed(const Status& s) {
  return s.code() == StatusCode::kInvalidArgument || s.code() == StatusCode::kResourceExhausted;
}

// Empty when the vector behaves as expected, otherwise what went wrong.
std::string CheckNote(const nlohmann::json& v) {
  std::string note;
  if (v.contains("noteHex")) {
    auto bytes = codec::HexDecode(v["noteHex"].get<std::string>());
    if (!bytes.ok()) return "bad noteHex";
    note.assign(bytes->begin(), bytes->end());
  } else {
    note = v.value("note", "");
  }
  std::vector<NoteVerifier> keys;
  for (const auto& vkey : v.value("vkeys", nlohmann::json::array())) {
    auto verifier = NoteVerifier::FromVkey(vkey.get<std::string>());
    if (!verifier.ok()) return "vkey rejected: " + verifier.status().ToString();
    keys.push_back(*verifier);
  }
  std::vector<const SignatureVerifier*> verifiers;
  for (const NoteVerifier& k : keys) verifiers.push_back(&k);

  const std::string expect = v.value("expect", "");
  auto parsed = ParseNote(note);
  auto opened = OpenNote(note, verifiers);
  if (expect == "malformed") {
    if (parsed.ok()) return "ParseNote accepted a malformed note";
    if (!IsMalformed(parsed.status())) return "ParseNote: " + parsed.status().ToString();
    if (opened.ok() || !IsMalformed(opened.status())) {
      return "OpenNote: " + opened.status().ToString();
    }
    return "";
  }
  if (!parsed.ok()) return "ParseNote: " + parsed.status().ToString();
  if (expect == "invalid-signature") {
    return opened.status().code() == StatusCode::kPermissionDenied
               ? ""
               : "OpenNote: " + opened.status().ToString();
  }
  if (expect == "unverified") {
    return opened.status().code() == StatusCode::kUnauthenticated
               ? ""
               : "OpenNote: " + opened.status().ToString();
  }
  if (expect != "ok") return "unknown expectation " + expect;
  if (!opened.ok()) return "OpenNote: " + opened.status().ToString();
  std::vector<std::string> names;
  for (const VerifiedSignature& s : opened->verified) names.push_back(s.verifier->name());
  if (names != v.value("verifiedBy", std::vector<std::string>{})) return "verifiedBy differs";
  if (opened->text.empty() || note.compare(0, opened->text.size(), opened->text) != 0) {
    return "text is not the note's prefix";
  }
  return "";
}

std::string CheckSignerKey(const nlohmann::json& v, const std::vector<std::string>& valid_vkeys) {
  const std::string skey = v.value("skey", "");
  auto signer = NoteSigner::FromSignerKey(skey);
  if (!signer.ok()) return "skey rejected: " + signer.status().ToString();
  if (signer->SignerKey() != skey) return "skey does not round-trip";
  // The signer's public half is one of the valid vkeys (the Go tests pair them).
  const std::string vkey = signer->Verifier().Vkey();
  if (std::find(valid_vkeys.begin(), valid_vkeys.end(), vkey) == valid_vkeys.end()) {
    return "derived vkey " + vkey + " is not among the valid vkeys";
  }
  auto note = SignNote(v.value("signText", ""), {&*signer});
  if (!note.ok()) return "SignNote: " + note.status().ToString();
  if (*note != v.value("expectedSignedNote", "")) return "signed note differs";
  return "";
}

std::string CheckCosignature(const nlohmann::json& v) {
  auto bytes = codec::Base64Decode(v.value("sigBase64", ""));
  if (!bytes.ok()) return "bad base64";
  auto decoded = DecodeCosignatureV1(*bytes);
  if (v.value("expect", "") == "error") {
    return decoded.ok() ? "decoded a blob that is not a cosignature" : "";
  }
  if (!decoded.ok()) return decoded.status().ToString();
  if (FormatKeyId(decoded->key_id) != v.value("expectKeyIdHex", "")) return "key ID differs";
  if (decoded->timestamp != v.value("expectTimestamp", uint64_t{0})) return "timestamp differs";
  if (EncodeCosignatureV1(*decoded) != *bytes) return "does not re-encode";
  return "";
}

TEST(C2spSignedNoteConformance, AllVectors) {
  TRACEPORT_CONFORMANCE_DIR_OR_SKIP(dir, kSuite, "c2sp-tlog");
  auto text = ReadFile(dir / "signed-note-vectors.json");
  ASSERT_TRUE(text.ok()) << text.status();
  const nlohmann::json doc = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(doc.is_object());

  SuiteCounter counter(kSuite);
  std::vector<std::string> valid_vkeys;
  for (const auto& v : doc["vkeys"]["valid"]) {
    const std::string vkey = v.value("vkey", "");
    valid_vkeys.push_back(vkey);
    auto verifier = NoteVerifier::FromVkey(vkey);
    counter.Record(verifier.ok() && verifier->Vkey() == vkey,
                   "valid vkey " + vkey + ": " + verifier.status().ToString());
  }
  for (const auto& v : doc["vkeys"]["invalid"]) {
    const std::string vkey = v.value("vkey", "");
    auto verifier = NoteVerifier::FromVkey(vkey);
    counter.Record(!verifier.ok() && verifier.status().code() == StatusCode::kInvalidArgument,
                   "invalid vkey accepted (" + v.value("why", "") + "): " + vkey);
  }
  {
    const std::string problem = CheckSignerKey(doc["signerKey"], valid_vkeys);
    counter.Record(problem.empty(), "signerKey: " + problem);
  }
  for (const auto& v : doc["notes"]) {
    const std::string problem = CheckNote(v);
    counter.Record(problem.empty(), "note \"" + v.value("name", "?") + "\": " + problem);
  }
  for (const auto& v : doc["cosignatureV1Timestamp"]) {
    const std::string problem = CheckCosignature(v);
    counter.Record(problem.empty(), "cosignature " + v.value("sigBase64", "") + ": " + problem);
  }
  counter.Print();
  EXPECT_EQ(counter.failed(), 0u);
  // 3 valid + 3 invalid vkeys, 1 signer key, 13 notes, 2 cosignature blobs.
  EXPECT_EQ(counter.passed(), 22u);
  EXPECT_EQ(counter.skipped(), 0u);
}

}  // namespace
}  // namespace traceport::ledger
