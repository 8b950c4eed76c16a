// traceport assist: the USMCA assistant (src/assist) from the command line — one question, an
// interactive chat, the evaluation set, and the conversation log a node keeps. docs/assistant.md.
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "apps/traceport/cli.h"
#include "assist/assistant.h"
#include "assist/conversation_log.h"
#include "assist/evaluate.h"
#include "assist/knowledge_base.h"
#include "common/time.h"

namespace traceport::cli {
namespace {

using nlohmann::json;

struct AssistFlags {
  std::vector<std::string> question;  // the words of the question
  bool chat = false;
  std::string kb_dir;     // a knowledge base directory instead of the built-in one
  std::string date;       // YYYY-MM-DD: answer as of this day (fiscal year, phase-ins)
  std::string eval_file;  // run an evaluation set
  std::string log_file;   // a node's conversation log
  int purge_days = -1;    // with --log: drop records older than this many days
};

// A clock pinned to noon UTC of one day, for --date.
class DayClock : public Clock {
 public:
  explicit DayClock(Time t) : t_(t) {}
  Time Now() const override { return t_; }

 private:
  Time t_;
};

Result<assist::KnowledgeBase> LoadKnowledge(const AssistFlags& f) {
  if (!f.kb_dir.empty()) return assist::KnowledgeBase::FromDirectory(f.kb_dir);
  const Result<assist::KnowledgeBase>& builtin = assist::KnowledgeBase::Builtin();
  if (!builtin.ok()) return builtin.status();
  return *builtin;
}

Result<std::unique_ptr<Clock>> MakeClock(const AssistFlags& f) {
  if (f.date.empty()) return std::unique_ptr<Clock>();
  auto t = ParseRfc3339(f.date + "T12:00:00Z");
  if (!t.ok() || f.date.size() != 10) {
    return InvalidArgumentError("--date: expected YYYY-MM-DD, got \"" + f.date + "\"");
  }
  return std::unique_ptr<Clock>(std::make_unique<DayClock>(*t));
}

// An answer for a person: the text, then its sources and dates.
void PrintAnswer(const assist::Answer& a) {
  std::printf("%s\n", a.text.c_str());
  for (size_t i = 0; i < a.citations.size(); ++i) {
    const assist::Citation& c = a.citations[i];
    std::printf("  [%zu] %s%s%s\n", i + 1, c.label.c_str(), c.url.empty() ? "" : " — ",
                c.url.c_str());
  }
  if (!a.reviewed.empty()) std::printf("  (last reviewed %s)\n", a.reviewed.c_str());
}

Status RunChat(const Context& ctx, assist::Conversation& conversation) {
  const bool tty = isatty(STDIN_FILENO) != 0;
  if (tty && !ctx.json) {
    std::printf(
        "USMCA assistant. Ask about the agreement, certification, rules of origin, fees; "
        "give numbers for a calculation. An empty line or Ctrl-D ends.\n");
  }
  std::string line;
  while (true) {
    if (tty && !ctx.json) {
      std::printf("> ");
      std::fflush(stdout);
    }
    if (!std::getline(std::cin, line)) break;
    if (line.empty() && tty) break;
    if (line.empty()) continue;
    assist::Answer a = conversation.Ask(line);
    if (ctx.json) {
      std::printf("%s\n", a.ToJson().dump().c_str());  // one JSON object per line
    } else {
      PrintAnswer(a);
      std::printf("\n");
    }
    std::fflush(stdout);
  }
  return Status::Ok();
}

Status RunEval(Context& ctx, const AssistFlags& f, const assist::KnowledgeBase& kb,
               const Clock& clock) {
  ASSIGN_OR_RETURN(std::string text, ReadInput(f.eval_file));
  ASSIGN_OR_RETURN(assist::EvalReport report, assist::EvaluateSet(kb, text, clock));
  // The goals: accuracy >= 90%, citations on every answer, every out-of-scope question
  // declined, p99 <= 10 ms per turn.
  const bool met = report.accuracy >= 0.90 && report.citation_rate >= 1.0 &&
                   report.decline_rate >= 1.0 && report.p99_ms <= 10.0;
  if (ctx.json) {
    json out = report.ToJson();
    out["goalsMet"] = met;
    PrintJson(out);
    ctx.json_printed = true;
  } else {
    for (const assist::EvalFailure& failure : report.failures) {
      std::printf("FAIL %s (%s): %s\n", failure.id.c_str(), failure.kind.c_str(),
                  failure.reason.c_str());
    }
    for (const auto& [kind, counts] : report.by_kind) {
      std::printf("  %-14s %zu/%zu\n", kind.c_str(), counts.first, counts.second);
    }
    std::printf("eval-assist: %zu questions, %zu turns\n", report.items, report.turns);
    std::printf("eval-assist: %s\n", report.Summary().c_str());
    std::printf(
        "eval-assist: goals (accuracy >= 0.90, citations 1.00, declines 1.00, p99 <= 10 ms): "
        "%s\n",
        met ? "met" : "NOT met");
  }
  if (!met) return FailedPreconditionError("the evaluation set does not meet the goals");
  return Status::Ok();
}

Status RunLog(Context& ctx, const AssistFlags& f) {
  assist::ConversationLog log(f.log_file, SystemClock());
  json out;
  if (f.purge_days >= 0) {
    ASSIGN_OR_RETURN(int64_t removed, log.Purge(f.purge_days));
    out["purged"] = removed;
    if (!ctx.json) std::printf("purged %lld record(s)\n", static_cast<long long>(removed));
  }
  ASSIGN_OR_RETURN(assist::LogStats stats, log.Stats());
  if (ctx.json) {
    out["stats"] = stats.ToJson();
    PrintJson(out);
    ctx.json_printed = true;
    return Status::Ok();
  }
  std::printf("%lld record(s)%s\n", static_cast<long long>(stats.records),
              stats.malformed > 0 ? " (and malformed lines)" : "");
  for (const assist::LogStats::Day& day : stats.days) {
    std::string counts;
    for (const auto& [kind, n] : day.kinds) {
      counts += (counts.empty() ? "" : ", ") + kind + " " + std::to_string(n);
    }
    std::printf("  %s  %s\n", day.date.c_str(), counts.c_str());
  }
  if (!stats.unanswered.empty()) {
    std::printf("questions it could not answer (%lld, latest %zu):\n",
                static_cast<long long>(stats.unanswered_total), stats.unanswered.size());
  }
  for (const assist::LogStats::Unanswered& u : stats.unanswered) {
    // ASCII-only JSON: a logged question cannot carry terminal escapes or direction overrides.
    std::printf("  %s  %-8s %s\n", u.ts.c_str(), u.kind.c_str(),
                json(u.question).dump(-1, ' ', true).c_str());
  }
  return Status::Ok();
}

Status RunAssist(Context& ctx, const AssistFlags& f) {
  const int modes = (f.chat ? 1 : 0) + (!f.eval_file.empty() ? 1 : 0) +
                    (!f.log_file.empty() ? 1 : 0) + (!f.question.empty() ? 1 : 0);
  if (modes != 1) {
    return InvalidArgumentError(
        "give exactly one of: a QUESTION, --chat, --eval FILE, or --log FILE");
  }
  if (f.purge_days >= 0 && f.log_file.empty()) {
    return InvalidArgumentError("--purge-days needs --log FILE");
  }
  if (!f.log_file.empty()) return RunLog(ctx, f);
  ASSIGN_OR_RETURN(assist::KnowledgeBase kb, LoadKnowledge(f));
  ASSIGN_OR_RETURN(std::unique_ptr<Clock> pinned, MakeClock(f));
  const Clock& clock = pinned ? *pinned : SystemClock();
  if (!f.eval_file.empty()) return RunEval(ctx, f, kb, clock);
  assist::Conversation conversation(kb, clock);
  if (f.chat) return RunChat(ctx, conversation);
  std::string question;
  for (const std::string& word : f.question) question += (question.empty() ? "" : " ") + word;
  assist::Answer a = conversation.Ask(question);
  if (ctx.json) {
    PrintJson(a.ToJson());
    ctx.json_printed = true;
  } else {
    PrintAnswer(a);
  }
  return Status::Ok();
}

}  // namespace

void RegisterAssistCommands(CLI::App& app, Context& ctx) {
  auto f = std::make_shared<AssistFlags>();
  CLI::App* assist = app.add_subcommand(
      "assist",
      "Ask the USMCA assistant (answers from the project's knowledge base, with citations, or "
      "from a calculator)");
  assist->add_option("question", f->question, "The question (several words are joined)");
  assist->add_flag("--chat", f->chat,
                   "Interactive: one question per line, context kept across turns (with --json, "
                   "one answer object per line)");
  assist->add_option("--kb", f->kb_dir,
                     "Knowledge base directory (*.json) instead of the built-in one");
  assist->add_option("--date", f->date,
                     "Answer as of this day, YYYY-MM-DD (fiscal year of fees, phase-ins)");
  assist->add_option("--eval", f->eval_file,
                     "Run an evaluation set (src/assist/eval/questions.json) and print accuracy, "
                     "citation rate, decline rate and latency; exit 1 below the goals");
  assist->add_option("--log", f->log_file,
                     "Summarize a node's conversation log (daily counts, unanswered questions)");
  assist->add_option("--purge-days", f->purge_days,
                     "With --log: first drop records older than this many days (on a log no "
                     "running node is writing; a node purges its own daily)");
  Bind(assist, "assist", ctx, [&ctx, f] { return RunAssist(ctx, *f); });
}

}  // namespace traceport::cli
