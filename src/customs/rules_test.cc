// Tests of the customs rule set: the document format and its errors, and for every rule id a
// clean case and the cases that must raise it. The shipments are the coherent example documents
// in testdata/documents/ (README.md there gives their numbers); each failing case changes one
// value and checks the rule id, the severity and the words of the explanation.
#include "customs/rules.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <functional>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "common/time.h"

namespace traceport::customs {
namespace {

using json = nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

json LoadDocument(const std::string& name) {
  return json::parse(
      ReadFile(std::string(TRACEPORT_SOURCE_DIR) + "/src/customs/testdata/documents/" + name));
}

SubmittedCredential Submit(json doc) {
  SubmittedCredential c;
  c.id = doc.value("id", "");
  for (const json& t : doc["type"]) c.types.push_back(t.get<std::string>());
  c.issuer = doc.value("issuer", "");
  c.document = std::move(doc);
  return c;
}

std::vector<SubmittedCredential> Load(const std::vector<std::string>& names) {
  std::vector<SubmittedCredential> out;
  for (const std::string& n : names) out.push_back(Submit(LoadDocument(n + ".json")));
  return out;
}

std::vector<SubmittedCredential> Steel() {
  return Load(
      {"PurchaseOrderCredential", "MillTestReportCredential", "SIMASteelImportLicenseCredential",
       "CommercialInvoiceCredential", "PackingListCredential", "MultiModalBillOfLadingCredential",
       "USMCACertificationOfOrigin", "CBP3461EntryCredential", "CBP7501EntrySummaryCredential"});
}

std::vector<SubmittedCredential> Crude() {
  return Load({"OilAndGasProductCredential", "DeliveryScheduleCredential",
               "OilAndGasDeliveryTicketCredential", "OilAndGasDeliveryTicketCredential.2",
               "DeliveryStatementCredential"});
}

std::vector<SubmittedCredential> Gas() {
  return Load({"DOEImportAuthorizationCredential", "MonthlyAdvanceManifestCredential",
               "MonthlyAggregateDeliveryStatementCredential"});
}

int64_t At(const std::string& rfc3339) {
  Result<Time> t = ParseRfc3339(rfc3339);
  EXPECT_TRUE(t.ok()) << rfc3339;
  return t.ok() ? ToUnixSeconds(*t) : 0;
}

// Steel: the bill of lading arrives 2026-11-17 (midnight UTC); the data is in 36 hours before.
ShipmentContext SteelContext() {
  ShipmentContext c;
  c.submission_id = "urn:uuid:submission-steel";
  c.submitter = "did:web:example.test:organizations:frontera-customs-brokers";
  c.received_at = At("2026-11-15T12:00:00Z");
  return c;
}

// Crude: the first ticket closes 2026-11-19T01:30Z.
ShipmentContext CrudeContext() {
  ShipmentContext c;
  c.received_at = At("2026-11-18T12:00:00Z");
  return c;
}

ShipmentContext GasContext() {
  ShipmentContext c;
  c.received_at = At("2026-11-06T12:00:00Z");
  return c;
}

RuleOutcome Check(const std::vector<SubmittedCredential>& creds, const ShipmentContext& ctx) {
  return RuleSet::Builtin().Run(creds, ctx);
}

// The credential of `type` (the n-th of that type).
json& Doc(std::vector<SubmittedCredential>& creds, const std::string& type, int n = 0) {
  for (SubmittedCredential& c : creds) {
    if (c.types.size() > 1 && c.types[1] == type && n-- == 0) return c.document;
  }
  ADD_FAILURE() << "no " << type;
  static json none;
  return none;
}

void Remove(std::vector<SubmittedCredential>& creds, const std::string& type) {
  std::erase_if(creds, [&](const SubmittedCredential& c) {
    return c.types.size() > 1 && c.types[1] == type;
  });
}

std::vector<Finding> Of(const RuleOutcome& o, const std::string& rule_id) {
  std::vector<Finding> out;
  for (const Finding& f : o.findings) {
    if (f.rule_id == rule_id) out.push_back(f);
  }
  return out;
}

std::vector<Finding> Kind(const RuleOutcome& o, const std::string& kind) {
  std::vector<Finding> out;
  for (const Finding& f : o.findings) {
    if (f.details.value("kind", "") == kind) out.push_back(f);
  }
  return out;
}

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::string Dump(const RuleOutcome& o) { return o.ToJson().dump(2); }

// ---------------------------------------------------------------------------------------------
// The rule set document.

constexpr const char* kAllRules[] = {"credential",
                                     "identity.parties-registered",
                                     "steel.melt-pour-origin",
                                     "steel.heat-numbers-match",
                                     "steel.sima-covers",
                                     "weights.tolerance",
                                     "oil.api-gravity-hts",
                                     "oil.volume-consistency",
                                     "gas.monthly-reconciliation",
                                     "coo.nine-elements",
                                     "timing.data-earlier"};

json BuiltinDocument() { return RuleSet::Builtin().ToJson(); }

Status Parse(const json& doc) { return RuleSet::FromJson(doc.dump()).status(); }

json& RuleEntry(json& doc, const std::string& id) {
  for (json& r : doc["rules"]) {
    if (r["id"] == id) return r;
  }
  ADD_FAILURE() << "no rule " << id;
  static json none;
  return none;
}

TEST(RuleSetTest, BuiltinParsesAndHasTheVersion) {
  const RuleSet& rs = RuleSet::Builtin();
  EXPECT_EQ(rs.version(), "2026.11.1");
  EXPECT_EQ(rs.ToJson()["format"], "traceport-ruleset/1");
  const json doc = rs.ToJson();
  std::vector<std::string> ids;
  for (const json& r : doc["rules"]) ids.push_back(r["id"].get<std::string>());
  EXPECT_EQ(ids, std::vector<std::string>(std::begin(kAllRules), std::end(kAllRules)));
}

TEST(RuleSetTest, EmbeddedCopyEqualsTheFile) {
  const json file =
      json::parse(ReadFile(std::string(TRACEPORT_SOURCE_DIR) + "/src/customs/ruleset.v1.json"));
  EXPECT_EQ(RuleSet::Builtin().ToJson(), file);
}

TEST(RuleSetTest, ToJsonParsesBack) {
  Result<RuleSet> again = RuleSet::FromJson(BuiltinDocument().dump());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->version(), "2026.11.1");
  EXPECT_EQ(again->ToJson(), BuiltinDocument());
}

TEST(RuleSetTest, RejectsUnknownRuleId) {
  json doc = BuiltinDocument();
  doc["rules"][2]["id"] = "steel.melt-and-pour";
  const Status s = Parse(doc);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), HasSubstr("/rules/2/id: unknown rule id"));
  EXPECT_THAT(std::string(s.message()), HasSubstr("steel.melt-and-pour"));
}

TEST(RuleSetTest, RejectsBadParameters) {
  struct Case {
    std::string rule, param;
    json value;
    std::string message;
  };
  const Case cases[] = {
      {"weights.tolerance", "tolerancePercent", "two", "parameters/tolerancePercent: expected"},
      {"weights.tolerance", "tolerancePercent", 2, "parameters/tolerancePercent: expected"},
      {"weights.tolerance", "tolerancePercent", "101", "at most 100"},
      {"weights.tolerance", "tolerancePercent", "-1", "non-negative"},
      {"timing.data-earlier", "minimumLeadHours", "24", "minimumLeadHours: expected an integer"},
      {"timing.data-earlier", "minimumLeadHours", 9000, "from 0 to 8760"},
      {"steel.melt-pour-origin", "watchCountries", json::array({"CN", "china"}),
       "watchCountries/1: expected an ISO 3166-1 alpha-2"},
      {"steel.sima-covers", "chapters", "72", "chapters: expected an array"},
      {"oil.api-gravity-hts", "belowThresholdHts", "2709", "belowThresholdHts: expected an HTS"},
      {"coo.nine-elements", "maxBlanketMonths", 0, "maxBlanketMonths: expected an integer"},
  };
  for (const Case& c : cases) {
    json doc = BuiltinDocument();
    RuleEntry(doc, c.rule)["parameters"][c.param] = c.value;
    const Status s = Parse(doc);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.rule << " " << c.param;
    EXPECT_THAT(std::string(s.message()), HasSubstr(c.message)) << c.value;
  }
}

