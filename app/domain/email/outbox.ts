import { and, desc, eq, inArray, lt, or, sql } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { outbox, type Locale } from "~/db/schema";
import type { RenderedEmail } from "~/emails/render";
import { z } from "zod";
import { requireStaff, type Actor } from "~/domain/accounts/permissions";
import type { JobQueue, Services } from "~/services.server";

export const SEND_EMAIL_JOB = "send-email";

/** A claim older than this belongs to a worker that died mid-send (SMTP timeouts are shorter). */
export const STALE_CLAIM_MS = 2 * 60 * 1000;

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

/**
 * Writes a message that must never go twice (a reminder, a piece of news): `dedupKey` is unique
 * in the outbox, so a second call with the same key writes nothing and returns null, even from
 * another process or after a restart.
 */
export async function writeToOutboxOnce(db: Db, email: OutgoingEmail, dedupKey: string): Promise<string | null> {
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
      dedupKey,
    })
    .onConflictDoNothing({ target: outbox.dedupKey })
    .returning({ id: outbox.id });
  return row?.id ?? null;
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
          and(eq(outbox.status, "sending"), lt(outbox.claimedAt, new Date(Date.now() - STALE_CLAIM_MS))),
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

/**
 * Messages to hand to the queue again: left pending by a crash between commit and enqueue, or
 * claimed by a worker that died while sending.
 */
export async function pendingOutboxIds(db: Db, olderThanSeconds: number): Promise<string[]> {
  const rows = await db
    .select({ id: outbox.id })
    .from(outbox)
    .where(
      or(
        and(eq(outbox.status, "pending"), lt(outbox.createdAt, new Date(Date.now() - olderThanSeconds * 1000))),
        and(eq(outbox.status, "sending"), lt(outbox.claimedAt, new Date(Date.now() - STALE_CLAIM_MS))),
      ),
    )
    .limit(500);
  return rows.map((r) => r.id);
}

export const OUTBOX_PAGE_SIZE = 50;

export async function listOutbox(db: Db, actor: Actor | null, page: number) {
  requireStaff(actor);
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

/**
 * One message as staff read it. When messages really leave by SMTP, the single-use links they
 * carry (invitation, password reset, a sharer's news confirmation) are masked: staff must not be able to take over an account.
 * Without SMTP the outbox is the only way to pass them on, so they stay readable.
 */
export async function getOutboxMessage(services: Services, actor: Actor | null, id: string) {
  requireStaff(actor);
  if (!z.uuid().safeParse(id).success) return null;
  const [row] = await services.db.select().from(outbox).where(eq(outbox.id, id)).limit(1);
  if (!row) return null;
  if (!services.config.smtpUrl) return row;
  return { ...row, textBody: maskAccountLinks(row.textBody), htmlBody: maskAccountLinks(row.htmlBody) };
}

export function maskAccountLinks(text: string): string {
  // A sharer's private key (/partage/KEY/…) is a secret too: staff reading the outbox never see it.
  return text.replace(/(\/mot-de-passe\/)[A-Za-z0-9_-]{8,}/g, "$1••••••••").replace(/(\/partage\/)[A-Za-z0-9_-]{8,}(\/confirmer\/)[A-Za-z0-9_-]{8,}/g, "$1••••••••$2••••••••")
    .replace(/(\/partage\/)[A-Za-z0-9_-]{43}/g, "$1••••••••")
    // A check-in link answers for someone else: staff never see it either.
    .replace(/(\/suivi-embauche\/)[A-Za-z0-9_-]{8,}/g, "$1••••••••")
    // So does a one-click offer answer (it acts as the candidate).
    .replace(/(\/suivi-offre\/)[A-Za-z0-9_.-]{8,}/g, "$1••••••••");
}
