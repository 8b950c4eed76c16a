#include "assist/knowledge_base.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "assist/internal/embedded.h"
#include "assist/retrieval.h"
#include "codec/json.h"

namespace traceport::assist {

struct KnowledgeBase::Data {
  std::vector<Unit> units;
  std::unordered_map<std::string, size_t> by_id;
  std::vector<std::vector<std::string>> synonyms;
  std::vector<Translation> translations;
  std::vector<OutOfScope> out_of_scope;
  std::string help;
  std::unique_ptr<Index> index;
};

namespace {

using json = nlohmann::json;

constexpr size_t kMaxFileBytes = 1 << 20;
constexpr size_t kMaxUnits = 5000;
constexpr size_t kMaxListItems = 200;
constexpr size_t kMaxTextBytes = 4000;

// Used when scope.json is absent (the address is CBP's published USMCA enquiry inbox).
constexpr char kDefaultHelp[] =
    "For questions I cannot answer, contact CBP's USMCA Center at usmca@cbp.dhs.gov.";

const std::vector<std::string_view> kIntents = {
    "basics",          "certification", "claiming",   "rules-of-origin", "rvc",
    "de-minimis",      "accumulation",  "automotive", "textiles",        "agriculture",
    "recordkeeping",   "verification",  "low-value",  "section-232",     "tariffs-2025-2026",
    "joint-review",    "fees",          "help",       "calc-rvc-tv",     "calc-rvc-nc",
    "calc-de-minimis", "calc-mpf",      "calc-hmf"};

// Builds error messages that name the file, the unit and the member.
class Errors {
 public:
  explicit Errors(std::string file) : file_(std::move(file)) {}
  Status At(std::string_view where, std::string_view what) const {
    std::string m = "assist: kb: " + file_;
    if (!where.empty()) m += ": " + std::string(where);
    return InvalidArgumentError(m + ": " + std::string(what));
  }

 private:
  std::string file_;
};

bool IsSlugChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }

bool IsSlug(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), IsSlugChar) && s.front() != '-' &&
         s.back() != '-';
}

// "<topic>.<slug>[.<slug>...]", lowercase.
bool IsUnitId(std::string_view id, std::string_view topic) {
  if (id.size() <= topic.size() + 1 || id.substr(0, topic.size()) != topic ||
      id[topic.size()] != '.') {
    return false;
  }
  std::string_view rest = id.substr(topic.size() + 1);
  while (true) {
    const size_t dot = rest.find('.');
    if (!IsSlug(rest.substr(0, dot))) return false;
    if (dot == std::string_view::npos) return true;
    rest.remove_prefix(dot + 1);
  }
}

