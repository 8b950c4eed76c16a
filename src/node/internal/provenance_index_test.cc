#include "node/internal/provenance_index.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "customs/provenance.h"

namespace traceport::node::internal {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::ContainsRegex;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;
using ::testing::UnorderedElementsAre;

json Credential(const std::string& id, const std::string& type, json subject) {
  return {{"@context", json::array({"https://www.w3.org/ns/credentials/v2",
                                    "https://w3id.org/traceability/v1"})},
          {"id", id},
          {"type", json::array({"VerifiableCredential", type})},
          {"issuer", "did:web:" + type + ".example"},
          {"credentialSubject", std::move(subject)}};
}

std::set<std::string> Ids(const json& list, const char* member = "id") {
  std::set<std::string> ids;
  for (const json& e : list) ids.insert(e.at(member).get<std::string>());
  return ids;
}

const json* FindById(const json& list, const std::string& id) {
  for (const json& e : list) {
    if (e.at("id") == id) return &e;
  }
  return nullptr;
}

class ProvenanceIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static int counter = 0;
    dir_ = fs::temp_directory_path() /
           ("traceport_prov_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    Result<std::unique_ptr<Db>> db = Db::Open(dir_ / "node.db", kProvenanceSchema);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
  }
  void TearDown() override {
    db_.reset();
    fs::remove_all(dir_);
  }

  // Records the credentials of one submission as the node does: inside one transaction, the
  // links from customs::ExtractLinks.
  void Submit(const std::string& org, const std::string& submission, const std::string& at,
              const std::vector<json>& credentials) {
    Status s = db_->Transaction([&]() -> Status {
      for (const json& c : credentials) {
        RETURN_IF_ERROR(RecordProvenance(*db_, org, submission, at, c["id"].get<std::string>(),
                                         c["type"][1].get<std::string>(),
                                         c["issuer"].get<std::string>(), customs::ExtractLinks(c)));
      }
      return Status::Ok();
    });
    ASSERT_TRUE(s.ok()) << s;
  }

  // Two steel shipments sharing heat H1 of one mill certificate, which came with the first, and
  // the purchase order the certificate refers to, submitted on its own.
  void SteelGraph(const std::string& org = "customs") {
    Submit(org, "S0", "2026-11-01T00:00:00Z",
           {Credential("urn:po", "PurchaseOrderCredential", {{"purchaseOrderNumber", "PO-1"}})});
    Submit(
        org, "S1", "2026-11-02T00:00:00Z",
        {Credential("urn:mtr", "MillTestReportCredential",
                    {{"certificateNumber", "C-A"},
                     {"purchaseOrderNumber", "PO-1"},
                     {"inspections", {{{"heatNumber", "H1"}}, {{"heatNumber", "H2"}}}}}),
         Credential("urn:inv1", "CommercialInvoiceCredential",
                    {{"invoiceNumber", "I1"},
                     {"purchaseOrderNumbers", {"PO-1"}},
                     {"billOfLadingNumber", "B1"},
                     {"itemsShipped", {{{"heatNumbers", {"H1"}}}}}}),
         Credential("urn:pl1", "PackingListCredential",
                    {{"invoiceId", "I1"},
                     {"billOfLadingNumber", "B1"},
                     {"items", {{{"heatNumbers", {"H1"}}}}}}),
         Credential("urn:bol1", "MultiModalBillOfLadingCredential",
                    {{"billOfLadingNumber", "B1"}, {"particulars", {{{"heatNumbers", {"H1"}}}}}}),
         Credential(
             "urn:7501", "CBP7501EntrySummaryCredential",
             {{"entryNumber", "E1"}, {"billOfLadingNumber", "B1"}, {"simaLicenseNumbers", {"L1"}}}),
         Credential("urn:sima", "SIMASteelImportLicenseCredential",
                    {{"licenseNumber", "L1"}, {"customsEntryNumber", "E1"}})});
    Submit(
        org, "S2", "2026-11-03T00:00:00Z",
        {Credential("urn:inv2", "CommercialInvoiceCredential",
                    {{"invoiceNumber", "I2"},
                     {"billOfLadingNumber", "B2"},
                     {"itemsShipped", {{{"heatNumbers", {"H1", "H2"}}}}}}),
         Credential("urn:pl2", "PackingListCredential",
                    {{"invoiceId", "I2"},
                     {"billOfLadingNumber", "B2"},
                     {"items", {{{"heatNumbers", {"H2"}}}}}}),
         Credential("urn:bol2", "MultiModalBillOfLadingCredential", {{"billOfLadingNumber", "B2"}}),
         Credential("urn:3461", "CBP3461EntryCredential",
                    {{"entryNumber", "E2"}, {"billOfLadingNumber", "B2"}})});
  }

