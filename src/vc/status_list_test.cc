#include "vc/status_list.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "codec/base64.h"
#include "common/testing/fake_random.h"

namespace traceport::vc {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

BitstringOptions Small(uint64_t min_entries = 8) {
  BitstringOptions o;
  o.min_entries = min_entries;
  return o;
}

Time At(std::string_view text) { return ParseRfc3339(text).value(); }

// Independent decoder for the tests: zlib's own gunzip, not the code under test.
std::vector<uint8_t> ZlibGunzip(const std::vector<uint8_t>& in) {
  z_stream zs{};
  EXPECT_EQ(inflateInit2(&zs, 31), Z_OK);
  std::vector<uint8_t> out(1 << 20);
  zs.next_in = const_cast<Bytef*>(in.data());
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = out.data();
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  inflateEnd(&zs);
  return out;
}

std::vector<uint8_t> ZlibGzip(const std::vector<uint8_t>& in, int window_bits = 31) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, 9, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::vector<uint8_t> out(deflateBound(&zs, in.size()));
  zs.next_in = const_cast<Bytef*>(in.data());
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = out.data();
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::string U(const std::vector<uint8_t>& compressed) {
  return "u" + codec::Base64UrlEncode(compressed);
}

// ----- Bitstring ---------------------------------------------------------------------------

TEST(BitstringTest, BitZeroIsTheMostSignificantBitOfByteZero) {
  auto list = Bitstring::Create(kMinStatusListEntries);
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_EQ(list->bytes().size(), 16384u);
  for (uint64_t i : {0u, 7u, 8u, 131071u}) ASSERT_TRUE(list->Set(i, 1).ok());
  std::vector<uint8_t> expected(16384, 0);
  expected[0] = 0x81;
  expected[1] = 0x80;
  expected[16383] = 0x01;
  EXPECT_EQ(list->bytes(), expected);
  ASSERT_TRUE(list->Set(1, 1).ok());
  EXPECT_EQ(list->bytes()[0], 0xc1);
  ASSERT_TRUE(list->Set(7, 0).ok());
  EXPECT_EQ(list->bytes()[0], 0xc0);
  EXPECT_EQ(*list->Get(0), 1u);
  EXPECT_EQ(*list->Get(2), 0u);
  EXPECT_EQ(*list->Get(131071), 1u);
}

// Produced by Python's gzip module (an independent GZIP writer) from bits 0, 1, 7, 8, 131071.
constexpr std::string_view kPythonBits0_1_7_8_131071 =
    "uH4sIAAAAAAAAA-3BMQEAAAgDINfcajYzxh7gdgAAAAAAAAAAAAAAAAAAAICuPMhyIvAAQAAA";
// statusSize 2, entry 0 = 3, entry 5 = 1, entry 131071 = 2 (Python gzip, level 9).
constexpr std::string_view kPythonSize2 =
    "uH4sIAAAAAAACA-3BAQ0AAAgDIPcE9k9jNIMcuB0AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAaJcHzKZOSwCA"
    "AAA";

TEST(BitstringTest, DecodesAnIndependentlyWrittenVector) {
  auto list = Bitstring::Decode(kPythonBits0_1_7_8_131071);
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_EQ(list->size(), 131072u);
  EXPECT_EQ(list->bytes()[0], 0xc1);
  EXPECT_EQ(list->bytes()[1], 0x80);
  EXPECT_EQ(list->bytes()[16383], 0x01);
  std::set<uint64_t> set_bits;
  for (uint64_t i = 0; i < list->size(); ++i) {
    if (*list->Get(i) != 0) set_bits.insert(i);
  }
  EXPECT_EQ(set_bits, (std::set<uint64_t>{0, 1, 7, 8, 131071}));
}

TEST(BitstringTest, DecodesStatusSize2AcrossTheList) {
  auto list = Bitstring::Decode(kPythonSize2, 2);
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_EQ(list->size(), 131072u);
  EXPECT_EQ(list->bytes().size(), 32768u);
  EXPECT_EQ(*list->Get(0), 3u);
  EXPECT_EQ(*list->Get(5), 1u);
  EXPECT_EQ(*list->Get(131071), 2u);
  EXPECT_EQ(*list->Get(1), 0u);
  // Read as 1-bit entries the same bytes are a longer list.
  auto as_bits = Bitstring::Decode(kPythonSize2, 1);
  ASSERT_TRUE(as_bits.ok());
  EXPECT_EQ(as_bits->size(), 262144u);
}

TEST(BitstringTest, EncodeIsRealGzipAndRoundTrips) {
  auto list = Bitstring::Create(kMinStatusListEntries);
  ASSERT_TRUE(list.ok());
  for (uint64_t i : {0u, 1u, 7u, 8u, 4242u, 131071u}) ASSERT_TRUE(list->Set(i, 1).ok());
  auto text = list->Encode();
  ASSERT_TRUE(text.ok()) << text.status();
  ASSERT_EQ((*text)[0], 'u');
  auto compressed = codec::Base64UrlDecode(std::string_view(*text).substr(1));
  ASSERT_TRUE(compressed.ok());
  // RFC 1952 header: ID1 ID2 CM=deflate, no flags.
  ASSERT_GE(compressed->size(), 18u);
  EXPECT_EQ((*compressed)[0], 0x1f);
  EXPECT_EQ((*compressed)[1], 0x8b);
  EXPECT_EQ((*compressed)[2], 0x08);
  EXPECT_EQ(ZlibGunzip(*compressed), list->bytes());
  EXPECT_LT(text->size(), 200u);  // a sparse list compresses to almost nothing

  auto back = Bitstring::Decode(*text);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, *list);
  auto again = back->Encode();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *text);  // deterministic
}

TEST(BitstringTest, LegacyBase64UrlFormat) {
  auto list = Bitstring::Create(kMinStatusListEntries);
  ASSERT_TRUE(list.ok());
  ASSERT_TRUE(list->Set(99, 1).ok());
  auto raw = list->Encode(EncodedListFormat::kBase64Url);
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw->substr(0, 4), "H4sI");
  auto a = Bitstring::Decode(*raw, 1, EncodedListFormat::kBase64Url);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(*a, *list);
  auto b = Bitstring::Decode("u" + *raw, 1, EncodedListFormat::kBase64Url);
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(*b, *list);
  // v1.0 requires the multibase prefix.
  auto c = Bitstring::Decode(*raw, 1, EncodedListFormat::kMultibase);
  EXPECT_EQ(c.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(c.status().message()), HasSubstr("prefix 'u'"));
}

TEST(BitstringTest, MultiBitPackingAcrossByteBoundaries) {
  auto two = Bitstring::Create(16, 2, Small());
  ASSERT_TRUE(two.ok()) << two.status();
  EXPECT_EQ(two->bytes().size(), 4u);
  EXPECT_EQ(two->max_value(), 3u);
  ASSERT_TRUE(two->Set(0, 3).ok());
  EXPECT_EQ(two->bytes()[0], 0xc0);
  ASSERT_TRUE(two->Set(1, 1).ok());
  EXPECT_EQ(two->bytes()[0], 0xd0);
  ASSERT_TRUE(two->Set(3, 2).ok());
  EXPECT_EQ(two->bytes()[0], 0xd2);
  ASSERT_TRUE(two->Set(4, 1).ok());
  EXPECT_EQ(two->bytes()[1], 0x40);
  ASSERT_TRUE(two->Set(15, 3).ok());
  EXPECT_EQ(two->bytes()[3], 0x03);
  EXPECT_EQ(*two->Get(3), 2u);
  EXPECT_EQ(two->Set(0, 4).code(), StatusCode::kInvalidArgument);

  // 3-bit entries: entry 2 is bits 6, 7 | 8.
  auto three = Bitstring::Create(8, 3, Small());
  ASSERT_TRUE(three.ok());
  EXPECT_EQ(three->bytes().size(), 3u);
  ASSERT_TRUE(three->Set(2, 5).ok());  // 101
  EXPECT_EQ(three->bytes(), (std::vector<uint8_t>{0x02, 0x80, 0x00}));
  EXPECT_EQ(*three->Get(2), 5u);
  EXPECT_EQ(*three->Get(1), 0u);
  EXPECT_EQ(*three->Get(3), 0u);
  ASSERT_TRUE(three->Set(7, 6).ok());  // bits 21..23 = 110
  EXPECT_EQ(three->bytes()[2], 0x06);

  auto eight = Bitstring::Create(kMinStatusListEntries, 8);
  ASSERT_TRUE(eight.ok());
  EXPECT_EQ(eight->bytes().size(), 131072u);
  ASSERT_TRUE(eight->Set(5, 0xa5).ok());
  ASSERT_TRUE(eight->Set(131071, 0xff).ok());
  EXPECT_EQ(eight->bytes()[5], 0xa5);
  EXPECT_EQ(eight->bytes()[131071], 0xff);
  EXPECT_EQ(eight->Set(0, 256).code(), StatusCode::kInvalidArgument);
  auto text = eight->Encode();
  ASSERT_TRUE(text.ok());
  auto back = Bitstring::Decode(*text, 8);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back->Get(5), 0xa5u);
  EXPECT_EQ(*back->Get(131071), 0xffu);
}