// A calendar date "YYYY-MM-DD" between 2000 and 2100.
bool IsDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  int v[3] = {0, 0, 0};
  const size_t starts[3] = {0, 5, 8};
  const size_t lens[3] = {4, 2, 2};
  for (int i = 0; i < 3; ++i) {
    for (size_t j = 0; j < lens[i]; ++j) {
      const char c = s[starts[i] + j];
      if (c < '0' || c > '9') return false;
      v[i] = v[i] * 10 + (c - '0');
    }
  }
  const int year = v[0], month = v[1], day = v[2];
  if (year < 2000 || year > 2100 || month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool IsHttpUrl(std::string_view url) {
  const std::string lower = Lower(url.substr(0, 8));
  const size_t scheme = lower.rfind("https://", 0) == 0  ? 8
                        : lower.rfind("http://", 0) == 0 ? 7
                                                         : 0;
  return scheme > 0 && url.size() > scheme + 3 &&
         url.find_first_of(" \t\r\n\"<>") == std::string_view::npos;
}

Status CheckMembers(const Errors& e, std::string_view where, const json& object,
                    const std::set<std::string_view>& allowed) {
  for (const auto& [key, value] : object.items()) {
    if (allowed.count(key) == 0) return e.At(where, "unknown member \"" + key + "\"");
  }
  return Status();
}

Result<std::string> ReadString(const Errors& e, const std::string& where, const json& object,
                               std::string_view key, bool required, size_t max_bytes) {
  auto it = object.find(key);
  const std::string at = where.empty() ? std::string(key) : where + ": " + std::string(key);
  if (it == object.end()) {
    if (required) return e.At(at, "missing");
    return std::string();
  }
  if (!it->is_string()) return e.At(at, "expected a string, got " + codec::JsonTypeName(*it));
  const std::string& s = it->get_ref<const std::string&>();
  if (s.find_first_not_of(" \t\r\n") == std::string::npos) return e.At(at, "empty");
  if (s.size() > max_bytes) {
    return e.At(at, "longer than " + std::to_string(max_bytes) + " bytes");
  }
  return s;
}

// An array of 1..4000-byte strings with at least `min_items` entries.
Result<std::vector<std::string>> ReadStringArray(const Errors& e, const std::string& at,
                                                 const json& v, size_t min_items) {
  if (!v.is_array()) return e.At(at, "expected an array, got " + codec::JsonTypeName(v));
  if (v.size() < min_items) {
    return e.At(at, "needs at least " + std::to_string(min_items) + " entries");
  }
  if (v.size() > kMaxListItems) {
    return e.At(at, "more than " + std::to_string(kMaxListItems) + " entries");
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < v.size(); ++i) {
    const json& item = v[i];
    const std::string item_at = at + "[" + std::to_string(i) + "]";
    if (!item.is_string()) {
      return e.At(item_at, "expected a string, got " + codec::JsonTypeName(item));
    }
    const std::string& s = item.get_ref<const std::string&>();
    if (s.find_first_not_of(" \t\r\n") == std::string::npos) return e.At(item_at, "empty");
    if (s.size() > kMaxTextBytes) return e.At(item_at, "too long");
    out.push_back(s);
  }
  return out;
}

Result<std::vector<std::string>> ReadStrings(const Errors& e, const std::string& where,
                                             const json& object, std::string_view key,
                                             bool required, size_t min_items) {
  auto it = object.find(key);
  const std::string at = where + ": " + std::string(key);
  if (it == object.end()) {
    if (required) return e.At(at, "missing");
    return std::vector<std::string>();
  }
  return ReadStringArray(e, at, *it, min_items);
}

Result<Unit> ParseUnit(const Errors& e, const std::string& topic, size_t index, const json& v) {
  std::string where = "units[" + std::to_string(index) + "]";
  if (!v.is_object()) return e.At(where, "expected an object, got " + codec::JsonTypeName(v));
  Unit u;
  u.topic = topic;
  ASSIGN_OR_RETURN(u.id, ReadString(e, where, v, "id", true, 200));
  if (!IsUnitId(u.id, topic)) {
    return e.At(where + ": id",
                "\"" + u.id + "\" is not \"" + topic + ".<slug>\" (lowercase a-z, 0-9, '-', '.')");
  }
  where += " (" + u.id + ")";
  RETURN_IF_ERROR(CheckMembers(
      e, where, v,
      {"id", "title", "intent", "questions", "questions_es", "questions_fr", "keywords", "answer",
       "facts", "citations", "reviewed", "as_of", "related", "variants"}));
  ASSIGN_OR_RETURN(u.title, ReadString(e, where, v, "title", true, 300));
  ASSIGN_OR_RETURN(u.intent, ReadString(e, where, v, "intent", true, 100));
  if (!IsKnownIntent(u.intent))
    return e.At(where + ": intent", "unknown intent \"" + u.intent + "\"");
  ASSIGN_OR_RETURN(u.questions, ReadStrings(e, where, v, "questions", true, 3));
  ASSIGN_OR_RETURN(u.questions_es, ReadStrings(e, where, v, "questions_es", false, 1));
  ASSIGN_OR_RETURN(u.questions_fr, ReadStrings(e, where, v, "questions_fr", false, 1));
  ASSIGN_OR_RETURN(u.keywords, ReadStrings(e, where, v, "keywords", false, 0));
  ASSIGN_OR_RETURN(u.answer, ReadString(e, where, v, "answer", true, kMaxTextBytes));
  ASSIGN_OR_RETURN(u.facts, ReadStrings(e, where, v, "facts", true, 0));
  const std::string answer = Lower(u.answer);
  for (size_t i = 0; i < u.facts.size(); ++i) {
    if (answer.find(Lower(u.facts[i])) == std::string::npos) {
      return e.At(where + ": facts[" + std::to_string(i) + "]",
                  "\"" + u.facts[i] + "\" does not appear in the answer");
    }
  }
  auto citations = v.find("citations");
  if (citations == v.end()) return e.At(where + ": citations", "missing");
  if (!citations->is_array() || citations->empty()) {
    return e.At(where + ": citations", "needs at least one citation");
  }
  if (citations->size() > kMaxListItems) return e.At(where + ": citations", "too many");
  for (size_t i = 0; i < citations->size(); ++i) {
    const json& c = (*citations)[i];
    const std::string at = where + ": citations[" + std::to_string(i) + "]";
    if (!c.is_object()) return e.At(at, "expected an object, got " + codec::JsonTypeName(c));
    RETURN_IF_ERROR(CheckMembers(e, at, c, {"label", "url"}));
    Citation citation;
    ASSIGN_OR_RETURN(citation.label, ReadString(e, at, c, "label", true, 300));
    ASSIGN_OR_RETURN(citation.url, ReadString(e, at, c, "url", true, 2000));
    if (!IsHttpUrl(citation.url)) return e.At(at + ": url", "not an http(s) URL");
    u.citations.push_back(std::move(citation));
  }
  ASSIGN_OR_RETURN(u.reviewed, ReadString(e, where, v, "reviewed", true, 10));
  if (!IsDate(u.reviewed))
    return e.At(where + ": reviewed", "\"" + u.reviewed + "\" is not a date YYYY-MM-DD");
  ASSIGN_OR_RETURN(u.as_of, ReadString(e, where, v, "as_of", false, 10));
  if (!u.as_of.empty() && !IsDate(u.as_of)) {
    return e.At(where + ": as_of", "\"" + u.as_of + "\" is not a date YYYY-MM-DD");
  }
  ASSIGN_OR_RETURN(u.related, ReadStrings(e, where, v, "related", false, 0));
  auto variants = v.find("variants");
  if (variants != v.end()) {
    if (!variants->is_object()) {
      return e.At(where + ": variants",
                  "expected an object, got " + codec::JsonTypeName(*variants));
    }
    for (const auto& [key, target] : variants->items()) {
      const std::string at = where + ": variants: \"" + key + "\"";
      if (key.find_first_not_of(" \t\r\n") == std::string::npos || key.size() > 100) {
        return e.At(at, "the follow-up word must be 1 to 100 bytes");
      }
      if (!target.is_string())
        return e.At(at, "expected a unit id, got " + codec::JsonTypeName(target));
      u.variants.emplace_back(key, target.get<std::string>());
    }
  }
  return u;
}

Status ParseTopic(const Errors& e, std::string_view stem, const json& root,
                  std::vector<Unit>* out) {
  if (!root.is_object()) return e.At("", "expected an object, got " + codec::JsonTypeName(root));
  RETURN_IF_ERROR(CheckMembers(e, "", root, {"topic", "units"}));
  ASSIGN_OR_RETURN(std::string topic, ReadString(e, "", root, "topic", true, 100));
  if (topic != stem || !IsSlug(topic)) {
    return e.At("topic", "\"" + topic + "\" must equal the file name's stem \"" +
                             std::string(stem) + "\" (lowercase a-z, 0-9, '-')");
  }
  auto units = root.find("units");
  if (units == root.end()) return e.At("units", "missing");
  if (!units->is_array() || units->empty()) return e.At("units", "needs at least one unit");
  for (size_t i = 0; i < units->size(); ++i) {
    if (out->size() >= kMaxUnits) return e.At("units", "more than 5000 units in all");
    ASSIGN_OR_RETURN(Unit u, ParseUnit(e, topic, i, (*units)[i]));
    out->push_back(std::move(u));
  }
  return Status();
}

Status ParseSynonyms(const Errors& e, const json& root, KnowledgeBase::Data* d) {
  if (!root.is_object()) return e.At("", "expected an object, got " + codec::JsonTypeName(root));
  RETURN_IF_ERROR(CheckMembers(e, "", root, {"synonyms", "translations"}));
  auto groups = root.find("synonyms");
  if (groups != root.end()) {
    if (!groups->is_array()) return e.At("synonyms", "expected an array");
    for (size_t i = 0; i < groups->size(); ++i) {
      ASSIGN_OR_RETURN(std::vector<std::string> group,
                       ReadStringArray(e, "synonyms[" + std::to_string(i) + "]", (*groups)[i], 2));
      d->synonyms.push_back(std::move(group));
    }
  }
  auto translations = root.find("translations");
  if (translations != root.end()) {
    if (!translations->is_object()) return e.At("translations", "expected an object");
    for (const auto& [language, table] : translations->items()) {
      const std::string at = "translations: " + language;
      if (language != "es" && language != "fr") return e.At(at, "the language must be es or fr");
      if (!table.is_object()) return e.At(at, "expected an object of word -> English term");
      for (const auto& [phrase, english] : table.items()) {
        if (phrase.find_first_not_of(" \t\r\n") == std::string::npos || phrase.size() > 200) {
          return e.At(at, "a word must be 1 to 200 bytes");
        }
        if (!english.is_string() || english.get_ref<const std::string&>().empty()) {
          return e.At(at + ": \"" + phrase + "\"", "expected a non-empty English term");
        }
        d->translations.push_back(Translation{language, phrase, english.get<std::string>()});
      }
    }
  }
  return Status();
}

Status ParseScope(const Errors& e, const json& root, KnowledgeBase::Data* d) {
  if (!root.is_object()) return e.At("", "expected an object, got " + codec::JsonTypeName(root));
  RETURN_IF_ERROR(CheckMembers(e, "", root, {"out_of_scope", "help"}));
  ASSIGN_OR_RETURN(d->help, ReadString(e, "", root, "help", true, kMaxTextBytes));
  auto list = root.find("out_of_scope");
  if (list == root.end()) return e.At("out_of_scope", "missing");
  if (!list->is_array()) return e.At("out_of_scope", "expected an array");
  std::set<std::string> ids;
  for (size_t i = 0; i < list->size(); ++i) {
    const json& v = (*list)[i];
    const std::string at = "out_of_scope[" + std::to_string(i) + "]";
    if (!v.is_object()) return e.At(at, "expected an object, got " + codec::JsonTypeName(v));
    RETURN_IF_ERROR(CheckMembers(e, at, v, {"id", "terms", "pointer"}));
    OutOfScope s;
    ASSIGN_OR_RETURN(s.id, ReadString(e, at, v, "id", true, 100));
    if (!ids.insert(s.id).second) return e.At(at + ": id", "duplicate id \"" + s.id + "\"");
    ASSIGN_OR_RETURN(s.terms, ReadStrings(e, at, v, "terms", true, 1));
    ASSIGN_OR_RETURN(s.pointer, ReadString(e, at, v, "pointer", true, kMaxTextBytes));
    d->out_of_scope.push_back(std::move(s));
  }
  return Status();
}

}  // namespace

