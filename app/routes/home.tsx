import { Link, useLoaderData } from "react-router";
import { otherCvs } from "~/domain/cv/public-reads";
import { impactTotals } from "~/domain/sharing/events";
import { CvCard } from "~/ui/cv-card";
import { useRootData, useT } from "~/ui/i18n";
import type { Route } from "./+types/home";

/** A few CVs to share, the least shared first: the home page spreads attention fairly. */
export async function loader({ context }: Route.LoaderArgs) {
  const [cvs, totals] = await Promise.all([otherCvs(context.services.db, "", 3), impactTotals(context.services.db)]);
  return { cvs, totals };
}

export default function Home() {
  const t = useT();
  const { user } = useRootData();
  const { cvs, totals } = useLoaderData<typeof loader>();
  return (
    <>
      <title>{`${t("app.name")} — ${t("home.title")}`}</title>
      <meta name="description" content={t("app.tagline")} />
      <h1>{t("home.title")}</h1>
      <p>{t("home.intro")}</p>
      {cvs.length > 0 && (
        <section aria-labelledby="home-cvs">
          <h2 id="home-cvs">{t("home.share")}</h2>
          <ul className="card-list cv-grid">
            {cvs.map((cv) => (
              <CvCard key={cv.slug} cv={cv} level={3} />
            ))}
          </ul>
          <p>
            <Link to="/candidats">{t("publicCv.seeAll")}</Link>
          </p>
        </section>
      )}
      <h2>{t("home.how")}</h2>
      <ol className="steps">
        <li>{t("home.step1")}</li>
        <li>{t("home.step2")}</li>
        <li>{t("home.step3")}</li>
        <li>{t("home.step4")}</li>
      </ol>
      <h2>{t("home.figures")}</h2>
      {totals.publishedCvs === 0 ? (
        <p className="muted">{t("home.figuresSoon")}</p>
      ) : (
        <>
          <h3>{t("home.measured")}</h3>
          <ul className="figures">
            <li>
              <strong>{totals.publishedCvs}</strong> {t("home.published", { count: totals.publishedCvs })}
            </li>
            <li>
              <strong>{totals.views}</strong> {t("home.views", { count: totals.views })}
            </li>
            <li>
              <strong>{totals.shares}</strong> {t("home.shares", { count: totals.shares })}
            </li>
          </ul>
        </>
      )}
      {totals.declared.length > 0 && (
        <>
          <h3>{t("home.declared")}</h3>
          <ul>
            {totals.declared.map((d, i) => (
              <li key={i}>{`${d.label} : ${d.value}${d.source ? ` (${d.source})` : ""}`}</li>
            ))}
          </ul>
        </>
      )}
      {!user && (
        <p>
          <Link className="button button-secondary" to="/connexion">
            {t("nav.signIn")}
          </Link>
        </p>
      )}
    </>
  );
}
