import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountTokens, outbox } from "../../app/db/schema";
import { aCoach, anInvitedCandidate, aZone } from "../../app/db/factories";
import { HttpClient } from "../support/http-client";
import { linkIn } from "../support/smtp";
import { startTestApp, type TestApp } from "../support/test-app";

describe("forgotten password", () => {
  let app: TestApp;
  let zoneId: string;
  beforeAll(async () => {
    app = await startTestApp();
    zoneId = (await aZone(app.db)).id;
  });
  afterAll(() => app.close());

  // What differs per answer by design: the CSRF field and the CSP nonce.
  const visibleText = (html: string) => html.replace(/<input[^>]*name="csrf"[^>]*>/g, "").replace(/ nonce="[^"]*"/g, "");

  it("answers the same whether or not the address has an account, and e-mails only a real one", async () => {
    const coach = await aCoach(app.db, { zoneId });
    const client = new HttpClient(app.url);
    const known = await client.post("/mot-de-passe-oublie", { email: coach.email });
    const unknown = await client.post("/mot-de-passe-oublie", { email: "personne-ici@exemple.test" });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    expect(visibleText(await known.text())).toBe(visibleText(await unknown.text()));
    const email = await app.smtp.waitFor(coach.email, { subject: /nouveau mot de passe/ });
    expect(email.text).toContain("valable 2 heures");
    const unknownMail = await app.db.select().from(outbox).where(eq(outbox.toAddress, "personne-ici@exemple.test"));
    expect(unknownMail).toHaveLength(0);
  });

  it("lets the person choose a new password once, closes their other sessions, and refuses the link after", async () => {
    const coach = await aCoach(app.db, { zoneId });
    const elsewhere = new HttpClient(app.url);
    await elsewhere.signIn(coach.email, coach.password!);
    const client = new HttpClient(app.url);
    await client.post("/mot-de-passe-oublie", { email: coach.email });
    const link = linkIn(await app.smtp.waitFor(coach.email, { subject: /nouveau mot de passe/ }), "/mot-de-passe/");
    const path = new URL(link).pathname;
    expect((await client.get(path)).status).toBe(200);

    const tooShort = await client.post(path, { password: "court", confirm: "court" });
    expect(tooShort.status).toBe(400);
    expect(await tooShort.text()).toContain("au moins 10 caractères");
    const common = await client.post(path, { password: "password123", confirm: "password123" });
    expect(await common.text()).toContain("trop courant");
    const mismatch = await client.post(path, { password: "un nouveau mot de passe", confirm: "un autre mot de passe" });
    expect(await mismatch.text()).toContain("ne sont pas identiques");

    const done = await client.post(path, { password: "un nouveau mot de passe", confirm: "un nouveau mot de passe" });
    expect(done.headers.get("location")).toBe("/connexion?ok=mot-de-passe");
    expect((await elsewhere.get("/espace")).status).toBe(302);
    await new HttpClient(app.url).signIn(coach.email, "un nouveau mot de passe");
    expect((await new HttpClient(app.url).post("/connexion", { email: coach.email, password: coach.password! })).status).toBe(400);

    const again = await client.get(path);
    expect(again.status).toBe(410);
    expect(await again.text()).toContain("Ce lien n&#x27;est plus valable");
    const replay = await client.post(path, { password: "encore un autre secret", confirm: "encore un autre secret" });
    expect(replay.status).toBe(410);
  });

  it("refuses an expired invitation link with the same clear message", async () => {
    const candidate = await anInvitedCandidate(app.db, { zoneId });
    const { issueAccountToken } = await import("../../app/domain/accounts/account-tokens");
    const token = await issueAccountToken(app.db, candidate.id, "invitation");
    await app.db.update(accountTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(accountTokens.userId, candidate.id));
    const client = new HttpClient(app.url);
    const page = await client.get(`/mot-de-passe/${token}`);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain("a expiré");
    expect((await client.post(`/mot-de-passe/${token}`, { password: "un mot de passe neuf", confirm: "un mot de passe neuf" })).status).toBe(410);
  });

  it("treats a made-up link as no longer valid", async () => {
    const response = await fetch(`${app.url}/mot-de-passe/${"x".repeat(43)}`);
    expect(response.status).toBe(410);
  });
});
