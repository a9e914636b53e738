import { randomUUID } from "node:crypto";
import { and, asc, count, desc, eq, inArray, isNull, ne, sql, type SQL } from "drizzle-orm";
import { parsePhoneNumberFromString } from "libphonenumber-js";
import { displayPhone } from "~/domain/reference/phones";
import { z } from "zod";
import { limitedText } from "~/domain/text";
import type { Db } from "~/db/client.server";
import { auditLog, candidateOffers, followUpLog, followUpStatuses, offerOrigins, offers, pairings, users, zones, type FollowUpStatus } from "~/db/schema";
import type { Actor } from "~/domain/accounts/permissions";
import { roleOnCv } from "~/domain/cv/permissions";
import type { CvRole } from "~/domain/cv/cv-workflow";
import { departmentCodes } from "~/domain/reference/departments";
import { businessLines, contractTypes } from "~/domain/reference/lists";
import { AppError } from "~/http/app-error";
import type { Services } from "~/services.server";
import { isOpen, nextStatuses } from "./follow-up-workflow";
import { matchingOffersFor } from "./matching";

/**
 * A candidate's follow-up of their offers, by the candidate, their current coach or staff.
 * Everyone else is told the offers do not exist (NOT_FOUND), whatever they try.
 */

export const NOTE_MAX = 2000;

const notFound = () => new AppError("NOT_FOUND", "notFound.title");
const isUuid = (value: string) => z.uuid().safeParse(value).success;

/** The actor's role on this candidate, or NOT_FOUND. Staff only reach real candidates. */
export async function requireFollowUpRole(db: Db, actor: Actor | null, candidateId: string): Promise<CvRole> {
  if (!isUuid(candidateId)) throw notFound();
  const role = await roleOnCv(db, actor, candidateId);
  if (!role) throw notFound();
  const [candidate] = await db.select({ role: users.role }).from(users).where(eq(users.id, candidateId)).limit(1);
  if (candidate?.role !== "candidate") throw notFound();
  return role;
}

/**
 * What a candidate may see: validated offers, and offers staff archived later (the follow-up
 * and a hire must stay readable). Pending, held and refused offers never reach them; offers they
 * added themselves are stored validated (nobody moderates one's own find).
 */
const visibleOffer = inArray(offers.status, ["validated", "archived"]);

/** Unseen by whom: the candidate and their coach each have their own badge; staff have none. */
function unseenColumn(role: CvRole) {
  if (role === "candidate") return candidateOffers.seenByCandidateAt;
  if (role === "coach") return candidateOffers.seenByCoachAt;
  return null;
}

export const listFiltersSchema = z.object({
  /** Archived offers are hidden by default; this shows them (and only them). */
  archived: z.boolean().default(false),
  bookmarked: z.boolean().default(false),
  status: z.enum(followUpStatuses).optional(),
});
export type ListFilters = z.input<typeof listFiltersSchema>;

/** Reads the list filters from the query string (`?archivees=1&favoris=1&etape=contacted`); anything odd is ignored. */
export function filtersFromSearch(params: URLSearchParams): ListFilters {
  const status = params.get("etape");
  return {
    archived: params.get("archivees") === "1",
    bookmarked: params.get("favoris") === "1",
    status: (followUpStatuses as readonly string[]).includes(status ?? "") ? (status as FollowUpStatus) : undefined,
  };
}

