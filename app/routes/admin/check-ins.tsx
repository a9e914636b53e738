import { Link, redirect, useActionData, useLoaderData, useSearchParams } from "react-router";
import { checkInsForStaff, checkInZoneSchema, markCheckInHandled } from "~/domain/offers/check-ins";
import { formFailure, readForm } from "~/http/forms.server";
import { requireStaffUser } from "~/http/guards.server";
import { formatDateTime } from "~/i18n";
import { CsrfForm, ErrorSummary, Notice, SelectField } from "~/ui/forms";
import { useLocale, useT } from "~/ui/i18n";
import type { Route } from "./+types/check-ins";

/** Staff queue of post-hire check-ins: "besoin d'un échange" first, until someone takes it up. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const user = await requireStaffUser(request, context);
  const zone = checkInZoneSchema.parse(new URL(request.url).searchParams.get("zone") ?? undefined);
  return { ...(await checkInsForStaff(context.services.db, user, zone)), zone };
}

export async function action({ request, context }: Route.ActionArgs) {
  const user = await requireStaffUser(request, context);
  let form: FormData | undefined;
  try {
    form = await readForm(request, context);
    await markCheckInHandled(context.services.db, user, form.get("checkInId"));
    const zone = new URL(request.url).searchParams.get("zone");
    return redirect(`/admin/suivis?traite=1${zone ? `&zone=${encodeURIComponent(zone)}` : ""}`);
  } catch (error) {
    return formFailure(error, form);
  }
}

type Row = Awaited<ReturnType<typeof checkInsForStaff>>["toHandle"][number];

export default function CheckIns() {
  const t = useT();
  const locale = useLocale();
  const { toHandle, recent, unanswered, zones, zone } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const when = (date: Date | string | null) => (date ? formatDateTime(locale, new Date(date)) : "—");
  const who = (row: Row) => (
    <Link to={`/admin/membres/${row.candidateId}`}>{`${row.candidateFirstName} ${row.candidateLastName}`}</Link>
  );
  const head = (...columns: Parameters<typeof t>[0][]) => (
    <thead>
      <tr>
        {columns.map((key) => (
          <th scope="col" key={key}>
            {t(key)}
          </th>
        ))}
      </tr>
    </thead>
  );
  return (
    <>
      <title>{`${t("checkIns.title")} — LinkedOut`}</title>
      <h1>{t("checkIns.title")}</h1>
      <p>{t("checkIns.intro")}</p>
      <form method="get" className="filters" role="search">
        <SelectField name="zone" label="checkIns.zoneFilter" defaultValue={zone}>
          <option value="mine">{t("checkIns.zoneMine")}</option>
          <option value="all">{t("checkIns.zoneAll")}</option>
          {zones.map((z) => (
            <option key={z.id} value={z.id}>
              {z.name}
            </option>
          ))}
        </SelectField>
        <div className="field">
          <button type="submit" className="button button-secondary">
            {t("checkIns.filter")}
          </button>
        </div>
      </form>
      {params.has("traite") && <Notice>{t("checkIns.handled")}</Notice>}
      <ErrorSummary errors={result?.errors} labels={{}} />

      <section aria-labelledby="to-handle">
        <h2 id="to-handle">{`${t("checkIns.toHandle")} (${toHandle.length})`}</h2>
        {toHandle.length === 0 ? (
          <p>{t("checkIns.nothingToHandle")}</p>
        ) : (
          <div className="table-wrap">
            <table>
              {head("checkIns.candidate", "checkIns.employer", "checkIns.months", "checkIns.party", "checkIns.answeredAt", "checkIns.action")}
              <tbody>
                {toHandle.map((row) => (
                  <tr key={row.id}>
                    <td>{who(row)}</td>
                    <td>{row.employerName || "—"}</td>
                    <td>{t("checkIns.monthsValue", { months: row.months })}</td>
                    <td>{t(`checkIns.party.${row.party}`)}</td>
                    <td>{when(row.answeredAt)}</td>
                    <td>
                      <CsrfForm>
                        <input type="hidden" name="checkInId" value={row.id} />
                        <button
                          type="submit"
                          className="button-small"
                          aria-label={t("checkIns.handleLabel", { name: `${row.candidateFirstName} ${row.candidateLastName}`, party: t(`checkIns.party.${row.party}`), months: row.months })}
                        >
                          {t("checkIns.handle")}
                        </button>
                      </CsrfForm>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="recent">
        <h2 id="recent">{t("checkIns.recent")}</h2>
        {recent.length === 0 ? (
          <p>{t("checkIns.noRecent")}</p>
        ) : (
          <div className="table-wrap">
            <table>
              {head("checkIns.candidate", "checkIns.employer", "checkIns.months", "checkIns.party", "checkIns.answer", "checkIns.answeredAt")}
              <tbody>
                {recent.map((row) => (
                  <tr key={row.id}>
                    <td>{who(row)}</td>
                    <td>{row.employerName || "—"}</td>
                    <td>{t("checkIns.monthsValue", { months: row.months })}</td>
                    <td>{t(`checkIns.party.${row.party}`)}</td>
                    <td>
                      {row.answer ? t(`checkIn.answer.${row.answer}`) : "—"}
                      {row.answer === "need_talk" && ` (${t(row.handledAt ? "checkIns.handledState" : "checkIns.waitingState")})`}
                    </td>
                    <td>{when(row.answeredAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="unanswered">
        <h2 id="unanswered">{t("checkIns.unanswered")}</h2>
        {unanswered.length === 0 ? (
          <p>{t("checkIns.noUnanswered")}</p>
        ) : (
          <div className="table-wrap">
            <table>
              {head("checkIns.candidate", "checkIns.employer", "checkIns.months", "checkIns.party", "checkIns.sentAt")}
              <tbody>
                {unanswered.map((row) => (
                  <tr key={row.id}>
                    <td>{who(row)}</td>
                    <td>{row.employerName || "—"}</td>
                    <td>{t("checkIns.monthsValue", { months: row.months })}</td>
                    <td>{t(`checkIns.party.${row.party}`)}</td>
                    <td>{when(row.sentAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
