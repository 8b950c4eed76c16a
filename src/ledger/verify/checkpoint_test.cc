#include "ledger/verify/checkpoint.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/testing/fake_random.h"
#include "ledger/verify/cosignature.h"

namespace traceport::ledger {
namespace {

// A root hash whose base64 is easy to write: 32 bytes of 0x01.
constexpr char kRootBase64[] = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";

Hash RootOf(uint8_t byte) {
  Hash h;
  h.fill(byte);
  return h;
}

NoteSigner TestSigner(std::string name, uint64_t seed) {
  testing::FakeRandom random(seed);
  return NoteSigner::Generate(std::move(name), random).value();
}

Cosigner TestCosigner(std::string name, uint64_t seed) {
  testing::FakeRandom random(seed);
  return Cosigner::Generate(std::move(name), random).value();
}

StatusCode ParseCode(std::string_view text) { return ParseCheckpoint(text).status().code(); }

TEST(ParseCheckpointTest, ParsesTheThreeLines) {
  auto c = ParseCheckpoint(std::string("example.com/log\n20852163\n") + kRootBase64 + "\n");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->origin, "example.com/log");
  EXPECT_EQ(c->size, 20852163u);
  EXPECT_EQ(c->root_hash, RootOf(1));
  EXPECT_TRUE(c->extensions.empty());
}

TEST(ParseCheckpointTest, ExtensionLinesAndUnusualOrigins) {
  auto c = ParseCheckpoint(std::string("origin with spaces + plus \xc3\xa9\n0\n") + kRootBase64 +
                           "\next one\n\xe2\x9c\x93\n");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->origin, "origin with spaces + plus \xc3\xa9");
  EXPECT_EQ(c->size, 0u);
  EXPECT_EQ(c->extensions, (std::vector<std::string>{"ext one", "\xe2\x9c\x93"}));
}

TEST(ParseCheckpointTest, SizeBounds) {
  auto max = ParseCheckpoint(std::string("o\n18446744073709551615\n") + kRootBase64 + "\n");
  ASSERT_TRUE(max.ok());
  EXPECT_EQ(max->size, UINT64_MAX);
  EXPECT_EQ(ParseCode(std::string("o\n18446744073709551616\n") + kRootBase64 + "\n"),
            StatusCode::kInvalidArgument);
}

TEST(ParseCheckpointTest, RejectsMalformedText) {
  const std::string root = kRootBase64;
  const struct {
    std::string text;
    const char* why;
  } cases[] = {
      {"", "empty"},
      {"o\n1\n", "two lines"},
      {"o\n1\n" + root, "no final newline"},
      {"\n1\n" + root + "\n", "empty origin"},
      {"o\n\n" + root + "\n", "empty size"},
      {"o\n1\n\n", "empty root"},
      {"o\n1\n" + root + "\n\n", "empty extension line"},
      {"o\n1\n" + root + "\next\n\n", "empty line after an extension"},
      {"o\n01\n" + root + "\n", "leading zero"},
      {"o\n00\n" + root + "\n", "zero with a leading zero"},
      {"o\n+1\n" + root + "\n", "plus sign"},
      {"o\n-1\n" + root + "\n", "minus sign"},
      {"o\n 1\n" + root + "\n", "leading space"},
      {"o\n1 \n" + root + "\n", "trailing space"},
      {"o\n0x10\n" + root + "\n", "hex size"},
      {"o\n1e3\n" + root + "\n", "exponent"},
      {"o\n99999999999999999999\n" + root + "\n", "size overflow"},
      {"o\n1\n" + root.substr(0, 43) + "\n", "unpadded root"},
      {"o\n1\nAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQ==\n", "31-byte root"},
      {"o\n1\nAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQ==\n", "34-byte root"},
      {"o\n1\nAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEB\n", "33-byte root"},
      {"o\n1\nAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQF=\n", "non-canonical root"},
      {"o\n1\nAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE_\n", "base64url root"},
      {"o\n1\n" + root + " \n", "space after root"},
      {"o\r\n1\r\n" + root + "\r\n", "CRLF"},
      {"o\t\n1\n" + root + "\n", "tab in origin"},
      {"o\xff\n1\n" + root + "\n", "invalid UTF-8 in origin"},
      {"o\n1\n" + root + "\next\x01\n", "control character in an extension"},
  };
  for (const auto& c : cases) EXPECT_EQ(ParseCode(c.text), StatusCode::kInvalidArgument) << c.why;
}

TEST(ParseCheckpointTest, SizeLimit) {
  const std::string head = std::string("o\n1\n") + kRootBase64 + "\n";
  std::string text = head + std::string(kMaxCheckpointSize - head.size() - 1, 'x') + "\n";
  ASSERT_EQ(text.size(), kMaxCheckpointSize);
  EXPECT_TRUE(ParseCheckpoint(text).ok());
  EXPECT_EQ(ParseCode("x" + text), StatusCode::kResourceExhausted);
}

TEST(FormatCheckpointTest, RoundTrips) {
  Checkpoint c{"example.com/log", 42, RootOf(1), {}};
  auto text = FormatCheckpoint(c);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, std::string("example.com/log\n42\n") + kRootBase64 + "\n");
  c.extensions = {"a", "b c"};
  text = FormatCheckpoint(c);
  ASSERT_TRUE(text.ok());
  auto parsed = ParseCheckpoint(*text);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, c);
}

