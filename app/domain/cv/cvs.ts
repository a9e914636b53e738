import { randomBytes } from "node:crypto";
import { and, asc, desc, eq, gt, inArray, isNull, ne, or } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import { limitedText } from "~/domain/text";
import type { Db } from "~/db/client.server";
import { auditLog, cvPhotos, cvs, cvTransitions, cvVersions, pairings, users, type CvStatus } from "~/db/schema";
import { requireStaff, type Actor } from "~/domain/accounts/permissions";
import { staffZoneScope } from "~/domain/accounts/zone-scope";
import { dispatchOutbox, writeToOutbox } from "~/domain/email/outbox";
import { shareEmploymentNews } from "~/domain/sharing/share-link-news";
import { renderEmail } from "~/emails/render";
import { AppError } from "~/http/app-error";
import { translator, type MessageKey } from "~/i18n";
import type { Services } from "~/services.server";
import { cvContentSchema, emptyCvContent, missingForSubmission, type CvContent } from "./content";
import { availableTransitions, cvTransitions as rules, refusalOf, type CvTransition } from "./cv-workflow";
import type { ConflictResolution, CvConflictView, CvField } from "./merge";

export type { CvConflictView } from "./merge";
import { canSeeHistory, roleOnCv } from "./permissions";
import type { ProcessedPhoto } from "./photos.server";
import { refreshPublicCv } from "./projection";

const frLabels = translator("fr");
export const businessLineLabel = (line: string) => frLabels(`businessLine.${line}` as MessageKey);

export function slugFor(firstName: string): string {
  const base =
    firstName
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 30) || "cv";
  return `${base}-${randomBytes(3).toString("hex")}`;
}

/** The CV of a candidate, created (empty draft) on first use. */
export async function ensureCv(tx: Db, candidateId: string) {
  const [existing] = await tx.select().from(cvs).where(eq(cvs.candidateId, candidateId)).limit(1);
  if (existing) return existing;
  const [candidate] = await tx.select({ firstName: users.firstName, role: users.role }).from(users).where(eq(users.id, candidateId));
  if (candidate?.role !== "candidate") throw new AppError("NOT_FOUND", "notFound.title");
  const [cv] = await tx
    .insert(cvs)
    .values({ candidateId, slug: slugFor(candidate.firstName) })
    .onConflictDoNothing({ target: cvs.candidateId })
    .returning();
  if (!cv) return (await tx.select().from(cvs).where(eq(cvs.candidateId, candidateId)))[0]!;
  const [version] = await tx.insert(cvVersions).values({ cvId: cv.id, revision: 0, content: emptyCvContent(), authorId: null }).returning();
  const [updated] = await tx.update(cvs).set({ currentVersionId: version!.id }).where(eq(cvs.id, cv.id)).returning();
  return updated!;
}

async function requireRole(db: Db, actor: Actor | null, candidateId: string) {
  if (!z.uuid().safeParse(candidateId).success) throw new AppError("NOT_FOUND", "notFound.title");
  const role = await roleOnCv(db, actor, candidateId);
  if (!role) throw new AppError("NOT_FOUND", "notFound.title");
  return role;
}

