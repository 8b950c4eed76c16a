// The officer's queue: submissions filtered and sorted by the server (GET /customs/submissions).
// The filters live in the address (#/queue?status=held&sort=arrival) so that going back from a
// shipment returns to the same list.
import { useEffect, useState } from "preact/hooks";
import { api, seg } from "../api";
import { RiskBadge, StatusBadge } from "../components/Badges";
import { ErrorBox, Loading } from "../components/Feedback";
import {
  STATUS_LABELS,
  WORKFLOWS,
  formatDateTime,
  formatLeadTime,
  plural,
  shortDid,
  workflowName,
} from "../format";
import { useLoad, useTitle } from "../hooks";
import { href, navigate } from "../router";
import type { SubmissionList, SubmissionSummary } from "../types";

// The server sorts each key one way only; the headers say which.
const SORTS: Record<string, { label: string; order: "descending" | "ascending"; words: string }> = {
  risk: { label: "Risk", order: "descending", words: "highest risk first" },
  arrival: { label: "Arrival", order: "ascending", words: "soonest arrival first" },
  lead: { label: "Lead time", order: "ascending", words: "shortest lead time first" },
  received: { label: "Received", order: "descending", words: "most recently received first" },
};

function SortHeader({ sortKey, current, onSort }: { sortKey: string; current: string; onSort: (k: string) => void }) {
  const s = SORTS[sortKey];
  const active = current === sortKey;
  return (
    <th scope="col" aria-sort={active ? s.order : undefined} class="sortable">
      <button
        type="button"
        class="sort-button"
        onClick={() => onSort(sortKey)}
        data-testid={`sort-${sortKey}`}
      >
        {s.label}
        <span aria-hidden="true" class="sort-icon">
          {active ? (s.order === "descending" ? " ▼" : " ▲") : " ⇵"}
        </span>
        <span class="visually-hidden">{active ? `, sorted ${s.words}` : `, sort ${s.words}`}</span>
      </button>
    </th>
  );
}

function RuleChips({ rules }: { rules: string[] }) {
  if (rules.length === 0) return null;
  const shown = rules.slice(0, 3);
  return (
    <ul class="chips">
      {shown.map((r) => (
        <li key={r}>
          <code>{r}</code>
        </li>
      ))}
      {rules.length > shown.length && <li class="muted">+{rules.length - shown.length} more</li>}
    </ul>
  );
}

function QueueRow({ s }: { s: SubmissionSummary }) {
  const link = "#/submissions/" + seg(s.id);
  const open = (e: MouseEvent) => {
    // The first cell's link handles its own clicks; selecting text is not a click to open.
    if ((e.target as HTMLElement).closest("a, button")) return;
    if (window.getSelection()?.toString()) return;
    navigate(link);
  };
  const findings = s.findingCount ?? s.rules.length;
  return (
    <tr class="row-link" onClick={open} data-testid="queue-row" data-id={s.id} data-status={s.status}>
      <th scope="row">
        <a href={link} data-testid="queue-row-link">
          {s.id}
        </a>
      </th>
      <td>{workflowName(s.workflow)}</td>
      <td title={s.holder}>{shortDid(s.holder)}</td>
      <td>
        <StatusBadge status={s.status} />
      </td>
      <td class="num">
        <RiskBadge risk={s.risk} />
      </td>
      <td>
        {findings === 0 ? <span class="muted">None</span> : plural(findings, "finding")}
        <RuleChips rules={s.rules} />
      </td>
      <td>{formatDateTime(s.arrivalAt)}</td>
      <td class="num">{formatLeadTime(s.leadTimeHours)}</td>
      <td>{formatDateTime(s.receivedAt)}</td>
    </tr>
  );
}

