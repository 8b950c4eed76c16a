#include "vc/status_list.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <bit>
#include <exception>
#include <limits>
#include <map>
#include <new>
#include <utility>

#include "codec/base64.h"
#include "codec/hex.h"
#include "codec/json.h"
#include "codec/multibase.h"
#include "crypto/sha2.h"

namespace traceport::vc {
namespace {

using nlohmann::json;

constexpr std::string_view kBitstringEntryType = "BitstringStatusListEntry";
constexpr std::string_view kStatusList2021EntryType = "StatusList2021Entry";
constexpr std::string_view kRevocationList2020EntryType = "RevocationList2020Status";

constexpr std::string_view kBitstringCredentialType = "BitstringStatusListCredential";
constexpr std::string_view kStatusList2021CredentialType = "StatusList2021Credential";
constexpr std::string_view kRevocationList2020CredentialType = "RevocationList2020Credential";

constexpr std::string_view kBitstringSubjectType = "BitstringStatusList";
constexpr std::string_view kStatusList2021SubjectType = "StatusList2021";
constexpr std::string_view kRevocationList2020SubjectType = "RevocationList2020";

constexpr std::string_view kCredentialsV2Context = "https://www.w3.org/ns/credentials/v2";

// Runs `f`, turning any exception (allocation failure, an nlohmann surprise) into a Status so
// that none crosses the module edge.
template <typename F>
auto Guarded(std::string_view what, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    return ResourceExhaustedError(std::string(what) + ": out of memory");
  } catch (const std::exception& e) {
    return InternalError(std::string(what) + ": unexpected exception: " + e.what());
  }
}

std::string Quote(std::string_view s) {
  // Enough escaping for error messages: quotes, backslashes and control bytes; long values are
  // cut so that an attacker cannot make messages arbitrarily large.
  constexpr size_t kMaxShown = 80;
  std::string out = "\"";
  for (size_t i = 0; i < s.size() && i < kMaxShown; ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c >= 0x7f) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (s.size() > kMaxShown) out += "...";
  out += '"';
  return out;
}

const json* Find(const json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

// RFC 3986 scheme followed by ':' and at least one more character, no whitespace or control
// characters. Accepts https URLs and DIDs alike; Traceport does not dereference here.
bool IsAbsoluteUrl(std::string_view s) {
  size_t colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 >= s.size()) return false;
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (!alpha(s[0])) return false;
  for (size_t i = 1; i < colon; ++i) {
    char c = s[i];
    if (!alpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') return false;
  }
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) return false;
  }
  return true;
}

Result<std::string> RequiredString(const json& object, const char* key, std::string_view where) {
  const json* v = Find(object, key);
  if (v == nullptr) return InvalidArgumentError(std::string(where) + ": missing " + key);
  if (!v->is_string()) {
    return InvalidArgumentError(std::string(where) + ": " + key + " must be a string, got " +
                                codec::JsonTypeName(*v));
  }
  std::string s = v->get<std::string>();
  if (s.empty()) return InvalidArgumentError(std::string(where) + ": " + key + " is empty");
  return s;
}

Result<std::string> RequiredUrl(const json& object, const char* key, std::string_view where) {
  ASSIGN_OR_RETURN(std::string s, RequiredString(object, key, where));
  if (!IsAbsoluteUrl(s)) {
    return InvalidArgumentError(std::string(where) + ": " + key + " must be an absolute URL, got " +
                                Quote(s));
  }
  return s;
}

// statusListIndex: digits only, no sign, no leading zero unless the value is 0, and small
// enough to address an entry of the largest list we accept.
Result<uint64_t> ParseIndex(const json& value, const char* key, std::string_view where) {
  if (!value.is_string()) {
    return InvalidArgumentError(std::string(where) + ": " + key +
                                " must be a base-10 string, got " + codec::JsonTypeName(value));
  }
  const std::string& s = value.get_ref<const std::string&>();
  bool digits =
      !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits || (s.size() > 1 && s[0] == '0')) {
    return InvalidArgumentError(std::string(where) + ": " + key +
                                " must be a base-10 string without sign or leading zeros, got " +
                                Quote(s));
  }
  // kMaxStatusListBits has 9 digits; anything longer is out of range without arithmetic.
  uint64_t n = 0;
  if (s.size() <= 12) {
    for (char c : s) n = n * 10 + static_cast<uint64_t>(c - '0');
  }
  if (s.size() > 12 || n >= kMaxStatusListBits) {
    return OutOfRangeError(std::string(where) + ": " + key + " " + Quote(s) +
                           " is beyond the largest supported list (" +
                           std::to_string(kMaxStatusListBits) + " entries)");
  }
  return n;
}

// statusSize: an integer >= 1; Traceport supports up to 8 bits.
Result<int> ParseStatusSize(const json& value, std::string_view where) {
  // is_number_integer() is false for floats (even 2.0), booleans and strings.
  const bool positive =
      value.is_number_integer() &&
      (value.is_number_unsigned() ? value.get<uint64_t>() >= 1 : value.get<int64_t>() >= 1);
  if (!positive) {
    std::string got = value.is_number_integer() ? value.dump() : codec::JsonTypeName(value);
    return InvalidArgumentError(std::string(where) + ": statusSize must be an integer >= 1, got " +
                                got);
  }
  const uint64_t size = value.get<uint64_t>();
  if (size > static_cast<uint64_t>(kMaxStatusSize)) {
    return UnimplementedError(std::string(where) + ": statusSize " + std::to_string(size) +
                              " is not supported (1.." + std::to_string(kMaxStatusSize) + ")");
  }
  return static_cast<int>(size);
}

// "0x" followed by hex digits (either case, leading zeros allowed).
Result<uint32_t> ParseHexStatus(const json& value, std::string_view where) {
  if (!value.is_string()) {
    return InvalidArgumentError(std::string(where) + ": status must be a string, got " +
                                codec::JsonTypeName(value));
  }
  const std::string& s = value.get_ref<const std::string&>();
  auto bad = [&] {
    return InvalidArgumentError(std::string(where) +
                                ": status must be \"0x\" and hex digits, got " + Quote(s));
  };
  if (s.size() < 3 || s[0] != '0' || s[1] != 'x' || s.size() > 2 + 16) return bad();
  uint64_t v = 0;
  for (size_t i = 2; i < s.size(); ++i) {
    char c = s[i];
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      d = c - 'A' + 10;
    } else {
      return bad();
    }
    v = (v << 4) | static_cast<uint64_t>(d);
  }
  if (v > std::numeric_limits<uint32_t>::max()) {
    return InvalidArgumentError(std::string(where) + ": status " + Quote(s) + " is too large");
  }
  return static_cast<uint32_t>(v);
}

// An array of exactly 2^status_size {status, message} objects whose statuses are all the values
// 0 .. 2^status_size - 1 once each. Returned ordered by status.
Result<std::vector<StatusMessage>> ParseMessages(const json& value, int status_size,
                                                 const char* key, std::string_view where) {
  const size_t count = size_t{1} << status_size;
  if (!value.is_array()) {
    return InvalidArgumentError(std::string(where) + ": " + key + " must be an array, got " +
                                codec::JsonTypeName(value));
  }
  if (value.size() != count) {
    return InvalidArgumentError(std::string(where) + ": " + key + " must have " +
                                std::to_string(count) + " elements for statusSize " +
                                std::to_string(status_size) + ", got " +
                                std::to_string(value.size()));
  }
  std::vector<StatusMessage> out(count);
  std::vector<bool> seen(count, false);
  for (size_t i = 0; i < count; ++i) {
    const std::string at = std::string(where) + ": " + key + "[" + std::to_string(i) + "]";
    const json& element = value[i];
    if (!element.is_object()) {
      return InvalidArgumentError(at + " must be an object, got " + codec::JsonTypeName(element));
    }
    const json* status = Find(element, "status");
    if (status == nullptr) return InvalidArgumentError(at + ": missing status");
    ASSIGN_OR_RETURN(uint32_t v, ParseHexStatus(*status, at));
    if (v >= count) {
      return InvalidArgumentError(at + ": status " + status->get<std::string>() +
                                  " does not fit in statusSize " + std::to_string(status_size));
    }
    if (seen[v]) {
      return InvalidArgumentError(at + ": status " + status->get<std::string>() +
                                  " appears more than once");
    }
    const json* message = Find(element, "message");
    if (message == nullptr) return InvalidArgumentError(at + ": missing message");
    if (!message->is_string()) {
      return InvalidArgumentError(at + ": message must be a string, got " +
                                  codec::JsonTypeName(*message));
    }
    seen[v] = true;
    out[v] = StatusMessage{v, message->get<std::string>()};
  }
  return out;
}

