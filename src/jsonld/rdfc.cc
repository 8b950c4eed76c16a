#include "jsonld/rdfc.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <functional>
#include <span>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "codec/hex.h"
#include "crypto/sha2.h"
#include "jsonld/context.h"
#include "jsonld/error.h"
#include "jsonld/internal/lines.h"
#include "jsonld/nquads.h"

namespace traceport::jsonld {
namespace {

// The spec's position markers for Hash Related Blank Node, by component: subject, object, graph.
constexpr char kPositions[3] = {'s', 'o', 'g'};
constexpr uint32_t kNone = 0xFFFFFFFF;

// A digest's bytes (32 for SHA-256, 48 for SHA-384).
struct Raw {
  std::array<uint8_t, 48> bytes{};
  uint8_t size = 0;

  std::span<const uint8_t> view() const { return {bytes.data(), size}; }
  int Compare(const Raw& other) const {
    return std::memcmp(bytes.data(), other.bytes.data(), size);
  }
  bool operator==(const Raw& other) const { return Compare(other) == 0; }
};

// The configured hash over data given in pieces; Finish() returns lowercase hex, FinishRaw()
// the bytes, and both reset.
class Digest {
 public:
  explicit Digest(HashAlgorithm algorithm) : algorithm_(algorithm) {}

  void Update(std::string_view data) {
    if (algorithm_ == HashAlgorithm::kSha256) {
      sha256_.Update(data);
    } else {
      sha384_.Update(data);
    }
  }

  // The digest's bytes (hex digits sort as the bytes they encode, so comparisons need not
  // format them).
  Raw FinishRaw() {
    Raw out;
    auto take = [&out](const auto& digest) {
      std::copy(digest.begin(), digest.end(), out.bytes.begin());
      out.size = static_cast<uint8_t>(digest.size());
    };
    algorithm_ == HashAlgorithm::kSha256 ? take(sha256_.Finish()) : take(sha384_.Finish());
    return out;
  }

  std::string Finish() { return codec::HexEncode(FinishRaw().view()); }

  std::string Of(std::string_view data) {
    Update(data);
    return Finish();
  }

 private:
  HashAlgorithm algorithm_;
  crypto::Sha256Hasher sha256_;
  crypto::Sha384Hasher sha384_;
};

// A temporary identifier issuer (prefix "b"): issued[k] is the blank node labelled "bk".
// Issuers in Hash N-Degree Quads cover one connected neighbourhood and stay small, so a linear
// search beats a map and copies are cheap.
struct TempIssuer {
  std::vector<uint32_t> issued;

  // The index of `node`'s label, or kNone.
  uint32_t Find(uint32_t node) const {
    for (size_t i = 0; i < issued.size(); ++i) {
      if (issued[i] == node) return static_cast<uint32_t>(i);
    }
    return kNone;
  }
};

// Writes the decimal digits of `n` at `out` (room for 10); returns how many.
size_t WriteNumber(uint32_t n, char* out) {
  char buf[10];
  char* p = buf + sizeof(buf);
  do {
    *--p = static_cast<char>('0' + n % 10);
    n /= 10;
  } while (n != 0);
  const size_t size = static_cast<size_t>(buf + sizeof(buf) - p);
  std::memcpy(out, p, size);
  return size;
}

void AppendNumber(uint32_t n, std::string* out) {
  char buf[10];
  out->append(buf, WriteNumber(n, buf));
}

// "_:c14n" and up to 10 digits.
constexpr size_t kMaxCanonicalLabel = 16;

// base ^ exponent, saturating at `cap`.
uint64_t PowCapped(uint64_t base, int exponent, uint64_t cap) {
  uint64_t result = 1;
  for (int i = 0; i < exponent && result < cap; ++i) {
    if (base != 0 && result > cap / base) return cap;
    result *= base;
  }
  return std::min(result, cap);
}

// One canonicalization run over a line dataset that outlives it.
class Canonicalizer {
 public:
  // `quads` index into `lines` and hold no duplicates.
  Canonicalizer(const internal::LineDataset& lines, std::span<const internal::LineQuad> quads,
                const CanonicalizeOptions& options)
      : lines_(lines), quads_(quads), options_(options), digest_(options.hash) {}

  // Runs the algorithm into *out (order: indices into `quads`).
  Status Run(internal::CanonicalLines* out);

 private:
  using LineQuad = internal::LineQuad;

