// JSON Schema validation of credentials: a registry of schemas keyed by `$id`, validation of a
// JSON instance against one of them, and the `schema` check of a verification report driven by a
// credential's `credentialSchema` entries.
//
// The validator is valijson 1.0 (Debian's libvalijson-dev), which implements JSON Schema draft 7.
// Schemas may be written in draft 07 or in draft 2020-12; 2020-12 schemas are rewritten to the
// draft-7 form valijson understands when they are added (`$ref` next to other keywords,
// `prefixItems`, `dependentRequired`, `dependentSchemas`, and `unevaluatedProperties` /
// `unevaluatedItems` where no other applicator sits beside them). Keywords whose meaning cannot be
// kept (`$dynamicRef`, `$recursiveRef`, `minContains`, `maxContains`, `unevaluated*` beside an
// applicator) make Add fail with Unimplemented rather than being silently ignored. The full list of
// what is and is not supported is in docs/formats/schemas.md.
//
// References between schemas (`$ref`, relative or absolute) are resolved only against schemas in
// the registry; nothing is ever fetched from the network. A `$ref` that names no registered schema
// makes validation against the referring schema report one Problem.
//
// `pattern` is matched with PCRE2 (Debian's libpcre2), compiled with options that follow
// ECMAScript: code points rather than bytes, `$` only at the end, `.` excluding CR and LF, `\u`
// escapes; a search that passes PCRE2's backtracking limit fails the keyword with a message saying
// so. Property names in `patternProperties`, which valijson matches itself with std::regex, are
// only matched when at most kMaxPatternSubjectBytes long (std::regex recurses once per
// character). `format` asserts `date-time`, `date` and `time` (RFC 3339, through common/time.h);
// other formats are annotations.
//
// Numbers keep valijson's semantics: types are strict (1.0 is a number, not an integer), and
// unsigned integers above INT64_MAX are compared as doubles (valijson would wrap them to negative
// values). Money and quantities in Traceport's schemas are decimal strings, never numbers.
//
// Thread safety: Add must not run concurrently with any other call on the same registry. All
// const members, ValidateAgainstSchema and CheckCredentialSchemas may be called concurrently.
// A moved-from registry may only be destroyed or assigned to. No function here throws:
// exceptions of valijson and nlohmann are caught and reported.
#ifndef TRACEPORT_VC_SCHEMA_H_
#define TRACEPORT_VC_SCHEMA_H_

#include <cstddef>
#include <memory>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "vc/report.h"

namespace traceport::vc {

// `$schema` values accepted by SchemaRegistry::Add (a schema without `$schema` is read as
// draft 07, which is what valijson implements).
inline constexpr std::string_view kJsonSchemaDraft07 = "http://json-schema.org/draft-07/schema#";
inline constexpr std::string_view kJsonSchemaDraft202012 =
    "https://json-schema.org/draft/2020-12/schema";

// `$id`s of the schemas shipped in the binary (schemas/*.json, see docs/formats/schemas.md).
inline constexpr std::string_view kTradeCommonSchemaId =
    "https://traceport.dev/schemas/TradeCommon/v1.json";
inline constexpr std::string_view kVerifiableCredentialSchemaId =
    "https://traceport.dev/schemas/VerifiableCredential/v1.json";
inline constexpr std::string_view kMillTestReportSchemaId =
    "https://traceport.dev/schemas/MillTestReportCredential/v1.json";
inline constexpr std::string_view kSimaLicenseSchemaId =
    "https://traceport.dev/schemas/SIMASteelImportLicenseCredential/v1.json";
inline constexpr std::string_view kCommercialInvoiceSchemaId =
    "https://traceport.dev/schemas/CommercialInvoiceCredential/v1.json";
inline constexpr std::string_view kPackingListSchemaId =
    "https://traceport.dev/schemas/PackingListCredential/v1.json";
inline constexpr std::string_view kBillOfLadingSchemaId =
    "https://traceport.dev/schemas/MultiModalBillOfLadingCredential/v1.json";
inline constexpr std::string_view kUsmcaCertificationSchemaId =
    "https://traceport.dev/schemas/USMCACertificationOfOrigin/v1.json";
inline constexpr std::string_view kPurchaseOrderSchemaId =
    "https://traceport.dev/schemas/PurchaseOrderCredential/v1.json";
inline constexpr std::string_view kCbpEntrySchemaId =
    "https://traceport.dev/schemas/CBP3461EntryCredential/v1.json";
inline constexpr std::string_view kCbpEntrySummarySchemaId =
    "https://traceport.dev/schemas/CBP7501EntrySummaryCredential/v1.json";
inline constexpr std::string_view kOilAndGasProductSchemaId =
    "https://traceport.dev/schemas/OilAndGasProductCredential/v1.json";
inline constexpr std::string_view kOilAndGasDeliveryTicketSchemaId =
    "https://traceport.dev/schemas/OilAndGasDeliveryTicketCredential/v1.json";
inline constexpr std::string_view kDeliveryScheduleSchemaId =
    "https://traceport.dev/schemas/DeliveryScheduleCredential/v1.json";
inline constexpr std::string_view kDeliveryStatementSchemaId =
    "https://traceport.dev/schemas/DeliveryStatementCredential/v1.json";
inline constexpr std::string_view kMonthlyAdvanceManifestSchemaId =
    "https://traceport.dev/schemas/MonthlyAdvanceManifestCredential/v1.json";
inline constexpr std::string_view kMonthlyAggregateDeliveryStatementSchemaId =
    "https://traceport.dev/schemas/MonthlyAggregateDeliveryStatementCredential/v1.json";
inline constexpr std::string_view kDoeImportAuthorizationSchemaId =
    "https://traceport.dev/schemas/DOEImportAuthorizationCredential/v1.json";

// Property names longer than this fail a schema that has `patternProperties` (valijson's
// std::regex would exhaust the stack on them); `pattern` itself has no such limit.
inline constexpr size_t kMaxPatternSubjectBytes = 1024;

// One schema file compiled into the binary.
struct EmbeddedSchema {
  std::string_view file;  // e.g. "MillTestReportCredential.v1.json"
  std::string_view text;  // the file's bytes
};

// Every schemas/*.json of the source tree at build time, sorted by file name. The storage is
// static; the span stays valid for the life of the process.
std::span<const EmbeddedSchema> EmbeddedSchemas();

class SchemaRegistry {
 public:
  SchemaRegistry();
  ~SchemaRegistry();
  SchemaRegistry(SchemaRegistry&&) noexcept;
  SchemaRegistry& operator=(SchemaRegistry&&) noexcept;
  SchemaRegistry(const SchemaRegistry&) = delete;
  SchemaRegistry& operator=(const SchemaRegistry&) = delete;

