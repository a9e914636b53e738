import { useEffect, useId, useRef, type ReactNode } from "react";
import { data, redirect, useActionData, useLoaderData } from "react-router";
import { offerInputFromForm, submitOffer } from "~/domain/offers/submission";
import { pickerCandidates, type PickerCandidate } from "~/domain/offers/submission-picker";
import { MAX_PLACES, OFFER_LIMITS, placeCount } from "~/domain/offers/submission-schema";
import { HONEYPOT_FIELD, signFormStamp } from "~/domain/offers/submission-spam";
import { departments } from "~/domain/reference/departments";
import { businessLines, contractTypes } from "~/domain/reference/lists";
import { isShareCode } from "~/domain/sharing/share-links";
import { AppError } from "~/http/app-error";
import { formValues, postedFormOf, readForm, type FormErrors } from "~/http/forms.server";
import { getLocale, getUser } from "~/http/session.server";
import type { MessageKey, Translate } from "~/i18n";
import { CsrfForm, ErrorSummary, SelectField, TextAreaField, TextField } from "~/ui/forms";
import { useT } from "~/ui/i18n";
import type { Route } from "./+types/offer-new";

const noStore = { "Cache-Control": "no-store" };

/**
 * The employer's form, without an account. `?candidat=:slug` (from a CV page) preselects a
 * person, `?recherche=` and `?metier=` filter the picker, `?via=CODE` carries the personal share
 * link the visitor came through.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  const query = new URL(request.url).searchParams;
  const picker = await pickerCandidates(context.services.db, { search: query.get("recherche"), businessLine: query.get("metier"), chosen: query.getAll("candidat") });
  const via = query.get("via");
  return data(
    { picker, stamp: signFormStamp(context.services.sessionSecret), via: isShareCode(via) ? via : "", chosen: picker.chosen.map((c) => c.slug) },
    { headers: noStore },
  );
}

type Editing = {
  values: Record<string, string>;
  chosen: string[];
  places: number;
  picker: Awaited<ReturnType<typeof pickerCandidates>>;
  errors?: FormErrors;
};

/**
 * One form, three buttons: "search" and "add a place" only redraw the page with everything
 * typed kept (no JavaScript needed); "send" submits. Invalid input stores nothing.
 */
export async function action({ request, context }: Route.ActionArgs) {
  let form: FormData | undefined;
  try {
    form = await readForm(request, context);
    const intent = form.get("intent");
    if (intent === "search" || intent === "add-place") return await redraw(context, form, intent === "add-place" ? 1 : 0);
    const user = await getUser(request, context);
    await submitOffer(context.services, offerInputFromForm(form), {
      ip: context.clientIp,
      locale: await getLocale(request, user),
      via: form.get("via"),
      startedAt: form.get("stamp"),
      honeypot: form.get(HONEYPOT_FIELD),
    });
    return redirect("/offres/envoyee", { headers: noStore });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const failure = { message: error.message as MessageKey, fields: error.fieldErrors as Record<string, MessageKey> };
    form ??= postedFormOf(error);
    if (!form) return data({ values: {}, chosen: [], places: 1, picker: await pickerCandidates(context.services.db, {}), errors: failure } satisfies Editing, { status: error.status });
    return await redraw(context, form, 0, failure, error.status);
  }
}

async function redraw(context: Route.ActionArgs["context"], form: FormData, extraPlace: number, errors?: FormErrors, status = 200) {
  const chosen = form.getAll("candidates").filter((v): v is string => typeof v === "string");
  const picker = await pickerCandidates(context.services.db, { search: form.get("recherche"), businessLine: form.get("metier"), chosen });
  const body: Editing = {
    values: formValues(form),
    chosen: picker.chosen.map((c) => c.slug),
    places: Math.min(placeCount(form.get("places")) + extraPlace, MAX_PLACES),
    picker,
    errors,
  };
  return data(body, { status, headers: noStore });
}

export function headers() {
  return noStore;
}

