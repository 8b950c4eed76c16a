#include "jsonld/nquads.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <numeric>
#include <utility>

namespace traceport::jsonld {
namespace {

constexpr char kHexUpper[] = "0123456789ABCDEF";

// The byte offset of the first byte that does not start a well-formed UTF-8 sequence (overlong
// forms, surrogates and code points above U+10FFFF are ill-formed), or npos.
size_t FirstInvalidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return i;
    }
    if (i + len > n || p[i + 1] < lo || p[i + 1] > hi) return i;
    for (size_t k = 2; k < len; ++k) {
      if (p[i + k] < 0x80 || p[i + k] > 0xBF) return i;
    }
    i += len;
  }
  return std::string_view::npos;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// "U+00E9": a code point named in an error message (messages stay printable ASCII).
std::string CodePointName(uint32_t cp) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "U+%04X", static_cast<unsigned>(cp));
  return buf;
}

// Characters IRIREF forbids (other than through UCHAR, which we also refuse for them).
inline bool ForbiddenInIri(uint32_t cp) {
  if (cp <= 0x20) return true;
  if (cp > '`' && cp < '{') return false;  // the lowercase letters, the common case
  switch (cp) {
    case '<':
    case '>':
    case '"':
    case '{':
    case '}':
    case '|':
    case '^':
    case '`':
    case '\\':
      return true;
    default:
      return false;
  }
}

bool IsPnCharsBase(uint32_t c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= 0xC0 && c <= 0xD6) ||
         (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x2FF) || (c >= 0x370 && c <= 0x37D) ||
         (c >= 0x37F && c <= 0x1FFF) || (c >= 0x200C && c <= 0x200D) ||
         (c >= 0x2070 && c <= 0x218F) || (c >= 0x2C00 && c <= 0x2FEF) ||
         (c >= 0x3001 && c <= 0xD7FF) || (c >= 0xF900 && c <= 0xFDCF) ||
         (c >= 0xFDF0 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0xEFFFF);
}

bool IsPnCharsU(uint32_t c) { return IsPnCharsBase(c) || c == '_' || c == ':'; }

bool IsPnChars(uint32_t c) {
  return IsPnCharsU(c) || c == '-' || (c >= '0' && c <= '9') || c == 0xB7 ||
         (c >= 0x300 && c <= 0x36F) || (c >= 0x203F && c <= 0x2040);
}

bool IsAlpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A scheme followed by ':' (RFC 3987): the mark of an absolute IRI.
bool HasScheme(std::string_view iri) {
  if (iri.empty() || !IsAlpha(iri[0])) return false;
  for (size_t i = 1; i < iri.size(); ++i) {
    const char c = iri[i];
    if (c == ':') return true;
    if (!IsAlpha(c) && !IsDigit(c) && c != '+' && c != '-' && c != '.') return false;
  }
  return false;
}

