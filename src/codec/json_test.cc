#include "codec/json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace traceport::codec {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using json = nlohmann::json;

Status ParseError(std::string_view text, const JsonLimits& limits = {}) {
  auto r = ParseJson(text, limits);
  EXPECT_FALSE(r.ok()) << "accepted: " << std::string(text);
  return r.status();
}

TEST(JsonTest, ParsesEveryKindOfValue) {
  auto r = ParseJson(R"( {"a": [1, -2, 18446744073709551615, 1.5, true, false, null, "s\n"],
                          "b": {}, "c": []} )");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const json& a = (*r)["a"];
  EXPECT_TRUE(a[0].is_number_unsigned() || a[0].is_number_integer());
  EXPECT_EQ(a[1].get<int64_t>(), -2);
  EXPECT_TRUE(a[2].is_number_unsigned());
  EXPECT_EQ(a[2].get<uint64_t>(), 18446744073709551615u);
  EXPECT_TRUE(a[3].is_number_float());
  EXPECT_EQ(a[4], true);
  EXPECT_EQ(a[5], false);
  EXPECT_TRUE(a[6].is_null());
  EXPECT_EQ(a[7], "s\n");
  EXPECT_TRUE((*r)["b"].is_object());
  EXPECT_TRUE((*r)["c"].is_array());
}

TEST(JsonTest, NumberRepresentations) {
  EXPECT_TRUE(ParseJson("18446744073709551616")->is_number_float());
  EXPECT_TRUE(ParseJson("-9223372036854775808")->is_number_integer());
  EXPECT_TRUE(ParseJson("-9223372036854775809")->is_number_float());
  auto minus_zero = ParseJson("-0");
  ASSERT_TRUE(minus_zero.ok());
  EXPECT_EQ(minus_zero->get<int64_t>(), 0);
  auto minus_zero_float = ParseJson("-0.0");
  ASSERT_TRUE(minus_zero_float.ok());
  EXPECT_TRUE(std::signbit(minus_zero_float->get<double>()));
  auto tiny = ParseJson("1e-400");  // underflows to 0, which is finite
  ASSERT_TRUE(tiny.ok());
  EXPECT_EQ(tiny->get<double>(), 0.0);
}

TEST(JsonTest, ScalarsAtTopLevelAndWhitespace) {
  EXPECT_EQ(*ParseJson(" \t\r\n\"x\" \n"), "x");
  EXPECT_EQ(*ParseJson("null"), nullptr);
  EXPECT_EQ(*ParseJson("42"), 42);
}

TEST(JsonTest, SyntaxErrorsNameTheOffset) {
  Status s = ParseError("[1,]");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), StartsWith("json: invalid JSON at offset 3: "));
  EXPECT_THAT(std::string(s.message()), HasSubstr("syntax error"));
  EXPECT_THAT(std::string(ParseError("tru").message()),
              StartsWith("json: invalid JSON at offset 3: "));
  EXPECT_THAT(std::string(ParseError("").message()),
              StartsWith("json: invalid JSON at offset 0: "));
  EXPECT_THAT(std::string(ParseError("{\"a\" 1}").message()),
              StartsWith("json: invalid JSON at offset 5: "));
}

TEST(JsonTest, RejectsNonJsonLiteralsAndForms) {
  for (const char* text :
       {"NaN",   "-NaN",      "Infinity",  "-Infinity",   "[NaN]", "{\"a\":Infinity}",
        "nan",   "1e",        "01",        ".5",          "+1",    "0x10",
        "1.",    "'a'",       "/*c*/1",    "//c\n1",      "[1 2]", "{\"a\":1,}",
        "{a:1}", "\"\\x41\"", "\"\\u12\"", "\"\\U0041\"", "[",     "{",
        "\"abc", "]",         "{\"a\"}",   "[,1]",        "True",  "NULL",
        "-",     "--1",       "1e+",       "\"\\\""}) {
    Status s = ParseError(text);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << text;
    EXPECT_THAT(std::string(s.message()), StartsWith("json: invalid JSON at offset ")) << text;
  }
}

TEST(JsonTest, RejectsTrailingBytes) {
  for (std::string text :
       {std::string("{} x"), std::string("1 2"), std::string("{}}"), std::string("\"a\"\"b\"")}) {
    Status s = ParseError(text);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(s.message()), HasSubstr("expected end of input")) << s.ToString();
  }
}

