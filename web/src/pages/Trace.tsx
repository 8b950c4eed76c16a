// Tracing by identifier: from a heat number, batch, lot or bill of lading forward to every
// credential and shipment that carries it (GET /customs/trace?kind=...&value=...). The search is
// in the address (#/trace?kind=heat&value=H1) so that results can be linked and revisited.
import { useEffect, useMemo, useState } from "preact/hooks";
import { api, seg } from "../api";
import { ErrorBox, Loading, Notice } from "../components/Feedback";
import { type GraphEdge, type GraphNode, ProvenanceGraph } from "../components/ProvenanceGraph";
import { IDENTIFIER_KINDS, formatDateTime, identifierLabel, plural, shortDid, shortId, typeName } from "../format";
import { useLoad, useTitle } from "../hooks";
import { href, navigate } from "../router";
import type { TraceForward } from "../types";

function forwardGraph(t: TraceForward): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const seen = new Set<string>();
  const idNode = (kind: string, value: string, depth: number) => {
    const id = `identifier:${kind}:${value}`;
    if (!seen.has(id)) {
      seen.add(id);
      nodes.push({ id, label: `${identifierLabel(kind)}\n${value}`, kind: "identifier", depth });
    }
    return id;
  };
  idNode(t.identifier.kind, t.identifier.value, 0);
  for (const c of t.credentials) {
    if (seen.has(c.id)) continue;
    seen.add(c.id);
    nodes.push({ id: c.id, label: `${typeName(c.type)}\n${shortDid(c.issuer)}`, kind: "document", depth: c.depth * 2 + 1 });
    const via = c.via ?? t.identifier;
    edges.push({ from: idNode(via.kind, via.value, c.depth * 2), to: c.id, label: "" });
  }
  const maxDepth = Math.max(0, ...nodes.map((n) => n.depth));
  for (const s of t.submissions) {
    const id = `submission:${s.id}`;
    nodes.push({ id, label: `Shipment\n${s.id}`, kind: "submission", depth: maxDepth + 1 });
    for (const c of s.credentials) edges.push({ from: c, to: id, label: "" });
  }
  return { nodes, edges };
}

