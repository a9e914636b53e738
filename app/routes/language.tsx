import { eq } from "drizzle-orm";
import { redirect } from "react-router";
import { users } from "~/db/schema";
import { readForm } from "~/http/forms.server";
import { getUser, langCookieHeader, safeRedirectPath } from "~/http/session.server";
import { isLocale } from "~/i18n";
import type { Route } from "./+types/language";

/**
 * Switches the interface language; a signed-in person keeps it for e-mails too. The header's
 * switch is a GET form (no token), so cached public pages carry no per-visitor token; the
 * worst a forged link can do is change someone's language.
 */
async function switchLanguage(request: Request, context: Route.LoaderArgs["context"], locale: unknown, back: string) {
  if (!isLocale(locale)) return redirect(back);
  const user = await getUser(request, context);
  if (user) await context.services.db.update(users).set({ locale }).where(eq(users.id, user.id));
  return redirect(back, { headers: { "Set-Cookie": await langCookieHeader(locale), "Cache-Control": "no-store" } });
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const url = new URL(request.url);
  return switchLanguage(request, context, url.searchParams.get("locale"), safeRedirectPath(url.searchParams.get("retour")));
}

export async function action({ request, context }: Route.ActionArgs) {
  const form = await readForm(request, context).catch(() => null);
  return switchLanguage(request, context, form?.get("locale"), safeRedirectPath(form?.get("retour")));
}
