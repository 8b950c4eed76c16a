// Reading credentials the way a person wants to see them: a compact JWT or an enveloped
// credential is decoded (without checking anything: the server's report says whether to trust
// it) so the page can show the type, issuer and contents. Nothing here throws on bad input.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

function isObject(v: unknown): v is JsonObject {
  return !!v && typeof v === "object" && !Array.isArray(v);
}

function base64UrlDecode(text: string): string | null {
  try {
    const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
    const padded = b64 + "=".repeat((4 - (b64.length % 4)) % 4);
    const binary = atob(padded);
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

export const COMPACT_JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export function decodeJwtPayload(jwt: string): JsonObject | null {
  const parts = jwt.trim().split(".");
  if (parts.length !== 3) return null;
  const text = base64UrlDecode(parts[1]);
  if (text === null) return null;
  try {
    const payload: unknown = JSON.parse(text);
    if (!isObject(payload)) return null;
    // VC 1.1 JWTs nest the credential under "vc"; VC 2.0 vc+jwt payloads are the credential.
    return isObject(payload.vc) ? payload.vc : payload;
  } catch {
    return null;
  }
}

const ENVELOPE = /^data:application\/(vc|vp)(\+jwt|\+sd-jwt)?,/;

// The credential document inside whatever form it was presented in.
export function unwrapCredential(item: unknown): JsonObject | null {
  if (typeof item === "string") return decodeJwtPayload(item);
  if (!isObject(item)) return null;
  const id = item.id;
  if (typeof id === "string" && ENVELOPE.test(id)) {
    return decodeJwtPayload(id.replace(ENVELOPE, ""));
  }
  return item;
}

// The credentials of a presentation, in the order the verifier reports them.
export function presentationCredentials(vp: unknown): (JsonObject | null)[] {
  let doc: unknown = vp;
  if (isObject(doc) && "verifiablePresentation" in doc) doc = doc.verifiablePresentation;
  if (typeof doc === "string" || (isObject(doc) && typeof doc.id === "string" && ENVELOPE.test(doc.id))) {
    doc = unwrapCredential(doc);
  }
  if (!isObject(doc)) return [];
  const list = doc.verifiableCredential;
  if (list === undefined) return [];
  return (Array.isArray(list) ? list : [list]).map(unwrapCredential);
}

export interface CredentialFacts {
  id?: string;
  types: string[];
  type?: string;
  issuer?: string;
  issuerName?: string;
  validFrom?: string;
  validUntil?: string;
  subject?: Json;
}

export function credentialFacts(doc: JsonObject | null): CredentialFacts {
  if (!doc) return { types: [] };
  const types = (Array.isArray(doc.type) ? doc.type : [doc.type]).filter(
    (t): t is string => typeof t === "string",
  );
  const issuer = doc.issuer;
  const str = (v: Json | undefined) => (typeof v === "string" ? v : undefined);
  return {
    id: str(doc.id),
    types,
    type: types.find((t) => t !== "VerifiableCredential") ?? types[0],
    issuer: typeof issuer === "string" ? issuer : isObject(issuer) ? str(issuer.id) : undefined,
    issuerName: isObject(issuer) ? str(issuer.name) : undefined,
    validFrom: str(doc.validFrom) ?? str(doc.issuanceDate),
    validUntil: str(doc.validUntil) ?? str(doc.expirationDate),
    subject: doc.credentialSubject,
  };
}

// Pasted or dropped text as a credential to send (the verify page, the wallet's intake).
export type ParsedCredentialInput = { credential: unknown } | { error: string };

// Accepts a credential object, a compact JWT, or either wrapped the way API requests wrap them.
export function parseCredentialInput(text: string): ParsedCredentialInput {
  const t = text.trim();
  if (!t) return { error: "Paste a credential or choose a file first." };
  if (COMPACT_JWT.test(t)) return { credential: t };
  if (!/^[{["]/.test(t)) {
    return {
      error:
        "This does not look like a credential. Expected JSON that starts with “{”, or a compact JWT: three parts of letters and digits separated by dots.",
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(t);
  } catch {
    return { error: "This is not valid JSON. Check that it was copied completely, including the last “}”." };
  }
  if (typeof value === "string") {
    return COMPACT_JWT.test(value.trim())
      ? { credential: value.trim() }
      : { error: "This text is not a compact JWT." };
  }
  if (Array.isArray(value)) return { error: "This is a list: give one credential at a time." };
  if (!isObject(value)) return { error: "This is not a credential." };
  // A request body someone copied: {"verifiableCredential": ...} or {"credential": ...}.
  for (const key of ["credential", "verifiableCredential"]) {
    const inner = value[key];
    if (!("type" in value) && (isObject(inner) || typeof inner === "string")) return { credential: inner };
  }
  const types = Array.isArray(value.type) ? value.type : [value.type];
  if (types.includes("VerifiablePresentation")) {
    return { error: "This is a presentation, not a credential: give the credentials inside it one at a time." };
  }
  return { credential: value };
}
