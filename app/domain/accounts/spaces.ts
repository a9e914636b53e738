import { and, asc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "~/db/client.server";
import { pairings, users } from "~/db/schema";
import { AppError } from "~/http/app-error";
import { canViewCandidate, type Actor } from "./permissions";

/** The coach of a candidate, as the candidate sees them (first name and last name). */
export async function currentCoachOf(db: Db, candidateId: string) {
  const [row] = await db
    .select({ id: users.id, firstName: users.firstName, lastName: users.lastName, email: users.email, since: pairings.startedAt })
    .from(pairings)
    .innerJoin(users, eq(users.id, pairings.coachId))
    .where(and(eq(pairings.candidateId, candidateId), isNull(pairings.endedAt)))
    .limit(1);
  return row ?? null;
}

export async function candidatesFollowedBy(db: Db, coachId: string) {
  return db
    .select({ id: users.id, firstName: users.firstName, lastName: users.lastName, since: pairings.startedAt })
    .from(pairings)
    .innerJoin(users, eq(users.id, pairings.candidateId))
    .where(and(eq(pairings.coachId, coachId), isNull(pairings.endedAt)))
    .orderBy(asc(users.firstName), asc(users.lastName))
    .limit(500);
}

/** A candidate's page in a coach's space; anyone who may not see it gets "not found". */
export async function getCandidateForActor(db: Db, actor: Actor | null, candidateId: string) {
  if (!z.uuid().safeParse(candidateId).success) throw new AppError("NOT_FOUND", "notFound.title");
  const [candidate] = await db
    .select({ id: users.id, firstName: users.firstName, lastName: users.lastName, email: users.email, role: users.role, zoneId: users.zoneId })
    .from(users)
    .where(eq(users.id, candidateId))
    .limit(1);
  if (!candidate || candidate.role !== "candidate") throw new AppError("NOT_FOUND", "notFound.title");
  const coach = await currentCoachOf(db, candidate.id);
  if (!canViewCandidate(actor, { id: candidate.id, coachId: coach?.id ?? null, zoneId: candidate.zoneId })) throw new AppError("NOT_FOUND", "notFound.title");
  return { candidate, coach };
}
