import { Link, redirect, useActionData, useLoaderData, useParams, useSearchParams } from "react-router";
import { getCandidateOffer, markInterested, requireFollowUpRole, NOTE_MAX, saveNote, setArchived, setBookmark } from "~/domain/offers/follow-up";
import { setFollowUpStatus } from "~/domain/offers/follow-up-status.server";
import { departmentLabel } from "~/domain/reference/departments";
import { AppError } from "~/http/app-error";
import { formFailure, orNotFound, readForm } from "~/http/forms.server";
import { requireUser } from "~/http/session.server";
import { formatDate, formatDateTime, type MessageKey, type Translate } from "~/i18n";
import { CsrfForm, ErrorSummary, Notice, TextAreaField } from "~/ui/forms";
import { useLocale, useT } from "~/ui/i18n";
import { RecruiterContact } from "~/ui/recruiter-contact";
import type { Route } from "./+types/space-offer";

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const user = await requireUser(request, context);
  return orNotFound(() => getCandidateOffer(context.services, user, params.candidateId, params.offerId));
}

/** Every button of the page posts here with its intent; each is one domain call. */
export async function action({ request, params, context }: Route.ActionArgs) {
  const user = await requireUser(request, context);
  const { candidateId, offerId } = params;
  const services = context.services;
  let form: FormData | undefined;
  try {
    form = await readForm(request, context);
    // Someone with no role on this candidate gets "not found" whatever they post.
    await requireFollowUpRole(services.db, user, candidateId);
    const intent = form.get("intent");
    if (intent === "status") await setFollowUpStatus(services, user, candidateId, offerId, form.get("status"));
    else if (intent === "interested") await markInterested(services, user, candidateId, offerId);
    else if (intent === "bookmark") await setBookmark(services, user, candidateId, offerId, form.get("value") === "true");
    else if (intent === "archive") await setArchived(services, user, candidateId, offerId, form.get("value") === "true");
    else if (intent === "note") await saveNote(services, user, candidateId, offerId, form.get("note") ?? "");
    else throw new AppError("INVALID", "form.invalidChoice");
    return redirect(`/espace/offres/${candidateId}/${offerId}?ok=1`);
  } catch (error) {
    return formFailure(error, form);
  }
}

type LogLine = { change: string; fromValue: string | null; toValue: string | null; actorFirstName: string | null; actorLastName: string | null };

/** One line of the follow-up log, in words. */
function logText(t: Translate, line: LogLine): string {
  const actor = line.actorFirstName ? `${line.actorFirstName} ${line.actorLastName ?? ""}`.trim() : "—";
  const status = (value: string | null) => (value ? t(`followUp.status.${value}` as MessageKey) : "—");
  switch (line.change) {
    case "status":
      return t("followUp.log.status", { actor, from: status(line.fromValue), to: status(line.toValue) });
    case "bookmark":
      return t(line.toValue === "true" ? "followUp.log.bookmarkOn" : "followUp.log.bookmarkOff", { actor });
    case "archive":
      return t(line.toValue === "true" ? "followUp.log.archiveOn" : "followUp.log.archiveOff", { actor });
    case "note":
      return t("followUp.log.note", { actor });
    case "contact_revealed":
      return t("followUp.log.contactRevealed");
    case "interested":
      return t("followUp.log.interested", { actor });
    case "added":
      return t("followUp.log.added", { actor });
    default:
      return t("followUp.log.other", { actor, change: line.change });
  }
}