/** The candidate's offers, unseen first then newest, with the viewer's unseen flag. */
export async function listCandidateOffers(db: Db, actor: Actor | null, candidateId: string, rawFilters: ListFilters = {}) {
  const role = await requireFollowUpRole(db, actor, candidateId);
  const filters = listFiltersSchema.parse(rawFilters);
  const unseen = unseenColumn(role);
  const where: SQL[] = [eq(candidateOffers.candidateId, candidateId), visibleOffer, eq(candidateOffers.archived, filters.archived)];
  if (filters.bookmarked) where.push(eq(candidateOffers.bookmarked, true));
  if (filters.status) where.push(eq(candidateOffers.status, filters.status));
  // Staff have no badge: `false::boolean`, as PostgreSQL refuses a bare constant in ORDER BY.
  const unseenFlag = unseen ? sql<boolean>`(${unseen} is null)` : sql<boolean>`(false::boolean)`;
  const rows = await db
    .select({
      offerId: offers.id,
      jobTitle: offers.jobTitle,
      company: offers.company,
      department: offers.department,
      contractType: offers.contractType,
      origin: offers.origin,
      offerStatus: offers.status,
      channel: candidateOffers.channel,
      status: candidateOffers.status,
      bookmarked: candidateOffers.bookmarked,
      archived: candidateOffers.archived,
      createdAt: candidateOffers.createdAt,
      unseen: unseenFlag,
    })
    .from(candidateOffers)
    .innerJoin(offers, eq(offers.id, candidateOffers.offerId))
    .where(and(...where))
    // Staff have no unseen flag: ordering by the constant `false` is refused by PostgreSQL.
    .orderBy(...(unseen ? [desc(unseenFlag)] : []), desc(candidateOffers.createdAt), asc(offers.id))
    .limit(500);
  const [candidate] = await db.select({ firstName: users.firstName, lastName: users.lastName }).from(users).where(eq(users.id, candidateId));
  return { role, candidate: candidate!, offers: rows, filters };
}

/**
 * Public offers that fit the candidate's CV and that they do not follow yet (best first), for
 * "je suis intéressé·e". Same access as their list.
 */
export async function publicOffersFor(db: Db, actor: Actor | null, candidateId: string, limit = 10) {
  await requireFollowUpRole(db, actor, candidateId);
  const matches = await matchingOffersFor(db, candidateId, { limit: limit + 50 });
  if (!matches.length) return [];
  const followed = await db
    .select({ offerId: candidateOffers.offerId })
    .from(candidateOffers)
    .where(and(eq(candidateOffers.candidateId, candidateId), inArray(candidateOffers.offerId, matches.map((m) => m.id))));
  const known = new Set(followed.map((f) => f.offerId));
  return matches.filter((m) => !known.has(m.id)).slice(0, limit);
}

/**
 * The "new offers" badge: a candidate's own unseen offers; for a coach, the unseen offers of the
 * candidates they follow now (by candidate too, for their list). Staff have no badge.
 */
export async function unseenOfferCounts(db: Db, actor: Actor | null): Promise<{ total: number; byCandidate: Record<string, number> }> {
  if (!actor || actor.role === "staff") return { total: 0, byCandidate: {} };
  const base = [visibleOffer, eq(candidateOffers.archived, false)];
  const rows =
    actor.role === "candidate"
      ? await db
          .select({ candidateId: candidateOffers.candidateId, n: count() })
          .from(candidateOffers)
          .innerJoin(offers, eq(offers.id, candidateOffers.offerId))
          .where(and(eq(candidateOffers.candidateId, actor.id), isNull(candidateOffers.seenByCandidateAt), ...base))
          .groupBy(candidateOffers.candidateId)
      : await db
          .select({ candidateId: candidateOffers.candidateId, n: count() })
          .from(candidateOffers)
          .innerJoin(offers, eq(offers.id, candidateOffers.offerId))
          .innerJoin(pairings, and(eq(pairings.candidateId, candidateOffers.candidateId), eq(pairings.coachId, actor.id), isNull(pairings.endedAt)))
          .where(and(isNull(candidateOffers.seenByCoachAt), ...base))
          .groupBy(candidateOffers.candidateId);
  const byCandidate = Object.fromEntries(rows.map((r) => [r.candidateId, Number(r.n)]));
  return { total: rows.reduce((sum, r) => sum + Number(r.n), 0), byCandidate };
}

export async function unseenOfferCount(db: Db, actor: Actor | null): Promise<number> {
  return (await unseenOfferCounts(db, actor)).total;
}

/** The follow-up row of a visible offer, locked for the change (inside a transaction). */
export async function lockFollowUp(tx: Db, candidateId: string, offerId: string) {
  if (!isUuid(offerId)) throw notFound();
  const [row] = await tx
    .select({ followUp: candidateOffers })
    .from(candidateOffers)
    .innerJoin(offers, eq(offers.id, candidateOffers.offerId))
    .where(and(eq(candidateOffers.candidateId, candidateId), eq(candidateOffers.offerId, offerId), visibleOffer))
    .for("update", { of: candidateOffers });
  if (!row) throw notFound();
  return row.followUp;
}

type LogEntry = { change: string; from?: string | null; to?: string | null };

