import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCandidateWithCoach, anOffer, aPublishedCv, aStaffMember, aZone } from "../../app/db/factories";
import { candidateOffers, cvs, hires, offers, outbox, pairings } from "../../app/db/schema";
import { sendDueReminders } from "../../app/domain/offers/reminders";
import { CHECK_INS_JOB, REMINDERS_JOB } from "../../app/jobs/handlers.server";
import { createDurableTestDatabase } from "../support/databases";
import { linkIn } from "../support/smtp";
import { startTestApp, type TestApp } from "../support/test-app";

/**
 * Reminders are found by a sweep at a given `now` (decision 010): the tests move the clock by
 * calling the sweep with a later `now`, and read what was written and what the SMTP server got.
 */
const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY + 60_000);
const today = () => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" }).format(new Date());

describe("reminders go once, at the right time, and stop when their reason has gone", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  /** A message as written to the outbox (the SMTP server gets it once the queue reaches it, behind others). */
  const outboxMail = async (to: string, subject: RegExp) => {
    const rows = await app.db.select().from(outbox).where(eq(outbox.toAddress, to));
    const row = rows.find((m) => subject.test(m.subject));
    if (!row) throw new Error(`No message to ${to} matching ${subject}: ${rows.map((m) => m.subject).join("; ") || "none"}`);
    return { to, subject: row.subject, text: row.textBody, html: row.htmlBody };
  };
  const written = async (to: string) => (await app.db.select({ subject: outbox.subject, text: outbox.textBody }).from(outbox).where(eq(outbox.toAddress, to))).length;

  it("tells the recruiter whose offer got no reaction in 15 days, in their language, with a copy to the staff of the offer's zone", async () => {
    const zone = await aZone(app.db, { departments: ["69"] });
    const localStaff = await aStaffMember(app.db, { zoneId: zone.id, firstName: "Inès" });
    const otherStaff = await aStaffMember(app.db);
    const { candidate } = await aCandidateWithCoach(app.db, { zoneId: zone.id });
    const silent = await anOffer(app.db, { zoneId: zone.id, department: "69", jobTitle: "Agent·e de quai", company: "Transports Rhône", recruiterLocale: "en" }, { candidateIds: [candidate.id] });
    const answered = await anOffer(app.db, { zoneId: zone.id, department: "69" }, { candidateIds: [candidate.id] });
    await app.db.update(candidateOffers).set({ status: "contacted", contactRevealedAt: new Date() }).where(eq(candidateOffers.offerId, answered.id));

    await sendDueReminders(app.services, inDays(14));
    expect(await written(silent.recruiterEmail)).toBe(0);

    await sendDueReminders(app.services, inDays(15));
    const toRecruiter = await app.smtp.waitFor(silent.recruiterEmail);
    expect(toRecruiter.subject).toBe('Your offer "Agent·e de quai": how is it going?');
    expect(linkIn(toRecruiter, "/candidats")).toBe(`${app.url}/candidats`);
    const copy = await app.smtp.waitFor(localStaff.email, { subject: /Agent·e de quai/ });
    expect(copy.subject).toBe("Sans réaction depuis 15 jours : Agent·e de quai (Transports Rhône)");
    expect(copy.text).toContain(silent.recruiterEmail);
    expect(linkIn(copy, "/admin/offres/")).toBe(`${app.url}/admin/offres/${silent.id}`);
    expect((await app.db.select().from(outbox).where(eq(outbox.toAddress, otherStaff.email))).filter((m) => m.subject.includes("Agent·e de quai"))).toHaveLength(0);
    expect(await written(answered.recruiterEmail)).toBe(0);

    await sendDueReminders(app.services, inDays(16));
    expect(await written(silent.recruiterEmail)).toBe(1);
    expect((await app.db.select().from(outbox).where(eq(outbox.toAddress, localStaff.email))).filter((m) => m.subject.includes("Agent·e de quai"))).toHaveLength(1);
  });

  it("reminds the candidate and the coach of an addressed offer still unanswered after 5 days, once", async () => {
    const { candidate, coach } = await aCandidateWithCoach(app.db, { candidate: { firstName: "Nadia" } });
    const offer = await anOffer(app.db, { jobTitle: "Commis de cuisine", company: "Le Bistrot du Canal" }, { candidateIds: [candidate.id] });

    await sendDueReminders(app.services, inDays(4));
    expect(await written(candidate.email)).toBe(0);

    await sendDueReminders(app.services, inDays(5));
    const toCandidate = await app.smtp.waitFor(candidate.email, { subject: /attend depuis 5 jours/ });
    expect(toCandidate.text).toContain("Bonjour Nadia");
    expect(toCandidate.text).toContain("« Commis de cuisine » chez Le Bistrot du Canal");
    expect(linkIn(toCandidate, `/espace/offres/${candidate.id}/${offer.id}`)).toBe(`${app.url}/espace/offres/${candidate.id}/${offer.id}`);
    const toCoach = await app.smtp.waitFor(coach.email, { subject: /pour Nadia Benali attend/ });
    expect(linkIn(toCoach, "/espace/offres/")).toBe(`${app.url}/espace/offres/${candidate.id}/${offer.id}`);

    await sendDueReminders(app.services, inDays(5));
    await sendDueReminders(app.services, inDays(6));
    expect(await written(candidate.email)).toBe(1);
    expect(await written(coach.email)).toBe(1);
  });

  it("reminds nobody whose offer was answered, archived, withdrawn, or who was hired meanwhile", async () => {
    const aCase = async () => {
      const { candidate, coach } = await aCandidateWithCoach(app.db);
      const offer = await anOffer(app.db, {}, { candidateIds: [candidate.id] });
      return { candidate, coach, offer };
    };
    const [contacted, archived, withdrawn, hired, interested, backInModeration] = [await aCase(), await aCase(), await aCase(), await aCase(), await aCase(), await aCase()];
    const cases = [contacted, archived, withdrawn, hired, interested, backInModeration];
    const row = (c: Awaited<ReturnType<typeof aCase>>) => eq(candidateOffers.candidateId, c.candidate.id);
    await app.db.update(candidateOffers).set({ status: "contacted", statusChangedAt: new Date() }).where(row(contacted));
    await app.db.update(candidateOffers).set({ archived: true }).where(row(archived));
    await app.db.update(offers).set({ status: "archived" }).where(eq(offers.id, withdrawn.offer.id));
    await app.db.insert(hires).values({ candidateId: hired.candidate.id, contractType: "cdi", startDate: today() });
    await app.db.update(candidateOffers).set({ contactRevealedAt: new Date() }).where(row(interested));
    await app.db.update(offers).set({ status: "pending" }).where(eq(offers.id, backInModeration.offer.id));

    await sendDueReminders(app.services, inDays(6));
    for (const c of cases) {
      expect(await written(c.candidate.email), c.candidate.email).toBe(0);
      expect(await written(c.coach.email)).toBe(0);
    }
  });

  it("reminds the recruiter of a form with several workplaces once, not once per place", async () => {
    const zone = await aZone(app.db, { departments: ["35"] });
    const staff = await aStaffMember(app.db, { zoneId: zone.id });
    const groupId = crypto.randomUUID();
    const recruiterEmail = `rh.${groupId.slice(0, 8)}@plusieurs-lieux.test`;
    for (const department of ["35", "22", "29"]) {
      await anOffer(app.db, { groupId, zoneId: zone.id, department, recruiterEmail, jobTitle: "Préparateur·rice de commandes" });
    }
    await sendDueReminders(app.services, inDays(15));
    await sendDueReminders(app.services, inDays(16));
    expect(await written(recruiterEmail)).toBe(1);
    expect((await app.db.select().from(outbox).where(eq(outbox.toAddress, staff.email))).filter((m) => m.subject.includes("Préparateur·rice de commandes"))).toHaveLength(1);
  });

  it("copies every staff member when the offer belongs to no zone", async () => {
    const staff = await aStaffMember(app.db);
    const offer = await anOffer(app.db, { zoneId: null, jobTitle: "Magasinier·e sans zone" });
    await sendDueReminders(app.services, inDays(15));
    // Read in the outbox: the SMTP server gets them a little later, behind every other reminder this sweep found.
    const subjects = async (to: string) => (await app.db.select({ subject: outbox.subject }).from(outbox).where(eq(outbox.toAddress, to))).map((m) => m.subject);
    expect(await subjects(offer.recruiterEmail)).toEqual(["Votre offre « Magasinier·e sans zone » : où en êtes-vous ?"]);
    expect(await subjects(staff.email)).toContainEqual(expect.stringContaining("Magasinier·e sans zone"));
  });

  it("reminds the candidate and the coach of a CV not submitted 10 and 20 days after pairing, once each", async () => {
    const { candidate, coach } = await aCandidateWithCoach(app.db, { candidate: { firstName: "Karim" }, coach: { firstName: "Odile", lastName: "Perrin" } });

    await sendDueReminders(app.services, inDays(9));
    expect(await written(candidate.email)).toBe(0);

    await sendDueReminders(app.services, inDays(10));
    const first = await outboxMail(candidate.email, /CV n'est pas encore envoyé/);
    expect(first.text).toContain("avec Odile Perrin a commencé il y a 10 jours");
    expect(linkIn(first, "/espace/cv/")).toBe(`${app.url}/espace/cv/${candidate.id}`);
    const toCoach = await outboxMail(coach.email, /Le CV de Karim Benali/);
    expect(linkIn(toCoach, "/espace/cv/")).toBe(`${app.url}/espace/cv/${candidate.id}`);

    await sendDueReminders(app.services, inDays(11));
    await sendDueReminders(app.services, inDays(19));
    expect(await written(candidate.email)).toBe(1);

    await sendDueReminders(app.services, inDays(20));
    const texts = async () => (await app.db.select({ text: outbox.textBody }).from(outbox).where(eq(outbox.toAddress, candidate.email))).map((m) => m.text);
    expect((await texts()).filter((text) => text.includes("il y a 20 jours"))).toHaveLength(1);
    await sendDueReminders(app.services, inDays(21));
    expect(await written(candidate.email)).toBe(2);
    expect(await written(coach.email)).toBe(2);
  });

  it("does not remind about a CV already sent for validation or published, nor after the pairing ended", async () => {
    const submitted = await aPublishedCv(app.db);
    await app.db.update(cvs).set({ status: "submitted" }).where(eq(cvs.candidateId, submitted.candidate.id));
    const published = await aPublishedCv(app.db);
    const ended = await aCandidateWithCoach(app.db);
    await app.db.update(pairings).set({ endedAt: new Date() }).where(eq(pairings.candidateId, ended.candidate.id));

    await sendDueReminders(app.services, inDays(10));
    await sendDueReminders(app.services, inDays(20));
    for (const { candidate, coach } of [submitted, published, ended]) {
      expect(await written(candidate.email)).toBe(0);
      expect(await written(coach.email)).toBe(0);
    }
  });

  it("runs the sweep from its recurring job through the real queue, scheduled every 15 minutes in the database", async () => {
    const schedules = await app.db.execute<{ name: string; cron: string }>(sql`select name, cron from pgboss.schedule where name in (${REMINDERS_JOB}, ${CHECK_INS_JOB}) order by name`);
    expect(schedules.rows).toEqual([
      { name: CHECK_INS_JOB, cron: "*/15 * * * *" },
      { name: REMINDERS_JOB, cron: "*/15 * * * *" },
    ]);
    const { candidate } = await aCandidateWithCoach(app.db);
    const offer = await anOffer(app.db, { jobTitle: "Préparateur·rice de commandes" }, { candidateIds: [candidate.id] });
    await app.db.update(candidateOffers).set({ notifiedAt: new Date(Date.now() - 6 * DAY) }).where(eq(candidateOffers.offerId, offer.id));
    await app.services.queue.send(REMINDERS_JOB, {});
    await expect.poll(() => outboxMail(candidate.email, /attend depuis 5 jours/).then((m) => m.text, () => ""), { timeout: 15_000 }).toContain("Préparateur·rice de commandes");
  });
});

