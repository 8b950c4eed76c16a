// Legal identifiers checked as they are typed: POST /registry/identifiers/validate (public) a
// short pause after the last keystroke, with any earlier request cancelled, so the verdict next
// to a field always belongs to what the field holds now.
import { useEffect, useState } from "preact/hooks";
import { ApiError, api, isAbort } from "./api";

export interface IdentifierVerdict {
  state: "idle" | "checking" | "valid" | "invalid" | "unavailable";
  normalized?: string;
  // The node's sentence for an invalid value, or why it could not be checked.
  message?: string;
  // The value the verdict is for (trimmed).
  value: string;
}

interface IdentifierCheckAnswer {
  scheme: string;
  valid: boolean;
  normalized?: string;
  error?: string;
}

export const SCHEMES: { value: string; label: string; example: string }[] = [
  { value: "lei", label: "LEI", example: "20 characters, e.g. 5493001KJTIIGC8Y1R12" },
  { value: "ein", label: "EIN", example: "NN-NNNNNNN" },
  { value: "ior", label: "Importer of record number", example: "NN-NNNNNNNXX, NNN-NN-NNNN or YYDDPP-NNNNN" },
  { value: "cbp", label: "CBP-assigned number", example: "YYDDPP-NNNNN" },
  { value: "mid", label: "MID (manufacturer)", example: "up to 15 characters" },
  { value: "gln", label: "GLN", example: "13 digits" },
  { value: "gtin", label: "GTIN", example: "8, 12, 13 or 14 digits" },
  { value: "bn", label: "Canadian business number", example: "123456789RM0001" },
  { value: "rfc", label: "Mexican RFC", example: "12 or 13 characters" },
  { value: "duns", label: "D-U-N-S", example: "9 digits" },
];

export function schemeLabel(scheme: string): string {
  return SCHEMES.find((s) => s.value === scheme)?.label ?? scheme;
}

// The node refuses inner spaces (its rule); spaces around a pasted value are dropped here.
export function identifierValue(raw: string): string {
  return raw.trim();
}

export function useIdentifierCheck(scheme: string, raw: string, delayMs = 300): IdentifierVerdict {
  const value = identifierValue(raw);
  const [verdict, setVerdict] = useState<IdentifierVerdict>({ state: "idle", value: "" });
  useEffect(() => {
    if (!value) {
      setVerdict({ state: "idle", value });
      return;
    }
    setVerdict({ state: "checking", value });
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      api
        .post<IdentifierCheckAnswer>(
          "/registry/identifiers/validate",
          { scheme, value },
          { signal: controller.signal, expectUnauthorized: true },
        )
        .then(
          (r) =>
            setVerdict(
              r.valid
                ? { state: "valid", normalized: r.normalized, value }
                : { state: "invalid", message: r.error || "Not a valid identifier.", value },
            ),
          (e) => {
            if (isAbort(e)) return;
            setVerdict({
              state: "unavailable",
              value,
              message:
                e instanceof ApiError && e.status === 429
                  ? "Not checked yet: too many checks in a short time. It is checked again when you submit."
                  : "Could not be checked just now. It is checked again when you submit.",
            });
          },
        );
    }, delayMs);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [scheme, value]);
  // A verdict for an older value is never shown.
  return verdict.value === value ? verdict : { state: value ? "checking" : "idle", value };
}