export async function logFollowUp(tx: Db, actorId: string, candidateId: string, offerId: string, entries: LogEntry[]) {
  if (!entries.length) return;
  await tx.insert(followUpLog).values(entries.map((e) => ({ offerId, candidateId, actorId, change: e.change, fromValue: e.from ?? null, toValue: e.to ?? null })));
}

/**
 * One offer as the candidate follows it. Opening it marks it seen for the viewer's role. The
 * recruiter's contact is only returned once revealed (the candidate engaged); staff always see it.
 */
export async function getCandidateOffer(services: Services, actor: Actor | null, candidateId: string, offerId: string) {
  const db = services.db;
  const role = await requireFollowUpRole(db, actor, candidateId);
  if (!isUuid(offerId)) throw notFound();
  const [row] = await db
    .select({ offer: offers, followUp: candidateOffers })
    .from(candidateOffers)
    .innerJoin(offers, eq(offers.id, candidateOffers.offerId))
    .where(and(eq(candidateOffers.candidateId, candidateId), eq(candidateOffers.offerId, offerId), visibleOffer))
    .limit(1);
  if (!row) throw notFound();
  const unseen = unseenColumn(role);
  if (unseen) {
    const column = role === "candidate" ? "seenByCandidateAt" : "seenByCoachAt";
    await db
      .update(candidateOffers)
      .set({ [column]: new Date() })
      .where(and(eq(candidateOffers.candidateId, candidateId), eq(candidateOffers.offerId, offerId), isNull(unseen)));
  }
  const { offer, followUp } = row;
  const showContact = role === "staff" || followUp.contactRevealedAt !== null;
  const log = await db
    .select({
      id: followUpLog.id,
      change: followUpLog.change,
      fromValue: followUpLog.fromValue,
      toValue: followUpLog.toValue,
      createdAt: followUpLog.createdAt,
      actorFirstName: users.firstName,
      actorLastName: users.lastName,
    })
    .from(followUpLog)
    .leftJoin(users, eq(users.id, followUpLog.actorId))
    .where(and(eq(followUpLog.candidateId, candidateId), eq(followUpLog.offerId, offerId)))
    .orderBy(desc(followUpLog.createdAt), desc(followUpLog.id))
    .limit(200);
  const [candidate] = await db.select({ firstName: users.firstName, lastName: users.lastName }).from(users).where(eq(users.id, candidateId));
  return {
    role,
    candidate: candidate!,
    offer: {
      id: offer.id,
      status: offer.status,
      origin: offer.origin,
      isPublic: offer.isPublic,
      company: offer.company,
      jobTitle: offer.jobTitle,
      businessLine: offer.businessLine,
      description: offer.description,
      prerequisites: offer.prerequisites,
      contractType: offer.contractType,
      startDate: offer.startDate,
      endDate: offer.endDate,
      partTime: offer.partTime,
      hours: offer.hours,
      salary: offer.salary,
      drivingLicence: offer.drivingLicence,
      department: offer.department,
      address: offer.address,
      message: offer.message,
    },
    followUp: {
      channel: followUp.channel,
      status: followUp.status,
      bookmarked: followUp.bookmarked,
      archived: followUp.archived,
      note: followUp.note,
      contactRevealed: followUp.contactRevealedAt !== null,
    },
    contact: showContact
      ? { name: offer.recruiterName, position: offer.recruiterPosition, email: offer.recruiterEmail, phone: offer.recruiterPhone, phoneDisplay: displayPhone(offer.recruiterPhone) }
      : null,
    // "hired" is reached through the hire form, not a bare button.
    nextStatuses: nextStatuses[followUp.status].filter((s) => s !== "hired" && (followUp.status !== "hired" || role === "staff")),
    canRecordHire: followUp.status !== "hired",
    log,
  };
}


/**
 * "Je suis intéressé·e": shows the recruiter's contact without changing the status. On a public
 * offer the candidate does not follow yet, it starts following it (channel "interested").
 */
