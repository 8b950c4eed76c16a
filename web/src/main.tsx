// The portal's entry point: finds out who is signed in, routes the hash to a page the user's
// role may use, and sends anyone whose session ends back to the login page.
import "uplot/dist/uPlot.min.css";
import "./style.css";
import "./panels.css";
import "./issuer.css";

import { render } from "preact";
import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import { ApiError, api, errorMessage, onUnauthorized, setCsrfToken } from "./api";
import { ErrorBox, Loading, Notice } from "./components/Feedback";
import { Shell } from "./components/Shell";
import { useTitle } from "./hooks";
import { AssistantPage } from "./pages/Assistant";
import { CredentialPage } from "./pages/Credential";
import { DashboardPage } from "./pages/Dashboard";
import { DocumentsPage } from "./pages/Documents";
import { LedgerPage } from "./pages/Ledger";
import { LoginPage } from "./pages/Login";
import { QueuePage } from "./pages/Queue";
import { RegistryPage } from "./pages/Registry";
import { NewSubmissionPage } from "./pages/NewSubmission";
import { ShipmentsPage } from "./pages/Shipments";
import { SubmissionPage } from "./pages/Submission";
import { TracePage } from "./pages/Trace";
import { VerifyPage } from "./pages/Verify";
import { type Route, href, navigate, useRoute } from "./router";
import { PAGES, SUBMISSION_ROLES, SessionContext, homePath, mayUse } from "./session";
import type { Session } from "./types";

// Where to go after signing in: only a path inside the portal, never anything else.
function safeNext(next: string | null): string | null {
  return next && /^\/[A-Za-z0-9/_\-.~%?=&+:@]*$/.test(next) && !next.startsWith("//") ? next : null;
}

function routeTarget(route: Route): string {
  const q = route.query.toString();
  return route.path + (q ? `?${q}` : "");
}

function NotFound() {
  useTitle("Page not found");
  return (
    <section>
      <h1>Page not found</h1>
      <p>There is no page at this address.</p>
      <p>
        <a href="#/">Go to your start page</a>
      </p>
    </section>
  );
}

function NotForRole() {
  useTitle("Not available");
  return (
    <section>
      <h1>Not available to your role</h1>
      <p>Your account cannot use this page. The navigation shows the pages you can use.</p>
      <p>
        <a href="#/">Go to your start page</a>
      </p>
    </section>
  );
}

function Page({ route, session }: { route: Route; session: Session }) {
  const [first, second] = route.segments;
  // One of the issuer's credentials, to view and print (the documents page links there).
  if (first === "credentials" && second) {
    const documents = PAGES.find((p) => p.key === "documents");
    return documents && mayUse(documents, session.user.role) ? <CredentialPage id={second} /> : <NotForRole />;
  }
  if (first === "submissions" && second) {
    return SUBMISSION_ROLES.includes(session.user.role) ? <SubmissionPage id={second} /> : <NotForRole />;
  }
  const page = PAGES.find((p) => p.path === route.path);
  if (!page) return <NotFound />;
  if (!mayUse(page, session.user.role)) return <NotForRole />;
  switch (page.key) {
    case "queue":
      return <QueuePage query={route.query} />;
    case "dashboard":
      return <DashboardPage />;
    case "trace":
      return <TracePage query={route.query} />;
    case "shipments":
      return <ShipmentsPage />;
    case "submit":
      return <NewSubmissionPage />;
    case "documents":
      return <DocumentsPage />;
    case "registry":
      return <RegistryPage query={route.query} />;
    case "ledger":
      return <LedgerPage query={route.query} />;
    case "assistant":
      return <AssistantPage />;
    case "verify":
      return <VerifyPage />;
    default:
      return <NotFound />;
  }
}

