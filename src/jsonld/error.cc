#include "jsonld/error.h"

#include <string>

namespace traceport::jsonld {

Status JsonLdError(std::string_view code, std::string_view detail) {
  std::string message(code);
  message += ": ";
  message += detail;
  return Status(StatusCode::kInvalidArgument, std::move(message));
}

Status JsonLdLimitError(std::string_view code, std::string_view detail) {
  std::string message(code);
  message += ": ";
  message += detail;
  return Status(StatusCode::kResourceExhausted, std::move(message));
}

std::string_view JsonLdErrorCode(const Status& status) {
  if (status.ok()) return {};
  const std::string_view m = status.message();
  const auto colon = m.find(": ");
  if (colon == std::string_view::npos) return {};
  return m.substr(0, colon);
}

}  // namespace traceport::jsonld
