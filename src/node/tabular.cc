#include "node/tabular.h"

#include <csv.h>

#include <string>

#include "codec/json.h"

namespace traceport::node {

using json = nlohmann::json;

namespace {

struct Collector {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> current;
  size_t max_rows = 0;
  bool too_many = false;
};

void OnField(void* data, size_t len, void* user) {
  auto* c = static_cast<Collector*>(user);
  c->current.emplace_back(data == nullptr ? "" : std::string(static_cast<const char*>(data), len));
}

void OnRow(int /*terminator*/, void* user) {
  auto* c = static_cast<Collector*>(user);
  if (c->rows.size() > c->max_rows) {
    c->too_many = true;
    c->current.clear();
    return;
  }
  c->rows.push_back(std::move(c->current));
  c->current.clear();
}

enum class CellType { kString, kInt, kNumber, kBool, kJson };

struct Column {
  bool credential_member = false;  // '@' column
  std::vector<std::string> path;   // segments
  CellType type = CellType::kString;
};

Result<Column> ParseColumn(const std::string& name, size_t index) {
  const std::string where = "column " + std::to_string(index + 1) + " \"" + name + "\"";
  Column col;
  std::string spec = name;
  const size_t colon = spec.rfind(':');
  if (colon != std::string::npos) {
    const std::string t = spec.substr(colon + 1);
    if (t == "int") {
      col.type = CellType::kInt;
    } else if (t == "number") {
      col.type = CellType::kNumber;
    } else if (t == "bool") {
      col.type = CellType::kBool;
    } else if (t == "json") {
      col.type = CellType::kJson;
    } else {
      return InvalidArgumentError(where + ": unknown type \"" + t +
                                  "\" (expected int, number, bool or json)");
    }
    spec.resize(colon);
  }
  if (!spec.empty() && spec[0] == '@') {
    col.credential_member = true;
    spec.erase(0, 1);
  }
  if (spec.empty()) return InvalidArgumentError(where + ": empty name");
  size_t start = 0;
  while (true) {
    const size_t slash = spec.find('/', start);
    std::string seg = spec.substr(start, slash == std::string::npos ? slash : slash - start);
    if (seg.empty()) return InvalidArgumentError(where + ": empty path segment");
    col.path.push_back(std::move(seg));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  if (col.credential_member) {
    static const char* const kAllowed[] = {"id", "validFrom", "validUntil", "name", "description"};
    bool ok = col.path.size() == 1;
    bool known = false;
    for (const char* a : kAllowed) known = known || (ok && col.path[0] == a);
    if (!known) {
      return InvalidArgumentError(where +
                                  ": an @ column sets id, validFrom, validUntil, name or "
                                  "description of the credential");
    }
  }
  return col;
}

bool IsIndex(const std::string& seg) {
  if (seg.empty() || seg.size() > 4) return false;
  for (char ch : seg) {
    if (ch < '0' || ch > '9') return false;
  }
  return true;
}

Status Put(json& root, const std::vector<std::string>& path, json value, const std::string& where) {
  json* node = &root;
  for (size_t i = 0; i < path.size(); ++i) {
    const std::string& seg = path[i];
    const bool last = i + 1 == path.size();
    if (IsIndex(seg)) {
      if (node->is_null()) *node = json::array();
      if (!node->is_array())
        return InvalidArgumentError(where + ": \"" + seg + "\" indexes a non-array");
      const size_t idx = std::stoul(seg);
      if (idx > node->size()) {
        return InvalidArgumentError(where + ": array index " + seg + " skips index " +
                                    std::to_string(node->size()));
      }
      if (idx == node->size()) node->push_back(json());
      node = &(*node)[idx];
    } else {
      if (node->is_null()) *node = json::object();
      if (!node->is_object())
        return InvalidArgumentError(where + ": \"" + seg + "\" under a non-object");
      node = &(*node)[seg];
    }
    if (last) {
      if (!node->is_null()) return InvalidArgumentError(where + ": written twice");
      *node = std::move(value);
    }
  }
  return Status::Ok();
}

Result<json> CellValue(const std::string& cell, CellType type, const std::string& where) {
  switch (type) {
    case CellType::kString:
      return json(cell);
    case CellType::kInt: {
      size_t used = 0;
      try {
        const long long v = std::stoll(cell, &used);
        if (used == cell.size()) return json(v);
      } catch (...) {
      }
      return InvalidArgumentError(where + ": \"" + cell + "\" is not an integer");
    }
    case CellType::kNumber: {
      auto v = codec::ParseJson(cell);
      if (v.ok() && v->is_number()) return *v;
      return InvalidArgumentError(where + ": \"" + cell + "\" is not a number");
    }
    case CellType::kBool:
      if (cell == "true") return json(true);
      if (cell == "false") return json(false);
      return InvalidArgumentError(where + ": \"" + cell + "\" is not true or false");
    case CellType::kJson: {
      auto v = codec::ParseJson(cell);
      if (!v.ok())
        return InvalidArgumentError(where + ": not JSON: " + std::string(v.status().message()));
      return *v;
    }
  }
  return InvalidArgumentError(where + ": unknown type");
}

}  // namespace

Result<std::vector<json>> CsvToDocuments(std::string_view csv, size_t max_rows) {
  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_EMPTY_IS_NULL) != 0) {
    return InternalError("csv: cannot initialize the parser");
  }
  Collector c;
  c.max_rows = max_rows;  // data rows; the header is one more
  const size_t parsed = csv_parse(&parser, csv.data(), csv.size(), OnField, OnRow, &c);
  int err = parsed == csv.size() ? 0 : csv_error(&parser);
  if (err == 0 && csv_fini(&parser, OnField, OnRow, &c) != 0) err = csv_error(&parser);
  csv_free(&parser);
  if (err != 0) {
    return InvalidArgumentError("csv: " + std::string(csv_strerror(err)) + " near row " +
                                std::to_string(c.rows.size() + 1));
  }
  if (c.too_many) {
    return ResourceExhaustedError("csv: more than " + std::to_string(max_rows) + " rows");
  }
  if (c.rows.empty()) return InvalidArgumentError("csv: no header row");
  std::vector<Column> columns;
  for (size_t i = 0; i < c.rows[0].size(); ++i) {
    if (!codec::IsValidUtf8(c.rows[0][i])) {
      return InvalidArgumentError("csv row 1, column " + std::to_string(i + 1) + ": not UTF-8");
    }
    ASSIGN_OR_RETURN(Column col, ParseColumn(c.rows[0][i], i));
    columns.push_back(std::move(col));
  }
  std::vector<json> out;
  for (size_t r = 1; r < c.rows.size(); ++r) {
    const std::vector<std::string>& row = c.rows[r];
    if (row.size() == 1 && row[0].empty()) continue;  // a blank line
    if (row.size() > columns.size()) {
      return InvalidArgumentError("csv row " + std::to_string(r + 1) + ": " +
                                  std::to_string(row.size()) + " cells but " +
                                  std::to_string(columns.size()) + " columns");
    }
    json doc = {{"credentialSubject", json::object()}};
    for (size_t i = 0; i < row.size(); ++i) {
      if (row[i].empty()) continue;
      if (!codec::IsValidUtf8(row[i])) {
        return InvalidArgumentError("csv row " + std::to_string(r + 1) + ", column " +
                                    std::to_string(i + 1) +
                                    ": not UTF-8 (save the file as UTF-8 and send it again)");
      }
      const std::string where =
          "csv row " + std::to_string(r + 1) + ", column \"" + c.rows[0][i] + "\"";
      ASSIGN_OR_RETURN(json value, CellValue(row[i], columns[i].type, where));
      if (columns[i].credential_member) {
        RETURN_IF_ERROR(Put(doc, columns[i].path, std::move(value), where));
      } else {
        RETURN_IF_ERROR(Put(doc["credentialSubject"], columns[i].path, std::move(value), where));
      }
    }
    out.push_back(std::move(doc));
  }
  return out;
}

}  // namespace traceport::node
