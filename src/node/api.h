// The node's HTTP API layer: every route is declared once — method, path, the scope it
// requires, its request schema and its responses — and that one declaration both mounts the
// handler (with authentication, scope checks, rate limits, JSON parsing and request validation
// in front of it) and generates the OpenAPI 3.1 document. The document cannot drift from the
// code because it is made from the code; docs/api/openapi.json is its checked-in copy and a test
// fails when they differ.
//
// Request bodies are validated against the same JSON Schemas the document publishes (valijson,
// through vc::SchemaRegistry), so a "wrong type" or "missing field" is a 400 whose problem body
// lists each error with its JSON Pointer:
//
//   {"type": "about:blank", "title": "Bad Request", "status": 400,
//    "detail": "the request body does not match IssueRequest",
//    "errors": [{"pointer": "/credential", "message": "required: ..."}]}
//
// Thread safety: Add* before Mount; after that everything is read-only and thread-safe.
#ifndef TRACEPORT_NODE_API_H_
#define TRACEPORT_NODE_API_H_

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"
#include "net/http_server.h"
#include "node/auth.h"
#include "node/users.h"
#include "vc/schema.h"

namespace traceport::node {

// What a handler receives once the layer has done its checks.
struct ApiRequest {
  const net::ServerRequest& http;
  // The parsed and validated body for JSON routes (null when the route takes none, or took a
  // non-JSON media type: then read http.body).
  nlohmann::json body;
  std::string content_type;    // the request's media type, without parameters
  const Principal* principal;  // null on public routes
};

using ApiHandler = std::function<net::ServerResponse(const ApiRequest&)>;

struct ResponseSpec {
  int status = 200;
  std::string description;
  std::string content_type = "application/json";  // "" = no body
  nlohmann::json schema;  // e.g. {"$ref": "#/components/schemas/X"}; null = any
  // Further media types the same status may be answered with (e.g. a receipt as text or JSON).
  std::vector<std::pair<std::string, nlohmann::json>> more_content = {};
};

struct ParamSpec {
  std::string name;
  std::string in = "query";  // "query" or "path" (path parameters come from the pattern)
  std::string description;
  nlohmann::json schema = {{"type", "string"}};
  bool required = false;
};

struct Route {
  std::string method;  // GET, POST, PUT, DELETE
  std::string path;    // net::HttpServer pattern with {name} segments
  std::string operation_id;
  std::string tag;
  std::string summary;
  std::string description;
  std::string scope;  // required OAuth scope; "" = public
  // Name of a component schema the JSON body must match; "" = no JSON body.
  std::string request_schema;
  // Other accepted request media types whose bodies the handler reads raw (e.g.
  // "application/x-www-form-urlencoded", "application/vp+jwt"), each with its schema.
  std::vector<std::pair<std::string, nlohmann::json>> raw_request_types;
  std::vector<ParamSpec> params;
  std::vector<ResponseSpec> responses;
  // Null for a route another component mounts itself (e.g. the ledger's read API): it is then
  // only described in the document.
  ApiHandler handler;
  // Exempt from the per-client rate limit (health checks, metrics).
  bool unlimited = false;
};

struct ApiOptions {
  std::string title = "Traceport node API";
  std::string version;
  std::string description;
  size_t max_json_depth = 64;
  const TokenService* tokens = nullptr;  // required when any route has a scope
  RateLimiter* limiter = nullptr;        // optional
  // Portal sign-in (optional): a request without an Authorization header that carries the
  // session cookie acts as the signed-in user, with its role's scopes; a POST, PUT or DELETE
  // must also carry the session's CSRF token in X-CSRF-Token.
  Users* users = nullptr;
};

// An RFC 9457 problem with extension members (merged into the body).
net::ServerResponse Problem(int status, std::string_view detail,
                            const nlohmann::json& extra = nlohmann::json::object());
// A JSON response.
net::ServerResponse JsonResponse(int status, const nlohmann::json& body,
                                 std::string content_type = "application/json");

class Api {
 public:
  explicit Api(ApiOptions options);
  ~Api();

  // A named component schema (JSON Schema 2020-12). References to other components are written
  // "#/components/schemas/<name>". InvalidArgument when the schema does not compile.
  Status AddSchema(const std::string& name, nlohmann::json schema);
  void Add(Route route);

  // Checks every route (known scope, schemas registered, responses declared) and registers the
  // handlers on `server`. The Api must outlive the server.
  Status Mount(net::HttpServer& server);

  // The OpenAPI 3.1 document (deterministic: same routes, same bytes).
  nlohmann::json OpenApi() const;

  // What Mount registers for `route`: authentication, scope, rate limit, media type, JSON
  // parsing and schema validation, then the handler. Public for tests and fuzzing.
  net::ServerResponse Serve(const Route& route, const net::ServerRequest& req) const;

 private:
  ApiOptions options_;
  std::vector<Route> routes_;
  nlohmann::json schemas_ = nlohmann::json::object();
  vc::SchemaRegistry registry_;
};

}  // namespace traceport::node

#endif  // TRACEPORT_NODE_API_H_
