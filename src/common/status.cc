#include "common/status.h"

#include <cstdio>
#include <cstdlib>

namespace traceport {

std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "OK";
    case StatusCode::kCancelled:
      return "CANCELLED";
    case StatusCode::kUnknown:
      return "UNKNOWN";
    case StatusCode::kInvalidArgument:
      return "INVALID_ARGUMENT";
    case StatusCode::kDeadlineExceeded:
      return "DEADLINE_EXCEEDED";
    case StatusCode::kNotFound:
      return "NOT_FOUND";
    case StatusCode::kAlreadyExists:
      return "ALREADY_EXISTS";
    case StatusCode::kPermissionDenied:
      return "PERMISSION_DENIED";
    case StatusCode::kResourceExhausted:
      return "RESOURCE_EXHAUSTED";
    case StatusCode::kFailedPrecondition:
      return "FAILED_PRECONDITION";
    case StatusCode::kAborted:
      return "ABORTED";
    case StatusCode::kOutOfRange:
      return "OUT_OF_RANGE";
    case StatusCode::kUnimplemented:
      return "UNIMPLEMENTED";
    case StatusCode::kInternal:
      return "INTERNAL";
    case StatusCode::kUnavailable:
      return "UNAVAILABLE";
    case StatusCode::kDataLoss:
      return "DATA_LOSS";
    case StatusCode::kUnauthenticated:
      return "UNAUTHENTICATED";
  }
  return "UNKNOWN";
}

Status::Status(StatusCode code, std::string message) {
  if (code == StatusCode::kOk) {
    if (message.empty()) return;
    code = StatusCode::kUnknown;
  }
  rep_ = std::make_shared<const Rep>(Rep{code, std::move(message)});
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out(StatusCodeName(code()));
  if (!rep_->message.empty()) {
    out += ": ";
    out += rep_->message;
  }
  return out;
}

Status Status::WithContext(std::string_view context) const {
  if (ok()) return *this;
  std::string msg(context);
  msg += ": ";
  msg += rep_->message;
  return Status(code(), std::move(msg));
}

#define TRACEPORT_DEFINE_ERROR_(Name, Code) \
  Status Name(std::string message) { return Status(StatusCode::Code, std::move(message)); }
TRACEPORT_DEFINE_ERROR_(CancelledError, kCancelled)
TRACEPORT_DEFINE_ERROR_(UnknownError, kUnknown)
TRACEPORT_DEFINE_ERROR_(InvalidArgumentError, kInvalidArgument)
TRACEPORT_DEFINE_ERROR_(DeadlineExceededError, kDeadlineExceeded)
TRACEPORT_DEFINE_ERROR_(NotFoundError, kNotFound)
TRACEPORT_DEFINE_ERROR_(AlreadyExistsError, kAlreadyExists)
TRACEPORT_DEFINE_ERROR_(PermissionDeniedError, kPermissionDenied)
TRACEPORT_DEFINE_ERROR_(ResourceExhaustedError, kResourceExhausted)
TRACEPORT_DEFINE_ERROR_(FailedPreconditionError, kFailedPrecondition)
TRACEPORT_DEFINE_ERROR_(AbortedError, kAborted)
TRACEPORT_DEFINE_ERROR_(OutOfRangeError, kOutOfRange)
TRACEPORT_DEFINE_ERROR_(UnimplementedError, kUnimplemented)
TRACEPORT_DEFINE_ERROR_(InternalError, kInternal)
TRACEPORT_DEFINE_ERROR_(UnavailableError, kUnavailable)
TRACEPORT_DEFINE_ERROR_(DataLossError, kDataLoss)
TRACEPORT_DEFINE_ERROR_(UnauthenticatedError, kUnauthenticated)
#undef TRACEPORT_DEFINE_ERROR_

namespace internal_status {
void DieBecauseNotOk(const Status& s) {
  std::fprintf(stderr, "traceport: value() called on an error Result: %s\n", s.ToString().c_str());
  std::abort();
}
}  // namespace internal_status

}  // namespace traceport
