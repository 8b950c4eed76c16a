// A ledger receipt: where something was recorded on the node's tamper-evident log, with the
// offline-verifiable proof (C2SP tlog-proof) fetched on request and offered for download.
import { useState } from "preact/hooks";
import { api, seg } from "../api";
import { ErrorBox } from "./Feedback";

export function Receipt({ index, what }: { index: number | null | undefined; what: string }) {
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);

  if (index === null || index === undefined) {
    return (
      <li class="receipt" data-testid="receipt" data-index="">
        <span class="receipt-what">{what}</span>: waiting to be written to the ledger. Reload in a moment to
        see its position.
      </li>
    );
  }
  const path = `/ledger/receipts/${seg(index)}`;
  const show = async () => {
    setPending(true);
    setError(null);
    try {
      setText(await api.get<string>(path, { as: "text" }));
    } catch (e) {
      setError(e);
    } finally {
      setPending(false);
    }
  };
  return (
    <li class="receipt" data-testid="receipt" data-index={index}>
      <p>
        <span class="receipt-what">{what}</span>: ledger entry{" "}
        <a href={`#/ledger?index=${index}`} data-testid="receipt-entry-link">
          #{index}
        </a>
      </p>
      <div class="receipt-actions">
        {text === null ? (
          <button type="button" class="button-secondary" onClick={show} disabled={pending} data-testid="receipt-show">
            {pending ? "Fetching receipt…" : "Show receipt"}
          </button>
        ) : (
          <button type="button" class="button-secondary" onClick={() => setText(null)}>
            Hide receipt
          </button>
        )}
        <a href={path} download={`traceport-entry-${index}.tlog-proof`} class="button-link">
          Download receipt
        </a>
      </div>
      {error !== null && <ErrorBox error={error} title="The receipt is not available yet." />}
      {text !== null && (
        <pre class="receipt-text" tabIndex={0} aria-label={`Receipt for ledger entry ${index}`} data-testid="receipt-text">
          {text}
        </pre>
      )}
    </li>
  );
}
