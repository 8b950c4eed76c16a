// Fuzzes CSV-to-documents: any bytes give documents or an error, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "node/tabular.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto docs = traceport::node::CsvToDocuments(
      std::string_view(reinterpret_cast<const char*>(data), size), 100);
  if (docs.ok()) {
    for (const auto& d : *docs) (void)d.dump();
  }
  return 0;
}
