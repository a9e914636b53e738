import { randomBytes } from "node:crypto";
import { and, count, eq } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { publicCvs, shareEvents, shareLinks, viewEvents } from "~/db/schema";
import { randomToken, sha256 } from "~/domain/accounts/secrets";
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
 * Anyone, without an account, gets their own link to a published CV: a short public code for
 * the link (/s/CODE) and a long secret key for their private page (/partage/KEY). Only the
 * key's hash is stored: the key is shown once, to the person who asked.
 */
export async function createShareLink(db: Db, slug: string): Promise<{ code: string; key: string }> {
  const cv = await findSharedCv(db, slug);
  if (!cv) throw new AppError("NOT_FOUND", "Page introuvable");
  for (let attempt = 0; attempt < 5; attempt++) {
    const code = newCode();
    const key = randomToken(32);
    const inserted = await db.insert(shareLinks).values({ code, keyHash: sha256(key), cvId: cv.cvId }).onConflictDoNothing().returning({ id: shareLinks.id });
    if (inserted.length > 0) return { code, key };
  }
  throw new Error("Could not draw a free share code after 5 attempts");
}

/** Where /s/CODE leads: the CV's slug, while the CV is public. */
export async function shareLinkTarget(db: Db, code: string): Promise<{ slug: string } | null> {
  if (!isShareCode(code)) return null;
  const [row] = await db
    .select({ slug: publicCvs.slug })
    .from(shareLinks)
    .innerJoin(publicCvs, eq(publicCvs.cvId, shareLinks.cvId))
    .where(eq(shareLinks.code, code))
    .limit(1);
  return row ?? null;
}

/**
 * The share link a `?via=CODE` names, if it is a link to this very CV; anything else (unknown
 * code, another CV's code) is ignored, so attribution cannot be pointed at the wrong link.
 * The beacon and the share redirect call this before recordView/recordShare.
 */
export async function shareLinkFor(db: Db, cvId: string, code: string | null | undefined): Promise<{ id: string; code: string } | null> {
  if (!isShareCode(code)) return null;
  const [row] = await db
    .select({ id: shareLinks.id, code: shareLinks.code })
    .from(shareLinks)
    .where(and(eq(shareLinks.code, code), eq(shareLinks.cvId, cvId)))
    .limit(1);
  return row ?? null;
}

/**
 * What one personal link did, for whoever holds its key: views that came through it, shares
 * of shares, and whether the candidate found a job. A wrong key is "not found".
 */
export async function shareLinkReport(db: Db, key: string) {
  if (!KEY_PATTERN.test(key)) throw new AppError("NOT_FOUND", "Page introuvable");
  const [link] = await db
    .select({ id: shareLinks.id, code: shareLinks.code, card: publicCvs.card, createdAt: shareLinks.createdAt, email: shareLinks.email, emailConfirmedAt: shareLinks.emailConfirmedAt })
    .from(shareLinks)
    .leftJoin(publicCvs, eq(publicCvs.cvId, shareLinks.cvId))
    .where(eq(shareLinks.keyHash, sha256(key)))
    .limit(1);
  if (!link) throw new AppError("NOT_FOUND", "Page introuvable");
  const [[views], [shares]] = await Promise.all([
    db.select({ value: count() }).from(viewEvents).where(eq(viewEvents.shareLinkId, link.id)),
    db.select({ value: count() }).from(shareEvents).where(eq(shareEvents.shareLinkId, link.id)),
  ]);
  return {
    code: link.code,
    createdAt: link.createdAt,
    // null once the CV is no longer public: the sharer still sees their figures, not the CV.
    cv: link.card ? { slug: link.card.slug, firstName: link.card.firstName, lastInitial: link.card.lastInitial, employment: link.card.employment } : null,
    views: views?.value ?? 0,
    shares: shares?.value ?? 0,
    news: link.email ? { email: link.email, confirmed: link.emailConfirmedAt !== null } : null,
  };
}

/** The same check by the CV's public slug, for the public page (which knows no CV id). */
export async function shareLinkOnPage(db: Db, slug: string, code: string | null | undefined): Promise<{ code: string } | null> {
  if (!isShareCode(code)) return null;
  const [row] = await db
    .select({ code: shareLinks.code })
    .from(shareLinks)
    .innerJoin(publicCvs, eq(publicCvs.cvId, shareLinks.cvId))
    .where(and(eq(shareLinks.code, code), eq(publicCvs.slug, slug)))
    .limit(1);
  return row ?? null;
}
