// W3C Bitstring Status List v1.0 conformance, from ../shared/conformance/vc-bitstring-status-list
// (REC @ 74fcae11; see its SOURCES.md and the conformance guide, sections 4 and 5). Prints
//   conformance bitstring-status-list: N passed, M failed, K skipped
//
// The REC ships no test vectors, only examples; what is checked from them:
//   - every example with an encodedList (03, 05): the list credential parses, and encodedList
//     expands to exactly 16,384 zero bytes (131,072 single-bit entries); derived negatives (the
//     multibase prefix removed, the text truncated) must fail;
//   - every credentialStatus entry (examples 01, 04, 06, 07): it parses and the parsed fields
//     equal the JSON; a derived negative (statusListIndex as a JSON number) must fail;
//   - entries whose statusListCredential is one of the example lists are checked end to end
//     with CheckStatusEntry (not revoked); entries naming lists the REC does not publish are
//     skipped;
//   - contexts/v1.jsonld hashes to the SHA-256 published in the REC (section 5.2). The 2021
//     context has no published hash and is counted as skipped.
// The examples carry no proofs, so the list verifier here accepts everything; proof checking
// is exercised in the unit tests.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "codec/hex.h"
#include "codec/json.h"
#include "common/testing/conformance.h"
#include "crypto/sha2.h"
#include "vc/status_list.h"

