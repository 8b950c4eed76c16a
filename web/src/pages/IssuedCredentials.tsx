// The issuer's own credentials (GET /portal/api/credentials, newest first, at most 500) with
// Revoke, Suspend and Unsuspend (POST /credentials/status). Revoking asks for confirmation in a
// dialog: it cannot be undone. A node without the list route (404) gets the form that changes a
// credential's status by its identifier instead.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { ApiError, api } from "../api";
import { ErrorBox, Loading, Notice } from "../components/Feedback";
import { formatDateTime, plural, shortId, typeName } from "../format";
import { useLoad } from "../hooks";
import { credentialLink } from "../issue";
import type { IssuedCredentialItem, StatusResult } from "../types";

type Action = "revoked" | "suspended" | "unsuspended";

const PAGE = 50;

function mainType(item: IssuedCredentialItem): string {
  const types = item.types ?? [];
  return types.find((t) => t !== "VerifiableCredential") ?? types[0] ?? "";
}

// The status after an action, in the words of the status column.
function stateAfter(action: Action): string {
  return action === "unsuspended" ? "active" : action;
}

function StatusBadgeCell({ state }: { state: string | undefined }) {
  if (!state) {
    return (
      <span class="muted" title="The node does not say in this list">
        <span aria-hidden="true">—</span>
        <span class="visually-hidden">Not known</span>
      </span>
    );
  }
  const label = state === "revoked" ? "Revoked" : state === "suspended" ? "Suspended" : state === "active" ? "In force" : state;
  const cls = state === "revoked" ? "state-removed" : state === "suspended" ? "state-suspended" : "state-active";
  return <span class={`badge ${cls}`}>{label}</span>;
}

function resultSentence(label: string, id: string, result: StatusResult, action: Action): string {
  const update = result.updates?.find((u) => typeof u.status === "string") ?? result.updates?.[0];
  const status = update?.status ?? stateAfter(action);
  const what =
    status === "revoked" ? "is revoked" : status === "suspended" ? "is suspended" : "is in force again (its suspension is lifted)";
  const ledger =
    update?.ledgerIndex !== undefined && update?.ledgerIndex !== null ? ` as entry #${update.ledgerIndex}` : "";
  return `${label} ${id} ${what}. The change is recorded on the ledger${ledger} and published in the organization's status list.`;
}

interface Outcome {
  ok: boolean;
  text?: string;
  error?: unknown;
  ledgerIndex?: number | null;
}

