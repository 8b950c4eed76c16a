#include "codec/multibase.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace traceport::codec {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes B(std::string_view s) { return Bytes(s.begin(), s.end()); }

constexpr Multibase kAll[] = {Multibase::kBase58Btc, Multibase::kBase64Url, Multibase::kBase16,
                              Multibase::kBase64};

TEST(MultibaseTest, SpecExampleYesMani) {
  // The multibase spec's running example, "yes mani !", in each supported base.
  const Bytes input = B("yes mani !");
  EXPECT_EQ(MultibaseEncode(Multibase::kBase58Btc, input), "z7paNL19xttacUY");
  EXPECT_EQ(MultibaseEncode(Multibase::kBase64Url, input), "ueWVzIG1hbmkgIQ");
  EXPECT_EQ(MultibaseEncode(Multibase::kBase16, input), "f796573206d616e692021");
  EXPECT_EQ(MultibaseEncode(Multibase::kBase64, input), "meWVzIG1hbmkgIQ");
  for (const char* text :
       {"z7paNL19xttacUY", "ueWVzIG1hbmkgIQ", "f796573206d616e692021", "meWVzIG1hbmkgIQ"}) {
    auto r = MultibaseDecode(text);
    ASSERT_TRUE(r.ok()) << text << ": " << r.status().ToString();
    EXPECT_EQ(r->bytes, input);
    EXPECT_EQ(static_cast<char>(r->base), text[0]);
  }
}

TEST(MultibaseTest, Names) {
  EXPECT_EQ(MultibaseName(Multibase::kBase58Btc), "base58btc");
  EXPECT_EQ(MultibaseName(Multibase::kBase64Url), "base64url");
  EXPECT_EQ(MultibaseName(Multibase::kBase16), "base16");
  EXPECT_EQ(MultibaseName(Multibase::kBase64), "base64");
}

TEST(MultibaseTest, RejectsEmptyAndUnknownPrefixes) {
  EXPECT_EQ(MultibaseDecode("").status().message(), "multibase: empty input");
  EXPECT_EQ(MultibaseDecode("Qabc").status().message(), "multibase: unsupported prefix 'Q'");
  EXPECT_EQ(MultibaseDecode("F00").status().message(), "multibase: unsupported prefix 'F'");
  EXPECT_EQ(MultibaseDecode("U00").status().message(), "multibase: unsupported prefix 'U'");
  EXPECT_EQ(MultibaseDecode("\x01z").status().message(), "multibase: unsupported prefix 0x01");
  EXPECT_EQ(MultibaseDecode("Qabc").status().code(), StatusCode::kInvalidArgument);
}

TEST(MultibaseTest, BodyErrorsCarryTheBaseAndOffset) {
  EXPECT_EQ(MultibaseDecode("z2g0").status().message(),
            "multibase: base58: invalid character '0' at offset 2");
  EXPECT_EQ(MultibaseDecode("uZg==").status().message(),
            "multibase: base64url: invalid character '=' at offset 2");
  EXPECT_EQ(MultibaseDecode("mZh").status().message(),
            "multibase: base64: non-zero trailing bits at offset 1");
  EXPECT_EQ(MultibaseDecode("f0").status().message(), "multibase: hex: odd length 1");
  EXPECT_EQ(MultibaseDecode("f00AB").status().message(),
            "multibase: hex: uppercase character 'A' at offset 2");
  auto big = MultibaseDecode("z" + std::string(9000, '2'));
  EXPECT_EQ(big.status().code(), StatusCode::kResourceExhausted);
}

TEST(MultibaseTest, DecodeAsChecksThePrefix) {
  auto ok = MultibaseDecodeAs(Multibase::kBase58Btc, "z7paNL19xttacUY");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, B("yes mani !"));
  EXPECT_EQ(MultibaseDecodeAs(Multibase::kBase58Btc, "ueWVzIG1hbmkgIQ").status().message(),
            "multibase: expected prefix 'z' (base58btc), got 'u' (base64url)");
  EXPECT_EQ(MultibaseDecodeAs(Multibase::kBase64Url, "").status().message(),
            "multibase: empty input");
  EXPECT_EQ(MultibaseDecodeAs(Multibase::kBase64Url, "xabc").status().message(),
            "multibase: unsupported prefix 'x'");
}

TEST(MultibaseTest, EmptyPayloads) {
  for (Multibase base : kAll) {
    std::string text = MultibaseEncode(base, Bytes{});
    EXPECT_EQ(text.size(), 1u);
    auto r = MultibaseDecode(text);
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->bytes.empty());
  }
}

TEST(MultibaseTest, RandomRoundTrips) {
  std::mt19937_64 rng(0x6d62);
  for (int iter = 0; iter < 1000; ++iter) {
    Bytes bytes(rng() % 64);
    for (auto& b : bytes) b = static_cast<uint8_t>(rng() % 4 == 0 ? 0 : rng());
    for (Multibase base : kAll) {
      std::string text = MultibaseEncode(base, bytes);
      auto r = MultibaseDecode(text);
      ASSERT_TRUE(r.ok()) << text << ": " << r.status().ToString();
      ASSERT_EQ(r->base, base);
      ASSERT_EQ(r->bytes, bytes);
    }
  }
}

}  // namespace
}  // namespace traceport::codec