/** Everything the editor shows: content, revision, status and the comments of the workflow. */
export async function getCvForEditor(db: Db, actor: Actor | null, candidateId: string) {
  const role = await requireRole(db, actor, candidateId);
  const cv = await db.transaction((tx) => ensureCv(tx, candidateId));
  const [version] = await db.select().from(cvVersions).where(eq(cvVersions.id, cv.currentVersionId!));
  const [candidate] = await db.select({ firstName: users.firstName, lastName: users.lastName }).from(users).where(eq(users.id, candidateId));
  const actorUser = alias(users, "actor");
  const log = await db
    .select({
      transition: cvTransitions.transition,
      fromStatus: cvTransitions.fromStatus,
      toStatus: cvTransitions.toStatus,
      comment: cvTransitions.comment,
      createdAt: cvTransitions.createdAt,
      actorFirstName: actorUser.firstName,
    })
    .from(cvTransitions)
    .leftJoin(actorUser, eq(actorUser.id, cvTransitions.actorId))
    .where(eq(cvTransitions.cvId, cv.id))
    .orderBy(desc(cvTransitions.createdAt), desc(cvTransitions.id))
    .limit(50);
  const available = availableTransitions(cv, role);
  return {
    role,
    cv: { id: cv.id, slug: cv.slug, status: cv.status, revision: cv.revision, hasUnpublishedChanges: cv.currentVersionId !== cv.publishedVersionId && cv.publishedVersionId !== null, isPublished: cv.publishedVersionId !== null, employed: cv.employedAt !== null, employedUntil: cv.employedUntil },
    candidate: candidate!,
    content: version!.content,
    log,
    available,
    canSeeHistory: canSeeHistory(role),
  };
}

export type SaveResult = { revision: number };

/** A refused save: someone else saved in between, or a both-changed field still needs a choice. */
export class CvConflict extends AppError {
  readonly view: CvConflictView;
  constructor(view: CvConflictView, fieldErrors: Record<string, string> = {}) {
    super("CONFLICT", "cv.conflict", fieldErrors);
    this.view = view;
  }
}

const validRevision = (revision: number) => Number.isInteger(revision) && revision >= 0 && revision <= 2_147_483_647;

/** The conflict view of `mine` against the stored CV, starting from `baseRevision`. */
export async function describeConflict(db: Db, cv: { id: string; revision: number; currentVersionId: string | null }, actorId: string, baseRevision: number, mine: CvContent): Promise<CvConflictView> {
  const known = validRevision(baseRevision) && baseRevision <= cv.revision;
  const [base] = known ? await db.select({ content: cvVersions.content }).from(cvVersions).where(and(eq(cvVersions.cvId, cv.id), eq(cvVersions.revision, baseRevision))) : [];
  const [current] = await db.select({ content: cvVersions.content }).from(cvVersions).where(eq(cvVersions.id, cv.currentVersionId!));
  const [other] = await db
    .select({ firstName: users.firstName })
    .from(cvVersions)
    .innerJoin(users, eq(users.id, cvVersions.authorId))
    .where(and(eq(cvVersions.cvId, cv.id), gt(cvVersions.revision, known ? baseRevision : -1), ne(cvVersions.authorId, actorId)))
    .orderBy(desc(cvVersions.revision))
    .limit(1);
  return { baseRevision: base ? baseRevision : null, revision: cv.revision, otherName: other?.firstName ?? null, base: base?.content ?? null, theirs: current!.content, mine };
}

/** The conflict view for a form sent back with errors while a conflict is being settled. */
export async function conflictViewFor(db: Db, actor: Actor | null, candidateId: string, baseRevision: number, mine: CvContent): Promise<CvConflictView> {
  await requireRole(db, actor, candidateId);
  const cv = await db.transaction((tx) => ensureCv(tx, candidateId));
  return describeConflict(db, cv, actor!.id, baseRevision, mine);
}

/**
 * Saves a new version. `baseRevision` is the revision the editor started from: if someone else
 * saved in between, the save is refused with a `CvConflict` that carries both versions, so the
 * editor can merge them (decision 017); one's own autosaves in between are no conflict. A retry
 * names the revision it now builds on and, in `resolution`, a choice for each field both people
 * changed: "theirs" takes the value saved in that revision. A new `photo` (already processed) is
 * stored in the same transaction and becomes the version's photo; a refused save stores none.
 */
