import { and, desc, eq, inArray, lt, or, sql } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { outbox, type Locale } from "~/db/schema";
import type { RenderedEmail } from "~/emails/render";
import type { JobQueue, Services } from "~/services.server";

export const SEND_EMAIL_JOB = "send-email";

export type OutgoingEmail = RenderedEmail & {
  to: string;
  toUserId?: string | null;
  locale: Locale;
  template: string;
};

/** Writes the message to the outbox (inside the caller's transaction when given one). */
export async function writeToOutbox(db: Db, email: OutgoingEmail): Promise<string> {
  const [row] = await db
    .insert(outbox)
    .values({
      toAddress: email.to,
      toUserId: email.toUserId ?? null,
      locale: email.locale,
      template: email.template,
      subject: email.subject,
      textBody: email.text,
      htmlBody: email.html,
    })
    .returning({ id: outbox.id });
  return row!.id;
}

/** Hands outbox messages to the queue. Call after the transaction that wrote them has committed. */
export async function dispatchOutbox(queue: JobQueue, ids: string[]): Promise<void> {
  for (const id of ids) await queue.send(SEND_EMAIL_JOB, { outboxId: id }, { singletonKey: id });
}

export async function sendEmail(services: Services, email: OutgoingEmail): Promise<string> {
  const id = await writeToOutbox(services.db, email);
  await dispatchOutbox(services.queue, [id]);
  return id;
}

/**
 * Takes a message for sending. Returns null when it is already sent, kept, or being sent by
 * another worker: a message is never sent twice, whatever the queue does.
 */
export async function claimOutboxMessage(db: Db, id: string) {
  const [row] = await db
    .update(outbox)
    .set({ status: "sending", claimedAt: new Date(), attempts: sql`${outbox.attempts} + 1` })
    .where(
      and(
        eq(outbox.id, id),
        or(
          inArray(outbox.status, ["pending", "failed"]),
          and(eq(outbox.status, "sending"), lt(outbox.claimedAt, new Date(Date.now() - 10 * 60 * 1000))),
        ),
      ),
    )
    .returning();
  return row ?? null;
}

export async function markOutboxMessage(
  db: Db,
  id: string,
  result: { status: "sent" | "kept" } | { status: "failed"; error: string },
): Promise<void> {
  await db
    .update(outbox)
    .set({
      status: result.status,
      claimedAt: null,
      sentAt: result.status === "sent" ? new Date() : null,
      lastError: result.status === "failed" ? result.error.slice(0, 1000) : null,
    })
    .where(eq(outbox.id, id));
}

/** Messages left pending (a crash between commit and enqueue) are handed to the queue again. */
export async function pendingOutboxIds(db: Db, olderThanSeconds: number): Promise<string[]> {
  const rows = await db
    .select({ id: outbox.id })
    .from(outbox)
    .where(and(eq(outbox.status, "pending"), lt(outbox.createdAt, new Date(Date.now() - olderThanSeconds * 1000))))
    .limit(500);
  return rows.map((r) => r.id);
}

export const OUTBOX_PAGE_SIZE = 50;

export async function listOutbox(db: Db, page: number) {
  return db
    .select({
      id: outbox.id,
      toAddress: outbox.toAddress,
      subject: outbox.subject,
      status: outbox.status,
      attempts: outbox.attempts,
      createdAt: outbox.createdAt,
    })
    .from(outbox)
    .orderBy(desc(outbox.createdAt), desc(outbox.id))
    .limit(OUTBOX_PAGE_SIZE + 1)
    .offset((page - 1) * OUTBOX_PAGE_SIZE);
}

export async function getOutboxMessage(db: Db, id: string) {
  const [row] = await db.select().from(outbox).where(eq(outbox.id, id)).limit(1);
  return row ?? null;
}
