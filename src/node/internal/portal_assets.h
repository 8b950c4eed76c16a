// The portal's built web assets (web/dist: index.html, app.js, app.css), embedded in the node at
// build time by tools/embed_web.cc so that a node serves its own portal with no files beside it
// and no CDN.
#ifndef TRACEPORT_NODE_INTERNAL_PORTAL_ASSETS_H_
#define TRACEPORT_NODE_INTERNAL_PORTAL_ASSETS_H_

#include <string_view>

namespace traceport::node::internal {

struct PortalAsset {
  std::string_view name;          // "index.html", "app.js", "app.css"
  std::string_view content_type;  // with charset
  std::string_view bytes;
  std::string_view etag;  // hex SHA-256 of the bytes (first 32 digits), without quotes
};

// The asset called `name`, or null.
const PortalAsset* FindPortalAsset(std::string_view name);

}  // namespace traceport::node::internal

#endif  // TRACEPORT_NODE_INTERNAL_PORTAL_ASSETS_H_
