import type { CvStatus } from "~/db/schema";
import type { MessageKey } from "~/i18n";

/**
 * The CV workflow as an explicit state machine. A transition names who may take it, from which
 * states, and the French message (i18n key) shown when it is refused.
 *
 * draft ──submit──▶ submitted ──publish──▶ published ──hide──▶ hidden ──show──▶ published
 *   ▲                   │                      │
 *   └─revise── changes_requested ◀─request_changes   └──unpublish──▶ unpublished ──submit──▶ submitted
 *
 * A published CV stays visible (its last published version) while a newer version is being
 * written and reviewed: visibility is `publishedVersionId` outside hidden/unpublished.
 */
export type CvTransition = "submit" | "request_changes" | "revise" | "publish" | "hide" | "show" | "unpublish";
export type CvRole = "candidate" | "coach" | "staff";

type Rule = { from: readonly CvStatus[]; to: CvStatus | "previous"; who: readonly CvRole[]; refused: MessageKey };

export const cvTransitions: Record<CvTransition, Rule> = {
  submit: { from: ["draft", "changes_requested", "published", "unpublished"], to: "submitted", who: ["coach", "staff"], refused: "cv.refused.submit" },
  request_changes: { from: ["submitted"], to: "changes_requested", who: ["staff"], refused: "cv.refused.requestChanges" },
  revise: { from: ["changes_requested"], to: "draft", who: ["candidate", "coach", "staff"], refused: "cv.refused.revise" },
  publish: { from: ["submitted", "unpublished"], to: "published", who: ["staff"], refused: "cv.refused.publish" },
  hide: { from: ["published", "submitted", "draft", "changes_requested"], to: "hidden", who: ["candidate", "coach", "staff"], refused: "cv.refused.hide" },
  show: { from: ["hidden"], to: "previous", who: ["candidate", "coach", "staff"], refused: "cv.refused.show" },
  // Only a CV that has been public can be unpublished (a draft has nothing to take down).
  unpublish: { from: ["published", "hidden", "submitted"], to: "unpublished", who: ["staff"], refused: "cv.refused.unpublish" },
};

export function canTake(transition: CvTransition, status: CvStatus, role: CvRole): boolean {
  const rule = cvTransitions[transition];
  return rule.from.includes(status) && rule.who.includes(role);
}

/** Public visibility: a published version exists and the CV is neither hidden nor unpublished. */
export function isPubliclyVisible(cv: { status: CvStatus; publishedVersionId: string | null }): boolean {
  return cv.publishedVersionId !== null && cv.status !== "hidden" && cv.status !== "unpublished";
}
