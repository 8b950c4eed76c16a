#include "vc/report.h"

namespace traceport::vc {

std::string_view CheckStatusName(CheckStatus s) {
  switch (s) {
    case CheckStatus::kPass:
      return "pass";
    case CheckStatus::kFail:
      return "fail";
    case CheckStatus::kSkipped:
      return "skipped";
  }
  return "skipped";
}

void VerificationReport::Set(std::string_view name, CheckStatus status, std::string reason,
                             std::string pointer, bool required) {
  for (Check& c : checks_) {
    if (c.name == name) {
      c.status = status;
      c.reason = std::move(reason);
      c.pointer = std::move(pointer);
      c.required = required;
      return;
    }
  }
  checks_.push_back(
      Check{std::string(name), status, std::move(reason), required, std::move(pointer)});
}

const Check* VerificationReport::Find(std::string_view name) const {
  for (const Check& c : checks_) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

bool VerificationReport::verified() const {
  if (checks_.empty()) return false;
  for (const Check& c : checks_) {
    if (c.required && c.status != CheckStatus::kPass) return false;
  }
  return true;
}

nlohmann::json VerificationReport::ToJson() const {
  nlohmann::json checks = nlohmann::json::array();
  for (const Check& c : checks_) {
    nlohmann::json j = {
        {"name", c.name}, {"status", CheckStatusName(c.status)}, {"reason", c.reason}};
    if (!c.pointer.empty()) j["pointer"] = c.pointer;
    if (!c.required) j["required"] = false;
    checks.push_back(std::move(j));
  }
  nlohmann::json problems = nlohmann::json::array();
  for (const Problem& p : problems_) {
    problems.push_back({{"pointer", p.pointer}, {"message", p.message}});
  }
  return {{"verified", verified()}, {"checks", checks}, {"problems", problems}};
}

std::string PointerToken(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace traceport::vc
