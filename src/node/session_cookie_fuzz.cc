// libFuzzer target: the portal's session cookie on arbitrary bytes.
//
// Each input is used as a Cookie header, and the value it names as tp_session (or, when it
// names none, the whole input) as a session token. The fixture holds one user with one open
// session. Invariants checked (a violation traps):
//   - CookieValue finds a value only when the header has a "tp_session=" pair, and the value
//     never contains the pair separator ';';
//   - only the real session token authenticates; anything else is Unauthenticated, with a
//     message that is valid UTF-8 (it becomes a problem detail);
//   - the real session keeps authenticating (nothing an attacker sends ends it).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

#include "codec/json.h"
#include "common/testing/fake_clock.h"
#include "node/users.h"

namespace {

using namespace traceport;

// A counter-based RandomSource: the fixture must be the same on every run.
class CountingRandom final : public RandomSource {
 public:
  void Fill(std::span<uint8_t> out) override {
    for (uint8_t& b : out) b = static_cast<uint8_t>(next_++ * 151 + 3);
  }

 private:
  uint64_t next_ = 0;
};

struct Fixture {
  testing::FakeClock clock{FromUnixSeconds(1'800'000'000)};
  CountingRandom random;
  std::filesystem::path dir;
  std::unique_ptr<node::internal::Db> db;
  std::unique_ptr<node::Users> users;
  std::string token;

  Fixture() {
    dir = std::filesystem::temp_directory_path() /
          ("traceport_session_fuzz_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    db = std::move(node::internal::Db::Open(
                       dir / "node.db",
                       std::string("CREATE TABLE IF NOT EXISTS orgs(slug TEXT PRIMARY KEY);") +
                           node::Users::kSchema)
                       .value());
    if (!db->Exec("INSERT INTO orgs(slug) VALUES('acme')").ok()) __builtin_trap();
    users = std::make_unique<node::Users>(*db, clock, random);
    if (!users->Add({"acme", "alice", "", node::UserRole::kImporter, "a long enough password"})
             .ok()) {
      __builtin_trap();
    }
    token = users->Login("acme", "alice", "a long enough password").value().token;
  }
  ~Fixture() { std::filesystem::remove_all(dir); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Fixture* f = new Fixture();
  const std::string_view header(reinterpret_cast<const char*>(data), size);
  const std::optional<std::string> value = node::CookieValue(header, "tp_session");
  if (value) {
    if (header.find("tp_session=") == std::string_view::npos) __builtin_trap();
    if (value->find(';') != std::string::npos) __builtin_trap();
  }
  const std::string candidate = value ? *value : std::string(header);
  Result<node::Session> s = f->users->Authenticate(candidate);
  if (candidate == f->token) {
    if (!s.ok()) __builtin_trap();
  } else {
    if (s.ok()) __builtin_trap();
    if (s.status().code() != StatusCode::kUnauthenticated) __builtin_trap();
    if (!codec::IsValidUtf8(s.status().message())) __builtin_trap();
  }
  if (!f->users->Authenticate(f->token).ok()) __builtin_trap();
  return 0;
}
