// Credential status through status lists: W3C Bitstring Status List v1.0 (REC, 2025), plus
// reading the two formats that preceded it, StatusList2021 and RevocationList2020.
//
// The pieces, in the order an issuer and a verifier use them:
//   Bitstring               the list itself: N entries of statusSize bits (1..8), packed
//                           most-significant-bit first, GZIP-compressed and multibase-encoded
//                           into `encodedList`.
//   IndexAllocator          hands out unused list positions uniformly at random (the spec asks
//                           for random assignment so that an index says nothing about when or
//                           to whom it was issued); persistable.
//   Revoke / Suspend / ...  change one entry, refusing changes the spec calls irreversible.
//   MakeStatusListCredential / MakeStatusEntry
//                           the unsigned JSON the issuer signs with other modules.
//   ParseStatusEntry / ParseStatusListCredential
//                           strict readers for untrusted JSON.
//   CheckStatusEntry        the spec's validate algorithm: fetch the list through a caller's
//                           StatusListResolver, have the caller verify its proof, check its
//                           type, purpose and validity period, expand it and read the entry.
//   CheckCredentialStatus   the same for every entry of a credential's `credentialStatus`,
//                           recorded as the `status` check of a VerificationReport.
// The byte format and every check are described in docs/formats/status-list.md.
//
// Errors. Nothing here throws; every failure is a Status whose message starts with what was
// being read. Codes:
//   InvalidArgument     malformed input (the spec's MALFORMED_VALUE_ERROR), including a list
//                       shorter than the minimum (STATUS_LIST_LENGTH_ERROR) and a list
//                       credential of the wrong type
//   OutOfRange          an index outside the list (RANGE_ERROR) or beyond any supported list
//   ResourceExhausted   sizes above the limits below (a decompression bomb, a huge list)
//   Unimplemented       a valid statusSize above 8
//   FailedPrecondition  a well-formed list that does not apply: purpose mismatch, list not yet
//                       valid or expired, list id different from the entry's URL; and on the
//                       issuer side, undoing a revocation or touching an unallocated index
//   AlreadyExists       IndexAllocator::MarkUsed of a used index
//   DataLoss            a corrupt persisted IndexAllocator state
//   the resolver's or verifier's own code, with context, when fetching (STATUS_RETRIEVAL_ERROR)
//   or verifying the list credential's proof (STATUS_VERIFICATION_ERROR) fails.
//
// Thread safety: free functions are thread-safe. Bitstring and IndexAllocator are
// thread-compatible values (const methods may run concurrently; mutation needs a lock).
#ifndef TRACEPORT_VC_STATUS_LIST_H_
#define TRACEPORT_VC_STATUS_LIST_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "common/random.h"
#include "common/status.h"
#include "common/time.h"
#include "vc/report.h"

namespace traceport::vc {

// The spec's minimum number of entries in a list (16 KiB of single-bit entries): smaller lists
// give too little group privacy and are refused unless an option lowers the bound explicitly.
inline constexpr uint64_t kMinStatusListEntries = 131072;
// Largest list Traceport creates or expands: 2^27 bits = 16 MiB uncompressed. This caps the
// memory a hostile `encodedList` can make a verifier allocate.
inline constexpr uint64_t kMaxStatusListBits = uint64_t{1} << 27;
inline constexpr int kMaxStatusSize = 8;

// statusPurpose values with a meaning defined by the spec. Other strings are allowed in
// entries and lists; they are matched exactly and never make a credential revoked/suspended.
inline constexpr std::string_view kPurposeRevocation = "revocation";
inline constexpr std::string_view kPurposeSuspension = "suspension";
inline constexpr std::string_view kPurposeRefresh = "refresh";
inline constexpr std::string_view kPurposeMessage = "message";

// Limits on list size. The defaults are the spec's; tests and ecosystems with a different
// lower bound (the validate algorithm allows one) lower min_entries explicitly.
struct BitstringOptions {
  uint64_t min_entries = kMinStatusListEntries;
  uint64_t max_bits = kMaxStatusListBits;  // values above kMaxStatusListBits are clamped
};

// How `encodedList` text wraps the compressed bytes.
enum class EncodedListFormat {
  // Bitstring Status List v1.0: multibase 'u' + base64url without padding. Required.
  kMultibase,
  // StatusList2021 and RevocationList2020: plain base64url without padding. A leading 'u' is
  // tolerated when decoding (some issuers added it; GZIP data never starts with 'u' in
  // base64url, so this is unambiguous). Encoding writes no prefix.
  kBase64Url,
};

// A status list: `size()` entries of `status_size()` bits each. Entry i occupies bits
// [i * status_size, (i + 1) * status_size) where bit 0 is the most significant bit of byte 0;
// an entry's value is read with its first bit as the most significant. Bits after the last
// whole entry (possible only in decoded lists) are kept as they are and ignored.
class Bitstring {
 public:
  // An all-zero list. Errors: InvalidArgument if status_size is outside 1..8 or entries is
  // below options.min_entries (or zero); ResourceExhausted if entries * status_size exceeds
  // options.max_bits.
  static Result<Bitstring> Create(uint64_t entries, int status_size = 1,
                                  const BitstringOptions& options = {});

