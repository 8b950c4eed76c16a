#include "customs/demo.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iterator>
#include <random>
#include <set>
#include <utility>

#include "registry/identifiers.h"

namespace traceport::customs {
namespace {

using nlohmann::json;

constexpr int64_t kHour = 3600;
constexpr int64_t kDay = 24 * kHour;

// The workflows and the problems planted in them.
constexpr const char* kSteel = "steel";
constexpr const char* kCrude = "crude-oil";
constexpr const char* kGas = "natural-gas";

// Organization slugs.
constexpr const char* kCbp = "cbp";
constexpr const char* kAuthority = "trade-registry";
constexpr const char* kSima = "commerce-sima";
constexpr const char* kDoe = "doe-fecm";
constexpr const char* kMill = "acero-norte";
constexpr const char* kImporter = "gulf-coast-steel";
constexpr const char* kBroker = "rio-bravo-customs";
constexpr const char* kCarrier = "lone-star-freight";
constexpr const char* kProducer = "prairie-ridge";
constexpr const char* kPipeline = "northern-plains-pipeline";
constexpr const char* kRefiner = "bighorn-refining";
constexpr const char* kMarketer = "cascade-gas";
constexpr const char* kTrader = "pacific-rim-metals";

// ---------------------------------------------------------------------------------------------
// Randomness: the engine's 64-bit words turned into integers by our own arithmetic, so that a
// seed means the same scenario with every standard library.

class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}

  // Uniform in [lo, hi]. Draws below 2^64 mod span are rejected so that every value is equally
  // likely.
  int64_t Between(int64_t lo, int64_t hi) {
    const uint64_t span = static_cast<uint64_t>(hi - lo) + 1;
    const uint64_t threshold = (uint64_t{0} - span) % span;
    uint64_t x = engine_();
    while (x < threshold) x = engine_();
    return lo + static_cast<int64_t>(x % span);
  }
  bool Chance(int percent) { return Between(0, 99) < percent; }
  template <typename T>
  void Shuffle(std::vector<T>& v) {
    for (size_t i = v.size(); i > 1; --i) {
      std::swap(v[i - 1], v[static_cast<size_t>(Between(0, static_cast<int64_t>(i) - 1))]);
    }
  }
  std::string Digits(int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += static_cast<char>('0' + Between(0, 9));
    return out;
  }
  // "urn:uuid:" and a version-4 UUID made of the engine's bits.
  std::string UrnUuid() {
    uint64_t hi = engine_();
    uint64_t lo = engine_();
    hi = (hi & ~uint64_t{0xF000}) | 0x4000;                      // version 4
    lo = (lo & ~(uint64_t{0xC} << 60)) | (uint64_t{0x8} << 60);  // RFC 9562 variant
    char buf[64];
    std::snprintf(buf, sizeof buf, "urn:uuid:%08llx-%04llx-%04llx-%04llx-%012llx",
                  static_cast<unsigned long long>(hi >> 32),
                  static_cast<unsigned long long>((hi >> 16) & 0xFFFF),
                  static_cast<unsigned long long>(hi & 0xFFFF),
                  static_cast<unsigned long long>(lo >> 48),
                  static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFULL));
    return buf;
  }

 private:
  std::mt19937_64 engine_;
};

// ---------------------------------------------------------------------------------------------
// Numbers and dates as the documents write them.

// `units` counted in 10^-decimals: Fixed(12345, 2) == "123.45". Never negative here.
std::string Fixed(int64_t units, int decimals) {
  std::string digits = std::to_string(units);
  if (decimals == 0) return digits;
  if (static_cast<int>(digits.size()) <= decimals) {
    digits.insert(0, static_cast<size_t>(decimals) + 1 - digits.size(), '0');
  }
  digits.insert(digits.size() - static_cast<size_t>(decimals), ".");
  return digits;
}

json Measure(const std::string& value, const char* unit) {
  return {{"value", value}, {"unitCode", unit}};
}
json Kilograms(int64_t kg) { return Measure(std::to_string(kg), "KGM"); }
json Usd(int64_t cents) { return {{"value", Fixed(cents, 2)}, {"currency", "USD"}}; }
json Hts(const std::string& code) {
  return {{"commodityCode", code}, {"commodityCodeType", "HTS"}};
}

std::chrono::sys_days DaysOf(int64_t unix) {
  return std::chrono::floor<std::chrono::days>(
      std::chrono::sys_seconds(std::chrono::seconds(unix)));
}
int64_t UnixOf(std::chrono::sys_days d) {
  return std::chrono::duration_cast<std::chrono::seconds>(d.time_since_epoch()).count();
}
int64_t DayStart(int64_t unix) { return UnixOf(DaysOf(unix)); }

std::string DateOf(int64_t unix) {
  const std::chrono::year_month_day ymd(DaysOf(unix));
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}
std::string DateTimeOf(int64_t unix) {
  const int64_t in_day = unix - DayStart(unix);
  char buf[16];
  std::snprintf(buf, sizeof buf, "T%02d:%02d:%02dZ", static_cast<int>(in_day / kHour),
                static_cast<int>(in_day % kHour / 60), static_cast<int>(in_day % 60));
  return DateOf(unix) + buf;
}
std::string YearDigits(int64_t unix) { return DateOf(unix).substr(2, 2); }

// The calendar month before the one `unix` falls in.
std::chrono::year_month MonthBefore(int64_t unix) {
  const std::chrono::year_month_day ymd(DaysOf(unix));
  return std::chrono::year_month(ymd.year(), ymd.month()) - std::chrono::months(1);
}
std::string MonthText(std::chrono::year_month ym) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u", static_cast<int>(ym.year()),
                static_cast<unsigned>(ym.month()));
  return buf;
}
int64_t MonthStart(std::chrono::year_month ym) {
  return UnixOf(std::chrono::sys_days(ym / std::chrono::day(1)));
}
int DaysIn(std::chrono::year_month ym) {
  const std::chrono::sys_days first(ym / std::chrono::day(1));
  const std::chrono::sys_days next((ym + std::chrono::months(1)) / std::chrono::day(1));
  return static_cast<int>((next - first).count());
}

// ---------------------------------------------------------------------------------------------
// Check digits, so that every identifier the registry receives validates.

// Appends the Luhn check digit (the Canadian BN root's ninth digit).
std::string WithLuhn(const std::string& digits) {
  int sum = 0;
  bool twice = true;  // the payload's last digit is second from the right once the check is on
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    int d = *it - '0';
    if (twice) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    twice = !twice;
  }
  return digits + static_cast<char>('0' + (10 - sum % 10) % 10);
}

// The SAT's value of an RFC character (ASCII letters, digits, '&' and space only here).
int RfcValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'N') return c - 'A' + 10;
  if (c == '&') return 24;
  if (c >= 'O' && c <= 'Z') return c - 'O' + 25;
  return 37;  // space
}

// Appends the mod-11 check character to the first 11 (legal entity) or 12 characters of an RFC.
std::string WithRfcCheck(const std::string& first) {
  const std::string padded = std::string(12 - first.size(), ' ') + first;
  int sum = 0;
  for (int i = 0; i < 12; ++i) sum += RfcValue(padded[static_cast<size_t>(i)]) * (13 - i);
  const int check = (11 - sum % 11) % 11;
  return first + (check == 10 ? 'A' : static_cast<char>('0' + check));
}

std::string Lei(const std::string& first18) { return first18 + registry::LeiCheckDigits(first18); }

std::string Gln(const std::string& first12) {
  return first12 + static_cast<char>('0' + registry::Gs1CheckDigit(first12));
}

