// Documents from tables: CSV rows turned into credential payloads for bulk issuing.
//
// The first row names the columns. A column is a path into the credential subject, its segments
// separated by '/', a segment of digits indexing an array: "inspections/0/heatNumber". Cells are
// strings unless the column name ends with a type: ":int", ":number" (written as given, checked
// to be a number), ":bool" (true/false) or ":json" (the cell is a JSON value). An empty cell
// leaves its member out. Columns whose name starts with '@' set members of the credential
// itself: "@id", "@validFrom", "@validUntil", "@name", "@description". Parsing is RFC 4180 (quoted
// fields, doubled quotes, CRLF or LF) through libcsv in strict mode.
#ifndef TRACEPORT_NODE_TABULAR_H_
#define TRACEPORT_NODE_TABULAR_H_

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace traceport::node {

// One row's document: {"credentialSubject": {...}, and the '@' members without the '@'}.
// InvalidArgument naming the row (1-based, the header is row 1) and column for a malformed
// CSV, a bad column name, a cell that is not of its column's type, a row with more cells than
// the header, or two columns writing the same member; ResourceExhausted past `max_rows`.
Result<std::vector<nlohmann::json>> CsvToDocuments(std::string_view csv, size_t max_rows = 10000);

}  // namespace traceport::node

#endif  // TRACEPORT_NODE_TABULAR_H_
