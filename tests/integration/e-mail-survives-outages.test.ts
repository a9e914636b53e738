import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCandidateWithCoach, aStaffMember } from "../../app/db/factories";
import { outbox } from "../../app/db/schema";
import { dispatchDueOutbox, dispatchOutbox, dueOutboxIds, dueOutboxMessages, MAX_BACKOFF_MS, outboxMessageId, RETRY_WINDOW_MS, writeToOutbox } from "../../app/domain/email/outbox";
import { renderEmail } from "../../app/emails/render";
import { sendEmailJob } from "../../app/jobs/send-email.server";
import { startQueue, stopQueue } from "../../app/jobs/queue.server";
import { openServerDatabase } from "../../app/db/client.server";
import { HttpClient } from "../support/http-client";
import { startPrivatePostgres, type PrivatePostgres } from "../support/private-postgres";
import { freePort, killHard, runScript, stop } from "../support/processes";
import { startSmtpCapture } from "../support/smtp";
import { startTestApp, type TestApp } from "../support/test-app";

/**
 * E-mail survives any outage, exactly once (decision 015). The outbox row holds when to try again
 * and the sender's lease; the tests drive the clock by running the sending job at a chosen `now`,
 * as the minute sweep would, and read what a real SMTP listener got.
 */
const MINUTE = 60_000;
const message = (to: string) => ({
  to,
  locale: "fr" as const,
  template: "test",
  ...renderEmail("fr", "email.reset.subject", "email.reset.body", { firstName: "Rose", link: "http://localhost/x" }),
});

/** What the minute sweep does, at a driven time: every message due then gets its attempt. */
async function runDueAt(app: TestApp, now: Date) {
  for (const id of await dueOutboxIds(app.db, now, 0)) await sendEmailJob(app.services, { outboxId: id }, { now });
}

describe("when the SMTP server is down for ten minutes", () => {
  let app: TestApp;
  let smtpPort: number;
  beforeAll(async () => {
    smtpPort = await freePort();
    app = await startTestApp({ smtp: false, workers: false, env: { SMTP_URL: `smtp://127.0.0.1:${smtpPort}` } });
  });
  afterAll(() => app.close());

  it("delivers all twenty messages, each exactly once, when it comes back", async () => {
    const addresses = Array.from({ length: 20 }, (_, i) => `panne-${i}@exemple.test`);
    const ids: string[] = [];
    for (const to of addresses) ids.push(await writeToOutbox(app.db, message(to)));
    const start = Date.now();
    for (let minute = 0; minute < 10; minute++) await runDueAt(app, new Date(start + minute * MINUTE));
    const down = await app.db.select().from(outbox).where(inArray(outbox.id, ids));
    // Tried again and again with a growing wait, never given up on.
    for (const row of down) {
      expect(row.status).toBe("failed");
      expect(row.attempts).toBeGreaterThanOrEqual(4);
      expect(row.lastError).toMatch(/ECONNREFUSED|connect/i);
      expect(row.nextAttemptAt!.getTime() - (start + 9 * MINUTE)).toBeLessThanOrEqual(MAX_BACKOFF_MS);
    }

    const smtp = await startSmtpCapture({ port: smtpPort });
    try {
      for (let minute = 10; minute <= 45; minute++) await runDueAt(app, new Date(start + minute * MINUTE));
      const rows = await app.db.select().from(outbox).where(inArray(outbox.id, ids));
      expect(rows.map((r) => r.status)).toEqual(ids.map(() => "sent"));
      expect(smtp.received).toHaveLength(20);
      for (const to of addresses) expect(smtp.received.filter((m) => m.to === to), to).toHaveLength(1);
      // Each copy carries the Message-ID of its outbox row.
      expect(new Set(smtp.received.map((m) => m.messageId))).toEqual(
        new Set(ids.map((id) => outboxMessageId(id, app.services.config.mailFrom, app.services.config.publicUrl))),
      );
    } finally {
      await smtp.close();
    }
  });
});

