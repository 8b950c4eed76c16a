// What the three ways of issuing (form, CSV, JSON) share: the signature formats and the reading
// of a refused POST /documents/issue.
import { ApiError } from "./api";
import { type DocProblem, humanizeServerProblem } from "./schema";

export const SECURING = [
  { value: "vc-jwt", label: "JWT (vc+jwt, ES256) — the default" },
  { value: "eddsa-jcs-2022", label: "Data Integrity, eddsa-jcs-2022" },
  { value: "ecdsa-jcs-2019", label: "Data Integrity, ecdsa-jcs-2019" },
  { value: "eddsa-rdfc-2022", label: "Data Integrity, eddsa-rdfc-2022" },
  { value: "ecdsa-rdfc-2019", label: "Data Integrity, ecdsa-rdfc-2019" },
];

function detailOf(e: ApiError): string {
  const body = e.body as { detail?: unknown } | undefined;
  return body && typeof body.detail === "string" ? body.detail : e.message;
}

// The problems of a refused batch, from the problem's `errors[]` ({"document", "pointer",
// "message"} each), worded as the form words its own (humanizeServerProblem).
export function documentProblems(e: unknown): DocProblem[] {
  if (!(e instanceof ApiError)) return [];
  return e.errors.map((p) =>
    humanizeServerProblem({
      document: typeof p.document === "number" ? p.document : undefined,
      pointer: typeof p.pointer === "string" ? p.pointer : "",
      message: typeof p.message === "string" ? p.message : "",
    }),
  );
}

// The refusal's sentence: "3 problems in the documents; nothing was issued."
export function refusalSentence(e: unknown): string {
  if (!(e instanceof ApiError)) return "Nothing was issued.";
  const text = detailOf(e).replace(/problem\(s\)/, "problems").trim();
  const s = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

// "document 3: <why> (3 issued before it)": the node failed while signing, after some of the
// batch was issued.
export function partialFailure(e: unknown): { index: number; issuedBefore: number; reason: string } | null {
  if (!(e instanceof ApiError)) return null;
  const m = /^document ([0-9]+): (.*) \(([0-9]+) issued before it\)\.?$/i.exec(detailOf(e));
  if (!m) return null;
  return { index: Number(m[1]), reason: m[2], issuedBefore: Number(m[3]) };
}

export function credentialLink(id: string): string {
  return `#/credentials/${encodeURIComponent(id)}`;
}
