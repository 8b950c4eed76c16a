// Build-time generator for jsonld/internal/builtin_contexts.h: reads contexts/manifest.json,
// takes each listed file from the npm packages installed in contexts/node_modules, checks it,
// and writes a C++ source that holds every file as a byte array.
//
//   embed_contexts MANIFEST NODE_MODULES_DIR OUTPUT_CC
//
// The build fails (exit 1, one line per problem on stderr) when
//   - a package is missing or its installed version is not the manifest's (a stale
//     node_modules: run `npm ci --prefix contexts`);
//   - a file's SHA-256 is not the manifest's `sha256`;
//   - the manifest gives `published` (a SHA-256 that a specification publishes for the URL)
//     and the file neither hashes to `published.sha256` nor has the RFC 8785 (JCS) form whose
//     SHA-256 is `published.jcs_sha256`;
//   - a file is not strict JSON with a top-level "@context", or a URL is listed twice.
// OUTPUT_CC is rewritten only when its content changes, so an unchanged manifest does not
// rebuild the library.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "codec/hex.h"
#include "codec/jcs.h"
#include "codec/json.h"
#include "common/status.h"
#include "crypto/sha2.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using traceport::Result;
using traceport::Status;

Result<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return traceport::NotFoundError(path.string() + ": cannot be read");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return traceport::InternalError(path.string() + ": read error");
  return bytes;
}

std::string Sha256Hex(std::string_view bytes) {
  return traceport::codec::HexEncode(traceport::crypto::Sha256(bytes));
}

