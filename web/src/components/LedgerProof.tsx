// Pieces of the ledger explorer: an inclusion proof drawn as the path from a leaf to the root,
// a checkpoint's signature lines labelled (log or witness), the keys an auditor verifies with,
// and the verdict of a receipt checked in the browser (tlog.ts).
import { useEffect, useState } from "preact/hooks";
import type { Json } from "../credential";
import {
  type Bytes,
  type InclusionResult,
  type Outcome,
  type ReceiptReport,
  type SignatureCheck,
  type SignatureLine,
  type VerifierKey,
  FormatError,
  parseVerifierKey,
  toBase64,
  webCryptoAvailable,
} from "../tlog";
import { JsonView } from "./JsonView";

// ---- The Merkle path ----

function Hash({ value }: { value: Bytes | string }) {
  return <code class="hash">{typeof value === "string" ? value : toBase64(value)}</code>;
}

export function InclusionPath({
  result,
  index,
  treeSize,
  root,
  testid,
}: {
  result: InclusionResult;
  index: number | bigint;
  treeSize: number | bigint;
  // The root the path must reach (the checkpoint's).
  root: Bytes;
  testid: string;
}) {
  const captionId = `${testid}-caption`;
  return (
    <figure class="merkle-path" data-testid={testid} data-matches={String(result.ok)} aria-labelledby={captionId}>
      <figcaption id={captionId}>
        How entry #{String(index)} leads to the root of the tree of {String(treeSize)} entries:{" "}
        {result.steps.length === 0 ? "the entry is the only leaf" : `${result.steps.length} hashes from the proof`}.
        Each step hashes the two nodes with SHA-256(0x01 ‖ left ‖ right).
      </figcaption>
      <ol class="merkle-steps">
        <li class="merkle-step merkle-leaf">
          <p class="merkle-level">Leaf: entry #{String(index)}</p>
          <div class="merkle-node is-path">
            <span class="merkle-tag">SHA-256(0x00 ‖ entry)</span>
            <Hash value={result.leaf} />
          </div>
        </li>
        {result.steps.map((s, i) => {
          const path = (
            <div class="merkle-node is-path">
              <span class="merkle-tag">{s.siblingSide === "left" ? "Right" : "Left"}: the path so far</span>
              <Hash value={s.node} />
            </div>
          );
          const sibling = (
            <div class="merkle-node is-sibling">
              <span class="merkle-tag">{s.siblingSide === "left" ? "Left" : "Right"}: sibling from the proof</span>
              <Hash value={s.sibling} />
            </div>
          );
          return (
            <li class="merkle-step" key={i} data-side={s.siblingSide}>
              <p class="merkle-level">
                Step {i + 1}, level {s.level}: the sibling is on the <strong>{s.siblingSide}</strong>
              </p>
              <div class="merkle-pair">
                {s.siblingSide === "left" ? (
                  <>
                    {sibling}
                    {path}
                  </>
                ) : (
                  <>
                    {path}
                    {sibling}
                  </>
                )}
              </div>
              <p class="merkle-parent">
                <span class="merkle-arrow" aria-hidden="true">
                  ↓
                </span>{" "}
                parent at level {s.level + 1}: <Hash value={s.parent} />
              </p>
            </li>
          );
        })}
        <li class={`merkle-step merkle-root ${result.ok ? "is-ok" : "is-bad"}`}>
          <p class="merkle-level">Root</p>
          <div class="merkle-node is-path">
            <span class="merkle-tag">Signed in the checkpoint</span>
            <Hash value={root} />
          </div>
          <p class={result.ok ? "field-ok" : "field-error"}>
            {result.ok
              ? "✓ The computed root equals the checkpoint's root hash."
              : `${result.problem ?? "The path does not lead to the checkpoint's root."}${
                  result.computedRoot ? ` Computed: ${toBase64(result.computedRoot)}.` : ""
                }`}
          </p>
        </li>
      </ol>
    </figure>
  );
}

// ---- Signature lines ----

function formatTimestamp(seconds: number | undefined): string {
  if (seconds === undefined) return "";
  return new Date(seconds * 1000).toISOString().replace(".000Z", "Z");
}

