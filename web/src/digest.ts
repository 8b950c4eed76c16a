// The digest a node records for a credential it issued, computed in the browser from a file:
// "sha256:<hex>" of the compact JWT for a vc+jwt credential, or of the RFC 8785 (JCS) form of a
// Data Integrity credential (src/node/node.cc CredentialDigest). Used to compare a file with the
// credential a printed QR code names. Nothing leaves the browser.
import { COMPACT_JWT, decodeJwtPayload } from "./credential";
import { JcsError, canonicalBytes, parseStrictJson } from "./jcs";
import { sha256, toHex, webCryptoAvailable } from "./tlog";

export type DigestForm = "jwt" | "jcs";

export type FileDigest =
  | {
      ok: true;
      digest: string;
      form: DigestForm;
      // The credential's own identifier, when the file names one.
      credentialId?: string;
      // A JSON document without a proof: not a secured credential (perhaps a JWT's decoded
      // content, whose digest is of the JWT instead).
      unsigned?: boolean;
    }
  | { ok: false; reason: string };

const JWT_ENVELOPE = "data:application/vc+jwt,";

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === "object" && !Array.isArray(v);
}

async function digestOf(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  return "sha256:" + toHex(await sha256(bytes));
}

function jwtId(jwt: string): string | undefined {
  const payload = decodeJwtPayload(jwt);
  const id = payload?.id ?? payload?.jti;
  return typeof id === "string" ? id : undefined;
}

type Picked = { jwt: string } | { document: Record<string, unknown> } | { error: string };

// The credential inside what a person may have saved: the credential itself, its compact JWT,
// the envelope a JWT travels in, or a node's answer that carries it ({"verifiableCredential"},
// {"credential"}, the issue answer's {"jwt"}).
function pickCredential(value: unknown, depth = 0): Picked {
  if (typeof value === "string") {
    const t = value.trim();
    return COMPACT_JWT.test(t) ? { jwt: t } : { error: "The file holds a text that is not a compact JWT." };
  }
  if (Array.isArray(value)) return { error: "The file holds a list, not one credential." };
  if (!isObject(value)) return { error: "The file does not hold a credential." };
  const id = value.id;
  if (typeof id === "string" && id.startsWith(JWT_ENVELOPE)) {
    const jwt = id.slice(JWT_ENVELOPE.length).trim();
    return COMPACT_JWT.test(jwt) ? { jwt } : { error: "The file's JWT envelope does not hold a compact JWT." };
  }
  if (!("type" in value) && depth < 2) {
    if (typeof value.jwt === "string" && COMPACT_JWT.test(value.jwt.trim())) return { jwt: value.jwt.trim() };
    for (const key of ["verifiableCredential", "credential"]) {
      const inner = value[key];
      if (isObject(inner) || typeof inner === "string") return pickCredential(inner, depth + 1);
    }
  }
  const types = Array.isArray(value.type) ? value.type : [value.type];
  if (types.includes("VerifiablePresentation")) {
    return { error: "The file holds a presentation, not one credential." };
  }
  return { document: value };
}

// The digest of the credential in a file, or a sentence saying why there is none.
export async function fileDigest(bytes: Uint8Array<ArrayBuffer>): Promise<FileDigest> {
  if (!webCryptoAvailable()) {
    return {
      ok: false,
      reason:
        "Your browser computes digests only on pages opened over https (or from this computer, on localhost). Open this page that way to compare a file.",
    };
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, reason: "The file is not UTF-8 text, so it is not a credential file." };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const trimmed = text.trim();
  if (!trimmed) return { ok: false, reason: "The file is empty." };
  let picked: Picked;
  if (COMPACT_JWT.test(trimmed)) {
    picked = { jwt: trimmed };
  } else if (/^[{["]/.test(trimmed)) {
    try {
      picked = pickCredential(parseStrictJson(trimmed));
    } catch (e) {
      return { ok: false, reason: e instanceof JcsError ? e.message : "The file is not valid JSON." };
    }
  } else {
    return {
      ok: false,
      reason: "The file is neither JSON nor a compact JWT (three parts of letters and digits separated by dots).",
    };
  }
  if ("error" in picked) return { ok: false, reason: picked.error };
  if ("jwt" in picked) {
    return {
      ok: true,
      form: "jwt",
      digest: await digestOf(new TextEncoder().encode(picked.jwt)),
      credentialId: jwtId(picked.jwt),
    };
  }
  let canonical: Uint8Array<ArrayBuffer>;
  try {
    canonical = canonicalBytes(picked.document);
  } catch (e) {
    return { ok: false, reason: e instanceof JcsError ? e.message : "The file's JSON has no canonical form." };
  }
  const id = picked.document.id;
  return {
    ok: true,
    form: "jcs",
    digest: await digestOf(canonical),
    credentialId: typeof id === "string" ? id : undefined,
    unsigned: !("proof" in picked.document),
  };
}

// "sha256:AB.." and "sha256:ab.." are the same digest.
export function sameDigest(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
