// The issuer's page: issue trade documents of one type from JSON (POST /documents/issue), and
// revoke, suspend or reinstate a credential the organization issued (POST /credentials/status).
import { useEffect, useMemo, useState } from "preact/hooks";
import { ApiError, api } from "../api";
import { ErrorBox, Loading, Notice } from "../components/Feedback";
import { plural, typeName } from "../format";
import { useLoad, useTitle } from "../hooks";
import type { DocumentType } from "../types";

const SECURING = [
  { value: "vc-jwt", label: "JWT (vc+jwt, ES256) — the default" },
  { value: "eddsa-jcs-2022", label: "Data Integrity, eddsa-jcs-2022" },
  { value: "ecdsa-jcs-2019", label: "Data Integrity, ecdsa-jcs-2019" },
  { value: "eddsa-rdfc-2022", label: "Data Integrity, eddsa-rdfc-2022" },
  { value: "ecdsa-rdfc-2019", label: "Data Integrity, ecdsa-rdfc-2019" },
];

interface Issued {
  type: string;
  count: number;
  issued: { id: string; ledgerIndex?: number | null; verifiableCredential?: unknown }[];
}

interface DocProblem {
  document?: number;
  pointer?: string;
  message?: string;
}

// A refused batch lists its problems as JSON after the sentence; show them as a list.
function batchProblems(e: unknown): DocProblem[] {
  if (!(e instanceof ApiError)) return [];
  const at = e.message.indexOf(": [");
  if (at < 0) return [];
  try {
    const list: unknown = JSON.parse(e.message.slice(at + 2).replace(/\.$/, ""));
    return Array.isArray(list) ? (list as DocProblem[]) : [];
  } catch {
    return [];
  }
}

function parseDocuments(text: string): { documents: unknown[] } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: "This is not valid JSON." };
  }
  const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);
  if (Array.isArray(value)) {
    if (value.length === 0) return { error: "The list is empty: give at least one document." };
    if (!value.every(isObj)) return { error: "Every item of the list must be an object." };
    return { documents: value.map((d) => (isObj(d) && "credentialSubject" in d ? d : { credentialSubject: d })) };
  }
  if (isObj(value)) return { documents: ["credentialSubject" in value ? value : { credentialSubject: value }] };
  return { error: "Give one document (an object) or a list of documents." };
}

