#include "ledger/verify/cosignature.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "codec/base64.h"
#include "codec/hex.h"
#include "common/testing/fake_random.h"
#include "crypto/sha2.h"
#include "ledger/verify/checkpoint.h"

namespace traceport::ledger {
namespace {

// Known answers for cosignature/v1. No published vector gives a cosigner key together with a
// message and signature, so these were written from the spec text and computed outside this
// code base:
//   - the public key with the OpenSSL 3 CLI (`openssl pkey -pubout` on the PKCS#8 DER
//     302e020100300506032b657004220420 || seed);
//   - the key ID with Python 3 hashlib: SHA-256(b"witness.example/w1" + b"\n" + b"\x04" + pk)[:4];
//   - the message as b"cosignature/v1\ntime 1679315147\n" + checkpoint text, and its SHA-256;
//   - the signature with `openssl pkeyutl -sign -rawin` over that message;
//   - the line as "— " + name + " " + base64(key ID || struct.pack(">Q", ts) || signature).
// The checkpoint and timestamp are those of the spec's example message.
constexpr char kSeedHex[] = "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20";
constexpr char kName[] = "witness.example/w1";
constexpr char kPublicKeyHex[] = "79b5562e8fe654f94078b112e8a98ba7901f853ae695bed7e0e3910bad049664";
constexpr uint32_t kKeyId = 0x468d99bb;
constexpr uint32_t kKeyIdAsType01 = 0x47f53f4c;  // same name and key, type 0x01
// The base64 part contains '+'.
constexpr char kVkey[] = "witness.example/w1+468d99bb+BHm1Vi6P5lT5QHixEuipi6eQH4U65pW+1+DjkQutBJZk";
constexpr char kSkey[] =
    "PRIVATE+KEY+witness.example/w1+468d99bb+BAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g";
constexpr char kCheckpoint[] =
    "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
constexpr uint64_t kTimestamp = 1679315147;
constexpr char kMessageSha256[] =
    "e5da61fc426054b9b299196251831ba990fb808990e4e3c3e63bd2140e3989cd";
constexpr char kSignatureHex[] =
    "401d9d6e243bacf3080e3abfb70ab9231b78d93f9ac238984b8f9fc6b9cb9c8df5c7969b56366584356f6407114"
    "4bc80886e28425853822e03b3188fc220da0e";
constexpr char kLine[] =
    "\xe2\x80\x94 witness.example/w1 "
    "Ro2ZuwAAAABkGFDLQB2dbiQ7rPMIDjq/twq5Ixt42T+awjiYS4+fxrnLnI31x5abVjZlhDVvZAcRRLyAiG4oQlhTgi4D"
    "sxiPwiDaDg==\n";

std::vector<uint8_t> Hex(std::string_view hex) { return codec::HexDecode(hex).value(); }

Cosigner KatCosigner() {
  return Cosigner::Create(kName, crypto::Ed25519PrivateKey::FromSeed(Hex(kSeedHex)).value())
      .value();
}

Cosigner TestCosigner(std::string name, uint64_t seed) {
  testing::FakeRandom random(seed);
  return Cosigner::Generate(std::move(name), random).value();
}

TEST(CosignatureKatTest, KeyIdAndKeyForms) {
  const Cosigner cosigner = KatCosigner();
  EXPECT_EQ(codec::HexEncode(cosigner.public_key().bytes()), kPublicKeyHex);
  EXPECT_EQ(cosigner.key_id(), kKeyId);
  EXPECT_EQ(ComputeKeyId(kName, kSignatureTypeCosignatureV1, Hex(kPublicKeyHex)), kKeyId);
  EXPECT_EQ(ComputeKeyId(kName, kSignatureTypeEd25519, Hex(kPublicKeyHex)), kKeyIdAsType01);
  EXPECT_EQ(cosigner.Verifier().Vkey(), kVkey);
  EXPECT_EQ(cosigner.SignerKey(), kSkey);

  auto verifier = CosignatureVerifier::FromVkey(kVkey);
  ASSERT_TRUE(verifier.ok()) << verifier.status();
  EXPECT_EQ(verifier->name(), kName);
  EXPECT_EQ(verifier->key_id(), kKeyId);
  EXPECT_EQ(codec::HexEncode(verifier->public_key().bytes()), kPublicKeyHex);

  auto parsed = Cosigner::FromSignerKey(kSkey);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->key_id(), kKeyId);
  EXPECT_EQ(parsed->Clone().SignerKey(), kSkey);
}

TEST(CosignatureKatTest, MessageBytes) {
  const std::string message = CosignatureV1Message(kCheckpoint, kTimestamp);
  EXPECT_EQ(message, std::string("cosignature/v1\ntime 1679315147\n") + kCheckpoint);
  EXPECT_EQ(codec::HexEncode(crypto::Sha256(message)), kMessageSha256);
  EXPECT_EQ(CosignatureV1Message("x\n", 0), "cosignature/v1\ntime 0\nx\n");
  EXPECT_EQ(CosignatureV1Message("x\n", kMaxCosignatureTimestamp),
            "cosignature/v1\ntime 9223372036854775807\nx\n");
}

TEST(CosignatureKatTest, SignatureLineByteForByte) {
  const Cosigner cosigner = KatCosigner();
  auto signature = cosigner.Sign(kCheckpoint, kTimestamp);
  ASSERT_TRUE(signature.ok()) << signature.status();
  EXPECT_EQ(signature->name, kName);
  EXPECT_EQ(signature->key_id, kKeyId);
  auto note = FormatNote(Note{kCheckpoint, {*signature}});
  ASSERT_TRUE(note.ok());
  EXPECT_EQ(*note, std::string(kCheckpoint) + "\n" + kLine);

  // The base64 after "— <name> ", without the newline.
  const std::string_view line = kLine;
  const size_t start = line.find(' ', 4) + 1;
  auto decoded =
      DecodeCosignatureV1(codec::Base64Decode(line.substr(start, line.size() - start - 1)).value());
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->key_id, kKeyId);
  EXPECT_EQ(decoded->timestamp, kTimestamp);
  EXPECT_EQ(codec::HexEncode(decoded->signature), kSignatureHex);
}

