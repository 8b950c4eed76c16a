#include "node/api.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/testing/fake_clock.h"
#include "common/testing/fake_random.h"

namespace traceport::node {
namespace {

using nlohmann::json;
using std::chrono::seconds;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr std::string_view kIssuer = "https://node.example";

json ThingSchema() {
  return {{"type", "object"},
          {"required", json::array({"name"})},
          {"properties", {{"name", {{"type", "string"}}}, {"n", {{"type", "integer"}}}}},
          {"additionalProperties", false}};
}

// An echoing POST /things (scope create:credential, body Thing), a public GET /health and a
// POST /boom whose handler throws.
Route CreateThing() {
  Route r;
  r.method = "POST";
  r.path = "/things";
  r.operation_id = "createThing";
  r.tag = "things";
  r.summary = "Create a thing";
  r.scope = "create:credential";
  r.request_schema = "Thing";
  r.responses = {{201, "created", "application/json", {{"$ref", "#/components/schemas/Thing"}}}};
  r.handler = [](const ApiRequest& req) {
    EXPECT_NE(req.principal, nullptr);
    return JsonResponse(201, req.body);
  };
  return r;
}

Route Health() {
  Route r;
  r.method = "GET";
  r.path = "/health";
  r.operation_id = "health";
  r.summary = "Liveness";
  r.responses = {{200, "alive", "application/json", nullptr}};
  r.handler = [](const ApiRequest& req) {
    EXPECT_EQ(req.principal, nullptr);
    return JsonResponse(200, {{"ok", true}});
  };
  return r;
}

Route Boom() {
  Route r;
  r.method = "POST";
  r.path = "/boom";
  r.operation_id = "boom";
  r.summary = "Throws";
  r.scope = "create:credential";
  r.responses = {{200, "never", "application/json", nullptr}};
  r.handler = [](const ApiRequest&) -> net::ServerResponse {
    throw std::runtime_error("secret internal detail /var/lib/x");
  };
  return r;
}

jose::PrivateKey TokenKey(uint64_t seed) {
  testing::FakeRandom rng(seed);
  return *jose::PrivateKey::Generate(jose::KeyType::kEd25519, rng);
}

class ApiTest : public ::testing::Test {
 protected:
  ApiTest()
      : clock_(FromUnixSeconds(1'790'000'000)),
        rng_(1),
        tokens_(TokenKey(7), std::string(kIssuer), seconds(300), clock_),
        limiter_(/*rate=*/1, /*burst=*/1000, clock_) {
    api_ = MakeApi(&limiter_);
  }

  std::unique_ptr<Api> MakeApi(RateLimiter* limiter, size_t max_depth = 64) {
    ApiOptions o;
    o.version = "1.0.0";
    o.tokens = &tokens_;
    o.limiter = limiter;
    o.max_json_depth = max_depth;
    auto api = std::make_unique<Api>(std::move(o));
    Status s = api->AddSchema("Thing", ThingSchema());
    EXPECT_TRUE(s.ok()) << s;
    api->Add(CreateThing());
    api->Add(Health());
    api->Add(Boom());
    return api;
  }

  std::string Token(std::set<std::string> scopes) {
    Principal p;
    p.client_id = "client-1";
    p.org = "mill";
    p.scopes = std::move(scopes);
    return tokens_.Issue(p, rng_)->access_token;
  }

  static net::ServerRequest Post(std::string body, const std::string& token,
                                 std::string content_type = "application/json") {
    net::ServerRequest req;
    req.method = "POST";
    req.path = "/things";
    req.remote_addr = "192.0.2.1";
    if (!token.empty()) req.headers.emplace_back("Authorization", "Bearer " + token);
    if (!content_type.empty()) req.headers.emplace_back("Content-Type", content_type);
    req.body = std::move(body);
    return req;
  }

  net::ServerResponse ServeThing(const net::ServerRequest& req) {
    return api_->Serve(CreateThing(), req);
  }

  static std::string HeaderOf(const net::ServerResponse& r, std::string_view name) {
    for (const auto& [k, v] : r.headers) {
      if (k == name) return v;
    }
    return "";
  }

  static json BodyOf(const net::ServerResponse& r) {
    json j = json::parse(r.body, nullptr, /*allow_exceptions=*/false);
    EXPECT_FALSE(j.is_discarded()) << r.body;
    return j;
  }

  // Expects an RFC 9457 problem with `status` whose detail contains `part`.
  static json ExpectProblem(const net::ServerResponse& r, int status, std::string_view part = "") {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.content_type, "application/problem+json");
    json body = BodyOf(r);
    EXPECT_EQ(body["status"], status);
    EXPECT_EQ(body["type"], "about:blank");
    EXPECT_TRUE(body["title"].is_string());
    if (!part.empty()) {
      EXPECT_THAT(body.value("detail", std::string()), HasSubstr(std::string(part))) << r.body;
    }
    return body;
  }

  // The pointers of a 400's "errors" array.
  static std::vector<std::string> Pointers(const json& problem) {
    std::vector<std::string> out;
    for (const json& e : problem.value("errors", json::array())) {
      EXPECT_TRUE(e.contains("message")) << e;
      out.push_back(e.value("pointer", std::string("?")));
    }
    return out;
  }

  testing::FakeClock clock_;
  testing::FakeRandom rng_;
  TokenService tokens_;
  RateLimiter limiter_;
  std::unique_ptr<Api> api_;
};

// ---- authentication and scopes ------------------------------------------------------------------

TEST_F(ApiTest, NoAuthorizationIs401WithChallenge) {
  net::ServerResponse r = ServeThing(Post(R"({"name":"a"})", ""));
  ExpectProblem(r, 401, "create:credential");
  EXPECT_EQ(HeaderOf(r, "WWW-Authenticate"), "Bearer realm=\"traceport\"");
}

TEST_F(ApiTest, OtherAuthorizationSchemesAre401) {
  for (const char* value : {"Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "Token abc", "bearerabc"}) {
    net::ServerRequest req = Post(R"({"name":"a"})", "");
    req.headers.emplace_back("Authorization", value);
    net::ServerResponse r = ServeThing(req);
    ExpectProblem(r, 401);
    EXPECT_THAT(HeaderOf(r, "WWW-Authenticate"), StartsWith("Bearer realm=")) << value;
  }
}

TEST_F(ApiTest, BadTokenIs401InvalidToken) {
  for (const std::string& token :
       {std::string("garbage"), Token({"create:credential"}) + "x", std::string("a.b.c")}) {
    net::ServerResponse r = ServeThing(Post(R"({"name":"a"})", token));
    ExpectProblem(r, 401, "access token");
    EXPECT_THAT(HeaderOf(r, "WWW-Authenticate"), HasSubstr("error=\"invalid_token\""));
  }
}

TEST_F(ApiTest, ExpiredTokenIs401) {
  const std::string token = Token({"create:credential"});
  clock_.Advance(seconds(301));
  net::ServerResponse r = ServeThing(Post(R"({"name":"a"})", token));
  ExpectProblem(r, 401, "expired");
  EXPECT_THAT(HeaderOf(r, "WWW-Authenticate"), HasSubstr("error=\"invalid_token\""));
}

TEST_F(ApiTest, LowercaseBearerIsAccepted) {
  net::ServerRequest req = Post(R"({"name":"a"})", "");
  req.headers.emplace_back("authorization", "bearer " + Token({"create:credential"}));
  EXPECT_EQ(ServeThing(req).status, 201);
}

TEST_F(ApiTest, TokenWithoutTheScopeIs403) {
  net::ServerResponse r = ServeThing(Post(R"({"name":"a"})", Token({"read:credential", "admin"})));
  ExpectProblem(r, 403, "lacks the scope create:credential");
  EXPECT_THAT(HeaderOf(r, "WWW-Authenticate"), HasSubstr("error=\"insufficient_scope\""));
  EXPECT_THAT(HeaderOf(r, "WWW-Authenticate"), HasSubstr("scope=\"create:credential\""));
}

// ---- media type and body ------------------------------------------------------------------------

TEST_F(ApiTest, WrongContentTypeIs415) {
  const std::string token = Token({"create:credential"});
  for (const char* type : {"text/plain", "application/x-www-form-urlencoded", "application/xml",
                           "application/jsonx", "json"}) {
    net::ServerResponse r = ServeThing(Post(R"({"name":"a"})", token, type));
    ExpectProblem(r, 415, "application/json");
  }
  // A body without any Content-Type is also unsupported.
  ExpectProblem(ServeThing(Post(R"({"name":"a"})", token, "")), 415);
}

// The 415 detail quotes the Content-Type as received; a value with bytes that are not UTF-8
// (obs-text is legal in HTTP field values) makes Problem()'s json::dump throw type_error 316,
// outside Serve's try block, so the server answers 500 instead of 415. Disabled until api.cc
// escapes or drops the value.
TEST_F(ApiTest, NonUtf8ContentTypeIs415) {
  net::ServerResponse r;
  EXPECT_NO_THROW(
      r = ServeThing(Post(R"({"name":"a"})", Token({"create:credential"}), "text/\xff\xfe")));
  EXPECT_EQ(r.status, 415);
}

TEST_F(ApiTest, NoBodyAndNoContentTypeIs400) {
  ExpectProblem(ServeThing(Post("", Token({"create:credential"}), "")), 400, "has no body");
}

TEST_F(ApiTest, JsonMediaTypesWithParametersAreAccepted) {
  const std::string token = Token({"create:credential"});
  for (const char* type : {"application/json; charset=utf-8", "Application/JSON",
                           "application/merge-patch+json", "application/json ;x=y"}) {
    EXPECT_EQ(ServeThing(Post(R"({"name":"a"})", token, type)).status, 201) << type;
  }
}

TEST_F(ApiTest, MalformedJsonIs400) {
  const std::string token = Token({"create:credential"});
  for (const char* body :
       {"{", "{\"name\":\"a\",}", "{\"name\":'a'}", "", "{\"name\":\"a\"} x",
        "{\"name\":\"a\",\"name\":\"b\"}", "\xef\xbb\xbf{\"name\":\"a\"}", "{\"name\":\"\xff\"}"}) {
    ExpectProblem(ServeThing(Post(body, token)), 400, "not valid JSON");
  }
}

TEST_F(ApiTest, JsonDeeperThanTheLimitIs400) {
  const std::string token = Token({"create:credential"});
  auto nested = [](size_t depth) {
    // {"name":"a","x":[[...]]}: the object is level 1, the arrays the rest.
    return R"({"name":"a","n":)" + std::string(depth - 1, '[') + std::string(depth - 1, ']') + "}";
  };
  // Depth 64 parses (then fails the schema: n is not an integer); 65 does not parse.
  json ok_depth = ExpectProblem(ServeThing(Post(nested(64), token)), 400, "does not match Thing");
  EXPECT_EQ(Pointers(ok_depth), std::vector<std::string>{"/n"});
  ExpectProblem(ServeThing(Post(nested(65), token)), 400, "not valid JSON");
  // The limit is the Api's option.
  std::unique_ptr<Api> shallow = MakeApi(nullptr, /*max_depth=*/3);
  ExpectProblem(shallow->Serve(CreateThing(), Post(nested(4), token)), 400, "deeper than 3");
  ExpectProblem(shallow->Serve(CreateThing(), Post(nested(3), token)), 400, "does not match");
}

TEST_F(ApiTest, SchemaViolationsListEachPointer) {
  const std::string token = Token({"create:credential"});
  struct Case {
    const char* body;
    std::vector<std::string> pointers;
    const char* detail;
  };
  const Case cases[] = {
      {R"({})", {""}, "required"},
      {R"({"n":1})", {""}, "name"},
      {R"({"name":"a","n":"1"})", {"/n"}, "/n"},
      {R"({"name":"a","n":1.5})", {"/n"}, "/n"},
      {R"({"name":7})", {"/name"}, "/name"},
      {R"({"name":"a","extra":true})", {"/extra"}, "extra"},
      {R"({"name":"a","a/b":true})", {"/a~1b"}, "a/b"},
      {R"([])", {""}, "does not match Thing"},
      {R"("name")", {""}, "does not match Thing"},
  };
  for (const Case& c : cases) {
    net::ServerResponse r = ServeThing(Post(c.body, token));
    json problem = ExpectProblem(r, 400, "does not match Thing");
    EXPECT_THAT(problem.value("detail", ""), HasSubstr(c.detail)) << c.body;
    EXPECT_EQ(Pointers(problem), c.pointers) << c.body << " -> " << r.body;
  }
  // Several errors at once are all listed.
  json problem =
      ExpectProblem(ServeThing(Post(R"({"n":"x","extra":1})", token)), 400, "does not match");
  std::vector<std::string> pointers = Pointers(problem);
  std::sort(pointers.begin(), pointers.end());
  EXPECT_EQ(pointers, (std::vector<std::string>{"", "/extra", "/n"})) << problem.dump();
}

TEST_F(ApiTest, GoodRequestRunsTheHandler) {
  net::ServerResponse r = ServeThing(Post(R"({"name":"a","n":3})", Token({"create:credential"})));
  EXPECT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(BodyOf(r), (json{{"name", "a"}, {"n", 3}}));
  EXPECT_EQ(HeaderOf(r, "Cache-Control"), "no-store");
}

TEST_F(ApiTest, HandlerSeesThePrincipalAndMediaType) {
  Route route = CreateThing();
  std::string seen;
  route.handler = [&](const ApiRequest& req) {
    seen = req.principal->client_id + "/" + req.principal->org + "/" + req.content_type;
    return JsonResponse(200, json::object());
  };
  ASSERT_EQ(api_->Serve(route, Post(R"({"name":"a"})", Token({"create:credential"}),
                                    "application/json; charset=utf-8"))
                .status,
            200);
  EXPECT_EQ(seen, "client-1/mill/application/json");
}

TEST_F(ApiTest, PublicRouteNeedsNoToken) {
  net::ServerRequest req;
  req.method = "GET";
  req.path = "/health";
  req.remote_addr = "192.0.2.1";
  net::ServerResponse r = api_->Serve(Health(), req);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(HeaderOf(r, "Cache-Control"), "");
}

TEST_F(ApiTest, RawMediaTypesReachTheHandlerUnparsed) {
  Route route = CreateThing();
  route.raw_request_types = {{"application/vp+jwt", {{"type", "string"}}}};
  std::string seen;
  route.handler = [&](const ApiRequest& req) {
    EXPECT_TRUE(req.body.is_null());
    seen = req.http.body;
    return JsonResponse(200, json::object());
  };
  const std::string token = Token({"create:credential"});
  EXPECT_EQ(api_->Serve(route, Post("not json at all", token, "application/vp+jwt")).status, 200);
  EXPECT_EQ(seen, "not json at all");
  // JSON still goes through the schema.
  ExpectProblem(api_->Serve(route, Post("{}", token)), 400, "does not match Thing");
  net::ServerResponse r = api_->Serve(route, Post("x", token, "text/plain"));
  ExpectProblem(r, 415, "application/json, application/vp+jwt");
}

// ---- rate limit and failures --------------------------------------------------------------------

TEST_F(ApiTest, RateLimitIs429WithRetryAfter) {
  RateLimiter tight(/*rate=*/0.5, /*burst=*/2, clock_);
  std::unique_ptr<Api> api = MakeApi(&tight);
  const std::string token = Token({"create:credential"});
  const net::ServerRequest req = Post(R"({"name":"a"})", token);
  ASSERT_EQ(api->Serve(CreateThing(), req).status, 201);
  ASSERT_EQ(api->Serve(CreateThing(), req).status, 201);
  net::ServerResponse r = api->Serve(CreateThing(), req);
  ExpectProblem(r, 429, "rate limit exceeded");
  EXPECT_EQ(HeaderOf(r, "Retry-After"), "2");
  // Another client is not affected; anonymous callers are limited by address.
  Principal other;
  other.client_id = "client-2";
  other.org = "mill";
  other.scopes = {"create:credential"};
  EXPECT_EQ(
      api->Serve(CreateThing(), Post(R"({"name":"a"})", tokens_.Issue(other, rng_)->access_token))
          .status,
      201);
  // After the wait the client gets through again.
  clock_.Advance(seconds(2));
  EXPECT_EQ(api->Serve(CreateThing(), req).status, 201);
}

TEST_F(ApiTest, ForgedTokensAreLimitedByAddress) {
  RateLimiter tight(/*rate=*/1, /*burst=*/2, clock_);
  std::unique_ptr<Api> api = MakeApi(&tight);
  const std::string body = R"({"name":"a"})";
  ExpectProblem(api->Serve(CreateThing(), Post(body, "forged")), 401);
  ExpectProblem(api->Serve(CreateThing(), Post(body, "forged")), 401);
  // The address's budget is spent: forged tokens and missing ones alike are now refused early.
  net::ServerResponse r = api->Serve(CreateThing(), Post(body, "forged"));
  ExpectProblem(r, 429);
  EXPECT_EQ(HeaderOf(r, "Retry-After"), "1");
  ExpectProblem(api->Serve(CreateThing(), Post(body, "")), 429);
  // A token the node has verified before skips the address budget (the client's own applies).
  const std::string token = Token({"create:credential"});
  ASSERT_TRUE(tokens_.Verify(token).ok());
  EXPECT_EQ(api->Serve(CreateThing(), Post(body, token)).status, 201);
  // Another address is not affected.
  net::ServerRequest other = Post(body, "forged");
  other.remote_addr = "198.51.100.7";
  ExpectProblem(api->Serve(CreateThing(), other), 401);
}

TEST_F(ApiTest, AnonymousCallersAreLimitedByAddress) {
  RateLimiter tight(/*rate=*/1, /*burst=*/1, clock_);
  std::unique_ptr<Api> api = MakeApi(&tight);
  net::ServerRequest req;
  req.method = "GET";
  req.remote_addr = "192.0.2.1";
  EXPECT_EQ(api->Serve(Health(), req).status, 200);
  EXPECT_EQ(api->Serve(Health(), req).status, 429);
  req.remote_addr = "192.0.2.2";
  EXPECT_EQ(api->Serve(Health(), req).status, 200);
  // An unlimited route is exempt.
  Route unlimited = Health();
  unlimited.unlimited = true;
  req.remote_addr = "192.0.2.1";
  EXPECT_EQ(api->Serve(unlimited, req).status, 200);
}

TEST_F(ApiTest, ThrowingHandlerIs500WithoutDetails) {
  net::ServerRequest req = Post("", Token({"create:credential"}), "");
  req.path = "/boom";
  net::ServerResponse r = api_->Serve(Boom(), req);
  json problem = ExpectProblem(r, 500, "internal error");
  EXPECT_EQ(problem["detail"], "internal error");
  EXPECT_THAT(r.body, ::testing::Not(HasSubstr("secret")));
}

// ---- OpenAPI ------------------------------------------------------------------------------------

TEST_F(ApiTest, OpenApiDocument) {
  const json doc = api_->OpenApi();
  EXPECT_EQ(doc["openapi"], "3.1.0");
  EXPECT_EQ(doc["info"]["version"], "1.0.0");
  const json& post = doc["paths"]["/things"]["post"];
  EXPECT_EQ(post["operationId"], "createThing");
  EXPECT_EQ(post["tags"], json::array({"things"}));
  EXPECT_EQ(post["security"], json::parse(R"([{"oauth2":["create:credential"]}])"));
  EXPECT_EQ(post["requestBody"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Thing");
  EXPECT_EQ(post["requestBody"]["required"], true);
  for (const char* status : {"400", "401", "403", "413", "415", "429"}) {
    ASSERT_TRUE(post["responses"].contains(status)) << status;
    EXPECT_EQ(post["responses"][status]["content"]["application/problem+json"]["schema"]["$ref"],
              "#/components/schemas/Problem")
        << status;
  }
  EXPECT_TRUE(post["responses"]["429"]["headers"].contains("Retry-After"));
  // Server errors are declared, as "500" or as the "5XX" range.
  EXPECT_TRUE(post["responses"].contains("500") || post["responses"].contains("5XX"));
  EXPECT_EQ(post["responses"]["201"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Thing");

  const json& get = doc["paths"]["/health"]["get"];
  EXPECT_EQ(get["operationId"], "health");
  EXPECT_EQ(get["security"], json::array());
  // A public route without a body: no authentication or media-type problems.
  for (const char* status : {"401", "403", "413", "415"}) {
    EXPECT_FALSE(get["responses"].contains(status)) << status;
  }
  EXPECT_TRUE(get["responses"].contains("200"));
  EXPECT_TRUE(get["responses"].contains("429"));
  EXPECT_FALSE(get.contains("requestBody"));

  EXPECT_EQ(doc["components"]["schemas"]["Thing"], ThingSchema());
  EXPECT_TRUE(doc["components"]["schemas"].contains("Problem"));
  const json& scopes =
      doc["components"]["securitySchemes"]["oauth2"]["flows"]["clientCredentials"]["scopes"];
  EXPECT_TRUE(scopes.contains("create:credential"));
  EXPECT_EQ(scopes.size(), AllScopes().size());
}

TEST_F(ApiTest, OpenApiIsDeterministic) {
  EXPECT_EQ(api_->OpenApi().dump(), api_->OpenApi().dump());
  // And independent of nothing but the declarations: a second Api built the same way agrees.
  EXPECT_EQ(MakeApi(&limiter_)->OpenApi().dump(2), api_->OpenApi().dump(2));
}

TEST_F(ApiTest, OpenApiPathParameters) {
  Route r = Health();
  r.path = "/things/{id}/files/{rest...}";
  r.operation_id = "getFile";
  r.params = {{"id", "path", "the thing", {{"type", "string"}, {"format", "uuid"}}, true},
              {"limit", "query", "how many", {{"type", "integer"}}, false}};
  api_->Add(r);
  const json doc = api_->OpenApi();
  ASSERT_TRUE(doc["paths"].contains("/things/{id}/files/{rest}")) << doc["paths"].dump();
  const json& params = doc["paths"]["/things/{id}/files/{rest}"]["get"]["parameters"];
  ASSERT_EQ(params.size(), 3u);
  EXPECT_EQ(params[0]["name"], "id");
  EXPECT_EQ(params[0]["schema"]["format"], "uuid");
  EXPECT_EQ(params[0]["required"], true);
  EXPECT_EQ(params[1]["name"], "rest");
  EXPECT_EQ(params[1]["in"], "path");
  EXPECT_EQ(params[2]["name"], "limit");
  EXPECT_EQ(params[2]["in"], "query");
  EXPECT_TRUE(doc["paths"]["/things/{id}/files/{rest}"]["get"]["responses"].contains("400"));
}

// ---- Mount and AddSchema ------------------------------------------------------------------------

TEST_F(ApiTest, MountAcceptsTheDeclaredRoutes) {
  net::HttpServer server;
  Status s = api_->Mount(server);
  EXPECT_TRUE(s.ok()) << s;
}

TEST_F(ApiTest, MountRefusesAnUnknownScope) {
  Route r = CreateThing();
  r.operation_id = "other";
  r.scope = "create:credentials";
  api_->Add(r);
  net::HttpServer server;
  Status s = api_->Mount(server);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(std::string(s.message()), HasSubstr("unknown scope create:credentials"));
}

TEST_F(ApiTest, MountRefusesADuplicateOperationId) {
  Route r = Health();
  r.path = "/health2";
  api_->Add(r);
  net::HttpServer server;
  Status s = api_->Mount(server);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(std::string(s.message()), HasSubstr("health"));
}

TEST_F(ApiTest, MountRefusesOtherMistakes) {
  {
    std::unique_ptr<Api> api = MakeApi(nullptr);
    Route r = CreateThing();
    r.operation_id = "x";
    r.request_schema = "Nope";
    api->Add(r);
    net::HttpServer server;
    EXPECT_EQ(api->Mount(server).code(), StatusCode::kInvalidArgument);
  }
  {
    std::unique_ptr<Api> api = MakeApi(nullptr);
    Route r = Health();
    r.operation_id = "x";
    r.responses.clear();
    api->Add(r);
    net::HttpServer server;
    EXPECT_EQ(api->Mount(server).code(), StatusCode::kInvalidArgument);
  }
  {
    Api api(ApiOptions{});  // no token service
    api.Add(CreateThing());
    ASSERT_TRUE(api.AddSchema("Thing", ThingSchema()).ok());
    net::HttpServer server;
    EXPECT_EQ(api.Mount(server).code(), StatusCode::kFailedPrecondition);
  }
  {
    std::unique_ptr<Api> api = MakeApi(nullptr);
    ASSERT_TRUE(api->AddSchema("Dangling", {{"$ref", "#/components/schemas/Missing"}}).ok());
    net::HttpServer server;
    EXPECT_FALSE(api->Mount(server).ok());
  }
}

TEST_F(ApiTest, AddSchemaRefusesDuplicatesAndBrokenSchemas) {
  EXPECT_EQ(api_->AddSchema("Thing", ThingSchema()).code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(api_->AddSchema("Problem", json::object()).code(), StatusCode::kAlreadyExists);
  // A malformed keyword value is found when the schemas are compiled, at Mount.
  ASSERT_TRUE(api_->AddSchema("Broken", {{"type", 7}}).ok());
  net::HttpServer server;
  Status s = api_->Mount(server);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s;
}

// AddSchema indexes the schema with ["$id"], which throws nlohmann::type_error for a boolean
// schema (valid JSON Schema) or any other non-object. Disabled until api.cc returns a Status.
TEST_F(ApiTest, AddSchemaOfANonObjectReturnsAStatus) {
  EXPECT_NO_THROW({ (void)api_->AddSchema("Any", true); });
  EXPECT_NO_THROW({
    Status s = api_->AddSchema("List", json::array());
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  });
}

TEST_F(ApiTest, SchemasMayReferToEachOther) {
  ASSERT_TRUE(api_->AddSchema("Box", {{"type", "object"},
                                      {"required", json::array({"thing"})},
                                      {"properties",
                                       {{"thing", {{"$ref", "#/components/schemas/Thing"}}}}}})
                  .ok());
  Route r = CreateThing();
  r.operation_id = "box";
  r.request_schema = "Box";
  const std::string token = Token({"create:credential"});
  EXPECT_EQ(api_->Serve(r, Post(R"({"thing":{"name":"a"}})", token)).status, 201);
  json problem = ExpectProblem(api_->Serve(r, Post(R"({"thing":{"name":1}})", token)), 400);
  EXPECT_EQ(Pointers(problem), std::vector<std::string>{"/thing/name"});
  // The document keeps the component reference as written.
  EXPECT_EQ(api_->OpenApi()["components"]["schemas"]["Box"]["properties"]["thing"]["$ref"],
            "#/components/schemas/Thing");
}

TEST(ProblemTest, ShapeAndExtensions) {
  net::ServerResponse r = Problem(409, "taken", {{"code", "ALREADY_EXISTS"}});
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.content_type, "application/problem+json");
  json body = json::parse(r.body);
  EXPECT_EQ(body, (json{{"type", "about:blank"},
                        {"title", "Conflict"},
                        {"status", 409},
                        {"detail", "taken"},
                        {"code", "ALREADY_EXISTS"}}));
  EXPECT_FALSE(json::parse(Problem(404, "").body).contains("detail"));
}

}  // namespace
}  // namespace traceport::node
