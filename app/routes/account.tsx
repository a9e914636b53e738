import { eq } from "drizzle-orm";
import { Link, redirect, useActionData, useLoaderData, useSearchParams } from "react-router";
import { locales, users } from "~/db/schema";
import { revokeAllSessions } from "~/domain/accounts/sessions";
import { AppError } from "~/http/app-error";
import { formFailure, readForm } from "~/http/forms.server";
import { clearSessionCookieHeader, langCookieHeader, requireUser } from "~/http/session.server";
import { isLocale } from "~/i18n";
import { CsrfForm, ErrorSummary, Notice, SelectField } from "~/ui/forms";
import { useT } from "~/ui/i18n";
import type { Route } from "./+types/account";

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = await requireUser(request, context);
  return { locale: user.locale, email: user.email };
}

export async function action({ request, context }: Route.ActionArgs) {
  const user = await requireUser(request, context);
  let form: FormData | undefined;
  try {
    form = await readForm(request, context);
    const intent = form.get("intent");
    if (intent === "sign-out-everywhere") {
      await revokeAllSessions(context.services.db, user.id);
      return redirect("/connexion?ok=partout", { headers: { "Set-Cookie": await clearSessionCookieHeader(context) } });
    }
    if (intent === "locale") {
      const locale = form.get("locale");
      if (!isLocale(locale)) throw new AppError("INVALID", "form.errorSummary", { locale: "form.invalidChoice" });
      await context.services.db.update(users).set({ locale, updatedAt: new Date() }).where(eq(users.id, user.id));
      return redirect("/compte?ok=1", { headers: { "Set-Cookie": await langCookieHeader(locale) } });
    }
    throw new AppError("INVALID", "form.invalidChoice");
  } catch (error) {
    return formFailure(error, form);
  }
}

export default function Account() {
  const t = useT();
  const account = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const saved = params.has("ok");
  return (
    <>
      <title>{`${t("account.title")} — LinkedOut`}</title>
      <h1>{t("account.title")}</h1>
      <p>{account.email}</p>
      {saved && <Notice>{t("form.saved")}</Notice>}
      <ErrorSummary errors={result?.errors} labels={{ locale: "account.language" }} />
      <CsrfForm>
        <input type="hidden" name="intent" value="locale" />
        <SelectField name="locale" label="account.language" defaultValue={account.locale} error={result?.errors.fields.locale}>
          {locales.map((l) => (
            <option key={l} value={l}>
              {t(`locale.${l}`)}
            </option>
          ))}
        </SelectField>
        <button type="submit" className="button button-secondary">
          {t("account.saveLanguage")}
        </button>
      </CsrfForm>
      <h2>{t("account.signOutEverywhere")}</h2>
      <p>{t("account.signOutEverywhereHelp")}</p>
      <CsrfForm>
        <input type="hidden" name="intent" value="sign-out-everywhere" />
        <button type="submit" className="button">
          {t("account.signOutEverywhere")}
        </button>
      </CsrfForm>
      <h2>{t("account.changePassword")}</h2>
      <p>
        <Link to="/mot-de-passe-oublie">{t("account.changePassword")}</Link>
      </p>
    </>
  );
}
