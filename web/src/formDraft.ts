// What a person has typed into the generated form (a "draft"), kept apart from the document it
// becomes: numbers stay as the text typed until the form is sent, optional groups can be left
// out, list rows keep a stable key while rows above them are removed. Pure functions only.
import type { Json, JsonObject } from "./credential";
import { type Field, type Problem, childPointer, humanize, pointerTokens } from "./schema";

export type Draft =
  | { t: "text"; raw: string }
  | { t: "bool"; value: boolean }
  // `more`: whether the group's optional fields are shown (unset: when one has a value or problem).
  | { t: "object"; present: boolean; props: Record<string, Draft>; more?: boolean }
  | { t: "array"; rows: Row[] }
  | { t: "none" };

export interface Row {
  id: number;
  draft: Draft;
}

let rowIds = 0;
export function newRow(draft: Draft): Row {
  rowIds += 1;
  return { id: rowIds, draft };
}

// How a field is held: required flags and fixed values have no text.
export function draftKind(field: Field, required: boolean): Draft["t"] {
  switch (field.kind) {
    case "object":
      return "object";
    case "array":
      return "array";
    case "boolean":
      return required ? "bool" : "text";
    case "const":
      return required ? "none" : "bool";
    case "hidden":
      return "none";
    default:
      return "text";
  }
}

export function emptyDraft(field: Field, required: boolean): Draft {
  switch (draftKind(field, required)) {
    case "object":
      return { t: "object", present: required, props: {} };
    case "array": {
      const f = field as Extract<Field, { kind: "array" }>;
      const n = required ? Math.max(f.minItems, 1) : 0;
      return { t: "array", rows: Array.from({ length: n }, () => newRow(emptyDraft(f.items, true))) };
    }
    case "bool":
      return { t: "bool", value: false };
    case "none":
      return { t: "none" };
    default:
      return { t: "text", raw: "" };
  }
}

// The draft of `field`, or a fresh one when what is held does not fit (another type's draft).
export function draftOf(field: Field, required: boolean, draft: Draft | undefined): Draft {
  const kind = draftKind(field, required);
  if (draft && draft.t === kind) {
    // A required group is always there.
    if (draft.t === "object" && required && !draft.present) return { ...draft, present: true };
    return draft;
  }
  return emptyDraft(field, required);
}

// <input type="datetime-local"> gives "2026-03-31T14:30" (or with seconds); the node wants
// RFC 3339. The form says the time is UTC.
export function localToRfc3339(raw: string): string {
  const v = raw.trim();
  if (/^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}$/.test(v)) return `${v}:00Z`;
  if (/^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?$/.test(v)) return `${v}Z`;
  return v;
}

export function rfc3339ToLocal(value: string): string {
  const m = /^([0-9]{4}-[0-9]{2}-[0-9]{2})[Tt]([0-9]{2}:[0-9]{2}(:[0-9]{2})?)/.exec(value);
  return m ? `${m[1]}T${m[2]}` : "";
}

const NUMBER = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$/;
const INTEGER = /^[+-]?[0-9]+$/;

