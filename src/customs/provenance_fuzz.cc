// libFuzzer target: provenance link extraction (customs/provenance.h) over arbitrary JSON.
//
// The first byte picks a credential type (mod 18): 0-15 one of the trade types with a dedicated
// extractor, 16 an unknown type (the generic walk), 17 the document as it is. The rest is parsed
// as JSON (nlohmann, without exceptions); a parsed object gets the chosen type and, when it has no
// credentialSubject, becomes the subject of a credential of that type, so that every extractor
// meets arbitrary subjects.
//
// Invariants checked (a violation traps): nothing throws (an escaping exception aborts the run);
// every link's kind is an identifier kind; every value is non-empty, at most 256 bytes and has
// no surrounding whitespace; no (kind, value) appears twice; extraction is deterministic.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "customs/provenance.h"

namespace {

using nlohmann::json;
namespace customs = traceport::customs;

constexpr const char* kTypes[] = {
    "MillTestReportCredential",
    "CommercialInvoiceCredential",
    "PackingListCredential",
    "MultiModalBillOfLadingCredential",
    "SIMASteelImportLicenseCredential",
    "CBP3461EntryCredential",
    "CBP7501EntrySummaryCredential",
    "PurchaseOrderCredential",
    "OilAndGasProductCredential",
    "OilAndGasDeliveryTicketCredential",
    "DeliveryScheduleCredential",
    "DeliveryStatementCredential",
    "MonthlyAdvanceManifestCredential",
    "MonthlyAggregateDeliveryStatementCredential",
    "DOEImportAuthorizationCredential",
    "USMCACertificationOfOrigin",
    "SomeFutureTradeCredential",
};
constexpr unsigned kModes = sizeof(kTypes) / sizeof(kTypes[0]) + 1;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

void Check(const std::vector<customs::Link>& links) {
  std::set<std::pair<std::string, std::string>> seen;
  for (const customs::Link& l : links) {
    if (!customs::IsIdentifierKind(l.kind)) __builtin_trap();
    if (l.value.empty() || l.value.size() > 256) __builtin_trap();
    if (IsSpace(l.value.front()) || IsSpace(l.value.back())) __builtin_trap();
    if (!seen.emplace(l.kind, l.value).second) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const unsigned mode = data[0] % kModes;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return 0;
  if (mode < kModes - 1 && doc.is_object()) {
    if (!doc.contains("credentialSubject")) doc = json{{"credentialSubject", std::move(doc)}};
    doc["type"] = json::array({"VerifiableCredential", kTypes[mode]});
  }
  const std::vector<customs::Link> links = customs::ExtractLinks(doc);
  Check(links);
  if (customs::ExtractLinks(doc) != links) __builtin_trap();
  return 0;
}
