import { and, asc, count, desc, eq, ilike, isNull, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "~/db/client.server";
import { auditLog, locales, pairings, roles, users, zones, type Locale, type Role } from "~/db/schema";
import { dispatchOutbox, writeToOutbox } from "~/domain/email/outbox";
import { renderEmail } from "~/emails/render";
import { AppError } from "~/http/app-error";
import { translator } from "~/i18n";
import type { Services } from "~/services.server";
import { issueAccountToken } from "./account-tokens";
import { hasMarkup, limitedText } from "~/domain/text";
import { requireStaff, staffCoversPerson, staffCoversZone, type Actor } from "./permissions";
import { staffPeopleScope, staffZoneScope } from "./zone-scope";

/** A person's name as staff type it: one line, no control character, no markup; size first. */
export const personName = (max: number) =>
  limitedText(max, "form.tooLong", { oneLine: "form.nameOneLine" })
    .min(1, "form.required")
    .refine((v) => !hasMarkup(v), "form.noMarkup");

/** The "add a member" form, used by the action and the domain. Messages are catalogue keys. */
export const newMemberSchema = z.object({
  role: z.enum(roles, { error: "form.invalidChoice" }),
  firstName: personName(60),
  lastName: personName(80),
  email: limitedText(254, "form.tooLong").toLowerCase().pipe(z.email({ error: "form.invalidEmail" })),
  zoneId: z.uuid({ error: "members.zoneRequired" }),
  locale: z.enum(locales, { error: "form.invalidChoice" }).default("fr"),
  coachId: z.union([z.literal(""), z.uuid({ error: "members.notCoach" })]).optional(),
});
export type NewMember = z.infer<typeof newMemberSchema>;

export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issue.message;
  }
  return errors;
}

/** The zones a staff member works in: their own, or every zone for the national team. */
export async function listZones(db: Db, actorOrNull: Actor | null) {
  const actor = requireStaff(actorOrNull);
  return db
    .select({ id: zones.id, name: zones.name })
    .from(zones)
    .where(actor.zoneId ? eq(zones.id, actor.zoneId) : undefined)
    .orderBy(asc(zones.name));
}

function invitationEmail(services: Services, member: { email: string; firstName: string; role: Role; locale: Locale; id: string }, token: string) {
  const t = translator(member.locale);
  return {
    to: member.email,
    toUserId: member.id,
    locale: member.locale,
    template: "invitation",
    ...renderEmail(member.locale, "email.invitation.subject", "email.invitation.body", {
      firstName: member.firstName,
      role: t(`role.${member.role}`),
      link: `${services.config.publicUrl}/mot-de-passe/${token}`,
    }),
  };
}

