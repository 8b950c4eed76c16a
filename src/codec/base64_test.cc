#include "codec/base64.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace traceport::codec {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes B(std::string_view s) { return Bytes(s.begin(), s.end()); }

// Bit-at-a-time reference encoder, written independently of the table-driven one.
std::string ReferenceEncode(const Bytes& bytes, bool url, bool pad) {
  const std::string alphabet =
      std::string("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") +
      (url ? "-_" : "+/");
  std::string out;
  unsigned acc = 0;
  int bits = 0;
  for (uint8_t b : bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(alphabet[(acc >> bits) & 0x3F]);
    }
  }
  if (bits > 0) out.push_back(alphabet[(acc << (6 - bits)) & 0x3F]);
  while (pad && out.size() % 4 != 0) out.push_back('=');
  return out;
}

// RFC 4648 section 10.
struct Rfc4648Vector {
  const char* in;
  const char* b64;
};
constexpr Rfc4648Vector kRfc4648[] = {
    {"", ""},
    {"f", "Zg=="},
    {"fo", "Zm8="},
    {"foo", "Zm9v"},
    {"foob", "Zm9vYg=="},
    {"fooba", "Zm9vYmE="},
    {"foobar", "Zm9vYmFy"},
};

TEST(Base64Test, Rfc4648Vectors) {
  for (const auto& v : kRfc4648) {
    EXPECT_EQ(Base64Encode(std::string_view(v.in)), v.b64);
    auto decoded = Base64Decode(v.b64);
    ASSERT_TRUE(decoded.ok()) << v.b64 << ": " << decoded.status().ToString();
    EXPECT_EQ(*decoded, B(v.in));

    std::string unpadded = v.b64;
    while (!unpadded.empty() && unpadded.back() == '=') unpadded.pop_back();
    EXPECT_EQ(Base64UrlEncode(std::string_view(v.in)), unpadded);
    EXPECT_EQ(Base64UnpaddedEncode(B(v.in)), unpadded);
    auto url = Base64UrlDecode(unpadded);
    ASSERT_TRUE(url.ok()) << url.status().ToString();
    EXPECT_EQ(*url, B(v.in));
  }
}

TEST(Base64Test, AlphabetsDiffer) {
  Bytes bytes = {0xfb, 0xff, 0xbf};
  EXPECT_EQ(Base64Encode(bytes), "+/+/");
  EXPECT_EQ(Base64UrlEncode(bytes), "-_-_");
  EXPECT_EQ(Base64Decode("-_-_").status().message(), "base64: invalid character '-' at offset 0");
  EXPECT_EQ(Base64UrlDecode("+/+/").status().message(),
            "base64url: invalid character '+' at offset 0");
  EXPECT_EQ(Base64UnpaddedDecode("-_").status().message(),
            "base64: invalid character '-' at offset 0");
}

TEST(Base64Test, PaddedRejectsBadLengthAndPadding) {
  EXPECT_EQ(Base64Decode("Zg=").status().message(),
            "base64: invalid length 3 (not a multiple of 4)");
  EXPECT_EQ(Base64Decode("Zg").status().message(),
            "base64: invalid length 2 (not a multiple of 4)");
  EXPECT_EQ(Base64Decode("Z===").status().message(), "base64: invalid character '=' at offset 1");
  EXPECT_EQ(Base64Decode("====").status().message(), "base64: invalid character '=' at offset 0");
  EXPECT_EQ(Base64Decode("Zg==Zg==").status().message(),
            "base64: invalid character '=' at offset 2");
  EXPECT_EQ(Base64Decode("Zm=v").status().message(), "base64: invalid character '=' at offset 2");
  EXPECT_EQ(Base64Decode("Zm9v\n").status().message(),
            "base64: invalid length 5 (not a multiple of 4)");
  EXPECT_EQ(Base64Decode("Zm9 ").status().message(), "base64: invalid character 0x20 at offset 3");
}

TEST(Base64Test, RejectsNonCanonicalTrailingBits) {
  // "Zg==" is the only encoding of "f"; "Zh==" differs only in bits the decoder drops.
  EXPECT_EQ(Base64Decode("Zh==").status().message(), "base64: non-zero trailing bits at offset 1");
  EXPECT_EQ(Base64Decode("Zm9=").status().message(), "base64: non-zero trailing bits at offset 2");
  EXPECT_EQ(Base64UrlDecode("Zh").status().message(),
            "base64url: non-zero trailing bits at offset 1");
  EXPECT_EQ(Base64UrlDecode("Zm9vZm9").status().message(),
            "base64url: non-zero trailing bits at offset 6");
  EXPECT_TRUE(Base64UrlDecode("Zm8").ok());
}

