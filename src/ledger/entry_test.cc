#include "ledger/entry.h"

#include <gtest/gtest.h>

#include <string>

namespace traceport::ledger {
namespace {

using nlohmann::json;

constexpr const char* kDigest =
    "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

TEST(EntryTest, EveryTypedConstructorGivesAValidEntry) {
  const std::string at = "2026-11-27T10:00:00Z";
  const json entries[] = {
      CredentialAnchor("urn:uuid:4f3a9f7e-8a57-4a53-9b8e-0a0b0c0d0e0f", "did:web:mill.example",
                       kDigest, "application/vc+jwt", at),
      CredentialStatusChange("https://mill.example/status/1", 42, "revocation", 1, at),
      RegistryUpdate("did:web:registry.example", "did:web:mill.example", "admit",
                     json{{"lei", "5493001KJTIIGC8Y1R12"}}, at),
      SubmissionReceived("urn:uuid:1", "did:web:broker.example", "did:web:cbp.example", kDigest,
                         at),
      DecisionRecorded("urn:uuid:1", "release", "officer-17", {"steel.melt-pour-origin"}, at),
      EventRecorded("urn:uuid:2", "ObjectEvent", kDigest, at),
      DutyPaid("ABC-1234567-8", "1234.56", "USD", "did:web:importer.example", at),
      KeyRotated("did:web:mill.example", "assertionMethod", "did:web:mill.example#old",
                 "did:web:mill.example#new", at),
  };
  ASSERT_EQ(std::size(entries), AllEntryTypes().size());
  for (const json& e : entries) {
    auto c = CanonicalEntry(e);
    ASSERT_TRUE(c.ok()) << e.dump() << ": " << c.status();
    // Canonical form: members sorted, no whitespace; parsing it back gives the same bytes.
    EXPECT_EQ(*CanonicalEntryText(*c), *c);
    EXPECT_EQ(c->find(' '), std::string::npos);
  }
}

TEST(EntryTest, TypeNamesRoundTrip) {
  for (EntryType t : AllEntryTypes()) {
    auto back = EntryTypeFromName(EntryTypeName(t));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, t);
    EXPECT_FALSE(EntryFields(t).empty());
  }
  auto bad = EntryTypeFromName("credential.anchr");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("credential.anchor"), std::string::npos);
}

// Each case: a change to a valid duty.paid entry, and a fragment the error must contain.
TEST(EntryTest, SchemaViolationsAreNamed) {
  const json good =
      DutyPaid("E-1", "10.00", "USD", "did:web:importer.example", "2026-11-27T10:00:00Z");
  ASSERT_TRUE(CanonicalEntry(good).ok());
  struct Case {
    const char* member;
    json value;  // null: remove the member
    const char* expect;
  };
  const Case cases[] = {
      {"type", nullptr, "missing \"type\""},
      {"type", 7, "\"type\" is not a string"},
      {"type", "duty.refunded", "is not one of"},
      {"amount", nullptr, "requires \"amount\""},
      {"amount", 10.5, "expected a string"},
      {"amount", "1e3", "not a decimal"},
      {"amount", "01.5", "not a decimal"},
      {"amount", "1.", "not a decimal"},
      {"currency", "usd", "ISO 4217"},
      {"payer", "https://importer.example", "not a DID"},
      {"payer", "did::x", "not a DID"},
      {"recorded_at", "yesterday", "RFC 3339"},
      {"entry_number", "", "must not be empty"},
      {"entry_number", std::string(3000, 'x'), "longer than"},
      {"colour", "blue", "\"colour\" is not in the duty.paid schema"},
  };
  for (const Case& c : cases) {
    json e = good;
    if (c.value.is_null()) {
      e.erase(c.member);
    } else {
      e[c.member] = c.value;
    }
    auto r = CanonicalEntry(e);
    ASSERT_FALSE(r.ok()) << c.member;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find(c.expect), std::string::npos)
        << c.member << ": " << r.status();
  }
  EXPECT_FALSE(CanonicalEntry(json::array()).ok());
}

TEST(EntryTest, KindsOfOtherTypes) {
  const std::string at = "2026-11-27T10:00:00Z";
  json e = CredentialStatusChange("https://x.example/s", 1, "revocation", 1, at);
  e["index"] = -1;
  EXPECT_FALSE(CanonicalEntry(e).ok());
  e["index"] = 3;
  e["purpose"] = "deletion";
  EXPECT_FALSE(CanonicalEntry(e).ok());
  e["purpose"] = "suspension";
  e["status_list"] = "not a uri";
  EXPECT_FALSE(CanonicalEntry(e).ok());
  json d = DecisionRecorded("urn:uuid:1", "release", "o", {}, at);
  EXPECT_FALSE(d.contains("reasons"));  // optional member left out when empty
  d["reasons"] = json::array({"ok", 3});
  EXPECT_FALSE(CanonicalEntry(d).ok());
  json r = RegistryUpdate("did:web:a.example", "did:web:b.example", "admit", nullptr, at);
  EXPECT_TRUE(CanonicalEntry(r).ok());
  r["identifiers"] = json{{"lei", 5}};
  EXPECT_FALSE(CanonicalEntry(r).ok());
  json a = CredentialAnchor("urn:uuid:1", "did:key:z6Mk", "sha256:ABC", "x", at);
  auto ar = CanonicalEntry(a);
  ASSERT_FALSE(ar.ok());
  EXPECT_NE(ar.status().message().find("64 lowercase hex"), std::string::npos);
}

TEST(EntryTest, OversizeAndMalformedText) {
  json e = EventRecorded("urn:uuid:2", "ObjectEvent", kDigest, "2026-11-27T10:00:00Z");
  auto ok = CanonicalEntry(e);
  ASSERT_TRUE(ok.ok());
  EXPECT_FALSE(CanonicalEntryText("{\"type\":").ok());
  EXPECT_FALSE(CanonicalEntryText("{\"type\":\"event.recorded\",\"type\":\"x\"}").ok());
  auto big = CanonicalEntryText(std::string(5 * kMaxEntrySize, ' '));
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.status().code(), StatusCode::kResourceExhausted);
  // A registry update with many long identifiers crosses the 64 KiB entry limit.
  json r = RegistryUpdate("did:web:a.example", "did:web:b.example", "admit", json::object(),
                          "2026-11-27T10:00:00Z");
  for (int i = 0; i < 40; ++i) r["identifiers"]["s" + std::to_string(i)] = std::string(2000, 'v');
  auto rb = CanonicalEntry(r);
  ASSERT_FALSE(rb.ok());
  EXPECT_EQ(rb.status().code(), StatusCode::kResourceExhausted);
}

TEST(EntryTest, DigestOf) { EXPECT_EQ(DigestOf("hello"), kDigest); }

}  // namespace
}  // namespace traceport::ledger
