// The fields of a form generated from a JSON Schema (src/schema.ts compiles the schema into
// fields, src/formDraft.ts holds what is typed). Every input has a label, a hint when the schema
// describes the field, its problems linked with aria-describedby, and a data-testid derived from
// the JSON Pointer of the member it fills (formDraft.fieldId). Groups are fieldsets with legends;
// a group's optional fields sit behind a disclosure so that the required ones come first.
import type { ComponentChildren } from "preact";
import { type Draft, draftOf, emptyDraft, fieldId, newRow, shownPointers } from "../formDraft";
import { type Field, type Property, childPointer, humanize, isWithin, pointerTokens } from "../schema";

export interface FormContext {
  // Problems placed at the pointer of the input or group that shows them.
  errors: Map<string, string[]>;
  disabled: boolean;
}

// Moves focus once the next render has put the element in the page.
export function focusSoon(id: string, firstInside = false): void {
  requestAnimationFrame(() => {
    const el = document.getElementById(id);
    if (!el) return;
    const target = firstInside
      ? el.querySelector<HTMLElement>("input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled]), button:not([disabled])")
      : el;
    target?.focus();
  });
}

function hasErrorsWithin(errors: Map<string, string[]>, pointer: string): boolean {
  for (const key of errors.keys()) if (isWithin(key, pointer)) return true;
  return false;
}

function Required({ required }: { required: boolean }) {
  return required ? <span class="sf-req"> (required)</span> : null;
}

function describedBy(...ids: (string | false | undefined | null)[]): string | undefined {
  const list = ids.filter((x): x is string => !!x);
  return list.length ? list.join(" ") : undefined;
}

function ErrorText({ id, messages }: { id: string; messages: string[] | undefined }) {
  if (!messages || messages.length === 0) return null;
  return (
    <p class="field-error" id={id}>
      {messages.join(" ")}
    </p>
  );
}

// Hints from the schema: its description and the limits a person cannot guess.
function hintFor(field: Field): string | undefined {
  const parts: string[] = [];
  if (field.description) parts.push(field.description);
  if (field.kind === "string") {
    if (field.forms) parts.push(`Enter ${field.forms}.`);
    if (field.format === "date-time") parts.push("Date and time in UTC.");
    if (field.minLength !== undefined && field.minLength > 1) parts.push(`At least ${field.minLength} characters.`);
  }
  if (field.kind === "integer" || field.kind === "number") {
    const what = field.kind === "integer" ? "A whole number" : "A number";
    if (field.minimum !== undefined && field.maximum !== undefined) parts.push(`${what} from ${field.minimum} to ${field.maximum}.`);
    else if (field.minimum !== undefined) parts.push(`${what}, ${field.minimum} or more.`);
    else if (field.maximum !== undefined) parts.push(`${what}, ${field.maximum} or less.`);
  }
  if (field.kind === "json") parts.push("Enter this part as JSON.");
  return parts.length ? parts.join(" ") : undefined;
}

interface FieldProps {
  field: Field;
  draft: Draft | undefined;
  required: boolean;
  pointer: string;
  onChange: (d: Draft) => void;
  ctx: FormContext;
  // The label to show instead of the field's own (list rows: "Heat numbers, entry 2").
  label?: string;
}

export function FieldView(props: FieldProps) {
  const { field } = props;
  switch (field.kind) {
    case "hidden":
      return null;
    case "object":
      return <ObjectField {...props} field={field} />;
    case "array":
      return <ArrayField {...props} field={field} />;
    default:
      return <ScalarField {...props} />;
  }
}

