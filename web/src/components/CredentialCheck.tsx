// What a printed credential's QR code opens (`#/verify?id=...`): the node's record of the
// credential it issued under that identifier (GET /portal/api/check/{id}: type, issuer, issue
// date, digest, and the verification report of the stored copy as it is now), and a way to
// compare a file with it by digest, computed in the browser.
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, api, errorMessage, seg } from "../api";
import { type FileDigest, fileDigest, sameDigest } from "../digest";
import { formatDateTime, shortDid, typeName } from "../format";
import { useLoad } from "../hooks";
import type { VerificationReport } from "../types";
import { ErrorBox, Loading } from "./Feedback";
import { failedChecksSentence } from "../reportText";
import { CheckList, ProblemList } from "./ReportView";

// GET /portal/api/check/{id}
export interface PortalCheck {
  id: string;
  issuer: string;
  types: string[];
  issuedAt: string;
  digest: string;
  report: VerificationReport;
}

// A credential file is small; anything this large is not one.
const MAX_FILE_BYTES = 5 * 1024 * 1024;

function mainType(types: string[]): string | undefined {
  return types.find((t) => t !== "VerifiableCredential") ?? types[0];
}

export function CredentialCheck({ id }: { id: string }) {
  const loaded = useLoad(
    (signal) => api.get<PortalCheck>(`/portal/api/check/${seg(id)}`, { signal, expectUnauthorized: true }),
    [id],
  );
  const summaryRef = useRef<HTMLElement>(null);
  const errorRef = useRef<HTMLDivElement>(null);
  const focused = useRef(false);

  // Once the answer comes, focus moves to it (its heading is read out): the answer is why the
  // page was opened. Only once per identifier, not on a retry's re-render.
  useEffect(() => {
    if (loaded.loading || focused.current) return;
    focused.current = true;
    requestAnimationFrame(() => (loaded.data ? summaryRef.current : errorRef.current)?.focus());
  }, [loaded.loading, loaded.data]);

  if (loaded.loading && !loaded.data) {
    return <Loading label="Looking up the document this QR code names…" />;
  }
  if (loaded.error !== undefined && loaded.error !== null) {
    const status = loaded.error instanceof ApiError ? loaded.error.status : 0;
    // A node older than the route answers every unknown path this way.
    const noRoute = status === 404 && /^no resource at this path/i.test(errorMessage(loaded.error));
    const missing = !noRoute && (status === 404 || status === 400);
    return (
      <div ref={errorRef} tabIndex={-1} data-testid="check-error" data-status={noRoute ? "unsupported" : status}>
        {noRoute ? (
          <div class="notice notice-warning" role="alert">
            <p class="notice-title">This node cannot look documents up by their identifier.</p>
            <p>
              It runs a version without the lookup the QR code expects. Verify the document from its file instead, below.
            </p>
          </div>
        ) : missing ? (
          <div class="notice notice-error" role="alert">
            <p class="notice-title">This node did not issue a document with this identifier.</p>
            <p>
              The QR code names <code class="break">{id}</code>, and this node has no record of it. Do not rely on the
              document: it may be forged, or it was issued through another node, whose own page must check it.
            </p>
          </div>
        ) : (
          <ErrorBox error={loaded.error} title="The document could not be looked up." onRetry={loaded.reload} testid="check-load-error" />
        )}
      </div>
    );
  }
  const check = loaded.data;
  if (!check) return null;
  const { report } = check;
  const type = mainType(check.types);
  const org = shortDid(check.issuer);
  return (
    <>
      <section
        ref={summaryRef}
        class={`verify-result check-summary ${report.verified ? "verified" : "not-verified"}`}
        aria-labelledby="check-heading"
        data-testid="check-summary"
        data-verified={String(report.verified)}
        tabIndex={-1}
      >
        <h2 id="check-heading" class="verdict" data-testid="check-verdict">
          <span aria-hidden="true">{report.verified ? "✓ " : "✗ "}</span>
          {report.verified ? "Valid" : "Not valid"}
          <span class="visually-hidden">: {typeName(type)}</span>
        </h2>
        <p class="verdict-text">
          {report.verified
            ? "This node issued this document, and it is valid now: the issuer's signature checks, it has not been revoked or suspended, and it is in force."
            : `This node issued this document, but it is not valid now. ${failedChecksSentence(report)} Do not rely on it.`}
        </p>
        <dl class="facts">
          <div>
            <dt>What it is</dt>
            <dd>
              {typeName(type)}
              {type && (
                <>
                  {" "}
                  <code class="check-type">{type}</code>
                </>
              )}
            </dd>
          </div>
          <div>
            <dt>Who issued it</dt>
            <dd class="break">
              {org !== check.issuer && <span class="issuer-name">{org}</span>}
              <code class="break" data-testid="check-issuer">
                {check.issuer}
              </code>
            </dd>
          </div>
          <div>
            <dt>When</dt>
            <dd>
              <time dateTime={check.issuedAt}>{formatDateTime(check.issuedAt)}</time>
            </dd>
          </div>
          <div>
            <dt>Identifier</dt>
            <dd class="break">
              <code>{check.id}</code>
            </dd>
          </div>
        </dl>
        <h3>Digest</h3>
        <p class="muted small">
          A fingerprint of the exact document the issuer signed (SHA-256). A copy with the same digest is that document,
          unchanged; if the paper shows a digest, it must read the same.
        </p>
        <p class="digest">
          <code data-testid="check-digest">{check.digest}</code>
        </p>
        <h3>Each check</h3>
        <p class="muted small">Checked now, on the copy this node keeps.</p>
        <CheckList checks={report.checks} />
        <ProblemList problems={report.problems} />
      </section>
      <CompareFile expected={check.digest} id={check.id} />
    </>
  );
}