TEST(RuleSetTest, RejectsUnknownAndMissingParameters) {
  json doc = BuiltinDocument();
  RuleEntry(doc, "weights.tolerance")["parameters"]["tolerance"] = "2";
  Status s = Parse(doc);
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("/rules/5/parameters/tolerance: unknown parameter for weights.tolerance "
                        "(known: tolerancePercent)"));

  doc = BuiltinDocument();
  RuleEntry(doc, "weights.tolerance")["parameters"].erase("tolerancePercent");
  s = Parse(doc);
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("/rules/5/parameters: missing parameter \"tolerancePercent\""));

  doc = BuiltinDocument();
  RuleEntry(doc, "credential")["parameters"]["x"] = 1;
  s = Parse(doc);
  EXPECT_THAT(std::string(s.message()), HasSubstr("(it takes none)"));
}

TEST(RuleSetTest, RejectsMalformedDocuments) {
  struct Case {
    std::function<void(json&)> edit;
    std::string message;
  };
  const Case cases[] = {
      {[](json& d) { d["format"] = "traceport-ruleset/2"; }, "/format: expected"},
      {[](json& d) { d["version"] = "v1"; }, "/version: expected a version"},
      {[](json& d) { d["version"] = "2026.11"; }, "/version"},
      {[](json& d) { d["version"] = 1; }, "/version"},
      {[](json& d) { d["extra"] = true; }, "/extra: unknown member"},
      {[](json& d) { d["rules"] = json::object(); }, "/rules: expected an array"},
      {[](json& d) { d["rules"].push_back(d["rules"][0]); }, "/rules/11/id: rule \"credential\""},
      {[](json& d) { d["rules"][0]["severity"] = "fatal"; }, "/rules/0/severity"},
      {[](json& d) { d["rules"][0]["riskWeight"] = 101; }, "/rules/0/riskWeight"},
      {[](json& d) { d["rules"][0]["riskWeight"] = 1.5; }, "/rules/0/riskWeight"},
      {[](json& d) { d["rules"][0]["enabled"] = "yes"; }, "/rules/0/enabled"},
      {[](json& d) { d["rules"][0]["title"] = ""; }, "/rules/0/title"},
      {[](json& d) { d["rules"][0]["colour"] = "red"; }, "/rules/0/colour: unknown member"},
      {[](json& d) {
         d["rules"][0]["findings"]["failed"]["explanation"] = "The {credentialType} {x}.";
       },
       "/rules/0/findings/failed/explanation: unknown placeholder {x}"},
      {[](json& d) { d["rules"][0]["findings"]["failed"]["explanation"] = "The {check"; },
       "unclosed '{'"},
      {[](json& d) { d["rules"][0]["findings"]["failed"]["severity"] = "bad"; },
       "/rules/0/findings/failed/severity"},
      {[](json& d) {
         d["rules"][0]["findings"]["other"] = {{"explanation", "x"}};
       },
       "/rules/0/findings/other: unknown finding kind"},
      {[](json& d) { d["rules"][0]["findings"].erase("failed"); },
       "missing finding kind \"failed\" of credential"},
  };
  for (const Case& c : cases) {
    json doc = BuiltinDocument();
    c.edit(doc);
    const Status s = Parse(doc);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.message;
    EXPECT_THAT(std::string(s.message()), HasSubstr(c.message));
  }
  EXPECT_EQ(RuleSet::FromJson("{").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(RuleSet::FromJson("[]").status().code(), StatusCode::kInvalidArgument);
}

TEST(RuleSetTest, ParametersAndSwitchesTakeEffect) {
  auto creds = Steel();
  // 0.5 % apart: inside the built-in 2 %, outside a 0.1 % tolerance.
  Doc(creds, "PackingListCredential")["credentialSubject"]["totalNetWeight"]["value"] = "17704.6";
  EXPECT_THAT(Of(Check(creds, SteelContext()), "weights.tolerance"), IsEmpty());

  json doc = BuiltinDocument();
  RuleEntry(doc, "weights.tolerance")["parameters"]["tolerancePercent"] = "0.1";
  RuleEntry(doc, "weights.tolerance")["findings"]["net-mismatch"]["severity"] = "error";
  RuleEntry(doc, "timing.data-earlier")["enabled"] = false;
  Result<RuleSet> strict = RuleSet::FromJson(doc.dump());
  ASSERT_TRUE(strict.ok()) << strict.status();
  const RuleOutcome o = strict->Run(creds, SteelContext());
  const auto f = Of(o, "weights.tolerance");
  ASSERT_EQ(f.size(), 1u) << Dump(o);
  EXPECT_EQ(f[0].severity, Severity::kError);
  EXPECT_THAT(f[0].explanation, HasSubstr("more than the 0.1% tolerance"));
  // A disabled rule is neither passed nor not applicable: it did not run.
  EXPECT_FALSE(Contains(o.passed, "timing.data-earlier"));
  EXPECT_FALSE(Contains(o.not_applicable, "timing.data-earlier"));
  EXPECT_EQ(o.risk, 15);
}

// ---------------------------------------------------------------------------------------------
// The example shipments are clean.

TEST(RuleCleanTest, SteelShipmentRaisesNothing) {
  const RuleOutcome o = Check(Steel(), SteelContext());
  EXPECT_THAT(o.findings, IsEmpty()) << Dump(o);
  EXPECT_EQ(o.risk, 0);
  EXPECT_EQ(o.ruleset_version, "2026.11.1");
  EXPECT_THAT(o.passed,
              ElementsAre("credential", "steel.melt-pour-origin", "steel.heat-numbers-match",
                          "steel.sima-covers", "weights.tolerance", "coo.nine-elements",
                          "timing.data-earlier"));
  EXPECT_THAT(o.not_applicable,
              ElementsAre("identity.parties-registered", "oil.api-gravity-hts",
                          "oil.volume-consistency", "gas.monthly-reconciliation"));
  ASSERT_TRUE(o.arrival_at.has_value());
  EXPECT_EQ(*o.arrival_at, At("2026-11-17T00:00:00Z"));
  ASSERT_TRUE(o.lead_seconds.has_value());
  EXPECT_EQ(*o.lead_seconds, 36 * 3600);
}

TEST(RuleCleanTest, CrudeMovementRaisesNothing) {
  const RuleOutcome o = Check(Crude(), CrudeContext());
  EXPECT_THAT(o.findings, IsEmpty()) << Dump(o);
  EXPECT_THAT(o.passed, ElementsAre("credential", "oil.api-gravity-hts", "oil.volume-consistency",
                                    "timing.data-earlier"));
  EXPECT_EQ(o.arrival_at, At("2026-11-19T01:30:00Z"));
}

TEST(RuleCleanTest, GasMonthRaisesNothing) {
  const RuleOutcome o = Check(Gas(), GasContext());
  EXPECT_THAT(o.findings, IsEmpty()) << Dump(o);
  EXPECT_THAT(o.passed, ElementsAre("credential", "gas.monthly-reconciliation"));
  EXPECT_TRUE(Contains(o.not_applicable, "timing.data-earlier"));
  EXPECT_FALSE(o.arrival_at.has_value());
  EXPECT_FALSE(o.lead_seconds.has_value());
}

TEST(RuleCleanTest, EmptyShipment) {
  const RuleOutcome o = Check({}, ShipmentContext{});
  EXPECT_THAT(o.findings, IsEmpty());
  EXPECT_THAT(o.passed, IsEmpty());
  EXPECT_EQ(o.not_applicable.size(), std::size(kAllRules));
}

TEST(RuleCleanTest, OutcomeJson) {
  auto creds = Steel();
  creds[3].failed_checks.emplace_back("status", "revoked");
  const json j = Check(creds, SteelContext()).ToJson();
  EXPECT_EQ(j["rulesetVersion"], "2026.11.1");
  EXPECT_EQ(j["risk"], 50);
  EXPECT_EQ(j["arrivalAt"], "2026-11-17T00:00:00Z");
  EXPECT_EQ(j["leadSeconds"], 36 * 3600);
  ASSERT_EQ(j["findings"].size(), 1u);
  const json& f = j["findings"][0];
  EXPECT_EQ(f["ruleId"], "credential.status");
  EXPECT_EQ(f["severity"], "error");
  EXPECT_EQ(f["title"], "Credential verification");
  EXPECT_EQ(f["credentialIds"], json::array({creds[3].id}));
  EXPECT_EQ(f["details"]["kind"], "failed");
  EXPECT_EQ(f["details"]["check"], "status");
  EXPECT_TRUE(j["passed"].is_array());
  EXPECT_TRUE(j["notApplicable"].is_array());
}

// ---------------------------------------------------------------------------------------------
// credential.<check>

TEST(RuleCredentialTest, EachFailedCheckIsAFinding) {
  auto creds = Steel();
  SubmittedCredential& invoice = creds[3];
  ASSERT_EQ(invoice.types[1], "CommercialInvoiceCredential");
  invoice.failed_checks.emplace_back("proof", "the signature does not verify");
  invoice.failed_checks.emplace_back("validity-period", "expired on 2026-11-01");
  const RuleOutcome o = Check(creds, SteelContext());
  const auto proof = Of(o, "credential.proof");
  ASSERT_EQ(proof.size(), 1u) << Dump(o);
  EXPECT_EQ(proof[0].severity, Severity::kError);
  EXPECT_EQ(proof[0].explanation,
            "The commercial invoice urn:uuid:6e2f1c1d-6e0b-590c-9102-59493fdb7dbc failed the "
            "proof check: the signature does not verify.");
  EXPECT_THAT(proof[0].credential_ids, ElementsAre(invoice.id));
  const auto validity = Of(o, "credential.validity-period");
  ASSERT_EQ(validity.size(), 1u);
  EXPECT_THAT(validity[0].explanation, HasSubstr("expired on 2026-11-01"));
  // Two findings, one rule: the weight counts once.
  EXPECT_EQ(o.risk, 50);
  EXPECT_FALSE(Contains(o.passed, "credential"));
}

// ---------------------------------------------------------------------------------------------
// identity.parties-registered

TEST(RuleIdentityTest, UnregisteredIssuer) {
  auto creds = Steel();
  for (SubmittedCredential& c : creds) c.issuer_registered = true;
  EXPECT_TRUE(Contains(Check(creds, SteelContext()).passed, "identity.parties-registered"));

  creds[1].issuer_registered = false;  // the mill test report
  const RuleOutcome o = Check(creds, SteelContext());
  const auto f = Of(o, "identity.parties-registered");
  ASSERT_EQ(f.size(), 1u) << Dump(o);
  EXPECT_EQ(f[0].severity, Severity::kError);
  EXPECT_EQ(f[0].explanation,
            "did:web:example.test:organizations:acero-del-norte issued the mill test report "
            "urn:uuid:2a7373d1-5eb3-5777-8d1c-508355999541 but is not accredited in the trust "
            "registry to issue that type.");
  EXPECT_EQ(o.risk, 30);
}

TEST(RuleIdentityTest, UnknownStatusIsNotAFinding) {
  auto creds = Steel();
  creds[0].issuer_registered = std::nullopt;
  const RuleOutcome o = Check(creds, SteelContext());
  EXPECT_THAT(Of(o, "identity.parties-registered"), IsEmpty());
  EXPECT_TRUE(Contains(o.not_applicable, "identity.parties-registered"));
}

// ---------------------------------------------------------------------------------------------
// steel.melt-pour-origin

TEST(RuleMeltPourTest, HeatMeltedElsewhereThanLicensed) {
  auto creds = Steel();
  Doc(creds,
      "MillTestReportCredential")["credentialSubject"]["inspections"][1]["countryOfMeltAndPour"] =
      "CN";
  const RuleOutcome o = Check(creds, SteelContext());
  const auto licence = Kind(o, "licence-mismatch");
  ASSERT_EQ(licence.size(), 1u) << Dump(o);
  EXPECT_EQ(licence[0].rule_id, "steel.melt-pour-origin");
  EXPECT_EQ(licence[0].severity, Severity::kError);
  EXPECT_EQ(licence[0].explanation,
            "Heat(s) H26-41874 on mill certificate MTR-2026-004415 were melted and poured in CN, "
            "but SIMA licence SIMA-2026-1187305 declares MX for HTS 7208.51.0030.");
  const auto entry = Kind(o, "entry-mismatch");
  ASSERT_EQ(entry.size(), 1u);
  EXPECT_THAT(entry[0].explanation,
              HasSubstr("but entry summary FR7-0412977-3 declares MX on line 1"));
  // CN is on the built-in watch list: a warning besides.
  const auto watch = Kind(o, "watch-country");
  ASSERT_EQ(watch.size(), 1u);
  EXPECT_EQ(watch[0].severity, Severity::kWarning);
  EXPECT_THAT(watch[0].explanation,
              HasSubstr("melted and poured in CN (heat H26-41874 on mill certificate "
                        "MTR-2026-004415)"));
  EXPECT_EQ(o.risk, 40);
}

TEST(RuleMeltPourTest, EntryLineDisagreesWithLicenceAndCertificate) {
  auto creds = Steel();
  Doc(creds, "CBP7501EntrySummaryCredential")["credentialSubject"]["lineItems"][0]
                                             ["countryOfMeltAndPour"] = "BR";
  const RuleOutcome o = Check(creds, SteelContext());
  const auto both = Kind(o, "entry-licence-mismatch");
  ASSERT_EQ(both.size(), 1u) << Dump(o);
  EXPECT_EQ(both[0].explanation,
            "Entry summary FR7-0412977-3 line 1 declares melt and pour in BR for HTS "
            "7208.51.0030, but SIMA licence SIMA-2026-1187305 declares MX.");
  const auto entry = Kind(o, "entry-mismatch");
  ASSERT_EQ(entry.size(), 1u);
  EXPECT_THAT(entry[0].explanation,
              HasSubstr("Heat(s) H26-41873, H26-41874 on mill certificate MTR-2026-004415 were "
                        "melted and poured in MX, but entry summary FR7-0412977-3 declares BR"));
  EXPECT_THAT(Kind(o, "watch-country"), IsEmpty());
}

TEST(RuleMeltPourTest, ConsistentWatchedCountryIsOnlyAWarning) {
  auto creds = Steel();
  for (json& i : Doc(creds, "MillTestReportCredential")["credentialSubject"]["inspections"]) {
    i["countryOfMeltAndPour"] = "CN";
  }
  Doc(creds, "SIMASteelImportLicenseCredential")["credentialSubject"]["productInformation"][0]
                                                ["countryOfMeltAndPour"] = "CN";
  Doc(creds, "CBP7501EntrySummaryCredential")["credentialSubject"]["lineItems"][0]
                                             ["countryOfMeltAndPour"] = "CN";
  const RuleOutcome o = Check(creds, SteelContext());
  const auto f = Of(o, "steel.melt-pour-origin");
  ASSERT_EQ(f.size(), 1u) << Dump(o);
  EXPECT_EQ(f[0].details["kind"], "watch-country");
  EXPECT_EQ(f[0].severity, Severity::kWarning);
  EXPECT_THAT(f[0].explanation, HasSubstr("SIMA steel import licence SIMA-2026-1187305"));
  EXPECT_THAT(f[0].explanation, HasSubstr("entry summary FR7-0412977-3 line 1"));

  // With an empty watch list the same shipment passes.
  json doc = BuiltinDocument();
  RuleEntry(doc, "steel.melt-pour-origin")["parameters"]["watchCountries"] = json::array();
  Result<RuleSet> rs = RuleSet::FromJson(doc.dump());
  ASSERT_TRUE(rs.ok()) << rs.status();
  EXPECT_TRUE(Contains(rs->Run(creds, SteelContext()).passed, "steel.melt-pour-origin"));
}

TEST(RuleMeltPourTest, NotApplicableWithoutSteelDocuments) {
  EXPECT_TRUE(Contains(Check(Crude(), CrudeContext()).not_applicable, "steel.melt-pour-origin"));
}

// ---------------------------------------------------------------------------------------------
// steel.heat-numbers-match

TEST(RuleHeatNumbersTest, InvoiceHeatNotOnCertificate) {
  auto creds = Steel();
  Doc(creds, "CommercialInvoiceCredential")["credentialSubject"]["itemsShipped"][1]["heatNumbers"] =
      json::array({"H26-99999"});
  const RuleOutcome o = Check(creds, SteelContext());
  const auto f = Of(o, "steel.heat-numbers-match");
  ASSERT_EQ(f.size(), 1u) << Dump(o);
  EXPECT_EQ(f[0].severity, Severity::kError);
  EXPECT_EQ(f[0].explanation,
            "Heat number(s) H26-99999 on the commercial invoice ADN-FAC-2026-01873 appear on no "
            "mill certificate in the shipment (certified heats: H26-41873, H26-41874).");
  EXPECT_EQ(f[0].credential_ids.size(), 2u);
}

TEST(RuleHeatNumbersTest, BillOfLadingHeatNotOnCertificate) {
  auto creds = Steel();
  Doc(creds,
      "MultiModalBillOfLadingCredential")["credentialSubject"]["particulars"][0]["heatNumbers"] =
      json::array({"H26-41873", "X-1"});
  const auto f = Of(Check(creds, SteelContext()), "steel.heat-numbers-match");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_THAT(f[0].explanation,
              HasSubstr("Heat number(s) X-1 on the bill of lading TRB-261116-0187"));
}

TEST(RuleHeatNumbersTest, CertifiedHeatNotPacked) {
  auto creds = Steel();
  Doc(creds, "PackingListCredential")["credentialSubject"]["items"][1].erase("heatNumbers");
  const RuleOutcome o = Check(creds, SteelContext());
  const auto f = Of(o, "steel.heat-numbers-match");
  ASSERT_EQ(f.size(), 1u) << Dump(o);
  EXPECT_EQ(f[0].severity, Severity::kWarning);
  EXPECT_EQ(f[0].explanation,
            "Heat number(s) H26-41874 of mill certificate MTR-2026-004415 appear on no packing "
            "list in the shipment.");
}

TEST(RuleHeatNumbersTest, HeatNumbersCompareWithoutCaseOrSpaces) {
  auto creds = Steel();
  Doc(creds, "PackingListCredential")["credentialSubject"]["items"][0]["heatNumbers"] =
      json::array({" h26-41873 "});
  EXPECT_THAT(Of(Check(creds, SteelContext()), "steel.heat-numbers-match"), IsEmpty());
}

TEST(RuleHeatNumbersTest, NotApplicableWithoutCertificate) {
  auto creds = Steel();
  Remove(creds, "MillTestReportCredential");
  EXPECT_TRUE(Contains(Check(creds, SteelContext()).not_applicable, "steel.heat-numbers-match"));
}

// ---------------------------------------------------------------------------------------------
// steel.sima-covers

TEST(RuleSimaTest, EntryLineWithUnlicensedHts) {
  auto creds = Steel();
  Doc(creds, "CBP7501EntrySummaryCredential")["credentialSubject"]["lineItems"][0]["commodity"]
                                             ["commodityCode"] = "7208.51.0060";
  const RuleOutcome o = Check(creds, SteelContext());
  const auto f = Of(o, "steel.sima-covers");
  ASSERT_EQ(f.size(), 1u) << Dump(o);
  EXPECT_EQ(f[0].severity, Severity::kError);
  EXPECT_EQ(f[0].explanation,
            "The entry summary FR7-0412977-3 line 1 declares HTS 7208.51.0060, which no enclosed "
            "SIMA licence covers (licensed: 7208.51.0030 (SIMA steel import licence "
            "SIMA-2026-1187305)); the licence must name the same 10-digit number.");
}

TEST(RuleSimaTest, SixDigitPrefixIsNotEnough) {
  auto creds = Steel();
  Doc(creds, "CBP7501EntrySummaryCredential")["credentialSubject"]["lineItems"][0]["commodity"]
                                             ["commodityCode"] = "7208.51";
  const auto f = Of(Check(creds, SteelContext()), "steel.sima-covers");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].details["kind"], "hts-not-licensed");
  EXPECT_THAT(f[0].explanation, HasSubstr("declares HTS 7208.51,"));
}

