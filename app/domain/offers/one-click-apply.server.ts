import { AppError } from "~/http/app-error";
import type { Services } from "~/services.server";
import { markInterested } from "./follow-up";
import { setFollowUpStatus } from "./follow-up-status.server";
import { candidateActor, readOneClickLink, type OneClickLink } from "./one-click";

// Server-only: applying a link may take back a hire, which changes the CV.

/**
 * The button: applies the link's action as the candidate and says what happened. "done" again is
 * harmless (nothing changes, nothing logged); a follow-up that moved on is left alone.
 */
export async function applyOneClickLink(services: Services, token: string, now = new Date()): Promise<OneClickLink & { changed?: boolean }> {
  const link = await readOneClickLink(services, token, now);
  if (link.state !== "open") return link;
  const actor = await candidateActor(services.db, link.candidateId);
  if (!actor) return { state: "invalid" };
  try {
    if (link.action === "interested") await markInterested(services, actor, link.candidateId, link.offerId);
    else await setFollowUpStatus(services, actor, link.candidateId, link.offerId, link.action === "contacted" ? "contacted" : "refused_before_interview");
  } catch (error) {
    // Moved on in between (a click on the signed-in page at the same moment): say so, change nothing more.
    if (error instanceof AppError && error.code === "CONFLICT") return { ...link, state: "moved_on" };
    if (error instanceof AppError && error.code === "NOT_FOUND") return { state: "invalid" };
    throw error;
  }
  const after = await readOneClickLink(services, token, now);
  return after.state === "done" ? { ...after, changed: true } : after;
}