  // Wraps uncompressed bytes; the entry count is floor(8 * bytes.size() / status_size). Same
  // errors as Create.
  static Result<Bitstring> FromBytes(std::vector<uint8_t> bytes, int status_size = 1,
                                     const BitstringOptions& options = {});

  // The Bitstring Expansion Algorithm: multibase/base64url decoding, then GZIP (RFC 1952)
  // decompression with the output capped at options.max_bits / 8 bytes, then FromBytes.
  // Errors: InvalidArgument for a missing or wrong prefix, bad base64url, data that is not
  // exactly one complete GZIP member (bad header, corrupt deflate stream, CRC or length
  // mismatch, truncation, trailing bytes), or a list below the minimum; ResourceExhausted
  // when the text or the decompressed data exceeds the cap (a zip bomb stops at the cap).
  static Result<Bitstring> Decode(std::string_view encoded_list, int status_size = 1,
                                  EncodedListFormat format = EncodedListFormat::kMultibase,
                                  const BitstringOptions& options = {});

  // The Bitstring Generation Algorithm's encoding: GZIP (zlib, best compression, no file name,
  // mtime 0) then the format's text form. Deterministic for a given zlib build.
  // Errors: Internal if zlib fails (it does not for valid input).
  Result<std::string> Encode(EncodedListFormat format = EncodedListFormat::kMultibase) const;

  uint64_t size() const { return entries_; }
  int status_size() const { return status_size_; }
  // 2^status_size - 1.
  uint32_t max_value() const { return (uint32_t{1} << status_size_) - 1; }
  // The uncompressed bytes, exactly as encoded.
  const std::vector<uint8_t>& bytes() const { return bytes_; }

  // The value of entry `index`. OutOfRange if index >= size().
  Result<uint32_t> Get(uint64_t index) const;
  // Sets entry `index`. OutOfRange if index >= size(); InvalidArgument if value > max_value().
  Status Set(uint64_t index, uint32_t value);

  friend bool operator==(const Bitstring&, const Bitstring&) = default;

 private:
  Bitstring(std::vector<uint8_t> bytes, uint64_t entries, int status_size)
      : bytes_(std::move(bytes)), entries_(entries), status_size_(status_size) {}

  std::vector<uint8_t> bytes_;
  uint64_t entries_ = 0;
  int status_size_ = 1;
};

// Remembers which entries of one list have been handed out and hands out new ones uniformly at
// random among the unused, never twice.
//
// Persisted form (Serialize), all integers big-endian:
//   "TPIA" | version u8 = 1 | capacity u64 | used u64 | bitmap ceil(capacity / 8) bytes
//   (bit i = index i, most significant bit first; padding bits zero) | CRC-32 u32 (zlib's,
//   over everything before it).
class IndexAllocator {
 public:
  // An allocator for indices 0 .. capacity-1, none used. InvalidArgument if capacity is 0;
  // ResourceExhausted above kMaxStatusListBits.
  static Result<IndexAllocator> Create(uint64_t capacity);