// The document value of a draft; what cannot be converted (text in a number field, broken JSON,
// an empty list row) goes to `errors` at its pointer. Empty optional members are left out.
export function buildValue(
  field: Field,
  draft: Draft | undefined,
  pointer: string,
  required: boolean,
  errors: Problem[],
): Json | undefined {
  const d = draftOf(field, required, draft);
  switch (field.kind) {
    case "hidden":
      return undefined;
    case "const":
      if (required) return field.value;
      return d.t === "bool" && d.value ? field.value : undefined;
    case "boolean":
      if (d.t === "bool") return d.value;
      if (d.t === "text") return d.raw === "true" ? true : d.raw === "false" ? false : undefined;
      return undefined;
    case "object": {
      if (d.t !== "object" || !d.present) return undefined;
      const out: JsonObject = {};
      for (const p of field.properties) {
        const v = buildValue(p.field, d.props[p.name], childPointer(pointer, p.name), p.required, errors);
        if (v !== undefined) {
          Object.defineProperty(out, p.name, { value: v, enumerable: true, writable: true, configurable: true });
        }
      }
      return out;
    }
    case "array": {
      if (d.t !== "array") return undefined;
      if (d.rows.length === 0) return required ? [] : undefined;
      return d.rows.map((row, i) => {
        const at = childPointer(pointer, i);
        const v = buildValue(field.items, row.draft, at, true, errors);
        if (v === undefined) {
          errors.push({ pointer: at, message: "Fill in this entry or remove it." });
          return null;
        }
        return v;
      });
    }
    default:
      break;
  }
  if (d.t !== "text") return undefined;
  const raw = d.raw.trim();
  if (raw === "") return undefined;
  switch (field.kind) {
    case "number":
      if (!NUMBER.test(raw)) {
        errors.push({ pointer, message: "Enter a number, such as 12 or 3.5." });
        return null;
      }
      return Number(raw);
    case "integer":
      if (!INTEGER.test(raw) || !Number.isSafeInteger(Number(raw))) {
        errors.push({ pointer, message: "Enter a whole number, such as 12." });
        return null;
      }
      return Number(raw);
    case "enum": {
      const i = Number(raw);
      return Number.isInteger(i) && i >= 0 && i < field.options.length ? field.options[i] : undefined;
    }
    case "json":
      try {
        return JSON.parse(raw) as Json;
      } catch {
        errors.push({ pointer, message: "This is not valid JSON." });
        return null;
      }
    case "string":
      return field.format === "date-time" ? localToRfc3339(raw) : raw;
    default:
      return raw;
  }
}

// The pointers the form shows a place for (every input and every group), so that a problem at
// a pointer the form does not show lands at the nearest group that it does.
export function shownPointers(
  field: Field,
  draft: Draft | undefined,
  pointer: string,
  required: boolean,
  out: Set<string>,
): Set<string> {
  if (field.kind === "hidden") return out;
  out.add(pointer);
  const d = draftOf(field, required, draft);
  if (field.kind === "object" && d.t === "object" && d.present) {
    for (const p of field.properties) shownPointers(p.field, d.props[p.name], childPointer(pointer, p.name), p.required, out);
  }
  if (field.kind === "array" && d.t === "array") {
    d.rows.forEach((row, i) => shownPointers(field.items, row.draft, childPointer(pointer, i), true, out));
  }
  return out;
}

// "Items shipped › entry 1 › Quantity" for a pointer below `field` (the subject).
export function labelPath(field: Field, rootPointer: string, pointer: string): string {
  const rootTokens = pointerTokens(rootPointer);
  const tokens = pointerTokens(pointer);
  const labels: string[] = [];
  let f: Field | undefined = field;
  for (const token of tokens.slice(rootTokens.length)) {
    if (f && f.kind === "object") {
      const prop: { field: Field } | undefined = f.properties.find((p) => p.name === token);
      labels.push(prop ? prop.field.label : humanize(token));
      f = prop?.field;
    } else if (f && f.kind === "array" && /^[0-9]+$/.test(token)) {
      labels.push(`entry ${Number(token) + 1}`);
      f = f.items;
    } else {
      labels.push(/^[0-9]+$/.test(token) ? `entry ${Number(token) + 1}` : humanize(token));
      f = undefined;
    }
  }
  return labels.join(" › ");
}

// The stable test and element id of the input for a pointer: "/credentialSubject/seller/name"
// -> "field-credentialSubject-seller-name" (the pointer as RFC 6901 writes it, slashes made
// dashes; characters outside letters, digits, "-", "_", "~" and "." become "_").
export function fieldId(pointer: string): string {
  return `field-${pointer.replace(/^\//, "").replace(/\//g, "-").replace(/[^A-Za-z0-9_.~-]/g, "_")}`;
}
