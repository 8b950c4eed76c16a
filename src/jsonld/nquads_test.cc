#include "jsonld/nquads.h"

#include <gtest/gtest.h>

#include <string>

namespace traceport::jsonld {
namespace {

Dataset MustParse(std::string_view text) {
  auto parsed = ParseNQuads(text);
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  return parsed.ok() ? *parsed : Dataset{};
}

TEST(ParseNQuads, AllTermKinds) {
  const Dataset d = MustParse(
      "<http://ex/s> <http://ex/p> <http://ex/o> .\n"
      "_:b0 <http://ex/p> \"plain\" <http://ex/g> .\n"
      "_:b0 <http://ex/p> \"chat\"@fr-BE _:g1 .\n"
      "<http://ex/s> <http://ex/p> \"5\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n");
  ASSERT_EQ(d.size(), 4u);
  EXPECT_EQ(d[0].subject, Term::Iri("http://ex/s"));
  EXPECT_EQ(d[0].object, Term::Iri("http://ex/o"));
  EXPECT_EQ(d[0].graph, Term::DefaultGraph());
  EXPECT_EQ(d[1].subject, Term::Blank("b0"));
  EXPECT_EQ(d[1].object, Term::Literal("plain"));
  EXPECT_EQ(d[1].graph, Term::Iri("http://ex/g"));
  EXPECT_EQ(d[2].object, Term::Literal("chat", kRdfLangString, "fr-BE"));
  EXPECT_EQ(d[2].graph, Term::Blank("g1"));
  EXPECT_EQ(d[3].object, Term::Literal("5", "http://www.w3.org/2001/XMLSchema#integer"));
}

TEST(ParseNQuads, CommentsBlankLinesAndLineEnds) {
  const Dataset d = MustParse(
      "# leading comment\r\n"
      "\n"
      "  \t<http://ex/s>\t<http://ex/p>  <http://ex/o>  .  # trailing comment\r"
      "<http://ex/s><http://ex/p>\"x\"." /* no space needed, no final line break */);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[1].object, Term::Literal("x"));
}

TEST(ParseNQuads, EmptyDocument) {
  EXPECT_TRUE(MustParse("").empty());
  EXPECT_TRUE(MustParse("\n\n# only a comment").empty());
}

TEST(ParseNQuads, Escapes) {
  const Dataset d = MustParse(
      "<http://ex/\\u00E9t\\U0001F600> <http://ex/p> "
      "\"a\\t\\b\\n\\r\\f\\\"\\'\\\\\\u00e9\\U0001F600\" "
      ".\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].subject.value, "http://ex/\xC3\xA9t\xF0\x9F\x98\x80");
  EXPECT_EQ(d[0].object.value, "a\t\b\n\r\f\"'\\\xC3\xA9\xF0\x9F\x98\x80");
}

TEST(ParseNQuads, BlankNodeLabels) {
  const Dataset d = MustParse(
      "_:a.b <http://ex/p> _:x.\n"  // a trailing '.' ends the statement, not the label
      "_:1-\xC3\xA9\xC2\xB7 <http://ex/p> _:_u:v .\n");
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].subject.value, "a.b");
  EXPECT_EQ(d[0].object.value, "x");
  EXPECT_EQ(d[1].subject.value, "1-\xC3\xA9\xC2\xB7");
  EXPECT_EQ(d[1].object.value, "_u:v");
}

TEST(ParseNQuads, DropsDuplicateStatements) {
  const Dataset d = MustParse(
      "<http://ex/s> <http://ex/p> \"\\u0041\" .\n"
      "<http://ex/s> <http://ex/p> <http://ex/o> .\n"
      "<http://ex/s> <http://ex/p> \"A\" .\n"
      "<http://ex/s> <http://ex/p> \"A\"^^<http://www.w3.org/2001/XMLSchema#string> .\n");
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].object, Term::Literal("A"));
  EXPECT_EQ(d[1].object, Term::Iri("http://ex/o"));
}

struct BadCase {
  const char* text;
  const char* message;
};

