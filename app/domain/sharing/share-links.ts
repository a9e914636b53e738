import { createHmac, randomBytes } from "node:crypto";
import { and, count, countDistinct, eq, notInArray, or, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Db } from "~/db/client.server";
import { cohortMembers, cohorts, offers, publicCvs, shareEvents, shareLinks, viewEvents } from "~/db/schema";
import { sha256 } from "~/domain/accounts/secrets";
import { AppError } from "~/http/app-error";
import { findSharedCv } from "./events";

const BASE32 = "abcdefghijkmnpqrstuvwxyz23456789"; // no l, o, 0, 1: easy to read aloud
const CODE_PATTERN = /^[a-z2-9]{8}$/;
const KEY_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export const isShareCode = (value: string | null | undefined): value is string => !!value && CODE_PATTERN.test(value);

function newCode(): string {
  return [...randomBytes(8)].map((byte) => BASE32[byte % 32]).join("");
}

/**
 * The secret key of a link's private page, derived from the server's secret and the public code
 * (256 bits, unguessable without the secret). Only its hash is stored, as for a random key; being
 * derived, it can be put again in a news e-mail to the confirmed address (see decision 008).
 */
export function shareLinkKey(secret: string, code: string): string {
  return createHmac("sha256", secret).update(`share-link-key:${code}`).digest("base64url");
}

/** The key of a stored link, when it can still be derived (not after a change of secret). */
export function keyOfStoredLink(secret: string, link: { code: string; keyHash: string }): string | null {
  const key = shareLinkKey(secret, link.code);
  return sha256(key) === link.keyHash ? key : null;
}

type Target = { cvId: string; cohortId?: never } | { cohortId: string; cvId?: never };

async function insertShareLink(db: Db, secret: string, target: Target): Promise<{ code: string; key: string }> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const code = newCode();
    const key = shareLinkKey(secret, code);
    const inserted = await db
      .insert(shareLinks)
      .values({ code, keyHash: sha256(key), cvId: target.cvId ?? null, cohortId: target.cohortId ?? null })
      .onConflictDoNothing()
      .returning({ id: shareLinks.id });
    if (inserted.length > 0) return { code, key };
  }
  throw new Error("Could not draw a free share code after 5 attempts");
}

/**
 * Anyone, without an account, gets their own link to a published CV: a short public code for
 * the link (/s/CODE) and a long secret key for their private page (/partage/KEY). Only the
 * key's hash is stored: the key is shown once, to the person who asked.
 */
export async function createShareLink(db: Db, secret: string, slug: string): Promise<{ code: string; key: string }> {
  const cv = await findSharedCv(db, slug);
  if (!cv) throw new AppError("NOT_FOUND", "Page introuvable");
  return insertShareLink(db, secret, { cvId: cv.cvId });
}

/** The same for a cohort page (/promo/:slug): what follows on its CVs is attributed to the link. */
export async function createCohortShareLink(db: Db, secret: string, cohortSlug: string): Promise<{ code: string; key: string }> {
  const cohort = await findCohort(db, cohortSlug);
  if (!cohort) throw new AppError("NOT_FOUND", "Page introuvable");
  return insertShareLink(db, secret, { cohortId: cohort.id });
}

export async function findCohort(db: Db, slug: string): Promise<{ id: string; slug: string; name: string } | null> {
  if (!/^[a-z0-9-]{1,60}$/.test(slug)) return null;
  const [row] = await db.select({ id: cohorts.id, slug: cohorts.slug, name: cohorts.name }).from(cohorts).where(eq(cohorts.slug, slug)).limit(1);
  return row ?? null;
}

/** Where /s/CODE leads: the CV's page while it is public, or the cohort's page. */
export async function shareLinkTarget(db: Db, code: string): Promise<{ path: string } | null> {
  if (!isShareCode(code)) return null;
  const [row] = await db
    .select({ cvSlug: publicCvs.slug, cohortSlug: cohorts.slug })
    .from(shareLinks)
    .leftJoin(publicCvs, eq(publicCvs.cvId, shareLinks.cvId))
    .leftJoin(cohorts, eq(cohorts.id, shareLinks.cohortId))
    .where(eq(shareLinks.code, code))
    .limit(1);
  if (row?.cvSlug) return { path: `/cv/${row.cvSlug}` };
  if (row?.cohortSlug) return { path: `/promo/${row.cohortSlug}` };
  return null;
}

/** The link is to this CV, or to a cohort this CV is (still) a member of. */
const linkCovers = (cvId: string | AnyPgColumn) =>
  or(
    eq(shareLinks.cvId, cvId),
    sql`exists (select 1 from ${cohortMembers} where ${cohortMembers.cohortId} = ${shareLinks.cohortId} and ${cohortMembers.cvId} = ${cvId})`,
  );

