// Checking the ledger's proofs in the browser, with nothing but WebCrypto: the RFC 9162 Merkle
// inclusion proof (SHA-256), C2SP signed notes and checkpoints, the log's Ed25519 signature and
// witnesses' cosignature/v1 lines, and C2SP tlog-proof receipts (docs/formats/
// notes-and-receipts.md). The server is not asked anything here: a receipt checks offline.

export type Bytes = Uint8Array<ArrayBuffer>;

export class FormatError extends Error {}

const enc = new TextEncoder();
const EM_DASH = "\u2014";

// ---- Encodings ----

// Strict RFC 4648 base64 with padding, as the ledger writes it.
export function fromBase64(text: string): Bytes | null {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  let bin: string;
  try {
    bin = atob(text);
  } catch {
    return null;
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  // Exactly one accepted encoding: re-encoding must give the input back.
  return toBase64(out) === text ? out : null;
}

export function toBase64(bytes: Bytes): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
  return btoa(bin);
}

export function toHex(bytes: Bytes): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function equalBytes(a: Bytes, b: Bytes): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

function concat(...parts: Bytes[]): Bytes {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// ---- WebCrypto ----

// WebCrypto exists only in secure contexts (https, or http on localhost).
export function webCryptoAvailable(): boolean {
  return typeof crypto !== "undefined" && !!crypto.subtle;
}

export async function sha256(data: Bytes): Promise<Bytes> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", data));
}

export const leafHash = (entry: Bytes) => sha256(concat(Uint8Array.of(0), entry));
export const nodeHash = (left: Bytes, right: Bytes) => sha256(concat(Uint8Array.of(1), left, right));

let ed25519Support: Promise<boolean> | null = null;

// Whether this browser's WebCrypto verifies Ed25519 (Chromium 113+, Firefox 129+, Safari 17+).
export function ed25519Supported(): Promise<boolean> {
  if (!webCryptoAvailable()) return Promise.resolve(false);
  ed25519Support ??= crypto.subtle
    .importKey("raw", new Uint8Array(32).fill(1), { name: "Ed25519" }, false, ["verify"])
    .then(
      () => true,
      (e: unknown) => !(e instanceof DOMException && e.name === "NotSupportedError"),
    );
  return ed25519Support;
}

async function ed25519Verify(publicKey: Bytes, signature: Bytes, message: Bytes): Promise<boolean> {
  const key = await crypto.subtle.importKey("raw", publicKey, { name: "Ed25519" }, false, ["verify"]);
  return crypto.subtle.verify({ name: "Ed25519" }, key, signature, message);
}

// ---- Merkle inclusion (RFC 9162 section 2.1.3.2) ----

export interface PathStep {
  // Height of the two nodes combined (0: leaves).
  level: number;
  // Where the proof's hash sits: "left" means the path node is the right child.
  siblingSide: "left" | "right";
  sibling: Bytes;
  // The path node before combining, and the parent it makes.
  node: Bytes;
  parent: Bytes;
}

export interface InclusionResult {
  ok: boolean;
  // Why it failed, when it did (a sentence).
  problem?: string;
  leaf: Bytes;
  // Where the leaf sits on a right edge with no sibling, it moves up unchanged; the steps
  // record only the levels where a proof hash is combined.
  steps: PathStep[];
  computedRoot: Bytes | null;
}

