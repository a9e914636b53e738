import { and, asc, eq, gt, inArray, isNull, lte, sql, type AnyColumn, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "~/db/client.server";
import { candidateOffers, cvs, hires, offers, outbox, pairings, users } from "~/db/schema";
import { deliver, notify, type Notice } from "~/domain/notifications/notify";
import type { Services } from "~/services.server";
import { daysBefore, parisDay } from "./calendar";
import { oneClickLink } from "./one-click";

/**
 * Reminders are derived from the data, not scheduled one by one: a recurring job calls
 * `sendDueReminders(services, now)`, which finds what is due at `now` and writes each e-mail
 * with a `once` key (the outbox's unique `dedupKey`). So nothing goes twice — across sweeps,
 * restarts or two workers — and a reminder whose reason has gone (status moved, offer archived,
 * CV submitted, pairing ended, candidate hired) is simply no longer found.
 * See docs/decisions/010-reminders-and-check-ins.md.
 */

/** After this many days without an answer, the candidate and their coach are reminded. */
export const UNANSWERED_AFTER_DAYS = 5;
/** After this many days online without any candidate's reaction, the recruiter (and staff) hear from us. */
export const RECRUITER_AFTER_DAYS = 15;
/** CV not submitted this many days after the pairing started: one reminder per step. */
export const CV_STEPS = [
  { days: 10, until: 20 },
  { days: 20, until: 40 },
] as const;
/**
 * A reminder is only sent within a window after it falls due: one about an offer from months
 * ago helps nobody, and the first sweep after a long outage (or after this feature shipped)
 * must not flood old cases.
 */
const UNANSWERED_UNTIL_DAYS = 30;
const RECRUITER_UNTIL_DAYS = 60;
/** Staff copied on a recruiter reminder for a zoneless offer: enough to be seen, not a mailing list. */
const MAX_STAFF_COPIES = 20;
/** Rows handled per sweep and kind; the next sweep (15 minutes later) takes the rest. */
const BATCH = 500;

const coaches = alias(users, "coach");

/** Writes one case's notices in a transaction, then hands them to the senders. */
async function send(services: Services, notices: Notice[]): Promise<number> {
  const ids = await services.db.transaction((tx) => notify(tx, notices));
  await deliver(services.queue, ids);
  return ids.length;
}

/** No current job: a candidate hired (contract open-ended or not ended yet) is not reminded of offers or CVs. */
function notHired(candidateId: AnyColumn, today: string) {
  return sql`not exists (select 1 from ${hires} where ${hires.candidateId} = ${candidateId} and (${hires.endDate} is null or ${hires.endDate} >= ${today}))`;
}

/** Not yet sent: the once key of the case's first recipient is not in the outbox. */
function notSent(key: SQL) {
  return sql`not exists (select 1 from ${outbox} where ${outbox.dedupKey} = ${key})`;
}

/** Every reminder due at `now`. Returns how many e-mails were written. */
export async function sendDueReminders(services: Services, now: Date): Promise<number> {
  return (await remindUnansweredOffers(services, now)) + (await remindRecruiters(services, now)) + (await remindCvsNotSubmitted(services, now));
}

/**
 * 1. An offer addressed (or recommended) to a candidate, still "à traiter" 5 days after they were
 * told: the candidate and their current coach, with a link straight to the offer's follow-up (and,
 * for the candidate, signed one-click answers: see one-click.ts).
 */
export async function remindUnansweredOffers(services: Services, now: Date): Promise<number> {
  const key = (userId: AnyColumn) =>
    sql`'reminder:unanswered:' || ${candidateOffers.offerId} || ':' || ${candidateOffers.candidateId} || ':' || ${userId}`;
  const rows = await services.db
    .select({
      offerId: candidateOffers.offerId,
      candidateId: candidateOffers.candidateId,
      jobTitle: offers.jobTitle,
      company: offers.company,
      candidate: { email: users.email, firstName: users.firstName, lastName: users.lastName, locale: users.locale },
      coach: { id: coaches.id, email: coaches.email, firstName: coaches.firstName, locale: coaches.locale },
    })
    .from(candidateOffers)
    .innerJoin(offers, eq(offers.id, candidateOffers.offerId))
    .innerJoin(users, eq(users.id, candidateOffers.candidateId))
    .leftJoin(pairings, and(eq(pairings.candidateId, candidateOffers.candidateId), isNull(pairings.endedAt)))
    .leftJoin(coaches, and(eq(coaches.id, pairings.coachId), isNull(coaches.deactivatedAt)))
    .where(
      and(
        inArray(candidateOffers.channel, ["addressed", "recommended"]),
        eq(candidateOffers.status, "to_process"),
        eq(candidateOffers.archived, false),
        // "Je suis intéressé·e" shows the contact without moving the status: that is an answer.
        isNull(candidateOffers.contactRevealedAt),
        lte(candidateOffers.notifiedAt, daysBefore(now, UNANSWERED_AFTER_DAYS)),
        gt(candidateOffers.notifiedAt, daysBefore(now, UNANSWERED_UNTIL_DAYS)),
        eq(offers.status, "validated"),
        isNull(users.deactivatedAt),
        notHired(candidateOffers.candidateId, parisDay(now)),
        notSent(key(candidateOffers.candidateId)),
      ),
    )
    .orderBy(asc(candidateOffers.notifiedAt))
    .limit(BATCH);
  let written = 0;
  for (const row of rows) {
    const link = `${services.config.publicUrl}/espace/offres/${row.candidateId}/${row.offerId}`;
    const vars = { jobTitle: row.jobTitle, company: row.company, days: String(UNANSWERED_AFTER_DAYS), link };
    const once = (userId: string) => `reminder:unanswered:${row.offerId}:${row.candidateId}:${userId}`;
    const notices: Notice[] = [
      {
        to: { email: row.candidate.email, userId: row.candidateId, locale: row.candidate.locale, firstName: row.candidate.firstName },
        template: "reminder_unanswered_offer",
        subject: "email.reminderUnanswered.subject",
        body: "email.reminderUnanswered.body",
        // The candidate answers in one click, without signing in; the coach keeps the space link.
        vars: {
          ...vars,
          contactedLink: oneClickLink(services.config.publicUrl, services.sessionSecret, row.candidateId, row.offerId, "contacted"),
          interestedLink: oneClickLink(services.config.publicUrl, services.sessionSecret, row.candidateId, row.offerId, "interested"),
        },
        once: once(row.candidateId),
      },
    ];
    if (row.coach) {
      notices.push({
        to: { email: row.coach.email, userId: row.coach.id, locale: row.coach.locale, firstName: row.coach.firstName },
        template: "reminder_unanswered_offer_coach",
        subject: "email.reminderUnansweredCoach.subject",
        body: "email.reminderUnansweredCoach.body",
        vars: { ...vars, candidateName: `${row.candidate.firstName} ${row.candidate.lastName}` },
        once: once(row.coach.id),
      });
    }
    written += await send(services, notices);
  }
  return written;
}

/**
 * 2. An employer's offer online for 15 days without any candidate's reaction (nobody moved it
 * beyond "à traiter" nor said they were interested): the recruiter, in their language, with a
 * copy to the staff of the offer's zone (zoneless, or a zone without staff: every staff member,
 * up to a few).
 */
export async function remindRecruiters(services: Services, now: Date): Promise<number> {
  const rows = await services.db
    .select({
      id: offers.id,
      groupId: offers.groupId,
      zoneId: offers.zoneId,
      jobTitle: offers.jobTitle,
      company: offers.company,
      department: offers.department,
      address: offers.address,
      recruiterName: offers.recruiterName,
      recruiterEmail: offers.recruiterEmail,
      recruiterPhone: offers.recruiterPhone,
      recruiterLocale: offers.recruiterLocale,
    })
    .from(offers)
    .where(
      and(
        eq(offers.status, "validated"),
        eq(offers.origin, "employer"),
        lte(offers.validatedAt, daysBefore(now, RECRUITER_AFTER_DAYS)),
        gt(offers.validatedAt, daysBefore(now, RECRUITER_UNTIL_DAYS)),
        sql`not exists (select 1 from ${candidateOffers} where ${candidateOffers.offerId} = ${offers.id} and (${candidateOffers.status} <> 'to_process' or ${candidateOffers.contactRevealedAt} is not null))`,
        // Once per employer's form: a form with ten workplaces is one offer to its recruiter.
        notSent(sql`'reminder:recruiter:' || ${offers.groupId} || ':recruiter'`),
      ),
    )
    .orderBy(asc(offers.validatedAt))
    .limit(BATCH);
  let written = 0;
  const groups = new Set<string>();
  for (const offer of rows) {
    if (groups.has(offer.groupId)) continue;
    groups.add(offer.groupId);
    const vars = {
      jobTitle: offer.jobTitle,
      company: offer.company,
      place: offer.address || offer.department,
      days: String(RECRUITER_AFTER_DAYS),
      recruiterName: offer.recruiterName,
      recruiterEmail: offer.recruiterEmail,
      recruiterPhone: offer.recruiterPhone,
    };
    const notices: Notice[] = [
      {
        to: { email: offer.recruiterEmail, locale: offer.recruiterLocale, firstName: offer.recruiterName },
        template: "reminder_recruiter",
        subject: "email.reminderRecruiter.subject",
        body: "email.reminderRecruiter.body",
        vars: { ...vars, link: `${services.config.publicUrl}/candidats` },
        once: `reminder:recruiter:${offer.groupId}:recruiter`,
      },
    ];
    for (const staff of await staffOfZone(services.db, offer.zoneId)) {
      notices.push({
        to: { email: staff.email, userId: staff.id, locale: staff.locale, firstName: staff.firstName },
        template: "reminder_recruiter_staff",
        subject: "email.reminderRecruiterStaff.subject",
        body: "email.reminderRecruiterStaff.body",
        vars: { ...vars, link: `${services.config.publicUrl}/admin/offres/${offer.id}` },
        once: `reminder:recruiter:${offer.groupId}:${staff.id}`,
      });
    }
    written += await send(services, notices);
  }
  return written;
}

async function staffOfZone(db: Db, zoneId: string | null) {
  const active = and(eq(users.role, "staff"), isNull(users.deactivatedAt));
  const query = (where: SQL | undefined) =>
    db
      .select({ id: users.id, email: users.email, firstName: users.firstName, locale: users.locale })
      .from(users)
      .where(where)
      .orderBy(asc(users.createdAt), asc(users.id))
      .limit(MAX_STAFF_COPIES);
  if (zoneId) {
    const local = await query(and(active, eq(users.zoneId, zoneId)));
    if (local.length > 0) return local;
  }
  return query(active);
}

/**
 * 3. A candidate paired with a coach whose CV was never sent for validation (no CV yet, a draft,
 * or changes requested), 10 and again 20 days after the pairing started: the candidate and the
 * coach, with a link to the CV editor.
 */
export async function remindCvsNotSubmitted(services: Services, now: Date): Promise<number> {
  let written = 0;
  for (const step of CV_STEPS) {
    const rows = await services.db
      .select({
        pairingId: pairings.id,
        candidate: { id: users.id, email: users.email, firstName: users.firstName, lastName: users.lastName, locale: users.locale },
        coach: { id: coaches.id, email: coaches.email, firstName: coaches.firstName, lastName: coaches.lastName, locale: coaches.locale },
      })
      .from(pairings)
      .innerJoin(users, eq(users.id, pairings.candidateId))
      .innerJoin(coaches, eq(coaches.id, pairings.coachId))
      .where(
        and(
          isNull(pairings.endedAt),
          lte(pairings.startedAt, daysBefore(now, step.days)),
          gt(pairings.startedAt, daysBefore(now, step.until)),
          isNull(users.deactivatedAt),
          isNull(coaches.deactivatedAt),
          // Never submitted: no CV at all counts, as do a draft and a CV sent back for changes.
          sql`not exists (select 1 from ${cvs} where ${cvs.candidateId} = ${pairings.candidateId} and ${cvs.status} not in ('draft', 'changes_requested'))`,
          notHired(pairings.candidateId, parisDay(now)),
          notSent(sql`'reminder:cv:' || ${pairings.id} || ':' || ${String(step.days)}::text || ':' || ${pairings.candidateId}`),
        ),
      )
      .orderBy(asc(pairings.startedAt))
      .limit(BATCH);
    for (const row of rows) {
      const vars = { days: String(step.days), link: `${services.config.publicUrl}/espace/cv/${row.candidate.id}` };
      const once = (userId: string) => `reminder:cv:${row.pairingId}:${step.days}:${userId}`;
      written += await send(services, [
        {
          to: { email: row.candidate.email, userId: row.candidate.id, locale: row.candidate.locale, firstName: row.candidate.firstName },
          template: "reminder_cv_not_submitted",
          subject: "email.reminderCv.subject",
          body: "email.reminderCv.body",
          vars: { ...vars, coachName: `${row.coach.firstName} ${row.coach.lastName}` },
          once: once(row.candidate.id),
        },
        {
          to: { email: row.coach.email, userId: row.coach.id, locale: row.coach.locale, firstName: row.coach.firstName },
          template: "reminder_cv_not_submitted_coach",
          subject: "email.reminderCvCoach.subject",
          body: "email.reminderCvCoach.body",
          vars: { ...vars, candidateName: `${row.candidate.firstName} ${row.candidate.lastName}` },
          once: once(row.coach.id),
        },
      ]);
    }
  }
  return written;
}
