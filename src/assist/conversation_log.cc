#include "assist/conversation_log.h"

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "codec/json.h"

namespace traceport::assist {
namespace {

using json = nlohmann::json;

// `s` cut to at most `max` bytes without splitting a UTF-8 sequence.
std::string Truncate(std::string_view s, size_t max) {
  if (s.size() <= max) return std::string(s);
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return std::string(s.substr(0, cut));
}

bool Unanswered(AnswerKind kind) {
  return kind == AnswerKind::kUnknown || kind == AnswerKind::kDecline;
}

Status WriteAll(std::FILE* f, std::string_view text, const std::string& path) {
  if (std::fwrite(text.data(), 1, text.size(), f) != text.size()) {
    return UnavailableError("assist: log: cannot write " + path + ": " + std::strerror(errno));
  }
  return Status();
}

// A parsed record, or nullopt for a line that is not one.
struct Parsed {
  Time ts;
  std::string ts_text;
  std::string kind;
  std::string question;
};

std::optional<Parsed> ParseRecord(const std::string& line) {
  Result<json> v = codec::ParseJson(line);
  if (!v.ok() || !v->is_object()) return std::nullopt;
  const json& ts = (*v)["ts"];
  const json& kind = (*v)["kind"];
  if (!ts.is_string() || !kind.is_string()) return std::nullopt;
  Result<Time> t = ParseRfc3339(ts.get<std::string>());
  if (!t.ok()) return std::nullopt;
  Parsed p{*t, ts.get<std::string>(), kind.get<std::string>(), ""};
  const json& q = (*v)["question"];
  if (q.is_string()) p.question = q.get<std::string>();
  return p;
}

}  // namespace

json LogStats::ToJson() const {
  json day_list = json::array();
  for (const Day& d : days) day_list.push_back({{"date", d.date}, {"kinds", d.kinds}});
  json questions = json::array();
  for (const Unanswered& u : unanswered) {
    questions.push_back({{"ts", u.ts}, {"kind", u.kind}, {"question", u.question}});
  }
  return {{"records", records},
          {"malformed", malformed},
          {"days", std::move(day_list)},
          {"unanswered", std::move(questions)},
          {"unansweredTotal", unanswered_total}};
}

ConversationLog::ConversationLog(std::string path, const Clock& clock, size_t max_bytes)
    : path_(std::move(path)), max_bytes_(max_bytes), clock_(clock) {}

Status ConversationLog::Record(std::string_view session_id, std::string_view question,
                               const Answer& answer) {
  Result<std::string> ts = FormatRfc3339(clock_.Now());
  if (!ts.ok()) return ts.status();
  json record = {{"ts", *ts},
                 {"session", std::string(session_id)},
                 {"kind", AnswerKindName(answer.kind)},
                 {"intent", answer.intent.empty() ? json() : json(answer.intent)},
                 {"unit", answer.unit.empty() ? json() : json(answer.unit)},
                 {"confidence", std::round(answer.confidence * 1000) / 1000}};
  if (Unanswered(answer.kind)) {
    // The assistant refuses invalid UTF-8 before it can be declined; replace anyway so that a
    // caller's odd bytes can never make the log unreadable.
    record["question"] = Truncate(question, kMaxLoggedQuestionBytes);
  }
  const std::string line = record.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
  std::lock_guard<std::mutex> lock(mu_);
  std::FILE* f = std::fopen(path_.c_str(), "ab");
  if (f == nullptr) {
    return UnavailableError("assist: log: cannot open " + path_ + ": " + std::strerror(errno));
  }
  // In append mode the position starts at the end: the file's size.
  const long size = std::fseek(f, 0, SEEK_END) == 0 ? std::ftell(f) : -1;
  if (size < 0 || static_cast<size_t>(size) + line.size() > max_bytes_) {
    std::fclose(f);
    return ResourceExhaustedError("assist: log: " + path_ + " has reached its limit of " +
                                  std::to_string(max_bytes_) + " bytes; the record is dropped");
  }
  Status s = WriteAll(f, line, path_);
  if (std::fclose(f) != 0 && s.ok()) {
    s = UnavailableError("assist: log: cannot close " + path_ + ": " + std::strerror(errno));
  }
  return s;
}

Result<std::vector<std::string>> ConversationLog::ReadLines() const {
  std::vector<std::string> lines;
  std::ifstream in(path_, std::ios::binary);
  if (!in) {
    std::error_code ec;
    if (!std::filesystem::exists(path_, ec)) return lines;  // no log yet
    return UnavailableError("assist: log: cannot read " + path_);
  }
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) lines.push_back(std::move(line));
  }
  if (in.bad()) return UnavailableError("assist: log: cannot read " + path_);
  return lines;
}

Result<int64_t> ConversationLog::Purge(int retention_days) {
  if (retention_days < 0) return InvalidArgumentError("assist: log: negative retention");
  const Time cutoff = clock_.Now() - std::chrono::hours(24) * retention_days;
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(std::vector<std::string> lines, ReadLines());
  std::string kept;
  int64_t removed = 0;
  for (const std::string& line : lines) {
    const std::optional<Parsed> p = ParseRecord(line);
    if (!p || p->ts < cutoff) {
      ++removed;
      continue;
    }
    kept += line;
    kept += '\n';
  }
  if (removed == 0) return removed;
  const std::string tmp = path_ + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) {
    return UnavailableError("assist: log: cannot create " + tmp + ": " + std::strerror(errno));
  }
  Status s = WriteAll(f, kept, tmp);
  if (std::fflush(f) != 0 && s.ok()) s = UnavailableError("assist: log: cannot flush " + tmp);
  if (std::fclose(f) != 0 && s.ok()) s = UnavailableError("assist: log: cannot close " + tmp);
  if (s.ok() && std::rename(tmp.c_str(), path_.c_str()) != 0) {
    s = UnavailableError("assist: log: cannot replace " + path_ + ": " + std::strerror(errno));
  }
  if (!s.ok()) {
    std::remove(tmp.c_str());
    return s;
  }
  return removed;
}

Result<LogStats> ConversationLog::Stats() const {
  std::vector<std::string> lines;
  {
    std::lock_guard<std::mutex> lock(mu_);
    ASSIGN_OR_RETURN(lines, ReadLines());
  }
  LogStats stats;
  std::map<std::string, std::map<std::string, int64_t>> by_day;
  for (const std::string& line : lines) {
    std::optional<Parsed> p = ParseRecord(line);
    if (!p) {
      ++stats.malformed;
      continue;
    }
    ++stats.records;
    Result<std::string> utc = FormatRfc3339(p->ts);  // the UTC day, whatever the offset
    ++by_day[utc.ok() ? utc->substr(0, 10) : p->ts_text.substr(0, 10)][p->kind];
    if (p->kind == "unknown" || p->kind == "decline") {
      ++stats.unanswered_total;
      stats.unanswered.push_back({p->ts_text, p->kind, std::move(p->question)});
    }
  }
  for (auto& [date, kinds] : by_day) stats.days.push_back({date, std::move(kinds)});
  if (stats.unanswered.size() > kMaxListedUnanswered) {
    stats.unanswered.erase(stats.unanswered.begin(), stats.unanswered.end() - kMaxListedUnanswered);
  }
  return stats;
}

}  // namespace traceport::assist
