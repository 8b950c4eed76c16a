// RFC 8785 JSON Canonicalization Scheme (JCS), and a strict JSON parser to feed it: the one byte
// sequence the node hashes when it records a Data Integrity credential's digest, so that a file
// can be compared with what a printed QR code points to (src/digest.ts).
//
// Output rules (RFC 8785 section 3.2), as the node's src/codec/jcs.h applies them:
//   - no whitespace;
//   - object members sorted by their names compared as sequences of UTF-16 code units;
//   - strings: '"' and '\' escaped, U+0008 U+0009 U+000A U+000C U+000D as \b \t \n \f \r, the
//     other controls below U+0020 as \u00xx (lowercase hex), everything else literal (no Unicode
//     normalization); a lone surrogate has no UTF-8 form and is an error;
//   - numbers: IEEE-754 doubles written as ECMAScript's Number.prototype.toString writes them
//     (-0 as 0); NaN and the infinities are errors.
// The input must be I-JSON (RFC 7493): parseStrictJson refuses duplicate member names, which
// JSON.parse would silently resolve to the last one.

export class JcsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JcsError";
  }
}

// Deeper documents are refused, as the node refuses them (and no stack is exhausted).
const MAX_DEPTH = 1024;

// RFC 6901: "~" is "~0", "/" is "~1".
function pointerToken(token: string | number): string {
  return String(token).replace(/~/g, "~0").replace(/\//g, "~1");
}

function where(pointer: string): string {
  return pointer === "" ? "the top level" : pointer;
}

function hasLoneSurrogate(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return true;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return true;
  }
  return false;
}

const SHORT_ESCAPES: Record<number, string> = {
  0x08: "\\b",
  0x09: "\\t",
  0x0a: "\\n",
  0x0c: "\\f",
  0x0d: "\\r",
  0x22: '\\"',
  0x5c: "\\\\",
};

function serializeString(s: string, pointer: string): string {
  if (hasLoneSurrogate(s)) throw new JcsError(`A text at ${where(pointer)} has an unpaired surrogate, which has no UTF-8 form.`);
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c) continue;
    out += s.slice(start, i);
    out += SHORT_ESCAPES[c] ?? "\\u" + c.toString(16).padStart(4, "0");
    start = i + 1;
  }
  return out + s.slice(start) + '"';
}

function serializeNumber(n: number, pointer: string): string {
  if (!Number.isFinite(n)) throw new JcsError(`The number at ${where(pointer)} is not finite.`);
  // Number.prototype.toString is the serialization RFC 8785 section 3.2.2.3 prescribes; it writes
  // -0 as "0".
  return String(n);
}

// Compares two strings by UTF-16 code units (what `<` does on strings, made explicit).
export function compareUtf16(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function serialize(value: unknown, pointer: string, depth: number, out: string[]): void {
  if (value === null) {
    out.push("null");
    return;
  }
  switch (typeof value) {
    case "boolean":
      out.push(value ? "true" : "false");
      return;
    case "number":
      out.push(serializeNumber(value, pointer));
      return;
    case "string":
      out.push(serializeString(value, pointer));
      return;
    case "object":
      break;
    default:
      throw new JcsError(`The value at ${where(pointer)} has no JSON form.`);
  }
  if (depth >= MAX_DEPTH) throw new JcsError(`The document is nested deeper than ${MAX_DEPTH} levels.`);
  if (Array.isArray(value)) {
    out.push("[");
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(",");
      if (!(i in value)) throw new JcsError(`The list at ${where(pointer)} has a hole at ${i}.`);
      serialize(value[i], `${pointer}/${i}`, depth + 1, out);
    }
    out.push("]");
    return;
  }
  const obj = value as Record<string, unknown>;
  if (!isPlainObject(obj)) throw new JcsError(`The value at ${where(pointer)} has no JSON form.`);
  const keys = Object.keys(obj).sort(compareUtf16);
  out.push("{");
  keys.forEach((key, i) => {
    if (i > 0) out.push(",");
    const child = `${pointer}/${pointerToken(key)}`;
    out.push(serializeString(key, child), ":");
    serialize(obj[key], child, depth + 1, out);
  });
  out.push("}");
}

