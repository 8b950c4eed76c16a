// RFC 8785 JSON Canonicalization Scheme vectors from ../shared/conformance/jcs-rfc8785 (see
// SOURCES.md there and docs: conformance-guide section 3):
//   conformance jcs          the six input documents, canonicalized and compared byte for byte
//                            with testdata/output (itself checked against testdata/outhex)
//   conformance jcs-numbers  the first 100,000 lines of the ES6 Number serialization file:
//                            "<hex of IEEE-754 bits>,<expected string>"
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "codec/hex.h"
#include "codec/jcs.h"
#include "common/testing/conformance.h"

namespace traceport::codec {
namespace {

using ::traceport::testing::ReadFile;
using ::traceport::testing::SuiteCounter;

constexpr size_t kDocuments = 6;
constexpr size_t kNumberLines = 100000;

// The outhex files hold the expected bytes as whitespace-separated, wrapped hex.
Result<std::string> DecodeOutHex(std::string_view text) {
  std::string digits;
  for (char c : text) {
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') digits.push_back(c);
  }
  ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, HexDecode(digits));
  return std::string(bytes.begin(), bytes.end());
}

// Empty when `name` canonicalizes to its expected output, else what went wrong.
std::string CheckDocument(const std::filesystem::path& dir, const std::string& name) {
  auto input = ReadFile(dir / "testdata" / "input" / (name + ".json"));
  auto expected = ReadFile(dir / "testdata" / "output" / (name + ".json"));
  auto outhex = ReadFile(dir / "testdata" / "outhex" / (name + ".txt"));
  if (!input.ok()) return input.status().ToString();
  if (!expected.ok()) return expected.status().ToString();
  if (!outhex.ok()) return outhex.status().ToString();
  auto hex_bytes = DecodeOutHex(*outhex);
  if (!hex_bytes.ok()) return "outhex: " + hex_bytes.status().ToString();
  if (*hex_bytes != *expected) return "output and outhex disagree (damaged test data)";
  auto canonical = CanonicalizeText(*input);
  if (!canonical.ok()) return canonical.status().ToString();
  if (*canonical != *expected) return "got " + HexEncode(*canonical);
  return "";
}

TEST(JcsConformance, Documents) {
  TRACEPORT_CONFORMANCE_DIR_OR_SKIP(dir, "jcs", "jcs-rfc8785");
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir / "testdata" / "input")) {
    if (entry.path().extension() == ".json") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  SuiteCounter counter("jcs");
  for (const auto& name : names) {
    const std::string problem = CheckDocument(dir, name);
    counter.Record(problem.empty(), name + ": " + problem);
  }
  counter.Print();
  EXPECT_EQ(counter.passed() + counter.failed(), kDocuments) << "unexpected number of documents";
  EXPECT_EQ(counter.failed(), 0u);
}

TEST(JcsConformance, Es6Numbers) {
  TRACEPORT_CONFORMANCE_DIR_OR_SKIP(dir, "jcs-numbers", "jcs-rfc8785");
  auto file = ReadFile(dir / "es6-numbers" / "es6testfile-first100k.txt");
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  SuiteCounter counter("jcs-numbers");
  std::string_view rest = *file;
  size_t line_number = 0;
  while (!rest.empty()) {
    const size_t eol = rest.find('\n');
    std::string_view line = rest.substr(0, eol);
    rest.remove_prefix(eol == std::string_view::npos ? rest.size() : eol + 1);
    ++line_number;
    const size_t comma = line.find(',');
    uint64_t bits = 0;
    const auto parsed = comma == std::string_view::npos
                            ? std::from_chars_result{line.data(), std::errc::invalid_argument}
                            : std::from_chars(line.data(), line.data() + comma, bits, 16);
    if (parsed.ec != std::errc() || parsed.ptr != line.data() + comma) {
      counter.Fail("line " + std::to_string(line_number) + ": malformed: " + std::string(line));
      continue;
    }
    const std::string_view expected = line.substr(comma + 1);
    const std::string got = FormatEs6Number(std::bit_cast<double>(bits));
    counter.Record(got == expected, "line " + std::to_string(line_number) + ": " +
                                        std::string(line) + " -> got " + got);
  }
  counter.Print();
  EXPECT_EQ(counter.passed() + counter.failed(), kNumberLines) << "unexpected number of lines";
  EXPECT_EQ(counter.failed(), 0u);
}

}  // namespace
}  // namespace traceport::codec
