#include "crypto/random.h"

#include <sodium.h>

#include "crypto/internal/sodium.h"

namespace traceport::crypto {

Csprng::Csprng() { internal::EnsureSodiumInitialized(); }

void Csprng::Fill(std::span<uint8_t> out) {
  if (!out.empty()) randombytes_buf(out.data(), out.size());
}

Csprng& DefaultCsprng() {
  static Csprng* const csprng = new Csprng();
  return *csprng;
}

std::vector<uint8_t> RandomBytes(size_t n) {
  std::vector<uint8_t> out(n);
  DefaultCsprng().Fill(out);
  return out;
}

}  // namespace traceport::crypto
