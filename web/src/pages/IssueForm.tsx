// The issuer's form tab: one document of the chosen type, its fields generated from the type's
// JSON Schema. Problems are found before sending (the same schema, src/schema.ts) and shown next
// to their fields with a summary that links to each; the node's own refusal is mapped back to
// the fields through its JSON Pointers.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { api } from "../api";
import { ErrorBox, Loading, Notice } from "../components/Feedback";
import { IssuedList } from "../components/IssuedList";
import { FieldView, type FormContext, placeProblems } from "../components/SchemaForm";
import type { Json, JsonObject } from "../credential";
import { plural, typeName } from "../format";
import { type Draft, buildValue, emptyDraft, fieldId, labelPath, localToRfc3339, shownPointers } from "../formDraft";
import { documentProblems, refusalSentence } from "../issue";
import { type Problem, checkDocument, compileField, isWithin, requiredMembers, subjectSchema } from "../schema";
import { type LoadedSchema, loadSchema } from "../schemaSource";
import type { DocumentType, IssueResult } from "../types";

const SUBJECT = "/credentialSubject";

interface TypeDraft {
  subject: Draft | undefined;
  validFrom: string;
  validUntil: string;
}

const EMPTY: TypeDraft = { subject: undefined, validFrom: "", validUntil: "" };

type SchemaState = { status: "loading" } | { status: "none" } | { status: "ready"; loaded: LoadedSchema };

// Loads (once per type) the schema the form is built from.
export function useTypeSchema(type: DocumentType | undefined, fromNode: Map<string, Json>): SchemaState {
  const [state, setState] = useState<SchemaState>({ status: "loading" });
  const cache = useRef(new Map<string, LoadedSchema | null>());
  useEffect(() => {
    if (!type) {
      setState({ status: "none" });
      return;
    }
    const known = cache.current.get(type.type);
    if (known !== undefined) {
      setState(known ? { status: "ready", loaded: known } : { status: "none" });
      return;
    }
    let live = true;
    setState({ status: "loading" });
    loadSchema(type, fromNode).then(
      (loaded) => {
        cache.current.set(type.type, loaded);
        if (live) setState(loaded ? { status: "ready", loaded } : { status: "none" });
      },
      () => {
        if (live) setState({ status: "none" });
      },
    );
    return () => {
      live = false;
    };
  }, [type, fromNode]);
  return state;
}

function focusField(id: string): void {
  const el = document.getElementById(id);
  if (!el) return;
  const target = el.matches("input, select, textarea, button, summary")
    ? el
    : el.querySelector<HTMLElement>("input:not([disabled]), select:not([disabled]), textarea:not([disabled]), button:not([disabled])") ?? el;
  target.focus();
  target.scrollIntoView?.({ block: "center" });
}

function DateTimeField({
  id,
  label,
  hint,
  value,
  onChange,
  required,
  messages,
  disabled,
}: {
  id: string;
  label: string;
  hint: string;
  value: string;
  onChange: (v: string) => void;
  required: boolean;
  messages: string[] | undefined;
  disabled: boolean;
}) {
  const errorId = messages?.length ? `${id}-error` : undefined;
  return (
    <div class="field">
      <label for={id}>
        {label}
        {required && <span class="sf-req"> (required)</span>}
      </label>
      <p class="hint" id={`${id}-hint`}>
        {hint}
      </p>
      <input
        type="datetime-local"
        step={1}
        id={id}
        data-testid={id}
        value={value}
        disabled={disabled}
        aria-required={required ? true : undefined}
        aria-invalid={errorId ? true : undefined}
        aria-describedby={errorId ? `${id}-hint ${errorId}` : `${id}-hint`}
        onInput={(e) => onChange((e.currentTarget as HTMLInputElement).value)}
      />
      {errorId && (
        <p class="field-error" id={errorId}>
          {messages!.join(" ")}
        </p>
      )}
    </div>
  );
}