TEST(FormatCheckpointTest, RejectsWhatWouldNotParseBack) {
  const Hash root = RootOf(1);
  EXPECT_EQ(FormatCheckpoint({"", 1, root, {}}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(FormatCheckpoint({"a\nb", 1, root, {}}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(FormatCheckpoint({"a\tb", 1, root, {}}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(FormatCheckpoint({"a", 1, root, {""}}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(FormatCheckpoint({"a", 1, root, {"x\ny"}}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(FormatCheckpoint({"a\xff", 1, root, {}}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(
      FormatCheckpoint({"a", 1, root, {std::string(kMaxCheckpointSize, 'x')}}).status().code(),
      StatusCode::kResourceExhausted);
}

class OpenCheckpointTest : public ::testing::Test {
 protected:
  const NoteSigner log_ = TestSigner("example.com/log", 1);
  const NoteVerifier log_verifier_ = log_.Verifier();
  const Cosigner witness_ = TestCosigner("witness.example/w1", 2);
  const CosignatureVerifier witness_verifier_ = witness_.Verifier();
  const Checkpoint checkpoint_{"example.com/log", 7, RootOf(9), {}};
};

TEST_F(OpenCheckpointTest, LogSignedCheckpointOpens) {
  auto signed_checkpoint = SignCheckpoint(checkpoint_, log_);
  ASSERT_TRUE(signed_checkpoint.ok());
  auto opened = OpenCheckpoint(*signed_checkpoint, "example.com/log", log_verifier_);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(opened->checkpoint, checkpoint_);
  EXPECT_EQ(opened->text, FormatCheckpoint(checkpoint_).value());
  EXPECT_TRUE(opened->cosignatures.empty());
}

TEST_F(OpenCheckpointTest, ReportsTrustedCosignaturesWithTimestamps) {
  const std::string text = FormatCheckpoint(checkpoint_).value();
  const Cosigner stranger = TestCosigner("stranger.example", 3);
  const std::string note =
      AddSignatures(SignCheckpoint(checkpoint_, log_).value(),
                    {witness_.Sign(text, 1700000000).value(), stranger.Sign(text, 5).value()})
          .value();
  auto opened = OpenCheckpoint(note, "example.com/log", log_verifier_, {&witness_verifier_});
  ASSERT_TRUE(opened.ok()) << opened.status();
  ASSERT_EQ(opened->cosignatures.size(), 1u);
  EXPECT_EQ(opened->cosignatures[0].verifier, &witness_verifier_);
  EXPECT_EQ(opened->cosignatures[0].timestamp, 1700000000u);
}

TEST_F(OpenCheckpointTest, WrongOriginIsNotFound) {
  const std::string note = SignCheckpoint(checkpoint_, log_).value();
  auto opened = OpenCheckpoint(note, "example.com/other", log_verifier_);
  EXPECT_EQ(opened.status().code(), StatusCode::kNotFound);
  EXPECT_NE(opened.status().message().find("example.com/other"), std::string_view::npos);
}

TEST_F(OpenCheckpointTest, OnlyTheLogKeyCountsAsTheLog) {
  const std::string text = FormatCheckpoint(checkpoint_).value();
  // Signed by a witness only: the note opens for the witness but not as the log's checkpoint.
  const std::string witnessed = FormatNote(Note{text, {witness_.Sign(text, 1).value()}}).value();
  EXPECT_EQ(OpenCheckpoint(witnessed, "example.com/log", log_verifier_, {&witness_verifier_})
                .status()
                .code(),
            StatusCode::kUnauthenticated);
  // Signed by another key that uses the log's name.
  const NoteSigner impostor = TestSigner("example.com/log", 4);
  EXPECT_EQ(OpenCheckpoint(SignCheckpoint(checkpoint_, impostor).value(), "example.com/log",
                           log_verifier_)
                .status()
                .code(),
            StatusCode::kUnauthenticated);
}

TEST_F(OpenCheckpointTest, TamperingIsPermissionDenied) {
  const std::string note = SignCheckpoint(checkpoint_, log_).value();
  std::string tampered = note;
  tampered.replace(tampered.find("\n7\n"), 3, "\n8\n");
  EXPECT_EQ(OpenCheckpoint(tampered, "example.com/log", log_verifier_).status().code(),
            StatusCode::kPermissionDenied);
  // A bad cosignature from a trusted witness also rejects the checkpoint.
  const std::string text = FormatCheckpoint(checkpoint_).value();
  NoteSignature cosig = witness_.Sign(text, 10).value();
  cosig.signature[20] ^= 4;
  const std::string bad = AddSignatures(note, {cosig}).value();
  EXPECT_TRUE(OpenCheckpoint(bad, "example.com/log", log_verifier_).ok());
  EXPECT_EQ(
      OpenCheckpoint(bad, "example.com/log", log_verifier_, {&witness_verifier_}).status().code(),
      StatusCode::kPermissionDenied);
}

TEST_F(OpenCheckpointTest, MalformedIsInvalidArgument) {
  // A signed note whose text is not a checkpoint.
  const std::string note = SignNote("just text\n", {&log_}).value();
  EXPECT_EQ(OpenCheckpoint(note, "just text", log_verifier_).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenCheckpoint("garbage", "example.com/log", log_verifier_).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace traceport::ledger
