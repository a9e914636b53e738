import { and, asc, desc, eq, gt, isNotNull, isNull, lte, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import type { Db } from "~/db/client.server";
import { auditLog, checkInAnswers, checkIns, hires, offers, pairings, users, zones, type CheckInAnswer, type Locale } from "~/db/schema";
import { requireStaff, staffCoversZone, type Actor } from "~/domain/accounts/permissions";
import { staffZoneScope } from "~/domain/accounts/zone-scope";
import { randomToken, sha256 } from "~/domain/accounts/secrets";
import { deliver, notify, type Notice } from "~/domain/notifications/notify";
import { AppError } from "~/http/app-error";
import { translator, type MessageKey } from "~/i18n";
import type { Services } from "~/services.server";
import { addMonths, daysBefore, parisDay } from "./calendar";

/**
 * Post-hire check-ins at 1, 3 and 6 months: like reminders, derived from the data by a recurring
 * sweep (`sendDueCheckIns(services, now)`). Each (hire, months, party) row is unique, so a second
 * sweep, a restart or a second worker creates nothing more; the e-mail is written in the
 * transaction that created the row. The answer comes back through a single-use link (only its
 * SHA-256 is stored), without signing in. See docs/decisions/010-reminders-and-check-ins.md.
 */

/**
 * A check-in is due from `months` after the start and until the next one is due (the last: for two
 * months): a hire recorded late gets the latest check-in only, not a burst of stale ones.
 */
export const CHECK_IN_STEPS = [
  { months: 1, until: 3 },
  { months: 3, until: 6 },
  { months: 6, until: 8 },
] as const;
/** A check-in link answers for this long after it was sent. */
export const CHECK_IN_LINK_DAYS = 60;

const coaches = alias(users, "coach");

/** The employer as people name it: the offer's company, else the name typed with the hire (a job found elsewhere). */
const employerNameSql = () => sql<string>`coalesce(${offers.company}, nullif(${hires.employerName}, ''), '')`;

export type CheckInParty = "candidate" | "employer";

/** Which check-in of a hire is due on `today` ("YYYY-MM-DD"), if any. */
export function dueCheckIn(hire: { startDate: string; endDate: string | null }, today: string): 1 | 3 | 6 | null {
  for (const step of CHECK_IN_STEPS) {
    const due = addMonths(hire.startDate, step.months);
    if (due > today || today >= addMonths(hire.startDate, step.until)) continue;
    // A contract that ended before the date is not checked in on any more.
    if (hire.endDate !== null && hire.endDate < due) return null;
    return step.months;
  }
  return null;
}

/** Creates and sends every check-in due at `now`. Returns how many check-ins were created. */
export async function sendDueCheckIns(services: Services, now: Date): Promise<number> {
  const today = parisDay(now);
  const candidates = await services.db
    .select({
      id: hires.id,
      startDate: hires.startDate,
      endDate: hires.endDate,
      employerEmail: hires.employerEmail,
      employerName: employerNameSql(),
      employerLocale: offers.recruiterLocale,
      sent: sql<string[]>`array(select ${checkIns.months}::text || ':' || ${checkIns.party} from ${checkIns} where ${checkIns.hireId} = ${hires.id})`,
      candidate: { id: users.id, email: users.email, firstName: users.firstName, lastName: users.lastName, locale: users.locale },
      coach: { id: coaches.id, email: coaches.email, firstName: coaches.firstName, locale: coaches.locale },
    })
    .from(hires)
    .innerJoin(users, eq(users.id, hires.candidateId))
    .leftJoin(offers, eq(offers.id, hires.offerId))
    .leftJoin(pairings, and(eq(pairings.candidateId, hires.candidateId), isNull(pairings.endedAt)))
    .leftJoin(coaches, and(eq(coaches.id, pairings.coachId), isNull(coaches.deactivatedAt)))
    // Loose bounds (the exact dates are worked out below): started, and less than 9 months ago.
    .where(and(lte(hires.startDate, today), gt(hires.startDate, addMonths(today, -9)), isNull(users.deactivatedAt)))
    .orderBy(asc(hires.startDate));
  let created = 0;
  for (const hire of candidates) {
    const months = dueCheckIn(hire, today);
    if (months === null) continue;
    const parties: CheckInParty[] = hire.employerEmail ? ["candidate", "employer"] : ["candidate"];
    const missing = parties.filter((party) => !hire.sent.includes(`${months}:${party}`));
    if (missing.length === 0) continue;
    const { ids, count } = await services.db.transaction(async (tx) => {
      const notices: Notice[] = [];
      let count = 0;
      for (const party of missing) {
        const token = randomToken();
        const [row] = await tx
          .insert(checkIns)
          .values({ hireId: hire.id, months, party, tokenHash: sha256(token), sentAt: now })
          .onConflictDoNothing()
          .returning({ id: checkIns.id });
        if (!row) continue; // another sweep created it first
        count++;
        notices.push(...checkInNotices(services, hire, months, party, row.id, token));
      }
      return { ids: await notify(tx, notices), count };
    });
    await deliver(services.queue, ids);
    created += count;
  }
  return created;
}

type HireToCheck = {
  employerEmail: string | null;
  employerName: string;
  employerLocale: Locale | null;
  candidate: { id: string; email: string; firstName: string; lastName: string; locale: Locale };
  coach: { id: string; email: string; firstName: string; locale: Locale } | null;
};

/** The e-mails of one check-in: the candidate and a copy to their coach (same link), or the employer. */
function checkInNotices(services: Services, hire: HireToCheck, months: number, party: CheckInParty, checkInId: string, token: string): Notice[] {
  const base = `${services.config.publicUrl}/suivi-embauche/${token}`;
  const varsFor = (locale: Locale) => ({
    period: translator(locale)(`checkIn.period.${months}` as MessageKey),
    employer: hire.employerName || translator(locale)("checkIn.yourEmployer"),
    candidateFirstName: hire.candidate.firstName,
    candidateName: `${hire.candidate.firstName} ${hire.candidate.lastName}`,
    fineLink: `${base}?reponse=fine`,
    talkLink: `${base}?reponse=need_talk`,
  });
  if (party === "employer") {
    const locale = hire.employerLocale ?? "fr";
    return [
      {
        to: { email: hire.employerEmail!, locale },
        template: "check_in_employer",
        subject: "email.checkInEmployer.subject",
        body: "email.checkInEmployer.body",
        vars: varsFor(locale),
        once: `check-in:${checkInId}:employer`,
      },
    ];
  }
  const { candidate, coach } = hire;
  const notices: Notice[] = [
    {
      to: { email: candidate.email, userId: candidate.id, locale: candidate.locale, firstName: candidate.firstName },
      template: "check_in_candidate",
      subject: "email.checkInCandidate.subject",
      body: "email.checkInCandidate.body",
      vars: varsFor(candidate.locale),
      once: `check-in:${checkInId}:candidate`,
    },
  ];
  if (coach) {
    notices.push({
      to: { email: coach.email, userId: coach.id, locale: coach.locale, firstName: coach.firstName },
      template: "check_in_coach",
      subject: "email.checkInCoach.subject",
      body: "email.checkInCoach.body",
      vars: varsFor(coach.locale),
      once: `check-in:${checkInId}:coach:${coach.id}`,
    });
  }
  return notices;
}

const tokenShape = /^[A-Za-z0-9_-]{43}$/;

export type CheckInLink =
  | { state: "open"; party: CheckInParty; months: number; employerName: string; candidateFirstName: string }
  | { state: "answered"; answer: CheckInAnswer }
  | { state: "expired" }
  | { state: "not_found" };

/** What a check-in link leads to (read only: opening the link changes nothing). */
export async function readCheckInLink(db: Db, token: string, now = new Date()): Promise<CheckInLink> {
  if (!tokenShape.test(token)) return { state: "not_found" };
  const [row] = await db
    .select({
      party: checkIns.party,
      months: checkIns.months,
      sentAt: checkIns.sentAt,
      answer: checkIns.answer,
      employerName: employerNameSql(),
      candidateFirstName: users.firstName,
    })
    .from(checkIns)
    .innerJoin(hires, eq(hires.id, checkIns.hireId))
    .innerJoin(users, eq(users.id, hires.candidateId))
    .leftJoin(offers, eq(offers.id, hires.offerId))
    .where(eq(checkIns.tokenHash, sha256(token)))
    .limit(1);
  if (!row) return { state: "not_found" };
  if (row.answer) return { state: "answered", answer: row.answer };
  if (row.sentAt <= daysBefore(now, CHECK_IN_LINK_DAYS)) return { state: "expired" };
  return { state: "open", party: row.party, months: row.months, employerName: row.employerName, candidateFirstName: row.candidateFirstName };
}

export const checkInAnswerSchema = z.enum(checkInAnswers, { error: "checkIn.chooseAnswer" });

/**
 * Records the answer of a check-in link, once: a single conditional UPDATE, so two clicks (or two
 * tabs) record one answer. A used, expired or unknown link is refused before the answer is even
 * read; its state is returned.
 */
export async function answerCheckIn(db: Db, token: string, input: unknown, now = new Date()): Promise<{ state: "recorded"; answer: CheckInAnswer } | CheckInLink> {
  const current = await readCheckInLink(db, token, now);
  if (current.state !== "open") return current;
  const answer = checkInAnswerSchema.safeParse(input);
  if (!answer.success) throw new AppError("INVALID", "form.errorSummary", { answer: "checkIn.chooseAnswer" });
  const [row] = await db
    .update(checkIns)
    .set({ answer: answer.data, answeredAt: now })
    .where(and(eq(checkIns.tokenHash, sha256(token)), isNull(checkIns.answeredAt), gt(checkIns.sentAt, daysBefore(now, CHECK_IN_LINK_DAYS))))
    .returning({ id: checkIns.id });
  if (row) return { state: "recorded", answer: answer.data };
  // Two clicks at once: the other one recorded first, this one is refused.
  return readCheckInLink(db, token, now);
}

/** "mine": the actor's zone and candidates of no zone (the default); "all"; or one zone's id. */
export const checkInZoneSchema = z.union([z.literal("mine"), z.literal("all"), z.uuid()]).catch("mine");
export type CheckInZone = z.infer<typeof checkInZoneSchema>;

/** The filter inside the staff member's boundary (decision 020): "all" is every zone they cover. */
function zoneCondition(actor: Actor, zone: CheckInZone): SQL | undefined {
  const boundary = staffZoneScope(actor, users.zoneId);
  if (zone === "all" || zone === "mine") return boundary;
  return and(eq(users.zoneId, zone), boundary);
}

/**
 * Check-ins as staff see them: those asking for a talk first, then recent answers and silences.
 * A check-in belongs to the zone of its candidate; staff see theirs by default, any zone on demand.
 */
export async function checkInsForStaff(db: Db, actorOrNull: Actor | null, zone: CheckInZone = "mine", now = new Date()) {
  const actor = requireStaff(actorOrNull);
  const inZone = zoneCondition(actor, zone);
  const select = () =>
    db
      .select({
        id: checkIns.id,
        months: checkIns.months,
        party: checkIns.party,
        sentAt: checkIns.sentAt,
        answer: checkIns.answer,
        answeredAt: checkIns.answeredAt,
        handledAt: checkIns.handledAt,
        candidateId: users.id,
        candidateFirstName: users.firstName,
        candidateLastName: users.lastName,
        employerName: employerNameSql(),
      })
      .from(checkIns)
      .innerJoin(hires, eq(hires.id, checkIns.hireId))
      .innerJoin(users, eq(users.id, hires.candidateId))
      .leftJoin(offers, eq(offers.id, hires.offerId));
  const toHandle = await select()
    .where(and(eq(checkIns.answer, "need_talk"), isNull(checkIns.handledAt), inZone))
    .orderBy(asc(checkIns.answeredAt))
    .limit(200);
  const recent = await select()
    .where(and(isNotNull(checkIns.answeredAt), gt(checkIns.answeredAt, daysBefore(now, 90)), inZone))
    .orderBy(desc(checkIns.answeredAt))
    .limit(50);
  const unanswered = await select()
    .where(and(isNull(checkIns.answeredAt), inZone))
    .orderBy(desc(checkIns.sentAt))
    .limit(50);
  const allZones = await db
    .select({ id: zones.id, name: zones.name })
    .from(zones)
    .where(actor.zoneId ? eq(zones.id, actor.zoneId) : undefined)
    .orderBy(asc(zones.name));
  return { toHandle, recent, unanswered, zones: allZones };
}

/** A staff member took up a "besoin d'un échange": it leaves the queue, logged with who did it. */
export async function markCheckInHandled(db: Db, actorOrNull: Actor | null, id: unknown): Promise<void> {
  const actor = requireStaff(actorOrNull);
  const parsed = z.uuid().safeParse(id);
  if (!parsed.success) throw new AppError("NOT_FOUND", "notFound.title");
  await db.transaction(async (tx) => {
    const [target] = await tx
      .select({ zoneId: users.zoneId })
      .from(checkIns)
      .innerJoin(hires, eq(hires.id, checkIns.hireId))
      .innerJoin(users, eq(users.id, hires.candidateId))
      .where(eq(checkIns.id, parsed.data))
      .limit(1);
    if (!target || !staffCoversZone(actor, target.zoneId)) throw new AppError("NOT_FOUND", "notFound.title");
    const [row] = await tx
      .update(checkIns)
      .set({ handledAt: new Date(), handledById: actor.id })
      .where(and(eq(checkIns.id, parsed.data), eq(checkIns.answer, "need_talk"), isNull(checkIns.handledAt)))
      .returning({ id: checkIns.id });
    if (!row) {
      const [exists] = await tx.select({ id: checkIns.id }).from(checkIns).where(eq(checkIns.id, parsed.data)).limit(1);
      throw exists ? new AppError("CONFLICT", "checkIns.alreadyHandled") : new AppError("NOT_FOUND", "notFound.title");
    }
    await tx.insert(auditLog).values({ actorId: actor.id, action: "check_in.handled", subjectType: "check_in", subjectId: row.id });
  });
}
