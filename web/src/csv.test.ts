// Tests of src/csv.ts, with no test framework: bundle and run them under Node with
//   npx esbuild src/csv.test.ts --bundle --platform=node --log-level=warning | node
// (web/README.md). They are not part of the portal's bundle.
import { csvField, lineRange, makeBatches, parseColumn, parseCsv, parseHeader, rowToDocument, toCsv } from "./csv";

let failures = 0;
let passed = 0;
function check(name: string, cond: boolean, detail?: unknown): void {
  if (cond) {
    passed += 1;
  } else {
    failures += 1;
    console.error(`FAIL ${name}${detail === undefined ? "" : `: ${JSON.stringify(detail)}`}`);
  }
}
function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
function table(text: string) {
  const r = parseCsv(text);
  if (!r.ok) throw new Error(`unexpected parse error: line ${r.line}: ${r.message}`);
  return r.table;
}

// Plain rows, LF and CRLF, a last line without a line break.
{
  const t = table("a,b,c\n1,2,3\r\n4,5,6");
  check("header", same(t.header, ["a", "b", "c"]), t.header);
  check("rows", same(t.rows.map((r) => r.cells), [["1", "2", "3"], ["4", "5", "6"]]), t.rows);
  check("line numbers", same(t.rows.map((r) => r.line), [2, 3]), t.rows);
}
// Quoted fields: commas, doubled quotes, line breaks inside (the record keeps its first line).
{
  const t = table('name,note\r\n"Acme, Inc.","He said ""hi"""\r\n"multi\r\nline",x\r\nlast,"a\nb"\n');
  check("quoted comma", t.rows[0].cells[0] === "Acme, Inc.", t.rows[0]);
  check("doubled quote", t.rows[0].cells[1] === 'He said "hi"', t.rows[0]);
  check("CRLF inside quotes kept", t.rows[1].cells[0] === "multi\r\nline", t.rows[1]);
  check("record after a multi-line field starts on its own line", same(t.rows.map((r) => r.line), [2, 3, 5]), t.rows);
  check("LF inside quotes", t.rows[2].cells[1] === "a\nb", t.rows[2]);
}
// Blank lines are skipped but counted; empty cells stay empty; a trailing comma is an empty cell.
{
  const t = table("a,b\n\n1,\n\r\n,2\n3,4,\n");
  check("blank lines skipped", t.rows.length === 3, t.rows);
  check("lines counted across blank lines", same(t.rows.map((r) => r.line), [3, 5, 6]), t.rows);
  check("empty cell", same(t.rows[0].cells, ["1", ""]), t.rows[0]);
  check("trailing comma", same(t.rows[2]?.cells, ["3", "4", ""]), t.rows[2]);
}
// A byte order mark, spaces around unquoted fields (trimmed) and around quoted ones.
{
  const t = table('\uFEFFa , b\n  x  , "  y  "  \n');
  check("BOM dropped", t.header[0] === "a", t.header);
  check("unquoted trimmed", t.rows[0].cells[0] === "x", t.rows[0]);
  check("quoted keeps its spaces", t.rows[0].cells[1] === "  y  ", t.rows[0]);
}
// CR alone ends a record too.
{
  const t = table("a\r1\r2");
  check("CR line ends", same(t.rows.map((r) => [r.line, r.cells[0]]), [[2, "1"], [3, "2"]]), t.rows);
}
// Errors name the line.
{
  const r1 = parseCsv('a,b\n1,x"y\n');
  check("quote inside unquoted field", !r1.ok && r1.line === 2, r1);
  const r2 = parseCsv('a,b\n"1"x,2\n');
  check("text after closing quote", !r2.ok && r2.line === 2, r2);
  const r3 = parseCsv('a,b\n1,2\n"open\nstill open\n');
  check("unclosed quote names the line it opened on", !r3.ok && r3.line === 3, r3);
  const r4 = parseCsv("\n\n");
  check("empty file", !r4.ok, r4);
}
// Writing back: fields that need quotes get them, and parse to the same cells.
{
  check("plain", csvField("abc") === "abc");
  check("comma", csvField("a,b") === '"a,b"');
  check("quote", csvField('a"b') === '"a""b"');
  check("space at end", csvField("a ") === '"a "');
  const cells = [["x,1", 'say "no"', "multi\nline", " pad ", ""]];
  const again = table(toCsv(["a", "b", "c", "d", "e"], cells));
  check("round trip", same(again.rows[0].cells, cells[0]), again.rows[0]);
}
// Columns and rows as the node reads them.
{
  check("typed column", same(parseColumn("items/0/qty:int"), { column: { name: "items/0/qty:int", member: false, path: ["items", "0", "qty"], type: "int" } }));
  check("member column", "column" in parseColumn("@validFrom") && (parseColumn("@validFrom") as { column: { member: boolean } }).column.member);
  check("unknown member", "error" in parseColumn("@issuer"));
  check("unknown type", "error" in parseColumn("a:float"));
  check("empty segment", "error" in parseColumn("a//b"));
  const { columns, errors } = parseHeader(["invoiceNumber", "seller/name", "itemsShipped/0/description", "itemsShipped/0/lineNumber:int", "itemsShipped/1/description", "paid:bool", "extra:json", "@validUntil"]);
  check("header ok", errors.length === 0, errors);
  const r = rowToDocument(columns, ["INV-1", "Acme", "Coils", "1", "", "true", '{"k":[1]}', "2027-01-01T00:00:00Z"]);
  check(
    "row to document",
    same(r, {
      document: {
        credentialSubject: { invoiceNumber: "INV-1", seller: { name: "Acme" }, itemsShipped: [{ description: "Coils", lineNumber: 1 }], paid: true, extra: { k: [1] } },
        validUntil: "2027-01-01T00:00:00Z",
      },
    }),
    r,
  );
  const bad = rowToDocument(columns, ["INV-1", "Acme", "Coils", "one"]);
  check("bad int names the column", "error" in bad && bad.column === "itemsShipped/0/lineNumber:int", bad);
  const skip = rowToDocument(parseHeader(["a/1"]).columns, ["x"]);
  check("index that skips", "error" in skip, skip);
  const many = rowToDocument(parseHeader(["a"]).columns, ["x", "y"]);
  check("too many cells", "error" in many, many);
  const proto = rowToDocument(parseHeader(["__proto__/x", "constructor"]).columns, ["1", "2"]);
  check("odd names are plain members", "document" in proto && JSON.stringify(proto.document.credentialSubject) === '{"__proto__":{"x":"1"},"constructor":"2"}', proto);
}
// Batches: 50 rows each, the header repeated, lines kept.
{
  const rows = Array.from({ length: 120 }, (_, i) => `r${i},"v, ${i}"`).join("\n");
  const t = table(`a,b\n${rows}\n`);
  const batches = makeBatches(t, 50);
  check("three batches", same(batches.map((b) => b.rows.length), [50, 50, 20]), batches.map((b) => b.rows.length));
  check("batch starts", same(batches.map((b) => b.start), [0, 50, 100]));
  check("header in every batch", batches.every((b) => b.body.startsWith("a,b\r\n")));
  const second = table(batches[1].body);
  check("batch body parses back", second.rows.length === 50 && second.rows[0].cells[1] === "v, 50", second.rows[0]);
  check("line range", lineRange(batches[2].rows) === "lines 102–121", lineRange(batches[2].rows));
  const small = makeBatches(t, 50, 200);
  check("byte limit splits batches", small.length > 3 && small.every((b) => new TextEncoder().encode(b.body).length <= 200 || b.rows.length === 1));
}

console.log(`csv: ${passed} passed, ${failures} failed`);
if (failures > 0) throw new Error(`${failures} csv test(s) failed`);
