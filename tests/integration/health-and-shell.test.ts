import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpClient } from "../support/http-client";
import { expectConsoleErrors } from "../support/strict-console";
import { startTestApp, type TestApp } from "../support/test-app";

describe("the product answers on its public addresses", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ smtp: false });
  });
  afterAll(() => app.close());

  it("reports a healthy database on /healthz", async () => {
    const response = await fetch(`${app.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("serves the home page and the sign-in page in French by default", async () => {
    const home = await fetch(`${app.url}/`);
    expect(home.status).toBe(200);
    const html = await home.text();
    expect(html).toContain('<html lang="fr"');
    expect(html).toContain("Des CV qui ouvrent des portes");
    const signIn = await fetch(`${app.url}/connexion`);
    expect(signIn.status).toBe(200);
    expect(await signIn.text()).toContain("Mot de passe oublié ?");
  });

  it("switches to English and back with a plain form post", async () => {
    const client = new HttpClient(app.url);
    const switched = await client.post("/langue", { locale: "en", retour: "/connexion" });
    expect(switched.status).toBe(302);
    expect(switched.headers.get("location")).toBe("/connexion");
    const page = await (await client.get("/connexion")).text();
    expect(page).toContain('<html lang="en"');
    expect(page).toContain("Forgot your password?");
    await client.post("/langue", { locale: "fr", retour: "/" });
    expect(await (await client.get("/connexion")).text()).toContain("Mot de passe oublié ?");
  });

  it("never redirects a language switch to another site", async () => {
    const client = new HttpClient(app.url);
    const response = await client.post("/langue", { locale: "en", retour: "//evil.example/" });
    expect(response.headers.get("location")).toBe("/");
  });

  it("explains to employers how inclusive hiring works here, linked from every page", async () => {
    const page = await (await fetch(`${app.url}/employeurs`)).text();
    expect(page).toContain("Recruter avec LinkedOut");
    expect(page).toContain("à 1, 3 et 6 mois");
    expect(page).toContain("Questions fréquentes");
    // From there, one tap to the offer form.
    expect(page).toContain('href="/offres/nouvelle"');
    expect(await (await fetch(`${app.url}/connexion`)).text()).toContain('href="/employeurs"');
  });

  it("answers an unknown address with a French 404 page", async () => {
    const response = await fetch(`${app.url}/nulle-part`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("Page introuvable");
  });

  it("sends protective headers on every page", async () => {
    const response = await fetch(`${app.url}/`);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(response.headers.get("x-powered-by")).toBeNull();
  });
});

describe("/healthz when the database does not answer", () => {
  it("answers 503 unavailable", async () => {
    const app = await startTestApp({ smtp: false });
    try {
      await app.database.pool.end();
      const response = await fetch(`${app.url}/healthz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: "unavailable" });
    } finally {
      await app.close().catch(() => undefined);
      // The job queue rightly complains that its database is gone.
      expectConsoleErrors();
    }
  });
});
