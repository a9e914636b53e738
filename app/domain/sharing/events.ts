import { count, eq, sql, type SQL } from "drizzle-orm";
import { isbot } from "isbot";
import type { Db } from "~/db/client.server";
import { declaredFigures, publicCvs, shareEvents, shareNetworks, viewEvents, type ShareNetwork } from "~/db/schema";
import { parisDay, prefixHash, visitorHash } from "./visitors";

export type Client = { ip: string; userAgent: string };

/**
 * At most this many new visitors a day from one address block (/24, /64) count for one CV (and,
 * for shares, one network): changing the User-Agent makes a new visitor hash, not a new address.
 * A few, so that a family or an office behind one address still counts as the people it is.
 */
export const PER_PREFIX_DAILY = 5;

export const isShareNetwork = (value: string): value is ShareNetwork => (shareNetworks as readonly string[]).includes(value);

/** Link-preview crawlers and other robots never count (LinkedIn, Facebook, WhatsApp, Slack, Google…). */
export function isRobot(userAgent: string): boolean {
  return !userAgent || isbot(userAgent) || /WhatsApp|facebookexternalhit|LinkedInBot|Slackbot|TelegramBot|Discordbot|Twitterbot|SkypeUriPreview|Googlebot|bingbot/i.test(userAgent);
}

async function publicCvId(db: Db, slug: string): Promise<{ cvId: string; firstName: string } | null> {
  if (!/^[a-z0-9-]{1,60}$/.test(slug)) return null;
  const [row] = await db
    .select({ cvId: publicCvs.cvId, firstName: sql<string>`${publicCvs.card}->>'firstName'` })
    .from(publicCvs)
    .where(eq(publicCvs.slug, slug))
    .limit(1);
  return row ?? null;
}

export { publicCvId as findSharedCv };

/** The event row of one visitor today, reduced to its daily pseudonyms. */
export function eventRow(secret: string, cvId: string, client: Client, shareLinkId: string | null, day = parisDay()): EventRow {
  return { cvId, day, visitorHash: visitorHash(secret, day, client.ip, client.userAgent), prefixHash: prefixHash(secret, day, client.ip), shareLinkId };
}

/**
 * Records a share intent (a click on a share button) once per visitor, CV, network and day,
 * attributed to the personal share link it came through (`shareLinkId`), if any.
 * Returns whether it counted. Robots never count.
 */
export async function recordShare(db: Db, secret: string, cvId: string, network: ShareNetwork, client: Client, shareLinkId: string | null = null): Promise<boolean> {
  if (isRobot(client.userAgent)) return false;
  const row = { ...eventRow(secret, cvId, client, shareLinkId), network };
  return (await recordEvents(db, { shares: [row] })).has(eventKey(row));
}

/**
 * Records a page view once per visitor per CV per day; `shareLinkId` (from `?via=CODE`, checked
 * with `shareLinkFor`) attributes it to a personal share link. Robots never count.
 */
export async function recordView(db: Db, secret: string, cvId: string, client: Client, shareLinkId: string | null = null): Promise<boolean> {
  if (isRobot(client.userAgent)) return false;
  const row = eventRow(secret, cvId, client, shareLinkId);
  return (await recordEvents(db, { views: [row] })).has(eventKey(row));
}

/** One event ready to be written: the visitor is already reduced to its daily pseudonym. */
export type EventRow = { cvId: string; day: string; visitorHash: string; prefixHash: string; shareLinkId: string | null; network?: ShareNetwork };

/** The identity de-duplication works on (the unique key of the table; a share always has a network). */
export const eventKey = (row: Pick<EventRow, "cvId" | "day" | "visitorHash" | "network">) => `${row.cvId} ${row.network ?? ""} ${row.day} ${row.visitorHash}`;

/**
 * A batch of views and shares in one statement (group commit): the rows new for their visitor
 * and day are inserted, and each CV's public counters are bumped by exactly the number of its
 * rows that went in, atomically. One statement for both tables also means one locker of the
 * `public_cvs` rows per process (two concurrent bumps could lock them in opposite orders).
 * Rows whose CV is no longer public are dropped, so the counters always equal the rows. A row
 * whose address block already brought `PER_PREFIX_DAILY` new visitors to this CV (and network)
 * today is dropped too, counting those of the same batch in arrival order.
 * Returns the keys (`eventKey`) of the rows that counted.
 */
