#include "ledger/verify/note.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "codec/hex.h"
#include "common/testing/fake_random.h"
#include "crypto/ed25519.h"

namespace traceport::ledger {
namespace {

// Known answer for an Ed25519 (type 0x01) note key, derived outside this code base: Python 3's
// hashlib for the key ID (SHA-256 of name, 0x0A, 0x01, public key) and the OpenSSL 3 command
// line for Ed25519 (`openssl pkey` on a PKCS#8 key wrapping the seed for the public key,
// `openssl pkeyutl -sign -rawin` for the signature over the text), base64 from Python.
constexpr char kKatSeedHex[] = "2122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f40";
constexpr char kKatName[] = "log.example/kat";
constexpr uint32_t kKatKeyId = 0x46e76e86;
// The base64 part contains '+', which exercises splitting on the first two '+' only.
constexpr char kKatVkey[] = "log.example/kat+46e76e86+AefxYqEL7FWa/qGV5NzoS2lWjV0ssJY+tEbAaF4rF/Lw";
constexpr char kKatSkey[] =
    "PRIVATE+KEY+log.example/kat+46e76e86+ASEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj9A";
constexpr char kKatText[] = "Traceport known answer\n\nwith an empty line and ünïcödé\n";
constexpr char kKatNote[] =
    "Traceport known answer\n\nwith an empty line and ünïcödé\n"
    "\n"
    "\xe2\x80\x94 log.example/kat "
    "RuduhrU/7U6XKOa/nOvI4Tk7lKLhsISaEUwsF6yzBfkBpT6/8KAzNRaqJ5VHifp6Gvi3J9q/"
    "DTEusp19t4WW8IWouQk=\n";

constexpr char kDash[] = "\xe2\x80\x94 ";  // U+2014 and a space

std::vector<uint8_t> Hex(std::string_view hex) { return codec::HexDecode(hex).value(); }

NoteSigner KatSigner() {
  return NoteSigner::Create(kKatName, crypto::Ed25519PrivateKey::FromSeed(Hex(kKatSeedHex)).value())
      .value();
}

// A verifier that lives for the whole test binary, for OpenNote's pointer list.
const NoteVerifier& KatVerifier() {
  static const NoteVerifier* const verifier = new NoteVerifier(KatSigner().Verifier());
  return *verifier;
}

NoteSigner TestSigner(std::string name, uint64_t seed) {
  testing::FakeRandom random(seed);
  return NoteSigner::Generate(std::move(name), random).value();
}

bool PrintableAscii(std::string_view text) {
  for (char c : text) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

// The code of ParseNote's error; kOk if it parsed.
StatusCode ParseCode(std::string_view note) {
  auto parsed = ParseNote(note);
  if (!parsed.ok()) {
    EXPECT_TRUE(PrintableAscii(parsed.status().message())) << parsed.status();
  }
  return parsed.status().code();
}

// A note text with one signature line built from raw parts, for malformed-line tests.
std::string WithLine(std::string_view line) { return "text\n\n" + std::string(line) + "\n"; }

// ----- key IDs, names, text -----

TEST(NoteKeyTest, KeyIdKnownAnswer) {
  const NoteSigner signer = KatSigner();
  EXPECT_EQ(signer.key_id(), kKatKeyId);
  EXPECT_EQ(ComputeKeyId(kKatName, kSignatureTypeEd25519, signer.public_key().bytes()), kKatKeyId);
  EXPECT_EQ(codec::HexEncode(signer.public_key().bytes()),
            "e7f162a10bec559afea195e4dce84b69568d5d2cb0963eb446c0685e2b17f2f0");
  // The type byte is part of the hash: the same key and name get another ID as type 0x04.
  EXPECT_NE(ComputeKeyId(kKatName, kSignatureTypeCosignatureV1, signer.public_key().bytes()),
            kKatKeyId);
}

TEST(NoteKeyTest, FormatKeyIdIsEightLowercaseDigits) {
  EXPECT_EQ(FormatKeyId(0), "00000000");
  EXPECT_EQ(FormatKeyId(0x0a0b0c0d), "0a0b0c0d");
  EXPECT_EQ(FormatKeyId(0xffffffff), "ffffffff");
}

TEST(NoteKeyTest, KeyNameRules) {
  for (const char* good : {"a", "example.com/log42", "oid/1.3.6.1.4.1",
                           "\xc3\xa9t\xc3\xa9/\xe2\x9c\x93", "PeterNeumann", "a\x7f"}) {
    EXPECT_TRUE(ValidateKeyName(good).ok()) << good;
  }
  // Empty, '+', ASCII and Unicode spaces (NBSP, NEL, em space, ideographic space, line and
  // paragraph separators), control characters, invalid UTF-8.
  for (const char* bad : {"",
                          "a+b",
                          "+",
                          "a b",
                          "a\tb",
                          "a\nb",
                          "a\rb",
                          "a\vb",
                          "a\fb",
                          "a\xc2\xa0z",
                          "a\xc2\x85z",
                          "a\xe2\x80\x83z",
                          "a\xe3\x80\x80z",
                          "a\xe2\x80\xa8z",
                          "a\xe2\x80\xa9z",
                          "a\xe1\x9a\x80z",
                          "a\xe2\x80\xafz",
                          "a\xe2\x81\x9fz",
                          "a\x01z",
                          "\xff",
                          "a\xc0\xafz",
                          "a\xed\xa0\x80z"}) {
    Status s = ValidateKeyName(bad);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << codec::HexEncode(std::string_view(bad));
    EXPECT_TRUE(PrintableAscii(s.message())) << s;
  }
}

TEST(NoteKeyTest, NoteTextRules) {
  EXPECT_TRUE(ValidateNoteText("a\n").ok());
  EXPECT_TRUE(ValidateNoteText("\n").ok());
  EXPECT_TRUE(ValidateNoteText("a\n\n\nb\n\n").ok());
  EXPECT_TRUE(ValidateNoteText("del \x7f is not below U+0020\n").ok());
  EXPECT_EQ(ValidateNoteText("").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateNoteText("no newline").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateNoteText("tab\there\n").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateNoteText("crlf\r\n").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateNoteText(std::string("nul\0\n", 5)).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateNoteText("bad \xff\n").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateNoteText(std::string(kMaxNoteSize, 'a') + "\n").code(),
            StatusCode::kResourceExhausted);
}

// ----- verifier keys -----

TEST(NoteVerifierTest, VkeyKnownAnswerRoundTrip) {
  auto verifier = NoteVerifier::FromVkey(kKatVkey);
  ASSERT_TRUE(verifier.ok()) << verifier.status();
  EXPECT_EQ(verifier->name(), kKatName);
  EXPECT_EQ(verifier->key_id(), kKatKeyId);
  EXPECT_EQ(verifier->public_key(), KatSigner().public_key());
  EXPECT_EQ(verifier->Vkey(), kKatVkey);
  EXPECT_EQ(KatSigner().Verifier().Vkey(), kKatVkey);
  auto created = NoteVerifier::Create(kKatName, KatSigner().public_key());
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(created->Vkey(), kKatVkey);
}

TEST(NoteVerifierTest, RejectsMalformedVkeys) {
  const std::string key = "AefxYqEL7FWa/qGV5NzoS2lWjV0ssJY+tEbAaF4rF/Lw";
  const struct {
    std::string vkey;
    const char* why;
  } cases[] = {
      {"", "empty"},
      {"log.example/kat", "one part"},
      {"log.example/kat+46e76e86", "two parts"},
      {"+46e76e86+" + key, "empty name"},
      {"log example+46e76e86+" + key, "space in name"},
      {"log.example/kat+46E76E86+" + key, "uppercase key ID"},
      {"log.example/kat+46e76e8+" + key, "seven hex digits"},
      {"log.example/kat+046e76e86+" + key, "nine hex digits"},
      {"log.example/kat+46e76e8g+" + key, "non-hex key ID"},
      {"log.example/kat+46e76e87+" + key, "key ID does not match"},
      {"other.example/kat+46e76e86+" + key, "name does not match the key ID"},
      {"log.example/kat+46e76e86+", "empty key"},
      {"log.example/kat+46e76e86+" + key.substr(0, 43), "base64 without padding"},
      {"log.example/kat+46e76e86+" + key + "==", "extra padding"},
      {"log.example/kat+46e76e86+ " + key, "space before base64"},
      {"log.example/kat+46e76e86+AA==", "type byte only"},
      {"log.example/kat+46e76e86+AefxYqEL7FWa/qGV5NzoS2lWjV0ssJY+tEbAaF4rF/Lw/w==", "33-byte key"},
      {"log.example/kat+46e76e86+BOfxYqEL7FWa/qGV5NzoS2lWjV0ssJY+tEbAaF4rF/Lw", "type 0x04"},
      {"log.example/kat+46e76e86+AOfxYqEL7FWa/qGV5NzoS2lWjV0ssJY+tEbAaF4rF/Lw", "type 0x00"},
  };
  for (const auto& c : cases) {
    auto v = NoteVerifier::FromVkey(c.vkey);
    EXPECT_EQ(v.status().code(), StatusCode::kInvalidArgument) << c.why;
    EXPECT_TRUE(PrintableAscii(v.status().message())) << c.why;
  }
  EXPECT_EQ(NoteVerifier::Create("bad name", KatSigner().public_key()).status().code(),
            StatusCode::kInvalidArgument);
}

// ----- signer keys -----

TEST(NoteSignerTest, SignerKeyKnownAnswerRoundTrip) {
  auto signer = NoteSigner::FromSignerKey(kKatSkey);
  ASSERT_TRUE(signer.ok()) << signer.status();
  EXPECT_EQ(signer->name(), kKatName);
  EXPECT_EQ(signer->key_id(), kKatKeyId);
  EXPECT_EQ(signer->SignerKey(), kKatSkey);
  EXPECT_EQ(signer->Verifier().Vkey(), kKatVkey);
  EXPECT_EQ(KatSigner().SignerKey(), kKatSkey);
  EXPECT_EQ(signer->Clone().SignerKey(), kKatSkey);
}

TEST(NoteSignerTest, RejectsMalformedSignerKeysWithoutQuotingTheSecret) {
  const std::string secret = "ASEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj9A";
  const struct {
    std::string skey;
    const char* why;
  } cases[] = {
      {"", "empty"},
      {kKatVkey, "a vkey"},
      {"private+key+log.example/kat+46e76e86+" + secret, "lowercase prefix"},
      {"PRIVATE+KEY+log.example/kat+46e76e86", "four parts"},
      {"PRIVATE+KEY+log.example/kat+46e76e87+" + secret, "key ID does not match"},
      {"PRIVATE+KEY+bad name+46e76e86+" + secret, "space in name"},
      {"PRIVATE+KEY+log.example/kat+46e76e86+" + secret.substr(0, 43), "base64 without padding"},
      {"PRIVATE+KEY+log.example/kat+46e76e86+" + secret.substr(0, 40) + "Pj9B", "trailing bits"},
      {"PRIVATE+KEY+log.example/kat+46e76e86+BCEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj9A",
       "type 0x04"},
      {"PRIVATE+KEY+log.example/kat+46e76e86+ASEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pg==",
       "31-byte seed"},
      {"PRIVATE+KEY+log.example/kat+46e76e86+", "empty key"},
  };
  for (const auto& c : cases) {
    auto s = NoteSigner::FromSignerKey(c.skey);
    EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument) << c.why;
    const std::string message(s.status().message());
    EXPECT_TRUE(PrintableAscii(message)) << c.why;
    EXPECT_EQ(message.find("ASEiIy"), std::string::npos) << c.why << ": " << message;
    EXPECT_EQ(message.find("Pj9"), std::string::npos) << c.why << ": " << message;
  }
}

TEST(NoteSignerTest, GenerateIsDeterministicForASeededSource) {
  const NoteSigner a = TestSigner("a.example/log", 5);
  const NoteSigner b = TestSigner("a.example/log", 5);
  const NoteSigner c = TestSigner("a.example/log", 6);
  EXPECT_EQ(a.SignerKey(), b.SignerKey());
  EXPECT_NE(a.SignerKey(), c.SignerKey());
  testing::FakeRandom random(1);
  EXPECT_EQ(NoteSigner::Generate("bad+name", random).status().code(), StatusCode::kInvalidArgument);
}

// ----- signing -----

TEST(SignNoteTest, KnownAnswerByteForByte) {
  const NoteSigner signer = KatSigner();
  auto note = SignNote(kKatText, {&signer});
  ASSERT_TRUE(note.ok()) << note.status();
  EXPECT_EQ(*note, kKatNote);
}

TEST(SignNoteTest, SignaturesInSignerOrder) {
  const NoteSigner a = TestSigner("a.example", 1);
  const NoteSigner b = TestSigner("b.example", 2);
  auto note = SignNote("hello\n", {&b, &a});
  ASSERT_TRUE(note.ok());
  auto parsed = ParseNote(*note);
  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ(parsed->signatures.size(), 2u);
  EXPECT_EQ(parsed->signatures[0].name, "b.example");
  EXPECT_EQ(parsed->signatures[1].name, "a.example");
  EXPECT_EQ(parsed->signatures[1].key_id, a.key_id());
  EXPECT_EQ(parsed->signatures[1].signature.size(), 64u);
}

TEST(SignNoteTest, RejectsBadTextAndSigners) {
  const NoteSigner signer = KatSigner();
  EXPECT_EQ(SignNote("", {&signer}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(SignNote("no newline", {&signer}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(SignNote("bell\a\n", {&signer}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(SignNote("ok\n", {}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(SignNote("ok\n", {&signer, nullptr}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(signer.Sign("x").status().code(), StatusCode::kInvalidArgument);
  std::vector<const NoteSigner*> many(kMaxNoteSignatures + 1, &signer);
  EXPECT_EQ(SignNote("ok\n", many).status().code(), StatusCode::kResourceExhausted);
  many.pop_back();
  EXPECT_TRUE(SignNote("ok\n", many).ok());
}

TEST(SignNoteTest, TextThatLooksLikeSignaturesSurvives) {
  // The text ends at the last empty line, so text may itself contain empty lines and lines
  // that look like signature lines.
  const NoteSigner signer = KatSigner();
  const std::string text = std::string("x\n\n") + kDash + "fake AAAAAAA=\n\n\n";
  auto note = SignNote(text, {&signer});
  ASSERT_TRUE(note.ok());
  auto opened = OpenNote(*note, {&KatVerifier()});
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(opened->text, text);
}

// ----- parsing -----

TEST(ParseNoteTest, SplitsTextAndSignatures) {
  auto note = ParseNote(kKatNote);
  ASSERT_TRUE(note.ok()) << note.status();
  EXPECT_EQ(note->text, kKatText);
  ASSERT_EQ(note->signatures.size(), 1u);
  EXPECT_EQ(note->signatures[0].name, kKatName);
  EXPECT_EQ(note->signatures[0].key_id, kKatKeyId);
  EXPECT_EQ(note->signatures[0].signature.size(), 64u);
  auto formatted = FormatNote(*note);
  ASSERT_TRUE(formatted.ok());
  EXPECT_EQ(*formatted, kKatNote);
}

TEST(ParseNoteTest, MinimalShapes) {
  // A text of a single newline; a one-byte signature after the key ID; an unknown name.
  auto note = ParseNote(std::string("\n\n") + kDash + "k AAAAAAE=\n");
  ASSERT_TRUE(note.ok()) << note.status();
  EXPECT_EQ(note->text, "\n");
  EXPECT_EQ(note->signatures[0].key_id, 0u);
  EXPECT_EQ(note->signatures[0].signature, std::vector<uint8_t>{1});
  // The last empty line separates: earlier empty lines belong to the text.
  auto later = ParseNote(std::string("a\n\n\nb\n\n") + kDash + "k AAAAAAE=\n");
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->text, "a\n\n\nb\n");
}

TEST(ParseNoteTest, RejectsMalformedNotes) {
  const std::string sig = "AAAAAAE=";
  const std::string line = kDash + std::string("k ") + sig;
  const struct {
    std::string note;
    const char* why;
  } cases[] = {
      {"", "empty"},
      {"text\n", "text only"},
      {"text\n\n", "no signature lines"},
      {"\n" + line + "\n", "no empty line"},
      {"text\n\n" + line, "last line without newline"},
      {"text\n\n" + line + "\n\n", "empty line after the signatures"},
      {"text\n\n" + line + "\nmore\n", "trailing non-signature line"},
      {"text\n\n" + line + "\n" + line, "second line without newline"},
      {WithLine("- k " + sig), "hyphen instead of em dash"},
      {WithLine("\xe2\x80\x93 k " + sig), "en dash"},
      {WithLine("\xe2\x80\x94k " + sig), "no space after the dash"},
      {WithLine("\xe2\x80\x94  k " + sig), "two spaces after the dash"},
      {WithLine(" " + line), "leading space"},
      {WithLine(kDash + std::string("k")), "no signature"},
      {WithLine(kDash + std::string("k ")), "empty signature"},
      {WithLine(kDash + std::string(" ") + sig), "empty name"},
      {WithLine(kDash + std::string("a+b ") + sig), "'+' in name"},
      {WithLine(kDash + std::string("a\xc2\xa0z ") + sig), "NBSP in name"},
      {WithLine(kDash + std::string("Bad Name ") + sig), "space in name"},
      {WithLine(line + " "), "trailing space"},
      {WithLine(kDash + std::string("k AAAAAAE")), "missing padding"},
      {WithLine(kDash + std::string("k AAAAAAF=")), "non-canonical trailing bits"},
      {WithLine(kDash + std::string("k AAAA AAE=")), "space inside base64"},
      {WithLine(kDash + std::string("k AAAAAA-_")), "base64url alphabet"},
      {WithLine(kDash + std::string("k AAAAAA==")), "four bytes: key ID only"},
      {"te\rxt\n\n" + line + "\n", "carriage return in text"},
      {"text\r\n\r\n" + line + "\r\n", "CRLF line endings"},
      {"te\txt\n\n" + line + "\n", "tab in text"},
      {std::string("te\0xt\n\n", 7) + line + "\n", "NUL in text"},
      {"\x01text\n\n" + line + "\n", "control character at the start"},
      {"text\xff\n\n" + line + "\n", "byte 0xff"},
      {"text\xc0\xaf\n\n" + line + "\n", "overlong encoding"},
      {"text\xed\xa0\x80\n\n" + line + "\n", "encoded surrogate"},
      {"text\xf4\x90\x80\x80\n\n" + line + "\n", "above U+10FFFF"},
      {"text\xe2\x80\n\n" + line + "\n", "truncated sequence"},
      {"text\n\n\xe2\x80", "truncated em dash at the end"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ParseCode(c.note), StatusCode::kInvalidArgument) << c.why;
  }
}

TEST(ParseNoteTest, SignatureCountLimit) {
  std::string note = "text\n\n";
  for (size_t i = 0; i < kMaxNoteSignatures; ++i) note += kDash + std::string("k AAAAAAE=\n");
  auto at_limit = ParseNote(note);
  ASSERT_TRUE(at_limit.ok()) << at_limit.status();
  EXPECT_EQ(at_limit->signatures.size(), kMaxNoteSignatures);
  note += kDash + std::string("k AAAAAAE=\n");
  EXPECT_EQ(ParseCode(note), StatusCode::kResourceExhausted);
}

TEST(ParseNoteTest, SizeLimit) {
  const std::string line = kDash + std::string("k AAAAAAE=\n");
  const std::string text(kMaxNoteSize - line.size() - 2, 'a');
  const std::string at_limit = text + "\n\n" + line;
  ASSERT_EQ(at_limit.size(), kMaxNoteSize);
  EXPECT_EQ(ParseCode(at_limit), StatusCode::kOk);
  EXPECT_EQ(ParseCode("a" + at_limit), StatusCode::kResourceExhausted);
}

TEST(ParseNoteTest, SignatureLinesOnTheirOwn) {
  const NoteSigner a = TestSigner("a.example", 1);
  const NoteSignature sig = a.Sign("text\n").value();
  auto note = FormatNote(Note{"text\n", {sig, sig}});
  ASSERT_TRUE(note.ok());
  const std::string lines = note->substr(6);
  auto parsed = ParseSignatureLines(lines);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->size(), 2u);
  EXPECT_EQ((*parsed)[0], sig);
  EXPECT_EQ(ParseSignatureLines("").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseSignatureLines("\n").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseSignatureLines(lines + "\n").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseSignatureLines(lines.substr(0, lines.size() - 1)).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseSignatureLines("\t" + lines).status().code(), StatusCode::kInvalidArgument);
}

TEST(FormatNoteTest, RejectsWhatWouldNotParseBack) {
  const NoteSignature sig{"k", 7, {1, 2, 3}};
  EXPECT_TRUE(FormatNote(Note{"t\n", {sig}}).ok());
  EXPECT_EQ(FormatNote(Note{"t\n", {}}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(FormatNote(Note{"t", {sig}}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(FormatNote(Note{"t\n", {NoteSignature{"a b", 7, {1}}}}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(FormatNote(Note{"t\n", {NoteSignature{"k", 7, {}}}}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(FormatNote(Note{"t\n", std::vector<NoteSignature>(kMaxNoteSignatures + 1, sig)})
                .status()
                .code(),
            StatusCode::kResourceExhausted);
  const NoteSignature huge{"k", 7, std::vector<uint8_t>(kMaxNoteSize, 0)};
  EXPECT_EQ(FormatNote(Note{"t\n", {huge}}).status().code(), StatusCode::kResourceExhausted);
}

// ----- opening -----

class OpenNoteTest : public ::testing::Test {
 protected:
  const NoteSigner a_ = TestSigner("a.example", 1);
  const NoteSigner b_ = TestSigner("b.example", 2);
  const NoteVerifier va_ = a_.Verifier();
  const NoteVerifier vb_ = b_.Verifier();
};

TEST_F(OpenNoteTest, ReportsKnownSignersAndIgnoresUnknownOnes) {
  const std::string note = SignNote("hello\n", {&a_, &b_}).value();
  auto only_b = OpenNote(note, {&vb_});
  ASSERT_TRUE(only_b.ok()) << only_b.status();
  EXPECT_EQ(only_b->text, "hello\n");
  ASSERT_EQ(only_b->verified.size(), 1u);
  EXPECT_EQ(only_b->verified[0].verifier, &vb_);
  EXPECT_FALSE(only_b->verified[0].timestamp.has_value());
  ASSERT_EQ(only_b->unknown.size(), 1u);
  EXPECT_EQ(only_b->unknown[0].name, "a.example");

  auto both = OpenNote(note, {&vb_, &va_});
  ASSERT_TRUE(both.ok());
  ASSERT_EQ(both->verified.size(), 2u);
  EXPECT_EQ(both->verified[0].verifier, &va_);  // note order, not verifier order
  EXPECT_EQ(both->verified[1].verifier, &vb_);
  EXPECT_TRUE(both->unknown.empty());
}

TEST_F(OpenNoteTest, NoTrustedSignatureIsUnauthenticated) {
  const std::string note = SignNote("hello\n", {&a_}).value();
  EXPECT_EQ(OpenNote(note, {}).status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(OpenNote(note, {&vb_}).status().code(), StatusCode::kUnauthenticated);
}

TEST_F(OpenNoteTest, SameNameOrSameIdAloneIsAnotherKey) {
  // A key that shares the name (different key, so different ID), and a line that carries the
  // right ID under another name: both must be ignored, not verified.
  const NoteSigner impostor = TestSigner("a.example", 99);
  ASSERT_NE(impostor.key_id(), a_.key_id());
  NoteSignature renamed = a_.Sign("hello\n").value();
  renamed.name = "c.example";
  const std::string note =
      AddSignatures(SignNote("hello\n", {&impostor}).value(), {renamed}).value();
  EXPECT_EQ(OpenNote(note, {&va_}).status().code(), StatusCode::kUnauthenticated);
}

TEST_F(OpenNoteTest, FailingTrustedSignatureRejectsTheNote) {
  const std::string note = SignNote("hello\n", {&a_, &b_}).value();
  Note parsed = ParseNote(note).value();
  parsed.signatures[1].signature[10] ^= 1;
  const std::string tampered = FormatNote(parsed).value();
  EXPECT_TRUE(OpenNote(tampered, {&va_}).ok());  // the bad one is unknown here
  auto result = OpenNote(tampered, {&va_, &vb_});
  EXPECT_EQ(result.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(result.status().message().find("b.example"), std::string_view::npos);

  // A changed text fails every signature.
  std::string changed = note;
  changed[0] = 'j';
  EXPECT_EQ(OpenNote(changed, {&va_}).status().code(), StatusCode::kPermissionDenied);

  // A trusted key's signature of the wrong length is a failed signature, not a malformed note.
  parsed = ParseNote(note).value();
  parsed.signatures[0].signature.pop_back();
  EXPECT_EQ(OpenNote(FormatNote(parsed).value(), {&va_}).status().code(),
            StatusCode::kPermissionDenied);
}

TEST_F(OpenNoteTest, EverySignatureOfATrustedKeyIsVerified) {
  // A second, bad signature by the same key is not skipped as a duplicate.
  Note parsed = ParseNote(SignNote("hello\n", {&a_}).value()).value();
  NoteSignature bad = parsed.signatures[0];
  bad.signature[0] ^= 0x80;
  parsed.signatures.push_back(bad);
  EXPECT_EQ(OpenNote(FormatNote(parsed).value(), {&va_}).status().code(),
            StatusCode::kPermissionDenied);
  // Two good copies are reported once.
  parsed.signatures[1] = parsed.signatures[0];
  auto opened = OpenNote(FormatNote(parsed).value(), {&va_});
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(opened->verified.size(), 1u);
}

TEST_F(OpenNoteTest, MalformedNoteIsInvalidArgumentEvenWithKeys) {
  EXPECT_EQ(OpenNote("hello\n", {&va_}).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(OpenNoteTest, RejectsBadVerifierLists) {
  const std::string note = SignNote("hello\n", {&a_}).value();
  EXPECT_EQ(OpenNote(note, {&va_, nullptr}).status().code(), StatusCode::kInvalidArgument);
  const NoteVerifier copy = va_;
  EXPECT_EQ(OpenNote(note, {&va_, &copy}).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(OpenNoteTest, AddSignaturesAppendsOnceAndKeepsTheText) {
  const std::string note = SignNote("hello\n", {&a_}).value();
  const NoteSignature sb = b_.Sign("hello\n").value();
  auto added = AddSignatures(note, {sb, sb});
  ASSERT_TRUE(added.ok()) << added.status();
  auto again = AddSignatures(*added, {sb, a_.Sign("hello\n").value()});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *added);
  EXPECT_EQ(*added, SignNote("hello\n", {&a_, &b_}).value());
  auto opened = OpenNote(*added, {&va_, &vb_});
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(opened->verified.size(), 2u);
  EXPECT_EQ(AddSignatures("hello\n", {sb}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(AddSignatures(note, {NoteSignature{"x y", 1, {1}}}).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(OpenNoteTest, VerifiersAreSafeToShareBetweenThreads) {
  const std::string note = SignNote("hello\n", {&a_, &b_}).value();
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) ok += OpenNote(note, {&va_, &vb_}).ok() ? 1 : 0;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ok.load(), 80);
}

}  // namespace
}  // namespace traceport::ledger
