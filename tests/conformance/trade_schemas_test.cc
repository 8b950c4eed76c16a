// The W3C CCG traceability vocabulary's own schemas and examples, from
// ../shared/conformance/traceability-vocab (commit 961fb742, see SOURCES.md there), run through
// vc::SchemaRegistry and vc::ValidateAgainstSchema (valijson):
//   conformance traceability-vocab-schemas
//     for every schema under credentials/, common/ and snippets/ (YAML, draft-07 style, relative
//     file $refs between them): its `example` must validate, and each mutation of the example
//     must not: the first required member that the example has is removed (a `required` problem
//     at ""), an unknown member is added where the schema closes its properties (an
//     `additionalProperties` problem at that member), or, for a schema with neither, the example
//     is replaced by a value of another type (a `type` problem at ""). A schema offering none of
//     these counts one skip, as does an example listed in kKnownDefects. workflows/ holds
//     workflow definitions, not schemas, and is not read.
//
// The files are YAML. The project has no YAML parser among its dependencies, so the test converts
// them to JSON with python3 and its yaml module (Debian: python3, python3-yaml) when they are
// present; otherwise the suite reports itself skipped, and fails under CI.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "codec/json.h"
#include "common/testing/conformance.h"
#include "vc/schema.h"

namespace traceport::vc {
namespace {

using ::nlohmann::json;
using ::traceport::testing::SuiteCounter;

// Where the vocabulary publishes these files; relative $refs resolve against it.
constexpr std::string_view kBase =
    "https://w3c-ccg.github.io/traceability-vocab/openapi/components/schemas/";
constexpr std::string_view kSchemaDir = "docs/openapi/components/schemas";
constexpr int kPythonNoYaml = 3;

// Examples that are not valid JSON for Traceport's strict parser (codec::ParseJson). Each is
// counted as skipped while it still fails to parse, and as a failure once it parses (so that the
// entry is removed when the vocabulary is fixed).
struct KnownDefect {
  std::string_view file;
  std::string_view why;
};
constexpr KnownDefect kKnownDefects[] = {
    {"common/CBPEntryType86.yml",
     "the example has the member \"shipper\" twice (the second probably meant \"consignee\"); "
     "duplicate names are rejected"},
};

const KnownDefect* FindKnownDefect(const std::string& file) {
  for (const KnownDefect& d : kKnownDefects) {
    if (d.file == file) return &d;
  }
  return nullptr;
}

void PrintSkip(const char* suite, const std::string& what) {
  std::printf("  SKIP %s: %s\n", suite, what.c_str());
}

// Reads every credentials/, common/ and snippets/ YAML file below `dir` into one JSON object
// keyed by "<subdirectory>/<file>". YAML timestamps become ISO 8601 strings.
constexpr const char* kYamlToJson = R"(import json, os, sys
try:
    import yaml
except ImportError:
    sys.exit(3)
out = {}
for sub in ("credentials", "common", "snippets"):
    folder = os.path.join(sys.argv[1], sub)
    for name in sorted(os.listdir(folder)):
        if name.endswith(".yml"):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                out[sub + "/" + name] = yaml.safe_load(f)
json.dump(out, sys.stdout, sort_keys=True,
          default=lambda o: o.isoformat() if hasattr(o, "isoformat") else str(o))
)";

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

// The converted files, or an error whose message says why not (exit code kPythonNoYaml means
// that python3 runs but has no yaml module).
Result<json> LoadVocabulary(const std::filesystem::path& dir, int& exit_code) {
  const std::filesystem::path script =
      std::filesystem::temp_directory_path() /
      ("traceport_yaml_to_json_" + std::to_string(getpid()) + ".py");
  {
    std::ofstream f(script);
    f << kYamlToJson;
    if (!f) return InternalError("cannot write " + script.string());
  }
  // Debian's interpreter, whose yaml module scripts/install-deps.sh installs (python3-yaml),
  // rather than whatever python3 comes first on PATH.
  std::error_code ec;
  const std::string python =
      std::filesystem::exists("/usr/bin/python3", ec) ? "/usr/bin/python3" : "python3";
  const std::string command =
      python + " " + ShellQuote(script.string()) + " " + ShellQuote((dir / kSchemaDir).string());
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return UnavailableError("cannot run python3");
  std::string output;
  char buffer[65536];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) output.append(buffer, n);
  const int status = pclose(pipe);
  std::filesystem::remove(script);
  exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (exit_code != 0) {
    return UnavailableError("python3 YAML conversion exited with " + std::to_string(exit_code));
  }
  codec::JsonLimits limits;
  limits.max_bytes = 64 << 20;
  limits.max_depth = 512;
  return codec::ParseJson(output, limits);
}

