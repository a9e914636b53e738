import { Link, redirect, useActionData, useLoaderData, useParams } from "react-router";
import { getCandidateOffer } from "~/domain/offers/follow-up";
import { recordHire } from "~/domain/offers/hire";
import { contractTypes } from "~/domain/reference/lists";
import { formFailure, orNotFound, readForm } from "~/http/forms.server";
import { requireUser } from "~/http/session.server";
import type { MessageKey } from "~/i18n";
import { CsrfForm, ErrorSummary, SelectField } from "~/ui/forms";
import { useT } from "~/ui/i18n";
import type { Route } from "./+types/space-offer-hire";

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const user = await requireUser(request, context);
  const { offer, followUp } = await orNotFound(() => getCandidateOffer(context.services, user, params.candidateId, params.offerId));
  return { offer: { jobTitle: offer.jobTitle, company: offer.company, contractType: offer.contractType, startDate: offer.startDate, endDate: offer.endDate }, hired: followUp.status === "hired" };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const user = await requireUser(request, context);
  let form: FormData | undefined;
  try {
    form = await readForm(request, context);
    await recordHire(context.services, user, params.candidateId, params.offerId, {
      contractType: String(form.get("contractType") ?? "") as never,
      startDate: String(form.get("startDate") ?? ""),
      endDate: String(form.get("endDate") ?? ""),
      closeOthers: form.get("closeOthers") === "on",
    });
    return redirect(`/espace/offres/${params.candidateId}/${params.offerId}/embauche?ok=1`);
  } catch (error) {
    return formFailure(error, form);
  }
}

export default function SpaceOfferHire() {
  const t = useT();
  const { offer, hired } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { candidateId, offerId } = useParams();
  const values = result?.values ?? {};
  const errors = (result?.errors.fields ?? {}) as Record<string, MessageKey | undefined>;
  const back = `/espace/offres/${candidateId}/${offerId}`;
  return (
    <>
      <title>{`${t("hire.title")} — LinkedOut`}</title>
      <p>
        <Link to={back}>{t("offers.back")}</Link>
      </p>
      <h1>{t("hire.title")}</h1>
      <p>{t("hire.offer", { jobTitle: offer.jobTitle, company: offer.company })}</p>
      {hired ? (
        <div className="alert alert-success" role="status">
          <p>{t("hire.done")}</p>
          <p className="button-row">
            <Link className="button" to={`/espace/offres/${candidateId}`}>
              {t("hire.seeOffers")}
            </Link>
            <Link className="button button-secondary" to={`/espace/cv/${candidateId}`}>
              {t("hire.seeCv")}
            </Link>
          </p>
        </div>
      ) : (
        <>
          <p>{t("hire.intro")}</p>
          <ErrorSummary errors={result?.errors} labels={{ contractType: "hire.contract", startDate: "hire.startDate", endDate: "hire.endDate" }} />
          <CsrfForm noValidate>
            <SelectField name="contractType" label="hire.contract" error={errors.contractType} defaultValue={values.contractType ?? offer.contractType} required>
              {contractTypes.map((c) => (
                <option key={c} value={c}>
                  {t(`contract.${c}`)}
                </option>
              ))}
            </SelectField>
            <DateField name="startDate" label="hire.startDate" hint="offerForm.dateHint" error={errors.startDate} defaultValue={values.startDate ?? offer.startDate ?? ""} required />
            <DateField name="endDate" label="hire.endDate" hint="hire.endDateHint" error={errors.endDate} defaultValue={values.endDate ?? ""} />
            <div className="field">
              <label className="checkbox">
                <input type="checkbox" name="closeOthers" aria-describedby="close-others-hint" defaultChecked={values.closeOthers === "on"} />
                {t("hire.closeOthers")}
              </label>
              <p className="hint" id="close-others-hint">
                {t("hire.closeOthersHint")}
              </p>
            </div>
            <button type="submit" className="button">
              {t("hire.submit")}
            </button>
          </CsrfForm>
        </>
      )}
    </>
  );
}

function DateField({ name, label, hint, error, defaultValue, required }: { name: string; label: MessageKey; hint?: MessageKey; error?: MessageKey; defaultValue: string; required?: boolean }) {
  const t = useT();
  const describedBy = [hint ? `${name}-hint` : null, error ? `${name}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`field${error ? " field-invalid" : ""}`}>
      <label htmlFor={`field-${name}`}>{t(label)}</label>
      {hint && (
        <p className="hint" id={`${name}-hint`}>
          {t(hint)}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${name}-error`}>
          {t(error)}
        </p>
      )}
      <input id={`field-${name}`} name={name} type="date" defaultValue={defaultValue} required={required} aria-invalid={error ? true : undefined} aria-describedby={describedBy} />
    </div>
  );
}
