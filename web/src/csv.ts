// CSV for the issuer's bulk upload: a strict RFC 4180 parser that remembers on which line of the
// file each record starts, the node's rules for turning a row into a document (so that a bad cell
// is caught before anything is sent), and the batches the page uploads one after another.
//
// Everything here is a pure function of its input: no DOM, no network (csv.test.ts runs it
// under Node). The parser follows the node's (libcsv in strict mode, src/node/tabular.cc):
// fields are separated by commas, records end with CRLF, LF or CR; a field in double quotes may
// hold commas, line breaks and doubled quotes (""); a quote inside an unquoted field, or anything
// but a comma or the end of the line after a closing quote, is an error; spaces and tabs around
// an unquoted field are not part of it; blank lines are skipped.

export interface CsvRecord {
  // 1-based line of the file on which the record starts (a quoted field may span lines).
  line: number;
  cells: string[];
}

export interface CsvTable {
  header: string[];
  headerLine: number;
  rows: CsvRecord[];
}

export type CsvParse = { ok: true; table: CsvTable } | { ok: false; line: number; message: string };

function isBlank(c: string): boolean {
  return c === " " || c === "\t";
}

export function parseCsv(input: string): CsvParse {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input; // a UTF-8 byte order mark
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let field = "";
  let line = 1;
  let recordLine = 1;
  // "start": before a field; "plain": in an unquoted field; "quoted": inside quotes;
  // "closed": after the closing quote of a quoted field.
  let state: "start" | "plain" | "quoted" | "closed" = "start";
  let quotedFrom = 0; // line where the open quoted field began
  let sawQuote = false; // the record so far has a quoted field
  let i = 0;
  const n = text.length;

  const endField = () => {
    cells.push(state === "plain" ? field.replace(/[ \t]+$/, "") : field);
    field = "";
    state = "start";
  };
  const endRecord = () => {
    endField();
    // A blank line (or one holding only "") is skipped, as the node skips it.
    const blank = cells.length === 1 && cells[0] === "";
    if (!blank) records.push({ line: recordLine, cells });
    cells = [];
    sawQuote = false;
  };
  // Consumes a line break at i (CRLF, LF or CR); returns its length, 0 if there is none.
  const lineBreak = (): number => {
    const c = text[i];
    if (c === "\r") return text[i + 1] === "\n" ? 2 : 1;
    if (c === "\n") return 1;
    return 0;
  };

  while (i < n) {
    const c = text[i];
    if (state === "quoted") {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
        } else {
          state = "closed";
          i += 1;
        }
        continue;
      }
      const br = lineBreak();
      if (br) {
        field += text.slice(i, i + br);
        line += 1;
        i += br;
        continue;
      }
      field += c;
      i += 1;
      continue;
    }
    const br = lineBreak();
    if (br) {
      endRecord();
      line += 1;
      i += br;
      recordLine = line;
      continue;
    }
    if (c === ",") {
      endField();
      i += 1;
      continue;
    }
    if (state === "start") {
      if (isBlank(c)) {
        i += 1;
        continue;
      }
      if (c === '"') {
        state = "quoted";
        quotedFrom = line;
        sawQuote = true;
        i += 1;
        continue;
      }
      state = "plain";
      field += c;
      i += 1;
      continue;
    }
    if (state === "plain") {
      if (c === '"') {
        return {
          ok: false,
          line,
          message:
            'a quote (") is inside a field that does not start with one. Put the whole field in quotes and write the quote twice ("").',
        };
      }
      field += c;
      i += 1;
      continue;
    }
    // closed
    if (isBlank(c)) {
      i += 1;
      continue;
    }
    return {
      ok: false,
      line,
      message: "after a closing quote there must be a comma or the end of the line.",
    };
  }
  if (state === "quoted") {
    return { ok: false, line: quotedFrom, message: "a field opened with a quote is never closed." };
  }
  if (state !== "start" || cells.length > 0 || sawQuote) endRecord();

  if (records.length === 0) return { ok: false, line: 1, message: "the file is empty." };
  const [head, ...rows] = records;
  return { ok: true, table: { header: head.cells, headerLine: head.line, rows } };
}