std::string Describe(const std::vector<Problem>& problems) {
  std::string s;
  for (size_t i = 0; i < problems.size() && i < 5; ++i) {
    s += " [" + problems[i].pointer + "] " + problems[i].message + ";";
  }
  if (problems.size() > 5) s += " ... (" + std::to_string(problems.size()) + " problems)";
  return s;
}

bool Has(const std::vector<Problem>& problems, const std::string& pointer,
         const std::string& keyword) {
  for (const Problem& p : problems) {
    if (p.pointer == pointer && p.message.rfind(keyword + ": ", 0) == 0) return true;
  }
  return false;
}

// A value of a JSON type other than `type` (a schema's "type" keyword value).
json OtherType(const json& type) {
  if (type == "number" || type == "integer") return "not a number";
  return 42;
}

TEST(TraceabilityVocabConformance, ExamplesAndMutations) {
  constexpr const char* kSuite = "traceability-vocab-schemas";
  TRACEPORT_CONFORMANCE_DIR_OR_SKIP(dir, kSuite, "traceability-vocab");
  int exit_code = 0;
  auto vocabulary = LoadVocabulary(dir, exit_code);
  if (!vocabulary.ok()) {
    std::printf("conformance %s: 0 passed, 0 failed, 1 skipped\n", kSuite);
    const std::string why = exit_code == kPythonNoYaml
                                ? "python3 has no yaml module (Debian package python3-yaml)"
                                : vocabulary.status().ToString();
    if (::traceport::testing::InCi()) FAIL() << "cannot read the YAML schemas: " << why;
    GTEST_SKIP() << "cannot read the YAML schemas: " << why;
  }

  SuiteCounter counter(kSuite);
  SchemaRegistry registry;
  std::vector<std::string> added;
  for (const auto& [file, schema] : vocabulary->items()) {
    if (!schema.is_object()) {
      counter.Fail(file + ": not a YAML mapping");
      continue;
    }
    json with_id = schema;
    with_id["$id"] = std::string(kBase) + file;
    Status st = registry.Add(with_id);
    if (!st.ok()) {
      counter.Fail(file + ": " + st.ToString());
      continue;
    }
    added.push_back(file);
  }

  size_t examples = 0;
  for (const std::string& file : added) {
    const json& schema = (*vocabulary)[file];
    const std::string id = std::string(kBase) + file;
    auto text = schema.find("example");
    if (text == schema.end() || !text->is_string()) {
      PrintSkip(kSuite, file + ": no example");
      counter.Skip();
      continue;
    }
    ++examples;
    auto example = codec::ParseJson(text->get<std::string>());
    if (const KnownDefect* defect = FindKnownDefect(file)) {
      if (example.ok()) {
        counter.Fail(file + ": listed as a known defect but its example now parses");
      } else {
        PrintSkip(kSuite, file + ": " + std::string(defect->why));
        counter.Skip();
      }
      continue;
    }
    if (!example.ok()) {
      counter.Fail(file + ": example: " + example.status().ToString());
      continue;
    }
    std::vector<Problem> problems = ValidateAgainstSchema(*example, id, registry);
    counter.Record(problems.empty(), file + ": example does not validate:" + Describe(problems));

    bool mutated = false;
    if (example->is_object() && schema.contains("required") && schema["required"].is_array()) {
      for (const json& name : schema["required"]) {
        if (!name.is_string() || !example->contains(name.get<std::string>())) continue;
        json copy = *example;
        copy.erase(name.get<std::string>());
        std::vector<Problem> p = ValidateAgainstSchema(copy, id, registry);
        counter.Record(Has(p, "", "required"), file + ": example without required \"" +
                                                   name.get<std::string>() +
                                                   "\" not reported:" + Describe(p));
        mutated = true;
        break;
      }
    }
    if (example->is_object() && schema.value("additionalProperties", json()) == false) {
      json copy = *example;
      copy["traceportUnexpectedMember"] = true;
      std::vector<Problem> p = ValidateAgainstSchema(copy, id, registry);
      counter.Record(Has(p, "/traceportUnexpectedMember", "additionalProperties"),
                     file + ": unexpected member not reported:" + Describe(p));
      mutated = true;
    }
    if (!mutated && schema.contains("type") && schema["type"].is_string()) {
      std::vector<Problem> p = ValidateAgainstSchema(OtherType(schema["type"]), id, registry);
      counter.Record(Has(p, "", "type"),
                     file + ": value of another type not reported:" + Describe(p));
      mutated = true;
    }
    if (!mutated) {
      PrintSkip(kSuite, file + ": no required member, closed object or type to violate");
      counter.Skip();
    }
  }
  counter.Print();
  // 84 credential types, 177 common classes and 14 snippets, each with an example.
  EXPECT_EQ(vocabulary->size(), 275u);
  EXPECT_EQ(examples, 275u);
  EXPECT_EQ(counter.failed(), 0u);
}

}  // namespace
}  // namespace traceport::vc
