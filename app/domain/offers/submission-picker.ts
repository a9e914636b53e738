import { and, asc, eq, inArray, notInArray, sql, type SQL } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { publicCvs } from "~/db/schema";
import type { PublicCv } from "~/domain/cv/public-cv";
import { businessLines, type BusinessLine } from "~/domain/reference/lists";
import { MAX_CANDIDATES } from "./submission-schema";

/** What the employer's picker shows of a candidate: public-safe, from the public projection only. */
export type PickerCandidate = Pick<PublicCv, "slug" | "firstName" | "lastInitial" | "goals">;

export const PICKER_SIZE = 10;

export type PickerQuery = { search?: unknown; businessLine?: unknown; chosen?: unknown[] };

const asSlugs = (values: unknown[] | undefined) =>
  [...new Set((values ?? []).filter((v): v is string => typeof v === "string" && /^[a-z0-9-]{1,60}$/.test(v)))].slice(0, MAX_CANDIDATES);

/**
 * The candidates the employer may address: the ones already chosen (or named by `?candidat=`)
 * first, then published CVs of people still looking, matching the search (French full text,
 * accent-insensitive) and the business line, least exposed first, at most PICKER_SIZE.
 */
export async function pickerCandidates(db: Db, query: PickerQuery) {
  const chosenSlugs = asSlugs(query.chosen);
  const search = typeof query.search === "string" ? query.search.trim().slice(0, 100) : "";
  const businessLine = businessLines.includes(query.businessLine as BusinessLine) ? (query.businessLine as BusinessLine) : undefined;
  const where: SQL[] = [eq(publicCvs.employed, false)];
  if (search) where.push(sql`to_tsvector('linkedout_fr', ${publicCvs.searchText}) @@ websearch_to_tsquery('linkedout_fr', ${search})`);
  if (businessLine) where.push(sql`${publicCvs.businessLines} @> array[${businessLine}]::text[]`);
  if (chosenSlugs.length) where.push(notInArray(publicCvs.slug, chosenSlugs));
  const [chosen, found] = await Promise.all([
    chosenSlugs.length ? db.select({ card: publicCvs.card }).from(publicCvs).where(inArray(publicCvs.slug, chosenSlugs)) : [],
    db
      .select({ card: publicCvs.card })
      .from(publicCvs)
      .where(and(...where))
      .orderBy(asc(sql`${publicCvs.views} + 3 * ${publicCvs.shares}`), asc(publicCvs.slug))
      .limit(PICKER_SIZE + 1),
  ]);
  const safe = ({ card }: { card: PublicCv }): PickerCandidate => ({ slug: card.slug, firstName: card.firstName, lastInitial: card.lastInitial, goals: card.goals });
  return {
    chosen: chosenSlugs.map((slug) => chosen.find((row) => row.card.slug === slug)).filter((row) => row !== undefined).map(safe),
    found: found.slice(0, PICKER_SIZE).map(safe),
    more: found.length > PICKER_SIZE,
    search,
    businessLine: businessLine ?? "",
  };
}
