// Tests of the calculators: exact results to the cent and to 0.1 pp (including the rounding
// and threshold edges), the number parser, role assignment, merging follow-ups, and the
// clarifying questions for missing numbers.
#include "assist/calculators.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace traceport::assist {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

Time Day(const char* rfc3339) { return ParseRfc3339(rfc3339).value(); }

// A date in FY2026 (October 1, 2025 - September 30, 2026).
const Time kFy2026 = Day("2026-03-15T12:00:00Z");

CalcResult Compute(const std::string& text, Time today = kFy2026) {
  return Calculate(ParseCalcRequest(text), today);
}

std::vector<int64_t> Cents(const std::string& text) {
  std::vector<int64_t> out;
  for (const ParsedAmount& a : ExtractAmounts(text)) out.push_back(a.cents);
  return out;
}

TEST(ArithmeticTest, RoundsHalfAwayFromZero) {
  EXPECT_EQ(DivRoundHalfAway(5, 10), 1);
  EXPECT_EQ(DivRoundHalfAway(4, 10), 0);
  EXPECT_EQ(DivRoundHalfAway(15, 10), 2);
  EXPECT_EQ(DivRoundHalfAway(-5, 10), -1);
  EXPECT_EQ(DivRoundHalfAway(-4, 10), 0);
  EXPECT_EQ(DivRoundHalfAway(0, 7), 0);
  EXPECT_EQ(DivRoundHalfAway(2, 3), 1);
  EXPECT_EQ(DivRoundHalfAway(int64_t{100'000'000'000'000} * 3464, 1'000'000),
            int64_t{346'400'000'000});
}

TEST(ArithmeticTest, FormatsMoneyAndPercentages) {
  EXPECT_EQ(FormatMoney(0), "$0.00");
  EXPECT_EQ(FormatMoney(5), "$0.05");
  EXPECT_EQ(FormatMoney(123456), "$1,234.56");
  EXPECT_EQ(FormatMoney(100000000), "$1,000,000.00");
  EXPECT_EQ(FormatMoney(-500), "-$5.00");
  EXPECT_EQ(FormatPercent(650), "65.0%");
  EXPECT_EQ(FormatPercent(5), "0.5%");
  EXPECT_EQ(FormatPercent(1000), "100.0%");
  EXPECT_EQ(FormatPercent(-25), "-2.5%");
}

TEST(ArithmeticTest, FiscalYearStartsOnOctoberFirst) {
  EXPECT_EQ(FiscalYear(Day("2025-09-30T23:59:59Z")), 2025);
  EXPECT_EQ(FiscalYear(Day("2025-10-01T00:00:00Z")), 2026);
  EXPECT_EQ(FiscalYear(Day("2026-09-30T12:00:00Z")), 2026);
  EXPECT_EQ(FiscalYear(Day("2026-11-27T12:00:00Z")), 2027);
}

TEST(ParserTest, ReadsTheWaysTradersWriteAmounts) {
  EXPECT_EQ(Cents("$100,000"), std::vector<int64_t>{10'000'000});
  EXPECT_EQ(Cents("100k"), std::vector<int64_t>{10'000'000});
  EXPECT_EQ(Cents("100 K"), std::vector<int64_t>{10'000'000});
  EXPECT_EQ(Cents("1.5 million"), std::vector<int64_t>{150'000'000});
  EXPECT_EQ(Cents("$1.5M"), std::vector<int64_t>{150'000'000});
  EXPECT_EQ(Cents("2 billion"), std::vector<int64_t>{200'000'000'000});
  EXPECT_EQ(Cents("35,000.50"), std::vector<int64_t>{3'500'050});
  EXPECT_EQ(Cents("$57,321.45"), std::vector<int64_t>{5'732'145});
  EXPECT_EQ(Cents("0.005"), std::vector<int64_t>{1});  // half a cent rounds away from zero
  EXPECT_EQ(Cents("0.004"), std::vector<int64_t>{0});
  EXPECT_EQ(Cents("1,5 millones"), std::vector<int64_t>{150'000'000});  // decimal comma
  EXPECT_EQ(Cents("100 mil"), std::vector<int64_t>{10'000'000});        // Spanish thousand
  EXPECT_EQ(Cents("TV = 250000; VNM = 100000"), (std::vector<int64_t>{25'000'000, 10'000'000}));
  EXPECT_EQ(Cents("values 100000, 35000"), (std::vector<int64_t>{10'000'000, 3'500'000}));
}

TEST(ParserTest, SkipsNumbersThatAreNotAmounts) {
  EXPECT_TRUE(Cents("60% threshold").empty());
  EXPECT_TRUE(Cents("a 10 percent share").empty());
  EXPECT_TRUE(Cents("FY2025").empty());
  EXPECT_TRUE(Cents("in fiscal year 2026").empty());
  EXPECT_TRUE(Cents("in 2025").empty());
  EXPECT_TRUE(Cents("Art. 4.5").empty());
  EXPECT_TRUE(Cents("19 CFR 24.23").empty());
  EXPECT_TRUE(Cents("Annex 4-B").empty());
  EXPECT_TRUE(Cents("12 kg of steel").empty());
  EXPECT_TRUE(Cents("model 4x").empty());
  EXPECT_EQ(Cents("$2025"), std::vector<int64_t>{202'500});  // a dollar sign makes it money
  bool too_large = false;
  EXPECT_TRUE(ExtractAmounts("5000 billion", &too_large).empty());
  EXPECT_TRUE(too_large);
}

TEST(ParserTest, AssignsRolesFromTheWordsAround) {
  const auto roles = [](const std::string& text) {
    CalcRequest r = ParseCalcRequest(text);
    return std::make_pair(r.value_cents.value_or(-1), r.materials_cents.value_or(-1));
  };
  EXPECT_EQ(roles("RVC: value 100000, non-originating materials 35000"),
            std::make_pair(int64_t{10'000'000}, int64_t{3'500'000}));
  EXPECT_EQ(roles("RVC: non-originating materials 35000, transaction value 100000"),
            std::make_pair(int64_t{10'000'000}, int64_t{3'500'000}));
  EXPECT_EQ(roles("RVC for $100,000 transaction value with $35,000 of non-originating materials"),
            std::make_pair(int64_t{10'000'000}, int64_t{3'500'000}));
  EXPECT_EQ(roles("rvc transaction value, transaction value 12400 and value of non-originating "
                  "materials 4960"),
            std::make_pair(int64_t{1'240'000}, int64_t{496'000}));
  // Unlabelled: the larger amount is the value of the good.
  EXPECT_EQ(roles("rvc 35000 100000"), std::make_pair(int64_t{10'000'000}, int64_t{3'500'000}));
  // A labelled role decides the other.
  EXPECT_EQ(roles("rvc: vnm 40000, and 50000"),
            std::make_pair(int64_t{5'000'000}, int64_t{4'000'000}));
}

TEST(ParserTest, DetectsCalculatorAndContext) {
  EXPECT_EQ(ParseCalcRequest("RVC 100 50").calculator, Calculator::kRvcTransactionValue);
  EXPECT_EQ(ParseCalcRequest("regional value content").calculator,
            Calculator::kRvcTransactionValue);
  EXPECT_EQ(ParseCalcRequest("net cost 100 vnm 50").calculator, Calculator::kRvcNetCost);
  EXPECT_EQ(ParseCalcRequest("de minimis check").calculator, Calculator::kDeMinimis);
  EXPECT_EQ(ParseCalcRequest("merchandise processing fee").calculator, Calculator::kMpf);
  EXPECT_EQ(ParseCalcRequest("harbour maintenance fee").calculator, Calculator::kHmf);
  EXPECT_EQ(ParseCalcRequest("what is a certification").calculator, Calculator::kNone);
  // De minimis requests mention the transaction value too.
  EXPECT_EQ(ParseCalcRequest("de minimis: materials 8000, transaction value 100000").calculator,
            Calculator::kDeMinimis);

  CalcRequest r = ParseCalcRequest("calculate the MPF on USMCA-originating goods for FY25");
  EXPECT_TRUE(r.compute_verb);
  EXPECT_EQ(r.fiscal_year, 2025);
  EXPECT_EQ(r.originating, true);
  EXPECT_FALSE(ParseCalcRequest("how much is the MPF").compute_verb);
  EXPECT_EQ(ParseCalcRequest("MPF on non-originating goods").originating, false);
  EXPECT_EQ(ParseCalcRequest("MPF, goods that do not qualify").originating, false);
  EXPECT_EQ(ParseCalcRequest("HMF by truck").transport, Transport::kOther);
  EXPECT_EQ(ParseCalcRequest("HMF, ocean freight then truck").transport, Transport::kVessel);
  EXPECT_EQ(ParseCalcRequest("RVC for cars").automotive, true);
  EXPECT_TRUE(ParseCalcRequest("RVC for heavy trucks").heavy_truck);
  EXPECT_TRUE(ParseCalcRequest("RVC for an auto part").auto_parts);
  EXPECT_TRUE(ParseCalcRequest("de minimis for a Section 321 package").low_value_shipment);
}

TEST(RvcTest, TransactionValueMethod) {
  CalcResult r = Compute("RVC transaction value: value 100000, non-originating materials 35000");
  ASSERT_TRUE(r.complete) << r.text;
  EXPECT_EQ(r.calculator, Calculator::kRvcTransactionValue);
  EXPECT_EQ(r.percent_tenths, 650);
  EXPECT_EQ(r.passes, true);
  EXPECT_THAT(r.text, HasSubstr("RVC = (TV - VNM) / TV x 100"));
  EXPECT_THAT(r.text, HasSubstr("($100,000.00 - $35,000.00) / $100,000.00 x 100"));
  EXPECT_THAT(r.text, HasSubstr("RVC = 65.0%"));
  EXPECT_THAT(r.text, HasSubstr("This meets the usual threshold under the transaction value "
                                "method (60%)"));
  ASSERT_EQ(r.citations.size(), 1u);
  EXPECT_THAT(r.citations[0].label, HasSubstr("Article 4.5"));
}

TEST(RvcTest, RoundsToTenthsAndComparesExactly) {
  // (48,250 - 21,000) / 48,250 = 56.476...% -> 56.5%, fails 60%.
  CalcResult r =
      Compute("Calculate RVC with the transaction value method: TV $48,250, VNM $21,000");
  EXPECT_EQ(r.percent_tenths, 565);
  EXPECT_EQ(r.passes, false);
  EXPECT_THAT(r.text, HasSubstr("does not meet"));
  // Exactly 60.0%: passes.
  r = Compute("rvc transaction value 12400, non-originating materials 4960");
  EXPECT_EQ(r.percent_tenths, 600);
  EXPECT_EQ(r.passes, true);
  // 59.96% shows as 60.0% but does not meet 60%.
  r = Compute("rvc transaction value 10000, non-originating materials 4004");
  EXPECT_EQ(r.percent_tenths, 600);
  EXPECT_EQ(r.passes, false);
  EXPECT_THAT(r.text, HasSubstr("just below 60% before rounding"));
  // Half a tenth rounds away from zero: 62.25% -> 62.3%.
  r = Compute("rvc transaction value 40000, vnm 15100");
  EXPECT_EQ(r.percent_tenths, 623);
}

TEST(RvcTest, NetCostMethod) {
  CalcResult r = Compute("RVC net cost: net cost 80000, non-originating materials 44000");
  EXPECT_EQ(r.calculator, Calculator::kRvcNetCost);
  EXPECT_EQ(r.percent_tenths, 450);
  EXPECT_EQ(r.passes, false);
  EXPECT_THAT(r.text, HasSubstr("RVC = (NC - VNM) / NC x 100"));
  EXPECT_THAT(r.text, HasSubstr("net cost method (50%)"));
  r = Compute("rvc net cost with net cost 33333 and non-originating 16000");
  EXPECT_EQ(r.percent_tenths, 520);  // 51.99...% -> 52.0%
  EXPECT_EQ(r.passes, true);
}

TEST(RvcTest, AutomotiveThresholds) {
  // Vehicles: net cost only, 75% since July 1, 2023.
  CalcResult r = Compute("RVC for a passenger car: net cost 30000, non-originating materials 9000");
  EXPECT_EQ(r.calculator, Calculator::kRvcNetCost);
  EXPECT_EQ(r.percent_tenths, 700);
  EXPECT_EQ(r.passes, false);
  EXPECT_THAT(r.text, HasSubstr("passenger vehicle and light truck requirement under the net cost "
                                "method (75%)"));
  ASSERT_EQ(r.citations.size(), 2u);
  EXPECT_THAT(r.citations[1].label, HasSubstr("Appendix to Annex 4-B"));
  // Before the phase-in finished: 72% from July 1, 2022.
  r = Compute("RVC for a passenger car: net cost 30000, non-originating materials 9000",
              Day("2023-01-10T00:00:00Z"));
  EXPECT_THAT(r.text, HasSubstr("(72%)"));
  EXPECT_EQ(r.passes, false);
  // A vehicle without a method is computed with net cost, and says so.
  r = Compute("RVC for a car, 30000 and 6000");
  EXPECT_EQ(r.calculator, Calculator::kRvcNetCost);
  EXPECT_THAT(r.text, HasSubstr("Vehicles have only a net cost requirement"));
  EXPECT_EQ(r.passes, true);
  // The transaction value method does not apply to vehicles: no verdict.
  r = Compute("RVC transaction value for a car: TV 30000, VNM 6000");
  EXPECT_EQ(r.calculator, Calculator::kRvcTransactionValue);
  EXPECT_FALSE(r.passes.has_value());
  EXPECT_THAT(r.text, HasSubstr("transaction value method does not apply to them"));
  // Core parts: 75% net cost or 85% transaction value.
  r = Compute(
      "RVC net cost for a car part (autos): net cost 20000, non-originating materials 4000");
  EXPECT_EQ(r.percent_tenths, 800);
  EXPECT_THAT(r.text, HasSubstr("core-parts requirement (Table A.1) under the net cost method "
                                "(75%)"));
  r = Compute("RVC transaction value for an auto part: TV 20000, VNM 4000");
  EXPECT_THAT(r.text, HasSubstr("(85%)"));
  EXPECT_EQ(r.passes, false);
  // Heavy trucks: 64% from July 1, 2024, 70% from July 1, 2027.
  r = Compute("RVC heavy truck: net cost 100000, vnm 35000");
  EXPECT_THAT(r.text, HasSubstr("(64%)"));
  EXPECT_EQ(r.passes, true);
  r = Compute("RVC heavy truck: net cost 100000, vnm 35000", Day("2027-07-01T00:00:00Z"));
  EXPECT_THAT(r.text, HasSubstr("(70%)"));
  EXPECT_EQ(r.passes, false);
}

TEST(RvcTest, AsksForWhatIsMissing) {
  CalcResult r = Compute("calculate RVC");
  EXPECT_FALSE(r.complete);
  EXPECT_THAT(r.text, HasSubstr("transaction value (TV) of the good and the value of "
                                "non-originating materials (VNM)"));
  r = Compute("RVC with transaction value $100,000");
  EXPECT_FALSE(r.complete);
  EXPECT_THAT(r.text, HasSubstr("I have the transaction value (TV), $100,000.00. What is the value "
                                "of non-originating materials (VNM)?"));
  r = Compute("RVC net cost, VNM 500");
  EXPECT_FALSE(r.complete);
  EXPECT_THAT(r.text, HasSubstr("What is the net cost (NC) of the good?"));
  r = Compute("RVC transaction value 100, vnm 200");
  EXPECT_FALSE(r.complete);
  EXPECT_THAT(r.text, HasSubstr("is larger than"));
  r = Compute("RVC transaction value 0, vnm 0");
  EXPECT_FALSE(r.complete);
}

TEST(DeMinimisTest, PassesAtExactlyTenPercent) {
  CalcResult r = Compute(
      "De minimis share: value of non-originating materials that don't shift 500, "
      "total cost 5000");
  ASSERT_TRUE(r.complete) << r.text;
  EXPECT_EQ(r.percent_tenths, 100);
  EXPECT_EQ(r.passes, true);
  EXPECT_THAT(r.text, HasSubstr("= 10.0%"));
  EXPECT_THAT(r.text, HasSubstr("not more than 10%"));
  EXPECT_THAT(r.citations[0].label, HasSubstr("Article 4.12"));
  // One cent more fails, although it still rounds to 10.0%.
  r = Compute("de minimis: non-originating materials 500.01, transaction value 5000");
  EXPECT_EQ(r.percent_tenths, 100);
  EXPECT_EQ(r.passes, false);
  EXPECT_THAT(r.text, HasSubstr("more than 10% before rounding"));
  r = Compute(
      "De minimis: non-originating materials failing the tariff shift 8000, transaction value "
      "100000");
  EXPECT_EQ(r.percent_tenths, 80);
  EXPECT_EQ(r.passes, true);
  r = Compute(
      "de minimis check: failing materials $1,250 in a good with transaction value $11,000");
  EXPECT_EQ(r.percent_tenths, 114);
  EXPECT_EQ(r.passes, false);
  EXPECT_THAT(r.text, HasSubstr("does not apply"));
}

TEST(DeMinimisTest, TextilesAreByWeight) {
  CalcResult r = Compute("de minimis for a textile garment: non-originating yarn 50, value 1000");
  EXPECT_THAT(r.text, HasSubstr("by weight"));
  EXPECT_EQ(r.citations.size(), 2u);
}

TEST(MpfTest, RateMinimumAndMaximum) {
  CalcResult r = Compute("MPF on $100,000 formal entry FY2026");
  ASSERT_TRUE(r.complete) << r.text;
  EXPECT_EQ(r.fee_cents, 34640);
  EXPECT_THAT(r.text, HasSubstr("0.3464% x $100,000.00 = $346.40, within the FY2026 minimum "
                                "$33.58 and maximum $651.50, so MPF = $346.40"));
  EXPECT_THAT(r.citations[0].label, HasSubstr("19 CFR 24.23"));
  r = Compute("MPF for a formal entry valued at $250,000 in fiscal year 2026");
  EXPECT_EQ(r.fee_cents, 65150);
  EXPECT_THAT(r.text,
              HasSubstr("= $866.00, above the FY2026 maximum of $651.50, so MPF = $651.50"));
  r = Compute("merchandise processing fee on a $5,000 formal entry FY2026");
  EXPECT_EQ(r.fee_cents, 3358);
  EXPECT_THAT(r.text, HasSubstr("= $17.32, below the FY2026 minimum of $33.58, so MPF = $33.58"));
  // Exactly at the limits.
  EXPECT_EQ(Compute("MPF on $9,694.00 FY2026").fee_cents, 3358);     // 33.5800... -> 33.58
  EXPECT_EQ(Compute("MPF on $188,077.37 FY2026").fee_cents, 65150);  // 651.4999... -> 651.50
}

TEST(MpfTest, FiscalYears) {
  EXPECT_EQ(Compute("MPF on $150,000 formal entry FY2025").fee_cents, 51960);
  CalcResult r = Compute("MPF FY2025 formal entry value 200000");
  EXPECT_EQ(r.fee_cents, 63462);
  EXPECT_THAT(r.text, HasSubstr("FY2025, October 1, 2024 to September 30, 2025"));
  EXPECT_EQ(Compute("MPF on $1,000 formal entry FY2025").fee_cents, 3271);
  // Without a year: the fiscal year of the clock's date.
  EXPECT_EQ(Compute("MPF on $1,000", Day("2025-09-30T12:00:00Z")).fee_cents, 3271);
  EXPECT_EQ(Compute("MPF on $1,000", Day("2025-10-01T12:00:00Z")).fee_cents, 3358);
  // A year without a table: the nearest one, said plainly.
  r = Compute("MPF on $1,000 FY2027");
  EXPECT_EQ(r.fee_cents, 3358);
  EXPECT_THAT(r.text, HasSubstr("I have the limits for FY2025 and FY2026 only"));
  // Cents: 0.3464% of $57,321.45 = $198.5615... -> $198.56.
  EXPECT_EQ(Compute("Calculate MPF for an entry worth $57,321.45, fiscal 2026").fee_cents, 19856);
}

TEST(MpfTest, UsmcaOriginatingGoodsAreExempt) {
  CalcResult r =
      Compute("MPF on a $100,000 formal entry of USMCA-originating goods from Mexico, FY2026");
  EXPECT_EQ(r.fee_cents, 0);
  EXPECT_THAT(r.text, HasSubstr("exempt from the MPF, so MPF = $0.00"));
  EXPECT_THAT(r.text, HasSubstr("Without the exemption, a formal entry would pay $346.40"));
  r = Compute("MPF if we claim USMCA");
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(r.fee_cents, 0);
  r = Compute("MPF on $100,000 of non-originating goods");
  EXPECT_EQ(r.fee_cents, 34640);
  EXPECT_THAT(r.text, HasSubstr("are exempt"));  // the note, not the verdict
  EXPECT_THAT(Compute("MPF on $2,000").text, HasSubstr("entered informally"));
  EXPECT_THAT(Compute("MPF on $2,600").text, Not(HasSubstr("entered informally")));
}

TEST(MpfTest, AsksForTheValue) {
  CalcResult r = Compute("calculate the MPF");
  EXPECT_FALSE(r.complete);
  EXPECT_THAT(r.text, HasSubstr("I need the value of the goods on the entry"));
}

TEST(HmfTest, VesselOnly) {
  CalcResult r = Compute("HMF on $100,000 by vessel");
  ASSERT_TRUE(r.complete);
  EXPECT_EQ(r.fee_cents, 12500);
  EXPECT_THAT(r.text, HasSubstr("0.125% x $100,000.00 = $125.00, so HMF = $125.00"));
  EXPECT_THAT(r.text, Not(HasSubstr("by truck, rail or air")));
  EXPECT_THAT(r.citations[0].label, HasSubstr("19 CFR 24.24"));
  // 0.125% of $1,234,567.89 = $1,543.2098... -> $1,543.21.
  EXPECT_EQ(Compute("harbor maintenance fee for ocean cargo worth $1,234,567.89").fee_cents,
            154321);
  EXPECT_EQ(Compute("HMF vessel shipment value 8000").fee_cents, 1000);
  // Half a cent rounds up: 0.125% of $4.00 = $0.005.
  EXPECT_EQ(Compute("HMF by vessel on $4").fee_cents, 1);
  // Mode unknown: computed, with the condition stated.
  r = Compute("HMF on $100,000");
  EXPECT_EQ(r.fee_cents, 12500);
  EXPECT_THAT(r.text, HasSubstr("by truck, rail or air the HMF is $0.00"));
  // Not by vessel: not applicable.
  r = Compute("HMF on $100,000 shipped by truck from Mexico");
  EXPECT_EQ(r.fee_cents, 0);
  EXPECT_THAT(r.text, HasSubstr("for a shipment by truck it is not applicable: HMF = $0.00"));
  r = Compute("harbor maintenance fee for air cargo");
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(r.fee_cents, 0);
}

TEST(MergeTest, FollowUpsFillAndReplace) {
  // The first message gives one number; the follow-up gives the other.
  CalcRequest first = ParseCalcRequest("calculate RVC, transaction value 100000");
  CalcResult r = Calculate(first, kFy2026);
  EXPECT_FALSE(r.complete);
  CalcRequest merged = MergeCalcRequests(first, ParseCalcRequest("35000"));
  r = Calculate(merged, kFy2026);
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(r.percent_tenths, 650);
  // A bare number when both are known replaces the materials.
  r = Calculate(MergeCalcRequests(merged, ParseCalcRequest("and 45000?")), kFy2026);
  EXPECT_EQ(r.percent_tenths, 550);
  // Context words change the rule, not the numbers (the user chose the transaction value
  // method, which vehicles cannot use: the answer says so).
  r = Calculate(MergeCalcRequests(merged, ParseCalcRequest("and for cars?")), kFy2026);
  EXPECT_EQ(r.percent_tenths, 650);
  EXPECT_THAT(r.text, HasSubstr("must meet 75% under the net cost method"));
  // A labelled amount replaces its role.
  r = Calculate(MergeCalcRequests(merged, ParseCalcRequest("what if VNM is 30000")), kFy2026);
  EXPECT_EQ(r.percent_tenths, 700);
  // MPF: the year and the exemption.
  CalcRequest mpf = ParseCalcRequest("MPF on $100,000");
  EXPECT_EQ(Calculate(MergeCalcRequests(ParseCalcRequest("MPF on $5,000"),
                                        ParseCalcRequest("and for FY2025?")),
                      kFy2026)
                .fee_cents,
            3271);
  EXPECT_EQ(
      Calculate(MergeCalcRequests(mpf, ParseCalcRequest("and if it is originating?")), kFy2026)
          .fee_cents,
      0);
  EXPECT_EQ(
      Calculate(MergeCalcRequests(mpf, ParseCalcRequest("and for $250,000?")), kFy2026).fee_cents,
      65150);
}

// Review fixes ------------------------------------------------------------------------------

TEST(ReviewFixTest, TooLargeFollowUpAsksAgain) {
  bool too_large = false;
  EXPECT_TRUE(ExtractAmounts("$5 trillion", &too_large).empty());
  EXPECT_TRUE(too_large);
  too_large = false;
  EXPECT_TRUE(ExtractAmounts("5tn", &too_large).empty());
  EXPECT_TRUE(too_large);
  const CalcRequest first = ParseCalcRequest("MPF on $100,000");
  for (const char* follow_up : {"and $5,000,000,000,000?", "and $5 trillion?"}) {
    CalcResult r = Calculate(MergeCalcRequests(first, ParseCalcRequest(follow_up)), kFy2026);
    EXPECT_FALSE(r.complete) << follow_up;
    EXPECT_FALSE(r.fee_cents.has_value()) << follow_up;
    EXPECT_THAT(r.text, HasSubstr("larger than I can calculate with")) << follow_up;
  }
  // The next follow-up is computed again.
  const CalcRequest asked = MergeCalcRequests(first, ParseCalcRequest("and $5 trillion?"));
  EXPECT_EQ(
      Calculate(MergeCalcRequests(asked, ParseCalcRequest("sorry, $200,000")), kFy2026).fee_cents,
      65150);
  EXPECT_FALSE(Compute("RVC TV $5 trillion, VNM 100").complete);
}

TEST(ReviewFixTest, ReadsSpanishAndFrenchGrouping) {
  EXPECT_EQ(Cents("$1.000.000"), std::vector<int64_t>{100'000'000});
  EXPECT_EQ(Cents("12.345.678"), std::vector<int64_t>{1'234'567'800});
  EXPECT_EQ(Cents("1.000.000,50"), std::vector<int64_t>{100'000'050});
  EXPECT_EQ(Cents("250.000,5"), std::vector<int64_t>{25'000'050});
  EXPECT_EQ(Cents("$250.000"), std::vector<int64_t>{25'000});  // ambiguous: a decimal, as before
  EXPECT_EQ(Cents("100 000"), std::vector<int64_t>{10'000'000});
  EXPECT_EQ(Cents("100\u00a0000"), std::vector<int64_t>{10'000'000});
  EXPECT_EQ(Cents("1\u202f000\u202f000"), std::vector<int64_t>{100'000'000});
  EXPECT_EQ(Cents("100 000,50 \u20ac"), std::vector<int64_t>{10'000'050});
  EXPECT_EQ(Cents("1,000,000.50"), std::vector<int64_t>{100'000'050});
  EXPECT_EQ(Cents("35,000.50"), std::vector<int64_t>{3'500'050});
  EXPECT_EQ(Cents("TV 100 000, VNM 35 000"), (std::vector<int64_t>{10'000'000, 3'500'000}));
  EXPECT_EQ(Cents("valeur 1.000.000, matieres 300.000,00"),
            (std::vector<int64_t>{100'000'000, 30'000'000}));
  EXPECT_EQ(Compute("MPF sobre 1.000.000").fee_cents, 65150);  // the maximum, not $1.00
}

TEST(ReviewFixTest, TruckIsAVehicleOnlyAsAKindOfTruck) {
  CalcResult r = Compute("RVC net cost 100000, VNM 30000, shipped by truck");
  EXPECT_THAT(r.text, HasSubstr("(50%)"));
  EXPECT_EQ(r.passes, true);
  for (const char* text : {"RVC via truck", "RVC, on a truck", "RVC, 3 pallets per truck",
                           "RVC, trucks from Mexico"}) {
    EXPECT_FALSE(ParseCalcRequest(text).automotive.has_value()) << text;
  }
  for (const char* text : {"RVC for a light truck", "RVC for heavy trucks",
                           "RVC for a pickup truck", "RVC for a pickup", "RVC, light-duty truck"}) {
    EXPECT_EQ(ParseCalcRequest(text).automotive, true) << text;
  }
  EXPECT_EQ(ParseCalcRequest("HMF, shipped by truck").transport, Transport::kOther);
}

TEST(ReviewFixTest, LabelledAmountsAreNotYears) {
  EXPECT_EQ(Cents("TV 2000, VNM 700"), (std::vector<int64_t>{200'000, 70'000}));
  EXPECT_EQ(Cents("net cost 2025"), std::vector<int64_t>{202'500});
  EXPECT_EQ(Cents("USD 1999"), std::vector<int64_t>{199'900});
  EXPECT_TRUE(Cents("in 2025").empty());
  CalcRequest req = ParseCalcRequest("RVC TV 2000, VNM 700");
  EXPECT_FALSE(req.fiscal_year.has_value());
  CalcResult r = Calculate(req, kFy2026);
  ASSERT_TRUE(r.complete) << r.text;
  EXPECT_EQ(r.percent_tenths, 650);
}

TEST(ReviewFixTest, QuestionsAboutQualifyingDoNotExemptTheMpf) {
  CalcResult r = Compute("Calculate MPF on $50,000, do I qualify for USMCA?");
  EXPECT_EQ(r.fee_cents, 17320);
  for (const char* text : {"MPF, does it qualify for USMCA?", "MPF, would it qualify?",
                           "MPF, can I claim USMCA?", "MPF on a claim", "MPF, exempt?"}) {
    EXPECT_FALSE(ParseCalcRequest(text).originating.has_value()) << text;
  }
  for (const char* text :
       {"MPF, the goods qualify for USMCA", "MPF, entered with a USMCA claim", "MPF claiming USMCA",
        "MPF, USMCA-originating goods", "MPF, SPI S+", "MPF with SPI S"}) {
    EXPECT_EQ(ParseCalcRequest(text).originating, true) << text;
  }
  EXPECT_EQ(ParseCalcRequest("MPF without a USMCA claim").originating, false);
  // The exempt answer keeps the fiscal-year note.
  r = Compute("MPF on $100,000 of USMCA-originating goods");
  EXPECT_EQ(r.fee_cents, 0);
  EXPECT_THAT(r.text, HasSubstr("FY2026, October 1, 2025 to September 30, 2026"));
  r = Compute("MPF on $100,000 of USMCA-originating goods, FY2027");
  EXPECT_THAT(r.text, HasSubstr("I have the limits for FY2025 and FY2026 only"));
}

TEST(ReviewFixTest, NamedYearSetsTheAutomotivePhaseIn) {
  CalcResult r = Compute("RVC for a passenger vehicle in 2021, NC 100000, VNM 30000");
  EXPECT_THAT(r.text, HasSubstr("(69%)"));
  EXPECT_THAT(r.text, HasSubstr("for 2021"));
  EXPECT_EQ(r.passes, true);
  EXPECT_THAT(Compute("RVC car 2020, NC 100000, VNM 30000").text, HasSubstr("(66%)"));
  EXPECT_THAT(Compute("RVC car 2022, NC 100000, VNM 30000").text, HasSubstr("(72%)"));
  EXPECT_THAT(Compute("RVC car 2024, NC 100000, VNM 30000").text, HasSubstr("(75%)"));
  // Today decides only when no year is named.
  EXPECT_THAT(Compute("RVC car, NC 100000, VNM 30000", Day("2021-08-01T00:00:00Z")).text,
              HasSubstr("(69%)"));
  EXPECT_THAT(Compute("RVC heavy truck 2027, NC 100000, VNM 35000").text, HasSubstr("(70%)"));
  EXPECT_THAT(Compute("RVC heavy truck in 2023, NC 100000, VNM 35000").text, HasSubstr("(60%)"));
}

}  // namespace
}  // namespace traceport::assist
