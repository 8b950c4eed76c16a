#include "assist/evaluate.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "assist/assistant.h"
#include "codec/json.h"

namespace traceport::assist {
namespace {

using json = nlohmann::json;

struct Expect {
  std::string unit;
  std::string calculator;
  std::string intent;
  bool decline = false;
  bool clarify = false;
  std::vector<std::string> facts;
};

struct Item {
  std::string id;
  std::string kind;
  std::vector<std::string> turns;
  Expect expect;
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

Status Bad(const std::string& where, const std::string& what) {
  return InvalidArgumentError("assist: eval: " + where + ": " + what);
}

Result<std::vector<Item>> ParseItems(std::string_view text) {
  Result<json> root = codec::ParseJson(text);
  if (!root.ok()) return Bad("questions", std::string(root.status().message()));
  if (!root->is_object() || !root->contains("items") || !(*root)["items"].is_array() ||
      (*root)["items"].empty()) {
    return Bad("questions", "expected {\"items\": [...]} with at least one item");
  }
  std::vector<Item> items;
  std::set<std::string> ids;
  const json& list = (*root)["items"];
  for (size_t i = 0; i < list.size(); ++i) {
    const json& v = list[i];
    std::string where = "items[" + std::to_string(i) + "]";
    if (!v.is_object()) return Bad(where, "expected an object");
    Item item;
    if (!v.contains("id") || !v["id"].is_string() || v["id"].get<std::string>().empty()) {
      return Bad(where, "missing id");
    }
    item.id = v["id"].get<std::string>();
    where += " (" + item.id + ")";
    if (!ids.insert(item.id).second) return Bad(where, "duplicate id");
    if (v.contains("kind")) {
      if (!v["kind"].is_string()) return Bad(where, "kind must be a string");
      item.kind = v["kind"].get<std::string>();
    }
    if (!v.contains("turns") || !v["turns"].is_array() || v["turns"].empty()) {
      return Bad(where, "turns must be a non-empty array of strings");
    }
    for (const json& t : v["turns"]) {
      if (!t.is_string()) return Bad(where, "turns must be strings");
      item.turns.push_back(t.get<std::string>());
    }
    if (!v.contains("expect") || !v["expect"].is_object()) {
      return Bad(where, "expect must be an object");
    }
    for (const auto& [key, value] : v["expect"].items()) {
      if (key == "unit" || key == "calculator" || key == "intent") {
        if (!value.is_string()) return Bad(where, "expect." + key + " must be a string");
        (key == "unit"         ? item.expect.unit
         : key == "calculator" ? item.expect.calculator
                               : item.expect.intent) = value.get<std::string>();
      } else if (key == "decline" || key == "clarify") {
        if (!value.is_boolean()) return Bad(where, "expect." + key + " must be a boolean");
        (key == "decline" ? item.expect.decline : item.expect.clarify) = value.get<bool>();
      } else if (key == "facts") {
        if (!value.is_array()) return Bad(where, "expect.facts must be an array of strings");
        for (const json& f : value) {
          if (!f.is_string()) return Bad(where, "expect.facts must be strings");
          item.expect.facts.push_back(f.get<std::string>());
        }
      } else {
        return Bad(where, "unknown expectation \"" + key + "\"");
      }
    }
    items.push_back(std::move(item));
  }
  return items;
}

std::string Describe(const Answer& a) {
  char confidence[32];
  std::snprintf(confidence, sizeof confidence, "%.2f", a.confidence);
  std::string s(AnswerKindName(a.kind));
  if (!a.unit.empty()) {
    s += " from " + a.unit;
  } else if (!a.intent.empty()) {
    s += " (" + a.intent + ")";
  }
  return s + " (confidence " + confidence + ")";
}

// The reasons `a` does not meet `e` (empty when it does).
std::vector<std::string> Check(const Expect& e, const Answer& a) {
  std::vector<std::string> why;
  if (!e.unit.empty() && a.unit != e.unit) {
    why.push_back("expected unit " + e.unit + ", got " + Describe(a));
  }
  if (!e.calculator.empty() &&
      (a.kind != AnswerKind::kCalculation || a.intent != "calc-" + e.calculator)) {
    why.push_back("expected calculator " + e.calculator + ", got " + Describe(a));
  }
  if (!e.intent.empty() && a.intent != e.intent) {
    why.push_back("expected intent " + e.intent + ", got " + Describe(a));
  }
  if (e.decline && a.kind != AnswerKind::kDecline && a.kind != AnswerKind::kRefused) {
    why.push_back("expected a decline, got " + Describe(a));
  }
  if (e.clarify && a.kind != AnswerKind::kClarify) {
    why.push_back("expected a clarifying question, got " + Describe(a));
  }
  const std::string text = Lower(a.text);
  for (const std::string& f : e.facts) {
    if (text.find(Lower(f)) == std::string::npos) {
      why.push_back("missing fact \"" + f + "\" in " + Describe(a));
    }
  }
  return why;
}

// Nearest-rank percentile of sorted values.
double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const size_t rank = static_cast<size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size(), std::max<size_t>(rank, 1)) - 1];
}