const std::vector<std::string_view>& Intents() { return kIntents; }

bool IsKnownIntent(std::string_view intent) {
  return std::find(kIntents.begin(), kIntents.end(), intent) != kIntents.end();
}

KnowledgeBase::KnowledgeBase(std::shared_ptr<const Data> data) : data_(std::move(data)) {}
KnowledgeBase::~KnowledgeBase() = default;

Result<KnowledgeBase> KnowledgeBase::FromTexts(const std::vector<SourceFile>& files) {
  auto d = std::make_shared<Data>();
  d->help = kDefaultHelp;
  std::map<std::string, std::string> file_of;  // unit id -> file name
  std::set<std::string> names;
  for (const SourceFile& f : files) {
    const Errors e(f.name);
    if (!names.insert(f.name).second) return e.At("", "given twice");
    if (f.name.size() <= 5 || f.name.substr(f.name.size() - 5) != ".json" ||
        f.name.find('/') != std::string::npos) {
      return e.At("", "a knowledge base file is named <topic>.json");
    }
    codec::JsonLimits limits;
    limits.max_bytes = kMaxFileBytes;
    limits.max_depth = 16;
    Result<json> root = codec::ParseJson(f.text, limits);
    if (!root.ok()) return e.At("", root.status().message());
    const std::string stem = f.name.substr(0, f.name.size() - 5);
    if (stem == "synonyms") {
      RETURN_IF_ERROR(ParseSynonyms(e, *root, d.get()));
      continue;
    }
    if (stem == "scope") {
      RETURN_IF_ERROR(ParseScope(e, *root, d.get()));
      continue;
    }
    const size_t first = d->units.size();
    RETURN_IF_ERROR(ParseTopic(e, stem, *root, &d->units));
    for (size_t i = first; i < d->units.size(); ++i) {
      const std::string& id = d->units[i].id;
      auto [it, inserted] = file_of.emplace(id, f.name);
      if (!inserted) {
        return e.At("units[" + std::to_string(i - first) + "] (" + id + ")",
                    "duplicate id (also in " + it->second + ")");
      }
      d->by_id.emplace(id, i);
    }
  }
  // References between units, once every file is in.
  for (const Unit& u : d->units) {
    const Errors e(file_of[u.id]);
    const std::string where = "unit " + u.id;
    for (const std::string& r : u.related) {
      if (r == u.id) return e.At(where + ": related", "a unit cannot be related to itself");
      if (d->by_id.count(r) == 0) return e.At(where + ": related", "unknown unit \"" + r + "\"");
    }
    for (const auto& [key, target] : u.variants) {
      if (d->by_id.count(target) == 0 || target == u.id) {
        return e.At(where + ": variants: \"" + key + "\"", "unknown unit \"" + target + "\"");
      }
    }
  }
  d->index = std::make_unique<Index>(d->units, d->synonyms, d->translations, d->out_of_scope);
  return KnowledgeBase(std::move(d));
}

