// Public verification: anyone can drop a credential file or paste its JSON or compact JWT and
// get the node's verification report in plain language. Nothing is stored. A printed
// credential's QR code opens this page as `#/verify?id=<credential id>`: the node's record of that
// credential is shown first (src/components/CredentialCheck.tsx), with a way to compare a file
// with it. A QR code can also be scanned here, with the camera or from a photo.
import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "../api";
import { CredentialCheck } from "../components/CredentialCheck";
import { ErrorBox } from "../components/Feedback";
import { QrScanner } from "../components/QrScanner";
import { CheckList, ProblemList } from "../components/ReportView";
import { credentialFacts, parseCredentialInput, unwrapCredential } from "../credential";
import { formatDateTime, typeName } from "../format";
import { useTitle } from "../hooks";
import { cameraSupported, decodeQrFromImage } from "../qrDecode";
import { type QrMeaning, classifyQrText } from "../qrText";
import { failedChecks, failedChecksSentence } from "../reportText";
import { href, navigate, useRoute } from "../router";
import type { VerificationReport } from "../types";
import "../verify.css";

// The node accepts request bodies up to 1 MiB.
const MAX_BYTES = 1024 * 1024;

function Result({ report, credential }: { report: VerificationReport; credential: unknown }) {
  const facts = credentialFacts(unwrapCredential(credential));
  const failed = failedChecks(report);
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
            ? `${failedChecksSentence(report)} Do not rely on this document.`
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

// What the last scanned QR code said, when the page did not simply act on it.
type ScanNote =
  | { kind: "meaning"; meaning: QrMeaning; source: "camera" | "photo" }
  | { kind: "none"; message: string };

function ScanNoteView({ note, onLookUp }: { note: ScanNote; onLookUp: (id: string) => void }) {
  if (note.kind === "none") {
    return (
      <p class="notice notice-warning" data-testid="verify-scan-note" data-kind="none">
        {note.message}
      </p>
    );
  }
  const m = note.meaning;
  const what = note.source === "camera" ? "The QR code" : "The QR code in the picture";
  switch (m.kind) {
    case "check":
      return (
        <p class="notice notice-info" data-testid="verify-scan-note" data-kind="check">
          {what} names the credential <code class="break">{m.id}</code> issued through this node: its record is shown above.
        </p>
      );
    case "credential":
      return (
        <p class="notice notice-info" data-testid="verify-scan-note" data-kind="credential">
          {what} holds a credential itself. It was put in the box below and verified.
        </p>
      );
    case "other-node":
      return (
        <div class="notice notice-warning" data-testid="verify-scan-note" data-kind="other-node">
          <p>
            {what} leads to the verify page of another site, <code class="break">{m.origin}</code>, not to this node. This
            page did not open it. The document it names is <code class="break">{m.id}</code>.
          </p>
          <p>
            <button type="button" class="button-secondary" onClick={() => onLookUp(m.id)} data-testid="verify-scan-lookup">
              Look this identifier up on this node
            </button>
          </p>
        </div>
      );
    case "url":
      return (
        <div class="notice notice-warning" data-testid="verify-scan-note" data-kind="url">
          <p>
            {m.sameOrigin
              ? `${what} holds a link to a page of this portal that is not a document check. This page did not open it:`
              : `${what} holds the address of another site, not a document check of this node. This page did not open it:`}
          </p>
          <pre class="qr-text">{m.url}</pre>
        </div>
      );
    default:
      return (
        <div class="notice notice-warning" data-testid="verify-scan-note" data-kind="text">
          <p>{what} holds a text that is neither a link to a document check nor a credential. It says:</p>
          <pre class="qr-text">{m.text}</pre>
        </div>
      );
  }
}

export function VerifyPage() {
  useTitle("Verify a document");
  const route = useRoute();
  const checkId = route.query.get("id")?.trim() || null;
  const [text, setText] = useState("");
  const [fileName, setFileName] = useState<string | null>(null);
  const [inputError, setInputError] = useState<string | null>(null);
  const [serverError, setServerError] = useState<unknown>(null);
  const [result, setResult] = useState<{ report: VerificationReport; credential: unknown } | null>(null);
  const [pending, setPending] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [scanning, setScanning] = useState(false);
  const [readingPhoto, setReadingPhoto] = useState(false);
  const [scanNote, setScanNote] = useState<ScanNote | null>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  const scanButtonRef = useRef<HTMLButtonElement>(null);
  const noteRef = useRef<HTMLDivElement>(null);
  // One camera check per page: the button is offered only where the browser has a camera API.
  const [canScan] = useState(cameraSupported);

  // Another QR code (another id) clears what the previous one left.
  useEffect(() => {
    setScanNote((n) => (n?.kind === "meaning" && n.meaning.kind === "check" && n.meaning.id !== checkId ? null : n));
  }, [checkId]);

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

  const runVerify = async (input: string) => {
    if (pending) return;
    setResult(null);
    setServerError(null);
    const parsed = parseCredentialInput(input);
    if ("error" in parsed) {
      setInputError(parsed.error);
      document.getElementById("verify-input")?.focus();
      return;
    }
    if (new TextEncoder().encode(input).length > MAX_BYTES) {
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

  const verify = (e: Event) => {
    e.preventDefault();
    void runVerify(text);
  };

  const focusNote = () => requestAnimationFrame(() => noteRef.current?.focus());

  // A QR code was read: open a check of this node, verify a credential, or say what it was.
  const onQrText = (raw: string, source: "camera" | "photo") => {
    setScanning(false);
    const meaning = classifyQrText(raw, location.origin);
    setScanNote({ kind: "meaning", meaning, source });
    switch (meaning.kind) {
      case "check":
        // The check's answer takes the focus when it comes.
        if (meaning.id !== checkId) navigate(href("/verify", { id: meaning.id }));
        else focusNote();
        return;
      case "credential":
        setText(meaning.text);
        setFileName(null);
        setInputError(null);
        void runVerify(meaning.text);
        return;
      default:
        focusNote();
    }
  };

  const cancelScan = () => {
    setScanning(false);
    requestAnimationFrame(() => scanButtonRef.current?.focus());
  };

  const readPhoto = async (file: File) => {
    setScanNote(null);
    setReadingPhoto(true);
    let decoded: string | null = null;
    let failed = false;
    try {
      decoded = await decodeQrFromImage(file);
    } catch {
      failed = true;
    }
    setReadingPhoto(false);
    if (decoded !== null) {
      onQrText(decoded, "photo");
      return;
    }
    setScanNote({
      kind: "none",
      message: failed
        ? `${file.name} is not a picture this browser can open.`
        : `No QR code could be read in ${file.name}. Take the picture again, closer, straight on and well lit, with the whole code in view.`,
    });
    focusNote();
  };

  return (
    <section class="verify">
      <h1>Verify a document</h1>
      {checkId ? (
        <p>
          This page was opened from the QR code of a document (or from its link). Below is what this node recorded
          when it issued the document, and whether it is valid now.
        </p>
      ) : (
        <p>
          Check a trade document issued as a verifiable credential: who signed it, whether it was changed, and
          whether it is still in force. The document is checked by this node and not stored.
        </p>
      )}
      {checkId && <CredentialCheck key={checkId} id={checkId} />}

      <section class="card scan-card" aria-labelledby="scan-title">
        <h2 id="scan-title">Scan a QR code</h2>
        <p class="muted small">
          {canScan
            ? "Point your camera at the QR code printed on a document. Browsers allow the camera only on pages opened over https or on localhost; the picture stays in your browser."
            : window.isSecureContext
              ? "This browser does not let web pages use a camera. You can still read the QR code from a photo."
              : "The camera cannot be used here: browsers allow it only on pages opened over https or on localhost, and this page was opened over plain http. You can still read the QR code from a photo."}
        </p>
        {!scanning && (
          <div class="form-actions scan-actions">
            {canScan && (
              <button
                type="button"
                class="button-primary"
                ref={scanButtonRef}
                onClick={() => {
                  setScanNote(null);
                  setScanning(true);
                }}
                data-testid="verify-scan"
              >
                Scan a QR code
              </button>
            )}
            <input
              id="verify-scan-photo"
              type="file"
              accept="image/*"
              class="file-input"
              disabled={readingPhoto}
              onChange={(e) => {
                const input = e.currentTarget as HTMLInputElement;
                const file = input.files?.[0];
                input.value = "";
                if (file) void readPhoto(file);
              }}
              data-testid="verify-scan-photo"
            />
            <label for="verify-scan-photo" class="file-label">
              {readingPhoto ? "Reading the picture…" : "Read a QR code from a photo"}
            </label>
          </div>
        )}
        {scanning && <QrScanner onRead={(t) => onQrText(t, "camera")} onCancel={cancelScan} />}
        <div ref={noteRef} tabIndex={-1} aria-live="polite" class="scan-note">
          {scanNote && (
            <ScanNoteView
              note={scanNote}
              onLookUp={(id) => {
                setScanNote(null);
                navigate(href("/verify", { id }));
              }}
            />
          )}
        </div>
      </section>

      <form class="card form" onSubmit={verify} noValidate data-testid="verify-form" aria-labelledby="verify-form-title">
        <h2 id="verify-form-title">{checkId ? "Verify another credential" : "Verify a credential you have"}</h2>
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
