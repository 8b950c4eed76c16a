// Small helpers shared by the files that declare the node's routes (node_routes.cc,
// node_portal.cc): schema references, response declarations and failed operations as problems.
#ifndef TRACEPORT_NODE_INTERNAL_ROUTE_HELPERS_H_
#define TRACEPORT_NODE_INTERNAL_ROUTE_HELPERS_H_

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

}  // namespace traceport::node::internal

#endif  // TRACEPORT_NODE_INTERNAL_ROUTE_HELPERS_H_
