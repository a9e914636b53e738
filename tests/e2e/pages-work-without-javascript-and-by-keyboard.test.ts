import { randomBytes } from "node:crypto";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCandidateWithCoach, aStaffMember, aZone } from "../../app/db/factories";
import { createMember } from "../../app/domain/accounts/members";
import { closeBrowser, expectNoAxeViolations, newPage, PHONE, signIn } from "../support/browser";
import { startTestApp, type TestApp } from "../support/test-app";

const suffix = randomBytes(3).toString("hex");

describe("every page works without JavaScript, by keyboard, on a small phone, in both languages", () => {
  let app: TestApp;
  let zoneId: string;
  let coach: { email: string; password: string; firstName: string };
  let candidateName: string;

  beforeAll(async () => {
    app = await startTestApp();
    zoneId = (await aZone(app.db, { name: `Marseille ${suffix}` })).id;
    const pair = await aCandidateWithCoach(app.db, { zoneId });
    coach = { email: pair.coach.email, password: pair.coach.password!, firstName: pair.coach.firstName };
    candidateName = `${pair.candidate.firstName} ${pair.candidate.lastName}`;
    // A member invited through the product, so that the outbox and the members list have rows to show.
    const staff = await aStaffMember(app.db, { zoneId });
    await createMember(app.services, staff, {
      role: "candidate",
      firstName: "Jean-Baptiste",
      lastName: "de La Fontaine-Montgolfier",
      email: `jean-baptiste.de-la-fontaine-montgolfier.${suffix}@une-association-partenaire.exemple.test`,
      zoneId,
      locale: "fr",
      coachId: pair.coach.id,
    });
  });

  afterAll(async () => {
    await closeBrowser();
    await app?.close();
  });

  /** A staff member of their own, signed in on a fresh page: sign-in attempts are counted per address. */
  async function signedInStaffPage(options: Parameters<typeof newPage>[0] = {}): Promise<Page> {
    const staff = await aStaffMember(app.db, { zoneId });
    const page = await newPage(options);
    await signIn(page, app.url, staff.email, staff.password!);
    return page;
  }

  it("without JavaScript, a wrong password is refused in French, then staff sign in and add a member with the plain forms", async () => {
    const staff = await aStaffMember(app.db, { zoneId });
    const page = await newPage({ javaScriptEnabled: false });
    await page.goto(`${app.url}/connexion`);

    await page.getByLabel("Adresse e-mail").fill(staff.email);
    await page.getByLabel("Mot de passe", { exact: true }).fill("pas le bon mot de passe");
    await page.getByRole("button", { name: "Se connecter" }).click();
    await page.getByRole("alert").filter({ hasText: "Adresse e-mail ou mot de passe incorrect." }).waitFor();
    await expect(page.getByLabel("Adresse e-mail").inputValue()).resolves.toBe(staff.email);

    await page.getByLabel("Mot de passe", { exact: true }).fill(staff.password!);
    await page.getByRole("button", { name: "Se connecter" }).click();
    await page.waitForURL(`${app.url}/admin`);

    await page.getByRole("navigation", { name: "Menu principal" }).getByRole("link", { name: "Membres" }).click();
    await page.getByRole("link", { name: "Ajouter un membre" }).click();
    await page.waitForURL(`${app.url}/admin/membres/nouveau`);
    await page.getByLabel("Rôle").selectOption({ label: "Bénévole" });
    await page.getByLabel("Prénom").fill("Odile");
    await page.getByLabel("Nom", { exact: true }).fill("Fabre");
    await page.getByLabel("Adresse e-mail").fill(`odile.fabre.${suffix}@exemple.test`);
    await page.getByRole("button", { name: "Créer et envoyer l'invitation" }).click();
    await page.waitForURL(/\/admin\/membres\?cree=/);
    await page.getByRole("status").filter({ hasText: "Odile Fabre a été ajouté·e." }).waitFor();
    await page.getByRole("row").filter({ hasText: `odile.fabre.${suffix}@exemple.test` }).waitFor();
    await page.context().close();
  });

  it("by keyboard alone, a coach skips to the form, signs in and reaches their space", async () => {
    const page = await newPage({ desktop: true });
    await page.goto(`${app.url}/connexion`);
    const focused = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent || "");

    await page.keyboard.press("Tab");
    expect(await focused()).toBe("Aller au contenu");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    expect(await focused()).toBe("field-email");
    await page.keyboard.type(coach.email);
    await page.keyboard.press("Tab");
    expect(await focused()).toBe("field-password");
    await page.keyboard.type(coach.password);
    await page.keyboard.press("Enter");

    await page.waitForURL(`${app.url}/espace`);
    await page.getByRole("heading", { level: 1, name: `Bonjour ${coach.firstName}` }).waitFor();
    await page.getByRole("region", { name: "Les personnes que vous accompagnez" }).getByRole("link", { name: candidateName }).waitFor();
    await page.context().close();
  });

  it("the language button in the header turns the page into English, and back into French", async () => {
    const page = await newPage();
    await page.goto(`${app.url}/connexion`);
    expect(await page.getAttribute("html", "lang")).toBe("fr");

    await page.getByRole("button", { name: "Read this site in English" }).click();
    await page.getByRole("heading", { level: 1, name: "Sign in" }).waitFor();
    expect(await page.getAttribute("html", "lang")).toBe("en");
    expect(new URL(page.url()).pathname).toBe("/connexion");
    await expect(page.getByLabel("Password", { exact: true }).count()).resolves.toBe(1);

    await page.getByRole("button", { name: "Lire ce site en français" }).click();
    await page.getByRole("heading", { level: 1, name: "Se connecter" }).waitFor();
    expect(await page.getAttribute("html", "lang")).toBe("fr");
    await page.context().close();
  });

  it("on a 360-pixel phone, no page scrolls sideways", async () => {
    const widthOf = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);
    const visitor = await newPage();
    for (const path of ["/", "/connexion", "/mot-de-passe-oublie"]) {
      await visitor.goto(`${app.url}${path}`);
      expect({ path, width: await widthOf(visitor) }).toEqual({ path, width: PHONE.width });
    }
    await visitor.context().close();

    const staff = await signedInStaffPage();
    for (const path of ["/admin/membres", "/admin/boite-d-envoi"]) {
      await staff.goto(`${app.url}${path}`);
      await staff.getByRole("table").waitFor();
      expect({ path, width: await widthOf(staff) }).toEqual({ path, width: PHONE.width });
    }
    await staff.context().close();
  });

  it("axe finds no accessibility violation on the main pages, on a phone", async () => {
    const visitor = await newPage();
    for (const path of ["/", "/connexion", "/mot-de-passe-oublie"]) {
      const response = await visitor.goto(`${app.url}${path}`);
      expect(response?.status()).toBe(200);
      await expectNoAxeViolations(visitor);
    }
    const missing = await visitor.goto(`${app.url}/cette-page-n-existe-pas`);
    expect(missing?.status()).toBe(404);
    await visitor.getByRole("heading", { level: 1, name: "Page introuvable" }).waitFor();
    await expectNoAxeViolations(visitor);
    await visitor.context().close();

    const staff = await signedInStaffPage();
    for (const path of ["/compte", "/admin", "/admin/membres", "/admin/boite-d-envoi"]) {
      const response = await staff.goto(`${app.url}${path}`);
      expect(response?.status()).toBe(200);
      await expectNoAxeViolations(staff);
    }
    await staff.context().close();
  });
});
