import { data, Link, useActionData, useLoaderData, useSearchParams } from "react-router";
import { listOffersForModeration, offerFiltersSchema, queueStatuses, transitionOffers, type TransitionOutcome } from "~/domain/offers/moderation";
import { offerTransitions } from "~/domain/offers/offer-workflow";
import { AppError } from "~/http/app-error";
import { formFailure, readForm, type FormFailure } from "~/http/forms.server";
import { requireStaffUser } from "~/http/guards.server";
import { formatDate, type MessageKey } from "~/i18n";
import { CsrfForm, ErrorSummary, Notice, SelectField, TextAreaField, TextField } from "~/ui/forms";
import { useLocale, useT } from "~/ui/i18n";
import { heldReasonText } from "~/ui/offer-labels";
import type { Route } from "./+types/offers";

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = await requireStaffUser(request, context);
  const filters = offerFiltersSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const list = await listOffersForModeration(context.services.db, user, filters);
  return { ...list, filters, pages: Math.max(1, Math.ceil(list.total / list.pageSize)) };
}

/** The bulk form: chosen offers, one action, an optional comment (the reason, for a refusal). */
export async function action({ request, context }: Route.ActionArgs) {
  const user = await requireStaffUser(request, context);
  let form: FormData | undefined;
  try {
    form = await readForm(request, context);
    const ids = form.getAll("ids").filter((v): v is string => typeof v === "string");
    if (!ids.length) throw new AppError("INVALID", "moderation.chooseOffers", { ids: "moderation.chooseOffers" });
    const outcome = await transitionOffers(context.services, user, ids, form.get("transition"), form.get("comment") ?? "");
    return data({ ok: true as const, transition: String(form.get("transition")), outcome });
  } catch (error) {
    return formFailure(error, form);
  }
}

const transitionNames = Object.keys(offerTransitions) as (keyof typeof offerTransitions)[];