TEST(ParseNQuads, Errors) {
  const BadCase cases[] = {
      {"\n<http://ex/s> <http://ex/p> \"\xFF\" .", "nquads: line 2: invalid UTF-8"},
      {"<http://ex/s> <http://ex/p> \"\xED\xA0\x80\" .", "nquads: line 1: invalid UTF-8"},
      {"\"s\" <http://ex/p> <http://ex/o> .",
       "nquads: line 1: expected an IRI or a blank node as the subject"},
      {"<http://ex/s> _:p <http://ex/o> .", "nquads: line 1: expected an IRI as the predicate"},
      {"<http://ex/s> <http://ex/p> 5 .",
       "nquads: line 1: expected an IRI, a blank node or a literal as the object"},
      {"<http://ex/s> <http://ex/p> <http://ex/o>",
       "nquads: line 1: expected '.' to end the statement"},
      {"<http://ex/s> <http://ex/p> <http://ex/o> . <http://ex/x>",
       "nquads: line 1: unexpected text after '.' (one statement per line)"},
      {"<http://ex/s> <http://ex/p> <http://ex/o> \"g\" .",
       "nquads: line 1: a literal cannot be a graph label"},
      {"<http://ex/s> <http://ex/p> <http://ex/o\n> .",
       "nquads: line 1: line break inside an IRI (missing '>')"},
      {"<http://ex/s> <http://ex/p> <http://ex/o",
       "nquads: line 1: end of input inside an IRI "
       "(missing '>')"},
      {"<http://ex/a b> <http://ex/p> <http://ex/o> .",
       "nquads: line 1: character U+0020 not allowed in an IRI"},
      {"<http://ex/a\\u0020b> <http://ex/p> <http://ex/o> .",
       "nquads: line 1: escape in an IRI stands for U+0020, which an IRI may not contain"},
      {"<http://ex/a\\n> <http://ex/p> <http://ex/o> .",
       "nquads: line 1: only \\u and \\U escapes are allowed in an IRI"},
      {"<s> <http://ex/p> <http://ex/o> .",
       "nquads: line 1: relative IRI (an absolute IRI with a scheme is required)"},
      {"<http://ex/s> <http://ex/p> \"\\u12\" .",
       "nquads: line 1: non-hex digit in a \\u or \\U escape"},
      {"<http://ex/s> <http://ex/p> \"\\u12", "nquads: line 1: truncated \\u or \\U escape"},
      {"<http://ex/s> <http://ex/p> \"\\U00110000\" .",
       "nquads: line 1: \\U escape beyond U+10FFFF"},
      {"<http://ex/s> <http://ex/p> \"\\uD800\" .",
       "nquads: line 1: escape of a surrogate code point U+D800"},
      {"<http://ex/s> <http://ex/p> \"\\x\" .",
       "nquads: line 1: invalid escape in a string literal (allowed: \\t \\b \\n \\r \\f \\\" \\' "
       "\\\\ \\u \\U)"},
      {"<http://ex/s> <http://ex/p> \"a\nb\" .",
       "nquads: line 1: line break inside a string literal"},
      {"<http://ex/s> <http://ex/p> \"abc",
       "nquads: line 1: end of input inside a string literal (missing '\"')"},
      {"<http://ex/s> <http://ex/p> \"a\\",
       "nquads: line 1: end of input after '\\' in a string "
       "literal"},
      {"<http://ex/s> <http://ex/p> \"a\"^<http://ex/d> .",
       "nquads: line 1: expected '^^' before a datatype"},
      {"<http://ex/s> <http://ex/p> \"a\"^^_:d .", "nquads: line 1: expected an IRI after '^^'"},
      {"<http://ex/s> <http://ex/p> \"a\"@1 .",
       "nquads: line 1: empty or invalid language tag after '@'"},
      {"<http://ex/s> <http://ex/p> \"a\"@en- .", "nquads: line 1: empty subtag in a language tag"},
      {"_x <http://ex/p> <http://ex/o> .", "nquads: line 1: expected ':' after '_'"},
      {"_:", "nquads: line 1: empty blank node label"},
      {"_:-a <http://ex/p> <http://ex/o> .",
       "nquads: line 1: blank node label may not start with U+002D"},
      {"# c\r\n\r\n<http://ex/s> .", "nquads: line 3: expected an IRI as the predicate"},
  };
  for (const BadCase& c : cases) {
    auto parsed = ParseNQuads(c.text);
    ASSERT_FALSE(parsed.ok()) << c.text;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument) << c.text;
    EXPECT_EQ(parsed.status().message(), c.message) << c.text;
  }
}

