// RFC 8785 JSON Canonicalization Scheme (JCS): the one byte sequence that Data Integrity
// "*-jcs-*" cryptosuites hash and sign.
//
// Output rules:
//   - no whitespace;
//   - object members sorted by their names compared as UTF-16 code unit sequences (this
//     differs from UTF-8 byte order only when names mix U+E000..U+FFFF with characters above
//     U+FFFF, which is handled);
//   - strings: '"' and '\\' escaped, U+0008 U+0009 U+000A U+000C U+000D as \b \t \n \f \r,
//     other controls below U+0020 as \u00xx (lowercase hex), everything else as literal UTF-8
//     (no Unicode normalization);
//   - numbers: every number is taken as an IEEE-754 double and written as ECMAScript's
//     Number.prototype.toString writes it (see FormatEs6Number). Integers that nlohmann stores
//     as int64 / uint64 are first converted to the nearest double, so 9007199254740993
//     canonicalizes as 9007199254740992, exactly as in JavaScript.
//
// Thread safety: all functions are pure and may be called concurrently.
#ifndef TRACEPORT_CODEC_JCS_H_
#define TRACEPORT_CODEC_JCS_H_

#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "codec/json.h"
#include "common/status.h"

namespace traceport::codec {

// The canonical form of `value`. Errors name the JSON Pointer of the offending value:
//   InvalidArgument   "jcs: number is not finite at /numbers/2"
//   InvalidArgument   "jcs: string is not valid UTF-8 (byte 4) at /name"  (also for member names)
//   InvalidArgument   "jcs: binary values have no JSON form at /x"
//   ResourceExhausted "jcs: nesting deeper than 1024 at /a/a/..."
Result<std::string> Canonicalize(const nlohmann::json& value);

// The canonical form of `object` (which must be an object) without its top-level member
// `member`, as if it had been erased from a copy: what a signature over "the document without
// its proof" covers, without copying the document.
//
// `known` names values inside `object` (objects, by address) whose canonical bytes the caller
// already has: they are copied where the value would have been written, so that a presentation
// whose credentials were canonicalized one by one is not canonicalized again. Each must be
// exactly Canonicalize of the value it names; nothing checks that.
struct KnownCanonical {
  const nlohmann::json* value = nullptr;
  std::string_view canonical;
};
Result<std::string> CanonicalizeWithout(const nlohmann::json& object, std::string_view member,
                                        std::span<const KnownCanonical> known = {});

// The canonical form of a whole object together with where one top-level member sits in it:
// removing bytes [cut_begin, cut_end) — the member and the comma that separated it from its
// neighbour — leaves exactly CanonicalizeWithout(object, member). Without that member the cut
// is empty. One pass serves both the document a Data Integrity proof signs (the secured
// document without "proof") and the digest of the whole secured document.
struct CanonicalWithMember {
  std::string canonical;
  size_t cut_begin = 0;
  size_t cut_end = 0;
  std::string Without() const;
};
Result<CanonicalWithMember> CanonicalizeSplit(const nlohmann::json& object,
                                              std::string_view member);

// ParseJson(json_text, limits) followed by Canonicalize: the strict parser's errors (duplicate
// names, lone surrogates, NaN, invalid UTF-8, trailing bytes, limits) come back unchanged.
Result<std::string> CanonicalizeText(std::string_view json_text, const JsonLimits& limits = {});

// ECMAScript Number.prototype.toString(value) (ECMA-262 Number::toString, radix 10): the
// shortest digits that round-trip, written as an integer below 1e21, as a decimal fraction
// down to 1e-6 and in exponent form ("1e+21", "9.999999999999997e-7") outside that range.
// -0 gives "0". NaN and the infinities give "NaN", "Infinity" and "-Infinity" as in
// JavaScript; they are not valid JSON, so Canonicalize rejects them before formatting.
std::string FormatEs6Number(double value);

}  // namespace traceport::codec

#endif  // TRACEPORT_CODEC_JCS_H_
