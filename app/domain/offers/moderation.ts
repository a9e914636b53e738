import { randomUUID } from "node:crypto";
import { and, asc, count, desc, eq, ilike, inArray, isNull, ne, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import { limitedText } from "~/domain/text";
import type { Db } from "~/db/client.server";
import { auditLog, candidateOffers, offers, offerStatuses, offerTransitions as transitionLog, users, zones, type OfferStatus } from "~/db/schema";
import { requireStaff, type Actor } from "~/domain/accounts/permissions";
import { staffZoneScope } from "~/domain/accounts/zone-scope";
import { deliver, notify } from "~/domain/notifications/notify";
import { AppError } from "~/http/app-error";
import type { MessageKey } from "~/i18n";
import type { Services } from "~/services.server";
import { dispatchValidatedOffer, recruiterRefusedNotice } from "./dispatch";
import { offerFormSchema } from "./submission-schema";
import { canTakeOfferTransition, isEditable, offerTransitions as rules, type OfferTransition } from "./offer-workflow";

/* ---------------------------------------------------------------- the queue */

export const OFFERS_PAGE_SIZE = 25;

/** "to_moderate" (the default) is pending and held together, held ones shown apart. */
export const queueStatuses = ["to_moderate", ...offerStatuses] as const;
export type QueueStatus = (typeof queueStatuses)[number];

export const offerFiltersSchema = z.object({
  status: z.enum(queueStatuses).catch("to_moderate"),
  /** "mine": the actor's zone and the offers of no zone; "all": every zone; else one zone id. */
  zone: z.union([z.literal("mine"), z.literal("all"), z.uuid()]).catch("mine"),
  q: z.string().trim().max(100).catch(""),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});
export type OfferFilters = z.infer<typeof offerFiltersSchema>;

function zoneCondition(actor: Actor, zone: OfferFilters["zone"]): SQL | undefined {
  if (zone === "all") return undefined;
  if (zone === "mine") return actor.zoneId ? or(eq(offers.zoneId, actor.zoneId), isNull(offers.zoneId)) : undefined;
  return eq(offers.zoneId, zone);
}

function searchCondition(q: string): SQL | undefined {
  if (!q) return undefined;
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return or(ilike(offers.company, pattern), ilike(offers.jobTitle, pattern));
}

function statusCondition(status: QueueStatus): SQL {
  return status === "to_moderate" ? inArray(offers.status, ["pending", "held"]) : eq(offers.status, status);
}

/**
 * Staff's moderation queue, filtered and paged in the database: oldest first (held ones after
 * the pending ones, the page shows them apart), with the number of offers in each status for the
 * same zone and search.
 */
export async function listOffersForModeration(db: Db, actorOrNull: Actor | null, filters: OfferFilters) {
  const actor = requireStaff(actorOrNull);
  const scope = [zoneCondition(actor, filters.zone), searchCondition(filters.q)].filter((c): c is SQL => !!c);
  const where = and(statusCondition(filters.status), ...scope);
  const [rows, [total], perStatus, zoneList] = await Promise.all([
    db
      .select({
        id: offers.id,
        groupId: offers.groupId,
        status: offers.status,
        heldReason: offers.heldReason,
        isPublic: offers.isPublic,
        company: offers.company,
        jobTitle: offers.jobTitle,
        department: offers.department,
        contractType: offers.contractType,
        zoneName: zones.name,
        createdAt: offers.createdAt,
      })
      .from(offers)
      .leftJoin(zones, eq(zones.id, offers.zoneId))
      .where(where)
      .orderBy(sql`${offers.status} = 'held'`, asc(offers.createdAt), asc(offers.id))
      .limit(OFFERS_PAGE_SIZE)
      .offset((filters.page - 1) * OFFERS_PAGE_SIZE),
    db.select({ value: count() }).from(offers).where(where),
    db
      .select({ status: offers.status, value: count() })
      .from(offers)
      .where(scope.length ? and(...scope) : undefined)
      .groupBy(offers.status),
    db.select({ id: zones.id, name: zones.name }).from(zones).orderBy(asc(zones.name)),
  ]);
  const counts = Object.fromEntries(offerStatuses.map((s) => [s, perStatus.find((p) => p.status === s)?.value ?? 0])) as Record<OfferStatus, number>;
  return { rows, total: total?.value ?? 0, counts, zones: zoneList, pageSize: OFFERS_PAGE_SIZE };
}

/** How many offers wait for staff in the actor's zone (and zoneless ones): the admin home's figure. */
export async function countOffersToModerate(db: Db, actorOrNull: Actor | null): Promise<number> {
  const actor = requireStaff(actorOrNull);
  const [row] = await db
    .select({ value: count() })
    .from(offers)
    .where(and(statusCondition("to_moderate"), zoneCondition(actor, "mine")));
  return row?.value ?? 0;
}

/* ---------------------------------------------------------------- one offer */

const staffMember = alias(users, "staff_member");

async function findOffer(db: Db, offerId: string) {
  if (!z.uuid().safeParse(offerId).success) throw new AppError("NOT_FOUND", "notFound.title");
  const [offer] = await db.select().from(offers).where(eq(offers.id, offerId));
  if (!offer) throw new AppError("NOT_FOUND", "notFound.title");
  return offer;
}

/** The offer in full for staff: recruiter contact, zone, the other places of its submission, the addressed or recommended candidates, its log. */
export async function getOfferForStaff(db: Db, actorOrNull: Actor | null, offerId: string) {
  const actor = requireStaff(actorOrNull);
  const offer = await findOffer(db, offerId);
  const [zone, places, candidates, log, [copied]] = await Promise.all([
    offer.zoneId ? db.select({ name: zones.name }).from(zones).where(eq(zones.id, offer.zoneId)) : Promise.resolve([]),
    db
      .select({ id: offers.id, department: offers.department, address: offers.address, status: offers.status })
      .from(offers)
      .where(and(eq(offers.groupId, offer.groupId), ne(offers.id, offer.id)))
      .orderBy(asc(offers.createdAt)),
    db
      .select({
        candidateId: candidateOffers.candidateId,
        firstName: users.firstName,
        lastName: users.lastName,
        channel: candidateOffers.channel,
        status: candidateOffers.status,
        notifiedAt: candidateOffers.notifiedAt,
      })
      .from(candidateOffers)
      .innerJoin(users, eq(users.id, candidateOffers.candidateId))
      // Candidates outside the staff member's zone do not exist for them (decision 020).
      .where(and(eq(candidateOffers.offerId, offer.id), staffZoneScope(actor, users.zoneId)))
      .orderBy(asc(users.firstName)),
    offerLog(db, offer.id),
    db
      .select({ details: auditLog.details })
      .from(auditLog)
      .where(and(eq(auditLog.subjectType, "offer"), eq(auditLog.subjectId, offer.id), eq(auditLog.action, "offer.duplicate")))
      .limit(1),
  ]);
  return {
    offer,
    zoneName: zone[0]?.name ?? null,
    places,
    candidates,
    log,
    duplicatedFrom: (copied?.details.from as string | undefined) ?? null,
  };
}

/** The transition log, newest first, with who took each step. */
export function offerLog(db: Db, offerId: string) {
  return db
    .select({
      id: transitionLog.id,
      fromStatus: transitionLog.fromStatus,
      toStatus: transitionLog.toStatus,
      comment: transitionLog.comment,
      createdAt: transitionLog.createdAt,
      actorName: sql<string | null>`${staffMember.firstName} || ' ' || ${staffMember.lastName}`,
    })
    .from(transitionLog)
    .leftJoin(staffMember, eq(staffMember.id, transitionLog.actorId))
    .where(eq(transitionLog.offerId, offerId))
    .orderBy(desc(transitionLog.id));
}

/* ---------------------------------------------------------------- transitions, single and bulk */

const idsSchema = z.array(z.uuid()).min(1).max(100);
const commentSchema = limitedText(2000, "form.tooLong");

export type TransitionOutcome = {
  moved: { id: string; label: string }[];
  /** Offers that could not take the transition, by name, with the reason (a catalogue key). */
  refused: { id: string; label: string; reason: MessageKey }[];
};

const labelOf = (offer: { jobTitle: string; company: string; department: string }) => `${offer.jobTitle} — ${offer.company} (${offer.department})`;

/**
 * Takes one transition on one or several offers. In bulk, each offer is checked against the
 * state machine on its own: those that can move move, the others are reported back by name and
 * left as they were (not all-or-nothing: a queue where someone else validated one offer a minute
 * ago must not block the other nineteen). One transaction, rows locked: two staff members
 * validating at once move each offer once, and dispatch it once.
 */
export async function transitionOffers(
  services: Services,
  actorOrNull: Actor | null,
  rawIds: unknown,
  rawTransition: unknown,
  rawComment: unknown = "",
): Promise<TransitionOutcome> {
  const actor = requireStaff(actorOrNull);
  const ids = idsSchema.safeParse(rawIds);
  if (!ids.success) throw new AppError("INVALID", "moderation.chooseOffers", { ids: "moderation.chooseOffers" });
  if (typeof rawTransition !== "string" || !Object.hasOwn(rules, rawTransition)) {
    throw new AppError("INVALID", "form.errorSummary", { transition: "moderation.chooseAction" });
  }
  const transition = rawTransition as OfferTransition;
  const comment = commentSchema.safeParse(typeof rawComment === "string" ? rawComment : "");
  if (!comment.success) throw new AppError("INVALID", "form.errorSummary", { comment: "moderation.commentTooLong" });
  if (transition === "refuse" && !comment.data) throw new AppError("INVALID", "form.errorSummary", { comment: "moderation.reasonRequired" });

  const outcome: TransitionOutcome = { moved: [], refused: [] };
  const outboxIds = await services.db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(offers)
      .where(inArray(offers.id, [...new Set(ids.data)]))
      .orderBy(asc(offers.id))
      .for("update");
    if (!rows.length) throw new AppError("NOT_FOUND", "notFound.title");
    const notices: string[] = [];
    const refusedGroups = new Set<string>();
    const now = new Date();
    for (const offer of rows) {
      if (!canTakeOfferTransition(transition, offer.status)) {
        outcome.refused.push({ id: offer.id, label: labelOf(offer), reason: rules[transition].refused });
        continue;
      }
      const to = rules[transition].to;
      await tx
        .update(offers)
        .set({ status: to, updatedAt: now, ...(transition === "refuse" ? { refusedReason: comment.data } : {}) })
        .where(eq(offers.id, offer.id));
      await tx.insert(transitionLog).values({ offerId: offer.id, fromStatus: offer.status, toStatus: to, actorId: actor.id, comment: comment.data || null });
      await tx.insert(auditLog).values({
        actorId: actor.id,
        action: `offer.${transition}`,
        subjectType: "offer",
        subjectId: offer.id,
        details: { from: offer.status, to, ...(comment.data ? { comment: comment.data } : {}) },
      });
      if (transition === "validate") notices.push(...(await dispatchValidatedOffer(tx, services.config.publicUrl, services.sessionSecret, offer, now)));
      // A held offer is likely spam: its address was typed by a robot, and gets no e-mail from us.
      if (transition === "refuse" && offer.status !== "held" && offer.origin === "employer" && offer.recruiterEmail && !refusedGroups.has(offer.groupId)) {
        // One e-mail per submission: the places of one form share their reason.
        refusedGroups.add(offer.groupId);
        notices.push(...(await notify(tx, [recruiterRefusedNotice(offer, comment.data)])));
      }
      outcome.moved.push({ id: offer.id, label: labelOf(offer) });
    }
    return notices;
  });
  await deliver(services.queue, outboxIds);
  return outcome;
}

