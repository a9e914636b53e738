import { useActionData } from "react-router";
import { requestPasswordReset } from "~/domain/accounts/authentication";
import { formFailure, readForm } from "~/http/forms.server";
import { CsrfForm, ErrorSummary, Notice, TextField } from "~/ui/forms";
import { useT } from "~/ui/i18n";
import type { Route } from "./+types/forgot-password";

export async function action({ request, context }: Route.ActionArgs) {
  let form: FormData | undefined;
  try {
    form = await readForm(request, context);
    await requestPasswordReset(context.services, { email: form.get("email") }, { ip: context.clientIp });
    // The same answer whether or not the address has an account.
    return { ok: true as const };
  } catch (error) {
    return formFailure(error, form);
  }
}

export default function ForgotPassword() {
  const t = useT();
  const result = useActionData<typeof action>();
  return (
    <>
      <title>{`${t("forgot.title")} — LinkedOut`}</title>
      <h1>{t("forgot.title")}</h1>
      {result?.ok ? (
        <Notice>{t("forgot.sent")}</Notice>
      ) : (
        <>
          <p>{t("forgot.intro")}</p>
          <ErrorSummary errors={result?.errors} labels={{ email: "signIn.email" }} />
          <CsrfForm noValidate>
            <TextField
              name="email"
              type="email"
              label="signIn.email"
              autoComplete="email"
              defaultValue={result?.values.email}
              error={result?.errors.fields.email}
              required
            />
            <button type="submit" className="button">
              {t("forgot.submit")}
            </button>
          </CsrfForm>
        </>
      )}
    </>
  );
}
