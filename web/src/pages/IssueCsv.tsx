// The issuer's CSV tab: one document per row of a CSV file. The file is read and checked in the
// browser first (CSV syntax, the header's column names and types, and each row against the
// type's schema), then sent in batches of 50 rows (the header repeated in each) one after
// another, with a progress bar. The node issues a batch entirely or not at all; a refused batch
// stops the upload, and the page says which lines were refused and why, which batches were
// issued, and offers the lines not issued as a CSV file to fix and send again.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { ApiError, api, errorMessage } from "../api";
import { Notice } from "../components/Feedback";
import { IssuedList } from "../components/IssuedList";
import type { Json, JsonObject } from "../credential";
import { type Batch, type CsvRecord, type CsvTable, lineRange, makeBatches, parseCsv, parseHeader, rowToDocument, toCsv } from "../csv";
import { plural, typeName } from "../format";
import { labelPath } from "../formDraft";
import { documentProblems, partialFailure } from "../issue";
import { type Field, checkDocument, compileField, isWithin, pointerTokens, subjectSchema } from "../schema";
import type { DocumentType, IssueResult, IssuedDocument } from "../types";
import { useTypeSchema } from "./IssueForm";

export const MAX_CSV_BYTES = 5 * 1024 * 1024;
export const BATCH_ROWS = 50;
const PREVIEW_ROWS = 5;
const SHOWN_PROBLEMS = 20;

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

// Whether a chosen file may be a CSV file of an acceptable size: a sentence when it is not.
export function checkCsvFile(file: { name: string; type: string; size: number }): string | null {
  const csvName = /\.csv$/i.test(file.name);
  const csvType = file.type === "text/csv" || file.type === "application/csv";
  if (!csvName && !csvType) {
    return `“${file.name}” is not a CSV file. Choose a file saved as CSV (comma-separated values), with a name ending in .csv.`;
  }
  if (file.size === 0) return `“${file.name}” is empty.`;
  if (file.size > MAX_CSV_BYTES) {
    return `“${file.name}” is ${formatSize(file.size)}; files of up to 5 MB can be uploaded. Split it into smaller files and send them one after another.`;
  }
  return null;
}

interface LineProblem {
  line: number;
  message: string;
}

interface Loaded {
  name: string;
  size: number;
  table: CsvTable;
}

// What the node would refuse for certain (syntax, header, cells), and what the schema says.
interface PreCheck {
  blocking: LineProblem[];
  schema: LineProblem[];
  checked: number;
  done: boolean;
}

type RunStatus = "running" | "done" | "stopped" | "failed";

interface Failure {
  batch: number;
  rows: CsvRecord[];
  sentence: string;
  problems: LineProblem[];
  // The connection or the server failed: whether the batch was issued is not known.
  uncertain: boolean;
  // Rows of the failed batch the node issued before it failed (their ids were not returned).
  issuedBefore: number;
}

interface Run {
  status: RunStatus;
  batches: Batch[];
  total: number;
  issuedCount: number;
  issued: IssuedDocument[];
  // Batches fully issued.
  done: number;
  current: number;
  failure?: Failure;
  waitSeconds?: number;
}

// The CSV column that fills a pointer ("/credentialSubject/seller/name" -> "seller/name").
function columnFor(pointer: string): string {
  const tokens = pointerTokens(pointer);
  if (tokens[0] === "credentialSubject") return tokens.slice(1).join("/");
  return tokens.length ? `@${tokens.join("/")}` : "";
}

function describePointer(field: Field | null, pointer: string): string {
  const column = columnFor(pointer);
  if (field && isWithin(pointer, "/credentialSubject") && pointer !== "/credentialSubject") {
    return `${labelPath(field, "/credentialSubject", pointer)} (column ${column})`;
  }
  if (pointer === "/credentialSubject") return "The row";
  return column ? `Column ${column}` : "The row";
}

