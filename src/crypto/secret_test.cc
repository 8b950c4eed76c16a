#include "crypto/secret.h"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

namespace traceport::crypto {
namespace {

std::vector<uint8_t> ToVector(const SecretBytes& s) {
  return std::vector<uint8_t>(s.span().begin(), s.span().end());
}

TEST(SecretBytesTest, SizedConstructorZeroFills) {
  SecretBytes s(5);
  EXPECT_EQ(s.size(), 5u);
  EXPECT_EQ(ToVector(s), std::vector<uint8_t>(5, 0));
}

TEST(SecretBytesTest, EmptyByDefault) {
  SecretBytes s;
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(s.data(), nullptr);
  EXPECT_TRUE(s.span().empty());
}

TEST(SecretBytesTest, CopiesInputBytes) {
  std::vector<uint8_t> in = {1, 2, 3};
  SecretBytes s(in);
  in[0] = 9;
  EXPECT_EQ(ToVector(s), (std::vector<uint8_t>{1, 2, 3}));
  EXPECT_EQ(ToVector(SecretBytes::FromString("hi")), (std::vector<uint8_t>{'h', 'i'}));
}

TEST(SecretBytesTest, MoveTransfersTheBufferAndEmptiesTheSource) {
  SecretBytes a(std::vector<uint8_t>{7, 8, 9});
  const uint8_t* buffer = a.data();
  SecretBytes b(std::move(a));
  EXPECT_EQ(b.data(), buffer);  // no copy was made that would need wiping
  EXPECT_TRUE(a.empty());       // NOLINT(bugprone-use-after-move): the contract under test
  EXPECT_EQ(a.data(), nullptr);

  SecretBytes c(std::vector<uint8_t>{1});
  c = std::move(b);
  EXPECT_EQ(c.data(), buffer);
  EXPECT_TRUE(b.empty());  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(ToVector(c), (std::vector<uint8_t>{7, 8, 9}));
}

TEST(SecretBytesTest, SelfMoveAssignmentKeepsTheBytes) {
  SecretBytes a(std::vector<uint8_t>{4, 5});
  SecretBytes& alias = a;
  a = std::move(alias);
  EXPECT_EQ(ToVector(a), (std::vector<uint8_t>{4, 5}));
}

TEST(SecretBytesTest, CloneIsIndependent) {
  SecretBytes a(std::vector<uint8_t>{1, 2});
  SecretBytes b = a.Clone();
  EXPECT_NE(a.data(), b.data());
  b.mutable_span()[0] = 42;
  EXPECT_EQ(ToVector(a), (std::vector<uint8_t>{1, 2}));
  EXPECT_EQ(ToVector(b), (std::vector<uint8_t>{42, 2}));
}

TEST(SecretBytesTest, ResetEmpties) {
  SecretBytes a(std::vector<uint8_t>{1, 2});
  a.Reset();
  EXPECT_TRUE(a.empty());
  EXPECT_EQ(a.data(), nullptr);
}

TEST(ConstantTimeEqualsTest, ComparesLengthAndContent) {
  const std::vector<uint8_t> a = {1, 2, 3}, b = {1, 2, 3}, c = {1, 2, 4}, d = {1, 2};
  EXPECT_TRUE(ConstantTimeEquals(a, b));
  EXPECT_FALSE(ConstantTimeEquals(a, c));
  EXPECT_FALSE(ConstantTimeEquals(a, d));
  EXPECT_TRUE(ConstantTimeEquals({}, {}));
  EXPECT_FALSE(ConstantTimeEquals(a, {}));
}

}  // namespace
}  // namespace traceport::crypto
