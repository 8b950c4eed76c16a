// libFuzzer target: JSON-LD expansion of arbitrary bytes parsed as JSON.
//
// The loader serves three fixed contexts (one plain, one importing it with type-scoped and
// protected terms, one that includes itself), so remote, scoped and protected processing are
// reachable; limits are small so every input runs quickly.
//
// Invariants checked (a violation traps):
//   - no crash, no exception, no assertion;
//   - error messages are printable ASCII and carry a JSON-LD error code;
//   - expanded output is expanded form: when expansion succeeds, expanding the output again
//     (same options) succeeds, and a third expansion gives exactly the second. (The second may
//     differ from the first: the algorithm keeps a node holding only @id inside a graph
//     container but drops it when it meets the same node under @graph.) The exception is the
//     one the spec makes: an @id of keyword form ("@foo") expands to "@id": null, which is
//     not valid JSON-LD (W3C expand test 0122), so such output is not expanded again;
//   - the output is a JSON array.
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "codec/json.h"
#include "jsonld/error.h"
#include "jsonld/expand.h"

namespace {

using nlohmann::json;
using traceport::Result;
using traceport::jsonld::DocumentLoader;
using traceport::jsonld::RemoteDocument;

class FixedLoader : public DocumentLoader {
 public:
  FixedLoader() {
    Add("https://fuzz.example/a", R"({"@context": {
        "@vocab": "https://fuzz.example/vocab#",
        "xsd": "http://www.w3.org/2001/XMLSchema#",
        "name": "https://schema.org/name",
        "knows": {"@id": "https://schema.org/knows", "@type": "@id"},
        "tags": {"@id": "https://fuzz.example/tags", "@container": "@list"},
        "label": {"@id": "https://fuzz.example/label", "@container": "@language"},
        "byId": {"@id": "https://fuzz.example/byId", "@container": "@id"},
        "data": {"@id": "https://fuzz.example/data", "@type": "@json"}}})");
    Add("https://fuzz.example/b", R"({"@context": {
        "@import": "https://fuzz.example/a",
        "@protected": true,
        "id": "@id", "type": "@type",
        "Person": {"@id": "https://schema.org/Person", "@context": {
            "age": {"@id": "https://schema.org/age", "@type": "xsd:integer"},
            "nest": "@nest"}},
        "byType": {"@id": "https://fuzz.example/byType", "@container": "@type"},
        "graph": {"@id": "https://fuzz.example/graph", "@container": ["@graph", "@index"]}}})");
    Add("https://fuzz.example/loop", R"({"@context": ["https://fuzz.example/loop"]})");
  }
  Result<RemoteDocument> Load(std::string_view url) const override {
    auto it = docs_.find(url);
    if (it == docs_.end()) {
      return traceport::jsonld::JsonLdError("loading remote context failed", "unknown URL");
    }
    return RemoteDocument{it->first, it->second};
  }

 private:
  void Add(const std::string& url, const char* text) {
    docs_[url] = std::make_shared<const json>(json::parse(text));
  }
  std::map<std::string, std::shared_ptr<const json>, std::less<>> docs_;
};

// Whether `value` holds an "@id": null member anywhere (see the invariants above).
bool HasNullId(const json& value) {
  if (value.is_array()) {
    for (const json& item : value) {
      if (HasNullId(item)) return true;
    }
    return false;
  }
  if (!value.is_object()) return false;
  for (const auto& [key, member] : value.items()) {
    if ((key == "@id" && member.is_null()) || HasNullId(member)) return true;
  }
  return false;
}

void CheckError(const traceport::Status& status) {
  for (char c : status.message()) {
    if (c < 0x20 || c > 0x7e) __builtin_trap();
  }
  if (traceport::jsonld::JsonLdErrorCode(status).empty()) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const FixedLoader loader;
  traceport::codec::JsonLimits limits;
  limits.max_bytes = 64 * 1024;
  limits.max_depth = 32;
  auto parsed = traceport::codec::ParseJson(
      std::string_view(reinterpret_cast<const char*>(data), size), limits);
  if (!parsed.ok()) return 0;

  traceport::jsonld::ExpandOptions options;
  options.base = "https://fuzz.example/doc/";
  options.loader = &loader;
  options.max_remote_loads = 8;
  options.max_remote_depth = 4;
  options.max_context_processing = 200;
  options.max_depth = 48;
  options.max_nodes = 20000;
  auto expanded = traceport::jsonld::Expand(*parsed, options);
  if (!expanded.ok()) {
    CheckError(expanded.status());
    return 0;
  }
  if (!expanded->is_array()) __builtin_trap();
  if (HasNullId(*expanded)) return 0;
  auto again = traceport::jsonld::Expand(*expanded, options);
  if (!again.ok()) __builtin_trap();
  auto third = traceport::jsonld::Expand(*again, options);
  if (!third.ok() || *third != *again) __builtin_trap();
  return 0;
}
