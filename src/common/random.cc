#include "common/random.h"

#include <sys/random.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>

namespace traceport {
namespace {

class OsRandomSource final : public RandomSource {
 public:
  void Fill(std::span<uint8_t> out) override {
    size_t done = 0;
    while (done < out.size()) {
      ssize_t n = getrandom(out.data() + done, out.size() - done, 0);
      if (n < 0) {
        if (errno == EINTR) continue;
        std::fprintf(stderr, "traceport: getrandom failed (errno %d); aborting\n", errno);
        std::abort();
      }
      done += static_cast<size_t>(n);
    }
  }
};

}  // namespace

RandomSource& OsRandom() {
  static OsRandomSource* source = new OsRandomSource();
  return *source;
}

}  // namespace traceport
