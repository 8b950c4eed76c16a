// Tests of the knowledge base: loading the test knowledge base and the built-in one (which
// must equal src/assist/kb/ on disk and load without error), and every validation error, each
// naming the file, the unit and the member.
#include "assist/knowledge_base.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "assist/retrieval.h"

namespace traceport::assist {
namespace {

using json = nlohmann::json;
using ::testing::HasSubstr;
using ::testing::StartsWith;

const std::string kDir = std::string(TRACEPORT_SOURCE_DIR) + "/src/assist";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

json ValidUnit(const std::string& id = "demo.one") {
  return {{"id", id},
          {"title", "A demo unit"},
          {"intent", "basics"},
          {"questions", {"first question", "second question", "third question"}},
          {"answer", "The answer says July 1, 2020."},
          {"facts", {"July 1, 2020"}},
          {"citations", {{{"label", "USMCA Article 1.1"}, {"url", "https://ustr.gov/x"}}}},
          {"reviewed", "2026-11-27"}};
}

std::string Topic(const std::vector<json>& units, const std::string& topic = "demo") {
  return json{{"topic", topic}, {"units", units}}.dump();
}

// The error message of loading one topic file "demo.json" with `unit` changed by `edit`.
template <typename Edit>
std::string ErrorFor(Edit edit) {
  json unit = ValidUnit();
  edit(unit);
  Result<KnowledgeBase> kb = KnowledgeBase::FromTexts({{"demo.json", Topic({unit})}});
  EXPECT_FALSE(kb.ok());
  if (kb.ok()) return "";
  EXPECT_EQ(kb.status().code(), StatusCode::kInvalidArgument);
  return std::string(kb.status().message());
}

TEST(KnowledgeBaseTest, LoadsTheTestKnowledgeBase) {
  Result<KnowledgeBase> kb = KnowledgeBase::FromDirectory(kDir + "/testdata/kb");
  ASSERT_TRUE(kb.ok()) << kb.status();
  EXPECT_EQ(kb->units().size(), 13u);
  const Unit* u = kb->Find("certification.who-may-certify");
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(u->topic, "certification");
  EXPECT_EQ(u->intent, "certification");
  EXPECT_EQ(u->questions_es.size(), 1u);
  EXPECT_EQ(u->citations[0].label, "USMCA Article 5.2");
  EXPECT_EQ(kb->IndexOf("certification.who-may-certify"),
            std::optional<size_t>(static_cast<size_t>(u - kb->units().data())));
  EXPECT_EQ(kb->Find("certification.nope"), nullptr);
  EXPECT_FALSE(kb->IndexOf("certification.nope").has_value());
  const Unit* rvc = kb->Find("rules-of-origin.rvc-thresholds");
  ASSERT_NE(rvc, nullptr);
  ASSERT_EQ(rvc->variants.size(), 1u);
  EXPECT_EQ(rvc->variants[0],
            std::make_pair(std::string("autos"), std::string("automotive.vehicle-rvc")));
  EXPECT_EQ(kb->Find("rules-of-origin.low-value-us")->as_of, "2026-07-15");
  EXPECT_FALSE(kb->synonyms().empty());
  EXPECT_FALSE(kb->translations().empty());
  ASSERT_EQ(kb->out_of_scope().size(), 2u);
  EXPECT_EQ(kb->out_of_scope()[0].id, "eu-uk");
  EXPECT_THAT(kb->help(), HasSubstr("usmca@cbp.dhs.gov"));
}

TEST(KnowledgeBaseTest, EmptyAndDefaultHelp) {
  Result<KnowledgeBase> kb = KnowledgeBase::FromTexts({});
  ASSERT_TRUE(kb.ok()) << kb.status();
  EXPECT_TRUE(kb->units().empty());
  EXPECT_THAT(kb->help(), HasSubstr("usmca@cbp.dhs.gov"));
  // Copies share the data and stay valid after the original is gone.
  KnowledgeBase copy = *kb;
  kb = KnowledgeBase::FromTexts({});
  EXPECT_TRUE(copy.units().empty());
}

// src/assist/kb/ as compiled in: the same files as on disk, and valid. Without kb/ files the
// build has no built-in knowledge base, and Builtin() says so.
TEST(KnowledgeBaseTest, BuiltinEqualsTheFilesOnDisk) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(kDir + "/kb", ec)) {
    if (e.path().extension() == ".json") names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  const std::vector<KnowledgeBase::SourceFile> builtin = KnowledgeBase::BuiltinFiles();
  ASSERT_EQ(builtin.size(), names.size()) << "re-run CMake after adding or removing kb files";
  for (size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(builtin[i].name, names[i]);
    EXPECT_EQ(builtin[i].text, ReadFile(kDir + "/kb/" + names[i])) << names[i];
    EXPECT_LE(builtin[i].text.size(), 55'000u) << names[i] << ": the contract's size limit";
  }
  const Result<KnowledgeBase>& kb = KnowledgeBase::Builtin();
  if (names.empty()) {
    EXPECT_EQ(kb.status().code(), StatusCode::kFailedPrecondition);
    EXPECT_THAT(kb.status().message(), HasSubstr("no knowledge base was compiled in"));
    return;
  }
  ASSERT_TRUE(kb.ok()) << kb.status();
  Result<KnowledgeBase> from_disk = KnowledgeBase::FromDirectory(kDir + "/kb");
  ASSERT_TRUE(from_disk.ok()) << from_disk.status();
  EXPECT_EQ(kb->units().size(), from_disk->units().size());
  EXPECT_GT(kb->index().vocabulary_size(), 0u);
  for (const Unit& u : kb->units()) {
    EXPECT_FALSE(u.citations.empty()) << u.id;
  }
}

TEST(KnowledgeBaseTest, UnitErrorsNameFileUnitAndMember) {
  EXPECT_EQ(ErrorFor([](json& u) { u["intent"] = "weather"; }),
            "assist: kb: demo.json: units[0] (demo.one): intent: unknown intent \"weather\"");
  EXPECT_EQ(ErrorFor([](json& u) { u["citations"] = json::array(); }),
            "assist: kb: demo.json: units[0] (demo.one): citations: needs at least one citation");
  EXPECT_EQ(ErrorFor([](json& u) { u.erase("citations"); }),
            "assist: kb: demo.json: units[0] (demo.one): citations: missing");
  EXPECT_EQ(ErrorFor([](json& u) { u["facts"].push_back("July 2, 2020"); }),
            "assist: kb: demo.json: units[0] (demo.one): facts[1]: \"July 2, 2020\" does not "
            "appear in the answer");
  EXPECT_EQ(ErrorFor([](json& u) { u["reviewed"] = "2026-02-30"; }),
            "assist: kb: demo.json: units[0] (demo.one): reviewed: \"2026-02-30\" is not a date "
            "YYYY-MM-DD");
  EXPECT_EQ(ErrorFor([](json& u) { u["as_of"] = "July 2026"; }),
            "assist: kb: demo.json: units[0] (demo.one): as_of: \"July 2026\" is not a date "
            "YYYY-MM-DD");
  EXPECT_THAT(ErrorFor([](json& u) { u["id"] = "other.one"; }),
              HasSubstr("units[0]: id: \"other.one\" is not \"demo.<slug>\""));
  EXPECT_THAT(ErrorFor([](json& u) { u["id"] = "demo.Upper"; }), HasSubstr("is not \"demo."));
  EXPECT_THAT(ErrorFor([](json& u) { u["id"] = "demo."; }), HasSubstr("is not \"demo."));
  EXPECT_EQ(ErrorFor([](json& u) { u["question"] = {"typo"}; }),
            "assist: kb: demo.json: units[0] (demo.one): unknown member \"question\"");
  EXPECT_EQ(ErrorFor([](json& u) {
              u["questions"] = {"one", "two"};
            }),
            "assist: kb: demo.json: units[0] (demo.one): questions: needs at least 3 entries");
  EXPECT_EQ(ErrorFor([](json& u) { u["questions"][1] = 7; }),
            "assist: kb: demo.json: units[0] (demo.one): questions[1]: expected a string, got "
            "number");
  EXPECT_EQ(ErrorFor([](json& u) { u["answer"] = "   "; }),
            "assist: kb: demo.json: units[0] (demo.one): answer: empty");
  EXPECT_EQ(ErrorFor([](json& u) { u["citations"][0]["url"] = "ustr.gov/x"; }),
            "assist: kb: demo.json: units[0] (demo.one): citations[0]: url: not an http(s) URL");
  EXPECT_EQ(ErrorFor([](json& u) { u["citations"][0].erase("label"); }),
            "assist: kb: demo.json: units[0] (demo.one): citations[0]: label: missing");
  EXPECT_EQ(ErrorFor([](json& u) {
              u["variants"] = {{"cars", 3}};
            }),
            "assist: kb: demo.json: units[0] (demo.one): variants: \"cars\": expected a unit id, "
            "got number");
}

TEST(KnowledgeBaseTest, ReferencesAndDuplicatesAcrossFiles) {
  json a = ValidUnit("demo.one");
  a["related"] = {"other.two"};
  a["variants"] = {{"cars", "other.missing"}};
  json b = ValidUnit("other.two");
  Result<KnowledgeBase> kb =
      KnowledgeBase::FromTexts({{"demo.json", Topic({a})}, {"other.json", Topic({b}, "other")}});
  ASSERT_FALSE(kb.ok());
  EXPECT_EQ(kb.status().message(),
            "assist: kb: demo.json: unit demo.one: variants: \"cars\": unknown unit "
            "\"other.missing\"");

  a["variants"] = {{"cars", "other.two"}};
  kb = KnowledgeBase::FromTexts({{"demo.json", Topic({a})}, {"other.json", Topic({b}, "other")}});
  ASSERT_TRUE(kb.ok()) << kb.status();

  a["related"] = {"demo.one"};
  kb = KnowledgeBase::FromTexts({{"demo.json", Topic({a})}, {"other.json", Topic({b}, "other")}});
  EXPECT_THAT(kb.status().message(), HasSubstr("related: a unit cannot be related to itself"));

  a["related"] = {"other.three"};
  kb = KnowledgeBase::FromTexts({{"demo.json", Topic({a})}, {"other.json", Topic({b}, "other")}});
  EXPECT_THAT(kb.status().message(),
              HasSubstr("demo.json: unit demo.one: related: unknown unit \"other.three\""));

  kb = KnowledgeBase::FromTexts(
      {{"demo.json", Topic({ValidUnit("demo.one"), ValidUnit("demo.one")})}});
  EXPECT_EQ(kb.status().message(),
            "assist: kb: demo.json: units[1] (demo.one): duplicate id (also in demo.json)");
}

TEST(KnowledgeBaseTest, FileErrors) {
  const auto error = [](const std::string& name, const std::string& text) {
    return std::string(KnowledgeBase::FromTexts({{name, text}}).status().message());
  };
  EXPECT_EQ(error("demo.json", Topic({ValidUnit()}, "other")),
            "assist: kb: demo.json: topic: \"other\" must equal the file name's stem \"demo\" "
            "(lowercase a-z, 0-9, '-')");
  EXPECT_EQ(error("demo.txt", "{}"),
            "assist: kb: demo.txt: a knowledge base file is named <topic>.json");
  EXPECT_THAT(error("demo.json", R"({"topic": "demo", "topic": "demo"})"),
              StartsWith("assist: kb: demo.json: json: duplicate member name"));
  EXPECT_THAT(error("demo.json", "not json"), StartsWith("assist: kb: demo.json: json: "));
  EXPECT_EQ(error("demo.json", R"({"topic": "demo", "units": []})"),
            "assist: kb: demo.json: units: needs at least one unit");
  EXPECT_EQ(error("demo.json", R"({"topic": "demo", "units": [], "notes": 1})"),
            "assist: kb: demo.json: unknown member \"notes\"");
  EXPECT_EQ(error("synonyms.json", R"({"synonyms": [["alone"]]})"),
            "assist: kb: synonyms.json: synonyms[0]: needs at least 2 entries");
  EXPECT_EQ(error("synonyms.json", R"({"translations": {"de": {"Zoll": "customs"}}})"),
            "assist: kb: synonyms.json: translations: de: the language must be es or fr");
  EXPECT_EQ(error("synonyms.json", R"({"translations": {"es": {"aduana": 1}}})"),
            "assist: kb: synonyms.json: translations: es: \"aduana\": expected a non-empty "
            "English term");
  EXPECT_EQ(error("scope.json", R"({"out_of_scope": []})"),
            "assist: kb: scope.json: help: missing");
  EXPECT_EQ(error("scope.json",
                  R"({"help": "h", "out_of_scope": [{"id": "a", "terms": [], "pointer": "p"}]})"),
            "assist: kb: scope.json: out_of_scope[0]: terms: needs at least 1 entries");
  Result<KnowledgeBase> twice = KnowledgeBase::FromTexts(
      {{"demo.json", Topic({ValidUnit()})}, {"demo.json", Topic({ValidUnit()})}});
  EXPECT_EQ(twice.status().message(), "assist: kb: demo.json: given twice");
  EXPECT_EQ(KnowledgeBase::FromFiles({kDir + "/testdata/kb/nope.json"}).status().code(),
            StatusCode::kNotFound);
}

}  // namespace
}  // namespace traceport::assist