/** Staff create an account; the person receives an invitation to choose their password. */
export async function createMember(services: Services, actorOrNull: Actor | null, input: unknown): Promise<{ id: string }> {
  const actor = requireStaff(actorOrNull);
  const parsed = newMemberSchema.safeParse(input);
  if (!parsed.success) throw new AppError("INVALID", "form.errorSummary", fieldErrorsOf(parsed.error));
  const member = parsed.data;
  const outboxIds: string[] = [];
  const result = await services.db.transaction(async (tx) => {
    const [zone] = await tx.select({ id: zones.id }).from(zones).where(eq(zones.id, member.zoneId)).limit(1);
    if (!zone || !staffCoversZone(actor, zone.id)) throw new AppError("INVALID", "form.errorSummary", { zoneId: "members.zoneRequired" });
    const [taken] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${member.email}`).limit(1);
    if (taken) throw new AppError("CONFLICT", "form.errorSummary", { email: "members.emailTaken" });
    if (member.coachId && member.role !== "candidate") {
      throw new AppError("INVALID", "form.errorSummary", { coachId: "members.notCandidate" });
    }
    const [created] = await tx
      .insert(users)
      .values({
        email: member.email,
        firstName: member.firstName,
        lastName: member.lastName,
        role: member.role,
        zoneId: member.zoneId,
        locale: member.locale,
        createdById: actor.id,
      })
      .returning();
    await tx.insert(auditLog).values({
      actorId: actor.id,
      action: "member.created",
      subjectType: "user",
      subjectId: created!.id,
      details: { role: member.role },
    });
    const token = await issueAccountToken(tx, created!.id, "invitation");
    outboxIds.push(await writeToOutbox(tx, invitationEmail(services, created!, token)));
    if (member.coachId) await pairInTransaction(tx, actor, created!.id, member.coachId);
    return { id: created!.id };
  });
  await dispatchOutbox(services.queue, outboxIds);
  return result;
}

export async function resendInvitation(services: Services, actorOrNull: Actor | null, memberId: string): Promise<void> {
  const actor = requireStaff(actorOrNull);
  const member = await findMember(services.db, actor, memberId);
  if (!member) throw new AppError("NOT_FOUND", "notFound.title");
  // An account in use is not invited again: its owner resets their password themself.
  if (member.passwordHash) throw new AppError("CONFLICT", "members.alreadyActive");
  const outboxId = await services.db.transaction(async (tx) => {
    const token = await issueAccountToken(tx, member.id, "invitation");
    await tx.insert(auditLog).values({ actorId: actor.id, action: "member.invitation_resent", subjectType: "user", subjectId: member.id, details: { role: member.role } });
    return writeToOutbox(tx, invitationEmail(services, member, token));
  });
  await dispatchOutbox(services.queue, [outboxId]);
}

/** A member inside the staff member's boundary (decision 020), or null: the others do not exist for them. */
async function findMember(db: Db, actor: Actor, id: string) {
  if (!z.uuid().safeParse(id).success) return null;
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row && staffCoversPerson(actor, row) ? row : null;
}

async function pairInTransaction(tx: Db, actor: Actor, candidateId: string, coachId: string) {
  const [candidate] = await tx.select({ role: users.role }).from(users).where(eq(users.id, candidateId)).for("update");
  if (candidate?.role !== "candidate") throw new AppError("INVALID", "form.errorSummary", { coachId: "members.notCandidate" });
  const [coach] = await tx
    .select({ role: users.role, zoneId: users.zoneId })
    .from(users)
    .where(and(eq(users.id, coachId), isNull(users.deactivatedAt)));
  if (coach?.role !== "coach" || !staffCoversZone(actor, coach.zoneId)) throw new AppError("INVALID", "form.errorSummary", { coachId: "members.notCoach" });
  const [current] = await tx
    .select({ coachId: pairings.coachId })
    .from(pairings)
    .where(and(eq(pairings.candidateId, candidateId), isNull(pairings.endedAt)));
  if (current?.coachId === coachId) return; // already paired with this coach
  const now = new Date();
  const ended = await tx
    .update(pairings)
    .set({ endedAt: now, endedById: actor.id })
    .where(and(eq(pairings.candidateId, candidateId), isNull(pairings.endedAt)))
    .returning({ coachId: pairings.coachId });
  await tx.insert(pairings).values({ candidateId, coachId, startedById: actor.id, startedAt: now });
  await tx.insert(auditLog).values({
    actorId: actor.id,
    action: "pairing.started",
    subjectType: "user",
    subjectId: candidateId,
    details: { coachId, previousCoachId: ended[0]?.coachId ?? null },
  });
}

/** Pairs a candidate with a coach, ending any current pairing (re-pairing). Logged. */
export async function pairCandidate(services: Services, actorOrNull: Actor | null, candidateId: string, coachId: unknown) {
  const actor = requireStaff(actorOrNull);
  const parsedCoach = z.uuid().safeParse(coachId);
  if (!parsedCoach.success) throw new AppError("INVALID", "form.errorSummary", { coachId: "members.notCoach" });
  if (!(await findMember(services.db, actor, candidateId))) throw new AppError("NOT_FOUND", "notFound.title");
  await services.db.transaction((tx) => pairInTransaction(tx, actor, candidateId, parsedCoach.data));
}

export async function unpairCandidate(services: Services, actorOrNull: Actor | null, candidateId: string) {
  const actor = requireStaff(actorOrNull);
  if (!(await findMember(services.db, actor, candidateId))) throw new AppError("NOT_FOUND", "notFound.title");
  await services.db.transaction(async (tx) => {
    const ended = await tx
      .update(pairings)
      .set({ endedAt: new Date(), endedById: actor.id })
      .where(and(eq(pairings.candidateId, candidateId), isNull(pairings.endedAt)))
      .returning({ coachId: pairings.coachId });
    if (ended[0]) {
      await tx.insert(auditLog).values({
        actorId: actor.id,
        action: "pairing.ended",
        subjectType: "user",
        subjectId: candidateId,
        details: { coachId: ended[0].coachId },
      });
    }
  });
}

export const MEMBERS_PAGE_SIZE = 25;

export const memberFiltersSchema = z.object({
  q: z.string().trim().max(100).catch(""),
  role: z.enum(roles).optional().catch(undefined),
  zone: z.uuid().optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});
export type MemberFilters = z.infer<typeof memberFiltersSchema>;

const coach = alias(users, "coach");

/** Server-side search, filters and pagination: the list is never loaded whole. */
export async function listMembers(db: Db, actorOrNull: Actor | null, filters: MemberFilters) {
  const actor = requireStaff(actorOrNull);
  const conditions: SQL[] = [];
  const boundary = staffPeopleScope(actor);
  if (boundary) conditions.push(boundary);
  if (filters.q) {
    const pattern = `%${filters.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(
      or(ilike(users.email, pattern), ilike(users.lastName, pattern), ilike(users.firstName, pattern), ilike(sql`${users.firstName} || ' ' || ${users.lastName}`, pattern))!,
    );
  }
  if (filters.role) conditions.push(eq(users.role, filters.role));
  if (filters.zone) conditions.push(eq(users.zoneId, filters.zone));
  const where = conditions.length ? and(...conditions) : undefined;
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: users.id,
        firstName: users.firstName,
        lastName: users.lastName,
        email: users.email,
        role: users.role,
        zoneName: zones.name,
        active: sql<boolean>`${users.passwordHash} is not null`,
        coachFirstName: coach.firstName,
        coachLastName: coach.lastName,
      })
      .from(users)
      .leftJoin(zones, eq(zones.id, users.zoneId))
      .leftJoin(pairings, and(eq(pairings.candidateId, users.id), isNull(pairings.endedAt)))
      .leftJoin(coach, eq(coach.id, pairings.coachId))
      .where(where)
      .orderBy(desc(users.createdAt), asc(users.id))
      .limit(MEMBERS_PAGE_SIZE)
      .offset((filters.page - 1) * MEMBERS_PAGE_SIZE),
    db.select({ value: count() }).from(users).where(where),
  ]);
  return { rows, total: total?.value ?? 0 };
}

