#include "jsonld/context_registry.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "codec/hex.h"
#include "codec/jcs.h"
#include "codec/json.h"
#include "common/testing/conformance.h"
#include "crypto/sha2.h"
#include "jsonld/error.h"
#include "jsonld/internal/builtin_contexts.h"

namespace traceport::jsonld {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string Sha256Hex(std::string_view bytes) { return codec::HexEncode(crypto::Sha256(bytes)); }

// The SHA-256 values the specifications publish for their contexts, written here by hand so
// that the test does not take them from the manifest it checks:
//   Verifiable Credentials Data Model v2.0 (REC), B.1 Base Context;
//   Bitstring Status List v1.0 (REC), 5.2;
//   Verifiable Credential Data Integrity 1.0 (REC), 2.4 Contexts and Vocabularies.
const std::map<std::string, std::string> kPublished = {
    {"https://www.w3.org/ns/credentials/v2",
     "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734"},
    {"https://www.w3.org/ns/credentials/status/v1",
     "fda5add353231e6a6884a46b12e6c75464281900cb348284d9c360f62381d9f7"},
    {"https://w3id.org/security/data-integrity/v2",
     "67f21e6e33a6c14e5ccfd2fc7865f7474fb71a04af7e94136cb399dfac8ae8f4"},
    {"https://w3id.org/security/multikey/v1",
     "ba2c182de2d92f7e47184bcca8fcf0beaee6d3986c527bf664c195bbc7c58597"},
};

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "traceport-contexts-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data()) ? fs::path(tmpl) : fs::path();
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

fs::path WriteFile(const fs::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
  return path;
}

std::string Context(std::string_view term) {
  return std::string(R"({"@context": {")") + std::string(term) + R"(": "https://example.org/)" +
         std::string(term) + "\"}}";
}

constexpr char kUrl[] = "https://example.org/contexts/trade/v1";

TEST(ContextRegistryTest, BuiltinHasTheCoreContexts) {
  const ContextRegistry& registry = ContextRegistry::Builtin();
  for (const char* url : {
           "https://www.w3.org/2018/credentials/v1",
           "https://www.w3.org/ns/credentials/v2",
           "https://www.w3.org/ns/credentials/undefined-terms/v2",
           "https://www.w3.org/ns/credentials/status/v1",
           "https://w3id.org/security/data-integrity/v1",
           "https://w3id.org/security/data-integrity/v2",
           "https://w3id.org/security/multikey/v1",
           "https://w3id.org/vc/status-list/2021/v1",
           "https://w3id.org/security/suites/ed25519-2020/v1",
           "https://w3id.org/security/suites/ed25519-2018/v1",
           "https://w3id.org/security/v1",
           "https://w3id.org/security/v2",
           "https://w3id.org/security/suites/jws-2020/v1",
           "https://www.w3.org/ns/did/v1",
       }) {
    auto entry = registry.Find(url);
    ASSERT_TRUE(entry.ok()) << url << ": " << entry.status();
    const ContextEntry& e = **entry;
    EXPECT_EQ(e.url, url);
    EXPECT_EQ(e.source, ContextSource::kBuiltin);
    EXPECT_EQ(e.sha256, Sha256Hex(e.bytes)) << url;
    EXPECT_EQ(e.origin.rfind("npm:", 0), 0u) << e.origin;
    ASSERT_NE(e.document, nullptr);
    EXPECT_TRUE(e.document->contains("@context")) << url;
  }
  EXPECT_EQ(registry.List().size(), internal::BuiltinContexts().size());
}

TEST(ContextRegistryTest, BuiltinCarriesThePublishedHashes) {
  const ContextRegistry& registry = ContextRegistry::Builtin();
  for (const auto& [url, published] : kPublished) {
    auto entry = registry.Find(url);
    ASSERT_TRUE(entry.ok()) << entry.status();
    EXPECT_EQ((*entry)->published_sha256, published) << url;
    // A verifier that knows the published hash gets the built-in version by it.
    auto by_published = registry.FindVersion(url, published);
    ASSERT_TRUE(by_published.ok()) << by_published.status();
    EXPECT_EQ(by_published->get(), entry->get());
  }
  // Contexts without a published hash carry none.
  auto v1 = registry.Find("https://www.w3.org/2018/credentials/v1");
  ASSERT_TRUE(v1.ok());
  EXPECT_EQ((*v1)->published_sha256, "");
}

// The staged W3C files (../shared/conformance/jsonld-contexts) are the published bytes: their
// SHA-256 is the published value. The built-in copies from npm must be the same JSON. This closes
// the chain that the build checks through published.jcs_sha256 in contexts/manifest.json.
TEST(ContextRegistryTest, BuiltinMatchesThePublishedDocuments) {
  TRACEPORT_CONFORMANCE_DIR_OR_SKIP(dir, "jsonld-context-registry", "jsonld-contexts");
  auto map_text = testing::ReadFile(dir / "url-map.json");
  ASSERT_TRUE(map_text.ok()) << map_text.status();
  auto map = codec::ParseJson(*map_text);
  ASSERT_TRUE(map.ok()) << map.status();
  // Staged files whose JSON the npm packages carry unchanged (ed25519-2020/v1 is staged from
  // the vc-di-eddsa repository, a different revision than the one w3id.org serves).
  const std::set<std::string> same_json = {
      "https://www.w3.org/2018/credentials/v1",
      "https://www.w3.org/ns/credentials/v2",
      "https://www.w3.org/ns/credentials/undefined-terms/v2",
      "https://www.w3.org/ns/credentials/status/v1",
      "https://w3id.org/security/data-integrity/v1",
      "https://w3id.org/security/data-integrity/v2",
      "https://w3id.org/security/multikey/v1",
      "https://w3id.org/vc/status-list/2021/v1",
  };
  testing::SuiteCounter counter("jsonld-context-registry");
  for (const auto& [url, file] : map->items()) {
    if (!same_json.contains(url)) continue;
    auto staged = testing::ReadFile(dir / file.get<std::string>());
    ASSERT_TRUE(staged.ok()) << staged.status();
    if (auto p = kPublished.find(url); p != kPublished.end()) {
      EXPECT_EQ(Sha256Hex(*staged), p->second) << url << ": staged file is not the published one";
      counter.Record(Sha256Hex(*staged) == p->second, url + ": staged file has the published hash");
    }
    auto entry = ContextRegistry::Builtin().Find(url);
    ASSERT_TRUE(entry.ok()) << entry.status();
    auto staged_jcs = codec::CanonicalizeText(*staged);
    auto builtin_jcs = codec::Canonicalize(*(*entry)->document);
    ASSERT_TRUE(staged_jcs.ok() && builtin_jcs.ok());
    EXPECT_EQ(*staged_jcs, *builtin_jcs) << url;
    counter.Record(*staged_jcs == *builtin_jcs, url + ": built-in copy is the same JSON");
  }
  counter.Print();
  // Every listed context was compared, and the published ones twice.
  EXPECT_EQ(counter.passed() + counter.failed(), same_json.size() + kPublished.size());
}

TEST(ContextRegistryTest, LoadParsesOnceAndShares) {
  const ContextRegistry& registry = ContextRegistry::Builtin();
  auto a = registry.Load("https://www.w3.org/ns/credentials/v2");
  auto b = registry.Load("https://www.w3.org/ns/credentials/v2");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->document_url, "https://www.w3.org/ns/credentials/v2");
  EXPECT_EQ(a->document.get(), b->document.get());
}

TEST(ContextRegistryTest, UnknownUrlSaysHowToPinIt) {
  auto r = ContextRegistry::Builtin().Load("https://example.org/unknown/v9");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(JsonLdErrorCode(r.status()), "loading remote context failed");
  EXPECT_NE(r.status().message().find("https://example.org/unknown/v9"), std::string::npos);
  EXPECT_NE(r.status().message().find("traceport contexts add"), std::string::npos);

  auto v = ContextRegistry::Builtin().LoadVersion("https://www.w3.org/ns/credentials/v2",
                                                  std::string(64, '0'));
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(JsonLdErrorCode(v.status()), "loading remote context failed");
  EXPECT_NE(v.status().message().find("not the version"), std::string::npos);

  auto bad = ContextRegistry::Builtin().LoadVersion("https://www.w3.org/ns/credentials/v2", "xyz");
  EXPECT_EQ(JsonLdErrorCode(bad.status()), "loading remote context failed");
}

TEST(ContextRegistryTest, VersionsAndDefaults) {
  ContextRegistry registry;
  const std::string one = Context("one"), two = Context("two");
  auto first = registry.Add(kUrl, one, ContextSource::kOperator);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(first->added && first->is_default && first->default_changed);
  EXPECT_EQ(first->sha256, Sha256Hex(one));

  // A second version needs an explicit choice.
  auto conflict = registry.Add(kUrl, two, ContextSource::kOperator);
  EXPECT_EQ(conflict.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(conflict.status().message().find("--default"), std::string::npos);

  auto kept = registry.Add(kUrl, two, ContextSource::kOperator, DefaultChoice::kKeepCurrent);
  ASSERT_TRUE(kept.ok()) << kept.status();
  EXPECT_TRUE(kept->added);
  EXPECT_FALSE(kept->is_default || kept->default_changed);
  EXPECT_EQ((*registry.Find(kUrl))->sha256, Sha256Hex(one));
  auto old = registry.LoadVersion(kUrl, Sha256Hex(two));
  ASSERT_TRUE(old.ok()) << old.status();
  EXPECT_TRUE(old->document->at("@context").contains("two"));
  // Hashes are accepted in upper case too.
  std::string upper = Sha256Hex(two);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_TRUE(registry.LoadVersion(kUrl, upper).ok());

  // The same bytes again: nothing changes; with kMakeDefault only the default moves.
  auto again = registry.Add(kUrl, two, ContextSource::kOperator);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->added || again->default_changed || again->is_default);
  auto promote = registry.Add(kUrl, two, ContextSource::kOperator, DefaultChoice::kMakeDefault);
  ASSERT_TRUE(promote.ok());
  EXPECT_FALSE(promote->added);
  EXPECT_TRUE(promote->is_default && promote->default_changed);
  EXPECT_EQ((*registry.Find(kUrl))->sha256, Sha256Hex(two));

  auto listed = registry.List();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_TRUE(listed[0].is_default);
  EXPECT_EQ(listed[0].entry->sha256, Sha256Hex(two));
  EXPECT_FALSE(listed[1].is_default);

  // A verifier pins the old version; other URLs still get their defaults.
  ASSERT_TRUE(registry.Add("urn:example:other", Context("x"), ContextSource::kOperator).ok());
  PinnedContextLoader pinned(registry, {{kUrl, Sha256Hex(one)}});
  auto p = pinned.Load(kUrl);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_TRUE(p->document->at("@context").contains("one"));
  EXPECT_TRUE(pinned.Load("urn:example:other").ok());
  PinnedContextLoader missing(registry, {{kUrl, std::string(64, 'a')}});
  EXPECT_EQ(JsonLdErrorCode(missing.Load(kUrl).status()), "loading remote context failed");
}

TEST(ContextRegistryTest, RejectsBadInput) {
  ContextRegistry registry;
  auto code = [&](std::string_view url, std::string bytes) {
    return registry.Add(url, std::move(bytes), ContextSource::kOperator).status().code();
  };
  const std::string good = Context("a");
  EXPECT_EQ(code(kUrl, "{\"@context\": "), StatusCode::kInvalidArgument);       // not JSON
  EXPECT_EQ(code(kUrl, "{\"a\": 1}"), StatusCode::kInvalidArgument);            // no @context
  EXPECT_EQ(code(kUrl, "[{\"@context\": {}}]"), StatusCode::kInvalidArgument);  // not an object
  EXPECT_EQ(code(kUrl, "{\"@context\": {}, \"@context\": {}}"),
            StatusCode::kInvalidArgument);  // duplicate member
  EXPECT_EQ(code(kUrl, "{\"@context\": \"" + std::string(kMaxContextBytes, 'x') + "\"}"),
            StatusCode::kResourceExhausted);
  for (const char* url :
       {"", "contexts/v1", "/abs/path", "ftp://example.org/c", "https://", "https:///x",
        "http://exa mple.org/", "urn:", "urn:x", "urn:x:", "mailto:a@example.org"}) {
    EXPECT_EQ(code(url, good), StatusCode::kInvalidArgument) << url;
  }
  for (const char* url : {"https://example.org/c", "http://example.org:8080/c?v=1",
                          "urn:uuid:2b5c4a4e-0e4b-4c35-a6f3-7c7c3e4d2a10"}) {
    EXPECT_TRUE(ValidateContextUrl(url).ok()) << url;
  }
  EXPECT_TRUE(registry.List().empty());
  EXPECT_EQ(registry.AddFromFile(kUrl, "/nonexistent/context.jsonld").status().code(),
            StatusCode::kNotFound);
}

TEST(ContextRegistryTest, OperatorDirectoryRoundTrip) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  const fs::path dir = tmp.path() / "contexts";
  const fs::path one = WriteFile(tmp.path() / "one.jsonld", Context("one"));
  const fs::path two = WriteFile(tmp.path() / "two.jsonld", Context("two"));