export default function OffersQueue() {
  const t = useT();
  const locale = useLocale();
  const { rows, total, counts, zones, filters, pages } = useLoaderData<typeof loader>();
  // The heading names the tab: "Offres à modérer", or "Offres — En ligne"…
  const heading = filters.status === "to_moderate" ? t("moderation.title") : t("moderation.titleFor", { status: t(`moderation.statusFilter.${filters.status}`) });
  const result = useActionData<typeof action>() as ({ ok: true; transition: string; outcome: TransitionOutcome } | FormFailure | undefined);
  const [params] = useSearchParams();
  const failure = result && !result.ok ? result : undefined;
  const done = result?.ok ? result : undefined;
  const linkWith = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    next.delete("page");
    for (const [key, value] of Object.entries(changes)) next.set(key, value);
    return `?${next}`;
  };
  const pending = rows.filter((r) => r.status !== "held");
  const held = rows.filter((r) => r.status === "held");
  const countOf = (status: (typeof queueStatuses)[number]) => (status === "to_moderate" ? counts.pending + counts.held : counts[status]);

  const table = (list: typeof rows, caption: MessageKey) => (
    <div className="table-wrap">
      <table>
        <caption>{t(caption)}</caption>
        <thead>
          <tr>
            <th scope="col">{t("moderation.choose")}</th>
            <th scope="col">{t("moderation.offer")}</th>
            <th scope="col">{t("moderation.status")}</th>
            <th scope="col">{t("moderation.kind")}</th>
            <th scope="col">{t("moderation.zone")}</th>
            <th scope="col">{t("moderation.receivedOn")}</th>
          </tr>
        </thead>
        <tbody>
          {list.map((offer) => {
            const label = `${offer.jobTitle} — ${offer.company} (${offer.department})`;
            return (
              <tr key={offer.id}>
                <td>
                  <input type="checkbox" name="ids" value={offer.id} aria-label={t("moderation.chooseOne", { label })} className="row-check" />
                </td>
                <td>
                  <Link to={`/admin/offres/${offer.id}`}>{label}</Link>
                </td>
                <td>
                  {t(`offer.status.${offer.status}`)}
                  {offer.status === "held" && <p className="muted">{t("moderation.heldBecause", { reason: heldReasonText(t, offer.heldReason) })}</p>}
                </td>
                <td>{t(offer.isPublic ? "moderation.public" : "moderation.addressed")}</td>
                <td>{offer.zoneName ?? t("moderation.noZone")}</td>
                <td>{formatDate(locale, new Date(offer.createdAt))}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );

  return (
    <>
      <title>{`${heading} — LinkedOut`}</title>
      <h1>{heading}</h1>
      <nav aria-label={t("moderation.byStatus")}>
        <ul className="tags">
          {queueStatuses.map((status) => (
            <li key={status}>
              <Link to={linkWith({ status })} aria-current={filters.status === status ? "page" : undefined}>
                {`${t(`moderation.statusFilter.${status}`)} (${countOf(status)})`}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <form method="get" className="filters" role="search">
        <input type="hidden" name="status" value={filters.status} />
        <TextField name="q" type="search" label="moderation.search" defaultValue={filters.q} maxLength={100} />
        <SelectField name="zone" label="moderation.zoneFilter" defaultValue={filters.zone}>
          <option value="mine">{t("moderation.zoneMine")}</option>
          <option value="all">{t("moderation.zoneAll")}</option>
          {zones.map((zone) => (
            <option key={zone.id} value={zone.id}>
              {zone.name}
            </option>
          ))}
        </SelectField>
        <div className="field">
          <button type="submit" className="button button-secondary">
            {t("moderation.filter")}
          </button>
        </div>
      </form>
      {done && (
        <Notice>
          <p>{t("moderation.moved", { count: done.outcome.moved.length })}</p>
          {done.outcome.refused.length > 0 && (
            <>
              <p>{t("moderation.notMoved", { count: done.outcome.refused.length })}</p>
              <ul>
                {done.outcome.refused.map((r) => (
                  <li key={r.id}>{`${r.label} : ${t(r.reason)}`}</li>
                ))}
              </ul>
            </>
          )}
        </Notice>
      )}
      <ErrorSummary errors={failure?.errors} labels={{ comment: "moderation.comment", transition: "moderation.action" }} />
      <p aria-live="polite">{t("moderation.count", { count: total })}</p>
      {rows.length === 0 ? (
        <p>{t("moderation.none")}</p>
      ) : (
        <CsrfForm>
          {pending.length > 0 && table(pending, filters.status === "to_moderate" ? "moderation.pendingCaption" : "moderation.listCaption")}
          {held.length > 0 && (
            <section aria-labelledby="held-title">
              <h2 id="held-title">{t("moderation.heldTitle")}</h2>
              <p>{t("moderation.heldIntro")}</p>
              {table(held, "moderation.heldCaption")}
            </section>
          )}
          <fieldset>
            <legend>{t("moderation.bulkLegend")}</legend>
            <p className="hint">{t("moderation.bulkHint")}</p>
            <SelectField name="transition" label="moderation.action" error={failure?.errors.fields.transition} defaultValue="">
              <option value="">{t("moderation.chooseAction")}</option>
              {transitionNames.map((name) => (
                <option key={name} value={name}>
                  {t(`moderation.transition.${name}`)}
                </option>
              ))}
            </SelectField>
            <TextAreaField name="comment" label="moderation.comment" error={failure?.errors.fields.comment} defaultValue={failure?.values.comment} maxLength={2000} rows={3} />
            <button type="submit" className="button">
              {t("moderation.apply")}
            </button>
          </fieldset>
        </CsrfForm>
      )}
      <nav className="pager" aria-label={t("moderation.pages")}>
        {filters.page > 1 && <Link to={linkWith({ page: String(filters.page - 1) })}>{t("members.previous")}</Link>}
        {filters.page < pages && <Link to={linkWith({ page: String(filters.page + 1) })}>{t("members.next")}</Link>}
      </nav>
    </>
  );
}
