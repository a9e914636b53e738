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

/** What a transition's rule reads of the CV: its state, and whether a version is or was public. */
export type CvState = { status: CvStatus; publishedVersionId: string | null; currentVersionId: string | null };

type Rule = {
  from: readonly CvStatus[];
  to: CvStatus | "previous";
  who: readonly CvRole[];
  refused: MessageKey;
  /** A further condition on the CV, with its own refusal message. */
  only?: { when: (cv: CvState) => boolean; refused: MessageKey };
};

/** Hiding and unpublishing take down what the public sees: a CV never published has nothing to take down. */
const hasBeenPublic = { when: (cv: CvState) => cv.publishedVersionId !== null, refused: "cv.refused.neverPublished" } as const;

export const cvTransitions: Record<CvTransition, Rule> = {
  submit: {
    from: ["draft", "changes_requested", "published", "unpublished"],
    to: "submitted",
    who: ["coach", "staff"],
    refused: "cv.refused.submit",
    // A published CV goes back to review only with changes since its publication.
    only: { when: (cv) => cv.status !== "published" || cv.currentVersionId !== cv.publishedVersionId, refused: "cv.refused.nothingToSubmit" },
  },
  request_changes: { from: ["submitted"], to: "changes_requested", who: ["staff"], refused: "cv.refused.requestChanges" },
  revise: { from: ["changes_requested"], to: "draft", who: ["candidate", "coach", "staff"], refused: "cv.refused.revise" },
  publish: { from: ["submitted", "unpublished"], to: "published", who: ["staff"], refused: "cv.refused.publish" },
  hide: { from: ["published", "submitted", "draft", "changes_requested"], to: "hidden", who: ["candidate", "coach", "staff"], refused: "cv.refused.hide", only: hasBeenPublic },
  show: { from: ["hidden"], to: "previous", who: ["candidate", "coach", "staff"], refused: "cv.refused.show" },
  unpublish: { from: ["published", "hidden", "submitted"], to: "unpublished", who: ["staff"], refused: "cv.refused.unpublish", only: hasBeenPublic },
};

/** Why a transition may not be taken now (a catalogue key), or null when it may. */
export function refusalOf(transition: CvTransition, cv: CvState, role: CvRole): MessageKey | null {
  const rule = cvTransitions[transition];
  if (!rule.from.includes(cv.status) || !rule.who.includes(role)) return rule.refused;
  if (rule.only && !rule.only.when(cv)) return rule.only.refused;
  return null;
}

export const canTake = (transition: CvTransition, cv: CvState, role: CvRole): boolean => refusalOf(transition, cv, role) === null;

/** The buttons the editor shows: exactly the transitions this role may take from this state ("revise" happens by saving). */
export const availableTransitions = (cv: CvState, role: CvRole): CvTransition[] =>
  (Object.keys(cvTransitions) as CvTransition[]).filter((t) => t !== "revise" && canTake(t, cv, role));

/** Public visibility: a published version exists and the CV is neither hidden nor unpublished. */
export function isPubliclyVisible(cv: { status: CvStatus; publishedVersionId: string | null }): boolean {
  return cv.publishedVersionId !== null && cv.status !== "hidden" && cv.status !== "unpublished";
}
