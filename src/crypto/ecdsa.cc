#include "crypto/ecdsa.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/params.h>

#include <algorithm>
#include <array>
#include <bit>
#include <mutex>
#include <string>
#include <vector>

#include "crypto/internal/ecdsa_der.h"
#include "crypto/internal/openssl.h"
#include "crypto/sha2.h"

namespace traceport::crypto {
namespace {

constexpr size_t kMaxFieldSize = 48;
constexpr size_t kMaxUncompressedSize = 1 + 2 * kMaxFieldSize;
constexpr size_t kMaxDerSize = internal::MaxDerSignatureSize(kMaxFieldSize);

struct CurveInfo {
  EcdsaCurve curve;
  const char* label;       // prefix of error messages
  const char* group_name;  // OpenSSL group name
  int nid;
  size_t width;  // field and scalar size in bytes
  const EVP_MD* (*digest)();
  // The group order n, big-endian, `width` bytes (SEC 2, sections 2.4.2 and 2.5.1).
  std::array<uint8_t, kMaxFieldSize> order;
};

constexpr CurveInfo kP256 = {EcdsaCurve::kP256,
                             "ecdsa-p256",
                             "P-256",
                             NID_X9_62_prime256v1,
                             32,
                             internal::FetchedSha256,
                             {0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff,
                              0xff, 0xff, 0xff, 0xff, 0xff, 0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17,
                              0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51}};

constexpr CurveInfo kP384 = {
    EcdsaCurve::kP384,
    "ecdsa-p384",
    "P-384",
    NID_secp384r1,
    48,
    internal::FetchedSha384,
    {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xc7, 0x63, 0x4d, 0x81, 0xf4, 0x37, 0x2d, 0xdf, 0x58, 0x1a, 0x0d, 0xb2,
     0x48, 0xb0, 0xa7, 0x7a, 0xec, 0xec, 0x19, 0x6a, 0xcc, 0xc5, 0x29, 0x73}};

const CurveInfo& Info(EcdsaCurve curve) { return curve == EcdsaCurve::kP256 ? kP256 : kP384; }

std::string Label(const CurveInfo& info, std::string_view what) {
  std::string s(info.label);
  s += ": ";
  s += what;
  return s;
}

// True if 0 < scalar < n. The time taken does not depend on the scalar's value.
bool ScalarInRange(const CurveInfo& info, std::span<const uint8_t> scalar) {
  uint8_t any = 0;
  unsigned borrow = 0;  // of scalar - n, computed from the least significant byte up
  for (size_t i = info.width; i-- > 0;) {
    any |= scalar[i];
    const unsigned diff = unsigned{scalar[i]} - unsigned{info.order[i]} - borrow;
    borrow = (diff >> 8) & 1;
  }
  return any != 0 && borrow == 1;
}

struct BnFree {
  void operator()(BIGNUM* p) const { BN_clear_free(p); }
};
struct EcGroupFree {
  void operator()(EC_GROUP* p) const { EC_GROUP_free(p); }
};
struct EcPointFree {
  void operator()(EC_POINT* p) const { EC_POINT_free(p); }
};

// Reads the big-endian, zero-padded value of BIGNUM parameter `name` of `pkey` into `out`.
bool GetPaddedBn(const EVP_PKEY* pkey, const char* name, std::span<uint8_t> out) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &raw) != 1) return false;
  std::unique_ptr<BIGNUM, BnFree> bn(raw);
  return BN_bn2binpad(bn.get(), out.data(), static_cast<int>(out.size())) ==
         static_cast<int>(out.size());
}

}  // namespace

// Verification contexts of one public key, already through EVP_PKEY_verify_init with the curve's
// digest set, kept for the next verification. Setting one up (what EVP_DigestVerifyInit does on
// every call) costs several microseconds, a few per cent of a P-256 verify; a context serves one
// verification at a time, so each caller takes one out and puts it back.
class VerifyContextPool {
 public:
  VerifyContextPool() = default;
  VerifyContextPool(const VerifyContextPool&) = delete;
  VerifyContextPool& operator=(const VerifyContextPool&) = delete;
  ~VerifyContextPool() {
    for (EVP_PKEY_CTX* ctx : idle_) EVP_PKEY_CTX_free(ctx);
  }