// nlohmann's lexer treats a NUL byte as the end of input, which would let "{}\0<anything>"
// through; ParseJson refuses NUL bytes up front.
TEST(JsonTest, RejectsNulBytesAnywhere) {
  EXPECT_EQ(ParseError(std::string("[]\0", 3)).message(),
            "json: invalid JSON at offset 2: NUL byte");
  EXPECT_EQ(ParseError(std::string("{\"a\":1}\0{\"a\":2}", 15)).message(),
            "json: invalid JSON at offset 7: NUL byte");
  EXPECT_EQ(ParseError(std::string("\0", 1)).message(), "json: invalid JSON at offset 0: NUL byte");
  EXPECT_EQ(ParseError(std::string("[\"a\0\"]", 5)).message(),
            "json: invalid JSON at offset 3: NUL byte");
}

TEST(JsonTest, RejectsByteOrderMark) {
  EXPECT_EQ(ParseError("\xEF\xBB\xBF{}").message(),
            "json: byte order mark at offset 0 is not allowed");
}

TEST(JsonTest, RejectsInvalidUtf8AndRawControls) {
  for (std::string text : {
           std::string("\"\xff\""),              // never valid
           std::string("\"\x80\""),              // lone continuation byte
           std::string("\"\xc0\xaf\""),          // overlong '/'
           std::string("\"\xe0\x80\xaf\""),      // overlong, 3 bytes
           std::string("\"\xed\xa0\x80\""),      // encoded surrogate U+D800
           std::string("\"\xf4\x90\x80\x80\""),  // above U+10FFFF
           std::string("\"\xe2\x82\""),          // truncated sequence
           std::string("\"a\tb\""),              // raw tab inside a string
           std::string("\"a\x01\""),             // raw control
           std::string("\"\0\"", 3),             // raw NUL
           std::string("[\xc3\xa9]"),            // valid UTF-8, but outside a string
       }) {
    Status s = ParseError(text);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(s.message()), StartsWith("json: invalid JSON at offset "));
  }
  auto ok = ParseJson("\"\xf0\x9f\x98\x80 \xe2\x82\xac \\u0000\"");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->get<std::string>(), std::string("\xf0\x9f\x98\x80 \xe2\x82\xac \0", 10));
}

TEST(JsonTest, RejectsLoneSurrogates) {
  for (const char* text : {"\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"\\ud800x\"",
                           "\"\\udbff\\udbff\"", "\"\\ude00\\ud83d\"", "{\"\\ud800\":1}"}) {
    Status s = ParseError(text);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << text;
    EXPECT_THAT(std::string(s.message()), HasSubstr("surrogate")) << text;
  }
  auto pair = ParseJson("\"\\ud83d\\ude00\"");
  ASSERT_TRUE(pair.ok()) << pair.status().ToString();
  EXPECT_EQ(pair->get<std::string>(), "\xf0\x9f\x98\x80");
}

TEST(JsonTest, RejectsDuplicateNames) {
  Status s = ParseError(R"({"a":1,"a":2})");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "json: duplicate member name \"a\" at offset 7 (in the top-level object)");
  // Names are compared after unescaping.
  EXPECT_EQ(ParseError(R"({"a":1,"\u0061":2})").message(),
            "json: duplicate member name \"a\" at offset 7 (in the top-level object)");
  EXPECT_EQ(ParseError(R"({"x":[{"k":1},{"k":1,"k":2}]})").message(),
            "json: duplicate member name \"k\" at offset 21 (in object at /x/1)");
  EXPECT_EQ(ParseError(R"({"a\"b":1,"a\"b":2})").message(),
            "json: duplicate member name \"a\"b\" at offset 10 (in the top-level object)");
  EXPECT_EQ(ParseError(R"({"a/b~":{"k":0,"k":0}})").message(),
            "json: duplicate member name \"k\" at offset 15 (in object at /a~1b~0)");
  // Same names in different objects, or differing only in case or whitespace, are fine.
  EXPECT_TRUE(ParseJson(R"({"a":{"a":1},"b":{"a":2},"A":3,"a ":4})").ok());
}

std::string Nested(size_t depth, char open, char close, std::string_view inner = "") {
  return std::string(depth, open) + std::string(inner) + std::string(depth, close);
}

