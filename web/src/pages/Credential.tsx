// One credential the organization issued (GET /credentials/{id}): its facts, its content, and
// the credential itself as JSON, laid out to print (the page's own controls are not printed).
import { useMemo } from "preact/hooks";
import { ApiError, api, seg } from "../api";
import { ErrorBox, Loading } from "../components/Feedback";
import { JsonView } from "../components/JsonView";
import { QrCode } from "../components/QrCode";
import { credentialFacts, unwrapCredential } from "../credential";
import { formatDateTime, shortDid, typeName } from "../format";
import { useLoad, useTitle } from "../hooks";
import type { StoredCredential } from "../types";

export function CredentialPage({ id }: { id: string }) {
  useTitle(`Credential ${id}`);
  const loaded = useLoad((signal) => api.get<StoredCredential>(`/credentials/${seg(id)}`, { signal }), [id]);
  const vc = loaded.data?.verifiableCredential;
  const doc = useMemo(() => (vc === undefined ? null : unwrapCredential(vc)), [vc]);
  const facts = credentialFacts(doc);
  // A JWT credential travels as compact text inside its envelope: that text is the credential.
  const compact = useMemo(() => {
    if (typeof vc === "string") return vc;
    if (vc && typeof vc === "object") {
      const inner = (vc as { id?: unknown }).id;
      if (typeof inner === "string" && inner.startsWith("data:application/vc+jwt,")) return inner.slice("data:application/vc+jwt,".length);
    }
    return null;
  }, [vc]);
  const json = useMemo(() => (vc === undefined ? "" : JSON.stringify(vc, null, 2)), [vc]);
  // What the printed QR code opens: the public verify page's check of this id on this node.
  const checkUrl = `${window.location.origin}/portal#/verify?id=${encodeURIComponent(id)}`;
  const decoded = useMemo(() => (compact && doc ? JSON.stringify(doc, null, 2) : null), [compact, doc]);

  return (
    <article class="credential-page" data-testid="credential-view">
      <p class="no-print">
        <a href="#/documents">← Back to issuing documents</a>
      </p>
      <h1>{facts.type ? typeName(facts.type) : "Credential"}</h1>
      <p class="mono break">{id}</p>
      {loaded.loading && !loaded.data && <Loading label="Loading the credential…" />}
      {loaded.error !== undefined && loaded.error !== null && (
        <ErrorBox
          error={loaded.error}
          title={
            loaded.error instanceof ApiError && loaded.error.status === 404
              ? "There is no credential with this identifier among those your organization issued."
              : "The credential could not be loaded."
          }
          onRetry={loaded.reload}
        />
      )}
      {loaded.data && (
        <>
          <div class="no-print form-actions print-actions">
            <button type="button" class="button-primary" onClick={() => window.print()} data-testid="credential-print">
              Print
            </button>
          </div>
          <dl class="summary">
            <div>
              <dt>Type</dt>
              <dd class="break">{facts.type ?? "—"}</dd>
            </div>
            <div>
              <dt>Issuer</dt>
              <dd class="break" title={facts.issuer}>
                {shortDid(facts.issuer)}
              </dd>
            </div>
            <div>
              <dt>Issued</dt>
              <dd>{formatDateTime(loaded.data.issuedAt)}</dd>
            </div>
            <div>
              <dt>Valid from</dt>
              <dd>{formatDateTime(facts.validFrom)}</dd>
            </div>
            <div>
              <dt>Valid until</dt>
              <dd>{facts.validUntil ? formatDateTime(facts.validUntil) : "No end date"}</dd>
            </div>
            <div>
              <dt>Format</dt>
              <dd>{loaded.data.mediaType ?? "—"}</dd>
            </div>
          </dl>
          <section class="card qr-block" aria-labelledby="credential-check">
            <h2 id="credential-check">Check this document</h2>
            <QrCode text={checkUrl} label={`QR code: check credential ${id} on this node`} />
            <p class="small">
              Scan the code, or open <span class="mono break">{checkUrl}</span>, to see whether this document is still
              valid (not revoked or suspended) and to compare a copy with its digest.
            </p>
          </section>
          <section class="card" aria-labelledby="credential-content">
            <h2 id="credential-content">Content</h2>
            <JsonView value={facts.subject} />
          </section>
          <section class="card" aria-labelledby="credential-json">
            <h2 id="credential-json">The credential (JSON)</h2>
            {decoded && (
              <>
                <p class="muted small">
                  A JWT credential: its signed content, decoded, is below; the compact JWT that carries the signature follows.
                </p>
                <pre class="json-text" data-testid="credential-json">
                  {decoded}
                </pre>
                <h3>Compact JWT</h3>
                <pre class="json-text jwt-text">{compact}</pre>
              </>
            )}
            {!decoded && (
              <pre class="json-text" data-testid="credential-json">
                {json}
              </pre>
            )}
          </section>
        </>
      )}
    </article>
  );
}
