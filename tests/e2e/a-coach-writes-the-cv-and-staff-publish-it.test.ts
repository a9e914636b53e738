import { randomBytes } from "node:crypto";
import type { Page } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCandidateWithCoach, aStaffMember, aZone } from "../../app/db/factories";
import { closeBrowser, expectNoAxeViolations, newPage, signIn } from "../support/browser";
import { startTestApp, type TestApp } from "../support/test-app";

const suffix = randomBytes(3).toString("hex");
type Person = { id: string; email: string; password: string | null; firstName: string; lastName: string };

/** The editor of one candidate's CV, reached by the person's own way in. */
const editorPath = (candidate: Person) => `/espace/cv/${candidate.id}`;
const group = (page: Page, name: string) => page.getByRole("group", { name });

async function signedIn(app: TestApp, person: Person, options: Parameters<typeof newPage>[0] = {}): Promise<Page> {
  const page = await newPage(options);
  await signIn(page, app.url, person.email, person.password!);
  return page;
}

async function waitForNotice(page: Page, text: string) {
  await page.getByRole("status").filter({ hasText: text }).waitFor();
}

/** Clicks a workflow button and waits for the editor to confirm the new state. */
async function transition(page: Page, button: string, status: RegExp) {
  await page.getByRole("button", { name: button, exact: true }).click();
  await page.waitForURL(status);
  await waitForNotice(page, "C'est fait");
}

/** An anonymous visitor types the word without its accent, finds the card and opens the CV. */
async function visitorFindsTheCv(app: TestApp, query: string, cardName: string, options: Parameters<typeof newPage>[0] = {}) {
  const page = await newPage(options);
  await page.goto(`${app.url}/candidats`);
  await page.getByRole("searchbox", { name: "Rechercher (métier, compétence, ville…)" }).fill(query);
  await page.getByRole("search").getByRole("button", { name: "Rechercher", exact: true }).click();
  await page.waitForURL((url) => url.searchParams.get("q") === query);
  const card = page.getByRole("link", { name: cardName });
  await card.waitFor();
  return { page, card };
}

