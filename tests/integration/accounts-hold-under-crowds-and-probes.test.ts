import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCoach, aZone } from "../../app/db/factories";
import { accountTokens, outbox, sessions } from "../../app/db/schema";
import { PASSWORD_RESET_JOB, SIGN_IN_LIMITS, sendPasswordReset } from "../../app/domain/accounts/authentication";
import { hitRateLimit, releaseRateLimit } from "../../app/domain/accounts/rate-limit";
import { HttpClient } from "../support/http-client";
import { expectConsoleErrors } from "../support/strict-console";
import { startTestApp, type TestApp } from "../support/test-app";

/** One person at a computer of a given address (the app trusts one proxy hop here). */
const from = (app: TestApp, ip: string) => new HttpClient(app.url, { "X-Forwarded-For": ip });

describe("accounts under a crowd behind one address, and under probes", () => {
  let app: TestApp;
  let zoneId: string;
  beforeAll(async () => {
    app = await startTestApp({ env: { TRUST_PROXY: "1" } });
    zoneId = (await aZone(app.db)).id;
  });
  afterAll(() => app.close());

  it("gives a successful sign-in's hit back to the window it was counted in, never to the next one", async () => {
    // A success that began just before a window ended must not erase a failure of the next window.
    const key = `sign-in:ip:test-${Date.now()}`;
    const counted = await hitRateLimit(app.db, key, { limit: 30, windowSeconds: 900 });
    const next = new Date(new Date(counted.windowStart).getTime() + 900_000);
    await app.db.execute(sql`insert into rate_limit_counters (key, window_start, count) values (${key}, ${next.toISOString()}::timestamptz, 4)`);
    await releaseRateLimit(app.db, key, counted.windowStart);
    const rows = await app.db.execute<{ count: number }>(sql`select count from rate_limit_counters where key = ${key} order by window_start`);
    expect(rows.rows.map((row) => Number(row.count))).toEqual([0, 4]);
  });

  it("lets a shelter's room of 35 people behind one address sign in one after the other, and still limits failures", async () => {
    const room = "198.51.100.7";
    const people = await Promise.all(Array.from({ length: SIGN_IN_LIMITS.perIp.limit + 5 }, () => aCoach(app.db, { zoneId })));
    for (const person of people) {
      const response = await from(app, room).post("/connexion", { email: person.email, password: person.password! });
      expect(response.status, person.email).toBe(302);
      expect(response.headers.getSetCookie().some((c) => c.startsWith("lo_session="))).toBe(true);
    }
    // Guessing from the same room is still stopped at the per-IP limit.
    let status = 0;
    let tries = 0;
    for (; tries < SIGN_IN_LIMITS.perIp.limit + 2 && status !== 429; tries++) {
      status = (await from(app, room).post("/connexion", { email: `inconnu${tries}@exemple.test`, password: "mauvais" })).status;
    }
    expect(status).toBe(429);
    expect(tries).toBe(SIGN_IN_LIMITS.perIp.limit + 1);
    // And a right password past the limit gets the same refusal as a wrong one.
    const blocked = await from(app, room).post("/connexion", { email: people[0]!.email, password: people[0]!.password! });
    expect(blocked.status).toBe(429);
    expect(await blocked.text()).toContain("Trop de tentatives");
  });

  it("keeps limiting guesses on one account, successes in between or not", async () => {
    const coach = await aCoach(app.db, { zoneId });
    const ip = "198.51.100.8";
    for (let i = 0; i < SIGN_IN_LIMITS.perAddressAndIp.limit - 1; i++) {
      expect((await from(app, ip).post("/connexion", { email: coach.email, password: "mauvais" })).status).toBe(400);
    }
    // A success does not reset the count of failures: it only does not add to it.
    expect((await from(app, ip).post("/connexion", { email: coach.email, password: coach.password! })).status).toBe(302);
    expect((await from(app, ip).post("/connexion", { email: coach.email, password: "mauvais" })).status).toBe(400);
    expect((await from(app, ip).post("/connexion", { email: coach.email, password: coach.password! })).status).toBe(429);
  });

  it("leaves no session behind when the answer to a right password cannot be sent", async () => {
    const coach = await aCoach(app.db, { zoneId });
    for (const target of ["/\n", "/\r\nSet-Cookie: x=1", "/\u0000", "/espace\u0007"]) {
      const response = await from(app, "198.51.100.9").post(`/connexion?retour=${encodeURIComponent(target)}`, { email: coach.email, password: coach.password! });
      await response.arrayBuffer();
      // Whatever the answer (a safe fallback, or a failure logged by the server), what it leaves must match.
      expectConsoleErrors();
      const carried = response.headers.getSetCookie().filter((c) => c.startsWith("lo_session=")).length;
      const rows = await app.db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, coach.id));
      expect(rows.length, JSON.stringify(target)).toBe(carried);
      await app.db.delete(sessions).where(eq(sessions.userId, coach.id));
    }
  });
});

describe("a password-reset answer does not wait for the account lookup", () => {
  let app: TestApp;
  beforeAll(async () => {
    // No workers: the jobs a request queues stay in the queue for the test to see.
    app = await startTestApp({ smtp: false, workers: false });
  });
  afterAll(() => app.close());

  it("does the same thing for an address with or without an account: it queues the lookup and answers", async () => {
    const coach = await aCoach(app.db);
    const client = new HttpClient(app.url);
    // What differs per answer by design: the CSRF field and the CSP nonce.
    const visible = (html: string) => html.replace(/<input[^>]*name="csrf"[^>]*>/g, "").replace(/ nonce="[^"]*"/g, "");
    const known = await client.post("/mot-de-passe-oublie", { email: coach.email.toUpperCase() });
    const unknown = await client.post("/mot-de-passe-oublie", { email: "personne-ici@exemple.test" });
    expect(visible(await known.text())).toBe(visible(await unknown.text()));
    // Nothing about the account was touched while the visitor waited…
    expect(await app.db.select().from(accountTokens).where(eq(accountTokens.userId, coach.id))).toHaveLength(0);
    expect(await app.db.select().from(outbox)).toHaveLength(0);
    // …both requests left the same kind of job, with nothing but the address.
    const jobs = await app.db.execute<{ data: { email: string } }>(sql`select data from pgboss.job where name = ${PASSWORD_RESET_JOB} order by created_on`);
    expect(jobs.rows.map((job) => job.data)).toEqual([{ email: coach.email.toLowerCase() }, { email: "personne-ici@exemple.test" }]);
    // The job does the work afterwards: a link for the account, nothing for the other address.
    for (const job of jobs.rows) await sendPasswordReset(app.services, job.data);
    const sent = await app.db.select({ to: outbox.toAddress, template: outbox.template }).from(outbox);
    expect(sent).toEqual([{ to: coach.email, template: "password_reset" }]);
    expect(await app.db.select().from(accountTokens).where(eq(accountTokens.userId, coach.id))).toHaveLength(1);
  });
});
