import type { FollowUpStatus } from "~/db/schema";

/**
 * A candidate's follow-up of one offer:
 *
 *   to_process ─▶ contacted ─▶ interview ─▶ hired
 *        │             │            └──────▶ refused_after_interview
 *        └─────────────┴──────────────────▶ refused_before_interview
 *
 * Moving back one step is allowed (a mistaken click is mended, and logged). `hired` is recorded
 * through the hire form (contract, dates), not as a bare status change.
 */
export const nextStatuses: Record<FollowUpStatus, readonly FollowUpStatus[]> = {
  to_process: ["contacted", "refused_before_interview"],
  contacted: ["to_process", "interview", "refused_before_interview"],
  interview: ["contacted", "hired", "refused_after_interview"],
  hired: ["interview"],
  refused_before_interview: ["to_process", "contacted"],
  refused_after_interview: ["interview"],
};

export const canMoveTo = (from: FollowUpStatus, to: FollowUpStatus) => nextStatuses[from].includes(to);

/** Engaging with an offer shows the recruiter's contact. */
export const revealsContact = (status: FollowUpStatus) => status !== "to_process" && status !== "refused_before_interview";

/** Still waiting for an answer from the candidate's side (for reminders and "close the others"). */
export const isOpen = (status: FollowUpStatus) => status === "to_process" || status === "contacted" || status === "interview";
