// Retrieval for the assistant: a BM25F index over the knowledge base's units, and the analysis
// that turns a question into weighted query terms.
//
// Each unit is one document with four fields, weighted by how well they say what the unit is
// about: title and questions (English, Spanish and French) x2.5, keywords x2, answer x1. Terms
// are Tokenize() stems without stopwords. Every synonym group also gets a term of its own
// ("~3"), added wherever a member phrase occurs, so "CUSMA", "T-MEC" and "USMCA" meet.
//
// A question becomes a list of groups, one per idea the user typed; a group holds alternative
// terms with weights (the word itself, its synonym group, its English translation, a spelling
// correction) and a unit scores the best alternative of each group, so that expanding a word
// never counts it twice. Analysis, in order:
//   1. out-of-scope phrases (scope.json) are noted, on the words as typed;
//   2. a word that neither the index, the synonyms nor the translations know is corrected to
//      the vocabulary term within Damerau-Levenshtein distance 1 (words of 4+ letters) or 2
//      (8+ letters), the nearest and then the most frequent, at weight 0.8 (0.7 for distance 2);
//      a known word with letters added at its end ("customer" for "custom") is not a misspelling
//      of it. At most 16 words per question are looked up;
//   3. Spanish/French words and phrases are translated to their English terms (the original
//      word stays an alternative: the index holds the units' Spanish and French questions too);
//   4. synonym phrases become their group's term (a multi-word phrase keeps its words as
//      half-weight groups, which do not count against coverage when no unit uses them);
//   5. whether any word is USMCA/customs vocabulary is noted.

// Scores: BM25F (k1 = 1.2, b = 0.75) summed over groups. Coverage, the confidence measure, is
// the idf-weighted share of the question's groups a unit matches (a word that is not in the
// vocabulary weighs 0.75 of the rarest term, so a question about something the knowledge base
// never mentions cannot look covered; stopwords include conversational filler such as
// "actually" or "keeps saying", which never says what a question is about).
//
// Thread safety: an Index is immutable after construction; all methods may be called
// concurrently.
#ifndef TRACEPORT_ASSIST_RETRIEVAL_H_
#define TRACEPORT_ASSIST_RETRIEVAL_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "assist/knowledge_base.h"

namespace traceport::assist {

struct QueryAlternative {
  int term = 0;         // index term id
  float weight = 1.0f;  // 1 for the word itself, less for corrections and phrase parts
};

struct QueryGroup {
  std::vector<QueryAlternative> alternatives;  // empty when no form is in the vocabulary
  std::string word;                            // the stem the group stands for (diagnostics)
  float importance = 0;  // weight in coverage: best alternative's weight x idf (x scale)
  float scale = 1.0f;    // < 1 for context carried over from an earlier turn
};

struct Query {
  std::vector<QueryGroup> groups;
  size_t content_words = 0;          // words of the question that are not stopwords
  bool domain = false;               // uses USMCA / customs vocabulary
  std::vector<size_t> out_of_scope;  // KnowledgeBase::out_of_scope() entries, as they occur
  std::vector<std::string> stems;    // content stems after translation and correction
};

struct Hit {
  size_t unit = 0;  // index into KnowledgeBase::units()
  double score = 0;
  double coverage = 0;  // 0..1
};

class Index {
 public:
  Index(const std::vector<Unit>& units, const std::vector<std::vector<std::string>>& synonyms,
        const std::vector<Translation>& translations, const std::vector<OutOfScope>& out_of_scope);

  Query Analyze(std::string_view text) const;

  // `primary` followed by the groups of `context` that it does not already have, scaled by
  // `context_scale` (a follow-up question plus the topic of the previous turn).
  static Query Combine(const Query& primary, const Query& context, float context_scale);

  // The best `k` units with a positive score, best first (ties: knowledge base order).
  std::vector<Hit> Search(const Query& query, size_t k) const;

  // The term ids of a query's alternatives (for comparing a follow-up with variant keys).
  static std::unordered_set<int> Terms(const Query& query);

  size_t vocabulary_size() const { return terms_.size(); }

 private:
  struct Posting {
    int unit;
    float score;  // the BM25F contribution of the term to the unit, for weight 1
  };
  struct Phrase {
    std::vector<std::string> stems;
    size_t target;  // synonym group, translation or out-of-scope entry
  };
  using PhraseTable = std::unordered_map<std::string, std::vector<Phrase>>;

  int TermId(std::string_view stem) const;  // -1 when not in the vocabulary
  int Correct(std::string_view stem) const;
  static void AddPhrase(PhraseTable& table, std::string_view text, size_t target);
  // The longest phrase of `table` starting at `stems[i]`: its length (0 when none) and target.
  static size_t Match(const PhraseTable& table, const std::vector<std::string>& stems, size_t i,
                      size_t* target);
  double Idf(int term) const { return idf_[static_cast<size_t>(term)]; }

  size_t units_ = 0;
  std::unordered_map<std::string, int> term_ids_;
  std::vector<std::string> terms_;
  std::vector<int> df_;
  std::vector<double> idf_;
  std::vector<std::vector<Posting>> postings_;  // by term id, sorted by unit
  std::vector<std::vector<int>> by_length_;     // correctable term ids by length
  double unknown_idf_ = 0;                      // the idf of a term no unit has
  std::unordered_set<std::string> domain_;      // stems (and synonym group terms) of the domain
  PhraseTable synonyms_;
  PhraseTable translations_;
  PhraseTable out_of_scope_;
  std::vector<std::vector<std::pair<std::string, bool>>> translation_words_;  // (stem, stop)
  std::vector<std::string> synonym_terms_;                                    // "~<group>"
};

}  // namespace traceport::assist

#endif  // TRACEPORT_ASSIST_RETRIEVAL_H_
