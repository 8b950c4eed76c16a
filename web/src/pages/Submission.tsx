// One shipment as the officer sees it: what the rules found, the decision, where the goods come
// from (the provenance graph), each credential with its verification report, and the ledger
// receipts. The submission itself is required; the trace, the stored presentation (for the full
// per-check reports and the documents' contents) and the rule set only add detail, so each of
// them may fail on its own without hiding the rest.
import { useEffect, useMemo, useState } from "preact/hooks";
import { ApiError, api, seg } from "../api";
import { RiskBadge, SeverityBadge, StatusBadge, VerifiedBadge } from "../components/Badges";
import { DecisionForm } from "../components/DecisionForm";
import { ErrorBox, Loading, Notice } from "../components/Feedback";
import { JsonView } from "../components/JsonView";
import { type GraphEdge, type GraphNode, ProvenanceGraph } from "../components/ProvenanceGraph";
import { Receipt } from "../components/Receipt";
import { CheckList, ProblemList } from "../components/ReportView";
import { type JsonObject, credentialFacts, presentationCredentials } from "../credential";
import {
  decisionLabel,
  formatDateTime,
  formatLeadTime,
  identifierLabel,
  plural,
  shortDid,
  shortId,
  statusLabel,
  typeName,
  workflowName,
} from "../format";
import { useLoad, useTitle } from "../hooks";
import { useSession } from "../session";
import type {
  Decision,
  Finding,
  RuleSet,
  StoredPresentation,
  Submission,
  SubmittedCredential,
  TraceBack,
  VerificationReport,
} from "../types";

// Everything the page knows about one credential of the shipment.
interface CredentialView {
  index: number;
  summary: SubmittedCredential;
  report?: VerificationReport;
  document?: JsonObject | null;
  findings: Finding[];
}

function scrollToCredential(id: string) {
  const el = document.querySelector<HTMLElement>(`[data-credential-id="${CSS.escape(id)}"]`);
  if (el) {
    el.scrollIntoView({ behavior: "smooth", block: "start" });
    el.focus({ preventScroll: true });
  }
}

function ruleInfo(ruleset: RuleSet | undefined, ruleId: string) {
  if (!ruleset) return undefined;
  // Findings name precise ids ("credential.proof"); the rule set names the entry ("credential").
  return ruleset.rules.find((r) => r.id === ruleId) ?? ruleset.rules.find((r) => ruleId.startsWith(r.id + "."));
}

function Summary({ s }: { s: Submission }) {
  return (
    <dl class="summary" data-testid="submission-summary">
      <div>
        <dt>Status</dt>
        <dd>
          <StatusBadge status={s.status} />
        </dd>
      </div>
      <div>
        <dt>Risk</dt>
        <dd>
          <RiskBadge risk={s.risk ?? s.outcome.risk} />
        </dd>
      </div>
      <div>
        <dt>Workflow</dt>
        <dd>{workflowName(s.workflow)}</dd>
      </div>
      <div>
        <dt>Submitted by</dt>
        <dd title={s.holder}>{shortDid(s.holder)}</dd>
      </div>
      <div>
        <dt>Received</dt>
        <dd>{formatDateTime(s.receivedAt)}</dd>
      </div>
      <div>
        <dt>Expected arrival</dt>
        <dd>{formatDateTime(s.arrivalAt)}</dd>
      </div>
      <div>
        <dt>Lead time</dt>
        <dd>{formatLeadTime(s.leadTimeHours)}</dd>
      </div>
      <div>
        <dt>Rule set</dt>
        <dd>{s.rulesetVersion ?? s.outcome.rulesetVersion ?? "—"}</dd>
      </div>
    </dl>
  );
}

