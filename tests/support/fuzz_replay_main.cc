// Replays a libFuzzer target's seed corpus outside the fuzz preset, so that every corpus file
// runs as a regression test under the ordinary (and sanitizer) builds.
//
// Usage: <fuzzer> DIR_OR_FILE...   Exit 0 when every input ran; 1 if a path is missing or
// a directory holds no inputs (an empty corpus would make the test unable to fail).
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

bool RunFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot open %s\n", p.c_str());
    return false;
  }
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Copy into an exactly sized heap buffer so that ASan catches reads past the end.
  std::vector<uint8_t> exact(bytes.begin(), bytes.end());
  LLVMFuzzerTestOneInput(exact.empty() ? nullptr : exact.data(), exact.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  size_t count = 0;
  for (int i = 1; i < argc; ++i) {
    std::filesystem::path p(argv[i]);
    std::error_code ec;
    if (std::filesystem::is_directory(p, ec)) {
      for (const auto& e : std::filesystem::recursive_directory_iterator(p)) {
        if (!e.is_regular_file()) continue;
        if (!RunFile(e.path())) return 1;
        ++count;
      }
    } else if (std::filesystem::is_regular_file(p, ec)) {
      if (!RunFile(p)) return 1;
      ++count;
    } else {
      std::fprintf(stderr, "no such corpus: %s\n", p.c_str());
      return 1;
    }
  }
  if (count == 0) {
    std::fprintf(stderr, "corpus is empty\n");
    return 1;
  }
  std::printf("replayed %zu inputs\n", count);
  return 0;
}