export async function getMemberDetail(db: Db, actorOrNull: Actor | null, memberId: string) {
  const actor = requireStaff(actorOrNull);
  const member = await findMember(db, actor, memberId);
  if (!member) throw new AppError("NOT_FOUND", "notFound.title");
  const starter = alias(users, "starter");
  const ender = alias(users, "ender");
  const pairingColumns = {
    id: pairings.id,
    candidateId: pairings.candidateId,
    startedAt: pairings.startedAt,
    endedAt: pairings.endedAt,
    coachId: coach.id,
    coachName: sql<string>`${coach.firstName} || ' ' || ${coach.lastName}`,
    candidateName: sql<string>`${users.firstName} || ' ' || ${users.lastName}`,
    startedBy: sql<string | null>`${starter.firstName} || ' ' || ${starter.lastName}`,
    endedBy: sql<string | null>`${ender.firstName} || ' ' || ${ender.lastName}`,
  };
  const history = await db
    .select(pairingColumns)
    .from(pairings)
    .innerJoin(coach, eq(coach.id, pairings.coachId))
    .innerJoin(users, eq(users.id, pairings.candidateId))
    .leftJoin(starter, eq(starter.id, pairings.startedById))
    .leftJoin(ender, eq(ender.id, pairings.endedById))
    .where(and(member.role === "coach" ? eq(pairings.coachId, member.id) : eq(pairings.candidateId, member.id), staffZoneScope(actor, users.zoneId)))
    .orderBy(desc(pairings.startedAt))
    .limit(200);
  const [zone] = member.zoneId ? await db.select({ name: zones.name }).from(zones).where(eq(zones.id, member.zoneId)) : [];
  const coaches =
    member.role === "candidate"
      ? await db
          .select({ id: users.id, firstName: users.firstName, lastName: users.lastName })
          .from(users)
          .where(and(eq(users.role, "coach"), isNull(users.deactivatedAt), member.zoneId ? eq(users.zoneId, member.zoneId) : staffZoneScope(actor, users.zoneId)))
          .orderBy(asc(users.lastName), asc(users.firstName))
          .limit(500)
      : [];
  return {
    member: {
      id: member.id,
      firstName: member.firstName,
      lastName: member.lastName,
      email: member.email,
      role: member.role,
      locale: member.locale,
      zoneName: zone?.name ?? null,
      active: member.passwordHash !== null,
    },
    currentPairing: member.role === "candidate" ? (history.find((p) => p.endedAt === null) ?? null) : null,
    followed: member.role === "coach" ? history.filter((p) => p.endedAt === null) : [],
    history,
    coaches,
  };
}

/** The coaches inside the staff member's boundary, for the "add a member" form. */
export async function listCoaches(db: Db, actorOrNull: Actor | null) {
  const actor = requireStaff(actorOrNull);
  return db
    .select({ id: users.id, firstName: users.firstName, lastName: users.lastName, zoneName: zones.name })
    .from(users)
    .leftJoin(zones, eq(zones.id, users.zoneId))
    .where(and(eq(users.role, "coach"), isNull(users.deactivatedAt), staffZoneScope(actor, users.zoneId)))
    .orderBy(asc(users.lastName), asc(users.firstName))
    .limit(1000);
}