// Property loop: the packed implementation against a vector of values, for every status size.
TEST(BitstringTest, MatchesReferenceModel) {
  testing::FakeRandom random(7);
  for (int size = 1; size <= 8; ++size) {
    const uint64_t entries = 61 + static_cast<uint64_t>(size) * 13;  // odd sizes: partial bytes
    auto list = Bitstring::Create(entries, size, Small());
    ASSERT_TRUE(list.ok()) << list.status();
    EXPECT_EQ(list->bytes().size(), (entries * static_cast<uint64_t>(size) + 7) / 8);
    std::vector<uint32_t> model(entries, 0);
    for (int op = 0; op < 2000; ++op) {
      uint64_t index = random.Next() % entries;
      uint32_t value = static_cast<uint32_t>(random.Next() % (list->max_value() + 1));
      ASSERT_TRUE(list->Set(index, value).ok());
      model[index] = value;
    }
    // Reference packing: write each value's bits MSB first into a bit vector.
    std::vector<uint8_t> reference(list->bytes().size(), 0);
    for (uint64_t i = 0; i < entries; ++i) {
      ASSERT_EQ(*list->Get(i), model[i]) << "size " << size << " index " << i;
      for (int k = 0; k < size; ++k) {
        uint64_t bit = i * static_cast<uint64_t>(size) + static_cast<uint64_t>(k);
        if ((model[i] >> (size - 1 - k)) & 1u) reference[bit / 8] |= 0x80 >> (bit % 8);
      }
    }
    EXPECT_EQ(list->bytes(), reference) << "size " << size;
    auto text = list->Encode();
    ASSERT_TRUE(text.ok());
    auto back = Bitstring::Decode(*text, size, EncodedListFormat::kMultibase, Small());
    ASSERT_TRUE(back.ok()) << back.status();
    // Decoding counts whole entries in the bytes, which may be one more than created.
    EXPECT_EQ(back->bytes(), list->bytes());
    for (uint64_t i = 0; i < entries; ++i) ASSERT_EQ(*back->Get(i), model[i]);
  }
}

TEST(BitstringTest, CreateRefusesBadSizes) {
  EXPECT_EQ(Bitstring::Create(kMinStatusListEntries, 0).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(Bitstring::Create(kMinStatusListEntries, 9).status().code(),
            StatusCode::kInvalidArgument);
  auto small = Bitstring::Create(kMinStatusListEntries - 1);
  EXPECT_EQ(small.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(small.status().message()), HasSubstr("STATUS_LIST_LENGTH_ERROR"));
  EXPECT_EQ(Bitstring::Create(0, 1, Small(0)).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Bitstring::Create(kMaxStatusListBits + 1).status().code(),
            StatusCode::kResourceExhausted);
  EXPECT_EQ(Bitstring::Create(kMaxStatusListBits / 2 + 1, 2).status().code(),
            StatusCode::kResourceExhausted);
  EXPECT_TRUE(Bitstring::Create(kMaxStatusListBits / 8, 8).ok());
  auto list = Bitstring::Create(kMinStatusListEntries);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->Get(kMinStatusListEntries).status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(list->Set(kMinStatusListEntries, 1).code(), StatusCode::kOutOfRange);
  EXPECT_EQ(list->Set(0, 2).code(), StatusCode::kInvalidArgument);
}

TEST(BitstringTest, DecodeRejectsMalformedInput) {
  const std::vector<uint8_t> zeros(16384, 0);
  const std::vector<uint8_t> gz = ZlibGzip(zeros);
  ASSERT_TRUE(Bitstring::Decode(U(gz)).ok());

  auto expect_invalid = [](const std::string& text, std::string_view why) {
    auto r = Bitstring::Decode(text);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << why << ": " << r.status();
  };
  expect_invalid("", "empty");
  expect_invalid("u", "prefix only");
  expect_invalid(codec::Base64UrlEncode(gz), "no prefix");
  expect_invalid("z" + codec::Base64UrlEncode(gz), "base58 prefix");
  expect_invalid("m" + codec::Base64UnpaddedEncode(gz), "base64 prefix");
  expect_invalid(U(gz) + "=", "padding");
  expect_invalid(U(gz).substr(0, 10) + "*" + U(gz).substr(11), "bad character");

  std::vector<uint8_t> truncated(gz.begin(), gz.end() - 5);
  expect_invalid(U(truncated), "truncated trailer");
  std::vector<uint8_t> header_only(gz.begin(), gz.begin() + 10);
  expect_invalid(U(header_only), "header only");
  std::vector<uint8_t> bad_crc = gz;
  bad_crc[bad_crc.size() - 6] ^= 0x01;
  expect_invalid(U(bad_crc), "CRC mismatch");
  std::vector<uint8_t> bad_size = gz;
  bad_size[bad_size.size() - 2] ^= 0x01;
  expect_invalid(U(bad_size), "ISIZE mismatch");
  std::vector<uint8_t> corrupt = gz;
  corrupt[10] = 0xff;  // first deflate block header: reserved block type
  expect_invalid(U(corrupt), "corrupt deflate");
  std::vector<uint8_t> trailing = gz;
  trailing.push_back(0);
  expect_invalid(U(trailing), "trailing byte");
  std::vector<uint8_t> two_members = gz;
  two_members.insert(two_members.end(), gz.begin(), gz.end());
  expect_invalid(U(two_members), "second gzip member");
  expect_invalid(U(ZlibGzip(zeros, 15)), "zlib wrapper instead of gzip");
  expect_invalid(U(ZlibGzip(zeros, -15)), "raw deflate");
  std::vector<uint8_t> not_gzip = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18};
  expect_invalid(U(not_gzip), "not gzip");

  auto short_list = Bitstring::Decode(U(ZlibGzip(std::vector<uint8_t>(16383, 0))));
  EXPECT_EQ(short_list.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(short_list.status().message()), HasSubstr("STATUS_LIST_LENGTH_ERROR"));
  // 16 KiB holds 131072 single bits but only 65536 two-bit entries.
  auto two_bit = Bitstring::Decode(U(gz), 2);
  EXPECT_EQ(two_bit.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(two_bit.status().message()), HasSubstr("65536 entries"));
  EXPECT_EQ(Bitstring::Decode(U(gz), 0).status().code(), StatusCode::kInvalidArgument);
}

TEST(BitstringTest, DecompressionIsCapped) {
  // 32 MiB of zeros compress to ~32 KiB: a bomb against the 16 MiB ceiling.
  const std::vector<uint8_t> bomb = ZlibGzip(std::vector<uint8_t>(32 << 20, 0));
  EXPECT_LT(bomb.size(), 64u * 1024);
  auto r = Bitstring::Decode(U(bomb));
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted) << r.status();
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("exceeds 16777216 bytes"));

  // Exactly at a lowered cap is fine, one byte more is not.
  BitstringOptions options = Small();
  options.max_bits = 8 * 4096;
  EXPECT_TRUE(Bitstring::Decode(U(ZlibGzip(std::vector<uint8_t>(4096, 0))), 1,
                                EncodedListFormat::kMultibase, options)
                  .ok());
  EXPECT_EQ(Bitstring::Decode(U(ZlibGzip(std::vector<uint8_t>(4097, 0))), 1,
                              EncodedListFormat::kMultibase, options)
                .status()
                .code(),
            StatusCode::kResourceExhausted);
  EXPECT_EQ(Bitstring::FromBytes(std::vector<uint8_t>(4097, 0), 1, options).status().code(),
            StatusCode::kResourceExhausted);
  // Over-long text is refused before decoding.
  auto long_text =
      Bitstring::Decode("u" + std::string(20000, 'A'), 1, EncodedListFormat::kMultibase, options);
  EXPECT_EQ(long_text.status().code(), StatusCode::kResourceExhausted);
}

// ----- IndexAllocator ----------------------------------------------------------------------

TEST(StatusListAllocatorTest, UniqueUntilExhausted) {
  auto allocator = IndexAllocator::Create(100);
  ASSERT_TRUE(allocator.ok());
  testing::FakeRandom random(42);
  std::set<uint64_t> seen;
  std::vector<uint64_t> order;
  for (int i = 0; i < 100; ++i) {
    auto index = allocator->Allocate(random);
    ASSERT_TRUE(index.ok()) << index.status();
    ASSERT_LT(*index, 100u);
    EXPECT_TRUE(seen.insert(*index).second) << "index " << *index << " handed out twice";
    order.push_back(*index);
  }
  EXPECT_EQ(allocator->used(), 100u);
  EXPECT_EQ(allocator->remaining(), 0u);
  auto more = allocator->Allocate(random);
  EXPECT_EQ(more.status().code(), StatusCode::kResourceExhausted);
  // Random, not sequential.
  std::vector<uint64_t> sorted = order;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_NE(order, sorted);
}

