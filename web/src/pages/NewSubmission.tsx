// The importer's "New submission": the credentials its organization holds (sent by the mills,
// producers, carriers and sellers that issued them), picked into one shipment's
// TraceablePresentation, signed by the node as the organization and submitted to customs
// (GET /wallet/credentials, GET /wallet/destinations, POST /wallet/submissions). A credential
// received outside the node can be added first (POST /wallet/credentials).
import { useMemo, useRef, useState } from "preact/hooks";
import { api } from "../api";
import { RiskBadge, VerifiedBadge } from "../components/Badges";
import { ErrorBox, Loading, Notice } from "../components/Feedback";
import { parseCredentialInput } from "../credential";
import { formatDateTime, plural, shortDid, shortId, typeName, WORKFLOWS } from "../format";
import { useLoad, useTitle } from "../hooks";
import { href } from "../router";

export interface HeldCredential {
  digest: string;
  id?: string;
  types: string[];
  issuer: string;
  issuerName?: string;
  verified: boolean;
  failure?: string;
  label?: string;
  receivedFrom?: string;
  receivedAt: string;
  checkedAt?: string;
  submittedIn?: string | null;
}

interface Destination {
  slug: string;
  name: string;
  did: string;
}

interface SubmitAnswer {
  id: string;
  count: number; // how many credentials went (added here, not by the server)
  customsName: string;
  verified: boolean;
  ledgerIndex?: number | null;
  submission?: { risk?: number; status?: string; findings?: { ruleId: string; severity: string }[] };
}

const MAX_BYTES = 1 << 20;
const WORKFLOW_BASE = "https://traceport.dev/workflows/";

// The document type a person reads: the last type that is not the generic one.
export function documentType(c: HeldCredential): string {
  const specific = c.types.filter((t) => t !== "VerifiableCredential");
  return specific[specific.length - 1] ?? "VerifiableCredential";
}

// "billOfLadingNumber LSXF4735596" -> "Bill of lading LSXF4735596"; the credential id when the
// document has no number.
export function referenceText(c: HeldCredential): string {
  const m = /^(\S+)\s+(.*)$/.exec(c.label ?? "");
  if (!m) return shortId(c.id);
  const words = m[1]
    .replace(/(Number|Id)$/, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase();
  const name = words.replace(/^doe /, "DOE ");
  return `${name.charAt(0).toUpperCase()}${name.slice(1)} ${m[2]}`;
}

// Which workflow a set of documents looks like, from their types (the person can change it).
export function guessWorkflow(types: string[]): string {
  const has = (re: RegExp) => types.some((t) => re.test(t));
  if (has(/MonthlyAdvanceManifest|MonthlyAggregateDelivery|DOE/i)) return "natural-gas-import";
  if (has(/OilAndGas|DeliveryTicket|DeliverySchedule|DeliveryStatement/)) return "crude-oil-import";
  return "steel-import";
}

function AddCredential({ onAdded }: { onAdded: (c: HeldCredential & { new: boolean }) => void }) {
  const [text, setText] = useState("");
  const [inputError, setInputError] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);
  const [added, setAdded] = useState<string | null>(null);

  const readFile = async (file: File) => {
    if (file.size > MAX_BYTES) {
      setInputError(`${file.name} is larger than 1 MiB, the most the server accepts.`);
      return;
    }
    try {
      setText(await file.text());
      setInputError(null);
    } catch {
      setInputError(`${file.name} could not be read.`);
    }
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (pending) return;
    setAdded(null);
    setError(null);
    const parsed = parseCredentialInput(text);
    if ("error" in parsed) {
      setInputError(parsed.error);
      document.getElementById("held-input")?.focus();
      return;
    }
    setInputError(null);
    setPending(true);
    try {
      const r = await api.post<HeldCredential & { new: boolean }>("/wallet/credentials", {
        credential: parsed.credential,
        receivedFrom: "added in the portal",
      });
      setAdded(
        `${typeName(documentType(r))} ${r.new ? "added" : "was already here; its checks were run again"}${
          r.verified ? "." : `; it fails a check (${r.failure}).`
        }`,
      );
      setText("");
      onAdded(r);
    } catch (err) {
      setError(err);
    } finally {
      setPending(false);
    }
  };

  return (
    <details class="status-by-id" data-testid="held-add">
      <summary>Add a credential you received another way</summary>
      <form class="form" onSubmit={submit} noValidate>
        <div class="field">
          <label for="held-input">Credential (JSON or vc+jwt)</label>
          <p class="hint" id="held-input-hint">
            It is verified when added and kept even if a check fails, so that you see the problem before customs does.
          </p>
          <textarea
            id="held-input"
            rows={6}
            class="mono"
            spellcheck={false}
            value={text}
            onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)}
            aria-invalid={inputError ? true : undefined}
            aria-describedby={`held-input-hint${inputError ? " held-input-error" : ""}`}
            data-testid="held-input"
          />
          {inputError && (
            <p class="field-error" id="held-input-error">
              {inputError}
            </p>
          )}
        </div>
        <div class="field">
          <label for="held-file">Or a file</label>
          <input
            id="held-file"
            type="file"
            accept=".json,.jwt,application/json,text/plain"
            onChange={(e) => {
              const f = (e.currentTarget as HTMLInputElement).files?.[0];
              if (f) void readFile(f);
            }}
          />
        </div>
        {error !== null && <ErrorBox error={error} title="The credential was not added." testid="held-add-error" />}
        {added && (
          <Notice kind="success" testid="held-added">
            <p>{added}</p>
          </Notice>
        )}
        <button type="submit" class="button-secondary" disabled={pending}>
          {pending ? "Adding…" : "Add to our credentials"}
        </button>
      </form>
    </details>
  );
}