// A recursive-descent parser over validated UTF-8; one instance per document.
class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  Result<Dataset> Run() {
    if (const size_t bad = FirstInvalidUtf8(s_); bad != std::string_view::npos) {
      CountLinesUpTo(bad);
      return Error("invalid UTF-8");
    }
    Dataset quads;
    while (true) {
      SkipSpace();
      if (AtEnd()) break;
      const char c = s_[pos_];
      if (c == '\n' || c == '\r') {
        ConsumeLineBreak();
        continue;
      }
      if (c == '#') {
        SkipComment();
        continue;
      }
      Quad quad;
      RETURN_IF_ERROR(ParseStatement(&quad));
      quads.push_back(std::move(quad));
    }
    RemoveDuplicates(&quads);
    return quads;
  }

 private:
  bool AtEnd() const { return pos_ >= s_.size(); }
  char Peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }

  Status Error(std::string_view problem) const {
    std::string m = "nquads: line ";
    m += std::to_string(line_);
    m += ": ";
    m += problem;
    return InvalidArgumentError(std::move(m));
  }

  // Sets line_ to the line that holds byte `offset` (used for errors found before parsing).
  void CountLinesUpTo(size_t offset) {
    for (size_t i = 0; i < offset; ++i) {
      if (s_[i] == '\n' || (s_[i] == '\r' && (i + 1 >= s_.size() || s_[i + 1] != '\n'))) {
        ++line_;
      }
    }
  }

  void SkipSpace() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t')) ++pos_;
  }

  // Consumes one line break ("\n", "\r" or "\r\n").
  void ConsumeLineBreak() {
    if (s_[pos_] == '\r' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '\n') ++pos_;
    ++pos_;
    ++line_;
  }

  void SkipComment() {
    while (pos_ < s_.size() && s_[pos_] != '\n' && s_[pos_] != '\r') ++pos_;
  }

  // Decodes the code point at pos_ (input already validated) and advances past it.
  uint32_t NextCodePoint() {
    const auto c = static_cast<unsigned char>(s_[pos_]);
    if (c < 0x80) {
      ++pos_;
      return c;
    }
    const size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    uint32_t cp = c & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
    for (size_t k = 1; k < len; ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s_[pos_ + k]) & 0x3F);
    }
    pos_ += len;
    return cp;
  }

  // At a backslash followed by 'u' or 'U': reads the escape into *cp.
  Status ParseUchar(uint32_t* cp) {
    const size_t digits = s_[pos_ + 1] == 'u' ? 4 : 8;
    pos_ += 2;
    if (s_.size() - pos_ < digits) return Error("truncated \\u or \\U escape");
    uint32_t v = 0;
    for (size_t k = 0; k < digits; ++k) {
      const int h = HexValue(s_[pos_ + k]);
      if (h < 0) return Error("non-hex digit in a \\u or \\U escape");
      v = (v << 4) | static_cast<uint32_t>(h);
    }
    pos_ += digits;
    if (v > 0x10FFFF) return Error("\\U escape beyond U+10FFFF");
    if (v >= 0xD800 && v <= 0xDFFF)
      return Error("escape of a surrogate code point " + CodePointName(v));
    *cp = v;
    return Status::Ok();
  }

  // At '<': an absolute IRI.
  Status ParseIri(std::string* out) {
    ++pos_;
    while (pos_ < s_.size()) {
      const auto c = static_cast<unsigned char>(s_[pos_]);
      if (c == '>') break;
      if (c == '\\') {
        if (pos_ + 1 >= s_.size() || (s_[pos_ + 1] != 'u' && s_[pos_ + 1] != 'U')) {
          return Error("only \\u and \\U escapes are allowed in an IRI");
        }
        uint32_t cp = 0;
        RETURN_IF_ERROR(ParseUchar(&cp));
        if (ForbiddenInIri(cp)) {
          return Error("escape in an IRI stands for " + CodePointName(cp) +
                       ", which an IRI may not contain");
        }
        AppendUtf8(cp, out);
        continue;
      }
      if (c == '\n' || c == '\r') return Error("line break inside an IRI (missing '>')");
      if (c < 0x80 && ForbiddenInIri(c)) {
        return Error("character " + CodePointName(c) + " not allowed in an IRI");
      }
      // Copy the run of plain characters in one go.
      size_t end = pos_ + 1;
      while (end < s_.size()) {
        const auto d = static_cast<unsigned char>(s_[end]);
        if (d == '>' || d == '\\' || (d < 0x80 && ForbiddenInIri(d))) break;
        ++end;
      }
      out->append(s_.data() + pos_, end - pos_);
      pos_ = end;
    }
    if (AtEnd()) return Error("end of input inside an IRI (missing '>')");
    ++pos_;  // '>'
    if (!HasScheme(*out)) return Error("relative IRI (an absolute IRI with a scheme is required)");
    return Status::Ok();
  }

  // At '_': a blank node label; *out receives it without "_:".
  Status ParseBlank(std::string* out) {
    if (pos_ + 1 >= s_.size() || s_[pos_ + 1] != ':') return Error("expected ':' after '_'");
    pos_ += 2;
    const size_t start = pos_;
    if (AtEnd()) return Error("empty blank node label");
    {
      const uint32_t first = NextCodePoint();
      if (!IsPnCharsU(first) && !(first >= '0' && first <= '9')) {
        return Error("blank node label may not start with " + CodePointName(first));
      }
    }
    size_t end = pos_;  // end of the label without trailing dots
    while (!AtEnd()) {
      const size_t before = pos_;
      const uint32_t cp = NextCodePoint();
      if (cp == '.') continue;
      if (!IsPnChars(cp)) {
        pos_ = before;
        break;
      }
      end = pos_;
    }
    pos_ = end;  // a trailing '.' belongs to the statement, not the label
    out->assign(s_.data() + start, end - start);
    return Status::Ok();
  }

  // At '"': a literal with its optional datatype or language tag.
  Status ParseLiteral(Term* term) {
    term->kind = TermKind::kLiteral;
    std::string& value = term->value;
    ++pos_;
    while (true) {
      if (AtEnd()) return Error("end of input inside a string literal (missing '\"')");
      const char c = s_[pos_];
      if (c == '"') {
        ++pos_;
        break;
      }
      if (c == '\n' || c == '\r') return Error("line break inside a string literal");
      if (c != '\\') {
        // Copy the run of plain characters in one go.
        size_t end = pos_ + 1;
        while (end < s_.size() && s_[end] != '"' && s_[end] != '\\' && s_[end] != '\n' &&
               s_[end] != '\r') {
          ++end;
        }
        value.append(s_.data() + pos_, end - pos_);
        pos_ = end;
        continue;
      }
      if (pos_ + 1 >= s_.size()) return Error("end of input after '\\' in a string literal");
      const char e = s_[pos_ + 1];
      char decoded;
      switch (e) {
        case 't':
          decoded = '\t';
          break;
        case 'b':
          decoded = '\b';
          break;
        case 'n':
          decoded = '\n';
          break;
        case 'r':
          decoded = '\r';
          break;
        case 'f':
          decoded = '\f';
          break;
        case '"':
          decoded = '"';
          break;
        case '\'':
          decoded = '\'';
          break;
        case '\\':
          decoded = '\\';
          break;
        case 'u':
        case 'U': {
          uint32_t cp = 0;
          RETURN_IF_ERROR(ParseUchar(&cp));
          AppendUtf8(cp, &value);
          continue;
        }
        default:
          return Error(
              "invalid escape in a string literal (allowed: \\t \\b \\n \\r \\f \\\" "
              "\\' \\\\ \\u \\U)");
      }
      value.push_back(decoded);
      pos_ += 2;
    }
    if (Peek() == '^') {
      if (pos_ + 1 >= s_.size() || s_[pos_ + 1] != '^')
        return Error("expected '^^' before a datatype");
      pos_ += 2;
      if (Peek() != '<') return Error("expected an IRI after '^^'");
      return ParseIri(&term->datatype);
    }
    if (Peek() == '@') {
      ++pos_;
      const size_t start = pos_;
      while (pos_ < s_.size() && IsAlpha(s_[pos_])) ++pos_;
      if (pos_ == start) return Error("empty or invalid language tag after '@'");
      while (Peek() == '-') {
        const size_t sub = ++pos_;
        while (pos_ < s_.size() && (IsAlpha(s_[pos_]) || IsDigit(s_[pos_]))) ++pos_;
        if (pos_ == sub) return Error("empty subtag in a language tag");
      }
      term->language.assign(s_.data() + start, pos_ - start);
      term->datatype = kRdfLangString;
      return Status::Ok();
    }
    term->datatype = kXsdString;
    return Status::Ok();
  }

  Status ParseStatement(Quad* quad) {
    // Subject.
    if (Peek() == '<') {
      quad->subject.kind = TermKind::kIri;
      RETURN_IF_ERROR(ParseIri(&quad->subject.value));
    } else if (Peek() == '_') {
      quad->subject.kind = TermKind::kBlankNode;
      RETURN_IF_ERROR(ParseBlank(&quad->subject.value));
    } else {
      return Error("expected an IRI or a blank node as the subject");
    }
    SkipSpace();
    // Predicate.
    if (Peek() != '<') return Error("expected an IRI as the predicate");
    quad->predicate.kind = TermKind::kIri;
    RETURN_IF_ERROR(ParseIri(&quad->predicate.value));
    SkipSpace();
    // Object.
    switch (Peek()) {
      case '<':
        quad->object.kind = TermKind::kIri;
        RETURN_IF_ERROR(ParseIri(&quad->object.value));
        break;
      case '_':
        quad->object.kind = TermKind::kBlankNode;
        RETURN_IF_ERROR(ParseBlank(&quad->object.value));
        break;
      case '"':
        RETURN_IF_ERROR(ParseLiteral(&quad->object));
        break;
      default:
        return Error("expected an IRI, a blank node or a literal as the object");
    }
    SkipSpace();
    // Optional graph label.
    if (Peek() == '<') {
      quad->graph.kind = TermKind::kIri;
      RETURN_IF_ERROR(ParseIri(&quad->graph.value));
      SkipSpace();
    } else if (Peek() == '_') {
      quad->graph.kind = TermKind::kBlankNode;
      RETURN_IF_ERROR(ParseBlank(&quad->graph.value));
      SkipSpace();
    } else if (Peek() == '"') {
      return Error("a literal cannot be a graph label");
    }
    if (Peek() != '.') return Error("expected '.' to end the statement");
    ++pos_;
    SkipSpace();
    if (AtEnd() || Peek() == '\n' || Peek() == '\r' || Peek() == '#') return Status::Ok();
    return Error("unexpected text after '.' (one statement per line)");
  }

  // Drops later copies of a quad, keeping the first occurrence and the document order.
  static void RemoveDuplicates(Dataset* quads) {
    if (quads->size() < 2) return;
    std::vector<uint32_t> order(quads->size());
    std::iota(order.begin(), order.end(), 0u);
    std::stable_sort(order.begin(), order.end(),
                     [&](uint32_t a, uint32_t b) { return (*quads)[a] < (*quads)[b]; });
    std::vector<bool> duplicate(quads->size(), false);
    bool any = false;
    for (size_t i = 1; i < order.size(); ++i) {
      if ((*quads)[order[i]] == (*quads)[order[i - 1]]) {
        duplicate[order[i]] = true;
        any = true;
      }
    }
    if (!any) return;
    size_t kept = 0;
    for (size_t i = 0; i < quads->size(); ++i) {
      if (duplicate[i]) continue;
      if (kept != i) (*quads)[kept] = std::move((*quads)[i]);
      ++kept;
    }
    quads->resize(kept);
  }

  std::string_view s_;
  size_t pos_ = 0;
  size_t line_ = 1;
};

}  // namespace

