import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../app/db/client.server";
import { aCandidateWithCoach, anOffer, aStaffMember } from "../../app/db/factories";
import { auditLog, checkIns, hires, outbox } from "../../app/db/schema";
import { addMonths, parisDay } from "../../app/domain/offers/calendar";
import { sendDueCheckIns } from "../../app/domain/offers/check-ins";
import { CHECK_INS_JOB } from "../../app/jobs/handlers.server";
import { HttpClient } from "../support/http-client";
import { linkIn } from "../support/smtp";
import { startTestApp, type TestApp } from "../support/test-app";

/** A hire as the hire form records it (that form is built elsewhere): start today unless told. */
async function aHire(db: Db, candidateId: string, overrides: Partial<typeof hires.$inferInsert> = {}) {
  const [hire] = await db
    .insert(hires)
    .values({ candidateId, contractType: "cdi", startDate: parisDay(new Date()), employerName: "Boulangerie des Lilas", employerEmail: `rh.${Math.random().toString(36).slice(2)}@boulangerie.test`, ...overrides })
    .returning();
  return hire!;
}

/** Noon, Paris time, on the day `months` after today. */
const monthsLater = (months: number, extraDays = 0) => new Date(new Date(`${addMonths(parisDay(new Date()), months)}T12:00:00+01:00`).getTime() + extraDays * 86_400_000);

