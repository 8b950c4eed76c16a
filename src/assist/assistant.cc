#include "assist/assistant.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "assist/retrieval.h"
#include "assist/text.h"
#include "codec/json.h"

namespace traceport::assist {
namespace {

using json = nlohmann::json;

// A best unit whose score is within this share of the top one competes with it for a short
// question; if they have different intents, the assistant asks which was meant.
constexpr double kCloseScore = 0.75;
// A question this short ("threshold?", "fees") may be ambiguous.
constexpr size_t kShortQuestionWords = 2;
// Weight of the previous topic's words when a follow-up is searched again.
constexpr float kContextScale = 0.5f;
// Longest topic carried between turns.
constexpr size_t kMaxTopicBytes = 600;

constexpr char kScopeLead[] =
    "That is outside what I can help with: I answer questions about the USMCA (also called "
    "CUSMA and T-MEC) and related US customs procedures. ";
constexpr char kHostile[] =
    "I can only answer questions about the USMCA and related US customs procedures, and I do not "
    "follow instructions to change how I work. Please ask your question in plain words.";
constexpr char kBinary[] = "I can only read plain text (UTF-8). Please type your question.";
constexpr char kEmpty[] =
    "Please type a question about the USMCA, for example \"Who can certify origin?\" or "
    "\"Calculate RVC: transaction value $100,000, non-originating materials $35,000\".";
constexpr char kGreeting[] =
    "Hello. Ask me a question about the USMCA, for example \"Who can certify origin?\", or ask "
    "me to calculate regional value content, de minimis, the merchandise processing fee or the "
    "harbor maintenance fee.";
constexpr char kThanks[] = "You are welcome. Ask another question about the USMCA at any time.";

// Phrases of prompt injection and probing, matched on FoldText() of the question.
constexpr std::string_view kInjection[] = {"ignore previous",
                                           "ignore all previous",
                                           "ignore the previous",
                                           "ignore prior",
                                           "ignore all prior",
                                           "ignore your",
                                           "ignore all instructions",
                                           "ignore the above",
                                           "ignore everything",
                                           "ignore these",
                                           "disregard previous",
                                           "disregard all",
                                           "disregard the above",
                                           "disregard your",
                                           "forget your",
                                           "forget previous",
                                           "forget all previous",
                                           "forget everything",
                                           "system prompt",
                                           "system message",
                                           "your instructions",
                                           "your prompt",
                                           "initial prompt",
                                           "developer mode",
                                           "jailbreak",
                                           "dan mode",
                                           "you are now",
                                           "pretend you are",
                                           "pretend to be",
                                           "roleplay as",
                                           "reveal your",
                                           "print your",
                                           "repeat your instructions",
                                           "new instructions",
                                           "sudo ",
                                           "drop table",
                                           "union select",
                                           "olvida las instrucciones",
                                           "ignora las instrucciones",
                                           "ignora todas",
                                           "ignorez les instructions",
                                           "ignore les instructions",
                                           "oublie les instructions",
                                           "prompt systeme",
                                           "prompt del sistema"};

bool HasControlBytes(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\t' && c != '\n' && c != '\r') || u == 0x7F;
  });
}

bool IsHostile(std::string_view raw, std::string_view folded) {
  for (std::string_view p : kInjection) {
    if (folded.find(p) != std::string_view::npos) return true;
  }
  // Markup: a tag ("<script", "</b>", "<!--", "<?php"), a script URL, template syntax.
  for (size_t i = 0; i + 1 < raw.size(); ++i) {
    const char c = raw[i + 1];
    if (raw[i] == '<' &&
        ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '/' || c == '!' || c == '?')) {
      return true;
    }
  }
  for (std::string_view p : {"javascript:", "vbscript:", "data:text", "&lt;", "&#", "{{", "${",
                             "<%", "onerror", "onload="}) {
    if (folded.find(p) != std::string_view::npos) return true;
  }
  return false;
}

