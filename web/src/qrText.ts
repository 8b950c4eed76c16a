// What a scanned QR code says, sorted into what the verify page can do with it. A printed
// credential's code is `<node>/portal#/verify?id=<credential id>`; a code may also carry the
// credential itself (a compact JWT or JSON). Anything else is only shown, never opened.
import { COMPACT_JWT } from "./credential";
import { parseHash } from "./router";

export type QrMeaning =
  // A link to this portal's verify page for one credential: opened in place.
  | { kind: "check"; id: string }
  // The same kind of link, to another node: shown, and the id can be looked up here on request.
  | { kind: "other-node"; id: string; origin: string }
  // A credential to verify as if it had been pasted.
  | { kind: "credential"; text: string }
  // A web address that is not a verify link.
  | { kind: "url"; url: string; sameOrigin: boolean }
  // Anything else.
  | { kind: "text"; text: string };

const PORTAL_PATHS = new Set(["/portal", "/portal/", "/portal/index.html"]);

export function classifyQrText(raw: string, origin: string): QrMeaning {
  const text = raw.trim();
  if (/^https?:\/\//i.test(text)) {
    let url: URL | null = null;
    try {
      url = new URL(text);
    } catch {
      url = null;
    }
    if (url) {
      const route = parseHash(url.hash);
      const id = route.path === "/verify" ? route.query.get("id")?.trim() : undefined;
      const sameOrigin = url.origin === origin;
      if (id && PORTAL_PATHS.has(url.pathname) && !url.username && !url.password) {
        return sameOrigin ? { kind: "check", id } : { kind: "other-node", id, origin: url.origin };
      }
      return { kind: "url", url: text, sameOrigin };
    }
  }
  if (COMPACT_JWT.test(text) || /^[{["]/.test(text)) return { kind: "credential", text };
  return { kind: "text", text };
}
