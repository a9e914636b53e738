import { randomUUID } from "node:crypto";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { candidateOffers, cohortMembers, cvs, offers, offerTransitions, publicCvs, shareLinks, zones, type Locale } from "~/db/schema";
import { deliver, notify } from "~/domain/notifications/notify";
import { departmentLabel } from "~/domain/reference/departments";
import { isShareCode } from "~/domain/sharing/share-links";
import { AppError } from "~/http/app-error";
import { translator, type MessageKey } from "~/i18n";
import type { Services } from "~/services.server";
import { offerFieldErrors, offerFormSchema, type OfferForm } from "./submission-schema";
import { floodCheck, spamSigns, type HeldReason } from "./submission-spam";

export { offerFormSchema, offerInputFromForm, type OfferForm } from "./submission-schema";

type SubmissionServices = Services & { sessionSecret: string };

export type SubmissionMeta = {
  /** The client's address: the flood limit counts per IP. */
  ip: string;
  /** The visitor's language: the recruiter's e-mails will be in it. */
  locale: Locale;
  /** `?via=CODE` of a personal share link the visitor arrived through, if any. */
  via?: unknown;
  /** The signed stamp of when the form was shown (see submission-spam.ts). */
  startedAt?: unknown;
  /** The honeypot field: people leave it empty. */
  honeypot?: unknown;
};

export type SubmissionResult = { groupId: string; offerIds: string[]; status: "pending" | "held"; heldReasons: HeldReason[] };

/**
 * An employer's offer from the public form: one offer per workplace sharing a `groupId`, the
 * addressed candidates' follow-up rows (not notified: staff validate first), the attribution to a
 * personal share link — all in one transaction. Likely spam is stored as "held", sends nothing,
 * and answers exactly like the rest. An invalid submission stores nothing.
 */
export async function submitOffer(services: SubmissionServices, input: unknown, meta: SubmissionMeta): Promise<SubmissionResult> {
  const parsed = offerFormSchema.safeParse(input);
  if (!parsed.success) throw new AppError("INVALID", "form.errorSummary", offerFieldErrors(parsed.error, (input ?? {}) as Record<string, unknown>));
  const offer = parsed.data;
  const addressed = await addressedCandidates(services.db, offer.candidates);
  if (addressed.length < offer.candidates.length) throw new AppError("INVALID", "form.errorSummary", { candidates: "offerForm.error.unknownCandidate" });

  const heldReasons = spamSigns(services.sessionSecret, { honeypot: meta.honeypot, stamp: meta.startedAt });
  // Counted only once the submission is valid, so a person correcting mistakes is never held.
  const flood = await floodCheck(services.db, meta.ip);
  if (flood === "refused") throw new AppError("RATE_LIMITED", "offerForm.tooMany");
  if (flood === "held") heldReasons.push("flood");
  const status = heldReasons.length > 0 ? "held" : "pending";
  const shareLinkId = await attributedShareLink(services.db, meta.via, offer.isPublicOffer ? null : addressed.map((c) => c.cvId));

  const groupId = randomUUID();
  const { offerIds, outboxIds } = await services.db.transaction(async (tx) => {
    const offerIds: string[] = [];
    for (const place of offer.places) {
      const [row] = await tx
        .insert(offers)
        .values({
          groupId,
          zoneId: await zoneOf(tx, place.department),
          status,
          heldReason: heldReasons.length > 0 ? heldReasons.join(",") : null,
          isPublic: offer.isPublicOffer,
          origin: "employer",
          company: offer.company,
          recruiterName: offer.recruiterName,
          recruiterPosition: offer.recruiterPosition,
          recruiterEmail: offer.email,
          recruiterPhone: offer.phone,
          recruiterLocale: meta.locale,
          jobTitle: offer.jobTitle,
          businessLine: offer.businessLine,
          description: offer.description,
          prerequisites: offer.prerequisites,
          contractType: offer.contractType,
          startDate: offer.startDate,
          endDate: offer.endDate,
          partTime: offer.partTime,
          hours: offer.hours,
          salary: offer.salary,
          drivingLicence: offer.drivingLicence,
          positions: offer.positions,
          department: place.department,
          address: place.address,
          message: offer.isPublicOffer ? "" : offer.message,
          shareLinkId,
        })
        .returning({ id: offers.id });
      offerIds.push(row!.id);
      await tx.insert(offerTransitions).values({ offerId: row!.id, fromStatus: null, toStatus: status, comment: heldReasons.join(",") || null });
      // Kept for held offers too: they name the addressees if staff validate. notifiedAt stays
      // null until then, and candidates see only validated offers.
      for (const candidate of addressed) {
        await tx.insert(candidateOffers).values({ offerId: row!.id, candidateId: candidate.candidateId, channel: "addressed", notifiedAt: null });
      }
    }
    // No e-mail for held offers: an address typed by a bot must not make us a spam relay.
    const outboxIds = status === "held" ? [] : await notify(tx, [receivedNotice(offer, meta.locale, groupId, addressed)]);
    return { offerIds, outboxIds };
  });
  await deliver(services.queue, outboxIds);
  return { groupId, offerIds, status, heldReasons };
}

