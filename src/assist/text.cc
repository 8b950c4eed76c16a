#include "assist/text.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace traceport::assist {
namespace {

// Decodes one UTF-8 sequence at `pos`; returns its length, or 0 for an invalid sequence
// (truncated, overlong, surrogate, above U+10FFFF), in which case one byte is skipped.
size_t DecodeUtf8(std::string_view s, size_t pos, uint32_t* cp) {
  const auto b = [&](size_t i) { return static_cast<uint8_t>(s[pos + i]); };
  const uint8_t c0 = b(0);
  if (c0 < 0x80) {
    *cp = c0;
    return 1;
  }
  size_t len;
  uint32_t v;
  uint32_t min;
  if ((c0 & 0xE0) == 0xC0) {
    len = 2, v = c0 & 0x1F, min = 0x80;
  } else if ((c0 & 0xF0) == 0xE0) {
    len = 3, v = c0 & 0x0F, min = 0x800;
  } else if ((c0 & 0xF8) == 0xF0) {
    len = 4, v = c0 & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (pos + len > s.size()) return 0;
  for (size_t i = 1; i < len; ++i) {
    if ((b(i) & 0xC0) != 0x80) return 0;
    v = (v << 6) | (b(i) & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
  *cp = v;
  return len;
}

enum class CharClass { kSeparator, kAscii, kFolded, kOther };

// Latin-1 Supplement letters U+00C0..U+00FF folded to ASCII ("" for x and ÷, which separate).
constexpr const char* kLatin1[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y"};

// Latin Extended-A U+0100..U+017F: ranges that fold to one ASCII form.
struct FoldRange {
  uint32_t first;
  uint32_t last;
  const char* ascii;
};
constexpr FoldRange kLatinExtendedA[] = {
    {0x100, 0x105, "a"}, {0x106, 0x10D, "c"},  {0x10E, 0x111, "d"}, {0x112, 0x11B, "e"},
    {0x11C, 0x123, "g"}, {0x124, 0x127, "h"},  {0x128, 0x131, "i"}, {0x132, 0x133, "ij"},
    {0x134, 0x135, "j"}, {0x136, 0x138, "k"},  {0x139, 0x142, "l"}, {0x143, 0x14B, "n"},
    {0x14C, 0x151, "o"}, {0x152, 0x153, "oe"}, {0x154, 0x159, "r"}, {0x15A, 0x161, "s"},
    {0x162, 0x167, "t"}, {0x168, 0x173, "u"},  {0x174, 0x175, "w"}, {0x176, 0x178, "y"},
    {0x179, 0x17E, "z"}, {0x17F, 0x17F, "s"}};

// Classifies a code point; for letters that fold, `*ascii` receives the folded form.
CharClass Classify(uint32_t cp, const char** ascii) {
  if (cp < 0x80) {
    if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) return CharClass::kAscii;
    if (cp >= 'A' && cp <= 'Z') return CharClass::kAscii;
    return CharClass::kSeparator;
  }
  if (cp >= 0xC0 && cp <= 0xFF) {
    *ascii = kLatin1[cp - 0xC0];
    return **ascii == '\0' ? CharClass::kSeparator : CharClass::kFolded;
  }
  if (cp >= 0x100 && cp <= 0x17F) {
    for (const FoldRange& r : kLatinExtendedA) {
      if (cp >= r.first && cp <= r.last) {
        *ascii = r.ascii;
        return CharClass::kFolded;
      }
    }
  }
  // Punctuation, symbols and spaces of the blocks a question is likely to contain.
  if (cp < 0xC0 || (cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) ||
      (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF || (cp >= 0xFF00 && cp <= 0xFF0F)) {
    return CharClass::kSeparator;
  }
  return CharClass::kOther;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Whether a byte can continue a word: an ASCII letter or digit, or part of a non-ASCII character.
bool IsWordByte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || u >= 0x80;
}

bool HasDigit(std::string_view w) { return std::any_of(w.begin(), w.end(), IsDigit); }

bool IsVowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

bool HasVowel(std::string_view w) { return std::any_of(w.begin(), w.end(), IsVowel); }

bool EndsWith(std::string_view w, std::string_view suffix) {
  return w.size() >= suffix.size() && w.substr(w.size() - suffix.size()) == suffix;
}

// "shipp" -> "ship", but "fill", "pass" and "buzz" keep their double letter.
void Undouble(std::string& w) {
  const size_t n = w.size();
  if (n >= 2 && w[n - 1] == w[n - 2] && !IsVowel(w[n - 1]) && w[n - 1] != 'l' && w[n - 1] != 's' &&
      w[n - 1] != 'z' && !IsDigit(w[n - 1])) {
    w.pop_back();
  }
}

// Walks `text` calling `word(folded_bytes)` for each letter, `digit_sep(c)` for '.'/',' between
// digits and `sep()` for each separator.
template <typename OnLetter, typename OnSep>
void Walk(std::string_view text, OnLetter on_letter, OnSep on_sep) {
  size_t pos = 0;
  while (pos < text.size()) {
    uint32_t cp = 0;
    const size_t len = DecodeUtf8(text, pos, &cp);
    if (len == 0) {
      on_sep(pos, pos + 1, '\0');
      ++pos;
      continue;
    }
    const char* ascii = nullptr;
    switch (Classify(cp, &ascii)) {
      case CharClass::kAscii: {
        char c = static_cast<char>(cp);
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        on_letter(pos, pos + len, std::string_view(&c, 1));
        break;
      }
      case CharClass::kFolded:
        on_letter(pos, pos + len, std::string_view(ascii));
        break;
      case CharClass::kOther:
        on_letter(pos, pos + len, text.substr(pos, len));
        break;
      case CharClass::kSeparator:
        on_sep(pos, pos + len, cp < 0x80 ? static_cast<char>(cp) : '\0');
        break;
    }
    pos += len;
  }
}

}  // namespace

std::vector<Token> Tokenize(std::string_view text, size_t max_tokens) {
  std::vector<Token> out;
  Token cur;
  bool open = false;
  const auto flush = [&] {
    if (!open) return;
    open = false;
    if (out.size() >= max_tokens) return;
    cur.stem = Stem(cur.folded);
    cur.stop = IsStopword(cur.folded) || (cur.folded.size() == 1 && !IsDigit(cur.folded[0]));
    out.push_back(std::move(cur));
    cur = Token();
  };
  Walk(
      text,
      [&](size_t begin, size_t end, std::string_view letters) {
        if (!open) {
          open = true;
          cur.begin = begin;
        }
        cur.folded.append(letters);
        cur.end = end;
      },
      [&](size_t begin, size_t end, char c) {
        // Keep "4.5" and "100,000" whole: a '.' or ',' with digits on both sides.
        if ((c == '.' || c == ',') && open && !cur.folded.empty() && IsDigit(cur.folded.back()) &&
            end < text.size() && IsDigit(text[end])) {
          if (c == '.') cur.folded.push_back('.');
          cur.end = end;
          return;
        }
        // A '+' closing a word belongs to it: "S+" (a special program indicator) is not "S".
        if (c == '+' && open && (end >= text.size() || !IsWordByte(text[end]))) {
          cur.folded.push_back('+');
          cur.end = end;
          return;
        }
        (void)begin;
        flush();
      });
  flush();
  return out;
}

std::string FoldText(std::string_view text) {
  std::string out;
  bool pending_space = false;
  Walk(
      text,
      [&](size_t, size_t, std::string_view letters) {
        if (pending_space && !out.empty()) out.push_back(' ');
        pending_space = false;
        out.append(letters);
      },
      [&](size_t, size_t, char c) {
        // Punctuation that phrase rules look for ("<script", "${", "%") is kept as itself.
        if (c != '\0' && c != ' ' && c != '\t' && c != '\n' && c != '\r') {
          if (pending_space && !out.empty()) out.push_back(' ');
          pending_space = false;
          out.push_back(c);
          return;
        }
        pending_space = true;
      });
  return out;
}

std::string Stem(std::string_view folded) {
  // Irregular forms the suffix rules would miss or mangle ("used" -> "us").
  static constexpr std::string_view kIrregular[][2] = {
      {"used", "use"},       {"using", "use"},   {"uses", "use"},  {"made", "make"},
      {"making", "make"},    {"paid", "pay"},    {"sold", "sell"}, {"bought", "buy"},
      {"sent", "send"},      {"kept", "keep"},   {"gave", "give"}, {"given", "give"},
      {"went", "go"},        {"done", "do"},     {"came", "come"}, {"left", "leave"},
      {"children", "child"}, {"women", "woman"}, {"men", "man"}};
  for (const auto& [form, stem] : kIrregular) {
    if (folded == form) return Stem(stem);
  }
  std::string w(folded);
  if (w.size() <= 3 || HasDigit(w)) return w;
  // Plurals.
  if (EndsWith(w, "ies") && w.size() > 4) {
    w.resize(w.size() - 3);
    w += 'y';
  } else if (EndsWith(w, "sses") || EndsWith(w, "xes") || EndsWith(w, "ches") ||
             EndsWith(w, "shes")) {
    w.resize(w.size() - 2);
  } else if (EndsWith(w, "s") && !EndsWith(w, "ss") && !EndsWith(w, "us") && !EndsWith(w, "is")) {
    w.pop_back();
  }
  // Verb endings, only when a syllable is left.
  if (EndsWith(w, "ing") && w.size() >= 6 &&
      HasVowel(std::string_view(w).substr(0, w.size() - 3))) {
    w.resize(w.size() - 3);
    Undouble(w);
  } else if (EndsWith(w, "ied") && w.size() > 4) {
    w.resize(w.size() - 3);
    w += 'y';
  } else if (EndsWith(w, "eed")) {
    w.pop_back();
  } else if (EndsWith(w, "ed") && w.size() >= 5 &&
             HasVowel(std::string_view(w).substr(0, w.size() - 2))) {
    w.resize(w.size() - 2);
    Undouble(w);
  }
  // A final silent "e", so that "rate", "rated" and "rating" meet ("fee" keeps its "ee").
  if (w.size() > 3 && w.back() == 'e' && w[w.size() - 2] != 'e') w.pop_back();
  return w;
}

bool IsStopword(std::string_view folded) {
  static const std::unordered_set<std::string_view>* const kStop =
      new std::unordered_set<std::string_view>{
          // English. "us" is not here: in a customs question it is usually "U.S.".
          "a", "an", "the", "is", "are", "was", "were", "be", "been", "being", "am", "do", "does",
          "did", "doing", "have", "has", "had", "having", "i", "me", "my", "we", "our", "you",
          "your", "it", "its", "this", "that", "these", "those", "of", "to", "in", "on", "at", "by",
          "for", "from", "with", "about", "as", "into", "and", "or", "but", "if", "then", "so",
          "than", "what", "whats", "which", "who", "whom", "whose", "when", "where", "why", "how",
          "can", "could", "would", "should", "shall", "will", "may", "might", "must", "there",
          "here", "please", "tell", "know", "any", "some", "get", "also", "just", "not", "no",
          "yes", "they", "them", "their", "he", "she", "his", "her", "s", "t", "don", "doesn",
          "isn", "im", "ive", "id", "hi", "hello", "hey", "thanks", "thank", "ok", "okay", "let",
          "need", "want", "like", "explain", "mean", "means", "much", "many", "other", "such",
          "one", "ones", "very", "too", "up", "out", "over", "under",
          // Conversational words that never say what a question is about ("is it even worth
          // ...", "my supplier keeps saying ...").
          "even", "actually", "really", "thing", "things", "stuff", "still", "say", "says",
          "saying", "said", "ask", "asks", "asked", "asking", "sometimes", "often", "usually",
          "maybe", "perhaps", "probably", "basically", "lot", "lots", "kind", "sort", "anything",
          "something", "everything", "nothing", "someone", "anyone", "somebody", "anybody",
          "wonder", "wondering", "guess", "think", "thought", "sure", "able", "fine", "well",
          "quick", "question", "questions", "wanted", "trying", "try", "currently", "got", "gets",
          "take", "takes", "told", "tells", "guys", "folks", "instead", "rather",
          // Spanish.
          "el", "la", "los", "las", "un", "una", "unos", "unas", "de", "del", "al", "y", "o", "que",
          "en", "para", "por", "con", "se", "es", "son", "su", "sus", "lo", "como", "cual",
          "cuales", "cuando", "donde", "quien", "quienes", "mi", "mis", "hay", "este", "esta",
          "esto", "estos", "estas", "ese", "esa", "sobre", "le", "les", "si", "cuanto", "cuanta",
          "debo", "puedo", "tengo",
          // French.
          "des", "du", "d", "l", "et", "ou", "qui", "quel", "quelle", "quels", "quelles", "pour",
          "par", "avec", "dans", "sur", "au", "aux", "ce", "cet", "cette", "ces", "est", "sont",
          "il", "elle", "je", "nous", "vous", "mon", "ma", "mes", "comment", "quand", "quoi", "ne",
          "pas", "sa", "son", "ses", "qu", "j", "n", "c", "faut", "dois", "peut"};
  return kStop->count(folded) > 0;
}

int EditDistance(std::string_view a, std::string_view b, int max_distance) {
  const int n = static_cast<int>(a.size());
  const int m = static_cast<int>(b.size());
  if (std::abs(n - m) > max_distance) return max_distance + 1;
  // Three rows of the optimal-string-alignment table.
  std::vector<int> prev2(m + 1), prev(m + 1), cur(m + 1);
  for (int j = 0; j <= m; ++j) prev[j] = j;
  for (int i = 1; i <= n; ++i) {
    cur[0] = i;
    int row_min = cur[0];
    for (int j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int v = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        v = std::min(v, prev2[j - 2] + 1);
      }
      cur[j] = v;
      row_min = std::min(row_min, v);
    }
    if (row_min > max_distance) return max_distance + 1;
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return std::min(prev[m], max_distance + 1);
}

}  // namespace traceport::assist
