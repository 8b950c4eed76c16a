// Sign-in: organization, username and password. The form is checked here first so that obvious
// slips get an immediate, specific message; the server's own sentence is shown for the rest
// (wrong credentials, too many attempts).
import { useRef, useState } from "preact/hooks";
import { ApiError, api } from "../api";
import { ErrorBox } from "../components/Feedback";
import { useTitle } from "../hooks";
import type { Session } from "../types";

type Field = "organization" | "username" | "password";

const SLUG = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

function validate(values: Record<Field, string>): Partial<Record<Field, string>> {
  const errors: Partial<Record<Field, string>> = {};
  const org = values.organization.trim().toLowerCase();
  if (!org) {
    errors.organization = "Enter your organization's short name, for example cbp.";
  } else if (!SLUG.test(org)) {
    errors.organization =
      "The organization's short name has only lowercase letters, digits and hyphens (not at the start or end), for example gulf-coast-steel.";
  }
  if (!values.username.trim()) errors.username = "Enter your username.";
  else if (values.username.length > 200) errors.username = "This username is too long.";
  if (!values.password) errors.password = "Enter your password.";
  else if (values.password.length > 1024) errors.password = "This password is too long.";
  return errors;
}

export function LoginPage({ onSignedIn, next }: { onSignedIn: (s: Session) => void; next: string | null }) {
  useTitle("Sign in");
  const [values, setValues] = useState<Record<Field, string>>({ organization: "", username: "", password: "" });
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [serverError, setServerError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);
  // After a 429 the button stays disabled for as long as the server asked us to wait.
  const [locked, setLocked] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  const set = (field: Field) => (e: Event) => {
    const value = (e.currentTarget as HTMLInputElement).value;
    setValues((v) => ({ ...v, [field]: value }));
    // Once a field has been flagged, re-check it as the user corrects it.
    if (errors[field]) setErrors((old) => ({ ...old, [field]: validate({ ...values, [field]: value })[field] }));
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (pending) return;
    const found = validate(values);
    setErrors(found);
    setServerError(null);
    const firstBad = (["organization", "username", "password"] as Field[]).find((f) => found[f]);
    if (firstBad) {
      form.current?.querySelector<HTMLInputElement>(`[name="${firstBad}"]`)?.focus();
      return;
    }
    setPending(true);
    try {
      const session = await api.post<Session>(
        "/portal/api/login",
        {
          organization: values.organization.trim().toLowerCase(),
          username: values.username.trim(),
          password: values.password,
        },
        { expectUnauthorized: true },
      );
      onSignedIn(session);
    } catch (err) {
      setServerError(err);
      if (err instanceof ApiError && err.status === 401) setValues((v) => ({ ...v, password: "" }));
      if (err instanceof ApiError && err.status === 429) {
        setLocked(true);
        setTimeout(() => setLocked(false), Math.min(err.retryAfterSeconds ?? 5, 3600) * 1000);
      }
      setPending(false);
      requestAnimationFrame(() => form.current?.querySelector<HTMLElement>("[data-testid=login-error]")?.focus());
    }
  };

  const field = (name: Field, label: string, type: "text" | "password", autocomplete: string, hint?: string) => {
    const common = {
      id: `login-${name}`,
      name,
      value: values[name],
      onInput: set(name),
      autocapitalize: "none" as const,
      spellcheck: false,
      required: true,
      "aria-invalid": errors[name] ? ("true" as const) : undefined,
      "aria-describedby":
        [hint ? `login-${name}-hint` : "", errors[name] ? `login-${name}-error` : ""].filter(Boolean).join(" ") ||
        undefined,
      "data-testid": `login-${name}`,
    };
    return (
      <div class="field">
        <label for={`login-${name}`}>{label}</label>
        {hint && (
          <p class="hint" id={`login-${name}-hint`}>
            {hint}
          </p>
        )}
        {type === "password" ? (
          <input {...common} type="password" autocomplete={autocomplete} />
        ) : (
          <input {...common} type="text" autocomplete={autocomplete} />
        )}
        {errors[name] && (
          <p class="field-error" id={`login-${name}-error`} data-testid={`login-${name}-error`}>
            {errors[name]}
          </p>
        )}
      </div>
    );
  };

  return (
    <section class="login">
      <h1>Sign in</h1>
      <p>Sign in with the account your organization gave you.</p>
      {next && <p class="muted">You will return to the page you asked for.</p>}
      <form ref={form} onSubmit={submit} noValidate data-testid="login-form" class="card form">
        {serverError !== null && (
          <div tabIndex={-1} data-testid="login-error">
            <ErrorBox error={serverError} title="You are not signed in." testid="login-error-box" />
          </div>
        )}
        {field("organization", "Organization", "text", "organization", "Its short name, for example cbp or gulf-coast-steel.")}
        {field("username", "Username", "text", "username")}
        {field("password", "Password", "password", "current-password")}
        <button type="submit" class="button-primary" disabled={pending || locked} data-testid="login-submit">
          {pending ? "Signing in…" : "Sign in"}
        </button>
      </form>
      <p>
        Checking a document someone sent you? <a href="#/verify">Verify it without signing in</a>.
      </p>
    </section>
  );
}
