#include "crypto/x25519.h"

#include <gtest/gtest.h>

namespace traceport::crypto {
namespace {

// did:key vector for the all-zero seed: Ed25519 3b6a27bc... maps to X25519 5bf55c73...
// (w3c-ccg/did-method-key test vectors, cross-checked with the birational map).
TEST(X25519Test, ConvertsKnownKey) {
  std::vector<uint8_t> seed(32, 0);
  auto pk = Ed25519PublicKey::FromSeed(seed);
  ASSERT_TRUE(pk.ok());
  auto x = X25519FromEd25519(*pk);
  ASSERT_TRUE(x.ok());
  std::string hex;
  for (uint8_t b : *x) {
    static const char* kHex = "0123456789abcdef";
    hex += kHex[b >> 4];
    hex += kHex[b & 15];
  }
  EXPECT_EQ(hex, "5bf55c73b82ebe22be80f3430667af570fae2556a6415e6b30d4065300aa947d");
}

}  // namespace
}  // namespace traceport::crypto