bool StartsWithWords(std::string_view folded, std::string_view phrase) {
  return folded.substr(0, phrase.size()) == phrase &&
         (folded.size() == phrase.size() || folded[phrase.size()] == ' ' ||
          folded[phrase.size()] == '?' || folded[phrase.size()] == ',');
}

// Words that open a follow-up to the previous answer.
bool OpensFollowUp(std::string_view folded) {
  for (std::string_view p :
       {"and",     "what about", "how about", "what if", "also",    "same for",
        "for",     "in",         "y",         "e",       "et",      "and for",
        "and in",  "what for",   "y para",    "y en",    "y si",    "y con",
        "et pour", "et si",      "et au",     "et en",   "et avec", "que pasa con",
        "and if",  "but for",    "then for"}) {
    if (StartsWithWords(folded, p)) return true;
  }
  return false;
}

std::string AsOfPrefix(std::string_view date) {
  static constexpr const char* kMonths[12] = {"January",   "February", "March",    "April",
                                              "May",       "June",     "July",     "August",
                                              "September", "October",  "November", "December"};
  const int year = std::stoi(std::string(date.substr(0, 4)));
  const int month = std::stoi(std::string(date.substr(5, 2)));
  const int day = std::stoi(std::string(date.substr(8, 2)));
  return "As of " + std::string(kMonths[month - 1]) + " " + std::to_string(day) + ", " +
         std::to_string(year) + ": ";
}

std::string Clip(std::string s) {
  if (s.size() <= kMaxTopicBytes) return s;
  // Keep the most recent words (the end), cut at a character boundary.
  size_t cut = s.size() - kMaxTopicBytes;
  while (cut < s.size() && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) ++cut;
  return s.substr(cut);
}

bool Intersects(const std::unordered_set<int>& a, const std::unordered_set<int>& b) {
  for (int x : a) {
    if (b.count(x) > 0) return true;
  }
  return false;
}

// Whether a request is a calculation rather than a question about the rule: it has an amount,
// or asks to calculate. "De minimis" also names the low-value shipment threshold, so there the
// calculator needs two amounts or a materials amount, and no shipment words.
bool WantsCalculation(const CalcRequest& r) {
  if (r.calculator == Calculator::kNone) return false;
  const bool has_amount = r.amount_count > 0 || r.too_large;
  if (r.calculator == Calculator::kDeMinimis) {
    if (r.low_value_shipment) return false;
    return r.amount_count >= 2 || r.materials_cents.has_value() ||
           (r.compute_verb && r.amount_count == 0);
  }
  return has_amount || r.compute_verb;
}

// Context words a follow-up may add to a calculation ("for cars", "by truck", "FY2025").
bool HasCalculationContext(const CalcRequest& r) {
  return r.automotive.has_value() || r.fiscal_year.has_value() || r.originating.has_value() ||
         r.transport != Transport::kUnknown || r.heavy_truck || r.auto_parts || r.textiles;
}

}  // namespace

std::string_view AnswerKindName(AnswerKind kind) {
  switch (kind) {
    case AnswerKind::kAnswer:
      return "answer";
    case AnswerKind::kCalculation:
      return "calculation";
    case AnswerKind::kClarify:
      return "clarify";
    case AnswerKind::kDecline:
      return "decline";
    case AnswerKind::kUnknown:
      return "unknown";
    case AnswerKind::kRefused:
      return "refused";
  }
  return "unknown";
}

json Answer::ToJson() const {
  const auto string_or_null = [](const std::string& s) { return s.empty() ? json() : json(s); };
  json citation_list = json::array();
  for (const Citation& c : citations) citation_list.push_back({{"label", c.label}, {"url", c.url}});
  json out = {{"answer", text},
              {"kind", AnswerKindName(kind)},
              {"intent", string_or_null(intent)},
              {"unit", string_or_null(unit)},
              {"confidence", std::round(confidence * 1000) / 1000},
              {"citations", std::move(citation_list)},
              {"reviewed", string_or_null(reviewed)},
              {"asOf", string_or_null(as_of)},
              {"related", related}};
  if (!options.empty()) out["options"] = options;
  if (!session_id.empty()) out["sessionId"] = session_id;
  return out;
}

