import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aPublishedCv } from "../../app/db/factories";
import { candidateOffers, offers } from "../../app/db/schema";
import { MIN_FILL_MS } from "../../app/domain/offers/submission-spam";
import { closeBrowser, expectNoAxeViolations, newPage } from "../support/browser";
import { startTestApp, type TestApp } from "../support/test-app";

const suffix = randomBytes(3).toString("hex");

describe("an employer sends an offer from a phone, without JavaScript, by keyboard", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await closeBrowser();
    await app?.close();
  });

  it("from a CV page, fills the form by keyboard, corrects a mistake and gets the confirmation and the e-mail", { timeout: 60_000 }, async () => {
    const { cv, candidate } = await aPublishedCv(app.db, { candidate: { firstName: "Mariam" } });
    const page = await newPage({ javaScriptEnabled: false });
    await page.goto(`${app.url}/cv/${cv.slug}`);
    await page.getByRole("link", { name: "Proposer une offre à Mariam" }).focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(`${app.url}/offres/nouvelle?candidat=${cv.slug}`);

    // Mariam is chosen already, and the offer is addressed to the people chosen.
    await expect(page.getByRole("checkbox", { name: /Mariam/ }).isChecked()).resolves.toBe(true);
    await expect(page.getByRole("radio", { name: "À une ou plusieurs personnes que je choisis" }).isChecked()).resolves.toBe(true);
    // The honeypot is out of the tab order: from the search button, Tab goes to the people.
    await page.getByRole("button", { name: "Chercher" }).focus();
    await page.keyboard.press("Tab");
    await expect(page.getByRole("checkbox", { name: /Mariam/ }).evaluate((el) => el === document.activeElement)).resolves.toBe(true);

    // A person takes longer than a robot to fill a form (quicker is held back as likely spam).
    await page.waitForTimeout(MIN_FILL_MS);
    // The employer types field after field, moving with Tab.
    const email = `recrutement.${suffix}@boulangerie.test`;
    await page.getByLabel("Nom de l'entreprise").focus();
    for (const text of ["Boulangerie des Lilas", "Sophie Garnier", "Gérante", email, "06 12 34"]) {
      await page.keyboard.type(text);
      await page.keyboard.press("Tab");
    }
    await page.getByLabel("Intitulé du poste").focus();
    await page.keyboard.type("Vendeuse en boulangerie");
    await page.keyboard.press("Tab");
    await page.keyboard.type("Commerce");
    await page.keyboard.press("Tab");
    await page.keyboard.type("CDI");
    await page.keyboard.press("Tab");
    await page.keyboard.type("Accueil des clients, vente, mise en rayon.");
    await page.getByLabel("Département").focus();
    await page.keyboard.type("75");
    await page.keyboard.press("Tab");
    await page.keyboard.type("12 rue des Lilas, 75019 Paris");
    await page.getByRole("button", { name: "Envoyer l'offre" }).focus();
    await page.keyboard.press("Enter");

    // The phone number is incomplete: explained in French, everything else kept.
    const alert = page.getByRole("alert");
    await alert.filter({ hasText: "Le formulaire contient des erreurs" }).waitFor();
    await alert.getByRole("link", { name: /Numéro de téléphone invalide/ }).waitFor();
    await expect(page.getByLabel("Nom de l'entreprise").inputValue()).resolves.toBe("Boulangerie des Lilas");
    await expect(page.getByRole("checkbox", { name: /Mariam/ }).isChecked()).resolves.toBe(true);

    // The summary's link leads to the field.
    await alert.getByRole("link", { name: /Numéro de téléphone invalide/ }).focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/#field-phone$/);
    await page.getByLabel("Votre téléphone").focus();
    await page.keyboard.press("End");
    await page.keyboard.type(" 56 78");
    await page.getByRole("button", { name: "Envoyer l'offre" }).focus();
    await page.keyboard.press("Enter");

    await page.waitForURL(`${app.url}/offres/envoyee`);
    await page.getByRole("heading", { name: "Merci, votre offre est bien reçue" }).waitFor();

    const [offer] = await app.db.select().from(offers).where(eq(offers.recruiterEmail, email));
    expect(offer).toMatchObject({ status: "pending", heldReason: null, recruiterPhone: "+33612345678", businessLine: "retail", contractType: "cdi", department: "75", isPublic: false });
    const addressed = await app.db.select().from(candidateOffers).where(eq(candidateOffers.offerId, offer!.id));
    expect(addressed.map((a) => a.candidateId)).toEqual([candidate.id]);
    const mail = await app.smtp.waitFor(email, { subject: /bien reçue/ });
    expect(mail.text).toContain("Mariam");
    await page.context().close();
  });

  it("the form, its errors and the confirmation pass axe (axe needs scripts: checked with JavaScript on)", { timeout: 60_000 }, async () => {
    const { cv } = await aPublishedCv(app.db, { candidate: { firstName: "Inès" } });
    const page = await newPage();
    await page.goto(`${app.url}/offres/nouvelle?candidat=${cv.slug}`);
    await page.getByRole("heading", { level: 1, name: "Proposer une offre d'emploi" }).waitFor();
    await expectNoAxeViolations(page);
    await page.getByLabel("Nom de l'entreprise").fill("Garage Martin");
    await page.getByRole("button", { name: "Envoyer l'offre" }).click();
    const alert = page.getByRole("alert").filter({ hasText: "Le formulaire contient des erreurs" });
    await alert.waitFor();
    // With JavaScript, the summary takes the focus so that it is read first.
    await expect(alert.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await expect(page.getByLabel("Nom de l'entreprise").inputValue()).resolves.toBe("Garage Martin");
    await expectNoAxeViolations(page);
    await page.goto(`${app.url}/offres/envoyee`);
    await page.getByRole("heading", { level: 1, name: "Merci, votre offre est bien reçue" }).waitFor();
    await expectNoAxeViolations(page);
    await page.context().close();
  });
});