TEST(CosignatureKatTest, VerifiesThroughOpenNote) {
  const CosignatureVerifier verifier = CosignatureVerifier::FromVkey(kVkey).value();
  auto opened = OpenNote(std::string(kCheckpoint) + "\n" + kLine, {&verifier});
  ASSERT_TRUE(opened.ok()) << opened.status();
  ASSERT_EQ(opened->verified.size(), 1u);
  EXPECT_EQ(opened->verified[0].verifier, &verifier);
  EXPECT_EQ(opened->verified[0].timestamp, kTimestamp);
}

TEST(CosignatureEncodingTest, DecodeChecksLengthAndTimestamp) {
  CosignatureV1 c{0x01020304, kMaxCosignatureTimestamp, {}};
  c.signature.fill(0xab);
  std::vector<uint8_t> bytes = EncodeCosignatureV1(c);
  ASSERT_EQ(bytes.size(), kCosignatureV1Size);
  EXPECT_EQ(codec::HexEncode(std::span(bytes).first(12)), "010203047fffffffffffffff");
  auto decoded = DecodeCosignatureV1(bytes);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, c);

  bytes[4] = 0x80;  // 2^63 + ...
  EXPECT_EQ(DecodeCosignatureV1(bytes).status().code(), StatusCode::kInvalidArgument);
  bytes[4] = 0x7f;
  bytes.push_back(0);
  EXPECT_EQ(DecodeCosignatureV1(bytes).status().code(), StatusCode::kInvalidArgument);
  bytes.resize(kCosignatureV1Size - 1);
  EXPECT_EQ(DecodeCosignatureV1(bytes).status().code(), StatusCode::kInvalidArgument);
  bytes.resize(4 + 64);  // a plain Ed25519 note signature
  EXPECT_EQ(DecodeCosignatureV1(bytes).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(DecodeCosignatureV1({}).status().code(), StatusCode::kInvalidArgument);
}

