import { data, Link, redirect, useActionData, useLoaderData } from "react-router";
import { findValidToken, setPasswordWithToken } from "~/domain/accounts/account-tokens";
import { AppError } from "~/http/app-error";
import { formFailure, readForm } from "~/http/forms.server";
import { CsrfForm, ErrorSummary, TextField } from "~/ui/forms";
import { useT } from "~/ui/i18n";
import type { Route } from "./+types/set-password";

export async function loader({ params, context }: Route.LoaderArgs) {
  const token = await findValidToken(context.services.db, params.token);
  // A used or expired link is answered with a clear page (410 Gone), never a form that would fail later.
  if (!token) return data({ valid: false as const }, { status: 410, headers: { "Referrer-Policy": "same-origin" } });
  return data({ valid: true as const, purpose: token.purpose, firstName: token.firstName }, { headers: { "Referrer-Policy": "same-origin" } });
}

export async function action({ request, params, context }: Route.ActionArgs) {
  let form: FormData | undefined;
  try {
    form = await readForm(request, context);
    const password = String(form.get("password") ?? "");
    if (password !== String(form.get("confirm") ?? "")) {
      throw new AppError("INVALID", "form.errorSummary", { confirm: "password.mismatch" });
    }
    await setPasswordWithToken(context.services.db, params.token, password);
    return redirect("/connexion?ok=mot-de-passe");
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") return data({ expired: true as const }, { status: 410 });
    return formFailure(error, form);
  }
}

export default function SetPassword() {
  const t = useT();
  const token = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (!token.valid || (result && "expired" in result)) {
    return (
      <>
        <title>{`${t("setPassword.invalidLink")} — LinkedOut`}</title>
        <h1>{t("setPassword.invalidLink")}</h1>
        <p>{t("setPassword.invalidLinkHelp")}</p>
        <p>
          <Link className="button" to="/mot-de-passe-oublie">
            {t("setPassword.askNew")}
          </Link>
        </p>
      </>
    );
  }
  const title = t(token.purpose === "invitation" ? "setPassword.titleInvitation" : "setPassword.titleReset");
  const errors = result && "errors" in result ? result.errors : undefined;
  return (
    <>
      <title>{`${title} — LinkedOut`}</title>
      <h1>{title}</h1>
      <ErrorSummary errors={errors} labels={{ password: "setPassword.password", confirm: "setPassword.confirm" }} />
      <CsrfForm noValidate>
        <TextField
          name="password"
          type="password"
          label="setPassword.password"
          hint="setPassword.passwordHint"
          autoComplete="new-password"
          error={errors?.fields.password}
          required
        />
        <TextField name="confirm" type="password" label="setPassword.confirm" autoComplete="new-password" error={errors?.fields.confirm} required />
        <button type="submit" className="button">
          {t("setPassword.submit")}
        </button>
      </CsrfForm>
    </>
  );
}