function ScalarField({ field, draft, required, pointer, onChange, ctx, label }: FieldProps) {
  const id = fieldId(pointer);
  const d = draftOf(field, required, draft);
  const text = label ?? field.label;
  const hint = hintFor(field);
  const hintId = hint ? `${id}-hint` : undefined;
  const messages = ctx.errors.get(pointer);
  const errorId = messages?.length ? `${id}-error` : undefined;
  const invalid = errorId ? true : undefined;
  const aria = describedBy(hintId, errorId);
  const setText = (raw: string) => onChange({ t: "text", raw });
  const raw = d.t === "text" ? d.raw : "";

  if (field.kind === "const") {
    if (required) {
      return (
        <div class="field">
          <span class="sf-label">{text}</span>
          <p class="sf-fixed" id={id}>
            <span class="mono">{typeof field.value === "string" ? field.value : JSON.stringify(field.value)}</span>{" "}
            <span class="muted small">(fixed by the document type)</span>
          </p>
          <ErrorText id={`${id}-error`} messages={messages} />
        </div>
      );
    }
    return (
      <div class="field">
        <div class="checkbox">
          <input
            type="checkbox"
            id={id}
            data-testid={id}
            checked={d.t === "bool" && d.value}
            disabled={ctx.disabled}
            aria-invalid={invalid}
            aria-describedby={aria}
            onChange={(e) => onChange({ t: "bool", value: (e.currentTarget as HTMLInputElement).checked })}
          />
          <label for={id}>
            {text}: {typeof field.value === "string" ? field.value : JSON.stringify(field.value)}
          </label>
        </div>
        {hint && (
          <p class="hint" id={hintId}>
            {hint}
          </p>
        )}
        <ErrorText id={`${id}-error`} messages={messages} />
      </div>
    );
  }

  if (field.kind === "boolean" && d.t === "bool") {
    return (
      <div class="field">
        <div class="checkbox">
          <input
            type="checkbox"
            id={id}
            data-testid={id}
            checked={d.value}
            disabled={ctx.disabled}
            aria-invalid={invalid}
            aria-describedby={aria}
            onChange={(e) => onChange({ t: "bool", value: (e.currentTarget as HTMLInputElement).checked })}
          />
          <label for={id}>{text}</label>
        </div>
        {hint && (
          <p class="hint" id={hintId}>
            {hint}
          </p>
        )}
        <ErrorText id={`${id}-error`} messages={messages} />
      </div>
    );
  }

  let control: ComponentChildren;
  const common = {
    id,
    "data-testid": id,
    disabled: ctx.disabled,
    "aria-invalid": invalid,
    "aria-describedby": aria,
    "aria-required": required ? true : undefined,
  };
  if (field.kind === "boolean") {
    control = (
      <select {...common} value={raw} onChange={(e) => setText((e.currentTarget as HTMLSelectElement).value)}>
        <option value="">Not stated</option>
        <option value="true">Yes</option>
        <option value="false">No</option>
      </select>
    );
  } else if (field.kind === "enum") {
    control = (
      <select {...common} value={raw} onChange={(e) => setText((e.currentTarget as HTMLSelectElement).value)}>
        <option value="">{required ? "Choose…" : "Not stated"}</option>
        {field.options.map((o, i) => (
          <option key={i} value={String(i)}>
            {String(o)}
          </option>
        ))}
      </select>
    );
  } else if (field.kind === "json" || (field.kind === "string" && field.multiline)) {
    control = (
      <textarea
        {...common}
        rows={field.kind === "json" ? 4 : 3}
        class={field.kind === "json" ? "mono" : undefined}
        spellcheck={field.kind !== "json"}
        value={raw}
        onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)}
      />
    );
  } else if (field.kind === "string" && field.format === "date") {
    control = <input {...common} type="date" value={raw} onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)} />;
  } else if (field.kind === "string" && field.format === "date-time") {
    control = (
      <input
        {...common}
        type="datetime-local"
        step={1}
        value={raw}
        onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)}
      />
    );
  } else {
    const inputMode =
      field.kind === "integer" ? "numeric" : field.kind === "number" || (field.kind === "string" && field.numeric) ? "decimal" : undefined;
    control = (
      <input
        {...common}
        type="text"
        inputMode={inputMode}
        autocomplete="off"
        spellcheck={false}
        value={raw}
        onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)}
      />
    );
  }
  return (
    <div class="field">
      <label for={id}>
        {text}
        <Required required={required} />
      </label>
      {hint && (
        <p class="hint" id={hintId}>
          {hint}
        </p>
      )}
      {control}
      <ErrorText id={`${id}-error`} messages={messages} />
    </div>
  );
}

type ObjectFieldT = Extract<Field, { kind: "object" }>;
type ArrayFieldT = Extract<Field, { kind: "array" }>;