TEST(StatusListAllocatorTest, UniformAmongUnused) {
  // Fresh list: the first index is uniform over all 8.
  std::vector<int> counts(8, 0);
  testing::FakeRandom random(1);
  for (int trial = 0; trial < 8000; ++trial) {
    auto allocator = IndexAllocator::Create(8);
    ASSERT_TRUE(allocator.ok());
    ++counts[*allocator->Allocate(random)];
  }
  for (int c : counts) EXPECT_NEAR(c, 1000, 150);

  // Nearly full list (exercises the scan fallback too): uniform over the three free indices.
  std::map<uint64_t, int> free_counts;
  for (int trial = 0; trial < 3000; ++trial) {
    auto allocator = IndexAllocator::Create(1000);
    ASSERT_TRUE(allocator.ok());
    for (uint64_t i = 0; i < 1000; ++i) {
      if (i != 3 && i != 500 && i != 999) {
        ASSERT_TRUE(allocator->MarkUsed(i).ok());
      }
    }
    ++free_counts[*allocator->Allocate(random)];
  }
  ASSERT_EQ(free_counts.size(), 3u);
  for (uint64_t i : {3u, 500u, 999u}) EXPECT_NEAR(free_counts[i], 1000, 150) << i;
}

TEST(StatusListAllocatorTest, MarkUsedAndLimits) {
  EXPECT_EQ(IndexAllocator::Create(0).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(IndexAllocator::Create(kMaxStatusListBits + 1).status().code(),
            StatusCode::kResourceExhausted);
  auto allocator = IndexAllocator::Create(10);
  ASSERT_TRUE(allocator.ok());
  EXPECT_TRUE(allocator->MarkUsed(9).ok());
  EXPECT_EQ(allocator->MarkUsed(9).code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(allocator->MarkUsed(10).code(), StatusCode::kOutOfRange);
  EXPECT_TRUE(allocator->IsUsed(9));
  EXPECT_FALSE(allocator->IsUsed(8));
  EXPECT_FALSE(allocator->IsUsed(10));
  EXPECT_FALSE(allocator->IsUsed(64));  // padding bits never count as used indices
}

TEST(StatusListAllocatorTest, ReleaseReturnsOneIndexToThePool) {
  auto allocator = IndexAllocator::Create(70);
  ASSERT_TRUE(allocator.ok());
  for (uint64_t i = 0; i < 70; ++i) ASSERT_TRUE(allocator->MarkUsed(i).ok());
  EXPECT_EQ(allocator->Release(70).code(), StatusCode::kOutOfRange);
  ASSERT_TRUE(allocator->Release(66).ok());  // in the second word
  EXPECT_FALSE(allocator->IsUsed(66));
  EXPECT_EQ(allocator->used(), 69u);
  EXPECT_EQ(allocator->Release(66).code(), StatusCode::kFailedPrecondition);
  // The only free index is the one given back; then the list is full again.
  testing::FakeRandom random(3);
  auto again = allocator->Allocate(random);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, 66u);
  EXPECT_EQ(allocator->Allocate(random).status().code(), StatusCode::kResourceExhausted);
  // The serialized form only ever holds what Release left.
  ASSERT_TRUE(allocator->Release(0).ok());
  auto back = IndexAllocator::Deserialize(allocator->Serialize());
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, *allocator);
  EXPECT_EQ(back->used(), 69u);
}

TEST(StatusListAllocatorTest, SerializedFormIsPinned) {
  auto allocator = IndexAllocator::Create(10);
  ASSERT_TRUE(allocator.ok());
  ASSERT_TRUE(allocator->MarkUsed(0).ok());
  ASSERT_TRUE(allocator->MarkUsed(9).ok());
  std::vector<uint8_t> bytes = allocator->Serialize();
  std::vector<uint8_t> body = {'T', 'P', 'I', 'A', 1, 0, 0, 0, 0, 0,    0,   0,
                               10,  0,   0,   0,   0, 0, 0, 0, 2, 0x80, 0x40};
  ASSERT_EQ(bytes.size(), body.size() + 4);
  EXPECT_EQ(std::vector<uint8_t>(bytes.begin(), bytes.end() - 4), body);
  uint32_t crc = static_cast<uint32_t>(crc32(0, body.data(), static_cast<uInt>(body.size())));
  EXPECT_EQ(bytes[body.size()], crc >> 24);
  EXPECT_EQ(bytes[body.size() + 3], crc & 0xff);
}

// Rewrites the trailing CRC so that a deliberately altered body reaches the semantic checks.
void FixCrc(std::vector<uint8_t>& bytes) {
  size_t body = bytes.size() - 4;
  uint32_t crc = static_cast<uint32_t>(crc32(0, bytes.data(), static_cast<uInt>(body)));
  for (int i = 0; i < 4; ++i)
    bytes[body + static_cast<size_t>(i)] = static_cast<uint8_t>(crc >> (24 - 8 * i));
}

TEST(StatusListAllocatorTest, SerializeRoundTripContinuesIdentically) {
  for (uint64_t capacity : {1u, 13u, 64u, 65u, 131072u}) {
    auto allocator = IndexAllocator::Create(capacity);
    ASSERT_TRUE(allocator.ok());
    testing::FakeRandom random(capacity);
    for (uint64_t i = 0; i < capacity / 2; ++i) ASSERT_TRUE(allocator->Allocate(random).ok());
    auto restored = IndexAllocator::Deserialize(allocator->Serialize());
    ASSERT_TRUE(restored.ok()) << restored.status();
    EXPECT_EQ(*restored, *allocator);
    testing::FakeRandom r1(99), r2(99);
    while (allocator->remaining() > 0) {
      auto a = allocator->Allocate(r1);
      auto b = restored->Allocate(r2);
      ASSERT_TRUE(a.ok() && b.ok());
      ASSERT_EQ(*a, *b);
    }
    EXPECT_EQ(restored->Allocate(r2).status().code(), StatusCode::kResourceExhausted);
  }
}

TEST(StatusListAllocatorTest, DeserializeDetectsCorruption) {
  auto allocator = IndexAllocator::Create(13);
  ASSERT_TRUE(allocator.ok());
  ASSERT_TRUE(allocator->MarkUsed(4).ok());
  const std::vector<uint8_t> good = allocator->Serialize();
  ASSERT_TRUE(IndexAllocator::Deserialize(good).ok());

  auto code = [](std::vector<uint8_t> bytes) {
    return IndexAllocator::Deserialize(bytes).status().code();
  };
  EXPECT_EQ(code({}), StatusCode::kDataLoss);
  EXPECT_EQ(code(std::vector<uint8_t>(good.begin(), good.end() - 1)), StatusCode::kDataLoss);
  std::vector<uint8_t> flipped = good;
  flipped[21] ^= 0x01;
  EXPECT_EQ(code(flipped), StatusCode::kDataLoss);  // checksum

  std::vector<uint8_t> magic = good;
  magic[0] = 'X';
  FixCrc(magic);
  EXPECT_EQ(code(magic), StatusCode::kDataLoss);
  std::vector<uint8_t> version = good;
  version[4] = 2;
  FixCrc(version);
  EXPECT_EQ(code(version), StatusCode::kDataLoss);
  std::vector<uint8_t> padding = good;
  padding[22] |= 0x01;  // capacity 13: the last 3 bits of byte 2 of the bitmap are padding
  FixCrc(padding);
  EXPECT_EQ(code(padding), StatusCode::kDataLoss);
  std::vector<uint8_t> count = good;
  count[20] = 2;  // used = 2 but one bit set
  FixCrc(count);
  EXPECT_EQ(code(count), StatusCode::kDataLoss);
  std::vector<uint8_t> capacity = good;
  capacity[12] = 17;  // needs a 3-byte bitmap
  FixCrc(capacity);
  EXPECT_EQ(code(capacity), StatusCode::kDataLoss);
  std::vector<uint8_t> huge = good;
  huge[5] = 0x01;  // capacity 2^56 + 13
  FixCrc(huge);
  EXPECT_EQ(code(huge), StatusCode::kResourceExhausted);
}

// ----- Status changes ----------------------------------------------------------------------

