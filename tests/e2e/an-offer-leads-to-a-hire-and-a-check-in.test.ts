import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aPublishedCv, aStaffMember, aZone } from "../../app/db/factories";
import { offers } from "../../app/db/schema";
import { addMonths, parisDay } from "../../app/domain/offers/calendar";
import { sendDueCheckIns } from "../../app/domain/offers/check-ins";
import { MIN_FILL_MS } from "../../app/domain/offers/submission-spam";
import { closeBrowser, expectNoAxeViolations, newPage, signIn } from "../support/browser";
import { linkIn } from "../support/smtp";
import { startTestApp, type TestApp } from "../support/test-app";

const suffix = randomBytes(3).toString("hex");

/**
 * The whole road from a share to a job: an employer without an account sends an offer to one
 * candidate, staff validate it, the candidate and her coach are told and see it as new; she
 * engages (the recruiter's contact appears), has an interview and records the hire; her CV says
 * she found a job; a month later the employer answers the check-in and staff see the answer.
 */
describe("an employer's offer leads to a hire, and the employer is followed after it", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await closeBrowser();
    await app?.close();
  });

  it("goes from the employer form to the one-month check-in in the staff view", { timeout: 180_000 }, async () => {
    const zone = await aZone(app.db, { departments: ["69"] });
    const { candidate, coach, cv } = await aPublishedCv(app.db, { zoneId: zone.id, candidate: { firstName: "Aïcha", lastName: "Traoré" } });
    const staffUser = await aStaffMember(app.db, { zoneId: zone.id });
    const recruiterEmail = `rh.${suffix}@garage-martin.test`;

    // 1. The employer, on a phone and without an account, writes from Aïcha's CV.
    const employer = await newPage();
    await employer.goto(`${app.url}/cv/${cv.slug}`);
    await employer.getByRole("link", { name: "Proposer une offre à Aïcha" }).click();
    await employer.getByRole("heading", { level: 1, name: "Proposer une offre d'emploi" }).waitFor();
    expect(await employer.getByRole("checkbox", { name: /Aïcha/ }).isChecked()).toBe(true);
    await employer.getByLabel("Nom de l'entreprise").fill("Garage Martin");
    await employer.getByLabel("Votre prénom et nom").fill("Paul Martin");
    await employer.getByLabel("Votre adresse e-mail").fill(recruiterEmail);
    await employer.getByLabel("Votre téléphone").fill("04 78 12 34 56");
    await employer.getByLabel("Intitulé du poste").fill("Aide-mécanicienne");
    await employer.getByLabel("Secteur d'activité").selectOption("industry");
    await employer.getByLabel("Type de contrat").selectOption("cdi");
    await employer.getByLabel("Description du poste et des missions").fill("Entretien courant des véhicules, accueil des clients, rangement de l'atelier.");
    await employer.getByLabel("Département").selectOption("69");
    await employer.getByLabel("Adresse du lieu de travail").fill("8 avenue Berthelot, 69007 Lyon");
    await employer.getByLabel("Un mot pour la ou les personnes choisies (facultatif)").fill("Votre parcours nous a touchés : venez nous rencontrer.");
    await employer.waitForTimeout(MIN_FILL_MS); // a person takes longer than a robot
    await employer.getByRole("button", { name: "Envoyer l'offre" }).click();
    await employer.getByRole("heading", { level: 1, name: "Merci, votre offre est bien reçue" }).waitFor();
    await app.smtp.waitFor(recruiterEmail, { subject: /bien reçue/ });
    const [offer] = await app.db.select().from(offers).where(eq(offers.recruiterEmail, recruiterEmail));
    expect(offer).toMatchObject({ status: "pending", zoneId: zone.id, recruiterPhone: "+33478123456" });

    // 2. Staff of the zone validate it from their queue.
    const staff = await newPage({ desktop: true });
    await signIn(staff, app.url, staffUser.email, staffUser.password!);
    await staff.goto(`${app.url}/admin/offres`);
    await staff.getByRole("link", { name: "Aide-mécanicienne — Garage Martin (69)" }).click();
    await staff.getByRole("heading", { level: 1, name: "Aide-mécanicienne — Garage Martin" }).waitFor();
    await staff.getByRole("button", { name: "Valider et mettre en ligne" }).click();
    await staff.getByRole("status").filter({ hasText: "l'offre est en ligne" }).waitFor();
    await app.smtp.waitFor(recruiterEmail, { subject: /en ligne/ });

    // 3. Aïcha and her coach are told by e-mail, each with a link to the offer.
    const toCandidate = await app.smtp.waitFor(candidate.email, { subject: /Aide-mécanicienne/ });
    const toCoach = await app.smtp.waitFor(coach.email, { subject: /Aïcha Traoré/ });
    const offerPath = `/espace/offres/${candidate.id}/${offer!.id}`;
    expect(linkIn(toCandidate, "/espace/offres/")).toBe(`${app.url}${offerPath}`);
    expect(linkIn(toCoach, "/espace/offres/")).toBe(`${app.url}${offerPath}`);
    expect(toCandidate.text).toContain("Votre parcours nous a touchés");
    // Aïcha may also answer in one click, without signing in (the coach's copy has no such link).
    expect(linkIn(toCandidate, "/suivi-offre/")).toMatch(/\/suivi-offre\/[A-Za-z0-9_.-]+$/);
    expect(toCoach.text).not.toContain("/suivi-offre/");

    // The coach sees it as new for Aïcha.
    const coachPage = await newPage();
    await signIn(coachPage, app.url, coach.email, coach.password!);
    await coachPage.goto(`${app.url}/espace/offres/${candidate.id}`);
    await coachPage.getByRole("listitem").filter({ hasText: "Aide-mécanicienne — Garage Martin" }).getByText("Nouvelle", { exact: true }).waitFor();

    // 4. Aïcha, on her phone, sees it as new; the recruiter's contact shows once she engages.
    const page = await newPage();
    await signIn(page, app.url, candidate.email, candidate.password!);
    await page.getByRole("link", { name: "Mes offres (1 nouvelle)" }).click();
    const card = page.getByRole("listitem").filter({ hasText: "Aide-mécanicienne — Garage Martin" });
    await card.getByText("Nouvelle", { exact: true }).waitFor();
    await card.getByRole("link", { name: "Aide-mécanicienne — Garage Martin" }).click();
    await page.getByRole("heading", { level: 1, name: "Aide-mécanicienne — Garage Martin" }).waitFor();
    expect(await page.content()).not.toContain(recruiterEmail);
    await page.getByRole("button", { name: "J'ai contacté le recruteur", exact: true }).click();
    await page.getByText("Étape actuelle : Contacté").waitFor();
    await page.getByRole("link", { name: recruiterEmail }).waitFor();
    await page.getByText("Paul Martin").first().waitFor();
    await expectNoAxeViolations(page);
    await page.getByRole("button", { name: "J'ai un entretien", exact: true }).click();
    await page.getByText("Étape actuelle : Entretien").waitFor();

    // 5. She gets the job: a CDI from today.
    await page.getByRole("link", { name: "J'ai le poste ! Enregistrer l'embauche" }).click();
    await page.getByLabel("Type de contrat").selectOption({ label: "CDI" });
    const start = parisDay(new Date());
    await page.getByLabel("Date de début").fill(start);
    await page.getByRole("button", { name: "Enregistrer l'embauche" }).click();
    await page.getByRole("status").filter({ hasText: "Bravo ! L'embauche est enregistrée." }).waitFor();

    // Her public CV says so, to everyone.
    const visitor = await newPage();
    await visitor.goto(`${app.url}/cv/${cv.slug}`);
    await visitor.getByText("Aïcha a retrouvé un emploi !").waitFor();

    // 6. A month later, the check-in goes out; the employer answers from the e-mail, signed out.
    await sendDueCheckIns(app.services, new Date(`${addMonths(start, 1)}T12:00:00+01:00`));
    const checkIn = await app.smtp.waitFor(recruiterEmail, { subject: /Aïcha dans votre équipe/ });
    const answer = await newPage();
    await answer.goto(linkIn(checkIn, "/suivi-embauche/").replace("reponse=fine", "reponse=need_talk"));
    await answer.getByRole("heading", { level: 1, name: "Tout va bien ?" }).waitFor();
    expect(await answer.getByRole("radio", { name: "Besoin d'un échange" }).isChecked()).toBe(true);
    await answer.getByRole("button", { name: "Envoyer ma réponse" }).click();
    await answer.getByRole("heading", { level: 1, name: "Merci pour votre réponse" }).waitFor();

    // 7. Staff find the employer's request in their follow-up queue.
    await staff.goto(`${app.url}/admin`);
    await staff.getByRole("link", { name: "Suivis après embauche" }).click();
    const row = staff.getByRole("row").filter({ hasText: "Aïcha Traoré" }).filter({ hasText: "Garage Martin" }).first();
    await row.getByText("Employeur").waitFor();
    await row.getByRole("button", { name: /Marquer comme traité/ }).waitFor();
    await expectNoAxeViolations(staff);
  });
});
