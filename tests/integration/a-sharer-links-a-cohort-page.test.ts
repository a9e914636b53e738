import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aPublishedCv } from "../../app/db/factories";
import { cohortMembers, cohorts, cvs, publicCvs, shareLinks } from "../../app/db/schema";
import { shareLinkFor } from "../../app/domain/sharing/share-links";
import { HttpClient } from "../support/http-client";
import { startTestApp, type TestApp } from "../support/test-app";

const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36";

/** Anyone gets their own link to a cohort page; what its visitors do on the cohort's CVs is theirs. */
describe("a sharer links a cohort page", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ smtp: false });
  });
  afterAll(() => app.close());

  /** A cohort of published CVs, as staff make it (see staff-publish-a-cohort-page). */
  const aCohort = async (firstNames: string[]) => {
    const name = `Promo Marseille ${Date.now()}-${Math.random().toString(36).slice(2, 6)}`;
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, "-");
    const [cohort] = await app.db.insert(cohorts).values({ slug, name }).returning();
    const members = [];
    for (const firstName of firstNames) {
      const published = await aPublishedCv(app.db, { candidate: { firstName, lastName: `Quelquenom${Math.random().toString(36).slice(2, 8)}` } });
      await app.db.insert(cohortMembers).values({ cohortId: cohort!.id, cvId: published.cv.id });
      members.push(published);
    }
    return { cohort: cohort!, members };
  };

  const getLink = async (path: string) => {
    const response = await fetch(`${app.url}${path}/mon-lien`, { method: "POST", headers: { "User-Agent": BROWSER } });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toContain("no-store");
    const html = await response.text();
    return { code: /\/s\/([a-z2-9]{8})/.exec(html)![1]!, key: /\/partage\/([A-Za-z0-9_-]{43})/.exec(html)![1]!, html };
  };

  it("offers the link on the cohort page and leads /s/CODE to it, its CVs' links and share buttons carrying the code", async () => {
    const { cohort, members } = await aCohort(["Aïcha", "Bruno"]);
    const page = await (await fetch(`${app.url}/promo/${cohort.slug}`)).text();
    expect(page).toContain(`action="/promo/${cohort.slug}/mon-lien"`);
    expect(page).toContain("Obtenir mon lien de partage");
    expect((await fetch(`${app.url}/promo/${cohort.slug}/mon-lien`)).status).toBe(200);
    const { code, key, html } = await getLink(`/promo/${cohort.slug}`);
    expect(html).toContain(cohort.name);
    const [stored] = await app.db.select().from(shareLinks).where(eq(shareLinks.code, code));
    expect(stored!.cohortId).toBe(cohort.id);
    expect(stored!.cvId).toBeNull();
    expect(JSON.stringify(stored)).not.toContain(key);

    const redirect = await fetch(`${app.url}/s/${code}`, { redirect: "manual" });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get("location")).toBe(`/promo/${cohort.slug}?via=${code}`);
    const through = await (await fetch(`${app.url}/promo/${cohort.slug}?via=${code}`)).text();
    for (const { cv } of members) {
      expect(through).toContain(`href="/cv/${cv.slug}?via=${code}"`);
      expect(through).toContain(`href="/partager/${cv.slug}/linkedin?via=${code}"`);
      // The CV's own page, reached from there, keeps the code on its pixel and share buttons.
      const cvPage = await (await fetch(`${app.url}/cv/${cv.slug}?via=${code}`)).text();
      expect(cvPage).toContain(`src="/cv/${cv.slug}/vu.gif?via=${code}"`);
      expect(cvPage).toContain(`href="/partager/${cv.slug}/whatsapp?via=${code}"`);
    }
  });

  it("ignores an unknown code, or another cohort's or a CV's code, on the cohort page and on CVs outside the cohort", async () => {
    const { cohort, members } = await aCohort(["Chloé"]);
    const other = await aCohort(["Driss"]);
    const { code: otherCode } = await getLink(`/promo/${other.cohort.slug}`);
    const { code: cvCode } = await getLink(`/cv/${other.members[0]!.cv.slug}`);
    const outsider = await aPublishedCv(app.db);
    const slug = members[0]!.cv.slug;
    for (const via of [otherCode, cvCode, "zzzzzzzz", "<script>"]) {
      const page = await (await fetch(`${app.url}/promo/${cohort.slug}?via=${encodeURIComponent(via)}`)).text();
      expect(page, via).toContain(`href="/cv/${slug}"`);
      expect(page, via).toContain(`href="/partager/${slug}/linkedin"`);
    }
    const cvPage = await (await fetch(`${app.url}/cv/${outsider.cv.slug}?via=${otherCode}`)).text();
    expect(cvPage).toContain(`src="/cv/${outsider.cv.slug}/vu.gif"`);
    expect(await shareLinkFor(app.db, outsider.cv.id, otherCode)).toBeNull();
    expect(await shareLinkFor(app.db, members[0]!.cv.id, otherCode)).toBeNull();
    expect(await shareLinkFor(app.db, other.members[0]!.cv.id, otherCode)).not.toBeNull();
    expect((await fetch(`${app.url}/promo/inconnue-000/mon-lien`, { method: "POST" })).status).toBe(404);
    expect((await fetch(`${app.url}/promo/inconnue-000/mon-lien`)).status).toBe(404);
  });

  it("shows the sharer the cohort, the views and re-shares through the link and how many found a job, and keeps them after a CV leaves or is unpublished", async () => {
    const { cohort, members } = await aCohort(["Karim", "Lina", "Moussa"]);
    const [karim, lina, moussa] = members;
    const { code, key } = await getLink(`/promo/${cohort.slug}`);
    const visitor = (who: string) => ({ "User-Agent": `${BROWSER} ${who}` });
    await fetch(`${app.url}/s/${code}`, { headers: visitor("second"), redirect: "manual" });
    await fetch(`${app.url}/cv/${karim!.cv.slug}/vu.gif?via=${code}`, { headers: visitor("second") });
    await fetch(`${app.url}/cv/${lina!.cv.slug}/vu.gif?via=${code}`, { headers: visitor("second") });
    await fetch(`${app.url}/partager/${lina!.cv.slug}/whatsapp?via=${code}`, { headers: visitor("second"), redirect: "manual" });
    await fetch(`${app.url}/cv/${moussa!.cv.slug}/vu.gif`, { headers: visitor("third") }); // not through the link
    await app.db.update(publicCvs).set({ employed: true }).where(eq(publicCvs.cvId, karim!.cv.id));

    let report = await (await fetch(`${app.url}/partage/${key}`)).text();
    expect(report).toContain(`href="/promo/${cohort.slug}"`);
    expect(report).toContain(cohort.name);
    expect(report).toContain("2 vues des CV de la promo arrivées par votre lien");
    expect(report).toContain("1 nouveau partage par les personnes arrivées par votre lien");
    expect(report).toContain("1 personne sur 3 de cette promo a retrouvé un emploi.");

    // Lina leaves the cohort, Karim's CV is unpublished: the figures through the link stay, and
    // nothing of an unpublished CV shows.
    await app.db.delete(cohortMembers).where(eq(cohortMembers.cvId, lina!.cv.id));
    await app.db.update(cvs).set({ status: "unpublished" }).where(eq(cvs.id, karim!.cv.id));
    await app.db.delete(publicCvs).where(eq(publicCvs.cvId, karim!.cv.id));
    report = await (await fetch(`${app.url}/partage/${key}`)).text();
    expect(report).toContain("2 vues des CV de la promo arrivées par votre lien");
    expect(report).toContain("1 nouveau partage");
    expect(report).toContain("0 personne sur 1 de cette promo a retrouvé un emploi.");
    expect(report).not.toContain(karim!.cv.slug);
    expect((await fetch(`${app.url}/s/${code}`, { redirect: "manual" })).headers.get("location")).toBe(`/promo/${cohort.slug}?via=${code}`);
    // A CV that left the cohort is no longer attributed to its links.
    expect(await shareLinkFor(app.db, lina!.cv.id, code)).toBeNull();
  });

  it("keeps the report to the key holder, with no last name or e-mail of the cohort's candidates", async () => {
    const { cohort, members } = await aCohort(["Nora"]);
    const { code, key } = await getLink(`/promo/${cohort.slug}`);
    const wrong = key.slice(0, -1) + (key.endsWith("A") ? "B" : "A");
    for (const path of [`/partage/${wrong}`, `/partage/${code}`, `/partage/${wrong}/arreter`]) {
      const response = await fetch(`${app.url}${path}`);
      expect(response.status, path).toBe(404);
      expect(await response.text()).not.toContain(cohort.name);
    }
    const client = new HttpClient(app.url);
    await client.signIn(members[0]!.candidate.email, members[0]!.candidate.password!);
    expect((await client.get(`/partage/${wrong}`)).status).toBe(404);

    const outputs = await Promise.all([`/partage/${key}`, `/promo/${cohort.slug}?via=${code}`, `/s/${code}`].map(async (path) => (await fetch(`${app.url}${path}`)).text()));
    for (const output of outputs) {
      for (const { candidate, coach } of members) {
        expect(output).not.toContain(candidate.lastName);
        expect(output).not.toContain(candidate.email);
        expect(output).not.toContain(coach.email);
      }
    }
  });
});
