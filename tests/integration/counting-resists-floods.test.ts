import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aPublishedCv } from "../../app/db/factories";
import { publicCvs, viewEvents } from "../../app/db/schema";
import { PER_PREFIX_DAILY } from "../../app/domain/sharing/events";
import { ingestStats } from "../../app/domain/sharing/ingest";
import { startTestApp, type TestApp } from "../support/test-app";

const BROWSER = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36";
/** Behind the load balancer (TRUST_PROXY=1) the client's address is the last X-Forwarded-For hop. */
const from = (ip: string, visitor = "visitor") => ({ "User-Agent": `${BROWSER} ${visitor}`, "X-Forwarded-For": ip });

/**
 * The limits of the two endpoints: views and share clicks per address and minute. They are
 * counted in the memory of the web process (one database round trip less per event, see
 * docs/decisions/009-event-ingestion.md); de-duplication, in the database, is what guarantees
 * that one visitor moves a counter at most once a day.
 */
const VIEW_LIMIT = 600;
const SHARE_LIMIT = 120;

/** Sends `total` requests, `parallel` at a time, and checks each one was answered as usual. */
async function flood(total: number, parallel: number, send: (i: number) => Promise<Response>, status: number) {
  for (let start = 0; start < total; start += parallel) {
    const batch = Array.from({ length: Math.min(parallel, total - start) }, (_, k) => send(start + k));
    for (const response of await Promise.all(batch)) {
      expect(response.status).toBe(status);
      await response.arrayBuffer();
    }
  }
}

/**
 * The limits count in fixed windows of a minute: a flood that straddles two windows would get
 * twice the allowance. Start it early in a window.
 */
async function atTheStartOfAWindow() {
  const left = 60 - ((Date.now() / 1000) % 60);
  if (left < 25) await new Promise((resolve) => setTimeout(resolve, left * 1000 + 100));
}

describe("a flood from one client does not move the counters", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ smtp: false, env: { TRUST_PROXY: "1" } });
  });
  afterAll(() => app.close());

  const counts = async (cvId: string) => {
    const [row] = await app.db.select({ views: publicCvs.views, shares: publicCvs.shares }).from(publicCvs).where(eq(publicCvs.cvId, cvId));
    return row!;
  };
  const beacon = (slug: string, headers: Record<string, string>) => fetch(`${app.url}/cv/${slug}/vu.gif`, { headers });
  const share = (slug: string, headers: Record<string, string>) => fetch(`${app.url}/partager/${slug}/linkedin?direct=1`, { redirect: "manual", headers });

  it("counts 50 views and 50 share clicks from one client once each", async () => {
    const { cv } = await aPublishedCv(app.db);
    await flood(50, 10, () => beacon(cv.slug, from("198.51.100.1")), 200);
    await flood(50, 10, () => share(cv.slug, from("198.51.100.1")), 302);
    expect(await counts(cv.id)).toEqual({ views: 1, shares: 1 });
  });

  it("one address posing as many browsers adds only a few views and shares a day, and so does its whole /24 or /64", async () => {
    const { cv } = await aPublishedCv(app.db);
    await flood(40, 10, (i) => beacon(cv.slug, from("203.0.113.7", `visitor-${i}`)), 200);
    await flood(40, 10, (i) => share(cv.slug, from("203.0.113.7", `visitor-${i}`)), 302);
    expect(await counts(cv.id)).toEqual({ views: PER_PREFIX_DAILY, shares: PER_PREFIX_DAILY });
    // Its neighbours of the same /24, and an IPv6 subscriber rotating through its /64, add nothing more…
    await flood(20, 10, (i) => beacon(cv.slug, from(`203.0.113.${100 + i}`, `neighbour-${i}`)), 200);
    await flood(20, 10, (i) => beacon(cv.slug, from(`2001:db8:7:1:${(i + 1).toString(16)}::${i + 7}`, `v6-${i}`)), 200);
    await flood(20, 10, (i) => share(cv.slug, from(`2001:db8:7:1::${(i + 1).toString(16)}`, `v6-${i}`)), 302);
    expect(await counts(cv.id)).toEqual({ views: 2 * PER_PREFIX_DAILY, shares: 2 * PER_PREFIX_DAILY });
    // …though every request is still answered as usual, and the events match the counters.
    const gif = await beacon(cv.slug, from("203.0.113.7", "last"));
    expect(gif.headers.get("content-type")).toBe("image/gif");
    const [rows] = await app.db.select({ n: sql<number>`count(*)::int` }).from(viewEvents).where(eq(viewEvents.cvId, cv.id));
    expect(rows!.n).toBe(2 * PER_PREFIX_DAILY);
    // Another CV is counted apart, and a visitor from another block still counts.
    const { cv: other } = await aPublishedCv(app.db);
    await flood(8, 4, (i) => beacon(other.slug, from("203.0.113.7", `visitor-${i}`)), 200);
    expect((await counts(other.id)).views).toBe(PER_PREFIX_DAILY);
    await beacon(cv.slug, from("192.0.2.44"));
    await share(cv.slug, from("192.0.2.44"));
    expect(await counts(cv.id)).toEqual({ views: 2 * PER_PREFIX_DAILY + 1, shares: 2 * PER_PREFIX_DAILY + 1 });
  });

  it("past the per-minute limit, an address's events are not even written; it still gets its image and redirect", { timeout: 120_000 }, async () => {
    const { cv } = await aPublishedCv(app.db);
    await atTheStartOfAWindow();
    const before = ingestStats(app.db).rows;
    await flood(VIEW_LIMIT + 50, 25, (i) => beacon(cv.slug, from("203.0.113.8", `visitor-${i}`)), 200);
    await flood(SHARE_LIMIT + 50, 25, (i) => share(cv.slug, from("203.0.113.8", `visitor-${i}`)), 302);
    // Each distinct browser is one row offered to the database, until the address's limit.
    expect(ingestStats(app.db).rows - before).toBe(VIEW_LIMIT + SHARE_LIMIT);
    expect(await counts(cv.id)).toEqual({ views: PER_PREFIX_DAILY, shares: PER_PREFIX_DAILY });
  });
});
