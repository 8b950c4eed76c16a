// libFuzzer target: status lists from untrusted input.
//
// The input is tried as
//   - an encodedList, in both text formats and for status sizes 1, 2, 3 and 8, with the
//     decompression cap lowered to 128 KiB so that bombs are cheap to reach;
//   - JSON: a status entry, a status list credential, a credential whose credentialStatus is
//     checked against the same document served as its own list;
//   - a persisted IndexAllocator state.
// Invariants checked (a violation traps):
//   - a decoded list re-encodes and decodes to the same list, and every entry is readable;
//   - a parsed BitstringStatusListEntry is reproduced by MakeStatusEntry;
//   - a deserialized allocator serializes back to exactly the input, and releasing one of its
//     used indices (then marking it used again) changes exactly that index;
//   - error messages are printable ASCII (they end up in logs and problem details).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "codec/json.h"
#include "vc/report.h"
#include "vc/status_list.h"

namespace {

using nlohmann::json;
using traceport::Result;
using traceport::Status;
namespace vc = traceport::vc;

void CheckMessage(const Status& status) {
  if (status.ok()) __builtin_trap();
  for (char c : status.message()) {
    if (c < 0x20 || c > 0x7e) __builtin_trap();
  }
}

void FuzzEncodedList(std::string_view text) {
  vc::BitstringOptions options;
  options.min_entries = 8;
  options.max_bits = uint64_t{1} << 20;
  for (vc::EncodedListFormat format :
       {vc::EncodedListFormat::kMultibase, vc::EncodedListFormat::kBase64Url}) {
    for (int size : {1, 2, 3, 8}) {
      auto list = vc::Bitstring::Decode(text, size, format, options);
      if (!list.ok()) {
        CheckMessage(list.status());
        continue;
      }
      if (list->size() * static_cast<uint64_t>(size) > list->bytes().size() * 8) __builtin_trap();
      if (list->bytes().size() > options.max_bits / 8) __builtin_trap();
      for (uint64_t i = 0; i < list->size(); i += 1 + list->size() / 64) {
        auto v = list->Get(i);
        if (!v.ok() || *v > list->max_value()) __builtin_trap();
      }
      if (list->Get(list->size()).ok()) __builtin_trap();
      auto again = list->Encode(format);
      if (!again.ok()) __builtin_trap();
      auto back = vc::Bitstring::Decode(*again, size, format, options);
      if (!back.ok() || !(*back == *list)) __builtin_trap();
    }
  }
}

class SelfResolver : public vc::StatusListResolver {
 public:
  explicit SelfResolver(const json& document) : document_(document) {}
  Result<json> Fetch(std::string_view) override { return document_; }

 private:
  const json& document_;
};

void FuzzJson(std::string_view text) {
  auto document = traceport::codec::ParseJson(text, {.max_bytes = 1 << 20, .max_depth = 32});
  if (!document.ok()) return;

  auto entry = vc::ParseStatusEntry(*document);
  if (!entry.ok()) {
    CheckMessage(entry.status());
  } else if (entry->type == vc::StatusEntryType::kBitstringStatusListEntry && !entry->id.empty()) {
    vc::StatusEntryOptions options;
    options.id = entry->id;
    options.purpose = entry->purpose;
    options.index = entry->index;
    options.list_credential = entry->list_credential;
    options.status_size = entry->status_size;
    options.messages = entry->messages;
    options.references = entry->references;
    auto made = vc::MakeStatusEntry(options);
    if (!made.ok()) __builtin_trap();
    auto reparsed = vc::ParseStatusEntry(*made);
    if (!reparsed.ok() || !(*reparsed == *entry)) __builtin_trap();
  }

  auto list = vc::ParseStatusListCredential(*document);
  if (!list.ok()) CheckMessage(list.status());

  // The document as a credential whose status lists all resolve to the document itself.
  SelfResolver resolver(*document);
  const vc::ListVerifier accept = [](const json&) { return Status::Ok(); };
  const traceport::Time now = traceport::FromUnixSeconds(1767225600);  // 2026-01-01
  vc::CheckStatusOptions check_options;
  check_options.min_entries = 8;
  vc::VerificationReport report;
  vc::CheckCredentialStatus(*document, resolver, accept, now, &report, check_options);
  if (report.Find(vc::kCheckStatus) == nullptr) __builtin_trap();
  auto single = vc::CheckStatusEntry(*document, resolver, accept, now, check_options);
  if (!single.ok()) CheckMessage(single.status());
}

void FuzzAllocator(std::span<const uint8_t> bytes) {
  auto allocator = vc::IndexAllocator::Deserialize(bytes);
  if (!allocator.ok()) {
    CheckMessage(allocator.status());
    return;
  }
  std::vector<uint8_t> again = allocator->Serialize();
  if (again.size() != bytes.size() || !std::equal(again.begin(), again.end(), bytes.begin())) {
    __builtin_trap();
  }
  // Releasing a used index frees exactly it, survives a round trip, and marking it used again
  // restores the input.
  const uint64_t scan = std::min<uint64_t>(allocator->capacity(), 4096);
  for (uint64_t i = 0; i < scan; ++i) {
    if (!allocator->IsUsed(i)) continue;
    const uint64_t used = allocator->used();
    if (!allocator->Release(i).ok() || allocator->IsUsed(i) || allocator->used() != used - 1) {
      __builtin_trap();
    }
    if (allocator->Release(i).ok()) __builtin_trap();
    auto back = vc::IndexAllocator::Deserialize(allocator->Serialize());
    if (!back.ok() || !(*back == *allocator)) __builtin_trap();
    if (!allocator->MarkUsed(i).ok() || allocator->Serialize() != again) __builtin_trap();
    break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  FuzzEncodedList(text);
  FuzzJson(text);
  FuzzAllocator(std::span<const uint8_t>(data, size));
  return 0;
}
