#include "jsonld/testing/json_ld_suite.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "jsonld/error.h"
#include "jsonld/expand.h"

namespace traceport::jsonld::testing {

using nlohmann::json;

namespace {

std::string StringOr(const json& obj, const char* key, std::string fallback = {}) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_string()) return fallback;
  return it->get<std::string>();
}

bool BoolOr(const json& obj, const char* key, bool fallback) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_boolean()) return fallback;
  return it->get<bool>();
}

std::vector<std::string> Strings(const json& value) {
  std::vector<std::string> out;
  if (value.is_string()) out.push_back(value.get<std::string>());
  if (value.is_array()) {
    for (const json& v : value) {
      if (v.is_string()) out.push_back(v.get<std::string>());
    }
  }
  return out;
}

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

bool Equal(const json& a, const json& b, bool ordered, bool language);

// Arrays compared as multisets: JSON-LD equality is an equivalence, so greedy matching works.
bool EqualUnordered(const json& a, const json& b) {
  if (a.size() != b.size()) return false;
  std::vector<bool> used(b.size(), false);
  for (const json& x : a) {
    bool found = false;
    for (size_t j = 0; j < b.size() && !found; ++j) {
      if (!used[j] && Equal(x, b[j], false, false)) {
        used[j] = true;
        found = true;
      }
    }
    if (!found) return false;
  }
  return true;
}

bool Equal(const json& a, const json& b, bool ordered, bool language) {
  if (a.is_array() && b.is_array()) {
    if (!ordered) return EqualUnordered(a, b);
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (!Equal(a[i], b[i], false, false)) return false;
    }
    return true;
  }
  if (a.is_object() && b.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto it = a.begin(); it != a.end(); ++it) {
      auto other = b.find(it.key());
      if (other == b.end()) return false;
      if (!Equal(*it, *other, it.key() == "@list", it.key() == "@language")) return false;
    }
    return true;
  }
  if (language && a.is_string() && b.is_string()) {
    return Lower(a.get<std::string>()) == Lower(b.get<std::string>());
  }
  if (a.is_number() && b.is_number()) {
    // nlohmann compares 1 and 1.0 as equal; the suite wants their JSON types to agree too.
    if (a.is_number_float() != b.is_number_float()) return false;
  }
  return a == b;
}

}  // namespace

bool SuiteTest::HasType(std::string_view type) const {
  return std::find(types.begin(), types.end(), type) != types.end();
}

std::string SuiteTest::InputUrl() const { return std::string(kSuiteBaseIri) + input; }

std::string SuiteTest::DocumentBase() const { return base ? *base : InputUrl(); }

std::optional<std::filesystem::path> SuiteDir() {
  std::filesystem::path shared = TRACEPORT_SHARED_DIR;
  if (const char* env = std::getenv("TRACEPORT_SHARED_DIR"); env != nullptr && *env != '\0') {
    shared = env;
  }
  std::filesystem::path dir = shared / "conformance" / "json-ld-api" / "tests";
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return std::nullopt;
  return dir;
}

Result<json> ReadJsonFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError("cannot open " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  json parsed = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return InvalidArgumentError("invalid JSON in " + path.string());
  return parsed;
}

Result<Manifest> LoadManifest(const std::filesystem::path& tests_dir, const std::string& file) {
  ASSIGN_OR_RETURN(json doc, ReadJsonFile(tests_dir / file));
  Manifest manifest;
  manifest.name = StringOr(doc, "name");
  manifest.base_iri = StringOr(doc, "baseIri", kSuiteBaseIri);
  auto sequence = doc.find("sequence");
  if (sequence == doc.end() || !sequence->is_array()) {
    return InvalidArgumentError(file + ": no sequence");
  }
  for (const json& entry : *sequence) {
    if (!entry.is_object()) return InvalidArgumentError(file + ": an entry is not an object");
    SuiteTest t;
    t.id = StringOr(entry, "@id");
    t.name = StringOr(entry, "name");
    t.purpose = StringOr(entry, "purpose");
    if (auto it = entry.find("@type"); it != entry.end()) t.types = Strings(*it);
    t.input = StringOr(entry, "input");
    t.expect = StringOr(entry, "expect");
    t.expect_error_code = StringOr(entry, "expectErrorCode");
    if (t.id.empty() || t.types.empty() || t.input.empty()) {
      return InvalidArgumentError(file + ": entry " + t.id + " lacks @id, @type or input");
    }
    if (auto it = entry.find("requires"); it != entry.end()) t.required_features = Strings(*it);
    if (auto it = entry.find("option"); it != entry.end() && it->is_object()) {
      const json& o = *it;
      if (auto b = o.find("base"); b != o.end() && b->is_string()) t.base = b->get<std::string>();
      t.expand_context = StringOr(o, "expandContext");
      t.processing_mode = StringOr(o, "processingMode");
      t.spec_version = StringOr(o, "specVersion");
      t.produce_generalized_rdf = BoolOr(o, "produceGeneralizedRdf", false);
      t.rdf_direction = StringOr(o, "rdfDirection");
      t.use_jcs = BoolOr(o, "useJCS", false);
      t.normative = BoolOr(o, "normative", true);
      if (auto r = o.find("requires"); r != o.end()) t.required_features = Strings(*r);
    }
    manifest.tests.push_back(std::move(t));
  }
  return manifest;
}

