import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anOffer, aPublishedCv, aStaffMember, aZone } from "../../app/db/factories";
import { offers } from "../../app/db/schema";
import type { CvContent } from "../../app/domain/cv/content";
import { closeBrowser, expectNoAxeViolations, newPage, signIn } from "../support/browser";
import { startTestApp, type TestApp } from "../support/test-app";

const suffix = randomBytes(3).toString("hex");

describe("a public offer is matched and staff recommend it to one candidate", () => {
  let app: TestApp;
  let staff: Awaited<ReturnType<typeof aStaffMember>>;
  let chosen: Awaited<ReturnType<typeof aPublishedCv>>;
  let other: Awaited<ReturnType<typeof aPublishedCv>>;
  let offerId: string;
  const company = `Restaurant Le Quai ${suffix}`;

  beforeAll(async () => {
    app = await startTestApp();
    const zoneId = (await aZone(app.db, { name: `Lyon ${suffix}`, departments: ["69"] })).id;
    staff = await aStaffMember(app.db, { zoneId });
    const cook: Partial<CvContent> = { goals: [{ businessLine: "hospitality", job: "Commis de cuisine" }], departments: ["69"], contracts: ["cdi"] };
    chosen = await aPublishedCv(app.db, { zoneId, content: cook, candidate: { firstName: "Inès", lastName: "Bouvier" } });
    other = await aPublishedCv(app.db, { zoneId, content: { ...cook, departments: ["38"] }, candidate: { firstName: "Karim", lastName: "Haddad" } });
    // The employer form is another journey: the offer arrives as the form leaves it, pending.
    offerId = (
      await anOffer(app.db, { status: "pending", isPublic: true, zoneId, department: "69", businessLine: "hospitality", contractType: "cdi", company, jobTitle: "Commis de cuisine" })
    ).id;
    await anOffer(app.db, { status: "held", heldReason: "too_fast", isPublic: true, zoneId, department: "69", company: `Rapide ${suffix}`, jobTitle: "Offre suspecte" });
  });

  afterAll(async () => {
    await closeBrowser();
    await app?.close();
  });

  it("goes from the queue to a recommendation that reaches only the chosen candidate and their coach", async () => {
    const page = await newPage({ desktop: true });
    await signIn(page, app.url, staff.email, staff.password!);
    await page.goto(`${app.url}/admin`);
    await page.getByRole("link", { name: /Offres à modérer \(\d+\)/ }).click();
    await page.getByRole("heading", { level: 1, name: "Offres à modérer" }).waitFor();
    await expectNoAxeViolations(page);

    await page.getByRole("link", { name: `Commis de cuisine — ${company} (69)` }).click();
    await page.getByRole("heading", { level: 1, name: `Commis de cuisine — ${company}` }).waitFor();
    await expectNoAxeViolations(page);
    await page.getByRole("button", { name: "Valider et mettre en ligne" }).click();
    await page.getByRole("status").filter({ hasText: "l'offre est en ligne" }).waitFor();
    // The recruiter hears the offer is live.
    await app.smtp.waitFor(await recruiterOf(), { subject: /en ligne/ });

    // The candidates whose CV fits, best first, with the reasons in words.
    const table = page.getByRole("table", { name: "Candidat·es classé·es par correspondance" });
    const rows = table.getByRole("row");
    await expect.poll(() => rows.count()).toBe(3);
    await expect.poll(() => rows.nth(1).textContent()).toContain("Inès Bouvier");
    const best = await rows.nth(1).textContent();
    expect(best).toContain("Même métier : Restauration et hôtellerie");
    expect(best).toContain("Même département : Rhône (69)");
    expect(best).toContain("Contrat souhaité : CDI");
    const second = await rows.nth(2).textContent();
    expect(second).toContain("Karim Haddad");
    expect(second).toContain("Même région : Auvergne-Rhône-Alpes");
    await expectNoAxeViolations(page);

    await page.getByRole("checkbox", { name: "Recommander à Inès Bouvier" }).check();
    await page.getByRole("button", { name: "Recommander l'offre aux personnes cochées" }).click();
    await page.getByRole("status").filter({ hasText: "l'offre est recommandée" }).waitFor();
    await expectNoAxeViolations(page);
    expect(await rows.nth(1).textContent()).toContain("recommandée par l'équipe");

    const toCandidate = await app.smtp.waitFor(chosen.candidate.email, { subject: /recommande/ });
    expect(toCandidate.text).toContain(`/espace/offres/${chosen.candidate.id}/${offerId}`);
    const toCoach = await app.smtp.waitFor(chosen.coach.email, { subject: /Inès Bouvier/ });
    expect(toCoach.text).toContain(company);
    // Give a wrongly addressed message time to arrive before saying none came.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const received = app.smtp.received.map((m) => m.to);
    expect(received.some((to) => to.includes(other.candidate.email))).toBe(false);
    expect(received.some((to) => to.includes(other.coach.email))).toBe(false);
  });

  it("archives offers in bulk without JavaScript, and names the one that could not move", async () => {
    const page = await newPage({ desktop: true, javaScriptEnabled: false });
    await signIn(page, app.url, staff.email, staff.password!);
    await page.goto(`${app.url}/admin/offres?status=to_moderate`);
    const held = page.getByRole("table", { name: "Offres mises de côté" });
    await held.getByText("formulaire rempli en quelques secondes").waitFor();
    await page.getByRole("checkbox", { name: `Choisir : Offre suspecte — Rapide ${suffix} (69)` }).check();
    await page.getByLabel("Action", { exact: true }).selectOption("restore");
    await page.getByRole("button", { name: "Appliquer" }).click();
    await page.getByRole("status").filter({ hasText: "0 offre traitée" }).waitFor();
    expect(await page.getByRole("status").textContent()).toContain(`Offre suspecte — Rapide ${suffix} (69) : Seule une offre archivée peut être remise en modération.`);
    // (axe needs JavaScript in the page: the same queue is checked in the journey above.)
    await page.getByRole("checkbox", { name: `Choisir : Offre suspecte — Rapide ${suffix} (69)` }).check();
    await page.getByLabel("Action", { exact: true }).selectOption("archive");
    await page.getByRole("button", { name: "Appliquer" }).click();
    await page.getByRole("status").filter({ hasText: "1 offre traitée" }).waitFor();
    await page.goto(`${app.url}/admin/offres?status=archived`);
    await page.getByRole("link", { name: `Offre suspecte — Rapide ${suffix} (69)` }).waitFor();
  });

  async function recruiterOf(): Promise<string> {
    const [offer] = await app.db.select({ email: offers.recruiterEmail }).from(offers).where(eq(offers.id, offerId));
    return offer!.email;
  }
});