export default function NewOffer() {
  const t = useT();
  const loaded = useLoaderData<typeof loader>();
  const edited = useActionData<typeof action>() as Editing | undefined;
  const v = edited?.values ?? {};
  const e = edited?.errors?.fields ?? {};
  const picker = edited?.picker ?? loaded.picker;
  const chosen = new Set(edited?.chosen ?? loaded.chosen);
  const places = edited?.places ?? 1;
  const audience = v.audience ?? (loaded.chosen.length > 0 ? "candidates" : "public");
  const summary = useRef<HTMLDivElement>(null);
  // With JavaScript, the error summary takes the focus (its links lead to each field).
  useEffect(() => {
    if (edited?.errors) summary.current?.querySelector<HTMLElement>("[role=alert]")?.focus();
  }, [edited]);
  return (
    <>
      <title>{`${t("offerForm.title")} — LinkedOut`}</title>
      <h1>{t("offerForm.title")}</h1>
      <p>{t("offerForm.intro")}</p>
      <div ref={summary}>
        <ErrorSummary errors={edited?.errors} labels={(field) => offerFieldLabel(t, field)} />
      </div>
      <CsrfForm noValidate className="offer-form">
        <input type="hidden" name="stamp" value={v.stamp ?? loaded.stamp} />
        <input type="hidden" name="via" value={v.via ?? loaded.via} />
        <input type="hidden" name="places" value={String(places)} />

        <fieldset>
          <legend>{t("offerForm.audience.legend")}</legend>
          {e.audience && <p className="field-error">{t(e.audience)}</p>}
          <Choice type="radio" name="audience" value="public" id="field-audience" checked={audience === "public"} label={t("offerForm.audience.public")} />
          <Choice type="radio" name="audience" value="candidates" checked={audience === "candidates"} label={t("offerForm.audience.candidates")} />
        </fieldset>

        <Picker picker={picker} chosen={chosen} values={v} error={e.candidates} />

        <fieldset>
          <legend>{t("offerForm.company.legend")}</legend>
          <p className="hint">{t("offerForm.privacy")}</p>
          <TextField name="company" label="offerForm.company" defaultValue={v.company} error={e.company} autoComplete="organization" maxLength={OFFER_LIMITS.company} required />
          <TextField name="recruiterName" label="offerForm.recruiterName" defaultValue={v.recruiterName} error={e.recruiterName} autoComplete="name" maxLength={OFFER_LIMITS.recruiterName} required />
          <TextField name="recruiterPosition" label="offerForm.recruiterPosition" defaultValue={v.recruiterPosition} error={e.recruiterPosition} autoComplete="organization-title" maxLength={OFFER_LIMITS.recruiterPosition} />
          <TextField name="email" type="email" label="offerForm.email" defaultValue={v.email} error={e.email} autoComplete="email" maxLength={OFFER_LIMITS.email} required />
          <TextField name="phone" type="tel" label="offerForm.phone" hint="offerForm.phoneHint" defaultValue={v.phone} error={e.phone} autoComplete="tel" maxLength={OFFER_LIMITS.phone} required />
        </fieldset>

        <fieldset>
          <legend>{t("offerForm.job.legend")}</legend>
          <TextField name="jobTitle" label="offerForm.jobTitle" defaultValue={v.jobTitle} error={e.jobTitle} autoComplete="off" maxLength={OFFER_LIMITS.jobTitle} required />
          <SelectField name="businessLine" label="offerForm.businessLine" defaultValue={v.businessLine ?? ""} error={e.businessLine} required>
            <option value="">{t("offerForm.chooseBusinessLine")}</option>
            {businessLines.map((line) => (
              <option key={line} value={line}>
                {t(`businessLine.${line}` as MessageKey)}
              </option>
            ))}
          </SelectField>
          <SelectField name="contractType" label="offerForm.contractType" defaultValue={v.contractType ?? ""} error={e.contractType} required>
            <option value="">{t("offerForm.chooseContract")}</option>
            {contractTypes.map((type) => (
              <option key={type} value={type}>
                {t(`contract.${type}` as MessageKey)}
              </option>
            ))}
          </SelectField>
          <TextAreaField name="description" label="offerForm.description" defaultValue={v.description} error={e.description} maxLength={OFFER_LIMITS.description} required />
          <TextAreaField name="prerequisites" label="offerForm.prerequisites" hint="offerForm.prerequisitesHint" defaultValue={v.prerequisites} error={e.prerequisites} maxLength={OFFER_LIMITS.prerequisites} />
          <div className="field-pair">
            <TextField name="startDate" type="date" label="offerForm.startDate" hint="offerForm.dateHint" defaultValue={v.startDate} error={e.startDate} />
            <TextField name="endDate" type="date" label="offerForm.endDate" hint="offerForm.dateHint" defaultValue={v.endDate} error={e.endDate} />
          </div>
          <Choice type="checkbox" name="partTime" id="field-partTime" checked={!!v.partTime} label={t("offerForm.partTime")} error={e.partTime && t(e.partTime)} />
          <div className="field-pair">
            <TextField name="hours" label="offerForm.hours" defaultValue={v.hours} error={e.hours} autoComplete="off" maxLength={OFFER_LIMITS.hours} />
            <TextField name="salary" label="offerForm.salary" defaultValue={v.salary} error={e.salary} autoComplete="off" maxLength={OFFER_LIMITS.salary} />
          </div>
          <Choice type="checkbox" name="drivingLicence" id="field-drivingLicence" checked={!!v.drivingLicence} label={t("offerForm.drivingLicence")} error={e.drivingLicence && t(e.drivingLicence)} />
          <TextField name="positions" type="number" label="offerForm.positions" defaultValue={v.positions ?? "1"} error={e.positions} autoComplete="off" required />
        </fieldset>

        <fieldset>
          <legend>{t("offerForm.places.legend")}</legend>
          <p className="hint">{t("offerForm.places.hint")}</p>
          {Array.from({ length: places }, (_, i) => (
            <fieldset key={i} className="card">
              <legend>{t("offerForm.place", { n: i + 1 })}</legend>
              <SelectField name={`department-${i}`} label="offerForm.department" defaultValue={v[`department-${i}`] ?? ""} error={e[`department-${i}`]} required={i === 0}>
                <option value="">{t("offerForm.chooseDepartment")}</option>
                {departments.map((d) => (
                  <option key={d.code} value={d.code}>
                    {`${d.code} — ${d.name}`}
                  </option>
                ))}
              </SelectField>
              <TextField name={`address-${i}`} label="offerForm.address" defaultValue={v[`address-${i}`]} error={e[`address-${i}`]} autoComplete="street-address" maxLength={OFFER_LIMITS.address} required={i === 0} />
            </fieldset>
          ))}
          {places < MAX_PLACES && (
            <button type="submit" name="intent" value="add-place" className="button button-secondary">
              {t("offerForm.addPlace")}
            </button>
          )}
        </fieldset>

        <TextAreaField name="message" label="offerForm.message" defaultValue={v.message} error={e.message} maxLength={OFFER_LIMITS.message} />

        {/* The honeypot: out of sight and out of the tab order; people are told to leave it empty. */}
        <div className="field" style={{ position: "absolute", left: "-10000px", width: "1px", height: "1px", overflow: "hidden" }}>
          <label htmlFor="field-website">{t("offerForm.honeypot")}</label>
          <input id="field-website" name={HONEYPOT_FIELD} type="text" tabIndex={-1} autoComplete="off" defaultValue="" />
        </div>

        <button type="submit" name="intent" value="send" className="button">
          {t("offerForm.submit")}
        </button>
      </CsrfForm>
    </>
  );
}

