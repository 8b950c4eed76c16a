#include "customs/provenance.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace traceport::customs {

// Found by argument-dependent lookup, so it lives in Link's namespace.
void PrintTo(const Link& l, std::ostream* os) {
  *os << "{" << l.kind << ", \"" << l.value << "\"" << (l.origin ? ", origin" : "") << "}";
}

namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;

Link L(std::string_view kind, std::string value, bool origin = false) {
  return Link{std::string(kind), std::move(value), origin};
}

// A credential of `type` with `subject`, shaped as the contract says.
json Credential(const std::string& type, json subject) {
  return {{"@context", json::array({"https://www.w3.org/ns/credentials/v2",
                                    "https://w3id.org/traceability/v1"})},
          {"type", json::array({"VerifiableCredential", type})},
          {"issuer", "did:web:issuer.example"},
          {"credentialSubject", std::move(subject)}};
}

TEST(ProvenanceKinds, EveryKindIsKnownAndNothingElse) {
  EXPECT_EQ(IdentifierKinds().size(), 13u);
  for (std::string_view k : IdentifierKinds()) EXPECT_TRUE(IsIdentifierKind(k)) << k;
  EXPECT_FALSE(IsIdentifierKind(""));
  EXPECT_FALSE(IsIdentifierKind("Heat"));
  EXPECT_FALSE(IsIdentifierKind("heatNumber"));
}

TEST(ProvenanceExtract, MillTestReport) {
  json mtr = Credential("MillTestReportCredential",
                        {{"certificateNumber", "MTR-2026-0042"},
                         {"purchaseOrderNumber", "PO-7781"},
                         {"inspections",
                          {{{"productIdentifier", "COIL-1"}, {"heatNumber", "H24-1187"}},
                           {{"productIdentifier", "COIL-2"}, {"heatNumber", " H24-1188 "}},
                           {{"productIdentifier", "COIL-3"}, {"heatNumber", "H24-1187"}}}}});
  EXPECT_THAT(ExtractLinks(mtr),
              ElementsAre(L(kHeatNumber, "H24-1187", true), L(kHeatNumber, "H24-1188", true),
                          L(kCertificate, "MTR-2026-0042", true), L(kPurchaseOrder, "PO-7781")));
}

TEST(ProvenanceExtract, CommercialInvoice) {
  json invoice =
      Credential("CommercialInvoiceCredential", {{"invoiceNumber", "INV-501"},
                                                 {"purchaseOrderNumbers", {"PO-7781", "PO-7782"}},
                                                 {"billOfLadingNumber", "MAEU123456789"},
                                                 {"itemsShipped",
                                                  {{{"description", "coil"},
                                                    {"heatNumbers", {"H24-1187", "H24-1188"}},
                                                    {"gtin", "00012345678905"}},
                                                   {{"description", "coil"},
                                                    {"heatNumbers", {"H24-1188"}},
                                                    {"purchaseOrderNumber", "PO-7783"}}}}});
  EXPECT_THAT(ExtractLinks(invoice),
              ElementsAre(L(kInvoiceNumber, "INV-501", true), L(kPurchaseOrder, "PO-7781"),
                          L(kPurchaseOrder, "PO-7782"), L(kBillOfLading, "MAEU123456789"),
                          L(kHeatNumber, "H24-1187"), L(kHeatNumber, "H24-1188"),
                          L(kGtin, "00012345678905"), L(kPurchaseOrder, "PO-7783")));
}

TEST(ProvenanceExtract, PackingList) {
  json pl = Credential("PackingListCredential", {{"orderNumber", "PO-7781"},
                                                 {"invoiceId", "INV-501"},
                                                 {"billOfLadingNumber", "MAEU123456789"},
                                                 {"items",
                                                  {{{"descriptionOfPackagesAndGoods", "2 coils"},
                                                    {"heatNumbers", {"H24-1187", "H24-1188"}}}}}});
  EXPECT_THAT(ExtractLinks(pl),
              ElementsAre(L(kHeatNumber, "H24-1187"), L(kHeatNumber, "H24-1188"),
                          L(kInvoiceNumber, "INV-501"), L(kPurchaseOrder, "PO-7781"),
                          L(kBillOfLading, "MAEU123456789")));
}

TEST(ProvenanceExtract, BillOfLading) {
  json bol =
      Credential("MultiModalBillOfLadingCredential",
                 {{"billOfLadingNumber", "MAEU123456789"},
                  {"particulars",
                   {{{"descriptionOfPackagesAndGoods", "coils"}, {"heatNumbers", {"H24-1187"}}}}}});
  EXPECT_THAT(ExtractLinks(bol),
              ElementsAre(L(kBillOfLading, "MAEU123456789", true), L(kHeatNumber, "H24-1187")));
}