export async function saveCv(
  services: Services,
  actor: Actor | null,
  candidateId: string,
  baseRevision: number,
  input: unknown,
  photo?: Pick<ProcessedPhoto, "square400" | "large1200">,
  resolution?: ConflictResolution,
): Promise<SaveResult> {
  await requireRole(services.db, actor, candidateId);
  const parsed = cvContentSchema.safeParse(input);
  if (!parsed.success) throw new AppError("INVALID", "form.errorSummary", contentErrors(parsed.error));
  return services.db.transaction(async (tx) => {
    await ensureCv(tx, candidateId);
    const [cv] = await tx.select().from(cvs).where(eq(cvs.candidateId, candidateId)).for("update");
    if (!validRevision(baseRevision) || baseRevision > cv!.revision) throw new CvConflict(await describeConflict(tx, cv!, actor!.id, baseRevision, parsed.data));
    const [baseVersion] = await tx.select({ content: cvVersions.content }).from(cvVersions).where(and(eq(cvVersions.cvId, cv!.id), eq(cvVersions.revision, baseRevision)));
    const content = { ...parsed.data } as Record<CvField, unknown>;
    // "Prendre celle de X": the value saved in the revision this retry builds on.
    for (const field of resolution?.pending ?? []) if (baseVersion && resolution!.choices[field] === "theirs") content[field] = baseVersion.content[field];
    const unchosen = (resolution?.pending ?? []).filter((field) => !resolution!.choices[field]);
    if (cv!.revision !== baseRevision) {
      // Only someone else's save in between is a conflict: one's own autosave is not.
      const others = await tx
        .select({ id: cvVersions.id })
        .from(cvVersions)
        .where(and(eq(cvVersions.cvId, cv!.id), gt(cvVersions.revision, baseRevision), or(isNull(cvVersions.authorId), ne(cvVersions.authorId, actor!.id))))
        .limit(1);
      // A field still waiting for a choice holds one's own value: it is compared with the first base.
      const from = unchosen.length > 0 ? resolution!.conflictBase : baseRevision;
      if (others.length > 0) throw new CvConflict(await describeConflict(tx, cv!, actor!.id, from, content as CvContent));
    }
    if (unchosen.length > 0) {
      // Nothing is saved until each field changed on both sides has a choice: shown again, same base.
      const view = await describeConflict(tx, cv!, actor!.id, resolution!.conflictBase, content as CvContent);
      throw new CvConflict(view, Object.fromEntries(unchosen.map((field) => [`choice.${field}`, "cv.chooseVersion"])));
    }
    const revision = cv!.revision + 1;
    if (photo) {
      const [stored] = await tx.insert(cvPhotos).values({ cvId: cv!.id, square: photo.square400, large: photo.large1200 }).returning({ id: cvPhotos.id });
      content.photoId = stored!.id;
    }
    const [version] = await tx.insert(cvVersions).values({ cvId: cv!.id, revision, content: content as CvContent, authorId: actor!.id }).returning();
    await tx.update(cvs).set({ currentVersionId: version!.id, revision, updatedAt: new Date() }).where(eq(cvs.id, cv!.id));
    await tx.insert(auditLog).values({
      actorId: actor!.id,
      action: "cv.saved",
      subjectType: "cv",
      subjectId: cv!.id,
      details: { candidateId, revision, versionId: version!.id, ...(photo ? { photoId: content.photoId } : {}) },
    });
    if (cv!.status === "changes_requested") await logTransition(tx, cv!.id, "revise", "changes_requested", "draft", actor!.id, null);
    return { revision };
  });
}

/** Field errors keyed like the editor's inputs: "goals.0.job", "story"… */
export function contentErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) errors[issue.path.join(".") || "form"] ??= issue.message;
  return errors;
}

async function logTransition(tx: Db, cvId: string, transition: CvTransition, from: CvStatus, to: CvStatus, actorId: string, comment: string | null) {
  await tx.update(cvs).set({ status: to, updatedAt: new Date() }).where(eq(cvs.id, cvId));
  await tx.insert(cvTransitions).values({ cvId, transition, fromStatus: from, toStatus: to, actorId, comment });
}

const commentSchema = limitedText(2000, "form.tooLong");

