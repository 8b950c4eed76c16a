#include "assist/calculators.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "assist/text.h"

namespace traceport::assist {
namespace {

__extension__ typedef __int128 Int128;  // products of cents and rates; GCC and Clang

constexpr int64_t kMaxCents = 100'000'000'000'000;  // US$1 trillion

// Sources cited by the calculators.
const Citation kArt45{"USMCA Article 4.5 (Regional Value Content)",
                      "https://ustr.gov/sites/default/files/files/agreements/FTA/USMCA/Text/"
                      "04%20Rules%20of%20Origin.pdf"};
const Citation kArt412{"USMCA Article 4.12 (De Minimis)",
                       "https://ustr.gov/sites/default/files/files/agreements/FTA/USMCA/Text/"
                       "04%20Rules%20of%20Origin.pdf"};
const Citation kAutoAppendix{
    "USMCA Appendix to Annex 4-B (Provisions Related to the Product-"
    "Specific Rules of Origin for Automotive Goods)",
    "https://ustr.gov/sites/default/files/files/agreements/FTA/USMCA/"
    "Text/04%20Rules%20of%20Origin.pdf"};
const Citation kArt61{"USMCA Article 6.1 (Rules of Origin for Textile and Apparel Goods)",
                      "https://ustr.gov/sites/default/files/files/agreements/FTA/USMCA/Text/"
                      "06%20Textile%20and%20Apparel%20Goods.pdf"};
const Citation kMpfRule{"19 CFR 24.23 (Merchandise processing fee)",
                        "https://www.ecfr.gov/current/title-19/chapter-I/part-24/section-24.23"};
const Citation kHmfRule{"19 CFR 24.24 (Harbor maintenance fee)",
                        "https://www.ecfr.gov/current/title-19/chapter-I/part-24/section-24.24"};

// MPF: 0.3464% ad valorem, with per-entry limits adjusted each fiscal year.
constexpr int64_t kMpfRateNum = 3464;
constexpr int64_t kMpfRateDen = 1'000'000;
struct MpfLimits {
  int fiscal_year;
  int64_t min_cents;
  int64_t max_cents;
};
constexpr MpfLimits kMpfLimits[] = {{2025, 3271, 63462}, {2026, 3358, 65150}};

// HMF: 0.125% of the value of cargo on a commercial vessel; no minimum or maximum.
constexpr int64_t kHmfRateNum = 125;
constexpr int64_t kHmfRateDen = 100'000;

struct Word {
  std::string text;
  size_t begin;
  size_t end;
};

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80;
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The words of a folded text (runs of letters and digits), with their offsets.
std::vector<Word> Words(std::string_view f) {
  std::vector<Word> out;
  size_t i = 0;
  while (i < f.size()) {
    if (!IsAlnum(f[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < f.size() && IsAlnum(f[j])) ++j;
    out.push_back(Word{std::string(f.substr(i, j - i)), i, j});
    i = j;
  }
  return out;
}

bool OneOf(std::string_view w, std::initializer_list<std::string_view> list) {
  return std::find(list.begin(), list.end(), w) != list.end();
}

// The index of the first word where `phrase` starts, or npos.
size_t FindPhrase(const std::vector<Word>& words, std::initializer_list<std::string_view> phrase) {
  if (phrase.size() == 0 || words.size() < phrase.size()) return std::string_view::npos;
  for (size_t i = 0; i + phrase.size() <= words.size(); ++i) {
    size_t k = 0;
    for (std::string_view p : phrase) {
      if (words[i + k].text != p) break;
      ++k;
    }
    if (k == phrase.size()) return i;
  }
  return std::string_view::npos;
}

size_t FindAny(const std::vector<Word>& words,
               std::initializer_list<std::initializer_list<std::string_view>> phrases) {
  size_t best = std::string_view::npos;
  for (auto phrase : phrases) best = std::min(best, FindPhrase(words, phrase));
  return best;
}

bool HasWord(const std::vector<Word>& words, std::initializer_list<std::string_view> list) {
  return std::any_of(words.begin(), words.end(),
                     [&](const Word& w) { return OneOf(w.text, list); });
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// The role the words in [from, to) give an amount: materials words win over value words,
// because "value of non-originating materials" names the materials.
ParsedAmount::Role RoleOf(const std::vector<Word>& words, size_t from, size_t to) {
  bool value = false;
  for (size_t i = from; i < to && i < words.size(); ++i) {
    const std::string& w = words[i].text;
    if (OneOf(w, {"vnm", "non", "nonoriginating", "foreign", "imported", "material", "materials",
                  "input", "inputs", "materiales", "materiaux", "matieres"})) {
      return ParsedAmount::Role::kMaterials;
    }
    if (OneOf(w, {"tv",    "transaction", "value",   "price",   "nc",       "net",
                  "cost",  "total",       "invoice", "entered", "shipment", "good",
                  "goods", "fob",         "worth",   "valued",  "valor",    "valeur",
                  "costo", "cout",        "precio",  "prix",    "entry",    "cargo"})) {
      value = true;
    }
  }
  return value ? ParsedAmount::Role::kValue : ParsedAmount::Role::kUnknown;
}

// Words that, right before a number, make it a reference rather than an amount.
bool IsReferenceWord(std::string_view w) {
  return OneOf(w, {"art",  "article", "articulo", "section",   "sec",      "chapter",    "annex",
                   "part", "cfr",     "gn",       "note",      "heading",  "subheading", "hts",
                   "hs",   "no",      "csms",     "table",     "step",     "option",     "item",
                   "line", "rule",    "appendix", "paragraph", "para",     "usc",        "fy",
                   "year", "years",   "ano",      "annee",     "chapitre", "capitulo",   "q"});
}

// Words that, right after a number, make it a quantity or a percentage.
bool IsUnitWord(std::string_view w) {
  return OneOf(w, {"kg",      "kgs",        "kilos",  "kilograms", "lb",     "lbs",     "pounds",
                   "tons",    "tonnes",     "units",  "pieces",    "pcs",    "days",    "day",
                   "years",   "year",       "months", "month",     "hours",  "percent", "pct",
                   "por",     "pour",       "cfr",    "usc",       "liters", "litres",  "gallons",
                   "barrels", "bbl",        "meters", "metres",    "items",  "cartons", "boxes",
                   "pallets", "containers", "anos",   "dias",      "jours",  "ans"});
}

// Words that, right before a number, make it an amount even if it looks like a year.
bool IsAmountLabel(std::string_view w) {
  return OneOf(w, {"tv", "value", "nc", "cost", "vnm", "originating", "nonoriginating", "price",
                   "amount", "usd"});
}

int64_t Multiplier(std::string_view w) {
  if (OneOf(w, {"k", "thousand", "thousands", "mil"})) return 1'000;
  if (OneOf(w, {"m", "mm", "mn", "million", "millions", "millon", "millones"})) return 1'000'000;
  if (OneOf(w, {"b", "bn", "billion", "billions"})) return 1'000'000'000;
  // Above the US$1 trillion limit for any amount of 1 or more: reported as too large.
  if (OneOf(w, {"tn", "trillion", "trillions"})) return 1'000'000'000'000;
  return 0;
}

struct Resolved {
  std::optional<int64_t> value;
  std::optional<int64_t> materials;
};

bool TwoRoles(Calculator c) { return c != Calculator::kMpf && c != Calculator::kHmf; }

// Which amount is the value of the good and which the materials.
Resolved Resolve(Calculator c, const std::vector<ParsedAmount>& amounts) {
  Resolved r;
  using Role = ParsedAmount::Role;
  if (!TwoRoles(c)) {
    for (Role want : {Role::kValue, Role::kUnknown, Role::kMaterials}) {
      for (const ParsedAmount& a : amounts) {
        if (a.role == want && !r.value) r.value = a.cents;
      }
    }
    return r;
  }
  std::vector<int64_t> unknown;
  for (const ParsedAmount& a : amounts) {
    if (a.role == Role::kValue && !r.value) {
      r.value = a.cents;
    } else if (a.role == Role::kMaterials && !r.materials) {
      r.materials = a.cents;
    } else {
      unknown.push_back(a.cents);
    }
  }
  if (!r.value && !r.materials && unknown.size() >= 2) {
    // Two bare numbers: the larger is the value of the good (materials cannot exceed it).
    r.value = std::max(unknown[0], unknown[1]);
    r.materials = std::min(unknown[0], unknown[1]);
    return r;
  }
  for (int64_t u : unknown) {
    if (!r.value && r.materials) {
      r.value = u;
    } else if (!r.materials && r.value) {
      r.materials = u;
    } else if (!r.value && !r.materials) {
      r.value = u;  // one bare number: most likely the value of the good
    }
  }
  return r;
}

std::chrono::year_month_day Civil(Time t) {
  return std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(t));
}

bool OnOrAfter(Time t, int year, unsigned month, unsigned day) {
  return Civil(t) >= std::chrono::year_month_day(std::chrono::year(year), std::chrono::month(month),
                                                 std::chrono::day(day));
}

std::string FiscalYearSpan(int fy) {
  return "FY" + std::to_string(fy) + ", October 1, " + std::to_string(fy - 1) +
         " to September 30, " + std::to_string(fy);
}

// ---------------------------------------------------------------------------------------------

CalcResult Ask(Calculator c, std::string text) {
  CalcResult r;
  r.calculator = c;
  r.complete = false;
  r.text = std::move(text);
  return r;
}

std::string MethodName(Calculator c) {
  return c == Calculator::kRvcNetCost ? "net cost" : "transaction value";
}

std::string BaseName(Calculator c) {
  return c == Calculator::kRvcNetCost ? "net cost (NC)" : "transaction value (TV)";
}

CalcResult Rvc(const CalcRequest& req, const Resolved& in, Time today) {
  // A year named in the message sets the automotive phase-in: the threshold in force from
  // July 1 of that year, when each step took effect.
  const auto in_force = [&](int year, unsigned month, unsigned day) {
    return req.fiscal_year
               ? std::make_tuple(*req.fiscal_year, 7u, 1u) >= std::make_tuple(year, month, day)
               : OnOrAfter(today, year, month, day);
  };
  const std::string named_year =
      req.fiscal_year ? " for " + std::to_string(*req.fiscal_year) + " (from July 1)" : "";
  Calculator method = req.calculator;
  const bool automotive = req.automotive.value_or(false);
  // Passenger vehicles, light trucks and heavy trucks only have a net cost requirement, so a
  // vehicle question without a named method is computed that way.
  if ((automotive || req.heavy_truck) && !req.auto_parts && !req.method_explicit) {
    method = Calculator::kRvcNetCost;
  }
  const std::string base = BaseName(method);
  const std::string abbrev = method == Calculator::kRvcNetCost ? "NC" : "TV";
  if (!in.value && !in.materials) {
    return Ask(method, "To calculate regional value content with the " + MethodName(method) +
                           " method I need the " + base +
                           " of the good and the value of non-originating materials (VNM). "
                           "What are they? For example: \"" +
                           abbrev + " $100,000, VNM $35,000\".");
  }
  if (!in.materials) {
    return Ask(method, "I have the " + base + ", " + FormatMoney(*in.value) +
                           ". What is the value of non-originating materials (VNM)?");
  }
  if (!in.value) {
    return Ask(method, "I have the value of non-originating materials (VNM), " +
                           FormatMoney(*in.materials) + ". What is the " + base + " of the good?");
  }
  if (*in.value <= 0) return Ask(method, "The " + base + " must be more than $0.00. What is it?");
  if (*in.materials > *in.value) {
    return Ask(method, "The value of non-originating materials (" + FormatMoney(*in.materials) +
                           ") is larger than the " + base + " (" + FormatMoney(*in.value) +
                           "), so the numbers cannot both be right. Which one should change?");
  }

  CalcResult r;
  r.calculator = method;
  r.complete = true;
  const int64_t diff = *in.value - *in.materials;
  const int64_t tenths = DivRoundHalfAway(diff * 1000, *in.value);  // diff <= 1e14: no overflow
  r.percent_tenths = tenths;
  const std::string rvc = FormatPercent(tenths);
  if (method != req.calculator) {
    r.text = "Vehicles have only a net cost requirement, so this uses the net cost method. ";
  }
  r.text += "Regional value content, " + MethodName(method) + " method (USMCA Art. 4.5): RVC = (" +
            abbrev + " - VNM) / " + abbrev + " x 100 = (" + FormatMoney(*in.value) + " - " +
            FormatMoney(*in.materials) + ") / " + FormatMoney(*in.value) +
            " x 100, so RVC = " + rvc + ".";
  r.citations = {kArt45};

  // The threshold that applies, in tenths of a percent (0: no threshold for this method).
  int64_t threshold = 0;
  std::string which;
  std::string note;
  if (req.heavy_truck) {
    r.citations.push_back(kAutoAppendix);
    threshold = in_force(2027, 7, 1) ? 700 : in_force(2024, 7, 1) ? 640 : 600;
    which = "the heavy-truck requirement under the net cost method" + named_year;
    note =
        " Heavy trucks: 60% from July 1, 2020, 64% from July 1, 2024 and 70% from July 1, 2027, "
        "net cost only.";
  } else if (automotive && req.auto_parts) {
    r.citations.push_back(kAutoAppendix);
    threshold = method == Calculator::kRvcNetCost ? 750 : 850;
    which = "the core-parts requirement (Table A.1) under the " + MethodName(method) + " method";
    note =
        " Other auto parts: principal parts (Table B) need 70% net cost or 80% transaction "
        "value; complementary parts (Table C) need 65% net cost or 75% transaction value.";
  } else if (automotive) {
    r.citations.push_back(kAutoAppendix);
    if (method == Calculator::kRvcNetCost) {
      threshold = in_force(2023, 7, 1)   ? 750
                  : in_force(2022, 7, 1) ? 720
                  : in_force(2021, 7, 1) ? 690
                                         : 660;
      which = "the passenger vehicle and light truck requirement under the net cost method" +
              named_year;
    } else {
      note =
          " Passenger vehicles and light trucks must meet 75% under the net cost method; the "
          "transaction value method does not apply to them, so recalculate with the net cost.";
    }
  } else {
    threshold = method == Calculator::kRvcNetCost ? 500 : 600;
    which = "the usual threshold under the " + MethodName(method) + " method";
    note =
        " The product-specific rule for the good in Annex 4-B may set another threshold or "
        "require a method.";
  }
  if (threshold > 0) {
    // Exact comparison: (V - VNM) / V >= threshold / 1000.
    const bool passes =
        static_cast<Int128>(diff) * 1000 >= static_cast<Int128>(threshold) * *in.value;
    r.passes = passes;
    const std::string t =
        threshold % 10 == 0 ? std::to_string(threshold / 10) + "%" : FormatPercent(threshold);
    r.text +=
        " " + std::string(passes ? "This meets " : "This does not meet ") + which + " (" + t + ")";
    if (!passes && tenths >= threshold) r.text += ": it is just below " + t + " before rounding";
    r.text += ".";
  }
  r.text += note;
  return r;
}

CalcResult DeMinimis(const CalcRequest& req, const Resolved& in) {
  const Calculator c = Calculator::kDeMinimis;
  if (!in.value && !in.materials) {
    return Ask(c,
               "To check de minimis I need the value of the non-originating materials that do "
               "not satisfy the tariff shift, and the transaction value (or total cost) of the "
               "good. What are they?");
  }
  if (!in.materials) {
    return Ask(c, "I have the transaction value, " + FormatMoney(*in.value) +
                      ". What is the value of the non-originating materials that do not satisfy "
                      "the tariff shift?");
  }
  if (!in.value) {
    return Ask(c, "I have the value of the non-originating materials, " +
                      FormatMoney(*in.materials) +
                      ". What is the transaction value (or total cost) of the good?");
  }
  if (*in.value <= 0) return Ask(c, "The transaction value must be more than $0.00. What is it?");
  if (*in.materials > *in.value) {
    return Ask(c, "The non-originating materials (" + FormatMoney(*in.materials) +
                      ") cannot be worth more than the good (" + FormatMoney(*in.value) +
                      "). Which number should change?");
  }
  CalcResult r;
  r.calculator = c;
  r.complete = true;
  r.citations = {kArt412};
  const int64_t tenths = DivRoundHalfAway(*in.materials * 1000, *in.value);
  r.percent_tenths = tenths;
  const bool passes = static_cast<Int128>(*in.materials) * 10 <= *in.value;  // <= 10%, exactly
  r.passes = passes;
  r.text =
      "De minimis (USMCA Art. 4.12): non-originating materials that do not satisfy the "
      "tariff shift / transaction value x 100 = " +
      FormatMoney(*in.materials) + " / " + FormatMoney(*in.value) +
      " x 100 = " + FormatPercent(tenths) + ".";
  if (passes) {
    r.text +=
        " That is not more than 10%, so the good can still originate despite those "
        "materials, provided it meets every other requirement of its rule of origin.";
  } else {
    r.text += std::string(" That is more than 10%") + (tenths == 100 ? " before rounding" : "") +
              ", so de minimis does not apply: the good does not meet the tariff shift with "
              "those materials.";
  }
  if (req.textiles) {
    r.citations.push_back(kArt61);
    r.text +=
        " For textile and apparel goods the de minimis test is by weight, not value: up to "
        "10% of the total weight of the component that determines classification, of which "
        "elastomeric content may be at most 7%.";
  }
  return r;
}

CalcResult Mpf(const CalcRequest& req, const Resolved& in, Time today) {
  const Calculator c = Calculator::kMpf;
  const int requested = req.fiscal_year.value_or(FiscalYear(today));
  const MpfLimits* limits = &kMpfLimits[0];
  for (const MpfLimits& l : kMpfLimits) {
    if (std::abs(l.fiscal_year - requested) < std::abs(limits->fiscal_year - requested))
      limits = &l;
  }
  const std::string fy = "FY" + std::to_string(limits->fiscal_year);
  std::string substitute;
  if (limits->fiscal_year != requested) {
    substitute = " I have the limits for FY2025 and FY2026 only, so this uses " + fy +
                 "'s; the FY" + std::to_string(requested) + " limits may differ.";
  }
  const bool exempt = req.originating.value_or(false);
  if (!in.value && !exempt) {
    return Ask(c,
               "To calculate the merchandise processing fee I need the value of the goods on "
               "the entry, in US dollars (without duty, freight and insurance). What is it?");
  }
  CalcResult r;
  r.calculator = c;
  r.complete = true;
  r.citations = {kMpfRule};
  std::optional<int64_t> computed;
  std::string computation;
  if (in.value) {
    const int64_t raw = DivRoundHalfAway(*in.value * kMpfRateNum, kMpfRateDen);
    computed = std::clamp(raw, limits->min_cents, limits->max_cents);
    computation = "0.3464% x " + FormatMoney(*in.value) + " = " + FormatMoney(raw);
    if (raw < limits->min_cents) {
      computation += ", below the " + fy + " minimum of " + FormatMoney(limits->min_cents);
    } else if (raw > limits->max_cents) {
      computation += ", above the " + fy + " maximum of " + FormatMoney(limits->max_cents);
    } else {
      computation += ", within the " + fy + " minimum " + FormatMoney(limits->min_cents) +
                     " and maximum " + FormatMoney(limits->max_cents);
    }
  }
  if (exempt) {
    r.fee_cents = 0;
    r.text =
        "Merchandise processing fee (19 CFR 24.23): goods that originate under the USMCA and "
        "are entered with a USMCA claim are exempt from the MPF, so MPF = $0.00.";
    if (computed) {
      r.text += " Without the exemption, a formal entry would pay " + FormatMoney(*computed) +
                " (" + FiscalYearSpan(limits->fiscal_year) + ": " + computation + ")." + substitute;
    }
    return r;
  }
  r.fee_cents = *computed;
  r.text = "Merchandise processing fee (19 CFR 24.23), formal entry, " +
           FiscalYearSpan(limits->fiscal_year) + ": " + computation +
           ", so MPF = " + FormatMoney(*computed) + "." + substitute +
           " Goods that originate under the USMCA and are entered with a USMCA claim are exempt.";
  if (*in.value <= 250'000) {
    r.text +=
        " Shipments of US$2,500 or less are usually entered informally, with a flat fee "
        "instead.";
  }
  return r;
}

CalcResult Hmf(const CalcRequest& req, const Resolved& in) {
  const Calculator c = Calculator::kHmf;
  CalcResult r;
  r.calculator = c;
  r.citations = {kHmfRule};
  if (req.transport == Transport::kOther) {
    r.complete = true;
    r.fee_cents = 0;
    const std::string by = req.transport_word.empty() ? "that mode" : req.transport_word;
    r.text =
        "Harbor maintenance fee (19 CFR 24.24): it applies only to cargo loaded on or "
        "unloaded from a commercial vessel at a US port, so for a shipment by " +
        by + " it is not applicable: HMF = $0.00.";
    return r;
  }
  if (!in.value) {
    return Ask(c,
               "To calculate the harbor maintenance fee I need the value of the cargo, in US "
               "dollars. What is it? (The fee applies only to cargo arriving by vessel.)");
  }
  r.complete = true;
  const int64_t fee = DivRoundHalfAway(*in.value * kHmfRateNum, kHmfRateDen);
  r.fee_cents = fee;
  r.text = "Harbor maintenance fee (19 CFR 24.24): 0.125% x " + FormatMoney(*in.value) + " = " +
           FormatMoney(fee) + ", so HMF = " + FormatMoney(fee) +
           ". There is no minimum or maximum.";
  if (req.transport == Transport::kUnknown) {
    r.text +=
        " It applies only to cargo loaded on or unloaded from a commercial vessel at a US "
        "port; by truck, rail or air the HMF is $0.00.";
  }
  return r;
}

// Gives a lone unlabelled number the role still missing: the value of the good first.
void Settle(CalcRequest& r) {
  if (!r.bare_amount) return;
  if (!r.value_cents) {
    r.value_cents = r.bare_amount;
  } else if (!r.materials_cents) {
    r.materials_cents = r.bare_amount;
  }
  r.bare_amount.reset();
}

}  // namespace

std::string_view CalculatorName(Calculator c) {
  switch (c) {
    case Calculator::kRvcTransactionValue:
      return "rvc-tv";
    case Calculator::kRvcNetCost:
      return "rvc-nc";
    case Calculator::kDeMinimis:
      return "de-minimis";
    case Calculator::kMpf:
      return "mpf";
    case Calculator::kHmf:
      return "hmf";
    case Calculator::kNone:
      break;
  }
  return "";
}

int64_t DivRoundHalfAway(int64_t num, int64_t den) {
  const Int128 n = num < 0 ? -static_cast<Int128>(num) : static_cast<Int128>(num);
  const Int128 q = (2 * n + den) / (2 * static_cast<Int128>(den));
  return static_cast<int64_t>(num < 0 ? -q : q);
}

std::string FormatMoney(int64_t cents) {
  const bool negative = cents < 0;
  const uint64_t abs = negative ? 0 - static_cast<uint64_t>(cents) : static_cast<uint64_t>(cents);
  std::string whole = std::to_string(abs / 100);
  for (int i = static_cast<int>(whole.size()) - 3; i > 0; i -= 3) {
    whole.insert(static_cast<size_t>(i), ",");
  }
  const uint64_t frac = abs % 100;
  return std::string(negative ? "-$" : "$") + whole + "." + (frac < 10 ? "0" : "") +
         std::to_string(frac);
}

std::string FormatPercent(int64_t tenths) {
  const bool negative = tenths < 0;
  const int64_t abs = negative ? -tenths : tenths;
  return std::string(negative ? "-" : "") + std::to_string(abs / 10) + "." +
         std::to_string(abs % 10) + "%";
}

int FiscalYear(Time t) {
  const std::chrono::year_month_day d = Civil(t);
  return static_cast<int>(d.year()) + (static_cast<unsigned>(d.month()) >= 10 ? 1 : 0);
}

std::vector<ParsedAmount> ExtractAmounts(std::string_view text, bool* too_large) {
  const std::string f = FoldText(text);
  const std::vector<Word> words = Words(f);
  const auto digit_at = [&](size_t k) { return k < f.size() && IsDigit(f[k]); };
  std::vector<ParsedAmount> out;
  size_t i = 0;
  while (i < f.size()) {
    if (!IsDigit(f[i]) || (i > 0 && IsAlnum(f[i - 1]))) {
      ++i;
      continue;
    }
    const size_t begin = i;
    std::string digits;
    std::string fraction;
    size_t j = i;
    // Spanish and French grouping: one to three digits, then groups of exactly three digits
    // separated by '.' ("1.000.000") or by a space, U+00A0 or U+202F, which all fold to ' '
    // ("100 000"). One '.' group alone ("250.000") is a decimal unless a decimal comma follows
    // ("250.000,50").
    size_t lead = i;
    while (digit_at(lead)) ++lead;
    const auto group_at = [&](size_t p, char sep) {
      return p < f.size() && f[p] == sep && digit_at(p + 1) && digit_at(p + 2) && digit_at(p + 3) &&
             !digit_at(p + 4);
    };
    const auto comma_decimal_at = [&](size_t p) {  // ",5" or ",50"
      if (p >= f.size() || f[p] != ',' || !digit_at(p + 1)) return false;
      return !digit_at(p + 2) || !digit_at(p + 3);
    };
    char grouped_by = '\0';
    if (lead - i <= 3) {
      for (const char sep : {'.', ' '}) {
        size_t p = lead;
        int groups = 0;
        while (group_at(p, sep)) {
          p += 4;
          ++groups;
        }
        if (groups >= 2 || (groups == 1 && (sep == ' ' || comma_decimal_at(p)))) {
          for (size_t q = i; q < p; ++q) {
            if (IsDigit(f[q])) digits.push_back(f[q]);
          }
          j = p;
          grouped_by = sep;
          break;
        }
      }
    }
    if (grouped_by != '\0') {
      // A decimal comma, or (after space groups) a decimal point.
      if (comma_decimal_at(j) ||
          (grouped_by == ' ' && j < f.size() && f[j] == '.' && digit_at(j + 1))) {
        size_t k = j + 1;
        while (digit_at(k)) ++k;
        fraction = f.substr(j + 1, k - j - 1);
        j = k;
      }
    } else {
      while (j < f.size()) {
        if (IsDigit(f[j])) {
          digits.push_back(f[j++]);
        } else if (f[j] == ',' && digit_at(j + 1) && digit_at(j + 2) && digit_at(j + 3) &&
                   !digit_at(j + 4)) {
          ++j;  // a thousands separator: exactly three digits follow
        } else {
          break;
        }
      }
      // Decimal part: '.' and digits, or a decimal comma with one or two digits ("1,5 million").
      if ((f[j - 1] != ',') && j + 1 < f.size() && (f[j] == '.' || f[j] == ',') &&
          digit_at(j + 1)) {
        size_t k = j + 1;
        while (digit_at(k)) ++k;
        if (f[j] == '.' || k - (j + 1) <= 2) {
          fraction = f.substr(j + 1, k - j - 1);
          j = k;
        }
      }
    }
    const size_t end = j;
    // Letters glued to the number: a multiplier ("100k", "1.5m") or something else ("4b").
    size_t k = end;
    while (k < f.size() && IsAlnum(f[k])) ++k;
    std::string suffix = f.substr(end, k - end);
    i = k;
    size_t after = 0;  // the first word after the number
    while (after < words.size() && words[after].begin < k) ++after;
    if (suffix.empty() && after < words.size() && Multiplier(words[after].text) > 0 &&
        f.find_first_not_of(' ', end) == words[after].begin) {
      suffix = words[after].text;
      ++after;
    }
    size_t before = 0;  // words that end before the number
    while (before < words.size() && words[before].end <= begin) ++before;
    const std::string prev = before > 0 ? words[before - 1].text : "";
    const bool dollar = (begin > 0 && f[begin - 1] == '$') ||
                        (begin > 1 && f[begin - 1] == ' ' && f[begin - 2] == '$');
    const size_t next_char = f.find_first_not_of(' ', suffix.empty() ? end : i);
    const bool percent = next_char != std::string::npos && f[next_char] == '%';
    const int64_t mult = suffix.empty() ? 1 : Multiplier(suffix);
    if (mult == 0 || percent || (!dollar && IsReferenceWord(prev)) ||
        (suffix.empty() && after < words.size() && IsUnitWord(words[after].text))) {
      continue;
    }
    if (digits.size() > 13) {
      if (too_large != nullptr) *too_large = true;
      continue;
    }
    // A bare four-digit number from 1990 to 2099 is a year, not an amount, unless a role word
    // labels it ("TV 2000", "net cost 2025").
    if (!dollar && suffix.empty() && fraction.empty() && digits.size() == 4 && end - begin == 4 &&
        !IsAmountLabel(prev)) {
      const int year = std::stoi(digits);
      if (year >= 1990 && year <= 2099) continue;
    }
    if (fraction.size() > 9) fraction.resize(9);
    Int128 scale = 1;
    for (size_t n = 0; n < fraction.size(); ++n) scale *= 10;
    const Int128 whole = std::stoll(digits);
    const Int128 frac = fraction.empty() ? 0 : std::stoll(fraction);
    const Int128 num = (whole * scale + frac) * mult * 100;
    const Int128 cents = (2 * num + scale) / (2 * scale);
    if (cents > kMaxCents) {
      if (too_large != nullptr) *too_large = true;
      continue;
    }
    ParsedAmount a;
    a.cents = static_cast<int64_t>(cents);
    a.begin = begin;
    a.end = end;
    out.push_back(a);
  }

  // Roles: the words before an amount (back to the previous amount's label) name it; failing
  // that, the words after it up to the next amount.
  size_t consumed = 0;  // words before this index belong to earlier amounts
  for (size_t n = 0; n < out.size(); ++n) {
    size_t first_after = 0;
    while (first_after < words.size() && words[first_after].begin < out[n].end) ++first_after;
    size_t own = first_after;  // the amount's own word(s) end here
    size_t before_end = 0;
    while (before_end < words.size() && words[before_end].end <= out[n].begin) ++before_end;
    const size_t from = std::max(consumed, before_end >= 5 ? before_end - 5 : 0);
    ParsedAmount::Role role = RoleOf(words, from, before_end);
    if (role != ParsedAmount::Role::kUnknown) {
      out[n].role = role;
      consumed = own;
      continue;
    }
    size_t next_begin = words.size();
    if (n + 1 < out.size()) {
      next_begin = 0;
      while (next_begin < words.size() && words[next_begin].end <= out[n + 1].begin) ++next_begin;
    }
    const size_t to = std::min(next_begin, own + 5);
    for (size_t k = own; k < to; ++k) {
      role = RoleOf(words, k, k + 1);
      if (role != ParsedAmount::Role::kUnknown) {
        out[n].role = role;
        consumed = k + 1;
        break;
      }
    }
    if (role == ParsedAmount::Role::kUnknown) consumed = std::max(consumed, own);
  }
  return out;
}

CalcRequest ParseCalcRequest(std::string_view text) {
  CalcRequest r;
  const std::string f = FoldText(text);
  const std::vector<Word> words = Words(f);
  constexpr size_t npos = std::string_view::npos;

  // Which calculator. De minimis and the fees name themselves; "transaction value" and "net
  // cost" also appear in their requests, so they select RVC only when nothing else is named.
  const size_t de_minimis = FindAny(words, {{"de", "minimis"}, {"deminimis"}, {"minimis"}});
  const size_t mpf =
      FindAny(words, {{"mpf"}, {"merchandise", "processing"}, {"processing", "fee"}});
  const size_t hmf =
      FindAny(words, {{"hmf"}, {"harbor", "maintenance"}, {"harbour", "maintenance"}});
  const size_t rvc = FindAny(words, {{"rvc"},
                                     {"regional", "value"},
                                     {"transaction", "value"},
                                     {"net", "cost"},
                                     {"contenido", "regional"},
                                     {"valeur", "regionale"},
                                     {"vcr"}});
  const size_t net_cost =
      FindAny(words, {{"net", "cost"}, {"nc"}, {"costo", "neto"}, {"cout", "net"}});
  const size_t transaction_value =
      FindAny(words, {{"transaction", "value"}, {"tv"}, {"valor", "de", "transaccion"}});
  r.method_explicit = net_cost != npos || transaction_value != npos;
  if (de_minimis != npos) {
    r.calculator = Calculator::kDeMinimis;
  } else if (mpf != npos || hmf != npos) {
    r.calculator = mpf < hmf ? Calculator::kMpf : Calculator::kHmf;
  } else if (rvc != npos) {
    r.calculator = net_cost != npos && (transaction_value == npos || net_cost < transaction_value)
                       ? Calculator::kRvcNetCost
                       : Calculator::kRvcTransactionValue;
  }

  r.compute_verb = std::any_of(words.begin(), words.end(),
                               [](const Word& w) {
                                 return StartsWith(w.text, "calcul") ||
                                        StartsWith(w.text, "comput") || w.text == "calc" ||
                                        StartsWith(w.text, "estimat");
                               }) ||
                   FindAny(words, {{"work", "out"}, {"figure", "out"}}) != npos;

  bool too_large = false;
  const std::vector<ParsedAmount> amounts = ExtractAmounts(text, &too_large);
  r.too_large = too_large;
  r.amount_count = amounts.size();
  const Resolved resolved = Resolve(r.calculator, amounts);
  r.value_cents = resolved.value;
  r.materials_cents = resolved.materials;
  // A single amount whose role nothing names is kept aside: a follow-up may be supplying the one
  // number an earlier request was missing.
  if (amounts.size() == 1 && amounts[0].role == ParsedAmount::Role::kUnknown) {
    r.value_cents.reset();
    r.materials_cents.reset();
    r.bare_amount = amounts[0].cents;
  }

  // Fiscal year: "fy2025", "fy25", "fy 2025", "fiscal year 2025", or a bare year.
  for (size_t i = 0; i < words.size() && !r.fiscal_year; ++i) {
    const std::string& w = words[i].text;
    std::string digits;
    if (StartsWith(w, "fy") && w.size() > 2) {
      digits = w.substr(2);
    } else if ((w == "fy" || (w == "year" && i > 0 && words[i - 1].text == "fiscal")) &&
               i + 1 < words.size()) {
      digits = words[i + 1].text;
    } else if (w.size() == 4 && IsDigit(w[0]) && (i == 0 || f[words[i].begin - 1] != '$') &&
               std::none_of(amounts.begin(), amounts.end(), [&](const ParsedAmount& a) {
                 return a.begin <= words[i].begin && words[i].begin < a.end;
               })) {
      digits = w;  // a bare year, not one of the amounts ("TV 2000")
    }
    if (digits.empty() || digits.size() > 4 ||
        !std::all_of(digits.begin(), digits.end(), IsDigit)) {
      continue;
    }
    int year = std::stoi(digits);
    if (digits.size() == 2) year += 2000;
    if (year >= 2000 && year <= 2099) r.fiscal_year = year;
  }

  // Originating or not (MPF exemption). Only affirmative wording counts: "originating",
  // "qualifies for USMCA", "with a USMCA claim", "claiming USMCA", "S+" / "SPI S"; a question
  // ("do I qualify?") leaves it open, and a negation ("does not qualify") makes it false.
  const auto word_at = [&](size_t k) -> std::string_view {
    return k < words.size() ? std::string_view(words[k].text) : std::string_view();
  };
  const auto is_agreement = [](std::string_view w) {
    return OneOf(w, {"usmca", "cusma", "tmec", "mec", "preference", "preferential", "preferencia",
                     "preferencial"});
  };
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i].text;
    if (w == "nonoriginating") {
      r.originating = false;
      continue;
    }
    const bool origin_word = OneOf(w, {"originating", "originario", "originaria", "originarios",
                                       "originarias", "originaire", "originaires"});
    const bool qualify_word = OneOf(w, {"qualifying", "qualifies", "qualify", "qualified"});
    const bool claim_word = OneOf(w, {"claim", "claiming", "claimed", "claims"});
    if (!origin_word && !qualify_word && !claim_word) continue;
    bool negated = false;
    bool question = false;
    for (size_t k = i >= 3 ? i - 3 : 0; k < i; ++k) {
      const std::string& p = words[k].text;
      if (p == "without" ||
          (k + 2 >= i && OneOf(p, {"non", "not", "no", "doesn", "don", "isn", "aren", "sin", "pas",
                                   "never", "won", "wouldn", "didn", "cannot"}))) {
        negated = true;
      }
      // "do I qualify", "does it qualify", "would the goods qualify", "whether it qualifies"
      if (p == "whether" ||
          (OneOf(p, {"do", "does", "did", "would", "will", "could", "can", "should", "might", "may",
                     "is", "are"}) &&
           OneOf(word_at(k + 1), {"i", "it", "we", "they", "this", "that", "these", "those", "my",
                                  "our", "the", "you", "he", "she", "mine", "ours"}))) {
        question = true;
      }
    }
    bool affirmative = origin_word;
    if (qualify_word) {
      // "qualifies for USMCA", "qualified under USMCA", "USMCA-qualifying"
      affirmative = is_agreement(word_at(i + 1)) || is_agreement(word_at(i + 2)) ||
                    (i > 0 && is_agreement(word_at(i - 1)));
    } else if (claim_word) {
      // "with a USMCA claim", "claiming USMCA", "claim USMCA preference", "USMCA claimed"
      affirmative = is_agreement(word_at(i + 1)) || is_agreement(word_at(i + 2)) ||
                    (i > 0 && is_agreement(word_at(i - 1)));
    }
    if (negated) {
      r.originating = false;
    } else if (affirmative && !question && !r.originating.has_value()) {
      r.originating = true;
    }
  }
  // The special program indicator: "S+" or "SPI S".
  if (!r.originating.has_value()) {
    for (size_t i = 0; i < words.size(); ++i) {
      if (words[i].text == "s" && words[i].end < f.size() && f[words[i].end] == '+') {
        r.originating = true;
      }
    }
    if (FindPhrase(words, {"spi", "s"}) != npos) r.originating = true;
  }

