#include "registry/registry.h"

#include <algorithm>
#include <array>

namespace traceport::registry {
namespace {

constexpr std::array<std::string_view, 11> kRoles = {
    "registry-authority", "customs",
    "importer",           "broker",
    "manufacturer",       "mill",
    "producer",           "carrier",
    "laboratory",         "licensing-authority",
    "exporter",
};

std::string Join(std::span<const std::string> items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string FormatTime(Time t) {
  auto s = FormatRfc3339(t);
  return s.ok() ? *s : std::string("(unrepresentable time)");
}

}  // namespace

std::string_view ActionName(Action action) {
  switch (action) {
    case Action::kAdmit:
      return "admit";
    case Action::kUpdate:
      return "update";
    case Action::kSuspend:
      return "suspend";
    case Action::kReinstate:
      return "reinstate";
    case Action::kRemove:
      return "remove";
  }
  return "";
}

Result<Action> ParseAction(std::string_view name) {
  for (Action a :
       {Action::kAdmit, Action::kUpdate, Action::kSuspend, Action::kReinstate, Action::kRemove}) {
    if (ActionName(a) == name) return a;
  }
  return InvalidArgumentError("unknown registry action \"" + std::string(name) +
                              "\" (admit, update, suspend, reinstate, remove)");
}

std::span<const std::string_view> KnownRoles() { return kRoles; }

bool IsKnownRole(std::string_view role) {
  return std::find(kRoles.begin(), kRoles.end(), role) != kRoles.end();
}

std::string_view StateName(State state) {
  switch (state) {
    case State::kActive:
      return "active";
    case State::kSuspended:
      return "suspended";
    case State::kRemoved:
      return "removed";
  }
  return "";
}

Result<State> StateAt(std::span<const Event> events, Time at,
                      std::vector<std::string>* allowed_types) {
  bool admitted = false;
  State state = State::kActive;
  std::vector<std::string> types;
  for (const Event& e : events) {
    if (e.at > at) break;
    switch (e.action) {
      case Action::kAdmit:
        admitted = true;
        state = State::kActive;
        types = e.credential_types;
        break;
      case Action::kUpdate:
        types = e.credential_types;
        break;
      case Action::kSuspend:
        state = State::kSuspended;
        break;
      case Action::kReinstate:
        state = State::kActive;
        break;
      case Action::kRemove:
        state = State::kRemoved;
        break;
    }
  }
  if (!admitted) return NotFoundError("not admitted to the registry at " + FormatTime(at));
  if (allowed_types != nullptr) *allowed_types = std::move(types);
  return state;
}

Status CheckTransition(std::span<const Event> events, const Event& next) {
  if (events.empty()) {
    if (next.action != Action::kAdmit) {
      return FailedPreconditionError(
          "the organization has not been admitted: the first change "
          "must be an admission");
    }
    return Status::Ok();
  }
  if (next.at < events.back().at) {
    return FailedPreconditionError("registry changes must be recorded in time order");
  }
  Result<State> at_last = StateAt(events, events.back().at);
  if (!at_last.ok()) {
    return FailedPreconditionError("the stored history does not start with an admission");
  }
  const State state = *at_last;
  if (state == State::kRemoved) {
    return FailedPreconditionError(
        "the organization was removed from the registry; a removal is "
        "final");
  }
  switch (next.action) {
    case Action::kAdmit:
      return FailedPreconditionError("the organization is already admitted (use update)");
    case Action::kSuspend:
      if (state != State::kActive) {
        return FailedPreconditionError("only an active admission can be suspended (it is " +
                                       std::string(StateName(state)) + ")");
      }
      return Status::Ok();
    case Action::kReinstate:
      if (state != State::kSuspended) {
        return FailedPreconditionError("only a suspended admission can be reinstated (it is " +
                                       std::string(StateName(state)) + ")");
      }
      return Status::Ok();
    case Action::kUpdate:
    case Action::kRemove:
      return Status::Ok();
  }
  return Status::Ok();
}

Accreditation AccreditedAt(std::span<const Event> events,
                           std::span<const std::string> credential_types, Time issued_at) {
  std::vector<std::string> allowed;
  Result<State> state = StateAt(events, issued_at, &allowed);
  const std::string when = FormatTime(issued_at);
  if (!state.ok()) return {false, "the issuer was not admitted to the registry at " + when};
  if (*state != State::kActive) {
    return {false, "the issuer's admission was " + std::string(StateName(*state)) + " at " + when};
  }
  std::vector<std::string> wanted;
  for (const std::string& t : credential_types) {
    if (t != "VerifiableCredential") wanted.push_back(t);
  }
  if (std::find(allowed.begin(), allowed.end(), "*") != allowed.end()) {
    return {true, "the issuer was an accredited actor at " + when + ", allowed to issue any type"};
  }
  for (const std::string& t : wanted) {
    if (std::find(allowed.begin(), allowed.end(), t) != allowed.end()) {
      return {true, "the issuer was an accredited actor at " + when + ", allowed to issue " + t};
    }
  }
  return {false, "the issuer was admitted at " + when + " but not to issue " +
                     (wanted.empty() ? std::string("untyped credentials") : Join(wanted)) +
                     " (allowed: " + (allowed.empty() ? std::string("none") : Join(allowed)) + ")"};
}

}  // namespace traceport::registry
