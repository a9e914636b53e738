import { and, desc, eq, inArray, isNull, lt, lte, ne, or, sql } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { outbox, users, type Locale } from "~/db/schema";
import type { RenderedEmail } from "~/emails/render";
import { z } from "zod";
import { requireStaff, type Actor } from "~/domain/accounts/permissions";
import { staffPeopleScope } from "~/domain/accounts/zone-scope";
import { AppError } from "~/http/app-error";
import type { JobQueue, Services } from "~/services.server";

export const SEND_EMAIL_JOB = "send-email";

/**
 * A sender holds a message for this long, and renews the lease while SMTP is still talking
 * (decision 015): once the lease has run out, the sender is taken for dead and the message is
 * given to another worker.
 */
export const LEASE_MS = 60_000;
/** The longest wait between two attempts of a failed message. */
export const MAX_BACKOFF_MS = 30 * 60_000;
const FIRST_BACKOFF_MS = 30_000;

/** How long a message that failed its `attempts`-th time waits: 30 s, 1 min, 2 min… at most 30 min. */
export function retryDelayMs(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** Math.max(0, attempts - 1));
}

/**
 * The SMTP `Message-ID` of an outbox message: fixed by its row, so every attempt carries the same
 * one and a receiving server can drop a copy sent again after a sender died mid-send.
 */
export function outboxMessageId(id: string, mailFrom: string, publicUrl: string): string {
  const domain = /@([A-Za-z0-9.-]+)/.exec(mailFrom)?.[1] ?? new URL(publicUrl).hostname;
  return `<outbox-${id}@${domain}>`;
}

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

/**
 * Hands due messages (see dueOutboxMessages) to the queue, one job per attempt: the queue key
 * carries the attempt number, so the job of a sender that died (still "active" for the queue
 * until it expires) does not hold the next attempt back.
 */
export async function dispatchDueOutbox(queue: JobQueue, messages: { id: string; attempts: number }[]): Promise<void> {
  for (const { id, attempts } of messages) await queue.send(SEND_EMAIL_JOB, { outboxId: id }, { singletonKey: `${id}#${attempts}` });
}

export async function sendEmail(services: Services, email: OutgoingEmail): Promise<string> {
  const id = await writeToOutbox(services.db, email);
  await dispatchOutbox(services.queue, [id]);
  return id;
}

/**
 * Takes a message for sending, with a lease of `leaseMs`. Returns null when it is already sent,
 * kept, undelivered, not yet due, or leased by another worker that is still alive: a message is
 * never in two senders' hands at once, whatever the queue does.
 */
export async function claimOutboxMessage(db: Db, id: string, options: { now?: Date; leaseMs?: number } = {}) {
  const now = options.now ?? new Date();
  const [row] = await db
    .update(outbox)
    .set({
      status: "sending",
      claimedAt: now,
      leaseUntil: new Date(now.getTime() + (options.leaseMs ?? LEASE_MS)),
      attempts: sql`${outbox.attempts} + 1`,
    })
    .where(and(eq(outbox.id, id), isDue(now)))
    .returning();
  return row ?? null;
}

/** Due for an attempt at `now`: waiting, failed and past its backoff, or leased by a sender now gone. */
function isDue(now: Date) {
  return or(
    eq(outbox.status, "pending"),
    and(eq(outbox.status, "failed"), or(isNull(outbox.nextAttemptAt), lte(outbox.nextAttemptAt, now))),
    and(eq(outbox.status, "sending"), or(isNull(outbox.leaseUntil), lt(outbox.leaseUntil, now))),
  )!;
}

/**
 * Extends the lease of a message this sender still holds (`attempt` is the attempt it claimed).
 * False when the lease was lost: another worker took the message over.
 */
export async function renewOutboxLease(db: Db, id: string, attempt: number, until: Date): Promise<boolean> {
  const rows = await db
    .update(outbox)
    .set({ leaseUntil: until })
    .where(and(eq(outbox.id, id), eq(outbox.status, "sending"), eq(outbox.attempts, attempt)))
    .returning({ id: outbox.id });
  return rows.length > 0;
}

