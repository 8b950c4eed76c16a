// The importer's shipments: what it submitted to customs, where each stands, and customs'
// latest decision with its reason (GET /portal/api/shipments).
import { api } from "../api";
import { RiskBadge, StatusBadge } from "../components/Badges";
import { ErrorBox, Loading } from "../components/Feedback";
import { decisionLabel, formatDateTime, plural, shortDid, workflowName } from "../format";
import { useLoad, useTitle } from "../hooks";
import { href } from "../router";
import type { ImporterShipment } from "../types";

export function ShipmentsPage() {
  useTitle("My shipments");
  const { data, error, loading, reload } = useLoad(
    (signal) => api.get<{ items: ImporterShipment[] }>("/portal/api/shipments", { signal }),
    [],
  );
  const items = data?.items ?? [];
  return (
    <section>
      <div class="page-head">
        <h1>My shipments</h1>
        <button type="button" class="button-secondary" onClick={reload} disabled={loading}>
          Refresh
        </button>
      </div>
      <p class="muted">
        The shipments your organization submitted to customs, and what customs decided.{" "}
        <a href={href("/submit")} data-testid="shipments-new">
          Submit a new shipment
        </a>
        .
      </p>
      {error !== undefined && error !== null && (
        <ErrorBox error={error} title="Your shipments could not be loaded." onRetry={reload} />
      )}
      {loading && !data && <Loading label="Loading your shipments…" />}
      {data &&
        (items.length === 0 ? (
          <p class="empty" data-testid="shipments-empty">
            You have not submitted any shipments yet.
          </p>
        ) : (
          <>
            <p class="result-count" role="status" data-testid="shipments-count">
              {plural(items.length, "shipment")}.
            </p>
            <div class="table-scroll" role="region" aria-labelledby="shipments-caption" tabIndex={0}>
              <table class="data-table" data-testid="shipments-table">
                <caption id="shipments-caption">Your shipments, with customs' latest decision.</caption>
                <thead>
                  <tr>
                    <th scope="col">Shipment</th>
                    <th scope="col">Workflow</th>
                    <th scope="col">Customs</th>
                    <th scope="col">Status</th>
                    <th scope="col">Risk</th>
                    <th scope="col">Arrival</th>
                    <th scope="col">Received</th>
                    <th scope="col">Decision</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((s) => (
                    <tr key={s.id} data-testid="shipment-row" data-id={s.id} data-status={s.status}>
                      <th scope="row" class="break">
                        {s.id}
                      </th>
                      <td>{workflowName(s.workflow)}</td>
                      <td title={s.customs}>{shortDid(s.customs)}</td>
                      <td>
                        <StatusBadge status={s.status} />
                      </td>
                      <td class="num">
                        <RiskBadge risk={s.risk} />
                      </td>
                      <td>{formatDateTime(s.arrival)}</td>
                      <td>{formatDateTime(s.receivedAt)}</td>
                      <td data-testid="shipment-decision">
                        {s.decision ? (
                          <>
                            <strong>{decisionLabel(s.decision.decision)}</strong>
                            {s.decision.decidedAt && <span class="muted small"> {formatDateTime(s.decision.decidedAt)}</span>}
                            {s.decision.reason && <p class="decision-reason">{s.decision.reason}</p>}
                          </>
                        ) : (
                          <span class="muted">Not decided yet</span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        ))}
    </section>
  );
}
