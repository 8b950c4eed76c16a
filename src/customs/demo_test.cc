#include "customs/demo.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "customs/rules.h"
#include "registry/identifiers.h"
#include "registry/registry.h"

namespace traceport::customs {
namespace {

using nlohmann::json;
using ::testing::Contains;
using ::testing::UnorderedElementsAreArray;

constexpr int64_t kNow = 1795780800;  // 2026-11-27T08:00:00Z
constexpr int64_t kDay = 86400;

DemoScenario Build(uint64_t seed, int shipments = 36, int64_t now = kNow) {
  return BuildDemoScenario({seed, now, shipments});
}

const DemoDocument* Doc(const DemoShipment& s, const std::string& key) {
  for (const DemoDocument& d : s.documents) {
    if (d.key == key) return &d;
  }
  return nullptr;
}

std::vector<const DemoDocument*> DocsOfType(const DemoShipment& s, const std::string& type) {
  std::vector<const DemoDocument*> out;
  for (const DemoDocument& d : s.documents) {
    if (d.type == type) out.push_back(&d);
  }
  return out;
}

const DemoShipment& ShipmentOf(const DemoScenario& sc, const std::string& kind) {
  for (const DemoShipment& s : sc.shipments) {
    if (s.problem == kind) return s;
  }
  ADD_FAILURE() << "no shipment with problem " << kind;
  return sc.shipments.front();
}

// Exact decimal strings to integers in 10^-scale units ("12.5", 2 -> 1250).
int64_t Units(const std::string& decimal, int scale) {
  const size_t dot = decimal.find('.');
  std::string whole = decimal.substr(0, dot);
  std::string frac = dot == std::string::npos ? "" : decimal.substr(dot + 1);
  EXPECT_LE(frac.size(), static_cast<size_t>(scale)) << decimal;
  frac.resize(static_cast<size_t>(scale), '0');
  return std::stoll(whole + frac);
}

int64_t Kg(const json& measured) {
  EXPECT_EQ(measured.at("unitCode"), "KGM") << measured;
  return Units(measured.at("value").get<std::string>(), 0);
}

// Visits every object in `j` (depth first) with the pointer that leads to it.
void Walk(const json& j, const std::string& pointer,
          const std::function<void(const json&, const std::string&)>& visit) {
  if (j.is_object()) {
    visit(j, pointer);
    for (const auto& [k, v] : j.items()) Walk(v, pointer + "/" + k, visit);
  } else if (j.is_array()) {
    for (size_t i = 0; i < j.size(); ++i) Walk(j[i], pointer + "/" + std::to_string(i), visit);
  }
}

std::set<std::string> HeatsOfMtr(const DemoDocument& mtr) {
  std::set<std::string> out;
  for (const json& i : mtr.subject.at("inspections")) out.insert(i.at("heatNumber"));
  return out;
}

std::set<std::string> HeatsOfLines(const json& lines) {
  std::set<std::string> out;
  for (const json& l : lines) {
    for (const json& h : l.at("heatNumbers")) out.insert(h.get<std::string>());
  }
  return out;
}

TEST(DemoScenarioTest, SameSeedGivesTheSameBytesAndAnotherSeedDoesNot) {
  const std::string a = Build(7).ToJson().dump();
  EXPECT_EQ(a, Build(7).ToJson().dump());
  EXPECT_NE(a, Build(8).ToJson().dump());
  // The present moves the calendar, not the structure.
  EXPECT_NE(a, Build(7, 36, kNow + kDay).ToJson().dump());
  EXPECT_EQ(Build(7, 36, kNow + kDay).ToJson().dump(), Build(7, 36, kNow + kDay).ToJson().dump());
}

TEST(DemoScenarioTest, ShipmentCountMixAndClamping) {
  for (int n : {12, 16, 36, 60}) {
    const DemoScenario sc = Build(3, n);
    ASSERT_EQ(sc.shipments.size(), static_cast<size_t>(n));
    std::map<std::string, int> mix;
    for (const DemoShipment& s : sc.shipments) ++mix[s.workflow];
    EXPECT_EQ(mix.size(), 3u) << n;
    EXPECT_EQ(mix["natural-gas"], std::max(2, (n * 15 + 50) / 100)) << n;
    EXPECT_EQ(mix["crude-oil"], std::max(2, (n * 25 + 50) / 100)) << n;
    EXPECT_GE(mix["steel"], 7) << n;  // six steel problems and at least one clean shipment
  }
  const DemoScenario n36 = Build(3, 36);
  std::map<std::string, int> mix;
  for (const DemoShipment& s : n36.shipments) ++mix[s.workflow];
  EXPECT_EQ(mix["steel"], 22);
  EXPECT_EQ(mix["crude-oil"], 9);
  EXPECT_EQ(mix["natural-gas"], 5);
  EXPECT_EQ(Build(3, 1).shipments.size(), static_cast<size_t>(kMinDemoShipments));
  EXPECT_EQ(Build(3, -5).shipments.size(), static_cast<size_t>(kMinDemoShipments));
  EXPECT_EQ(Build(3, 100000).shipments.size(), static_cast<size_t>(kMaxDemoShipments));
}

TEST(DemoScenarioTest, EveryPlantedProblemIsOnItsOwnShipmentWithItsRule) {
  const std::map<std::string, std::string> expected = {
      {"melt-pour-mismatch", "steel.melt-pour-origin"},
      {"invoice-tampered", "credential.proof"},
      {"revoked-mill-certificate", "credential.status"},
      {"unregistered-issuer", "identity.parties-registered"},
      {"heat-numbers-mismatch", "steel.heat-numbers-match"},
      {"late-data", "timing.data-earlier"},
      {"wrong-hts", "oil.api-gravity-hts"},
      {"gas-aggregate-exceeds", "gas.monthly-reconciliation"},
  };
  for (uint64_t seed : {1u, 7u, 42u, 1234567u}) {
    for (int n : {12, 16, 36}) {
      const DemoScenario sc = Build(seed, n);
      std::map<std::string, std::string> found;
      std::set<std::string> shipments;
      for (const DemoProblem& p : sc.problems) {
        found[p.kind] = p.rule_id;
        EXPECT_TRUE(shipments.insert(p.shipment_id).second) << "two problems on " << p.shipment_id;
        EXPECT_FALSE(p.description.empty());
        EXPECT_EQ(p.description.find('\n'), std::string::npos);
        const DemoShipment& s = ShipmentOf(sc, p.kind);
        EXPECT_EQ(s.id, p.shipment_id);
        EXPECT_EQ(s.workflow, p.kind == "wrong-hts"               ? "crude-oil"
                              : p.kind == "gas-aggregate-exceeds" ? "natural-gas"
                                                                  : "steel");
      }
      EXPECT_EQ(found, expected) << "seed " << seed << " n " << n;
      // Problems are listed in shipment order, and no other shipment carries one.
      size_t next = 0;
      for (const DemoShipment& s : sc.shipments) {
        if (s.problem.empty()) continue;
        ASSERT_LT(next, sc.problems.size());
        EXPECT_EQ(sc.problems[next++].shipment_id, s.id);
      }
      EXPECT_EQ(next, sc.problems.size());
    }
  }
}

TEST(DemoScenarioTest, ThePlantedProblemsAreReallyInTheDocuments) {
  const DemoScenario sc = Build(11);
  {
    const DemoShipment& s = ShipmentOf(sc, "melt-pour-mismatch");
    for (const json& i : Doc(s, "mill-test-report")->subject["inspections"]) {
      EXPECT_EQ(i["countryOfMeltAndPour"], "CN");
    }
    EXPECT_EQ(Doc(s, "sima-licence")->subject["productInformation"][0]["countryOfMeltAndPour"],
              "MX");
    EXPECT_EQ(Doc(s, "cbp-7501")->subject["lineItems"][0]["countryOfMeltAndPour"], "MX");
  }
  {
    const DemoShipment& s = ShipmentOf(sc, "invoice-tampered");
    const DemoDocument* inv = Doc(s, "commercial-invoice");
    ASSERT_TRUE(inv->tamper.has_value());
    EXPECT_EQ(inv->tamper->pointer, "/credentialSubject/totalPaymentDue/value");
    const json issued = {{"credentialSubject", inv->subject}};
    const json& before = issued.at(json::json_pointer(inv->tamper->pointer));
    EXPECT_LT(Units(inv->tamper->value.get<std::string>(), 2), Units(before.get<std::string>(), 2));
    for (const DemoDocument& d : s.documents) {
      if (&d != inv) {
        EXPECT_FALSE(d.tamper.has_value()) << d.key;
      }
    }
  }
  {
    const DemoShipment& s = ShipmentOf(sc, "revoked-mill-certificate");
    for (const DemoDocument& d : s.documents) {
      EXPECT_EQ(d.revoke_after_issue, d.key == "mill-test-report") << d.key;
    }
  }
  {
    const DemoShipment& s = ShipmentOf(sc, "unregistered-issuer");
    const DemoOrganization* issuer = sc.FindOrganization(Doc(s, "mill-test-report")->issuer);
    ASSERT_NE(issuer, nullptr);
    EXPECT_FALSE(issuer->admitted);
    EXPECT_EQ(issuer->slug, "pacific-rim-metals");
  }
  {
    const DemoShipment& s = ShipmentOf(sc, "heat-numbers-mismatch");
    const std::set<std::string> mtr = HeatsOfMtr(*Doc(s, "mill-test-report"));
    const std::set<std::string> inv =
        HeatsOfLines(Doc(s, "commercial-invoice")->subject["itemsShipped"]);
    EXPECT_EQ(inv, HeatsOfLines(Doc(s, "packing-list")->subject["items"]));
    EXPECT_EQ(inv.size(), mtr.size());
    std::vector<std::string> missing;
    std::set_difference(inv.begin(), inv.end(), mtr.begin(), mtr.end(),
                        std::back_inserter(missing));
    EXPECT_EQ(missing.size(), 1u);
  }
  {
    const DemoShipment& s = ShipmentOf(sc, "late-data");
    ASSERT_TRUE(s.arrival_at.has_value());
    EXPECT_LT(*s.arrival_at + kDay, s.submit_at);  // the whole arrival day is before submission
    EXPECT_EQ(Doc(s, "bill-of-lading")->subject["mainCarriageTransportMovement"]["arrivalDate"],
              Doc(s, "cbp-3461")->subject["estimatedArrivalDate"]);
  }
  {
    const DemoShipment& s = ShipmentOf(sc, "wrong-hts");
    const json& obs = Doc(s, "oil-and-gas-product")->subject["observation"];
    EXPECT_EQ(obs[0]["property"], "API");
    EXPECT_EQ(obs[0]["measurement"]["value"], "21.4");
    for (const DemoDocument* t : DocsOfType(s, "OilAndGasDeliveryTicketCredential")) {
      EXPECT_EQ(t->subject["product"]["commodity"]["commodityCode"], "2709.00.20");
    }
    EXPECT_EQ(Doc(s, "usmca-certification")->subject["goods"][0]["commodityCode"], "2709.00.20");
  }
  {
    const DemoShipment& s = ShipmentOf(sc, "gas-aggregate-exceeds");
    const json& st = Doc(s, "monthly-aggregate-delivery-statement")->subject;
    int64_t sum = 0;
    for (const json& i : st["itemsDelivered"]) sum += Units(i["deliveredVolume"]["value"], 0);
    EXPECT_GT(Units(st["aggregateVolume"]["value"], 0), sum);
  }
}

TEST(DemoScenarioTest, CleanShipmentsAreConsistent) {
  for (uint64_t seed : {2u, 7u, 99u}) {
    const DemoScenario sc = Build(seed);
    for (const DemoShipment& s : sc.shipments) {
      SCOPED_TRACE(s.id);
      if (!s.problem.empty()) continue;
      for (const DemoDocument& d : s.documents) {
        EXPECT_FALSE(d.revoke_after_issue) << d.key;
        EXPECT_FALSE(d.tamper.has_value()) << d.key;
        const DemoOrganization* issuer = sc.FindOrganization(d.issuer);
        ASSERT_NE(issuer, nullptr) << d.issuer;
        EXPECT_TRUE(issuer->admitted) << d.issuer;
        EXPECT_THAT(issuer->credential_types, Contains(d.type)) << d.issuer;
      }
      if (s.workflow != "natural-gas") {
        ASSERT_TRUE(s.arrival_at.has_value());
        EXPECT_GE(*s.arrival_at - s.submit_at, 3 * kDay);
      }
      if (s.workflow == "steel") {
        const DemoDocument* mtr = Doc(s, "mill-test-report");
        int64_t net = 0;
        for (const json& i : mtr->subject["inspections"]) {
          EXPECT_EQ(i["countryOfMeltAndPour"], "MX");
          net += Kg(i["totalWeight"]);
        }
        const json& inv = Doc(s, "commercial-invoice")->subject;
        const json& pl = Doc(s, "packing-list")->subject;
        const json& bol = Doc(s, "bill-of-lading")->subject;
        const json& lic = Doc(s, "sima-licence")->subject;
        const json& e3461 = Doc(s, "cbp-3461")->subject;
        const json& e7501 = Doc(s, "cbp-7501")->subject;
        int64_t bol_gross = 0;
        for (const json& p : bol["particulars"]) bol_gross += Kg(p["grossWeight"]);
        for (int64_t w :
             {Kg(inv["totalWeight"]), Kg(pl["totalNetWeight"]), Kg(pl["totalGrossWeight"]),
              bol_gross, Kg(lic["productInformation"][0]["weight"]),
              Kg(e3461["items"][0]["quantity"]), Kg(e7501["lineItems"][0]["netQuantity"])}) {
          EXPECT_LE(std::abs(w - net) * 100, net) << w << " vs " << net;  // within 1%
        }
        EXPECT_EQ(HeatsOfLines(inv["itemsShipped"]), HeatsOfMtr(*mtr));
        EXPECT_EQ(HeatsOfLines(pl["items"]), HeatsOfMtr(*mtr));
        // Money adds up, and the licence covers the entry.
        int64_t lines = 0;
        for (const json& l : inv["itemsShipped"])
          lines += Units(l["lineItemTotalPrice"]["value"], 2);
        EXPECT_EQ(lines, Units(inv["totalPaymentDue"]["value"], 2));
        EXPECT_EQ(lic["productInformation"][0]["commodity"], e7501["lineItems"][0]["commodity"]);
        EXPECT_EQ(e7501["simaLicenseNumbers"][0], lic["licenseNumber"]);
        const DemoDocument* licence = Doc(s, "sima-licence");
        ASSERT_TRUE(licence->valid_from && licence->valid_until);
        EXPECT_LE(*licence->valid_from, s.issue_at);
        EXPECT_GT(*licence->valid_until, *s.arrival_at + kDay);
        EXPECT_EQ(bol["mainCarriageTransportMovement"]["arrivalDate"],
                  e3461["estimatedArrivalDate"]);
      } else if (s.workflow == "crude-oil") {
        const json& product = Doc(s, "oil-and-gas-product")->subject;
        const int64_t api = Units(product["observation"][0]["measurement"]["value"], 1);
        const std::string line = api < 250 ? "2709.00.10" : "2709.00.20";
        int64_t nsv_sum = 0;
        std::vector<std::string> numbers;
        for (const DemoDocument* t : DocsOfType(s, "OilAndGasDeliveryTicketCredential")) {
          EXPECT_EQ(t->subject["product"]["commodity"]["commodityCode"], line);
          std::map<std::string, int64_t> v;
          for (const json& o : t->subject["observation"]) {
            v[o["property"]] = Units(o["measurement"]["value"], 2);
          }
          EXPECT_LE(v["nsv_bbl"], v["gsv_bbl"]);
          EXPECT_EQ(v["API"], api * 10);
          nsv_sum += v["nsv_bbl"];
          numbers.push_back(t->subject["ticketControlNumber"]);
        }
        EXPECT_GE(numbers.size(), 2u);
        EXPECT_LE(numbers.size(), 3u);
        const json& st = Doc(s, "delivery-statement")->subject;
        EXPECT_EQ(Units(st["deliveredVolume"]["value"], 2), nsv_sum);
        EXPECT_EQ(st["ticketControlNumbers"], json(numbers));
        EXPECT_EQ(Doc(s, "usmca-certification")->subject["goods"][0]["commodityCode"], line);
      } else {
        const json& st = Doc(s, "monthly-aggregate-delivery-statement")->subject;
        int64_t sum = 0;
        for (const json& i : st["itemsDelivered"]) sum += Units(i["deliveredVolume"]["value"], 0);
        EXPECT_EQ(Units(st["aggregateVolume"]["value"], 0), sum);
        const json& doe = Doc(s, "doe-authorization")->subject;
        EXPECT_EQ(st["doeAuthorizationNumber"], doe["authorizationNumber"]);
        EXPECT_LT(sum, Units(doe["volumeLimit"]["value"], 0));
        EXPECT_GE(st["statementMonth"].get<std::string>(),
                  doe["authorizationStart"].get<std::string>().substr(0, 7));
      }
    }
  }
}

TEST(DemoScenarioTest, EveryIdentifierValidates) {
  const DemoScenario sc = Build(5);
  std::set<std::string> org_values;
  for (const DemoOrganization& o : sc.organizations) {
    for (const auto& [scheme, value] : o.identifiers) {
      Result<std::string> v = registry::ValidateIdentifier(scheme, value);
      ASSERT_TRUE(v.ok()) << o.slug << " " << scheme << " " << value << ": " << v.status();
      EXPECT_EQ(*v, value) << "not in normalized form";
      org_values.insert(value);
    }
  }
  // The schemes the network needs are all there, check digits and all.
  std::set<std::string> schemes;
  for (const DemoOrganization& o : sc.organizations) {
    for (const auto& [scheme, value] : o.identifiers) schemes.insert(scheme);
  }
  for (const char* s : {"lei", "ein", "ior", "mid", "gln", "bn", "rfc", "duns"}) {
    EXPECT_THAT(schemes, Contains(s));
  }
  // Identifiers inside the documents are the organizations' own, or validate by their scheme.
  int checked = 0;
  for (const DemoShipment& s : sc.shipments) {
    for (const DemoDocument& d : s.documents) {
      Walk(d.subject, "", [&](const json& obj, const std::string& ptr) {
        for (const auto& [member, scheme] : std::map<std::string, std::string>{
                 {"leiCode", "lei"}, {"globalLocationNumber", "gln"}, {"manufacturerId", "mid"}}) {
          if (!obj.contains(member)) continue;
          Result<std::string> v =
              registry::ValidateIdentifier(scheme, obj[member].get<std::string>());
          EXPECT_TRUE(v.ok()) << s.id << " " << d.key << ptr << ": " << v.status();
          ++checked;
        }
        if (obj.contains("taxId")) {
          EXPECT_THAT(org_values, Contains(obj["taxId"].get<std::string>())) << d.key << ptr;
          ++checked;
        }
      });
    }
  }
  EXPECT_GT(checked, 100);
}

TEST(DemoScenarioTest, OrganizationsRolesAndAdmissions) {
  const DemoScenario sc = Build(1);
  std::set<std::string> slugs;
  std::set<std::string> roles;
  for (const DemoOrganization& o : sc.organizations) {
    EXPECT_TRUE(slugs.insert(o.slug).second) << o.slug;
    EXPECT_TRUE(std::regex_match(o.slug, std::regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")));
    EXPECT_FALSE(o.roles.empty()) << o.slug;
    for (const std::string& r : o.roles) {
      EXPECT_TRUE(registry::IsKnownRole(r)) << r;
      roles.insert(r);
    }
    EXPECT_EQ(o.admitted, !o.credential_types.empty() && o.slug != "pacific-rim-metals") << o.slug;
    EXPECT_EQ(o.address["addressCountry"], o.country);
  }
  for (const char* r : {"customs", "registry-authority", "licensing-authority", "mill",
                        "manufacturer", "exporter", "importer", "broker", "carrier", "producer"}) {
    EXPECT_THAT(roles, Contains(r));
  }
  EXPECT_EQ(sc.organizations.size(), 13u);
  // Every shipment's holder and customs organization exist; each issuer issues the types it is
  // declared to.
  for (const DemoShipment& s : sc.shipments) {
    ASSERT_NE(sc.FindOrganization(s.holder), nullptr);
    ASSERT_NE(sc.FindOrganization(s.customs), nullptr);
    EXPECT_THAT(sc.FindOrganization(s.customs)->roles, Contains("customs"));
    for (const DemoDocument& d : s.documents) {
      EXPECT_THAT(sc.FindOrganization(d.issuer)->credential_types, Contains(d.type));
    }
  }
}

TEST(DemoScenarioTest, TimeRunsForwardOverTheLastFiveWeeks) {
  for (int n : {12, 36, 500}) {
    const DemoScenario sc = Build(21, n);
    SCOPED_TRACE(n);
    ASSERT_FALSE(sc.shipments.empty());
    EXPECT_LT(sc.setup_at, sc.shipments.front().issue_at);
    EXPECT_GE(sc.shipments.front().issue_at, kNow - 35 * kDay);
    int64_t last = sc.setup_at;
    std::map<std::string, int> numbering;
    for (const DemoShipment& s : sc.shipments) {
      EXPECT_GT(s.issue_at, last) << s.id;
      EXPECT_GT(s.submit_at, s.issue_at) << s.id;
      EXPECT_LT(s.submit_at, kNow) << s.id;
      last = s.submit_at;
      char expected[64];
      std::snprintf(expected, sizeof expected, "%s-%03d", s.workflow.c_str(),
                    ++numbering[s.workflow]);
      EXPECT_EQ(s.id, expected);
    }
  }
}

TEST(DemoScenarioTest, DocumentsAreWellFormed) {
  const DemoScenario sc = Build(4);
  const std::regex decimal("^-?(0|[1-9][0-9]{0,29})(\\.[0-9]{1,18})?$");
  const std::regex date("^[0-9]{4}-[0-9]{2}-[0-9]{2}$");
  const std::regex date_time("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$");
  const std::regex urn_uuid(
      "^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  std::set<std::string> presentation_ids;
  std::set<std::string> doe;
  for (const DemoShipment& s : sc.shipments) {
    EXPECT_TRUE(std::regex_match(s.presentation_id, urn_uuid)) << s.presentation_id;
    EXPECT_TRUE(presentation_ids.insert(s.presentation_id).second);
    ASSERT_EQ(s.workflow_member["definition"].size(), 1u);
    EXPECT_EQ(s.workflow_member["definition"][0],
              "https://traceport.dev/workflows/" + s.workflow + "-import/v1");
    EXPECT_TRUE(std::regex_match(s.workflow_member["instance"][0].get<std::string>(), urn_uuid));
    std::set<std::string> keys;
    for (const DemoDocument& d : s.documents) {
      EXPECT_TRUE(keys.insert(d.key).second) << s.id << " " << d.key;
      EXPECT_EQ(DemoSchemaId(d.type), "https://traceport.dev/schemas/" + d.type + "/v1.json");
      if (!d.shared_key.empty()) doe.insert(d.ToJson().dump());
      Walk(d.subject, "", [&](const json& obj, const std::string& ptr) {
        if (obj.contains("unitCode")) {
          EXPECT_TRUE(std::regex_match(obj["value"].get<std::string>(), decimal))
              << s.id << " " << d.key << ptr;
        }
        if (obj.contains("currency")) {
          EXPECT_TRUE(std::regex_match(obj["value"].get<std::string>(), decimal)) << ptr;
        }
        for (const auto& [k, v] : obj.items()) {
          if (k.size() > 4 && k.substr(k.size() - 4) == "Date" && k != "signatureDate") {
            EXPECT_TRUE(std::regex_match(v.get<std::string>(), date) ||
                        std::regex_match(v.get<std::string>(), date_time))
                << s.id << " " << d.key << ptr << "/" << k << " = " << v;
          }
        }
      });
    }
    if (s.workflow == "steel") {
      EXPECT_EQ(s.documents.size(), 9u);
    } else if (s.workflow == "crude-oil") {
      EXPECT_GE(s.documents.size(), 6u);
      EXPECT_LE(s.documents.size(), 7u);
    } else {
      EXPECT_EQ(s.documents.size(), 4u);
    }
  }
  // One DOE authorization, presented again every gas month.
  EXPECT_EQ(doe.size(), 1u);
}

// The scenario against the rule set compiled into the binary, with the verification failures
// the node would report for the planted credential problems (the node fills failed_checks and
// issuer_registered; here they are what the scenario planted). Every planted problem's rule
// fires on its shipment; clean shipments raise no finding at all.
TEST(DemoScenarioTest, TheRuleSetCatchesEveryPlantedProblemAndNothingElse) {
  for (uint64_t seed : {7u, 31u}) {
    const DemoScenario sc = Build(seed);
    std::map<std::string, std::string> expected;
    for (const DemoProblem& p : sc.problems) expected[p.shipment_id] = p.rule_id;
    for (const DemoShipment& s : sc.shipments) {
      SCOPED_TRACE(s.id);
      std::vector<SubmittedCredential> creds;
      for (const DemoDocument& d : s.documents) {
        SubmittedCredential c;
        c.id = "urn:uuid:" + s.id + "-" + d.key;
        c.types = {"VerifiableCredential", d.type};
        c.issuer = "did:web:localhost:organizations:" + d.issuer;
        c.document = {{"@context", json::array({"https://www.w3.org/ns/credentials/v2",
                                                "https://w3id.org/traceability/v1"})},
                      {"id", c.id},
                      {"type", c.types},
                      {"issuer", c.issuer},
                      {"credentialSubject", d.subject}};
        const bool admitted = sc.FindOrganization(d.issuer)->admitted;
        c.issuer_registered = admitted;
        if (!admitted) c.failed_checks.emplace_back("issuer-accredited", "not in the registry");
        if (d.revoke_after_issue) c.failed_checks.emplace_back("status", "revoked");
        if (d.tamper) c.failed_checks.emplace_back("proof", "the signature does not verify");
        c.anchored_at = s.issue_at;
        creds.push_back(std::move(c));
      }
      ShipmentContext context;
      context.submission_id = s.presentation_id;
      context.submitter = "did:web:localhost:organizations:" + s.holder;
      context.received_at = s.submit_at;
      const RuleOutcome out = RuleSet::Builtin().Run(creds, context);
      std::set<std::string> fired;
      for (const Finding& f : out.findings) fired.insert(f.rule_id);
      auto it = expected.find(s.id);
      if (it == expected.end()) {
        for (const Finding& f : out.findings) {
          ADD_FAILURE() << "clean shipment: " << f.rule_id << " " << SeverityName(f.severity)
                        << ": " << f.explanation;
        }
        EXPECT_EQ(out.risk, 0);
      } else {
        EXPECT_THAT(fired, Contains(it->second)) << s.problem;
        EXPECT_GT(out.risk, 0);
      }
    }
  }
}

}  // namespace
}  // namespace traceport::customs