export function IssueFormTab({
  type,
  securing,
  fromNode,
  active,
  onIssued,
}: {
  type: DocumentType | undefined;
  securing: string;
  fromNode: Map<string, Json>;
  active: boolean;
  onIssued: () => void;
}) {
  const schema = useTypeSchema(type, fromNode);
  const [drafts, setDrafts] = useState<Record<string, TypeDraft>>({});
  const [problems, setProblems] = useState<Problem[]>([]);
  const [fromServer, setFromServer] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<IssueResult | null>(null);
  const [pending, setPending] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);

  const loaded = schema.status === "ready" ? schema.loaded : null;
  const compiled = useMemo(() => {
    if (!loaded) return null;
    const at = subjectSchema(loaded.store, loaded.uri);
    if (!at) return null;
    return { at, field: compileField(loaded.store, [at], "credentialSubject"), members: requiredMembers(loaded.store, loaded.uri) };
  }, [loaded]);

  // A new type starts without the previous type's problems and result.
  useEffect(() => {
    setProblems([]);
    setFromServer(null);
    setError(null);
    setResult(null);
  }, [type?.type]);

  if (!type) return <p class="muted">Choose a document type first.</p>;
  if (schema.status === "loading") return <Loading label="Loading the form for this document type…" />;
  if (!loaded || !compiled) {
    return (
      <Notice kind="warning" testid="schema-form-unavailable">
        <p>
          The form for {type.title || typeName(type.type)} is not available: the node did not send this type's schema and
          the portal has no copy of it. Use the CSV or JSON tab instead.
        </p>
      </Notice>
    );
  }

  const key = type.type;
  const current = drafts[key] ?? EMPTY;
  const setCurrent = (next: Partial<TypeDraft>) => setDrafts((all) => ({ ...all, [key]: { ...(all[key] ?? EMPTY), ...next } }));
  const { field } = compiled;
  const subjectDraft = current.subject ?? emptyDraft(field, true);

  const { placed, at } = placeProblems(problems, field, subjectDraft, SUBJECT);
  const memberErrors = new Map<string, string[]>();
  for (const p of problems) {
    if (!isWithin(p.pointer, SUBJECT)) memberErrors.set(p.pointer, [...(memberErrors.get(p.pointer) ?? []), p.message]);
  }
  const ctx: FormContext = { errors: placed, disabled: pending };

  // The summary lists the problems in the order of the form.
  const order = new Map([...shownPointers(field, subjectDraft, SUBJECT, true, new Set())].map((ptr, i) => [ptr, i]));
  const rank = (pointer: string) =>
    isWithin(pointer, SUBJECT) ? (order.get(at.get(pointer) ?? SUBJECT) ?? 0) : pointer === "/validFrom" ? 1e6 : pointer === "/validUntil" ? 1e6 + 1 : -1;
  const sorted = problems.map((p, i) => ({ p, i })).sort((a, b) => rank(a.p.pointer) - rank(b.p.pointer) || a.i - b.i).map((x) => x.p);
  const summaryItems = sorted.map((p) => {
    let label: string;
    let target: string;
    if (isWithin(p.pointer, SUBJECT)) {
      label = labelPath(field, SUBJECT, p.pointer) || type.title || typeName(type.type);
      target = fieldId(at.get(p.pointer) ?? SUBJECT);
    } else if (p.pointer === "/validFrom" || p.pointer === "/validUntil") {
      label = p.pointer === "/validFrom" ? "Valid from" : "Valid until";
      target = fieldId(p.pointer);
    } else {
      label = p.pointer ? `The document (${p.pointer})` : "The document";
      target = "";
    }
    return { label, target, message: p.message };
  });

  const submit = async (e: Event) => {
    e.preventDefault();
    if (pending) return;
    setResult(null);
    setError(null);
    setFromServer(null);
    const conv: Problem[] = [];
    const subject = buildValue(field, subjectDraft, SUBJECT, true, conv);
    const doc: JsonObject = { credentialSubject: (subject as JsonObject | undefined) ?? {} };
    if (current.validFrom.trim()) doc.validFrom = localToRfc3339(current.validFrom);
    if (current.validUntil.trim()) doc.validUntil = localToRfc3339(current.validUntil);
    const converted = new Set(conv.map((p) => p.pointer));
    const found = [...conv, ...checkDocument(loaded.store, loaded.uri, type.type, doc).filter((p) => !converted.has(p.pointer))];
    if (typeof doc.validFrom === "string" && typeof doc.validUntil === "string") {
      const from = Date.parse(doc.validFrom);
      const until = Date.parse(doc.validUntil);
      if (!Number.isNaN(from) && !Number.isNaN(until) && until <= from) {
        found.push({ pointer: "/validUntil", message: "This must be later than “Valid from”." });
      }
    }
    setProblems(found);
    if (found.length > 0) {
      requestAnimationFrame(() => summaryRef.current?.focus());
      return;
    }
    setPending(true);
    try {
      const issued = await api.post<IssueResult>("/documents/issue", {
        type: type.type,
        documents: [doc],
        options: { securing },
      });
      setResult(issued);
      onIssued();
    } catch (err) {
      const mapped = documentProblems(err).filter((p) => (p.document ?? 0) === 0);
      if (mapped.length > 0) {
        setProblems(mapped);
        setFromServer(refusalSentence(err));
        requestAnimationFrame(() => summaryRef.current?.focus());
      } else {
        setError(err);
      }
    } finally {
      setPending(false);
    }
  };

  const clear = () => {
    setCurrent({ subject: emptyDraft(field, true), validFrom: "", validUntil: "" });
    setProblems([]);
    setFromServer(null);
    setError(null);
  };

  const validUntilRequired = compiled.members.has("validUntil");

  return (
    <form onSubmit={submit} noValidate class="form schema-form" data-testid="schema-form" aria-label={`${typeName(type.type)} form`}>
      <p class="muted small">
        Fields marked <span class="sf-req">(required)</span> must be filled in; each group's other fields are under “More
        fields”.
        {loaded.source === "built-in" && " This form is built from the portal's copy of the type's schema; the node checks the document again before signing it."}
      </p>
      {loaded.missing.length > 0 && (
        <Notice kind="warning">
          <p>Parts of this schema could not be loaded ({loaded.missing.join(", ")}); those parts are edited as JSON.</p>
        </Notice>
      )}
      {problems.length > 0 && (
        <div class="notice notice-error" role="alert" tabIndex={-1} ref={summaryRef} data-testid="form-errors">
          <p class="notice-title">
            {fromServer ?? `Nothing was sent: ${plural(problems.length, "problem")} to fix first.`}
          </p>
          <ul>
            {summaryItems.map((item, i) => (
              <li key={i}>
                {item.target ? (
                  <button type="button" class="button-link inline" onClick={() => focusField(item.target)}>
                    {item.label}
                  </button>
                ) : (
                  <strong>{item.label}</strong>
                )}
                : {item.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <FieldView
        field={field}
        draft={subjectDraft}
        required={true}
        pointer={SUBJECT}
        onChange={(d) => setCurrent({ subject: d })}
        ctx={ctx}
        label={`${type.title || typeName(type.type)}: the document's content`}
      />
      <fieldset class="sf-group">
        <legend>Validity</legend>
        <DateTimeField
          id={fieldId("/validFrom")}
          label="Valid from"
          hint="Date and time in UTC. Left empty, the document is valid from the moment it is issued."
          value={current.validFrom}
          onChange={(v) => setCurrent({ validFrom: v })}
          required={false}
          messages={memberErrors.get("/validFrom")}
          disabled={pending}
        />
        <DateTimeField
          id={fieldId("/validUntil")}
          label="Valid until"
          hint={
            validUntilRequired
              ? "Date and time in UTC. This document type must say when it expires."
              : "Date and time in UTC. Left empty, the document does not expire."
          }
          value={current.validUntil}
          onChange={(v) => setCurrent({ validUntil: v })}
          required={validUntilRequired}
          messages={memberErrors.get("/validUntil")}
          disabled={pending}
        />
      </fieldset>
      {error !== null && <ErrorBox error={error} title="Nothing was issued." testid="issue-error" />}
      {result && (
        <Notice kind="success" testid={active ? "issue-result" : undefined}>
          <p>
            Issued {plural(result.count, "document")} of type {result.type}.
          </p>
          <IssuedList issued={result.issued} type={result.type} />
        </Notice>
      )}
      <div class="form-actions">
        <button type="submit" class="button-primary" disabled={pending} data-testid="schema-form-submit">
          {pending ? "Issuing…" : "Check and issue"}
        </button>
        <button type="button" class="button-secondary" disabled={pending} onClick={clear} data-testid="schema-form-clear">
          Clear the form
        </button>
      </div>
    </form>
  );
}
