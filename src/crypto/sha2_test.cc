#include "crypto/sha2.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "crypto/internal/hex_test_util.h"

namespace traceport::crypto {
namespace {

using internal::Hex;
using internal::ToHex;

// FIPS 180-4 example messages (one block, two blocks, empty) and the one-million-'a' message.
TEST(Sha256Test, KnownAnswers) {
  EXPECT_EQ(ToHex(Sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(ToHex(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(ToHex(Sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(ToHex(Sha256(std::string(1000000, 'a'))),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha384Test, KnownAnswers) {
  EXPECT_EQ(ToHex(Sha384("")),
            "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad"
            "2f14898b95b");
  EXPECT_EQ(ToHex(Sha384("abc")),
            "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358bae"
            "ca134c825a7");
  EXPECT_EQ(ToHex(Sha384("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnop"
                         "jklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu")),
            "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e"
            "9fa91746039");
}

TEST(Sha256Test, SpanAndStringOverloadsAgree) {
  const std::vector<uint8_t> bytes = {'a', 'b', 'c'};
  EXPECT_EQ(Sha256(bytes), Sha256("abc"));
  EXPECT_EQ(Sha384(bytes), Sha384("abc"));
}

// Property: feeding the same bytes in random pieces gives the one-shot digest, for every length
// around the block boundaries of both functions.
template <typename Hasher, typename OneShot>
void CheckIncrementalMatchesOneShot(OneShot one_shot) {
  std::mt19937 rng(12345);
  for (size_t len = 0; len <= 300; ++len) {
    std::vector<uint8_t> data(len);
    for (auto& b : data) b = static_cast<uint8_t>(rng());
    Hasher hasher;
    size_t pos = 0;
    while (pos < len) {
      const size_t piece = std::min<size_t>(len - pos, rng() % 70);
      hasher.Update(std::span<const uint8_t>(data).subspan(pos, piece));
      pos += piece;
    }
    ASSERT_EQ(hasher.Finish(), one_shot(data)) << "length " << len;
  }
}

TEST(Sha256HasherTest, IncrementalMatchesOneShot) {
  CheckIncrementalMatchesOneShot<Sha256Hasher>(
      [](const std::vector<uint8_t>& d) { return Sha256(d); });
}

TEST(Sha384HasherTest, IncrementalMatchesOneShot) {
  CheckIncrementalMatchesOneShot<Sha384Hasher>(
      [](const std::vector<uint8_t>& d) { return Sha384(d); });
}

TEST(Sha256HasherTest, FinishStartsOver) {
  Sha256Hasher hasher;
  hasher.Update("ab");
  hasher.Update("c");
  EXPECT_EQ(hasher.Finish(), Sha256("abc"));
  EXPECT_EQ(hasher.Finish(), Sha256(""));
  hasher.Update("abc");
  EXPECT_EQ(hasher.Finish(), Sha256("abc"));
}

TEST(Sha384HasherTest, CopyForksTheState) {
  Sha384Hasher prefix;
  prefix.Update("ab");
  Sha384Hasher fork = prefix;
  prefix.Update("c");
  fork.Update("d");
  EXPECT_EQ(prefix.Finish(), Sha384("abc"));
  EXPECT_EQ(fork.Finish(), Sha384("abd"));
}

// The ledger's Merkle node: SHA-256(0x01 ‖ left ‖ right) over a 65-byte buffer (RFC 9162).
TEST(Sha256Test, MerkleNodeFromHasherAndOneShotAgree) {
  const auto left = Sha256("left"), right = Sha256("right");
  std::vector<uint8_t> node = {0x01};
  node.insert(node.end(), left.begin(), left.end());
  node.insert(node.end(), right.begin(), right.end());
  Sha256Hasher hasher;
  hasher.Update(Hex("01"));
  hasher.Update(left);
  hasher.Update(right);
  EXPECT_EQ(Sha256(node), hasher.Finish());
}

}  // namespace
}  // namespace traceport::crypto