function App() {
  const route = useRoute();
  // undefined while the session probe runs; null when nobody is signed in.
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [probeError, setProbeError] = useState<unknown>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const routeRef = useRef(route);
  routeRef.current = route;

  const probe = useCallback(() => {
    setProbeError(null);
    api.get<Session>("/portal/api/session", { expectUnauthorized: true }).then(
      (s) => {
        setCsrfToken(s.csrfToken);
        setSession(s);
      },
      (e) => {
        if (e instanceof ApiError && e.status === 401) {
          setSession(null);
        } else {
          setProbeError(e);
        }
      },
    );
  }, []);

  useEffect(() => {
    probe();
    // Any 401 later on means the session expired or was ended elsewhere.
    onUnauthorized(() => {
      setCsrfToken("");
      setSession(null);
      setFlash("Your session has ended. Please sign in again.");
      const current = routeRef.current;
      if (current.path !== "/login" && current.path !== "/verify") {
        navigate(href("/login", { next: routeTarget(current) }), true);
      }
    });
  }, [probe]);

  // Redirects that depend on who is signed in.
  useEffect(() => {
    if (session === undefined) return;
    const isPublic = PAGES.some((p) => p.public && p.path === route.path);
    if (session === null && route.path !== "/login" && !isPublic) {
      const next = route.path === "/" ? null : routeTarget(route);
      navigate(href("/login", { next }), true);
    } else if (session && route.path === "/login") {
      navigate("#" + (safeNext(route.query.get("next")) ?? homePath(session.user.role)), true);
    } else if (session && route.path === "/") {
      navigate("#" + homePath(session.user.role), true);
    }
  }, [session, route]);

  // Clear a message once the user moves on to another page.
  const lastPath = useRef(route.path);
  useEffect(() => {
    if (lastPath.current !== route.path) {
      if (route.path !== "/login") setFlash(null);
      // Move focus to the new page's heading so screen readers announce the change.
      requestAnimationFrame(() => {
        // Someone (or a test) already typing into the new page keeps their place.
        const active = document.activeElement;
        if (active instanceof HTMLElement && active.matches("main input, main textarea, main select")) return;
        const h1 = document.querySelector<HTMLElement>("main h1");
        if (h1) {
          h1.setAttribute("tabindex", "-1");
          h1.focus({ preventScroll: false });
        }
      });
    }
    lastPath.current = route.path;
  }, [route.path]);

  const signedIn = (s: Session) => {
    setCsrfToken(s.csrfToken);
    setFlash(null);
    setSession(s);
  };

  const logout = async (everywhere: boolean) => {
    setBusy(true);
    try {
      await api.post<void>(everywhere ? "/portal/api/logout-everywhere" : "/portal/api/logout", undefined, {
        expectUnauthorized: true,
      });
    } catch (e) {
      // A 401 means the session was already gone: signed out all the same.
      if (!(e instanceof ApiError && e.status === 401)) {
        setBusy(false);
        setFlash(`Signing out did not complete. ${errorMessage(e)}`);
        return;
      }
    }
    setBusy(false);
    setCsrfToken("");
    setSession(null);
    setFlash(everywhere ? "You have been signed out on every device." : "You have been signed out.");
    navigate("#/login", true);
  };

  const context = useMemo(
    () => ({ session: session ?? null, canDecide: session?.user.role === "officer" }),
    [session],
  );

  let content;
  const isPublic = PAGES.some((p) => p.public && p.path === route.path);
  if (isPublic) {
    content = <VerifyPage />;
  } else if (probeError) {
    content = (
      <section>
        <h1>Traceport portal</h1>
        <ErrorBox error={probeError} title="The portal could not check your session." onRetry={probe} />
      </section>
    );
  } else if (session === undefined) {
    content = <Loading label="Checking your session…" />;
  } else if (session === null) {
    content =
      route.path === "/login" ? (
        <LoginPage onSignedIn={signedIn} next={safeNext(route.query.get("next"))} />
      ) : (
        <Loading label="Opening the sign-in page…" />
      );
  } else if (route.path === "/login" || route.path === "/") {
    content = <Loading label="Opening your start page…" />;
  } else {
    content = <Page route={route} session={session} />;
  }

  return (
    <SessionContext.Provider value={context}>
      <Shell
        session={session ?? null}
        currentPath={route.path}
        onLogout={() => void logout(false)}
        onLogoutEverywhere={() => void logout(true)}
        busy={busy}
      >
        {flash && (
          <Notice kind="info" testid="flash">
            <p role="status">{flash}</p>
          </Notice>
        )}
        {content}
      </Shell>
    </SessionContext.Provider>
  );
}

const root = document.getElementById("app");
if (root) {
  root.textContent = "";
  render(<App />, root);
}
