// The one way the portal talks to the node. Every call is same-origin with the session cookie;
// every state-changing call carries the CSRF token the login gave us; every failure becomes an
// ApiError whose message is a sentence a person can read (the RFC 9457 problem's `detail` when
// the server sent one). A 401 on any call but the session probe sends the user to the login page.

export interface ProblemItem {
  pointer?: string;
  message?: string;
  document?: number;
}

export class ApiError extends Error {
  readonly status: number;
  readonly errors: ProblemItem[];
  readonly retryAfterSeconds?: number;
  // The parsed body, for callers that want more than the sentence (e.g. a failed report).
  readonly body?: unknown;

  constructor(
    status: number,
    message: string,
    opts: { errors?: ProblemItem[]; retryAfterSeconds?: number; body?: unknown } = {},
  ) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.errors = opts.errors ?? [];
    this.retryAfterSeconds = opts.retryAfterSeconds;
    this.body = opts.body;
  }
}

let csrfToken = "";
let unauthorizedHandler: (() => void) | null = null;

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

// Called once by the app shell: what to do when the server says the session is gone.
export function onUnauthorized(handler: () => void): void {
  unauthorizedHandler = handler;
}

export type Query = Record<string, string | number | undefined | null>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  // The login and session probe handle 401 themselves (it is an expected answer there).
  expectUnauthorized?: boolean;
  // "text" for the ledger's text/plain answers (checkpoint, receipts).
  as?: "json" | "text";
  // A body sent as it is (a CSV upload) instead of as JSON.
  raw?: { contentType: string; text: string };
}

function buildUrl(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

// Sentences for answers that came without a usable problem body.
function fallbackSentence(status: number): string {
  switch (status) {
    case 400:
      return "The server could not accept this request.";
    case 401:
      return "Your session has ended. Please sign in again.";
    case 403:
      return "Your account is not allowed to do this.";
    case 404:
      return "This could not be found. It may not exist, or it may belong to another organization.";
    case 409:
      return "This conflicts with what is already recorded.";
    case 413:
      return "This is too large for the server to accept.";
    case 429:
      return "Too many requests. Please wait a moment and try again.";
    case 502:
    case 503:
    case 504:
      return "The server is busy or unavailable right now. Please try again shortly.";
    default:
      return status >= 500
        ? "The server ran into a problem. Please try again later."
        : `The request failed (HTTP ${status}).`;
  }
}

function parseRetryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(header);
  if (!Number.isNaN(date)) return Math.max(0, Math.ceil((date - Date.now()) / 1000));
  return undefined;
}

function retrySentence(seconds: number): string {
  if (seconds <= 1) return "Please wait a second and try again.";
  if (seconds < 120) return `Please wait ${seconds} seconds and try again.`;
  return `Please wait ${Math.ceil(seconds / 60)} minutes and try again.`;
}

async function errorFrom(response: Response): Promise<ApiError> {
  let body: unknown;
  const type = response.headers.get("Content-Type") ?? "";
  if (type.includes("json")) {
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
  }
  const problem = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
  const detail = typeof problem.detail === "string" ? problem.detail.trim() : "";
  const title = typeof problem.title === "string" ? problem.title.trim() : "";
  let message = detail || title || fallbackSentence(response.status);
  if (message && !/[.!?]$/.test(message)) message += ".";
  // A problem's text starts lower-case ("wrong organization, ..."); a sentence does not.
  message = message.charAt(0).toUpperCase() + message.slice(1);
  const retryAfterSeconds = parseRetryAfter(response.headers.get("Retry-After"));
  if (response.status === 429 && retryAfterSeconds !== undefined) {
    message = `${message} ${retrySentence(retryAfterSeconds)}`;
  }
  const errors = Array.isArray(problem.errors)
    ? (problem.errors as unknown[]).filter((e): e is ProblemItem => !!e && typeof e === "object")
    : [];
  return new ApiError(response.status, message, { errors, retryAfterSeconds, body });
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = {
    Accept: opts.as === "text" ? "text/plain, application/problem+json" : "application/json",
  };
  let body: string | undefined;
  if (opts.raw) {
    headers["Content-Type"] = opts.raw.contentType;
    body = opts.raw.text;
  } else if (opts.body !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(opts.body);
  }
  if (method !== "GET" && method !== "HEAD" && csrfToken) {
    headers["X-CSRF-Token"] = csrfToken;
  }
  let response: Response;
  try {
    response = await fetch(buildUrl(path, opts.query), {
      method,
      headers,
      body,
      credentials: "same-origin",
      cache: "no-store",
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === "AbortError") throw e;
    throw new ApiError(0, "The server could not be reached. Check your connection and try again.");
  }
  if (!response.ok) {
    const error = await errorFrom(response);
    if (response.status === 401 && !opts.expectUnauthorized && unauthorizedHandler) {
      unauthorizedHandler();
    }
    throw error;
  }
  if (response.status === 204) return undefined as T;
  if (opts.as === "text") return (await response.text()) as T;
  try {
    return (await response.json()) as T;
  } catch {
    throw new ApiError(response.status, "The server sent an answer this page cannot read.");
  }
}

export const api = {
  get: <T>(path: string, opts?: Omit<RequestOptions, "body">) => request<T>("GET", path, opts),
  post: <T>(path: string, body?: unknown, opts?: Omit<RequestOptions, "body">) =>
    request<T>("POST", path, { ...opts, body }),
  // POST with a body that is not JSON (text/csv).
  postRaw: <T>(path: string, contentType: string, text: string, opts?: Omit<RequestOptions, "body" | "raw">) =>
    request<T>("POST", path, { ...opts, raw: { contentType, text } }),
};

// True for the rejection a cancelled request (a page left before its data came) produces.
export function isAbort(e: unknown): boolean {
  return e instanceof DOMException && e.name === "AbortError";
}

// The sentence to show for any failure: never a stack trace or a raw exception.
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  return "Something went wrong while showing this page. Please reload and try again.";
}

// Path segments built from server data are always encoded, never spliced in raw.
export function seg(value: string | number): string {
  return encodeURIComponent(String(value));
}