  // Picks an unused index uniformly at random from `random`, marks it used and returns it.
  // ResourceExhausted when every index is used. Cost: expected O(1) draws while the list is
  // less than ~90% full, otherwise one O(capacity / 64) scan.
  Result<uint64_t> Allocate(RandomSource& random);

  // Marks a specific index used (e.g. when importing an existing list). OutOfRange if
  // index >= capacity; AlreadyExists if it was used.
  Status MarkUsed(uint64_t index);

  // Returns a used index to the pool: for an issuance that allocated it and then failed before
  // anything recorded it. OutOfRange if index >= capacity; FailedPrecondition if it is not used.
  Status Release(uint64_t index);

  bool IsUsed(uint64_t index) const;  // false for out-of-range indices
  uint64_t capacity() const { return capacity_; }
  uint64_t used() const { return used_; }
  uint64_t remaining() const { return capacity_ - used_; }

  std::vector<uint8_t> Serialize() const;
  // Reads Serialize()'s output. DataLoss for anything that is not exactly such a value (bad
  // magic, version, length, checksum, count or padding); ResourceExhausted for a capacity
  // above kMaxStatusListBits.
  static Result<IndexAllocator> Deserialize(std::span<const uint8_t> data);

  friend bool operator==(const IndexAllocator&, const IndexAllocator&) = default;

 private:
  IndexAllocator(uint64_t capacity, std::vector<uint64_t> words)
      : capacity_(capacity), words_(std::move(words)) {}
  void SetUsed(uint64_t index);
  uint64_t NthUnused(uint64_t n) const;

