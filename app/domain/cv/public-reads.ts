import { and, asc, eq, ne, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "~/db/client.server";
import { cvs, publicCvs } from "~/db/schema";
import { departmentsOfRegion, regions, type RegionCode } from "~/domain/reference/departments";
import { businessLines, contractTypes } from "~/domain/reference/lists";
import type { PublicCv } from "./public-cv";

/** Public reads go through `public_cvs` only: the projection is the single source of public data. */
export async function findPublicCv(db: Db, slug: string): Promise<{ cv: PublicCv } | { gone: "unavailable" | "employed" } | null> {
  if (!/^[a-z0-9-]{1,60}$/.test(slug)) return null;
  const [row] = await db.select({ card: publicCvs.card }).from(publicCvs).where(eq(publicCvs.slug, slug)).limit(1);
  if (row) return { cv: row.card };
  const [known] = await db.select({ employedAt: cvs.employedAt }).from(cvs).where(eq(cvs.slug, slug)).limit(1);
  if (!known) return null;
  return { gone: known.employedAt ? "employed" : "unavailable" };
}

export const GALLERY_PAGE_SIZE = 12;

export const galleryFiltersSchema = z.object({
  q: z.string().trim().max(100).catch(""),
  metier: z.enum(businessLines).optional().catch(undefined),
  departement: z.string().regex(/^(\d{2,3}|2A|2B)$/).optional().catch(undefined),
  region: z.enum(Object.keys(regions) as [RegionCode, ...RegionCode[]]).optional().catch(undefined),
  contrat: z.enum(contractTypes).optional().catch(undefined),
  /** "Hide candidates already in work": on unless the query says tous=1. */
  tous: z.literal("1").optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(1000).catch(1),
  /** The visitor's shuffle seed: the order stays stable while they page through. */
  graine: z.coerce.number().int().min(0).max(2_147_483_647).optional().catch(undefined),
});
export type GalleryFilters = z.infer<typeof galleryFiltersSchema>;

function conditions(filters: GalleryFilters, without: { businessLine?: boolean; place?: boolean } = {}): SQL[] {
  const where: SQL[] = [];
  if (filters.q) where.push(sql`to_tsvector('linkedout_fr', ${publicCvs.searchText}) @@ websearch_to_tsquery('linkedout_fr', ${filters.q})`);
  if (filters.metier && !without.businessLine) where.push(sql`${publicCvs.businessLines} @> array[${filters.metier}]::text[]`);
  if (filters.departement && !without.place) where.push(sql`${publicCvs.departments} @> array[${filters.departement}]::text[]`);
  if (filters.region && !without.place) where.push(sql`${publicCvs.regions} @> array[${filters.region}]::text[]`);
  if (filters.contrat) where.push(sql`${publicCvs.contracts} @> array[${filters.contrat}]::text[]`);
  if (!filters.tous) where.push(eq(publicCvs.employed, false));
  return where;
}

/**
 * The gallery: fair exposure first (least viewed and least shared), shuffled among equals by the
 * visitor's seed so paging is stable; full-text search in French, accent-insensitive.
 */
export async function searchGallery(db: Db, filters: GalleryFilters, seed: number) {
  const where = conditions(filters);
  const rows = await db
    .select({ card: publicCvs.card })
    .from(publicCvs)
    .where(where.length ? and(...where) : undefined)
    .orderBy(asc(sql`${publicCvs.views} + 3 * ${publicCvs.shares}`), asc(sql`md5(${publicCvs.cvId}::text || ${String(seed)})`))
    .limit(GALLERY_PAGE_SIZE + 1)
    .offset((filters.page - 1) * GALLERY_PAGE_SIZE);
  return { cards: rows.slice(0, GALLERY_PAGE_SIZE).map((r) => r.card), hasMore: rows.length > GALLERY_PAGE_SIZE };
}

/** When nothing matches: the same search nearby (same region), then without the business line. */
export async function nearbySuggestions(db: Db, filters: GalleryFilters, seed: number) {
  const attempts: GalleryFilters[] = [];
  if (filters.departement) {
    const region = Object.keys(regions).find((r) => departmentsOfRegion(r as RegionCode).includes(filters.departement!)) as RegionCode | undefined;
    if (region) attempts.push({ ...filters, departement: undefined, region });
  }
  if (filters.metier) attempts.push({ ...filters, metier: undefined });
  if (filters.q) attempts.push({ ...filters, q: "" });
  for (const attempt of attempts) {
    const { cards } = await searchGallery(db, { ...attempt, page: 1 }, seed);
    if (cards.length) return cards.slice(0, 6);
  }
  return [];
}

/** A few other CVs to offer instead (least shared first). */
export async function otherCvs(db: Db, exceptSlug: string, limit = 3) {
  const rows = await db
    .select({ card: publicCvs.card })
    .from(publicCvs)
    .where(and(ne(publicCvs.slug, exceptSlug), eq(publicCvs.employed, false)))
    .orderBy(asc(sql`${publicCvs.views} + 3 * ${publicCvs.shares}`), asc(sql`random()`))
    .limit(limit);
  return rows.map((r) => r.card);
}
