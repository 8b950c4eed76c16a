// The USMCA assistant: one conversation's turns, answered from the knowledge base
// (knowledge_base.h, retrieval.h) or by a calculator (calculators.h).
//
// The assistant never writes its own prose. An answer's text is one of:
//   - a unit's answer, prefixed "As of <Month D, YYYY>: " when the unit has an as_of date (and
//     its answer does not already open with "As of");
//   - a calculator's output (formula, numbers, result, threshold, verdict);
//   - a fixed template: a clarifying question (listing unit titles as options, or asking for the
//     numbers a calculation is missing), a decline with the pointer from scope.json, "I don't
//     know" with where to get help, or a refusal stating the input limit.
// User text is never echoed, so markup in a question cannot reach the page that shows the
// answer.
//
// How a turn is handled, in order:
//   1. Input checks: more than 2,000 bytes, invalid UTF-8 or control characters -> refused;
//      empty -> a request for a question; prompt-injection phrases ("ignore previous
//      instructions", "system prompt", ...) and markup ("<script", "javascript:") -> decline.
//   2. A reply to a clarifying question: "2", "the first one", or words that select an option.
//   3. Calculators: a calculator keyword with an amount or a verb such as "calculate"; or
//      numbers / context words ("for cars", "by truck", "FY2025") after a calculator turn, which
//      are merged into the previous request.
//   4. Out-of-scope words (scope.json) -> decline with that subject's pointer.
//   5. Follow-ups ("and for cars?", "what about Canada?", "y para México?"): the last unit's
//      variants first; otherwise the follow-up's own words choose candidate units and the
//      previous topic's words, at half weight, choose among them.
//   6. Retrieval: below the confidence threshold -> "I don't know" when the question uses
//      USMCA/customs vocabulary, otherwise a decline; a short question whose best units have
//      different intents and close scores -> a clarifying question offering 2-3 of them;
//      otherwise the best unit's answer.
//
// Thread safety: a Conversation is not thread-safe (Sessions serialises each one); the
// KnowledgeBase and Clock it refers to must outlive it.
#ifndef TRACEPORT_ASSIST_ASSISTANT_H_
#define TRACEPORT_ASSIST_ASSISTANT_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "assist/calculators.h"
#include "assist/knowledge_base.h"
#include "common/time.h"

namespace traceport::assist {

struct Hit;  // retrieval.h
struct Query;

// Longest question accepted, in bytes.
inline constexpr size_t kMaxQuestionBytes = 2000;
// Below this coverage of the question by the best unit, the assistant does not answer from it.
inline constexpr double kAnswerThreshold = 0.45;

enum class AnswerKind { kAnswer, kCalculation, kClarify, kDecline, kUnknown, kRefused };

// "answer", "calculation", "clarify", "decline", "unknown", "refused".
std::string_view AnswerKindName(AnswerKind kind);

struct Answer {
  std::string text;
  AnswerKind kind = AnswerKind::kUnknown;
  std::string intent;     // a unit's intent, "calc-<calculator>", or "" (declines, refusals)
  std::string unit;       // the unit answered from, or ""
  double confidence = 0;  // 0..1
  std::vector<Citation> citations;
  std::string reviewed;              // the unit's review date, or ""
  std::string as_of;                 // the unit's as_of date, or ""
  std::vector<std::string> related;  // unit ids suggested as next questions
  std::vector<std::string> options;  // for a clarifying question: the unit ids offered
  std::string session_id;            // set by Sessions

  // {"answer", "kind", "intent", "unit", "confidence", "citations": [{"label", "url"}],
  //  "reviewed", "asOf", "related", "options" (clarifying questions only), "sessionId" (when
  //  set)}. Empty intent, unit, reviewed and asOf are null.
  nlohmann::json ToJson() const;
};

// What a conversation remembers between turns.
struct ConversationState {
  int turns = 0;
  std::string last_unit;    // the unit of the last answer, for follow-ups
  std::string last_intent;  // a unit intent or "calc-..."
  std::string topic;        // the words the last answer was about (re-used by follow-ups)
  std::vector<std::string> pending_options;  // units offered by a clarifying question
  std::optional<CalcRequest> calculation;    // the last calculator request
  bool calculation_pending = false;          // it is waiting for numbers
};

class Conversation {
 public:
  // `kb` and `clock` must outlive the conversation. The clock's date decides the fiscal year of
  // fee calculations and the automotive phase-in.
  Conversation(const KnowledgeBase& kb, const Clock& clock);

  // Answers one turn. Total: any bytes give an answer, never an error.
  Answer Ask(std::string_view question);

  const ConversationState& state() const { return state_; }

 private:
  Answer Respond(std::string_view question);
  Answer FromUnit(size_t unit, double confidence, std::string topic);
  Answer FromCalculation(const CalcRequest& request);
  Answer ClarifyOptions(const std::vector<size_t>& units, double confidence, std::string topic);
  Answer Decline(std::string text, double confidence);
  Answer Unknown(double confidence);
  int PickOption(std::string_view question) const;
  std::vector<Hit> SearchFollowUp(const Query& query) const;
  std::optional<size_t> MatchVariant(const Query& query) const;

  // Pointers rather than references so that a conversation can be assigned (a reset).
  const KnowledgeBase* kb_;
  const Clock* clock_;
  ConversationState state_;
};

}  // namespace traceport::assist

#endif  // TRACEPORT_ASSIST_ASSISTANT_H_