export async function recordEvents(db: Db, batch: { views?: EventRow[]; shares?: EventRow[] }): Promise<Set<string>> {
  const views = batch.views ?? [];
  const shares = batch.shares ?? [];
  if (views.length + shares.length === 0) return new Set();
  // One JSON parameter per table rather than thousands of placeholders: the same on both engines.
  const json = (rows: EventRow[]) =>
    JSON.stringify(
      rows.map((r, order) => ({ cv_id: r.cvId, day: r.day, visitor_hash: r.visitorHash, prefix_hash: r.prefixHash, share_link_id: r.shareLinkId, network: r.network ?? null, ord: order })),
    );
  const cap = PER_PREFIX_DAILY;
  // New visitors only (a known one is a no-op either way), ranked within their block in the batch.
  const source = (rows: EventRow[], table: SQL, sameNetwork: (alias: string) => SQL) => sql`
    select * from (
      select x.*, row_number() over (partition by x.cv_id, x.network, x.day, x.prefix_hash order by x.ord) as rank
      from json_to_recordset(${json(rows)}::json) as x(cv_id uuid, network text, day text, visitor_hash text, prefix_hash text, share_link_id uuid, ord int)
      where exists (select 1 from public_cvs p where p.cv_id = x.cv_id)
        and not exists (select 1 from ${table} e where e.cv_id = x.cv_id and e.day = x.day and e.visitor_hash = x.visitor_hash and ${sameNetwork("x")})
    ) as ranked
    where ranked.rank + (select count(*) from ${table} e where e.cv_id = ranked.cv_id and e.day = ranked.day and e.prefix_hash = ranked.prefix_hash and ${sameNetwork("ranked")}) <= ${cap}`;
  const result = await db.execute<{ cv_id: string; network: ShareNetwork | null; day: string; visitor_hash: string }>(sql`
    with view_source as (${source(views, sql`view_events`, () => sql`true`)}),
    share_source as (${source(shares, sql`share_events`, (alias) => sql`e.network = ${sql.raw(alias)}.network`)}),
    new_views as (
      insert into view_events (cv_id, day, visitor_hash, prefix_hash, share_link_id) select cv_id, day, visitor_hash, prefix_hash, share_link_id from view_source
      on conflict do nothing returning cv_id, day, visitor_hash),
    new_shares as (
      insert into share_events (cv_id, network, day, visitor_hash, prefix_hash, share_link_id) select cv_id, network, day, visitor_hash, prefix_hash, share_link_id from share_source
      on conflict do nothing returning cv_id, network, day, visitor_hash),
    added as (
      select cv_id, sum(v)::int as views, sum(s)::int as shares
      from (select cv_id, 1 as v, 0 as s from new_views union all select cv_id, 0, 1 from new_shares) as rows group by cv_id),
    counted as (
      update public_cvs p set views = p.views + a.views, shares = p.shares + a.shares
      from added a where p.cv_id = a.cv_id returning p.cv_id)
    select cv_id, null::text as network, day, visitor_hash from new_views
    union all select cv_id, network, day, visitor_hash from new_shares`);
  return new Set(result.rows.map((r) => eventKey({ cvId: r.cv_id, network: r.network ?? undefined, day: r.day, visitorHash: r.visitor_hash })));
}

/** Views and shares by network of one CV (for the candidate, the coach and staff). */
export async function cvStats(db: Db, cvId: string) {
  const [[views], shares] = await Promise.all([
    db.select({ value: count() }).from(viewEvents).where(eq(viewEvents.cvId, cvId)),
    db.select({ network: shareEvents.network, value: count() }).from(shareEvents).where(eq(shareEvents.cvId, cvId)).groupBy(shareEvents.network),
  ]);
  const byNetwork = Object.fromEntries(shareNetworks.map((n) => [n, 0])) as Record<ShareNetwork, number>;
  for (const row of shares) byNetwork[row.network] = row.value;
  return { views: views?.value ?? 0, shares: shares.reduce((sum, row) => sum + row.value, 0), sharesByNetwork: byNetwork };
}

/** Measured totals only. Declared figures come back apart, labelled, and are never added in. */
export async function impactTotals(db: Db) {
  const [[views], shares, [published], declared] = await Promise.all([
    db.select({ value: count() }).from(viewEvents),
    db.select({ network: shareEvents.network, value: count() }).from(shareEvents).groupBy(shareEvents.network),
    db.select({ value: count() }).from(publicCvs),
    db.select({ label: declaredFigures.label, value: declaredFigures.value, source: declaredFigures.source }).from(declaredFigures).orderBy(declaredFigures.createdAt),
  ]);
  const sharesByNetwork = Object.fromEntries(shareNetworks.map((n) => [n, 0])) as Record<ShareNetwork, number>;
  for (const row of shares) sharesByNetwork[row.network] = row.value;
  return {
    views: views?.value ?? 0,
    shares: shares.reduce((sum, row) => sum + row.value, 0),
    sharesByNetwork,
    publishedCvs: published?.value ?? 0,
    declared,
  };
}

