#include "jsonld/rdfc.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "codec/hex.h"
#include "crypto/sha2.h"
#include "jsonld/error.h"
#include "jsonld/nquads.h"

namespace traceport::jsonld {
namespace {

constexpr char kP[] = "http://ex/p";
constexpr char kQ[] = "http://ex/q";

Quad MakeQuad(Term s, const char* p, Term o, Term g = Term::DefaultGraph()) {
  return Quad{std::move(s), Term::Iri(p), std::move(o), std::move(g)};
}

CanonicalDataset MustCanonicalize(const Dataset& d, const CanonicalizeOptions& options = {}) {
  auto result = Canonicalize(d, options);
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *std::move(result) : CanonicalDataset{};
}

// The canonical document built independently from the issued map: every input quad relabelled
// through `issued`, serialized, sorted and deduplicated.
std::string RelabelAndSort(const Dataset& input, const std::map<std::string, std::string>& issued) {
  std::vector<std::string> lines;
  for (Quad q : input) {
    for (Term* t : {&q.subject, &q.object, &q.graph}) {
      if (t->is_blank()) t->value = issued.at(t->value);
    }
    lines.push_back(SerializeQuad(q));
  }
  std::sort(lines.begin(), lines.end());
  lines.erase(std::unique(lines.begin(), lines.end()), lines.end());
  std::string out;
  for (const std::string& l : lines) out += l;
  return out;
}

TEST(Canonicalize, EmptyDataset) {
  const CanonicalDataset c = MustCanonicalize({});
  EXPECT_EQ(c.nquads, "");
  EXPECT_TRUE(c.quads.empty());
  EXPECT_TRUE(c.issued.empty());
}

TEST(Canonicalize, GroundDatasetIsSortedAndDeduplicated) {
  const Dataset d = {
      MakeQuad(Term::Iri("http://ex/b"), kP, Term::Literal("x")),
      MakeQuad(Term::Iri("http://ex/a"), kP, Term::Literal("y"), Term::Iri("http://ex/g")),
      MakeQuad(Term::Iri("http://ex/b"), kP, Term::Literal("x")),
  };
  const CanonicalDataset c = MustCanonicalize(d);
  EXPECT_EQ(c.nquads,
            "<http://ex/a> <http://ex/p> \"y\" <http://ex/g> .\n"
            "<http://ex/b> <http://ex/p> \"x\" .\n");
  ASSERT_EQ(c.quads.size(), 2u);
  EXPECT_EQ(c.quads[0], d[1]);
  EXPECT_EQ(c.quads[1], d[0]);
  EXPECT_EQ(SerializeNQuads(c.quads), c.nquads);
}

// Hash First Degree Quads orders uniquely hashed blank nodes: the one whose "_:a" view hashes
// lower gets c14n0. The expectation is computed here from the spec's definition, for both
// hash algorithms.
TEST(Canonicalize, FirstDegreeHashOrdersUniqueNodes) {
  const Dataset d = {
      MakeQuad(Term::Blank("x"), kP, Term::Literal("1")),
      MakeQuad(Term::Blank("y"), kP, Term::Literal("2")),
      MakeQuad(Term::Blank("x"), kQ, Term::Blank("y")),
  };
  // First-degree views: x sees its two quads with itself as _:a and y as _:z, sorted.
  const std::string x_view =
      "_:a <http://ex/p> \"1\" .\n"
      "_:a <http://ex/q> _:z .\n";
  const std::string y_view =
      "_:a <http://ex/p> \"2\" .\n"
      "_:z <http://ex/q> _:a .\n";
  for (const HashAlgorithm alg : {HashAlgorithm::kSha256, HashAlgorithm::kSha384}) {
    const std::string hx = alg == HashAlgorithm::kSha256 ? codec::HexEncode(crypto::Sha256(x_view))
                                                         : codec::HexEncode(crypto::Sha384(x_view));
    const std::string hy = alg == HashAlgorithm::kSha256 ? codec::HexEncode(crypto::Sha256(y_view))
                                                         : codec::HexEncode(crypto::Sha384(y_view));
    CanonicalizeOptions options;
    options.hash = alg;
    const CanonicalDataset c = MustCanonicalize(d, options);
    const bool x_first = hx < hy;
    EXPECT_EQ(c.issued.at("x"), x_first ? "c14n0" : "c14n1");
    EXPECT_EQ(c.issued.at("y"), x_first ? "c14n1" : "c14n0");
    EXPECT_EQ(c.nquads, RelabelAndSort(d, c.issued));
  }
}

TEST(Canonicalize, Sha256AndSha384DisagreeSomewhere) {
  // Over a handful of two-node graphs the label order must follow each hash; with two
  // independent hashes at least one graph orders the nodes differently.
  bool differs = false;
  for (int i = 0; i < 16 && !differs; ++i) {
    const Dataset d = {MakeQuad(Term::Blank("x"), kP, Term::Literal(std::to_string(i))),
                       MakeQuad(Term::Blank("y"), kP, Term::Literal("other"))};
    CanonicalizeOptions sha384;
    sha384.hash = HashAlgorithm::kSha384;
    differs = MustCanonicalize(d).issued != MustCanonicalize(d, sha384).issued;
  }
  EXPECT_TRUE(differs);
}

TEST(Canonicalize, CycleNeedsNDegreeHashing) {
  // A directed 3-cycle: every node has the same first-degree hash.
  const Dataset d = {
      MakeQuad(Term::Blank("e0"), kP, Term::Blank("e1")),
      MakeQuad(Term::Blank("e1"), kP, Term::Blank("e2")),
      MakeQuad(Term::Blank("e2"), kP, Term::Blank("e0")),
  };
  const CanonicalDataset c = MustCanonicalize(d);
  EXPECT_EQ(c.nquads,
            "_:c14n0 <http://ex/p> _:c14n1 .\n"
            "_:c14n1 <http://ex/p> _:c14n2 .\n"
            "_:c14n2 <http://ex/p> _:c14n0 .\n");
  EXPECT_EQ(c.issued.size(), 3u);
  EXPECT_EQ(c.nquads, RelabelAndSort(d, c.issued));
  EXPECT_EQ(SerializeNQuads(c.quads), c.nquads);
}

TEST(Canonicalize, BlankNodeGraphsAndSelfLoops) {
  const Dataset d = {
      MakeQuad(Term::Blank("s"), kP, Term::Blank("s"), Term::Blank("g")),
      MakeQuad(Term::Blank("t"), kP, Term::Blank("t"), Term::Blank("g")),
      MakeQuad(Term::Iri("http://ex/a"), kQ, Term::Blank("s"), Term::Blank("h")),
  };
  const CanonicalDataset c = MustCanonicalize(d);
  EXPECT_EQ(c.issued.size(), 4u);
  EXPECT_EQ(c.nquads, RelabelAndSort(d, c.issued));
  auto again = Canonicalize(*ParseNQuads(c.nquads));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->nquads, c.nquads);
}

TEST(Canonicalize, DuplicateQuadsCountOnce) {
  const Quad a = MakeQuad(Term::Blank("a"), kP, Term::Blank("b"));
  const Quad b = MakeQuad(Term::Blank("b"), kQ, Term::Literal("v"));
  const CanonicalDataset once = MustCanonicalize({a, b});
  const CanonicalDataset twice = MustCanonicalize({a, b, a, b, a});
  EXPECT_EQ(twice.nquads, once.nquads);
  EXPECT_EQ(twice.issued, once.issued);
  EXPECT_EQ(twice.quads.size(), 2u);
}

// A clique: every pair of nodes linked both ways with one predicate.
Dataset Clique(int n) {
  Dataset d;
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      if (i != j) {
        d.push_back(MakeQuad(Term::Blank("n" + std::to_string(i)), kP,
                             Term::Blank("n" + std::to_string(j))));
      }
    }
  }
  return d;
}

