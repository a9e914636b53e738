import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCandidateWithCoach, anOffer } from "../../app/db/factories";
import { candidateOffers, offers } from "../../app/db/schema";
import { deliver } from "../../app/domain/notifications/notify";
import { dispatchValidatedOffer } from "../../app/domain/offers/dispatch";
import { closeBrowser, expectNoAxeViolations, newPage } from "../support/browser";
import { startTestApp, type TestApp } from "../support/test-app";

/**
 * A candidate reads the offer e-mail on a cheap phone without JavaScript, taps « Dites-le en un
 * clic », then the one big button: the follow-up says « contacté » and the recruiter's contact
 * shows, without signing in.
 */
describe("a candidate answers an offer from the e-mail", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await closeBrowser();
    await app?.close();
  });

  it("marks the offer contacted in one tap and sees the recruiter's contact", async () => {
    const { candidate } = await aCandidateWithCoach(app.db, { candidate: { firstName: "Aïcha" } });
    const pending = await anOffer(
      app.db,
      { status: "pending", company: "Jardins du Val", jobTitle: "Aide jardinier·e", recruiterName: "Marc Olivier", recruiterPhone: "+33611223344" },
      { candidateIds: [candidate.id] },
    );
    const [offer] = await app.db.update(offers).set({ status: "validated" }).where(eq(offers.id, pending.id)).returning();
    await deliver(app.services.queue, await app.db.transaction((tx) => dispatchValidatedOffer(tx, app.url, app.services.sessionSecret, offer!)));
    const mail = await app.smtp.waitFor(candidate.email, { subject: /Aide jardinier·e/ });
    const link = mail.text.match(/Dites-le en un clic :\s*\n(https?:\/\/\S+)/)?.[1];
    expect(link).toBeDefined();

    // Axe needs scripts: the page is checked in a browser with JavaScript, used in one without.
    const page = await newPage();
    await page.goto(link!);
    await page.getByRole("heading", { level: 1, name: "Votre réponse en un clic" }).waitFor();
    await expectNoAxeViolations(page);

    const phone = await newPage({ javaScriptEnabled: false });
    await phone.goto(link!);
    await phone.getByText("Offre « Aide jardinier·e » chez Jardins du Val").waitFor();
    // Opening the link changed nothing: only the button does.
    const row = async () => (await app.db.select().from(candidateOffers).where(and(eq(candidateOffers.candidateId, candidate.id), eq(candidateOffers.offerId, offer!.id))))[0]!;
    expect((await row()).status).toBe("to_process");
    await phone.getByRole("button", { name: "Oui, j'ai contacté le recruteur" }).click();
    await phone.getByRole("heading", { level: 1, name: "C'est noté, merci !" }).waitFor();
    await phone.getByRole("status").filter({ hasText: "Votre suivi indique maintenant : « Contacté »." }).waitFor();
    await phone.getByRole("link", { name: offer!.recruiterEmail }).waitFor();
    await phone.getByRole("link", { name: "06 11 22 33 44" }).waitFor();
    await phone.getByText("Marc Olivier").waitFor();
    await phone.getByRole("link", { name: "Me connecter pour voir toute l'offre" }).waitFor();
    expect(await row()).toMatchObject({ status: "contacted" });

    // The same link, opened again later, says it is already noted (checked with axe too).
    await page.goto(link!);
    await page.getByRole("heading", { level: 1, name: "C'est déjà noté" }).waitFor();
    await expectNoAxeViolations(page);
  });
});