export async function markInterested(services: Services, actor: Actor | null, candidateId: string, offerId: string) {
  const role = await requireFollowUpRole(services.db, actor, candidateId);
  if (!isUuid(offerId)) throw notFound();
  await services.db.transaction(async (tx) => {
    const now = new Date();
    const [existing] = await tx
      .select({ followUp: candidateOffers })
      .from(candidateOffers)
      .innerJoin(offers, eq(offers.id, candidateOffers.offerId))
      .where(and(eq(candidateOffers.candidateId, candidateId), eq(candidateOffers.offerId, offerId), visibleOffer))
      .for("update", { of: candidateOffers });
    if (existing) {
      if (existing.followUp.contactRevealedAt) return;
      await tx
        .update(candidateOffers)
        .set({ contactRevealedAt: now })
        .where(and(eq(candidateOffers.candidateId, candidateId), eq(candidateOffers.offerId, offerId)));
      await logFollowUp(tx, actor!.id, candidateId, offerId, [{ change: "interested" }, { change: "contact_revealed" }]);
      return;
    }
    const [offer] = await tx
      .select({ id: offers.id })
      .from(offers)
      .where(and(eq(offers.id, offerId), eq(offers.status, "validated"), eq(offers.isPublic, true)))
      .limit(1);
    if (!offer) throw notFound();
    const inserted = await tx
      .insert(candidateOffers)
      .values({ offerId, candidateId, channel: "interested", contactRevealedAt: now, ...seenBy(role, now) })
      .onConflictDoNothing()
      .returning({ offerId: candidateOffers.offerId });
    // A row written in between (a recommendation, a double click) holds what it holds: the
    // candidate can still press the button on the offer's page.
    if (inserted.length) await logFollowUp(tx, actor!.id, candidateId, offerId, [{ change: "interested" }, { change: "contact_revealed" }]);
  });
}

function seenBy(role: CvRole, now: Date) {
  if (role === "candidate") return { seenByCandidateAt: now };
  if (role === "coach") return { seenByCoachAt: now };
  return {};
}

async function setFlag(services: Services, actor: Actor | null, candidateId: string, offerId: string, flag: "bookmarked" | "archived", raw: unknown) {
  await requireFollowUpRole(services.db, actor, candidateId);
  if (typeof raw !== "boolean") throw new AppError("INVALID", "form.invalidChoice");
  await services.db.transaction(async (tx) => {
    const current = await lockFollowUp(tx, candidateId, offerId);
    if (current[flag] === raw) return;
    await tx
      .update(candidateOffers)
      .set({ [flag]: raw })
      .where(and(eq(candidateOffers.candidateId, candidateId), eq(candidateOffers.offerId, offerId)));
    await logFollowUp(tx, actor!.id, candidateId, offerId, [{ change: flag === "bookmarked" ? "bookmark" : "archive", from: String(current[flag]), to: String(raw) }]);
  });
}

export const setBookmark = (services: Services, actor: Actor | null, candidateId: string, offerId: string, bookmarked: unknown) =>
  setFlag(services, actor, candidateId, offerId, "bookmarked", bookmarked);

export const setArchived = (services: Services, actor: Actor | null, candidateId: string, offerId: string, archived: unknown) =>
  setFlag(services, actor, candidateId, offerId, "archived", archived);

const noteSchema = limitedText(NOTE_MAX, "form.tooLong");

/** The private note (candidate, coach and staff read it); logged with what it was before. */
export async function saveNote(services: Services, actor: Actor | null, candidateId: string, offerId: string, raw: unknown) {
  await requireFollowUpRole(services.db, actor, candidateId);
  const parsed = noteSchema.safeParse(typeof raw === "string" ? raw.replace(/\r\n/g, "\n") : "");
  if (!parsed.success) throw new AppError("INVALID", "form.errorSummary", { note: "followUp.noteTooLong" });
  await services.db.transaction(async (tx) => {
    const current = await lockFollowUp(tx, candidateId, offerId);
    if (current.note === parsed.data) return;
    await tx
      .update(candidateOffers)
      .set({ note: parsed.data })
      .where(and(eq(candidateOffers.candidateId, candidateId), eq(candidateOffers.offerId, offerId)));
    await logFollowUp(tx, actor!.id, candidateId, offerId, [{ change: "note", from: current.note, to: parsed.data }]);
    // The audit log says who wrote when, never the private words themselves.
    await tx.insert(auditLog).values({
      actorId: actor!.id,
      action: "follow_up.note_saved",
      subjectType: "candidate_offer",
      subjectId: `${candidateId}/${offerId}`,
      details: { candidateId, offerId, length: parsed.data.length },
    });
  });
}