const ROLE_LABELS: Record<SignatureCheck["role"], string> = {
  log: "Log signature",
  witness: "Witness cosignature",
  unknown: "Other signature",
};

export const OUTCOME_TEXT: Record<Outcome, { icon: string; text: string; cls: string }> = {
  pass: { icon: "✓", text: "Verified", cls: "check-pass" },
  fail: { icon: "✗", text: "Failed", cls: "check-fail" },
  "not-checked": { icon: "–", text: "Not checked", cls: "check-skipped" },
};

export function OutcomeBadge({ outcome }: { outcome: Outcome }) {
  const o = OUTCOME_TEXT[outcome];
  return (
    <span class={`badge ${o.cls}`}>
      <span aria-hidden="true">{o.icon} </span>
      {o.text}
    </span>
  );
}

export function roleOf(line: SignatureLine, origin: string, keys: VerifierKey[]): SignatureCheck["role"] {
  const key = keys.find((k) => k.name === line.name && k.keyId === line.keyId);
  if (key) return key.type === 0x01 ? "log" : "witness";
  if (line.kind === "cosignature") return "witness";
  if (line.kind === "ed25519" && line.name === origin) return "log";
  return "unknown";
}

export function SignatureList({ checks, testid }: { checks: SignatureCheck[]; testid: string }) {
  if (checks.length === 0) return <p class="muted">No signatures.</p>;
  return (
    <ul class="checks signature-list">
      {checks.map((c, i) => (
        <li key={i} class="check" data-testid={testid} data-role={c.role} data-outcome={c.outcome}>
          <div class="check-head">
            <OutcomeBadge outcome={c.outcome} />
            <span class="check-name">{ROLE_LABELS[c.role]}</span>
            <span class="break">{c.line.name}</span>
            <code class="check-id">key ID {c.line.keyId}</code>
          </div>
          <p class="check-explains">
            {c.line.kind === "cosignature" && <>Cosigned {formatTimestamp(c.line.timestamp)}. </>}
            {c.detail}
          </p>
        </li>
      ))}
    </ul>
  );
}

// ---- The keys an auditor verifies with ----

const KEYS_STORAGE = "traceport.ledger-keys";

export interface KeyState {
  logText: string;
  witnessText: string;
  keys: VerifierKey[];
  logError: string | null;
  witnessError: string | null;
}

function loadSaved(): { logText: string; witnessText: string } {
  try {
    const v = JSON.parse(localStorage.getItem(KEYS_STORAGE) ?? "{}");
    return {
      logText: typeof v.logText === "string" ? v.logText : "",
      witnessText: typeof v.witnessText === "string" ? v.witnessText : "",
    };
  } catch {
    return { logText: "", witnessText: "" };
  }
}