  // A crude batch from a well, two delivery tickets of it and the statement covering them (the
  // importer's submission), the product credential from the producer's.
  void OilGraph() {
    Submit("customs", "S4", "2026-11-04T00:00:00Z",
           {Credential("urn:product", "OilAndGasProductCredential",
                       {{"product", {{"name", "crude"}, {"batchNumber", "BA1"}}},
                        {"UWI", "100/06-21-063-22W4/00"}})});
    Submit("customs", "S5", "2026-11-05T00:00:00Z",
           {Credential("urn:t1", "OilAndGasDeliveryTicketCredential",
                       {{"ticketControlNumber", "T1"}, {"batchNumber", "BA1"}}),
            Credential("urn:t2", "OilAndGasDeliveryTicketCredential",
                       {{"ticketControlNumber", "T2"}, {"batchNumber", "BA1"}}),
            Credential("urn:statement", "DeliveryStatementCredential",
                       {{"statementNumber", "DS-1"},
                        {"batchNumber", "BA1"},
                        {"ticketControlNumbers", {"T1", "T2"}}})});
  }

  fs::path dir_;
  std::unique_ptr<Db> db_;
};

// The example documents of src/customs/testdata/documents (two of their stories).
json Document(const std::string& file) {
  std::ifstream in(std::string(TRACEPORT_SOURCE_DIR) + "/src/customs/testdata/documents/" + file);
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

TEST_F(ProvenanceIndexTest, ExampleStoriesTraceToTheMillAndTheWell) {
  // The buyer's purchase order and the mill's certificate arrive first, on their own; the
  // broker's entry packet later.
  Submit("customs", "po", "2026-10-05T00:00:00Z", {Document("PurchaseOrderCredential.json")});
  Submit("customs", "mtr", "2026-11-10T00:00:00Z", {Document("MillTestReportCredential.json")});
  Submit("customs", "entry", "2026-11-16T19:30:00Z",
         {Document("CommercialInvoiceCredential.json"), Document("PackingListCredential.json"),
          Document("MultiModalBillOfLadingCredential.json"),
          Document("SIMASteelImportLicenseCredential.json"),
          Document("USMCACertificationOfOrigin.json"), Document("CBP3461EntryCredential.json"),
          Document("CBP7501EntrySummaryCredential.json")});
  Submit("customs", "crude", "2026-11-19T12:00:00Z",
         {Document("OilAndGasProductCredential.json"), Document("DeliveryScheduleCredential.json"),
          Document("OilAndGasDeliveryTicketCredential.json"),
          Document("OilAndGasDeliveryTicketCredential.2.json"),
          Document("DeliveryStatementCredential.json")});

  const std::string mtr_id = Document("MillTestReportCredential.json")["id"];
  Result<json> back = TraceBack(*db_, "customs", "entry");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_FALSE((*back)["truncated"].get<bool>());
  EXPECT_EQ((*back)["nodes"].size(), 9u);  // the seven, the certificate and the order
  std::set<std::string> origins;
  for (const json& o : (*back)["origins"]) {
    EXPECT_EQ(o["credential"], mtr_id);
    EXPECT_EQ(o["issuer"], "did:web:example.test:organizations:acero-del-norte");
    origins.insert(o["kind"].get<std::string>() + "=" + o["value"].get<std::string>());
  }
  EXPECT_EQ(origins, (std::set<std::string>{"heat=H26-41873", "heat=H26-41874",
                                            "certificate=MTR-2026-004415"}));
  const json* mtr = FindById((*back)["nodes"], mtr_id);
  ASSERT_NE(mtr, nullptr);
  EXPECT_EQ((*mtr)["submissions"], json::array({"mtr"}));

  Result<json> forward = TraceForward(*db_, "customs", "heat", "H26-41874");
  ASSERT_TRUE(forward.ok()) << forward.status();
  EXPECT_EQ(Ids((*forward)["submissions"]), (std::set<std::string>{"po", "mtr", "entry"}));
  EXPECT_EQ((*forward)["credentials"].size(), 9u);  // all nine documents of the story

  Result<json> crude = TraceBack(*db_, "customs", "crude");
  ASSERT_TRUE(crude.ok()) << crude.status();
  std::set<std::string> wells;
  for (const json& o : (*crude)["origins"]) {
    if (o["kind"] == "well") wells.insert(o["value"].get<std::string>());
  }
  EXPECT_EQ(wells, (std::set<std::string>{"100/06-21-045-22W4/00"}));
  Result<json> from_well = TraceForward(*db_, "customs", "well", "100/06-21-045-22W4/00");
  ASSERT_TRUE(from_well.ok()) << from_well.status();
  EXPECT_EQ((*from_well)["credentials"].size(), 5u);
}

TEST_F(ProvenanceIndexTest, CreateTablesIsIdempotentOnAnOpenStore) {
  Result<std::unique_ptr<Db>> db = Db::Open(dir_ / "other.db", "");
  ASSERT_TRUE(db.ok()) << db.status();
  ASSERT_TRUE(CreateProvenanceTables(**db).ok());
  ASSERT_TRUE(CreateProvenanceTables(**db).ok());
  Result<std::vector<Row>> rows =
      (*db)->Query("SELECT name FROM sqlite_master WHERE name LIKE 'prov_%' ORDER BY name");
  ASSERT_TRUE(rows.ok()) << rows.status();
  std::vector<std::string> names;
  for (const Row& r : *rows) names.push_back(r.Text(0));
  EXPECT_THAT(names, ElementsAre("prov_credentials", "prov_credentials_by_submission", "prov_links",
                                 "prov_links_by_credential"));
}

// Every query is a search on a key prefix, never a scan of an organization's index: with a
// million credentials a scan is seconds. The node never runs ANALYZE, so this holds without
// statistics, and with them (after some data and ANALYZE) as well.
TEST_F(ProvenanceIndexTest, EveryQuerySearchesAnIndex) {
  for (int pass = 0; pass < 2; ++pass) {
    Result<std::vector<std::string>> plans = ExplainProvenanceQueries(*db_);
    ASSERT_TRUE(plans.ok()) << plans.status();
    ASSERT_EQ(plans->size(), 4u);
    for (const std::string& plan : *plans) {
      EXPECT_THAT(plan, HasSubstr("SEARCH")) << plan;
      EXPECT_THAT(plan, Not(HasSubstr("SCAN prov_"))) << plan;
      EXPECT_THAT(plan, Not(HasSubstr("TEMP B-TREE"))) << plan;
      EXPECT_THAT(plan, Not(ContainsRegex("\\(org=\\?\\)"))) << plan;  // org alone: a scan
    }
    // The id lists (json_each) stay the outer loop; every table is searched by a full key.
    EXPECT_THAT((*plans)[0], HasSubstr("(org=? AND submission_id=?)"));
    EXPECT_THAT((*plans)[1], StartsWith("SCAN j VIRTUAL TABLE"));
    EXPECT_THAT((*plans)[1], HasSubstr("(org=? AND credential_id=? AND submission_id=?)"));
    EXPECT_THAT((*plans)[2], StartsWith("SCAN j VIRTUAL TABLE"));
    EXPECT_THAT((*plans)[2], HasSubstr("(org=? AND credential_id=?)"));
    EXPECT_THAT((*plans)[2], HasSubstr("(org=? AND kind=? AND value=? AND origin=?)"));
    EXPECT_THAT((*plans)[3], HasSubstr("(org=? AND kind=? AND value=?)"));
    SteelGraph();
    ASSERT_TRUE(db_->Exec("ANALYZE").ok());
  }
}

TEST_F(ProvenanceIndexTest, TraceBackFindsTheMillAndThePurchaseOrder) {
  SteelGraph();
  Result<json> r = TraceBack(*db_, "customs", "S2");
  ASSERT_TRUE(r.ok()) << r.status();
  const json& g = *r;
  EXPECT_EQ(g["root"], json({{"submission", "S2"}}));
  EXPECT_FALSE(g["truncated"].get<bool>());
  EXPECT_EQ(Ids(g["nodes"]), (std::set<std::string>{"urn:inv2", "urn:pl2", "urn:bol2", "urn:3461",
                                                    "urn:mtr", "urn:po"}));
  // The mill certificate came with another shipment; the index finds it across submissions.
  const json* mtr = FindById(g["nodes"], "urn:mtr");
  ASSERT_NE(mtr, nullptr);
  EXPECT_EQ((*mtr)["depth"], 1);
  EXPECT_EQ((*mtr)["type"], "MillTestReportCredential");
  EXPECT_EQ((*mtr)["issuer"], "did:web:MillTestReportCredential.example");
  EXPECT_EQ((*mtr)["submissions"], json::array({"S1"}));
  EXPECT_EQ((*FindById(g["nodes"], "urn:po"))["depth"], 2);
  EXPECT_EQ((*FindById(g["nodes"], "urn:inv2"))["depth"], 0);

  std::set<std::string> edges;
  for (const json& e : g["edges"]) {
    edges.insert(e["from"].get<std::string>() + ">" + e["to"].get<std::string>() + ":" +
                 e["kind"].get<std::string>() + "=" + e["value"].get<std::string>());
  }
  EXPECT_EQ(edges, (std::set<std::string>{"urn:inv2>urn:mtr:heat=H1", "urn:inv2>urn:mtr:heat=H2",
                                          "urn:inv2>urn:bol2:bol=B2", "urn:pl2>urn:mtr:heat=H2",
                                          "urn:pl2>urn:inv2:invoice=I2", "urn:pl2>urn:bol2:bol=B2",
                                          "urn:3461>urn:bol2:bol=B2", "urn:mtr>urn:po:po=PO-1"}));

  std::set<std::string> origins;
  for (const json& o : g["origins"]) {
    EXPECT_EQ(o["credential"], "urn:mtr");
    EXPECT_EQ(o["type"], "MillTestReportCredential");
    origins.insert(o["kind"].get<std::string>() + "=" + o["value"].get<std::string>());
  }
  EXPECT_EQ(origins, (std::set<std::string>{"heat=H1", "heat=H2", "certificate=C-A"}));
}

TEST_F(ProvenanceIndexTest, TraceBackFromTheShipmentThatCarriedTheCertificate) {
  SteelGraph();
  Result<json> r = TraceBack(*db_, "customs", "S1");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Ids((*r)["nodes"]), (std::set<std::string>{"urn:mtr", "urn:inv1", "urn:pl1", "urn:bol1",
                                                       "urn:7501", "urn:sima", "urn:po"}));
  // The certificate is a root (depth 0) and still an origin.
  EXPECT_EQ((*FindById((*r)["nodes"], "urn:mtr"))["depth"], 0);
  EXPECT_EQ(Ids((*r)["origins"], "credential"), (std::set<std::string>{"urn:mtr"}));
  EXPECT_FALSE((*r)["truncated"].get<bool>());
}

