// The registry administrator's page: every actor the registry admitted (listed from the ledger's
// registry.update entries, each opened from the registry itself), one actor in full (DID, keys
// from its DID document, identifiers, what it is accredited to issue, history), suspension,
// reinstatement and removal, and admitting a new actor, with legal identifiers checked by the
// node as they are typed (POST /registry/identifiers/validate).
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, api, seg } from "../api";
import { ErrorBox, Loading, Notice } from "../components/Feedback";
import { formatDateTime, shortDid, typeName } from "../format";
import { useLoad, useTitle } from "../hooks";
import { SCHEMES, identifierValue, schemeLabel, useIdentifierCheck } from "../identifierCheck";
import { loadCheckpoint, scanBack, startScan } from "../ledgerData";
import { href, navigate } from "../router";
import type { RegistryEntry } from "../types";

const STATE_LABELS: Record<string, string> = { active: "Active", suspended: "Suspended", removed: "Removed" };
const ACTION_LABELS: Record<string, string> = {
  admit: "Admitted",
  update: "Updated",
  suspend: "Suspended",
  reinstate: "Reinstated",
  remove: "Removed",
};

function StateBadge({ state }: { state: string }) {
  return (
    <span class={`badge state-${state.replace(/[^a-z]/g, "")}`} data-testid="registry-state">
      {STATE_LABELS[state] ?? state}
    </span>
  );
}

