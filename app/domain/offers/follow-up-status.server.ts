import { and, count, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "~/db/client.server";
import { candidateOffers, checkIns, followUpStatuses, hires } from "~/db/schema";
import type { Actor } from "~/domain/accounts/permissions";
import { afterEmploymentChange, writeEmployment } from "~/domain/cv/cvs";
import { AppError } from "~/http/app-error";
import type { Services } from "~/services.server";
import { lockFollowUp, logFollowUp, requireFollowUpRole } from "./follow-up";
import { canMoveTo, revealsContact } from "./follow-up-workflow";

// Server-only (it changes the CV): kept apart from follow-up.ts, whose constants the pages use.

/**
 * Moves the follow-up along the state machine. "hired" is refused here: it goes through the hire
 * form (contract, dates). Leaving "hired" is for staff only: a hire also changed the CV.
 */
export async function setFollowUpStatus(services: Services, actor: Actor | null, candidateId: string, offerId: string, rawStatus: unknown) {
  const role = await requireFollowUpRole(services.db, actor, candidateId);
  const parsed = z.enum(followUpStatuses).safeParse(rawStatus);
  if (!parsed.success) throw new AppError("INVALID", "form.invalidChoice");
  const to = parsed.data;
  if (to === "hired") throw new AppError("CONFLICT", "followUp.refused.hireThroughForm");
  const undoneHireSlug = await services.db.transaction(async (tx) => {
    const current = await lockFollowUp(tx, candidateId, offerId);
    if (current.status === to) return null;
    if (!canMoveTo(current.status, to)) throw new AppError("CONFLICT", "followUp.refused.move");
    if (current.status === "hired" && role !== "staff") throw new AppError("CONFLICT", "followUp.refused.leaveHired");
    const now = new Date();
    const reveal = revealsContact(to) && current.contactRevealedAt === null;
    await tx
      .update(candidateOffers)
      .set({ status: to, statusChangedAt: now, ...(reveal ? { contactRevealedAt: now } : {}) })
      .where(and(eq(candidateOffers.candidateId, candidateId), eq(candidateOffers.offerId, offerId)));
    await logFollowUp(tx, actor!.id, candidateId, offerId, [{ change: "status", from: current.status, to }, ...(reveal ? [{ change: "contact_revealed" }] : [])]);
    return current.status === "hired" ? undoHire(tx, actor!.id, candidateId, offerId) : null;
  });
  if (undoneHireSlug) await afterEmploymentChange(services, undoneHireSlug, false);
}

/**
 * Staff take back a hire recorded by mistake: the hire and its check-ins go (a hire recorded
 * again later must not send every check-in twice), and the CV is back to "searching" unless
 * another hire remains. Returns the CV's slug when its employment changed.
 */
async function undoHire(tx: Db, actorId: string, candidateId: string, offerId: string): Promise<string | null> {
  const undone = await tx.select({ id: hires.id }).from(hires).where(and(eq(hires.candidateId, candidateId), eq(hires.offerId, offerId)));
  if (!undone.length) return null;
  const ids = undone.map((hire) => hire.id);
  await tx.delete(checkIns).where(inArray(checkIns.hireId, ids));
  await tx.delete(hires).where(inArray(hires.id, ids));
  const [left] = await tx.select({ value: count() }).from(hires).where(eq(hires.candidateId, candidateId));
  if ((left?.value ?? 0) > 0) return null;
  return writeEmployment(tx, actorId, candidateId, false, "");
}
