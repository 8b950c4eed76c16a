// The frame around every page: the product name, who is signed in, sign-out, and the
// navigation the user's role may use.
import type { ComponentChildren } from "preact";
import { PAGES, ROLE_LABELS, mayUse } from "../session";
import { AssistPanel, AssistToggle } from "./Assist";
import type { Session } from "../types";

function focusMain(e: Event) {
  // A plain "#main" link would be taken for a route, so the skip link moves focus itself.
  e.preventDefault();
  const main = document.getElementById("main-content");
  main?.focus();
}

export function Shell({
  session,
  currentPath,
  onLogout,
  onLogoutEverywhere,
  busy,
  children,
}: {
  session: Session | null;
  currentPath: string;
  onLogout: () => void;
  onLogoutEverywhere: () => void;
  busy: boolean;
  children: ComponentChildren;
}) {
  const user = session?.user;
  const pages = PAGES.filter((p) => (user ? mayUse(p, user.role) : p.public));
  const active = (path: string) =>
    currentPath === path ||
    (path === "/queue" && currentPath.startsWith("/submissions/")) ||
    (path === "/documents" && currentPath.startsWith("/credentials/"));
  return (
    <>
      <a class="skip-link" href="#main-content" onClick={focusMain}>
        Skip to main content
      </a>
      <header class="app-header">
        <div class="brand">
          <a href="#/" class="brand-link">
            <span class="brand-mark" aria-hidden="true">◆</span> Traceport
          </a>
          <span class="brand-sub">Customs portal</span>
        </div>
        <AssistToggle />
        {user ? (
          <div class="user" data-testid="user-info">
            <p class="user-text">
              <span class="user-name" data-testid="user-name">
                {user.name || user.username}
              </span>
              <span class="user-meta">
                <span data-testid="user-org">{user.organization}</span>
                {" · "}
                <span data-testid="user-role">{ROLE_LABELS[user.role] ?? user.role}</span>
              </span>
            </p>
            <div class="user-actions">
              <button type="button" class="button-secondary" onClick={onLogout} disabled={busy} data-testid="logout">
                Sign out
              </button>
              <button
                type="button"
                class="button-link"
                onClick={onLogoutEverywhere}
                disabled={busy}
                data-testid="logout-everywhere"
              >
                Sign out everywhere
              </button>
            </div>
          </div>
        ) : (
          currentPath !== "/login" && (
            <a class="button-secondary" href="#/login" data-testid="nav-login">
              Sign in
            </a>
          )
        )}
      </header>
      {pages.length > 0 && currentPath !== "/login" && (
        <nav class="app-nav" aria-label="Main">
          <ul>
            {pages.map((p) => (
              <li key={p.key}>
                <a
                  href={"#" + p.path}
                  aria-current={active(p.path) ? "page" : undefined}
                  data-testid={`nav-${p.key}`}
                >
                  {p.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <main id="main-content" tabIndex={-1}>
        {children}
      </main>
      <footer class="app-footer">
        <p>Traceport — verifiable trade documents for customs.</p>
      </footer>
      <AssistPanel />
    </>
  );
}
