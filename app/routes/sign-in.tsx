import { Link, redirect, useActionData, useSearchParams } from "react-router";
import { checkSignIn } from "~/domain/accounts/authentication";
import { formFailure, readForm } from "~/http/forms.server";
import { answerWithNewSession, getUser, safeRedirectPath } from "~/http/session.server";
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
    const { userId, role } = await checkSignIn(context.services, { email: form.get("email"), password: form.get("password") }, { ip: context.clientIp });
    const fallback = role === "staff" ? "/admin" : "/espace";
    // The answer first, the session last: a failure in between leaves no session row.
    const answer = redirect(safeRedirectPath(new URL(request.url).searchParams.get("retour"), fallback));
    return answerWithNewSession(context, answer, { userId, userAgent: request.headers.get("User-Agent") });
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
      <ErrorSummary errors={result?.errors} labels={{ email: "signIn.email", password: "signIn.password" }} />
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
