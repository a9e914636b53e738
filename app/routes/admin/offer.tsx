import { Link, redirect, useActionData, useLoaderData, useSearchParams } from "react-router";
import { displayPhone } from "~/domain/reference/phones";
import { matchFiltersSchema, rankCandidatesForOffer, recommendOffer } from "~/domain/offers/matching";
import { reasonText } from "~/domain/offers/match-reasons";
import { duplicateOffer, editOffer, editableFields, getOfferForStaff, transitionOffers } from "~/domain/offers/moderation";
import { canTakeOfferTransition, isEditable, offerTransitions, type OfferTransition } from "~/domain/offers/offer-workflow";
import { departments } from "~/domain/reference/departments";
import { businessLines, contractTypes } from "~/domain/reference/lists";
import { AppError } from "~/http/app-error";
import { formFailure, orNotFound, readForm, type FormFailure } from "~/http/forms.server";
import { requireStaffUser } from "~/http/guards.server";
import { formatDateTime, type MessageKey } from "~/i18n";
import { CsrfForm, ErrorSummary, Notice, SelectField, TextAreaField, TextField } from "~/ui/forms";
import { useLocale, useT } from "~/ui/i18n";
import { heldReasonText } from "~/ui/offer-labels";
import type { Route } from "./+types/offer";

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const user = await requireStaffUser(request, context);
  const detail = await orNotFound(() => getOfferForStaff(context.services.db, user, params.id));
  const matchFilters = matchFiltersSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const matches = await rankCandidatesForOffer(context.services.db, user, params.id, matchFilters);
  return { ...detail, recruiterPhoneDisplay: displayPhone(detail.offer.recruiterPhone), matches, matchFilters };
}

const transitionIntents = Object.keys(offerTransitions) as OfferTransition[];

export async function action({ request, params, context }: Route.ActionArgs) {
  const user = await requireStaffUser(request, context);
  let form: FormData | undefined;
  try {
    form = await readForm(request, context);
    const intent = String(form.get("intent") ?? "");
    if ((transitionIntents as string[]).includes(intent)) {
      const outcome = await transitionOffers(context.services, user, [params.id], intent, form.get("comment") ?? "");
      if (outcome.refused[0]) throw new AppError("CONFLICT", outcome.refused[0].reason);
    } else if (intent === "edit") {
      await editOffer(context.services, user, params.id, Object.fromEntries(editableFields.map((f) => [f, form!.get(f) ?? ""])));
    } else if (intent === "duplicate") {
      const copy = await duplicateOffer(context.services, user, params.id);
      return redirect(`/admin/offres/${copy}?ok=duplicate`);
    } else if (intent === "recommend") {
      const ids = form.getAll("candidateIds").filter((v): v is string => typeof v === "string");
      await recommendOffer(context.services, user, params.id, ids);
    } else {
      throw new AppError("INVALID", "form.invalidChoice");
    }
    return redirect(`/admin/offres/${params.id}?ok=${intent}`);
  } catch (error) {
    return formFailure(error, form);
  }
}

const notices: Record<string, MessageKey> = {
  validate: "moderation.done.validate",
  refuse: "moderation.done.refuse",
  archive: "moderation.done.archive",
  restore: "moderation.done.restore",
  edit: "moderation.done.edit",
  duplicate: "moderation.done.duplicate",
  recommend: "moderation.done.recommend",
};

