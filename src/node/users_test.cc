#include "node/users.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "common/testing/fake_clock.h"
#include "common/testing/fake_random.h"

namespace traceport::node {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using traceport::testing::FakeClock;
using traceport::testing::FakeRandom;

class UsersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static int counter = 0;
    dir_ = fs::temp_directory_path() /
           ("traceport_users_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto db = internal::Db::Open(dir_ / "node.db",
                                 std::string("CREATE TABLE IF NOT EXISTS orgs(slug TEXT PRIMARY "
                                             "KEY);") +
                                     Users::kSchema);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    ASSERT_TRUE(db_->Exec("INSERT INTO orgs(slug) VALUES('customs'), ('acme')").ok());
    SessionOptions options;
    options.idle = std::chrono::minutes(30);
    options.absolute = std::chrono::hours(2);
    users_ = std::make_unique<Users>(*db_, clock_, random_, options);
  }
  void TearDown() override {
    users_.reset();
    db_.reset();
    fs::remove_all(dir_);
  }

  User AddOk(const std::string& org, const std::string& username, UserRole role,
             const std::string& password = "a long enough password") {
    auto u = users_->Add({org, username, "", role, password});
    EXPECT_TRUE(u.ok()) << u.status().ToString();
    return u.ok() ? *u : User();
  }

  fs::path dir_;
  FakeClock clock_{FromUnixSeconds(1'800'000'000)};
  FakeRandom random_{7};
  std::unique_ptr<internal::Db> db_;
  std::unique_ptr<Users> users_;
};

TEST_F(UsersTest, AddValidatesEveryField) {
  struct Case {
    UserSpec spec;
    std::string words;
  };
  const std::vector<Case> cases = {
      {{"acme", "", "", UserRole::kImporter, "a long enough password"}, "username"},
      {{"acme", "Alice", "", UserRole::kImporter, "a long enough password"}, "a-z"},
      {{"acme", "al ice", "", UserRole::kImporter, "a long enough password"}, "a-z"},
      {{"acme", std::string(65, 'a'), "", UserRole::kImporter, "a long enough password"}, "64"},
      {{"acme", "alice", "x\ny", UserRole::kImporter, "a long enough password"}, "control"},
      {{"acme", "alice", "\xff", UserRole::kImporter, "a long enough password"}, "UTF-8"},
      {{"acme", "alice", "", UserRole::kImporter, "short"}, "at least 12"},
      {{"acme", "alice", "", UserRole::kImporter, std::string(5000, 'p')}, "4096"},
  };
  for (const Case& c : cases) {
    auto u = users_->Add(c.spec);
    ASSERT_FALSE(u.ok()) << c.words;
    EXPECT_EQ(u.status().code(), StatusCode::kInvalidArgument) << c.words;
    EXPECT_THAT(std::string(u.status().message()), HasSubstr(c.words));
  }
  // Nothing was stored.
  auto list = users_->List("acme");
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list->empty());
}

TEST_F(UsersTest, UsernamesAreUniquePerOrganization) {
  AddOk("acme", "alice", UserRole::kImporter);
  auto again = users_->Add({"acme", "alice", "", UserRole::kIssuer, "another long password"});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  // The same name in another organization is another person.
  AddOk("customs", "alice", UserRole::kOfficer);
  auto acme = users_->List("acme");
  ASSERT_TRUE(acme.ok());
  ASSERT_EQ(acme->size(), 1u);
  EXPECT_EQ((*acme)[0].role, UserRole::kImporter);
  EXPECT_EQ((*acme)[0].name, "alice");  // the display name defaults to the username
  // An unknown organization is refused by the foreign key.
  EXPECT_FALSE(users_->Add({"nobody", "bob", "", UserRole::kImporter, "a long password!"}).ok());
}

TEST_F(UsersTest, TheDatabaseHoldsOnlyAnArgon2idHash) {
  AddOk("acme", "alice", UserRole::kImporter, "correct horse battery");
  auto row = db_->QueryOne("SELECT password FROM users WHERE username='alice'");
  ASSERT_TRUE(row.ok() && row->has_value());
  const std::string stored = (*row)->Text(0);
  EXPECT_EQ(stored.rfind("$argon2id$v=19$", 0), 0u) << stored;
  EXPECT_EQ(stored.find("correct horse"), std::string::npos);
}

TEST_F(UsersTest, LoginChecksThePasswordAndAnswersAlikeForUnknownAccounts) {
  AddOk("acme", "alice", UserRole::kImporter, "correct horse battery");
  auto wrong = users_->Login("acme", "alice", "correct horse batterY");
  auto unknown_user = users_->Login("acme", "mallory", "correct horse battery");
  auto unknown_org = users_->Login("nowhere", "alice", "correct horse battery");
  for (const auto* r : {&wrong, &unknown_user, &unknown_org}) {
    ASSERT_FALSE(r->ok());
    EXPECT_EQ(r->status().code(), StatusCode::kUnauthenticated);
    EXPECT_EQ(r->status().message(), wrong.status().message());
  }
  auto s = users_->Login("acme", "alice", "correct horse battery");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->user.username, "alice");
  EXPECT_EQ(s->user.ClientId(), "user:acme/alice");
  EXPECT_GE(s->token.size(), 43u);  // 256 bits in base64url
  EXPECT_GE(s->csrf_token.size(), 43u);
  EXPECT_NE(s->token, s->csrf_token);
  // The session table keeps a hash, not the token.
  auto rows = db_->Query("SELECT token_hash FROM sessions");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  const std::vector<uint8_t> stored = (*rows)[0].Bytes(0);
  EXPECT_EQ(stored.size(), 32u);
  EXPECT_EQ(std::string(stored.begin(), stored.end()).find(s->token), std::string::npos);
}

