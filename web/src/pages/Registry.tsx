// The registry administrator's page: find an admitted actor by DID or legal identifier, suspend,
// reinstate or remove it, and admit a new one with its identifiers checked as they are typed.
import { useState } from "preact/hooks";
import { api, seg } from "../api";
import { ErrorBox, Loading, Notice } from "../components/Feedback";
import type { Json } from "../credential";
import { JsonView } from "../components/JsonView";
import { formatDateTime } from "../format";
import { useLoad, useTitle } from "../hooks";
import { href, navigate } from "../router";
import type { RegistryEntry } from "../types";

const SCHEMES: { value: string; label: string }[] = [
  { value: "lei", label: "LEI" },
  { value: "ein", label: "EIN" },
  { value: "ior", label: "Importer of record number" },
  { value: "cbp", label: "CBP-assigned number" },
  { value: "mid", label: "MID (manufacturer)" },
  { value: "gln", label: "GLN" },
  { value: "gtin", label: "GTIN" },
  { value: "bn", label: "Canadian business number" },
  { value: "rfc", label: "Mexican RFC" },
  { value: "duns", label: "D-U-N-S" },
];

const STATE_LABELS: Record<string, string> = { active: "Active", suspended: "Suspended", removed: "Removed" };

function EntryView({ entry, onChanged }: { entry: RegistryEntry; onChanged: (e: RegistryEntry) => void }) {
  const [reason, setReason] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);
  const act = async (action: "suspend" | "reinstate" | "remove") => {
    setPending(true);
    setError(null);
    try {
      onChanged(await api.post<RegistryEntry>(`/registry/entries/${seg(entry.did)}/${action}`, reason.trim() ? { reason: reason.trim() } : {}));
      setReason("");
    } catch (e) {
      setError(e);
    } finally {
      setPending(false);
    }
  };
  return (
    <article class="card" data-testid="registry-entry" data-state={entry.state}>
      <h2>{entry.name || entry.did}</h2>
      <dl class="facts">
        <div>
          <dt>State</dt>
          <dd>
            <span class={`badge state-${entry.state}`}>{STATE_LABELS[entry.state] ?? entry.state}</span>
          </dd>
        </div>
        <div>
          <dt>DID</dt>
          <dd class="break">{entry.did}</dd>
        </div>
        <div>
          <dt>Identifiers</dt>
          <dd>
            {Object.entries(entry.identifiers ?? {}).map(([k, v]) => (
              <span key={k} class="id-pair">
                {SCHEMES.find((s) => s.value === k)?.label ?? k}: <code>{v}</code>{" "}
              </span>
            ))}
          </dd>
        </div>
        <div>
          <dt>May issue</dt>
          <dd>{(entry.credentialTypes ?? []).join(", ") || "—"}</dd>
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
      </dl>
      {entry.history.length > 0 && (
        <details>
          <summary>History ({entry.history.length})</summary>
          <ol>
            {entry.history.map((h, i) => (
              <li key={i}>
                <JsonView value={h as Json} />
              </li>
            ))}
          </ol>
        </details>
      )}
      {entry.state !== "removed" && (
        <div class="form registry-actions">
          <div class="field">
            <label for="registry-reason">Reason for a change (optional)</label>
            <textarea id="registry-reason" rows={2} value={reason} maxLength={1000} onInput={(e) => setReason((e.currentTarget as HTMLTextAreaElement).value)} />
          </div>
          <div class="form-actions">
            {entry.state === "active" && (
              <button type="button" class="button-secondary" disabled={pending} onClick={() => void act("suspend")}>
                Suspend
              </button>
            )}
            {entry.state === "suspended" && (
              <button type="button" class="button-secondary" disabled={pending} onClick={() => void act("reinstate")}>
                Reinstate
              </button>
            )}
            <button type="button" class="button-danger" disabled={pending} onClick={() => void act("remove")}>
              Remove for good
            </button>
          </div>
          {error !== null && <ErrorBox error={error} title="The entry was not changed." />}
        </div>
      )}
    </article>
  );
}