Result<KnowledgeBase> KnowledgeBase::FromFiles(const std::vector<std::string>& paths) {
  std::vector<SourceFile> files;
  for (const std::string& path : paths) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return NotFoundError("assist: kb: cannot read " + path);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) return NotFoundError("assist: kb: cannot read " + path);
    files.push_back(SourceFile{std::filesystem::path(path).filename().string(), std::move(text)});
  }
  return FromTexts(files);
}

Result<KnowledgeBase> KnowledgeBase::FromDirectory(const std::string& dir) {
  std::error_code ec;
  std::vector<std::string> paths;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      paths.push_back(entry.path().string());
    }
  }
  if (ec) return NotFoundError("assist: kb: cannot list " + dir + ": " + ec.message());
  std::sort(paths.begin(), paths.end());
  return FromFiles(paths);
}

std::vector<KnowledgeBase::SourceFile> KnowledgeBase::BuiltinFiles() {
  std::vector<SourceFile> files;
  for (const internal::EmbeddedFile* f = internal::kBuiltinKbFiles; f->name != nullptr; ++f) {
    files.push_back(SourceFile{f->name, f->text});
  }
  return files;
}

const Result<KnowledgeBase>& KnowledgeBase::Builtin() {
  static const Result<KnowledgeBase>* const kBuiltin = [] {
    const std::vector<SourceFile> files = BuiltinFiles();
    if (files.empty()) {
      return new Result<KnowledgeBase>(FailedPreconditionError(
          "assist: no knowledge base was compiled in (src/assist/kb/ had no *.json files when "
          "CMake configured the build)"));
    }
    return new Result<KnowledgeBase>(FromTexts(files));
  }();
  return *kBuiltin;
}

const std::vector<Unit>& KnowledgeBase::units() const { return data_->units; }

const Unit* KnowledgeBase::Find(std::string_view id) const {
  auto it = data_->by_id.find(std::string(id));
  return it == data_->by_id.end() ? nullptr : &data_->units[it->second];
}

std::optional<size_t> KnowledgeBase::IndexOf(std::string_view id) const {
  auto it = data_->by_id.find(std::string(id));
  if (it == data_->by_id.end()) return std::nullopt;
  return it->second;
}

const std::vector<std::vector<std::string>>& KnowledgeBase::synonyms() const {
  return data_->synonyms;
}
const std::vector<Translation>& KnowledgeBase::translations() const { return data_->translations; }
const std::vector<OutOfScope>& KnowledgeBase::out_of_scope() const { return data_->out_of_scope; }
const std::string& KnowledgeBase::help() const { return data_->help; }
const Index& KnowledgeBase::index() const { return *data_->index; }

}  // namespace traceport::assist
