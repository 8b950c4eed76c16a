// DID and DID URL syntax (W3C DID Core 1.0 §3.1 and §3.2). Parsing is strict: anything the
// ABNF does not allow is rejected with a message naming the character and its offset.
#ifndef TRACEPORT_DID_DID_H_
#define TRACEPORT_DID_DID_H_

#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace traceport::did {

// Upper bound on a DID or DID URL we accept (a did:jwk of a P-384 key is ~250 characters).
inline constexpr size_t kMaxDidLength = 4096;

struct Did {
  std::string method;              // e.g. "key", "web", "jwk"
  std::string method_specific_id;  // e.g. "z6Mk...", "example.com:user:alice"

  std::string ToString() const { return "did:" + method + ":" + method_specific_id; }
  friend bool operator==(const Did&, const Did&) = default;
};

struct DidUrl {
  Did did;
  std::string path;                     // "" or begins with "/"
  std::optional<std::string> query;     // without the '?'
  std::optional<std::string> fragment;  // without the '#'

  std::string ToString() const;
};

// did = "did:" method-name ":" method-specific-id, where method-name is lowercase letters and
// digits and method-specific-id = *( *idchar ":" ) 1*idchar with idchar = ALPHA / DIGIT / "." /
// "-" / "_" / pct-encoded. Errors are InvalidArgument ("invalidDid" in DID Resolution terms).
Result<Did> ParseDid(std::string_view text);

// A DID followed by an optional path-abempty, "?query" and "#fragment" (RFC 3986 characters).
Result<DidUrl> ParseDidUrl(std::string_view text);

// Decodes %XX escapes; rejects malformed escapes. Used by methods whose identifiers carry
// percent-encoded characters (did:web ports, did:jwk never).
Result<std::string> PercentDecode(std::string_view text);

}  // namespace traceport::did

#endif  // TRACEPORT_DID_DID_H_
