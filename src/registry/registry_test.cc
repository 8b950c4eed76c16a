#include "registry/registry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace traceport::registry {
namespace {

using std::chrono::hours;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const Time kT0 = FromUnixSeconds(1'790'000'000);  // 2026-09-21

Event At(Action action, Time at, std::vector<std::string> types = {}, std::string reason = "") {
  Event e;
  e.action = action;
  e.at = at;
  e.credential_types = std::move(types);
  e.reason = std::move(reason);
  return e;
}

// admit at T0 (MillTestReport), suspend at T0+10h, reinstate at T0+20h, update at T0+30h
// (Invoice), remove at T0+40h.
std::vector<Event> FullHistory() {
  return {
      At(Action::kAdmit, kT0, {"MillTestReportCredential"}),
      At(Action::kSuspend, kT0 + hours(10), {}, "audit"),
      At(Action::kReinstate, kT0 + hours(20)),
      At(Action::kUpdate, kT0 + hours(30), {"CommercialInvoiceCredential"}),
      At(Action::kRemove, kT0 + hours(40), {}, "closed"),
  };
}

// ---- StateAt ------------------------------------------------------------------------------------

TEST(StateAtTest, NotFoundBeforeAdmission) {
  const std::vector<Event> events = FullHistory();
  Result<State> s = StateAt(events, kT0 - hours(1));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(std::string(s.status().message()), HasSubstr("not admitted"));
}

TEST(StateAtTest, NotFoundForEmptyHistory) {
  Result<State> s = StateAt({}, kT0);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kNotFound);
}

TEST(StateAtTest, FollowsTheHistory) {
  const std::vector<Event> events = FullHistory();
  struct Case {
    Time at;
    State state;
  };
  const Case cases[] = {
      {kT0, State::kActive},  // the admission itself counts ("up to and including")
      {kT0 + hours(9), State::kActive},
      {kT0 + hours(10), State::kSuspended},
      {kT0 + hours(19), State::kSuspended},
      {kT0 + hours(20), State::kActive},
      {kT0 + hours(35), State::kActive},
      {kT0 + hours(40), State::kRemoved},
      {kT0 + hours(10000), State::kRemoved},
  };
  for (const Case& c : cases) {
    Result<State> s = StateAt(events, c.at);
    ASSERT_TRUE(s.ok()) << s.status();
    EXPECT_EQ(*s, c.state) << "at +" << ToUnixSeconds(c.at) - ToUnixSeconds(kT0) << " s";
  }
}

TEST(StateAtTest, EventsAfterTheMomentAreIgnored) {
  // The suspension one nanosecond later has not happened yet.
  const std::vector<Event> events = {
      At(Action::kAdmit, kT0, {"A"}),
      At(Action::kSuspend, kT0 + std::chrono::nanoseconds(1)),
  };
  Result<State> s = StateAt(events, kT0);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, State::kActive);
  s = StateAt(events, kT0 + std::chrono::nanoseconds(1));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, State::kSuspended);
}

TEST(StateAtTest, AllowedTypesAreReplacedByAnUpdate) {
  const std::vector<Event> events = FullHistory();
  std::vector<std::string> types;
  ASSERT_TRUE(StateAt(events, kT0 + hours(29), &types).ok());
  EXPECT_THAT(types, ElementsAre("MillTestReportCredential"));
  ASSERT_TRUE(StateAt(events, kT0 + hours(30), &types).ok());
  EXPECT_THAT(types, ElementsAre("CommercialInvoiceCredential"));  // replaced, not merged
}

TEST(StateAtTest, AllowedTypesUntouchedWhenNotAdmitted) {
  std::vector<std::string> types = {"sentinel"};
  EXPECT_FALSE(StateAt(FullHistory(), kT0 - hours(1), &types).ok());
  EXPECT_THAT(types, ElementsAre("sentinel"));
}

TEST(StateAtTest, NamesOfStates) {
  EXPECT_EQ(StateName(State::kActive), "active");
  EXPECT_EQ(StateName(State::kSuspended), "suspended");
  EXPECT_EQ(StateName(State::kRemoved), "removed");
}

// ---- CheckTransition ----------------------------------------------------------------------------

void ExpectRefused(const std::vector<Event>& events, const Event& next, const std::string& part) {
  Status s = CheckTransition(events, next);
  ASSERT_FALSE(s.ok()) << ActionName(next.action);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition) << s;
  EXPECT_THAT(std::string(s.message()), HasSubstr(part));
}

TEST(CheckTransitionTest, FirstEventMustBeAnAdmission) {
  EXPECT_TRUE(CheckTransition({}, At(Action::kAdmit, kT0, {"*"})).ok());
  for (Action a : {Action::kUpdate, Action::kSuspend, Action::kReinstate, Action::kRemove}) {
    ExpectRefused({}, At(a, kT0), "first change must be an admission");
  }
}

