import { eq } from "drizzle-orm";
import { z } from "zod";
import { limitedText } from "~/domain/text";
import type { Db } from "~/db/client.server";
import { siteTexts } from "~/db/schema";
import { requireStaff, type Actor } from "~/domain/accounts/permissions";
import { AppError } from "~/http/app-error";
import type { Locale } from "~/db/schema";
import { translator } from "~/i18n";

export const SHARE_TEXT_KEY = "share.text.fr";
export const FIRST_NAME_PLACEHOLDER = "{prénom}";

/** The staff form: the French text must keep the `{prénom}` placeholder. */
export const shareTextSchema = z.object({
  value: limitedText(280, "texts.tooLong")
    .min(10, "texts.tooShort")
    .refine((value) => value.includes(FIRST_NAME_PLACEHOLDER), "texts.placeholderMissing"),
});

/** The French template as staff last saved it, or the catalogue's default (with `{prénom}`). */
export async function shareTextTemplate(db: Db): Promise<{ value: string; updatedAt: Date | null }> {
  const [row] = await db.select({ value: siteTexts.value, updatedAt: siteTexts.updatedAt }).from(siteTexts).where(eq(siteTexts.key, SHARE_TEXT_KEY));
  return row ?? { value: translator("fr")("share.text", { firstName: FIRST_NAME_PLACEHOLDER }), updatedAt: null };
}

/**
 * Every share redirect needs the template: it is kept a few seconds per database handle, and
 * dropped at once when staff save it in this process (other processes see it within TEMPLATE_TTL).
 * The registry is on `globalThis` because the server and the build each load their own copy of
 * this module in one process.
 */
const TEMPLATE_TTL_MS = 5000;
const templates: WeakMap<Db, { value: string; until: number }> = ((globalThis as Record<symbol, unknown>)[Symbol.for("linkedout.share-text")] ??=
  new WeakMap()) as WeakMap<Db, { value: string; until: number }>;

async function cachedTemplate(db: Db): Promise<string> {
  const known = templates.get(db);
  if (known && known.until > Date.now()) return known.value;
  const { value } = await shareTextTemplate(db);
  templates.set(db, { value, until: Date.now() + TEMPLATE_TTL_MS });
  return value;
}

/**
 * The pre-filled text of a share, for one candidate. In French, the staff-edited text (when
 * there is one); in English, the catalogue's text.
 */
export async function shareText(db: Db, firstName: string, locale: Locale): Promise<string> {
  if (locale !== "fr") return translator(locale)("share.text", { firstName });
  const value = await cachedTemplate(db);
  return value.replaceAll(FIRST_NAME_PLACEHOLDER, firstName);
}

export async function saveShareText(db: Db, actor: Actor | null, input: unknown): Promise<void> {
  const staff = requireStaff(actor);
  const parsed = shareTextSchema.safeParse(input);
  if (!parsed.success) {
    const fields = Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0]), issue.message]));
    throw new AppError("INVALID", "form.errorSummary", fields);
  }
  const now = new Date();
  await db
    .insert(siteTexts)
    .values({ key: SHARE_TEXT_KEY, value: parsed.data.value, updatedById: staff.id, updatedAt: now })
    .onConflictDoUpdate({ target: siteTexts.key, set: { value: parsed.data.value, updatedById: staff.id, updatedAt: now } });
  templates.delete(db);
}
