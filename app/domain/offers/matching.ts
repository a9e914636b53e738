import { and, count, desc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "~/db/client.server";
import { auditLog, candidateOffers, cvs, offers, publicCvs, users } from "~/db/schema";
import { requireStaff, type Actor } from "~/domain/accounts/permissions";
import { staffZoneScope } from "~/domain/accounts/zone-scope";
import { deliver, notify } from "~/domain/notifications/notify";
import { department, departmentsOfRegion, regions as regionNames, type RegionCode } from "~/domain/reference/departments";
import { AppError } from "~/http/app-error";
import type { Services } from "~/services.server";
import { candidateNotices } from "./dispatch";
import { MATCH_POINTS, reasonsFor, type MatchReason } from "./match-reasons";

/**
 * Matching between public offers and published CVs, on the public projection only (`public_cvs`):
 * the trade (business line), the place (same department, else same region) and the contract.
 * The departments a CV names are where the person can work: a CV that names some fits only
 * offers there (or in their regions), whatever the trade; a CV that names none fits by trade.
 * The trade and the contract then rank. The same rule both ways: offers for a candidate, and
 * candidates for an offer.
 */
type OfferFit = { businessLine: string; department: string; contractType: string };

function fitSql(offer: OfferFit) {
  const region = department(offer.department)?.region ?? null;
  const trade = sql`${offer.businessLine} = any(${publicCvs.businessLines})`;
  const sameDepartment = sql`${offer.department} = any(${publicCvs.departments})`;
  const sameRegion = region ? sql`${region} = any(${publicCvs.regions})` : sql`false`;
  const contract = sql`${offer.contractType} = any(${publicCvs.contracts})`;
  const score = sql<number>`(case when ${trade} then ${MATCH_POINTS.businessLine} else 0 end
    + case when ${sameDepartment} then ${MATCH_POINTS.department} when ${sameRegion} then ${MATCH_POINTS.region} else 0 end
    + case when ${contract} then ${MATCH_POINTS.contract} else 0 end)::int`;
  const fits = sql`(case when cardinality(${publicCvs.departments}) = 0 then ${trade} else (${sameDepartment} or ${sameRegion}) end)`;
  return { score, fits };
}

export const MATCHES_PAGE_SIZE = 20;

export const matchFiltersSchema = z.object({
  employed: z.literal("1").optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(1000).catch(1),
});
export type MatchFilters = z.infer<typeof matchFiltersSchema>;

async function findOffer(db: Db, offerId: string) {
  if (!z.uuid().safeParse(offerId).success) throw new AppError("NOT_FOUND", "notFound.title");
  const [offer] = await db.select().from(offers).where(eq(offers.id, offerId));
  if (!offer) throw new AppError("NOT_FOUND", "notFound.title");
  return offer;
}

const matchable = (offer: typeof offers.$inferSelect) => offer.isPublic && offer.status === "validated";

/**
 * Staff: the published candidates a public validated offer fits, best first, with the reasons.
 * Employed candidates are left out unless asked for. Says which ones already have the offer.
 */
export async function rankCandidatesForOffer(db: Db, actorOrNull: Actor | null, offerId: string, filters: MatchFilters = { page: 1 }) {
  const actor = requireStaff(actorOrNull);
  const offer = await findOffer(db, offerId);
  if (!matchable(offer)) return { rows: [], total: 0, pageSize: MATCHES_PAGE_SIZE };
  const { score, fits } = fitSql(offer);
  const conditions: SQL[] = [fits, isNull(users.deactivatedAt)];
  const boundary = staffZoneScope(actor, users.zoneId);
  if (boundary) conditions.push(boundary);
  if (!filters.employed) conditions.push(eq(publicCvs.employed, false));
  const where = and(...conditions);
  const [rows, [total]] = await Promise.all([
    db
      .select({
        candidateId: cvs.candidateId,
        firstName: users.firstName,
        lastName: users.lastName,
        slug: publicCvs.slug,
        employed: publicCvs.employed,
        businessLines: publicCvs.businessLines,
        departments: publicCvs.departments,
        regions: publicCvs.regions,
        contracts: publicCvs.contracts,
        score,
        channel: candidateOffers.channel,
      })
      .from(publicCvs)
      .innerJoin(cvs, eq(cvs.id, publicCvs.cvId))
      .innerJoin(users, eq(users.id, cvs.candidateId))
      .leftJoin(candidateOffers, and(eq(candidateOffers.offerId, offer.id), eq(candidateOffers.candidateId, cvs.candidateId)))
      .where(where)
      .orderBy(desc(score), desc(publicCvs.publishedAt), users.id)
      .limit(MATCHES_PAGE_SIZE)
      .offset((filters.page - 1) * MATCHES_PAGE_SIZE),
    db
      .select({ value: count() })
      .from(publicCvs)
      .innerJoin(cvs, eq(cvs.id, publicCvs.cvId))
      .innerJoin(users, eq(users.id, cvs.candidateId))
      .where(where),
  ]);
  return {
    rows: rows.map(({ businessLines, departments, regions, contracts, ...row }) => ({
      ...row,
      reasons: reasonsFor(offer, { businessLines, departments, regions, contracts }),
    })),
    total: total?.value ?? 0,
    pageSize: MATCHES_PAGE_SIZE,
  };
}

export type OfferMatch = {
  id: string;
  jobTitle: string;
  company: string;
  department: string;
  contractType: string;
  businessLine: string;
  validatedAt: Date | null;
  score: number;
  reasons: MatchReason[];
};

/**
 * The public validated offers that fit a candidate's published CV, best first, with the reasons
 * (the candidate's space shows them). No permission check here: the caller has checked the
 * actor's role on this candidate (`roleOnCv`). A candidate without a published CV gets none.
 */
export async function matchingOffersFor(db: Db, candidateId: string, options: { limit?: number } = {}): Promise<OfferMatch[]> {
  if (!z.uuid().safeParse(candidateId).success) return [];
  const [cv] = await db
    .select({ businessLines: publicCvs.businessLines, departments: publicCvs.departments, regions: publicCvs.regions, contracts: publicCvs.contracts })
    .from(publicCvs)
    .innerJoin(cvs, eq(cvs.id, publicCvs.cvId))
    .where(eq(cvs.candidateId, candidateId));
  if (!cv) return [];
  const trade = cv.businessLines.length ? inArray(offers.businessLine, cv.businessLines) : sql`false`;
  const place = cv.departments.length ? inArray(offers.department, cv.departments) : sql`false`;
  // Same region: the offer's department is one of the departments of the CV's regions.
  const regionDepartments = cv.regions.flatMap((r) => (r in regionNames ? departmentsOfRegion(r as RegionCode) : []));
  const nearby = regionDepartments.length ? inArray(offers.department, regionDepartments) : sql`false`;
  const contract = cv.contracts.length ? inArray(offers.contractType, cv.contracts) : sql`false`;
  const score = sql<number>`(case when ${trade} then ${MATCH_POINTS.businessLine} else 0 end
    + case when ${place} then ${MATCH_POINTS.department} when ${nearby} then ${MATCH_POINTS.region} else 0 end
    + case when ${contract} then ${MATCH_POINTS.contract} else 0 end)::int`;
  const rows = await db
    .select({
      id: offers.id,
      jobTitle: offers.jobTitle,
      company: offers.company,
      department: offers.department,
      contractType: offers.contractType,
      businessLine: offers.businessLine,
      validatedAt: offers.validatedAt,
      score,
    })
    .from(offers)
    .where(and(eq(offers.status, "validated"), eq(offers.isPublic, true), cv.departments.length ? sql`(${place} or ${nearby})` : trade))
    .orderBy(desc(score), desc(offers.validatedAt), offers.id)
    .limit(Math.min(Math.max(options.limit ?? 20, 1), 100));
  return rows.map((row) => ({ ...row, reasons: reasonsFor(row, cv) }));
}

const recommendSchema = z.array(z.uuid()).min(1).max(200);

/**
 * Staff recommend a public validated offer to chosen candidates: each gets it in their space
 * (channel "recommended") and an e-mail, and so does their coach — only them. A candidate who
 * already has the offer is not told again.
 */
export async function recommendOffer(services: Services, actor: Actor | null, offerId: string, candidateIds: unknown): Promise<number> {
  const staff = requireStaff(actor);
  if (!z.uuid().safeParse(offerId).success) throw new AppError("NOT_FOUND", "notFound.title");
  const ids = recommendSchema.safeParse(candidateIds);
  if (!ids.success) throw new AppError("INVALID", "matching.chooseCandidates", { candidateIds: "matching.chooseCandidates" });
  const outboxIds = await services.db.transaction(async (tx) => {
    const [offer] = await tx.select().from(offers).where(eq(offers.id, offerId)).for("update");
    if (!offer) throw new AppError("NOT_FOUND", "notFound.title");
    if (!matchable(offer)) throw new AppError("CONFLICT", "matching.notMatchable");
    const candidates = await tx
      .select({ id: users.id })
      .from(users)
      .innerJoin(cvs, eq(cvs.candidateId, users.id))
      .innerJoin(publicCvs, eq(publicCvs.cvId, cvs.id))
      .where(and(inArray(users.id, [...new Set(ids.data)]), eq(users.role, "candidate"), isNull(users.deactivatedAt), staffZoneScope(staff, users.zoneId)));
    if (!candidates.length) throw new AppError("INVALID", "matching.chooseCandidates", { candidateIds: "matching.chooseCandidates" });
    const now = new Date();
    const inserted = await tx
      .insert(candidateOffers)
      .values(candidates.map((c) => ({ offerId: offer.id, candidateId: c.id, channel: "recommended" as const, notifiedAt: now })))
      .onConflictDoNothing()
      .returning({ candidateId: candidateOffers.candidateId });
    const told = inserted.map((r) => r.candidateId);
    if (told.length) {
      await tx.insert(auditLog).values({ actorId: staff.id, action: "offer.recommend", subjectType: "offer", subjectId: offer.id, details: { candidateIds: told } });
    }
    return notify(tx, await candidateNotices(tx, services.config.publicUrl, offer, told, "recommended"));
  });
  await deliver(services.queue, outboxIds);
  return outboxIds.length;
}
