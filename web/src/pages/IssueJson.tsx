// The issuer's JSON tab, for people who have the documents as JSON already: one credential
// subject, or a list of documents ({"credentialSubject", "validFrom", ...}), sent as they are.
import { useState } from "preact/hooks";
import { api } from "../api";
import { ErrorBox, Notice } from "../components/Feedback";
import { IssuedList } from "../components/IssuedList";
import { plural } from "../format";
import { documentProblems, refusalSentence } from "../issue";
import type { DocumentType, IssueResult } from "../types";

export function parseDocuments(text: string): { documents: unknown[] } | { error: string } {
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

export function IssueJsonTab({
  type,
  securing,
  active,
  onIssued,
}: {
  type: DocumentType | undefined;
  securing: string;
  active: boolean;
  onIssued: () => void;
}) {
  const [text, setText] = useState("");
  const [inputError, setInputError] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<IssueResult | null>(null);
  const [pending, setPending] = useState(false);
  const problems = documentProblems(error);

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
      setResult(await api.post<IssueResult>("/documents/issue", { type: type.type, documents: parsed.documents, options: { securing } }));
      onIssued();
    } catch (err) {
      setError(err);
    } finally {
      setPending(false);
    }
  };

  return (
    <form class="form" onSubmit={submit} noValidate data-testid="issue-form">
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
          aria-invalid={inputError ? true : undefined}
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
            <p class="notice-title">{refusalSentence(error)}</p>
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
        <Notice kind="success" testid={active ? "issue-result" : undefined}>
          <p>
            Issued {plural(result.count, "document")} of type {result.type}.
          </p>
          <IssuedList issued={result.issued} type={result.type} />
        </Notice>
      )}
      <button type="submit" class="button-primary" disabled={pending} data-testid="issue-submit">
        {pending ? "Issuing…" : "Issue"}
      </button>
    </form>
  );
}