// A group's members: the required ones, then the optional ones behind "More fields".
function Members({
  field,
  d,
  pointer,
  onChange,
  ctx,
}: {
  field: ObjectFieldT;
  d: Extract<Draft, { t: "object" }>;
  pointer: string;
  onChange: (d: Draft) => void;
  ctx: FormContext;
}) {
  const visible = field.properties.filter((p) => p.field.kind !== "hidden");
  const first = visible.filter((p) => p.required || p.field.kind === "const");
  const more = visible.filter((p) => !(p.required || p.field.kind === "const"));
  const setProp = (name: string, child: Draft) => onChange({ ...d, props: { ...d.props, [name]: child } });
  const render = (p: Property) => (
    <FieldView
      key={p.name}
      field={p.field}
      draft={d.props[p.name]}
      required={p.required}
      pointer={childPointer(pointer, p.name)}
      onChange={(child) => setProp(p.name, child)}
      ctx={ctx}
    />
  );
  // Open when asked, or when one of the optional fields has a problem or a value.
  const moreErrors = more.some((p) => hasErrorsWithin(ctx.errors, childPointer(pointer, p.name)));
  const moreFilled = more.some((p) => {
    const c = d.props[p.name];
    return !!c && ((c.t === "text" && c.raw !== "") || (c.t === "bool" && c.value) || (c.t === "object" && c.present) || (c.t === "array" && c.rows.length > 0));
  });
  const open = d.more ?? (moreErrors || moreFilled);
  const moreId = `${fieldId(pointer)}-more`;
  return (
    <>
      {first.map(render)}
      {more.length > 0 && (
        <details
          class="sf-more"
          open={open || moreErrors}
          onToggle={(e) => {
            const now = (e.currentTarget as HTMLDetailsElement).open;
            if (now !== open) onChange({ ...d, more: now });
          }}
        >
          <summary id={moreId} data-testid={`more-${fieldId(pointer).slice("field-".length)}`}>
            {first.length > 0 ? "More fields" : "Fields"} ({more.length}
            {first.length > 0 ? ", optional" : ", all optional"})
          </summary>
          <div class="sf-more-body">{more.map(render)}</div>
        </details>
      )}
    </>
  );
}

function choiceHint(field: ObjectFieldT): string | undefined {
  const parts = field.choices.map((c) => {
    const labels = c.names.map((n) => field.properties.find((p) => p.name === n)?.field.label ?? n);
    const lead = c.mode === "one" ? "Fill in exactly one of" : "Fill in at least one of";
    return `${c.description ? `${c.description.replace(/\.?$/, ".")} ` : ""}${lead}: ${labels.join(", ")}.`;
  });
  if (field.minProperties) parts.push(field.minProperties === 1 ? "Fill in at least one field." : `Fill in at least ${field.minProperties} fields.`);
  return parts.length ? parts.join(" ") : undefined;
}

function ObjectField({ field, draft, required, pointer, onChange, ctx, label }: FieldProps & { field: ObjectFieldT }) {
  const d = draftOf(field, required, draft) as Extract<Draft, { t: "object" }>;
  const id = fieldId(pointer);
  const text = label ?? field.label;
  const messages = ctx.errors.get(pointer);
  const errorId = messages?.length ? `${id}-error` : undefined;
  const hint = [field.description, choiceHint(field)].filter(Boolean).join(" ") || undefined;
  const hintId = hint ? `${id}-hint` : undefined;
  const tid = id.slice("field-".length);

  if (!d.present) {
    return (
      <div class="field sf-optional" id={id} tabIndex={-1}>
        <span class="sf-label">{text}</span>
        {hint && (
          <p class="hint" id={hintId}>
            {hint}
          </p>
        )}
        <ErrorText id={`${id}-error`} messages={messages} />
        <button
          type="button"
          class="button-secondary button-small"
          id={`${id}-add`}
          data-testid={`add-${tid}`}
          disabled={ctx.disabled}
          aria-describedby={describedBy(hintId, errorId)}
          onClick={() => {
            onChange({ t: "object", present: true, props: d.props });
            focusSoon(id, true);
          }}
        >
          Add {text.charAt(0).toLowerCase() + text.slice(1)}
        </button>
      </div>
    );
  }
  return (
    <fieldset class="sf-group" id={id} aria-describedby={describedBy(hintId, errorId)}>
      <legend>
        {text}
        <Required required={required} />
      </legend>
      {hint && (
        <p class="hint" id={hintId}>
          {hint}
        </p>
      )}
      <ErrorText id={`${id}-error`} messages={messages} />
      <Members field={field} d={d} pointer={pointer} onChange={onChange} ctx={ctx} />
      {!required && (
        <button
          type="button"
          class="button-link"
          data-testid={`remove-${tid}`}
          disabled={ctx.disabled}
          onClick={() => {
            onChange({ t: "object", present: false, props: d.props });
            focusSoon(`${id}-add`);
          }}
        >
          Remove {text.charAt(0).toLowerCase() + text.slice(1)}
        </button>
      )}
    </fieldset>
  );
}

