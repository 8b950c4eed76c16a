// The customs dashboard: how many submissions arrive each day, how much lead time customs gets
// before the goods arrive, and which rules find problems most often. Computed in the browser
// from the queue (GET /customs/submissions), so it needs no route of its own.
import { useMemo } from "preact/hooks";
import { api } from "../api";
import { BarChart } from "../components/Chart";
import { ErrorBox, Loading } from "../components/Feedback";
import { formatDate, formatLeadTime, plural } from "../format";
import { useLoad, useTitle } from "../hooks";
import type { SubmissionList, SubmissionSummary } from "../types";

// The queue route's own ceiling for one answer is the limit we ask for.
const LIMIT = 1000;
const DAY = 86400;

// Short labels fit under the bars; the long ones are for the table and screen readers.
const LEAD_BUCKETS: { short: string; label: string; test: (h: number) => boolean }[] = [
  { short: "Late", label: "Late (after arrival)", test: (h) => h < 0 },
  { short: "< 1 d", label: "Under 1 day", test: (h) => h >= 0 && h < 24 },
  { short: "1–2 d", label: "1 to 2 days", test: (h) => h >= 24 && h < 48 },
  { short: "2–4 d", label: "2 to 4 days", test: (h) => h >= 48 && h < 96 },
  { short: "4–7 d", label: "4 to 7 days", test: (h) => h >= 96 && h < 168 },
  { short: "≥ 7 d", label: "7 days or more", test: (h) => h >= 168 },
];

interface Stats {
  days: number[];
  perDay: number[];
  lead: number[];
  leadKnown: number;
  medianLead: number | null;
  rules: [string, number][];
  // Rule hits over time: week starts (seconds, Mondays UTC) and, per rule, hits in each week.
  weeks: number[];
  ruleWeeks: [string, number[]][];
  total: number;
  waiting: number;
  highRisk: number;
}

