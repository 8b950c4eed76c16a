#include "codec/jcs.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "codec/fast_json.h"
#include "codec/internal/text.h"

namespace traceport::codec {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;

std::string Canon(std::string_view text) {
  auto r = CanonicalizeText(text);
  EXPECT_TRUE(r.ok()) << r.status().ToString() << " for " << std::string(text);
  return r.ok() ? *r : std::string();
}

// RFC 8785 section 3.2.2: the example that exercises numbers, literals and string escapes.
TEST(JcsTest, Rfc8785ValuesExample) {
  const char* input = R"({
    "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
    "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
    "literals": [null, true, false]
  })";
  EXPECT_EQ(Canon(input),
            "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
            "\"string\":\"\xe2\x82\xac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
}

// RFC 8785 section 3.2.3: member names sorted by UTF-16 code units. U+1F600 (surrogates
// D83D DE00) sorts before U+FB33 although its UTF-8 bytes sort after.
TEST(JcsTest, Rfc8785SortingExample) {
  const char* input = R"({
    "\u20ac": "Euro Sign",
    "\r": "Carriage Return",
    "\ufb33": "Hebrew Letter Dalet With Dagesh",
    "1": "One",
    "\ud83d\ude00": "Emoji: Grinning Face",
    "\u0080": "Control",
    "\u00f6": "Latin Small Letter O With Diaeresis"
  })";
  EXPECT_EQ(Canon(input),
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xc2\x80\":\"Control\","
            "\"\xc3\xb6\":\"Latin Small Letter O With Diaeresis\",\"\xe2\x82\xac\":\"Euro Sign\","
            "\"\xf0\x9f\x98\x80\":\"Emoji: Grinning Face\","
            "\"\xef\xac\xb3\":\"Hebrew Letter Dalet With Dagesh\"}");
}

TEST(JcsTest, StructuresAndWhitespace) {
  EXPECT_EQ(Canon(" [ 56 , { \"d\" : true , \"10\" : null , \"1\" : [ ] } ] "),
            "[56,{\"1\":[],\"10\":null,\"d\":true}]");
  EXPECT_EQ(Canon("{\"b\":{},\"a\":[[],{}],\"\":\"empty\"}"),
            "{\"\":\"empty\",\"a\":[[],{}],\"b\":{}}");
  EXPECT_EQ(Canon("\"top\""), "\"top\"");
  EXPECT_EQ(Canon("-0"), "0");
  EXPECT_EQ(Canon("-0.0"), "0");
  EXPECT_EQ(Canon("[1.0,1e0,10e-1,0.1e1]"), "[1,1,1,1]");
}

TEST(JcsTest, StringEscapes) {
  // Every control character, then the characters that must stay literal.
  std::string input = "\"";
  for (int c = 0; c < 0x20; ++c) {
    char buf[8];
    std::snprintf(buf, sizeof(buf), "\\u%04X", c);
    input += buf;
  }
  input += "\\u007f/\\/<>&'\\u2028\\u2029\xe2\x82\xac\"";
  EXPECT_EQ(
      Canon(input),
      "\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r"
      "\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019"
      "\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f\x7f//<>&'\xe2\x80\xa8\xe2\x80\xa9\xe2\x82\xac\"");
  // No Unicode normalization: A + combining ring stays two code points.
  EXPECT_EQ(Canon("\"A\\u030a\""), "\"A\xcc\x8a\"");
  // Long runs take the word-at-a-time path; escapes at every position of an 8-byte word.
  for (size_t pos = 0; pos < 20; ++pos) {
    std::string plain(20, 'x');
    std::string expected = plain;
    plain.insert(pos, "\\\"");
    expected.insert(pos, "\\\"");
    EXPECT_EQ(Canon("\"" + plain + "\""), "\"" + expected + "\"");
  }
}

