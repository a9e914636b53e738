import { data, Link, redirect, useActionData, useLoaderData, useParams, useSearchParams } from "react-router";
import { hitRateLimit } from "~/domain/accounts/rate-limit";
import { askForNews } from "~/domain/sharing/share-link-news";
import { shareLinkReport } from "~/domain/sharing/share-links";
import { formFailure, orNotFound, readForm } from "~/http/forms.server";
import { getLocale, getUser } from "~/http/session.server";
import { formatDate } from "~/i18n";
import { CsrfForm, ErrorSummary, Notice, TextField } from "~/ui/forms";
import { useLocale, useT } from "~/ui/i18n";
import type { Route } from "./+types/share-link-report";

/** The sharer's private page: only whoever holds the key sees it; anyone else gets a 404. */
export async function loader({ params, context }: Route.LoaderArgs) {
  const report = await orNotFound(() => shareLinkReport(context.services.db, params.key));
  const link = `${context.services.config.publicUrl}/s/${report.code}`;
  return data({ ...report, link }, { headers: { "Cache-Control": "no-store", "X-Robots-Tag": "noindex", "Referrer-Policy": "same-origin" } });
}

/** The sharer leaves an e-mail for news: a confirmation link is sent first (double opt-in). */
export async function action({ request, params, context }: Route.ActionArgs) {
  let form: FormData | undefined;
  try {
    form = await readForm(request, context);
    const limit = await hitRateLimit(context.services.db, `share-news:${context.clientIp}`, { limit: 10, windowSeconds: 3600 });
    if (!limit.allowed) throw data(null, { status: 429 });
    const locale = await getLocale(request, await getUser(request, context));
    await askForNews(context.services, params.key, { email: form.get("email") ?? "" }, locale);
    return redirect(`/partage/${params.key}?email=envoye`);
  } catch (error) {
    return formFailure(error, form);
  }
}

/** Private or one-off answers: never kept by a browser or a shared cache. */
export function headers() {
  return { "Cache-Control": "no-store", "X-Robots-Tag": "noindex", "Referrer-Policy": "same-origin" };
}

export default function ShareLinkReport() {
  const t = useT();
  const locale = useLocale();
  const report = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { key } = useParams();
  const { cv, cohort } = report;
  return (
    <>
      <title>{`${t("shareLink.reportTitle")} — LinkedOut`}</title>
      <meta name="robots" content="noindex" />
      <h1>{t("shareLink.reportTitle")}</h1>
      <p>
        {t("shareLink.yourLinkIs")} <a href={report.link}>{report.link}</a>
      </p>
      {cv && (
        <p>
          <Link to={`/cv/${cv.slug}`}>{`${cv.firstName} ${cv.lastInitial}`}</Link>
        </p>
      )}
      {cohort && (
        <p>
          {t("shareLink.cohortLabel")} <Link to={`/promo/${cohort.slug}`}>{cohort.name}</Link>
        </p>
      )}
      <ul className="figures">
        <li>{t(cohort ? "shareLink.cohortViews" : "shareLink.views", { count: report.views })}</li>
        <li>{t("shareLink.shares", { count: report.shares })}</li>
        <li>{t("shareLink.offers", { count: report.offers })}</li>
        {cohort && <li>{t("shareLink.cohortEmployed", { employed: cohort.employed, count: cohort.publishedCvs })}</li>}
      </ul>
      {cohort ? null : cv?.employment.status === "employed" ? (
        <p className="alert alert-success">
          {cv.employment.until
            ? t("publicCv.employedUntil", { firstName: cv.firstName, date: formatDate(locale, new Date(cv.employment.until)) })
            : t("publicCv.employed", { firstName: cv.firstName })}
        </p>
      ) : cv ? (
        <p>{t("shareLink.stillSearching", { firstName: cv.firstName })}</p>
      ) : (
        <p>{t("shareLink.cvGone")}</p>
      )}
      <section aria-labelledby="news-title" className="card">
        <h2 id="news-title">{t("shareLink.newsTitle")}</h2>
        {params.get("email") === "envoye" && <Notice>{t("shareLink.newsSent")}</Notice>}
        {params.get("nouvelles") === "arretees" && <Notice>{t("shareLink.newsStopped")}</Notice>}
        {report.news && <p>{report.news.confirmed ? t("shareLink.newsConfirmed", { email: report.news.email }) : t("shareLink.newsPending", { email: report.news.email })}</p>}
        {report.news && (
          <CsrfForm action={`/partage/${key}/arreter`}>
            <button type="submit" className="button button-secondary">
              {t("shareLink.newsStop")}
            </button>
          </CsrfForm>
        )}
        <p>{t("shareLink.newsIntro")}</p>
        <ErrorSummary errors={result?.errors} labels={{ email: "shareLink.newsEmail" }} />
        <CsrfForm noValidate>
          <TextField name="email" type="email" label="shareLink.newsEmail" defaultValue={result?.values.email} error={result?.errors.fields.email} autoComplete="email" maxLength={254} required />
          <button type="submit" className="button">
            {t("shareLink.newsSubmit")}
          </button>
        </CsrfForm>
      </section>
    </>
  );
}
