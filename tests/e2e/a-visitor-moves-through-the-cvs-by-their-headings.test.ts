import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aPublishedCv } from "../../app/db/factories";
import { cohortMembers, cohorts } from "../../app/db/schema";
import { transitionCv } from "../../app/domain/cv/cvs";
import { closeBrowser, expectNoAxeViolations, newPage } from "../support/browser";
import { startTestApp, type TestApp } from "../support/test-app";

/**
 * A screen-reader user jumps from heading to heading: every list of CV cards sits one level
 * below the heading it belongs to, on every page that shows cards, in both languages.
 */
describe("a visitor moves through the CVs by their headings", () => {
  let app: TestApp;
  let nadia: Awaited<ReturnType<typeof aPublishedCv>>;
  let hidden: Awaited<ReturnType<typeof aPublishedCv>>;
  let cohortSlug: string;

  beforeAll(async () => {
    app = await startTestApp({ smtp: false });
    nadia = await aPublishedCv(app.db, { candidate: { firstName: "Nadia" }, content: { departments: ["69"] } });
    await aPublishedCv(app.db, { candidate: { firstName: "Rémi" }, content: { departments: ["75"] } });
    hidden = await aPublishedCv(app.db, { candidate: { firstName: "Yanis" } });
    await transitionCv(app.services, { ...hidden.candidate, role: "candidate" }, hidden.candidate.id, "hide");
    cohortSlug = `promo-titres-${Date.now()}`;
    const [cohort] = await app.db.insert(cohorts).values({ slug: cohortSlug, name: "Promo des titres" }).returning();
    await app.db.insert(cohortMembers).values({ cohortId: cohort!.id, cvId: nadia.cv.id });
  });
  afterAll(async () => {
    await closeBrowser();
    await app?.close();
  });

  it("keeps the heading order on the gallery, its suggestions, the home page, a cohort and a CV no longer shown", async () => {
    const page = await newPage();
    const name = `Nadia ${nadia.candidate.lastName.charAt(0)}.`;
    await page.goto(`${app.url}/candidats`);
    await page.getByRole("heading", { level: 2, name }).waitFor();
    await expectNoAxeViolations(page);
    // Nothing in the Rhône for this trade: the nearby suggestions come under their own h2.
    await page.goto(`${app.url}/candidats?departement=01`);
    await page.getByRole("heading", { level: 2, name: /proches/ }).waitFor();
    await expectNoAxeViolations(page);
    await page.goto(`${app.url}/`);
    await expectNoAxeViolations(page);
    await page.goto(`${app.url}/promo/${cohortSlug}`);
    await page.getByRole("heading", { level: 2, name }).waitFor();
    await expectNoAxeViolations(page);
    await page.goto(`${app.url}/cv/${hidden.cv.slug}`);
    await expectNoAxeViolations(page);
    expect(await page.getByRole("heading", { level: 3 }).count()).toBe(0);
  });

  it("names the gallery's tab in English for an English-speaking visitor", async () => {
    const page = await newPage();
    await page.goto(`${app.url}/langue?locale=en&retour=/candidats`);
    await page.goto(`${app.url}/candidats`);
    expect(await page.title()).toBe("The candidates — LinkedOut");
    await expectNoAxeViolations(page);
  });
});
