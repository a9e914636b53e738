import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aStaffMember, aZone, findUserByEmail } from "../../app/db/factories";
import { accountTokens } from "../../app/db/schema";
import { closeBrowser, expectNoAxeViolations, newPage, signIn } from "../support/browser";
import { linkIn } from "../support/smtp";
import { startTestApp, type TestApp } from "../support/test-app";

const suffix = randomBytes(3).toString("hex");
const coach = { firstName: "Hélène", lastName: "Marchand", email: `helene.marchand.${suffix}@exemple.test` };
const candidate = { firstName: "Mourad", lastName: "Benali", email: `mourad.benali.${suffix}@exemple.test` };
const INVITATION = /espace LinkedOut/;
const menu = (page: Page) => page.getByRole("navigation", { name: "Menu principal" });

describe("staff pair a candidate with a volunteer coach, and both open their space from the invitation", () => {
  let app: TestApp;
  let zoneName: string;
  let staff: { email: string; password: string };
  let staffPage: Page;
  const invitationLinks = new Map<string, string>();

  beforeAll(async () => {
    app = await startTestApp();
    const zone = await aZone(app.db, { name: `Lyon ${suffix}` });
    zoneName = zone.name;
    const member = await aStaffMember(app.db, { zoneId: zone.id });
    staff = { email: member.email, password: member.password! };
  });

  afterAll(async () => {
    await closeBrowser();
    await app?.close();
  });

  /** Fills and sends the "add a member" form from the members list. */
  async function addMember(page: Page, person: typeof coach, role: "Bénévole" | "Candidat·e", pairWith?: string) {
    await menu(page).getByRole("link", { name: "Membres" }).click();
    await page.waitForURL(/\/admin\/membres$/);
    await page.getByRole("link", { name: "Ajouter un membre" }).click();
    await page.waitForURL(/\/admin\/membres\/nouveau$/);
    await page.getByRole("heading", { level: 1, name: "Ajouter un membre" }).waitFor();
    await expectNoAxeViolations(page);
    await page.getByLabel("Rôle").selectOption({ label: role });
    await page.getByLabel("Prénom").fill(person.firstName);
    await page.getByLabel("Nom", { exact: true }).fill(person.lastName);
    await page.getByLabel("Adresse e-mail").fill(person.email);
    // The staff member's own zone comes preselected.
    expect(await page.getByLabel("Zone").evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.textContent)).toBe(zoneName);
    if (pairWith) await page.getByLabel("Bénévole (facultatif)").selectOption({ label: pairWith });
    await page.getByRole("button", { name: "Créer et envoyer l'invitation" }).click();
    await page.waitForURL(/\/admin\/membres\?cree=/);
    await page
      .getByRole("status")
      .filter({ hasText: `${person.firstName} ${person.lastName} a été ajouté·e. L'invitation est partie par e-mail.` })
      .waitFor();
  }

  it("a staff member signs in, adds a coach, then a candidate paired with that coach", async () => {
    staffPage = await newPage();
    await staffPage.goto(`${app.url}/connexion`);
    await expectNoAxeViolations(staffPage);
    await signIn(staffPage, app.url, staff.email, staff.password);
    expect(new URL(staffPage.url()).pathname).toBe("/admin");

    await addMember(staffPage, coach, "Bénévole");
    await expectNoAxeViolations(staffPage);
    const coachRow = staffPage.getByRole("row").filter({ hasText: coach.email });
    await expect(coachRow.textContent()).resolves.toMatch(/Bénévole.*Invitation envoyée/);

    await addMember(staffPage, candidate, "Candidat·e", `${coach.firstName} ${coach.lastName} (${zoneName})`);
    const candidateRow = staffPage.getByRole("row").filter({ hasText: candidate.email });
    await expect(candidateRow.getByRole("cell").nth(3).textContent()).resolves.toBe(`${coach.firstName} ${coach.lastName}`);

    // The candidate's page shows the pair and who made it.
    await candidateRow.getByRole("link", { name: `${candidate.firstName} ${candidate.lastName}` }).click();
    await staffPage.waitForURL(/\/admin\/membres\/[0-9a-f-]{36}$/);
    await staffPage.getByRole("heading", { level: 1, name: `${candidate.firstName} ${candidate.lastName}` }).waitFor();
    await staffPage.getByText(`Bénévole actuel·le : ${coach.firstName} ${coach.lastName}`).waitFor();
    await expectNoAxeViolations(staffPage);

    for (const person of [coach, candidate]) {
      const email = await app.smtp.waitFor(person.email, { subject: INVITATION });
      expect(email.text).toContain(`Bonjour ${person.firstName}`);
      invitationLinks.set(person.email, linkIn(email, "/mot-de-passe/"));
    }
  });

  it.each([
    { who: "the coach", person: coach, sees: { heading: "Les personnes que vous accompagnez", name: `${candidate.firstName} ${candidate.lastName}` } },
    { who: "the candidate", person: candidate, sees: { heading: "Votre bénévole", name: `${coach.firstName} ${coach.lastName}` } },
  ])("$who chooses a password from the e-mail, signs in and sees the other in their space", async ({ person, sees }) => {
    const link = invitationLinks.get(person.email)!;
    const page = await newPage();
    const opened = await page.goto(link);
    expect(opened?.status()).toBe(200);
    await page.getByRole("heading", { level: 1, name: "Bienvenue ! Choisissez votre mot de passe" }).waitFor();
    await expectNoAxeViolations(page);

    const password = `une phrase pour ${person.firstName} ${suffix}`;
    await page.getByLabel("Nouveau mot de passe").fill(password);
    await page.getByLabel("Confirmez le mot de passe").fill(password);
    await page.getByRole("button", { name: "Enregistrer mon mot de passe" }).click();
    await page.waitForURL(/\/connexion\?ok=mot-de-passe$/);
    await page.getByRole("status").filter({ hasText: "Votre mot de passe est enregistré" }).waitFor();

    await signIn(page, app.url, person.email, password);
    expect(new URL(page.url()).pathname).toBe("/espace");
    await page.getByRole("heading", { level: 1, name: `Bonjour ${person.firstName}` }).waitFor();
    await page.getByRole("region", { name: sees.heading }).getByText(sees.name).waitFor();
    await expectNoAxeViolations(page);
    await page.context().close();
  });

  it("an invitation link that has already served is refused with a clear message", async () => {
    const page = await newPage();
    for (const person of [coach, candidate]) {
      const again = await page.goto(invitationLinks.get(person.email)!);
      expect(again?.status()).toBe(410);
      await page.getByRole("heading", { level: 1, name: "Ce lien n'est plus valable" }).waitFor();
      await page.getByRole("link", { name: "Recevoir un nouveau lien" }).waitFor();
      await expect(page.getByLabel("Nouveau mot de passe").count()).resolves.toBe(0);
    }
    await expectNoAxeViolations(page);
    await page.context().close();
  });

  it("an invitation link past its expiry date is refused the same way", async () => {
    const late = { firstName: "Awa", lastName: "Diallo", email: `awa.diallo.${suffix}@exemple.test` };
    await addMember(staffPage, late, "Candidat·e");
    const link = linkIn(await app.smtp.waitFor(late.email, { subject: INVITATION }), "/mot-de-passe/");
    const member = await findUserByEmail(app.db, late.email);
    await app.db
      .update(accountTokens)
      .set({ expiresAt: new Date(Date.now() - 60_000) })
      .where(eq(accountTokens.userId, member!.id));

    const page = await newPage();
    const opened = await page.goto(link);
    expect(opened?.status()).toBe(410);
    await page.getByRole("heading", { level: 1, name: "Ce lien n'est plus valable" }).waitFor();
    await expectNoAxeViolations(page);
    await page.context().close();
  });

  it("the staff member finds both invitations in the outbox, sent", async () => {
    await menu(staffPage).getByRole("link", { name: "E-mails envoyés" }).click();
    await staffPage.waitForURL(/\/admin\/boite-d-envoi$/);
    await staffPage.getByRole("heading", { level: 1, name: "E-mails envoyés" }).waitFor();
    for (const person of [coach, candidate]) {
      const row = staffPage.getByRole("row").filter({ hasText: person.email });
      await expect(row.count()).resolves.toBe(1);
      const cells = row.getByRole("cell");
      await expect(cells.nth(1).textContent()).resolves.toBe(person.email);
      await expect(cells.nth(2).textContent()).resolves.toBe("Votre espace LinkedOut vous attend");
      await expect(cells.nth(3).textContent()).resolves.toBe("Envoyé");
    }
    await expectNoAxeViolations(staffPage);
  });
});
