// did:web (W3C CCG did:web Method Specification): the mapping between a did:web identifier and
// the HTTPS URL of its DID document.
//
//   did:web:example.com                  ↔ https://example.com/.well-known/did.json
//   did:web:example.com:org:acme         ↔ https://example.com/org/acme/did.json
//   did:web:localhost%3A8443:org:acme    ↔ https://localhost:8443/org/acme/did.json
#ifndef TRACEPORT_DID_WEB_H_
#define TRACEPORT_DID_WEB_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "did/did.h"

namespace traceport::did {

struct WebLocation {
  std::string host;               // lowercase DNS name
  std::optional<uint16_t> port;   // present when the DID carries "%3A<port>"
  std::vector<std::string> path;  // path segments, decoded; empty for /.well-known
};

// Splits and validates a did:web DID. The host must be a DNS name (letters, digits, hyphens;
// labels of 1..63, at most 253 characters) and not an IP address; path segments must be
// non-empty. Upper-case hosts are rejected rather than folded, so a DID has one spelling.
Result<WebLocation> ParseDidWeb(const Did& did);

// Builds the DID from its parts (validated as above).
Result<Did> MakeDidWeb(const WebLocation& location);

// The HTTPS URL of the DID document.
Result<std::string> DidWebToUrl(const Did& did);

// The inverse of DidWebToUrl for "https://host[:port]/(.well-known|path...)/did.json", or a bare
// "https://host[:port][/path...]" base, which maps to the same DID.
Result<Did> DidWebFromUrl(std::string_view url);

}  // namespace traceport::did

#endif  // TRACEPORT_DID_WEB_H_
