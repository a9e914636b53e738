import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aPublishedCv } from "../../app/db/factories";
import { outbox, shareLinks } from "../../app/db/schema";
import { maskAccountLinks } from "../../app/domain/email/outbox";
import { HttpClient } from "../support/http-client";
import { startTestApp, type TestApp } from "../support/test-app";

/** A sharer may leave an e-mail for news; it counts only once confirmed (double opt-in). */
describe("a sharer asks for news", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ smtp: false });
  });
  afterAll(() => app.close());

  it("sends a confirmation link first, and confirms only with the right key and token", async () => {
    const { cv } = await aPublishedCv(app.db);
    const created = await (await fetch(`${app.url}/cv/${cv.slug}/mon-lien`, { method: "POST" })).text();
    const key = /\/partage\/([A-Za-z0-9_-]{43})/.exec(created)![1]!;
    const sharer = new HttpClient(app.url);
    const email = `sharer-${Date.now()}@exemple.test`;

    const refused = await sharer.post(`/partage/${key}`, { email: "pas-une-adresse" });
    expect(refused.status).toBe(400);
    const asked = await sharer.post(`/partage/${key}`, { email });
    expect(asked.status).toBe(302);
    expect(await (await sharer.get(`/partage/${key}`)).text()).toContain(`En attente de confirmation pour ${email}`);

    const [message] = await app.db.select().from(outbox).where(eq(outbox.toAddress, email));
    expect(message!.subject).toBe("Confirmez votre adresse pour suivre votre partage");
    const confirmPath = new RegExp(`/partage/${key}/confirmer/([A-Za-z0-9_-]{43})`).exec(message!.textBody)!;
    const token = confirmPath[1]!;
    // The token is stored hashed; when mail really leaves by SMTP, staff reading the outbox do
    // not see the sharer's key (the same masking as account links).
    const [stored] = await app.db.select().from(shareLinks).where(eq(shareLinks.email, email));
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(maskAccountLinks(message!.textBody)).not.toContain(key);
    expect(maskAccountLinks(message!.htmlBody)).not.toContain(key);

    // Wrong token or wrong key: not found, nothing confirmed. Opening the link alone confirms nothing.
    const wrongToken = token.slice(0, -1) + (token.endsWith("A") ? "B" : "A");
    expect((await sharer.get(`/partage/${key}/confirmer/${wrongToken}`)).status).toBe(404);
    expect((await sharer.post(`/partage/${key}/confirmer/${wrongToken}`, {})).status).toBe(404);
    expect((await sharer.get(`/partage/${key.slice(0, -1)}x/confirmer/${token}`)).status).toBe(404);
    expect((await sharer.get(`/partage/${key}/confirmer/${token}`)).status).toBe(200);
    expect((await app.db.select().from(shareLinks).where(eq(shareLinks.email, email)))[0]!.emailConfirmedAt).toBeNull();

    const confirmed = await sharer.post(`/partage/${key}/confirmer/${token}`, {});
    expect(confirmed.status).toBe(302);
    expect((await app.db.select().from(shareLinks).where(eq(shareLinks.email, email)))[0]!.emailConfirmedAt).not.toBeNull();
    expect(await (await sharer.get(`/partage/${key}`)).text()).toContain(`Vous recevrez les nouvelles à ${email}`);
    // The link works once.
    expect((await sharer.get(`/partage/${key}/confirmer/${token}`)).status).toBe(404);
  });

  it("refuses to attach an e-mail to a key that does not exist", async () => {
    const client = new HttpClient(app.url);
    const response = await client.post(`/partage/${"A".repeat(43)}`, { email: "x@exemple.test" });
    expect(response.status).toBe(404);
  });
});