  // A ready context, or null when the pool has none idle.
  internal::EvpPkeyCtxPtr Take() {
    std::lock_guard<std::mutex> lock(mu_);
    if (idle_.empty()) return nullptr;
    internal::EvpPkeyCtxPtr ctx(idle_.back());
    idle_.pop_back();
    return ctx;
  }

  // Keeps `ctx` for reuse, unless kMaxIdle are idle already (a burst of concurrent callers).
  void Return(internal::EvpPkeyCtxPtr ctx) {
    std::lock_guard<std::mutex> lock(mu_);
    if (idle_.size() < kMaxIdle) idle_.push_back(ctx.release());
  }

 private:
  static constexpr size_t kMaxIdle = 16;
  std::mutex mu_;
  std::vector<EVP_PKEY_CTX*> idle_;  // owned
};

struct EcdsaPublicKey::Impl {
  const CurveInfo* info;
  internal::EvpPkeyPtr pkey;
  std::array<uint8_t, kMaxUncompressedSize> uncompressed;  // first 1 + 2 * width bytes used
  mutable VerifyContextPool verifiers;

  std::span<const uint8_t> encoded() const {
    return std::span<const uint8_t>(uncompressed).first(1 + 2 * info->width);
  }
};

struct EcdsaPrivateKey::Impl {
  const CurveInfo* info;
  internal::EvpPkeyPtr pkey;  // private and public parts
  SecretBytes scalar;
  EcdsaPublicKey public_key;
};

namespace {

// Imports a SEC1-encoded point as a public key. OpenSSL's decoder rejects coordinates >= p,
// points not on the curve and compressed x values without a square root; the explicit
// public-key check then also rules out the point at infinity.
Result<std::shared_ptr<const EcdsaPublicKey::Impl>> ImportPublic(const CurveInfo& info,
                                                                 std::span<const uint8_t> sec1) {
  internal::EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  if (ctx == nullptr || EVP_PKEY_fromdata_init(ctx.get()) != 1) {
    return internal::OpensslError(Label(info, "cannot create key context"));
  }
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
                                       const_cast<char*>(info.group_name), 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, const_cast<uint8_t*>(sec1.data()),
                                        sec1.size()),
      OSSL_PARAM_construct_end()};
  EVP_PKEY* raw = nullptr;
  const int imported = EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params);
  internal::EvpPkeyPtr pkey(raw);
  bool valid = imported == 1;
  if (valid) {
    internal::EvpPkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
    valid = check != nullptr && EVP_PKEY_public_check_quick(check.get()) == 1;
  }
  if (!valid) {
    internal::ClearOpensslErrors();
    return InvalidArgumentError(Label(info, "public key is not a valid point on the curve"));
  }
  auto impl = std::make_shared<EcdsaPublicKey::Impl>();
  impl->info = &info;
  impl->uncompressed[0] = 0x04;
  auto coordinates = std::span<uint8_t>(impl->uncompressed).subspan(1);
  if (!GetPaddedBn(pkey.get(), OSSL_PKEY_PARAM_EC_PUB_X, coordinates.first(info.width)) ||
      !GetPaddedBn(pkey.get(), OSSL_PKEY_PARAM_EC_PUB_Y,
                   coordinates.subspan(info.width, info.width))) {
    return internal::OpensslError(Label(info, "cannot read public key coordinates"));
  }
  impl->pkey = std::move(pkey);
  return std::shared_ptr<const EcdsaPublicKey::Impl>(std::move(impl));
}

// The uncompressed encoding of d·G, computed once when a private key is imported (OpenSSL 3.0
// does not derive the public point when a key is built from its scalar alone).
Status ComputePublicPoint(const CurveInfo& info, const BIGNUM* d, std::span<uint8_t> out) {
  std::unique_ptr<EC_GROUP, EcGroupFree> group(EC_GROUP_new_by_curve_name(info.nid));
  if (group == nullptr) return internal::OpensslError(Label(info, "cannot create group"));
  std::unique_ptr<EC_POINT, EcPointFree> point(EC_POINT_new(group.get()));
  if (point == nullptr ||
      EC_POINT_mul(group.get(), point.get(), d, nullptr, nullptr, nullptr) != 1 ||
      EC_POINT_point2oct(group.get(), point.get(), POINT_CONVERSION_UNCOMPRESSED, out.data(),
                         out.size(), nullptr) != out.size()) {
    return internal::OpensslError(Label(info, "cannot compute the public point"));
  }
  return Status::Ok();
}

