// The trust registry's domain rules: who is a legitimate actor, with which roles, allowed to
// issue which credential types, and — because a credential is judged by when it was issued —
// what the registry said at any moment in its history.
//
// A registry authority admits an organization (its DID, legal identifiers, roles and the
// credential types it may issue), may update that admission, suspend and reinstate it, or
// remove it for good. Each change is an event with a time; AccreditedAt replays the events up
// to a moment and answers the verifier's `issuer-accredited` question. Storage, credentials and
// ledger anchoring are the node's; this module is pure.
//
// Thread safety: all functions are thread-safe.
#ifndef TRACEPORT_REGISTRY_REGISTRY_H_
#define TRACEPORT_REGISTRY_REGISTRY_H_

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"

namespace traceport::registry {

// What an authority can do to an entry; the names are the ledger's registry.update actions.
enum class Action { kAdmit, kUpdate, kSuspend, kReinstate, kRemove };
std::string_view ActionName(Action action);  // "admit", "update", ...
Result<Action> ParseAction(std::string_view name);

// The roles an organization can hold. Names are stable API values.
//   registry-authority customs importer broker manufacturer mill producer carrier
//   laboratory licensing-authority exporter
std::span<const std::string_view> KnownRoles();
bool IsKnownRole(std::string_view role);

enum class State { kActive, kSuspended, kRemoved };
std::string_view StateName(State state);  // "active", "suspended", "removed"

struct Event {
  Action action = Action::kAdmit;
  Time at;
  // For admit and update: the credential types the actor may issue from `at` on ("*" = any).
  std::vector<std::string> credential_types;
  std::string reason;  // free text from the authority (suspensions, removals)
};

// The state after applying `events` (in time order) up to and including `at`: NotFound when the
// actor had not been admitted yet. `allowed_types` receives the types then in force.
Result<State> StateAt(std::span<const Event> events, Time at,
                      std::vector<std::string>* allowed_types = nullptr);

// Checks that `next` may follow `events`: the first event must be an admission; nothing follows
// a removal; suspend only an active entry, reinstate only a suspended one; admit only once;
// events in time order. FailedPrecondition names the rule broken.
Status CheckTransition(std::span<const Event> events, const Event& next);

struct Accreditation {
  bool accredited = false;
  std::string reason;  // why, in a sentence a customs officer can read
};

// The issuer-accredited question: was the actor whose history is `events` admitted, not
// suspended or removed, and allowed to issue at least one of `credential_types` (ignoring the
// generic "VerifiableCredential") at `issued_at`?
Accreditation AccreditedAt(std::span<const Event> events,
                           std::span<const std::string> credential_types, Time issued_at);

}  // namespace traceport::registry

#endif  // TRACEPORT_REGISTRY_REGISTRY_H_