TEST_F(ProvenanceIndexTest, TraceBackFindsTheWellThroughTicketsAndBatch) {
  OilGraph();
  Result<json> r = TraceBack(*db_, "customs", "S5");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Ids((*r)["nodes"]),
            (std::set<std::string>{"urn:t1", "urn:t2", "urn:statement", "urn:product"}));
  std::set<std::string> origins;
  for (const json& o : (*r)["origins"]) {
    EXPECT_EQ(o["credential"], "urn:product");
    EXPECT_EQ(o["type"], "OilAndGasProductCredential");
    origins.insert(o["kind"].get<std::string>() + "=" + o["value"].get<std::string>());
  }
  EXPECT_EQ(origins, (std::set<std::string>{"batch=BA1", "well=100/06-21-063-22W4/00"}));
  std::set<std::string> edges;
  for (const json& e : (*r)["edges"]) {
    edges.insert(e["from"].get<std::string>() + ">" + e["to"].get<std::string>());
  }
  EXPECT_EQ(edges, (std::set<std::string>{"urn:statement>urn:t1", "urn:statement>urn:t2",
                                          "urn:statement>urn:product", "urn:t1>urn:product",
                                          "urn:t2>urn:product"}));
}

TEST_F(ProvenanceIndexTest, TraceForwardFromAHeatFindsBothShipments) {
  SteelGraph();
  Result<json> r = TraceForward(*db_, "customs", "heat", "H1");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ((*r)["identifier"], json({{"kind", "heat"}, {"value", "H1"}}));
  EXPECT_FALSE((*r)["truncated"].get<bool>());
  EXPECT_EQ(Ids((*r)["credentials"]),
            (std::set<std::string>{"urn:mtr", "urn:inv1", "urn:pl1", "urn:bol1", "urn:7501",
                                   "urn:sima", "urn:inv2", "urn:pl2", "urn:bol2", "urn:3461"}));
  // The purchase order is not a shipment document: purchase order numbers are not followed.
  EXPECT_EQ(FindById((*r)["credentials"], "urn:po"), nullptr);
  const json* sima = FindById((*r)["credentials"], "urn:sima");
  ASSERT_NE(sima, nullptr);
  EXPECT_EQ((*sima)["via"], json({{"kind", "entry"}, {"value", "E1"}}));
  EXPECT_EQ((*sima)["depth"], 2);  // heat -> invoice's bill of lading -> 7501's entry
  EXPECT_EQ((*FindById((*r)["credentials"], "urn:inv2"))["depth"], 0);

  const json& subs = (*r)["submissions"];
  ASSERT_EQ(subs.size(), 2u);
  EXPECT_EQ(subs[0]["id"], "S1");  // by receivedAt
  EXPECT_EQ(subs[0]["receivedAt"], "2026-11-02T00:00:00Z");
  EXPECT_THAT(
      subs[0]["credentials"].get<std::vector<std::string>>(),
      UnorderedElementsAre("urn:mtr", "urn:inv1", "urn:pl1", "urn:bol1", "urn:7501", "urn:sima"));
  EXPECT_EQ(subs[1]["id"], "S2");
  EXPECT_THAT(subs[1]["credentials"].get<std::vector<std::string>>(),
              UnorderedElementsAre("urn:inv2", "urn:pl2", "urn:bol2", "urn:3461"));
}

