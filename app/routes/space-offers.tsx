import { Form, Link, redirect, useActionData, useLoaderData, useParams } from "react-router";
import { followUpStatuses } from "~/db/schema";
import { filtersFromSearch, listCandidateOffers, markInterested, publicOffersFor, requireFollowUpRole, unseenOfferCounts } from "~/domain/offers/follow-up";
import { reasonText } from "~/domain/offers/match-reasons";
import { departmentLabel } from "~/domain/reference/departments";
import { AppError } from "~/http/app-error";
import { formFailure, orNotFound, readForm } from "~/http/forms.server";
import { requireUser } from "~/http/session.server";
import type { MessageKey } from "~/i18n";
import { CsrfForm, ErrorSummary } from "~/ui/forms";
import { useT } from "~/ui/i18n";
import { newBadge } from "~/ui/new-offers-badge";
import type { Route } from "./+types/space-offers";

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const user = await requireUser(request, context);
  const db = context.services.db;
  const list = await orNotFound(() => listCandidateOffers(db, user, params.candidateId, filtersFromSearch(new URL(request.url).searchParams)));
  const [matching, unseen] = await Promise.all([orNotFound(() => publicOffersFor(db, user, params.candidateId)), unseenOfferCounts(db, user)]);
  return { ...list, matching, unseen: unseen.byCandidate[params.candidateId] ?? 0, self: list.role === "candidate" };
}

/** "Je suis intéressé·e" on a public offer: the candidate starts following it, contact shown. */
export async function action({ request, params, context }: Route.ActionArgs) {
  const user = await requireUser(request, context);
  let form: FormData | undefined;
  try {
    form = await readForm(request, context);
    await requireFollowUpRole(context.services.db, user, params.candidateId);
    if (form.get("intent") !== "interested") throw new AppError("INVALID", "form.invalidChoice");
    const offerId = String(form.get("offerId") ?? "");
    await markInterested(context.services, user, params.candidateId, offerId);
    return redirect(`/espace/offres/${params.candidateId}/${offerId}?ok=1`);
  } catch (error) {
    return formFailure(error, form);
  }
}

export default function SpaceOffers() {
  const t = useT();
  const { candidate, offers, filters, matching, unseen, self } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const base = `/espace/offres/${useParams().candidateId}`;
  const title = self ? t("offers.list.titleMine") : t("offers.list.titleFor", { name: `${candidate.firstName} ${candidate.lastName}` });
  return (
    <>
      <title>{`${title} — LinkedOut`}</title>
      <h1>
        {title}
        {unseen > 0 && <span className="muted">{` — ${newBadge(t, unseen)}`}</span>}
      </h1>
      <ErrorSummary errors={result?.errors} labels={{}} />
      <p>
        <Link className="button" to={`${base}/nouvelle`}>
          {t("offers.list.add")}
        </Link>
      </p>
      <Form method="get" className="filters" aria-label={t("offers.list.filters")}>
        {filters.archived && <input type="hidden" name="archivees" value="1" />}
        <div className="field">
          <label htmlFor="field-etape">{t("offers.list.step")}</label>
          <select id="field-etape" name="etape" defaultValue={filters.status ?? ""}>
            <option value="">{t("offers.list.allSteps")}</option>
            {followUpStatuses.map((s) => (
              <option key={s} value={s}>
                {t(`followUp.status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label className="checkbox">
            <input type="checkbox" name="favoris" value="1" defaultChecked={filters.bookmarked} />
            {t("offers.list.onlyBookmarked")}
          </label>
        </div>
        <div className="field">
          <button type="submit" className="button button-secondary">
            {t("offers.list.apply")}
          </button>
        </div>
      </Form>
      <p>
        {filters.archived ? <Link to={base}>{t("offers.list.showCurrent")}</Link> : <Link to={`${base}?archivees=1`}>{t("offers.list.showArchived")}</Link>}
      </p>
      {offers.length === 0 ? (
        <p>{t(filters.archived ? "offers.list.emptyArchived" : "offers.list.empty")}</p>
      ) : (
        <ul className="card-list">
          {offers.map((o) => (
            <li key={o.offerId} className="card">
              <h2>
                <Link to={`${base}/${o.offerId}`}>{`${o.jobTitle} — ${o.company}`}</Link>
              </h2>
              <ul className="tags">
                {o.unseen && (
                  <li>
                    <strong>{t("offers.list.new")}</strong>
                  </li>
                )}
                <li>{t("offers.list.step.label", { status: t(`followUp.status.${o.status}`) })}</li>
                {o.bookmarked && <li>{t("offers.list.bookmarked")}</li>}
                <li>{t(`offer.channel.${o.channel}`)}</li>
              </ul>
              <p className="muted">{`${departmentLabel(o.department)} · ${t(`contract.${o.contractType}` as MessageKey)}`}</p>
            </li>
          ))}
        </ul>
      )}
      <section aria-labelledby="matching-title">
        <h2 id="matching-title">{self ? t("offers.matching.title") : t("offers.matching.titleFor", { firstName: candidate.firstName })}</h2>
        {matching.length === 0 ? (
          <p>{t("offers.matching.empty")}</p>
        ) : (
          <ul className="card-list">
            {matching.map((m) => (
              <li key={m.id} className="card">
                <h3>{`${m.jobTitle} — ${m.company}`}</h3>
                <p className="muted">{`${departmentLabel(m.department)} · ${t(`contract.${m.contractType}` as MessageKey)}`}</p>
                <ul className="tags">
                  {m.reasons.map((r) => (
                    <li key={r.kind}>{reasonText(t, r)}</li>
                  ))}
                </ul>
                <CsrfForm>
                  <input type="hidden" name="intent" value="interested" />
                  <input type="hidden" name="offerId" value={m.id} />
                  <button type="submit" className="button" aria-describedby={`interested-help-${m.id}`}>
                    {t("offers.interested")}
                  </button>
                  <p className="hint" id={`interested-help-${m.id}`}>
                    {t("offers.interestedHelp")}
                  </p>
                </CsrfForm>
              </li>
            ))}
          </ul>
        )}
      </section>
      <p>
        <Link to="/espace">{t("space.title")}</Link>
      </p>
    </>
  );
}
