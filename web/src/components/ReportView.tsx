// A verification report as a list a person can read: each named check, whether it passed, what
// it means and the verifier's reason. Used for the public verify page and for each credential
// of a shipment.
import { CHECKS, checkLabel } from "../format";
import type { Check, VerificationReport } from "../types";
import { CheckBadge } from "./Badges";

export function CheckList({ checks, explain = true }: { checks: Check[]; explain?: boolean }) {
  if (checks.length === 0) return <p class="muted">The verifier reported no checks.</p>;
  return (
    <ul class="checks" data-testid="check-list">
      {checks.map((c, i) => (
        <li key={`${c.name}-${i}`} class={`check check-row-${c.status}`} data-testid="check" data-check={c.name} data-status={c.status}>
          <div class="check-head">
            <CheckBadge status={c.status} />
            <span class="check-name">{checkLabel(c.name)}</span>
            <code class="check-id">{c.name}</code>
            {c.required === false && <span class="muted"> (optional)</span>}
          </div>
          {explain && CHECKS[c.name] && <p class="check-explains">{CHECKS[c.name].explains}</p>}
          {c.reason && (
            <p class="check-reason">
              <span class="visually-hidden">Verifier's reason: </span>
              {c.reason}
              {c.pointer && (
                <>
                  {" "}
                  (at <code>{c.pointer}</code>)
                </>
              )}
            </p>
          )}
        </li>
      ))}
    </ul>
  );
}

export function ProblemList({ problems }: { problems: VerificationReport["problems"] }) {
  if (!problems || problems.length === 0) return null;
  return (
    <div class="problems">
      <h4>Problems found in the document</h4>
      <ul>
        {problems.map((p, i) => (
          <li key={i}>
            {p.pointer ? <code>{p.pointer}</code> : "The whole document"}: {p.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
