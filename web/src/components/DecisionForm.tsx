// The officer's decision on a shipment: release, hold, exam or request information, always with
// a reason (it is recorded on the ledger with the rule ids found, so it must say why).
import { useRef, useState } from "preact/hooks";
import { api, seg } from "../api";
import { DECISIONS } from "../format";
import type { Decision } from "../types";
import { ErrorBox } from "./Feedback";

// The server refuses reasons over 1500 bytes of UTF-8 (they go on the ledger).
const MAX_REASON_BYTES = 1500;
const encoder = new TextEncoder();

export function DecisionForm({
  submissionId,
  onRecorded,
}: {
  submissionId: string;
  onRecorded: (d: Decision) => void;
}) {
  const [decision, setDecision] = useState("");
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<{ decision?: string; reason?: string }>({});
  const [serverError, setServerError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const bytes = encoder.encode(reason).length;

  const check = () => {
    const found: { decision?: string; reason?: string } = {};
    if (!DECISIONS.some((d) => d.value === decision)) found.decision = "Choose a decision.";
    if (!reason.trim()) found.reason = "Give a reason: it is recorded with the decision.";
    else if (bytes > MAX_REASON_BYTES)
      found.reason = `The reason is too long: at most ${MAX_REASON_BYTES} bytes, this is ${bytes}.`;
    return found;
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (pending) return;
    const found = check();
    setErrors(found);
    setServerError(null);
    if (found.decision) {
      form.current?.querySelector<HTMLInputElement>("input[name=decision]")?.focus();
      return;
    }
    if (found.reason) {
      form.current?.querySelector<HTMLTextAreaElement>("textarea")?.focus();
      return;
    }
    setPending(true);
    try {
      const recorded = await api.post<Decision>(`/customs/submissions/${seg(submissionId)}/decision`, {
        decision,
        reason: reason.trim(),
      });
      setDecision("");
      setReason("");
      onRecorded(recorded);
    } catch (err) {
      setServerError(err);
    } finally {
      setPending(false);
    }
  };

  return (
    <form ref={form} class="decision-form" onSubmit={submit} noValidate data-testid="decision-form">
      <fieldset
        aria-invalid={errors.decision ? "true" : undefined}
        aria-describedby={errors.decision ? "decision-choice-error" : undefined}
      >
        <legend>Decision</legend>
        {DECISIONS.map((d) => (
          <div class="radio" key={d.value}>
            <input
              type="radio"
              id={`decision-${d.value}`}
              name="decision"
              value={d.value}
              checked={decision === d.value}
              onChange={() => {
                setDecision(d.value);
                setErrors((x) => ({ ...x, decision: undefined }));
              }}
              aria-describedby={`decision-${d.value}-hint`}
              data-testid={`decision-option-${d.value}`}
            />
            <label for={`decision-${d.value}`}>
              {d.label}
              <span class="hint" id={`decision-${d.value}-hint`}>
                {" "}
                — {d.hint}
              </span>
            </label>
          </div>
        ))}
        {errors.decision && (
          <p class="field-error" id="decision-choice-error">
            {errors.decision}
          </p>
        )}
      </fieldset>
      <div class="field">
        <label for="decision-reason">Reason</label>
        <p class="hint" id="decision-reason-hint">
          Recorded on the ledger with the rules that found something. Say what you saw and why.
        </p>
        <textarea
          id="decision-reason"
          rows={4}
          value={reason}
          onInput={(e) => {
            setReason((e.currentTarget as HTMLTextAreaElement).value);
            if (errors.reason) setErrors((x) => ({ ...x, reason: undefined }));
          }}
          required
          aria-invalid={errors.reason ? "true" : undefined}
          aria-describedby={`decision-reason-hint decision-reason-count${errors.reason ? " decision-reason-error" : ""}`}
          data-testid="decision-reason"
        />
        <p class={`hint ${bytes > MAX_REASON_BYTES ? "over" : ""}`} id="decision-reason-count">
          {bytes} of {MAX_REASON_BYTES} bytes
        </p>
        {errors.reason && (
          <p class="field-error" id="decision-reason-error">
            {errors.reason}
          </p>
        )}
      </div>
      {serverError !== null && <ErrorBox error={serverError} title="The decision was not recorded." testid="decision-error" />}
      <button type="submit" class="button-primary" disabled={pending} data-testid="decision-submit">
        {pending ? "Recording…" : "Record decision"}
      </button>
    </form>
  );
}
