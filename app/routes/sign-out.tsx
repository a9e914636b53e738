import { redirect } from "react-router";
import { revokeSession } from "~/domain/accounts/sessions";
import { readForm } from "~/http/forms.server";
import { clearSessionCookieHeader, getUser } from "~/http/session.server";
import type { Route } from "./+types/sign-out";

export function loader() {
  return redirect("/");
}

export async function action({ request, context }: Route.ActionArgs) {
  await readForm(request, context).catch(() => null);
  // Signing out never needs more than the cookie: even a stale form signs the person out.
  const user = await getUser(request, context);
  if (user) await revokeSession(context.services.db, user.sessionId);
  return redirect("/connexion?ok=deconnecte", { headers: { "Set-Cookie": await clearSessionCookieHeader(context) } });
}