  // Transport (HMF): a vessel anywhere in the journey wins.
  for (const Word& w : words) {
    if (OneOf(w.text,
              {"vessel", "vessels", "ocean", "sea", "maritime", "boat", "barge", "seaport",
               "steamship", "containership", "barco", "buque", "maritimo", "navire", "bateau"})) {
      r.transport = Transport::kVessel;
      r.transport_word.clear();
      break;
    }
    if (r.transport == Transport::kUnknown &&
        OneOf(w.text, {"truck", "trucks", "trucking", "air", "airfreight", "plane", "aircraft",
                       "flight", "rail", "railway", "train", "road", "courier", "pipeline", "land",
                       "camion", "avion", "tren", "ferrocarril"})) {
      r.transport = Transport::kOther;
      r.transport_word = w.text;
    }
  }
  if (FindAny(words, {{"by", "ship"}, {"cargo", "ship"}, {"container", "ship"}}) != npos) {
    r.transport = Transport::kVessel;
    r.transport_word.clear();
  }

  if (HasWord(words,
              {"car",        "cars",      "auto",     "autos",     "automobile", "automobiles",
               "automotive", "vehicle",   "vehicles", "passenger", "suv",        "suvs",
               "pickup",     "pickups",   "coche",    "coches",    "automovil",  "automoviles",
               "vehiculo",   "vehiculos", "voiture",  "voitures",  "carro",      "carros"})) {
    r.automotive = true;
  }
  // "Truck" is a vehicle only as "light truck", "heavy truck", "pickup truck" (or "light-duty
  // truck"); "by truck", "via truck", "on a truck", "per truck" are the mode of transport.
  for (size_t i = 1; i < words.size(); ++i) {
    if (!OneOf(words[i].text, {"truck", "trucks"})) continue;
    std::string_view prev = words[i - 1].text;
    if (prev == "duty" && i >= 2) prev = words[i - 2].text;
    if (prev == "up" && i >= 2 && words[i - 2].text == "pick") prev = "pickup";
    if (OneOf(prev, {"light", "heavy", "pickup", "medium"})) r.automotive = true;
  }
  r.heavy_truck = FindAny(words, {{"heavy", "truck"}, {"heavy", "trucks"}}) != npos;
  r.auto_parts =
      HasWord(words, {"part", "parts", "component", "components", "engine", "engines",
                      "transmission", "transmissions", "axle", "axles", "suspension", "steering",
                      "battery", "batteries", "chassis", "piezas", "pieces", "autopartes"});
  r.textiles = HasWord(words, {"textile", "textiles", "apparel", "garment", "garments", "fabric",
                               "fabrics", "yarn", "clothing", "clothes", "textil", "textiles"});
  r.low_value_shipment =
      HasWord(words, {"courier", "postal", "parcel", "parcels", "package", "packages", "ecommerce",
                      "321"}) ||
      FindAny(words, {{"low", "value"}, {"e", "commerce"}, {"duty", "free"}}) != npos;
  return r;
}

CalcRequest MergeCalcRequests(const CalcRequest& earlier, const CalcRequest& later) {
  CalcRequest r = earlier;
  Settle(r);
  if (later.calculator != Calculator::kNone) {
    r.calculator = later.calculator;
    r.method_explicit = later.method_explicit || earlier.method_explicit;
  }
  r.compute_verb = earlier.compute_verb || later.compute_verb;
  r.too_large = later.too_large;
  if (later.value_cents) r.value_cents = later.value_cents;
  if (later.materials_cents) r.materials_cents = later.materials_cents;
  if (later.bare_amount) {
    // One unlabelled number fills the role that is missing; when none is, it replaces the
    // number people usually vary (the materials; for the fees, the value).
    if (!TwoRoles(r.calculator) || !r.value_cents) {
      r.value_cents = later.bare_amount;
    } else {
      r.materials_cents = later.bare_amount;
    }
  }
  r.amount_count = std::max(earlier.amount_count, later.amount_count);
  if (later.fiscal_year) r.fiscal_year = later.fiscal_year;
  if (later.originating) r.originating = later.originating;
  if (later.transport != Transport::kUnknown) {
    r.transport = later.transport;
    r.transport_word = later.transport_word;
  }
  if (later.automotive) r.automotive = later.automotive;
  r.auto_parts = earlier.auto_parts || later.auto_parts;
  r.heavy_truck = earlier.heavy_truck || later.heavy_truck;
  r.textiles = earlier.textiles || later.textiles;
  return r;
}

CalcResult Calculate(const CalcRequest& request, Time today) {
  CalcRequest settled = request;
  Settle(settled);
  const Resolved in{settled.value_cents, settled.materials_cents};
  CalcResult r;
  // An amount that could not be used: ask for it again rather than answer with the others (or,
  // in a follow-up, with the earlier request's numbers).
  if (request.too_large) {
    r = Ask(request.calculator,
            "That amount is larger than I can calculate with (US$1 trillion). Please check it.");
    return r;
  }
  switch (request.calculator) {
    case Calculator::kRvcTransactionValue:
    case Calculator::kRvcNetCost:
      return Rvc(request, in, today);
    case Calculator::kDeMinimis:
      return DeMinimis(request, in);
    case Calculator::kMpf:
      return Mpf(request, in, today);
    case Calculator::kHmf:
      return Hmf(request, in);
    case Calculator::kNone:
      break;
  }
  return Ask(Calculator::kNone,
             "Which calculation do you need: regional value content, de "
             "minimis, the merchandise processing fee or the harbor "
             "maintenance fee?");
}

}  // namespace traceport::assist
