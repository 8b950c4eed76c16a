// A read-only JSON document parsed with simdjson, for hot paths (credential verification) that
// read a document without building an nlohmann::json tree, which costs far more than parsing.
//
// FastJson::Parse accepts a text only when ParseJson would accept it with the same limits:
// simdjson is as strict as ParseJson about syntax, UTF-8, surrogates, byte order marks and
// trailing bytes, and Parse adds ParseJson's duplicate-name and depth rules. It is stricter in
// one way: integers beyond 64 bits (which ParseJson turns into doubles) are refused. Its errors
// are terse; a caller that needs the precise message parses the text again with ParseJson.
//
// Values are simdjson::dom::element views into the FastJson object: valid while it lives.
// CanonicalizeFast produces byte for byte what Canonicalize(ParseJson(text)) produces;
// ToJson materializes a value (or part of one) as nlohmann::json.
//
// Thread safety: a FastJson is thread-compatible; Parse may be called concurrently (each thread
// keeps its own pool of simdjson parsers).
#ifndef TRACEPORT_CODEC_FAST_JSON_H_
#define TRACEPORT_CODEC_FAST_JSON_H_

#include <simdjson.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "codec/jcs.h"
#include "codec/json.h"
#include "common/status.h"

namespace traceport::codec {

class FastJson {
 public:
  // InvalidArgument ("json: ...") for text ParseJson would reject or that has an integer
  // beyond 64 bits; ResourceExhausted beyond the limits.
  static Result<FastJson> Parse(std::string_view text, const JsonLimits& limits = {});

  FastJson(FastJson&&) noexcept;
  FastJson& operator=(FastJson&&) noexcept;
  ~FastJson();

  simdjson::dom::element root() const { return root_; }

 private:
  FastJson(std::unique_ptr<simdjson::dom::parser> parser, simdjson::dom::element root)
      : parser_(std::move(parser)), root_(root) {}

  std::unique_ptr<simdjson::dom::parser> parser_;  // owns the document root_ points into
  simdjson::dom::element root_;
};

// The member `name` of `object`, or nullopt (also when `object` is not an object).
std::optional<simdjson::dom::element> FastMember(simdjson::dom::element object,
                                                 std::string_view name);

// The RFC 8785 canonical form of `value`; with `omit_top_level`, the top-level object's member
// of that name is left out (as CanonicalizeWithout does).
Result<std::string> CanonicalizeFast(simdjson::dom::element value,
                                     std::optional<std::string_view> omit_top_level = std::nullopt);

// CanonicalizeSplit over a simdjson document: the whole object's canonical form and where its
// top-level member `member` sits in it.
Result<CanonicalWithMember> CanonicalizeFastSplit(simdjson::dom::element object,
                                                  std::string_view member);

// `value` as nlohmann::json (what ParseJson would have produced for it).
nlohmann::json ToJson(simdjson::dom::element value);

}  // namespace traceport::codec

#endif  // TRACEPORT_CODEC_FAST_JSON_H_