TEST(StatusListChangeTest, RevokeIsPermanentSuspendIsNot) {
  auto list = Bitstring::Create(64, 1, Small());
  auto allocator = IndexAllocator::Create(64);
  ASSERT_TRUE(list.ok() && allocator.ok());
  testing::FakeRandom random(3);
  uint64_t a = *allocator->Allocate(random);
  uint64_t b = *allocator->Allocate(random);

  ASSERT_TRUE(Revoke(*list, *allocator, a).ok());
  EXPECT_EQ(*list->Get(a), 1u);
  EXPECT_TRUE(Revoke(*list, *allocator, a).ok());  // idempotent
  Status undo = SetEntryStatus(*list, *allocator, kPurposeRevocation, a, 0);
  EXPECT_EQ(undo.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(undo.message()), HasSubstr("cannot be undone"));
  EXPECT_EQ(*list->Get(a), 1u);

  ASSERT_TRUE(Suspend(*list, *allocator, b).ok());
  EXPECT_EQ(*list->Get(b), 1u);
  ASSERT_TRUE(Unsuspend(*list, *allocator, b).ok());
  EXPECT_EQ(*list->Get(b), 0u);
  ASSERT_TRUE(Unsuspend(*list, *allocator, b).ok());

  uint64_t never = 0;
  while (allocator->IsUsed(never)) ++never;
  EXPECT_EQ(Revoke(*list, *allocator, never).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(Revoke(*list, *allocator, 64).code(), StatusCode::kOutOfRange);

  auto other = IndexAllocator::Create(65);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(Revoke(*list, *other, a).code(), StatusCode::kFailedPrecondition);
}

TEST(StatusListChangeTest, MultiBitLists) {
  auto list = Bitstring::Create(16, 2, Small());
  auto allocator = IndexAllocator::Create(16);
  ASSERT_TRUE(list.ok() && allocator.ok());
  ASSERT_TRUE(allocator->MarkUsed(5).ok());
  EXPECT_EQ(Revoke(*list, *allocator, 5).code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(SetEntryStatus(*list, *allocator, kPurposeMessage, 5, 2).ok());
  EXPECT_TRUE(SetEntryStatus(*list, *allocator, kPurposeMessage, 5, 1).ok());
  EXPECT_EQ(*list->Get(5), 1u);
  EXPECT_EQ(SetEntryStatus(*list, *allocator, kPurposeMessage, 5, 4).code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(SetEntryStatus(*list, *allocator, kPurposeRefresh, 5, 1).ok());  // unchanged value
  EXPECT_EQ(SetEntryStatus(*list, *allocator, kPurposeRefresh, 5, 3).code(),
            StatusCode::kFailedPrecondition);
}

// ----- Entries -----------------------------------------------------------------------------

json ValidEntry() {
  return {{"id", "https://example.com/credentials/status/3#94567"},
          {"type", "BitstringStatusListEntry"},
          {"statusPurpose", "revocation"},
          {"statusListIndex", "94567"},
          {"statusListCredential", "https://example.com/credentials/status/3"}};
}

std::vector<StatusMessage> FourMessages() {
  return {{0, "pending_review"}, {1, "accepted"}, {2, "rejected"}, {3, "undefined"}};
}

TEST(StatusListEntryTest, MakeAndParseRoundTrip) {
  StatusEntryOptions options;
  options.index = 94567;
  options.list_credential = "https://example.com/credentials/status/3";
  auto entry = MakeStatusEntry(options);
  ASSERT_TRUE(entry.ok()) << entry.status();
  EXPECT_EQ(*entry, ValidEntry());

  auto parsed = ParseStatusEntry(*entry);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->type, StatusEntryType::kBitstringStatusListEntry);
  EXPECT_EQ(parsed->purpose, "revocation");
  EXPECT_EQ(parsed->index, 94567u);
  EXPECT_EQ(parsed->status_size, 1);
  EXPECT_EQ(parsed->list_credential, "https://example.com/credentials/status/3");
  EXPECT_EQ(parsed->id, "https://example.com/credentials/status/3#94567");
}

TEST(StatusListEntryTest, MessageEntry) {
  StatusEntryOptions options;
  options.id = "urn:uuid:6f1d2c3e-0000-4000-8000-000000000001";
  options.purpose = "message";
  options.index = 492847;
  options.list_credential = "https://example.com/credentials/status/8";
  options.status_size = 2;
  options.messages = {{3, "undefined"}, {1, "accepted"}, {0, "pending_review"}, {2, "rejected"}};
  options.references = {"https://example.org/status-dictionary/"};
  auto entry = MakeStatusEntry(options);
  ASSERT_TRUE(entry.ok()) << entry.status();
  EXPECT_EQ((*entry)["statusSize"], 2);
  EXPECT_EQ((*entry)["statusMessage"][1], json({{"status", "0x1"}, {"message", "accepted"}}));
  EXPECT_EQ((*entry)["statusReference"], "https://example.org/status-dictionary/");
  auto parsed = ParseStatusEntry(*entry);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->status_size, 2);
  EXPECT_EQ(parsed->messages, FourMessages());
  EXPECT_EQ(parsed->references, std::vector<std::string>{"https://example.org/status-dictionary/"});

  options.messages.pop_back();
  EXPECT_EQ(MakeStatusEntry(options).status().code(), StatusCode::kInvalidArgument);
  options.messages.clear();
  EXPECT_EQ(MakeStatusEntry(options).status().code(), StatusCode::kInvalidArgument);
  options.status_size = 9;
  EXPECT_EQ(MakeStatusEntry(options).status().code(), StatusCode::kUnimplemented);
  options.status_size = 1;
  options.index = kMaxStatusListBits;
  EXPECT_EQ(MakeStatusEntry(options).status().code(), StatusCode::kOutOfRange);
  options.index = 0;
  options.list_credential = "not a url";
  EXPECT_EQ(MakeStatusEntry(options).status().code(), StatusCode::kInvalidArgument);
}

struct EntryCase {
  std::string name;
  std::function<void(json&)> mutate;
  StatusCode code;
  std::string message;  // substring; "" for a successful parse
};

TEST(StatusListEntryTest, ParseErrorsArePrecise) {
  const json four = json::array({{{"status", "0x0"}, {"message", "a"}},
                                 {{"status", "0x1"}, {"message", "b"}},
                                 {{"status", "0x2"}, {"message", "c"}},
                                 {{"status", "0x3"}, {"message", "d"}}});
  auto set = [](const char* key, json v) { return [key, v](json& e) { e[key] = v; }; };
  auto erase = [](const char* key) { return [key](json& e) { e.erase(key); }; };
  auto with_size2 = [four](json messages) {
    return [four, messages](json& e) {
      e["statusSize"] = 2;
      e["statusMessage"] = messages.is_null() ? four : messages;
    };
  };
  json messages_bad_hex = four;
  messages_bad_hex[1]["status"] = "1";
  json messages_out_of_range = four;
  messages_out_of_range[3]["status"] = "0x4";
  json messages_duplicate = four;
  messages_duplicate[2]["status"] = "0x1";
  json messages_no_message = four;
  messages_no_message[0].erase("message");
  json messages_number = four;
  messages_number[0]["message"] = 7;
  json messages_upper = four;
  messages_upper[3]["status"] = "0x03";
  messages_upper[2]["status"] = "0X2";
  json messages_leading_zero = four;
  messages_leading_zero[3]["status"] = "0x03";

  const std::vector<EntryCase> cases = {
      {"valid", [](json&) {}, StatusCode::kOk, ""},
      {"index zero", set("statusListIndex", "0"), StatusCode::kOk, ""},
      {"index number", set("statusListIndex", 94567), StatusCode::kInvalidArgument,
       "statusListIndex must be a base-10 string, got number"},
      {"index negative", set("statusListIndex", "-1"), StatusCode::kInvalidArgument,
       "without sign or leading zeros, got \"-1\""},
      {"index plus", set("statusListIndex", "+1"), StatusCode::kInvalidArgument, "\"+1\""},
      {"index leading zero", set("statusListIndex", "007"), StatusCode::kInvalidArgument,
       "\"007\""},
      {"index empty", set("statusListIndex", ""), StatusCode::kInvalidArgument, "\"\""},
      {"index space", set("statusListIndex", " 1"), StatusCode::kInvalidArgument, "\" 1\""},
      {"index decimal", set("statusListIndex", "1.0"), StatusCode::kInvalidArgument, "\"1.0\""},
      {"index hex", set("statusListIndex", "0x10"), StatusCode::kInvalidArgument, "\"0x10\""},
      {"index at limit", set("statusListIndex", "134217728"), StatusCode::kOutOfRange,
       "beyond the largest supported list"},
      {"index below limit", set("statusListIndex", "134217727"), StatusCode::kOk, ""},
      {"index huge", set("statusListIndex", "99999999999999999999999"), StatusCode::kOutOfRange,
       "beyond"},
      {"missing index", erase("statusListIndex"), StatusCode::kInvalidArgument,
       "missing statusListIndex"},
      {"missing purpose", erase("statusPurpose"), StatusCode::kInvalidArgument,
       "missing statusPurpose"},
      {"purpose array", set("statusPurpose", json::array({"revocation"})),
       StatusCode::kInvalidArgument, "statusPurpose must be a string, got array"},
      {"purpose empty", set("statusPurpose", ""), StatusCode::kInvalidArgument,
       "statusPurpose is empty"},
      {"custom purpose", set("statusPurpose", "customs-hold"), StatusCode::kOk, ""},
      {"missing list", erase("statusListCredential"), StatusCode::kInvalidArgument,
       "missing statusListCredential"},
      {"list not url", set("statusListCredential", "status/3"), StatusCode::kInvalidArgument,
       "statusListCredential must be an absolute URL"},
      {"id is the list", set("id", "https://example.com/credentials/status/3"),
       StatusCode::kInvalidArgument, "id must not be the status list's URL"},
      {"id number", set("id", 5), StatusCode::kInvalidArgument, "id must be"},
      {"no id", erase("id"), StatusCode::kOk, ""},
      {"wrong type", set("type", "StatusListEntry"), StatusCode::kInvalidArgument,
       "type must be exactly one of"},
      {"missing type", erase("type"), StatusCode::kInvalidArgument, "missing type"},
      {"type array", set("type", json::array({"BitstringStatusListEntry"})), StatusCode::kOk, ""},
      {"two types", set("type", json::array({"BitstringStatusListEntry", "StatusList2021Entry"})),
       StatusCode::kInvalidArgument, "exactly one"},
      {"type number", set("type", 1), StatusCode::kInvalidArgument, "type must be a string"},
      {"size 1 explicit", set("statusSize", 1), StatusCode::kOk, ""},
      {"size 0", set("statusSize", 0), StatusCode::kInvalidArgument,
       "statusSize must be an integer >= 1, got 0"},
      {"size negative", set("statusSize", -2), StatusCode::kInvalidArgument, "got -2"},
      {"size float", set("statusSize", 2.0), StatusCode::kInvalidArgument, "got number"},
      {"size string", set("statusSize", "2"), StatusCode::kInvalidArgument, "got string"},
      {"size bool", set("statusSize", true), StatusCode::kInvalidArgument, "got boolean"},
      {"size 9", set("statusSize", 9), StatusCode::kUnimplemented, "statusSize 9"},
      {"size 2 without messages", set("statusSize", 2), StatusCode::kInvalidArgument,
       "statusSize 2 requires statusMessage"},
      {"size 2 with messages", with_size2(nullptr), StatusCode::kOk, ""},
      {"size 2 three messages", with_size2(json::array({four[0], four[1], four[2]})),
       StatusCode::kInvalidArgument, "statusMessage must have 4 elements for statusSize 2, got 3"},
      {"message status without 0x", with_size2(messages_bad_hex), StatusCode::kInvalidArgument,
       "statusMessage[1]: status must be \"0x\" and hex digits, got \"1\""},
      {"message status too big", with_size2(messages_out_of_range), StatusCode::kInvalidArgument,
       "statusMessage[3]: status 0x4 does not fit in statusSize 2"},
      {"message status repeated", with_size2(messages_duplicate), StatusCode::kInvalidArgument,
       "appears more than once"},
      {"message missing text", with_size2(messages_no_message), StatusCode::kInvalidArgument,
       "statusMessage[0]: missing message"},
      {"message text number", with_size2(messages_number), StatusCode::kInvalidArgument,
       "message must be a string, got number"},
      {"message uppercase X", with_size2(messages_upper), StatusCode::kInvalidArgument, "\"0X2\""},
      {"message leading zero", with_size2(messages_leading_zero), StatusCode::kOk, ""},
      {"message not array", set("statusMessage", "x"), StatusCode::kInvalidArgument,
       "statusMessage must be an array"},
      {"message element not object", with_size2(json::array({1, 2, 3, 4})),
       StatusCode::kInvalidArgument, "statusMessage[0] must be an object"},
      {"size 1 two messages", set("statusMessage", json::array({four[0], four[1]})),
       StatusCode::kOk, ""},
      {"size 1 four messages", set("statusMessage", four), StatusCode::kInvalidArgument,
       "must have 2 elements"},
      {"reference", set("statusReference", "https://example.org/x"), StatusCode::kOk, ""},
      {"references", set("statusReference", json::array({"https://a.example", "urn:x:y"})),
       StatusCode::kOk, ""},
      {"reference empty array", set("statusReference", json::array()), StatusCode::kInvalidArgument,
       "statusReference is empty"},
      {"reference number", set("statusReference", 3), StatusCode::kInvalidArgument,
       "statusReference must be a URL"},
  };
  for (const EntryCase& c : cases) {
    json entry = ValidEntry();
    c.mutate(entry);
    auto r = ParseStatusEntry(entry);
    EXPECT_EQ(r.status().code(), c.code) << c.name << ": " << r.status();
    EXPECT_THAT(std::string(r.status().message()), HasSubstr(c.message)) << c.name;
  }
  EXPECT_EQ(ParseStatusEntry(json::array()).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseStatusEntry(json()).status().code(), StatusCode::kInvalidArgument);
}

TEST(StatusListEntryTest, LegacyEntries) {
  json sl2021 = {{"id", "https://example.com/credentials/status/3#94567"},
                 {"type", "StatusList2021Entry"},
                 {"statusPurpose", "suspension"},
                 {"statusListIndex", "94567"},
                 {"statusListCredential", "https://example.com/credentials/status/3"}};
  auto a = ParseStatusEntry(sl2021);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->type, StatusEntryType::kStatusList2021Entry);
  EXPECT_EQ(a->purpose, "suspension");
  EXPECT_EQ(a->index, 94567u);
  sl2021["statusPurpose"] = "message";
  EXPECT_EQ(ParseStatusEntry(sl2021).status().code(), StatusCode::kInvalidArgument);
  sl2021["statusPurpose"] = "revocation";
  sl2021["statusListIndex"] = 5;
  EXPECT_EQ(ParseStatusEntry(sl2021).status().code(), StatusCode::kInvalidArgument);

  json rl2020 = {{"id", "https://example.com/status/1#23964"},
                 {"type", "RevocationList2020Status"},
                 {"revocationListIndex", "23964"},
                 {"revocationListCredential", "https://example.com/credentials/status/1"}};
  auto b = ParseStatusEntry(rl2020);
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(b->type, StatusEntryType::kRevocationList2020Status);
  EXPECT_EQ(b->purpose, "revocation");
  EXPECT_EQ(b->index, 23964u);
  rl2020.erase("revocationListCredential");
  EXPECT_THAT(std::string(ParseStatusEntry(rl2020).status().message()),
              HasSubstr("missing revocationListCredential"));
}