TEST(RuleSimaTest, NonSteelLinesNeedNoLicence) {
  auto creds = Steel();
  json line = Doc(creds, "CBP7501EntrySummaryCredential")["credentialSubject"]["lineItems"][0];
  line["lineNumber"] = 2;
  line["commodity"]["commodityCode"] = "8481.80.1090";
  line["netQuantity"]["value"] = "0";
  Doc(creds, "CBP7501EntrySummaryCredential")["credentialSubject"]["lineItems"].push_back(line);
  EXPECT_THAT(Of(Check(creds, SteelContext()), "steel.sima-covers"), IsEmpty());
}

TEST(RuleSimaTest, ShippedWeightBeyondLicence) {
  auto creds = Steel();
  Doc(creds, "SIMASteelImportLicenseCredential")["credentialSubject"]["productInformation"][0]
                                                ["weight"]["value"] = "10000";
  const RuleOutcome o = Check(creds, SteelContext());
  const auto f = Of(o, "steel.sima-covers");
  ASSERT_EQ(f.size(), 1u) << Dump(o);
  EXPECT_EQ(f[0].explanation,
            "The entry summary FR7-0412977-3 ships 17793.6 kg under HTS 7208.51.0030, more than "
            "the 10000 kg that SIMA licence SIMA-2026-1187305 covers.");
}

