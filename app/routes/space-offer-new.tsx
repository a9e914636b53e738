import { Link, redirect, useActionData, useLoaderData, useParams } from "react-router";
import { offerOrigins } from "~/db/schema";
import { addExternalOffer, requireFollowUpRole } from "~/domain/offers/follow-up";
import { departments } from "~/domain/reference/departments";
import { businessLines, contractTypes } from "~/domain/reference/lists";
import { formFailure, orNotFound, readForm } from "~/http/forms.server";
import { requireUser } from "~/http/session.server";
import type { MessageKey } from "~/i18n";
import { CsrfForm, ErrorSummary, SelectField, TextAreaField, TextField } from "~/ui/forms";
import { useT } from "~/ui/i18n";
import type { Route } from "./+types/space-offer-new";

const FIELDS = ["origin", "company", "jobTitle", "contractType", "department", "businessLine", "description", "recruiterName", "recruiterEmail", "recruiterPhone"] as const;

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const user = await requireUser(request, context);
  await orNotFound(() => requireFollowUpRole(context.services.db, user, params.candidateId));
  return null;
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const user = await requireUser(request, context);
  let form: FormData | undefined;
  try {
    form = await readForm(request, context);
    const posted = form;
    const input = Object.fromEntries(FIELDS.map((name) => [name, String(posted.get(name) ?? "")]));
    const offerId = await addExternalOffer(context.services, user, params.candidateId, input);
    return redirect(`/espace/offres/${params.candidateId}/${offerId}?ok=1`);
  } catch (error) {
    return formFailure(error, form);
  }
}

export default function SpaceOfferNew() {
  const t = useT();
  useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { candidateId } = useParams();
  const values = result?.values ?? {};
  const errors = (result?.errors.fields ?? {}) as Record<string, MessageKey | undefined>;
  const choose = <option value="">{t("offers.external.choose")}</option>;
  return (
    <>
      <title>{`${t("offers.external.title")} — LinkedOut`}</title>
      <p>
        <Link to={`/espace/offres/${candidateId}`}>{t("offers.back")}</Link>
      </p>
      <h1>{t("offers.external.title")}</h1>
      <p>{t("offers.external.intro")}</p>
      <ErrorSummary errors={result?.errors} labels={{ origin: "offers.external.origin", company: "offers.external.company", jobTitle: "offers.external.jobTitle", contractType: "offers.external.contract", department: "offers.external.department", businessLine: "offers.external.businessLine", description: "offers.external.description", recruiterName: "offers.external.recruiterName", recruiterEmail: "offers.external.recruiterEmail", recruiterPhone: "offers.external.recruiterPhone" }} />
      <CsrfForm noValidate>
        <SelectField name="origin" label="offers.external.origin" error={errors.origin} defaultValue={values.origin ?? ""} required>
          {choose}
          {offerOrigins
            .filter((o) => o !== "employer")
            .map((o) => (
              <option key={o} value={o}>
                {t(`offer.origin.${o}`)}
              </option>
            ))}
        </SelectField>
        <TextField name="company" label="offers.external.company" error={errors.company} defaultValue={values.company} required maxLength={200} autoComplete="organization" />
        <TextField name="jobTitle" label="offers.external.jobTitle" error={errors.jobTitle} defaultValue={values.jobTitle} required maxLength={200} />
        <SelectField name="contractType" label="offers.external.contract" error={errors.contractType} defaultValue={values.contractType ?? ""} required>
          {choose}
          {contractTypes.map((c) => (
            <option key={c} value={c}>
              {t(`contract.${c}`)}
            </option>
          ))}
        </SelectField>
        <SelectField name="department" label="offers.external.department" error={errors.department} defaultValue={values.department ?? ""} required>
          {choose}
          {departments.map((d) => (
            <option key={d.code} value={d.code}>
              {`${d.name} (${d.code})`}
            </option>
          ))}
        </SelectField>
        <SelectField name="businessLine" label="offers.external.businessLine" error={errors.businessLine} defaultValue={values.businessLine ?? ""}>
          {choose}
          {businessLines.map((b) => (
            <option key={b} value={b}>
              {t(`businessLine.${b}`)}
            </option>
          ))}
        </SelectField>
        <TextAreaField name="description" label="offers.external.description" error={errors.description} defaultValue={values.description} maxLength={5000} />
        <TextField name="recruiterName" label="offers.external.recruiterName" error={errors.recruiterName} defaultValue={values.recruiterName} maxLength={200} />
        <TextField name="recruiterEmail" type="email" label="offers.external.recruiterEmail" error={errors.recruiterEmail} defaultValue={values.recruiterEmail} maxLength={254} />
        <TextField name="recruiterPhone" type="tel" label="offers.external.recruiterPhone" error={errors.recruiterPhone} defaultValue={values.recruiterPhone} maxLength={40} />
        <button type="submit" className="button">
          {t("offers.external.submit")}
        </button>
      </CsrfForm>
    </>
  );
}
