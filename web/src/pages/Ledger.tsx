// The ledger explorer: the latest signed checkpoint (how big the log is and its root hash, as
// witnesses cosign it), and any entry by its index with its receipt. The ledger's routes are
// public; the portal only makes them readable.
import { useEffect, useState } from "preact/hooks";
import { api, seg } from "../api";
import { ErrorBox, Loading } from "../components/Feedback";
import { JsonView } from "../components/JsonView";
import { Receipt } from "../components/Receipt";
import type { Json } from "../credential";
import { formatDateTime } from "../format";
import { useLoad, useTitle } from "../hooks";
import { href, navigate } from "../router";
import { SUBMISSION_ROLES, useSession } from "../session";
import type { LedgerEntry } from "../types";

interface Checkpoint {
  origin: string;
  size: number;
  rootHash: string;
  signers: string[];
}

// A C2SP signed note: origin, tree size, root hash, then a blank line and "— name sig" lines.
function parseCheckpoint(text: string): Checkpoint | null {
  const [body, sigs = ""] = text.split("\n\n");
  const lines = body.split("\n");
  if (lines.length < 3) return null;
  const size = Number(lines[1]);
  if (!Number.isSafeInteger(size)) return null;
  const signers = sigs
    .split("\n")
    .filter((l) => l.startsWith("\u2014 "))
    .map((l) => l.slice(2).split(" ")[0]);
  return { origin: lines[0], size, rootHash: lines[2], signers };
}

const ENTRY_TYPES: Record<string, string> = {
  "submission.received": "Shipment received by customs",
  "decision.recorded": "Customs decision recorded",
  "credential.anchor": "Credential issued",
  "credential.status": "Credential status changed",
  "registry.update": "Trust registry changed",
  "key.rotated": "Organization keys rotated",
  "duty.paid": "Duty paid",
};

function EntryView({ index }: { index: number }) {
  const { session } = useSession();
  const { data, error, loading } = useLoad(
    (signal) => api.get<LedgerEntry>(`/ledger/entries/${seg(index)}`, { signal }),
    [index],
  );
  if (loading && !data) return <Loading label={`Loading entry #${index}…`} />;
  if (error) return <ErrorBox error={error} title={`Entry #${index} could not be loaded.`} />;
  if (!data) return null;
  const entry = data.entry ?? {};
  const type = typeof entry.type === "string" ? entry.type : "entry";
  const submission = typeof entry.submission_id === "string" ? entry.submission_id : null;
  const recorded = typeof entry.recorded_at === "string" ? entry.recorded_at : null;
  return (
    <article class="card" data-testid="ledger-entry" data-index={data.index}>
      <h2>
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
          <dd class="break mono">{data.leaf_hash}</dd>
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
      <ul class="receipts">
        <Receipt index={data.index} what="This entry" />
      </ul>
    </article>
  );
}

export function LedgerPage({ query }: { query: URLSearchParams }) {
  useTitle("Ledger");
  const raw = query.get("index");
  const index = raw !== null && /^\d{1,15}$/.test(raw) ? Number(raw) : null;
  const [input, setInput] = useState(raw ?? "");
  const [inputError, setInputError] = useState<string | null>(null);
  useEffect(() => setInput(raw ?? ""), [raw]);

  const checkpoint = useLoad((signal) => api.get<string>("/checkpoint", { as: "text", signal }), []);
  const parsed = checkpoint.data ? parseCheckpoint(checkpoint.data) : null;

  const go = (e: Event) => {
    e.preventDefault();
    const t = input.trim();
    if (!/^\d{1,15}$/.test(t)) {
      setInputError("Enter an entry number: a whole number from 0.");
      return;
    }
    if (parsed && Number(t) >= parsed.size) {
      setInputError(`The ledger has ${parsed.size} entries, numbered 0 to ${parsed.size - 1}.`);
      return;
    }
    setInputError(null);
    navigate(href("/ledger", { index: Number(t) }));
  };

  return (
    <section>
      <h1>Ledger</h1>
      <p class="muted">
        Every shipment received, decision, credential issued and registry change is an entry in this node's
        append-only, tamper-evident ledger. The checkpoint below is signed; receipts prove an entry is included.
      </p>
      <section class="card" aria-labelledby="checkpoint-heading" data-testid="checkpoint">
        <div class="page-head">
          <h2 id="checkpoint-heading">Latest checkpoint</h2>
          <button type="button" class="button-secondary" onClick={checkpoint.reload} disabled={checkpoint.loading}>
            Refresh
          </button>
        </div>
        {checkpoint.error !== undefined && checkpoint.error !== null && (
          <ErrorBox error={checkpoint.error} title="The checkpoint could not be loaded." />
        )}
        {checkpoint.loading && !checkpoint.data && <Loading />}
        {checkpoint.data &&
          (parsed ? (
            <dl class="facts">
              <div>
                <dt>Log</dt>
                <dd class="break">{parsed.origin}</dd>
              </div>
              <div>
                <dt>Entries</dt>
                <dd data-testid="checkpoint-size">{parsed.size}</dd>
              </div>
              <div>
                <dt>Root hash</dt>
                <dd class="break mono">{parsed.rootHash}</dd>
              </div>
              <div>
                <dt>Signed by</dt>
                <dd>{parsed.signers.length ? parsed.signers.join(", ") : "—"}</dd>
              </div>
            </dl>
          ) : (
            <pre class="receipt-text">{checkpoint.data}</pre>
          ))}
      </section>
      <form class="card form inline-form" onSubmit={go} noValidate data-testid="ledger-form">
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
        <button type="submit" class="button-primary">
          Show entry
        </button>
        {parsed && parsed.size > 0 && (
          <button
            type="button"
            class="button-secondary"
            onClick={() => navigate(href("/ledger", { index: parsed.size - 1 }))}
          >
            Latest entry
          </button>
        )}
      </form>
      {index !== null && (
        <>
          <nav class="pager" aria-label="Neighbouring entries">
            {index > 0 && <a href={href("/ledger", { index: index - 1 })}>← Entry #{index - 1}</a>}
            {(!parsed || index + 1 < parsed.size) && <a href={href("/ledger", { index: index + 1 })}>Entry #{index + 1} →</a>}
          </nav>
          <EntryView index={index} />
        </>
      )}
    </section>
  );
}