type Comparison = { name: string; result: FileDigest };

function CompareFile({ expected, id }: { expected: string; id: string }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [comparison, setComparison] = useState<Comparison | null>(null);
  const [dragging, setDragging] = useState(false);
  // A later file wins over an earlier one that is still being read.
  const generation = useRef(0);

  const compare = async (file: File) => {
    const mine = ++generation.current;
    setComparison(null);
    setBusy(file.name);
    let result: FileDigest;
    if (file.size > MAX_FILE_BYTES) {
      result = { ok: false, reason: "The file is larger than 5 MiB: too large to be a credential file." };
    } else {
      try {
        result = await fileDigest(new Uint8Array(await file.arrayBuffer()));
      } catch {
        result = { ok: false, reason: "The file could not be read." };
      }
    }
    if (mine !== generation.current) return;
    setBusy(null);
    setComparison({ name: file.name, result });
  };

  return (
    <section class="card compare" aria-labelledby="compare-heading">
      <h2 id="compare-heading">Compare with a file</h2>
      <p>
        Have the credential as a file (JSON, or a compact JWT)? Its digest is computed here, in your browser, and
        compared with the one above. The file is not sent anywhere.
      </p>
      <div
        class={`dropzone compare-drop ${dragging ? "dragging" : ""}`}
        data-testid="compare-dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          const file = e.dataTransfer?.files?.[0];
          if (file) void compare(file);
        }}
      >
        <p>Drop the credential file here, or</p>
        <label for="compare-file" class="file-label">
          Choose the file to compare
        </label>
        <input
          id="compare-file"
          type="file"
          accept=".json,.jwt,.txt,application/json,text/plain"
          class="file-input"
          aria-describedby="compare-heading"
          onChange={(e) => {
            const input = e.currentTarget as HTMLInputElement;
            const file = input.files?.[0];
            // Cleared so that choosing the same file again compares it again.
            input.value = "";
            if (file) void compare(file);
          }}
          data-testid="compare-file"
        />
      </div>
      <div aria-live="polite" class="compare-live">
        {busy !== null && <p class="loading">Computing the digest of {busy}…</p>}
        {comparison && <ComparisonResult comparison={comparison} expected={expected} id={id} />}
      </div>
    </section>
  );
}

function ComparisonResult({ comparison, expected, id }: { comparison: Comparison; expected: string; id: string }) {
  const { name, result } = comparison;
  if (!result.ok) {
    return (
      <div class="notice notice-error compare-result" data-testid="compare-result" data-match="false" data-reason="unreadable">
        <p class="notice-title">
          <span aria-hidden="true">✗ </span>
          {name} could not be compared.
        </p>
        <p>{result.reason}</p>
      </div>
    );
  }
  const match = sameDigest(result.digest, expected);
  const form =
    result.form === "jwt"
      ? "The file's compact JWT was compared, as issued."
      : "The file's JSON was compared in its canonical form (RFC 8785), so spacing and the order of its fields do not matter.";
  if (match) {
    return (
      <div class="notice notice-success compare-result" data-testid="compare-result" data-match="true">
        <p class="notice-title">
          <span aria-hidden="true">✓ </span>
          {name} matches: it is exactly the document this QR code names.
        </p>
        <p>{form}</p>
      </div>
    );
  }
  const otherId = result.credentialId && result.credentialId !== id ? result.credentialId : null;
  return (
    <div
      class="notice notice-error compare-result"
      data-testid="compare-result"
      data-match="false"
      data-reason={otherId ? "other-credential" : "different"}
    >
      <p class="notice-title">
        <span aria-hidden="true">✗ </span>
        {name} does not match.
      </p>
      {otherId ? (
        <p>
          It is another document: its identifier is <code class="break">{otherId}</code>, and the QR code names{" "}
          <code class="break">{id}</code>.
        </p>
      ) : (
        <p>
          It is not the document that was issued: it was changed after signing, or it is another document. Rely on the
          check above, not on the file.
        </p>
      )}
      {result.form === "jcs" && result.unsigned && (
        <p>
          The file has no proof. If it is the decoded content of a JWT credential, compare the compact JWT (the text of
          three parts separated by dots) instead.
        </p>
      )}
      <p>{form}</p>
      <dl class="digest-pair">
        <div>
          <dt>The file's digest</dt>
          <dd>
            <code data-testid="compare-digest">{result.digest}</code>
          </dd>
        </div>
        <div>
          <dt>Recorded by the node</dt>
          <dd>
            <code>{expected}</code>
          </dd>
        </div>
      </dl>
    </div>
  );
}
