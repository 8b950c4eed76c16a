// Small helpers shared by the files that declare the node's routes (node_routes.cc,
// node_portal.cc): schema references, response declarations and failed operations as problems.
#ifndef TRACEPORT_NODE_INTERNAL_ROUTE_HELPERS_H_
#define TRACEPORT_NODE_INTERNAL_ROUTE_HELPERS_H_

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"
#include "net/http_server.h"
#include "node/api.h"

namespace traceport::node::internal {

// {"$ref": "#/components/schemas/<name>"}
inline nlohmann::json Ref(const std::string& name) {
  return {{"$ref", "#/components/schemas/" + name}};
}

// A declared success response whose body matches component `schema` ("" = any body).
inline ResponseSpec Ok(int status, std::string description, const std::string& schema,
                       std::string content_type = "application/json") {
  return {status, std::move(description), std::move(content_type),
          schema.empty() ? nlohmann::json() : Ref(schema)};
}

// A declared RFC 9457 problem response.
inline ResponseSpec ProblemSpec(int status, std::string description) {
  return {status, std::move(description), "application/problem+json", Ref("Problem")};
}

// A failed operation as a problem response: the HTTP status from the canonical code; 500s say
// nothing about internals (net::ErrorResponse logs them).
inline net::ServerResponse Fail(const Status& s) {
  const int status = net::HttpStatusFor(s);
  if (status >= 500) return net::ErrorResponse(s);
  return Problem(status, s.message(), {{"code", std::string(StatusCodeName(s.code()))}});
}

// The JSON answer of an operation, or its failure as a problem.
inline net::ServerResponse Reply(const Result<nlohmann::json>& r, int status = 200) {
  if (!r.ok()) return Fail(r.status());
  return JsonResponse(status, *r);
}

// The answer to a received presentation (POST /presentations, POST /wallet/submissions): 201
// with the receipt, or 400 with the report when it was refused and nothing was stored (customs
// keeps a submission whose holder proof holds: then "submission" is present).
inline net::ServerResponse ReceiptOrRefusal(const Result<nlohmann::json>& r) {
  if (!r.ok()) return Fail(r.status());
  if (!(*r)["verified"].get<bool>() && !r->contains("submission")) {
    return Problem(400, "the presentation does not verify; nothing was stored",
                   {{"report", (*r)["report"]}});
  }
  return JsonResponse(201, *r);
}

// Adds a component schema; a schema the API refuses is a programming error, reported once at
// start-up on stderr (the route that names it then fails its own checks).
inline void AddSchemaOrWarn(Api& api, const std::string& name, nlohmann::json schema) {
  Status s = api.AddSchema(name, std::move(schema));
  if (!s.ok())
    std::fprintf(stderr, "traceport: schema %s: %s\n", name.c_str(), s.ToString().c_str());
}

}  // namespace traceport::node::internal

#endif  // TRACEPORT_NODE_INTERNAL_ROUTE_HELPERS_H_