// ----- List credentials --------------------------------------------------------------------

StatusListCredentialOptions ListOptions(std::string url = "https://example.com/status/3") {
  StatusListCredentialOptions o;
  o.id = std::move(url);
  o.issuer = "did:example:12345";
  o.purposes = {"revocation"};
  o.valid_from = At("2026-01-01T00:00:00Z");
  o.valid_until = At("2026-12-31T00:00:00Z");
  return o;
}

TEST(StatusListCredentialTest, MakesTheSpecShape) {
  auto list = Bitstring::Create(kMinStatusListEntries);
  ASSERT_TRUE(list.ok());
  ASSERT_TRUE(list->Set(94567, 1).ok());
  StatusListCredentialOptions options = ListOptions();
  options.ttl_ms = 300000;
  auto credential = MakeStatusListCredential(options, *list);
  ASSERT_TRUE(credential.ok()) << credential.status();
  json expected = {{"@context", {"https://www.w3.org/ns/credentials/v2"}},
                   {"id", "https://example.com/status/3"},
                   {"type", {"VerifiableCredential", "BitstringStatusListCredential"}},
                   {"issuer", "did:example:12345"},
                   {"validFrom", "2026-01-01T00:00:00Z"},
                   {"validUntil", "2026-12-31T00:00:00Z"},
                   {"credentialSubject",
                    {{"id", "https://example.com/status/3#list"},
                     {"type", "BitstringStatusList"},
                     {"statusPurpose", "revocation"},
                     {"encodedList", *list->Encode()},
                     {"ttl", 300000}}}};
  EXPECT_EQ(*credential, expected);
  EXPECT_FALSE(credential->contains("proof"));

  auto parsed = ParseStatusListCredential(*credential);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->family, StatusEntryType::kBitstringStatusListEntry);
  EXPECT_EQ(parsed->purposes, std::vector<std::string>{"revocation"});
  EXPECT_EQ(parsed->ttl_ms, 300000u);
  auto back = Bitstring::Decode(parsed->encoded_list);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, *list);
}

TEST(StatusListCredentialTest, PurposesAndMessages) {
  auto list = Bitstring::Create(kMinStatusListEntries);
  ASSERT_TRUE(list.ok());
  StatusListCredentialOptions options = ListOptions();
  options.purposes = {"revocation", "suspension"};
  auto both = MakeStatusListCredential(options, *list);
  ASSERT_TRUE(both.ok()) << both.status();
  EXPECT_EQ((*both)["credentialSubject"]["statusPurpose"], json({"revocation", "suspension"}));

  options.purposes = {"revocation", "revocation"};
  EXPECT_EQ(MakeStatusListCredential(options, *list).status().code(), StatusCode::kInvalidArgument);
  options.purposes = {};
  EXPECT_EQ(MakeStatusListCredential(options, *list).status().code(), StatusCode::kInvalidArgument);

  auto list2 = Bitstring::Create(kMinStatusListEntries, 2);
  ASSERT_TRUE(list2.ok());
  options.purposes = {"message"};
  EXPECT_EQ(MakeStatusListCredential(options, *list2).status().code(),
            StatusCode::kInvalidArgument);  // statusMessages required
  options.status_messages = FourMessages();
  auto message = MakeStatusListCredential(options, *list2);
  ASSERT_TRUE(message.ok()) << message.status();
  EXPECT_EQ((*message)["credentialSubject"]["statusSize"], 2);
  EXPECT_EQ((*message)["credentialSubject"]["statusMessages"].size(), 4u);
  EXPECT_EQ((*message)["credentialSubject"]["statusMessages"][2],
            json({{"status", "0x2"}, {"message", "rejected"}}));
  options.purposes = {"revocation"};
  EXPECT_EQ(MakeStatusListCredential(options, *list2).status().code(),
            StatusCode::kInvalidArgument);  // messages without the message purpose
  options.purposes = {"message"};
  options.status_messages = {};
  EXPECT_EQ(MakeStatusListCredential(options, *list).status().code(),
            StatusCode::kInvalidArgument);  // a 1-bit message list needs its two messages too
  options.status_messages = {{1, "set"}, {0, "unset"}};
  auto one_bit = MakeStatusListCredential(options, *list);
  ASSERT_TRUE(one_bit.ok()) << one_bit.status();
  EXPECT_EQ((*one_bit)["credentialSubject"]["statusSize"], 1);
  EXPECT_EQ((*one_bit)["credentialSubject"]["statusMessages"][0]["message"], "unset");
}