TEST(RuleSimaTest, MassUnitsAreConverted) {
  auto creds = Steel();
  json& weight = Doc(
      creds,
      "SIMASteelImportLicenseCredential")["credentialSubject"]["productInformation"][0]["weight"];
  weight = {{"value", "17.7936"}, {"unitCode", "TNE"}};
  EXPECT_THAT(Of(Check(creds, SteelContext()), "steel.sima-covers"), IsEmpty());
  weight = {{"value", "17.7"}, {"unitCode", "TNE"}};
  const auto f = Of(Check(creds, SteelContext()), "steel.sima-covers");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_THAT(f[0].explanation, HasSubstr("more than the 17700 kg"));
  // 17793.6 kg is 39228.17 lb: 39228.2 lb covers it, 39228 lb (17793.52 kg) does not.
  weight = {{"value", "39228.2"}, {"unitCode", "LBR"}};
  EXPECT_THAT(Of(Check(creds, SteelContext()), "steel.sima-covers"), IsEmpty());
  weight = {{"value", "39228"}, {"unitCode", "LBR"}};
  EXPECT_EQ(Of(Check(creds, SteelContext()), "steel.sima-covers").size(), 1u);
}

TEST(RuleSimaTest, UnreadableAndIncomparableWeights) {
  auto creds = Steel();
  json& weight = Doc(
      creds,
      "SIMASteelImportLicenseCredential")["credentialSubject"]["productInformation"][0]["weight"];
  weight["value"] = "17,793.6";
  auto f = Of(Check(creds, SteelContext()), "steel.sima-covers");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].details["kind"], "unreadable-value");
  EXPECT_EQ(f[0].explanation,
            "The SIMA steel import licence SIMA-2026-1187305 gives productInformation[0].weight "
            "as \"17,793.6\", which is not a decimal number; the licensed weight could not be "
            "checked against it.");
  weight = {{"value", "20"}, {"unitCode", "MTQ"}};
  f = Of(Check(creds, SteelContext()), "steel.sima-covers");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].details["kind"], "unit-not-comparable");
  EXPECT_THAT(f[0].explanation, HasSubstr("productInformation[0].weight in MTQ"));
}

