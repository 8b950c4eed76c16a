#include "codec/multicodec.h"

#include <gtest/gtest.h>

#include <vector>

#include "codec/hex.h"
#include "codec/multibase.h"

namespace traceport::codec {
namespace {

using Bytes = std::vector<uint8_t>;

TEST(MulticodecTest, PrefixesAreTheTableVarints) {
  const Bytes payload = {0x01, 0x02};
  struct Case {
    MulticodecCode code;
    const char* hex;
    const char* name;
  };
  const Case cases[] = {
      {MulticodecCode::kEd25519Pub, "ed01", "ed25519-pub"},
      {MulticodecCode::kX25519Pub, "ec01", "x25519-pub"},
      {MulticodecCode::kSecp256k1Pub, "e701", "secp256k1-pub"},
      {MulticodecCode::kP256Pub, "8024", "p256-pub"},
      {MulticodecCode::kP384Pub, "8124", "p384-pub"},
      {MulticodecCode::kP521Pub, "8224", "p521-pub"},
      {MulticodecCode::kEd25519Priv, "8026", "ed25519-priv"},
      {MulticodecCode::kP256Priv, "8626", "p256-priv"},
      {MulticodecCode::kP384Priv, "8726", "p384-priv"},
      {MulticodecCode::kSha2_256, "12", "sha2-256"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(HexEncode(PrefixMulticodec(c.code, payload)), std::string(c.hex) + "0102");
    EXPECT_EQ(MulticodecName(c.code), c.name);
    EXPECT_EQ(LookupMulticodec(static_cast<uint64_t>(c.code)), c.code);
    Bytes prefixed = PrefixMulticodec(c.code, payload);
    auto split = SplitMulticodec(prefixed);
    ASSERT_TRUE(split.ok()) << split.status().ToString();
    EXPECT_EQ(split->code, c.code);
    EXPECT_EQ(Bytes(split->payload.begin(), split->payload.end()), payload);
    // The payload is a view into the input, not a copy.
    EXPECT_EQ(split->payload.data(), prefixed.data() + prefixed.size() - payload.size());
  }
}

TEST(MulticodecTest, UnknownCodesAreUnimplemented) {
  EXPECT_FALSE(LookupMulticodec(0x1234).has_value());
  auto r = SplitMulticodec(Bytes{0xb4, 0x24, 0x00});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnimplemented);
  EXPECT_EQ(r.status().message(), "multicodec: unsupported code 0x1234");
  EXPECT_EQ(SplitMulticodec(Bytes{0x00}).status().message(), "multicodec: unsupported code 0x0");
}

TEST(MulticodecTest, BadVarintsAreInvalidArgument) {
  auto r = SplitMulticodec(Bytes{0xed});
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(),
            "multicodec: varint: truncated: continuation bit set on the last byte at offset 0");
  EXPECT_EQ(SplitMulticodec(Bytes{}).status().message(), "multicodec: varint: empty input");
  // ed25519-pub with a redundant zero group must not be read as ed25519-pub.
  EXPECT_EQ(SplitMulticodec(Bytes{0xed, 0x81, 0x00}).status().message(),
            "multicodec: varint: non-minimal encoding (zero final byte at offset 2)");
}

TEST(MulticodecTest, EmptyPayloadIsAllowed) {
  auto r = SplitMulticodec(Bytes{0xed, 0x01});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->payload.empty());
}

TEST(MulticodecTest, Ed25519MultikeyOfRfc8032TestKey) {
  // RFC 8032 section 7.1 TEST 1 public key, as a Multikey (base58btc of ed01 || key).
  const char* kKeyHex = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
  const char* kMultikey = "z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw";
  auto key = HexDecode(kKeyHex);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(
      MultibaseEncode(Multibase::kBase58Btc, PrefixMulticodec(MulticodecCode::kEd25519Pub, *key)),
      kMultikey);
  auto bytes = MultibaseDecodeAs(Multibase::kBase58Btc, kMultikey);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  auto split = SplitMulticodec(*bytes);
  ASSERT_TRUE(split.ok()) << split.status().ToString();
  EXPECT_EQ(split->code, MulticodecCode::kEd25519Pub);
  EXPECT_EQ(HexEncode(split->payload), kKeyHex);
}

TEST(MulticodecTest, NistMultikeysHaveTheirWellKnownPrefixes) {
  Bytes p256(33, 0x00), p384(49, 0xff);
  p256[0] = 0x02;
  p384[0] = 0x03;
  EXPECT_EQ(MultibaseEncode(Multibase::kBase58Btc, PrefixMulticodec(MulticodecCode::kP256Pub, p256))
                .substr(0, 4),
            "zDna");
  EXPECT_EQ(MultibaseEncode(Multibase::kBase58Btc, PrefixMulticodec(MulticodecCode::kP384Pub, p384))
                .substr(0, 4),
            "z82L");
}

}  // namespace
}  // namespace traceport::codec