function receivedNotice(offer: OfferForm, locale: Locale, groupId: string, addressed: { name: string }[]) {
  const t = translator(locale);
  const places = offer.places.map((place) => `- ${place.address} — ${departmentLabel(place.department)}`).join("\n");
  return {
    to: { email: offer.email, locale, firstName: offer.recruiterName },
    template: "offer_received",
    subject: "email.offerReceived.subject" as MessageKey,
    body: "email.offerReceived.body" as MessageKey,
    vars: {
      recruiterName: offer.recruiterName,
      company: offer.company,
      jobTitle: offer.jobTitle,
      contract: t(`contract.${offer.contractType}` as MessageKey),
      places,
      audience: offer.isPublicOffer ? t("email.offerReceived.toAll") : t("email.offerReceived.toSome", { names: addressed.map((c) => c.name).join(", ") }),
    },
    once: `offer-received:${groupId}`,
  };
}

/** The published CVs the offer is addressed to: unknown or unpublished slugs are missing here. */
async function addressedCandidates(db: Db, slugs: string[]) {
  if (slugs.length === 0) return [];
  const rows = await db
    .select({ cvId: publicCvs.cvId, candidateId: cvs.candidateId, card: publicCvs.card })
    .from(publicCvs)
    .innerJoin(cvs, eq(cvs.id, publicCvs.cvId))
    .where(inArray(publicCvs.slug, slugs));
  return rows.map((row) => ({ cvId: row.cvId, candidateId: row.candidateId, name: `${row.card.firstName} ${row.card.lastInitial}` }));
}

/** The zone whose departments hold the workplace (the oldest one first), or none: every staff sees it. */
async function zoneOf(tx: Db, department: string): Promise<string | null> {
  const [zone] = await tx
    .select({ id: zones.id })
    .from(zones)
    .where(sql`${zones.departments} @> array[${department}]::text[]`)
    .orderBy(asc(zones.createdAt), asc(zones.id))
    .limit(1);
  return zone?.id ?? null;
}

/**
 * The personal share link an offer is attributed to: for an addressed offer, a link to one of
 * its candidates' CVs or to a cohort holding one (as `shareLinkFor`); for a public offer, any
 * existing link. Anything else is ignored silently: attribution never blocks an offer.
 */
async function attributedShareLink(db: Db, via: unknown, cvIds: string[] | null): Promise<string | null> {
  if (typeof via !== "string" || !isShareCode(via)) return null;
  const covers =
    cvIds === null
      ? undefined
      : sql`(${inArray(shareLinks.cvId, cvIds)} or exists (select 1 from ${cohortMembers} where ${cohortMembers.cohortId} = ${shareLinks.cohortId} and ${inArray(cohortMembers.cvId, cvIds)}))`;
  const [link] = await db
    .select({ id: shareLinks.id })
    .from(shareLinks)
    .where(and(eq(shareLinks.code, via), covers))
    .limit(1);
  return link?.id ?? null;
}

