import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outbox } from "../../app/db/schema";
import { aStaffMember } from "../../app/db/factories";
import { dispatchOutbox, getOutboxMessage, sendEmail, SEND_EMAIL_JOB, writeToOutbox } from "../../app/domain/email/outbox";
import { renderEmail } from "../../app/emails/render";
import { sendEmailJob, sweepOutboxJob } from "../../app/jobs/send-email.server";
import { startTestApp, type TestApp } from "../support/test-app";

const message = (to: string) => ({
  to,
  locale: "fr" as const,
  template: "test",
  ...renderEmail("fr", "email.reset.subject", "email.reset.body", { firstName: "Rose", link: "http://localhost/x" }),
});

describe("e-mails go through the outbox and a job", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it("sends a queued message once over SMTP and records it as sent", async () => {
    const id = await sendEmail(app.services, message("rose@exemple.test"));
    const mail = await app.smtp.waitFor("rose@exemple.test");
    expect(mail.subject).toBe("Choisir un nouveau mot de passe LinkedOut");
    expect(mail.html).toContain("<p>Bonjour Rose,</p>");
    await expect.poll(async () => (await app.db.select().from(outbox).where(eq(outbox.id, id)))[0]?.status).toBe("sent");
  });

  it("never sends the same message twice, even when its job runs twice at once", async () => {
    const id = await writeToOutbox(app.db, message("double@exemple.test"));
    await Promise.all([sendEmailJob(app.services, { outboxId: id }), sendEmailJob(app.services, { outboxId: id })]);
    await sendEmailJob(app.services, { outboxId: id });
    await dispatchOutbox(app.services.queue, [id]);
    await app.smtp.waitFor("double@exemple.test");
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(app.smtp.received.filter((m) => m.to.includes("double@exemple.test"))).toHaveLength(1);
    const [row] = await app.db.select().from(outbox).where(eq(outbox.id, id));
    expect(row).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("hands messages left pending by a crash back to the queue", async () => {
    const id = await writeToOutbox(app.db, message("oublie@exemple.test"));
    await app.db.update(outbox).set({ createdAt: new Date(Date.now() - 5 * 60 * 1000) }).where(eq(outbox.id, id));
    await sweepOutboxJob(app.services);
    await app.smtp.waitFor("oublie@exemple.test");
  });
});

describe("when the SMTP server is down", () => {
  it("marks the message failed, keeps the error, and sets its next attempt itself rather than leave it to the queue's retry limit", async () => {
    const app = await startTestApp({ smtp: false, env: { SMTP_URL: "smtp://127.0.0.1:1" } });
    try {
      const before = Date.now();
      const id = await sendEmail(app.services, message("panne@exemple.test"));
      await expect.poll(async () => (await app.db.select().from(outbox).where(eq(outbox.id, id)))[0]?.status, { timeout: 15_000 }).toBe("failed");
      const [row] = await app.db.select().from(outbox).where(eq(outbox.id, id));
      expect(row!.attempts).toBe(1);
      expect(row!.lastError).toMatch(/ECONNREFUSED|connect/i);
      expect(row!.nextAttemptAt!.getTime()).toBeGreaterThanOrEqual(before + 30_000);
      expect(row!.retryUntil.getTime()).toBeGreaterThanOrEqual(before + 3 * 86_400_000 - 60_000);
      // The job itself is done: the outbox row, not pg-boss, decides when the message is tried again.
      await expect
        .poll(async () => (await app.db.execute<{ state: string }>(sql`select state from pgboss.job where name = ${SEND_EMAIL_JOB} and data->>'outboxId' = ${id}`)).rows[0]?.state)
        .toBe("completed");
    } finally {
      await app.close();
    }
  });
});

describe("without SMTP (the embedded default)", () => {
  it("keeps every message in the outbox for staff to read", async () => {
    const app = await startTestApp({ smtp: false });
    try {
      const invitation = { ...message("garde@exemple.test"), text: "Ouvrez http://localhost/mot-de-passe/AbCdEfGhIjKlMnOp" };
      const id = await sendEmail(app.services, invitation);
      await expect.poll(async () => (await app.db.select().from(outbox).where(eq(outbox.id, id)))[0]?.status, { timeout: 10_000 }).toBe("kept");
      // Staff are the only way such a link reaches its owner here, so they see it whole.
      const staff = await aStaffMember(app.db);
      expect((await getOutboxMessage(app.services, staff, id))?.textBody).toContain("/mot-de-passe/AbCdEfGhIjKlMnOp");
      await expect(getOutboxMessage(app.services, { ...staff, role: "coach" }, id)).rejects.toThrow();
    } finally {
      await app.close();
    }
  });
});