namespace {

// For each byte: 0 when a literal holds it as it is, else the letter of its ECHAR ('b', 't',
// ...) or 'u' for a \uXXXX escape.
constexpr std::array<char, 256> MakeLiteralEscapes() {
  std::array<char, 256> escapes{};
  for (int c = 0; c < 0x20; ++c) escapes[c] = 'u';
  escapes[0x7F] = 'u';
  escapes['\b'] = 'b';
  escapes['\t'] = 't';
  escapes['\n'] = 'n';
  escapes['\f'] = 'f';
  escapes['\r'] = 'r';
  escapes['"'] = '"';
  escapes['\\'] = '\\';
  return escapes;
}
constexpr std::array<char, 256> kLiteralEscapes = MakeLiteralEscapes();

}  // namespace

size_t WriteLiteralText(std::string_view text, char* out) {
  if (text.empty()) return 0;  // its data() may be null, which memcpy must not see
  char* const start = out;
  size_t run = 0;  // start of the pending run of bytes written as they are
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    const char escape = kLiteralEscapes[c];
    if (escape == 0) continue;
    std::memcpy(out, text.data() + run, i - run);
    out += i - run;
    run = i + 1;
    *out++ = '\\';
    if (escape != 'u') {
      *out++ = escape;
    } else {
      const char uchar[5] = {'u', '0', '0', kHexUpper[c >> 4], kHexUpper[c & 0xF]};
      std::memcpy(out, uchar, sizeof(uchar));
      out += sizeof(uchar);
    }
  }
  std::memcpy(out, text.data() + run, text.size() - run);
  out += text.size() - run;
  return static_cast<size_t>(out - start);
}

