#include "node/tabular.h"

#include <gtest/gtest.h>

namespace traceport::node {
namespace {

using json = nlohmann::json;

TEST(CsvToDocuments, BuildsNestedSubjectsWithTypes) {
  auto docs = CsvToDocuments(
      "invoiceNumber,itemsShipped/0/description,itemsShipped/0/quantity:int,"
      "itemsShipped/1/description,paid:bool,extra:json,@validFrom\r\n"
      "INV-1,\"Hot-rolled coil, 8 mm\",12,Plate,true,\"{\"\"a\"\":1}\",2026-11-01T00:00:00Z\r\n"
      "INV-2,Sheet,3,,false,,\n");
  ASSERT_TRUE(docs.ok()) << docs.status();
  ASSERT_EQ(docs->size(), 2u);
  const json& a = (*docs)[0];
  EXPECT_EQ(a["credentialSubject"]["invoiceNumber"], "INV-1");
  EXPECT_EQ(a["credentialSubject"]["itemsShipped"][0]["description"], "Hot-rolled coil, 8 mm");
  EXPECT_EQ(a["credentialSubject"]["itemsShipped"][0]["quantity"], 12);
  EXPECT_EQ(a["credentialSubject"]["itemsShipped"][1]["description"], "Plate");
  EXPECT_EQ(a["credentialSubject"]["paid"], true);
  EXPECT_EQ(a["credentialSubject"]["extra"]["a"], 1);
  EXPECT_EQ(a["validFrom"], "2026-11-01T00:00:00Z");
  const json& b = (*docs)[1];
  EXPECT_EQ(b["credentialSubject"]["itemsShipped"].size(), 1u);  // empty cells leave members out
  EXPECT_FALSE(b["credentialSubject"].contains("extra"));
  EXPECT_FALSE(b.contains("validFrom"));
}

TEST(CsvToDocuments, RejectsBadInputWithItsPlace) {
  struct Case {
    const char* csv;
    const char* needle;
  } cases[] = {
      {"a:int\nx\n", "row 2, column \"a:int\": \"x\" is not an integer"},
      {"a:float\n1\n", "unknown type \"float\""},
      {"a//b\n1\n", "empty path segment"},
      {"@proof\n1\n", "an @ column sets"},
      {"a,b\n1,2,3\n", "csv row 2: 3 cells but 2 columns"},
      {"a/1\nx\n", "skips index 0"},
      {"a,a\n1,2\n", "written twice"},
      {"a,a/b\n1,2\n", "under a non-object"},
      {"a\n\"unterminated\n", "csv:"},
      {"", "no header row"},
      {"a,b\nok,M\xFCller\n", "csv row 2, column 2: not UTF-8"},
      {"\xFF\n1\n", "csv row 1, column 1: not UTF-8"},
  };
  for (const Case& c : cases) {
    auto r = CsvToDocuments(c.csv);
    ASSERT_FALSE(r.ok()) << c.csv;
    EXPECT_NE(r.status().message().find(c.needle), std::string::npos)
        << c.csv << " -> " << r.status().message();
  }
}

TEST(CsvToDocuments, LimitsRows) {
  std::string csv = "a\n";
  for (int i = 0; i < 20; ++i) csv += "x\n";
  EXPECT_TRUE(CsvToDocuments(csv, 20).ok());
  auto r = CsvToDocuments(csv, 19);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace traceport::node
