// Legal identifiers of the actors in the trust registry: validation, normalization and the
// check-digit arithmetic behind them.
//
// Each scheme is checked for its published structure and, where the scheme has one, its check
// digit; the value is returned in one canonical spelling so that two spellings of the same
// identifier compare equal. A valid result means the identifier is well formed, never that it
// was issued or is still active: that is what the registry's admissions and credentials are for.
// docs/formats/identifiers.md gives each scheme's rules and the sources they come from.
//
// Input is untrusted: every function accepts arbitrary bytes. Values are ASCII except the
// Mexican RFC, whose name letters may include "Ñ" (UTF-8 C3 91, or "ñ" C3 B1). Letters may be
// given in either case; surrounding or embedded spaces are refused, not trimmed. Error messages
// are printable ASCII and never copy raw input bytes.
//
// Thread safety: all functions are pure and may be called concurrently.
#ifndef TRACEPORT_REGISTRY_IDENTIFIERS_H_
#define TRACEPORT_REGISTRY_IDENTIFIERS_H_

#include <span>
#include <string>
#include <string_view>

#include "common/status.h"

namespace traceport::registry {

// The identifier schemes the registry accepts. Short names (SchemeName) are stable API values.
enum class Scheme {
  kLei,   // "lei"   ISO 17442 Legal Entity Identifier: 20 characters [0-9A-Z]{18}[0-9]{2},
          //         ISO/IEC 7064 MOD 97-10 (A=10 ... Z=35; valid iff the number mod 97 == 1).
  kEin,   // "ein"   IRS Employer Identification Number NN-NNNNNNN (hyphen optional on input);
          //         prefixes the IRS never assigns are refused.
  kIor,   // "ior"   CBP importer-of-record number, hyphens required (they tell the forms apart):
          //         EIN + suffix NN-NNNNNNNXX (EIN prefix checked as for "ein"; suffix
          //         [0-9A-Z]{2} without O, I, Z), or SSN NNN-NN-NNNN (no area 000, 666,
          //         900-999, group 00, serial 0000), or CBP-assigned YYDDPP-NNNNN.
  kCbp,   // "cbp"   CBP-assigned number YYDDPP-NNNNN (hyphen optional on input).
  kMid,   // "mid"   Manufacturer identification code (19 CFR 102 appendix): at most 15 of
          //         [A-Z0-9]; ISO 3166-1 alpha-2 country (never CA) or a Canadian province code
          //         (XA XC XM XB XW XT XN XV XO XP XQ XS XY); 2-6 name characters with at least
          //         one letter; 0-4 street-number digits; 0-3 city letters.
  kGln,   // "gln"   GS1 Global Location Number: 13 digits, GS1 mod-10 check digit.
  kGtin,  // "gtin"  GS1 GTIN-8/12/13/14 with the GS1 check digit; normalized to 14 digits.
  kBn,    // "bn"    Canadian business number program account: 9-digit root (Luhn check digit)
          //         + program RT RP RC RM RR RZ RN RD RG + 4-digit reference: 123456789RM0001.
  kRfc,   // "rfc"   Mexican RFC: 3 (legal entity) or 4 (individual) letters [A-ZÑ&], a valid
          //         YYMMDD date, homoclave [A-Z0-9]{2}[0-9A] whose last character is the SAT
          //         mod-11 check digit (enforced, although a small share of RFCs the SAT has
          //         issued fail it: see docs/formats/identifiers.md).
  kDuns,  // "duns"  Dun & Bradstreet D-U-N-S number: 9 digits (NN-NNN-NNNN accepted); no check.
};

// "lei", "ein", ...
std::string_view SchemeName(Scheme scheme);
// The scheme named `name` (exactly, lower case); InvalidArgument listing the known names.
Result<Scheme> ParseScheme(std::string_view name);
// Every scheme, in declaration order.
std::span<const Scheme> AllSchemes();

// Validates `value` as an identifier of `scheme` and returns its normalized form: upper case,
// canonical hyphenation (EIN NN-NNNNNNN, CBP YYDDPP-NNNNN, DUNS without hyphens), GTIN padded
// to 14 digits. The normalized form is a fixed point: validating it returns it unchanged.
// Errors are InvalidArgument with a message that starts with the scheme name and says what is
// wrong, e.g.
//   "lei: check digits \"99\" do not verify (ISO/IEC 7064 MOD 97-10; expected \"86\")"
//   "gln: check digit 3 is wrong (expected 7)"
//   "ein: prefix 07 is not assigned by the IRS"
//   "mid: must be at most 15 characters"
Result<std::string> ValidateIdentifier(Scheme scheme, std::string_view value);
// The same with the scheme given by name (ParseScheme's errors for an unknown name).
Result<std::string> ValidateIdentifier(std::string_view scheme, std::string_view value);

// The two ISO/IEC 7064 MOD 97-10 check digits of an LEI whose first 18 characters are
// `first18` ("02" to "98"). Lower-case letters count as upper case. Returns "" when `first18`
// is not exactly 18 characters of [0-9A-Za-z].
std::string LeiCheckDigits(std::string_view first18);

// The GS1 mod-10 check digit (0..9) for `digits_without_check`: weights 3, 1, 3, ... from the
// rightmost digit leftwards; check = (10 - sum mod 10) mod 10. Used by GTIN, GLN, SSCC and the
// other GS1 keys. Returns -1 when the input is empty or holds anything but ASCII digits.
int Gs1CheckDigit(std::string_view digits_without_check);

// What BuildMid needs: the manufacturer's name and address as printed on its documents.
struct MidInput {
  std::string country;            // ISO 3166-1 alpha-2 code of the country of origin
  std::string province;           // for "CA" only: AB BC MB NB NL NT NS NU ON PE QC SK YT
  std::string manufacturer_name;  // e.g. "Amalgamated Plastics Corp."
  std::string address_line;       // the street address line, e.g. "1234 King St"
  std::string city;               // e.g. "Toronto"
};

// Constructs a MID by the rules of the 19 CFR Part 102 appendix:
//   country  the ISO code; for CA the province code instead (ON -> XO, QC -> XQ, ...); the
//            province is ignored for any other country.
//   name     the first three characters of each of the first two words (fewer when a word is
//            shorter; a one-word name gives its first three). Words are separated by spaces and
//            by punctuation other than hyphens and apostrophes, which are dropped so that
//            "Rawles-Aden" and "O'Brien" are one word each. Two or more single letters in a
//            row are initials and form one word ("A.B.C. Company", "A B C Company" -> ABCCOM).
//            The words A, AN, AND, OF, THE are ignored. Digits count as characters
//            ("20th Century Fox" -> 20TCEN).
//   number   the largest number on the street address line (leading zeros ignored); its first
//            four digits when it has more; nothing when the line has no digits.
//   city     the first three letters of the city, skipping spaces, punctuation and digits.
// Example: {"CA", "ON", "Amalgamated Plastics Corp.", "1234 King St", "Toronto"} gives
// "XOAMAPLA1234TOR". The result always passes ValidateIdentifier(Scheme::kMid, ...).
// InvalidArgument (prefixed "mid: ") for an unknown country or province, a missing province
// for CA, a name that yields fewer than two characters or no letter, a city with no letter,
// and for bytes other than printable ASCII and tab in the country, province, name or city (the
// MID alphabet is A-Z and 0-9: transliterate first). Country and province may carry surrounding
// spaces. The address line may hold any bytes; only its ASCII digits count.
Result<std::string> BuildMid(const MidInput& input);

}  // namespace traceport::registry

#endif  // TRACEPORT_REGISTRY_IDENTIFIERS_H_