export async function markOutboxMessage(
  db: Db,
  message: { id: string; attempts: number; retryUntil: Date },
  result: { status: "sent" | "kept" } | { status: "failed"; error: string },
  now: Date = new Date(),
): Promise<void> {
  if (result.status !== "failed") {
    // Sent is sent, even if this sender's lease ran out meanwhile.
    await db
      .update(outbox)
      .set({ status: result.status, claimedAt: null, leaseUntil: null, nextAttemptAt: null, sentAt: result.status === "sent" ? now : null, lastError: null })
      .where(eq(outbox.id, message.id));
    return;
  }
  // Past its retry window the message is given up on and shown to staff, who may send it again.
  const givenUp = now.getTime() >= new Date(message.retryUntil).getTime();
  await db
    .update(outbox)
    .set({
      status: givenUp ? "undelivered" : "failed",
      claimedAt: null,
      leaseUntil: null,
      nextAttemptAt: givenUp ? null : new Date(now.getTime() + retryDelayMs(message.attempts)),
      lastError: result.error.slice(0, 1000),
    })
    // Only the sender holding this attempt writes its failure (a newer attempt may be under way).
    .where(and(eq(outbox.id, message.id), eq(outbox.status, "sending"), eq(outbox.attempts, message.attempts)));
}

/**
 * Messages due at `now`, to hand to the queue: left pending by a crash between commit and
 * enqueue (after `pendingGraceSeconds`), failed and past their backoff, or leased by a sender that died.
 */
export async function dueOutboxMessages(db: Db, now: Date = new Date(), pendingGraceSeconds = 60): Promise<{ id: string; attempts: number }[]> {
  return db
    .select({ id: outbox.id, attempts: outbox.attempts })
    .from(outbox)
    .where(
      and(
        isDue(now),
        or(ne(outbox.status, "pending"), lt(outbox.createdAt, new Date(now.getTime() - pendingGraceSeconds * 1000))),
      ),
    )
    .orderBy(outbox.createdAt)
    .limit(500);
}

export async function dueOutboxIds(db: Db, now: Date = new Date(), pendingGraceSeconds = 60): Promise<string[]> {
  return (await dueOutboxMessages(db, now, pendingGraceSeconds)).map((m) => m.id);
}

/**
 * Staff send an undelivered (or failed) message again: it is due at once, with a new retry window.
 * Anything else (sent, kept, being sent) is left as it is.
 */
export async function resendOutboxMessage(services: Services, actor: Actor | null, id: string): Promise<void> {
  const staff = requireStaff(actor);
  if (!z.uuid().safeParse(id).success) throw new AppError("NOT_FOUND", "notFound.title");
  const now = new Date();
  const rows = await services.db
    .update(outbox)
    .set({ status: "pending", nextAttemptAt: null, retryUntil: new Date(now.getTime() + RETRY_WINDOW_MS) })
    .where(and(eq(outbox.id, id), inArray(outbox.status, ["undelivered", "failed"]), outboxScope(staff)))
    .returning({ id: outbox.id });
  if (rows.length === 0) {
    const [exists] = await services.db.select({ id: outbox.id }).from(outbox).where(and(eq(outbox.id, id), outboxScope(staff)));
    if (!exists) throw new AppError("NOT_FOUND", "notFound.title");
    throw new AppError("CONFLICT", "outbox.notResendable");
  }
  await dispatchOutbox(services.queue, [id]);
}

/** How long a message is retried before staff are shown it as undelivered (as the column's default). */
export const RETRY_WINDOW_MS = 3 * 86_400_000;

/**
 * The messages a staff member may read (decision 020): national staff all of them; staff of a
 * zone those to the people of their boundary, and those to no account (recruiters, sharers, whose
 * one-time links are masked). A message to someone else's candidate — or to national staff — may
 * carry a link that acts as its recipient: it does not exist for them.
 */
function outboxScope(actor: Actor) {
  const people = staffPeopleScope(actor);
  if (!people) return undefined;
  return or(isNull(outbox.toUserId), inArray(outbox.toUserId, sql`(select ${users.id} from ${users} where ${people})`));
}

export const OUTBOX_PAGE_SIZE = 50;

/** How many messages were given up on: staff see it above the outbox. */
export async function countUndelivered(db: Db, actor: Actor | null): Promise<number> {
  const staff = requireStaff(actor);
  const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(outbox).where(and(eq(outbox.status, "undelivered"), outboxScope(staff)));
  return row?.count ?? 0;
}

export async function listOutbox(db: Db, actor: Actor | null, page: number) {
  const staff = requireStaff(actor);
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
    .where(outboxScope(staff))
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
  const staff = requireStaff(actor);
  if (!z.uuid().safeParse(id).success) return null;
  const [row] = await services.db.select().from(outbox).where(and(eq(outbox.id, id), outboxScope(staff))).limit(1);
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
