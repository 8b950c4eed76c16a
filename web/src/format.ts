// Turning the node's machine values into words and short forms people read.
import type { Workflow } from "./types";

const dateTime = new Intl.DateTimeFormat(undefined, {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
  timeZoneName: "short",
});
const dateOnly = new Intl.DateTimeFormat(undefined, {
  year: "numeric",
  month: "short",
  day: "numeric",
  timeZone: "UTC",
});

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return "—";
  const t = Date.parse(value);
  return Number.isNaN(t) ? value : dateTime.format(t);
}

export function formatDate(value: string | null | undefined): string {
  if (!value) return "—";
  const t = Date.parse(value);
  return Number.isNaN(t) ? value : dateOnly.format(t);
}

// Lead time: how long before arrival customs had the data. Negative means it came late.
export function formatLeadTime(hours: number | null | undefined): string {
  if (hours === null || hours === undefined || !Number.isFinite(hours)) return "—";
  const late = hours < 0;
  const total = Math.round(Math.abs(hours));
  const days = Math.floor(total / 24);
  const rest = total % 24;
  const text = days > 0 ? `${days} d ${rest} h` : `${rest} h`;
  return late ? `${text} late` : text;
}

// "https://traceport.dev/workflows/crude-oil-import/v1" -> "Crude oil import".
export function workflowName(workflow: Workflow | string | null | undefined): string {
  const def =
    typeof workflow === "string" ? workflow : workflow?.definition?.[0] ?? "";
  if (!def) return "—";
  const m = /workflows\/([^/]+)/.exec(def);
  const slug = m ? m[1] : def;
  const words = slug.replace(/[-_]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

// The workflows the demo network and the rule set know; the list filter matches a part of the
// workflow definition id, so these fragments are what the server receives.
export const WORKFLOWS: { value: string; label: string }[] = [
  { value: "steel-import", label: "Steel import" },
  { value: "crude-oil-import", label: "Crude oil import" },
  { value: "natural-gas-import", label: "Natural gas import" },
];

// "did:web:node.example%3A8443:organizations:acme-steel" -> "acme-steel"; other DIDs are
// shortened in the middle so that tables stay readable (the full value is in a title).
export function shortDid(did: string | null | undefined): string {
  if (!did) return "—";
  const m = /:organizations:([^:#]+)$/.exec(did);
  if (m) return m[1];
  return did.length > 32 ? `${did.slice(0, 18)}…${did.slice(-10)}` : did;
}

export function shortId(id: string | null | undefined): string {
  if (!id) return "—";
  const bare = id.replace(/^urn:uuid:/, "");
  return bare.length > 14 ? `${bare.slice(0, 8)}…${bare.slice(-4)}` : bare;
}

// "MillTestReportCredential" -> "Mill test report".
export function typeName(type: string | null | undefined): string {
  if (!type) return "Credential";
  const base = type.replace(/Credential$/, "") || type;
  const acronyms = base.match(/^(CBP|USMCA|DOE|SIMA)/)?.[0] ?? "";
  const rest = base.slice(acronyms.length);
  const words = rest.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/([A-Z])([A-Z][a-z])/g, "$1 $2");
  const lower = words.charAt(0) + words.slice(1).toLowerCase();
  return (acronyms ? `${acronyms} ${lower}` : lower).trim();
}

export const STATUS_LABELS: Record<string, string> = {
  received: "Awaiting decision",
  released: "Released",
  held: "Held",
  exam: "Exam",
  "info-requested": "Information requested",
};

export function statusLabel(status: string): string {
  return STATUS_LABELS[status] ?? status;
}

export const DECISIONS: { value: string; label: string; hint: string }[] = [
  { value: "release", label: "Release", hint: "The goods may enter." },
  { value: "hold", label: "Hold", hint: "Keep the goods until the problem is resolved." },
  { value: "exam", label: "Exam", hint: "Send the goods for physical examination." },
  { value: "request-info", label: "Request information", hint: "Ask the submitter for more." },
];

export function decisionLabel(decision: string): string {
  return DECISIONS.find((d) => d.value === decision)?.label ?? decision;
}

// Each verification check, named and explained in plain language.
export const CHECKS: Record<string, { label: string; explains: string }> = {
  structure: {
    label: "Well-formed",
    explains: "The document has the parts every verifiable credential must have.",
  },
  schema: {
    label: "Matches its form",
    explains: "The content follows the schema the document declares (required fields, formats).",
  },
  proof: {
    label: "Signature",
    explains: "The issuer's signature covers the document, so nothing was changed after signing.",
  },
  "key-resolution": {
    label: "Issuer's key found",
    explains: "The key that signed was found in the issuer's published DID document.",
  },
  "proof-purpose": {
    label: "Key allowed to sign this",
    explains: "The issuer lists the signing key as one it uses for this purpose.",
  },
  "validity-period": {
    label: "Within its validity period",
    explains: "The document is in force now: after its start date and before any end date.",
  },
  status: {
    label: "Not revoked or suspended",
    explains: "The issuer's status list says the document has not been withdrawn.",
  },
  "issuer-accredited": {
    label: "Issuer accredited",
    explains:
      "The trust registry listed the issuer as allowed to issue this kind of document when it was issued.",
  },
  "ledger-anchor": {
    label: "Recorded on the ledger",
    explains: "The document's fingerprint is recorded on this node's tamper-evident ledger.",
  },
  challenge: {
    label: "Challenge",
    explains: "The presentation answers the challenge the verifier set, so it is not a replay.",
  },
  domain: {
    label: "Domain",
    explains: "The presentation was made for this verifier.",
  },
  holder: {
    label: "Holder",
    explains: "The party presenting the documents signed the presentation.",
  },
  credentials: {
    label: "Enclosed documents",
    explains: "Every document inside the presentation verifies.",
  },
};

export function checkLabel(name: string): string {
  return CHECKS[name]?.label ?? name;
}

export const IDENTIFIER_KINDS: { value: string; label: string }[] = [
  { value: "heat", label: "Heat number" },
  { value: "batch", label: "Batch number" },
  { value: "ticket", label: "Delivery ticket number" },
  { value: "bol", label: "Bill of lading number" },
  { value: "invoice", label: "Invoice number" },
  { value: "po", label: "Purchase order number" },
  { value: "entry", label: "Entry number" },
  { value: "lot", label: "Lot code" },
  { value: "gtin", label: "GTIN" },
  { value: "gln", label: "GLN" },
  { value: "well", label: "Well identifier (UWI)" },
  { value: "certificate", label: "Mill certificate number" },
  { value: "license", label: "Licence or authorization number" },
];

export function identifierLabel(kind: string): string {
  return IDENTIFIER_KINDS.find((k) => k.value === kind)?.label ?? kind;
}

export function riskLevel(risk: number | null | undefined): "high" | "medium" | "low" | "none" {
  if (risk === null || risk === undefined) return "none";
  if (risk >= 50) return "high";
  if (risk >= 20) return "medium";
  return "low";
}

// Only web links may become hrefs: a value from a credential or answer could be "javascript:".
export function safeExternalUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:" ? u.href : null;
  } catch {
    return null;
  }
}

export function plural(n: number, one: string, many = one + "s"): string {
  return `${n} ${n === 1 ? one : many}`;
}
