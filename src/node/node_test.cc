// The node in-process: organizations and their DID documents, issuing and verifying with every
// securing mechanism, the registry's effect on issuer-accredited, presentations (duplicates,
// replace, tenant isolation), key rotation, and what survives a restart. The same flows over
// HTTP, against the real binary, are in tests/node/e2e_test.py.
#include "node/node.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "codec/json.h"
#include "common/log.h"
#include "common/uuid.h"
#include "crypto/random.h"
#include "jsonld/context_registry.h"
#include "vc/status_list.h"

namespace traceport::node {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kUrl = "https://localhost:9443";

class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = fs::temp_directory_path() /
            ("traceport_node_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

NodeOptions Options(const fs::path& dir, const std::string& url = kUrl) {
  NodeOptions o;
  o.data_dir = dir;
  o.public_url = url;
  o.listen = "127.0.0.1:0";
  o.checkpoint_interval = std::chrono::milliseconds(100);
  return o;
}

json Mtr(const std::string& type = "MillTestReportCredential") {
  return {{"@context", json::array({"https://www.w3.org/ns/credentials/v2",
                                    "https://w3id.org/traceability/v1"})},
          {"type", json::array({"VerifiableCredential", type})},
          {"credentialSubject",
           {{"id", "urn:uuid:" + Uuid::NewV4(crypto::DefaultCsprng()).ToString()},
            {"heatNumber", "H-1"}}}};
}

std::string Check(const json& report, const std::string& name) {
  for (const json& c : report["checks"]) {
    if (c["name"] == name) return c["status"];
  }
  return "missing";
}

class NodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log::Configure(log::Level::kWarn, log::Format::kText);
    auto n = Node::Open(Options(dir_.path()));
    ASSERT_TRUE(n.ok()) << n.status();
    node_ = std::move(*n);
    ASSERT_TRUE(node_->CreateOrganization({"authority", "Authority", {"registry-authority"}}).ok());
    auto mill = node_->CreateOrganization({"mill", "Mill", {"mill"}});
    ASSERT_TRUE(mill.ok()) << mill.status();
    mill_did_ = (*mill)["did"];
    ASSERT_TRUE(node_->CreateOrganization({"importer", "Importer", {"importer"}}).ok());
    ASSERT_TRUE(node_->CreateOrganization({"customs", "Customs", {"customs"}}).ok());
  }

  json Admit(const std::string& did, json types) {
    auto r = node_->RegistryAdmit("authority", {{"did", did},
                                                {"name", "Mill"},
                                                {"identifiers", {{"lei", "5493001KJTIIGC8Y1R12"}}},
                                                {"roles", {"mill"}},
                                                {"credentialTypes", types}});
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : json();
  }

  json Issue(const std::string& securing = "vc-jwt",
             const std::string& type = "MillTestReportCredential") {
    auto r = node_->IssueCredential(
        "mill", {{"credential", Mtr(type)}, {"options", {{"securing", securing}}}});
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : json();
  }

  json Verify(const json& vc) {
    auto r = node_->VerifyCredential({{"verifiableCredential", vc}});
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : json();
  }

  TempDir dir_;
  std::unique_ptr<Node> node_;
  std::string mill_did_;
};

