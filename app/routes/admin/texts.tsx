import { redirect, useActionData, useLoaderData, useSearchParams } from "react-router";
import { saveShareText, shareTextTemplate } from "~/domain/sharing/share-text";
import { requireStaffUser } from "~/http/guards.server";
import { formFailure, readForm } from "~/http/forms.server";
import { CsrfForm, ErrorSummary, Notice, TextField } from "~/ui/forms";
import { useT } from "~/ui/i18n";
import type { Route } from "./+types/texts";

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireStaffUser(request, context);
  return { shareText: await shareTextTemplate(context.services.db) };
}

export async function action({ request, context }: Route.ActionArgs) {
  const user = await requireStaffUser(request, context);
  let form: FormData | undefined;
  try {
    form = await readForm(request, context);
    await saveShareText(context.services.db, user, { value: form.get("value") ?? "" });
    return redirect("/admin/textes?enregistre=1");
  } catch (error) {
    return formFailure(error, form);
  }
}

/** Staff edit the pre-filled French share text; it must keep the {prénom} placeholder. */
export default function Texts() {
  const t = useT();
  const { shareText } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  return (
    <>
      <title>{`${t("texts.title")} — LinkedOut`}</title>
      <h1>{t("texts.title")}</h1>
      {params.get("enregistre") && <Notice>{t("form.saved")}</Notice>}
      <ErrorSummary errors={result?.errors} labels={{ value: "texts.shareText" }} />
      <CsrfForm noValidate>
        <TextField name="value" label="texts.shareText" hint="texts.shareTextHint" defaultValue={result?.values.value ?? shareText.value} error={result?.errors.fields.value} maxLength={280} required />
        <button type="submit" className="button">
          {t("texts.save")}
        </button>
      </CsrfForm>
    </>
  );
}