Conversation::Conversation(const KnowledgeBase& kb, const Clock& clock)
    : kb_(&kb), clock_(&clock) {}

Answer Conversation::Ask(std::string_view question) {
  ++state_.turns;
  return Respond(question);
}

Answer Conversation::FromUnit(size_t index, double confidence, std::string topic) {
  const Unit& u = kb_->units()[index];
  Answer a;
  a.kind = AnswerKind::kAnswer;
  // A dated unit says so, unless its answer already opens with its own "As of ...".
  const bool dated_already = FoldText(u.answer).rfind("as of ", 0) == 0;
  a.text = u.as_of.empty() || dated_already ? u.answer : AsOfPrefix(u.as_of) + u.answer;
  a.intent = u.intent;
  a.unit = u.id;
  a.confidence = std::clamp(confidence, 0.0, 1.0);
  a.citations = u.citations;
  a.reviewed = u.reviewed;
  a.as_of = u.as_of;
  a.related = u.related;
  state_.last_unit = u.id;
  state_.last_intent = u.intent;
  state_.topic = Clip(std::move(topic));
  state_.pending_options.clear();
  state_.calculation.reset();
  state_.calculation_pending = false;
  return a;
}

Answer Conversation::FromCalculation(const CalcRequest& request) {
  const CalcResult r = Calculate(request, clock_->Now());
  Answer a;
  a.kind = r.complete ? AnswerKind::kCalculation : AnswerKind::kClarify;
  a.text = r.text;
  a.intent =
      r.calculator == Calculator::kNone ? "" : "calc-" + std::string(CalculatorName(r.calculator));
  a.confidence = 1.0;
  a.citations = r.citations;
  state_.calculation = request;
  if (r.calculator != Calculator::kNone) state_.calculation->calculator = r.calculator;
  state_.calculation_pending = !r.complete;
  state_.last_unit.clear();
  state_.last_intent = a.intent;
  state_.pending_options.clear();
  return a;
}

Answer Conversation::ClarifyOptions(const std::vector<size_t>& units, double confidence,
                                    std::string topic) {
  Answer a;
  a.kind = AnswerKind::kClarify;
  a.confidence = std::clamp(confidence, 0.0, 1.0);
  a.text = "Your question could be about several things. Did you mean: ";
  for (size_t i = 0; i < units.size(); ++i) {
    const Unit& u = kb_->units()[units[i]];
    a.text += (i > 0 ? "; " : "") + std::to_string(i + 1) + ") " + u.title;
    a.options.push_back(u.id);
  }
  a.text += "? Reply with a number, or ask in more words.";
  state_.pending_options = a.options;
  state_.topic = Clip(std::move(topic));
  state_.last_unit.clear();
  state_.last_intent.clear();
  state_.calculation.reset();
  state_.calculation_pending = false;
  return a;
}

Answer Conversation::Decline(std::string text, double confidence) {
  Answer a;
  a.kind = AnswerKind::kDecline;
  a.text = std::move(text);
  a.confidence = confidence;
  state_.pending_options.clear();
  state_.calculation_pending = false;
  return a;
}

Answer Conversation::Unknown(double confidence) {
  Answer a;
  a.kind = AnswerKind::kUnknown;
  a.text = "I don't know the answer to that from my sources. " + kb_->help();
  a.confidence = std::clamp(confidence, 0.0, 1.0);
  state_.pending_options.clear();
  state_.calculation_pending = false;
  return a;
}