describe("post-hire check-ins", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  const rowsOf = (hireId: string) => app.db.select().from(checkIns).where(eq(checkIns.hireId, hireId));

  /** A hire whose 1-month check-in went out; the links of its e-mails. */
  async function aCheckedInHire() {
    const people = await aCandidateWithCoach(app.db, { candidate: { firstName: "Samia", lastName: "Haddad" } });
    const hire = await aHire(app.db, people.candidate.id);
    await sendDueCheckIns(app.services, monthsLater(1));
    // The links as written in the outbox (the first test follows them to the SMTP server).
    const textTo = async (to: string) => ({ to, subject: "", html: "", text: (await app.db.select().from(outbox).where(eq(outbox.toAddress, to)))[0]!.textBody });
    return { ...people, hire, candidateLink: linkIn(await textTo(people.candidate.email), "/suivi-embauche/"), employerLink: linkIn(await textTo(hire.employerEmail!), "/suivi-embauche/") };
  }

  it("asks the candidate, their coach and the employer at 1, 3 and 6 months, not before, and once", async () => {
    const { candidate, coach } = await aCandidateWithCoach(app.db, { candidate: { firstName: "Lucas" } });
    const hire = await aHire(app.db, candidate.id, { employerName: "Garage Martin" });

    expect(await sendDueCheckIns(app.services, monthsLater(1, -2))).toBe(0);
    expect(await rowsOf(hire.id)).toHaveLength(0);

    await sendDueCheckIns(app.services, monthsLater(1));
    expect((await rowsOf(hire.id)).map((r) => `${r.months}:${r.party}`).sort()).toEqual(["1:candidate", "1:employer"]);
    const toCandidate = await app.smtp.waitFor(candidate.email, { subject: /Tout va bien/ });
    expect(toCandidate.text).toContain("Cela fait un mois que vous avez commencé chez Garage Martin");
    const fine = linkIn(toCandidate, "/suivi-embauche/");
    expect(fine).toMatch(new RegExp(`^${app.url}/suivi-embauche/[A-Za-z0-9_-]{43}\\?reponse=fine$`));
    expect(toCandidate.text).toContain(fine.replace("reponse=fine", "reponse=need_talk"));
    const toCoach = await app.smtp.waitFor(coach.email, { subject: /Lucas Benali/ });
    expect(linkIn(toCoach, "/suivi-embauche/")).toBe(fine);
    const toEmployer = await app.smtp.waitFor(hire.employerEmail!, { subject: /Lucas dans votre équipe/ });
    expect(linkIn(toEmployer, "/suivi-embauche/")).not.toBe(fine);
    // Only the hash of the token is kept.
    expect((await rowsOf(hire.id)).some((r) => fine.includes(r.tokenHash))).toBe(false);

    await sendDueCheckIns(app.services, monthsLater(1));
    await sendDueCheckIns(app.services, monthsLater(2));
    expect(await rowsOf(hire.id)).toHaveLength(2);

    await sendDueCheckIns(app.services, monthsLater(3));
    await sendDueCheckIns(app.services, monthsLater(6));
    await sendDueCheckIns(app.services, monthsLater(6, 3));
    expect((await rowsOf(hire.id)).map((r) => `${r.months}:${r.party}`).sort()).toEqual(["1:candidate", "1:employer", "3:candidate", "3:employer", "6:candidate", "6:employer"]);
    await expect.poll(() => app.smtp.received.filter((m) => m.to.includes(candidate.email)).length, { timeout: 20_000 }).toBe(3);
    const periods = app.smtp.received.filter((m) => m.to.includes(candidate.email)).map((m) => m.text.match(/Cela fait (\w+) mois/)?.[1]);
    expect(periods.sort()).toEqual(["six", "trois", "un"]);
  });

  it("asks only the candidate when there is no employer address, and stops after the contract's end", async () => {
    const { candidate } = await aCandidateWithCoach(app.db);
    const noAddress = await aHire(app.db, candidate.id, { employerEmail: null });
    const { candidate: other } = await aCandidateWithCoach(app.db);
    const shortContract = await aHire(app.db, other.id, { contractType: "cdd_short", endDate: addMonths(parisDay(new Date()), 2) });

    await sendDueCheckIns(app.services, monthsLater(1));
    await sendDueCheckIns(app.services, monthsLater(3));
    expect((await rowsOf(noAddress.id)).map((r) => `${r.months}:${r.party}`).sort()).toEqual(["1:candidate", "3:candidate"]);
    expect((await rowsOf(shortContract.id)).map((r) => `${r.months}:${r.party}`).sort()).toEqual(["1:candidate", "1:employer"]);
  });

  it("records the answer of a link once: opening it changes nothing, the button does, a second use is refused", async () => {
    const { hire, candidateLink } = await aCheckedInHire();
    const talk = candidateLink.replace("reponse=fine", "reponse=need_talk");
    const visitor = new HttpClient(app.url);

    const opened = await visitor.get(talk);
    expect(opened.status).toBe(200);
    const page = await opened.text();
    expect(page).toContain("Cela fait un mois que vous avez commencé chez Boulangerie des Lilas");
    const ticked = [...page.matchAll(/<input[^>]*name="answer"[^>]*>/g)].filter((m) => m[0].includes('checked=""')).map((m) => m[0].match(/value="(\w+)"/)?.[1]);
    expect(ticked).toEqual(["need_talk"]);
    expect(opened.headers.get("cache-control")).toContain("no-store");
    const candidateRow = async () => (await rowsOf(hire.id)).find((r) => r.party === "candidate")!;
    expect(await candidateRow()).toMatchObject({ answer: null, answeredAt: null });

    // Without the visitor's token, nothing is recorded.
    expect((await visitor.post(talk, { answer: "need_talk", csrf: "" })).status).toBe(403);
    expect((await visitor.post(talk, { answer: "peut-etre" })).status).toBe(400);
    expect(await candidateRow()).toMatchObject({ answer: null });

    const answered = await visitor.post(talk, { answer: "need_talk" });
    expect(answered.status).toBe(302);
    const thanks = await visitor.get(answered.headers.get("location")!);
    expect(thanks.status).toBe(200);
    expect(await thanks.text()).toContain("l&#x27;équipe LinkedOut vous contacte très vite");
    const recorded = await candidateRow();
    expect(recorded).toMatchObject({ answer: "need_talk" });

    const again = await new HttpClient(app.url).post(candidateLink, { answer: "fine" });
    expect(again.status).toBe(410);
    expect(await again.text()).toContain("Ce lien a déjà servi");
    expect(await candidateRow()).toEqual(recorded);
    const reopened = await new HttpClient(app.url).get(candidateLink);
    expect(reopened.status).toBe(410);
    // The employer's link answers the employer's check-in only, and is still open.
    expect((await rowsOf(hire.id)).find((r) => r.party === "employer")).toMatchObject({ answer: null });
  });

  it("lets a link answer its own check-in only, and turns away unknown and expired links kindly", async () => {
    const { hire, candidateLink, employerLink } = await aCheckedInHire();
    const employer = new HttpClient(app.url);
    // Two clicks at once (a double tap, two tabs): one answer is recorded, the other refused.
    const statuses = await Promise.all([employer.post(employerLink, { answer: "fine" }), employer.post(employerLink, { answer: "need_talk" })]);
    expect(statuses.map((r) => r.status).sort()).toEqual([302, 410]);
    const recordedAnswer = statuses[0]!.status === 302 ? "fine" : "need_talk";
    const rows = await rowsOf(hire.id);
    expect(rows.find((r) => r.party === "employer")).toMatchObject({ answer: recordedAnswer });
    expect(rows.find((r) => r.party === "candidate")).toMatchObject({ answer: null });

    const unknown = await employer.get("/suivi-embauche/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa?reponse=fine");
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain("Lien introuvable");
    expect((await employer.post("/suivi-embauche/pas-un-jeton", { answer: "fine" })).status).toBe(404);

    await app.db
      .update(checkIns)
      .set({ sentAt: new Date(Date.now() - 61 * 86_400_000) })
      .where(and(eq(checkIns.hireId, hire.id), eq(checkIns.party, "candidate")));
    const expired = await new HttpClient(app.url).get(candidateLink);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain("Ce lien a expiré");
    expect((await new HttpClient(app.url).post(candidateLink, { answer: "need_talk" })).status).toBe(410);
    expect((await rowsOf(hire.id)).find((r) => r.party === "candidate")).toMatchObject({ answer: null });
  });

  it("puts « besoin d'un échange » in the staff queue until a staff member marks it handled", async () => {
    const { hire, candidateLink, zoneId } = await aCheckedInHire();
    expect((await new HttpClient(app.url).post(candidateLink, { answer: "need_talk" })).status).toBe(302);
    const row = (await rowsOf(hire.id)).find((r) => r.party === "candidate");
    const section = (html: string) => html.slice(html.indexOf('id="to-handle"'), html.indexOf('id="recent"'));

    // Staff of another zone never see it, whatever they ask (decision 020); national staff do.
    const elsewhereUser = await aStaffMember(app.db);
    const elsewhere = new HttpClient(app.url);
    await elsewhere.signIn(elsewhereUser.email, elsewhereUser.password!);
    for (const query of ["", "?zone=all", `?zone=${zoneId}`]) {
      expect(section(await (await elsewhere.get(`/admin/suivis${query}`)).text()), query).not.toContain(`value="${row!.id}"`);
    }
    expect((await elsewhere.post("/admin/suivis", { checkInId: row!.id })).status).toBe(404);
    const nationalUser = await aStaffMember(app.db, { zoneId: null });
    const national = new HttpClient(app.url);
    await national.signIn(nationalUser.email, nationalUser.password!);
    expect(section(await (await national.get("/admin/suivis")).text())).toContain(`value="${row!.id}"`);
    expect(section(await (await national.get(`/admin/suivis?zone=${zoneId}`)).text())).toContain(`value="${row!.id}"`);

    const staffUser = await aStaffMember(app.db, { zoneId });
    const staff = new HttpClient(app.url);
    await staff.signIn(staffUser.email, staffUser.password!);

    const home = await (await staff.get("/admin")).text();
    expect(home).toContain('href="/admin/suivis"');
    const queue = await (await staff.get("/admin/suivis")).text();
    const toHandle = section(queue);
    expect(toHandle).toContain("Samia Haddad");
    expect(toHandle).toContain(`value="${row!.id}"`);

    const handled = await staff.post("/admin/suivis", { checkInId: row!.id });
    expect(handled.status).toBe(302);
    expect(handled.headers.get("location")).toBe("/admin/suivis?traite=1");
    expect((await rowsOf(hire.id)).find((r) => r.id === row!.id)).toMatchObject({ handledById: staffUser.id });
    const log = await app.db.select().from(auditLog).where(eq(auditLog.subjectId, row!.id));
    expect(log.map((l) => [l.action, l.actorId])).toEqual([["check_in.handled", staffUser.id]]);
    const after = await (await staff.get("/admin/suivis?traite=1")).text();
    expect(after).toContain("ce suivi est traité");
    expect(section(after)).not.toContain(`value="${row!.id}"`);

    const twice = await staff.post("/admin/suivis", { checkInId: row!.id });
    expect(twice.status).toBe(409);
    expect(await twice.text()).toContain("Ce suivi a déjà été traité.");
    expect((await staff.post("/admin/suivis", { checkInId: "pas-un-id" })).status).toBe(404);
  });

  it("keeps the staff queue from anyone but staff", async () => {
    const { candidate, coach, hire } = await aCheckedInHire();
    const [row] = await app.db.update(checkIns).set({ answer: "need_talk", answeredAt: new Date() }).where(and(eq(checkIns.hireId, hire.id), eq(checkIns.party, "employer"))).returning();

    const anonymous = await new HttpClient(app.url).get("/admin/suivis");
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toBe("/connexion?retour=%2Fadmin%2Fsuivis");
    for (const person of [candidate, coach]) {
      const client = new HttpClient(app.url);
      await client.signIn(person.email, person.password!);
      expect((await client.get("/admin/suivis")).status).toBe(404);
      expect((await client.post("/admin/suivis", { checkInId: row!.id })).status).toBe(404);
    }
    expect((await rowsOf(hire.id)).find((r) => r.id === row!.id)).toMatchObject({ handledAt: null, handledById: null });
  });

  it("runs the sweep from its recurring job through the real queue", async () => {
    const { candidate } = await aCandidateWithCoach(app.db);
    const offer = await anOffer(app.db, { company: "Imprimerie Moderne" }, { candidateIds: [candidate.id] });
    await aHire(app.db, candidate.id, { offerId: offer.id, employerName: "Sophie Garnier", startDate: addMonths(parisDay(new Date()), -1) });
    await app.services.queue.send(CHECK_INS_JOB, {});
    // Read in the outbox: the SMTP server gets it once the queue has sent the earlier tests' messages.
    const text = async () => (await app.db.select().from(outbox).where(eq(outbox.toAddress, candidate.email)))[0]?.textBody ?? "";
    await expect.poll(text, { timeout: 15_000 }).toContain("Cela fait un mois que vous avez commencé chez Imprimerie Moderne");
  });
});
