import { count, eq, sql, type SQL } from "drizzle-orm";
import { isbot } from "isbot";
import type { Db } from "~/db/client.server";
import { declaredFigures, publicCvs, shareEvents, shareNetworks, viewEvents, type ShareNetwork } from "~/db/schema";
import { parisDay, visitorHash } from "./visitors";

export type Client = { ip: string; userAgent: string };

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

/**
 * Records a share intent (a click on a share button) once per visitor, CV, network and day,
 * attributed to the personal share link it came through (`shareLinkId`), if any.
 * Returns whether it counted.
 */
export async function recordShare(db: Db, secret: string, cvId: string, network: ShareNetwork, client: Client, shareLinkId: string | null = null): Promise<boolean> {
  return recordOnce(db, secret, client, (day, hash) => sql`
    insert into share_events (cv_id, network, day, visitor_hash, share_link_id)
    values (${cvId}, ${network}, ${day}, ${hash}, ${shareLinkId})
    on conflict do nothing returning cv_id`, sql`shares = shares + 1`);
}

/**
 * Records a page view once per visitor per CV per day; `shareLinkId` (from `?via=CODE`, checked
 * with `shareLinkFor`) attributes it to a personal share link.
 */
export async function recordView(db: Db, secret: string, cvId: string, client: Client, shareLinkId: string | null = null): Promise<boolean> {
  return recordOnce(db, secret, client, (day, hash) => sql`
    insert into view_events (cv_id, day, visitor_hash, share_link_id)
    values (${cvId}, ${day}, ${hash}, ${shareLinkId})
    on conflict do nothing returning cv_id`, sql`views = views + 1`);
}

/**
 * One statement (one round trip, atomic): the event, and the public counter only when the event
 * is new for this visitor today. Robots never count.
 */
async function recordOnce(db: Db, secret: string, client: Client, insert: (day: string, hash: string) => SQL, bump: SQL): Promise<boolean> {
  if (isRobot(client.userAgent)) return false;
  const day = parisDay();
  const result = await db.execute<{ counted: boolean }>(sql`
    with inserted as (${insert(day, visitorHash(secret, day, client.ip, client.userAgent))}),
    counted as (update public_cvs set ${bump} where cv_id in (select cv_id from inserted) returning cv_id)
    select exists (select 1 from inserted) as counted`);
  return result.rows[0]?.counted === true;
}

/** One event ready to be written: the visitor is already reduced to its daily pseudonym. */
export type EventRow = { cvId: string; day: string; visitorHash: string; shareLinkId: string | null; network?: ShareNetwork };

/** The identity de-duplication works on (the unique key of the table; a share always has a network). */
export const eventKey = (row: Pick<EventRow, "cvId" | "day" | "visitorHash" | "network">) => `${row.cvId} ${row.network ?? ""} ${row.day} ${row.visitorHash}`;

/**
 * A batch of views and shares in one statement (group commit): the rows new for their visitor
 * and day are inserted, and each CV's public counters are bumped by exactly the number of its
 * rows that went in, atomically. One statement for both tables also means one locker of the
 * `public_cvs` rows per process (two concurrent bumps could lock them in opposite orders).
 * Rows whose CV is no longer public are dropped, so the counters always equal the rows.
 * Returns the keys (`eventKey`) of the rows that counted.
 */
export async function recordEvents(db: Db, batch: { views?: EventRow[]; shares?: EventRow[] }): Promise<Set<string>> {
  const views = batch.views ?? [];
  const shares = batch.shares ?? [];
  if (views.length + shares.length === 0) return new Set();
  // One JSON parameter per table rather than thousands of placeholders: the same on both engines.
  const json = (rows: EventRow[]) =>
    JSON.stringify(rows.map((r) => ({ cv_id: r.cvId, day: r.day, visitor_hash: r.visitorHash, share_link_id: r.shareLinkId, network: r.network ?? null })));
  const source = (rows: EventRow[]) => sql`select x.* from json_to_recordset(${json(rows)}::json) as x(cv_id uuid, network text, day text, visitor_hash text, share_link_id uuid)
    where exists (select 1 from public_cvs p where p.cv_id = x.cv_id)`;
  const result = await db.execute<{ cv_id: string; network: ShareNetwork | null; day: string; visitor_hash: string }>(sql`
    with view_source as (${source(views)}),
    share_source as (${source(shares)}),
    new_views as (
      insert into view_events (cv_id, day, visitor_hash, share_link_id) select cv_id, day, visitor_hash, share_link_id from view_source
      on conflict do nothing returning cv_id, day, visitor_hash),
    new_shares as (
      insert into share_events (cv_id, network, day, visitor_hash, share_link_id) select cv_id, network, day, visitor_hash, share_link_id from share_source
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

