// libFuzzer target: the assistant's knowledge base loader, conversations and question-set
// parser over arbitrary bytes.
//
// Every input is used three ways:
//   - as a knowledge base file, named as a topic file ("fuzz.json"), "synonyms.json" and
//     "scope.json": loading returns a knowledge base or an error whose message starts with
//     "assist: kb: "; a loaded one answers a question without tripping an invariant;
//   - as a conversation: the input split at newlines (at most 8 turns) is asked in order, and then
//     the whole input as one turn, over the built-in knowledge base (or the test one compiled into
//     this target when the build has none);
//   - as a question set for EvaluateSet, when it is short.
//
// Invariants checked for every answer (a violation traps): confidence within 0..1; non-empty
// text; an "answer" names its unit, carries that unit's citations and ends with its answer
// text; a calculation carries a citation; markup from the question ("<script") never appears
// in the answer; ToJson() serialises (no invalid UTF-8 reaches the output).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "assist/assistant.h"
#include "assist/evaluate.h"
#include "assist/internal/embedded.h"
#include "assist/knowledge_base.h"

namespace traceport::assist::internal {
extern const EmbeddedFile kTestKbFiles[];  // test_kb.cc, generated from testdata/kb
}  // namespace traceport::assist::internal

namespace {

using traceport::Clock;
using traceport::Time;
using namespace traceport::assist;

class FixedClock final : public Clock {
 public:
  // 2026-11-27T00:00:00Z: FY2027 for fees, after every automotive phase-in step.
  Time Now() const override { return Time(std::chrono::seconds(1795737600)); }
};

const KnowledgeBase& Kb() {
  static const KnowledgeBase* const kKb = [] {
    const traceport::Result<KnowledgeBase>& builtin = KnowledgeBase::Builtin();
    if (builtin.ok()) return new KnowledgeBase(*builtin);
    std::vector<KnowledgeBase::SourceFile> files;
    for (const internal::EmbeddedFile* f = internal::kTestKbFiles; f->name != nullptr; ++f) {
      files.push_back({f->name, f->text});
    }
    traceport::Result<KnowledgeBase> test = KnowledgeBase::FromTexts(files);
    if (!test.ok()) __builtin_trap();
    return new KnowledgeBase(*test);
  }();
  return *kKb;
}

bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

void CheckAnswer(const KnowledgeBase& kb, std::string_view question, const Answer& a) {
  if (!(a.confidence >= 0.0 && a.confidence <= 1.0)) __builtin_trap();
  if (a.text.empty()) __builtin_trap();
  if (a.kind == AnswerKind::kAnswer) {
    const Unit* u = kb.Find(a.unit);
    if (u == nullptr || a.citations.empty() || a.citations.size() != u->citations.size()) {
      __builtin_trap();
    }
    if (a.text.size() < u->answer.size() ||
        a.text.compare(a.text.size() - u->answer.size(), u->answer.size(), u->answer) != 0) {
      __builtin_trap();
    }
  }
  if (a.kind == AnswerKind::kCalculation && a.citations.empty()) __builtin_trap();
  if (Contains(question, "<script") && Contains(a.text, "<script")) __builtin_trap();
  (void)a.ToJson().dump();  // throws (and so aborts the fuzzer) on invalid UTF-8
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static const FixedClock clock;

  for (const char* name : {"fuzz.json", "synonyms.json", "scope.json"}) {
    traceport::Result<KnowledgeBase> kb = KnowledgeBase::FromTexts({{name, std::string(text)}});
    if (!kb.ok()) {
      if (kb.status().message().substr(0, 12) != "assist: kb: ") __builtin_trap();
      continue;
    }
    for (const Unit& u : kb->units()) {
      if (u.citations.empty() || u.questions.size() < 3) __builtin_trap();
    }
    Conversation c(*kb, clock);
    const std::string_view q = "what is the threshold?";
    CheckAnswer(*kb, q, c.Ask(q));
  }

  const KnowledgeBase& kb = Kb();
  Conversation conversation(kb, clock);
  size_t start = 0;
  for (int turn = 0; turn < 8 && start <= text.size(); ++turn) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view q = text.substr(start, end - start);
    CheckAnswer(kb, q, conversation.Ask(q));
    start = end + 1;
  }
  CheckAnswer(kb, text, Conversation(kb, clock).Ask(text));

  if (size < 4096) {
    traceport::Result<EvalReport> report = EvaluateSet(kb, text, clock);
    if (report.ok() && (report->accuracy < 0 || report->accuracy > 1)) __builtin_trap();
  }
  return 0;
}
