// libFuzzer target: request-path matching of the HTTP server's router on arbitrary paths.
//
// The router holds the routes of the ledger and witness APIs. Invariants checked (a violation
// traps):
//   - Find never crashes and refuses (InvalidArgument) or answers one of the three outcomes;
//   - a found route's parameters are non-empty and contain no NUL byte;
//   - a found route names its pattern; a 405 lists the allowed methods;
//   - error messages are printable ASCII.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "net/internal/router.h"

namespace {

using traceport::net::internal::Router;

Router* MakeRouter() {
  auto* r = new Router();
  size_t id = 0;
  for (const char* p :
       {"/checkpoint", "/tile/{rest...}", "/tile/entries/{rest...}", "/ledger/entries/{index}",
        "/ledger/proof/inclusion", "/ledger/receipts/{index}", "/{origin_hash}/checkpoint",
        "/evidence", "/healthz", "/"}) {
    if (!r->Add("GET", p, id++).ok()) __builtin_trap();
  }
  if (!r->Add("POST", "/add-checkpoint", id++).ok()) __builtin_trap();
  if (!r->Add("POST", "/ledger/entries", id++).ok()) __builtin_trap();
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Router* router = MakeRouter();
  std::string_view in(reinterpret_cast<const char*>(data), size);
  // The first byte picks the method, the rest is the raw path.
  const char* method = "GET";
  if (!in.empty()) {
    method = (in[0] & 3) == 0   ? "POST"
             : (in[0] & 3) == 1 ? "HEAD"
             : (in[0] & 3) == 2 ? "PUT"
                                : "GET";
    in.remove_prefix(1);
  }
  auto m = router->Find(method, in);
  if (!m.ok()) {
    for (char c : m.status().message()) {
      if (c < 0x20 || c > 0x7e) __builtin_trap();
    }
    return 0;
  }
  if (m->outcome == Router::Outcome::kFound) {
    for (const auto& [name, value] : m->params) {
      if (name.empty() || value.empty()) __builtin_trap();
      if (value.find('\0') != std::string::npos) __builtin_trap();
    }
    if (m->pattern.empty()) __builtin_trap();
  } else if (m->outcome == Router::Outcome::kMethodNotAllowed) {
    if (m->allow.empty()) __builtin_trap();
  }
  return 0;
}