  uint64_t capacity_ = 0;
  uint64_t used_ = 0;
  std::vector<uint64_t> words_;  // bit (63 - i % 64) of words_[i / 64] is index i
};

// Issuer-side status changes on a single-bit list (status_size 1) whose indices `allocator`
// manages. All three are idempotent (setting a bit that is already set succeeds).
// Errors: FailedPrecondition if the list's status_size is not 1, if allocator and list differ
// in size, or if `index` was never allocated; OutOfRange for an index outside the list.
Status Revoke(Bitstring& list, const IndexAllocator& allocator, uint64_t index);
Status Suspend(Bitstring& list, const IndexAllocator& allocator, uint64_t index);
Status Unsuspend(Bitstring& list, const IndexAllocator& allocator, uint64_t index);

// The general form for any purpose and status size. Once an entry of a `revocation` or
// `refresh` list is non-zero it can never change again (the spec calls both irreversible):
// FailedPrecondition. InvalidArgument if value > list.max_value(); other errors as above.
Status SetEntryStatus(Bitstring& list, const IndexAllocator& allocator, std::string_view purpose,
                      uint64_t index, uint32_t value);

// One element of `statusMessage` (entries) or `statusMessages` (list credentials).
struct StatusMessage {
  uint32_t status = 0;  // written as "0x" + lowercase hex
  std::string message;
  friend bool operator==(const StatusMessage&, const StatusMessage&) = default;
};

// ----- Issuing ---------------------------------------------------------------------------

struct StatusListCredentialOptions {
  std::string id;                     // the list's URL; required (absolute URL)
  std::string issuer;                 // issuer id (a URL or DID); required
  std::optional<Time> valid_from;     // written in whole seconds (fraction dropped)
  std::optional<Time> valid_until;    // must not be before valid_from
  std::vector<std::string> purposes;  // one or more distinct strings; one is written as a string
  std::optional<uint64_t> ttl_ms;     // credentialSubject.ttl, milliseconds
  // credentialSubject.statusMessages: required with purpose "message" (and only there):
  // exactly 2^status_size entries covering every value.
  std::vector<StatusMessage> status_messages;
  // A list shorter than this is refused (lower it only in tests or by ecosystem rule).
  uint64_t min_entries = kMinStatusListEntries;
};

// An UNSIGNED BitstringStatusListCredential (VC Data Model 2.0) carrying `list`:
//   {"@context": ["https://www.w3.org/ns/credentials/v2"], "id", "type":
//    ["VerifiableCredential", "BitstringStatusListCredential"], "issuer", "validFrom"?,
//    "validUntil"?, "credentialSubject": {"id": "<id>#list", "type": "BitstringStatusList",
//    "statusPurpose", "encodedList", "statusSize"?, "statusMessages"?, "ttl"?}}
// statusSize is written when the list's status_size is not 1 or the purposes include
// "message" (the spec requires statusSize and statusMessages for message lists). The caller
// signs the result. InvalidArgument for any option violating the rules
// above.
Result<nlohmann::json> MakeStatusListCredential(const StatusListCredentialOptions& options,
                                                const Bitstring& list);

struct StatusEntryOptions {
  std::string id;  // optional; "" writes "<list_credential>#<index>" (as the spec's examples)
  std::string purpose = std::string(kPurposeRevocation);
  uint64_t index = 0;
  std::string list_credential;  // the list credential's URL; required
  int status_size = 1;          // 1..8; written only when not 1
  // statusMessage: required with exactly 2^status_size entries covering every value when
  // status_size > 1; optional (then exactly 2) when 1.
  std::vector<StatusMessage> messages;
  std::vector<std::string> references;  // statusReference URLs; one is written as a string
};

// A BitstringStatusListEntry for a credential's `credentialStatus`. The output always passes
// ParseStatusEntry. InvalidArgument / OutOfRange / Unimplemented as ParseStatusEntry would
// report for the same values.
Result<nlohmann::json> MakeStatusEntry(const StatusEntryOptions& options);

// ----- Reading ---------------------------------------------------------------------------

enum class StatusEntryType {
  kBitstringStatusListEntry,  // W3C Bitstring Status List v1.0
  kStatusList2021Entry,       // W3C CCG Status List 2021 (purposes revocation | suspension)
  kRevocationList2020Status,  // W3C CCG Revocation List 2020 (purpose implicitly revocation)
};
// "BitstringStatusListEntry", "StatusList2021Entry", "RevocationList2020Status".
std::string_view StatusEntryTypeName(StatusEntryType type);

// A validated status entry.
struct StatusEntry {
  StatusEntryType type = StatusEntryType::kBitstringStatusListEntry;
  std::string id;  // "" when absent
  std::string purpose;
  uint64_t index = 0;
  std::string list_credential;
  int status_size = 1;
  std::vector<StatusMessage> messages;  // ordered by status value; empty when absent
  std::vector<std::string> references;
  friend bool operator==(const StatusEntry&, const StatusEntry&) = default;
};

// Validates one entry of `credentialStatus`. `type` must be (or, as an array, contain exactly
// one of) the three types above. For a BitstringStatusListEntry:
//   statusPurpose         a non-empty string
//   statusListIndex       a base-10 string of digits, no sign, no leading zero (except "0"),
//                         below kMaxStatusListBits (else OutOfRange)
//   statusListCredential  an absolute URL (scheme ":" ...), different from `id`
//   statusSize            optional integer >= 1 (1..8 supported, larger is Unimplemented)
//   statusMessage         an array of exactly 2^statusSize objects {status: "0x<hex>",
//                         message: string} whose statuses are the distinct values
//                         0 .. 2^statusSize-1; required when statusSize > 1
//   statusReference       optional URL or non-empty array of URLs
// StatusList2021Entry: statusPurpose revocation | suspension, statusListIndex,
// statusListCredential. RevocationList2020Status: revocationListIndex,
// revocationListCredential. `id`, when present, must be a string. Unknown members are
// ignored. Errors name the member, e.g.
//   "status entry: statusListIndex must be a base-10 string without leading zeros, got \"007\""
Result<StatusEntry> ParseStatusEntry(const nlohmann::json& entry);

// What a status list credential says, after structural validation.
struct StatusListCredential {
  StatusEntryType family = StatusEntryType::kBitstringStatusListEntry;  // which entries it serves
  std::string id;                     // credential id; "" when absent
  std::vector<std::string> purposes;  // RevocationList2020: {"revocation"}
  std::string encoded_list;
  std::optional<Time> valid_from;   // validFrom, else issuanceDate (VC 1.1)
  std::optional<Time> valid_until;  // validUntil, else expirationDate (VC 1.1)
  std::optional<uint64_t> ttl_ms;
  int status_size = 0;  // credentialSubject.statusSize; 0 when absent
  std::vector<StatusMessage> status_messages;
};

// Validates a status list credential's shape (not its proof): type includes
// BitstringStatusListCredential (subject type BitstringStatusList), StatusList2021Credential
// (StatusList2021) or RevocationList2020Credential (RevocationList2020); credentialSubject is
// one object with statusPurpose (string or non-empty array of strings; not for 2020) and a
// string encodedList; optional ttl (non-negative integer), statusSize and statusMessages, both
// required when a purpose is "message"; dates are RFC 3339. The list itself is not expanded
// here.
Result<StatusListCredential> ParseStatusListCredential(const nlohmann::json& credential);

// ----- Verifying -------------------------------------------------------------------------

// Dereferences a statusListCredential URL. Implemented by the caller (HTTP with limits, a
// cache, a stapled copy). Returns the credential as JSON, already unwrapped from any
// enveloping format; its proof is checked separately by the ListVerifier.
class StatusListResolver;

// A fetched list credential as CheckStatusEntry and CheckCredentialStatus use it: shared, so a
// resolver that keeps its lists hands the same parsed list to every verification without a
// copy, and named by `digest`, the hex SHA-256 of its JSON serialization (nlohmann's dump()),
// which is what StatusListCache entries are keyed by: any change to a list is a new key.
struct FetchedList {
  std::shared_ptr<const nlohmann::json> credential;
  std::string digest;
};

// The digest FetchedList::digest means, for a credential a resolver has just fetched.
std::string StatusListDigest(const nlohmann::json& list_credential);

class StatusListResolver {
 public:
  virtual ~StatusListResolver() = default;
  virtual Result<nlohmann::json> Fetch(std::string_view url) = 0;
  // Fetch, then StatusListDigest. Resolvers that keep lists override it to serve a shared copy
  // and a digest computed once.
  virtual Result<FetchedList> FetchList(std::string_view url);
};

// Verifies the proof of a fetched list credential (and, if the caller wishes, that its issuer
// is trusted). OK means verified. Required: CheckStatusEntry refuses to run without one.
using ListVerifier = std::function<Status(const nlohmann::json& list_credential)>;

// Remembers, for a long-running verifier that sees the same lists over and over, which list
// credentials' proofs verified (so each is verified once per `ttl` instead of once per
// credential) and the lists already expanded (so each is decompressed once). Keyed by
// FetchedList::digest, so a changed list is a new entry; the list's validity period, type,
// purpose and the entry's bits are still checked on every use. At most `max_entries` proofs and
// `max_bytes` of expanded lists are kept, the oldest going first. Thread-safe.
// A hit skips the ListVerifier, so one cache serves one verification policy: verifiers that
// accept different cryptosuites or trust different issuers must not share one. And the key is
// the resolver's digest: a resolver that overrides FetchList must report the digest of exactly
// the credential it returns.
class StatusListCache {
 public:
  explicit StatusListCache(std::chrono::seconds ttl = std::chrono::seconds(60),
                           size_t max_entries = 4096, size_t max_bytes = size_t{64} << 20)
      : ttl_(ttl), max_entries_(max_entries), max_bytes_(max_bytes) {}