Result<RemoteDocument> SuiteDocumentLoader::Load(std::string_view url) const {
  std::string_view path = url;
  if (auto hash = path.find('#'); hash != std::string_view::npos) path = path.substr(0, hash);
  const std::string_view prefix = kSuiteBaseIri;
  if (path.substr(0, prefix.size()) != prefix) {
    return JsonLdError("loading remote context failed",
                       "not in the test suite: " + std::string(path.substr(0, 200)));
  }
  const std::string relative(path.substr(prefix.size()));
  if (relative.empty() || relative.find("..") != std::string::npos) {
    return JsonLdError("loading remote context failed", "bad suite path " + relative);
  }
  std::lock_guard<std::mutex> lock(mu_);
  auto it = documents_.find(relative);
  if (it == documents_.end()) {
    Result<json> parsed = ReadJsonFile(dir_ / relative);
    if (!parsed.ok()) {
      return JsonLdError("loading remote context failed", std::string(parsed.status().message()));
    }
    it = documents_.emplace(relative, std::make_shared<const json>(*std::move(parsed))).first;
  }
  ++loads_;
  return RemoteDocument{std::string(path), it->second};
}

size_t SuiteDocumentLoader::loads() const {
  std::lock_guard<std::mutex> lock(mu_);
  return loads_;
}

bool JsonLdEqual(const json& a, const json& b) { return Equal(a, b, false, false); }

std::string SkipReason(const SuiteTest& t) {
  if (t.spec_version == "json-ld-1.0") return "specVersion json-ld-1.0 only";
  if (t.processing_mode == "json-ld-1.0") return "processingMode json-ld-1.0 is not supported";
  if (!t.normative) return "not normative";
  return "";
}

Result<nlohmann::json> ExpandTestInput(const std::filesystem::path& dir, const SuiteTest& t,
                                       const SuiteDocumentLoader& loader, ContextCache& cache) {
  ASSIGN_OR_RETURN(RemoteDocument input, loader.Load(t.InputUrl()));
  ExpandOptions options;
  options.base = t.DocumentBase();
  options.loader = &loader;
  options.cache = &cache;
  nlohmann::json expand_context;
  if (!t.expand_context.empty()) {
    ASSIGN_OR_RETURN(expand_context, ReadJsonFile(dir / t.expand_context));
    options.expand_context = &expand_context;
  }
  return Expand(*input.document, options);
}

std::string NegativeVerdict(const SuiteTest& t, const Status& status, const std::string& output) {
  if (status.ok()) return "expected error \"" + t.expect_error_code + "\", got " + output;
  if (JsonLdErrorCode(status) != t.expect_error_code) {
    return "expected error \"" + t.expect_error_code + "\", got " + status.ToString();
  }
  return "";
}

Result<size_t> RunManifest(
    const std::filesystem::path& dir, const std::string& manifest_file, std::string_view kind,
    const std::function<std::string(const SuiteTest&, const SuiteDocumentLoader&, ContextCache&)>&
        run,
    ::traceport::testing::SuiteCounter& counter) {
  ASSIGN_OR_RETURN(Manifest manifest, LoadManifest(dir, manifest_file));
  SuiteDocumentLoader loader(dir);
  // One cache for every test, as a verifier would share it: a caching bug that leaks one
  // test's context into another shows up as failures.
  ContextCache cache;
  std::string failed_ids;
  for (const SuiteTest& t : manifest.tests) {
    if (!kind.empty() && !t.HasType(kind)) continue;
    if (std::string reason = SkipReason(t); !reason.empty()) {
      std::printf("skip %s (%s): %s\n", t.id.c_str(), t.name.c_str(), reason.c_str());
      counter.Skip();
      continue;
    }
    const std::string problem = run(t, loader, cache);
    counter.Record(problem.empty(), t.id + " " + t.name + ": " + problem);
    if (!problem.empty()) failed_ids += " " + t.id;
  }
  if (!failed_ids.empty()) std::printf("failed:%s\n", failed_ids.c_str());
  return manifest.tests.size();
}

Status Conclude(const Result<size_t>& seen, const ::traceport::testing::SuiteCounter& counter,
                size_t expected_entries) {
  counter.Print();
  if (!seen.ok()) return seen.status();
  if (*seen != expected_entries) {
    return FailedPreconditionError("the manifest has " + std::to_string(*seen) +
                                   " entries, expected " + std::to_string(expected_entries));
  }
  const size_t run = counter.passed() + counter.failed();
  if (run == 0) return FailedPreconditionError("no test ran");
  if (counter.passed() * 100 < run * 98) {
    return FailedPreconditionError("pass rate below 98%: " + std::to_string(counter.passed()) +
                                   " of " + std::to_string(run));
  }
  return Status::Ok();
}

}  // namespace traceport::jsonld::testing