int Conversation::PickOption(std::string_view question) const {
  const std::vector<Token> tokens = Tokenize(question, 16);
  if (tokens.empty() || tokens.size() > 5) return -1;
  const int n = static_cast<int>(state_.pending_options.size());
  for (const Token& t : tokens) {
    int pick = -1;
    const std::string& w = t.folded;
    if (w == "1" || w == "one" || w == "first" || w == "1st" || w == "primero" || w == "primera" ||
        w == "premier" || w == "premiere" || w == "uno") {
      pick = 0;
    } else if (w == "2" || w == "two" || w == "second" || w == "2nd" || w == "segundo" ||
               w == "segunda" || w == "deuxieme" || w == "dos" || w == "seconde") {
      pick = 1;
    } else if (w == "3" || w == "three" || w == "third" || w == "3rd" || w == "tercero" ||
               w == "tercera" || w == "troisieme" || w == "tres") {
      pick = 2;
    } else if (w == "last" || w == "ultimo" || w == "ultima" || w == "dernier") {
      pick = n - 1;
    }
    if (pick >= 0 && pick < n) return pick;
  }
  return -1;
}

std::optional<size_t> Conversation::MatchVariant(const Query& query) const {
  const Unit* last = kb_->Find(state_.last_unit);
  if (last == nullptr || last->variants.empty()) return std::nullopt;
  const Index& index = kb_->index();
  const std::unordered_set<int> terms = Index::Terms(query);
  const std::unordered_set<std::string> stems(query.stems.begin(), query.stems.end());
  for (const auto& [key, target] : last->variants) {
    const Query k = index.Analyze(key);
    bool match = Intersects(Index::Terms(k), terms);
    for (const std::string& s : k.stems) match = match || stems.count(s) > 0;
    if (match) return kb_->IndexOf(target);
  }
  return std::nullopt;
}

std::vector<Hit> Conversation::SearchFollowUp(const Query& query) const {
  // The follow-up's own words choose the candidates ("and what must it contain?" is about the
  // units that mention containing something); the previous topic, at lower weight, chooses
  // among them. When the follow-up alone finds nothing it can stand on ("what about Canada?"),
  // the topic joins the search over every unit.
  const Index& index = kb_->index();
  const Query combined = Index::Combine(query, index.Analyze(state_.topic), kContextScale);
  const std::vector<Hit> alone = index.Search(query, 8);
  if (alone.empty() || alone[0].coverage < kAnswerThreshold) return index.Search(combined, 8);
  std::vector<Hit> ranked;
  for (const Hit& h : index.Search(combined, kb_->units().size())) {
    for (const Hit& a : alone) {
      if (a.unit == h.unit && a.score >= kCloseScore * alone[0].score) ranked.push_back(h);
    }
  }
  return ranked.empty() ? alone : ranked;
}