TEST(JsonTest, EnforcesDepthLimit) {
  EXPECT_TRUE(ParseJson(Nested(128, '[', ']')).ok());
  Status s = ParseError(Nested(129, '[', ']'));
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(s.message(), "json: nesting deeper than 128 at offset 128");

  std::string objects;
  for (int i = 0; i < 129; ++i) objects += "{\"a\":";
  objects += "1" + std::string(129, '}');
  EXPECT_EQ(ParseError(objects).message(), "json: nesting deeper than 128 at offset 640");

  JsonLimits two;
  two.max_depth = 2;
  EXPECT_TRUE(ParseJson("[[1],{\"a\":1}]", two).ok());
  EXPECT_EQ(ParseError("[[1],{\"a\":[]}]", two).message(),
            "json: nesting deeper than 2 at offset 10");
  JsonLimits zero;
  zero.max_depth = 0;
  EXPECT_TRUE(ParseJson("\"scalar\"", zero).ok());
  EXPECT_EQ(ParseError("[]", zero).code(), StatusCode::kResourceExhausted);
}

TEST(JsonTest, DepthLimitIsClampedToTheHardCeiling) {
  JsonLimits huge;
  huge.max_depth = 1 << 20;
  EXPECT_TRUE(ParseJson(Nested(kMaxJsonDepth, '[', ']'), huge).ok());
  EXPECT_EQ(ParseError(Nested(kMaxJsonDepth + 1, '[', ']'), huge).message(),
            "json: nesting deeper than 1024 at offset 1024");
}

TEST(JsonTest, EnforcesSizeLimit) {
  JsonLimits small;
  small.max_bytes = 10;
  EXPECT_TRUE(ParseJson("[1,2,3,45]", small).ok());
  Status s = ParseError("[1,2,3,456]", small);
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(s.message(), "json: input of 11 bytes exceeds the limit of 10");
}

TEST(JsonTest, RejectsNumbersOutsideDoubleRange) {
  for (const char* text : {"1e400", "-1e400", "[1e309]", "{\"x\":123456789e999}"}) {
    Status s = ParseError(text);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << text;
    EXPECT_THAT(std::string(s.message()), HasSubstr("number overflow")) << s.ToString();
  }
}

TEST(JsonTest, MessagesArePrintableAscii) {
  for (std::string text :
       {std::string("\"\xff\xfe\x01"), std::string("[\"\xe2\x82\xac\x80\"]"),
        std::string("{\"\xc3\xa9\":1,\"\xc3\xa9\":2}"), std::string(300, '\x01')}) {
    Status s = ParseError(text);
    for (char c : s.message()) {
      ASSERT_TRUE(c >= 0x20 && c < 0x7f) << s.ToString();
    }
    EXPECT_LT(s.message().size(), 400u);
  }
  EXPECT_EQ(ParseError("{\"\xc3\xa9\":1,\"\xc3\xa9\":2}").message(),
            "json: duplicate member name \"\\xc3\\xa9\" at offset 8 (in the top-level object)");
}

TEST(JsonTest, TypeNames) {
  EXPECT_EQ(JsonTypeName(json(nullptr)), "null");
  EXPECT_EQ(JsonTypeName(json(true)), "boolean");
  EXPECT_EQ(JsonTypeName(json(1)), "number");
  EXPECT_EQ(JsonTypeName(json(1u)), "number");
  EXPECT_EQ(JsonTypeName(json(1.5)), "number");
  EXPECT_EQ(JsonTypeName(json("s")), "string");
  EXPECT_EQ(JsonTypeName(json::array()), "array");
  EXPECT_EQ(JsonTypeName(json::object()), "object");
}