TEST(RuleSimaTest, ImportDateOutsideValidity) {
  auto creds = Steel();
  Doc(creds, "SIMASteelImportLicenseCredential")["validUntil"] = "2026-11-15T14:00:00Z";
  const RuleOutcome o = Check(creds, SteelContext());
  const auto f = Of(o, "steel.sima-covers");
  ASSERT_EQ(f.size(), 1u) << Dump(o);
  EXPECT_EQ(f[0].explanation,
            "The import date 2026-11-17 (import date of entry summary FR7-0412977-3) lies outside "
            "the validity of SIMA licence SIMA-2026-1187305, 2026-11-12 to 2026-11-15.");
  // The last day of validity still counts.
  Doc(creds, "SIMASteelImportLicenseCredential")["validUntil"] = "2026-11-17T00:00:00Z";
  EXPECT_THAT(Of(Check(creds, SteelContext()), "steel.sima-covers"), IsEmpty());
}

TEST(RuleSimaTest, EntryNamesAMissingLicence) {
  auto creds = Steel();
  Doc(creds, "CBP7501EntrySummaryCredential")["credentialSubject"]["simaLicenseNumbers"].push_back(
      "SIMA-2026-0000001");
  const auto f = Of(Check(creds, SteelContext()), "steel.sima-covers");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].explanation,
            "Entry summary FR7-0412977-3 names SIMA licence SIMA-2026-0000001, which is not in "
            "the shipment.");
}

TEST(RuleSimaTest, FallsBackToTheInvoice) {
  auto creds = Steel();
  Remove(creds, "CBP7501EntrySummaryCredential");
  Remove(creds, "CBP3461EntryCredential");
  EXPECT_TRUE(Contains(Check(creds, SteelContext()).passed, "steel.sima-covers"));
  Doc(creds, "CommercialInvoiceCredential")["credentialSubject"]["itemsShipped"][0]["commodity"]
                                           ["commodityCode"] = "7208.52.0000";
  const auto f = Of(Check(creds, SteelContext()), "steel.sima-covers");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_THAT(f[0].explanation,
              HasSubstr("The commercial invoice ADN-FAC-2026-01873 line 1 declares HTS "
                        "7208.52.0000"));
}

// ---------------------------------------------------------------------------------------------
// weights.tolerance

TEST(RuleWeightsTest, NetWeightsDisagree) {
  auto creds = Steel();
  Doc(creds, "PackingListCredential")["credentialSubject"]["totalNetWeight"]["value"] = "17000";
  const RuleOutcome o = Check(creds, SteelContext());
  const auto f = Of(o, "weights.tolerance");
  ASSERT_EQ(f.size(), 1u) << Dump(o);
  EXPECT_EQ(f[0].severity, Severity::kWarning);
  EXPECT_EQ(f[0].details["kind"], "net-mismatch");
  EXPECT_EQ(f[0].explanation,
            "Net weights disagree by 4.46%, more than the 2% tolerance: commercial invoice "
            "ADN-FAC-2026-01873 17793.6 kg; packing list for invoice ADN-FAC-2026-01873 17000 kg; "
            "entry summary "
            "FR7-0412977-3 17793.6 kg.");
  EXPECT_EQ(f[0].credential_ids.size(), 3u);
  EXPECT_EQ(o.risk, 15);
}

TEST(RuleWeightsTest, GrossWeightsDisagree) {
  auto creds = Steel();
  Doc(creds, "MultiModalBillOfLadingCredential")["credentialSubject"]["particulars"][1]
                                                ["grossWeight"]["value"] = "7955.2";
  const auto f = Of(Check(creds, SteelContext()), "weights.tolerance");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].details["kind"], "gross-mismatch");
  EXPECT_THAT(f[0].explanation, HasSubstr("Gross weights disagree by 10.07%"));
  EXPECT_THAT(f[0].explanation, HasSubstr("bill of lading TRB-261116-0187 19865.6 kg"));
}

TEST(RuleWeightsTest, WithinToleranceAndAcrossUnits) {
  auto creds = Steel();
  // 1.6 % less: inside 2 %.
  Doc(creds, "PackingListCredential")["credentialSubject"]["totalNetWeight"]["value"] = "17500";
  // The same gross weight in pounds (17865.6 kg = 39386.91 lb) and tonnes.
  Doc(creds, "PackingListCredential")["credentialSubject"]["totalGrossWeight"] = {
      {"value", "39386.91"}, {"unitCode", "LBR"}};
  Doc(creds,
      "CBP7501EntrySummaryCredential")["credentialSubject"]["lineItems"][0]["grossWeight"] = {
      {"value", "17.8656"}, {"unitCode", "TNE"}};
  const RuleOutcome o = Check(creds, SteelContext());
  EXPECT_THAT(Of(o, "weights.tolerance"), IsEmpty()) << Dump(o);
  EXPECT_TRUE(Contains(o.passed, "weights.tolerance"));
}

TEST(RuleWeightsTest, UnreadableAndIncomparableValues) {
  auto creds = Steel();
  Doc(creds, "PackingListCredential")["credentialSubject"]["totalNetWeight"] = {
      {"value", "abc"}, {"unitCode", "KGM"}};
  Doc(creds, "PackingListCredential")["credentialSubject"]["totalGrossWeight"] = {
      {"value", "20"}, {"unitCode", "MTQ"}};
  const RuleOutcome o = Check(creds, SteelContext());
  const auto f = Of(o, "weights.tolerance");
  ASSERT_EQ(f.size(), 2u) << Dump(o);
  EXPECT_EQ(f[0].explanation,
            "The packing list for invoice ADN-FAC-2026-01873 gives totalNetWeight as \"abc\", "
            "which is not a "
            "decimal number; it was left out of the comparison.");
  EXPECT_EQ(f[1].explanation,
            "The packing list for invoice ADN-FAC-2026-01873 gives totalGrossWeight in MTQ, which "
            "cannot be "
            "compared with a mass in kilograms (KGM, TNE or LBR).");
}

TEST(RuleWeightsTest, NotApplicableWithOneDocument) {
  auto creds = Load({"PackingListCredential"});
  EXPECT_TRUE(Contains(Check(creds, SteelContext()).not_applicable, "weights.tolerance"));
}

// ---------------------------------------------------------------------------------------------
// oil.api-gravity-hts

void SetApi(std::vector<SubmittedCredential>& creds, const std::string& api) {
  for (SubmittedCredential& c : creds) {
    json& subject = c.document["credentialSubject"];
    if (!subject.contains("observation")) continue;
    for (json& o : subject["observation"]) {
      if (o["property"] == "API") o["measurement"]["value"] = api;
    }
  }
}

TEST(RuleApiGravityTest, HeavyCrudeDeclaredAsLight) {
  auto creds = Crude();
  SetApi(creds, "22.1");
  const RuleOutcome o = Check(creds, CrudeContext());
  const auto f = Of(o, "oil.api-gravity-hts");
  ASSERT_EQ(f.size(), 2u) << Dump(o);
  EXPECT_EQ(f[0].severity, Severity::kError);
  EXPECT_EQ(f[0].explanation,
            "Crude oil testing 22.1° API must be classified under 2709.00.10 (under 25° API); "
            "the delivery ticket BSC-2026-118734 declares 2709.00.2090.");
  EXPECT_THAT(f[1].explanation, HasSubstr("the delivery ticket BSC-2026-118735 declares"));
  EXPECT_EQ(o.risk, 30);
}