describe("a restart between two sweeps", () => {
  it("sends nothing twice: the second app, on the same database, finds every reminder already sent", async () => {
    const durable = await createDurableTestDatabase();
    try {
      const first = await startTestApp({ database: await durable.open() });
      let candidateEmail: string;
      let coachEmail: string;
      try {
        const { candidate, coach } = await aCandidateWithCoach(first.db);
        candidateEmail = candidate.email;
        coachEmail = coach.email;
        await anOffer(first.db, {}, { candidateIds: [candidate.id] });
        expect(await sendDueReminders(first.services, inDays(10))).toBeGreaterThan(0);
        await first.smtp.waitFor(candidate.email, { subject: /attend depuis 5 jours/ });
        await first.smtp.waitFor(candidate.email, { subject: /CV n'est pas encore envoyé/ });
        await first.smtp.waitFor(coach.email, { subject: /CV de/ });
      } finally {
        await first.close();
      }

      const second = await startTestApp({ database: await durable.open() });
      try {
        const before = (await second.db.select().from(outbox)).length;
        expect(await sendDueReminders(second.services, inDays(10))).toBe(0);
        expect(await sendDueReminders(second.services, inDays(12))).toBe(0);
        expect((await second.db.select().from(outbox)).length).toBe(before);
        await new Promise((resolve) => setTimeout(resolve, 1500));
        expect(second.smtp.received.filter((m) => m.to.includes(candidateEmail) || m.to.includes(coachEmail))).toHaveLength(0);
      } finally {
        await second.close();
      }
    } finally {
      await durable.drop();
    }
  });
});
