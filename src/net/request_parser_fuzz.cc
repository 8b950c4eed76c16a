// libFuzzer target: the HTTP/1.x request parser the plain-HTTP connection loop reads requests
// with (net/internal/request_parser.h), on arbitrary bytes.
//
// The first input byte picks how the rest is split into pieces (as a socket might deliver it);
// the same bytes are also parsed whole. Invariants checked (a violation traps):
//   - Feed never uses more than it was given, and nothing after the request is complete or the
//     parse has failed;
//   - split or whole, the outcome is the same: failed or not, complete or not, and for a
//     complete request the same method, target, header fields and body;
//   - the head and the body stay within the limits; an error message is printable ASCII.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "net/internal/request_parser.h"

namespace {

using traceport::net::internal::RequestParser;

constexpr RequestParser::Limits kLimits{512, 256};

size_t FeedAll(RequestParser& p, std::string_view in, size_t piece) {
  size_t used = 0;
  while (used < in.size()) {
    const std::string_view part = in.substr(used, piece);
    const size_t n = p.Feed(part);
    if (n > part.size()) __builtin_trap();
    used += n;
    if (p.complete() || p.failed()) {
      if (p.Feed(in.substr(used)) != 0) __builtin_trap();
      break;
    }
    if (n < part.size()) __builtin_trap();  // neither complete nor failed: all must be used
  }
  return used;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t piece = 1 + data[0] % 17;
  const std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);

  RequestParser whole(kLimits), split(kLimits);
  const size_t used_whole = FeedAll(whole, in, in.size() + 1);
  const size_t used_split = FeedAll(split, in, piece);
  if (whole.failed() != split.failed() || whole.complete() != split.complete()) __builtin_trap();
  for (const RequestParser* p : {&whole, &split}) {
    for (char c : p->error()) {
      if (c < 0x20 || c > 0x7e) __builtin_trap();
    }
    if (p->body().size() > kLimits.max_body_bytes) __builtin_trap();
  }
  if (whole.complete()) {
    if (used_whole != used_split) __builtin_trap();
    const auto& a = whole.head();
    const auto& b = split.head();
    if (a.method != b.method || a.target != b.target || a.headers != b.headers ||
        a.keep_alive != b.keep_alive || a.content_length != b.content_length) {
      __builtin_trap();
    }
    if (whole.body() != split.body()) __builtin_trap();
    if (a.target.size() > kLimits.max_head_bytes) __builtin_trap();
  }
  return 0;
}