std::string Mid(const registry::MidInput& in) {
  Result<std::string> mid = registry::BuildMid(in);
  return mid.ok() ? *mid : std::string();  // the inputs below are fixed and valid
}

// ---------------------------------------------------------------------------------------------
// The organizations: the same for every seed.

json Address(const char* street, const char* city, const char* region, const char* postal,
             const char* country) {
  return {{"streetAddress", street},
          {"addressLocality", city},
          {"addressRegion", region},
          {"postalCode", postal},
          {"addressCountry", country}};
}

std::vector<DemoOrganization> Organizations() {
  std::vector<DemoOrganization> out;
  auto add = [&](const char* slug, const char* name, const char* description,
                 std::vector<std::string> roles, const char* country, json address,
                 std::map<std::string, std::string> ids, std::vector<std::string> types,
                 bool admitted) {
    out.push_back({slug, name, description, std::move(roles), country, std::move(address),
                   std::move(ids), std::move(types), admitted});
  };
  add(kCbp, "U.S. Customs and Border Protection",
      "receives every shipment's presentation before arrival and runs the rules", {"customs"}, "US",
      Address("1300 Pennsylvania Avenue NW", "Washington", "DC", "20229", "US"), {}, {}, false);
  add(kAuthority, "North American Trade Registry Authority",
      "admits the legitimate actors and the credential types each may issue",
      {"registry-authority"}, "US",
      Address("600 Congress Avenue, Suite 1400", "Austin", "TX", "78701", "US"), {}, {}, false);
  add(kSima, "U.S. Department of Commerce, Steel Import Monitoring and Analysis",
      "issues SIMA steel import licences", {"licensing-authority"}, "US",
      Address("1401 Constitution Avenue NW", "Washington", "DC", "20230", "US"), {},
      {"SIMASteelImportLicenseCredential"}, true);
  add(kDoe, "U.S. Department of Energy, Office of Fossil Energy and Carbon Management",
      "issues natural gas import authorizations", {"licensing-authority"}, "US",
      Address("1000 Independence Avenue SW", "Washington", "DC", "20585", "US"), {},
      {"DOEImportAuthorizationCredential"}, true);
  add(kMill, "Acero Norte Siderúrgica, S.A. de C.V.",
      "Mexican steel mill: melts, pours, rolls and exports plate and sheet",
      {"mill", "manufacturer", "exporter"}, "MX",
      Address("Av. Industrial 2450", "Santa Catarina", "NL", "66350", "MX"),
      {{"rfc", WithRfcCheck("ANS980412K2")},
       {"mid", Mid({"MX", "", "Acero Norte Siderurgica", "Av. Industrial 2450", "Santa Catarina"})},
       {"gln", Gln("750104872031")},
       {"lei", Lei("4469000ANS7QK2M5R8")}},
      {"MillTestReportCredential", "CommercialInvoiceCredential", "PackingListCredential",
       "USMCACertificationOfOrigin"},
      true);
  add(kImporter, "Gulf Coast Steel Supply LLC",
      "US steel service centre importing Mexican plate and sheet", {"importer"}, "US",
      Address("8800 Clinton Drive", "Houston", "TX", "77029", "US"),
      {{"ein", "76-4120938"},
       {"ior", "76-412093800"},
       {"lei", Lei("5493007GCS3SUPPLY1")},
       {"duns", "081947352"}},
      {"PurchaseOrderCredential"}, true);
  add(kBroker, "Rio Bravo Customs Brokerage, Inc.",
      "licensed customs broker filing entries at Laredo (filer code RBX)", {"broker"}, "US",
      Address("1220 Santa Ursula Avenue", "Laredo", "TX", "78040", "US"),
      {{"ein", "74-2950614"}, {"duns", "146203998"}},
      {"CBP3461EntryCredential", "CBP7501EntrySummaryCredential"}, true);
  add(kCarrier, "Lone Star Cross-Border Freight LLC",
      "road carrier hauling steel from Monterrey to Laredo (SCAC LSXF)", {"carrier"}, "US",
      Address("4102 Mines Road", "Laredo", "TX", "78041", "US"),
      {{"ein", "75-3318207"}, {"gln", Gln("086000417725")}}, {"MultiModalBillOfLadingCredential"},
      true);
  add(kProducer, "Prairie Ridge Energy Ltd.",
      "Alberta crude producer shipping heavy and light blends to the US", {"producer", "exporter"},
      "CA", Address("500 4 Avenue SW, Suite 2100", "Calgary", "AB", "T2P 2V6", "CA"),
      {{"bn", WithLuhn("86421357") + "RM0001"},
       {"lei", Lei("5493001PRE8RIDGE0C")},
       {"gln", Gln("754091320046")}},
      {"OilAndGasProductCredential", "USMCACertificationOfOrigin"}, true);
  add(kPipeline, "Northern Plains Pipeline Company",
      "operates the cross-border crude and natural gas pipelines; nominal consignee", {"carrier"},
      "US", Address("1801 Burdick Expressway East", "Minot", "ND", "58701", "US"),
      {{"ein", "81-0627415"}, {"gln", Gln("086000529104")}, {"lei", Lei("5493004NPPIPE71LN2")}},
      {"OilAndGasDeliveryTicketCredential", "DeliveryScheduleCredential",
       "DeliveryStatementCredential", "MonthlyAggregateDeliveryStatementCredential"},
      true);
  add(kRefiner, "Bighorn Refining Company", "US refiner importing Canadian crude by pipeline",
      {"importer"}, "US", Address("2300 Refinery Road", "Laurel", "MT", "59044", "US"),
      {{"ein", "84-1937260"}, {"ior", "84-193726000"}, {"lei", Lei("5493002BHR4REFIN8G")}},
      {"PurchaseOrderCredential"}, true);
  add(kMarketer, "Cascade Gas Marketing Inc.",
      "natural gas marketer importing Canadian gas under a DOE authorization",
      {"importer", "exporter"}, "US",
      Address("421 West Riverside Avenue, Suite 900", "Spokane", "WA", "99201", "US"),
      {{"ein", "91-2284571"}, {"ior", "91-228457100"}, {"lei", Lei("5493006CGM2GAS9X4K")}},
      {"MonthlyAdvanceManifestCredential", "USMCACertificationOfOrigin"}, true);
  add(kTrader, "Pacific Rim Metals Trading Limited",
      "steel trading company the registry never admitted; it issues a mill certificate anyway",
      {"exporter"}, "HK", Address("88 Canton Road, Tsim Sha Tsui", "Kowloon", "HK", "999077", "HK"),
      {{"lei", Lei("2549008PRM6TRADE3H")}}, {"MillTestReportCredential"}, false);
  return out;
}

// A party as the documents name it: name, address and the identifiers a counterparty knows it
// by (the tax id is the national one: EIN, RFC or BN).
json Party(const DemoOrganization& o) {
  json p = {{"name", o.name}, {"location", {{"address", o.address}}}};
  auto id = [&](const char* scheme) -> std::string {
    auto it = o.identifiers.find(scheme);
    return it == o.identifiers.end() ? std::string() : it->second;
  };
  if (!id("lei").empty()) p["leiCode"] = id("lei");
  if (!id("gln").empty()) p["globalLocationNumber"] = id("gln");
  for (const char* scheme : {"ein", "rfc", "bn"}) {
    if (!id(scheme).empty()) {
      p["taxId"] = id(scheme);
      break;
    }
  }
  if (o.slug == kCarrier) p["scac"] = "LSXF";
  return p;
}

json Person(const char* first, const char* last, const char* title) {
  return {{"firstName", first}, {"lastName", last}, {"jobTitle", title}};
}

