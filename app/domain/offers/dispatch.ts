import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { candidateOffers, offers, pairings, users } from "~/db/schema";
import { notify, type Notice } from "~/domain/notifications/notify";
import { oneClickLink } from "./one-click";

type Offer = typeof offers.$inferSelect;

/**
 * The key that makes an offer reach one person about one candidate once only, whatever the way
 * (dispatch on validation, a staff recommendation), the retries or a concurrent double click.
 */
export const offerNoticeKey = (offerId: string, candidateId: string, userId: string) => `offer-dispatch:${offerId}:${candidateId}:${userId}`;

/** Where an e-mail about an offer sends the candidate or the coach: straight to it. */
export const offerSpaceLink = (publicUrl: string, candidateId: string, offerId: string) => `${publicUrl}/espace/offres/${candidateId}/${offerId}`;

/**
 * What validation sets off, inside the transaction that validated the offer: `validatedAt`; for
 * an addressed offer, each addressed candidate and their current coach are told (and the rows get
 * `notifiedAt`, from which reminders count); the recruiter hears the offer is live. A public
 * offer reaches no candidate by itself: staff recommend it (matching.ts). Returns the outbox ids
 * to deliver after commit.
 */
export async function dispatchValidatedOffer(tx: Db, publicUrl: string, sessionSecret: string, offer: Offer, now = new Date()): Promise<string[]> {
  await tx.update(offers).set({ validatedAt: now, updatedAt: now }).where(eq(offers.id, offer.id));
  const notices: Notice[] = [];
  if (!offer.isPublic) {
    const rows = await tx
      .update(candidateOffers)
      .set({ notifiedAt: now })
      .where(and(eq(candidateOffers.offerId, offer.id), isNull(candidateOffers.notifiedAt)))
      .returning({ candidateId: candidateOffers.candidateId, channel: candidateOffers.channel });
    notices.push(...(await candidateNotices(tx, publicUrl, offer, rows.map((r) => r.candidateId), "addressed", sessionSecret)));
  }
  // An offer found elsewhere by a candidate has no recruiter who used LinkedOut: nobody to tell.
  if (offer.origin === "employer" && offer.recruiterEmail) notices.push(recruiterLiveNotice(publicUrl, offer));
  return notify(tx, notices);
}

/**
 * The candidate and their current coach, each with a link to the offer in the candidate's space.
 * The candidate's copy of an addressed offer also carries signed one-click links ("J'ai contacté
 * le recruteur", "Je suis intéressé·e") that need no sign-in; without the secret they fall back
 * to the space link, so the e-mail never shows a bare placeholder.
 */
export async function candidateNotices(
  tx: Db,
  publicUrl: string,
  offer: Offer,
  candidateIds: string[],
  kind: "addressed" | "recommended",
  sessionSecret?: string,
): Promise<Notice[]> {
  if (!candidateIds.length) return [];
  const candidates = await tx.select().from(users).where(and(inArray(users.id, candidateIds), isNull(users.deactivatedAt)));
  const coachRows = await tx
    .select({ candidateId: pairings.candidateId, coach: users })
    .from(pairings)
    .innerJoin(users, eq(users.id, pairings.coachId))
    .where(and(inArray(pairings.candidateId, candidateIds), isNull(pairings.endedAt), isNull(users.deactivatedAt)));
  const notices: Notice[] = [];
  for (const candidate of candidates) {
    const vars = {
      jobTitle: offer.jobTitle,
      company: offer.company,
      candidateName: `${candidate.firstName} ${candidate.lastName}`,
      message: offer.message || "—",
      link: offerSpaceLink(publicUrl, candidate.id, offer.id),
    };
    const oneClick = (action: "contacted" | "interested") => (sessionSecret ? oneClickLink(publicUrl, sessionSecret, candidate.id, offer.id, action) : vars.link);
    notices.push({
      to: { email: candidate.email, userId: candidate.id, locale: candidate.locale, firstName: candidate.firstName },
      template: `offer_${kind}`,
      subject: kind === "addressed" ? "email.offerAddressed.subject" : "email.offerRecommended.subject",
      body: kind === "addressed" ? "email.offerAddressed.body" : "email.offerRecommended.body",
      vars: kind === "addressed" ? { ...vars, contactedLink: oneClick("contacted"), interestedLink: oneClick("interested") } : vars,
      once: offerNoticeKey(offer.id, candidate.id, candidate.id),
    });
    for (const { coach } of coachRows.filter((row) => row.candidateId === candidate.id)) {
      notices.push({
        to: { email: coach.email, userId: coach.id, locale: coach.locale, firstName: coach.firstName },
        template: `offer_${kind}_coach`,
        subject: kind === "addressed" ? "email.offerAddressedCoach.subject" : "email.offerRecommendedCoach.subject",
        body: kind === "addressed" ? "email.offerAddressedCoach.body" : "email.offerRecommendedCoach.body",
        vars,
        once: offerNoticeKey(offer.id, candidate.id, coach.id),
      });
    }
  }
  return notices;
}

/**
 * "Your offer is live", once per submission (its group): an employer who listed three workplaces
 * gets one e-mail, not three. No private link: the recruiter has no account.
 */
function recruiterLiveNotice(publicUrl: string, offer: Offer): Notice {
  return {
    to: { email: offer.recruiterEmail, locale: offer.recruiterLocale, firstName: offer.recruiterName },
    template: "offer_live",
    subject: "email.offerLive.subject",
    body: offer.isPublic ? "email.offerLivePublic.body" : "email.offerLive.body",
    vars: { jobTitle: offer.jobTitle, company: offer.company, link: `${publicUrl}/employeurs` },
    once: `offer-live:${offer.groupId}`,
  };
}

/** The refusal and its reason, in the recruiter's language (one e-mail per submission and refusal). */
export function recruiterRefusedNotice(offer: Offer, reason: string): Notice {
  return {
    to: { email: offer.recruiterEmail, locale: offer.recruiterLocale, firstName: offer.recruiterName },
    template: "offer_refused",
    subject: "email.offerRefused.subject",
    body: "email.offerRefused.body",
    vars: { jobTitle: offer.jobTitle, company: offer.company, reason },
  };
}
