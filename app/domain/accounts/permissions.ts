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

export function canManageMembers(actor: Actor | null): boolean {
  return isStaff(actor);
}

/** A coach sees the candidates they follow now; staff see everyone; a candidate sees themself. */
export function canViewCandidate(actor: Actor | null, candidate: { id: string; coachId: string | null }): boolean {
  if (!actor) return false;
  if (actor.role === "staff") return true;
  if (actor.role === "candidate") return actor.id === candidate.id;
  return candidate.coachId !== null && candidate.coachId === actor.id;
}