json Certifier(const char* name, const char* title, const DemoOrganization& org, const char* phone,
               const char* email) {
  return {{"name", name},           {"jobTitle", title},    {"organization", {{"name", org.name}}},
          {"address", org.address}, {"phoneNumber", phone}, {"email", email}};
}

// The USMCA (Annex 5-A) certification statement, in our words.
constexpr const char* kUsmcaStatement =
    "I certify that the goods described in this document qualify as originating and that the "
    "information in this document is true and accurate. I take responsibility for proving these "
    "representations and will keep, and present on request or during a verification visit, the "
    "documents needed to support this certification.";

// ---------------------------------------------------------------------------------------------
// Steel

struct SteelProduct {
  const char* hts;
  const char* description;
  const char* standard;
  const char* grade;
  const char* product_id;  // the mill's product code on the certificate
  bool coil;
  int piece_kg;  // plates: the weight of one plate; coils: 0 (each coil is weighed)
  // Ladle analysis ranges, thousandths of a percent: c, mn, p, s, si; then one optional element.
  int chem[5][2];
  const char* extra_element;
  int extra[2];
  // Mechanical ranges: yield and tensile (MPa), elongation (%).
  int yield[2], tensile[2], elongation[2];
  json dimensions;
};

const std::vector<SteelProduct>& SteelProducts() {
  static const auto* products = new std::vector<SteelProduct>{
      {"7208.51.0030",
       "Hot-rolled carbon steel plate, universal mill, 12.7 x 2438 x 6096 mm",
       "ASTM A36/A36M",
       "A36",
       "PL-A36-12.7X2438X6096",
       false,
       1482,
       {{150, 210}, {800, 1050}, {8, 20}, {3, 12}, {150, 300}},
       "cu",
       {50, 180},
       {265, 330},
       {430, 510},
       {23, 30},
       {{"thickness", Measure("12.7", "MMT")},
        {"width", Measure("2438", "MMT")},
        {"length", Measure("6096", "MMT")}}},
      {"7208.52.0000",
       "Hot-rolled high-strength low-alloy steel plate, 9.5 x 2438 x 6096 mm",
       "ASTM A572/A572M",
       "Grade 50",
       "PL-572G50-9.5X2438X6096",
       false,
       1108,
       {{120, 180}, {1100, 1350}, {8, 18}, {2, 8}, {150, 350}},
       "nbCb",
       {15, 30},
       {360, 420},
       {480, 560},
       {20, 26},
       {{"thickness", Measure("9.5", "MMT")},
        {"width", Measure("2438", "MMT")},
        {"length", Measure("6096", "MMT")}}},
      {"7209.16.0091",
       "Cold-rolled carbon steel sheet in coils, 1.5 x 1219 mm",
       "ASTM A1008/A1008M",
       "CS Type B",
       "CR-CSB-1.5X1219-C",
       true,
       0,
       {{30, 60}, {200, 400}, {5, 15}, {4, 12}, {5, 30}},
       "al",
       {20, 60},
       {170, 250},
       {300, 360},
       {34, 42},
       {{"thickness", Measure("1.5", "MMT")}, {"width", Measure("1219", "MMT")}}},
      {"7210.49.0091",
       "Hot-dip galvanized steel sheet in coils, G90, 0.9 x 1219 mm",
       "ASTM A653/A653M",
       "CS Type B, G90",
       "GI-CSB-G90-0.9X1219-C",
       true,
       0,
       {{30, 70}, {200, 450}, {5, 18}, {4, 12}, {5, 30}},
       "al",
       {20, 60},
       {220, 300},
       {320, 380},
       {30, 38},
       {{"thickness", Measure("0.9", "MMT")}, {"width", Measure("1219", "MMT")}}},
  };
  return *products;
}

struct Heat {
  std::string number;
  int pieces = 0;
  int64_t net_kg = 0;
  int64_t gross_kg = 0;
  int packages = 0;
};

class Builder {
 public:
  Builder(const DemoOptions& o, std::vector<DemoOrganization> orgs)
      : rng_(o.seed), orgs_(std::move(orgs)) {
    for (const DemoOrganization& org : orgs_) by_slug_[org.slug] = &org;
  }

  Rng& rng() { return rng_; }
  const DemoOrganization& Org(const char* slug) const { return *by_slug_.at(slug); }
  std::vector<DemoOrganization> TakeOrganizations() { return std::move(orgs_); }

  // A fresh value from `make`, never handed out before in this scenario.
  template <typename F>
  std::string Unique(F make) {
    std::string v = make();
    while (!used_.insert(v).second) v = make();
    return v;
  }

  // `holder`: the importer or broker that submits; "" picks one at random.
  void BuildSteel(DemoShipment& s, const std::string& problem, const std::string& holder = "");
  void BuildCrude(DemoShipment& s, const std::string& problem);
  void BuildGas(DemoShipment& s, const std::string& problem, int gas_index, int64_t now);

 private:
  json DoeAuthorizationSubject(int64_t now);
  json MtrSubject(const SteelProduct& p, const std::vector<Heat>& heats, const DemoShipment& s,
                  const std::string& po, const std::string& departure, bool via_trader,
                  const char* melt_country);

  Rng rng_;
  std::vector<DemoOrganization> orgs_;
  std::map<std::string, const DemoOrganization*> by_slug_;
  std::set<std::string> used_;
  std::optional<DemoDocument> doe_;  // the marketer's authorization, built once
};

json Builder::MtrSubject(const SteelProduct& p, const std::vector<Heat>& heats,
                         const DemoShipment& s, const std::string& po, const std::string& departure,
                         bool via_trader, const char* melt_country) {
  const std::string yy = YearDigits(s.issue_at);
  const std::string number =
      Unique([&] { return (via_trader ? "PRM-QC-" : "ANS-MTR-") + yy + rng_.Digits(5); });
  json inspections = json::array();
  for (const Heat& h : heats) {
    json chem = json::object();
    const char* names[5] = {"c", "mn", "p", "s", "si"};
    for (int i = 0; i < 5; ++i) chem[names[i]] = Fixed(rng_.Between(p.chem[i][0], p.chem[i][1]), 3);
    chem[p.extra_element] = Fixed(rng_.Between(p.extra[0], p.extra[1]), 3);
    json mech = {
        {"yield", Measure(std::to_string(rng_.Between(p.yield[0], p.yield[1])), "MPA")},
        {"tensile", Measure(std::to_string(rng_.Between(p.tensile[0], p.tensile[1])), "MPA")},
        {"elongation",
         Measure(std::to_string(rng_.Between(p.elongation[0], p.elongation[1])), "P1")}};
    inspections.push_back(
        {{"productIdentifier", p.product_id},
         {"heatNumber", h.number},
         {"testNumber", "T" + h.number.substr(2)},
         {"productDimensions", p.dimensions},
         {"pieces", h.pieces},
         {"totalWeight", Kilograms(h.net_kg)},
         {"countryOfManufacture", "MX"},
         {"countryOfMeltAndPour", melt_country},
         {"meltPractice", "Electric arc furnace, ladle refined, continuously cast"},
         {"chemicalComposition", chem},
         {"mechanicalProperties", mech}});
  }
  json subject = {
      {"certificateNumber", number},
      {"certification", "EN 10204 3.1"},
      {"purchaseOrderNumber", po},
      {"shipmentDate", departure},
      {"meansOfTransport", "Road"},
      {"manufacturer", Party(Org(kMill))},
      {"customer", Party(Org(kImporter))},
      {"productSpecification",
       {{"standard", p.standard},
        {"grade", p.grade},
        {"productDescription", p.description},
        {"commodity", Hts(p.hts)}}},
      {"inspections", inspections},
      {"complianceStatement",
       "We certify that the products described above were manufactured and tested in accordance "
       "with the order and the product standard, and that the results meet its requirements."},
      {"inspectionRepresentative",
       via_trader ? Person("Kelvin", "Lau", "Quality Documentation Officer")
                  : Person("Mariana", "Treviño Garza", "Jefa de Aseguramiento de Calidad")}};
  if (via_trader) subject["remarks"] = "Certificate reissued by the trading company for the buyer.";
  return subject;
}