TEST(Canonicalize, WorkLimitStopsPoisonGraphs) {
  auto result = Canonicalize(Clique(10));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(JsonLdErrorCode(result.status()), "work limit exceeded");
  EXPECT_NE(result.status().message().find("more than 1000 Hash N-Degree Quads calls"),
            std::string_view::npos)
      << result.status();

  // The cap applies whatever the factor.
  CanonicalizeOptions capped;
  capped.max_work_factor = 50;
  capped.max_hash_n_degree_calls = 20;
  result = Canonicalize(Clique(10), capped);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("more than 20 "), std::string_view::npos);

  // A small clique fits the default budget; with factor 0 (one call) it does not.
  EXPECT_TRUE(Canonicalize(Clique(3)).ok());
  CanonicalizeOptions none;
  none.max_work_factor = 0;
  EXPECT_EQ(JsonLdErrorCode(Canonicalize(Clique(3), none).status()), "work limit exceeded");
  // Uniquely hashed nodes never touch the budget.
  const Dataset unique = {MakeQuad(Term::Blank("x"), kP, Term::Literal("1")),
                          MakeQuad(Term::Blank("y"), kP, Term::Literal("2"))};
  EXPECT_TRUE(Canonicalize(unique, none).ok());
}

TEST(Canonicalize, MaxQuads) {
  CanonicalizeOptions options;
  options.max_quads = 2;
  const Dataset d = {MakeQuad(Term::Iri("http://ex/a"), kP, Term::Literal("1")),
                     MakeQuad(Term::Iri("http://ex/a"), kP, Term::Literal("2")),
                     MakeQuad(Term::Iri("http://ex/a"), kP, Term::Literal("3"))};
  auto result = Canonicalize(d, options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(JsonLdErrorCode(result.status()), "work limit exceeded");
  options.max_quads = 3;
  EXPECT_TRUE(Canonicalize(d, options).ok());
}

// A random dataset over few predicates and literals, so that blank nodes often share
// first-degree hashes; sometimes with a symmetric ring added.
Dataset RandomDataset(std::mt19937_64& rng) {
  std::uniform_int_distribution<int> nodes_dist(1, 6);
  const int nodes = nodes_dist(rng);
  auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  auto blank = [&] { return Term::Blank("b" + std::to_string(pick(nodes))); };
  const char* predicates[] = {kP, kQ};
  Dataset d;
  if (pick(2) == 0) {
    for (int i = 0; i < nodes; ++i) {
      d.push_back(MakeQuad(Term::Blank("b" + std::to_string(i)), kP,
                           Term::Blank("b" + std::to_string((i + 1) % nodes))));
    }
  }
  const int extra = pick(8);
  for (int i = 0; i < extra; ++i) {
    Term s = pick(4) == 0 ? Term::Iri("http://ex/s") : blank();
    Term o;
    switch (pick(3)) {
      case 0:
        o = blank();
        break;
      case 1:
        o = Term::Literal(pick(2) == 0 ? "v" : "w\n\"");
        break;
      default:
        o = Term::Iri("http://ex/o");
    }
    Term g;
    switch (pick(4)) {
      case 0:
        g = blank();
        break;
      case 1:
        g = Term::Iri("http://ex/g");
        break;
      default:
        break;
    }
    d.push_back(MakeQuad(std::move(s), predicates[pick(2)], std::move(o), std::move(g)));
  }
  return d;
}

// Shuffles the quads and renames every blank node with a fresh random label.
Dataset Scramble(const Dataset& d, std::mt19937_64& rng) {
  std::map<std::string, std::string> rename;
  Dataset out = d;
  for (Quad& q : out) {
    for (Term* t : {&q.subject, &q.object, &q.graph}) {
      if (!t->is_blank()) continue;
      auto [it, inserted] = rename.try_emplace(t->value);
      if (inserted) it->second = "r" + std::to_string(rng() % 1000000) + "_" + t->value;
      t->value = it->second;
    }
  }
  std::shuffle(out.begin(), out.end(), rng);
  return out;
}

TEST(Canonicalize, IsomorphicInputsGiveIdenticalOutput) {
  std::mt19937_64 rng(20240521);
  CanonicalizeOptions generous;
  generous.max_work_factor = 10;
  generous.max_hash_n_degree_calls = 10'000'000;
  for (int round = 0; round < 400; ++round) {
    const Dataset d = RandomDataset(rng);
    const CanonicalDataset c = MustCanonicalize(d, generous);
    ASSERT_EQ(c.nquads, RelabelAndSort(d, c.issued)) << "round " << round;
    ASSERT_EQ(SerializeNQuads(c.quads), c.nquads) << "round " << round;
    // Canonical labels are c14n0..c14n(k-1), each issued once.
    std::vector<std::string> labels;
    for (const auto& [from, to] : c.issued) labels.push_back(to);
    std::sort(labels.begin(), labels.end());
    for (size_t i = 0; i < labels.size(); ++i) {
      ASSERT_EQ(std::count(labels.begin(), labels.end(), "c14n" + std::to_string(i)), 1);
    }
    for (int k = 0; k < 3; ++k) {
      const CanonicalDataset other = MustCanonicalize(Scramble(d, rng), generous);
      ASSERT_EQ(other.nquads, c.nquads) << "round " << round << "\n" << SerializeNQuads(d);
    }
    // Canonical output is a fixed point.
    auto reparsed = ParseNQuads(c.nquads);
    ASSERT_TRUE(reparsed.ok()) << reparsed.status();
    ASSERT_EQ(MustCanonicalize(*reparsed, generous).nquads, c.nquads);
  }
}

// The serialization sorts lines as strings; with more than ten blank nodes the labels
// "c14n1", "c14n10", "c14n2" sort as strings do, not as numbers, and lines with IRI subjects
// come first.
TEST(Canonicalize, LinesSortAsStringsPastTenLabels) {
  Dataset d;
  for (int i = 0; i < 25; ++i) {
    const Term node = Term::Blank("n" + std::to_string(i));
    d.push_back(MakeQuad(node, kP, Term::Literal("value " + std::to_string(i * 7 % 25))));
    d.push_back(MakeQuad(node, kQ, Term::Blank("n" + std::to_string((i + 1) % 25))));
    if (i % 5 == 0) d.push_back(MakeQuad(Term::Iri("http://ex/s"), kQ, node));
    if (i % 6 == 0) d.push_back(MakeQuad(node, kP, Term::Iri("http://ex/o")));
  }
  d.push_back(MakeQuad(Term::Iri("http://ex/a"), kP, Term::Literal("first")));
  const CanonicalDataset c = MustCanonicalize(d);
  EXPECT_EQ(c.nquads, RelabelAndSort(d, c.issued));
  EXPECT_NE(c.nquads.find("\n_:c14n24 "), std::string::npos);
  EXPECT_LT(c.nquads.find("\n_:c14n10 "), c.nquads.find("\n_:c14n2 "));
  EXPECT_EQ(c.nquads.rfind("<http://ex/a> ", 0), 0u);
}

TEST(Canonicalize, NonIsomorphicInputsDiffer) {
  // A 6-ring and two 3-rings have identical first-degree hashes everywhere.
  Dataset ring6, rings3;
  for (int i = 0; i < 6; ++i) {
    ring6.push_back(MakeQuad(Term::Blank("a" + std::to_string(i)), kP,
                             Term::Blank("a" + std::to_string((i + 1) % 6))));
    const int base = i < 3 ? 0 : 3;
    rings3.push_back(MakeQuad(Term::Blank("a" + std::to_string(i)), kP,
                              Term::Blank("a" + std::to_string(base + (i + 1 - base) % 3))));
  }
  EXPECT_NE(MustCanonicalize(ring6).nquads, MustCanonicalize(rings3).nquads);
}

}  // namespace
}  // namespace traceport::jsonld
