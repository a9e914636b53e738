import { Link, redirect, useActionData, useLoaderData } from "react-router";
import { createCohort, listCohorts } from "~/domain/sharing/cohorts";
import { requireStaffUser } from "~/http/guards.server";
import { formFailure, readForm } from "~/http/forms.server";
import { CsrfForm, ErrorSummary, TextField } from "~/ui/forms";
import { useT } from "~/ui/i18n";
import type { Route } from "./+types/cohorts";

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = await requireStaffUser(request, context);
  return { cohorts: await listCohorts(context.services.db, user) };
}

export async function action({ request, context }: Route.ActionArgs) {
  const user = await requireStaffUser(request, context);
  let form: FormData | undefined;
  try {
    form = await readForm(request, context);
    const created = await createCohort(context.services.db, user, { name: form.get("name") ?? "", description: form.get("description") ?? "" });
    return redirect(`/admin/promos/${created.id}`);
  } catch (error) {
    return formFailure(error, form);
  }
}

export default function Cohorts() {
  const t = useT();
  const { cohorts } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const v = result?.values ?? {};
  const e = result?.errors.fields ?? {};
  return (
    <>
      <title>{`${t("cohorts.title")} — LinkedOut`}</title>
      <h1>{t("cohorts.title")}</h1>
      {cohorts.length > 0 ? (
        <ul>
          {cohorts.map((c) => (
            <li key={c.id}>
              <Link to={`/admin/promos/${c.id}`}>{c.name}</Link> — {t("cohorts.memberCount", { count: c.members })} — <a href={`/promo/${c.slug}`}>/promo/{c.slug}</a>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t("cohorts.none")}</p>
      )}
      <h2>{t("cohorts.new")}</h2>
      <ErrorSummary errors={result?.errors} labels={{ name: "cohorts.name", description: "cohorts.description" }} />
      <CsrfForm noValidate>
        <TextField name="name" label="cohorts.name" defaultValue={v.name} error={e.name} maxLength={120} required />
        <TextField name="description" label="cohorts.description" defaultValue={v.description} error={e.description} maxLength={2000} />
        <button type="submit" className="button">
          {t("cohorts.create")}
        </button>
      </CsrfForm>
    </>
  );
}