  // A missing directory loads nothing.
  {
    auto registry = ContextRegistry::WithBuiltins();
    EXPECT_TRUE(registry->LoadDirectory(dir).ok());
    EXPECT_EQ(registry->List().size(), ContextRegistry::Builtin().List().size());
  }

  auto added = AddToContextDirectory(dir, kUrl, one);
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_TRUE(added->added && added->is_default);
  EXPECT_TRUE(fs::exists(dir / (Sha256Hex(Context("one")) + ".jsonld")));
  EXPECT_TRUE(fs::exists(dir / "index.json"));

  // Idempotent: same bytes, index untouched.
  const auto stamp = fs::last_write_time(dir / "index.json");
  auto again = AddToContextDirectory(dir, kUrl, one);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_FALSE(again->added || again->default_changed);
  EXPECT_EQ(fs::last_write_time(dir / "index.json"), stamp);

  // A second version: explicit choice, then kept beside the default.
  EXPECT_EQ(AddToContextDirectory(dir, kUrl, two).status().code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(AddToContextDirectory(dir, kUrl, two, DefaultChoice::kKeepCurrent).ok());
  {
    auto registry = ContextRegistry::WithBuiltins();
    ASSERT_TRUE(registry->LoadDirectory(dir).ok());
    auto def = registry->Find(kUrl);
    ASSERT_TRUE(def.ok()) << def.status();
    EXPECT_EQ((*def)->sha256, Sha256Hex(Context("one")));
    EXPECT_EQ((*def)->source, ContextSource::kOperator);
    EXPECT_TRUE(registry->LoadVersion(kUrl, Sha256Hex(Context("two"))).ok());
  }
  // Promote the second version; the index remembers it.
  ASSERT_TRUE(AddToContextDirectory(dir, kUrl, two, DefaultChoice::kMakeDefault).ok());
  {
    auto registry = ContextRegistry::WithBuiltins();
    ASSERT_TRUE(registry->LoadDirectory(dir).ok());
    EXPECT_EQ((*registry->Find(kUrl))->sha256, Sha256Hex(Context("two")));
  }

  // A new version of a built-in URL; the built-in stays the default unless asked.
  const std::string v2 = "https://www.w3.org/ns/credentials/v2";
  const std::string builtin_sha = (*ContextRegistry::Builtin().Find(v2))->sha256;
  const fs::path v2_local = WriteFile(tmp.path() / "v2.jsonld", Context("local"));
  EXPECT_EQ(AddToContextDirectory(dir, v2, v2_local).status().code(),
            StatusCode::kFailedPrecondition);
  ASSERT_TRUE(AddToContextDirectory(dir, v2, v2_local, DefaultChoice::kKeepCurrent).ok());
  {
    auto registry = ContextRegistry::WithBuiltins();
    ASSERT_TRUE(registry->LoadDirectory(dir).ok());
    EXPECT_EQ((*registry->Find(v2))->sha256, builtin_sha);
  }
  // The built-in bytes themselves are never copied into the directory.
  const fs::path v2_builtin =
      WriteFile(tmp.path() / "v2-builtin.jsonld", (*ContextRegistry::Builtin().Find(v2))->bytes);
  auto same = AddToContextDirectory(dir, v2, v2_builtin);
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_FALSE(same->added);
  EXPECT_EQ(same->source, ContextSource::kBuiltin);
  EXPECT_FALSE(fs::exists(dir / (builtin_sha + ".jsonld")));

  // The built-in registry is not changed by any of this.
  EXPECT_FALSE(ContextRegistry::Builtin().Find(kUrl).ok());
}

TEST(ContextRegistryTest, DirectoryDetectsTamperingAndBadIndexes) {
  TempDir tmp;
  const fs::path dir = tmp.path();
  const fs::path file = WriteFile(tmp.path() / "c.json", Context("c"));
  ASSERT_TRUE(AddToContextDirectory(dir / "store", kUrl, file).ok());
  const fs::path stored = dir / "store" / (Sha256Hex(Context("c")) + ".jsonld");
  WriteFile(stored, Context("changed"));
  auto registry = ContextRegistry::WithBuiltins();
  EXPECT_EQ(registry->LoadDirectory(dir / "store").code(), StatusCode::kDataLoss);
  fs::remove(stored);
  EXPECT_EQ(registry->LoadDirectory(dir / "store").code(), StatusCode::kDataLoss);

  const fs::path bad = dir / "bad";
  fs::create_directories(bad);
  for (
      const char* index : {
          "not json",
          R"({"format": "other/1", "contexts": {}})",
          R"({"format": "traceport-contexts/1", "contexts": []})",
          R"({"format": "traceport-contexts/1", "contexts": {"https://e.org/c": {"versions": ["../../etc/passwd"]}}})",
          R"({"format": "traceport-contexts/1", "contexts": {"https://e.org/c": {"versions": [], "default": 7}}})",
      }) {
    WriteFile(bad / "index.json", index);
    EXPECT_EQ(registry->LoadDirectory(bad).code(), StatusCode::kInvalidArgument) << index;
  }
  WriteFile(
      bad / "index.json",
      R"({"format": "traceport-contexts/1", "contexts": {"https://e.org/c": {"versions": [], "default": ")" +
          std::string(64, 'b') + "\"}}}");
  EXPECT_EQ(registry->LoadDirectory(bad).code(), StatusCode::kDataLoss);
}

TEST(ContextRegistryTest, ConcurrentReadsWhileAdding) {
  auto registry = ContextRegistry::WithBuiltins();
  std::atomic<bool> failed{false};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        if (!registry->Load("https://www.w3.org/ns/credentials/v2").ok()) failed = true;
        (void)registry->List();
      }
    });
  }
  for (int i = 0; i < 50; ++i) {
    const std::string url = "https://example.org/c/" + std::to_string(i);
    if (!registry->Add(url, Context("t"), ContextSource::kOperator).ok()) failed = true;
  }
  for (auto& r : readers) r.join();
  EXPECT_FALSE(failed);
  EXPECT_TRUE(registry->Load("https://example.org/c/49").ok());
}

}  // namespace
}  // namespace traceport::jsonld
