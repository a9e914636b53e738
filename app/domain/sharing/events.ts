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