  bool Contains(const std::string& digest, Time now) const;
  void Insert(const std::string& digest, Time now);

  // The list `digest` expanded with these parameters, or null.
  std::shared_ptr<const Bitstring> FindExpanded(const std::string& digest, int status_size,
                                                EncodedListFormat format,
                                                uint64_t min_entries) const;
  void InsertExpanded(const std::string& digest, int status_size, EncodedListFormat format,
                      uint64_t min_entries, std::shared_ptr<const Bitstring> bits);

 private:
  using ExpandedKey = std::tuple<std::string, int, int, uint64_t>;
  std::chrono::seconds ttl_;
  size_t max_entries_;
  size_t max_bytes_;
  mutable std::mutex mu_;
  std::map<std::string, Time> verified_;  // digest -> when its proof verified
  std::deque<std::string> verified_order_;
  std::map<ExpandedKey, std::shared_ptr<const Bitstring>> expanded_;
  std::deque<ExpandedKey> expanded_order_;
  size_t expanded_bytes_ = 0;
};

struct CheckStatusOptions {
  // Lower bound on list entries (the validate algorithm's minimumNumberOfEntries).
  uint64_t min_entries = kMinStatusListEntries;
  // CheckCredentialStatus: at most this many entries in credentialStatus (each one may cost a
  // fetch and a 16 MiB expansion).
  size_t max_entries = 16;
  // When set, list proofs that verified within its ttl are not verified again and expanded
  // lists are reused (see StatusListCache).
  StatusListCache* cache = nullptr;
  // Clock tolerance for the list credential's validFrom and validUntil, as for a credential's
  // own validity period (VerifyLimits::skew): the list's signer and the verifier may not share
  // a clock, and a node signs its lists on demand, stamping them with its own "now".
  std::chrono::seconds skew{0};
};

struct StatusCheckResult {
  StatusEntryType type = StatusEntryType::kBitstringStatusListEntry;
  std::string purpose;
  uint64_t index = 0;
  std::string list_credential;
  int status_size = 1;
  uint32_t value = 0;
  bool valid = true;       // value == 0 (the spec's `valid`)
  bool revoked = false;    // purpose "revocation" and value != 0
  bool suspended = false;  // purpose "suspension" and value != 0
  std::string message;     // purpose "message": the entry's statusMessage for value, or
                           // "unset" / "set" for a single bit without statusMessage
};

// The spec's validate algorithm for one entry:
//   1. ParseStatusEntry(entry);
//   2. resolver.FetchList(statusListCredential)              (error: "... retrieval failed")
//   3. verify_list(list credential), unless options.cache     (error: "... proof: ...")
//      remembers that this exact list verified
//   4. ParseStatusListCredential; its type must serve the entry's type; its id, when present,
//      must equal statusListCredential; its statusSize, when present, the entry's;
//   5. validity: valid_from <= now <= valid_until, when given (FailedPrecondition);
//   6. the entry's purpose must be one of the list's (FailedPrecondition);
//   7. expand encodedList with the entry's statusSize and options.min_entries;
//   8. read the entry at statusListIndex (OutOfRange beyond the list).
// An empty verify_list is FailedPrecondition: a list whose proof was not checked proves
// nothing.
Result<StatusCheckResult> CheckStatusEntry(const nlohmann::json& entry,
                                           StatusListResolver& resolver,
                                           const ListVerifier& verify_list, Time now,
                                           const CheckStatusOptions& options = {});

// Fills the `status` check of `report` from `credential`'s credentialStatus (an entry or an
// array of entries):
//   no credentialStatus, or an empty array  -> not applicable (skipped, not required)
//   every entry checked, none revoked or suspended -> pass
//   otherwise -> fail, with the first failing entry's reason and pointer
//     ("/credentialStatus/1"); every failing entry is also added as a Problem.
// An entry that cannot be checked (malformed, unsupported type, fetch or proof failure,
// expired list, ...) fails the check: status unknown is not "not revoked". Each list
// credential URL is fetched and verified once per call.
void CheckCredentialStatus(const nlohmann::json& credential, StatusListResolver& resolver,
                           const ListVerifier& verify_list, Time now, VerificationReport* report,
                           const CheckStatusOptions& options = {});

}  // namespace traceport::vc

#endif  // TRACEPORT_VC_STATUS_LIST_H_