std::string HexStatus(uint32_t v) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string digits;
  do {
    digits.insert(digits.begin(), kHex[v & 15]);
    v >>= 4;
  } while (v != 0);
  return "0x" + digits;
}

json MessagesToJson(const std::vector<StatusMessage>& messages) {
  json out = json::array();
  for (const StatusMessage& m : messages) {
    out.push_back({{"status", HexStatus(m.status)}, {"message", m.message}});
  }
  return out;
}

// Checks that `messages` are exactly the values 0 .. 2^status_size - 1 once each.
Status CheckMessages(const std::vector<StatusMessage>& messages, int status_size,
                     std::string_view where) {
  const size_t count = size_t{1} << status_size;
  if (messages.size() != count) {
    return InvalidArgumentError(std::string(where) + ": need " + std::to_string(count) +
                                " status messages for statusSize " + std::to_string(status_size) +
                                ", got " + std::to_string(messages.size()));
  }
  std::vector<bool> seen(count, false);
  for (const StatusMessage& m : messages) {
    if (m.status >= count || seen[m.status]) {
      return InvalidArgumentError(std::string(where) + ": status message values must be 0.." +
                                  std::to_string(count - 1) + " once each; " + HexStatus(m.status) +
                                  " is out of range or repeated");
    }
    seen[m.status] = true;
  }
  return Status::Ok();
}

// `type` as a list of strings: a string or an array of strings.
Result<std::vector<std::string>> TypeList(const json* type, std::string_view where) {
  if (type == nullptr) return InvalidArgumentError(std::string(where) + ": missing type");
  std::vector<std::string> out;
  if (type->is_string()) {
    out.push_back(type->get<std::string>());
    return out;
  }
  if (!type->is_array()) {
    return InvalidArgumentError(std::string(where) +
                                ": type must be a string or an array of strings, got " +
                                codec::JsonTypeName(*type));
  }
  for (const json& t : *type) {
    if (!t.is_string()) {
      return InvalidArgumentError(std::string(where) + ": type array holds a " +
                                  codec::JsonTypeName(t) + ", expected strings");
    }
    out.push_back(t.get<std::string>());
  }
  return out;
}

bool Contains(const std::vector<std::string>& list, std::string_view s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

std::string JoinQuoted(const std::vector<std::string>& list) {
  std::string out = "[";
  for (size_t i = 0; i < list.size(); ++i) {
    if (i > 0) out += ", ";
    out += Quote(list[i]);
  }
  return out + "]";
}

Result<std::optional<Time>> OptionalTime(const json& object, const char* key,
                                         std::string_view where) {
  const json* v = Find(object, key);
  if (v == nullptr) return std::optional<Time>();
  if (!v->is_string()) {
    return InvalidArgumentError(std::string(where) + ": " + key + " must be a string, got " +
                                codec::JsonTypeName(*v));
  }
  auto t = ParseRfc3339(v->get_ref<const std::string&>());
  if (!t.ok()) return t.status().WithContext(std::string(where) + ": " + key);
  return std::optional<Time>(*t);
}

std::string TimeText(Time t) {
  auto s = FormatRfc3339(t);
  return s.ok() ? *s : std::to_string(ToUnixSeconds(t)) + "s after the epoch";
}

// ----- GZIP ------------------------------------------------------------------------------

constexpr int kGzipWindowBits = 15 + 16;  // 32 KiB window, gzip wrapper (RFC 1952) only

Result<std::vector<uint8_t>> GzipCompress(std::span<const uint8_t> data) {
  if (data.size() > std::numeric_limits<uInt>::max()) {
    return ResourceExhaustedError("gzip: input too large");
  }
  z_stream zs{};
  if (deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    return InternalError("gzip: deflateInit2 failed");
  }
  std::vector<uint8_t> out(deflateBound(&zs, static_cast<uLong>(data.size())));
  zs.next_in = const_cast<Bytef*>(data.data());  // zlib's API is not const-correct
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = out.data();
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  uLong written = zs.total_out;
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) return InternalError("gzip: deflate failed (" + std::to_string(rc) + ")");
  out.resize(written);
  return out;
}

class InflateStream {
 public:
  InflateStream() = default;
  InflateStream(const InflateStream&) = delete;
  InflateStream& operator=(const InflateStream&) = delete;
  ~InflateStream() {
    if (initialised_) inflateEnd(&zs_);
  }
  bool Init() { return initialised_ = inflateInit2(&zs_, kGzipWindowBits) == Z_OK; }
  z_stream& z() { return zs_; }

 private:
  z_stream zs_{};
  bool initialised_ = false;
};

// Exactly one complete gzip member, decompressed to at most max_out bytes.
Result<std::vector<uint8_t>> GzipDecompress(std::span<const uint8_t> data, size_t max_out) {
  if (data.size() > std::numeric_limits<uInt>::max()) {
    return ResourceExhaustedError("gzip: input too large");
  }
  InflateStream stream;
  if (!stream.Init()) return ResourceExhaustedError("gzip: inflateInit2 failed");
  z_stream& zs = stream.z();
  zs.next_in = const_cast<Bytef*>(data.data());
  zs.avail_in = static_cast<uInt>(data.size());
  std::vector<uint8_t> out;
  std::vector<uint8_t> chunk(64 * 1024);
  for (;;) {
    zs.next_out = chunk.data();
    zs.avail_out = static_cast<uInt>(chunk.size());
    int rc = inflate(&zs, Z_NO_FLUSH);
    size_t produced = chunk.size() - zs.avail_out;
    if (produced > max_out - out.size()) {
      return ResourceExhaustedError("gzip: decompressed data exceeds " + std::to_string(max_out) +
                                    " bytes");
    }
    out.insert(out.end(), chunk.begin(), chunk.begin() + static_cast<ptrdiff_t>(produced));
    if (rc == Z_STREAM_END) break;
    if (rc == Z_OK) continue;
    if (rc == Z_BUF_ERROR) {
      // A fresh output buffer was offered, so no progress means the input ran out.
      return InvalidArgumentError("gzip: truncated data (stream ends after " +
                                  std::to_string(data.size()) + " bytes)");
    }
    if (rc == Z_MEM_ERROR) return ResourceExhaustedError("gzip: out of memory");
    if (rc == Z_NEED_DICT) return InvalidArgumentError("gzip: data needs a preset dictionary");
    std::string detail = zs.msg != nullptr ? zs.msg : "error " + std::to_string(rc);
    return InvalidArgumentError("gzip: corrupt data at byte " +
                                std::to_string(data.size() - zs.avail_in) + ": " + detail);
  }
  if (zs.avail_in != 0) {
    return InvalidArgumentError("gzip: " + std::to_string(zs.avail_in) +
                                " trailing bytes after the gzip member");
  }
  return out;
}

uint64_t ClampMaxBits(const BitstringOptions& options) {
  return std::min(options.max_bits, kMaxStatusListBits);
}

