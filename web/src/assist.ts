// The one conversation with the USMCA assistant (POST /assist/chat, public), shared by the
// header's chat panel and the #/assistant page so that moving between them keeps the thread.
// The node's sessionId is kept for follow-up questions ("and for cars?") until the user starts
// a new conversation or reloads the page.
import { useEffect, useState } from "preact/hooks";
import { api } from "./api";
import type { AssistAnswer } from "./types";

// The assistant refuses questions over 2,000 bytes; say so before sending.
export const MAX_QUESTION_BYTES = 2000;

export interface Turn {
  id: number;
  // What the person sees as their question (a related topic's readable name, not its id).
  question: string;
  answer?: AssistAnswer;
  error?: unknown;
}

export interface AssistState {
  turns: Turn[];
  pending: boolean;
  // The side panel is open.
  open: boolean;
  // The #/assistant page is showing the conversation (the panel then stays closed).
  pageShown: boolean;
  // The sentence the live region reads out for the latest answer.
  announcement: string;
}

let state: AssistState = { turns: [], pending: false, open: false, pageShown: false, announcement: "" };
let sessionId: string | null = null;
let nextId = 1;
const listeners = new Set<() => void>();

function set(patch: Partial<AssistState>): void {
  state = { ...state, ...patch };
  for (const l of listeners) l();
}

export function useAssist(): AssistState {
  const [, force] = useState(0);
  useEffect(() => {
    const l = () => force((n) => n + 1);
    listeners.add(l);
    return () => {
      listeners.delete(l);
    };
  }, []);
  return state;
}

export function getAssist(): AssistState {
  return state;
}

export function setAssistOpen(open: boolean): void {
  if (state.open !== open) set({ open });
}

export function setAssistPageShown(shown: boolean): void {
  if (state.pageShown !== shown) set({ pageShown: shown, ...(shown ? { open: false } : {}) });
}

export function resetConversation(): void {
  sessionId = null;
  set({ turns: [], announcement: "" });
}

// Checks a question before sending; returns the sentence to show, or null when it can go.
export function questionProblem(text: string): string | null {
  const q = text.trim();
  if (!q) return "Type a question first.";
  if (new TextEncoder().encode(q).length > MAX_QUESTION_BYTES) {
    return `Questions are at most ${MAX_QUESTION_BYTES} bytes. Please shorten it.`;
  }
  return null;
}

const KIND_WORDS: Record<string, string> = {
  answer: "The assistant answered",
  calculation: "The assistant calculated",
  clarify: "The assistant asks",
  decline: "The assistant declined",
  unknown: "The assistant does not know",
  refused: "The assistant did not accept the question",
};

// Sends `message` (what the node receives) and shows `shown` as the question.
export async function ask(message: string, shown = message): Promise<void> {
  const q = message.trim();
  if (!q || state.pending || questionProblem(q)) return;
  const id = nextId++;
  set({ pending: true, turns: [...state.turns, { id, question: shown.trim() || q }], announcement: "" });
  let patch: Partial<Turn>;
  let announcement: string;
  try {
    // Public route: a 401 here (a stale cookie) must not sign anyone out of the page they are on.
    const answer = await api.post<AssistAnswer>(
      "/assist/chat",
      { message: q, ...(sessionId ? { sessionId } : {}) },
      { expectUnauthorized: true },
    );
    sessionId = answer.sessionId || null;
    const citations = Array.isArray(answer.citations) ? answer.citations : [];
    patch = { answer: { ...answer, citations } };
    const sources = citations.length ? ` ${citations.length} source${citations.length === 1 ? "" : "s"} cited.` : "";
    announcement = `${KIND_WORDS[answer.kind] ?? "The assistant answered"}: ${answer.answer}${sources}`;
  } catch (error) {
    patch = { error };
    announcement = "The assistant could not answer this time.";
  }
  // A "new conversation" while the answer was on its way drops it.
  if (!state.turns.some((t) => t.id === id)) {
    set({ pending: false });
    return;
  }
  set({
    pending: false,
    turns: state.turns.map((t) => (t.id === id ? { ...t, ...patch } : t)),
    announcement,
  });
}

// "certification.nine-elements" -> "Certification: nine elements". The node lists related
// topics by their knowledge-base id; a full question is shown as it is.
export function topicLabel(related: string): string {
  if (/\s/.test(related) || !related.includes(".")) return related;
  const [head, ...rest] = related.split(".");
  const words = (s: string) => s.replace(/[-_]+/g, " ").trim();
  const first = words(head);
  const label = first.charAt(0).toUpperCase() + first.slice(1);
  return rest.length ? `${label}: ${rest.map(words).join(", ")}` : label;
}