TEST(RuleApiGravityTest, TicketWithoutOwnReadingUsesTheBatch) {
  auto creds = Crude();
  for (int n = 0; n < 2; ++n) {
    json& obs =
        Doc(creds, "OilAndGasDeliveryTicketCredential", n)["credentialSubject"]["observation"];
    obs.erase(2);  // the API reading
  }
  Doc(creds,
      "OilAndGasProductCredential")["credentialSubject"]["observation"][0]["measurement"]["value"] =
      "19.8";
  const auto f = Of(Check(creds, CrudeContext()), "oil.api-gravity-hts");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_THAT(f[0].explanation, HasSubstr("Crude oil testing 19.8° API"));
  EXPECT_EQ(f[0].credential_ids.size(), 2u);  // the ticket and the product record
}

TEST(RuleApiGravityTest, LightCrudeDeclaredAsHeavy) {
  auto creds = Crude();
  Doc(creds, "OilAndGasDeliveryTicketCredential",
      1)["credentialSubject"]["product"]["commodity"]["commodityCode"] = "2709.00.1000";
  const auto f = Of(Check(creds, CrudeContext()), "oil.api-gravity-hts");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].explanation,
            "Crude oil testing 31.5° API must be classified under 2709.00.20 (25° API or more); "
            "the delivery ticket BSC-2026-118735 declares 2709.00.1000.");
}

TEST(RuleApiGravityTest, ThresholdBelongsToTheUpperBand) {
  auto creds = Crude();
  SetApi(creds, "25.0");
  EXPECT_THAT(Of(Check(creds, CrudeContext()), "oil.api-gravity-hts"), IsEmpty());
  SetApi(creds, "24.99");
  EXPECT_EQ(Of(Check(creds, CrudeContext()), "oil.api-gravity-hts").size(), 2u);
}

TEST(RuleApiGravityTest, EntryLinesAndCertificationsAreChecked) {
  auto creds = Crude();
  // An entry summary and a USMCA certification for the batch, declaring the heavy subheading.
  json entry = LoadDocument("CBP7501EntrySummaryCredential.json");
  entry["credentialSubject"]["lineItems"][0]["commodity"]["commodityCode"] = "2709.00.1000";
  creds.push_back(Submit(entry));
  json coo = LoadDocument("USMCACertificationOfOrigin.json");
  coo["credentialSubject"]["goods"][0]["commodityCode"] = "2709.00.10";
  creds.push_back(Submit(coo));
  const auto f = Of(Check(creds, CrudeContext()), "oil.api-gravity-hts");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_THAT(f[0].explanation,
              HasSubstr("31.5° API must be classified under 2709.00.20 (25° API or more); the "
                        "entry summary FR7-0412977-3 line 1 declares 2709.00.1000."));
  EXPECT_THAT(f[1].explanation,
              HasSubstr("the USMCA certification of origin "
                        "urn:uuid:4be120de-5ae8-5f52-af79-74de9651f45f good 1 declares "
                        "2709.00.10."));
}

TEST(RuleApiGravityTest, SixDigitCodesAreNotJudged) {
  auto creds = Crude();
  json coo = LoadDocument("USMCACertificationOfOrigin.json");
  coo["credentialSubject"]["goods"][0]["commodityCode"] = "2709.00";
  creds.push_back(Submit(coo));
  SetApi(creds, "31.5");
  EXPECT_THAT(Of(Check(creds, CrudeContext()), "oil.api-gravity-hts"), IsEmpty());
}

TEST(RuleApiGravityTest, GravityInAnotherUnit) {
  auto creds = Crude();
  Doc(creds, "OilAndGasDeliveryTicketCredential")["credentialSubject"]["observation"][2]
                                                 ["measurement"]["unitCode"] = "KMQ";
  const auto f = Of(Check(creds, CrudeContext()), "oil.api-gravity-hts");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].details["kind"], "unit-not-comparable");
  EXPECT_EQ(f[0].explanation,
            "The delivery ticket BSC-2026-118734 gives observation[2].measurement in KMQ, which "
            "cannot be compared with API gravity in degrees (C62).");
}

// ---------------------------------------------------------------------------------------------
// oil.volume-consistency

TEST(RuleOilVolumeTest, NetAboveGross) {
  auto creds = Crude();
  Doc(creds, "OilAndGasDeliveryTicketCredential")["credentialSubject"]["observation"][1]
                                                 ["measurement"]["value"] = "12460.00";
  const RuleOutcome o = Check(creds, CrudeContext());
  const auto f = Kind(o, "net-exceeds-gross");
  ASSERT_EQ(f.size(), 1u) << Dump(o);
  EXPECT_EQ(f[0].rule_id, "oil.volume-consistency");
  EXPECT_EQ(f[0].severity, Severity::kError);
  EXPECT_EQ(f[0].explanation,
            "Delivery ticket BSC-2026-118734 reports a net standard volume of 12460 bbl, more "
            "than its gross standard volume of 12450 bbl.");
  // The statement no longer adds up either (12460 + 11585.14 = 24045.14).
  const auto s = Kind(o, "statement-mismatch");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].explanation,
            "Delivery statement BSC-DS-2026-11-0417 reports 23997.79 bbl delivered, but the net "
            "volumes of its tickets BSC-2026-118734, BSC-2026-118735 add up to 24045.14 bbl "
            "(tolerance 0.1%).");
}

TEST(RuleOilVolumeTest, StatementWithinTolerance) {
  auto creds = Crude();
  Doc(creds, "DeliveryStatementCredential")["credentialSubject"]["deliveredVolume"]["value"] =
      "23990";  // 0.03 % under
  EXPECT_THAT(Of(Check(creds, CrudeContext()), "oil.volume-consistency"), IsEmpty());
  Doc(creds, "DeliveryStatementCredential")["credentialSubject"]["deliveredVolume"]["value"] =
      "23960";  // 0.16 % under
  EXPECT_EQ(Of(Check(creds, CrudeContext()), "oil.volume-consistency").size(), 1u);
}

TEST(RuleOilVolumeTest, StatementNamesTicketsNotInTheShipment) {
  auto creds = Crude();
  creds.erase(creds.begin() + 3);  // the second ticket
  const auto f = Of(Check(creds, CrudeContext()), "oil.volume-consistency");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].explanation,
            "Delivery statement BSC-DS-2026-11-0417 covers ticket(s) BSC-2026-118735, which are "
            "not in the shipment.");
}

TEST(RuleOilVolumeTest, MissingVolumeAndWrongUnit) {
  auto creds = Crude();
  json& obs = Doc(creds, "OilAndGasDeliveryTicketCredential")["credentialSubject"]["observation"];
  obs.erase(1);  // nsv_bbl
  Doc(creds, "DeliveryStatementCredential")["credentialSubject"]["deliveredVolume"]["unitCode"] =
      "MTQ";
  const RuleOutcome o = Check(creds, CrudeContext());
  const auto missing = Kind(o, "volume-missing");
  ASSERT_EQ(missing.size(), 1u) << Dump(o);
  EXPECT_EQ(missing[0].explanation,
            "Delivery ticket BSC-2026-118734 reports no nsv_bbl observation.");
  const auto unit = Kind(o, "unit-not-comparable");
  ASSERT_EQ(unit.size(), 1u);
  EXPECT_THAT(unit[0].explanation, HasSubstr("deliveredVolume in MTQ, which cannot be compared "
                                             "with barrels (BLL)"));
}

// ---------------------------------------------------------------------------------------------
// gas.monthly-reconciliation

json& GasStatement(std::vector<SubmittedCredential>& creds) {
  return Doc(creds, "MonthlyAggregateDeliveryStatementCredential")["credentialSubject"];
}