/* ---------------------------------------------------------------- edit and duplicate */

const formFields = offerFormSchema.in.shape;
const placeFields = formFields.places.element.shape;

/**
 * What staff may correct on an offer (typos, a wrong list choice): the employer form's own field
 * rules (same limits, same messages). The recruiter's contact and the addressed candidates stay
 * as the employer sent them.
 */
export const offerEditSchema = z.object({
  company: formFields.company,
  jobTitle: formFields.jobTitle,
  businessLine: formFields.businessLine,
  contractType: formFields.contractType,
  department: placeFields.department,
  address: placeFields.address,
  description: formFields.description,
  prerequisites: formFields.prerequisites,
  hours: formFields.hours,
  salary: formFields.salary,
  positions: formFields.positions,
});
export type OfferEdit = z.infer<typeof offerEditSchema>;
export const editableFields = Object.keys(offerEditSchema.shape) as (keyof OfferEdit)[];

/** The zone of a workplace: the oldest zone that covers its department; none → every staff. */
export async function zoneForDepartment(db: Db, code: string): Promise<string | null> {
  const [zone] = await db
    .select({ id: zones.id })
    .from(zones)
    .where(sql`${code} = any(${zones.departments})`)
    .orderBy(asc(zones.createdAt), asc(zones.id))
    .limit(1);
  return zone?.id ?? null;
}

