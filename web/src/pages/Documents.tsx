// The issuer's page: issue trade documents of one type (POST /documents/issue) from a form
// generated from the type's JSON Schema, from a CSV file uploaded in batches, or from JSON; and
// list, revoke, suspend and reinstate the credentials the organization issued.
import { useMemo, useState } from "preact/hooks";
import { api } from "../api";
import { ErrorBox, Loading } from "../components/Feedback";
import { typeName } from "../format";
import { useLoad, useTitle } from "../hooks";
import { SECURING } from "../issue";
import { schemasFromTypes } from "../schemaSource";
import type { DocumentTypes } from "../types";
import { IssueCsvTab } from "./IssueCsv";
import { IssueFormTab } from "./IssueForm";
import { IssueJsonTab } from "./IssueJson";
import { IssuedCredentials } from "./IssuedCredentials";

type Tab = "form" | "csv" | "json";

const TABS: { key: Tab; label: string }[] = [
  { key: "form", label: "Form" },
  { key: "csv", label: "CSV upload" },
  { key: "json", label: "JSON" },
];

function IssueCard({ answer, onIssued }: { answer: DocumentTypes; onIssued: () => void }) {
  const types = answer.types ?? [];
  const fromNode = useMemo(() => schemasFromTypes(answer), [answer]);
  const [typeKey, setTypeKey] = useState(types[0]?.type ?? "");
  const [securing, setSecuring] = useState("vc-jwt");
  const [tab, setTab] = useState<Tab>("form");
  const [busy, setBusy] = useState(false);
  const type = types.find((t) => t.type === typeKey);

  const select = (next: Tab, focus: boolean) => {
    setTab(next);
    if (focus) document.getElementById(`issue-tab-${next}`)?.focus();
  };
  const onTabKey = (e: KeyboardEvent) => {
    const i = TABS.findIndex((t) => t.key === tab);
    let next = -1;
    if (e.key === "ArrowRight") next = (i + 1) % TABS.length;
    else if (e.key === "ArrowLeft") next = (i - 1 + TABS.length) % TABS.length;
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = TABS.length - 1;
    if (next >= 0) {
      e.preventDefault();
      select(TABS[next].key, true);
    }
  };

  if (types.length === 0) {
    return (
      <section class="card">
        <h2>Issue documents</h2>
        <p class="empty">This node issues no document types.</p>
      </section>
    );
  }

  return (
    <section class="card issue-card" aria-labelledby="issue-heading">
      <h2 id="issue-heading">Issue documents</h2>
      <div class="issue-options">
        <div class="field">
          <label for="issue-type">Document type</label>
          <select
            id="issue-type"
            value={typeKey}
            disabled={busy}
            onChange={(e) => setTypeKey((e.currentTarget as HTMLSelectElement).value)}
            data-testid="issue-type"
          >
            {types.map((t) => (
              <option key={t.type} value={t.type}>
                {t.title || typeName(t.type)} ({t.type})
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="issue-securing">Signature format</label>
          <select
            id="issue-securing"
            value={securing}
            disabled={busy}
            onChange={(e) => setSecuring((e.currentTarget as HTMLSelectElement).value)}
            data-testid="issue-securing"
          >
            {SECURING.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div role="tablist" aria-label="How to give the documents" class="issue-tabs">
        {TABS.map((t) => (
          <button
            key={t.key}
            type="button"
            role="tab"
            id={`issue-tab-${t.key}`}
            aria-selected={tab === t.key}
            aria-controls={`issue-panel-${t.key}`}
            tabIndex={tab === t.key ? 0 : -1}
            class="issue-tab"
            onClick={() => select(t.key, false)}
            onKeyDown={onTabKey}
            data-testid={`issue-tab-${t.key}`}
          >
            {t.label}
          </button>
        ))}
      </div>
      {/* Every panel stays in the page (hidden when not chosen), so that switching tabs keeps
          what was typed and an upload in progress goes on. */}
      <div role="tabpanel" id="issue-panel-form" aria-labelledby="issue-tab-form" class="issue-tab-panel" hidden={tab !== "form"}>
        <IssueFormTab type={type} securing={securing} fromNode={fromNode} active={tab === "form"} onIssued={onIssued} />
      </div>
      <div role="tabpanel" id="issue-panel-csv" aria-labelledby="issue-tab-csv" class="issue-tab-panel" hidden={tab !== "csv"}>
        <IssueCsvTab type={type} securing={securing} fromNode={fromNode} onIssued={onIssued} onBusy={setBusy} />
      </div>
      <div role="tabpanel" id="issue-panel-json" aria-labelledby="issue-tab-json" class="issue-tab-panel" hidden={tab !== "json"}>
        <IssueJsonTab type={type} securing={securing} active={tab === "json"} onIssued={onIssued} />
      </div>
    </section>
  );
}

export function DocumentsPage() {
  useTitle("Issue documents");
  const types = useLoad((signal) => api.get<DocumentTypes>("/documents/types", { signal }), []);
  // Bumped after every issuance, so that the list of issued credentials shows the new ones.
  const [version, setVersion] = useState(0);
  return (
    <section>
      <h1>Issue documents</h1>
      <p class="muted">
        Issue your organization's trade documents as signed credentials, and withdraw them when needed.
      </p>
      {types.error !== undefined && types.error !== null && (
        <ErrorBox error={types.error} title="The document types could not be loaded." onRetry={types.reload} />
      )}
      {types.loading && !types.data && <Loading />}
      {types.data && <IssueCard answer={types.data} onIssued={() => setVersion((v) => v + 1)} />}
      <IssuedCredentials version={version} />
    </section>
  );
}
