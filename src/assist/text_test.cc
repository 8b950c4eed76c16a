// Tests of the text normalisation: tokens, accent folding, the light stemmer, stopwords and the
// edit distance (against a plain reference implementation over random strings).
#include "assist/text.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace traceport::assist {
namespace {

using ::testing::ElementsAre;

std::vector<std::string> Folded(std::string_view text) {
  std::vector<std::string> out;
  for (const Token& t : Tokenize(text)) out.push_back(t.folded);
  return out;
}

std::vector<std::string> Stems(std::string_view text) {
  std::vector<std::string> out;
  for (const Token& t : Tokenize(text)) {
    if (!t.stop) out.push_back(t.stem);
  }
  return out;
}

TEST(TokenizeTest, FoldsCaseAndAccents) {
  EXPECT_THAT(Folded("¿Quién puede certificar el ORIGEN?"),
              ElementsAre("quien", "puede", "certificar", "el", "origen"));
  EXPECT_THAT(Folded("Ça coûte à l'entrée, Œuvre, Straße, México"),
              ElementsAre("ca", "coute", "a", "l", "entree", "oeuvre", "strasse", "mexico"));
  EXPECT_THAT(Folded("Łódź"), ElementsAre("lodz"));
  // Other scripts stay as they are.
  EXPECT_THAT(Folded("関税 tariff"), ElementsAre("関税", "tariff"));
}

TEST(TokenizeTest, NumbersHyphensAndPlus) {
  EXPECT_THAT(Folded("Art. 4.5 on $100,000."), ElementsAre("art", "4.5", "on", "100000"));
  EXPECT_THAT(Folded("T-MEC, non-originating"), ElementsAre("t", "mec", "non", "originating"));
  EXPECT_THAT(Folded("S+ or S?"), ElementsAre("s+", "or", "s"));
  const std::vector<Token> t = Tokenize("S+ or S");
  EXPECT_FALSE(t[0].stop);
  EXPECT_TRUE(t[2].stop);  // a single letter
}

TEST(TokenizeTest, OffsetsAndInvalidBytes) {
  const std::vector<Token> t = Tokenize(
      "ab\xff"
      "cd é");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].folded, "ab");
  EXPECT_EQ(t[1].folded, "cd");
  EXPECT_EQ(t[1].begin, 3u);
  EXPECT_EQ(t[1].end, 5u);
  EXPECT_EQ(t[2].folded, "e");
  EXPECT_EQ(t[2].end, 8u);
  EXPECT_EQ(Tokenize("a b c d e", 2).size(), 2u);
  EXPECT_TRUE(Tokenize("").empty());
  EXPECT_TRUE(Tokenize("?!. ,").empty());
}

TEST(FoldTextTest, CollapsesSpacesAndKeepsPunctuation) {
  EXPECT_EQ(FoldText("  Hello,   MÉXICO!  "), "hello, mexico!");
  EXPECT_EQ(FoldText("<Script>"), "<script>");
  EXPECT_EQ(FoldText("a\t\nb"), "a b");
  EXPECT_EQ(FoldText(""), "");
}

TEST(StemTest, LightEnglishSuffixes) {
  EXPECT_EQ(Stem("cars"), "car");
  EXPECT_EQ(Stem("duties"), "duty");
  EXPECT_EQ(Stem("claiming"), Stem("claim"));
  EXPECT_EQ(Stem("claimed"), Stem("claim"));
  EXPECT_EQ(Stem("certified"), Stem("certify"));
  EXPECT_EQ(Stem("shipped"), Stem("ship"));
  EXPECT_EQ(Stem("shipping"), Stem("ship"));
  EXPECT_EQ(Stem("rates"), Stem("rate"));
  EXPECT_EQ(Stem("rated"), Stem("rate"));
  EXPECT_EQ(Stem("goods"), "good");
  EXPECT_EQ(Stem("taxes"), "tax");
  EXPECT_EQ(Stem("fees"), "fee");
  EXPECT_EQ(Stem("used"), Stem("use"));
  EXPECT_EQ(Stem("status"), "status");
  EXPECT_EQ(Stem("basis"), "basis");
  EXPECT_EQ(Stem("4.5"), "4.5");
  EXPECT_EQ(Stem("fy2025"), "fy2025");
  EXPECT_EQ(Stem("gas"), "gas");
}

TEST(StemTest, StopwordsAreLeftOut) {
  EXPECT_THAT(Stems("What is the threshold for cars?"), ElementsAre("threshold", "car"));
  EXPECT_THAT(Stems("¿Cuál es el umbral para los coches?"), ElementsAre("umbral", "coch"));
  EXPECT_THAT(Stems("Quel est le seuil pour les voitures ?"), ElementsAre("seuil", "voitur"));
  EXPECT_TRUE(IsStopword("the"));
  EXPECT_FALSE(IsStopword("us"));  // usually "U.S."
  EXPECT_FALSE(IsStopword("origin"));
}

// The textbook optimal-string-alignment distance, without early exit.
int ReferenceDistance(const std::string& a, const std::string& b) {
  const size_t n = a.size(), m = b.size();
  std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1));
  for (size_t i = 0; i <= n; ++i) d[i][0] = static_cast<int>(i);
  for (size_t j = 0; j <= m; ++j) d[0][j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[n][m];
}

TEST(EditDistanceTest, Examples) {
  EXPECT_EQ(EditDistance("certfy", "certify", 1), 1);   // insertion
  EXPECT_EQ(EditDistance("ceritfy", "certify", 1), 1);  // transposition
  EXPECT_EQ(EditDistance("tarif", "tariff", 2), 1);
  EXPECT_EQ(EditDistance("origin", "origin", 0), 0);
  EXPECT_EQ(EditDistance("abc", "xyz", 1), 2);  // above the limit: limit + 1
  EXPECT_EQ(EditDistance("", "abc", 3), 3);
  EXPECT_EQ(EditDistance("a", "abcdef", 2), 3);
}

TEST(EditDistanceTest, MatchesTheReferenceOnRandomStrings) {
  std::mt19937 rng(7);
  for (int n = 0; n < 3000; ++n) {
    std::string a, b;
    const size_t la = rng() % 9, lb = rng() % 9;
    for (size_t i = 0; i < la; ++i) a.push_back(static_cast<char>('a' + rng() % 3));
    for (size_t i = 0; i < lb; ++i) b.push_back(static_cast<char>('a' + rng() % 3));
    const int max = static_cast<int>(rng() % 4);
    const int expected = ReferenceDistance(a, b);
    EXPECT_EQ(EditDistance(a, b, max), std::min(expected, max + 1)) << a << " " << b << " " << max;
  }
}

}  // namespace
}  // namespace traceport::assist