/** Takes a workflow transition on the candidate's CV, logs it, e-mails the people concerned. */
export async function transitionCv(
  services: Services,
  actor: Actor | null,
  candidateId: string,
  transition: string,
  rawComment: unknown = "",
): Promise<CvStatus> {
  const role = await requireRole(services.db, actor, candidateId);
  if (!Object.hasOwn(rules, transition)) throw new AppError("INVALID", "form.invalidChoice");
  const name = transition as CvTransition;
  const comment = commentSchema.safeParse(typeof rawComment === "string" ? rawComment : "");
  if (!comment.success) throw new AppError("INVALID", "form.errorSummary", { comment: "form.tooLong" });
  if (name === "request_changes" && !comment.data) throw new AppError("INVALID", "form.errorSummary", { comment: "cv.commentRequired" });
  const outboxIds: string[] = [];
  const status = await services.db.transaction(async (tx) => {
    await ensureCv(tx, candidateId);
    const [cv] = await tx.select().from(cvs).where(eq(cvs.candidateId, candidateId)).for("update");
    const current = cv!;
    const refused = refusalOf(name, current, role);
    if (refused) throw new AppError("CONFLICT", refused);
    let to = rules[name].to;
    if (to === "previous") {
      const [hiding] = await tx
        .select({ from: cvTransitions.fromStatus })
        .from(cvTransitions)
        .where(and(eq(cvTransitions.cvId, current.id), eq(cvTransitions.transition, "hide")))
        .orderBy(desc(cvTransitions.id))
        .limit(1);
      to = (hiding?.from as CvStatus | undefined) ?? "published";
    }
    if (name === "submit") {
      const [version] = await tx.select({ content: cvVersions.content }).from(cvVersions).where(eq(cvVersions.id, current.currentVersionId!));
      const missing = missingForSubmission(version!.content);
      if (missing.length) throw new AppError("INVALID", "cv.incomplete", Object.fromEntries(missing.map((m) => [m, "cv.requiredToSubmit"])));
    }
    if (name === "submit") {
      await tx.update(cvs).set({ submittedVersionId: current.currentVersionId }).where(eq(cvs.id, current.id));
    }
    if (name === "publish") {
      // What staff reviewed: the submitted version (saves after it wait for the next review), or,
      // back from "unpublished", the version that was public before.
      const version = current.status === "submitted" ? current.submittedVersionId : current.publishedVersionId;
      if (!version) throw new AppError("CONFLICT", "cv.refused.publish");
      await tx.update(cvs).set({ publishedVersionId: version, submittedVersionId: null, publishedAt: new Date() }).where(eq(cvs.id, current.id));
    }
    await logTransition(tx, current.id, name, current.status, to, actor!.id, comment.data || null);
    await refreshPublicCv(tx, current.id, businessLineLabel);
    outboxIds.push(...(await notify(tx, services, name, current, comment.data)));
    return to;
  });
  await dispatchOutbox(services.queue, outboxIds);
  const [changed] = await services.db.select({ slug: cvs.slug }).from(cvs).where(eq(cvs.candidateId, candidateId));
  if (changed) services.onPublicCvChanged?.(changed.slug);
  return status;
}