  void Prepare();
  std::string_view Text(const LineQuad& t) const { return lines_.Line(t); }
  void HashFirstDegree(uint32_t node);
  // Hash Related Blank Node for the `k`th blank of quad `q` as seen from the quad's other node.
  std::string HashRelated(uint32_t q, int k, const TempIssuer& issuer);
  Status HashNDegree(uint32_t node, TempIssuer* issuer, std::string* hash);
  void IssueCanonical(uint32_t node) {
    if (canonical_[node] == kNone) canonical_[node] = next_canonical_++;
  }
  // Node's canonical label at `out` (room for kMaxCanonicalLabel); returns its length.
  size_t WriteCanonicalLabel(uint32_t node, char* out) const {
    std::memcpy(out, "_:c14n", 6);
    return 6 + WriteNumber(canonical_[node], out + 6);
  }
  void AppendCanonicalLabel(uint32_t node, std::string* out) const {
    char label[kMaxCanonicalLabel];
    out->append(label, WriteCanonicalLabel(node, label));
  }
  // Quad t's line at `p` with write_label(k, p) writing the label of its kth blank node and
  // returning the label's length; returns the end of what was written.
  template <typename WriteLabel>
  char* WriteLine(const LineQuad& t, char* p, WriteLabel&& write_label) const {
    const char* text = lines_.text.data() + t.begin;
    uint32_t from = 0;
    for (int k = 0; k < t.blanks; ++k) {
      std::memcpy(p, text + from, t.cut[k] - from);
      p += t.cut[k] - from;
      p += write_label(k, p);
      from = t.cut[k];
    }
    std::memcpy(p, text + from, t.size - from);
    return p + (t.size - from);
  }
  void AppendTempLabel(uint32_t id, std::string* out) const {
    out->append("_:b", 3);
    AppendNumber(id, out);
  }

  const internal::LineDataset& lines_;
  const std::span<const internal::LineQuad> quads_;
  const CanonicalizeOptions& options_;
  Digest digest_;

  std::vector<uint32_t> quads_begin_;  // node -> range in node_quads_ (CSR)
  std::vector<uint32_t> node_quads_;   // quads mentioning each node, in input order
  std::vector<Raw> first_degree_;      // node -> Hash First Degree Quads (hex only when hashed on)
  std::vector<uint32_t> canonical_;    // node -> canonical number, or kNone
  uint32_t next_canonical_ = 0;

  uint64_t calls_ = 0;
  uint64_t call_limit_ = 0;

