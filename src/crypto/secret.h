// SecretBytes: an owning byte buffer for key material that wipes itself.
//
// The bytes live in one heap allocation that is overwritten with zeros (through a call the
// compiler cannot elide) when the object is destroyed, reset or assigned over. Moving transfers
// the allocation, so a moved-from SecretBytes is empty and no copy of the bytes stays behind.
// Copies are never implicit: call Clone() when a second owner is really needed.
//
// What this does not do: lock pages in RAM or guard them (the kernel may still swap them out),
// or wipe copies the caller makes through data() / span().
//
// Thread safety: like std::vector — const methods may be called concurrently; mutation needs
// external synchronisation.
#ifndef TRACEPORT_CRYPTO_SECRET_H_
#define TRACEPORT_CRYPTO_SECRET_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

namespace traceport::crypto {

class SecretBytes {
 public:
  // Empty.
  SecretBytes() = default;
  // `size` zero bytes, to be filled through mutable_span().
  explicit SecretBytes(size_t size);
  // A copy of `bytes`. The caller remains responsible for wiping its own copy.
  explicit SecretBytes(std::span<const uint8_t> bytes);
  // A copy of the bytes of `text` (e.g. a password). Same caveat as above.
  static SecretBytes FromString(std::string_view text);

  ~SecretBytes() { Reset(); }
  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;

  // An independent copy with its own allocation.
  SecretBytes Clone() const;

  // Wipes and frees the bytes; the object becomes empty.
  void Reset();

  const uint8_t* data() const { return data_.get(); }
  uint8_t* data() { return data_.get(); }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::span<const uint8_t> span() const { return {data_.get(), size_}; }
  std::span<uint8_t> mutable_span() { return {data_.get(), size_}; }

 private:
  std::unique_ptr<uint8_t[]> data_;
  size_t size_ = 0;
};

// True when `a` and `b` have the same length and the same bytes. For equal lengths the time
// taken does not depend on the contents (lengths are treated as public). Use it for MAC tags,
// key-confirmation values and any comparison where one side is secret.
bool ConstantTimeEquals(std::span<const uint8_t> a, std::span<const uint8_t> b);

}  // namespace traceport::crypto

#endif  // TRACEPORT_CRYPTO_SECRET_H_
