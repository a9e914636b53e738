import http from "node:http";
import type { AddressInfo } from "node:net";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openServerDatabase } from "../../app/db/client.server";
import { aPublishedCv, aStaffMember } from "../../app/db/factories";
import { shareEvents, viewEvents } from "../../app/db/schema";
import { transitionCv } from "../../app/domain/cv/cvs";
import { PUBLIC_CV_CHANGED } from "../../app/domain/cv/projection";
import { createRequestListener, loadProductionBuild } from "../../server/http";
import type { PublicPageCache } from "../../server/public-page-cache";
import { engine, serverUrl } from "../support/databases";
import { expectConsoleErrors } from "../support/strict-console";
import { startTestApp, type TestApp } from "../support/test-app";

const BROWSER = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36";
/** The promise of issue 9: hidden, unpublished or erased, a CV is gone from every web process within this. */
const BOUND_MS = 2000;

type WebProcess = { url: string; cache: PublicPageCache; close: () => Promise<void> };

/**
 * Hiding a CV reaches the other web processes by NOTIFY; when that is lost (the LISTEN connection
 * killed, a process that never listened), their caches still age out within the bound (decision 021).
 */
describe(`a hidden CV leaves every web process within ${BOUND_MS / 1000} seconds (${engine()})`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ smtp: false });
  });
  afterAll(() => app.close());

  /**
   * Another web process on the same database. On a server, a whole second app: its own pool, its
   * own LISTEN connection (unless `listen: false`), its own caches. PGlite is one process's
   * database: the second process is a second request listener with its own page cache.
   */
  async function anotherWebProcess(options: { listen: boolean }): Promise<WebProcess & { dropListen: () => Promise<void> }> {
    if (engine() === "pg") {
      const { rows } = await app.db.execute<{ name: string }>(sql`select current_database() as name`);
      const other = await startTestApp({ smtp: false, listen: options.listen, database: openServerDatabase(serverUrl(rows[0]!.name), { max: 3 }) });
      return { url: other.url, cache: other.pageCache, close: () => other.close(), dropListen: killListenConnections };
    }
    const other = createRequestListener({ services: { ...app.services }, build: await loadProductionBuild() });
    let unlisten = options.listen ? await app.database.listen(PUBLIC_CV_CHANGED, (slug) => other.cache.evict(slug)) : null;
    const server = http.createServer(other.listener);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      cache: other.cache,
      // PGlite has no connection to kill: the listener is dropped instead.
      dropListen: async () => {
        await unlisten?.();
        unlisten = null;
      },
      close: async () => {
        await unlisten?.();
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      },
    };
  }

  /** What an operator sees when PostgreSQL drops LISTEN connections: this database's only. */
  async function killListenConnections() {
    const { rows } = await app.db.execute<{ pid: number }>(
      sql`select pid from pg_stat_activity where datname = current_database() and query ilike 'listen%' and pid <> pg_backend_pid()`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(2); // the writer's and the other process's
    const pids = rows.map((row) => row.pid);
    await app.db.execute(sql`select pg_terminate_backend(pid) from unnest(${`{${pids.join(",")}}`}::int[]) as pid`);
    await expect
      .poll(async () => (await app.db.execute<{ n: number }>(sql`select count(*)::int as n from pg_stat_activity where pid = any(${`{${pids.join(",")}}`}::int[])`)).rows[0]!.n)
      .toBe(0);
  }

  /** The lost connections may be logged as errors: that is the point of the test, nothing else may be. */
  const onlyListenErrors = () => {
    for (const args of expectConsoleErrors()) expect(String(args[0])).toMatch(/LISTEN/);
  };

  /** Visits the other process until it serves the page from its cache. */
  const cachedIn = (other: WebProcess, slug: string) =>
    expect
      .poll(
        async () => {
          if (other.cache.get(slug, "fr")) return true;
          await (await fetch(`${other.url}/cv/${slug}`)).arrayBuffer();
          return false;
        },
        { timeout: 10_000 },
      )
      .toBe(true);

  /** Visits the other process like a crowd would, until it stops showing the CV; returns how long that took. */
  async function goneFrom(other: WebProcess, slug: string, since: number) {
    await expect.poll(async () => (await fetch(`${other.url}/cv/${slug}`)).status, { timeout: BOUND_MS, interval: 20 }).toBe(410);
    return Date.now() - since;
  }

  const views = async (cvId: string) => (await app.db.select({ n: sql<number>`count(*)::int` }).from(viewEvents).where(eq(viewEvents.cvId, cvId)))[0]!.n;
  const shares = async (cvId: string) => (await app.db.select({ n: sql<number>`count(*)::int` }).from(shareEvents).where(eq(shareEvents.cvId, cvId)))[0]!.n;

  it("after the LISTEN connection was killed, a second web process answers 410 for a CV hidden elsewhere", async () => {
    const { cv, candidate } = await aPublishedCv(app.db);
    const other = await anotherWebProcess({ listen: true });
    try {
      await cachedIn(other, cv.slug);
      await other.dropListen();
      // The view pixel and the share links of the other process keep counting meanwhile.
      const pixel = (visitor: string) => fetch(`${other.url}/cv/${cv.slug}/vu.gif`, { headers: { "User-Agent": `${BROWSER} ${visitor}` } });
      expect((await pixel("before")).headers.get("content-type")).toBe("image/gif");
      expect(await views(cv.id)).toBe(1);
      const share = await fetch(`${other.url}/partager/${cv.slug}/linkedin?direct=1`, { redirect: "manual", headers: { "User-Agent": BROWSER } });
      expect(share.status).toBe(302);
      expect(await shares(cv.id)).toBe(1);
      expect((await fetch(`${other.url}/cv/${cv.slug}`)).status).toBe(200);

      const hiddenAt = Date.now();
      await transitionCv(app.services, { ...candidate, role: "candidate" }, candidate.id, "hide");
      expect((await fetch(`${app.url}/cv/${cv.slug}`)).status).toBe(410);
      expect(await goneFrom(other, cv.slug, hiddenAt)).toBeLessThan(BOUND_MS);
      // Past the bound the share link no longer names the candidate (its slug lookup aged out
      // too); the pixel is still answered, and counts nothing.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, hiddenAt + BOUND_MS - Date.now())));
      expect((await fetch(`${other.url}/partager/${cv.slug}/linkedin`, { headers: { "User-Agent": BROWSER } })).status).toBe(404);
      expect((await pixel("after")).headers.get("content-type")).toBe("image/gif");
      expect(await views(cv.id)).toBe(1);
    } finally {
      await other.close();
      onlyListenErrors();
    }
  });

  it("with no notification ever arriving, the page and the slug lookups age out on their own", async () => {
    const { cv } = await aPublishedCv(app.db);
    const staff = await aStaffMember(app.db, { zoneId: null });
    const other = await anotherWebProcess({ listen: false });
    try {
      await cachedIn(other, cv.slug);
      const pixel = (visitor: string) => fetch(`${other.url}/cv/${cv.slug}/vu.gif`, { headers: { "User-Agent": `${BROWSER} ${visitor}` } });
      await (await pixel("before")).arrayBuffer();
      expect(await views(cv.id)).toBe(1);
      // A viral page stays in memory while the CV does not change: refreshed beside the visitors.
      const until = Date.now() + 1500;
      while (Date.now() < until) {
        expect((await fetch(`${other.url}/cv/${cv.slug}`)).status).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(other.cache.get(cv.slug, "fr")).toBeDefined();

      const unpublishedAt = Date.now();
      await transitionCv(app.services, { ...staff, role: "staff" }, cv.candidateId, "unpublish");
      expect(await goneFrom(other, cv.slug, unpublishedAt)).toBeLessThan(BOUND_MS);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, unpublishedAt + BOUND_MS - Date.now())));
      expect((await fetch(`${other.url}/partager/${cv.slug}/facebook`, { headers: { "User-Agent": BROWSER } })).status).toBe(404);
      expect((await pixel("after")).headers.get("content-type")).toBe("image/gif");
      expect(await views(cv.id)).toBe(1);
    } finally {
      await other.close();
    }
  });
});
