#include "assist/retrieval.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "assist/text.h"

namespace traceport::assist {
namespace {

constexpr double kK1 = 1.2;
constexpr double kB = 0.75;

// Field boosts: a unit's title and questions say what it is about; its answer says more.
enum Field { kTitle, kQuestions, kKeywords, kAnswer, kFieldCount };
constexpr double kBoost[kFieldCount] = {2.5, 2.5, 2.0, 1.0};

// Limits on the work one question can cause (a 2,000-byte question has at most ~1,000 words).
constexpr size_t kMaxQueryTokens = 256;
constexpr size_t kMaxCorrections = 16;  // words looked up for a spelling correction
constexpr size_t kMaxGroups = 48;

// Words that make a question a USMCA / customs question even when no unit matches it well:
// such a question gets "I don't know" with where to ask, not a decline. Keywords and synonyms of
// the knowledge base are added to these.
constexpr std::string_view kDomainWords[] = {
    "usmca",         "cusma",         "tmec",        "nafta",
    "customs",       "cbp",           "cbsa",        "tariff",
    "duty",          "duties",        "import",      "importer",
    "importation",   "export",        "exporter",    "producer",
    "origin",        "originating",   "preference",  "preferential",
    "certification", "certificate",   "certify",     "certifier",
    "rvc",           "regional",      "hts",         "htsus",
    "trade",         "agreement",     "mpf",         "hmf",
    "fee",           "entry",         "shipment",    "goods",
    "canada",        "canadian",      "mexico",      "mexican",
    "verification",  "recordkeeping", "minimis",     "steel",
    "aluminum",      "aluminium",     "automotive",  "vehicle",
    "textile",       "apparel",       "dairy",       "quota",
    "accumulation",  "drawback",      "broker",      "classification",
    "cfr",           "annex",         "aduana",      "arancel",
    "origen",        "certificado",   "importador",  "exportador",
    "douane",        "tarif",         "importateur", "exportateur",
    "mercancia",     "marchandise",   "tlcan",       "aceum",
    "alena"};

bool HasDigit(std::string_view w) {
  return std::any_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::vector<std::string> Stems(std::string_view text) {
  std::vector<std::string> out;
  for (Token& t : Tokenize(text, kMaxQueryTokens)) out.push_back(std::move(t.stem));
  return out;
}

// A word of the question on its way to becoming a group.
struct Slot {
  std::string stem;
  bool stop = false;
  float weight = 1.0f;
  std::vector<std::string> extra;  // other forms that stand for the same word
};

}  // namespace

void Index::AddPhrase(PhraseTable& table, std::string_view text, size_t target) {
  std::vector<std::string> stems = Stems(text);
  if (stems.empty()) return;
  std::string first = stems.front();
  table[first].push_back(Phrase{std::move(stems), target});
}

size_t Index::Match(const PhraseTable& table, const std::vector<std::string>& stems, size_t i,
                    size_t* target) {
  auto it = table.find(stems[i]);
  if (it == table.end()) return 0;
  size_t best = 0;
  for (const Phrase& p : it->second) {
    if (p.stems.size() <= best || i + p.stems.size() > stems.size()) continue;
    if (std::equal(p.stems.begin(), p.stems.end(), stems.begin() + static_cast<ptrdiff_t>(i))) {
      best = p.stems.size();
      *target = p.target;
    }
  }
  return best;
}

Index::Index(const std::vector<Unit>& units, const std::vector<std::vector<std::string>>& synonyms,
             const std::vector<Translation>& translations,
             const std::vector<OutOfScope>& out_of_scope)
    : units_(units.size()) {
  std::unordered_set<std::string> domain_words;
  for (std::string_view w : kDomainWords) domain_words.insert(Stem(w));
  std::unordered_set<std::string> phrase_words;  // words of synonyms and translation keys
  for (size_t g = 0; g < synonyms.size(); ++g) {
    synonym_terms_.push_back("~" + std::to_string(g));
    for (const std::string& member : synonyms[g]) {
      AddPhrase(synonyms_, member, g);
      for (Token& t : Tokenize(member, kMaxQueryTokens)) {
        if (t.stop) continue;
        phrase_words.insert(t.stem);
        domain_words.insert(t.stem);
      }
    }
  }
  for (size_t i = 0; i < translations.size(); ++i) {
    AddPhrase(translations_, translations[i].phrase, i);
    for (Token& t : Tokenize(translations[i].phrase, kMaxQueryTokens)) {
      if (!t.stop) phrase_words.insert(t.stem);
    }
    std::vector<std::pair<std::string, bool>> words;
    for (Token& t : Tokenize(translations[i].english, kMaxQueryTokens)) {
      words.emplace_back(std::move(t.stem), t.stop);
    }
    translation_words_.push_back(std::move(words));
  }
  for (size_t i = 0; i < out_of_scope.size(); ++i) {
    for (const std::string& term : out_of_scope[i].terms) AddPhrase(out_of_scope_, term, i);
  }

  // Term frequencies per unit and field, with each synonym group's term added where a member
  // phrase occurs.
  std::vector<std::array<std::unordered_map<std::string, int>, kFieldCount>> tf(units.size());
  std::vector<std::array<int, kFieldCount>> length(units.size());
  std::array<double, kFieldCount> total_length{};
  for (size_t u = 0; u < units.size(); ++u) {
    const Unit& unit = units[u];
    std::array<std::vector<std::string_view>, kFieldCount> texts;
    texts[kTitle].push_back(unit.title);
    for (const auto* list : {&unit.questions, &unit.questions_es, &unit.questions_fr}) {
      for (const std::string& q : *list) texts[kQuestions].push_back(q);
    }
    for (const std::string& k : unit.keywords) texts[kKeywords].push_back(k);
    texts[kAnswer].push_back(unit.answer);
    for (int f = 0; f < kFieldCount; ++f) {
      length[u][f] = 0;
      for (std::string_view text : texts[f]) {
        std::vector<Token> tokens = Tokenize(text, 4096);
        std::vector<std::string> stems;
        for (const Token& t : tokens) stems.push_back(t.stem);
        for (size_t i = 0; i < tokens.size(); ++i) {
          size_t group = 0;
          if (Match(synonyms_, stems, i, &group) > 0) ++tf[u][f][synonym_terms_[group]];
          if (tokens[i].stop) continue;
          ++tf[u][f][tokens[i].stem];
          ++length[u][f];
          if (f == kKeywords) domain_words.insert(tokens[i].stem);
        }
      }
      total_length[f] += length[u][f];
    }
  }

  // BM25F: per-field length normalisation, boosted and summed into one pseudo-frequency.
  std::vector<std::unordered_map<std::string, double>> weighted(units.size());
  for (size_t u = 0; u < units.size(); ++u) {
    for (int f = 0; f < kFieldCount; ++f) {
      const double avg = units.empty() ? 0 : total_length[f] / static_cast<double>(units.size());
      const double norm = avg > 0 ? 1 - kB + kB * length[u][f] / avg : 1;
      for (const auto& [term, count] : tf[u][f]) {
        weighted[u][term] += kBoost[f] * count / norm;
      }
    }
  }
  for (size_t u = 0; u < units.size(); ++u) {
    for (const auto& entry : weighted[u]) {
      auto [it, inserted] = term_ids_.emplace(entry.first, static_cast<int>(terms_.size()));
      if (inserted) {
        terms_.push_back(entry.first);
        df_.push_back(0);
        postings_.emplace_back();
      }
      ++df_[static_cast<size_t>(it->second)];
    }
  }
  const double n = static_cast<double>(units.size());
  for (int df : df_) idf_.push_back(std::log(1 + (n - df + 0.5) / (df + 0.5)));
  unknown_idf_ = std::log(1 + (n + 0.5) / 0.5);
  for (size_t u = 0; u < units.size(); ++u) {
    for (const auto& [term, w] : weighted[u]) {
      const int id = term_ids_.at(term);
      const double s = Idf(id) * w * (kK1 + 1) / (w + kK1);
      postings_[static_cast<size_t>(id)].push_back(
          Posting{static_cast<int>(u), static_cast<float>(s)});
    }
  }
  for (auto& p : postings_) {
    std::sort(p.begin(), p.end(),
              [](const Posting& a, const Posting& b) { return a.unit < b.unit; });
  }

  // Words a misspelling may be corrected to: index terms, then the synonyms' and translations'
  // words (which the analysis rewrites before lookup). Synonym group terms are not words.
  for (const std::string& w : phrase_words) {
    if (term_ids_.count(w) == 0) {
      term_ids_.emplace(w, static_cast<int>(terms_.size()));
      terms_.push_back(w);
      df_.push_back(0);
      idf_.push_back(unknown_idf_);
      postings_.emplace_back();
    }
  }
  for (size_t id = 0; id < terms_.size(); ++id) {
    const std::string& t = terms_[id];
    if (t.empty() || t[0] == '~' || HasDigit(t)) continue;
    if (by_length_.size() <= t.size()) by_length_.resize(t.size() + 1);
    by_length_[t.size()].push_back(static_cast<int>(id));
  }
  domain_ = std::move(domain_words);
  domain_.insert(synonym_terms_.begin(), synonym_terms_.end());
}

int Index::TermId(std::string_view stem) const {
  auto it = term_ids_.find(std::string(stem));
  return it == term_ids_.end() ? -1 : it->second;
}

int Index::Correct(std::string_view stem) const {
  if (stem.size() < 4 || HasDigit(stem)) return -1;
  const int max_distance = stem.size() >= 8 ? 2 : 1;
  int best = -1;
  int best_distance = max_distance + 1;
  for (size_t len = stem.size() - static_cast<size_t>(max_distance);
       len <= stem.size() + static_cast<size_t>(max_distance) && len < by_length_.size(); ++len) {
    for (int id : by_length_[len]) {
      const std::string& candidate = terms_[static_cast<size_t>(id)];
      // A known word with letters added at the end ("customer" -> "custom") is another word,
      // not a misspelling of it.
      if (candidate.size() < stem.size() && stem.compare(0, candidate.size(), candidate) == 0) {
        continue;
      }
      const int d = EditDistance(stem, candidate, max_distance);
      if (d > max_distance) continue;
      // Nearest first, then the term more units use, then the first in vocabulary order.
      if (d < best_distance ||
          (d == best_distance && df_[static_cast<size_t>(id)] > df_[static_cast<size_t>(best)])) {
        best = id;
        best_distance = d;
      }
    }
  }
  return best;
}

Query Index::Analyze(std::string_view text) const {
  Query q;
  std::vector<Token> tokens = Tokenize(text, kMaxQueryTokens);
  std::vector<std::string> stems;
  for (const Token& t : tokens) stems.push_back(t.stem);

  // Out-of-scope phrases, on the words as typed.
  for (size_t i = 0; i < stems.size(); ++i) {
    size_t entry = 0;
    if (Match(out_of_scope_, stems, i, &entry) > 0) q.out_of_scope.push_back(entry);
  }

  // 1. Spelling: a word the index, the synonyms and the translations do not know.
  std::vector<Slot> slots;
  size_t attempts = 0;  // each scans part of the vocabulary: bounded per question
  for (const Token& t : tokens) {
    Slot s{t.stem, t.stop, 1.0f, {}};
    if (!t.stop) ++q.content_words;
    if (!t.stop && TermId(t.stem) < 0 && attempts < kMaxCorrections) {
      ++attempts;
      const int fixed = Correct(t.stem);
      if (fixed >= 0) {
        const int d = EditDistance(t.stem, terms_[static_cast<size_t>(fixed)], 2);
        s.stem = terms_[static_cast<size_t>(fixed)];
        s.weight = d <= 1 ? 0.8f : 0.7f;
      }
    }
    slots.push_back(std::move(s));
  }

  // 2. Translation of Spanish and French words and phrases into English terms.
  {
    std::vector<std::string> current;
    for (const Slot& s : slots) current.push_back(s.stem);
    std::vector<Slot> translated;
    for (size_t i = 0; i < slots.size();) {
      size_t target = 0;
      const size_t len = Match(translations_, current, i, &target);
      if (len == 0) {
        translated.push_back(slots[i]);
        ++i;
        continue;
      }
      float weight = 1.0f;
      std::vector<std::string> originals;
      for (size_t j = i; j < i + len; ++j) {
        weight = std::min(weight, slots[j].weight);
        if (!slots[j].stop) originals.push_back(slots[j].stem);
      }
      bool first = true;
      for (const auto& [stem, stop] : translation_words_[target]) {
        Slot s{stem, stop, weight, {}};
        if (!stop && first) {
          s.extra = originals;  // the Spanish or French word matches the translated questions
          first = false;
        }
        translated.push_back(std::move(s));
      }
      i += len;
    }
    slots = std::move(translated);
  }

  // 3. Synonyms, then one group per remaining word.
  std::vector<std::string> current;
  for (const Slot& s : slots) current.push_back(s.stem);
  struct Draft {
    std::vector<std::pair<std::string, float>> forms;
    float scale;
  };
  std::vector<Draft> drafts;
  for (size_t i = 0; i < slots.size();) {
    size_t group = 0;
    const size_t len = Match(synonyms_, current, i, &group);
    if (len > 0) {
      float weight = 1.0f;
      for (size_t j = i; j < i + len; ++j) weight = std::min(weight, slots[j].weight);
      // One word: the group is that word or any of its synonyms. Several words: the phrase is
      // one group, and its words count again at half weight (a unit may use them apart).
      Draft d{{{synonym_terms_[group], weight}}, 1.0f};
      std::vector<Draft> parts;
      size_t content = 0;
      for (size_t j = i; j < i + len; ++j) content += slots[j].stop ? 0 : 1;
      for (size_t j = i; j < i + len; ++j) {
        if (slots[j].stop) continue;
        Draft& into = content == 1 ? d : parts.emplace_back(Draft{{}, 0.5f});
        into.forms.emplace_back(slots[j].stem, slots[j].weight);
        for (const std::string& e : slots[j].extra) into.forms.emplace_back(e, slots[j].weight);
      }
      drafts.push_back(std::move(d));
      for (Draft& part : parts) drafts.push_back(std::move(part));
      i += len;
      continue;
    }
    if (!slots[i].stop) {
      Draft d{{{slots[i].stem, slots[i].weight}}, 1.0f};
      for (const std::string& e : slots[i].extra) d.forms.emplace_back(e, slots[i].weight);
      drafts.push_back(std::move(d));
    }
    ++i;
  }

  std::unordered_set<std::string> seen;
  for (Draft& d : drafts) {
    if (q.groups.size() >= kMaxGroups) break;
    if (!seen.insert(d.forms.front().first).second) continue;
    QueryGroup g;
    g.word = d.forms.front().first;
    g.scale = d.scale;
    double importance = 0;
    for (const auto& [form, weight] : d.forms) {
      if (form[0] != '~') q.stems.push_back(form);
      if (domain_.count(form) > 0) q.domain = true;
      const int id = TermId(form);
      if (id < 0) continue;
      if (df_[static_cast<size_t>(id)] == 0) continue;  // a known word no unit uses
      g.alternatives.push_back(QueryAlternative{id, weight});
      importance = std::max(importance, weight * Idf(id));
    }
    if (g.alternatives.empty()) {
      // A word of a synonym phrase that no unit uses is carried by the phrase's group.
      if (d.scale < 1.0f) continue;
      // Not in any unit: weighs like a rare term (numbers less: they are often amounts).
      importance = unknown_idf_ * (HasDigit(g.word) ? 0.4 : 0.75);
    }
    g.importance = static_cast<float>(importance * g.scale);
    q.groups.push_back(std::move(g));
  }
  return q;
}

Query Index::Combine(const Query& primary, const Query& context, float context_scale) {
  Query q = primary;
  std::unordered_set<std::string> have;
  for (const QueryGroup& g : primary.groups) have.insert(g.word);
  for (const QueryGroup& g : context.groups) {
    if (!have.insert(g.word).second || q.groups.size() >= kMaxGroups) continue;
    QueryGroup scaled = g;
    scaled.scale *= context_scale;
    scaled.importance *= context_scale;
    q.groups.push_back(std::move(scaled));
  }
  q.domain = primary.domain || context.domain;
  q.stems.insert(q.stems.end(), context.stems.begin(), context.stems.end());
  return q;
}

std::vector<Hit> Index::Search(const Query& query, size_t k) const {
  std::vector<double> score(units_, 0.0);
  std::vector<double> covered(units_, 0.0);
  std::vector<double> best_score(units_);
  std::vector<float> best_weight(units_);
  double total_importance = 0;
  for (const QueryGroup& g : query.groups) {
    total_importance += g.importance;
    std::fill(best_score.begin(), best_score.end(), 0.0);
    std::fill(best_weight.begin(), best_weight.end(), 0.0f);
    for (const QueryAlternative& a : g.alternatives) {
      for (const Posting& p : postings_[static_cast<size_t>(a.term)]) {
        const size_t u = static_cast<size_t>(p.unit);
        best_score[u] = std::max(best_score[u], static_cast<double>(a.weight * p.score));
        best_weight[u] = std::max(best_weight[u], a.weight);
      }
    }
    for (size_t u = 0; u < units_; ++u) {
      score[u] += g.scale * best_score[u];
      covered[u] += static_cast<double>(g.importance) * best_weight[u];
    }
  }
  std::vector<Hit> hits;
  for (size_t u = 0; u < units_; ++u) {
    if (score[u] <= 0) continue;
    const double coverage = total_importance > 0 ? covered[u] / total_importance : 0;
    hits.push_back(Hit{u, score[u], std::clamp(coverage, 0.0, 1.0)});
  }
  std::stable_sort(hits.begin(), hits.end(),
                   [](const Hit& a, const Hit& b) { return a.score > b.score; });
  if (hits.size() > k) hits.resize(k);
  return hits;
}

std::unordered_set<int> Index::Terms(const Query& query) {
  std::unordered_set<int> out;
  for (const QueryGroup& g : query.groups) {
    for (const QueryAlternative& a : g.alternatives) out.insert(a.term);
  }
  return out;
}

}  // namespace traceport::assist
