import AxeBuilder from "@axe-core/playwright";
import { chromium, type Browser, type Page } from "playwright-core";

/**
 * Browser journeys run in Debian's Chromium (never a downloaded build), headless, driven by
 * playwright-core. One browser per test file; every person gets a fresh context (own cookies).
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const PHONE = { width: 360, height: 740 } as const;
export const DESKTOP = { width: 1280, height: 800 } as const;

let shared: Browser | null = null;

export async function launchBrowser(): Promise<Browser> {
  shared ??= await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return shared;
}

export async function closeBrowser(): Promise<void> {
  await shared?.close();
  shared = null;
}

export type PageOptions = {
  /** A desktop screen (1280×800) instead of a phone (360×740). */
  desktop?: boolean;
  javaScriptEnabled?: boolean;
  locale?: string;
  /** Browser permissions granted to the site, e.g. ["clipboard-read", "clipboard-write"]. */
  permissions?: string[];
  /** Headless Chromium says so in its user agent, and robots are not counted as visitors. */
  userAgent?: string;
};

/** A new page in a fresh context: a person who has never visited the site. */
export async function newPage(options: PageOptions = {}): Promise<Page> {
  const browser = await launchBrowser();
  const context = await browser.newContext({
    viewport: options.desktop ? DESKTOP : PHONE,
    isMobile: !options.desktop,
    hasTouch: !options.desktop,
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    locale: options.locale ?? "fr-FR",
    permissions: options.permissions ?? [],
    ...(options.userAgent ? { userAgent: options.userAgent } : {}),
  });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  // The strict console applies to the browser too: a hydration mismatch or a script error fails
  // the test. A 4xx answer that the test provokes on purpose (404, 410, a refused sign-in) is
  // logged by Chromium as "Failed to load resource" and is the test's own business.
  page.on("pageerror", (error) => console.error(`[browser] ${error.stack ?? error.message}`));
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) return;
    console.error(`[browser] ${message.text()} (${message.location().url})`);
  });
  return page;
}

/** Signs in through the sign-in form, as a person would, and waits for the page that follows. */
export async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  if (new URL(page.url()).pathname !== "/connexion") await page.goto(`${baseUrl}/connexion`);
  await page.getByLabel("Adresse e-mail").fill(email);
  await page.getByLabel("Mot de passe", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await page.waitForURL((url) => url.pathname !== "/connexion");
}

/** Fails with a readable list when axe finds a WCAG 2.1 A/AA violation on the page as it is. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  // The page's outline too (axe files these under best practices): screen-reader users move by headings.
  const outline = await new AxeBuilder({ page }).withRules(["heading-order", "page-has-heading-one", "empty-heading"]).analyze();
  const violations = [...results.violations, ...outline.violations];
  if (violations.length === 0) return;
  const report = violations
    .map((v) => {
      const nodes = v.nodes.map((n) => `    - ${n.target.join(" ")}${n.failureSummary ? `\n      ${n.failureSummary.replace(/\n/g, "\n      ")}` : ""}`);
      return `  ${v.id} (${v.impact ?? "?"}): ${v.help}\n${nodes.join("\n")}`;
    })
    .join("\n");
  throw new Error(`Accessibility violations on ${page.url()}:\n${report}`);
}
