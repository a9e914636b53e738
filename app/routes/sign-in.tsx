import { Link, redirect, useActionData, useSearchParams } from "react-router";
import { signIn } from "~/domain/accounts/authentication";
import { formFailure, readForm } from "~/http/forms.server";
import { getUser, safeRedirectPath, sessionCookieHeader } from "~/http/session.server";
import { CsrfForm, ErrorSummary, Notice, TextField } from "~/ui/forms";
import { useT } from "~/ui/i18n";
import type { MessageKey } from "~/i18n";
import type { Route } from "./+types/sign-in";

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = await getUser(request, context);
  if (user) throw redirect(user.role === "staff" ? "/admin" : "/espace");
  return null;
}

export async function action({ request, context }: Route.ActionArgs) {
  let form: FormData | undefined;
  try {
    form = await readForm(request, context);
    // Where to go next is settled before the session exists: a bad `retour` cannot fail the answer after it.
    const back = safeRedirectPath(new URL(request.url).searchParams.get("retour"), "");
    const { token, role } = await signIn(
      context.services,
      { email: form.get("email"), password: form.get("password") },
      { ip: context.clientIp, userAgent: request.headers.get("User-Agent") },
    );
    return redirect(back || (role === "staff" ? "/admin" : "/espace"), {
      headers: { "Set-Cookie": await sessionCookieHeader(context, token) },
    });
  } catch (error) {
    return formFailure(error, form);
  }
}

const notices: Record<string, MessageKey> = {
  "mot-de-passe": "signIn.passwordSet",
  deconnecte: "signIn.signedOut",
  partout: "signIn.signedOutEverywhere",
};

export default function SignIn() {
  const t = useT();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const notice = notices[params.get("ok") ?? ""];
  return (
    <>
      <title>{`${t("signIn.title")} — LinkedOut`}</title>
      <h1>{t("signIn.title")}</h1>
      {notice && <Notice>{t(notice)}</Notice>}
      <ErrorSummary errors={result?.errors} />
      <CsrfForm noValidate>
        <TextField name="email" type="email" label="signIn.email" autoComplete="username" defaultValue={result?.values.email} required />
        <TextField name="password" type="password" label="signIn.password" autoComplete="current-password" required />
        <button type="submit" className="button">
          {t("signIn.submit")}
        </button>
      </CsrfForm>
      <p>
        <Link to="/mot-de-passe-oublie">{t("signIn.forgot")}</Link>
      </p>
    </>
  );
}
