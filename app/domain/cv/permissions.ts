import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { pairings, users } from "~/db/schema";
import { staffCoversZone, type Actor } from "~/domain/accounts/permissions";
import type { CvRole } from "./cv-workflow";

/**
 * The role an actor plays on one candidate's CV, or null when they have none: the candidate
 * themself, their current coach, or staff whose zone holds the candidate (decision 020).
 * Everyone else may not even know the draft exists. Every private page and action on a
 * candidate — editor, versions, complete PDF, follow-ups of offers, employment — asks here.
 */
export async function roleOnCv(db: Db, actor: Actor | null, candidateId: string): Promise<CvRole | null> {
  if (!actor) return null;
  if (actor.role === "staff") {
    if (actor.zoneId === null) return "staff";
    const [candidate] = await db.select({ zoneId: users.zoneId }).from(users).where(eq(users.id, candidateId)).limit(1);
    return candidate && staffCoversZone(actor, candidate.zoneId) ? "staff" : null;
  }
  if (actor.role === "candidate") return actor.id === candidateId ? "candidate" : null;
  const [pairing] = await db
    .select({ id: pairings.id })
    .from(pairings)
    .where(and(eq(pairings.candidateId, candidateId), eq(pairings.coachId, actor.id), isNull(pairings.endedAt)))
    .limit(1);
  return pairing ? "coach" : null;
}

export const canSeeHistory = (role: CvRole | null) => role === "coach" || role === "staff";