  // A registry holding every embedded schema, each parsed strictly (codec::ParseJson) and
  // compiled (all its references resolved). An error here means the build shipped a broken
  // schema: DataLoss names the file and what is wrong.
  static Result<SchemaRegistry> WithBuiltins();

  // Registers `schema`, a JSON object with an absolute `$id` (no fragment, or an empty one) that
  // is not yet registered, neither as a document nor as a resource embedded in one. Errors:
  //   InvalidArgument    not an object, `$id` missing / relative / with a fragment, an unknown or
  //                      nested conflicting `$schema`, a malformed keyword value, a `pattern` PCRE2
  //                      cannot compile (or a patternProperties name std::regex cannot), a `$ref`
  //                      that is not a string;
  //   AlreadyExists      the `$id` (or an embedded `$id` / anchor) is taken;
  //   Unimplemented      a keyword valijson 1.0 cannot honour (see the file comment).
  // References are not resolved here (the target may be added later); see Check.
  Status Add(const nlohmann::json& schema);

  // True when a schema document with this `$id` is registered.
  bool Contains(std::string_view id) const;
  // The schema as it was added, or nullptr. The pointer is valid until the registry is destroyed
  // or moved from (Add never invalidates it).
  const nlohmann::json* Find(std::string_view id) const;
  // `$id`s of all registered documents, sorted.
  std::vector<std::string> Ids() const;

  // Compiles the schema `id` with every schema it references: OK, or NotFound (no such schema,
  // or a `$ref` to a schema that is not registered), InvalidArgument (a `$ref` whose fragment
  // does not lead to a subschema) naming the reference.
  Status Check(std::string_view id) const;
  // Check on every registered schema; the first error.
  Status CheckAll() const;

 private:
  friend std::vector<Problem> ValidateAgainstSchema(const nlohmann::json& instance,
                                                    std::string_view schema_id,
                                                    const SchemaRegistry& registry);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Validates `instance` against the registered schema `schema_id` and returns every error found,
// each with the JSON Pointer of the offending value in `instance` and a message that starts with
// the JSON Schema keyword that failed, e.g.
//   {"/credentialSubject/inspections/0", "required: missing required property 'heatNumber'"}.
// Errors that only repeat a deeper error (a failing property or array item) are left out; the
// keyword is "schema" when valijson gives no more precise one. Empty means valid. An unknown
// `schema_id`, a schema that does not compile (unresolved `$ref`), an instance nested deeper
// than codec's default JSON depth limit, or an internal validator error each yield one Problem
// at pointer "" saying so.
std::vector<Problem> ValidateAgainstSchema(const nlohmann::json& instance,
                                           std::string_view schema_id,
                                           const SchemaRegistry& registry);

// The `schema` check of a credential (VCDM 2.0 or 1.1): for each `credentialSchema` entry,
//   type "JsonSchema" (2.0) or "JsonSchemaValidator2018" (1.1): the whole credential is
//     validated against the registered schema `id`; its problems are added to `report`, their
//     messages prefixed with the schema id;
//   type "JsonSchemaCredential": skipped, because `id` then names a credential that wraps the
//     schema, which would have to be fetched and its proof verified first (not supported yet);
//   an `id` that is not registered, or another type: skipped, with the reason.
// Outcome: NotApplicable when there is no credentialSchema; fail (pointer of the first failing
// entry) when an entry is malformed or the credential does not match a schema; pass when at
// least one schema was validated and none failed (the reason lists any skipped entries);
// otherwise skipped and not required.
void CheckCredentialSchemas(const nlohmann::json& vc, const SchemaRegistry& registry,
                            VerificationReport& report);

}  // namespace traceport::vc

#endif  // TRACEPORT_VC_SCHEMA_H_
