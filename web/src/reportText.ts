// A verification report's verdict in one sentence: which required checks did not pass.
import { checkLabel, plural } from "./format";
import type { Check, VerificationReport } from "./types";

// The checks that decide the verdict and did not pass: a failure, or a required check skipped.
export function failedChecks(report: VerificationReport): Check[] {
  return report.checks.filter((c) => c.status === "fail" || (c.status !== "pass" && c.required !== false));
}

export function failedChecksSentence(report: VerificationReport): string {
  const failed = failedChecks(report);
  if (failed.length === 0) return "The verifier could not confirm it.";
  return `${plural(failed.length, "required check")} did not pass: ${failed.map((c) => checkLabel(c.name).toLowerCase()).join(", ")}.`;
}