Answer Conversation::Respond(std::string_view question) {
  // 1. Input checks.
  Answer refused;
  refused.kind = AnswerKind::kRefused;
  refused.confidence = 1.0;
  if (question.size() > kMaxQuestionBytes) {
    refused.text = "Your message is " + std::to_string(question.size()) +
                   " bytes long; the limit is 2,000 bytes. Please ask a shorter question.";
    return refused;
  }
  if (!codec::IsValidUtf8(question) || HasControlBytes(question)) {
    refused.text = kBinary;
    return refused;
  }
  const std::string folded = FoldText(question);
  if (folded.find_first_not_of(" ?!.,;:-") == std::string::npos) {
    Answer a;
    a.kind = AnswerKind::kClarify;
    a.text = kEmpty;
    return a;
  }
  if (IsHostile(question, folded)) {
    state_.calculation.reset();
    return Decline(kHostile, 1.0);
  }
  {
    std::string bare = folded;
    while (!bare.empty() && (bare.back() == '!' || bare.back() == '.' || bare.back() == '?')) {
      bare.pop_back();
    }
    for (std::string_view g : {"hi", "hello", "hey", "good morning", "good afternoon", "hola",
                               "bonjour", "buenos dias", "salut"}) {
      if (bare == g) {
        Answer a;
        a.kind = AnswerKind::kClarify;
        a.text = kGreeting;
        return a;
      }
    }
    for (std::string_view t : {"thanks", "thank you", "gracias", "merci", "thx", "ok thanks"}) {
      if (bare == t) {
        Answer a;
        a.kind = AnswerKind::kClarify;
        a.text = kThanks;
        return a;
      }
    }
  }

  const Index& index = kb_->index();
  const Query query = index.Analyze(question);
  const std::string q(question);

  // 2. A reply to a clarifying question.
  if (!state_.pending_options.empty()) {
    const int pick = PickOption(question);
    if (pick >= 0) {
      if (std::optional<size_t> unit =
              kb_->IndexOf(state_.pending_options[static_cast<size_t>(pick)])) {
        return FromUnit(*unit, 1.0, state_.topic);
      }
    }
    const Query combined = Index::Combine(query, index.Analyze(state_.topic), kContextScale);
    const std::vector<Hit> hits = index.Search(combined, 1);
    if (!hits.empty() && hits[0].coverage >= kAnswerThreshold &&
        std::find(state_.pending_options.begin(), state_.pending_options.end(),
                  kb_->units()[hits[0].unit].id) != state_.pending_options.end()) {
      return FromUnit(hits[0].unit, hits[0].coverage, state_.topic + " " + q);
    }
    state_.pending_options.clear();
  }

  // 3. Calculators.
  const CalcRequest request = ParseCalcRequest(question);
  const bool follows_calculation = state_.calculation.has_value();
  const bool opens_follow_up = OpensFollowUp(folded);
  if (WantsCalculation(request)) {
    if (follows_calculation && (state_.calculation_pending || opens_follow_up)) {
      return FromCalculation(MergeCalcRequests(*state_.calculation, request));
    }
    return FromCalculation(request);
  }
  if (follows_calculation) {
    // Numbers or context words ("for cars", "FY2025", "by truck") continue the calculation.
    const bool numbers = request.amount_count > 0 || request.too_large;
    const bool brief = opens_follow_up || query.content_words <= 3;
    const bool context = HasCalculationContext(request) || request.calculator != Calculator::kNone;
    if ((numbers && (state_.calculation_pending || brief)) || (brief && context)) {
      return FromCalculation(MergeCalcRequests(*state_.calculation, request));
    }
  }

  // 4. Subjects outside the assistant's scope: the knowledge base's authors list them, and a
  // listed term always declines.
  if (!query.out_of_scope.empty()) {
    return Decline(kScopeLead + kb_->out_of_scope()[query.out_of_scope[0]].pointer, 1.0);
  }

  // 5. Follow-ups on the last answer.
  const bool has_context = !state_.last_unit.empty() && !state_.topic.empty();
  const bool follow_up =
      has_context && (opens_follow_up || query.content_words <= kShortQuestionWords);
  if (follow_up) {
    if (std::optional<size_t> variant = MatchVariant(query)) {
      return FromUnit(*variant, 1.0, state_.topic + " " + q);
    }
  }
  const std::vector<Hit> hits = follow_up ? SearchFollowUp(query) : index.Search(query, 8);
  const double confidence = hits.empty() ? 0.0 : hits[0].coverage;

  // 6. Retrieval.
  if (hits.empty() || confidence < kAnswerThreshold) {
    if (query.domain) return Unknown(confidence);
    return Decline(kScopeLead + kb_->help(), 1.0 - confidence);
  }
  if (!follow_up && query.content_words <= kShortQuestionWords) {
    std::vector<size_t> options;
    std::unordered_set<std::string> intents;
    for (const Hit& h : hits) {
      if (h.score < kCloseScore * hits[0].score || options.size() == 3) break;
      // An option must cover about as much of the question as the best unit does: "the MPF on a
      // shipment" is not ambiguous because a unit also mentions shipments.
      if (h.coverage < kAnswerThreshold || h.coverage < kCloseScore * hits[0].coverage) continue;
      if (intents.insert(kb_->units()[h.unit].intent).second) options.push_back(h.unit);
    }
    if (options.size() >= 2) return ClarifyOptions(options, confidence, q);
  }
  return FromUnit(hits[0].unit, confidence, follow_up ? state_.topic + " " + q : q);
}

}  // namespace traceport::assist
