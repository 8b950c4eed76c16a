// Reading the W3C JSON-LD 1.1 API test suite (../shared/conformance/json-ld-api/tests): its
// manifests, an offline document loader for its URLs, and JSON-LD object comparison.
//
// Used by the expand and toRdf conformance tests; nothing here is specific to one manifest.
// Thread safety: SuiteDocumentLoader is thread-safe; the rest are plain values / pure functions.
#ifndef TRACEPORT_JSONLD_TESTING_JSON_LD_SUITE_H_
#define TRACEPORT_JSONLD_TESTING_JSON_LD_SUITE_H_

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/testing/conformance.h"
#include "jsonld/context.h"
#include "jsonld/document_loader.h"

namespace traceport::jsonld::testing {

// The IRI the suite's files are published under; the document URL of a test input is this plus
// the input's relative path.
inline constexpr char kSuiteBaseIri[] = "https://w3c.github.io/json-ld-api/tests/";

// One entry of a manifest's "sequence". Paths are relative to the tests directory, as written
// in the manifest ("expand/0001-in.jsonld").
struct SuiteTest {
  std::string id;  // "#t0001"
  std::string name;
  std::string purpose;
  std::vector<std::string> types;  // e.g. "jld:PositiveEvaluationTest", "jld:ExpandTest"
  std::string input;
  std::string expect;             // empty for negative and syntax tests
  std::string expect_error_code;  // negative tests only

  // "option" entries; absent ones keep these defaults.
  std::optional<std::string> base;
  std::string expand_context;   // a path like `input`, or empty
  std::string processing_mode;  // "json-ld-1.0", "json-ld-1.1" or empty
  std::string spec_version;     // "json-ld-1.0", "json-ld-1.1" or empty (either)
  bool produce_generalized_rdf = false;
  std::string rdf_direction;  // "i18n-datatype", "compound-literal" or empty
  bool use_jcs = false;
  bool normative = true;
  std::vector<std::string> required_features;  // "requires": GeneralizedRdf, I18nDatatype, ...

  bool HasType(std::string_view type) const;
  bool IsPositive() const { return HasType("jld:PositiveEvaluationTest"); }
  bool IsNegative() const { return HasType("jld:NegativeEvaluationTest"); }
  bool IsSyntax() const { return HasType("jld:PositiveSyntaxTest"); }
  // kSuiteBaseIri + input.
  std::string InputUrl() const;
  // The base IRI to expand with: the base option, else the input's URL.
  std::string DocumentBase() const;
};

struct Manifest {
  std::string name;
  std::string base_iri;  // "baseIri", normally kSuiteBaseIri
  std::vector<SuiteTest> tests;
};

// The suite's tests directory: $TRACEPORT_SHARED_DIR (environment, else the compile-time
// default) + "/conformance/json-ld-api/tests", when it exists.
std::optional<std::filesystem::path> SuiteDir();

// Parses `tests_dir / file` ("expand-manifest.jsonld"). InvalidArgument on an entry without
// @id, @type or input.
Result<Manifest> LoadManifest(const std::filesystem::path& tests_dir, const std::string& file);

// Reads and parses a JSON file (NotFound / InvalidArgument naming the path).
Result<nlohmann::json> ReadJsonFile(const std::filesystem::path& path);

// Serves every URL under kSuiteBaseIri from the tests directory (fragment ignored) and fails
// with "loading remote context failed" for anything else or a missing file. Parsed documents
// are kept, so each file is read once.
class SuiteDocumentLoader : public DocumentLoader {
 public:
  explicit SuiteDocumentLoader(std::filesystem::path tests_dir) : dir_(std::move(tests_dir)) {}
  Result<RemoteDocument> Load(std::string_view url) const override;
  // How many Load calls succeeded (including repeats).
  size_t loads() const;

 private:
  std::filesystem::path dir_;
  mutable std::mutex mu_;
  mutable std::map<std::string, std::shared_ptr<const nlohmann::json>, std::less<>> documents_;
  mutable size_t loads_ = 0;
};

// JSON-LD object comparison as the suite defines it: object members without order, arrays
// without order except the value of @list, scalars strictly equal (1 and 1.0 differ), and
// @language values compared case-insensitively.
bool JsonLdEqual(const nlohmann::json& a, const nlohmann::json& b);

// Why `t` is not run, or empty: Traceport implements processing mode json-ld-1.1 only, so
// specVersion / processingMode json-ld-1.0 tests (which expect 1.0 behaviour) are skipped, and
// so are tests marked normative: false.
std::string SkipReason(const SuiteTest& t);

// Expands `t`'s input with the test's options (base, expandContext from `dir`) through
// `loader`, sharing `cache`.
Result<nlohmann::json> ExpandTestInput(const std::filesystem::path& dir, const SuiteTest& t,
                                       const SuiteDocumentLoader& loader, ContextCache& cache);

// A negative test's verdict: empty when `status` fails with exactly t.expect_error_code, else
// what happened instead (`output` describes the result when `status` is OK).
std::string NegativeVerdict(const SuiteTest& t, const Status& status, const std::string& output);

// Runs the tests of `manifest_file` (those of type `kind`, or all when empty) with `run`, which
// returns an empty string for a pass and the problem otherwise. Skips are printed with their
// reason, failures through `counter`, and the failed ids on one line at the end. Returns the
// number of manifest entries seen, or an error when the manifest does not load.
Result<size_t> RunManifest(
    const std::filesystem::path& dir, const std::string& manifest_file, std::string_view kind,
    const std::function<std::string(const SuiteTest&, const SuiteDocumentLoader&, ContextCache&)>&
        run,
    ::traceport::testing::SuiteCounter& counter);

// Prints the suite line and judges the run: an error when the manifest did not load, when it
// no longer has `expected_entries` entries, when nothing ran, or when fewer than 98% of the
// tests that ran passed (the goal).
Status Conclude(const Result<size_t>& seen, const ::traceport::testing::SuiteCounter& counter,
                size_t expected_entries);

}  // namespace traceport::jsonld::testing

#endif  // TRACEPORT_JSONLD_TESTING_JSON_LD_SUITE_H_