// Mutated documents: whatever ParseJson accepts, nlohmann's permissive parser accepts with the
// same value; whatever only nlohmann accepts must be a duplicate name, a BOM or a limit.
TEST(JsonTest, MutationsAgreeWithNlohmann) {
  const std::vector<std::string> seeds = {
      R"({"a":[1,2.5,-3e2,true,null],"b":{"c":"d\u00e9\n"},"e":""})",
      R"([{"x":1},{"y":[[]]},"\ud83d\ude00",18446744073709551615,-0.0])",
      R"({"k":"v","k2":{"k":"v"},"n":1E+2,"s":"\"\\\/\b\f\n\r\t"})",
  };
  const std::string alphabet = "{}[],:\"\\ 0123456789.eE+-tfnulrsa\xc3\xa9\xed\xa0\x80\xef\xbb\xbf";
  std::mt19937_64 rng(8259);
  int accepted = 0;
  for (int iter = 0; iter < 20000; ++iter) {
    std::string text = seeds[rng() % seeds.size()];
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      size_t pos = rng() % text.size();
      char c = alphabet[rng() % alphabet.size()];
      switch (rng() % 3) {
        case 0:
          text[pos] = c;
          break;
        case 1:
          text.insert(text.begin() + static_cast<long>(pos), c);
          break;
        default:
          text.erase(pos, 1);
      }
    }
    auto ours = ParseJson(text);
    json theirs = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (ours.ok()) {
      ++accepted;
      ASSERT_FALSE(theirs.is_discarded()) << text;
      ASSERT_EQ(*ours, theirs) << text;
    } else if (!theirs.is_discarded()) {
      const std::string msg(ours.status().message());
      ASSERT_TRUE(msg.find("duplicate member name") != std::string::npos ||
                  msg.find("byte order mark") != std::string::npos)
          << text << " -> " << msg;
    }
  }
  EXPECT_GT(accepted, 1000);
}

std::string NlohmannDump(const json& v) {
  return v.dump(-1, ' ', false, json::error_handler_t::replace);
}

TEST(DumpJsonTest, SameBytesAsNlohmannsCompactDump) {
  const std::vector<json> values = {
      nullptr,
      true,
      false,
      0,
      -1,
      json(std::numeric_limits<int64_t>::min()),
      json(std::numeric_limits<uint64_t>::max()),
      1.5,
      -0.0,
      1e300,
      0.1,
      "",
      "plain",
      "quote \" backslash \\ slash / tab \t nl \n cr \r bs \b ff \f",
      std::string("nul \0 and \x01 \x1f \x7f", 15),
      "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
      json::array(),
      json::object(),
      json::parse(R"({"b":[1,2.25,{"x":null}],"a":"z","":{"\u0001":[]}})"),
  };
  for (const json& v : values) {
    EXPECT_EQ(DumpJson(v), NlohmannDump(v)) << NlohmannDump(v);
  }
  // Invalid UTF-8 anywhere (a value or a name) gives nlohmann's replacement characters.
  for (const std::string bad : {"\xff", "a\xc3", "\xed\xa0\x80", "\xc0\xaf", "\xf4\x90\x80\x80"}) {
    const json v = {{"k", json::array({"ok", bad})}, {bad, 1}};
    EXPECT_EQ(DumpJson(v), NlohmannDump(v));
    EXPECT_NE(DumpJson(v).find("\xef\xbf\xbd"), std::string::npos);
  }
}

TEST(DumpJsonTest, RandomDocumentsMatchNlohmann) {
  std::mt19937 rng(7);
  std::function<json(int)> make = [&](int depth) -> json {
    switch (rng() % (depth > 3 ? 5 : 7)) {
      case 0:
        return nullptr;
      case 1:
        return static_cast<int64_t>(rng()) - (1LL << 31);
      case 2:
        return std::ldexp(static_cast<double>(rng()), static_cast<int>(rng() % 40) - 20);
      case 3:
        return rng() % 2 == 0;
      case 4: {
        std::string s;
        for (size_t n = rng() % 12; n > 0; --n) {
          // ASCII, controls, and bytes of multi-byte sequences (well-formed or not).
          const uint32_t pick = rng() % 10;
          if (pick < 6) {
            s.push_back(static_cast<char>(0x20 + rng() % 0x60));
          } else if (pick < 8) {
            s.push_back(static_cast<char>(rng() % 0x20));
          } else if (pick < 9) {
            s += "\xc3\xa9";
          } else {
            s.push_back(static_cast<char>(0x80 + rng() % 0x80));
          }
        }
        return s;
      }
      case 5: {
        json a = json::array();
        for (size_t n = rng() % 5; n > 0; --n) a.push_back(make(depth + 1));
        return a;
      }
      default: {
        json o = json::object();
        for (size_t n = rng() % 5; n > 0; --n)
          o["k" + std::to_string(rng() % 50)] = make(depth + 1);
        return o;
      }
    }
  };
  for (int i = 0; i < 5000; ++i) {
    const json v = make(0);
    ASSERT_EQ(DumpJson(v), NlohmannDump(v)) << NlohmannDump(v);
  }
}

}  // namespace
}  // namespace traceport::codec
