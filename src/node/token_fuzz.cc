// libFuzzer target: TokenService::Verify on arbitrary bytes and on mutations of a real token.
//
// The service holds a fixed Ed25519 key and has issued exactly one token. Each input is used
// twice:
//   1. as a token itself;
//   2. as edits to the issued token: triples (position high, position low, byte) that overwrite
//      a byte; a final byte left over truncates the result by that many bytes.
// Invariants checked (a violation traps):
//   - only the issued token itself verifies; anything else is refused as Unauthenticated;
//   - the issued token keeps verifying (the cache is not poisoned) and names the right principal;
//   - a refusal is Unauthenticated and its message is valid UTF-8 (it becomes a problem detail).
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>

#include "common/testing/fake_clock.h"
#include "crypto/ed25519.h"
#include "node/auth.h"

namespace {

using namespace traceport;

// A counter-based RandomSource: the fixture must be the same on every run.
class CountingRandom final : public RandomSource {
 public:
  void Fill(std::span<uint8_t> out) override {
    for (uint8_t& b : out) b = static_cast<uint8_t>(next_++ * 131 + 7);
  }

 private:
  uint64_t next_ = 0;
};

struct Fixture {
  testing::FakeClock clock{FromUnixSeconds(1'790'000'000)};
  node::TokenService tokens{Key(), "https://node.example", std::chrono::seconds(300), clock};
  std::string token;

  static jose::PrivateKey Key() {
    std::array<uint8_t, 32> seed{};
    seed.fill(0x5a);
    return jose::PrivateKey(*crypto::Ed25519PrivateKey::FromSeed(seed));
  }

  Fixture() {
    node::Principal p;
    p.client_id = "client-1";
    p.org = "mill";
    p.scopes = {"create:credential", "read:credential"};
    CountingRandom random;
    token = tokens.Issue(p, random)->access_token;
  }
};

void CheckMessage(const Status& s) {
  if (s.code() != StatusCode::kUnauthenticated) __builtin_trap();
  // The API layer puts the message in a JSON problem body, whose serialization throws on
  // invalid UTF-8. (Messages may echo header values, e.g. an unsupported "alg", so they are
  // not always ASCII.)
  try {
    (void)nlohmann::json(std::string(s.message())).dump();
  } catch (const nlohmann::json::exception&) {
    __builtin_trap();
  }
}

void CheckOne(const Fixture& f, std::string_view candidate) {
  Result<node::Principal> p = f.tokens.Verify(candidate);
  if (candidate == f.token) {
    if (!p.ok() || p->client_id != "client-1" || p->org != "mill" || p->scopes.size() != 2) {
      __builtin_trap();
    }
    return;
  }
  if (p.ok()) __builtin_trap();  // a token that differs from the issued one was accepted
  CheckMessage(p.status());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Fixture& f = *new Fixture();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  CheckOne(f, text);

  std::string edited = f.token;
  size_t i = 0;
  for (; i + 3 <= size; i += 3) {
    const size_t pos = (size_t{data[i]} << 8 | data[i + 1]) % edited.size();
    edited[pos] = static_cast<char>(data[i + 2]);
  }
  if (i < size) edited.resize(edited.size() - std::min<size_t>(data[i], edited.size()));
  CheckOne(f, edited);

  // The genuine token still verifies after whatever was tried.
  CheckOne(f, f.token);
  return 0;
}
