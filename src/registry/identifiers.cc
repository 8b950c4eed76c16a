#include "registry/identifiers.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace traceport::registry {
namespace {

constexpr std::array<Scheme, 10> kSchemes = {
    Scheme::kLei, Scheme::kEin,  Scheme::kIor, Scheme::kCbp, Scheme::kMid,
    Scheme::kGln, Scheme::kGtin, Scheme::kBn,  Scheme::kRfc, Scheme::kDuns,
};

// ISO 3166-1 alpha-2, the 249 officially assigned codes (Debian iso-codes 4.15.0,
// /usr/share/iso-codes/json/iso_3166-1.json), sorted for binary search.
constexpr std::array<std::string_view, 249> kIsoCountries = {
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
};

struct Province {
  std::string_view postal;  // Canada Post abbreviation
  std::string_view mid;     // the MID's country code for it (19 CFR 102 appendix)
};
constexpr std::array<Province, 13> kProvinces = {{
    {"AB", "XA"},
    {"BC", "XC"},
    {"MB", "XM"},
    {"NB", "XB"},
    {"NL", "XW"},
    {"NT", "XT"},
    {"NS", "XN"},
    {"NU", "XV"},
    {"ON", "XO"},
    {"PE", "XP"},
    {"QC", "XQ"},
    {"SK", "XS"},
    {"YT", "XY"},
}};

// EIN prefixes the IRS has never assigned: the complement of its "valid EIN prefixes" table.
constexpr std::array<std::string_view, 17> kUnassignedEinPrefixes = {
    "00", "07", "08", "09", "17", "18", "19", "28", "29",
    "49", "69", "70", "78", "79", "89", "96", "97",
};

// CRA program identifiers accepted after the 9-digit business number.
constexpr std::array<std::string_view, 9> kBnPrograms = {"RT", "RP", "RC", "RM", "RR",
                                                         "RZ", "RN", "RD", "RG"};

// The RFC's Ñ, held internally as one byte that no valid input byte can be.
constexpr char kEnye = '\x01';
constexpr std::string_view kEnyeUtf8 = "\xC3\x91";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsAlpha(char c) { return IsUpper(c) || IsLower(c); }
bool IsAlnum(char c) { return IsDigit(c) || IsAlpha(c); }
char ToUpper(char c) { return IsLower(c) ? static_cast<char>(c - 'a' + 'A') : c; }

bool IsAllDigits(std::string_view s) { return std::all_of(s.begin(), s.end(), IsDigit); }

template <size_t N>
bool Contains(const std::array<std::string_view, N>& list, std::string_view s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

// "'x'" for printable ASCII, "a space", or "byte 0xNN": never the raw byte.
std::string Describe(char ch) {
  const auto b = static_cast<uint8_t>(ch);
  if (b == ' ') return "a space";
  if (b > 0x20 && b < 0x7f) return std::string("'") + ch + "'";
  static constexpr char kHex[] = "0123456789ABCDEF";
  return std::string("byte 0x") + kHex[b >> 4] + kHex[b & 0xF];
}

Status Invalid(Scheme scheme, const std::string& message) {
  return InvalidArgumentError(std::string(SchemeName(scheme)) + ": " + message);
}

Status BadChar(Scheme scheme, std::string_view value, size_t offset, std::string_view expected) {
  return Invalid(scheme, "invalid character " + Describe(value[offset]) + " at offset " +
                             std::to_string(offset) + " (expected " + std::string(expected) + ")");
}

// Matches `value` against `pattern` ('9' a digit, 'X' a letter or digit, 'A' a letter, any
// other character itself) and returns it upper-cased. The caller has checked the length.
Result<std::string> MatchPattern(Scheme scheme, std::string_view value, std::string_view pattern) {
  std::string out(value.size(), '\0');
  for (size_t i = 0; i < value.size(); ++i) {
    const char c = ToUpper(value[i]);
    switch (pattern[i]) {
      case '9':
        if (!IsDigit(c)) return BadChar(scheme, value, i, "a digit");
        break;
      case 'X':
        if (!IsDigit(c) && !IsUpper(c)) return BadChar(scheme, value, i, "a letter or digit");
        break;
      case 'A':
        if (!IsUpper(c)) return BadChar(scheme, value, i, "a letter");
        break;
      default:
        if (c != pattern[i]) {
          return BadChar(scheme, value, i, std::string("'") + pattern[i] + "'");
        }
    }
    out[i] = c;
  }
  return out;
}

std::string LengthIs(size_t n) { return " (got " + std::to_string(n) + ")"; }

// ISO/IEC 7064 MOD 97-10 remainder of upper-case alphanumerics, letters as 10..35.
int Mod97(std::string_view s) {
  int r = 0;
  for (char c : s) {
    if (IsDigit(c)) {
      r = (r * 10 + (c - '0')) % 97;
    } else {
      r = (r * 100 + (c - 'A' + 10)) % 97;
    }
  }
  return r;
}

// The Luhn check digit for `payload` (digits only): double every second digit starting with
// the rightmost payload digit, subtract 9 from doubles over 9, check = (10 - sum mod 10) mod 10.
int LuhnCheckDigit(std::string_view payload) {
  int sum = 0;
  bool dbl = true;
  for (size_t i = payload.size(); i-- > 0;) {
    int d = payload[i] - '0';
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
  }
  return (10 - sum % 10) % 10;
}

Status CheckDigitIs(Scheme scheme, char got, int expected, std::string_view what = "") {
  if (got - '0' == expected) return Status::Ok();
  std::string msg = "check digit ";
  msg += got;
  if (!what.empty()) msg += " " + std::string(what);
  msg += " is wrong (expected " + std::to_string(expected) + ")";
  return Invalid(scheme, msg);
}

Result<std::string> ValidateLei(std::string_view v) {
  constexpr Scheme s = Scheme::kLei;
  if (v.size() != 20) return Invalid(s, "must be 20 characters" + LengthIs(v.size()));
  ASSIGN_OR_RETURN(std::string out, MatchPattern(s, v, "XXXXXXXXXXXXXXXXXX99"));
  if (Mod97(out) != 1) {
    return Invalid(s, "check digits \"" + out.substr(18) +
                          "\" do not verify (ISO/IEC 7064 MOD 97-10; expected \"" +
                          LeiCheckDigits(std::string_view(out).substr(0, 18)) + "\")");
  }
  return out;
}

Status CheckEinPrefix(Scheme scheme, std::string_view prefix) {
  if (Contains(kUnassignedEinPrefixes, prefix)) {
    return Invalid(scheme, "prefix " + std::string(prefix) + " is not assigned by the IRS");
  }
  return Status::Ok();
}

Result<std::string> ValidateEin(std::string_view v) {
  constexpr Scheme s = Scheme::kEin;
  std::string out;
  if (v.size() == 10) {
    ASSIGN_OR_RETURN(out, MatchPattern(s, v, "99-9999999"));
  } else if (v.size() == 9) {
    ASSIGN_OR_RETURN(out, MatchPattern(s, v, "999999999"));
    out.insert(2, "-");
  } else {
    return Invalid(s, "must be 9 digits, as NN-NNNNNNN or NNNNNNNNN" + LengthIs(v.size()));
  }
  RETURN_IF_ERROR(CheckEinPrefix(s, std::string_view(out).substr(0, 2)));
  return out;
}

Status CheckSsn(std::string_view ssn) {  // "NNN-NN-NNNN", digits checked
  constexpr Scheme s = Scheme::kIor;
  const std::string_view area = ssn.substr(0, 3);
  if (area == "000" || area == "666" || area[0] == '9') {
    return Invalid(s, "SSN area " + std::string(area) + " is never assigned");
  }
  if (ssn.substr(4, 2) == "00") return Invalid(s, "SSN group 00 is never assigned");
  if (ssn.substr(7, 4) == "0000") return Invalid(s, "SSN serial 0000 is never assigned");
  return Status::Ok();
}

Result<std::string> ValidateIor(std::string_view v) {
  constexpr Scheme s = Scheme::kIor;
  if (v.size() == 12 && v[2] == '-') {
    ASSIGN_OR_RETURN(std::string out, MatchPattern(s, v, "99-9999999XX"));
    RETURN_IF_ERROR(CheckEinPrefix(s, std::string_view(out).substr(0, 2)));
    for (size_t i = 10; i < 12; ++i) {
      if (out[i] == 'O' || out[i] == 'I' || out[i] == 'Z') {
        return Invalid(s, "suffix \"" + out.substr(10) + "\" may not use the letters O, I or Z");
      }
    }
    return out;
  }
  if (v.size() == 11 && v[3] == '-') {
    ASSIGN_OR_RETURN(std::string out, MatchPattern(s, v, "999-99-9999"));
    RETURN_IF_ERROR(CheckSsn(out));
    return out;
  }
  if (v.size() == 12 && v[6] == '-') return MatchPattern(s, v, "999999-99999");
  return Invalid(s,
                 "must be NN-NNNNNNNXX (EIN and suffix), NNN-NN-NNNN (SSN) or YYDDPP-NNNNN "
                 "(CBP-assigned), hyphens included" +
                     LengthIs(v.size()));
}

Result<std::string> ValidateCbp(std::string_view v) {
  constexpr Scheme s = Scheme::kCbp;
  if (v.size() == 12) return MatchPattern(s, v, "999999-99999");
  if (v.size() == 11) {
    ASSIGN_OR_RETURN(std::string out, MatchPattern(s, v, "99999999999"));
    out.insert(6, "-");
    return out;
  }
  return Invalid(s, "must be YYDDPP-NNNNN (6 digits, hyphen, 5 digits)" + LengthIs(v.size()));
}

bool IsIsoCountry(std::string_view code) {
  return std::binary_search(kIsoCountries.begin(), kIsoCountries.end(), code);
}

bool IsProvinceMidCode(std::string_view code) {
  return std::any_of(kProvinces.begin(), kProvinces.end(),
                     [&](const Province& p) { return p.mid == code; });
}

// Whether `rest` (upper-case alphanumerics after the country code) splits into a name of 2-6
// characters with at least one letter, 0-4 digits and 0-3 letters.
bool IsMidBody(std::string_view rest) {
  for (size_t len = 2; len <= 6 && len <= rest.size(); ++len) {
    const std::string_view name = rest.substr(0, len);
    if (!std::any_of(name.begin(), name.end(), IsUpper)) continue;
    std::string_view tail = rest.substr(len);
    size_t digits = 0;
    while (digits < tail.size() && IsDigit(tail[digits])) ++digits;
    if (digits > 4) continue;
    tail.remove_prefix(digits);
    if (tail.size() <= 3 && std::all_of(tail.begin(), tail.end(), IsUpper)) return true;
  }
  return false;
}

Result<std::string> ValidateMid(std::string_view v) {
  constexpr Scheme s = Scheme::kMid;
  if (v.size() > 15) return Invalid(s, "must be at most 15 characters" + LengthIs(v.size()));
  ASSIGN_OR_RETURN(std::string out, MatchPattern(s, v, std::string(v.size(), 'X')));
  if (out.size() < 4) {
    return Invalid(
        s, "must be at least 4 characters (country and a name of 2 or more)" + LengthIs(v.size()));
  }
  const std::string country = out.substr(0, 2);
  if (country == "CA") {
    return Invalid(s,
                   "country CA is not used; Canada takes a province code (XA XC XM XB XW XT XN "
                   "XV XO XP XQ XS XY)");
  }
  if (!IsIsoCountry(country) && !IsProvinceMidCode(country)) {
    return Invalid(s, "\"" + country +
                          "\" is neither an ISO 3166-1 alpha-2 country code nor a Canadian "
                          "province code");
  }
  if (!IsMidBody(std::string_view(out).substr(2))) {
    return Invalid(s, "\"" + out.substr(2) +
                          "\" is not a name (2-6 characters, at least one letter), a street "
                          "number (0-4 digits) and a city (0-3 letters)");
  }
  return out;
}

Result<std::string> ValidateGs1(Scheme s, std::string_view v, std::string_view lengths,
                                bool (*length_ok)(size_t)) {
  if (!length_ok(v.size())) {
    return Invalid(s, "must be " + std::string(lengths) + " digits" + LengthIs(v.size()));
  }
  ASSIGN_OR_RETURN(std::string out, MatchPattern(s, v, std::string(v.size(), '9')));
  RETURN_IF_ERROR(
      CheckDigitIs(s, out.back(), Gs1CheckDigit(std::string_view(out).substr(0, out.size() - 1))));
  return out;
}

Result<std::string> ValidateGln(std::string_view v) {
  return ValidateGs1(Scheme::kGln, v, "13", [](size_t n) { return n == 13; });
}

Result<std::string> ValidateGtin(std::string_view v) {
  ASSIGN_OR_RETURN(std::string out, ValidateGs1(Scheme::kGtin, v, "8, 12, 13 or 14", [](size_t n) {
                     return n == 8 || n == 12 || n == 13 || n == 14;
                   }));
  out.insert(0, 14 - out.size(), '0');
  return out;
}

Result<std::string> ValidateBn(std::string_view v) {
  constexpr Scheme s = Scheme::kBn;
  if (v.size() != 15) {
    return Invalid(
        s, "must be 15 characters: 9 digits, a 2-letter program and 4 digits" + LengthIs(v.size()));
  }
  ASSIGN_OR_RETURN(std::string out, MatchPattern(s, v, "999999999AA9999"));
  const std::string program = out.substr(9, 2);
  if (!Contains(kBnPrograms, program)) {
    return Invalid(
        s, "program identifier \"" + program + "\" is not one of RT RP RC RM RR RZ RN RD RG");
  }
  // The root ends in a Luhn check digit. No CRA publication saying so was found; the rule is
  // what python-stdnum (ca/bn.py, with about 100 business numbers collected from public records,
  // all passing), its JavaScript port and Microsoft Dynamics AX ("mod10") apply. See
  // docs/formats/identifiers.md.
  RETURN_IF_ERROR(CheckDigitIs(s, out[8], LuhnCheckDigit(std::string_view(out).substr(0, 8)),
                               "of the business number"));
  return out;
}

// The SAT value of an RFC character: 0-9, A-N 10-23, & 24, O-Z 25-36, space 37, Ñ 38.
int RfcValue(char c) {
  if (IsDigit(c)) return c - '0';
  if (c >= 'A' && c <= 'N') return c - 'A' + 10;
  if (c == '&') return 24;
  if (c >= 'O' && c <= 'Z') return c - 'O' + 25;
  if (c == ' ') return 37;
  return 38;  // kEnye
}

// The SAT check character for the RFC without its last character (11 or 12 characters; a
// legal entity's is right-aligned in 12 with a leading space): sum of value * (13 - i) over the
// 12 positions, check = (11 - sum mod 11) mod 11, written 0-9 or A for 10. Algorithm as in the
// SAT document published through IFAI request 0610100162005 and python-stdnum's mx/rfc.py.
// Caution: python-stdnum reports that about 1.5% of RFCs in use (confirmed on the SAT portal)
// fail this check, which is why it leaves the check off by default; this validator enforces it.
char RfcCheckChar(std::string_view body) {
  std::string padded(12 - body.size(), ' ');
  padded.append(body);
  int sum = 0;
  for (size_t i = 0; i < 12; ++i) sum += RfcValue(padded[i]) * static_cast<int>(13 - i);
  const int check = (11 - sum % 11) % 11;
  return check == 10 ? 'A' : static_cast<char>('0' + check);
}

bool IsValidYymmdd(std::string_view d) {
  const int yy = (d[0] - '0') * 10 + (d[1] - '0');
  const int mm = (d[2] - '0') * 10 + (d[3] - '0');
  const int dd = (d[4] - '0') * 10 + (d[5] - '0');
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mm < 1 || mm > 12 || dd < 1 || dd > kDays[mm - 1]) return false;
  // The century is not written; 19YY and 20YY agree on leap years except 1900, and 2000 was
  // one, so February 29 is accepted whenever YY is a multiple of 4.
  return !(mm == 2 && dd == 29 && yy % 4 != 0);
}

Result<std::string> ValidateRfc(std::string_view v) {
  constexpr Scheme s = Scheme::kRfc;
  // Decode to one byte per character (Ñ as kEnye), remembering each character's input offset.
  std::string chars;
  std::vector<size_t> offsets;
  for (size_t i = 0; i < v.size(); ++i) {
    const auto b = static_cast<uint8_t>(v[i]);
    if (b == 0xC3 && i + 1 < v.size() &&
        (static_cast<uint8_t>(v[i + 1]) == 0x91 || static_cast<uint8_t>(v[i + 1]) == 0xB1)) {
      chars.push_back(kEnye);
      offsets.push_back(i);
      ++i;
      continue;
    }
    const char c = ToUpper(v[i]);
    if (!IsDigit(c) && !IsUpper(c) && c != '&') {
      return BadChar(s, v, i, "A-Z, 0-9, & or N-tilde");
    }
    chars.push_back(c);
    offsets.push_back(i);
  }
  if (chars.size() != 12 && chars.size() != 13) {
    return Invalid(
        s, "must be 12 (legal entity) or 13 (individual) characters" + LengthIs(chars.size()));
  }
  const size_t letters = chars.size() - 9;
  for (size_t i = 0; i < letters; ++i) {
    if (!IsUpper(chars[i]) && chars[i] != '&' && chars[i] != kEnye) {
      return BadChar(s, v, offsets[i], "a letter, & or N-tilde in the name part");
    }
  }
  for (size_t i = letters; i < letters + 6; ++i) {
    if (!IsDigit(chars[i])) return BadChar(s, v, offsets[i], "a digit of the YYMMDD date");
  }
  const std::string_view date = std::string_view(chars).substr(letters, 6);
  if (!IsValidYymmdd(date)) {
    return Invalid(s, "date " + std::string(date) + " is not a valid YYMMDD date");
  }
  for (size_t i = letters + 6; i < chars.size(); ++i) {
    const char c = chars[i];
    const bool ok = i + 1 < chars.size() ? IsDigit(c) || IsUpper(c) : IsDigit(c) || c == 'A';
    if (!ok) {
      return BadChar(s, v, offsets[i],
                     i + 1 < chars.size() ? "a letter or digit in the homoclave"
                                          : "a digit or A as the check character");
    }
  }
  const char expected = RfcCheckChar(std::string_view(chars).substr(0, chars.size() - 1));
  if (chars.back() != expected) {
    return Invalid(s, std::string("check character ") + chars.back() + " is wrong (expected " +
                          expected + "; SAT mod 11)");
  }
  std::string out;
  for (char c : chars) {
    if (c == kEnye) {
      out.append(kEnyeUtf8);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

Result<std::string> ValidateDuns(std::string_view v) {
  constexpr Scheme s = Scheme::kDuns;
  if (v.size() == 9) return MatchPattern(s, v, "999999999");
  if (v.size() == 11) {
    ASSIGN_OR_RETURN(std::string out, MatchPattern(s, v, "99-999-9999"));
    out.erase(std::remove(out.begin(), out.end(), '-'), out.end());
    return out;
  }
  return Invalid(s, "must be 9 digits (NNNNNNNNN or NN-NNN-NNNN)" + LengthIs(v.size()));
}

// Input bytes a MID field may hold: printable ASCII and tab.
Status CheckMidField(std::string_view field, std::string_view what) {
  for (size_t i = 0; i < field.size(); ++i) {
    const auto b = static_cast<uint8_t>(field[i]);
    if (b == '\t' || (b >= 0x20 && b < 0x7f)) continue;
    return Invalid(Scheme::kMid, std::string(what) + " contains " + Describe(field[i]) +
                                     " at offset " + std::to_string(i) +
                                     "; transliterate it to ASCII (A-Z, 0-9) first");
  }
  return Status::Ok();
}

std::string UpperTrimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  std::string out(s);
  for (char& c : out) c = ToUpper(c);
  return out;
}

Result<std::string> MidCountry(const MidInput& input) {
  constexpr Scheme s = Scheme::kMid;
  RETURN_IF_ERROR(CheckMidField(input.country, "country"));
  const std::string country = UpperTrimmed(input.country);
  if (country.size() != 2 || !IsIsoCountry(country)) {
    return Invalid(s, "country must be an ISO 3166-1 alpha-2 code such as CN or CA");
  }
  if (country != "CA") return country;
  RETURN_IF_ERROR(CheckMidField(input.province, "province"));
  const std::string province = UpperTrimmed(input.province);
  if (province.empty()) {
    return Invalid(s,
                   "country CA needs a province: AB BC MB NB NL NT NS NU ON PE QC SK YT (the "
                   "MID uses its province code)");
  }
  for (const Province& p : kProvinces) {
    if (p.postal == province) return std::string(p.mid);
  }
  return Invalid(s, "province must be one of AB BC MB NB NL NT NS NU ON PE QC SK YT");
}

Result<std::string> MidName(std::string_view name) {
  constexpr Scheme s = Scheme::kMid;
  RETURN_IF_ERROR(CheckMidField(name, "manufacturer name"));
  // Tokens: runs of letters and digits; hyphens and apostrophes vanish inside a token, every
  // other non-alphanumeric byte ends it.
  std::vector<std::string> tokens;
  std::string cur;
  for (char c : name) {
    if (IsAlnum(c)) {
      cur.push_back(ToUpper(c));
    } else if (c != '-' && c != '\'') {
      if (!cur.empty()) tokens.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) tokens.push_back(std::move(cur));

  // Words: two or more single letters in a row are one word of initials, which the ignored
  // English words never match ("A B C" is ABC, "A N Corp" is AN + COR).
  std::vector<std::string> words;
  for (size_t i = 0; i < tokens.size() && words.size() < 2;) {
    size_t j = i;
    while (j < tokens.size() && tokens[j].size() == 1 && IsUpper(tokens[j][0])) ++j;
    if (j - i >= 2) {
      std::string initials;
      for (size_t k = i; k < j; ++k) initials += tokens[k];
      words.push_back(std::move(initials));
      i = j;
      continue;
    }
    const std::string& t = tokens[i];
    if (t != "A" && t != "AN" && t != "AND" && t != "OF" && t != "THE") words.push_back(t);
    ++i;
  }
  std::string out;
  for (const std::string& w : words) out += w.substr(0, 3);
  if (out.size() < 2 || !std::any_of(out.begin(), out.end(), IsUpper)) {
    return Invalid(s,
                   "manufacturer name must yield at least 2 characters with a letter (after "
                   "ignoring A, AN, AND, OF, THE and punctuation)");
  }
  return out;
}

// The first four digits of the largest number on the line (leading zeros ignored).
std::string MidNumber(std::string_view line) {
  std::string best;
  for (size_t i = 0; i < line.size();) {
    if (!IsDigit(line[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < line.size() && IsDigit(line[j])) ++j;
    std::string_view run = line.substr(i, j - i);
    while (run.size() > 1 && run.front() == '0') run.remove_prefix(1);
    if (best.empty() || run.size() > best.size() || (run.size() == best.size() && run > best)) {
      best = std::string(run);
    }
    i = j;
  }
  return best.substr(0, 4);
}

Result<std::string> MidCity(std::string_view city) {
  RETURN_IF_ERROR(CheckMidField(city, "city"));
  std::string out;
  for (char c : city) {
    if (IsAlpha(c) && out.size() < 3) out.push_back(ToUpper(c));
  }
  if (out.empty()) return Invalid(Scheme::kMid, "city must contain a letter");
  return out;
}

}  // namespace

std::string_view SchemeName(Scheme scheme) {
  switch (scheme) {
    case Scheme::kLei:
      return "lei";
    case Scheme::kEin:
      return "ein";
    case Scheme::kIor:
      return "ior";
    case Scheme::kCbp:
      return "cbp";
    case Scheme::kMid:
      return "mid";
    case Scheme::kGln:
      return "gln";
    case Scheme::kGtin:
      return "gtin";
    case Scheme::kBn:
      return "bn";
    case Scheme::kRfc:
      return "rfc";
    case Scheme::kDuns:
      return "duns";
  }
  return "unknown";
}

Result<Scheme> ParseScheme(std::string_view name) {
  for (Scheme s : kSchemes) {
    if (SchemeName(s) == name) return s;
  }
  std::string shown;
  for (size_t i = 0; i < name.size() && i < 32; ++i) {
    const auto b = static_cast<uint8_t>(name[i]);
    shown += (b >= 0x20 && b < 0x7f && b != '"' && b != '\\') ? std::string(1, name[i]) : "?";
  }
  if (name.size() > 32) shown += "...";
  std::string known;
  for (Scheme s : kSchemes) {
    if (!known.empty()) known += ", ";
    known += SchemeName(s);
  }
  return InvalidArgumentError("unknown identifier scheme \"" + shown + "\" (known: " + known + ")");
}

std::span<const Scheme> AllSchemes() { return kSchemes; }

Result<std::string> ValidateIdentifier(Scheme scheme, std::string_view value) {
  switch (scheme) {
    case Scheme::kLei:
      return ValidateLei(value);
    case Scheme::kEin:
      return ValidateEin(value);
    case Scheme::kIor:
      return ValidateIor(value);
    case Scheme::kCbp:
      return ValidateCbp(value);
    case Scheme::kMid:
      return ValidateMid(value);
    case Scheme::kGln:
      return ValidateGln(value);
    case Scheme::kGtin:
      return ValidateGtin(value);
    case Scheme::kBn:
      return ValidateBn(value);
    case Scheme::kRfc:
      return ValidateRfc(value);
    case Scheme::kDuns:
      return ValidateDuns(value);
  }
  return InvalidArgumentError("unknown identifier scheme");
}

Result<std::string> ValidateIdentifier(std::string_view scheme, std::string_view value) {
  ASSIGN_OR_RETURN(Scheme s, ParseScheme(scheme));
  return ValidateIdentifier(s, value);
}

std::string LeiCheckDigits(std::string_view first18) {
  if (first18.size() != 18 || !std::all_of(first18.begin(), first18.end(), IsAlnum)) return "";
  std::string s;
  for (char c : first18) s.push_back(ToUpper(c));
  s += "00";
  const int check = 98 - Mod97(s);
  return {static_cast<char>('0' + check / 10), static_cast<char>('0' + check % 10)};
}

int Gs1CheckDigit(std::string_view digits_without_check) {
  if (digits_without_check.empty() || !IsAllDigits(digits_without_check)) return -1;
  int sum = 0;
  int weight = 3;
  for (size_t i = digits_without_check.size(); i-- > 0;) {
    sum = (sum + weight * (digits_without_check[i] - '0')) % 10;
    weight = 4 - weight;
  }
  return (10 - sum) % 10;
}

Result<std::string> BuildMid(const MidInput& input) {
  ASSIGN_OR_RETURN(std::string country, MidCountry(input));
  ASSIGN_OR_RETURN(std::string name, MidName(input.manufacturer_name));
  ASSIGN_OR_RETURN(std::string city, MidCity(input.city));
  return country + name + MidNumber(input.address_line) + city;
}

}  // namespace traceport::registry
