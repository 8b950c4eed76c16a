// The USMCA assistant's knowledge base: answer units written and reviewed by people (one JSON
// file per topic), plus synonyms, Spanish/French word translations and the out-of-scope list.
// docs/formats/assistant-kb.md describes the files; src/assist/kb/ holds the built-in ones,
// compiled into the library by src/assist/CMakeLists.txt.
//
// Loading validates strictly, because the assistant must never answer from a unit that is
// malformed: every unit needs an id of the form <topic>.<slug>, an intent from the closed list,
// at least three questions, an answer, at least one citation with an http(s) URL, a review date,
// and every "fact" must appear in its answer; related units and variants must exist; ids are
// unique across files. Errors are InvalidArgument with a message
//   "assist: kb: <file>: units[<i>] (<id>): <member>: <what is wrong>".
//
// A loaded KnowledgeBase also carries its retrieval index (retrieval.h), built once.
// Thread safety: immutable after construction; copies share the same data; any const method
// may be called concurrently.
#ifndef TRACEPORT_ASSIST_KNOWLEDGE_BASE_H_
#define TRACEPORT_ASSIST_KNOWLEDGE_BASE_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace traceport::assist {

class Index;

struct Citation {
  std::string label;  // "USMCA Article 4.5"
  std::string url;
};

struct Unit {
  std::string id;     // "certification.nine-elements"
  std::string topic;  // the file stem, "certification"
  std::string title;
  std::string intent;  // one of Intents()
  std::vector<std::string> questions;
  std::vector<std::string> questions_es;
  std::vector<std::string> questions_fr;
  std::vector<std::string> keywords;
  std::string answer;
  std::vector<std::string> facts;  // each appears in `answer` (case-insensitively)
  std::vector<Citation> citations;
  std::string reviewed;  // YYYY-MM-DD
  std::string as_of;     // YYYY-MM-DD, or "" when the answer does not move with time
  std::vector<std::string> related;
  // Follow-up word -> unit id ("autos" -> "automotive.rvc"), in the file's order.
  std::vector<std::pair<std::string, std::string>> variants;
};

// A subject the assistant does not cover, and where to send the user instead.
struct OutOfScope {
  std::string id;
  std::vector<std::string> terms;  // words or phrases that mark a question as this subject
  std::string pointer;             // e.g. "For EU customs, see the European Commission's ..."
};

// A Spanish or French word or phrase and the English index terms it stands for.
struct Translation {
  std::string language;  // "es" or "fr"
  std::string phrase;    // "certificado de origen"
  std::string english;   // "certificate of origin"
};

// The closed list of intents a unit may have, including the calculator intents
// ("calc-rvc-tv", "calc-rvc-nc", "calc-de-minimis", "calc-mpf", "calc-hmf").
const std::vector<std::string_view>& Intents();
bool IsKnownIntent(std::string_view intent);

class KnowledgeBase {
 public:
  // One file: its name ("certification.json", "synonyms.json", "scope.json") and its text.
  struct SourceFile {
    std::string name;
    std::string text;
  };

  // Loads and validates topic files, and optionally "synonyms.json" and "scope.json" (by name).
  // An empty list gives an empty knowledge base (which answers nothing). Limits: each file at
  // most 1 MiB, at most 5,000 units. Errors as described at the top of this file.
  static Result<KnowledgeBase> FromTexts(const std::vector<SourceFile>& files);
  // Reads the files (named by their base name) and loads them; NotFound for an unreadable path.
  static Result<KnowledgeBase> FromFiles(const std::vector<std::string>& paths);
  // Every *.json file directly in `dir`, in name order.
  static Result<KnowledgeBase> FromDirectory(const std::string& dir);

  // The knowledge base compiled into the binary from src/assist/kb/*.json. FailedPrecondition
  // when no file was present at configure time; the validation error when one was invalid (the
  // unit tests keep that from shipping). Loaded on first use; the reference lives forever.
  static const Result<KnowledgeBase>& Builtin();
  // The files Builtin() was loaded from, as compiled in.
  static std::vector<SourceFile> BuiltinFiles();

  KnowledgeBase(const KnowledgeBase&) = default;
  KnowledgeBase& operator=(const KnowledgeBase&) = default;
  KnowledgeBase(KnowledgeBase&&) noexcept = default;
  KnowledgeBase& operator=(KnowledgeBase&&) noexcept = default;
  ~KnowledgeBase();

  const std::vector<Unit>& units() const;
  // The unit with `id`, or nullptr.
  const Unit* Find(std::string_view id) const;
  // The position of the unit with `id` in units(), or nullopt.
  std::optional<size_t> IndexOf(std::string_view id) const;
  // Synonym groups: each a list of words or phrases that mean the same.
  const std::vector<std::vector<std::string>>& synonyms() const;
  const std::vector<Translation>& translations() const;
  const std::vector<OutOfScope>& out_of_scope() const;
  // Where to get more help (scope.json "help"; a fixed pointer to CBP when absent).
  const std::string& help() const;
  // The retrieval index over the units.
  const Index& index() const;

  struct Data;

 private:
  explicit KnowledgeBase(std::shared_ptr<const Data> data);
  std::shared_ptr<const Data> data_;
};

}  // namespace traceport::assist

#endif  // TRACEPORT_ASSIST_KNOWLEDGE_BASE_H_
