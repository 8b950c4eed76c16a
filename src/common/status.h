// Status and Result<T>: how every fallible call in Traceport reports failure.
//
// A Status is either OK or carries a canonical code (the gRPC / Abseil set) and a message that
// names what was wrong and, for parsers, where. Result<T> holds either a value or a non-OK
// Status. Both are cheap to move, [[nodiscard]], and thread-compatible (const methods may be
// called concurrently; mutation needs external synchronisation).
#ifndef TRACEPORT_COMMON_STATUS_H_
#define TRACEPORT_COMMON_STATUS_H_

#include <cassert>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

namespace traceport {

// Canonical error codes. Numeric values match google.rpc.Code so they can cross process
// boundaries unchanged.
enum class StatusCode : int {
  kOk = 0,
  kCancelled = 1,
  kUnknown = 2,
  kInvalidArgument = 3,  // malformed input: bad encoding, bad JSON, bad signature format
  kDeadlineExceeded = 4,
  kNotFound = 5,
  kAlreadyExists = 6,
  kPermissionDenied = 7,   // authenticated but not allowed; also a signature that fails
  kResourceExhausted = 8,  // limits: sizes, depths, queues
  kFailedPrecondition = 9,
  kAborted = 10,
  kOutOfRange = 11,
  kUnimplemented = 12,  // valid input that this build does not support (e.g. an unknown alg)
  kInternal = 13,
  kUnavailable = 14,
  kDataLoss = 15,  // corruption or tampering detected in stored or signed data
  kUnauthenticated = 16,
};

// Returns the canonical name, e.g. "INVALID_ARGUMENT".
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  // OK.
  Status() = default;
  // A non-OK status; `code` must not be kOk (an OK code with a message is turned into kUnknown
  // so that a message is never silently dropped).
  Status(StatusCode code, std::string message);

  static Status Ok() { return Status(); }

  bool ok() const { return rep_ == nullptr; }
  StatusCode code() const { return rep_ ? rep_->code : StatusCode::kOk; }
  std::string_view message() const { return rep_ ? std::string_view(rep_->message) : ""; }

  // "INVALID_ARGUMENT: message", or "OK".
  std::string ToString() const;

  // Returns a copy whose message is "<context>: <message>". OK stays OK.
  Status WithContext(std::string_view context) const;

  friend bool operator==(const Status& a, const Status& b) {
    return a.code() == b.code() && a.message() == b.message();
  }

 private:
  struct Rep {
    StatusCode code;
    std::string message;
  };
  std::shared_ptr<const Rep> rep_;
};

// Lets GoogleTest and logs print a Status.
inline std::ostream& operator<<(std::ostream& os, const Status& s) { return os << s.ToString(); }

// Constructors for each code, e.g. InvalidArgumentError("base58: invalid character at 3").
Status CancelledError(std::string message);
Status UnknownError(std::string message);
Status InvalidArgumentError(std::string message);
Status DeadlineExceededError(std::string message);
Status NotFoundError(std::string message);
Status AlreadyExistsError(std::string message);
Status PermissionDeniedError(std::string message);
Status ResourceExhaustedError(std::string message);
Status FailedPreconditionError(std::string message);
Status AbortedError(std::string message);
Status OutOfRangeError(std::string message);
Status UnimplementedError(std::string message);
Status InternalError(std::string message);
Status UnavailableError(std::string message);
Status DataLossError(std::string message);
Status UnauthenticatedError(std::string message);

// Result<T>: a value or an error. Accessing value() of an error is a programming bug and
// aborts; untrusted input must never reach that path (check ok() first).
template <typename T>
class [[nodiscard]] Result {
  static_assert(!std::is_same_v<std::decay_t<T>, Status>, "Result<Status> is not allowed");

 public:
  // NOLINTNEXTLINE(google-explicit-constructor): implicit by design, as with absl::StatusOr.
  Result(const T& value) : v_(std::in_place_index<1>, value) {}
  // NOLINTNEXTLINE(google-explicit-constructor)
  Result(T&& value) : v_(std::in_place_index<1>, std::move(value)) {}
  template <typename U,
            typename = std::enable_if_t<
                std::is_constructible_v<T, U&&> && !std::is_same_v<std::decay_t<U>, Result> &&
                !std::is_same_v<std::decay_t<U>, Status> && !std::is_same_v<std::decay_t<U>, T>>>
  // NOLINTNEXTLINE(google-explicit-constructor)
  Result(U&& value) : v_(std::in_place_index<1>, T(std::forward<U>(value))) {}
  // NOLINTNEXTLINE(google-explicit-constructor)
  Result(Status status) : v_(std::in_place_index<0>, std::move(status)) {
    if (std::get<0>(v_).ok()) {
      v_.template emplace<0>(StatusCode::kInternal, "Result constructed from OK status");
    }
  }

  bool ok() const { return v_.index() == 1; }
  // OK when a value is held.
  Status status() const { return ok() ? Status() : std::get<0>(v_); }

  const T& value() const& {
    CheckOk();
    return std::get<1>(v_);
  }
  T& value() & {
    CheckOk();
    return std::get<1>(v_);
  }
  T&& value() && {
    CheckOk();
    return std::get<1>(std::move(v_));
  }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  template <typename U>
  T value_or(U&& fallback) const& {
    return ok() ? std::get<1>(v_) : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  void CheckOk() const;
  std::variant<Status, T> v_;
};

namespace internal_status {
[[noreturn]] void DieBecauseNotOk(const Status& s);
}  // namespace internal_status

template <typename T>
void Result<T>::CheckOk() const {
  if (!ok()) internal_status::DieBecauseNotOk(std::get<0>(v_));
}

}  // namespace traceport

#define TRACEPORT_STATUS_CONCAT_INNER_(a, b) a##b
#define TRACEPORT_STATUS_CONCAT_(a, b) TRACEPORT_STATUS_CONCAT_INNER_(a, b)

// Evaluates `expr` (a Status); returns it from the enclosing function when not OK. The local
// gets a unique name so that `expr` may itself contain a lambda that uses the macro.
#define RETURN_IF_ERROR(expr) \
  TRACEPORT_RETURN_IF_ERROR_IMPL_(TRACEPORT_STATUS_CONCAT_(traceport_status_, __COUNTER__), expr)
#define TRACEPORT_RETURN_IF_ERROR_IMPL_(name, expr) \
  do {                                              \
    ::traceport::Status name = (expr);              \
    if (!name.ok()) return name;                    \
  } while (0)

// ASSIGN_OR_RETURN(lhs, rexpr): evaluates `rexpr` (a Result<T>); on error returns its Status,
// otherwise moves the value into `lhs` (which may be a declaration, e.g. `auto x`).
#define ASSIGN_OR_RETURN(lhs, rexpr)                                                           \
  TRACEPORT_ASSIGN_OR_RETURN_IMPL_(TRACEPORT_STATUS_CONCAT_(traceport_result_, __LINE__), lhs, \
                                   rexpr)

#define TRACEPORT_ASSIGN_OR_RETURN_IMPL_(result, lhs, rexpr) \
  auto result = (rexpr);                                     \
  if (!result.ok()) return result.status();                  \
  lhs = std::move(result).value()

#endif  // TRACEPORT_COMMON_STATUS_H_