TEST(StatusListCredentialTest, RefusesBadOptions) {
  auto list = Bitstring::Create(1024, 1, Small());
  ASSERT_TRUE(list.ok());
  StatusListCredentialOptions options = ListOptions();
  auto too_small = MakeStatusListCredential(options, *list);
  EXPECT_EQ(too_small.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(too_small.status().message()), HasSubstr("STATUS_LIST_LENGTH_ERROR"));
  options.min_entries = 1024;
  EXPECT_TRUE(MakeStatusListCredential(options, *list).ok());
  options.id = "status/3";
  EXPECT_EQ(MakeStatusListCredential(options, *list).status().code(), StatusCode::kInvalidArgument);
  options.id = "https://example.com/status/3";
  options.issuer = "";
  EXPECT_EQ(MakeStatusListCredential(options, *list).status().code(), StatusCode::kInvalidArgument);
  options.issuer = "did:example:1";
  options.valid_until = At("2025-01-01T00:00:00Z");
  EXPECT_EQ(MakeStatusListCredential(options, *list).status().code(), StatusCode::kInvalidArgument);
}

TEST(StatusListCredentialTest, ParseRejectsMalformedLists) {
  auto list = Bitstring::Create(kMinStatusListEntries);
  ASSERT_TRUE(list.ok());
  auto good = MakeStatusListCredential(ListOptions(), *list);
  ASSERT_TRUE(good.ok());
  auto code_after = [&](std::function<void(json&)> mutate) {
    json c = *good;
    mutate(c);
    return ParseStatusListCredential(c).status().code();
  };
  EXPECT_EQ(code_after([](json&) {}), StatusCode::kOk);
  EXPECT_EQ(code_after([](json& c) { c["type"] = {"VerifiableCredential"}; }),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(code_after([](json& c) { c["credentialSubject"]["type"] = "StatusList2021"; }),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(code_after([](json& c) { c["credentialSubject"].erase("encodedList"); }),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(code_after([](json& c) { c["credentialSubject"]["encodedList"] = 5; }),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(code_after([](json& c) { c["credentialSubject"]["statusPurpose"] = json::array(); }),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(code_after([](json& c) { c["credentialSubject"]["statusPurpose"] = {1}; }),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(code_after([](json& c) { c["credentialSubject"]["ttl"] = -1; }),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(code_after([](json& c) { c["validFrom"] = "yesterday"; }),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(code_after([](json& c) { c["credentialSubject"] = json::array(); }),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(code_after([](json& c) { c["credentialSubject"] = {c["credentialSubject"]}; }),
            StatusCode::kOk);
  EXPECT_EQ(code_after([](json& c) {
              c["credentialSubject"]["statusPurpose"] = "message";
              c["credentialSubject"]["statusSize"] = 2;
            }),
            StatusCode::kInvalidArgument);  // message lists need statusMessages
  EXPECT_EQ(code_after([](json& c) {
              c["credentialSubject"]["statusPurpose"] = "message";
              c["credentialSubject"]["statusMessages"] = {{{"status", "0x0"}, {"message", "a"}},
                                                          {{"status", "0x1"}, {"message", "b"}}};
            }),
            StatusCode::kInvalidArgument);  // ... and statusSize
  EXPECT_EQ(ParseStatusListCredential(json("x")).status().code(), StatusCode::kInvalidArgument);
}

// ----- Checking ----------------------------------------------------------------------------

class FakeResolver : public StatusListResolver {
 public:
  Result<nlohmann::json> Fetch(std::string_view url) override {
    ++fetches;
    auto it = lists.find(std::string(url));
    if (it == lists.end()) return UnavailableError("no route to " + std::string(url));
    return it->second;
  }
  std::map<std::string, json> lists;
  int fetches = 0;
};

Status AcceptAll(const json&) { return Status::Ok(); }

class StatusListCheckTest : public ::testing::Test {
 protected:
  static constexpr std::string_view kRevocationUrl = "https://example.com/status/revocation";
  static constexpr std::string_view kSuspensionUrl = "https://example.com/status/suspension";
  static constexpr std::string_view kMessageUrl = "https://example.com/status/message";

  void SetUp() override {
    auto revocation = Bitstring::Create(kMinStatusListEntries);
    ASSERT_TRUE(revocation.ok());
    ASSERT_TRUE(revocation->Set(42, 1).ok());
    ASSERT_TRUE(revocation->Set(131071, 1).ok());
    Publish(kRevocationUrl, {"revocation"}, *revocation);

    auto suspension = Bitstring::Create(kMinStatusListEntries);
    ASSERT_TRUE(suspension.ok());
    ASSERT_TRUE(suspension->Set(7, 1).ok());
    Publish(kSuspensionUrl, {"suspension"}, *suspension);

    auto message = Bitstring::Create(kMinStatusListEntries, 2);
    ASSERT_TRUE(message.ok());
    ASSERT_TRUE(message->Set(9, 2).ok());
    StatusListCredentialOptions options = ListOptions(std::string(kMessageUrl));
    options.purposes = {"message"};
    options.status_messages = FourMessages();
    auto credential = MakeStatusListCredential(options, *message);
    ASSERT_TRUE(credential.ok()) << credential.status();
    resolver_.lists[std::string(kMessageUrl)] = *credential;
  }

  void Publish(std::string_view url, std::vector<std::string> purposes, const Bitstring& list) {
    StatusListCredentialOptions options = ListOptions(std::string(url));
    options.purposes = std::move(purposes);
    auto credential = MakeStatusListCredential(options, list);
    ASSERT_TRUE(credential.ok()) << credential.status();
    resolver_.lists[std::string(url)] = *credential;
  }

  static json Entry(std::string_view purpose, uint64_t index, std::string_view url) {
    StatusEntryOptions options;
    options.purpose = std::string(purpose);
    options.index = index;
    options.list_credential = std::string(url);
    if (purpose == "message") {
      options.status_size = 2;
      options.messages = FourMessages();
    }
    return MakeStatusEntry(options).value();
  }

  Result<StatusCheckResult> Run(const json& entry, Time now = At("2026-06-01T00:00:00Z"),
                                const ListVerifier& verifier = AcceptAll,
                                const CheckStatusOptions& options = {}) {
    return CheckStatusEntry(entry, resolver_, verifier, now, options);
  }

  FakeResolver resolver_;
};

TEST_F(StatusListCheckTest, RevokedAndValid) {
  auto revoked = Run(Entry("revocation", 42, kRevocationUrl));
  ASSERT_TRUE(revoked.ok()) << revoked.status();
  EXPECT_TRUE(revoked->revoked);
  EXPECT_FALSE(revoked->valid);
  EXPECT_FALSE(revoked->suspended);
  EXPECT_EQ(revoked->value, 1u);
  EXPECT_EQ(revoked->purpose, "revocation");
  EXPECT_EQ(revoked->index, 42u);

  auto last = Run(Entry("revocation", 131071, kRevocationUrl));
  ASSERT_TRUE(last.ok()) << last.status();
  EXPECT_TRUE(last->revoked);

  auto fine = Run(Entry("revocation", 43, kRevocationUrl));
  ASSERT_TRUE(fine.ok()) << fine.status();
  EXPECT_FALSE(fine->revoked);
  EXPECT_TRUE(fine->valid);
  EXPECT_EQ(fine->value, 0u);
}

TEST_F(StatusListCheckTest, CacheSkipsReverifyingAndReexpandingOnlyTheSameList) {
  StatusListCache cache;
  CheckStatusOptions options;
  options.cache = &cache;
  int verifications = 0;
  ListVerifier counting = [&](const json&) {
    ++verifications;
    return Status::Ok();
  };
  const Time now = At("2026-06-01T00:00:00Z");
  ASSERT_TRUE(Run(Entry("revocation", 42, kRevocationUrl), now, counting, options)->revoked);
  ASSERT_TRUE(Run(Entry("revocation", 43, kRevocationUrl), now, counting, options)->valid);
  EXPECT_EQ(verifications, 1);      // the same list: its proof is verified once
  EXPECT_EQ(resolver_.fetches, 2);  // but fetched each time (it may have changed)

  // A changed list is a new cache entry: verified again, and the new bit is read.
  auto changed = Bitstring::Create(kMinStatusListEntries);
  ASSERT_TRUE(changed.ok());
  ASSERT_TRUE(changed->Set(43, 1).ok());
  Publish(kRevocationUrl, {"revocation"}, *changed);
  auto r = Run(Entry("revocation", 43, kRevocationUrl), now, counting, options);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->revoked);
  EXPECT_EQ(verifications, 2);

  // A list whose proof fails is never remembered as verified.
  ListVerifier refusing = [&](const json&) { return PermissionDeniedError("bad proof"); };
  Publish(kRevocationUrl, {"revocation"}, *changed);  // same content: cached as verified
  EXPECT_TRUE(Run(Entry("revocation", 43, kRevocationUrl), now, refusing, options).ok());
  StatusListCache fresh;
  options.cache = &fresh;
  EXPECT_FALSE(Run(Entry("revocation", 43, kRevocationUrl), now, refusing, options).ok());
  EXPECT_FALSE(Run(Entry("revocation", 43, kRevocationUrl), now, refusing, options).ok());
}

TEST(StatusListCacheTest, RemembersProofsForItsTtlAndEvictsTheOldest) {
  StatusListCache cache(std::chrono::seconds(60), 2);
  const Time t0 = FromUnixSeconds(1'800'000'000);
  EXPECT_FALSE(cache.Contains("a", t0));
  cache.Insert("a", t0);
  EXPECT_TRUE(cache.Contains("a", t0 + std::chrono::seconds(59)));
  EXPECT_FALSE(cache.Contains("a", t0 + std::chrono::seconds(60)));  // expired
  cache.Insert("b", t0);
  cache.Insert("c", t0);  // evicts "a"
  EXPECT_FALSE(cache.Contains("a", t0));
  EXPECT_TRUE(cache.Contains("b", t0));
  EXPECT_TRUE(cache.Contains("c", t0));
  cache.Insert("b", t0 + std::chrono::seconds(30));  // refreshed, not duplicated
  EXPECT_TRUE(cache.Contains("b", t0 + std::chrono::seconds(80)));
}

TEST(StatusListCacheTest, ExpandedListsAreKeyedByEveryParameterAndBoundedInBytes) {
  // Room for two 16 KiB lists.
  StatusListCache cache(std::chrono::seconds(60), 16, 2 * 16384);
  auto make = [] {
    return std::make_shared<const Bitstring>(Bitstring::Create(kMinStatusListEntries).value());
  };
  const auto fmt = EncodedListFormat::kMultibase;
  cache.InsertExpanded("d1", 1, fmt, kMinStatusListEntries, make());
  EXPECT_NE(cache.FindExpanded("d1", 1, fmt, kMinStatusListEntries), nullptr);
  EXPECT_EQ(cache.FindExpanded("d1", 2, fmt, kMinStatusListEntries), nullptr);
  EXPECT_EQ(cache.FindExpanded("d1", 1, EncodedListFormat::kBase64Url, kMinStatusListEntries),
            nullptr);
  EXPECT_EQ(cache.FindExpanded("d1", 1, fmt, 8), nullptr);
  cache.InsertExpanded("d2", 1, fmt, kMinStatusListEntries, make());
  cache.InsertExpanded("d3", 1, fmt, kMinStatusListEntries, make());  // evicts d1
  EXPECT_EQ(cache.FindExpanded("d1", 1, fmt, kMinStatusListEntries), nullptr);
  EXPECT_NE(cache.FindExpanded("d2", 1, fmt, kMinStatusListEntries), nullptr);
  EXPECT_NE(cache.FindExpanded("d3", 1, fmt, kMinStatusListEntries), nullptr);
}

TEST_F(StatusListCheckTest, Suspended) {
  auto suspended = Run(Entry("suspension", 7, kSuspensionUrl));
  ASSERT_TRUE(suspended.ok()) << suspended.status();
  EXPECT_TRUE(suspended->suspended);
  EXPECT_FALSE(suspended->revoked);
  auto fine = Run(Entry("suspension", 8, kSuspensionUrl));
  ASSERT_TRUE(fine.ok());
  EXPECT_FALSE(fine->suspended);
}

TEST_F(StatusListCheckTest, Message) {
  auto r = Run(Entry("message", 9, kMessageUrl));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->value, 2u);
  EXPECT_EQ(r->message, "rejected");
  EXPECT_FALSE(r->revoked);
  EXPECT_FALSE(r->valid);
  auto zero = Run(Entry("message", 10, kMessageUrl));
  ASSERT_TRUE(zero.ok());
  EXPECT_EQ(zero->message, "pending_review");
}

TEST_F(StatusListCheckTest, PurposeMismatch) {
  auto r = Run(Entry("suspension", 42, kRevocationUrl));
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(r.status().message()),
              HasSubstr("entry statusPurpose \"suspension\" is not among the list's "
                        "[\"revocation\"]"));
}

TEST_F(StatusListCheckTest, ValidityPeriodOfTheList) {
  auto expired = Run(Entry("revocation", 43, kRevocationUrl), At("2027-01-01T00:00:00Z"));
  EXPECT_EQ(expired.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(expired.status().message()),
              HasSubstr("expired at 2026-12-31T00:00:00Z"));
  auto early = Run(Entry("revocation", 43, kRevocationUrl), At("2025-12-31T23:59:59Z"));
  EXPECT_EQ(early.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(early.status().message()),
              HasSubstr("not valid before 2026-01-01T00:00:00Z"));
  // Both bounds are inclusive.
  EXPECT_TRUE(Run(Entry("revocation", 43, kRevocationUrl), At("2026-01-01T00:00:00Z")).ok());
  EXPECT_TRUE(Run(Entry("revocation", 43, kRevocationUrl), At("2026-12-31T00:00:00Z")).ok());
  // A clock tolerance widens both bounds by that much, and no more.
  CheckStatusOptions tolerant;
  tolerant.skew = std::chrono::seconds(60);
  EXPECT_TRUE(
      Run(Entry("revocation", 43, kRevocationUrl), At("2025-12-31T23:59:00Z"), AcceptAll, tolerant)
          .ok());
  EXPECT_TRUE(
      Run(Entry("revocation", 43, kRevocationUrl), At("2026-12-31T00:01:00Z"), AcceptAll, tolerant)
          .ok());
  auto too_early =
      Run(Entry("revocation", 43, kRevocationUrl), At("2025-12-31T23:58:59Z"), AcceptAll, tolerant);
  EXPECT_THAT(std::string(too_early.status().message()),
              HasSubstr("not valid before 2026-01-01T00:00:00Z"));
  auto too_late =
      Run(Entry("revocation", 43, kRevocationUrl), At("2026-12-31T00:01:01Z"), AcceptAll, tolerant);
  EXPECT_THAT(std::string(too_late.status().message()),
              HasSubstr("expired at 2026-12-31T00:00:00Z"));
}

TEST_F(StatusListCheckTest, VerifierIsRequiredAndObeyed) {
  int calls = 0;
  ListVerifier reject = [&](const json& credential) {
    ++calls;
    EXPECT_EQ(credential["id"], std::string(kRevocationUrl));
    return PermissionDeniedError("signature does not verify");
  };
  auto r = Run(Entry("revocation", 43, kRevocationUrl), At("2026-06-01T00:00:00Z"), reject);
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("STATUS_VERIFICATION_ERROR"));
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("signature does not verify"));
  EXPECT_EQ(calls, 1);

  auto none =
      Run(Entry("revocation", 43, kRevocationUrl), At("2026-06-01T00:00:00Z"), ListVerifier());
  EXPECT_EQ(none.status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(StatusListCheckTest, RetrievalFailure) {
  auto r = Run(Entry("revocation", 43, "https://example.com/status/missing"));
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("STATUS_RETRIEVAL_ERROR"));
}

TEST_F(StatusListCheckTest, IndexOutOfRange) {
  auto r = Run(Entry("revocation", 131072, kRevocationUrl));
  EXPECT_EQ(r.status().code(), StatusCode::kOutOfRange);
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("RANGE_ERROR"));
}

TEST_F(StatusListCheckTest, ListMustMatchTheEntry) {
  json& list = resolver_.lists[std::string(kRevocationUrl)];
  json original = list;

  list["type"] = {"VerifiableCredential", "StatusList2021Credential"};
  list["credentialSubject"]["type"] = "StatusList2021";
  auto wrong_type = Run(Entry("revocation", 43, kRevocationUrl));
  EXPECT_EQ(wrong_type.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(wrong_type.status().message()),
              HasSubstr("needs a BitstringStatusListCredential"));

  list = original;
  list["id"] = "https://example.com/status/other";
  EXPECT_EQ(Run(Entry("revocation", 43, kRevocationUrl)).status().code(),
            StatusCode::kFailedPrecondition);

  list = original;
  list["credentialSubject"]["statusSize"] = 2;
  EXPECT_EQ(Run(Entry("revocation", 43, kRevocationUrl)).status().code(),
            StatusCode::kFailedPrecondition);

  list = original;
  list["credentialSubject"]["encodedList"] = "uH4sI";
  EXPECT_EQ(Run(Entry("revocation", 43, kRevocationUrl)).status().code(),
            StatusCode::kInvalidArgument);

  list = original;
  list["credentialSubject"]["statusPurpose"] = {"suspension", "revocation"};
  auto two = Run(Entry("revocation", 42, kRevocationUrl));
  ASSERT_TRUE(two.ok()) << two.status();
  EXPECT_TRUE(two->revoked);
}

TEST_F(StatusListCheckTest, ShortListsNeedAnExplicitLowerBound) {
  auto small = Bitstring::Create(1024, 1, Small());
  ASSERT_TRUE(small.ok());
  ASSERT_TRUE(small->Set(5, 1).ok());
  StatusListCredentialOptions options = ListOptions("https://example.com/status/small");
  options.min_entries = 1024;
  auto credential = MakeStatusListCredential(options, *small);
  ASSERT_TRUE(credential.ok());
  resolver_.lists["https://example.com/status/small"] = *credential;
  json entry = Entry("revocation", 5, "https://example.com/status/small");
  auto refused = Run(entry);
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("STATUS_LIST_LENGTH_ERROR"));
  CheckStatusOptions lowered;
  lowered.min_entries = 1024;
  auto accepted = Run(entry, At("2026-06-01T00:00:00Z"), AcceptAll, lowered);
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  EXPECT_TRUE(accepted->revoked);
}

TEST_F(StatusListCheckTest, StatusList2021AndRevocationList2020) {
  auto list = Bitstring::Create(kMinStatusListEntries);
  ASSERT_TRUE(list.ok());
  ASSERT_TRUE(list->Set(94567, 1).ok());
  json sl2021 = {
      {"@context",
       {"https://www.w3.org/2018/credentials/v1", "https://w3id.org/vc/status-list/2021/v1"}},
      {"id", "https://example.com/credentials/status/3"},
      {"type", {"VerifiableCredential", "StatusList2021Credential"}},
      {"issuer", "did:example:12345"},
      {"issuanceDate", "2021-04-05T14:27:40Z"},
      {"credentialSubject",
       {{"id", "https://example.com/status/3#list"},
        {"type", "StatusList2021"},
        {"statusPurpose", "revocation"},
        {"encodedList", *list->Encode(EncodedListFormat::kBase64Url)}}}};
  resolver_.lists["https://example.com/credentials/status/3"] = sl2021;
  json entry = {{"id", "https://example.com/credentials/status/3#94567"},
                {"type", "StatusList2021Entry"},
                {"statusPurpose", "revocation"},
                {"statusListIndex", "94567"},
                {"statusListCredential", "https://example.com/credentials/status/3"}};
  auto r = Run(entry);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->revoked);
  EXPECT_EQ(r->type, StatusEntryType::kStatusList2021Entry);
  // A 2021 entry is not answered by a Bitstring list, nor the other way round.
  auto mixed = Run(Entry("revocation", 1, kRevocationUrl));
  ASSERT_TRUE(mixed.ok());
  entry["statusListCredential"] = std::string(kRevocationUrl);
  EXPECT_EQ(Run(entry).status().code(), StatusCode::kInvalidArgument);

  json rl2020 = {{"id", "https://example.com/credentials/status/1"},
                 {"type", {"VerifiableCredential", "RevocationList2020Credential"}},
                 {"issuer", "did:example:12345"},
                 {"issuanceDate", "2020-04-05T14:27:40Z"},
                 {"expirationDate", "2030-04-05T14:27:40Z"},
                 {"credentialSubject",
                  {{"id", "https://example.com/status/1#list"},
                   {"type", "RevocationList2020"},
                   {"encodedList", *list->Encode(EncodedListFormat::kBase64Url)}}}};
  resolver_.lists["https://example.com/credentials/status/1"] = rl2020;
  json rl_entry = {{"id", "https://example.com/credentials/status/1#94567"},
                   {"type", "RevocationList2020Status"},
                   {"revocationListIndex", "94567"},
                   {"revocationListCredential", "https://example.com/credentials/status/1"}};
  auto r2 = Run(rl_entry);
  ASSERT_TRUE(r2.ok()) << r2.status();
  EXPECT_TRUE(r2->revoked);
  EXPECT_EQ(Run(rl_entry, At("2031-01-01T00:00:00Z")).status().code(),
            StatusCode::kFailedPrecondition);
}

TEST_F(StatusListCheckTest, ReportPassesFailsAndSkips) {
  json credential = {{"@context", {"https://www.w3.org/ns/credentials/v2"}},
                     {"type", {"VerifiableCredential"}},
                     {"issuer", "did:example:12345"},
                     {"credentialSubject", {{"id", "did:example:6789"}}}};
  const Time now = At("2026-06-01T00:00:00Z");
  {
    VerificationReport report;
    CheckCredentialStatus(credential, resolver_, AcceptAll, now, &report);
    const Check* check = report.Find(kCheckStatus);
    ASSERT_NE(check, nullptr);
    EXPECT_EQ(check->status, CheckStatus::kSkipped);
    EXPECT_FALSE(check->required);
    EXPECT_EQ(resolver_.fetches, 0);
  }
  credential["credentialStatus"] = Entry("revocation", 43, kRevocationUrl);
  {
    VerificationReport report;
    CheckCredentialStatus(credential, resolver_, AcceptAll, now, &report);
    const Check* check = report.Find(kCheckStatus);
    ASSERT_NE(check, nullptr);
    EXPECT_EQ(check->status, CheckStatus::kPass) << check->reason;
    EXPECT_THAT(check->reason,
                HasSubstr("revocation: not revoked (entry 43 of " + std::string(kRevocationUrl)));
    EXPECT_TRUE(report.verified());
  }
  // Two entries on one list: fetched (and verified) once.
  resolver_.fetches = 0;
  auto both = Bitstring::Create(kMinStatusListEntries);
  ASSERT_TRUE(both.ok());
  ASSERT_TRUE(both->Set(12345, 1).ok());
  Publish("https://example.com/status/5", {"revocation", "suspension"}, *both);
  credential["credentialStatus"] = {Entry("revocation", 94567, "https://example.com/status/5"),
                                    Entry("suspension", 12345, "https://example.com/status/5")};
  {
    VerificationReport report;
    CheckCredentialStatus(credential, resolver_, AcceptAll, now, &report);
    const Check* check = report.Find(kCheckStatus);
    ASSERT_NE(check, nullptr);
    EXPECT_EQ(check->status, CheckStatus::kFail);
    EXPECT_EQ(check->pointer, "/credentialStatus/1");
    EXPECT_THAT(check->reason, HasSubstr("suspended (entry 12345 of https://example.com/status/5"));
    EXPECT_EQ(resolver_.fetches, 1);
    ASSERT_EQ(report.problems().size(), 1u);
    EXPECT_EQ(report.problems()[0].pointer, "/credentialStatus/1");
    EXPECT_FALSE(report.verified());
  }
  credential["credentialStatus"] = {Entry("revocation", 42, kRevocationUrl),
                                    {{"type", "TokenStatusList"}}};
  {
    VerificationReport report;
    CheckCredentialStatus(credential, resolver_, AcceptAll, now, &report);
    const Check* check = report.Find(kCheckStatus);
    ASSERT_NE(check, nullptr);
    EXPECT_EQ(check->status, CheckStatus::kFail);
    EXPECT_EQ(check->pointer, "/credentialStatus/0");
    EXPECT_THAT(check->reason, HasSubstr("revoked (entry 42"));
    EXPECT_THAT(check->reason, HasSubstr("(and 1 more)"));
    ASSERT_EQ(report.problems().size(), 2u);
    EXPECT_THAT(report.problems()[1].message, HasSubstr("status could not be checked"));
  }
  credential["credentialStatus"] = 5;
  {
    VerificationReport report;
    CheckCredentialStatus(credential, resolver_, AcceptAll, now, &report);
    EXPECT_EQ(report.Find(kCheckStatus)->status, CheckStatus::kFail);
  }
  credential["credentialStatus"] = json::array();
  {
    VerificationReport report;
    CheckCredentialStatus(credential, resolver_, AcceptAll, now, &report);
    EXPECT_EQ(report.Find(kCheckStatus)->status, CheckStatus::kSkipped);
  }
  credential["credentialStatus"] = Entry("revocation", 43, kRevocationUrl);
  {
    VerificationReport report;
    CheckCredentialStatus(credential, resolver_, ListVerifier(), now, &report);
    EXPECT_EQ(report.Find(kCheckStatus)->status, CheckStatus::kFail);
  }
  credential["credentialStatus"] = json::array();
  for (int i = 0; i < 17; ++i) {
    credential["credentialStatus"].push_back(Entry("revocation", 43, kRevocationUrl));
  }
  {
    VerificationReport report;
    CheckCredentialStatus(credential, resolver_, AcceptAll, now, &report);
    EXPECT_EQ(report.Find(kCheckStatus)->status, CheckStatus::kFail);
    EXPECT_THAT(report.Find(kCheckStatus)->reason, HasSubstr("at most 16"));
  }
}

}  // namespace
}  // namespace traceport::vc
