import { and, desc, eq, inArray, isNotNull, or } from "drizzle-orm";
import { z } from "zod";
import { limitedText } from "~/domain/text";
import type { Locale } from "~/db/schema";
import { cohortMembers, cvs, outbox, publicCvs, shareLinks } from "~/db/schema";
import { fieldErrorsOf } from "~/domain/accounts/members";
import { randomToken, sha256 } from "~/domain/accounts/secrets";
import { dispatchOutbox, writeToOutbox } from "~/domain/email/outbox";
import { renderEmail } from "~/emails/render";
import { deliver, notify, type Notice } from "~/domain/notifications/notify";
import { AppError } from "~/http/app-error";
import type { Services } from "~/services.server";
import { keyOfStoredLink } from "./share-links";

export const newsEmailSchema = z.object({
  email: limitedText(254, "form.tooLong").toLowerCase().pipe(z.email({ error: "form.invalidEmail" })),
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

/** "Ne plus recevoir": the address is forgotten at once; the link and its figures stay. */
export async function stopNews(services: Services, key: string): Promise<void> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(key)) throw new AppError("NOT_FOUND", "Page introuvable");
  const [link] = await services.db
    .update(shareLinks)
    .set({ email: null, emailTokenHash: null, emailConfirmedAt: null })
    .where(eq(shareLinks.keyHash, sha256(key)))
    .returning({ id: shareLinks.id });
  if (!link) throw new AppError("NOT_FOUND", "Page introuvable");
}

/**
 * A CV's candidate was recorded as employed: every link to that CV, or to a cohort holding it,
 * whose address is confirmed gets one e-mail, with the way to its private page and to stop the
 * news. "One" is a unique outbox key per link and news (the candidate's employment start), so
 * recording the job twice, or two processes at once, send nothing more. Unconfirmed addresses
 * get nothing; a CV that is not public gets no news (its first name is not ours to send).
 */
export async function shareEmploymentNews(services: Services, cvSlug: string): Promise<void> {
  // The server secret derives each link's private key (see share-links.ts); without it, no link.
  const secret = services.sessionSecret;
  if (!secret) return;
  const [cv] = await services.db
    .select({ id: cvs.id, employedAt: cvs.employedAt, card: publicCvs.card })
    .from(cvs)
    .innerJoin(publicCvs, eq(publicCvs.cvId, cvs.id))
    .where(eq(cvs.slug, cvSlug))
    .limit(1);
  if (!cv?.employedAt) return;
  const news = `employed:${cv.id}:${cv.employedAt.toISOString()}`;
  const firstName = cv.card.firstName;
  const base = services.config.publicUrl;
  const outboxIds = await services.db.transaction(async (tx) => {
    const links = await tx
      .select({ id: shareLinks.id, code: shareLinks.code, keyHash: shareLinks.keyHash, email: shareLinks.email })
      .from(shareLinks)
      .where(
        and(
          isNotNull(shareLinks.emailConfirmedAt),
          isNotNull(shareLinks.email),
          or(eq(shareLinks.cvId, cv.id), inArray(shareLinks.cohortId, tx.select({ id: cohortMembers.cohortId }).from(cohortMembers).where(eq(cohortMembers.cvId, cv.id)))),
        ),
      );
    const locales = await localesOf(tx, links.flatMap((link) => (link.email ? [link.email] : [])));
    const notices: Notice[] = [];
    for (const link of links) {
      const key = keyOfStoredLink(secret, link);
      if (!key || !link.email) continue;
      notices.push({
        to: { email: link.email, locale: locales.get(link.email) ?? "fr" },
        template: "share-link-news-employed",
        subject: "email.shareNewsEmployed.subject",
        body: "email.shareNewsEmployed.body",
        vars: { firstName, report: `${base}/partage/${key}`, stop: `${base}/partage/${key}/arreter` },
        // Once per link and job, whoever records it and however often (a unique key in the outbox).
        once: `share-news:${news}:${link.id}`,
      });
    }
    return notify(tx, notices);
  });
  await deliver(services.queue, outboxIds);
}

/** The sharers left no language: we write in the one their confirmation e-mail was sent in (one query for all). */
async function localesOf(db: Services["db"], emails: string[]): Promise<Map<string, Locale>> {
  if (emails.length === 0) return new Map();
  const rows = await db
    .selectDistinctOn([outbox.toAddress], { email: outbox.toAddress, locale: outbox.locale })
    .from(outbox)
    .where(and(inArray(outbox.toAddress, emails), eq(outbox.template, "share-link-news-confirmation")))
    .orderBy(outbox.toAddress, desc(outbox.createdAt));
  return new Map(rows.map((row) => [row.email, row.locale]));
}
