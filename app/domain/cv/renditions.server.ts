import { and, eq } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { cvRenditions, cvVersions, publicCvs, type RenditionKind } from "~/db/schema";
import { renderCvPdf } from "./pdf.server";
import { squarePhoto } from "./photo-store";
import { renderPreviewPng } from "./preview-image.server";
import type { PublicCv } from "./public-cv";

/**
 * The public preview image and public PDF of a CV. They are drawn from the public card only
 * (`public_cvs`), once per published version, then served from `cv_renditions`. A CV that is
 * not public (hidden, unpublished, unknown) has no renditions to serve: the lookup goes through
 * `public_cvs` every time, so hiding takes effect at once.
 */

export type PublicVersion = { cvId: string; versionId: string; card: PublicCv };

/** The public card of a slug and the version it shows, or null when the CV is not public. */
export async function findPublicVersion(db: Db, slug: string): Promise<PublicVersion | null> {
  if (!/^[a-z0-9-]{1,60}$/.test(slug)) return null;
  const [row] = await db
    .select({ cvId: publicCvs.cvId, versionId: publicCvs.versionId, card: publicCvs.card })
    .from(publicCvs)
    .where(eq(publicCvs.slug, slug))
    .limit(1);
  return row ?? null;
}

/** The stored rendition of this version, drawn and stored on first request. */
export async function renditionOf(db: Db, found: PublicVersion, kind: RenditionKind): Promise<Buffer> {
  const [cached] = await db
    .select({ bytes: cvRenditions.bytes })
    .from(cvRenditions)
    .where(and(eq(cvRenditions.versionId, found.versionId), eq(cvRenditions.kind, kind)))
    .limit(1);
  if (cached) return cached.bytes;
  const photo = await squarePhoto(db, found.cvId, await photoIdOf(db, found.versionId));
  // Public renditions are shared by every visitor: they are drawn in French, the product's language.
  const options = { photo, locale: "fr" as const };
  const bytes = kind === "preview" ? await renderPreviewPng(found.card, options) : await renderCvPdf(found.card, options);
  // Two first visitors may draw it at the same time: the first stored wins, both are the same.
  await db.insert(cvRenditions).values({ versionId: found.versionId, kind, bytes }).onConflictDoNothing();
  return bytes;
}

/** The photo of a published version (the card carries its URL, the version its id). */
async function photoIdOf(db: Db, versionId: string): Promise<string | null> {
  const [version] = await db.select({ content: cvVersions.content }).from(cvVersions).where(eq(cvVersions.id, versionId)).limit(1);
  return version?.content.photoId ?? null;
}
