// The ledger explorer: the latest signed checkpoint with its signature lines (the log's and each
// witness's cosignature), entries listed by type or opened by index, an entry's inclusion proof
// drawn as its path to the root, its receipt to download, and any receipt verified in this
// browser (tlog.ts: SHA-256 Merkle path, Ed25519 signatures with WebCrypto). The ledger's routes
// are public; the portal only makes them readable.
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { api, seg } from "../api";
import { ErrorBox, Loading, Notice } from "../components/Feedback";
import { JsonView } from "../components/JsonView";
import {
  InclusionPath,
  KeysForm,
  ReceiptVerdict,
  SignatureList,
  roleOf,
  useVerifierKeys,
} from "../components/LedgerProof";
import type { Json } from "../credential";
import { formatDateTime, shortDid, shortId } from "../format";
import { useLoad, useTitle } from "../hooks";
import { type LoadedCheckpoint, type ScanState, loadCheckpoint, scanBack, startScan } from "../ledgerData";
import { href, navigate } from "../router";
import { SUBMISSION_ROLES, useSession } from "../session";
import {
  type Bytes,
  type ReceiptReport,
  type SignatureCheck,
  type VerifierKey,
  checkNoteSignatures,
  fromBase64,
  verifyInclusion,
  verifyReceipt,
  webCryptoAvailable,
} from "../tlog";
import type { LedgerEntry } from "../types";

const ENTRY_TYPES: Record<string, string> = {
  "submission.received": "Shipment received by customs",
  "decision.recorded": "Customs decision recorded",
  "credential.anchor": "Credential issued",
  "credential.status": "Credential status changed",
  "registry.update": "Trust registry changed",
  "key.rotated": "Organization keys rotated",
  "duty.paid": "Duty paid",
  "event.recorded": "Event recorded",
};

function str(v: unknown): string {
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : "";
}

// One line about an entry, for the list.
function entrySummary(e: Record<string, unknown>): string {
  switch (e.type) {
    case "credential.anchor":
      return `${shortId(str(e.credential_id))} by ${shortDid(str(e.issuer))}`;
    case "credential.status":
      return `${str(e.purpose)} bit ${str(e.index)} set to ${str(e.value)}`;
    case "registry.update":
      return `${str(e.action)} ${shortDid(str(e.subject))}`;
    case "submission.received":
      return `${shortId(str(e.submission_id))} from ${shortDid(str(e.submitter))}`;
    case "decision.recorded":
      return `${str(e.decision)} on ${shortId(str(e.submission_id))}`;
    case "duty.paid":
      return `${str(e.amount)} ${str(e.currency)} for entry ${str(e.entry_number)}`;
    case "key.rotated":
      return `${shortDid(str(e.subject))}, ${str(e.purpose)}`;
    case "event.recorded":
      return str(e.event_type);
    default:
      return "";
  }
}

type CheckpointData = Awaited<ReturnType<typeof loadCheckpoint>>;

function isParsed(cp: CheckpointData | undefined): cp is LoadedCheckpoint {
  return !!cp && "checkpoint" in cp;
}

// ---- The checkpoint ----

