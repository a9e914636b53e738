import { and, asc, count, desc, eq, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { limitedText } from "~/domain/text";
import type { Db } from "~/db/client.server";
import { auditLog, cohortMembers, cohorts, cvs, publicCvs, users } from "~/db/schema";
import { fieldErrorsOf } from "~/domain/accounts/members";
import { requireStaff, type Actor } from "~/domain/accounts/permissions";
import { staffZoneScope } from "~/domain/accounts/zone-scope";
import { AppError } from "~/http/app-error";

const slugOf = (name: string) =>
  name
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);

export const newCohortSchema = z.object({
  name: limitedText(120, "cohorts.nameTooLong", { oneLine: "form.nameOneLine" }).min(1, "form.required"),
  description: limitedText(2000, "cohorts.descriptionTooLong").default(""),
});

const uuid = z.uuid();

/** Staff create a cohort; its address (/promo/:slug) comes from its name. */
export async function createCohort(db: Db, actorOrNull: Actor | null, input: unknown): Promise<{ id: string; slug: string }> {
  const actor = requireStaff(actorOrNull);
  const parsed = newCohortSchema.safeParse(input);
  if (!parsed.success) throw new AppError("INVALID", "form.errorSummary", fieldErrorsOf(parsed.error));
  const slug = slugOf(parsed.data.name);
  if (!slug) throw new AppError("INVALID", "form.errorSummary", { name: "cohorts.nameNeedsLetters" });
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(cohorts)
      .values({ slug, name: parsed.data.name, description: parsed.data.description, createdById: actor.id })
      .onConflictDoNothing()
      .returning({ id: cohorts.id, slug: cohorts.slug });
    if (!created) throw new AppError("CONFLICT", "form.errorSummary", { name: "cohorts.slugTaken" });
    await tx.insert(auditLog).values({ actorId: actor.id, action: "cohort.created", subjectType: "cohort", subjectId: created.id, details: { name: parsed.data.name } });
    return created;
  });
}

export async function listCohorts(db: Db, actorOrNull: Actor | null) {
  requireStaff(actorOrNull);
  return db
    .select({ id: cohorts.id, slug: cohorts.slug, name: cohorts.name, members: count(cohortMembers.cvId) })
    .from(cohorts)
    .leftJoin(cohortMembers, eq(cohortMembers.cohortId, cohorts.id))
    .groupBy(cohorts.id)
    .orderBy(desc(cohorts.createdAt));
}

/** One cohort for staff, with every member of their zone (published or not) and the CV's state. */
export async function getCohort(db: Db, actorOrNull: Actor | null, id: string) {
  const actor = requireStaff(actorOrNull);
  if (!uuid.safeParse(id).success) throw new AppError("NOT_FOUND", "Page introuvable");
  const [cohort] = await db.select({ id: cohorts.id, slug: cohorts.slug, name: cohorts.name, description: cohorts.description }).from(cohorts).where(eq(cohorts.id, id));
  if (!cohort) throw new AppError("NOT_FOUND", "Page introuvable");
  const members = await db
    .select({ cvId: cvs.id, slug: cvs.slug, status: cvs.status, firstName: users.firstName, lastName: users.lastName })
    .from(cohortMembers)
    .innerJoin(cvs, eq(cvs.id, cohortMembers.cvId))
    .innerJoin(users, eq(users.id, cvs.candidateId))
    .where(and(eq(cohortMembers.cohortId, id), staffZoneScope(actor, users.zoneId)))
    .orderBy(asc(users.firstName), asc(users.lastName));
  return { ...cohort, members };
}

/** The CV's slug, or its whole address (…/cv/slug), as staff paste it. */
const cvSlugIn = (value: unknown) => {
  const text = typeof value === "string" ? value.trim() : "";
  const match = /(?:\/cv\/)?([a-z0-9-]{1,60})\/?$/.exec(text);
  return match?.[1] ?? "";
};

/** A CV inside the staff member's zone (decision 020), by a condition on `cvs`; null when none. */
async function cvInBoundary(db: Db, actor: Actor, where: SQL) {
  const [cv] = await db
    .select({ id: cvs.id })
    .from(cvs)
    .innerJoin(users, eq(users.id, cvs.candidateId))
    .where(and(where, staffZoneScope(actor, users.zoneId)))
    .limit(1);
  return cv ?? null;
}

export async function addCohortMember(db: Db, actorOrNull: Actor | null, cohortId: string, input: { cv?: unknown }): Promise<void> {
  const actor = requireStaff(actorOrNull);
  const cohort = await getCohort(db, actorOrNull, cohortId);
  const slug = cvSlugIn(input.cv);
  const cv = slug ? await cvInBoundary(db, actor, eq(cvs.slug, slug)) : null;
  if (!cv) throw new AppError("INVALID", "form.errorSummary", { cv: "cohorts.cvUnknown" });
  await db.transaction(async (tx) => {
    const [added] = await tx.insert(cohortMembers).values({ cohortId: cohort.id, cvId: cv.id }).onConflictDoNothing().returning({ cvId: cohortMembers.cvId });
    if (added) await tx.insert(auditLog).values({ actorId: actor.id, action: "cohort.member_added", subjectType: "cohort", subjectId: cohort.id, details: { cvId: cv.id } });
  });
}

export async function removeCohortMember(db: Db, actorOrNull: Actor | null, cohortId: string, cvId: unknown): Promise<void> {
  const actor = requireStaff(actorOrNull);
  if (!uuid.safeParse(cohortId).success || typeof cvId !== "string" || !uuid.safeParse(cvId).success) throw new AppError("NOT_FOUND", "Page introuvable");
  if (!(await cvInBoundary(db, actor, eq(cvs.id, cvId)))) throw new AppError("NOT_FOUND", "Page introuvable");
  await db.transaction(async (tx) => {
    const removed = await tx
      .delete(cohortMembers)
      .where(and(eq(cohortMembers.cohortId, cohortId), eq(cohortMembers.cvId, cvId)))
      .returning({ cvId: cohortMembers.cvId });
    if (removed.length) await tx.insert(auditLog).values({ actorId: actor.id, action: "cohort.member_removed", subjectType: "cohort", subjectId: cohortId, details: { cvId } });
  });
}

/**
 * The public cohort page: its published CVs only (from public_cvs, never the private tables)
 * and its measured figures, summed over those CVs.
 */
export async function publicCohort(db: Db, slug: string) {
  if (!/^[a-z0-9-]{1,60}$/.test(slug)) return null;
  const [cohort] = await db.select({ id: cohorts.id, slug: cohorts.slug, name: cohorts.name, description: cohorts.description }).from(cohorts).where(eq(cohorts.slug, slug));
  if (!cohort) return null;
  const rows = await db
    .select({ card: publicCvs.card, views: publicCvs.views, shares: publicCvs.shares })
    .from(cohortMembers)
    .innerJoin(publicCvs, eq(publicCvs.cvId, cohortMembers.cvId))
    .where(eq(cohortMembers.cohortId, cohort.id))
    .orderBy(asc(publicCvs.employed), asc(sql`${publicCvs.card}->>'firstName'`));
  return {
    ...cohort,
    cvs: rows.map((row) => row.card),
    figures: {
      publishedCvs: rows.length,
      views: rows.reduce((sum, row) => sum + row.views, 0),
      shares: rows.reduce((sum, row) => sum + row.shares, 0),
    },
  };
}
