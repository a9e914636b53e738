import http from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aPublishedCv, aStaffMember } from "../../app/db/factories";
import { transitionCv } from "../../app/domain/cv/cvs";
import { PUBLIC_CV_CHANGED } from "../../app/domain/cv/projection";
import { viewEvents } from "../../app/db/schema";
import { createRequestListener, loadProductionBuild } from "../../server/http";
import { HttpClient } from "../support/http-client";
import { startTestApp, type TestApp } from "../support/test-app";

const BROWSER = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36";

/** The "viral CV": anonymous visitors get a cached page that is never stale. */
describe("the public CV page cache", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ smtp: false });
  });
  afterAll(() => app.close());

  // Visits until the page is cached (a NOTIFY from the CV's own publication may drop the first fill).
  const cached = (slug: string) =>
    expect
      .poll(
        async () => {
          if (app.pageCache.get(slug, "fr")) return true;
          await fetch(`${app.url}/cv/${slug}`);
          return false;
        },
        { timeout: 10_000 },
      )
      .toBe(true);

  it("serves anonymous visitors from memory, with their own CSRF cookie and no token in the page", async () => {
    const { cv } = await aPublishedCv(app.db);
    const first = await fetch(`${app.url}/cv/${cv.slug}`);
    expect(first.status).toBe(200);
    const firstHtml = await first.text();
    await cached(cv.slug);
    const second = await fetch(`${app.url}/cv/${cv.slug}`);
    expect(second.status).toBe(200);
    const html = await second.text();
    expect(html).toContain("Cuisinière passionnée");
    expect(html).toContain('property="og:image"');
    expect(second.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(second.headers.getSetCookie().some((c) => /^lo_csrf=[A-Za-z0-9_-]{32,}; Path=\/; HttpOnly; SameSite=Lax/.test(c))).toBe(true);
    expect(html).not.toMatch(/name="csrf" value="[A-Za-z0-9_-]+"/);
    // The same page as the first, uncached answer.
    const main = (page: string) => page.slice(page.indexOf("<main"), page.indexOf("</main>"));
    expect(main(html)).toBe(main(firstHtml));
  });

  it("keeps one page per supported language, whatever an outsider puts in the language cookie", async () => {
    const { cv } = await aPublishedCv(app.db);
    await cached(cv.slug);
    const before = app.pageCache.size;
    const english = `lo_lang=${encodeURIComponent(Buffer.from(JSON.stringify("en")).toString("base64"))}`;
    const forged = Array.from({ length: 30 }, (_, i) => `lo_lang=${i % 2 ? Buffer.from(JSON.stringify(`xx-${i}`)).toString("base64") : `junk${i}`}`);
    for (const cookie of [english, ...forged]) {
      await (await fetch(`${app.url}/cv/${cv.slug}`, { headers: { Cookie: cookie } })).arrayBuffer();
    }
    await expect.poll(() => app.pageCache.get(cv.slug, "en") !== undefined, { timeout: 10_000 }).toBe(true);
    // Let any fill started by the forged cookies land before counting.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(app.pageCache.size - before).toBe(1);
    const englishPage = await (await fetch(`${app.url}/cv/${cv.slug}`, { headers: { Cookie: english } })).text();
    expect(englishPage).toContain('<html lang="en"');
    const forgedPage = await (await fetch(`${app.url}/cv/${cv.slug}`, { headers: { Cookie: forged[1]! } })).text();
    expect(forgedPage).toContain('<html lang="fr"');
  });

  it("compresses with gzip when the phone asks for it", async () => {
    const { cv } = await aPublishedCv(app.db);
    await fetch(`${app.url}/cv/${cv.slug}`);
    await cached(cv.slug);
    const raw = await new Promise<{ encoding?: string; body: Buffer }>((resolve) =>
      http.get(`${app.url}/cv/${cv.slug}`, { headers: { "Accept-Encoding": "gzip" } }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => resolve({ encoding: res.headers["content-encoding"], body: Buffer.concat(chunks) }));
      }),
    );
    expect(raw.encoding).toBe("gzip");
    expect(gunzipSync(raw.body).toString()).toContain("Cuisinière passionnée");
  });

  it("never serves the cached page to someone signed in", async () => {
    const { cv } = await aPublishedCv(app.db);
    await fetch(`${app.url}/cv/${cv.slug}`);
    await cached(cv.slug);
    const staff = await aStaffMember(app.db);
    const client = new HttpClient(app.url);
    await client.signIn(staff.email, staff.password!);
    const html = await (await client.get(`/cv/${cv.slug}`)).text();
    expect(html).toContain("Se déconnecter");
  });

  it("stops showing a hidden CV at once, in this process and in another web process", async () => {
    const { cv, candidate } = await aPublishedCv(app.db);
    // A second web process: its own page cache, the same database, told by NOTIFY.
    const other = createRequestListener({ services: { ...app.services }, build: await loadProductionBuild() });
    const unlisten = await app.database.listen(PUBLIC_CV_CHANGED, (slug) => other.cache.evict(slug));
    const server = http.createServer(other.listener);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const otherUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await cached(cv.slug);
      await expect
        .poll(async () => {
          if (other.cache.get(cv.slug, "fr")) return true;
          await fetch(`${otherUrl}/cv/${cv.slug}`);
          return false;
        })
        .toBe(true);
      // The view pixel knows the CV from memory too (event ingestion's slug cache): once the CV
      // is hidden, a view is still answered but no longer recorded.
      const pixel = (visitor: string) => fetch(`${app.url}/cv/${cv.slug}/vu.gif`, { headers: { "User-Agent": `${BROWSER} ${visitor}` } });
      await (await pixel("before")).arrayBuffer();
      await transitionCv(app.services, { ...candidate, role: "candidate" }, candidate.id, "hide");
      expect((await fetch(`${app.url}/cv/${cv.slug}`)).status).toBe(410);
      expect((await pixel("after")).headers.get("content-type")).toBe("image/gif");
      const views = await app.db.select({ n: sql<number>`count(*)::int` }).from(viewEvents).where(eq(viewEvents.cvId, cv.id));
      expect(views[0]!.n).toBe(1);
      await expect.poll(async () => (await fetch(`${otherUrl}/cv/${cv.slug}`)).status, { timeout: 5000 }).toBe(410);
    } finally {
      await unlisten();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