function Lookup({ did, scheme, value }: { did: string; scheme: string; value: string }) {
  const [changed, setChanged] = useState<RegistryEntry | null>(null);
  const { data, error, loading } = useLoad(
    (signal) =>
      did
        ? api.get<RegistryEntry>(`/registry/entries/${seg(did)}`, { signal })
        : api.get<RegistryEntry>("/registry/entries", { query: { scheme, value }, signal }),
    [did, scheme, value],
  );
  if (loading && !data) return <Loading label="Looking up the registry…" />;
  if (error) return <ErrorBox error={error} title="No entry found." />;
  const entry = changed && changed.did === data?.did ? changed : data;
  return entry ? <EntryView entry={entry} onChanged={setChanged} /> : null;
}

interface IdRow {
  scheme: string;
  value: string;
  check?: { valid: boolean; normalized?: string; error?: string };
}

function AdmitForm() {
  const [did, setDid] = useState("");
  const [name, setName] = useState("");
  const [types, setTypes] = useState("");
  const [roles, setRoles] = useState("");
  const [ids, setIds] = useState<IdRow[]>([{ scheme: "lei", value: "" }]);
  const [inputError, setInputError] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [admitted, setAdmitted] = useState<RegistryEntry | null>(null);
  const [pending, setPending] = useState(false);

  const setRow = (i: number, row: Partial<IdRow>) => setIds((rows) => rows.map((r, j) => (j === i ? { ...r, ...row } : r)));
  const validate = async (i: number) => {
    const row = ids[i];
    if (!row.value.trim()) return setRow(i, { check: undefined });
    try {
      const check = await api.post<{ valid: boolean; normalized?: string; error?: string }>(
        "/registry/identifiers/validate",
        { scheme: row.scheme, value: row.value.trim() },
      );
      setRow(i, { check });
    } catch {
      setRow(i, { check: undefined });
    }
  };

  const list = (text: string) => text.split(",").map((s) => s.trim()).filter(Boolean);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (pending) return;
    setError(null);
    setAdmitted(null);
    if (!did.trim().startsWith("did:")) return setInputError("Enter the actor's DID (it starts with did:).");
    if (!name.trim()) return setInputError("Enter the actor's legal name.");
    const filled = ids.filter((r) => r.value.trim());
    if (filled.length === 0) return setInputError("Give at least one legal identifier.");
    if (list(types).length === 0) return setInputError("List at least one credential type the actor may issue.");
    setInputError(null);
    setPending(true);
    try {
      const body: Record<string, unknown> = {
        did: did.trim(),
        name: name.trim(),
        identifiers: Object.fromEntries(filled.map((r) => [r.scheme, r.value.trim()])),
        credentialTypes: list(types),
      };
      if (list(roles).length) body.roles = list(roles);
      setAdmitted(await api.post<RegistryEntry>("/registry/entries", body));
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
        <input id="admit-did" type="text" value={did} spellcheck={false} onInput={(e) => setDid((e.currentTarget as HTMLInputElement).value)} />
      </div>
      <div class="field">
        <label for="admit-name">Legal name</label>
        <input id="admit-name" type="text" value={name} maxLength={300} onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} />
      </div>
      <fieldset>
        <legend>Legal identifiers</legend>
        {ids.map((row, i) => (
          <div class="id-row" key={i}>
            <div class="field">
              <label for={`admit-scheme-${i}`}>Scheme</label>
              <select id={`admit-scheme-${i}`} value={row.scheme} onChange={(e) => setRow(i, { scheme: (e.currentTarget as HTMLSelectElement).value, check: undefined })}>
                {SCHEMES.map((s) => (
                  <option key={s.value} value={s.value}>
                    {s.label}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for={`admit-value-${i}`}>Value</label>
              <input
                id={`admit-value-${i}`}
                type="text"
                value={row.value}
                spellcheck={false}
                onInput={(e) => setRow(i, { value: (e.currentTarget as HTMLInputElement).value, check: undefined })}
                onBlur={() => void validate(i)}
                aria-describedby={row.check ? `admit-check-${i}` : undefined}
                aria-invalid={row.check && !row.check.valid ? "true" : undefined}
              />
              {row.check && (
                <p id={`admit-check-${i}`} class={row.check.valid ? "field-ok" : "field-error"}>
                  {row.check.valid ? `Valid${row.check.normalized ? `: ${row.check.normalized}` : ""}.` : row.check.error ?? "Not valid."}
                </p>
              )}
            </div>
            {ids.length > 1 && (
              <button type="button" class="button-link" onClick={() => setIds((r) => r.filter((_, j) => j !== i))}>
                Remove this identifier
              </button>
            )}
          </div>
        ))}
        <button type="button" class="button-secondary" onClick={() => setIds((r) => [...r, { scheme: "ein", value: "" }])}>
          Add an identifier
        </button>
      </fieldset>
      <div class="field">
        <label for="admit-types">Credential types it may issue</label>
        <p class="hint" id="admit-types-hint">Separated by commas, e.g. MillTestReportCredential, CommercialInvoiceCredential.</p>
        <input id="admit-types" type="text" value={types} aria-describedby="admit-types-hint" onInput={(e) => setTypes((e.currentTarget as HTMLInputElement).value)} />
      </div>
      <div class="field">
        <label for="admit-roles">Roles (optional)</label>
        <p class="hint" id="admit-roles-hint">Separated by commas, e.g. mill, exporter.</p>
        <input id="admit-roles" type="text" value={roles} aria-describedby="admit-roles-hint" onInput={(e) => setRoles((e.currentTarget as HTMLInputElement).value)} />
      </div>
      {inputError && (
        <p class="field-error" role="alert">
          {inputError}
        </p>
      )}
      {error !== null && <ErrorBox error={error} title="The actor was not admitted." />}
      {admitted && (
        <Notice kind="success">
          <p>
            {admitted.name || admitted.did} is admitted.{" "}
            <a href={href("/registry", { did: admitted.did })}>Open its entry</a>.
          </p>
        </Notice>
      )}
      <button type="submit" class="button-primary" disabled={pending}>
        {pending ? "Admitting…" : "Admit"}
      </button>
    </form>
  );
}

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

  const find = (e: Event) => {
    e.preventDefault();
    if (mode === "did") {
      if (!didInput.trim()) return setInputError("Enter a DID.");
      setInputError(null);
      navigate(href("/registry", { did: didInput.trim() }));
    } else {
      if (!valueInput.trim()) return setInputError("Enter the identifier.");
      setInputError(null);
      navigate(href("/registry", { scheme: schemeInput, value: valueInput.trim() }));
    }
  };

  return (
    <section>
      <h1>Trust registry</h1>
      <p class="muted">The actors this registry admits, with their legal identifiers and the documents they may issue.</p>
      <form class="card form" onSubmit={find} noValidate data-testid="registry-find" aria-labelledby="find-heading">
        <h2 id="find-heading">Find an entry</h2>
        <fieldset>
          <legend>Find by</legend>
          <div class="radio">
            <input type="radio" id="find-did" name="find-mode" checked={mode === "did"} onChange={() => setMode("did")} />
            <label for="find-did">DID</label>
          </div>
          <div class="radio">
            <input type="radio" id="find-identifier" name="find-mode" checked={mode === "identifier"} onChange={() => setMode("identifier")} />
            <label for="find-identifier">Legal identifier</label>
          </div>
        </fieldset>
        {mode === "did" ? (
          <div class="field">
            <label for="find-did-value">DID</label>
            <input id="find-did-value" type="text" value={didInput} spellcheck={false} onInput={(e) => setDidInput((e.currentTarget as HTMLInputElement).value)} />
          </div>
        ) : (
          <div class="id-row">
            <div class="field">
              <label for="find-scheme">Scheme</label>
              <select id="find-scheme" value={schemeInput} onChange={(e) => setSchemeInput((e.currentTarget as HTMLSelectElement).value)}>
                {SCHEMES.map((s) => (
                  <option key={s.value} value={s.value}>
                    {s.label}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="find-value">Identifier</label>
              <input id="find-value" type="text" value={valueInput} spellcheck={false} onInput={(e) => setValueInput((e.currentTarget as HTMLInputElement).value)} />
            </div>
          </div>
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
      {(did || (scheme && value)) && <Lookup did={did} scheme={scheme} value={value} />}
      <AdmitForm />
    </section>
  );
}