// A byte-at-a-time model of internal::AppendJsonString, written from RFC 8785 section 3.2.2.2
// and RFC 3629 without the word-at-a-time scan: escapes, and rejection of malformed UTF-8.
bool ReferenceJsonString(std::string_view s, std::string& out, size_t* bad_at) {
  out += '"';
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<uint8_t>(s[i]);
    if (c < 0x80) {
      static const char* const kShort[] = {"\\b", "\\t", "\\n", nullptr, "\\f", "\\r"};
      if (c == '"' || c == '\\') {
        out += '\\';
        out += static_cast<char>(c);
      } else if (c >= 0x08 && c <= 0x0D && kShort[c - 0x08] != nullptr) {
        out += kShort[c - 0x08];
      } else if (c < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof(buf), "\\u%04x", c);
        out += buf;
      } else {
        out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
    uint32_t cp = len == 4 ? c & 0x07 : len == 3 ? c & 0x0F : c & 0x1F;
    bool ok = len != 0 && i + len <= s.size();
    for (size_t k = 1; ok && k < len; ++k) {
      const auto b = static_cast<uint8_t>(s[i + k]);
      ok = (b & 0xC0) == 0x80;
      cp = cp << 6 | (b & 0x3F);
    }
    const uint32_t min = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
    ok = ok && cp >= min && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
    if (!ok) {
      *bad_at = i;
      return false;
    }
    out.append(s.substr(i, len));
    i += len;
  }
  out += '"';
  return true;
}

TEST(JcsTest, StringScanMatchesByteAtATimeModel) {
  // Short and long strings with one or two special sequences at every position, so that each
  // lands inside a word, across a word boundary and in the last partial word.
  const std::vector<std::string> specials = {"\"",
                                             "\\",
                                             std::string(1, '\0'),
                                             "\n",
                                             "\x1f",
                                             "\x7f",
                                             "\xc3\xa9",
                                             "\xe2\x82\xac",
                                             "\xf0\x9f\x98\x80",
                                             "\xc3",
                                             "\xe2\x82",
                                             "\xf0\x9f\x98",
                                             "\x80",
                                             "\xc0\xaf",
                                             "\xed\xa0\x80",
                                             "\xf4\x90\x80\x80",
                                             "\xff"};
  int checked = 0;
  for (size_t length = 0; length <= 24; ++length) {
    for (size_t pos = 0; pos <= length; ++pos) {
      for (const std::string& special : specials) {
        for (const std::string& second : {std::string(), std::string("\t")}) {
          std::string text(length, 'x');
          text.insert(pos, special);
          text.insert(std::min(text.size(), pos + special.size() + 3), second);
          std::string ours = "prefix", model = "prefix";
          size_t ours_bad = 0, model_bad = 0;
          const bool ok = internal::AppendJsonString(text, ours, &ours_bad);
          ASSERT_EQ(ok, ReferenceJsonString(text, model, &model_bad)) << length << " " << pos;
          if (ok) {
            ASSERT_EQ(ours, model) << length << " " << pos;
          } else {
            ASSERT_EQ(ours_bad, model_bad) << length << " " << pos;
          }
          ++checked;
        }
      }
    }
  }
  EXPECT_GT(checked, 10000);
}

struct NumberCase {
  uint64_t bits;
  const char* es6;
};

