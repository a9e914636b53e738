import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anOffer, aPublishedCv, aZone } from "../../app/db/factories";
import { closeBrowser, expectNoAxeViolations, newPage, signIn } from "../support/browser";
import { startTestApp, type TestApp } from "../support/test-app";

/**
 * On a phone: a candidate finds a new offer in their space, contacts the recruiter (whose
 * contact then shows), goes to the interview and records the hire. Their public CV says so.
 */
describe("a candidate follows an offer up to a hire", () => {
  let app: TestApp;
  let published: Awaited<ReturnType<typeof aPublishedCv>>;
  let offer: Awaited<ReturnType<typeof anOffer>>;
  let page: Page;

  beforeAll(async () => {
    app = await startTestApp();
    const zoneId = (await aZone(app.db)).id;
    published = await aPublishedCv(app.db, { zoneId, candidate: { firstName: "Karima", lastName: "Haddad" } });
    offer = await anOffer(app.db, { company: "Boulangerie des Lilas", jobTitle: "Vendeuse en boulangerie", recruiterName: "Sophie Garnier" }, { candidateIds: [published.candidate.id] });
  });

  afterAll(async () => {
    await closeBrowser();
    await app?.close();
  });

  const step = async (name: string, current: string) => {
    await page.getByRole("button", { name, exact: true }).click();
    await page.getByText(`Étape actuelle : ${current}`).waitFor();
    await page.getByRole("status").filter({ hasText: "C'est enregistré." }).waitFor();
  };

  it("sees the offer as new, contacts the recruiter, has an interview and records the hire", async () => {
    page = await newPage();
    await signIn(page, app.url, published.candidate.email, published.candidate.password!);
    expect(new URL(page.url()).pathname).toBe("/espace");
    await page.getByRole("status").filter({ hasText: "Mes offres : 1 nouvelle" }).waitFor();
    await expectNoAxeViolations(page);

    await page.getByRole("link", { name: "Mes offres (1 nouvelle)" }).click();
    await page.getByRole("heading", { level: 1, name: /Mes offres/ }).waitFor();
    const card = page.getByRole("listitem").filter({ hasText: "Vendeuse en boulangerie — Boulangerie des Lilas" });
    await card.getByText("Nouvelle", { exact: true }).waitFor();
    await expectNoAxeViolations(page);

    await card.getByRole("link", { name: "Vendeuse en boulangerie — Boulangerie des Lilas" }).click();
    await page.getByRole("heading", { level: 1, name: "Vendeuse en boulangerie — Boulangerie des Lilas" }).waitFor();
    // The recruiter's contact stays hidden until the candidate engages.
    await page.getByText("Le contact du recruteur s'affiche quand", { exact: false }).waitFor();
    expect(await page.content()).not.toContain(offer.recruiterEmail);
    await expectNoAxeViolations(page);

    await step("J'ai contacté le recruteur", "Contacté");
    await page.getByRole("link", { name: offer.recruiterEmail }).waitFor();
    await page.getByText("Sophie Garnier (Gérante)").waitFor();
    await expectNoAxeViolations(page);

    // Keyboard only: the interview button is reached and pressed with the keyboard.
    const interview = page.getByRole("button", { name: "J'ai un entretien", exact: true });
    await interview.focus();
    await page.keyboard.press("Enter");
    await page.getByText("Étape actuelle : Entretien").waitFor();
    await page.getByText(`${published.candidate.firstName} ${published.candidate.lastName} : étape « Contacté » → « Entretien »`).waitFor();

    // Seen: the badge is gone.
    await page.goto(`${app.url}/espace`);
    expect(await page.getByText("nouvelle", { exact: false }).count()).toBe(0);
    await page.goBack();

    await page.getByRole("link", { name: "J'ai le poste ! Enregistrer l'embauche" }).click();
    await page.getByRole("heading", { level: 1, name: "Enregistrer l'embauche" }).waitFor();
    await expectNoAxeViolations(page);
    await page.getByLabel("Type de contrat").selectOption({ label: "CDI" });
    await page.getByLabel("Date de début").fill("2027-03-01");
    await page.getByLabel("Fermer mes autres offres en cours").check();
    await page.getByRole("button", { name: "Enregistrer l'embauche" }).click();
    await page.getByRole("status").filter({ hasText: "Bravo ! L'embauche est enregistrée." }).waitFor();
    await expectNoAxeViolations(page);

    await page.goto(`${app.url}/cv/${published.cv.slug}`);
    await page.getByText("Karima a retrouvé un emploi !").waitFor();
  });

  it("works without JavaScript: the buttons are plain forms", async () => {
    const { candidate } = await aPublishedCv(app.db, { candidate: { firstName: "Bilal", lastName: "Ouattara" } });
    const other = await anOffer(app.db, { jobTitle: "Aide-cuisinier" }, { candidateIds: [candidate.id] });
    const noJs = await newPage({ javaScriptEnabled: false });
    await signIn(noJs, app.url, candidate.email, candidate.password!);
    await noJs.goto(`${app.url}/espace/offres/${candidate.id}/${other.id}`);
    await noJs.getByRole("button", { name: "Je suis intéressé·e" }).click();
    await noJs.getByRole("link", { name: other.recruiterEmail }).waitFor();
    await noJs.getByText("Étape actuelle : À traiter").waitFor();
    await noJs.getByLabel("Note privée").fill("Appeler lundi matin");
    await noJs.getByRole("button", { name: "Enregistrer la note" }).click();
    await noJs.getByRole("status").filter({ hasText: "C'est enregistré." }).waitFor();
    expect(await noJs.getByLabel("Note privée").inputValue()).toBe("Appeler lundi matin");
  });

  it("adds an offer found elsewhere, with the missing fields pointed out", async () => {
    await page.goto(`${app.url}/espace/offres/${published.candidate.id}`);
    await page.getByRole("link", { name: "Ajouter une offre trouvée ailleurs" }).click();
    await page.getByRole("heading", { level: 1, name: "Ajouter une offre trouvée ailleurs" }).waitFor();
    await expectNoAxeViolations(page);
    await page.getByRole("button", { name: "Ajouter l'offre" }).click();
    await page.getByRole("alert").getByText("Écrivez le nom de l'entreprise.").waitFor();
    await expectNoAxeViolations(page);
    await page.getByLabel("Où l'avez-vous trouvée ?").selectOption({ label: "Trouvée sur internet" });
    await page.getByLabel("Entreprise").fill("Jardins du Sud");
    await page.getByLabel("Poste", { exact: true }).fill("Jardinier");
    await page.getByLabel("Type de contrat").selectOption({ label: "CDD de plus de 6 mois" });
    await page.getByLabel("Département").selectOption({ value: "13" });
    await page.getByRole("button", { name: "Ajouter l'offre" }).click();
    await page.getByRole("heading", { level: 1, name: "Jardinier — Jardins du Sud" }).waitFor();
    await page.getByText("Trouvée sur internet").waitFor();
  });
});