TEST_F(NodeTest, CreatesTheDirectoryWithAnAdminClientReadableOnlyByTheOwner) {
  struct stat st {};
  ASSERT_EQ(::stat((dir_.path() / "admin-client.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat((dir_.path() / "master.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::ifstream in(dir_.path() / "admin-client.json");
  json admin = json::parse(in);
  auto token = node_->IssueToken(admin["client_id"], admin["client_secret"]);
  EXPECT_TRUE(token.ok()) << token.status();
  EXPECT_FALSE(node_->IssueToken(admin["client_id"], "tps_wrong").ok());
  EXPECT_FALSE(
      node_->IssueToken(admin["client_id"], admin["client_secret"], "create:credential").ok())
      << "a scope the client does not hold";
}

TEST_F(NodeTest, OrganizationsGetADidWebWithTheTraceabilityService) {
  auto orgs = node_->ListOrganizations();
  ASSERT_TRUE(orgs.ok());
  EXPECT_EQ(orgs->size(), 5u);  // operator + the four made in SetUp
  EXPECT_EQ(mill_did_, "did:web:localhost%3A9443:organizations:mill");
  auto again = node_->CreateOrganization({"mill", "Mill again", {}});
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(node_->CreateOrganization({"Bad_Slug", "x", {}}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(node_->CreateOrganization({"ok", "x", {"wizard"}}).status().code(),
            StatusCode::kInvalidArgument);
  auto created = node_->CreateOrganization({"lab", "Lab", {"laboratory"}});
  ASSERT_TRUE(created.ok());
  const json& doc = (*created)["didDocument"];
  EXPECT_EQ(doc["service"][0]["type"], "TraceabilityAPI");
  EXPECT_EQ(doc["service"][0]["serviceEndpoint"], kUrl);
  EXPECT_EQ(doc["assertionMethod"].size(), 2u);
  EXPECT_EQ(doc["authentication"].size(), 2u);
  for (const json& vm : doc["verificationMethod"]) EXPECT_EQ(vm["controller"], doc["id"]);
}

// The RDF suites expand with the pinned contexts only: the traceability context is not built
// in, so issuing fails and names it until the operator pins it in DATA/contexts, which the node
// reads when it opens.
TEST_F(NodeTest, RdfSuitesUseTheContextsPinnedInTheDataDirectory) {
  Admit(mill_did_, {"MillTestReportCredential"});
  auto refused = node_->IssueCredential(
      "mill", {{"credential", Mtr()}, {"options", {{"securing", "eddsa-rdfc-2022"}}}});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("https://w3id.org/traceability/v1"), std::string::npos)
      << refused.status();

  const fs::path file = dir_.path() / "traceability-v1.jsonld";
  {
    std::ofstream out(file);
    out << R"({"@context": {"@vocab": "https://w3id.org/traceability#"}})";
  }
  auto pinned = jsonld::AddToContextDirectory(dir_.path() / "contexts",
                                              "https://w3id.org/traceability/v1", file);
  ASSERT_TRUE(pinned.ok()) << pinned.status();
  node_.reset();
  auto reopened = Node::Open(Options(dir_.path()));
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  node_ = std::move(*reopened);

  for (const char* securing : {"eddsa-rdfc-2022", "ecdsa-rdfc-2019"}) {
    json issued = Issue(securing);
    ASSERT_TRUE(issued.contains("verifiableCredential")) << securing;
    const json& proof = issued["verifiableCredential"]["proof"];
    EXPECT_EQ(proof["cryptosuite"], securing);
    json report = Verify(issued["verifiableCredential"]);
    EXPECT_TRUE(report["verified"].get<bool>()) << securing << " " << report.dump();

    json tampered = issued["verifiableCredential"];
    tampered["credentialSubject"]["heatNumber"] = "H-2";
    EXPECT_FALSE(Verify(tampered)["verified"].get<bool>()) << securing;
  }
}

TEST_F(NodeTest, IssuesAndVerifiesWithEverySecuringMechanism) {
  Admit(mill_did_, {"MillTestReportCredential"});
  for (const char* securing : {"vc-jwt", "ecdsa-jcs-2019", "eddsa-jcs-2022"}) {
    json issued = Issue(securing);
    ASSERT_TRUE(issued.contains("id")) << securing;
    EXPECT_EQ(issued["id"].get<std::string>().rfind("urn:uuid:", 0), 0u);
    json report = Verify(issued["verifiableCredential"]);
    EXPECT_TRUE(report["verified"].get<bool>()) << securing << " " << report.dump();
    EXPECT_EQ(Check(report, "ledger-anchor"), "pass") << securing;
    EXPECT_EQ(Check(report, "issuer-accredited"), "pass") << securing;
    EXPECT_EQ(Check(report, "status"), "pass") << securing;
  }
}

TEST_F(NodeTest, ATamperedCredentialFailsItsProofAndItsAnchor) {
  Admit(mill_did_, {"MillTestReportCredential"});
  json issued = Issue("ecdsa-jcs-2019");
  json vc = issued["verifiableCredential"];
  vc["credentialSubject"]["heatNumber"] = "H-2";
  json report = Verify(vc);
  EXPECT_FALSE(report["verified"].get<bool>());
  EXPECT_EQ(Check(report, "proof"), "fail");
  EXPECT_EQ(Check(report, "ledger-anchor"), "fail");
}

TEST_F(NodeTest, IssuingAsAnotherOrganizationOrWithABadIdIsRefused) {
  json c = Mtr();
  c["issuer"] = "did:web:localhost%3A9443:organizations:importer";
  EXPECT_EQ(node_->IssueCredential("mill", {{"credential", c}}).status().code(),
            StatusCode::kPermissionDenied);
  c = Mtr();
  c["id"] = "urn:uuid:00000000-0000-1000-8000-000000000000";  // version 1
  EXPECT_EQ(node_->IssueCredential("mill", {{"credential", c}}).status().code(),
            StatusCode::kInvalidArgument);
  c = Mtr();
  c["credentialStatus"] = json::object();
  EXPECT_EQ(node_->IssueCredential("mill", {{"credential", c}}).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(NodeTest, TheRegistryDecidesIssuerAccreditedAtIssuanceTime) {
  // Not admitted: the check fails.
  json early = Issue();
  EXPECT_EQ(Check(Verify(early["verifiableCredential"]), "issuer-accredited"), "fail");
  Admit(mill_did_, {"MillTestReportCredential"});
  json before = Issue();
  EXPECT_EQ(Check(Verify(before["verifiableCredential"]), "issuer-accredited"), "pass");
  // A type it is not allowed to issue.
  json other = Issue("vc-jwt", "SIMASteelImportLicenseCredential");
  EXPECT_EQ(Check(Verify(other["verifiableCredential"]), "issuer-accredited"), "fail");
}

TEST_F(NodeTest, StatusChangesShowInVerification) {
  Admit(mill_did_, {"MillTestReportCredential"});
  json a = Issue();
  json b = Issue();
  auto revoke = node_->UpdateStatus(
      "mill", {{"credentialId", a["id"]}, {"credentialStatus", {{{"status", "revoked"}}}}});
  ASSERT_TRUE(revoke.ok()) << revoke.status();
  EXPECT_EQ(Check(Verify(a["verifiableCredential"]), "status"), "fail");
  EXPECT_EQ(Check(Verify(b["verifiableCredential"]), "status"), "pass");
  // Revocation is final; another organization cannot touch the credential.
  EXPECT_EQ(node_
                ->UpdateStatus(
                    "mill", {{"credentialId", a["id"]}, {"credentialStatus", {{{"status", "0"}}}}})
                .status()
                .code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(node_
                ->UpdateStatus("importer", {{"credentialId", b["id"]},
                                            {"credentialStatus", {{{"status", "revoked"}}}}})
                .status()
                .code(),
            StatusCode::kNotFound);
  ASSERT_TRUE(node_
                  ->UpdateStatus("mill", {{"credentialId", b["id"]},
                                          {"credentialStatus", {{{"status", "suspended"}}}}})
                  .ok());
  EXPECT_EQ(Check(Verify(b["verifiableCredential"]), "status"), "fail");
  ASSERT_TRUE(node_
                  ->UpdateStatus("mill", {{"credentialId", b["id"]},
                                          {"credentialStatus", {{{"status", "unsuspended"}}}}})
                  .ok());
  EXPECT_EQ(Check(Verify(b["verifiableCredential"]), "status"), "pass");
}

// Issuers that issue at once each get their own status index and ledger entry; the index is
// allocated under the status lock, the anchor flushed after it.
TEST_F(NodeTest, ConcurrentIssuanceKeepsIndicesAndAnchorsDistinct) {
  Admit(mill_did_, {"MillTestReportCredential"});
  constexpr int kThreads = 4;
  constexpr int kEach = 8;
  std::vector<std::vector<json>> issued(kThreads);
  std::vector<std::thread> pool;
  for (int t = 0; t < kThreads; ++t) {
    pool.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto r = node_->IssueCredential("mill", {{"credential", Mtr("MillTestReportCredential")},
                                                 {"options", {{"securing", "eddsa-jcs-2022"}}}});
        if (r.ok()) issued[t].push_back(*std::move(r));
      }
    });
  }
  for (auto& th : pool) th.join();
  std::set<std::string> indices;
  std::set<int64_t> ledger;
  for (const auto& mine : issued) {
    ASSERT_EQ(mine.size(), static_cast<size_t>(kEach));
    for (const json& r : mine) {
      const json& vc = r["verifiableCredential"];
      indices.insert(vc["credentialStatus"][0]["statusListIndex"].get<std::string>());
      ASSERT_TRUE(r["ledgerIndex"].is_number()) << r.dump();
      ledger.insert(r["ledgerIndex"].get<int64_t>());
      const json report = Verify(vc);
      EXPECT_EQ(Check(report, "status"), "pass");
      EXPECT_EQ(Check(report, "ledger-anchor"), "pass") << report.dump();
    }
  }
  EXPECT_EQ(indices.size(), static_cast<size_t>(kThreads * kEach));
  EXPECT_EQ(ledger.size(), static_cast<size_t>(kThreads * kEach));
}

json Presentation(Node& node, const std::vector<json>& credentials, const std::string& id,
                  const std::string& replace = "") {
  json p = {{"@context", json::array({"https://www.w3.org/ns/credentials/v2",
                                      "https://w3id.org/traceability/v1"})},
            {"id", id},
            {"type", json::array({"VerifiablePresentation", "TraceablePresentation"})},
            {"workflow",
             {{"definition", json::array({"urn:uuid:6f1a3a52-5c4c-4a8e-9b39-0d2c8a1e2b10"})},
              {"instance", json::array({"urn:uuid:1d5ae8b8-3a0a-4bfc-8b6a-6a2f7d0f3c11"})}}},
            {"verifiableCredential", credentials}};
  if (!replace.empty()) p["replace"] = replace;
  auto r = node.ProvePresentation("importer", {{"presentation", p}});
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? json{{"verifiablePresentation", (*r)["verifiablePresentation"]}} : json();
}

TEST_F(NodeTest, PresentationsAreVerifiedStoredOnceAndReplaceable) {
  Admit(mill_did_, {"MillTestReportCredential"});
  std::vector<json> creds = {Issue()["verifiableCredential"], Issue()["verifiableCredential"]};
  const std::string id1 = "urn:uuid:" + Uuid::NewV4(crypto::DefaultCsprng()).ToString();
  json vp = Presentation(*node_, creds, id1);
  auto r = node_->ReceivePresentation("customs", "client", "application/json", vp.dump());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE((*r)["verified"].get<bool>()) << r->dump();
  EXPECT_EQ(node_->ReceivePresentation("customs", "client", "application/json", vp.dump())
                .status()
                .code(),
            StatusCode::kAlreadyExists);
  const std::string id2 = "urn:uuid:" + Uuid::NewV4(crypto::DefaultCsprng()).ToString();
  json replacement = Presentation(*node_, creds, id2, id1);
  auto r2 = node_->ReceivePresentation("customs", "client", "application/json", replacement.dump());
  ASSERT_TRUE(r2.ok()) << r2.status();
  EXPECT_EQ((*r2)["replaces"], id1);
  // The refused duplicate put nothing on the ledger: the replacement's entry follows the first.
  EXPECT_EQ((*r2)["ledgerIndex"].get<int64_t>(), (*r)["ledgerIndex"].get<int64_t>() + 1);
  // The same replacement again is refused (already replaced), and so is replacing something
  // another organization received.
  const std::string id3 = "urn:uuid:" + Uuid::NewV4(crypto::DefaultCsprng()).ToString();
  EXPECT_EQ(node_
                ->ReceivePresentation("customs", "client", "application/json",
                                      Presentation(*node_, creds, id3, id1).dump())
                .status()
                .code(),
            StatusCode::kFailedPrecondition);
  const std::string id4 = "urn:uuid:" + Uuid::NewV4(crypto::DefaultCsprng()).ToString();
  EXPECT_EQ(node_
                ->ReceivePresentation("mill", "client", "application/json",
                                      Presentation(*node_, creds, id4, id2).dump())
                .status()
                .code(),
            StatusCode::kNotFound);
}

TEST_F(NodeTest, APresentationThatFailsVerificationIsNotStored) {
  Admit(mill_did_, {"MillTestReportCredential"});
  std::vector<json> creds = {Issue()["verifiableCredential"]};
  std::string jwt = creds[0]["id"];
  jwt[jwt.size() - 5] = jwt[jwt.size() - 5] == 'A' ? 'B' : 'A';  // in the signature
  creds[0]["id"] = jwt;
  const std::string id = "urn:uuid:" + Uuid::NewV4(crypto::DefaultCsprng()).ToString();
  json vp = Presentation(*node_, creds, id);
  // An organization without the customs role refuses it whole.
  auto r = node_->ReceivePresentation("importer", "client", "application/json", vp.dump());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE((*r)["verified"].get<bool>());
  EXPECT_FALSE(r->contains("submission"));
  // Not stored: the same id is accepted once it is valid.
  std::vector<json> good = {Issue()["verifiableCredential"]};
  auto again = node_->ReceivePresentation("importer", "client", "application/json",
                                          Presentation(*node_, good, id).dump());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE((*again)["verified"].get<bool>());
}

TEST_F(NodeTest, CustomsKeepsASubmissionWithABadCredentialAndSaysWhy) {
  Admit(mill_did_, {"MillTestReportCredential"});
  std::vector<json> creds = {Issue()["verifiableCredential"]};
  std::string jwt = creds[0]["id"];
  jwt[jwt.size() - 5] = jwt[jwt.size() - 5] == 'A' ? 'B' : 'A';  // in the signature
  creds[0]["id"] = jwt;
  const std::string id = "urn:uuid:" + Uuid::NewV4(crypto::DefaultCsprng()).ToString();
  auto r = node_->ReceivePresentation("customs", "client", "application/json",
                                      Presentation(*node_, creds, id).dump());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE((*r)["verified"].get<bool>());
  const json& submission = (*r)["submission"];
  EXPECT_EQ(submission["status"], "received");
  bool proof_finding = false;
  for (const json& f : submission["findings"]) {
    proof_finding = proof_finding || f["ruleId"] == "credential.proof";
  }
  EXPECT_TRUE(proof_finding) << submission.dump(2);
  EXPECT_GT(submission["risk"].get<int>(), 0);
  // Stored: the same id again is a duplicate.
  auto again = node_->ReceivePresentation("customs", "client", "application/json",
                                          Presentation(*node_, creds, id).dump());
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
}

TEST_F(NodeTest, CustomsReadsTheEnvelopedDocumentNotMembersWrittenBesideIt) {
  Admit(mill_did_, {"MillTestReportCredential"});
  json envelope = Issue()["verifiableCredential"];
  // The verifier accepts an envelope whose type is an array; members beside the envelope's id
  // are not signed and must not reach the rules or the provenance index.
  envelope["type"] = {"MillTestReportCredential", "EnvelopedVerifiableCredential"};
  envelope["issuer"] = "did:web:forger.example";
  envelope["credentialSubject"] = {{"certificateNumber", "FORGED"}};
  const std::string id = "urn:uuid:" + Uuid::NewV4(crypto::DefaultCsprng()).ToString();
  auto r = node_->ReceivePresentation("customs", "client", "application/json",
                                      Presentation(*node_, {envelope}, id).dump());
  ASSERT_TRUE(r.ok()) << r.status();
  const json& c = (*r)["submission"]["credentials"][0];
  EXPECT_EQ(c["issuer"], mill_did_) << r->dump(2);
  EXPECT_EQ(c["type"], "MillTestReportCredential");
}

TEST_F(NodeTest, RotatedKeysKeepOldCredentialsVerifiable) {
  Admit(mill_did_, {"MillTestReportCredential"});
  json old = Issue();
  auto rotated = node_->RotateKey("mill", "assertionMethod");
  ASSERT_TRUE(rotated.ok()) << rotated.status();
  EXPECT_EQ((*rotated)["rotated"].size(), 2u);  // the P-256 and the Ed25519 key
  EXPECT_EQ((*rotated)["didDocument"]["assertionMethod"].size(), 4u);
  EXPECT_TRUE(Verify(old["verifiableCredential"])["verified"].get<bool>());
  json fresh = Issue();
  EXPECT_TRUE(Verify(fresh["verifiableCredential"])["verified"].get<bool>());
  EXPECT_NE(fresh["jwt"], old["jwt"]);
  EXPECT_EQ(node_->RotateKey("mill", "signing").status().code(), StatusCode::kInvalidArgument);
}

TEST_F(NodeTest, StateSurvivesARestartAndTheDirectoryIsBoundToItsKeyAndUrl) {
  Admit(mill_did_, {"MillTestReportCredential"});
  json issued = Issue();
  auto client = node_->CreateClient("mill", "ci", {"read:credential"});
  ASSERT_TRUE(client.ok());
  auto token = node_->IssueToken(client->client_id, client->client_secret);
  ASSERT_TRUE(token.ok());
  node_.reset();
  // Another public URL, or another master key, refuses to open the directory.
  EXPECT_EQ(Node::Open(Options(dir_.path(), "https://other.example")).status().code(),
            StatusCode::kFailedPrecondition);
  {
    TempDir other;
    auto fresh = Node::Open(Options(other.path()));
    ASSERT_TRUE(fresh.ok());
    fresh->reset();
    NodeOptions o = Options(dir_.path());
    o.master_key_file = other.path() / "master.key";
    EXPECT_EQ(Node::Open(o).status().code(), StatusCode::kFailedPrecondition);
  }
  auto reopened = Node::Open(Options(dir_.path(), ""));
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  node_ = std::move(*reopened);
  EXPECT_TRUE(Verify(issued["verifiableCredential"])["verified"].get<bool>());
  EXPECT_TRUE(node_->IssueToken(client->client_id, client->client_secret).ok());
}

// Issuance records a credential's status index in its row and leaves the stored allocator
// alone; loading a list marks the rows' indices used. The test stores an allocator whose free
// indices are the ones the existing credentials hold plus one more: a node that trusted it
// would hand a held index out again; this one has exactly one index left. An issuance refused
// after taking it (its schema check fails) gives it back, so the next issuance gets it, and
// the one after that opens the next list.
TEST_F(NodeTest, StatusIndicesAreNeverHandedOutTwiceAndRefusalsGiveTheirsBack) {
  Admit(mill_did_, {"MillTestReportCredential"});
  auto entry_of = [](const json& issued) {
    return issued["verifiableCredential"]["credentialStatus"][0];
  };
  std::vector<uint64_t> held;
  for (int i = 0; i < 3; ++i) {
    const json entry = entry_of(Issue("eddsa-jcs-2022"));
    ASSERT_NE(entry["statusListCredential"].get<std::string>().find("revocation-1"),
              std::string::npos);
    held.push_back(std::stoull(entry["statusListIndex"].get<std::string>()));
  }
  uint64_t spare = 0;
  while (std::find(held.begin(), held.end(), spare) != held.end()) ++spare;
  node_.reset();
  auto alloc = vc::IndexAllocator::Create(131072);
  ASSERT_TRUE(alloc.ok());
  for (uint64_t i = 0; i < alloc->capacity(); ++i) {
    if (i != spare && std::find(held.begin(), held.end(), i) == held.end()) {
      ASSERT_TRUE(alloc->MarkUsed(i).ok());
    }
  }
  const std::vector<uint8_t> bytes = alloc->Serialize();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_.path() / "node.db").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(
      sqlite3_prepare_v2(db, "UPDATE status_lists SET allocator=? WHERE org='mill' AND number=1",
                         -1, &st, nullptr),
      SQLITE_OK);
  sqlite3_bind_blob(st, 1, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  EXPECT_EQ(sqlite3_step(st), SQLITE_DONE);
  sqlite3_finalize(st);
  EXPECT_EQ(sqlite3_changes(db), 1);
  sqlite3_close(db);
  auto reopened = Node::Open(Options(dir_.path()));
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  node_ = std::move(*reopened);
  // Refused after its index was allocated: the subject is not a mill test report.
  json bad = Mtr();
  bad["credentialSchema"] = {
      {"id", "https://traceport.dev/schemas/MillTestReportCredential/v1.json"},
      {"type", "JsonSchema"}};
  auto refused = node_->IssueCredential(
      "mill", {{"credential", bad}, {"options", {{"securing", "eddsa-jcs-2022"}}}});
  ASSERT_EQ(refused.status().code(), StatusCode::kInvalidArgument) << refused.status();
  const json last = entry_of(Issue("eddsa-jcs-2022"));
  EXPECT_NE(last["statusListCredential"].get<std::string>().find("revocation-1"), std::string::npos)
      << last.dump();
  EXPECT_EQ(last["statusListIndex"], std::to_string(spare));
  const json next = entry_of(Issue("eddsa-jcs-2022"));
  EXPECT_NE(next["statusListCredential"].get<std::string>().find("revocation-2"), std::string::npos)
      << next.dump();
}

TEST(NodeConfigTest, ReadsKnownSettingsAndRefusesUnknownOnes) {
  TempDir dir;
  fs::create_directories(dir.path());
  const fs::path file = dir.path() / "node.json";
  std::ofstream(file) << R"({"listen": "127.0.0.1:9000", "rate_per_second": 5,
                             "read_timeout_ms": 1500, "token_ttl_s": 60, "network": true})";
  NodeOptions o;
  ASSERT_TRUE(LoadConfigFile(file, o).ok());
  EXPECT_EQ(o.listen, "127.0.0.1:9000");
  EXPECT_EQ(o.rate_per_second, 5);
  EXPECT_EQ(o.read_timeout, std::chrono::milliseconds(1500));
  EXPECT_EQ(o.token_ttl, std::chrono::seconds(60));
  EXPECT_TRUE(o.network);
  std::ofstream(file) << R"({"colour": "blue"})";
  EXPECT_EQ(LoadConfigFile(file, o).code(), StatusCode::kInvalidArgument);
  std::ofstream(file) << R"({"threads": -1})";
  EXPECT_EQ(LoadConfigFile(file, o).code(), StatusCode::kInvalidArgument);
}

TEST(NodeOpenApiTest, TheDocumentIsDeterministicAndDeclaresEveryScope) {
  const json a = Node::OpenApiDocument();
  EXPECT_EQ(a.dump(), Node::OpenApiDocument().dump());
  EXPECT_EQ(a["openapi"], "3.1.0");
  size_t secured = 0;
  for (const auto& [path, ops] : a["paths"].items()) {
    for (const auto& [method, op] : ops.items()) {
      if (!op["security"].empty()) {
        ++secured;
        EXPECT_TRUE(op["responses"].contains("401")) << path;
        EXPECT_TRUE(op["responses"].contains("403")) << path;
      }
    }
  }
  EXPECT_GT(secured, 10u);
}

}  // namespace
}  // namespace traceport::node