// The keys typed (or remembered from last time), parsed; public keys only, so keeping them in
// this browser's storage is harmless.
export function useVerifierKeys(): [KeyState, (logText: string, witnessText: string) => void] {
  const [texts, setTexts] = useState(loadSaved);
  const [state, setState] = useState<KeyState>({ ...texts, keys: [], logError: null, witnessError: null });
  useEffect(() => {
    let cancelled = false;
    (async () => {
      const keys: VerifierKey[] = [];
      let logError: string | null = null;
      let witnessError: string | null = null;
      if (!webCryptoAvailable()) {
        if (texts.logText.trim() || texts.witnessText.trim()) {
          logError = "This page is not a secure context (https), so keys cannot be checked here.";
        }
      } else {
        if (texts.logText.trim()) {
          try {
            const k = await parseVerifierKey(texts.logText);
            if (k.type !== 0x01) logError = "This is a witness key (type 0x04), not a log key (type 0x01).";
            else keys.push(k);
          } catch (e) {
            logError = e instanceof FormatError ? e.message : "This key could not be read.";
          }
        }
        const lines = texts.witnessText.split("\n").map((l) => l.trim()).filter(Boolean);
        for (const [i, line] of lines.entries()) {
          try {
            const k = await parseVerifierKey(line);
            if (k.type !== 0x04) witnessError = `Line ${i + 1} is a log key (type 0x01), not a witness key (type 0x04).`;
            else keys.push(k);
          } catch (e) {
            witnessError = `Line ${i + 1}: ${e instanceof FormatError ? e.message : "this key could not be read."}`;
          }
        }
      }
      if (cancelled) return;
      setState({ ...texts, keys, logError, witnessError });
      try {
        localStorage.setItem(KEYS_STORAGE, JSON.stringify(texts));
      } catch {
        // Storage may be off (private browsing); the keys still work for this visit.
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [texts.logText, texts.witnessText]);
  return [state, (logText, witnessText) => setTexts({ logText, witnessText })];
}

export function KeysForm({ state, onChange }: { state: KeyState; onChange: (log: string, witness: string) => void }) {
  return (
    <div class="form keys-form" data-testid="ledger-keys">
      <div class="field">
        <label for="ledger-log-key">The log's public key</label>
        <p class="hint" id="ledger-log-key-hint">
          Its verifier key, as in the node's <code>ledger/log.vkey</code>: <code>name+keyid+base64</code>. The node does not
          serve it: get it from the ledger's operator, since a key taken from the same server would prove nothing.
        </p>
        <input
          id="ledger-log-key"
          type="text"
          class="mono"
          spellcheck={false}
          autoComplete="off"
          value={state.logText}
          onInput={(e) => onChange((e.currentTarget as HTMLInputElement).value, state.witnessText)}
          aria-invalid={state.logError ? "true" : undefined}
          aria-describedby={`ledger-log-key-hint${state.logError ? " ledger-log-key-error" : ""}`}
          data-testid="ledger-log-key"
        />
        {state.logError && (
          <p class="field-error" id="ledger-log-key-error">
            {state.logError}
          </p>
        )}
        {!state.logError && state.keys.some((k) => k.type === 0x01) && (
          <p class="field-ok">Key read: {state.keys.find((k) => k.type === 0x01)?.name}, key ID {state.keys.find((k) => k.type === 0x01)?.keyId}.</p>
        )}
      </div>
      <div class="field">
        <label for="ledger-witness-keys">Witness keys (optional, one per line)</label>
        <textarea
          id="ledger-witness-keys"
          rows={2}
          class="mono"
          spellcheck={false}
          value={state.witnessText}
          onInput={(e) => onChange(state.logText, (e.currentTarget as HTMLTextAreaElement).value)}
          aria-invalid={state.witnessError ? "true" : undefined}
          aria-describedby={state.witnessError ? "ledger-witness-keys-error" : undefined}
        />
        {state.witnessError && (
          <p class="field-error" id="ledger-witness-keys-error">
            {state.witnessError}
          </p>
        )}
      </div>
    </div>
  );
}

// ---- The verdict ----

export function ReceiptVerdict({
  report,
  label,
  expectedLeaf,
}: {
  report: ReceiptReport;
  label: string;
  // The node's leaf hash for the entry, when the receipt came from an entry shown here.
  expectedLeaf?: string;
}) {
  const headline = !report.valid
    ? "Receipt does not verify"
    : report.complete
      ? "Receipt verified"
      : "Entry included; the log's signature was not checked";
  const computedLeaf = report.inclusion ? toBase64(report.inclusion.leaf) : null;
  const entryType =
    report.entry && typeof report.entry === "object" && typeof (report.entry as Record<string, unknown>).type === "string"
      ? String((report.entry as Record<string, unknown>).type)
      : null;
  return (
    <section
      class={`verify-result receipt-verdict ${report.valid ? (report.complete ? "verified" : "partly-verified") : "not-verified"}`}
      aria-labelledby="receipt-verdict-heading"
      data-testid="receipt-verdict"
      data-valid={String(report.valid)}
      data-complete={String(report.complete)}
      tabIndex={-1}
    >
      <h3 id="receipt-verdict-heading" class="verdict">
        <span aria-hidden="true">{report.valid ? (report.complete ? "✓ " : "◐ ") : "✗ "}</span>
        {headline}
      </h3>
      <p class="muted small">{label}</p>
      <p class="verdict-text">
        {!report.valid
          ? `${
              report.problem ??
              (report.logSignature === "fail"
                ? report.logSignatureNote ?? "The checkpoint's signature does not verify with the log key you gave."
                : "A witness's cosignature on the checkpoint does not verify with the key you gave.")
            } Do not rely on this receipt.`
          : report.complete
            ? "The entry's hash leads through the proof to the checkpoint's root, and the log signed that checkpoint with the key you gave."
            : `The entry's hash leads through the proof to the checkpoint's root. ${report.logSignatureNote ?? ""} Without it, the receipt shows the entry is in this tree, not that the log vouched for the tree.`}
      </p>
      {report.receipt && report.checkpoint && (
        <dl class="facts">
          <div>
            <dt>Entry</dt>
            <dd>
              #{String(report.receipt.index)}
              {entryType && (
                <>
                  {" "}
                  (<code>{entryType}</code>)
                </>
              )}
            </dd>
          </div>
          <div>
            <dt>Log</dt>
            <dd class="break">{report.checkpoint.origin}</dd>
          </div>
          <div>
            <dt>Tree size</dt>
            <dd>{String(report.checkpoint.size)}</dd>
          </div>
          <div>
            <dt>Root hash</dt>
            <dd class="break mono">{report.checkpoint.rootBase64}</dd>
          </div>
          {computedLeaf && (
            <div>
              <dt>Leaf hash (computed here)</dt>
              <dd class="break mono">{computedLeaf}</dd>
            </div>
          )}
        </dl>
      )}
      <h4>What was checked</h4>
      <ul class="checks">
        {report.receipt && (
          <li class="check">
            <div class="check-head">
              <OutcomeBadge outcome={report.receipt.extra ? "pass" : "not-checked"} />
              <span class="check-name">Leaf hash from the entry</span>
            </div>
            <p class="check-explains">
              {report.receipt.extra
                ? `SHA-256(0x00 ‖ the ${report.entryBytes} bytes of the entry in the receipt).`
                : "The receipt carries no entry."}
              {expectedLeaf && computedLeaf && (
                <>
                  {" "}
                  {expectedLeaf === computedLeaf
                    ? "It equals the node's leaf hash for this entry."
                    : "It differs from the node's leaf hash for this entry."}
                </>
              )}
            </p>
          </li>
        )}
        {report.inclusion && (
          <li class="check" data-testid="receipt-check-inclusion" data-outcome={report.inclusion.ok ? "pass" : "fail"}>
            <div class="check-head">
              <OutcomeBadge outcome={report.inclusion.ok ? "pass" : "fail"} />
              <span class="check-name">Merkle path to the checkpoint's root (RFC 9162)</span>
            </div>
            <p class="check-explains">
              {report.inclusion.ok
                ? `${report.inclusion.steps.length} proof hashes lead from the leaf to the root hash the checkpoint names.`
                : report.inclusion.problem}
            </p>
          </li>
        )}
        {report.checkpoint && (
          <li class="check" data-testid="receipt-check-signature" data-outcome={report.logSignature}>
            <div class="check-head">
              <OutcomeBadge outcome={report.logSignature} />
              <span class="check-name">The log's Ed25519 signature on the checkpoint</span>
            </div>
            <p class="check-explains">
              {report.logSignature === "pass"
                ? "Verified with WebCrypto against the log key you gave."
                : report.logSignatureNote ?? "A signature from the log key you gave does not verify."}
            </p>
          </li>
        )}
      </ul>
      {report.signatures.length > 0 && (
        <>
          <h4>Signature lines on the checkpoint</h4>
          <SignatureList checks={report.signatures} testid="receipt-signature" />
        </>
      )}
      {report.inclusion && report.receipt && report.checkpoint && (
        <details class="receipt-path-details">
          <summary>The path from the entry to the root</summary>
          <InclusionPath
            result={report.inclusion}
            index={report.receipt.index}
            treeSize={report.checkpoint.size}
            root={report.checkpoint.rootHash}
            testid="receipt-path"
          />
        </details>
      )}
      {report.entry !== undefined && (
        <details>
          <summary>The entry in the receipt</summary>
          <JsonView value={report.entry as Json} />
        </details>
      )}
      <p class="muted small">
        Checked in this browser with WebCrypto (SHA-256{report.logSignature === "pass" ? ", Ed25519" : ""}); nothing was
        sent to the server. In edge cases (unusual key or signature encodings) the browser's Ed25519 rules may
        differ from the node's libsodium policy (docs/crypto.md); <code>traceport verify receipt</code> applies that
        policy.
      </p>
    </section>
  );
}
