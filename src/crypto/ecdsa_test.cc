#include "crypto/ecdsa.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "common/testing/fake_random.h"
#include "crypto/internal/hex_test_util.h"
#include "crypto/random.h"

namespace traceport::crypto {
namespace {

using internal::Bytes;
using internal::Hex;
using internal::ToHex;

// Curve constants from SEC 2 (generator G, field prime p, order n) plus two points found for
// these tests: x = 0 lies on both curves (so x = p is a non-canonical encoding of a real
// point), and x = 1 has no y on either curve.
struct CurveVectors {
  EcdsaCurve curve;
  const char* gx;
  const char* gy;
  const char* neg_gy;  // p - gy
  const char* p;
  const char* n;
  const char* y_at_x0;
};

const CurveVectors kP256Vectors = {
    EcdsaCurve::kP256,
    "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296",
    "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
    "b01cbd1c01e58065711814b583f061e9d431cca994cea1313449bf97c840ae0a",
    "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
    "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551",
    "66485c780e2f83d72433bd5d84a06bb6541c2af31dae871728bf856a174f93f4",
};

const CurveVectors kP384Vectors = {
    EcdsaCurve::kP384,
    "aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e38727"
    "60ab7",
    "3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90e"
    "a0e5f",
    "c9e821b569d9d390a26167406d6d23d6070be242d765eb831625ceec4a0f473ef59f4e30e2817e6285bce2846f1"
    "5f1a0",
    "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffff"
    "ffff",
    "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc5"
    "2973",
    "c306610fb0ae5a159cf45c06069f22a6c5eb3641c602d42dea2c4b4f75550793406d80d2b91ad54f9048bd487af1"
    "ade1",
};

std::vector<uint8_t> Concat(std::initializer_list<std::vector<uint8_t>> parts) {
  std::vector<uint8_t> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// Big-endian a - b for equal-length a >= b.
std::vector<uint8_t> Subtract(std::vector<uint8_t> a, const std::vector<uint8_t>& b) {
  int borrow = 0;
  for (size_t i = a.size(); i-- > 0;) {
    int d = a[i] - b[i] - borrow;
    borrow = d < 0;
    a[i] = static_cast<uint8_t>(d + (borrow ? 256 : 0));
  }
  return a;
}

std::vector<uint8_t> Scalar(EcdsaCurve curve, uint8_t last) {
  std::vector<uint8_t> s(EcdsaFieldSize(curve), 0);
  s.back() = last;
  return s;
}

class EcdsaTest : public ::testing::TestWithParam<CurveVectors> {
 protected:
  EcdsaCurve curve() const { return GetParam().curve; }
  size_t width() const { return EcdsaFieldSize(curve()); }
};

INSTANTIATE_TEST_SUITE_P(Curves, EcdsaTest, ::testing::Values(kP256Vectors, kP384Vectors),
                         [](const auto& param_info) {
                           return param_info.param.curve == EcdsaCurve::kP256 ? "P256" : "P384";
                         });

TEST_P(EcdsaTest, CurveProperties) {
  EXPECT_EQ(EcdsaSignatureSize(curve()), 2 * width());
  EXPECT_EQ(EcdsaCurveName(curve()), curve() == EcdsaCurve::kP256 ? "P-256" : "P-384");
}

TEST_P(EcdsaTest, ScalarOneGivesTheGenerator) {
  auto key = EcdsaPrivateKey::FromScalar(curve(), Scalar(curve(), 1));
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  const EcdsaPublicKey& pub = key->public_key();
  EXPECT_EQ(ToHex(pub.x()), GetParam().gx);
  EXPECT_EQ(ToHex(pub.y()), GetParam().gy);
  EXPECT_EQ(ToHex(pub.ToUncompressed()), std::string("04") + GetParam().gx + GetParam().gy);
  EXPECT_EQ(ToHex(key->ExportScalar().span()), ToHex(Scalar(curve(), 1)));
  EXPECT_EQ(key->curve(), curve());
  EXPECT_EQ(pub.curve(), curve());
}

TEST_P(EcdsaTest, ScalarNMinusOneGivesMinusGenerator) {
  std::vector<uint8_t> d = Subtract(Hex(GetParam().n), Scalar(curve(), 1));
  auto key = EcdsaPrivateKey::FromScalar(curve(), d);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(ToHex(key->public_key().x()), GetParam().gx);
  EXPECT_EQ(ToHex(key->public_key().y()), GetParam().neg_gy);
  auto sig = key->SignP1363(Bytes("edge"));
  ASSERT_TRUE(sig.ok());
  EXPECT_TRUE(key->public_key().VerifyP1363(Bytes("edge"), *sig).ok());
}

TEST_P(EcdsaTest, RejectsScalarsOutsideTheGroup) {
  const std::vector<uint8_t> n = Hex(GetParam().n);
  std::vector<uint8_t> n_plus_1 = n;
  n_plus_1.back() += 1;  // n ends in 0x51 / 0x73: no carry
  for (const auto& bad : {Scalar(curve(), 0), n, n_plus_1, std::vector<uint8_t>(width(), 0xff)}) {
    auto key = EcdsaPrivateKey::FromScalar(curve(), bad);
    EXPECT_EQ(key.status().code(), StatusCode::kInvalidArgument) << ToHex(bad);
  }
  for (size_t len : {size_t{0}, width() - 1, width() + 1}) {
    EXPECT_EQ(EcdsaPrivateKey::FromScalar(curve(), std::vector<uint8_t>(len, 1)).status().code(),
              StatusCode::kInvalidArgument)
        << len;
  }
}

TEST_P(EcdsaTest, SignVerifyP1363AndDer) {
  testing::FakeRandom random(5);
  auto key = EcdsaPrivateKey::Generate(curve(), random);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  const EcdsaPublicKey& pub = key->public_key();
  for (size_t len : {0u, 1u, 100u}) {
    std::vector<uint8_t> message(len, 0xa5);
    auto p1363 = key->SignP1363(message);
    ASSERT_TRUE(p1363.ok()) << p1363.status().ToString();
    EXPECT_EQ(p1363->size(), EcdsaSignatureSize(curve()));
    EXPECT_TRUE(pub.VerifyP1363(message, *p1363).ok());

    auto der = key->SignDer(message);
    ASSERT_TRUE(der.ok()) << der.status().ToString();
    EXPECT_EQ((*der)[0], 0x30);
    EXPECT_LE(der->size(), curve() == EcdsaCurve::kP256 ? 72u : 104u);
    EXPECT_TRUE(pub.VerifyDer(message, *der).ok());

    // The encodings are not interchangeable.
    EXPECT_FALSE(pub.VerifyDer(message, *p1363).ok());
    EXPECT_FALSE(pub.VerifyP1363(message, *der).ok());
  }
}

TEST_P(EcdsaTest, GenerateIsDeterministicInTheRandomSource) {
  testing::FakeRandom a(9), b(9);
  auto ka = EcdsaPrivateKey::Generate(curve(), a);
  auto kb = EcdsaPrivateKey::Generate(curve(), b);
  ASSERT_TRUE(ka.ok() && kb.ok());
  EXPECT_TRUE(ka->public_key() == kb->public_key());
  auto kc = EcdsaPrivateKey::Generate(curve(), DefaultCsprng());
  ASSERT_TRUE(kc.ok());
  EXPECT_FALSE(ka->public_key() == kc->public_key());
}

// A source stuck on one value never yields a scalar in [1, n-1]: generation must give up.
class StuckRandom final : public RandomSource {
 public:
  explicit StuckRandom(uint8_t value) : value_(value) {}
  void Fill(std::span<uint8_t> out) override { std::fill(out.begin(), out.end(), value_); }

 private:
  uint8_t value_;
};

TEST_P(EcdsaTest, GenerateFailsOnABrokenRandomSource) {
  StuckRandom zeros(0x00), ones(0xff);
  EXPECT_EQ(EcdsaPrivateKey::Generate(curve(), zeros).status().code(), StatusCode::kInternal);
  EXPECT_EQ(EcdsaPrivateKey::Generate(curve(), ones).status().code(), StatusCode::kInternal);
}

TEST_P(EcdsaTest, PublicKeyEncodingsRoundTrip) {
  testing::FakeRandom random(21);
  // Enough keys that both parities of y occur.
  bool seen_parity[2] = {false, false};
  for (int i = 0; i < 8; ++i) {
    auto key = EcdsaPrivateKey::Generate(curve(), random);
    ASSERT_TRUE(key.ok());
    const EcdsaPublicKey& pub = key->public_key();
    const std::vector<uint8_t> compressed = pub.ToCompressed();
    ASSERT_EQ(compressed.size(), 1 + width());
    seen_parity[compressed[0] & 1] = true;

    auto from_compressed = EcdsaPublicKey::FromSec1(curve(), compressed);
    auto from_uncompressed = EcdsaPublicKey::FromSec1(curve(), pub.ToUncompressed());
    auto from_affine = EcdsaPublicKey::FromAffine(curve(), pub.x(), pub.y());
    ASSERT_TRUE(from_compressed.ok()) << from_compressed.status().ToString();
    ASSERT_TRUE(from_uncompressed.ok()) << from_uncompressed.status().ToString();
    ASSERT_TRUE(from_affine.ok()) << from_affine.status().ToString();
    EXPECT_TRUE(*from_compressed == pub);
    EXPECT_TRUE(*from_uncompressed == pub);
    EXPECT_TRUE(*from_affine == pub);

    auto sig = key->SignP1363(Bytes("round trip"));
    ASSERT_TRUE(sig.ok());
    EXPECT_TRUE(from_compressed->VerifyP1363(Bytes("round trip"), *sig).ok());
  }
  EXPECT_TRUE(seen_parity[0] && seen_parity[1]);
}

TEST_P(EcdsaTest, RejectsPointsNotOnTheCurve) {
  const std::vector<uint8_t> gx = Hex(GetParam().gx), gy = Hex(GetParam().gy);
  std::vector<uint8_t> gy_plus_1 = gy;
  gy_plus_1.back() ^= 1;
  auto off = EcdsaPublicKey::FromAffine(curve(), gx, gy_plus_1);
  EXPECT_EQ(off.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(EcdsaPublicKey::FromSec1(curve(), Concat({{0x04}, gx, gy_plus_1})).status().code(),
            StatusCode::kInvalidArgument);
  // x = 1 has no square root on either curve, so neither compressed form decodes.
  for (uint8_t prefix : {0x02, 0x03}) {
    EXPECT_EQ(
        EcdsaPublicKey::FromSec1(curve(), Concat({{prefix}, Scalar(curve(), 1)})).status().code(),
        StatusCode::kInvalidArgument);
  }
  // (0, 0) and all-zero coordinates.
  EXPECT_FALSE(EcdsaPublicKey::FromAffine(curve(), Scalar(curve(), 0), Scalar(curve(), 0)).ok());
}

TEST_P(EcdsaTest, RejectsNonCanonicalCoordinates) {
  const std::vector<uint8_t> zero = Scalar(curve(), 0), p = Hex(GetParam().p);
  const std::vector<uint8_t> y0 = Hex(GetParam().y_at_x0);
  // (0, y0) is a genuine point ...
  auto genuine = EcdsaPublicKey::FromAffine(curve(), zero, y0);
  ASSERT_TRUE(genuine.ok()) << genuine.status().ToString();
  // ... and x = p is the same x modulo p, which must not be accepted as an encoding of it.
  EXPECT_EQ(EcdsaPublicKey::FromAffine(curve(), p, y0).status().code(),
            StatusCode::kInvalidArgument);
  const uint8_t parity = static_cast<uint8_t>(0x02 | (y0.back() & 1));
  EXPECT_TRUE(EcdsaPublicKey::FromSec1(curve(), Concat({{parity}, zero})).ok());
  EXPECT_EQ(EcdsaPublicKey::FromSec1(curve(), Concat({{parity}, p})).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_P(EcdsaTest, RejectsMalformedEncodings) {
  const std::vector<uint8_t> gx = Hex(GetParam().gx), gy = Hex(GetParam().gy);
  const std::vector<std::vector<uint8_t>> bad = {
      {},
      {0x00},                            // point at infinity
      Concat({{0x05}, gx}),              // unknown prefix
      Concat({{0x04}, gx}),              // uncompressed prefix, compressed length
      Concat({{0x02}, gx, gy}),          // compressed prefix, uncompressed length
      Concat({{0x06}, gx, gy}),          // hybrid form (X9.62), not accepted
      Concat({{0x04}, gx, gy, {0x00}}),  // trailing byte
      Concat({gx, gy}),                  // raw x ‖ y without prefix
  };
  for (const auto& encoded : bad) {
    EXPECT_EQ(EcdsaPublicKey::FromSec1(curve(), encoded).status().code(),
              StatusCode::kInvalidArgument)
        << ToHex(encoded);
  }
  std::vector<uint8_t> short_x(gx.begin() + 1, gx.end());
  EXPECT_EQ(EcdsaPublicKey::FromAffine(curve(), short_x, gy).status().code(),
            StatusCode::kInvalidArgument);
  std::vector<uint8_t> padded_x = Concat({{0x00}, gx});
  EXPECT_EQ(EcdsaPublicKey::FromAffine(curve(), padded_x, gy).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_P(EcdsaTest, VerifyRejectsBadSignatures) {
  testing::FakeRandom random(31);
  auto key = EcdsaPrivateKey::Generate(curve(), random);
  ASSERT_TRUE(key.ok());
  const EcdsaPublicKey& pub = key->public_key();
  const auto message = Bytes("pay 100 to alice");
  auto sig_or = key->SignP1363(message);
  ASSERT_TRUE(sig_or.ok());
  const std::vector<uint8_t> sig = *sig_or;
  const std::vector<uint8_t> n = Hex(GetParam().n);
  const std::span<const uint8_t> r(sig.data(), width()), s(sig.data() + width(), width());
  const std::vector<uint8_t> rv(r.begin(), r.end()), sv(s.begin(), s.end());

  EXPECT_EQ(pub.VerifyP1363(Bytes("pay 900 to alice"), sig).code(), StatusCode::kPermissionDenied);
  for (size_t i = 0; i < sig.size(); i += 7) {
    std::vector<uint8_t> bad = sig;
    bad[i] ^= 0x01;
    EXPECT_EQ(pub.VerifyP1363(message, bad).code(), StatusCode::kPermissionDenied) << i;
  }
  // Wrong lengths, including the other curve's size.
  for (size_t len : {size_t{0}, sig.size() - 1, sig.size() + 1, size_t{64 + 96 - sig.size()}}) {
    std::vector<uint8_t> bad(len, 1);
    EXPECT_EQ(pub.VerifyP1363(message, bad).code(), StatusCode::kInvalidArgument) << len;
  }
  const std::vector<uint8_t> zero(width(), 0);
  EXPECT_EQ(pub.VerifyP1363(message, Concat({zero, sv})).code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(pub.VerifyP1363(message, Concat({rv, zero})).code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(pub.VerifyP1363(message, Concat({zero, zero})).code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(pub.VerifyP1363(message, Concat({rv, n})).code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(pub.VerifyP1363(message, Concat({n, sv})).code(), StatusCode::kPermissionDenied);
  // A different key.
  auto other = EcdsaPrivateKey::Generate(curve(), random);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->public_key().VerifyP1363(message, sig).code(), StatusCode::kPermissionDenied);
}

// ECDSA is malleable: (r, n - s) verifies whenever (r, s) does. The policy does not require
// low S, so both forms are accepted.
TEST_P(EcdsaTest, AcceptsHighS) {
  testing::FakeRandom random(41);
  auto key = EcdsaPrivateKey::Generate(curve(), random);
  ASSERT_TRUE(key.ok());
  const auto message = Bytes("malleable");
  auto sig = key->SignP1363(message);
  ASSERT_TRUE(sig.ok());
  const std::vector<uint8_t> r(sig->begin(), sig->begin() + width());
  const std::vector<uint8_t> s(sig->begin() + width(), sig->end());
  const std::vector<uint8_t> flipped = Concat({r, Subtract(Hex(GetParam().n), s)});
  EXPECT_TRUE(key->public_key().VerifyP1363(message, flipped).ok());
}

TEST_P(EcdsaTest, VerifyDerRejectsNonCanonicalEncodings) {
  testing::FakeRandom random(51);
  auto key = EcdsaPrivateKey::Generate(curve(), random);
  ASSERT_TRUE(key.ok());
  const auto message = Bytes("der");
  auto der_or = key->SignDer(message);
  ASSERT_TRUE(der_or.ok());
  const std::vector<uint8_t> der = *der_or;
  ASSERT_TRUE(key->public_key().VerifyDer(message, der).ok());

  std::vector<uint8_t> trailing = der;
  trailing.push_back(0x00);
  std::vector<uint8_t> long_form = {0x30, 0x81, der[1]};  // BER: long-form length
  long_form.insert(long_form.end(), der.begin() + 2, der.end());
  std::vector<uint8_t> indefinite = {0x30, 0x80};  // BER: indefinite length
  indefinite.insert(indefinite.end(), der.begin() + 2, der.end());
  indefinite.insert(indefinite.end(), {0x00, 0x00});
  std::vector<uint8_t> wrong_tag = der;
  wrong_tag[0] = 0x31;
  for (const auto& bad : {trailing, long_form, indefinite, wrong_tag, std::vector<uint8_t>{}}) {
    EXPECT_EQ(key->public_key().VerifyDer(message, bad).code(), StatusCode::kInvalidArgument)
        << ToHex(bad);
  }
}

TEST(EcdsaCrossCurveTest, KeysOfDifferentCurvesDiffer) {
  auto a = EcdsaPrivateKey::FromScalar(EcdsaCurve::kP256, Scalar(EcdsaCurve::kP256, 1));
  auto b = EcdsaPrivateKey::FromScalar(EcdsaCurve::kP384, Scalar(EcdsaCurve::kP384, 1));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_FALSE(a->public_key() == b->public_key());
  auto sig = a->SignP1363(Bytes("m"));
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(b->public_key().VerifyP1363(Bytes("m"), *sig).code(), StatusCode::kInvalidArgument);
  // A P-256 point is not a P-384 point.
  EXPECT_EQ(
      EcdsaPublicKey::FromSec1(EcdsaCurve::kP384, a->public_key().ToUncompressed()).status().code(),
      StatusCode::kInvalidArgument);
}

TEST(EcdsaKeyTest, MovedKeyKeepsWorkingAndPublicKeysCopyCheaply) {
  testing::FakeRandom random(61);
  auto key = EcdsaPrivateKey::Generate(EcdsaCurve::kP256, random);
  ASSERT_TRUE(key.ok());
  EcdsaPrivateKey moved = std::move(key).value();
  EcdsaPublicKey copy = moved.public_key();
  auto sig = moved.SignP1363(Bytes("m"));
  ASSERT_TRUE(sig.ok());
  EXPECT_TRUE(copy.VerifyP1363(Bytes("m"), *sig).ok());
  EXPECT_EQ(copy.x().data(), moved.public_key().x().data());  // shared, not re-parsed
}

TEST(EcdsaKeyTest, ConcurrentSignAndVerifyWithOneKey) {
  testing::FakeRandom random(71);
  auto key = EcdsaPrivateKey::Generate(EcdsaCurve::kP256, random);
  ASSERT_TRUE(key.ok());
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&key, &failures, t] {
      for (int i = 0; i < 25; ++i) {
        std::vector<uint8_t> msg = {static_cast<uint8_t>(t), static_cast<uint8_t>(i)};
        auto sig = key->SignP1363(msg);
        if (!sig.ok() || !key->public_key().VerifyP1363(msg, *sig).ok()) ++failures[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures, std::vector<int>(4, 0));
}

// Verification reuses pooled contexts: a context that has just rejected a signature must accept
// the next good one, and more concurrent callers than the pool keeps must all get answers.
TEST_P(EcdsaTest, ConcurrentVerificationsThroughPooledContextsStayExact) {
  testing::FakeRandom random(83);
  auto key = EcdsaPrivateKey::Generate(GetParam().curve, random);
  ASSERT_TRUE(key.ok());
  const EcdsaPublicKey pub = key->public_key();
  const std::span<const uint8_t> msg = Bytes("pooled contexts");
  auto p1363 = key->SignP1363(msg);
  auto der = key->SignDer(msg);
  ASSERT_TRUE(p1363.ok() && der.ok());
  std::vector<uint8_t> bad_sig = *p1363;
  bad_sig[bad_sig.size() / 2] ^= 0x01;
  const std::span<const uint8_t> bad_msg = Bytes("pooled context");
  constexpr int kThreads = 24;  // more than the pool keeps idle
  std::vector<int> wrong(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 12; ++i) {
        if (!pub.VerifyP1363(msg, *p1363).ok()) ++wrong[t];
        if (pub.VerifyP1363(msg, bad_sig).code() != StatusCode::kPermissionDenied) ++wrong[t];
        if (pub.VerifyP1363(bad_msg, *p1363).code() != StatusCode::kPermissionDenied) ++wrong[t];
        if (!pub.VerifyDer(msg, *der).ok()) ++wrong[t];
        if (pub.VerifyDer(bad_msg, *der).code() != StatusCode::kPermissionDenied) ++wrong[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong, std::vector<int>(kThreads, 0));
}

}  // namespace
}  // namespace traceport::crypto