/** Who hears of a transition: zone staff on submission; candidate and coach on publication and changes. */
async function notify(tx: Db, services: Services, transition: CvTransition, cv: typeof cvs.$inferSelect, comment: string): Promise<string[]> {
  const templates: Partial<Record<CvTransition, { subject: MessageKey; body: MessageKey; to: "staff" | "pair" }>> = {
    submit: { subject: "email.cvSubmitted.subject", body: "email.cvSubmitted.body", to: "staff" },
    publish: { subject: "email.cvPublished.subject", body: "email.cvPublished.body", to: "pair" },
    request_changes: { subject: "email.cvChanges.subject", body: "email.cvChanges.body", to: "pair" },
  };
  const template = templates[transition];
  if (!template) return [];
  const [candidate] = await tx.select().from(users).where(eq(users.id, cv.candidateId));
  let recipients: (typeof users.$inferSelect)[];
  if (template.to === "staff") {
    recipients = await tx
      .select()
      .from(users)
      .where(and(eq(users.role, "staff"), candidate!.zoneId ? eq(users.zoneId, candidate!.zoneId) : undefined, isNull(users.deactivatedAt)))
      .orderBy(asc(users.createdAt))
      .limit(50);
  } else {
    const coachIds = (
      await tx
        .select({ coachId: pairings.coachId })
        .from(pairings)
        .where(and(eq(pairings.candidateId, cv.candidateId), isNull(pairings.endedAt)))
    ).map((p) => p.coachId);
    const coaches = coachIds.length ? await tx.select().from(users).where(inArray(users.id, coachIds)) : [];
    recipients = [candidate!, ...coaches];
  }
  const ids: string[] = [];
  for (const person of recipients) {
    const link =
      template.to !== "staff" && transition === "publish"
          ? `${services.config.publicUrl}/cv/${cv.slug}`
          : `${services.config.publicUrl}/espace/cv/${cv.candidateId}`;
    ids.push(
      await writeToOutbox(tx, {
        to: person.email,
        toUserId: person.id,
        locale: person.locale,
        template: `cv_${transition}`,
        ...renderEmail(person.locale, template.subject, template.body, {
          firstName: person.firstName,
          candidateName: `${candidate!.firstName} ${candidate!.lastName}`,
          comment: comment || "—",
          link,
        }),
      }),
    );
  }
  return ids;
}

/** All versions, newest first (coach and staff), each saying whether it is the one the public sees. */
export async function listVersions(db: Db, actor: Actor | null, candidateId: string) {
  const role = await requireRole(db, actor, candidateId);
  if (!canSeeHistory(role)) throw new AppError("NOT_FOUND", "notFound.title");
  const [cv] = await db.select().from(cvs).where(eq(cvs.candidateId, candidateId));
  if (!cv) return { cv: null, versions: [] };
  const rows = await db
    .select({ id: cvVersions.id, revision: cvVersions.revision, createdAt: cvVersions.createdAt, authorFirstName: users.firstName, authorLastName: users.lastName })
    .from(cvVersions)
    .leftJoin(users, eq(users.id, cvVersions.authorId))
    .where(eq(cvVersions.cvId, cv.id))
    .orderBy(desc(cvVersions.revision))
    .limit(500);
  // Public only while the CV is visible; a hidden or unpublished CV's last published version is still marked.
  return { cv, versions: rows.map((v) => ({ ...v, published: v.id === cv.publishedVersionId })) };
}

/**
 * A photo of one of the candidate's CV versions (the square one), for whoever may read that CV:
 * the versions page shows the photos of unpublished versions too. Another CV's photo id is "not found".
 */
export async function getCvPhoto(db: Db, actor: Actor | null, candidateId: string, photoId: string) {
  await requireRole(db, actor, candidateId);
  if (!z.uuid().safeParse(photoId).success) throw new AppError("NOT_FOUND", "notFound.title");
  const [photo] = await db
    .select({ id: cvPhotos.id, square: cvPhotos.square })
    .from(cvPhotos)
    .innerJoin(cvs, eq(cvs.id, cvPhotos.cvId))
    .where(and(eq(cvPhotos.id, photoId), eq(cvs.candidateId, candidateId)))
    .limit(1);
  if (!photo) throw new AppError("NOT_FOUND", "notFound.title");
  return photo;
}

export async function getVersion(db: Db, actor: Actor | null, candidateId: string, revision: number) {
  const { cv } = await listVersions(db, actor, candidateId);
  if (!cv || !Number.isInteger(revision)) throw new AppError("NOT_FOUND", "notFound.title");
  const [version] = await db.select().from(cvVersions).where(and(eq(cvVersions.cvId, cv.id), eq(cvVersions.revision, revision)));
  if (!version) throw new AppError("NOT_FOUND", "notFound.title");
  return version;
}