export function QueuePage({ query }: { query: URLSearchParams }) {
  useTitle("Queue");
  const status = query.get("status") ?? "";
  const workflow = query.get("workflow") ?? "";
  const minRisk = query.get("minRisk") ?? "";
  const sort = SORTS[query.get("sort") ?? ""] ? (query.get("sort") as string) : "risk";

  const [riskInput, setRiskInput] = useState(minRisk);
  const [riskError, setRiskError] = useState<string | null>(null);
  useEffect(() => setRiskInput(minRisk), [minRisk]);

  const { data, error, loading, reload } = useLoad(
    (signal) =>
      api.get<SubmissionList>("/customs/submissions", {
        query: { status, workflow, minRisk, sort },
        signal,
      }),
    [status, workflow, minRisk, sort],
    { keepPrevious: true },
  );

  const update = (changes: Record<string, string>) => {
    const next = { status, workflow, minRisk, sort: sort === "risk" ? "" : sort, ...changes };
    if (next.sort === "risk") next.sort = "";
    navigate(href("/queue", next), true);
  };

  const applyRisk = () => {
    const text = riskInput.trim();
    if (text === "") {
      setRiskError(null);
      if (minRisk !== "") update({ minRisk: "" });
      return;
    }
    const n = Number(text);
    if (!Number.isInteger(n) || n < 0 || n > 100) {
      setRiskError("Enter a whole number from 0 to 100.");
      return;
    }
    setRiskError(null);
    if (String(n) !== minRisk) update({ minRisk: String(n) });
  };

  const list = data?.submissions ?? [];
  const filtered = status !== "" || workflow !== "" || minRisk !== "";

  return (
    <section>
      <div class="page-head">
        <h1>Submissions queue</h1>
        <button type="button" class="button-secondary" onClick={reload} disabled={loading} data-testid="queue-refresh">
          Refresh
        </button>
      </div>
      <form
        class="filters card"
        aria-label="Filter the queue"
        data-testid="queue-filters"
        onSubmit={(e) => {
          e.preventDefault();
          applyRisk();
        }}
      >
        <div class="field">
          <label for="filter-status">Status</label>
          <select
            id="filter-status"
            value={status}
            onChange={(e) => update({ status: (e.currentTarget as HTMLSelectElement).value })}
            data-testid="filter-status"
          >
            <option value="">Any status</option>
            {Object.entries(STATUS_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="filter-workflow">Workflow</label>
          <select
            id="filter-workflow"
            value={workflow}
            onChange={(e) => update({ workflow: (e.currentTarget as HTMLSelectElement).value })}
            data-testid="filter-workflow"
          >
            <option value="">Any workflow</option>
            {WORKFLOWS.map((w) => (
              <option key={w.value} value={w.value}>
                {w.label}
              </option>
            ))}
            {workflow && !WORKFLOWS.some((w) => w.value === workflow) && <option value={workflow}>{workflow}</option>}
          </select>
        </div>
        <div class="field">
          <label for="filter-min-risk">Minimum risk (0–100)</label>
          <input
            id="filter-min-risk"
            type="number"
            inputMode="numeric"
            min={0}
            max={100}
            step={1}
            value={riskInput}
            onInput={(e) => setRiskInput((e.currentTarget as HTMLInputElement).value)}
            onChange={applyRisk}
            aria-invalid={riskError ? "true" : undefined}
            aria-describedby={riskError ? "filter-min-risk-error" : undefined}
            data-testid="filter-min-risk"
          />
          {riskError && (
            <p class="field-error" id="filter-min-risk-error">
              {riskError}
            </p>
          )}
        </div>
        <div class="filter-actions">
          <button type="submit" class="button-secondary" data-testid="filter-apply">
            Apply
          </button>
          {filtered && (
            <button
              type="button"
              class="button-link"
              onClick={() => {
                setRiskError(null);
                navigate(href("/queue", { sort: sort === "risk" ? "" : sort }), true);
              }}
              data-testid="filter-clear"
            >
              Clear filters
            </button>
          )}
        </div>
      </form>

      {error !== undefined && error !== null ? (
        <ErrorBox error={error} title="The queue could not be loaded." onRetry={reload} />
      ) : null}
      {loading && !data && <Loading label="Loading the queue…" />}
      {data && (
        <>
          <p class="result-count" role="status" aria-live="polite" data-testid="queue-count">
            {loading ? "Updating…" : `${plural(list.length, "submission")}${filtered ? " match these filters" : ""}.`}
          </p>
          {list.length === 0 ? (
            <p class="empty" data-testid="queue-empty">
              {filtered ? "No submissions match these filters." : "No submissions have been received yet."}
            </p>
          ) : (
            <div class="table-scroll" role="region" aria-labelledby="queue-caption" tabIndex={0}>
              <table class="data-table" data-testid="queue-table">
                <caption id="queue-caption">
                  Submissions, sorted by {SORTS[sort].words}. Select a row to open the shipment.
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Shipment</th>
                    <th scope="col">Workflow</th>
                    <th scope="col">Submitted by</th>
                    <th scope="col">Status</th>
                    <SortHeader sortKey="risk" current={sort} onSort={(k) => update({ sort: k })} />
                    <th scope="col">Findings</th>
                    <SortHeader sortKey="arrival" current={sort} onSort={(k) => update({ sort: k })} />
                    <SortHeader sortKey="lead" current={sort} onSort={(k) => update({ sort: k })} />
                    <SortHeader sortKey="received" current={sort} onSort={(k) => update({ sort: k })} />
                  </tr>
                </thead>
                <tbody>
                  {list.map((s) => (
                    <QueueRow key={s.id} s={s} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