Status CheckStatusSize(int status_size) {
  if (status_size < 1 || status_size > kMaxStatusSize) {
    return InvalidArgumentError("status list: statusSize must be 1.." +
                                std::to_string(kMaxStatusSize) + ", got " +
                                std::to_string(status_size));
  }
  return Status::Ok();
}

Status CheckEntryCount(uint64_t entries, int status_size, const BitstringOptions& options) {
  uint64_t minimum = std::max<uint64_t>(options.min_entries, 1);
  if (entries < minimum) {
    return InvalidArgumentError("status list: " + std::to_string(entries) + " entries of " +
                                std::to_string(status_size) + " bit(s), fewer than the minimum " +
                                std::to_string(minimum) + " (STATUS_LIST_LENGTH_ERROR)");
  }
  return Status::Ok();
}

uint32_t ReadBits(const std::vector<uint8_t>& bytes, uint64_t first_bit, int count) {
  uint32_t v = 0;
  for (int k = 0; k < count; ++k) {
    uint64_t bit = first_bit + static_cast<uint64_t>(k);
    v = (v << 1) | ((bytes[bit >> 3] >> (7 - (bit & 7))) & 1u);
  }
  return v;
}

void WriteBits(std::vector<uint8_t>& bytes, uint64_t first_bit, int count, uint32_t value) {
  for (int k = 0; k < count; ++k) {
    uint64_t bit = first_bit + static_cast<uint64_t>(k);
    uint8_t mask = static_cast<uint8_t>(0x80u >> (bit & 7));
    if ((value >> (count - 1 - k)) & 1u) {
      bytes[bit >> 3] |= mask;
    } else {
      bytes[bit >> 3] &= static_cast<uint8_t>(~mask);
    }
  }
}

// ----- IndexAllocator helpers --------------------------------------------------------------

constexpr std::array<uint8_t, 4> kAllocatorMagic = {'T', 'P', 'I', 'A'};
constexpr uint8_t kAllocatorVersion = 1;
constexpr size_t kAllocatorHeaderSize = 4 + 1 + 8 + 8;
constexpr size_t kAllocatorTrailerSize = 4;

void PutU64(std::vector<uint8_t>& out, uint64_t v) {
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
void PutU32(std::vector<uint8_t>& out, uint32_t v) {
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
uint64_t GetU64(std::span<const uint8_t> in) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | in[static_cast<size_t>(i)];
  return v;
}
uint32_t GetU32(std::span<const uint8_t> in) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | in[static_cast<size_t>(i)];
  return v;
}

uint32_t Crc32(std::span<const uint8_t> data) {
  uLong crc = crc32(0L, Z_NULL, 0);
  // The buffer is bounded by kMaxStatusListBits / 8 + header, far below uInt's range.
  crc = crc32(crc, data.data(), static_cast<uInt>(data.size()));
  return static_cast<uint32_t>(crc);
}

// Mask of the bits of the last word that lie beyond `capacity` (they are kept set internally
// so that popcounts treat them as used).
uint64_t PaddingMask(uint64_t capacity) {
  uint64_t tail = capacity % 64;
  return tail == 0 ? 0 : (~uint64_t{0} >> tail);
}

uint64_t Draw64(RandomSource& random) {
  std::array<uint8_t, 8> b{};
  random.Fill(b);
  uint64_t v = 0;
  for (uint8_t x : b) v = (v << 8) | x;
  return v;
}

// Uniform in [0, n) without modulo bias (n > 0).
uint64_t UniformBelow(RandomSource& random, uint64_t n) {
  const uint64_t threshold = (uint64_t{0} - n) % n;  // 2^64 mod n
  for (;;) {
    uint64_t x = Draw64(random);
    if (x >= threshold) return x % n;
  }
}

// ----- Status list checking ----------------------------------------------------------------

StatusEntryType FamilyForCredentialType(std::string_view t, bool* known) {
  *known = true;
  if (t == kBitstringCredentialType) return StatusEntryType::kBitstringStatusListEntry;
  if (t == kStatusList2021CredentialType) return StatusEntryType::kStatusList2021Entry;
  if (t == kRevocationList2020CredentialType) return StatusEntryType::kRevocationList2020Status;
  *known = false;
  return StatusEntryType::kBitstringStatusListEntry;
}

std::string_view CredentialTypeFor(StatusEntryType family) {
  switch (family) {
    case StatusEntryType::kBitstringStatusListEntry:
      return kBitstringCredentialType;
    case StatusEntryType::kStatusList2021Entry:
      return kStatusList2021CredentialType;
    case StatusEntryType::kRevocationList2020Status:
      return kRevocationList2020CredentialType;
  }
  return kBitstringCredentialType;
}

std::string_view SubjectTypeFor(StatusEntryType family) {
  switch (family) {
    case StatusEntryType::kBitstringStatusListEntry:
      return kBitstringSubjectType;
    case StatusEntryType::kStatusList2021Entry:
      return kStatusList2021SubjectType;
    case StatusEntryType::kRevocationList2020Status:
      return kRevocationList2020SubjectType;
  }
  return kBitstringSubjectType;
}

// Fetches and verifies list credentials, each URL once per call; across calls through
// options.cache when there is one.
class VerifiedLists {
 public:
  VerifiedLists(StatusListResolver& resolver, const ListVerifier& verify, Time now,
                StatusListCache* cache)
      : resolver_(resolver), verify_(verify), now_(now), cache_(cache) {}

  Result<const FetchedList*> Get(const std::string& url) {
    auto it = lists_.find(url);
    if (it == lists_.end()) it = lists_.emplace(url, Load(url)).first;
    if (!it->second.ok()) return it->second.status();
    return &*it->second;
  }

 private:
  Result<FetchedList> Load(const std::string& url) {
    if (!verify_) {
      return FailedPreconditionError("status list " + Quote(url) +
                                     ": no list verifier supplied; an unverified list proves "
                                     "nothing");
    }
    Result<FetchedList> fetched = resolver_.FetchList(url);
    if (!fetched.ok()) {
      return fetched.status().WithContext("status list " + Quote(url) +
                                          ": retrieval failed (STATUS_RETRIEVAL_ERROR)");
    }
    if (fetched->credential == nullptr) {
      return InternalError("status list " + Quote(url) + ": the resolver returned no credential");
    }
    if (cache_ != nullptr && !fetched->digest.empty() && cache_->Contains(fetched->digest, now_)) {
      return fetched;
    }
    Status verified = verify_(*fetched->credential);
    if (!verified.ok()) {
      return verified.WithContext("status list " + Quote(url) +
                                  ": proof verification failed (STATUS_VERIFICATION_ERROR)");
    }
    if (cache_ != nullptr && !fetched->digest.empty()) cache_->Insert(fetched->digest, now_);
    return fetched;
  }

  StatusListResolver& resolver_;
  const ListVerifier& verify_;
  Time now_;
  StatusListCache* cache_;
  std::map<std::string, Result<FetchedList>> lists_;
};

// The list expanded for `entry`, from options.cache when it has it.
Result<std::shared_ptr<const Bitstring>> Expand(const FetchedList& fetched,
                                                const StatusListCredential& list,
                                                const StatusEntry& entry, EncodedListFormat format,
                                                const CheckStatusOptions& options) {
  StatusListCache* cache = fetched.digest.empty() ? nullptr : options.cache;
  if (cache != nullptr) {
    if (auto hit =
            cache->FindExpanded(fetched.digest, entry.status_size, format, options.min_entries)) {
      return hit;
    }
  }
  BitstringOptions bitstring_options;
  bitstring_options.min_entries = options.min_entries;
  ASSIGN_OR_RETURN(Bitstring bits, Bitstring::Decode(list.encoded_list, entry.status_size, format,
                                                     bitstring_options));
  auto shared = std::make_shared<const Bitstring>(std::move(bits));
  if (cache != nullptr) {
    cache->InsertExpanded(fetched.digest, entry.status_size, format, options.min_entries, shared);
  }
  return shared;
}

