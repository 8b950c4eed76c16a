#include "crypto/secret.h"

#include <sodium.h>

#include <cstring>
#include <utility>

namespace traceport::crypto {

SecretBytes::SecretBytes(size_t size) : data_(size ? new uint8_t[size]() : nullptr), size_(size) {}

SecretBytes::SecretBytes(std::span<const uint8_t> bytes) : SecretBytes(bytes.size()) {
  if (!bytes.empty()) std::memcpy(data_.get(), bytes.data(), bytes.size());
}

SecretBytes SecretBytes::FromString(std::string_view text) {
  return SecretBytes(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

SecretBytes::SecretBytes(SecretBytes&& other) noexcept
    : data_(std::move(other.data_)), size_(std::exchange(other.size_, 0)) {}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    Reset();
    data_ = std::move(other.data_);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

SecretBytes SecretBytes::Clone() const { return SecretBytes(span()); }

void SecretBytes::Reset() {
  if (data_ != nullptr) sodium_memzero(data_.get(), size_);
  data_.reset();
  size_ = 0;
}

bool ConstantTimeEquals(std::span<const uint8_t> a, std::span<const uint8_t> b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  // sodium_memcmp runs in time that depends only on the length.
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace traceport::crypto