export async function verifyInclusion(
  index: bigint,
  treeSize: bigint,
  leaf: Bytes,
  proof: Bytes[],
  root: Bytes,
): Promise<InclusionResult> {
  const steps: PathStep[] = [];
  if (index < 0n || index >= treeSize) {
    return { ok: false, problem: `Entry ${index} is not in a tree of ${treeSize} entries.`, leaf, steps, computedRoot: null };
  }
  let fn = index;
  let sn = treeSize - 1n;
  let r = leaf;
  let level = 0;
  for (const p of proof) {
    if (sn === 0n) {
      return { ok: false, problem: "The proof has more hashes than this tree needs.", leaf, steps, computedRoot: null };
    }
    if ((fn & 1n) === 1n || fn === sn) {
      // On the tree's right edge the node has no right sibling: it moves up unchanged until it
      // is a right child (the RFC hashes first and shifts after; the result is the same).
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
          level++;
        }
      }
      const parent = await nodeHash(p, r);
      steps.push({ level, siblingSide: "left", sibling: p, node: r, parent });
      r = parent;
    } else {
      const parent = await nodeHash(r, p);
      steps.push({ level, siblingSide: "right", sibling: p, node: r, parent });
      r = parent;
    }
    fn >>= 1n;
    sn >>= 1n;
    level++;
  }
  if (sn !== 0n) {
    return { ok: false, problem: "The proof has fewer hashes than this tree needs.", leaf, steps, computedRoot: r };
  }
  if (!equalBytes(r, root)) {
    return {
      ok: false,
      problem: "The hashes lead to a different root than the checkpoint's.",
      leaf,
      steps,
      computedRoot: r,
    };
  }
  return { ok: true, leaf, steps, computedRoot: r };
}

// ---- Signed notes and checkpoints (c2sp.org/signed-note, tlog-checkpoint) ----

export interface SignatureLine {
  name: string;
  // The decoded signature: key ID (4 bytes) ‖ signature material.
  raw: Bytes;
  keyId: string;
  // 68 bytes: an Ed25519 note signature (the log's, type 0x01); 76: a cosignature/v1
  // (a witness's, type 0x04) with its timestamp; anything else: a type this page does not know.
  kind: "ed25519" | "cosignature" | "other";
  // POSIX seconds, for a cosignature.
  timestamp?: number;
}

export interface Note {
  // The signed text, final newline included.
  text: string;
  signatures: SignatureLine[];
}

export interface Checkpoint {
  origin: string;
  size: bigint;
  rootHash: Bytes;
  rootBase64: string;
  extensions: string[];
}

export function parseNote(note: string): Note {
  if (!note.endsWith("\n")) throw new FormatError("The signed note does not end with a newline.");
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0009\u000b-\u001f]/.test(note)) throw new FormatError("The signed note contains control characters.");
  const split = note.lastIndexOf("\n\n");
  if (split < 0) throw new FormatError("The signed note has no signatures (no empty line before them).");
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split("\n");
  if (lines.length === 0 || (lines.length === 1 && lines[0] === "")) {
    throw new FormatError("The signed note has no signature lines.");
  }
  if (lines.length > 100) throw new FormatError("The signed note has more than 100 signatures.");
  const signatures = lines.map((line, i) => {
    const m = /^\u2014 ([^\s+]+) ([A-Za-z0-9+/=]+)$/u.exec(line);
    if (!m) throw new FormatError(`Signature line ${i + 1} is not “${EM_DASH} name signature”.`);
    const raw = fromBase64(m[2]);
    if (!raw || raw.length < 5) throw new FormatError(`Signature line ${i + 1} is not valid base64 of a signature.`);
    const sig: SignatureLine = {
      name: m[1],
      raw,
      keyId: toHex(raw.subarray(0, 4)),
      kind: raw.length === 68 ? "ed25519" : raw.length === 76 ? "cosignature" : "other",
    };
    if (sig.kind === "cosignature") {
      const t = new DataView(raw.buffer, raw.byteOffset + 4, 8).getBigUint64(0);
      sig.timestamp = t <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(t) : undefined;
    }
    return sig;
  });
  return { text, signatures };
}

export function parseCheckpoint(text: string): Checkpoint {
  const lines = text.split("\n");
  // The text ends in a newline, so the last element is empty.
  if (lines.length < 4 || lines[lines.length - 1] !== "") throw new FormatError("The checkpoint has fewer than three lines.");
  const [origin, sizeText, rootText, ...rest] = lines.slice(0, -1);
  if (!origin) throw new FormatError("The checkpoint's origin line is empty.");
  if (!/^(0|[1-9][0-9]{0,19})$/.test(sizeText)) throw new FormatError("The checkpoint's tree size is not a decimal number.");
  const rootHash = fromBase64(rootText);
  if (!rootHash || rootHash.length !== 32) throw new FormatError("The checkpoint's root hash is not base64 of 32 bytes.");
  if (rest.some((l) => l === "")) throw new FormatError("The checkpoint has an empty extension line.");
  return { origin, size: BigInt(sizeText), rootHash, rootBase64: rootText, extensions: rest };
}