TEST_F(ProvenanceIndexTest, TraceForwardFromAHeatOnlyTheSecondShipmentCarries) {
  SteelGraph();
  Result<json> r = TraceForward(*db_, "customs", "heat", "H2");
  ASSERT_TRUE(r.ok()) << r.status();
  // The certificate carries H2 (it came in S1), but heats and certificates are not followed
  // past the start: S1's other documents are not H2's goods.
  EXPECT_EQ(Ids((*r)["credentials"]),
            (std::set<std::string>{"urn:mtr", "urn:inv2", "urn:pl2", "urn:bol2", "urn:3461"}));
  EXPECT_EQ(Ids((*r)["submissions"]), (std::set<std::string>{"S1", "S2"}));
}

TEST_F(ProvenanceIndexTest, TraceForwardFromAWellReachesTicketsAndStatement) {
  OilGraph();
  Result<json> r = TraceForward(*db_, "customs", "well", "100/06-21-063-22W4/00");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Ids((*r)["credentials"]),
            (std::set<std::string>{"urn:product", "urn:t1", "urn:t2", "urn:statement"}));
  EXPECT_EQ((*FindById((*r)["credentials"], "urn:t1"))["via"],
            json({{"kind", "batch"}, {"value", "BA1"}}));
  EXPECT_EQ(Ids((*r)["submissions"]), (std::set<std::string>{"S4", "S5"}));
  EXPECT_FALSE((*r)["truncated"].get<bool>());
}