/** Which label names each field in the error summary ("Votre téléphone : numéro invalide"). */
const FIELD_LABELS: Record<string, MessageKey> = {
  audience: "offerForm.audience.legend",
  candidates: "offerForm.picker.legend",
  company: "offerForm.company",
  recruiterName: "offerForm.recruiterName",
  recruiterPosition: "offerForm.recruiterPosition",
  email: "offerForm.email",
  phone: "offerForm.phone",
  jobTitle: "offerForm.jobTitle",
  businessLine: "offerForm.businessLine",
  contractType: "offerForm.contractType",
  description: "offerForm.description",
  prerequisites: "offerForm.prerequisites",
  startDate: "offerForm.startDate",
  endDate: "offerForm.endDate",
  partTime: "offerForm.partTime",
  hours: "offerForm.hours",
  salary: "offerForm.salary",
  drivingLicence: "offerForm.drivingLicence",
  positions: "offerForm.positions",
  message: "offerForm.message",
};

/** Names the fields of the error summary: places are made on the fly ("Lieu 2, adresse"). */
function offerFieldLabel(t: Translate, field: string): string | null {
  const place = /^(department|address)-(\d+)$/.exec(field);
  if (place) return `${t("offerForm.place", { n: Number(place[2]) + 1 })}, ${t(place[1] === "department" ? "offerForm.department" : "offerForm.address").toLowerCase()}`;
  const key = FIELD_LABELS[field];
  return key ? t(key) : null;
}