describe("a message that still fails after three days", () => {
  let app: TestApp;
  let smtpPort: number;
  beforeAll(async () => {
    smtpPort = await freePort();
    app = await startTestApp({ smtp: false, env: { SMTP_URL: `smtp://127.0.0.1:${smtpPort}` } });
  });
  afterAll(() => app.close());

  it("is retried with a wait capped at 30 minutes for three days, then shown to staff as undelivered, and only staff can send it again", async () => {
    const id = await writeToOutbox(app.db, message("injoignable@exemple.test"));
    const created = Date.now();
    const attempts: number[] = [];
    let now = new Date(created);
    for (let i = 0; i < 1000; i++) {
      await runDueAt(app, now);
      const [row] = await app.db.select().from(outbox).where(eq(outbox.id, id));
      attempts.push(now.getTime());
      if (row!.status === "undelivered") break;
      expect(row!.status).toBe("failed");
      now = new Date(row!.nextAttemptAt!.getTime() + 1);
    }
    const [undelivered] = await app.db.select().from(outbox).where(eq(outbox.id, id));
    expect(undelivered!.status).toBe("undelivered");
    expect(attempts.at(-1)! - created).toBeGreaterThanOrEqual(RETRY_WINDOW_MS);
    const gaps = attempts.slice(1).map((at, i) => at - attempts[i]!);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(MAX_BACKOFF_MS + 1000);
    expect(gaps.at(-1)).toBeGreaterThanOrEqual(MAX_BACKOFF_MS);
    expect(undelivered!.attempts).toBe(attempts.length);
    // Nothing is left for the sweep: an undelivered message waits for staff.
    expect(await dueOutboxIds(app.db, new Date(created + 10 * RETRY_WINDOW_MS), 0)).not.toContain(id);

    const staffMember = await aStaffMember(app.db);
    const staff = new HttpClient(app.url);
    await staff.signIn(staffMember.email, staffMember.password!);
    const list = await (await staff.get("/admin/boite-d-envoi")).text();
    expect(list).toContain("Non distribué");
    expect(list).toContain("1 e-mail non distribué après trois jours d’essais");
    expect(list).toContain(`action="/admin/boite-d-envoi/${id}"`);
    const page = await (await staff.get(`/admin/boite-d-envoi/${id}`)).text();
    expect(page).toContain("Non distribué");
    expect(page).toContain(">Renvoyer</button>");

    // Nobody but staff can press it.
    const { candidate, coach } = await aCandidateWithCoach(app.db);
    const anonymous = new HttpClient(app.url);
    const asAnonymous = await anonymous.post(`/admin/boite-d-envoi/${id}`, { intent: "resend" });
    expect(asAnonymous.status).toBe(302);
    expect(asAnonymous.headers.get("location")).toMatch(/^\/connexion\?retour=/);
    for (const person of [candidate, coach]) {
      const client = new HttpClient(app.url);
      await client.signIn(person.email, person.password!);
      expect((await client.post(`/admin/boite-d-envoi/${id}`, { intent: "resend" })).status, person.role).toBe(404);
    }
    expect((await staff.post(`/admin/boite-d-envoi/${id}`, { intent: "resend" }, { csrf: false })).status).toBe(403);
    expect((await app.db.select().from(outbox).where(eq(outbox.id, id)))[0]!.status).toBe("undelivered");

    // The SMTP server is back; staff send it again and it goes, once.
    const smtp = await startSmtpCapture({ port: smtpPort });
    try {
      const resent = await staff.post(`/admin/boite-d-envoi/${id}`, { intent: "resend" });
      expect(resent.status).toBe(302);
      expect(await (await staff.get(resent.headers.get("location")!)).text()).toContain("Le message repart");
      await smtp.waitFor("injoignable@exemple.test");
      await expect.poll(async () => (await app.db.select().from(outbox).where(eq(outbox.id, id)))[0]!.status).toBe("sent");
      // A sent message cannot be sent again.
      const again = await staff.post(`/admin/boite-d-envoi/${id}`, { intent: "resend" });
      expect(again.status).toBe(409);
      expect(await again.text()).toContain("rien à renvoyer");
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(smtp.received.filter((m) => m.to === "injoignable@exemple.test")).toHaveLength(1);
    } finally {
      await smtp.close();
    }
  });
});