TEST_F(ProvenanceIndexTest, TenantIsolation) {
  SteelGraph("customs");
  OilGraph();
  // Another organization received a document with the same heat and bill of lading.
  Submit("other", "X1", "2026-11-06T00:00:00Z",
         {Credential("urn:other-pl", "PackingListCredential",
                     {{"billOfLadingNumber", "B1"}, {"items", {{{"heatNumbers", {"H1"}}}}}})});

  Result<json> back = TraceBack(*db_, "other", "S2");
  EXPECT_EQ(back.status().code(), StatusCode::kNotFound) << back.status();
  Result<json> other = TraceBack(*db_, "other", "X1");
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_EQ(Ids((*other)["nodes"]), (std::set<std::string>{"urn:other-pl"}));
  EXPECT_THAT((*other)["edges"], IsEmpty());
  EXPECT_THAT((*other)["origins"], IsEmpty());

  Result<json> forward = TraceForward(*db_, "other", "heat", "H1");
  ASSERT_TRUE(forward.ok()) << forward.status();
  EXPECT_EQ(Ids((*forward)["credentials"]), (std::set<std::string>{"urn:other-pl"}));
  EXPECT_EQ(Ids((*forward)["submissions"]), (std::set<std::string>{"X1"}));
  Result<json> nothing = TraceForward(*db_, "other", "batch", "BA1");
  ASSERT_TRUE(nothing.ok());
  EXPECT_THAT((*nothing)["credentials"], IsEmpty());
  EXPECT_THAT((*nothing)["submissions"], IsEmpty());

  // And the customs organization does not see the other's packing list.
  Result<json> mine = TraceForward(*db_, "customs", "heat", "H1");
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(FindById((*mine)["credentials"], "urn:other-pl"), nullptr);
  EXPECT_EQ(Ids((*mine)["submissions"]).count("X1"), 0u);
}