function ArrayField({ field, draft, required, pointer, onChange, ctx, label }: FieldProps & { field: ArrayFieldT }) {
  const d = draftOf(field, required, draft) as Extract<Draft, { t: "array" }>;
  const id = fieldId(pointer);
  const tid = id.slice("field-".length);
  const text = label ?? field.label;
  const messages = ctx.errors.get(pointer);
  const errorId = messages?.length ? `${id}-error` : undefined;
  const limits: string[] = [];
  if (field.minItems > 1) limits.push(`At least ${field.minItems} entries.`);
  if (field.maxItems !== undefined) limits.push(`At most ${field.maxItems} entries.`);
  if (field.uniqueItems) limits.push("No entry may repeat another.");
  const hint = [field.description, ...limits].filter(Boolean).join(" ") || undefined;
  const hintId = hint ? `${id}-hint` : undefined;
  const min = required ? Math.max(field.minItems, 1) : 0;
  const full = field.maxItems !== undefined && d.rows.length >= field.maxItems;
  const scalarItems = field.items.kind !== "object" && field.items.kind !== "array";

  const add = () => {
    const rows = [...d.rows, newRow(emptyDraft(field.items, true))];
    onChange({ t: "array", rows });
    focusSoon(`${fieldId(childPointer(pointer, rows.length - 1))}-row`, true);
  };
  const remove = (index: number) => {
    const rows = d.rows.filter((_, i) => i !== index);
    onChange({ t: "array", rows });
    focusSoon(`${id}-add`);
  };
  const setRow = (index: number, child: Draft) =>
    onChange({ t: "array", rows: d.rows.map((r, i) => (i === index ? { ...r, draft: child } : r)) });

  return (
    <fieldset class="sf-group sf-list" id={id} aria-describedby={describedBy(hintId, errorId)}>
      <legend>
        {text}
        <Required required={required} />
      </legend>
      {hint && (
        <p class="hint" id={hintId}>
          {hint}
        </p>
      )}
      <ErrorText id={`${id}-error`} messages={messages} />
      {d.rows.length === 0 && <p class="muted small">No entries.</p>}
      {d.rows.map((row, i) => {
        const rowPointer = childPointer(pointer, i);
        const rowLabel = `${text}, entry ${i + 1}`;
        const rowId = `${fieldId(rowPointer)}-row`;
        const removeButton = (
          <button
            type="button"
            class="button-link"
            data-testid={`remove-${fieldId(rowPointer).slice("field-".length)}`}
            disabled={ctx.disabled || d.rows.length <= min}
            onClick={() => remove(i)}
          >
            Remove<span class="visually-hidden"> {rowLabel}</span>
          </button>
        );
        return scalarItems ? (
          <div class="sf-list-row" id={rowId} key={row.id}>
            <FieldView
              field={field.items}
              draft={row.draft}
              required={true}
              pointer={rowPointer}
              onChange={(c) => setRow(i, c)}
              ctx={ctx}
              label={rowLabel}
            />
            {removeButton}
          </div>
        ) : (
          <div class="sf-list-item" id={rowId} key={row.id}>
            <FieldView
              field={field.items}
              draft={row.draft}
              required={true}
              pointer={rowPointer}
              onChange={(c) => setRow(i, c)}
              ctx={ctx}
              label={rowLabel}
            />
            {removeButton}
          </div>
        );
      })}
      <button
        type="button"
        class="button-secondary button-small"
        id={`${id}-add`}
        data-testid={`add-${tid}`}
        disabled={ctx.disabled || full}
        onClick={add}
      >
        Add entry<span class="visually-hidden"> to {text}</span>
      </button>
    </fieldset>
  );
}

// Puts each problem at the pointer of the nearest input or group the form shows; problems at
// the group itself or above it (the document, its members outside the subject) come back
// unplaced.
export function placeProblems(
  problems: { pointer: string; message: string }[],
  field: Field,
  draft: Draft | undefined,
  rootPointer: string,
): { placed: Map<string, string[]>; at: Map<string, string> } {
  const shown = shownPointers(field, draft, rootPointer, true, new Set());
  const placed = new Map<string, string[]>();
  // For each problem pointer, where it is shown.
  const at = new Map<string, string>();
  for (const p of problems) {
    if (!isWithin(p.pointer, rootPointer)) continue;
    let target = p.pointer;
    while (!shown.has(target) && target.length > rootPointer.length) target = target.replace(/\/[^/]*$/, "");
    // Below what the form shows (a part edited as JSON): say which member it is about.
    const rest = pointerTokens(p.pointer)
      .slice(pointerTokens(target).length)
      .map((t) => (/^[0-9]+$/.test(t) ? `entry ${Number(t) + 1}` : humanize(t)))
      .join(" › ");
    const message = rest ? `${rest}: ${p.message}` : p.message;
    const list = placed.get(target) ?? [];
    if (!list.includes(message)) list.push(message);
    placed.set(target, list);
    at.set(p.pointer, target);
  }
  return { placed, at };
}