namespace traceport::vc {
namespace {

using nlohmann::json;
using ::traceport::testing::ReadFile;
using ::traceport::testing::SuiteCounter;

constexpr size_t kExamples = 6;
constexpr size_t kExpectedPassed = 26;
constexpr size_t kExpectedSkipped = 5;
// Bitstring Status List v1.0 REC, section 5.2, for https://www.w3.org/ns/credentials/status/v1.
constexpr std::string_view kContextSha256 =
    "fda5add353231e6a6884a46b12e6c75464281900cb348284d9c360f62381d9f7";

class ExampleResolver : public StatusListResolver {
 public:
  Result<json> Fetch(std::string_view url) override {
    auto it = lists.find(std::string(url));
    if (it == lists.end()) return NotFoundError("no example list at " + std::string(url));
    return it->second;
  }
  std::map<std::string, json> lists;
};

// The example file names listed in INDEX.tsv (first column, after the header line).
std::vector<std::string> IndexedExamples(const std::string& index) {
  std::vector<std::string> names;
  size_t start = 0;
  bool header = true;
  while (start < index.size()) {
    size_t end = index.find('\n', start);
    if (end == std::string::npos) end = index.size();
    std::string line = index.substr(start, end - start);
    start = end + 1;
    if (header) {
      header = false;
      continue;
    }
    const size_t tab = line.find('\t');
    if (!line.empty()) names.push_back(line.substr(0, tab));
  }
  return names;
}

// Empty when the parsed entry reproduces the JSON's fields, else what differs.
std::string CompareEntry(const json& raw, const StatusEntry& parsed) {
  auto text = [&](const char* key) {
    return raw.contains(key) && raw[key].is_string() ? raw[key].get<std::string>() : "";
  };
  if (std::string(StatusEntryTypeName(parsed.type)) != text("type")) return "type differs";
  if (parsed.id != text("id")) return "id differs";
  if (parsed.purpose != text("statusPurpose")) return "statusPurpose differs";
  if (std::to_string(parsed.index) != text("statusListIndex")) return "statusListIndex differs";
  if (parsed.list_credential != text("statusListCredential")) {
    return "statusListCredential differs";
  }
  if (parsed.status_size != 1) return "statusSize should default to 1";
  return "";
}

TEST(StatusListConformance, RecExamples) {
  TRACEPORT_CONFORMANCE_DIR_OR_SKIP(dir, "bitstring-status-list", "vc-bitstring-status-list");
  SuiteCounter counter("bitstring-status-list");
  auto index = ReadFile(dir / "rec-examples" / "INDEX.tsv");
  ASSERT_TRUE(index.ok()) << index.status();
  const std::vector<std::string> names = IndexedExamples(*index);
  EXPECT_EQ(names.size(), kExamples);

  std::map<std::string, json> documents;
  for (const std::string& name : names) {
    auto text = ReadFile(dir / "rec-examples" / name);
    if (!text.ok()) {
      counter.Fail(name + ": " + text.status().ToString());
      continue;
    }
    auto document = codec::ParseJson(*text);
    if (!document.ok()) {
      counter.Fail(name + ": " + document.status().ToString());
      continue;
    }
    documents[name] = *document;
  }

  // Status list credentials.
  ExampleResolver resolver;
  for (const auto& [name, document] : documents) {
    if (!document.contains("credentialSubject") ||
        !document["credentialSubject"].contains("encodedList")) {
      continue;
    }
    auto list = ParseStatusListCredential(document);
    counter.Record(list.ok(), name + ": list credential: " + list.status().ToString());
    if (!list.ok()) continue;
    resolver.lists[list->id] = document;

    auto bits = Bitstring::Decode(list->encoded_list);
    const bool zeros =
        bits.ok() && bits->size() == 131072 && bits->bytes().size() == 16384 &&
        std::all_of(bits->bytes().begin(), bits->bytes().end(), [](uint8_t b) { return b == 0; });
    counter.Record(zeros, name + ": encodedList should expand to 16384 zero bytes: " +
                              bits.status().ToString());

    auto unprefixed = Bitstring::Decode(list->encoded_list.substr(1));
    counter.Record(!unprefixed.ok(), name + ": encodedList without its 'u' prefix was accepted");
    auto truncated = Bitstring::Decode(list->encoded_list.substr(0, list->encoded_list.size() - 4));
    counter.Record(!truncated.ok(), name + ": truncated encodedList was accepted");
  }

  // Status entries, and end-to-end checks where the REC publishes the list.
  const Time now = ParseRfc3339("2025-05-15T00:00:00Z").value();
  const ListVerifier examples_have_no_proofs = [](const json&) { return Status::Ok(); };
  for (const auto& [name, document] : documents) {
    if (!document.contains("credentialStatus")) continue;
    const json& status = document["credentialStatus"];
    std::vector<json> entries;
    if (status.is_array()) {
      entries.assign(status.begin(), status.end());
    } else {
      entries.push_back(status);
    }
    for (size_t i = 0; i < entries.size(); ++i) {
      const std::string where = name + " credentialStatus[" + std::to_string(i) + "]";
      auto parsed = ParseStatusEntry(entries[i]);
      if (!parsed.ok()) {
        counter.Fail(where + ": " + parsed.status().ToString());
        continue;
      }
      const std::string difference = CompareEntry(entries[i], *parsed);
      counter.Record(difference.empty(), where + ": " + difference);

      json numeric = entries[i];
      numeric["statusListIndex"] = parsed->index;
      counter.Record(!ParseStatusEntry(numeric).ok(),
                     where + ": a numeric statusListIndex was accepted");

      if (resolver.lists.count(parsed->list_credential) == 0) {
        counter.Skip();  // the REC does not publish this list
        continue;
      }
      auto result = CheckStatusEntry(entries[i], resolver, examples_have_no_proofs, now);
      counter.Record(result.ok() && result->valid && !result->revoked && !result->suspended,
                     where + ": status check: " + result.status().ToString());
    }
  }

  // The context published with the REC.
  auto context = ReadFile(dir / "contexts" / "v1.jsonld");
  if (context.ok()) {
    const std::string digest = codec::HexEncode(crypto::Sha256(std::string_view(*context)));
    counter.Record(digest == kContextSha256, "contexts/v1.jsonld: sha256 " + digest +
                                                 " differs from the REC's " +
                                                 std::string(kContextSha256));
  } else {
    counter.Fail("contexts/v1.jsonld: " + context.status().ToString());
  }
  counter.Skip();  // contexts/2021/v1.jsonld: the 2021 report published no hash

  counter.Print();
  EXPECT_EQ(counter.failed(), 0u);
  EXPECT_EQ(counter.passed(), kExpectedPassed) << "unexpected number of checks";
  EXPECT_EQ(counter.skipped(), kExpectedSkipped);
}

}  // namespace
}  // namespace traceport::vc
