import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCandidateWithCoach, aStaffMember } from "../../app/db/factories";
import { hires } from "../../app/db/schema";
import { addMonths, parisDay } from "../../app/domain/offers/calendar";
import { sendDueCheckIns } from "../../app/domain/offers/check-ins";
import { closeBrowser, expectNoAxeViolations, newPage, signIn } from "../support/browser";
import { linkIn } from "../support/smtp";
import { startTestApp, type TestApp } from "../support/test-app";

/**
 * A month after the hire, the employer opens the check-in e-mail on a phone without JavaScript,
 * asks for a talk with the keyboard alone; staff see it in their queue and take it up.
 */
describe("an employer answers the one-month check-in and staff take it up", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await closeBrowser();
    await app?.close();
  });

  it("answers « besoin d'un échange » from the e-mail, and staff mark it handled", async () => {
    const { candidate, zoneId } = await aCandidateWithCoach(app.db, { candidate: { firstName: "Yacine", lastName: "Morel" } });
    const employerEmail = `rh.${Date.now()}@garage.test`;
    await app.db.insert(hires).values({ candidateId: candidate.id, contractType: "cdi", startDate: addMonths(parisDay(new Date()), -1), employerName: "Garage Martin", employerEmail });
    await sendDueCheckIns(app.services, new Date());
    const mail = await app.smtp.waitFor(employerEmail, { subject: /Yacine dans votre équipe/ });

    const link = linkIn(mail, "/suivi-embauche/").replace("reponse=fine", "reponse=need_talk");
    // Axe needs scripts: the page is checked in a browser with JavaScript, answered in one without.
    const page = await newPage();
    await page.goto(link);
    await page.getByRole("heading", { level: 1, name: "Tout va bien ?" }).waitFor();
    await expectNoAxeViolations(page);

    const noJs = await newPage({ javaScriptEnabled: false });
    await noJs.goto(link);
    await noJs.getByText("Cela fait un mois que Yacine a rejoint votre équipe (Garage Martin).").waitFor();
    expect(await noJs.getByRole("radio", { name: "Besoin d'un échange" }).isChecked()).toBe(true);
    await noJs.getByRole("button", { name: "Envoyer ma réponse" }).focus();
    await noJs.keyboard.press("Enter");
    await noJs.getByRole("heading", { level: 1, name: "Merci pour votre réponse" }).waitFor();
    await noJs.getByText("l'équipe LinkedOut vous contacte très vite").waitFor();
    await page.goto(noJs.url());
    await page.getByRole("heading", { level: 1, name: "Merci pour votre réponse" }).waitFor();
    await expectNoAxeViolations(page);

    const staffUser = await aStaffMember(app.db, { zoneId });
    const staff = await newPage({ desktop: true });
    await signIn(staff, app.url, staffUser.email, staffUser.password!);
    await staff.goto(`${app.url}/admin`);
    await staff.getByRole("link", { name: "Suivis après embauche" }).click();
    await staff.getByRole("heading", { level: 1, name: "Suivis après embauche" }).waitFor();
    const row = staff.getByRole("row").filter({ hasText: "Yacine Morel" }).filter({ hasText: "Garage Martin" }).first();
    await row.getByText("Employeur").waitFor();
    await expectNoAxeViolations(staff);
    await row.getByRole("button", { name: /Marquer comme traité/ }).click();
    await staff.getByRole("status").filter({ hasText: "C'est noté : ce suivi est traité." }).waitFor();
    await staff.getByText("Personne n'attend d'échange pour le moment.").waitFor();
    await expectNoAxeViolations(staff);
  });
});