export function NewSubmissionPage() {
  useTitle("New submission");
  const wallet = useLoad((signal) => api.get<{ items: HeldCredential[] }>("/wallet/credentials", { signal }), []);
  const places = useLoad((signal) => api.get<{ items: Destination[] }>("/wallet/destinations", { signal }), []);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [showSubmitted, setShowSubmitted] = useState(false);
  const [customs, setCustoms] = useState("");
  const [workflow, setWorkflow] = useState("");
  const [formError, setFormError] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [answer, setAnswer] = useState<SubmitAnswer | null>(null);
  const [pending, setPending] = useState(false);
  const resultRef = useRef<HTMLDivElement>(null);

  const items = wallet.data?.items ?? [];
  const shown = useMemo(() => items.filter((c) => showSubmitted || !c.submittedIn), [items, showSubmitted]);
  // Only what is on screen goes: hiding submitted credentials also un-picks them.
  const chosen = shown.filter((c) => picked.has(c.digest));
  const failing = chosen.filter((c) => !c.verified);
  const destinations = places.data?.items ?? [];
  const destination = customs || destinations[0]?.slug || "";
  const workflowValue = workflow || guessWorkflow(chosen.map(documentType));

  const toggle = (digest: string) => {
    setFormError(null);
    setPicked((old) => {
      const next = new Set(old);
      if (next.has(digest)) next.delete(digest);
      else next.add(digest);
      return next;
    });
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (pending) return;
    setAnswer(null);
    setError(null);
    if (chosen.length === 0) {
      setFormError("Pick the credentials of one shipment first.");
      return;
    }
    if (!destination) {
      setFormError("No customs organization on this node receives submissions.");
      return;
    }
    setFormError(null);
    setPending(true);
    try {
      const r = await api.post<SubmitAnswer>("/wallet/submissions", {
        customs: destination,
        credentials: chosen.map((c) => c.digest),
        workflow: { definition: [WORKFLOW_BASE + workflowValue + "/v1"] },
      });
      const name = destinations.find((d) => d.slug === destination)?.name ?? destination;
      setAnswer({ ...r, count: chosen.length, customsName: name });
      setPicked(new Set());
      wallet.reload();
      requestAnimationFrame(() => resultRef.current?.focus());
    } catch (err) {
      setError(err);
    } finally {
      setPending(false);
    }
  };

  return (
    <section>
      <div class="page-head">
        <h1>New submission</h1>
        <button type="button" class="button-secondary" onClick={wallet.reload} disabled={wallet.loading}>
          Refresh
        </button>
      </div>
      <p class="muted">
        Pick the documents of one shipment from the credentials your organization holds: those your suppliers and
        carriers delivered to it, through your systems or added below. The node signs them as your organization and
        submits them to customs before the goods arrive; customs checks every one again.
      </p>
      <AddCredential onAdded={() => wallet.reload()} />
      {wallet.error !== undefined && wallet.error !== null && (
        <ErrorBox error={wallet.error} title="Your credentials could not be loaded." onRetry={wallet.reload} />
      )}
      {places.error !== undefined && places.error !== null && (
        <ErrorBox error={places.error} title="The customs organizations could not be loaded." onRetry={places.reload} />
      )}
      {wallet.loading && !wallet.data && <Loading label="Loading your credentials…" />}
      {answer && (
        <div ref={resultRef} tabIndex={-1} data-testid="submit-result">
          <Notice kind="success">
            <p class="notice-title">
              Submitted {plural(answer.count, "credential")} to {answer.customsName}: submission{" "}
              <span class="mono" title={answer.id} data-testid="submit-result-id" data-id={answer.id}>
                {shortId(answer.id)}
              </span>
              .
            </p>
            {answer.submission && (
              <p>
                Risk <RiskBadge risk={answer.submission.risk} />;{" "}
                {plural(answer.submission.findings?.length ?? 0, "finding")} for the officer.
              </p>
            )}
            {!answer.verified && (
              <p>Some credentials failed their checks; customs kept the submission and sees the failures.</p>
            )}
            <p>
              {answer.ledgerIndex !== null && answer.ledgerIndex !== undefined
                ? `Recorded on the ledger at entry ${answer.ledgerIndex}. `
                : "Being written to the ledger. "}
              <a href={href("/shipments")}>Follow it in My shipments</a>.
            </p>
          </Notice>
        </div>
      )}
      {wallet.data && (
        <form class="form" onSubmit={submit} noValidate data-testid="submit-form">
          <fieldset>
            <legend>Credentials</legend>
            <div class="checkbox">
              <input
                id="held-show-submitted"
                type="checkbox"
                checked={showSubmitted}
                onChange={(e) => setShowSubmitted((e.currentTarget as HTMLInputElement).checked)}
                data-testid="held-show-submitted"
              />
              <label for="held-show-submitted">Also show credentials already submitted</label>
            </div>
            {shown.length === 0 ? (
              <p class="empty" data-testid="held-empty">
                {items.length === 0
                  ? "Your organization holds no credentials yet. Your systems add them as suppliers deliver them, or add one above."
                  : "Every credential you hold was submitted already."}
              </p>
            ) : (
              <div class="table-scroll" role="region" aria-labelledby="held-caption" tabIndex={0}>
                <table class="data-table" data-testid="held-table">
                  <caption id="held-caption">
                    {plural(shown.length, "credential")} you hold, newest first; {chosen.length} picked.
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Pick</th>
                      <th scope="col">Document</th>
                      <th scope="col">Reference</th>
                      <th scope="col">Issuer</th>
                      <th scope="col">Received</th>
                      <th scope="col">Checks</th>
                    </tr>
                  </thead>
                  <tbody>
                    {shown.map((c) => {
                      const box = `held-${c.digest.slice(-16)}`;
                      return (
                        <tr key={c.digest} data-testid="held-row" data-digest={c.digest} data-type={documentType(c)}>
                          <td>
                            <input
                              id={box}
                              type="checkbox"
                              checked={picked.has(c.digest)}
                              onChange={() => toggle(c.digest)}
                              data-testid="held-pick"
                            />
                          </td>
                          <th scope="row">
                            <label for={box}>{typeName(documentType(c))}</label>
                            {c.submittedIn && (
                              <span class="muted small"> (submitted in {shortId(c.submittedIn)})</span>
                            )}
                          </th>
                          <td class="break">{referenceText(c)}</td>
                          <td title={c.issuer}>{c.issuerName || shortDid(c.issuer)}</td>
                          <td>{formatDateTime(c.receivedAt)}</td>
                          <td>
                            <VerifiedBadge verified={c.verified} />
                            {c.checkedAt && c.checkedAt !== c.receivedAt && (
                              <p class="muted small">checked again {formatDateTime(c.checkedAt)}</p>
                            )}
                            {!c.verified && c.failure && <p class="small">{c.failure}</p>}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )}
          </fieldset>
          <div class="field">
            <label for="submit-customs">Customs organization</label>
            <select
              id="submit-customs"
              value={destination}
              onChange={(e) => setCustoms((e.currentTarget as HTMLSelectElement).value)}
              data-testid="submit-customs"
            >
              {destinations.map((d) => (
                <option key={d.slug} value={d.slug}>
                  {d.name}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="submit-workflow">Workflow</label>
            <p class="hint" id="submit-workflow-hint">
              Suggested from the picked documents' types.
            </p>
            <select
              id="submit-workflow"
              value={workflowValue}
              aria-describedby="submit-workflow-hint"
              onChange={(e) => setWorkflow((e.currentTarget as HTMLSelectElement).value)}
              data-testid="submit-workflow"
            >
              {WORKFLOWS.map((w) => (
                <option key={w.value} value={w.value}>
                  {w.label}
                </option>
              ))}
            </select>
          </div>
          {failing.length > 0 && (
            <Notice kind="warning" testid="submit-warning">
              <p>
                {plural(failing.length, "picked credential")} {failing.length === 1 ? "fails" : "fail"} a check:{" "}
                {failing.map((c) => `${typeName(documentType(c))} (${c.failure})`).join("; ")}. Customs will see this.
              </p>
            </Notice>
          )}
          {formError && (
            <p class="field-error" role="alert" data-testid="submit-form-error">
              {formError}
            </p>
          )}
          {error !== null && (
            <ErrorBox
              error={error}
              title="Nothing was submitted."
              testid="submit-error"
            />
          )}
          <button type="submit" class="button-primary" disabled={pending} data-testid="submit-button">
            {pending ? "Signing and submitting…" : `Sign and submit ${plural(chosen.length, "credential")}`}
          </button>
        </form>
      )}
    </section>
  );
}
