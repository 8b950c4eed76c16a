// Text normalisation for the assistant's retrieval: words are lowercased, accents folded
// (Spanish and French questions match their unaccented spelling), and English suffixes
// stripped lightly ("cars" -> "car", "claiming" -> "claim", "certified" -> "certify"), so the
// knowledge base and the user's question meet on the same terms. A small stopword list (English,
// Spanish, French) keeps function words out of scoring, and an edit distance lets a misspelt
// word find its vocabulary term.
//
// The stemmer is deliberately light: it only has to map the forms a question and an answer are
// likely to use onto one term, and it is applied identically to both sides, so an odd stem
// ("certificate" -> "certificat") does no harm.
//
// Thread safety: all functions are pure.
#ifndef TRACEPORT_ASSIST_TEXT_H_
#define TRACEPORT_ASSIST_TEXT_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace traceport::assist {

struct Token {
  std::string folded;  // lowercase, accents folded: "México" -> "mexico"
  std::string stem;    // folded, then light English stemming: "duties" -> "duty"
  bool stop = false;   // a stopword (or a single letter): kept for phrase matching only
  size_t begin = 0;    // byte offsets of the word in the source text
  size_t end = 0;
};

// Splits `text` into words. Letters and digits form words; everything else separates them,
// except that a '.' between two digits stays in the word ("4.5") and a ',' between two digits
// is dropped ("100,000" -> "100000"), and a '+' that ends a word stays ("S+"). Latin letters with
// diacritics are folded to ASCII ("é" -> "e", "ñ" -> "n", "œ" -> "oe"); other non-ASCII letters are
// kept as they are. Bytes that are not valid UTF-8 separate words. At most `max_tokens` words are
// returned.
std::vector<Token> Tokenize(std::string_view text, size_t max_tokens = 512);

// Lowercase and accent-folded copy of `text` (the same folding as Tokenize), with every run of
// separators turned into one space and no leading or trailing space: the form phrase rules
// (hostile input, calculator keywords) are matched against.
std::string FoldText(std::string_view text);

// Light English stemming of a folded word. Words of three letters or fewer and words with
// digits are returned unchanged.
std::string Stem(std::string_view folded);

// Whether a folded word is an English, Spanish or French function word.
bool IsStopword(std::string_view folded);

// The optimal-string-alignment Damerau-Levenshtein distance between `a` and `b` (insertions,
// deletions, substitutions and transpositions of adjacent characters, bytewise), or
// `max_distance + 1` as soon as it is known to exceed `max_distance`.
int EditDistance(std::string_view a, std::string_view b, int max_distance);

}  // namespace traceport::assist

#endif  // TRACEPORT_ASSIST_TEXT_H_