describe("a sender that is slow or dies mid-send", () => {
  it("renews its lease while SMTP is slow, so a second worker does not send the message too", async () => {
    const smtp = await startSmtpCapture({ acceptDelayMs: 2500 });
    const app = await startTestApp({ smtp: false, workers: false, env: { SMTP_URL: smtp.url } });
    try {
      const id = await writeToOutbox(app.db, message("lente@exemple.test"));
      const first = sendEmailJob(app.services, { outboxId: id }, { leaseMs: 900 });
      await new Promise((resolve) => setTimeout(resolve, 1600)); // past the first lease
      await sendEmailJob(app.services, { outboxId: id }, { leaseMs: 900 });
      await first;
      await sendEmailJob(app.services, { outboxId: id }, { leaseMs: 900 });
      expect(smtp.received.filter((m) => m.to === "lente@exemple.test")).toHaveLength(1);
      expect((await app.db.select().from(outbox).where(eq(outbox.id, id)))[0]).toMatchObject({ status: "sent", attempts: 1 });
    } finally {
      await app.close();
      await smtp.close();
    }
  });

  describe("a worker process killed during sends", { timeout: 180_000 }, () => {
    let server: PrivatePostgres;
    beforeAll(async () => {
      server = await startPrivatePostgres();
    });
    afterAll(() => server.destroy());

    it("leaves no message twice in the mailbox and none behind", async () => {
      // The worker is killed once the fifth message is whole on the SMTP server but not yet accepted.
      let dataEnds = 0;
      let fifthIn: () => void = () => undefined;
      const fifth = new Promise<void>((resolve) => (fifthIn = resolve));
      const smtp = await startSmtpCapture({ acceptDelayMs: 300, onDataEnd: () => ++dataEnds === 5 && fifthIn() });
      const database = openServerDatabase(server.url, { max: 3 });
      const { boss, queue } = await startQueue(database);
      const env = { DATABASE_URL: server.url, SMTP_URL: smtp.url, SESSION_SECRET: "a-secret-of-at-least-32-characters!!" };
      try {
        const ids: string[] = [];
        for (let i = 0; i < 20; i++) ids.push(await writeToOutbox(database.db, message(`tue-${i}@exemple.test`)));
        await dispatchOutbox(queue, ids);
        const first = runScript("server/worker.ts", env);
        await first.waitForOutput(/Tâches en attente/);
        await fifth;
        await killHard(first);
        const inFlight = await database.db.select().from(outbox).where(eq(outbox.status, "sending"));
        // The kill landed mid-send: the message is leased to a worker that no longer exists.
        expect(inFlight).toHaveLength(1);
        expect(inFlight[0]!.leaseUntil!.getTime()).toBeGreaterThan(Date.now());
        // The clock moves past the lease (a minute, in real life); the sweep hands the message on.
        await database.db.execute(sql`update outbox set lease_until = now() - interval '1 second' where status = 'sending'`);
        await dispatchDueOutbox(queue, await dueOutboxMessages(database.db));

        const second = runScript("server/worker.ts", env);
        try {
          await expect
            .poll(async () => (await database.db.select().from(outbox).where(eq(outbox.status, "sent"))).length, { timeout: 60_000, interval: 250 })
            .toBe(20);
        } finally {
          await stop(second);
        }
        // A receiving server keeps one copy per Message-ID: every message is there exactly once.
        const expected = ids.map((id) => outboxMessageId(id, "LinkedOut <bonjour@linkedout.localhost>", "http://localhost"));
        const mailbox = new Map<string, number>();
        for (const mail of smtp.received) mailbox.set(mail.messageId, (mailbox.get(mail.messageId) ?? 0) + 1);
        expect([...mailbox.keys()].sort()).toEqual([...expected].sort());
        for (const to of ids.map((_, i) => `tue-${i}@exemple.test`)) expect(new Set(smtp.received.filter((m) => m.to === to).map((m) => m.messageId)).size, to).toBe(1);
        // The message in flight at the kill was whole on the server when its sender died, so it went
        // again once the lease ran out — under the same Message-ID, the one copy a mailbox keeps.
        expect(smtp.received).toHaveLength(21);
        const twice = [...mailbox].filter(([, copies]) => copies > 1).map(([messageId]) => messageId);
        expect(twice).toEqual([outboxMessageId(inFlight[0]!.id, "LinkedOut <bonjour@linkedout.localhost>", "http://localhost")]);
      } finally {
        await stopQueue(boss);
        await database.close();
        await smtp.close();
      }
    });

    it("records a message as sent even when the database restarts while SMTP accepts it, so it does not go again", async () => {
      const smtp = await startSmtpCapture({ acceptDelayMs: 1500 });
      const app = await startTestApp({ database: openServerDatabase(server.url, { max: 3 }), smtp: false, workers: false, env: { SMTP_URL: smtp.url } });
      try {
        const id = await writeToOutbox(app.db, message("redemarrage@exemple.test"));
        const sending = sendEmailJob(app.services, { outboxId: id });
        await new Promise((resolve) => setTimeout(resolve, 300));
        await server.stopServer();
        await smtp.waitFor("redemarrage@exemple.test");
        await new Promise((resolve) => setTimeout(resolve, 1000));
        await server.startServer();
        await sending;
        expect((await app.db.select().from(outbox).where(eq(outbox.id, id)))[0]).toMatchObject({ status: "sent", attempts: 1 });
        expect(await dueOutboxIds(app.db, new Date(Date.now() + 10 * MINUTE), 0)).not.toContain(id);
        expect(smtp.received.filter((m) => m.to === "redemarrage@exemple.test")).toHaveLength(1);
      } finally {
        await app.close();
        await smtp.close();
      }
    });
  });
});