// Line numbers in the node's answers ("csv row 3", header = row 1) as lines of the file.
function mapRowNumbers(text: string, batch: Batch, headerLine: number): { text: string; line?: number } {
  let line: number | undefined;
  const out = text.replace(/\b(?:csv )?row ([0-9]+)/gi, (_m, n: string) => {
    const r = Number(n);
    const l = r <= 1 ? headerLine : batch.rows[r - 2]?.line;
    if (l === undefined) return _m;
    if (line === undefined) line = l;
    return `line ${l}`;
  });
  // "line 7, column ..." is shown as "Line 7: column ...": the line is said once.
  return { text: out.replace(/^csv(:| )\s*/i, "").replace(/^line [0-9]+,?\s*/i, ""), line };
}

function sentenceCase(text: string): string {
  const t = text.trim();
  const s = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// The header of a CSV file for the type: a column for every required field (lists: their first
// entry), with the type suffix the node needs for numbers, yes/no and JSON.
export function templateColumns(field: Field, prefix = ""): string[] {
  if (field.kind !== "object") return [];
  const out: string[] = [];
  for (const p of field.properties) {
    if (!p.required) continue;
    const path = prefix ? `${prefix}/${p.name}` : p.name;
    const f = p.field;
    if (f.kind === "object") out.push(...templateColumns(f, path));
    else if (f.kind === "array") {
      if (f.items.kind === "object") out.push(...templateColumns(f.items, `${path}/0`));
      else out.push(`${path}/0${suffix(f.items)}`);
    } else if (f.kind !== "hidden") out.push(`${path}${suffix(f)}`);
  }
  return out;
}

function suffix(f: Field): string {
  if (f.kind === "integer") return ":int";
  if (f.kind === "number") return ":number";
  if (f.kind === "boolean") return ":bool";
  if (f.kind === "json" || f.kind === "array" || f.kind === "object") return ":json";
  return "";
}

function useObjectUrl(text: string | null, type: string): string | null {
  const url = useMemo(() => (text === null ? null : URL.createObjectURL(new Blob([text], { type }))), [text, type]);
  useEffect(
    () => () => {
      if (url) URL.revokeObjectURL(url);
    },
    [url],
  );
  return url;
}

export function IssueCsvTab({
  type,
  securing,
  fromNode,
  onIssued,
  onBusy,
}: {
  type: DocumentType | undefined;
  securing: string;
  fromNode: Map<string, Json>;
  onIssued: () => void;
  onBusy: (busy: boolean) => void;
}) {
  const schema = useTypeSchema(type, fromNode);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [reading, setReading] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [check, setCheck] = useState<PreCheck | null>(null);
  const [sendAnyway, setSendAnyway] = useState(false);
  const [run, setRun] = useState<Run | null>(null);
  const stopRef = useRef(false);
  const resultRef = useRef<HTMLDivElement>(null);

  const compiled = useMemo(() => {
    if (schema.status !== "ready") return null;
    const { store, uri } = schema.loaded;
    const at = subjectSchema(store, uri);
    return at ? { store, uri, field: compileField(store, [at], "credentialSubject") } : null;
  }, [schema]);

  const header = useMemo(() => (loaded ? parseHeader(loaded.table.header) : null), [loaded]);

  // Checks every row: the cells the node would refuse at once, then the schema, a few hundred
  // rows at a time so that the page stays responsive on large files.
  useEffect(() => {
    setCheck(null);
    setSendAnyway(false);
    if (!loaded || !header || !type) return;
    let live = true;
    const { table } = loaded;
    const blocking: LineProblem[] = header.errors.map((e) => ({
      line: table.headerLine,
      message: `Column ${e.column} (“${e.name}”): ${e.message}`,
    }));
    if (table.rows.length === 0) blocking.push({ line: table.headerLine, message: "The file has a header but no rows below it." });
    const schemaProblems: LineProblem[] = [];
    (async () => {
      for (let i = 0; i < table.rows.length; i++) {
        if (!live) return;
        const row = table.rows[i];
        if (header.errors.length === 0) {
          const r = rowToDocument(header.columns, row.cells);
          if ("error" in r) {
            blocking.push({ line: row.line, message: r.column ? `Column “${r.column}”: ${r.error}` : sentenceCase(r.error) });
          } else if (compiled) {
            for (const p of checkDocument(compiled.store, compiled.uri, type.type, r.document as unknown as JsonObject)) {
              schemaProblems.push({ line: row.line, message: `${describePointer(compiled.field, p.pointer)}: ${p.message}` });
            }
          }
        }
        if (i % 200 === 199) {
          setCheck({ blocking: [...blocking], schema: [...schemaProblems], checked: i + 1, done: false });
          await sleep(0);
        }
      }
      if (live) setCheck({ blocking, schema: schemaProblems, checked: table.rows.length, done: true });
    })();
    return () => {
      live = false;
    };
  }, [loaded, header, type, compiled]);

  const running = run?.status === "running";
  useEffect(() => onBusy(running), [running]);

  const readFile = async (file: File) => {
    setFileError(null);
    setLoaded(null);
    setRun(null);
    const problem = checkCsvFile(file);
    if (problem) {
      setFileError(problem);
      return;
    }
    setReading(true);
    try {
      let text: string;
      try {
        text = new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer());
      } catch {
        setFileError(`“${file.name}” is not UTF-8 text. Save it as “CSV UTF-8” and choose it again.`);
        return;
      }
      const parsed = parseCsv(text);
      if (!parsed.ok) {
        setFileError(`“${file.name}” could not be read as CSV: line ${parsed.line}: ${parsed.message}`);
        return;
      }
      setLoaded({ name: file.name, size: file.size, table: parsed.table });
    } catch {
      setFileError(`“${file.name}” could not be read.`);
    } finally {
      setReading(false);
    }
  };

  const explain = (e: unknown, batch: Batch, index: number, headerLine: number): Failure => {
    const base = { batch: index, rows: batch.rows, uncertain: false, issuedBefore: 0 };
    const where = `Batch ${index + 1} (${lineRange(batch.rows)})`;
    const problems = documentProblems(e);
    if (problems.length > 0) {
      return {
        ...base,
        sentence: `${where} was refused: nothing in it was issued.`,
        problems: problems.map((p) => ({
          line: batch.rows[p.document ?? 0]?.line ?? batch.rows[0].line,
          message: `${describePointer(compiled?.field ?? null, p.pointer)}: ${p.message}`,
        })),
      };
    }
    const partial = partialFailure(e);
    if (partial) {
      const row = batch.rows[partial.index];
      return {
        ...base,
        issuedBefore: partial.issuedBefore,
        sentence: `${where} failed part-way: the node issued ${plural(partial.issuedBefore, "document")} of it (${lineRange(
          batch.rows.slice(0, partial.issuedBefore),
        )}) and then stopped.`,
        problems: row ? [{ line: row.line, message: sentenceCase(partial.reason) }] : [],
      };
    }
    if (e instanceof ApiError && (e.status === 0 || e.status >= 500)) {
      return {
        ...base,
        uncertain: true,
        sentence: `${where}: ${errorMessage(e)} It is not known whether the node issued this batch: check the list of issued credentials before sending these lines again.`,
        problems: [],
      };
    }
    const mapped = mapRowNumbers(e instanceof ApiError ? e.message : errorMessage(e), batch, headerLine);
    return {
      ...base,
      sentence: `${where} was refused: nothing in it was issued.`,
      problems: [{ line: mapped.line ?? batch.rows[0].line, message: sentenceCase(mapped.text) }],
    };
  };

  const start = async () => {
    if (!loaded || !type || running) return;
    stopRef.current = false;
    const batches = makeBatches(loaded.table, BATCH_ROWS);
    const state: Run = {
      status: "running",
      batches,
      total: loaded.table.rows.length,
      issuedCount: 0,
      issued: [],
      done: 0,
      current: 0,
    };
    setRun({ ...state });
    for (let b = 0; b < batches.length; b++) {
      if (stopRef.current) {
        state.status = "stopped";
        break;
      }
      state.current = b;
      setRun({ ...state });
      let attempt = 0;
      for (;;) {
        try {
          const res = await api.postRaw<IssueResult>("/documents/issue", "text/csv", batches[b].body, {
            query: { type: type.type, securing },
          });
          state.issued = [...state.issued, ...res.issued];
          state.issuedCount += res.issued.length;
          state.done = b + 1;
          break;
        } catch (e) {
          // The node asks to slow down: wait as long as it says, a few times.
          if (e instanceof ApiError && e.status === 429 && attempt < 3) {
            attempt += 1;
            const wait = Math.min(e.retryAfterSeconds ?? 2, 60);
            state.waitSeconds = wait;
            setRun({ ...state });
            await sleep(wait * 1000);
            state.waitSeconds = undefined;
            continue;
          }
          state.failure = explain(e, batches[b], b, loaded.table.headerLine);
          state.issuedCount += state.failure.issuedBefore;
          state.status = "failed";
          break;
        }
      }
      setRun({ ...state });
      if (state.status === "failed") break;
    }
    if (state.status === "running") state.status = "done";
    setRun({ ...state });
    if (state.issuedCount > 0) onIssued();
    requestAnimationFrame(() => resultRef.current?.focus());
  };

  // The lines that were not issued, as a CSV file to fix and send again.
  const notIssuedText = useMemo(() => {
    if (!run || !loaded || run.status === "done" || run.status === "running") return null;
    const first = run.failure ? run.failure.batch : run.done;
    const skip = run.failure ? run.failure.issuedBefore : 0;
    const rows = run.batches.slice(first).flatMap((b) => b.rows);
    const left = rows.slice(skip);
    if (left.length === 0) return null;
    return toCsv(
      loaded.table.header,
      left.map((r) => r.cells),
    );
  }, [run, loaded]);
  const notIssuedUrl = useObjectUrl(notIssuedText, "text/csv");

  const templateText = useMemo(() => {
    if (!compiled) return null;
    const cols = templateColumns(compiled.field);
    return cols.length ? toCsv(cols, []) : null;
  }, [compiled]);
  const templateUrl = useObjectUrl(templateText, "text/csv");

  if (!type) return <p class="muted">Choose a document type first.</p>;

  const blocked = !check || !check.done || check.blocking.length > 0 || (check.schema.length > 0 && !sendAnyway);
  const batchCount = loaded ? Math.ceil(loaded.table.rows.length / BATCH_ROWS) : 0;
  const reset = () => {
    setLoaded(null);
    setRun(null);
    setFileError(null);
  };

  return (
    <div class="csv-tab">
      <p class="hint">
        One document per row. The first line names the columns: paths into the document's content such as{" "}
        <code>invoiceNumber</code> or <code>itemsShipped/0/description</code>; a suffix <code>:int</code>,{" "}
        <code>:number</code>, <code>:bool</code> or <code>:json</code> types a column; <code>@validFrom</code>,{" "}
        <code>@validUntil</code> and <code>@id</code> set the credential's own members; empty cells are left out.
        {templateUrl && (
          <>
            {" "}
            <a href={templateUrl} download={`${type.type}-columns.csv`} data-testid="csv-template">
              Download the required columns for {typeName(type.type)}
            </a>
            .
          </>
        )}
      </p>
      {!running && (
        <div
          class={`dropzone${dragging ? " dragging" : ""}`}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => {
            e.preventDefault();
            setDragging(false);
            const file = e.dataTransfer?.files?.[0];
            if (file) void readFile(file);
          }}
        >
          <p>Drop a CSV file here (up to 5 MB), or</p>
          <input
            id="csv-file"
            type="file"
            accept=".csv,text/csv"
            class="file-input"
            data-testid="csv-file"
            aria-describedby={fileError ? "csv-file-error" : undefined}
            onChange={(e) => {
              const input = e.currentTarget as HTMLInputElement;
              const file = input.files?.[0];
              if (file) void readFile(file);
              input.value = "";
            }}
          />
          <label for="csv-file" class="file-label">
            Choose a CSV file
          </label>
          {reading && <p class="muted small">Reading the file…</p>}
        </div>
      )}
      {fileError && (
        <p class="field-error" id="csv-file-error" role="alert" data-testid="csv-file-error">
          {fileError}
        </p>
      )}
      {loaded && (
        <>
          <div class="table-scroll" data-testid="csv-preview">
            <table class="data-table compact">
              <caption>
                {loaded.name} ({formatSize(loaded.size)}): the header and the first{" "}
                {Math.min(PREVIEW_ROWS, loaded.table.rows.length)} of {plural(loaded.table.rows.length, "row")}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Line</th>
                  {loaded.table.header.map((h, i) => (
                    <th scope="col" key={i}>
                      <code>{h}</code>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {loaded.table.rows.slice(0, PREVIEW_ROWS).map((r) => (
                  <tr key={r.line}>
                    <th scope="row" class="num">
                      {r.line}
                    </th>
                    {loaded.table.header.map((_, i) => (
                      <td key={i} class="break">
                        {r.cells[i] ?? ""}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {!run && !check && <p class="loading">Checking the rows…</p>}
          {!run && check && !check.done && (
            <p class="loading" role="status">
              Checking the rows… {check.checked} of {loaded.table.rows.length}
            </p>
          )}
          {!run && check?.done && check.blocking.length > 0 && (
            <div class="notice notice-error" role="alert" data-testid="csv-check">
              <p class="notice-title">
                This file cannot be sent: {plural(check.blocking.length, "problem")} the node would refuse. Nothing was
                sent.
              </p>
              <ProblemLines problems={check.blocking} />
            </div>
          )}
          {!run && check?.done && check.blocking.length === 0 && check.schema.length > 0 && (
            <div class="notice notice-warning" data-testid="csv-check">
              <p class="notice-title">
                {(() => {
                  const rows = new Set(check.schema.map((p) => p.line)).size;
                  return `${plural(rows, "row")} ${rows === 1 ? "does" : "do"} not fit the ${typeName(type.type)} schema. Nothing was sent.`;
                })()}
              </p>
              <ProblemLines problems={check.schema} />
              <div class="checkbox">
                <input
                  type="checkbox"
                  id="csv-send-anyway"
                  checked={sendAnyway}
                  onChange={(e) => setSendAnyway((e.currentTarget as HTMLInputElement).checked)}
                />
                <label for="csv-send-anyway">
                  Send anyway: the node checks each batch again, and the first batch it refuses stops the upload.
                </label>
              </div>
            </div>
          )}
          {!run && check?.done && check.blocking.length === 0 && check.schema.length === 0 && (
            <p class="field-ok" data-testid="csv-check">
              {schema.status === "ready"
                ? `All ${plural(loaded.table.rows.length, "row")} fit the ${typeName(type.type)} schema.`
                : `All ${plural(loaded.table.rows.length, "row")} can be read; the node checks them against the schema.`}
            </p>
          )}
          {!run && (
            <div class="form-actions">
              <button type="button" class="button-primary" disabled={blocked} onClick={() => void start()} data-testid="csv-submit">
                Issue {plural(loaded.table.rows.length, "document")}
                {batchCount > 1 ? ` in ${batchCount} batches` : ""}
              </button>
              <button type="button" class="button-secondary" onClick={reset}>
                Choose another file
              </button>
            </div>
          )}
        </>
      )}
      {run && (
        <>
          <div class="csv-progress" data-testid="csv-progress">
            <progress id="csv-progress-bar" max={Math.max(run.total, 1)} value={run.issuedCount} aria-labelledby="csv-progress-text" />
            <span id="csv-progress-text">
              {run.issuedCount} of {run.total} documents issued
            </span>
          </div>
          <p class="muted small" aria-live="polite">
            {run.status === "running"
              ? run.waitSeconds
                ? `The node asked to slow down: waiting ${run.waitSeconds} s before batch ${run.current + 1}.`
                : `Sending batch ${run.current + 1} of ${run.batches.length} (${lineRange(run.batches[run.current]?.rows ?? [])})…`
              : `${run.done} of ${plural(run.batches.length, "batch", "batches")} issued.`}
          </p>
          {running && (
            <button
              type="button"
              class="button-secondary"
              onClick={() => {
                stopRef.current = true;
                setRun((r) => (r ? { ...r } : r));
              }}
              disabled={stopRef.current}
              data-testid="csv-stop"
            >
              {stopRef.current ? "Stopping after this batch…" : "Stop after this batch"}
            </button>
          )}
          {!running && (
            <div class="csv-result" tabIndex={-1} ref={resultRef} data-testid="csv-result">
              <CsvResult run={run} notIssuedUrl={notIssuedUrl} fileName={loaded?.name ?? "rows.csv"} type={type.type} />
              <button type="button" class="button-secondary" onClick={reset} data-testid="csv-again">
                Upload another file
              </button>
            </div>
          )}
        </>
      )}
      {schema.status === "none" && (
        <p class="muted small">
          The node did not send this type's schema, so the rows are checked by the node only.
        </p>
      )}
    </div>
  );
}

function ProblemLines({ problems }: { problems: LineProblem[] }) {
  const shown = problems.slice(0, SHOWN_PROBLEMS);
  return (
    <>
      <ul>
        {shown.map((p, i) => (
          <li key={i}>
            <strong>Line {p.line}</strong>: {p.message}
          </li>
        ))}
      </ul>
      {problems.length > shown.length && <p>And {plural(problems.length - shown.length, "more problem")}.</p>}
    </>
  );
}

function CsvResult({ run, notIssuedUrl, fileName, type }: { run: Run; notIssuedUrl: string | null; fileName: string; type: string }) {
  const issuedRows = run.batches.slice(0, run.done).flatMap((b) => b.rows);
  const notSent = run.batches.slice((run.failure ? run.failure.batch : run.done) + (run.failure ? 1 : 0)).flatMap((b) => b.rows);
  const download = notIssuedUrl && (
    <a href={notIssuedUrl} download={fileName.replace(/(\.csv)?$/i, "-not-issued.csv")} class="button-secondary" data-testid="csv-not-issued">
      Download the lines that were not issued (CSV)
    </a>
  );
  if (run.status === "done") {
    return (
      <Notice kind="success">
        <p>
          All {plural(run.issuedCount, "document")} issued, in {plural(run.batches.length, "batch", "batches")}.
        </p>
        <IssuedList issued={run.issued} type={type} />
      </Notice>
    );
  }
  const f = run.failure;
  return (
    <div class={`notice ${f ? "notice-error" : "notice-warning"}`} role={f ? "alert" : "status"}>
      <p class="notice-title">
        {f ? "The upload stopped." : "The upload was stopped."} {run.issuedCount} of {plural(run.total, "document")} issued.
      </p>
      <p>
        {run.done > 0
          ? `Issued: ${run.done === 1 ? "batch 1" : `batches 1–${run.done}`} (${lineRange(issuedRows)}).`
          : "No batch was issued completely."}
      </p>
      {f && (
        <>
          <p>{f.sentence}</p>
          {f.problems.length > 0 && <ProblemLines problems={f.problems} />}
        </>
      )}
      {notSent.length > 0 && (
        <p>
          Not sent: {lineRange(notSent)} ({plural(notSent.length, "document")}).
        </p>
      )}
      {download}
      {run.issued.length > 0 && (
        <>
          <p>Issued so far:</p>
          <IssuedList issued={run.issued} type={type} max={10} />
        </>
      )}
    </div>
  );
}
