import { logger } from "~/logger.server";
import nodemailer, { type Transporter } from "nodemailer";
import {
  claimOutboxMessage,
  dispatchDueOutbox,
  dueOutboxMessages,
  LEASE_MS,
  markOutboxMessage,
  outboxMessageId,
  renewOutboxLease,
} from "~/domain/email/outbox";
import { isDatabaseUnavailable } from "~/db/unavailable";
import type { Services } from "~/services.server";

const transports = new Map<string, Transporter>();
function transportFor(smtpUrl: string): Transporter {
  let transport = transports.get(smtpUrl);
  if (!transport) {
    // A hung SMTP server fails the attempt (the lease is renewed meanwhile, so nobody else sends it).
    transport = nodemailer.createTransport(smtpUrl, { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000 } as never);
    transports.set(smtpUrl, transport);
  }
  return transport;
}

/**
 * Sends one outbox message, at most one sender at a time (decision 015). An SMTP failure is not
 * thrown to the queue: the row itself records when to try again, and the sweep brings it back,
 * so no retry limit of the queue can abandon a message. `now` drives the clock in tests.
 */
export async function sendEmailJob(services: Services, data: { outboxId: string }, options: { now?: Date; leaseMs?: number } = {}): Promise<void> {
  const started = Date.now();
  const clock = () => (options.now ? new Date(options.now.getTime() + Date.now() - started) : new Date());
  const leaseMs = options.leaseMs ?? LEASE_MS;
  const message = await claimOutboxMessage(services.db, data.outboxId, { now: clock(), leaseMs });
  if (!message) return; // already sent, kept, not due yet, or in another live worker's hands
  if (!services.config.smtpUrl) {
    await markOutboxMessage(services.db, message, { status: "kept" }, clock());
    return;
  }
  // The lease is renewed while SMTP talks: a slow server never makes a second worker send it too.
  const renewal = setInterval(() => {
    renewOutboxLease(services.db, message.id, message.attempts, new Date(clock().getTime() + leaseMs)).catch((error: Error) =>
      logger.warn({ err: error, outboxId: message.id }, "Outbox lease not renewed"),
    );
  }, leaseMs / 3);
  try {
    await transportFor(services.config.smtpUrl).sendMail({
      from: services.config.mailFrom,
      to: message.toAddress,
      subject: message.subject,
      text: message.textBody,
      html: message.htmlBody,
      messageId: outboxMessageId(message.id, services.config.mailFrom, services.config.publicUrl),
      headers: { "X-LinkedOut-Message": message.id },
    });
  } catch (error) {
    clearInterval(renewal);
    logger.warn({ err: error, outboxId: message.id, attempt: message.attempts }, "E-mail not sent, tried again later");
    await markOutboxMessage(services.db, message, { status: "failed", error: (error as Error).message }, clock());
    return;
  }
  clearInterval(renewal);
  // The message is out: write it down even if the database is restarting right now, before the
  // lease runs out and another worker sends it again.
  const deadline = Date.now() + (leaseMs * 3) / 4;
  for (;;) {
    try {
      await markOutboxMessage(services.db, message, { status: "sent" }, clock());
      return;
    } catch (error) {
      if (!isDatabaseUnavailable(error) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000, leaseMs / 10)));
    }
  }
}

/** Every minute: hands the queue every message due now (see dueOutboxIds). */
export async function sweepOutboxJob(services: Services): Promise<void> {
  await dispatchDueOutbox(services.queue, await dueOutboxMessages(services.db));
}