Result<StatusCheckResult> CheckParsedEntry(const StatusEntry& entry, VerifiedLists& lists, Time now,
                                           const CheckStatusOptions& options) {
  const std::string where = "status list " + Quote(entry.list_credential);
  ASSIGN_OR_RETURN(const FetchedList* fetched, lists.Get(entry.list_credential));
  auto parsed = ParseStatusListCredential(*fetched->credential);
  if (!parsed.ok()) return parsed.status().WithContext(where);
  const StatusListCredential& list = *parsed;

  if (list.family != entry.type) {
    return InvalidArgumentError(where + ": a " + std::string(StatusEntryTypeName(entry.type)) +
                                " needs a " + std::string(CredentialTypeFor(entry.type)) +
                                ", got a " + std::string(CredentialTypeFor(list.family)) +
                                " (STATUS_VERIFICATION_ERROR)");
  }
  if (!list.id.empty() && list.id != entry.list_credential) {
    return FailedPreconditionError(where + ": the fetched credential has id " + Quote(list.id) +
                                   " (STATUS_VERIFICATION_ERROR)");
  }
  if (list.status_size != 0 && list.status_size != entry.status_size) {
    return FailedPreconditionError(where + ": list statusSize " + std::to_string(list.status_size) +
                                   " differs from the entry's " +
                                   std::to_string(entry.status_size) +
                                   " (STATUS_VERIFICATION_ERROR)");
  }
  const std::chrono::seconds skew = std::max(options.skew, std::chrono::seconds(0));
  if (list.valid_from && now + skew < *list.valid_from) {
    return FailedPreconditionError(where + ": not valid before " + TimeText(*list.valid_from));
  }
  if (list.valid_until && now - skew > *list.valid_until) {
    return FailedPreconditionError(where + ": expired at " + TimeText(*list.valid_until));
  }
  if (!Contains(list.purposes, entry.purpose)) {
    return FailedPreconditionError(where + ": entry statusPurpose " + Quote(entry.purpose) +
                                   " is not among the list's " + JoinQuoted(list.purposes) +
                                   " (STATUS_VERIFICATION_ERROR)");
  }
  const EncodedListFormat format = entry.type == StatusEntryType::kBitstringStatusListEntry
                                       ? EncodedListFormat::kMultibase
                                       : EncodedListFormat::kBase64Url;
  auto bits = Expand(*fetched, list, entry, format, options);
  if (!bits.ok()) return bits.status().WithContext(where + ": encodedList");
  if (entry.index >= (*bits)->size()) {
    return OutOfRangeError(where + ": statusListIndex " + std::to_string(entry.index) +
                           " is outside the list of " + std::to_string((*bits)->size()) +
                           " entries (RANGE_ERROR)");
  }
  ASSIGN_OR_RETURN(uint32_t value, (*bits)->Get(entry.index));

  StatusCheckResult result;
  result.type = entry.type;
  result.purpose = entry.purpose;
  result.index = entry.index;
  result.list_credential = entry.list_credential;
  result.status_size = entry.status_size;
  result.value = value;
  result.valid = value == 0;
  result.revoked = value != 0 && entry.purpose == kPurposeRevocation;
  result.suspended = value != 0 && entry.purpose == kPurposeSuspension;
  if (entry.purpose == kPurposeMessage) {
    if (value < entry.messages.size()) {
      result.message = entry.messages[value].message;
    } else if (value < list.status_messages.size()) {
      result.message = list.status_messages[value].message;
    } else {
      result.message = value == 0 ? "unset" : "set";
    }
  }
  return result;
}

// One passing entry for the report's reason, e.g.
// "revocation: not revoked (entry 43 of https://example.com/status/3)".
std::string DescribeResult(const StatusCheckResult& r) {
  std::string outcome;
  if (r.purpose == kPurposeRevocation) {
    outcome = "not revoked";
  } else if (r.purpose == kPurposeSuspension) {
    outcome = "not suspended";
  } else if (r.purpose == kPurposeMessage) {
    outcome = Quote(r.message) + " (" + HexStatus(r.value) + ")";
  } else {
    outcome = HexStatus(r.value);
  }
  return r.purpose + ": " + outcome + " (entry " + std::to_string(r.index) + " of " +
         r.list_credential + ")";
}

}  // namespace

// ----- Bitstring ---------------------------------------------------------------------------

Result<Bitstring> Bitstring::Create(uint64_t entries, int status_size,
                                    const BitstringOptions& options) {
  RETURN_IF_ERROR(CheckStatusSize(status_size));
  RETURN_IF_ERROR(CheckEntryCount(entries, status_size, options));
  const uint64_t max_bits = ClampMaxBits(options);
  if (entries > max_bits / static_cast<uint64_t>(status_size)) {
    return ResourceExhaustedError("status list: " + std::to_string(entries) + " entries of " +
                                  std::to_string(status_size) + " bit(s) exceed the limit of " +
                                  std::to_string(max_bits) + " bits");
  }
  const uint64_t bits = entries * static_cast<uint64_t>(status_size);
  return Guarded("status list", [&]() -> Result<Bitstring> {
    return Bitstring(std::vector<uint8_t>((bits + 7) / 8, 0), entries, status_size);
  });
}

Result<Bitstring> Bitstring::FromBytes(std::vector<uint8_t> bytes, int status_size,
                                       const BitstringOptions& options) {
  RETURN_IF_ERROR(CheckStatusSize(status_size));
  const uint64_t max_bits = ClampMaxBits(options);
  if (bytes.size() > max_bits / 8) {
    return ResourceExhaustedError("status list: " + std::to_string(bytes.size()) +
                                  " bytes exceed the limit of " + std::to_string(max_bits / 8));
  }
  const uint64_t entries = uint64_t{bytes.size()} * 8 / static_cast<uint64_t>(status_size);
  RETURN_IF_ERROR(CheckEntryCount(entries, status_size, options));
  return Bitstring(std::move(bytes), entries, status_size);
}

Result<Bitstring> Bitstring::Decode(std::string_view encoded_list, int status_size,
                                    EncodedListFormat format, const BitstringOptions& options) {
  return Guarded("encodedList", [&]() -> Result<Bitstring> {
    RETURN_IF_ERROR(CheckStatusSize(status_size));
    const size_t max_out = static_cast<size_t>(ClampMaxBits(options) / 8);
    // A legitimate encoder never produces more compressed bytes than stored deflate blocks
    // would (about 0.03% over the input); allow generous slack, then refuse before decoding.
    const size_t max_compressed = max_out + max_out / 8 + 4096;
    const size_t max_text = 1 + (max_compressed + 2) / 3 * 4;
    if (encoded_list.size() > max_text) {
      return ResourceExhaustedError("encodedList: " + std::to_string(encoded_list.size()) +
                                    " characters exceed the limit of " + std::to_string(max_text));
    }
    Result<std::vector<uint8_t>> compressed = std::vector<uint8_t>();
    if (format == EncodedListFormat::kMultibase) {
      if (encoded_list.empty() || encoded_list[0] != 'u') {
        return InvalidArgumentError("encodedList: must be multibase base64url (prefix 'u'), got " +
                                    (encoded_list.empty()
                                         ? std::string("an empty string")
                                         : "prefix " + Quote(encoded_list.substr(0, 1))));
      }
      compressed = codec::MultibaseDecodeAs(codec::Multibase::kBase64Url, encoded_list);
    } else {
      std::string_view text = encoded_list;
      if (!text.empty() && text[0] == 'u') text.remove_prefix(1);
      compressed = codec::Base64UrlDecode(text);
    }
    if (!compressed.ok()) return compressed.status().WithContext("encodedList");
    auto bytes = GzipDecompress(*compressed, max_out);
    if (!bytes.ok()) return bytes.status().WithContext("encodedList");
    return FromBytes(std::move(*bytes), status_size, options);
  });
}