TEST(SerializeTerm, CanonicalForms) {
  EXPECT_EQ(SerializeTerm(Term::Iri("http://ex/\xE2\x88\x9E")), "<http://ex/\xE2\x88\x9E>");
  EXPECT_EQ(SerializeTerm(Term::Blank("b0")), "_:b0");
  EXPECT_EQ(SerializeTerm(Term::Literal("x")), "\"x\"");
  EXPECT_EQ(SerializeTerm(Term::Literal("x", kRdfLangString, "en-US")), "\"x\"@en-US");
  EXPECT_EQ(SerializeTerm(Term::Literal("1", "http://www.w3.org/2001/XMLSchema#integer")),
            "\"1\"^^<http://www.w3.org/2001/XMLSchema#integer>");
  EXPECT_EQ(SerializeTerm(Term::DefaultGraph()), "");
}

TEST(SerializeTerm, LiteralEscapes) {
  std::string all_ascii;
  for (int c = 0; c < 0x80; ++c) all_ascii.push_back(static_cast<char>(c));
  EXPECT_EQ(SerializeTerm(Term::Literal(all_ascii)),
            "\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000B\\f\\r"
            "\\u000E\\u000F\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019"
            "\\u001A\\u001B\\u001C\\u001D\\u001E\\u001F !\\\"#$%&'()*+,-./0123456789:;<=>?@"
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\\u007F\"");
  // Non-ASCII text is written as it is.
  EXPECT_EQ(SerializeTerm(Term::Literal("\xC2\x80\xE2\x80\xA8")), "\"\xC2\x80\xE2\x80\xA8\"");
}

TEST(SerializeQuad, Lines) {
  Quad q{Term::Blank("a"), Term::Iri("http://ex/p"), Term::Literal("v"), Term::DefaultGraph()};
  EXPECT_EQ(SerializeQuad(q), "_:a <http://ex/p> \"v\" .\n");
  q.graph = Term::Iri("http://ex/g");
  EXPECT_EQ(SerializeQuad(q), "_:a <http://ex/p> \"v\" <http://ex/g> .\n");
  Dataset d = {q, q};
  d[1].subject = Term::Iri("http://ex/s");
  EXPECT_EQ(SerializeNQuads(d),
            "_:a <http://ex/p> \"v\" <http://ex/g> .\n<http://ex/s> <http://ex/p> \"v\" "
            "<http://ex/g> .\n");
}

TEST(NQuads, RoundTrip) {
  const std::string canonical =
      "<http://ex/s> <http://ex/p> \"a\\\"b\\\\c\\n\\u0001\\u007F\xE2\x88\x9E\"@en .\n"
      "_:b1 <http://ex/p> \"2\"^^<http://ex/dt> _:g .\n"
      "_:b1 <http://ex/p> <urn:x:\xF0\x9F\x8C\x83> <http://ex/g> .\n";
  const Dataset d = MustParse(canonical);
  EXPECT_EQ(SerializeNQuads(d), canonical);
  EXPECT_EQ(MustParse(SerializeNQuads(d)), d);
}

TEST(NQuads, NonCanonicalInputSerializesCanonically) {
  const Dataset d = MustParse(
      "<http://ex/\\u0073>\t<http://ex/p>   \"\\u0009\\u0022\\'\\U0000221E\"^^"
      "<http://www.w3.org/2001/XMLSchema#string> .  # c\n");
  EXPECT_EQ(SerializeNQuads(d), "<http://ex/s> <http://ex/p> \"\\t\\\"'\xE2\x88\x9E\" .\n");
}

}  // namespace
}  // namespace traceport::jsonld
