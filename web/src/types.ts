// The JSON shapes the portal reads, as the node's handlers produce them (docs/api/openapi.json,
// src/node/node_customs.cc). Members the server may leave out are optional here, and every
// page copes with their absence: the portal must never crash on an older or newer node.

export type Role = "officer" | "importer" | "issuer" | "registry-admin" | "auditor";

export interface User {
  username: string;
  organization: string;
  role: Role | string;
  name?: string;
}

export interface Session {
  user: User;
  csrfToken: string;
}

export type SubmissionStatus = "received" | "released" | "held" | "exam" | "info-requested";

export interface Workflow {
  definition?: string[];
  instance?: string[];
}

export interface SubmissionSummary {
  id: string;
  holder: string;
  status: SubmissionStatus | string;
  risk: number;
  rules: string[];
  findingCount?: number;
  workflow?: Workflow | null;
  rulesetVersion?: string;
  arrivalAt?: string | null;
  leadTimeHours?: number | null;
  receivedAt?: string;
  updatedAt?: string;
}

export interface SubmissionList {
  submissions: SubmissionSummary[];
}

export interface FailedCheck {
  check: string;
  reason?: string;
}

export interface SubmittedCredential {
  id: string;
  type: string;
  issuer: string;
  verified: boolean;
  failedChecks?: FailedCheck[];
  issuerRegistered?: boolean | null;
}

export interface Finding {
  ruleId: string;
  severity: "info" | "warning" | "error" | string;
  title?: string;
  explanation: string;
  credentialIds?: string[];
  details?: Record<string, unknown>;
}

export interface RuleOutcome {
  rulesetVersion?: string;
  risk?: number;
  findings?: Finding[];
  passed?: string[];
  notApplicable?: string[];
  arrivalAt?: string | null;
  leadSeconds?: number | null;
}

export interface Decision {
  id?: string;
  decision: string;
  status?: string;
  reason?: string;
  officer?: string;
  rulesetVersion?: string;
  decidedAt: string;
  ledgerIndex?: number | null;
}

export interface Submission {
  id: string;
  holder?: string;
  status: SubmissionStatus | string;
  risk?: number;
  workflow?: Workflow | null;
  rulesetVersion?: string;
  arrivalAt?: string | null;
  leadTimeHours?: number | null;
  receivedAt?: string;
  updatedAt?: string;
  outcome: RuleOutcome;
  credentials: SubmittedCredential[];
  decisions: Decision[];
  receipt?: { ledgerIndex?: number; url?: string };
}

export type CheckStatus = "pass" | "fail" | "skipped";

export interface Check {
  name: string;
  status: CheckStatus | string;
  reason?: string;
  pointer?: string;
  required?: boolean;
}

export interface VerificationReport {
  verified: boolean;
  checks: Check[];
  problems?: { pointer?: string; message?: string }[];
}

export interface PresentationReport {
  verified: boolean;
  checks: Check[];
  credentials: VerificationReport[];
}

export interface StoredPresentation {
  id: string;
  holder?: string;
  verifiablePresentation: unknown;
  receivedAt: string;
  report?: PresentationReport;
  ledgerIndex?: number;
}

// GET /customs/trace?submission=ID
export interface TraceNode {
  id: string;
  type: string;
  issuer: string;
  depth: number;
  submissions?: string[];
  moreSubmissions?: boolean;
}

export interface TraceEdge {
  from: string;
  to: string;
  kind: string;
  value: string;
}

export interface TraceOrigin {
  credential: string;
  type: string;
  issuer: string;
  kind: string;
  value: string;
}

export interface TraceBack {
  root: { submission: string };
  nodes: TraceNode[];
  edges: TraceEdge[];
  origins: TraceOrigin[];
  truncated: boolean;
}

// GET /customs/trace?kind=K&value=V
export interface TraceForward {
  identifier: { kind: string; value: string };
  credentials: {
    id: string;
    type: string;
    issuer: string;
    depth: number;
    via?: { kind: string; value: string };
  }[];
  submissions: { id: string; receivedAt?: string; credentials: string[] }[];
  truncated: boolean;
}

export interface Rule {
  id: string;
  title?: string;
  description?: string;
  severity?: string;
  riskWeight?: number;
  enabled?: boolean;
}

export interface RuleSet {
  version: string;
  format?: string;
  description?: string;
  rules: Rule[];
}

// GET /portal/api/shipments (the importer's view)
export interface ImporterShipment {
  id: string;
  workflow?: Workflow | string | null;
  status: string;
  risk?: number | null;
  arrival?: string | null;
  receivedAt?: string;
  customs?: string;
  decision: { decision: string; reason?: string; decidedAt?: string } | null;
}

export interface AssistAnswer {
  answer: string;
  kind: "answer" | "calculation" | "clarify" | "decline" | "unknown" | "refused" | string;
  intent?: string | null;
  unit?: string | null;
  confidence?: number;
  citations: { label: string; url?: string }[];
  reviewed?: string | null;
  asOf?: string | null;
  related?: string[];
  sessionId: string;
}

export interface LedgerEntry {
  index: number;
  entry: Record<string, unknown>;
  leaf_hash: string;
}

export interface DocumentType {
  type: string;
  // The schema's $id; a node may instead (or also, as `jsonSchema`) send the schema itself.
  schema?: string | Record<string, unknown>;
  jsonSchema?: Record<string, unknown>;
  title?: string;
}

// GET /documents/types
export interface DocumentTypes {
  types: DocumentType[];
  // Schema documents the type schemas refer to, by $id (or as a list), when the node sends them.
  schemas?: Record<string, unknown> | unknown[];
}

// POST /documents/issue
export interface IssuedDocument {
  id: string;
  ledgerIndex?: number | null;
  verifiableCredential?: unknown;
}

export interface IssueResult {
  type: string;
  count: number;
  issued: IssuedDocument[];
}

// GET /portal/api/credentials: the organization's own credentials, newest first.
export interface IssuedCredentialItem {
  id: string;
  types?: string[];
  createdAt?: string;
  mediaType?: string;
  // Not sent by the node yet; shown when it is ("active", "suspended", "revoked").
  status?: string;
}

// GET /credentials/{id}
export interface StoredCredential {
  verifiableCredential: unknown;
  mediaType?: string;
  issuedAt?: string;
}

// POST /credentials/status
export interface StatusResult {
  credentialId: string;
  updates: { status?: string; statusPurpose?: string; ledgerIndex?: number | null }[];
}

export interface RegistryEntry {
  did: string;
  name?: string;
  authority: string;
  identifiers: Record<string, string>;
  roles?: string[];
  credentialTypes?: string[];
  state: "active" | "suspended" | "removed" | string;
  history: Record<string, unknown>[];
  admissionCredentialId?: string;
  ledgerIndex?: number;
  updatedAt?: string;
}