function CheckpointCard({
  cp,
  error,
  loading,
  reload,
  keys,
}: {
  cp: CheckpointData | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  keys: VerifierKey[];
}) {
  const [checks, setChecks] = useState<SignatureCheck[] | null>(null);
  const parsed = isParsed(cp) ? cp : null;
  useEffect(() => {
    setChecks(null);
    if (!parsed || !webCryptoAvailable()) return;
    let cancelled = false;
    void checkNoteSignatures(parsed.note, parsed.checkpoint.origin, keys).then((r) => {
      if (!cancelled) setChecks(r.checks);
    });
    return () => {
      cancelled = true;
    };
  }, [parsed?.raw, keys]);

  // Until (or without) WebCrypto, describe the lines from their names and lengths alone.
  const lines: SignatureCheck[] =
    checks ??
    (parsed?.note.signatures ?? []).map((line) => ({
      line,
      role: roleOf(line, parsed!.checkpoint.origin, keys),
      outcome: "not-checked" as const,
      detail: "",
    }));
  const logs = lines.filter((l) => l.role === "log").length;
  const witnesses = lines.filter((l) => l.role === "witness").length;

  return (
    <section class="card" aria-labelledby="checkpoint-heading" data-testid="checkpoint">
      <div class="page-head">
        <h2 id="checkpoint-heading">Latest checkpoint</h2>
        <button type="button" class="button-secondary" onClick={reload} disabled={loading}>
          Refresh
        </button>
      </div>
      {error !== undefined && error !== null && <ErrorBox error={error} title="The checkpoint could not be loaded." />}
      {loading && !cp && <Loading label="Loading the checkpoint…" />}
      {cp && !parsed && (
        <>
          <Notice kind="warning">
            <p>{"error" in cp ? cp.error : "The checkpoint could not be read."} It is shown as the node sent it.</p>
          </Notice>
          <pre class="receipt-text">{cp.raw}</pre>
        </>
      )}
      {parsed && (
        <>
          <dl class="facts">
            <div>
              <dt>Log (origin)</dt>
              <dd class="break" data-testid="checkpoint-origin">
                {parsed.checkpoint.origin}
              </dd>
            </div>
            <div>
              <dt>Entries</dt>
              <dd data-testid="checkpoint-size">{parsed.size}</dd>
            </div>
            <div>
              <dt>Root hash</dt>
              <dd class="break mono" data-testid="checkpoint-root">
                {parsed.checkpoint.rootBase64}
              </dd>
            </div>
            <div>
              <dt>Signed by</dt>
              <dd>
                {logs === 0 ? "no log signature" : logs === 1 ? "the log" : `${logs} log keys`}
                {witnesses > 0 ? ` and ${witnesses} witness${witnesses === 1 ? "" : "es"}` : ", no witness cosignatures"}
              </dd>
            </div>
          </dl>
          <h3>Signature lines</h3>
          <p class="muted small">
            A line whose name is the log's origin and that carries a plain Ed25519 signature is the log's; a
            cosignature/v1 line (with a time) is a witness's. With the keys below, each line is also verified here.
          </p>
          <SignatureList checks={lines} testid="checkpoint-signature" />
          <details>
            <summary>The signed note as published</summary>
            <pre class="receipt-text" tabIndex={0} aria-label="The checkpoint as published">
              {parsed.raw}
            </pre>
          </details>
        </>
      )}
    </section>
  );
}

// ---- Entries by type ----

const PAGE = 25;

