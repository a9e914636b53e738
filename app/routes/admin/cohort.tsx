import { redirect, useActionData, useLoaderData } from "react-router";
import { addCohortMember, getCohort, removeCohortMember } from "~/domain/sharing/cohorts";
import { requireStaffUser } from "~/http/guards.server";
import { formFailure, orNotFound, readForm } from "~/http/forms.server";
import type { MessageKey } from "~/i18n";
import { CsrfForm, ErrorSummary, TextField } from "~/ui/forms";
import { useT } from "~/ui/i18n";
import type { Route } from "./+types/cohort";

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const user = await requireStaffUser(request, context);
  return { cohort: await orNotFound(() => getCohort(context.services.db, user, params.id)) };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const user = await requireStaffUser(request, context);
  let form: FormData | undefined;
  try {
    form = await readForm(request, context);
    if (form.get("intent") === "remove") await removeCohortMember(context.services.db, user, params.id, form.get("cvId"));
    else await addCohortMember(context.services.db, user, params.id, { cv: form.get("cv") });
    return redirect(`/admin/promos/${params.id}`);
  } catch (error) {
    return formFailure(error, form);
  }
}

export default function Cohort() {
  const t = useT();
  const { cohort } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <title>{`${cohort.name} — LinkedOut`}</title>
      <h1>{cohort.name}</h1>
      <p>
        <a href={`/promo/${cohort.slug}`}>{t("cohorts.publicPage")}</a>
      </p>
      <h2>{t("cohorts.members")}</h2>
      {cohort.members.length > 0 ? (
        <ul>
          {cohort.members.map((m) => (
            <li key={m.cvId}>
              {m.firstName} {m.lastName} ({t(`cv.status.${m.status}` as MessageKey)}){" "}
              <CsrfForm className="inline-form">
                <input type="hidden" name="intent" value="remove" />
                <input type="hidden" name="cvId" value={m.cvId} />
                <button type="submit" className="button button-secondary">
                  {t("cohorts.remove")}
                </button>
              </CsrfForm>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t("cohorts.noMembers")}</p>
      )}
      <h2>{t("cohorts.add")}</h2>
      <ErrorSummary errors={result?.errors} labels={{ cv: "cohorts.cvField" }} />
      <CsrfForm noValidate>
        <TextField name="cv" label="cohorts.cvField" hint="cohorts.cvHint" defaultValue={result?.values.cv} error={result?.errors.fields.cv} maxLength={200} required />
        <button type="submit" className="button">
          {t("cohorts.addButton")}
        </button>
      </CsrfForm>
    </>
  );
}