// ---- Verifier keys: <name>+<key ID hex>+<base64(type ‖ public key)> ----

export interface VerifierKey {
  text: string;
  name: string;
  keyId: string;
  // 0x01: a log's note key; 0x04: a witness's cosignature key.
  type: number;
  publicKey: Bytes;
}

export async function parseVerifierKey(text: string): Promise<VerifierKey> {
  const t = text.trim();
  const a = t.indexOf("+");
  const b = a < 0 ? -1 : t.indexOf("+", a + 1);
  if (a <= 0 || b < 0) throw new FormatError("A verifier key has the form name+keyid+base64.");
  const name = t.slice(0, a);
  const keyId = t.slice(a + 1, b);
  if (/\s/.test(name)) throw new FormatError("A key name cannot contain spaces.");
  if (!/^[0-9a-f]{8}$/.test(keyId)) throw new FormatError("The key ID must be eight lowercase hex digits.");
  const material = fromBase64(t.slice(b + 1));
  if (!material || material.length !== 33) {
    throw new FormatError("The key material must be base64 of a type byte and a 32-byte Ed25519 key.");
  }
  const type = material[0];
  if (type !== 0x01 && type !== 0x04) {
    throw new FormatError(`Key type 0x${type.toString(16).padStart(2, "0")} is not an Ed25519 log (0x01) or witness (0x04) key.`);
  }
  const expected = toHex((await sha256(concat(enc.encode(name + "\n"), material))).subarray(0, 4));
  if (expected !== keyId) throw new FormatError(`The key ID ${keyId} does not match the key (expected ${expected}).`);
  return { text: t, name, keyId, type, publicKey: material.subarray(1) };
}

// ---- Receipts (c2sp.org/tlog-proof@v1) ----

export interface Receipt {
  extra: Bytes | null;
  index: bigint;
  proof: Bytes[];
  checkpointNote: string;
}

const RECEIPT_HEADER = "c2sp.org/tlog-proof@v1";

// A receipt file: the tlog-proof text, or the node's JSON form (traceport-receipt/1) around it.
export function receiptText(file: string): string {
  const t = file.replace(/^\uFEFF/, "");
  if (t.trimStart().startsWith("{")) {
    let value: unknown;
    try {
      value = JSON.parse(t);
    } catch {
      throw new FormatError("This file starts like JSON but is not valid JSON.");
    }
    const proof = value && typeof value === "object" ? (value as Record<string, unknown>).tlog_proof : undefined;
    if (typeof proof !== "string") throw new FormatError("This JSON is not a Traceport receipt (no tlog_proof member).");
    return proof;
  }
  return t.replace(/\r\n/g, "\n");
}

export function parseReceipt(text: string): Receipt {
  if (text.length > 4 * 1024 * 1024) throw new FormatError("A receipt is at most 4 MiB.");
  const lines = text.split("\n");
  if (lines[0] !== RECEIPT_HEADER) throw new FormatError(`This is not a receipt: the first line is not “${RECEIPT_HEADER}”.`);
  let at = 1;
  let extra: Bytes | null = null;
  if (lines[at]?.startsWith("extra ")) {
    extra = fromBase64(lines[at].slice(6));
    if (!extra || extra.length === 0) throw new FormatError("The receipt's extra line is not valid base64.");
    at++;
  }
  const m = /^index (0|[1-9][0-9]{0,19})$/.exec(lines[at] ?? "");
  if (!m) throw new FormatError("The receipt has no valid “index” line.");
  const index = BigInt(m[1]);
  at++;
  const proof: Bytes[] = [];
  while (at < lines.length && lines[at] !== "") {
    const h = fromBase64(lines[at]);
    if (!h || h.length !== 32) throw new FormatError(`Proof line ${proof.length + 1} is not base64 of a 32-byte hash.`);
    proof.push(h);
    if (proof.length > 64) throw new FormatError("The receipt has more than 64 proof hashes.");
    at++;
  }
  if (at >= lines.length) throw new FormatError("The receipt has no empty line before its checkpoint.");
  const checkpointNote = lines.slice(at + 1).join("\n");
  if (!checkpointNote) throw new FormatError("The receipt has no checkpoint.");
  return { extra, index, proof, checkpointNote };
}

