// libFuzzer target: the API layer (Api::Serve) on arbitrary request bodies.
//
// One route, POST /things with scope create:credential and a request schema that uses the
// keywords the node's schemas use (required, types, bounds, pattern, enum, format, arrays,
// uniqueItems, a $ref to another component, anyOf, additionalProperties). Every request carries
// a valid token and Content-Type application/json; the fuzz input is the body. The handler
// echoes the validated body.
//
// Invariants checked (a violation traps):
//   - Serve returns (no exception escapes) with status 200 or 4xx;
//   - the response body is JSON: the echoed body for a 200 (equal to what a plain parse of the
//     input gives), otherwise an RFC 9457 problem whose "status" matches;
//   - a 400 for a schema violation lists its errors, each with a pointer and a message.
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <span>
#include <string>

#include "common/log.h"
#include "common/testing/fake_clock.h"
#include "crypto/ed25519.h"
#include "node/api.h"

namespace {

using namespace traceport;
using nlohmann::json;

class CountingRandom final : public RandomSource {
 public:
  void Fill(std::span<uint8_t> out) override {
    for (uint8_t& b : out) b = static_cast<uint8_t>(next_++ * 131 + 7);
  }

 private:
  uint64_t next_ = 0;
};

json ThingSchema() {
  return json::parse(R"({
    "type": "object",
    "required": ["name"],
    "properties": {
      "name": {"type": "string", "minLength": 1, "maxLength": 64, "pattern": "^[a-z][a-z0-9-]*$"},
      "n": {"type": "integer", "minimum": 0, "maximum": 1000},
      "kind": {"enum": ["bar", "coil", "plate"]},
      "when": {"type": "string", "format": "date-time"},
      "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": true, "maxItems": 8},
      "part": {"$ref": "#/components/schemas/Part"},
      "parts": {"type": "array", "items": {"$ref": "#/components/schemas/Part"}}
    },
    "additionalProperties": false
  })");
}

json PartSchema() {
  return json::parse(R"({
    "type": "object",
    "properties": {
      "id": {"type": "string"},
      "qty": {"type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?$"},
      "extra": {"type": ["object", "null"]}
    },
    "anyOf": [{"required": ["id"]}, {"required": ["qty"]}]
  })");
}

struct Fixture {
  testing::FakeClock clock{FromUnixSeconds(1'790'000'000)};
  node::TokenService tokens{Key(), "https://node.example", std::chrono::seconds(300), clock};
  std::unique_ptr<node::Api> api;
  node::Route route;
  net::ServerRequest request;

  static jose::PrivateKey Key() {
    std::array<uint8_t, 32> seed{};
    seed.fill(0x5a);
    return jose::PrivateKey(*crypto::Ed25519PrivateKey::FromSeed(seed));
  }

  Fixture() {
    log::Configure(log::Level::kOff, log::Format::kText);
    node::ApiOptions o;
    o.version = "fuzz";
    o.tokens = &tokens;
    api = std::make_unique<node::Api>(std::move(o));
    if (!api->AddSchema("Part", PartSchema()).ok()) __builtin_trap();
    if (!api->AddSchema("Thing", ThingSchema()).ok()) __builtin_trap();
    route.method = "POST";
    route.path = "/things";
    route.operation_id = "createThing";
    route.scope = "create:credential";
    route.request_schema = "Thing";
    route.responses = {{200, "the body", "application/json", nullptr}};
    route.handler = [](const node::ApiRequest& req) { return node::JsonResponse(200, req.body); };
    api->Add(route);
    net::HttpServer server;  // never started: Mount checks the declarations
    if (!api->Mount(server).ok()) __builtin_trap();

    node::Principal p;
    p.client_id = "client-1";
    p.org = "mill";
    p.scopes = {"create:credential"};
    CountingRandom random;
    request.method = "POST";
    request.path = "/things";
    request.remote_addr = "192.0.2.1";
    request.headers = {{"Authorization", "Bearer " + tokens.Issue(p, random)->access_token},
                       {"Content-Type", "application/json"}};
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Fixture& f = *new Fixture();
  f.request.body.assign(reinterpret_cast<const char*>(data), size);
  const net::ServerResponse r = f.api->Serve(f.route, f.request);
  if (r.status != 200 && (r.status < 400 || r.status > 499)) __builtin_trap();
  const json body = json::parse(r.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) __builtin_trap();
  if (r.status == 200) {
    if (r.content_type != "application/json") __builtin_trap();
    // What was accepted is exactly the input's value.
    const json plain = json::parse(f.request.body, nullptr, /*allow_exceptions=*/false);
    if (plain.is_discarded() || plain != body || !body.is_object()) __builtin_trap();
    return 0;
  }
  if (r.content_type != "application/problem+json") __builtin_trap();
  if (!body.is_object() || body.value("status", 0) != r.status) __builtin_trap();
  if (body.contains("errors")) {
    if (!body["errors"].is_array() || body["errors"].empty()) __builtin_trap();
    for (const json& e : body["errors"]) {
      if (!e.is_object() || !e.contains("pointer") || !e["pointer"].is_string() ||
          !e.contains("message") || !e["message"].is_string()) {
        __builtin_trap();
      }
    }
  }
  return 0;
}