Result<std::string> Bitstring::Encode(EncodedListFormat format) const {
  return Guarded("encodedList", [&]() -> Result<std::string> {
    ASSIGN_OR_RETURN(std::vector<uint8_t> compressed, GzipCompress(bytes_));
    if (format == EncodedListFormat::kMultibase) {
      return codec::MultibaseEncode(codec::Multibase::kBase64Url, compressed);
    }
    return codec::Base64UrlEncode(compressed);
  });
}

Result<uint32_t> Bitstring::Get(uint64_t index) const {
  if (index >= entries_) {
    return OutOfRangeError("status list: index " + std::to_string(index) + " is outside the " +
                           std::to_string(entries_) + " entries");
  }
  return ReadBits(bytes_, index * static_cast<uint64_t>(status_size_), status_size_);
}

Status Bitstring::Set(uint64_t index, uint32_t value) {
  if (index >= entries_) {
    return OutOfRangeError("status list: index " + std::to_string(index) + " is outside the " +
                           std::to_string(entries_) + " entries");
  }
  if (value > max_value()) {
    return InvalidArgumentError("status list: value " + std::to_string(value) +
                                " does not fit in " + std::to_string(status_size_) + " bit(s)");
  }
  WriteBits(bytes_, index * static_cast<uint64_t>(status_size_), status_size_, value);
  return Status::Ok();
}

// ----- IndexAllocator ----------------------------------------------------------------------

Result<IndexAllocator> IndexAllocator::Create(uint64_t capacity) {
  if (capacity == 0) return InvalidArgumentError("index allocator: capacity must be at least 1");
  if (capacity > kMaxStatusListBits) {
    return ResourceExhaustedError("index allocator: capacity " + std::to_string(capacity) +
                                  " exceeds " + std::to_string(kMaxStatusListBits));
  }
  return Guarded("index allocator", [&]() -> Result<IndexAllocator> {
    std::vector<uint64_t> words((capacity + 63) / 64, 0);
    words.back() |= PaddingMask(capacity);
    return IndexAllocator(capacity, std::move(words));
  });
}

bool IndexAllocator::IsUsed(uint64_t index) const {
  if (index >= capacity_) return false;
  return (words_[index / 64] >> (63 - index % 64)) & 1u;
}

void IndexAllocator::SetUsed(uint64_t index) {
  words_[index / 64] |= uint64_t{1} << (63 - index % 64);
  ++used_;
}

uint64_t IndexAllocator::NthUnused(uint64_t n) const {
  for (size_t w = 0; w < words_.size(); ++w) {
    const uint64_t free_bits = ~words_[w];
    const uint64_t free_count = static_cast<uint64_t>(std::popcount(free_bits));
    if (n >= free_count) {
      n -= free_count;
      continue;
    }
    for (int bit = 63; bit >= 0; --bit) {
      if ((free_bits >> bit) & 1u) {
        if (n == 0) return uint64_t{w} * 64 + static_cast<uint64_t>(63 - bit);
        --n;
      }
    }
  }
  return capacity_;  // unreachable when n < remaining()
}

Result<uint64_t> IndexAllocator::Allocate(RandomSource& random) {
  if (remaining() == 0) {
    return ResourceExhaustedError("index allocator: all " + std::to_string(capacity_) +
                                  " indices are used");
  }
  // Rejection sampling is uniform over the unused indices whenever it succeeds; the scan
  // fallback (for nearly full lists) is uniform too, so the mixture is uniform.
  constexpr int kAttempts = 64;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    uint64_t candidate = UniformBelow(random, capacity_);
    if (!IsUsed(candidate)) {
      SetUsed(candidate);
      return candidate;
    }
  }
  uint64_t index = NthUnused(UniformBelow(random, remaining()));
  if (index >= capacity_) return InternalError("index allocator: inconsistent state");
  SetUsed(index);
  return index;
}

Status IndexAllocator::MarkUsed(uint64_t index) {
  if (index >= capacity_) {
    return OutOfRangeError("index allocator: index " + std::to_string(index) +
                           " is outside the capacity " + std::to_string(capacity_));
  }
  if (IsUsed(index)) {
    return AlreadyExistsError("index allocator: index " + std::to_string(index) +
                              " is already used");
  }
  SetUsed(index);
  return Status::Ok();
}

Status IndexAllocator::Release(uint64_t index) {
  if (index >= capacity_) {
    return OutOfRangeError("index allocator: index " + std::to_string(index) +
                           " is outside the capacity " + std::to_string(capacity_));
  }
  if (!IsUsed(index)) {
    return FailedPreconditionError("index allocator: index " + std::to_string(index) +
                                   " is not in use");
  }
  words_[index / 64] &= ~(uint64_t{1} << (63 - index % 64));
  --used_;
  return Status::Ok();
}

std::vector<uint8_t> IndexAllocator::Serialize() const {
  const size_t bitmap_bytes = static_cast<size_t>((capacity_ + 7) / 8);
  std::vector<uint8_t> out;
  out.reserve(kAllocatorHeaderSize + bitmap_bytes + kAllocatorTrailerSize);
  out.insert(out.end(), kAllocatorMagic.begin(), kAllocatorMagic.end());
  out.push_back(kAllocatorVersion);
  PutU64(out, capacity_);
  PutU64(out, used_);
  for (size_t j = 0; j < bitmap_bytes; ++j) {
    out.push_back(static_cast<uint8_t>(words_[j / 8] >> (56 - 8 * (j % 8))));
  }
  if (capacity_ % 8 != 0) {  // padding bits are zero on disk
    out.back() &= static_cast<uint8_t>(0xff00u >> (capacity_ % 8));
  }
  PutU32(out, Crc32(out));
  return out;
}

Result<IndexAllocator> IndexAllocator::Deserialize(std::span<const uint8_t> data) {
  return Guarded("index allocator", [&]() -> Result<IndexAllocator> {
    if (data.size() < kAllocatorHeaderSize + kAllocatorTrailerSize) {
      return DataLossError("index allocator: state of " + std::to_string(data.size()) +
                           " bytes is too short");
    }
    const size_t body = data.size() - kAllocatorTrailerSize;
    if (Crc32(data.first(body)) != GetU32(data.subspan(body))) {
      return DataLossError("index allocator: checksum mismatch");
    }
    if (!std::equal(kAllocatorMagic.begin(), kAllocatorMagic.end(), data.begin())) {
      return DataLossError("index allocator: bad magic");
    }
    if (data[4] != kAllocatorVersion) {
      return DataLossError("index allocator: unknown version " + std::to_string(data[4]));
    }
    const uint64_t capacity = GetU64(data.subspan(5));
    const uint64_t used = GetU64(data.subspan(13));
    if (capacity == 0) return DataLossError("index allocator: capacity 0");
    if (capacity > kMaxStatusListBits) {
      return ResourceExhaustedError("index allocator: capacity " + std::to_string(capacity) +
                                    " exceeds " + std::to_string(kMaxStatusListBits));
    }
    const size_t bitmap_bytes = static_cast<size_t>((capacity + 7) / 8);
    if (body != kAllocatorHeaderSize + bitmap_bytes) {
      return DataLossError("index allocator: " + std::to_string(data.size()) +
                           " bytes do not match capacity " + std::to_string(capacity));
    }
    std::span<const uint8_t> bitmap = data.subspan(kAllocatorHeaderSize, bitmap_bytes);
    if (capacity % 8 != 0 && (bitmap.back() & static_cast<uint8_t>(0xffu >> (capacity % 8))) != 0) {
      return DataLossError("index allocator: padding bits are set");
    }
    std::vector<uint64_t> words((capacity + 63) / 64, 0);
    uint64_t count = 0;
    for (size_t j = 0; j < bitmap_bytes; ++j) {
      words[j / 8] |= uint64_t{bitmap[j]} << (56 - 8 * (j % 8));
      count += static_cast<uint64_t>(std::popcount(bitmap[j]));
    }
    if (count != used) {
      return DataLossError("index allocator: used count " + std::to_string(used) +
                           " does not match the bitmap's " + std::to_string(count));
    }
    words.back() |= PaddingMask(capacity);
    IndexAllocator allocator(capacity, std::move(words));
    allocator.used_ = used;
    return allocator;
  });
}

