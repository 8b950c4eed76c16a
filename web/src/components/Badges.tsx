// Small labelled markers. Each carries its meaning in text, not only in colour.
import { riskLevel, statusLabel } from "../format";

export function StatusBadge({ status }: { status: string }) {
  return (
    <span class={`badge status-${status.replace(/[^a-z-]/g, "")}`} data-testid="status-badge">
      {statusLabel(status)}
    </span>
  );
}

export function RiskBadge({ risk }: { risk: number | null | undefined }) {
  const level = riskLevel(risk);
  if (level === "none") return <span class="muted">—</span>;
  return (
    <span class={`risk risk-${level}`} title={`Risk ${risk} of 100 (${level})`}>
      <span class="risk-value">{risk}</span>
      <span class="visually-hidden"> of 100, {level} risk</span>
      <span class="risk-bar" aria-hidden="true">
        <span style={{ width: `${Math.min(100, Math.max(0, risk ?? 0))}%` }} />
      </span>
    </span>
  );
}

const SEVERITY_TEXT: Record<string, string> = {
  error: "Error",
  warning: "Warning",
  info: "Note",
};

export function SeverityBadge({ severity }: { severity: string }) {
  return <span class={`badge severity-${severity.replace(/[^a-z]/g, "")}`}>{SEVERITY_TEXT[severity] ?? severity}</span>;
}

const CHECK_TEXT: Record<string, { icon: string; text: string }> = {
  pass: { icon: "✓", text: "Passed" },
  fail: { icon: "✗", text: "Failed" },
  skipped: { icon: "–", text: "Not checked" },
};

export function CheckBadge({ status }: { status: string }) {
  const t = CHECK_TEXT[status] ?? { icon: "?", text: status };
  return (
    <span class={`badge check-${status.replace(/[^a-z]/g, "")}`}>
      <span aria-hidden="true">{t.icon} </span>
      {t.text}
    </span>
  );
}

export function VerifiedBadge({ verified }: { verified: boolean }) {
  return (
    <span class={`badge ${verified ? "check-pass" : "check-fail"}`}>
      <span aria-hidden="true">{verified ? "✓ " : "✗ "}</span>
      {verified ? "Verified" : "Not verified"}
    </span>
  );
}

