import nodemailer, { type Transporter } from "nodemailer";
import { claimOutboxMessage, dispatchOutbox, markOutboxMessage, pendingOutboxIds } from "~/domain/email/outbox";
import type { Services } from "~/services.server";

const transports = new Map<string, Transporter>();
function transportFor(smtpUrl: string): Transporter {
  let transport = transports.get(smtpUrl);
  if (!transport) {
    // Short timeouts: a hung SMTP server must fail the job (and its retry) well before the claim goes stale.
    transport = nodemailer.createTransport(smtpUrl, { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000 } as never);
    transports.set(smtpUrl, transport);
  }
  return transport;
}

export async function sendEmailJob(services: Services, data: { outboxId: string }): Promise<void> {
  const message = await claimOutboxMessage(services.db, data.outboxId);
  if (!message) return; // already sent, kept, or in another worker's hands
  if (!services.config.smtpUrl) {
    await markOutboxMessage(services.db, message.id, { status: "kept" });
    return;
  }
  try {
    await transportFor(services.config.smtpUrl).sendMail({
      from: services.config.mailFrom,
      to: message.toAddress,
      subject: message.subject,
      text: message.textBody,
      html: message.htmlBody,
      headers: { "X-LinkedOut-Message": message.id },
    });
  } catch (error) {
    await markOutboxMessage(services.db, message.id, { status: "failed", error: (error as Error).message });
    throw error; // the queue retries with backoff
  }
  await markOutboxMessage(services.db, message.id, { status: "sent" });
}

export async function sweepOutboxJob(services: Services): Promise<void> {
  await dispatchOutbox(services.queue, await pendingOutboxIds(services.db, 60));
}