function IssueForm({ types }: { types: DocumentType[] }) {
  const [type, setType] = useState(types[0]?.type ?? "");
  const [securing, setSecuring] = useState("vc-jwt");
  const [text, setText] = useState("");
  const [inputError, setInputError] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<Issued | null>(null);
  const [pending, setPending] = useState(false);
  const problems = batchProblems(error);
  const download = useMemo(() => {
    if (!result) return null;
    const blob = new Blob([JSON.stringify(result.issued.map((i) => i.verifiableCredential), null, 2)], {
      type: "application/json",
    });
    return URL.createObjectURL(blob);
  }, [result]);
  // The download link's object URL lives only as long as the result it offers.
  useEffect(() => () => {
    if (download) URL.revokeObjectURL(download);
  }, [download]);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (pending) return;
    setResult(null);
    setError(null);
    if (!type) {
      setInputError("Choose a document type.");
      return;
    }
    const parsed = parseDocuments(text);
    if ("error" in parsed) {
      setInputError(parsed.error);
      document.getElementById("issue-documents")?.focus();
      return;
    }
    setInputError(null);
    setPending(true);
    try {
      setResult(await api.post<Issued>("/documents/issue", { type, documents: parsed.documents, options: { securing } }));
    } catch (err) {
      setError(err);
    } finally {
      setPending(false);
    }
  };

  return (
    <form class="card form" onSubmit={submit} noValidate data-testid="issue-form" aria-labelledby="issue-heading">
      <h2 id="issue-heading">Issue documents</h2>
      <div class="field">
        <label for="issue-type">Document type</label>
        <select id="issue-type" value={type} onChange={(e) => setType((e.currentTarget as HTMLSelectElement).value)} data-testid="issue-type">
          {types.map((t) => (
            <option key={t.type} value={t.type}>
              {t.title || typeName(t.type)} ({t.type})
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="issue-securing">Signature format</label>
        <select id="issue-securing" value={securing} onChange={(e) => setSecuring((e.currentTarget as HTMLSelectElement).value)}>
          {SECURING.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="issue-documents">Documents (JSON)</label>
        <p class="hint" id="issue-documents-hint">
          One document's credential subject, or a list of documents such as{" "}
          <code>{'[{"credentialSubject": {…}, "validFrom": "…"}]'}</code>. Every document is checked against the type's
          schema first: if one is wrong, nothing is issued.
        </p>
        <textarea
          id="issue-documents"
          rows={12}
          class="mono"
          spellcheck={false}
          value={text}
          onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)}
          aria-invalid={inputError ? "true" : undefined}
          aria-describedby={`issue-documents-hint${inputError ? " issue-documents-error" : ""}`}
          data-testid="issue-documents"
        />
        {inputError && (
          <p class="field-error" id="issue-documents-error">
            {inputError}
          </p>
        )}
      </div>
      {error !== null &&
        (problems.length > 0 ? (
          <div class="notice notice-error" role="alert" data-testid="issue-error">
            <p class="notice-title">Nothing was issued: {plural(problems.length, "problem")} in the documents.</p>
            <ul>
              {problems.map((p, i) => (
                <li key={i}>
                  Document {(p.document ?? 0) + 1}
                  {p.pointer ? (
                    <>
                      , <code>{p.pointer}</code>
                    </>
                  ) : null}
                  : {p.message}
                </li>
              ))}
            </ul>
          </div>
        ) : (
          <ErrorBox error={error} title="Nothing was issued." testid="issue-error" />
        ))}
      {result && (
        <Notice kind="success" testid="issue-result">
          <p>
            Issued {plural(result.count, "document")} of type {result.type}.
          </p>
          <ul>
            {result.issued.map((i) => (
              <li key={i.id} class="break">
                {i.id}
                {i.ledgerIndex !== null && i.ledgerIndex !== undefined && (
                  <>
                    {" "}
                    — <a href={`#/ledger?index=${i.ledgerIndex}`}>ledger entry #{i.ledgerIndex}</a>
                  </>
                )}
              </li>
            ))}
          </ul>
          {download && (
            <a href={download} download={`${result.type}-issued.json`} class="button-secondary">
              Download the issued credentials
            </a>
          )}
        </Notice>
      )}
      <button type="submit" class="button-primary" disabled={pending} data-testid="issue-submit">
        {pending ? "Issuing…" : "Issue"}
      </button>
    </form>
  );
}

function StatusForm() {
  const [id, setId] = useState("");
  const [status, setStatus] = useState("suspended");
  const [confirmRevoke, setConfirmRevoke] = useState(false);
  const [inputError, setInputError] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (pending) return;
    setError(null);
    setDone(null);
    if (!id.trim()) {
      setInputError("Enter the credential's identifier.");
      return;
    }
    if (status === "revoked" && !confirmRevoke) {
      setInputError("Confirm that you want to revoke: it cannot be undone.");
      return;
    }
    setInputError(null);
    setPending(true);
    try {
      await api.post("/credentials/status", { credentialId: id.trim(), credentialStatus: [{ status }] });
      setDone(
        status === "revoked"
          ? `${id.trim()} is revoked.`
          : status === "suspended"
            ? `${id.trim()} is suspended.`
            : `${id.trim()} is in force again.`,
      );
      setConfirmRevoke(false);
    } catch (err) {
      setError(err);
    } finally {
      setPending(false);
    }
  };

  return (
    <form class="card form" onSubmit={submit} noValidate data-testid="status-form" aria-labelledby="status-heading">
      <h2 id="status-heading">Revoke or suspend a credential</h2>
      <div class="field">
        <label for="status-id">Credential identifier</label>
        <input
          id="status-id"
          type="text"
          value={id}
          spellcheck={false}
          placeholder="urn:uuid:…"
          onInput={(e) => setId((e.currentTarget as HTMLInputElement).value)}
          aria-invalid={inputError ? "true" : undefined}
          aria-describedby={inputError ? "status-error" : undefined}
          data-testid="status-id"
        />
      </div>
      <fieldset>
        <legend>Change</legend>
        {[
          { v: "suspended", l: "Suspend (can be lifted later)" },
          { v: "unsuspended", l: "Lift a suspension" },
          { v: "revoked", l: "Revoke (final)" },
        ].map((o) => (
          <div class="radio" key={o.v}>
            <input
              type="radio"
              id={`status-${o.v}`}
              name="status"
              value={o.v}
              checked={status === o.v}
              onChange={() => setStatus(o.v)}
            />
            <label for={`status-${o.v}`}>{o.l}</label>
          </div>
        ))}
      </fieldset>
      {status === "revoked" && (
        <div class="checkbox">
          <input
            type="checkbox"
            id="status-confirm"
            checked={confirmRevoke}
            onChange={(e) => setConfirmRevoke((e.currentTarget as HTMLInputElement).checked)}
          />
          <label for="status-confirm">I understand that revocation cannot be undone.</label>
        </div>
      )}
      {inputError && (
        <p class="field-error" id="status-error">
          {inputError}
        </p>
      )}
      {error !== null && <ErrorBox error={error} title="The status was not changed." />}
      {done && (
        <Notice kind="success">
          <p>{done} The change is recorded on the ledger and published in the status list.</p>
        </Notice>
      )}
      <button type="submit" class="button-primary" disabled={pending}>
        {pending ? "Saving…" : "Change status"}
      </button>
    </form>
  );
}

export function DocumentsPage() {
  useTitle("Issue documents");
  const types = useLoad((signal) => api.get<{ types: DocumentType[] }>("/documents/types", { signal }), []);
  return (
    <section>
      <h1>Issue documents</h1>
      <p class="muted">
        Issue your organization's trade documents as signed credentials, and withdraw them when needed.
      </p>
      {types.error !== undefined && types.error !== null && (
        <ErrorBox error={types.error} title="The document types could not be loaded." onRetry={types.reload} />
      )}
      {types.loading && !types.data && <Loading />}
      {types.data && <IssueForm types={types.data.types} />}
      <StatusForm />
    </section>
  );
}
