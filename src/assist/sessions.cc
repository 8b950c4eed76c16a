#include "assist/sessions.h"

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace traceport::assist {

struct Sessions::Entry {
  Entry(const KnowledgeBase& kb, const Clock& clock) : conversation(kb, clock) {}
  std::mutex mu;  // serialises the turns of this session
  Conversation conversation;
  Time last_used;
  Lru::iterator position;  // in lru_; guarded by Sessions::mu_
};

Sessions::Sessions(const KnowledgeBase& kb, const Clock& clock, RandomSource& random,
                   SessionOptions options, ConversationLog* log)
    : kb_(kb), clock_(clock), random_(random), options_(options), log_(log) {}

Sessions::~Sessions() = default;

std::string Sessions::NewId() {
  std::array<uint8_t, 16> bytes;
  random_.Fill(bytes);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (uint8_t b : bytes) {
    id.push_back(kHex[b >> 4]);
    id.push_back(kHex[b & 0xF]);
  }
  return id;
}

void Sessions::ExpireLocked(Time now) {
  while (!lru_.empty()) {
    auto it = sessions_.find(lru_.back());
    if (it != sessions_.end() && now - it->second->last_used < options_.ttl) return;
    if (it != sessions_.end()) sessions_.erase(it);
    lru_.pop_back();
  }
}

std::shared_ptr<Sessions::Entry> Sessions::FindOrCreateLocked(std::string_view id, Time now) {
  ExpireLocked(now);
  auto it = sessions_.find(std::string(id));
  if (it != sessions_.end()) {
    std::shared_ptr<Entry> entry = it->second;
    lru_.splice(lru_.begin(), lru_, entry->position);
    entry->last_used = now;
    return entry;
  }
  while (!lru_.empty() && sessions_.size() >= options_.max_sessions) {
    sessions_.erase(lru_.back());
    lru_.pop_back();
  }
  std::string fresh = NewId();
  while (sessions_.count(fresh) > 0) fresh = NewId();  // 2^-128, but cheap to rule out
  auto entry = std::make_shared<Entry>(kb_, clock_);
  entry->last_used = now;
  lru_.push_front(fresh);
  entry->position = lru_.begin();
  sessions_.emplace(std::move(fresh), entry);
  return entry;
}

Answer Sessions::Ask(std::string_view session_id, std::string_view question) {
  std::shared_ptr<Entry> entry;
  std::string id;
  {
    std::lock_guard<std::mutex> lock(mu_);
    entry = FindOrCreateLocked(session_id, clock_.Now());
    id = *entry->position;
  }
  Answer answer;
  {
    // An evicted entry stays alive through `entry` until this turn finishes.
    std::lock_guard<std::mutex> lock(entry->mu);
    answer = entry->conversation.Ask(question);
  }
  answer.session_id = id;
  if (log_ != nullptr) (void)log_->Record(id, question, answer);
  return answer;
}

std::string Sessions::Create() {
  std::lock_guard<std::mutex> lock(mu_);
  return *FindOrCreateLocked("", clock_.Now())->position;
}

bool Sessions::Erase(std::string_view session_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sessions_.find(std::string(session_id));
  if (it == sessions_.end()) return false;
  lru_.erase(it->second->position);
  sessions_.erase(it);
  return true;
}

bool Sessions::Contains(std::string_view session_id) {
  std::lock_guard<std::mutex> lock(mu_);
  ExpireLocked(clock_.Now());
  return sessions_.count(std::string(session_id)) > 0;
}

size_t Sessions::size() {
  std::lock_guard<std::mutex> lock(mu_);
  ExpireLocked(clock_.Now());
  return sessions_.size();
}

}  // namespace traceport::assist
