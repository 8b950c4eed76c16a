#include "net/internal/request_parser.h"

#include <fmt/format.h>

#include <algorithm>

namespace traceport::net::internal {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::optional<std::string_view> RequestHead::Header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (EqualsIgnoreCase(n, name)) return std::string_view(v);
  }
  return std::nullopt;
}

size_t RequestHead::HeaderCount(std::string_view name) const {
  return static_cast<size_t>(std::count_if(headers.begin(), headers.end(), [&](const auto& h) {
    return EqualsIgnoreCase(h.first, name);
  }));
}

RequestParser::RequestParser(Limits limits) : limits_(limits) { Reset(); }

void RequestParser::Reset() {
  http_parser_init(&parser_, HTTP_REQUEST);
  parser_.data = this;
  head_ = RequestHead{};
  body_.clear();
  error_.clear();
  head_bytes_ = 0;
  in_value_ = false;
  head_complete_ = false;
  complete_ = false;
}

size_t RequestParser::Feed(std::string_view bytes) {
  if (complete_ || failed() || bytes.empty()) return 0;
  static const http_parser_settings kSettings = [] {
    http_parser_settings s;
    http_parser_settings_init(&s);
    s.on_url = &RequestParser::OnUrl;
    s.on_header_field = &RequestParser::OnHeaderField;
    s.on_header_value = &RequestParser::OnHeaderValue;
    s.on_headers_complete = &RequestParser::OnHeadersComplete;
    s.on_body = &RequestParser::OnBody;
    s.on_message_complete = &RequestParser::OnMessageComplete;
    return s;
  }();
  size_t used = 0;
  while (used < bytes.size() && !complete_ && error_.empty()) {
    // While the head is incomplete, give the parser no more than the head may still take.
    size_t len = bytes.size() - used;
    const bool in_head = !head_complete_;
    if (in_head) len = std::min(len, limits_.max_head_bytes - head_bytes_);
    const size_t n = http_parser_execute(&parser_, &kSettings, bytes.data() + used, len);
    used += n;
    const http_errno err = HTTP_PARSER_ERRNO(&parser_);
    if (err != HPE_OK && err != HPE_PAUSED && error_.empty()) {
      error_ = fmt::format("malformed HTTP request: {} ({})", http_errno_description(err),
                           http_errno_name(err));
    }
    if (!error_.empty() || complete_) break;
    if (in_head && !head_complete_) {
      head_bytes_ += n;
      if (head_bytes_ >= limits_.max_head_bytes) {
        error_ = fmt::format("the request line and header fields exceed {} bytes",
                             limits_.max_head_bytes);
      }
      break;  // everything given was used, or the limit is reached
    }
    if (n < len) break;  // cannot happen without an error or the end of the request
  }
  return used;
}

int RequestParser::OnUrl(http_parser* p, const char* at, size_t n) {
  static_cast<RequestParser*>(p->data)->head_.target.append(at, n);
  return 0;
}

int RequestParser::OnHeaderField(http_parser* p, const char* at, size_t n) {
  auto* self = static_cast<RequestParser*>(p->data);
  if (self->in_value_ || self->head_.headers.empty()) {
    if (self->in_value_) self->EndHeaderValue();
    self->head_.headers.emplace_back();
    self->in_value_ = false;
  }
  self->head_.headers.back().first.append(at, n);
  return 0;
}

int RequestParser::OnHeaderValue(http_parser* p, const char* at, size_t n) {
  auto* self = static_cast<RequestParser*>(p->data);
  if (self->head_.headers.empty()) return 1;  // libhttp-parser gives a field name first
  self->in_value_ = true;
  self->head_.headers.back().second.append(at, n);
  return 0;
}

void RequestParser::EndHeaderValue() {
  std::string& v = head_.headers.back().second;
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.pop_back();
  size_t lead = 0;
  while (lead < v.size() && (v[lead] == ' ' || v[lead] == '\t')) ++lead;
  v.erase(0, lead);
}

int RequestParser::OnHeadersComplete(http_parser* p) {
  auto* self = static_cast<RequestParser*>(p->data);
  if (self->in_value_) self->EndHeaderValue();
  self->in_value_ = false;
  RequestHead& h = self->head_;
  h.method = http_method_str(static_cast<http_method>(p->method));
  h.version_major = p->http_major;
  h.version_minor = p->http_minor;
  if ((p->flags & F_CONTENTLENGTH) != 0) h.content_length = p->content_length;
  h.chunked = (p->flags & F_CHUNKED) != 0;
  h.upgrade = p->upgrade != 0 || h.HeaderCount("Upgrade") > 0;
  h.keep_alive = http_should_keep_alive(p) != 0;
  if (h.content_length && *h.content_length > self->limits_.max_body_bytes) {
    self->error_ = fmt::format("the request body exceeds {} bytes", self->limits_.max_body_bytes);
    return -1;  // stops the parse (0, 1 and 2 mean go on)
  }
  self->head_complete_ = true;
  return 0;
}

int RequestParser::OnBody(http_parser* p, const char* at, size_t n) {
  auto* self = static_cast<RequestParser*>(p->data);
  if (n > self->limits_.max_body_bytes - self->body_.size()) {
    self->error_ = fmt::format("the request body exceeds {} bytes", self->limits_.max_body_bytes);
    return 1;
  }
  self->body_.append(at, n);
  return 0;
}

int RequestParser::OnMessageComplete(http_parser* p) {
  auto* self = static_cast<RequestParser*>(p->data);
  self->complete_ = true;
  // Stop here: what follows is the next request's.
  http_parser_pause(p, 1);
  return 0;
}

}  // namespace traceport::net::internal