void AppendLiteralText(std::string_view text, std::string* out) {
  const size_t at = out->size();
  out->resize(at + kMaxLiteralGrowth * text.size());
  out->resize(at + WriteLiteralText(text, out->data() + at));
}

Result<Dataset> ParseNQuads(std::string_view text) { return Parser(text).Run(); }

void AppendTerm(const Term& term, std::string* out) {
  switch (term.kind) {
    case TermKind::kIri:
      out->push_back('<');
      out->append(term.value);
      out->push_back('>');
      return;
    case TermKind::kBlankNode:
      out->append("_:", 2);
      out->append(term.value);
      return;
    case TermKind::kLiteral:
      out->push_back('"');
      AppendLiteralText(term.value, out);
      out->push_back('"');
      if (!term.language.empty()) {
        out->push_back('@');
        out->append(term.language);
      } else if (term.datatype != kXsdString) {
        out->append("^^<", 3);
        out->append(term.datatype);
        out->push_back('>');
      }
      return;
    case TermKind::kDefaultGraph:
      return;
  }
}

std::string SerializeTerm(const Term& term) {
  std::string out;
  AppendTerm(term, &out);
  return out;
}

namespace {

void AppendQuad(const Quad& quad, std::string* out) {
  AppendTerm(quad.subject, out);
  out->push_back(' ');
  AppendTerm(quad.predicate, out);
  out->push_back(' ');
  AppendTerm(quad.object, out);
  if (quad.graph.kind != TermKind::kDefaultGraph) {
    out->push_back(' ');
    AppendTerm(quad.graph, out);
  }
  out->append(" .\n", 3);
}

}  // namespace

std::string SerializeQuad(const Quad& quad) {
  std::string out;
  AppendQuad(quad, &out);
  return out;
}

std::string SerializeNQuads(const Dataset& dataset) {
  std::string out;
  for (const Quad& quad : dataset) AppendQuad(quad, &out);
  return out;
}

}  // namespace traceport::jsonld