TEST_F(ProvenanceIndexTest, SameCredentialInTwoSubmissions) {
  json mtr = Credential("urn:mtr", "MillTestReportCredential",
                        {{"certificateNumber", "C"}, {"inspections", {{{"heatNumber", "H"}}}}});
  Submit("customs", "A", "2026-11-01T00:00:00Z", {mtr});
  Submit("customs", "B", "2026-11-02T00:00:00Z", {mtr});
  Submit("customs", "B", "2026-11-02T00:00:00Z", {mtr});  // recorded twice: no change
  Result<json> r = TraceBack(*db_, "customs", "B");
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ((*r)["nodes"].size(), 1u);
  EXPECT_EQ((*r)["nodes"][0]["submissions"], json::array({"A", "B"}));
  Result<std::optional<Row>> links = db_->QueryOne("SELECT count(*) FROM prov_links");
  ASSERT_TRUE(links.ok());
  EXPECT_EQ((*links)->Int(0), 2);  // heat and certificate, once each
}

TEST_F(ProvenanceIndexTest, RecordRefusesWhatCannotBeIndexed) {
  using customs::Link;
  const std::vector<Link> ok = {{"heat", "H", false}};
  EXPECT_EQ(RecordProvenance(*db_, "", "S", "t", "c", "T", "i", ok).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(RecordProvenance(*db_, "o", "", "t", "c", "T", "i", ok).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(RecordProvenance(*db_, "o", "S", "t", "", "T", "i", ok).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(
      RecordProvenance(*db_, "o", "S", "t", "c", "T", "i", {{"heatNumber", "H", false}}).code(),
      StatusCode::kInvalidArgument);
  EXPECT_EQ(RecordProvenance(*db_, "o", "S", "t", "c", "T", "i", {{"heat", "", false}}).code(),
            StatusCode::kInvalidArgument);
  // Answers are JSON, which carries only UTF-8.
  EXPECT_EQ(RecordProvenance(*db_, "o", "S", "t", "c\xff", "T", "i", ok).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(RecordProvenance(*db_, "o", "S", "t", "c", "T", "\xed\xa0\x80", ok).code(),
            StatusCode::kInvalidArgument);  // an encoded surrogate
  EXPECT_EQ(
      RecordProvenance(*db_, "o", "S", "t", "c", "T", "i", {{"heat", "H\xc0\xaf", false}}).code(),
      StatusCode::kInvalidArgument);  // an overlong '/'
  EXPECT_EQ(
      RecordProvenance(*db_, "o", "S", "t", "c", "T", "i", {{"heat", "H\xe2\x82", false}}).code(),
      StatusCode::kInvalidArgument);  // truncated
  Result<std::optional<Row>> n = db_->QueryOne("SELECT count(*) FROM prov_credentials");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ((*n)->Int(0), 0);
}

TEST_F(ProvenanceIndexTest, RecordRollsBackWithTheCallersTransaction) {
  Status s = db_->Transaction([&]() -> Status {
    RETURN_IF_ERROR(RecordProvenance(*db_, "o", "S", "t", "c", "T", "i", {{"heat", "H", true}}));
    return InternalError("the submission failed after indexing");
  });
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(TraceBack(*db_, "o", "S").status().code(), StatusCode::kNotFound);
}

TEST_F(ProvenanceIndexTest, TraceArgumentsAreChecked) {
  SteelGraph();
  EXPECT_EQ(TraceForward(*db_, "customs", "heatNumber", "H1").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(TraceForward(*db_, "customs", "heat", "").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(TraceForward(*db_, "customs", "heat", "H1", -1).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(TraceBack(*db_, "customs", "S2", -1).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(TraceBack(*db_, "customs", "nope").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(TraceBack(*db_, "customs", "S\xff").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(TraceForward(*db_, "customs", "heat", "H\xff").status().code(),
            StatusCode::kInvalidArgument);
  // Non-ASCII text is fine.
  Submit("customs", "S\u00e9", "2026-11-07T00:00:00Z",
         {Credential("urn:caf\u00e9", "MultiModalBillOfLadingCredential",
                     {{"billOfLadingNumber", "B\u00e9\U0001F6A2"}})});
  Result<json> accented = TraceForward(*db_, "customs", "bol", "B\u00e9\U0001F6A2");
  ASSERT_TRUE(accented.ok()) << accented.status();
  EXPECT_EQ(Ids((*accented)["credentials"]), (std::set<std::string>{"urn:caf\u00e9"}));
  EXPECT_TRUE(TraceBack(*db_, "customs", "S\u00e9").ok());
}

// A chain: the submission's credential refers to the origin of c1's identifier, c1 to c2's, ...
// up to c<n>, each recorded directly with its links.
void Chain(Db& db, int n) {
  using customs::Link;
  Status s = db.Transaction([&]() -> Status {
    for (int i = 0; i <= n; ++i) {
      std::vector<Link> links;
      if (i > 0) links.push_back({"lot", "L" + std::to_string(i), true});
      if (i < n) links.push_back({"lot", "L" + std::to_string(i + 1), false});
      RETURN_IF_ERROR(RecordProvenance(db, "o", i == 0 ? "root" : "sub" + std::to_string(i),
                                       "2026-11-01T00:00:00Z", "c" + std::to_string(i), "T",
                                       "did:web:x", links));
    }
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s;
}

TEST_F(ProvenanceIndexTest, TraceBackIsTruncatedByDepthAndBudget) {
  Chain(*db_, 6);
  Result<json> all = TraceBack(*db_, "o", "root", 6);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ((*all)["nodes"].size(), 7u);
  EXPECT_FALSE((*all)["truncated"].get<bool>());
  EXPECT_EQ((*all)["edges"].size(), 6u);

  Result<json> shallow = TraceBack(*db_, "o", "root", 2);
  ASSERT_TRUE(shallow.ok());
  EXPECT_EQ(Ids((*shallow)["nodes"]), (std::set<std::string>{"c0", "c1", "c2"}));
  EXPECT_TRUE((*shallow)["truncated"].get<bool>());

  Result<json> roots_only = TraceBack(*db_, "o", "root", 0);
  ASSERT_TRUE(roots_only.ok());
  EXPECT_EQ(Ids((*roots_only)["nodes"]), (std::set<std::string>{"c0"}));
  EXPECT_TRUE((*roots_only)["truncated"].get<bool>());

  Result<json> small = TraceBack(*db_, "o", "root", 10, 4);
  ASSERT_TRUE(small.ok());
  EXPECT_EQ((*small)["nodes"].size(), 4u);
  EXPECT_TRUE((*small)["truncated"].get<bool>());

  // Exactly enough depth is not truncated: the last node has nothing further.
  Result<json> exact = TraceBack(*db_, "o", "root", 6, 7);
  ASSERT_TRUE(exact.ok());
  EXPECT_FALSE((*exact)["truncated"].get<bool>());
}

TEST_F(ProvenanceIndexTest, TraceForwardIsTruncatedByBudgetAndDepth) {
  // Ten packing lists of one heat, each with its own bill of lading carried by a 3461.
  std::vector<json> creds;
  for (int i = 0; i < 10; ++i) {
    const std::string n = std::to_string(i);
    creds.push_back(
        Credential("urn:pl" + n, "PackingListCredential",
                   {{"billOfLadingNumber", "B" + n}, {"items", {{{"heatNumbers", {"H"}}}}}}));
    creds.push_back(Credential("urn:e" + n, "CBP3461EntryCredential",
                               {{"entryNumber", "E" + n}, {"billOfLadingNumber", "B" + n}}));
  }
  Submit("customs", "S", "2026-11-01T00:00:00Z", creds);

  Result<json> all = TraceForward(*db_, "customs", "heat", "H");
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ((*all)["credentials"].size(), 20u);
  EXPECT_FALSE((*all)["truncated"].get<bool>());
  ASSERT_EQ((*all)["submissions"].size(), 1u);
  EXPECT_EQ((*all)["submissions"][0]["credentials"].size(), 20u);

  Result<json> budget = TraceForward(*db_, "customs", "heat", "H", 3, 4);
  ASSERT_TRUE(budget.ok());
  EXPECT_EQ((*budget)["credentials"].size(), 4u);
  EXPECT_TRUE((*budget)["truncated"].get<bool>());

  Result<json> depth0 = TraceForward(*db_, "customs", "heat", "H", 0);
  ASSERT_TRUE(depth0.ok());
  EXPECT_EQ((*depth0)["credentials"].size(), 10u);  // the packing lists only
  for (const json& c : (*depth0)["credentials"]) EXPECT_EQ(c["type"], "PackingListCredential");
  EXPECT_TRUE((*depth0)["truncated"].get<bool>());
}

}  // namespace
}  // namespace traceport::node::internal
