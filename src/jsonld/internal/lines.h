// A dataset in the form RDFC-1.0 works on: each quad as its canonical N-Quads line with the
// blank-node labels cut out. Canonicalize() builds one from a Dataset; the direct JSON-LD to
// N-Quads path (internal/direct.h) writes one without building terms at all.
#ifndef TRACEPORT_JSONLD_INTERNAL_LINES_H_
#define TRACEPORT_JSONLD_INTERNAL_LINES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "jsonld/rdfc.h"

namespace traceport::jsonld::internal {

// Which term of a quad a blank node sits in (RDFC-1.0's position markers 's', 'o', 'g').
enum class LinePosition : uint8_t { kSubject = 0, kObject = 1, kGraph = 2 };

// One quad: its line is text[begin, begin + size) with blank node k's label belonging at
// offset cut[k] of the line (labels are not in the text), k < blanks, in line order.
struct LineQuad {
  uint32_t begin = 0;
  uint32_t size = 0;
  uint32_t predicate = 0;       // offset of the predicate IRI (after '<') in the line
  uint32_t predicate_size = 0;  // its length (without the angle brackets)
  uint32_t cut[3] = {0, 0, 0};
  uint32_t node[3] = {0, 0, 0};  // blank nodes are numbered 0 .. LineDataset::nodes - 1
  LinePosition position[3] = {};
  uint8_t blanks = 0;

  bool operator==(const LineQuad&) const = default;
};

struct LineDataset {
  std::string text;
  std::vector<LineQuad> quads;
  uint32_t nodes = 0;

  bool operator==(const LineDataset&) const = default;

  std::string_view Line(const LineQuad& q) const { return {text.data() + q.begin, q.size}; }
  std::string_view Predicate(const LineQuad& q) const {
    return {text.data() + q.begin + q.predicate, q.predicate_size};
  }
};

// The result of canonicalizing a LineDataset.
struct CanonicalLines {
  std::string nquads;               // the canonical N-Quads document
  std::vector<uint32_t> order;      // input quad indices in document order, duplicates left out
  std::vector<uint32_t> canonical;  // blank node -> its canonical number (the N of c14nN)
};

// RDFC-1.0 over `lines` (rdfc.h has the options and errors). Duplicate quads count once.
Result<CanonicalLines> CanonicalizeLines(const LineDataset& lines,
                                         const CanonicalizeOptions& options);

}  // namespace traceport::jsonld::internal

#endif  // TRACEPORT_JSONLD_INTERNAL_LINES_H_
