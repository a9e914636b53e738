import type { Page } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCandidateWithCoach, aCvContent, aStaffMember, aZone } from "../../app/db/factories";
import { saveCv } from "../../app/domain/cv/cvs";
import { closeBrowser, expectNoAxeViolations, newPage, signIn } from "../support/browser";
import { storedCv } from "../support/stored-cv";
import { startTestApp, type TestApp } from "../support/test-app";

type Person = { email: string; password: string | null };

/** Two people write one CV at once: nothing either typed is lost, and what both changed is a choice. */
describe("two people edit one CV at once", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ smtp: false });
  });
  afterAll(async () => {
    await closeBrowser();
    await app.close();
  });

  const stored = async (candidateId: string) => (await storedCv(app.db, candidateId))!;
  const openEditor = async (person: Person, candidateId: string, options: Parameters<typeof newPage>[0] = {}): Promise<Page> => {
    const page = await newPage(options);
    await signIn(page, app.url, person.email, person.password!);
    await page.goto(`${app.url}/espace/cv/${candidateId}`);
    return page;
  };
  /**
   * axe needs JavaScript: the page a browser without it drew is served as is (its scripts left
   * out) to a page with JavaScript, at the same address, so the site's styles apply.
   */
  const expectNoAxeViolationsAsDrawn = async (page: Page) => {
    const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/g, "");
    const snapshot = await newPage({ desktop: page.viewportSize()!.width > 400 });
    await snapshot.route(page.url(), (route) => route.fulfill({ contentType: "text/html; charset=utf-8", body: html }));
    await snapshot.goto(page.url());
    await snapshot.locator("form.cv-editor").waitFor();
    await expectNoAxeViolations(snapshot);
    await snapshot.context().close();
  };
  const autosaved = (page: Page) => page.getByRole("status").filter({ hasText: "Enregistré automatiquement." }).waitFor();

  it("with JavaScript: the autosave shows the conflict, lets the candidate choose, and saves on the coach's revision", async () => {
    const zoneId = (await aZone(app.db)).id;
    const { candidate, coach } = await aCandidateWithCoach(app.db, { zoneId, coach: { firstName: "Hélène" }, candidate: { firstName: "Nadia" } });
    const coachPage = await openEditor(coach, candidate.id);
    await coachPage.getByRole("textbox", { name: "Mon histoire" }).fill("Quinze ans en cantine.");
    await autosaved(coachPage);
    const candidatePage = await openEditor(candidate, candidate.id);

    // The coach rewrites the story and adds a transport; the candidate rewrites the story too.
    await coachPage.getByRole("textbox", { name: "Mon histoire" }).fill("Quinze ans en cantine scolaire, 300 repas par jour.");
    await coachPage.getByRole("textbox", { name: "Transport" }).fill("Métro");
    await autosaved(coachPage);
    await expect.poll(async () => (await stored(candidate.id)).content.transport, { timeout: 10_000 }).toBe("Métro");
    const before = await stored(candidate.id);
    await candidatePage.getByRole("textbox", { name: "Phrase d'accroche" }).fill("Cuisinière joyeuse");
    await candidatePage.getByRole("textbox", { name: "Mon histoire" }).fill("Quinze ans en cantine, j'aime nourrir les gens.");

    const panel = candidatePage.getByRole("region", { name: "Hélène a enregistré ce CV pendant que vous écriviez" });
    await panel.waitFor();
    await panel.getByText("Repris de la version de Hélène\u202f: Transport.").waitFor();
    const story = candidatePage.getByRole("group", { name: "Mon histoire\u202f: changé des deux côtés" });
    await story.getByText("Quinze ans en cantine, j'aime nourrir les gens.").waitFor();
    await story.getByText("Quinze ans en cantine scolaire, 300 repas par jour.").waitFor();
    // The coach's transport is in the form already; nothing was saved over the coach's work.
    expect(await candidatePage.getByRole("textbox", { name: "Transport" }).inputValue()).toBe("Métro");
    await candidatePage.getByRole("status").filter({ hasText: "choisissez une version pour chaque champ changé des deux côtés" }).waitFor();
    expect((await stored(candidate.id)).revision).toBe(before.revision);
    await expectNoAxeViolations(candidatePage);

    await story.getByRole("radio", { name: "Prendre celle de Hélène" }).click();
    await candidatePage.getByText("Vos choix sont repris dans le formulaire.").waitFor();
    expect(await candidatePage.getByRole("textbox", { name: "Mon histoire" }).inputValue()).toBe("Quinze ans en cantine scolaire, 300 repas par jour.");
    await autosaved(candidatePage);
    const after = await stored(candidate.id);
    expect(after.revision).toBe(before.revision + 1);
    expect(after.content).toMatchObject({ catchphrase: "Cuisinière joyeuse", story: "Quinze ans en cantine scolaire, 300 repas par jour.", transport: "Métro" });

    // Writing goes on as usual, on the new revision.
    await candidatePage.getByRole("textbox", { name: "Disponibilité" }).fill("Tout de suite");
    await expect.poll(async () => (await stored(candidate.id)).content.availability, { timeout: 10_000 }).toBe("Tout de suite");
    expect((await stored(candidate.id)).content.story).toBe("Quinze ans en cantine scolaire, 300 repas par jour.");
    await expectNoAxeViolations(candidatePage);
    await coachPage.context().close();
    await candidatePage.context().close();
  });

  it("without JavaScript: the refused save comes back merged, the coach chooses with a radio, and the retry keeps staff's change", async () => {
    const zoneId = (await aZone(app.db)).id;
    const { candidate, coach } = await aCandidateWithCoach(app.db, { zoneId, coach: { firstName: "Hélène" } });
    const staff = await aStaffMember(app.db, { zoneId, firstName: "Karim" });
    const coachPage = await openEditor(coach, candidate.id, { javaScriptEnabled: false });
    await coachPage.getByRole("textbox", { name: "Phrase d'accroche" }).fill("Cuisinière joyeuse");
    await coachPage.getByRole("button", { name: "Enregistrer", exact: true }).click();
    await coachPage.waitForURL(/\?enregistre=\d+$/);

    // Staff and the coach open the same revision; staff save first.
    const staffPage = await openEditor(staff, candidate.id, { javaScriptEnabled: false, desktop: true });
    await staffPage.getByRole("textbox", { name: "Phrase d'accroche" }).fill("Cuisinière joyeuse et fiable");
    await staffPage.getByRole("textbox", { name: "Transport" }).fill("Vélo");
    await staffPage.getByRole("button", { name: "Enregistrer", exact: true }).click();
    await staffPage.waitForURL(/\?enregistre=\d+$/);
    const before = await stored(candidate.id);

    await coachPage.getByRole("textbox", { name: "Phrase d'accroche" }).fill("Cuisinière qui ne lâche rien");
    await coachPage.getByRole("textbox", { name: "Mon histoire" }).fill("Quinze ans en cantine.");
    await coachPage.getByRole("button", { name: "Enregistrer", exact: true }).click();
    const panel = coachPage.getByRole("region", { name: "Karim a enregistré ce CV pendant que vous écriviez" });
    await panel.waitFor();
    // The page sent from "…?enregistre=…" does not claim the refused save was saved.
    expect(await coachPage.getByText("CV enregistré.").count()).toBe(0);
    expect((await stored(candidate.id)).revision).toBe(before.revision);
    expect(await coachPage.getByRole("textbox", { name: "Transport" }).inputValue()).toBe("Vélo");
    expect(await coachPage.getByRole("textbox", { name: "Mon histoire" }).inputValue()).toBe("Quinze ans en cantine.");
    const catchphrase = coachPage.getByRole("group", { name: "Phrase d'accroche\u202f: changé des deux côtés" });
    await catchphrase.getByText("Cuisinière qui ne lâche rien").waitFor();
    await catchphrase.getByText("Cuisinière joyeuse et fiable").waitFor();
    await expectNoAxeViolationsAsDrawn(coachPage);

    // Sent without a choice: a clear message, nothing saved.
    await coachPage.getByRole("button", { name: "Enregistrer", exact: true }).click();
    await coachPage.getByRole("alert").getByRole("link", { name: "Choisissez votre version ou la sienne pour chaque champ changé des deux côtés." }).waitFor();
    expect((await stored(candidate.id)).revision).toBe(before.revision);
    await expectNoAxeViolationsAsDrawn(coachPage);

    await coachPage.getByRole("radio", { name: "Garder ma version" }).check();
    await coachPage.getByRole("button", { name: "Enregistrer", exact: true }).click();
    await coachPage.waitForURL(/\?enregistre=\d+$/);
    const after = await stored(candidate.id);
    expect(after.revision).toBe(before.revision + 1);
    expect(after.content).toMatchObject({ catchphrase: "Cuisinière qui ne lâche rien", story: "Quinze ans en cantine.", transport: "Vélo" });
    await coachPage.context().close();
    await staffPage.context().close();
  });

  it("with JavaScript: 'keep mine' after the coach changed the photo while the candidate removed it saves no photo", async () => {
    const zoneId = (await aZone(app.db)).id;
    const { candidate, coach } = await aCandidateWithCoach(app.db, { zoneId, coach: { firstName: "Hélène" } });
    const jpeg = (background: string) => sharp({ create: { width: 16, height: 16, channels: 3, background } }).jpeg().toBuffer();
    const photo = async (background: string) => {
      const image = await jpeg(background);
      return { square400: image, large1200: image };
    };
    // The saved CV has a photo (departments in the order the form lists them); the candidate opens it.
    const first = await saveCv(app.services, coach, candidate.id, 0, aCvContent({ transport: "", departments: ["75", "93"] }), await photo("#c0392b"));
    const withFirstPhoto = await stored(candidate.id);
    expect(withFirstPhoto.content.photoId).not.toBeNull();
    const candidatePage = await openEditor(candidate, candidate.id);
    const removePhoto = candidatePage.getByRole("checkbox", { name: "Retirer la photo" });
    await removePhoto.waitFor();

    // Meanwhile the coach saves another photo and a transport.
    await saveCv(app.services, coach, candidate.id, first.revision, { ...withFirstPhoto.content, transport: "Métro" }, await photo("#2980b9"));
    const before = await stored(candidate.id);
    expect(before.content.photoId).not.toBeNull();
    expect(before.content.photoId).not.toBe(withFirstPhoto.content.photoId);

    // The candidate removes the photo: the autosave meets the coach's version, the photo is a choice.
    await removePhoto.check();
    const panel = candidatePage.getByRole("region", { name: "Hélène a enregistré ce CV pendant que vous écriviez" });
    await panel.waitFor();
    const photoChoice = candidatePage.getByRole("group", { name: "Photo\u202f: changé des deux côtés" });
    await photoChoice.getByText("Pas de photo").waitFor();
    await photoChoice.getByText("Une photo").waitFor();
    expect((await stored(candidate.id)).revision).toBe(before.revision);

    await photoChoice.getByRole("radio", { name: "Garder ma version" }).click();
    await candidatePage.getByText("Vos choix sont repris dans le formulaire.").waitFor();
    await autosaved(candidatePage);
    const after = await stored(candidate.id);
    expect(after.revision).toBe(before.revision + 1);
    // The candidate's choice (no photo), and everything else as the coach saved it.
    expect(after.content).toEqual({ ...before.content, photoId: null });
    await candidatePage.context().close();
  });
});
