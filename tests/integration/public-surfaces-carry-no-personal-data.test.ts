import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aPublishedCv, aStaffMember } from "../../app/db/factories";
import { cvs } from "../../app/db/schema";
import { setEmployment } from "../../app/domain/cv/cvs";
import { HttpClient } from "../support/http-client";
import { pdfText } from "../support/pdf-text";
import { startTestApp, type TestApp } from "../support/test-app";

/**
 * Privacy by default: distinctive personal data is seeded, then every public surface (home,
 * gallery, search, CV page, preview image, public PDF, kind pages) is scanned for it.
 */
describe("public surfaces carry no personal data", () => {
  let app: TestApp;
  let published: Awaited<ReturnType<typeof aPublishedCv>>;
  const secrets = {
    lastName: "Zyxwarowska",
    email: "zyx.secret.candidate@exemple.test",
    coachFirstName: "Coachprenomunique",
    coachLastName: "Coachnomunique",
    coachEmail: "coach.secret.unique@exemple.test",
  };

  beforeAll(async () => {
    app = await startTestApp({ smtp: false });
    published = await aPublishedCv(app.db, {
      candidate: { firstName: "Bérénice", lastName: secrets.lastName, email: secrets.email },
      content: { catchphrase: "Boulangère matinale, toujours souriante" },
    });
    const { users } = await import("../../app/db/schema");
    await app.db
      .update(users)
      .set({ firstName: secrets.coachFirstName, lastName: secrets.coachLastName, email: secrets.coachEmail })
      .where(eq(users.id, published.coach.id));
  });
  afterAll(() => app.close());

  const leaks = (text: string) =>
    [secrets.lastName, secrets.email, secrets.coachFirstName, secrets.coachLastName, secrets.coachEmail, secrets.lastName.toLowerCase()].filter((s) => text.includes(s));

  it("keeps them off every public page, the search results, the PDF and the preview image", async () => {
    const slug = published.cv.slug;
    const pages = ["/", "/candidats", "/candidats?q=boulangere", "/candidats?tous=1", `/cv/${slug}`, "/cv/inconnu-000000"];
    for (const path of pages) {
      const response = await fetch(`${app.url}${path}`);
      expect(response.status, path).toBeLessThan(500);
      expect(leaks(await response.text()), path).toEqual([]);
    }
    // The public page is the cached copy from the second visit on: scan it again.
    await fetch(`${app.url}/cv/${slug}`);
    expect(leaks(await (await fetch(`${app.url}/cv/${slug}`)).text())).toEqual([]);
    // Searching for the last name finds nothing: it is not in the search text.
    expect(await (await fetch(`${app.url}/candidats?q=${secrets.lastName}`)).text()).toContain("Aucun CV ne correspond à cette recherche.");

    const pdf = await fetch(`${app.url}/cv/${slug}/cv.pdf`);
    expect(pdf.status).toBe(200);
    const text = await pdfText(await pdf.arrayBuffer());
    expect(text).toContain("Boulangère matinale");
    expect(leaks(text)).toEqual([]);

    const png = await fetch(`${app.url}/cv/${slug}/apercu.png`);
    expect(png.headers.get("content-type")).toBe("image/png");
    const meta = await sharp(Buffer.from(await png.arrayBuffer())).metadata();
    expect([meta.width, meta.height]).toEqual([1200, 630]);
  });

  it("keeps them off the kind page of a CV that found a job, which leaves the gallery", async () => {
    const other = await aPublishedCv(app.db, { candidate: { firstName: "Ludivine", lastName: "Quasimodowska" }, content: { catchphrase: "Fleuriste créative" } });
    const staff = await aStaffMember(app.db, { zoneId: other.zoneId });
    await setEmployment(app.services, staff, other.candidate.id, { employed: true, until: "2027-06-30" });
    const page = await fetch(`${app.url}/cv/${other.cv.slug}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Ludivine est en emploi jusqu&#x27;au 30 juin 2027.");
    expect(html).not.toContain("Quasimodowska");
    expect(await (await fetch(`${app.url}/candidats?q=fleuriste`)).text()).not.toContain(`/cv/${other.cv.slug}`);
    expect(await (await fetch(`${app.url}/candidats?q=fleuriste&tous=1`)).text()).toContain(`/cv/${other.cv.slug}`);
    const [row] = await app.db.select().from(cvs).where(eq(cvs.id, other.cv.id));
    expect(row!.employedUntil).toBe("2027-06-30");
  });

  it("lets the coach record a job from the editor, refuses a bad date, and never lets the candidate do it", async () => {
    const third = await aPublishedCv(app.db, { content: { catchphrase: "Chauffeur prudent" } });
    const coach = new HttpClient(app.url);
    await coach.signIn(third.coach.email, third.coach.password!);
    const bad = await coach.post(`/espace/cv/${third.candidate.id}`, { intent: "employed", until: "31/02/2027" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Date invalide.");
    expect((await coach.post(`/espace/cv/${third.candidate.id}`, { intent: "employed", until: "" })).status).toBe(302);
    expect(await (await fetch(`${app.url}/cv/${third.cv.slug}`)).text()).toContain("a retrouvé un emploi !");
    const candidate = new HttpClient(app.url);
    await candidate.signIn(third.candidate.email, third.candidate.password!);
    expect((await candidate.post(`/espace/cv/${third.candidate.id}`, { intent: "searching" })).status).toBe(404);
    await coach.post(`/espace/cv/${third.candidate.id}`, { intent: "searching" });
    expect(await (await fetch(`${app.url}/cv/${third.cv.slug}`)).text()).not.toContain("a retrouvé un emploi");
  });
});