export default function SpaceOffer() {
  const t = useT();
  const locale = useLocale();
  const { offer, followUp, contact, nextStatuses, canRecordHire, log, role, candidate } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { candidateId } = useParams();
  const back = `/espace/offres/${candidateId}`;
  const title = `${offer.jobTitle} — ${offer.company}`;
  const date = (value: string) => formatDate(locale, new Date(`${value}T12:00:00Z`));
  return (
    <>
      <title>{`${title} — LinkedOut`}</title>
      <p>
        <Link to={back}>{role === "candidate" ? t("offers.back") : `${t("offers.back")} (${candidate.firstName} ${candidate.lastName})`}</Link>
      </p>
      <h1>{title}</h1>
      {params.get("ok") && !result && <Notice>{t("offers.saved")}</Notice>}
      <ErrorSummary errors={result?.errors} labels={{ note: "offers.offer.note" }} />
      {offer.status === "archived" && <p className="alert alert-error">{t("offers.offer.closed")}</p>}

      <section aria-labelledby="step-title" className="card">
        <h2 id="step-title">{t("offers.offer.stepTitle")}</h2>
        <p>
          <strong>{t("offers.offer.currentStep", { status: t(`followUp.status.${followUp.status}`) })}</strong>
        </p>
        <div className="stack">
          {nextStatuses.map((status) => (
            <CsrfForm key={status}>
              <input type="hidden" name="intent" value="status" />
              <input type="hidden" name="status" value={status} />
              <button type="submit" className={status.startsWith("refused") || status === "to_process" ? "button button-secondary" : "button"}>
                {t(`followUp.move.${status}`)}
              </button>
            </CsrfForm>
          ))}
          {canRecordHire && (
            <p>
              <Link className="button" to={`${back}/${offer.id}/embauche`}>
                {t("offers.offer.recordHire")}
              </Link>
            </p>
          )}
        </div>
      </section>

      <section aria-labelledby="contact-title" className="card">
        <h2 id="contact-title">{t("offers.offer.contactTitle")}</h2>
        {contact ? (
          <RecruiterContact contact={contact} />
        ) : (
          <>
            <p>{t("offers.offer.contactHidden")}</p>
            <CsrfForm>
              <input type="hidden" name="intent" value="interested" />
              <button type="submit" className="button">
                {t("offers.interested")}
              </button>
            </CsrfForm>
          </>
        )}
      </section>

      <section aria-labelledby="offer-title">
        <h2 id="offer-title">{t("offers.offer.description")}</h2>
        <dl className="facts">
          <dt>{t("offers.offer.place")}</dt>
          <dd>{offer.address ? `${offer.address} — ${departmentLabel(offer.department)}` : departmentLabel(offer.department)}</dd>
          <dt>{t("offers.offer.contract")}</dt>
          <dd>{`${t(`contract.${offer.contractType}` as MessageKey)}${offer.partTime ? ` · ${t("offers.offer.partTime")}` : ""}`}</dd>
          {(offer.startDate || offer.endDate) && (
            <>
              <dt>{t("offers.offer.dates")}</dt>
              <dd>
                {[offer.startDate && t("offers.offer.from", { date: date(offer.startDate) }), offer.endDate && t("offers.offer.until", { date: date(offer.endDate) })]
                  .filter(Boolean)
                  .join(" ")}
              </dd>
            </>
          )}
          {offer.hours && (
            <>
              <dt>{t("offers.offer.hours")}</dt>
              <dd>{offer.hours}</dd>
            </>
          )}
          {offer.salary && (
            <>
              <dt>{t("offers.offer.salary")}</dt>
              <dd>{offer.salary}</dd>
            </>
          )}
          <dt>{t("offers.offer.origin")}</dt>
          <dd>{t(`offer.origin.${offer.origin}`)}</dd>
        </dl>
        {offer.drivingLicence && <p>{t("offers.offer.drivingLicence")}</p>}
        {offer.description && <p style={{ whiteSpace: "pre-line" }}>{offer.description}</p>}
        {offer.prerequisites && (
          <>
            <h3>{t("offers.offer.prerequisites")}</h3>
            <p style={{ whiteSpace: "pre-line" }}>{offer.prerequisites}</p>
          </>
        )}
        {offer.message && (
          <>
            <h3>{t("offers.offer.message")}</h3>
            <blockquote>{offer.message}</blockquote>
          </>
        )}
      </section>

      <div className="stack">
        <div className="button-row">
          <CsrfForm>
            <input type="hidden" name="intent" value="bookmark" />
            <input type="hidden" name="value" value={String(!followUp.bookmarked)} />
            <button type="submit" className="button button-secondary">
              {t(followUp.bookmarked ? "offers.offer.unbookmark" : "offers.offer.bookmark")}
            </button>
          </CsrfForm>
          <CsrfForm>
            <input type="hidden" name="intent" value="archive" />
            <input type="hidden" name="value" value={String(!followUp.archived)} />
            <button type="submit" className="button button-secondary">
              {t(followUp.archived ? "offers.offer.unarchive" : "offers.offer.archive")}
            </button>
          </CsrfForm>
        </div>
        <CsrfForm>
          <input type="hidden" name="intent" value="note" />
          <TextAreaField name="note" label="offers.offer.note" hint="offers.offer.noteHint" error={result?.errors.fields.note} defaultValue={result?.values.note ?? followUp.note} maxLength={NOTE_MAX} rows={4} />
          <button type="submit" className="button button-secondary">
            {t("offers.offer.saveNote")}
          </button>
        </CsrfForm>
      </div>

      <section aria-labelledby="log-title">
        <h2 id="log-title">{t("offers.offer.log")}</h2>
        {log.length === 0 ? (
          <p>{t("offers.offer.logEmpty")}</p>
        ) : (
          <ul>
            {log.map((line) => (
              <li key={line.id}>{`${formatDateTime(locale, new Date(line.createdAt))} — ${logText(t, line)}`}</li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