void Builder::BuildSteel(DemoShipment& s, const std::string& problem, const std::string& holder) {
  const DemoOrganization& mill = Org(kMill);
  const DemoOrganization& importer = Org(kImporter);
  const DemoOrganization& broker = Org(kBroker);
  const DemoOrganization& carrier = Org(kCarrier);
  const SteelProduct& p = SteelProducts()[static_cast<size_t>(
      rng_.Between(0, static_cast<int64_t>(SteelProducts().size()) - 1))];
  s.holder = rng_.Chance(70) ? kBroker : kImporter;
  if (!holder.empty()) s.holder = holder;
  const std::string yy = YearDigits(s.issue_at);

  // The goods: one to three heats, weighed in kilograms; plates go in bundles of four.
  std::vector<Heat> heats(static_cast<size_t>(rng_.Between(1, 3)));
  for (Heat& h : heats) {
    h.number = Unique([&] { return "AN" + yy + rng_.Digits(5); });
    if (p.coil) {
      h.pieces = static_cast<int>(rng_.Between(1, 2));
      h.net_kg = 0;
      for (int i = 0; i < h.pieces; ++i) h.net_kg += rng_.Between(800, 1300) * 10;
      h.packages = h.pieces;
      h.gross_kg = h.net_kg + h.net_kg * 3 / 1000;  // skids and strapping
    } else {
      h.pieces = static_cast<int>(rng_.Between(6, 14));
      h.net_kg = int64_t{h.pieces} * p.piece_kg;
      h.packages = (h.pieces + 3) / 4;
      h.gross_kg = h.net_kg + h.net_kg * 4 / 1000;  // dunnage
    }
  }
  int64_t net = 0, gross = 0;
  int packages = 0;
  for (const Heat& h : heats) {
    net += h.net_kg;
    gross += h.gross_kg;
    packages += h.packages;
  }
  // USD per tonne, a multiple of ten so that every line comes to whole cents.
  const int64_t per_tonne = rng_.Between(76, 98) * 10;
  auto cents = [&](int64_t kg) { return kg * per_tonne / 10; };
  const int64_t total_cents = cents(net);

  // Dates: arrival at Laredo at least four calendar days after the submission (so the lead time
  // is over three days however a date is read) — or, for the late shipment, the day before the
  // documents were even issued.
  const int64_t arrival = problem == "late-data"
                              ? DayStart(s.issue_at) - kDay
                              : DayStart(s.submit_at) + rng_.Between(4, 9) * kDay;
  s.arrival_at = arrival;
  const std::string arrival_date = DateOf(arrival);
  const std::string departure_date = DateOf(arrival - kDay);

  const std::string po = Unique([&] { return "GCS-PO-" + yy + "-" + rng_.Digits(4); });
  const std::string invoice_no = Unique([&] { return "ANS-F" + yy + "-" + rng_.Digits(5); });
  const std::string bol = Unique([&] { return "LSXF" + rng_.Digits(7); });
  const std::string entry = Unique([&] { return "RBX-" + rng_.Digits(7) + "-" + rng_.Digits(1); });
  const std::string licence = Unique([&] { return "S" + yy + "-MX-" + rng_.Digits(7); });
  const std::string mid = mill.identifiers.at("mid");
  const std::string ior = importer.identifiers.at("ior");
  const json laredo = {
      {"locationName", "Laredo, TX"}, {"unLocode", "USLRD"}, {"usPortCode", "2304"}};

  // The heat numbers the commercial documents carry: the mill's, except in the shipment where
  // one of them was mistyped into a heat the certificate does not list.
  std::vector<std::string> doc_heats;
  for (const Heat& h : heats) doc_heats.push_back(h.number);
  if (problem == "heat-numbers-mismatch") {
    std::string& h = doc_heats[0];
    h = Unique([&] {
      std::string v = h;
      v.back() = static_cast<char>('0' + (v.back() - '0' + 1 + rng_.Between(0, 7)) % 10);
      return v;
    });
  }

  auto add = [&](std::string key, const char* issuer, const char* type, json subject) {
    DemoDocument d;
    d.key = std::move(key);
    d.issuer = issuer;
    d.type = type;
    d.subject = std::move(subject);
    s.documents.push_back(std::move(d));
    return &s.documents.back();
  };

  // Purchase order (the importer), weeks before.
  add("purchase-order", kImporter, "PurchaseOrderCredential",
      {{"purchaseOrderNumber", po},
       {"orderDate", DateOf(s.issue_at - rng_.Between(12, 30) * kDay)},
       {"buyer", Party(importer)},
       {"seller", Party(mill)},
       {"shipToParty", Party(importer)},
       {"itemsOrdered",
        json::array({{{"lineNumber", 1},
                      {"description", p.description},
                      {"commodity", Hts(p.hts)},
                      {"quantity", Kilograms(net)},
                      {"unitPrice", {{"value", Fixed(per_tonne, 3)}, {"currency", "USD"}}},
                      {"lineItemTotalPrice", Usd(total_cents)}}})},
       {"totalPaymentDue", Usd(total_cents)}});

  // Mill test report: the mill's own, or the unregistered trader's.
  const bool via_trader = problem == "unregistered-issuer";
  DemoDocument* mtr =
      add("mill-test-report", via_trader ? kTrader : kMill, "MillTestReportCredential",
          MtrSubject(p, heats, s, po, departure_date, via_trader,
                     problem == "melt-pour-mismatch" ? "CN" : "MX"));
  if (problem == "revoked-mill-certificate") mtr->revoke_after_issue = true;

  // Commercial invoice and packing list (the mill), one line per heat.
  json lines = json::array();
  json items = json::array();
  json particulars = json::array();
  for (size_t i = 0; i < heats.size(); ++i) {
    const Heat& h = heats[i];
    lines.push_back({{"lineNumber", static_cast<int>(i) + 1},
                     {"description", p.description},
                     {"purchaseOrderNumber", po},
                     {"commodity", Hts(p.hts)},
                     {"countryOfOrigin", "MX"},
                     {"freeTradeAgreement", "USMCA"},
                     {"quantity", Kilograms(h.net_kg)},
                     {"unitPrice", {{"value", Fixed(per_tonne, 3)}, {"currency", "USD"}}},
                     {"lineItemTotalPrice", Usd(cents(h.net_kg))},
                     {"netWeight", Kilograms(h.net_kg)},
                     {"grossWeight", Kilograms(h.gross_kg)},
                     {"heatNumbers", json::array({doc_heats[i]})}});
    json item = {
        {"descriptionOfPackagesAndGoods",
         std::to_string(h.packages) + (p.coil ? " coils, " : " bundles, ") + p.description},
        {"commodity", Hts(p.hts)},
        {"packageQuantity", h.packages},
        {"packagingType", p.coil ? "CL" : "BE"},
        {"netWeight", Kilograms(h.net_kg)},
        {"grossWeight", Kilograms(h.gross_kg)},
        {"countryOfOrigin", "MX"},
        {"heatNumbers", json::array({doc_heats[i]})}};
    items.push_back(item);
    json particular = item;
    particular["heatNumbers"] = json::array({h.number});
    particulars.push_back(std::move(particular));
  }
  DemoDocument* invoice = add("commercial-invoice", kMill, "CommercialInvoiceCredential",
                              {{"invoiceNumber", invoice_no},
                               {"invoiceDate", DateOf(s.issue_at)},
                               {"purchaseOrderNumbers", json::array({po})},
                               {"billOfLadingNumber", bol},
                               {"seller", Party(mill)},
                               {"buyer", Party(importer)},
                               {"consignee", Party(importer)},
                               {"portOfEntry", laredo},
                               {"originCountry", "MX"},
                               {"destinationCountry", "US"},
                               {"termsOfDelivery", "DAP"},
                               {"termsOfPayment", "Net 30 days"},
                               {"currencyOfSettlement", "USD"},
                               {"itemsShipped", lines},
                               {"packageQuantity", packages},
                               {"totalWeight", Kilograms(net)},
                               {"totalPaymentDue", Usd(total_cents)}});
  if (problem == "invoice-tampered") {
    // Someone lowered the price after the mill signed: about 60% of the real total.
    invoice->tamper =
        DemoTamper{"/credentialSubject/totalPaymentDue/value", Fixed(total_cents * 6 / 10, 2)};
  }
  add("packing-list", kMill, "PackingListCredential",
      {{"seller", Party(mill)},
       {"buyer", Party(importer)},
       {"shipFromParty", Party(mill)},
       {"shipToParty", Party(importer)},
       {"orderNumber", po},
       {"invoiceId", invoice_no},
       {"billOfLadingNumber", bol},
       {"shipmentDate", departure_date},
       {"items", items},
       {"totalNumberOfPackages", packages},
       {"totalNetWeight", Kilograms(net)},
       {"totalGrossWeight", Kilograms(gross)}});

  // Bill of lading (the carrier): Monterrey to Laredo by truck.
  add("bill-of-lading", kCarrier, "MultiModalBillOfLadingCredential",
      {{"billOfLadingNumber", bol},
       {"shippersReferences", json::array({po, invoice_no})},
       {"shipper", Party(mill)},
       {"consignee", Party(importer)},
       {"carrier", Party(carrier)},
       {"notifyParty", json::array({Party(broker)})},
       {"placeOfReceipt",
        {{"locationName", "Acero Norte plant, Santa Catarina, NL"}, {"address", mill.address}}},
       {"portOfLoading", {{"locationName", "Monterrey, NL"}, {"unLocode", "MXMTY"}}},
       {"portOfDischarge", laredo},
       {"placeOfDelivery",
        {{"locationName", "Gulf Coast Steel Supply, Houston"}, {"address", importer.address}}},
       {"mainCarriageTransportMovement",
        {{"modeOfTransport", "Truck"},
         {"carrier", Party(carrier)},
         {"conveyanceReference", "TX " + rng_.Digits(2) + "-" + rng_.Digits(4)},
         {"departureLocation", {{"locationName", "Monterrey, NL"}, {"unLocode", "MXMTY"}}},
         {"arrivalLocation", laredo},
         {"departureDate", departure_date},
         {"arrivalDate", arrival_date}}},
       {"particulars", particulars},
       {"totalNumberOfPackages", packages},
       {"termsAndConditions",
        "Received in apparent good order for carriage by road under the carrier's tariff and "
        "terms, which the shipper accepts."}});

  // SIMA licence (Commerce): valid from a couple of days before the goods move, for 75 days.
  const int64_t licence_from = DayStart(std::min(s.issue_at, arrival)) - 2 * kDay;
  DemoDocument* lic =
      add("sima-licence", kSima, "SIMASteelImportLicenseCredential",
          {{"licenseNumber", licence},
           {"customsEntryNumber", entry},
           {"licensedCompany", Party(s.holder == kBroker ? broker : importer)},
           {"importer", Party(importer)},
           {"exporter", Party(mill)},
           {"manufacturer", Party(mill)},
           {"countryOfOrigin", "MX"},
           {"countryOfExportation", "MX"},
           {"expectedPortOfEntry", laredo},
           {"expectedDateOfExport", departure_date},
           {"expectedDateOfImport", arrival_date},
           {"productInformation", json::array({{{"commodity", Hts(p.hts)},
                                                {"productDescription", p.description},
                                                {"countryOfMeltAndPour", "MX"},
                                                {"weight", Kilograms(net)},
                                                {"customsValue", Usd(total_cents)}}})}});
  lic->valid_from = licence_from;
  lic->valid_until = licence_from + 75 * kDay;

  // Entry (3461) and entry summary (7501), filed by the broker.
  json ior_party = Party(importer);
  ior_party["taxId"] = ior;
  add("cbp-3461", kBroker, "CBP3461EntryCredential",
      {{"entryNumber", entry},
       {"entryType", "01"},
       {"portOfEntry", laredo},
       {"importerOfRecord", ior_party},
       {"consignee", Party(importer)},
       {"billOfLadingNumber", bol},
       {"carrierCode", "LSXF"},
       {"estimatedArrivalDate", arrival_date},
       {"items", json::array({{{"commodity", Hts(p.hts)},
                               {"countryOfOrigin", "MX"},
                               {"manufacturerId", mid},
                               {"description", p.description},
                               {"quantity", Kilograms(net)},
                               {"enteredValue", Usd(total_cents)}}})}});
  add("cbp-7501", kBroker, "CBP7501EntrySummaryCredential",
      {{"entryNumber", entry},
       {"entryType", "01"},
       {"summaryDate", DateOf(s.issue_at)},
       {"portOfEntry", laredo},
       {"importerOfRecord", ior_party},
       {"billOfLadingNumber", bol},
       {"importDate", arrival_date},
       {"countryOfOrigin", "MX"},
       {"exportingCountry", "MX"},
       {"simaLicenseNumbers", json::array({licence})},
       {"lineItems", json::array({{{"lineNumber", 1},
                                   {"commodity", Hts(p.hts)},
                                   {"description", p.description},
                                   {"countryOfOrigin", "MX"},
                                   {"countryOfMeltAndPour", "MX"},
                                   {"manufacturerId", mid},
                                   {"netQuantity", Kilograms(net)},
                                   {"enteredValue", Usd(total_cents)},
                                   {"specialProgramIndicator", "S"},
                                   {"dutyRate", "0"}}})},
       {"totalEnteredValue", Usd(total_cents)}});

  // USMCA certification of origin (the mill, as producer).
  add("usmca-certification", kMill, "USMCACertificationOfOrigin",
      {{"certifierRole", "Producer"},
       {"certifier", Certifier("Luis Alberto Cantú Salinas", "Gerente de Comercio Exterior", mill,
                               "+52 81 8390 2450", "comercio.exterior@acero-norte.example")},
       {"exporterDetails", Party(mill)},
       {"producerDetails", Party(mill)},
       {"importerDetails", json::array({Party(importer)})},
       {"invoiceNumber", invoice_no},
       {"goods", json::array({{{"description", p.description},
                               {"commodityCode", std::string(p.hts).substr(0, 7)},
                               {"commodityCodeType", "HS"},
                               {"originCriterion", "B"},
                               {"countryOfOrigin", "MX"}}})},
       {"signatureDate", DateOf(s.issue_at)},
       {"certificationStatement", kUsmcaStatement}});
}

