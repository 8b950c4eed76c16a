// Where the form's schemas come from. The node's answer to GET /documents/types names each type's
// schema by its `$id`; a node that also sends the schema documents is used as it is:
//
//   {"types": [{"type", "title", "schema": "<$id>", "jsonSchema": {<the type's schema>}}],
//    "schemas": {"<$id>": {<a document the type schemas refer to>}, ...}}
//
// (`jsonSchema` may also be a self-contained bundle whose `$defs` embed the documents it refers
// to, each with its own `$id`; `schemas` may also be a list of documents.) A node that sends
// only the names gets the copies built into the portal from the repository's schemas/ directory,
// the same files the node embeds when it is built.
import type { Json, JsonObject } from "./credential";
import { SchemaStore } from "./schema";
import type { DocumentType } from "./types";

const PREFIX = "https://traceport.dev/schemas/";

function isObject(v: unknown): v is JsonObject {
  return !!v && typeof v === "object" && !Array.isArray(v);
}

// The schema documents the node sent along with the types, by `$id`.
export function schemasFromTypes(answer: unknown): Map<string, Json> {
  const out = new Map<string, Json>();
  if (!isObject(answer)) return out;
  const add = (doc: Json, fallback?: string) => {
    if (!isObject(doc)) return;
    const id = typeof doc.$id === "string" ? doc.$id.replace(/#$/, "") : fallback;
    if (id) out.set(id, doc);
  };
  const extra = answer.schemas;
  if (Array.isArray(extra)) extra.forEach((d) => add(d));
  else if (isObject(extra)) for (const [id, d] of Object.entries(extra)) add(d, id);
  if (Array.isArray(answer.types)) {
    for (const t of answer.types) {
      if (!isObject(t)) continue;
      const named = schemaUri(t as unknown as DocumentType);
      if (isObject(t.jsonSchema)) add(t.jsonSchema, named);
      else if (isObject(t.schema)) add(t.schema, named);
    }
  }
  return out;
}

// A copy built into the portal, for a node that does not send its schemas.
async function builtIn(uri: string): Promise<Json | null> {
  const m = /^https:\/\/traceport\.dev\/schemas\/([A-Za-z0-9]+)\/v1\.json$/.exec(uri);
  if (!m) return null;
  try {
    // esbuild bundles every file this pattern can match (web/../schemas/*.v1.json).
    const mod = (await import(`../../schemas/${m[1]}.v1.json`)) as { default?: Json };
    return mod.default ?? null;
  } catch {
    return null;
  }
}

export interface LoadedSchema {
  store: SchemaStore;
  uri: string;
  // "node": every document came from the node; "built-in": some came from the portal's copies.
  source: "node" | "built-in";
  // Documents the schema refers to that could not be found (their parts are edited as JSON).
  missing: string[];
}

export function schemaUri(type: DocumentType): string {
  const named = [type.schema, isObject(type.schema) ? type.schema.$id : undefined, type.jsonSchema?.$id].find(
    (v): v is string => typeof v === "string" && v !== "",
  );
  return named ? named.replace(/#$/, "") : `${PREFIX}${type.type}/v1.json`;
}

// Loads the type's schema and, one after another, every document it refers to.
export async function loadSchema(type: DocumentType, fromNode: Map<string, Json>): Promise<LoadedSchema | null> {
  const store = new SchemaStore();
  const uri = schemaUri(type);
  let source: LoadedSchema["source"] = "node";
  const fetchDoc = async (u: string): Promise<boolean> => {
    const sent = fromNode.get(u);
    if (sent !== undefined) {
      store.add(sent, u);
      return true;
    }
    const copy = await builtIn(u);
    if (copy === null) return false;
    source = "built-in";
    store.add(copy, u);
    return true;
  };
  if (!(await fetchDoc(uri))) return null;
  const failed = new Set<string>();
  for (let round = 0; round < 20; round++) {
    const todo = store.missing().filter((u) => !failed.has(u));
    if (todo.length === 0) break;
    for (const u of todo) if (!(await fetchDoc(u))) failed.add(u);
  }
  return { store, uri, source, missing: [...failed] };
}
