import { and, eq, isNotNull } from "drizzle-orm";
import { z } from "zod";
import type { Locale } from "~/db/schema";
import { shareLinks } from "~/db/schema";
import { fieldErrorsOf } from "~/domain/accounts/members";
import { randomToken, sha256 } from "~/domain/accounts/secrets";
import { dispatchOutbox, writeToOutbox } from "~/domain/email/outbox";
import { renderEmail } from "~/emails/render";
import { AppError } from "~/http/app-error";
import type { Services } from "~/services.server";

export const newsEmailSchema = z.object({
  email: z.string().trim().toLowerCase().max(254, "form.tooLong").pipe(z.email({ error: "form.invalidEmail" })),
});

/**
 * A sharer may leave an e-mail to be told of news (double opt-in): it is stored unconfirmed and
 * a confirmation link is sent; nothing else is ever sent before it is followed. A new address
 * replaces the previous one and must be confirmed again.
 */
export async function askForNews(services: Services, key: string, input: unknown, locale: Locale): Promise<void> {
  const parsed = newsEmailSchema.safeParse(input);
  if (!parsed.success) throw new AppError("INVALID", "form.errorSummary", fieldErrorsOf(parsed.error));
  const token = randomToken(32);
  const outboxId = await services.db.transaction(async (tx) => {
    const [link] = await tx
      .update(shareLinks)
      .set({ email: parsed.data.email, emailTokenHash: sha256(token), emailConfirmedAt: null })
      .where(eq(shareLinks.keyHash, sha256(key)))
      .returning({ id: shareLinks.id });
    if (!link) throw new AppError("NOT_FOUND", "Page introuvable");
    return writeToOutbox(tx, {
      to: parsed.data.email,
      locale,
      template: "share-link-news-confirmation",
      ...renderEmail(locale, "email.shareNews.subject", "email.shareNews.body", { link: `${services.config.publicUrl}/partage/${key}/confirmer/${token}` }),
    });
  });
  await dispatchOutbox(services.queue, [outboxId]);
}

/** Follows the confirmation link: true when the key and the token match a pending address. */
export async function confirmNews(services: Services, key: string, token: string): Promise<boolean> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(key) || !/^[A-Za-z0-9_-]{20,100}$/.test(token)) return false;
  const confirmed = await services.db
    .update(shareLinks)
    .set({ emailConfirmedAt: new Date(), emailTokenHash: null })
    .where(and(eq(shareLinks.keyHash, sha256(key)), eq(shareLinks.emailTokenHash, sha256(token)), isNotNull(shareLinks.email)))
    .returning({ id: shareLinks.id });
  return confirmed.length > 0;
}

/** Whether a confirmation link is still pending (the confirm page shows its button only then). */
export async function newsPending(services: Services, key: string, token: string): Promise<boolean> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(key) || !/^[A-Za-z0-9_-]{20,100}$/.test(token)) return false;
  const [row] = await services.db
    .select({ id: shareLinks.id })
    .from(shareLinks)
    .where(and(eq(shareLinks.keyHash, sha256(key)), eq(shareLinks.emailTokenHash, sha256(token))))
    .limit(1);
  return !!row;
}