/**
 * The share link a `?via=CODE` names, if it is a link to this very CV or to a cohort that holds
 * it; anything else (unknown code, another CV's or cohort's code) is ignored, so attribution
 * cannot be pointed at the wrong link. The beacon and the share redirect call this before
 * recordView/recordShare.
 */
export async function shareLinkFor(db: Db, cvId: string, code: string | null | undefined): Promise<{ id: string; code: string } | null> {
  if (!isShareCode(code)) return null;
  const [row] = await db
    .select({ id: shareLinks.id, code: shareLinks.code })
    .from(shareLinks)
    .where(and(eq(shareLinks.code, code), linkCovers(cvId)))
    .limit(1);
  return row ?? null;
}

/** The same check by the CV's public slug, for the public page (which knows no CV id). */
export async function shareLinkOnPage(db: Db, slug: string, code: string | null | undefined): Promise<{ code: string } | null> {
  if (!isShareCode(code)) return null;
  const [row] = await db
    .select({ code: shareLinks.code })
    .from(shareLinks)
    .innerJoin(publicCvs, eq(publicCvs.slug, slug))
    .where(and(eq(shareLinks.code, code), linkCovers(publicCvs.cvId)))
    .limit(1);
  return row ?? null;
}

/** A `?via=CODE` on a cohort page: kept only when it is a link to that very cohort. */
export async function cohortShareLinkOnPage(db: Db, cohortId: string, code: string | null | undefined): Promise<{ code: string } | null> {
  if (!isShareCode(code)) return null;
  const [row] = await db
    .select({ code: shareLinks.code })
    .from(shareLinks)
    .where(and(eq(shareLinks.code, code), eq(shareLinks.cohortId, cohortId)))
    .limit(1);
  return row ?? null;
}

/**
 * What one personal link did, for whoever holds its key: views that came through it, shares
 * of shares, and whether the candidate (or how many of the cohort's candidates) found a job.
 * A wrong key is "not found".
 */
export async function shareLinkReport(db: Db, key: string) {
  if (!KEY_PATTERN.test(key)) throw new AppError("NOT_FOUND", "Page introuvable");
  const [link] = await db
    .select({
      id: shareLinks.id,
      code: shareLinks.code,
      card: publicCvs.card,
      cohortId: shareLinks.cohortId,
      createdAt: shareLinks.createdAt,
      email: shareLinks.email,
      emailConfirmedAt: shareLinks.emailConfirmedAt,
    })
    .from(shareLinks)
    .leftJoin(publicCvs, eq(publicCvs.cvId, shareLinks.cvId))
    .where(eq(shareLinks.keyHash, sha256(key)))
    .limit(1);
  if (!link) throw new AppError("NOT_FOUND", "Page introuvable");
  // Counted by link, not by CV: the figures stay after a CV leaves the cohort or is unpublished.
  const [[views], [shares], offersSent, cohort] = await Promise.all([
    db.select({ value: count() }).from(viewEvents).where(eq(viewEvents.shareLinkId, link.id)),
    db.select({ value: count() }).from(shareEvents).where(eq(shareEvents.shareLinkId, link.id)),
    offersThroughShareLink(db, link.id),
    link.cohortId ? cohortSummary(db, link.cohortId) : null,
  ]);
  return {
    code: link.code,
    createdAt: link.createdAt,
    // null once the CV is no longer public: the sharer still sees their figures, not the CV.
    cv: link.card ? { slug: link.card.slug, firstName: link.card.firstName, lastInitial: link.card.lastInitial, employment: link.card.employment } : null,
    cohort,
    views: views?.value ?? 0,
    shares: shares?.value ?? 0,
    offers: offersSent,
    news: link.email ? { email: link.email, confirmed: link.emailConfirmedAt !== null } : null,
  };
}

/** A cohort as its sharer sees it: name, address, and how many of its public CVs found a job. */
async function cohortSummary(db: Db, cohortId: string) {
  const [cohort] = await db.select({ slug: cohorts.slug, name: cohorts.name }).from(cohorts).where(eq(cohorts.id, cohortId));
  const [figures] = await db
    .select({ published: count(), employed: count(sql`case when ${publicCvs.employed} then 1 end`) })
    .from(cohortMembers)
    .innerJoin(publicCvs, eq(publicCvs.cvId, cohortMembers.cvId))
    .where(eq(cohortMembers.cohortId, cohortId));
  return { slug: cohort!.slug, name: cohort!.name, publishedCvs: figures?.published ?? 0, employed: figures?.employed ?? 0 };
}

/**
 * How many employers' offers came through one personal share link (a form sent for three
 * workplaces counts once). Held (likely spam) and refused offers are left out.
 */
export async function offersThroughShareLink(db: Db, shareLinkId: string): Promise<number> {
  const [row] = await db
    .select({ value: countDistinct(offers.groupId) })
    .from(offers)
    .where(and(eq(offers.shareLinkId, shareLinkId), notInArray(offers.status, ["held", "refused"])));
  return row?.value ?? 0;
}
