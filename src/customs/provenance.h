// Provenance links: the identifiers through which trade credentials refer to the same goods
// (heat numbers, batch and ticket numbers, bill-of-lading, invoice and purchase order numbers,
// entry numbers, traceability lot codes, GTIN and GLN, well identifiers) and whether a
// credential is the origin of the goods (a mill certificate for its heats, an oil and gas
// product credential for its batch and well) or refers to them.
//
// The node stores these links for every received credential; trace-back walks from a shipment
// to the origin documents that share its identifiers, trace-forward from an identifier to every
// credential and shipment that carries it.
#ifndef TRACEPORT_CUSTOMS_PROVENANCE_H_
#define TRACEPORT_CUSTOMS_PROVENANCE_H_

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace traceport::customs {

// Identifier kinds, as stored and as accepted by the trace API.
inline constexpr std::string_view kHeatNumber = "heat";
inline constexpr std::string_view kBatchNumber = "batch";
inline constexpr std::string_view kTicketNumber = "ticket";
inline constexpr std::string_view kBillOfLading = "bol";
inline constexpr std::string_view kInvoiceNumber = "invoice";
inline constexpr std::string_view kPurchaseOrder = "po";
inline constexpr std::string_view kEntryNumber = "entry";
inline constexpr std::string_view kLotCode = "lot";
inline constexpr std::string_view kGtin = "gtin";
inline constexpr std::string_view kGln = "gln";
inline constexpr std::string_view kWell = "well";                // UWI
inline constexpr std::string_view kCertificate = "certificate";  // MTR certificate number
inline constexpr std::string_view kLicense = "license";          // SIMA licence, DOE authorization

// Every kind above, in this order.
const std::vector<std::string_view>& IdentifierKinds();
bool IsIdentifierKind(std::string_view kind);

struct Link {
  std::string kind;   // one of the kinds above
  std::string value;  // as written in the credential, surrounding whitespace trimmed
  // True when this credential is where the goods with this identifier come from (a mill test
  // report for its heat numbers and certificate number; an OilAndGasProduct for its batch
  // and well; a delivery ticket for its ticket number; an invoice for its invoice number ...).
  bool origin = false;
  friend bool operator==(const Link&, const Link&) = default;
};

// The links of one credential (a VC 2.0 / 1.1 JSON document with credentialSubject, or a vc+jwt
// payload that nests it under "vc"), by its type: each trade type the credential names gives the
// identifiers of its own fields (the table at the top of provenance.cc). Credentials that
// name no known type give the identifiers found under well-known member names anywhere in
// credentialSubject (heatNumber(s), batchNumber, billOfLadingNumber, invoiceNumber,
// purchaseOrderNumber(s), lotCode, traceabilityLotCode, gtin, globalLocationNumber,
// ticketControlNumber(s)), none of them an origin.
//
// Values are strings with surrounding whitespace trimmed; empty values and values longer than
// 256 characters (TradeCommon's Identifier limit) are skipped. Deduplicated by (kind, value) at
// the first occurrence, an origin if any occurrence is one; otherwise in document order (the
// type's fields in a fixed order, array elements in order). Never throws and never fails: a
// malformed document gives fewer links. Pure; safe to call concurrently.
std::vector<Link> ExtractLinks(const nlohmann::json& credential);

}  // namespace traceport::customs

#endif  // TRACEPORT_CUSTOMS_PROVENANCE_H_
