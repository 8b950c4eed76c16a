#include "assist/testing/test_kb.h"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace traceport::assist {

const KnowledgeBase& TestKnowledgeBase() {
  static const KnowledgeBase* const kb = [] {
    Result<KnowledgeBase> loaded =
        KnowledgeBase::FromDirectory(std::string(TRACEPORT_SOURCE_DIR) + "/src/assist/testdata/kb");
    if (!loaded.ok()) {
      std::fprintf(stderr, "test knowledge base: %s\n", loaded.status().ToString().c_str());
      std::abort();
    }
    return new KnowledgeBase(*std::move(loaded));
  }();
  return *kb;
}

}  // namespace traceport::assist