// ---------------------------------------------------------------------------------------------
// Crude oil by pipeline

void Builder::BuildCrude(DemoShipment& s, const std::string& problem) {
  const DemoOrganization& producer = Org(kProducer);
  const DemoOrganization& pipeline = Org(kPipeline);
  const DemoOrganization& refiner = Org(kRefiner);
  s.holder = kRefiner;
  const std::string yy = YearDigits(s.issue_at);

  // Quality: a heavy sour blend (under 25 degrees API: 2709.00.10) or a light sweet one.
  const bool wrong_line = problem == "wrong-hts";
  const bool heavy = wrong_line || rng_.Chance(55);
  const int64_t api_tenths = wrong_line ? 214
                             : heavy    ? rng_.Between(195, 235)
                                        : rng_.Between(360, 415);
  const int64_t sulphur = heavy ? rng_.Between(310, 380) : rng_.Between(30, 60);  // 0.01 %
  const std::string hts = wrong_line || !heavy ? "2709.00.20" : "2709.00.10";
  const std::string product_name = heavy ? "Crude petroleum, heavy sour blend (diluted bitumen)"
                                         : "Crude petroleum, light sweet blend";
  const std::string api = Fixed(api_tenths, 1);
  const std::string sul = Fixed(sulphur, 2);
  const std::string batch = Unique([&] { return "NPP" + yy + "-" + rng_.Digits(4); });
  const json port = heavy ? json{{"locationName", "Pembina, ND"}, {"usPortCode", "3401"}}
                          : json{{"locationName", "Sweetgrass, MT"}, {"usPortCode", "3310"}};
  const json commodity = Hts(hts);
  const json product = {{"name", product_name},
                        {"commodity", commodity},
                        {"countryOfOrigin", "CA"},
                        {"batchNumber", batch}};

  // The batch moves as two or three tickets; each ticket closes at the border at least four
  // days after the submission.
  const int tickets = static_cast<int>(rng_.Between(2, 3));
  const int64_t first_open =
      DayStart(s.submit_at) + rng_.Between(4, 7) * kDay + rng_.Between(1, 6) * kHour;
  struct Ticket {
    std::string number;
    int64_t open, close, gsv, nsv;  // volumes in 0.01 bbl
  };
  std::vector<Ticket> t(static_cast<size_t>(tickets));
  int64_t gsv_total = 0, nsv_total = 0, last_close = 0;
  for (int i = 0; i < tickets; ++i) {
    Ticket& k = t[static_cast<size_t>(i)];
    k.number = Unique([&] { return rng_.Digits(9); });
    k.open = first_open + int64_t{i} * 14 * kHour;
    k.close = k.open + rng_.Between(9, 13) * kHour;
    k.gsv = rng_.Between(2500000, 5000000);                // 25,000-50,000 bbl
    k.nsv = k.gsv - k.gsv * rng_.Between(15, 45) / 10000;  // 0.15-0.45 % sediment and water
    gsv_total += k.gsv;
    nsv_total += k.nsv;
    last_close = std::max(last_close, k.close);
  }
  s.arrival_at = t[0].close;

  auto add = [&](std::string key, const char* issuer, const char* type, json subject) {
    DemoDocument d;
    d.key = std::move(key);
    d.issuer = issuer;
    d.type = type;
    d.subject = std::move(subject);
    s.documents.push_back(std::move(d));
  };
  auto observation = [](const char* property, const std::string& value, const char* unit) {
    return json{{"property", property}, {"measurement", Measure(value, unit)}};
  };

  // The producer's product credential: where the oil comes from and what it tests at.
  // A Dominion Land Survey well identifier: legal subdivision, section, township, range west
  // of the fourth meridian.
  char uwi[40];
  std::snprintf(uwi, sizeof uwi, "100/%02d-%02d-%03d-%02dW4/00",
                static_cast<int>(rng_.Between(1, 16)), static_cast<int>(rng_.Between(1, 36)),
                static_cast<int>(rng_.Between(40, 69)), static_cast<int>(rng_.Between(10, 26)));
  const std::string sampled = DateOf(s.issue_at - rng_.Between(2, 6) * kDay);
  json api_obs = observation("API", api, "C62");
  api_obs["date"] = sampled;
  json sul_obs = observation("sulphur", sul, "P1");
  sul_obs["date"] = sampled;
  add("oil-and-gas-product", kProducer, "OilAndGasProductCredential",
      {{"product", product},
       {"facility",
        {{"locationName", "Prairie Ridge Hardisty battery"},
         {"address",
          {{"addressLocality", "Hardisty"}, {"addressRegion", "AB"}, {"addressCountry", "CA"}}}}},
       {"UWI", uwi},
       {"productionDate", DateOf(s.issue_at - rng_.Between(7, 20) * kDay)},
       {"observation", json::array({api_obs, sul_obs})}});

  // Delivery tickets (the pipeline operator).
  for (int i = 0; i < tickets; ++i) {
    const Ticket& k = t[static_cast<size_t>(i)];
    add("delivery-ticket-" + std::to_string(i + 1), kPipeline, "OilAndGasDeliveryTicketCredential",
        {{"ticketControlNumber", k.number},
         {"batchNumber", batch},
         {"openDate", DateTimeOf(k.open)},
         {"closeDate", DateTimeOf(k.close)},
         {"carrier", Party(pipeline)},
         {"consignor", Party(producer)},
         {"consignee", Party(refiner)},
         {"destination", port},
         {"product", product},
         {"notificationOfShipment", DateOf(k.open).substr(0, 7)},
         {"observation",
          json::array({observation("gsv_bbl", Fixed(k.gsv, 2), "BLL"),
                       observation("nsv_bbl", Fixed(k.nsv, 2), "BLL"),
                       observation("API", api, "C62"), observation("sulphur", sul, "P1")})}});
  }
  json numbers = json::array();
  for (const Ticket& k : t) numbers.push_back(k.number);
  add("delivery-schedule", kPipeline, "DeliveryScheduleCredential",
      {{"transporter", Party(pipeline)},
       {"batchNumber", batch},
       {"commodity", commodity},
       {"receiptLocation",
        {{"locationName", "Hardisty terminal, AB"},
         {"address",
          {{"addressLocality", "Hardisty"}, {"addressRegion", "AB"}, {"addressCountry", "CA"}}}}},
       {"deliveryDestination", port},
       {"consignor", Party(producer)},
       {"consignee", Party(refiner)},
       // Nominated in round hundreds of barrels.
       {"scheduledVolume", Measure(std::to_string((gsv_total / 100 + 50) / 100 * 100), "BLL")},
       {"scheduledDate", DateOf(first_open)}});
  add("delivery-statement", kPipeline, "DeliveryStatementCredential",
      {{"statementNumber", Unique([&] { return "NPP-DS-" + yy + rng_.Digits(5); })},
       {"batchNumber", batch},
       {"ticketControlNumbers", numbers},
       {"commodity", commodity},
       {"deliveredDate", DateOf(last_close)},
       {"deliveredVolume", Measure(Fixed(nsv_total, 2), "BLL")},
       {"carrier", Party(pipeline)},
       {"consignor", Party(producer)},
       {"destination", port}});
  add("usmca-certification", kProducer, "USMCACertificationOfOrigin",
      {{"certifierRole", "Producer"},
       {"certifier", Certifier("Heather McAllister", "Marketing Compliance Lead", producer,
                               "+1 403 555 0142", "trade.compliance@prairie-ridge.example")},
       {"exporterDetails", Party(producer)},
       {"producerDetails", Party(producer)},
       {"importerDetails", json::array({Party(refiner)})},
       {"goods", json::array({{{"description", product_name},
                               {"commodityCode", hts},
                               {"commodityCodeType", "HTS"},
                               {"originCriterion", "A"},
                               {"countryOfOrigin", "CA"}}})},
       {"signatureDate", DateOf(s.issue_at)},
       {"certificationStatement", kUsmcaStatement}});
}

