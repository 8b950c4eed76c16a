// The module's public headers must not expose libsodium or OpenSSL to the rest of Traceport
// (docs/architecture.md: only crypto/ includes them). This reads the headers and checks.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace traceport::crypto {
namespace {

TEST(PublicHeadersTest, DoNotIncludeLibsodiumOrOpenssl) {
  const std::filesystem::path dir = std::filesystem::path(TRACEPORT_SOURCE_DIR) / "src/crypto";
  int headers = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".h") continue;
    ++headers;
    std::ifstream in(entry.path());
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
      ++number;
      if (line.rfind("#include", 0) != 0) continue;
      EXPECT_EQ(line.find("sodium"), std::string::npos) << entry.path() << ":" << number;
      EXPECT_EQ(line.find("openssl"), std::string::npos) << entry.path() << ":" << number;
      EXPECT_EQ(line.find("crypto/internal/"), std::string::npos) << entry.path() << ":" << number;
    }
  }
  EXPECT_GE(headers, 8);
}

}  // namespace
}  // namespace traceport::crypto
