// The USMCA assistant's conversation, shown in the header's chat panel on every page (a side
// panel on wide screens, a full-screen dialog on phones) and on the #/assistant page. Answers,
// citations and related topics come from the node and are rendered as text; only http(s)
// citation URLs become links.
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import {
  type Turn,
  ask,
  getAssist,
  questionProblem,
  resetConversation,
  setAssistOpen,
  topicLabel,
  useAssist,
} from "../assist";
import { formatDate, safeExternalUrl } from "../format";
import { useSession } from "../session";
import type { AssistAnswer } from "../types";
import { ErrorBox } from "./Feedback";

const KIND_LABELS: Record<string, string> = {
  answer: "Answer",
  calculation: "Calculation",
  clarify: "Question back",
  decline: "Outside what I cover",
  unknown: "I don't know",
  refused: "Not accepted",
};

function Citations({ citations }: { citations: AssistAnswer["citations"] }) {
  if (citations.length === 0) return null;
  return (
    <div class="citations">
      <p class="small citations-title">Sources</p>
      <ul>
        {citations.map((c, i) => {
          const url = safeExternalUrl(c.url);
          const label = c.label || c.url || `Source ${i + 1}`;
          return (
            <li key={i}>
              {url ? (
                <a href={url} target="_blank" rel="noopener noreferrer" data-testid="assist-citation">
                  {label}
                  <span class="visually-hidden"> (opens in a new tab)</span>
                </a>
              ) : (
                <span data-testid="assist-citation">{label}</span>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function AnswerView({ a, disabled }: { a: AssistAnswer; disabled: boolean }) {
  const related = (a.related ?? []).filter((r) => typeof r === "string" && r.trim());
  return (
    <div class={`assist-answer kind-${a.kind}`} data-testid="assist-answer" data-kind={a.kind}>
      <p class="assist-kind">
        <span class="badge">{KIND_LABELS[a.kind] ?? a.kind}</span>
        {typeof a.confidence === "number" && a.kind === "answer" && (
          <span class="muted small"> confidence {Math.round(a.confidence * 100)}%</span>
        )}
      </p>
      <p class="assist-text">{a.answer}</p>
      {(a.asOf || a.reviewed) && (
        <p class="muted small">
          {a.asOf && <>As of {formatDate(a.asOf)}. </>}
          {a.reviewed && <>Reviewed {formatDate(a.reviewed)}.</>}
        </p>
      )}
      <Citations citations={a.citations} />
      {related.length > 0 && (
        <div class="related">
          <p class="small">Related topics:</p>
          <ul class="inline-list">
            {related.map((q) => (
              <li key={q}>
                <button type="button" class="chip-button" disabled={disabled} onClick={() => void ask(q, topicLabel(q))}>
                  {topicLabel(q)}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

function TurnView({ t, disabled }: { t: Turn; disabled: boolean }) {
  return (
    <li class="turn">
      <p class="assist-question">
        <span class="visually-hidden">You asked: </span>
        {t.question}
      </p>
      {t.answer && <AnswerView a={t.answer} disabled={disabled} />}
      {t.error !== undefined && <ErrorBox error={t.error} title="No answer this time." testid="assist-error" />}
      {!t.answer && t.error === undefined && <p class="muted assist-thinking">Thinking…</p>}
    </li>
  );
}

// The conversation and the question form. `idPrefix` keeps element ids unique.
export function AssistConversation({ idPrefix, compact = false }: { idPrefix: string; compact?: boolean }) {
  const { turns, pending, announcement } = useAssist();
  const [message, setMessage] = useState("");
  const [inputError, setInputError] = useState<string | null>(null);
  const logRef = useRef<HTMLDivElement>(null);
  const inputId = `${idPrefix}-input`;

  // Bring the newest turn to the top of the log, so a long answer reads from its start (the log
  // scrolls by itself; the page never does).
  useLayoutEffect(() => {
    const log = logRef.current;
    const last = log?.querySelector<HTMLElement>(".turn:last-child");
    if (log && last) log.scrollTop = Math.max(0, last.offsetTop - 8);
  }, [turns]);

  const send = () => {
    const problem = questionProblem(message);
    if (problem) {
      setInputError(problem);
      document.getElementById(inputId)?.focus();
      return;
    }
    if (pending) return;
    setInputError(null);
    const q = message;
    setMessage("");
    void ask(q);
  };

  return (
    <div class={`assist-conversation${compact ? " compact" : ""}`}>
      <div
        class="chat-log"
        ref={logRef}
        tabIndex={0}
        role="region"
        aria-label="Conversation with the assistant"
        data-testid="assist-log"
      >
        {turns.length === 0 ? (
          <p class="muted">
            Ask about USMCA rules of origin, certifications, duties and fees, or US import basics. For example: “Who
            may certify origin under USMCA?” or “What is the MPF on a $10,000 entry?”
          </p>
        ) : (
          <ol class="turns">
            {turns.map((t) => (
              <TurnView key={t.id} t={t} disabled={pending} />
            ))}
          </ol>
        )}
      </div>
      {/* New answers are read out once, in short, rather than the whole log again. */}
      <p class="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="assist-live">
        {announcement}
      </p>
      <form
        class="chat-form"
        onSubmit={(e) => {
          e.preventDefault();
          send();
        }}
        noValidate
        data-testid="assist-form"
      >
        <label for={inputId}>Your question</label>
        <textarea
          id={inputId}
          rows={compact ? 2 : 3}
          value={message}
          onInput={(e) => {
            setMessage((e.currentTarget as HTMLTextAreaElement).value);
            if (inputError) setInputError(null);
          }}
          onKeyDown={(e) => {
            // Enter sends; Shift+Enter starts a new line.
            if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              send();
            }
          }}
          aria-invalid={inputError ? "true" : undefined}
          aria-describedby={`${idPrefix}-hint${inputError ? ` ${idPrefix}-error` : ""}`}
          data-testid="assist-input"
        />
        <p class="hint" id={`${idPrefix}-hint`}>
          Enter sends, Shift+Enter starts a new line. Answers come from a reviewed knowledge base with their sources;
          this is not legal advice.
        </p>
        {inputError && (
          <p class="field-error" id={`${idPrefix}-error`}>
            {inputError}
          </p>
        )}
        <div class="form-actions">
          <button type="submit" class="button-primary" disabled={pending} data-testid="assist-send">
            {pending ? "Asking…" : "Ask"}
          </button>
          {turns.length > 0 && (
            <button
              type="button"
              class="button-link"
              onClick={() => {
                resetConversation();
                document.getElementById(inputId)?.focus();
              }}
              data-testid="assist-reset"
            >
              New conversation
            </button>
          )}
        </div>
      </form>
    </div>
  );
}

const PANEL_ID = "assist-panel";
const TOGGLE_ID = "assist-toggle";
// Below this width the panel covers the screen and is modal.
const PHONE = "(max-width: 640px)";

export function AssistToggle() {
  const { open } = useAssist();
  return (
    <button
      type="button"
      id={TOGGLE_ID}
      class="button-secondary assist-toggle"
      aria-expanded={open ? "true" : "false"}
      aria-controls={PANEL_ID}
      aria-haspopup="dialog"
      onClick={() => setAssistOpen(!getAssist().open)}
      data-testid="assist-toggle"
    >
      <span aria-hidden="true" class="assist-toggle-icon">
        ?
      </span>{" "}
      Ask the assistant
    </button>
  );
}

// The panel itself: a <dialog>, shown non-modal beside the page on wide screens and modal (the
// rest of the page inert) on phones. Focus moves into it on opening; Escape or Close closes it
// and puts focus back on the header button.
export function AssistPanel() {
  const { open } = useAssist();
  const { session } = useSession();
  const ref = useRef<HTMLDialogElement>(null);
  // Whether closing should hand focus back to the toggle (not when the #/assistant page takes over).
  const restore = useRef(false);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      const modal = window.matchMedia(PHONE).matches;
      try {
        if (modal) dialog.showModal();
        else dialog.show();
      } catch {
        dialog.setAttribute("open", "");
      }
      dialog.classList.toggle("is-modal", modal);
      // On wide screens the page makes room for the panel instead of hiding under it.
      document.documentElement.classList.toggle("assist-open", !modal);
      restore.current = true;
      requestAnimationFrame(() => dialog.querySelector<HTMLTextAreaElement>("textarea")?.focus());
    } else if (!open && dialog.open) {
      const inside = dialog.contains(document.activeElement);
      dialog.close();
      document.documentElement.classList.remove("assist-open");
      if (restore.current && (inside || document.activeElement === document.body)) {
        document.getElementById(TOGGLE_ID)?.focus();
      }
      restore.current = false;
    }
  }, [open]);

  const close = () => setAssistOpen(false);

  return (
    <dialog
      ref={ref}
      id={PANEL_ID}
      class="assist-panel"
      aria-labelledby="assist-panel-title"
      data-testid="assist-panel"
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.preventDefault();
          e.stopPropagation();
          close();
        }
      }}
      // A modal dialog's own Escape handling ("cancel") goes through the same path.
      onCancel={(e) => {
        e.preventDefault();
        close();
      }}
    >
      {open && (
        <>
          <div class="assist-panel-head">
            <h2 id="assist-panel-title">USMCA assistant</h2>
            <button type="button" class="button-secondary" onClick={close} data-testid="assist-close">
              Close<span class="visually-hidden"> the assistant</span>
            </button>
          </div>
          <AssistConversation idPrefix="assist-panel" compact />
          {session && (
            <p class="assist-panel-foot small">
              <a href="#/assistant">Open the assistant as a page</a>
            </p>
          )}
        </>
      )}
    </dialog>
  );
}
