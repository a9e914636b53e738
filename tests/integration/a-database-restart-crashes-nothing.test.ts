import { inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openServerDatabase, type Database } from "../../app/db/client.server";
import { aPublishedCv, aStaffMember, aZone } from "../../app/db/factories";
import { outbox, users } from "../../app/db/schema";
import { HttpClient } from "../support/http-client";
import { startPrivatePostgres, type PrivatePostgres } from "../support/private-postgres";
import { freePort, runScript, stop, type Running } from "../support/processes";

/**
 * A database restart never crashes a web process (decision 016). A private PostgreSQL server of
 * this test (never the shared one) is restarted under load while two real web processes of the
 * product serve staff creating members; both survive, answer 503 (never 500) while it is away,
 * serve again once it is back, and every creation they acknowledged is in the database.
 */
describe("a database restart under load", { timeout: 240_000 }, () => {
  let server: PrivatePostgres;
  let database: Database;
  const web: { process: Running; url: string }[] = [];
  let worker: Running;
  let staff: { email: string; password: string };
  let zoneId: string;
  let slug: string;

  beforeAll(async () => {
    server = await startPrivatePostgres();
    database = openServerDatabase(server.url, { max: 2 });
    const member = await aStaffMember(database.db, { zoneId: null });
    staff = { email: member.email, password: member.password! };
    zoneId = (await aZone(database.db)).id;
    slug = (await aPublishedCv(database.db)).cv.slug!;
    // Two web processes on one database, as behind a load balancer; one runs the job workers.
    for (const workers of ["inline", "off"]) {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const running = runScript("server/main.ts", {
        DATABASE_URL: server.url,
        SESSION_SECRET: "a-secret-of-at-least-32-characters!!",
        PORT: String(port),
        PUBLIC_URL: url,
        WORKERS: workers,
      });
      web.push({ process: running, url });
    }
    // And a queue worker of its own, as in a deployment with WORKERS=off web processes.
    worker = runScript("server/worker.ts", { DATABASE_URL: server.url, SESSION_SECRET: "a-secret-of-at-least-32-characters!!" });
    await Promise.all([...web.map((w) => w.process.waitForOutput(/LinkedOut est prêt/, 120_000)), worker.waitForOutput(/Tâches en attente/, 120_000)]);
  });
  afterAll(async () => {
    for (const running of [...web.map((w) => w.process), worker]) if (running && running.child.exitCode === null) await stop(running);
    await database?.close();
    await server?.destroy();
  });

  // One session per process (sign-ins are rate-limited); requests on it run side by side.
  const sessions = new Map<string, Promise<HttpClient>>();
  const signedIn = (url: string) => {
    if (!sessions.has(url)) sessions.set(url, signInAs(url, staff));
    return sessions.get(url)!;
  };
  const signInAs = async (url: string, person: { email: string; password: string }) => {
    const client = new HttpClient(url);
    await client.signIn(person.email, person.password);
    return client;
  };

  it("keeps both processes alive, answers 503 while it restarts, and loses no acknowledged write", async () => {
    const acknowledged: string[] = [];
    const statuses = new Map<number | string, number>();
    let running = true;
    let counter = 0;
    const load = async (client: HttpClient, name: string) => {
      // Bounded: at most 2,000 requests per loop, and it stops when told.
      for (let i = 0; running && i < 2000; i++) {
        const email = `charge-${name}-${counter++}@exemple.test`;
        let status: number | string;
        try {
          const response = await client.post("/admin/membres/nouveau", { role: "coach", firstName: "Camille", lastName: "Durand", email, zoneId });
          status = response.status;
          await response.arrayBuffer();
          if (status === 302 && response.headers.get("location")?.startsWith("/admin/membres?cree=")) acknowledged.push(email);
          if (status === 503) expect(response.headers.get("retry-after")).toBe("5");
        } catch (error) {
          status = `network: ${(error as Error).message}`;
        }
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status !== 302) await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const clients = await Promise.all(web.flatMap((w) => [signedIn(w.url), signedIn(w.url), signedIn(w.url)]));
    const loops = clients.map((client, i) => load(client, String(i)));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const beforeRestart = acknowledged.length;
    await server.restart();
    await new Promise((resolve) => setTimeout(resolve, 4000));
    running = false;
    await Promise.all(loops);

    for (const w of web) {
      expect(w.process.child.exitCode, w.process.output()).toBeNull();
      expect((await fetch(`${w.url}/healthz`)).status).toBe(200);
    }
    expect(worker.child.exitCode, worker.output()).toBeNull();
    // Only acknowledged creations and clean 503s: no 500, no dropped connection.
    expect(Object.fromEntries(statuses)).toEqual(expect.objectContaining({ 302: expect.any(Number) }));
    expect([...statuses.keys()].filter((status) => status !== 302 && status !== 503)).toEqual([]);
    // The restart did hit requests under way (they answered 503), and writes went on after it.
    expect(statuses.get(503) ?? 0).toBeGreaterThan(0);
    expect(beforeRestart).toBeGreaterThan(0);
    expect(acknowledged.length).toBeGreaterThan(beforeRestart);
    const stored = await database.db.select({ email: users.email }).from(users).where(inArray(users.email, acknowledged));
    expect(stored.map((u) => u.email).sort()).toEqual([...acknowledged].sort());
    // The job queue goes on after the restart too: invitations of acknowledged members keep going
    // through it (kept in the outbox, without SMTP).
    const kept = async () =>
      (await database.db.select({ status: outbox.status }).from(outbox).where(inArray(outbox.toAddress, acknowledged))).filter((m) => m.status === "kept").length;
    const keptAtEnd = await kept();
    await expect.poll(kept, { timeout: 30_000, interval: 500 }).toBeGreaterThan(keptAtEnd + 5);
  });

  it("shows a French (or English) 503 page and /healthz 503 while the database is away, and serves again as soon as it is back", async () => {
    const [first, second] = web;
    const client = await signedIn(first!.url);
    const otherStaff = await aStaffMember(database.db);
    const english = await signInAs(second!.url, { email: otherStaff.email, password: otherStaff.password! });
    await english.post("/langue", { locale: "en", retour: "/admin" });
    expect((await client.get("/admin")).status).toBe(200);

    await server.stopServer();
    try {
      for (const w of web) expect((await fetch(`${w.url}/healthz`)).status).toBe(503);
      const page = await client.get("/admin");
      expect(page.status).toBe(503);
      const html = await page.text();
      expect(html).toContain("Service momentanément indisponible");
      expect(html).toContain("réessayez dans quelques secondes");
      expect(html).not.toMatch(/Unexpected Server Error|Une erreur est survenue/);
      const inEnglish = await english.get("/admin");
      expect(inEnglish.status).toBe(503);
      expect(await inEnglish.text()).toContain("Service temporarily unavailable");
      // A client-side navigation (React Router's data request) gets the same answer.
      expect((await client.get("/admin/membres.data")).status).toBe(503);
      const post = await client.post("/admin/membres/nouveau", { role: "coach", firstName: "Léa", lastName: "Martin", email: "pendant-la-panne@exemple.test", zoneId });
      expect(post.status).toBe(503);
      expect(await post.text()).toContain("Service momentanément indisponible");
    } finally {
      await server.startServer();
    }
    const back = Date.now();
    for (const w of web) {
      await expect.poll(async () => (await fetch(`${w.url}/healthz`)).status, { timeout: 15_000, interval: 100 }).toBe(200);
    }
    expect((await client.get("/admin")).status).toBe(200);
    expect(Date.now() - back).toBeLessThan(15_000);
    for (const w of web) expect(w.process.child.exitCode, w.process.output()).toBeNull();
    expect(worker.child.exitCode, worker.output()).toBeNull();
  });

  it("LISTENs again after the restart, and drops the public pages it may have kept stale meanwhile", async () => {
    const fromCache = async (url: string) => {
      const response = await fetch(`${url}/cv/${slug}`);
      await response.arrayBuffer();
      expect(response.status).toBe(200);
      return response.headers.get("cache-control") === "public, max-age=0, must-revalidate";
    };
    const [first] = web;
    await expect.poll(() => fromCache(first!.url), { timeout: 10_000 }).toBe(true);
    const reconnects = (first!.process.output().match(/LISTEN public_cv_changed back/g) ?? []).length;
    await server.restart();
    await first!.process.waitForOutput(new RegExp(`(LISTEN public_cv_changed back[^]*){${reconnects + 1}}`), 30_000);
    expect(await fromCache(first!.url)).toBe(false);
    // And the NOTIFYs of other processes reach it again.
    await expect.poll(() => fromCache(first!.url), { timeout: 10_000 }).toBe(true);
    await database.db.execute(`select pg_notify('public_cv_changed', '${slug}')` as never);
    await expect.poll(() => fromCache(first!.url), { timeout: 5_000 }).toBe(false);
  });
});
