// Public verification: anyone can drop a credential file or paste its JSON or compact JWT and
// get the node's verification report in plain language. Nothing is stored.
import { useRef, useState } from "preact/hooks";
import { api } from "../api";
import { ErrorBox } from "../components/Feedback";
import { CheckList, ProblemList } from "../components/ReportView";
import { COMPACT_JWT, credentialFacts, unwrapCredential } from "../credential";
import { checkLabel, formatDateTime, plural, typeName } from "../format";
import { useTitle } from "../hooks";
import type { VerificationReport } from "../types";

// The node accepts request bodies up to 1 MiB.
const MAX_BYTES = 1024 * 1024;

type Parsed = { credential: unknown } | { error: string };

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === "object" && !Array.isArray(v);
}

// Accepts a credential object, a compact JWT, or either wrapped the way API requests wrap them.
export function parseCredentialInput(text: string): Parsed {
  const t = text.trim();
  if (!t) return { error: "Paste a credential or choose a file first." };
  if (COMPACT_JWT.test(t)) return { credential: t };
  if (!/^[{["]/.test(t)) {
    return {
      error:
        "This does not look like a credential. Expected JSON that starts with “{”, or a compact JWT: three parts of letters and digits separated by dots.",
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(t);
  } catch {
    return { error: "This is not valid JSON. Check that it was copied completely, including the last “}”." };
  }
  if (typeof value === "string") {
    return COMPACT_JWT.test(value.trim())
      ? { credential: value.trim() }
      : { error: "This text is not a compact JWT." };
  }
  if (Array.isArray(value)) return { error: "This is a list. Verify one credential at a time." };
  if (!isObject(value)) return { error: "This is not a credential." };
  // A request body someone copied: {"verifiableCredential": ...} or {"credential": ...}.
  for (const key of ["credential", "verifiableCredential"]) {
    const inner = value[key];
    if (!("type" in value) && (isObject(inner) || typeof inner === "string")) return { credential: inner };
  }
  const types = Array.isArray(value.type) ? value.type : [value.type];
  if (types.includes("VerifiablePresentation")) {
    return { error: "This is a presentation, not a credential. Verify the credentials inside it one at a time." };
  }
  return { credential: value };
}

function Result({ report, credential }: { report: VerificationReport; credential: unknown }) {
  const facts = credentialFacts(unwrapCredential(credential));
  const failed = report.checks.filter((c) => c.status === "fail" || (c.status !== "pass" && c.required !== false));
  return (
    <section
      class={`verify-result ${report.verified ? "verified" : "not-verified"}`}
      aria-labelledby="verify-result-heading"
      data-testid="verify-result"
      data-verified={String(report.verified)}
      tabIndex={-1}
    >
      <h2 id="verify-result-heading" class="verdict" data-testid="verify-verdict">
        <span aria-hidden="true">{report.verified ? "✓ " : "✗ "}</span>
        {report.verified ? "Verified" : "Not verified"}
      </h2>
      <p class="verdict-text">
        {report.verified
          ? "Every required check passed: the document was signed by its issuer, has not been changed since, and is in force."
          : failed.length > 0
            ? `${plural(failed.length, "required check")} did not pass: ${failed.map((c) => checkLabel(c.name).toLowerCase()).join(", ")}. Do not rely on this document.`
            : "The verifier could not confirm this document. Do not rely on it."}
      </p>
      {(facts.type || facts.issuer) && (
        <dl class="facts">
          {facts.type && (
            <div>
              <dt>Document</dt>
              <dd>{typeName(facts.type)}</dd>
            </div>
          )}
          {facts.issuer && (
            <div>
              <dt>Issuer (as the document claims)</dt>
              <dd class="break">
                {facts.issuerName && <>{facts.issuerName} — </>}
                {facts.issuer}
              </dd>
            </div>
          )}
          {facts.id && (
            <div>
              <dt>Identifier</dt>
              <dd class="break">{facts.id}</dd>
            </div>
          )}
          {facts.validFrom && (
            <div>
              <dt>Valid from</dt>
              <dd>{formatDateTime(facts.validFrom)}</dd>
            </div>
          )}
          {facts.validUntil && (
            <div>
              <dt>Valid until</dt>
              <dd>{formatDateTime(facts.validUntil)}</dd>
            </div>
          )}
        </dl>
      )}
      <h3>Each check</h3>
      <CheckList checks={report.checks} />
      <ProblemList problems={report.problems} />
    </section>
  );
}

export function VerifyPage() {
  useTitle("Verify a document");
  const [text, setText] = useState("");
  const [fileName, setFileName] = useState<string | null>(null);
  const [inputError, setInputError] = useState<string | null>(null);
  const [serverError, setServerError] = useState<unknown>(null);
  const [result, setResult] = useState<{ report: VerificationReport; credential: unknown } | null>(null);
  const [pending, setPending] = useState(false);
  const [dragging, setDragging] = useState(false);
  const resultRef = useRef<HTMLDivElement>(null);

  const readFile = async (file: File) => {
    setResult(null);
    setServerError(null);
    if (file.size > MAX_BYTES) {
      setInputError(`${file.name} is larger than 1 MiB, the most the server accepts.`);
      return;
    }
    try {
      setText(await file.text());
      setFileName(file.name);
      setInputError(null);
    } catch {
      setInputError(`${file.name} could not be read.`);
    }
  };

  const verify = async (e: Event) => {
    e.preventDefault();
    if (pending) return;
    setResult(null);
    setServerError(null);
    const parsed = parseCredentialInput(text);
    if ("error" in parsed) {
      setInputError(parsed.error);
      document.getElementById("verify-input")?.focus();
      return;
    }
    if (new TextEncoder().encode(text).length > MAX_BYTES) {
      setInputError("This is larger than 1 MiB, the most the server accepts.");
      return;
    }
    setInputError(null);
    setPending(true);
    try {
      const report = await api.post<VerificationReport>(
        "/portal/api/verify",
        { credential: parsed.credential },
        { expectUnauthorized: true },
      );
      setResult({ report, credential: parsed.credential });
      requestAnimationFrame(() => resultRef.current?.querySelector<HTMLElement>("[data-testid=verify-result]")?.focus());
    } catch (err) {
      setServerError(err);
    } finally {
      setPending(false);
    }
  };

  return (
    <section class="verify">
      <h1>Verify a document</h1>
      <p>
        Check a trade document issued as a verifiable credential: who signed it, whether it was changed, and
        whether it is still in force. The document is checked by this node and not stored.
      </p>
      <form class="card form" onSubmit={verify} noValidate data-testid="verify-form">
        <div
          class={`dropzone ${dragging ? "dragging" : ""}`}
          data-testid="verify-dropzone"
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
          <p>Drop a credential file here, or</p>
          <label for="verify-file" class="file-label">
            Choose a file
          </label>
          <input
            id="verify-file"
            type="file"
            accept=".json,.jwt,.txt,application/json,text/plain"
            class="file-input"
            onChange={(e) => {
              const file = (e.currentTarget as HTMLInputElement).files?.[0];
              if (file) void readFile(file);
            }}
            data-testid="verify-file"
          />
          {fileName && (
            <p class="muted small" data-testid="verify-file-name">
              Loaded {fileName}
            </p>
          )}
        </div>
        <div class="field">
          <label for="verify-input">Or paste the credential (JSON or compact JWT)</label>
          <textarea
            id="verify-input"
            rows={10}
            spellcheck={false}
            value={text}
            onInput={(e) => {
              setText((e.currentTarget as HTMLTextAreaElement).value);
              setFileName(null);
              if (inputError) setInputError(null);
            }}
            aria-invalid={inputError ? "true" : undefined}
            aria-describedby={inputError ? "verify-input-error" : undefined}
            class="mono"
            data-testid="verify-input"
          />
          {inputError && (
            <p class="field-error" id="verify-input-error" role="alert" data-testid="verify-input-error">
              {inputError}
            </p>
          )}
        </div>
        <div class="form-actions">
          <button type="submit" class="button-primary" disabled={pending} data-testid="verify-submit">
            {pending ? "Verifying…" : "Verify"}
          </button>
          {(text || result) && (
            <button
              type="button"
              class="button-link"
              onClick={() => {
                setText("");
                setFileName(null);
                setResult(null);
                setInputError(null);
                setServerError(null);
              }}
            >
              Clear
            </button>
          )}
        </div>
      </form>
      {serverError !== null && (
        <ErrorBox error={serverError} title="The document could not be checked." testid="verify-error" />
      )}
      <div ref={resultRef} aria-live="polite">
        {result && <Result report={result.report} credential={result.credential} />}
      </div>
    </section>
  );
}
