#include "codec/varint.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "codec/hex.h"

namespace traceport::codec {
namespace {

using Bytes = std::vector<uint8_t>;

std::string EncodeHex(uint64_t value) {
  Bytes out;
  Status s = AppendVarint(value, &out);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return HexEncode(out);
}

TEST(VarintTest, KnownEncodings) {
  EXPECT_EQ(EncodeHex(0), "00");
  EXPECT_EQ(EncodeHex(1), "01");
  EXPECT_EQ(EncodeHex(127), "7f");
  EXPECT_EQ(EncodeHex(128), "8001");
  EXPECT_EQ(EncodeHex(255), "ff01");
  EXPECT_EQ(EncodeHex(300), "ac02");
  EXPECT_EQ(EncodeHex(16384), "808001");
  EXPECT_EQ(EncodeHex(0xed), "ed01");
  EXPECT_EQ(EncodeHex(0x1200), "8024");
  EXPECT_EQ(EncodeHex(0x1201), "8124");
  EXPECT_EQ(EncodeHex(0x1300), "8026");
  EXPECT_EQ(EncodeHex(kMaxVarintValue), "ffffffffffffffff7f");
}

TEST(VarintTest, AppendKeepsExistingBytes) {
  Bytes out = {0xaa};
  ASSERT_TRUE(AppendVarint(0xed, &out).ok());
  EXPECT_EQ(out, (Bytes{0xaa, 0xed, 0x01}));
}

TEST(VarintTest, RejectsValuesNeedingTenBytes) {
  Bytes out = {0xaa};
  Status s = AppendVarint(kMaxVarintValue + 1, &out);
  EXPECT_EQ(s.code(), StatusCode::kOutOfRange);
  EXPECT_EQ(s.message(), "varint: value 9223372036854775808 exceeds 2^63-1");
  EXPECT_EQ(out, Bytes{0xaa});
}

TEST(VarintTest, DecodesPrefixAndReportsLength) {
  Bytes in = {0x80, 0x24, 0x02, 0x03};
  auto r = DecodeVarint(in);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->value, 0x1200u);
  EXPECT_EQ(r->length, 2u);
  Bytes max = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f};
  auto m = DecodeVarint(max);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->value, kMaxVarintValue);
  EXPECT_EQ(m->length, 9u);
}

TEST(VarintTest, RejectsMalformedInput) {
  EXPECT_EQ(DecodeVarint(Bytes{}).status().message(), "varint: empty input");
  EXPECT_EQ(DecodeVarint(Bytes{0x80}).status().message(),
            "varint: truncated: continuation bit set on the last byte at offset 0");
  EXPECT_EQ(DecodeVarint(Bytes{0xed, 0x81}).status().message(),
            "varint: truncated: continuation bit set on the last byte at offset 1");
  EXPECT_EQ(DecodeVarint(Bytes{0x80, 0x00}).status().message(),
            "varint: non-minimal encoding (zero final byte at offset 1)");
  EXPECT_EQ(DecodeVarint(Bytes{0xed, 0x80, 0x00}).status().message(),
            "varint: non-minimal encoding (zero final byte at offset 2)");
  Bytes ten(9, 0xff);
  ten.push_back(0x01);
  EXPECT_EQ(DecodeVarint(ten).status().message(), "varint: longer than 9 bytes");
  EXPECT_EQ(DecodeVarint(Bytes(9, 0x80)).status().message(), "varint: longer than 9 bytes");
  EXPECT_EQ(DecodeVarint(Bytes(9, 0x80)).status().code(), StatusCode::kInvalidArgument);
  // A single zero byte is the minimal encoding of 0.
  EXPECT_TRUE(DecodeVarint(Bytes{0x00}).ok());
}

TEST(VarintTest, EveryTwoByteInputDecodesIffMinimal) {
  for (int a = 0; a < 256; ++a) {
    for (int b = 0; b < 256; ++b) {
      Bytes in = {static_cast<uint8_t>(a), static_cast<uint8_t>(b)};
      auto r = DecodeVarint(in);
      if (a < 0x80) {
        ASSERT_TRUE(r.ok());
        ASSERT_EQ(r->length, 1u);
        ASSERT_EQ(r->value, static_cast<uint64_t>(a));
        continue;
      }
      const bool valid = b != 0 && b < 0x80;
      ASSERT_EQ(r.ok(), valid) << a << "," << b;
      if (valid) {
        Bytes again;
        ASSERT_TRUE(AppendVarint(r->value, &again).ok());
        ASSERT_EQ(again, in);
      }
    }
  }
}

TEST(VarintTest, RandomValuesRoundTrip) {
  std::mt19937_64 rng(1281);
  for (int iter = 0; iter < 5000; ++iter) {
    const uint64_t value = rng() >> (1 + rng() % 63);  // every bit width below 2^63
    Bytes enc;
    ASSERT_TRUE(AppendVarint(value, &enc).ok());
    ASSERT_LE(enc.size(), kMaxVarintBytes);
    enc.push_back(0x55);  // trailing payload must be left alone
    auto dec = DecodeVarint(enc);
    ASSERT_TRUE(dec.ok()) << dec.status().ToString();
    ASSERT_EQ(dec->value, value);
    ASSERT_EQ(dec->length, enc.size() - 1);
  }
}

}  // namespace
}  // namespace traceport::codec