// ----- Status changes ----------------------------------------------------------------------

Status SetEntryStatus(Bitstring& list, const IndexAllocator& allocator, std::string_view purpose,
                      uint64_t index, uint32_t value) {
  if (allocator.capacity() != list.size()) {
    return FailedPreconditionError(
        "status list: the allocator manages " + std::to_string(allocator.capacity()) +
        " indices but the list has " + std::to_string(list.size()) + " entries");
  }
  ASSIGN_OR_RETURN(uint32_t current, list.Get(index));
  if (!allocator.IsUsed(index)) {
    return FailedPreconditionError("status list: index " + std::to_string(index) +
                                   " was never allocated");
  }
  if (value > list.max_value()) {
    return InvalidArgumentError("status list: value " + std::to_string(value) +
                                " does not fit in " + std::to_string(list.status_size()) +
                                " bit(s)");
  }
  const bool irreversible = purpose == kPurposeRevocation || purpose == kPurposeRefresh;
  if (irreversible && current != 0 && value != current) {
    return FailedPreconditionError("status list: entry " + std::to_string(index) + " is set and " +
                                   std::string(purpose) + " cannot be undone");
  }
  return list.Set(index, value);
}

namespace {
Status SetSingleBit(Bitstring& list, const IndexAllocator& allocator, std::string_view purpose,
                    uint64_t index, bool set) {
  if (list.status_size() != 1) {
    return FailedPreconditionError("status list: " + std::string(purpose) +
                                   " needs a list of 1-bit entries, this one has " +
                                   std::to_string(list.status_size()) + " bits");
  }
  return SetEntryStatus(list, allocator, purpose, index, set ? 1 : 0);
}
}  // namespace

Status Revoke(Bitstring& list, const IndexAllocator& allocator, uint64_t index) {
  return SetSingleBit(list, allocator, kPurposeRevocation, index, true);
}

Status Suspend(Bitstring& list, const IndexAllocator& allocator, uint64_t index) {
  return SetSingleBit(list, allocator, kPurposeSuspension, index, true);
}

Status Unsuspend(Bitstring& list, const IndexAllocator& allocator, uint64_t index) {
  return SetSingleBit(list, allocator, kPurposeSuspension, index, false);
}

// ----- Issuing -----------------------------------------------------------------------------

Result<nlohmann::json> MakeStatusListCredential(const StatusListCredentialOptions& options,
                                                const Bitstring& list) {
  return Guarded("status list credential", [&]() -> Result<json> {
    const std::string where = "status list credential";
    if (!IsAbsoluteUrl(options.id)) {
      return InvalidArgumentError(where + ": id must be an absolute URL, got " + Quote(options.id));
    }
    if (!IsAbsoluteUrl(options.issuer)) {
      return InvalidArgumentError(where + ": issuer must be a URL or DID, got " +
                                  Quote(options.issuer));
    }
    if (options.purposes.empty()) {
      return InvalidArgumentError(where + ": at least one statusPurpose is required");
    }
    for (size_t i = 0; i < options.purposes.size(); ++i) {
      if (options.purposes[i].empty()) {
        return InvalidArgumentError(where + ": statusPurpose is empty");
      }
      if (std::find(options.purposes.begin(), options.purposes.begin() + static_cast<ptrdiff_t>(i),
                    options.purposes[i]) != options.purposes.begin() + static_cast<ptrdiff_t>(i)) {
        return InvalidArgumentError(where + ": statusPurpose " + Quote(options.purposes[i]) +
                                    " is repeated");
      }
    }
    const uint64_t minimum = std::max<uint64_t>(options.min_entries, 1);
    if (list.size() < minimum) {
      return InvalidArgumentError(where + ": the list has " + std::to_string(list.size()) +
                                  " entries, fewer than the minimum " + std::to_string(minimum) +
                                  " (STATUS_LIST_LENGTH_ERROR)");
    }
    const bool message_purpose = Contains(options.purposes, kPurposeMessage);
    if (!options.status_messages.empty() && !message_purpose) {
      return InvalidArgumentError(where + ": statusMessages need the purpose \"message\"");
    }
    if (message_purpose) {
      RETURN_IF_ERROR(CheckMessages(options.status_messages, list.status_size(), where));
    }
    if (options.valid_from && options.valid_until && *options.valid_until < *options.valid_from) {
      return InvalidArgumentError(where + ": validUntil is before validFrom");
    }

    json credential = json::object();
    credential["@context"] = json::array({std::string(kCredentialsV2Context)});
    credential["id"] = options.id;
    credential["type"] =
        json::array({"VerifiableCredential", std::string(kBitstringCredentialType)});
    credential["issuer"] = options.issuer;
    if (options.valid_from) {
      ASSIGN_OR_RETURN(credential["validFrom"], FormatRfc3339(*options.valid_from));
    }
    if (options.valid_until) {
      ASSIGN_OR_RETURN(credential["validUntil"], FormatRfc3339(*options.valid_until));
    }
    json subject = json::object();
    subject["id"] = options.id + "#list";
    subject["type"] = std::string(kBitstringSubjectType);
    if (options.purposes.size() == 1) {
      subject["statusPurpose"] = options.purposes[0];
    } else {
      subject["statusPurpose"] = options.purposes;
    }
    ASSIGN_OR_RETURN(subject["encodedList"], list.Encode(EncodedListFormat::kMultibase));
    if (list.status_size() != 1 || message_purpose) subject["statusSize"] = list.status_size();
    if (!options.status_messages.empty()) {
      std::vector<StatusMessage> sorted = options.status_messages;
      std::sort(sorted.begin(), sorted.end(),
                [](const StatusMessage& a, const StatusMessage& b) { return a.status < b.status; });
      subject["statusMessages"] = MessagesToJson(sorted);
    }
    if (options.ttl_ms) subject["ttl"] = *options.ttl_ms;
    credential["credentialSubject"] = std::move(subject);

    // What we publish must be what we accept.
    auto check = ParseStatusListCredential(credential);
    if (!check.ok()) return check.status();
    return credential;
  });
}

Result<nlohmann::json> MakeStatusEntry(const StatusEntryOptions& options) {
  return Guarded("status entry", [&]() -> Result<json> {
    json entry = json::object();
    entry["id"] = options.id.empty() ? options.list_credential + "#" + std::to_string(options.index)
                                     : options.id;
    entry["type"] = std::string(kBitstringEntryType);
    entry["statusPurpose"] = options.purpose;
    entry["statusListIndex"] = std::to_string(options.index);
    entry["statusListCredential"] = options.list_credential;
    if (options.status_size != 1) entry["statusSize"] = options.status_size;
    if (!options.messages.empty()) {
      if (options.status_size >= 1 && options.status_size <= kMaxStatusSize) {
        RETURN_IF_ERROR(CheckMessages(options.messages, options.status_size, "status entry"));
      }
      std::vector<StatusMessage> sorted = options.messages;
      std::sort(sorted.begin(), sorted.end(),
                [](const StatusMessage& a, const StatusMessage& b) { return a.status < b.status; });
      entry["statusMessage"] = MessagesToJson(sorted);
    }
    if (options.references.size() == 1) {
      entry["statusReference"] = options.references[0];
    } else if (!options.references.empty()) {
      entry["statusReference"] = options.references;
    }
    // Validate by reading back, so issuing and parsing share one set of rules.
    auto parsed = ParseStatusEntry(entry);
    if (!parsed.ok()) return parsed.status();
    return entry;
  });
}