// ---- Verifying a receipt ----

export type Outcome = "pass" | "fail" | "not-checked";

export interface SignatureCheck {
  line: SignatureLine;
  role: "log" | "witness" | "unknown";
  outcome: Outcome;
  // A sentence: what was checked, or why not.
  detail: string;
}

export interface ReceiptReport {
  // Nothing checked failed and the Merkle path leads to the checkpoint's root.
  valid: boolean;
  // Also the log's signature was verified with a key the user gave.
  complete: boolean;
  problem?: string;
  receipt?: Receipt;
  checkpoint?: Checkpoint;
  entry?: unknown;
  entryBytes?: number;
  inclusion?: InclusionResult;
  signatures: SignatureCheck[];
  logSignature: Outcome;
  // Why the log signature was not checked, when it was not.
  logSignatureNote?: string;
}

function describe(sig: SignatureLine, origin: string): { role: SignatureCheck["role"]; label: string } {
  if (sig.kind === "cosignature") return { role: "witness", label: "witness cosignature" };
  if (sig.kind === "ed25519" && sig.name === origin) return { role: "log", label: "log signature" };
  if (sig.kind === "ed25519") return { role: "unknown", label: "Ed25519 signature by another key" };
  return { role: "unknown", label: "signature of a type this page does not know" };
}

async function checkSignature(
  sig: SignatureLine,
  key: VerifierKey,
  checkpointText: string,
): Promise<boolean> {
  const material = sig.raw.subarray(4);
  if (key.type === 0x01) {
    if (material.length !== 64) return false;
    return ed25519Verify(key.publicKey, material, enc.encode(checkpointText));
  }
  if (material.length !== 72) return false;
  const timestamp = new DataView(material.buffer, material.byteOffset, 8).getBigUint64(0);
  if (timestamp > 0x7fffffffffffffffn) return false;
  const message = enc.encode(`cosignature/v1\ntime ${timestamp}\n${checkpointText}`);
  return ed25519Verify(key.publicKey, material.subarray(8), message);
}

// Checks every signature line of a checkpoint note against the keys given. A line whose name and
// key ID match a given key is verified; other lines are only described.
export async function checkNoteSignatures(
  note: Note,
  origin: string,
  keys: VerifierKey[],
): Promise<{ checks: SignatureCheck[]; logSignature: Outcome; logSignatureNote?: string }> {
  const ed25519 = await ed25519Supported();
  const logKeys = keys.filter((k) => k.type === 0x01);
  const checks: SignatureCheck[] = [];
  for (const line of note.signatures) {
    const { role: guessed, label } = describe(line, origin);
    const key = keys.find((k) => k.name === line.name && k.keyId === line.keyId);
    const role = key ? (key.type === 0x01 ? "log" : "witness") : guessed;
    if (!key) {
      checks.push({
        line,
        role,
        outcome: "not-checked",
        detail: `A ${label}; not checked: no key was given for ${line.name} (key ID ${line.keyId}).`,
      });
      continue;
    }
    if (!ed25519) {
      checks.push({ line, role, outcome: "not-checked", detail: "Not checked: this browser cannot verify Ed25519 signatures." });
      continue;
    }
    let ok = false;
    try {
      ok = await checkSignature(line, key, note.text);
    } catch {
      ok = false;
    }
    const when = line.timestamp !== undefined ? ` at ${new Date(line.timestamp * 1000).toISOString()}` : "";
    checks.push({
      line,
      role,
      outcome: ok ? "pass" : "fail",
      detail: ok
        ? `${key.type === 0x01 ? "The log's signature" : "The witness's cosignature"}${when} verifies with the key you gave.`
        : `${key.type === 0x01 ? "The log's signature" : "The witness's cosignature"} does not verify with the key you gave.`,
    });
  }
  let logSignature: Outcome = "not-checked";
  let logSignatureNote: string | undefined;
  if (logKeys.length === 0) {
    logSignatureNote = "No log key was given, so the log's signature on the checkpoint was not checked.";
  } else if (!ed25519) {
    logSignatureNote = webCryptoAvailable()
      ? "This browser's WebCrypto cannot verify Ed25519 signatures, so the log's signature was not checked."
      : "This page is not a secure context (https), so WebCrypto is not available.";
  } else {
    const logChecks = checks.filter((c) => c.role === "log" && logKeys.some((k) => k.name === c.line.name && k.keyId === c.line.keyId));
    if (logChecks.some((c) => c.outcome === "fail")) logSignature = "fail";
    else if (logChecks.some((c) => c.outcome === "pass")) logSignature = "pass";
    else {
      logSignature = "fail";
      logSignatureNote = `The checkpoint carries no signature from the log key you gave (${logKeys.map((k) => `${k.name} ${k.keyId}`).join(", ")}).`;
    }
  }
  return { checks, logSignature, logSignatureNote };
}