function compute(list: SubmissionSummary[]): Stats {
  const counts = new Map<number, number>();
  for (const s of list) {
    const t = s.receivedAt ? Date.parse(s.receivedAt) : NaN;
    if (Number.isNaN(t)) continue;
    const day = Math.floor(t / 1000 / DAY) * DAY;
    counts.set(day, (counts.get(day) ?? 0) + 1);
  }
  // Every day in the span gets a bar, so quiet days show as gaps rather than disappearing.
  const days: number[] = [];
  const perDay: number[] = [];
  if (counts.size > 0) {
    const first = Math.min(...counts.keys());
    const last = Math.max(...counts.keys());
    for (let d = first; d <= last; d += DAY) {
      days.push(d);
      perDay.push(counts.get(d) ?? 0);
    }
  }
  const leads = list
    .map((s) => s.leadTimeHours)
    .filter((h): h is number => typeof h === "number" && Number.isFinite(h))
    .sort((a, b) => a - b);
  const lead = LEAD_BUCKETS.map((b) => leads.filter(b.test).length);
  const ruleCounts = new Map<string, number>();
  for (const s of list) for (const r of new Set(s.rules)) ruleCounts.set(r, (ruleCounts.get(r) ?? 0) + 1);
  const rules = [...ruleCounts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  // 1970-01-01 was a Thursday: shifting by three days puts week boundaries on Mondays.
  const weekOf = (day: number) => Math.floor((day + 3 * DAY) / (7 * DAY)) * 7 * DAY - 3 * DAY;
  const weeks: number[] = [];
  if (days.length > 0) {
    for (let w = weekOf(days[0]); w <= days[days.length - 1]; w += 7 * DAY) weeks.push(w);
  }
  const ruleWeeks: [string, number[]][] = rules.map(([r]) => [r, weeks.map(() => 0)]);
  const row = new Map(ruleWeeks.map(([r, v]) => [r, v]));
  for (const s of list) {
    const t = s.receivedAt ? Date.parse(s.receivedAt) : NaN;
    if (Number.isNaN(t) || weeks.length === 0) continue;
    const i = Math.round((weekOf(Math.floor(t / 1000 / DAY) * DAY) - weeks[0]) / (7 * DAY));
    for (const r of new Set(s.rules)) {
      const v = row.get(r);
      if (v && i >= 0 && i < v.length) v[i] += 1;
    }
  }
  return {
    weeks,
    ruleWeeks,
    days,
    perDay,
    lead,
    leadKnown: leads.length,
    medianLead: leads.length ? leads[Math.floor(leads.length / 2)] : null,
    rules,
    total: list.length,
    waiting: list.filter((s) => s.status === "received").length,
    highRisk: list.filter((s) => s.risk >= 50).length,
  };
}

function NumbersTable({ caption, head, rows }: { caption: string; head: [string, string]; rows: [string, number][] }) {
  return (
    <details class="numbers">
      <summary>Show the numbers</summary>
      <div class="table-scroll">
        <table class="data-table compact">
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{head[0]}</th>
              <th scope="col" class="num">
                {head[1]}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([k, v]) => (
              <tr key={k}>
                <th scope="row">{k}</th>
                <td class="num">{v}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

// Rule hits per week as a table whose cells are shaded by count: the numbers stay readable
// (and read aloud), the shading shows where problems cluster.
function RuleWeeks({ weeks, rows }: { weeks: number[]; rows: [string, number[]][] }) {
  const max = Math.max(1, ...rows.flatMap(([, v]) => v));
  // Four shades in proportion to the busiest cell: the busiest is always the darkest.
  const level = (n: number) => (n === 0 ? 0 : Math.min(4, Math.max(1, Math.ceil((n * 4) / max))));
  return (
    <div class="table-scroll" role="region" aria-labelledby="rule-weeks-caption" tabIndex={0}>
      <table class="data-table compact rule-weeks" data-testid="rule-weeks">
        <caption id="rule-weeks-caption">Rule hits per week</caption>
        <thead>
          <tr>
            <th scope="col">Rule</th>
            {weeks.map((w) => (
              <th scope="col" class="num" key={w}>
                {formatDate(new Date(w * 1000).toISOString())}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(([rule, values]) => (
            <tr key={rule}>
              <th scope="row">{rule}</th>
              {values.map((n, i) => (
                <td class={`num heat-${level(n)}`} key={weeks[i]}>
                  {n}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function DashboardPage() {
  useTitle("Dashboard");
  const { data, error, loading, reload } = useLoad(
    (signal) => api.get<SubmissionList>("/customs/submissions", { query: { sort: "received", limit: LIMIT }, signal }),
    [],
  );
  const stats = useMemo(() => (data ? compute(data.submissions) : null), [data]);

  return (
    <section>
      <div class="page-head">
        <h1>Dashboard</h1>
        <button type="button" class="button-secondary" onClick={reload} disabled={loading}>
          Refresh
        </button>
      </div>
      {error !== undefined && error !== null && (
        <ErrorBox error={error} title="The dashboard could not be loaded." onRetry={reload} />
      )}
      {loading && !data && <Loading label="Loading the figures…" />}
      {stats && (
        <>
          <ul class="tiles" data-testid="dashboard-tiles">
            <li class="tile">
              <span class="tile-value">{stats.total}</span>
              <span class="tile-label">submissions{stats.total >= LIMIT ? " (the most recent)" : ""}</span>
            </li>
            <li class="tile">
              <span class="tile-value">{stats.waiting}</span>
              <span class="tile-label">awaiting a decision</span>
            </li>
            <li class="tile">
              <span class="tile-value">{stats.highRisk}</span>
              <span class="tile-label">with risk 50 or more</span>
            </li>
            <li class="tile">
              <span class="tile-value">{formatLeadTime(stats.medianLead)}</span>
              <span class="tile-label">median lead time</span>
            </li>
          </ul>
          {stats.total === 0 ? (
            <p class="empty">No submissions yet: the charts appear once shipments arrive.</p>
          ) : (
            <div class="chart-grid">
              <section class="card" aria-labelledby="chart-days">
                <h2 id="chart-days">Submissions per day</h2>
                <BarChart
                  x={stats.days}
                  time
                  values={stats.perDay}
                  seriesLabel="Submissions"
                  color="#1d4f91"
                  description={`Bar chart of submissions received per day, ${formatDate(new Date(stats.days[0] * 1000).toISOString())} to ${formatDate(new Date(stats.days[stats.days.length - 1] * 1000).toISOString())}, at most ${Math.max(...stats.perDay)} a day.`}
                  testid="chart-per-day"
                />
                <NumbersTable
                  caption="Submissions received per day (UTC)"
                  head={["Day", "Submissions"]}
                  rows={stats.days.map((d, i) => [formatDate(new Date(d * 1000).toISOString()), stats.perDay[i]])}
                />
              </section>
              <section class="card" aria-labelledby="chart-lead">
                <h2 id="chart-lead">Lead time before arrival</h2>
                <p class="muted small">
                  How long before the goods arrive customs had the complete data ({plural(stats.leadKnown, "shipment")} with
                  a known arrival).
                </p>
                <BarChart
                  x={LEAD_BUCKETS.map((_, i) => i)}
                  labels={LEAD_BUCKETS.map((b) => b.short)}
                  values={stats.lead}
                  seriesLabel="Shipments"
                  color="#1e6b34"
                  description={`Bar chart of lead times: ${LEAD_BUCKETS.map((b, i) => `${b.label} ${stats.lead[i]}`).join(", ")}.`}
                  testid="chart-lead"
                />
                <NumbersTable
                  caption="Shipments by lead time"
                  head={["Lead time", "Shipments"]}
                  rows={LEAD_BUCKETS.map((b, i) => [b.label, stats.lead[i]])}
                />
              </section>
              <section class="card wide" aria-labelledby="chart-rules">
                <h2 id="chart-rules">Rule hits</h2>
                <p class="muted small">How many shipments each rule found a problem with.</p>
                {stats.rules.length === 0 ? (
                  <p>No rule has found a problem.</p>
                ) : (
                  <>
                    <BarChart
                      x={stats.rules.map((_, i) => i)}
                      labels={stats.rules.map(([r]) => r)}
                      values={stats.rules.map(([, n]) => n)}
                      seriesLabel="Shipments"
                      color="#8a3b00"
                      height={300}
                      description={`Bar chart of rule hits: ${stats.rules.map(([r, n]) => `${r} ${n}`).join(", ")}.`}
                      testid="chart-rules"
                    />
                    <NumbersTable caption="Shipments with findings, per rule" head={["Rule", "Shipments"]} rows={stats.rules} />
                  </>
                )}
              </section>
              {stats.ruleWeeks.length > 0 && (
                <section class="card wide" aria-labelledby="chart-rule-weeks">
                  <h2 id="chart-rule-weeks">Rule hits over time</h2>
                  <p class="muted small">
                    Shipments each rule found a problem with, per week of receipt (weeks start on Monday, UTC). Darker cells
                    are more hits.
                  </p>
                  <RuleWeeks weeks={stats.weeks} rows={stats.ruleWeeks} />
                </section>
              )}
            </div>
          )}
        </>
      )}
    </section>
  );
}