TEST_F(UsersTest, SessionsAuthenticateUntilIdleOrTooOld) {
  AddOk("customs", "olivia", UserRole::kOfficer);
  auto s = users_->Login("customs", "olivia", "a long enough password");
  ASSERT_TRUE(s.ok());
  auto a = users_->Authenticate(s->token);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->user.role, UserRole::kOfficer);
  EXPECT_EQ(a->csrf_token, s->csrf_token);
  const Principal p = a->user.ToPrincipal();
  EXPECT_EQ(p.org, "customs");
  EXPECT_TRUE(p.Has("decide:submissions"));
  EXPECT_FALSE(p.Has("admin"));

  EXPECT_FALSE(users_->Authenticate(s->token + "x").ok());
  EXPECT_FALSE(users_->Authenticate("").ok());
  EXPECT_FALSE(users_->Authenticate(std::string(500, 'a')).ok());

  // Used every 20 minutes, the session lives on past the 30-minute idle limit...
  for (int i = 0; i < 5; ++i) {
    clock_.Advance(std::chrono::minutes(20));
    ASSERT_TRUE(users_->Authenticate(s->token).ok()) << i;
  }
  // ...but not past its absolute lifetime of two hours.
  clock_.Advance(std::chrono::minutes(20));
  auto old = users_->Authenticate(s->token);
  ASSERT_FALSE(old.ok());
  EXPECT_EQ(old.status().code(), StatusCode::kUnauthenticated);

  // A session left alone for the idle limit ends.
  auto s2 = users_->Login("customs", "olivia", "a long enough password");
  ASSERT_TRUE(s2.ok());
  clock_.Advance(std::chrono::minutes(31));
  EXPECT_FALSE(users_->Authenticate(s2->token).ok());
}

TEST_F(UsersTest, LogoutEndsOneSessionAndLogoutEverywhereEndsAll) {
  AddOk("acme", "alice", UserRole::kImporter);
  AddOk("acme", "bob", UserRole::kIssuer);
  auto laptop = users_->Login("acme", "alice", "a long enough password");
  auto phone = users_->Login("acme", "alice", "a long enough password");
  auto bob = users_->Login("acme", "bob", "a long enough password");
  ASSERT_TRUE(laptop.ok() && phone.ok() && bob.ok());
  ASSERT_TRUE(users_->Logout(laptop->token).ok());
  EXPECT_FALSE(users_->Authenticate(laptop->token).ok());
  EXPECT_TRUE(users_->Authenticate(phone->token).ok());
  EXPECT_TRUE(users_->Logout(laptop->token).ok());  // again: nothing to do

  auto again = users_->Login("acme", "alice", "a long enough password");
  ASSERT_TRUE(again.ok());
  auto ended = users_->LogoutEverywhere("acme", "alice");
  ASSERT_TRUE(ended.ok());
  EXPECT_EQ(*ended, 2);
  EXPECT_FALSE(users_->Authenticate(phone->token).ok());
  EXPECT_FALSE(users_->Authenticate(again->token).ok());
  EXPECT_TRUE(users_->Authenticate(bob->token).ok());  // someone else's session is untouched
}

TEST(UserRolesTest, NamesRoundTripAndScopesAreKnown) {
  for (const UserRoleInfo& r : AllUserRoles()) {
    EXPECT_EQ(ParseUserRole(r.name), r.role);
    EXPECT_EQ(UserRoleName(r.role), r.name);
    for (const std::string& scope : ScopesOfRole(r.role)) {
      EXPECT_TRUE(IsKnownScope(scope)) << r.name << ": " << scope;
    }
    EXPECT_FALSE(ScopesOfRole(r.role).count("admin")) << r.name;
  }
  EXPECT_FALSE(ParseUserRole("root").has_value());
  // Only officers decide; only importers read their shipments; auditors change nothing.
  EXPECT_TRUE(ScopesOfRole(UserRole::kOfficer).count("decide:submissions"));
  EXPECT_FALSE(ScopesOfRole(UserRole::kAuditor).count("decide:submissions"));
  EXPECT_FALSE(ScopesOfRole(UserRole::kImporter).count("read:submissions"));
  EXPECT_TRUE(ScopesOfRole(UserRole::kImporter).count("read:shipments"));
  for (const std::string& scope : ScopesOfRole(UserRole::kAuditor)) {
    EXPECT_EQ(scope.rfind("read:", 0) == 0 || scope.rfind("verify:", 0) == 0 ||
                  scope.rfind("resolve:", 0) == 0,
              true)
        << scope;
  }
}

TEST(CookieValueTest, FindsTheNamedCookie) {
  EXPECT_EQ(CookieValue("tp_session=abc", "tp_session"), "abc");
  EXPECT_EQ(CookieValue("a=1; tp_session=abc; b=2", "tp_session"), "abc");
  EXPECT_EQ(CookieValue("a=1;tp_session=\"abc\"", "tp_session"), "abc");
  EXPECT_EQ(CookieValue("xtp_session=abc", "tp_session"), std::nullopt);
  EXPECT_EQ(CookieValue("tp_session", "tp_session"), std::nullopt);
  EXPECT_EQ(CookieValue("", "tp_session"), std::nullopt);
  EXPECT_EQ(CookieValue("tp_session=", "tp_session"), "");
}

}  // namespace
}  // namespace traceport::node
