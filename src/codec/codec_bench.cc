// Paired benchmarks for the codec hot paths (see common/testing/bench.h):
//   jcs-2KB-credential  CanonicalizeText vs nlohmann::json::parse(text).dump(), the raw JSON
//                       library round trip the canonicalizer is built on
//   base64url-64B       Base64UrlEncode of a 64-byte signature (no natural baseline)
//   base58-32B          Base58Encode of a 32-byte key (no natural baseline)
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "codec/base58.h"
#include "codec/base64.h"
#include "codec/jcs.h"
#include "common/testing/bench.h"

namespace {

// A VC 2.0 traceability credential, pretty-printed as it would arrive over HTTP (2,291 bytes).
constexpr char kCredential[] = R"({
  "@context": [
    "https://www.w3.org/ns/credentials/v2",
    "https://w3id.org/traceability/v1"
  ],
  "id": "urn:uuid:7c9e6679-7425-40de-944b-e07fc1f90ae7",
  "type": ["VerifiableCredential", "CommercialInvoiceCredential"],
  "issuer": {
    "id": "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
    "name": "Exportadora Agrícola del Bajío S.A. de C.V.",
    "location": {"type": "Place", "addressLocality": "León", "addressCountry": "MX"}
  },
  "validFrom": "2026-11-26T14:11:13Z",
  "validUntil": "2027-11-26T14:11:13Z",
  "credentialSubject": {
    "type": ["CommercialInvoice"],
    "invoiceNumber": "FAC-2026-000917",
    "invoiceDate": "2026-11-25",
    "seller": {"type": "Organization", "name": "Exportadora Agrícola del Bajío", "taxId": "EAB0101019Z8"},
    "buyer": {"type": "Organization", "name": "Großhandel Nord GmbH — Zweigstelle Chicago", "taxId": "36-4821177"},
    "termsOfDelivery": "FCA León, Incoterms® 2020",
    "currency": "USD",
    "lineItems": [
      {"type": "TradeLineItem", "sequence": 1, "description": "Fresh avocados (Persea americana) — Hass, calibre 48", "hsCode": "0804.40", "quantity": 1200, "unitCode": "KGM", "unitPrice": 2.35, "netWeight": 1200.5, "grossWeight": 1284.25, "originCountry": "MX"},
      {"type": "TradeLineItem", "sequence": 2, "description": "Limes, seedless (Citrus latifolia) “Persa”", "hsCode": "0805.50", "quantity": 800, "unitCode": "KGM", "unitPrice": 1.125, "netWeight": 800, "grossWeight": 851.75, "originCountry": "MX"},
      {"type": "TradeLineItem", "sequence": 3, "description": "Chiles jalapeños, 10 kg cartons", "hsCode": "0709.60", "quantity": 150, "unitCode": "KGM", "unitPrice": 3.4, "netWeight": 150, "grossWeight": 162.3, "originCountry": "MX"}
    ],
    "totals": {"lineTotal": 4230.0, "freight": 312.5, "insurance": 0.45e2, "taxTotal": 0, "grandTotal": 4587.5, "exchangeRate": 17.0834},
    "shipment": {"containerNumber": "MSKU 907032-3", "temperatureSetpoint": -1.5, "portOfLoading": "MXZLO", "vessel": "Maersk Kōbe"}
  },
  "credentialStatus": {
    "id": "https://issuer.example/status/3#94567",
    "type": "BitstringStatusListEntry",
    "statusPurpose": "revocation",
    "statusListIndex": "94567",
    "statusListCredential": "https://issuer.example/status/3"
  }
})";

}  // namespace

int main() {
  using traceport::testing::DoNotOptimize;
  traceport::testing::PairedBench bench;
  const std::string text = kCredential;
  std::printf("bench input: credential of %zu bytes\n", text.size());

  auto check = traceport::codec::CanonicalizeText(text);
  if (!check.ok()) {
    std::printf("bench: canonicalization failed: %s\n", check.status().ToString().c_str());
    return 1;
  }

  bench.Compare(
      "jcs-2KB-credential", "nlohmann parse+dump",
      [&] {
        auto r = traceport::codec::CanonicalizeText(text);
        DoNotOptimize(r);
      },
      [&] {
        std::string s = nlohmann::json::parse(text).dump();
        DoNotOptimize(s);
      });

  // Single-sided timings: no raw call does the same job, so only ns/op is printed.
  auto time_one = [](const char* name, auto&& f) {
    for (int i = 0; i < 10000; ++i) f();  // warm up
    double best = 1e300;
    for (int round = 0; round < 21; ++round) {
      constexpr int kIters = 200000;
      auto start = std::chrono::steady_clock::now();
      for (int i = 0; i < kIters; ++i) f();
      auto end = std::chrono::steady_clock::now();
      double ns = std::chrono::duration<double, std::nano>(end - start).count() / kIters;
      if (ns < best) best = ns;
    }
    std::printf("bench %s: %.1f ns/op\n", name, best);
    std::fflush(stdout);
  };

  std::array<uint8_t, 64> signature{};
  for (size_t i = 0; i < signature.size(); ++i) signature[i] = static_cast<uint8_t>(i * 37 + 11);
  time_one("base64url-64B", [&] {
    std::string s = traceport::codec::Base64UrlEncode(signature);
    DoNotOptimize(s);
  });

  std::array<uint8_t, 32> key{};
  for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(i * 73 + 5);
  time_one("base58-32B", [&] {
    std::string s = traceport::codec::Base58Encode(key);
    DoNotOptimize(s);
  });

  return bench.Finish();
}