TEST(CheckTransitionTest, NoSecondAdmission) {
  const std::vector<Event> events = {At(Action::kAdmit, kT0, {"A"})};
  ExpectRefused(events, At(Action::kAdmit, kT0 + hours(1), {"B"}), "already admitted");
  // Not even after a suspension.
  const std::vector<Event> suspended = {At(Action::kAdmit, kT0, {"A"}),
                                        At(Action::kSuspend, kT0 + hours(1))};
  ExpectRefused(suspended, At(Action::kAdmit, kT0 + hours(2), {"B"}), "already admitted");
}

TEST(CheckTransitionTest, SuspendOnlyAnActiveEntry) {
  std::vector<Event> events = {At(Action::kAdmit, kT0, {"A"})};
  EXPECT_TRUE(CheckTransition(events, At(Action::kSuspend, kT0 + hours(1))).ok());
  events.push_back(At(Action::kSuspend, kT0 + hours(1)));
  ExpectRefused(events, At(Action::kSuspend, kT0 + hours(2)),
                "only an active admission can be suspended (it is suspended)");
}

TEST(CheckTransitionTest, ReinstateOnlyASuspendedEntry) {
  std::vector<Event> events = {At(Action::kAdmit, kT0, {"A"})};
  ExpectRefused(events, At(Action::kReinstate, kT0 + hours(1)),
                "only a suspended admission can be reinstated (it is active)");
  events.push_back(At(Action::kSuspend, kT0 + hours(1)));
  EXPECT_TRUE(CheckTransition(events, At(Action::kReinstate, kT0 + hours(2))).ok());
}

TEST(CheckTransitionTest, UpdateAndRemoveAllowedWhileActiveOrSuspended) {
  std::vector<Event> events = {At(Action::kAdmit, kT0, {"A"})};
  EXPECT_TRUE(CheckTransition(events, At(Action::kUpdate, kT0 + hours(1), {"B"})).ok());
  EXPECT_TRUE(CheckTransition(events, At(Action::kRemove, kT0 + hours(1))).ok());
  events.push_back(At(Action::kSuspend, kT0 + hours(1)));
  EXPECT_TRUE(CheckTransition(events, At(Action::kUpdate, kT0 + hours(2), {"B"})).ok());
  EXPECT_TRUE(CheckTransition(events, At(Action::kRemove, kT0 + hours(2))).ok());
}

TEST(CheckTransitionTest, NothingFollowsARemoval) {
  const std::vector<Event> events = FullHistory();
  for (Action a :
       {Action::kAdmit, Action::kUpdate, Action::kSuspend, Action::kReinstate, Action::kRemove}) {
    ExpectRefused(events, At(a, kT0 + hours(50), {"A"}), "a removal is final");
  }
}

TEST(CheckTransitionTest, EventsMustBeInTimeOrder) {
  const std::vector<Event> events = {At(Action::kAdmit, kT0, {"A"}),
                                     At(Action::kSuspend, kT0 + hours(5))};
  ExpectRefused(events, At(Action::kReinstate, kT0 + hours(4)), "time order");
  // The same instant as the last event is not out of order.
  EXPECT_TRUE(CheckTransition(events, At(Action::kReinstate, kT0 + hours(5))).ok());
}

TEST(CheckTransitionTest, EveryPrefixOfAValidHistoryAcceptsItsNextEvent) {
  const std::vector<Event> events = FullHistory();
  for (size_t i = 0; i < events.size(); ++i) {
    Status s = CheckTransition(std::span(events.data(), i), events[i]);
    EXPECT_TRUE(s.ok()) << i << ": " << s;
  }
}

// ---- AccreditedAt -------------------------------------------------------------------------------

const std::vector<std::string> kMtr = {"VerifiableCredential", "MillTestReportCredential"};

TEST(AccreditedAtTest, IssuedBeforeAdmission) {
  Accreditation a = AccreditedAt(FullHistory(), kMtr, kT0 - hours(1));
  EXPECT_FALSE(a.accredited);
  EXPECT_THAT(a.reason, HasSubstr("not admitted"));
}

TEST(AccreditedAtTest, IssuedAfterAdmissionWithAnAllowedType) {
  Accreditation a = AccreditedAt(FullHistory(), kMtr, kT0 + hours(1));
  EXPECT_TRUE(a.accredited) << a.reason;
  EXPECT_THAT(a.reason, HasSubstr("allowed to issue MillTestReportCredential"));
  EXPECT_THAT(a.reason, HasSubstr("2026-09-"));  // the moment, in RFC 3339
}

