import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { pairings } from "~/db/schema";
import type { Actor } from "~/domain/accounts/permissions";
import type { CvRole } from "./cv-workflow";

/**
 * The role an actor plays on one candidate's CV, or null when they have none: the candidate
 * themself, their current coach, or staff. Everyone else may not even know the draft exists.
 */
export async function roleOnCv(db: Db, actor: Actor | null, candidateId: string): Promise<CvRole | null> {
  if (!actor) return null;
  if (actor.role === "staff") return "staff";
  if (actor.role === "candidate") return actor.id === candidateId ? "candidate" : null;
  const [pairing] = await db
    .select({ id: pairings.id })
    .from(pairings)
    .where(and(eq(pairings.candidateId, candidateId), eq(pairings.coachId, actor.id), isNull(pairings.endedAt)))
    .limit(1);
  return pairing ? "coach" : null;
}

export const canSeeHistory = (role: CvRole | null) => role === "coach" || role === "staff";