TEST(RuleGasTest, AggregateDoesNotAddUp) {
  auto creds = Gas();
  GasStatement(creds)["aggregateVolume"]["value"] = "2500000";
  const RuleOutcome o = Check(creds, GasContext());
  const auto f = Of(o, "gas.monthly-reconciliation");
  ASSERT_EQ(f.size(), 1u) << Dump(o);
  EXPECT_EQ(f[0].severity, Severity::kError);
  EXPECT_EQ(f[0].explanation,
            "Monthly statement LCGT-MADS-2026-10-0118 reports an aggregate of 2500000 Mcf, but its "
            "deliveries add up to 2457060 Mcf (tolerance 0.5%).");
}

TEST(RuleGasTest, DeliveryOutsideTheMonth) {
  auto creds = Gas();
  GasStatement(creds)["itemsDelivered"][61]["deliveredDate"] = "2026-11-01";
  const auto f = Of(Check(creds, GasContext()), "gas.monthly-reconciliation");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].explanation,
            "Monthly statement LCGT-MADS-2026-10-0118 for 2026-10 includes deliveries dated "
            "2026-11-01, outside that month.");
}

TEST(RuleGasTest, AuthorizationLimitAndTerm) {
  auto creds = Gas();
  json& auth = Doc(creds, "DOEImportAuthorizationCredential")["credentialSubject"];
  auth["volumeLimit"]["value"] = "2000000";
  auth["authorizationEnd"] = "2026-10-29";
  const RuleOutcome o = Check(creds, GasContext());
  const auto exceeded = Kind(o, "authorization-exceeded");
  ASSERT_EQ(exceeded.size(), 1u) << Dump(o);
  EXPECT_EQ(exceeded[0].explanation,
            "The statements for 2026-10 total 2457060 Mcf, more than the 2000000 Mcf that DOE "
            "authorization 25-118-NG allows.");
  const auto term = Kind(o, "outside-authorization");
  ASSERT_EQ(term.size(), 1u);
  EXPECT_EQ(term[0].explanation,
            "Gas delivered on 2026-10-30, 2026-10-31 falls outside the term of DOE authorization "
            "25-118-NG, 2025-12-01 to 2026-10-29.");
}

TEST(RuleGasTest, AuthorizationNumberAndPresence) {
  auto creds = Gas();
  GasStatement(creds)["doeAuthorizationNumber"] = "24-001-NG";
  auto f = Of(Check(creds, GasContext()), "gas.monthly-reconciliation");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].explanation,
            "The monthly aggregate delivery statement LCGT-MADS-2026-10-0118 names DOE "
            "authorization 24-001-NG, but the enclosed authorization is 25-118-NG.");

  creds = Gas();
  Remove(creds, "DOEImportAuthorizationCredential");
  const RuleOutcome o = Check(creds, GasContext());
  f = Of(o, "gas.monthly-reconciliation");
  ASSERT_EQ(f.size(), 2u) << Dump(o);  // the statement and the manifest
  EXPECT_EQ(f[0].severity, Severity::kWarning);
  EXPECT_THAT(f[0].explanation,
              HasSubstr("names DOE authorization 25-118-NG, which is not in the shipment"));
  EXPECT_THAT(f[1].explanation, HasSubstr("The monthly advance manifest LGM-MAM-2026-10 names"));
}

TEST(RuleGasTest, ManifestFarFromDeliveries) {
  auto creds = Gas();
  Doc(creds, "MonthlyAdvanceManifestCredential")["credentialSubject"]["scheduledDeliveries"][0]
                                                ["scheduledVolume"]["value"] = "2550000";
  const RuleOutcome o = Check(creds, GasContext());
  const auto f = Of(o, "gas.monthly-reconciliation");
  ASSERT_EQ(f.size(), 1u) << Dump(o);
  EXPECT_EQ(f[0].severity, Severity::kWarning);
  EXPECT_EQ(f[0].explanation,
            "Advance manifest LGM-MAM-2026-10 scheduled 3480000 Mcf for 2026-10, but 2457060 Mcf "
            "were delivered: 29.39% apart, more than the 10% the rule set accepts.");
}

TEST(RuleGasTest, VolumesMustBeInThousandCubicFeet) {
  auto creds = Gas();
  GasStatement(creds)["itemsDelivered"][0]["deliveredVolume"]["unitCode"] = "MTQ";
  const auto f = Of(Check(creds, GasContext()), "gas.monthly-reconciliation");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].details["kind"], "unit-not-comparable");
  EXPECT_THAT(f[0].explanation, HasSubstr("itemsDelivered[0].deliveredVolume in MTQ"));
}

// ---------------------------------------------------------------------------------------------
// coo.nine-elements

json& Claims(std::vector<SubmittedCredential>& creds) {
  return Doc(creds, "USMCACertificationOfOrigin")["credentialSubject"];
}

TEST(RuleNineElementsTest, MissingElementsAreListed) {
  auto creds = Steel();
  json& s = Claims(creds);
  s["certifier"].erase("jobTitle");
  s["certifier"].erase("email");
  s["goods"][0]["commodityCode"] = "7208";
  s["goods"][0]["originCriterion"] = "E";
  s.erase("signatureDate");
  const RuleOutcome o = Check(creds, SteelContext());
  const auto f = Of(o, "coo.nine-elements");
  ASSERT_EQ(f.size(), 1u) << Dump(o);
  EXPECT_EQ(f[0].severity, Severity::kError);
  EXPECT_EQ(f[0].explanation,
            "USMCA certification of origin urn:uuid:4be120de-5ae8-5f52-af79-74de9651f45f lacks "
            "data element(s) of Annex 5-A: 2 certifier (no title, email); 6 description and HS "
            "classification (good 1 has HS code \"7208\", not 6 digits); 7 origin criterion A-D "
            "(good 1 gives \"E\"); 9 authorized signature and date (no valid signature date).");
}

TEST(RuleNineElementsTest, PartiesAndAlternatives) {
  auto creds = Steel();
  json& s = Claims(creds);
  s.erase("producerDetails");
  s.erase("importerDetails");
  s.erase("exporterDetails");
  s["certifierRole"] = "Broker";
  auto f = Of(Check(creds, SteelContext()), "coo.nine-elements");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_THAT(f[0].explanation,
              HasSubstr("1 certifier role (\"Broker\" is not importer, exporter or producer); 3 "
                        "exporter (missing); 4 producer (missing, and neither various nor "
                        "available upon request); 5 importer (missing, and not marked unknown)."));
  // The exporter certifying needs no exporter details; "various" producers and an unknown
  // importer are allowed answers.
  s["certifierRole"] = "Exporter";
  s["variousProducers"] = true;
  s["importerUnknown"] = true;
  EXPECT_THAT(Of(Check(creds, SteelContext()), "coo.nine-elements"), IsEmpty());
}

TEST(RuleNineElementsTest, BlanketPeriodOfAtMostTwelveMonths) {
  auto creds = Steel();
  json& s = Claims(creds);
  s["blanketPeriod"] = {{"startDate", "2026-01-01"}, {"endDate", "2026-12-31"}};
  EXPECT_THAT(Of(Check(creds, SteelContext()), "coo.nine-elements"), IsEmpty());
  s["blanketPeriod"]["endDate"] = "2027-01-01";
  auto f = Of(Check(creds, SteelContext()), "coo.nine-elements");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_THAT(f[0].explanation, HasSubstr("8 blanket period (longer than 12 months)"));
  s["blanketPeriod"]["endDate"] = "2025-12-31";
  f = Of(Check(creds, SteelContext()), "coo.nine-elements");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_THAT(f[0].explanation, HasSubstr("8 blanket period (ends before it starts)"));
  s["blanketPeriod"]["endDate"] = "2026-02-30";
  f = Of(Check(creds, SteelContext()), "coo.nine-elements");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_THAT(f[0].explanation, HasSubstr("8 blanket period (start or end date missing"));
}

// ---------------------------------------------------------------------------------------------
// timing.data-earlier