/** Staff correct an offer; the changes are logged (before/after) in the audit log. */
export async function editOffer(services: Services, actorOrNull: Actor | null, offerId: string, input: unknown): Promise<void> {
  const actor = requireStaff(actorOrNull);
  await findOffer(services.db, offerId);
  const parsed = offerEditSchema.safeParse(input);
  if (!parsed.success) {
    const fields: Record<string, MessageKey> = {};
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "form");
      fields[field] ??= (issue.message.includes(".") ? issue.message : "form.invalidChoice") as MessageKey;
    }
    throw new AppError("INVALID", "form.errorSummary", fields);
  }
  await services.db.transaction(async (tx) => {
    const [offer] = await tx.select().from(offers).where(eq(offers.id, offerId)).for("update");
    if (!isEditable(offer!.status)) throw new AppError("CONFLICT", "moderation.notEditable");
    const changes: Record<string, { before: unknown; after: unknown }> = {};
    for (const field of editableFields) {
      if (offer![field] !== parsed.data[field]) changes[field] = { before: offer![field], after: parsed.data[field] };
    }
    if (!Object.keys(changes).length) return;
    const zoneId = changes.department ? await zoneForDepartment(tx, parsed.data.department) : offer!.zoneId;
    await tx
      .update(offers)
      .set({ ...parsed.data, zoneId, updatedAt: new Date() })
      .where(eq(offers.id, offerId));
    await tx.insert(auditLog).values({ actorId: actor.id, action: "offer.edit", subjectType: "offer", subjectId: offerId, details: { changes } });
  });
}

