// How pages say "wait", "that failed" and "nothing here". Errors are sentences from the server's
// problem `detail` (api.ts); schema problems are listed with where they are.
import type { ComponentChildren } from "preact";
import { ApiError, errorMessage } from "../api";

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <p class="loading" role="status" aria-live="polite">
      {label}
    </p>
  );
}

export function ErrorBox({
  error,
  title,
  onRetry,
  testid = "error",
}: {
  error: unknown;
  title?: string;
  onRetry?: () => void;
  testid?: string;
}) {
  const items = error instanceof ApiError ? error.errors : [];
  return (
    <div class="notice notice-error" role="alert" data-testid={testid}>
      {title && <p class="notice-title">{title}</p>}
      <p>{errorMessage(error)}</p>
      {items.length > 0 && (
        <ul>
          {items.map((item, i) => (
            <li key={i}>
              {item.document !== undefined && <>Document {item.document + 1}: </>}
              {item.pointer ? <code>{item.pointer}</code> : null}
              {item.pointer ? " — " : null}
              {item.message}
            </li>
          ))}
        </ul>
      )}
      {onRetry && (
        <button type="button" class="button-secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Notice({
  kind = "info",
  children,
  testid,
}: {
  kind?: "info" | "success" | "warning";
  children: ComponentChildren;
  testid?: string;
}) {
  return (
    <div class={`notice notice-${kind}`} role={kind === "success" ? "status" : undefined} data-testid={testid}>
      {children}
    </div>
  );
}
