// Which fields of each trade document are links (* = origin):
//
//   MillTestReportCredential           inspections[].heatNumber heat*, certificateNumber
//                                      certificate*, purchaseOrderNumber po
//   CommercialInvoiceCredential        invoiceNumber invoice*, purchaseOrderNumbers po,
//                                      billOfLadingNumber bol, itemsShipped[]: purchaseOrderNumber
//                                      po, heatNumbers heat, gtin gtin
//   PackingListCredential              items[].heatNumbers heat, invoiceId invoice, orderNumber
//                                      po, billOfLadingNumber bol
//   MultiModalBillOfLadingCredential   billOfLadingNumber bol*, particulars[].heatNumbers heat
//   SIMASteelImportLicenseCredential   licenseNumber license*, customsEntryNumber entry
//   CBP3461EntryCredential,            entryNumber entry*, billOfLadingNumber bol,
//   CBP7501EntrySummaryCredential      simaLicenseNumbers license
//   PurchaseOrderCredential            purchaseOrderNumber po*, itemsOrdered[] as itemsShipped[]
//   OilAndGasProductCredential         product.batchNumber batch*, UWI well*
//   OilAndGasDeliveryTicketCredential  ticketControlNumber ticket*, batchNumber batch
//   DeliveryScheduleCredential         batchNumber batch
//   DeliveryStatementCredential        batchNumber batch, ticketControlNumbers ticket
//   MonthlyAdvanceManifestCredential,  doeAuthorizationNumber license
//   MonthlyAggregateDelivery...
//   DOEImportAuthorizationCredential   authorizationNumber license*
//   USMCACertificationOfOrigin         invoiceNumber invoice
//
// The list fields (heatNumbers, purchaseOrderNumbers, simaLicenseNumbers, ticketControlNumbers)
// also accept a single string, and purchaseOrderNumber a list: issuers mix them up, and a link
// is worth more than strictness here (the schema check reports the shape).
#include "customs/provenance.h"

#include <algorithm>
#include <cstddef>
#include <unordered_map>
#include <utility>

