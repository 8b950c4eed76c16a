// Evaluation of the assistant against a question set (src/assist/eval/questions.json; format in
// docs/formats/assistant-kb.md): each item is a short conversation and an expectation about its
// last turn.
//
// An item passes when its last answer meets every expectation it states:
//   "unit": X         the answer came from unit X;
//   "calculator": C   a completed calculation by calculator C ("rvc-tv", "mpf", ...);
//   "intent": I       the answer's intent is I;
//   "decline": true   the assistant declined (or refused the input);
//   "clarify": true   the assistant asked a clarifying question;
//   "facts": [...]    each string appears in the answer text (case-insensitively).
//
// The report also gives the citation rate (last answers that are answers or calculations and
// carry at least one citation, over all such answers), the decline rate (items expecting a
// decline that got one), and the latency of every turn (p50, p99, max; wall time, measured with
// a steady clock).
//
// Thread safety: pure apart from reading the clocks.
#ifndef TRACEPORT_ASSIST_EVALUATE_H_
#define TRACEPORT_ASSIST_EVALUATE_H_

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "assist/knowledge_base.h"
#include "common/status.h"
#include "common/time.h"

namespace traceport::assist {

struct EvalFailure {
  std::string id;
  std::string kind;    // the item's kind ("fact", "typo", ...)
  std::string reason;  // e.g. "expected unit basics.x, got answer from basics.y (confidence 0.62)"
};

struct EvalReport {
  size_t items = 0;
  size_t passed = 0;
  double accuracy = 0;  // passed / items
  size_t answers = 0;   // last turns that were answers or calculations
  size_t cited = 0;     // ... with at least one citation
  double citation_rate = 0;
  size_t decline_expected = 0;
  size_t declined = 0;
  double decline_rate = 0;
  size_t turns = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
  std::map<std::string, std::pair<size_t, size_t>> by_kind;  // kind -> (passed, items)
  std::vector<EvalFailure> failures;

  // {"items", "passed", "accuracy", "citationRate", "declineRate", "turns", "latencyMs":
  //  {"p50", "p99", "max"}, "byKind": {kind: {"passed", "items"}}, "failures": [{"id", "kind",
  //  "reason"}]}.
  nlohmann::json ToJson() const;
  // "accuracy 0.95 (105/110), citations 1.00, declines 1.00, p50 0.08 ms, p99 0.31 ms".
  std::string Summary() const;
};

// Runs every item in a fresh Conversation over `kb`, with `clock` as the conversation's date.
// InvalidArgument, naming the item, for a malformed question set (no items, an item without an
// id or turns, duplicate ids, an unknown expectation).
Result<EvalReport> EvaluateSet(const KnowledgeBase& kb, std::string_view questions_json,
                               const Clock& clock);

}  // namespace traceport::assist

#endif  // TRACEPORT_ASSIST_EVALUATE_H_