TEST(Base64Test, UrlRejectsPaddingAndImpossibleLengths) {
  EXPECT_EQ(Base64UrlDecode("Zg==").status().message(),
            "base64url: invalid character '=' at offset 2");
  EXPECT_EQ(Base64UrlDecode("Zm8=").status().message(),
            "base64url: invalid character '=' at offset 3");
  EXPECT_EQ(Base64UrlDecode("Z").status().message(), "base64url: invalid length 1");
  EXPECT_EQ(Base64UrlDecode("Zm9vY").status().message(), "base64url: invalid length 5");
  EXPECT_EQ(Base64UrlDecode("Zm9v.Zm9").status().message(),
            "base64url: invalid character '.' at offset 4");
  EXPECT_EQ(Base64UrlDecode(std::string("Zm9\x80", 4)).status().message(),
            "base64url: invalid character 0x80 at offset 3");
  EXPECT_EQ(Base64UnpaddedDecode("Zg==").status().message(),
            "base64: invalid character '=' at offset 2");
}

TEST(Base64Test, EveryCodeIsInvalidArgument) {
  for (const char* bad : {"Zg=", "Zh==", "Z===", "a b="}) {
    EXPECT_EQ(Base64Decode(bad).status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST(Base64Test, BadCharacterIsReportedWhereItIs) {
  // Whole groups and the final partial group, for every position in both alphabets.
  const std::string valid =
      Base64UrlEncode(std::string_view("a text of some forty-one bytes, or so...."));
  for (size_t at = 0; at < valid.size(); ++at) {
    for (char bad : {'*', '+', '=', '\0', '\x80'}) {
      std::string text = valid;
      text[at] = bad;
      auto r = Base64UrlDecode(text);
      ASSERT_FALSE(r.ok()) << at;
      EXPECT_THAT(std::string(r.status().message()),
                  ::testing::HasSubstr("at offset " + std::to_string(at)))
          << at;
    }
  }
}

TEST(Base64Test, RandomRoundTripsMatchReference) {
  std::mt19937_64 rng(4648);
  for (int iter = 0; iter < 2000; ++iter) {
    Bytes bytes(rng() % 100);
    for (auto& b : bytes) b = static_cast<uint8_t>(rng());
    const std::string std_text = Base64Encode(bytes);
    ASSERT_EQ(std_text, ReferenceEncode(bytes, false, true));
    const std::string url_text = Base64UrlEncode(bytes);
    ASSERT_EQ(url_text, ReferenceEncode(bytes, true, false));
    const std::string unpadded = Base64UnpaddedEncode(bytes);
    ASSERT_EQ(unpadded, ReferenceEncode(bytes, false, false));

    auto a = Base64Decode(std_text);
    auto b = Base64UrlDecode(url_text);
    auto c = Base64UnpaddedDecode(unpadded);
    ASSERT_TRUE(a.ok() && b.ok() && c.ok());
    ASSERT_EQ(*a, bytes);
    ASSERT_EQ(*b, bytes);
    ASSERT_EQ(*c, bytes);
  }
}

TEST(Base64Test, RandomTextDecodesOnlyWhenCanonical) {
  // Whatever the strict decoders accept must re-encode to the very same text.
  const std::string chars = "AZaz09+/-_=Q";
  std::mt19937_64 rng(7515);
  int accepted = 0;
  for (int iter = 0; iter < 20000; ++iter) {
    std::string text(rng() % 9, 'A');
    for (auto& c : text) c = chars[rng() % chars.size()];
    if (auto r = Base64Decode(text); r.ok()) {
      ++accepted;
      ASSERT_EQ(Base64Encode(*r), text);
    }
    if (auto r = Base64UrlDecode(text); r.ok()) {
      ++accepted;
      ASSERT_EQ(Base64UrlEncode(*r), text);
    }
    if (auto r = Base64UnpaddedDecode(text); r.ok()) {
      ++accepted;
      ASSERT_EQ(Base64UnpaddedEncode(*r), text);
    }
  }
  EXPECT_GT(accepted, 100);
}

}  // namespace
}  // namespace traceport::codec
