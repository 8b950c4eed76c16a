#include "jsonld/node_map.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "jsonld/error.h"

namespace traceport::jsonld {
namespace {

using json = nlohmann::json;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(BlankNodeIssuerTest, IssuesInOrderAndRemembersInputLabels) {
  BlankNodeIssuer issuer;
  EXPECT_EQ(issuer.IssueFor("_:x"), "_:b0");
  EXPECT_EQ(issuer.Issue(), "_:b1");
  EXPECT_EQ(issuer.IssueFor("_:y"), "_:b2");
  EXPECT_EQ(issuer.IssueFor("_:x"), "_:b0");
  EXPECT_EQ(issuer.issued(), 3u);
}

TEST(BlankNodeIssuerTest, ViewsSurviveGrowthAndMoves) {
  BlankNodeIssuer issuer;
  const std::string_view first = issuer.IssueFor("_:first");
  std::string long_label = "_:" + std::string(2000, 'z');  // larger than a storage block
  for (int i = 0; i < 1000; ++i) issuer.IssueFor("_:l" + std::to_string(i));
  issuer.IssueFor(long_label);
  BlankNodeIssuer moved = std::move(issuer);
  EXPECT_EQ(first, "_:b0");
  EXPECT_EQ(moved.IssueFor("_:first"), "_:b0");
  EXPECT_EQ(moved.IssueFor(long_label), "_:b1001");
  EXPECT_EQ(moved.Issue(), "_:b1002");
}

// The ids of `values` (all node references).
std::vector<std::string> RefIds(const std::vector<NodeValue>& values) {
  std::vector<std::string> ids;
  for (const NodeValue& v : values) {
    EXPECT_EQ(v.kind, NodeValue::Kind::kNode);
    ids.emplace_back(v.id);
  }
  return ids;
}

TEST(NodeMapTest, MergesNodesAndRelabelsBlankNodes) {
  const json doc = json::parse(R"([
    {"@id": "_:a", "@type": ["_:t", "http://ex/T"], "http://ex/p": [{"@id": "http://ex/o"}]},
    {"@id": "http://ex/o", "_:bp": [{"@value": 1}]},
    {"@id": "_:a", "@type": "http://ex/U", "http://ex/p": [{"@value": "v", "@index": "i"}]}
  ])");
  auto map = GenerateNodeMap(doc);
  ASSERT_TRUE(map.ok()) << map.status();
  ASSERT_EQ(map->graphs.size(), 1u);
  const NodeGraph& graph = map->graphs.at(kDefaultGraphName);
  // @type is relabelled before @id: _:t is b0, _:a is b1; the blank property is b2.
  ASSERT_EQ(graph.size(), 2u);
  const Node& a = graph.at("_:b1");
  EXPECT_THAT(a.types, ElementsAre("_:b0", "http://ex/T", "http://ex/U"));
  const std::vector<NodeValue>& p = a.properties.at("http://ex/p");
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].kind, NodeValue::Kind::kNode);
  EXPECT_EQ(p[0].id, "http://ex/o");
  EXPECT_EQ(p[1].kind, NodeValue::Kind::kValue);
  EXPECT_EQ(p[1].value, &doc[2]["http://ex/p"][0]);  // a view of the input, not a copy
  EXPECT_TRUE(graph.at("http://ex/o").properties.contains("_:b2"));
  EXPECT_EQ(map->value_count, 6u);
}