// ---------------------------------------------------------------------------------------------
// Natural gas: one month of flow at one point of entry

struct GasPort {
  const char* code;
  const char* name;
  const char* meter;
};
constexpr GasPort kGasPorts[] = {
    {"3009", "Sumas, WA", "Sumas border meter station"},
    {"3302", "Eastport, ID", "Eastport border meter station"},
    {"3802", "Port Huron, MI", "St. Clair River crossing meter station"},
};

json Builder::DoeAuthorizationSubject(int64_t start) {
  const DemoOrganization& marketer = Org(kMarketer);
  json points = json::array();
  for (const GasPort& p : kGasPorts) {
    points.push_back({{"locationName", p.name}, {"usPortCode", p.code}});
  }
  return {{"authorizationNumber", YearDigits(start) + "-" + rng_.Digits(3) + "-NG"},
          {"holder", Party(marketer)},
          {"commodity", "natural gas"},
          {"sourceCountries", json::array({"CA"})},
          // 200,000 Mcf a day over the two-year term.
          {"volumeLimit", Measure("146000000", "FC")},
          {"authorizationStart", DateOf(start)},
          {"authorizationEnd", DateOf(start + 729 * kDay)},
          {"pointsOfEntry", points}};
}

void Builder::BuildGas(DemoShipment& s, const std::string& problem, int gas_index, int64_t now) {
  const DemoOrganization& marketer = Org(kMarketer);
  const DemoOrganization& pipeline = Org(kPipeline);
  s.holder = kMarketer;
  if (!doe_) {
    // The blanket authorization: a two-year term that began months ago.
    const int64_t start = DayStart(now - rng_.Between(120, 300) * kDay);
    DemoDocument d;
    d.key = "doe-authorization";
    d.issuer = kDoe;
    d.type = "DOEImportAuthorizationCredential";
    d.subject = DoeAuthorizationSubject(start);
    d.valid_from = start;
    d.valid_until = start + 730 * kDay - 1;
    d.shared_key = "doe-authorization";
    doe_ = std::move(d);
  }
  const std::string doe_number = doe_->subject["authorizationNumber"].get<std::string>();
  const std::chrono::year_month month = MonthBefore(s.submit_at);
  const std::string month_text = MonthText(month);
  const GasPort& port = kGasPorts[static_cast<size_t>(gas_index) % std::size(kGasPorts)];
  const json transporter = Party(pipeline);

  // Daily deliveries at the border meter, in thousand cubic feet.
  const int days = DaysIn(month);
  const int64_t typical = rng_.Between(35, 65) * 1000;
  json delivered = json::array();
  int64_t sum = 0;
  for (int d = 0; d < days; ++d) {
    const int64_t volume = typical + rng_.Between(-4000, 4000);
    sum += volume;
    delivered.push_back({{"deliveredDate", DateOf(MonthStart(month) + int64_t{d} * kDay)},
                         {"deliveredVolume", Measure(std::to_string(volume), "FC")},
                         {"portCode", port.code},
                         {"meterStation", port.meter},
                         {"carrier", transporter}});
  }
  // The planted problem: an aggregate a few percent above what the days add up to.
  const int64_t aggregate =
      problem == "gas-aggregate-exceeds" ? sum + sum * rng_.Between(30, 60) / 1000 : sum;
  const std::string tag = month_text.substr(2, 2) + month_text.substr(5, 2) + "-" + port.code;

  s.documents.push_back(*doe_);
  auto add = [&](std::string key, const char* issuer, const char* type, json subject) {
    DemoDocument d;
    d.key = std::move(key);
    d.issuer = issuer;
    d.type = type;
    d.subject = std::move(subject);
    s.documents.push_back(std::move(d));
  };
  add("monthly-advance-manifest", kMarketer, "MonthlyAdvanceManifestCredential",
      {{"manifestNumber", Unique([&] { return "CGM-MAM-" + tag + "-" + rng_.Digits(2); })},
       {"month", month_text},
       {"doeAuthorizationNumber", doe_number},
       {"importer", Party(marketer)},
       {"scheduledDeliveries",
        json::array({{{"portCode", port.code},
                      {"transporter", transporter},
                      {"scheduledVolume", Measure(std::to_string(typical * days), "FC")},
                      {"numberOfBatches", days},
                      {"countOfShippers", 1}}})}});
  add("monthly-aggregate-delivery-statement", kPipeline,
      "MonthlyAggregateDeliveryStatementCredential",
      {{"statementNumber", Unique([&] { return "NPP-MADS-" + tag + "-" + rng_.Digits(2); })},
       {"statementMonth", month_text},
       {"doeAuthorizationNumber", doe_number},
       {"importer", Party(marketer)},
       {"itemsDelivered", delivered},
       {"aggregateVolume", Measure(std::to_string(aggregate), "FC")}});
  const std::chrono::year_month_day last =
      std::chrono::sys_days((month + std::chrono::months(1)) / std::chrono::day(1)) -
      std::chrono::days(1);
  add("usmca-certification", kMarketer, "USMCACertificationOfOrigin",
      {{"certifierRole", "Importer"},
       {"certifier", Certifier("Daniel Okafor", "Director, Gas Supply", marketer, "+1 509 555 0187",
                               "gas.supply@cascade-gas.example")},
       {"exporterDetails", Party(marketer)},
       // Gas bought on the Canadian hub comes from many producers.
       {"variousProducers", true},
       {"importerDetails", json::array({Party(marketer)})},
       {"goods", json::array({{{"description", "Natural gas in the gaseous state"},
                               {"commodityCode", "2711.21"},
                               {"commodityCodeType", "HS"},
                               {"originCriterion", "A"},
                               {"countryOfOrigin", "CA"}}})},
       {"blanketPeriod",
        {{"startDate", DateOf(MonthStart(month))},
         {"endDate", DateOf(UnixOf(std::chrono::sys_days(last)))}}},
       {"signatureDate", DateOf(s.issue_at)},
       {"certificationStatement", kUsmcaStatement}});
}