  std::string line_buffer_;    // scratch for first-degree lines
  std::string sorted_buffer_;  // scratch: those lines in order
  std::vector<std::string_view> line_views_;
};

void Canonicalizer::Prepare() {
  const uint32_t nodes = lines_.nodes;
  std::vector<uint32_t> counts(nodes, 0);
  for (const LineQuad& t : quads_) {
    for (int k = 0; k < t.blanks; ++k) {
      // A node that occurs twice in a quad still lists the quad once.
      bool seen = false;
      for (int j = 0; j < k; ++j) seen |= t.node[j] == t.node[k];
      if (!seen) ++counts[t.node[k]];
    }
  }
  quads_begin_.assign(nodes + 1, 0);
  for (size_t n = 0; n < nodes; ++n) quads_begin_[n + 1] = quads_begin_[n] + counts[n];
  node_quads_.resize(quads_begin_[nodes]);
  std::vector<uint32_t> fill(quads_begin_.begin(), quads_begin_.end() - 1);
  for (size_t q = 0; q < quads_.size(); ++q) {
    const LineQuad& t = quads_[q];
    for (int k = 0; k < t.blanks; ++k) {
      const uint32_t node = t.node[k];
      const uint32_t at = fill[node];
      if (at > quads_begin_[node] && node_quads_[at - 1] == q) continue;
      node_quads_[at] = static_cast<uint32_t>(q);
      fill[node] = at + 1;
    }
  }
  canonical_.assign(nodes, kNone);
  first_degree_.resize(nodes);
}

void Canonicalizer::HashFirstDegree(uint32_t node) {
  // The node's lines with "_:a" for it and "_:z" for any other blank node, written into one
  // buffer sized beforehand (a label adds 3 bytes).
  size_t room = 0;
  for (uint32_t i = quads_begin_[node]; i < quads_begin_[node + 1]; ++i) {
    const LineQuad& t = quads_[node_quads_[i]];
    room += t.size + 3 * t.blanks;
  }
  if (line_buffer_.size() < room) line_buffer_.resize(room);
  char* p = line_buffer_.data();
  line_views_.clear();
  for (uint32_t i = quads_begin_[node]; i < quads_begin_[node + 1]; ++i) {
    const LineQuad& t = quads_[node_quads_[i]];
    char* const start = p;
    p = WriteLine(t, p, [&](int k, char* at) {
      std::memcpy(at, t.node[k] == node ? "_:a" : "_:z", 3);
      return size_t{3};
    });
    line_views_.emplace_back(start, static_cast<size_t>(p - start));
  }
  if (line_views_.size() == 1) {
    digest_.Update(line_views_[0]);
  } else {
    std::sort(line_views_.begin(), line_views_.end());
    // One Update over the sorted lines back to back costs less than one per line.
    if (sorted_buffer_.size() < room) sorted_buffer_.resize(room);
    char* q = sorted_buffer_.data();
    for (std::string_view line : line_views_) {
      std::memcpy(q, line.data(), line.size());
      q += line.size();
    }
    digest_.Update(
        std::string_view(sorted_buffer_.data(), static_cast<size_t>(q - sorted_buffer_.data())));
  }
  first_degree_[node] = digest_.FinishRaw();
}

std::string Canonicalizer::HashRelated(uint32_t q, int k, const TempIssuer& issuer) {
  const LineQuad& t = quads_[q];
  const uint32_t related = t.node[k];
  const char position = kPositions[static_cast<int>(t.position[k])];
  std::string input;
  input.reserve(128);
  input.push_back(position);
  if (position != 'g') {
    input.push_back('<');
    input.append(lines_.Predicate(t));
    input.push_back('>');
  }
  if (canonical_[related] != kNone) {
    AppendCanonicalLabel(related, &input);
  } else if (const uint32_t id = issuer.Find(related); id != kNone) {
    AppendTempLabel(id, &input);
  } else {
    input.append(codec::HexEncode(first_degree_[related].view()));
  }
  return digest_.Of(input);
}

Status Canonicalizer::HashNDegree(uint32_t node, TempIssuer* issuer, std::string* hash) {
  if (++calls_ > call_limit_) {
    return JsonLdLimitError(
        "work limit exceeded",
        "RDF canonicalization needs more than " + std::to_string(call_limit_) +
            " Hash N-Degree Quads calls (a poison graph?); the limit is the number of "
            "non-unique blank nodes to the power max_work_factor, capped by "
            "max_hash_n_degree_calls");
  }
  // Steps 1-3: hash every blank node related to `node` through a quad.
  std::vector<std::pair<std::string, uint32_t>> related;
  for (uint32_t i = quads_begin_[node]; i < quads_begin_[node + 1]; ++i) {
    const uint32_t q = node_quads_[i];
    const LineQuad& t = quads_[q];
    for (int k = 0; k < t.blanks; ++k) {
      if (t.node[k] == node) continue;
      related.emplace_back(HashRelated(q, k, *issuer), t.node[k]);
    }
  }
  std::sort(related.begin(), related.end());

  // Steps 4-5: for each related hash in code point order, the smallest path over the
  // permutations of its blank nodes.
  std::string data_to_hash;
  std::vector<uint32_t> nodes;
  std::vector<uint32_t> recursion;
  std::string path;
  std::string chosen_path;
  TempIssuer chosen_issuer;
  for (size_t g = 0; g < related.size();) {
    size_t end = g + 1;
    while (end < related.size() && related[end].first == related[g].first) ++end;
    data_to_hash.append(related[g].first);
    nodes.clear();
    for (size_t i = g; i < end; ++i) nodes.push_back(related[i].second);
    g = end;
    // `related` is sorted by (hash, node), so `nodes` starts as the first permutation in
    // lexicographic order and std::next_permutation visits each distinct one once.
    bool have_chosen = false;
    auto worse_than_chosen = [&] {
      return have_chosen && path.size() >= chosen_path.size() && path > chosen_path;
    };
    do {
      TempIssuer copy = *issuer;
      path.clear();
      recursion.clear();
      size_t pruned_at = nodes.size();
      for (size_t k = 0; k < nodes.size(); ++k) {
        const uint32_t r = nodes[k];
        if (canonical_[r] != kNone) {
          AppendCanonicalLabel(r, &path);
        } else {
          uint32_t id = copy.Find(r);
          if (id == kNone) {
            recursion.push_back(r);
            id = static_cast<uint32_t>(copy.issued.size());
            copy.issued.push_back(r);
          }
          AppendTempLabel(id, &path);
        }
        if (worse_than_chosen()) {
          pruned_at = k;
          break;
        }
      }
      if (pruned_at != nodes.size()) {
        // The path so far depends only on nodes[0..pruned_at], so every permutation with that
        // prefix loses too: order the rest descending, and next_permutation moves past them.
        std::sort(nodes.begin() + static_cast<std::ptrdiff_t>(pruned_at) + 1, nodes.end(),
                  std::greater<>());
        continue;
      }
      bool pruned = false;
      std::string related_hash;
      for (const uint32_t r : recursion) {
        RETURN_IF_ERROR(HashNDegree(r, &copy, &related_hash));
        AppendTempLabel(copy.Find(r), &path);
        path.push_back('<');
        path.append(related_hash);
        path.push_back('>');
        if (worse_than_chosen()) {
          pruned = true;
          break;
        }
      }
      if (pruned) continue;
      if (!have_chosen || path < chosen_path) {
        chosen_path.swap(path);
        chosen_issuer = std::move(copy);
        have_chosen = true;
      }
    } while (std::next_permutation(nodes.begin(), nodes.end()));
    data_to_hash.append(chosen_path);
    *issuer = std::move(chosen_issuer);
  }
  *hash = digest_.Of(data_to_hash);
  return Status::Ok();
}

Status Canonicalizer::Run(internal::CanonicalLines* out) {
  Prepare();
  const uint32_t node_count = lines_.nodes;

  // Steps 3-4: first-degree hashes; blank nodes with a unique hash get canonical labels in
  // hash order.
  // Numbers no quad mentions (a writer may allocate a node that ends up without triples) are
  // not blank nodes of the dataset: they get no hash and no label.
  std::vector<uint32_t> by_hash;
  by_hash.reserve(node_count);
  for (uint32_t n = 0; n < node_count; ++n) {
    if (quads_begin_[n] != quads_begin_[n + 1]) by_hash.push_back(n);
  }
  // A lone blank node (a proof configuration's, say) has a unique hash whatever it is: it is
  // c14n0 without hashing anything.
  if (by_hash.size() > 1) {
    for (const uint32_t n : by_hash) HashFirstDegree(n);
  }
  std::sort(by_hash.begin(), by_hash.end(), [&](uint32_t a, uint32_t b) {
    const int c = first_degree_[a].Compare(first_degree_[b]);
    return c != 0 ? c < 0 : a < b;
  });
  std::vector<std::pair<size_t, size_t>> shared_groups;  // [begin, end) in by_hash
  uint64_t non_unique = 0;
  for (size_t i = 0; i < by_hash.size();) {
    size_t end = i + 1;
    while (end < by_hash.size() && first_degree_[by_hash[end]] == first_degree_[by_hash[i]]) {
      ++end;
    }
    if (end - i == 1) {
      IssueCanonical(by_hash[i]);
    } else {
      shared_groups.emplace_back(i, end);
      non_unique += end - i;
    }
    i = end;
  }

  // Step 5: blank nodes sharing a first-degree hash, by Hash N-Degree Quads.
  if (!shared_groups.empty()) {
    call_limit_ = PowCapped(non_unique, std::max(options_.max_work_factor, 0),
                            options_.max_hash_n_degree_calls);
    std::vector<std::pair<std::string, TempIssuer>> paths;
    for (const auto& [begin, end] : shared_groups) {
      paths.clear();
      for (size_t i = begin; i < end; ++i) {
        const uint32_t n = by_hash[i];
        if (canonical_[n] != kNone) continue;
        TempIssuer issuer;
        issuer.issued.push_back(n);
        std::string hash;
        RETURN_IF_ERROR(HashNDegree(n, &issuer, &hash));
        paths.emplace_back(std::move(hash), std::move(issuer));
      }
      std::stable_sort(paths.begin(), paths.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      for (const auto& [hash, issuer] : paths) {
        for (const uint32_t n : issuer.issued) IssueCanonical(n);
      }
    }
  }

  // Step 6 and serialization: every line with canonical labels, sorted.
  const auto& quads = quads_;
  // The lines of quads with blank nodes, labelled, back to back in one buffer sized
  // beforehand.
  size_t room = 0;
  for (const LineQuad& t : quads) {
    if (t.blanks != 0) room += t.size + kMaxCanonicalLabel * t.blanks;
  }
  std::string relabelled(room, '\0');
  char* p = relabelled.data();
  std::vector<std::pair<size_t, size_t>> spans(quads.size());
  for (size_t q = 0; q < quads.size(); ++q) {
    const LineQuad& t = quads[q];
    if (t.blanks == 0) continue;
    char* const start = p;
    p = WriteLine(t, p, [&](int k, char* at) { return WriteCanonicalLabel(t.node[k], at); });
    spans[q] = {static_cast<size_t>(start - relabelled.data()), static_cast<size_t>(p - start)};
  }
  std::vector<std::pair<std::string_view, uint32_t>> sorted(quads.size());
  size_t total = 0;
  for (size_t q = 0; q < quads.size(); ++q) {
    const LineQuad& t = quads[q];
    const std::string_view line =
        t.blanks == 0 ? Text(t)
                      : std::string_view(relabelled.data() + spans[q].first, spans[q].second);
    sorted[q] = {line, static_cast<uint32_t>(q)};
    total += line.size();
  }
  // One comparison decides (the pair's operator< compares the texts twice whenever the first
  // is not less). Equal canonical lines would mean equal quads, which the caller has removed;
  // a comparison sort compares every two elements that end up next to each other, so equal
  // lines cannot pass unseen.
  bool duplicate = false;
  std::sort(sorted.begin(), sorted.end(), [&duplicate](const auto& a, const auto& b) {
    const int c = a.first.compare(b.first);
    if (c != 0) return c < 0;
    duplicate |= a.second != b.second;
    return a.second < b.second;
  });
  if (duplicate) return InternalError("RDF canonicalization: a duplicate quad was not removed");
  out->nquads.assign(total, '\0');
  out->order.resize(sorted.size());
  char* w = out->nquads.data();
  for (size_t i = 0; i < sorted.size(); ++i) {
    std::memcpy(w, sorted[i].first.data(), sorted[i].first.size());
    w += sorted[i].first.size();
    out->order[i] = sorted[i].second;
  }
  out->canonical = std::move(canonical_);
  return Status::Ok();
}

// The line form of `input`; labels[n] is blank node n's input label.
internal::LineDataset ToLines(const Dataset& input, std::vector<std::string_view>* labels) {
  internal::LineDataset lines;
  lines.quads.resize(input.size());
  size_t estimate = 0;
  for (const Quad& quad : input) {
    estimate += quad.subject.value.size() + quad.predicate.value.size() + quad.object.value.size() +
                quad.object.datatype.size() + quad.graph.value.size() + 16;
  }
  lines.text.reserve(estimate);
  // Label -> node; searched linearly while there are few nodes, a hash map after that.
  constexpr size_t kLinearLimit = 32;
  std::unordered_map<std::string_view, uint32_t> index;
  auto intern = [&](std::string_view label) -> uint32_t {
    const auto count = static_cast<uint32_t>(labels->size());
    if (count < kLinearLimit) {
      for (uint32_t n = 0; n < count; ++n) {
        if ((*labels)[n] == label) return n;
      }
      labels->push_back(label);
      if (count + 1 == kLinearLimit) {
        for (uint32_t n = 0; n <= count; ++n) index.emplace((*labels)[n], n);
      }
      return count;
    }
    const auto [it, inserted] = index.try_emplace(label, count);
    if (inserted) labels->push_back(label);
    return it->second;
  };
  std::string& text = lines.text;
  for (size_t q = 0; q < input.size(); ++q) {
    const Quad& quad = input[q];
    internal::LineQuad& t = lines.quads[q];
    t.begin = static_cast<uint32_t>(text.size());
    const Term* parts[3] = {&quad.subject, &quad.object, &quad.graph};
    auto add = [&](int component) {
      const Term& term = *parts[component];
      if (!term.is_blank()) {
        AppendTerm(term, &text);
        return;
      }
      t.cut[t.blanks] = static_cast<uint32_t>(text.size()) - t.begin;
      t.node[t.blanks] = intern(term.value);
      t.position[t.blanks] = static_cast<internal::LinePosition>(component);
      ++t.blanks;
    };
    add(0);
    text.push_back(' ');
    t.predicate = static_cast<uint32_t>(text.size()) - t.begin + 1;
    t.predicate_size = static_cast<uint32_t>(quad.predicate.value.size());
    AppendTerm(quad.predicate, &text);
    text.push_back(' ');
    add(1);
    if (quad.graph.kind != TermKind::kDefaultGraph) {
      text.push_back(' ');
      add(2);
    }
    text.append(" .\n", 3);
    t.size = static_cast<uint32_t>(text.size()) - t.begin;
  }
  lines.nodes = static_cast<uint32_t>(labels->size());
  return lines;
}

}  // namespace

namespace internal {

Result<CanonicalLines> CanonicalizeLines(const LineDataset& lines,
                                         const CanonicalizeOptions& options) {
  const std::vector<LineQuad>& quads = lines.quads;
  if (quads.size() > options.max_quads) {
    return JsonLdLimitError("work limit exceeded",
                            "RDF canonicalization input has " + std::to_string(quads.size()) +
                                " quads, more than max_quads " + std::to_string(options.max_quads));
  }
  // A dataset is a set: find repeated quads (same line text, same blank nodes in the same
  // places) with an open-addressing table of quad indices, so the hashes see each quad once.
  auto same = [&](const LineQuad& a, const LineQuad& b) {
    if (a.blanks != b.blanks || lines.Line(a) != lines.Line(b)) return false;
    for (int k = 0; k < a.blanks; ++k) {
      if (a.cut[k] != b.cut[k] || a.node[k] != b.node[k]) return false;
    }
    return true;
  };
  size_t capacity = 16;
  while (capacity < 2 * quads.size()) capacity *= 2;
  std::vector<uint32_t> table(capacity, kNone);
  std::vector<uint32_t> keep;  // indices of the first copies, when there are repeats
  bool repeats = false;
  for (uint32_t q = 0; q < quads.size(); ++q) {
    const LineQuad& t = quads[q];
    size_t h = StringHash{}(lines.Line(t));
    for (int k = 0; k < t.blanks; ++k) h = h * 0x9E3779B97F4A7C15ULL + t.node[k];
    size_t slot = h & (capacity - 1);
    bool repeat = false;
    while (table[slot] != kNone) {
      if (same(quads[table[slot]], t)) {
        repeat = true;
        break;
      }
      slot = (slot + 1) & (capacity - 1);
    }
    if (repeat && !repeats) {
      repeats = true;
      keep.resize(q);
      for (uint32_t i = 0; i < q; ++i) keep[i] = i;
    }
    if (repeat) continue;
    table[slot] = q;
    if (repeats) keep.push_back(q);
  }

  CanonicalLines out;
  if (!repeats) {
    Canonicalizer canonicalizer(lines, quads, options);
    RETURN_IF_ERROR(canonicalizer.Run(&out));
    return out;
  }
  std::vector<LineQuad> unique;
  unique.reserve(keep.size());
  for (const uint32_t q : keep) unique.push_back(quads[q]);
  Canonicalizer canonicalizer(lines, unique, options);
  RETURN_IF_ERROR(canonicalizer.Run(&out));
  for (uint32_t& q : out.order) q = keep[q];  // back to the caller's quad indices
  return out;
}

}  // namespace internal

Result<CanonicalDataset> Canonicalize(const Dataset& input, const CanonicalizeOptions& options) {
  if (input.size() > options.max_quads) {
    return JsonLdLimitError("work limit exceeded",
                            "RDF canonicalization input has " + std::to_string(input.size()) +
                                " quads, more than max_quads " + std::to_string(options.max_quads));
  }
  std::vector<std::string_view> labels;
  const internal::LineDataset lines = ToLines(input, &labels);
  ASSIGN_OR_RETURN(internal::CanonicalLines canonical, internal::CanonicalizeLines(lines, options));
  CanonicalDataset out;
  out.nquads = std::move(canonical.nquads);
  if (!options.produce_quads) return out;
  out.quads.reserve(canonical.order.size());
  for (const uint32_t q : canonical.order) {
    Quad& quad = out.quads.emplace_back(input[q]);
    Term* parts[3] = {&quad.subject, &quad.object, &quad.graph};
    const internal::LineQuad& t = lines.quads[q];
    for (int k = 0; k < t.blanks; ++k) {
      std::string& value = parts[static_cast<int>(t.position[k])]->value;
      value.assign("c14n", 4);
      AppendNumber(canonical.canonical[t.node[k]], &value);
    }
  }
  for (uint32_t n = 0; n < lines.nodes; ++n) {
    std::string label = "c14n";
    AppendNumber(canonical.canonical[n], &label);
    out.issued.emplace(std::string(labels[n]), std::move(label));
  }
  return out;
}

}  // namespace traceport::jsonld