TEST(ProvenanceExtract, SimaAndEntries) {
  EXPECT_THAT(ExtractLinks(Credential("SIMASteelImportLicenseCredential",
                                      {{"licenseNumber", "SIMA-2026-000123"},
                                       {"customsEntryNumber", "ABC-1234567-8"}})),
              ElementsAre(L(kLicense, "SIMA-2026-000123", true), L(kEntryNumber, "ABC-1234567-8")));
  EXPECT_THAT(
      ExtractLinks(Credential("CBP3461EntryCredential", {{"entryNumber", "ABC-1234567-8"},
                                                         {"entryType", "01"},
                                                         {"billOfLadingNumber", "MAEU123456789"}})),
      ElementsAre(L(kEntryNumber, "ABC-1234567-8", true), L(kBillOfLading, "MAEU123456789")));
  EXPECT_THAT(
      ExtractLinks(Credential("CBP7501EntrySummaryCredential",
                              {{"entryNumber", "ABC-1234567-8"},
                               {"billOfLadingNumber", "MAEU123456789"},
                               {"simaLicenseNumbers", {"SIMA-2026-000123", "SIMA-2026-000124"}}})),
      ElementsAre(L(kEntryNumber, "ABC-1234567-8", true), L(kBillOfLading, "MAEU123456789"),
                  L(kLicense, "SIMA-2026-000123"), L(kLicense, "SIMA-2026-000124")));
}

TEST(ProvenanceExtract, PurchaseOrder) {
  EXPECT_THAT(
      ExtractLinks(
          Credential("PurchaseOrderCredential", {{"purchaseOrderNumber", "PO-7781"},
                                                 {"itemsOrdered",
                                                  {{{"description", "coil"}, {"gtin", "12345670"}},
                                                   {{"description", "plate"},
                                                    {"purchaseOrderNumber", "PO-7781"},
                                                    {"heatNumbers", {"H1"}}}}}})),
      ElementsAre(L(kPurchaseOrder, "PO-7781", true), L(kGtin, "12345670"), L(kHeatNumber, "H1")));
}

TEST(ProvenanceExtract, OilChain) {
  EXPECT_THAT(
      ExtractLinks(Credential("OilAndGasProductCredential",
                              {{"product", {{"name", "crude"}, {"batchNumber", "B-2026-11-07"}}},
                               {"UWI", "100/06-21-063-22W4/00"}})),
      ElementsAre(L(kBatchNumber, "B-2026-11-07", true), L(kWell, "100/06-21-063-22W4/00", true)));
  EXPECT_THAT(ExtractLinks(
                  Credential("OilAndGasDeliveryTicketCredential",
                             {{"ticketControlNumber", "T-9001"}, {"batchNumber", "B-2026-11-07"}})),
              ElementsAre(L(kTicketNumber, "T-9001", true), L(kBatchNumber, "B-2026-11-07")));
  EXPECT_THAT(
      ExtractLinks(Credential("DeliveryScheduleCredential", {{"batchNumber", "B-2026-11-07"}})),
      ElementsAre(L(kBatchNumber, "B-2026-11-07")));
  EXPECT_THAT(ExtractLinks(Credential("DeliveryStatementCredential",
                                      {{"statementNumber", "DS-1"},
                                       {"batchNumber", "B-2026-11-07"},
                                       {"ticketControlNumbers", {"T-9001", "T-9002", ""}}})),
              ElementsAre(L(kBatchNumber, "B-2026-11-07"), L(kTicketNumber, "T-9001"),
                          L(kTicketNumber, "T-9002")));
}

TEST(ProvenanceExtract, GasAndCertificationOfOrigin) {
  EXPECT_THAT(ExtractLinks(
                  Credential("MonthlyAdvanceManifestCredential",
                             {{"manifestNumber", "M-1"}, {"doeAuthorizationNumber", "24-123-NG"}})),
              ElementsAre(L(kLicense, "24-123-NG")));
  EXPECT_THAT(ExtractLinks(Credential(
                  "MonthlyAggregateDeliveryStatementCredential",
                  {{"statementNumber", "A-1"}, {"doeAuthorizationNumber", "24-123-NG"}})),
              ElementsAre(L(kLicense, "24-123-NG")));
  EXPECT_THAT(ExtractLinks(Credential("DOEImportAuthorizationCredential",
                                      {{"authorizationNumber", "24-123-NG"}})),
              ElementsAre(L(kLicense, "24-123-NG", true)));
  EXPECT_THAT(
      ExtractLinks(Credential("USMCACertificationOfOrigin",
                              {{"invoiceNumber", "INV-501"}, {"certifierRole", "exporter"}})),
      ElementsAre(L(kInvoiceNumber, "INV-501")));
}

