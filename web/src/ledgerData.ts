// Reading the ledger's public data beyond what api.ts does: the entry bundles (binary, C2SP
// tlog-tiles) that let the explorer and the registry list entries by type without one request
// per entry, and the latest checkpoint parsed.
import { ApiError, api } from "./api";
import { type Bytes, type Checkpoint, type Note, FormatError, bundlePath, parseBundle, parseCheckpoint, parseNote } from "./tlog";

export interface LoadedCheckpoint {
  raw: string;
  note: Note;
  checkpoint: Checkpoint;
  // The tree size as a number (the portal's ledgers stay far below 2^53).
  size: number;
}

export async function loadCheckpoint(signal?: AbortSignal): Promise<LoadedCheckpoint | { raw: string; error: string }> {
  const raw = await api.get<string>("/checkpoint", { as: "text", signal });
  try {
    const note = parseNote(raw);
    const checkpoint = parseCheckpoint(note.text);
    return { raw, note, checkpoint, size: Number(checkpoint.size) };
  } catch (e) {
    return { raw, error: e instanceof FormatError ? e.message : "The checkpoint could not be read." };
  }
}

async function fetchBytes(path: string, signal?: AbortSignal, immutable = false): Promise<Bytes> {
  let response: Response;
  try {
    response = await fetch(path, {
      credentials: "same-origin",
      // Full bundles never change; a partial one grows.
      cache: immutable ? "default" : "no-store",
      signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === "AbortError") throw e;
    throw new ApiError(0, "The server could not be reached. Check your connection and try again.");
  }
  if (!response.ok) {
    throw new ApiError(
      response.status,
      response.status === 404
        ? "This part of the ledger is not available yet."
        : `The ledger could not be read (HTTP ${response.status}).`,
    );
  }
  return new Uint8Array(await response.arrayBuffer());
}

export interface ScannedEntry {
  index: number;
  entry: Record<string, unknown>;
}

const decoder = new TextDecoder();

// The entries of bundle n (256 entries each) of a tree of `size` entries.
export async function fetchBundle(n: number, size: number, signal?: AbortSignal): Promise<ScannedEntry[]> {
  const width = Math.min(256, size - n * 256);
  if (width <= 0) return [];
  const bytes = await fetchBytes(bundlePath(n, width), signal, width === 256);
  return parseBundle(bytes).map((b, i) => {
    let entry: Record<string, unknown>;
    try {
      const v = JSON.parse(decoder.decode(b));
      entry = v && typeof v === "object" && !Array.isArray(v) ? v : { type: "?" };
    } catch {
      entry = { type: "?" };
    }
    return { index: n * 256 + i, entry };
  });
}

export interface ScanState {
  // Entries found so far, newest first.
  found: ScannedEntry[];
  // The next bundle to read going back in time; -1 when the whole log was read.
  nextBundle: number;
  // How many entries were looked at.
  scanned: number;
}

export function startScan(size: number): ScanState {
  return { found: [], nextBundle: size > 0 ? Math.floor((size - 1) / 256) : -1, scanned: 0 };
}

// Reads up to `bundles` more bundles, newest first, keeping the entries `keep` accepts.
export async function scanBack(
  state: ScanState,
  size: number,
  keep: (e: ScannedEntry) => boolean,
  { bundles = 4, signal }: { bundles?: number; signal?: AbortSignal } = {},
): Promise<ScanState> {
  const found = [...state.found];
  let next = state.nextBundle;
  let scanned = state.scanned;
  for (let i = 0; i < bundles && next >= 0; i++, next--) {
    const entries = await fetchBundle(next, size, signal);
    scanned += entries.length;
    for (let j = entries.length - 1; j >= 0; j--) if (keep(entries[j])) found.push(entries[j]);
  }
  return { found, nextBundle: next, scanned };
}