// The canonical text of a JSON value (a value as JSON.parse or parseStrictJson returns it).
export function canonicalize(value: unknown): string {
  const out: string[] = [];
  serialize(value, "", 0, out);
  return out.join("");
}

// The canonical form as the UTF-8 bytes that are hashed.
export function canonicalBytes(value: unknown): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(canonicalize(value));
}

// ---- Strict parsing -------------------------------------------------------------------------

// Where a parse failed, as a line and column a person can look up in the file.
function position(text: string, index: number): string {
  let line = 1;
  let col = 1;
  for (let i = 0; i < index && i < text.length; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      col = 1;
    } else {
      col++;
    }
  }
  return `line ${line}, column ${col}`;
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const STRING_BODY = /(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

// RFC 8259 JSON, refusing what I-JSON refuses and JSON.parse accepts: duplicate member names.
// Numbers become doubles as with JSON.parse (and as the node treats them for JCS). A byte order
// mark at the start is skipped. Throws JcsError with a sentence saying where.
export function parseStrictJson(input: string): unknown {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  let i = 0;

  const fail = (what: string, at = i): never => {
    throw new JcsError(`${what} (${position(text, at)}).`);
  };
  const skipSpace = () => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else break;
    }
  };
  const parseString = (): string => {
    const start = i; // at the opening quote
    STRING_BODY.lastIndex = i + 1;
    if (!STRING_BODY.test(text)) fail("This text is not valid JSON: a string is not closed or has a bad escape", start);
    i = STRING_BODY.lastIndex;
    // The slice is a valid JSON string literal: JSON.parse decodes its escapes.
    return JSON.parse(text.slice(start, i)) as string;
  };
  const parseValue = (depth: number, pointer: string): unknown => {
    if (depth > MAX_DEPTH) fail(`The document is nested deeper than ${MAX_DEPTH} levels`);
    skipSpace();
    if (i >= text.length) fail("The JSON ends too early");
    const c = text[i];
    if (c === "{") {
      i++;
      const obj: Record<string, unknown> = {};
      const seen = new Set<string>();
      skipSpace();
      if (text[i] === "}") {
        i++;
        return obj;
      }
      for (;;) {
        skipSpace();
        if (text[i] !== '"') fail("This text is not valid JSON: expected a member name in quotes");
        const keyAt = i;
        const key = parseString();
        const child = `${pointer}/${pointerToken(key)}`;
        if (seen.has(key)) fail(`The member ${child} appears twice, so the document has no single meaning`, keyAt);
        seen.add(key);
        skipSpace();
        if (text[i] !== ":") fail("This text is not valid JSON: expected “:” after a member name");
        i++;
        const value = parseValue(depth + 1, child);
        // Defined, not assigned: a member named "__proto__" stays a member.
        Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
        skipSpace();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return obj;
        }
        fail("This text is not valid JSON: expected “,” or “}”");
      }
    }
    if (c === "[") {
      i++;
      const list: unknown[] = [];
      skipSpace();
      if (text[i] === "]") {
        i++;
        return list;
      }
      for (;;) {
        list.push(parseValue(depth + 1, `${pointer}/${list.length}`));
        skipSpace();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return list;
        }
        fail("This text is not valid JSON: expected “,” or “]”");
      }
    }
    if (c === '"') return parseString();
    if (text.startsWith("true", i)) {
      i += 4;
      return true;
    }
    if (text.startsWith("false", i)) {
      i += 5;
      return false;
    }
    if (text.startsWith("null", i)) {
      i += 4;
      return null;
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m) return fail("This text is not valid JSON: unexpected character");
    i = NUMBER.lastIndex;
    const n = Number(m[0]);
    if (!Number.isFinite(n)) fail(`The number at ${where(pointer)} is too large for JSON`, i - m[0].length);
    return n;
  };

  const value = parseValue(0, "");
  skipSpace();
  if (i < text.length) fail("This text is not valid JSON: there is more after the end of the document");
  return value;
}