// Signs `message` into `der` (MaxDerSignatureSize bytes); returns the DER length.
Result<size_t> SignToDer(const CurveInfo& info, EVP_PKEY* pkey, std::span<const uint8_t> message,
                         std::span<uint8_t> der) {
  const EVP_MD* md = info.digest();
  internal::EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  size_t length = der.size();
  if (md == nullptr || ctx == nullptr ||
      EVP_DigestSignInit(ctx.get(), nullptr, md, nullptr, pkey) != 1 ||
      EVP_DigestSign(ctx.get(), der.data(), &length, message.data(), message.size()) != 1) {
    return internal::OpensslError(Label(info, "signing failed"));
  }
  return length;
}

// Verifies a DER signature that has already passed the strict DER parser: the message is hashed
// with the curve's digest and the digest verified with a pooled context (the same ECDSA
// verification EVP_DigestVerify performs, without setting up a context each time).
Status VerifyCheckedDer(const EcdsaPublicKey::Impl& key, std::span<const uint8_t> message,
                        std::span<const uint8_t> der) {
  const CurveInfo& info = *key.info;
  std::array<uint8_t, kSha384Size> digest;
  const size_t digest_size = info.width == 32 ? kSha256Size : kSha384Size;
  if (digest_size == kSha256Size) {
    std::ranges::copy(Sha256(message), digest.begin());
  } else {
    std::ranges::copy(Sha384(message), digest.begin());
  }
  internal::EvpPkeyCtxPtr ctx = key.verifiers.Take();
  if (ctx == nullptr) {
    const EVP_MD* md = info.digest();
    ctx.reset(EVP_PKEY_CTX_new_from_pkey(nullptr, key.pkey.get(), nullptr));
    if (md == nullptr || ctx == nullptr || EVP_PKEY_verify_init(ctx.get()) != 1 ||
        EVP_PKEY_CTX_set_signature_md(ctx.get(), md) != 1) {
      return internal::OpensslError(Label(info, "cannot initialise verification"));
    }
  }
  const int verified =
      EVP_PKEY_verify(ctx.get(), der.data(), der.size(), digest.data(), digest_size);
  key.verifiers.Return(std::move(ctx));
  if (verified != 1) {
    internal::ClearOpensslErrors();
    return PermissionDeniedError(Label(info, "signature does not verify"));
  }
  return Status::Ok();
}

}  // namespace

std::string_view EcdsaCurveName(EcdsaCurve curve) { return Info(curve).group_name; }
size_t EcdsaFieldSize(EcdsaCurve curve) { return Info(curve).width; }
size_t EcdsaSignatureSize(EcdsaCurve curve) { return 2 * Info(curve).width; }

// ---- EcdsaPublicKey ----

Result<EcdsaPublicKey> EcdsaPublicKey::FromSec1(EcdsaCurve curve,
                                                std::span<const uint8_t> encoded) {
  const CurveInfo& info = Info(curve);
  const bool compressed =
      encoded.size() == 1 + info.width && (encoded[0] == 0x02 || encoded[0] == 0x03);
  const bool uncompressed = encoded.size() == 1 + 2 * info.width && encoded[0] == 0x04;
  if (!compressed && !uncompressed) {
    return InvalidArgumentError(
        Label(info, "public key must be a SEC1 point: 0x02/0x03 prefix and " +
                        std::to_string(1 + info.width) + " bytes, or 0x04 prefix and " +
                        std::to_string(1 + 2 * info.width) + " bytes; got " +
                        std::to_string(encoded.size()) + " bytes"));
  }
  ASSIGN_OR_RETURN(auto impl, ImportPublic(info, encoded));
  return EcdsaPublicKey(std::move(impl));
}