// RFC 8785 Appendix B, plus the range boundaries of Number::toString.
constexpr NumberCase kNumbers[] = {
    {0x0000000000000000, "0"},
    {0x8000000000000000, "0"},
    {0x0000000000000001, "5e-324"},
    {0x8000000000000001, "-5e-324"},
    {0x7fefffffffffffff, "1.7976931348623157e+308"},
    {0xffefffffffffffff, "-1.7976931348623157e+308"},
    {0x4340000000000000, "9007199254740992"},
    {0xc340000000000000, "-9007199254740992"},
    {0x4430000000000000, "295147905179352830000"},
    {0x44b52d02c7e14af5, "9.999999999999997e+22"},
    {0x44b52d02c7e14af6, "1e+23"},
    {0x44b52d02c7e14af7, "1.0000000000000001e+23"},
    {0x444b1ae4d6e2ef4e, "999999999999999700000"},
    {0x444b1ae4d6e2ef4f, "999999999999999900000"},
    {0x444b1ae4d6e2ef50, "1e+21"},
    {0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"},
    {0x3eb0c6f7a0b5ed8d, "0.000001"},
    {0x41b3de4355555553, "333333333.3333332"},
    {0x41b3de4355555554, "333333333.33333325"},
    {0x41b3de4355555555, "333333333.3333333"},
    {0x41b3de4355555556, "333333333.3333334"},
    {0x41b3de4355555557, "333333333.33333343"},
    {0xbecbf647612f3696, "-0.0000033333333333333333"},
    {0x43143ff3c1cb0959, "1424953923781206.2"},
    {0x3ff0000000000000, "1"},
    {0x3fb999999999999a, "0.1"},
    {0x4059000000000000, "100"},
};

TEST(JcsTest, Es6NumberFormatting) {
  for (const auto& c : kNumbers) {
    EXPECT_EQ(FormatEs6Number(std::bit_cast<double>(c.bits)), c.es6) << std::hex << c.bits;
  }
  EXPECT_EQ(FormatEs6Number(1e21), "1e+21");
  EXPECT_EQ(FormatEs6Number(1e20), "100000000000000000000");
  EXPECT_EQ(FormatEs6Number(123e-20), "1.23e-18");
  EXPECT_EQ(FormatEs6Number(-1.5e-7), "-1.5e-7");
  EXPECT_EQ(FormatEs6Number(0.5), "0.5");
  EXPECT_EQ(FormatEs6Number(123.456), "123.456");
  EXPECT_EQ(FormatEs6Number(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(FormatEs6Number(std::numeric_limits<double>::infinity()), "Infinity");
  EXPECT_EQ(FormatEs6Number(-std::numeric_limits<double>::infinity()), "-Infinity");
}

TEST(JcsTest, IntegersAreTreatedAsDoubles) {
  EXPECT_EQ(Canon("9007199254740993"), "9007199254740992");    // 2^53 + 1
  EXPECT_EQ(Canon("-9007199254740993"), "-9007199254740992");  // -(2^53 + 1)
  EXPECT_EQ(Canon("9007199254740995"), "9007199254740996");
  EXPECT_EQ(Canon("18446744073709551615"), "18446744073709552000");  // uint64 max
  EXPECT_EQ(Canon("-9223372036854775808"), "-9223372036854776000");  // int64 min
  EXPECT_EQ(Canon("100000000000000000000"), "100000000000000000000");
  EXPECT_EQ(Canon("1000000000000000000000"), "1e+21");
  EXPECT_EQ(Canon("123456789012345678901234567890"), "1.2345678901234568e+29");
  // The same through a programmatic DOM.
  EXPECT_EQ(*Canonicalize(json(int64_t{9007199254740993})), "9007199254740992");
  EXPECT_EQ(*Canonicalize(json(uint64_t{9007199254740993u})), "9007199254740992");
  EXPECT_EQ(*Canonicalize(json(int64_t{-42})), "-42");
}

TEST(JcsTest, RejectsWhatIJsonForbids) {
  struct Case {
    const char* text;
    const char* fragment;
  };
  const Case cases[] = {
      {R"({"a":1,"a":2})", "duplicate member name \"a\""},
      {R"({"x":{"\u00e9":1,"é":2}})", "duplicate member name"},
      {R"(["\ud800"])", "surrogate"},
      {R"({"\udc00":1})", "surrogate"},
      {"NaN", "invalid JSON"},
      {"[Infinity]", "invalid JSON"},
      {"[-Infinity]", "invalid JSON"},
      {"1e999", "number overflow"},
      {"\"\xed\xa0\x80\"", "invalid JSON"},
      {"{} {}", "expected end of input"},
  };
  for (const auto& c : cases) {
    auto r = CanonicalizeText(c.text);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << c.text;
    EXPECT_THAT(std::string(r.status().message()), HasSubstr(c.fragment)) << c.text;
  }
  JsonLimits tight;
  tight.max_bytes = 4;
  EXPECT_EQ(CanonicalizeText("[1,2]", tight).status().code(), StatusCode::kResourceExhausted);
}

TEST(JcsTest, RejectsUnrepresentableValuesInADomWithTheirPath) {
  json doc = {{"a", {1, std::numeric_limits<double>::quiet_NaN()}}};
  EXPECT_EQ(Canonicalize(doc).status().message(), "jcs: number is not finite at /a/1");
  doc = json::array({std::numeric_limits<double>::infinity()});
  EXPECT_EQ(Canonicalize(doc).status().message(), "jcs: number is not finite at /0");
  doc = {{"k/~", std::string("ok\xff")}};
  EXPECT_EQ(Canonicalize(doc).status().message(),
            "jcs: string is not valid UTF-8 (byte 2) at /k~1~0");
  doc = json::object();
  doc[std::string("\xed\xa0\x80")] = 1;  // a surrogate smuggled in as UTF-8
  EXPECT_EQ(Canonicalize(doc).status().message(),
            "jcs: member name is not valid UTF-8 (byte 0) at /\\xed\\xa0\\x80");
  doc = {{"b", json::binary({1, 2})}};
  EXPECT_EQ(Canonicalize(doc).status().message(), "jcs: binary values have no JSON form at /b");
  EXPECT_EQ(Canonicalize(json(std::numeric_limits<double>::quiet_NaN())).status().message(),
            "jcs: number is not finite at the root");
  EXPECT_EQ(Canonicalize(json(json::value_t::discarded)).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(JcsTest, DomDepthIsBounded) {
  json root = json::array();
  json* cur = &root;
  for (size_t i = 1; i < kMaxJsonDepth; ++i) {
    cur->push_back(json::array());
    cur = &(*cur)[0];
  }
  EXPECT_TRUE(Canonicalize(root).ok());
  cur->push_back(json::object());
  auto r = Canonicalize(root);
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(r.status().message()),
              HasSubstr("jcs: nesting deeper than 1024 at /0/0/0"));
}

// ---- Property tests ---------------------------------------------------------------------

std::u16string ToUtf16(std::string_view utf8) {
  std::u16string out;
  for (size_t i = 0; i < utf8.size();) {
    auto c = static_cast<uint8_t>(utf8[i]);
    uint32_t cp;
    size_t len;
    if (c < 0x80) {
      cp = c;
      len = 1;
    } else if (c < 0xE0) {
      cp = c & 0x1F;
      len = 2;
    } else if (c < 0xF0) {
      cp = c & 0x0F;
      len = 3;
    } else {
      cp = c & 0x07;
      len = 4;
    }
    for (size_t j = 1; j < len; ++j) cp = cp << 6 | (static_cast<uint8_t>(utf8[i + j]) & 0x3F);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out.push_back(static_cast<char16_t>(0xD800 + (cp >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + (cp & 0x3FF)));
    } else {
      out.push_back(static_cast<char16_t>(cp));
    }
    i += len;
  }
  return out;
}

// UTF-8 pieces chosen around the places where UTF-8 and UTF-16 orders disagree.
const std::vector<std::string> kPieces = {
    "a",
    "b",
    "A",
    "\xc2\x80",
    "\xc3\xb6",
    "\xed\x9f\xbf",      // U+D7FF
    "\xee\x80\x80",      // U+E000
    "\xef\xac\xb3",      // U+FB33
    "\xef\xbf\xbd",      // U+FFFD
    "\xef\xbf\xbf",      // U+FFFF
    "\xf0\x90\x80\x80",  // U+10000
    "\xf0\x9f\x98\x80",  // U+1F600
    "\xf4\x8f\xbf\xbf",  // U+10FFFF
};

std::string RandomName(std::mt19937_64& rng) {
  std::string name;
  const size_t len = rng() % 4;
  for (size_t i = 0; i < len; ++i) name += kPieces[rng() % kPieces.size()];
  return name;
}

TEST(JcsTest, MemberOrderMatchesUtf16Reference) {
  std::mt19937_64 rng(8785);
  int reordered = 0;
  for (int iter = 0; iter < 3000; ++iter) {
    json object = json::object();
    const size_t n = 1 + rng() % 8;
    for (size_t i = 0; i < n; ++i) object[RandomName(rng)] = i;
    std::vector<std::string> names;
    for (const auto& [name, value] : object.items()) names.push_back(name);
    std::vector<std::string> expected = names;
    std::sort(expected.begin(), expected.end(),
              [](const std::string& a, const std::string& b) { return ToUtf16(a) < ToUtf16(b); });
    if (expected != names) ++reordered;
    auto canonical = Canonicalize(object);
    ASSERT_TRUE(canonical.ok()) << canonical.status().ToString();
    // Read the names back in output order.
    auto reparsed = json::parse(*canonical);
    std::string rebuilt = "{";
    for (size_t i = 0; i < expected.size(); ++i) {
      if (i) rebuilt += ",";
      rebuilt += "\"" + expected[i] + "\":" + std::to_string(reparsed[expected[i]].get<int>());
    }
    rebuilt += "}";
    ASSERT_EQ(*canonical, rebuilt);
  }
  EXPECT_GT(reordered, 100);  // the interesting case really was exercised
}

double RandomFiniteDouble(std::mt19937_64& rng) {
  for (;;) {
    double d;
    switch (rng() % 4) {
      case 0:
        d = std::bit_cast<double>(rng());
        break;
      case 1:
        d = static_cast<double>(static_cast<int64_t>(rng()) >> (rng() % 64));
        break;
      case 2:
        d = static_cast<double>(rng() % 100000) / std::pow(10.0, static_cast<int>(rng() % 12));
        break;
      default:
        d = std::ldexp(1.0, static_cast<int>(rng() % 2000) - 1000);
    }
    if (std::isfinite(d)) return d;
  }
}

TEST(JcsTest, Es6NumbersRoundTripAndAreShortest) {
  std::mt19937_64 rng(262);
  for (int iter = 0; iter < 200000; ++iter) {
    const double d = RandomFiniteDouble(rng);
    const std::string s = FormatEs6Number(d);
    ASSERT_EQ(std::strtod(s.c_str(), nullptr), d == 0 ? 0.0 : d) << s;
    const double mag = std::fabs(d);
    const bool exponent = s.find('e') != std::string::npos;
    ASSERT_EQ(exponent, mag != 0 && (mag >= 1e21 || mag < 1e-6)) << s;
    // Shortest: the correctly rounded decimal with one digit fewer must not round-trip.
    std::string significant = s.substr(0, s.find('e'));
    significant.erase(std::remove(significant.begin(), significant.end(), '.'), significant.end());
    significant.erase(std::remove(significant.begin(), significant.end(), '-'), significant.end());
    size_t first = significant.find_first_not_of('0');
    size_t last = significant.find_last_not_of('0');
    if (first == std::string::npos) continue;
    const int k = static_cast<int>(last - first + 1);
    if (k > 1) {
      char shorter[64];
      std::snprintf(shorter, sizeof(shorter), "%.*e", k - 2, d);
      ASSERT_NE(std::strtod(shorter, nullptr), d) << s << " vs " << shorter;
    }
  }
}

json RandomValue(std::mt19937_64& rng, int depth) {
  const int kind = static_cast<int>(rng() % (depth > 4 ? 6 : 8));
  switch (kind) {
    case 0:
      return nullptr;
    case 1:
      return rng() % 2 == 0;
    case 2:
      return static_cast<int64_t>(rng()) >> (rng() % 64);
    case 3:
      return rng();
    case 4:
      return RandomFiniteDouble(rng);
    case 5: {
      std::string s;
      const size_t n = rng() % 12;
      for (size_t i = 0; i < n; ++i) {
        switch (rng() % 4) {
          case 0:
            s.push_back(static_cast<char>(rng() % 0x80));  // includes controls, '"' and '\\'
            break;
          case 1:
            s += kPieces[rng() % kPieces.size()];
            break;
          default:
            s.push_back(static_cast<char>('a' + rng() % 26));
        }
      }
      return s;
    }
    case 6: {
      json a = json::array();
      const size_t n = rng() % 5;
      for (size_t i = 0; i < n; ++i) a.push_back(RandomValue(rng, depth + 1));
      return a;
    }
    default: {
      json o = json::object();
      const size_t n = rng() % 6;
      for (size_t i = 0; i < n; ++i) o[RandomName(rng)] = RandomValue(rng, depth + 1);
      return o;
    }
  }
}

TEST(JcsTest, RandomDocumentsAreIdempotentAndAgreeAcrossEntryPoints) {
  std::mt19937_64 rng(2020);
  for (int iter = 0; iter < 3000; ++iter) {
    const json value = RandomValue(rng, 0);
    auto from_dom = Canonicalize(value);
    ASSERT_TRUE(from_dom.ok()) << from_dom.status().ToString();
    // Pretty-printed text through the strict parser gives the same bytes.
    auto from_text = CanonicalizeText(value.dump(2));
    ASSERT_TRUE(from_text.ok()) << from_text.status().ToString() << "\n" << value.dump(2);
    ASSERT_EQ(*from_text, *from_dom);
    // Canonical output is a fixed point.
    auto again = CanonicalizeText(*from_dom);
    ASSERT_TRUE(again.ok()) << again.status().ToString();
    ASSERT_EQ(*again, *from_dom);
    // And it is JSON that means the same thing, modulo integers becoming doubles.
    json reparsed = json::parse(*from_dom);
    ASSERT_EQ(reparsed.type() == json::value_t::object, value.is_object());
  }
}

}  // namespace
}  // namespace traceport::codec

namespace traceport::codec {
namespace {

TEST(JcsTest, CanonicalizeWithoutLeavesOutOneTopLevelMember) {
  const nlohmann::json doc = nlohmann::json::parse(
      R"({"b": 1, "proof": {"proof": 2}, "a": {"proof": 3}, "\u00e9": [true], "z": null})");
  nlohmann::json copy = doc;
  copy.erase("proof");
  auto without = CanonicalizeWithout(doc, "proof");
  ASSERT_TRUE(without.ok()) << without.status();
  EXPECT_EQ(*without, *Canonicalize(copy));
  // Only the top level: the nested "proof" members stay.
  EXPECT_EQ(*without, R"({"a":{"proof":3},"b":1,"z":null,"é":[true]})");
  // A member that is not there changes nothing; a non-object is refused.
  EXPECT_EQ(*CanonicalizeWithout(doc, "absent"), *Canonicalize(doc));
  EXPECT_EQ(CanonicalizeWithout(nlohmann::json::array({1}), "x").status().code(),
            StatusCode::kInvalidArgument);
  // Errors inside the kept members still name their pointer.
  nlohmann::json bad = doc;
  bad["a"]["n"] = std::nan("");
  auto err = CanonicalizeWithout(bad, "proof");
  EXPECT_EQ(err.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(err.status().message().find("/a/n"), std::string_view::npos) << err.status();
}

TEST(JcsTest, SplitFindsTheMemberWhereverItSorts) {
  // The cut member first, in the middle, last, alone, absent; and names whose UTF-16 order
  // differs from their UTF-8 order, so that the JCS order (not the map's) decides where "proof"
  // goes.
  const char* docs[] = {
      R"({"proof": {"x": 1}, "z": 2, "zz": [3]})",
      R"({"a": 1, "proof": {"x": [1, {"proof": 0}]}, "z": null})",
      R"({"a": 1, "b": {"c": "d"}, "proof": "p"})",
      R"({"proof": []})",
      R"({"a": 1, "b": 2})",
      R"({})",
      R"({"\ud83d\ude00": 1, "proof": 2, "\uff61": 3, "\ue000": 4})",
      R"({"pro": 1, "proof": 2, "proofs": 3, "proo": 4})",
  };
  for (const char* text : docs) {
    SCOPED_TRACE(text);
    const nlohmann::json doc = nlohmann::json::parse(text);
    auto split = CanonicalizeSplit(doc, "proof");
    ASSERT_TRUE(split.ok()) << split.status();
    EXPECT_EQ(split->canonical, *Canonicalize(doc));
    EXPECT_EQ(split->Without(), *CanonicalizeWithout(doc, "proof"));
    // The simdjson writer cuts at the same bytes.
    auto fast_doc = FastJson::Parse(text);
    ASSERT_TRUE(fast_doc.ok()) << fast_doc.status();
    auto fast = CanonicalizeFastSplit(fast_doc->root(), "proof");
    ASSERT_TRUE(fast.ok()) << fast.status();
    EXPECT_EQ(fast->canonical, split->canonical);
    EXPECT_EQ(fast->cut_begin, split->cut_begin);
    EXPECT_EQ(fast->cut_end, split->cut_end);
    EXPECT_EQ(fast->Without(), *CanonicalizeFast(fast_doc->root(), "proof"));
  }
  EXPECT_EQ(CanonicalizeSplit(nlohmann::json::array(), "proof").status().code(),
            StatusCode::kInvalidArgument);
  auto fast_array = FastJson::Parse("[1]");
  ASSERT_TRUE(fast_array.ok());
  EXPECT_EQ(CanonicalizeFastSplit(fast_array->root(), "proof").status().code(),
            StatusCode::kInvalidArgument);
  // Errors name their pointer as Canonicalize's do.
  nlohmann::json bad = nlohmann::json::parse(R"({"proof": {"v": 1}})");
  bad["proof"]["v"] = std::nan("");
  auto err = CanonicalizeSplit(bad, "proof");
  EXPECT_EQ(err.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(err.status().message().find("/proof/v"), std::string_view::npos) << err.status();
}

TEST(JcsTest, KnownValuesAreCopiedInPlaceOfTheirSubtrees) {
  const nlohmann::json vp = nlohmann::json::parse(R"({
      "type": "VerifiablePresentation", "proof": {"p": 1},
      "verifiableCredential": [{"b": 2, "a": [1.5e300, "x"]}, {"proof": {"q": true}, "id": "c"}],
      "holder": {"id": "did:example:h"}})");
  const nlohmann::json& creds = vp["verifiableCredential"];
  const std::string c0 = *Canonicalize(creds[0]);
  const std::string c1 = *Canonicalize(creds[1]);
  const KnownCanonical known[] = {{&creds[0], c0}, {&creds[1], c1}};
  EXPECT_EQ(*CanonicalizeWithout(vp, "proof", known), *CanonicalizeWithout(vp, "proof"));
  // The bytes are taken as given: a wrong entry shows up in the output (which is why callers
  // must only pass what Canonicalize produced for that very value).
  const KnownCanonical wrong[] = {{&creds[0], "{\"forged\":1}"}};
  EXPECT_NE(CanonicalizeWithout(vp, "proof", wrong)->find("forged"), std::string::npos);
}

}  // namespace
}  // namespace traceport::codec