describe("a coach writes the CV, staff ask for changes then publish it, the public finds it, the candidate hides it", () => {
  let app: TestApp;
  let candidate: Person;
  let coach: Person;
  let staff: Person;
  let slug: string;

  beforeAll(async () => {
    app = await startTestApp();
    const zoneId = (await aZone(app.db, { name: `Nantes ${suffix}` })).id;
    const pair = await aCandidateWithCoach(app.db, { zoneId, candidate: { firstName: "Solène", lastName: "Kerbrat" } });
    candidate = pair.candidate;
    coach = pair.coach;
    staff = await aStaffMember(app.db, { zoneId });
  });

  afterAll(async () => {
    await closeBrowser();
    await app?.close();
  });

  it("goes from an empty draft to a shared page, and back to a kind 410 when hidden", async () => {
    // The coach, on a phone, opens the CV from their space.
    const coachPage = await signedIn(app, coach);
    expect(new URL(coachPage.url()).pathname).toBe("/espace");
    await coachPage.getByRole("link", { name: "Ouvrir le CV" }).click();
    await coachPage.waitForURL(`${app.url}${editorPath(candidate)}`);
    await coachPage.getByRole("heading", { level: 1, name: "Le CV de Solène Kerbrat" }).waitFor();
    await expectNoAxeViolations(coachPage);

    await coachPage.getByRole("textbox", { name: "Phrase d'accroche" }).fill("Cuisinière joyeuse, je ne lâche rien");
    await coachPage.getByRole("textbox", { name: "Mon histoire" }).fill("Quinze ans en cantine scolaire, puis la rue. Aujourd'hui hébergée, je veux retrouver une équipe.");

    const goals = group(coachPage, "Projets professionnels (2 au plus)");
    await goals.getByRole("button", { name: "Ajouter" }).click();
    await goals.getByRole("heading", { name: "Projet 1" }).waitFor();
    // What was typed before adding an item is kept.
    await expect(coachPage.getByRole("textbox", { name: "Phrase d'accroche" }).inputValue()).resolves.toBe("Cuisinière joyeuse, je ne lâche rien");
    await goals.getByRole("combobox", { name: "Secteur" }).selectOption({ label: "Restauration et hôtellerie" });
    await goals.getByRole("textbox", { name: "Métier visé" }).fill("Commis de cuisine");

    const skills = group(coachPage, "Compétences et qualités (6 au plus)");
    await skills.getByRole("button", { name: "Ajouter" }).click();
    await skills.getByRole("textbox", { name: "Compétence 1" }).fill("Hygiène HACCP");
    await expect(goals.getByRole("textbox", { name: "Métier visé" }).inputValue()).resolves.toBe("Commis de cuisine");
    await expectNoAxeViolations(coachPage);

    // Every other section, and a photo.
    const experiences = group(coachPage, "Expériences et formations");
    await experiences.getByRole("button", { name: "Ajouter" }).click();
    await experiences.getByRole("textbox", { name: "Intitulé" }).fill("Cuisinière");
    await experiences.getByRole("textbox", { name: "Structure" }).fill("Cantine scolaire");
    await experiences.getByRole("textbox", { name: "Lieu" }).fill("Montreuil");
    await experiences.getByLabel("Début (facultatif)").fill("2008-09");
    await experiences.getByRole("textbox", { name: "Description" }).fill("300 repas par jour.");
    const languages = group(coachPage, "Langues");
    await languages.getByRole("button", { name: "Ajouter" }).click();
    await languages.getByRole("textbox", { name: "Langue", exact: true }).fill("Breton");
    await languages.getByRole("textbox", { name: "Niveau" }).fill("Courant");
    await coachPage.getByRole("checkbox", { name: "CDI" }).check();
    await coachPage.getByRole("listbox", { name: "Départements souhaités" }).selectOption(["93", "75"]);
    await coachPage.getByRole("textbox", { name: "Disponibilité" }).fill("Tout de suite");
    await coachPage.getByRole("textbox", { name: "Transport" }).fill("Métro");
    await coachPage.getByRole("checkbox", { name: "Permis de conduire" }).check();
    const passions = group(coachPage, "Passions (6 au plus)");
    await passions.getByRole("button", { name: "Ajouter" }).click();
    await passions.getByRole("textbox", { name: "Passion 1" }).fill("Pâtisserie");
    const testimonials = group(coachPage, "Ils parlent de moi");
    await testimonials.getByRole("button", { name: "Ajouter" }).click();
    await testimonials.getByRole("textbox", { name: "Nom" }).fill("Martine");
    await testimonials.getByRole("textbox", { name: "Lien (ancien employeur, travailleuse sociale…)" }).fill("Ancienne cheffe");
    await testimonials.getByRole("textbox", { name: "Témoignage" }).fill("Toujours à l'heure, un vrai pilier.");
    const photo = await sharp({ create: { width: 900, height: 700, channels: 3, background: { r: 200, g: 120, b: 80 } } }).jpeg().toBuffer();
    await coachPage.getByLabel("Photo", { exact: true }).setInputFiles({ name: "photo.jpg", mimeType: "image/jpeg", buffer: photo });

    await coachPage.getByRole("button", { name: "Enregistrer", exact: true }).click();
    await coachPage.waitForURL(/\?enregistre=\d+$/);
    await waitForNotice(coachPage, "CV enregistré.");
    await expect(coachPage.getByRole("textbox", { name: "Témoignage" }).inputValue()).resolves.toBe("Toujours à l'heure, un vrai pilier.");
    await transition(coachPage, "Envoyer pour validation", /etat=submitted/);

    // Staff, on a desktop, ask for a change with a comment.
    const staffPage = await signedIn(app, staff, { desktop: true });
    await staffPage.goto(`${app.url}${editorPath(candidate)}`);
    await expect(staffPage.getByRole("textbox", { name: "Phrase d'accroche" }).inputValue()).resolves.toBe("Cuisinière joyeuse, je ne lâche rien");
    await staffPage.getByRole("textbox", { name: "Commentaire" }).fill("Ajoutez une qualité humaine, s'il vous plaît.");
    await transition(staffPage, "Demander des modifications", /etat=changes_requested/);

    // The coach reads the comment, edits, saves and sends again.
    await coachPage.goto(`${app.url}${editorPath(candidate)}`);
    await coachPage.getByRole("region", { name: "Commentaire" }).getByText("Ajoutez une qualité humaine, s'il vous plaît.").waitFor();
    await skills.getByRole("button", { name: "Ajouter" }).click();
    await skills.getByRole("textbox", { name: "Compétence 2" }).fill("Travail en équipe");
    await coachPage.getByRole("button", { name: "Enregistrer", exact: true }).click();
    await coachPage.waitForURL(/\?enregistre=\d+$/);
    await waitForNotice(coachPage, "CV enregistré.");
    await transition(coachPage, "Envoyer pour validation", /etat=submitted/);
    await coachPage.context().close();

    // Staff publish.
    await staffPage.goto(`${app.url}${editorPath(candidate)}`);
    await transition(staffPage, "Publier", /etat=published/);
    const publicLink = staffPage.getByRole("link", { name: "Voir la page publique" });
    slug = (await publicLink.getAttribute("href"))!.replace(/^\/cv\//, "");
    await staffPage.context().close();

    // An anonymous visitor types "cuisiniere", without its accent.
    const { page: visitor, card } = await visitorFindsTheCv(app, "cuisiniere", "Solène K.");
    await expectNoAxeViolations(visitor);
    await card.click();
    await visitor.waitForURL(`${app.url}/cv/${slug}`);
    await visitor.getByRole("heading", { level: 1, name: "Solène K." }).waitFor();
    await visitor.getByText("« Cuisinière joyeuse, je ne lâche rien »").waitFor();
    await visitor.getByText("J'aimerais travailler dans restauration et hôtellerie comme Commis de cuisine").waitFor();
    const head = (selector: string) => visitor.locator(`head ${selector}`).getAttribute("content");
    await expect(head('meta[property="og:title"]')).resolves.toBe("Solène K. — Cuisinière joyeuse, je ne lâche rien");
    await expect(head('meta[property="og:image"]')).resolves.toBe(`${app.url}/cv/${slug}/apercu.png`);
    expect(new URL((await head('meta[property="og:image"]'))!).pathname).toMatch(/\/apercu\.png$/);
    await expect(head('meta[property="og:url"]')).resolves.toBe(`${app.url}/cv/${slug}`);
    await expect(head('meta[name="twitter:card"]')).resolves.toBe("summary_large_image");
    expect(await visitor.content()).not.toContain("Kerbrat");
    // The photo, the testimonial and the practical information are on the public page.
    const picture = visitor.getByRole("img", { name: "Photo de Solène" });
    await picture.waitFor();
    expect(await picture.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(400);
    await visitor.getByText("« Toujours à l'heure, un vrai pilier. »").waitFor();
    await visitor.getByText("Paris (75), Seine-Saint-Denis (93)").waitFor();
    await visitor.getByText("Breton : Courant").waitFor();
    await expectNoAxeViolations(visitor);

    // A search that finds nothing says so, and stays accessible.
    await visitor.goto(`${app.url}/candidats?q=${encodeURIComponent(`introuvable${suffix}`)}`);
    await visitor.getByText("Aucun CV ne correspond à cette recherche.").waitFor();
    await expectNoAxeViolations(visitor);

    // The candidate hides the CV from their own space.
    const candidatePage = await signedIn(app, candidate);
    await candidatePage.getByRole("link", { name: "Écrire mon CV" }).click();
    await candidatePage.waitForURL(`${app.url}${editorPath(candidate)}`);
    await transition(candidatePage, "Masquer le CV", /etat=hidden/);
    await candidatePage.context().close();

    const gone = await visitor.goto(`${app.url}/cv/${slug}`);
    expect(gone?.status()).toBe(410);
    await visitor.getByRole("heading", { level: 1, name: "Ce profil n'est plus disponible" }).waitFor();
    await expectNoAxeViolations(visitor);
    await visitor.context().close();
  });

  it("works the same way without JavaScript: the coach saves and submits, staff publish, a visitor finds the CV", async () => {
    const zoneId = (await aZone(app.db)).id;
    const pair = await aCandidateWithCoach(app.db, { zoneId, candidate: { firstName: "Anaïs", lastName: "Le Goff" } });
    const nojsStaff = await aStaffMember(app.db, { zoneId });

    const coachPage = await signedIn(app, pair.coach, { javaScriptEnabled: false });
    await coachPage.getByRole("link", { name: "Ouvrir le CV" }).click();
    await coachPage.waitForURL(`${app.url}${editorPath(pair.candidate)}`);
    await coachPage.getByRole("textbox", { name: "Phrase d'accroche" }).fill("Pâtissière minutieuse et patiente");
    const goals = group(coachPage, "Projets professionnels (2 au plus)");
    await goals.getByRole("button", { name: "Ajouter" }).click();
    await goals.getByRole("combobox", { name: "Secteur" }).selectOption({ label: "Artisanat" });
    await goals.getByRole("textbox", { name: "Métier visé" }).fill("Aide-pâtissière");
    await expect(coachPage.getByRole("textbox", { name: "Phrase d'accroche" }).inputValue()).resolves.toBe("Pâtissière minutieuse et patiente");
    await coachPage.getByRole("button", { name: "Enregistrer", exact: true }).click();
    await coachPage.waitForURL(/\?enregistre=\d+$/);
    await waitForNotice(coachPage, "CV enregistré.");

    // Sent too early: refused with what is missing, and the saved CV stays in the editor.
    await coachPage.getByRole("button", { name: "Envoyer pour validation", exact: true }).click();
    await coachPage.getByRole("alert").filter({ hasText: "Il manque des éléments avant l'envoi pour validation" }).waitFor();
    await expect(coachPage.getByRole("textbox", { name: "Phrase d'accroche" }).inputValue()).resolves.toBe("Pâtissière minutieuse et patiente");
    await expect(goals.getByRole("textbox", { name: "Métier visé" }).inputValue()).resolves.toBe("Aide-pâtissière");

    await coachPage.getByRole("textbox", { name: "Mon histoire" }).fill("Dix ans en boulangerie de quartier, puis un long arrêt. Je veux reprendre le fournil.");
    const skills = group(coachPage, "Compétences et qualités (6 au plus)");
    await skills.getByRole("button", { name: "Ajouter" }).click();
    await skills.getByRole("textbox", { name: "Compétence 1" }).fill("Rigueur");
    await expect(coachPage.getByRole("textbox", { name: "Mon histoire" }).inputValue()).resolves.toMatch(/^Dix ans en boulangerie/);
    await coachPage.getByRole("button", { name: "Enregistrer", exact: true }).click();
    await coachPage.waitForURL(/\?enregistre=\d+$/);
    await waitForNotice(coachPage, "CV enregistré.");
    await transition(coachPage, "Envoyer pour validation", /etat=submitted/);
    await coachPage.context().close();

    const staffPage = await signedIn(app, nojsStaff, { desktop: true, javaScriptEnabled: false });
    await staffPage.goto(`${app.url}${editorPath(pair.candidate)}`);
    await transition(staffPage, "Publier", /etat=published/);
    await staffPage.context().close();

    const { page: visitor, card } = await visitorFindsTheCv(app, "patissiere", "Anaïs L.", { javaScriptEnabled: false });
    await card.click();
    await visitor.getByRole("heading", { level: 1, name: "Anaïs L." }).waitFor();
    await visitor.getByText("« Pâtissière minutieuse et patiente »").waitFor();
    await visitor.context().close();
  });
});