TEST(ProvenanceExtract, KnownTypeIgnoresMembersOutsideItsFields) {
  // A typed extractor reads only the fields the contract names: an invoice's lotCode, or a
  // packing list's own invoiceNumber (its field is invoiceId), are not links.
  json pl = Credential("PackingListCredential",
                       {{"invoiceNumber", "INV-9"}, {"lotCode", "LOT-1"}, {"invoiceId", "INV-1"}});
  EXPECT_THAT(ExtractLinks(pl), ElementsAre(L(kInvoiceNumber, "INV-1")));
}

TEST(ProvenanceExtract, GenericFallbackWalksTheSubject) {
  json doc =
      Credential("AgricultureShipmentCredential",
                 {{"shipment",
                   {{"billOfLadingNumber", "BOL-1"},
                    {"lines",
                     {{{"traceabilityLotCode", "TLC-1"}, {"gtin", "00012345678905"}},
                      {{"lotCode", "TLC-2"}, {"heatNumbers", {"H1", "H2"}}, {"heatNumber", "H1"}}}},
                    {"shipTo", {{"globalLocationNumber", "0614141000005"}}}}},
                  {"invoiceNumber", " INV-7 "},
                  {"purchaseOrderNumber", "PO-1"},
                  {"batchNumber", "B-1"},
                  {"ticketControlNumber", "T-1"},
                  {"ticketControlNumbers", {"T-2"}},
                  {"unrelated", {{"number", "X"}}}});
  // nlohmann::json keeps object members sorted by name, so "document order" is that order.
  EXPECT_THAT(
      ExtractLinks(doc),
      ElementsAre(L(kBatchNumber, "B-1"), L(kInvoiceNumber, "INV-7"), L(kPurchaseOrder, "PO-1"),
                  L(kBillOfLading, "BOL-1"), L(kGtin, "00012345678905"), L(kLotCode, "TLC-1"),
                  L(kHeatNumber, "H1"), L(kHeatNumber, "H2"), L(kLotCode, "TLC-2"),
                  L(kGln, "0614141000005"), L(kTicketNumber, "T-1"), L(kTicketNumber, "T-2")));
  for (const Link& l : ExtractLinks(doc)) EXPECT_FALSE(l.origin) << l.kind << " " << l.value;
}

TEST(ProvenanceExtract, GenericWhenTypeIsMissingOrUnknown) {
  json no_type = {{"credentialSubject", {{"heatNumber", "H9"}}}};
  EXPECT_THAT(ExtractLinks(no_type), ElementsAre(L(kHeatNumber, "H9")));
  json string_type = {{"type", "SomethingElse"}, {"credentialSubject", {{"batchNumber", "B9"}}}};
  EXPECT_THAT(ExtractLinks(string_type), ElementsAre(L(kBatchNumber, "B9")));
}

TEST(ProvenanceExtract, TypeAsSingleStringIsRecognised) {
  json doc = {{"type", "MultiModalBillOfLadingCredential"},
              {"credentialSubject", {{"billOfLadingNumber", "B"}}}};
  EXPECT_THAT(ExtractLinks(doc), ElementsAre(L(kBillOfLading, "B", true)));
}

TEST(ProvenanceExtract, DuplicatesCollapseAtTheirFirstPosition) {
  json doc = Credential("MillTestReportCredential",
                        {{"purchaseOrderNumber", "H1"},
                         {"inspections", {{{"heatNumber", "H1"}}, {{"heatNumber", " H1"}}}}});
  // Same value under another kind is another link.
  EXPECT_THAT(ExtractLinks(doc), ElementsAre(L(kHeatNumber, "H1", true), L(kPurchaseOrder, "H1")));
  json twice = {
      {"type", json::array({"VerifiableCredential", "DeliveryStatementCredential"})},
      {"credentialSubject", json::array({{{"batchNumber", "B"}, {"ticketControlNumbers", {"T"}}},
                                         {{"batchNumber", "B"}}})}};
  EXPECT_THAT(ExtractLinks(twice), ElementsAre(L(kBatchNumber, "B"), L(kTicketNumber, "T")));
}