// ---------------------------------------------------------------------------------------------
// The problems

struct ProblemSpec {
  const char* kind;
  const char* workflow;
  const char* rule_id;
  const char* description;
};

constexpr ProblemSpec kProblems[] = {
    {"melt-pour-mismatch", kSteel, "steel.melt-pour-origin",
     "The mill certificate says the steel was melted and poured in China; the SIMA licence and "
     "the entry summary say Mexico."},
    {"invoice-tampered", kSteel, "credential.proof",
     "The commercial invoice's total was lowered after the mill had signed it."},
    {"revoked-mill-certificate", kSteel, "credential.status",
     "The mill revoked its test certificate after issuing it; it was submitted anyway."},
    {"unregistered-issuer", kSteel, "identity.parties-registered",
     "The mill certificate was issued by a trading company the registry never admitted."},
    {"heat-numbers-mismatch", kSteel, "steel.heat-numbers-match",
     "A heat number on the invoice and the packing list is not on the mill certificate."},
    {"late-data", kSteel, "timing.data-earlier",
     "The documents reached customs after the truck had already arrived at Laredo."},
    {"wrong-hts", kCrude, "oil.api-gravity-hts",
     "The crude tests at 21.4 degrees API (under 25: 2709.00.10) but the tickets and the "
     "certificate of origin declare 2709.00.20."},
    {"gas-aggregate-exceeds", kGas, "gas.monthly-reconciliation",
     "The month's aggregate delivered volume is larger than the sum of its daily deliveries."},
};

std::string WorkflowDefinition(const std::string& workflow) {
  return "https://traceport.dev/workflows/" + workflow + "-import/v1";
}

}  // namespace

// ---------------------------------------------------------------------------------------------