// One field as the node reads it back: quoted when it has to be (or when spaces at either end
// would otherwise be trimmed).
export function csvField(value: string): string {
  if (/[",\r\n]/.test(value) || /^[ \t]|[ \t]$/.test(value)) return `"${value.replace(/"/g, '""')}"`;
  return value;
}

export function toCsv(header: string[], rows: string[][]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(",")).join("\r\n") + "\r\n";
}

// ---- Rows to documents, as the node does it (docs/api/node.md, "Documents from data") ----

export type CellType = "string" | "int" | "number" | "bool" | "json";

export interface Column {
  name: string;
  // An "@" column sets a member of the credential (id, validFrom, validUntil, name, description).
  member: boolean;
  path: string[];
  type: CellType;
}

const MEMBERS = ["id", "validFrom", "validUntil", "name", "description"];

export function parseColumn(name: string): { column: Column } | { error: string } {
  let spec = name;
  let type: CellType = "string";
  const colon = spec.lastIndexOf(":");
  if (colon >= 0) {
    const t = spec.slice(colon + 1);
    if (t !== "int" && t !== "number" && t !== "bool" && t !== "json") {
      return { error: `the type "${t}" is not known: use :int, :number, :bool or :json.` };
    }
    type = t;
    spec = spec.slice(0, colon);
  }
  let member = false;
  if (spec.startsWith("@")) {
    member = true;
    spec = spec.slice(1);
  }
  if (!spec) return { error: "the column has no name." };
  const path = spec.split("/");
  if (path.some((s) => s === "")) return { error: "the name has an empty part between slashes." };
  if (member && (path.length !== 1 || !MEMBERS.includes(path[0]))) {
    return { error: "an @ column sets @id, @validFrom, @validUntil, @name or @description." };
  }
  return { column: { name, member, path, type } };
}

export interface HeaderCheck {
  columns: Column[];
  errors: { column: number; name: string; message: string }[];
}

export function parseHeader(header: string[]): HeaderCheck {
  const columns: Column[] = [];
  const errors: HeaderCheck["errors"] = [];
  header.forEach((name, i) => {
    const r = parseColumn(name);
    if ("error" in r) errors.push({ column: i + 1, name, message: r.error });
    else columns.push(r.column);
  });
  return { columns, errors };
}

function isIndex(seg: string): boolean {
  return /^[0-9]{1,4}$/.test(seg);
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function cellValue(cell: string, type: CellType): { value: Json } | { error: string } {
  switch (type) {
    case "string":
      return { value: cell };
    case "int": {
      if (/^\s*[+-]?[0-9]+$/.test(cell)) {
        const v = Number(cell);
        if (Number.isSafeInteger(v)) return { value: v };
      }
      return { error: `"${cell}" is not a whole number.` };
    }
    case "number": {
      if (/^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(cell.trim())) {
        return { value: Number(cell) };
      }
      return { error: `"${cell}" is not a number.` };
    }
    case "bool":
      if (cell === "true") return { value: true };
      if (cell === "false") return { value: false };
      return { error: `"${cell}" is not true or false.` };
    case "json":
      try {
        return { value: JSON.parse(cell) as Json };
      } catch {
        return { error: "the cell is not valid JSON." };
      }
  }
}

// Own members only: a column named "constructor" or "__proto__" is data like any other.
function has(o: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}
function setMember(o: { [key: string]: Json }, key: string, value: Json): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

function put(root: { [key: string]: Json }, path: string[], value: Json): string | null {
  let parent: Json[] | { [key: string]: Json } = root;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    const nextIsIndex = !last && isIndex(path[i + 1]);
    if (Array.isArray(parent)) {
      if (!isIndex(seg)) return `"${seg}" is not a position in a list.`;
      const idx = Number(seg);
      if (idx > parent.length) return `list position ${idx} skips position ${parent.length}.`;
      if (last) {
        if (idx < parent.length && parent[idx] !== null) return "the same cell is written twice.";
        parent[idx] = value;
        return null;
      }
      if (idx === parent.length) parent.push(nextIsIndex ? [] : {});
      const child: Json = parent[idx];
      if (child === null || typeof child !== "object") return `"${seg}" holds a value, not a group.`;
      parent = child;
    } else {
      if (isIndex(seg)) return `"${seg}" indexes something that is not a list.`;
      if (last) {
        if (has(parent, seg)) return "the same cell is written twice.";
        setMember(parent, seg, value);
        return null;
      }
      if (!has(parent, seg)) setMember(parent, seg, nextIsIndex ? [] : {});
      const child: Json = parent[seg];
      if (child === null || typeof child !== "object") return `"${seg}" holds a value, not a group.`;
      if (nextIsIndex !== Array.isArray(child)) {
        return nextIsIndex ? `"${seg}" is used both as a list and as a group.` : `"${path[i + 1]}" indexes something that is not a list.`;
      }
      parent = child;
    }
  }
  return null;
}

export interface RowDocument {
  credentialSubject: { [key: string]: Json };
  [member: string]: Json;
}

// The document a row becomes, or what is wrong with one of its cells.
export function rowToDocument(
  columns: Column[],
  cells: string[],
): { document: RowDocument } | { error: string; column?: string } {
  if (cells.length > columns.length) {
    return { error: `the row has ${cells.length} cells but the header names ${columns.length} columns.` };
  }
  const doc: RowDocument = { credentialSubject: {} };
  for (let i = 0; i < cells.length; i++) {
    if (cells[i] === "") continue;
    const col = columns[i];
    const v = cellValue(cells[i], col.type);
    if ("error" in v) return { error: v.error, column: col.name };
    const problem = col.member ? put(doc, col.path, v.value) : put(doc.credentialSubject, col.path, v.value);
    if (problem) return { error: problem, column: col.name };
  }
  return { document: doc };
}

// ---- Batches ----

export interface Batch {
  // 0-based position of the first row of the batch in the table's rows.
  start: number;
  rows: CsvRecord[];
  body: string;
}

// Rows in batches of `size` (the header repeated in each), smaller when a batch would be larger
// than `maxBytes` (the node refuses bodies over 1 MiB). A row that alone exceeds the limit is
// sent on its own: the node will refuse it and the page says which line it was.
export function makeBatches(table: CsvTable, size = 50, maxBytes = 1_000_000): Batch[] {
  const enc = new TextEncoder();
  const headerText = table.header.map(csvField).join(",") + "\r\n";
  const headerBytes = enc.encode(headerText).length;
  const batches: Batch[] = [];
  let current: CsvRecord[] = [];
  let text = headerText;
  let bytes = headerBytes;
  let start = 0;
  table.rows.forEach((row, i) => {
    const rowText = row.cells.map(csvField).join(",") + "\r\n";
    const rowBytes = enc.encode(rowText).length;
    if (current.length > 0 && (current.length >= size || bytes + rowBytes > maxBytes)) {
      batches.push({ start, rows: current, body: text });
      current = [];
      text = headerText;
      bytes = headerBytes;
      start = i;
    }
    current.push(row);
    text += rowText;
    bytes += rowBytes;
  });
  if (current.length > 0) batches.push({ start, rows: current, body: text });
  return batches;
}

// "lines 4–53", "line 7"
export function lineRange(rows: CsvRecord[]): string {
  if (rows.length === 0) return "no lines";
  const first = rows[0].line;
  const last = rows[rows.length - 1].line;
  return first === last ? `line ${first}` : `lines ${first}–${last}`;
}