TEST(AccreditedAtTest, TypeNotAllowed) {
  const std::vector<std::string> invoice = {"VerifiableCredential", "CommercialInvoiceCredential"};
  Accreditation a = AccreditedAt(FullHistory(), invoice, kT0 + hours(1));
  EXPECT_FALSE(a.accredited);
  EXPECT_THAT(a.reason, HasSubstr("not to issue CommercialInvoiceCredential"));
  EXPECT_THAT(a.reason, HasSubstr("(allowed: MillTestReportCredential)"));
  // After the update the invoice is allowed and the mill test report no longer is.
  EXPECT_TRUE(AccreditedAt(FullHistory(), invoice, kT0 + hours(31)).accredited);
  EXPECT_FALSE(AccreditedAt(FullHistory(), kMtr, kT0 + hours(31)).accredited);
}

TEST(AccreditedAtTest, OnlyTheGenericTypeIsUntyped) {
  const std::vector<std::string> generic = {"VerifiableCredential"};
  Accreditation a = AccreditedAt(FullHistory(), generic, kT0 + hours(1));
  EXPECT_FALSE(a.accredited);
  EXPECT_THAT(a.reason, HasSubstr("untyped"));
}

TEST(AccreditedAtTest, NoTypesAllowedAtAll) {
  const std::vector<Event> events = {At(Action::kAdmit, kT0, {})};
  Accreditation a = AccreditedAt(events, kMtr, kT0 + hours(1));
  EXPECT_FALSE(a.accredited);
  EXPECT_THAT(a.reason, HasSubstr("(allowed: none)"));
}

TEST(AccreditedAtTest, WildcardAllowsAnyType) {
  const std::vector<Event> events = {At(Action::kAdmit, kT0, {"*"})};
  const std::vector<std::string> odd = {"VerifiableCredential", "SomethingNobodyListed"};
  Accreditation a = AccreditedAt(events, odd, kT0 + hours(1));
  EXPECT_TRUE(a.accredited);
  EXPECT_THAT(a.reason, HasSubstr("any type"));
}

TEST(AccreditedAtTest, SuspendedAtIssuanceEvenIfReinstatedLater) {
  // Issued at +15h, during the suspension (+10h..+20h); judged long after the reinstatement.
  Accreditation a = AccreditedAt(FullHistory(), kMtr, kT0 + hours(15));
  EXPECT_FALSE(a.accredited);
  EXPECT_THAT(a.reason, HasSubstr("suspended"));
}

TEST(AccreditedAtTest, IssuedBeforeASuspension) {
  EXPECT_TRUE(AccreditedAt(FullHistory(), kMtr, kT0 + hours(9)).accredited);
}

TEST(AccreditedAtTest, IssuedAfterReinstatement) {
  EXPECT_TRUE(AccreditedAt(FullHistory(), kMtr, kT0 + hours(21)).accredited);
}

TEST(AccreditedAtTest, RemovedAtIssuance) {
  const std::vector<std::string> invoice = {"CommercialInvoiceCredential"};
  Accreditation a = AccreditedAt(FullHistory(), invoice, kT0 + hours(41));
  EXPECT_FALSE(a.accredited);
  EXPECT_THAT(a.reason, HasSubstr("removed"));
}

TEST(AccreditedAtTest, RemovedWildcardIsNotAccredited) {
  const std::vector<Event> events = {At(Action::kAdmit, kT0, {"*"}),
                                     At(Action::kRemove, kT0 + hours(1))};
  EXPECT_FALSE(AccreditedAt(events, kMtr, kT0 + hours(2)).accredited);
}

// ---- names --------------------------------------------------------------------------------------

TEST(RegistryNamesTest, ActionNamesRoundTrip) {
  const std::pair<Action, const char*> all[] = {
      {Action::kAdmit, "admit"},         {Action::kUpdate, "update"}, {Action::kSuspend, "suspend"},
      {Action::kReinstate, "reinstate"}, {Action::kRemove, "remove"},
  };
  for (const auto& [action, name] : all) {
    EXPECT_EQ(ActionName(action), name);
    Result<Action> back = ParseAction(name);
    ASSERT_TRUE(back.ok()) << name;
    EXPECT_EQ(*back, action);
  }
}

TEST(RegistryNamesTest, UnknownActionsAreRefused) {
  for (const char* name : {"", "Admit", "ADMIT", "delete", "admit ", "revoke"}) {
    Result<Action> r = ParseAction(name);
    ASSERT_FALSE(r.ok()) << name;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(r.status().message()), HasSubstr("admit, update, suspend"));
  }
}

TEST(RegistryNamesTest, KnownRoles) {
  EXPECT_EQ(KnownRoles().size(), 11u);
  for (std::string_view role : KnownRoles()) EXPECT_TRUE(IsKnownRole(role)) << role;
  for (const char* role : {"mill", "customs", "registry-authority", "licensing-authority"}) {
    EXPECT_TRUE(IsKnownRole(role)) << role;
  }
  for (const char* role : {"", "Mill", "mills", "admin", "registry authority", "importer "}) {
    EXPECT_FALSE(IsKnownRole(role)) << role;
  }
}

}  // namespace
}  // namespace traceport::registry
