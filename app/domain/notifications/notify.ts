import type { Db } from "~/db/client.server";
import type { Locale } from "~/db/schema";
import { dispatchOutbox, writeToOutbox, writeToOutboxOnce } from "~/domain/email/outbox";
import { renderEmail } from "~/emails/render";
import type { MessageKey } from "~/i18n";
import type { JobQueue } from "~/services.server";

/**
 * Every notification of the product goes through here: today by e-mail (through the outbox,
 * with retries), tomorrow perhaps by text message — a channel is added in this file only.
 */
export type Recipient = { email: string; userId?: string | null; locale: Locale; firstName?: string };

export type Notice = {
  to: Recipient;
  /** A short stable name, kept with the message (e.g. "offer_dispatched"). */
  template: string;
  subject: MessageKey;
  body: MessageKey;
  vars: Record<string, string>;
  /** A notice that must never go twice (a reminder, a check-in) names itself here. */
  once?: string;
};

/**
 * Writes notices inside the caller's transaction and returns what to `deliver` after commit.
 * A notice whose `once` key was already used is skipped silently.
 */
export async function notify(tx: Db, notices: Notice[]): Promise<string[]> {
  const ids: string[] = [];
  for (const notice of notices) {
    const email = {
      to: notice.to.email,
      toUserId: notice.to.userId ?? null,
      locale: notice.to.locale,
      template: notice.template,
      ...renderEmail(notice.to.locale, notice.subject, notice.body, { firstName: notice.to.firstName ?? "", ...notice.vars }),
    };
    const id = notice.once ? await writeToOutboxOnce(tx, email, notice.once) : await writeToOutbox(tx, email);
    if (id) ids.push(id);
  }
  return ids;
}

/** Hands written notices to the senders. Call after the transaction that wrote them committed. */
export async function deliver(queue: JobQueue, ids: string[]): Promise<void> {
  await dispatchOutbox(queue, ids);
}