function Findings({
  outcome,
  ruleset,
  credentials,
}: {
  outcome: Submission["outcome"];
  ruleset?: RuleSet;
  credentials: CredentialView[];
}) {
  const findings = outcome.findings ?? [];
  const title = (id: string) => ruleInfo(ruleset, id)?.title ?? id;
  const credentialName = (id: string) => {
    const c = credentials.find((x) => x.summary.id === id);
    return c ? typeName(c.summary.type) : shortId(id);
  };
  return (
    <section class="card" aria-labelledby="findings-heading" data-testid="findings">
      <h2 id="findings-heading">What the rules found</h2>
      {findings.length === 0 ? (
        <p data-testid="findings-none">No rule found a problem with this shipment.</p>
      ) : (
        <ol class="findings">
          {findings.map((f, i) => {
            const rule = ruleInfo(ruleset, f.ruleId);
            return (
              <li key={i} class={`finding finding-${f.severity}`} data-testid="finding" data-rule-id={f.ruleId}>
                <div class="finding-head">
                  <SeverityBadge severity={f.severity} />
                  <h3 class="finding-title">{f.title || rule?.title || f.ruleId}</h3>
                  <code class="rule-id" data-testid="finding-rule-id">
                    {f.ruleId}
                  </code>
                </div>
                <p class="finding-explanation" data-testid="finding-explanation">
                  {f.explanation}
                </p>
                {rule?.description && (
                  <p class="finding-why">
                    <strong>Why customs checks this: </strong>
                    {rule.description}
                  </p>
                )}
                {f.credentialIds && f.credentialIds.length > 0 && (
                  <div class="finding-docs">
                    <span>Documents involved: </span>
                    <ul class="inline-list">
                      {f.credentialIds.map((id) => (
                        <li key={id}>
                          <button type="button" class="button-link" onClick={() => scrollToCredential(id)}>
                            {credentialName(id)}
                          </button>
                        </li>
                      ))}
                    </ul>
                  </div>
                )}
              </li>
            );
          })}
        </ol>
      )}
      {(outcome.passed?.length ?? 0) > 0 && (
        <details class="rule-list">
          <summary>{plural(outcome.passed!.length, "rule")} ran and found nothing</summary>
          <ul>
            {outcome.passed!.map((r) => (
              <li key={r}>
                {title(r)} <code>{r}</code>
              </li>
            ))}
          </ul>
        </details>
      )}
      {(outcome.notApplicable?.length ?? 0) > 0 && (
        <details class="rule-list">
          <summary>{plural(outcome.notApplicable!.length, "rule")} did not apply to these documents</summary>
          <ul>
            {outcome.notApplicable!.map((r) => (
              <li key={r}>
                {title(r)} <code>{r}</code>
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

function DecisionSection({
  submission,
  onRecorded,
  recorded,
}: {
  submission: Submission;
  onRecorded: (d: Decision) => void;
  recorded: Decision | null;
}) {
  const { canDecide } = useSession();
  const decisions = submission.decisions ?? [];
  return (
    <section class="card" aria-labelledby="decision-heading" data-testid="decision-section">
      <h2 id="decision-heading">Decision</h2>
      {recorded && (
        <Notice kind="success" testid="decision-result">
          <p>
            Decision recorded: <strong data-testid="decision-result-value">{decisionLabel(recorded.decision)}</strong>.
            The shipment is now <strong>{statusLabel(recorded.status ?? submission.status)}</strong>.
            {recorded.ledgerIndex !== null && recorded.ledgerIndex !== undefined
              ? ` It is on the ledger as entry #${recorded.ledgerIndex}.`
              : " It will be written to the ledger shortly."}
          </p>
        </Notice>
      )}
      {decisions.length === 0 ? (
        <p data-testid="decision-none">No decision has been recorded yet.</p>
      ) : (
        <ol class="decision-history" data-testid="decision-history" reversed>
          {[...decisions].reverse().map((d, i) => (
            <li key={i} data-testid="decision-entry" data-decision={d.decision}>
              <p>
                <strong>{decisionLabel(d.decision)}</strong> on {formatDateTime(d.decidedAt)}
                {d.officer && <> by {d.officer}</>}
              </p>
              {d.reason && <p class="decision-reason">{d.reason}</p>}
              <p class="muted small">
                Rule set {d.rulesetVersion ?? "—"}
                {d.ledgerIndex !== null && d.ledgerIndex !== undefined && <> · ledger entry #{d.ledgerIndex}</>}
              </p>
            </li>
          ))}
        </ol>
      )}
      {canDecide ? (
        <>
          <h3>{decisions.length === 0 ? "Record a decision" : "Record a new decision"}</h3>
          <DecisionForm submissionId={submission.id} onRecorded={onRecorded} />
        </>
      ) : (
        <p class="muted">Your role can read decisions but not record them.</p>
      )}
    </section>
  );
}

function Provenance({
  submission,
  trace,
  traceError,
  traceLoading,
  credentials,
  selected,
  onSelect,
}: {
  submission: Submission;
  trace?: TraceBack;
  traceError: unknown;
  traceLoading: boolean;
  credentials: CredentialView[];
  selected: string | null;
  onSelect: (id: string) => void;
}) {
  const { nodes, edges } = useMemo(() => buildGraph(credentials, trace), [credentials, trace]);
  const node = trace?.nodes.find((n) => n.id === selected);
  const inShipment = credentials.find((c) => c.summary.id === selected);
  const edgeText = (from: string, to: string) => {
    const name = (id: string) => nodes.find((n) => n.id === id)?.label.split("\n").slice(0, 2).join(", ") ?? shortId(id);
    return `${name(from)} → ${name(to)}`;
  };
  return (
    <section class="card" aria-labelledby="provenance-heading" data-testid="provenance">
      <h2 id="provenance-heading">Where the goods come from</h2>
      <p class="muted">
        Each document points back, through the identifiers it shares (heat numbers, batches, bills of lading), to
        the documents the goods come from. Select a document to see it.
      </p>
      {traceLoading && !trace && <Loading label="Tracing provenance…" />}
      {traceError !== null && traceError !== undefined && (
        <Notice kind="warning">
          <p>
            The provenance trace is not available
            {traceError instanceof ApiError ? `: ${traceError.message}` : "."} Only this shipment's own documents
            are shown.
          </p>
        </Notice>
      )}
      {trace?.truncated && (
        <Notice kind="warning">
          <p>The trace was cut short: the graph does not show every document it leads to.</p>
        </Notice>
      )}
      {nodes.length === 0 ? (
        !traceLoading && <p>There are no identified documents to draw.</p>
      ) : (
        <div class="provenance-layout">
          <ProvenanceGraph
            nodes={nodes}
            edges={edges}
            selected={selected}
            onSelect={onSelect}
            label={`Provenance graph of shipment ${submission.id}: ${plural(nodes.length, "document")} and ${plural(edges.length, "link")}. The same documents are listed after the graph.`}
          />
          <div class="selected-panel" aria-live="polite" data-testid="selected-credential">
            {selected === null ? (
              <p class="muted">Select a document in the graph or the list to see it here.</p>
            ) : (
              <>
                <h3>{typeName(inShipment?.summary.type ?? node?.type)}</h3>
                <dl class="facts">
                  <div>
                    <dt>Identifier</dt>
                    <dd class="break">{selected}</dd>
                  </div>
                  <div>
                    <dt>Issuer</dt>
                    <dd class="break" title={inShipment?.summary.issuer ?? node?.issuer}>
                      {shortDid(inShipment?.summary.issuer ?? node?.issuer)}
                    </dd>
                  </div>
                  {inShipment && (
                    <div>
                      <dt>Verification</dt>
                      <dd>
                        <VerifiedBadge verified={inShipment.report?.verified ?? inShipment.summary.verified} />
                      </dd>
                    </div>
                  )}
                  {node && node.depth > 0 && (
                    <div>
                      <dt>Steps back</dt>
                      <dd>{node.depth}</dd>
                    </div>
                  )}
                </dl>
                {trace?.origins.some((o) => o.credential === selected) && (
                  <>
                    <h4>Origin of</h4>
                    <ul>
                      {trace.origins
                        .filter((o) => o.credential === selected)
                        .map((o, i) => (
                          <li key={i}>
                            {identifierLabel(o.kind)} <code>{o.value}</code>
                          </li>
                        ))}
                    </ul>
                  </>
                )}
                {node?.submissions && node.submissions.length > 0 && (
                  <>
                    <h4>Presented with</h4>
                    <ul>
                      {node.submissions.map((sid) => (
                        <li key={sid}>
                          {sid === submission.id ? (
                            <>this shipment</>
                          ) : (
                            <a href={"#/submissions/" + seg(sid)}>shipment {sid}</a>
                          )}
                        </li>
                      ))}
                      {node.moreSubmissions && <li class="muted">and more</li>}
                    </ul>
                  </>
                )}
                {inShipment ? (
                  <button type="button" class="button-secondary" onClick={() => scrollToCredential(selected)}>
                    Show its verification report
                  </button>
                ) : (
                  <p class="muted small">
                    This document came with another shipment; open that shipment to see its report.
                  </p>
                )}
              </>
            )}
          </div>
        </div>
      )}
      {nodes.length > 0 && (
        <div class="graph-text">
          <h3>Documents in the graph</h3>
          <ul class="node-list" data-testid="graph-node-list">
            {nodes.map((n) => (
              <li key={n.id}>
                <button
                  type="button"
                  class={`node-button node-${n.kind}`}
                  aria-pressed={selected === n.id}
                  onClick={() => onSelect(n.id)}
                  data-testid="graph-node"
                  data-id={n.id}
                >
                  {n.label.split("\n").join(" — ")}
                </button>
              </li>
            ))}
          </ul>
          {edges.length > 0 && (
            <details>
              <summary>{plural(edges.length, "link")} between them</summary>
              <ul>
                {edges.map((e, i) => (
                  <li key={i}>
                    {edgeText(e.from, e.to)}, through {e.label}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </div>
      )}
    </section>
  );
}

function buildGraph(credentials: CredentialView[], trace?: TraceBack): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const origins = new Set(trace?.origins.map((o) => o.credential) ?? []);
  const own = new Map(credentials.filter((c) => c.summary.id).map((c) => [c.summary.id, c]));
  const nodes: GraphNode[] = [];
  const seen = new Set<string>();
  const add = (id: string, type: string, issuer: string, depth: number) => {
    if (seen.has(id)) return;
    seen.add(id);
    const mine = own.get(id);
    const failed = mine ? !(mine.report?.verified ?? mine.summary.verified) : false;
    const kind = failed ? "failed" : origins.has(id) ? "origin" : mine ? "shipment" : "other";
    // Two mill certificates look alike; the first identifier they originate tells them apart.
    const origin = trace?.origins.find((o) => o.credential === id);
    const extra = origin ? `\n${identifierLabel(origin.kind).toLowerCase()} ${origin.value}` : "";
    nodes.push({
      id,
      label: `${typeName(type)}\n${shortDid(issuer)}${extra}`,
      kind,
      depth: mine ? 0 : depth,
      external: !mine,
    });
  };
  for (const n of trace?.nodes ?? []) add(n.id, n.type, n.issuer, n.depth);
  // Credentials that failed verification are not in the provenance index; draw them anyway.
  for (const c of own.values()) add(c.summary.id, c.summary.type, c.summary.issuer, 0);
  const edges: GraphEdge[] = (trace?.edges ?? []).map((e) => ({
    from: e.from,
    to: e.to,
    label: `${identifierLabel(e.kind).toLowerCase()} ${e.value}`,
  }));
  return { nodes, edges };
}

function CredentialCard({ c, selected }: { c: CredentialView; selected: boolean }) {
  const facts = credentialFacts(c.document ?? null);
  const verified = c.report?.verified ?? c.summary.verified;
  const failed = c.summary.failedChecks ?? [];
  return (
    <article
      class={`credential card ${selected ? "selected" : ""}`}
      data-testid="credential"
      data-credential-id={c.summary.id || undefined}
      data-verified={String(verified)}
      tabIndex={-1}
      aria-labelledby={`credential-${c.index}-title`}
    >
      <div class="credential-head">
        <h3 id={`credential-${c.index}-title`}>{typeName(c.summary.type || facts.type)}</h3>
        <VerifiedBadge verified={verified} />
      </div>
      <dl class="facts">
        <div>
          <dt>Identifier</dt>
          <dd class="break">{c.summary.id || "none given"}</dd>
        </div>
        <div>
          <dt>Issuer</dt>
          <dd class="break">
            {facts.issuerName && <>{facts.issuerName} — </>}
            <span title={c.summary.issuer}>{c.summary.issuer || "—"}</span>
          </dd>
        </div>
        <div>
          <dt>In the trust registry</dt>
          <dd>
            {c.summary.issuerRegistered === true
              ? "Yes, accredited for this document type"
              : c.summary.issuerRegistered === false
                ? "No: the issuer was not accredited for this type"
                : "Not checked"}
          </dd>
        </div>
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
      <h4>Verification checks</h4>
      {c.report ? (
        <>
          <CheckList checks={c.report.checks} explain={false} />
          <ProblemList problems={c.report.problems} />
        </>
      ) : failed.length > 0 ? (
        <CheckList checks={failed.map((f) => ({ name: f.check, status: "fail", reason: f.reason }))} explain={false} />
      ) : (
        <p>Every required check passed.</p>
      )}
      {c.findings.length > 0 && (
        <>
          <h4>Findings about this document</h4>
          <ul>
            {c.findings.map((f, i) => (
              <li key={i}>
                <code>{f.ruleId}</code>: {f.explanation}
              </li>
            ))}
          </ul>
        </>
      )}
      {facts.subject !== undefined && (
        <details class="credential-content">
          <summary>What the document says</summary>
          <JsonView value={facts.subject} />
        </details>
      )}
    </article>
  );
}

export function SubmissionPage({ id }: { id: string }) {
  useTitle(`Shipment ${id}`);
  const [selected, setSelected] = useState<string | null>(null);
  const [recorded, setRecorded] = useState<Decision | null>(null);
  // Following a link to another shipment reuses this page: forget the previous one's state.
  useEffect(() => {
    setSelected(null);
    setRecorded(null);
  }, [id]);

  const sub = useLoad((signal) => api.get<Submission>(`/customs/submissions/${seg(id)}`, { signal }), [id]);
  const trace = useLoad(
    (signal) => api.get<TraceBack>("/customs/trace", { query: { submission: id }, signal, expectUnauthorized: true }),
    [id],
  );
  // The stored presentation has each credential's full report and content. Reading it needs
  // the read:presentations right; without it the page falls back to the submission's summary.
  // These optional reads never end the session on a 401: the submission read decides that.
  const presentation = useLoad(
    (signal) => api.get<StoredPresentation>(`/presentations/${seg(id)}`, { signal, expectUnauthorized: true }),
    [id],
  );
  const ruleset = useLoad((signal) => api.get<RuleSet>("/customs/ruleset", { signal, expectUnauthorized: true }), []);

  const credentials: CredentialView[] = useMemo(() => {
    const s = sub.data;
    if (!s) return [];
    const reports = presentation.data?.report?.credentials ?? [];
    const docs = presentation.data ? presentationCredentials(presentation.data.verifiablePresentation) : [];
    const findings = s.outcome.findings ?? [];
    return s.credentials.map((summary, index) => {
      // Reports and documents come in the order the credentials were presented, as the
      // summaries do; a document whose id disagrees is looked up by id instead.
      let document = docs[index] ?? null;
      if (summary.id && document && credentialFacts(document).id !== summary.id) {
        document = docs.find((d) => credentialFacts(d).id === summary.id) ?? null;
      }
      return {
        index,
        summary,
        report: reports[index],
        document,
        findings: findings.filter((f) => summary.id && f.credentialIds?.includes(summary.id)),
      };
    });
  }, [sub.data, presentation.data]);

  const onRecorded = (d: Decision) => {
    setRecorded(d);
    sub.reload();
  };

  // One outer structure for every state, so the heading element (which receives focus when
  // the page opens) survives the switch from "loading" to the loaded shipment.
  const s = sub.data;
  if (!s) {
    return (
      <section class="submission" data-testid="submission-loading">
        <p>
          <a href="#/queue">← Back to the queue</a>
        </p>
        <div class="page-head">
          <h1>Shipment {id}</h1>
        </div>
        {sub.error ? (
          <ErrorBox error={sub.error} title="This shipment could not be loaded." onRetry={sub.reload} />
        ) : (
          <Loading label="Loading the shipment…" />
        )}
      </section>
    );
  }

  const select = (cid: string) => setSelected(cid);
  return (
    <section class="submission" data-testid="submission" data-id={s.id} data-status={s.status}>
      <p>
        <a href="#/queue">← Back to the queue</a>
      </p>
      <div class="page-head">
        <h1>Shipment {s.id}</h1>
        <StatusBadge status={s.status} />
      </div>
      {sub.error !== undefined && sub.error !== null && (
        <ErrorBox error={sub.error} title="The latest state could not be loaded; showing what was loaded before." />
      )}
      <Summary s={s} />
      <div class="two-col">
        <Findings outcome={s.outcome} ruleset={ruleset.data} credentials={credentials} />
        <DecisionSection submission={s} onRecorded={onRecorded} recorded={recorded} />
      </div>
      <Provenance
        submission={s}
        trace={trace.data}
        traceError={trace.error}
        traceLoading={trace.loading}
        credentials={credentials}
        selected={selected}
        onSelect={select}
      />
      <section aria-labelledby="credentials-heading" data-testid="credentials">
        <h2 id="credentials-heading">Documents ({s.credentials.length})</h2>
        {presentation.error !== undefined && presentation.error !== null && (
          <p class="muted">
            The full verification report of each document is not available to your account, so only the checks
            that failed are listed.
          </p>
        )}
        <div class="credential-grid">
          {credentials.map((c) => (
            <CredentialCard key={c.index} c={c} selected={!!c.summary.id && c.summary.id === selected} />
          ))}
        </div>
      </section>
      <section class="card" aria-labelledby="ledger-heading" data-testid="ledger-receipts">
        <h2 id="ledger-heading">Ledger receipts</h2>
        <p class="muted">
          The node's tamper-evident ledger records when this shipment was received and every decision on it. A
          receipt proves the entry is in the ledger and can be checked offline.
        </p>
        <ul class="receipts">
          <Receipt index={s.receipt?.ledgerIndex} what="Shipment received" />
          {s.decisions.map((d, i) => (
            <Receipt key={i} index={d.ledgerIndex} what={`Decision: ${decisionLabel(d.decision)} (${formatDateTime(d.decidedAt)})`} />
          ))}
        </ul>
      </section>
    </section>
  );
}
