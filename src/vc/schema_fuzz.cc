// libFuzzer target: JSON Schema registration and validation (vc/schema.h) on arbitrary bytes.
//
// The first byte picks the role of the rest, parsed by the strict JSON parser:
//   even: a schema to register in an empty registry; when it is accepted and compiles, a few
//         fixed instances and the schema itself are validated against it;
//   odd:  a credential, checked against every built-in trade schema (CheckCredentialSchemas
//         with credentialSchema naming each one in turn).
// Invariants checked (a violation traps): nothing throws (an escaping exception aborts the
// run); every problem's pointer is "" or starts with '/'; validation is deterministic; a
// schema check that fails always says so with a required failed check.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "codec/json.h"
#include "vc/report.h"
#include "vc/schema.h"

namespace {

using nlohmann::json;
using traceport::vc::Problem;

void CheckProblems(const std::vector<Problem>& problems) {
  for (const Problem& p : problems) {
    if (!p.pointer.empty() && p.pointer[0] != '/') __builtin_trap();
  }
}

void FuzzSchema(const json& schema) {
  traceport::vc::SchemaRegistry registry;
  if (!registry.Add(schema).ok()) return;
  const std::string id = schema["$id"].get<std::string>();
  if (!registry.Contains(id)) __builtin_trap();
  if (!registry.Check(id).ok()) return;
  const json instances[] = {json(nullptr),  json(1.5),        json("text"), json::array({1, "a"}),
                            json::object(), json{{"a", {1}}}, schema};
  for (const json& instance : instances) {
    std::vector<Problem> first = traceport::vc::ValidateAgainstSchema(instance, id, registry);
    CheckProblems(first);
    std::vector<Problem> again = traceport::vc::ValidateAgainstSchema(instance, id, registry);
    if (first.size() != again.size()) __builtin_trap();
  }
}

void FuzzCredential(json credential) {
  static const traceport::vc::SchemaRegistry* builtins = [] {
    auto r = traceport::vc::SchemaRegistry::WithBuiltins();
    if (!r.ok()) __builtin_trap();
    return new traceport::vc::SchemaRegistry(std::move(r).value());
  }();
  if (!credential.is_object()) return;
  for (const std::string& id : builtins->Ids()) {
    credential["credentialSchema"] = {{"id", id}, {"type", "JsonSchema"}};
    traceport::vc::VerificationReport report;
    traceport::vc::CheckCredentialSchemas(credential, *builtins, report);
    const traceport::vc::Check* check = report.Find(traceport::vc::kCheckSchema);
    if (check == nullptr) __builtin_trap();
    if (check->status == traceport::vc::CheckStatus::kFail && !check->required) __builtin_trap();
    CheckProblems(report.problems());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  traceport::codec::JsonLimits limits;
  limits.max_bytes = 64 * 1024;
  auto parsed = traceport::codec::ParseJson(text, limits);
  if (!parsed.ok()) return 0;
  if (data[0] % 2 == 0) {
    FuzzSchema(*parsed);
  } else {
    FuzzCredential(std::move(parsed).value());
  }
  return 0;
}