function Results({ t }: { t: TraceForward }) {
  const [selected, setSelected] = useState<string | null>(null);
  const graph = useMemo(() => forwardGraph(t), [t]);
  const onSelect = (id: string) => {
    if (id.startsWith("submission:")) {
      navigate("#/submissions/" + seg(id.slice("submission:".length)));
      return;
    }
    setSelected(id);
  };
  const chosen = t.credentials.find((c) => c.id === selected);
  return (
    <div data-testid="trace-results">
      <p role="status" data-testid="trace-count">
        {identifierLabel(t.identifier.kind)} <code>{t.identifier.value}</code> leads to{" "}
        {plural(t.credentials.length, "document")} in {plural(t.submissions.length, "shipment")}.
      </p>
      {t.truncated && (
        <Notice kind="warning">
          <p>The trace reached its limit: not everything it leads to is listed.</p>
        </Notice>
      )}
      {t.credentials.length > 0 && (
        <>
          <ProvenanceGraph
            nodes={graph.nodes}
            edges={graph.edges}
            selected={selected}
            onSelect={onSelect}
            label={`Trace of ${identifierLabel(t.identifier.kind)} ${t.identifier.value}. The same documents and shipments are listed in the tables below.`}
          />
          {chosen && (
            <p class="selected-line" aria-live="polite">
              Selected: {typeName(chosen.type)} by {shortDid(chosen.issuer)} ({chosen.id})
            </p>
          )}
        </>
      )}
      <h2>Shipments</h2>
      {t.submissions.length === 0 ? (
        <p class="empty">No shipment carried this identifier.</p>
      ) : (
        <div class="table-scroll" role="region" aria-labelledby="trace-shipments-caption" tabIndex={0}>
          <table class="data-table" data-testid="trace-submissions">
            <caption id="trace-shipments-caption">Shipments whose documents carry the identifier.</caption>
            <thead>
              <tr>
                <th scope="col">Shipment</th>
                <th scope="col">Received</th>
                <th scope="col">Documents involved</th>
              </tr>
            </thead>
            <tbody>
              {t.submissions.map((s) => (
                <tr key={s.id} data-testid="trace-submission-row">
                  <th scope="row">
                    <a href={"#/submissions/" + seg(s.id)}>{s.id}</a>
                  </th>
                  <td>{formatDateTime(s.receivedAt)}</td>
                  <td>
                    {s.credentials
                      .map((cid) => typeName(t.credentials.find((c) => c.id === cid)?.type) || shortId(cid))
                      .join(", ")}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>Documents</h2>
      {t.credentials.length === 0 ? (
        <p class="empty">No document carries this identifier.</p>
      ) : (
        <div class="table-scroll" role="region" aria-labelledby="trace-docs-caption" tabIndex={0}>
          <table class="data-table" data-testid="trace-credentials">
            <caption id="trace-docs-caption">Documents reached, in the order found.</caption>
            <thead>
              <tr>
                <th scope="col">Document</th>
                <th scope="col">Issuer</th>
                <th scope="col">Reached through</th>
                <th scope="col">Steps</th>
                <th scope="col">Identifier</th>
              </tr>
            </thead>
            <tbody>
              {t.credentials.map((c) => (
                <tr key={c.id} data-testid="trace-credential-row" class={selected === c.id ? "selected" : ""}>
                  <th scope="row">{typeName(c.type)}</th>
                  <td title={c.issuer}>{shortDid(c.issuer)}</td>
                  <td>
                    {c.via ? (
                      <>
                        {identifierLabel(c.via.kind)} <code>{c.via.value}</code>
                      </>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td class="num">{c.depth}</td>
                  <td class="break small">{c.id}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

export function TracePage({ query }: { query: URLSearchParams }) {
  useTitle("Trace");
  const kind = query.get("kind") ?? "";
  const value = query.get("value") ?? "";
  const [kindInput, setKindInput] = useState(kind || "heat");
  const [valueInput, setValueInput] = useState(value);
  const [valueError, setValueError] = useState<string | null>(null);
  const [shipmentId, setShipmentId] = useState("");
  const [shipmentError, setShipmentError] = useState<string | null>(null);
  useEffect(() => {
    if (kind) setKindInput(kind);
    setValueInput(value);
  }, [kind, value]);

  const active = kind !== "" && value !== "";
  const { data, error, loading, reload } = useLoad(
    (signal) =>
      active
        ? api.get<TraceForward>("/customs/trace", { query: { kind, value }, signal })
        : Promise.resolve(undefined),
    [kind, value],
  );

  const search = (e: Event) => {
    e.preventDefault();
    const v = valueInput.trim();
    if (!v) {
      setValueError("Enter the identifier to trace.");
      document.getElementById("trace-value")?.focus();
      return;
    }
    if (v.length > 256) {
      setValueError("Identifiers are at most 256 characters.");
      return;
    }
    setValueError(null);
    navigate(href("/trace", { kind: kindInput, value: v }));
  };

  const openShipment = (e: Event) => {
    e.preventDefault();
    const id = shipmentId.trim();
    if (!id) {
      setShipmentError("Enter the shipment's identifier.");
      return;
    }
    setShipmentError(null);
    navigate("#/submissions/" + seg(id));
  };

  return (
    <section>
      <h1>Trace goods</h1>
      <div class="two-col">
        <form class="card form" onSubmit={search} noValidate data-testid="trace-form" aria-labelledby="trace-forward-heading">
          <h2 id="trace-forward-heading">Follow an identifier</h2>
          <p class="muted">Find every document and shipment that carries a heat number, batch, lot, bill of lading…</p>
          <div class="field">
            <label for="trace-kind">Kind of identifier</label>
            <select
              id="trace-kind"
              value={kindInput}
              onChange={(e) => setKindInput((e.currentTarget as HTMLSelectElement).value)}
              data-testid="trace-kind"
            >
              {IDENTIFIER_KINDS.map((k) => (
                <option key={k.value} value={k.value}>
                  {k.label}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="trace-value">Identifier</label>
            <input
              id="trace-value"
              type="text"
              value={valueInput}
              onInput={(e) => setValueInput((e.currentTarget as HTMLInputElement).value)}
              aria-invalid={valueError ? "true" : undefined}
              aria-describedby={valueError ? "trace-value-error" : undefined}
              spellcheck={false}
              data-testid="trace-value"
            />
            {valueError && (
              <p class="field-error" id="trace-value-error">
                {valueError}
              </p>
            )}
          </div>
          <button type="submit" class="button-primary" data-testid="trace-submit">
            Trace
          </button>
        </form>
        <form class="card form" onSubmit={openShipment} noValidate aria-labelledby="trace-back-heading">
          <h2 id="trace-back-heading">Trace a shipment back</h2>
          <p class="muted">Open a shipment to see the mills and wells its goods come from.</p>
          <div class="field">
            <label for="trace-shipment">Shipment identifier</label>
            <input
              id="trace-shipment"
              type="text"
              value={shipmentId}
              onInput={(e) => setShipmentId((e.currentTarget as HTMLInputElement).value)}
              aria-invalid={shipmentError ? "true" : undefined}
              aria-describedby={shipmentError ? "trace-shipment-error" : undefined}
              spellcheck={false}
            />
            {shipmentError && (
              <p class="field-error" id="trace-shipment-error">
                {shipmentError}
              </p>
            )}
          </div>
          <button type="submit" class="button-secondary">
            Open shipment
          </button>
        </form>
      </div>
      {active && error !== undefined && error !== null && (
        <ErrorBox error={error} title="The trace could not be run." onRetry={reload} />
      )}
      {active && loading && <Loading label="Tracing…" />}
      {active && data && !loading && <Results t={data} />}
    </section>
  );
}
