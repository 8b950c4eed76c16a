#include "codec/fast_json.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "codec/jcs.h"

namespace traceport::codec {
namespace {

// FastJson accepts what ParseJson accepts (except integers beyond 64 bits, which it refuses
// naming a number), with the same value and canonical form.
void ExpectSameAsStrictParser(std::string_view text, bool allow_big_numbers = false) {
  auto strict = ParseJsonNlohmann(text);
  auto fast = FastJson::Parse(text);
  if (allow_big_numbers && strict.ok() && !fast.ok() &&
      fast.status().message().find("number") != std::string_view::npos) {
    return;
  }
  ASSERT_EQ(fast.ok(), strict.ok())
      << text << "\n  strict: " << strict.status() << "\n  fast: " << fast.status();
  if (!strict.ok()) return;
  EXPECT_EQ(ToJson(fast->root()), *strict) << text;
  EXPECT_EQ(*CanonicalizeFast(fast->root()), *Canonicalize(*strict)) << text;
}

TEST(FastJsonTest, AgreesWithTheStrictParser) {
  for (
      std::string_view text :
      {R"({"b":[1,2.5,-0,1e2,1E-7,123456789012345678,-9007199254740993],"a":"x"})",
       R"({"\u00e9":1,"e":2,"\ud83d\ude00":3,"\uffff":4,"z":{"y":[{"x":null}]}})",
       R"("a\u0000b\n\"\\\/")", "true", "[]", "{}", R"([{"a":{}},[[]]])",
       R"({"big":18446744073709551615,"neg":-9223372036854775808})",
       // Rejected by both.
       R"({"a":1,"a":2})", R"({"a":{"x":1,"x":1}})",
       R"({"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9,"j":10,"k":11,"l":12,"m":13,"n":14,"o":15,"p":16,"q":17,"a":18})",
       R"({"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9,"j":10,"k":11,"l":12,"m":13,"n":14,"o":15,"p":16,"q":17})",
       R"({"\u0061":1,"a":2})", R"({"a":"\ud800"})", "\xEF\xBB\xBF{}", "[1,]", "[1] x",
       R"({"a":NaN})", "{\"a\":\"\xC0\x80\"}", R"({"a":1e400})", "", "[01]",
       R"({"a":"tab	here"})"}) {
    ExpectSameAsStrictParser(text);
  }
}

TEST(FastJsonTest, AgreesOnTheCodecCorpus) {
  const std::filesystem::path dir =
      std::filesystem::path(TRACEPORT_SOURCE_DIR) / "src/codec/testdata/fuzz/jcs_fuzz";
  size_t n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream f(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    ExpectSameAsStrictParser(ss.str(), /*allow_big_numbers=*/true);
    ++n;
  }
  EXPECT_GT(n, 10u);
}

TEST(FastJsonTest, EmptyInput) {
  EXPECT_EQ(FastJson::Parse(std::string_view()).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(FastJson::Parse("").status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(ParseJson(std::string_view()).ok());
}

TEST(FastJsonTest, RefusesIntegersBeyondSixtyFourBits) {
  const std::string text = R"({"n":123456789012345678901234567890})";
  ASSERT_TRUE(ParseJson(text).ok());  // nlohmann keeps it as a double
  auto fast = FastJson::Parse(text);
  EXPECT_EQ(fast.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(fast.status().message().find("number"), std::string_view::npos) << fast.status();
}

TEST(FastJsonTest, Limits) {
  JsonLimits limits;
  limits.max_depth = 3;
  EXPECT_TRUE(FastJson::Parse("[[[1]]]", limits).ok());
  EXPECT_EQ(FastJson::Parse("[[[[1]]]]", limits).status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(FastJson::Parse(R"({"a":{"b":{"c":{}}}})", limits).status().code(),
            StatusCode::kResourceExhausted);
  EXPECT_EQ(ParseJson("[[[[1]]]]", limits).status().code(), StatusCode::kResourceExhausted);
  limits.max_bytes = 4;
  EXPECT_EQ(FastJson::Parse("[1,2]", limits).status().code(), StatusCode::kResourceExhausted);
}

TEST(FastJsonTest, MembersAndOmission) {
  auto doc = FastJson::Parse(R"({"proof":{"a":1},"z":[1],"a":{"proof":2}})");
  ASSERT_TRUE(doc.ok());
  auto z = FastMember(doc->root(), "z");
  ASSERT_TRUE(z.has_value());
  EXPECT_TRUE(z->is_array());
  EXPECT_FALSE(FastMember(doc->root(), "missing").has_value());
  EXPECT_FALSE(FastMember(*z, "z").has_value());  // not an object
  EXPECT_EQ(*CanonicalizeFast(doc->root(), "proof"), R"({"a":{"proof":2},"z":[1]})");
  // Documents stay valid while parsers are reused by later parses.
  std::vector<FastJson> many;
  for (int i = 0; i < 10; ++i) many.push_back(*FastJson::Parse("[" + std::to_string(i) + "]"));
  for (int i = 0; i < 10; ++i)
    EXPECT_EQ(*CanonicalizeFast(many[i].root()), "[" + std::to_string(i) + "]");
}

}  // namespace
}  // namespace traceport::codec