double Ratio(size_t a, size_t b) { return b == 0 ? 1.0 : static_cast<double>(a) / b; }

}  // namespace

json EvalReport::ToJson() const {
  json kinds = json::object();
  for (const auto& [kind, counts] : by_kind) {
    kinds[kind] = {{"passed", counts.first}, {"items", counts.second}};
  }
  json failure_list = json::array();
  for (const EvalFailure& f : failures) {
    failure_list.push_back({{"id", f.id}, {"kind", f.kind}, {"reason", f.reason}});
  }
  return {{"items", items},
          {"passed", passed},
          {"accuracy", accuracy},
          {"citationRate", citation_rate},
          {"declineRate", decline_rate},
          {"turns", turns},
          {"latencyMs", {{"p50", p50_ms}, {"p99", p99_ms}, {"max", max_ms}}},
          {"byKind", std::move(kinds)},
          {"failures", std::move(failure_list)}};
}

std::string EvalReport::Summary() const {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "accuracy %.3f (%zu/%zu), citations %.3f (%zu/%zu), declines %.3f (%zu/%zu), "
                "p50 %.3f ms, p99 %.3f ms, max %.3f ms over %zu turns",
                accuracy, passed, items, citation_rate, cited, answers, decline_rate, declined,
                decline_expected, p50_ms, p99_ms, max_ms, turns);
  return buf;
}

Result<EvalReport> EvaluateSet(const KnowledgeBase& kb, std::string_view questions_json,
                               const Clock& clock) {
  ASSIGN_OR_RETURN(std::vector<Item> items, ParseItems(questions_json));
  EvalReport report;
  std::vector<double> latencies;
  for (const Item& item : items) {
    Conversation conversation(kb, clock);
    Answer last;
    for (const std::string& turn : item.turns) {
      const auto start = std::chrono::steady_clock::now();
      last = conversation.Ask(turn);
      const auto elapsed = std::chrono::steady_clock::now() - start;
      latencies.push_back(std::chrono::duration<double, std::milli>(elapsed).count());
    }
    const std::vector<std::string> why = Check(item.expect, last);
    ++report.items;
    auto& kind = report.by_kind[item.kind];
    ++kind.second;
    if (why.empty()) {
      ++report.passed;
      ++kind.first;
    } else {
      std::string reason;
      for (const std::string& w : why) reason += (reason.empty() ? "" : "; ") + w;
      report.failures.push_back({item.id, item.kind, std::move(reason)});
    }
    if (last.kind == AnswerKind::kAnswer || last.kind == AnswerKind::kCalculation) {
      ++report.answers;
      if (!last.citations.empty()) ++report.cited;
    }
    if (item.expect.decline) {
      ++report.decline_expected;
      if (last.kind == AnswerKind::kDecline || last.kind == AnswerKind::kRefused) {
        ++report.declined;
      }
    }
  }
  std::sort(latencies.begin(), latencies.end());
  report.turns = latencies.size();
  report.p50_ms = Percentile(latencies, 0.50);
  report.p99_ms = Percentile(latencies, 0.99);
  report.max_ms = latencies.empty() ? 0 : latencies.back();
  report.accuracy = Ratio(report.passed, report.items);
  report.citation_rate = Ratio(report.cited, report.answers);
  report.decline_rate = Ratio(report.declined, report.decline_expected);
  return report;
}

}  // namespace traceport::assist