export type SectionChange = { [K in keyof CvContent]: { section: K; before: CvContent[K]; after: CvContent[K] } }[keyof CvContent];

/**
 * The sections that changed between two versions, with both values as they are stored (codes,
 * photo ids): the page shows them in words and pictures (`app/ui/cv-section-value.tsx`).
 */
export function diffContents(before: CvContent, after: CvContent): SectionChange[] {
  const emptyContent = emptyCvContent();
  return (Object.keys(emptyContent) as (keyof CvContent)[])
    .filter((section) => JSON.stringify(before[section] ?? emptyContent[section]) !== JSON.stringify(after[section] ?? emptyContent[section]))
    .map((section) => ({ section, before: before[section] ?? emptyContent[section], after: after[section] ?? emptyContent[section] }) as SectionChange);
}


/** The staff queue: CVs sent for review, oldest first. */
export async function listCvsToReview(db: Db, actorOrNull: Actor | null) {
  const actor = requireStaff(actorOrNull);
  return db
    .select({ candidateId: cvs.candidateId, firstName: users.firstName, lastName: users.lastName, updatedAt: cvs.updatedAt })
    .from(cvs)
    .innerJoin(users, eq(users.id, cvs.candidateId))
    .where(and(eq(cvs.status, "submitted"), staffZoneScope(actor, users.zoneId)))
    .orderBy(asc(cvs.updatedAt))
    .limit(100);
}

const employmentSchema = z.object({
  employed: z.boolean(),
  until: z.union([z.literal(""), z.iso.date({ error: "cv.invalidDate" })]).default(""),
});

/**
 * "A retrouvé un emploi" (optionally "en emploi jusqu'au …"), or back to searching. Staff and the
 * coach record it; the CV leaves the gallery by default; logged like a transition.
 */
export async function setEmployment(services: Services, actor: Actor | null, candidateId: string, input: unknown): Promise<void> {
  const role = await requireRole(services.db, actor, candidateId);
  if (role === "candidate") throw new AppError("NOT_FOUND", "notFound.title");
  const parsed = employmentSchema.safeParse(input);
  if (!parsed.success) throw new AppError("INVALID", "form.errorSummary", { until: "cv.invalidDate" });
  const { employed, until } = parsed.data;
  const slug = await services.db.transaction((tx) => writeEmployment(tx, actor!.id, candidateId, employed, until));
  await afterEmploymentChange(services, slug, employed);
}

/**
 * The heart of setEmployment, inside the caller's transaction (a hire records it with the rest):
 * updates the CV, logs it like a transition and refreshes the public projection. Returns the slug
 * for `afterEmploymentChange`, to call after commit.
 */
export async function writeEmployment(tx: Db, actorId: string, candidateId: string, employed: boolean, until: string): Promise<string> {
  const cv = await ensureCv(tx, candidateId);
  await tx
    .update(cvs)
    .set({ employedAt: employed ? (cv.employedAt ?? new Date()) : null, employedUntil: employed && until ? until : null, updatedAt: new Date() })
    .where(eq(cvs.id, cv.id));
  await tx.insert(cvTransitions).values({
    cvId: cv.id,
    transition: employed ? "employed" : "searching",
    fromStatus: cv.status,
    toStatus: cv.status,
    actorId,
    comment: employed && until ? until : null,
  });
  await refreshPublicCv(tx, cv.id, businessLineLabel);
  return cv.slug;
}

/** After the employment change committed: drop cached pages, and tell the sharers. */
export async function afterEmploymentChange(services: Services, slug: string, employed: boolean): Promise<void> {
  services.onPublicCvChanged?.(slug);
  if (employed) await shareEmploymentNews(services, slug); // tells confirmed sharers, once per job
}
