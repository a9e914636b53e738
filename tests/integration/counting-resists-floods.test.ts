import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aPublishedCv } from "../../app/db/factories";
import { publicCvs } from "../../app/db/schema";
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

  it("past the limit, an address still gets its image and its redirect but records nothing; other visitors still count", { timeout: 120_000 }, async () => {
    const { cv } = await aPublishedCv(app.db);
    await atTheStartOfAWindow();
    // One address disguising itself as many visitors: each counts until the limit is reached…
    await flood(VIEW_LIMIT, 25, (i) => beacon(cv.slug, from("203.0.113.7", `visitor-${i}`)), 200);
    await flood(SHARE_LIMIT, 25, (i) => share(cv.slug, from("203.0.113.7", `visitor-${i}`)), 302);
    expect(await counts(cv.id)).toEqual({ views: VIEW_LIMIT, shares: SHARE_LIMIT });
    // …then nothing more from it, though it is still answered as usual.
    await flood(50, 25, (i) => beacon(cv.slug, from("203.0.113.7", `more-${i}`)), 200);
    await flood(50, 25, (i) => share(cv.slug, from("203.0.113.7", `more-${i}`)), 302);
    const gif = await beacon(cv.slug, from("203.0.113.7", "last"));
    expect(gif.headers.get("content-type")).toBe("image/gif");
    expect(await counts(cv.id)).toEqual({ views: VIEW_LIMIT, shares: SHARE_LIMIT });
    // A visitor from another address is not caught by the flood.
    await beacon(cv.slug, from("192.0.2.44"));
    await share(cv.slug, from("192.0.2.44"));
    expect(await counts(cv.id)).toEqual({ views: VIEW_LIMIT + 1, shares: SHARE_LIMIT + 1 });
  });
});
