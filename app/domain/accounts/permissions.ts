import { AppError } from "~/http/app-error";
import type { SessionUser } from "./sessions";

/** The signed-in person acting; every domain function that changes something takes one. */
export type Actor = Pick<SessionUser, "id" | "role" | "zoneId" | "firstName" | "lastName" | "locale">;

export const isStaff = (actor: Actor | null): actor is Actor => actor?.role === "staff";

/** Staff pages answer "not found" to everyone else: they do not even reveal they exist. */
export function requireStaff(actor: Actor | null): Actor {
  if (!isStaff(actor)) throw new AppError("NOT_FOUND", "Page introuvable");
  return actor;
}

/**
 * A zone is a boundary (decision 020): staff with a zone see and act on the people of their zone
 * and the people of no zone; staff without a zone are the national team and see every zone.
 */
export const isNationalStaff = (actor: Actor | null): boolean => isStaff(actor) && actor.zoneId === null;

/** Whether a staff member's boundary holds someone (or something) of this zone. */
export function staffCoversZone(actor: Actor, zoneId: string | null): boolean {
  return actor.role === "staff" && (actor.zoneId === null || zoneId === null || zoneId === actor.zoneId);
}

/** One person inside the boundary: a zoneless staff member is national staff, outside every zone's reach. */
export function staffCoversPerson(actor: Actor, person: { zoneId: string | null; role: string }): boolean {
  if (person.role === "staff" && person.zoneId === null && actor.zoneId !== null) return false;
  return staffCoversZone(actor, person.zoneId);
}

export function canManageMembers(actor: Actor | null): boolean {
  return isStaff(actor);
}

/** A coach sees the candidates they follow now; staff those of their zone; a candidate sees themself. */
export function canViewCandidate(actor: Actor | null, candidate: { id: string; coachId: string | null; zoneId: string | null }): boolean {
  if (!actor) return false;
  if (actor.role === "staff") return staffCoversZone(actor, candidate.zoneId);
  if (actor.role === "candidate") return actor.id === candidate.id;
  return candidate.coachId !== null && candidate.coachId === actor.id;
}