TEST(ProvenanceExtract, OriginWinsWhenTwoTypesDisagree) {
  // A credential claiming two trade types gets the links of both; the delivery statement reads
  // ticket T as a reference, the delivery ticket as its origin: one link, an origin, at the
  // statement's (first) position.
  json doc = {
      {"type", json::array({"VerifiableCredential", "DeliveryStatementCredential",
                            "OilAndGasDeliveryTicketCredential"})},
      {"credentialSubject",
       {{"batchNumber", "B"}, {"ticketControlNumbers", {"T", "U"}}, {"ticketControlNumber", "T"}}}};
  EXPECT_THAT(ExtractLinks(doc), ElementsAre(L(kBatchNumber, "B"), L(kTicketNumber, "T", true),
                                             L(kTicketNumber, "U")));
}

TEST(ProvenanceExtract, TrimsAndSkipsEmptyAndOversizedValues) {
  json doc = Credential("MillTestReportCredential", {{"certificateNumber", " \t\r\n "},
                                                     {"purchaseOrderNumber", std::string(257, 'P')},
                                                     {"inspections",
                                                      {{{"heatNumber", "\tH1\n"}},
                                                       {{"heatNumber", ""}},
                                                       {{"heatNumber", 42}},
                                                       {{"heatNumber", std::string(256, 'H')}}}}});
  EXPECT_THAT(ExtractLinks(doc),
              ElementsAre(L(kHeatNumber, "H1", true), L(kHeatNumber, std::string(256, 'H'), true)));
}

TEST(ProvenanceExtract, VcJwtPayloadWithNestedVc) {
  json payload = {{"iss", "did:web:mill.example"},
                  {"vc", Credential("MillTestReportCredential", {{"certificateNumber", "C1"}})}};
  EXPECT_THAT(ExtractLinks(payload), ElementsAre(L(kCertificate, "C1", true)));
}

TEST(ProvenanceExtract, MalformedDocumentsGiveFewerLinksNeverThrow) {
  const json cases[] = {
      json(nullptr),
      json(3),
      json("text"),
      json::array({1, 2}),
      json::object(),
      {{"credentialSubject", nullptr}},
      {{"type", 7}, {"credentialSubject", {{"heatNumber", "H"}}}},
      Credential("MillTestReportCredential", "not an object"),
      Credential("MillTestReportCredential", {{"inspections", "H1"}}),
      Credential("MillTestReportCredential", {{"inspections", {1, "x", nullptr, {{"a", 1}}}}}),
      Credential("CommercialInvoiceCredential",
                 {{"itemsShipped", {{{"heatNumbers", {{{"x", 1}}, 3, nullptr}}}}}}),
      Credential("OilAndGasProductCredential", {{"product", "crude"}, {"UWI", {"a"}}}),
      Credential("Unknown", {{"heatNumbers", {{{"heatNumber", "inner"}}}}}),
  };
  for (const json& c : cases) {
    std::vector<Link> links;
    EXPECT_NO_THROW(links = ExtractLinks(c)) << c.dump();
    for (const Link& l : links) {
      EXPECT_TRUE(IsIdentifierKind(l.kind));
      EXPECT_FALSE(l.value.empty());
    }
  }
  EXPECT_THAT(ExtractLinks(Credential("MillTestReportCredential", {{"inspections", "H1"}})),
              IsEmpty());
  // The generic walk descends into an identifier member's array elements when they are objects.
  json nested = Credential(
      "Unknown", {{"heatNumbers", json::array({json{{"heatNumber", "inner"}}, "outer"})}});
  EXPECT_THAT(ExtractLinks(nested), ElementsAre(L(kHeatNumber, "outer"), L(kHeatNumber, "inner")));
}

TEST(ProvenanceExtract, DeeplyNestedSubjectDoesNotExhaustTheStack) {
  json deep = {{"heatNumber", "BOTTOM"}};
  for (int i = 0; i < 50000; ++i) deep = json{{"n", std::move(deep)}};
  EXPECT_THAT(ExtractLinks(Credential("Unknown", std::move(deep))),
              ElementsAre(L(kHeatNumber, "BOTTOM")));
}