Result<EcdsaPublicKey> EcdsaPublicKey::FromAffine(EcdsaCurve curve, std::span<const uint8_t> x,
                                                  std::span<const uint8_t> y) {
  const CurveInfo& info = Info(curve);
  if (x.size() != info.width || y.size() != info.width) {
    return InvalidArgumentError(Label(info, "coordinates must be " + std::to_string(info.width) +
                                                " bytes each, got " + std::to_string(x.size()) +
                                                " and " + std::to_string(y.size())));
  }
  std::array<uint8_t, kMaxUncompressedSize> sec1;
  sec1[0] = 0x04;
  std::copy(x.begin(), x.end(), sec1.begin() + 1);
  std::copy(y.begin(), y.end(), sec1.begin() + 1 + info.width);
  ASSIGN_OR_RETURN(auto impl,
                   ImportPublic(info, std::span<const uint8_t>(sec1).first(1 + 2 * info.width)));
  return EcdsaPublicKey(std::move(impl));
}

EcdsaCurve EcdsaPublicKey::curve() const { return impl_->info->curve; }

std::vector<uint8_t> EcdsaPublicKey::ToUncompressed() const {
  auto encoded = impl_->encoded();
  return std::vector<uint8_t>(encoded.begin(), encoded.end());
}

std::vector<uint8_t> EcdsaPublicKey::ToCompressed() const {
  std::span<const uint8_t> px = x();
  std::vector<uint8_t> out;
  out.reserve(1 + px.size());
  out.push_back(static_cast<uint8_t>(0x02 | (y().back() & 1)));
  out.insert(out.end(), px.begin(), px.end());
  return out;
}

std::span<const uint8_t> EcdsaPublicKey::x() const {
  return impl_->encoded().subspan(1, impl_->info->width);
}

std::span<const uint8_t> EcdsaPublicKey::y() const {
  return impl_->encoded().subspan(1 + impl_->info->width);
}

Status EcdsaPublicKey::VerifyP1363(std::span<const uint8_t> message,
                                   std::span<const uint8_t> signature) const {
  const CurveInfo& info = *impl_->info;
  if (signature.size() != 2 * info.width) {
    return InvalidArgumentError(Label(info, "P1363 signature must be " +
                                                std::to_string(2 * info.width) + " bytes, got " +
                                                std::to_string(signature.size())));
  }
  std::array<uint8_t, kMaxDerSize> der;
  const size_t length = internal::P1363ToDer(signature, der);
  return VerifyCheckedDer(*impl_, message, std::span<const uint8_t>(der).first(length));
}

Status EcdsaPublicKey::VerifyDer(std::span<const uint8_t> message,
                                 std::span<const uint8_t> signature) const {
  const CurveInfo& info = *impl_->info;
  std::array<uint8_t, 2 * kMaxFieldSize> rs;
  Status parsed = internal::DerToP1363(signature, std::span<uint8_t>(rs).first(2 * info.width));
  if (!parsed.ok()) return parsed.WithContext(info.label);
  return VerifyCheckedDer(*impl_, message, signature);
}

bool operator==(const EcdsaPublicKey& a, const EcdsaPublicKey& b) {
  return a.impl_->info == b.impl_->info &&
         std::ranges::equal(a.impl_->encoded(), b.impl_->encoded());
}

// ---- EcdsaPrivateKey ----

EcdsaPrivateKey::EcdsaPrivateKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EcdsaPrivateKey::EcdsaPrivateKey(EcdsaPrivateKey&&) noexcept = default;
EcdsaPrivateKey& EcdsaPrivateKey::operator=(EcdsaPrivateKey&&) noexcept = default;
EcdsaPrivateKey::~EcdsaPrivateKey() = default;

Result<EcdsaPrivateKey> EcdsaPrivateKey::Generate(EcdsaCurve curve, RandomSource& random) {
  const CurveInfo& info = Info(curve);
  SecretBytes candidate(info.width);
  // For both curves n is within 2^-32 of 2^(8·width), so a draw is rejected with probability
  // below 2^-32; 64 rejections in a row mean the source is broken.
  for (int attempt = 0; attempt < 64; ++attempt) {
    random.Fill(candidate.mutable_span());
    if (ScalarInRange(info, candidate.span())) return FromScalar(curve, candidate.span());
  }
  return InternalError(Label(info, "random source keeps producing scalars outside [1, n-1]"));
}

