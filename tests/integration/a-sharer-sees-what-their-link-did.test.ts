import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aPublishedCv } from "../../app/db/factories";
import { publicCvs, shareLinks } from "../../app/db/schema";
import { recordShare, recordView } from "../../app/domain/sharing/events";
import { shareLinkFor } from "../../app/domain/sharing/share-links";
import { HttpClient } from "../support/http-client";
import { startTestApp, type TestApp } from "../support/test-app";

const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36";

/** Anyone gets their own link to a CV, without an account, and a private page of what it did. */
describe("a sharer sees what their link did", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ smtp: false });
  });
  afterAll(() => app.close());

  const getLink = async (slug: string) => {
    const response = await fetch(`${app.url}/cv/${slug}/mon-lien`, { method: "POST", headers: { "User-Agent": BROWSER } });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toContain("no-store");
    const html = await response.text();
    const code = /\/s\/([a-z2-9]{8})/.exec(html)![1]!;
    const key = /\/partage\/([A-Za-z0-9_-]{43})/.exec(html)![1]!;
    return { code, key, html };
  };

  it("offers the link on the public page, without JavaScript or an account", async () => {
    const { cv } = await aPublishedCv(app.db, { candidate: { firstName: "Nadia" } });
    const page = await (await fetch(`${app.url}/cv/${cv.slug}`)).text();
    expect(page).toContain(`action="/cv/${cv.slug}/mon-lien"`);
    expect(page).toContain("Obtenir mon lien de partage");
    const { code, key, html } = await getLink(cv.slug);
    expect(html).toContain("Gardez cette adresse pour vous");
    // The secret key is stored only as a hash.
    const [stored] = await app.db.select().from(shareLinks).where(eq(shareLinks.code, code));
    expect(JSON.stringify(stored)).not.toContain(key);
  });

  it("leads /s/CODE to the CV, whose pixel and share buttons then carry the code", async () => {
    const { cv } = await aPublishedCv(app.db);
    const { code } = await getLink(cv.slug);
    const redirect = await fetch(`${app.url}/s/${code}`, { redirect: "manual" });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get("location")).toBe(`/cv/${cv.slug}?via=${code}`);
    const page = await (await fetch(`${app.url}/cv/${cv.slug}?via=${code}`)).text();
    expect(page).toContain(`src="/cv/${cv.slug}/vu.gif?via=${code}"`);
    expect(page).toContain(`href="/partager/${cv.slug}/linkedin?via=${code}"`);
    // An unknown code, or another CV's code, is ignored.
    const other = await aPublishedCv(app.db);
    const otherPage = await (await fetch(`${app.url}/cv/${other.cv.slug}?via=${code}`)).text();
    expect(otherPage).toContain(`src="/cv/${other.cv.slug}/vu.gif"`);
    expect(otherPage).toContain(`href="/partager/${other.cv.slug}/linkedin"`);
    expect((await fetch(`${app.url}/s/zzzzzzzz`, { redirect: "manual" })).status).toBe(404);
    expect((await fetch(`${app.url}/s/not-a-code`, { redirect: "manual" })).status).toBe(404);
  });

  it("counts a second visitor's view and re-share through the link, over plain HTTP", async () => {
    const { cv } = await aPublishedCv(app.db, { candidate: { firstName: "Inès" } });
    const { code, key } = await getLink(cv.slug);
    const second = { "User-Agent": `${BROWSER} second-visitor` };
    await fetch(`${app.url}/s/${code}`, { headers: second, redirect: "manual" });
    await fetch(`${app.url}/cv/${cv.slug}/vu.gif?via=${code}`, { headers: second });
    await fetch(`${app.url}/partager/${cv.slug}/whatsapp?via=${code}`, { headers: second, redirect: "manual" });
    // A visit without the code is not the sharer's.
    await fetch(`${app.url}/cv/${cv.slug}/vu.gif`, { headers: { "User-Agent": `${BROWSER} third-visitor` } });
    const report = await (await fetch(`${app.url}/partage/${key}`)).text();
    expect(report).toContain("1 vue du CV arrivée par votre lien");
    expect(report).toContain("1 nouveau partage par les personnes arrivées par votre lien");
    expect((await fetch(`${app.url}/partage/${key.slice(0, -2)}xx`)).status).toBe(404);
  });

  it("shows the sharer the views and re-shares through their link, and when the candidate found a job", async () => {
    const { cv } = await aPublishedCv(app.db, { candidate: { firstName: "Karim" } });
    const { code, key } = await getLink(cv.slug);
    const link = await shareLinkFor(app.db, cv.id, code);
    expect(link).not.toBeNull();
    // What the beacon and the share redirect do with a valid ?via= (see recordView/recordShare).
    const secret = "test-secret";
    await recordView(app.db, secret, cv.id, { ip: "10.0.0.1", userAgent: BROWSER }, link!.id);
    await recordView(app.db, secret, cv.id, { ip: "10.0.0.2", userAgent: BROWSER }, link!.id);
    await recordView(app.db, secret, cv.id, { ip: "10.0.0.3", userAgent: BROWSER }); // not through the link
    await recordShare(app.db, secret, cv.id, "whatsapp", { ip: "10.0.0.2", userAgent: BROWSER }, link!.id);
    let html = await (await fetch(`${app.url}/partage/${key}`)).text();
    expect(html).toContain("2 vues du CV arrivées par votre lien");
    expect(html).toContain("1 nouveau partage");
    expect(html).toContain("Karim cherche toujours un emploi");
    await app.db
      .update(publicCvs)
      .set({ card: sql`jsonb_set(${publicCvs.card}, '{employment}', '{"status":"employed","until":null}'::jsonb)` })
      .where(eq(publicCvs.cvId, cv.id));
    html = await (await fetch(`${app.url}/partage/${key}`)).text();
    expect(html).toContain("Karim a retrouvé un emploi !");
  });

  it("keeps the sharer's page private: a wrong key, a code or a signed-in stranger get a 404", async () => {
    const { cv, candidate } = await aPublishedCv(app.db);
    const { code, key } = await getLink(cv.slug);
    const wrong = key.slice(0, -1) + (key.endsWith("A") ? "B" : "A");
    for (const path of [`/partage/${wrong}`, `/partage/${code}`, "/partage/x"]) {
      const response = await fetch(`${app.url}${path}`);
      expect(response.status, path).toBe(404);
      expect(await response.text()).not.toContain("votre lien");
    }
    const client = new HttpClient(app.url);
    await client.signIn(candidate.email, candidate.password!);
    expect((await client.get(`/partage/${wrong}`)).status).toBe(404);
  });

  it("refuses a link to an unknown CV", async () => {
    expect((await fetch(`${app.url}/cv/inconnu-000/mon-lien`, { method: "POST" })).status).toBe(404);
    expect((await fetch(`${app.url}/cv/inconnu-000/mon-lien`)).status).toBe(404);
  });
});