function BrowseEntries({ size, type }: { size: number; type: string }) {
  const [scan, setScan] = useState<ScanState | null>(null);
  const [shown, setShown] = useState(PAGE);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const [choice, setChoice] = useState(type);
  const controller = useRef<AbortController | null>(null);
  useEffect(() => setChoice(type), [type]);

  const keep = (e: { entry: Record<string, unknown> }) => !type || e.entry.type === type;

  // Reads further back until there is another page of matches (at most 8 bundles a time).
  const more = async (from: ScanState, want: number) => {
    controller.current?.abort();
    const c = new AbortController();
    controller.current = c;
    setLoading(true);
    setError(null);
    try {
      let s = from;
      let reads = 0;
      while (s.found.length < want && s.nextBundle >= 0 && reads < 8) {
        s = await scanBack(s, size, keep, { bundles: 1, signal: c.signal });
        reads++;
      }
      if (!c.signal.aborted) setScan(s);
    } catch (e) {
      if (!c.signal.aborted) setError(e);
    } finally {
      if (!c.signal.aborted) setLoading(false);
    }
  };

  useEffect(() => {
    setShown(PAGE);
    setScan(null);
    if (size > 0) void more(startScan(size), PAGE);
    return () => controller.current?.abort();
  }, [size, type]);

  const found = scan?.found ?? [];
  const visible = found.slice(0, shown);
  const canMore = found.length > shown || (scan !== null && scan.nextBundle >= 0);

  return (
    <section class="card" aria-labelledby="browse-heading" data-testid="ledger-browse">
      <h2 id="browse-heading">Entries by type</h2>
      <form
        class="form inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(href("/ledger", { type: choice }));
        }}
        noValidate
      >
        <div class="field">
          <label for="ledger-type">Type</label>
          <select
            id="ledger-type"
            value={choice}
            onChange={(e) => setChoice((e.currentTarget as HTMLSelectElement).value)}
            data-testid="ledger-type"
          >
            <option value="">All types</option>
            {Object.entries(ENTRY_TYPES).map(([value, label]) => (
              <option key={value} value={value}>
                {label} ({value})
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="button-secondary">
          Show entries
        </button>
      </form>
      {error !== null && <ErrorBox error={error} title="The entries could not be read." />}
      {size === 0 && <p class="muted">The ledger has no entries yet.</p>}
      {scan && (
        <p class="result-count" role="status">
          {found.length === 0
            ? `No ${type ? `“${ENTRY_TYPES[type] ?? type}” ` : ""}entries among the latest ${scan.scanned}.`
            : `Showing ${visible.length} of ${found.length} ${type ? `“${ENTRY_TYPES[type] ?? type}” ` : ""}entr${found.length === 1 ? "y" : "ies"} found among the latest ${scan.scanned}${scan.nextBundle < 0 ? " (the whole ledger)" : ""}, newest first.`}
        </p>
      )}
      {visible.length > 0 && (
        <div class="table-scroll">
          <table class="data-table compact">
            <caption class="visually-hidden">Ledger entries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Entry</th>
                <th scope="col">Type</th>
                <th scope="col">Recorded</th>
                <th scope="col">About</th>
              </tr>
            </thead>
            <tbody>
              {visible.map((e) => (
                <tr key={e.index} data-testid="ledger-row" data-index={e.index}>
                  <th scope="row">
                    <a href={href("/ledger", { index: e.index, type: type || undefined })}>#{e.index}</a>
                  </th>
                  <td>
                    {ENTRY_TYPES[str(e.entry.type)] ?? str(e.entry.type)}
                    <br />
                    <code class="small">{str(e.entry.type)}</code>
                  </td>
                  <td>{formatDateTime(str(e.entry.recorded_at))}</td>
                  <td class="break">{entrySummary(e.entry)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {loading && <Loading label="Reading the ledger…" />}
      {!loading && canMore && scan && (
        <button
          type="button"
          class="button-secondary"
          onClick={() => {
            const next = shown + PAGE;
            setShown(next);
            if (found.length < next) void more(scan, next);
          }}
        >
          {found.length > shown ? "Show more" : "Look further back"}
        </button>
      )}
    </section>
  );
}

// ---- One entry ----

interface InclusionProofAnswer {
  index: number;
  tree_size: number;
  root_hash: string;
  inclusion_proof: string[];
}

function ProofView({ index, leafHash, cp }: { index: number; leafHash: string; cp: LoadedCheckpoint }) {
  const proof = useLoad(
    async (signal) => {
      const p = await api.get<InclusionProofAnswer>("/ledger/proof/inclusion", {
        query: { index, tree_size: cp.size },
        signal,
      });
      if (!webCryptoAvailable()) return { p, result: null };
      const leaf = fromBase64(leafHash);
      const hashes = p.inclusion_proof.map(fromBase64);
      if (!leaf || hashes.some((h) => !h)) return { p, result: null };
      const result = await verifyInclusion(
        BigInt(index),
        BigInt(p.tree_size),
        leaf,
        hashes as Bytes[],
        cp.checkpoint.rootHash,
      );
      return { p, result };
    },
    [index, leafHash, cp.raw],
  );
  if (proof.loading && !proof.data) return <Loading label="Loading the inclusion proof…" />;
  if (proof.error) return <ErrorBox error={proof.error} title="The inclusion proof could not be loaded." />;
  if (!proof.data) return null;
  const { p, result } = proof.data;
  if (!result) {
    return (
      <>
        <Notice kind="warning">
          <p>
            {webCryptoAvailable()
              ? "The node's proof could not be read."
              : "This page is not a secure context (https), so the browser cannot compute SHA-256 here. The proof's hashes are listed as the node sent them."}
          </p>
        </Notice>
        <ol class="mono small break" data-testid="inclusion-path">
          {p.inclusion_proof.map((h, i) => (
            <li key={i}>{h}</li>
          ))}
        </ol>
      </>
    );
  }
  return <InclusionPath result={result} index={index} treeSize={p.tree_size} root={cp.checkpoint.rootHash} testid="inclusion-path" />;
}

function EntryView({
  index,
  cp,
  onVerify,
  verifying,
}: {
  index: number;
  cp: LoadedCheckpoint | null;
  onVerify: (text: string, label: string, expectedLeaf: string) => void;
  verifying: boolean;
}) {
  const { session } = useSession();
  const [receiptError, setReceiptError] = useState<unknown>(null);
  const [fetching, setFetching] = useState(false);
  const { data, error, loading } = useLoad(
    (signal) => api.get<LedgerEntry>(`/ledger/entries/${seg(index)}`, { signal }),
    [index],
  );
  useEffect(() => setReceiptError(null), [index]);
  if (loading && !data) return <Loading label={`Loading entry #${index}…`} />;
  if (error) return <ErrorBox error={error} title={`Entry #${index} could not be loaded.`} />;
  if (!data) return null;
  const entry = data.entry ?? {};
  const type = typeof entry.type === "string" ? entry.type : "entry";
  const submission = typeof entry.submission_id === "string" ? entry.submission_id : null;
  const recorded = typeof entry.recorded_at === "string" ? entry.recorded_at : null;
  const covered = cp !== null && data.index < cp.size;
  const receiptPath = `/ledger/receipts/${seg(data.index)}`;

  const verify = async () => {
    setFetching(true);
    setReceiptError(null);
    try {
      const text = await api.get<string>(receiptPath, { as: "text" });
      onVerify(text, `The receipt for entry #${data.index}, fetched from this node and checked in this browser.`, data.leaf_hash);
    } catch (e) {
      setReceiptError(e);
    } finally {
      setFetching(false);
    }
  };

  return (
    <article class="card" data-testid="ledger-entry" data-index={data.index} aria-labelledby="entry-heading">
      <h2 id="entry-heading">
        Entry #{data.index}: {ENTRY_TYPES[type] ?? type}
      </h2>
      <dl class="facts">
        <div>
          <dt>Type</dt>
          <dd>
            <code>{type}</code>
          </dd>
        </div>
        {recorded && (
          <div>
            <dt>Recorded</dt>
            <dd>{formatDateTime(recorded)}</dd>
          </div>
        )}
        <div>
          <dt>Leaf hash</dt>
          <dd class="break mono" data-testid="entry-leaf-hash">
            {data.leaf_hash}
          </dd>
        </div>
        {submission && session && SUBMISSION_ROLES.includes(session.user.role) && (
          <div>
            <dt>Shipment</dt>
            <dd>
              <a href={"#/submissions/" + seg(submission)}>{submission}</a>
            </dd>
          </div>
        )}
      </dl>
      <h3>Contents</h3>
      <JsonView value={entry as Json} />
      <details class="entry-json">
        <summary>As JSON</summary>
        <pre class="receipt-text" tabIndex={0} aria-label={`Entry ${data.index} as JSON`} data-testid="entry-json">
          {JSON.stringify(entry, null, 2)}
        </pre>
      </details>

      <h3>Inclusion proof</h3>
      {!cp && <p class="muted">The proof is drawn against the latest checkpoint, which has not been read yet.</p>}
      {cp && !covered && (
        <p class="muted">
          This entry is newer than the latest checkpoint ({cp.size} entries). Its proof and receipt are available once
          the next checkpoint covers it; refresh the checkpoint in a moment.
        </p>
      )}
      {cp && covered && <ProofView index={data.index} leafHash={data.leaf_hash} cp={cp} />}

      <h3>Receipt</h3>
      {covered ? (
        <>
          <p class="muted small">
            A C2SP tlog-proof: the entry, this proof and the signed checkpoint in one file anyone can check offline (
            <code>traceport verify receipt FILE --log-key log.vkey</code>) or below.
          </p>
          <div class="receipt-actions">
            <a
              href={receiptPath}
              download={`traceport-entry-${data.index}.tlog-proof`}
              class="button-secondary"
              data-testid="receipt-download"
            >
              Download receipt
            </a>
            <button
              type="button"
              class="button-primary"
              onClick={() => void verify()}
              disabled={fetching || verifying}
              data-testid="receipt-verify"
            >
              {fetching || verifying ? "Verifying…" : "Verify this receipt in the browser"}
            </button>
          </div>
          {receiptError !== null && <ErrorBox error={receiptError} title="The receipt could not be fetched." />}
        </>
      ) : (
        <p class="muted">Not available yet.</p>
      )}
    </article>
  );
}

// ---- Receipt verification ----

interface Source {
  text: string;
  label: string;
  expectedLeaf?: string;
  // Bumped for each new request, so the verdict takes focus once per user action.
  serial: number;
}

const MAX_RECEIPT_BYTES = 4 * 1024 * 1024;

function ReceiptChecker({
  source,
  report,
  busy,
  keysForm,
  onFile,
  fileError,
}: {
  source: Source | null;
  report: ReceiptReport | null;
  busy: boolean;
  keysForm: ComponentChildren;
  onFile: (file: File) => void;
  fileError: string | null;
}) {
  const [dragging, setDragging] = useState(false);
  return (
    <section class="card" aria-labelledby="receipt-check-heading" data-testid="receipt-checker" id="receipt-checker">
      <h2 id="receipt-check-heading">Verify a receipt in this browser</h2>
      <p class="muted">
        The browser recomputes the entry's leaf hash, follows the Merkle path to the checkpoint's root (RFC 9162,
        SHA-256) and checks the checkpoint's Ed25519 signatures with the keys you give. Nothing is sent to the
        server.
      </p>
      {keysForm}
      <div
        class={`dropzone ${dragging ? "dragging" : ""}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          const file = e.dataTransfer?.files?.[0];
          if (file) onFile(file);
        }}
      >
        <p>Drop a receipt file here (a .tlog-proof, or the node's JSON receipt), or</p>
        <label for="receipt-file" class="file-label">
          Choose a receipt file
        </label>
        <input
          id="receipt-file"
          type="file"
          accept=".tlog-proof,.txt,.json,text/plain,application/json"
          class="file-input"
          onChange={(e) => {
            const input = e.currentTarget as HTMLInputElement;
            const file = input.files?.[0];
            if (file) onFile(file);
            input.value = "";
          }}
          aria-describedby={fileError ? "receipt-file-error" : undefined}
          data-testid="receipt-file"
        />
        {fileError && (
          <p class="field-error" id="receipt-file-error" role="alert">
            {fileError}
          </p>
        )}
      </div>
      <div aria-live="polite">
        {busy && <Loading label="Checking the receipt…" />}
        {!busy && report && source && <ReceiptVerdict report={report} label={source.label} expectedLeaf={source.expectedLeaf} />}
      </div>
    </section>
  );
}

export function LedgerPage({ query }: { query: URLSearchParams }) {
  useTitle("Ledger");
  const raw = query.get("index");
  const type = query.get("type") ?? "";
  const index = raw !== null && /^\d{1,15}$/.test(raw) ? Number(raw) : null;
  const [input, setInput] = useState(raw ?? "");
  const [inputError, setInputError] = useState<string | null>(null);
  useEffect(() => setInput(raw ?? ""), [raw]);

  const checkpoint = useLoad((signal) => loadCheckpoint(signal), []);
  const cp = isParsed(checkpoint.data) ? checkpoint.data : null;

  const [keyState, setKeys] = useVerifierKeys();
  const [source, setSource] = useState<Source | null>(null);
  const [report, setReport] = useState<ReceiptReport | null>(null);
  const [busy, setBusy] = useState(false);
  const [fileError, setFileError] = useState<string | null>(null);
  const focused = useRef(0);
  const serial = useRef(0);

  // (Re)check whenever the receipt or the keys change.
  useEffect(() => {
    if (!source) return;
    let cancelled = false;
    setBusy(true);
    void verifyReceipt(source.text, keyState.keys).then((r) => {
      if (cancelled) return;
      setReport(r);
      setBusy(false);
      if (focused.current !== source.serial) {
        focused.current = source.serial;
        requestAnimationFrame(() => {
          const el = document.querySelector<HTMLElement>("[data-testid=receipt-verdict]");
          el?.focus();
          el?.scrollIntoView({ block: "start" });
        });
      }
    });
    return () => {
      cancelled = true;
    };
  }, [source, keyState.keys]);

  const check = (text: string, label: string, expectedLeaf?: string) => {
    serial.current += 1;
    setFileError(null);
    setSource({ text, label, expectedLeaf, serial: serial.current });
  };

  const readFile = async (file: File) => {
    if (file.size > MAX_RECEIPT_BYTES) {
      setFileError(`${file.name} is larger than 4 MiB, more than any receipt.`);
      return;
    }
    try {
      check(await file.text(), `The file ${file.name}, checked in this browser.`);
    } catch {
      setFileError(`${file.name} could not be read.`);
    }
  };

  const go = (e: Event) => {
    e.preventDefault();
    const t = input.trim();
    if (!/^\d{1,15}$/.test(t)) {
      setInputError("Enter an entry number: a whole number from 0.");
      return;
    }
    if (cp && Number(t) >= cp.size) {
      setInputError(`The latest checkpoint has ${cp.size} entries, numbered 0 to ${cp.size - 1}.`);
      return;
    }
    setInputError(null);
    navigate(href("/ledger", { index: Number(t), type: type || undefined }));
  };

  return (
    <section>
      <h1>Ledger</h1>
      <p class="muted">
        Every shipment received, decision, credential issued and registry change is an entry in this node's
        append-only, tamper-evident ledger. The checkpoint below is signed by the log (and cosigned by witnesses when
        the node has them); a receipt proves an entry is included under it.
      </p>
      <CheckpointCard
        cp={checkpoint.data}
        error={checkpoint.error}
        loading={checkpoint.loading}
        reload={checkpoint.reload}
        keys={keyState.keys}
      />
      <form class="card form inline-form" onSubmit={go} noValidate data-testid="ledger-form" aria-label="Open an entry">
        <div class="field">
          <label for="ledger-index">Entry number</label>
          <input
            id="ledger-index"
            type="text"
            inputMode="numeric"
            value={input}
            onInput={(e) => setInput((e.currentTarget as HTMLInputElement).value)}
            aria-invalid={inputError ? "true" : undefined}
            aria-describedby={inputError ? "ledger-index-error" : undefined}
            data-testid="ledger-index"
          />
          {inputError && (
            <p class="field-error" id="ledger-index-error">
              {inputError}
            </p>
          )}
        </div>
        <button type="submit" class="button-primary" data-testid="ledger-show">
          Show entry
        </button>
        {cp && cp.size > 0 && (
          <button
            type="button"
            class="button-secondary"
            onClick={() => navigate(href("/ledger", { index: cp.size - 1, type: type || undefined }))}
          >
            Latest entry
          </button>
        )}
      </form>
      {index !== null && (
        <>
          <nav class="pager" aria-label="Neighbouring entries">
            {index > 0 ? <a href={href("/ledger", { index: index - 1, type: type || undefined })}>← Entry #{index - 1}</a> : <span />}
            {(!cp || index + 1 < cp.size) && (
              <a href={href("/ledger", { index: index + 1, type: type || undefined })}>Entry #{index + 1} →</a>
            )}
          </nav>
          <EntryView index={index} cp={cp} onVerify={check} verifying={busy} />
        </>
      )}
      <ReceiptChecker
        source={source}
        report={report}
        busy={busy}
        onFile={(f) => void readFile(f)}
        fileError={fileError}
        keysForm={<KeysForm state={keyState} onChange={setKeys} />}
      />
      {cp && <BrowseEntries size={cp.size} type={type} />}
    </section>
  );
}