// The example documents (testdata/documents/, three stories whose numbers agree): every one
// gives the links its story needs to be traced.
json Document(const std::string& file) {
  std::ifstream in(std::string(TRACEPORT_SOURCE_DIR) + "/src/customs/testdata/documents/" + file);
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

TEST(ProvenanceDocuments, SteelStory) {
  const std::string po = "GLF-PO-26-0412", bol = "TRB-261116-0187", inv = "ADN-FAC-2026-01873",
                    entry = "FR7-0412977-3", sima = "SIMA-2026-1187305";
  const std::string h1 = "H26-41873", h2 = "H26-41874";
  EXPECT_THAT(ExtractLinks(Document("PurchaseOrderCredential.json")),
              ElementsAre(L(kPurchaseOrder, po, true), L(kHeatNumber, h1), L(kHeatNumber, h2)));
  EXPECT_THAT(ExtractLinks(Document("MillTestReportCredential.json")),
              ElementsAre(L(kHeatNumber, h1, true), L(kHeatNumber, h2, true),
                          L(kCertificate, "MTR-2026-004415", true), L(kPurchaseOrder, po)));
  EXPECT_THAT(ExtractLinks(Document("CommercialInvoiceCredential.json")),
              ElementsAre(L(kInvoiceNumber, inv, true), L(kPurchaseOrder, po),
                          L(kBillOfLading, bol), L(kHeatNumber, h1), L(kHeatNumber, h2)));
  EXPECT_THAT(ExtractLinks(Document("PackingListCredential.json")),
              ElementsAre(L(kHeatNumber, h1), L(kHeatNumber, h2), L(kInvoiceNumber, inv),
                          L(kPurchaseOrder, po), L(kBillOfLading, bol)));
  EXPECT_THAT(ExtractLinks(Document("MultiModalBillOfLadingCredential.json")),
              ElementsAre(L(kBillOfLading, bol, true), L(kHeatNumber, h1), L(kHeatNumber, h2)));
  EXPECT_THAT(ExtractLinks(Document("SIMASteelImportLicenseCredential.json")),
              ElementsAre(L(kLicense, sima, true), L(kEntryNumber, entry)));
  EXPECT_THAT(ExtractLinks(Document("CBP3461EntryCredential.json")),
              ElementsAre(L(kEntryNumber, entry, true), L(kBillOfLading, bol)));
  EXPECT_THAT(ExtractLinks(Document("CBP7501EntrySummaryCredential.json")),
              ElementsAre(L(kEntryNumber, entry, true), L(kBillOfLading, bol), L(kLicense, sima)));
  EXPECT_THAT(ExtractLinks(Document("USMCACertificationOfOrigin.json")),
              ElementsAre(L(kInvoiceNumber, inv)));
}

TEST(ProvenanceDocuments, CrudeStory) {
  const std::string batch = "2026-11-B0417", t1 = "BSC-2026-118734", t2 = "BSC-2026-118735";
  EXPECT_THAT(ExtractLinks(Document("OilAndGasProductCredential.json")),
              ElementsAre(L(kBatchNumber, batch, true), L(kWell, "100/06-21-045-22W4/00", true)));
  EXPECT_THAT(ExtractLinks(Document("OilAndGasDeliveryTicketCredential.json")),
              ElementsAre(L(kTicketNumber, t1, true), L(kBatchNumber, batch)));
  EXPECT_THAT(ExtractLinks(Document("OilAndGasDeliveryTicketCredential.2.json")),
              ElementsAre(L(kTicketNumber, t2, true), L(kBatchNumber, batch)));
  EXPECT_THAT(ExtractLinks(Document("DeliveryStatementCredential.json")),
              ElementsAre(L(kBatchNumber, batch), L(kTicketNumber, t1), L(kTicketNumber, t2)));
  EXPECT_THAT(ExtractLinks(Document("DeliveryScheduleCredential.json")),
              ElementsAre(L(kBatchNumber, batch)));
}

TEST(ProvenanceDocuments, GasStory) {
  EXPECT_THAT(ExtractLinks(Document("DOEImportAuthorizationCredential.json")),
              ElementsAre(L(kLicense, "25-118-NG", true)));
  EXPECT_THAT(ExtractLinks(Document("MonthlyAdvanceManifestCredential.json")),
              ElementsAre(L(kLicense, "25-118-NG")));
  EXPECT_THAT(ExtractLinks(Document("MonthlyAggregateDeliveryStatementCredential.json")),
              ElementsAre(L(kLicense, "25-118-NG")));
}

TEST(ProvenanceDocuments, EveryExampleGivesLinksAndUnknownTypesFallBack) {
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(std::string(TRACEPORT_SOURCE_DIR) +
                                                           "/src/customs/testdata/documents")) {
    if (e.path().extension() != ".json") continue;
    ++files;
    json doc = Document(e.path().filename().string());
    EXPECT_THAT(ExtractLinks(doc), Not(IsEmpty())) << e.path();
    // Renamed to a type without an extractor, the generic walk still finds identifiers in all
    // but the documents whose identifiers have type-specific names (licences, entries, wells).
    doc["type"] = json::array({"VerifiableCredential", "RenamedCredential"});
    for (const Link& l : ExtractLinks(doc)) EXPECT_FALSE(l.origin) << e.path() << " " << l.kind;
  }
  EXPECT_GE(files, 17u);
}

}  // namespace
}  // namespace traceport::customs