/**
 * Whom to address: the people already chosen, then a search among published CVs. The search is
 * a button of this same form, so it works without JavaScript and keeps everything typed.
 */
function Picker({ picker, chosen, values, error }: { picker: Editing["picker"]; chosen: Set<string>; values: Record<string, string>; error?: MessageKey }) {
  const t = useT();
  const people = [...picker.chosen, ...picker.found];
  return (
    <fieldset id="field-candidates" tabIndex={-1}>
      <legend>{t("offerForm.picker.legend")}</legend>
      <p className="hint">{t("offerForm.picker.hint")}</p>
      {error && <p className="field-error">{t(error)}</p>}
      <div className="filters">
        <TextField name="recherche" type="search" label="offerForm.picker.search" defaultValue={values.recherche ?? picker.search} autoComplete="off" maxLength={100} />
        <SelectField name="metier" label="offerForm.picker.businessLine" defaultValue={values.metier ?? picker.businessLine}>
          <option value="">{t("offerForm.picker.anyBusinessLine")}</option>
          {businessLines.map((line) => (
            <option key={line} value={line}>
              {t(`businessLine.${line}` as MessageKey)}
            </option>
          ))}
        </SelectField>
      </div>
      <button type="submit" name="intent" value="search" className="button button-secondary">
        {t("offerForm.picker.searchButton")}
      </button>
      {people.length === 0 ? (
        <p>{t("offerForm.picker.none")}</p>
      ) : (
        <ul className="plain-list">
          {people.map((person) => (
            <li key={person.slug}>
              <PersonChoice person={person} checked={chosen.has(person.slug)} />
            </li>
          ))}
        </ul>
      )}
      {picker.more && <p className="hint">{t("offerForm.picker.more")}</p>}
    </fieldset>
  );
}

function PersonChoice({ person, checked }: { person: PickerCandidate; checked: boolean }) {
  const t = useT();
  const goals = person.goals.map((g) => g.job || t(`businessLine.${g.businessLine}` as MessageKey)).join(", ");
  return (
    <Choice
      type="checkbox"
      name="candidates"
      value={person.slug}
      checked={checked}
      label={`${person.firstName} ${person.lastInitial}`}
      detail={goals ? t("offerForm.picker.wouldLike", { goals }) : undefined}
    />
  );
}

function Choice({ type, name, value, id, checked, label, detail, error }: { type: "radio" | "checkbox"; name: string; value?: string; id?: string; checked: boolean; label: string; detail?: ReactNode; error?: string }) {
  const generated = useId();
  const inputId = id ?? generated;
  return (
    <div className="checkbox">
      <input type={type} id={inputId} name={name} value={value} defaultChecked={checked} aria-invalid={error ? true : undefined} />
      <label htmlFor={inputId}>
        {label}
        {detail && <span className="hint">{` — `}{detail}</span>}
        {error && <span className="field-error">{` ${error}`}</span>}
      </label>
    </div>
  );
}