Result<EcdsaPrivateKey> EcdsaPrivateKey::FromScalar(EcdsaCurve curve,
                                                    std::span<const uint8_t> scalar) {
  const CurveInfo& info = Info(curve);
  if (scalar.size() != info.width) {
    return InvalidArgumentError(Label(info, "private scalar must be " + std::to_string(info.width) +
                                                " bytes, got " + std::to_string(scalar.size())));
  }
  if (!ScalarInRange(info, scalar)) {
    return InvalidArgumentError(Label(info, "private scalar must be in [1, n-1]"));
  }

  std::unique_ptr<BIGNUM, BnFree> d(
      BN_bin2bn(scalar.data(), static_cast<int>(scalar.size()), nullptr));
  if (d == nullptr) return internal::OpensslError(Label(info, "cannot load scalar"));
  BN_set_flags(d.get(), BN_FLG_CONSTTIME);
  std::array<uint8_t, kMaxUncompressedSize> public_point;
  std::span<uint8_t> sec1 = std::span<uint8_t>(public_point).first(1 + 2 * info.width);
  RETURN_IF_ERROR(ComputePublicPoint(info, d.get(), sec1));

  // OSSL_PARAM carries integers in native byte order; build it on the stack and wipe it after,
  // rather than through OSSL_PARAM_BLD, which would leave a copy in freed heap memory.
  std::array<uint8_t, kMaxFieldSize> native;
  std::copy(scalar.begin(), scalar.end(), native.begin());
  if constexpr (std::endian::native == std::endian::little) {
    std::reverse(native.begin(), native.begin() + info.width);
  }
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
                                       const_cast<char*>(info.group_name), 0),
      OSSL_PARAM_construct_BN(OSSL_PKEY_PARAM_PRIV_KEY, native.data(), info.width),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, sec1.data(), sec1.size()),
      OSSL_PARAM_construct_end()};
  internal::EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* raw = nullptr;
  const bool imported = ctx != nullptr && EVP_PKEY_fromdata_init(ctx.get()) == 1 &&
                        EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_KEYPAIR, params) == 1;
  OPENSSL_cleanse(native.data(), native.size());
  internal::EvpPkeyPtr pkey(raw);
  if (!imported) return internal::OpensslError(Label(info, "cannot import private key"));

  ASSIGN_OR_RETURN(auto public_impl, ImportPublic(info, sec1));
  return EcdsaPrivateKey(std::make_unique<Impl>(
      Impl{&info, std::move(pkey), SecretBytes(scalar), EcdsaPublicKey(std::move(public_impl))}));
}

EcdsaCurve EcdsaPrivateKey::curve() const { return impl_->info->curve; }

const EcdsaPublicKey& EcdsaPrivateKey::public_key() const { return impl_->public_key; }

SecretBytes EcdsaPrivateKey::ExportScalar() const { return impl_->scalar.Clone(); }

Result<std::vector<uint8_t>> EcdsaPrivateKey::SignP1363(std::span<const uint8_t> message) const {
  const CurveInfo& info = *impl_->info;
  std::array<uint8_t, kMaxDerSize> der;
  ASSIGN_OR_RETURN(size_t length, SignToDer(info, impl_->pkey.get(), message, der));
  std::vector<uint8_t> rs(2 * info.width);
  RETURN_IF_ERROR(internal::DerToP1363(std::span<const uint8_t>(der).first(length), rs));
  return rs;
}

Result<std::vector<uint8_t>> EcdsaPrivateKey::SignDer(std::span<const uint8_t> message) const {
  std::array<uint8_t, kMaxDerSize> der;
  ASSIGN_OR_RETURN(size_t length, SignToDer(*impl_->info, impl_->pkey.get(), message, der));
  return std::vector<uint8_t>(der.begin(), der.begin() + length);
}

}  // namespace traceport::crypto