// ----- Reading -----------------------------------------------------------------------------

std::string_view StatusEntryTypeName(StatusEntryType type) {
  switch (type) {
    case StatusEntryType::kBitstringStatusListEntry:
      return kBitstringEntryType;
    case StatusEntryType::kStatusList2021Entry:
      return kStatusList2021EntryType;
    case StatusEntryType::kRevocationList2020Status:
      return kRevocationList2020EntryType;
  }
  return kBitstringEntryType;
}

Result<StatusEntry> ParseStatusEntry(const nlohmann::json& entry) {
  return Guarded("status entry", [&]() -> Result<StatusEntry> {
    const std::string where = "status entry";
    if (!entry.is_object()) {
      return InvalidArgumentError(where + ": must be an object, got " + codec::JsonTypeName(entry));
    }
    ASSIGN_OR_RETURN(std::vector<std::string> types, TypeList(Find(entry, "type"), where));
    std::vector<StatusEntryType> known;
    for (const std::string& t : types) {
      if (t == kBitstringEntryType) known.push_back(StatusEntryType::kBitstringStatusListEntry);
      if (t == kStatusList2021EntryType) known.push_back(StatusEntryType::kStatusList2021Entry);
      if (t == kRevocationList2020EntryType) {
        known.push_back(StatusEntryType::kRevocationList2020Status);
      }
    }
    if (known.size() != 1) {
      return InvalidArgumentError(
          where + ": type must be exactly one of BitstringStatusListEntry, StatusList2021Entry, " +
          "RevocationList2020Status; got " + JoinQuoted(types));
    }
    StatusEntry out;
    out.type = known[0];
    if (const json* id = Find(entry, "id")) {
      if (!id->is_string() || !IsAbsoluteUrl(id->get_ref<const std::string&>())) {
        return InvalidArgumentError(where + ": id must be an absolute URL string");
      }
      out.id = id->get<std::string>();
    }

    if (out.type == StatusEntryType::kRevocationList2020Status) {
      out.purpose = std::string(kPurposeRevocation);
      const json* index = Find(entry, "revocationListIndex");
      if (index == nullptr) return InvalidArgumentError(where + ": missing revocationListIndex");
      ASSIGN_OR_RETURN(out.index, ParseIndex(*index, "revocationListIndex", where));
      ASSIGN_OR_RETURN(out.list_credential, RequiredUrl(entry, "revocationListCredential", where));
    } else {
      ASSIGN_OR_RETURN(out.purpose, RequiredString(entry, "statusPurpose", where));
      if (out.type == StatusEntryType::kStatusList2021Entry && out.purpose != kPurposeRevocation &&
          out.purpose != kPurposeSuspension) {
        return InvalidArgumentError(where +
                                    ": StatusList2021Entry statusPurpose must be "
                                    "\"revocation\" or \"suspension\", got " +
                                    Quote(out.purpose));
      }
      const json* index = Find(entry, "statusListIndex");
      if (index == nullptr) return InvalidArgumentError(where + ": missing statusListIndex");
      ASSIGN_OR_RETURN(out.index, ParseIndex(*index, "statusListIndex", where));
      ASSIGN_OR_RETURN(out.list_credential, RequiredUrl(entry, "statusListCredential", where));
    }
    if (!out.id.empty() && out.id == out.list_credential) {
      return InvalidArgumentError(where + ": id must not be the status list's URL");
    }
    if (out.type != StatusEntryType::kBitstringStatusListEntry) return out;

    if (const json* size = Find(entry, "statusSize")) {
      ASSIGN_OR_RETURN(out.status_size, ParseStatusSize(*size, where));
    }
    const json* messages = Find(entry, "statusMessage");
    if (messages != nullptr) {
      ASSIGN_OR_RETURN(out.messages,
                       ParseMessages(*messages, out.status_size, "statusMessage", where));
    } else if (out.status_size > 1) {
      return InvalidArgumentError(where + ": statusSize " + std::to_string(out.status_size) +
                                  " requires statusMessage");
    }
    if (const json* refs = Find(entry, "statusReference")) {
      std::vector<const json*> items;
      if (refs->is_array()) {
        if (refs->empty()) return InvalidArgumentError(where + ": statusReference is empty");
        for (const json& r : *refs) items.push_back(&r);
      } else {
        items.push_back(refs);
      }
      for (const json* r : items) {
        if (!r->is_string() || !IsAbsoluteUrl(r->get_ref<const std::string&>())) {
          return InvalidArgumentError(where +
                                      ": statusReference must be a URL or an array of URLs");
        }
        out.references.push_back(r->get<std::string>());
      }
    }
    return out;
  });
}

Result<StatusListCredential> ParseStatusListCredential(const nlohmann::json& credential) {
  return Guarded("status list credential", [&]() -> Result<StatusListCredential> {
    const std::string where = "status list credential";
    if (!credential.is_object()) {
      return InvalidArgumentError(where + ": must be an object, got " +
                                  codec::JsonTypeName(credential));
    }
    ASSIGN_OR_RETURN(std::vector<std::string> types, TypeList(Find(credential, "type"), where));
    StatusListCredential out;
    int families = 0;
    for (const std::string& t : types) {
      bool known = false;
      StatusEntryType family = FamilyForCredentialType(t, &known);
      if (known) {
        out.family = family;
        ++families;
      }
    }
    if (families != 1) {
      return InvalidArgumentError(where +
                                  ": type must include exactly one of "
                                  "BitstringStatusListCredential, StatusList2021Credential, "
                                  "RevocationList2020Credential; got " +
                                  JoinQuoted(types));
    }
    if (const json* id = Find(credential, "id")) {
      if (!id->is_string()) return InvalidArgumentError(where + ": id must be a string");
      out.id = id->get<std::string>();
    }
    // VC 2.0 names first; VC 1.1 (StatusList2021, RevocationList2020) used the older ones.
    ASSIGN_OR_RETURN(out.valid_from, OptionalTime(credential, "validFrom", where));
    if (!out.valid_from) {
      ASSIGN_OR_RETURN(out.valid_from, OptionalTime(credential, "issuanceDate", where));
    }
    ASSIGN_OR_RETURN(out.valid_until, OptionalTime(credential, "validUntil", where));
    if (!out.valid_until) {
      ASSIGN_OR_RETURN(out.valid_until, OptionalTime(credential, "expirationDate", where));
    }

    const json* subject = Find(credential, "credentialSubject");
    if (subject != nullptr && subject->is_array() && subject->size() == 1) {
      subject = &(*subject)[0];
    }
    if (subject == nullptr || !subject->is_object()) {
      return InvalidArgumentError(where + ": credentialSubject must be one object");
    }
    const std::string sub = where + ": credentialSubject";
    ASSIGN_OR_RETURN(std::vector<std::string> subject_types, TypeList(Find(*subject, "type"), sub));
    const std::string_view expected_subject = SubjectTypeFor(out.family);
    if (!Contains(subject_types, expected_subject)) {
      return InvalidArgumentError(sub + ": type must be " + std::string(expected_subject) +
                                  ", got " + JoinQuoted(subject_types));
    }
    if (out.family == StatusEntryType::kRevocationList2020Status) {
      out.purposes.push_back(std::string(kPurposeRevocation));
    } else {
      const json* purpose = Find(*subject, "statusPurpose");
      if (purpose == nullptr) return InvalidArgumentError(sub + ": missing statusPurpose");
      std::vector<const json*> items;
      if (purpose->is_array()) {
        if (purpose->empty()) return InvalidArgumentError(sub + ": statusPurpose is empty");
        for (const json& p : *purpose) items.push_back(&p);
      } else {
        items.push_back(purpose);
      }
      for (const json* p : items) {
        if (!p->is_string() || p->get_ref<const std::string&>().empty()) {
          return InvalidArgumentError(sub +
                                      ": statusPurpose must be a string or an array of strings");
        }
        out.purposes.push_back(p->get<std::string>());
      }
    }
    const json* encoded = Find(*subject, "encodedList");
    if (encoded == nullptr) return InvalidArgumentError(sub + ": missing encodedList");
    if (!encoded->is_string()) {
      return InvalidArgumentError(sub + ": encodedList must be a string, got " +
                                  codec::JsonTypeName(*encoded));
    }
    out.encoded_list = encoded->get<std::string>();
    if (const json* ttl = Find(*subject, "ttl")) {
      if (!ttl->is_number_unsigned()) {
        return InvalidArgumentError(sub + ": ttl must be a non-negative integer (milliseconds)");
      }
      out.ttl_ms = ttl->get<uint64_t>();
    }
    if (const json* size = Find(*subject, "statusSize")) {
      ASSIGN_OR_RETURN(out.status_size, ParseStatusSize(*size, sub));
    }
    if (const json* messages = Find(*subject, "statusMessages")) {
      ASSIGN_OR_RETURN(out.status_messages,
                       ParseMessages(*messages, out.status_size == 0 ? 1 : out.status_size,
                                     "statusMessages", sub));
    }
    // The spec: a "message" list MUST give statusSize and define its messages.
    if (Contains(out.purposes, kPurposeMessage)) {
      if (out.status_size == 0) {
        return InvalidArgumentError(sub + ": purpose \"message\" requires statusSize");
      }
      if (out.status_messages.empty()) {
        return InvalidArgumentError(sub + ": purpose \"message\" requires statusMessages");
      }
    }
    return out;
  });
}