export default function OfferForStaff() {
  const t = useT();
  const locale = useLocale();
  const { offer, recruiterPhoneDisplay, zoneName, places, candidates, log, duplicatedFrom, matches, matchFilters } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as FormFailure | undefined;
  const [params] = useSearchParams();
  const notice = notices[params.get("ok") ?? ""];
  const values = failure?.values.intent === "edit" ? failure.values : undefined;
  const editError = (field: string) => (failure?.values.intent === "edit" ? failure.errors.fields[field] : undefined);
  const yes = (flag: boolean) => t(flag ? "moderation.yes" : "moderation.no");
  const title = `${offer.jobTitle} — ${offer.company}`;
  const available = transitionIntents.filter((name) => canTakeOfferTransition(name, offer.status));
  return (
    <>
      <title>{`${title} — LinkedOut`}</title>
      <p>
        <Link to="/admin/offres">{t("moderation.backToQueue")}</Link>
      </p>
      <h1>{title}</h1>
      {notice && <Notice>{t(notice)}</Notice>}
      <ErrorSummary errors={failure?.errors} labels={{ comment: "moderation.refuseReason", company: "moderation.field.company", jobTitle: "moderation.field.jobTitle", businessLine: "moderation.field.businessLine", contractType: "moderation.field.contractType", department: "moderation.field.department", address: "moderation.field.address", description: "moderation.field.description", prerequisites: "moderation.field.prerequisites", hours: "moderation.field.hours", salary: "moderation.field.salary", positions: "moderation.field.positions" }} />
      <p>
        <strong>{`${t("moderation.status")} : ${t(`offer.status.${offer.status}`)}`}</strong>
      </p>
      {offer.status === "held" && <p className="alert alert-error">{t("moderation.heldBecause", { reason: heldReasonText(t, offer.heldReason) })}</p>}
      {offer.status === "refused" && offer.refusedReason && <p>{t("moderation.refusedBecause", { reason: offer.refusedReason })}</p>}
      {duplicatedFrom && (
        <p>
          <Link to={`/admin/offres/${duplicatedFrom}`}>{t("moderation.duplicatedFrom")}</Link>
        </p>
      )}

      <section aria-labelledby="recruiter-title">
        <h2 id="recruiter-title">{t("moderation.recruiter")}</h2>
        <dl className="facts">
          <dt>{t("moderation.field.company")}</dt>
          <dd>{offer.company}</dd>
          <dt>{t("moderation.recruiterName")}</dt>
          <dd>{[offer.recruiterName, offer.recruiterPosition].filter(Boolean).join(", ")}</dd>
          <dt>{t("moderation.recruiterEmail")}</dt>
          <dd>
            <a href={`mailto:${offer.recruiterEmail}`}>{offer.recruiterEmail}</a>
          </dd>
          <dt>{t("moderation.recruiterPhone")}</dt>
          <dd>{offer.recruiterPhone ? <a href={`tel:${offer.recruiterPhone}`}>{recruiterPhoneDisplay}</a> : "—"}</dd>
          <dt>{t("moderation.recruiterLocale")}</dt>
          <dd>{t(`locale.${offer.recruiterLocale}`)}</dd>
        </dl>
      </section>

      <section aria-labelledby="job-title">
        <h2 id="job-title">{t("moderation.job")}</h2>
        <dl className="facts">
          <dt>{t("moderation.kind")}</dt>
          <dd>{t(offer.isPublic ? "moderation.public" : "moderation.addressed")}</dd>
          <dt>{t("moderation.origin")}</dt>
          <dd>{t(`offer.origin.${offer.origin}`)}</dd>
          <dt>{t("moderation.field.businessLine")}</dt>
          <dd>{t(`businessLine.${offer.businessLine}` as MessageKey)}</dd>
          <dt>{t("moderation.field.contractType")}</dt>
          <dd>{t(`contract.${offer.contractType}` as MessageKey)}</dd>
          <dt>{t("moderation.dates")}</dt>
          <dd>{[offer.startDate, offer.endDate].filter(Boolean).join(" → ") || "—"}</dd>
          <dt>{t("moderation.partTime")}</dt>
          <dd>{yes(offer.partTime)}</dd>
          <dt>{t("moderation.field.hours")}</dt>
          <dd>{offer.hours || "—"}</dd>
          <dt>{t("moderation.field.salary")}</dt>
          <dd>{offer.salary || "—"}</dd>
          <dt>{t("moderation.drivingLicence")}</dt>
          <dd>{yes(offer.drivingLicence)}</dd>
          <dt>{t("moderation.field.positions")}</dt>
          <dd>{offer.positions}</dd>
          <dt>{t("moderation.field.department")}</dt>
          <dd>{departments.find((d) => d.code === offer.department)?.name ?? offer.department}</dd>
          <dt>{t("moderation.field.address")}</dt>
          <dd>{offer.address || "—"}</dd>
          <dt>{t("moderation.zone")}</dt>
          <dd>{zoneName ?? t("moderation.noZone")}</dd>
          <dt>{t("moderation.receivedOn")}</dt>
          <dd>{formatDateTime(locale, new Date(offer.createdAt))}</dd>
          {offer.validatedAt && (
            <>
              <dt>{t("moderation.validatedOn")}</dt>
              <dd>{formatDateTime(locale, new Date(offer.validatedAt))}</dd>
            </>
          )}
        </dl>
        <h3>{t("moderation.field.description")}</h3>
        <p className="pre-line">{offer.description}</p>
        {offer.prerequisites && (
          <>
            <h3>{t("moderation.field.prerequisites")}</h3>
            <p className="pre-line">{offer.prerequisites}</p>
          </>
        )}
        {offer.message && (
          <>
            <h3>{t("moderation.message")}</h3>
            <p className="pre-line">{offer.message}</p>
          </>
        )}
      </section>

      {places.length > 0 && (
        <section aria-labelledby="places-title">
          <h2 id="places-title">{t("moderation.otherPlaces")}</h2>
          <ul>
            {places.map((p) => (
              <li key={p.id}>
                <Link to={`/admin/offres/${p.id}`}>{`${p.department} ${p.address}`.trim()}</Link>
                {` — ${t(`offer.status.${p.status}`)}`}
              </li>
            ))}
          </ul>
        </section>
      )}

      {candidates.length > 0 && (
        <section aria-labelledby="candidates-title">
          <h2 id="candidates-title">{t("moderation.candidates")}</h2>
          <ul>
            {candidates.map((c) => (
              <li key={c.candidateId}>
                <Link to={`/admin/membres/${c.candidateId}`}>{`${c.firstName} ${c.lastName}`}</Link>
                {` — ${t(`moderation.channel.${c.channel}`)}, ${c.notifiedAt ? t("moderation.notifiedOn", { date: formatDateTime(locale, new Date(c.notifiedAt)) }) : t("moderation.notNotified")}`}
              </li>
            ))}
          </ul>
        </section>
      )}

      <section aria-labelledby="actions-title">
        <h2 id="actions-title">{t("moderation.actions")}</h2>
        {available.length === 0 && <p>{t("moderation.noAction")}</p>}
        <div className="actions">
          {available
            .filter((name) => name !== "refuse")
            .map((name) => (
              <CsrfForm key={name}>
                <input type="hidden" name="intent" value={name} />
                <button type="submit" className={name === "validate" ? "button" : "button button-secondary"}>
                  {t(`moderation.transition.${name}`)}
                </button>
              </CsrfForm>
            ))}
          <CsrfForm>
            <input type="hidden" name="intent" value="duplicate" />
            <button type="submit" className="button button-secondary">
              {t("moderation.duplicate")}
            </button>
          </CsrfForm>
        </div>
        {available.includes("refuse") && (
          <CsrfForm>
            <input type="hidden" name="intent" value="refuse" />
            <TextAreaField name="comment" label="moderation.refuseReason" hint="moderation.refuseHint" error={failure?.errors.fields.comment} defaultValue={failure?.values.comment} maxLength={2000} rows={3} />
            <button type="submit" className="button button-secondary">
              {t("moderation.transition.refuse")}
            </button>
          </CsrfForm>
        )}
      </section>

      {isEditable(offer.status) && (
        <section aria-labelledby="edit-title">
          <h2 id="edit-title">{t("moderation.edit")}</h2>
          <CsrfForm>
            <input type="hidden" name="intent" value="edit" />
            <TextField name="company" label="moderation.field.company" defaultValue={values?.company ?? offer.company} maxLength={120} required error={editError("company")} />
            <TextField name="jobTitle" label="moderation.field.jobTitle" defaultValue={values?.jobTitle ?? offer.jobTitle} maxLength={120} required error={editError("jobTitle")} />
            <SelectField name="businessLine" label="moderation.field.businessLine" defaultValue={values?.businessLine ?? offer.businessLine} error={editError("businessLine")}>
              {businessLines.map((line) => (
                <option key={line} value={line}>
                  {t(`businessLine.${line}`)}
                </option>
              ))}
            </SelectField>
            <SelectField name="contractType" label="moderation.field.contractType" defaultValue={values?.contractType ?? offer.contractType} error={editError("contractType")}>
              {contractTypes.map((type) => (
                <option key={type} value={type}>
                  {t(`contract.${type}`)}
                </option>
              ))}
            </SelectField>
            <SelectField name="department" label="moderation.field.department" defaultValue={values?.department ?? offer.department} error={editError("department")}>
              {departments.map((d) => (
                <option key={d.code} value={d.code}>
                  {`${d.name} (${d.code})`}
                </option>
              ))}
            </SelectField>
            <TextField name="address" label="moderation.field.address" defaultValue={values?.address ?? offer.address} maxLength={200} error={editError("address")} />
            <TextAreaField name="description" label="moderation.field.description" defaultValue={values?.description ?? offer.description} maxLength={4000} error={editError("description")} />
            <TextAreaField name="prerequisites" label="moderation.field.prerequisites" defaultValue={values?.prerequisites ?? offer.prerequisites} maxLength={2000} error={editError("prerequisites")} />
            <TextField name="hours" label="moderation.field.hours" defaultValue={values?.hours ?? offer.hours} maxLength={120} error={editError("hours")} />
            <TextField name="salary" label="moderation.field.salary" defaultValue={values?.salary ?? offer.salary} maxLength={120} error={editError("salary")} />
            <TextField name="positions" type="number" label="moderation.field.positions" defaultValue={values?.positions ?? String(offer.positions)} error={editError("positions")} />
            <button type="submit" className="button">
              {t("moderation.save")}
            </button>
          </CsrfForm>
        </section>
      )}

      {offer.isPublic && offer.status === "validated" && (
        <section aria-labelledby="matches-title">
          <h2 id="matches-title">{t("matching.title")}</h2>
          <p>{t("matching.intro", { count: matches.total })}</p>
          <p>
            {matchFilters.employed ? (
              <Link to="?">{t("matching.hideEmployed")}</Link>
            ) : (
              <Link to="?employed=1">{t("matching.showEmployed")}</Link>
            )}
          </p>
          {matches.rows.length === 0 ? (
            <p>{t("matching.none")}</p>
          ) : (
            <CsrfForm>
              <input type="hidden" name="intent" value="recommend" />
              <div className="table-wrap">
                <table>
                  <caption>{t("matching.caption")}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t("moderation.choose")}</th>
                      <th scope="col">{t("matching.candidate")}</th>
                      <th scope="col">{t("matching.reasons")}</th>
                      <th scope="col">{t("matching.already")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {matches.rows.map((m) => {
                      const name = `${m.firstName} ${m.lastName}`;
                      return (
                        <tr key={m.candidateId}>
                          <td>
                            {m.channel ? (
                              "—"
                            ) : (
                              <input type="checkbox" name="candidateIds" value={m.candidateId} aria-label={t("matching.chooseOne", { name })} className="row-check" />
                            )}
                          </td>
                          <td>
                            <Link to={`/admin/membres/${m.candidateId}`}>{name}</Link>
                            {m.employed && <span className="muted">{` (${t("matching.employed")})`}</span>}
                            <br />
                            <a href={`/cv/${m.slug}`}>{t("matching.seeCv")}</a>
                          </td>
                          <td>
                            <ul>
                              {m.reasons.map((reason) => (
                                <li key={reason.kind}>{reasonText(t, reason)}</li>
                              ))}
                            </ul>
                          </td>
                          <td>{m.channel ? t(`moderation.channel.${m.channel}`) : "—"}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
              <button type="submit" className="button">
                {t("matching.recommend")}
              </button>
            </CsrfForm>
          )}
          <nav className="pager" aria-label={t("matching.pages")}>
            {matchFilters.page > 1 && <Link to={`?${new URLSearchParams({ ...(matchFilters.employed ? { employed: "1" } : {}), page: String(matchFilters.page - 1) })}`}>{t("members.previous")}</Link>}
            {matchFilters.page * matches.pageSize < matches.total && (
              <Link to={`?${new URLSearchParams({ ...(matchFilters.employed ? { employed: "1" } : {}), page: String(matchFilters.page + 1) })}`}>{t("members.next")}</Link>
            )}
          </nav>
        </section>
      )}

      <section aria-labelledby="log-title">
        <h2 id="log-title">{t("moderation.log")}</h2>
        {log.length === 0 ? (
          <p>{t("moderation.logEmpty")}</p>
        ) : (
          <ol className="offer-log">
            {log.map((entry) => (
              <li key={entry.id}>
                {t("moderation.logEntry", {
                  date: formatDateTime(locale, new Date(entry.createdAt)),
                  actor: entry.actorName ?? t("moderation.logSystem"),
                  from: entry.fromStatus ? t(`offer.status.${entry.fromStatus as "pending"}`) : t("moderation.logCreated"),
                  to: t(`offer.status.${entry.toStatus as "pending"}`),
                })}
                {entry.comment && <q>{entry.comment}</q>}
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}