export function IssuedCredentials({ version }: { version: number }) {
  const list = useLoad(
    (signal) => api.get<{ items?: IssuedCredentialItem[] }>("/portal/api/credentials", { signal }),
    [version],
    { keepPrevious: true },
  );
  const [states, setStates] = useState<Record<string, string>>({});
  const [pending, setPending] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [confirming, setConfirming] = useState<IssuedCredentialItem | null>(null);
  const [filter, setFilter] = useState("");
  const [shown, setShown] = useState(PAGE);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const triggerRef = useRef<HTMLElement | null>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (confirming && !dialog.open) dialog.showModal();
    if (!confirming && dialog.open) dialog.close();
  }, [confirming]);

  const items = list.data?.items ?? [];
  const needle = filter.trim().toLowerCase();
  const filtered = useMemo(
    () =>
      needle
        ? items.filter((i) => i.id.toLowerCase().includes(needle) || (i.types ?? []).some((t) => t.toLowerCase().includes(needle) || typeName(t).toLowerCase().includes(needle)))
        : items,
    [items, needle],
  );

  const change = async (item: IssuedCredentialItem, action: Action) => {
    if (pending) return;
    setPending(item.id);
    setOutcome(null);
    const label = typeName(mainType(item));
    try {
      const result = await api.post<StatusResult>("/credentials/status", {
        credentialId: item.id,
        credentialStatus: [{ status: action }],
      });
      const update = result.updates?.find((u) => typeof u.status === "string");
      setStates((s) => ({ ...s, [item.id]: update?.status ?? stateAfter(action) }));
      setOutcome({ ok: true, text: resultSentence(label, item.id, result, action), ledgerIndex: update?.ledgerIndex });
    } catch (e) {
      setOutcome({ ok: false, error: e, text: `${label} ${item.id} was not changed.` });
    } finally {
      setPending(null);
      requestAnimationFrame(() => outcomeRef.current?.focus());
    }
  };

  if (list.error instanceof ApiError && list.error.status === 404) {
    return (
      <section class="card" aria-labelledby="issued-heading" data-testid="credential-list">
        <h2 id="issued-heading">Your issued credentials</h2>
        <Notice kind="info" testid="credential-list-unavailable">
          <p>The list is not available on this node. You can still change a credential's status by its identifier.</p>
        </Notice>
        <StatusByIdForm open />
      </section>
    );
  }

  return (
    <section class="card" aria-labelledby="issued-heading" data-testid="credential-list">
      <div class="page-head">
        <h2 id="issued-heading">Your issued credentials</h2>
        <button type="button" class="button-secondary" onClick={list.reload} disabled={list.loading}>
          {list.loading && list.data ? "Refreshing…" : "Refresh"}
        </button>
      </div>
      {list.error !== undefined && list.error !== null && (
        <ErrorBox error={list.error} title="The list of credentials could not be loaded." onRetry={list.reload} />
      )}
      {list.loading && !list.data && <Loading label="Loading your credentials…" />}
      <div tabIndex={-1} ref={outcomeRef} class="status-outcome" aria-live="polite">
        {outcome &&
          (outcome.ok ? (
            <Notice kind="success" testid="status-result">
              <p>{outcome.text}</p>
              {outcome.ledgerIndex !== undefined && outcome.ledgerIndex !== null && (
                <p>
                  <a href={`#/ledger?index=${outcome.ledgerIndex}`}>See the ledger entry</a>
                </p>
              )}
            </Notice>
          ) : (
            <ErrorBox error={outcome.error} title={outcome.text} testid="status-result" />
          ))}
      </div>
      {list.data && items.length === 0 && <p class="empty">Your organization has not issued any credentials yet.</p>}
      {items.length > 0 && (
        <>
          <div class="field filter-field">
            <label for="credential-filter">Find a credential</label>
            <p class="hint" id="credential-filter-hint">
              Part of its identifier or of its type.
            </p>
            <input
              type="text"
              id="credential-filter"
              value={filter}
              spellcheck={false}
              aria-describedby="credential-filter-hint"
              onInput={(e) => {
                setFilter((e.currentTarget as HTMLInputElement).value);
                setShown(PAGE);
              }}
              data-testid="credential-filter"
            />
          </div>
          <p class="result-count" aria-live="polite">
            {needle ? `${plural(filtered.length, "credential")} of ${items.length} match.` : `${plural(items.length, "credential")}, newest first${items.length >= 500 ? " (the 500 most recent)" : ""}.`}
          </p>
          <div class="table-scroll">
            <table class="data-table cred-table">
              <caption class="visually-hidden">Credentials your organization issued, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Type</th>
                  <th scope="col">Identifier</th>
                  <th scope="col">Issued</th>
                  <th scope="col">Status</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {filtered.slice(0, shown).map((item) => {
                  const t = mainType(item);
                  const label = typeName(t);
                  const state = states[item.id] ?? item.status;
                  const busy = pending === item.id;
                  const who = `${label} ${shortId(item.id)}`;
                  return (
                    <tr key={item.id} data-testid="credential-row" data-id={item.id}>
                      <td data-label="Type" title={t}>
                        {label}
                      </td>
                      <td data-label="Identifier" class="break">
                        <a href={credentialLink(item.id)} class="mono" title="View or print this credential">
                          {item.id}
                        </a>
                      </td>
                      <td data-label="Issued">{formatDateTime(item.createdAt)}</td>
                      <td data-label="Status">
                        <StatusBadgeCell state={state} />
                      </td>
                      <td data-label="Actions">
                        <div class="row-actions">
                          <button
                            type="button"
                            class="button-secondary button-small"
                            disabled={!!pending || state === "revoked" || state === "suspended"}
                            aria-label={`Suspend ${who}`}
                            onClick={() => void change(item, "suspended")}
                            data-testid="credential-suspend"
                          >
                            {busy ? "…" : "Suspend"}
                          </button>
                          <button
                            type="button"
                            class="button-secondary button-small"
                            disabled={!!pending || state === "revoked" || state === "active"}
                            aria-label={`Unsuspend ${who}`}
                            onClick={() => void change(item, "unsuspended")}
                            data-testid="credential-unsuspend"
                          >
                            Unsuspend
                          </button>
                          <button
                            type="button"
                            class="button-danger button-small"
                            disabled={!!pending || state === "revoked"}
                            aria-label={`Revoke ${who}`}
                            aria-haspopup="dialog"
                            onClick={(e) => {
                              triggerRef.current = e.currentTarget as HTMLElement;
                              setConfirming(item);
                            }}
                            data-testid="credential-revoke"
                          >
                            Revoke
                          </button>
                        </div>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {filtered.length > shown && (
            <button type="button" class="button-secondary" onClick={() => setShown((n) => n + PAGE)}>
              Show {Math.min(PAGE, filtered.length - shown)} more
            </button>
          )}
        </>
      )}
      <dialog
        ref={dialogRef}
        class="confirm-dialog"
        aria-labelledby="revoke-title"
        aria-describedby="revoke-text"
        onClose={() => {
          setConfirming(null);
          const trigger = triggerRef.current;
          if (trigger && trigger.isConnected && !(trigger as HTMLButtonElement).disabled) trigger.focus();
        }}
        data-testid="revoke-dialog"
      >
        {confirming && (
          <>
            <h2 id="revoke-title">Revoke this credential?</h2>
            <p id="revoke-text">
              {typeName(mainType(confirming))} <span class="mono break">{confirming.id}</span> will be revoked: verifiers
              will see that your organization withdrew it. <strong>This cannot be undone.</strong> To withdraw it only for a
              while, suspend it instead.
            </p>
            <div class="form-actions">
              <button
                type="button"
                class="button-danger"
                onClick={() => {
                  const item = confirming;
                  setConfirming(null);
                  void change(item, "revoked");
                }}
                data-testid="credential-revoke-confirm"
              >
                Revoke
              </button>
              <button type="button" class="button-secondary" autofocus onClick={() => setConfirming(null)} data-testid="credential-revoke-cancel">
                Cancel
              </button>
            </div>
          </>
        )}
      </dialog>
      <StatusByIdForm />
    </section>
  );
}

// Changes the status of a credential named by its identifier (one older than the list, or on a
// node without the list).
function StatusByIdForm({ open = false }: { open?: boolean }) {
  const [id, setId] = useState("");
  const [status, setStatus] = useState<Action>("suspended");
  const [confirmRevoke, setConfirmRevoke] = useState(false);
  const [inputError, setInputError] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (pending) return;
    setError(null);
    setDone(null);
    const credentialId = id.trim();
    if (!credentialId) {
      setInputError("Enter the credential's identifier.");
      return;
    }
    if (status === "revoked" && !confirmRevoke) {
      setInputError("Confirm that you want to revoke: it cannot be undone.");
      return;
    }
    setInputError(null);
    setPending(true);
    try {
      const result = await api.post<StatusResult>("/credentials/status", { credentialId, credentialStatus: [{ status }] });
      setDone(resultSentence("Credential", credentialId, result, status));
      setConfirmRevoke(false);
    } catch (err) {
      setError(err);
    } finally {
      setPending(false);
    }
  };

  const body = (
    <form class="form" onSubmit={submit} noValidate data-testid="status-form">
      <div class="field">
        <label for="status-id">Credential identifier</label>
        <input
          id="status-id"
          type="text"
          value={id}
          spellcheck={false}
          placeholder="urn:uuid:…"
          onInput={(e) => setId((e.currentTarget as HTMLInputElement).value)}
          aria-invalid={inputError ? true : undefined}
          aria-describedby={inputError ? "status-error" : undefined}
          data-testid="status-id"
        />
      </div>
      <fieldset>
        <legend>Change</legend>
        {(
          [
            { v: "suspended", l: "Suspend (can be lifted later)" },
            { v: "unsuspended", l: "Lift a suspension" },
            { v: "revoked", l: "Revoke (final)" },
          ] as { v: Action; l: string }[]
        ).map((o) => (
          <div class="radio" key={o.v}>
            <input type="radio" id={`status-${o.v}`} name="status" value={o.v} checked={status === o.v} onChange={() => setStatus(o.v)} />
            <label for={`status-${o.v}`}>{o.l}</label>
          </div>
        ))}
      </fieldset>
      {status === "revoked" && (
        <div class="checkbox">
          <input
            type="checkbox"
            id="status-confirm"
            checked={confirmRevoke}
            onChange={(e) => setConfirmRevoke((e.currentTarget as HTMLInputElement).checked)}
          />
          <label for="status-confirm">I understand that revocation cannot be undone.</label>
        </div>
      )}
      {inputError && (
        <p class="field-error" id="status-error">
          {inputError}
        </p>
      )}
      {error !== null && <ErrorBox error={error} title="The status was not changed." testid="status-form-result" />}
      {done && (
        <Notice kind="success" testid="status-form-result">
          <p>{done}</p>
        </Notice>
      )}
      <button type="submit" class="button-primary" disabled={pending}>
        {pending ? "Saving…" : "Change status"}
      </button>
    </form>
  );
  if (open) return body;
  return (
    <details class="status-by-id">
      <summary>Change a credential by its identifier</summary>
      {body}
    </details>
  );
}
