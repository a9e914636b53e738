import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCandidateWithCoach, aPublishedCv, aStaffMember, aZone } from "../../app/db/factories";
import { cohorts, publicCvs } from "../../app/db/schema";
import { HttpClient } from "../support/http-client";
import { startTestApp, type TestApp } from "../support/test-app";

/** Staff gather a cohort's candidates on one public page, with its figures and one share button. */
describe("staff publish a cohort page", () => {
  let app: TestApp;
  let staff: HttpClient;
  beforeAll(async () => {
    app = await startTestApp({ smtp: false });
    // National (no zone): the cohort gathers CVs of several zones (decision 020).
    const member = await aStaffMember(app.db, { zoneId: null });
    staff = new HttpClient(app.url);
    await staff.signIn(member.email, member.password!);
  });
  afterAll(() => app.close());

  it("creates a cohort, adds candidates, and shows only the published CVs with their summed figures", async () => {
    const name = `Promo Lyon ${Date.now()}`;
    const created = await staff.post("/admin/promos", { name, description: "Douze personnes prêtes à travailler." });
    expect(created.status).toBe(302);
    const adminPath = created.headers.get("location")!;
    expect(adminPath).toMatch(/^\/admin\/promos\/[0-9a-f-]{36}$/);
    const [cohort] = await app.db.select().from(cohorts).where(eq(cohorts.name, name));
    const first = await aPublishedCv(app.db, { candidate: { firstName: "Aïcha" } });
    const second = await aPublishedCv(app.db, { candidate: { firstName: "Bruno" } });
    const unpublished = await aCandidateWithCoach(app.db);
    expect((await staff.post(adminPath, { cv: `${app.url}/cv/${first.cv.slug}` })).status).toBe(302);
    expect((await staff.post(adminPath, { cv: second.cv.slug })).status).toBe(302);
    const refused = await staff.post(adminPath, { cv: "inconnu-000" });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("Aucun CV à cette adresse.");
    void unpublished;
    await app.db.update(publicCvs).set({ views: 7, shares: 3 }).where(eq(publicCvs.cvId, first.cv.id));
    await app.db.update(publicCvs).set({ views: 2, shares: 1 }).where(eq(publicCvs.cvId, second.cv.id));

    const page = await fetch(`${app.url}/promo/${cohort!.slug}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(name);
    expect(html).toContain(`/cv/${first.cv.slug}`);
    expect(html).toContain(`/cv/${second.cv.slug}`);
    expect(html).toMatch(/2(<!-- -->)? CV en ligne/);
    expect(html).toMatch(/9(<!-- -->)? vues des CV/);
    expect(html).toMatch(/4(<!-- -->)? partages lancés/);
    expect(html).toContain(`href="/partager-promo/${cohort!.slug}/linkedin"`);

    // One button shares the whole cohort page.
    const share = await fetch(`${app.url}/partager-promo/${cohort!.slug}/whatsapp`, { redirect: "manual" });
    expect(share.status).toBe(302);
    expect(decodeURIComponent(share.headers.get("location")!)).toContain(`${app.url}/promo/${cohort!.slug}`);
    expect((await fetch(`${app.url}/partager-promo/${cohort!.slug}/myspace`, { redirect: "manual" })).status).toBe(404);
    expect((await fetch(`${app.url}/promo/inconnue`)).status).toBe(404);

    // Removing a candidate takes their CV off the page.
    expect((await staff.post(adminPath, { intent: "remove", cvId: second.cv.id })).status).toBe(302);
    expect(await (await fetch(`${app.url}/promo/${cohort!.slug}`)).text()).not.toContain(`/cv/${second.cv.slug}`);
  });

  it("keeps the staff pages from everyone else", async () => {
    const zone = await aZone(app.db);
    const pair = await aCandidateWithCoach(app.db, { zoneId: zone.id });
    const [cohort] = await app.db.insert(cohorts).values({ slug: `privee-${Date.now()}`, name: "Privée" }).returning();
    const anonymous = new HttpClient(app.url);
    for (const path of ["/admin/promos", `/admin/promos/${cohort!.id}`, "/admin/textes"]) {
      const response = await anonymous.get(path);
      expect(response.status, path).toBe(302);
      expect(response.headers.get("location")).toMatch(/^\/connexion/);
    }
    for (const person of [pair.candidate, pair.coach]) {
      const client = new HttpClient(app.url);
      await client.signIn(person.email, person.password!);
      for (const path of ["/admin/promos", `/admin/promos/${cohort!.id}`, "/admin/textes"]) expect((await client.get(path)).status, `${person.role} ${path}`).toBe(404);
      expect((await client.post("/admin/promos", { name: "Intruse" })).status).toBe(404);
      expect((await client.post(`/admin/promos/${cohort!.id}`, { cv: "x" })).status).toBe(404);
      expect((await client.post("/admin/textes", { value: "Aidez {prénom} !!!!!" })).status).toBe(404);
    }
    expect(await app.db.select().from(cohorts).where(eq(cohorts.name, "Intruse"))).toHaveLength(0);
    expect((await staff.get("/admin/promos/00000000-0000-4000-8000-000000000000")).status).toBe(404);
  });
});
