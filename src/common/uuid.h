// RFC 9562 UUIDs, version 4 (random). Credential and presentation ids in the traceability
// profile are "urn:uuid:" + a v4 UUID.
#ifndef TRACEPORT_COMMON_UUID_H_
#define TRACEPORT_COMMON_UUID_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/random.h"
#include "common/status.h"

namespace traceport {

class Uuid {
 public:
  // A new version-4 UUID from `random` (122 random bits).
  static Uuid NewV4(RandomSource& random);

  // Parses the 36-character hyphenated form, case-insensitive. Any version is accepted.
  static Result<Uuid> Parse(std::string_view text);

  // Lowercase hyphenated form, e.g. "7c9e6679-7425-40de-944b-e07fc1f90ae7".
  std::string ToString() const;
  int version() const { return bytes_[6] >> 4; }
  // True for the RFC 9562 variant (bits 10xx).
  bool is_rfc_variant() const { return (bytes_[8] & 0xC0) == 0x80; }
  const std::array<uint8_t, 16>& bytes() const { return bytes_; }

  friend bool operator==(const Uuid&, const Uuid&) = default;

 private:
  std::array<uint8_t, 16> bytes_{};
};

}  // namespace traceport

#endif  // TRACEPORT_COMMON_UUID_H_
