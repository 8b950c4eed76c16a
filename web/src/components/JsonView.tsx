// Shows an arbitrary JSON value (a credential's subject, a ledger entry) as nested lists of
// text. Values are always rendered as text nodes: a credential's content is untrusted.
import type { Json } from "../credential";

function label(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/^./, (c) => c.toUpperCase());
}

export function JsonView({ value, depth = 0 }: { value: Json | undefined; depth?: number }) {
  if (value === null || value === undefined) return <span class="muted">none</span>;
  if (typeof value !== "object") return <span class="json-scalar">{String(value)}</span>;
  if (depth > 12) return <span class="muted">(nested too deeply to show)</span>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <span class="muted">empty list</span>;
    if (value.every((v) => v === null || typeof v !== "object")) {
      return <span class="json-scalar">{value.map((v) => String(v)).join(", ")}</span>;
    }
    return (
      <ol class="json-list">
        {value.map((v, i) => (
          <li key={i}>
            <JsonView value={v} depth={depth + 1} />
          </li>
        ))}
      </ol>
    );
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return <span class="muted">empty</span>;
  return (
    <dl class="json-object">
      {entries.map(([k, v]) => (
        <div key={k} class="json-pair">
          <dt title={k}>{label(k)}</dt>
          <dd>
            <JsonView value={v} depth={depth + 1} />
          </dd>
        </div>
      ))}
    </dl>
  );
}
