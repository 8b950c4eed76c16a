// The assistant's calculators: USMCA regional value content (transaction value and net cost
// methods, Art. 4.5), the de minimis test (Art. 4.12), the merchandise processing fee
// (19 CFR 24.23) and the harbor maintenance fee (19 CFR 24.24).
//
// Arithmetic is exact: money in integer cents, rates as integer fractions (0.3464% is
// 3464/1,000,000), percentages in tenths of a percentage point. Rounding is to the cent or to
// 0.1 pp, half away from zero; pass/fail compares the exact values, not the rounded ones.
//
// The parser reads what a trader types: "$100,000", "100k", "1.5 million", "35,000.50",
// "1.000.000,50", "100 000" (a space, U+00A0 or U+202F between groups of three),
// "TV = 250000; VNM = 100000", "FY2025"; it assigns amounts to roles by the words around them
// ("transaction value 100000, non-originating materials 35000") and otherwise takes the larger
// amount as the value of the good. Every answer states the formula, the numbers, the result,
// the threshold or limits that apply and the verdict, and cites its source.
//
// Thread safety: all functions are pure.
#ifndef TRACEPORT_ASSIST_CALCULATORS_H_
#define TRACEPORT_ASSIST_CALCULATORS_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "assist/knowledge_base.h"
#include "common/time.h"

namespace traceport::assist {

enum class Calculator { kNone, kRvcTransactionValue, kRvcNetCost, kDeMinimis, kMpf, kHmf };

// "rvc-tv", "rvc-nc", "de-minimis", "mpf", "hmf" ("" for kNone). The intent is "calc-" + name.
std::string_view CalculatorName(Calculator c);

// An amount of money found in a text.
struct ParsedAmount {
  int64_t cents = 0;
  size_t begin = 0;  // byte offsets in FoldText(text)
  size_t end = 0;
  enum class Role { kUnknown, kValue, kMaterials } role = Role::kUnknown;
};

// The amounts in `text` (see the file comment), in order. Numbers that are percentages, years,
// article or regulation numbers, or quantities with a unit ("12 kg") are not amounts (a number
// right after a role word, "TV 2000", is an amount even if it looks like a year); amounts
// above US$1 trillion ("5 trillion") are dropped and noted in *too_large when given.
std::vector<ParsedAmount> ExtractAmounts(std::string_view text, bool* too_large = nullptr);

enum class Transport { kUnknown, kVessel, kOther };

// What a message asks a calculator to do. Fields that the message does not mention are unset,
// so that a follow-up ("and for FY2025?", "by truck") can be merged into an earlier request.
struct CalcRequest {
  Calculator calculator = Calculator::kNone;
  // "calculate", "compute", "work out", ... ("how much is the MPF?" asks about the rule).
  bool compute_verb = false;
  bool method_explicit = false;            // the user named "transaction value" or "net cost"
  std::optional<int64_t> value_cents;      // TV, net cost, total cost, or entered value
  std::optional<int64_t> materials_cents;  // VNM, or non-originating materials (de minimis)
  // A single amount that no word labels: a follow-up may be supplying the one number an
  // earlier request was missing, so its role is decided when requests are merged.
  std::optional<int64_t> bare_amount;
  size_t amount_count = 0;
  bool too_large = false;  // an amount above US$1 trillion was dropped (in the latest message)
  std::optional<int> fiscal_year;  // "FY2025", "fiscal year 2026", or a bare "2025"
  // "USMCA-originating", "qualifies for USMCA", "claiming USMCA", "S+" / "non-originating",
  // "does not qualify"; a question ("do I qualify?") leaves it unset.
  std::optional<bool> originating;
  Transport transport = Transport::kUnknown;
  std::string transport_word;      // "truck", "air", ... as typed (folded)
  std::optional<bool> automotive;  // car, auto, vehicle, passenger, light/heavy/pickup truck
  bool auto_parts = false;
  bool heavy_truck = false;
  bool textiles = false;
  bool low_value_shipment = false;  // words about Section 321 / shipment de minimis
};

// Reads a message. `calculator` is kNone when no calculator keyword is present.
CalcRequest ParseCalcRequest(std::string_view text);

// `later` layered over `earlier`: the later message's calculator, amounts and context words win
// where it has them (amounts are taken by role; a single amount of unknown role fills the role
// the earlier request was missing).
CalcRequest MergeCalcRequests(const CalcRequest& earlier, const CalcRequest& later);

struct CalcResult {
  Calculator calculator = Calculator::kNone;
  // False when inputs are missing or inconsistent: `text` is then a question asking for exactly
  // what is missing.
  bool complete = false;
  std::string text;
  std::vector<Citation> citations;
  // The numbers, for tests and logs.
  std::optional<int64_t> fee_cents;       // MPF / HMF
  std::optional<int64_t> percent_tenths;  // RVC or the de minimis share
  std::optional<bool> passes;             // meets the threshold / within de minimis
};

// Runs the request's calculator; `today` decides the fiscal year (MPF) and the phase-in of
// automotive thresholds when the message does not name a year (a named year uses the threshold
// in force from July 1 of that year). A request with a too-large amount gets a question back.
CalcResult Calculate(const CalcRequest& request, Time today);

// The US federal fiscal year of a date: FY2026 runs from October 1, 2025 to September 30, 2026.
int FiscalYear(Time t);

// num / den rounded half away from zero; den > 0.
int64_t DivRoundHalfAway(int64_t num, int64_t den);

// "$1,234.56" ("-$5.00" for negatives).
std::string FormatMoney(int64_t cents);

// Tenths of a percent as "65.0%".
std::string FormatPercent(int64_t tenths);

}  // namespace traceport::assist

#endif  // TRACEPORT_ASSIST_CALCULATORS_H_