/**
 * A new pending copy of an offer (in a group of its own), e.g. to publish the same job again or
 * for another team. The addressed candidates come along, not yet told: they hear of it when the
 * copy is validated. Logged as "copied from" on the new offer.
 */
export async function duplicateOffer(services: Services, actorOrNull: Actor | null, offerId: string): Promise<string> {
  const actor = requireStaff(actorOrNull);
  const source = await findOffer(services.db, offerId);
  return services.db.transaction(async (tx) => {
    const { id: _id, groupId: _group, createdAt: _created, updatedAt: _updated, validatedAt: _validated, status: _status, heldReason: _held, refusedReason: _refused, ...copy } = source;
    const [created] = await tx
      .insert(offers)
      .values({ ...copy, groupId: randomUUID(), status: "pending", createdById: actor.id })
      .returning();
    const addressed = await tx
      .select({ candidateId: candidateOffers.candidateId })
      .from(candidateOffers)
      .where(and(eq(candidateOffers.offerId, source.id), eq(candidateOffers.channel, "addressed")));
    if (addressed.length) {
      await tx.insert(candidateOffers).values(addressed.map((a) => ({ offerId: created!.id, candidateId: a.candidateId, channel: "addressed" as const })));
    }
    await tx.insert(transitionLog).values({ offerId: created!.id, fromStatus: null, toStatus: "pending", actorId: actor.id, comment: null });
    await tx.insert(auditLog).values({ actorId: actor.id, action: "offer.duplicate", subjectType: "offer", subjectId: created!.id, details: { from: source.id } });
    return created!.id;
  });
}

