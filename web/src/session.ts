// Who is signed in, and which pages each role may use. The server enforces the same rules; the
// portal only avoids showing people what they cannot use.
import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { Session } from "./types";

export interface PageDef {
  key: string;
  path: string;
  label: string;
  roles: string[] | "all";
  // Reachable without signing in.
  public?: boolean;
}

const CUSTOMS = ["officer", "auditor"];

// In navigation order.
export const PAGES: PageDef[] = [
  { key: "queue", path: "/queue", label: "Queue", roles: CUSTOMS },
  { key: "dashboard", path: "/dashboard", label: "Dashboard", roles: CUSTOMS },
  { key: "trace", path: "/trace", label: "Trace", roles: CUSTOMS },
  { key: "shipments", path: "/shipments", label: "My shipments", roles: ["importer"] },
  { key: "submit", path: "/submit", label: "New submission", roles: ["importer"] },
  { key: "documents", path: "/documents", label: "Issue documents", roles: ["issuer"] },
  { key: "registry", path: "/registry", label: "Trust registry", roles: ["registry-admin"] },
  { key: "ledger", path: "/ledger", label: "Ledger", roles: "all" },
  { key: "assistant", path: "/assistant", label: "Assistant", roles: "all" },
  { key: "verify", path: "/verify", label: "Verify a document", roles: "all", public: true },
];

// Pages that are not in the navigation but belong to a role.
export const SUBMISSION_ROLES = CUSTOMS;

export function mayUse(page: PageDef, role: string | undefined): boolean {
  if (page.public) return true;
  if (!role) return false;
  return page.roles === "all" || page.roles.includes(role);
}

export function homePath(role: string | undefined): string {
  switch (role) {
    case "officer":
    case "auditor":
      return "/queue";
    case "importer":
      return "/shipments";
    case "issuer":
      return "/documents";
    case "registry-admin":
      return "/registry";
    default:
      return "/ledger";
  }
}

export const ROLE_LABELS: Record<string, string> = {
  officer: "Customs officer",
  auditor: "Auditor",
  importer: "Importer",
  issuer: "Issuer",
  "registry-admin": "Registry administrator",
};

export interface SessionState {
  session: Session | null;
  // Only officers record decisions; auditors read the same pages.
  canDecide: boolean;
}

export const SessionContext = createContext<SessionState>({ session: null, canDecide: false });

export function useSession(): SessionState {
  return useContext(SessionContext);
}
