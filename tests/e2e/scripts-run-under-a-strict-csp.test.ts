import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aPublishedCv } from "../../app/db/factories";
import { closeBrowser, newPage } from "../support/browser";
import { startTestApp, type TestApp } from "../support/test-app";

const PHONE_UA = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36";

/** Every CSP violation the page reports, recorded from before its first script. */
async function watchViolations(page: Page) {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener("securitypolicyviolation", (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
  return () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
}

/** Hydrated: a link click is a client navigation (the window, and what we left on it, stays). */
async function expectHydrated(page: Page) {
  await page.waitForLoadState("networkidle");
  await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
  await page.getByRole("link", { name: "Se connecter" }).click();
  await page.waitForURL((url) => url.pathname === "/connexion");
  expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
}

describe("the site's scripts run under a CSP without 'unsafe-inline'", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ smtp: false });
  });
  afterAll(async () => {
    await closeBrowser();
    await app?.close();
  });

  it("hydrates a rendered page (nonce) and a public CV from the page cache (hashes), with no violation", async () => {
    const { cv } = await aPublishedCv(app.db);
    const page = await newPage({ userAgent: PHONE_UA });
    const violations = await watchViolations(page);

    await page.goto(`${app.url}/employeurs`);
    await expectHydrated(page);

    await expect
      .poll(
        async () => {
          if (app.pageCache.get(cv.slug, "fr")) return true;
          await (await fetch(`${app.url}/cv/${cv.slug}`)).arrayBuffer();
          return false;
        },
        { timeout: 10_000 },
      )
      .toBe(true);
    const response = await page.goto(`${app.url}/cv/${cv.slug}`);
    expect(response!.headers()["content-security-policy"]).toContain("'sha256-");
    await expectHydrated(page);
    expect(await violations()).toEqual([]);
  });
});