// ----- Verifying ---------------------------------------------------------------------------

std::string StatusListDigest(const nlohmann::json& list_credential) {
  return codec::HexEncode(crypto::Sha256(list_credential.dump()));
}

Result<FetchedList> StatusListResolver::FetchList(std::string_view url) {
  ASSIGN_OR_RETURN(json credential, Fetch(url));
  FetchedList out;
  out.digest = StatusListDigest(credential);
  out.credential = std::make_shared<const json>(std::move(credential));
  return out;
}

bool StatusListCache::Contains(const std::string& digest, Time now) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = verified_.find(digest);
  return it != verified_.end() && now - it->second < ttl_;
}

void StatusListCache::Insert(const std::string& digest, Time now) {
  std::lock_guard<std::mutex> lock(mu_);
  auto [it, inserted] = verified_.insert_or_assign(digest, now);
  (void)it;
  if (!inserted) return;
  verified_order_.push_back(digest);
  while (verified_order_.size() > max_entries_) {
    verified_.erase(verified_order_.front());
    verified_order_.pop_front();
  }
}

std::shared_ptr<const Bitstring> StatusListCache::FindExpanded(const std::string& digest,
                                                               int status_size,
                                                               EncodedListFormat format,
                                                               uint64_t min_entries) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = expanded_.find(ExpandedKey(digest, status_size, static_cast<int>(format), min_entries));
  return it == expanded_.end() ? nullptr : it->second;
}

void StatusListCache::InsertExpanded(const std::string& digest, int status_size,
                                     EncodedListFormat format, uint64_t min_entries,
                                     std::shared_ptr<const Bitstring> bits) {
  if (bits == nullptr || bits->bytes().size() > max_bytes_) return;
  std::lock_guard<std::mutex> lock(mu_);
  ExpandedKey key(digest, status_size, static_cast<int>(format), min_entries);
  const size_t size = bits->bytes().size();
  if (!expanded_.emplace(key, std::move(bits)).second) return;
  expanded_order_.push_back(std::move(key));
  expanded_bytes_ += size;
  while (expanded_bytes_ > max_bytes_ && !expanded_order_.empty()) {
    auto old = expanded_.find(expanded_order_.front());
    if (old != expanded_.end()) {
      expanded_bytes_ -= old->second->bytes().size();
      expanded_.erase(old);
    }
    expanded_order_.pop_front();
  }
}

Result<StatusCheckResult> CheckStatusEntry(const nlohmann::json& entry,
                                           StatusListResolver& resolver,
                                           const ListVerifier& verify_list, Time now,
                                           const CheckStatusOptions& options) {
  return Guarded("status check", [&]() -> Result<StatusCheckResult> {
    ASSIGN_OR_RETURN(StatusEntry parsed, ParseStatusEntry(entry));
    VerifiedLists lists(resolver, verify_list, now, options.cache);
    return CheckParsedEntry(parsed, lists, now, options);
  });
}

void CheckCredentialStatus(const nlohmann::json& credential, StatusListResolver& resolver,
                           const ListVerifier& verify_list, Time now, VerificationReport* report,
                           const CheckStatusOptions& options) {
  if (report == nullptr) return;
  Status outcome = Guarded("status check", [&]() -> Status {
    const json* status = Find(credential, "credentialStatus");
    if (!credential.is_object()) {
      report->Fail(kCheckStatus, "the credential is not a JSON object");
      return Status::Ok();
    }
    if (status == nullptr) {
      report->NotApplicable(kCheckStatus, "no credentialStatus");
      return Status::Ok();
    }
    std::vector<std::pair<std::string, const json*>> entries;
    if (status->is_object()) {
      entries.emplace_back("/credentialStatus", status);
    } else if (status->is_array()) {
      for (size_t i = 0; i < status->size(); ++i) {
        entries.emplace_back("/credentialStatus/" + std::to_string(i), &(*status)[i]);
      }
      if (entries.empty()) {
        report->NotApplicable(kCheckStatus, "credentialStatus is an empty array");
        return Status::Ok();
      }
    } else {
      report->Fail(kCheckStatus, "credentialStatus must be an object or an array of objects",
                   "/credentialStatus");
      return Status::Ok();
    }
    if (entries.size() > options.max_entries) {
      report->Fail(kCheckStatus,
                   "credentialStatus has " + std::to_string(entries.size()) + " entries; at most " +
                       std::to_string(options.max_entries) + " are checked",
                   "/credentialStatus");
      return Status::Ok();
    }

    VerifiedLists lists(resolver, verify_list, now, options.cache);
    std::vector<Problem> failures;
    std::vector<std::string> passed;
    for (const auto& [pointer, value] : entries) {
      auto parsed = ParseStatusEntry(*value);
      Result<StatusCheckResult> r = parsed.ok() ? CheckParsedEntry(*parsed, lists, now, options)
                                                : Result<StatusCheckResult>(parsed.status());
      if (!r.ok()) {
        failures.push_back(
            {pointer, "status could not be checked: " + std::string(r.status().message())});
      } else if (r->revoked) {
        failures.push_back({pointer, "revoked (entry " + std::to_string(r->index) + " of " +
                                         r->list_credential + " is set)"});
      } else if (r->suspended) {
        failures.push_back({pointer, "suspended (entry " + std::to_string(r->index) + " of " +
                                         r->list_credential + " is set)"});
      } else {
        passed.push_back(DescribeResult(*r));
      }
    }
    if (failures.empty()) {
      std::string reason;
      for (const std::string& p : passed) reason += (reason.empty() ? "" : "; ") + p;
      report->Pass(kCheckStatus, reason);
      return Status::Ok();
    }
    std::string reason = failures[0].message;
    if (failures.size() > 1) {
      reason += " (and " + std::to_string(failures.size() - 1) + " more)";
    }
    std::string first_pointer = failures[0].pointer;
    for (Problem& p : failures) report->AddProblem(std::move(p));
    report->Fail(kCheckStatus, std::move(reason), std::move(first_pointer));
    return Status::Ok();
  });
  if (!outcome.ok()) report->Fail(kCheckStatus, std::string(outcome.message()));
}

}  // namespace traceport::vc