json DemoOrganization::ToJson() const {
  return {{"slug", slug},
          {"name", name},
          {"description", description},
          {"roles", roles},
          {"country", country},
          {"address", address},
          {"identifiers", identifiers},
          {"credentialTypes", credential_types},
          {"admitted", admitted}};
}

json DemoDocument::ToJson() const {
  json j = {{"key", key}, {"issuer", issuer}, {"type", type}, {"credentialSubject", subject}};
  if (valid_from) j["validFrom"] = DateTimeOf(*valid_from);
  if (valid_until) j["validUntil"] = DateTimeOf(*valid_until);
  if (revoke_after_issue) j["revokeAfterIssue"] = true;
  if (tamper) j["tamper"] = {{"pointer", tamper->pointer}, {"value", tamper->value}};
  if (!shared_key.empty()) j["sharedKey"] = shared_key;
  return j;
}

json DemoShipment::ToJson() const {
  json docs = json::array();
  for (const DemoDocument& d : documents) docs.push_back(d.ToJson());
  json j = {{"id", id},
            {"workflow", workflow},
            {"holder", holder},
            {"customs", customs},
            {"issueAt", DateTimeOf(issue_at)},
            {"submitAt", DateTimeOf(submit_at)},
            {"presentationId", presentation_id},
            {"workflowMember", workflow_member},
            {"documents", docs}};
  if (arrival_at) j["arrivalAt"] = DateTimeOf(*arrival_at);
  if (!problem.empty()) j["problem"] = problem;
  return j;
}

json DemoProblem::ToJson() const {
  return {
      {"kind", kind}, {"shipment", shipment_id}, {"ruleId", rule_id}, {"description", description}};
}

const DemoOrganization* DemoScenario::FindOrganization(const std::string& slug) const {
  for (const DemoOrganization& o : organizations) {
    if (o.slug == slug) return &o;
  }
  return nullptr;
}

json DemoScenario::ToJson() const {
  json orgs = json::array();
  for (const DemoOrganization& o : organizations) orgs.push_back(o.ToJson());
  json ships = json::array();
  for (const DemoShipment& s : shipments) ships.push_back(s.ToJson());
  json probs = json::array();
  for (const DemoProblem& p : problems) probs.push_back(p.ToJson());
  json waiting = json::array();
  for (const DemoShipment& s : pending) waiting.push_back(s.ToJson());
  return {{"seed", seed},          {"now", DateTimeOf(now_unix)}, {"setupAt", DateTimeOf(setup_at)},
          {"organizations", orgs}, {"shipments", ships},          {"problems", probs},
          {"pending", waiting}};
}

std::string DemoSchemaId(const std::string& type) {
  return "https://traceport.dev/schemas/" + type + "/v1.json";
}

DemoScenario BuildDemoScenario(const DemoOptions& options) {
  const int n = std::clamp(options.shipments, kMinDemoShipments, kMaxDemoShipments);
  Builder b(options, Organizations());
  Rng& rng = b.rng();

  // How many of each workflow, in a shuffled order.
  const int gas = std::max(2, (n * 15 + 50) / 100);
  const int crude = std::max(2, (n * 25 + 50) / 100);
  const int steel = n - gas - crude;
  std::vector<std::string> order;
  order.insert(order.end(), static_cast<size_t>(steel), kSteel);
  order.insert(order.end(), static_cast<size_t>(crude), kCrude);
  order.insert(order.end(), static_cast<size_t>(gas), kGas);
  rng.Shuffle(order);

  // Which shipment of its workflow each problem goes to (distinct shipments: the steel
  // problems take different positions of one shuffled list).
  std::map<std::string, std::vector<int>> positions;  // workflow -> shuffled 0..count-1
  const std::vector<std::pair<std::string, int>> counts_by_workflow = {
      {kSteel, steel}, {kCrude, crude}, {kGas, gas}};
  for (const auto& [wf, count] : counts_by_workflow) {
    std::vector<int> v(static_cast<size_t>(count));
    for (int i = 0; i < count; ++i) v[static_cast<size_t>(i)] = i;
    rng.Shuffle(v);
    positions[wf] = std::move(v);
  }
  std::map<std::pair<std::string, int>, const ProblemSpec*> planted;  // (workflow, nth) -> spec
  std::map<std::string, size_t> taken;
  for (const ProblemSpec& p : kProblems) {
    const int nth = positions[p.workflow][taken[p.workflow]++];
    planted[{p.workflow, nth}] = &p;
  }

  // Time: n equal slots over the five weeks before now. Documents are issued early in a slot
  // and submitted before its middle, so every shipment's clock moments come after the previous
  // shipment's (the node is seeded by moving one clock forward).
  const int64_t window_end = options.now_unix - 2 * kHour;
  const int64_t window_start = options.now_unix - 35 * kDay;
  const int64_t slot = (window_end - window_start) / n;

  DemoScenario out;
  out.seed = options.seed;
  out.now_unix = options.now_unix;
  out.setup_at = window_start - 2 * kDay;
  std::map<std::string, int> counts;
  for (int i = 0; i < n; ++i) {
    const std::string& wf = order[static_cast<size_t>(i)];
    const int nth = counts[wf]++;
    DemoShipment s;
    char id[64];
    std::snprintf(id, sizeof id, "%s-%03d", wf.c_str(), nth + 1);
    s.id = id;
    s.workflow = wf;
    s.customs = kCbp;
    const int64_t start = window_start + int64_t{i} * slot;
    // Whole minutes, as people and systems stamp documents.
    s.issue_at = (start + rng.Between(0, slot / 4)) / 60 * 60;
    s.submit_at = (s.issue_at + rng.Between(std::max<int64_t>(slot / 8, 600), slot / 2)) / 60 * 60;
    s.presentation_id = rng.UrnUuid();
    s.workflow_member = {{"definition", json::array({WorkflowDefinition(wf)})},
                         {"instance", json::array({rng.UrnUuid()})}};
    auto it = planted.find({wf, nth});
    const ProblemSpec* spec = it == planted.end() ? nullptr : it->second;
    s.problem = spec != nullptr ? spec->kind : "";
    if (wf == kSteel) {
      b.BuildSteel(s, s.problem);
    } else if (wf == kCrude) {
      b.BuildCrude(s, s.problem);
    } else {
      b.BuildGas(s, s.problem, nth, options.now_unix);
    }
    if (spec != nullptr)
      out.problems.push_back({spec->kind, s.id, spec->rule_id, spec->description});
    out.shipments.push_back(std::move(s));
  }
  // One clean shipment left in a holder's wallet: of the first shipment's workflow and holder,
  // or a crude oil batch of the refiner when the first is a gas month (months are not left
  // open): issued after the last
  // submission (which comes before window_end), arriving in about a week.
  {
    DemoShipment s;
    const std::string wf = out.shipments.front().workflow == kSteel ? kSteel : kCrude;
    s.id = wf + "-pending-001";
    s.workflow = wf;
    s.customs = kCbp;
    s.issue_at = (window_end + kHour) / 60 * 60;
    // Not submitted by the seeder; the dates assume a person submits it within the hour.
    s.submit_at = s.issue_at + 30 * 60;
    s.presentation_id = rng.UrnUuid();
    s.workflow_member = {{"definition", json::array({WorkflowDefinition(wf)})},
                         {"instance", json::array({rng.UrnUuid()})}};
    if (wf == kSteel) {
      b.BuildSteel(s, "", out.shipments.front().holder);
    } else {
      b.BuildCrude(s, "");
    }
    out.pending.push_back(std::move(s));
  }
  out.organizations = b.TakeOrganizations();
  return out;
}

}  // namespace traceport::customs