TEST(CosignatureVerifierTest, RejectsVkeysOfOtherTypesAndMalformedOnes) {
  // The same key as a type 0x01 vkey (with its own, valid, key ID) is not a cosigner key.
  auto note_verifier =
      NoteVerifier::Create(kName, crypto::Ed25519PublicKey::FromBytes(Hex(kPublicKeyHex)).value());
  ASSERT_TRUE(note_verifier.ok());
  EXPECT_EQ(CosignatureVerifier::FromVkey(note_verifier->Vkey()).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(NoteVerifier::FromVkey(kVkey).status().code(), StatusCode::kInvalidArgument);
  for (std::string bad :
       {"", "witness.example/w1", "witness.example/w1+468d99bb",
        "witness.example/w1+468d99bc+BHm1Vi6P5lT5QHixEuipi6eQH4U65pW+1+DjkQutBJZk",
        "witness.example/w2+468d99bb+BHm1Vi6P5lT5QHixEuipi6eQH4U65pW+1+DjkQutBJZk",
        "witness.example/w1+468d99bb+BHm1Vi6P5lT5QHixEuipi6eQH4U65pW+1+DjkQutBJZ"}) {
    EXPECT_EQ(CosignatureVerifier::FromVkey(bad).status().code(), StatusCode::kInvalidArgument)
        << bad;
  }
  // Signer keys: a type 0x01 signer key is not a cosigner key and vice versa.
  EXPECT_EQ(NoteSigner::FromSignerKey(kSkey).status().code(), StatusCode::kInvalidArgument);
  testing::FakeRandom random(3);
  const NoteSigner plain = NoteSigner::Generate(kName, random).value();
  EXPECT_EQ(Cosigner::FromSignerKey(plain.SignerKey()).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(CosignatureVerifier::Create("bad name", plain.public_key()).status().code(),
            StatusCode::kInvalidArgument);
}

class CosignatureVerifyTest : public ::testing::Test {
 protected:
  const Cosigner cosigner_ = TestCosigner("w.example", 7);
  const CosignatureVerifier verifier_ = cosigner_.Verifier();
  const std::string text_ = std::string(kCheckpoint);

  // The 72 bytes after the key ID for `text` at `timestamp`.
  std::vector<uint8_t> SignatureBytes(std::string_view text, uint64_t timestamp) const {
    return cosigner_.Sign(text, timestamp).value().signature;
  }
};

TEST_F(CosignatureVerifyTest, ReturnsTheTimestamp) {
  for (uint64_t ts : {uint64_t{0}, uint64_t{1}, kTimestamp, kMaxCosignatureTimestamp}) {
    auto result = verifier_.Verify(text_, SignatureBytes(text_, ts));
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_EQ(*result, ts);
  }
}

TEST_F(CosignatureVerifyTest, RejectsTampering) {
  const std::vector<uint8_t> good = SignatureBytes(text_, kTimestamp);
  // The timestamp is signed.
  std::vector<uint8_t> bytes = good;
  bytes[7] ^= 1;
  EXPECT_EQ(verifier_.Verify(text_, bytes).status().code(), StatusCode::kPermissionDenied);
  // The signature itself.
  bytes = good;
  bytes[40] ^= 1;
  EXPECT_EQ(verifier_.Verify(text_, bytes).status().code(), StatusCode::kPermissionDenied);
  // Every line of the checkpoint, extension lines included.
  std::string text = text_;
  text[0] = 'f';
  EXPECT_EQ(verifier_.Verify(text, good).status().code(), StatusCode::kPermissionDenied);
  const std::string with_extension = text_ + "ext\n";
  const std::vector<uint8_t> extended = SignatureBytes(with_extension, kTimestamp);
  EXPECT_TRUE(verifier_.Verify(with_extension, extended).ok());
  EXPECT_EQ(verifier_.Verify(text_ + "exu\n", extended).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(verifier_.Verify(text_, extended).status().code(), StatusCode::kPermissionDenied);
}

TEST_F(CosignatureVerifyTest, RejectsBadShapes) {
  const std::vector<uint8_t> good = SignatureBytes(text_, kTimestamp);
  std::vector<uint8_t> bytes(good.begin(), good.end() - 1);
  EXPECT_EQ(verifier_.Verify(text_, bytes).status().code(), StatusCode::kPermissionDenied);
  bytes = good;
  bytes.push_back(0);
  EXPECT_EQ(verifier_.Verify(text_, bytes).status().code(), StatusCode::kPermissionDenied);
  // 64 bytes: a plain Ed25519 signature under a cosigner's name and ID.
  bytes.assign(good.begin() + 8, good.end());
  EXPECT_EQ(verifier_.Verify(text_, bytes).status().code(), StatusCode::kPermissionDenied);
  // A timestamp above 2^63 - 1.
  bytes = good;
  bytes[0] = 0x80;
  EXPECT_EQ(verifier_.Verify(text_, bytes).status().code(), StatusCode::kPermissionDenied);
  // A note that is not a checkpoint.
  EXPECT_EQ(verifier_.Verify("not\na checkpoint\n", good).status().code(),
            StatusCode::kPermissionDenied);
}

TEST_F(CosignatureVerifyTest, SignRejectsBadInput) {
  EXPECT_EQ(cosigner_.Sign("not a checkpoint\n", 1).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(cosigner_.Sign(text_, kMaxCosignatureTimestamp + 1).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(cosigner_.Sign(text_, kTimestamp).value(), cosigner_.Sign(text_, kTimestamp).value());
  testing::FakeRandom random(1);
  EXPECT_EQ(Cosigner::Generate("a+b", random).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(CosignatureVerifyTest, PlainAndCosignatureKeysDoNotCrossVerify) {
  // The same Ed25519 key used as a type 0x01 signer gets another key ID, so its note
  // signatures are unknown to the cosignature verifier (and the reverse).
  const NoteSigner plain =
      NoteSigner::Create("w.example", crypto::Ed25519PrivateKey::FromSeed(Hex(kSeedHex)).value())
          .value();
  const Cosigner cosigner =
      Cosigner::Create("w.example", crypto::Ed25519PrivateKey::FromSeed(Hex(kSeedHex)).value())
          .value();
  ASSERT_NE(plain.key_id(), cosigner.key_id());
  const CosignatureVerifier cosig_verifier = cosigner.Verifier();
  const NoteVerifier plain_verifier = plain.Verifier();
  const std::string by_plain = SignNote(text_, {&plain}).value();
  EXPECT_EQ(OpenNote(by_plain, {&cosig_verifier}).status().code(), StatusCode::kUnauthenticated);
  const std::string by_cosigner =
      FormatNote(Note{text_, {cosigner.Sign(text_, 5).value()}}).value();
  EXPECT_EQ(OpenNote(by_cosigner, {&plain_verifier}).status().code(), StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace traceport::ledger