namespace traceport::customs {
namespace {

using nlohmann::json;

// TradeCommon's Identifier is at most 256 characters; anything longer is not an identifier a
// trade document legitimately carries, and the node should not index it.
constexpr size_t kMaxValueLength = 256;

// The generic walk visits at most this many JSON values of one credentialSubject, so that a
// hostile document cannot make extraction slow.
constexpr size_t kMaxGenericValues = 100000;

std::string_view Trim(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

// Collects links in document order; a repeated (kind, value) keeps its first position and
// becomes an origin when any occurrence is one.
class Links {
 public:
  void Add(std::string_view kind, const json& value, bool origin) {
    if (!value.is_string()) return;
    const std::string_view v = Trim(value.get_ref<const std::string&>());
    if (v.empty() || v.size() > kMaxValueLength) return;
    std::string key;
    key.reserve(kind.size() + 1 + v.size());
    key.append(kind).push_back('\0');  // kinds never contain NUL, so the key is unambiguous
    key.append(v);
    auto [it, inserted] = index_.try_emplace(std::move(key), links_.size());
    if (!inserted) {
      links_[it->second].origin = links_[it->second].origin || origin;
      return;
    }
    links_.push_back(Link{std::string(kind), std::string(v), origin});
  }

  // A single identifier or an array of them (heatNumbers, ticketControlNumbers, ...).
  void AddOneOrMany(std::string_view kind, const json& value, bool origin) {
    if (value.is_array()) {
      for (const json& v : value) Add(kind, v, origin);
    } else {
      Add(kind, value, origin);
    }
  }

  std::vector<Link> Take() && { return std::move(links_); }

 private:
  std::vector<Link> links_;
  std::unordered_map<std::string, size_t> index_;  // kind NUL value -> position in links_
};

// The member `name` of `object`, or null when `object` is not an object or lacks it; keeps the
// extractors free of type checks.
const json& Member(const json& object, std::string_view name) {
  static const json kNull;
  if (!object.is_object()) return kNull;
  auto it = object.find(name);
  return it == object.end() ? kNull : *it;
}

// Calls `f` on each element of `array` (nothing when it is not an array).
template <typename F>
void Each(const json& array, F f) {
  if (!array.is_array()) return;
  for (const json& e : array) f(e);
}

void MillTestReport(const json& s, Links& out) {
  Each(Member(s, "inspections"),
       [&](const json& i) { out.Add(kHeatNumber, Member(i, "heatNumber"), true); });
  out.Add(kCertificate, Member(s, "certificateNumber"), true);
  out.AddOneOrMany(kPurchaseOrder, Member(s, "purchaseOrderNumber"), false);
}

void TradeLineItems(const json& items, Links& out) {
  Each(items, [&](const json& item) {
    out.AddOneOrMany(kPurchaseOrder, Member(item, "purchaseOrderNumber"), false);
    out.AddOneOrMany(kHeatNumber, Member(item, "heatNumbers"), false);
    out.Add(kGtin, Member(item, "gtin"), false);
  });
}

void CommercialInvoice(const json& s, Links& out) {
  out.Add(kInvoiceNumber, Member(s, "invoiceNumber"), true);
  out.AddOneOrMany(kPurchaseOrder, Member(s, "purchaseOrderNumbers"), false);
  out.Add(kBillOfLading, Member(s, "billOfLadingNumber"), false);
  TradeLineItems(Member(s, "itemsShipped"), out);
}

void PackingList(const json& s, Links& out) {
  Each(Member(s, "items"), [&](const json& item) {
    out.AddOneOrMany(kHeatNumber, Member(item, "heatNumbers"), false);
  });
  out.Add(kInvoiceNumber, Member(s, "invoiceId"), false);
  out.Add(kPurchaseOrder, Member(s, "orderNumber"), false);
  out.Add(kBillOfLading, Member(s, "billOfLadingNumber"), false);
}

void BillOfLading(const json& s, Links& out) {
  out.Add(kBillOfLading, Member(s, "billOfLadingNumber"), true);
  Each(Member(s, "particulars"), [&](const json& item) {
    out.AddOneOrMany(kHeatNumber, Member(item, "heatNumbers"), false);
  });
}

void SimaLicense(const json& s, Links& out) {
  out.Add(kLicense, Member(s, "licenseNumber"), true);
  out.Add(kEntryNumber, Member(s, "customsEntryNumber"), false);
}

void Entry(const json& s, Links& out) {  // CBP 3461 and 7501
  out.Add(kEntryNumber, Member(s, "entryNumber"), true);
  out.Add(kBillOfLading, Member(s, "billOfLadingNumber"), false);
  out.AddOneOrMany(kLicense, Member(s, "simaLicenseNumbers"), false);
}

void PurchaseOrder(const json& s, Links& out) {
  out.Add(kPurchaseOrder, Member(s, "purchaseOrderNumber"), true);
  // Lines ordered from mill stock name their heats.
  TradeLineItems(Member(s, "itemsOrdered"), out);
}

void OilAndGasProduct(const json& s, Links& out) {
  out.Add(kBatchNumber, Member(Member(s, "product"), "batchNumber"), true);
  out.Add(kWell, Member(s, "UWI"), true);
}

void DeliveryTicket(const json& s, Links& out) {
  out.Add(kTicketNumber, Member(s, "ticketControlNumber"), true);
  out.Add(kBatchNumber, Member(s, "batchNumber"), false);
}

void DeliverySchedule(const json& s, Links& out) {
  out.Add(kBatchNumber, Member(s, "batchNumber"), false);
}

void DeliveryStatement(const json& s, Links& out) {
  out.Add(kBatchNumber, Member(s, "batchNumber"), false);
  out.AddOneOrMany(kTicketNumber, Member(s, "ticketControlNumbers"), false);
}

void GasMonthly(const json& s, Links& out) {  // advance manifest and aggregate statement
  out.Add(kLicense, Member(s, "doeAuthorizationNumber"), false);
}

void DoeAuthorization(const json& s, Links& out) {
  out.Add(kLicense, Member(s, "authorizationNumber"), true);
}

void UsmcaCertification(const json& s, Links& out) {
  out.Add(kInvoiceNumber, Member(s, "invoiceNumber"), false);
}

// Member names that carry an identifier in any trade document, for credential types without a
// dedicated extractor. None of them marks an origin: only a known type says which document the
// goods come from.
std::string_view GenericKind(std::string_view name) {
  static constexpr std::pair<std::string_view, std::string_view> kNames[] = {
      {"heatNumber", kHeatNumber},
      {"heatNumbers", kHeatNumber},
      {"batchNumber", kBatchNumber},
      {"billOfLadingNumber", kBillOfLading},
      {"invoiceNumber", kInvoiceNumber},
      {"purchaseOrderNumber", kPurchaseOrder},
      {"purchaseOrderNumbers", kPurchaseOrder},
      {"lotCode", kLotCode},
      {"traceabilityLotCode", kLotCode},
      {"gtin", kGtin},
      {"globalLocationNumber", kGln},
      {"ticketControlNumber", kTicketNumber},
      {"ticketControlNumbers", kTicketNumber},
  };
  for (const auto& [member, kind] : kNames) {
    if (member == name) return kind;
  }
  return {};
}

// Walks `subject` depth first in document order with an explicit stack (documents may nest
// deeper than the call stack should).
void Generic(const json& subject, Links& out) {
  struct Frame {
    json::const_iterator it, end;
    bool object;  // only an object's members have names
  };
  std::vector<Frame> stack;
  auto push = [&](const json& v) {
    if (v.is_structured()) stack.push_back({v.cbegin(), v.cend(), v.is_object()});
  };
  push(subject);
  size_t visited = 0;
  while (!stack.empty() && visited < kMaxGenericValues) {
    Frame& top = stack.back();
    if (top.it == top.end) {
      stack.pop_back();
      continue;
    }
    const json::const_iterator current = top.it++;
    ++visited;
    const std::string_view kind = top.object ? GenericKind(current.key()) : std::string_view();
    if (!kind.empty() && current->is_string()) {
      out.Add(kind, *current, false);
      continue;
    }
    if (!kind.empty() && current->is_array()) out.AddOneOrMany(kind, *current, false);
    push(*current);  // `top` may dangle from here on
  }
}

using Extractor = void (*)(const json&, Links&);

Extractor ForType(std::string_view type) {
  static constexpr std::pair<std::string_view, Extractor> kTypes[] = {
      {"MillTestReportCredential", MillTestReport},
      {"CommercialInvoiceCredential", CommercialInvoice},
      {"PackingListCredential", PackingList},
      {"MultiModalBillOfLadingCredential", BillOfLading},
      {"SIMASteelImportLicenseCredential", SimaLicense},
      {"CBP3461EntryCredential", Entry},
      {"CBP7501EntrySummaryCredential", Entry},
      {"PurchaseOrderCredential", PurchaseOrder},
      {"OilAndGasProductCredential", OilAndGasProduct},
      {"OilAndGasDeliveryTicketCredential", DeliveryTicket},
      {"DeliveryScheduleCredential", DeliverySchedule},
      {"DeliveryStatementCredential", DeliveryStatement},
      {"MonthlyAdvanceManifestCredential", GasMonthly},
      {"MonthlyAggregateDeliveryStatementCredential", GasMonthly},
      {"DOEImportAuthorizationCredential", DoeAuthorization},
      {"USMCACertificationOfOrigin", UsmcaCertification},
  };
  for (const auto& [name, f] : kTypes) {
    if (name == type) return f;
  }
  return nullptr;
}

}  // namespace

const std::vector<std::string_view>& IdentifierKinds() {
  static const std::vector<std::string_view> kinds = {
      kHeatNumber,    kBatchNumber, kTicketNumber, kBillOfLading, kInvoiceNumber,
      kPurchaseOrder, kEntryNumber, kLotCode,      kGtin,         kGln,
      kWell,          kCertificate, kLicense};
  return kinds;
}

bool IsIdentifierKind(std::string_view kind) {
  const auto& kinds = IdentifierKinds();
  return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

std::vector<Link> ExtractLinks(const json& credential) {
  if (!credential.is_object()) return {};
  // A vc+jwt payload in the VC 1.1 style nests the credential under "vc".
  const json& doc = credential.contains("credentialSubject") ? credential
                    : Member(credential, "vc").is_object()   ? Member(credential, "vc")
                                                             : credential;
  // Every recognised trade type contributes its links (a credential rarely claims two, and
  // when it does the union is what it says); a credential with none is walked generically.
  std::vector<Extractor> extractors;
  auto recognise = [&](const json& t) {
    if (!t.is_string()) return;
    Extractor e = ForType(t.get_ref<const std::string&>());
    if (e != nullptr && std::find(extractors.begin(), extractors.end(), e) == extractors.end()) {
      extractors.push_back(e);
    }
  };
  const json& type = Member(doc, "type");
  recognise(type);
  Each(type, recognise);
  if (extractors.empty()) extractors.push_back(Generic);

  Links links;
  const json& subject = Member(doc, "credentialSubject");
  for (Extractor extract : extractors) {
    if (subject.is_array()) {  // the data model allows one subject or several
      for (const json& s : subject) extract(s, links);
    } else {
      extract(subject, links);
    }
  }
  return std::move(links).Take();
}

}  // namespace traceport::customs