export async function verifyReceipt(fileText: string, keys: VerifierKey[]): Promise<ReceiptReport> {
  const empty: ReceiptReport = { valid: false, complete: false, signatures: [], logSignature: "not-checked" };
  if (!webCryptoAvailable()) {
    return {
      ...empty,
      problem:
        "This page is not a secure context (https or localhost), so the browser's WebCrypto is not available and nothing could be checked.",
    };
  }
  let receipt: Receipt;
  let note: Note;
  let checkpoint: Checkpoint;
  try {
    receipt = parseReceipt(receiptText(fileText));
    note = parseNote(receipt.checkpointNote);
    checkpoint = parseCheckpoint(note.text);
  } catch (e) {
    return { ...empty, problem: e instanceof FormatError ? e.message : "The receipt could not be read." };
  }
  let entry: unknown;
  if (receipt.extra) {
    try {
      entry = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(receipt.extra));
    } catch {
      entry = undefined;
    }
  }
  const base: ReceiptReport = { ...empty, receipt, checkpoint, entry, entryBytes: receipt.extra?.length };
  if (!receipt.extra) {
    return {
      ...base,
      problem:
        "The receipt carries no entry (no “extra” line), so its leaf hash cannot be computed here. A Traceport receipt always carries its entry.",
    };
  }
  const leaf = await leafHash(receipt.extra);
  const inclusion = await verifyInclusion(receipt.index, checkpoint.size, leaf, receipt.proof, checkpoint.rootHash);
  const sigs = await checkNoteSignatures(note, checkpoint.origin, keys);
  const anyFailed = sigs.checks.some((c) => c.outcome === "fail") || sigs.logSignature === "fail";
  const valid = inclusion.ok && !anyFailed;
  return {
    ...base,
    inclusion,
    signatures: sigs.checks,
    logSignature: sigs.logSignature,
    logSignatureNote: sigs.logSignatureNote,
    valid,
    complete: valid && sigs.logSignature === "pass",
    problem: inclusion.ok ? undefined : inclusion.problem,
  };
}

// ---- Entry bundles (c2sp.org/tlog-tiles) ----

// The tile path of index n: "000".."999", then "x001/234" and so on.
export function tileIndexPath(n: number): string {
  let s = String(n);
  while (s.length % 3 !== 0) s = "0" + s;
  const groups = s.match(/.{3}/g) ?? ["000"];
  return groups.map((g, i) => (i < groups.length - 1 ? "x" + g : g)).join("/");
}

export function bundlePath(n: number, width: number): string {
  return `/tile/entries/${tileIndexPath(n)}${width < 256 ? `.p/${width}` : ""}`;
}

// Splits an entry bundle into its entries (each a big-endian uint16 length and the bytes).
export function parseBundle(data: Bytes): Bytes[] {
  const out: Bytes[] = [];
  let at = 0;
  while (at < data.length) {
    if (at + 2 > data.length) throw new FormatError("The entry bundle is cut short.");
    const len = (data[at] << 8) | data[at + 1];
    at += 2;
    if (at + len > data.length) throw new FormatError("The entry bundle is cut short.");
    out.push(data.subarray(at, at + len));
    at += len;
  }
  return out;
}
