// RDF Dataset Canonicalization, RDFC-1.0 (W3C Recommendation, 21 May 2024).
//
// Canonicalize() gives every blank node of a dataset a canonical label "c14nN" that depends only
// on the dataset up to blank-node renaming, and returns the dataset relabelled and sorted, its
// canonical N-Quads document (nquads.h) and the issued identifiers map. Two isomorphic datasets
// yield byte-identical documents.
//
// Poison graphs. Blank nodes that first-degree hashing cannot tell apart are resolved by Hash
// N-Degree Quads, which tries permutations of related blank nodes and recurses; on highly
// symmetric graphs (cliques) its cost grows factorially. CanonicalizeOptions bounds the number
// of Hash N-Degree Quads calls; going over the bound fails the whole call with
// JsonLdLimitError("work limit exceeded", ...) (ResourceExhausted).
//
// Thread safety: Canonicalize is reentrant; it reads `input` and shares no state.
#ifndef TRACEPORT_JSONLD_RDFC_H_
#define TRACEPORT_JSONLD_RDFC_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "common/status.h"
#include "jsonld/rdf.h"

namespace traceport::jsonld {

// The hash RDFC-1.0 uses internally (for first-degree, related and n-degree hashes). The spec's
// default is SHA-256; the P-384 Data Integrity suites use SHA-384.
enum class HashAlgorithm { kSha256, kSha384 };

struct CanonicalizeOptions {
  HashAlgorithm hash = HashAlgorithm::kSha256;

  // Work limit against poison graphs. With u the number of blank nodes that first-degree
  // hashing leaves non-unique, at most min(u ^ max_work_factor, max_hash_n_degree_calls) Hash
  // N-Degree Quads calls (top-level and recursive) are allowed. A factor of 0 allows one call.
  //
  // Default 3: every positive RDFC-1.0 conformance test passes with it (the most demanding,
  // the "poison - evil" graphs #test044c-046c, have 12 non-unique blank nodes and take 468
  // calls, within 12^3 = 1,728), while the 10-node clique (#test074c) is rejected after
  // 10^3 = 1,000 calls, in milliseconds. Credentials and their proofs almost never have
  // non-unique blank nodes, so a verifier rarely spends any of this budget. This counts calls
  // in total; other implementations' work factors may count differently.
  int max_work_factor = 3;

  // Hard cap on Hash N-Degree Quads calls whatever the factor gives. A call on a symmetric
  // graph costs roughly 10-20 us, so the cap bounds a poison input to a fraction of a second.
  uint64_t max_hash_n_degree_calls = 10'000;

  // Datasets with more quads fail with "work limit exceeded" before any hashing.
  size_t max_quads = 100'000;

  // Whether CanonicalDataset::quads (and issued) are filled; callers that need only the
  // canonical N-Quads text (signing and verifying) save the copies.
  bool produce_quads = true;
};

struct CanonicalDataset {
  Dataset quads;       // the input relabelled with c14nN and sorted by canonical line (when asked)
  std::string nquads;  // the canonical N-Quads document: quads' lines, concatenated
  // Input blank-node label (without "_:") -> canonical label ("c14n0", ...).
  std::map<std::string, std::string> issued;
};

// Canonicalizes `input`. Duplicate quads in `input` count once (a dataset is a set). Blank-node
// labels may be any non-empty strings; other terms are serialized as they are.
//
// Errors: ResourceExhausted "work limit exceeded: ..." when the input has more than max_quads
// quads or Hash N-Degree Quads would be called more often than the work limit allows.
Result<CanonicalDataset> Canonicalize(const Dataset& input,
                                      const CanonicalizeOptions& options = {});

}  // namespace traceport::jsonld

#endif  // TRACEPORT_JSONLD_RDFC_H_
