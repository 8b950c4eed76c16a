// The USMCA assistant (POST /assist/chat): questions about the USMCA and US import basics,
// answered from a reviewed knowledge base with citations. The conversation keeps the session id
// the node returns, so follow-up questions ("and for cars?") keep their context.
import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "../api";
import { ErrorBox } from "../components/Feedback";
import { formatDate, safeExternalUrl } from "../format";
import { useTitle } from "../hooks";
import type { AssistAnswer } from "../types";

// The assistant refuses questions over 2,000 bytes; say so before sending.
const MAX_BYTES = 2000;

interface Turn {
  question: string;
  answer?: AssistAnswer;
  error?: unknown;
}

const KIND_LABELS: Record<string, string> = {
  answer: "Answer",
  calculation: "Calculation",
  clarify: "Question back",
  decline: "Outside what I cover",
  unknown: "I don't know",
  refused: "Not accepted",
};

function AnswerView({ a, onAsk }: { a: AssistAnswer; onAsk: (q: string) => void }) {
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
      {a.citations.length > 0 && (
        <div class="citations">
          <p class="small">Sources:</p>
          <ul>
            {a.citations.map((c, i) => {
              const url = safeExternalUrl(c.url);
              return (
                <li key={i}>
                  {url ? (
                    <a href={url} target="_blank" rel="noopener noreferrer">
                      {c.label}
                      <span class="visually-hidden"> (opens in a new tab)</span>
                    </a>
                  ) : (
                    c.label
                  )}
                </li>
              );
            })}
          </ul>
        </div>
      )}
      {a.related && a.related.length > 0 && (
        <div class="related">
          <p class="small">Related questions:</p>
          <ul class="inline-list">
            {a.related.map((q) => (
              <li key={q}>
                <button type="button" class="chip-button" onClick={() => onAsk(q)}>
                  {q}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

export function AssistantPage() {
  useTitle("Assistant");
  const [turns, setTurns] = useState<Turn[]>([]);
  const [message, setMessage] = useState("");
  const [inputError, setInputError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const sessionId = useRef<string | null>(null);
  const logEnd = useRef<HTMLDivElement>(null);

  useEffect(() => {
    logEnd.current?.scrollIntoView({ block: "nearest" });
  }, [turns]);

  const ask = async (question: string) => {
    const q = question.trim();
    if (!q) {
      setInputError("Type a question first.");
      return;
    }
    if (new TextEncoder().encode(q).length > MAX_BYTES) {
      setInputError(`Questions are at most ${MAX_BYTES} bytes. Please shorten it.`);
      return;
    }
    if (pending) return;
    setInputError(null);
    setPending(true);
    setMessage("");
    setTurns((t) => [...t, { question: q }]);
    let turn: Turn;
    try {
      const answer = await api.post<AssistAnswer>("/assist/chat", {
        message: q,
        ...(sessionId.current ? { sessionId: sessionId.current } : {}),
      });
      sessionId.current = answer.sessionId || null;
      turn = { question: q, answer };
    } catch (error) {
      turn = { question: q, error };
    }
    setTurns((t) => [...t.slice(0, -1), turn]);
    setPending(false);
  };

  return (
    <section class="assistant">
      <div class="page-head">
        <h1>USMCA assistant</h1>
        {turns.length > 0 && (
          <button
            type="button"
            class="button-secondary"
            onClick={() => {
              setTurns([]);
              sessionId.current = null;
            }}
          >
            New conversation
          </button>
        )}
      </div>
      <p class="muted">
        Ask about USMCA rules of origin, certifications, duties and fees, or US import basics. Answers come from a
        reviewed knowledge base with their sources; the assistant says when it does not know. It is not legal advice.
      </p>
      <div class="chat-log card" role="log" aria-live="polite" aria-label="Conversation" data-testid="assist-log">
        {turns.length === 0 && <p class="muted">For example: “Who may certify origin under USMCA?”</p>}
        {turns.map((t, i) => (
          <div class="turn" key={i}>
            <p class="assist-question">
              <span class="visually-hidden">You asked: </span>
              {t.question}
            </p>
            {t.answer && <AnswerView a={t.answer} onAsk={(q) => void ask(q)} />}
            {t.error !== undefined && <ErrorBox error={t.error} title="No answer this time." />}
            {!t.answer && t.error === undefined && <p class="muted">Thinking…</p>}
          </div>
        ))}
        <div ref={logEnd} />
      </div>
      <form
        class="chat-form"
        onSubmit={(e) => {
          e.preventDefault();
          void ask(message);
        }}
        noValidate
        data-testid="assist-form"
      >
        <label for="assist-message">Your question</label>
        <textarea
          id="assist-message"
          rows={3}
          value={message}
          onInput={(e) => setMessage((e.currentTarget as HTMLTextAreaElement).value)}
          onKeyDown={(e) => {
            // Enter sends; Shift+Enter starts a new line.
            if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              void ask(message);
            }
          }}
          aria-invalid={inputError ? "true" : undefined}
          aria-describedby={`assist-message-hint${inputError ? " assist-message-error" : ""}`}
          data-testid="assist-message"
        />
        <p class="hint" id="assist-message-hint">
          Enter sends, Shift+Enter starts a new line.
        </p>
        {inputError && (
          <p class="field-error" id="assist-message-error">
            {inputError}
          </p>
        )}
        <button type="submit" class="button-primary" disabled={pending} data-testid="assist-send">
          {pending ? "Asking…" : "Ask"}
        </button>
      </form>
    </section>
  );
}
