import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCandidateWithCoach, aZone } from "../../app/db/factories";
import { cvs, cvVersions } from "../../app/db/schema";
import { closeBrowser, newPage, signIn } from "../support/browser";
import { startTestApp, type TestApp } from "../support/test-app";

/** With JavaScript, the editor saves after each pause; two writers never overwrite each other (decision 017). */
describe("the CV saves as you type", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ smtp: false });
  });
  afterAll(async () => {
    await closeBrowser();
    await app.close();
  });

  it("keeps what the coach types without pressing a button, and merges a stale writer's save with the coach's", async () => {
    const zoneId = (await aZone(app.db)).id;
    const { candidate, coach } = await aCandidateWithCoach(app.db, { zoneId });
    const coachPage = await newPage();
    await signIn(coachPage, app.url, coach.email, coach.password!);
    await coachPage.goto(`${app.url}/espace/cv/${candidate.id}`);
    await coachPage.getByRole("textbox", { name: "Phrase d'accroche" }).fill("Tapé sans cliquer sur Enregistrer");
    await coachPage.getByRole("status").filter({ hasText: "Enregistré automatiquement." }).waitFor();
    const [cv] = await app.db.select().from(cvs).where(eq(cvs.candidateId, candidate.id));
    const [version] = await app.db.select().from(cvVersions).where(eq(cvVersions.id, cv!.currentVersionId!));
    expect(version!.content.catchphrase).toBe("Tapé sans cliquer sur Enregistrer");

    // The candidate had the page open before: their next pause is refused, then merged with the
    // coach's save (the story, which only the coach changed) and saved again on its revision.
    const candidatePage = await newPage();
    await signIn(candidatePage, app.url, candidate.email, candidate.password!);
    await candidatePage.goto(`${app.url}/espace/cv/${candidate.id}`);
    await coachPage.getByRole("textbox", { name: "Mon histoire" }).fill("Une histoire écrite par le bénévole.");
    await coachPage.getByRole("status").filter({ hasText: "Enregistré automatiquement." }).waitFor();
    await expect.poll(async () => (await app.db.select().from(cvs).where(eq(cvs.candidateId, candidate.id)))[0]!.revision, { timeout: 10_000 }).toBe(2);
    await candidatePage.getByRole("textbox", { name: "Phrase d'accroche" }).fill("Écrit en même temps par la candidate");
    const panel = candidatePage.getByRole("region", { name: `${coach.firstName} a enregistré ce CV pendant que vous écriviez` });
    await panel.getByText(`Repris de la version de ${coach.firstName}\u202f: Mon histoire.`).waitFor();
    await panel.getByText("Vos changements, gardés\u202f: Phrase d'accroche.").waitFor();
    await candidatePage.getByRole("status").filter({ hasText: "Enregistré automatiquement." }).waitFor();
    const [after] = await app.db.select().from(cvs).where(eq(cvs.candidateId, candidate.id));
    expect(after!.revision).toBe(3);
    const [merged] = await app.db.select().from(cvVersions).where(eq(cvVersions.id, after!.currentVersionId!));
    expect(merged!.content).toMatchObject({ catchphrase: "Écrit en même temps par la candidate", story: "Une histoire écrite par le bénévole." });
    // The candidate's form shows both, and keeps what they typed.
    expect(await candidatePage.getByRole("textbox", { name: "Phrase d'accroche" }).inputValue()).toBe("Écrit en même temps par la candidate");
    expect(await candidatePage.getByRole("textbox", { name: "Mon histoire" }).inputValue()).toBe("Une histoire écrite par le bénévole.");
    // The caret is where it was: typing goes on in the same field, and saves on the new revision.
    await candidatePage.keyboard.type(", vraiment");
    await expect.poll(async () => (await app.db.select().from(cvs).where(eq(cvs.candidateId, candidate.id)))[0]!.revision, { timeout: 10_000 }).toBe(4);
    const [last] = await app.db.select().from(cvVersions).where(eq(cvVersions.cvId, after!.id)).orderBy(desc(cvVersions.revision)).limit(1);
    expect(last!.content).toMatchObject({ catchphrase: "Écrit en même temps par la candidate, vraiment", story: "Une histoire écrite par le bénévole." });
  });
});