// "lei: check digits ..." -> "Check digits ...": the field already names the scheme.
function checkSentence(scheme: string, message: string): string {
  const m = message.startsWith(`${scheme}: `) ? message.slice(scheme.length + 2) : message;
  const s = m.charAt(0).toUpperCase() + m.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

// ---- An identifier field with its verdict ----

function IdentifierField({
  id,
  scheme,
  value,
  onScheme,
  onValue,
  onVerdict,
  schemeLabelText = "Scheme",
  valueLabelText = "Identifier",
}: {
  id: string;
  scheme: string;
  value: string;
  onScheme: (s: string) => void;
  onValue: (v: string) => void;
  onVerdict?: (state: string) => void;
  schemeLabelText?: string;
  valueLabelText?: string;
}) {
  const verdict = useIdentifierCheck(scheme, value);
  useEffect(() => onVerdict?.(verdict.state), [verdict.state]);
  const example = SCHEMES.find((s) => s.value === scheme)?.example;
  const invalid = verdict.state === "invalid";
  return (
    <div class="id-row">
      <div class="field">
        <label for={`${id}-scheme`}>{schemeLabelText}</label>
        <select id={`${id}-scheme`} value={scheme} onChange={(e) => onScheme((e.currentTarget as HTMLSelectElement).value)}>
          {SCHEMES.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for={`${id}-value`}>{valueLabelText}</label>
        <input
          id={`${id}-value`}
          type="text"
          value={value}
          spellcheck={false}
          autoComplete="off"
          onInput={(e) => onValue((e.currentTarget as HTMLInputElement).value)}
          aria-invalid={invalid ? "true" : undefined}
          aria-describedby={`${id}-hint ${id}-check`}
          data-testid="identifier-input"
        />
        <p class="hint" id={`${id}-hint`}>
          {example ? `${schemeLabel(scheme)}: ${example}.` : ""} Checked as you type.
        </p>
        <p
          id={`${id}-check`}
          class={`id-check ${
            verdict.state === "valid"
              ? "field-ok"
              : invalid
                ? "field-error"
                : verdict.state === "checking"
                  ? "checking"
                  : verdict.state === "unavailable"
                    ? "hint"
                    : ""
          }`}
          aria-live="polite"
          data-testid="identifier-verdict"
          data-state={verdict.state}
          data-valid={verdict.state === "valid" ? "true" : invalid ? "false" : undefined}
        >
          {verdict.state === "checking" && "Checking…"}
          {verdict.state === "valid" && (
            <>
              <span aria-hidden="true">✓ </span>Valid {schemeLabel(scheme)}
              {verdict.normalized && verdict.normalized !== identifierValue(value) ? (
                <>
                  , recorded as <code>{verdict.normalized}</code>
                </>
              ) : null}
              .
            </>
          )}
          {invalid && checkSentence(scheme, verdict.message ?? "Not valid.")}
          {verdict.state === "unavailable" && verdict.message}
        </p>
      </div>
    </div>
  );
}

// ---- The list of admitted actors ----

interface Listed {
  did: string;
  // From the ledger: the latest registry.update for this subject.
  lastAction: string;
  lastAt: string;
  ledgerIndex: number;
  // From the registry, once fetched.
  entry?: RegistryEntry;
  missing?: boolean;
}

async function loadListing(signal: AbortSignal): Promise<{ items: Listed[]; scanned: number; complete: boolean }> {
  const cp = await loadCheckpoint(signal);
  if (!("checkpoint" in cp)) throw new ApiError(0, "The ledger's checkpoint could not be read.");
  // Every registry change is a registry.update on the ledger; read it newest first.
  let scan = startScan(cp.size);
  scan = await scanBack(scan, cp.size, (e) => e.entry.type === "registry.update", { bundles: 64, signal });
  const bySubject = new Map<string, Listed>();
  for (const { index, entry } of scan.found) {
    const did = typeof entry.subject === "string" ? entry.subject : "";
    if (!did || bySubject.has(did)) continue;
    bySubject.set(did, {
      did,
      lastAction: typeof entry.action === "string" ? entry.action : "",
      lastAt: typeof entry.recorded_at === "string" ? entry.recorded_at : "",
      ledgerIndex: index,
    });
  }
  const items = [...bySubject.values()];
  // The registry's own record (name, state, grants), a few requests at a time.
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal.aborted) {
      const item = items[next++];
      try {
        item.entry = await api.get<RegistryEntry>(`/registry/entries/${seg(item.did)}`, { signal });
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) item.missing = true;
        else throw e;
      }
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  items.sort((a, b) => (a.entry?.name ?? a.did).localeCompare(b.entry?.name ?? b.did));
  return { items, scanned: scan.scanned, complete: scan.nextBundle < 0 };
}

function RegistryList({ selected, changed }: { selected: string; changed: RegistryEntry | null }) {
  const { data, error, loading, reload } = useLoad((signal) => loadListing(signal), []);
  const [filter, setFilter] = useState("");
  const items = (data?.items ?? []).map((i) => (changed && changed.did === i.did ? { ...i, entry: changed } : i));
  const f = filter.trim().toLowerCase();
  const shown = f
    ? items.filter((i) =>
        [i.did, i.entry?.name ?? "", ...Object.values(i.entry?.identifiers ?? {}), ...(i.entry?.roles ?? [])].some((s) =>
          s.toLowerCase().includes(f),
        ),
      )
    : items;
  return (
    <section class="card" aria-labelledby="list-heading" data-testid="registry-list">
      <div class="page-head">
        <h2 id="list-heading">Admitted actors</h2>
        <button type="button" class="button-secondary" onClick={reload} disabled={loading}>
          Refresh
        </button>
      </div>
      <p class="muted small">
        Listed from the ledger's trust-registry changes; each actor's state and grants come from the registry.
      </p>
      {error !== undefined && error !== null && <ErrorBox error={error} title="The list could not be loaded." onRetry={reload} />}
      {loading && !data && <Loading label="Reading the registry's changes from the ledger…" />}
      {data && (
        <>
          <div class="field registry-filter">
            <label for="registry-filter">Filter by name, DID, identifier or role</label>
            <input
              id="registry-filter"
              type="text"
              value={filter}
              onInput={(e) => setFilter((e.currentTarget as HTMLInputElement).value)}
              data-testid="registry-filter"
            />
          </div>
          <p class="result-count" role="status">
            {shown.length === items.length
              ? `${items.length} actor${items.length === 1 ? "" : "s"}`
              : `${shown.length} of ${items.length} actors`}
            {data.complete ? "." : ` (from the latest ${data.scanned} ledger entries).`}
          </p>
          {shown.length > 0 && (
            <div class="table-scroll">
              <table class="data-table compact">
                <caption class="visually-hidden">Admitted actors, by name</caption>
                <thead>
                  <tr>
                    <th scope="col">Actor</th>
                    <th scope="col">State</th>
                    <th scope="col">May issue</th>
                    <th scope="col">Last change</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((i) => {
                    const state = i.entry?.state ?? (i.lastAction === "suspend" ? "suspended" : i.lastAction === "remove" ? "removed" : "active");
                    const types = i.entry?.credentialTypes ?? [];
                    return (
                      <tr key={i.did} data-testid="registry-row" data-did={i.did} class={i.did === selected ? "selected" : undefined}>
                        <th scope="row">
                          <a
                            href={href("/registry", { did: i.did })}
                            aria-current={i.did === selected ? "true" : undefined}
                            data-testid="registry-open"
                          >
                            {i.entry?.name || shortDid(i.did)}
                          </a>
                          <br />
                          <span class="muted small break" title={i.did}>
                            {shortDid(i.did)}
                          </span>
                        </th>
                        <td>
                          <StateBadge state={state} />
                        </td>
                        <td class="small">
                          {types.length ? types.map((t) => typeName(t)).join(", ") : "—"}
                        </td>
                        <td class="small">
                          {ACTION_LABELS[i.lastAction] ?? i.lastAction} {formatDateTime(i.entry?.updatedAt ?? i.lastAt)}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}

// ---- Keys from the DID document ----

interface VerificationMethod {
  id?: string;
  type?: string;
  controller?: string;
  publicKeyJwk?: Record<string, unknown>;
  publicKeyMultibase?: string;
}

interface DidDocument {
  id?: string;
  verificationMethod?: VerificationMethod[];
  assertionMethod?: (string | VerificationMethod)[];
  authentication?: (string | VerificationMethod)[];
  service?: { id?: string; type?: string; serviceEndpoint?: unknown }[];
}

// This node's organizations publish did:web documents at /organizations/{slug}/did.json.
function localSlug(did: string): string | null {
  const m = /^did:web:[^:]+:organizations:([A-Za-z0-9._-]+)$/.exec(did);
  return m ? m[1] : null;
}

async function loadDidDocument(did: string, signal: AbortSignal): Promise<{ doc: DidDocument; via: string }> {
  try {
    const r = await api.get<{ didDocument: DidDocument | null }>(`/identifiers/${seg(did)}`, { signal });
    if (r.didDocument) return { doc: r.didDocument, via: "resolved by this node" };
    throw new ApiError(404, "The DID resolved to no document.");
  } catch (e) {
    const slug = localSlug(did);
    if (!slug || !(e instanceof ApiError) || e.status === 401) throw e;
    const doc = await api.get<DidDocument>(`/organizations/${seg(slug)}/did.json`, { signal });
    return { doc, via: "this node's published did.json" };
  }
}

function refs(list: (string | VerificationMethod)[] | undefined): string[] {
  return (list ?? []).map((r) => (typeof r === "string" ? r : r.id ?? "")).filter(Boolean);
}

function keyKind(m: VerificationMethod): string {
  const jwk = m.publicKeyJwk;
  if (jwk) {
    const crv = typeof jwk.crv === "string" ? jwk.crv : "";
    const kty = typeof jwk.kty === "string" ? jwk.kty : "";
    return crv ? `${crv} (${kty})` : kty || "JWK";
  }
  return m.publicKeyMultibase ? "Multibase key" : m.type ?? "Key";
}

function DidKeys({ did }: { did: string }) {
  const { data, error, loading } = useLoad((signal) => loadDidDocument(did, signal), [did]);
  if (loading && !data) return <Loading label="Resolving the DID document…" />;
  if (error) return <ErrorBox error={error} title="The DID document could not be resolved." testid="did-error" />;
  if (!data) return null;
  const { doc, via } = data;
  const assertion = refs(doc.assertionMethod);
  const auth = refs(doc.authentication);
  const methods = doc.verificationMethod ?? [];
  const frag = (id: string | undefined) => (id && id.includes("#") ? id.slice(id.indexOf("#") + 1) : id ?? "");
  return (
    <div data-testid="did-keys">
      <p class="muted small">From the DID document, {via}.</p>
      {methods.length === 0 ? (
        <p class="muted">The document lists no keys.</p>
      ) : (
        <ul class="key-list">
          {methods.map((m, i) => {
            const uses = [
              assertion.includes(m.id ?? "") ? "signs credentials (assertionMethod)" : null,
              auth.includes(m.id ?? "") ? "authenticates (authentication)" : null,
            ].filter(Boolean);
            return (
              <li key={m.id ?? i} class="key-item" data-testid="did-key">
                <p class="small">
                  <strong>{keyKind(m)}</strong> · {m.type ?? "verification method"}
                </p>
                <p class="small break">
                  Key ID <code>#{frag(m.id)}</code>
                </p>
                <p class="small muted">{uses.length ? `Used to: ${uses.join("; ")}.` : "Listed, not used for signing or authentication."}</p>
              </li>
            );
          })}
        </ul>
      )}
      {(doc.service ?? []).length > 0 && (
        <p class="small">
          Services:{" "}
          {(doc.service ?? []).map((s, i) => (
            <span key={i} class="id-pair">
              {s.type}: <code>{typeof s.serviceEndpoint === "string" ? s.serviceEndpoint : JSON.stringify(s.serviceEndpoint)}</code>
            </span>
          ))}
        </p>
      )}
    </div>
  );
}

// ---- One entry ----

function HistoryList({ history }: { history: Record<string, unknown>[] }) {
  return (
    <ol class="history-list" data-testid="registry-history">
      {history.map((h, i) => {
        const action = typeof h.action === "string" ? h.action : "change";
        const at = typeof h.at === "string" ? h.at : null;
        const reason = typeof h.reason === "string" ? h.reason : null;
        const types = Array.isArray(h.credentialTypes) ? h.credentialTypes.filter((t): t is string => typeof t === "string") : [];
        return (
          <li key={i}>
            <strong>{ACTION_LABELS[action] ?? action}</strong>
            {at && <> {formatDateTime(at)}</>}
            {reason && (
              <span class="decision-reason history-reason">
                <span class="visually-hidden">Reason: </span>
                {reason}
              </span>
            )}
            {action === "admit" && types.length > 0 && (
              <span class="muted small"> — may issue {types.map((t) => typeName(t)).join(", ")}</span>
            )}
          </li>
        );
      })}
    </ol>
  );
}

function EntryView({ entry, onChanged }: { entry: RegistryEntry; onChanged: (e: RegistryEntry) => void }) {
  const [reason, setReason] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const statusRef = useRef<HTMLDivElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    setReason("");
    setError(null);
    setDone(null);
    setConfirmRemove(false);
    // Opening another actor (from the list or the search) takes the reader to it.
    const active = document.activeElement;
    if (!(active instanceof HTMLElement && active.matches("input, textarea, select"))) {
      headingRef.current?.focus();
      headingRef.current?.scrollIntoView({ block: "start" });
    }
  }, [entry.did]);

  const act = async (action: "suspend" | "reinstate" | "remove") => {
    setPending(true);
    setError(null);
    setDone(null);
    try {
      const updated = await api.post<RegistryEntry>(
        `/registry/entries/${seg(entry.did)}/${action}`,
        reason.trim() ? { reason: reason.trim() } : {},
      );
      onChanged(updated);
      setReason("");
      setConfirmRemove(false);
      setDone(
        action === "suspend"
          ? `${updated.name || "The actor"} is suspended: its admission credential's suspension bit is set and the change is on the ledger.`
          : action === "reinstate"
            ? `${updated.name || "The actor"} is reinstated.`
            : `${updated.name || "The actor"} is removed for good.`,
      );
    } catch (e) {
      setError(e);
    } finally {
      setPending(false);
      requestAnimationFrame(() => statusRef.current?.querySelector<HTMLElement>("[role=status], [role=alert]")?.focus());
    }
  };
  const identifiers = Object.entries(entry.identifiers ?? {});
  const types = entry.credentialTypes ?? [];
  return (
    <article class="card" data-testid="registry-entry" data-state={entry.state} data-did={entry.did} aria-labelledby="entry-heading">
      <div class="page-head">
        <h2 id="entry-heading" ref={headingRef} tabIndex={-1}>
          {entry.name || entry.did}
        </h2>
        <StateBadge state={entry.state} />
      </div>
      <dl class="facts">
        <div>
          <dt>DID</dt>
          <dd class="break" data-testid="registry-did">
            {entry.did}
          </dd>
        </div>
        <div>
          <dt>Roles</dt>
          <dd>{(entry.roles ?? []).join(", ") || "—"}</dd>
        </div>
        {entry.updatedAt && (
          <div>
            <dt>Last change</dt>
            <dd>{formatDateTime(entry.updatedAt)}</dd>
          </div>
        )}
        {typeof entry.ledgerIndex === "number" && (
          <div>
            <dt>On the ledger</dt>
            <dd>
              <a href={href("/ledger", { index: entry.ledgerIndex })}>Entry #{entry.ledgerIndex}</a>
            </dd>
          </div>
        )}
        <div>
          <dt>Admitted by</dt>
          <dd class="break">{shortDid(entry.authority)}</dd>
        </div>
      </dl>

      <h3>Legal identifiers</h3>
      {identifiers.length === 0 ? (
        <p class="muted">None recorded.</p>
      ) : (
        <dl class="facts" data-testid="registry-identifiers">
          {identifiers.map(([k, v]) => (
            <div key={k}>
              <dt>{schemeLabel(k)}</dt>
              <dd>
                <code>{v}</code>
              </dd>
            </div>
          ))}
        </dl>
      )}

      <h3>Accreditation</h3>
      <p class="small muted">
        The document types this actor may issue; verifiers check them (“Issuer accredited”).
        {entry.admissionCredentialId && (
          <>
            {" "}
            Admission credential <code>{entry.admissionCredentialId}</code>
            {entry.state === "suspended" ? " (suspended)" : entry.state === "removed" ? " (revoked)" : ""}.
          </>
        )}
      </p>
      {types.length === 0 ? (
        <p class="muted">No document types.</p>
      ) : (
        <ul class="chips" data-testid="registry-credential-types">
          {types.map((t) => (
            <li key={t}>
              <span class="badge">{typeName(t)}</span> <code class="small">{t}</code>
            </li>
          ))}
        </ul>
      )}

      <h3>Keys</h3>
      <DidKeys did={entry.did} />

      {entry.history.length > 0 && (
        <>
          <h3>History</h3>
          <HistoryList history={entry.history} />
        </>
      )}

      <div ref={statusRef}>
        {done && (
          <Notice kind="success" testid="registry-done">
            <p tabIndex={-1} role="status">
              {done}
            </p>
          </Notice>
        )}
        {error !== null && <ErrorBox error={error} title="The entry was not changed." />}
      </div>

      {entry.state !== "removed" && (
        <div class="form registry-actions">
          <h3>Change its admission</h3>
          <div class="field">
            <label for="registry-reason">Reason (optional, recorded in the history)</label>
            <textarea
              id="registry-reason"
              rows={2}
              value={reason}
              maxLength={1000}
              onInput={(e) => setReason((e.currentTarget as HTMLTextAreaElement).value)}
              data-testid="registry-reason"
            />
          </div>
          <div class="form-actions">
            {entry.state === "active" && (
              <button type="button" class="button-secondary" disabled={pending} onClick={() => void act("suspend")} data-testid="registry-suspend">
                {pending ? "Suspending…" : "Suspend"}
              </button>
            )}
            {entry.state === "suspended" && (
              <button type="button" class="button-primary" disabled={pending} onClick={() => void act("reinstate")} data-testid="registry-reinstate">
                {pending ? "Reinstating…" : "Reinstate"}
              </button>
            )}
            {!confirmRemove ? (
              <button type="button" class="button-danger" disabled={pending} onClick={() => setConfirmRemove(true)} data-testid="registry-remove">
                Remove for good…
              </button>
            ) : (
              <span class="form-actions" role="group" aria-label="Confirm removal">
                <span class="field-error">Removal cannot be undone.</span>
                <button type="button" class="button-danger" disabled={pending} onClick={() => void act("remove")} data-testid="registry-remove-confirm">
                  Yes, remove
                </button>
                <button type="button" class="button-link" onClick={() => setConfirmRemove(false)}>
                  Cancel
                </button>
              </span>
            )}
          </div>
        </div>
      )}
    </article>
  );
}

function Lookup({
  did,
  scheme,
  value,
  changed,
  onChanged,
}: {
  did: string;
  scheme: string;
  value: string;
  changed: RegistryEntry | null;
  onChanged: (e: RegistryEntry) => void;
}) {
  const { data, error, loading } = useLoad(
    (signal) =>
      did
        ? api.get<RegistryEntry>(`/registry/entries/${seg(did)}`, { signal })
        : api.get<RegistryEntry>("/registry/entries", { query: { scheme, value }, signal }),
    [did, scheme, value],
  );
  if (loading && !data) return <Loading label="Looking up the registry…" />;
  if (error) return <ErrorBox error={error} title="No entry found." testid="registry-lookup-error" />;
  const entry = changed && changed.did === data?.did ? changed : data;
  return entry ? <EntryView entry={entry} onChanged={onChanged} /> : null;
}

// ---- Admitting ----

interface IdRow {
  key: number;
  scheme: string;
  value: string;
  state: string;
}

function AdmitForm({ onAdmitted }: { onAdmitted: (e: RegistryEntry) => void }) {
  const [did, setDid] = useState("");
  const [name, setName] = useState("");
  const [types, setTypes] = useState("");
  const [roles, setRoles] = useState("");
  const nextKey = useRef(1);
  const [ids, setIds] = useState<IdRow[]>([{ key: 0, scheme: "lei", value: "", state: "idle" }]);
  const [inputError, setInputError] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [admitted, setAdmitted] = useState<RegistryEntry | null>(null);
  const [pending, setPending] = useState(false);

  const setRow = (key: number, row: Partial<IdRow>) =>
    setIds((rows) => rows.map((r) => (r.key === key ? { ...r, ...row } : r)));
  const list = (text: string) =>
    text
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (pending) return;
    setError(null);
    setAdmitted(null);
    const filled = ids.filter((r) => identifierValue(r.value));
    const problem = !/^did:[a-z0-9]+:\S+$/.test(did.trim())
      ? "Enter the actor's DID (did:method:identifier, e.g. did:web:example.com)."
      : !name.trim()
        ? "Enter the actor's legal name."
        : filled.length === 0
          ? "Give at least one legal identifier."
          : filled.some((r) => r.state === "invalid")
            ? "Correct the identifiers marked not valid."
            : new Set(filled.map((r) => r.scheme)).size !== filled.length
              ? "Give each identifier scheme once."
              : list(types).length === 0
                ? "List at least one credential type the actor may issue."
                : null;
    if (problem) {
      setInputError(problem);
      return;
    }
    setInputError(null);
    setPending(true);
    try {
      const body: Record<string, unknown> = {
        did: did.trim(),
        name: name.trim(),
        identifiers: Object.fromEntries(filled.map((r) => [r.scheme, identifierValue(r.value)])),
        credentialTypes: list(types),
      };
      if (list(roles).length) body.roles = list(roles);
      const entry = await api.post<RegistryEntry>("/registry/entries", body);
      setAdmitted(entry);
      onAdmitted(entry);
    } catch (err) {
      setError(err);
    } finally {
      setPending(false);
    }
  };

  return (
    <form class="card form" onSubmit={submit} noValidate data-testid="admit-form" aria-labelledby="admit-heading">
      <h2 id="admit-heading">Admit an actor</h2>
      <div class="field">
        <label for="admit-did">DID</label>
        <input
          id="admit-did"
          type="text"
          value={did}
          spellcheck={false}
          autoComplete="off"
          onInput={(e) => setDid((e.currentTarget as HTMLInputElement).value)}
          data-testid="admit-did"
        />
      </div>
      <div class="field">
        <label for="admit-name">Legal name</label>
        <input
          id="admit-name"
          type="text"
          value={name}
          maxLength={300}
          onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)}
          data-testid="admit-name"
        />
      </div>
      <fieldset>
        <legend>Legal identifiers</legend>
        {ids.map((row, i) => (
          <div key={row.key} class="admit-id">
            <IdentifierField
              id={`admit-id-${row.key}`}
              scheme={row.scheme}
              value={row.value}
              onScheme={(scheme) => setRow(row.key, { scheme })}
              onValue={(value) => setRow(row.key, { value })}
              onVerdict={(state) => setRow(row.key, { state })}
              schemeLabelText={`Scheme ${i + 1}`}
              valueLabelText={`Identifier ${i + 1}`}
            />
            {ids.length > 1 && (
              <button type="button" class="button-link" onClick={() => setIds((r) => r.filter((x) => x.key !== row.key))}>
                Remove identifier {i + 1}
              </button>
            )}
          </div>
        ))}
        <button
          type="button"
          class="button-secondary"
          onClick={() => {
            const used = new Set(ids.map((r) => r.scheme));
            const scheme = SCHEMES.find((s) => !used.has(s.value))?.value ?? "ein";
            setIds((r) => [...r, { key: nextKey.current++, scheme, value: "", state: "idle" }]);
          }}
        >
          Add an identifier
        </button>
      </fieldset>
      <div class="field">
        <label for="admit-types">Credential types it may issue</label>
        <p class="hint" id="admit-types-hint">
          Separated by commas, e.g. MillTestReportCredential, CommercialInvoiceCredential.
        </p>
        <input
          id="admit-types"
          type="text"
          value={types}
          aria-describedby="admit-types-hint"
          onInput={(e) => setTypes((e.currentTarget as HTMLInputElement).value)}
          data-testid="admit-types"
        />
      </div>
      <div class="field">
        <label for="admit-roles">Roles (optional)</label>
        <p class="hint" id="admit-roles-hint">
          Separated by commas, e.g. mill, exporter.
        </p>
        <input
          id="admit-roles"
          type="text"
          value={roles}
          aria-describedby="admit-roles-hint"
          onInput={(e) => setRoles((e.currentTarget as HTMLInputElement).value)}
        />
      </div>
      {inputError && (
        <p class="field-error" role="alert">
          {inputError}
        </p>
      )}
      {error !== null && <ErrorBox error={error} title="The actor was not admitted." />}
      {admitted && (
        <Notice kind="success">
          <p role="status">
            {admitted.name || admitted.did} is admitted.{" "}
            <a href={href("/registry", { did: admitted.did })}>Open its entry</a>.
          </p>
        </Notice>
      )}
      <button type="submit" class="button-primary" disabled={pending} data-testid="admit-submit">
        {pending ? "Admitting…" : "Admit"}
      </button>
    </form>
  );
}

// ---- The page ----

export function RegistryPage({ query }: { query: URLSearchParams }) {
  useTitle("Trust registry");
  const did = query.get("did") ?? "";
  const scheme = query.get("scheme") ?? "";
  const value = query.get("value") ?? "";
  const [mode, setMode] = useState(scheme ? "identifier" : "did");
  const [didInput, setDidInput] = useState(did);
  const [schemeInput, setSchemeInput] = useState(scheme || "lei");
  const [valueInput, setValueInput] = useState(value);
  const [inputError, setInputError] = useState<string | null>(null);
  // The latest change made here, so the list and the entry agree without reloading.
  const [changed, setChanged] = useState<RegistryEntry | null>(null);
  const [listKey, setListKey] = useState(0);

  useEffect(() => setDidInput(did), [did]);

  const find = (e: Event) => {
    e.preventDefault();
    if (mode === "did") {
      if (!didInput.trim()) return setInputError("Enter a DID.");
      setInputError(null);
      navigate(href("/registry", { did: didInput.trim() }));
    } else {
      if (!identifierValue(valueInput)) return setInputError("Enter the identifier.");
      setInputError(null);
      navigate(href("/registry", { scheme: schemeInput, value: identifierValue(valueInput) }));
    }
  };

  return (
    <section>
      <h1>Trust registry</h1>
      <p class="muted">
        The actors this registry admits, with their legal identifiers, keys and the documents they may issue.
        Suspending an actor makes verifiers refuse documents it issues from then on.
      </p>
      {(did || (scheme && value)) && (
        <Lookup did={did} scheme={scheme} value={value} changed={changed} onChanged={setChanged} />
      )}
      <RegistryList key={listKey} selected={did} changed={changed} />
      <form class="card form" onSubmit={find} noValidate data-testid="registry-find" aria-labelledby="find-heading">
        <h2 id="find-heading">Find an entry</h2>
        <fieldset>
          <legend>Find by</legend>
          <div class="radio">
            <input type="radio" id="find-did" name="find-mode" checked={mode === "did"} onChange={() => setMode("did")} />
            <label for="find-did">DID</label>
          </div>
          <div class="radio">
            <input
              type="radio"
              id="find-identifier"
              name="find-mode"
              checked={mode === "identifier"}
              onChange={() => setMode("identifier")}
            />
            <label for="find-identifier">Legal identifier</label>
          </div>
        </fieldset>
        {mode === "did" ? (
          <div class="field">
            <label for="find-did-value">DID</label>
            <input
              id="find-did-value"
              type="text"
              value={didInput}
              spellcheck={false}
              onInput={(e) => setDidInput((e.currentTarget as HTMLInputElement).value)}
            />
          </div>
        ) : (
          <IdentifierField
            id="find-id"
            scheme={schemeInput}
            value={valueInput}
            onScheme={setSchemeInput}
            onValue={setValueInput}
          />
        )}
        {inputError && (
          <p class="field-error" role="alert">
            {inputError}
          </p>
        )}
        <button type="submit" class="button-primary">
          Find
        </button>
      </form>
      <AdmitForm
        onAdmitted={(e) => {
          setChanged(e);
          setListKey((k) => k + 1);
        }}
      />
    </section>
  );
}
