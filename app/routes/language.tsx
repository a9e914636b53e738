import { eq } from "drizzle-orm";
import { redirect } from "react-router";
import { users } from "~/db/schema";
import { readForm } from "~/http/forms.server";
import { getUser, langCookieHeader, safeRedirectPath } from "~/http/session.server";
import { isLocale } from "~/i18n";
import type { Route } from "./+types/language";

export function loader() {
  return redirect("/");
}

/** Switches the interface language; a signed-in person keeps it for e-mails too. */
export async function action({ request, context }: Route.ActionArgs) {
  const form = await readForm(request, context).catch(() => null);
  const locale = form?.get("locale");
  const back = safeRedirectPath(form?.get("retour"));
  if (!isLocale(locale)) return redirect(back);
  const user = await getUser(request, context);
  if (user) await context.services.db.update(users).set({ locale }).where(eq(users.id, user.id));
  return redirect(back, { headers: { "Set-Cookie": await langCookieHeader(locale) } });
}