TEST(RuleTimingTest, ShortLeadTime) {
  ShipmentContext ctx = SteelContext();
  ctx.received_at = At("2026-11-16T12:00:00Z");
  const RuleOutcome o = Check(Steel(), ctx);
  const auto f = Of(o, "timing.data-earlier");
  ASSERT_EQ(f.size(), 1u) << Dump(o);
  EXPECT_EQ(f[0].severity, Severity::kWarning);
  EXPECT_EQ(f[0].explanation,
            "The shipment's data reached customs 12 hours before the goods arrived "
            "(2026-11-17T00:00:00Z, arrival date on bill of lading TRB-261116-0187), 12 hours "
            "less than the 24 hours the rule set asks for.");
  EXPECT_EQ(o.lead_seconds, 12 * 3600);
  EXPECT_EQ(o.risk, 10);
}

TEST(RuleTimingTest, DataAfterArrival) {
  ShipmentContext ctx = SteelContext();
  ctx.received_at = At("2026-11-24T15:30:00Z");
  const RuleOutcome o = Check(Steel(), ctx);
  const auto f = Of(o, "timing.data-earlier");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].details["kind"], "after-arrival");
  EXPECT_EQ(f[0].explanation,
            "The shipment's data reached customs 183.5 hours after the goods arrived "
            "(2026-11-17T00:00:00Z, arrival date on bill of lading TRB-261116-0187); the rule set "
            "asks for it at least 24 hours before arrival.");
  EXPECT_EQ(o.lead_seconds, -(183 * 3600 + 1800));
}

TEST(RuleTimingTest, AnchoringCountsAsArrivalOfData) {
  auto creds = Steel();
  creds[8].anchored_at = At("2026-11-16T23:20:00Z");
  const auto f = Of(Check(creds, SteelContext()), "timing.data-earlier");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_THAT(f[0].explanation, HasSubstr("reached customs 40 minutes before the goods arrived"));
}

TEST(RuleTimingTest, ArrivalGivenOrFromTheEntry) {
  ShipmentContext ctx = SteelContext();
  ctx.arrival_at = At("2026-11-20T08:00:00Z");
  RuleOutcome o = Check(Steel(), ctx);
  EXPECT_EQ(o.arrival_at, At("2026-11-20T08:00:00Z"));
  EXPECT_TRUE(Contains(o.passed, "timing.data-earlier"));

  auto creds = Steel();
  Remove(creds, "MultiModalBillOfLadingCredential");
  Doc(creds, "CBP3461EntryCredential")["credentialSubject"]["estimatedArrivalDate"] = "2026-11-16";
  o = Check(creds, SteelContext());
  EXPECT_EQ(o.arrival_at, At("2026-11-16T00:00:00Z"));
  const auto f = Of(o, "timing.data-earlier");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_THAT(f[0].explanation, HasSubstr("estimated arrival on entry FR7-0412977-3"));
}

TEST(RuleTimingTest, PipelineDataBeforeTheTicketCloses) {
  ShipmentContext ctx = CrudeContext();
  ctx.received_at = At("2026-11-19T03:00:00Z");
  const RuleOutcome o = Check(Crude(), ctx);
  const auto f = Of(o, "timing.data-earlier");
  ASSERT_EQ(f.size(), 1u) << Dump(o);
  EXPECT_EQ(f[0].explanation,
            "The shipment's data reached customs 1.5 hours after the goods arrived "
            "(2026-11-19T01:30:00Z, close of delivery ticket BSC-2026-118734); the rule set asks "
            "for it at least 0 hours before arrival.");
}

TEST(RuleTimingTest, NoArrivalNoJudgement) {
  auto creds = Steel();
  Remove(creds, "MultiModalBillOfLadingCredential");
  Remove(creds, "CBP3461EntryCredential");
  const RuleOutcome o = Check(creds, SteelContext());
  EXPECT_TRUE(Contains(o.not_applicable, "timing.data-earlier"));
  EXPECT_FALSE(o.arrival_at.has_value());
}

// ---------------------------------------------------------------------------------------------
// Risk and robustness.

TEST(RuleRiskTest, SumOfDistinctRulesCappedAt100) {
  auto creds = Steel();
  creds[0].failed_checks.emplace_back("proof", "bad");                                        // 50
  creds[1].issuer_registered = false;                                                         // 30
  Doc(creds, "PackingListCredential")["credentialSubject"]["totalNetWeight"]["value"] = "1";  // 15
  RuleOutcome o = Check(creds, SteelContext());
  EXPECT_EQ(o.risk, 95) << Dump(o);
  Claims(creds).erase("signatureDate");  // 20
  o = Check(creds, SteelContext());
  EXPECT_EQ(o.risk, 100);
}

// Replaces every value of every example document, one at a time, with values of the wrong
// shape; no rule may throw (a "rule-error" finding) and the outcome must serialise.
TEST(RuleRobustnessTest, EveryMemberWithEveryWrongShape) {
  std::vector<std::vector<SubmittedCredential>> shipments = {Steel(), Crude(), Gas()};
  const json junk[] = {json(),
                       json(7),
                       json(-1.5),
                       json("x"),
                       json("-99999999999999999"),
                       json::array(),
                       json::object(),
                       json::array({json(), 1})};
  size_t runs = 0;
  for (auto& shipment : shipments) {
    for (size_t i = 0; i < shipment.size(); ++i) {
      const json original = shipment[i].document;
      const json flat = original.flatten();
      std::set<std::string> pointers;
      for (const auto& [pointer, unused] : flat.items()) {
        // Every member and every enclosing container.
        std::string p = pointer;
        while (!p.empty()) {
          pointers.insert(p);
          p = p.substr(0, p.rfind('/'));
        }
      }
      for (const std::string& p : pointers) {
        // Large item lists (the gas month) are sampled, not exhausted.
        if (p.find("itemsDelivered/") != std::string::npos &&
            p.find("itemsDelivered/0") == std::string::npos) {
          continue;
        }
        for (const json& j : junk) {
          shipment[i].document = original;
          shipment[i].document[json::json_pointer(p)] = j;
          const RuleOutcome o = Check(shipment, SteelContext());
          ++runs;
          for (const Finding& f : o.findings) {
            ASSERT_NE(f.details.value("kind", ""), "rule-error")
                << p << " = " << j << ": " << f.explanation;
          }
          ASSERT_NO_THROW(o.ToJson().dump());
        }
      }
      shipment[i].document = original;
    }
  }
  EXPECT_GT(runs, 1000u);
}

TEST(RuleRobustnessTest, DocumentsOfTheWrongShape) {
  std::vector<SubmittedCredential> creds;
  for (const json& doc :
       {json(), json(1), json::array(), json("text"), json{{"type", 5}, {"credentialSubject", "x"}},
        json{{"type", {"VerifiableCredential", "MillTestReportCredential"}},
             {"credentialSubject", json::array({1, "a"})}},
        json{{"type", json::array({"CBP7501EntrySummaryCredential"})},
             {"credentialSubject", {{"lineItems", {{"a", 1}}}}}}}) {
    SubmittedCredential c;
    c.document = doc;
    creds.push_back(c);
  }
  creds[0].types = {"VerifiableCredential", "PackingListCredential"};
  creds[1].failed_checks.emplace_back("", "");
  creds[2].anchored_at = INT64_MAX;
  ShipmentContext ctx;
  ctx.arrival_at = INT64_MIN;
  ctx.received_at = INT64_MAX;
  RuleOutcome o;
  ASSERT_NO_THROW(o = Check(creds, ctx));
  for (const Finding& f : o.findings) EXPECT_NE(f.details.value("kind", ""), "rule-error");
  EXPECT_FALSE(o.lead_seconds.has_value());
  ASSERT_NO_THROW(o.ToJson().dump());
  EXPECT_EQ(Of(o, "credential.unknown").size(), 1u);
}

}  // namespace
}  // namespace traceport::customs
