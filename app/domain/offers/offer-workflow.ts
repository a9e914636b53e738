import type { OfferStatus } from "~/db/schema";
import type { MessageKey } from "~/i18n";

/**
 * An offer's moderation as an explicit state machine (every move logged in offer_transitions).
 *
 *   pending ─validate─▶ validated ─archive─▶ archived ─restore─▶ pending
 *   held ───validate─▶ validated
 *   pending/held ─refuse (reason, e-mailed to the recruiter)─▶ refused ─archive─▶ archived
 *
 * `held` is what the form does with likely spam (honeypot, filled too fast, flood): it waits for
 * staff like `pending`, but is shown apart and never reaches a candidate unless validated.
 */
export type OfferTransition = "validate" | "refuse" | "archive" | "restore";

type Rule = { from: readonly OfferStatus[]; to: OfferStatus; refused: MessageKey };

export const offerTransitions: Record<OfferTransition, Rule> = {
  validate: { from: ["pending", "held"], to: "validated", refused: "offer.refused.validate" },
  refuse: { from: ["pending", "held"], to: "refused", refused: "offer.refused.refuse" },
  archive: { from: ["pending", "held", "validated", "refused"], to: "archived", refused: "offer.refused.archive" },
  restore: { from: ["archived"], to: "pending", refused: "offer.refused.restore" },
};

export function canTakeOfferTransition(transition: OfferTransition, status: OfferStatus): boolean {
  return offerTransitions[transition].from.includes(status);
}

/** Offers staff may still edit (a refused or archived one is history). */
export const isEditable = (status: OfferStatus) => status === "pending" || status === "held" || status === "validated";