const optionalText = (max: number) => limitedText(max, "form.tooLong").default("");

/** The "offer found elsewhere" form: what a candidate or coach usually knows, little required. */
export const externalOfferSchema = z.object({
  origin: z.enum(offerOrigins.filter((o) => o !== "employer") as ["network", "internet", "job_counsellor"], { error: "followUp.external.originRequired" }),
  company: limitedText(200, "form.tooLong").min(1, "followUp.external.companyRequired"),
  jobTitle: limitedText(200, "form.tooLong").min(1, "followUp.external.jobTitleRequired"),
  contractType: z.enum(contractTypes, { error: "followUp.external.contractRequired" }),
  department: z.enum(departmentCodes, { error: "followUp.external.departmentRequired" }),
  businessLine: z.union([z.literal(""), z.enum(businessLines)], { error: "form.invalidChoice" }).default(""),
  description: optionalText(5000),
  recruiterName: optionalText(200),
  recruiterEmail: z.union([z.literal(""), limitedText(254, "form.tooLong").pipe(z.email({ error: "followUp.external.emailInvalid" }))]).default(""),
  recruiterPhone: limitedText(40, "form.tooLong")
    .default("")
    .transform((value, ctx) => {
      if (!value) return "";
      const phone = parsePhoneNumberFromString(value, "FR");
      if (!phone?.isValid()) {
        ctx.addIssue({ code: "custom", message: "followUp.external.phoneInvalid" });
        return z.NEVER;
      }
      return phone.number;
    }),
});

/** The zone that covers a department, oldest first; none → null (every staff member sees it). */
async function zoneOfDepartment(tx: Db, department: string): Promise<string | null> {
  const [zone] = await tx
    .select({ id: zones.id })
    .from(zones)
    .where(sql`${department} = any(${zones.departments})`)
    .orderBy(asc(zones.createdAt))
    .limit(1);
  return zone?.id ?? null;
}

/**
 * An offer the candidate or coach found elsewhere (réseau, internet, conseiller emploi). It is
 * validated at once — nobody moderates their own find — and never public; its contact is theirs,
 * so it shows from the start. Recruiter fields not given are stored empty.
 */
export async function addExternalOffer(services: Services, actor: Actor | null, candidateId: string, input: unknown): Promise<string> {
  const role = await requireFollowUpRole(services.db, actor, candidateId);
  const parsed = externalOfferSchema.safeParse(input);
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) fields[String(issue.path[0] ?? "form")] ??= issue.message;
    throw new AppError("INVALID", "form.errorSummary", fields);
  }
  const values = parsed.data;
  return services.db.transaction(async (tx) => {
    const now = new Date();
    const [offer] = await tx
      .insert(offers)
      .values({
        groupId: randomUUID(),
        zoneId: await zoneOfDepartment(tx, values.department),
        status: "validated",
        validatedAt: now,
        isPublic: false,
        origin: values.origin,
        company: values.company,
        jobTitle: values.jobTitle,
        contractType: values.contractType,
        department: values.department,
        businessLine: values.businessLine,
        description: values.description,
        recruiterName: values.recruiterName,
        recruiterEmail: values.recruiterEmail,
        recruiterPhone: values.recruiterPhone,
        createdById: actor!.id,
      })
      .returning({ id: offers.id });
    await tx.insert(candidateOffers).values({ offerId: offer!.id, candidateId, channel: "external", contactRevealedAt: now, ...seenBy(role, now) });
    await logFollowUp(tx, actor!.id, candidateId, offer!.id, [{ change: "added", to: values.origin }]);
    return offer!.id;
  });
}

/** Other open follow-ups of the candidate (for "close my other offers"), locked. */
export async function otherOpenFollowUps(tx: Db, candidateId: string, exceptOfferId: string | null) {
  return tx
    .select({ offerId: candidateOffers.offerId })
    .from(candidateOffers)
    .where(
      and(
        eq(candidateOffers.candidateId, candidateId),
        eq(candidateOffers.archived, false),
        inArray(candidateOffers.status, followUpStatuses.filter(isOpen)),
        exceptOfferId ? ne(candidateOffers.offerId, exceptOfferId) : undefined,
      ),
    )
    .for("update");
}
