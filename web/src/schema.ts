// JSON Schema (draft 2020-12, the dialect of the node's document schemas) for the issuer's form:
// a store that resolves `$ref`s between and inside schema documents, a compiler that turns the
// schema of a credential subject into a tree of form fields, and a validator that checks a value
// and says what is wrong in sentences, each at the JSON Pointer of the member it is about.
//
// The node checks every document again before it signs anything: the checks here are there so
// that people see their mistakes next to the field before sending, not to decide anything.
// Nothing here touches the DOM or the network.
import type { Json, JsonObject } from "./credential";

export type SchemaNode = boolean | JsonObject;

// A schema together with the URI its relative `$ref`s resolve against.
export interface At {
  schema: SchemaNode;
  base: string;
}

function isObject(v: unknown): v is JsonObject {
  return !!v && typeof v === "object" && !Array.isArray(v);
}

function absolute(ref: string, base: string): URL | null {
  try {
    return new URL(ref, base);
  } catch {
    return null;
  }
}

function withoutFragment(url: URL): string {
  return url.href.replace(/#.*$/, "");
}

// ---- JSON Pointers (RFC 6901) ----

export function pointerToken(token: string | number): string {
  return String(token).replace(/~/g, "~0").replace(/\//g, "~1");
}

export function pointerTokens(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}

export function childPointer(pointer: string, token: string | number): string {
  return `${pointer}/${pointerToken(token)}`;
}

export function isWithin(pointer: string, ancestor: string): boolean {
  return pointer === ancestor || pointer.startsWith(ancestor + "/");
}

// ---- The store ----

// Keywords whose values are data, not schemas: never searched for `$id`s or `$ref`s.
const DATA_KEYWORDS = new Set(["enum", "const", "default", "examples"]);

export class SchemaStore {
  private readonly resources = new Map<string, At>();
  private readonly anchors = new Map<string, At>();
  private readonly referenced = new Set<string>();

  // Adds a schema document (and every resource embedded in it with its own `$id`). `uri` names a
  // document that has no `$id`. Returns the document's URI.
  add(doc: Json, uri = "urn:traceport:schema"): string {
    const id = isObject(doc) && typeof doc.$id === "string" ? absolute(doc.$id, uri) : null;
    const docUri = id ? withoutFragment(id) : uri;
    if (isObject(doc) || typeof doc === "boolean") this.index(doc, docUri, 0);
    return docUri;
  }

  has(uri: string): boolean {
    return this.resources.has(uri);
  }

  get(uri: string): At | null {
    return this.resources.get(uri) ?? null;
  }

  // Documents some loaded schema refers to that the store does not hold.
  missing(): string[] {
    return [...this.referenced].filter((u) => !this.resources.has(u));
  }

  private index(node: Json, base: string, depth: number): void {
    if (depth > 200) return;
    if (Array.isArray(node)) {
      for (const item of node) this.index(item, base, depth + 1);
      return;
    }
    if (!isObject(node) && typeof node !== "boolean") return;
    if (typeof node === "boolean") return;
    let here = base;
    if (typeof node.$id === "string") {
      const u = absolute(node.$id, base);
      if (u) {
        here = withoutFragment(u);
        if (!this.resources.has(here)) this.resources.set(here, { schema: node, base: here });
      }
    } else if (depth === 0 && !this.resources.has(base)) {
      this.resources.set(base, { schema: node, base });
    }
    if (typeof node.$anchor === "string") this.anchors.set(`${here}#${node.$anchor}`, { schema: node, base: here });
    if (typeof node.$ref === "string") {
      const u = absolute(node.$ref, here);
      if (u) this.referenced.add(withoutFragment(u));
    }
    for (const [key, value] of Object.entries(node)) {
      if (DATA_KEYWORDS.has(key)) continue;
      if (value && typeof value === "object") this.index(value, here, depth + 1);
    }
  }

  resolve(ref: string, base: string): At | null {
    const u = absolute(ref, base);
    if (!u) return null;
    const docUri = withoutFragment(u);
    const doc = this.resources.get(docUri);
    if (!doc) return null;
    let fragment: string;
    try {
      fragment = decodeURIComponent(u.hash.replace(/^#/, ""));
    } catch {
      return null;
    }
    if (fragment === "") return doc;
    if (!fragment.startsWith("/")) return this.anchors.get(`${docUri}#${fragment}`) ?? null;
    let node: Json | undefined = doc.schema;
    let here = doc.base;
    for (const token of pointerTokens(fragment)) {
      if (Array.isArray(node)) {
        node = node[Number(token)];
      } else if (isObject(node)) {
        node = Object.prototype.hasOwnProperty.call(node, token) ? node[token] : undefined;
      } else {
        return null;
      }
      if (node === undefined) return null;
      if (isObject(node) && typeof node.$id === "string") {
        const v = absolute(node.$id, here);
        if (v) here = withoutFragment(v);
      }
    }
    return isObject(node) || typeof node === "boolean" ? { schema: node, base: here } : null;
  }
}

// The schema and everything it takes in through `$ref` and `allOf`, each with its own base.
export function expand(store: SchemaStore, at: At, depth = 0): At[] {
  if (depth > 40 || typeof at.schema === "boolean") return [at];
  const s = at.schema;
  let base = at.base;
  if (typeof s.$id === "string") {
    const u = absolute(s.$id, base);
    if (u) base = withoutFragment(u);
  }
  const out: At[] = [{ schema: s, base }];
  if (typeof s.$ref === "string") {
    const target = store.resolve(s.$ref, base);
    if (target) out.push(...expand(store, target, depth + 1));
  }
  if (Array.isArray(s.allOf)) {
    for (const sub of s.allOf) {
      if (isObject(sub) || typeof sub === "boolean") out.push(...expand(store, { schema: sub, base }, depth + 1));
    }
  }
  return out;
}

function objectsOf(parts: At[]): { o: JsonObject; base: string }[] {
  return parts.flatMap((p) => (isObject(p.schema) ? [{ o: p.schema, base: p.base }] : []));
}

function firstString(parts: At[], key: string): string | undefined {
  for (const { o } of objectsOf(parts)) {
    const v = o[key];
    if (typeof v === "string" && v.trim()) return v.trim();
  }
  return undefined;
}

// ---- Labels ----

const LABELS: Record<string, string> = {
  id: "Identifier (URI)",
  unLocode: "UN/LOCODE",
  usPortCode: "US port code (Schedule D)",
  firmsCode: "FIRMS code",
  iataAirportCode: "IATA airport code",
  iataCarrierCode: "IATA carrier code",
  scac: "SCAC",
  leiCode: "LEI code",
  taxId: "Tax ID",
  gtin: "GTIN",
  globalLocationNumber: "Global location number (GLN)",
  hsCode: "HS code",
  nbCb: "Nb + Cb",
  ce: "Carbon equivalent (CE)",
  url: "Web address (URL)",
  email: "Email",
};

// "invoiceNumber" -> "Invoice number"; short keys (chemical elements: "mn", "si") -> "Mn", "Si".
export function humanize(name: string): string {
  if (LABELS[name]) return LABELS[name];
  if (/^[a-z]{1,2}$/.test(name)) return name.charAt(0).toUpperCase() + name.slice(1);
  const words = name
    .replace(/[_-]+/g, " ")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .trim()
    .split(/\s+/)
    .map((w, i) => (i > 0 && !/^[A-Z0-9]{2,}$/.test(w) ? w.toLowerCase() : w));
  const text = words.join(" ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// ---- Fields ----

export type Scalar = string | number | boolean;

interface FieldBase {
  label: string;
  description?: string;
}

export type Field =
  | (FieldBase & {
      kind: "string";
      format?: "date" | "date-time";
      // Several accepted forms (a date or a date-time): shown as text with this hint.
      forms?: string;
      multiline: boolean;
      numeric: boolean;
      minLength?: number;
      maxLength?: number;
      patterns: string[];
    })
  | (FieldBase & { kind: "number" | "integer"; minimum?: number; maximum?: number })
  | (FieldBase & { kind: "boolean" })
  | (FieldBase & { kind: "enum"; options: Scalar[] })
  | (FieldBase & { kind: "const"; value: Json })
  | (FieldBase & {
      kind: "object";
      properties: Property[];
      // "fill in at least one of" / "exactly one of" groups (anyOf / oneOf of `required`s).
      choices: { mode: "any" | "one"; names: string[]; description?: string }[];
      minProperties?: number;
    })
  | (FieldBase & { kind: "array"; items: Field; minItems: number; maxItems?: number; uniqueItems: boolean })
  // What the form cannot show as fields: edited as JSON text.
  | (FieldBase & { kind: "json" })
  // An optional member naming the object's class ("type": "Organization"): left out.
  | (FieldBase & { kind: "hidden" });

export interface Property {
  name: string;
  field: Field;
  required: boolean;
}

function scalar(v: Json): v is Scalar {
  return typeof v === "string" || typeof v === "number" || typeof v === "boolean";
}

function declaredTypes(parts: At[]): Set<string> | null {
  const sets: Set<string>[] = [];
  for (const { o } of objectsOf(parts)) {
    const t = o.type;
    const list = typeof t === "string" ? [t] : Array.isArray(t) ? t.filter((x): x is string => typeof x === "string") : null;
    if (!list) continue;
    sets.push(new Set(list.includes("number") ? [...list, "integer"] : list));
  }
  if (sets.length === 0) return null;
  return new Set([...sets[0]].filter((x) => sets.every((s) => s.has(x))));
}

// The `required` groups of an anyOf / oneOf whose branches only require members (and perhaps fix
// their value), e.g. a place known "by address, UN/LOCODE, port code, GLN or name".
function requiredChoice(branches: Json): string[] | null {
  if (!Array.isArray(branches) || branches.length < 2) return null;
  const names: string[] = [];
  for (const b of branches) {
    if (!isObject(b) || !Array.isArray(b.required) || b.required.length !== 1) return null;
    const keys = Object.keys(b).filter((k) => k !== "required" && k !== "properties" && k !== "description");
    if (keys.length > 0) return null;
    const name = b.required[0];
    if (typeof name !== "string") return null;
    names.push(name);
  }
  return names;
}

const MULTILINE = /(statement|remarks|description|terms|notes?|comment|instructions)$/i;
const NUMERIC_PATTERNS = new Set([
  "^-?(0|[1-9][0-9]{0,29})(\\.[0-9]{1,18})?$",
  "^(0|[1-9][0-9]{0,29})(\\.[0-9]{1,18})?$",
  "^(100(\\.0+)?|[0-9]{1,2}(\\.[0-9]{1,6})?)$",
]);

// Turns the conjunction of `list` (a property's schema, perhaps merged with another part's view
// of the same property) into a form field.
export function compileField(store: SchemaStore, list: At[], name = "", depth = 0): Field {
  const parts = list.flatMap((at) => expand(store, at));
  const objs = objectsOf(parts);
  const label = firstString(parts, "title") ?? (name ? humanize(name) : "Value");
  const description = firstString(parts, "description");
  const base = { label, description };
  if (depth > 12) return { ...base, kind: "json" };
  if (parts.some((p) => p.schema === false)) return { ...base, kind: "hidden" };

  const withConst = objs.find(({ o }) => "const" in o);
  if (withConst) return { ...base, kind: "const", value: withConst.o.const };

  const withEnum = objs.find(({ o }) => Array.isArray(o.enum));
  if (withEnum) {
    const values = withEnum.o.enum as Json[];
    const options = values.filter(scalar);
    const strings = new Set(options.map(String));
    // ["Invoice", ["Invoice"]]: the class name, written either way.
    const className =
      strings.size === 1 &&
      values.every((v) => scalar(v) || (Array.isArray(v) && v.length === 1 && v[0] === options[0]));
    if (className && values.length > options.length) return { ...base, kind: "hidden" };
    if (options.length === 0) return { ...base, kind: "json" };
    return { ...base, kind: "enum", options };
  }

  let types = declaredTypes(parts);
  const has = (k: string) => objs.some(({ o }) => k in o);
  if (!types || types.size === 0) {
    // No type named: take it from the keywords used, or from the anyOf branches (a date or a
    // date-time).
    const anyOf = objs.find(({ o }) => Array.isArray(o.anyOf) || Array.isArray(o.oneOf));
    if (has("properties") || has("required") || has("minProperties")) types = new Set(["object"]);
    else if (has("items") || has("minItems")) types = new Set(["array"]);
    else if (has("pattern") || has("minLength") || has("maxLength") || has("format")) types = new Set(["string"]);
    else if (anyOf) {
      const branches = ((anyOf.o.anyOf ?? anyOf.o.oneOf) as Json[]).filter(
        (b): b is SchemaNode => isObject(b) || typeof b === "boolean",
      );
      const compiled = branches.map((b) => compileField(store, [{ schema: b, base: anyOf.base }], name, depth + 1));
      if (compiled.length > 0 && compiled.every((c) => c.kind === "string")) {
        const forms = compiled
          .map((c) => (c.kind === "string" && c.format === "date" ? "a date (YYYY-MM-DD)" : c.kind === "string" && c.format === "date-time" ? "a date and time (YYYY-MM-DDThh:mm:ssZ)" : c.label))
          .join(" or ");
        return { ...base, kind: "string", forms, multiline: false, numeric: false, patterns: [] };
      }
      return { ...base, kind: "json" };
    } else return { ...base, kind: "json" };
  }
  const kinds = [...types].filter((t) => t !== "null");
  if (kinds.length !== 1 && !(kinds.length === 2 && kinds.includes("number") && kinds.includes("integer"))) {
    return { ...base, kind: "json" };
  }
  const kind = kinds.includes("number") ? "number" : kinds[0];
  const nums = (k: string) =>
    objs.map(({ o }) => o[k]).filter((v): v is number => typeof v === "number" && Number.isFinite(v));
  const maxOf = (k: string) => (nums(k).length ? Math.max(...nums(k)) : undefined);
  const minOf = (k: string) => (nums(k).length ? Math.min(...nums(k)) : undefined);

  switch (kind) {
    case "string": {
      const patterns = objs.map(({ o }) => o.pattern).filter((p): p is string => typeof p === "string");
      const fmt = objs.map(({ o }) => o.format).find((f) => f === "date" || f === "date-time") as
        | "date"
        | "date-time"
        | undefined;
      const minLength = maxOf("minLength");
      return {
        ...base,
        kind: "string",
        format: fmt,
        multiline: (minLength ?? 0) >= 40 || MULTILINE.test(name),
        numeric: patterns.some((p) => NUMERIC_PATTERNS.has(p)),
        minLength,
        maxLength: minOf("maxLength"),
        patterns,
      };
    }
    case "number":
    case "integer":
      return { ...base, kind, minimum: maxOf("minimum"), maximum: minOf("maximum") };
    case "boolean":
      return { ...base, kind: "boolean" };
    case "array": {
      const items = objs.flatMap(({ o, base: b }) =>
        isObject(o.items) || typeof o.items === "boolean" ? [{ schema: o.items, base: b }] : [],
      );
      const item = items.length
        ? compileField(store, items, "", depth + 1)
        : ({ label: "Entry", kind: "json" } as Field);
      return {
        ...base,
        kind: "array",
        items: item,
        minItems: maxOf("minItems") ?? 0,
        maxItems: minOf("maxItems"),
        uniqueItems: objs.some(({ o }) => o.uniqueItems === true),
      };
    }
    case "object": {
      const order: string[] = [];
      const schemas = new Map<string, At[]>();
      const required = new Set<string>();
      const choices: { mode: "any" | "one"; names: string[]; description?: string }[] = [];
      for (const { o, base: b } of objs) {
        if (isObject(o.properties)) {
          for (const [key, sub] of Object.entries(o.properties)) {
            if (!isObject(sub) && typeof sub !== "boolean") continue;
            if (!schemas.has(key)) {
              schemas.set(key, []);
              order.push(key);
            }
            schemas.get(key)!.push({ schema: sub, base: b });
          }
        }
        if (Array.isArray(o.required)) for (const r of o.required) if (typeof r === "string") required.add(r);
        for (const mode of ["any", "one"] as const) {
          const names = requiredChoice(mode === "any" ? o.anyOf : o.oneOf);
          if (names) choices.push({ mode, names, description: typeof o.description === "string" ? o.description : undefined });
        }
      }
      for (const r of required) {
        if (!schemas.has(r)) {
          schemas.set(r, [{ schema: true, base: parts[0]?.base ?? "" }]);
          order.push(r);
        }
      }
      const properties = order.map((key) => {
        const field = compileField(store, schemas.get(key)!, key, depth + 1);
        const req = required.has(key);
        // A required class name is written as it is; an optional one is left out.
        return { name: key, field: req && field.kind === "hidden" ? hiddenAsConst(store, schemas.get(key)!, field) : field, required: req };
      });
      return { ...base, kind: "object", properties, choices, minProperties: maxOf("minProperties") };
    }
    default:
      return { ...base, kind: "json" };
  }
}

function hiddenAsConst(store: SchemaStore, list: At[], field: Field): Field {
  const parts = list.flatMap((at) => expand(store, at));
  for (const { o } of objectsOf(parts)) {
    if (Array.isArray(o.enum)) {
      const first = (o.enum as Json[]).find(scalar);
      if (first !== undefined) return { label: field.label, description: field.description, kind: "const", value: first };
    }
  }
  return field;
}

// The field for a credential subject: the type schema's `credentialSubject` property.
export function subjectSchema(store: SchemaStore, typeSchemaUri: string): At | null {
  const root = store.get(typeSchemaUri);
  if (!root) return null;
  for (const part of expand(store, root)) {
    if (!isObject(part.schema)) continue;
    const props = part.schema.properties;
    if (isObject(props) && (isObject(props.credentialSubject) || typeof props.credentialSubject === "boolean")) {
      return { schema: props.credentialSubject as SchemaNode, base: part.base };
    }
  }
  return null;
}

// ---- Validation ----

export interface Problem {
  pointer: string;
  message: string;
  // Set for pattern problems: a member checked against two patterns (a shared definition and
  // a narrower one beside its $ref) gets the narrower one's sentence only.
  keyword?: string;
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}

function sameJson(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function jsonType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function typeMatches(value: unknown, t: string): boolean {
  const actual = jsonType(value);
  return actual === t || (t === "number" && actual === "integer");
}

const regexCache = new Map<string, RegExp | null>();
function regex(pattern: string): RegExp | null {
  if (!regexCache.has(pattern)) {
    let r: RegExp | null = null;
    try {
      r = new RegExp(pattern, "u");
    } catch {
      try {
        r = new RegExp(pattern);
      } catch {
        r = null;
      }
    }
    regexCache.set(pattern, r);
  }
  return regexCache.get(pattern) ?? null;
}

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= days[m - 1];
}

export function isRfc3339Date(s: string): boolean {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(s);
  return !!m && validDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

export function isRfc3339DateTime(s: string): boolean {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?([Zz]|[+-]([0-9]{2}):([0-9]{2}))$/.exec(s);
  if (!m || !validDate(Number(m[1]), Number(m[2]), Number(m[3]))) return false;
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 60) return false;
  if (m[9] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) return false;
  return true;
}

// Sentences for the patterns of the node's shared definitions (schemas/TradeCommon.v1.json).
const KNOWN_PATTERNS: Record<string, string> = {
  "^-?(0|[1-9][0-9]{0,29})(\\.[0-9]{1,18})?$":
    "Enter a number written with digits and at most one decimal point, such as 1250 or -3.75 (no thousands separators, no leading zeros).",
  "^(0|[1-9][0-9]{0,29})(\\.[0-9]{1,18})?$":
    "Enter zero or a positive number written with digits and at most one decimal point, such as 1250 or 3.75 (no thousands separators, no leading zeros).",
  "^(100(\\.0+)?|[0-9]{1,2}(\\.[0-9]{1,6})?)$": "Enter a percentage from 0 to 100, such as 0.18 or 12.5.",
  "^[A-Za-z][A-Za-z0-9+.-]*:[^\\s]+$": "Enter an absolute address such as https://example.com/… or urn:uuid:…, without spaces.",
  "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$": "Enter an email address such as name@example.com.",
  "^\\+?[0-9][0-9 ().-]{3,30}$": "Enter a telephone number: digits, with an optional leading + and spaces, dots, dashes or brackets.",
  "^[0-9]{4}-(0[1-9]|1[0-2])$": "Enter a month as YYYY-MM, such as 2026-10.",
  "^[0-9]{4}(\\.?[0-9]{2}){1,3}$": "Enter a tariff number of 6, 8 or 10 digits, such as 7208.51 or 7208.51.0030.",
  "^[0-9]{8}([0-9]{4,6})?$": "Enter a GTIN of 8, 12, 13 or 14 digits.",
  "^[A-Z0-9]{3}(-[0-9]{7}-[0-9]|[0-9]{8})$": "Enter the entry number as XXX-NNNNNNN-N, or as 11 characters without hyphens.",
  "^[A-Z]{2}[A-Z2-9]{3}$": "Enter a five-character UN/LOCODE: the country code and three letters or digits, such as MXZLO.",
};

const CLASSES: Record<string, string> = {
  "A-Z": "capital letters",
  "a-z": "small letters",
  "0-9": "digits",
  "A-Z0-9": "capital letters or digits",
  "0-9A-Z": "capital letters or digits",
  "A-Za-z": "letters",
};

// "^[A-Z]{2}$" -> "Use exactly 2 capital letters."
export function explainPattern(pattern: string): string | null {
  const m = /^\^\[([^\]]+)\]\{([0-9]+)(?:,([0-9]+))?\}\$$/.exec(pattern);
  if (!m || !CLASSES[m[1]]) return null;
  const what = CLASSES[m[1]];
  if (m[3] === undefined) return `Use exactly ${m[2]} ${what}.`;
  return `Use ${m[2]} to ${m[3]} ${what}.`;
}

export function patternMessage(pattern: string, description?: string): string {
  const known = KNOWN_PATTERNS[pattern];
  if (known) return known;
  const simple = explainPattern(pattern) ?? "This is not in the expected form.";
  return description ? `${simple} ${description}` : simple;
}

export const DATE_MESSAGE = "Enter a real date as YYYY-MM-DD, such as 2026-03-31.";
export const DATE_TIME_MESSAGE = "Enter a real date and time, such as 2026-03-31T14:30:00Z.";

function typeMessage(types: string[]): string {
  if (types.includes("integer") && !types.includes("number")) return "Enter a whole number.";
  if (types.includes("number")) return "Enter a number.";
  if (types.includes("string")) return "Enter text.";
  if (types.includes("boolean")) return "Choose yes or no.";
  if (types.includes("array")) return "This must be a list.";
  if (types.includes("object")) return "This must be a group of fields.";
  return "This has the wrong kind of value.";
}

function show(v: Json): string {
  return typeof v === "string" ? `“${v}”` : JSON.stringify(v);
}

function listOf(names: string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
}

export class Validator {
  constructor(private readonly store: SchemaStore) {}

  validate(at: At, value: Json, pointer = ""): Problem[] {
    const out: Problem[] = [];
    this.check(at, value, pointer, out, 0);
    // One message per pointer and text; the last pattern message per pointer.
    const lastPattern = new Map<string, Problem>();
    for (const p of out) if (p.keyword === "pattern") lastPattern.set(p.pointer, p);
    const seen = new Set<string>();
    return out.filter((p) => {
      if (p.keyword === "pattern" && lastPattern.get(p.pointer) !== p) return false;
      const key = `${p.pointer}\u0000${p.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  // True when the value passes (used for anyOf / oneOf / if).
  passes(at: At, value: Json, pointer = ""): boolean {
    const out: Problem[] = [];
    this.check(at, value, pointer, out, 0);
    return out.length === 0;
  }

  private propertyLabel(at: At, name: string): string {
    for (const part of expand(this.store, at)) {
      if (!isObject(part.schema) || !isObject(part.schema.properties)) continue;
      const sub = part.schema.properties[name];
      if (isObject(sub)) {
        const title = firstString(expand(this.store, { schema: sub, base: part.base }), "title");
        if (title) return title;
      }
    }
    return humanize(name);
  }

  private check(at: At, value: Json, ptr: string, out: Problem[], depth: number): void {
    if (depth > 64) return;
    const s = at.schema;
    if (s === true) return;
    if (s === false) {
      out.push({ pointer: ptr, message: "This field is not part of this document type." });
      return;
    }
    let base = at.base;
    if (typeof s.$id === "string") {
      const u = absolute(s.$id, base);
      if (u) base = withoutFragment(u);
    }
    const desc = () => firstString(expand(this.store, { schema: s, base }), "description");

    if (typeof s.$ref === "string") {
      const target = this.store.resolve(s.$ref, base);
      if (target) this.check(target, value, ptr, out, depth + 1);
    }

    // type
    if (s.type !== undefined) {
      const types = typeof s.type === "string" ? [s.type] : Array.isArray(s.type) ? (s.type as Json[]).map(String) : [];
      if (types.length && !types.some((t) => typeMatches(value, t))) {
        out.push({ pointer: ptr, message: typeMessage(types) });
        return;
      }
    }
    if (Array.isArray(s.enum) && !(s.enum as Json[]).some((e) => sameJson(e, value))) {
      const options = (s.enum as Json[]).filter(scalar);
      out.push({
        pointer: ptr,
        message:
          options.length > 0 && options.length <= 8
            ? `Choose one of: ${listOf(options.map((o) => show(o)))}.`
            : "Choose one of the listed values.",
      });
    }
    if ("const" in s && !sameJson(s.const, value)) {
      out.push({ pointer: ptr, message: `This must be ${show(s.const)}.` });
    }

    if (typeof value === "string") this.checkString(s, value, ptr, out, desc);
    if (typeof value === "number") this.checkNumber(s, value, ptr, out);
    if (Array.isArray(value)) this.checkArray(s, base, value, ptr, out, depth);
    if (isObject(value)) this.checkObject({ schema: s, base }, s, base, value, ptr, out, depth);

    // Combinations.
    if (Array.isArray(s.allOf)) {
      for (const sub of s.allOf) this.check({ schema: sub as SchemaNode, base }, value, ptr, out, depth + 1);
    }
    for (const mode of ["anyOf", "oneOf"] as const) {
      const branches = s[mode];
      if (!Array.isArray(branches)) continue;
      const results = branches.map((b) => {
        const problems: Problem[] = [];
        this.check({ schema: b as SchemaNode, base }, value, ptr, problems, depth + 1);
        return problems;
      });
      const passing = results.filter((r) => r.length === 0).length;
      if (mode === "anyOf" ? passing > 0 : passing === 1) continue;
      const names = requiredChoice(branches);
      if (names && isObject(value)) {
        const labels = names.map((n, i) => {
          const b = branches[i] as JsonObject;
          const fixed = isObject(b.properties) && isObject(b.properties[n]) ? (b.properties[n] as JsonObject).const : undefined;
          const l = this.propertyLabel({ schema: s, base }, n);
          return fixed === true ? `${l} (yes)` : l;
        });
        const lead = passing > 1 ? "Fill in only one of" : mode === "oneOf" ? "Fill in exactly one of" : "Fill in at least one of";
        out.push({ pointer: ptr, message: `${lead}: ${listOf(labels)}.` });
        continue;
      }
      if (passing > 1) {
        out.push({ pointer: ptr, message: "This matches more than one of the accepted forms; it must match exactly one." });
        continue;
      }
      if (!isObject(value) && !Array.isArray(value)) {
        const d = desc();
        out.push({ pointer: ptr, message: d ? `This is not in an accepted form. ${d}` : "This is not in an accepted form." });
        continue;
      }
      // The branch that came closest explains best.
      const best = results.reduce((a, b) => (b.length < a.length ? b : a));
      out.push(...best);
    }
    if (s.not !== undefined && this.passes({ schema: s.not as SchemaNode, base }, value, ptr)) {
      out.push({ pointer: ptr, message: "This value is not allowed here." });
    }
    if (s.if !== undefined) {
      const ok = this.passes({ schema: s.if as SchemaNode, base }, value, ptr);
      const next = ok ? s.then : s.else;
      if (next !== undefined) this.check({ schema: next as SchemaNode, base }, value, ptr, out, depth + 1);
    }
  }

  private checkString(s: JsonObject, value: string, ptr: string, out: Problem[], desc: () => string | undefined) {
    const length = [...value].length;
    if (typeof s.minLength === "number" && length < s.minLength) {
      out.push({
        pointer: ptr,
        message: s.minLength === 1 ? "This field is required." : `Use at least ${s.minLength} characters (now ${length}).`,
      });
    }
    if (typeof s.maxLength === "number" && length > s.maxLength) {
      out.push({ pointer: ptr, message: `Use at most ${s.maxLength} characters (now ${length}).` });
    }
    if (typeof s.pattern === "string") {
      const r = regex(s.pattern);
      if (r && !r.test(value)) out.push({ pointer: ptr, message: patternMessage(s.pattern, desc()), keyword: "pattern" });
    }
    if (s.format === "date" && !isRfc3339Date(value)) out.push({ pointer: ptr, message: DATE_MESSAGE });
    if (s.format === "date-time" && !isRfc3339DateTime(value)) out.push({ pointer: ptr, message: DATE_TIME_MESSAGE });
  }

  private checkNumber(s: JsonObject, value: number, ptr: string, out: Problem[]) {
    if (typeof s.minimum === "number" && value < s.minimum) out.push({ pointer: ptr, message: `Enter ${s.minimum} or more.` });
    if (typeof s.maximum === "number" && value > s.maximum) out.push({ pointer: ptr, message: `Enter ${s.maximum} or less.` });
    if (typeof s.exclusiveMinimum === "number" && value <= s.exclusiveMinimum) {
      out.push({ pointer: ptr, message: `Enter more than ${s.exclusiveMinimum}.` });
    }
    if (typeof s.exclusiveMaximum === "number" && value >= s.exclusiveMaximum) {
      out.push({ pointer: ptr, message: `Enter less than ${s.exclusiveMaximum}.` });
    }
    if (typeof s.multipleOf === "number" && s.multipleOf > 0) {
      const q = value / s.multipleOf;
      if (Math.abs(q - Math.round(q)) > 1e-9) out.push({ pointer: ptr, message: `Enter a multiple of ${s.multipleOf}.` });
    }
  }

  private checkArray(s: JsonObject, base: string, value: Json[], ptr: string, out: Problem[], depth: number) {
    if (typeof s.minItems === "number" && value.length < s.minItems) {
      out.push({ pointer: ptr, message: s.minItems === 1 ? "Add at least one entry." : `Add at least ${s.minItems} entries.` });
    }
    if (typeof s.maxItems === "number" && value.length > s.maxItems) {
      out.push({ pointer: ptr, message: `Use at most ${s.maxItems} entries.` });
    }
    const prefix = Array.isArray(s.prefixItems) ? (s.prefixItems as Json[]) : [];
    value.forEach((item, i) => {
      const sub = i < prefix.length ? prefix[i] : s.items;
      if (sub !== undefined && (isObject(sub) || typeof sub === "boolean")) {
        this.check({ schema: sub, base }, item, childPointer(ptr, i), out, depth + 1);
      }
    });
    if (s.uniqueItems === true) {
      const seen = new Set<string>();
      value.forEach((item, i) => {
        const key = canonical(item);
        if (seen.has(key)) out.push({ pointer: childPointer(ptr, i), message: "This entry repeats an earlier one." });
        seen.add(key);
      });
    }
    if (s.contains !== undefined) {
      const sub = s.contains as SchemaNode;
      if (!value.some((item, i) => this.passes({ schema: sub, base }, item, childPointer(ptr, i)))) {
        out.push({ pointer: ptr, message: "The list does not have the entry it must contain." });
      }
    }
  }

  private checkObject(at: At, s: JsonObject, base: string, value: JsonObject, ptr: string, out: Problem[], depth: number) {
    const props = isObject(s.properties) ? s.properties : {};
    if (Array.isArray(s.required)) {
      for (const r of s.required) {
        if (typeof r === "string" && !Object.prototype.hasOwnProperty.call(value, r)) {
          out.push({ pointer: childPointer(ptr, r), message: "This field is required." });
        }
      }
    }
    const keys = Object.keys(value);
    if (typeof s.minProperties === "number" && keys.length < s.minProperties) {
      out.push({
        pointer: ptr,
        message: s.minProperties === 1 ? "Fill in at least one of these fields." : `Fill in at least ${s.minProperties} of these fields.`,
      });
    }
    if (typeof s.maxProperties === "number" && keys.length > s.maxProperties) {
      out.push({ pointer: ptr, message: `Fill in at most ${s.maxProperties} of these fields.` });
    }
    if (isObject(s.dependentRequired)) {
      for (const [k, deps] of Object.entries(s.dependentRequired)) {
        if (!(k in value) || !Array.isArray(deps)) continue;
        for (const d of deps) {
          if (typeof d === "string" && !(d in value)) {
            out.push({ pointer: childPointer(ptr, d), message: `This field is required when ${this.propertyLabel(at, k)} is filled in.` });
          }
        }
      }
    }
    const patternProps = isObject(s.patternProperties) ? Object.entries(s.patternProperties) : [];
    for (const key of keys) {
      const child = childPointer(ptr, key);
      let matched = false;
      if (Object.prototype.hasOwnProperty.call(props, key)) {
        matched = true;
        this.check({ schema: props[key] as SchemaNode, base }, value[key], child, out, depth + 1);
      }
      for (const [p, sub] of patternProps) {
        const r = regex(p);
        if (r && r.test(key)) {
          matched = true;
          this.check({ schema: sub as SchemaNode, base }, value[key], child, out, depth + 1);
        }
      }
      if (!matched && s.additionalProperties !== undefined) {
        if (s.additionalProperties === false) {
          out.push({ pointer: child, message: "This field is not part of this document type." });
        } else {
          this.check({ schema: s.additionalProperties as SchemaNode, base }, value[key], child, out, depth + 1);
        }
      }
    }
  }
}

// ---- The server's problems, in the same terms ----

export interface DocProblem {
  document?: number;
  pointer: string;
  message: string;
}

// The node words schema problems as "keyword: text" ("required: missing required property
// 'buyer'", "format: not a valid RFC 3339 date"); this puts them as the form does, at the member
// they are about.
export function humanizeServerProblem(p: DocProblem): DocProblem {
  const m = /^([A-Za-z$]+): (.*)$/.exec(p.message ?? "");
  const pointer = p.pointer ?? "";
  if (!m) return { ...p, pointer, message: sentence(p.message ?? "This is not accepted.") };
  const [, keyword, text] = m;
  switch (keyword) {
    case "required": {
      const name = /property '([^']+)'/.exec(text)?.[1];
      return name ? { ...p, pointer: childPointer(pointer, name), message: "This field is required." } : { ...p, pointer, message: sentence(text) };
    }
    case "additionalProperties":
      return { ...p, pointer, message: "This field is not part of this document type." };
    case "format":
      return {
        ...p,
        pointer,
        message: /date-time/.test(text) ? DATE_TIME_MESSAGE : /date/.test(text) ? DATE_MESSAGE : sentence(text),
      };
    case "pattern": {
      const pat = /does not match '(.*)'$/.exec(text)?.[1];
      return { ...p, pointer, message: pat ? patternMessage(pat) : "This is not in the expected form." };
    }
    case "enum":
      return { ...p, pointer, message: "Choose one of the listed values." };
    case "type":
      return { ...p, pointer, message: sentence(text.replace(/^value type /, "the value is of type ")) };
    default:
      return { ...p, pointer, message: sentence(text) };
  }
}

function sentence(text: string): string {
  const t = text.trim();
  if (!t) return "This is not accepted.";
  const s = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

// ---- Whole documents ----

// The members the type's schema requires of the credential itself (e.g. "validUntil").
export function requiredMembers(store: SchemaStore, typeSchemaUri: string): Set<string> {
  const root = store.get(typeSchemaUri);
  const out = new Set<string>();
  if (!root) return out;
  for (const { o } of objectsOf(expand(store, root))) {
    if (Array.isArray(o.required)) for (const r of o.required) if (typeof r === "string") out.add(r);
  }
  return out;
}

// Checks one document of a POST /documents/issue request the way the node does: as the credential
// it becomes, with the members the node fills in (issuer, id, validFrom, ...) standing in.
// Only problems with what the person gave are returned.
export function checkDocument(store: SchemaStore, typeSchemaUri: string, type: string, doc: JsonObject): Problem[] {
  const root = store.get(typeSchemaUri);
  if (!root) return [];
  const probe: JsonObject = {
    "@context": ["https://www.w3.org/ns/credentials/v2", "https://w3id.org/traceability/v1"],
    type: ["VerifiableCredential", type],
    issuer: "did:web:issuer.example",
    credentialSchema: { id: typeSchemaUri, type: "JsonSchema" },
    id: "urn:uuid:00000000-0000-4000-8000-000000000000",
    validFrom: new Date().toISOString().replace(/\.[0-9]+Z$/, "Z"),
  };
  for (const [k, v] of Object.entries(doc)) probe[k] = v;
  const given = new Set(Object.keys(doc));
  return new Validator(store)
    .validate(root, probe, "")
    .filter((p) => {
      const first = pointerTokens(p.pointer)[0];
      return first !== undefined && (given.has(first) || first === "validUntil" || first === "credentialSubject");
    });
}