std::string StringMember(const json& object, const char* name) {
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A C++ string literal for short, printable metadata (URLs, package names, hex).
std::string Quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

struct Entry {
  std::string url, package, version, file, sha256, published_sha256, bytes;
};

// Checks one manifest entry against the installed package; appends problems to `errors`.
void CheckEntry(const json& item, const fs::path& node_modules, std::vector<Entry>& entries,
                std::vector<std::string>& errors) {
  Entry e;
  e.url = StringMember(item, "url");
  e.package = StringMember(item, "package");
  e.version = StringMember(item, "version");
  e.file = StringMember(item, "file");
  e.sha256 = StringMember(item, "sha256");
  const std::string where = "contexts/manifest.json: " + (e.url.empty() ? "?" : e.url);
  if (e.url.empty() || e.package.empty() || e.version.empty() || e.file.empty() ||
      e.sha256.empty()) {
    errors.push_back(where + ": needs url, package, version, file and sha256");
    return;
  }
  const fs::path package_dir = node_modules / e.package;
  auto package_json = ReadFile(package_dir / "package.json");
  if (!package_json.ok()) {
    errors.push_back(where + ": npm package " + e.package +
                     " is not installed; run `npm ci --prefix contexts` (scripts/install-deps.sh "
                     "does it)");
    return;
  }
  auto meta = traceport::codec::ParseJson(*package_json);
  const std::string installed = meta.ok() ? StringMember(*meta, "version") : "";
  if (installed != e.version) {
    errors.push_back(where + ": installed " + e.package + " is version \"" + installed +
                     "\", the manifest wants " + e.version +
                     "; run `npm ci --prefix contexts` (or update the manifest with the lock)");
    return;
  }
  auto bytes = ReadFile(package_dir / e.file);
  if (!bytes.ok()) {
    errors.push_back(where + ": " + std::string(bytes.status().message()));
    return;
  }
  e.bytes = std::move(*bytes);
  const std::string actual = Sha256Hex(e.bytes);
  if (actual != e.sha256) {
    errors.push_back(where + ": " + e.package + "/" + e.file + " has SHA-256 " + actual +
                     ", the manifest pins " + e.sha256);
    return;
  }
  auto document = traceport::codec::ParseJson(e.bytes);
  if (!document.ok()) {
    errors.push_back(where + ": " + std::string(document.status().message()));
    return;
  }
  if (!document->is_object() || !document->contains("@context")) {
    errors.push_back(where + ": has no top-level \"@context\"");
    return;
  }
  if (auto published = item.find("published"); published != item.end()) {
    e.published_sha256 = StringMember(*published, "sha256");
    const std::string jcs_sha256 = StringMember(*published, "jcs_sha256");
    if (e.published_sha256.empty()) {
      errors.push_back(where + ": published needs sha256");
      return;
    }
    if (actual != e.published_sha256) {
      auto canonical = traceport::codec::Canonicalize(*document);
      const std::string canonical_sha256 = canonical.ok() ? Sha256Hex(*canonical) : "";
      if (jcs_sha256.empty() || canonical_sha256 != jcs_sha256) {
        errors.push_back(where + ": does not match the published SHA-256 " + e.published_sha256 +
                         " (bytes hash to " + actual + ", RFC 8785 form to " + canonical_sha256 +
                         ", published.jcs_sha256 is " +
                         (jcs_sha256.empty() ? "absent" : jcs_sha256) + ")");
        return;
      }
    }
  }
  entries.push_back(std::move(e));
}

std::string Generate(const std::vector<Entry>& entries) {
  std::ostringstream out;
  out << "// Generated by src/jsonld/tools/embed_contexts.cc from contexts/manifest.json and the "
         "npm\n// packages in contexts/node_modules. Do not edit.\n"
         "#include \"jsonld/internal/builtin_contexts.h\"\n\n"
         "namespace traceport::jsonld::internal {\nnamespace {\n\n";
  for (size_t i = 0; i < entries.size(); ++i) {
    // Byte arrays rather than string literals: no length limit, no delimiter to escape.
    out << "// " << entries[i].url << "\nconstexpr unsigned char kBytes" << i << "[] = {";
    const std::string& b = entries[i].bytes;
    for (size_t j = 0; j < b.size(); ++j) {
      out << (j % 24 == 0 ? "\n    " : " ")
          << static_cast<unsigned>(static_cast<unsigned char>(b[j])) << ",";
    }
    out << "\n};\n\n";
  }
  out << "std::string_view View(const unsigned char* bytes, size_t size) {\n"
         "  return std::string_view(reinterpret_cast<const char*>(bytes), size);\n}\n\n"
         "}  // namespace\n\n"
         "std::span<const BuiltinContext> BuiltinContexts() {\n"
         "  static const BuiltinContext kContexts[] = {\n";
  for (size_t i = 0; i < entries.size(); ++i) {
    const Entry& e = entries[i];
    out << "      {" << Quote(e.url) << ", " << Quote(e.package) << ", " << Quote(e.version) << ", "
        << Quote(e.file) << ",\n       " << Quote(e.sha256) << ",\n       "
        << Quote(e.published_sha256) << ", View(kBytes" << i << ", sizeof(kBytes" << i << "))},\n";
  }
  out << "  };\n  return kContexts;\n}\n\n}  // namespace traceport::jsonld::internal\n";
  return out.str();
}

int Run(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: embed_contexts MANIFEST NODE_MODULES_DIR OUTPUT_CC\n");
    return 2;
  }
  auto manifest_text = ReadFile(argv[1]);
  if (!manifest_text.ok()) {
    std::fprintf(stderr, "embed_contexts: %s\n", manifest_text.status().ToString().c_str());
    return 1;
  }
  auto manifest = traceport::codec::ParseJson(*manifest_text);
  if (!manifest.ok() || !manifest->is_object() || !manifest->contains("contexts") ||
      !(*manifest)["contexts"].is_array()) {
    std::fprintf(stderr, "embed_contexts: %s: expected an object with a \"contexts\" array\n",
                 argv[1]);
    return 1;
  }
  std::vector<Entry> entries;
  std::vector<std::string> errors;
  std::set<std::string> urls;
  for (const json& item : (*manifest)["contexts"]) {
    if (!item.is_object()) {
      errors.push_back("contexts/manifest.json: every entry must be an object");
      continue;
    }
    const std::string url = StringMember(item, "url");
    if (!urls.insert(url).second) {
      errors.push_back("contexts/manifest.json: " + url + " is listed twice");
      continue;
    }
    CheckEntry(item, argv[2], entries, errors);
  }
  for (const std::string& e : errors) std::fprintf(stderr, "embed_contexts: %s\n", e.c_str());
  if (!errors.empty()) return 1;

  const std::string generated = Generate(entries);
  auto existing = ReadFile(argv[3]);
  if (existing.ok() && *existing == generated) return 0;
  std::ofstream out(argv[3], std::ios::binary | std::ios::trunc);
  out << generated;
  out.close();
  if (!out) {
    std::fprintf(stderr, "embed_contexts: cannot write %s\n", argv[3]);
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return Run(argc, argv); }
