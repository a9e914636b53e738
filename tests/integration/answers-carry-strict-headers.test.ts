import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aPublishedCv } from "../../app/db/factories";
import { startTestApp, type TestApp } from "../support/test-app";

/** Every inline script of a page, with its nonce attribute (if any) and its text. */
const inlineScripts = (html: string) =>
  [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)]
    .filter(([, attributes]) => !/\bsrc\s*=/i.test(attributes!))
    .map(([, attributes, text]) => ({ nonce: /\bnonce="([^"]*)"/.exec(attributes!)?.[1], text: text! }))
    .filter((script) => script.text.length > 0);

const directive = (csp: string | null, name: string) =>
  (csp ?? "")
    .split(";")
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${name} `)) ?? "";

/** What the browser is told: only this answer's scripts run, nothing is fetched elsewhere. */
describe("security headers", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ smtp: false });
  });
  afterAll(() => app.close());

  it("allows only the inline scripts of this answer, by a nonce that changes every time", async () => {
    const nonces = new Set<string>();
    for (const path of ["/", "/connexion", "/candidats", "/introuvable"]) {
      const response = await fetch(`${app.url}${path}`);
      const csp = response.headers.get("content-security-policy");
      const scripts = directive(csp, "script-src");
      expect(scripts, path).not.toContain("'unsafe-inline'");
      const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(scripts)?.[1];
      expect(nonce, path).toBeTruthy();
      nonces.add(nonce!);
      const inline = inlineScripts(await response.text());
      expect(inline.length, path).toBeGreaterThan(0);
      for (const script of inline) expect(script.nonce, path).toBe(nonce);
      expect(directive(csp, "connect-src"), path).toBe("connect-src 'self'");
      expect(directive(csp, "object-src"), path).toBe("object-src 'none'");
    }
    expect(nonces.size).toBe(4);
  });

  it("allows a cached public page's inline scripts by their hashes, and no others", async () => {
    const { cv } = await aPublishedCv(app.db);
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
    for (let visit = 0; visit < 2; visit++) {
      const response = await fetch(`${app.url}/cv/${cv.slug}`);
      const scripts = directive(response.headers.get("content-security-policy"), "script-src");
      expect(scripts).not.toContain("'unsafe-inline'");
      expect(scripts).not.toContain("'nonce-");
      const allowed = new Set([...scripts.matchAll(/'sha256-([^']+)'/g)].map((m) => m[1]));
      const inline = inlineScripts(await response.text());
      expect(inline.length).toBeGreaterThan(0);
      for (const script of inline) expect(allowed).toContain(createHash("sha256").update(script.text).digest("base64"));
    }
  });

  it("turns off the browser features nobody here uses, and the view pixel and share pages keep a strict policy", async () => {
    const response = await fetch(`${app.url}/`);
    expect(response.headers.get("permissions-policy")).toMatch(/camera=\(\).*microphone=\(\).*geolocation=\(\)/);
    // Not https here: no HSTS (it would lock a plain-http deployment out of itself).
    expect(response.headers.get("strict-transport-security")).toBeNull();
    const { cv } = await aPublishedCv(app.db);
    const share = await fetch(`${app.url}/partager/${cv.slug}/linkedin`, { headers: { "User-Agent": "Mozilla/5.0 Chrome/124.0" } });
    expect(share.status).toBe(200);
    const csp = share.headers.get("content-security-policy");
    expect(directive(csp, "script-src")).toBe("script-src 'self'");
    expect(inlineScripts(await share.text())).toEqual([]);
  });
});

describe("security headers behind https", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ smtp: false, env: { PUBLIC_URL: "https://linkedout.example" } });
  });
  afterAll(() => app.close());

  it("asks browsers to use https only, subdomains included", async () => {
    const response = await fetch(`${app.url}/connexion`, { headers: { "X-Forwarded-Proto": "https" } });
    expect(response.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
  });
});
