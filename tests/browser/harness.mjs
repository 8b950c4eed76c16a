// Shared by the browser tests: the demo network in a child process, Chromium through
// playwright-core, and sign-in as one of the demo's people.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { chromium } from "playwright-core";

const BIN = process.env.TRACEPORT_BIN;
const TMP = process.env.TRACEPORT_BROWSER_TMP;
export const SHOTS = process.env.TRACEPORT_SCREENSHOTS;

// Starts `traceport demo` on a free port; resolves with {base, logins, stop()} once it serves.
export async function startDemo(name = "demo", shipments = 12) {
  if (!BIN || !TMP) throw new Error("run through tests/browser/run.sh");
  const data = join(TMP, name);
  const child = spawn(BIN, ["demo", "--data", data, "--listen", "127.0.0.1:0",
                            "--shipments", String(shipments)],
                      { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d) => { output += d; });
  child.stderr.on("data", (d) => { output += d; });
  const file = join(data, "demo-logins.json");
  const deadline = Date.now() + 180_000;
  let logins = null;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the demo exited:\n${output}`);
    if (existsSync(file)) {
      try { logins = JSON.parse(readFileSync(file, "utf8")); break; } catch { /* partial */ }
    }
    await sleep(200);
  }
  if (!logins) throw new Error(`the demo did not come up:\n${output}`);
  return {
    base: logins.node,
    logins,
    person(role) { return logins.portalLogins.find((p) => p.role === role); },
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await new Promise((r) => child.once("exit", r));
      }
    },
  };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.TRACEPORT_CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-dev-shm-usage"],
  });
}

// A fresh browser context (its own cookies) signed in as `person` through the login form.
export async function signIn(browser, demo, person, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  // A failed request (the session probe before sign-in is a 401) is the page's business; script
  // errors and CSP refusals ("Refused to ...") are not.
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(m.text());
  });
  page.errors = errors;
  await page.goto(`${demo.base}/portal#/login`);
  await page.getByTestId("login-organization").fill(person.organization);
  await page.getByTestId("login-username").fill(person.username);
  await page.getByTestId("login-password").fill(person.password);
  await page.getByTestId("login-submit").click();
  await page.getByTestId("user-name").waitFor();
  return { context, page };
}

export async function screenshot(page, name, { fullPage = false } = {}) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
}