TEST(NodeMapTest, ReversePropertiesAndEmbeddedNodes) {
  const json doc = json::parse(R"([{
    "@id": "http://ex/parent",
    "@reverse": {"http://ex/childOf": [{"@id": "http://ex/kid", "http://ex/name": [{"@value": "K"}]},
                                       {"http://ex/name": [{"@value": "anonymous"}]}]},
    "http://ex/pet": [{"http://ex/name": [{"@value": "Rex"}]}]
  }])");
  auto map = GenerateNodeMap(doc);
  ASSERT_TRUE(map.ok()) << map.status();
  const NodeGraph& graph = map->graphs.at(kDefaultGraphName);
  EXPECT_THAT(RefIds(graph.at("http://ex/kid").properties.at("http://ex/childOf")),
              ElementsAre("http://ex/parent"));
  EXPECT_THAT(RefIds(graph.at("_:b0").properties.at("http://ex/childOf")),
              ElementsAre("http://ex/parent"));
  EXPECT_THAT(RefIds(graph.at("http://ex/parent").properties.at("http://ex/pet")),
              ElementsAre("_:b1"));
  EXPECT_FALSE(graph.at("http://ex/parent").properties.contains("http://ex/childOf"));
}

TEST(NodeMapTest, GraphsIncludedAndLists) {
  const json doc = json::parse(R"([{
    "@id": "http://ex/g",
    "@graph": [{"@id": "http://ex/a", "http://ex/l": [{"@list": [{"@value": 1},
        {"@id": "http://ex/b", "http://ex/q": [{"@value": 2}]}, {"@list": []}]}]}],
    "@included": [{"@id": "http://ex/c"}]
  }])");
  auto map = GenerateNodeMap(doc);
  ASSERT_TRUE(map.ok()) << map.status();
  ASSERT_EQ(map->graphs.size(), 2u);
  const NodeGraph& named = map->graphs.at("http://ex/g");
  EXPECT_EQ(named.size(), 2u);  // a, and b, which the list item describes
  const std::vector<NodeValue>& l = named.at("http://ex/a").properties.at("http://ex/l");
  ASSERT_EQ(l.size(), 1u);
  ASSERT_EQ(l[0].kind, NodeValue::Kind::kList);
  ASSERT_EQ(l[0].list.size(), 3u);
  EXPECT_EQ(l[0].list[0].kind, NodeValue::Kind::kValue);
  EXPECT_EQ(l[0].list[1].id, "http://ex/b");
  EXPECT_EQ(l[0].list[2].kind, NodeValue::Kind::kList);
  EXPECT_THAT(l[0].list[2].list, IsEmpty());
  const NodeGraph& default_graph = map->graphs.at(kDefaultGraphName);
  EXPECT_TRUE(default_graph.contains("http://ex/g"));
  EXPECT_TRUE(default_graph.contains("http://ex/c"));
}

TEST(NodeMapTest, NullIdAndIndexes) {
  // The map views the document, which must outlive it.
  const json doc = json::parse(R"([{"@id": null, "@index": "a"},
                                   {"@id": "http://ex/s", "@index": "a"},
                                   {"@id": "http://ex/s", "@index": "a"}])");
  auto map = GenerateNodeMap(doc);
  ASSERT_TRUE(map.ok()) << map.status();
  const NodeGraph& graph = map->graphs.at(kDefaultGraphName);
  EXPECT_TRUE(graph.contains(kNullNodeId));
  ASSERT_NE(graph.at("http://ex/s").index, nullptr);
  EXPECT_EQ(*graph.at("http://ex/s").index, "a");

  auto conflict = GenerateNodeMap(json::parse(R"([{"@id": "_:s", "@index": "a"},
                                                  {"@id": "_:s", "@index": "b"}])"));
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(JsonLdErrorCode(conflict.status()), "conflicting indexes");
}

TEST(NodeMapTest, EmptyPropertiesAreKept) {
  const json doc = json::parse(R"([{"@id": "http://ex/s", "http://ex/p": []}])");
  auto map = GenerateNodeMap(doc);
  ASSERT_TRUE(map.ok()) << map.status();
  const Node& s = map->graphs.at(kDefaultGraphName).at("http://ex/s");
  EXPECT_THAT(s.properties.at("http://ex/p"), IsEmpty());
  EXPECT_THAT(s.types, IsEmpty());
}

}  // namespace
}  // namespace traceport::jsonld
